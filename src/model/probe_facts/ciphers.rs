//! The weak-cipher and old-version test facts (PROBE-017/018): the classes offered, what came back,
//! and the weakness of an accepted suite (from tls-parser's IANA table). The handshakes themselves
//! run in `crate::probe::ciphers`.

use serde::Serialize;
use tls_parser::{TlsCipherAu, TlsCipherEnc, TlsCipherKx, TlsCipherSuite};

/// What one extra handshake offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CipherClass {
    /// NULL, EXPORT, RC4, RC2, single DES and every other suite below 112 bits (authenticated key
    /// exchange): PROBE-018 error when accepted.
    Broken,
    /// Anonymous key exchange (DH_anon, ECDH_anon) and nothing else. Accepted = PROBE-018 info:
    /// Postfix's deliberate default for opportunistic TLS; a verifying sender never offers aNULL.
    Anonymous,
    /// Authenticated ECDHE AES-GCM suites first, then DH_anon and ECDH_anon: a server that still
    /// *chooses* the anonymous suite leaves an opportunistic sender unauthenticated although it
    /// could have authenticated the server (PROBE-018 error).
    Mixed,
    /// 3DES (64-bit block, Sweet32): PROBE-018 warning.
    #[serde(rename = "3des")]
    TripleDes,
    /// Static RSA key exchange `TLS_RSA_WITH_*` (no forward secrecy): PROBE-018 warning.
    StaticRsa,
    /// Strong DHE suites only, to read the server's DH group size (below 2048 bits: warning).
    Dhe,
    /// A TLS 1.0 ClientHello with ordinary suites (PROBE-017).
    #[serde(rename = "tls1.0")]
    Tls10,
    /// A TLS 1.1 ClientHello with ordinary suites (PROBE-017).
    #[serde(rename = "tls1.1")]
    Tls11,
}

/// Every class, in the order the tests run.
pub const CLASSES: [CipherClass; 8] = [
    CipherClass::Broken,
    CipherClass::Anonymous,
    CipherClass::Mixed,
    CipherClass::TripleDes,
    CipherClass::StaticRsa,
    CipherClass::Dhe,
    CipherClass::Tls10,
    CipherClass::Tls11,
];

impl CipherClass {
    /// Short name (`3des`), as in the JSON report.
    pub fn name(self) -> &'static str {
        match self {
            CipherClass::Broken => "broken",
            CipherClass::Anonymous => "anonymous",
            CipherClass::Mixed => "mixed",
            CipherClass::TripleDes => "3des",
            CipherClass::StaticRsa => "static-rsa",
            CipherClass::Dhe => "dhe",
            CipherClass::Tls10 => "tls1.0",
            CipherClass::Tls11 => "tls1.1",
        }
    }

    /// Transcript prefix of the test's connection.
    /// The transcript prefix of the test's connection.
    pub fn prefix(self) -> &'static str {
        match self {
            CipherClass::Broken => "[cipher broken] ",
            CipherClass::Anonymous => "[cipher anonymous] ",
            CipherClass::Mixed => "[cipher mixed] ",
            CipherClass::TripleDes => "[cipher 3des] ",
            CipherClass::StaticRsa => "[cipher static-rsa] ",
            CipherClass::Dhe => "[cipher dhe] ",
            CipherClass::Tls10 => "[cipher tls1.0] ",
            CipherClass::Tls11 => "[cipher tls1.1] ",
        }
    }

    /// The ClientHello's `client_version`.
    pub fn hello_version(self) -> u16 {
        match self {
            CipherClass::Tls10 => 0x0301,
            CipherClass::Tls11 => 0x0302,
            _ => 0x0303,
        }
    }

    /// The suites offered, in the ClientHello's order: IANA ids ascending, taken from
    /// tls-parser's IANA table, except for `mixed`, whose order is its point.
    pub fn suites(self) -> Vec<u16> {
        if self == CipherClass::Mixed {
            return MIXED_SUITES.to_vec();
        }
        let mut v: Vec<u16> = match self {
            CipherClass::Tls10 | CipherClass::Tls11 => vec![
                0xc009, 0xc00a, // ECDHE_ECDSA AES-CBC-SHA
                0xc013, 0xc014, // ECDHE_RSA AES-CBC-SHA
                0x0033, 0x0039, // DHE_RSA AES-CBC-SHA
                0x002f, 0x0035, // RSA AES-CBC-SHA
            ],
            _ => tls_parser::CIPHERS
                .values()
                .filter(|s| self.offers(s))
                .map(|s| s.id.0)
                .collect(),
        };
        v.sort_unstable();
        v
    }

    fn offers(self, s: &TlsCipherSuite) -> bool {
        let authenticated_kx = matches!(
            s.kx,
            TlsCipherKx::Rsa
                | TlsCipherKx::Dh
                | TlsCipherKx::Dhe
                | TlsCipherKx::Ecdh
                | TlsCipherKx::Ecdhe
        ) && matches!(
            s.au,
            TlsCipherAu::Rsa | TlsCipherAu::Dss | TlsCipherAu::Ecdsa
        );
        let strong_enc = matches!(
            s.enc,
            TlsCipherEnc::Aes
                | TlsCipherEnc::Chacha20_Poly1305
                | TlsCipherEnc::Camellia
                | TlsCipherEnc::Aria
        ) && s.enc_size >= 128;
        match self {
            CipherClass::Broken => authenticated_kx && is_broken_enc(s),
            CipherClass::Anonymous => {
                s.au == TlsCipherAu::Null
                    && matches!(
                        s.kx,
                        TlsCipherKx::Dh | TlsCipherKx::Ecdh | TlsCipherKx::Aecdh
                    )
            }
            CipherClass::TripleDes => authenticated_kx && s.enc == TlsCipherEnc::TripleDes,
            CipherClass::StaticRsa => {
                s.kx == TlsCipherKx::Rsa && s.au == TlsCipherAu::Rsa && strong_enc
            }
            CipherClass::Dhe => {
                s.kx == TlsCipherKx::Dhe
                    && matches!(s.au, TlsCipherAu::Rsa | TlsCipherAu::Dss)
                    && strong_enc
            }
            CipherClass::Mixed | CipherClass::Tls10 | CipherClass::Tls11 => false,
        }
    }
}

/// The `mixed` ClientHello: authenticated ECDHE AES-GCM suites in the client's order of
/// preference, then the anonymous ones, as every real opportunistic client lists them (Postfix's
/// `aNULL:-aNULL:HIGH:…` puts aNULL last, OpenSSL's DEFAULT leaves it out). A server honouring the
/// client's order (Postfix's default `tls_preempt_cipherlist = no`) picks an authenticated suite;
/// only a server whose own preference ranks anonymous suites first picks one of the last two.
/// (Anonymous listed *first* would make every default Postfix pick it — it follows the client —
/// and no real sender sends such a hello.)
pub const MIXED_SUITES: [u16; 6] = [
    0xc02b, // TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
    0xc02f, // TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
    0xc02c, // TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384
    0xc030, // TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384
    0x0034, // TLS_DH_anon_WITH_AES_128_CBC_SHA
    0xc018, // TLS_ECDH_anon_WITH_AES_128_CBC_SHA
];

/// True for anonymous (aNULL) key exchange suites (TLS 1.3 suites name no key exchange).
pub fn is_anonymous(suite_id: u16) -> bool {
    TlsCipherSuite::from_id(suite_id)
        .is_some_and(|s| s.au == TlsCipherAu::Null && s.kx != TlsCipherKx::Tls13)
}

/// NULL, RC4, RC2, DES, EXPORT, or an effective key below 112 bits.
fn is_broken_enc(s: &TlsCipherSuite) -> bool {
    matches!(
        s.enc,
        TlsCipherEnc::Null | TlsCipherEnc::Rc4 | TlsCipherEnc::Rc2 | TlsCipherEnc::Des
    ) || s.name.contains("EXPORT")
        || (s.enc != TlsCipherEnc::TripleDes && s.enc_size < 112)
}

/// How one extra handshake ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "result", rename_all = "kebab-case")]
pub enum CipherOutcome {
    /// The server answered with a ServerHello.
    Accepted {
        /// IANA name of the chosen suite (`TLS_RSA_WITH_3DES_EDE_CBC_SHA`), or its id in hex.
        suite: String,
        /// The chosen suite's id.
        suite_id: u16,
        /// The ServerHello version (`TLSv1.0` … `TLSv1.2`).
        version: String,
        /// Bits of the DH prime in the ServerKeyExchange (DHE suites), when it was read.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        dh_bits: Option<u32>,
    },
    /// The server answered with an alert.
    Refused {
        /// The alert description (`HandshakeFailure`).
        alert: String,
    },
    /// The server closed the connection without a TLS answer (a refusal too).
    Closed,
    /// No answer could be had (connect failure, SMTP refusal before STARTTLS, timeout, garbage).
    Inconclusive {
        /// Why.
        reason: String,
    },
}

/// One extra handshake: what was offered, what came back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CipherTest {
    /// The class offered.
    pub class: CipherClass,
    /// The ClientHello version offered (`TLSv1.2`).
    pub offered_version: String,
    /// How many suites were offered.
    pub offered_suites: usize,
    /// What happened.
    pub outcome: CipherOutcome,
    /// Milliseconds the connection took.
    pub ms: u64,
}

/// `TLSv1.2` for 0x0303.
pub fn version_name(v: u16) -> String {
    match v {
        0x0300 => "SSLv3".into(),
        0x0301 => "TLSv1.0".into(),
        0x0302 => "TLSv1.1".into(),
        0x0303 => "TLSv1.2".into(),
        0x0304 => "TLSv1.3".into(),
        v => format!("0x{v:04x}"),
    }
}

/// `TLS_RSA_WITH_RC4_128_SHA`, or `0x0005` when the table does not know the id.
pub fn suite_name(id: u16) -> String {
    TlsCipherSuite::from_id(id)
        .map(|s| s.name.to_string())
        .unwrap_or_else(|| format!("0x{id:04x}"))
}

/// One line for the step event: `3des: refused (HandshakeFailure)`.
pub fn describe(test: &CipherTest) -> String {
    let what = match &test.outcome {
        CipherOutcome::Accepted { suite, version, .. } => format!("accepted {version} {suite}"),
        CipherOutcome::Refused { alert } => format!("refused ({alert})"),
        CipherOutcome::Closed => "refused (connection closed)".into(),
        CipherOutcome::Inconclusive { reason } => format!("inconclusive ({reason})"),
    };
    format!("{}: {what}", test.class.name())
}

/// What makes an accepted suite weak: facts about the suite, for PROBE-018 to grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weakness {
    /// Anonymous (unauthenticated) key exchange.
    Anonymous,
    /// No encryption (NULL).
    NullEncryption,
    /// EXPORT-grade.
    Export,
    /// RC4.
    Rc4,
    /// RC2.
    Rc2,
    /// Single DES.
    Des,
    /// 3DES (64-bit block).
    TripleDes,
    /// Fewer than 112 bits of encryption key.
    ShortKey(u16),
    /// Static key exchange (RSA, DH, ECDH): no forward secrecy.
    StaticKeyExchange,
    /// A DHE group below 2048 bits (its size).
    SmallDhGroup(u32),
}

/// The first weakness of an accepted suite, in order of gravity (`None` = fine, or unknown id).
pub fn weakness(suite_id: u16, dh_bits: Option<u32>) -> Option<Weakness> {
    let s = TlsCipherSuite::from_id(suite_id)?;
    if is_anonymous(suite_id) {
        return Some(Weakness::Anonymous);
    }
    if s.enc == TlsCipherEnc::Null {
        return Some(Weakness::NullEncryption);
    }
    if s.name.contains("EXPORT") {
        return Some(Weakness::Export);
    }
    match s.enc {
        TlsCipherEnc::Rc4 => return Some(Weakness::Rc4),
        TlsCipherEnc::Rc2 => return Some(Weakness::Rc2),
        TlsCipherEnc::Des => return Some(Weakness::Des),
        TlsCipherEnc::TripleDes => return Some(Weakness::TripleDes),
        _ => {}
    }
    if s.enc_size < 112 {
        return Some(Weakness::ShortKey(s.enc_size));
    }
    if matches!(s.kx, TlsCipherKx::Rsa | TlsCipherKx::Dh | TlsCipherKx::Ecdh) {
        return Some(Weakness::StaticKeyExchange);
    }
    if s.kx == TlsCipherKx::Dhe
        && let Some(b) = dh_bits
        && b < 2048
    {
        return Some(Weakness::SmallDhGroup(b));
    }
    None
}

/// True when the server accepted something the PROBE-017/018 rules report as a warning or an
/// error (for the step event's `ok`): an old version it was offered, or a weak suite — except an
/// anonymous suite from the anonymous-only hello, which is Postfix's default (info).
pub fn is_finding(test: &CipherTest) -> bool {
    let CipherOutcome::Accepted {
        suite_id,
        version,
        dh_bits,
        ..
    } = &test.outcome
    else {
        return false;
    };
    let old = matches!(test.class, CipherClass::Tls10 | CipherClass::Tls11)
        && version_name(test.class.hello_version()) == *version;
    let weak = match weakness(*suite_id, *dh_bits) {
        None => false,
        Some(Weakness::Anonymous) => test.class != CipherClass::Anonymous,
        Some(_) => true,
    };
    old || weak
}
