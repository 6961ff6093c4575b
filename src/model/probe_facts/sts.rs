//! The facts of an MTA-STS policy fetch (the fetch runs in `crate::probe::sts`).

use super::report::Problem;
use super::tls::Pkix;
use crate::model::sts::{PolicyText, mx_pattern_matches};
use serde::Serialize;

/// The fields of a policy a sender uses (first occurrence of each, all `mx` lines), read by the one
/// policy reader, [`PolicyText`]; shown in the report also when the policy is invalid.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Policy {
    /// `version`.
    pub version: Option<String>,
    /// `mode` (`enforce` / `testing` / `none`).
    pub mode: Option<String>,
    /// `max_age` in seconds.
    pub max_age: Option<u64>,
    /// `mx` patterns.
    pub mx: Vec<String>,
}

impl Policy {
    /// The fields of a policy text (LF or CRLF), as [`PolicyText`] reads them.
    pub fn parse(text: &str) -> Policy {
        Policy::of(&PolicyText::parse(text))
    }

    /// The fields of a policy already read.
    pub fn of(p: &PolicyText) -> Policy {
        Policy {
            version: p.first("version").map(String::from),
            mode: p.first("mode").map(String::from),
            max_age: p.first("max_age").and_then(|v| v.parse().ok()),
            mx: p.mx_patterns().into_iter().map(String::from).collect(),
        }
    }

    /// Does an MX host match one of the `mx` patterns (RFC 8461 §4.1)?
    pub fn covers(&self, host: &str) -> bool {
        self.mx.iter().any(|m| mx_pattern_matches(m, host))
    }
}

/// The outcome of one policy fetch: facts (what the server answered), and the verdict the STS
/// rules put on them (`problems`, `valid`, `invalid_because`; `rules::sts_fetch::judge`).
#[derive(Debug, Clone, Serialize)]
pub struct PolicyFetch {
    /// The URL fetched.
    pub url: String,
    /// HTTP status.
    pub status: Option<u16>,
    /// `Content-Type`.
    pub content_type: Option<String>,
    /// `Location` of a redirect.
    pub location: Option<String>,
    /// Body bytes read.
    pub bytes: usize,
    /// Milliseconds for the whole fetch.
    pub elapsed_ms: u64,
    /// PKIX verdict for `mta-sts.<domain>`.
    pub pkix: Option<Pkix>,
    /// PKIX error text.
    pub pkix_error: Option<String>,
    /// Transport error (no connection, TLS failure, timeout).
    pub error: Option<String>,
    /// The policy as read (also when a rule failed, so the report can show it).
    pub policy: Option<Policy>,
    /// The policy body as read (UTF-8, invalid bytes replaced), for the STS policy-text rules.
    #[serde(skip)]
    pub text: Option<String>,
    /// The largest body the fetch read (64 KiB unless configured).
    #[serde(skip)]
    pub max_body: usize,
    /// STS-007…010 findings (set by the rules).
    pub problems: Vec<Problem>,
    /// Would a sender following RFC 8461 use this policy (set by the rules)?
    pub valid: bool,
    /// Why not, quoting the offending line or header.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invalid_because: Option<String>,
}

impl PolicyFetch {
    /// A fetch of `url` that found nothing yet.
    pub fn new(url: impl Into<String>) -> Self {
        PolicyFetch {
            url: url.into(),
            status: None,
            content_type: None,
            location: None,
            bytes: 0,
            elapsed_ms: 0,
            pkix: None,
            pkix_error: None,
            error: None,
            policy: None,
            text: None,
            max_body: 64 * 1024,
            problems: vec![],
            valid: false,
            invalid_because: None,
        }
    }

    /// True when a sender would have accepted the fetch and the policy (as judged by the rules).
    pub fn usable(&self) -> bool {
        self.valid && self.policy.is_some()
    }

    /// The mode senders apply: that of a usable policy, else none.
    pub fn active_mode(&self) -> Option<&str> {
        self.policy
            .as_ref()
            .filter(|_| self.usable())
            .and_then(|p| p.mode.as_deref())
    }
}
