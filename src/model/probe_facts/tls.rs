//! The certificate facts of a probe: the PKIX verdict and one certificate as sent.

use serde::Serialize;

/// The PKIX verdict for the relay name (RFC 5280 path validation + RFC 9525 name check by webpki).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Pkix {
    /// Chains to a trusted root, in its validity period, names the relay.
    Valid,
    /// A certificate of the chain has expired.
    Expired,
    /// A certificate of the chain is not valid yet.
    NotYetValid,
    /// The leaf does not name the relay (SANs only; no CN fallback).
    NameMismatch,
    /// No path to a trusted root (unknown issuer or missing intermediates).
    Untrusted,
    /// A single self-signed certificate that is not a trusted root.
    SelfSigned,
    /// A signature in the chain does not verify.
    BadSignature,
    /// The certificate is not for TLS server authentication (EKU).
    WrongPurpose,
    /// The certificate was revoked.
    Revoked,
    /// The certificate could not be parsed or another PKIX error.
    Invalid,
}

/// The facts of one certificate as sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertInfo {
    /// Subject DN.
    pub subject: String,
    /// DNS and IP subject alternative names.
    pub sans: Vec<String>,
    /// Issuer DN.
    pub issuer: String,
    /// notBefore, RFC 3339.
    pub not_before: String,
    /// notAfter, RFC 3339.
    pub not_after: String,
    /// notAfter as Unix seconds (for expiry warnings).
    pub not_after_unix: i64,
    /// `RSA 2048`, `EC P-256`, `Ed25519`, ...
    pub key: String,
    /// Key size in bits (0 when unknown).
    pub key_bits: usize,
    /// Signature algorithm name (e.g. `sha256WithRSAEncryption`) or OID.
    pub signature_algorithm: String,
    /// SHA-256 of the whole certificate (hex).
    pub sha256: String,
    /// SHA-256 of the SubjectPublicKeyInfo (hex), as in TLSA `x 1 1`.
    pub spki_sha256: String,
    /// Subject equals issuer.
    pub self_issued: bool,
}
