//! Speed of live probes against a private local Postfix (issue #4): one full STARTTLS probe (all
//! steps, with and without the injection-test connection), and 50 relay addresses (50 loopback
//! listeners) probed together versus one after another. Needs root and the Debian `postfix` package,
//! like the integration tests; compare with `posttls-finger -c -l secure` (see the issue note).
//!
//! Set `SECMX_BENCH_KEEP=1` to leave the instance running and print its config directory (for
//! running posttls-finger against the same relay).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "benchmark harness: a failure aborts the run"
)]

use criterion::{Criterion, criterion_group, criterion_main};
use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
use secmx::model::Role;
use secmx::probe::{CancelHandle, ProbeConfig, ProbeTarget, Verdict, probe, run_all};
use std::net::{IpAddr, Ipv4Addr};
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

const HOST: &str = "mx.probe.test";
const N: u8 = 50;

struct Pf {
    dir: tempfile::TempDir,
    ca: rustls::pki_types::CertificateDer<'static>,
    port: u16,
}

impl Drop for Pf {
    fn drop(&mut self) {
        if std::env::var_os("SECMX_BENCH_KEEP").is_some() {
            let keep = std::mem::replace(&mut self.dir, tempfile::tempdir().unwrap());
            eprintln!("postfix kept: MAIL_CONFIG={}/conf", keep.keep().display());
            return;
        }
        let _ = Command::new("/usr/sbin/postfix")
            .arg("-c")
            .arg(self.dir.path().join("conf"))
            .arg("abort")
            .output();
    }
}

fn start() -> Pf {
    assert!(
        Path::new("/usr/sbin/postfix").exists(),
        "postfix is not installed (see tests/run.sh)"
    );
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    Command::new("chmod").arg("755").arg(root).status().unwrap();
    for d in ["conf", "queue", "data"] {
        std::fs::create_dir_all(root.join(d)).unwrap();
    }
    Command::new("chown")
        .arg("postfix")
        .arg(root.join("data"))
        .status()
        .unwrap();
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_p = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = ca_p.self_signed(&ca_key).unwrap();
    std::fs::write(root.join("ca.pem"), ca.pem()).unwrap();
    let issuer = Issuer::new(ca_p, ca_key);
    let key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec![HOST.to_string()])
        .unwrap()
        .signed_by(&key, &issuer)
        .unwrap();
    std::fs::write(root.join("leaf.crt"), leaf.pem() + &ca.pem()).unwrap();
    std::fs::write(root.join("leaf.key"), key.serialize_pem()).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let r = root.display();
    std::fs::write(
        root.join("conf/main.cf"),
        format!(
            "compatibility_level = 3.6\nqueue_directory = {r}/queue\ndata_directory = {r}/data\n\
             mail_owner = postfix\nsetgid_group = postdrop\ninet_interfaces = all\n\
             inet_protocols = ipv4\nmyhostname = {HOST}\nmydestination =\nrelay_domains = probe.test\n\
             relay_transport = discard:\ndefault_transport = error:no outbound mail\n\
             mynetworks = 127.0.0.0/8\nalias_maps =\nalias_database =\nlocal_recipient_maps =\n\
             smtputf8_enable = no\nbiff = no\ndefault_process_limit = 200\n\
             smtpd_client_connection_count_limit = 0\nsmtpd_client_connection_rate_limit = 0\n\
             smtpd_tls_security_level = may\nsmtpd_tls_cert_file = {r}/leaf.crt\n\
             smtpd_tls_key_file = {r}/leaf.key\n\
             smtpd_tls_protocols = >=TLSv1.2\nsmtpd_tls_mandatory_protocols = >=TLSv1.2\n\
             smtpd_tls_exclude_ciphers = aNULL, eNULL, EXPORT, DES, RC4, 3DES, MD5, kRSA\n"
        ),
    )
    .unwrap();
    let mut master = String::new();
    for i in 1..=N {
        master.push_str(&format!("127.0.1.{i}:{port} inet n - n - - smtpd\n"));
    }
    master.push_str(
        "cleanup unix n - n - 0 cleanup\nqmgr unix n - n 300 1 qmgr\ntlsmgr unix - - n 1000? 1 tlsmgr\n\
         rewrite unix - - n - - trivial-rewrite\nbounce unix - - n - 0 bounce\n\
         defer unix - - n - 0 bounce\ntrace unix - - n - 0 bounce\nverify unix - - n - 1 verify\n\
         flush unix n - n 1000? 0 flush\nproxymap unix - - n - - proxymap\n\
         anvil unix - - n - 1 anvil\nscache unix - - n - 1 scache\ndiscard unix - - n - - discard\n\
         error unix - - n - - error\nretry unix - - n - - error\n",
    );
    std::fs::write(root.join("conf/master.cf"), master).unwrap();
    let out = Command::new("/usr/sbin/postfix")
        .arg("-c")
        .arg(root.join("conf"))
        .arg("start")
        .output()
        .unwrap();
    assert!(out.status.success(), "postfix start: {out:?}");
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.1.1", port)).is_err() {
        assert!(Instant::now() < deadline, "postfix never listened");
        std::thread::sleep(Duration::from_millis(50));
    }
    Pf {
        dir,
        ca: ca.der().clone(),
        port,
    }
}

fn port_free() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn target(i: u8, port: u16) -> ProbeTarget {
    ProbeTarget::new(
        HOST,
        IpAddr::V4(Ipv4Addr::new(127, 0, 1, i)),
        port,
        Role::Ber,
    )
}

/// A TCP proxy on `listen` that forwards to `upstream` and delays every chunk by `delay` in each
/// direction (a round trip of 2 × `delay`), keeping the order of bytes: what a probe of a relay
/// across the internet waits for, without leaving loopback.
async fn delay_proxy(
    listen: std::net::SocketAddr,
    upstream: std::net::SocketAddr,
    delay: Duration,
) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let l = tokio::net::TcpListener::bind(listen).await.unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((down, _)) = l.accept().await else {
                return;
            };
            tokio::spawn(async move {
                let Ok(up) = tokio::net::TcpStream::connect(upstream).await else {
                    return;
                };
                let _ = down.set_nodelay(true);
                let _ = up.set_nodelay(true);
                let (dr, dw) = down.into_split();
                let (ur, uw) = up.into_split();
                // One direction: read chunks, stamp them, write each `delay` after it arrived.
                fn pipe(
                    mut r: tokio::net::tcp::OwnedReadHalf,
                    mut w: tokio::net::tcp::OwnedWriteHalf,
                    delay: Duration,
                ) {
                    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(Instant, Vec<u8>)>();
                    tokio::spawn(async move {
                        let mut buf = vec![0u8; 16384];
                        loop {
                            match r.read(&mut buf).await {
                                Ok(0) | Err(_) => return,
                                Ok(n) => {
                                    if tx.send((Instant::now(), buf[..n].to_vec())).is_err() {
                                        return;
                                    }
                                }
                            }
                        }
                    });
                    tokio::spawn(async move {
                        while let Some((t, bytes)) = rx.recv().await {
                            tokio::time::sleep_until((t + delay).into()).await;
                            if w.write_all(&bytes).await.is_err() {
                                return;
                            }
                        }
                        let _ = w.shutdown().await;
                    });
                }
                pipe(dr, uw, delay);
                pipe(ur, dw, delay);
            });
        }
    });
}

fn bench(c: &mut Criterion) {
    let pf = start();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut cfg = ProbeConfig::new(std::slice::from_ref(&pf.ca)).unwrap();
    cfg.judge = Some(secmx::rules::probe_judge::judge);
    let t = target(1, pf.port);
    let first = rt.block_on(probe(&t, &cfg, &|_| {}));
    assert_eq!(first.verdict, Verdict::Pass, "{first:?}");
    c.bench_function(
        "probe: one full STARTTLS probe incl. injection test and extra handshakes",
        |b| b.iter(|| rt.block_on(probe(&t, &cfg, &|_| {}))),
    );
    cfg.extra_handshakes = false;
    c.bench_function(
        "probe: one full STARTTLS probe incl. injection test (--quick)",
        |b| b.iter(|| rt.block_on(probe(&t, &cfg, &|_| {}))),
    );
    cfg.extra_handshakes = true;
    cfg.injection_test = false;
    c.bench_function("probe: one full STARTTLS probe, no injection test", |b| {
        b.iter(|| rt.block_on(probe(&t, &cfg, &|_| {})))
    });
    cfg.injection_test = true;
    let cfg = Arc::new(cfg);
    let targets: Vec<_> = (1..=N).map(|i| target(i, pf.port)).collect();
    // Sequential sum and slowest single probe, then all 50 together (3 rounds each, best kept).
    let mut seq_best = Duration::MAX;
    let mut slowest_single = Duration::ZERO;
    let mut par_best = Duration::MAX;
    for _ in 0..3 {
        let mut sum = Duration::ZERO;
        for t in &targets {
            let t0 = Instant::now();
            let r = rt.block_on(probe(t, &cfg, &|_| {}));
            let d = t0.elapsed();
            assert_eq!(r.verdict, Verdict::Pass);
            sum += d;
            slowest_single = slowest_single.max(d);
        }
        seq_best = seq_best.min(sum);
        let t0 = Instant::now();
        let (_h, cancel) = CancelHandle::new();
        let reports = rt.block_on(run_all(
            targets.clone(),
            cfg.clone(),
            N as usize,
            secmx::probe::runner::discard(),
            cancel,
        ));
        par_best = par_best.min(t0.elapsed());
        assert!(reports.iter().all(|r| r.verdict == Verdict::Pass));
    }
    eprintln!(
        "probe: {N} addresses: sequential sum {seq_best:?}, slowest single {slowest_single:?}, \
         all together {par_best:?} ({:.2}x the slowest single)",
        par_best.as_secs_f64() / slowest_single.as_secs_f64()
    );
    // The same with a 20 ms round trip (10 ms each way) in front of every listener, as across the
    // internet: 50 proxies on 127.0.4.i, each in front of 127.0.1.i.
    let rtt_port = port_free();
    let delayed: Vec<_> = (1..=N)
        .map(|i| {
            let listen =
                std::net::SocketAddr::new(IpAddr::V4(Ipv4Addr::new(127, 0, 4, i)), rtt_port);
            let upstream =
                std::net::SocketAddr::new(IpAddr::V4(Ipv4Addr::new(127, 0, 1, i)), pf.port);
            rt.block_on(delay_proxy(listen, upstream, Duration::from_millis(10)));
            let mut t = target(i, rtt_port);
            t.address = listen.ip();
            t
        })
        .collect();
    for (label, quick) in [("defaults", false), ("--quick", true)] {
        let mut c2 = (*cfg).clone();
        c2.extra_handshakes = !quick;
        let c2 = Arc::new(c2);
        let mut slowest = Duration::ZERO;
        let mut sum = Duration::ZERO;
        for t in &delayed {
            let t0 = Instant::now();
            let r = rt.block_on(probe(t, &c2, &|_| {}));
            let d = t0.elapsed();
            assert_eq!(r.verdict, Verdict::Pass, "{r:?}");
            sum += d;
            slowest = slowest.max(d);
        }
        let mut together = Duration::MAX;
        for _ in 0..3 {
            let t0 = Instant::now();
            let (_h, cancel) = CancelHandle::new();
            let reports = rt.block_on(run_all(
                delayed.clone(),
                c2.clone(),
                N as usize,
                secmx::probe::runner::discard(),
                cancel,
            ));
            together = together.min(t0.elapsed());
            assert!(reports.iter().all(|r| r.verdict == Verdict::Pass));
        }
        eprintln!(
            "probe ({label}), 20 ms RTT: {N} addresses: sequential sum {sum:?}, slowest single {slowest:?}, \
             all together (cap 50) {together:?} ({:.2}x the slowest single)",
            together.as_secs_f64() / slowest.as_secs_f64()
        );
    }

    let mut g = c.benchmark_group("probe 50 addresses");
    g.sample_size(10);
    g.bench_function("together (cap 50)", |b| {
        b.iter(|| {
            let (_h, cancel) = CancelHandle::new();
            rt.block_on(run_all(
                targets.clone(),
                cfg.clone(),
                N as usize,
                secmx::probe::runner::discard(),
                cancel,
            ))
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(Duration::from_secs(5));
    targets = bench
}
criterion_main!(benches);
