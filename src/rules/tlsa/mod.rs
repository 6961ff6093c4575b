//! TLSA rules (the catalogue: `rules::catalogue`, `secmx explain`). Each rule's Fail/Pass examples are its unit tests below.

use super::xr::{FastMap, FastSet};
use super::{Finding, Needs, Rule, Severity};
use crate::model::render::tlsa_owner;
use crate::model::{RData, Record};
use x509_parser::prelude::FromDer;
use x509_parser::x509::SubjectPublicKeyInfo;

// The checks: `record` (TLSA-001…005) and `forms` (TLSA-006…011, 014); the live TLSA rules are
// with the DNS and probe rules.
mod forms;
mod record;
#[cfg(test)]
mod tests;

use forms::*;
use record::*;

/// The rules of this group, in catalogue order.
pub const RULES: &[Rule] = &[
    Rule::new(
        "TLSA-001",
        Severity::Error,
        "TLSA records for an SMTP relay live at `_<port>._tcp.<relay-host>`: `_25._tcp.<mx-host>` for MX hosts, `_<srv-port>._tcp.<srv-target>` for SecMX SRV targets — at the host name, not the mail domain.",
        tlsa_001,
    ),
    Rule::new(
        "TLSA-002",
        Severity::Error,
        "Certificate usage is 0–3 (255 = private use); other values make the record unusable.",
        tlsa_002,
    ),
    Rule::new(
        "TLSA-003",
        Severity::Error,
        "Selector is 0 (full certificate) or 1 (SubjectPublicKeyInfo) (255 = private).",
        tlsa_003,
    ),
    Rule::new(
        "TLSA-004",
        Severity::Error,
        "Matching type is 0 (exact), 1 (SHA-256) or 2 (SHA-512) (255 = private).",
        tlsa_004,
    ),
    Rule::new(
        "TLSA-005",
        Severity::Error,
        "Association data is hexadecimal of the right size: 32 bytes (64 hex) for type 1, 64 bytes (128 hex) for type 2, a parseable DER certificate/SPKI for type 0.",
        tlsa_005,
    ),
    Rule::new(
        "TLSA-006",
        Severity::Warning,
        "PKIX-TA(0) and PKIX-EE(1) records are not used by SMTP senders and should not be published for port 25 / SecMX relays.",
        tlsa_006,
    ),
    Rule::new(
        "TLSA-007",
        Severity::Info,
        "Preferred forms: `3 1 1` (server key) as primary; `2 1 1` (an issuing CA's key) as the companion or alternative.",
        tlsa_007,
    ),
    Rule::new(
        "TLSA-008",
        Severity::Warning,
        "Do not publish SHA-512 (type 2) digests alone; SHA-256 is the mandatory-to-implement digest.",
        tlsa_008,
    ),
    Rule::new(
        "TLSA-009",
        Severity::Warning,
        "Avoid matching type 0 (full data in DNS): large RRsets cause truncation and fragile lookups.",
        tlsa_009,
    ),
    Rule::new(
        "TLSA-010",
        Severity::Warning,
        "`3 0 1` / `3 0 2` records (hash of the whole certificate) break at every renewal, even when the key is kept; prefer `3 1 1` with key reuse or a planned key roll.",
        tlsa_010,
    ),
    Rule::new(
        "TLSA-011",
        Severity::Warning,
        "Publish at least two records so a rollover never leaves a gap: \"current + next\" (`3 1 1` ×2) or \"current + issuer\" (`3 1 1` + `2 1 1`); change the served key only after the new record has been visible for two TTLs on all name servers.",
        tlsa_011,
    ),
    Rule::new(
        "TLSA-012",
        Severity::Error,
        "The TLSA RRset validates as DNSSEC \"secure\"; records in unsigned or bogus zones are ignored or cause delivery failure.",
        super::live::tlsa_012,
    )
    .needs(Needs::Dns),
    Rule::new(
        "TLSA-013",
        Severity::Error,
        "TLSA queries (and queries for names without TLSA) return NOERROR or a correctly signed NXDOMAIN/NODATA on every authoritative server; SERVFAIL, NOTIMP, REFUSED or time-outs make DANE senders defer mail.",
        super::live::tlsa_013,
    )
    .needs(Needs::Dns),
    Rule::new(
        "TLSA-014",
        Severity::Warning,
        "A secure TLSA RRset in which no record is usable forces senders to use TLS without authentication; fix or remove it.",
        tlsa_014,
    ),
    Rule::new(
        "TLSA-015",
        Severity::Warning,
        "A server with both RSA and ECDSA certificates needs matching TLSA records for each key, because different senders negotiate different keys.",
        crate::rules::live_probe::from_probes,
    )
    .needs(Needs::Probe),
    Rule::new(
        "TLSA-016",
        Severity::Warning,
        "TLSA records are applied only when the relay host's A/AAAA RRsets validate as secure; TLSA behind an insecure address lookup (e.g. an out-of-zone host in an unsigned zone) is dead weight.",
        super::live::tlsa_016,
    )
    .needs(Needs::Dns),
    Rule::new(
        "TLSA-017",
        Severity::Warning,
        "A relay's next key (`next_tlsa`, `next_key`) has its `3 1 1` record published beside the current one before the relay switches keys.",
        super::rollover::tlsa_017,
    ),
    Rule::new(
        "TLSA-018",
        Severity::Error,
        "The key a relay serves matches one of the TLSA records the design publishes for it.",
        super::rollover::tlsa_018,
    )
    .needs(Needs::Probe),
    Rule::new(
        "TLSA-019",
        Severity::Warning,
        "No certificate a TLSA record pins expires within 30 days (warning) or 7 days (error) without the rollover prepared: a DANE-TA anchor's expiry breaks DANE, a DANE-EE leaf's renewal with a new key does unless the next key's record is published.",
        super::rollover::tlsa_019,
    )
    .needs(Needs::Probe),
];

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// All TLSA RRsets (records of type TLSA, including ones that did not parse) as runs of one flat
/// list, one run per owner, in order of first appearance. One pass over the records; the records of
/// an RRset are normally adjacent, otherwise they are regrouped with one stable sort.
struct TlsaSets<'a> {
    records: Vec<&'a Record>,
    runs: Vec<(usize, usize)>,
}

/// [`TlsaSets`] as record indexes, grouped once per record set and shared by the checks.
pub(crate) struct TlsaRuns {
    records: Vec<usize>,
    runs: Vec<(usize, usize)>,
}

impl<'a> TlsaSets<'a> {
    fn of(input: &crate::rules::Facts<'a>) -> Self {
        let shared = input.tlsa_runs.get_or_init(|| {
            let (records, runs) = TlsaSets::group_indexed(input.records);
            TlsaRuns {
                records: records.iter().map(|(i, _)| *i).collect(),
                runs,
            }
        });
        let all = input.records.records();
        let records: Vec<&'a Record> = shared.records.iter().filter_map(|&i| all.get(i)).collect();
        if records.len() != shared.records.len() {
            // Unreachable (the indexes come from this set); group afresh rather than misjudge.
            return TlsaSets::group(input.records);
        }
        TlsaSets {
            records,
            runs: shared.runs.clone(),
        }
    }

    fn group(set: &'a crate::model::RecordSet) -> Self {
        let (records, runs) = Self::group_indexed(set);
        TlsaSets {
            records: records.into_iter().map(|(_, r)| r).collect(),
            runs,
        }
    }

    /// The grouping of [`TlsaSets::group`], with each record's index in the set.
    #[allow(clippy::type_complexity)]
    fn group_indexed(
        set: &'a crate::model::RecordSet,
    ) -> (Vec<(usize, &'a Record)>, Vec<(usize, usize)>) {
        let mut records: Vec<(usize, &'a Record)> = set.of_type_indexed("TLSA").collect();
        let mut runs = runs_by_name(&records);
        let mut names: FastSet<&str> = FastSet::default();
        let distinct = runs.iter().all(|(start, _)| {
            records
                .get(*start)
                .is_some_and(|(_, r)| names.insert(r.name.as_str()))
        });
        if !distinct {
            let mut order: FastMap<&str, usize> = FastMap::default();
            for (_, r) in &records {
                let next = order.len();
                order.entry(r.name.as_str()).or_insert(next);
            }
            records.sort_by_key(|(_, r)| order.get(r.name.as_str()).copied().unwrap_or(usize::MAX));
            runs = runs_by_name(&records);
        }
        (records, runs)
    }

    /// Each RRset: its owner and records.
    fn iter(&self) -> impl Iterator<Item = (&'a str, &[&'a Record])> + '_ {
        self.runs.iter().filter_map(|(start, end)| {
            let set = self.records.get(*start..*end)?;
            let first = set.first()?;
            Some((first.name.as_str(), set))
        })
    }
}

/// The (start, end) ranges of consecutive records with the same owner.
fn runs_by_name(records: &[(usize, &Record)]) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut start = 0;
    for i in 1..=records.len() {
        let boundary = match (records.get(i), records.get(start)) {
            (Some((_, r)), Some((_, s))) => r.name != s.name,
            _ => true,
        };
        if boundary {
            if i > start {
                runs.push((start, i));
            }
            start = i;
        }
    }
    runs
}

/// The fields of a parsed TLSA record: (usage, selector, matching, data).
fn fields(r: &Record) -> Option<(i64, i64, i64, &str)> {
    match &r.data {
        RData::Tlsa {
            usage,
            selector,
            matching,
            data,
        } => Some((*usage, *selector, *matching, data.as_str())),
        _ => None,
    }
}

/// A record as an administrator reads it: `3 1 1 e8b54e0b4baa815b…`.
fn show(r: &Record) -> String {
    match &r.data {
        RData::Tlsa {
            usage,
            selector,
            matching,
            data,
        } => {
            let short = match data.get(..16) {
                Some(head) if data.len() > 16 => format!("{head}…"),
                _ => data.clone(),
            };
            format!("{usage} {selector} {matching} {short}")
        }
        RData::Other { data, .. } => data.clone(),
        other => other.rtype().to_string(),
    }
}

/// What is wrong with the association data, if anything (TLSA-005).
fn data_problem(selector: i64, matching: i64, data: &str) -> Option<String> {
    if data.is_empty() {
        return Some("the association data is empty".into());
    }
    if data.bytes().any(|b| !b.is_ascii_hexdigit())
        && let Some(c) = data.chars().find(|c| !c.is_ascii_hexdigit())
    {
        return Some(format!(
            "the association data is not hexadecimal (it contains '{c}')"
        ));
    }
    if !data.len().is_multiple_of(2) {
        return Some(format!(
            "the association data has an odd number of hex digits ({}), so it is not whole bytes",
            data.len()
        ));
    }
    match matching {
        1 if data.len() != 64 => Some(format!(
            "matching type 1 (SHA-256) needs 64 hex digits (32 bytes), but the data has {} ({} bytes)",
            data.len(),
            data.len() / 2
        )),
        2 if data.len() != 128 => Some(format!(
            "matching type 2 (SHA-512) needs 128 hex digits (64 bytes), but the data has {} ({} bytes)",
            data.len(),
            data.len() / 2
        )),
        0 => {
            let Ok(bytes) = hex::decode(data) else {
                return Some("the association data is not hexadecimal".into());
            };
            match selector {
                0 => match x509_parser::parse_x509_certificate(&bytes) {
                    Ok(([], _)) => None,
                    Ok((rest, _)) => Some(format!(
                        "the data holds a DER certificate followed by {} stray bytes",
                        rest.len()
                    )),
                    Err(e) => Some(format!(
                        "selector 0 with matching type 0 needs a full DER certificate, but the data does not parse as one ({e})"
                    )),
                },
                1 => match SubjectPublicKeyInfo::from_der(&bytes) {
                    Ok(([], _)) => None,
                    Ok((rest, _)) => Some(format!(
                        "the data holds a DER SubjectPublicKeyInfo followed by {} stray bytes",
                        rest.len()
                    )),
                    Err(e) => Some(format!(
                        "selector 1 with matching type 0 needs a DER SubjectPublicKeyInfo, but the data does not parse as one ({e})"
                    )),
                },
                _ => None,
            }
        }
        _ => None,
    }
}

/// Whether an SMTP (DANE, RFC 7672) sender can use the record: DANE-TA(2) or DANE-EE(3), a known
/// selector and matching type, and well-formed data.
fn usable(r: &Record) -> bool {
    match fields(r) {
        Some((u, s, m, data)) => {
            matches!(u, 2 | 3)
                && matches!(s, 0 | 1)
                && matches!(m, 0..=2)
                && data_problem(s, m, data).is_none()
        }
        None => false,
    }
}

/// Split a TLSA owner `_<port>._tcp.<host>` into (port, host).
fn split_owner(name: &str) -> Option<(i64, &str)> {
    let rest = name.strip_prefix('_')?;
    let (port, rest) = rest.split_once('.')?;
    let host = rest.strip_prefix("_tcp.")?;
    if port.is_empty() || port.len() > 5 || !port.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let port: i64 = port.parse().ok()?;
    if port > 65535 || host.is_empty() {
        return None;
    }
    Some((port, host))
}

/// Push one finding per record for which `problem` says something.
fn per_record(
    rule: &Rule,
    input: &crate::rules::Facts<'_>,
    out: &mut Vec<Finding>,
    problem: impl Fn(i64, i64, i64, &str) -> Option<(String, String)>,
) {
    for r in input.records.of_type("TLSA") {
        let Some((u, s, m, data)) = fields(r) else {
            continue;
        };
        if let Some((what, fix)) = problem(u, s, m, data) {
            out.push(
                rule.finding(
                    input,
                    r.name.as_str(),
                    format!("TLSA {} at {}: {what}", show(r), r.name),
                    fix,
                )
                .at(r.origin),
            );
        }
    }
}
