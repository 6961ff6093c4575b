//! NAME-001…007: the syntax of labels and names (lengths, LDH host names, underscore labels,
//! all-digit last labels, A-labels).

use super::*;

pub(super) fn name_001(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let mut seen = HashSet::new();
    for (rec, name, place) in each_name(input) {
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

pub(super) fn name_002(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let mut seen = HashSet::new();
    for (rec, name, place) in each_name(input) {
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
pub(super) fn ldh_problem(label: &str) -> Option<String> {
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

pub(super) fn name_003(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let mut seen = HashSet::new();
    for (rec, host, kind) in relay_hosts(input) {
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

pub(super) fn name_004(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let mut seen = HashSet::new();
    for (rec, host, kind) in relay_hosts(input) {
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

pub(super) fn name_005(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let mut seen = HashSet::new();
    for (rec, host, kind) in relay_hosts(input) {
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

pub(super) fn name_006(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let mut seen = HashSet::new();
    for (rec, name, place) in each_name(input) {
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
pub(super) fn a_label_problem(label: &str) -> Option<String> {
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

pub(super) fn name_007(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let mut seen = HashSet::new();
    for (rec, name, place) in each_name(input) {
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
pub(super) fn name_007_judge(
    rule: &Rule,
    input: &crate::rules::Facts<'_>,
    name: &str,
    what: &str,
) -> Option<Finding> {
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
