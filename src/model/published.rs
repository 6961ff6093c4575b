//! The live DNS facts the rules read: one question and its answer ([`RRset`], with its DNSSEC proof
//! and how the query ended), and the domain as DNS publishes it ([`Published`]). Data only: the
//! queries that gather them run in `crate::resolve`, which re-exports these types.

use crate::model::{RData, Record, RecordSet, RecordType, normalize_name};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// The DNSSEC proof of an answer (RFC 4033 §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dnssec {
    /// A chain of trust from an anchor validates the answer.
    Secure,
    /// Provably unsigned (no DS at a delegation on the way).
    Insecure,
    /// Should validate but does not (expired or wrong signatures, missing keys).
    Bogus,
    /// Could not be determined (lookup failed, or validation off).
    Indeterminate,
}

impl Dnssec {
    /// Lower-case name as in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Dnssec::Secure => "secure",
            Dnssec::Insecure => "insecure",
            Dnssec::Bogus => "bogus",
            Dnssec::Indeterminate => "indeterminate",
        }
    }
}

/// How a query ended; each is a different fact for the administrator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// NOERROR with data.
    Ok,
    /// The name does not exist.
    Nxdomain,
    /// The name exists but has no data of this type.
    Nodata,
    /// The server failed (or a validating resolver rejected bogus data).
    Servfail,
    /// The server refused to answer (not authoritative, or policy).
    Refused,
    /// Nothing answered in time.
    Timeout,
    /// Any other failure (other response codes, transport errors).
    Error,
}

impl Status {
    /// Lower-case name as in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Nxdomain => "nxdomain",
            Status::Nodata => "nodata",
            Status::Servfail => "servfail",
            Status::Refused => "refused",
            Status::Timeout => "timeout",
            Status::Error => "error",
        }
    }

    /// A definite answer (data, or a proof that there is none); failures are not.
    pub fn is_answer(self) -> bool {
        matches!(self, Status::Ok | Status::Nxdomain | Status::Nodata)
    }
}

/// One question asked and what came back.
#[derive(Debug, Clone, Serialize)]
pub struct RRset {
    /// Owner name asked, fully qualified (with the final dot).
    pub name: String,
    /// Record type asked (written as its mnemonic, `"TLSA"`).
    #[serde(rename = "type")]
    pub rtype: RecordType,
    /// The records of that type at that name, in presentation form (sorted).
    pub records: Vec<String>,
    /// TTL of the RRset (the smallest one seen); `null` when there is no data.
    pub ttl: Option<u32>,
    /// DNSSEC proof.
    pub dnssec: Dnssec,
    /// How the query ended.
    pub status: Status,
    /// A CNAME found at the name (the answer went through an alias; not silently followed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cname: Option<String>,
    /// What went wrong, for failures.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// How long the query took, in milliseconds.
    pub ms: f64,
    /// Every useful answer record with its real owner (CNAMEs and what is at the end of the chain).
    #[serde(skip)]
    pub answers: Vec<Record>,
}

impl RRset {
    /// The owner name normalised (no final dot, lower case).
    pub fn owner(&self) -> String {
        crate::model::normalize_name(&self.name)
    }

    /// The records' data at the owner (not through a CNAME).
    pub fn data(&self) -> impl Iterator<Item = &RData> {
        let owner = self.owner();
        self.answers
            .iter()
            .filter(move |r| r.name == owner && r.data.is_type(self.rtype.as_str()))
            .map(|r| &r.data)
    }

    /// The addresses of the answer at the owner (what [`RRset::records`] lists as text), typed:
    /// no reader parses the text back into addresses. See [`resolved_addresses`] for the ones at
    /// the end of a CNAME chain too.
    pub fn addresses(&self) -> impl Iterator<Item = std::net::IpAddr> + '_ {
        self.data().filter_map(|d| match *d {
            RData::A(a) => Some(std::net::IpAddr::V4(a)),
            RData::Aaaa(a) => Some(std::net::IpAddr::V6(a)),
            _ => None,
        })
    }
}

/// The domain as DNS publishes it now.
#[derive(Debug, Clone)]
pub struct Published {
    /// The mail domain, normalised.
    pub domain: String,
    /// SecMX SRV label used.
    pub srv_label: String,
    /// Every question asked and its answer, in the order asked.
    pub rrsets: Vec<RRset>,
    /// Every record seen, with its real owner (CNAMEs included): what the static rules judge.
    pub records: RecordSet,
    /// Wall time of the whole fetch.
    pub elapsed_ms: u64,
}

impl Published {
    /// Build from answers (also used by tests to state live facts without a server).
    pub fn from_rrsets(domain: &str, srv_label: &str, rrsets: Vec<RRset>, elapsed_ms: u64) -> Self {
        let mut seen = HashSet::new();
        let mut records = RecordSet::new();
        for s in &rrsets {
            for r in &s.answers {
                if seen.insert((r.name.clone(), r.data.clone())) {
                    records.push(r.clone());
                }
            }
        }
        Published {
            domain: normalize_name(domain),
            srv_label: srv_label.to_string(),
            rrsets,
            records,
            elapsed_ms,
        }
    }

    /// The answer to (name, type), if that was asked.
    pub fn rrset(&self, name: &str, rtype: impl Into<RecordType>) -> Option<&RRset> {
        let n = normalize_name(name);
        let rtype = rtype.into();
        self.rrsets
            .iter()
            .find(|s| s.rtype == rtype && s.owner() == n)
    }

    /// The SecMX SRV owner name.
    pub fn srv_owner(&self) -> String {
        format!("{}._tcp.{}", self.srv_label, self.domain)
    }

    /// `MX 0 .` is published alone.
    pub fn null_mx(&self) -> bool {
        let mx: Vec<_> = self.records.mx_of(&self.domain).collect();
        mx.len() == 1 && mx[0].2.is_empty()
    }

    /// No MX RRset (NXDOMAIN/NODATA) but the domain has an address: mail goes to the domain itself.
    pub fn implicit_mx(&self) -> bool {
        let no_mx = self
            .rrset(&self.domain, RecordType::Mx)
            .is_some_and(|s| matches!(s.status, Status::Nodata | Status::Nxdomain));
        no_mx && self.records.addresses_of(&self.domain).next().is_some()
    }

    /// The MX exchanges (root excluded), or the domain itself for an implicit MX.
    pub fn mx_targets(&self) -> Vec<String> {
        if self.implicit_mx() {
            return vec![self.domain.clone()];
        }
        let mut v: Vec<String> = Vec::new();
        for (_, _, ex) in self.records.mx_of(&self.domain) {
            if !ex.is_empty() && !v.iter().any(|x| x == ex) {
                v.push(ex.to_string());
            }
        }
        v
    }

    /// The SecMX SRV targets (root excluded) with their ports.
    pub fn srv_targets(&self) -> Vec<(String, i64)> {
        let mut v: Vec<(String, i64)> = Vec::new();
        for (_, _, _, port, t) in self.records.srv_at(&self.srv_owner()) {
            let p = (t.to_string(), port);
            if !t.is_empty() && !v.contains(&p) {
                v.push(p);
            }
        }
        v
    }

    /// The address RRsets (A and AAAA answers) of a host.
    pub fn address_rrsets(&self, host: &str) -> impl Iterator<Item = &RRset> {
        let n = normalize_name(host);
        self.rrsets
            .iter()
            .filter(move |s| s.rtype.is_address() && s.owner() == n)
    }

    /// The mail domains of the `mailto:` destinations in the published TLS-RPT record.
    pub fn rua_domains(&self) -> Vec<String> {
        let mut v = Vec::new();
        for (_, text) in self.records.txt_at(&format!("_smtp._tls.{}", self.domain)) {
            for d in rua_mailto_domains(&text) {
                if !v.contains(&d) {
                    v.push(d);
                }
            }
        }
        v
    }

    /// The records at names inside the domain, plus MX/SRV target data: the static rules' input.
    pub fn record_set(&self) -> &RecordSet {
        &self.records
    }
}

/// The domain of a `mailto:` URI (`None` for other schemes).
pub fn mailto_domain(uri: &str) -> Option<String> {
    let rest = uri.trim().strip_prefix("mailto:")?;
    let addr = rest.split('!').next().unwrap_or(rest);
    let addr = addr.split('?').next().unwrap_or(addr);
    let (_, d) = addr.rsplit_once('@')?;
    let d = normalize_name(d);
    if d.is_empty() { None } else { Some(d) }
}

/// The `mailto:` domains in a `v=TLSRPTv1; rua=…` text.
pub fn rua_mailto_domains(text: &str) -> Vec<String> {
    let mut v = Vec::new();
    for field in text.split(';') {
        if let Some((k, val)) = field.split_once('=')
            && k.trim().eq_ignore_ascii_case("rua")
        {
            for u in val.split(',') {
                if let Some(d) = mailto_domain(u) {
                    v.push(d);
                }
            }
        }
    }
    v
}

/// A published record of `host` at the end of a CNAME chain counts as the host's address.
pub fn resolved_addresses(p: &Published, host: &str) -> Vec<std::net::IpAddr> {
    let mut out = Vec::new();
    for s in p.address_rrsets(host) {
        for r in &s.answers {
            match r.data {
                RData::A(a) => out.push(std::net::IpAddr::V4(a)),
                RData::Aaaa(a) => out.push(std::net::IpAddr::V6(a)),
                _ => {}
            }
        }
    }
    out
}
