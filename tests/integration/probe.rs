//! Live relay probes against real Postfix listeners (a private instance per test, certificates made
//! here with rcgen) and against in-process hostile peers. Postfix missing = the tests FAIL (tests/run.sh
//! installs it); nothing is skipped.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers: a failure is a test failure"
)]

use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
use secmx::model::Role;
use secmx::probe::dane::Tlsa;
use secmx::probe::tls::Pkix;
use secmx::probe::{
    CancelHandle, Connect, InjectionOutcome, ProbeConfig, ProbeEvent, ProbeReport, ProbeTarget,
    StsVerdict, Timeouts, TlsaInput, Verdict, dane::DaneVerdict, probe, run_all,
};
use sha2::{Digest, Sha256};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener as StdListener};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

pub(crate) const HOST: &str = "mx.probe.test";
pub(crate) const LOCALHOST: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

pub(crate) fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

// ---------------------------------------------------------------------------------------------
// Certificates

/// A test CA and leaves for every certificate case, as PEM files in `dir`.
pub struct Certs {
    pub ca_der: rustls::pki_types::CertificateDer<'static>,
    pub ca_pem: PathBuf,
}

pub(crate) fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
}

impl Certs {
    pub fn make(dir: &Path) -> Certs {
        let ca_key = KeyPair::generate().unwrap();
        let mut ca_p = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_p.distinguished_name
            .push(rcgen::DnType::CommonName, "SecMX Test CA");
        let ca = ca_p.self_signed(&ca_key).unwrap();
        let ca_pem = dir.join("ca.pem");
        write(&ca_pem, &ca.pem());
        let issuer = Issuer::new(ca_p, ca_key);
        let leaf = |name: &str, sans: &[&str], expired: bool, self_signed: bool| {
            let key = KeyPair::generate().unwrap();
            let mut p =
                CertificateParams::new(sans.iter().map(|s| s.to_string()).collect::<Vec<_>>())
                    .unwrap();
            p.distinguished_name
                .push(rcgen::DnType::CommonName, sans[0]);
            if expired {
                p.not_before = rcgen::date_time_ymd(2020, 1, 1);
                p.not_after = rcgen::date_time_ymd(2021, 1, 1);
            }
            let pem = if self_signed {
                p.self_signed(&key).unwrap().pem()
            } else {
                // leaf + CA: the chain as sent (DANE-TA needs the anchor in it)
                format!("{}{}", p.signed_by(&key, &issuer).unwrap().pem(), ca.pem())
            };
            write(&dir.join(format!("{name}.crt")), &pem);
            write(&dir.join(format!("{name}.key")), &key.serialize_pem());
        };
        leaf("valid", &[HOST, "127.0.0.1"], false, false);
        leaf("expired", &[HOST], true, false);
        leaf("wrongname", &["other.example.net"], false, false);
        leaf("selfsigned", &[HOST], false, true);
        leaf("sor", &["sor.probe.test"], false, false);
        Certs {
            ca_der: ca.der().clone(),
            ca_pem,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// An IPv6 address of a test's own

/// An IPv6 address of one test's own on `lo` (a ULA /128 in `fd5e:c0::/64`), removed on drop.
///
/// `::1` is no address for a test listener on port 25: another MTA may listen there (Debian's
/// default exim4 does, on 127.0.0.1:25 and [::1]:25), and a probe of `::1` would judge it instead
/// of the test's Postfix. The address holds this process's id and `n`, so tests of one run (pick a
/// distinct `n` per test) and concurrent runs of the suite never share one.
pub struct OwnV6 {
    pub addr: Ipv6Addr,
}

impl OwnV6 {
    pub fn add(n: u16) -> OwnV6 {
        let pid = std::process::id();
        let addr = Ipv6Addr::new(
            0xfd5e,
            0x00c0,
            0,
            0,
            (pid >> 16) as u16,
            (pid & 0xffff) as u16,
            0,
            n,
        );
        let out = Command::new("ip")
            .args([
                "-6",
                "addr",
                "add",
                &format!("{addr}/128"),
                "dev",
                "lo",
                "nodad",
            ])
            .output()
            .expect("`ip` (iproute2) is needed to give a test an IPv6 address of its own");
        let err = String::from_utf8_lossy(&out.stderr);
        // "File exists": left by a run that was killed; it is ours all the same.
        assert!(
            out.status.success() || err.contains("File exists"),
            "ip -6 addr add {addr}/128 dev lo failed (the live tests run as root): {err}"
        );
        OwnV6 { addr }
    }
}

impl Drop for OwnV6 {
    fn drop(&mut self) {
        let _ = Command::new("ip")
            .args([
                "-6",
                "addr",
                "del",
                &format!("{}/128", self.addr),
                "dev",
                "lo",
            ])
            .output();
    }
}

// ---------------------------------------------------------------------------------------------
// A private Postfix instance

/// A listener of the private Postfix instance.
pub struct Listener {
    /// Loopback address to bind (127.0.0.1 unless a test needs port 25 on an address of its own;
    /// for an IPv6 listener an [`OwnV6`] address, never `::1`).
    pub addr: IpAddr,
    pub port: u16,
    /// Extra `-o` settings.
    pub opts: Vec<String>,
}

/// A running private Postfix; stopped (abort + kill of the master by pid) on drop.
pub struct Postfix {
    pub dir: tempfile::TempDir,
    conf: PathBuf,
}

pub fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn postfix_binary() -> &'static str {
    for p in ["/usr/sbin/postfix", "/usr/local/sbin/postfix"] {
        if Path::new(p).exists() {
            return p;
        }
    }
    panic!(
        "postfix is not installed: the relay-probe tests need a real Postfix. Install it with \
         `echo 'postfix postfix/main_mailer_type select No configuration' | debconf-set-selections; \
         apt-get install -y --no-install-recommends postfix` (tests/run.sh does this)"
    );
}

/// `-o` settings giving the listener a certificate case, with Postfix's default protocol and
/// cipher settings. On Debian 12 (Postfix 3.7, OpenSSL 3) those accept anonymous suites when the
/// client offers nothing else (`TLS_DH_anon_WITH_AES_128_CBC_SHA`: PROBE-018 info, Postfix's
/// deliberate opportunistic-TLS default) and TLS 1.0/1.1 (PROBE-017 warning).
pub fn default_tls_opts(dir: &Path, cert: &str, level: &str) -> Vec<String> {
    vec![
        format!("smtpd_tls_security_level={level}"),
        format!(
            "smtpd_tls_cert_file={}",
            dir.join(format!("{cert}.crt")).display()
        ),
        format!(
            "smtpd_tls_key_file={}",
            dir.join(format!("{cert}.key")).display()
        ),
    ]
}

/// A careful admin's settings (TLS 1.2+, no anonymous, NULL, EXPORT, DES, RC4, 3DES, MD5 or
/// static-RSA suites), for a certificate case: what the relay fixtures use unless a test is about
/// weak TLS settings. Later `-o` settings of the same name override these.
pub fn tls_opts(dir: &Path, cert: &str, level: &str) -> Vec<String> {
    let mut v = default_tls_opts(dir, cert, level);
    v.extend(hardened_tls().iter().map(|s| s.to_string()));
    v
}

/// The hardening part of [`tls_opts`].
pub fn hardened_tls() -> [&'static str; 3] {
    [
        "smtpd_tls_protocols=>=TLSv1.2",
        "smtpd_tls_mandatory_protocols=>=TLSv1.2",
        "smtpd_tls_exclude_ciphers=aNULL,eNULL,EXPORT,DES,RC4,3DES,MD5,kRSA",
    ]
}

impl Postfix {
    /// Starts Postfix with the listeners `setup` returns; `setup` gets the instance's directory
    /// (for certificate files, removed with the instance).
    pub fn start(setup: impl FnOnce(&Path) -> Vec<Listener>) -> Postfix {
        let bin = postfix_binary();
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        Command::new("chmod").arg("755").arg(root).status().unwrap();
        let conf = root.join("conf");
        for d in ["conf", "queue", "data"] {
            std::fs::create_dir_all(root.join(d)).unwrap();
        }
        let st = Command::new("chown")
            .args(["postfix"])
            .arg(root.join("data"))
            .status()
            .unwrap();
        assert!(
            st.success(),
            "chown postfix failed: is the postfix user there?"
        );
        let listeners = &setup(root);
        let r = root.display();
        // IPv6 listeners need Postfix's IPv6 support switched on.
        let protocols = if listeners.iter().any(|l| l.addr.is_ipv6()) {
            "all"
        } else {
            "ipv4"
        };
        // The IPv6 listeners' own addresses (never `[::1]`: see [`OwnV6`]).
        let mut interfaces = String::from("127.0.0.1");
        for l in listeners {
            if let IpAddr::V6(a) = l.addr {
                interfaces.push_str(&format!(", [{a}]"));
            }
        }
        write(
            &conf.join("main.cf"),
            &format!(
                "compatibility_level = 3.6\n\
                 queue_directory = {r}/queue\n\
                 data_directory = {r}/data\n\
                 mail_owner = postfix\n\
                 setgid_group = postdrop\n\
                 inet_interfaces = {interfaces}\n\
                 inet_protocols = {protocols}\n\
                 myhostname = {HOST}\n\
                 mydestination =\n\
                 relay_domains = probe.test\n\
                 relay_transport = discard:\n\
                 default_transport = error:no outbound mail from a test relay\n\
                 mynetworks = 127.0.0.0/8\n\
                 alias_maps =\n\
                 alias_database =\n\
                 local_recipient_maps =\n\
                 maillog_file_prefixes = {r}\n\
                 maillog_file = {r}/maillog\n\
                 smtputf8_enable = no\n\
                 biff = no\n\
                 smtpd_tls_loglevel = 1\n"
            ),
        );
        let mut master = String::new();
        for l in listeners {
            let host = match l.addr {
                IpAddr::V6(a) => format!("[{a}]"),
                IpAddr::V4(a) => a.to_string(),
            };
            master.push_str(&format!("{host}:{} inet n - n - - smtpd", l.port));
            for o in &l.opts {
                master.push_str(&format!(" -o {o}"));
            }
            master.push('\n');
        }
        master.push_str(
            "cleanup unix n - n - 0 cleanup\n\
             qmgr unix n - n 300 1 qmgr\n\
             tlsmgr unix - - n 1000? 1 tlsmgr\n\
             rewrite unix - - n - - trivial-rewrite\n\
             bounce unix - - n - 0 bounce\n\
             defer unix - - n - 0 bounce\n\
             trace unix - - n - 0 bounce\n\
             verify unix - - n - 1 verify\n\
             flush unix n - n 1000? 0 flush\n\
             proxymap unix - - n - - proxymap\n\
             anvil unix - - n - 1 anvil\n\
             scache unix - - n - 1 scache\n\
             discard unix - - n - - discard\n\
             error unix - - n - - error\n\
             retry unix - - n - - error\n\
             postlog unix-dgram n - n - 1 postlogd\n",
        );
        write(&conf.join("master.cf"), &master);
        let out = Command::new(bin)
            .arg("-c")
            .arg(&conf)
            .arg("start")
            .output()
            .unwrap();
        let pf = Postfix { dir, conf };
        if !out.status.success() {
            panic!(
                "postfix start failed: {}{}\nmaillog:\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr),
                pf.maillog()
            );
        }
        // Ready when every listener greets.
        let deadline = Instant::now() + Duration::from_secs(20);
        for l in listeners {
            let wrapper = l.opts.iter().any(|o| o == "smtpd_tls_wrappermode=yes");
            loop {
                if let Ok(mut s) = std::net::TcpStream::connect((l.addr, l.port)) {
                    if wrapper {
                        break;
                    }
                    use std::io::Read;
                    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
                    let mut b = [0u8; 3];
                    if s.read_exact(&mut b).is_ok() && &b == b"220" {
                        break;
                    }
                }
                assert!(
                    Instant::now() < deadline,
                    "postfix listener {} never greeted; maillog:\n{}",
                    l.port,
                    pf.maillog()
                );
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        pf
    }

    pub fn maillog(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("maillog")).unwrap_or_default()
    }
}

impl Drop for Postfix {
    fn drop(&mut self) {
        let _ = Command::new("/usr/sbin/postfix")
            .arg("-c")
            .arg(&self.conf)
            .arg("abort")
            .output();
        let pidfile = self.dir.path().join("queue/pid/master.pid");
        if let Ok(pid) = std::fs::read_to_string(pidfile) {
            let pid = pid.trim();
            if !pid.is_empty() {
                let _ = Command::new("kill").args(["-9", pid]).output();
            }
        }
    }
}

pub(crate) fn config(ca: &rustls::pki_types::CertificateDer<'static>) -> ProbeConfig {
    let mut cfg = ProbeConfig::new(std::slice::from_ref(ca)).unwrap();
    cfg.judge = Some(secmx::rules::probe_judge::judge);
    cfg.timeouts = Timeouts {
        connect: Duration::from_secs(2),
        greeting: Duration::from_secs(2),
        reply: Duration::from_secs(2),
        handshake: Duration::from_secs(2),
        injection_wait: Duration::ZERO,
        probe: Duration::from_secs(20),
    };
    cfg.backoff = Duration::from_millis(50);
    cfg.ehlo_name = "probe.secmx.test".into();
    cfg
}

pub(crate) fn target(port: u16, role: Role) -> ProbeTarget {
    ProbeTarget::new(HOST, LOCALHOST, port, role)
}

pub(crate) fn no_forbidden(r: &ProbeReport) {
    for l in &r.transcript {
        let c = l.trim_start_matches("[inj] ");
        assert!(
            !(c.starts_with("C: RCPT") || c.starts_with("C: DATA") || c.starts_with("C: BDAT")),
            "forbidden command sent: {l}"
        );
    }
}

pub(crate) fn has_problem(r: &ProbeReport, rule: &str) -> bool {
    r.problems.iter().any(|p| p.rule == rule)
}

pub(crate) fn dump(r: &ProbeReport) -> String {
    serde_json::to_string_pretty(r).unwrap()
}

/// One Postfix with every certificate/TLS case as its own listener.
struct Relays {
    pf: Postfix,
    certs: Certs,
    valid: u16,
    expired: u16,
    wrongname: u16,
    selfsigned: u16,
    none: u16,
    encrypt: u16,
    oldtls: u16,
    implicit: u16,
}

fn relays() -> Relays {
    let ports: Vec<u16> = (0..8).map(|_| free_port()).collect();
    let mut certs = None;
    let pf = Postfix::start(|cdir| {
        certs = Some(Certs::make(cdir));
        let l = |i: usize, cert: &str, level: &str, extra: &[&str]| {
            let mut opts = tls_opts(cdir, cert, level);
            opts.extend(extra.iter().map(|s| s.to_string()));
            Listener {
                addr: std::net::Ipv4Addr::LOCALHOST.into(),
                port: ports[i],
                opts,
            }
        };
        vec![
            l(0, "valid", "may", &[]),
            l(1, "expired", "may", &[]),
            l(2, "wrongname", "may", &[]),
            l(3, "selfsigned", "may", &[]),
            l(4, "valid", "none", &[]),
            l(5, "valid", "encrypt", &[]),
            l(
                6,
                "valid",
                "may",
                &[
                    "smtpd_tls_protocols=>=TLSv1,<=TLSv1.1",
                    "smtpd_tls_ciphers=low",
                    "tls_low_cipherlist=DEFAULT:@SECLEVEL=0",
                ],
            ),
            l(7, "valid", "encrypt", &["smtpd_tls_wrappermode=yes"]),
        ]
    });
    Relays {
        pf,
        certs: certs.expect("certificates made"),
        valid: ports[0],
        expired: ports[1],
        wrongname: ports[2],
        selfsigned: ports[3],
        none: ports[4],
        encrypt: ports[5],
        oldtls: ports[6],
        implicit: ports[7],
    }
}

pub(crate) fn run_probe(cfg: &ProbeConfig, t: ProbeTarget) -> ProbeReport {
    rt().block_on(async { probe(&t, cfg, &|_| {}).await })
}

#[test]
fn postfix_valid_certificate_ber_passes_with_all_facts() {
    let rl = relays();
    let cfg = config(&rl.certs.ca_der);
    let r = run_probe(&cfg, target(rl.valid, Role::Ber));
    let d = dump(&r);
    assert_eq!(r.verdict, Verdict::Pass, "{d}\n{}", rl.pf.maillog());
    assert_eq!(r.connect, Connect::Ok);
    assert_eq!(r.greeting, Some(220));
    assert_eq!(r.starttls_offered, Some(true));
    assert_eq!(r.plaintext_mail_from, Some(250));
    assert_eq!(r.starttls_reply, Some(220));
    let tls = r.tls.as_ref().unwrap();
    assert_eq!(tls.version.as_deref(), Some("TLSv1.3"), "{d}");
    assert!(tls.cipher.as_deref().unwrap().starts_with("TLS13_"), "{d}");
    let c = r.certificate.as_ref().unwrap();
    assert_eq!(c.pkix, Pkix::Valid, "{d}");
    assert_eq!(c.sans, vec![HOST.to_string(), "127.0.0.1".to_string()]);
    assert_eq!(c.key, "EC P-256");
    assert_eq!(c.chain.len(), 2, "leaf + CA as sent");
    assert_eq!(c.chain[0].signature_algorithm, "ecdsa-with-SHA256");
    assert_eq!(c.chain[0].sha256.len(), 64);
    assert_eq!(r.ehlo_tls, Some(250));
    assert_eq!(r.starttls_after_tls, Some(false));
    assert_eq!(r.tls_mail_from, Some(250));
    assert_eq!(r.injection, Some(InjectionOutcome::Resisted), "{d}");
    assert!(r.timings_ms.tls.is_some() && r.timings_ms.total > 0);
    assert!(r.transcript.iter().any(|l| l == "C: STARTTLS"));
    assert!(r.transcript.iter().any(|l| l == "C: QUIT"));
    no_forbidden(&r);
    // Without the test CA the same relay is untrusted, and nothing else changes.
    let mut plain = ProbeConfig::new(&[]).unwrap();
    plain.judge = Some(secmx::rules::probe_judge::judge);
    plain.timeouts = cfg.timeouts;
    plain.injection_test = false;
    let r = run_probe(&plain, target(rl.valid, Role::Ber));
    let c = r.certificate.as_ref().unwrap();
    assert_eq!(c.pkix, Pkix::Untrusted, "{}", dump(&r));
    assert!(!c.intermediates_missing, "the CA itself was sent");
    assert_eq!(
        r.verdict,
        Verdict::Pass,
        "untrusted is a warning for a plain BER"
    );
    assert!(has_problem(&r, "PROBE-021"));
    // ...but a failure for an SOR role on a secure-only listener with that cert? (role check below)
}

#[test]
fn postfix_certificate_cases_give_distinct_pkix_verdicts() {
    let rl = relays();
    let cfg = config(&rl.certs.ca_der);
    let r = run_probe(&cfg, target(rl.expired, Role::Ber));
    assert_eq!(
        r.certificate.as_ref().unwrap().pkix,
        Pkix::Expired,
        "{}",
        dump(&r)
    );
    assert_eq!(
        r.certificate.as_ref().unwrap().not_after,
        "2021-01-01T00:00:00Z"
    );
    assert_eq!(r.verdict, Verdict::Fail);
    assert!(has_problem(&r, "PROBE-020"));
    assert_eq!(
        r.tls_mail_from,
        Some(250),
        "an expired certificate does not stop the probe"
    );

    let r = run_probe(&cfg, target(rl.wrongname, Role::Ber));
    let c = r.certificate.as_ref().unwrap();
    assert_eq!(c.pkix, Pkix::NameMismatch, "{}", dump(&r));
    assert_eq!(c.sans, vec!["other.example.net".to_string()]);
    assert!(has_problem(&r, "PROBE-019"));
    assert_eq!(
        r.verdict,
        Verdict::Pass,
        "name mismatch is a warning on a plain BER"
    );

    let r = run_probe(&cfg, target(rl.selfsigned, Role::Ber));
    assert_eq!(
        r.certificate.as_ref().unwrap().pkix,
        Pkix::SelfSigned,
        "{}",
        dump(&r)
    );
    assert!(r.certificate.as_ref().unwrap().chain[0].self_issued);
    assert!(has_problem(&r, "PROBE-021"));
}

#[test]
fn postfix_no_starttls_secure_only_and_old_tls() {
    let rl = relays();
    let cfg = config(&rl.certs.ca_der);
    let r = run_probe(&cfg, target(rl.none, Role::Ber));
    assert_eq!(r.starttls_offered, Some(false), "{}", dump(&r));
    assert!(r.tls.is_none());
    assert!(has_problem(&r, "PROBE-005"));
    assert_eq!(r.verdict, Verdict::Fail);
    assert_eq!(r.plaintext_mail_from, Some(250));

    // encrypt = secure only: right for an SOR, wrong for a BER.
    let r = run_probe(&cfg, target(rl.encrypt, Role::Sor));
    assert_eq!(r.plaintext_mail_from, Some(530), "{}", dump(&r));
    assert_eq!(r.tls_mail_from, Some(250));
    assert_eq!(r.verdict, Verdict::Pass, "{}", dump(&r));
    let r = run_probe(&cfg, target(rl.encrypt, Role::Ber));
    assert!(has_problem(&r, "PROBE-010"));
    assert_eq!(r.verdict, Verdict::Fail);
    // an SOR role on a best-effort listener: plaintext MAIL accepted = not secure-only
    let r = run_probe(&cfg, target(rl.valid, Role::Sor));
    assert!(has_problem(&r, "PROBE-013"));
    assert_eq!(r.verdict, Verdict::Fail);

    let r = run_probe(&cfg, target(rl.oldtls, Role::Ber));
    let tls = r.tls.as_ref().unwrap();
    assert!(tls.old_tls_only, "{}", dump(&r));
    assert!(
        tls.handshake_error
            .as_deref()
            .unwrap()
            .starts_with("STARTTLS offered, no TLS 1.2+ handshake")
    );
    assert!(has_problem(&r, "PROBE-017"));
    assert_eq!(r.verdict, Verdict::Fail);
    assert_eq!(r.starttls_offered, Some(true));
}

#[test]
fn postfix_implicit_tls_and_dane() {
    let rl = relays();
    let cfg = config(&rl.certs.ca_der);
    let mut t = target(rl.implicit, Role::Sor);
    t.implicit_tls = true;
    let r = run_probe(&cfg, t);
    assert_eq!(r.greeting, Some(220), "{}", dump(&r));
    assert_eq!(r.tls.as_ref().unwrap().version.as_deref(), Some("TLSv1.3"));
    assert_eq!(r.tls_mail_from, Some(250));
    assert_eq!(r.plaintext_mail_from, None);
    assert_eq!(r.verdict, Verdict::Pass, "{}", dump(&r));

    // DANE: records computed from the served chain.
    let leaf_pem =
        std::fs::read_to_string(rl.certs.ca_pem.with_file_name("selfsigned.crt")).unwrap();
    let leaf_der = pem_der(&leaf_pem);
    let spki_hash = |der: &[u8]| {
        let (_, c) = x509_parser::parse_x509_certificate(der).unwrap();
        Sha256::digest(c.public_key().raw).to_vec()
    };
    let with = |port, recs: Vec<Tlsa>, secure| {
        let mut t = target(port, Role::Ber);
        t.tlsa = Some(TlsaInput {
            records: recs,
            secure,
        });
        run_probe(&cfg, t)
    };
    let ee = Tlsa {
        usage: 3,
        selector: 1,
        matching: 1,
        data: spki_hash(&leaf_der),
    };
    // self-signed relay with a matching DANE-EE record: valid, PKIX problems only informational
    let r = with(rl.selfsigned, vec![ee.clone()], true);
    assert_eq!(r.dane, DaneVerdict::Valid, "{}", dump(&r));
    assert!(
        r.problems
            .iter()
            .all(|p| p.rule != "PROBE-021" || p.severity == secmx::model::Severity::Info)
    );
    assert_eq!(r.verdict, Verdict::Pass);
    // DANE-TA 2 1 1 of the test CA on the valid listener (it sends leaf + CA)
    let ta = Tlsa {
        usage: 2,
        selector: 1,
        matching: 1,
        data: spki_hash(rl.certs.ca_der.as_ref()),
    };
    let r = with(rl.valid, vec![ta], true);
    assert_eq!(r.dane, DaneVerdict::Valid, "{}", dump(&r));
    // a non-matching record fails even though PKIX is fine
    let r = with(rl.valid, vec![ee.clone()], true);
    assert_eq!(r.dane, DaneVerdict::Fail);
    assert_eq!(r.certificate.as_ref().unwrap().pkix, Pkix::Valid);
    assert!(has_problem(&r, "PROBE-025"));
    assert_eq!(r.verdict, Verdict::Fail);
    // TLSA in an unsigned zone: not applicable
    let r = with(rl.valid, vec![ee], false);
    assert_eq!(r.dane, DaneVerdict::NotApplicable);
    assert_eq!(r.verdict, Verdict::Pass);
}

pub(crate) fn pem_der(pem: &str) -> Vec<u8> {
    use rustls::pki_types::pem::PemObject;
    rustls::pki_types::CertificateDer::from_pem_slice(pem.as_bytes())
        .unwrap()
        .to_vec()
}

#[test]
fn runner_probes_concurrently_streams_events_and_cancels() {
    let rl = relays();
    let cfg = Arc::new(config(&rl.certs.ca_der));
    let events: Arc<Mutex<Vec<ProbeEvent>>> = Arc::default();
    let ev = events.clone();
    let sink: secmx::probe::ProbeSink = Arc::new(move |e| ev.lock().unwrap().push(e));
    let ports = [
        rl.valid,
        rl.expired,
        rl.wrongname,
        rl.selfsigned,
        rl.none,
        rl.encrypt,
    ];
    let targets: Vec<_> = ports.iter().map(|p| target(*p, Role::Ber)).collect();
    let (_h, cancel) = CancelHandle::new();
    let reports = rt().block_on(run_all(targets, cfg.clone(), 16, sink, cancel));
    assert_eq!(reports.len(), 6);
    for (r, p) in reports.iter().zip(ports) {
        assert_eq!(r.port, p, "reports keep the order of the targets");
        no_forbidden(r);
    }
    let ev = events.lock().unwrap();
    let finished = ev
        .iter()
        .filter(|e| matches!(e, ProbeEvent::Finished { .. }))
        .count();
    assert_eq!(finished, 6);
    assert!(ev.len() > 6 * 8, "a step event per step: {}", ev.len());

    // Cancel: probes of a silent peer stop within a second.
    let rt = rt();
    rt.block_on(async {
        let (addr, _) = hostile(Hostile::Silent).await;
        let mut slow = (*cfg).clone();
        slow.timeouts.greeting = Duration::from_secs(60);
        let targets: Vec<_> = (0..4)
            .map(|_| ProbeTarget::new("silent.test", addr.ip(), addr.port(), Role::Ber))
            .collect();
        let (h, cancel) = CancelHandle::new();
        let t0 = Instant::now();
        let run = tokio::spawn(run_all(
            targets,
            Arc::new(slow),
            16,
            secmx::probe::runner::discard(),
            cancel,
        ));
        tokio::time::sleep(Duration::from_millis(200)).await;
        h.cancel();
        let reports = run.await.unwrap();
        assert!(
            t0.elapsed() < Duration::from_millis(1500),
            "{:?}",
            t0.elapsed()
        );
        assert!(reports.iter().all(|r| r.connect == Connect::Cancelled));
        assert!(reports.iter().all(|r| r.verdict == Verdict::Inconclusive));
    });
}

// ---------------------------------------------------------------------------------------------
// Hostile peers

#[derive(Clone, Copy, Debug, PartialEq)]
enum Hostile {
    Silent,
    Greet554,
    Greet421,
    HugeLine,
    Endless,
    Pipelined,
    ResetInHandshake,
    Garbage,
    /// Well-behaved until STARTTLS (answers 454); records every command.
    Recorder,
    /// Completes TLS, then executes commands pipelined behind STARTTLS (CVE-2011-0411 style).
    Injectable,
}

/// Starts a hostile peer; returns its address and the command lines it received.
async fn hostile(kind: Hostile) -> (SocketAddr, Arc<Mutex<Vec<String>>>) {
    let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    let log: Arc<Mutex<Vec<String>>> = Arc::default();
    let lg = log.clone();
    tokio::spawn(async move {
        while let Ok((s, _)) = l.accept().await {
            let lg = lg.clone();
            tokio::spawn(async move {
                let _ = serve(kind, s, lg).await;
            });
        }
    });
    (addr, log)
}

async fn serve(
    kind: Hostile,
    s: tokio::net::TcpStream,
    log: Arc<Mutex<Vec<String>>>,
) -> std::io::Result<()> {
    if kind == Hostile::ResetInHandshake {
        s.set_zero_linger()?;
    }
    let (rd, mut wr) = s.into_split();
    let mut rd = BufReader::new(rd);
    match kind {
        Hostile::Silent => {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            return Ok(());
        }
        Hostile::Greet554 => wr.write_all(b"554 5.7.1 No SMTP service here\r\n").await?,
        Hostile::Greet421 => {
            wr.write_all(b"421 4.3.2 Too busy, try later\r\n").await?;
            return Ok(());
        }
        Hostile::HugeLine => {
            let mut line = b"220 ".to_vec();
            line.extend(std::iter::repeat_n(b'x', 1 << 20));
            line.extend(b"\r\n");
            wr.write_all(&line).await?;
            tokio::time::sleep(Duration::from_secs(3600)).await;
            return Ok(());
        }
        Hostile::Endless => loop {
            wr.write_all(b"220-still greeting you, please wait\r\n")
                .await?;
        },
        _ => wr.write_all(b"220 fake.test ESMTP\r\n").await?,
    }
    loop {
        let mut line = String::new();
        if rd.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let cmd = line.trim_end().to_string();
        log.lock().unwrap().push(cmd.clone());
        let verb = cmd
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        match verb.as_str() {
            "EHLO" => {
                wr.write_all(b"250-fake.test\r\n250-PIPELINING\r\n250 STARTTLS\r\n")
                    .await?
            }
            "MAIL" => wr.write_all(b"250 2.1.0 Ok\r\n").await?,
            "RSET" | "NOOP" => wr.write_all(b"250 2.0.0 Ok\r\n").await?,
            "QUIT" => {
                wr.write_all(b"221 2.0.0 Bye\r\n").await?;
                return Ok(());
            }
            "STARTTLS" => match kind {
                Hostile::Pipelined => {
                    wr.write_all(b"220 2.0.0 Ready to start TLS\r\n250 2.0.0 injected\r\n")
                        .await?;
                    tokio::time::sleep(Duration::from_secs(3600)).await;
                }
                Hostile::Injectable => {
                    wr.write_all(b"220 2.0.0 Ready to start TLS\r\n").await?;
                    let pending = String::from_utf8_lossy(rd.buffer()).into_owned();
                    let tcp = rd.into_inner().reunite(wr).unwrap();
                    return serve_tls_injectable(tcp, pending, log).await;
                }
                Hostile::ResetInHandshake | Hostile::Garbage => {
                    wr.write_all(b"220 2.0.0 Ready to start TLS\r\n").await?;
                    let mut hello = [0u8; 64];
                    let _ = rd.read(&mut hello).await?;
                    if kind == Hostile::Garbage {
                        wr.write_all(b"HTTP/1.1 400 Bad Request\r\n\r\n").await?;
                        tokio::time::sleep(Duration::from_secs(3600)).await;
                    }
                    return Ok(()); // zero linger: RST
                }
                _ => wr.write_all(b"454 4.7.0 TLS not available\r\n").await?,
            },
            _ => {
                wr.write_all(b"502 5.5.2 Error: command not recognized\r\n")
                    .await?
            }
        }
    }
}

/// TLS side of the injectable peer: answers the commands that arrived in clear, then a normal
/// post-TLS dialogue.
async fn serve_tls_injectable(
    tcp: tokio::net::TcpStream,
    pending: String,
    log: Arc<Mutex<Vec<String>>>,
) -> std::io::Result<()> {
    let key = KeyPair::generate().unwrap();
    let cert = CertificateParams::new(vec!["hostile.test".to_string()])
        .unwrap()
        .self_signed(&key)
        .unwrap();
    let tls = super::https_peer::acceptor_of(&cert, &key)
        .accept(tcp)
        .await?;
    let (rd, mut wr) = tokio::io::split(tls);
    let mut rd = BufReader::new(rd);
    for cmd in pending.lines().filter(|l| !l.trim().is_empty()) {
        log.lock().unwrap().push(format!("injected: {cmd}"));
        wr.write_all(b"250 2.0.0 Ok\r\n").await?;
    }
    loop {
        let mut line = String::new();
        if rd.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let cmd = line.trim_end().to_string();
        log.lock().unwrap().push(cmd.clone());
        let verb = cmd
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        match verb.as_str() {
            "EHLO" => wr.write_all(b"250-fake.test\r\n250 PIPELINING\r\n").await?,
            "MAIL" => wr.write_all(b"250 2.1.0 Ok\r\n").await?,
            "RSET" => wr.write_all(b"250 2.0.0 Ok\r\n").await?,
            "QUIT" => {
                wr.write_all(b"221 2.0.0 Bye\r\n").await?;
                return Ok(());
            }
            _ => wr.write_all(b"502 5.5.2 Error\r\n").await?,
        }
        wr.flush().await?;
    }
}

pub(crate) fn hostile_config() -> ProbeConfig {
    let mut cfg = ProbeConfig::new(&[]).unwrap();
    cfg.judge = Some(secmx::rules::probe_judge::judge);
    cfg.timeouts = Timeouts::all(Duration::from_millis(500));
    cfg.backoff = Duration::from_millis(50);
    cfg
}

/// Probes a hostile peer; returns the report and how long it took.
fn probe_hostile(kind: Hostile) -> (ProbeReport, Duration, Vec<String>) {
    let rt = rt();
    rt.block_on(async {
        let (addr, log) = hostile(kind).await;
        let cfg = hostile_config();
        let t = ProbeTarget::new("hostile.test", addr.ip(), addr.port(), Role::Ber);
        let t0 = Instant::now();
        let r = probe(&t, &cfg, &|_| {}).await;
        let took = t0.elapsed();
        let log = log.lock().unwrap().clone();
        (r, took, log)
    })
}

#[test]
fn hostile_silent_peer_is_inconclusive_after_one_retry() {
    let (r, took, _) = probe_hostile(Hostile::Silent);
    assert_eq!(r.verdict, Verdict::Inconclusive, "{}", dump(&r));
    assert_eq!(r.attempts, 2);
    assert!(r.error.as_deref().unwrap().contains("timeout"));
    assert!(
        !has_problem(&r, "PROBE-005"),
        "never reported as no STARTTLS"
    );
    assert!(took < Duration::from_secs(3), "{took:?}");
}

#[test]
fn whole_probe_timeout_bounds_a_slow_peer() {
    let rt = rt();
    let (r, took) = rt.block_on(async {
        let (addr, _) = hostile(Hostile::Silent).await;
        let mut cfg = hostile_config();
        cfg.timeouts.greeting = Duration::from_secs(60);
        cfg.timeouts.probe = Duration::from_millis(300);
        cfg.retries = 0;
        let t = ProbeTarget::new("hostile.test", addr.ip(), addr.port(), Role::Ber);
        let t0 = Instant::now();
        let r = probe(&t, &cfg, &|_| {}).await;
        (r, t0.elapsed())
    });
    assert!(took < Duration::from_secs(1), "{took:?}");
    assert_eq!(r.verdict, Verdict::Inconclusive);
    assert!(r.error.as_deref().unwrap().contains("whole probe"));
}

#[test]
fn hostile_554_greeting_fails_421_is_inconclusive() {
    let (r, _, _) = probe_hostile(Hostile::Greet554);
    assert_eq!(r.greeting, Some(554));
    assert!(has_problem(&r, "PROBE-002"));
    assert_eq!(r.verdict, Verdict::Fail);
    assert_eq!(r.attempts, 1);
    let (r, took, _) = probe_hostile(Hostile::Greet421);
    assert_eq!(r.greeting, Some(421), "{}", dump(&r));
    assert_eq!(r.verdict, Verdict::Inconclusive);
    assert_eq!(r.attempts, 2);
    assert!(took < Duration::from_secs(3));
}

#[test]
fn hostile_megabyte_line_and_endless_reply_end_with_a_verdict() {
    let (r, took, _) = probe_hostile(Hostile::HugeLine);
    assert!(
        r.error.as_deref().unwrap().contains("too long"),
        "{}",
        dump(&r)
    );
    assert_eq!(r.verdict, Verdict::Fail);
    assert!(took < Duration::from_secs(2), "{took:?}");
    assert!(r.transcript.iter().all(|l| l.len() < 5000));
    let (r, took, _) = probe_hostile(Hostile::Endless);
    assert!(
        r.error.as_deref().unwrap().contains("too many lines"),
        "{}",
        r.error.as_deref().unwrap()
    );
    assert_eq!(r.verdict, Verdict::Fail);
    assert!(r.transcript.len() <= 520);
    assert!(took < Duration::from_secs(2), "{took:?}");
}

#[test]
fn hostile_bytes_after_starttls_220_are_a_finding() {
    let (r, _, _) = probe_hostile(Hostile::Pipelined);
    let tls = r.tls.as_ref().unwrap();
    assert!(tls.pipelined_after_220 > 0, "{}", dump(&r));
    assert_eq!(r.verdict, Verdict::Fail);
    assert!(
        r.certificate.is_none(),
        "no handshake on top of injected bytes"
    );
}

#[test]
fn hostile_reset_and_garbage_during_handshake_fail_cleanly() {
    let (r, took, _) = probe_hostile(Hostile::ResetInHandshake);
    assert!(
        r.tls.as_ref().unwrap().handshake_error.is_some(),
        "{}",
        dump(&r)
    );
    assert!(has_problem(&r, "PROBE-007"));
    assert_eq!(r.verdict, Verdict::Fail);
    assert!(took < Duration::from_secs(2));
    let (r, took, _) = probe_hostile(Hostile::Garbage);
    let e = r.tls.as_ref().unwrap().handshake_error.clone().unwrap();
    assert!(!r.tls.as_ref().unwrap().old_tls_only, "{e}");
    assert!(has_problem(&r, "PROBE-007"), "{}", dump(&r));
    assert_eq!(r.verdict, Verdict::Fail);
    assert!(took < Duration::from_secs(2));
}

#[test]
fn hostile_starttls_injection_is_detected() {
    let (r, _, log) = probe_hostile(Hostile::Injectable);
    assert_eq!(
        r.tls.as_ref().unwrap().version.as_deref(),
        Some("TLSv1.3"),
        "{}",
        dump(&r)
    );
    assert_eq!(
        r.injection,
        Some(InjectionOutcome::Vulnerable),
        "{}",
        dump(&r)
    );
    assert!(has_problem(&r, "PROBE-009"));
    assert_eq!(r.verdict, Verdict::Fail);
    assert!(log.iter().any(|l| l == "injected: RSET"), "{log:?}");
    // the same with the optional wait for an unsolicited reply
    let rt = rt();
    let r = rt.block_on(async {
        let (addr, _) = hostile(Hostile::Injectable).await;
        let mut cfg = hostile_config();
        cfg.timeouts.injection_wait = Duration::from_millis(300);
        let t = ProbeTarget::new("hostile.test", addr.ip(), addr.port(), Role::Ber);
        probe(&t, &cfg, &|_| {}).await
    });
    assert_eq!(
        r.injection,
        Some(InjectionOutcome::Vulnerable),
        "{}",
        dump(&r)
    );
}

#[test]
fn no_probe_ever_sends_rcpt_or_data() {
    // What the server received, not just what we logged.
    let (r, _, log) = probe_hostile(Hostile::Recorder);
    assert_eq!(r.starttls_reply, Some(454));
    assert!(!log.is_empty());
    for c in &log {
        let u = c.to_ascii_uppercase();
        assert!(
            !u.starts_with("RCPT") && !u.starts_with("DATA"),
            "server got {c}"
        );
    }
    assert_eq!(log.last().map(String::as_str), Some("QUIT"));
    no_forbidden(&r);
    // And the single writer refuses them outright.
    assert!(secmx::probe::smtp::check_command("RCPT TO:<postmaster@probe.test>").is_err());
    assert!(secmx::probe::smtp::check_command("DATA").is_err());
}

pub(crate) fn cli(args: &[&str]) -> (u8, String, String) {
    let mut out = Vec::new();
    let mut err = Vec::new();
    let mut all = vec!["secmx"];
    all.extend_from_slice(args);
    let code = secmx::cli::run(all, &mut out, &mut err);
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

#[test]
fn cli_probe_json_jsonl_text_and_exit_codes() {
    let rl = relays();
    let ca = rl.pf.dir.path().join("ca.pem");
    let ca = ca.to_str().unwrap();
    let valid = format!("127.0.0.1:{}", rl.valid);
    let (code, out, err) = cli(&[
        "probe",
        &valid,
        "--ca",
        ca,
        "--timeout",
        "5",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let p = &v["probes"][0];
    for key in [
        "host",
        "address",
        "port",
        "role",
        "via",
        "connect",
        "greeting",
        "starttls_offered",
        "plaintext_mail_from",
        "tls",
        "certificate",
        "dane",
        "mta_sts",
        "verdict",
        "transcript",
        "timings_ms",
    ] {
        assert!(p.get(key).is_some(), "missing {key}: {p}");
    }
    assert_eq!(p["certificate"]["pkix"], "valid", "{p}");
    assert_eq!(p["verdict"], "pass");
    assert_eq!(p["connect"], "ok");
    assert_eq!(p["tls"]["version"], "TLSv1.3");
    assert_eq!(v["relays"][0]["verdict"], "pass");

    let (code, out, _) = cli(&["probe", &valid, "--ca", ca, "--format", "jsonl"]);
    assert_eq!(code, 0);
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(lines.len() > 8, "{out}");
    assert!(
        lines
            .iter()
            .all(|l| l["run"] == 1 && l["source"] == "probe")
    );
    assert_eq!(lines.last().unwrap()["kind"], "finished");

    let (code, out, _) = cli(&["probe", &valid, "--format", "text"]);
    assert_eq!(code, 0, "untrusted is a warning for a BER: {out}");
    assert!(
        out.contains("PASS") && out.contains("PKIX untrusted"),
        "{out}"
    );

    let none = format!("127.0.0.1:{}", rl.none);
    let (code, out, _) = cli(&["probe", &none]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("PROBE-005"), "{out}");

    let (code, _, err) = cli(&["probe", "mx.example:notaport"]);
    assert_eq!(code, 2);
    assert!(err.contains("bad port"), "{err}");
    let (code, _, err) = cli(&["probe", &valid, "--ca", "/nonexistent/ca.pem"]);
    assert_eq!(code, 2);
    assert!(err.contains("/nonexistent/ca.pem"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// MTA-STS policy fetch against an in-process HTTPS server

#[derive(Clone, Copy, PartialEq, Debug)]
enum Sts {
    Ok,
    Redirect,
    Html,
    Big,
    WrongName,
}

const POLICY: &str = "version: STSv1\nmode: enforce\nmx: mx.probe.test\nmax_age: 604800\n";

struct StsCa {
    issuer: Issuer<'static, KeyPair>,
    der: rustls::pki_types::CertificateDer<'static>,
}

fn sts_ca() -> StsCa {
    let key = KeyPair::generate().unwrap();
    let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let cert = p.self_signed(&key).unwrap();
    StsCa {
        issuer: Issuer::new(p, key),
        der: cert.der().clone(),
    }
}

async fn sts_server(ca: &StsCa, kind: Sts) -> SocketAddr {
    let name = if kind == Sts::WrongName {
        "www.other.test"
    } else {
        "mta-sts.probe.test"
    };
    let acceptor = super::https_peer::acceptor(name, &ca.issuer);
    let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    let (status, ctype, body): (&str, &str, String) = match kind {
        Sts::Ok | Sts::WrongName => ("200 OK", "text/plain; charset=utf-8", POLICY.to_string()),
        Sts::Redirect => ("301 Moved Permanently", "text/plain", String::new()),
        Sts::Html => ("200 OK", "text/html", POLICY.to_string()),
        Sts::Big => (
            "200 OK",
            "text/plain",
            format!("{POLICY}{}", "# padding\n".repeat(10_000)),
        ),
    };
    let resp = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n\
         Location: https://www.probe.test/policy\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes();
    tokio::spawn(super::https_peer::serve(
        l,
        acceptor,
        Arc::new(move || resp.clone()),
    ));
    addr
}

fn sts_fetch(kind: Sts) -> secmx::probe::sts::PolicyFetch {
    use secmx::probe::sts::{StsConfig, fetch_policy};
    let ca = sts_ca();
    rt().block_on(async {
        let addr = sts_server(&ca, kind).await;
        let roots = secmx::probe::tls::root_store(std::slice::from_ref(&ca.der)).unwrap();
        let mut cfg = StsConfig::new(
            Arc::new(roots),
            Arc::new(rustls::crypto::ring::default_provider()),
        );
        cfg.address = Some(addr);
        cfg.port = Some(addr.port());
        cfg.timeout = Duration::from_secs(5);
        let mut f = fetch_policy("probe.test", &cfg).await;
        secmx::rules::sts_fetch::judge(&mut f);
        f
    })
}

fn sts_rules(f: &secmx::probe::sts::PolicyFetch) -> Vec<&'static str> {
    f.problems.iter().map(|p| p.rule).collect()
}

#[test]
fn mta_sts_fetch_rules_007_to_010() {
    let f = sts_fetch(Sts::Ok);
    assert!(f.problems.is_empty(), "{f:?}");
    assert!(f.usable());
    assert_eq!(f.status, Some(200));
    assert_eq!(f.pkix, Some(Pkix::Valid));
    let p = f.policy.as_ref().unwrap();
    assert_eq!(p.mode.as_deref(), Some("enforce"));
    assert_eq!(p.mx, vec!["mx.probe.test".to_string()]);

    let f = sts_fetch(Sts::Redirect);
    assert_eq!(sts_rules(&f), vec!["STS-008"], "{f:?}");
    assert_eq!(f.location.as_deref(), Some("https://www.probe.test/policy"));
    assert!(!f.usable());

    let f = sts_fetch(Sts::Html);
    assert_eq!(sts_rules(&f), vec!["STS-009"], "{f:?}");
    assert!(
        !f.usable(),
        "senders reject a policy not served as text/plain"
    );

    let f = sts_fetch(Sts::Big);
    assert_eq!(sts_rules(&f), vec!["STS-010"], "{f:?}");
    assert_eq!(f.bytes, POLICY.len() + 100_000, "announced size recorded");
    assert!(f.policy.is_none(), "an oversized policy is not read");

    let f = sts_fetch(Sts::WrongName);
    assert_eq!(f.pkix, Some(Pkix::NameMismatch), "{f:?}");
    assert_eq!(sts_rules(&f), vec!["STS-007"]);
    assert!(!f.usable());
}

#[test]
fn mta_sts_enforce_judges_each_mx_probe_027() {
    let rl = relays();
    let cfg = config(&rl.certs.ca_der);
    let good = sts_fetch(Sts::Ok);
    let mut r = run_probe(&cfg, target(rl.valid, Role::Ber));
    secmx::rules::sts_fetch::probe_027(&good, &mut r);
    assert_eq!(r.mta_sts, Some(StsVerdict::Pass));
    assert_eq!(r.verdict, Verdict::Pass);

    let mut r = run_probe(&cfg, target(rl.selfsigned, Role::Ber));
    secmx::rules::sts_fetch::probe_027(&good, &mut r);
    assert_eq!(r.mta_sts, Some(StsVerdict::Fail));
    assert!(has_problem(&r, "PROBE-027"));
    assert_eq!(r.verdict, Verdict::Fail, "enforce + self-signed MX");

    let mut t = target(rl.valid, Role::Ber);
    t.host = "mx9.probe.test".into();
    let mut r = run_probe(&cfg, t);
    secmx::rules::sts_fetch::probe_027(&good, &mut r);
    assert_eq!(r.mta_sts, Some(StsVerdict::NotCovered));

    let bad = sts_fetch(Sts::Redirect);
    let mut r = run_probe(&cfg, target(rl.valid, Role::Ber));
    secmx::rules::sts_fetch::probe_027(&bad, &mut r);
    assert_eq!(r.mta_sts, Some(StsVerdict::NoPolicy));
}

#[test]
fn cleartext_greeting_on_an_implicit_tls_port_is_probe_016() {
    // A relay published on 465 (implicit TLS) that greets in clear, like a plain SMTP listener.
    let rt = rt();
    let r = rt.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            use tokio::io::{AsyncReadExt, AsyncWriteExt};
            if let Ok((mut s, _)) = listener.accept().await {
                let _ = s.write_all(b"220 plain.test ESMTP\r\n").await;
                let mut buf = [0u8; 512];
                let _ = s.read(&mut buf).await;
            }
        });
        let cfg = hostile_config();
        let mut t = ProbeTarget::new("plain.test", addr.ip(), addr.port(), Role::Sor);
        t.implicit_tls = true;
        probe(&t, &cfg, &|_| {}).await
    });
    assert!(has_problem(&r, "PROBE-016"), "{}", dump(&r));
    assert!(
        !has_problem(&r, "PROBE-007"),
        "one finding, not two: {}",
        dump(&r)
    );
    assert_eq!(r.verdict, secmx::probe::Verdict::Fail);
    assert!(
        r.tls
            .as_ref()
            .and_then(|t| t.handshake_error.as_deref())
            .is_some_and(|e| e.contains("cleartext")),
        "{}",
        dump(&r)
    );
}
