#![cfg(test)]

use super::{HostIndex, PatternIndex, pattern_hits};
use crate::model::sts::mx_pattern_matches;
use crate::rules::Severity;
use crate::rules::testkit::*;

const D: &str = "agency.example";
const SRV: &str = "_secmx._tcp.agency.example";
const ENFORCE: &str = "version: STSv1\nmode: enforce\nmx: mail.agency.example\nmax_age: 604800\n";
const TESTING: &str = "version: STSv1\nmode: testing\nmx: mail.agency.example\nmax_age: 604800\n";

#[test]
fn pattern_index_agrees_with_mx_pattern_matches() {
    let patterns = [
        "mx1.agency.example",
        "*.agency.example",
        "MX.Other.Example",
        "*.b.example.",
    ];
    let index = PatternIndex::new(patterns.iter().copied());
    for host in [
        "mx1.agency.example",
        "mx9.agency.example",
        "agency.example",
        "a.b.agency.example",
        "mx.other.example",
        "x.b.example",
        "x.b.example.",
        "MX2.AGENCY.EXAMPLE.",
    ] {
        let expected = patterns.iter().any(|p| mx_pattern_matches(p, host));
        assert_eq!(index.matching(host).is_some(), expected, "{host}");
        let hosts = HostIndex::new(std::iter::once(host));
        for p in patterns {
            assert_eq!(
                pattern_hits(p, &hosts),
                mx_pattern_matches(p, host),
                "{p} vs {host}"
            );
        }
    }
}

#[test]
fn xr_001_fail_mx_ttls_differ() {
    let out = Case::new(vec![
        ttl(mx(D, 10, "mx1.agency.example"), 3600),
        ttl(mx(D, 20, "mx2.agency.example"), 300),
    ])
    .fails_with("XR-001", Severity::Error);
    assert_eq!(out.len(), 1);
    assert!(out[0].message.contains("300, 3600"));
}

#[test]
fn xr_001_pass_same_ttl() {
    Case::new(vec![
        ttl(mx(D, 10, "mx1.agency.example"), 3600),
        ttl(mx(D, 20, "mx2.agency.example"), 3600),
        ttl(addr("mx1.agency.example", "198.51.100.10"), 300),
    ])
    .passes("XR-001");
}

#[test]
fn xr_002_fail_enforce_mx_not_in_policy() {
    Case::new(vec![mx(D, 10, D)])
        .policy(ENFORCE)
        .fails_with("XR-002", Severity::Error);
}

#[test]
fn xr_002_fail_testing_is_warning() {
    let out = Case::new(vec![mx(D, 10, D)])
        .policy(TESTING)
        .fails_with("XR-002", Severity::Warning);
    assert!(out.iter().all(|f| f.severity == Severity::Warning));
}

#[test]
fn xr_002_pass_mx_matches_pattern() {
    Case::new(vec![mx(D, 10, "mail.agency.example")])
        .policy(ENFORCE)
        .passes("XR-002");
}

#[test]
fn xr_002_pass_mode_none_or_no_policy() {
    Case::new(vec![mx(D, 10, D)])
        .policy("version: STSv1\nmode: none\nmx: mail.agency.example\nmax_age: 86400\n")
        .passes("XR-002");
    Case::new(vec![mx(D, 10, D)]).passes("XR-002");
}

#[test]
fn xr_003_fail_stale_pattern() {
    let out = Case::new(vec![mx(D, 10, "firewall.agency.example")])
        .policy("version: STSv1\nmode: enforce\nmx: mx.old-provider.example\nmax_age: 604800\n")
        .fails_with("XR-003", Severity::Warning);
    assert_eq!(out[0].subject, "mx.old-provider.example");
}

#[test]
fn xr_003_pass_every_pattern_matches() {
    Case::new(vec![
        mx(D, 10, "mail.agency.example"),
        mx(D, 20, "mx2.backup.example"),
    ])
    .policy("version: STSv1\nmode: enforce\nmx: mail.agency.example\nmx: *.backup.example\nmax_age: 604800\n")
    .passes("XR-003");
}

#[test]
fn xr_004_fail_one_mx_without_tlsa() {
    let out = Case::new(vec![
        mx(D, 10, "mx1.agency.example"),
        mx(D, 20, "mx2.agency.example"),
        tlsa("_25._tcp.mx1.agency.example", 3, 1, 1, &h256('a')),
    ])
    .fails_with("XR-004", Severity::Warning);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].subject, "mx2.agency.example");
}

#[test]
fn xr_004_pass_all_mx_have_tlsa() {
    Case::new(vec![
        mx(D, 10, "mx1.agency.example"),
        mx(D, 20, "mx2.agency.example"),
        tlsa("_25._tcp.mx1.agency.example", 3, 1, 1, &h256('a')),
        tlsa("_25._tcp.mx2.agency.example", 3, 1, 1, &h256('b')),
    ])
    .passes("XR-004");
}

fn xr_005_fail_case() -> Case {
    Case::new(vec![
        mx(D, 10, "mx1.agency.example"),
        srv(SRV, 10, 0, 465, "sor1.agency.example"),
        tlsa("_25._tcp.sor1.agency.example", 3, 1, 1, &h256('a')),
    ])
}

#[test]
fn xr_005_fail_tlsa_on_wrong_port_is_warning_at_l1() {
    let out = xr_005_fail_case().fails_with("XR-005", Severity::Warning);
    assert!(out[0].message.contains("_465._tcp.sor1.agency.example"));
}

#[test]
fn xr_005_fail_is_error_at_l2() {
    xr_005_fail_case()
        .l2()
        .fails_with("XR-005", Severity::Error);
}

#[test]
fn xr_005_pass_tlsa_at_srv_port() {
    Case::new(vec![
        srv(SRV, 10, 0, 465, "sor1.agency.example"),
        tlsa("_465._tcp.sor1.agency.example", 3, 1, 1, &h256('a')),
    ])
    .l2()
    .passes("XR-005");
}

#[test]
fn xr_005_pass_without_dane() {
    Case::new(vec![srv(SRV, 10, 0, 465, "sor1.agency.example")])
        .l2()
        .passes("XR-005");
}

#[test]
fn xr_009_fail_sts_without_tls_rpt() {
    Case::new(vec![txt(
        "_mta-sts.agency.example",
        &["v=STSv1; id=20260101"],
    )])
    .fails_with("XR-009", Severity::Warning);
}

#[test]
fn xr_009_fail_dane_without_tls_rpt_is_error_under_sge() {
    Case::new(vec![
        mx(D, 10, "mx1.agency.example"),
        tlsa("_25._tcp.mx1.agency.example", 3, 1, 1, &h256('a')),
    ])
    .sge()
    .fails_with("XR-009", Severity::Error);
}

#[test]
fn xr_009_pass_with_tls_rpt() {
    Case::new(vec![
        txt("_mta-sts.agency.example", &["v=STSv1; id=20260101"]),
        txt(
            "_smtp._tls.agency.example",
            &["v=TLSRPTv1; rua=mailto:tlsrpt@agency.example"],
        ),
    ])
    .passes("XR-009");
}

#[test]
fn xr_010_fail_tlsa_without_host_tls_rpt() {
    Case::new(vec![
        mx(D, 10, "mx1.agency.example"),
        tlsa("_25._tcp.mx1.agency.example", 3, 1, 1, &h256('a')),
    ])
    .fails_with("XR-010", Severity::Info);
}

#[test]
fn xr_010_pass_host_tls_rpt() {
    Case::new(vec![
        mx(D, 10, "mx1.agency.example"),
        tlsa("_25._tcp.mx1.agency.example", 3, 1, 1, &h256('a')),
        txt(
            "_smtp._tls.mx1.agency.example",
            &["v=TLSRPTv1; rua=mailto:tlsrpt@agency.example"],
        ),
    ])
    .passes("XR-010");
}

#[test]
fn xr_012_fail_dmarc_txt_and_cname() {
    Case::new(vec![
        txt("_dmarc.agency.example", &["v=DMARC1; p=none"]),
        cname("_dmarc.agency.example", "_dmarc.vendor.example"),
    ])
    .fails_with("XR-012", Severity::Error);
}

#[test]
fn xr_012_pass_only_one_of_the_two() {
    Case::new(vec![txt("_dmarc.agency.example", &["v=DMARC1; p=none"])]).passes("XR-012");
    Case::new(vec![cname(
        "_mta-sts.agency.example",
        "_mta-sts.vendor.example",
    )])
    .passes("XR-012");
}

#[test]
fn xr_013_fail_backup_without_tlsa() {
    let out = Case::new(vec![
        mx(D, 10, "mx1.agency.example"),
        mx(D, 50, "backup.isp.example"),
        tlsa("_25._tcp.mx1.agency.example", 3, 1, 1, &h256('a')),
    ])
    .fails_with("XR-013", Severity::Warning);
    assert_eq!(out[0].subject, "backup.isp.example");
}

#[test]
fn xr_013_fail_backup_not_in_policy() {
    Case::new(vec![
        mx(D, 10, "mail.agency.example"),
        mx(D, 50, "backup.isp.example"),
    ])
    .policy(ENFORCE)
    .fails("XR-013");
}

#[test]
fn xr_013_pass_backup_same_posture() {
    Case::new(vec![
        mx(D, 10, "mail.agency.example"),
        mx(D, 50, "backup.agency.example"),
        tlsa("_25._tcp.mail.agency.example", 3, 1, 1, &h256('a')),
        tlsa("_25._tcp.backup.agency.example", 3, 1, 1, &h256('b')),
    ])
    .policy("version: STSv1\nmode: enforce\nmx: *.agency.example\nmax_age: 604800\n")
    .passes("XR-013");
}

#[test]
fn xr_014_fail_equal_preference_differs_in_tlsa() {
    let out = Case::new(vec![
        mx(D, 10, "mx1.agency.example"),
        mx(D, 10, "mx2.agency.example"),
        tlsa("_25._tcp.mx1.agency.example", 3, 1, 1, &h256('a')),
    ])
    .fails_with("XR-014", Severity::Warning);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].subject, "mx2.agency.example");
}

#[test]
fn xr_014_fail_equal_preference_differs_in_policy_coverage() {
    Case::new(vec![
        mx(D, 10, "mail.agency.example"),
        mx(D, 10, "mx2.agency.example"),
    ])
    .policy(ENFORCE)
    .fails("XR-014");
}

#[test]
fn xr_014_pass_equal_preference_same_posture() {
    Case::new(vec![
        mx(D, 10, "mx1.agency.example"),
        mx(D, 10, "mx2.agency.example"),
        mx(D, 20, "mx3.agency.example"),
        tlsa("_25._tcp.mx1.agency.example", 3, 1, 1, &h256('a')),
        tlsa("_25._tcp.mx2.agency.example", 3, 1, 1, &h256('b')),
    ])
    .passes("XR-014");
}

#[test]
fn xr_015_fail_subdomain_relies_on_parent_policy() {
    Case::new(vec![
        mx("region.agency.example", 10, "mx1.agency.example"),
        txt("_mta-sts.agency.example", &["v=STSv1; id=20260101"]),
    ])
    .domain("region.agency.example")
    .fails_with("XR-015", Severity::Error);
}

#[test]
fn xr_015_pass_subdomain_own_record() {
    Case::new(vec![
        mx("region.agency.example", 10, "mx1.agency.example"),
        txt("_mta-sts.agency.example", &["v=STSv1; id=20260101"]),
        txt("_mta-sts.region.agency.example", &["v=STSv1; id=20260102"]),
    ])
    .domain("region.agency.example")
    .passes("XR-015");
}

#[test]
fn xr_016_fail_sor_without_tlsa() {
    Case::new(vec![
        mx(D, 10, "mx1.agency.example"),
        srv(SRV, 10, 0, 25, "sor1.agency.example"),
    ])
    .fails_with("XR-016", Severity::Info);
}

#[test]
fn xr_016_pass_sor_with_tlsa() {
    Case::new(vec![
        mx(D, 10, "mx1.agency.example"),
        srv(SRV, 10, 0, 25, "sor1.agency.example"),
        srv(SRV, 20, 0, 25, "mx1.agency.example"),
        tlsa("_25._tcp.sor1.agency.example", 3, 1, 1, &h256('a')),
    ])
    .passes("XR-016");
}
