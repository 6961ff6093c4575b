#![cfg(test)]

use crate::model::{RData, Record};
use crate::rules::Severity;
use crate::rules::testkit::*;

const D: &str = "agency.example";
const SRV: &str = "_secmx._tcp.agency.example";
const MX1: &str = "mx1.agency.example";
const T1: &str = "_25._tcp.mx1.agency.example";

/// A self-signed P-256 certificate for mx1.agency.example (DER, hex).
const CERT: &str = "3082019030820135a003020102021450d51a016e370613c018f8b6ab171ea7292f3dd7300a06082a8648ce3d040302301d311b301906035504030c126d78312e6167656e63792e6578616d706c65301e170d3236313132383139303431355a170d3336313132353139303431355a301d311b301906035504030c126d78312e6167656e63792e6578616d706c653059301306072a8648ce3d020106082a8648ce3d03010703420004d57b87172a8e52cc44e28fb69add3843d2dc34952659521cc688cd24ac7d40d684c4d5d9e67e74c631b224126b262548313581d383f3da8c23bc0b59d38e2a9aa3533051301d0603551d0e04160414dd694e28a259d3851a9c85c092d9670be3d2564d301f0603551d23041830168014dd694e28a259d3851a9c85c092d9670be3d2564d300f0603551d130101ff040530030101ff300a06082a8648ce3d0403020349003046022100e9c0101912448f4dbdccf5bc6cf442688b33a6a05a383e98f995de5b4d9055cb022100914ebaea76822bcfe5744d4cb05d6187591d774cbb87a7b43566dda1c718d4de";
/// Its SubjectPublicKeyInfo (DER, hex).
const SPKI: &str = "3059301306072a8648ce3d020106082a8648ce3d03010703420004d57b87172a8e52cc44e28fb69add3843d2dc34952659521cc688cd24ac7d40d684c4d5d9e67e74c631b224126b262548313581d383f3da8c23bc0b59d38e2a9a";

fn one(r: Record) -> Case {
    Case::new(vec![mx(D, 10, MX1), r])
}

fn good() -> Record {
    tlsa(T1, 3, 1, 1, &h256('a'))
}

#[test]
fn tlsa_001_fail_tlsa_at_mail_domain() {
    let out = one(tlsa("_25._tcp.agency.example", 3, 1, 1, &h256('a')))
        .fails_with("TLSA-001", Severity::Error);
    assert!(out[0].message.contains(T1));
}

#[test]
fn tlsa_001_fail_wrong_port_for_srv_target() {
    Case::new(vec![
        mx(D, 10, MX1),
        srv(SRV, 10, 0, 465, "sor1.agency.example"),
        tlsa("_25._tcp.sor1.agency.example", 3, 1, 1, &h256('a')),
    ])
    .fails("TLSA-001");
}

#[test]
fn tlsa_001_fail_not_a_port_name() {
    one(tlsa("mx1.agency.example", 3, 1, 1, &h256('a'))).fails("TLSA-001");
}

#[test]
fn tlsa_001_pass_tlsa_at_mx_host() {
    one(good()).passes("TLSA-001");
}

#[test]
fn tlsa_001_pass_tlsa_at_srv_port() {
    Case::new(vec![
        mx(D, 10, MX1),
        srv(SRV, 10, 0, 465, "sor1.agency.example"),
        tlsa("_465._tcp.sor1.agency.example", 3, 1, 1, &h256('a')),
        good(),
    ])
    .passes("TLSA-001");
}

#[test]
fn tlsa_001_follows_the_configured_srv_label() {
    let records = vec![
        mx(D, 10, MX1),
        srv(
            "_smtptls._tcp.agency.example",
            10,
            0,
            465,
            "sor1.agency.example",
        ),
        tlsa("_465._tcp.sor1.agency.example", 3, 1, 1, &h256('a')),
    ];
    Case::new(records.clone())
        .srv_label("_smtptls")
        .passes("TLSA-001");
    // Under the default label the same host is no relay of the domain.
    Case::new(records).fails("TLSA-001");
}

#[test]
fn tlsa_002_fail_usage_4() {
    one(tlsa(T1, 4, 1, 1, &h256('a'))).fails_with("TLSA-002", Severity::Error);
}

#[test]
fn tlsa_002_pass_usage_3() {
    one(good()).passes("TLSA-002");
    one(tlsa(T1, 255, 1, 1, &h256('a'))).passes("TLSA-002");
}

#[test]
fn tlsa_003_fail_selector_2() {
    one(tlsa(T1, 3, 2, 1, &h256('a'))).fails_with("TLSA-003", Severity::Error);
}

#[test]
fn tlsa_003_pass_selector_1() {
    one(good()).passes("TLSA-003");
}

#[test]
fn tlsa_004_fail_matching_3() {
    one(tlsa(T1, 3, 1, 3, &h256('a'))).fails_with("TLSA-004", Severity::Error);
}

#[test]
fn tlsa_004_pass_matching_1() {
    one(good()).passes("TLSA-004");
}

#[test]
fn tlsa_005_fail_16_byte_digest() {
    let out = one(tlsa(T1, 3, 1, 1, "E8B54E0B4BAA815B06D3462D65FBC7C0"))
        .fails_with("TLSA-005", Severity::Error);
    assert!(out[0].message.contains("64 hex digits"));
}

#[test]
fn tlsa_005_fail_not_hex_and_wrong_sha512_size() {
    one(tlsa(T1, 3, 1, 1, &h256('g'))).fails("TLSA-005");
    one(tlsa(T1, 3, 1, 2, &h256('a'))).fails("TLSA-005");
}

#[test]
fn tlsa_005_fail_type_0_not_der() {
    one(tlsa(T1, 3, 0, 0, &h256('a'))).fails("TLSA-005");
    one(tlsa(T1, 3, 1, 0, &h256('a'))).fails("TLSA-005");
    // A certificate where an SPKI is expected, and the reverse.
    one(tlsa(T1, 3, 1, 0, CERT)).fails("TLSA-005");
    one(tlsa(T1, 3, 0, 0, SPKI)).fails("TLSA-005");
}

#[test]
fn tlsa_005_fail_unparsed_tlsa_text() {
    one(Record::new(
        T1,
        3600,
        RData::Other {
            rtype: "TLSA".into(),
            data: "3 1".into(),
        },
    ))
    .fails("TLSA-005");
}

#[test]
fn tlsa_005_pass_right_sizes_and_der() {
    one(good()).passes("TLSA-005");
    one(tlsa(T1, 3, 1, 2, &h512('b'))).passes("TLSA-005");
    one(tlsa(T1, 3, 0, 0, CERT)).passes("TLSA-005");
    one(tlsa(T1, 3, 1, 0, SPKI)).passes("TLSA-005");
}

#[test]
fn tlsa_006_fail_pkix_ee() {
    one(tlsa(T1, 1, 1, 1, &h256('a'))).fails_with("TLSA-006", Severity::Warning);
    one(tlsa(T1, 0, 1, 1, &h256('a'))).fails("TLSA-006");
}

#[test]
fn tlsa_006_pass_dane_ee() {
    one(good()).passes("TLSA-006");
}

#[test]
fn tlsa_007_fail_only_3_0_2() {
    one(tlsa(T1, 3, 0, 2, &h512('a'))).fails_with("TLSA-007", Severity::Info);
}

#[test]
fn tlsa_007_pass_3_1_1_and_2_1_1() {
    Case::new(vec![mx(D, 10, MX1), good(), tlsa(T1, 2, 1, 1, &h256('b'))]).passes("TLSA-007");
}

#[test]
fn tlsa_008_fail_only_sha512() {
    one(tlsa(T1, 3, 1, 2, &h512('a'))).fails_with("TLSA-008", Severity::Warning);
}

#[test]
fn tlsa_008_pass_sha256_with_optional_sha512() {
    one(good()).passes("TLSA-008");
    Case::new(vec![mx(D, 10, MX1), good(), tlsa(T1, 3, 1, 2, &h512('b'))]).passes("TLSA-008");
}

#[test]
fn tlsa_009_fail_matching_0() {
    one(tlsa(T1, 3, 0, 0, CERT)).fails_with("TLSA-009", Severity::Warning);
}

#[test]
fn tlsa_009_pass_matching_1() {
    one(good()).passes("TLSA-009");
}

#[test]
fn tlsa_010_fail_3_0_1() {
    one(tlsa(T1, 3, 0, 1, &h256('a'))).fails_with("TLSA-010", Severity::Warning);
    one(tlsa(T1, 3, 0, 2, &h512('a'))).fails("TLSA-010");
}

#[test]
fn tlsa_010_pass_3_1_1() {
    one(good()).passes("TLSA-010");
}

#[test]
fn tlsa_011_fail_single_record() {
    one(good()).fails_with("TLSA-011", Severity::Warning);
}

#[test]
fn tlsa_011_pass_current_and_next() {
    Case::new(vec![mx(D, 10, MX1), good(), tlsa(T1, 3, 1, 1, &h256('b'))]).passes("TLSA-011");
}

#[test]
fn tlsa_014_fail_only_pkix_usages() {
    one(tlsa(T1, 1, 1, 1, &h256('a'))).fails_with("TLSA-014", Severity::Warning);
    // DANE-EE but malformed data is not usable either.
    one(tlsa(T1, 3, 1, 1, "abcd")).fails("TLSA-014");
}

#[test]
fn tlsa_014_pass_one_usable_record() {
    Case::new(vec![mx(D, 10, MX1), tlsa(T1, 1, 1, 1, &h256('a')), good()]).passes("TLSA-014");
    one(tlsa(T1, 2, 1, 1, &h256('a'))).passes("TLSA-014");
}

/// A probed MX whose main handshake served an ECDSA key and whose RSA-only variant found an RSA
/// key; `ec_dane`/`rsa_dane` say whether the TLSA RRset covers each.
fn two_key_report(
    ec_dane: crate::model::probe_facts::dane::DaneVerdict,
    rsa_dane: crate::model::probe_facts::dane::DaneVerdict,
) -> crate::model::probe_facts::ProbeReport {
    use crate::model::probe_facts::variants::{VariantFacts, VariantKind, VariantOutcome};
    let t = crate::model::probe_facts::ProbeTarget::new(
        "mx1.agency.example",
        std::net::IpAddr::from([192, 0, 2, 25]),
        25,
        crate::model::Role::Ber,
    );
    let mut r = crate::model::probe_facts::ProbeReport::new(&t);
    r.tls = Some(crate::model::probe_facts::TlsFacts {
        version: Some("TLSv1.3".into()),
        ..Default::default()
    });
    let leaf = crate::model::probe_facts::tls::CertInfo {
        subject: String::new(),
        sans: vec![],
        issuer: String::new(),
        not_before: String::new(),
        not_after: String::new(),
        not_after_unix: i64::MAX,
        key: "EC P-256".into(),
        key_bits: 256,
        signature_algorithm: String::new(),
        sha256: "11".into(),
        spki_sha256: "ec".into(),
        self_issued: false,
    };
    r.certificate = Some(crate::model::probe_facts::CertificateFacts {
        subject: String::new(),
        sans: vec![],
        issuer: String::new(),
        not_before: String::new(),
        not_after: String::new(),
        key: leaf.key.clone(),
        pkix: crate::model::probe_facts::tls::Pkix::Valid,
        pkix_error: None,
        intermediates_missing: false,
        chain: vec![leaf],
    });
    r.dane = ec_dane;
    r.variants = vec![VariantFacts {
        variant: VariantKind::RsaOnly,
        sni: Some("mx1.agency.example".into()),
        offered: "RSA signature schemes only".into(),
        outcome: VariantOutcome::Completed,
        error: None,
        version: Some("TLSv1.3".into()),
        cipher: None,
        leaf_key: Some("RSA 2048".into()),
        leaf_spki_sha256: Some("rsa".into()),
        chain_length: 2,
        dane: Some(rsa_dane),
        dane_detail: None,
        note: None,
        ms: 1,
    }];
    crate::rules::probe_judge::judge(&mut r, 0);
    r
}

fn tlsa_015_findings(r: crate::model::probe_facts::ProbeReport) -> Vec<crate::rules::Finding> {
    let facts = crate::model::probe_facts::ProbeFacts {
        reports: vec![r],
        policy: None,
    };
    let case = Case::default();
    let mut input = case.input();
    input.probes = Some(&facts);
    let rule = crate::rules::rule("TLSA-015").unwrap_or_else(|| panic!("TLSA-015"));
    assert_eq!(rule.needs, crate::rules::Needs::Probe);
    assert_eq!(rule.planned, None);
    let mut out = Vec::new();
    (rule.check.unwrap_or_else(|| panic!("TLSA-015 has a check")))(
        rule,
        &crate::rules::Facts::new(input),
        &mut out,
    );
    out
}

#[test]
fn tlsa_015_fail_one_3_1_1_for_the_rsa_key_while_the_server_also_offers_ecdsa() {
    use crate::model::probe_facts::dane::DaneVerdict;
    let f = tlsa_015_findings(two_key_report(DaneVerdict::Fail, DaneVerdict::Valid));
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].severity, Severity::Warning);
    assert!(
        f[0].message.contains("the ECDSA P-256 key is not covered"),
        "{}",
        f[0].message
    );
    assert!(f[0].fix.contains("every key"), "{}", f[0].fix);
}

#[test]
fn tlsa_015_pass_records_for_the_rsa_and_the_ecdsa_key() {
    use crate::model::probe_facts::dane::DaneVerdict;
    assert!(tlsa_015_findings(two_key_report(DaneVerdict::Valid, DaneVerdict::Valid)).is_empty());
    // TLSA not DNSSEC-secure: DANE does not apply, nothing to cover
    assert!(
        tlsa_015_findings(two_key_report(
            DaneVerdict::NotApplicable,
            DaneVerdict::NotApplicable
        ))
        .is_empty()
    );
}
