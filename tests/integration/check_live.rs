//! `secmx check` end to end against real peers: a signed zone on a private NSD publishes a Level 2
//! domain whose MX host and SecMX SRV target are private Postfix listeners; the check reports the
//! DNS answers with their DNSSEC proofs and a full probe of every relay address (see the README).

use super::dns::nsd::{self, Sign, Zone};
use super::probe::{Certs, Listener, OwnV6, Postfix, free_port, tls_opts};
use std::net::Ipv4Addr;
use std::process::Command;

const MX_ADDR: Ipv4Addr = Ipv4Addr::new(127, 0, 1, 25);
const SOR_ADDR: Ipv4Addr = Ipv4Addr::new(127, 0, 1, 26);

/// `secmx check --domain probe.test --format json` against the NSD `ns`, trusting the test CA of
/// `certs`, with `extra` options: (the report, stdout, exit code). Not JSON → a panic that shows
/// stdout, stderr and Postfix's log.
pub(crate) fn check_probe_test(
    ns: &nsd::Nsd,
    certs: &Certs,
    pf: &Postfix,
    extra: &[&str],
) -> (serde_json::Value, String, Option<i32>) {
    let out = Command::new(env!("CARGO_BIN_EXE_secmx"))
        .args(["check", "--domain", "probe.test", "--resolver"])
        .arg(ns.addr().to_string())
        .arg("--trust-anchor")
        .arg(&ns.anchor)
        .arg("--ca")
        .arg(&certs.ca_pem)
        .args(["--probe-timeout", "10", "--format", "json"])
        .args(extra)
        .output()
        .expect("run secmx");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {stdout}\nstderr: {}\nmaillog:\n{}",
            String::from_utf8_lossy(&out.stderr),
            pf.maillog()
        )
    });
    (v, stdout, out.status.code())
}

/// Two Postfix listeners: the MX host on `mx.0`:25 and the SRV target on `srv.0` at a free port,
/// each with its certificate name and `smtpd_tls_security_level` (`.1`, `.2`). Returns Postfix,
/// its certificates and the SRV port.
pub(crate) fn mx_and_srv(
    mx: (Ipv4Addr, &str, &str),
    srv: (Ipv4Addr, &str, &str),
) -> (Postfix, Certs, u16) {
    let srv_port = free_port();
    let mut certs = None;
    let pf = Postfix::start(|dir| {
        certs = Some(Certs::make(dir));
        vec![
            Listener {
                addr: mx.0.into(),
                port: 25,
                opts: tls_opts(dir, mx.1, mx.2),
            },
            Listener {
                addr: srv.0.into(),
                port: srv_port,
                opts: tls_opts(dir, srv.1, srv.2),
            },
        ]
    });
    (pf, certs.expect("certificates"), srv_port)
}

/// One Postfix listener on `addr`:25 (valid certificate, `smtpd_tls_security_level = level`) and a
/// signed `probe.test` on a private NSD whose only MX host `mx.probe.test` has that address.
pub(crate) fn one_mx(addr: Ipv4Addr, level: &str) -> (Postfix, Certs, nsd::Nsd) {
    let mut certs = None;
    let pf = Postfix::start(|dir| {
        certs = Some(Certs::make(dir));
        vec![Listener {
            addr: addr.into(),
            port: 25,
            opts: tls_opts(dir, "valid", level),
        }]
    });
    let certs = certs.expect("certificates");
    let ns = nsd::start(
        &[Zone::new(
            "probe.test",
            Sign::Yes,
            &format!("@ MX 10 mx\nmx A {addr}\n"),
        )],
        &[],
    );
    (pf, certs, ns)
}

#[test]
fn check_domain_probes_every_published_relay_address() {
    // The BER listens on port 25 of an address of its own (MX hosts are always reached on 25); the
    // SOR on a free port published by SRV.
    let (pf, certs, sor_port) = mx_and_srv((MX_ADDR, "valid", "may"), (SOR_ADDR, "sor", "encrypt"));
    let ns = nsd::start(
        &[Zone::new(
            "probe.test",
            Sign::Yes,
            &format!(
                "@ MX 10 mx\nmx A {MX_ADDR}\n_secmx._tcp SRV 10 0 {sor_port} sor\nsor A {SOR_ADDR}\n"
            ),
        )],
        &[],
    );

    let (v, stdout, code) = check_probe_test(&ns, &certs, &pf, &[]);

    // DNS: the MX RRset validated through the signed chain.
    let mx = v["dns"]["rrsets"]
        .as_array()
        .expect("rrsets")
        .iter()
        .find(|s| s["name"] == "probe.test." && s["type"] == "MX")
        .expect("the MX RRset");
    assert_eq!(mx["dnssec"], "secure", "{mx}");
    assert_eq!(mx["status"], "ok", "{mx}");

    // Probes: one per relay address, with the facts of the JSON report.
    let probes = v["probes"].as_array().expect("probes");
    assert_eq!(probes.len(), 2, "{stdout}");
    let by_host = |h: &str| {
        probes
            .iter()
            .find(|p| p["host"] == h)
            .unwrap_or_else(|| panic!("no probe of {h}: {stdout}"))
    };
    let ber = by_host("mx.probe.test");
    assert_eq!(ber["address"], MX_ADDR.to_string());
    assert_eq!(ber["port"], 25);
    assert_eq!(ber["role"], "ber");
    assert_eq!(ber["via"], "mx");
    assert_eq!(ber["connect"], "ok", "{ber}");
    assert_eq!(ber["greeting"], 220);
    assert_eq!(ber["starttls_offered"], true);
    assert_eq!(ber["plaintext_mail_from"], 250);
    assert_eq!(ber["tls"]["version"], "TLSv1.3", "{ber}");
    assert_eq!(ber["certificate"]["pkix"], "valid", "{ber}");
    assert_eq!(ber["dane"], "no-tlsa", "{ber}");
    assert_eq!(ber["verdict"], "pass", "{ber}");
    assert!(ber["transcript"].as_array().is_some_and(|t| !t.is_empty()));
    assert!(ber["timings_ms"]["total"].as_u64().is_some(), "{ber}");

    let sor = by_host("sor.probe.test");
    assert_eq!(sor["port"], sor_port);
    assert_eq!(sor["role"], "sor");
    assert_eq!(sor["via"], "srv");
    assert_eq!(
        sor["plaintext_mail_from"], 530,
        "a Secure Only Receiver refuses plaintext: {sor}"
    );
    assert_eq!(sor["certificate"]["pkix"], "valid", "{sor}");
    assert_eq!(sor["verdict"], "pass", "{sor}");

    // The sender simulation: the SRV target first, and a Secure Only Sender delivers to it over TLS.
    let sim = &v["simulation"];
    let order: Vec<&str> = sim["candidates"]
        .as_array()
        .expect("candidates")
        .iter()
        .filter_map(|c| c["host"].as_str())
        .collect();
    assert_eq!(order, ["sor.probe.test", "mx.probe.test"], "{sim}");
    assert_eq!(sim["sos"]["outcome"], "tls", "{sim}");
    assert_eq!(sim["sos"]["delivered_to"], "sor.probe.test", "{sim}");
    assert_eq!(sim["bes"]["outcome"], "tls", "{sim}");

    // No probe finding at error severity, and the exit code agrees.
    let errors: Vec<_> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["severity"] == "error")
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(code, Some(0), "{stdout}");
}

#[test]
fn check_reports_a_secure_only_relay_listed_in_mx_as_errors() {
    // An `encrypt` listener published in MX: the probe finds 530 to plaintext MAIL FROM, which the
    // registry reports as PROBE-010 and MX-008, and the check exits 1.
    let addr = Ipv4Addr::new(127, 0, 1, 27);
    let (pf, certs, ns) = one_mx(addr, "encrypt");
    let (v, _, code) = check_probe_test(&ns, &certs, &pf, &[]);
    let rules: Vec<&str> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["severity"] == "error")
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert!(rules.contains(&"PROBE-010"), "{rules:?}");
    assert!(rules.contains(&"MX-008"), "{rules:?}");
    assert_eq!(code, Some(1));
}

#[test]
fn sender_simulation_bounces_when_no_published_relay_completes_tls() {
    // SOR-007: the SRV target and the MX host both speak only plaintext. A simulated Secure Only
    // Sender tries the SRV target, then the MX host, and bounces; a Best Effort Sender falls back to
    // plaintext delivery to the MX host.
    let mx_addr = Ipv4Addr::new(127, 0, 1, 28);
    let srv_addr = Ipv4Addr::new(127, 0, 1, 29);
    let (pf, certs, srv_port) = mx_and_srv((mx_addr, "valid", "none"), (srv_addr, "valid", "none"));
    let ns = nsd::start(
        &[Zone::new(
            "probe.test",
            Sign::Yes,
            &format!(
                "@ MX 10 mx\nmx A {mx_addr}\n_secmx._tcp SRV 10 0 {srv_port} notls\nnotls A {srv_addr}\n"
            ),
        )],
        &[],
    );
    let (v, stdout, code) = check_probe_test(&ns, &certs, &pf, &[]);
    let sim = &v["simulation"];
    assert_eq!(sim["sos"]["outcome"], "bounce", "{sim}");
    let tried: Vec<(&str, &str)> = sim["sos"]["tried"]
        .as_array()
        .expect("tried")
        .iter()
        .map(|a| {
            (
                a["host"].as_str().unwrap_or(""),
                a["seen"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        tried,
        [
            ("notls.probe.test", "plaintext-only"),
            ("mx.probe.test", "plaintext-only")
        ],
        "{sim}"
    );
    assert_eq!(sim["bes"]["outcome"], "plaintext", "{sim}");
    assert_eq!(sim["bes"]["delivered_to"], "mx.probe.test", "{sim}");
    let sor_007: Vec<&str> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "SOR-007")
        .filter_map(|f| f["message"].as_str())
        .collect();
    assert_eq!(sor_007.len(), 2, "{sor_007:?}");
    assert!(
        sor_007
            .iter()
            .any(|m| m.contains("Secure Only Sender bounces")),
        "{sor_007:?}"
    );
    assert!(
        sor_007.iter().any(|m| m.contains("in plaintext")),
        "{sor_007:?}"
    );
    // The plaintext SRV target is an error of its own (SOR-006), so the check fails.
    assert_eq!(code, Some(1), "{stdout}");
}

#[test]
fn every_address_of_a_relay_is_probed_ipv4_and_ipv6() {
    // One MX host with an A and an AAAA record: both addresses are probed on port 25. The IPv4
    // listener is a proper BER; the IPv6 one offers no STARTTLS. The relay summary lists both
    // addresses and flags the difference (PROBE-028), and the check fails.
    //
    // Issue 13.12: the IPv6 listener has an address of its own, not ::1, where another MTA may
    // listen (Debian's exim4 does). To show the test does not depend on [::1]:25, an impostor
    // that offers STARTTLS holds [::1]:25 while it runs (when the port is free; otherwise some
    // other MTA already plays that part): a probe of ::1 would pass instead of fail, and the
    // impostor counts every connection it gets.
    let v4 = Ipv4Addr::new(127, 0, 1, 31);
    let own = OwnV6::add(31);
    let v6 = own.addr;
    let impostor = Impostor::on_ipv6_loopback_25();
    let mut certs = None;
    let pf = Postfix::start(|dir| {
        certs = Some(Certs::make(dir));
        vec![
            Listener {
                addr: v4.into(),
                port: 25,
                opts: tls_opts(dir, "valid", "may"),
            },
            Listener {
                addr: v6.into(),
                port: 25,
                opts: tls_opts(dir, "valid", "none"),
            },
        ]
    });
    let certs = certs.expect("certificates");
    let ns = nsd::start(
        &[Zone::new(
            "probe.test",
            Sign::Yes,
            &format!("@ MX 10 mx\nmx A {v4}\nmx AAAA {v6}\n"),
        )],
        &[],
    );
    let (v, stdout, code) = check_probe_test(&ns, &certs, &pf, &["--quick"]);
    let probes = v["probes"].as_array().expect("probes");
    let by_addr = |a: &str| {
        probes
            .iter()
            .find(|p| p["address"] == a)
            .unwrap_or_else(|| panic!("no probe of {a}: {stdout}"))
    };
    let p4 = by_addr("127.0.1.31");
    let v6_text = v6.to_string();
    let p6 = by_addr(&v6_text);
    assert_eq!(p4["host"], "mx.probe.test");
    assert_eq!(p6["host"], "mx.probe.test");
    assert_eq!(p4["starttls_offered"], true, "{p4}");
    assert_eq!(p4["tls"]["version"], "TLSv1.3", "{p4}");
    assert_eq!(p4["verdict"], "pass", "{p4}");
    assert_eq!(p6["connect"], "ok", "{p6}");
    assert_eq!(p6["greeting"], 220, "{p6}");
    assert_eq!(p6["starttls_offered"], false, "{p6}");
    assert_eq!(p6["verdict"], "fail", "{p6}");
    let relay = v["relays"]
        .as_array()
        .expect("relays")
        .iter()
        .find(|r| r["host"] == "mx.probe.test")
        .expect("the relay summary");
    let addrs: Vec<&str> = relay["addresses"]
        .as_array()
        .expect("addresses")
        .iter()
        .filter_map(|a| a.as_str())
        .collect();
    assert!(
        addrs.contains(&"127.0.1.31")
            && addrs.contains(&v6_text.as_str())
            && !addrs.contains(&"::1"),
        "{relay}"
    );
    assert_eq!(relay["verdict"], "fail", "{relay}");
    let rules: Vec<&str> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert!(rules.contains(&"PROBE-028"), "{rules:?}");
    assert!(rules.contains(&"PROBE-005"), "{rules:?}");
    assert_eq!(code, Some(1), "{stdout}");
    if let Some(i) = impostor {
        assert_eq!(i.hits(), 0, "something connected to [::1]:25: {stdout}");
    }
}

/// A listener on [::1]:25 that greets like an MTA offering STARTTLS and counts its connections;
/// stopped on drop.
struct Impostor {
    hits: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Impostor {
    /// `None` when [::1]:25 is taken (or there is no ::1).
    fn on_ipv6_loopback_25() -> Option<Impostor> {
        use std::sync::atomic::Ordering;
        let l = std::net::TcpListener::bind("[::1]:25").ok()?;
        l.set_nonblocking(true).ok()?;
        let hits = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (h, st) = (hits.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            while !st.load(Ordering::Relaxed) {
                match l.accept() {
                    Ok((mut s, _)) => {
                        use std::io::Write;
                        h.fetch_add(1, Ordering::Relaxed);
                        let _ = s.write_all(b"220 impostor.example ESMTP\r\n");
                        let _ = s.write_all(b"250-impostor.example\r\n250 STARTTLS\r\n");
                    }
                    Err(_) => std::thread::sleep(std::time::Duration::from_millis(20)),
                }
            }
        });
        Some(Impostor {
            hits,
            stop,
            thread: Some(thread),
        })
    }

    fn hits(&self) -> usize {
        self.hits.load(std::sync::atomic::Ordering::Relaxed)
    }
}

impl Drop for Impostor {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[test]
fn the_window_worker_resolves_relays_through_the_configured_resolver_and_honours_quick() {
    // "Probe all" in the window for a relay whose design names no address: the worker asks the
    // nameserver of Settings (a real NSD), probes what it publishes, and with "quick probes" on
    // runs no extra handshakes.
    use secmx::event::{EventBody, RunId};
    use secmx::probe::ProbeEvent;
    use secmx::worker::{self, Command, NetSettings};
    let addr = Ipv4Addr::new(127, 0, 1, 32);
    let (_pf, certs, ns) = one_mx(addr, "may");
    let design = secmx::project::parse_design(
        "format = 1\ndomain = \"probe.test\"\nlevel = 1\ntest_domain = true\n\n[[relay]]\nhost = \"mx.probe.test\"\nrole = \"ber\"\npreference = 10\n",
        "probe.secmx.toml",
    )
    .expect("design");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let mut link = worker::spawn(rt.handle(), std::sync::Arc::new(|| {}));
    for (run, quick) in [(RunId(1), false), (RunId(2), true)] {
        assert!(link.send(Command::Check {
            run,
            design: Box::new(design.clone()),
            probe: true,
            settings: NetSettings {
                resolver: Some(ns.addr().to_string()),
                trust_anchor: Some(ns.anchor.clone()),
                ca_file: Some(certs.ca_pem.clone()),
                quick,
                ..NetSettings::default()
            },
            history: None,
        }));
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        let mut reports = Vec::new();
        loop {
            match link.try_recv() {
                Some(e) if e.run == run => match e.body {
                    EventBody::Probe(ProbeEvent::Finished { report }) => reports.push(report),
                    EventBody::Finished { .. } => break,
                    EventBody::Failed { message } => panic!("the run failed: {message}"),
                    _ => {}
                },
                Some(_) => {}
                None => {
                    assert!(
                        std::time::Instant::now() < deadline,
                        "the run never finished"
                    );
                    std::thread::sleep(std::time::Duration::from_millis(10));
                }
            }
        }
        assert_eq!(reports.len(), 1, "one address published: {reports:?}");
        let r = &reports[0];
        assert_eq!(r.address, std::net::IpAddr::V4(addr));
        assert_eq!(r.verdict, secmx::probe::Verdict::Pass, "{r:?}");
        assert_eq!(r.variants.is_empty(), quick, "variants: {:?}", r.variants);
        assert_eq!(r.cipher_tests.is_empty(), quick);
    }
    assert!(link.send(Command::Shutdown));
}
