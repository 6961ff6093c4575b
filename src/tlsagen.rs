//! TLSA records from what an administrator has (`secmx tlsa`, issue 12): a certificate or chain
//! file, a private or public key, a certificate signing request (the next key before its
//! certificate exists), or the chain a live relay serves.
//!
//! Only the two record kinds RFC 7672 recommends for SMTP are computed: `3 1 1` (DANE-EE, SHA-256
//! of the leaf's SubjectPublicKeyInfo) and `2 1 1` (DANE-TA, SHA-256 of an issuer's
//! SubjectPublicKeyInfo). Nothing is guessed: a chain whose issuer is not in the file, or whose
//! certificates are out of order, is refused with a sentence that says so.

use sha2::{Digest, Sha256};
use std::path::Path;
use x509_parser::certification_request::X509CertificationRequest;
use x509_parser::prelude::{FromDer, X509Certificate};

/// One computed record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Computed {
    /// 3 (DANE-EE, the leaf key) or 2 (DANE-TA, an issuer's key).
    pub usage: u8,
    /// SHA-256 of the SubjectPublicKeyInfo, hex.
    pub spki_sha256: String,
    /// What the record pins, for a comment: `leaf key (CN=mx.example)`, `issuer key (CN=CA)`.
    pub what: String,
}

impl Computed {
    /// The record in presentation form, `3 1 1 <hex>`.
    pub fn record(&self) -> String {
        format!("{} 1 1 {}", self.usage, self.spki_sha256)
    }
}

/// The SHA-256 of a DER SubjectPublicKeyInfo, hex (the data of a `x 1 1` record).
pub fn spki_sha256(spki_der: &[u8]) -> String {
    hex::encode(Sha256::digest(spki_der))
}

/// Why no TLSA record could be computed from a chain or a PEM file.
#[derive(Debug, thiserror::Error)]
pub enum TlsaGenError {
    /// A certificate's DER does not parse.
    #[error("unparsable certificate: {0}")]
    Certificate(String),
    /// The chain is empty.
    #[error("no certificate")]
    NoCertificate,
    /// A certificate was not issued by the one after it.
    #[error(
        "certificate #{index} ({subject}) was not issued by the next one in the chain, #{} ({next}); its issuer is {issuer}: give the chain leaf first, each certificate followed by its issuer",
        index + 1
    )]
    OutOfOrder {
        /// Position of the certificate (0 = leaf).
        index: usize,
        /// Its subject.
        subject: String,
        /// The subject of the certificate after it.
        next: String,
        /// Its issuer.
        issuer: String,
    },
    /// A leaf without its issuer where the `2 1 1` record is needed.
    #[error(
        "the chain has only the leaf ({subject}); its issuer ({issuer}) is not in it, so no `2 1 1` record can be computed: give the chain file with the intermediate certificate, or pass --leaf-only for the `3 1 1` record alone"
    )]
    LeafOnly {
        /// The leaf's subject.
        subject: String,
        /// The leaf's issuer.
        issuer: String,
    },
    /// The error in a file.
    #[error("{file}: {source}")]
    InFile {
        /// The file as shown.
        file: String,
        /// What is wrong in it.
        source: Box<TlsaGenError>,
    },
    /// The file cannot be read.
    #[error("cannot read: {0}")]
    Read(#[source] std::io::Error),
    /// The file is not PEM.
    #[error("bad PEM: {0}")]
    Pem(String),
    /// More than one key.
    #[error("more than one key in the file; give one key per file")]
    TwoKeys,
    /// A PUBLIC KEY section that does not parse.
    #[error("unparsable PUBLIC KEY: {0}")]
    PublicKey(String),
    /// A PRIVATE KEY section that does not parse.
    #[error(
        "cannot read the private key ({0}); PKCS#8 RSA, ECDSA P-256/P-384 and Ed25519 keys are supported"
    )]
    PrivateKey(String),
    /// A PKCS#1 or SEC1 private key.
    #[error(
        "a PKCS#1/SEC1 private key; convert it to PKCS#8 first (`openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8`) or give its public key (`openssl pkey -in KEY -pubout`)"
    )]
    NotPkcs8,
    /// A CERTIFICATE REQUEST section that does not parse.
    #[error("unparsable CERTIFICATE REQUEST: {0}")]
    Csr(String),
    /// Nothing usable in the file.
    #[error("no CERTIFICATE, PRIVATE KEY, PUBLIC KEY or CERTIFICATE REQUEST in the file")]
    Empty,
    /// Both certificates and a key.
    #[error("certificates and a key in one file; give the chain or the key, not both")]
    ChainAndKey,
}

/// The facts of one certificate that the records need: subject, issuer (raw DER names, and text),
/// SPKI digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainCert {
    /// Subject DN as text.
    pub subject: String,
    /// Issuer DN as text.
    pub issuer: String,
    /// SHA-256 of the SubjectPublicKeyInfo, hex.
    pub spki_sha256: String,
    /// Subject equals issuer.
    pub self_issued: bool,
}

impl ChainCert {
    /// From DER.
    pub fn of_der(der: &[u8]) -> Result<ChainCert, TlsaGenError> {
        let (_, c) =
            X509Certificate::from_der(der).map_err(|e| TlsaGenError::Certificate(e.to_string()))?;
        Ok(ChainCert {
            subject: c.subject().to_string(),
            issuer: c.issuer().to_string(),
            spki_sha256: spki_sha256(c.public_key().raw),
            self_issued: c.subject().as_raw() == c.issuer().as_raw(),
        })
    }

    /// From the facts a probe reported.
    pub fn of_info(c: &crate::model::probe_facts::tls::CertInfo) -> ChainCert {
        ChainCert {
            subject: c.subject.clone(),
            issuer: c.issuer.clone(),
            spki_sha256: c.spki_sha256.clone(),
            self_issued: c.self_issued,
        }
    }
}

/// The records of a chain (leaf first): `3 1 1` for the leaf, `2 1 1` for every issuer after it.
///
/// With `need_issuer`, a leaf that is not self-issued and comes without its issuer is an error
/// (the `2 1 1` record cannot be computed without guessing); without it the leaf's `3 1 1` alone
/// is returned. Certificates out of order (one that did not issue the one before it) are an error
/// either way.
pub fn from_chain(chain: &[ChainCert], need_issuer: bool) -> Result<Vec<Computed>, TlsaGenError> {
    let Some(leaf) = chain.first() else {
        return Err(TlsaGenError::NoCertificate);
    };
    for (i, pair) in chain.windows(2).enumerate() {
        if pair[0].issuer != pair[1].subject {
            return Err(TlsaGenError::OutOfOrder {
                index: i,
                subject: pair[0].subject.clone(),
                next: pair[1].subject.clone(),
                issuer: pair[0].issuer.clone(),
            });
        }
    }
    if chain.len() == 1 && !leaf.self_issued && need_issuer {
        return Err(TlsaGenError::LeafOnly {
            subject: leaf.subject.clone(),
            issuer: leaf.issuer.clone(),
        });
    }
    let mut out = vec![Computed {
        usage: 3,
        spki_sha256: leaf.spki_sha256.clone(),
        what: format!("leaf key ({})", leaf.subject),
    }];
    for c in &chain[1..] {
        out.push(Computed {
            usage: 2,
            spki_sha256: c.spki_sha256.clone(),
            what: format!("issuer key ({})", c.subject),
        });
    }
    Ok(out)
}

/// What a PEM file held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PemInput {
    /// Certificates, in file order.
    Chain(Vec<ChainCert>),
    /// One public key (from a private key, a public key or a CSR): the SPKI digest and what it was.
    Key {
        /// SHA-256 of the SubjectPublicKeyInfo, hex.
        spki_sha256: String,
        /// `private key`, `public key`, `CSR (CN=...)`.
        what: String,
    },
}

/// Reads a PEM file: certificates (a chain), or one private key (PKCS#8), public key, or CSR.
pub fn read_pem(path: &Path) -> Result<PemInput, TlsaGenError> {
    use rustls_pki_types::pem::SectionKind;
    let file = path.display().to_string();
    let in_file = |source: TlsaGenError| TlsaGenError::InFile {
        file: file.clone(),
        source: Box::new(source),
    };
    let bytes = std::fs::read(path).map_err(|e| in_file(TlsaGenError::Read(e)))?;
    let mut rd: &[u8] = &bytes;
    let mut certs = Vec::new();
    let mut key: Option<(String, String)> = None;
    loop {
        let item = rustls_pki_types::pem::from_buf(&mut rd)
            .map_err(|e| in_file(TlsaGenError::Pem(format!("{e:?}"))))?;
        let Some((kind, der)) = item else { break };
        let one = |what: String, spki: String, key: &mut Option<(String, String)>| {
            if key.is_some() {
                return Err(in_file(TlsaGenError::TwoKeys));
            }
            *key = Some((spki, what));
            Ok(())
        };
        match kind {
            SectionKind::Certificate => certs.push(ChainCert::of_der(&der).map_err(in_file)?),
            SectionKind::PublicKey => {
                x509_parser::x509::SubjectPublicKeyInfo::from_der(&der)
                    .map_err(|e| in_file(TlsaGenError::PublicKey(e.to_string())))?;
                one("public key".into(), spki_sha256(&der), &mut key)?;
            }
            SectionKind::PrivateKey => {
                let pair = rcgen::KeyPair::try_from(der.as_slice())
                    .map_err(|e| in_file(TlsaGenError::PrivateKey(e.to_string())))?;
                one(
                    "private key".into(),
                    spki_sha256(&rcgen::PublicKeyData::subject_public_key_info(&pair)),
                    &mut key,
                )?;
            }
            SectionKind::RsaPrivateKey | SectionKind::EcPrivateKey => {
                return Err(in_file(TlsaGenError::NotPkcs8));
            }
            SectionKind::Csr => {
                let (_, csr) = X509CertificationRequest::from_der(&der)
                    .map_err(|e| in_file(TlsaGenError::Csr(e.to_string())))?;
                let info = &csr.certification_request_info;
                one(
                    format!("CSR ({})", info.subject),
                    spki_sha256(info.subject_pki.raw),
                    &mut key,
                )?;
            }
            _ => {}
        }
    }
    match (certs.is_empty(), key) {
        (true, None) => Err(in_file(TlsaGenError::Empty)),
        (false, Some(_)) => Err(in_file(TlsaGenError::ChainAndKey)),
        (false, None) => Ok(PemInput::Chain(certs)),
        (true, Some((spki_sha256, what))) => Ok(PemInput::Key { spki_sha256, what }),
    }
}

/// The records of a PEM file: a chain's `3 1 1` + `2 1 1`s (see [`from_chain`]) or a key's `3 1 1`.
pub fn from_pem_file(path: &Path, need_issuer: bool) -> Result<Vec<Computed>, TlsaGenError> {
    match read_pem(path)? {
        PemInput::Chain(c) => from_chain(&c, need_issuer).map_err(|e| TlsaGenError::InFile {
            file: path.display().to_string(),
            source: Box::new(e),
        }),
        PemInput::Key { spki_sha256, what } => Ok(vec![Computed {
            usage: 3,
            spki_sha256,
            what,
        }]),
    }
}

/// The `3 1 1` record of a key file (`next_key` of a design): a key, CSR or certificate (its leaf).
pub fn next_key_record(path: &Path) -> Result<String, TlsaGenError> {
    match read_pem(path)? {
        PemInput::Chain(c) => Ok(format!("3 1 1 {}", c[0].spki_sha256)),
        PemInput::Key { spki_sha256, .. } => Ok(format!("3 1 1 {spki_sha256}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cc(subject: &str, issuer: &str, spki: &str) -> ChainCert {
        ChainCert {
            subject: subject.into(),
            issuer: issuer.into(),
            spki_sha256: spki.into(),
            self_issued: subject == issuer,
        }
    }

    #[test]
    fn chain_records() {
        let got = from_chain(&[cc("L", "I", "aa"), cc("I", "R", "bb")], true).unwrap();
        assert_eq!(
            got.iter().map(Computed::record).collect::<Vec<_>>(),
            ["3 1 1 aa", "2 1 1 bb"]
        );
    }

    #[test]
    fn chain_without_issuer_is_refused() {
        let e = from_chain(&[cc("L", "I", "aa")], true).unwrap_err();
        assert!(e.to_string().contains("its issuer (I) is not in it"), "{e}");
        assert_eq!(from_chain(&[cc("L", "I", "aa")], false).unwrap().len(), 1);
        // Self-signed: nothing is missing.
        assert_eq!(from_chain(&[cc("L", "L", "aa")], true).unwrap().len(), 1);
    }

    #[test]
    fn chain_out_of_order_is_refused() {
        let e = from_chain(&[cc("L", "I", "aa"), cc("X", "R", "bb")], false).unwrap_err();
        assert!(
            e.to_string().contains("was not issued by the next one"),
            "{e}"
        );
    }

    #[test]
    fn key_cert_and_csr_agree() {
        let key = rcgen::KeyPair::generate().unwrap();
        let params = rcgen::CertificateParams::new(vec!["mx.example".to_string()]).unwrap();
        let csr = params.serialize_request(&key).unwrap();
        let cert = params.self_signed(&key).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: String| {
            let p = dir.path().join(name);
            std::fs::write(&p, text).unwrap();
            p
        };
        let k = write("k.pem", key.serialize_pem());
        let p = write("p.pem", key.public_key_pem());
        let r = write("r.pem", csr.pem().unwrap());
        let c = write("c.pem", cert.pem());
        let want = format!(
            "3 1 1 {}",
            spki_sha256(&rcgen::PublicKeyData::subject_public_key_info(&key))
        );
        for f in [&k, &p, &r, &c] {
            assert_eq!(next_key_record(f).unwrap(), want, "{}", f.display());
        }
        assert!(from_pem_file(&r, true).unwrap()[0].what.starts_with("CSR"));
        let both = write("b.pem", format!("{}{}", cert.pem(), key.serialize_pem()));
        assert!(
            read_pem(&both)
                .unwrap_err()
                .to_string()
                .contains("not both")
        );
        let none = write("n.pem", "hello".into());
        assert!(
            read_pem(&none)
                .unwrap_err()
                .to_string()
                .contains("no CERTIFICATE")
        );
    }
}
