//! Same answer everywhere: `secmx check DESIGN --format json` and the window (the real `App` under
//! egui_kittest, driven by the real worker) check the same design against the same real peers — a
//! signed `probe.test` on a private NSD, Postfix relays, an MTA-STS policy host — and must agree on
//! every finding (rule id, subject, severity) and on each relay address's verdict, DANE and MTA-STS
//! result. One relay's TLSA record does not match its certificate: the grid says DANE `fail` and the
//! Findings panel shows PROBE-025. The window's progress queue holds one event only, so the test also
//! proves that no result is lost when the window does not keep up.

use super::dns::nsd::{self, Sign, Zone};
use super::probe::Postfix;
use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
use secmx::ui::live::RunState;
use secmx::ui::{App, AppConfig, Initial, Tab};
use secmx::worker::{self, NetSettings};
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::net::Ipv4Addr;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

const MX_ADDR: Ipv4Addr = Ipv4Addr::new(127, 0, 1, 51);
const SOR_ADDR: Ipv4Addr = Ipv4Addr::new(127, 0, 1, 52);
const STS_ADDR: Ipv4Addr = Ipv4Addr::new(127, 0, 1, 53);

const POLICY: &str = "version: STSv1\nmode: enforce\nmx: mx.probe.test\nmax_age: 604800\n";

/// SHA-256 of the SubjectPublicKeyInfo of the first certificate in a PEM file (TLSA 3 1 1).
fn spki_sha256(pem_file: &Path) -> String {
    let pem = std::fs::read_to_string(pem_file).expect("certificate file");
    let b64: String = pem
        .lines()
        .skip_while(|l| !l.starts_with("-----BEGIN CERTIFICATE"))
        .skip(1)
        .take_while(|l| !l.starts_with("-----END"))
        .collect();
    use base64::Engine;
    let der = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .expect("PEM");
    let (_, c) = x509_parser::parse_x509_certificate(&der).expect("X.509");
    hex::encode(Sha256::digest(c.public_key().raw))
}

/// An HTTPS server on `STS_ADDR` serving the MTA-STS policy for `mta-sts.probe.test`, with a
/// certificate from a CA of its own (whose PEM is returned). Runs on `rt` until the runtime ends.
fn sts_server(rt: &tokio::runtime::Runtime) -> (u16, String) {
    let ca_key = KeyPair::generate().unwrap();
    let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    p.distinguished_name
        .push(rcgen::DnType::CommonName, "SecMX STS Test CA");
    let ca = p.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(p, ca_key);
    let port = super::sts_published::serve(
        rt,
        STS_ADDR,
        &issuer,
        POLICY.as_bytes().to_vec(),
        "text/plain",
    );
    (port, ca.pem())
}

/// (rule, subject, severity) of every finding.
type FindingKey = (String, String, String);

fn cli_findings(v: &serde_json::Value) -> BTreeSet<FindingKey> {
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default().to_string(),
                f["subject"].as_str().unwrap_or_default().to_string(),
                f["severity"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// (host, address, port) → (verdict, DANE, MTA-STS) of every probed address, in the report's words.
type AddressKey = (String, String, u16);
type AddressResult = (String, String, String);

fn cli_addresses(v: &serde_json::Value) -> BTreeSet<(AddressKey, AddressResult)> {
    v["probes"]
        .as_array()
        .expect("probes")
        .iter()
        .map(|p| {
            (
                (
                    p["host"].as_str().unwrap_or_default().to_string(),
                    p["address"].as_str().unwrap_or_default().to_string(),
                    u16::try_from(p["port"].as_u64().unwrap_or_default()).unwrap_or_default(),
                ),
                (
                    p["verdict"].as_str().unwrap_or_default().to_string(),
                    p["dane"].as_str().unwrap_or_default().to_string(),
                    p["mta_sts"].as_str().unwrap_or("n/a").to_string(),
                ),
            )
        })
        .collect()
}

/// The peers of a live check of `probe.test`, kept running while this lives.
pub(crate) struct Fixture {
    pub pf: Postfix,
    pub ns: nsd::Nsd,
    pub rt: tokio::runtime::Runtime,
    pub work: tempfile::TempDir,
    /// The design file naming both relays.
    pub design_file: std::path::PathBuf,
    /// The relays' test CA and the policy host's CA in one PEM file.
    pub ca_file: std::path::PathBuf,
    /// The MTA-STS policy host's port.
    pub sts_port: u16,
}

impl Fixture {
    /// The window's settings for these peers, as a user would save them.
    pub fn settings(&self) -> secmx::ui::settings::UserSettings {
        secmx::ui::settings::UserSettings {
            net: NetSettings {
                resolver: Some(self.ns.addr().to_string()),
                trust_anchor: Some(self.ns.anchor.clone()),
                ca_file: Some(self.ca_file.clone()),
                timeout_secs: 10,
                mta_sts_port: Some(self.sts_port),
                ..NetSettings::default()
            },
            ..Default::default()
        }
    }
}

/// Relays: a BER in MX with a matching TLSA record, covered by an enforce MTA-STS policy; an SOR
/// by SRV whose TLSA record pins a key it does not serve. A signed `probe.test` publishes them.
pub(crate) fn fixture() -> Fixture {
    let (pf, certs, sor_port) =
        super::check_live::mx_and_srv((MX_ADDR, "valid", "may"), (SOR_ADDR, "sor", "encrypt"));
    let mx_spki = spki_sha256(&pf.dir.path().join("valid.crt"));
    let wrong = "00".repeat(32);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let (sts_port, sts_ca) = sts_server(&rt);
    let ns = nsd::start(
        &[Zone::new(
            "probe.test",
            Sign::Yes,
            &format!(
                "@ MX 10 mx\n\
                 mx A {MX_ADDR}\n\
                 _25._tcp.mx TLSA 3 1 1 {mx_spki}\n\
                 _secmx._tcp SRV 10 0 {sor_port} sor\n\
                 sor A {SOR_ADDR}\n\
                 _{sor_port}._tcp.sor TLSA 3 1 1 {wrong}\n\
                 _mta-sts TXT \"v=STSv1; id=20261203\"\n\
                 mta-sts A {STS_ADDR}\n\
                 _smtp._tls TXT \"v=TLSRPTv1; rua=mailto:tlsrpt@probe.test\"\n"
            ),
        )],
        &[],
    );
    let work = tempfile::tempdir().expect("tempdir");
    let ca_file = work.path().join("cas.pem");
    let relay_ca = std::fs::read_to_string(&certs.ca_pem).expect("CA");
    std::fs::write(&ca_file, format!("{relay_ca}{sts_ca}")).expect("write CAs");
    let design_file = work.path().join("probe.secmx.toml");
    std::fs::write(
        &design_file,
        format!(
            "format = 1\n\
             domain = \"probe.test\"\n\
             level = 2\n\
             test_domain = true\n\n\
             [[relay]]\nhost = \"mx.probe.test\"\nrole = \"ber\"\npreference = 10\n\
             tlsa = [\"3 1 1 {mx_spki}\"]\n\n\
             [[relay]]\nhost = \"sor.probe.test\"\nrole = \"sor\"\nport = {sor_port}\npriority = 10\n\
             tlsa = [\"3 1 1 {wrong}\"]\n\n\
             [mta_sts]\nmode = \"enforce\"\nmax_age = 604800\nmx = [\"mx.probe.test\"]\n\n\
             [tls_rpt]\nrua = [\"mailto:tlsrpt@probe.test\"]\n"
        ),
    )
    .expect("write the design");
    Fixture {
        pf,
        ns,
        rt,
        work,
        design_file,
        ca_file,
        sts_port,
    }
}

#[test]
fn the_window_and_the_command_line_give_the_same_answers() {
    let fx = fixture();
    let (pf, ns, rt) = (&fx.pf, &fx.ns, &fx.rt);
    let (design_file, ca_file, sts_port) = (&fx.design_file, &fx.ca_file, fx.sts_port);
    // The command line.
    let out = Command::new(env!("CARGO_BIN_EXE_secmx"))
        .arg("check")
        .arg(design_file)
        .arg("--resolver")
        .arg(ns.addr().to_string())
        .arg("--trust-anchor")
        .arg(&ns.anchor)
        .arg("--ca")
        .arg(ca_file)
        .args(["--timeout", "10", "--mta-sts-port"])
        .arg(sts_port.to_string())
        .args(["--format", "json"])
        .output()
        .expect("run secmx");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {stdout}\nstderr: {}\nmaillog:\n{}",
            String::from_utf8_lossy(&out.stderr),
            pf.maillog()
        )
    });
    let cli = cli_findings(&v);
    let cli_addr = cli_addresses(&v);
    assert_eq!(
        v["mta_sts_policy"]["policy"]["mode"], "enforce",
        "the policy was fetched: {stdout}"
    );

    // The window: the real App, the real worker, settings as a user would save them.
    let config = fx.work.path().join("config");
    std::fs::create_dir_all(&config).expect("config dir");
    std::fs::write(
        secmx::ui::settings::UserSettings::file(&config),
        toml::to_string(&fx.settings()).expect("settings TOML"),
    )
    .expect("write settings");
    // A progress queue of one event: the window falls behind at once; results must still arrive.
    let link = worker::spawn_with_capacity(rt.handle(), Arc::new(|| {}), 1);
    let initial = Initial::File(design_file.clone());
    let _ = rt;
    let mut h = Harness::builder()
        .with_size([1280.0, 800.0])
        .with_max_steps(8)
        .build_eframe(move |cc| {
            App::new(
                &cc.egui_ctx,
                AppConfig {
                    link,
                    dialogs: Box::new(secmx::ui::dialogs::ScriptedDialogs::default()),
                    config_dir: Some(config),
                    initial,
                },
            )
        });
    h.run_steps(2);
    h.state_mut().set_tab(Tab::Probe);
    h.run_steps(2);
    h.key_press(egui::Key::F5);
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        h.step();
        if matches!(h.state().grid().run, RunState::Done(_)) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the window's check never finished; notices: {:?}",
            h.state().notices()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    h.run_steps(3);

    let window: BTreeSet<FindingKey> = h
        .state()
        .findings()
        .iter()
        .map(|f| {
            (
                f.rule.to_string(),
                f.subject.clone(),
                f.severity.as_str().to_string(),
            )
        })
        .collect();
    let only_cli: Vec<_> = cli.difference(&window).collect();
    let only_window: Vec<_> = window.difference(&cli).collect();
    eprintln!(
        "parity: {} findings from the command line, {} in the window ({} only CLI, {} only window); {} addresses",
        cli.len(),
        window.len(),
        only_cli.len(),
        only_window.len(),
        cli_addr.len()
    );
    assert!(
        only_cli.is_empty() && only_window.is_empty(),
        "findings differ:\nonly CLI: {only_cli:#?}\nonly window: {only_window:#?}\nnotices: {:?}",
        h.state().notices()
    );

    let grid = h.state().grid();
    let window_addr: BTreeSet<(AddressKey, AddressResult)> = grid
        .rows
        .iter()
        .map(|r| {
            (
                (
                    r.target.host.clone(),
                    r.target.address.map(|a| a.to_string()).unwrap_or_default(),
                    r.target.port,
                ),
                (
                    r.verdict.word().to_string(),
                    r.words[secmx::ui::live::Column::Dane as usize]
                        .clone()
                        .unwrap_or_default(),
                    r.words[secmx::ui::live::Column::MtaSts as usize]
                        .clone()
                        .unwrap_or_default(),
                ),
            )
        })
        .collect();
    assert_eq!(cli_addr, window_addr, "per-address results differ");
    assert_eq!(cli_addr.len(), 2, "{cli_addr:?}");

    // What the administrator sees: DANE valid for the MX, fail for the SOR, the MX covered by the
    // policy, PROBE-025 in the Findings panel, a verdict word per row.
    let mx = cli_addr
        .iter()
        .find(|(k, _)| k.0 == "mx.probe.test")
        .expect("mx row");
    assert_eq!(
        (mx.1.1.as_str(), mx.1.2.as_str()),
        ("valid", "pass"),
        "{mx:?}"
    );
    let sor = cli_addr
        .iter()
        .find(|(k, _)| k.0 == "sor.probe.test")
        .expect("sor row");
    assert_eq!(sor.1.1, "fail", "{sor:?}");
    assert_eq!(sor.1.0, "fail", "{sor:?}");
    assert!(cli.iter().any(|f| f.0 == "PROBE-025"), "{cli:?}");
    assert!(h.query_by_label_contains("PROBE-025  ").is_some());
    assert!(h.query_all_by_label("valid").count() >= 1);
    assert!(h.query_all_by_label_contains("fail").count() >= 1);
    drop(h);
}

/// The README's probe-grid picture, taken for real (not a test: `tests/shoot-probe-grid.sh` runs
/// it): these peers, the window under Xvfb with F5, a click on the SOR's DANE cell, a screenshot
/// into `target/screenshots/probe-grid.png`.
#[test]
#[ignore = "a picture, not a test: run by tests/shoot-probe-grid.sh"]
fn shoot_probe_grid() {
    let fx = fixture();
    let config = fx.work.path().join("xdg");
    std::fs::create_dir_all(config.join("secmx")).expect("config dir");
    std::fs::write(
        secmx::ui::settings::UserSettings::file(&config.join("secmx")),
        toml::to_string(&fx.settings()).expect("settings TOML"),
    )
    .expect("write settings");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let st = Command::new("bash")
        .arg(root.join("tests/shoot-probe-grid.sh"))
        .env("SECMX_SHOT_DESIGN", &fx.design_file)
        .env("XDG_CONFIG_HOME", &config)
        .env("SECMX_BIN", env!("CARGO_BIN_EXE_secmx"))
        .current_dir(root)
        .status()
        .expect("run the screenshot script");
    assert!(st.success(), "the screenshot script failed");
}

/// Wall time of `secmx check DESIGN` on these peers, for each binary in `SECMX_TIME_BINS`
/// (colon-separated; default: this build), 15 runs each: median and min, full and `--quick`.
/// A measurement, not a test: `cargo test --test integration parity::measure_check -- --ignored
/// --nocapture`.
#[test]
#[ignore = "a measurement, not a test"]
fn measure_check() {
    let fx = fixture();
    let bins = std::env::var("SECMX_TIME_BINS")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_secmx").to_string());
    for bin in bins.split(':') {
        for quick in [false, true] {
            let mut ms: Vec<f64> = (0..15)
                .map(|_| {
                    let t0 = Instant::now();
                    let mut cmd = Command::new(bin);
                    cmd.arg("check")
                        .arg(&fx.design_file)
                        .arg("--resolver")
                        .arg(fx.ns.addr().to_string())
                        .arg("--trust-anchor")
                        .arg(&fx.ns.anchor)
                        .arg("--ca")
                        .arg(&fx.ca_file)
                        .args(["--timeout", "10", "--mta-sts-port"])
                        .arg(fx.sts_port.to_string())
                        .args(["--format", "json"]);
                    if quick {
                        cmd.arg("--quick");
                    }
                    let out = cmd.output().expect("run secmx");
                    assert!(out.status.code().is_some_and(|c| c <= 1), "{out:?}");
                    t0.elapsed().as_secs_f64() * 1e3
                })
                .collect();
            ms.sort_by(f64::total_cmp);
            eprintln!(
                "check {bin}{}: median {:.1} ms, min {:.1} ms (15 runs)",
                if quick { " --quick" } else { "" },
                ms[7],
                ms[0]
            );
        }
    }
}

/// `--timeout` bounds every step: a tarpitting relay that sends one greeting continuation line
/// every second and never finishes its greeting holds `secmx probe --timeout 2` for at most one
/// attempt budget (4 × 2 s) per attempt, plus the pause before the one retry — never minutes —
/// and the report says how long it waited and how to wait like an MTA.
#[test]
fn a_tarpitting_relay_cannot_hold_the_probe_past_its_timeout() {
    use std::io::Write;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for s in listener.incoming() {
            let Ok(mut s) = s else { return };
            std::thread::spawn(move || {
                for _ in 0..600 {
                    if s.write_all(b"220-slow.probe.test please wait\r\n").is_err() {
                        return;
                    }
                    std::thread::sleep(Duration::from_secs(1));
                }
            });
        }
    });
    let t0 = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_secmx"))
        .args(["probe", &format!("127.0.0.1:{port}"), "--timeout", "2"])
        .args(["--no-ptr", "--format", "json"])
        .output()
        .expect("run secmx");
    let took = t0.elapsed();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    eprintln!("tarpit: probe --timeout 2 ended after {took:?}");
    assert!(
        took < Duration::from_secs(25),
        "held for {took:?}: 2 attempts × 8 s + 2 s pause is the bound"
    );
    let p = &v["probes"][0];
    assert_eq!(p["verdict"], "inconclusive", "{p}");
    assert_eq!(p["attempts"], 2, "{p}");
    let error = p["error"].as_str().unwrap_or_default();
    assert!(
        error.contains("no greeting after 2 s") && error.contains("--probe-timeout 300"),
        "says how long it waited and how to wait like an MTA: {error}"
    );
}

/// One silent address does not hold each of its names for a full timeout (issue 13.11): ten relay
/// names on one address that never greets take about one probe's time, and the names after the
/// first say the address did not answer earlier in this run.
#[test]
fn ten_names_on_one_silent_address_cost_one_timeout() {
    use secmx::model::Role;
    use secmx::probe::{CancelHandle, ProbeConfig, ProbeTarget, Timeouts, run_all};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for s in listener.incoming().flatten() {
            held.push(s); // accept, never greet
        }
    });
    let mut cfg = ProbeConfig::new(&[]).expect("config");
    cfg.timeouts = Timeouts::interactive(Some(Duration::from_secs(1)));
    cfg.retries = 0;
    cfg.judge = Some(secmx::rules::probe_judge::judge);
    let targets: Vec<_> = (0..10)
        .map(|i| {
            ProbeTarget::new(
                format!("mx{i}.probe.test"),
                addr.ip(),
                addr.port(),
                Role::Ber,
            )
        })
        .collect();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let (_h, cancel) = CancelHandle::new();
    let t0 = Instant::now();
    let reports = rt.block_on(run_all(
        targets,
        Arc::new(cfg),
        8,
        secmx::probe::runner::discard(),
        cancel,
    ));
    let took = t0.elapsed();
    eprintln!("silent address: 10 names in {took:?}");
    assert_eq!(reports.len(), 10);
    assert!(took < Duration::from_secs(4), "took {took:?}");
    assert!(
        reports
            .iter()
            .all(|r| r.verdict == secmx::probe::Verdict::Inconclusive)
    );
    // The first name listed is the one probed, whatever order the runtime starts tasks in.
    let first = reports[0].error.as_deref().unwrap_or_default();
    assert!(first.contains("no greeting after 1 s"), "{first}");
    for r in &reports[1..] {
        let e = r.error.as_deref().unwrap_or_default();
        assert!(e.contains("did not answer earlier in this run"), "{e}");
    }
}
