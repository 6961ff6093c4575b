//! SRV rules (the catalogue: `rules::catalogue`, `secmx explain`). Each rule's Fail/Pass examples are its unit tests below.

use super::mx::reads_as_address;
use super::{Finding, Needs, Rule, Severity};
use crate::model::name::is_in_domain;
use crate::model::{Origin, Record};
use std::collections::HashSet;

/// The rules of this group, in catalogue order.
pub const RULES: &[Rule] = &[
    Rule::new(
        "SRV-001",
        Severity::Error,
        "The SRV owner is `_<service>._tcp.<mail-domain>`; SMTP relays are TCP services.",
        srv_001,
    ),
    Rule::new(
        "SRV-002",
        Severity::Error,
        "Priority and weight are each 16-bit unsigned integers (0–65535).",
        srv_002,
    ),
    Rule::new(
        "SRV-003",
        Severity::Error,
        "The port is 1–65535 for a real target; port 0 is only meaningful together with the \".\" target.",
        srv_003,
    ),
    Rule::new(
        "SRV-004",
        Severity::Error,
        "The SRV target is a host name, not an address literal.",
        srv_004,
    ),
    Rule::new(
        "SRV-005",
        Severity::Error,
        "The SRV target is not an alias (CNAME).",
        srv_005,
    ),
    Rule::new(
        "SRV-006",
        Severity::Error,
        "Every SRV target owns at least one A or AAAA record.",
        super::live::srv_006,
    )
    .needs(Needs::Dns),
    Rule::new(
        "SRV-007",
        Severity::Error,
        "A \".\" target is valid only when it is the single record of the RRset; mixing \".\" with real targets is ambiguous and rejected.",
        srv_007,
    ),
    Rule::new(
        "SRV-008",
        Severity::Info,
        "Inside one priority, weight-0 targets mixed with positive weights are rarely chosen; use all-zero weights when no load split is intended.",
        srv_008,
    ),
    Rule::new(
        "SRV-009",
        Severity::Warning,
        "For SMTP relay service the port should be 25 (STARTTLS) or 465 (implicit TLS); any other port is reported because many networks block it and senders cannot guess the TLS mode.",
        srv_009,
    ),
    Rule::new(
        "SRV-010",
        Severity::Warning,
        "Client-submission service labels (`_submission`, `_submissions`, `_smtps`) and `_smtp` are not SecMX relay discovery; records found there are not treated as SORs.",
        srv_010,
    ),
];

/// Service labels that mean mail (without their underscore): SMTP relays run over TCP, so these
/// need the `_tcp` protocol label.
const MAIL_SERVICES: &[&str] = &["secmx", "smtp", "submission", "submissions", "smtps"];

/// Client-submission and ad-hoc SMTP labels that are not SecMX relay discovery (SRV-010).
const NOT_RELAY_DISCOVERY: &[&str] = &["_submission", "_submissions", "_smtps", "_smtp"];

/// Whether an SRV service label (with or without its underscore) names a mail service: the design's
/// SecMX label or one of the SMTP family labels.
pub(super) fn is_mail_service(label: &str, input: &crate::rules::Facts<'_>) -> bool {
    let bare = label.trim_start_matches('_');
    !bare.is_empty()
        && (bare == input.srv_label.trim_start_matches('_') || MAIL_SERVICES.contains(&bare))
}

/// One SRV record: the record, priority, weight, port, target.
type Srv<'a> = (&'a Record, i64, i64, i64, &'a str);

/// Every SRV record under the mail domain.
fn srv_records<'a>(input: &crate::rules::Facts<'a>) -> impl Iterator<Item = Srv<'a>> + 'a {
    let domain = input.domain;
    input
        .records
        .srv_records()
        .filter(move |(r, ..)| is_in_domain(&r.name, domain))
}

/// The record as written in a zone, for subjects: `owner SRV prio weight port target.`.
fn srv_text(rec: &Record, prio: i64, weight: i64, port: i64, target: &str) -> String {
    format!("{} SRV {prio} {weight} {port} {target}.", rec.name)
}

/// Why an SRV owner under the domain is not `_<service>._tcp.<name>`, with a corrected owner.
fn owner_problem(owner: &str, input: &crate::rules::Facts<'_>) -> Option<(String, String)> {
    if owner == input.domain {
        return Some((
            "has no `_<service>._tcp` labels in front of the domain".to_string(),
            input.srv_owner(),
        ));
    }
    let (service, after) = owner.split_once('.')?;
    if !service.starts_with('_') {
        return Some((
            format!(
                "starts with `{service}`, which lacks the leading underscore of a service label"
            ),
            format!("_{owner}"),
        ));
    }
    let (proto, base) = after.split_once('.').unwrap_or((after, ""));
    if !proto.starts_with('_') {
        return Some((
            format!("has no protocol label after `{service}`"),
            format!("{service}._tcp.{after}"),
        ));
    }
    if proto != "_tcp" && is_mail_service(service, input) {
        return Some((
            format!("uses the protocol label `{proto}`, but SMTP relays are TCP services"),
            format!("{service}._tcp.{base}"),
        ));
    }
    if let Some(extra) = base.split('.').find(|l| l.starts_with('_')) {
        let clean: Vec<&str> = base.split('.').filter(|l| !l.starts_with('_')).collect();
        return Some((
            format!("has the extra underscore label `{extra}` after `{service}.{proto}`"),
            format!("{service}.{proto}.{}", clean.join(".")),
        ));
    }
    None
}

fn srv_001(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let mut seen = HashSet::new();
    for (rec, ..) in srv_records(input) {
        let owner = rec.name.as_str();
        let Some((problem, fixed)) = owner_problem(owner, input) else {
            continue;
        };
        if !seen.insert(owner) {
            continue;
        }
        out.push(
            rule.finding(
                input,
                owner,
                format!(
                    "The SRV owner `{owner}` {problem}; SecMX senders look relays up at `_<service>._tcp.<mail-domain>` and never find these records."
                ),
                format!("Publish the records at `{fixed}`."),
            )
            .at(rec.origin),
        );
    }
    // The design's own label, when no record shows it (e.g. nothing is published under it yet).
    let label = input.srv_label;
    if (!label.starts_with('_') || label.contains('.'))
        && input.records.srv_at(&input.srv_owner()).next().is_none()
    {
        out.push(
            rule.finding(
                input,
                input.srv_owner(),
                format!(
                    "The SRV service label `{label}` set for this domain is not a single label starting with `_`, so the SRV owner would be `{}` instead of `_<service>._tcp.{}`.",
                    input.srv_owner(),
                    input.domain
                ),
                "Set the service label to a single label such as `_secmx` (without `._tcp`).",
            )
            .at(Origin::Domain),
        );
    }
}

fn srv_002(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let range = 0..=65535;
    for (rec, prio, weight, port, target) in srv_records(input) {
        let mut bad = Vec::new();
        if !range.contains(&prio) {
            bad.push(format!("priority {prio}"));
        }
        if !range.contains(&weight) {
            bad.push(format!("weight {weight}"));
        }
        if bad.is_empty() {
            continue;
        }
        out.push(
            rule.finding(
                input,
                srv_text(rec, prio, weight, port, target),
                format!(
                    "The SRV record at `{}` has {}; priority and weight are 16-bit unsigned numbers (0–65535), so the record cannot be published.",
                    rec.name,
                    bad.join(" and ")
                ),
                "Use a priority and a weight between 0 and 65535, e.g. `SRV 10 0 25 <host>.` (lower priority is tried first; weight 0 when no load split is wanted).",
            )
            .at(rec.origin),
        );
    }
}

fn srv_003(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    for (rec, prio, weight, port, target) in srv_records(input) {
        let message = if !(0..=65535).contains(&port) {
            format!(
                "The SRV record at `{}` has port {port}; a TCP port is 0–65535, so the record cannot be published.",
                rec.name
            )
        } else if port == 0 && !target.is_empty() {
            format!(
                "The SRV record at `{}` names the host `{target}` on port 0; no TCP connection can be made to port 0. Port 0 only makes sense in the opt-out record `SRV 0 0 0 .`.",
                rec.name
            )
        } else {
            continue;
        };
        out.push(
            rule.finding(
                input,
                srv_text(rec, prio, weight, port, target),
                message,
                "Use the relay's port: 25 (STARTTLS) or 465 (implicit TLS). To say there is no SecMX Level 2 service, publish the single record `SRV 0 0 0 .` instead.",
            )
            .at(rec.origin),
        );
    }
}

fn srv_004(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    for (rec, prio, weight, port, target) in srv_records(input) {
        if !reads_as_address(target) {
            continue;
        }
        out.push(
            rule.finding(
                input,
                srv_text(rec, prio, weight, port, target),
                format!(
                    "The SRV target `{target}` of `{}` is an address, not a host name. Senders look the target up as a name and find nothing.",
                    rec.name
                ),
                format!(
                    "Name the relay (e.g. `sor1.{}`), publish its address as an A/AAAA record of that name, and use the name as the SRV target.",
                    input.domain
                ),
            )
            .at(rec.origin),
        );
    }
}

fn srv_005(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    // Most sets hold no CNAME at all: one cheap scan spares a lookup per SRV record.
    if input.records.of_type("CNAME").next().is_none() {
        return;
    }
    for (rec, prio, weight, port, target) in srv_records(input) {
        if target.is_empty() {
            continue;
        }
        let Some(alias) = input.records.cname_of(target) else {
            continue;
        };
        out.push(
            rule.finding(
                input,
                srv_text(rec, prio, weight, port, target),
                format!(
                    "The SRV target `{target}` of `{}` is an alias (CNAME to `{alias}`). An SRV target must be the host itself; senders may refuse the alias, and DANE (TLSA) is looked up at the wrong name.",
                    rec.name
                ),
                format!("Point the SRV record directly at `{alias}`."),
            )
            .at(rec.origin),
        );
    }
}

fn srv_007(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let targets = srv_records(input).map(|(rec, _, _, _, target)| (rec, target));
    for (owner, root, real) in super::common::root_beside_real(targets) {
        out.push(
            rule.finding(
                input,
                owner,
                format!(
                    "`{owner}` mixes the \".\" target (\"no service here\") with {real} real target(s). A \".\" target is only meaningful as the single record of the RRset; mixed with hosts it is ambiguous."
                ),
                "Remove the `SRV 0 0 0 .` record if the relays are meant to be used, or remove the other records to opt out.",
            )
            .at(root.origin),
        );
    }
}

fn srv_008(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    // Per (owner, priority): weight-0 count, positive count, first weight-0 record.
    type Group<'a> = (&'a str, i64, usize, usize, Option<&'a Record>);
    let mut groups: super::common::Groups<(&str, i64), Group<'_>> = super::common::Groups::new();
    for (rec, prio, weight, _, target) in srv_records(input) {
        if target.is_empty() {
            continue;
        }
        let owner = rec.name.as_str();
        if let Some(g) = groups.entry((owner, prio), || (owner, prio, 0, 0, None)) {
            if weight == 0 {
                g.2 += 1;
                g.4.get_or_insert(rec);
            } else if weight > 0 {
                g.3 += 1;
            }
        }
    }
    for (owner, prio, zero, positive, first_zero) in groups.items {
        let Some(first_zero) = first_zero else {
            continue;
        };
        if positive == 0 {
            continue;
        }
        out.push(
            rule.finding(
                input,
                format!("{owner} priority {prio}"),
                format!(
                    "At priority {prio} of `{owner}`, {zero} target(s) have weight 0 and {positive} have a positive weight; senders then almost never choose the weight-0 targets."
                ),
                "Give every target of one priority weight 0 when no load split is intended, or give each a positive weight (e.g. 50 and 50).",
            )
            .at(first_zero.origin),
        );
    }
}

fn srv_009(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    for (rec, prio, weight, port, target) in srv_records(input) {
        let service = rec.name.split('.').next().unwrap_or("");
        if service != input.srv_label
            || target.is_empty()
            || !(1..=65535).contains(&port)
            || port == 25
            || port == 465
        {
            continue;
        }
        out.push(
            rule.finding(
                input,
                srv_text(rec, prio, weight, port, target),
                format!(
                    "The SecMX SRV record at `{}` sends relays to port {port} of `{target}`. SMTP relay service should use port 25 (STARTTLS) or 465 (implicit TLS): many networks block other ports, and senders cannot tell which TLS mode to use.",
                    rec.name
                ),
                format!("Run the relay on port 25 or 465 and publish that port: `SRV {prio} {weight} 25 {target}.`."),
            )
            .at(rec.origin),
        );
    }
}

/// What a non-relay label is for, for SRV-010 messages.
fn label_purpose(label: &str) -> &'static str {
    if label == "_smtp" {
        "`_smtp._tcp` has no standard meaning for relays (ordinary senders use MX)"
    } else {
        "it is for mail clients submitting mail (RFC 6186, RFC 8314), not for relays"
    }
}

fn srv_010(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let label = input.srv_label;
    let label_reported = NOT_RELAY_DISCOVERY.contains(&label);
    if label_reported {
        out.push(
            rule.finding(
                input,
                input.srv_owner(),
                format!(
                    "The SRV service label is set to `{label}`, but {}. SecMX senders do not treat targets found there as Secure Only Receivers.",
                    label_purpose(label)
                ),
                "Use the SecMX label `_secmx` (or the label your SRV profile names) for relay discovery.",
            )
            .at(Origin::Domain),
        );
    }
    let mut seen = HashSet::new();
    for (rec, ..) in srv_records(input) {
        let owner = rec.name.as_str();
        let service = owner.split('.').next().unwrap_or("");
        if !NOT_RELAY_DISCOVERY.contains(&service)
            || (label_reported && service == label)
            || !seen.insert(owner)
        {
            continue;
        }
        out.push(
            rule.finding(
                input,
                owner,
                format!(
                    "SRV records at `{owner}` are not SecMX relay discovery: {}. Their targets are not treated as Secure Only Receivers.",
                    label_purpose(service)
                ),
                format!(
                    "Publish relay SRV records at `{}`; keep `{owner}` only if it is meant for its own purpose.",
                    input.srv_owner()
                ),
            )
            .at(rec.origin),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::*;

    const OWNER: &str = "_secmx._tcp.agency.example";

    // SRV-001

    #[test]
    fn srv_001_fail_owner_without_underscore() {
        let out = Case::new(vec![srv(
            "secmx._tcp.agency.example",
            10,
            0,
            25,
            "sor1.agency.example.",
        )])
        .fails("SRV-001");
        assert!(
            out[0].fix.contains("`_secmx._tcp.agency.example`"),
            "{}",
            out[0].fix
        );
    }

    #[test]
    fn srv_001_fail_udp_owner() {
        let out = Case::new(vec![srv(
            "_secmx._udp.agency.example",
            10,
            0,
            25,
            "sor1.agency.example.",
        )])
        .fails("SRV-001");
        assert!(
            out[0].fix.contains("`_secmx._tcp.agency.example`"),
            "{}",
            out[0].fix
        );
    }

    #[test]
    fn srv_001_fail_missing_protocol_label() {
        Case::new(vec![srv(
            "_secmx.agency.example",
            10,
            0,
            25,
            "sor1.agency.example.",
        )])
        .fails("SRV-001");
    }

    #[test]
    fn srv_001_fail_design_label_without_underscore() {
        Case::new(vec![]).srv_label("secmx").fails("SRV-001");
    }

    #[test]
    fn srv_001_pass_secmx_tcp() {
        Case::new(vec![srv(OWNER, 10, 0, 25, "sor1.agency.example.")]).passes("SRV-001");
    }

    #[test]
    fn srv_001_pass_unrelated_udp_service() {
        Case::new(vec![srv(
            "_sip._udp.agency.example",
            10,
            0,
            5060,
            "sip.agency.example.",
        )])
        .passes("SRV-001");
    }

    // SRV-002

    #[test]
    fn srv_002_fail_negative_priority() {
        Case::new(vec![srv(OWNER, -1, 0, 25, "sor1.agency.example.")]).fails("SRV-002");
    }

    #[test]
    fn srv_002_fail_weight_70000() {
        let out =
            Case::new(vec![srv(OWNER, 10, 70000, 25, "sor1.agency.example.")]).fails("SRV-002");
        assert!(
            out[0].message.contains("weight 70000"),
            "{}",
            out[0].message
        );
    }

    #[test]
    fn srv_002_pass_in_range() {
        Case::new(vec![srv(OWNER, 10, 0, 25, "sor1.agency.example.")]).passes("SRV-002");
        Case::new(vec![srv(OWNER, 65535, 65535, 25, "sor1.agency.example.")]).passes("SRV-002");
    }

    // SRV-003

    #[test]
    fn srv_003_fail_port_0_with_real_target() {
        Case::new(vec![srv(OWNER, 10, 0, 0, "sor1.agency.example.")]).fails("SRV-003");
    }

    #[test]
    fn srv_003_fail_port_out_of_range() {
        Case::new(vec![srv(OWNER, 10, 0, 70000, "sor1.agency.example.")]).fails("SRV-003");
    }

    #[test]
    fn srv_003_pass_port_25() {
        Case::new(vec![srv(OWNER, 10, 0, 25, "sor1.agency.example.")]).passes("SRV-003");
    }

    #[test]
    fn srv_003_pass_opt_out() {
        Case::new(vec![srv(OWNER, 0, 0, 0, ".")]).passes("SRV-003");
    }

    // SRV-004

    #[test]
    fn srv_004_fail_address_target() {
        Case::new(vec![srv(OWNER, 10, 0, 25, "198.51.100.10.")]).fails("SRV-004");
    }

    #[test]
    fn srv_004_pass_host_target() {
        Case::new(vec![srv(OWNER, 10, 0, 25, "sor1.agency.example.")]).passes("SRV-004");
    }

    // SRV-005

    #[test]
    fn srv_005_fail_cname_target() {
        let out = Case::new(vec![
            srv(OWNER, 10, 0, 25, "secure.agency.example."),
            cname("secure.agency.example", "sor1.provider.example."),
        ])
        .fails("SRV-005");
        assert!(
            out[0].fix.contains("`sor1.provider.example`"),
            "{}",
            out[0].fix
        );
    }

    #[test]
    fn srv_005_pass_host_target() {
        Case::new(vec![srv(OWNER, 10, 0, 25, "sor1.provider.example.")]).passes("SRV-005");
    }

    // SRV-007

    #[test]
    fn srv_007_fail_root_mixed_with_real_target() {
        let out = Case::new(vec![
            srv(OWNER, 0, 0, 0, "."),
            srv(OWNER, 10, 0, 25, "sor1.agency.example."),
        ])
        .fails("SRV-007");
        assert_eq!(out.len(), 1);
    }

    #[test]
    fn srv_007_pass_opt_out_alone() {
        Case::new(vec![srv(OWNER, 0, 0, 0, ".")]).passes("SRV-007");
    }

    #[test]
    fn srv_007_pass_real_targets_only() {
        Case::new(vec![
            srv(OWNER, 10, 0, 25, "sor1.agency.example."),
            srv(OWNER, 20, 0, 25, "sor2.agency.example."),
        ])
        .passes("SRV-007");
    }

    // SRV-008

    #[test]
    fn srv_008_fail_zero_weight_beside_positive_weight() {
        let out = Case::new(vec![
            srv(OWNER, 10, 0, 25, "sor1.agency.example."),
            srv(OWNER, 10, 50, 25, "sor2.agency.example."),
        ])
        .fails_with("SRV-008", Severity::Info);
        assert_eq!(out.len(), 1);
    }

    #[test]
    fn srv_008_pass_all_zero_weights() {
        Case::new(vec![
            srv(OWNER, 10, 0, 25, "sor1.agency.example."),
            srv(OWNER, 10, 0, 25, "sor2.agency.example."),
        ])
        .passes("SRV-008");
    }

    #[test]
    fn srv_008_pass_all_positive_weights() {
        Case::new(vec![
            srv(OWNER, 10, 50, 25, "sor1.agency.example."),
            srv(OWNER, 10, 50, 25, "sor2.agency.example."),
        ])
        .passes("SRV-008");
    }

    #[test]
    fn srv_008_pass_different_priorities() {
        Case::new(vec![
            srv(OWNER, 10, 0, 25, "sor1.agency.example."),
            srv(OWNER, 20, 50, 25, "sor2.agency.example."),
        ])
        .passes("SRV-008");
    }

    // SRV-009

    #[test]
    fn srv_009_fail_port_2525() {
        Case::new(vec![srv(OWNER, 10, 0, 2525, "sor1.agency.example.")])
            .fails_with("SRV-009", Severity::Warning);
    }

    #[test]
    fn srv_009_pass_port_25() {
        Case::new(vec![srv(OWNER, 10, 0, 25, "sor1.agency.example.")]).passes("SRV-009");
    }

    #[test]
    fn srv_009_pass_port_465() {
        Case::new(vec![srv(OWNER, 10, 0, 465, "sor1.agency.example.")]).passes("SRV-009");
    }

    #[test]
    fn srv_009_pass_opt_out() {
        Case::new(vec![srv(OWNER, 0, 0, 0, ".")]).passes("SRV-009");
    }

    // SRV-010

    #[test]
    fn srv_010_fail_submissions_records() {
        let out = Case::new(vec![srv(
            "_submissions._tcp.agency.example",
            0,
            1,
            465,
            "sor1.agency.example.",
        )])
        .fails_with("SRV-010", Severity::Warning);
        assert_eq!(out[0].subject, "_submissions._tcp.agency.example");
    }

    #[test]
    fn srv_010_fail_submissions_as_the_secmx_label() {
        let out = Case::new(vec![
            srv(
                "_submissions._tcp.agency.example",
                0,
                1,
                465,
                "sor1.agency.example.",
            ),
            srv(
                "_submissions._tcp.agency.example",
                0,
                1,
                465,
                "sor2.agency.example.",
            ),
        ])
        .srv_label("_submissions")
        .fails("SRV-010");
        assert_eq!(
            out.len(),
            1,
            "one finding for the label, not one per record: {out:?}"
        );
    }

    #[test]
    fn srv_010_fail_smtp_records() {
        Case::new(vec![srv(
            "_smtp._tcp.agency.example",
            0,
            0,
            25,
            "mx1.agency.example.",
        )])
        .fails("SRV-010");
    }

    #[test]
    fn srv_010_pass_secmx_465() {
        Case::new(vec![srv(OWNER, 10, 0, 465, "sor1.agency.example.")]).passes("SRV-010");
    }

    #[test]
    fn clean_rendered_design_is_quiet_in_name_mx_nmx_srv() {
        use crate::model::{Design, DomainName, Level, MtaSts, Relay, Role, StsMode, TlsRpt};
        use crate::rules::Prepared;
        let Ok(domain) = DomainName::parse("agency.nz") else {
            panic!("domain");
        };
        let mut d = Design::new(domain);
        d.level = Level::L2;
        for i in 0..50 {
            let role = if i % 2 == 0 { Role::Ber } else { Role::Sor };
            let mut r = Relay::new(format!("relay{i}.agency.nz"), role);
            r.port = if i % 4 == 1 { 465 } else { 25 };
            r.addresses = vec![std::net::IpAddr::from([9, 9, 9, i as u8])];
            r.tlsa = vec![format!("3 1 1 {}", h256('a'))];
            d.relays.push(r);
        }
        d.mta_sts = Some(MtaSts {
            mode: StsMode::Enforce,
            max_age: 604800,
            id: None,
            mx: Vec::new(),
            policy_sha256: None,
        });
        d.tls_rpt = Some(TlsRpt {
            rua: vec!["mailto:tlsrpt@agency.nz".into()],
        });
        let prepared = Prepared::from_design(&d);
        let input = prepared.input(&d);
        let mut out = Vec::new();
        for group in [
            crate::rules::name::RULES,
            crate::rules::mx::RULES,
            crate::rules::nmx::RULES,
            RULES,
        ] {
            for rule in group {
                if let Some(check) = rule.check {
                    check(rule, &crate::rules::Facts::new(input), &mut out);
                }
            }
        }
        assert!(out.is_empty(), "{out:#?}");
    }
}
