//! Domain names: the validated mail domain and the normalisation applied to every host name.
//!
//! Host names are only *normalised* here (trimmed, lower case, final dot removed, U-labels turned into
//! A-labels when they are valid IDNA); whether a name is a valid host name is for the NAME rules to
//! judge, so that one bad relay shows up as a finding instead of stopping the whole design from
//! loading. The mail domain itself is different: everything hangs off it, so it must be valid.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Why a mail domain name was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    /// The name is empty (or only a dot).
    #[error("the domain name is empty")]
    Empty,
    /// A label is empty (`a..b`), longer than 63 octets, or the name is longer than 253 characters.
    #[error("{0}")]
    Length(String),
    /// IDNA conversion failed.
    #[error("`{0}` is not a valid internationalised domain name")]
    Idna(String),
    /// A character that is not a letter, digit or hyphen.
    #[error(
        "`{name}`: label `{label}` may hold only letters, digits and hyphens, and may not start or end with a hyphen"
    )]
    Ldh {
        /// The whole name.
        name: String,
        /// The offending label.
        label: String,
    },
    /// Only one label (`localhost`): a mail domain needs at least two.
    #[error("`{0}` is a single label; a mail domain has at least two (e.g. `agency.example`)")]
    SingleLabel(String),
}

/// The mail domain of a design: valid LDH host name in A-label form, lower case, no trailing dot.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DomainName(String);

impl DomainName {
    /// Parse a mail domain; U-labels are accepted and stored as A-labels.
    pub fn parse(input: &str) -> Result<Self, NameError> {
        let trimmed = input.trim();
        let trimmed = trimmed.strip_suffix('.').unwrap_or(trimmed);
        if trimmed.is_empty() {
            return Err(NameError::Empty);
        }
        if trimmed.len() > 253 {
            return Err(NameError::Length(format!(
                "the domain name is {} characters long; at most 253 fit in DNS",
                trimmed.len()
            )));
        }
        let ascii = to_a_label(trimmed).ok_or_else(|| NameError::Idna(trimmed.to_string()))?;
        if ascii.len() > 253 {
            return Err(NameError::Length(format!(
                "`{trimmed}` is {} characters long in A-label form; at most 253 fit in DNS",
                ascii.len()
            )));
        }
        let labels: Vec<&str> = ascii.split('.').collect();
        for label in &labels {
            if label.is_empty() {
                return Err(NameError::Length(format!("`{ascii}` has an empty label")));
            }
            if label.len() > 63 {
                return Err(NameError::Length(format!(
                    "label `{}…` of `{ascii}` is {} octets long; at most 63 are allowed",
                    &label[..20],
                    label.len()
                )));
            }
            if !is_ldh_label(label) {
                return Err(NameError::Ldh {
                    name: ascii.clone(),
                    label: (*label).to_string(),
                });
            }
        }
        if labels.len() < 2 {
            return Err(NameError::SingleLabel(ascii));
        }
        Ok(DomainName(ascii))
    }

    /// The A-label form, no trailing dot.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The Unicode form for display (equal to [`as_str`](Self::as_str) for ASCII names).
    pub fn to_unicode(&self) -> String {
        let (u, res) = idna::domain_to_unicode(&self.0);
        if res.is_ok() { u } else { self.0.clone() }
    }

    /// The absolute form with a trailing dot, as in zone files.
    pub fn fqdn(&self) -> String {
        format!("{}.", self.0)
    }
}

impl fmt::Display for DomainName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for DomainName {
    type Error = NameError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        DomainName::parse(&s)
    }
}

impl From<DomainName> for String {
    fn from(d: DomainName) -> String {
        d.0
    }
}

/// Whether a label is an LDH label: letters, digits, hyphens; no leading or trailing hyphen.
pub fn is_ldh_label(label: &str) -> bool {
    !label.is_empty()
        && label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !label.starts_with('-')
        && !label.ends_with('-')
}

/// Why a DKIM selector (RFC 6376 §3.1) cannot be used, or `None` when it is fine. A selector is one
/// or more LDH labels (`s1`, `2026.mail`); `<selector>._domainkey.<domain>` must fit in 253
/// characters. Expects the normalised form (trimmed, lower case).
pub fn dkim_selector_error(selector: &str, domain: &str) -> Option<String> {
    if selector.is_empty() {
        return Some("a DKIM selector is empty".into());
    }
    for label in selector.split('.') {
        if label.len() > 63 {
            return Some(format!(
                "DKIM selector `{selector}`: a label is {} octets long; at most 63 are allowed",
                label.len()
            ));
        }
        if !is_ldh_label(label) {
            return Some(format!(
                "DKIM selector `{selector}` is not a DNS name: each label holds only letters, digits and hyphens (not at its start or end), e.g. `s1` or `2026.mail`"
            ));
        }
    }
    let full = selector.len() + "._domainkey.".len() + domain.len();
    if full > 253 {
        return Some(format!(
            "DKIM selector `{selector}`: `{selector}._domainkey.{domain}` is {full} characters long; at most 253 fit in DNS"
        ));
    }
    None
}

/// Convert a name to its A-label form (lower case), or `None` when it is not valid IDNA.
///
/// Pure-ASCII names are only lower-cased, so that underscores and other characters the NAME rules
/// judge survive unchanged.
pub fn to_a_label(name: &str) -> Option<String> {
    if name.is_ascii() {
        return Some(name.to_ascii_lowercase());
    }
    idna::domain_to_ascii(name).ok()
}

/// Normalise a host name as written by a user or read from a zone: trim, drop one final dot, lower
/// case, and turn U-labels into A-labels when that succeeds (otherwise the raw text is kept so NAME-006
/// reports it).
pub fn normalize_name(input: &str) -> String {
    let t = input.trim();
    let t = t.strip_suffix('.').unwrap_or(t);
    to_a_label(t).unwrap_or_else(|| t.to_lowercase())
}

/// Whether `name` equals `domain` or lies below it (both normalised, no trailing dots).
pub fn is_in_domain(name: &str, domain: &str) -> bool {
    name == domain
        || (name.len() > domain.len()
            && name.ends_with(domain)
            && name.as_bytes()[name.len() - domain.len() - 1] == b'.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn u_label_domain_is_stored_as_a_label() {
        let d = DomainName::parse("pōhi.example").unwrap();
        assert_eq!(d.as_str(), "xn--phi-qxa.example");
        assert_eq!(d.to_unicode(), "pōhi.example");
    }

    #[test]
    fn domain_errors_are_precise() {
        assert_eq!(DomainName::parse(" "), Err(NameError::Empty));
        assert!(matches!(
            DomainName::parse("localhost"),
            Err(NameError::SingleLabel(_))
        ));
        assert!(matches!(
            DomainName::parse("a_b.example"),
            Err(NameError::Ldh { .. })
        ));
        let long = format!("{}.example", "a".repeat(64));
        assert!(matches!(
            DomainName::parse(&long),
            Err(NameError::Length(_))
        ));
        let very_long = "a.".repeat(150) + "example";
        assert!(matches!(
            DomainName::parse(&very_long),
            Err(NameError::Length(_))
        ));
    }

    #[test]
    fn normalize_keeps_what_rules_judge() {
        assert_eq!(normalize_name("MX1.Agency.Example."), "mx1.agency.example");
        assert_eq!(normalize_name("_sor.agency.example"), "_sor.agency.example");
        assert_eq!(
            normalize_name("pōhi.agency.example"),
            "xn--phi-qxa.agency.example"
        );
    }

    #[test]
    fn in_domain() {
        assert!(is_in_domain("mx1.agency.example", "agency.example"));
        assert!(is_in_domain("agency.example", "agency.example"));
        assert!(!is_in_domain("xagency.example", "agency.example"));
        assert!(!is_in_domain("example", "agency.example"));
    }
}
