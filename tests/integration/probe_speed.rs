//! Not a test: measures where the time of one full STARTTLS probe of a local Postfix goes
//! (median and p90 of `timings_ms` per step over 31 probes), once with the extra handshakes and
//! the injection test off, once with the defaults, and compares with `posttls-finger` against the
//! same listener. Prints only; nothing here asserts a time. Run with
//! `cargo test --test integration probe_speed -- --ignored --nocapture`.

use crate::probe::{Certs, Postfix, config, free_port, run_probe, target, tls_opts};
use secmx::model::Role;
use secmx::probe::{ProbeConfig, ProbeReport, ProbeTarget, Verdict};
use std::process::Command;
use std::time::Instant;

/// Probes per configuration: 31, or `SECMX_SPEED_RUNS` (e.g. 1 to look at one probe with tcpdump).
fn runs() -> usize {
    std::env::var("SECMX_SPEED_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(31)
}

/// (median, p90) of the values; `None` when there are none.
fn stats(mut v: Vec<u64>) -> Option<(u64, u64)> {
    if v.is_empty() {
        return None;
    }
    v.sort_unstable();
    let p90 = ((v.len() * 9).div_ceil(10)).saturating_sub(1);
    Some((v[v.len() / 2], v[p90]))
}

type Pick = fn(&ProbeReport) -> Option<u64>;

const STEPS: [(&str, Pick); 13] = [
    ("connect", |r| r.timings_ms.connect),
    ("greeting", |r| r.timings_ms.greeting),
    ("ehlo", |r| r.timings_ms.ehlo),
    ("mail_from", |r| r.timings_ms.mail_from),
    ("starttls", |r| r.timings_ms.starttls),
    ("tls", |r| r.timings_ms.tls),
    ("ehlo_tls", |r| r.timings_ms.ehlo_tls),
    ("mail_from_tls", |r| r.timings_ms.mail_from_tls),
    ("injection", |r| r.timings_ms.injection),
    ("variants", |r| r.timings_ms.variants),
    ("cipher_tests", |r| r.timings_ms.cipher_tests),
    ("total", |r| Some(r.timings_ms.total)),
    // wall time of the whole `probe()` call in microseconds, set by `measure` below
    ("wall_us", |_| None),
];

fn measure(name: &str, cfg: &ProbeConfig, t: &ProbeTarget) {
    let n = runs();
    let mut reports = Vec::with_capacity(n);
    let mut wall = Vec::with_capacity(n);
    for _ in 0..n {
        let t0 = Instant::now();
        let r = run_probe(cfg, t.clone());
        wall.push(u64::try_from(t0.elapsed().as_micros()).unwrap());
        assert_eq!(r.tls_mail_from, Some(250), "{}", crate::probe::dump(&r));
        assert_eq!(r.verdict, Verdict::Pass, "{}", crate::probe::dump(&r));
        reports.push(r);
    }
    eprintln!("== {name}: {n} probes, ms (median / p90)");
    for (step, pick) in STEPS {
        let values: Vec<u64> = if step == "wall_us" {
            wall.clone()
        } else {
            reports.iter().filter_map(pick).collect()
        };
        if let Some((med, p90)) = stats(values) {
            eprintln!("  {step:<14} {med:>7} / {p90:>7}");
        }
    }
}

#[test]
#[ignore = "measurement: cargo test --test integration probe_speed -- --ignored --nocapture"]
fn probe_speed() {
    let port = free_port();
    let implicit = free_port();
    let mut certs = None;
    let pf = Postfix::start(|dir| {
        certs = Some(Certs::make(dir));
        let mut wrapper = tls_opts(dir, "valid", "encrypt");
        wrapper.push("smtpd_tls_wrappermode=yes".into());
        vec![
            crate::probe::Listener {
                addr: std::net::Ipv4Addr::LOCALHOST.into(),
                port,
                opts: tls_opts(dir, "valid", "may"),
            },
            crate::probe::Listener {
                addr: std::net::Ipv4Addr::LOCALHOST.into(),
                port: implicit,
                opts: wrapper,
            },
        ]
    });
    let certs = certs.expect("certificates made");
    let starttls = target(port, Role::Ber);
    let mut wrapped = target(implicit, Role::Sor);
    wrapped.implicit_tls = true;
    let mut quick = config(&certs.ca_der);
    quick.extra_handshakes = false;
    quick.injection_test = false;
    measure(
        "STARTTLS, quick (extra_handshakes = false, injection_test = false)",
        &quick,
        &starttls,
    );
    let full = config(&certs.ca_der);
    measure(
        "STARTTLS, defaults (extra handshakes + injection test)",
        &full,
        &starttls,
    );
    measure(
        "implicit TLS (greeting inside TLS), quick",
        &quick,
        &wrapped,
    );

    // posttls-finger against the same listener, timed the same way.
    let n = runs();
    let mut wall = Vec::with_capacity(n);
    for _ in 0..n {
        let t0 = Instant::now();
        let out = Command::new("posttls-finger")
            .env("MAIL_CONFIG", pf.dir.path().join("conf"))
            .args(["-c", "-l", "secure", "-F"])
            .arg(&certs.ca_pem)
            .arg(format!("[127.0.0.1]:{port}"))
            .arg(crate::probe::HOST)
            .output();
        let us = u64::try_from(t0.elapsed().as_micros()).unwrap();
        match out {
            Ok(o) if o.status.success() => wall.push(us),
            Ok(o) => {
                eprintln!(
                    "posttls-finger failed: {}{}",
                    String::from_utf8_lossy(&o.stdout),
                    String::from_utf8_lossy(&o.stderr)
                );
                return;
            }
            Err(e) => {
                eprintln!("posttls-finger not runnable here: {e}");
                return;
            }
        }
    }
    let (med, p90) = stats(wall).unwrap();
    eprintln!("== posttls-finger -c -l secure: {n} runs, wall us (median / p90) {med} / {p90}");
}
