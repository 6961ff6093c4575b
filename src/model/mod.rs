//! The design of one mail domain, as validated domain types.
//!
//! The design file and the GUI edit raw text; [`crate::project`] parses it into a [`Design`]. Values
//! that a *rule* judges (an MX preference of 70000, a 64-octet label, a TLSA string with a bad digest
//! length) are kept as they were written — wide integers and normalised strings — so the rule engine
//! is the one place that reports them, with a rule id, and the GUI can show the error next to the field.
//! Values that no rule covers and that cannot be represented at all (a level of 7, an unknown role)
//! are rejected by the parser with a precise error instead.

mod index;
pub mod name;
pub mod probe_facts;
pub mod published;
pub mod records;
pub mod render;
pub mod rtype;
pub mod sample;
mod severity;
pub mod spf;
pub mod sts;
pub mod text;

use serde::{Deserialize, Serialize};
use std::net::IpAddr;

pub use name::{DomainName, NameError, dkim_selector_error, normalize_name};
pub use records::{Origin, RData, Record, RecordSet};
pub use rtype::RecordType;
pub use severity::{Severity, Summary};

/// The owner name of a DKIM selector's key record, `<selector>._domainkey.<domain>` (RFC 6376
/// §3.6.2.1): what the design names and what the live lookups ask.
pub fn dkim_key_owner(selector: &str, domain: &str) -> String {
    format!("{selector}._domainkey.{domain}")
}

/// Default SRV service label for SecMX Level 2 discovery (the SRV label convention: README, "SecMX in one minute").
pub const DEFAULT_SRV_LABEL: &str = "_secmx";
/// Default TTL of everything emitted when the design names none.
pub const DEFAULT_TTL: i64 = 3600;

/// SecMX level the domain declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Level {
    /// Level 1: every relay is a Best Effort Receiver listed in MX.
    #[default]
    L1,
    /// Level 2: Secure Only Receivers are also published by SRV.
    L2,
}

impl Level {
    /// The number used in the design file (`level = 1|2`).
    pub fn number(self) -> u8 {
        match self {
            Level::L1 => 1,
            Level::L2 => 2,
        }
    }
}

/// Which rule profile applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// Plain SecMX.
    #[default]
    Secmx,
    /// New Zealand Secure Government Email: raises the rules marked `→error(SGE)`.
    Sge,
}

impl Profile {
    /// The spelling used in files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Profile::Secmx => "secmx",
            Profile::Sge => "sge",
        }
    }
}

/// The role a relay plays (SecMX §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Best Effort Receiver: in MX, offers STARTTLS, still accepts plaintext.
    Ber,
    /// Secure Only Receiver: never in MX, published by SRV, refuses mail without TLS.
    Sor,
}

impl Role {
    /// The spelling used in files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Ber => "ber",
            Role::Sor => "sor",
        }
    }
}

/// One mail relay of the design.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Relay {
    /// Host name, lower case, A-label form where it was valid IDNA, no trailing dot.
    pub host: String,
    /// BER or SOR.
    pub role: Role,
    /// TCP port (SRV port for an SOR; a BER listed in MX is always reached on 25).
    pub port: i64,
    /// MX preference (BER).
    pub preference: i64,
    /// SRV priority (SOR, or a BER with `also_srv`).
    pub priority: i64,
    /// SRV weight.
    pub weight: i64,
    /// A BER that is also listed under the SecMX SRV label.
    pub also_srv: bool,
    /// Addresses to publish as A/AAAA when the host is inside the domain.
    pub addresses: Vec<IpAddr>,
    /// TLSA records for `_<port>._tcp.<host>`, in presentation form (`3 1 1 <hex>`).
    pub tlsa: Vec<String>,
    /// The next key's TLSA records (`3 1 1 <hex>`), for a key rollover: published beside the
    /// current ones before the relay switches keys (TLSA-017).
    #[serde(default)]
    pub next_tlsa: Vec<String>,
    /// A PEM file with the next key (private or public key, CSR or certificate), as written in the
    /// design (relative to the design file).
    #[serde(default)]
    pub next_key: Option<String>,
    /// The `3 1 1` record of [`Relay::next_key`] as read when the design was loaded, or why it could
    /// not be read; `None` when there is no `next_key` or the design was parsed from text alone.
    #[serde(skip)]
    pub next_key_record: Option<Result<String, String>>,
}

impl Relay {
    /// A relay with the usual defaults for its role.
    pub fn new(host: impl Into<String>, role: Role) -> Self {
        Relay {
            host: host.into(),
            role,
            port: 25,
            preference: 10,
            priority: 10,
            weight: 0,
            also_srv: false,
            addresses: Vec::new(),
            tlsa: Vec::new(),
            next_tlsa: Vec::new(),
            next_key: None,
            next_key_record: None,
        }
    }

    /// The next key's records: `next_tlsa` and the record of `next_key` (when it could be read),
    /// normalised (`3 1 1 <lower-case hex>`), without duplicates.
    pub fn next_records(&self) -> Vec<String> {
        let mut v: Vec<String> = Vec::new();
        let from_key = match &self.next_key_record {
            Some(Ok(r)) => Some(r.clone()),
            _ => None,
        };
        for r in self.next_tlsa.iter().cloned().chain(from_key) {
            let n = normalize_tlsa(&r);
            if !v.contains(&n) {
                v.push(n);
            }
        }
        v
    }

    /// Whether this relay is listed in MX.
    pub fn in_mx(&self) -> bool {
        self.role == Role::Ber
    }

    /// Whether this relay is listed under the SecMX SRV label.
    pub fn in_srv(&self) -> bool {
        self.role == Role::Sor || self.also_srv
    }

    /// The port TLSA records are published for (`_<port>._tcp.<host>`): 25 for an MX host, the SRV port
    /// for an SOR.
    pub fn tlsa_port(&self) -> i64 {
        match self.role {
            Role::Ber => 25,
            Role::Sor => self.port,
        }
    }
}

/// A TLSA record in one spelling for comparisons: fields separated by one space, the data as one
/// lower-case hex string.
pub fn normalize_tlsa(text: &str) -> String {
    let mut it = text.split_whitespace();
    let head: Vec<&str> = it.by_ref().take(3).collect();
    let data: String = it.collect::<String>().to_ascii_lowercase();
    if data.is_empty() {
        head.join(" ")
    } else {
        format!("{} {data}", head.join(" "))
    }
}

/// MTA-STS policy mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StsMode {
    /// Senders refuse delivery that fails the policy.
    Enforce,
    /// Senders only report.
    Testing,
    /// Policy withdrawn.
    None,
}

impl StsMode {
    /// The spelling in the policy file.
    pub fn as_str(self) -> &'static str {
        match self {
            StsMode::Enforce => "enforce",
            StsMode::Testing => "testing",
            StsMode::None => "none",
        }
    }
}

/// MTA-STS settings of the design.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MtaSts {
    /// Policy mode.
    pub mode: StsMode,
    /// `max_age` in seconds.
    pub max_age: i64,
    /// Policy id for the `_mta-sts` TXT record; `None` = derived from the policy text.
    pub id: Option<String>,
    /// `mx:` patterns; empty = the BER hosts.
    pub mx: Vec<String>,
    /// SHA-256 (hex) of the policy text that `id` was issued for: the history STS-021 needs to tell
    /// "body changed, id unchanged". Written by the builder, not by hand.
    pub policy_sha256: Option<String>,
}

/// TLS-RPT settings of the design.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TlsRpt {
    /// Report destinations (`mailto:` or `https:` URIs).
    pub rua: Vec<String>,
}

/// SGE profile texts (only read with `profile = "sge"`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct SgeTexts {
    /// The apex SPF TXT text.
    pub spf: Option<String>,
    /// The `_dmarc` TXT text.
    pub dmarc: Option<String>,
    /// DKIM selectors the agency signs with (SGE-005 looks up `<selector>._domainkey.<domain>`):
    /// normalised (trimmed, lower case), each a valid name per [`dkim_selector_error`].
    #[serde(default)]
    pub dkim_selectors: Vec<String>,
}

/// A whole design: what one mail domain should publish.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Design {
    /// The mail domain (A-label form, lower case, no trailing dot).
    pub domain: DomainName,
    /// Level 1 or 2.
    pub level: Level,
    /// Rule profile.
    pub profile: Profile,
    /// SRV service label, e.g. `_secmx`.
    pub srv_label: String,
    /// Default TTL for everything emitted.
    pub ttl: i64,
    /// The domain receives no mail (`MX 0 .`).
    pub null_mx: bool,
    /// The relays.
    pub relays: Vec<Relay>,
    /// MTA-STS, if deployed.
    pub mta_sts: Option<MtaSts>,
    /// TLS-RPT, if deployed.
    pub tls_rpt: Option<TlsRpt>,
    /// SGE texts.
    pub sge: Option<SgeTexts>,
    /// The domain is a test domain: documentation/private addresses and special-use TLDs are allowed
    /// (MX-005, MX-006 stay quiet).
    pub test_domain: bool,
    /// The domain deliberately accepts only secure mail (Level 2 without any BER, SOR-004 / Q5).
    pub secure_only: bool,
}

impl Design {
    /// An empty Level 1 design for a domain.
    pub fn new(domain: DomainName) -> Self {
        Design {
            domain,
            level: Level::L1,
            profile: Profile::Secmx,
            srv_label: DEFAULT_SRV_LABEL.to_string(),
            ttl: DEFAULT_TTL,
            null_mx: false,
            relays: Vec::new(),
            mta_sts: None,
            tls_rpt: None,
            sge: None,
            test_domain: false,
            secure_only: false,
        }
    }

    /// The SecMX SRV owner name, `_secmx._tcp.<domain>`.
    pub fn srv_owner(&self) -> String {
        format!("{}._tcp.{}", self.srv_label, self.domain.as_str())
    }

    /// Hosts listed in MX, in design order.
    pub fn mx_hosts(&self) -> impl Iterator<Item = &str> {
        self.relays
            .iter()
            .filter(|r| r.in_mx())
            .map(|r| r.host.as_str())
    }

    /// The `mx:` patterns of the MTA-STS policy: the configured ones, or the BER hosts.
    pub fn sts_mx_patterns(&self) -> Vec<String> {
        match &self.mta_sts {
            Some(s) if !s.mx.is_empty() => s.mx.clone(),
            _ => {
                let mut seen = rustc_hash::FxHashSet::default();
                self.mx_hosts()
                    .filter(|h| seen.insert(*h))
                    .map(str::to_string)
                    .collect()
            }
        }
    }
}
