//! SGE rules (the catalogue: `rules::catalogue`, `secmx explain`). Each rule's Fail/Pass examples are its unit tests below.

use super::rpt::{TLSRPT_VERSION, parse_tlsrpt};
use super::sts::{
    ChainEnd, PatternIndex, STS_VERSION, mx_hosts, short_list, tag_fields, txt_lookup,
};

use super::{Finding, Needs, Rule, Severity};
use crate::model::records::Record;
use crate::model::{Origin, Profile, StsMode};
use std::collections::HashSet;

// The checks: `transport` (SGE-002/003), `spf` (SGE-004), `dmarc` (SGE-006…008), `lockdown`
// (SGE-009); SGE-001, 005 and 010 live with the probe and DKIM rules.
mod dmarc;
mod lockdown;
mod spf;
#[cfg(test)]
mod tests;
mod transport;

use dmarc::*;
use lockdown::*;
use spf::*;
use transport::*;

/// The rules of this group, in catalogue order.
pub const RULES: &[Rule] = &[
    Rule::new(
        "SGE-001",
        Severity::Error,
        "Every MX host (and every SecMX SRV target) negotiates TLS 1.2 or newer and refuses TLS 1.0/1.1 and SSL.",
        super::live_probe::sge_001,
    )
    .needs(Needs::Probe),
    Rule::new(
        "SGE-002",
        Severity::Error,
        "MTA-STS is published and the policy is in `enforce` mode, listing every MX host.",
        sge_002,
    ),
    Rule::new(
        "SGE-003",
        Severity::Error,
        "TLS-RPT is published with at least one working `rua` destination.",
        sge_003,
    ),
    Rule::new(
        "SGE-004",
        Severity::Error,
        "Exactly one SPF record exists, it needs no more than 10 DNS-querying terms, and it ends in hard fail `-all`.",
        sge_004,
    ),
    Rule::new(
        "SGE-005",
        Severity::Error,
        "Outbound mail is DKIM-signed; every selector the agency uses publishes a valid key record (RSA keys of at least 1024 bits, 2048 recommended; no `rsa-sha1` signing).",
        super::dkim::sge_005,
    )
    .needs(Needs::Dns),
    Rule::new(
        "SGE-006",
        Severity::Error,
        "DMARC is published at `_dmarc.<domain>` with `p=reject`, applied to all mail (no `pct` below 100) and with an aggregate report (`rua`) destination.",
        sge_006,
    ),
    Rule::new(
        "SGE-007",
        Severity::Warning,
        "Strict identifier alignment (`adkim=s; aspf=s`) — reported as required by one secondary source only; treat as warning until confirmed.",
        sge_007,
    ),
    Rule::new(
        "SGE-008",
        Severity::Warning,
        "Subdomain policy is not weaker than the domain policy (`sp=` absent or `reject`).",
        sge_008,
    ),
    Rule::new(
        "SGE-009",
        Severity::Error,
        "Domains that send no mail are locked down: `v=spf1 -all`, DMARC `p=reject`, and a null MX if they receive none either.",
        sge_009,
    ),
    Rule::new(
        "SGE-010",
        Severity::Error,
        "MX certificates are publicly trusted and name the MX host, because `enforce` MTA-STS requires PKIX validation (PROBE-019/020/021 raised to error).",
        super::live_probe::sge_010,
    )
    .needs(Needs::Probe),
];

// ---------------------------------------------------------------------------------------------
// SPF and DMARC readers (pub: the GUI and the live DNS check reuse them).
// ---------------------------------------------------------------------------------------------

pub use crate::model::spf::{Spf, parse_spf};

/// A DMARC record (RFC 7489 §6.3): its tags, names lower-cased, values trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dmarc {
    /// `(tag, value)` pairs in order, `v` first.
    pub tags: Vec<(String, String)>,
}

impl Dmarc {
    /// The first value of a tag (name in lower case).
    pub fn get(&self, tag: &str) -> Option<&str> {
        self.tags
            .iter()
            .find(|(n, _)| n == tag)
            .map(|(_, v)| v.as_str())
    }
}

/// Read a DMARC record: `None` unless its first tag is `v=DMARC1`.
pub fn parse_dmarc(text: &str) -> Option<Dmarc> {
    let mut tags = Vec::new();
    for field in tag_fields(text.trim()) {
        if field.is_empty() {
            continue;
        }
        let (n, v) = field.split_once('=').unwrap_or((field, ""));
        tags.push((n.trim().to_ascii_lowercase(), v.trim().to_string()));
    }
    match tags.first() {
        Some((n, v)) if n == "v" && v == "DMARC1" => Some(Dmarc { tags }),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers.
// ---------------------------------------------------------------------------------------------

fn is_sge(input: &crate::rules::Facts<'_>) -> bool {
    input.profile == Profile::Sge
}

fn has_null_mx(input: &crate::rules::Facts<'_>) -> bool {
    input
        .records
        .mx_of(input.domain)
        .any(|(_, _, host)| host.is_empty())
}

/// Whether the domain receives no mail: a null MX, or no MX and no SecMX SRV target at all (and not
/// declared secure-only, Q5).
fn receives_no_mail(input: &crate::rules::Facts<'_>) -> bool {
    if has_null_mx(input) {
        return true;
    }
    let any_mx = input
        .records
        .mx_of(input.domain)
        .any(|(_, _, host)| !host.is_empty());
    let any_srv = input
        .records
        .srv_at(&input.srv_owner())
        .any(|(_, _, _, _, target)| !target.is_empty());
    !any_mx && !any_srv && !input.options.secure_only
}

/// The apex SPF records with their parsed form.
fn spf_records<'a>(input: &crate::rules::Facts<'a>) -> Vec<(&'a Record, String, Spf)> {
    input
        .records
        .txt_at(input.domain)
        .filter_map(|(r, t)| parse_spf(&t).map(|s| (r, t, s)))
        .collect()
}

/// The names the DMARCbis tree walk asks, in order: `_dmarc.<domain>`, then up the tree (a
/// domain of more than 7 labels first shortened to 7, then one label less at a time, down to the
/// top-level domain): at most 8 questions, no public-suffix list needed
/// (draft-ietf-dmarc-dmarcbis §4.10; RFC 7489 §6.6.3 asked the organisational domain).
pub fn dmarc_tree_names(domain: &str) -> Vec<String> {
    let d = crate::model::normalize_name(domain);
    let labels: Vec<&str> = d.split('.').filter(|l| !l.is_empty()).collect();
    let mut out = vec![format!("_dmarc.{d}")];
    let start = labels.len().saturating_sub(1).min(7);
    for n in (1..=start).rev() {
        let name = format!("_dmarc.{}", labels[labels.len() - n..].join("."));
        if !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// The DMARC policy that applies to the domain: its own `_dmarc` record, or the first found up
/// the tree (then the record's `sp=`, else its `p=`, is the domain's policy).
struct DmarcFound<'a> {
    /// Where the records were found (`_dmarc.<domain>` when nowhere).
    owner: String,
    /// Found above the domain (the policy is inherited).
    inherited: bool,
    /// `None` when the lookup leaves the record set (a CNAME out of the domain, live check).
    records: Option<Vec<(&'a Record, String, Dmarc)>>,
}

fn dmarc_at<'a>(
    input: &crate::rules::Facts<'a>,
    owner: &str,
) -> Option<Vec<(&'a Record, String, Dmarc)>> {
    dmarc_in(input.records, owner)
}

fn dmarc_in<'a>(
    records: &'a crate::model::RecordSet,
    owner: &str,
) -> Option<Vec<(&'a Record, String, Dmarc)>> {
    let look = txt_lookup(records, owner);
    if look.end == ChainEnd::Outside {
        return None;
    }
    Some(
        look.txt
            .into_iter()
            .filter_map(|(r, t)| parse_dmarc(&t).map(|d| (r, t, d)))
            .collect(),
    )
}

fn dmarc_found<'a>(input: &crate::rules::Facts<'a>) -> DmarcFound<'a> {
    let own = format!("_dmarc.{}", input.domain);
    let here = dmarc_at(input, &own);
    let none_here = here.as_ref().is_some_and(|v| v.is_empty());
    // The walk up needs DNS answers above the domain: only the live check has them.
    if none_here && let Some(live) = input.live {
        // Above the domain only DNS knows (a design holds no names there).
        for name in dmarc_tree_names(input.domain).into_iter().skip(1) {
            if let Some(v) = dmarc_in(&live.records, &name).filter(|v| !v.is_empty()) {
                return DmarcFound {
                    owner: name,
                    inherited: true,
                    records: Some(v),
                };
            }
        }
    }
    DmarcFound {
        owner: own,
        inherited: false,
        records: here,
    }
}

/// The DMARC records that apply: `None` when the lookup leaves the record set (live check).
fn dmarc_records<'a>(input: &crate::rules::Facts<'a>) -> Option<Vec<(&'a Record, String, Dmarc)>> {
    dmarc_found(input).records
}

/// Where the DMARC records that apply are published.
fn dmarc_owner(input: &crate::rules::Facts<'_>) -> String {
    dmarc_found(input).owner
}

/// The policy tag that applies to the domain: `sp` (else `p`) of an inherited record.
fn policy_tag<'d>(
    input: &crate::rules::Facts<'_>,
    d: &'d Dmarc,
) -> (&'static str, Option<&'d str>) {
    if dmarc_found(input).inherited && d.get("sp").is_some() {
        ("sp", d.get("sp"))
    } else {
        ("p", d.get("p"))
    }
}

/// The single DMARC record SGE-007/008 judge (quiet when SGE-006 already reports none or several).
fn single_dmarc<'a>(input: &crate::rules::Facts<'a>) -> Option<(&'a Record, String, Dmarc)> {
    let mut v = dmarc_records(input)?;
    if v.len() == 1 { v.pop() } else { None }
}

fn dmarc_example(input: &crate::rules::Facts<'_>) -> String {
    format!(
        "v=DMARC1; p=reject; adkim=s; aspf=s; rua=mailto:dmarc@{}",
        input.domain
    )
}
