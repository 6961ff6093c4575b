//! SGE-006…008: DMARC `p=reject` for all mail with a report address, strict alignment, the
//! subdomain policy.

use super::*;

pub(super) fn sge_006(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
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

pub(super) fn sge_007(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
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

pub(super) fn sge_008(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
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
