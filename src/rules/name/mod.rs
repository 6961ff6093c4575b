//! NAME rules (the catalogue: `rules::catalogue`, `secmx explain`). Each rule's Fail/Pass examples are its unit tests (`tests.rs`).

use super::wire::{self, Answer};
use super::{Finding, Rule, Severity};
use crate::model::name::is_ldh_label;
use crate::model::{Origin, RData, Record, RecordSet};
use std::collections::HashSet;

/// The rules of this group, in catalogue order.
pub const RULES: &[Rule] = &[
    Rule::new(
        "NAME-001",
        Severity::Error,
        "Every label of every owner name and every target name is 1–63 octets long.",
        name_001,
    ),
    Rule::new(
        "NAME-002",
        Severity::Error,
        "A whole name fits in 255 octets of wire format (≤ 253 characters written without the final dot).",
        name_002,
    ),
    Rule::new(
        "NAME-003",
        Severity::Error,
        "Names used as relay hosts (MX exchange, SRV target, TLSA base name, `mta-sts` policy host) are LDH host names: letters, digits and hyphens only, no label starting or ending with a hyphen.",
        name_003,
    ),
    Rule::new(
        "NAME-004",
        Severity::Error,
        "Underscore labels belong only in attribute owner names (`_mta-sts`, `_smtp._tls`, `_25._tcp`, `_secmx._tcp`, `_dmarc`, `_domainkey`) and never appear in a host name used as a record target.",
        name_004,
    ),
    Rule::new(
        "NAME-005",
        Severity::Warning,
        "A relay name whose last label is all digits (it reads like an IPv4 address) is almost certainly a mistake.",
        name_005,
    ),
    Rule::new(
        "NAME-006",
        Severity::Error,
        "Internationalised names are stored as A-labels (`xn--…`) everywhere in DNS data and policies; U-labels (raw Unicode) are never valid in zone data, TLSA base names or MTA-STS `mx` lines.",
        name_006,
    ),
    Rule::new(
        "NAME-007",
        Severity::Error,
        "A label starting `xn--` must decode to a valid U-label (error); any other label with hyphens in positions 3–4 is a reserved form and is flagged (warning).",
        name_007,
    ),
    Rule::new(
        "NAME-008",
        Severity::Error,
        "A target written without the final dot in zone-file syntax is relative to `$ORIGIN`; a resulting doubled origin (`mx1.agency.example.agency.example.`) is treated as a typing error.",
        name_008,
    ),
    Rule::new(
        "NAME-009",
        Severity::Error,
        "TTL values lie in 0–2147483647 seconds.",
        name_009,
    ),
    Rule::new(
        "NAME-010",
        Severity::Error,
        "Each TXT character-string is at most 255 octets; longer policy texts are split into several strings, which readers join with no separator.",
        name_010,
    ),
    Rule::new(
        "NAME-011",
        Severity::Error,
        "A name that owns a CNAME owns nothing else (no TXT, MX, SRV, TLSA beside it).",
        name_011,
    ),
    Rule::new(
        "NAME-012",
        Severity::Error,
        "An SRV service label follows RFC 6335: `_` + 1–15 chars, letters/digits/hyphens, at least one letter, no leading/trailing/adjacent hyphens; the protocol label for SMTP is `_tcp`.",
        name_012,
    ),
    Rule::new(
        "NAME-013",
        Severity::Error,
        "A TLSA owner begins with the port in decimal without leading zeros, then the transport label.",
        name_013,
    ),
    Rule::new(
        "NAME-014",
        Severity::Error,
        "Every RRset fits in one DNS message: the answer (header, question, RRset, one RRSIG in a signed zone) is at most 65,535 octets (error); above 1,232 octets it needs TCP (warning).",
        name_014,
    ),
    Rule::new(
        "NAME-015",
        Severity::Error,
        "Every RRset fits in a name server's store: the sum over its records of (2 + RDLENGTH), names uncompressed, is at most 65,512 octets (BIND 9 refuses the zone above).",
        name_015,
    ),
    Rule::new(
        "NAME-016",
        Severity::Error,
        "Every record a design exports lies inside the mail domain's zone: TLSA of a relay host outside the domain belongs in that host's zone (NSD refuses out-of-zone data, BIND and Knot drop it).",
        name_016,
    ),
];

mod labels;
mod records;
mod sizes;
#[cfg(test)]
mod tests;

use labels::*;
use records::*;
use sizes::*;

/// Where a name sits in a record: its owner, or the host it points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    Owner,
    Target,
}

/// Every owner name, then every target name (MX exchange, SRV target, CNAME target) of the set, with
/// the record that carries it. Names repeat (the apex owns every MX); checks judge each occurrence
/// cheaply and deduplicate only the findings, so the common path stays hash-free.
///
/// The list is made once per record set and shared by the checks (record indexes and places); each
/// check then walks it instead of all records twice.
fn each_name<'f>(
    facts: &'f crate::rules::Facts<'_>,
) -> impl Iterator<Item = (&'f Record, &'f str, Place)> + 'f {
    let set = facts.records;
    let uses = facts.name_uses.get_or_init(|| {
        scan_names(set)
            .map(|((i, _), _, place)| (i, place))
            .collect::<Vec<(usize, Place)>>()
    });
    let records = set.records();
    (0..uses.len()).filter_map(move |k| {
        let &(i, place) = uses.get(k)?;
        let r = records.get(i)?;
        let name = match (place, &r.data) {
            (Place::Owner, _) => r.name.as_str(),
            (Place::Target, RData::Mx { exchange, .. }) => exchange.as_str(),
            (Place::Target, RData::Srv { target, .. }) => target.as_str(),
            (Place::Target, RData::Cname(t)) => t.as_str(),
            (Place::Target, _) => return None,
        };
        Some((r, name, place))
    })
}

/// [`each_name`] as a walk over the records, with each record's index.
fn scan_names(set: &RecordSet) -> impl Iterator<Item = ((usize, &Record), &str, Place)> + '_ {
    let indexed = || set.records().iter().enumerate();
    let owners = indexed().map(|(i, r)| ((i, r), r.name.as_str(), Place::Owner));
    let targets = indexed().filter_map(|(i, r)| match &r.data {
        RData::Mx { exchange, .. } => Some(((i, r), exchange.as_str(), Place::Target)),
        RData::Srv { target, .. } => Some(((i, r), target.as_str(), Place::Target)),
        RData::Cname(t) => Some(((i, r), t.as_str(), Place::Target)),
        _ => None,
    });
    skip_repeats(owners.chain(targets))
}

/// Drop an item whose name equals the one just before it: an RRset's records come in a row, so the
/// apex of 10,000 MX records is judged once, without hashing.
fn skip_repeats<'a, R, T: Copy>(
    items: impl Iterator<Item = (R, &'a str, T)>,
) -> impl Iterator<Item = (R, &'a str, T)> {
    let mut prev: Option<&str> = None;
    items.filter(move |(_, name, _)| {
        let repeat = prev == Some(*name);
        prev = Some(*name);
        !repeat
    })
}

/// Fast path for NAME-001: an ASCII name whose labels are all 1–63 octets, in one pass over its
/// bytes. `false` sends the name to the precise (slower) check.
fn labels_fit(name: &str) -> bool {
    if name.len() <= 63 && name.is_ascii() {
        // No label can be too long; only an empty label is left to find.
        return !name.starts_with('.') && !name.ends_with('.') && !name.contains("..");
    }
    let mut len = 0usize;
    for &b in name.as_bytes() {
        if b >= 0x80 {
            return false;
        }
        if b == b'.' {
            if len == 0 {
                return false;
            }
            len = 0;
        } else {
            len += 1;
            if len > 63 {
                return false;
            }
        }
    }
    len > 0
}

/// Fast path for NAME-003: a name made only of LDH labels (no underscore, no raw Unicode, no label
/// starting or ending with a hyphen), in one pass over its bytes.
fn plain_ldh_name(name: &str) -> bool {
    let mut prev = b'.';
    for &b in name.as_bytes() {
        let ok = match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => true,
            b'-' => prev != b'.',
            b'.' => prev != b'-',
            _ => false,
        };
        if !ok {
            return false;
        }
        prev = b;
    }
    prev != b'-'
}

/// What a name is, for messages: "MX exchange", "owner of the TXT record".
fn what(rec: &Record, place: Place) -> String {
    match (place, &rec.data) {
        (Place::Target, RData::Mx { .. }) => "MX exchange".to_string(),
        (Place::Target, RData::Srv { .. }) => "SRV target".to_string(),
        (Place::Target, RData::Cname(_)) => "CNAME target".to_string(),
        _ => format!("owner name of the {} record", rec.data.rtype()),
    }
}

/// Whether a record is a TLSA record (parsed, or kept as text because its data did not parse).
fn is_tlsa(rec: &Record) -> bool {
    rec.data.rtype() == "TLSA"
}

/// The base name of a TLSA owner: `_25._tcp.mx1.agency.example` → `mx1.agency.example` (at most the
/// two leading port and transport labels are stripped, so a stray third underscore label is still
/// judged).
fn tlsa_base(owner: &str) -> &str {
    let mut rest = owner;
    for _ in 0..2 {
        match rest.split_once('.') {
            // `_25` / `_tcp`, or a port label that lost its underscore (`25._tcp…`, NAME-013's case).
            Some((first, tail))
                if first.starts_with('_')
                    || ["_tcp.", "_udp.", "_sctp."]
                        .iter()
                        .any(|t| tail.starts_with(t)) =>
            {
                rest = tail
            }
            _ => break,
        }
    }
    rest
}

/// The names used as relay hosts: MX exchanges, SRV targets, owners of A/AAAA and TLSA base names,
/// with the record and what the name is there. The root (null MX, SRV opt-out) is left out.
///
/// Made once per record set and shared by the checks, like [`each_name`].
fn relay_hosts<'f>(
    facts: &'f crate::rules::Facts<'_>,
) -> impl Iterator<Item = (&'f Record, &'f str, &'static str)> + 'f {
    let set = facts.records;
    let uses = facts.relay_hosts.get_or_init(|| {
        scan_relay_hosts(set)
            .map(|((i, r), host, kind)| {
                // The host is the name of the record's kind: its offset in the owner for a TLSA
                // base name (a suffix of the owner), else the kind says where it is.
                let offset = r.name.len().saturating_sub(host.len());
                (i, kind, offset)
            })
            .collect::<Vec<(usize, &'static str, usize)>>()
    });
    let records = set.records();
    (0..uses.len()).filter_map(move |k| {
        let &(i, kind, offset) = uses.get(k)?;
        let r = records.get(i)?;
        let host = match &r.data {
            RData::Mx { exchange, .. } => exchange.as_str(),
            RData::Srv { target, .. } => target.as_str(),
            RData::A(_) | RData::Aaaa(_) => r.name.as_str(),
            _ => r.name.get(offset..)?,
        };
        Some((r, host, kind))
    })
}

/// [`relay_hosts`] as a walk over the records.
fn scan_relay_hosts(
    set: &RecordSet,
) -> impl Iterator<Item = ((usize, &Record), &str, &'static str)> + '_ {
    let hosts = set
        .records()
        .iter()
        .enumerate()
        .filter_map(|(i, r)| match &r.data {
            RData::Mx { exchange, .. } => Some(((i, r), exchange.as_str(), "MX exchange")),
            RData::Srv { target, .. } => Some(((i, r), target.as_str(), "SRV target")),
            RData::A(_) | RData::Aaaa(_) => Some(((i, r), r.name.as_str(), "address host")),
            _ if is_tlsa(r) => Some(((i, r), tlsa_base(&r.name), "TLSA base name")),
            _ => None,
        })
        .filter(|(_, host, _)| !host.is_empty());
    skip_repeats(hosts)
}

/// Length of a label in octets as it goes on the wire: the A-label form for raw Unicode when it
/// converts, else the UTF-8 length.
fn label_octets(label: &str) -> usize {
    if label.is_ascii() {
        return label.len();
    }
    idna::domain_to_ascii(label)
        .map(|a| a.len())
        .unwrap_or(label.len())
}

/// Length of a whole name in characters without the final dot (A-label form where it converts).
fn name_octets(name: &str) -> usize {
    if name.is_ascii() {
        return name.len();
    }
    idna::domain_to_ascii(name)
        .map(|a| a.len())
        .unwrap_or(name.len())
}

/// The first `n` characters of a long text, marked as cut.
fn head(text: &str, n: usize) -> String {
    if text.chars().count() <= n {
        return text.to_string();
    }
    let mut s: String = text.chars().take(n).collect();
    s.push('…');
    s
}
