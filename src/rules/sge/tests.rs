#![cfg(test)]

use super::*;
use crate::model::Record;
use crate::rules::testkit::{Case, addr, cname, mx, txt};

const D: &str = "agency.example";
const STS: &str = "_mta-sts.agency.example";
const RPT: &str = "_smtp._tls.agency.example";
const DMARC: &str = "_dmarc.agency.example";

fn mx2() -> Vec<Record> {
    vec![
        mx(D, 10, "mx1.agency.example"),
        mx(D, 20, "mx2.agency.example"),
    ]
}

fn with(mut base: Vec<Record>, more: Vec<Record>) -> Vec<Record> {
    base.extend(more);
    base
}

fn policy(mode: &str, mx_lines: &[&str]) -> String {
    let mut s = format!("version: STSv1\r\nmode: {mode}\r\n");
    for m in mx_lines {
        s.push_str(&format!("mx: {m}\r\n"));
    }
    s.push_str("max_age: 1209600\r\n");
    s
}

fn dmarc(text: &str) -> Case {
    Case::new(with(mx2(), vec![txt(DMARC, &[text])])).sge()
}

fn spf(texts: &[&str]) -> Case {
    let recs = texts.iter().map(|t| txt(D, &[t])).collect();
    Case::new(with(mx2(), recs)).sge()
}

// Profile gate.
#[test]
fn sge_rules_are_quiet_without_the_profile() {
    let c = Case::new(mx2());
    for id in [
        "SGE-002", "SGE-003", "SGE-004", "SGE-006", "SGE-007", "SGE-008", "SGE-009",
    ] {
        c.passes(id);
    }
    Case::new(vec![mx(D, 0, ".")]).sge().fails("SGE-009");
}

// SGE-002
#[test]
fn sge_002_fail_no_mta_sts() {
    let f = Case::new(mx2())
        .sge()
        .fails_with("SGE-002", Severity::Error);
    assert!(f.iter().any(|x| x.message.contains("_mta-sts")), "{f:?}");
}

#[test]
fn sge_002_fail_testing_mode() {
    let f = Case::new(with(mx2(), vec![txt(STS, &["v=STSv1; id=20260315"])]))
        .policy(&policy(
            "testing",
            &["mx1.agency.example", "mx2.agency.example"],
        ))
        .sge()
        .fails_with("SGE-002", Severity::Error);
    assert!(f[0].message.contains("mode: testing"), "{f:?}");
}

#[test]
fn sge_002_fail_mx_not_listed() {
    let f = Case::new(with(mx2(), vec![txt(STS, &["v=STSv1; id=20260315"])]))
        .policy(&policy("enforce", &["mx1.agency.example"]))
        .sge()
        .fails("SGE-002");
    assert!(f[0].message.contains("mx2.agency.example"), "{f:?}");
}

#[test]
fn sge_002_pass_enforce_every_mx() {
    Case::new(with(mx2(), vec![txt(STS, &["v=STSv1; id=20260315"])]))
        .policy(&policy(
            "enforce",
            &["mx1.agency.example", "mx2.agency.example"],
        ))
        .sge()
        .passes("SGE-002");
    Case::new(with(mx2(), vec![txt(STS, &["v=STSv1; id=20260315"])]))
        .policy(&policy("enforce", &["*.agency.example"]))
        .sge()
        .passes("SGE-002");
}

// SGE-003
#[test]
fn sge_003_fail_no_tlsrpt() {
    Case::new(mx2())
        .sge()
        .fails_with("SGE-003", Severity::Error);
}

#[test]
fn sge_003_fail_no_usable_rua() {
    Case::new(with(
        mx2(),
        vec![txt(RPT, &["v=TLSRPTv1; rua=tlsrpt@agency.example"])],
    ))
    .sge()
    .fails("SGE-003");
}

#[test]
fn sge_003_pass_mailto_rua() {
    Case::new(with(
        mx2(),
        vec![txt(RPT, &["v=TLSRPTv1; rua=mailto:tlsrpt@agency.example"])],
    ))
    .sge()
    .passes("SGE-003");
}

// SGE-004
#[test]
fn sge_004_fail_softfail() {
    let f =
        spf(&["v=spf1 include:_spf.provider.example ~all"]).fails_with("SGE-004", Severity::Error);
    assert!(f[0].message.contains("~all"), "{f:?}");
}

#[test]
fn sge_004_fail_two_records() {
    spf(&["v=spf1 -all", "v=spf1 mx -all"]).fails("SGE-004");
}

#[test]
fn sge_004_fail_eleven_lookups() {
    let text = "v=spf1 include:a.example include:b.example include:c.example a mx ptr exists:e.example include:d.example include:f.example a:x.example mx:y.example/24 -all";
    let f = spf(&[text]).fails("SGE-004");
    assert!(f[0].message.contains("11 DNS-querying"), "{f:?}");
}

#[test]
fn sge_004_fail_missing_and_redirect_is_warning() {
    Case::new(mx2()).sge().fails("SGE-004");
    spf(&["v=spf1 redirect=_spf.provider.example"]).fails_with("SGE-004", Severity::Warning);
}

#[test]
fn sge_004_pass_include_hardfail() {
    spf(&[
        "v=spf1 include:_spf.provider.example -all",
        "google-site-verification=x",
    ])
    .passes("SGE-004");
    let ten = "v=spf1 include:a.example include:b.example include:c.example a mx ptr exists:e.example include:d.example include:f.example redirect=z.example -all";
    spf(&[ten]).passes("SGE-004");
}

// SGE-006
#[test]
fn sge_006_fail_quarantine_pct50() {
    let f = dmarc("v=DMARC1; p=quarantine; pct=50").fails_with("SGE-006", Severity::Error);
    assert!(
        f.iter().any(|x| x.message.contains("p=quarantine")),
        "{f:?}"
    );
    assert!(f.iter().any(|x| x.message.contains("pct=50")), "{f:?}");
    assert!(f.iter().any(|x| x.message.contains("rua")), "{f:?}");
}

#[test]
fn sge_006_fail_missing() {
    Case::new(mx2()).sge().fails("SGE-006");
    dmarc("v=DMARC1; p=reject").fails("SGE-006");
}

#[test]
fn sge_006_pass_reject_with_rua() {
    dmarc("v=DMARC1; p=reject; rua=mailto:dmarc@agency.example").passes("SGE-006");
    dmarc("v=DMARC1; p=reject; pct=100; rua=mailto:dmarc@agency.example").passes("SGE-006");
    Case::new(with(mx2(), vec![cname(DMARC, "_dmarc.vendor.example")]))
        .sge()
        .passes("SGE-006");
}

// SGE-007
#[test]
fn sge_007_fail_relaxed_default() {
    dmarc("v=DMARC1; p=reject").fails_with("SGE-007", Severity::Warning);
    dmarc("v=DMARC1; p=reject; adkim=s; aspf=r").fails("SGE-007");
}

#[test]
fn sge_007_pass_strict() {
    dmarc("v=DMARC1; p=reject; adkim=s; aspf=s; rua=mailto:dmarc@agency.example").passes("SGE-007");
}

// SGE-008
#[test]
fn sge_008_fail_sp_none() {
    dmarc("v=DMARC1; p=reject; sp=none").fails_with("SGE-008", Severity::Warning);
}

#[test]
fn sge_008_pass_sp_absent_or_reject() {
    dmarc("v=DMARC1; p=reject").passes("SGE-008");
    dmarc("v=DMARC1; p=reject; sp=reject").passes("SGE-008");
}

// SGE-009
#[test]
fn sge_009_fail_a_record_only() {
    let f = Case::new(vec![addr("brand.example", "192.0.2.10")])
        .domain("brand.example")
        .sge()
        .fails_with("SGE-009", Severity::Error);
    assert_eq!(f.len(), 3, "SPF, DMARC and null MX: {f:?}");
    assert!(f.iter().any(|x| x.fix.contains("MX 0 .")), "{f:?}");
}

#[test]
fn sge_009_fail_null_mx_with_soft_spf() {
    let f = Case::new(vec![
        mx("brand.example", 0, "."),
        txt("brand.example", &["v=spf1 ~all"]),
        txt("_dmarc.brand.example", &["v=DMARC1; p=reject"]),
    ])
    .domain("brand.example")
    .sge()
    .fails("SGE-009");
    assert_eq!(f.len(), 1, "{f:?}");
}

#[test]
fn sge_009_pass_locked_down() {
    Case::new(vec![
        mx("brand.example", 0, "."),
        txt("brand.example", &["v=spf1 -all"]),
        txt("_dmarc.brand.example", &["v=DMARC1; p=reject"]),
    ])
    .domain("brand.example")
    .sge()
    .passes("SGE-009");
}

#[test]
fn sge_009_pass_mail_domain() {
    spf(&["v=spf1 include:_spf.provider.example -all"]).passes("SGE-009");
    // Sends mail, receives none: SGE-004/006 judge it, not the lock-down rule.
    Case::new(vec![
        mx(D, 0, "."),
        txt(D, &["v=spf1 include:_spf.provider.example -all"]),
    ])
    .sge()
    .passes("SGE-009");
}

#[test]
fn parsers() {
    let s = parse_spf("V=SPF1 ip4:192.0.2.0/24 ?include:x.example -all").unwrap();
    assert_eq!(s.dns_terms(), 1);
    assert_eq!(s.all(), Some("-all"));
    assert!(s.authorizes_senders());
    assert!(parse_spf("v=spf10 -all").is_none());
    assert!(parse_spf("v=spf1 -all").unwrap().is_lockdown());
    let d = parse_dmarc("v=DMARC1; P = Reject ; rua=mailto:a@x.example").unwrap();
    assert_eq!(d.get("p"), Some("Reject"));
    assert!(parse_dmarc("p=reject; v=DMARC1").is_none());
}
