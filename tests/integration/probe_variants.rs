//! The extra handshakes after the main probe: PROBE-024 (no SNI, an unknown SNI name) and TLSA-015
//! (RSA-only and ECDSA-only offers), against real Postfix (one key, and an RSA + ECDSA pair) and
//! in-process tokio-rustls peers that abort on a missing or unknown SNI name.

use crate::probe::{
    HOST, Listener, Postfix, cli, config, dump, free_port, hardened_tls, has_problem, no_forbidden,
    pem_der, rt, run_probe, target, tls_opts, write,
};
use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
use secmx::model::Role;
use secmx::probe::dane::{DaneVerdict, Tlsa};
use secmx::probe::variants::{UNKNOWN_SNI, VariantFacts, VariantKind, VariantOutcome};
use secmx::probe::{ProbeConfig, ProbeEvent, ProbeReport, Step, TlsaInput, Verdict, probe};
use sha2::{Digest, Sha256};
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

fn variant(r: &ProbeReport, kind: VariantKind) -> &VariantFacts {
    r.variants
        .iter()
        .find(|v| v.variant == kind)
        .unwrap_or_else(|| panic!("no {kind:?} variant: {}", dump(r)))
}

fn spki_sha256(der: &[u8]) -> Vec<u8> {
    let (_, c) = x509_parser::parse_x509_certificate(der).unwrap();
    Sha256::digest(c.public_key().raw).to_vec()
}

fn ee(spki: Vec<u8>) -> Tlsa {
    Tlsa {
        usage: 3,
        selector: 1,
        matching: 1,
        data: spki,
    }
}

fn with_tlsa(port: u16, records: Vec<Tlsa>) -> secmx::probe::ProbeTarget {
    let mut t = target(port, Role::Ber);
    t.tlsa = Some(TlsaInput {
        records,
        secure: true,
    });
    t
}

// ---------------------------------------------------------------------------------------------
// Certificates: a CA, an ECDSA P-256 leaf and an RSA 2048 leaf for HOST

struct Keys {
    ca: rustls::pki_types::CertificateDer<'static>,
    ec_leaf: Vec<u8>,
    rsa_leaf: Vec<u8>,
}

/// An RSA key from the openssl command line (rcgen with ring cannot generate RSA keys), as rcgen
/// key pair.
fn rsa_key() -> KeyPair {
    let out = Command::new("openssl")
        .args([
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            "rsa_keygen_bits:2048",
        ])
        .output()
        .expect("the openssl command line is needed for an RSA test key");
    assert!(
        out.status.success(),
        "openssl genpkey: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    KeyPair::from_pem(&String::from_utf8(out.stdout).unwrap()).unwrap()
}

/// Writes `ca.pem`, `ec.crt`/`ec.key` and `rsa.crt`/`rsa.key` (chains: leaf + CA) into `dir`.
fn make_keys(dir: &Path) -> Keys {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_p = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_p.distinguished_name
        .push(rcgen::DnType::CommonName, "SecMX Variants CA");
    let ca = ca_p.self_signed(&ca_key).unwrap();
    write(&dir.join("ca.pem"), &ca.pem());
    let issuer = Issuer::new(ca_p, ca_key);
    let leaf = |name: &str, key: KeyPair| {
        let mut p = CertificateParams::new(vec![HOST.to_string()]).unwrap();
        p.distinguished_name.push(rcgen::DnType::CommonName, HOST);
        let cert = p.signed_by(&key, &issuer).unwrap();
        write(
            &dir.join(format!("{name}.crt")),
            &format!("{}{}", cert.pem(), ca.pem()),
        );
        write(&dir.join(format!("{name}.key")), &key.serialize_pem());
        cert.der().to_vec()
    };
    let ec_leaf = leaf("ec", KeyPair::generate().unwrap());
    let rsa_leaf = leaf("rsa", rsa_key());
    Keys {
        ca: ca.der().clone(),
        ec_leaf,
        rsa_leaf,
    }
}

/// Postfix with listeners: ECDSA only (STARTTLS), RSA + ECDSA (STARTTLS), ECDSA only (implicit
/// TLS), RSA + ECDSA with TLS 1.2 only (the key follows the cipher suite).
struct Relays {
    pf: Postfix,
    keys: Keys,
    ec_only: u16,
    dual: u16,
    implicit: u16,
    dual_tls12: u16,
}

fn relays() -> Relays {
    let ports = [free_port(), free_port(), free_port(), free_port()];
    let mut keys = None;
    let pf = Postfix::start(|dir| {
        keys = Some(make_keys(dir));
        let f = |n: &str| dir.join(n).display().to_string();
        let l = |port, opts| Listener {
            addr: std::net::Ipv4Addr::LOCALHOST.into(),
            port,
            opts,
        };
        let mut implicit = tls_opts(dir, "ec", "encrypt");
        implicit.push("smtpd_tls_wrappermode=yes".into());
        let mut dual = vec![
            "smtpd_tls_security_level=may".to_string(),
            format!(
                "smtpd_tls_chain_files={},{},{},{}",
                f("rsa.key"),
                f("rsa.crt"),
                f("ec.key"),
                f("ec.crt")
            ),
        ];
        // A careful admin's cipher settings, so that only the key types are under test here.
        dual.extend(hardened_tls().iter().map(|s| s.to_string()));
        let mut dual12 = dual.clone();
        dual12.push("smtpd_tls_protocols=>=TLSv1.2,<=TLSv1.2".into());
        vec![
            l(ports[0], tls_opts(dir, "ec", "may")),
            l(ports[1], dual),
            l(ports[2], implicit),
            l(ports[3], dual12),
        ]
    });
    Relays {
        pf,
        keys: keys.expect("keys made"),
        ec_only: ports[0],
        dual: ports[1],
        implicit: ports[2],
        dual_tls12: ports[3],
    }
}

// ---------------------------------------------------------------------------------------------
// PROBE-024 against Postfix

#[test]
fn postfix_falls_back_to_its_default_certificate_probe_024_passes() {
    let rl = relays();
    let cfg = config(&rl.keys.ca);
    let events: Arc<Mutex<Vec<ProbeEvent>>> = Arc::default();
    let ev = events.clone();
    let t = with_tlsa(rl.ec_only, vec![ee(spki_sha256(&rl.keys.ec_leaf))]);
    let r = rt().block_on(async { probe(&t, &cfg, &move |e| ev.lock().unwrap().push(e)).await });
    let d = dump(&r);
    assert_eq!(r.verdict, Verdict::Pass, "{d}");
    assert_eq!(r.dane, DaneVerdict::Valid, "{d}");
    assert!(!has_problem(&r, "PROBE-024"), "{d}");
    assert!(!has_problem(&r, "TLSA-015"), "a single key: {d}");
    assert_eq!(
        r.variants.iter().map(|v| v.variant).collect::<Vec<_>>(),
        VariantKind::ALL.to_vec()
    );
    let main_spki = r.certificate.as_ref().unwrap().chain[0].spki_sha256.clone();
    for kind in [VariantKind::SniNone, VariantKind::SniUnknown] {
        let v = variant(&r, kind);
        assert_eq!(v.outcome, VariantOutcome::Completed, "{d}");
        assert_eq!(
            v.leaf_spki_sha256.as_deref(),
            Some(main_spki.as_str()),
            "the default certificate: {d}"
        );
        assert_eq!(v.version.as_deref(), Some("TLSv1.3"));
    }
    assert_eq!(variant(&r, VariantKind::SniNone).sni, None);
    assert_eq!(
        variant(&r, VariantKind::SniUnknown).sni.as_deref(),
        Some(UNKNOWN_SNI)
    );
    // The key-type variants: the single ECDSA key, and the fact that there is no RSA one.
    let rsa = variant(&r, VariantKind::RsaOnly);
    assert_ne!(rsa.outcome, VariantOutcome::Inconclusive, "{d}");
    assert!(
        rsa.note
            .as_deref()
            .is_some_and(|n| n.starts_with("no RSA certificate")),
        "{d}"
    );
    let ec = variant(&r, VariantKind::EcdsaOnly);
    assert_eq!(ec.outcome, VariantOutcome::Completed, "{d}");
    assert_eq!(ec.leaf_key.as_deref(), Some("EC P-256"));
    assert_eq!(ec.dane, Some(DaneVerdict::Valid));
    // Transcript: each variant in its own connection, ending with QUIT; never RCPT or DATA.
    for p in ["[sni-none] ", "[sni-unknown] ", "[ecdsa-only] "] {
        for line in ["C: STARTTLS", "C: QUIT"] {
            assert!(
                r.transcript.iter().any(|l| *l == format!("{p}{line}")),
                "{p}{line}: {d}"
            );
        }
    }
    no_forbidden(&r);
    assert!(r.timings_ms.variants.is_some());
    let steps = events
        .lock()
        .unwrap()
        .iter()
        .filter(|e| {
            matches!(
                e,
                ProbeEvent::Step {
                    step: Step::TlsVariant,
                    ..
                }
            )
        })
        .count();
    assert_eq!(steps, 4, "a step event per variant");

    // Implicit TLS: handshake right after connect, then the greeting and QUIT.
    let mut t = target(rl.implicit, Role::Sor);
    t.implicit_tls = true;
    let r = run_probe(&cfg, t);
    let d = dump(&r);
    assert_eq!(r.verdict, Verdict::Pass, "{d}");
    for kind in [VariantKind::SniNone, VariantKind::SniUnknown] {
        assert_eq!(variant(&r, kind).outcome, VariantOutcome::Completed, "{d}");
    }
    assert!(
        r.transcript
            .iter()
            .any(|l| l.starts_with("[sni-none] S: 220")),
        "greeting read inside TLS: {d}"
    );
    assert!(!r.transcript.iter().any(|l| l == "[sni-none] C: STARTTLS"));

    // --quick (extra_handshakes = false): no variants at all.
    let mut quick = cfg.clone();
    quick.extra_handshakes = false;
    let r = run_probe(&quick, target(rl.ec_only, Role::Ber));
    assert!(r.variants.is_empty(), "{}", dump(&r));
    assert_eq!(r.timings_ms.variants, None);
    assert!(!r.transcript.iter().any(|l| l.starts_with("[sni-")));
}

// ---------------------------------------------------------------------------------------------
// TLSA-015 against Postfix with an RSA and an ECDSA certificate

#[test]
fn postfix_with_rsa_and_ecdsa_keys_needs_tlsa_for_both_tlsa_015() {
    let rl = relays();
    let cfg = config(&rl.keys.ca);
    let rsa = spki_sha256(&rl.keys.rsa_leaf);
    let ec = spki_sha256(&rl.keys.ec_leaf);

    // Fail: one 3 1 1 for the RSA key while the server also offers ECDSA.
    let r = run_probe(&cfg, with_tlsa(rl.dual, vec![ee(rsa.clone())]));
    let d = dump(&r);
    let rv = variant(&r, VariantKind::RsaOnly);
    assert_eq!(rv.outcome, VariantOutcome::Completed, "{d}");
    assert!(
        rv.leaf_key.as_deref().unwrap().starts_with("RSA 2048"),
        "{d}"
    );
    assert_eq!(rv.leaf_spki_sha256, Some(hex::encode(&rsa)));
    assert_eq!(rv.dane, Some(DaneVerdict::Valid), "{d}");
    let ev = variant(&r, VariantKind::EcdsaOnly);
    assert_eq!(ev.leaf_key.as_deref(), Some("EC P-256"), "{d}");
    assert_eq!(ev.dane, Some(DaneVerdict::Fail), "{d}");
    let warn: Vec<_> = r.problems.iter().filter(|p| p.rule == "TLSA-015").collect();
    assert_eq!(warn.len(), 1, "{d}");
    assert_eq!(warn[0].severity, secmx::model::Severity::Warning);
    assert!(
        warn[0]
            .message
            .contains("the ECDSA P-256 key is not covered by any TLSA record"),
        "{}",
        warn[0].message
    );
    assert!(!has_problem(&r, "PROBE-024"), "{d}");

    // Pass: a 3 1 1 for each key.
    let r = run_probe(
        &cfg,
        with_tlsa(rl.dual, vec![ee(rsa.clone()), ee(ec.clone())]),
    );
    let d = dump(&r);
    assert!(!has_problem(&r, "TLSA-015"), "{d}");
    assert_eq!(r.dane, DaneVerdict::Valid);
    assert_eq!(r.verdict, Verdict::Pass, "{d}");
    assert_eq!(
        variant(&r, VariantKind::RsaOnly).dane,
        Some(DaneVerdict::Valid)
    );
    assert_eq!(
        variant(&r, VariantKind::EcdsaOnly).dane,
        Some(DaneVerdict::Valid)
    );

    // TLS 1.2 only: the key type follows the ECDHE_RSA / ECDHE_ECDSA suites offered.
    let r = run_probe(&cfg, with_tlsa(rl.dual_tls12, vec![ee(rsa.clone())]));
    let d = dump(&r);
    for (kind, key, suite) in [
        (VariantKind::RsaOnly, "RSA 2048", "_RSA_"),
        (VariantKind::EcdsaOnly, "EC P-256", "_ECDSA_"),
    ] {
        let v = variant(&r, kind);
        assert_eq!(v.version.as_deref(), Some("TLSv1.2"), "{d}");
        assert_eq!(v.leaf_key.as_deref(), Some(key), "{d}");
        assert!(v.cipher.as_deref().unwrap().contains(suite), "{d}");
    }
    assert!(has_problem(&r, "TLSA-015"), "{d}");

    // Single key server, records for it: no TLSA-015, and the facts say there is no RSA key.
    let r = run_probe(&cfg, with_tlsa(rl.ec_only, vec![ee(ec.clone())]));
    let d = dump(&r);
    assert!(!has_problem(&r, "TLSA-015"), "{d}");
    assert!(
        variant(&r, VariantKind::RsaOnly)
            .note
            .as_deref()
            .is_some_and(|n| n.starts_with("no RSA certificate")),
        "{d}"
    );

    // Not DNSSEC-secure: TLSA does not apply, two keys are no problem.
    let mut t = with_tlsa(rl.dual, vec![ee(rsa)]);
    t.tlsa.as_mut().unwrap().secure = false;
    let r = run_probe(&cfg, t);
    assert!(!has_problem(&r, "TLSA-015"), "{}", dump(&r));
}

// ---------------------------------------------------------------------------------------------
// PROBE-024 against in-process peers that abort on a missing or unknown SNI name

#[derive(Debug, Clone, Copy, PartialEq)]
enum SniPolicy {
    /// No certificate when the client sends no SNI.
    RequireSni,
    /// No certificate for any name but HOST (no SNI is fine).
    OnlyHost,
}

#[derive(Debug)]
struct Pick {
    key: Arc<rustls::sign::CertifiedKey>,
    policy: SniPolicy,
}

impl rustls::server::ResolvesServerCert for Pick {
    fn resolve(
        &self,
        hello: rustls::server::ClientHello<'_>,
    ) -> Option<Arc<rustls::sign::CertifiedKey>> {
        match (self.policy, hello.server_name()) {
            (SniPolicy::RequireSni, None) => None,
            (SniPolicy::OnlyHost, Some(n)) if n != HOST => None,
            _ => Some(self.key.clone()),
        }
    }
}

fn sni_server_config(policy: SniPolicy) -> Arc<rustls::ServerConfig> {
    let key = KeyPair::generate().unwrap();
    let cert = CertificateParams::new(vec![HOST.to_string()])
        .unwrap()
        .self_signed(&key)
        .unwrap();
    let der = rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into());
    let signer = rustls::crypto::ring::sign::any_supported_type(&der).unwrap();
    let certified = rustls::sign::CertifiedKey::new(vec![cert.der().clone()], signer);
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_cert_resolver(Arc::new(Pick {
        key: Arc::new(certified),
        policy,
    }));
    Arc::new(config)
}

/// A STARTTLS peer: a plain SMTP dialogue, then tokio-rustls with the SNI policy, then EHLO, MAIL,
/// RSET, QUIT inside TLS. Returns its address.
async fn sni_peer(policy: SniPolicy) -> std::net::SocketAddr {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(sni_server_config(policy));
    tokio::spawn(async move {
        while let Ok((s, _)) = l.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let _ = serve_sni(s, acceptor).await;
            });
        }
    });
    addr
}

async fn dialogue<S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin>(
    s: S,
    tls: bool,
) -> std::io::Result<Option<()>> {
    let (rd, mut wr) = tokio::io::split(s);
    let mut rd = BufReader::new(rd);
    loop {
        let mut line = String::new();
        if rd.read_line(&mut line).await? == 0 {
            return Ok(None);
        }
        let verb = line
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        match verb.as_str() {
            "EHLO" if tls => wr.write_all(b"250-sni.test\r\n250 PIPELINING\r\n").await?,
            "EHLO" => {
                wr.write_all(b"250-sni.test\r\n250-PIPELINING\r\n250 STARTTLS\r\n")
                    .await?
            }
            "MAIL" => wr.write_all(b"250 2.1.0 Ok\r\n").await?,
            "RSET" => wr.write_all(b"250 2.0.0 Ok\r\n").await?,
            "STARTTLS" if !tls => {
                wr.write_all(b"220 2.0.0 Ready to start TLS\r\n").await?;
                wr.flush().await?;
                return Ok(Some(()));
            }
            "QUIT" => {
                wr.write_all(b"221 2.0.0 Bye\r\n").await?;
                wr.flush().await?;
                return Ok(None);
            }
            _ => wr.write_all(b"502 5.5.2 Error\r\n").await?,
        }
        wr.flush().await?;
    }
}

async fn serve_sni(
    mut s: tokio::net::TcpStream,
    acceptor: tokio_rustls::TlsAcceptor,
) -> std::io::Result<()> {
    s.write_all(b"220 sni.test ESMTP\r\n").await?;
    // The client sends its ClientHello only after our 220 to STARTTLS, so the line reader of the
    // plain part has nothing of it buffered when it is dropped.
    if dialogue(&mut s, false).await?.is_none() {
        return Ok(());
    }
    let tls = acceptor.accept(s).await?;
    dialogue(tls, true).await?;
    Ok(())
}

fn probe_sni_peer(policy: SniPolicy) -> ProbeReport {
    rt().block_on(async {
        let addr = sni_peer(policy).await;
        let mut cfg = crate::probe::hostile_config();
        cfg.injection_test = false;
        let t = secmx::probe::ProbeTarget::new(HOST, addr.ip(), addr.port(), Role::Ber);
        probe(&t, &cfg, &|_| {}).await
    })
}

#[test]
fn peer_that_aborts_without_sni_is_probe_024() {
    let r = probe_sni_peer(SniPolicy::RequireSni);
    let d = dump(&r);
    assert_eq!(
        r.tls.as_ref().and_then(|t| t.version.as_deref()),
        Some("TLSv1.3"),
        "the normal probe (with SNI) completes: {d}"
    );
    assert_eq!(r.tls_mail_from, Some(250), "{d}");
    let none = variant(&r, VariantKind::SniNone);
    assert_eq!(none.outcome, VariantOutcome::Failed, "{d}");
    let alert = none.error.clone().unwrap();
    assert!(alert.contains("alert"), "{alert}");
    assert_eq!(
        variant(&r, VariantKind::SniUnknown).outcome,
        VariantOutcome::Completed,
        "{d}"
    );
    let p: Vec<_> = r
        .problems
        .iter()
        .filter(|p| p.rule == "PROBE-024")
        .collect();
    assert_eq!(p.len(), 1, "{d}");
    assert_eq!(p[0].severity, secmx::model::Severity::Error);
    assert!(p[0].message.contains("without SNI"), "{}", p[0].message);
    assert!(p[0].message.contains(&alert), "{}", p[0].message);
    assert_eq!(r.verdict, Verdict::Fail);
}

#[test]
fn peer_that_aborts_on_an_unknown_sni_name_is_probe_024() {
    let r = probe_sni_peer(SniPolicy::OnlyHost);
    let d = dump(&r);
    assert_eq!(
        r.tls.as_ref().and_then(|t| t.version.as_deref()),
        Some("TLSv1.3"),
        "{d}"
    );
    assert_eq!(
        variant(&r, VariantKind::SniNone).outcome,
        VariantOutcome::Completed,
        "{d}"
    );
    let unknown = variant(&r, VariantKind::SniUnknown);
    assert_eq!(unknown.outcome, VariantOutcome::Failed, "{d}");
    let p: Vec<_> = r
        .problems
        .iter()
        .filter(|p| p.rule == "PROBE-024")
        .collect();
    assert_eq!(p.len(), 1, "{d}");
    assert!(p[0].message.contains(UNKNOWN_SNI), "{}", p[0].message);
    assert!(
        p[0].message.contains(unknown.error.as_deref().unwrap()),
        "{}",
        p[0].message
    );
    // The key-type variants completed with the one ECDSA key (the peer has no RSA key).
    assert!(
        variant(&r, VariantKind::RsaOnly)
            .note
            .as_deref()
            .is_some_and(|n| n.starts_with("no RSA certificate")),
        "{d}"
    );
    no_forbidden(&r);
}

#[test]
fn variants_stalled_by_the_server_do_not_cost_the_main_report() {
    // The first connection is served; every later one is accepted and left silent (a server that
    // tarpits new connections). The variants must give up within the probe's budget, leaving the
    // main dialogue's report intact.
    let r = rt().block_on(async {
        let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = l.local_addr().unwrap();
        let acceptor = tokio_rustls::TlsAcceptor::from(sni_server_config(SniPolicy::OnlyHost));
        tokio::spawn(async move {
            let mut first = true;
            let mut parked = Vec::new();
            while let Ok((s, _)) = l.accept().await {
                if first {
                    first = false;
                    let acceptor = acceptor.clone();
                    tokio::spawn(async move {
                        let _ = serve_sni(s, acceptor).await;
                    });
                } else {
                    parked.push(s);
                }
            }
        });
        let mut cfg = crate::probe::hostile_config();
        cfg.injection_test = false;
        cfg.retries = 0;
        cfg.timeouts.greeting = std::time::Duration::from_secs(3600);
        cfg.timeouts.probe = std::time::Duration::from_millis(1500);
        let t = secmx::probe::ProbeTarget::new(HOST, addr.ip(), addr.port(), Role::Ber);
        probe(&t, &cfg, &|_| {}).await
    });
    let d = dump(&r);
    assert!(r.error.is_none(), "{d}");
    assert_eq!(r.tls_mail_from, Some(250), "{d}");
    assert_eq!(r.verdict, Verdict::Pass, "{d}");
    assert_eq!(r.variants.len(), 4, "{d}");
    assert!(
        r.variants
            .iter()
            .all(|v| v.outcome == VariantOutcome::Inconclusive),
        "{d}"
    );
    assert!(
        r.variants[0]
            .error
            .as_deref()
            .is_some_and(|e| e.contains("time budget")),
        "{d}"
    );
    assert!(!has_problem(&r, "PROBE-024"), "{d}");
}

// ---------------------------------------------------------------------------------------------
// CLI

#[test]
fn cli_quick_skips_the_extra_handshakes() {
    let rl = relays();
    let ca = rl.pf.dir.path().join("ca.pem");
    assert_eq!(
        pem_der(&std::fs::read_to_string(&ca).unwrap()),
        rl.keys.ca.to_vec()
    );
    let ca = ca.to_str().unwrap();
    let addr = format!("127.0.0.1:{}", rl.ec_only);
    let args = [
        "probe",
        &addr,
        "--ca",
        ca,
        "--timeout",
        "5",
        "--format",
        "json",
    ];
    let (code, out, err) = cli(&args);
    assert_eq!(code, 0, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let variants = v["probes"][0]["variants"].as_array().unwrap();
    assert_eq!(variants.len(), 4, "{out}");
    assert_eq!(variants[0]["variant"], "sni-none");
    assert_eq!(variants[0]["outcome"], "completed");
    assert_eq!(variants[3]["variant"], "ecdsa-only");
    assert_eq!(variants[3]["leaf_key"], "EC P-256");
    let mut quick = args.to_vec();
    quick.push("--quick");
    let (code, out, err) = cli(&quick);
    assert_eq!(code, 0, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["probes"][0]["variants"], serde_json::json!([]), "{out}");
    // `check` takes --quick too.
    let (code, _, err) = cli(&[
        "check",
        "--domain",
        "agency.example",
        "--offline",
        "--quick",
    ]);
    assert_ne!(code, 2, "{err}");
}

// ---------------------------------------------------------------------------------------------
// Measurement (not a test of time: run by hand with --ignored --nocapture)

#[test]
#[ignore = "measurement: cargo test --test integration probe_variants::measure -- --ignored --nocapture"]
fn measure_extra_handshake_time() {
    let rl = relays();
    let mut with = config(&rl.keys.ca);
    with.injection_test = true;
    let mut without: ProbeConfig = with.clone();
    without.extra_handshakes = false;
    let rt = rt();
    let once = |cfg: &ProbeConfig| {
        let t = target(rl.ec_only, Role::Ber);
        let t0 = Instant::now();
        let r = rt.block_on(probe(&t, cfg, &|_| {}));
        assert_eq!(r.verdict, Verdict::Pass, "{}", dump(&r));
        (t0.elapsed().as_secs_f64() * 1000.0, r.timings_ms.variants)
    };
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    for cfg in [&with, &without] {
        let _ = once(cfg); // warm-up
    }
    let (mut a, mut b, mut own) = (vec![], vec![], vec![]);
    // interleaved, so both see the same machine load
    for _ in 0..21 {
        a.push(once(&without).0);
        let (ms, variants) = once(&with);
        b.push(ms);
        own.push(variants.unwrap_or_default() as f64);
    }
    let (a, b, own) = (median(a), median(b), median(own));
    println!(
        "median of 21 probes of a local Postfix (interleaved): without extra handshakes {a:.1} ms, \
         with {b:.1} ms (difference {:.1} ms); the 4 variant connections themselves: {own:.0} ms",
        b - a
    );
}
