//! DANE for SMTP (RFC 6698, RFC 7671, RFC 7672): does a TLSA RRset match the chain a relay sent?
//!
//! A pure function: no I/O, the time is a parameter. Only DANE-TA(2) and DANE-EE(3) are usable for
//! SMTP (RFC 7672 §3.1.3); PKIX-TA(0)/PKIX-EE(1) records are ignored as unusable. DANE-EE matches
//! the leaf's certificate or key and ignores names and expiry (RFC 7672 §3.1.1); DANE-TA needs a
//! certificate of the chain to match, a valid chain from the leaf to it, and a leaf that names the
//! host (RFC 7672 §3.1.2, §3.2).

pub use crate::model::probe_facts::dane::{DaneResult, DaneVerdict, Tlsa, TlsaError};
use rustls::RootCertStore;
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::ServerCertVerifier;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use sha2::{Digest, Sha256, Sha512};
use std::sync::Arc;
use x509_parser::prelude::{FromDer, X509Certificate};

/// Does this record's association data match this certificate (usage ignored)?
pub fn matches_cert(t: &Tlsa, der: &[u8]) -> bool {
    let selected: Vec<u8> = match t.selector {
        0 => der.to_vec(),
        1 => match X509Certificate::from_der(der) {
            Ok((_, c)) => c.public_key().raw.to_vec(),
            Err(_) => return false,
        },
        _ => return false,
    };
    match t.matching {
        0 => selected == t.data,
        1 => Sha256::digest(&selected).as_slice() == t.data.as_slice(),
        2 => Sha512::digest(&selected).as_slice() == t.data.as_slice(),
        _ => false,
    }
}

/// Judges a TLSA RRset against the chain as sent (`chain[0]` = leaf) for `host`.
///
/// `secure` must be true only when the TLSA RRset *and* the host's address RRsets validated as
/// DNSSEC-secure. `provider` checks DANE-TA chain signatures; `now` is the time for DANE-TA expiry.
pub fn judge(
    records: &[Tlsa],
    secure: bool,
    chain: &[CertificateDer<'_>],
    host: &str,
    now: UnixTime,
    provider: &Arc<rustls::crypto::CryptoProvider>,
) -> DaneResult {
    let res = |verdict, matched: Option<&Tlsa>, detail: String| DaneResult {
        verdict,
        matched: matched.map(|t| format!("{} {} {}", t.usage, t.selector, t.matching)),
        detail,
        ta_failure: None,
    };
    if !secure {
        return res(
            DaneVerdict::NotApplicable,
            None,
            "TLSA or address records not DNSSEC-secure: DANE does not apply".into(),
        );
    }
    let usable: Vec<&Tlsa> = records.iter().filter(|t| t.usable()).collect();
    if usable.is_empty() {
        let detail = if records.is_empty() {
            "no TLSA records".to_string()
        } else {
            "TLSA records present but none usable for SMTP (RFC 7672 §3.1.3)".to_string()
        };
        return res(DaneVerdict::NoTlsa, None, detail);
    }
    let Some(leaf) = chain.first() else {
        return res(DaneVerdict::Fail, None, "no certificate received".into());
    };
    for t in usable.iter().filter(|t| t.usage == 3) {
        if matches_cert(t, leaf.as_ref()) {
            return res(
                DaneVerdict::Valid,
                Some(t),
                "DANE-EE record matches the leaf".into(),
            );
        }
    }
    let mut ta_problem = None;
    for t in usable.iter().filter(|t| t.usage == 2) {
        for (i, ca) in chain.iter().enumerate().skip(1) {
            if !matches_cert(t, ca.as_ref()) {
                continue;
            }
            match chain_to_anchor(chain, i, host, now, provider) {
                Ok(()) => {
                    return res(
                        DaneVerdict::Valid,
                        Some(t),
                        format!("DANE-TA record matches chain certificate #{i}"),
                    );
                }
                Err(e) => ta_problem = Some(e.to_string()),
            }
        }
    }
    let has_ta = usable.iter().any(|t| t.usage == 2);
    let ta_failure = has_ta.then(|| match &ta_problem {
        Some(e) => format!(
            "the chain does not validate to the DANE-TA anchor for {host}: {e}"
        ),
        None => "the server does not send the certificate its DANE-TA record names; the trust anchor must be part of the chain it serves".to_string(),
    });
    let detail = match ta_problem {
        Some(e) => {
            format!("DANE-TA anchor found in the chain but the chain does not validate: {e}")
        }
        None => format!(
            "none of {} usable TLSA record(s) matches the chain sent",
            usable.len()
        ),
    };
    let mut r = res(DaneVerdict::Fail, None, detail);
    r.ta_failure = ta_failure;
    r
}

/// Validates leaf → ... → chain[anchor] with chain[anchor] as the only trust anchor (names and
/// validity checked, as RFC 7672 §3.1.2 requires for DANE-TA).
fn chain_to_anchor(
    chain: &[CertificateDer<'_>],
    anchor: usize,
    host: &str,
    now: UnixTime,
    provider: &Arc<rustls::crypto::CryptoProvider>,
) -> Result<(), TaError> {
    let mut roots = RootCertStore::empty();
    roots
        .add(chain[anchor].clone().into_owned())
        .map_err(|e| TaError::Anchor(e.to_string()))?;
    let verifier = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .build()
        .map_err(|e| TaError::Verifier(e.to_string()))?;
    let name = ServerName::try_from(host.trim_end_matches('.').to_string())
        .map_err(|e| TaError::HostName(e.to_string()))?;
    verifier
        .verify_server_cert(&chain[0], &chain[1..anchor], &name, &[], now)
        .map(|_| ())
        .map_err(|e| TaError::Chain(e.to_string()))
}

/// Why the chain does not validate to a DANE-TA anchor (PROBE-026's text).
#[derive(Debug, thiserror::Error)]
enum TaError {
    /// rustls refuses the anchor as a root.
    #[error("anchor unusable: {0}")]
    Anchor(String),
    /// The verifier could not be built.
    #[error("{0}")]
    Verifier(String),
    /// The host is not a valid server name.
    #[error("bad host name: {0}")]
    HostName(String),
    /// The chain does not validate to the anchor for the host.
    #[error("{0}")]
    Chain(String),
}

#[cfg(test)]
mod tests {
    use super::*;
    use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};

    struct Fx {
        ca: CertificateDer<'static>,
        leaf: CertificateDer<'static>,
        other: CertificateDer<'static>,
    }

    fn fixture(expired: bool) -> Fx {
        let ca_key = KeyPair::generate().unwrap();
        let mut ca_p = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let ca = ca_p.self_signed(&ca_key).unwrap();
        let issuer = Issuer::new(ca_p, ca_key);
        let key = KeyPair::generate().unwrap();
        let mut lp = CertificateParams::new(vec!["mx.dane.test".to_string()]).unwrap();
        if expired {
            lp.not_before = rcgen::date_time_ymd(2000, 1, 1);
            lp.not_after = rcgen::date_time_ymd(2001, 1, 1);
        }
        let leaf = lp.signed_by(&key, &issuer).unwrap();
        let okey = KeyPair::generate().unwrap();
        let other = CertificateParams::new(vec!["x.test".to_string()])
            .unwrap()
            .self_signed(&okey)
            .unwrap();
        Fx {
            ca: ca.der().clone(),
            leaf: leaf.der().clone(),
            other: other.der().clone(),
        }
    }

    fn rec(u: u8, s: u8, m: u8, der: &[u8]) -> Tlsa {
        let sel = if s == 0 {
            der.to_vec()
        } else {
            X509Certificate::from_der(der)
                .unwrap()
                .1
                .public_key()
                .raw
                .to_vec()
        };
        let data = match m {
            0 => sel,
            1 => Sha256::digest(&sel).to_vec(),
            _ => Sha512::digest(&sel).to_vec(),
        };
        Tlsa {
            usage: u,
            selector: s,
            matching: m,
            data,
        }
    }

    fn p() -> Arc<rustls::crypto::CryptoProvider> {
        Arc::new(rustls::crypto::ring::default_provider())
    }

    fn now() -> UnixTime {
        UnixTime::now()
    }

    #[test]
    fn dane_ee_all_selector_matching_combinations() {
        let f = fixture(true); // expired: DANE-EE ignores expiry and names
        for s in 0..=1 {
            for m in 0..=2 {
                let r = judge(
                    &[rec(3, s, m, &f.leaf)],
                    true,
                    std::slice::from_ref(&f.leaf),
                    "other.name",
                    now(),
                    &p(),
                );
                assert_eq!(r.verdict, DaneVerdict::Valid, "3 {s} {m}");
                assert_eq!(r.matched.as_deref(), Some(format!("3 {s} {m}").as_str()));
            }
        }
    }

    #[test]
    fn mismatch_fails_insecure_not_applicable_empty_no_tlsa() {
        let f = fixture(false);
        let chain = [f.leaf.clone(), f.ca.clone()];
        let bad = rec(3, 1, 1, &f.other);
        assert_eq!(
            judge(
                std::slice::from_ref(&bad),
                true,
                &chain,
                "mx.dane.test",
                now(),
                &p()
            )
            .verdict,
            DaneVerdict::Fail
        );
        assert_eq!(
            judge(&[bad], false, &chain, "mx.dane.test", now(), &p()).verdict,
            DaneVerdict::NotApplicable
        );
        assert_eq!(
            judge(&[], true, &chain, "mx.dane.test", now(), &p()).verdict,
            DaneVerdict::NoTlsa
        );
        // PKIX-EE(1) is unusable for SMTP even when it matches.
        let pkix_ee = rec(1, 1, 1, &f.leaf);
        assert_eq!(
            judge(&[pkix_ee], true, &chain, "mx.dane.test", now(), &p()).verdict,
            DaneVerdict::NoTlsa
        );
    }

    #[test]
    fn dane_ta_needs_anchor_in_chain_and_name() {
        let f = fixture(false);
        let ta = rec(2, 1, 1, &f.ca);
        let chain = [f.leaf.clone(), f.ca.clone()];
        let r = judge(
            std::slice::from_ref(&ta),
            true,
            &chain,
            "mx.dane.test",
            now(),
            &p(),
        );
        assert_eq!(r.verdict, DaneVerdict::Valid, "{}", r.detail);
        assert_eq!(r.ta_failure, None);
        // leaf only: anchor not sent (PROBE-026)
        let r = judge(
            std::slice::from_ref(&ta),
            true,
            std::slice::from_ref(&f.leaf),
            "mx.dane.test",
            now(),
            &p(),
        );
        assert_eq!(r.verdict, DaneVerdict::Fail);
        assert!(
            r.ta_failure
                .as_deref()
                .is_some_and(|e| e.contains("does not send")),
            "{r:?}"
        );
        // wrong name
        let r = judge(
            std::slice::from_ref(&ta),
            true,
            &chain,
            "wrong.dane.test",
            now(),
            &p(),
        );
        assert_eq!(r.verdict, DaneVerdict::Fail);
        assert!(r.detail.contains("does not validate"), "{}", r.detail);
        assert!(
            r.ta_failure
                .as_deref()
                .is_some_and(|e| e.contains("wrong.dane.test")),
            "{r:?}"
        );
        // 2 0 2 full-cert SHA-512 also works
        assert_eq!(
            judge(
                &[rec(2, 0, 2, &f.ca)],
                true,
                &chain,
                "mx.dane.test",
                now(),
                &p()
            )
            .verdict,
            DaneVerdict::Valid
        );
        // expired leaf fails DANE-TA (expiry is checked for TA)
        let g = fixture(true);
        let r = judge(
            &[rec(2, 1, 1, &g.ca)],
            true,
            &[g.leaf.clone(), g.ca.clone()],
            "mx.dane.test",
            now(),
            &p(),
        );
        assert_eq!(r.verdict, DaneVerdict::Fail);
    }

    #[test]
    fn parse_text() {
        let t = Tlsa::parse("3 1 1 0a0B 0c").unwrap();
        assert_eq!(
            (t.usage, t.selector, t.matching, t.data),
            (3, 1, 1, vec![10, 11, 12])
        );
        assert!(Tlsa::parse("3 1").is_err());
        assert!(Tlsa::parse("3 1 1 zz").is_err());
    }
}
