//! Which relays `secmx check` probes: every address of every MX exchange (expected role BER, or the
//! implicit MX) and of every SecMX SRV target on its SRV port (role SOR unless the host is also an MX
//! exchange), exactly as DNS publishes them — a probe never connects anywhere the domain does not
//! name. TLSA records come from the same answers, marked secure only when the TLSA RRset and every
//! address RRset of the host validated (RFC 7672 §2.2).

use super::{ProbeTarget, TlsaInput, dane::Tlsa};
use crate::model::{Design, RData, Role};
use crate::resolve::{Dnssec, Published};
use crate::zone::tlsa_owner;
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
            targets.push(t);
        }
    }
    targets
}

/// The TLSA records at `_<port>._tcp.<host>` and whether DANE may use them.
fn tlsa_input(p: &Published, host: &str, port: u16) -> Option<TlsaInput> {
    let owner = tlsa_owner(i64::from(port), host);
    let rrset = p.rrset(&owner, "TLSA")?;
    let records: Vec<Tlsa> = p
        .records
        .at(&owner, "TLSA")
        .filter_map(|r| match &r.data {
            RData::Tlsa {
                usage,
                selector,
                matching,
                data,
            } => Tlsa::parse(&format!("{usage} {selector} {matching} {data}")).ok(),
            _ => None,
        })
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
