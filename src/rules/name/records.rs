//! NAME-008…013: names inside records (relative targets, TTLs, TXT strings, CNAME beside other
//! data, SRV service labels, TLSA owners).

use super::*;

pub(super) fn name_008(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let domain = input.domain;
    if domain.is_empty() {
        return;
    }
    let doubled = format!("{domain}.{domain}");
    let mut seen = HashSet::new();
    for (rec, name, place) in each_name(input) {
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

pub(super) fn name_009(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
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

pub(super) fn name_010(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
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

pub(super) fn name_011(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
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
pub(super) fn service_label_problem(label: &str) -> Option<String> {
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

pub(super) fn name_012(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
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
            (proto != "_tcp" && crate::rules::srv::is_mail_service(service, input)).then(|| {
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
pub(super) fn tlsa_owner_problem(owner: &str) -> Option<(String, Option<String>)> {
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

pub(super) fn name_013(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
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
