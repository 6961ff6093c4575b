//! Reverse lookups (PTR) of relay addresses, asked of the same resolver as every other question
//! (the system resolver or `--resolver IP:PORT`): a PTR lookup is a DNS query, never a connection to
//! anything else. PROBE-004 compares the names with the relay's banner and EHLO names.

use super::{ResolveError, Resolver, Settings, Status};
use hickory_resolver::proto::rr::{Name, RecordType};
use std::net::IpAddr;

/// A resolver for PTR lookups: the same nameserver, timeout and concurrency as `settings`, without
/// DNSSEC validation. The names are informational (PROBE-004) and reverse zones are often delegated
/// outside the chain the trust anchor covers; a validating resolver would turn those answers into
/// SERVFAIL and hide the names.
pub async fn ptr_resolver(settings: &Settings) -> Result<Resolver, ResolveError> {
    Resolver::new(&Settings {
        validate: false,
        trust_anchor: None,
        ..settings.clone()
    })
    .await
}

/// The reverse name of an address (`1.0.0.127.in-addr.arpa.`, nibbles under `ip6.arpa.`).
pub fn reverse_name(ip: IpAddr) -> String {
    Name::from(ip).to_ascii()
}

/// The PTR names of `ip` (lower case, fully qualified, sorted), or why there are none: `nxdomain`
/// and `nodata` are answers (no PTR published), the other statuses are failures of the lookup.
/// Addresses in 127.0.0.0/8 and `::1` get `localhost.` from hickory itself (RFC 6761 §6.3), without
/// a query.
pub async fn reverse_names(resolver: &Resolver, ip: IpAddr) -> Result<Vec<String>, Status> {
    let set = resolver
        .query(&reverse_name(ip), RecordType::PTR, &super::discard())
        .await;
    if set.status != Status::Ok {
        return Err(set.status);
    }
    let mut names: Vec<String> = set
        .records
        .iter()
        .map(|r| super::fqdn(r.trim()))
        .filter(|n| n != ".")
        .collect();
    names.sort();
    names.dedup();
    if names.is_empty() {
        return Err(Status::Nodata);
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reverse_names_of_both_families() {
        assert_eq!(
            reverse_name("127.0.0.1".parse().unwrap()),
            "1.0.0.127.in-addr.arpa."
        );
        let v6 = reverse_name("2001:db8::25".parse().unwrap());
        assert!(v6.starts_with("5.2.0.0.0.0"), "{v6}");
        assert!(v6.ends_with(".8.b.d.0.1.0.0.2.ip6.arpa."), "{v6}");
    }
}
