//! The names a relay gives itself and the names DNS gives it (PROBE-004), and the pre-TLS `VRFY`
//! of a Secure Only Receiver (PROBE-014).
//!
//! PROBE-004 records the banner host name (first word after `220 ` of the greeting), the EHLO host
//! name (first word of the first EHLO reply line), the PTR names of the probed address (looked up
//! through the run's own resolver settings, see [`crate::resolve::reverse_names`]) and the relay name
//! DNS publishes, and compares them case- and trailing-dot-insensitively. A mismatch, or a missing
//! PTR, is informational only.

use super::ProbeTarget;
use super::report::{ProbeReport, Problem};
use crate::model::Severity;
use crate::resolve::{Resolver, Status};
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

/// What the reverse lookup of the probed address found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum PtrLookup {
    /// The PTR names (lower case, fully qualified, sorted).
    Names(Vec<String>),
    /// No names: `nxdomain` / `nodata` (no PTR published), or why the lookup failed (`servfail`,
    /// `refused`, `timeout`, `error`).
    Status(String),
}

impl PtrLookup {
    /// From the result of [`crate::resolve::reverse_names`].
    pub fn from_result(r: Result<Vec<String>, Status>) -> Self {
        match r {
            Ok(names) => PtrLookup::Names(names),
            Err(s) => PtrLookup::Status(s.as_str().to_string()),
        }
    }
}

/// The names of one probed address (the report's `names` object).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Names {
    /// First word of the greeting after `220 `.
    #[serde(default)]
    pub banner: Option<String>,
    /// First word of the first line of the EHLO reply.
    #[serde(default)]
    pub ehlo: Option<String>,
    /// The PTR names of the address, or the lookup status; `null` when nobody looked.
    #[serde(default)]
    pub ptr: Option<PtrLookup>,
    /// The relay name DNS publishes (MX exchange, SRV target, or what `secmx probe` was given).
    #[serde(default)]
    pub relay: String,
}

/// The longest name kept from a reply (a DNS name has at most 253 characters).
const MAX_NAME: usize = 255;

/// The first word of a reply line, bounded in length; `None` for an empty line.
pub fn first_word(text: &str) -> Option<String> {
    let w = text.split_whitespace().next()?;
    Some(w.chars().take(MAX_NAME).collect())
}

/// Fills the report's names from the target (relay, PTR) and the greeting already recorded; the
/// EHLO name is set by the dialogue when the EHLO reply arrives.
pub fn record(target: &ProbeTarget, r: &mut ProbeReport) {
    r.names.relay = target.host.clone();
    r.names.ptr = target.ptr.clone();
    r.names.banner = r.banner.as_deref().and_then(first_word);
}

/// Looks up the PTR names of every target's address (each address once, concurrently) through
/// `resolver` and stores them in the targets.
pub async fn lookup_ptrs(resolver: &Resolver, targets: &mut [ProbeTarget]) {
    let mut addrs: Vec<IpAddr> = targets.iter().map(|t| t.address).collect();
    addrs.sort();
    addrs.dedup();
    let mut set = tokio::task::JoinSet::new();
    for a in addrs {
        let resolver = resolver.clone();
        set.spawn(async move { (a, crate::resolve::reverse_names(&resolver, a).await) });
    }
    while let Some(done) = set.join_next().await {
        let Ok((a, result)) = done else {
            continue;
        };
        let lookup = PtrLookup::from_result(result);
        for t in targets.iter_mut().filter(|t| t.address == a) {
            t.ptr = Some(lookup.clone());
        }
    }
}

fn norm(n: &str) -> String {
    n.trim_end_matches('.').to_ascii_lowercase()
}

fn is_ip_literal(n: &str) -> bool {
    n.trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<IpAddr>()
        .is_ok()
}

/// PROBE-004 (info) and PROBE-014 (warning) from the recorded facts.
pub fn judge(r: &ProbeReport) -> Vec<Problem> {
    let mut out = judge_names(&r.names, r.address);
    out.extend(judge_vrfy(r));
    out
}

/// PROBE-004: every name the relay and DNS give the address, compared.
pub fn judge_names(n: &Names, address: IpAddr) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut own: Vec<(&str, String)> = Vec::new();
    if let Some(b) = &n.banner {
        own.push(("banner", norm(b)));
    }
    if let Some(e) = &n.ehlo {
        own.push(("EHLO", norm(e)));
    }
    if !n.relay.is_empty() && !is_ip_literal(&n.relay) {
        own.push(("relay", norm(&n.relay)));
    }
    let ptr: Option<Vec<String>> = match &n.ptr {
        Some(PtrLookup::Names(v)) => Some(v.iter().map(|p| norm(p)).collect()),
        _ => None,
    };
    let mut distinct: Vec<&String> = own.iter().map(|(_, v)| v).collect();
    distinct.sort();
    distinct.dedup();
    let ptr_differs = match (&ptr, distinct.as_slice()) {
        (Some(p), [one]) => !p.contains(one),
        _ => false,
    };
    if distinct.len() > 1 || ptr_differs {
        let mut parts: Vec<String> = own.iter().map(|(k, v)| format!("{k} {v}")).collect();
        if let Some(p) = &ptr {
            parts.push(format!("PTR {}", p.join(" ")));
        }
        out.push(Problem {
            rule: "PROBE-004",
            severity: Severity::Info,
            message: format!("host names differ: {}", parts.join(", ")),
        });
    }
    if let Some(PtrLookup::Status(s)) = &n.ptr {
        let message = if s == "nxdomain" || s == "nodata" {
            format!("no PTR for {address} ({s})")
        } else {
            format!("the PTR lookup for {address} failed ({s})")
        };
        out.push(Problem {
            rule: "PROBE-004",
            severity: Severity::Info,
            message,
        });
    }
    out
}

/// PROBE-014: an SOR answers the pre-TLS `VRFY postmaster` with a refusal (530 preferred). The probe
/// never sends `RCPT` or `DATA` (they could start a delivery), so `VRFY` stands for the commands an
/// SOR must refuse before TLS.
pub fn judge_vrfy(r: &ProbeReport) -> Vec<Problem> {
    if r.role != crate::model::Role::Sor {
        return vec![];
    }
    let message = match r.pretls_vrfy {
        None | Some(400..=599) => return vec![],
        Some(c @ 200..=299) => format!(
            "VRFY answered {c} before TLS: an SOR should refuse everything but EHLO, NOOP, RSET, \
             STARTTLS and QUIT in clear (530 5.7.0); RCPT and DATA are not tested, the probe never sends them"
        ),
        Some(c) => format!("VRFY answered {c} before TLS instead of a refusal (530 5.7.0)"),
    };
    vec![Problem {
        rule: "PROBE-014",
        severity: Severity::Warning,
        message,
    }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Role;

    fn names(banner: &str, ehlo: &str, ptr: Option<PtrLookup>, relay: &str) -> Names {
        Names {
            banner: Some(banner.into()),
            ehlo: Some(ehlo.into()),
            ptr,
            relay: relay.into(),
        }
    }

    fn addr() -> IpAddr {
        "198.51.100.10".parse().unwrap()
    }

    #[test]
    fn probe_004_fail_ptr_of_the_isp_differs_from_the_banner() {
        // rules.md Fail: PTR `host-198-51-100-10.isp.example`, banner `mx1.agency.example`
        let n = names(
            "mx1.agency.example",
            "mx1.agency.example",
            Some(PtrLookup::Names(vec![
                "host-198-51-100-10.isp.example.".into(),
            ])),
            "mx1.agency.example",
        );
        let p = judge_names(&n, addr());
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].rule, "PROBE-004");
        assert_eq!(p[0].severity, Severity::Info);
        assert!(
            p[0].message.contains("host-198-51-100-10.isp.example"),
            "{}",
            p[0].message
        );
        assert!(p[0].message.contains("banner mx1.agency.example"));
    }

    #[test]
    fn probe_004_pass_all_names_agree_whatever_case_and_final_dot() {
        // rules.md Pass: PTR, banner and MX name all `mx1.agency.example`
        let n = names(
            "MX1.Agency.Example",
            "mx1.agency.example.",
            Some(PtrLookup::Names(vec![
                "mx1.agency.example.".into(),
                "other.example.".into(),
            ])),
            "mx1.agency.example",
        );
        assert!(judge_names(&n, addr()).is_empty());
    }

    #[test]
    fn probe_004_banner_and_ehlo_differ_from_the_relay_name() {
        let n = names("mx.probe.test", "mx.probe.test", None, "relay.probe.test");
        let p = judge_names(&n, addr());
        assert_eq!(p.len(), 1);
        assert!(p[0].message.contains("relay relay.probe.test"));
        // an IP literal as the relay name is not compared
        let n = names("mx.probe.test", "mx.probe.test", None, "127.0.0.1");
        assert!(judge_names(&n, addr()).is_empty());
    }

    #[test]
    fn probe_004_no_ptr_and_failed_lookup_are_info() {
        let n = names(
            "mx1.agency.example",
            "mx1.agency.example",
            Some(PtrLookup::Status("nxdomain".into())),
            "mx1.agency.example",
        );
        let p = judge_names(&n, addr());
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].severity, Severity::Info);
        assert!(p[0].message.starts_with("no PTR for 198.51.100.10"));
        let n = Names {
            ptr: Some(PtrLookup::Status("timeout".into())),
            ..Names::default()
        };
        assert!(
            judge_names(&n, addr())[0]
                .message
                .contains("failed (timeout)")
        );
    }

    #[test]
    fn names_json_has_ptr_as_list_or_status() {
        let n = names(
            "a.example",
            "a.example",
            Some(PtrLookup::Names(vec!["a.example.".into()])),
            "a.example",
        );
        let v = serde_json::to_value(&n).unwrap();
        assert_eq!(v["ptr"][0], "a.example.");
        let back: Names = serde_json::from_value(v).unwrap();
        assert_eq!(back, n);
        let v = serde_json::to_value(PtrLookup::Status("nxdomain".into())).unwrap();
        assert_eq!(v, "nxdomain");
        let empty: Names = serde_json::from_str("{}").unwrap();
        assert_eq!(empty, Names::default());
    }

    #[test]
    fn first_word_of_a_reply_line() {
        assert_eq!(
            first_word("mx1.agency.example ESMTP Postfix").as_deref(),
            Some("mx1.agency.example")
        );
        assert_eq!(first_word("   "), None);
        assert_eq!(first_word(&"x".repeat(5000)).unwrap().len(), MAX_NAME);
    }

    fn sor(code: Option<u16>, role: Role) -> ProbeReport {
        let t = ProbeTarget::new("sor1.agency.example", addr(), 25, role);
        let mut r = ProbeReport::new(&t);
        r.pretls_vrfy = code;
        r
    }

    #[test]
    fn probe_014_fail_vrfy_252_before_tls() {
        // rules.md Fail: pre-TLS `VRFY postmaster` → `252 …`
        let p = judge_vrfy(&sor(Some(252), Role::Sor));
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].rule, "PROBE-014");
        assert_eq!(p[0].severity, Severity::Warning);
        assert!(p[0].message.contains("252"));
        assert!(p[0].message.contains("never sends"));
        assert_eq!(judge_vrfy(&sor(Some(250), Role::Sor)).len(), 1);
    }

    #[test]
    fn probe_014_pass_vrfy_530_before_tls() {
        // rules.md Pass: pre-TLS `VRFY` → `530 5.7.0 …`
        assert!(judge_vrfy(&sor(Some(530), Role::Sor)).is_empty());
        assert!(judge_vrfy(&sor(Some(502), Role::Sor)).is_empty());
        assert!(judge_vrfy(&sor(None, Role::Sor)).is_empty());
        // a BER is not asked
        assert!(judge_vrfy(&sor(Some(252), Role::Ber)).is_empty());
    }
}
