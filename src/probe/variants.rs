//! Extra handshakes after the main probe, each in its own connection and one after the other (so
//! never more than one connection per address at a time):
//!
//! - PROBE-024: a handshake without SNI and one with a name the server cannot know; a server must
//!   fall back to a default certificate instead of aborting.
//! - TLSA-015: a handshake offering only RSA signature schemes (and, for TLS 1.2, only ECDHE_RSA
//!   suites) and one offering only ECDSA ones, to see every key the server holds; with a secure,
//!   usable TLSA RRset every distinct key's chain must satisfy DANE.
//!
//! Dialogue per variant: connect → greeting → EHLO → STARTTLS → 220 → handshake → QUIT (implicit
//! TLS: handshake right after connect, then the greeting and QUIT). Transcript lines carry the
//! variant's prefix (`[sni-none] C: EHLO ...`).

use super::dane;
use super::report::ProbeReport;
use super::session::{Ctx, describe_tls_error, now_of, server_name};
use super::smtp::{Smtp, SmtpError, millis};
use super::tls::{RecordingVerifier, cert_info};
use super::{ProbeConfig, ProbeError, ProbeTarget, Step};
pub use crate::model::probe_facts::variants::{
    KeyType, UNKNOWN_SNI, VariantFacts, VariantKind, VariantOutcome, key_name,
};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme, SupportedCipherSuite};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::TcpStream;

/// The facts of a variant not yet run against `target` (its SNI as it will be sent).
pub fn new_facts(kind: VariantKind, target: &ProbeTarget) -> VariantFacts {
    let sni = match kind {
        VariantKind::SniNone => None,
        VariantKind::SniUnknown => Some(UNKNOWN_SNI.to_string()),
        _ => match server_name(target) {
            ServerName::DnsName(n) => Some(n.as_ref().to_string()),
            _ => None,
        },
    };
    let offered = match kind.key_type() {
        None => "all signature schemes".to_string(),
        Some(k) => format!(
            "{} signature schemes only (TLS 1.2: ECDHE_{} suites only)",
            k.name(),
            k.name()
        ),
    };
    VariantFacts {
        variant: kind,
        sni,
        offered,
        outcome: VariantOutcome::Inconclusive,
        error: None,
        version: None,
        cipher: None,
        leaf_key: None,
        leaf_spki_sha256: None,
        chain_length: 0,
        dane: None,
        dane_detail: None,
        note: None,
        ms: 0,
    }
}

/// Does this signature scheme belong to the key type?
pub fn offers(kt: KeyType, s: SignatureScheme) -> bool {
    use SignatureScheme as S;
    match kt {
        KeyType::Rsa => matches!(
            s,
            S::RSA_PKCS1_SHA1
                | S::RSA_PKCS1_SHA256
                | S::RSA_PKCS1_SHA384
                | S::RSA_PKCS1_SHA512
                | S::RSA_PSS_SHA256
                | S::RSA_PSS_SHA384
                | S::RSA_PSS_SHA512
        ),
        KeyType::Ecdsa => matches!(
            s,
            S::ECDSA_SHA1_Legacy
                | S::ECDSA_NISTP256_SHA256
                | S::ECDSA_NISTP384_SHA384
                | S::ECDSA_NISTP521_SHA512
        ),
    }
}

/// Runs every variant against the target, one after the other; appends facts, transcript lines,
/// step events and the total time to the report. The variants together stay within nine tenths
/// of the attempt's time budget (`attempt_start` + `timeouts.probe`), so a server that stalls new
/// connections cannot cost the report of the main dialogue; a variant cut short is inconclusive.
pub(super) async fn run(
    ctx: &Ctx<'_>,
    cfg: &ProbeConfig,
    r: &mut ProbeReport,
    attempt_start: Instant,
) {
    let start = Instant::now();
    let deadline = super::deadline(attempt_start, cfg.timeouts.probe, 0.9);
    let main_key = r
        .certificate
        .as_ref()
        .and_then(|c| c.chain.first())
        .map(|l| l.spki_sha256.clone());
    for kind in VariantKind::ALL {
        let t0 = Instant::now();
        let left = deadline.saturating_duration_since(t0);
        let (mut facts, lines) =
            match tokio::time::timeout(left, one(ctx.target, cfg, kind, main_key.as_deref())).await
            {
                Ok(done) => done,
                Err(_) => {
                    let mut f = new_facts(kind, ctx.target);
                    f.error = Some("not completed within the probe's time budget".into());
                    (f, vec![])
                }
            };
        facts.ms = millis(t0.elapsed());
        r.transcript.extend(lines);
        let ok = match facts.outcome {
            VariantOutcome::Completed => true,
            VariantOutcome::Failed => !kind.is_sni(),
            VariantOutcome::Inconclusive => false,
        };
        ctx.emit(Step::TlsVariant, facts.summary(), ok, facts.ms);
        r.variants.push(facts);
    }
    r.timings_ms.variants = Some(millis(start.elapsed()));
}

/// One variant in its own connection.
async fn one(
    target: &ProbeTarget,
    cfg: &ProbeConfig,
    kind: VariantKind,
    main_key: Option<&str>,
) -> (VariantFacts, Vec<String>) {
    let t = &cfg.timeouts;
    let prefix = kind.prefix();
    let mut f = new_facts(kind, target);
    let mut lines = Vec::new();
    let (config, recorder) = match variant_config(cfg, kind) {
        Ok(c) => c,
        Err(e) => {
            f.error = Some(e.to_string());
            return (f, lines);
        }
    };
    let addr = SocketAddr::new(target.address, target.port);
    let tcp = match tokio::time::timeout(t.connect, TcpStream::connect(addr)).await {
        Ok(Ok(s)) => s,
        Ok(Err(e)) => {
            f.error = Some(format!("connect: {e}"));
            return (f, lines);
        }
        Err(_) => {
            f.error = Some(format!(
                "connect: no answer within {} ms",
                millis(t.connect)
            ));
            return (f, lines);
        }
    };
    let _ = tcp.set_nodelay(true);
    let tcp = if target.implicit_tls {
        tcp
    } else {
        match starttls(tcp, cfg, prefix, &mut lines).await {
            Ok(tcp) => tcp,
            Err(e) => {
                f.error = Some(e.to_string());
                return (f, lines);
            }
        }
    };
    let name = match kind {
        VariantKind::SniUnknown => {
            ServerName::try_from(UNKNOWN_SNI).unwrap_or_else(|_| server_name(target))
        }
        _ => server_name(target),
    };
    let connector = tokio_rustls::TlsConnector::from(config);
    let res = tokio::time::timeout(t.handshake, connector.connect(name, tcp)).await;
    let chain = recorder.observed().chain;
    f.chain_length = chain.len();
    if let Some(leaf) = chain.first().and_then(|l| cert_info(l.as_ref()).ok()) {
        f.leaf_key = Some(leaf.key);
        f.leaf_spki_sha256 = Some(leaf.spki_sha256);
    }
    match res {
        Ok(Ok(tls)) => {
            f.outcome = VariantOutcome::Completed;
            let conn = tls.get_ref().1;
            f.version = conn
                .protocol_version()
                .map(|v| format!("{v:?}").replace('_', "."));
            f.cipher = conn
                .negotiated_cipher_suite()
                .map(|s| format!("{:?}", s.suite()));
            lines.push(format!(
                "{prefix}TLS: {} {} leaf {} spki {}",
                f.version.as_deref().unwrap_or("?"),
                f.cipher.as_deref().unwrap_or("?"),
                f.leaf_key.as_deref().unwrap_or("?"),
                f.leaf_spki_sha256.as_deref().unwrap_or("?")
            ));
            let mut smtp = Smtp::new(tls, cfg.limits, vec![], prefix);
            let short = t.reply.min(Duration::from_secs(2));
            if target.implicit_tls {
                let _ = smtp.read_reply(t.greeting.min(t.reply)).await;
            }
            if smtp.send("QUIT").await.is_ok() {
                let _ = smtp.read_reply(short).await;
            }
            let (_, _, tr) = smtp.into_parts();
            lines.extend(tr);
        }
        Ok(Err(e)) => {
            f.outcome = VariantOutcome::Failed;
            let (text, _) = describe_tls_error(&e);
            lines.push(format!("{prefix}TLS: failed: {text}"));
            f.error = Some(text);
        }
        Err(_) => {
            let text = format!("handshake timeout after {} ms", millis(t.handshake));
            lines.push(format!("{prefix}TLS: {text}"));
            f.error = Some(text);
        }
    }
    if let Some(kt) = kind.key_type() {
        key_facts(&mut f, kt, main_key);
        if f.outcome == VariantOutcome::Completed
            && let Some(tlsa) = &target.tlsa
        {
            let d = dane::judge(
                &tlsa.records,
                tlsa.secure,
                &chain,
                &target.host,
                now_of(cfg),
                &cfg.provider,
            );
            f.dane = Some(d.verdict);
            f.dane_detail = Some(d.detail);
        }
    }
    (f, lines)
}

/// The note of a key-type variant: the key found, or that the server has none of that type.
fn key_facts(f: &mut VariantFacts, kt: KeyType, main_key: Option<&str>) {
    let got = f.leaf_key.clone();
    f.note = match (f.outcome, got) {
        (VariantOutcome::Completed, Some(k)) if kt.is(&k) => {
            if main_key.is_some() && main_key == f.leaf_spki_sha256.as_deref() {
                Some(format!(
                    "{} key, the one of the main handshake",
                    key_name(&k)
                ))
            } else {
                Some(format!("second key: {}", key_name(&k)))
            }
        }
        (VariantOutcome::Completed, Some(k)) => Some(format!(
            "no {} certificate (the server answered with its {} key)",
            kt.name(),
            key_name(&k)
        )),
        (VariantOutcome::Failed, _) => Some(format!(
            "no {} certificate (no handshake when only {} signature schemes are offered)",
            kt.name(),
            kt.name()
        )),
        _ => None,
    };
}

/// greeting → EHLO → STARTTLS → 220; gives back the TCP stream for the handshake.
async fn starttls(
    tcp: TcpStream,
    cfg: &ProbeConfig,
    prefix: &'static str,
    lines: &mut Vec<String>,
) -> Result<TcpStream, StartTlsError> {
    let t = &cfg.timeouts;
    let mut smtp = Smtp::new(tcp, cfg.limits, vec![], prefix);
    let ehlo = format!("EHLO {}", cfg.ehlo_name);
    let res: Result<Result<(), StartTlsError>, SmtpError> = async {
        let g = smtp.read_reply(t.greeting).await?;
        if g.code != 220 {
            return Ok(Err(StartTlsError::Greeting(g.code)));
        }
        smtp.send(&ehlo).await?;
        let e = smtp.read_reply(t.reply).await?;
        if e.code != 250 {
            return Ok(Err(StartTlsError::Ehlo(e.code)));
        }
        smtp.send("STARTTLS").await?;
        let s = smtp.read_reply(t.reply).await?;
        if s.code != 220 {
            return Ok(Err(StartTlsError::Starttls(s.code)));
        }
        Ok(Ok(()))
    }
    .await;
    match res {
        Ok(Ok(())) => {
            let (tcp, leftover, tr) = smtp.into_parts();
            lines.extend(tr);
            if leftover.is_empty() {
                Ok(tcp)
            } else {
                Err(StartTlsError::Pipelined(leftover.len()))
            }
        }
        Ok(Err(why)) => {
            if smtp.send("QUIT").await.is_ok() {
                let _ = smtp.read_reply(t.reply.min(Duration::from_secs(2))).await;
            }
            let (_, _, tr) = smtp.into_parts();
            lines.extend(tr);
            Err(why)
        }
        Err(e) => {
            let (_, _, tr) = smtp.into_parts();
            lines.extend(tr);
            Err(StartTlsError::Smtp(e))
        }
    }
}

/// Why a variant's connection did not get to the handshake.
#[derive(Debug, thiserror::Error)]
enum StartTlsError {
    /// The greeting was not 220.
    #[error("greeting {0}")]
    Greeting(u16),
    /// EHLO was not answered 250.
    #[error("EHLO answered {0}")]
    Ehlo(u16),
    /// STARTTLS was not answered 220.
    #[error("STARTTLS answered {0}")]
    Starttls(u16),
    /// Bytes after the 220 (pipelined into the handshake).
    #[error("{0} unexpected bytes after 220 to STARTTLS")]
    Pipelined(usize),
    /// The dialogue itself failed.
    #[error("{0}")]
    Smtp(SmtpError),
}

/// The crypto provider of a variant: for a key-type variant, TLS 1.2 suites of that key type only
/// (TLS 1.3 suites do not name a key type).
fn provider_for(cfg: &ProbeConfig, kind: VariantKind) -> Arc<CryptoProvider> {
    match kind.key_type() {
        None => cfg.provider.clone(),
        Some(kt) => Arc::new(CryptoProvider {
            cipher_suites: cfg
                .provider
                .cipher_suites
                .iter()
                .filter(|s| match s {
                    SupportedCipherSuite::Tls13(_) => true,
                    SupportedCipherSuite::Tls12(s12) => s12.sign.iter().any(|s| offers(kt, *s)),
                })
                .copied()
                .collect(),
            ..(*cfg.provider).clone()
        }),
    }
}

/// The client configuration of a variant and the recorder that sees the chain.
fn variant_config(
    cfg: &ProbeConfig,
    kind: VariantKind,
) -> Result<(Arc<rustls::ClientConfig>, Arc<RecordingVerifier>), ProbeError> {
    let provider = provider_for(cfg, kind);
    let recorder = Arc::new(RecordingVerifier::new(cfg.roots.clone(), provider.clone())?);
    let verifier: Arc<dyn ServerCertVerifier> = match kind.key_type() {
        None => recorder.clone(),
        Some(kt) => Arc::new(OnlyKeyType {
            inner: recorder.clone(),
            kt,
        }),
    };
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
        .map_err(|e| ProbeError::TlsConfig(e.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    config.resumption = rustls::client::Resumption::disabled();
    config.enable_sni = kind != VariantKind::SniNone;
    Ok((Arc::new(config), recorder))
}

/// The recording verifier, offering (in `signature_algorithms`) only the schemes of one key type.
#[derive(Debug)]
struct OnlyKeyType {
    inner: Arc<RecordingVerifier>,
    kt: KeyType,
}

impl ServerCertVerifier for OnlyKeyType {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        self.inner
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner
            .supported_verify_schemes()
            .into_iter()
            .filter(|s| offers(self.kt, *s))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Role;
    use crate::probe::dane::DaneVerdict;
    use crate::probe::report::{CertificateFacts, TlsFacts};
    use crate::probe::tls::{CertInfo, Pkix};

    fn info(key: &str, spki: &str) -> CertInfo {
        CertInfo {
            subject: "CN=mx1.agency.example".into(),
            sans: vec!["mx1.agency.example".into()],
            issuer: "CN=CA".into(),
            not_before: String::new(),
            not_after: String::new(),
            not_after_unix: i64::MAX,
            key: key.into(),
            key_bits: 256,
            signature_algorithm: "ecdsa-with-SHA256".into(),
            sha256: spki.repeat(2),
            spki_sha256: spki.into(),
            self_issued: false,
        }
    }

    /// A report whose main handshake completed with `key`/`spki` and DANE verdict `dane`.
    fn report(key: &str, spki: &str, dane: DaneVerdict) -> ProbeReport {
        let t = ProbeTarget::new(
            "mx1.agency.example",
            std::net::IpAddr::from([192, 0, 2, 25]),
            25,
            Role::Ber,
        );
        let mut r = ProbeReport::new(&t);
        r.connect = crate::probe::Connect::Ok;
        r.greeting = Some(220);
        r.tls = Some(TlsFacts {
            version: Some("TLSv1.3".into()),
            ..TlsFacts::default()
        });
        r.certificate = Some(CertificateFacts {
            subject: String::new(),
            sans: vec![],
            issuer: String::new(),
            not_before: String::new(),
            not_after: String::new(),
            key: key.into(),
            pkix: Pkix::Valid,
            pkix_error: None,
            intermediates_missing: false,
            chain: vec![info(key, spki)],
        });
        r.dane = dane;
        r
    }

    fn variant(kind: VariantKind, outcome: VariantOutcome) -> VariantFacts {
        let t = ProbeTarget::new(
            "mx1.agency.example",
            std::net::IpAddr::from([192, 0, 2, 25]),
            25,
            Role::Ber,
        );
        let mut v = new_facts(kind, &t);
        v.outcome = outcome;
        v
    }

    fn keyed(kind: VariantKind, key: &str, spki: &str, dane: Option<DaneVerdict>) -> VariantFacts {
        let mut v = variant(kind, VariantOutcome::Completed);
        v.leaf_key = Some(key.into());
        v.leaf_spki_sha256 = Some(spki.into());
        v.dane = dane;
        v
    }

    #[test]
    fn key_notes_say_which_key_a_variant_found() {
        let mut v = keyed(VariantKind::RsaOnly, "EC P-256", "ec", None);
        key_facts(&mut v, KeyType::Rsa, Some("ec"));
        assert_eq!(
            v.note.as_deref(),
            Some("no RSA certificate (the server answered with its ECDSA P-256 key)")
        );
        let mut v = keyed(VariantKind::RsaOnly, "RSA 3072", "rsa", None);
        key_facts(&mut v, KeyType::Rsa, Some("ec"));
        assert_eq!(v.note.as_deref(), Some("second key: RSA 3072"));
        let mut rsa = variant(VariantKind::RsaOnly, VariantOutcome::Failed);
        key_facts(&mut rsa, KeyType::Rsa, Some("ec"));
        assert_eq!(
            rsa.note.as_deref(),
            Some("no RSA certificate (no handshake when only RSA signature schemes are offered)")
        );
        let mut v = keyed(VariantKind::EcdsaOnly, "EC P-256", "ec", None);
        key_facts(&mut v, KeyType::Ecdsa, Some("ec"));
        assert_eq!(
            v.note.as_deref(),
            Some("ECDSA P-256 key, the one of the main handshake")
        );
    }

    #[test]
    fn key_type_variants_offer_only_their_schemes_and_suites() {
        let cfg = ProbeConfig::new(&[]).unwrap_or_else(|e| panic!("{e}"));
        for (kind, kt) in [
            (VariantKind::RsaOnly, KeyType::Rsa),
            (VariantKind::EcdsaOnly, KeyType::Ecdsa),
        ] {
            let provider = provider_for(&cfg, kind);
            let inner = RecordingVerifier::new(cfg.roots.clone(), provider.clone())
                .unwrap_or_else(|e| panic!("{e}"));
            let schemes = OnlyKeyType {
                inner: Arc::new(inner),
                kt,
            }
            .supported_verify_schemes();
            assert!(!schemes.is_empty());
            assert!(schemes.iter().all(|s| offers(kt, *s)), "{schemes:?}");
            let (config, _) = variant_config(&cfg, kind).unwrap_or_else(|e| panic!("{e}"));
            let suites = &config.crypto_provider().cipher_suites;
            assert!(
                suites
                    .iter()
                    .any(|s| matches!(s, SupportedCipherSuite::Tls12(_)))
            );
            for s in suites {
                if let SupportedCipherSuite::Tls12(s12) = s {
                    let name = format!("{:?}", s12.common.suite);
                    assert!(name.contains(&format!("_{}_", kt.name())), "{name}");
                }
            }
            assert!(config.enable_sni);
        }
        let (config, _) =
            variant_config(&cfg, VariantKind::SniNone).unwrap_or_else(|e| panic!("{e}"));
        assert!(!config.enable_sni);
    }

    #[test]
    fn variants_are_serialised_in_the_report() {
        let mut r = report("EC P-256", "ec", DaneVerdict::NotApplicable);
        let mut v = variant(VariantKind::EcdsaOnly, VariantOutcome::Failed);
        key_facts(&mut v, KeyType::Ecdsa, None);
        r.variants = vec![v];
        let j = serde_json::to_value(&r).unwrap_or_default();
        assert_eq!(j["variants"][0]["variant"], "ecdsa-only");
        assert_eq!(j["variants"][0]["outcome"], "failed");
        assert!(
            j["variants"][0]["note"]
                .as_str()
                .is_some_and(|n| n.starts_with("no ECDSA certificate"))
        );
        assert_eq!(j["variants"][0]["sni"], "mx1.agency.example");
    }
}
