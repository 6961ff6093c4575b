//! The facts of the live relay probes, as the rules read them and the JSON report shows them
//! (`probes`, `mta_sts`): what to probe, what each step found, the certificate, DANE, variant and
//! cipher facts, the MTA-STS policy fetch and the sender simulation. Data only: the dialogues,
//! handshakes and fetches that gather them live in `crate::probe`, which re-exports these types
//! under their old paths.

pub mod ciphers;
pub mod dane;
pub mod names;
pub mod report;
pub mod simulate;
pub mod sts;
pub mod tls;
pub mod vantage;
pub mod variants;

pub use report::{
    CertificateFacts, Connect, InjectionOutcome, ProbeReport, Problem, StsVerdict, Timings,
    TlsFacts, Verdict,
};

use crate::model::Role;
use serde::Serialize;
use std::net::IpAddr;

/// What the live probes of a domain found, for the rules ([`crate::rules::Input::probes`]).
#[derive(Debug, Clone, Default)]
pub struct ProbeFacts {
    /// One report per relay address.
    pub reports: Vec<ProbeReport>,
    /// The MTA-STS policy fetch, when the domain publishes `_mta-sts`.
    pub policy: Option<sts::PolicyFetch>,
}

impl ProbeFacts {
    /// The sender simulation (SOR-007) over `records` of `domain`, with the SRV RRset at `srv_owner`.
    pub fn simulate(
        &self,
        records: &crate::model::RecordSet,
        domain: &str,
        srv_owner: &str,
    ) -> simulate::Simulation {
        simulate::simulate(
            simulate::candidates(records, domain, srv_owner),
            &self.reports,
        )
    }
}

/// What to probe.
#[derive(Debug, Clone)]
pub struct ProbeTarget {
    /// The relay name DNS publishes (MX exchange or SRV target), used for SNI and the PKIX name check.
    pub host: String,
    /// The address to connect to.
    pub address: IpAddr,
    /// The port (25, 465, or the SRV port).
    pub port: u16,
    /// The expected role.
    pub role: Role,
    /// Implicit TLS (handshake right after connect) instead of STARTTLS.
    pub implicit_tls: bool,
    /// How the relay was found (`mx`, `srv`, `implicit-mx`, `cli`).
    pub via: Option<String>,
    /// TLSA records for `_<port>._tcp.<host>` and whether they (and the addresses) are DNSSEC-secure;
    /// `None` when nobody looked.
    pub tlsa: Option<TlsaInput>,
    /// The PTR names of the address (PROBE-004), looked up through the run's resolver settings;
    /// `None` when nobody looked.
    pub ptr: Option<names::PtrLookup>,
    /// Who names this relay address: the design, what DNS publishes, or both (`None` for a relay
    /// named on the command line).
    pub listed: Option<Listed>,
}

/// Who names a probed relay address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Listed {
    /// Only the design (not published, or published without this address).
    Design,
    /// Only DNS (the design does not list it, or there is no design).
    Published,
    /// The design and DNS.
    Both,
}

impl Listed {
    /// The word shown in reports and the window.
    pub fn as_str(self) -> &'static str {
        match self {
            Listed::Design => "design",
            Listed::Published => "published",
            Listed::Both => "both",
        }
    }
}

impl ProbeTarget {
    /// A STARTTLS probe (implicit TLS when the port is 465).
    pub fn new(host: impl Into<String>, address: IpAddr, port: u16, role: Role) -> Self {
        ProbeTarget {
            host: host.into(),
            address,
            port,
            role,
            implicit_tls: port == 465,
            via: None,
            tlsa: None,
            ptr: None,
            listed: None,
        }
    }
}

/// TLSA records as the live-DNS part found them.
#[derive(Debug, Clone)]
pub struct TlsaInput {
    /// The records.
    pub records: Vec<dane::Tlsa>,
    /// True only when the TLSA RRset and the host's address RRsets are DNSSEC-secure.
    pub secure: bool,
}

/// The steps of a probe, as streamed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// TCP connect.
    Connect,
    /// The 220 greeting.
    Greeting,
    /// EHLO in clear.
    Ehlo,
    /// `MAIL FROM:<>` in clear (role check).
    MailFrom,
    /// RSET.
    Rset,
    /// `VRFY postmaster` in clear, SOR only (PROBE-014).
    Vrfy,
    /// STARTTLS command.
    Starttls,
    /// TLS handshake.
    Tls,
    /// EHLO inside TLS.
    EhloTls,
    /// `MAIL FROM:<>` inside TLS.
    MailFromTls,
    /// QUIT.
    Quit,
    /// The STARTTLS command-injection test connection.
    Injection,
    /// A pause before retrying an inconclusive attempt.
    Retry,
    /// A vantage-point connection from another source address (PROBE-012).
    Vantage,
    /// An extra handshake in its own connection (SNI or key-type variant, PROBE-024 / TLSA-015).
    TlsVariant,
    /// One extra handshake (weak cipher class or old TLS version; PROBE-017/018).
    Cipher,
}
