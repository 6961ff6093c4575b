//! STS-011 … STS-023: the MTA-STS policy file, designed or fetched.

use super::*;

// ---------------------------------------------------------------------------------------------
// STS-011 … STS-023: the policy file.
// ---------------------------------------------------------------------------------------------

/// Why a sender following RFC 8461 §3.2 would reject this policy text (and so have no MTA-STS
/// policy at all), quoting the offending line; `None` when a sender accepts it. What the ABNF allows
/// is accepted: LF or CRLF terminators, no final terminator, unknown keys, whitespace after the
/// colon, fields in any order; what it doesn't is not (whitespace before a key or the colon, lines
/// that are no `key: value` field, `max_age` other than 1–10 digits). The STS-011/012/013/015/018 findings say the same thing line by line.
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
    let p = PolicyText::parse(text);
    if let Some((n, raw)) = p.malformed.first() {
        return Some(format!("line {n} `{}` is not a `key: value` field", q(raw)));
    }
    // A key starts its line and the colon follows it directly (ABNF `sts-policy-field`,
    // `field-delim = ":" *WSP`): ` mode: enforce` and `mode : enforce` are no `mode` field.
    if let Some(f) = p.fields.iter().find(|f| key_has_space_around(f)) {
        return Some(format!(
            "line {} `{}` has whitespace before the key or before the colon",
            f.line,
            q(&f.raw)
        ));
    }
    // The fields may come in any order (the ABNF's `sts-policy-field` alternatives); a repeated
    // field counts by its first occurrence (RFC 8461 §3.2).
    match p.all("version").next() {
        Some(f) if f.value == "STSv1" => {}
        Some(f) => {
            return Some(format!(
                "the `version` is not `STSv1`: line {} `{}`",
                f.line,
                q(&f.raw)
            ));
        }
        None if p.fields.is_empty() => return Some("the policy has no fields".into()),
        None => return Some("no `version` field".into()),
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

pub(super) fn sts_011(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let Some(p) = input.policy() else { return };
    let q = crate::model::sts::escape_controls;
    // Present, and the first `version` line (senders use the first, §3.2) says STSv1; anywhere
    // in the policy, as the ABNF lets fields come in any order.
    if p.all("version").next().is_some_and(|f| f.value == "STSv1") {
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
        (None, Some(l)) => format!(
            "Line {}: `version: {}` — the only version is `STSv1`; senders reject this policy.",
            l.line,
            q(&l.value)
        ),
        (None, None) => match key_in_other_case(p, "version") {
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

pub(super) fn sts_012(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let Some(p) = input.policy() else { return };
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
        None => match key_in_other_case(p, "mode") {
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
pub(super) fn valid_max_age(v: &str) -> Option<u64> {
    if v.is_empty() || v.len() > 10 || !v.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    v.parse::<u64>().ok().filter(|n| *n <= MAX_AGE_LIMIT)
}

/// Largest `max_age` (about one year, RFC 8461 §3.2).
pub(super) const MAX_AGE_LIMIT: u64 = 31_557_600;

/// One week: shorter `max_age` values give little protection (STS-014).
pub(super) const ONE_WEEK: u64 = 604_800;

pub(super) fn sts_013(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let Some(p) = input.policy() else { return };
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
        None => match key_in_other_case(p, "max_age") {
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
pub(super) fn human_duration(secs: u64) -> String {
    match secs {
        s if s >= 86_400 => format!("about {} day(s)", s / 86_400),
        s if s >= 3_600 => format!("about {} hour(s)", s / 3_600),
        s => format!("{s} seconds"),
    }
}

pub(super) fn sts_014(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let Some(p) = input.policy() else { return };
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

pub(super) fn sts_015(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let Some(p) = input.policy() else { return };
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
pub(super) fn mx_value_problem(v: &str) -> Option<String> {
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
    if v.starts_with("*.") && !host.contains('.') {
        return Some(format!(
            "puts the wildcard right below the top-level domain `{host}`: it would cover every host `<label>.{host}` of every owner; a wildcard covers hosts of your own domain (`*.agency.example`)"
        ));
    }
    None
}

pub(super) fn sts_016(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let Some(p) = input.policy() else { return };
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

pub(super) fn sts_017(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let Some(p) = input.policy() else { return };
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
pub(super) const POLICY_KEYS: [&str; 4] = ["version", "mode", "mx", "max_age"];

/// Whether a token starts with a known policy key and `:` (any case), e.g. `mode:`.
pub(super) fn starts_with_key(tok: &str) -> bool {
    POLICY_KEYS.iter().any(|k| {
        tok.get(..k.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(k))
            && tok.as_bytes().get(k.len()) == Some(&b':')
    })
}

/// Whether the key of a line has whitespace before it or between it and the colon (the ABNF has
/// neither: `sts-policy-field` starts the line, `field-delim = ":" *WSP`).
fn key_has_space_around(f: &crate::model::sts::PolicyLine) -> bool {
    f.raw
        .split_once(':')
        .is_some_and(|(k, _)| k != f.key.as_str())
}

pub(super) fn sts_018(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let Some(text) = input.sts_policy else { return };
    let Some(p) = input.policy() else { return };
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
        if key_has_space_around(f) {
            push(format!(
                "Line {}: `{}` — whitespace before the key or before the colon; senders read no `{}` field here and reject the policy.",
                f.line,
                crate::model::sts::escape_controls(&f.raw),
                f.key
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

pub(super) fn sts_019(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let Some(p) = input.policy() else { return };
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

pub(super) fn sts_020(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let Some(p) = input.policy() else { return };
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

pub(super) fn sts_021(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
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

pub(super) fn sts_022(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let Some(p) = input.policy() else { return };
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

pub(super) fn sts_023(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let Some(p) = input.policy() else { return };
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
