//! STS-001 … STS-006: the `_mta-sts` TXT record.

use super::*;

// ---------------------------------------------------------------------------------------------
// STS-001 … STS-006: the `_mta-sts` TXT record.
// ---------------------------------------------------------------------------------------------

pub(super) fn sts_001(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
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

pub(super) fn sts_002(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
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

pub(super) fn sts_003(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
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

pub(super) fn sts_004(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
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

pub(super) fn sts_005(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
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

pub(super) fn sts_006(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
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
