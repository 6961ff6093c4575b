//! Which relay addresses a live check probes: the union of what DNS publishes — every address of
//! every MX exchange (expected role BER, or the implicit MX) and of every SecMX SRV target on its SRV
//! port (role SOR unless the host is also an MX exchange) — and of the design's relays (their
//! design addresses, or what DNS answered for their names), each marked `design`, `published` or
//! `both`. A probe never connects anywhere the design or the domain does not name. TLSA records come
//! from the DNS answers, marked secure only when the TLSA RRset and every address RRset of the host
//! validated (RFC 7672 §2.2): an insecure set is reported by the probe, never used for DANE.

use crate::model::render::tlsa_owner;
use crate::model::{Design, Role};
use crate::probe::{Listed, ProbeTarget, TlsaInput, dane::Tlsa};
use crate::resolve::{Dnssec, Published};
use std::collections::HashSet;

/// The probe targets of a published domain; the design, when there is one, names the expected
/// role of each host (an SOR the design lists stays an SOR even if it also shows up in MX, so the
/// probe proves SOR-001 live).
pub fn targets_from_published(p: &Published, design: Option<&Design>) -> Vec<ProbeTarget> {
    let design_role = |host: &str| -> Option<Role> {
        let d = design?;
        let mut role = None;
        for r in d.relays.iter().filter(|r| r.host == host) {
            if r.role == Role::Sor {
                return Some(Role::Sor);
            }
            role = Some(r.role);
        }
        role
    };
    let implicit = p.implicit_mx();
    let mx = p.mx_targets();
    let mut plan: Vec<(String, u16, Role, &'static str)> = Vec::new();
    let mut seen: HashSet<(String, u16)> = HashSet::new();
    for host in &mx {
        if seen.insert((host.clone(), 25)) {
            let role = design_role(host).unwrap_or(Role::Ber);
            plan.push((
                host.clone(),
                25,
                role,
                if implicit { "implicit-mx" } else { "mx" },
            ));
        }
    }
    for (host, port) in p.srv_targets() {
        let Ok(port) = u16::try_from(port) else {
            continue; // SRV-003 reports it; nothing to connect to.
        };
        if port == 0 || !seen.insert((host.clone(), port)) {
            continue;
        }
        let role = design_role(&host).unwrap_or(if mx.contains(&host) {
            Role::Ber
        } else {
            Role::Sor
        });
        plan.push((host, port, role, "srv"));
    }

    let mut targets = Vec::new();
    for (host, port, role, via) in plan {
        let tlsa = tlsa_input(p, &host, port);
        let mut addrs: Vec<_> = p.records.addresses_of(&host).collect();
        addrs.sort();
        addrs.dedup();
        for address in addrs {
            let mut t = ProbeTarget::new(host.clone(), address, port, role);
            t.via = Some(via.to_string());
            t.tlsa = tlsa.clone();
            t.listed = Some(Listed::Published);
            targets.push(t);
        }
    }
    targets
}

/// The TLSA records at `_<port>._tcp.<host>` and whether DANE may use them.
fn tlsa_input(p: &Published, host: &str, port: u16) -> Option<TlsaInput> {
    let owner = tlsa_owner(i64::from(port), host);
    let rrset = p.rrset(&owner, crate::model::RecordType::Tlsa)?;
    let records: Vec<Tlsa> = p
        .records
        .at(&owner, "TLSA")
        .filter_map(|r| Tlsa::of(&r.data).ok())
        .collect();
    let addresses_secure = {
        let mut sets = p.address_rrsets(host).peekable();
        sets.peek().is_some() && sets.all(|s| s.dnssec == Dnssec::Secure)
    };
    Some(TlsaInput {
        secure: rrset.dnssec == Dnssec::Secure && addresses_secure,
        records,
    })
}

/// The probe targets of a live check: what DNS publishes ([`targets_from_published`]) plus every
/// design relay address DNS does not publish. A design relay without addresses in the design is
/// probed on the addresses DNS gave for its name (the plan asks them).
pub fn union(p: &Published, design: Option<&Design>) -> Vec<ProbeTarget> {
    let mut targets = targets_from_published(p, design);
    let Some(d) = design else {
        return targets;
    };
    for relay in &d.relays {
        let host = crate::model::normalize_name(&relay.host);
        let port = match relay.role {
            Role::Ber => 25,
            Role::Sor => match u16::try_from(relay.port) {
                Ok(p) if p != 0 => p,
                _ => continue, // SRV-003 reports it; nothing to connect to.
            },
        };
        let mut addresses: Vec<std::net::IpAddr> = if relay.addresses.is_empty() {
            p.records.addresses_of(&host).collect()
        } else {
            relay.addresses.clone()
        };
        addresses.sort();
        addresses.dedup();
        // Published targets of this relay become `both`.
        for t in targets
            .iter_mut()
            .filter(|t| t.host == host && t.port == port)
        {
            if relay.addresses.is_empty() || relay.addresses.contains(&t.address) {
                t.listed = Some(Listed::Both);
            }
        }
        let tlsa = tlsa_input(p, &host, port);
        for address in addresses {
            if targets
                .iter()
                .any(|t| t.host == host && t.port == port && t.address == address)
            {
                continue;
            }
            let mut t = ProbeTarget::new(host.clone(), address, port, relay.role);
            t.via = Some("design".into());
            t.tlsa = tlsa.clone();
            t.listed = Some(Listed::Design);
            targets.push(t);
        }
    }
    targets
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::model::{RData, Record};
    use crate::resolve::fetch::rrset_of;
    use crate::resolve::{Dnssec, RRset, Status};

    fn rrset(name: &str, rtype: &str, answers: Vec<Record>) -> RRset {
        rrset_of(name, rtype, Status::Ok, Dnssec::Secure, answers)
    }

    #[test]
    fn design_and_published_relays_are_united_and_marked() {
        let mx = Record::new(
            "d.test",
            300,
            RData::Mx {
                preference: 10,
                exchange: "mx1.d.test".into(),
            },
        );
        let a1 = Record::new("mx1.d.test", 300, RData::A("127.0.0.1".parse().unwrap()));
        let a9 = Record::new("mx9.d.test", 300, RData::A("127.0.0.9".parse().unwrap()));
        let p = Published::from_rrsets(
            "d.test",
            "_secmx",
            vec![
                rrset("d.test", "MX", vec![mx]),
                rrset("mx1.d.test", "A", vec![a1]),
                rrset("mx9.d.test", "A", vec![a9]),
            ],
            1,
        );
        let design: Design = crate::project::parse_design(
            "format = 1\ndomain = \"d.test\"\nlevel = 1\ntest_domain = true\n\n[[relay]]\nhost = \"mx1.d.test\"\nrole = \"ber\"\n\n[[relay]]\nhost = \"mx9.d.test\"\nrole = \"ber\"\npreference = 20\n\n[[relay]]\nhost = \"mx2.d.test\"\nrole = \"ber\"\naddresses = [\"127.0.0.2\"]\n",
            "test.secmx.toml",
        )
        .unwrap();
        let t = union(&p, Some(&design));
        let seen: Vec<(String, String, Option<Listed>)> = t
            .iter()
            .map(|t| (t.host.clone(), t.address.to_string(), t.listed))
            .collect();
        assert_eq!(
            seen,
            vec![
                ("mx1.d.test".into(), "127.0.0.1".into(), Some(Listed::Both)),
                (
                    "mx9.d.test".into(),
                    "127.0.0.9".into(),
                    Some(Listed::Design)
                ),
                (
                    "mx2.d.test".into(),
                    "127.0.0.2".into(),
                    Some(Listed::Design)
                ),
            ]
        );
        // Without a design: only what DNS publishes.
        let only = union(&p, None);
        assert_eq!(only.len(), 1);
        assert_eq!(only[0].listed, Some(Listed::Published));
    }
}
