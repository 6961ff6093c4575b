//! Settings ▸ Test resolver: the resolver, trust anchor and timeout a Look up would use, asked for
//! the DNSKEY RRset at the top of the chain of trust — the root with the built-in anchors, the
//! anchor's own zone with a trust anchor file — and whether the answer validated.

use super::{NetSettings, resolve_settings};
use crate::resolve::keys::KeyAnswer;
use crate::resolve::{Dnssec, Resolver, Status};
use std::path::Path;
use std::time::Instant;

/// The zone a trust anchor file is for: the owner of its first DNSKEY or DS line; the root when
/// there is no file (the built-in root anchors) or no such line.
pub fn anchor_zone(path: Option<&Path>) -> String {
    let text = path
        .and_then(|p| std::fs::read_to_string(p).ok())
        .unwrap_or_default();
    text.lines()
        .map(|l| l.split(';').next().unwrap_or(""))
        .find_map(|l| {
            let tokens: Vec<&str> = l.split_whitespace().collect();
            let is_key = tokens
                .iter()
                .any(|t| t.eq_ignore_ascii_case("DNSKEY") || t.eq_ignore_ascii_case("DS"));
            tokens.first().filter(|_| is_key).map(|t| t.to_string())
        })
        .unwrap_or_else(|| ".".to_string())
}

/// Ask the resolver; a setting that does not work (a resolver that is not IP:PORT, an unreadable
/// anchor) is an answer with status `error` and the reason.
pub async fn test_resolver(settings: &NetSettings) -> KeyAnswer {
    let start = Instant::now();
    let zone = crate::resolve::fqdn(&anchor_zone(settings.trust_anchor.as_deref()));
    let setup = match resolve_settings(settings) {
        Ok(s) => Resolver::new(&s).await.map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    };
    let mut answer = match setup {
        Ok(resolver) => resolver.dnskeys(&zone).await,
        Err(detail) => KeyAnswer {
            zone,
            keys: Vec::new(),
            ttl: None,
            dnssec: Dnssec::Indeterminate,
            status: Status::Error,
            detail: Some(detail),
            ms: 0.0,
        },
    };
    // The whole test: with a DS anchor the keys are fetched once before the question.
    answer.ms = (start.elapsed().as_secs_f64() * 100_000.0).round() / 100.0;
    answer
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_anchor_names_the_zone_else_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("k.key");
        std::fs::write(
            &f,
            "; a comment DNSKEY\n$TTL 3600\ntest. IN DNSKEY 257 3 13 AAAA\n",
        )
        .unwrap();
        assert_eq!(anchor_zone(Some(&f)), "test.");
        assert_eq!(anchor_zone(None), ".");
        assert_eq!(anchor_zone(Some(&dir.path().join("missing"))), ".");
    }
}
