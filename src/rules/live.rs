//! The rules that need live DNS answers (issue #3): addresses of MX/SRV targets, DNSSEC proofs of
//! the MX, SRV, TLSA and address RRsets, TLSA lookup failures, deliverability of TLS-RPT `mailto:`
//! destinations. Each check reads [`Input::live`] and stays quiet when DNS was not asked (offline).
//! The static rules (STS-001, XR-012, SOR-002, NMX, …) judge the published records through the same
//! registry by running over an [`Input`] built from [`crate::model::published::Published::records`].

use super::{Finding, Input, Rule};
use crate::model::published::{Dnssec, Published, RRset, Status};
use crate::model::published::{resolved_addresses, rua_mailto_domains};
use crate::model::{RecordType, normalize_name};

/// The rule input for a domain as it is published (no design): the published records, no design
/// relays, the live facts attached. Level 2 when a SecMX SRV target is published.
pub fn published_input<'a>(
    p: &'a Published,
    profile: crate::model::Profile,
    options: super::Options,
) -> Input<'a> {
    let level = if p.srv_targets().is_empty() {
        crate::model::Level::L1
    } else {
        crate::model::Level::L2
    };
    Input {
        domain: &p.domain,
        level,
        profile,
        srv_label: &p.srv_label,
        relays: &[],
        records: &p.records,
        sts_policy: None,
        sts_policy_issued_for: None,
        options,
        live: Some(p),
        probes: None,
        dkim_selectors: &[],
    }
}

fn statuses(p: &Published, host: &str) -> String {
    let v: Vec<String> = p
        .address_rrsets(host)
        .map(|s| format!("{} {}", s.rtype, s.status.as_str()))
        .collect();
    v.join(", ")
}

/// The host has address lookups and none of them yields an address.
fn without_address(p: &Published, host: &str) -> bool {
    p.address_rrsets(host).next().is_some() && resolved_addresses(p, host).is_empty()
}

fn ip_hint(host: &str) -> &'static str {
    if host.parse::<std::net::IpAddr>().is_ok() {
        " (it is written as an IP address: the target must be a host name)"
    } else {
        ""
    }
}

/// MX-003: every MX exchange resolves to at least one A or AAAA record.
pub fn mx_003(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let Some(p) = input.live else { return };
    if p.implicit_mx() {
        return;
    }
    for host in p.mx_targets() {
        if without_address(p, &host) {
            out.push(rule.finding(
                input,
                &host,
                format!(
                    "MX exchange {host} has no A or AAAA record ({}){}; senders cannot deliver to it",
                    statuses(p, &host),
                    ip_hint(&host)
                ),
                format!("publish an A and/or AAAA record for {host}, or point the MX at a host that has one"),
            ));
        }
    }
}

/// SRV-006: every SRV target owns at least one A or AAAA record.
pub fn srv_006(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let Some(p) = input.live else { return };
    for (host, port) in p.srv_targets() {
        if without_address(p, &host) {
            out.push(rule.finding(
                input,
                &host,
                format!(
                    "SecMX SRV target {host} (port {port}) has no A or AAAA record ({}){}",
                    statuses(p, &host),
                    ip_hint(&host)
                ),
                format!(
                    "publish an A and/or AAAA record for {host}, or remove it from the SRV RRset"
                ),
            ));
        }
    }
}

/// The RRset when it has data that does not validate as secure, or when validation failed (bogus:
/// validating resolvers then answer SERVFAIL).
fn signed_or_bogus<'a>(p: &'a Published, name: &str, rtype: &str) -> Option<&'a RRset> {
    p.rrset(name, rtype).filter(|s| {
        s.dnssec == Dnssec::Bogus
            || (s.status == Status::Ok && !s.records.is_empty() && s.dnssec != Dnssec::Secure)
    })
}

fn bogus_note(s: &RRset) -> &'static str {
    if s.dnssec == Dnssec::Bogus {
        " (validating resolvers answer SERVFAIL: senders that validate cannot use it at all)"
    } else {
        ""
    }
}

/// SOR-005: the SecMX SRV RRset validates as DNSSEC-secure.
pub fn sor_005(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let Some(p) = input.live else { return };
    if let Some(s) = signed_or_bogus(p, &p.srv_owner(), "SRV") {
        out.push(rule.finding(
            input,
            s.name.trim_end_matches('.'),
            format!(
                "the SecMX SRV RRset validates as {}, not secure{}: a DNS attacker can redirect secure mail to a spoofed SOR",
                s.dnssec.as_str(),
                bogus_note(s)
            ),
            "sign the zone (DNSSEC) and publish its DS in the parent zone",
        ));
    }
}

/// XR-007: the MX RRset (and the SecMX SRV RRset) is DNSSEC-signed.
pub fn xr_007(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let Some(p) = input.live else { return };
    for (name, rtype) in [(p.domain.clone(), "MX"), (p.srv_owner(), "SRV")] {
        if let Some(s) = signed_or_bogus(p, &name, rtype) {
            out.push(rule.finding(
                input,
                s.name.trim_end_matches('.'),
                format!(
                    "the {rtype} RRset validates as {}{}: without a signed {rtype} RRset a DNS attacker can still redirect mail",
                    s.dnssec.as_str(),
                    bogus_note(s)
                ),
                "sign the zone (DNSSEC) and publish its DS in the parent zone",
            ));
        }
    }
}

/// The host a TLSA owner `_<port>._tcp.<host>` belongs to.
fn tlsa_host(owner: &str) -> Option<String> {
    let rest = owner.strip_prefix('_')?;
    let (port, rest) = rest.split_once('.')?;
    if !port.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let host = rest.strip_prefix("_tcp.")?;
    Some(normalize_name(host))
}

fn tlsa_sets(p: &Published) -> impl Iterator<Item = &RRset> {
    p.rrsets
        .iter()
        .filter(|s| s.rtype == RecordType::Tlsa && s.status == Status::Ok && !s.records.is_empty())
}

/// The address RRsets of the host that carry data but do not validate as secure.
fn insecure_addresses(p: &Published, host: &str) -> Vec<String> {
    p.address_rrsets(host)
        .filter(|a| a.status == Status::Ok && a.dnssec != Dnssec::Secure)
        .map(|a| format!("{} {}", a.rtype, a.dnssec.as_str()))
        .collect()
}

/// XR-006: TLSA records count only when the TLSA RRset and the host's address RRsets are secure.
pub fn xr_006(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let Some(p) = input.live else { return };
    for s in tlsa_sets(p) {
        let owner = s.owner();
        let Some(host) = tlsa_host(&owner) else {
            continue;
        };
        let mut bad = Vec::new();
        if s.dnssec != Dnssec::Secure {
            bad.push(format!("TLSA {}", s.dnssec.as_str()));
        }
        bad.extend(insecure_addresses(p, &host));
        if !bad.is_empty() {
            out.push(rule.finding(
                input,
                &owner,
                format!(
                    "the TLSA records at {owner} do not count: not every RRset validates as secure ({})",
                    bad.join(", ")
                ),
                "serve the TLSA records and the host's A/AAAA records from DNSSEC-signed zones with a DS chain",
            ));
        }
    }
}

/// TLSA-012: the TLSA RRset validates as DNSSEC secure.
pub fn tlsa_012(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let Some(p) = input.live else { return };
    for s in tlsa_sets(p) {
        if s.dnssec != Dnssec::Secure {
            let owner = s.owner();
            out.push(rule.finding(
                input,
                &owner,
                format!(
                    "the TLSA RRset at {owner} validates as {}: DANE senders ignore it (insecure) or defer mail (bogus)",
                    s.dnssec.as_str()
                ),
                "sign the zone and publish its DS in the parent zone, or remove the TLSA records",
            ));
        }
    }
}

/// TLSA-013: TLSA queries end in NOERROR or a correctly signed NXDOMAIN/NODATA.
pub fn tlsa_013(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let Some(p) = input.live else { return };
    for s in p.rrsets.iter().filter(|s| s.rtype == RecordType::Tlsa) {
        let owner = s.owner();
        let problem = if !s.status.is_answer() {
            Some(format!(
                "the TLSA query for {owner} ended in {}{}",
                s.status.as_str().to_uppercase(),
                s.detail
                    .as_deref()
                    .map(|d| format!(" ({d})"))
                    .unwrap_or_default()
            ))
        } else if s.status != Status::Ok && s.dnssec == Dnssec::Bogus {
            Some(format!(
                "the {} answer for TLSA at {owner} is not correctly signed (bogus)",
                s.status.as_str().to_uppercase()
            ))
        } else {
            None
        };
        if let Some(msg) = problem {
            out.push(rule.finding(
                input,
                &owner,
                format!("{msg}; DANE senders defer mail to this host"),
                "make every authoritative server answer TLSA queries with NOERROR, or a signed NXDOMAIN/NODATA",
            ));
        }
    }
}

/// TLSA-016: TLSA records are applied only when the host's A/AAAA RRsets validate as secure.
pub fn tlsa_016(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let Some(p) = input.live else { return };
    for s in tlsa_sets(p) {
        let owner = s.owner();
        let Some(host) = tlsa_host(&owner) else {
            continue;
        };
        let bad = insecure_addresses(p, &host);
        if !bad.is_empty() {
            out.push(rule.finding(
                input,
                &owner,
                format!(
                    "TLSA is published for {host}, but its address lookups are not secure ({}): DANE senders never apply it",
                    bad.join(", ")
                ),
                format!("serve the A/AAAA records of {host} from a DNSSEC-signed zone"),
            ));
        }
    }
}

/// XR-011: every `mailto:` TLS-RPT destination can receive mail.
pub fn xr_011(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let Some(p) = input.live else { return };
    let mut domains = p.rua_domains();
    for (_, text) in input
        .records
        .txt_at(&format!("_smtp._tls.{}", input.domain))
    {
        for d in rua_mailto_domains(&text) {
            if !domains.contains(&d) {
                domains.push(d);
            }
        }
    }
    for d in domains {
        let Some(mx) = p.rrset(&d, RecordType::Mx) else {
            continue;
        };
        let mxs: Vec<&str> = p.records.mx_of(&d).map(|(_, _, ex)| ex).collect();
        let null = mxs.len() == 1 && mxs[0].is_empty();
        // No MX records, a definite answer, no address, and every address lookup answered: the
        // domain provably cannot receive mail. (A failed lookup cannot tell; it shows with its RRset.)
        let unreachable = mxs.is_empty()
            && mx.status.is_answer()
            && p.records.addresses_of(&d).next().is_none()
            && p.address_rrsets(&d).all(|a| a.status.is_answer());
        let problem = if null {
            Some("publishes a null MX (MX 0 .)")
        } else if unreachable {
            Some("has no MX and no A/AAAA record")
        } else {
            None
        };
        if let Some(why) = problem {
            out.push(rule.finding(
                input,
                &d,
                format!("TLS-RPT reports go to a mailto: address at {d}, which {why}: the reports bounce"),
                format!("send reports to an address whose domain receives mail, or publish MX records for {d}"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::Case;
    use super::super::{Finding, Severity, rule};
    use crate::model::published::{Dnssec, Published, RRset, Status};
    use crate::model::{RData, Record};
    use crate::resolve::fetch::rrset_of;

    const OK: Status = Status::Ok;
    const SEC: Dnssec = Dnssec::Secure;
    const INS: Dnssec = Dnssec::Insecure;

    fn rec(name: &str, data: RData) -> Record {
        Record::new(name, 3600, data)
    }
    fn a(name: &str, ip: &str) -> Record {
        rec(name, RData::A(ip.parse().expect("ip")))
    }
    fn mx(pref: i64, ex: &str) -> Record {
        rec(
            "agency.example",
            RData::Mx {
                preference: pref,
                exchange: ex.into(),
            },
        )
    }
    fn srv(port: i64, target: &str) -> Record {
        rec(
            "_secmx._tcp.agency.example",
            RData::Srv {
                priority: 10,
                weight: 0,
                port,
                target: target.into(),
            },
        )
    }
    fn tlsa(owner: &str) -> Record {
        rec(
            owner,
            RData::Tlsa {
                usage: 3,
                selector: 1,
                matching: 1,
                data: "ab".repeat(32),
            },
        )
    }
    fn set(name: &str, rtype: &str, status: Status, d: Dnssec, recs: Vec<Record>) -> RRset {
        rrset_of(name, rtype, status, d, recs)
    }
    fn live(sets: Vec<RRset>) -> Published {
        Published::from_rrsets("agency.example", "_secmx", sets, 0)
    }

    /// Run one live rule over published facts (no design relays, records = published).
    fn run(id: &str, p: &Published, l2: bool) -> Vec<Finding> {
        let mut case = Case {
            records: p.records.clone(),
            ..Case::default()
        };
        if l2 {
            case = case.l2();
        }
        let mut input = case.input();
        input.live = Some(p);
        let r = rule(id).expect("rule");
        let check = r.check.expect("implemented");
        let mut out = Vec::new();
        check(r, &crate::rules::Facts::new(input), &mut out);
        assert!(out.iter().all(|f| f.rule == id));
        out
    }

    #[test]
    fn mx_003_exchange_without_address() {
        let fail = live(vec![
            set(
                "agency.example",
                "MX",
                OK,
                SEC,
                vec![mx(10, "mx1.agency.example")],
            ),
            set("mx1.agency.example", "A", Status::Nxdomain, SEC, vec![]),
            set("mx1.agency.example", "AAAA", Status::Nxdomain, SEC, vec![]),
        ]);
        assert_eq!(run("MX-003", &fail, false).len(), 1);
        let pass = live(vec![
            set(
                "agency.example",
                "MX",
                OK,
                SEC,
                vec![mx(10, "mx1.agency.example")],
            ),
            set(
                "mx1.agency.example",
                "A",
                OK,
                SEC,
                vec![a("mx1.agency.example", "192.0.2.25")],
            ),
            set("mx1.agency.example", "AAAA", Status::Nodata, SEC, vec![]),
        ]);
        assert!(run("MX-003", &pass, false).is_empty());
        // offline: quiet
        let mut out = Vec::new();
        let r = rule("MX-003").expect("rule");
        (r.check.expect("check"))(
            r,
            &crate::rules::Facts::new(Case::default().input()),
            &mut out,
        );
        assert!(out.is_empty());
    }

    #[test]
    fn mx_003_ip_address_as_exchange() {
        let p = live(vec![
            set("agency.example", "MX", OK, SEC, vec![mx(10, "192.0.2.1")]),
            set("192.0.2.1", "A", Status::Nxdomain, INS, vec![]),
            set("192.0.2.1", "AAAA", Status::Nxdomain, INS, vec![]),
        ]);
        let f = run("MX-003", &p, false);
        assert!(f[0].message.contains("IP address"), "{f:?}");
    }

    #[test]
    fn srv_006_target_without_address() {
        let fail = live(vec![
            set(
                "_secmx._tcp.agency.example",
                "SRV",
                OK,
                SEC,
                vec![srv(25, "sor9.agency.example")],
            ),
            set("sor9.agency.example", "A", Status::Nxdomain, SEC, vec![]),
            set("sor9.agency.example", "AAAA", Status::Nxdomain, SEC, vec![]),
        ]);
        assert_eq!(run("SRV-006", &fail, true).len(), 1);
        let pass = live(vec![
            set(
                "_secmx._tcp.agency.example",
                "SRV",
                OK,
                SEC,
                vec![srv(25, "sor1.agency.example")],
            ),
            set(
                "sor1.agency.example",
                "A",
                OK,
                SEC,
                vec![a("sor1.agency.example", "198.51.100.10")],
            ),
        ]);
        assert!(run("SRV-006", &pass, true).is_empty());
        let dot = live(vec![set(
            "_secmx._tcp.agency.example",
            "SRV",
            OK,
            SEC,
            vec![srv(0, "")],
        )]);
        assert!(run("SRV-006", &dot, true).is_empty());
    }

    #[test]
    fn sor_005_unsigned_srv_is_error_at_level_2() {
        let fail = live(vec![set(
            "_secmx._tcp.agency.example",
            "SRV",
            OK,
            INS,
            vec![srv(25, "sor1.agency.example")],
        )]);
        assert_eq!(run("SOR-005", &fail, false)[0].severity, Severity::Warning);
        assert_eq!(run("SOR-005", &fail, true)[0].severity, Severity::Error);
        let pass = live(vec![set(
            "_secmx._tcp.agency.example",
            "SRV",
            OK,
            SEC,
            vec![srv(25, "sor1.agency.example")],
        )]);
        assert!(run("SOR-005", &pass, true).is_empty());
    }

    #[test]
    fn xr_007_unsigned_mx() {
        let fail = live(vec![set(
            "agency.example",
            "MX",
            OK,
            INS,
            vec![mx(10, "mx1.provider.example")],
        )]);
        assert_eq!(run("XR-007", &fail, false).len(), 1);
        let pass = live(vec![set(
            "agency.example",
            "MX",
            OK,
            SEC,
            vec![mx(10, "mx1.provider.example")],
        )]);
        assert!(run("XR-007", &pass, false).is_empty());
        let bogus = live(vec![set(
            "agency.example",
            "MX",
            Status::Servfail,
            Dnssec::Bogus,
            vec![],
        )]);
        assert!(run("XR-007", &bogus, false)[0].message.contains("SERVFAIL"));
    }

    fn tlsa_case(tlsa_proof: Dnssec, addr_proof: Dnssec) -> Published {
        live(vec![
            set(
                "agency.example",
                "MX",
                OK,
                SEC,
                vec![mx(10, "mx1.agency.example")],
            ),
            set(
                "mx1.agency.example",
                "A",
                OK,
                addr_proof,
                vec![a("mx1.agency.example", "192.0.2.25")],
            ),
            set(
                "_25._tcp.mx1.agency.example",
                "TLSA",
                OK,
                tlsa_proof,
                vec![tlsa("_25._tcp.mx1.agency.example")],
            ),
        ])
    }

    #[test]
    fn xr_006_and_tlsa_012_unsigned_tlsa() {
        let fail = tlsa_case(INS, INS);
        assert_eq!(run("XR-006", &fail, false).len(), 1);
        assert_eq!(run("TLSA-012", &fail, false).len(), 1);
        let pass = tlsa_case(SEC, SEC);
        assert!(run("XR-006", &pass, false).is_empty());
        assert!(run("TLSA-012", &pass, false).is_empty());
        let bogus = tlsa_case(Dnssec::Bogus, SEC);
        assert!(run("TLSA-012", &bogus, false)[0].message.contains("bogus"));
    }

    #[test]
    fn tlsa_016_insecure_address_behind_signed_tlsa() {
        let fail = tlsa_case(SEC, INS);
        assert_eq!(run("TLSA-016", &fail, false).len(), 1);
        assert_eq!(run("XR-006", &fail, false).len(), 1);
        assert!(run("TLSA-012", &fail, false).is_empty());
        assert!(run("TLSA-016", &tlsa_case(SEC, SEC), false).is_empty());
    }

    #[test]
    fn tlsa_013_servfail_on_tlsa_query() {
        for st in [Status::Servfail, Status::Refused, Status::Timeout] {
            let p = live(vec![set(
                "_25._tcp.mx1.agency.example",
                "TLSA",
                st,
                Dnssec::Indeterminate,
                vec![],
            )]);
            assert_eq!(run("TLSA-013", &p, false).len(), 1, "{st:?}");
        }
        let signed_nx = live(vec![set(
            "_25._tcp.mx1.agency.example",
            "TLSA",
            Status::Nxdomain,
            SEC,
            vec![],
        )]);
        assert!(run("TLSA-013", &signed_nx, false).is_empty());
        let bad_nx = live(vec![set(
            "_25._tcp.mx1.agency.example",
            "TLSA",
            Status::Nodata,
            Dnssec::Bogus,
            vec![],
        )]);
        assert_eq!(run("TLSA-013", &bad_nx, false).len(), 1);
    }

    fn rpt(dest: &str) -> RRset {
        set(
            "_smtp._tls.agency.example",
            "TXT",
            OK,
            SEC,
            vec![rec(
                "_smtp._tls.agency.example",
                RData::Txt(vec![format!("v=TLSRPTv1; rua=mailto:{dest}")]),
            )],
        )
    }

    #[test]
    fn xr_011_report_destination_cannot_receive() {
        let fail = live(vec![
            rpt("tls-reports@host.agency.example"),
            set("host.agency.example", "MX", Status::Nxdomain, SEC, vec![]),
            set("host.agency.example", "A", Status::Nxdomain, SEC, vec![]),
            set("host.agency.example", "AAAA", Status::Nxdomain, SEC, vec![]),
        ]);
        assert_eq!(run("XR-011", &fail, false).len(), 1);
        let null = live(vec![
            rpt("r@null.example"),
            set(
                "null.example",
                "MX",
                OK,
                SEC,
                vec![rec(
                    "null.example",
                    RData::Mx {
                        preference: 0,
                        exchange: String::new(),
                    },
                )],
            ),
        ]);
        assert_eq!(run("XR-011", &null, false).len(), 1);
        let pass = live(vec![
            rpt("tlsrpt@agency.example"),
            set(
                "agency.example",
                "MX",
                OK,
                SEC,
                vec![mx(10, "mx1.agency.example")],
            ),
        ]);
        assert!(run("XR-011", &pass, false).is_empty());
    }
}
