//! TLS for probes: a recording certificate verifier (certificates are recorded, never the reason a probe aborts) and the facts of a
//! certificate chain as sent.
//!
//! The verifier asks rustls' `WebPkiServerVerifier` for the PKIX verdict on the relay name, stores
//! it, and then lets the handshake go on whatever the verdict: a bad certificate is a fact of the
//! report, never the reason a probe stops. Handshake signatures are still verified (delegated), so
//! the server must hold the key of the certificate it presents.

use super::ProbeError;
pub use crate::model::probe_facts::tls::{CertInfo, Pkix};
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};
use sha2::{Digest, Sha256};
use std::sync::{Arc, Mutex};
use x509_parser::prelude::{FromDer, GeneralName, X509Certificate};
use x509_parser::public_key::PublicKey;

/// Builds the trust roots: the webpki (Mozilla) roots plus the extra PEM roots given.
pub fn root_store(extra: &[CertificateDer<'static>]) -> Result<RootCertStore, ProbeError> {
    let mut roots = RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    for c in extra {
        roots
            .add(c.clone())
            .map_err(|e| ProbeError::ExtraCa(e.to_string()))?;
    }
    Ok(roots)
}

/// The operating system's trust store (`rustls-native-certs`: on Linux the OpenSSL locations,
/// honouring `SSL_CERT_FILE` and `SSL_CERT_DIR`). An error when the store yields no certificate
/// at all, so `--system-roots` never silently trusts nothing more.
pub fn system_roots() -> Result<Vec<CertificateDer<'static>>, ProbeError> {
    let found = rustls_native_certs::load_native_certs();
    if found.certs.is_empty() {
        return Err(ProbeError::NoSystemCertificates(
            found.errors.iter().map(|e| e.to_string()).collect(),
        ));
    }
    Ok(found.certs)
}

/// Reads every certificate of a PEM file.
pub fn read_pem(path: &std::path::Path) -> Result<Vec<CertificateDer<'static>>, ProbeError> {
    use rustls::pki_types::pem::PemObject;
    let iter = CertificateDer::pem_file_iter(path).map_err(|e| ProbeError::PemUnreadable {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    let certs: Vec<_> = iter
        .collect::<Result<_, _>>()
        .map_err(|e| ProbeError::BadPem {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
    if certs.is_empty() {
        return Err(ProbeError::NoCertificate {
            path: path.to_path_buf(),
        });
    }
    Ok(certs)
}

/// What the verifier saw.
#[derive(Debug, Clone, Default)]
pub struct Observed {
    /// The chain as sent (leaf first).
    pub chain: Vec<CertificateDer<'static>>,
    /// The verdict and the error text when not valid.
    pub pkix: Option<(Pkix, Option<String>)>,
}

/// The recording verifier: one per probe.
#[derive(Debug)]
pub struct RecordingVerifier {
    inner: Arc<WebPkiServerVerifier>,
    roots: Arc<RootCertStore>,
    observed: Mutex<Observed>,
}

impl RecordingVerifier {
    /// A verifier over these roots with this provider.
    pub fn new(
        roots: Arc<RootCertStore>,
        provider: Arc<CryptoProvider>,
    ) -> Result<Self, ProbeError> {
        let inner = WebPkiServerVerifier::builder_with_provider(roots.clone(), provider)
            .build()
            .map_err(|e| ProbeError::Verifier(e.to_string()))?;
        Ok(RecordingVerifier {
            inner,
            roots,
            observed: Mutex::new(Observed::default()),
        })
    }

    /// What was observed so far (empty before the server's Certificate message).
    pub fn observed(&self) -> Observed {
        match self.observed.lock() {
            Ok(g) => g.clone(),
            Err(p) => p.into_inner().clone(),
        }
    }

    /// True when the issuer of the last certificate sent is one of the trust roots.
    pub fn issuer_is_root(&self, last: &CertificateDer<'_>) -> bool {
        let Ok((_, cert)) = X509Certificate::from_der(last.as_ref()) else {
            return false;
        };
        let issuer = cert.issuer().as_raw();
        self.roots
            .roots
            .iter()
            .any(|ta| ta.subject.as_ref() == issuer)
    }
}

impl ServerCertVerifier for RecordingVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let verdict = match self.inner.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        ) {
            Ok(_) => (Pkix::Valid, None),
            Err(e) => (
                classify(&e, end_entity, intermediates.is_empty()),
                Some(e.to_string()),
            ),
        };
        let mut chain = vec![end_entity.clone().into_owned()];
        chain.extend(intermediates.iter().map(|c| c.clone().into_owned()));
        let mut g = match self.observed.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        g.chain = chain;
        g.pkix = Some(verdict);
        Ok(ServerCertVerified::assertion())
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
        self.inner.supported_verify_schemes()
    }
}

fn classify(e: &rustls::Error, leaf: &CertificateDer<'_>, alone: bool) -> Pkix {
    match e {
        rustls::Error::InvalidCertificate(ce) => match ce {
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => Pkix::Expired,
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
                Pkix::NotYetValid
            }
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                Pkix::NameMismatch
            }
            CertificateError::UnknownIssuer => {
                if alone && self_issued(leaf) {
                    Pkix::SelfSigned
                } else {
                    Pkix::Untrusted
                }
            }
            CertificateError::BadSignature => Pkix::BadSignature,
            CertificateError::InvalidPurpose | CertificateError::InvalidPurposeContext { .. } => {
                Pkix::WrongPurpose
            }
            CertificateError::Revoked => Pkix::Revoked,
            _ => Pkix::Invalid,
        },
        _ => Pkix::Invalid,
    }
}

/// Subject equals issuer.
pub fn self_issued(der: &CertificateDer<'_>) -> bool {
    X509Certificate::from_der(der.as_ref())
        .map(|(_, c)| c.subject().as_raw() == c.issuer().as_raw())
        .unwrap_or(false)
}

/// Parses one DER certificate into its facts; `Err` with the parser's message when it is not X.509.
pub fn cert_info(der: &[u8]) -> Result<CertInfo, ProbeError> {
    let (_, c) =
        X509Certificate::from_der(der).map_err(|e| ProbeError::Certificate(e.to_string()))?;
    let mut sans = Vec::new();
    if let Ok(Some(ext)) = c.subject_alternative_name() {
        for n in &ext.value.general_names {
            match n {
                GeneralName::DNSName(d) => sans.push(d.to_string()),
                GeneralName::IPAddress(b) => sans.push(ip_text(b)),
                _ => {}
            }
        }
    }
    let spki = c.public_key();
    let (key, key_bits) = match spki.parsed() {
        Ok(PublicKey::RSA(r)) => (format!("RSA {}", r.key_size()), r.key_size()),
        Ok(PublicKey::EC(ec)) => {
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.as_oid().ok())
                .map(|o| match o.to_id_string().as_str() {
                    "1.2.840.10045.3.1.7" => "P-256".to_string(),
                    "1.3.132.0.34" => "P-384".to_string(),
                    "1.3.132.0.35" => "P-521".to_string(),
                    other => other.to_string(),
                })
                .unwrap_or_else(|| "?".to_string());
            (format!("EC {curve}"), ec.key_size())
        }
        _ => match spki.algorithm.algorithm.to_id_string().as_str() {
            "1.3.101.112" => ("Ed25519".to_string(), 256),
            "1.3.101.113" => ("Ed448".to_string(), 456),
            other => (format!("unknown ({other})"), 0),
        },
    };
    let sig = c.signature_algorithm.algorithm.to_id_string();
    let signature_algorithm = match sig.as_str() {
        "1.2.840.113549.1.1.4" => "md5WithRSAEncryption",
        "1.2.840.113549.1.1.5" => "sha1WithRSAEncryption",
        "1.2.840.113549.1.1.10" => "rsassaPss",
        "1.2.840.113549.1.1.11" => "sha256WithRSAEncryption",
        "1.2.840.113549.1.1.12" => "sha384WithRSAEncryption",
        "1.2.840.113549.1.1.13" => "sha512WithRSAEncryption",
        "1.2.840.10045.4.1" => "ecdsa-with-SHA1",
        "1.2.840.10045.4.3.2" => "ecdsa-with-SHA256",
        "1.2.840.10045.4.3.3" => "ecdsa-with-SHA384",
        "1.2.840.10045.4.3.4" => "ecdsa-with-SHA512",
        "1.3.101.112" => "Ed25519",
        other => other,
    }
    .to_string();
    let v = c.validity();
    Ok(CertInfo {
        subject: c.subject().to_string(),
        sans,
        issuer: c.issuer().to_string(),
        not_before: rfc3339(v.not_before.timestamp()),
        not_after: rfc3339(v.not_after.timestamp()),
        not_after_unix: v.not_after.timestamp(),
        key,
        key_bits,
        signature_algorithm,
        sha256: hex::encode(Sha256::digest(der)),
        spki_sha256: hex::encode(Sha256::digest(spki.raw)),
        self_issued: c.subject().as_raw() == c.issuer().as_raw(),
    })
}

fn ip_text(b: &[u8]) -> String {
    match b.len() {
        4 => std::net::Ipv4Addr::new(b[0], b[1], b[2], b[3]).to_string(),
        16 => {
            let mut a = [0u8; 16];
            a.copy_from_slice(b);
            std::net::Ipv6Addr::from(a).to_string()
        }
        _ => hex::encode(b),
    }
}

fn rfc3339(ts: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(ts)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| ts.to_string())
}

/// True when `name` matches a SAN pattern (exact or single left-most-label wildcard), ASCII case-insensitive.
pub fn san_matches(pattern: &str, name: &str) -> bool {
    let p = pattern.trim_end_matches('.').to_ascii_lowercase();
    let n = name.trim_end_matches('.').to_ascii_lowercase();
    if let Some(rest) = p.strip_prefix("*.") {
        match n.split_once('.') {
            Some((first, tail)) => !first.is_empty() && tail == rest && rest.contains('.'),
            None => false,
        }
    } else {
        p == n
    }
}
