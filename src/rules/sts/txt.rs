//! The TXT and policy toolkit the STS, RPT and SGE rules share: TXT lookups inside a record set
//! (following CNAMEs), the tag-list syntax of `v=STSv1` / `v=TLSRPTv1` records, the parsed policy
//! of an input, the `mx` pattern index, short lists for messages.

use super::*;

// ---------------------------------------------------------------------------------------------
// Shared helpers (also used by the RPT and SGE groups).
// ---------------------------------------------------------------------------------------------

/// The version field every `_mta-sts` TXT record starts with (RFC 8461 §3.1, case-sensitive).
pub const STS_VERSION: &str = "v=STSv1";

/// Longest CNAME chain followed inside a record set.
pub(super) const MAX_CNAME_HOPS: usize = 8;

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

/// The `mx` patterns of a policy as senders match them (the model's one index).
pub(crate) use crate::model::sts::MxPatterns as PatternIndex;

/// The MX exchanges of the domain (null MX left out), in record order. Not deduplicated (that would
/// cost a hash per host on every lint); callers deduplicate what they report.
pub(crate) fn mx_hosts<'a>(input: &crate::rules::Facts<'a>) -> impl Iterator<Item = &'a str> + 'a {
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
pub(super) fn sts_txt<'a>(
    input: &crate::rules::Facts<'a>,
) -> (TxtLookup<'a>, Vec<(&'a Record, String)>) {
    let look = txt_lookup(input.records, &format!("_mta-sts.{}", input.domain));
    let versions = look
        .txt
        .iter()
        .filter(|(_, t)| t.starts_with(STS_VERSION))
        .map(|(r, t)| (*r, t.clone()))
        .collect();
    (look, versions)
}

pub(super) fn policy_subject(input: &crate::rules::Facts<'_>) -> String {
    format!("mta-sts.{}", input.domain)
}

pub(super) fn policy_url(input: &crate::rules::Facts<'_>) -> String {
    format!("https://mta-sts.{}/.well-known/mta-sts.txt", input.domain)
}

/// A key written in another case (`Mode:` for `mode:`), for hints.
pub(super) fn key_in_other_case<'a>(p: &'a PolicyText, key: &str) -> Option<&'a PolicyLine> {
    p.fields
        .iter()
        .find(|f| f.key != key && f.key.eq_ignore_ascii_case(key))
}
