//! The whole SPF evaluation tree (RFC 7208 §4.6.4): the domain's record, every `include:` and
//! `redirect=` target it reaches, and the names its `a`, `mx` and `exists` terms query. A receiver
//! allows at most 10 DNS-querying terms (`include`, `a`, `mx`, `ptr`, `exists`, `redirect`) in the
//! whole evaluation and at most 2 void lookups (an answer with no records, or NXDOMAIN); more is a
//! permanent error, so SPF fails for all mail.
//!
//! [`walk`] evaluates over the answers a fetch already has and lists the questions it still
//! needs ([`SpfTree::missing`]); the fetch asks them in follow-up rounds until nothing is missing.
//! The walk is bounded: it stops after 11 DNS-querying terms (the 11th already decides), at
//! depth 10, and on a loop (a record that includes itself, directly or not).

use crate::model::normalize_name;
use crate::model::published::{Published, Status};

/// An SPF record (RFC 7208) split into its terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spf {
    /// The terms after `v=spf1`, as written.
    pub terms: Vec<String>,
}

/// One SPF term: qualifier and lower-case mechanism or modifier name.
fn spf_term(term: &str) -> (char, String) {
    let (q, rest) = match term.chars().next() {
        Some(c @ ('+' | '-' | '~' | '?')) => (c, term.get(1..).unwrap_or("")),
        _ => ('+', term),
    };
    let name = rest
        .split([':', '/', '='])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    (q, name)
}

/// Mechanisms and modifiers that cost a DNS lookup (RFC 7208 §4.6.4).
const DNS_TERMS: [&str; 6] = ["include", "a", "mx", "ptr", "exists", "redirect"];

impl Spf {
    /// How many terms need a DNS lookup (`include`, `a`, `mx`, `ptr`, `exists`, `redirect`).
    pub fn dns_terms(&self) -> usize {
        self.terms
            .iter()
            .filter(|t| DNS_TERMS.contains(&spf_term(t).1.as_str()))
            .count()
    }

    /// The first `all` term as written (e.g. `-all`, `~all`), if any.
    pub fn all(&self) -> Option<&str> {
        self.terms
            .iter()
            .find(|t| spf_term(t).1 == "all")
            .map(String::as_str)
    }

    /// Whether the record is the lock-down `v=spf1 -all`.
    pub fn is_lockdown(&self) -> bool {
        matches!(self.terms.as_slice(), [t] if t == "-all")
    }

    /// Whether any term can authorise a sender (anything other than `all` itself).
    pub fn authorizes_senders(&self) -> bool {
        self.terms.iter().any(|t| {
            let (q, name) = spf_term(t);
            name != "all" && name != "exp" && (q == '+' || name == "redirect")
        })
    }

    /// Whether a `redirect=` modifier is present.
    pub fn has_redirect(&self) -> bool {
        self.terms.iter().any(|t| spf_term(t).1 == "redirect")
    }
}

/// Read an SPF record: `None` unless it starts with `v=spf1` (followed by a space or the end).
pub fn parse_spf(text: &str) -> Option<Spf> {
    let t = text.trim();
    let head = t.get(..6)?;
    if !head.eq_ignore_ascii_case("v=spf1") {
        return None;
    }
    let rest = t.get(6..).unwrap_or("");
    if !(rest.is_empty() || rest.starts_with(' ')) {
        return None;
    }
    Some(Spf {
        terms: rest.split_whitespace().map(str::to_string).collect(),
    })
}

/// At most this many DNS-querying terms in one evaluation (RFC 7208 §4.6.4).
pub const MAX_LOOKUPS: usize = 10;
/// At most this many void lookups in one evaluation (RFC 7208 §4.6.4).
pub const MAX_VOID: usize = 2;
/// Nesting bound of the walk.
pub const MAX_DEPTH: usize = 10;

/// What the evaluation of one domain's SPF costs, over the whole tree.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SpfTree {
    /// DNS-querying terms counted over the whole evaluation (stops counting at 11).
    pub lookups: usize,
    /// Void lookups (NODATA or NXDOMAIN answers to the terms' queries).
    pub voids: usize,
    /// The names whose lookups were void (with the term).
    pub void_terms: Vec<String>,
    /// Every record evaluated: (domain, text), the top record first.
    pub records: Vec<(String, String)>,
    /// Permanent errors met on the way (no record at an include target, a loop, several records).
    pub errors: Vec<String>,
    /// Terms that could not be followed (macros, lookups that failed): the counts are a lower bound.
    pub unfollowed: Vec<String>,
    /// Questions the walk needs that the answers do not hold yet (name, type).
    pub missing: Vec<(String, String)>,
}

impl SpfTree {
    /// More than 10 DNS-querying terms: a permanent error.
    pub fn too_many_lookups(&self) -> bool {
        self.lookups > MAX_LOOKUPS
    }

    /// More than 2 void lookups: a permanent error.
    pub fn too_many_voids(&self) -> bool {
        self.voids > MAX_VOID
    }
}

/// The SPF records (texts starting `v=spf1`) published at `name`, and the TXT lookup's status.
fn spf_texts(p: &Published, name: &str) -> Option<(Status, Vec<String>)> {
    let set = p.rrset(name, crate::model::RecordType::Txt)?;
    let texts = p
        .records
        .txt_at(name)
        .map(|(_, t)| t)
        .filter(|t| parse_spf(t).is_some())
        .collect();
    Some((set.status, texts))
}

/// The target of a term's domain-spec: `None` for macros (they need the sender to expand).
fn target(spec: &str, current: &str) -> Option<String> {
    let spec = spec.split('/').next().unwrap_or(spec);
    if spec.contains('%') {
        return None;
    }
    if spec.is_empty() {
        Some(current.to_string())
    } else {
        Some(normalize_name(spec))
    }
}

struct Walker<'a> {
    p: &'a Published,
    tree: SpfTree,
    stack: Vec<String>,
}

impl Walker<'_> {
    fn ask(&mut self, name: &str, rtype: &str) -> Option<Status> {
        match self.p.rrset(name, rtype) {
            Some(s) => Some(s.status),
            None => {
                let q = (name.to_string(), rtype.to_string());
                if !self.tree.missing.contains(&q) {
                    self.tree.missing.push(q);
                }
                None
            }
        }
    }

    fn void(&mut self, st: Status, term: &str) {
        if matches!(st, Status::Nodata | Status::Nxdomain) {
            self.tree.voids += 1;
            self.tree.void_terms.push(term.to_string());
        } else if !st.is_answer() {
            self.tree
                .unfollowed
                .push(format!("{term} (lookup {})", st.as_str()));
        }
    }

    /// One term costs a lookup; false once the count passed the limit (the walk stops).
    fn count(&mut self) -> bool {
        self.tree.lookups += 1;
        self.tree.lookups <= MAX_LOOKUPS
    }

    /// Evaluate the record `text` of `domain`; false when the walk must stop.
    fn record(&mut self, domain: &str, text: &str) -> bool {
        self.tree
            .records
            .push((domain.to_string(), text.to_string()));
        self.stack.push(domain.to_string());
        let mut redirect = None;
        let mut has_all = false;
        let mut go_on = true;
        for raw in text.split_ascii_whitespace().skip(1) {
            let term = raw.to_ascii_lowercase();
            let t = term.trim_start_matches(['+', '-', '~', '?']);
            let (name, arg) = match t.split_once([':', '=']) {
                Some((n, a)) => (n, a),
                None => (t.split('/').next().unwrap_or(t), ""),
            };
            match name {
                "all" => has_all = true,
                "redirect" => redirect = Some(arg.to_string()),
                "include" => {
                    if !self.count() {
                        go_on = false;
                        break;
                    }
                    let Some(tgt) = target(arg, domain) else {
                        self.tree.unfollowed.push(raw.to_string());
                        continue;
                    };
                    if !self.include(&tgt, raw) {
                        go_on = false;
                        break;
                    }
                }
                "a" | "mx" | "exists" | "ptr" => {
                    if !self.count() {
                        go_on = false;
                        break;
                    }
                    if name == "ptr" {
                        // Depends on the connecting address: counted, not asked.
                        continue;
                    }
                    let Some(tgt) = target(arg, domain) else {
                        self.tree.unfollowed.push(raw.to_string());
                        continue;
                    };
                    let rtype = if name == "mx" { "MX" } else { "A" };
                    if let Some(st) = self.ask(&tgt, rtype) {
                        self.void(st, raw);
                    }
                }
                _ => {}
            }
        }
        if go_on
            && !has_all
            && let Some(arg) = redirect
        {
            if !self.count() {
                go_on = false;
            } else {
                match target(&arg, domain) {
                    Some(tgt) => go_on = self.include(&tgt, &format!("redirect={arg}")),
                    None => self.tree.unfollowed.push(format!("redirect={arg}")),
                }
            }
        }
        self.stack.pop();
        go_on
    }

    /// Follow an `include:` or `redirect=` target; false when the walk must stop.
    fn include(&mut self, tgt: &str, term: &str) -> bool {
        if self.stack.iter().any(|d| d == tgt) {
            self.tree
                .errors
                .push(format!("{term}: a loop ({} includes itself)", tgt));
            return true;
        }
        if self.stack.len() >= MAX_DEPTH {
            self.tree
                .errors
                .push(format!("{term}: nested more than {MAX_DEPTH} deep"));
            return false;
        }
        let Some(st) = self.ask(tgt, "TXT") else {
            return true;
        };
        let texts = spf_texts(self.p, tgt).map(|(_, t)| t).unwrap_or_default();
        if !st.is_answer() && !matches!(st, Status::Nodata | Status::Nxdomain) {
            self.tree
                .unfollowed
                .push(format!("{term} (lookup {})", st.as_str()));
            return true;
        }
        match texts.as_slice() {
            [] => {
                self.void(st, term);
                self.tree
                    .errors
                    .push(format!("{term}: `{tgt}` publishes no SPF record"));
                true
            }
            [one] => {
                let one = one.clone();
                self.record(tgt, &one)
            }
            many => {
                self.tree.errors.push(format!(
                    "{term}: `{tgt}` publishes {} SPF records",
                    many.len()
                ));
                true
            }
        }
    }
}

/// Walk the SPF evaluation of `domain` whose top record is `top` (the published one, or a
/// design's text), over the answers in `p`.
pub fn walk_text(p: &Published, domain: &str, top: &str) -> SpfTree {
    let mut w = Walker {
        p,
        tree: SpfTree::default(),
        stack: Vec::new(),
    };
    let d = normalize_name(domain);
    w.record(&d, top);
    w.tree
}

/// Walk the SPF evaluation of the published record of `domain`; `None` when it publishes not
/// exactly one SPF record.
pub fn walk(p: &Published, domain: &str) -> Option<SpfTree> {
    let (_, texts) = spf_texts(p, domain)?;
    match texts.as_slice() {
        [one] => Some(walk_text(p, domain, one)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{RData, Record};
    use crate::resolve::Dnssec;
    use crate::resolve::fetch::rrset_of;

    fn txt(name: &str, text: &str) -> crate::resolve::RRset {
        rrset_of(
            name,
            "TXT",
            Status::Ok,
            Dnssec::Insecure,
            vec![Record::new(name, 300, RData::Txt(vec![text.to_string()]))],
        )
    }

    fn none(name: &str, rtype: &str) -> crate::resolve::RRset {
        rrset_of(name, rtype, Status::Nxdomain, Dnssec::Insecure, vec![])
    }

    #[test]
    fn counts_the_whole_tree_and_asks_what_it_misses() {
        let p = Published::from_rrsets(
            "a.example",
            "_secmx",
            vec![
                txt("a.example", "v=spf1 include:b.example mx -all"),
                txt("b.example", "v=spf1 a:x.b.example include:c.example ~all"),
            ],
            0,
        );
        let t = walk(&p, "a.example").unwrap();
        assert_eq!(t.lookups, 4);
        assert_eq!(
            t.missing,
            vec![
                ("x.b.example".to_string(), "A".to_string()),
                ("c.example".to_string(), "TXT".to_string()),
                ("a.example".to_string(), "MX".to_string()),
            ]
        );
    }

    #[test]
    fn voids_loops_and_the_bound() {
        let p = Published::from_rrsets(
            "a.example",
            "_secmx",
            vec![
                txt(
                    "a.example",
                    "v=spf1 a:n1.example a:n2.example a:n3.example include:a.example -all",
                ),
                none("n1.example", "A"),
                none("n2.example", "A"),
                none("n3.example", "A"),
            ],
            0,
        );
        let t = walk(&p, "a.example").unwrap();
        assert_eq!(t.voids, 3);
        assert!(t.too_many_voids());
        assert!(t.errors.iter().any(|e| e.contains("loop")));
        let many = (0..14)
            .map(|i| format!("include:i{i}.example"))
            .collect::<Vec<_>>()
            .join(" ");
        let p = Published::from_rrsets(
            "a.example",
            "_secmx",
            vec![txt("a.example", &format!("v=spf1 {many} -all"))],
            0,
        );
        let t = walk(&p, "a.example").unwrap();
        assert_eq!(t.lookups, 11, "stops at the 11th term");
        assert!(t.too_many_lookups());
        assert_eq!(t.missing.len(), 10);
    }
}
