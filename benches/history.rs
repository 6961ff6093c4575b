//! Speed of the history of checks (issue 12): saving one run of a 50-relay design (the report JSON
//! as `secmx check --save` stores it, in WAL mode, pruning included) and the diff of two such runs
//! (`secmx diff`, the window's History tab). Targets: save < 20 ms, diff < 50 ms. Also how long
//! the window's History tab takes to read the last 50 runs of a 50-relay domain.
//!
//! The reports are `live::judge` over a generated 50-relay design and one probe report per relay
//! address with a two-certificate chain; the second run has new keys on ten relays.

use criterion::{Criterion, criterion_group, criterion_main};
use secmx::live::{LivePlan, judge};
use secmx::probe::dane::DaneVerdict;
use secmx::probe::report::CertificateFacts;
use secmx::probe::tls::{CertInfo, Pkix};
use secmx::probe::{ProbeFacts, ProbeReport, ProbeTarget, Verdict};
use serde_json::Value;
use std::hint::black_box;

fn cert(subject: &str, spki: String) -> CertInfo {
    CertInfo {
        subject: subject.into(),
        sans: vec![subject.trim_start_matches("CN=").into()],
        issuer: "CN=Bench CA".into(),
        not_before: "2026-01-01 00:00:00 UTC".into(),
        not_after: "2026-04-01 00:00:00 UTC".into(),
        not_after_unix: 1_775_001_600,
        key: "EC P-256".into(),
        key_bits: 256,
        signature_algorithm: "ecdsa-with-SHA256".into(),
        sha256: format!("{spki}c"),
        spki_sha256: spki,
        self_issued: false,
    }
}

/// The report of one run over 50 relays; `rolled` relays serve a new key.
fn run_report(rolled: usize) -> Value {
    let design = secmx::model::sample::generated_design(50);
    let mut reports = Vec::new();
    for (i, r) in design.relays.iter().enumerate() {
        for a in &r.addresses {
            let t = ProbeTarget::new(r.host.clone(), *a, 25, r.role);
            let mut p = ProbeReport::new(&t);
            let spki = format!("{:064x}", i + if i < rolled { 1000 } else { 0 });
            let leaf = cert(&format!("CN={}", r.host), spki);
            p.certificate = Some(CertificateFacts {
                subject: leaf.subject.clone(),
                sans: leaf.sans.clone(),
                issuer: leaf.issuer.clone(),
                not_before: leaf.not_before.clone(),
                not_after: leaf.not_after.clone(),
                key: leaf.key.clone(),
                pkix: Pkix::Valid,
                pkix_error: None,
                intermediates_missing: false,
                chain: vec![leaf, cert("CN=Bench CA", format!("{:064x}", 7))],
            });
            p.dane = if i < rolled {
                DaneVerdict::Fail
            } else {
                DaneVerdict::Valid
            };
            p.verdict = if i < rolled {
                Verdict::Fail
            } else {
                Verdict::Pass
            };
            p.transcript = (0..20).map(|n| format!("S: 250-line {n}")).collect();
            reports.push(p);
        }
    }
    let plan = LivePlan::for_design(design, None);
    let report = judge(
        &plan,
        None,
        Some(ProbeFacts {
            reports,
            policy: None,
        }),
        false,
    );
    serde_json::to_value(&report).unwrap_or_default()
}

fn history(c: &mut Criterion) {
    let a = run_report(0);
    let b = run_report(10);
    eprintln!(
        "report: {} probes, {} bytes of JSON",
        a["probes"].as_array().map_or(0, Vec::len),
        a.to_string().len()
    );
    let Ok(dir) = tempfile::tempdir() else { return };
    let Ok(mut h) = secmx::history::History::open(&dir.path().join("history.sqlite"), true) else {
        return;
    };
    let settings = serde_json::json!({"dns": true, "probe": true});
    let mut t = 1_764_000_000;
    c.bench_function("history save one 50-relay run", |bench| {
        bench.iter(|| {
            t += 60;
            h.save(black_box(&a), t, &settings)
        })
    });
    c.bench_function("history diff two 50-relay runs", |bench| {
        bench.iter(|| secmx::history::diff(black_box(&a), black_box(&b)))
    });
    let n = secmx::history::diff(&a, &b).len();
    eprintln!("diff: {n} changes");
    // The window's History tab reads the last 50 runs of a domain (on a thread of its own).
    #[cfg(feature = "gui")]
    {
        let Ok(dir) = tempfile::tempdir() else { return };
        let path = dir.path().join("history.sqlite");
        let Ok(mut h) = secmx::history::History::open(&path, true) else {
            return;
        };
        for i in 0..50 {
            let _ = h.save(
                if i % 2 == 0 { &a } else { &b },
                1_764_000_000 + i,
                &settings,
            );
        }
        let domain = a["domain"].as_str().unwrap_or_default().to_string();
        c.bench_function("History tab: read 50 runs of 50 relays", |bench| {
            bench.iter(|| secmx::ui::history_tab::load(black_box(&path), &domain))
        });
        // A click on the second run: both reports read again, then the diff.
        c.bench_function("History tab: read two 50-relay runs and diff", |bench| {
            bench.iter(|| {
                let (Ok((_, x)), Ok((_, y))) = (h.get(black_box(10)), h.get(black_box(11))) else {
                    return Vec::new();
                };
                secmx::history::diff(&x, &y)
            })
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = history
}
criterion_main!(benches);
