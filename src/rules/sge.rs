//! SGE rules (the catalogue: `rules::catalogue`, `secmx explain`). Each rule's Fail/Pass examples are its unit tests below.

use super::rpt::{TLSRPT_VERSION, parse_tlsrpt};
use super::sts::{
    ChainEnd, PatternIndex, STS_VERSION, mx_hosts, parse_policy, short_list, tag_fields, txt_lookup,
};
use super::{Finding, Input, Needs, Raise, Rule, Severity};
use crate::model::records::Record;
use crate::model::{Origin, Profile, StsMode};
use std::collections::HashSet;

/// The rules of this group, in catalogue order.
pub const RULES: &[Rule] = &[
    Rule {
        id: "SGE-001",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "Every MX host (and every SecMX SRV target) negotiates TLS 1.2 or newer and refuses TLS 1.0/1.1 and SSL.",
        needs: Needs::Probe,
        check: Some(super::live_probe::sge_001),
        planned: None,
    },
    Rule {
        id: "SGE-002",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "MTA-STS is published and the policy is in `enforce` mode, listing every MX host.",
        needs: Needs::Static,
        check: Some(sge_002),
        planned: None,
    },
    Rule {
        id: "SGE-003",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "TLS-RPT is published with at least one working `rua` destination.",
        needs: Needs::Static,
        check: Some(sge_003),
        planned: None,
    },
    Rule {
        id: "SGE-004",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "Exactly one SPF record exists, it needs no more than 10 DNS-querying terms, and it ends in hard fail `-all`.",
        needs: Needs::Static,
        check: Some(sge_004),
        planned: None,
    },
    Rule {
        id: "SGE-005",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "Outbound mail is DKIM-signed; every selector the agency uses publishes a valid key record (RSA keys of at least 1024 bits, 2048 recommended; no `rsa-sha1` signing).",
        needs: Needs::Dns,
        check: Some(super::dkim::sge_005),
        planned: None,
    },
    Rule {
        id: "SGE-006",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "DMARC is published at `_dmarc.<domain>` with `p=reject`, applied to all mail (no `pct` below 100) and with an aggregate report (`rua`) destination.",
        needs: Needs::Static,
        check: Some(sge_006),
        planned: None,
    },
    Rule {
        id: "SGE-007",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "Strict identifier alignment (`adkim=s; aspf=s`) — reported as required by one secondary source only; treat as warning until confirmed.",
        needs: Needs::Static,
        check: Some(sge_007),
        planned: None,
    },
    Rule {
        id: "SGE-008",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "Subdomain policy is not weaker than the domain policy (`sp=` absent or `reject`).",
        needs: Needs::Static,
        check: Some(sge_008),
        planned: None,
    },
    Rule {
        id: "SGE-009",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "Domains that send no mail are locked down: `v=spf1 -all`, DMARC `p=reject`, and a null MX if they receive none either.",
        needs: Needs::Static,
        check: Some(sge_009),
        planned: None,
    },
    Rule {
        id: "SGE-010",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "MX certificates are publicly trusted and name the MX host, because `enforce` MTA-STS requires PKIX validation (PROBE-019/020/021 raised to error).",
        needs: Needs::Probe,
        check: Some(super::live_probe::sge_010),
        planned: None,
    },
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

fn is_sge(input: &Input<'_>) -> bool {
    input.profile == Profile::Sge
}

fn has_null_mx(input: &Input<'_>) -> bool {
    input
        .records
        .mx_of(input.domain)
        .any(|(_, _, host)| host.is_empty())
}

/// Whether the domain receives no mail: a null MX, or no MX and no SecMX SRV target at all (and not
/// declared secure-only, Q5).
fn receives_no_mail(input: &Input<'_>) -> bool {
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
fn spf_records<'a>(input: &Input<'a>) -> Vec<(&'a Record, String, Spf)> {
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

fn dmarc_at<'a>(input: &Input<'a>, owner: &str) -> Option<Vec<(&'a Record, String, Dmarc)>> {
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

fn dmarc_found<'a>(input: &Input<'a>) -> DmarcFound<'a> {
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
fn dmarc_records<'a>(input: &Input<'a>) -> Option<Vec<(&'a Record, String, Dmarc)>> {
    dmarc_found(input).records
}

/// Where the DMARC records that apply are published.
fn dmarc_owner(input: &Input<'_>) -> String {
    dmarc_found(input).owner
}

/// The policy tag that applies to the domain: `sp` (else `p`) of an inherited record.
fn policy_tag<'d>(input: &Input<'_>, d: &'d Dmarc) -> (&'static str, Option<&'d str>) {
    if dmarc_found(input).inherited && d.get("sp").is_some() {
        ("sp", d.get("sp"))
    } else {
        ("p", d.get("p"))
    }
}

/// The single DMARC record SGE-007/008 judge (quiet when SGE-006 already reports none or several).
fn single_dmarc<'a>(input: &Input<'a>) -> Option<(&'a Record, String, Dmarc)> {
    let mut v = dmarc_records(input)?;
    if v.len() == 1 { v.pop() } else { None }
}

fn dmarc_example(input: &Input<'_>) -> String {
    format!(
        "v=DMARC1; p=reject; adkim=s; aspf=s; rua=mailto:dmarc@{}",
        input.domain
    )
}

// ---------------------------------------------------------------------------------------------
// Checks.
// ---------------------------------------------------------------------------------------------

fn sge_002(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
    if !is_sge(input) || receives_no_mail(input) {
        return;
    }
    let name = format!("_mta-sts.{}", input.domain);
    let mut push = |subject: String, msg: String, fix: String| {
        out.push(rule.finding(input, subject, msg, fix).at(Origin::MtaSts));
    };
    let look = txt_lookup(input.records, &name);
    let versions = look
        .txt
        .iter()
        .filter(|(_, t)| t.starts_with(STS_VERSION))
        .count();
    if look.end != ChainEnd::Outside && versions != 1 {
        push(
            name.clone(),
            if versions == 0 {
                format!(
                    "SGE requires MTA-STS, but no `v=STSv1` TXT record is published at `{name}`."
                )
            } else {
                format!(
                    "SGE requires MTA-STS, but `{name}` has {versions} `v=STSv1` records, so senders see no policy."
                )
            },
            format!(
                "Publish one TXT record `v=STSv1; id=<id>` at `{name}` and the policy file at https://mta-sts.{}/.well-known/mta-sts.txt with `mode: enforce`.",
                input.domain
            ),
        );
    }
    let subject = format!("mta-sts.{}", input.domain);
    let Some(text) = input.sts_policy else {
        if input.live.is_some() && input.relays.is_empty() {
            // As published: the policy file comes from the live fetch. Without its text here the
            // fetch is judged by the live STS rules (unreachable, bad certificate, ...); saying
            // "there is no policy file" would contradict a fetch that found one.
            return;
        }
        push(
            subject,
            "SGE requires an MTA-STS policy in `mode: enforce`, but there is no policy file to check.".to_string(),
            "Switch MTA-STS on in the design with `mode: enforce` (or run the live check to fetch the published policy).".to_string(),
        );
        return;
    };
    let p = parse_policy(text);
    if p.mode() != Some(StsMode::Enforce) {
        push(
            subject.clone(),
            format!(
                "SGE requires `mode: enforce`; the policy has `mode: {}`, so senders still deliver when TLS or the certificate fails.",
                p.first("mode").unwrap_or("(missing)")
            ),
            "Set `mode: enforce` (after a clean testing period with TLS-RPT) and bump the id."
                .to_string(),
        );
    }
    let index = PatternIndex::new(p.all("mx").map(|l| l.value.as_str()));
    let mut seen = HashSet::new();
    let missing: Vec<&str> = mx_hosts(input)
        .filter(|h| !index.matches(h) && seen.insert(*h))
        .collect();
    if !missing.is_empty() {
        push(
            subject,
            format!(
                "SGE requires the MTA-STS policy to list every MX host; {} not matched by any `mx:` pattern: {}.",
                if missing.len() == 1 {
                    "this one is"
                } else {
                    "these are"
                },
                short_list(&missing, 5)
            ),
            format!(
                "Add one `mx:` line per MX host ({}) and bump the id.",
                short_list(
                    &missing
                        .iter()
                        .map(|h| format!("`mx: {h}`"))
                        .collect::<Vec<_>>(),
                    3
                )
            ),
        );
    }
}

fn sge_003(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
    if !is_sge(input) || receives_no_mail(input) {
        return;
    }
    let name = format!("_smtp._tls.{}", input.domain);
    let look = txt_lookup(input.records, &name);
    if look.end == ChainEnd::Outside {
        return;
    }
    let versions: Vec<(&Record, &String)> = look
        .txt
        .iter()
        .filter(|(_, t)| t.starts_with(TLSRPT_VERSION))
        .map(|(r, t)| (*r, t))
        .collect();
    let fix = format!(
        "Publish one TXT record at `{name}`: `v=TLSRPTv1; rua=mailto:tlsrpt@{}` (or an `https://` endpoint).",
        input.domain
    );
    let (msg, origin) = match versions.as_slice() {
        [] => (
            format!(
                "SGE requires TLS-RPT, but no `v=TLSRPTv1` TXT record is published at `{name}`."
            ),
            Origin::TlsRpt,
        ),
        [(rec, text)] => {
            if parse_tlsrpt(text).usable_destinations().next().is_some() {
                return;
            }
            (
                format!(
                    "SGE requires TLS-RPT with at least one working `rua` destination; TXT \"{text}\" has none (each must be `mailto:<address>` or `https://<host>/…`)."
                ),
                rec.origin,
            )
        }
        many => (
            format!(
                "SGE requires TLS-RPT, but `{name}` has {} `v=TLSRPTv1` records, so reporters treat it as unpublished.",
                many.len()
            ),
            many.first().map_or(Origin::TlsRpt, |(r, _)| r.origin),
        ),
    };
    out.push(rule.finding(input, name.clone(), msg, fix).at(origin));
}

fn sge_004(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
    if !is_sge(input) {
        return;
    }
    let d = input.domain;
    let spf = spf_records(input);
    let (rec, text, s) = match spf.as_slice() {
        [] => {
            out.push(
                rule.finding(
                    input,
                    d,
                    format!("SGE requires an SPF record, but `{d}` publishes no `v=spf1` TXT record."),
                    format!("Publish one TXT record at `{d}` listing your senders and ending in `-all`, e.g. `v=spf1 include:_spf.provider.example -all` (or `v=spf1 -all` if the domain sends no mail)."),
                )
                .at(Origin::Sge),
            );
            return;
        }
        [one] => one,
        many => {
            let texts: Vec<String> = many.iter().map(|(_, t, _)| format!("\"{t}\"")).collect();
            out.push(
                rule.finding(
                    input,
                    d,
                    format!(
                        "`{d}` has {} SPF records ({}): receivers return a permanent error and SPF fails for all mail.",
                        many.len(),
                        short_list(&texts, 3)
                    ),
                    "Merge them into a single `v=spf1 … -all` record.",
                )
                .at(many.first().map_or(Origin::Sge, |(r, _, _)| r.origin)),
            );
            return;
        }
    };
    match input.live {
        // Live: the whole evaluation tree (RFC 7208 §4.6.4), includes and redirects followed.
        Some(p) => spf_tree_findings(rule, input, p, rec, text, out),
        None => {
            let lookups = s.dns_terms();
            if lookups > 10 {
                out.push(
                    rule.finding(
                        input,
                        d,
                        format!(
                            "SPF \"{text}\" has {lookups} DNS-querying terms (include, a, mx, ptr, exists, redirect); more than 10 is a permanent error, so SPF fails."
                        ),
                        "Cut it to 10 or fewer: drop unused includes, replace `a`/`mx`/`ptr` with `ip4:`/`ip6:` ranges, or ask providers for a flatter include.",
                    )
                    .at(rec.origin),
                );
            }
        }
    }
    match s.all() {
        Some(all) if all.eq_ignore_ascii_case("-all") => {}
        Some(all) => out.push(
            rule.finding(
                input,
                d,
                format!(
                    "SPF \"{text}\" ends in `{all}`: mail from unlisted senders does not fail SPF outright. SGE requires hard fail `-all`."
                ),
                format!("Replace `{all}` with `-all` once every legitimate sender is listed."),
            )
            .at(rec.origin),
        ),
        None if s.has_redirect() => out.push(
            rule.finding(
                input,
                d,
                format!(
                    "SPF \"{text}\" has no `all` term and hands over with `redirect=`: the result depends on the target record, which this check cannot see."
                ),
                "Make sure the redirect target ends in `-all` (the live check follows it), or end this record with `-all` instead of redirecting.",
            )
            .with_severity(Severity::Warning)
            .at(rec.origin),
        ),
        None => out.push(
            rule.finding(
                input,
                d,
                format!(
                    "SPF \"{text}\" has no `all` term: mail from unlisted senders gets a neutral result instead of failing."
                ),
                "End the record with `-all`.",
            )
            .at(rec.origin),
        ),
    }
}

/// SGE-004 over the whole SPF evaluation tree as DNS publishes it: more than 10 DNS-querying
/// terms or more than 2 void lookups anywhere in it is a permanent error (RFC 7208 §4.6.4).
fn spf_tree_findings(
    rule: &Rule,
    input: &Input<'_>,
    p: &crate::model::published::Published,
    rec: &Record,
    text: &str,
    out: &mut Vec<Finding>,
) {
    let d = input.domain;
    let tree = crate::model::spf::walk_text(p, d, text);
    let chain = || {
        let v: Vec<String> = tree.records.iter().map(|(n, _)| format!("`{n}`")).collect();
        short_list(&v, 6)
    };
    if tree.too_many_lookups() {
        out.push(
            rule.finding(
                input,
                d,
                format!(
                    "The SPF evaluation of `{d}` needs more than 10 DNS-querying terms (include, a, mx, ptr, exists, redirect) over its whole include tree ({}; stopped counting at {}): a permanent error, so SPF fails.",
                    chain(),
                    tree.lookups
                ),
                "Cut the whole tree to 10 or fewer: drop unused includes, replace `a`/`mx`/`ptr` with `ip4:`/`ip6:` ranges, or ask providers for a flatter include.",
            )
            .at(rec.origin),
        );
    }
    if tree.too_many_voids() {
        out.push(
            rule.finding(
                input,
                d,
                format!(
                    "The SPF evaluation of `{d}` makes {} void lookups ({}); more than 2 is a permanent error, so SPF fails.",
                    tree.voids,
                    short_list(&tree.void_terms, 4)
                ),
                "Remove the terms whose names do not exist or have no records.",
            )
            .at(rec.origin),
        );
    }
    for e in &tree.errors {
        out.push(
            rule.finding(
                input,
                d,
                format!("The SPF evaluation of `{d}` ends in a permanent error: {e}."),
                "Fix or remove the term: every include target must publish exactly one SPF record, and no record may include itself.",
            )
            .at(rec.origin),
        );
    }
}

fn sge_006(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
    if !is_sge(input) {
        return;
    }
    let Some(records) = dmarc_records(input) else {
        return;
    };
    let name = dmarc_owner(input);
    let example = dmarc_example(input);
    let (rec, text, d) = match records.as_slice() {
        [] => {
            out.push(
                rule.finding(
                    input,
                    name.clone(),
                    format!("SGE requires DMARC with `p=reject`, but no `v=DMARC1` record is published at `{name}`."),
                    format!("Publish `{example}` at `{name}`."),
                )
                .at(Origin::Sge),
            );
            return;
        }
        [one] => one,
        many => {
            out.push(
                rule.finding(
                    input,
                    name.clone(),
                    format!(
                        "`{name}` has {} `v=DMARC1` records: receivers then apply no DMARC policy at all.",
                        many.len()
                    ),
                    format!("Keep a single record: `{example}`."),
                )
                .at(many.first().map_or(Origin::Sge, |(r, _, _)| r.origin)),
            );
            return;
        }
    };
    let mut push = |msg: String, fix: String| {
        out.push(rule.finding(input, name.clone(), msg, fix).at(rec.origin));
    };
    let (tag, policy) = policy_tag(input, d);
    let from = if dmarc_found(input).inherited {
        format!(" (the policy of `{}` comes from `{name}`)", input.domain)
    } else {
        String::new()
    };
    match policy {
        Some(p) if p.eq_ignore_ascii_case("reject") => {}
        Some(p) => push(
            format!("DMARC \"{text}\" has `{tag}={p}`{from}; SGE requires `p=reject`."),
            "Set `p=reject` (after monitoring aggregate reports with `p=none`/`quarantine`)."
                .to_string(),
        ),
        None => push(
            format!(
                "DMARC \"{text}\" has no `p=` tag, so it is not a valid policy record; SGE requires `p=reject`."
            ),
            format!("Write the record as `{example}`."),
        ),
    }
    if let Some(pct) = d.get("pct") {
        match pct.parse::<u32>() {
            Ok(n) if n >= 100 => {}
            Ok(n) => push(
                format!(
                    "DMARC \"{text}\" has `pct={n}`: the policy applies to only {n}% of failing mail; SGE requires all of it."
                ),
                "Remove `pct` (it defaults to 100) or set `pct=100`.".to_string(),
            ),
            Err(_) => push(
                format!("DMARC \"{text}\" has `pct={pct}`, which is not a number from 0 to 100."),
                "Remove `pct` (it defaults to 100).".to_string(),
            ),
        }
    }
    match d.get("rua") {
        Some(rua) if !rua.is_empty() => {}
        _ => push(
            format!(
                "DMARC \"{text}\" has no `rua=` aggregate-report destination; SGE requires one."
            ),
            format!(
                "Add `rua=mailto:dmarc@{}` (or your DMARC provider's address).",
                input.domain
            ),
        ),
    }
}

fn sge_007(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
    if !is_sge(input) {
        return;
    }
    let Some((rec, text, d)) = single_dmarc(input) else {
        return;
    };
    let relaxed: Vec<String> = ["adkim", "aspf"]
        .into_iter()
        .filter(|t| !d.get(t).is_some_and(|v| v.eq_ignore_ascii_case("s")))
        .map(|t| match d.get(t) {
            Some(v) => format!("`{t}={v}`"),
            None => format!("`{t}` (relaxed by default)"),
        })
        .collect();
    if relaxed.is_empty() {
        return;
    }
    out.push(
        rule.finding(
            input,
            dmarc_owner(input),
            format!(
                "DMARC \"{text}\" uses relaxed alignment for {}; one summary of the SGE framework reports strict alignment as required (unconfirmed).",
                relaxed.join(" and ")
            ),
            "Add `adkim=s; aspf=s` once every sender signs and sends with the exact domain (not a sub-domain).",
        )
        .at(rec.origin),
    );
}

fn sge_008(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
    if !is_sge(input) {
        return;
    }
    let Some((rec, text, d)) = single_dmarc(input) else {
        return;
    };
    let Some(sp) = d.get("sp") else { return };
    if sp.eq_ignore_ascii_case("reject") {
        return;
    }
    out.push(
        rule.finding(
            input,
            dmarc_owner(input),
            format!(
                "DMARC \"{text}\" has `sp={sp}`: sub-domains get a weaker policy than the domain, so spoofed mail from any sub-domain is not rejected."
            ),
            "Remove `sp=` (sub-domains then inherit `p=reject`) or set `sp=reject`.",
        )
        .at(rec.origin),
    );
}

fn sge_009(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
    if !is_sge(input) {
        return;
    }
    let d = input.domain;
    let spf = spf_records(input);
    let sends_none = matches!(spf.as_slice(), [(_, _, s)] if !s.authorizes_senders());
    let receives_none = receives_no_mail(input);
    // A domain whose SPF authorises senders is a sending domain: SGE-004/006 judge it.
    let sends_some = spf.iter().any(|(_, _, s)| s.authorizes_senders());
    if sends_some || !(sends_none || receives_none) {
        return;
    }
    let why = if has_null_mx(input) {
        "publishes a null MX (receives no mail)"
    } else if receives_none {
        "has no MX record and sends no mail"
    } else {
        "sends no mail"
    };
    match spf.as_slice() {
        [(_, _, s)] if s.is_lockdown() => {}
        [] => out.push(
            rule.finding(
                input,
                d,
                format!("`{d}` {why}, but has no SPF record: anyone can send mail in its name."),
                format!("Publish `{d}. TXT \"v=spf1 -all\"`."),
            )
            .at(Origin::Sge),
        ),
        recs => out.push(
            rule.finding(
                input,
                d,
                format!(
                    "`{d}` {why}; its SPF ({}) should be exactly `v=spf1 -all`.",
                    short_list(
                        &recs
                            .iter()
                            .map(|(_, t, _)| format!("\"{t}\""))
                            .collect::<Vec<_>>(),
                        3
                    )
                ),
                "Replace the SPF record(s) with the single record `v=spf1 -all`.",
            )
            .at(recs.first().map_or(Origin::Sge, |(r, _, _)| r.origin)),
        ),
    }
    if let Some(dmarc) = dmarc_records(input) {
        let name = dmarc_owner(input);
        match dmarc.as_slice() {
            [(_, _, m)] if policy_tag(input, m).1.is_some_and(|p| p.eq_ignore_ascii_case("reject")) => {}
            [] => out.push(
                rule.finding(
                    input,
                    name.clone(),
                    format!("`{d}` {why}, but has no DMARC record at `{name}`."),
                    format!("Publish `{name}. TXT \"v=DMARC1; p=reject\"`."),
                )
                .at(Origin::Sge),
            ),
            recs => out.push(
                rule.finding(
                    input,
                    name.clone(),
                    format!(
                        "`{d}` {why}; its DMARC record at `{name}` must be a single record with `p=reject` ({}).",
                        short_list(
                            &recs.iter().map(|(_, t, _)| format!("\"{t}\"")).collect::<Vec<_>>(),
                            3
                        )
                    ),
                    format!("Publish exactly one `{name}. TXT \"v=DMARC1; p=reject\"`."),
                )
                .at(recs.first().map_or(Origin::Sge, |(r, _, _)| r.origin)),
            ),
        }
    }
    if receives_none && !has_null_mx(input) {
        out.push(
            rule.finding(
                input,
                d,
                format!(
                    "`{d}` has no MX record, so senders fall back to its address records and may try to deliver to it."
                ),
                format!("Publish a null MX: `{d}. MX 0 .` (switch on \"receives no mail\" in the design)."),
            )
            .at(Origin::Domain),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Record;
    use crate::rules::testkit::{Case, addr, cname, mx, txt};

    const D: &str = "agency.example";
    const STS: &str = "_mta-sts.agency.example";
    const RPT: &str = "_smtp._tls.agency.example";
    const DMARC: &str = "_dmarc.agency.example";

    fn mx2() -> Vec<Record> {
        vec![
            mx(D, 10, "mx1.agency.example"),
            mx(D, 20, "mx2.agency.example"),
        ]
    }

    fn with(mut base: Vec<Record>, more: Vec<Record>) -> Vec<Record> {
        base.extend(more);
        base
    }

    fn policy(mode: &str, mx_lines: &[&str]) -> String {
        let mut s = format!("version: STSv1\r\nmode: {mode}\r\n");
        for m in mx_lines {
            s.push_str(&format!("mx: {m}\r\n"));
        }
        s.push_str("max_age: 1209600\r\n");
        s
    }

    fn dmarc(text: &str) -> Case {
        Case::new(with(mx2(), vec![txt(DMARC, &[text])])).sge()
    }

    fn spf(texts: &[&str]) -> Case {
        let recs = texts.iter().map(|t| txt(D, &[t])).collect();
        Case::new(with(mx2(), recs)).sge()
    }

    // Profile gate.
    #[test]
    fn sge_rules_are_quiet_without_the_profile() {
        let c = Case::new(mx2());
        for id in [
            "SGE-002", "SGE-003", "SGE-004", "SGE-006", "SGE-007", "SGE-008", "SGE-009",
        ] {
            c.passes(id);
        }
        Case::new(vec![mx(D, 0, ".")]).sge().fails("SGE-009");
    }

    // SGE-002
    #[test]
    fn sge_002_fail_no_mta_sts() {
        let f = Case::new(mx2())
            .sge()
            .fails_with("SGE-002", Severity::Error);
        assert!(f.iter().any(|x| x.message.contains("_mta-sts")), "{f:?}");
    }

    #[test]
    fn sge_002_fail_testing_mode() {
        let f = Case::new(with(mx2(), vec![txt(STS, &["v=STSv1; id=20260315"])]))
            .policy(&policy(
                "testing",
                &["mx1.agency.example", "mx2.agency.example"],
            ))
            .sge()
            .fails_with("SGE-002", Severity::Error);
        assert!(f[0].message.contains("mode: testing"), "{f:?}");
    }

    #[test]
    fn sge_002_fail_mx_not_listed() {
        let f = Case::new(with(mx2(), vec![txt(STS, &["v=STSv1; id=20260315"])]))
            .policy(&policy("enforce", &["mx1.agency.example"]))
            .sge()
            .fails("SGE-002");
        assert!(f[0].message.contains("mx2.agency.example"), "{f:?}");
    }

    #[test]
    fn sge_002_pass_enforce_every_mx() {
        Case::new(with(mx2(), vec![txt(STS, &["v=STSv1; id=20260315"])]))
            .policy(&policy(
                "enforce",
                &["mx1.agency.example", "mx2.agency.example"],
            ))
            .sge()
            .passes("SGE-002");
        Case::new(with(mx2(), vec![txt(STS, &["v=STSv1; id=20260315"])]))
            .policy(&policy("enforce", &["*.agency.example"]))
            .sge()
            .passes("SGE-002");
    }

    // SGE-003
    #[test]
    fn sge_003_fail_no_tlsrpt() {
        Case::new(mx2())
            .sge()
            .fails_with("SGE-003", Severity::Error);
    }

    #[test]
    fn sge_003_fail_no_usable_rua() {
        Case::new(with(
            mx2(),
            vec![txt(RPT, &["v=TLSRPTv1; rua=tlsrpt@agency.example"])],
        ))
        .sge()
        .fails("SGE-003");
    }

    #[test]
    fn sge_003_pass_mailto_rua() {
        Case::new(with(
            mx2(),
            vec![txt(RPT, &["v=TLSRPTv1; rua=mailto:tlsrpt@agency.example"])],
        ))
        .sge()
        .passes("SGE-003");
    }

    // SGE-004
    #[test]
    fn sge_004_fail_softfail() {
        let f = spf(&["v=spf1 include:_spf.provider.example ~all"])
            .fails_with("SGE-004", Severity::Error);
        assert!(f[0].message.contains("~all"), "{f:?}");
    }

    #[test]
    fn sge_004_fail_two_records() {
        spf(&["v=spf1 -all", "v=spf1 mx -all"]).fails("SGE-004");
    }

    #[test]
    fn sge_004_fail_eleven_lookups() {
        let text = "v=spf1 include:a.example include:b.example include:c.example a mx ptr exists:e.example include:d.example include:f.example a:x.example mx:y.example/24 -all";
        let f = spf(&[text]).fails("SGE-004");
        assert!(f[0].message.contains("11 DNS-querying"), "{f:?}");
    }

    #[test]
    fn sge_004_fail_missing_and_redirect_is_warning() {
        Case::new(mx2()).sge().fails("SGE-004");
        spf(&["v=spf1 redirect=_spf.provider.example"]).fails_with("SGE-004", Severity::Warning);
    }

    #[test]
    fn sge_004_pass_include_hardfail() {
        spf(&[
            "v=spf1 include:_spf.provider.example -all",
            "google-site-verification=x",
        ])
        .passes("SGE-004");
        let ten = "v=spf1 include:a.example include:b.example include:c.example a mx ptr exists:e.example include:d.example include:f.example redirect=z.example -all";
        spf(&[ten]).passes("SGE-004");
    }

    // SGE-006
    #[test]
    fn sge_006_fail_quarantine_pct50() {
        let f = dmarc("v=DMARC1; p=quarantine; pct=50").fails_with("SGE-006", Severity::Error);
        assert!(
            f.iter().any(|x| x.message.contains("p=quarantine")),
            "{f:?}"
        );
        assert!(f.iter().any(|x| x.message.contains("pct=50")), "{f:?}");
        assert!(f.iter().any(|x| x.message.contains("rua")), "{f:?}");
    }

    #[test]
    fn sge_006_fail_missing() {
        Case::new(mx2()).sge().fails("SGE-006");
        dmarc("v=DMARC1; p=reject").fails("SGE-006");
    }

    #[test]
    fn sge_006_pass_reject_with_rua() {
        dmarc("v=DMARC1; p=reject; rua=mailto:dmarc@agency.example").passes("SGE-006");
        dmarc("v=DMARC1; p=reject; pct=100; rua=mailto:dmarc@agency.example").passes("SGE-006");
        Case::new(with(mx2(), vec![cname(DMARC, "_dmarc.vendor.example")]))
            .sge()
            .passes("SGE-006");
    }

    // SGE-007
    #[test]
    fn sge_007_fail_relaxed_default() {
        dmarc("v=DMARC1; p=reject").fails_with("SGE-007", Severity::Warning);
        dmarc("v=DMARC1; p=reject; adkim=s; aspf=r").fails("SGE-007");
    }

    #[test]
    fn sge_007_pass_strict() {
        dmarc("v=DMARC1; p=reject; adkim=s; aspf=s; rua=mailto:dmarc@agency.example")
            .passes("SGE-007");
    }

    // SGE-008
    #[test]
    fn sge_008_fail_sp_none() {
        dmarc("v=DMARC1; p=reject; sp=none").fails_with("SGE-008", Severity::Warning);
    }

    #[test]
    fn sge_008_pass_sp_absent_or_reject() {
        dmarc("v=DMARC1; p=reject").passes("SGE-008");
        dmarc("v=DMARC1; p=reject; sp=reject").passes("SGE-008");
    }

    // SGE-009
    #[test]
    fn sge_009_fail_a_record_only() {
        let f = Case::new(vec![addr("brand.example", "192.0.2.10")])
            .domain("brand.example")
            .sge()
            .fails_with("SGE-009", Severity::Error);
        assert_eq!(f.len(), 3, "SPF, DMARC and null MX: {f:?}");
        assert!(f.iter().any(|x| x.fix.contains("MX 0 .")), "{f:?}");
    }

    #[test]
    fn sge_009_fail_null_mx_with_soft_spf() {
        let f = Case::new(vec![
            mx("brand.example", 0, "."),
            txt("brand.example", &["v=spf1 ~all"]),
            txt("_dmarc.brand.example", &["v=DMARC1; p=reject"]),
        ])
        .domain("brand.example")
        .sge()
        .fails("SGE-009");
        assert_eq!(f.len(), 1, "{f:?}");
    }

    #[test]
    fn sge_009_pass_locked_down() {
        Case::new(vec![
            mx("brand.example", 0, "."),
            txt("brand.example", &["v=spf1 -all"]),
            txt("_dmarc.brand.example", &["v=DMARC1; p=reject"]),
        ])
        .domain("brand.example")
        .sge()
        .passes("SGE-009");
    }

    #[test]
    fn sge_009_pass_mail_domain() {
        spf(&["v=spf1 include:_spf.provider.example -all"]).passes("SGE-009");
        // Sends mail, receives none: SGE-004/006 judge it, not the lock-down rule.
        Case::new(vec![
            mx(D, 0, "."),
            txt(D, &["v=spf1 include:_spf.provider.example -all"]),
        ])
        .sge()
        .passes("SGE-009");
    }

    #[test]
    fn parsers() {
        let s = parse_spf("V=SPF1 ip4:192.0.2.0/24 ?include:x.example -all").unwrap();
        assert_eq!(s.dns_terms(), 1);
        assert_eq!(s.all(), Some("-all"));
        assert!(s.authorizes_senders());
        assert!(parse_spf("v=spf10 -all").is_none());
        assert!(parse_spf("v=spf1 -all").unwrap().is_lockdown());
        let d = parse_dmarc("v=DMARC1; P = Reject ; rua=mailto:a@x.example").unwrap();
        assert_eq!(d.get("p"), Some("Reject"));
        assert!(parse_dmarc("p=reject; v=DMARC1").is_none());
    }
}
