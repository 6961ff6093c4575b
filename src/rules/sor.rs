//! SOR rules (the catalogue: `rules::catalogue`, `secmx explain`). Each rule's Fail/Pass examples are its unit tests below.

use super::xr::{FastMap, FastSet};
use super::{Finding, Needs, Raise, Rule, Severity};
use crate::model::{Record, Role};
use std::net::IpAddr;

/// The rules of this group, in catalogue order.
pub const RULES: &[Rule] = &[
    Rule::new(
        "SOR-001",
        Severity::Error,
        "A host published as an SOR must not appear as an exchange in the domain's MX RRset.",
        sor_001,
    ),
    Rule::new(
        "SOR-002",
        Severity::Error,
        "An SOR must not be the implicit MX: when the domain has no MX, its own A/AAAA host is publicly referenced, so the SRV target may not be the domain itself or share its addresses on port 25.",
        sor_002,
    ),
    Rule::new(
        "SOR-003",
        Severity::Error,
        "An SOR listener (address + SRV port) must not be the same socket as any MX host on port 25: one listener cannot both demand and not demand TLS for the same unauthenticated client.",
        sor_003,
    ),
    Rule::new(
        "SOR-004",
        Severity::Warning,
        "A Level 2 domain should still keep at least one BER in MX so that senders unaware of SecMX can deliver; a domain that deliberately accepts only secure mail must be declared as such in the tool.",
        sor_004,
    ),
    Rule::new(
        "SOR-005",
        Severity::Warning,
        "The SecMX SRV RRset is DNSSEC-signed (validates \"secure\"), otherwise a DNS attacker can redirect secure mail to a spoofed SOR.",
        super::live::sor_005,
    )
    .raise(Raise::L2)
    .needs(Needs::Dns),
    Rule::new(
        "SOR-006",
        Severity::Error,
        "Every host listed under the SecMX SRV label offers TLS (is an SOR or a BER); a target that only speaks plaintext defeats Level 2.",
        super::live_probe::sor_006,
    )
    .needs(Needs::Probe),
    Rule::new(
        "SOR-007",
        Severity::Info,
        "The tool's sender simulation follows SecMX: SecMX SRV targets first (priority/weight order), then MX hosts that prove to be BERs; a simulated SOS bounces when none completes TLS, a simulated BES falls back to plaintext MX delivery.",
        super::live_probe::sor_007,
    )
    .needs(Needs::Probe),
];

/// The MX exchanges of the domain (null MX left out), deduplicated, with the first record naming each.
fn mx_exchanges<'a>(input: &crate::rules::Facts<'a>) -> FastMap<&'a str, &'a Record> {
    let mut map = FastMap::default();
    for (rec, _, exchange) in input.records.mx_of(input.domain) {
        if !exchange.is_empty() {
            map.entry(exchange).or_insert(rec);
        }
    }
    map
}

/// The SecMX SRV records of the domain with a real target: (record, port, target).
fn srv_targets<'a>(input: &crate::rules::Facts<'a>) -> Vec<(&'a Record, i64, &'a str)> {
    input
        .records
        .srv_at(&input.srv_owner())
        .filter(|(_, _, _, _, target)| !target.is_empty())
        .map(|(rec, _, _, port, target)| (rec, port, target))
        .collect()
}

/// SOR-001: a host the design gives role SOR is listed as an MX exchange.
fn sor_001(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    if !input.relays.iter().any(|r| r.role == Role::Sor) {
        return;
    }
    let mx = mx_exchanges(input);
    if mx.is_empty() {
        return;
    }
    let mut reported = FastSet::default();
    for relay in input.relays.iter().filter(|r| r.role == Role::Sor) {
        let host = relay.host.as_str();
        if let Some(rec) = mx.get(host)
            && reported.insert(host)
        {
            out.push(
                rule.finding(
                    input,
                    host,
                    format!(
                        "{host} is a Secure Only Receiver (it refuses mail without TLS) but is listed in the MX RRset of {}; senders unaware of SecMX deliver to MX hosts without TLS and are refused (RFC 3207 §4).",
                        input.domain
                    ),
                    format!(
                        "Remove {host} from the MX records of {} and publish it only under {}; list a Best Effort Receiver in MX instead.",
                        input.domain,
                        input.srv_owner()
                    ),
                )
                .at(rec.origin),
            );
        }
    }
}

/// SOR-002: no MX at all, and a port-25 SecMX SRV target is the domain itself or shares its address.
fn sor_002(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let domain = input.domain;
    if input.records.at(domain, "MX").next().is_some() {
        return;
    }
    let apex: FastSet<IpAddr> = input.records.addresses_of(domain).collect();
    let mut seen = FastSet::default();
    for (rec, port, target) in srv_targets(input) {
        if port != 25 || !seen.insert(target) {
            continue;
        }
        let problem = if target == domain {
            Some(format!(
                "The SecMX SRV target {target} (port 25) is the mail domain itself. {domain} has no MX, so senders fall back to its own address on port 25 (the implicit MX); that listener must accept mail without TLS and cannot be a Secure Only Receiver."
            ))
        } else {
            input
                .records
                .addresses_of(target)
                .find(|a| apex.contains(a))
                .map(|a| {
                    format!(
                        "The SecMX SRV target {target} (port 25) uses {a}, which is also an address of {domain}. {domain} has no MX, so senders fall back to {a} port 25 (the implicit MX); that listener must accept mail without TLS and cannot be a Secure Only Receiver."
                    )
                })
        };
        if let Some(message) = problem {
            out.push(
                rule.finding(
                    input,
                    target,
                    message,
                    format!(
                        "Publish an MX for {domain} that names a Best Effort Receiver, and give the SOR its own host name and address (or move it to port 465, implicit TLS)."
                    ),
                )
                .at(rec.origin),
            );
        }
    }
}

/// SOR-003: an SOR listener (address + SRV port) is the same socket as an MX host on port 25.
fn sor_003(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let mx = mx_exchanges(input);
    if mx.is_empty() {
        return;
    }
    // SOR listeners on port 25: SecMX SRV targets that are not MX exchanges. (The design renders
    // every SOR relay as an SRV target, so the records are complete.)
    let mut seen = FastSet::default();
    let listeners: Vec<(&str, &Record)> = srv_targets(input)
        .into_iter()
        .filter(|(_, port, t)| *port == 25 && !mx.contains_key(t) && seen.insert(*t))
        .map(|(rec, _, t)| (t, rec))
        .collect();
    if listeners.is_empty() {
        return;
    }
    // Address → the MX host that uses it (MX hosts listen on port 25).
    let mut mx_addr: FastMap<IpAddr, &str> = FastMap::default();
    for host in mx.keys() {
        for a in input.records.addresses_of(host) {
            mx_addr.entry(a).or_insert(host);
        }
    }
    if mx_addr.is_empty() {
        return;
    }
    for (host, rec) in listeners {
        let mut shared: Vec<IpAddr> = Vec::new();
        let mut mx_host = "";
        for a in input.records.addresses_of(host) {
            if let Some(m) = mx_addr.get(&a) {
                if shared.is_empty() {
                    mx_host = m;
                }
                if !shared.contains(&a) {
                    shared.push(a);
                }
            }
        }
        let Some(first) = shared.first() else {
            continue;
        };
        out.push(rule.finding(
            input,
            host,
            format!(
                "The Secure Only Receiver {host} listens on {first} port 25, the same socket as the MX host {mx_host} on port 25. One listener cannot both require TLS (SOR) and accept mail without TLS (MX, RFC 3207 §4); shared address(es): {}.",
                shared
                    .iter()
                    .map(|a| a.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            format!(
                "Give {host} an address of its own, or publish it on port 465 (implicit TLS) in the SRV record of {}.",
                input.srv_owner()
            ),
        ).at(rec.origin));
    }
}

/// SOR-004: SecMX SRV SORs exist but the domain has no MX, and it is not declared secure-only.
fn sor_004(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    if input.options.secure_only {
        return;
    }
    let domain = input.domain;
    if input.records.at(domain, "MX").next().is_some() {
        return;
    }
    let Some((rec, _, target)) = srv_targets(input).into_iter().next() else {
        return;
    };
    let fallback = if input.records.addresses_of(domain).next().is_some() {
        format!(
            "senders unaware of SecMX fall back to the address of {domain} itself (implicit MX)"
        )
    } else {
        "senders unaware of SecMX cannot deliver at all".to_string()
    };
    out.push(
        rule.finding(
            input,
            domain,
            format!(
                "{domain} publishes Secure Only Receivers under {} (e.g. {target}) but has no MX record: {fallback}.",
                input.srv_owner()
            ),
            format!(
                "Add an MX record for {domain} naming at least one Best Effort Receiver, or declare the domain secure-only if it deliberately accepts only TLS mail from SecMX-aware senders (do not publish a null MX for that)."
            ),
        )
        .at(rec.origin),
    );
}

#[cfg(test)]
mod tests {
    use crate::model::Role;
    use crate::rules::Severity;
    use crate::rules::testkit::*;

    const D: &str = "agency.example";
    const SRV: &str = "_secmx._tcp.agency.example";

    #[test]
    fn sor_001_fail_sor_listed_in_mx() {
        let out = Case::new(vec![
            mx(D, 10, "sor1.agency.example"),
            srv(SRV, 10, 0, 25, "sor1.agency.example"),
        ])
        .relay("sor1.agency.example", Role::Sor, 25)
        .fails_with("SOR-001", Severity::Error);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].subject, "sor1.agency.example");
    }

    #[test]
    fn sor_001_pass_sor_only_in_srv() {
        Case::new(vec![
            mx(D, 10, "mx1.agency.example"),
            srv(SRV, 10, 0, 25, "sor1.agency.example"),
        ])
        .relay("mx1.agency.example", Role::Ber, 25)
        .relay("sor1.agency.example", Role::Sor, 25)
        .passes("SOR-001");
    }

    #[test]
    fn sor_001_pass_without_design_relays() {
        Case::new(vec![
            mx(D, 10, "sor1.agency.example"),
            srv(SRV, 10, 0, 25, "sor1.agency.example"),
        ])
        .passes("SOR-001");
    }

    #[test]
    fn sor_002_fail_srv_target_is_domain_without_mx() {
        Case::new(vec![addr(D, "198.51.100.10"), srv(SRV, 10, 0, 25, D)])
            .fails_with("SOR-002", Severity::Error);
    }

    #[test]
    fn sor_002_fail_srv_target_shares_apex_address() {
        Case::new(vec![
            addr(D, "198.51.100.10"),
            addr("sor1.agency.example", "198.51.100.10"),
            srv(SRV, 10, 0, 25, "sor1.agency.example"),
        ])
        .fails("SOR-002");
    }

    #[test]
    fn sor_002_pass_mx_present_and_own_address() {
        Case::new(vec![
            mx(D, 10, "mx1.agency.example"),
            addr(D, "198.51.100.10"),
            addr("sor1.agency.example", "198.51.100.20"),
            srv(SRV, 10, 0, 25, "sor1.agency.example"),
        ])
        .passes("SOR-002");
    }

    #[test]
    fn sor_002_pass_no_mx_but_different_address() {
        Case::new(vec![
            addr(D, "198.51.100.10"),
            addr("sor1.agency.example", "198.51.100.20"),
            srv(SRV, 10, 0, 25, "sor1.agency.example"),
        ])
        .passes("SOR-002");
    }

    #[test]
    fn sor_003_fail_sor_shares_mx_socket() {
        let out = Case::new(vec![
            mx(D, 10, "mx1.agency.example"),
            addr("mx1.agency.example", "198.51.100.10"),
            addr("sor1.agency.example", "198.51.100.10"),
            srv(SRV, 10, 0, 25, "sor1.agency.example"),
        ])
        .fails_with("SOR-003", Severity::Error);
        assert!(out[0].message.contains("198.51.100.10"));
        assert!(out[0].message.contains("mx1.agency.example"));
    }

    #[test]
    fn sor_003_pass_sor_own_address() {
        Case::new(vec![
            mx(D, 10, "mx1.agency.example"),
            addr("mx1.agency.example", "198.51.100.10"),
            addr("sor1.agency.example", "198.51.100.20"),
            srv(SRV, 10, 0, 25, "sor1.agency.example"),
        ])
        .passes("SOR-003");
    }

    #[test]
    fn sor_003_pass_shared_address_on_port_465() {
        Case::new(vec![
            mx(D, 10, "mx1.agency.example"),
            addr("mx1.agency.example", "198.51.100.10"),
            addr("sor1.agency.example", "198.51.100.10"),
            srv(SRV, 10, 0, 465, "sor1.agency.example"),
        ])
        .passes("SOR-003");
    }

    #[test]
    fn sor_003_pass_ber_also_in_srv() {
        Case::new(vec![
            mx(D, 10, "mx1.agency.example"),
            addr("mx1.agency.example", "198.51.100.10"),
            srv(SRV, 20, 0, 25, "mx1.agency.example"),
        ])
        .passes("SOR-003");
    }

    #[test]
    fn sor_004_fail_sor_without_any_mx() {
        Case::new(vec![srv(SRV, 10, 0, 25, "sor1.agency.example")])
            .fails_with("SOR-004", Severity::Warning);
    }

    #[test]
    fn sor_004_pass_sor_plus_mx() {
        Case::new(vec![
            srv(SRV, 10, 0, 25, "sor1.agency.example"),
            mx(D, 10, "mx1.agency.example"),
        ])
        .passes("SOR-004");
    }

    #[test]
    fn sor_004_pass_declared_secure_only() {
        Case::new(vec![srv(SRV, 10, 0, 25, "sor1.agency.example")])
            .secure_only()
            .passes("SOR-004");
    }
}
