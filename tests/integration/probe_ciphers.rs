//! PROBE-017/018 extra handshakes against real Postfix relays (Debian 12: Postfix 3.7, OpenSSL 3):
//! a hardened relay passes, a weak one is flagged, each finding naming what the server accepted,
//! and one with Postfix's default cipher settings gets the anonymous-only info (PROBE-018 as
//! corrected), never a PROBE-018 failure.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers: a failure is a test failure"
)]

use super::probe::{
    Certs, HOST, Listener, Postfix, config, default_tls_opts, dump, free_port, has_problem,
    no_forbidden, run_probe, target, tls_opts,
};
use secmx::model::Role;
use secmx::model::Severity;
use secmx::probe::ciphers::{CipherClass, CipherOutcome};
use secmx::probe::{ProbeEvent, ProbeReport, Step, Verdict, probe};
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};

/// An RSA key and certificate for `HOST` (rcgen's ring backend cannot make RSA keys) and a
/// 1024-bit DH group, made with the openssl command line.
fn rsa_and_dh(dir: &Path) {
    let out = Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
        ])
        .arg("-subj")
        .arg(format!("/CN={HOST}"))
        .arg("-addext")
        .arg(format!("subjectAltName=DNS:{HOST}"))
        .arg("-addext")
        .arg("basicConstraints=critical,CA:FALSE")
        .arg("-keyout")
        .arg(dir.join("rsa.key"))
        .arg("-out")
        .arg(dir.join("rsa.crt"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "openssl req: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = Command::new("openssl")
        .args(["dhparam", "-out"])
        .arg(dir.join("dh1024.pem"))
        .arg("1024")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "openssl dhparam: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

struct Relays {
    pf: Postfix,
    certs: Certs,
    /// Postfix's default TLS settings, EC P-256 certificate (as the other probe fixtures).
    default_ec: u16,
    /// Hardened settings (the harness's `tls_opts`), RSA certificate: static RSA is possible
    /// but excluded.
    hardened_rsa: u16,
    /// Everything allowed (`@SECLEVEL=0`, TLS 1.0+), RSA certificate, 1024-bit DH group, and the
    /// server's own preference ranking anonymous suites first (it chooses aNULL from a mixed offer).
    weak: u16,
    /// The same on an implicit-TLS (wrapper mode) listener.
    weak_implicit: u16,
}

fn relays() -> Relays {
    let ports: Vec<u16> = (0..4).map(|_| free_port()).collect();
    let mut certs = None;
    let pf = Postfix::start(|dir| {
        certs = Some(Certs::make(dir));
        rsa_and_dh(dir);
        let l = |port: u16, opts: Vec<String>| Listener {
            addr: std::net::Ipv4Addr::LOCALHOST.into(),
            port,
            opts,
        };
        let mut weak = default_tls_opts(dir, "rsa", "may");
        weak.extend([
            "smtpd_tls_protocols=>=TLSv1".to_string(),
            "smtpd_tls_ciphers=low".into(),
            "tls_low_cipherlist=aNULL:ALL:COMPLEMENTOFALL:@SECLEVEL=0".into(),
            "tls_preempt_cipherlist=yes".into(),
            format!(
                "smtpd_tls_dh1024_param_file={}",
                dir.join("dh1024.pem").display()
            ),
        ]);
        let mut weak_implicit = weak.clone();
        weak_implicit.push("smtpd_tls_wrappermode=yes".into());
        vec![
            l(ports[0], default_tls_opts(dir, "valid", "may")),
            l(ports[1], tls_opts(dir, "rsa", "may")),
            l(ports[2], weak),
            l(ports[3], weak_implicit),
        ]
    });
    Relays {
        pf,
        certs: certs.unwrap(),
        default_ec: ports[0],
        hardened_rsa: ports[1],
        weak: ports[2],
        weak_implicit: ports[3],
    }
}

fn outcome(r: &ProbeReport, class: CipherClass) -> &CipherOutcome {
    &r.cipher_tests
        .iter()
        .find(|t| t.class == class)
        .unwrap_or_else(|| panic!("no {class:?} test: {}", dump(r)))
        .outcome
}

fn accepted_suite(r: &ProbeReport, class: CipherClass) -> Option<String> {
    match outcome(r, class) {
        CipherOutcome::Accepted { suite, .. } => Some(suite.clone()),
        _ => None,
    }
}

fn problems(r: &ProbeReport, rule: &str) -> Vec<(Severity, String)> {
    r.problems
        .iter()
        .filter(|p| p.rule == rule)
        .map(|p| (p.severity, p.message.clone()))
        .collect()
}

#[test]
fn hardened_relay_passes_probe_017_and_018_and_the_tests_can_be_turned_off() {
    let rl = relays();
    let mut cfg = config(&rl.certs.ca_der);
    let events = Arc::new(Mutex::new(Vec::new()));
    let ev = events.clone();
    let t = target(rl.hardened_rsa, Role::Ber);
    let r = super::probe::rt().block_on(async {
        probe(&t, &cfg, &move |e| {
            if let ProbeEvent::Step { step, outcome, .. } = e {
                ev.lock().unwrap().push((step, outcome));
            }
        })
        .await
    });
    let d = dump(&r);
    assert_eq!(r.cipher_tests.len(), 8, "{d}");
    // Strong DHE with Postfix's built-in 2048-bit group is fine.
    assert!(
        matches!(
            outcome(&r, CipherClass::Dhe),
            CipherOutcome::Accepted {
                dh_bits: Some(2048),
                ..
            }
        ),
        "{d}"
    );
    // The mixed offer is answered with one of its authenticated ECDHE suites.
    let mixed = accepted_suite(&r, CipherClass::Mixed).expect("mixed offer accepted");
    assert!(mixed.starts_with("TLS_ECDHE_RSA_WITH_AES_"), "{mixed}: {d}");
    for t in r
        .cipher_tests
        .iter()
        .filter(|t| !matches!(t.class, CipherClass::Dhe | CipherClass::Mixed))
    {
        assert!(
            matches!(
                t.outcome,
                CipherOutcome::Refused { .. } | CipherOutcome::Closed
            ),
            "{:?} not refused: {d}\n{}",
            t.class,
            rl.pf.maillog()
        );
    }
    assert!(problems(&r, "PROBE-018").is_empty(), "{d}");
    assert!(problems(&r, "PROBE-017").is_empty(), "{d}");
    assert_eq!(r.verdict, Verdict::Pass, "{d}");
    assert!(r.timings_ms.cipher_tests.is_some());
    // one step event per test, transcript lines prefixed per class, JSON field present
    let cipher_steps: Vec<String> = events
        .lock()
        .unwrap()
        .iter()
        .filter(|(s, _)| *s == Step::Cipher)
        .map(|(_, o)| o.clone())
        .collect();
    assert_eq!(cipher_steps.len(), 8, "{cipher_steps:?}");
    assert!(
        cipher_steps[0].starts_with("broken: refused"),
        "{cipher_steps:?}"
    );
    assert!(
        r.transcript
            .iter()
            .any(|l| l == "[cipher 3des] C: STARTTLS"),
        "{d}"
    );
    assert!(
        r.transcript
            .iter()
            .any(|l| l.starts_with("[cipher tls1.0] S: <alert ")),
        "{d}"
    );
    assert!(d.contains("\"cipher_tests\""));
    no_forbidden(&r);

    cfg.extra_handshakes = false;
    let r = run_probe(&cfg, target(rl.hardened_rsa, Role::Ber));
    assert!(r.cipher_tests.is_empty(), "{}", dump(&r));
    assert!(r.timings_ms.cipher_tests.is_none());
    assert!(!r.transcript.iter().any(|l| l.starts_with("[cipher ")));
}

#[test]
fn weak_relay_gets_probe_018_errors_and_warnings_and_probe_017_naming_what_was_accepted() {
    let rl = relays();
    let cfg = config(&rl.certs.ca_der);
    let r = run_probe(&cfg, target(rl.weak, Role::Ber));
    let d = dump(&r);
    assert_eq!(
        r.tls.as_ref().unwrap().version.as_deref(),
        Some("TLSv1.3"),
        "{d}"
    );
    let p18 = problems(&r, "PROBE-018");
    let has =
        |sev: Severity, needle: &str| p18.iter().any(|(s, m)| *s == sev && m.contains(needle));
    // NULL encryption (OpenSSL 3 on Debian has no RC4, DES, EXPORT or 3DES suites left to accept)
    let null = accepted_suite(&r, CipherClass::Broken).expect("a NULL suite accepted");
    assert!(null.contains("NULL"), "{null}: {d}");
    assert!(has(Severity::Error, &null), "{p18:?}");
    // aNULL when it is all the client offers: info; chosen from a mixed offer: error.
    let anon = accepted_suite(&r, CipherClass::Anonymous).expect("an anonymous suite accepted");
    assert!(anon.contains("_anon_"), "{anon}");
    assert!(has(Severity::Info, &anon), "{p18:?}");
    let chosen = accepted_suite(&r, CipherClass::Mixed).expect("the mixed offer accepted");
    assert!(chosen.contains("_anon_"), "{chosen}: {d}");
    assert!(
        p18.iter().any(|(s, m)| *s == Severity::Error
            && m.contains(&chosen)
            && m.contains("mixed offer")),
        "{p18:?}"
    );
    assert!(
        matches!(
            outcome(&r, CipherClass::TripleDes),
            CipherOutcome::Refused { .. }
        ),
        "this OpenSSL has no 3DES: {d}"
    );
    let rsa = accepted_suite(&r, CipherClass::StaticRsa).expect("static RSA accepted");
    assert!(rsa.starts_with("TLS_RSA_WITH_AES_"), "{rsa}");
    assert!(has(Severity::Warning, &rsa), "{p18:?}");
    match outcome(&r, CipherClass::Dhe) {
        CipherOutcome::Accepted { suite, dh_bits, .. } => {
            assert_eq!(*dh_bits, Some(1024), "{d}");
            assert!(
                has(Severity::Warning, suite) && has(Severity::Warning, "1024 bits"),
                "{p18:?}"
            );
        }
        o => panic!("DHE not accepted: {o:?}"),
    }
    let p17 = problems(&r, "PROBE-017");
    for v in ["TLSv1.0", "TLSv1.1"] {
        assert!(
            p17.iter().any(|(s, m)| *s == Severity::Warning
                && m.starts_with(&format!("{v} still accepted (TLS_"))),
            "{v}: {p17:?}"
        );
    }
    assert_eq!(r.verdict, Verdict::Fail, "{d}");
    no_forbidden(&r);
    // Implicit TLS: the ClientHello goes right after connect.
    let mut t = target(rl.weak_implicit, Role::Ber);
    t.implicit_tls = true;
    let r = run_probe(&cfg, t);
    assert!(
        accepted_suite(&r, CipherClass::Anonymous).is_some(),
        "{}",
        dump(&r)
    );
    assert!(
        accepted_suite(&r, CipherClass::Tls10).is_some(),
        "{}",
        dump(&r)
    );
    assert!(
        !r.transcript
            .iter()
            .any(|l| l.starts_with("[cipher ") && l.contains("C: EHLO")),
        "{}",
        dump(&r)
    );
    // On a Secure Only Receiver old TLS is an error.
    let r = run_probe(&cfg, target(rl.weak, Role::Sor));
    let p17 = problems(&r, "PROBE-017");
    assert_eq!(p17.len(), 2, "{}", dump(&r));
    assert!(p17.iter().all(|(s, _)| *s == Severity::Error), "{p17:?}");
}

#[test]
fn postfix_default_settings_get_the_anonymous_only_info_and_no_probe_018_failure() {
    // A default Postfix (no smtpd_tls_exclude_ciphers, default protocols; Debian 12: Postfix
    // 3.7, OpenSSL 3) with a good certificate from the test CA. Its server-side default
    // (`tls_medium_cipherlist = aNULL:-aNULL:HIGH:MEDIUM:+RC4`) keeps anonymous DH suites for
    // clients that offer nothing else: PROBE-018 info, by design (postconf(5)
    // smtpd_tls_exclude_ciphers). From the mixed offer it picks an authenticated suite: no
    // PROBE-018 error. `smtpd_tls_protocols = >=TLSv1` keeps TLS 1.0/1.1: PROBE-017 warning.
    let rl = relays();
    let cfg = config(&rl.certs.ca_der);
    let r = run_probe(&cfg, target(rl.default_ec, Role::Ber));
    let d = dump(&r);
    let anon = accepted_suite(&r, CipherClass::Anonymous).expect("anonymous suite accepted");
    assert!(anon.starts_with("TLS_DH_anon_WITH_"), "{anon}");
    let p18 = problems(&r, "PROBE-018");
    assert!(
        p18.iter().any(|(s, m)| *s == Severity::Info
            && m.contains(&anon)
            && m.contains("smtpd_tls_exclude_ciphers")),
        "{p18:?}"
    );
    assert!(
        p18.iter().all(|(s, _)| *s == Severity::Info),
        "no PROBE-018 warning or error: {p18:?}"
    );
    match outcome(&r, CipherClass::Mixed) {
        CipherOutcome::Accepted { suite, .. } => {
            assert!(!suite.contains("_anon_"), "{suite}: {d}");
            assert!(
                suite.starts_with("TLS_ECDHE_ECDSA_WITH_AES_"),
                "{suite}: {d}"
            );
        }
        CipherOutcome::Refused { .. } | CipherOutcome::Closed => {}
        o => panic!("mixed offer: {o:?}: {d}"),
    }
    assert!(has_problem(&r, "PROBE-017"), "{d}");
    assert!(
        problems(&r, "PROBE-017")
            .iter()
            .any(|(s, m)| *s == Severity::Warning && m.starts_with("TLSv1.0 still accepted")),
        "{d}"
    );
    assert!(
        !r.problems.iter().any(|p| p.severity == Severity::Error),
        "{d}"
    );
    assert_eq!(r.verdict, Verdict::Pass, "{d}");
}

/// Not a test: measures what the extra handshakes add to one probe of a local Postfix (medians
/// of 21 probes each way, alternating). Run with
/// `cargo test --test integration probe_ciphers::measure -- --ignored --nocapture`.
#[test]
#[ignore = "measurement, prints numbers"]
fn measure_extra_handshake_cost() {
    let rl = relays();
    let mut on = config(&rl.certs.ca_der);
    on.injection_test = false;
    let mut off = on.clone();
    off.extra_handshakes = false;
    let med = |mut v: Vec<u128>| {
        v.sort_unstable();
        v[v.len() / 2]
    };
    for (name, port) in [("hardened", rl.hardened_rsa), ("weak", rl.weak)] {
        let (mut with, mut without, mut extra) = (vec![], vec![], vec![]);
        for _ in 0..21 {
            let t0 = std::time::Instant::now();
            let r = run_probe(&on, target(port, Role::Ber));
            with.push(t0.elapsed().as_micros());
            extra.push(u128::from(r.timings_ms.cipher_tests.unwrap_or(0)));
            let t0 = std::time::Instant::now();
            let _ = run_probe(&off, target(port, Role::Ber));
            without.push(t0.elapsed().as_micros());
        }
        eprintln!(
            "{name}: median probe {} us with the 8 extra handshakes, {} us without; \
             median time inside the extra handshakes {} ms",
            med(with),
            med(without),
            med(extra)
        );
    }
}
