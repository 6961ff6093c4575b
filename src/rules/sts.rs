//! STS rules (the catalogue: `rules::catalogue`, `secmx explain`). Each rule's Fail/Pass examples are its unit tests below.

use super::{Finding, Input, Needs, Raise, Rule, Severity};
use crate::model::records::Record;
use crate::model::sts::{PolicyLine, PolicyText};
use crate::model::{Origin, RecordSet, StsMode};
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

/// The rules of this group, in catalogue order.
pub const RULES: &[Rule] = &[
    Rule {
        id: "STS-001",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "Exactly one TXT record at `_mta-sts.<domain>` starts with `v=STSv1`; zero or several such records mean \"no policy\".",
        needs: Needs::Static,
        check: Some(sts_001),
        planned: None,
    },
    Rule {
        id: "STS-002",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "`v=STSv1` is the first field of the record (exact case).",
        needs: Needs::Static,
        check: Some(sts_002),
        planned: None,
    },
    Rule {
        id: "STS-003",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "An `id` field is present and holds 1–32 ASCII letters or digits only (no `-`, `.`, `:`, `+`, `/`, `=`; not empty).",
        needs: Needs::Static,
        check: Some(sts_003),
        planned: None,
    },
    Rule {
        id: "STS-004",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "Fields are separated by `;` with optional spaces/tabs; extension fields are `name=value` with the characters the ABNF allows; a trailing `;` is optional.",
        needs: Needs::Static,
        check: Some(sts_004),
        planned: None,
    },
    Rule {
        id: "STS-005",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "Whitespace before the first `;` (`\"v=STSv1 ; id=1\"`) fits the ABNF but fails the literal `v=STSv1;` prefix test some senders apply; write `v=STSv1;`.",
        needs: Needs::Static,
        check: Some(sts_005),
        planned: None,
    },
    Rule {
        id: "STS-006",
        severity: Severity::Info,
        raise: Raise::Never,
        title: "`_mta-sts` may be a CNAME to a provider's TXT record (policy delegation); the tool follows it and validates the target.",
        needs: Needs::Static,
        check: Some(sts_006),
        planned: None,
    },
    Rule {
        id: "STS-007",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "`mta-sts.<domain>` resolves and serves HTTPS whose certificate is valid for that exact name (SAN DNS-ID; a wildcard only as the whole left-most label), unexpired and chained to a publicly trusted CA; a delegated host still needs a certificate for the customer's `mta-sts` name.",
        needs: Needs::Probe,
        check: Some(super::live_probe::from_probes),
        planned: None,
    },
    Rule {
        id: "STS-008",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "The policy URL answers 200 directly; 3xx redirects are not followed by senders and count as failure.",
        needs: Needs::Probe,
        check: Some(super::live_probe::from_probes),
        planned: None,
    },
    Rule {
        id: "STS-009",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "The policy is served as `text/plain` (charset utf-8 or us-ascii, other parameters ignored).",
        needs: Needs::Probe,
        check: Some(super::live_probe::from_probes),
        planned: None,
    },
    Rule {
        id: "STS-010",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "The policy body stays within 64 KiB and is returned well inside one minute.",
        needs: Needs::Probe,
        check: Some(super::live_probe::from_probes),
        planned: None,
    },
    Rule {
        id: "STS-011",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "`version: STSv1` is present.",
        needs: Needs::Static,
        check: Some(sts_011),
        planned: None,
    },
    Rule {
        id: "STS-012",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "`mode` is present and is exactly `enforce`, `testing` or `none` (lower case).",
        needs: Needs::Static,
        check: Some(sts_012),
        planned: None,
    },
    Rule {
        id: "STS-013",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "`max_age` is present, has 1–10 decimal digits and is at most 31557600 seconds.",
        needs: Needs::Static,
        check: Some(sts_013),
        planned: None,
    },
    Rule {
        id: "STS-014",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "With `mode: enforce` or `testing`, `max_age` below one week (604800) gives little protection against refresh-time attacks; weeks or more is advised (short values are right only for the removal workflow, STS-022).",
        needs: Needs::Static,
        check: Some(sts_014),
        planned: None,
    },
    Rule {
        id: "STS-015",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "At least one `mx:` line exists unless `mode: none`.",
        needs: Needs::Static,
        check: Some(sts_015),
        planned: None,
    },
    Rule {
        id: "STS-016",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "Each `mx` value is a host name or `*.` + host name: the wildcard stands for exactly one whole left-most label; IP addresses, ports, URLs, trailing dots and comments are invalid.",
        needs: Needs::Static,
        check: Some(sts_016),
        planned: None,
    },
    Rule {
        id: "STS-017",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "Pattern matching follows RFC 8461: `*.agency.example` matches `mx1.agency.example` but neither `agency.example` nor `a.b.agency.example`; comparison is case-insensitive; IDNs are compared as A-labels.",
        needs: Needs::Static,
        check: Some(sts_017),
        planned: None,
    },
    Rule {
        id: "STS-018",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "One key/value pair per line; each MX pattern has its own `mx:` line; lines may end in LF or CRLF.",
        needs: Needs::Static,
        check: Some(sts_018),
        planned: None,
    },
    Rule {
        id: "STS-019",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "A repeated non-`mx` field (second `mode:` etc.) is ignored by senders; only the first counts, which usually hides an editing error.",
        needs: Needs::Static,
        check: Some(sts_019),
        planned: None,
    },
    Rule {
        id: "STS-020",
        severity: Severity::Warning,
        raise: Raise::Sge,
        title: "`mode: testing` does not protect delivery (senders only report); plan the move to `enforce`.",
        needs: Needs::Static,
        check: Some(sts_020),
        planned: None,
    },
    Rule {
        id: "STS-021",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "The TXT `id` changes whenever the policy body changes, and the HTTPS body is updated before the TXT record; the builder bumps `id` automatically and keeps a history to detect \"body changed, id unchanged\".",
        needs: Needs::Static,
        check: Some(sts_021),
        planned: None,
    },
    Rule {
        id: "STS-022",
        severity: Severity::Info,
        raise: Raise::Never,
        title: "To retire MTA-STS: publish `mode: none` with a short `max_age`, bump `id`, wait out the longest previously served `max_age`, then delete the TXT and the HTTPS endpoint.",
        needs: Needs::Static,
        check: Some(sts_022),
        planned: None,
    },
    Rule {
        id: "STS-023",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "A broad wildcard pattern such as `*.agency.example` lets any host in the zone with a valid CA certificate pass as an MX; list exact hosts where possible.",
        needs: Needs::Static,
        check: Some(sts_023),
        planned: None,
    },
];

// ---------------------------------------------------------------------------------------------
// Shared helpers (also used by the RPT and SGE groups).
// ---------------------------------------------------------------------------------------------

/// The version field every `_mta-sts` TXT record starts with (RFC 8461 §3.1, case-sensitive).
pub const STS_VERSION: &str = "v=STSv1";

/// Longest CNAME chain followed inside a record set.
const MAX_CNAME_HOPS: usize = 8;

/// How a TXT lookup inside a record set ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ChainEnd {
    /// The final name is in the record set (its TXT records, possibly none, are known).
    Known,
    /// Nothing at all is published at the queried name.
    Absent,
    /// A CNAME points outside the record set: only a live lookup can tell what is there.
    Outside,
    /// The CNAME chain loops or is longer than [`MAX_CNAME_HOPS`].
    Loop,
}

/// The TXT records a resolver would return for a name, judged inside one record set.
pub(crate) struct TxtLookup<'a> {
    /// The name whose TXT records were read (the end of the CNAME chain).
    pub owner: String,
    /// CNAME targets followed, in order (empty: no CNAME).
    pub chain: Vec<String>,
    /// The joined TXT strings at `owner`, with their records.
    pub txt: Vec<(&'a Record, String)>,
    /// How the lookup ended.
    pub end: ChainEnd,
}

/// Look up the TXT records of `name`, following CNAMEs inside the record set.
pub(crate) fn txt_lookup<'a>(records: &'a RecordSet, name: &str) -> TxtLookup<'a> {
    let mut owner = name.to_string();
    let mut chain: Vec<String> = Vec::new();
    loop {
        let txt: Vec<(&Record, String)> = records.txt_at(&owner).collect();
        if !txt.is_empty() {
            return TxtLookup {
                owner,
                chain,
                txt,
                end: ChainEnd::Known,
            };
        }
        let Some(target) = records.cname_of(&owner) else {
            let end = if records.has_name(&owner) {
                ChainEnd::Known
            } else if chain.is_empty() {
                ChainEnd::Absent
            } else {
                ChainEnd::Outside
            };
            return TxtLookup {
                owner,
                chain,
                txt,
                end,
            };
        };
        let target = target.to_string();
        if target == name || chain.contains(&target) || chain.len() >= MAX_CNAME_HOPS {
            chain.push(target);
            return TxtLookup {
                owner,
                chain,
                txt,
                end: ChainEnd::Loop,
            };
        }
        chain.push(target.clone());
        owner = target;
    }
}

thread_local! {
    /// The last policy text parsed on this thread, with its parse. Every STS check and SGE-002 reads
    /// the same text, so a lint parses it once instead of once per rule. Keyed by content, so a
    /// different text is never served a stale parse.
    static LAST_POLICY: RefCell<Option<(String, Rc<PolicyText>)>> = const { RefCell::new(None) };
}

/// The policy text parsed with [`PolicyText::parse`], memoised per thread for the last text seen.
pub(crate) fn parse_policy(text: &str) -> Rc<PolicyText> {
    LAST_POLICY.with(|cell| {
        let Ok(mut slot) = cell.try_borrow_mut() else {
            return Rc::new(PolicyText::parse(text));
        };
        if let Some((cached, parsed)) = slot.as_ref()
            && cached == text
        {
            return Rc::clone(parsed);
        }
        let parsed = Rc::new(PolicyText::parse(text));
        *slot = Some((text.to_string(), Rc::clone(&parsed)));
        parsed
    })
}

/// Split a tag-value record into its fields at `;`, trimming spaces and tabs (ABNF `*WSP ";" *WSP`).
/// A trailing `;` yields a final empty field.
pub(crate) fn tag_fields(text: &str) -> Vec<&str> {
    text.split(';').map(trim_wsp).collect()
}

/// Trim ABNF `WSP` (space and tab) on both ends.
pub(crate) fn trim_wsp(s: &str) -> &str {
    s.trim_matches(|c| c == ' ' || c == '\t')
}

/// Whether the text between a record's version field and its first `;` is only spaces/tabs (at
/// least one): ABNF-valid, but fails the literal `v=…;` prefix test (STS-005, RPT-006, Q7).
pub(crate) fn space_before_first_semicolon(text: &str, version: &str) -> bool {
    let Some(rest) = text.strip_prefix(version) else {
        return false;
    };
    match rest.split_once(';') {
        Some((gap, _)) => !gap.is_empty() && gap.chars().all(|c| c == ' ' || c == '\t'),
        None => false,
    }
}

/// Whether an extension name fits the ABNF: `(ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")`.
pub(crate) fn is_ext_name(name: &str) -> bool {
    let mut chars = name.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphanumeric() => {}
        _ => return false,
    }
    name.len() <= 32 && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
}

/// Whether an extension value fits the ABNF: one or more of `%x21-3A / %x3C / %x3E-7E` (printable,
/// no `=`, `;` or space).
pub(crate) fn is_ext_value(value: &str) -> bool {
    !value.is_empty()
        && value
            .bytes()
            .all(|b| (0x21..=0x7e).contains(&b) && b != b'=' && b != b';')
}

/// `s` in lower case, borrowed when it already is (names in record sets are normalised).
fn lower(s: &str) -> Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(s.to_ascii_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

/// The `mx` patterns of a policy as senders match them (RFC 8461 §4.1), indexed so matching a host is
/// O(labels): exact patterns in one set, the suffixes of `*.` patterns in another. Agrees with
/// [`crate::model::sts::mx_pattern_matches`].
pub(crate) struct PatternIndex<'a> {
    exact: HashSet<Cow<'a, str>>,
    wild: HashSet<Cow<'a, str>>,
}

impl<'a> PatternIndex<'a> {
    /// Index these patterns.
    pub fn new(patterns: impl IntoIterator<Item = &'a str>) -> Self {
        let mut exact = HashSet::new();
        let mut wild = HashSet::new();
        for p in patterns {
            let p = p.trim();
            match p.strip_prefix("*.") {
                Some(suffix) => {
                    wild.insert(lower(suffix));
                }
                None => {
                    exact.insert(lower(p));
                }
            }
        }
        PatternIndex { exact, wild }
    }

    /// Whether some pattern matches `host` by RFC 8461 §4.1.
    pub fn matches(&self, host: &str) -> bool {
        let host = lower(host.strip_suffix('.').unwrap_or(host));
        if self.exact.contains(host.as_ref()) {
            return true;
        }
        match host.split_once('.') {
            Some((first, rest)) => !first.is_empty() && self.wild.contains(rest),
            None => false,
        }
    }

    /// For a host no pattern matches: the pattern a naive suffix reading would take as covering it —
    /// `*.S` read as "S and everything below it", or a bare `S` read as "S and its sub-domains".
    pub fn naive_match(&self, host: &str) -> Option<String> {
        let host = lower(host.strip_suffix('.').unwrap_or(host));
        if self.wild.contains(host.as_ref()) {
            return Some(format!("*.{host}"));
        }
        let mut rest = host.as_ref();
        while let Some((_, tail)) = rest.split_once('.') {
            if tail.is_empty() {
                break;
            }
            if self.wild.contains(tail) {
                return Some(format!("*.{tail}"));
            }
            if self.exact.contains(tail) {
                return Some(tail.to_string());
            }
            rest = tail;
        }
        None
    }
}

/// The MX exchanges of the domain (null MX left out), in record order. Not deduplicated (that would
/// cost a hash per host on every lint); callers deduplicate what they report.
pub(crate) fn mx_hosts<'a>(input: &Input<'a>) -> impl Iterator<Item = &'a str> + 'a {
    input
        .records
        .mx_of(input.domain)
        .map(|(_, _, host)| host)
        .filter(|h| !h.is_empty())
}

/// A short list of names for a message: the first few, then how many more.
pub(crate) fn short_list<S: AsRef<str>>(items: &[S], max: usize) -> String {
    let shown: Vec<&str> = items.iter().take(max).map(|s| s.as_ref()).collect();
    let mut s = shown.join(", ");
    if items.len() > max {
        s.push_str(&format!(" and {} more", items.len() - max));
    }
    s
}

/// An `_mta-sts` TXT record read leniently (RFC 8461 §3.1).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StsRecord {
    /// The record starts with exactly `v=STSv1`.
    pub version_first: bool,
    /// The first `id` field's value, as written.
    pub id: Option<String>,
    /// The other `name=value` fields after the version, as written.
    pub extensions: Vec<(String, String)>,
}

/// Read an `_mta-sts` TXT record (joined strings). Never fails; the STS rules judge the details.
pub fn parse_sts_record(text: &str) -> StsRecord {
    let mut r = StsRecord {
        version_first: text.starts_with(STS_VERSION),
        ..StsRecord::default()
    };
    for field in tag_fields(text).into_iter().skip(1) {
        if let Some((name, value)) = field.split_once('=') {
            if name == "id" {
                if r.id.is_none() {
                    r.id = Some(value.to_string());
                }
            } else {
                r.extensions.push((name.to_string(), value.to_string()));
            }
        }
    }
    r
}

/// The `_mta-sts` lookup and its records that start with `v=STSv1`.
fn sts_txt<'a>(input: &Input<'a>) -> (TxtLookup<'a>, Vec<(&'a Record, String)>) {
    let look = txt_lookup(input.records, &format!("_mta-sts.{}", input.domain));
    let versions = look
        .txt
        .iter()
        .filter(|(_, t)| t.starts_with(STS_VERSION))
        .map(|(r, t)| (*r, t.clone()))
        .collect();
    (look, versions)
}

fn policy_subject(input: &Input<'_>) -> String {
    format!("mta-sts.{}", input.domain)
}

fn policy_url(input: &Input<'_>) -> String {
    format!("https://mta-sts.{}/.well-known/mta-sts.txt", input.domain)
}

/// A key written in another case (`Mode:` for `mode:`), for hints.
fn key_in_other_case<'a>(p: &'a PolicyText, key: &str) -> Option<&'a PolicyLine> {
    p.fields
        .iter()
        .find(|f| f.key != key && f.key.eq_ignore_ascii_case(key))
}

// ---------------------------------------------------------------------------------------------
// STS-001 … STS-006: the `_mta-sts` TXT record.
// ---------------------------------------------------------------------------------------------

fn sts_001(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
    let (look, versions) = sts_txt(input);
    let name = format!("_mta-sts.{}", input.domain);
    match look.end {
        ChainEnd::Absent | ChainEnd::Outside => return,
        ChainEnd::Loop => {
            out.push(
                rule.finding(
                    input,
                    name.clone(),
                    format!(
                        "`{name}` is a CNAME chain that loops or is too long ({}): senders find no MTA-STS record, so there is no policy.",
                        look.chain.join(" → ")
                    ),
                    "Point the CNAME at the provider's TXT record directly, or publish the `v=STSv1; id=…` TXT record at this name.",
                )
                .at(Origin::MtaSts),
            );
            return;
        }
        ChainEnd::Known => {}
    }
    let via = if look.chain.is_empty() {
        String::new()
    } else {
        format!(" (reached through CNAME {})", look.chain.join(" → "))
    };
    match versions.len() {
        0 if !look.txt.is_empty() || !look.chain.is_empty() => {
            let origin = look.txt.first().map_or(Origin::MtaSts, |(r, _)| r.origin);
            let what = if look.txt.is_empty() {
                "no TXT record at all".to_string()
            } else {
                format!(
                    "{} TXT record(s), none starting with `v=STSv1`",
                    look.txt.len()
                )
            };
            out.push(
                rule.finding(
                    input,
                    look.owner.clone(),
                    format!(
                        "`{}`{via} has {what}: senders treat the domain as having no MTA-STS policy.",
                        look.owner
                    ),
                    "Publish exactly one TXT record `v=STSv1; id=<1–32 letters/digits>` there, or remove the `_mta-sts` name if MTA-STS is not wanted.",
                )
                .at(origin),
            );
        }
        0 | 1 => {}
        n => {
            let texts: Vec<String> = versions.iter().map(|(_, t)| format!("\"{t}\"")).collect();
            let origin = versions.first().map_or(Origin::MtaSts, |(r, _)| r.origin);
            out.push(
                rule.finding(
                    input,
                    look.owner.clone(),
                    format!(
                        "`{}`{via} has {n} TXT records starting with `v=STSv1` ({}): with more than one, senders ignore them all and the domain has no MTA-STS policy.",
                        look.owner,
                        short_list(&texts, 4)
                    ),
                    "Keep exactly one `v=STSv1` record, the one whose `id` belongs to the policy file now served, and delete the others.",
                )
                .at(origin),
            );
        }
    }
}

fn sts_002(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
    let (look, _) = sts_txt(input);
    for (rec, text) in &look.txt {
        if text.starts_with(STS_VERSION) || !text.to_ascii_lowercase().contains("v=stsv1") {
            continue;
        }
        let why = if text.trim_start().starts_with(STS_VERSION) {
            "starts with white space before `v=STSv1`".to_string()
        } else if text
            .trim_start()
            .to_ascii_lowercase()
            .starts_with("v=stsv1")
        {
            let written: String = text.trim_start().chars().take(STS_VERSION.len()).collect();
            format!("writes the version as `{written}`; it is case-sensitive")
        } else {
            "does not start with the version field".to_string()
        };
        out.push(
            rule.finding(
                input,
                rec.name.clone(),
                format!(
                    "TXT \"{text}\" {why}: senders only accept records that begin with exactly `v=STSv1`, so this one is ignored."
                ),
                "Write the record as `v=STSv1; id=<id>` — `v=STSv1` first, in exactly this case.",
            )
            .at(rec.origin),
        );
    }
}

fn sts_003(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
    const FIX: &str = "Use an `id` of 1–32 ASCII letters and digits only, e.g. a timestamp `id=20260315T0930Z`; the builder derives one from the policy text and changes it whenever the policy changes.";
    let (_, versions) = sts_txt(input);
    for (rec, text) in &versions {
        let ids: Vec<(&str, &str)> = tag_fields(text)
            .into_iter()
            .skip(1)
            .filter_map(|f| f.split_once('='))
            .filter(|(n, _)| trim_wsp(n).eq_ignore_ascii_case("id"))
            .collect();
        let mut push = |msg: String| {
            out.push(
                rule.finding(input, rec.name.clone(), msg, FIX)
                    .at(rec.origin),
            );
        };
        let Some(&(name, value)) = ids.first() else {
            push(format!(
                "TXT \"{text}\" has no `id=` field: senders need the id to know when the policy changed, so the record is invalid."
            ));
            continue;
        };
        if ids.len() > 1 {
            push(format!(
                "TXT \"{text}\" has {} `id` fields: senders may read either one.",
                ids.len()
            ));
        }
        if name != "id" {
            push(format!(
                "TXT \"{text}\" writes the id field as `{name}=`: the field name is exactly `id` (lower case, no spaces around `=`)."
            ));
        }
        if value.is_empty() {
            push(format!("TXT \"{text}\" has an empty `id=`."));
            continue;
        }
        let bad: Vec<String> = {
            let mut seen = Vec::new();
            for c in value.chars().filter(|c| !c.is_ascii_alphanumeric()) {
                let s = if c == ' ' {
                    "space".to_string()
                } else {
                    format!("`{c}`")
                };
                if !seen.contains(&s) {
                    seen.push(s);
                }
            }
            seen
        };
        if !bad.is_empty() {
            push(format!(
                "The id `{value}` contains {} — only letters and digits are allowed, so senders reject the record.",
                bad.join(", ")
            ));
        }
        if value.len() > 32 {
            push(format!(
                "The id `{value}` is {} characters long; at most 32 are allowed.",
                value.len()
            ));
        }
    }
}

fn sts_004(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
    let (_, versions) = sts_txt(input);
    for (rec, text) in &versions {
        let fields = tag_fields(text);
        let mut push = |msg: String, fix: &str| {
            out.push(
                rule.finding(input, rec.name.clone(), msg, fix)
                    .at(rec.origin),
            );
        };
        if let Some(first) = fields.first()
            && *first != STS_VERSION
        {
            let after = first.strip_prefix(STS_VERSION).unwrap_or(first);
            let msg = if after.trim_start().starts_with(',') {
                format!(
                    "TXT \"{text}\" separates its fields with `,`; MTA-STS fields are separated by `;`, so senders see a broken version field."
                )
            } else {
                format!(
                    "TXT \"{text}\": the first field is `{first}`, not `v=STSv1` followed by `;`."
                )
            };
            push(msg, "Write `v=STSv1; id=<id>` with `;` between fields.");
        }
        let last = fields.len().saturating_sub(1);
        for (i, field) in fields.iter().enumerate().skip(1) {
            if field.is_empty() {
                if i != last {
                    push(
                        format!("TXT \"{text}\" has an empty field (`;;`)."),
                        "Remove the doubled `;`.",
                    );
                }
                continue;
            }
            let Some((name, value)) = field.split_once('=') else {
                push(
                    format!(
                        "TXT \"{text}\": the field `{field}` is not `name=value`, so the record does not parse."
                    ),
                    "Write every field as `name=value` (e.g. `id=20260315`), separated by `;`.",
                );
                continue;
            };
            if trim_wsp(name).eq_ignore_ascii_case("id") {
                continue; // judged by STS-003
            }
            if !is_ext_name(name) {
                push(
                    format!(
                        "TXT \"{text}\": `{name}` is not a valid field name (a letter or digit, then up to 31 letters, digits, `_`, `-` or `.`)."
                    ),
                    "Fix or remove the field; only `v` and `id` mean anything to senders.",
                );
            } else if !is_ext_value(value) {
                push(
                    format!(
                        "TXT \"{text}\": the value of `{name}` is `{value}`; values must be non-empty printable characters without spaces, `=` or `;`."
                    ),
                    "Fix or remove the field; only `v` and `id` mean anything to senders.",
                );
            }
        }
    }
}

fn sts_005(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
    let (_, versions) = sts_txt(input);
    for (rec, text) in &versions {
        if space_before_first_semicolon(text, STS_VERSION) {
            out.push(
                rule.finding(
                    input,
                    rec.name.clone(),
                    format!(
                        "TXT \"{text}\" has white space between `v=STSv1` and `;`: the grammar allows it, but senders that test for the literal prefix `v=STSv1;` skip the record."
                    ),
                    "Write `v=STSv1;` with no space before the `;`.",
                )
                .at(rec.origin),
            );
        }
    }
}

fn sts_006(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
    let name = format!("_mta-sts.{}", input.domain);
    let look = txt_lookup(input.records, &name);
    if look.end != ChainEnd::Outside {
        return;
    }
    let origin = input
        .records
        .at(&name, "CNAME")
        .next()
        .map_or(Origin::MtaSts, |r| r.origin);
    out.push(
        rule.finding(
            input,
            name.clone(),
            format!(
                "`{name}` is a CNAME to `{}` (policy delegation); that name's TXT record is not part of these records, so it is followed and validated in the live DNS check.",
                look.chain.join(" → ")
            ),
            "Nothing to change if the provider hosts your policy; run the live check to confirm the target publishes exactly one valid `v=STSv1` record.",
        )
        .at(origin),
    );
}

// ---------------------------------------------------------------------------------------------
// STS-011 … STS-023: the policy file.
// ---------------------------------------------------------------------------------------------

/// Why a sender following RFC 8461 §3.2 would reject this policy text (and so have no MTA-STS
/// policy at all), quoting the offending line; `None` when a sender accepts it. What the ABNF allows
/// is accepted: LF or CRLF terminators, no final terminator, unknown keys, whitespace after the
/// colon. The STS-011/012/013/015/018 findings say the same thing line by line.
pub fn policy_invalid_because(text: &str) -> Option<String> {
    let q = crate::model::sts::escape_controls;
    let first = text.split('\n').next().unwrap_or("");
    let first = first.strip_suffix('\r').unwrap_or(first);
    if text.trim().is_empty() {
        return Some("the policy is empty".into());
    }
    if !text.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Some(if first.trim().is_empty() {
            let lead: String = text
                .chars()
                .take_while(|c| !c.is_ascii_alphanumeric())
                .take(16)
                .collect();
            format!("bytes before the first field: `{}`", q(&lead))
        } else {
            format!("bytes before the first field: line 1 `{}`", q(first))
        });
    }
    let p = parse_policy(text);
    if let Some((n, raw)) = p.malformed.first() {
        return Some(format!("line {n} `{}` is not a `key: value` field", q(raw)));
    }
    match p.fields.first() {
        Some(f) if f.key == "version" && f.value == "STSv1" => {}
        Some(f) => {
            return Some(format!(
                "the first field is not `version: STSv1`: line {} `{}`",
                f.line,
                q(&f.raw)
            ));
        }
        None => return Some("the policy has no fields".into()),
    }
    let mode = match p.all("mode").next() {
        Some(l) if matches!(l.value.as_str(), "enforce" | "testing" | "none") => l.value.as_str(),
        Some(l) => {
            return Some(format!(
                "`mode` is not enforce, testing or none: line {} `{}`",
                l.line,
                q(&l.raw)
            ));
        }
        None => return Some("no `mode` field".into()),
    };
    match p.all("max_age").next() {
        Some(l) if valid_max_age(&l.value).is_some() => {}
        Some(l) => {
            return Some(format!(
                "`max_age` is not 0…31557600 seconds in at most 10 digits: line {} `{}`",
                l.line,
                q(&l.raw)
            ));
        }
        None => return Some("no `max_age` field".into()),
    }
    if mode != "none" && p.all("mx").next().is_none() {
        return Some(format!("`mode: {mode}` without any `mx` field"));
    }
    None
}

fn sts_011(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
    let Some(text) = input.sts_policy else { return };
    let p = parse_policy(text);
    let q = crate::model::sts::escape_controls;
    if p.fields
        .first()
        .is_some_and(|f| f.key == "version" && f.value == "STSv1")
    {
        return;
    }
    // Something stands before the key of the first line (a byte-order mark, say).
    let glued = p.fields.first().filter(|f| {
        f.key != "version"
            && f.key
                .trim_start_matches(|c: char| !c.is_ascii_alphanumeric())
                .eq_ignore_ascii_case("version")
    });
    let msg = match (glued, p.all("version").next()) {
        (Some(f), _) => format!(
            "Line {}: `{}` — something stands before the key `version`; senders find no version line and reject the policy.",
            f.line,
            q(&f.raw)
        ),
        (None, Some(l)) if l.value == "STSv1" => {
            let first = &p.fields[0];
            format!(
                "Line {}: `version: STSv1` is not the first field (line {} `{}` comes before it); senders reject the policy.",
                l.line,
                first.line,
                q(&first.raw)
            )
        }
        (None, Some(l)) => format!(
            "Line {}: `version: {}` — the only version is `STSv1`; senders reject this policy.",
            l.line,
            q(&l.value)
        ),
        (None, None) => match key_in_other_case(&p, "version") {
            Some(l) => format!(
                "Line {}: `{}:` — the key is `version` in lower case; senders find no version line and reject the policy.",
                l.line, l.key
            ),
            None => format!(
                "The policy at {} has no `version:` line; senders reject it.",
                policy_url(input)
            ),
        },
    };
    out.push(
        rule.finding(
            input,
            policy_subject(input),
            msg,
            "Put `version: STSv1` as the first line of the policy.",
        )
        .at(Origin::MtaSts),
    );
}

fn sts_012(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
    let Some(text) = input.sts_policy else { return };
    let p = parse_policy(text);
    let msg = match p.all("mode").next() {
        Some(l) => match l.value.as_str() {
            "enforce" | "testing" | "none" => return,
            v if matches!(
                v.to_ascii_lowercase().as_str(),
                "enforce" | "testing" | "none"
            ) =>
            {
                format!(
                    "Line {}: `mode: {v}` — mode values are case-sensitive; senders reject the policy. Write `mode: {}`.",
                    l.line,
                    v.to_ascii_lowercase()
                )
            }
            "" => format!("Line {}: `mode:` has no value.", l.line),
            v => format!(
                "Line {}: `mode: {}` is not a mode; the only modes are `enforce`, `testing` and `none`; senders reject the policy.",
                l.line,
                crate::model::sts::escape_controls(v)
            ),
        },
        None => match key_in_other_case(&p, "mode") {
            Some(l) => format!(
                "Line {}: `{}:` — the key is `mode` in lower case; senders find no mode and reject the policy.",
                l.line, l.key
            ),
            None => "The policy has no `mode:` line; senders reject it.".to_string(),
        },
    };
    out.push(
        rule.finding(
            input,
            policy_subject(input),
            msg,
            "Write exactly one `mode:` line with `enforce`, `testing` or `none` in lower case.",
        )
        .at(Origin::MtaSts),
    );
}

/// The `max_age` value when it is valid (1–10 digits, at most 31557600).
fn valid_max_age(v: &str) -> Option<u64> {
    if v.is_empty() || v.len() > 10 || !v.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    v.parse::<u64>().ok().filter(|n| *n <= MAX_AGE_LIMIT)
}

/// Largest `max_age` (about one year, RFC 8461 §3.2).
const MAX_AGE_LIMIT: u64 = 31_557_600;

/// One week: shorter `max_age` values give little protection (STS-014).
const ONE_WEEK: u64 = 604_800;

fn sts_013(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
    let Some(text) = input.sts_policy else { return };
    let p = parse_policy(text);
    let msg = match p.all("max_age").next() {
        Some(l) => {
            let v = l.value.as_str();
            if valid_max_age(v).is_some() {
                return;
            }
            let v = &crate::model::sts::escape_controls(v);
            if v.is_empty() {
                format!("Line {}: `max_age:` has no value.", l.line)
            } else if !v.bytes().all(|b| b.is_ascii_digit()) {
                format!(
                    "Line {}: `max_age: {v}` is not a plain number of seconds (no units, signs or spaces); senders reject the policy.",
                    l.line
                )
            } else if v.len() > 10 {
                format!(
                    "Line {}: `max_age: {v}` has more than 10 digits; senders reject the policy.",
                    l.line
                )
            } else {
                format!(
                    "Line {}: `max_age: {v}` is more than the limit of 31557600 seconds (about one year); senders reject the policy.",
                    l.line
                )
            }
        }
        None => match key_in_other_case(&p, "max_age") {
            Some(l) => format!(
                "Line {}: `{}:` — the key is `max_age` in lower case; senders find no max_age and reject the policy.",
                l.line, l.key
            ),
            None => "The policy has no `max_age:` line; senders reject it.".to_string(),
        },
    };
    out.push(
        rule.finding(
            input,
            policy_subject(input),
            msg,
            "Write `max_age:` as whole seconds between 1 and 31557600, e.g. `max_age: 1209600` (two weeks) or `max_age: 31557600` once the policy is stable.",
        )
        .at(Origin::MtaSts),
    );
}

/// A duration in seconds for a message: `about 2 day(s)`, `about 5 hour(s)`, `120 seconds`.
fn human_duration(secs: u64) -> String {
    match secs {
        s if s >= 86_400 => format!("about {} day(s)", s / 86_400),
        s if s >= 3_600 => format!("about {} hour(s)", s / 3_600),
        s => format!("{s} seconds"),
    }
}

fn sts_014(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
    let Some(text) = input.sts_policy else { return };
    let p = parse_policy(text);
    let mode = match p.mode() {
        Some(m @ (StsMode::Enforce | StsMode::Testing)) => m,
        _ => return,
    };
    let Some(line) = p.all("max_age").next() else {
        return;
    };
    let Some(age) = valid_max_age(&line.value) else {
        return;
    };
    if age >= ONE_WEEK {
        return;
    }
    out.push(
        rule.finding(
            input,
            policy_subject(input),
            format!(
                "Line {}: `max_age: {age}` ({}) with `mode: {}`: senders forget the policy after that long, so an attacker who blocks the policy fetch at refresh time strips the protection.",
                line.line,
                human_duration(age),
                mode.as_str()
            ),
            "Use at least one week (`max_age: 604800`); two weeks to a year is usual. Short values belong only to the removal steps (`mode: none`).",
        )
        .at(Origin::MtaSts),
    );
}

fn sts_015(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
    let Some(text) = input.sts_policy else { return };
    let p = parse_policy(text);
    if p.first("mode") == Some("none") || p.all("mx").next().is_some() {
        return;
    }
    let mode = p.first("mode").unwrap_or("(missing)");
    out.push(
        rule.finding(
            input,
            policy_subject(input),
            format!(
                "The policy (`mode: {mode}`) has no `mx:` line: no MX host can match it, so senders treat every delivery as failing the policy."
            ),
            "Add one `mx:` line per MX host (e.g. `mx: mx1.agency.example`), or use `mode: none` to withdraw the policy.",
        )
        .at(Origin::MtaSts),
    );
}

/// What is wrong with one `mx` value (RFC 8461 §3.2), if anything.
fn mx_value_problem(v: &str) -> Option<String> {
    if v.is_empty() {
        return Some("is empty".into());
    }
    if v.contains('#') {
        return Some("contains `#`: the policy file has no comments".into());
    }
    if v.contains(',') || v.contains(';') || v.chars().any(char::is_whitespace) {
        return Some(
            "holds several names or spaces: each `mx:` line takes exactly one pattern".into(),
        );
    }
    if v.contains("://") || v.contains('/') {
        return Some("is a URL: write only the host name".into());
    }
    let bare = v.trim_start_matches('[').trim_end_matches(']');
    let maybe_ip = bare.contains(':') || bare.starts_with(|c: char| c.is_ascii_digit());
    if maybe_ip && bare.parse::<std::net::IpAddr>().is_ok() {
        return Some(
            "is an IP address: senders compare the MX host name, so an address never matches"
                .into(),
        );
    }
    if let Some((_, port)) = v.rsplit_once(':') {
        return Some(
            if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) {
                "carries a port: write only the host name".into()
            } else {
                "contains `:`: write only the host name".into()
            },
        );
    }
    if v.ends_with('.') {
        return Some("ends in a dot: write the name without the trailing dot".into());
    }
    let host = v.strip_prefix("*.").unwrap_or(v);
    if host.contains('*') {
        return Some(
            "uses `*` other than as the whole left-most label: the only wildcard form is `*.` followed by a host name"
                .into(),
        );
    }
    if !host.is_ascii() {
        let a = crate::model::name::to_a_label(host);
        return Some(match a {
            Some(a) => format!(
                "is an internationalised name in U-label form: write the A-label form `{}{a}`",
                if v.starts_with("*.") { "*." } else { "" }
            ),
            None => {
                "contains non-ASCII characters that are not a valid internationalised name".into()
            }
        });
    }
    if host.len() > 253 {
        return Some("is longer than 253 characters".into());
    }
    for label in host.split('.') {
        if label.is_empty() {
            return Some("has an empty label (`..` or a leading dot)".into());
        }
        if label.len() > 63 {
            return Some(format!("has a label longer than 63 characters (`{label}`)"));
        }
        if !crate::model::name::is_ldh_label(label) {
            return Some(format!(
                "has the label `{label}`: host names use only letters, digits and inner hyphens"
            ));
        }
    }
    None
}

fn sts_016(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
    let Some(text) = input.sts_policy else { return };
    let p = parse_policy(text);
    for l in p.all("mx") {
        if let Some(problem) = mx_value_problem(&l.value) {
            out.push(
                rule.finding(
                    input,
                    policy_subject(input),
                    format!("Line {}: `mx: {}` {problem}.", l.line, l.value),
                    "Write each pattern as a host name (`mx: mx1.agency.example`) or `*.` plus a host name (`mx: *.agency.example`), one per `mx:` line.",
                )
                .at(Origin::MtaSts),
            );
        }
    }
}

fn sts_017(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
    let Some(text) = input.sts_policy else { return };
    let p = parse_policy(text);
    let index = PatternIndex::new(p.all("mx").map(|l| l.value.as_str()));
    let mut reported = HashSet::new();
    for host in mx_hosts(input) {
        if index.matches(host) || !reported.insert(host) {
            continue;
        }
        let Some(pattern) = index.naive_match(host) else {
            continue;
        };
        let why = if let Some(suffix) = pattern.strip_prefix("*.") {
            if host == suffix {
                format!(
                    "`*.{suffix}` covers the names one label below `{suffix}`, not `{suffix}` itself"
                )
            } else {
                format!(
                    "`*.{suffix}` covers exactly one label in place of `*`, so not `{host}`, which is deeper"
                )
            }
        } else {
            format!("`{pattern}` matches only the name `{pattern}` itself, not names below it")
        };
        out.push(
            rule.finding(
                input,
                policy_subject(input),
                format!(
                    "MX host `{host}` is not matched by any `mx:` pattern: {why}. Senders that enforce the policy will not deliver to this host."
                ),
                format!("Add `mx: {host}` to the policy (and bump the id)."),
            )
            .at(Origin::MtaSts),
        );
    }
}

/// Known policy keys, for spotting several pairs on one line.
const POLICY_KEYS: [&str; 4] = ["version", "mode", "mx", "max_age"];

/// Whether a token starts with a known policy key and `:` (any case), e.g. `mode:`.
fn starts_with_key(tok: &str) -> bool {
    POLICY_KEYS.iter().any(|k| {
        tok.get(..k.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(k))
            && tok.as_bytes().get(k.len()) == Some(&b':')
    })
}

fn sts_018(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
    let Some(text) = input.sts_policy else { return };
    let p = parse_policy(text);
    let fix = "Write one `key: value` pair per line, and one `mx:` line per pattern (`mx: mx1.agency.example` newline `mx: mx2.agency.example`); end lines with LF or CRLF.";
    let mut push = |msg: String| {
        out.push(
            rule.finding(input, policy_subject(input), msg, fix)
                .at(Origin::MtaSts),
        );
    };
    if !text.trim().is_empty() && !text.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        let lead: String = text
            .chars()
            .take_while(|c| !c.is_ascii_alphanumeric())
            .take(16)
            .collect();
        push(format!(
            "The policy starts with `{}` before its first field (a byte-order mark, spaces or an empty line); senders reject the policy.",
            crate::model::sts::escape_controls(&lead)
        ));
    }
    for (line, raw) in &p.malformed {
        push(format!(
            "Line {line}: `{}` is not a `key: value` pair; senders reject the policy.",
            crate::model::sts::escape_controls(raw.trim())
        ));
    }
    for f in &p.fields {
        if f.value.contains('\r') {
            push(format!(
                "Line {}: the text contains bare CR line ends; only LF or CRLF end a line, so several lines run together.",
                f.line
            ));
            continue;
        }
        if f.key.chars().any(char::is_whitespace) {
            push(format!(
                "Line {}: the key `{}` contains spaces: this line is not a single `key: value` pair.",
                f.line, f.key
            ));
            continue;
        }
        let embedded = f
            .value
            .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
            .find(|tok| starts_with_key(tok));
        if let Some(tok) = embedded {
            push(format!(
                "Line {}: `{}: {}` holds several key/value pairs (`{tok}` …); senders read the rest of the line as part of the `{}` value.",
                f.line, f.key, f.value, f.key
            ));
            continue;
        }
        if f.key == "mx" {
            let several = f
                .value
                .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
                .filter(|s| !s.is_empty())
                .nth(1)
                .is_some();
            if several || f.value.contains(',') {
                push(format!(
                    "Line {}: `mx: {}` lists several names on one line; senders read it as one (invalid) pattern, so none of these hosts matches.",
                    f.line, f.value
                ));
            }
        }
    }
}

fn sts_019(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
    let Some(text) = input.sts_policy else { return };
    let p = parse_policy(text);
    let mut order: Vec<&str> = Vec::new();
    let mut lines: HashMap<&str, Vec<&PolicyLine>> = HashMap::new();
    for f in p.fields.iter().filter(|f| f.key != "mx") {
        let e = lines.entry(f.key.as_str()).or_default();
        if e.is_empty() {
            order.push(f.key.as_str());
        }
        e.push(f);
    }
    for key in order {
        let Some(ls) = lines.get(key) else { continue };
        let (Some(first), Some(second)) = (ls.first(), ls.get(1)) else {
            continue;
        };
        let rest: Vec<String> = ls
            .iter()
            .skip(1)
            .map(|l| format!("line {} `{}: {}`", l.line, l.key, l.value))
            .collect();
        let differs = ls.iter().any(|l| l.value != first.value);
        out.push(
            rule.finding(
                input,
                policy_subject(input),
                format!(
                    "`{key}:` appears {} times; senders use only the first (line {}: `{key}: {}`) and ignore {}{}.",
                    ls.len(),
                    first.line,
                    first.value,
                    short_list(&rest, 3),
                    if differs { " — the values differ, which usually hides an editing mistake" } else { "" }
                ),
                format!(
                    "Keep a single `{key}:` line with the value you mean (the first one, line {}, is what senders use now) and delete line {}{}.",
                    first.line,
                    second.line,
                    if ls.len() > 2 { " and the later ones" } else { "" }
                ),
            )
            .at(Origin::MtaSts),
        );
    }
}

fn sts_020(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
    let Some(text) = input.sts_policy else { return };
    let p = parse_policy(text);
    if p.mode() != Some(StsMode::Testing) {
        return;
    }
    let sge = if input.profile == crate::model::Profile::Sge {
        " The SGE profile requires `mode: enforce`."
    } else {
        ""
    };
    out.push(
        rule.finding(
            input,
            policy_subject(input),
            format!(
                "The policy is in `mode: testing`: senders only report failures and still deliver over unprotected or unauthenticated connections.{sge}"
            ),
            "Once TLS-RPT reports show no failures for a few weeks, switch to `mode: enforce` (and bump the id).",
        )
        .at(Origin::MtaSts),
    );
}

fn sts_021(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
    let (Some(text), Some(issued)) = (input.sts_policy, input.sts_policy_issued_for) else {
        return;
    };
    let now = crate::model::render::policy_sha256(text);
    if now.eq_ignore_ascii_case(issued.trim()) {
        return;
    }
    let (_, versions) = sts_txt(input);
    let published = versions.first().and_then(|(_, t)| parse_sts_record(t).id);
    // An id derived from the current text (the builder's default: its first 20 hex digits) changed
    // with the text, whatever the history says.
    if published
        .as_deref()
        .is_some_and(|id| id.len() >= 20 && now.starts_with(&id.to_ascii_lowercase()))
    {
        return;
    }
    let id = published
        .map(|id| format!(" (`id={id}`)"))
        .unwrap_or_default();
    out.push(
        rule.finding(
            input,
            format!("_mta-sts.{}", input.domain),
            format!(
                "The policy changed but the id did not{id}: the policy text no longer matches the one the id was issued for, so senders that cached the old policy never fetch the new one."
            ),
            "Save or export the design with the builder: it bumps the id. Publish the new policy file first, then the `_mta-sts` TXT record with the new id.",
        )
        .at(Origin::MtaSts),
    );
}

fn sts_022(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
    let Some(text) = input.sts_policy else { return };
    let p = parse_policy(text);
    match p.mode() {
        Some(StsMode::None) => {
            let age = p
                .first("max_age")
                .and_then(valid_max_age)
                .map(|a| format!(" (now `max_age: {a}`)"))
                .unwrap_or_default();
            out.push(
                rule.finding(
                    input,
                    policy_subject(input),
                    format!(
                        "The policy is `mode: none`: MTA-STS is being withdrawn{age}."
                    ),
                    "Staged removal: (1) serve `mode: none` with a short max_age (e.g. 86400); (2) bump the id in the `_mta-sts` TXT record; (3) wait out the longest max_age you ever served; (4) only then delete the `_mta-sts` TXT record and the mta-sts web host.",
                )
                .at(Origin::MtaSts),
            );
        }
        Some(m @ (StsMode::Enforce | StsMode::Testing)) => {
            let name = format!("_mta-sts.{}", input.domain);
            if txt_lookup(input.records, &name).end != ChainEnd::Absent {
                return;
            }
            out.push(
                rule.finding(
                    input,
                    name,
                    format!(
                        "A policy in `mode: {}` is served but no `_mta-sts` TXT record is published: senders that cached it keep applying it until its max_age runs out, while new senders never see it.",
                        m.as_str()
                    ),
                    "If MTA-STS is being retired, put the TXT record back and follow the staged removal (`mode: none`, short max_age, new id, wait, then delete); otherwise publish `v=STSv1; id=<id>`.",
                )
                .at(Origin::MtaSts),
            );
        }
        None => {}
    }
}

fn sts_023(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
    let Some(text) = input.sts_policy else { return };
    let p = parse_policy(text);
    if p.mode() == Some(StsMode::None) {
        return;
    }
    let wild: Vec<&PolicyLine> = p
        .all("mx")
        .filter(|l| l.value.starts_with("*.") && mx_value_problem(&l.value).is_none())
        .collect();
    if wild.is_empty() {
        return;
    }
    // MX hosts by parent name (only parents some wildcard names), so each wildcard finds the hosts
    // it covers in O(1).
    let suffixes: Vec<String> = wild
        .iter()
        .map(|l| l.value.trim_start_matches("*.").to_ascii_lowercase())
        .collect();
    let mut by_parent: HashMap<&str, Vec<&str>> =
        suffixes.iter().map(|s| (s.as_str(), Vec::new())).collect();
    for host in mx_hosts(input) {
        if let Some((first, rest)) = host.split_once('.')
            && !first.is_empty()
            && let Some(v) = by_parent.get_mut(rest)
        {
            v.push(host);
        }
    }
    for (l, suffix) in wild.iter().zip(&suffixes) {
        let covered = by_parent
            .get(suffix.as_str())
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let (now, fix) = if covered.is_empty() {
            (
                "it covers none of the current MX hosts".to_string(),
                "List the MX hosts by name, one `mx:` line each.".to_string(),
            )
        } else {
            (
                format!("the MX hosts it covers are {}", short_list(covered, 5)),
                format!(
                    "List the MX hosts by name instead ({}).",
                    short_list(
                        &covered
                            .iter()
                            .map(|h| format!("`mx: {h}`"))
                            .collect::<Vec<_>>(),
                        3
                    )
                ),
            )
        };
        out.push(
            rule.finding(
                input,
                policy_subject(input),
                format!(
                    "Line {}: `mx: {}` lets any host directly under `{suffix}` with a valid CA certificate pass as an MX host; {now}.",
                    l.line, l.value
                ),
                fix,
            )
            .at(Origin::MtaSts),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::sts::mx_pattern_matches;
    use crate::rules::testkit::{Case, cname, mx, txt};

    const STS: &str = "_mta-sts.agency.example";

    fn rec(text: &str) -> Case {
        Case::new(vec![txt(STS, &[text])])
    }

    /// A policy with these lines (LF line ends).
    fn pol(lines: &[&str]) -> String {
        let mut s = lines.join("\n");
        s.push('\n');
        s
    }

    fn enforce(mx_lines: &[&str]) -> String {
        let mut v = vec!["version: STSv1", "mode: enforce"];
        v.extend_from_slice(mx_lines);
        v.push("max_age: 1209600");
        pol(&v)
    }

    fn mx2() -> Vec<crate::model::Record> {
        vec![
            mx("agency.example", 10, "mx1.agency.example"),
            mx("agency.example", 20, "mx2.agency.example"),
        ]
    }

    // STS-001
    #[test]
    fn sts_001_fail_two_records() {
        let c = Case::new(vec![
            txt(STS, &["v=STSv1; id=20260101"]),
            txt(STS, &["v=STSv1; id=20260315"]),
        ]);
        let f = c.fails_with("STS-001", Severity::Error);
        assert!(f[0].message.contains("2 TXT records"), "{f:?}");
    }

    #[test]
    fn sts_001_pass_one_record() {
        rec("v=STSv1; id=20260315").passes("STS-001");
    }

    #[test]
    fn sts_001_pass_nothing_published() {
        Case::new(vec![mx("agency.example", 10, "mx1.agency.example")]).passes("STS-001");
    }

    #[test]
    fn sts_001_fail_only_other_txt() {
        rec("some-verification=abc").fails_with("STS-001", Severity::Error);
    }

    #[test]
    fn sts_001_pass_split_strings_are_joined() {
        Case::new(vec![txt(STS, &["v=STSv1; ", "id=20260315"])]).passes("STS-001");
    }

    #[test]
    fn sts_001_fail_cname_loop() {
        Case::new(vec![
            cname(STS, "_mta-sts.provider.example"),
            cname("_mta-sts.provider.example", STS),
        ])
        .fails_with("STS-001", Severity::Error);
    }

    // STS-002
    #[test]
    fn sts_002_fail_id_before_version() {
        rec("id=20260315; v=STSv1").fails_with("STS-002", Severity::Error);
    }

    #[test]
    fn sts_002_fail_lower_case_version() {
        let f = rec("v=stsv1; id=1").fails("STS-002");
        assert!(f[0].message.contains("case-sensitive"), "{f:?}");
    }

    #[test]
    fn sts_002_pass_version_first() {
        rec("v=STSv1; id=20260315").passes("STS-002");
    }

    // STS-003
    #[test]
    fn sts_003_fail_dash_in_id() {
        let f = rec("v=STSv1; id=2026-03-15").fails_with("STS-003", Severity::Error);
        assert!(f[0].message.contains("`-`"), "{f:?}");
    }

    #[test]
    fn sts_003_fail_empty_id() {
        rec("v=STSv1; id=").fails("STS-003");
    }

    #[test]
    fn sts_003_fail_base64_plus() {
        rec("v=STSv1; id=Zm9v+YmFy").fails("STS-003");
    }

    #[test]
    fn sts_003_fail_too_long_and_missing() {
        rec(&format!("v=STSv1; id={}", "a".repeat(33))).fails("STS-003");
        rec("v=STSv1;").fails("STS-003");
    }

    #[test]
    fn sts_003_pass_alnum_id() {
        rec("v=STSv1; id=20260315T0930Z").passes("STS-003");
        rec(&format!("v=STSv1; id={}", "a".repeat(32))).passes("STS-003");
    }

    // STS-004
    #[test]
    fn sts_004_fail_comma_separator() {
        let f = rec("v=STSv1, id=20260315").fails_with("STS-004", Severity::Error);
        assert!(f[0].message.contains("`,`"), "{f:?}");
    }

    #[test]
    fn sts_004_fail_field_without_equals() {
        rec("v=STSv1; id 20260315").fails("STS-004");
    }

    #[test]
    fn sts_004_fail_bad_extension_and_double_semicolon() {
        rec("v=STSv1; id=1; _x=1").fails("STS-004");
        rec("v=STSv1; id=1;; x=1").fails("STS-004");
        rec("v=STSv1; id=1; x=a=b").fails("STS-004");
    }

    #[test]
    fn sts_004_pass_trailing_semicolon() {
        rec("v=STSv1; id=20260315;").passes("STS-004");
    }

    #[test]
    fn sts_004_pass_no_space_and_extension() {
        rec("v=STSv1;id=20260315").passes("STS-004");
        rec("v=STSv1;\tid=20260315 ; ext.name-1=x:y").passes("STS-004");
    }

    // STS-005
    #[test]
    fn sts_005_fail_space_before_semicolon() {
        rec("v=STSv1 ; id=20260315").fails_with("STS-005", Severity::Warning);
    }

    #[test]
    fn sts_005_pass_no_space() {
        rec("v=STSv1; id=20260315").passes("STS-005");
    }

    // STS-006
    #[test]
    fn sts_006_fail_cname_leaves_records() {
        let c = Case::new(vec![cname(STS, "_mta-sts.provider.example")]);
        let f = c.fails_with("STS-006", Severity::Info);
        assert!(f[0].message.contains("live"), "{f:?}");
        c.passes("STS-001");
    }

    #[test]
    fn sts_006_pass_cname_to_valid_txt() {
        let c = Case::new(vec![
            cname(STS, "_mta-sts.provider.example"),
            txt("_mta-sts.provider.example", &["v=STSv1; id=20260315"]),
        ]);
        c.passes("STS-006");
        for id in ["STS-001", "STS-002", "STS-003", "STS-004", "STS-005"] {
            c.passes(id);
        }
    }

    #[test]
    fn sts_006_target_is_validated() {
        let c = Case::new(vec![
            cname(STS, "_mta-sts.provider.example"),
            txt("_mta-sts.provider.example", &["v=STSv1; id=2026-03-15"]),
        ]);
        let f = c.fails("STS-003");
        assert_eq!(f[0].subject, "_mta-sts.provider.example");
        let c = Case::new(vec![
            cname(STS, "_mta-sts.provider.example"),
            txt("_mta-sts.provider.example", &["v=STSv1; id=1"]),
            txt("_mta-sts.provider.example", &["v=STSv1; id=2"]),
        ]);
        c.fails("STS-001");
    }

    // STS-011
    #[test]
    fn sts_011_fail_missing_version() {
        Case::new(vec![])
            .policy(&pol(&[
                "mode: enforce",
                "mx: mx1.agency.example",
                "max_age: 604800",
            ]))
            .fails_with("STS-011", Severity::Error);
    }

    #[test]
    fn sts_011_fail_version_2() {
        Case::new(vec![])
            .policy(&pol(&["version: STSv2", "mode: enforce"]))
            .fails("STS-011");
    }

    #[test]
    fn sts_011_pass_stsv1() {
        Case::new(vec![])
            .policy(&enforce(&["mx: mx1.agency.example"]))
            .passes("STS-011");
        Case::new(vec![]).passes("STS-011");
    }

    #[test]
    fn sts_011_fail_version_not_first_or_glued_to_a_bom() {
        let f = Case::new(vec![])
            .policy(&pol(&[
                "mode: enforce",
                "version: STSv1",
                "mx: mx1.agency.example",
                "max_age: 604800",
            ]))
            .fails_with("STS-011", Severity::Error);
        assert!(f[0].message.contains("not the first field"), "{f:?}");
        let f = Case::new(vec![])
            .policy(&format!("\u{feff}{}", enforce(&["mx: mx1.agency.example"])))
            .fails_with("STS-011", Severity::Error);
        assert!(f[0].message.contains("`\\u{feff}version: STSv1`"), "{f:?}");
    }

    #[test]
    fn sts_011_pass_stsv1_first_with_crlf_and_extra_keys() {
        Case::new(vec![])
            .policy("version:   STSv1\r\nmode: enforce\r\nfoo: bar\r\nmx: mx1.agency.example\r\nmax_age: 604800")
            .passes("STS-011");
    }

    #[test]
    fn sts_012_fail_bracketed_mode_quotes_the_line() {
        let f = Case::new(vec![])
            .policy(&pol(&["version: STSv1", "mode: [testing] "]))
            .fails_with("STS-012", Severity::Error);
        assert!(f[0].message.contains("`mode: [testing]`"), "{f:?}");
    }

    // STS-012
    #[test]
    fn sts_012_fail_capital_enforce() {
        let f = Case::new(vec![])
            .policy(&pol(&["version: STSv1", "mode: Enforce"]))
            .fails_with("STS-012", Severity::Error);
        assert!(f[0].message.contains("case-sensitive"), "{f:?}");
    }

    #[test]
    fn sts_012_fail_report() {
        Case::new(vec![])
            .policy(&pol(&["version: STSv1", "mode: report"]))
            .fails("STS-012");
        Case::new(vec![])
            .policy(&pol(&["version: STSv1"]))
            .fails("STS-012");
    }

    #[test]
    fn sts_012_pass_enforce() {
        Case::new(vec![])
            .policy(&enforce(&["mx: mx1.agency.example"]))
            .passes("STS-012");
    }

    // STS-013
    #[test]
    fn sts_013_fail_too_large() {
        Case::new(vec![])
            .policy(&pol(&[
                "version: STSv1",
                "mode: enforce",
                "max_age: 31557601",
            ]))
            .fails_with("STS-013", Severity::Error);
    }

    #[test]
    fn sts_013_fail_unit_and_sign() {
        for v in [
            "max_age: 1w",
            "max_age: -5",
            "max_age: 00000000001",
            "max_age:",
        ] {
            Case::new(vec![])
                .policy(&pol(&["version: STSv1", "mode: enforce", v]))
                .fails("STS-013");
        }
        Case::new(vec![])
            .policy(&pol(&["version: STSv1", "mode: enforce"]))
            .fails("STS-013");
    }

    #[test]
    fn sts_013_pass_two_weeks() {
        for v in ["max_age: 1209600", "max_age: 31557600"] {
            Case::new(vec![])
                .policy(&pol(&["version: STSv1", "mode: enforce", v]))
                .passes("STS-013");
        }
    }

    // STS-014
    #[test]
    fn sts_014_fail_one_day_enforce() {
        Case::new(vec![])
            .policy(&pol(&["version: STSv1", "mode: enforce", "max_age: 86400"]))
            .fails_with("STS-014", Severity::Warning);
    }

    #[test]
    fn sts_014_pass_two_weeks_or_none() {
        Case::new(vec![])
            .policy(&pol(&[
                "version: STSv1",
                "mode: enforce",
                "max_age: 1209600",
            ]))
            .passes("STS-014");
        Case::new(vec![])
            .policy(&pol(&["version: STSv1", "mode: none", "max_age: 86400"]))
            .passes("STS-014");
    }

    // STS-015
    #[test]
    fn sts_015_fail_no_mx() {
        Case::new(vec![])
            .policy(&pol(&[
                "version: STSv1",
                "mode: enforce",
                "max_age: 604800",
            ]))
            .fails_with("STS-015", Severity::Error);
    }

    #[test]
    fn sts_015_pass_with_mx_or_none() {
        Case::new(vec![])
            .policy(&enforce(&["mx: mx1.agency.example"]))
            .passes("STS-015");
        Case::new(vec![])
            .policy(&pol(&["version: STSv1", "mode: none", "max_age: 86400"]))
            .passes("STS-015");
    }

    // STS-016
    #[test]
    fn sts_016_fail_examples() {
        for v in [
            "mx: 198.51.100.56",
            "mx: mx*.agency.example",
            "mx: *.*.agency.example",
            "mx: mx1.agency.example:25",
            "mx: mx1.agency.example.",
            "mx: https://mx1.agency.example/",
            "mx: mx_1.agency.example",
            "mx: [2001:db8::1]",
            "mx: pōhi.agency.example",
        ] {
            Case::new(vec![])
                .policy(&enforce(&[v]))
                .fails_with("STS-016", Severity::Error);
        }
    }

    #[test]
    fn sts_016_pass_host_and_wildcard() {
        Case::new(vec![])
            .policy(&enforce(&[
                "mx: mx1.agency.example",
                "mx: *.agency.example",
            ]))
            .passes("STS-016");
    }

    // STS-017
    #[test]
    fn sts_017_fail_two_labels_under_wildcard() {
        let f = Case::new(vec![mx("agency.example", 10, "a.b.agency.example")])
            .policy(&enforce(&["mx: *.agency.example"]))
            .fails_with("STS-017", Severity::Error);
        assert!(f[0].message.contains("a.b.agency.example"), "{f:?}");
    }

    #[test]
    fn sts_017_fail_wildcard_base_and_bare_parent() {
        Case::new(vec![mx("agency.example", 10, "agency.example")])
            .policy(&enforce(&["mx: *.agency.example"]))
            .fails("STS-017");
        Case::new(vec![mx("agency.example", 10, "mx1.agency.example")])
            .policy(&enforce(&["mx: agency.example"]))
            .fails("STS-017");
    }

    #[test]
    fn sts_017_reports_a_host_once() {
        let f = Case::new(vec![
            mx("agency.example", 10, "a.b.agency.example"),
            mx("agency.example", 20, "a.b.agency.example"),
        ])
        .policy(&enforce(&["mx: *.agency.example"]))
        .fails("STS-017");
        assert_eq!(f.len(), 1, "{f:?}");
    }

    #[test]
    fn sts_017_pass_one_label_under_wildcard() {
        Case::new(vec![mx("agency.example", 10, "mx1.agency.example")])
            .policy(&enforce(&["mx: *.agency.example"]))
            .passes("STS-017");
        // Plainly unlisted hosts are XR-002's business, not a matching misunderstanding.
        Case::new(vec![mx("agency.example", 10, "mx.other.example")])
            .policy(&enforce(&["mx: *.agency.example"]))
            .passes("STS-017");
    }

    #[test]
    fn pattern_index_agrees_with_model_matching() {
        let patterns = ["*.agency.example", "mx9.other.example", "MX.Upper.Example"];
        let idx = PatternIndex::new(patterns);
        for host in [
            "mx1.agency.example",
            "agency.example",
            "a.b.agency.example",
            "mx9.other.example",
            "mx.upper.example",
            "mx1.agency.example.",
            ".agency.example",
            "example",
        ] {
            let expected = patterns.iter().any(|p| mx_pattern_matches(p, host));
            assert_eq!(idx.matches(host), expected, "{host}");
        }
    }

    // STS-018
    #[test]
    fn sts_018_fail_bytes_before_the_first_field() {
        for lead in ["\u{feff}", " ", "\n", "\r\n"] {
            let f = Case::new(vec![])
                .policy(&format!("{lead}{}", enforce(&["mx: mx1.agency.example"])))
                .fails_with("STS-018", Severity::Error);
            assert!(f[0].message.contains("before its first field"), "{f:?}");
            assert!(!f[0].message.contains('\u{feff}'), "escaped: {f:?}");
        }
    }

    #[test]
    fn sts_018_pass_lf_crlf_and_no_final_terminator() {
        for text in [
            "version: STSv1\nmode: enforce\nmx: mx1.agency.example\nmax_age: 604800\n",
            "version: STSv1\r\nmode: enforce\r\nmx: mx1.agency.example\r\nmax_age: 604800\r\n",
            "version: STSv1\nmode: enforce\nmx: mx1.agency.example\nmax_age: 604800",
        ] {
            Case::new(vec![]).policy(text).passes("STS-018");
        }
    }

    /// The sender's reading (RFC 8461 §3.2): what the ABNF allows is valid, the rest quoted.
    #[test]
    fn policy_validity_as_a_sender_reads_it() {
        let ok = [
            "version: STSv1\nmode: enforce\nmx: mx1.agency.example\nmax_age: 604800\n",
            "version: STSv1\r\nmode: testing\r\nmx: *.agency.example\r\nmax_age: 0\r\n",
            "version: STSv1\nmode: none\nmax_age: 86400",
            "version:STSv1\nmode:\t enforce\nmx:   mx1.agency.example\nmax_age: 31557600\n",
            "version: STSv1\nmode: enforce\nfoo_bar: anything at all\nmx: a.example\nmax_age: 1\n",
        ];
        for t in ok {
            assert_eq!(policy_invalid_because(t), None, "{t:?}");
        }
        let bad = [
            (
                "version: STSv1\nmode: [testing] \nmx: a.example\nmax_age: 1\n",
                "line 2 `mode: [testing] `",
            ),
            (
                "version: STSv2\nmode: enforce\nmx: a.example\nmax_age: 1\n",
                "line 1 `version: STSv2`",
            ),
            (
                "version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 99999999999\n",
                "line 4 `max_age: 99999999999`",
            ),
            (
                "version: STSv1\nmode: enforce\nmx: a.example\n",
                "no `max_age` field",
            ),
            (
                "version: STSv1\nmode: enforce\nmax_age: 604800\n",
                "`mode: enforce` without any `mx` field",
            ),
            (
                "\u{feff}version: STSv1\nmode: none\nmax_age: 1\n",
                "line 1 `\\u{feff}version: STSv1`",
            ),
            (
                "\nversion: STSv1\nmode: none\nmax_age: 1\n",
                "bytes before the first field",
            ),
            (
                "mode: none\nversion: STSv1\nmax_age: 1\n",
                "line 1 `mode: none`",
            ),
            (
                "version: STSv1\nmode none\nmax_age: 1\n",
                "line 2 `mode none`",
            ),
            ("", "empty"),
        ];
        for (t, why) in bad {
            let got = policy_invalid_because(t).unwrap_or_default();
            assert!(got.contains(why), "{t:?}: {got:?} lacks {why:?}");
        }
    }

    #[test]
    fn sts_018_fail_comma_list() {
        Case::new(vec![])
            .policy(&enforce(&["mx: mx1.agency.example, mx2.agency.example"]))
            .fails_with("STS-018", Severity::Error);
    }

    #[test]
    fn sts_018_fail_two_pairs_on_one_line() {
        Case::new(vec![])
            .policy(&pol(&[
                "version: STSv1 mode: enforce",
                "mx: mx1.agency.example",
                "max_age: 604800",
            ]))
            .fails("STS-018");
        Case::new(vec![])
            .policy(&pol(&[
                "version: STSv1",
                "mode: enforce",
                "mx1.agency.example",
                "max_age: 604800",
            ]))
            .fails("STS-018");
    }

    #[test]
    fn sts_018_pass_one_per_line_lf_and_crlf() {
        let lf = enforce(&["mx: mx1.agency.example", "mx: mx2.agency.example"]);
        Case::new(vec![]).policy(&lf).passes("STS-018");
        Case::new(vec![])
            .policy(&lf.replace('\n', "\r\n"))
            .passes("STS-018");
    }

    // STS-019
    #[test]
    fn sts_019_fail_second_mode() {
        let f = Case::new(vec![])
            .policy(&pol(&[
                "version: STSv1",
                "mode: testing",
                "mx: mx1.agency.example",
                "max_age: 604800",
                "mode: enforce",
            ]))
            .fails_with("STS-019", Severity::Warning);
        assert!(f[0].message.contains("mode: testing"), "{f:?}");
    }

    #[test]
    fn sts_019_pass_single_mode_many_mx() {
        Case::new(vec![])
            .policy(&enforce(&[
                "mx: mx1.agency.example",
                "mx: mx2.agency.example",
            ]))
            .passes("STS-019");
    }

    // STS-020
    #[test]
    fn sts_020_fail_testing_warning_under_secmx() {
        Case::new(vec![])
            .policy(&pol(&[
                "version: STSv1",
                "mode: testing",
                "max_age: 604800",
            ]))
            .fails_with("STS-020", Severity::Warning);
    }

    #[test]
    fn sts_020_fail_testing_error_under_sge() {
        Case::new(vec![])
            .policy(&pol(&[
                "version: STSv1",
                "mode: testing",
                "max_age: 604800",
            ]))
            .sge()
            .fails_with("STS-020", Severity::Error);
    }

    #[test]
    fn sts_020_pass_enforce() {
        Case::new(vec![])
            .policy(&enforce(&["mx: mx1.agency.example"]))
            .sge()
            .passes("STS-020");
    }

    // STS-021
    #[test]
    fn sts_021_fail_body_changed_id_unchanged() {
        let old = pol(&[
            "version: STSv1",
            "mode: testing",
            "mx: mx1.agency.example",
            "max_age: 604800",
        ]);
        let new = pol(&[
            "version: STSv1",
            "mode: enforce",
            "mx: mx1.agency.example",
            "max_age: 604800",
        ]);
        let f = rec("v=STSv1; id=20260101")
            .policy(&new)
            .issued_for(&crate::model::render::policy_sha256(&old))
            .fails_with("STS-021", Severity::Error);
        assert!(f[0].message.contains("id=20260101"), "{f:?}");
        assert!(f[0].fix.contains("bumps the id"), "{f:?}");
    }

    #[test]
    fn sts_021_pass_id_issued_for_this_body() {
        let new = pol(&[
            "version: STSv1",
            "mode: enforce",
            "mx: mx1.agency.example",
            "max_age: 604800",
        ]);
        rec("v=STSv1; id=20260315")
            .policy(&new)
            .issued_for(&crate::model::render::policy_sha256(&new))
            .passes("STS-021");
        rec("v=STSv1; id=20260315").policy(&new).passes("STS-021");
    }

    #[test]
    fn sts_021_pass_id_derived_from_current_text() {
        let old = pol(&[
            "version: STSv1",
            "mode: testing",
            "mx: mx1.agency.example",
            "max_age: 604800",
        ]);
        let new = pol(&[
            "version: STSv1",
            "mode: enforce",
            "mx: mx1.agency.example",
            "max_age: 604800",
        ]);
        let derived = crate::model::render::policy_sha256(&new)[..20].to_string();
        rec(&format!("v=STSv1; id={derived}"))
            .policy(&new)
            .issued_for(&crate::model::render::policy_sha256(&old))
            .passes("STS-021");
    }

    // STS-022
    #[test]
    fn sts_022_fail_txt_deleted_while_enforce_served() {
        Case::new(vec![])
            .policy(&enforce(&["mx: mx1.agency.example"]))
            .fails_with("STS-022", Severity::Info);
    }

    #[test]
    fn sts_022_reports_staged_removal_for_mode_none() {
        let f = rec("v=STSv1; id=20260401")
            .policy(&pol(&["version: STSv1", "mode: none", "max_age: 86400"]))
            .fails_with("STS-022", Severity::Info);
        assert!(f[0].fix.contains("wait out"), "{f:?}");
    }

    #[test]
    fn sts_022_pass_enforce_published() {
        rec("v=STSv1; id=20260315")
            .policy(&enforce(&["mx: mx1.agency.example"]))
            .passes("STS-022");
    }

    // STS-023
    #[test]
    fn sts_023_fail_broad_wildcard() {
        let f = Case::new(mx2())
            .policy(&enforce(&["mx: *.agency.example"]))
            .fails_with("STS-023", Severity::Warning);
        assert!(f[0].message.contains("mx1.agency.example"), "{f:?}");
    }

    #[test]
    fn sts_023_pass_invalid_wildcard_left_to_sts_016() {
        Case::new(mx2())
            .policy(&enforce(&["mx: *.agency.example, mx2.agency.example"]))
            .passes("STS-023");
    }

    #[test]
    fn sts_023_pass_exact_hosts() {
        Case::new(mx2())
            .policy(&enforce(&[
                "mx: mx1.agency.example",
                "mx: mx2.agency.example",
            ]))
            .passes("STS-023");
    }

    #[test]
    fn large_design_is_linear() {
        let n = 10_000;
        let mut recs = Vec::new();
        let mut lines = vec!["version: STSv1".to_string(), "mode: enforce".to_string()];
        for i in 0..n {
            let h = format!("mx{i}.agency.example");
            recs.push(mx("agency.example", 10, &h));
            lines.push(format!("mx: {h}"));
        }
        lines.push("max_age: 1209600".to_string());
        let text = lines.join("\r\n");
        let c = Case::new(recs).policy(&text);
        for id in ["STS-016", "STS-017", "STS-018", "STS-019", "STS-023"] {
            c.passes(id);
        }
    }
}
