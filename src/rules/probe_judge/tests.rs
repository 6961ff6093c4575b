#![cfg(test)]
//! Each PROBE rule's Fail/Pass examples (the catalogue: `rules::catalogue`, `secmx explain`), named after the rule, on hand-made reports.

use super::*;
use crate::model::probe_facts::ProbeTarget;
use crate::model::probe_facts::ciphers::{CipherTest, is_finding, suite_name};
use crate::model::probe_facts::dane::DaneResult;
use crate::model::probe_facts::names::Names;
use crate::model::probe_facts::report::{CertificateFacts, TlsFacts};
use crate::model::probe_facts::tls::CertInfo;
use crate::model::probe_facts::vantage::Vantage;
use crate::model::probe_facts::variants::{UNKNOWN_SNI, VariantFacts, VariantKind};

const CTX: JudgeCtx = JudgeCtx { now_unix: 0 };

/// A report of `host` on 192.0.2.25:25 with nothing recorded yet.
fn bare(host: &str, role: Role) -> ProbeReport {
    let t = ProbeTarget::new(host, IpAddr::from([192, 0, 2, 25]), 25, role);
    ProbeReport::new(&t)
}

/// A well-behaved relay's report: connected, 220, EHLO 250 with STARTTLS, plaintext MAIL FROM
/// as the role wants it, STARTTLS 220, TLS 1.3, MAIL FROM 250 inside TLS, injection resisted.
fn good(role: Role) -> ProbeReport {
    let mut r = bare("mx1.agency.example", role);
    r.connect = Connect::Ok;
    r.greeting = Some(220);
    r.ehlo = Some(250);
    r.capabilities = vec!["PIPELINING".into(), "STARTTLS".into()];
    r.starttls_offered = Some(true);
    r.plaintext_mail_from = Some(if role == Role::Sor { 530 } else { 250 });
    r.starttls_reply = Some(220);
    r.tls = Some(TlsFacts {
        version: Some("TLSv1.3".into()),
        cipher: Some("TLS13_AES_256_GCM_SHA384".into()),
        ..TlsFacts::default()
    });
    r.ehlo_tls = Some(250);
    r.starttls_after_tls = Some(false);
    r.tls_mail_from = Some(250);
    r.injection = Some(InjectionOutcome::Resisted);
    r
}

/// The problems one rule finds, in order.
fn run(check: fn(&ProbeReport, &JudgeCtx) -> Vec<Placed>, r: &ProbeReport) -> Vec<Problem> {
    check(r, &CTX).into_iter().map(|p| p.problem).collect()
}

fn only(p: &[Problem], rule: &str, sev: Severity) -> String {
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0].rule, rule);
    assert_eq!(p[0].severity, sev, "{p:?}");
    p[0].message.clone()
}

#[test]
fn every_rule_has_one_entry_and_a_fix() {
    let mut ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), RULES.len());
    for r in RULES {
        assert!(
            crate::rules::rule(r.id).is_some(),
            "{} in the registry",
            r.id
        );
        assert!(!r.fix.is_empty());
        assert_eq!(fix(r.id), Some(r.fix));
    }
}

#[test]
fn judge_a_good_relay_passes_with_no_problems() {
    for role in [Role::Ber, Role::Sor] {
        let mut r = good(role);
        judge(&mut r, 0);
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        assert_eq!(r.verdict, Verdict::Pass);
    }
}

#[test]
fn judge_keeps_the_report_order_and_errors_fail() {
    // connection facts first, then the cleartext dialogue, TLS, certificate, names
    let mut r = good(Role::Ber);
    r.names = Names {
        banner: Some("other.example".into()),
        ehlo: Some("mx1.agency.example".into()),
        ptr: None,
        relay: "mx1.agency.example".into(),
    };
    r.starttls_reply = Some(501);
    r.capabilities_tls = vec!["REQUIRETLS".into()];
    r.tls.as_mut().unwrap().version = Some("TLSv1.2".into());
    r.tls.as_mut().unwrap().pipelined_after_220 = 3;
    r.starttls_after_tls = Some(true);
    judge(&mut r, 0);
    let rules: Vec<&str> = r.problems.iter().map(|p| p.rule).collect();
    assert_eq!(
        rules,
        [
            "PROBE-006",
            "PROBE-006",
            "PROBE-017",
            "PROBE-008",
            "PROBE-029",
            "PROBE-004"
        ]
    );
    assert_eq!(r.verdict, Verdict::Fail);
}

#[test]
fn judge_temporary_conditions_are_inconclusive_unless_an_error_was_proven() {
    let mut r = good(Role::Ber);
    r.greeting = Some(421);
    r.temporary = true;
    r.ehlo = None;
    judge(&mut r, 0);
    assert_eq!(r.verdict, Verdict::Inconclusive, "{:?}", r.problems);
    assert!(r.problems.is_empty());
    // a BER's 4xx to MAIL FROM, 454 to STARTTLS (a warning), 4xx inside TLS: inconclusive
    for f in [
        |r: &mut ProbeReport| r.plaintext_mail_from = Some(451),
        |r: &mut ProbeReport| r.starttls_reply = Some(454),
        |r: &mut ProbeReport| r.tls_mail_from = Some(452),
        |r: &mut ProbeReport| r.connect = Connect::Cancelled,
    ] {
        let mut r = good(Role::Ber);
        f(&mut r);
        judge(&mut r, 0);
        assert_eq!(r.verdict, Verdict::Inconclusive, "{:?}", r.problems);
        assert!(r.problems.iter().all(|p| p.severity != Severity::Error));
    }
    // an error stays a failure
    let mut r = good(Role::Ber);
    r.temporary = true;
    r.injection = Some(InjectionOutcome::Vulnerable);
    judge(&mut r, 0);
    assert_eq!(r.verdict, Verdict::Fail);
}

#[test]
fn probe_001_fail_refused_pass_connected() {
    let mut r = bare("mx1.agency.example", Role::Ber);
    r.connect = Connect::Refused;
    r.connect_error = Some("connection refused".into());
    let m = only(&run(probe_001, &r), "PROBE-001", Severity::Error);
    assert_eq!(m, "no TCP connection: connection refused");
    assert!(run(probe_001, &good(Role::Ber)).is_empty());
    r.connect = Connect::Timeout;
    assert!(run(probe_001, &r).is_empty(), "a timeout is inconclusive");
}

#[test]
fn probe_002_fail_554_greeting_or_silent_close_pass_220_and_421() {
    let mut r = good(Role::Ber);
    r.greeting = Some(554);
    let m = only(&run(probe_002, &r), "PROBE-002", Severity::Error);
    assert_eq!(m, "greeting 554: the relay refuses service");
    r.greeting = None;
    r.error = Some("connection closed".into());
    let m = only(&run(probe_002, &r), "PROBE-002", Severity::Error);
    assert_eq!(m, "no 220 greeting: connection closed");
    r.temporary = true;
    assert!(run(probe_002, &r).is_empty(), "a timeout: inconclusive");
    assert!(run(probe_002, &good(Role::Ber)).is_empty());
    let mut r = good(Role::Ber);
    r.greeting = Some(421);
    assert!(run(probe_002, &r).is_empty());
}

#[test]
fn probe_003_fail_ehlo_500_pass_250() {
    let mut r = good(Role::Ber);
    r.ehlo = Some(500);
    only(&run(probe_003, &r), "PROBE-003", Severity::Error);
    let mut r = good(Role::Ber);
    r.ehlo = None;
    r.error = Some("reply timeout".into());
    r.error_step = Some(Step::Ehlo);
    let m = only(&run(probe_003, &r), "PROBE-003", Severity::Error);
    assert_eq!(m, "dialogue stopped at Ehlo: reply timeout");
    r.temporary = true;
    assert!(run(probe_003, &r).is_empty());
    assert!(run(probe_003, &good(Role::Ber)).is_empty());
}

#[test]
fn probe_005_fail_no_starttls_pass_offered() {
    let mut r = good(Role::Ber);
    r.starttls_offered = Some(false);
    only(&run(probe_005, &r), "PROBE-005", Severity::Error);
    r.implicit_tls = true;
    assert!(run(probe_005, &r).is_empty());
    assert!(run(probe_005, &good(Role::Ber)).is_empty());
}

#[test]
fn probe_006_fail_454_repeated_is_a_warning_5xx_an_error_pass_220() {
    let mut r = good(Role::Ber);
    r.starttls_reply = Some(454);
    let m = only(&run(probe_006, &r), "PROBE-006", Severity::Warning);
    assert_eq!(m, "STARTTLS answered 454 (temporary)");
    r.starttls_reply = Some(501);
    only(&run(probe_006, &r), "PROBE-006", Severity::Error);
    assert!(run(probe_006, &good(Role::Ber)).is_empty());
}

#[test]
fn probe_007_fail_handshake_failure_pass_completed() {
    let mut r = good(Role::Ber);
    r.tls = Some(TlsFacts {
        handshake_error: Some("received fatal alert: HandshakeFailure".into()),
        ..TlsFacts::default()
    });
    only(&run(probe_007, &r), "PROBE-007", Severity::Error);
    // old TLS only is PROBE-017's, a cleartext answer on an implicit port PROBE-016's
    r.tls.as_mut().unwrap().old_tls_only = true;
    assert!(run(probe_007, &r).is_empty());
    only(&run(probe_017, &r), "PROBE-017", Severity::Error);
    assert!(run(probe_007, &good(Role::Ber)).is_empty());
}

#[test]
fn probe_008_fail_starttls_still_offered_after_tls_pass_reset() {
    let mut r = good(Role::Ber);
    r.starttls_after_tls = Some(true);
    only(&run(probe_008, &r), "PROBE-008", Severity::Error);
    assert!(run(probe_008, &good(Role::Ber)).is_empty());
}

#[test]
fn probe_009_fail_injected_rset_answered_pass_resisted() {
    let mut r = good(Role::Ber);
    r.injection = Some(InjectionOutcome::Vulnerable);
    only(&run(probe_009, &r), "PROBE-009", Severity::Error);
    assert!(run(probe_009, &good(Role::Ber)).is_empty());
}

#[test]
fn probe_010_fail_mx_host_answers_530_pass_250() {
    let mut r = good(Role::Ber);
    r.plaintext_mail_from = Some(530);
    let m = only(&run(probe_010, &r), "PROBE-010", Severity::Error);
    assert!(m.contains("behaves as an SOR"), "{m}");
    r.plaintext_mail_from = Some(554);
    only(&run(probe_010, &r), "PROBE-010", Severity::Error);
    r.plaintext_mail_from = Some(451);
    assert!(run(probe_010, &r).is_empty(), "4xx: inconclusive");
    assert!(run(probe_010, &good(Role::Ber)).is_empty());
    assert!(
        run(probe_010, &good(Role::Sor)).is_empty(),
        "not an SOR's rule"
    );
}

#[test]
fn probe_011_fail_post_tls_554_pass_250() {
    let mut r = good(Role::Ber);
    r.tls_mail_from = Some(554);
    let m = only(&run(probe_011, &r), "PROBE-011", Severity::Error);
    assert_eq!(m, "MAIL FROM inside TLS refused with 554");
    assert!(run(probe_015, &r).is_empty());
    assert!(run(probe_011, &good(Role::Ber)).is_empty());
}

#[test]
fn probe_013_fail_sor_accepts_mail_before_tls_pass_530() {
    // Fail: `C: MAIL FROM:<>` → `S: 250 2.1.0 Ok` on an SRV-listed SOR
    let mut r = good(Role::Sor);
    r.plaintext_mail_from = Some(250);
    let m = only(&run(probe_013, &r), "PROBE-013", Severity::Error);
    assert!(m.contains("not secure-only"), "{m}");
    r.plaintext_mail_from = Some(554);
    only(&run(probe_013, &r), "PROBE-013", Severity::Warning);
    r.plaintext_mail_from = Some(451);
    only(&run(probe_013, &r), "PROBE-013", Severity::Warning);
    // Pass: 530 5.7.0
    assert!(run(probe_013, &good(Role::Sor)).is_empty());
    assert!(run(probe_013, &good(Role::Ber)).is_empty());
}

#[test]
fn probe_015_fail_post_tls_530_again_pass_250() {
    let mut r = good(Role::Sor);
    r.tls_mail_from = Some(530);
    only(&run(probe_015, &r), "PROBE-015", Severity::Error);
    assert!(run(probe_011, &r).is_empty());
    let mut r = good(Role::Sor);
    r.tls_mail_from = None;
    r.error = Some("connection reset".into());
    r.error_step = Some(Step::MailFromTls);
    let m = only(&run(probe_015, &r), "PROBE-015", Severity::Error);
    assert!(m.starts_with("dialogue stopped at MailFromTls"), "{m}");
    assert!(run(probe_015, &good(Role::Sor)).is_empty());
}

#[test]
fn probe_016_fail_cleartext_greeting_on_465_pass_tls() {
    let mut r = good(Role::Sor);
    r.implicit_tls = true;
    r.tls = Some(TlsFacts {
        cleartext_on_implicit: true,
        handshake_error: Some("cleartext answer on an implicit-TLS port".into()),
        ..TlsFacts::default()
    });
    only(&run(probe_016, &r), "PROBE-016", Severity::Error);
    assert!(run(probe_007, &r).is_empty(), "not PROBE-007 as well");
    assert!(run(probe_016, &good(Role::Sor)).is_empty());
}

#[test]
fn probe_017_fail_old_tls_only_pass_tls13_and_tls12_is_info() {
    let mut r = good(Role::Ber);
    r.tls.as_mut().unwrap().version = Some("TLSv1.2".into());
    let m = only(&run(probe_017, &r), "PROBE-017", Severity::Info);
    assert_eq!(m, "no TLS 1.3");
    assert!(run(probe_017, &good(Role::Ber)).is_empty());
}

fn cert(pkix: Pkix) -> CertificateFacts {
    CertificateFacts {
        subject: "CN=mx1.agency.example".into(),
        sans: vec!["mx1.agency.example".into()],
        issuer: "CN=Test CA".into(),
        not_before: String::new(),
        not_after: String::new(),
        key: "EC P-256".into(),
        pkix,
        pkix_error: Some("webpki says no".into()),
        intermediates_missing: false,
        chain: vec![cert_info("EC P-256", "aa")],
    }
}

fn with_cert(role: Role, pkix: Pkix, dane: DaneVerdict, matched: Option<&str>) -> ProbeReport {
    let mut r = good(role);
    r.certificate = Some(cert(pkix));
    r.dane = dane;
    r.dane_detail = matched.map(|m| DaneResult {
        verdict: dane,
        matched: Some(m.into()),
        detail: String::new(),
        ta_failure: None,
    });
    r
}

#[test]
fn probe_019_fail_wrong_name_pass_valid() {
    let r = with_cert(Role::Ber, Pkix::NameMismatch, DaneVerdict::NoTlsa, None);
    let m = only(&run(probe_019, &r), "PROBE-019", Severity::Warning);
    assert_eq!(
        m,
        "certificate does not name mx1.agency.example (webpki says no)"
    );
    let r = with_cert(Role::Sor, Pkix::NameMismatch, DaneVerdict::NoTlsa, None);
    only(&run(probe_019, &r), "PROBE-019", Severity::Error);
    // DANE-TA still needs the name, DANE-EE does not
    let r = with_cert(
        Role::Ber,
        Pkix::NameMismatch,
        DaneVerdict::Valid,
        Some("2 1 1"),
    );
    only(&run(probe_019, &r), "PROBE-019", Severity::Error);
    let r = with_cert(
        Role::Ber,
        Pkix::NameMismatch,
        DaneVerdict::Valid,
        Some("3 1 1"),
    );
    only(&run(probe_019, &r), "PROBE-019", Severity::Info);
    let r = with_cert(Role::Ber, Pkix::Valid, DaneVerdict::NoTlsa, None);
    assert!(run(probe_019, &r).is_empty());
}

#[test]
fn probe_020_fail_expired_pass_valid_and_dane_ee_is_info() {
    let r = with_cert(Role::Ber, Pkix::Expired, DaneVerdict::NoTlsa, None);
    only(&run(probe_020, &r), "PROBE-020", Severity::Error);
    let r = with_cert(Role::Ber, Pkix::Expired, DaneVerdict::Valid, Some("3 1 1"));
    only(&run(probe_020, &r), "PROBE-020", Severity::Info);
    let r = with_cert(Role::Ber, Pkix::Valid, DaneVerdict::NoTlsa, None);
    assert!(run(probe_020, &r).is_empty());
}

#[test]
fn probe_021_fail_self_signed_without_tlsa_pass_dane_or_trusted() {
    let r = with_cert(Role::Ber, Pkix::SelfSigned, DaneVerdict::NoTlsa, None);
    let m = only(&run(probe_021, &r), "PROBE-021", Severity::Warning);
    assert_eq!(m, "chain does not reach a trusted root (webpki says no)");
    let mut r = with_cert(Role::Sor, Pkix::Untrusted, DaneVerdict::NoTlsa, None);
    r.certificate.as_mut().unwrap().intermediates_missing = true;
    let m = only(&run(probe_021, &r), "PROBE-021", Severity::Error);
    assert!(m.contains("intermediates missing"), "{m}");
    let r = with_cert(Role::Ber, Pkix::BadSignature, DaneVerdict::NoTlsa, None);
    assert!(
        only(&run(probe_021, &r), "PROBE-021", Severity::Warning)
            .starts_with("certificate rejected")
    );
    let r = with_cert(
        Role::Ber,
        Pkix::SelfSigned,
        DaneVerdict::Valid,
        Some("3 1 1"),
    );
    only(&run(probe_021, &r), "PROBE-021", Severity::Info);
    let r = with_cert(Role::Ber, Pkix::Valid, DaneVerdict::NoTlsa, None);
    assert!(run(probe_021, &r).is_empty());
}

#[test]
fn probe_022_fail_rsa_1024_or_sha1_pass_p256_sha256() {
    let mut r = with_cert(Role::Ber, Pkix::Valid, DaneVerdict::NoTlsa, None);
    let c = r.certificate.as_mut().unwrap();
    c.chain[0].key = "RSA 1024".into();
    c.chain[0].key_bits = 1024;
    c.chain[0].signature_algorithm = "sha1WithRSAEncryption".into();
    let p = run(probe_022, &r);
    assert_eq!(p.len(), 2, "{p:?}");
    assert_eq!(p[0].message, "cert #0: weak key RSA 1024");
    assert_eq!(p[1].message, "cert #0: signature sha1WithRSAEncryption");
    assert!(p.iter().all(|p| p.severity == Severity::Warning));
    let r = with_cert(Role::Ber, Pkix::Valid, DaneVerdict::NoTlsa, None);
    assert!(run(probe_022, &r).is_empty());
}

#[test]
fn probe_023_fail_expires_in_10_days_pass_60() {
    let mut r = with_cert(Role::Ber, Pkix::Valid, DaneVerdict::NoTlsa, None);
    let now = 1_800_000_000;
    r.certificate.as_mut().unwrap().chain[0].not_after_unix = now + 10 * 86_400;
    let ctx = JudgeCtx { now_unix: now };
    let p: Vec<Problem> = probe_023(&r, &ctx).into_iter().map(|p| p.problem).collect();
    assert_eq!(
        only(&p, "PROBE-023", Severity::Warning),
        "certificate expires in 10 days"
    );
    r.certificate.as_mut().unwrap().chain[0].not_after_unix = now + 60 * 86_400;
    assert!(probe_023(&r, &ctx).is_empty());
}

#[test]
fn probe_025_fail_stale_tlsa_pass_match() {
    let mut r = with_cert(Role::Ber, Pkix::Valid, DaneVerdict::Fail, None);
    r.dane_detail = Some(DaneResult {
        verdict: DaneVerdict::Fail,
        matched: None,
        detail: "none of 1 usable TLSA record(s) matches the chain sent".into(),
        ta_failure: None,
    });
    let m = only(&run(probe_025, &r), "PROBE-025", Severity::Error);
    assert!(m.starts_with("DANE: none of 1"), "{m}");
    let r = with_cert(Role::Ber, Pkix::Valid, DaneVerdict::Valid, Some("3 1 1"));
    assert!(run(probe_025, &r).is_empty());
}

#[test]
fn probe_029_reported_cleartext_only_and_pass_after_tls() {
    let mut r = good(Role::Ber);
    r.capabilities.push("REQUIRETLS".into());
    let m = only(&run(probe_029, &r), "PROBE-029", Severity::Info);
    assert_eq!(
        m,
        "REQUIRETLS advertised before TLS: true, after TLS: false"
    );
    let mut r = good(Role::Ber);
    r.capabilities_tls.push("REQUIRETLS".into());
    only(&run(probe_029, &r), "PROBE-029", Severity::Info);
    assert!(run(probe_029, &good(Role::Ber)).is_empty());
}

// PROBE-004 ------------------------------------------------------------------------------------

fn names(banner: &str, ehlo: &str, ptr: Option<PtrLookup>, relay: &str) -> Names {
    Names {
        banner: Some(banner.into()),
        ehlo: Some(ehlo.into()),
        ptr,
        relay: relay.into(),
    }
}

fn addr() -> IpAddr {
    "198.51.100.10".parse().unwrap()
}

#[test]
fn probe_004_fail_ptr_of_the_isp_differs_from_the_banner() {
    // catalogue Fail: PTR `host-198-51-100-10.isp.example`, banner `mx1.agency.example`
    let mut r = good(Role::Ber);
    r.address = addr();
    r.names = names(
        "mx1.agency.example",
        "mx1.agency.example",
        Some(PtrLookup::Names(vec![
            "host-198-51-100-10.isp.example.".into(),
        ])),
        "mx1.agency.example",
    );
    let m = only(&run(probe_004, &r), "PROBE-004", Severity::Info);
    assert!(m.contains("host-198-51-100-10.isp.example"), "{m}");
    assert!(m.contains("banner mx1.agency.example"));
}

#[test]
fn probe_004_pass_all_names_agree_whatever_case_and_final_dot() {
    // catalogue Pass: PTR, banner and MX name all `mx1.agency.example`
    let n = names(
        "MX1.Agency.Example",
        "mx1.agency.example.",
        Some(PtrLookup::Names(vec![
            "mx1.agency.example.".into(),
            "other.example.".into(),
        ])),
        "mx1.agency.example",
    );
    assert!(names_differ(&n, addr()).is_empty());
}

#[test]
fn probe_004_banner_and_ehlo_differ_from_the_relay_name() {
    let n = names("mx.probe.test", "mx.probe.test", None, "relay.probe.test");
    let p = names_differ(&n, addr());
    assert_eq!(p.len(), 1);
    assert!(p[0].contains("relay relay.probe.test"));
    // an IP literal as the relay name is not compared
    let n = names("mx.probe.test", "mx.probe.test", None, "127.0.0.1");
    assert!(names_differ(&n, addr()).is_empty());
}

#[test]
fn probe_004_no_ptr_and_failed_lookup_are_info() {
    let n = names(
        "mx1.agency.example",
        "mx1.agency.example",
        Some(PtrLookup::Status("nxdomain".into())),
        "mx1.agency.example",
    );
    let p = names_differ(&n, addr());
    assert_eq!(p.len(), 1);
    assert!(p[0].starts_with("no PTR for 198.51.100.10"));
    let n = Names {
        ptr: Some(PtrLookup::Status("timeout".into())),
        ..Names::default()
    };
    assert!(names_differ(&n, addr())[0].contains("failed (timeout)"));
}

// PROBE-014 ------------------------------------------------------------------------------------

fn vrfy(code: Option<u16>, role: Role) -> ProbeReport {
    let mut r = bare("sor1.agency.example", role);
    r.pretls_vrfy = code;
    r
}

#[test]
fn probe_014_fail_vrfy_252_before_tls() {
    // catalogue Fail: pre-TLS `VRFY postmaster` → `252 …`
    let p = run(probe_014, &vrfy(Some(252), Role::Sor));
    let m = only(&p, "PROBE-014", Severity::Warning);
    assert!(m.contains("252"));
    assert!(m.contains("never sends"));
    assert_eq!(run(probe_014, &vrfy(Some(250), Role::Sor)).len(), 1);
}

#[test]
fn probe_014_pass_vrfy_530_before_tls() {
    // catalogue Pass: pre-TLS `VRFY` → `530 5.7.0 …`
    assert!(run(probe_014, &vrfy(Some(530), Role::Sor)).is_empty());
    assert!(run(probe_014, &vrfy(Some(502), Role::Sor)).is_empty());
    assert!(run(probe_014, &vrfy(None, Role::Sor)).is_empty());
    // a BER is not asked
    assert!(run(probe_014, &vrfy(Some(252), Role::Ber)).is_empty());
}

// PROBE-012 ------------------------------------------------------------------------------------

fn point(src: &str, caps: &[&str]) -> Vantage {
    let capabilities: Vec<String> = caps.iter().map(|s| s.to_string()).collect();
    Vantage {
        source: src.parse().unwrap(),
        greeting: Some(220),
        ehlo: Some(250),
        starttls_offered: Some(capabilities.iter().any(|c| c == "STARTTLS")),
        capabilities,
        error: None,
        ms: 1,
    }
}

fn seen_from(caps: &[&str], points: Vec<Vantage>) -> ProbeReport {
    let mut r = bare("mx1.agency.example", Role::Ber);
    r.capabilities = caps.iter().map(|s| s.to_string()).collect();
    r.starttls_offered = Some(r.capabilities.iter().any(|c| c == "STARTTLS"));
    r.vantage.main_source = Some("127.0.0.1".parse().unwrap());
    r.vantage.points = points;
    r
}

#[test]
fn probe_012_fail_starttls_hidden_from_one_vantage_point() {
    let r = seen_from(
        &["PIPELINING", "STARTTLS"],
        vec![point("127.0.0.2", &["PIPELINING"])],
    );
    let m = only(&run(probe_012, &r), "PROBE-012", Severity::Warning);
    assert_eq!(
        m,
        "STARTTLS offered to 127.0.0.1 (main probe) but not to 127.0.0.2"
    );
}

#[test]
fn probe_012_pass_identical_lists_from_every_vantage_point() {
    let r = seen_from(
        &["PIPELINING", "STARTTLS"],
        vec![point("127.0.0.2", &["PIPELINING", "STARTTLS"])],
    );
    assert!(run(probe_012, &r).is_empty());
    // no vantage points: nothing to compare
    assert!(run(probe_012, &seen_from(&["PIPELINING"], vec![])).is_empty());
}

#[test]
fn probe_012_other_keyword_differences_and_errors_are_info() {
    let mut failed = point("127.0.0.3", &[]);
    failed.starttls_offered = None;
    failed.ehlo = None;
    failed.error = Some("connect: refused".into());
    let r = seen_from(
        &["PIPELINING", "STARTTLS", "SIZE"],
        vec![point("127.0.0.2", &["PIPELINING", "STARTTLS"]), failed],
    );
    let p = run(probe_012, &r);
    assert!(p.iter().all(|x| x.severity == Severity::Info), "{p:?}");
    assert!(p.iter().any(|x| x.message.contains("127.0.0.2 lacks SIZE")));
    assert!(
        p.iter()
            .any(|x| x.message.contains("127.0.0.3: connect: refused"))
    );
}

// PROBE-017 / PROBE-018 (the extra handshakes) ---------------------------------------------------

fn accepted_test(class: CipherClass, id: u16, version: &str, dh: Option<u32>) -> CipherTest {
    CipherTest {
        class,
        offered_version: version_name(class.hello_version()),
        offered_suites: 1,
        outcome: CipherOutcome::Accepted {
            suite: suite_name(id),
            suite_id: id,
            version: version.into(),
            dh_bits: dh,
        },
        ms: 1,
    }
}

/// PROBE-017 and PROBE-018 over the extra handshakes of a report, in report order.
fn problems(tests: &[CipherTest], role: Role) -> Vec<(&'static str, Severity, String)> {
    let mut r = bare("mx1.agency.example", role);
    r.cipher_tests = tests.to_vec();
    let mut placed: Vec<Placed> = probe_017(&r, &CTX)
        .into_iter()
        .chain(probe_018(&r, &CTX))
        .collect();
    placed.sort_by_key(|p| p.at);
    placed
        .into_iter()
        .map(|p| (p.problem.rule, p.problem.severity, p.problem.message))
        .collect()
}

#[test]
fn probe_018_rc4_accepted_is_an_error_naming_the_suite() {
    // Fail example of the catalogue: TLS_RSA_WITH_RC4_128_SHA accepted.
    let p = problems(
        &[accepted_test(CipherClass::Broken, 0x0005, "TLSv1.2", None)],
        Role::Ber,
    );
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].0, "PROBE-018");
    assert_eq!(p[0].1, Severity::Error);
    assert!(p[0].2.contains("TLS_RSA_WITH_RC4_128_SHA"), "{}", p[0].2);
}

#[test]
fn probe_018_strong_suites_pass_and_refusals_are_silent() {
    // Pass example: TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 / TLS_AES_128_GCM_SHA256.
    assert_eq!(weakness(0xc02f, None), None);
    assert_eq!(weakness(0x1301, None), None);
    assert_eq!(weakness(0x009e, Some(2048)), None);
    let refused = CipherTest {
        class: CipherClass::Broken,
        offered_version: "TLSv1.2".into(),
        offered_suites: 40,
        outcome: CipherOutcome::Refused {
            alert: "HandshakeFailure".into(),
        },
        ms: 1,
    };
    let closed = CipherTest {
        outcome: CipherOutcome::Closed,
        ..refused.clone()
    };
    assert!(problems(&[refused, closed], Role::Ber).is_empty());
}

#[test]
fn probe_018_grades_each_weak_kind() {
    let g = |id, dh| weakness(id, dh).map(|w| grade(w).0);
    assert_eq!(g(0x0034, None), Some(Severity::Error), "DH_anon");
    assert_eq!(g(0xc018, None), Some(Severity::Error), "ECDH_anon");
    assert_eq!(g(0x0002, None), Some(Severity::Error), "NULL");
    assert_eq!(g(0x0003, None), Some(Severity::Error), "EXPORT");
    assert_eq!(g(0x0009, None), Some(Severity::Error), "DES");
    assert_eq!(g(0x000a, None), Some(Severity::Warning), "3DES");
    assert_eq!(g(0x002f, None), Some(Severity::Warning), "static RSA");
    assert_eq!(g(0x009e, Some(1024)), Some(Severity::Warning), "DHE-1024");
    assert_eq!(g(0x009e, None), None, "DHE, group unknown");
}

#[test]
fn probe_018_fail_mixed_hello_answered_with_dh_anon() {
    // Fail example: a mixed ClientHello (ECDHE_RSA + DH_anon) answered with
    // TLS_DH_anon_WITH_AES_128_CBC_SHA.
    let p = problems(
        &[accepted_test(CipherClass::Mixed, 0x0034, "TLSv1.2", None)],
        Role::Ber,
    );
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0].0, "PROBE-018");
    assert_eq!(p[0].1, Severity::Error);
    assert!(
        p[0].2.contains("TLS_DH_anon_WITH_AES_128_CBC_SHA"),
        "{}",
        p[0].2
    );
    assert!(p[0].2.contains("mixed offer"), "{}", p[0].2);
    assert!(is_finding(&accepted_test(
        CipherClass::Mixed,
        0xc018,
        "TLSv1.2",
        None
    )));
}

#[test]
fn probe_018_pass_dh_anon_only_hello_answered_is_info_not_a_failure() {
    // Pass example: a DH_anon-only ClientHello answered (info, not a failure): Postfix's
    // default for opportunistic TLS.
    let only = accepted_test(CipherClass::Anonymous, 0x0034, "TLSv1.2", Some(2048));
    let p = problems(std::slice::from_ref(&only), Role::Ber);
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0].0, "PROBE-018");
    assert_eq!(p[0].1, Severity::Info);
    for needle in [
        "TLS_DH_anon_WITH_AES_128_CBC_SHA",
        "Postfix",
        "smtpd_tls_exclude_ciphers",
        "never offers aNULL",
    ] {
        assert!(p[0].2.contains(needle), "{needle}: {}", p[0].2);
    }
    assert!(!is_finding(&only), "info is no finding event");
    // the same on an SOR: still info
    assert_eq!(
        problems(std::slice::from_ref(&only), Role::Sor)[0].1,
        Severity::Info
    );
    // the mixed hello answered with an authenticated suite passes; both together: info only
    let mixed_ok = accepted_test(CipherClass::Mixed, 0xc02f, "TLSv1.2", None);
    assert!(problems(std::slice::from_ref(&mixed_ok), Role::Ber).is_empty());
    let p = problems(&[only, mixed_ok], Role::Ber);
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].1, Severity::Info);
    // the same anon suite in both tests: info once and the error once
    let p = problems(
        &[
            accepted_test(CipherClass::Anonymous, 0x0034, "TLSv1.2", None),
            accepted_test(CipherClass::Mixed, 0x0034, "TLSv1.2", None),
        ],
        Role::Ber,
    );
    let sev: Vec<Severity> = p.iter().map(|p| p.1).collect();
    assert_eq!(sev, vec![Severity::Info, Severity::Error]);
}

#[test]
fn probe_017_old_versions_accepted_warn_on_ber_error_on_sor() {
    let t = [
        accepted_test(CipherClass::Tls10, 0xc013, "TLSv1.0", None),
        accepted_test(CipherClass::Tls11, 0xc013, "TLSv1.1", None),
    ];
    let p = problems(&t, Role::Ber);
    let p17: Vec<_> = p.iter().filter(|p| p.0 == "PROBE-017").collect();
    assert_eq!(p17.len(), 2);
    assert!(p17.iter().all(|p| p.1 == Severity::Warning));
    assert!(
        p17[0].2.contains("TLSv1.0") && p17[0].2.contains("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA")
    );
    assert!(
        !p.iter().any(|p| p.0 == "PROBE-018"),
        "ECDHE-CBC is not weak"
    );
    let p = problems(&t, Role::Sor);
    assert!(
        p.iter()
            .filter(|p| p.0 == "PROBE-017")
            .all(|p| p.1 == Severity::Error)
    );
    // a server answering a TLS 1.0 hello with TLS 1.2 does not accept TLS 1.0
    let p = problems(
        &[accepted_test(CipherClass::Tls10, 0xc013, "TLSv1.2", None)],
        Role::Ber,
    );
    assert!(p.is_empty());
    // static RSA picked in the TLS 1.0 test: both rules, the suite once
    let p = problems(
        &[
            accepted_test(CipherClass::Tls10, 0x002f, "TLSv1.0", None),
            accepted_test(CipherClass::StaticRsa, 0x002f, "TLSv1.2", None),
        ],
        Role::Ber,
    );
    assert_eq!(p.iter().filter(|p| p.0 == "PROBE-018").count(), 1);
    assert!(is_finding(&accepted_test(
        CipherClass::Tls11,
        0xc013,
        "TLSv1.1",
        None
    )));
}

// PROBE-024 / TLSA-015 (the variants) -------------------------------------------------------

fn cert_info(key: &str, spki: &str) -> CertInfo {
    CertInfo {
        subject: "CN=mx1.agency.example".into(),
        sans: vec!["mx1.agency.example".into()],
        issuer: "CN=CA".into(),
        not_before: String::new(),
        not_after: String::new(),
        not_after_unix: i64::MAX,
        key: key.into(),
        key_bits: 256,
        signature_algorithm: "ecdsa-with-SHA256".into(),
        sha256: spki.repeat(2),
        spki_sha256: spki.into(),
        self_issued: false,
    }
}

/// A report whose main handshake completed with `key`/`spki` and DANE verdict `dane`.
fn keyed_report(key: &str, spki: &str, dane: DaneVerdict) -> ProbeReport {
    let t = ProbeTarget::new(
        "mx1.agency.example",
        std::net::IpAddr::from([192, 0, 2, 25]),
        25,
        Role::Ber,
    );
    let mut r = ProbeReport::new(&t);
    r.connect = Connect::Ok;
    r.greeting = Some(220);
    r.tls = Some(TlsFacts {
        version: Some("TLSv1.3".into()),
        ..TlsFacts::default()
    });
    r.certificate = Some(CertificateFacts {
        subject: String::new(),
        sans: vec![],
        issuer: String::new(),
        not_before: String::new(),
        not_after: String::new(),
        key: key.into(),
        pkix: Pkix::Valid,
        pkix_error: None,
        intermediates_missing: false,
        chain: vec![cert_info(key, spki)],
    });
    r.dane = dane;
    r
}

fn variant(kind: VariantKind, outcome: VariantOutcome) -> VariantFacts {
    let t = ProbeTarget::new(
        "mx1.agency.example",
        std::net::IpAddr::from([192, 0, 2, 25]),
        25,
        Role::Ber,
    );
    let mut v = crate::probe::variants::new_facts(kind, &t);
    v.outcome = outcome;
    v
}

fn keyed(kind: VariantKind, key: &str, spki: &str, dane: Option<DaneVerdict>) -> VariantFacts {
    let mut v = variant(kind, VariantOutcome::Completed);
    v.leaf_key = Some(key.into());
    v.leaf_spki_sha256 = Some(spki.into());
    v.dane = dane;
    v
}

fn judged(r: &mut ProbeReport, rule: &str) -> Vec<String> {
    judge(r, 0);
    r.problems
        .iter()
        .filter(|p| p.rule == rule)
        .map(|p| p.message.clone())
        .collect()
}

#[test]
fn probe_024_fail_handshake_aborted_on_an_sni_name() {
    let mut r = keyed_report("EC P-256", "aa", DaneVerdict::NotApplicable);
    let mut v = variant(VariantKind::SniUnknown, VariantOutcome::Failed);
    v.error = Some("received fatal alert: UnrecognisedName".into());
    r.variants = vec![variant(VariantKind::SniNone, VariantOutcome::Completed), v];
    let p = judged(&mut r, "PROBE-024");
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0].contains("UnrecognisedName"), "{}", p[0]);
    assert!(p[0].contains(UNKNOWN_SNI), "{}", p[0]);
    assert_eq!(r.verdict, crate::model::probe_facts::Verdict::Fail);
}

#[test]
fn probe_024_fail_handshake_aborted_without_sni() {
    let mut r = keyed_report("EC P-256", "aa", DaneVerdict::NotApplicable);
    let mut v = variant(VariantKind::SniNone, VariantOutcome::Failed);
    v.error = Some("received fatal alert: AccessDenied".into());
    r.variants = vec![v];
    let p = judged(&mut r, "PROBE-024");
    assert_eq!(p.len(), 1);
    assert!(p[0].contains("without SNI") && p[0].contains("AccessDenied"));
}

#[test]
fn probe_024_pass_default_certificate_returned() {
    let mut r = keyed_report("EC P-256", "aa", DaneVerdict::NotApplicable);
    r.variants = vec![
        variant(VariantKind::SniNone, VariantOutcome::Completed),
        variant(VariantKind::SniUnknown, VariantOutcome::Completed),
        // a key-type variant that fails is a fact, not a PROBE-024 problem
        variant(VariantKind::RsaOnly, VariantOutcome::Failed),
        // neither is a variant that never reached its handshake
        variant(VariantKind::SniNone, VariantOutcome::Inconclusive),
    ];
    assert!(judged(&mut r, "PROBE-024").is_empty());
    assert_eq!(r.verdict, crate::model::probe_facts::Verdict::Pass);
    // and when the normal handshake itself failed, that is PROBE-007's, not PROBE-024's
    let mut r = keyed_report("EC P-256", "aa", DaneVerdict::NotApplicable);
    r.tls = Some(TlsFacts {
        handshake_error: Some("x".into()),
        ..TlsFacts::default()
    });
    r.variants = vec![variant(VariantKind::SniNone, VariantOutcome::Failed)];
    assert!(judged(&mut r, "PROBE-024").is_empty());
}

#[test]
fn tlsa_015_fail_one_3_1_1_for_rsa_while_the_server_also_offers_ecdsa() {
    // main handshake negotiated ECDSA (not covered), the RSA-only variant found the RSA key (covered)
    let mut r = keyed_report("EC P-256", "ec", DaneVerdict::Fail);
    r.variants = vec![
        keyed(
            VariantKind::RsaOnly,
            "RSA 2048",
            "rsa",
            Some(DaneVerdict::Valid),
        ),
        keyed(
            VariantKind::EcdsaOnly,
            "EC P-256",
            "ec",
            Some(DaneVerdict::Fail),
        ),
    ];
    let p = judged(&mut r, "TLSA-015");
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(
        p[0].contains("the ECDSA P-256 key is not covered by any TLSA record"),
        "{}",
        p[0]
    );
    let sev = r
        .problems
        .iter()
        .find(|p| p.rule == "TLSA-015")
        .map(|p| p.severity);
    assert_eq!(sev, Some(Severity::Warning));
    // the other way round: main RSA covered, the ECDSA variant's chain not
    let mut r = keyed_report("RSA 2048", "rsa", DaneVerdict::Valid);
    r.variants = vec![keyed(
        VariantKind::EcdsaOnly,
        "EC P-384",
        "ec",
        Some(DaneVerdict::Fail),
    )];
    let p = judged(&mut r, "TLSA-015");
    assert_eq!(p.len(), 1);
    assert!(p[0].contains("ECDSA P-384"), "{}", p[0]);
    assert!(!p[0].contains("the RSA"), "{}", p[0]);
}

#[test]
fn tlsa_015_pass_records_for_both_keys() {
    let mut r = keyed_report("EC P-256", "ec", DaneVerdict::Valid);
    r.variants = vec![
        keyed(
            VariantKind::RsaOnly,
            "RSA 2048",
            "rsa",
            Some(DaneVerdict::Valid),
        ),
        keyed(
            VariantKind::EcdsaOnly,
            "EC P-256",
            "ec",
            Some(DaneVerdict::Valid),
        ),
    ];
    assert!(judged(&mut r, "TLSA-015").is_empty());
}

#[test]
fn tlsa_015_pass_single_key_or_no_usable_tlsa() {
    // one key: a failing key-type variant is a fact ("no RSA certificate"), not a problem
    let mut r = keyed_report("EC P-256", "ec", DaneVerdict::Fail);
    let rsa = variant(VariantKind::RsaOnly, VariantOutcome::Failed);
    r.variants = vec![
        rsa,
        keyed(
            VariantKind::EcdsaOnly,
            "EC P-256",
            "ec",
            Some(DaneVerdict::Fail),
        ),
    ];
    assert!(judged(&mut r, "TLSA-015").is_empty());
    assert!(!r.problems.iter().any(|p| p.rule == "PROBE-024"));
    // two keys but no secure, usable TLSA RRset: DANE does not apply
    for dane in [DaneVerdict::NotApplicable, DaneVerdict::NoTlsa] {
        let mut r = keyed_report("EC P-256", "ec", dane);
        r.variants = vec![keyed(VariantKind::RsaOnly, "RSA 2048", "rsa", None)];
        assert!(judged(&mut r, "TLSA-015").is_empty());
    }
}
