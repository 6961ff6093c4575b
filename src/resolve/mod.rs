//! Live DNS (issue #3): what a domain publishes today, asked of a real resolver or nameserver.
//!
//! [`Resolver`] wraps a hickory-resolver 0.26 resolver built from [`Settings`] (the system resolver or one
//! nameserver `IP:PORT`, UDP with TCP fallback, DNSSEC validation on, cache off). [`fetch`] asks every
//! question a domain raises, concurrently and bounded, and returns [`Published`]: every RRset with its
//! TTL, DNSSEC proof and status (NXDOMAIN, NODATA, SERVFAIL, REFUSED and timeout told apart), plus a
//! [`crate::model::RecordSet`] of what is published so every static rule runs on it too. [`drift`]
//! compares a design's records with that, and [`import::design_from_published`] turns it into a design.

pub mod drift;
pub mod fetch;
pub mod import;
pub mod keys;
pub mod ptr;
pub use crate::model::spf;

pub use drift::{Change, Drift, drift};
pub use fetch::{Plan, Published, fetch, fetch_sequential};
pub use ptr::{ptr_resolver, reverse_names};

use crate::model::{RData, Record};
use hickory_resolver::TokioResolver;
use hickory_resolver::config::{ConnectionConfig, NameServerConfig, ResolveHosts, ResolverConfig};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::net::{DnsError, NetError};
use hickory_resolver::proto::dnssec::{Proof, TrustAnchors};
use hickory_resolver::proto::op::ResponseCode;
use hickory_resolver::proto::rr::{RData as HRData, RecordType};
use serde::Serialize;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How to ask DNS.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Ask this nameserver (UDP with TCP fallback) instead of the system resolver.
    pub nameserver: Option<SocketAddr>,
    /// DNSSEC trust anchor file (DNSKEY lines); `None` = the bundled root anchors.
    pub trust_anchor: Option<PathBuf>,
    /// Time allowed for one query.
    pub timeout: Duration,
    /// Validate DNSSEC (on by default).
    pub validate: bool,
    /// How many queries may be in flight at once.
    pub concurrency: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            nameserver: None,
            trust_anchor: None,
            timeout: Duration::from_secs(5),
            validate: true,
            concurrency: 256,
        }
    }
}

/// Why a resolver could not be built.
#[derive(Debug, thiserror::Error)]
pub enum ResolveError {
    /// The trust anchor file could not be read or parsed.
    #[error("{path}: cannot read the trust anchor: {message}")]
    TrustAnchor {
        /// The file.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// The system resolver configuration or the resolver itself failed.
    #[error("cannot set up the resolver: {0}")]
    Resolver(String),
}

pub use crate::model::published::{Dnssec, RRset, Status};

/// The proof as reported.
fn dnssec_of(p: Proof) -> Dnssec {
    match p {
        Proof::Secure => Dnssec::Secure,
        Proof::Insecure => Dnssec::Insecure,
        Proof::Bogus => Dnssec::Bogus,
        Proof::Indeterminate => Dnssec::Indeterminate,
    }
}

/// A step of the live DNS lookups.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum DnsEvent {
    /// A query was sent.
    QueryStarted {
        /// Name asked (fully qualified).
        name: String,
        /// Type asked.
        #[serde(rename = "type")]
        rtype: crate::model::RecordType,
    },
    /// A definite answer came back (data, NXDOMAIN or NODATA).
    QueryAnswered {
        /// Name asked.
        name: String,
        /// Type asked.
        #[serde(rename = "type")]
        rtype: crate::model::RecordType,
        /// ok, nxdomain or nodata.
        status: Status,
        /// DNSSEC proof.
        dnssec: Dnssec,
        /// Number of records.
        records: usize,
        /// Duration in milliseconds.
        ms: f64,
    },
    /// The query failed (SERVFAIL, REFUSED, timeout, other).
    QueryFailed {
        /// Name asked.
        name: String,
        /// Type asked.
        #[serde(rename = "type")]
        rtype: crate::model::RecordType,
        /// servfail, refused, timeout or error.
        status: Status,
        /// What went wrong.
        detail: String,
        /// Duration in milliseconds.
        ms: f64,
    },
}

/// Where the DNS steps go as they happen (the caller wraps them into its own events).
pub type DnsSink = Arc<dyn Fn(DnsEvent) + Send + Sync>;

/// A sink that drops every DNS step.
pub fn discard() -> DnsSink {
    Arc::new(|_| {})
}

/// A resolver built from [`Settings`].
#[derive(Clone)]
pub struct Resolver {
    inner: TokioResolver,
    settings: Settings,
}

impl Resolver {
    /// Build a resolver (inside a tokio runtime). A trust anchor file may hold DNSKEY lines and DS
    /// lines; for DS lines the zone's DNSKEY RRset is fetched once and the keys that match are trusted.
    pub async fn new(settings: &Settings) -> Result<Self, ResolveError> {
        Box::pin(Self::build(settings, true)).await
    }

    /// A resolver that asks one authoritative server directly, without recursion (RD=0) and
    /// without validation: its answers carry the TTLs of the zone file, not a cache's countdown.
    pub async fn authoritative(
        settings: &Settings,
        server: SocketAddr,
    ) -> Result<Self, ResolveError> {
        let mut s = settings.clone();
        s.nameserver = Some(server);
        s.validate = false;
        s.trust_anchor = None;
        Box::pin(Self::build(&s, false)).await
    }

    async fn build(settings: &Settings, recursion: bool) -> Result<Self, ResolveError> {
        let provider = TokioRuntimeProvider::default();
        let mut builder = match settings.nameserver {
            Some(addr) => {
                let mut udp = ConnectionConfig::udp();
                udp.port = addr.port();
                let mut tcp = ConnectionConfig::tcp();
                tcp.port = addr.port();
                let ns = NameServerConfig::new(addr.ip(), true, vec![udp, tcp]);
                hickory_resolver::Resolver::builder_with_config(
                    ResolverConfig::from_parts(None, vec![], vec![ns]),
                    provider,
                )
            }
            None => hickory_resolver::Resolver::builder(provider)
                .map_err(|e| ResolveError::Resolver(e.to_string()))?,
        };
        {
            let o = builder.options_mut();
            o.validate = settings.validate;
            o.cache_size = 0;
            o.timeout = settings.timeout;
            o.attempts = 1;
            o.try_tcp_on_error = true;
            o.edns0 = true;
            o.preserve_intermediates = true;
            o.use_hosts_file = ResolveHosts::Never;
            o.max_active_requests = settings.concurrency.max(32) * 2;
            o.ndots = 0;
            o.recursion_desired = recursion;
        }
        if let Some(path) = &settings.trust_anchor {
            let anchors = load_anchors(path, settings).await?;
            builder = builder.with_trust_anchor(Arc::new(anchors));
        }
        let inner = builder
            .build()
            .map_err(|e| ResolveError::Resolver(e.to_string()))?;
        Ok(Resolver {
            inner,
            settings: settings.clone(),
        })
    }

    /// The settings it was built from.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Ask one question; failures are data in the result, never errors. Emits started / answered /
    /// failed events to `sink`.
    pub async fn query(&self, name: &str, rtype: RecordType, sink: &DnsSink) -> RRset {
        let fqdn = fqdn(name);
        let tname = crate::model::RecordType::of(&rtype.to_string());
        sink(DnsEvent::QueryStarted {
            name: fqdn.clone(),
            rtype: tname.clone(),
        });
        let start = Instant::now();
        let result = self.inner.lookup(fqdn.as_str(), rtype).await;
        let ms = (start.elapsed().as_secs_f64() * 100_000.0).round() / 100.0;
        let set = match result {
            Ok(lookup) => rrset_from_answers(&fqdn, rtype, lookup.answers(), ms),
            Err(e) => rrset_from_error(&fqdn, rtype, &e, ms),
        };
        let ev = if set.status.is_answer() {
            DnsEvent::QueryAnswered {
                name: fqdn,
                rtype: tname,
                status: set.status,
                dnssec: set.dnssec,
                records: set.records.len(),
                ms,
            }
        } else {
            DnsEvent::QueryFailed {
                name: fqdn,
                rtype: tname,
                status: set.status,
                detail: set.detail.clone().unwrap_or_default(),
                ms,
            }
        };
        sink(ev);
        set
    }
}

/// One DS line of a trust anchor file.
struct DsAnchor {
    owner: String,
    key_tag: u16,
    digest_type: u8,
    digest: Vec<u8>,
}

/// Split a trust anchor file into DS anchors and the DNSKEY text hickory parses itself.
/// A DS line of a trust-anchor file that does not parse (its 1-based number).
#[derive(Debug, thiserror::Error)]
#[error("line {0}: a DS line is `owner [ttl] [IN] DS keytag algorithm digest-type digest`")]
struct BadDsLine(usize);

fn split_anchor_text(text: &str) -> Result<(Vec<DsAnchor>, String), BadDsLine> {
    let mut ds = Vec::new();
    let mut rest = String::new();
    for (i, line) in text.lines().enumerate() {
        let body = line.split(';').next().unwrap_or("");
        let tokens: Vec<&str> = body.split_whitespace().collect();
        let Some(pos) = tokens.iter().position(|t| t.eq_ignore_ascii_case("DS")) else {
            rest.push_str(line);
            rest.push('\n');
            continue;
        };
        let bad = || BadDsLine(i + 1);
        let owner = tokens.first().ok_or_else(bad)?.to_string();
        let key_tag: u16 = tokens
            .get(pos + 1)
            .and_then(|t| t.parse().ok())
            .ok_or_else(bad)?;
        let digest_type: u8 = tokens
            .get(pos + 3)
            .and_then(|t| t.parse().ok())
            .ok_or_else(bad)?;
        let hex_text: String = tokens.get(pos + 4..).ok_or_else(bad)?.concat();
        let digest = hex::decode(&hex_text).map_err(|_| bad())?;
        ds.push(DsAnchor {
            owner,
            key_tag,
            digest_type,
            digest,
        });
    }
    Ok((ds, rest))
}

async fn load_anchors(
    path: &std::path::Path,
    settings: &Settings,
) -> Result<TrustAnchors, ResolveError> {
    use hickory_resolver::proto::dnssec::rdata::DNSSECRData;
    use hickory_resolver::proto::dnssec::{DigestType, PublicKey, PublicKeyBuf};
    use hickory_resolver::proto::rr::{LowerName, Name};
    let err = |message: String| ResolveError::TrustAnchor {
        path: path.display().to_string(),
        message,
    };
    let text = std::fs::read_to_string(path).map_err(|e| err(e.to_string()))?;
    let (ds, dnskey_text) = split_anchor_text(&text).map_err(|e| err(e.to_string()))?;
    let has_dnskey = dnskey_text
        .lines()
        .any(|l| !l.split(';').next().unwrap_or("").trim().is_empty());
    let mut anchors = if has_dnskey {
        dnskey_text
            .parse::<TrustAnchors>()
            .map_err(|e| err(e.to_string()))?
    } else if ds.is_empty() {
        return Err(err("no DNSKEY or DS lines".into()));
    } else {
        TrustAnchors::empty()
    };
    // Fetch each DS owner's DNSKEY RRset without validation and trust the keys the DS names.
    if !ds.is_empty() {
        let plain = Settings {
            validate: false,
            trust_anchor: None,
            ..settings.clone()
        };
        let resolver = Box::pin(Resolver::build(&plain, true)).await?;
        for d in &ds {
            let name =
                Name::from_ascii(fqdn(&d.owner)).map_err(|e| err(format!("{}: {e}", d.owner)))?;
            let lookup = resolver
                .inner
                .lookup(name.clone(), RecordType::DNSKEY)
                .await
                .map_err(|e| err(format!("cannot fetch the DNSKEY of {}: {e}", d.owner)))?;
            let mut matched = false;
            for r in lookup.answers() {
                let HRData::DNSSEC(DNSSECRData::DNSKEY(key)) = &r.data else {
                    continue;
                };
                let tag_ok = key.calculate_key_tag().is_ok_and(|t| t == d.key_tag);
                let digest_ok = key
                    .to_digest(&name, DigestType::from(d.digest_type))
                    .is_ok_and(|g| g.as_ref() == d.digest.as_slice());
                if tag_ok && digest_ok {
                    let pk = key.public_key();
                    let buf = PublicKeyBuf::new(pk.public_bytes().to_vec(), pk.algorithm());
                    anchors.insert_with_name(&buf, LowerName::from(&name));
                    matched = true;
                }
            }
            if !matched {
                return Err(err(format!(
                    "no DNSKEY of {} matches the DS with key tag {}",
                    d.owner, d.key_tag
                )));
            }
        }
    }
    Ok(anchors)
}

/// `name` with exactly one final dot (`""` → `"."`).
pub fn fqdn(name: &str) -> String {
    let n = crate::model::normalize_name(name);
    if n.is_empty() {
        ".".to_string()
    } else {
        format!("{n}.")
    }
}

fn rrset_from_answers(
    fqdn: &str,
    rtype: RecordType,
    answers: &[hickory_resolver::proto::rr::Record],
    ms: f64,
) -> RRset {
    let owner = crate::model::normalize_name(fqdn);
    let mut records = Vec::new();
    let mut cname = None;
    let mut ttl: Option<u32> = None;
    let mut proofs = Vec::new();
    let mut chain_data = false;
    for r in answers {
        let t = r.record_type();
        if t != rtype && t != RecordType::CNAME {
            continue; // RRSIGs and anything else the validator left in
        }
        let Some(data) = crate::zone::rdata::model_rdata(&r.data) else {
            continue;
        };
        let rname = crate::model::normalize_name(&r.name.to_ascii());
        proofs.push(r.proof);
        if t == RecordType::CNAME && rname == owner && rtype != RecordType::CNAME {
            if let RData::Cname(target) = &data {
                cname = Some(fqdn_of_norm(target));
            }
        } else if rname == owner && t == rtype {
            ttl = Some(ttl.map_or(r.ttl, |x| x.min(r.ttl)));
        } else if t == rtype {
            chain_data = true;
        }
        records.push(Record::new(rname, i64::from(r.ttl), data));
    }
    let mut text: Vec<String> = records
        .iter()
        .filter(|r| r.name == owner && r.data.rtype() == rtype.to_string())
        .map(|r| rdata_text(&r.data))
        .collect();
    text.sort();
    let status = if !text.is_empty() || chain_data {
        Status::Ok
    } else {
        Status::Nodata
    };
    RRset {
        name: fqdn.to_string(),
        rtype: rtype.to_string().into(),
        records: text,
        ttl,
        dnssec: combine(&proofs),
        status,
        cname,
        detail: None,
        ms,
        answers: records,
    }
}

/// The weakest proof of a set of records (bogus < indeterminate < insecure < secure).
fn combine(proofs: &[Proof]) -> Dnssec {
    if proofs.is_empty() {
        return Dnssec::Indeterminate;
    }
    if proofs.contains(&Proof::Bogus) {
        Dnssec::Bogus
    } else if proofs.contains(&Proof::Indeterminate) {
        Dnssec::Indeterminate
    } else if proofs.contains(&Proof::Insecure) {
        Dnssec::Insecure
    } else {
        Dnssec::Secure
    }
}

fn status_of_code(rc: ResponseCode) -> Status {
    match rc {
        ResponseCode::NXDomain => Status::Nxdomain,
        ResponseCode::NoError => Status::Nodata,
        ResponseCode::ServFail => Status::Servfail,
        ResponseCode::Refused => Status::Refused,
        _ => Status::Error,
    }
}

/// Map a hickory error to a status, a proof and a message.
pub(crate) fn classify(e: &NetError) -> (Status, Dnssec, String) {
    match e {
        NetError::Timeout => (Status::Timeout, Dnssec::Indeterminate, e.to_string()),
        NetError::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => {
            (Status::Timeout, Dnssec::Indeterminate, e.to_string())
        }
        NetError::Dns(DnsError::ResponseCode(rc)) => (
            status_of_code(*rc),
            Dnssec::Indeterminate,
            format!("response code {rc}"),
        ),
        NetError::Dns(DnsError::NoRecordsFound(nr)) => {
            let st = status_of_code(nr.response_code);
            let msg = if st == Status::Error || !st.is_answer() {
                format!("response code {}", nr.response_code)
            } else {
                String::new()
            };
            // The validator hands a negative answer back with its authority records marked: the
            // NSEC/NSEC3 (and SOA) proofs say whether the denial itself is secure.
            let proofs: Vec<Proof> = nr
                .authorities
                .as_deref()
                .unwrap_or(&[])
                .iter()
                .filter(|r| {
                    matches!(
                        r.record_type(),
                        RecordType::NSEC | RecordType::NSEC3 | RecordType::SOA
                    )
                })
                .map(|r| r.proof)
                .collect();
            (st, combine(&proofs), msg)
        }
        NetError::Dns(DnsError::Nsec {
            response, proof, ..
        }) => (
            status_of_code(response.response_code),
            dnssec_of(*proof),
            String::new(),
        ),
        NetError::Dns(DnsError::DnssecBogus) => (Status::Servfail, Dnssec::Bogus, e.to_string()),
        other => {
            let text = other.to_string();
            let lower = text.to_ascii_lowercase();
            let st = if lower.contains("timed out") || lower.contains("timeout") {
                Status::Timeout
            } else if lower.contains("refused") {
                Status::Refused
            } else if lower.contains("servfail") || lower.contains("server failure") {
                Status::Servfail
            } else if lower.contains("bogus") || lower.contains("dnssec") {
                return (Status::Servfail, Dnssec::Bogus, text);
            } else {
                Status::Error
            };
            (st, Dnssec::Indeterminate, text)
        }
    }
}

fn rrset_from_error(fqdn: &str, rtype: RecordType, e: &NetError, ms: f64) -> RRset {
    let (status, dnssec, detail) = classify(e);
    RRset {
        name: fqdn.to_string(),
        rtype: rtype.to_string().into(),
        records: Vec::new(),
        ttl: None,
        dnssec,
        status,
        cname: None,
        detail: if detail.is_empty() {
            None
        } else {
            Some(detail)
        },
        ms,
        answers: Vec::new(),
    }
}

fn fqdn_of_norm(n: &str) -> String {
    if n.is_empty() {
        ".".to_string()
    } else {
        format!("{n}.")
    }
}

/// Presentation form of record data, as in a zone file (names fully qualified).
pub fn rdata_text(d: &RData) -> String {
    match d {
        RData::Mx {
            preference,
            exchange,
        } => format!("{preference} {}", fqdn_of_norm(exchange)),
        RData::Srv {
            priority,
            weight,
            port,
            target,
        } => format!("{priority} {weight} {port} {}", fqdn_of_norm(target)),
        RData::A(a) => a.to_string(),
        RData::Aaaa(a) => a.to_string(),
        RData::Tlsa {
            usage,
            selector,
            matching,
            data,
        } => format!("{usage} {selector} {matching} {data}"),
        RData::Txt(parts) => parts
            .iter()
            .map(|p| format!("\"{}\"", p.replace('\\', "\\\\").replace('"', "\\\"")))
            .collect::<Vec<_>>()
            .join(" "),
        RData::Cname(t) => fqdn_of_norm(t),
        RData::Other { data, .. } => data.clone(),
    }
}

/// Record type by mnemonic (the types the fetch plan asks for).
pub(crate) fn rtype_of(s: &str) -> RecordType {
    s.parse().unwrap_or(RecordType::Unknown(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fqdn_adds_one_dot() {
        assert_eq!(fqdn("Agency.Example"), "agency.example.");
        assert_eq!(fqdn("agency.example."), "agency.example.");
        assert_eq!(fqdn("."), ".");
    }

    #[test]
    fn presentation_of_records() {
        assert_eq!(
            rdata_text(&RData::Mx {
                preference: 0,
                exchange: String::new()
            }),
            "0 ."
        );
        assert_eq!(
            rdata_text(&RData::Txt(vec!["v=STSv1; id=1".into(), "x\"y".into()])),
            "\"v=STSv1; id=1\" \"x\\\"y\""
        );
    }

    #[test]
    fn weakest_proof_wins() {
        assert_eq!(combine(&[Proof::Secure, Proof::Insecure]), Dnssec::Insecure);
        assert_eq!(combine(&[Proof::Secure, Proof::Bogus]), Dnssec::Bogus);
        assert_eq!(combine(&[Proof::Secure]), Dnssec::Secure);
        assert_eq!(combine(&[]), Dnssec::Indeterminate);
    }

    #[test]
    fn error_kinds_are_told_apart() {
        assert_eq!(classify(&NetError::Timeout).0, Status::Timeout);
        assert_eq!(
            classify(&NetError::Dns(DnsError::ResponseCode(
                ResponseCode::Refused
            )))
            .0,
            Status::Refused
        );
        assert_eq!(
            classify(&NetError::Dns(DnsError::ResponseCode(
                ResponseCode::ServFail
            )))
            .0,
            Status::Servfail
        );
        let (st, proof, _) = classify(&NetError::Dns(DnsError::DnssecBogus));
        assert_eq!((st, proof), (Status::Servfail, Dnssec::Bogus));
    }
}
