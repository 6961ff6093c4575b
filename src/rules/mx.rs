//! MX rules (the catalogue: `rules::catalogue`, `secmx explain`). Each rule's Fail/Pass examples are its unit tests below.

use super::{Finding, Needs, Rule, Severity};
use crate::model::{RData, Record};
use std::collections::HashSet;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The rules of this group, in catalogue order.
pub const RULES: &[Rule] = &[
    Rule::new(
        "MX-001",
        Severity::Error,
        "The MX exchange is a host name, never an IPv4/IPv6 address.",
        mx_001,
    ),
    Rule::new(
        "MX-002",
        Severity::Error,
        "The MX exchange must not be an alias (CNAME); DANE-aware senders also stop applying DANE through it.",
        mx_002,
    ),
    Rule::new(
        "MX-003",
        Severity::Error,
        "Every MX exchange resolves to at least one A or AAAA record.",
        super::live::mx_003,
    )
    .needs(Needs::Dns),
    Rule::new(
        "MX-004",
        Severity::Error,
        "MX preference is a 16-bit unsigned integer (0–65535).",
        mx_004,
    ),
    Rule::new(
        "MX-005",
        Severity::Warning,
        "MX host addresses are publicly routable: not loopback, RFC 1918 private, link-local, unspecified or documentation space (allowed only when the user marks the domain as a test domain).",
        mx_005,
    ),
    Rule::new(
        "MX-006",
        Severity::Warning,
        "MX targets under special-use TLDs (`.invalid`, `.localhost`, `.test`, `.example`) cannot be reached on the public Internet.",
        mx_006,
    ),
    Rule::new(
        "MX-007",
        Severity::Warning,
        "A domain with no MX but with A/AAAA gets an \"implicit MX\" (its own address at preference 0); for SecMX publish an explicit BER MX, or a null MX if it takes no mail.",
        mx_007,
    ),
    Rule::new(
        "MX-008",
        Severity::Error,
        "In Level 1 every MX host is a BER: it offers STARTTLS and still accepts mail without TLS (tested live by PROBE-005 and PROBE-010).",
        super::live_probe::mx_008,
    )
    .needs(Needs::Probe),
];

/// Whether a target name is (or reads as) an address literal: an IPv4/IPv6 address, optionally in
/// brackets or with an `IPv6:` tag, four all-digit labels (`192.0.2.300`), or colon-hex text.
pub(super) fn reads_as_address(name: &str) -> bool {
    if name.is_empty() {
        return false;
    }
    let t = name.trim_start_matches('[').trim_end_matches(']');
    let t = t.strip_prefix("ipv6:").unwrap_or(t);
    if t.parse::<IpAddr>().is_ok() {
        return true;
    }
    if t.contains(':') {
        return t
            .bytes()
            .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.');
    }
    let mut labels = 0;
    for label in t.split('.') {
        if label.is_empty() || !label.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
        labels += 1;
    }
    labels == 4
}

/// The special-purpose block an address lies in, when it is not publicly routable (RFC 6890 and
/// friends), or `None` for an ordinary public address.
pub(super) fn special_range(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => special_v4(v4),
        IpAddr::V6(v6) => special_v6(v6),
    }
}

fn special_v4(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, c, _] = ip.octets();
    Some(match (a, b, c) {
        _ if ip.is_unspecified() => "the unspecified address",
        (0, ..) => "\"this network\" space (0.0.0.0/8)",
        (127, ..) => "loopback space (127.0.0.0/8)",
        (10, ..) => "private space (RFC 1918, 10.0.0.0/8)",
        (172, 16..=31, _) => "private space (RFC 1918, 172.16.0.0/12)",
        (192, 168, _) => "private space (RFC 1918, 192.168.0.0/16)",
        (169, 254, _) => "link-local space (169.254.0.0/16)",
        (100, 64..=127, _) => "shared carrier-grade NAT space (RFC 6598, 100.64.0.0/10)",
        (192, 0, 0) => "IETF protocol assignment space (192.0.0.0/24)",
        (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => "documentation space (RFC 5737)",
        (198, 18..=19, _) => "benchmarking space (198.18.0.0/15)",
        (224..=239, ..) => "multicast space (224.0.0.0/4)",
        (240..=255, ..) => "reserved space (240.0.0.0/4)",
        _ => return None,
    })
}

fn special_v6(ip: Ipv6Addr) -> Option<&'static str> {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return special_v4(v4).or(Some("IPv4-mapped space (::ffff:0:0/96)"));
    }
    let s = ip.segments();
    let [s0, s1, s2, s3, ..] = s;
    Some(match () {
        _ if ip.is_unspecified() => "the unspecified address",
        _ if ip.is_loopback() => "the loopback address",
        _ if s0 & 0xfe00 == 0xfc00 => "unique local space (RFC 4193, fc00::/7)",
        _ if s0 & 0xffc0 == 0xfe80 => "link-local space (fe80::/10)",
        _ if s0 & 0xffc0 == 0xfec0 => "deprecated site-local space (fec0::/10)",
        _ if s0 & 0xff00 == 0xff00 => "multicast space (ff00::/8)",
        _ if s0 == 0x2001 && s1 == 0x0db8 => "documentation space (RFC 3849, 2001:db8::/32)",
        _ if s0 & 0xfff0 == 0x3ff0 => "documentation space (RFC 9637, 3fff::/20)",
        _ if s0 == 0x0100 && s1 == 0 && s2 == 0 && s3 == 0 => {
            "discard-only space (RFC 6666, 100::/64)"
        }
        _ if s0 == 0x2001 && s1 == 0x0002 && s2 == 0 => "benchmarking space (2001:2::/48)",
        _ => return None,
    })
}

/// Special-use names (RFC 6761) that never resolve on the public Internet.
fn special_use_suffix(host: &str) -> Option<&'static str> {
    const SUFFIXES: &[&str] = &[
        "invalid",
        "localhost",
        "test",
        "example",
        "example.com",
        "example.net",
        "example.org",
    ];
    SUFFIXES
        .iter()
        .copied()
        .find(|s| host == *s || host.strip_suffix(s).is_some_and(|head| head.ends_with('.')))
}

fn mx_001(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    for (rec, pref, exch) in input.records.mx_records() {
        if !reads_as_address(exch) {
            continue;
        }
        out.push(
            rule.finding(
                input,
                format!("{} MX {pref} {exch}", rec.name),
                format!(
                    "The MX exchange `{exch}` of `{}` is an address, not a host name. Senders look the exchange up as a name, find no address for it, and cannot deliver.",
                    rec.name
                ),
                format!(
                    "Name the relay (e.g. `mx1.{}`), publish the address as its A/AAAA record, and point the MX at that name.",
                    input.domain
                ),
            )
            .at(rec.origin),
        );
    }
}

fn mx_002(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    // Most sets hold no CNAME at all: one cheap scan spares a lookup per MX record.
    if input.records.of_type("CNAME").next().is_none() {
        return;
    }
    for (rec, pref, exch) in input.records.mx_records() {
        if exch.is_empty() {
            continue;
        }
        let Some(alias) = input.records.cname_of(exch) else {
            continue;
        };
        out.push(
            rule.finding(
                input,
                format!("{} MX {pref} {exch}", rec.name),
                format!(
                    "The MX exchange `{exch}` of `{}` is an alias (CNAME to `{alias}`). An MX must name the host itself: some senders refuse the alias, and DANE-aware senders stop applying DANE through it.",
                    rec.name
                ),
                format!("Point the MX directly at `{alias}`."),
            )
            .at(rec.origin),
        );
    }
}

fn mx_004(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    for (rec, pref, exch) in input.records.mx_records() {
        if (0..=65535).contains(&pref) {
            continue;
        }
        out.push(
            rule.finding(
                input,
                format!("{} MX {pref} {exch}", rec.name),
                format!(
                    "The MX preference {pref} for `{exch}` is outside 0–65535; a preference is a 16-bit unsigned number, so the record cannot be published."
                ),
                "Use a preference between 0 and 65535, e.g. 10 (lower numbers are tried first).",
            )
            .at(rec.origin),
        );
    }
}

fn mx_005(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    if input.options.test_domain {
        return;
    }
    // First the addresses that are not public (usually none), then whether their owner is an MX
    // host: two linear passes, and no hashing at all when every address is public.
    let special: Vec<(&Record, IpAddr, &'static str)> = input
        .records
        .iter()
        .filter_map(|rec| {
            let ip = match rec.data {
                RData::A(a) => IpAddr::V4(a),
                RData::Aaaa(a) => IpAddr::V6(a),
                _ => return None,
            };
            special_range(ip).map(|range| (rec, ip, range))
        })
        .collect();
    if special.is_empty() {
        return;
    }
    let exchanges: HashSet<&str> = input
        .records
        .mx_records()
        .map(|(_, _, exch)| exch)
        .filter(|exch| !exch.is_empty())
        .collect();
    let mut prev: Option<(&str, IpAddr)> = None;
    for (rec, ip, range) in special {
        let host = rec.name.as_str();
        // A record repeated in a row (zone files sometimes hold duplicates) is reported once.
        let repeat = prev == Some((host, ip));
        prev = Some((host, ip));
        if repeat || !exchanges.contains(host) {
            continue;
        }
        let ip = ip.to_string();
        out.push(
            rule.finding(
                input,
                format!("{host} {} {ip}", rec.data.rtype()),
                format!(
                    "The MX host `{host}` has the address {ip}, which is in {range} and cannot be reached from the public Internet; senders that try it lose time or fail."
                ),
                "Publish the relay's public address, or mark the design as a test domain if it is only used for testing.",
            )
            .at(rec.origin),
        );
    }
}

fn mx_006(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    if input.options.test_domain {
        return;
    }
    for (rec, pref, exch) in input.records.mx_records() {
        let Some(suffix) = special_use_suffix(exch) else {
            continue;
        };
        out.push(
            rule.finding(
                input,
                format!("{} MX {pref} {exch}", rec.name),
                format!(
                    "The MX exchange `{exch}` lies under the special-use name `.{suffix}` (RFC 6761), which never resolves on the public Internet; senders cannot reach it."
                ),
                "List only publicly resolvable relay host names in MX, or mark the design as a test domain if it is only used for testing.",
            )
            .at(rec.origin),
        );
    }
}

fn mx_007(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let domain = input.domain;
    if input.records.mx_of(domain).next().is_some() {
        return;
    }
    let Some(rec) = input
        .records
        .named(domain)
        .find(|r| matches!(r.data, RData::A(_) | RData::Aaaa(_)))
    else {
        return;
    };
    let addrs: Vec<String> = input
        .records
        .addresses_of(domain)
        .map(|a| a.to_string())
        .collect();
    out.push(
        rule.finding(
            input,
            domain,
            format!(
                "`{domain}` publishes no MX but has the address {}, so senders fall back to an \"implicit MX\" and deliver mail to that host on port 25 — a host that is not a designed BER and may not offer TLS.",
                addrs.join(", ")
            ),
            format!(
                "Publish an explicit MX for a BER relay (e.g. `{domain}. MX 10 mx1.{domain}.`), or a null MX (`{domain}. MX 0 .`) if the domain takes no mail."
            ),
        )
        .at(rec.origin),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::*;

    // MX-001

    #[test]
    fn mx_001_fail_ipv4_exchange() {
        let out = Case::new(vec![mx("agency.example", 10, "192.0.2.25.")]).fails("MX-001");
        assert_eq!(out.len(), 1);
        assert!(
            out[0].message.contains("`192.0.2.25`"),
            "{}",
            out[0].message
        );
    }

    #[test]
    fn mx_001_fail_ipv6_and_bracketed_exchange() {
        Case::new(vec![mx("agency.example", 10, "2001:db8::25")]).fails("MX-001");
        Case::new(vec![mx("agency.example", 10, "[192.0.2.25]")]).fails("MX-001");
        // Reads as an address even though 300 is no octet.
        Case::new(vec![mx("agency.example", 10, "192.0.2.300.")]).fails("MX-001");
    }

    #[test]
    fn mx_001_pass_host_name_with_address() {
        Case::new(vec![
            mx("agency.example", 10, "mx1.agency.example."),
            addr("mx1.agency.example", "192.0.2.25"),
        ])
        .passes("MX-001");
    }

    #[test]
    fn mx_001_pass_null_mx() {
        Case::new(vec![mx("parked.example", 0, ".")])
            .domain("parked.example")
            .passes("MX-001");
    }

    // MX-002

    #[test]
    fn mx_002_fail_exchange_is_cname() {
        let out = Case::new(vec![
            mx("agency.example", 10, "mail.agency.example."),
            cname("mail.agency.example", "mx1.provider.example."),
        ])
        .fails("MX-002");
        assert!(
            out[0].fix.contains("`mx1.provider.example`"),
            "{}",
            out[0].fix
        );
    }

    #[test]
    fn mx_002_pass_exchange_is_host() {
        Case::new(vec![mx("agency.example", 10, "mx1.provider.example.")]).passes("MX-002");
    }

    // MX-004

    #[test]
    fn mx_004_fail_preference_70000() {
        Case::new(vec![mx("agency.example", 70000, "mx1.agency.example.")]).fails("MX-004");
    }

    #[test]
    fn mx_004_fail_negative_preference() {
        Case::new(vec![mx("agency.example", -1, "mx1.agency.example.")]).fails("MX-004");
    }

    #[test]
    fn mx_004_pass_preference_10() {
        Case::new(vec![mx("agency.example", 10, "mx1.agency.example.")]).passes("MX-004");
        Case::new(vec![mx("agency.example", 65535, "mx1.agency.example.")]).passes("MX-004");
    }

    // MX-005

    fn mx_with(address: &str) -> Case {
        Case::new(vec![
            mx("agency.example", 10, "mx1.agency.example."),
            addr("mx1.agency.example", address),
        ])
    }

    #[test]
    fn mx_005_fail_private_address() {
        let out = mx_with("10.1.2.3").production().fails("MX-005");
        assert_eq!(out[0].severity, Severity::Warning);
        assert!(out[0].message.contains("RFC 1918"), "{}", out[0].message);
    }

    #[test]
    fn mx_005_fail_loopback_address() {
        mx_with("127.0.0.1").production().fails("MX-005");
    }

    #[test]
    fn mx_005_fail_other_special_ranges() {
        for a in [
            "192.0.2.25",
            "100.64.1.1",
            "169.254.1.1",
            "0.0.0.0",
            "::1",
            "fe80::1",
            "fd00::25",
            "2001:db8::25",
            "::ffff:10.0.0.1",
        ] {
            let out = mx_with(a).production().run("MX-005");
            assert_eq!(out.len(), 1, "{a} should be reported");
        }
    }

    #[test]
    fn mx_005_pass_public_address() {
        mx_with("9.9.9.9").production().passes("MX-005");
        mx_with("2a00:1450:4001::25").production().passes("MX-005");
    }

    #[test]
    fn mx_005_pass_private_address_on_test_domain() {
        // The default case is a test domain.
        mx_with("10.1.2.3").passes("MX-005");
    }

    // MX-006

    #[test]
    fn mx_006_fail_invalid_tld() {
        let out = Case::new(vec![mx(
            "agency.example",
            32767,
            "ms19586615.msv1.invalid.",
        )])
        .production()
        .fails("MX-006");
        assert!(out[0].message.contains("`.invalid`"), "{}", out[0].message);
    }

    #[test]
    fn mx_006_fail_example_tld() {
        Case::new(vec![mx("agency.example", 10, "mx1.agency.example.")])
            .production()
            .fails("MX-006");
    }

    #[test]
    fn mx_006_pass_public_names() {
        Case::new(vec![
            mx("agency.nz", 10, "mx1.agency.nz."),
            mx("agency.nz", 20, "mx2.provider.net.nz."),
        ])
        .domain("agency.nz")
        .production()
        .passes("MX-006");
    }

    #[test]
    fn mx_006_pass_on_test_domain() {
        Case::new(vec![mx(
            "agency.example",
            32767,
            "ms19586615.msv1.invalid.",
        )])
        .passes("MX-006");
    }

    // MX-007

    #[test]
    fn mx_007_fail_address_without_mx() {
        let out = Case::new(vec![addr("agency.example", "192.0.2.80")])
            .fails_with("MX-007", Severity::Warning);
        assert!(out[0].message.contains("192.0.2.80"), "{}", out[0].message);
    }

    #[test]
    fn mx_007_pass_explicit_mx() {
        Case::new(vec![
            addr("agency.example", "192.0.2.80"),
            mx("agency.example", 10, "mx1.agency.example."),
        ])
        .passes("MX-007");
    }

    #[test]
    fn mx_007_pass_null_mx() {
        Case::new(vec![
            addr("agency.example", "192.0.2.80"),
            mx("agency.example", 0, "."),
        ])
        .passes("MX-007");
    }

    #[test]
    fn mx_007_pass_no_address_at_apex() {
        Case::new(vec![addr("www.agency.example", "192.0.2.80")]).passes("MX-007");
    }
}
