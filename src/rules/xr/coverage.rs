//! XR-001…010: one RRset's TTLs, the MTA-STS policy against the MX hosts, TLSA on every relay, and
//! TLS-RPT beside MTA-STS and DANE.

use super::*;

/// XR-001: TTLs differ inside one RRset.
pub(super) fn xr_001(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let records = input.records.records();
    let Some(t0) = records.first().map(|r| r.ttl) else {
        return;
    };
    // An RRset can only mix TTLs if it holds a record whose TTL differs from the first record's
    // (usually none: a design renders everything with one TTL). Only those RRsets are examined.
    let mut examined: FastSet<(&str, &str)> = FastSet::default();
    for r in records.iter().filter(|r| r.ttl != t0) {
        let rtype = r.data.rtype();
        if !examined.insert((r.name.as_str(), rtype)) {
            continue;
        }
        let set: Vec<&Record> = input.records.at(&r.name, rtype).collect();
        let Some(first) = set.first() else {
            continue;
        };
        let Some(odd) = set.iter().find(|x| x.ttl != first.ttl) else {
            continue;
        };
        let mut ttls: Vec<i64> = set.iter().map(|x| x.ttl).collect();
        ttls.sort_unstable();
        ttls.dedup();
        let max = ttls.last().copied().unwrap_or(first.ttl);
        let name = shown(&first.name);
        let rtype = first.data.rtype();
        out.push(
            rule.finding(
                input,
                format!("{name} {rtype}"),
                format!(
                    "The {rtype} RRset at {name} mixes TTLs ({}) across its {} records; one RRset must carry a single TTL (RFC 2181 §5.2), and resolvers may cache it with the lowest one or reject it.",
                    ttls.iter()
                        .map(|t| t.to_string())
                        .collect::<Vec<_>>()
                        .join(", "),
                    set.len()
                ),
                format!("Give every {rtype} record at {name} the same TTL (e.g. {max})."),
            )
            .at(odd.origin),
        );
    }
}

/// XR-002: every MX exchange matches an `mx` pattern of the policy (error in enforce, warning in testing).
pub(super) fn xr_002(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let Some(policy) = policy(input) else {
        return;
    };
    let (severity, mode) = match policy.mode() {
        Some(StsMode::Enforce) => (Severity::Error, "enforce"),
        Some(StsMode::Testing) => (Severity::Warning, "testing"),
        _ => return,
    };
    let patterns = policy.mx_patterns();
    let index = PatternIndex::new(patterns.iter().copied());
    let listed = if patterns.is_empty() {
        "it lists no mx patterns".to_string()
    } else {
        format!("its mx patterns are {}", patterns.join(", "))
    };
    let effect = if severity == Severity::Error {
        "MTA-STS senders refuse to deliver to it"
    } else {
        "MTA-STS senders report every delivery to it as a failure"
    };
    for (host, rec) in mx_hosts(input) {
        if index.matching(host).is_some() {
            continue;
        }
        out.push(
            rule.finding(
                input,
                host,
                format!(
                    "The MX host {host} of {} matches no mx pattern of the MTA-STS policy (mode {mode}; {listed}), so {effect}.",
                    input.domain
                ),
                format!(
                    "Add \"mx: {host}\" (or a matching \"*.\" pattern) to the policy and publish a new policy id, or point the MX record at a host the policy names."
                ),
            )
            .with_severity(severity)
            .at(rec.origin),
        );
    }
}

/// XR-003: a policy `mx` pattern that matches no MX host.
pub(super) fn xr_003(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let Some(policy) = policy(input) else {
        return;
    };
    if policy.mode() == Some(StsMode::None) {
        return;
    }
    let hosts = mx_hosts(input);
    let index = HostIndex::new(hosts.iter().map(|(h, _)| *h));
    let current = if hosts.is_empty() {
        "the domain has no MX host".to_string()
    } else {
        format!(
            "the MX hosts are {}",
            hosts
                .iter()
                .map(|(h, _)| *h)
                .take(5)
                .collect::<Vec<_>>()
                .join(", ")
                + if hosts.len() > 5 { ", …" } else { "" }
        )
    };
    let origin = sts_origin(input);
    let mut seen = FastSet::default();
    for pattern in policy.mx_patterns() {
        if !seen.insert(pattern) {
            continue;
        }
        if pattern_hits(pattern, &index) {
            continue;
        }
        out.push(
            rule.finding(
                input,
                pattern,
                format!(
                    "The MTA-STS policy pattern \"mx: {pattern}\" matches no MX host of {} ({current}); it is stale, often left over from a previous mail provider, and would let an attacker's host of that name pass.",
                    input.domain
                ),
                format!(
                    "Remove \"mx: {pattern}\" from the policy (and publish a new policy id), or restore the MX record it was meant for."
                ),
            )
            .at(origin),
        );
    }
}

/// XR-004: some MX hosts have TLSA, others do not.
pub(super) fn xr_004(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let hosts = mx_hosts(input);
    let with: Vec<bool> = mx_relays(input).iter().map(|f| f.tlsa).collect();
    let Some((protected, _)) = hosts.iter().zip(&with).find(|(_, w)| **w).map(|(h, _)| h) else {
        return;
    };
    for ((host, rec), _) in hosts.iter().zip(&with).filter(|(_, w)| !**w) {
        out.push(
            rule.finding(
                input,
                *host,
                format!(
                    "The MX host {protected} has TLSA records but the MX host {host} has none at {}; a DANE sender can be steered to {host} and delivers there without authentication (downgrade).",
                    tlsa_owner(25, host)
                ),
                format!(
                    "Publish TLSA records (e.g. \"3 1 1 <SHA-256 of its public key>\") at {}, or stop listing {host} in MX.",
                    tlsa_owner(25, host)
                ),
            )
            .at(rec.origin),
        );
    }
}

/// XR-005: DANE claimed, but a SecMX SRV target has no TLSA at `_<srv-port>._tcp.<target>`.
pub(super) fn xr_005(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    if input.records.of_type("TLSA").next().is_none() {
        return;
    }
    let severity = if input.level == Level::L2 {
        Severity::Error
    } else {
        Severity::Warning
    };
    let mut look = TlsaLookup::new(input);
    for (rec, target, facts) in srv_facts(input) {
        let port = facts.port;
        if facts.tlsa {
            continue;
        }
        let owner = tlsa_owner(port, target);
        let elsewhere: Vec<String> = [25, 465, 587]
            .into_iter()
            .filter(|p| *p != port && look.has(*p, target))
            .map(|p| tlsa_owner(p, target))
            .collect();
        let hint = if elsewhere.is_empty() {
            String::new()
        } else {
            format!(
                " (TLSA exists only at {}, which senders do not look up for port {port})",
                elsewhere.join(", ")
            )
        };
        out.push(
            rule.finding(
                input,
                target,
                format!(
                    "The domain uses DANE, but the SecMX SRV target {target} (port {port}) has no TLSA record at {owner}{hint}; SecMX senders cannot authenticate it (RFC 7673 §3.3)."
                ),
                format!(
                    "Publish TLSA records for {target} at {owner} (e.g. \"3 1 1 <SHA-256 of its public key>\")."
                ),
            )
            .with_severity(severity)
            .at(rec.origin),
        );
    }
}

/// XR-009: MTA-STS or DANE deployed but no TLS-RPT record for the domain.
pub(super) fn xr_009(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let domain = input.domain;
    let sts_name = format!("_mta-sts.{domain}");
    let sts_rec = input
        .records
        .at(&sts_name, "TXT")
        .next()
        .or_else(|| input.records.at(&sts_name, "CNAME").next());
    let sts = sts_rec.is_some() || input.sts_policy.is_some();
    let tlsa_rec = input.records.of_type("TLSA").next();
    if !sts && tlsa_rec.is_none() {
        return;
    }
    let rpt_name = format!("_smtp._tls.{domain}");
    if has_tls_rpt(input, &rpt_name) {
        return;
    }
    let what = match (sts, tlsa_rec.is_some()) {
        (true, true) => "MTA-STS and DANE",
        (true, false) => "MTA-STS",
        _ => "DANE",
    };
    let mut f = rule.finding(
        input,
        rpt_name.as_str(),
        format!(
            "{domain} deploys {what} but publishes no TLS-RPT record at {rpt_name}; senders cannot report failed or downgraded TLS deliveries, so problems stay invisible."
        ),
        format!("Publish {rpt_name} TXT \"v=TLSRPTv1; rua=mailto:tlsrpt@{domain}\"."),
    );
    if let Some(rec) = sts_rec.or(tlsa_rec) {
        f = f.at(rec.origin);
    }
    out.push(f);
}

/// XR-010 (info): a relay with TLSA but no TLS-RPT record at `_smtp._tls.<relay-host>`.
pub(super) fn xr_010(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let relays = relays(input);
    let mut reported = FastSet::default();
    for (rec, host, facts) in relay_facts(input, &relays) {
        if !facts.tlsa || facts.rpt || !reported.insert(host) {
            continue;
        }
        let rpt = format!("_smtp._tls.{host}");
        out.push(
            rule.finding(
                input,
                host,
                format!(
                    "{host} publishes TLSA records, and for DANE failures senders send TLS reports to the TLSA base domain ({host}), but there is no TLS-RPT record at {rpt}."
                ),
                format!(
                    "Publish {rpt} TXT \"v=TLSRPTv1; rua=mailto:tlsrpt@{}\" (ask the operator of {host} if it is not your host).",
                    input.domain
                ),
            )
            .at(rec.origin),
        );
    }
}
