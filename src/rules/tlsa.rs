//! TLSA rules (the catalogue: `rules::catalogue`, `secmx explain`). Each rule's Fail/Pass examples are its unit tests below.

use super::xr::{FastMap, FastSet};
use super::{Finding, Input, Needs, Raise, Rule, Severity};
use crate::model::render::tlsa_owner;
use crate::model::{RData, Record};
use x509_parser::prelude::FromDer;
use x509_parser::x509::SubjectPublicKeyInfo;

/// The rules of this group, in catalogue order.
pub const RULES: &[Rule] = &[
    Rule {
        id: "TLSA-001",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "TLSA records for an SMTP relay live at `_<port>._tcp.<relay-host>`: `_25._tcp.<mx-host>` for MX hosts, `_<srv-port>._tcp.<srv-target>` for SecMX SRV targets — at the host name, not the mail domain.",
        needs: Needs::Static,
        check: Some(tlsa_001),
        planned: None,
    },
    Rule {
        id: "TLSA-002",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "Certificate usage is 0–3 (255 = private use); other values make the record unusable.",
        needs: Needs::Static,
        check: Some(tlsa_002),
        planned: None,
    },
    Rule {
        id: "TLSA-003",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "Selector is 0 (full certificate) or 1 (SubjectPublicKeyInfo) (255 = private).",
        needs: Needs::Static,
        check: Some(tlsa_003),
        planned: None,
    },
    Rule {
        id: "TLSA-004",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "Matching type is 0 (exact), 1 (SHA-256) or 2 (SHA-512) (255 = private).",
        needs: Needs::Static,
        check: Some(tlsa_004),
        planned: None,
    },
    Rule {
        id: "TLSA-005",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "Association data is hexadecimal of the right size: 32 bytes (64 hex) for type 1, 64 bytes (128 hex) for type 2, a parseable DER certificate/SPKI for type 0.",
        needs: Needs::Static,
        check: Some(tlsa_005),
        planned: None,
    },
    Rule {
        id: "TLSA-006",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "PKIX-TA(0) and PKIX-EE(1) records are not used by SMTP senders and should not be published for port 25 / SecMX relays.",
        needs: Needs::Static,
        check: Some(tlsa_006),
        planned: None,
    },
    Rule {
        id: "TLSA-007",
        severity: Severity::Info,
        raise: Raise::Never,
        title: "Preferred forms: `3 1 1` (server key) as primary; `2 1 1` (an issuing CA's key) as the companion or alternative.",
        needs: Needs::Static,
        check: Some(tlsa_007),
        planned: None,
    },
    Rule {
        id: "TLSA-008",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "Do not publish SHA-512 (type 2) digests alone; SHA-256 is the mandatory-to-implement digest.",
        needs: Needs::Static,
        check: Some(tlsa_008),
        planned: None,
    },
    Rule {
        id: "TLSA-009",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "Avoid matching type 0 (full data in DNS): large RRsets cause truncation and fragile lookups.",
        needs: Needs::Static,
        check: Some(tlsa_009),
        planned: None,
    },
    Rule {
        id: "TLSA-010",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "`3 0 1` / `3 0 2` records (hash of the whole certificate) break at every renewal, even when the key is kept; prefer `3 1 1` with key reuse or a planned key roll.",
        needs: Needs::Static,
        check: Some(tlsa_010),
        planned: None,
    },
    Rule {
        id: "TLSA-011",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "Publish at least two records so a rollover never leaves a gap: \"current + next\" (`3 1 1` ×2) or \"current + issuer\" (`3 1 1` + `2 1 1`); change the served key only after the new record has been visible for two TTLs on all name servers.",
        needs: Needs::Static,
        check: Some(tlsa_011),
        planned: None,
    },
    Rule {
        id: "TLSA-012",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "The TLSA RRset validates as DNSSEC \"secure\"; records in unsigned or bogus zones are ignored or cause delivery failure.",
        needs: Needs::Dns,
        check: Some(super::live::tlsa_012),
        planned: None,
    },
    Rule {
        id: "TLSA-013",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "TLSA queries (and queries for names without TLSA) return NOERROR or a correctly signed NXDOMAIN/NODATA on every authoritative server; SERVFAIL, NOTIMP, REFUSED or time-outs make DANE senders defer mail.",
        needs: Needs::Dns,
        check: Some(super::live::tlsa_013),
        planned: None,
    },
    Rule {
        id: "TLSA-014",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "A secure TLSA RRset in which no record is usable forces senders to use TLS without authentication; fix or remove it.",
        needs: Needs::Static,
        check: Some(tlsa_014),
        planned: None,
    },
    Rule {
        id: "TLSA-015",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "A server with both RSA and ECDSA certificates needs matching TLSA records for each key, because different senders negotiate different keys.",
        needs: Needs::Probe,
        check: Some(crate::rules::live_probe::from_probes),
        planned: None,
    },
    Rule {
        id: "TLSA-016",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "TLSA records are applied only when the relay host's A/AAAA RRsets validate as secure; TLSA behind an insecure address lookup (e.g. an out-of-zone host in an unsigned zone) is dead weight.",
        needs: Needs::Dns,
        check: Some(super::live::tlsa_016),
        planned: None,
    },
    Rule {
        id: "TLSA-017",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "A relay's next key (`next_tlsa`, `next_key`) has its `3 1 1` record published beside the current one before the relay switches keys.",
        needs: Needs::Static,
        check: Some(super::rollover::tlsa_017),
        planned: None,
    },
    Rule {
        id: "TLSA-018",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "The key a relay serves matches one of the TLSA records the design publishes for it.",
        needs: Needs::Probe,
        check: Some(super::rollover::tlsa_018),
        planned: None,
    },
    Rule {
        id: "TLSA-019",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "No certificate a TLSA record pins expires within 30 days (warning) or 7 days (error) without the rollover prepared: a DANE-TA anchor's expiry breaks DANE, a DANE-EE leaf's renewal with a new key does unless the next key's record is published.",
        needs: Needs::Probe,
        check: Some(super::rollover::tlsa_019),
        planned: None,
    },
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
struct TlsaRuns {
    records: Vec<usize>,
    runs: Vec<(usize, usize)>,
}

impl<'a> TlsaSets<'a> {
    fn of(input: &Input<'a>) -> Self {
        let shared = input.records.shared("tlsa sets", |set| {
            let sets = TlsaSets::group(set);
            TlsaRuns {
                records: sets
                    .records
                    .iter()
                    .filter_map(|r| set.position(r))
                    .collect(),
                runs: sets.runs,
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
        let mut records: Vec<&'a Record> = set.of_type("TLSA").collect();
        let mut runs = runs_by_name(&records);
        let mut names: FastSet<&str> = FastSet::default();
        let distinct = runs.iter().all(|(start, _)| {
            records
                .get(*start)
                .is_some_and(|r| names.insert(r.name.as_str()))
        });
        if !distinct {
            let mut order: FastMap<&str, usize> = FastMap::default();
            for r in &records {
                let next = order.len();
                order.entry(r.name.as_str()).or_insert(next);
            }
            records.sort_by_key(|r| order.get(r.name.as_str()).copied().unwrap_or(usize::MAX));
            runs = runs_by_name(&records);
        }
        TlsaSets { records, runs }
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
fn runs_by_name(records: &[&Record]) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut start = 0;
    for i in 1..=records.len() {
        let boundary = match (records.get(i), records.get(start)) {
            (Some(r), Some(s)) => r.name != s.name,
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
    input: &Input<'_>,
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

// ---------------------------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------------------------

/// TLSA-001: TLSA records sit at `_<port>._tcp.<relay-host>` with the port the host is reached on.
fn tlsa_001(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
    /// The ports a relay host is reached on; the first one inline (a host rarely has two).
    struct Ports {
        first: i64,
        more: Vec<i64>,
    }
    impl Ports {
        fn add(&mut self, port: i64) {
            if port != self.first && !self.more.contains(&port) {
                self.more.push(port);
            }
        }
        fn contains(&self, port: i64) -> bool {
            port == self.first || self.more.contains(&port)
        }
        fn all(&self) -> impl Iterator<Item = i64> + '_ {
            std::iter::once(self.first).chain(self.more.iter().copied())
        }
    }
    if input.records.of_type("TLSA").next().is_none() {
        return;
    }
    // Relay host → the ports senders reach it on (25 for MX, the SRV port for SecMX SRV targets).
    let mut relays: FastMap<&str, Ports> = FastMap::default();
    let mut mx_hosts: Vec<&str> = Vec::new();
    let mut mx_count = 0usize;
    let srv_owner = input.srv_owner();
    let reached = input
        .records
        .mx_of(input.domain)
        .map(|(_, _, x)| (x, 25, true))
        .chain(
            input
                .records
                .srv_at(&srv_owner)
                .map(|(_, _, _, p, t)| (t, p, false)),
        );
    for (host, port, is_mx) in reached {
        if host.is_empty() {
            continue;
        }
        match relays.get_mut(host) {
            Some(ports) => ports.add(port),
            None => {
                relays.insert(
                    host,
                    Ports {
                        first: port,
                        more: Vec::new(),
                    },
                );
                if is_mx {
                    mx_count += 1;
                    if mx_hosts.len() < 3 {
                        mx_hosts.push(host);
                    }
                }
            }
        }
    }
    let expected_mx = || -> String {
        if mx_hosts.is_empty() {
            "_25._tcp.<mx-host>".to_string()
        } else {
            let mut s: Vec<String> = mx_hosts.iter().map(|h| tlsa_owner(25, h)).collect();
            if mx_count > 3 {
                s.push("…".into());
            }
            s.join(", ")
        }
    };
    let mut previous: Option<&str> = None;
    let mut reported: FastSet<&str> = FastSet::default();
    for first in input.records.of_type("TLSA") {
        let owner = first.name.as_str();
        // Records of one RRset are usually adjacent: judge each owner once.
        if previous == Some(owner) {
            continue;
        }
        previous = Some(owner);
        let good = match split_owner(owner) {
            Some((port, host)) => relays.get(host).is_some_and(|p| p.contains(port)),
            None => false,
        };
        if good || !reported.insert(owner) {
            continue;
        }
        let n = input.records.at(owner, "TLSA").count();
        let (message, fix) = match split_owner(owner) {
            None => (
                format!(
                    "{n} TLSA record(s) at {} are not at a name of the form _<port>._tcp.<relay-host>; SMTP senders never look them up.",
                    if owner.is_empty() { "." } else { owner }
                ),
                format!(
                    "Move the records to _<port>._tcp.<relay-host>, e.g. {}.",
                    expected_mx()
                ),
            ),
            Some((port, host)) => match relays.get(host) {
                Some(ports) => {
                    let want: Vec<String> = ports.all().map(|p| tlsa_owner(p, host)).collect();
                    let ps: Vec<String> = ports.all().map(|p| p.to_string()).collect();
                    (
                        format!(
                            "{n} TLSA record(s) at {owner} are for port {port}, but senders reach {host} on port {} (25 as an MX host, the SRV port as a SecMX SRV target), so they look up {} and never see these.",
                            ps.join("/"),
                            want.join(" and ")
                        ),
                        format!("Publish the records at {} instead.", want.join(" and ")),
                    )
                }
                None if host == input.domain => (
                    format!(
                        "{n} TLSA record(s) at {owner} are at the mail domain {host}; DANE senders look TLSA up at each relay host name ({}), never at the mail domain.",
                        expected_mx()
                    ),
                    format!(
                        "Publish the records at {} (one RRset per relay host, for that host's key) and delete {owner}.",
                        expected_mx()
                    ),
                ),
                None => (
                    format!(
                        "{n} TLSA record(s) at {owner} are for {host}, which is neither an MX host nor a SecMX SRV target of {}; no sender looks them up for this domain.",
                        input.domain
                    ),
                    format!(
                        "Delete {owner}, or list {host} as a relay (MX or {}) if it is one.",
                        input.srv_owner()
                    ),
                ),
            },
        };
        out.push(rule.finding(input, owner, message, fix).at(first.origin));
    }
}

/// TLSA-002: certificate usage in {0, 1, 2, 3, 255}.
fn tlsa_002(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
    per_record(rule, input, out, |u, s, m, _| {
        (!matches!(u, 0..=3 | 255)).then(|| {
            (
                format!(
                    "certificate usage {u} is not defined (0–3, 255 = private use); senders treat the record as unusable."
                ),
                format!(
                    "Use usage 3 (DANE-EE, the server's own key) or 2 (DANE-TA, an issuing CA): e.g. \"3 {s} {m} …\"."
                ),
            )
        })
    });
}

/// TLSA-003: selector in {0, 1, 255}.
fn tlsa_003(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
    per_record(rule, input, out, |u, s, m, _| {
        (!matches!(s, 0 | 1 | 255)).then(|| {
            (
                format!(
                    "selector {s} is not defined (0 = full certificate, 1 = SubjectPublicKeyInfo, 255 = private use); senders treat the record as unusable."
                ),
                format!("Use selector 1 (the public key): \"{u} 1 {m} …\" with the digest recomputed over the SubjectPublicKeyInfo."),
            )
        })
    });
}

/// TLSA-004: matching type in {0, 1, 2, 255}.
fn tlsa_004(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
    per_record(rule, input, out, |u, s, m, _| {
        (!matches!(m, 0..=2 | 255)).then(|| {
            (
                format!(
                    "matching type {m} is not defined (0 = exact, 1 = SHA-256, 2 = SHA-512, 255 = private use); senders treat the record as unusable."
                ),
                format!("Use matching type 1 (SHA-256): \"{u} {s} 1 <64 hex digits>\"."),
            )
        })
    });
}

/// TLSA-005: association data is hex of the right size (or parseable DER for type 0); records that
/// did not even have the `usage selector matching data` shape.
fn tlsa_005(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
    for r in input.records.of_type("TLSA") {
        let (what, fix) = match &r.data {
            RData::Tlsa {
                selector,
                matching,
                data,
                ..
            } => match data_problem(*selector, *matching, data) {
                Some(p) => (
                    format!("TLSA {} at {}: {p}; senders treat the record as unusable.", show(r), r.name),
                    "Recompute the data from the server's key: for \"3 1 1\" the SHA-256 of its DER SubjectPublicKeyInfo, 64 hex digits (e.g. openssl x509 -noout -pubkey | openssl pkey -pubin -outform DER | sha256sum).".to_string(),
                ),
                None => continue,
            },
            RData::Other { data, .. } => (
                format!(
                    "The TLSA record at {} reads \"{data}\", which is not of the form \"<usage> <selector> <matching> <hex data>\"; it cannot be published.",
                    r.name
                ),
                "Write the record as four fields, e.g. \"3 1 1 <64 hex digits of the SHA-256 of the public key>\".".to_string(),
            ),
            _ => continue,
        };
        out.push(rule.finding(input, r.name.as_str(), what, fix).at(r.origin));
    }
}

/// TLSA-006: PKIX-TA(0) / PKIX-EE(1) records are not used by SMTP senders.
fn tlsa_006(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
    per_record(rule, input, out, |u, s, m, _| {
        let name = match u {
            0 => "PKIX-TA(0)",
            1 => "PKIX-EE(1)",
            _ => return None,
        };
        Some((
            format!(
                "usage {name} is ignored by SMTP senders (RFC 7672 §3.1.3), so this record protects nothing for a mail relay."
            ),
            format!(
                "Replace it with a DANE-EE record \"3 {s} {m} …\" for the server's key (or DANE-TA \"2 {s} {m} …\" for the issuing CA)."
            ),
        ))
    });
}

/// TLSA-007 (info): an RRset with neither `3 1 1` nor `2 1 1`.
fn tlsa_007(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
    for (owner, set) in TlsaSets::of(input).iter() {
        let preferred = set
            .iter()
            .any(|r| matches!(fields(r), Some((3 | 2, 1, 1, _))));
        if preferred {
            continue;
        }
        let Some(first) = set.first() else {
            continue;
        };
        let forms: Vec<String> = set.iter().map(|r| show(r)).collect();
        out.push(
            rule.finding(
                input,
                owner,
                format!(
                    "The TLSA RRset at {owner} ({}) has no record in the preferred forms \"3 1 1\" (server key) or \"2 1 1\" (issuing CA key).",
                    forms.join("; ")
                ),
                format!(
                    "Publish \"3 1 1 <SHA-256 of the server's public key>\" at {owner}, optionally with \"2 1 1 <SHA-256 of the issuing CA's public key>\"."
                ),
            )
            .at(first.origin),
        );
    }
}

/// TLSA-008: SHA-512 records without a SHA-256 companion for the same usage and selector.
fn tlsa_008(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
    for (_, set) in TlsaSets::of(input).iter() {
        // Nothing to look for in the (usual) RRset without SHA-512 records.
        if !set.iter().any(|r| matches!(fields(r), Some((_, _, 2, _)))) {
            continue;
        }
        let sha256: FastSet<(i64, i64)> = set
            .iter()
            .filter_map(|r| fields(r))
            .filter(|(_, _, m, _)| *m == 1)
            .map(|(u, s, _, _)| (u, s))
            .collect();
        for r in set {
            let Some((u, s, 2, _)) = fields(r) else {
                continue;
            };
            if sha256.contains(&(u, s)) {
                continue;
            }
            out.push(
                rule.finding(
                    input,
                    r.name.as_str(),
                    format!(
                        "TLSA {} at {} uses SHA-512 with no \"{u} {s} 1\" (SHA-256) companion; SHA-256 is the digest every DANE sender must support, SHA-512 is optional.",
                        show(r),
                        r.name
                    ),
                    format!(
                        "Add \"{u} {s} 1 <SHA-256 of the same data>\" at {} (keep the SHA-512 record if you like).",
                        r.name
                    ),
                )
                .at(r.origin),
            );
        }
    }
}

/// TLSA-009: matching type 0 (full data in DNS).
fn tlsa_009(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
    per_record(rule, input, out, |u, s, m, data| {
        (m == 0).then(|| {
            (
                format!(
                    "matching type 0 puts the full {} in DNS ({} bytes); large TLSA RRsets cause truncated answers and fragile lookups.",
                    if s == 0 { "certificate" } else { "key" },
                    data.len() / 2
                ),
                format!("Publish the SHA-256 digest instead: \"{u} {s} 1 <64 hex digits>\"."),
            )
        })
    });
}

/// TLSA-010: `3 0 1` / `3 0 2` (digest of the whole end-entity certificate).
fn tlsa_010(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
    per_record(rule, input, out, |u, s, m, _| {
        (u == 3 && s == 0 && matches!(m, 1 | 2)).then(|| {
            (
                format!(
                    "\"3 0 {m}\" pins the whole certificate, so the record breaks at every renewal even when the key is kept (e.g. every 90 days with automated certificates)."
                ),
                format!(
                    "Publish \"3 1 {m}\" (digest of the public key) instead, and reuse the key at renewal or roll it with a \"current + next\" record pair."
                ),
            )
        })
    });
}

/// TLSA-011: an RRset with a single record.
fn tlsa_011(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
    for (owner, set) in TlsaSets::of(input).iter() {
        let [only] = set else {
            continue;
        };
        out.push(
            rule.finding(
                input,
                owner,
                format!(
                    "The TLSA RRset at {owner} has a single record ({}); when the server's key or certificate changes, mail from DANE senders stops until DNS catches up.",
                    show(only)
                ),
                format!(
                    "Publish a second record at {owner}: \"3 1 1 <next key>\" (current + next) or \"2 1 1 <issuing CA key>\" (current + issuer), and change the served key only after the new record has been visible for two TTLs."
                ),
            )
            .at(only.origin),
        );
    }
}

/// TLSA-014: an RRset in which no record is usable by SMTP senders.
fn tlsa_014(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
    for (owner, set) in TlsaSets::of(input).iter() {
        if set.iter().any(|r| usable(r)) {
            continue;
        }
        let Some(first) = set.first() else {
            continue;
        };
        let forms: Vec<String> = set.iter().map(|r| show(r)).collect();
        out.push(
            rule.finding(
                input,
                owner,
                format!(
                    "No record of the TLSA RRset at {owner} ({}) is usable by SMTP senders (they need usage 2 or 3 with a valid selector, matching type and data); a signed but unusable RRset forces DANE senders to deliver without authentication.",
                    forms.join("; ")
                ),
                format!(
                    "Fix the records (e.g. \"3 1 1 <SHA-256 of the server's public key>\") or remove the RRset at {owner}."
                ),
            )
            .at(first.origin),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{RData, Record};
    use crate::rules::Severity;
    use crate::rules::testkit::*;

    const D: &str = "agency.example";
    const SRV: &str = "_secmx._tcp.agency.example";
    const MX1: &str = "mx1.agency.example";
    const T1: &str = "_25._tcp.mx1.agency.example";

    /// A self-signed P-256 certificate for mx1.agency.example (DER, hex).
    const CERT: &str = "3082019030820135a003020102021450d51a016e370613c018f8b6ab171ea7292f3dd7300a06082a8648ce3d040302301d311b301906035504030c126d78312e6167656e63792e6578616d706c65301e170d3236313132383139303431355a170d3336313132353139303431355a301d311b301906035504030c126d78312e6167656e63792e6578616d706c653059301306072a8648ce3d020106082a8648ce3d03010703420004d57b87172a8e52cc44e28fb69add3843d2dc34952659521cc688cd24ac7d40d684c4d5d9e67e74c631b224126b262548313581d383f3da8c23bc0b59d38e2a9aa3533051301d0603551d0e04160414dd694e28a259d3851a9c85c092d9670be3d2564d301f0603551d23041830168014dd694e28a259d3851a9c85c092d9670be3d2564d300f0603551d130101ff040530030101ff300a06082a8648ce3d0403020349003046022100e9c0101912448f4dbdccf5bc6cf442688b33a6a05a383e98f995de5b4d9055cb022100914ebaea76822bcfe5744d4cb05d6187591d774cbb87a7b43566dda1c718d4de";
    /// Its SubjectPublicKeyInfo (DER, hex).
    const SPKI: &str = "3059301306072a8648ce3d020106082a8648ce3d03010703420004d57b87172a8e52cc44e28fb69add3843d2dc34952659521cc688cd24ac7d40d684c4d5d9e67e74c631b224126b262548313581d383f3da8c23bc0b59d38e2a9a";

    fn one(r: Record) -> Case {
        Case::new(vec![mx(D, 10, MX1), r])
    }

    fn good() -> Record {
        tlsa(T1, 3, 1, 1, &h256('a'))
    }

    #[test]
    fn tlsa_001_fail_tlsa_at_mail_domain() {
        let out = one(tlsa("_25._tcp.agency.example", 3, 1, 1, &h256('a')))
            .fails_with("TLSA-001", Severity::Error);
        assert!(out[0].message.contains(T1));
    }

    #[test]
    fn tlsa_001_fail_wrong_port_for_srv_target() {
        Case::new(vec![
            mx(D, 10, MX1),
            srv(SRV, 10, 0, 465, "sor1.agency.example"),
            tlsa("_25._tcp.sor1.agency.example", 3, 1, 1, &h256('a')),
        ])
        .fails("TLSA-001");
    }

    #[test]
    fn tlsa_001_fail_not_a_port_name() {
        one(tlsa("mx1.agency.example", 3, 1, 1, &h256('a'))).fails("TLSA-001");
    }

    #[test]
    fn tlsa_001_pass_tlsa_at_mx_host() {
        one(good()).passes("TLSA-001");
    }

    #[test]
    fn tlsa_001_pass_tlsa_at_srv_port() {
        Case::new(vec![
            mx(D, 10, MX1),
            srv(SRV, 10, 0, 465, "sor1.agency.example"),
            tlsa("_465._tcp.sor1.agency.example", 3, 1, 1, &h256('a')),
            good(),
        ])
        .passes("TLSA-001");
    }

    #[test]
    fn tlsa_001_follows_the_configured_srv_label() {
        let records = vec![
            mx(D, 10, MX1),
            srv(
                "_smtptls._tcp.agency.example",
                10,
                0,
                465,
                "sor1.agency.example",
            ),
            tlsa("_465._tcp.sor1.agency.example", 3, 1, 1, &h256('a')),
        ];
        Case::new(records.clone())
            .srv_label("_smtptls")
            .passes("TLSA-001");
        // Under the default label the same host is no relay of the domain.
        Case::new(records).fails("TLSA-001");
    }

    #[test]
    fn tlsa_002_fail_usage_4() {
        one(tlsa(T1, 4, 1, 1, &h256('a'))).fails_with("TLSA-002", Severity::Error);
    }

    #[test]
    fn tlsa_002_pass_usage_3() {
        one(good()).passes("TLSA-002");
        one(tlsa(T1, 255, 1, 1, &h256('a'))).passes("TLSA-002");
    }

    #[test]
    fn tlsa_003_fail_selector_2() {
        one(tlsa(T1, 3, 2, 1, &h256('a'))).fails_with("TLSA-003", Severity::Error);
    }

    #[test]
    fn tlsa_003_pass_selector_1() {
        one(good()).passes("TLSA-003");
    }

    #[test]
    fn tlsa_004_fail_matching_3() {
        one(tlsa(T1, 3, 1, 3, &h256('a'))).fails_with("TLSA-004", Severity::Error);
    }

    #[test]
    fn tlsa_004_pass_matching_1() {
        one(good()).passes("TLSA-004");
    }

    #[test]
    fn tlsa_005_fail_16_byte_digest() {
        let out = one(tlsa(T1, 3, 1, 1, "E8B54E0B4BAA815B06D3462D65FBC7C0"))
            .fails_with("TLSA-005", Severity::Error);
        assert!(out[0].message.contains("64 hex digits"));
    }

    #[test]
    fn tlsa_005_fail_not_hex_and_wrong_sha512_size() {
        one(tlsa(T1, 3, 1, 1, &h256('g'))).fails("TLSA-005");
        one(tlsa(T1, 3, 1, 2, &h256('a'))).fails("TLSA-005");
    }

    #[test]
    fn tlsa_005_fail_type_0_not_der() {
        one(tlsa(T1, 3, 0, 0, &h256('a'))).fails("TLSA-005");
        one(tlsa(T1, 3, 1, 0, &h256('a'))).fails("TLSA-005");
        // A certificate where an SPKI is expected, and the reverse.
        one(tlsa(T1, 3, 1, 0, CERT)).fails("TLSA-005");
        one(tlsa(T1, 3, 0, 0, SPKI)).fails("TLSA-005");
    }

    #[test]
    fn tlsa_005_fail_unparsed_tlsa_text() {
        one(Record::new(
            T1,
            3600,
            RData::Other {
                rtype: "TLSA".into(),
                data: "3 1".into(),
            },
        ))
        .fails("TLSA-005");
    }

    #[test]
    fn tlsa_005_pass_right_sizes_and_der() {
        one(good()).passes("TLSA-005");
        one(tlsa(T1, 3, 1, 2, &h512('b'))).passes("TLSA-005");
        one(tlsa(T1, 3, 0, 0, CERT)).passes("TLSA-005");
        one(tlsa(T1, 3, 1, 0, SPKI)).passes("TLSA-005");
    }

    #[test]
    fn tlsa_006_fail_pkix_ee() {
        one(tlsa(T1, 1, 1, 1, &h256('a'))).fails_with("TLSA-006", Severity::Warning);
        one(tlsa(T1, 0, 1, 1, &h256('a'))).fails("TLSA-006");
    }

    #[test]
    fn tlsa_006_pass_dane_ee() {
        one(good()).passes("TLSA-006");
    }

    #[test]
    fn tlsa_007_fail_only_3_0_2() {
        one(tlsa(T1, 3, 0, 2, &h512('a'))).fails_with("TLSA-007", Severity::Info);
    }

    #[test]
    fn tlsa_007_pass_3_1_1_and_2_1_1() {
        Case::new(vec![mx(D, 10, MX1), good(), tlsa(T1, 2, 1, 1, &h256('b'))]).passes("TLSA-007");
    }

    #[test]
    fn tlsa_008_fail_only_sha512() {
        one(tlsa(T1, 3, 1, 2, &h512('a'))).fails_with("TLSA-008", Severity::Warning);
    }

    #[test]
    fn tlsa_008_pass_sha256_with_optional_sha512() {
        one(good()).passes("TLSA-008");
        Case::new(vec![mx(D, 10, MX1), good(), tlsa(T1, 3, 1, 2, &h512('b'))]).passes("TLSA-008");
    }

    #[test]
    fn tlsa_009_fail_matching_0() {
        one(tlsa(T1, 3, 0, 0, CERT)).fails_with("TLSA-009", Severity::Warning);
    }

    #[test]
    fn tlsa_009_pass_matching_1() {
        one(good()).passes("TLSA-009");
    }

    #[test]
    fn tlsa_010_fail_3_0_1() {
        one(tlsa(T1, 3, 0, 1, &h256('a'))).fails_with("TLSA-010", Severity::Warning);
        one(tlsa(T1, 3, 0, 2, &h512('a'))).fails("TLSA-010");
    }

    #[test]
    fn tlsa_010_pass_3_1_1() {
        one(good()).passes("TLSA-010");
    }

    #[test]
    fn tlsa_011_fail_single_record() {
        one(good()).fails_with("TLSA-011", Severity::Warning);
    }

    #[test]
    fn tlsa_011_pass_current_and_next() {
        Case::new(vec![mx(D, 10, MX1), good(), tlsa(T1, 3, 1, 1, &h256('b'))]).passes("TLSA-011");
    }

    #[test]
    fn tlsa_014_fail_only_pkix_usages() {
        one(tlsa(T1, 1, 1, 1, &h256('a'))).fails_with("TLSA-014", Severity::Warning);
        // DANE-EE but malformed data is not usable either.
        one(tlsa(T1, 3, 1, 1, "abcd")).fails("TLSA-014");
    }

    #[test]
    fn tlsa_014_pass_one_usable_record() {
        Case::new(vec![mx(D, 10, MX1), tlsa(T1, 1, 1, 1, &h256('a')), good()]).passes("TLSA-014");
        one(tlsa(T1, 2, 1, 1, &h256('a'))).passes("TLSA-014");
    }

    /// A probed MX whose main handshake served an ECDSA key and whose RSA-only variant found an RSA
    /// key; `ec_dane`/`rsa_dane` say whether the TLSA RRset covers each.
    fn two_key_report(
        ec_dane: crate::model::probe_facts::dane::DaneVerdict,
        rsa_dane: crate::model::probe_facts::dane::DaneVerdict,
    ) -> crate::model::probe_facts::ProbeReport {
        use crate::model::probe_facts::variants::{VariantFacts, VariantKind, VariantOutcome};
        let t = crate::model::probe_facts::ProbeTarget::new(
            "mx1.agency.example",
            std::net::IpAddr::from([192, 0, 2, 25]),
            25,
            crate::model::Role::Ber,
        );
        let mut r = crate::model::probe_facts::ProbeReport::new(&t);
        r.tls = Some(crate::model::probe_facts::TlsFacts {
            version: Some("TLSv1.3".into()),
            ..Default::default()
        });
        let leaf = crate::model::probe_facts::tls::CertInfo {
            subject: String::new(),
            sans: vec![],
            issuer: String::new(),
            not_before: String::new(),
            not_after: String::new(),
            not_after_unix: i64::MAX,
            key: "EC P-256".into(),
            key_bits: 256,
            signature_algorithm: String::new(),
            sha256: "11".into(),
            spki_sha256: "ec".into(),
            self_issued: false,
        };
        r.certificate = Some(crate::model::probe_facts::CertificateFacts {
            subject: String::new(),
            sans: vec![],
            issuer: String::new(),
            not_before: String::new(),
            not_after: String::new(),
            key: leaf.key.clone(),
            pkix: crate::model::probe_facts::tls::Pkix::Valid,
            pkix_error: None,
            intermediates_missing: false,
            chain: vec![leaf],
        });
        r.dane = ec_dane;
        r.variants = vec![VariantFacts {
            variant: VariantKind::RsaOnly,
            sni: Some("mx1.agency.example".into()),
            offered: "RSA signature schemes only".into(),
            outcome: VariantOutcome::Completed,
            error: None,
            version: Some("TLSv1.3".into()),
            cipher: None,
            leaf_key: Some("RSA 2048".into()),
            leaf_spki_sha256: Some("rsa".into()),
            chain_length: 2,
            dane: Some(rsa_dane),
            dane_detail: None,
            note: None,
            ms: 1,
        }];
        crate::rules::probe_judge::judge(&mut r, 0);
        r
    }

    fn tlsa_015_findings(r: crate::model::probe_facts::ProbeReport) -> Vec<crate::rules::Finding> {
        let facts = crate::model::probe_facts::ProbeFacts {
            reports: vec![r],
            policy: None,
        };
        let case = Case::default();
        let mut input = case.input();
        input.probes = Some(&facts);
        let rule = crate::rules::rule("TLSA-015").unwrap_or_else(|| panic!("TLSA-015"));
        assert_eq!(rule.needs, crate::rules::Needs::Probe);
        assert_eq!(rule.planned, None);
        let mut out = Vec::new();
        (rule.check.unwrap_or_else(|| panic!("TLSA-015 has a check")))(rule, &input, &mut out);
        out
    }

    #[test]
    fn tlsa_015_fail_one_3_1_1_for_the_rsa_key_while_the_server_also_offers_ecdsa() {
        use crate::model::probe_facts::dane::DaneVerdict;
        let f = tlsa_015_findings(two_key_report(DaneVerdict::Fail, DaneVerdict::Valid));
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].severity, Severity::Warning);
        assert!(
            f[0].message.contains("the ECDSA P-256 key is not covered"),
            "{}",
            f[0].message
        );
        assert!(f[0].fix.contains("every key"), "{}", f[0].fix);
    }

    #[test]
    fn tlsa_015_pass_records_for_the_rsa_and_the_ecdsa_key() {
        use crate::model::probe_facts::dane::DaneVerdict;
        assert!(
            tlsa_015_findings(two_key_report(DaneVerdict::Valid, DaneVerdict::Valid)).is_empty()
        );
        // TLSA not DNSSEC-secure: DANE does not apply, nothing to cover
        assert!(
            tlsa_015_findings(two_key_report(
                DaneVerdict::NotApplicable,
                DaneVerdict::NotApplicable
            ))
            .is_empty()
        );
    }
}
