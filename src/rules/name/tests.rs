#![cfg(test)]

use super::*;
use crate::model::Role;
use crate::rules::testkit::*;

/// A DANE-EE SPKI SHA-256 TLSA record at `owner`.
fn tlsa_at(owner: &str) -> Record {
    tlsa(owner, 3, 1, 1, &h256('a'))
}

// NAME-001

#[test]
fn name_001_fail_64_octet_label() {
    let host = format!("mx-{}.agency.example", "a".repeat(64));
    let out = Case::new(vec![addr(&host, "192.0.2.25")]).fails("NAME-001");
    assert_eq!(out.len(), 1);
    assert!(out[0].message.contains("67 octets"), "{}", out[0].message);
}

#[test]
fn name_001_fail_empty_label_in_target() {
    Case::new(vec![mx("agency.example", 10, "mx1..agency.example.")]).fails("NAME-001");
}

#[test]
fn name_001_pass_short_labels() {
    Case::new(vec![addr("mx1.agency.example", "192.0.2.25")]).passes("NAME-001");
}

#[test]
fn name_001_pass_63_octet_label() {
    let host = format!("{}.agency.example", "a".repeat(63));
    Case::new(vec![
        mx("agency.example", 10, &host),
        addr(&host, "192.0.2.25"),
    ])
    .passes("NAME-001");
}

#[test]
fn name_001_reports_each_name_once() {
    let host = format!("{}.agency.example", "b".repeat(70));
    let out = Case::new(vec![
        mx("agency.example", 10, &host),
        mx("sub.agency.example", 10, &host),
        addr(&host, "192.0.2.25"),
    ])
    .fails("NAME-001");
    assert_eq!(out.len(), 1);
}

// NAME-002

#[test]
fn name_002_fail_260_character_tlsa_owner() {
    let owner = format!(
        "_25._tcp.{}.agency.example",
        vec!["a".repeat(60); 4].join(".")
    );
    assert!(owner.len() > 253);
    Case::new(vec![tlsa_at(&owner)]).fails("NAME-002");
}

#[test]
fn name_002_pass_short_tlsa_owner() {
    Case::new(vec![tlsa_at("_25._tcp.mx1.agency.example")]).passes("NAME-002");
}

#[test]
fn name_002_pass_253_characters() {
    // 3 × 63 + 46 + 4 dots + "agency.example" (14) = 253 characters.
    let name = format!(
        "{}.{}.agency.example",
        vec!["c".repeat(63); 3].join("."),
        "d".repeat(46)
    );
    assert_eq!(name.len(), 253);
    Case::new(vec![addr(&name, "192.0.2.25")]).passes("NAME-002");
    let longer = format!("e{name}");
    Case::new(vec![addr(&longer, "192.0.2.25")]).fails("NAME-002");
}

// NAME-003

#[test]
fn name_003_fail_underscore_inside_mx_label() {
    let out =
        Case::new(vec![mx("agency.example", 10, "mail_gw.agency.example.")]).fails("NAME-003");
    assert!(out[0].fix.contains("mail-gw"), "{}", out[0].fix);
}

#[test]
fn name_003_fail_leading_hyphen() {
    Case::new(vec![mx("agency.example", 10, "-mx.agency.example.")]).fails("NAME-003");
}

#[test]
fn name_003_fail_tlsa_base_name() {
    Case::new(vec![tlsa_at("_25._tcp.mail_gw.agency.example")]).fails("NAME-003");
}

#[test]
fn name_003_pass_ldh_host() {
    Case::new(vec![mx("agency.example", 10, "mail-gw.agency.example.")]).passes("NAME-003");
}

#[test]
fn name_003_leaves_underscore_labels_and_attribute_owners_alone() {
    Case::new(vec![
        srv(
            "_secmx._tcp.agency.example",
            10,
            0,
            25,
            "_sor.agency.example.",
        ),
        txt("_mta-sts.agency.example", &["v=STSv1; id=1"]),
        tlsa_at("_25._tcp.mx1.agency.example"),
    ])
    .passes("NAME-003");
}

// NAME-004

#[test]
fn name_004_fail_underscore_srv_target() {
    let out = Case::new(vec![srv(
        "_secmx._tcp.agency.example",
        10,
        0,
        25,
        "_sor.agency.example.",
    )])
    .fails("NAME-004");
    assert_eq!(out[0].subject, "_sor.agency.example");
    assert!(
        out[0].fix.contains("`sor.agency.example`"),
        "{}",
        out[0].fix
    );
}

#[test]
fn name_004_fail_underscore_in_tlsa_base_name() {
    Case::new(vec![tlsa_at("_25._tcp._sor.agency.example")]).fails("NAME-004");
}

#[test]
fn name_004_leaves_a_malformed_tlsa_port_label_to_name_013() {
    Case::new(vec![tlsa_at("25._tcp.mx1.agency.example")]).passes("NAME-004");
    Case::new(vec![tlsa_at("25._tcp.mx1.agency.example")]).fails("NAME-013");
}

#[test]
fn name_004_pass_ldh_target() {
    Case::new(vec![srv(
        "_secmx._tcp.agency.example",
        10,
        0,
        25,
        "sor1.agency.example.",
    )])
    .passes("NAME-004");
}

#[test]
fn name_004_pass_attribute_owners_and_cname_targets() {
    Case::new(vec![
        cname("_mta-sts.agency.example", "_mta-sts.provider.example."),
        txt(
            "_smtp._tls.agency.example",
            &["v=TLSRPTv1; rua=mailto:r@agency.example"],
        ),
        tlsa_at("_25._tcp.mx1.agency.example"),
        srv(
            "_secmx._tcp.agency.example",
            10,
            0,
            25,
            "sor1.agency.example.",
        ),
    ])
    .passes("NAME-004");
}

// NAME-005

#[test]
fn name_005_fail_ip_like_exchange() {
    let out = Case::new(vec![mx("agency.example", 10, "192.0.2.25.")])
        .fails_with("NAME-005", Severity::Warning);
    assert_eq!(out[0].subject, "192.0.2.25");
}

#[test]
fn name_005_pass_host_name() {
    Case::new(vec![mx("agency.example", 10, "mx1.agency.example.")]).passes("NAME-005");
}

// NAME-006

#[test]
fn name_006_fail_u_label_exchange() {
    let out = Case::new(vec![mx("agency.example", 10, "pōhi.agency.example.")]).fails("NAME-006");
    assert!(
        out[0].fix.contains("xn--phi-qxa.agency.example"),
        "{}",
        out[0].fix
    );
}

#[test]
fn name_006_pass_a_label_exchange() {
    Case::new(vec![mx(
        "agency.example",
        10,
        "xn--phi-qxa.agency.example.",
    )])
    .passes("NAME-006");
}

// NAME-007

#[test]
fn name_007_fail_bogus_punycode_is_error() {
    Case::new(vec![mx(
        "agency.example",
        10,
        "xn--zz-bogus.agency.example.",
    )])
    .fails_with("NAME-007", Severity::Error);
}

#[test]
fn name_007_fail_xn_label_of_plain_ascii_is_error() {
    // `xn--abc-` decodes to "abc": ASCII is never encoded as an A-label.
    Case::new(vec![addr("xn--abc-.agency.example", "192.0.2.25")])
        .fails_with("NAME-007", Severity::Error);
}

#[test]
fn name_007_fail_reserved_hyphens_is_warning() {
    let out = Case::new(vec![mx("agency.example", 10, "ab--mx.agency.example.")])
        .fails_with("NAME-007", Severity::Warning);
    assert!(out.iter().all(|f| f.severity == Severity::Warning));
}

#[test]
fn name_007_fail_invalid_punycode_in_the_domain_without_relays() {
    // Issue 13.7: no record is built on the domain, yet its A-label is judged.
    let text = "format = 1\ndomain = \"xn--abc-9999999999999999.example\"\nlevel = 1\n";
    let d = crate::project::parse_design(text, "t").unwrap();
    let f: Vec<_> = crate::rules::lint(&d)
        .into_iter()
        .filter(|f| f.rule == "NAME-007")
        .collect();
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].severity, Severity::Error);
    assert!(f[0].message.contains("`xn--abc-9999999999999999`"), "{f:?}");
    assert!(f[0].message.contains("mail domain"), "{f:?}");
    // A valid A-label domain passes.
    let ok = text.replace("xn--abc-9999999999999999", "xn--phi-qxa");
    let d = crate::project::parse_design(&ok, "t").unwrap();
    assert!(!crate::rules::lint(&d).iter().any(|f| f.rule == "NAME-007"));
}

#[test]
fn name_007_pass_plain_host() {
    Case::new(vec![mx("agency.example", 10, "mx1.agency.example.")]).passes("NAME-007");
}

#[test]
fn name_007_pass_valid_a_label() {
    Case::new(vec![mx(
        "agency.example",
        10,
        "xn--phi-qxa.agency.example.",
    )])
    .passes("NAME-007");
}

// NAME-008

#[test]
fn name_008_fail_doubled_origin() {
    let out = Case::new(vec![mx(
        "agency.example",
        10,
        "mx1.agency.example.agency.example.",
    )])
    .fails("NAME-008");
    assert!(
        out[0].fix.contains("`mx1.agency.example.`"),
        "{}",
        out[0].fix
    );
    assert!(out[0].fix.contains("`mx1`"), "{}", out[0].fix);
}

#[test]
fn name_008_pass_absolute_target() {
    Case::new(vec![mx("agency.example", 10, "mx1.agency.example.")]).passes("NAME-008");
}

#[test]
fn name_008_pass_name_merely_ending_like_the_domain() {
    // `xagency.example.agency.example` is not `<…>.agency.example.agency.example`.
    Case::new(vec![mx("agency.example", 10, "xagency.example.")]).passes("NAME-008");
}

// NAME-009

#[test]
fn name_009_fail_ttl_above_31_bits() {
    Case::new(vec![ttl(
        mx("agency.example", 10, "mx1.agency.example."),
        4_294_967_295,
    )])
    .fails("NAME-009");
}

#[test]
fn name_009_fail_negative_ttl() {
    Case::new(vec![ttl(addr("mx1.agency.example", "192.0.2.25"), -1)]).fails("NAME-009");
}

#[test]
fn name_009_pass_one_hour() {
    Case::new(vec![ttl(
        mx("agency.example", 10, "mx1.agency.example."),
        3600,
    )])
    .passes("NAME-009");
    Case::new(vec![ttl(
        mx("agency.example", 10, "mx1.agency.example."),
        2_147_483_647,
    )])
    .passes("NAME-009");
}

// NAME-010

#[test]
fn name_010_fail_300_octet_string() {
    let long = format!("v=TLSRPTv1; rua=mailto:{}@agency.example", "r".repeat(270));
    assert!(long.len() > 255);
    Case::new(vec![txt("_smtp._tls.agency.example", &[&long])]).fails("NAME-010");
}

#[test]
fn name_010_pass_split_strings() {
    Case::new(vec![txt(
        "_smtp._tls.agency.example",
        &[
            "v=TLSRPTv1; rua=mailto:tlsrpt@agency.example,",
            "mailto:tlsrpt@provider.example",
        ],
    )])
    .passes("NAME-010");
    let max = "s".repeat(255);
    Case::new(vec![txt("agency.example", &[&max, &max])]).passes("NAME-010");
}

// NAME-011

#[test]
fn name_011_fail_cname_beside_txt() {
    let out = Case::new(vec![
        cname("_mta-sts.agency.example", "_mta-sts.provider.example."),
        txt("_mta-sts.agency.example", &["v=STSv1; id=1"]),
    ])
    .fails("NAME-011");
    assert_eq!(out.len(), 1);
    assert!(out[0].message.contains("TXT"), "{}", out[0].message);
}

#[test]
fn name_011_pass_only_cname() {
    Case::new(vec![cname(
        "_mta-sts.agency.example",
        "_mta-sts.provider.example.",
    )])
    .passes("NAME-011");
}

#[test]
fn name_011_pass_only_txt() {
    Case::new(vec![txt("_mta-sts.agency.example", &["v=STSv1; id=1"])]).passes("NAME-011");
}

// NAME-012

#[test]
fn name_012_fail_19_character_service_label() {
    let out = Case::new(vec![srv(
        "_secure-smtp-relay-nz._tcp.agency.example",
        10,
        0,
        25,
        "sor1.agency.example.",
    )])
    .fails("NAME-012");
    assert!(out[0].message.contains("at most 15"), "{}", out[0].message);
}

#[test]
fn name_012_fail_design_label_too_long() {
    Case::new(vec![])
        .srv_label("_secure-smtp-relay-nz")
        .fails("NAME-012");
}

#[test]
fn name_012_fail_udp_protocol() {
    Case::new(vec![srv(
        "_secmx._udp.agency.example",
        10,
        0,
        25,
        "sor1.agency.example.",
    )])
    .fails("NAME-012");
}

#[test]
fn name_012_fail_label_without_letter_or_with_double_hyphen() {
    Case::new(vec![srv(
        "_123._tcp.agency.example",
        10,
        0,
        25,
        "sor1.agency.example.",
    )])
    .fails("NAME-012");
    Case::new(vec![srv(
        "_sec--mx._tcp.agency.example",
        10,
        0,
        25,
        "sor1.agency.example.",
    )])
    .fails("NAME-012");
    Case::new(vec![]).srv_label("_secmx-").fails("NAME-012");
}

#[test]
fn name_012_pass_secmx_tcp() {
    Case::new(vec![srv(
        "_secmx._tcp.agency.example",
        10,
        0,
        25,
        "sor1.agency.example.",
    )])
    .passes("NAME-012");
}

#[test]
fn name_012_pass_other_services_over_udp() {
    Case::new(vec![srv(
        "_sip._udp.agency.example",
        10,
        0,
        5060,
        "sip.agency.example.",
    )])
    .passes("NAME-012");
}

// NAME-013

#[test]
fn name_013_fail_leading_zero_port() {
    let out = Case::new(vec![tlsa_at("_025._tcp.mx1.agency.example")]).fails("NAME-013");
    assert!(
        out[0].fix.contains("`_25._tcp.mx1.agency.example`"),
        "{}",
        out[0].fix
    );
}

#[test]
fn name_013_fail_not_a_port() {
    Case::new(vec![tlsa_at("_smtp._tcp.mx1.agency.example")]).fails("NAME-013");
    Case::new(vec![tlsa_at("_70000._tcp.mx1.agency.example")]).fails("NAME-013");
    Case::new(vec![tlsa_at("_25.mx1.agency.example")]).fails("NAME-013");
}

#[test]
fn name_013_pass_decimal_port() {
    Case::new(vec![tlsa_at("_25._tcp.mx1.agency.example")]).passes("NAME-013");
    Case::new(vec![tlsa_at("_465._tcp.sor1.agency.example")]).passes("NAME-013");
}

// NAME-014

/// The MX records of `n` BERs `mx<i>.agency.example` at the apex.
fn many_mx(n: usize) -> Vec<Record> {
    (0..n)
        .map(|i| mx("agency.example", 10, &format!("mx{i}.agency.example")))
        .collect()
}

#[test]
fn name_014_fail_10000_bers() {
    // Fail: a design with 10,000 BERs (one MX RRset of 10,000 records).
    let out = Case::new(many_mx(10_000)).fails_with("NAME-014", Severity::Error);
    assert_eq!(out.len(), 1, "{out:?}");
    assert_eq!(out[0].subject, "agency.example MX");
    assert!(
        out[0].message.contains("10000 records") && out[0].message.contains("ran out of space"),
        "{}",
        out[0].message
    );
}

#[test]
fn name_014_fail_generated_design_of_10000_relays_is_an_error() {
    let d = crate::model::sample::generated_design(10_000);
    let out: Vec<_> = crate::rules::lint(&d)
        .into_iter()
        .filter(|f| f.rule == "NAME-014" && f.severity == Severity::Error)
        .collect();
    // The MX RRset (6,667 BERs) and the SRV RRset (3,333 SORs).
    assert_eq!(out.len(), 2, "{out:?}");
}

#[test]
fn name_014_warn_over_1232_octets() {
    // 60 MX records: about 1,500 octets with compression, fits in TCP, not in 1,232 over UDP.
    let out = Case::new(many_mx(60)).fails_with("NAME-014", Severity::Warning);
    assert_eq!(out.len(), 1);
    assert!(out[0].message.contains("1,232"), "{}", out[0].message);
}

#[test]
fn name_014_warn_counts_the_rrsig_of_a_signed_zone() {
    // 55 MX records fit in 1,232 octets (1,188 with EDNS); with TLSA in the set (a signed
    // zone) the RRSIG of the answer (110 octets) pushes it over.
    let mut recs = many_mx(55);
    Case::new(recs.clone()).passes("NAME-014");
    recs.push(tlsa("_25._tcp.mx0.agency.example", 3, 1, 1, &h256('a')));
    Case::new(recs).fails_with("NAME-014", Severity::Warning);
}

#[test]
fn name_014_warn_long_txt_and_many_tlsa() {
    let long = "v=spf1 ".to_string() + &"ip4:192.0.2.1 ".repeat(100);
    let parts = crate::zone::split_txt(&long);
    let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
    Case::new(vec![txt("agency.example", &parts)]).fails_with("NAME-014", Severity::Warning);
    let tlsa: Vec<Record> = (0..8)
        .map(|i| {
            tlsa(
                "_25._tcp.mx1.agency.example",
                3,
                0,
                0,
                &format!("{i:02x}").repeat(300),
            )
        })
        .collect();
    Case::new(tlsa).fails_with("NAME-014", Severity::Warning);
}

#[test]
fn name_014_pass_small_rrsets() {
    // Pass: a design whose largest RRset answer is under 1,232 octets.
    let mut recs = many_mx(20);
    recs.push(txt(
        "_smtp._tls.agency.example",
        &["v=TLSRPTv1; rua=mailto:tlsrpt@agency.example"],
    ));
    Case::new(recs).passes("NAME-014");
    let d = crate::model::sample::generated_design(30);
    assert!(!crate::rules::lint(&d).iter().any(|f| f.rule == "NAME-014"));
}

#[test]
fn name_014_judges_published_records_too() {
    // Static rules judge `Published` record sets through the same registry.
    let p = crate::model::published::Published::from_rrsets("agency.example", "_secmx", vec![], 0);
    let mut p = p;
    for r in many_mx(5_000) {
        p.records.push(r);
    }
    let input =
        crate::rules::live::published_input(&p, crate::model::Profile::Secmx, Default::default());
    let out = crate::rules::run(&input, &[crate::rules::Needs::Static]);
    assert!(
        out.iter()
            .any(|f| f.rule == "NAME-014" && f.severity == Severity::Error),
        "{out:?}"
    );
}

// NAME-015

#[test]
fn name_015_fail_rrset_bind_cannot_store() {
    // 320 MX records whose exchanges share a 190-octet suffix: the answer compresses them to
    // about 49,000 octets (fits in a message), but uncompressed they take about 67,000 octets:
    // named-checkzone 9.18 says "ran out of space" (NSD and Knot load the zone).
    let suffix = format!(
        "{}.{}.{}.agency.example",
        "a".repeat(60),
        "b".repeat(60),
        "c".repeat(60)
    );
    let recs: Vec<Record> = (0..320)
        .map(|i| mx("agency.example", 10, &format!("mx{i}.{suffix}")))
        .collect();
    let c = Case::new(recs);
    let size = c.run("NAME-014");
    assert!(
        size.iter().all(|f| f.severity == Severity::Warning),
        "{size:?}"
    );
    let out = c.fails("NAME-015");
    assert_eq!(out.len(), 1);
    assert!(out[0].message.contains("320 records"), "{}", out[0].message);
}

#[test]
fn name_015_pass_at_the_limit() {
    // 2,400 MX records stay under the limit (named-checkzone loads up to 2,467 of this shape).
    Case::new(many_mx(2_400)).passes("NAME-015");
}

// NAME-016

#[test]
fn name_016_fail_tlsa_of_a_relay_outside_the_domain() {
    let c = Case::new(vec![
        mx("agency.example", 10, "mx1.provider.example"),
        tlsa("_25._tcp.mx1.provider.example", 3, 1, 1, &h256('a')),
    ])
    .relay("mx1.provider.example", Role::Ber, 25);
    let out = c.fails("NAME-016");
    assert_eq!(out[0].subject, "_25._tcp.mx1.provider.example");
}

#[test]
fn name_016_pass_records_inside_the_domain() {
    Case::new(vec![
        mx("agency.example", 10, "mx1.agency.example"),
        tlsa("_25._tcp.mx1.agency.example", 3, 1, 1, &h256('a')),
    ])
    .relay("mx1.agency.example", Role::Ber, 25)
    .passes("NAME-016");
    // What DNS publishes is not one zone: not judged.
    Case::new(vec![tlsa(
        "_25._tcp.mx1.provider.example",
        3,
        1,
        1,
        &h256('a'),
    )])
    .passes("NAME-016");
}
