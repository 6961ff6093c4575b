//! Undo/redo of the design: whole snapshots of the [`DesignDraft`] (a few kilobytes even for a
//! large design), with typing in one field coalesced into one step. No egui here.

use super::draft::{DesignDraft, RelayDraft};

/// How many steps can be undone.
pub const MAX_STEPS: usize = 200;

/// Reads one text field of a relay.
type RelayText = fn(&RelayDraft) -> &String;

/// What an edit changed, for coalescing: typing in the same text field is one step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditKind {
    /// One text field (its name), typed into: consecutive edits of it merge.
    Text(String),
    /// Anything else (a checkbox, a choice, adding, removing or moving relays, an import): its
    /// own step.
    Step,
}

/// The text field in which `a` and `b` differ, when they differ in exactly one text field and
/// nothing else.
pub fn edit_kind(a: &DesignDraft, b: &DesignDraft) -> EditKind {
    let mut diffs: Vec<String> = Vec::new();
    let mut text = |name: &str, x: &String, y: &String| {
        if x != y {
            diffs.push(name.to_string());
        }
    };
    text("domain", &a.domain, &b.domain);
    text("srv_label", &a.srv_label, &b.srv_label);
    text("ttl", &a.ttl, &b.ttl);
    text("sts_max_age", &a.sts_max_age, &b.sts_max_age);
    text("sts_id", &a.sts_id, &b.sts_id);
    text("sts_mx", &a.sts_mx, &b.sts_mx);
    text("rpt_rua", &a.rpt_rua, &b.rpt_rua);
    text("sge_spf", &a.sge_spf, &b.sge_spf);
    text("sge_dmarc", &a.sge_dmarc, &b.sge_dmarc);
    text("sge_dkim", &a.sge_dkim_selectors, &b.sge_dkim_selectors);
    if a.relays.len() != b.relays.len() {
        return EditKind::Step;
    }
    for (i, (x, y)) in a.relays.iter().zip(&b.relays).enumerate() {
        if x.role != y.role || x.also_srv != y.also_srv {
            return EditKind::Step;
        }
        let fields: [(&str, RelayText); 7] = [
            ("host", |r| &r.host),
            ("port", |r| &r.port),
            ("preference", |r| &r.preference),
            ("priority", |r| &r.priority),
            ("weight", |r| &r.weight),
            ("addresses", |r| &r.addresses),
            ("tlsa", |r| &r.tlsa),
        ];
        for (name, get) in fields {
            if get(x) != get(y) {
                diffs.push(format!("relay {i} {name}"));
            }
        }
    }
    let same_rest = a.level == b.level
        && a.profile == b.profile
        && a.null_mx == b.null_mx
        && a.test_domain == b.test_domain
        && a.secure_only == b.secure_only
        && a.sts_enabled == b.sts_enabled
        && a.sts_mode == b.sts_mode
        && a.sts_policy_sha256 == b.sts_policy_sha256
        && a.rpt_enabled == b.rpt_enabled;
    match diffs.as_slice() {
        [one] if same_rest => EditKind::Text(one.clone()),
        _ => EditKind::Step,
    }
}

/// The undo and redo stacks.
#[derive(Debug, Clone, Default)]
pub struct UndoHistory {
    undo: Vec<DesignDraft>,
    redo: Vec<DesignDraft>,
    /// The kind of the last recorded edit and a tag of where it was typed (the focused widget):
    /// the next edit of the same field, typed in the same place, merges into it.
    last: Option<(EditKind, u64)>,
}

impl UndoHistory {
    /// Record that the draft changed from `before` (kind `kind`, typed in widget `place`).
    pub fn record(&mut self, before: &DesignDraft, kind: EditKind, place: u64) {
        let merge = matches!(&kind, EditKind::Text(_))
            && self.last.as_ref() == Some(&(kind.clone(), place));
        if !merge {
            self.undo.push(before.clone());
            if self.undo.len() > MAX_STEPS {
                self.undo.remove(0);
            }
        }
        self.redo.clear();
        self.last = Some((kind, place));
    }

    /// Stop merging: the next edit is a step of its own.
    pub fn seal(&mut self) {
        self.last = None;
    }

    /// Forget everything (another design was opened).
    pub fn clear(&mut self) {
        *self = UndoHistory::default();
    }

    /// The draft before the last step, given the current one (which becomes redoable).
    pub fn undo(&mut self, current: &DesignDraft) -> Option<DesignDraft> {
        let prev = self.undo.pop()?;
        self.redo.push(current.clone());
        self.last = None;
        Some(prev)
    }

    /// The draft of the last undone step, given the current one.
    pub fn redo(&mut self, current: &DesignDraft) -> Option<DesignDraft> {
        let next = self.redo.pop()?;
        self.undo.push(current.clone());
        self.last = None;
        Some(next)
    }

    /// Steps that can be undone.
    pub fn undo_len(&self) -> usize {
        self.undo.len()
    }
    /// Steps that can be redone.
    pub fn redo_len(&self) -> usize {
        self.redo.len()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used, clippy::unwrap_used)]
    use super::*;
    use crate::model::Role;

    fn draft() -> DesignDraft {
        DesignDraft::from_design(
            &crate::project::parse_design(
                include_str!("../../assets/examples/level2.secmx.toml"),
                "level2",
            )
            .unwrap(),
        )
    }

    #[test]
    fn typing_in_one_field_is_one_step_and_other_edits_are_their_own() {
        let mut h = UndoHistory::default();
        let mut d = draft();
        let start = d.clone();
        for t in ["7", "72", "720", "7200"] {
            let before = d.clone();
            d.ttl = t.into();
            h.record(&before, edit_kind(&before, &d), 1);
        }
        assert_eq!(h.undo_len(), 1);
        let before = d.clone();
        d.relays.push(RelayDraft::new("mx9.example", Role::Ber));
        assert_eq!(edit_kind(&before, &d), EditKind::Step);
        h.record(&before, EditKind::Step, 1);
        let before = d.clone();
        d.relays.swap(0, 1);
        assert_eq!(edit_kind(&before, &d), EditKind::Step);
        h.record(&before, EditKind::Step, 1);
        assert_eq!(h.undo_len(), 3);
        let end = d.clone();
        d = h.undo(&d).unwrap();
        d = h.undo(&d).unwrap();
        d = h.undo(&d).unwrap();
        assert_eq!(d, start);
        assert!(h.undo(&d).is_none());
        d = h.redo(&d).unwrap();
        assert_eq!(d.ttl, "7200");
        d = h.redo(&d).unwrap();
        d = h.redo(&d).unwrap();
        assert_eq!(d, end);
    }

    #[test]
    fn at_least_a_hundred_steps_are_kept() {
        let mut h = UndoHistory::default();
        let mut d = draft();
        let start = d.clone();
        for i in 0..150 {
            let before = d.clone();
            d.ttl = i.to_string();
            h.record(&before, EditKind::Step, 0);
        }
        for _ in 0..150 {
            d = h.undo(&d).unwrap();
        }
        assert_eq!(d, start);
    }
}
