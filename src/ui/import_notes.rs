//! The import-notes panel: after Import from DNS (also from the start page) the import's notes —
//! what it guessed or left out — stay on screen until dismissed, each note a link to the field or
//! relay it is about.

use super::*;

/// What a note is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoteTarget {
    /// A field of the design.
    Field(Field),
    /// The relay with this host name (found by name when clicked: relays may move meanwhile).
    Relay(String),
}

/// One note and what it is about, if anything in the design.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportNote {
    /// The note.
    pub text: String,
    /// Where clicking it goes.
    pub target: Option<NoteTarget>,
}

/// What a note of [`crate::resolve::import::design_from_published`] (or a zone import) is about.
/// Records left out are about nothing in the design.
pub fn note_target(note: &str, hosts: &[&str]) -> Option<NoteTarget> {
    let lower = note.to_ascii_lowercase();
    if lower.starts_with("not part of the design") {
        return None;
    }
    if lower.contains(": ttl ") && lower.contains("a design has one ttl") {
        return Some(NoteTarget::Field(Field::Ttl));
    }
    if lower.starts_with("mta-sts") {
        return Some(NoteTarget::Field(Field::StsMaxAge));
    }
    if lower.starts_with("tls-rpt") {
        return Some(NoteTarget::Field(Field::Rua));
    }
    if lower.contains("spf/dmarc") || lower.starts_with("profile") {
        return Some(NoteTarget::Field(Field::Spf));
    }
    if lower.starts_with("dmarc") {
        return Some(NoteTarget::Field(Field::Dmarc));
    }
    if lower.starts_with("dkim") {
        return Some(NoteTarget::Field(Field::DkimSelectors));
    }
    // The longest relay host the note names (mx1 vs mx10).
    hosts
        .iter()
        .filter(|h| !h.is_empty() && names_host(&lower, &h.to_ascii_lowercase()))
        .max_by_key(|h| h.len())
        .map(|h| NoteTarget::Relay((*h).to_string()))
}

/// Whether `text` names `host` as a whole name (not as a part of a longer one).
fn names_host(text: &str, host: &str) -> bool {
    let part = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '.';
    text.match_indices(host).any(|(at, _)| {
        let rest = &text[at + host.len()..];
        // A final dot (an absolute name) still ends the name.
        let rest = rest.strip_prefix('.').unwrap_or(rest);
        !text[..at].ends_with(part) && !rest.starts_with(part)
    })
}

impl App {
    /// Keep the notes of an import for the panel.
    pub(super) fn set_import_notes(&mut self, notes: &[String]) {
        let hosts: Vec<&str> = self.draft.relays.iter().map(|r| r.host.as_str()).collect();
        self.import_notes = notes
            .iter()
            .map(|n| ImportNote {
                text: n.clone(),
                target: note_target(n, &hosts),
            })
            .collect();
    }

    /// The notes of the last import (the panel shows them until dismissed).
    pub fn import_notes(&self) -> &[ImportNote] {
        &self.import_notes
    }

    /// Draw the panel, when there are notes.
    pub(super) fn import_notes_panel(&mut self, ui: &mut Ui) {
        if self.import_notes.is_empty() {
            return;
        }
        let mut go = None;
        let mut dismiss = false;
        egui::Panel::bottom("import_notes")
            .resizable(true)
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.strong(format!("Import notes ({})", self.import_notes.len()));
                    ui.weak(
                        "What the import guessed or left out. Click a note to go to its field.",
                    );
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        dismiss = ui.button("Dismiss import notes").clicked();
                    });
                });
                egui::ScrollArea::vertical()
                    .id_salt("import_notes_list")
                    .max_height(140.0)
                    .auto_shrink([false, true])
                    .show(ui, |ui| {
                        for n in &self.import_notes {
                            match &n.target {
                                Some(t) => {
                                    if ui.link(format!("» {}", n.text)).clicked() {
                                        go = Some(t.clone());
                                    }
                                }
                                None => {
                                    ui.label(format!("• {}", n.text));
                                }
                            }
                        }
                    });
            });
        if dismiss {
            self.import_notes.clear();
        }
        if let Some(t) = go {
            self.go_to_note(t);
        }
    }

    fn go_to_note(&mut self, t: NoteTarget) {
        let field = match t {
            NoteTarget::Field(f) => f,
            NoteTarget::Relay(host) => {
                let Some(i) = self.draft.relays.iter().position(|r| r.host == host) else {
                    self.notice(
                        NoticeLevel::Info,
                        format!("The design has no relay {host} any more."),
                    );
                    return;
                };
                self.editor.scroll_to_selected = true;
                Field::Relay(i, RelayField::Host)
            }
        };
        match field {
            Field::StsMaxAge | Field::StsMode | Field::StsMx => self.draft.sts_enabled = true,
            Field::Rua => self.draft.rpt_enabled = true,
            _ => {}
        }
        self.editor.focus = Some(field);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_point_at_their_field_or_relay() {
        let hosts = ["mx1.agency.example", "mx10.agency.example"];
        let t = |n: &str| note_target(n, &hosts);
        assert_eq!(
            t("MTA-STS: the policy file is not fetched by a DNS import"),
            Some(NoteTarget::Field(Field::StsMaxAge))
        );
        assert_eq!(
            t("mx10.agency.example. A 192.0.2.1: TTL 300 becomes 3600 (a design has one TTL)"),
            Some(NoteTarget::Field(Field::Ttl))
        );
        assert_eq!(
            t("profile set to \"sge\" because the zone publishes SPF/DMARC"),
            Some(NoteTarget::Field(Field::Spf))
        );
        assert_eq!(
            t("the TLSA record of mx10.agency.example. was guessed"),
            Some(NoteTarget::Relay("mx10.agency.example".into()))
        );
        assert_eq!(
            t("mx1.agency.example has no address"),
            Some(NoteTarget::Relay("mx1.agency.example".into()))
        );
        assert_eq!(
            t("not part of the design: mx1.agency.example. TXT \"x\""),
            None
        );
        assert_eq!(t("nothing about anything"), None);
    }
}
