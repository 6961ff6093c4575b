//! NAME rules (the catalogue: `rules::catalogue`, `secmx explain`). Each rule's Fail/Pass examples are its unit tests below.

use super::wire::{self, Answer};
use super::{Finding, Input, Needs, Raise, Rule, Severity};
use crate::model::name::is_ldh_label;
use crate::model::{Origin, RData, Record, RecordSet};
use std::collections::HashSet;

/// The rules of this group, in catalogue order.
pub const RULES: &[Rule] = &[
    Rule {
        id: "NAME-001",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "Every label of every owner name and every target name is 1–63 octets long.",
        needs: Needs::Static,
        check: Some(name_001),
        planned: None,
    },
    Rule {
        id: "NAME-002",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "A whole name fits in 255 octets of wire format (≤ 253 characters written without the final dot).",
        needs: Needs::Static,
        check: Some(name_002),
        planned: None,
    },
    Rule {
        id: "NAME-003",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "Names used as relay hosts (MX exchange, SRV target, TLSA base name, `mta-sts` policy host) are LDH host names: letters, digits and hyphens only, no label starting or ending with a hyphen.",
        needs: Needs::Static,
        check: Some(name_003),
        planned: None,
    },
    Rule {
        id: "NAME-004",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "Underscore labels belong only in attribute owner names (`_mta-sts`, `_smtp._tls`, `_25._tcp`, `_secmx._tcp`, `_dmarc`, `_domainkey`) and never appear in a host name used as a record target.",
        needs: Needs::Static,
        check: Some(name_004),
        planned: None,
    },
    Rule {
        id: "NAME-005",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "A relay name whose last label is all digits (it reads like an IPv4 address) is almost certainly a mistake.",
        needs: Needs::Static,
        check: Some(name_005),
        planned: None,
    },
    Rule {
        id: "NAME-006",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "Internationalised names are stored as A-labels (`xn--…`) everywhere in DNS data and policies; U-labels (raw Unicode) are never valid in zone data, TLSA base names or MTA-STS `mx` lines.",
        needs: Needs::Static,
        check: Some(name_006),
        planned: None,
    },
    Rule {
        id: "NAME-007",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "A label starting `xn--` must decode to a valid U-label (error); any other label with hyphens in positions 3–4 is a reserved form and is flagged (warning).",
        needs: Needs::Static,
        check: Some(name_007),
        planned: None,
    },
    Rule {
        id: "NAME-008",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "A target written without the final dot in zone-file syntax is relative to `$ORIGIN`; a resulting doubled origin (`mx1.agency.example.agency.example.`) is treated as a typing error.",
        needs: Needs::Static,
        check: Some(name_008),
        planned: None,
    },
    Rule {
        id: "NAME-009",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "TTL values lie in 0–2147483647 seconds.",
        needs: Needs::Static,
        check: Some(name_009),
        planned: None,
    },
    Rule {
        id: "NAME-010",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "Each TXT character-string is at most 255 octets; longer policy texts are split into several strings, which readers join with no separator.",
        needs: Needs::Static,
        check: Some(name_010),
        planned: None,
    },
    Rule {
        id: "NAME-011",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "A name that owns a CNAME owns nothing else (no TXT, MX, SRV, TLSA beside it).",
        needs: Needs::Static,
        check: Some(name_011),
        planned: None,
    },
    Rule {
        id: "NAME-012",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "An SRV service label follows RFC 6335: `_` + 1–15 chars, letters/digits/hyphens, at least one letter, no leading/trailing/adjacent hyphens; the protocol label for SMTP is `_tcp`.",
        needs: Needs::Static,
        check: Some(name_012),
        planned: None,
    },
    Rule {
        id: "NAME-013",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "A TLSA owner begins with the port in decimal without leading zeros, then the transport label.",
        needs: Needs::Static,
        check: Some(name_013),
        planned: None,
    },
    Rule {
        id: "NAME-014",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "Every RRset fits in one DNS message: the answer (header, question, RRset, one RRSIG in a signed zone) is at most 65,535 octets (error); above 1,232 octets it needs TCP (warning).",
        needs: Needs::Static,
        check: Some(name_014),
        planned: None,
    },
    Rule {
        id: "NAME-015",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "Every RRset fits in a name server's store: the sum over its records of (2 + RDLENGTH), names uncompressed, is at most 65,512 octets (BIND 9 refuses the zone above).",
        needs: Needs::Static,
        check: Some(name_015),
        planned: None,
    },
    Rule {
        id: "NAME-016",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "Every record a design exports lies inside the mail domain's zone: TLSA of a relay host outside the domain belongs in that host's zone (NSD refuses out-of-zone data, BIND and Knot drop it).",
        needs: Needs::Static,
        check: Some(name_016),
        planned: None,
    },
];

/// Where a name sits in a record: its owner, or the host it points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Owner,
    Target,
}

/// Every owner name, then every target name (MX exchange, SRV target, CNAME target) of the set, with
/// the record that carries it. Names repeat (the apex owns every MX); checks judge each occurrence
/// cheaply and deduplicate only the findings, so the common path stays hash-free.
///
/// The list is made once per record set and shared by the checks (record indexes and places); each
/// check then walks it instead of all records twice.
fn each_name(set: &RecordSet) -> impl Iterator<Item = (&Record, &str, Place)> + '_ {
    let uses = set.shared("name uses", |set| {
        scan_names(set)
            .filter_map(|(r, _, place)| set.position(r).map(|i| (i, place)))
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

/// [`each_name`] as a walk over the records.
fn scan_names(set: &RecordSet) -> impl Iterator<Item = (&Record, &str, Place)> + '_ {
    let owners = set.iter().map(|r| (r, r.name.as_str(), Place::Owner));
    let targets = set.iter().filter_map(|r| match &r.data {
        RData::Mx { exchange, .. } => Some((r, exchange.as_str(), Place::Target)),
        RData::Srv { target, .. } => Some((r, target.as_str(), Place::Target)),
        RData::Cname(t) => Some((r, t.as_str(), Place::Target)),
        _ => None,
    });
    skip_repeats(owners.chain(targets))
}

/// Drop an item whose name equals the one just before it: an RRset's records come in a row, so the
/// apex of 10,000 MX records is judged once, without hashing.
fn skip_repeats<'a, T: Copy>(
    items: impl Iterator<Item = (&'a Record, &'a str, T)>,
) -> impl Iterator<Item = (&'a Record, &'a str, T)> {
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
fn relay_hosts(set: &RecordSet) -> impl Iterator<Item = (&Record, &str, &'static str)> + '_ {
    let uses = set.shared("relay hosts", |set| {
        scan_relay_hosts(set)
            .filter_map(|(r, host, kind)| {
                let i = set.position(r)?;
                // The host is the name of the record's kind: its offset in the owner for a TLSA
                // base name (a suffix of the owner), else the kind says where it is.
                let offset = r.name.len().saturating_sub(host.len());
                Some((i, kind, offset))
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
fn scan_relay_hosts(set: &RecordSet) -> impl Iterator<Item = (&Record, &str, &'static str)> + '_ {
    let hosts = set
        .iter()
        .filter_map(|r| match &r.data {
            RData::Mx { exchange, .. } => Some((r, exchange.as_str(), "MX exchange")),
            RData::Srv { target, .. } => Some((r, target.as_str(), "SRV target")),
            RData::A(_) | RData::Aaaa(_) => Some((r, r.name.as_str(), "address host")),
            _ if is_tlsa(r) => Some((r, tlsa_base(&r.name), "TLSA base name")),
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

fn name_001(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
    let mut seen = HashSet::new();
    for (rec, name, place) in each_name(input.records) {
        if name.is_empty() || labels_fit(name) {
            continue;
        }
        let problem = name.split('.').find_map(|label| {
            if label.is_empty() {
                Some((
                    "has an empty label (two dots in a row, or a leading dot)".to_string(),
                    "Remove the extra dot so that every label between two dots holds 1–63 characters."
                        .to_string(),
                ))
            } else {
                let octets = label_octets(label);
                (octets > 63).then(|| {
                    (
                        format!(
                            "has a label of {octets} octets (`{}`); a DNS label holds at most 63",
                            head(label, 24)
                        ),
                        "Shorten that label to 63 octets or fewer, or split it into two labels with a dot."
                            .to_string(),
                    )
                })
            }
        });
        let Some((problem, fix)) = problem else {
            continue;
        };
        if !seen.insert(name) {
            continue;
        }
        out.push(
            rule.finding(
                input,
                name,
                format!("The {} `{}` {problem}.", what(rec, place), head(name, 80)),
                fix,
            )
            .at(rec.origin),
        );
    }
}

fn name_002(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
    let mut seen = HashSet::new();
    for (rec, name, place) in each_name(input.records) {
        let len = name_octets(name);
        if len <= 253 || !seen.insert(name) {
            continue;
        }
        out.push(
            rule.finding(
                input,
                name,
                format!(
                    "The {} `{}` is {len} characters long (without the final dot); a DNS name holds at most 253 (255 octets on the wire), so it cannot be published.",
                    what(rec, place),
                    head(name, 60)
                ),
                "Shorten the name: use shorter or fewer labels (a host name such as `mx1.agency.example` is plenty).",
            )
            .at(rec.origin),
        );
    }
}

/// Why a relay host label is not an LDH label, or `None`. Labels that other rules own are left to
/// them: empty or over-long labels (NAME-001), underscore labels (NAME-004), raw Unicode (NAME-006).
fn ldh_problem(label: &str) -> Option<String> {
    if label.is_empty() || label.starts_with('_') || !label.is_ascii() || is_ldh_label(label) {
        return None;
    }
    if let Some(c) = label
        .chars()
        .find(|c| !c.is_ascii_alphanumeric() && *c != '-')
    {
        return Some(format!(
            "contains `{c}`, which is not allowed in a host name"
        ));
    }
    if label.starts_with('-') {
        return Some("starts with a hyphen".to_string());
    }
    Some("ends with a hyphen".to_string())
}

fn name_003(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
    let mut seen = HashSet::new();
    for (rec, host, kind) in relay_hosts(input.records) {
        if plain_ldh_name(host) {
            continue;
        }
        let Some((label, problem)) = host.split('.').find_map(|l| ldh_problem(l).map(|p| (l, p)))
        else {
            continue;
        };
        if !seen.insert(host) {
            continue;
        }
        let repaired: String = label
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        let repaired = repaired.trim_matches('-');
        let example = if is_ldh_label(repaired) {
            format!(" (e.g. `{repaired}` instead of `{label}`)")
        } else {
            String::new()
        };
        out.push(
            rule.finding(
                input,
                host,
                format!(
                    "The {kind} `{host}` is used as a relay host name, but its label `{label}` {problem}. Host names may hold only letters, digits and hyphens, and no label may start or end with a hyphen."
                ),
                format!(
                    "Rename the host to a valid LDH name{example} and update every record that points at it."
                ),
            )
            .at(rec.origin),
        );
    }
}

fn name_004(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
    let mut seen = HashSet::new();
    for (rec, host, kind) in relay_hosts(input.records) {
        if !host.as_bytes().contains(&b'_') {
            continue;
        }
        let Some(label) = host.split('.').find(|l| l.starts_with('_')) else {
            continue;
        };
        if !seen.insert(host) {
            continue;
        }
        let bare = label.trim_start_matches('_');
        let example = if is_ldh_label(bare) {
            let fixed = host.replacen(label, bare, 1);
            format!(", e.g. `{fixed}`")
        } else {
            String::new()
        };
        out.push(
            rule.finding(
                input,
                host,
                format!(
                    "The {kind} `{host}` contains the underscore label `{label}`. Underscore labels are only for attribute names such as `_mta-sts`, `_smtp._tls`, `_25._tcp` or `_secmx._tcp`; a host that mail is delivered to cannot have one."
                ),
                format!("Use the relay's real host name, made of letters, digits and hyphens{example}."),
            )
            .at(rec.origin),
        );
    }
}

fn name_005(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
    let mut seen = HashSet::new();
    for (rec, host, kind) in relay_hosts(input.records) {
        let last = host.rsplit('.').next().unwrap_or(host);
        if last.is_empty() || !last.bytes().all(|b| b.is_ascii_digit()) || !seen.insert(host) {
            continue;
        }
        out.push(
            rule.finding(
                input,
                host,
                format!(
                    "The {kind} `{host}` ends in the all-digit label `{last}`, so it reads like an IPv4 address rather than a host name; no top-level domain is all digits."
                ),
                "Name the relay by its host name (e.g. `mx1.agency.example`) and publish its address as an A record of that name.",
            )
            .at(rec.origin),
        );
    }
}

fn name_006(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
    let mut seen = HashSet::new();
    for (rec, name, place) in each_name(input.records) {
        if name.is_ascii() || !seen.insert(name) {
            continue;
        }
        let fix = match idna::domain_to_ascii(name) {
            Ok(a) => format!("Write it in A-label form: `{a}`."),
            Err(_) => "This name is not valid IDNA as written; check its spelling, then write it in A-label form (`xn--…`) with an IDNA 2008 converter.".to_string(),
        };
        out.push(
            rule.finding(
                input,
                name,
                format!(
                    "The {} `{name}` contains raw Unicode (a U-label). DNS data, TLSA base names and MTA-STS `mx` lines must hold internationalised names as A-labels (`xn--…`).",
                    what(rec, place)
                ),
                fix,
            )
            .at(rec.origin),
        );
    }
}

/// Why an `xn--` label is not a valid A-label, or `None` when it is: it must be valid Punycode that
/// decodes to a non-ASCII U-label which IDNA encodes back to exactly the same label.
fn a_label_problem(label: &str) -> Option<String> {
    let encoded = label.strip_prefix("xn--")?;
    let Some(u) = idna::punycode::decode_to_string(encoded) else {
        return Some("is not valid Punycode".to_string());
    };
    if u.is_ascii() {
        return Some(format!(
            "decodes to plain ASCII (`{u}`), which is never written as an `xn--` label"
        ));
    }
    match idna::domain_to_ascii_strict(&u) {
        Ok(a) if a == label => None,
        Ok(a) => Some(format!(
            "decodes to `{u}`, whose A-label is `{a}`, not `{label}`"
        )),
        Err(_) => Some(format!(
            "decodes to `{u}`, which is not a valid internationalised label"
        )),
    }
}

fn name_007(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
    let mut seen = HashSet::new();
    for (rec, name, place) in each_name(input.records) {
        // Cheap pre-test: only names with a `--` somewhere can offend.
        if !name.contains("--") || seen.contains(name) {
            continue;
        }
        if let Some(f) = name_007_judge(rule, input, name, &what(rec, place)) {
            seen.insert(name);
            out.push(f.at(rec.origin));
        }
    }
    // The mail domain itself, also when no record is built on it (a design without relays):
    // unless a finding above already named one of its labels.
    let domain = input.domain;
    let covered = seen
        .iter()
        .any(|n| *n == domain || n.ends_with(&format!(".{domain}")));
    if domain.contains("--")
        && !covered
        && let Some(f) = name_007_judge(rule, input, domain, "mail domain")
    {
        out.push(f.at(Origin::Domain));
    }
}

/// NAME-007 for one name: a bad `xn--` label (error) or a reserved `??--` label (warning).
fn name_007_judge(rule: &Rule, input: &Input<'_>, name: &str, what: &str) -> Option<Finding> {
    let mut bad_a_label = None;
    let mut reserved = None;
    for label in name.split('.') {
        if label.starts_with("xn--") {
            if let Some(p) = a_label_problem(label) {
                bad_a_label = Some((label, p));
                break;
            }
        } else if reserved.is_none() && label.as_bytes().get(2..4) == Some(b"--".as_slice()) {
            reserved = Some(label);
        }
    }
    if let Some((label, problem)) = bad_a_label {
        Some(
            rule.finding(
                input,
                name,
                format!(
                    "The {what} `{name}` has the label `{label}`, which starts with `xn--` but {problem}; IDNA software rejects the whole name."
                ),
                "Convert the intended Unicode name with an IDNA 2008 tool and paste the A-label it gives, or use a plain ASCII name.",
            )
            .with_severity(Severity::Error),
        )
    } else {
        let label = reserved?;
        let fixed = format!(
            "{}{}",
            label.get(..2).unwrap_or(""),
            label.get(3..).unwrap_or("")
        );
        Some(
            rule.finding(
                input,
                name,
                format!(
                    "The {what} `{name}` has the label `{label}` with hyphens in positions 3 and 4; that form is reserved for encodings such as IDNA's `xn--`, and some software refuses it."
                ),
                format!("Rename the label so positions 3–4 are not both hyphens, e.g. `{fixed}`."),
            )
            .with_severity(Severity::Warning),
        )
    }
}

fn name_008(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
    let domain = input.domain;
    if domain.is_empty() {
        return;
    }
    let doubled = format!("{domain}.{domain}");
    let mut seen = HashSet::new();
    for (rec, name, place) in each_name(input.records) {
        let hit = name == doubled
            || name
                .strip_suffix(doubled.as_str())
                .is_some_and(|head| head.ends_with('.'));
        if !hit || !seen.insert(name) {
            continue;
        }
        // The intended name: drop the origin that was appended a second time.
        let intended = name
            .strip_suffix(domain)
            .and_then(|n| n.strip_suffix('.'))
            .unwrap_or(name);
        let relative = intended
            .strip_suffix(domain)
            .and_then(|n| n.strip_suffix('.'))
            .map(|r| format!(" or relative (`{r}`)"))
            .unwrap_or_default();
        out.push(
            rule.finding(
                input,
                name,
                format!(
                    "The {} `{name}` ends in the domain `{domain}` twice. In a zone file a name written without the final dot is relative to $ORIGIN, so `{intended}` became `{name}.`.",
                    what(rec, place)
                ),
                format!("Write the name with a final dot (`{intended}.`){relative}."),
            )
            .at(rec.origin),
        );
    }
}

fn name_009(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
    for rec in input.records.iter() {
        if (0..=2_147_483_647).contains(&rec.ttl) {
            continue;
        }
        let rtype = rec.data.rtype();
        out.push(
            rule.finding(
                input,
                format!("{} {} {rtype}", rec.name, rec.ttl),
                format!(
                    "The TTL {} of the {rtype} record at `{}` is outside 0–2147483647 seconds; DNS software treats such a TTL as 0 or rejects the record.",
                    rec.ttl, rec.name
                ),
                "Use a TTL between 0 and 2147483647 seconds, e.g. 3600 (one hour).",
            )
            .at(rec.origin),
        );
    }
}

fn name_010(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
    for rec in input.records.of_type("TXT") {
        let RData::Txt(strings) = &rec.data else {
            continue;
        };
        let Some(longest) = strings.iter().map(String::len).max() else {
            continue;
        };
        if longest <= 255 {
            continue;
        }
        out.push(
            rule.finding(
                input,
                format!("{} TXT", rec.name),
                format!(
                    "A character-string of the TXT record at `{}` is {longest} octets long; one TXT string holds at most 255 octets, so the record cannot be published as written.",
                    rec.name
                ),
                "Split the text into several quoted strings of at most 255 octets each (\"first part\" \"second part\"); readers join them with no separator.",
            )
            .at(rec.origin),
        );
    }
}

fn name_011(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
    let mut seen = HashSet::new();
    for rec in input.records.of_type("CNAME") {
        let RData::Cname(target) = &rec.data else {
            continue;
        };
        if !seen.insert(rec.name.as_str()) {
            continue;
        }
        let mut others: Vec<&str> = Vec::new();
        for other in input.records.named(&rec.name) {
            if std::ptr::eq(other, rec) {
                continue;
            }
            let t = other.data.rtype();
            if !others.contains(&t) {
                others.push(t);
            }
        }
        if others.is_empty() {
            continue;
        }
        let list = others.join(", ");
        out.push(
            rule.finding(
                input,
                rec.name.as_str(),
                format!(
                    "`{}` owns a CNAME (to `{target}`) and also {list}. A name with a CNAME may own nothing else: resolvers follow the alias and never see the {list}, and many DNS servers refuse the zone.",
                    rec.name
                ),
                format!(
                    "Keep either the CNAME or the other records at `{}`: delete the {list}, or remove the CNAME and publish the records directly.",
                    rec.name
                ),
            )
            .at(rec.origin),
        );
    }
}

/// Why an SRV service label breaks RFC 6335 §5.1, or `None`.
fn service_label_problem(label: &str) -> Option<String> {
    let Some(name) = label.strip_prefix('_') else {
        return Some("does not start with `_`".to_string());
    };
    if name.is_empty() {
        return Some("has nothing after the `_`".to_string());
    }
    let len = name.chars().count();
    if len > 15 {
        return Some(format!(
            "has {len} characters after the `_`; a service name holds at most 15"
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !c.is_ascii_alphanumeric() && *c != '-')
    {
        return Some(format!(
            "contains `{c}`; a service name holds only letters, digits and hyphens"
        ));
    }
    if !name.bytes().any(|b| b.is_ascii_alphabetic()) {
        return Some("has no letter; a service name needs at least one".to_string());
    }
    if name.starts_with('-') || name.ends_with('-') {
        return Some("starts or ends with a hyphen".to_string());
    }
    if name.contains("--") {
        return Some("has two hyphens in a row".to_string());
    }
    None
}

fn name_012(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
    let fix = "Use a service label of `_` plus 1–15 letters, digits or single hyphens with at least one letter (the SecMX default is `_secmx`), followed by `_tcp`: `_secmx._tcp.<domain>`.";
    let label_bad = service_label_problem(input.srv_label);
    if let Some(problem) = &label_bad {
        out.push(
            rule.finding(
                input,
                input.srv_owner(),
                format!(
                    "The SRV service label `{}` set for this domain {problem} (RFC 6335).",
                    input.srv_label
                ),
                fix,
            )
            .at(Origin::Domain),
        );
    }
    let mut seen = HashSet::new();
    for rec in input.records.of_type("SRV") {
        let owner = rec.name.as_str();
        let mut labels = owner.split('.');
        let service = labels.next().unwrap_or("");
        let proto = labels.next().unwrap_or("");
        let problem = if service == input.srv_label && label_bad.is_some() {
            None // already reported for the design label
        } else {
            service_label_problem(service).map(|p| format!("its service label `{service}` {p}"))
        };
        let problem = problem.or_else(|| {
            (proto != "_tcp" && super::srv::is_mail_service(service, input)).then(|| {
                if proto.starts_with('_') {
                    format!("its protocol label is `{proto}`, but SMTP runs over TCP (`_tcp`)")
                } else {
                    "it has no `_tcp` protocol label after the service label".to_string()
                }
            })
        });
        let Some(problem) = problem else {
            continue;
        };
        if !seen.insert(owner) {
            continue;
        }
        out.push(
            rule.finding(
                input,
                owner,
                format!("The SRV owner `{owner}` is malformed: {problem}."),
                fix,
            )
            .at(rec.origin),
        );
    }
}

/// Why a TLSA owner does not begin `_<port>._tcp.`, with the corrected owner when one can be given.
fn tlsa_owner_problem(owner: &str) -> Option<(String, Option<String>)> {
    let mut labels = owner.splitn(3, '.');
    let port_label = labels.next().unwrap_or("");
    let proto = labels.next().unwrap_or("");
    let rest = labels.next().unwrap_or("");
    let Some(digits) = port_label.strip_prefix('_') else {
        return Some((
            format!("starts with `{port_label}` instead of `_` and the port number (e.g. `_25`)"),
            None,
        ));
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Some((
            format!(
                "starts with `{port_label}`, which is not `_` followed by a decimal port number"
            ),
            None,
        ));
    }
    let port: u64 = digits.parse().unwrap_or(u64::MAX);
    if port > 65535 {
        return Some((
            format!("starts with `{port_label}`, which is not a TCP port (0–65535)"),
            None,
        ));
    }
    if digits.len() > 1 && digits.starts_with('0') {
        let fixed = format!(
            "_{port}.{proto}{}{rest}",
            if rest.is_empty() { "" } else { "." }
        );
        return Some((
            format!(
                "starts with `{port_label}`: the port must be written in decimal without leading zeros (`_{port}`)"
            ),
            Some(fixed),
        ));
    }
    if proto != "_tcp" {
        return Some((
            format!(
                "has `{proto}` after the port label where the transport label `_tcp` belongs (SMTP runs over TCP)"
            ),
            None,
        ));
    }
    None
}

fn name_013(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
    let mut seen = HashSet::new();
    for rec in input.records.of_type("TLSA") {
        let owner = rec.name.as_str();
        let Some((problem, fixed)) = tlsa_owner_problem(owner) else {
            continue;
        };
        if !seen.insert(owner) {
            continue;
        }
        let fix = match fixed {
            Some(f) => format!("Rename the owner to `{f}`."),
            None => "Publish the TLSA record at `_<port>._tcp.<relay-host>`, e.g. `_25._tcp.mx1.agency.example`.".to_string(),
        };
        out.push(
            rule.finding(
                input,
                owner,
                format!(
                    "The TLSA owner `{owner}` {problem}, so senders that look up `_<port>._tcp.<host>` never find this record."
                ),
                fix,
            )
            .at(rec.origin),
        );
    }
}

/// What to do about an RRset that is too large, by type.
fn shrink_fix(rtype: &str) -> &'static str {
    match rtype {
        "MX" => {
            "Publish fewer MX records: a few Best Effort Receivers (each name may hold several addresses or sit behind a load balancer) instead of one MX record per relay."
        }
        "SRV" => {
            "Publish fewer SRV records: a few relay names (each may hold several addresses) instead of one SRV record per relay."
        }
        "TLSA" => {
            "Publish fewer TLSA records at this name, and digests (matching type 1 or 2) rather than whole certificates or keys (matching type 0)."
        }
        "TXT" => "Shorten the text, or publish fewer TXT records at this name.",
        "A" | "AAAA" => "Give this host fewer addresses, or spread them over several host names.",
        _ => "Publish fewer or smaller records at this name.",
    }
}

/// The RRsets whose size a rule judges: (first record, owner, type, measurement).
fn measured<'a>(
    input: &Input<'a>,
    sizes: &'a wire::Sizes,
) -> impl Iterator<Item = (&'a Record, &'a wire::Measured)> + 'a {
    let records = input.records.records();
    sizes
        .measured
        .iter()
        .filter_map(move |m| records.get(m.first).map(|r| (r, m)))
}

fn name_014(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
    let sizes = wire::sizes(input.records, input.domain);
    let sig = if sizes.signed {
        " and one RRSIG (ECDSA P-256; DANE needs a signed zone)"
    } else {
        ""
    };
    for (first, m) in measured(input, &sizes) {
        let rtype = first.data.rtype();
        let owner = first.name.as_str();
        let subject = format!("{} {rtype}", head(owner, 80));
        let finding = match m.answer {
            Answer::TooLarge { fit } => rule.finding(
                input,
                subject,
                format!(
                    "The {rtype} RRset of `{}` ({} records) does not fit in one DNS message: header, question and the first {fit} records{} already fill 65,535 octets. Name servers refuse to load the zone (BIND: \"ran out of space\") and no resolver can receive the answer.",
                    head(owner, 80),
                    m.records,
                    if fit == m.records { sig } else { "" }
                ),
                shrink_fix(rtype),
            ),
            Answer::Exact(n) if n > wire::MESSAGE_LIMIT => rule.finding(
                input,
                subject,
                format!(
                    "The answer for the {rtype} RRset of `{}` ({} records{sig}) is {n} octets; a DNS message holds at most 65,535.",
                    head(owner, 80),
                    m.records
                ),
                shrink_fix(rtype),
            ),
            Answer::Exact(n) if n + wire::OPT_RECORD > wire::UDP_LIMIT => rule
                .finding(
                    input,
                    subject,
                    format!(
                        "The answer for the {rtype} RRset of `{}` ({} records{sig}) is {n} octets, {} with EDNS: more than the 1,232 octets of the DNS Flag Day 2020 buffer, so resolvers get it truncated and must ask again over TCP (some senders' resolvers fail there).",
                        head(owner, 80),
                        m.records,
                        n + wire::OPT_RECORD
                    ),
                    shrink_fix(rtype),
                )
                .with_severity(Severity::Warning),
            Answer::Exact(_) => continue,
        };
        out.push(finding.at(first.origin));
    }
}

fn name_015(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
    let sizes = wire::sizes(input.records, input.domain);
    for (first, m) in measured(input, &sizes) {
        if m.stored <= wire::BIND_RRSET_LIMIT {
            continue;
        }
        let rtype = first.data.rtype();
        let owner = first.name.as_str();
        out.push(
            rule.finding(
                input,
                format!("{} {rtype}", head(owner, 80)),
                format!(
                    "The {rtype} RRset of `{}` ({} records) takes {} octets as a name server stores it (2 + RDLENGTH per record, names uncompressed); BIND 9 stores at most 65,512 and refuses the whole zone (\"ran out of space\"), even where the compressed answer would fit in a message.",
                    head(owner, 80),
                    m.records,
                    m.stored
                ),
                shrink_fix(rtype),
            )
            .at(first.origin),
        );
    }
}

fn name_016(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
    // Only a design's records make one zone snippet; what DNS publishes (and a bare record set)
    // spans many zones by nature.
    if input.relays.is_empty()
        || input
            .live
            .is_some_and(|p| std::ptr::eq(&p.records, input.records))
    {
        return;
    }
    let mut seen = HashSet::new();
    for rec in input.records.iter() {
        if crate::model::name::is_in_domain(&rec.name, input.domain)
            || !seen.insert(rec.name.as_str())
        {
            continue;
        }
        out.push(
            rule.finding(
                input,
                rec.name.as_str(),
                format!(
                    "The {} record at `{}` is outside `{}`, so it cannot be part of the domain's zone: pasted into it, nsd-checkzone refuses the zone (\"out of zone data\"), BIND and Knot drop the record.",
                    rec.data.rtype(),
                    head(&rec.name, 80),
                    input.domain
                ),
                "Publish these records in the zone of the relay host (ask its operator), and remove them from this design; or use a relay host name inside the domain.",
            )
            .at(rec.origin),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Role;
    use crate::rules::testkit::*;

    /// A DANE-EE SPKI SHA-256 TLSA record at `owner`.
    fn tlsa_at(owner: &str) -> Record {
        tlsa(owner, 3, 1, 1, &h256('a'))
    }

    // NAME-001

    #[test]
    fn name_001_fail_64_octet_label() {
        let host = format!("mx-{}.agency.example", "a".repeat(64));
        let out = Case::new(vec![addr(&host, "192.0.2.25")]).fails("NAME-001");
        assert_eq!(out.len(), 1);
        assert!(out[0].message.contains("67 octets"), "{}", out[0].message);
    }

    #[test]
    fn name_001_fail_empty_label_in_target() {
        Case::new(vec![mx("agency.example", 10, "mx1..agency.example.")]).fails("NAME-001");
    }

    #[test]
    fn name_001_pass_short_labels() {
        Case::new(vec![addr("mx1.agency.example", "192.0.2.25")]).passes("NAME-001");
    }

    #[test]
    fn name_001_pass_63_octet_label() {
        let host = format!("{}.agency.example", "a".repeat(63));
        Case::new(vec![
            mx("agency.example", 10, &host),
            addr(&host, "192.0.2.25"),
        ])
        .passes("NAME-001");
    }

    #[test]
    fn name_001_reports_each_name_once() {
        let host = format!("{}.agency.example", "b".repeat(70));
        let out = Case::new(vec![
            mx("agency.example", 10, &host),
            mx("sub.agency.example", 10, &host),
            addr(&host, "192.0.2.25"),
        ])
        .fails("NAME-001");
        assert_eq!(out.len(), 1);
    }

    // NAME-002

    #[test]
    fn name_002_fail_260_character_tlsa_owner() {
        let owner = format!(
            "_25._tcp.{}.agency.example",
            vec!["a".repeat(60); 4].join(".")
        );
        assert!(owner.len() > 253);
        Case::new(vec![tlsa_at(&owner)]).fails("NAME-002");
    }

    #[test]
    fn name_002_pass_short_tlsa_owner() {
        Case::new(vec![tlsa_at("_25._tcp.mx1.agency.example")]).passes("NAME-002");
    }

    #[test]
    fn name_002_pass_253_characters() {
        // 3 × 63 + 46 + 4 dots + "agency.example" (14) = 253 characters.
        let name = format!(
            "{}.{}.agency.example",
            vec!["c".repeat(63); 3].join("."),
            "d".repeat(46)
        );
        assert_eq!(name.len(), 253);
        Case::new(vec![addr(&name, "192.0.2.25")]).passes("NAME-002");
        let longer = format!("e{name}");
        Case::new(vec![addr(&longer, "192.0.2.25")]).fails("NAME-002");
    }

    // NAME-003

    #[test]
    fn name_003_fail_underscore_inside_mx_label() {
        let out =
            Case::new(vec![mx("agency.example", 10, "mail_gw.agency.example.")]).fails("NAME-003");
        assert!(out[0].fix.contains("mail-gw"), "{}", out[0].fix);
    }

    #[test]
    fn name_003_fail_leading_hyphen() {
        Case::new(vec![mx("agency.example", 10, "-mx.agency.example.")]).fails("NAME-003");
    }

    #[test]
    fn name_003_fail_tlsa_base_name() {
        Case::new(vec![tlsa_at("_25._tcp.mail_gw.agency.example")]).fails("NAME-003");
    }

    #[test]
    fn name_003_pass_ldh_host() {
        Case::new(vec![mx("agency.example", 10, "mail-gw.agency.example.")]).passes("NAME-003");
    }

    #[test]
    fn name_003_leaves_underscore_labels_and_attribute_owners_alone() {
        Case::new(vec![
            srv(
                "_secmx._tcp.agency.example",
                10,
                0,
                25,
                "_sor.agency.example.",
            ),
            txt("_mta-sts.agency.example", &["v=STSv1; id=1"]),
            tlsa_at("_25._tcp.mx1.agency.example"),
        ])
        .passes("NAME-003");
    }

    // NAME-004

    #[test]
    fn name_004_fail_underscore_srv_target() {
        let out = Case::new(vec![srv(
            "_secmx._tcp.agency.example",
            10,
            0,
            25,
            "_sor.agency.example.",
        )])
        .fails("NAME-004");
        assert_eq!(out[0].subject, "_sor.agency.example");
        assert!(
            out[0].fix.contains("`sor.agency.example`"),
            "{}",
            out[0].fix
        );
    }

    #[test]
    fn name_004_fail_underscore_in_tlsa_base_name() {
        Case::new(vec![tlsa_at("_25._tcp._sor.agency.example")]).fails("NAME-004");
    }

    #[test]
    fn name_004_leaves_a_malformed_tlsa_port_label_to_name_013() {
        Case::new(vec![tlsa_at("25._tcp.mx1.agency.example")]).passes("NAME-004");
        Case::new(vec![tlsa_at("25._tcp.mx1.agency.example")]).fails("NAME-013");
    }

    #[test]
    fn name_004_pass_ldh_target() {
        Case::new(vec![srv(
            "_secmx._tcp.agency.example",
            10,
            0,
            25,
            "sor1.agency.example.",
        )])
        .passes("NAME-004");
    }

    #[test]
    fn name_004_pass_attribute_owners_and_cname_targets() {
        Case::new(vec![
            cname("_mta-sts.agency.example", "_mta-sts.provider.example."),
            txt(
                "_smtp._tls.agency.example",
                &["v=TLSRPTv1; rua=mailto:r@agency.example"],
            ),
            tlsa_at("_25._tcp.mx1.agency.example"),
            srv(
                "_secmx._tcp.agency.example",
                10,
                0,
                25,
                "sor1.agency.example.",
            ),
        ])
        .passes("NAME-004");
    }

    // NAME-005

    #[test]
    fn name_005_fail_ip_like_exchange() {
        let out = Case::new(vec![mx("agency.example", 10, "192.0.2.25.")])
            .fails_with("NAME-005", Severity::Warning);
        assert_eq!(out[0].subject, "192.0.2.25");
    }

    #[test]
    fn name_005_pass_host_name() {
        Case::new(vec![mx("agency.example", 10, "mx1.agency.example.")]).passes("NAME-005");
    }

    // NAME-006

    #[test]
    fn name_006_fail_u_label_exchange() {
        let out =
            Case::new(vec![mx("agency.example", 10, "pōhi.agency.example.")]).fails("NAME-006");
        assert!(
            out[0].fix.contains("xn--phi-qxa.agency.example"),
            "{}",
            out[0].fix
        );
    }

    #[test]
    fn name_006_pass_a_label_exchange() {
        Case::new(vec![mx(
            "agency.example",
            10,
            "xn--phi-qxa.agency.example.",
        )])
        .passes("NAME-006");
    }

    // NAME-007

    #[test]
    fn name_007_fail_bogus_punycode_is_error() {
        Case::new(vec![mx(
            "agency.example",
            10,
            "xn--zz-bogus.agency.example.",
        )])
        .fails_with("NAME-007", Severity::Error);
    }

    #[test]
    fn name_007_fail_xn_label_of_plain_ascii_is_error() {
        // `xn--abc-` decodes to "abc": ASCII is never encoded as an A-label.
        Case::new(vec![addr("xn--abc-.agency.example", "192.0.2.25")])
            .fails_with("NAME-007", Severity::Error);
    }

    #[test]
    fn name_007_fail_reserved_hyphens_is_warning() {
        let out = Case::new(vec![mx("agency.example", 10, "ab--mx.agency.example.")])
            .fails_with("NAME-007", Severity::Warning);
        assert!(out.iter().all(|f| f.severity == Severity::Warning));
    }

    #[test]
    fn name_007_fail_invalid_punycode_in_the_domain_without_relays() {
        // Issue 13.7: no record is built on the domain, yet its A-label is judged.
        let text = "format = 1\ndomain = \"xn--abc-9999999999999999.example\"\nlevel = 1\n";
        let d = crate::project::parse_design(text, "t").unwrap();
        let f: Vec<_> = crate::rules::lint(&d)
            .into_iter()
            .filter(|f| f.rule == "NAME-007")
            .collect();
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].severity, Severity::Error);
        assert!(f[0].message.contains("`xn--abc-9999999999999999`"), "{f:?}");
        assert!(f[0].message.contains("mail domain"), "{f:?}");
        // A valid A-label domain passes.
        let ok = text.replace("xn--abc-9999999999999999", "xn--phi-qxa");
        let d = crate::project::parse_design(&ok, "t").unwrap();
        assert!(!crate::rules::lint(&d).iter().any(|f| f.rule == "NAME-007"));
    }

    #[test]
    fn name_007_pass_plain_host() {
        Case::new(vec![mx("agency.example", 10, "mx1.agency.example.")]).passes("NAME-007");
    }

    #[test]
    fn name_007_pass_valid_a_label() {
        Case::new(vec![mx(
            "agency.example",
            10,
            "xn--phi-qxa.agency.example.",
        )])
        .passes("NAME-007");
    }

    // NAME-008

    #[test]
    fn name_008_fail_doubled_origin() {
        let out = Case::new(vec![mx(
            "agency.example",
            10,
            "mx1.agency.example.agency.example.",
        )])
        .fails("NAME-008");
        assert!(
            out[0].fix.contains("`mx1.agency.example.`"),
            "{}",
            out[0].fix
        );
        assert!(out[0].fix.contains("`mx1`"), "{}", out[0].fix);
    }

    #[test]
    fn name_008_pass_absolute_target() {
        Case::new(vec![mx("agency.example", 10, "mx1.agency.example.")]).passes("NAME-008");
    }

    #[test]
    fn name_008_pass_name_merely_ending_like_the_domain() {
        // `xagency.example.agency.example` is not `<…>.agency.example.agency.example`.
        Case::new(vec![mx("agency.example", 10, "xagency.example.")]).passes("NAME-008");
    }

    // NAME-009

    #[test]
    fn name_009_fail_ttl_above_31_bits() {
        Case::new(vec![ttl(
            mx("agency.example", 10, "mx1.agency.example."),
            4_294_967_295,
        )])
        .fails("NAME-009");
    }

    #[test]
    fn name_009_fail_negative_ttl() {
        Case::new(vec![ttl(addr("mx1.agency.example", "192.0.2.25"), -1)]).fails("NAME-009");
    }

    #[test]
    fn name_009_pass_one_hour() {
        Case::new(vec![ttl(
            mx("agency.example", 10, "mx1.agency.example."),
            3600,
        )])
        .passes("NAME-009");
        Case::new(vec![ttl(
            mx("agency.example", 10, "mx1.agency.example."),
            2_147_483_647,
        )])
        .passes("NAME-009");
    }

    // NAME-010

    #[test]
    fn name_010_fail_300_octet_string() {
        let long = format!("v=TLSRPTv1; rua=mailto:{}@agency.example", "r".repeat(270));
        assert!(long.len() > 255);
        Case::new(vec![txt("_smtp._tls.agency.example", &[&long])]).fails("NAME-010");
    }

    #[test]
    fn name_010_pass_split_strings() {
        Case::new(vec![txt(
            "_smtp._tls.agency.example",
            &[
                "v=TLSRPTv1; rua=mailto:tlsrpt@agency.example,",
                "mailto:tlsrpt@provider.example",
            ],
        )])
        .passes("NAME-010");
        let max = "s".repeat(255);
        Case::new(vec![txt("agency.example", &[&max, &max])]).passes("NAME-010");
    }

    // NAME-011

    #[test]
    fn name_011_fail_cname_beside_txt() {
        let out = Case::new(vec![
            cname("_mta-sts.agency.example", "_mta-sts.provider.example."),
            txt("_mta-sts.agency.example", &["v=STSv1; id=1"]),
        ])
        .fails("NAME-011");
        assert_eq!(out.len(), 1);
        assert!(out[0].message.contains("TXT"), "{}", out[0].message);
    }

    #[test]
    fn name_011_pass_only_cname() {
        Case::new(vec![cname(
            "_mta-sts.agency.example",
            "_mta-sts.provider.example.",
        )])
        .passes("NAME-011");
    }

    #[test]
    fn name_011_pass_only_txt() {
        Case::new(vec![txt("_mta-sts.agency.example", &["v=STSv1; id=1"])]).passes("NAME-011");
    }

    // NAME-012

    #[test]
    fn name_012_fail_19_character_service_label() {
        let out = Case::new(vec![srv(
            "_secure-smtp-relay-nz._tcp.agency.example",
            10,
            0,
            25,
            "sor1.agency.example.",
        )])
        .fails("NAME-012");
        assert!(out[0].message.contains("at most 15"), "{}", out[0].message);
    }

    #[test]
    fn name_012_fail_design_label_too_long() {
        Case::new(vec![])
            .srv_label("_secure-smtp-relay-nz")
            .fails("NAME-012");
    }

    #[test]
    fn name_012_fail_udp_protocol() {
        Case::new(vec![srv(
            "_secmx._udp.agency.example",
            10,
            0,
            25,
            "sor1.agency.example.",
        )])
        .fails("NAME-012");
    }

    #[test]
    fn name_012_fail_label_without_letter_or_with_double_hyphen() {
        Case::new(vec![srv(
            "_123._tcp.agency.example",
            10,
            0,
            25,
            "sor1.agency.example.",
        )])
        .fails("NAME-012");
        Case::new(vec![srv(
            "_sec--mx._tcp.agency.example",
            10,
            0,
            25,
            "sor1.agency.example.",
        )])
        .fails("NAME-012");
        Case::new(vec![]).srv_label("_secmx-").fails("NAME-012");
    }

    #[test]
    fn name_012_pass_secmx_tcp() {
        Case::new(vec![srv(
            "_secmx._tcp.agency.example",
            10,
            0,
            25,
            "sor1.agency.example.",
        )])
        .passes("NAME-012");
    }

    #[test]
    fn name_012_pass_other_services_over_udp() {
        Case::new(vec![srv(
            "_sip._udp.agency.example",
            10,
            0,
            5060,
            "sip.agency.example.",
        )])
        .passes("NAME-012");
    }

    // NAME-013

    #[test]
    fn name_013_fail_leading_zero_port() {
        let out = Case::new(vec![tlsa_at("_025._tcp.mx1.agency.example")]).fails("NAME-013");
        assert!(
            out[0].fix.contains("`_25._tcp.mx1.agency.example`"),
            "{}",
            out[0].fix
        );
    }

    #[test]
    fn name_013_fail_not_a_port() {
        Case::new(vec![tlsa_at("_smtp._tcp.mx1.agency.example")]).fails("NAME-013");
        Case::new(vec![tlsa_at("_70000._tcp.mx1.agency.example")]).fails("NAME-013");
        Case::new(vec![tlsa_at("_25.mx1.agency.example")]).fails("NAME-013");
    }

    #[test]
    fn name_013_pass_decimal_port() {
        Case::new(vec![tlsa_at("_25._tcp.mx1.agency.example")]).passes("NAME-013");
        Case::new(vec![tlsa_at("_465._tcp.sor1.agency.example")]).passes("NAME-013");
    }

    // NAME-014

    /// The MX records of `n` BERs `mx<i>.agency.example` at the apex.
    fn many_mx(n: usize) -> Vec<Record> {
        (0..n)
            .map(|i| mx("agency.example", 10, &format!("mx{i}.agency.example")))
            .collect()
    }

    #[test]
    fn name_014_fail_10000_bers() {
        // Fail: a design with 10,000 BERs (one MX RRset of 10,000 records).
        let out = Case::new(many_mx(10_000)).fails_with("NAME-014", Severity::Error);
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(out[0].subject, "agency.example MX");
        assert!(
            out[0].message.contains("10000 records") && out[0].message.contains("ran out of space"),
            "{}",
            out[0].message
        );
    }

    #[test]
    fn name_014_fail_generated_design_of_10000_relays_is_an_error() {
        let d = crate::model::sample::generated_design(10_000);
        let out: Vec<_> = crate::rules::lint(&d)
            .into_iter()
            .filter(|f| f.rule == "NAME-014" && f.severity == Severity::Error)
            .collect();
        // The MX RRset (6,667 BERs) and the SRV RRset (3,333 SORs).
        assert_eq!(out.len(), 2, "{out:?}");
    }

    #[test]
    fn name_014_warn_over_1232_octets() {
        // 60 MX records: about 1,500 octets with compression, fits in TCP, not in 1,232 over UDP.
        let out = Case::new(many_mx(60)).fails_with("NAME-014", Severity::Warning);
        assert_eq!(out.len(), 1);
        assert!(out[0].message.contains("1,232"), "{}", out[0].message);
    }

    #[test]
    fn name_014_warn_counts_the_rrsig_of_a_signed_zone() {
        // 55 MX records fit in 1,232 octets (1,188 with EDNS); with TLSA in the set (a signed
        // zone) the RRSIG of the answer (110 octets) pushes it over.
        let mut recs = many_mx(55);
        Case::new(recs.clone()).passes("NAME-014");
        recs.push(tlsa("_25._tcp.mx0.agency.example", 3, 1, 1, &h256('a')));
        Case::new(recs).fails_with("NAME-014", Severity::Warning);
    }

    #[test]
    fn name_014_warn_long_txt_and_many_tlsa() {
        let long = "v=spf1 ".to_string() + &"ip4:192.0.2.1 ".repeat(100);
        let parts = crate::zone::split_txt(&long);
        let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
        Case::new(vec![txt("agency.example", &parts)]).fails_with("NAME-014", Severity::Warning);
        let tlsa: Vec<Record> = (0..8)
            .map(|i| {
                tlsa(
                    "_25._tcp.mx1.agency.example",
                    3,
                    0,
                    0,
                    &format!("{i:02x}").repeat(300),
                )
            })
            .collect();
        Case::new(tlsa).fails_with("NAME-014", Severity::Warning);
    }

    #[test]
    fn name_014_pass_small_rrsets() {
        // Pass: a design whose largest RRset answer is under 1,232 octets.
        let mut recs = many_mx(20);
        recs.push(txt(
            "_smtp._tls.agency.example",
            &["v=TLSRPTv1; rua=mailto:tlsrpt@agency.example"],
        ));
        Case::new(recs).passes("NAME-014");
        let d = crate::model::sample::generated_design(30);
        assert!(!crate::rules::lint(&d).iter().any(|f| f.rule == "NAME-014"));
    }

    #[test]
    fn name_014_judges_published_records_too() {
        // Static rules judge `Published` record sets through the same registry.
        let p =
            crate::model::published::Published::from_rrsets("agency.example", "_secmx", vec![], 0);
        let mut p = p;
        for r in many_mx(5_000) {
            p.records.push(r);
        }
        let input = crate::rules::live::published_input(
            &p,
            crate::model::Profile::Secmx,
            Default::default(),
        );
        let out = crate::rules::run(&input, &[crate::rules::Needs::Static]);
        assert!(
            out.iter()
                .any(|f| f.rule == "NAME-014" && f.severity == Severity::Error),
            "{out:?}"
        );
    }

    // NAME-015

    #[test]
    fn name_015_fail_rrset_bind_cannot_store() {
        // 320 MX records whose exchanges share a 190-octet suffix: the answer compresses them to
        // about 49,000 octets (fits in a message), but uncompressed they take about 67,000 octets:
        // named-checkzone 9.18 says "ran out of space" (NSD and Knot load the zone).
        let suffix = format!(
            "{}.{}.{}.agency.example",
            "a".repeat(60),
            "b".repeat(60),
            "c".repeat(60)
        );
        let recs: Vec<Record> = (0..320)
            .map(|i| mx("agency.example", 10, &format!("mx{i}.{suffix}")))
            .collect();
        let c = Case::new(recs);
        let size = c.run("NAME-014");
        assert!(
            size.iter().all(|f| f.severity == Severity::Warning),
            "{size:?}"
        );
        let out = c.fails("NAME-015");
        assert_eq!(out.len(), 1);
        assert!(out[0].message.contains("320 records"), "{}", out[0].message);
    }

    #[test]
    fn name_015_pass_at_the_limit() {
        // 2,400 MX records stay under the limit (named-checkzone loads up to 2,467 of this shape).
        Case::new(many_mx(2_400)).passes("NAME-015");
    }

    // NAME-016

    #[test]
    fn name_016_fail_tlsa_of_a_relay_outside_the_domain() {
        let c = Case::new(vec![
            mx("agency.example", 10, "mx1.provider.example"),
            tlsa("_25._tcp.mx1.provider.example", 3, 1, 1, &h256('a')),
        ])
        .relay("mx1.provider.example", Role::Ber, 25);
        let out = c.fails("NAME-016");
        assert_eq!(out[0].subject, "_25._tcp.mx1.provider.example");
    }

    #[test]
    fn name_016_pass_records_inside_the_domain() {
        Case::new(vec![
            mx("agency.example", 10, "mx1.agency.example"),
            tlsa("_25._tcp.mx1.agency.example", 3, 1, 1, &h256('a')),
        ])
        .relay("mx1.agency.example", Role::Ber, 25)
        .passes("NAME-016");
        // What DNS publishes is not one zone: not judged.
        Case::new(vec![tlsa(
            "_25._tcp.mx1.provider.example",
            3,
            1,
            1,
            &h256('a'),
        )])
        .passes("NAME-016");
    }
}
