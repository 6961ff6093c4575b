//! SGE-004: one SPF record, at most 10 DNS-querying terms over the whole include tree, hard fail.

use super::*;

pub(super) fn sge_004(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
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
pub(super) fn spf_tree_findings(
    rule: &Rule,
    input: &crate::rules::Facts<'_>,
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
