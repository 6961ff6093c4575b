//! MTA-STS policy text (RFC 8461 §3.2): a lenient reader that keeps every line so the STS rules can
//! judge it, and the `mx` pattern matching senders apply (§4.1). It is the one reader of policy
//! text: the designed policy and the one fetched over HTTPS (`probe::sts`) both go through it.

/// One `key: value` line of a policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyLine {
    /// 1-based line number.
    pub line: usize,
    /// The key as written (case kept).
    pub key: String,
    /// The value, trimmed.
    pub value: String,
    /// The line as written (without its LF / CRLF), for quoting.
    pub raw: String,
}

/// A policy as written: its lines, and the lines that are not `key: value`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PolicyText {
    /// The `key: value` lines in order.
    pub fields: Vec<PolicyLine>,
    /// Lines without a `:` (1-based number, text).
    pub malformed: Vec<(usize, String)>,
}

impl PolicyText {
    /// Read a policy; LF and CRLF line ends are both accepted (Q8). Never fails.
    pub fn parse(text: &str) -> Self {
        let mut p = PolicyText::default();
        for (i, raw) in text.split('\n').enumerate() {
            let line = raw.strip_suffix('\r').unwrap_or(raw);
            if line.trim().is_empty() {
                continue;
            }
            match line.split_once(':') {
                Some((k, v)) => p.fields.push(PolicyLine {
                    line: i + 1,
                    key: k.trim().to_string(),
                    value: v.trim().to_string(),
                    raw: line.to_string(),
                }),
                None => p.malformed.push((i + 1, line.to_string())),
            }
        }
        p
    }

    /// The first value of a key (senders use the first one, STS-019).
    pub fn first(&self, key: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|f| f.key == key)
            .map(|f| f.value.as_str())
    }

    /// All lines with this key.
    pub fn all<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a PolicyLine> + 'a {
        self.fields.iter().filter(move |f| f.key == key)
    }

    /// The `mx` patterns.
    pub fn mx_patterns(&self) -> Vec<&str> {
        self.all("mx").map(|f| f.value.as_str()).collect()
    }

    /// The mode, if it is one of the three valid spellings.
    pub fn mode(&self) -> Option<super::StsMode> {
        match self.first("mode") {
            Some("enforce") => Some(super::StsMode::Enforce),
            Some("testing") => Some(super::StsMode::Testing),
            Some("none") => Some(super::StsMode::None),
            _ => None,
        }
    }
}

/// Text for quoting in a message: control characters, a byte-order mark and other invisible
/// characters escaped (`\r`, `\u{feff}`), everything else as written.
pub fn escape_controls(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() {
            out.extend(c.escape_debug());
        } else if matches!(c, '\u{feff}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}') {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether an MX host matches a policy `mx` pattern (RFC 8461 §4.1): exact match, or `*.` + suffix
/// matching exactly one whole left-most label. Case-insensitive; a trailing dot on the host is ignored.
pub fn mx_pattern_matches(pattern: &str, host: &str) -> bool {
    let host = host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase();
    let pattern = pattern.trim().to_ascii_lowercase();
    match pattern.strip_prefix("*.") {
        Some(suffix) => match host.split_once('.') {
            Some((first, rest)) => !first.is_empty() && rest == suffix,
            None => false,
        },
        None => host == pattern,
    }
}

fn lower(s: &str) -> std::borrow::Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        std::borrow::Cow::Owned(s.to_ascii_lowercase())
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// The `mx` patterns of a policy as senders match them ([`mx_pattern_matches`], RFC 8461 §4.1),
/// indexed so matching a host is one or two hash look-ups: exact patterns in one map, the suffixes
/// of `*.` patterns in another, each giving back the pattern as written. The one index the STS,
/// XR and SGE rules use; a unit test keeps it in agreement with [`mx_pattern_matches`].
#[derive(Debug, Clone, Default)]
pub struct MxPatterns<'p> {
    exact: rustc_hash::FxHashMap<std::borrow::Cow<'p, str>, &'p str>,
    wild: rustc_hash::FxHashMap<std::borrow::Cow<'p, str>, &'p str>,
}

impl<'p> MxPatterns<'p> {
    /// Index these patterns (the first of equal ones is kept).
    pub fn new(patterns: impl IntoIterator<Item = &'p str>) -> Self {
        let mut idx = MxPatterns::default();
        for p in patterns {
            let trimmed = p.trim();
            match trimmed.strip_prefix("*.") {
                Some(suffix) => {
                    idx.wild.entry(lower(suffix)).or_insert(p);
                }
                None => {
                    idx.exact.entry(lower(trimmed)).or_insert(p);
                }
            }
        }
        idx
    }

    /// The pattern (as written) matching `host`, if any.
    pub fn matching(&self, host: &str) -> Option<&'p str> {
        let h = lower(host.strip_suffix('.').unwrap_or(host));
        if let Some(p) = self.exact.get(h.as_ref()) {
            return Some(p);
        }
        match h.split_once('.') {
            Some((first, rest)) if !first.is_empty() => self.wild.get(rest).copied(),
            _ => None,
        }
    }

    /// Whether some pattern matches `host`.
    pub fn matches(&self, host: &str) -> bool {
        self.matching(host).is_some()
    }

    /// For a host no pattern matches: the pattern a naive suffix reading would take as covering it —
    /// `*.S` read as "S and everything below it", or a bare `S` read as "S and its sub-domains".
    pub fn naive_match(&self, host: &str) -> Option<String> {
        let host = lower(host.strip_suffix('.').unwrap_or(host));
        if self.wild.contains_key(host.as_ref()) {
            return Some(format!("*.{host}"));
        }
        let mut rest = host.as_ref();
        while let Some((_, tail)) = rest.split_once('.') {
            if tail.is_empty() {
                break;
            }
            if self.wild.contains_key(tail) {
                return Some(format!("*.{tail}"));
            }
            if self.exact.contains_key(tail) {
                return Some(tail.to_string());
            }
            rest = tail;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pattern_index_agrees_with_the_matcher() {
        let patterns = [
            "mx1.agency.example",
            "*.b.example",
            "*.com",
            "MX2.Agency.Example",
        ];
        let idx = MxPatterns::new(patterns);
        for host in [
            "mx1.agency.example",
            "MX1.agency.example.",
            "x.b.example",
            "b.example",
            "a.x.b.example",
            "example.com",
            "a.example.com",
            "mx2.agency.example",
            ".b.example",
        ] {
            let by_scan = patterns
                .iter()
                .find(|p| mx_pattern_matches(p, host))
                .copied();
            assert_eq!(idx.matching(host), by_scan, "{host}");
        }
        assert_eq!(
            idx.naive_match("a.x.b.example").as_deref(),
            Some("*.b.example")
        );
    }

    #[test]
    fn parses_lf_and_crlf() {
        let p = PolicyText::parse(
            "version: STSv1\r\nmode: enforce\nmx: mx1.agency.example\r\nmax_age: 604800\r\n",
        );
        assert_eq!(p.first("version"), Some("STSv1"));
        assert_eq!(p.mode(), Some(crate::model::StsMode::Enforce));
        assert_eq!(p.mx_patterns(), vec!["mx1.agency.example"]);
        assert!(p.malformed.is_empty());
        let p = PolicyText::parse("version STSv1\n");
        assert_eq!(p.malformed, vec![(1, "version STSv1".to_string())]);
    }

    #[test]
    fn escapes_controls_only() {
        assert_eq!(escape_controls("mode: [testing] "), "mode: [testing] ");
        assert_eq!(
            escape_controls("\u{feff}version:\tSTSv1\r"),
            "\\u{feff}version:\\tSTSv1\\r"
        );
    }

    #[test]
    fn wildcard_matches_one_label_only() {
        // RFC 8461 §4.1: the wildcard is exactly one left-most label, whatever the suffix.
        assert!(mx_pattern_matches("*.com", "example.com"));
        assert!(!mx_pattern_matches("*.com", "a.example.com"));
        assert!(mx_pattern_matches("*.agency.example", "mx1.agency.example"));
        assert!(mx_pattern_matches(
            "*.agency.example",
            "MX1.Agency.Example."
        ));
        assert!(!mx_pattern_matches("*.agency.example", "agency.example"));
        assert!(!mx_pattern_matches(
            "*.agency.example",
            "a.b.agency.example"
        ));
        assert!(mx_pattern_matches(
            "mx1.agency.example",
            "mx1.agency.example"
        ));
        assert!(!mx_pattern_matches(
            "mx1.agency.example",
            "mx2.agency.example"
        ));
    }
}
