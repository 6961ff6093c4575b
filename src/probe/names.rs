//! The names a relay gives itself and the names DNS gives it (PROBE-004), and the pre-TLS `VRFY`
//! of a Secure Only Receiver (PROBE-014).
//!
//! PROBE-004 records the banner host name (first word after `220 ` of the greeting), the EHLO host
//! name (first word of the first EHLO reply line), the PTR names of the probed address (looked up
//! through the run's own resolver settings, see [`crate::resolve::reverse_names`]) and the relay name
//! DNS publishes, and compares them case- and trailing-dot-insensitively. A mismatch, or a missing
//! PTR, is informational only.

use super::ProbeTarget;
use super::report::ProbeReport;
pub use crate::model::probe_facts::names::{Names, PtrLookup};
use crate::resolve::Resolver;
use std::net::IpAddr;

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

#[cfg(test)]
mod tests {
    use super::*;

    fn names(banner: &str, ehlo: &str, ptr: Option<PtrLookup>, relay: &str) -> Names {
        Names {
            banner: Some(banner.into()),
            ehlo: Some(ehlo.into()),
            ptr,
            relay: relay.into(),
        }
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
}
