//! Speed of the live DNS fetch (issue #3): every lookup for a generated domain with 50 relays (25 BERs
//! in MX, 25 SORs in SRV, each with A, AAAA and TLSA) in a DNSSEC-signed zone served by a private NSD
//! on loopback, concurrent vs one query at a time. Target: the concurrent fetch finishes in under 3×
//! the slowest single query. After the criterion runs it prints the slowest single query, the ratio,
//! and the sequential baseline of the same queries done one after another with `dig`.
//!
//! Run: `cargo bench --profile dev --bench dns` (needs `nsd`, `ldnsutils`; `dig` from bind9-dnsutils
//! for the baseline).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

#[path = "../tests/integration/dns/nsd.rs"]
mod nsd;

use criterion::Criterion;
use secmx::resolve::{self, Plan, Resolver, Settings, discard};
use std::time::{Duration, Instant};

const RELAYS: usize = 50;

fn zone() -> nsd::Zone {
    let mut body = String::new();
    let hash = "8f1c2ad1e5c7b6a4908172635445362718293a4b5c6d7e8f9a0b1c2d3e4f5a6b";
    for i in 0..RELAYS {
        let host = format!("r{i}");
        if i < RELAYS / 2 {
            body.push_str(&format!("@ MX {} {host}\n", 10 + i));
        } else {
            body.push_str(&format!("_secmx._tcp SRV {} 0 25 {host}\n", 10 + i));
        }
        body.push_str(&format!("{host} A 127.0.1.{}\n", i + 1));
        body.push_str(&format!("{host} AAAA 2001:db8::{:x}\n", i + 1));
        body.push_str(&format!("_25._tcp.{host} TLSA 3 1 1 {hash}\n"));
    }
    body.push_str(
        "_mta-sts TXT \"v=STSv1; id=1\"\n_smtp._tls TXT \"v=TLSRPTv1; rua=mailto:r@bench.test\"\n",
    );
    nsd::Zone::new("bench.test", nsd::Sign::Yes, &body)
}

fn main() {
    let t = Instant::now();
    let ns = nsd::start(&[zone()], &[]);
    println!(
        "nsd: spawn to first answer {:?}; with key generation and signing of test. and bench.test {:?}",
        ns.startup,
        t.elapsed()
    );
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let settings = Settings {
        nameserver: Some(ns.addr()),
        trust_anchor: Some(ns.anchor.clone()),
        timeout: Duration::from_secs(5),
        ..Settings::default()
    };
    let resolver = rt.block_on(Resolver::new(&settings)).expect("resolver");
    let plan = Plan::for_domain("bench.test");
    let sink = discard();

    // One look first: the numbers for the note.
    let t = Instant::now();
    let p = rt.block_on(resolve::fetch(&resolver, &plan, &sink));
    let concurrent = t.elapsed();
    let slowest = p.rrsets.iter().map(|s| s.ms).fold(0.0, f64::max);
    let t = Instant::now();
    let ps = rt.block_on(resolve::fetch_sequential(&resolver, &plan, &sink));
    let sequential = t.elapsed();
    assert_eq!(p.rrsets.len(), ps.rrsets.len());
    assert!(p.rrsets.iter().all(|s| s.status == resolve::Status::Ok
        || s.status == resolve::Status::Nodata
        || s.status == resolve::Status::Nxdomain));

    let mut c = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(5))
        .configure_from_args();
    let mut g = c.benchmark_group(format!("dns fetch {RELAYS} relays"));
    g.bench_function("concurrent", |b| {
        b.iter(|| rt.block_on(resolve::fetch(&resolver, &plan, &sink)))
    });
    g.bench_function("sequential", |b| {
        b.iter(|| rt.block_on(resolve::fetch_sequential(&resolver, &plan, &sink)))
    });
    g.finish();

    // Steady state, measured here for the note: median of 20 runs each; the slowest single query is
    // the slowest one seen when every query runs alone (the sequential runs).
    let median = |mut v: Vec<f64>| {
        v.sort_by(|a, b| a.total_cmp(b));
        v[v.len() / 2]
    };
    let mut conc = Vec::new();
    let mut seq = Vec::new();
    let mut alone = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        rt.block_on(resolve::fetch(&resolver, &plan, &sink));
        conc.push(t.elapsed().as_secs_f64() * 1000.0);
        let t = Instant::now();
        let ps = rt.block_on(resolve::fetch_sequential(&resolver, &plan, &sink));
        seq.push(t.elapsed().as_secs_f64() * 1000.0);
        alone.push(ps.rrsets.iter().map(|s| s.ms).fold(0.0, f64::max));
    }
    let (c_ms, s_ms, slow) = (median(conc), median(seq), median(alone));
    // Where the time goes: the same concurrent fetch without DNSSEC validation.
    let plain = rt
        .block_on(Resolver::new(&Settings {
            validate: false,
            trust_anchor: None,
            ..settings.clone()
        }))
        .expect("resolver");
    let mut novalid = Vec::new();
    let mut novalid_alone = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        rt.block_on(resolve::fetch(&plain, &plan, &sink));
        novalid.push(t.elapsed().as_secs_f64() * 1000.0);
        let ps = rt.block_on(resolve::fetch_sequential(&plain, &plan, &sink));
        novalid_alone.push(ps.rrsets.iter().map(|s| s.ms).fold(0.0, f64::max));
    }
    println!(
        "without validation, median of 20: concurrent {:.1} ms, slowest single query (alone) {:.2} ms",
        median(novalid),
        median(novalid_alone)
    );
    println!(
        "queries: {}; first (cold) fetch: concurrent {:?}, sequential {:?}, slowest query in it {} ms",
        p.rrsets.len(),
        concurrent,
        sequential,
        slowest
    );
    println!(
        "median of 20: concurrent {c_ms:.1} ms, sequential {s_ms:.1} ms, slowest single query (alone) {slow:.1} ms; concurrent / slowest = {:.2} (target < 3)",
        c_ms / slow.max(0.001)
    );
    // The same through a proxy that delays every packet by 10 ms each way (a 20 ms round trip, as on
    // a real network): concurrency then shows against the latency it is meant to hide.
    let proxy = rt.block_on(delay_proxy(ns.addr(), Duration::from_millis(10)));
    let far = rt
        .block_on(Resolver::new(&Settings {
            nameserver: Some(proxy),
            ..settings.clone()
        }))
        .expect("resolver");
    let mut far_conc = Vec::new();
    let mut far_alone = Vec::new();
    let mut far_seq = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let pf = rt.block_on(resolve::fetch(&far, &plan, &sink));
        far_conc.push(t.elapsed().as_secs_f64() * 1000.0);
        assert!(pf.rrsets.iter().all(|s| s.status.is_answer()));
        let t = Instant::now();
        let ps = rt.block_on(resolve::fetch_sequential(&far, &plan, &sink));
        far_seq.push(t.elapsed().as_secs_f64() * 1000.0);
        far_alone.push(ps.rrsets.iter().map(|s| s.ms).fold(0.0, f64::max));
    }
    let (fc, fs, fa) = (median(far_conc), median(far_seq), median(far_alone));
    println!(
        "with a 20 ms round trip, median of 5: concurrent {fc:.1} ms, sequential {fs:.1} ms, slowest single query (alone) {fa:.1} ms; concurrent / slowest = {:.2} (target < 3)",
        fc / fa.max(0.001)
    );

    // The dig baseline: the same questions, one after another, one process each.
    match which_dig() {
        Some(dig) => {
            let port = ns.port.to_string();
            let t = Instant::now();
            for s in &p.rrsets {
                let out = std::process::Command::new(&dig)
                    .args([
                        "@127.0.0.1",
                        "-p",
                        &port,
                        "+dnssec",
                        "+norecurse",
                        "+tries=1",
                        "+time=5",
                    ])
                    .arg(&s.name)
                    .arg(s.rtype.as_str())
                    .output()
                    .expect("run dig");
                assert!(out.status.success());
            }
            println!(
                "dig baseline: {} queries one after another in {:?}",
                p.rrsets.len(),
                t.elapsed()
            );
        }
        None => println!("dig baseline: skipped (dig is not installed; it is in bind9-dnsutils)"),
    }
}

fn which_dig() -> Option<std::path::PathBuf> {
    ["/usr/bin/dig", "/usr/local/bin/dig"]
        .iter()
        .map(std::path::PathBuf::from)
        .find(|p| p.is_file())
}

/// A UDP relay to `upstream` that holds every query for `delay` before forwarding it and every
/// answer for `delay` before returning it.
async fn delay_proxy(upstream: std::net::SocketAddr, delay: Duration) -> std::net::SocketAddr {
    use std::sync::Arc;
    let sock = Arc::new(
        tokio::net::UdpSocket::bind("127.0.0.1:0")
            .await
            .expect("bind proxy"),
    );
    let addr = sock.local_addr().expect("addr");
    tokio::spawn(async move {
        let mut buf = vec![0u8; 65535];
        while let Ok((n, from)) = sock.recv_from(&mut buf).await {
            let q = buf[..n].to_vec();
            let sock = Arc::clone(&sock);
            tokio::spawn(async move {
                tokio::time::sleep(delay).await;
                let Ok(up) = tokio::net::UdpSocket::bind("127.0.0.1:0").await else {
                    return;
                };
                if up.send_to(&q, upstream).await.is_err() {
                    return;
                }
                let mut b = vec![0u8; 65535];
                if let Ok(Ok((m, _))) =
                    tokio::time::timeout(Duration::from_secs(5), up.recv_from(&mut b)).await
                {
                    tokio::time::sleep(delay).await;
                    let _ = sock.send_to(&b[..m], from).await;
                }
            });
        }
    });
    addr
}
