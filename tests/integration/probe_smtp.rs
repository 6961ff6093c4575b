//! PROBE-004 (banner, EHLO, PTR and relay names), PROBE-012 (vantage points: STARTTLS hidden from one
//! source address) and PROBE-014 (an SOR refuses `VRFY` before TLS) against real Postfix listeners,
//! a private NSD serving reverse zones, and an in-process peer for the misbehaving SOR.

use super::dns::nsd::{self, Sign, Zone};
use super::probe::{
    Certs, HOST, LOCALHOST, Listener, Postfix, cli, config, dump, free_port, has_problem,
    no_forbidden, rt, run_probe, target, tls_opts,
};
use secmx::model::Role;
use secmx::model::Severity;
use secmx::probe::names::PtrLookup;
use secmx::probe::{ProbeTarget, Verdict, probe};
use secmx::resolve::{Resolver, Settings, Status, ptr_resolver, reverse_names};
use std::net::{IpAddr, Ipv4Addr};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

const SOURCE2: IpAddr = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2));

/// One Postfix: `may` with STARTTLS hidden from 127.0.0.2 (`smtpd_discard_ehlo_keyword_address_maps`),
/// `may` for everyone, and `encrypt` (secure only).
struct Three {
    pf: Postfix,
    certs: Certs,
    hiding: u16,
    plain: u16,
    encrypt: u16,
}

fn three() -> Three {
    let ports: Vec<u16> = (0..3).map(|_| free_port()).collect();
    let mut certs = None;
    let pf = Postfix::start(|dir| {
        certs = Some(Certs::make(dir));
        let map = dir.join("discard.cidr");
        std::fs::write(&map, "127.0.0.2/32 starttls\n").unwrap();
        let mut hiding = tls_opts(dir, "valid", "may");
        hiding.push(format!(
            "smtpd_discard_ehlo_keyword_address_maps=cidr:{}",
            map.display()
        ));
        let l = |port, opts| Listener {
            addr: Ipv4Addr::LOCALHOST.into(),
            port,
            opts,
        };
        vec![
            l(ports[0], hiding),
            l(ports[1], tls_opts(dir, "valid", "may")),
            l(ports[2], tls_opts(dir, "valid", "encrypt")),
        ]
    });
    Three {
        pf,
        certs: certs.expect("certificates"),
        hiding: ports[0],
        plain: ports[1],
        encrypt: ports[2],
    }
}

// ---------------------------------------------------------------------------------------------
// PROBE-014

#[test]
fn postfix_sor_refuses_vrfy_before_tls_with_530() {
    let pf = three();
    let cfg = config(&pf.certs.ca_der);
    let r = run_probe(&cfg, target(pf.encrypt, Role::Sor));
    assert_eq!(r.plaintext_mail_from, Some(530), "{}", dump(&r));
    assert_eq!(r.pretls_vrfy, Some(530), "{}", dump(&r));
    assert!(!has_problem(&r, "PROBE-014"), "{}", dump(&r));
    assert_eq!(r.verdict, Verdict::Pass, "{}", dump(&r));
    assert!(r.transcript.iter().any(|l| l == "C: VRFY postmaster"));
    no_forbidden(&r);
    // A BER is not asked.
    let r = run_probe(&cfg, target(pf.plain, Role::Ber));
    assert_eq!(r.pretls_vrfy, None);
    assert!(!r.transcript.iter().any(|l| l.contains("C: VRFY")));
    drop(pf.pf);
}

/// An SOR that refuses `MAIL FROM` with 530 but answers `VRFY` with 252; STARTTLS then fails (454),
/// which is enough: PROBE-014 is judged in clear. Records every command it gets.
async fn leaky_sor() -> (std::net::SocketAddr, Arc<Mutex<Vec<String>>>) {
    let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    let log: Arc<Mutex<Vec<String>>> = Arc::default();
    let lg = log.clone();
    tokio::spawn(async move {
        while let Ok((s, _)) = l.accept().await {
            let lg = lg.clone();
            tokio::spawn(async move {
                let (rd, mut wr) = s.into_split();
                let mut rd = BufReader::new(rd);
                wr.write_all(b"220 sor.probe.test ESMTP\r\n").await?;
                loop {
                    let mut line = String::new();
                    if rd.read_line(&mut line).await? == 0 {
                        return Ok::<_, std::io::Error>(());
                    }
                    let cmd = line.trim_end().to_string();
                    lg.lock().unwrap().push(cmd.clone());
                    let verb = cmd.split_whitespace().next().unwrap_or("").to_uppercase();
                    let reply: &[u8] = match verb.as_str() {
                        "EHLO" => b"250-sor.probe.test\r\n250-PIPELINING\r\n250 STARTTLS\r\n",
                        "MAIL" => b"530 5.7.0 Must issue a STARTTLS command first\r\n",
                        "VRFY" => b"252 2.0.0 postmaster\r\n",
                        "RSET" | "NOOP" => b"250 2.0.0 Ok\r\n",
                        "STARTTLS" => b"454 4.7.0 TLS not available\r\n",
                        "QUIT" => {
                            wr.write_all(b"221 2.0.0 Bye\r\n").await?;
                            return Ok(());
                        }
                        _ => b"502 5.5.2 Error: command not recognized\r\n",
                    };
                    wr.write_all(reply).await?;
                }
            });
        }
    });
    (addr, log)
}

#[test]
fn sor_answering_vrfy_252_before_tls_is_probe_014() {
    let (r, log) = rt().block_on(async {
        let (addr, log) = leaky_sor().await;
        let mut cfg = secmx::probe::ProbeConfig::new(&[]).unwrap();
        cfg.judge = Some(secmx::rules::probe_judge::judge);
        cfg.timeouts = secmx::probe::Timeouts::all(Duration::from_secs(2));
        cfg.retries = 0;
        let t = ProbeTarget::new("sor.probe.test", addr.ip(), addr.port(), Role::Sor);
        let r = probe(&t, &cfg, &|_| {}).await;
        let log = log.lock().unwrap().clone();
        (r, log)
    });
    assert_eq!(r.pretls_vrfy, Some(252), "{}", dump(&r));
    let p = r
        .problems
        .iter()
        .find(|p| p.rule == "PROBE-014")
        .unwrap_or_else(|| panic!("no PROBE-014: {}", dump(&r)));
    assert_eq!(p.severity, Severity::Warning);
    assert!(p.message.contains("252"), "{}", p.message);
    // The server got VRFY right after the refused MAIL FROM, and never RCPT or DATA.
    let mail = log.iter().position(|c| c.starts_with("MAIL FROM")).unwrap();
    assert_eq!(log[mail + 1], "VRFY postmaster", "{log:?}");
    for c in &log {
        let u = c.to_ascii_uppercase();
        assert!(!u.starts_with("RCPT") && !u.starts_with("DATA"), "{c}");
    }
    no_forbidden(&r);
}

// ---------------------------------------------------------------------------------------------
// PROBE-012

#[test]
fn postfix_hiding_starttls_from_one_source_is_probe_012() {
    let pf = three();
    let mut cfg = config(&pf.certs.ca_der);
    cfg.sources = vec![SOURCE2];
    let r = run_probe(&cfg, target(pf.hiding, Role::Ber));
    assert_eq!(r.starttls_offered, Some(true), "{}", dump(&r));
    assert_eq!(r.vantage.main_source, Some(LOCALHOST));
    assert_eq!(r.vantage.points.len(), 1, "{}", dump(&r));
    let v = &r.vantage.points[0];
    assert_eq!(v.source, SOURCE2);
    assert_eq!((v.greeting, v.ehlo), (Some(220), Some(250)), "{}", dump(&r));
    assert_eq!(v.starttls_offered, Some(false), "{}", dump(&r));
    assert!(v.capabilities.iter().any(|c| c == "PIPELINING"));
    let p: Vec<_> = r
        .problems
        .iter()
        .filter(|p| p.rule == "PROBE-012")
        .collect();
    assert_eq!(p.len(), 1, "{}", dump(&r));
    assert_eq!(p[0].severity, Severity::Warning);
    assert_eq!(
        p[0].message,
        "STARTTLS offered to 127.0.0.1 (main probe) but not to 127.0.0.2"
    );
    // The vantage connection said EHLO and QUIT, nothing else.
    let vantage: Vec<&String> = r
        .transcript
        .iter()
        .filter(|l| l.starts_with("[vantage] C:"))
        .collect();
    assert_eq!(vantage.len(), 2, "{vantage:?}");
    assert!(vantage[0].starts_with("[vantage] C: EHLO"));
    assert_eq!(vantage[1], "[vantage] C: QUIT");
    assert!(r.timings_ms.vantage.is_some());

    // The same listener without the map: identical lists, no PROBE-012.
    let r = run_probe(&cfg, target(pf.plain, Role::Ber));
    assert_eq!(r.vantage.points[0].starttls_offered, Some(true));
    assert_eq!(r.vantage.points[0].capabilities, r.capabilities);
    assert!(!has_problem(&r, "PROBE-012"), "{}", dump(&r));
    // Without sources: no extra connection at all.
    cfg.sources.clear();
    let r = run_probe(&cfg, target(pf.hiding, Role::Ber));
    assert!(r.vantage.points.is_empty());
    assert!(!has_problem(&r, "PROBE-012"));
    // A source of the other family is not used for an IPv4 target.
    cfg.sources = vec!["::1".parse().unwrap()];
    let r = run_probe(&cfg, target(pf.plain, Role::Ber));
    assert!(r.vantage.points.is_empty());
}

// ---------------------------------------------------------------------------------------------
// PROBE-004

/// A reverse zone in documentation space (only ever asked, never connected to): 192.0.2.10 has two
/// PTR names, 192.0.2.11 a name without PTR, 192.0.2.9 nothing. Loopback addresses cannot be
/// served this way: hickory answers PTR queries under `127.in-addr.arpa` and `1.0…ip6.arpa` itself
/// with `localhost.` (RFC 6761 §6.3) without asking any server.
fn reverse_zone() -> Zone {
    Zone::new(
        "2.0.192.in-addr.arpa",
        Sign::No,
        "10 PTR mx.probe.test.\n10 PTR Second.Probe.Test.\n11 TXT \"no ptr here\"\n",
    )
}

#[test]
fn reverse_names_from_a_real_authoritative_server() {
    let ns = nsd::start_with(&[], &[], &[reverse_zone()]);
    // The settings `secmx check --resolver … --trust-anchor …` gives.
    let s = Settings {
        nameserver: Some(ns.addr()),
        trust_anchor: Some(ns.anchor.clone()),
        timeout: Duration::from_secs(3),
        ..Settings::default()
    };
    let (one, nx, nodata, loopback, validating) = rt().block_on(async {
        let r = ptr_resolver(&s).await.unwrap();
        let v = Resolver::new(&s).await.unwrap();
        (
            reverse_names(&r, "192.0.2.10".parse().unwrap()).await,
            reverse_names(&r, "192.0.2.9".parse().unwrap()).await,
            reverse_names(&r, "192.0.2.11".parse().unwrap()).await,
            reverse_names(&r, "127.0.0.1".parse().unwrap()).await,
            reverse_names(&v, "192.0.2.10".parse().unwrap()).await,
        )
    });
    assert_eq!(
        one,
        Ok(vec![
            "mx.probe.test.".to_string(),
            "second.probe.test.".to_string()
        ])
    );
    assert_eq!(nx, Err(Status::Nxdomain));
    assert_eq!(nodata, Err(Status::Nodata));
    assert_eq!(loopback, Ok(vec!["localhost.".to_string()]));
    // Why PTR lookups do not validate: the reverse zone lies outside the anchor's chain, and a
    // validating resolver turns the answer into SERVFAIL.
    assert_eq!(validating, Err(Status::Servfail));
}

#[test]
fn postfix_banner_and_ehlo_names_are_recorded_and_compared() {
    let pf = three();
    let cfg = config(&pf.certs.ca_der);
    // Postfix's myhostname is HOST; the PTR names it too: nothing to report.
    let mut t = target(pf.plain, Role::Ber);
    t.ptr = Some(PtrLookup::Names(vec![format!("{HOST}.")]));
    let r = run_probe(&cfg, t);
    assert_eq!(r.names.banner.as_deref(), Some(HOST), "{}", dump(&r));
    assert_eq!(r.names.ehlo.as_deref(), Some(HOST), "{}", dump(&r));
    assert_eq!(r.names.relay, HOST);
    assert!(!has_problem(&r, "PROBE-004"), "{}", dump(&r));
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["names"]["banner"], HOST);
    assert_eq!(json["names"]["ptr"][0], format!("{HOST}."));

    // DNS publishes the relay as another name: one info finding listing every name.
    let mut t = ProbeTarget::new("relay.probe.test", LOCALHOST, pf.plain, Role::Ber);
    t.ptr = Some(PtrLookup::Status("nxdomain".into()));
    let r = run_probe(&cfg, t);
    let p: Vec<_> = r
        .problems
        .iter()
        .filter(|p| p.rule == "PROBE-004")
        .collect();
    assert_eq!(p.len(), 2, "{}", dump(&r));
    assert!(p.iter().all(|p| p.severity == Severity::Info));
    assert_eq!(
        p[0].message,
        format!("host names differ: banner {HOST}, EHLO {HOST}, relay relay.probe.test")
    );
    assert_eq!(p[1].message, "no PTR for 127.0.0.1 (nxdomain)");
    assert_eq!(
        serde_json::to_value(&r).unwrap()["names"]["ptr"],
        "nxdomain"
    );
}

#[test]
fn cli_probe_with_source_and_resolver_reports_vantage_points_and_ptr() {
    let pf = three();
    let ns = nsd::start_with(&[], &[], &[reverse_zone()]);
    let ca = pf.certs.ca_pem.to_str().unwrap().to_string();
    let target = format!("127.0.0.1:{}", pf.hiding);
    let resolver = ns.addr().to_string();
    let (code, out, err) = cli(&[
        "probe",
        &target,
        "--ca",
        &ca,
        "--timeout",
        "5",
        "--source",
        "127.0.0.2",
        "--resolver",
        &resolver,
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "a warning only: {out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let p = &v["probes"][0];
    assert_eq!(p["vantage"]["points"][0]["source"], "127.0.0.2", "{p}");
    assert_eq!(p["vantage"]["points"][0]["starttls_offered"], false, "{p}");
    assert_eq!(p["vantage"]["main_source"], "127.0.0.1", "{p}");
    assert_eq!(p["starttls_offered"], true);
    assert_eq!(p["names"]["banner"], HOST, "{p}");
    assert_eq!(p["names"]["ehlo"], HOST, "{p}");
    assert_eq!(p["names"]["relay"], "127.0.0.1", "{p}");
    // hickory answers PTR of 127.0.0.0/8 itself (RFC 6761 §6.3).
    assert_eq!(p["names"]["ptr"], serde_json::json!(["localhost."]), "{p}");
    let problems = p["problems"].as_array().unwrap();
    assert!(
        problems
            .iter()
            .any(|x| x["rule"] == "PROBE-012" && x["severity"] == "warning"),
        "{p}"
    );
    // The relay name is an address: not compared; banner and EHLO agree, the PTR does not.
    let names: Vec<_> = problems
        .iter()
        .filter(|x| x["rule"] == "PROBE-004")
        .collect();
    assert_eq!(names.len(), 1, "{p}");
    assert_eq!(
        names[0]["message"],
        format!("host names differ: banner {HOST}, EHLO {HOST}, PTR localhost"),
        "{p}"
    );
    assert_eq!(names[0]["severity"], "info");

    // Without --source: no vantage points, no PROBE-012; --no-ptr: no PTR.
    let target = format!("127.0.0.1:{}", pf.plain);
    let (code, out, err) = cli(&[
        "probe",
        &target,
        "--ca",
        &ca,
        "--timeout",
        "5",
        "--no-ptr",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let p = &v["probes"][0];
    assert_eq!(p["vantage"]["points"], serde_json::json!([]), "{p}");
    assert!(p["names"]["ptr"].is_null(), "{p}");
}

const MX_ADDR: Ipv4Addr = Ipv4Addr::new(127, 0, 2, 25);

#[test]
fn check_domain_reports_names_with_the_ptr_of_the_mx_address() {
    let (pf, certs, ns) = super::check_live::one_mx(MX_ADDR, "may");
    let (v, stdout, _) =
        super::check_live::check_probe_test(&ns, &certs, &pf, &["--source", "127.0.0.2"]);
    let p = &v["probes"][0];
    assert_eq!(p["host"], "mx.probe.test", "{stdout}");
    assert_eq!(
        p["names"],
        serde_json::json!({
            "banner": "mx.probe.test",
            "ehlo": "mx.probe.test",
            "ptr": ["localhost."],
            "relay": "mx.probe.test",
        }),
        "{stdout}"
    );
    // --source on check: one vantage point, offered the same capabilities.
    assert_eq!(p["vantage"]["points"][0]["source"], "127.0.0.2", "{stdout}");
    assert_eq!(
        p["vantage"]["points"][0]["starttls_offered"], true,
        "{stdout}"
    );
    assert!(
        !v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "PROBE-012"),
        "{stdout}"
    );
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "PROBE-004")
        .unwrap_or_else(|| panic!("no PROBE-004 finding: {stdout}"));
    assert_eq!(f["severity"], "info", "{f}");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .ends_with("relay mx.probe.test, PTR localhost"),
        "{f}"
    );
}

// ---------------------------------------------------------------------------------------------
// Measurement (not a test: run with `cargo test --test integration probe_smtp::measure -- --ignored
// --nocapture`; it prints numbers and asserts nothing about time).

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

#[test]
#[ignore = "measurement: prints the extra time of the VRFY step and of one vantage connection"]
fn measure_vrfy_and_vantage_cost() {
    const N: usize = 21;
    let pf = three();
    let mut cfg = config(&pf.certs.ca_der);
    cfg.injection_test = false;
    let rt = rt();
    let time = |cfg: &secmx::probe::ProbeConfig, t: ProbeTarget| {
        rt.block_on(async {
            let t0 = std::time::Instant::now();
            let r = probe(&t, cfg, &|_| {}).await;
            assert_ne!(r.verdict, Verdict::Inconclusive, "{}", dump(&r));
            t0.elapsed()
        })
    };
    // VRFY: the same secure-only listener probed as SOR (with VRFY) and as BER (without); both get
    // 530 to MAIL FROM and otherwise say the same.
    let (mut sor, mut ber) = (vec![], vec![]);
    for _ in 0..N {
        sor.push(time(&cfg, target(pf.encrypt, Role::Sor)));
        ber.push(time(&cfg, target(pf.encrypt, Role::Ber)));
    }
    // One vantage connection: the same listener with and without `--source 127.0.0.2`.
    let mut with = cfg.clone();
    with.sources = vec![SOURCE2];
    let (mut one, mut none) = (vec![], vec![]);
    for _ in 0..N {
        one.push(time(&with, target(pf.plain, Role::Ber)));
        none.push(time(&cfg, target(pf.plain, Role::Ber)));
    }
    // PTR lookups through a local NSD.
    let ns = nsd::start_with(&[], &[], &[reverse_zone()]);
    let s = Settings {
        nameserver: Some(ns.addr()),
        ..Settings::default()
    };
    let ptr: Vec<Duration> = rt.block_on(async {
        let r = ptr_resolver(&s).await.unwrap();
        let mut v = vec![];
        for _ in 0..N {
            let t0 = std::time::Instant::now();
            assert!(
                reverse_names(&r, "192.0.2.10".parse().unwrap())
                    .await
                    .is_ok()
            );
            v.push(t0.elapsed());
        }
        v
    });
    // The steps themselves: the VRFY round trip after a refused MAIL FROM on the secure-only
    // listener, and one whole vantage connection (connect from 127.0.0.2, greeting, EHLO, QUIT).
    let (vrfy, look): (Vec<Duration>, Vec<Duration>) = rt.block_on(async {
        use secmx::probe::smtp::{Limits, Smtp};
        let (mut vrfy, mut look) = (vec![], vec![]);
        let w = Duration::from_secs(2);
        for _ in 0..N {
            let tcp = tokio::net::TcpStream::connect((LOCALHOST, pf.encrypt))
                .await
                .unwrap();
            let mut s = Smtp::new(tcp, Limits::default(), vec![], "");
            s.read_reply(w).await.unwrap();
            s.send("EHLO probe.secmx.test").await.unwrap();
            s.read_reply(w).await.unwrap();
            s.send("MAIL FROM:<>").await.unwrap();
            assert_eq!(s.read_reply(w).await.unwrap().code, 530);
            let t0 = std::time::Instant::now();
            s.send("VRFY postmaster").await.unwrap();
            assert_eq!(s.read_reply(w).await.unwrap().code, 530);
            vrfy.push(t0.elapsed());
            s.send("QUIT").await.unwrap();
            let _ = s.read_reply(w).await;
            let t = target(pf.plain, Role::Ber);
            let t0 = std::time::Instant::now();
            let (v, _) = secmx::probe::vantage::look(&t, &with, SOURCE2).await;
            assert_eq!(v.ehlo, Some(250));
            look.push(t0.elapsed());
        }
        (vrfy, look)
    });
    println!(
        "median of {N}: VRFY round trip {:?}, one vantage connection {:?}",
        median(vrfy),
        median(look)
    );
    let (ms, mb) = (median(sor), median(ber));
    let (m1, m0) = (median(one), median(none));
    println!(
        "median of {N} local Postfix probes: SOR with VRFY {ms:?}, same listener as BER {mb:?}, VRFY step ≈ {:?}",
        ms.saturating_sub(mb)
    );
    println!(
        "median of {N}: with one --source {m1:?}, without {m0:?}, one vantage connection ≈ {:?}",
        m1.saturating_sub(m0)
    );
    println!(
        "median of {N} PTR lookups against local NSD: {:?}",
        median(ptr)
    );
}
