//! The SNI and key-type variant facts (PROBE-024, TLSA-015); the handshakes run in
//! `crate::probe::variants`.

use super::dane::DaneVerdict;
use serde::Serialize;

/// The SNI name of the "unknown name" variant: no server can have a certificate for it.
pub const UNKNOWN_SNI: &str = "unknown.secmx-probe.invalid";

/// Which extra handshake.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum VariantKind {
    /// No SNI extension at all (PROBE-024).
    SniNone,
    /// SNI = [`UNKNOWN_SNI`] (PROBE-024).
    SniUnknown,
    /// Only RSA signature schemes offered (TLSA-015).
    RsaOnly,
    /// Only ECDSA signature schemes offered (TLSA-015).
    EcdsaOnly,
}

impl VariantKind {
    /// Every variant, in the order they run.
    pub const ALL: [VariantKind; 4] = [
        VariantKind::SniNone,
        VariantKind::SniUnknown,
        VariantKind::RsaOnly,
        VariantKind::EcdsaOnly,
    ];

    /// `sni-none`, `sni-unknown`, `rsa-only`, `ecdsa-only`.
    pub fn label(self) -> &'static str {
        match self {
            VariantKind::SniNone => "sni-none",
            VariantKind::SniUnknown => "sni-unknown",
            VariantKind::RsaOnly => "rsa-only",
            VariantKind::EcdsaOnly => "ecdsa-only",
        }
    }

    /// The transcript prefix of the variant's connection.
    pub fn prefix(self) -> &'static str {
        match self {
            VariantKind::SniNone => "[sni-none] ",
            VariantKind::SniUnknown => "[sni-unknown] ",
            VariantKind::RsaOnly => "[rsa-only] ",
            VariantKind::EcdsaOnly => "[ecdsa-only] ",
        }
    }

    /// The key type a key-type variant asks for.
    pub fn key_type(self) -> Option<KeyType> {
        match self {
            VariantKind::RsaOnly => Some(KeyType::Rsa),
            VariantKind::EcdsaOnly => Some(KeyType::Ecdsa),
            _ => None,
        }
    }

    /// A SNI variant (PROBE-024).
    pub fn is_sni(self) -> bool {
        matches!(self, VariantKind::SniNone | VariantKind::SniUnknown)
    }
}

/// A key type a client can ask for through the signature schemes it offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyType {
    /// RSA (PKCS#1 v1.5 and PSS).
    Rsa,
    /// ECDSA.
    Ecdsa,
}

impl KeyType {
    /// `RSA`, `ECDSA`.
    pub fn name(self) -> &'static str {
        match self {
            KeyType::Rsa => "RSA",
            KeyType::Ecdsa => "ECDSA",
        }
    }

    /// Is a key as `crate::probe::tls::cert_info` names it (`RSA 2048`, `EC P-256`) of this type?
    pub fn is(self, key: &str) -> bool {
        match self {
            KeyType::Rsa => key.starts_with("RSA"),
            KeyType::Ecdsa => key.starts_with("EC "),
        }
    }
}

/// How an extra handshake ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum VariantOutcome {
    /// The handshake completed.
    Completed,
    /// The handshake failed (an alert, a closed connection): see `error`.
    Failed,
    /// The connection did not get as far as a handshake, or the handshake timed out.
    Inconclusive,
}

/// What one extra handshake found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VariantFacts {
    /// Which variant.
    pub variant: VariantKind,
    /// The SNI name sent (`null` = no SNI extension).
    pub sni: Option<String>,
    /// What the client offered (`all signature schemes`, `RSA signature schemes only`, ...).
    pub offered: String,
    /// completed / failed / inconclusive.
    pub outcome: VariantOutcome,
    /// The handshake error (alert text) or why the connection stopped before the handshake.
    #[serde(default)]
    pub error: Option<String>,
    /// `TLSv1.3` / `TLSv1.2` when completed.
    #[serde(default)]
    pub version: Option<String>,
    /// The cipher suite when completed.
    #[serde(default)]
    pub cipher: Option<String>,
    /// The leaf's key (`RSA 2048`, `EC P-256`), when a certificate arrived.
    #[serde(default)]
    pub leaf_key: Option<String>,
    /// SHA-256 of the leaf's SubjectPublicKeyInfo (hex, as in TLSA `x 1 1`).
    #[serde(default)]
    pub leaf_spki_sha256: Option<String>,
    /// Certificates sent.
    #[serde(default)]
    pub chain_length: usize,
    /// DANE verdict for this chain (key-type variants, when the target has TLSA input).
    #[serde(default)]
    pub dane: Option<DaneVerdict>,
    /// The DANE judge's sentence.
    #[serde(default)]
    pub dane_detail: Option<String>,
    /// A fact in words (`no ECDSA certificate`, `second key: RSA 2048`).
    #[serde(default)]
    pub note: Option<String>,
    /// Milliseconds for the whole connection.
    #[serde(default)]
    pub ms: u64,
}

impl VariantFacts {
    /// One line for the step event.
    pub fn summary(&self) -> String {
        let mut s = format!("{}: ", self.variant.label());
        match self.outcome {
            VariantOutcome::Completed => s.push_str(&format!(
                "completed {} {}",
                self.version.as_deref().unwrap_or("?"),
                self.leaf_key.as_deref().unwrap_or("?")
            )),
            VariantOutcome::Failed => {
                s.push_str(&format!("failed: {}", self.error.as_deref().unwrap_or("?")))
            }
            VariantOutcome::Inconclusive => s.push_str(&format!(
                "inconclusive: {}",
                self.error.as_deref().unwrap_or("?")
            )),
        }
        if let Some(n) = &self.note {
            s.push_str(&format!(" ({n})"));
        }
        s
    }
}

/// `ECDSA P-256` for `EC P-256`; other names as they are.
pub fn key_name(key: &str) -> String {
    match key.strip_prefix("EC ") {
        Some(curve) => format!("ECDSA {curve}"),
        None => key.to_string(),
    }
}
