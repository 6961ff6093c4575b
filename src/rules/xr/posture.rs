//! XR-012…016: policy names without CNAME, the same TLS posture on backup and equal-preference MX
//! hosts, MTA-STS per mail (sub)domain and its scope (MX only).

use super::*;

/// XR-012: a policy name owns both TXT and CNAME.
pub(super) fn xr_012(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    for prefix in ["_mta-sts", "_smtp._tls", "_dmarc"] {
        let name = format!("{prefix}.{}", input.domain);
        let Some(txt) = input.records.at(&name, "TXT").next() else {
            continue;
        };
        let Some(target) = input.records.cname_of(&name) else {
            continue;
        };
        out.push(
            rule.finding(
                input,
                name.as_str(),
                format!(
                    "{name} carries both a TXT record and a CNAME to {}; a name with a CNAME may hold no other data (RFC 1034 §3.6.2), so which policy a sender sees depends on its resolver.",
                    shown(target)
                ),
                format!(
                    "Keep only one: delete the CNAME to publish the TXT record yourself, or delete the TXT record to delegate {name} to {}.",
                    shown(target)
                ),
            )
            .at(txt.origin),
        );
    }
}

/// Whether MX hosts have TLSA at port 25: from the shared MX facts, else looked up.
pub(super) struct MxTlsa<'a> {
    known: FastMap<&'a str, bool>,
    look: TlsaLookup<'a>,
}

impl<'a> MxTlsa<'a> {
    fn new(input: &crate::rules::Facts<'a>) -> Self {
        let records = input.records.records();
        let facts = mx_relays(input);
        let mut known = FastMap::default();
        known.reserve(facts.len());
        for f in facts.iter() {
            if let Some(rec) = records.get(f.rec) {
                known.insert(host_of(rec), f.tlsa);
            }
        }
        MxTlsa {
            known,
            look: TlsaLookup::new(input),
        }
    }

    /// Whether any TLSA record is published at `_25._tcp.<host>`.
    fn has(&mut self, port: i64, host: &str) -> bool {
        match self.known.get(host) {
            Some(&tlsa) if port == 25 => tlsa,
            _ => self.look.has(port, host),
        }
    }
}

/// The posture gaps of `host` compared with a peer: TLSA and policy coverage.
pub(super) fn posture_gaps(
    look: &mut MxTlsa<'_>,
    host: &str,
    tlsa_peer: Option<&str>,
    covered_peer: Option<&str>,
    index: Option<&PatternIndex<'_>>,
) -> Vec<String> {
    let mut gaps = Vec::new();
    if let Some(peer) = tlsa_peer
        && !look.has(25, host)
    {
        gaps.push(format!(
            "{peer} has TLSA records but {host} has none at {}",
            tlsa_owner(25, host)
        ));
    }
    if let (Some(peer), Some(index)) = (covered_peer, index)
        && index.matching(host).is_none()
    {
        gaps.push(format!(
            "{peer} matches an mx pattern of the MTA-STS policy but {host} matches none"
        ));
    }
    gaps
}

/// XR-013 (static part): backup MX hosts lack the TLSA or policy coverage a primary has.
pub(super) fn xr_013(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let mx: Vec<(&Record, i64, &str)> = input
        .records
        .mx_of(input.domain)
        .filter(|(_, _, x)| !x.is_empty())
        .collect();
    let Some(min) = mx.iter().map(|(_, p, _)| *p).min() else {
        return;
    };
    let mut primaries: Vec<&str> = Vec::new();
    let mut primary_set: FastSet<&str> = FastSet::default();
    for (_, p, x) in &mx {
        if *p == min && primary_set.insert(x) {
            primaries.push(x);
        }
    }
    let policy = policy(input);
    let patterns = active_patterns(&policy);
    let index = patterns
        .as_deref()
        .map(|p| PatternIndex::new(p.iter().copied()));
    let mut look = MxTlsa::new(input);
    let tlsa_peer = primaries.iter().copied().find(|h| look.has(25, h));
    let covered_peer = index
        .as_ref()
        .and_then(|i| primaries.iter().copied().find(|h| i.matching(h).is_some()));
    if tlsa_peer.is_none() && covered_peer.is_none() {
        return;
    }
    let mut seen = FastSet::default();
    for (rec, pref, host) in &mx {
        if primary_set.contains(host) || !seen.insert(*host) {
            continue;
        }
        let gaps = posture_gaps(&mut look, host, tlsa_peer, covered_peer, index.as_ref());
        if gaps.is_empty() {
            continue;
        }
        out.push(
            rule.finding(
                input,
                *host,
                format!(
                    "The backup MX host {host} (preference {pref}) is weaker than the primary (preference {min}): {}. Its faults stay hidden until the primary fails, and an attacker can force delivery to it.",
                    gaps.join("; ")
                ),
                format!(
                    "Give {host} the same protection as the primary: publish TLSA at {} and list it in the MTA-STS policy mx patterns as applicable, or remove it from MX.",
                    tlsa_owner(25, host)
                ),
            )
            .at(rec.origin),
        );
    }
}

/// XR-014 (static part): MX hosts of equal preference differ in TLSA or policy coverage.
pub(super) fn xr_014(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let mut order: Vec<i64> = Vec::new();
    let mut groups: FastMap<i64, Vec<(&str, &Record)>> = FastMap::default();
    let mut seen = FastSet::default();
    for (rec, pref, host) in input.records.mx_of(input.domain) {
        if host.is_empty() || !seen.insert((pref, host)) {
            continue;
        }
        let g = groups.entry(pref).or_insert_with(|| {
            order.push(pref);
            Vec::new()
        });
        g.push((host, rec));
    }
    let policy = policy(input);
    let patterns = active_patterns(&policy);
    let index = patterns
        .as_deref()
        .map(|p| PatternIndex::new(p.iter().copied()));
    let mut look = MxTlsa::new(input);
    for pref in order {
        let Some(group) = groups.get(&pref) else {
            continue;
        };
        if group.len() < 2 {
            continue;
        }
        let tlsa_peer = group.iter().map(|(h, _)| *h).find(|h| look.has(25, h));
        let covered_peer = index.as_ref().and_then(|i| {
            group
                .iter()
                .map(|(h, _)| *h)
                .find(|h| i.matching(h).is_some())
        });
        if tlsa_peer.is_none() && covered_peer.is_none() {
            continue;
        }
        for (host, rec) in group {
            let gaps = posture_gaps(&mut look, host, tlsa_peer, covered_peer, index.as_ref());
            if gaps.is_empty() {
                continue;
            }
            out.push(
                rule.finding(
                    input,
                    *host,
                    format!(
                        "MX hosts of preference {pref} differ in TLS posture: {}. Senders pick among equal-preference hosts at random, so part of the mail gets the weaker protection.",
                        gaps.join("; ")
                    ),
                    format!(
                        "Give {host} the same protection as its equal-preference peers (TLSA at {}, coverage by the MTA-STS mx patterns), or change its preference.",
                        tlsa_owner(25, host)
                    ),
                )
                .at(rec.origin),
            );
        }
    }
}

/// XR-015: a parent domain has an `_mta-sts` TXT record but the mail domain itself has none.
pub(super) fn xr_015(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let domain = input.domain;
    let own = format!("_mta-sts.{domain}");
    if input.records.at(&own, "TXT").next().is_some() || input.records.cname_of(&own).is_some() {
        return;
    }
    // A domain whose only MX is the null MX receives no mail.
    let mut mx = input.records.mx_of(domain).peekable();
    if mx.peek().is_some() && mx.all(|(_, _, x)| x.is_empty()) {
        return;
    }
    for (i, _) in domain.match_indices('.') {
        let Some(parent) = domain.get(i + 1..) else {
            continue;
        };
        let name = format!("_mta-sts.{parent}");
        let Some(rec) = input.records.at(&name, "TXT").next() else {
            continue;
        };
        out.push(
            rule.finding(
                input,
                own.as_str(),
                format!(
                    "{domain} has no MTA-STS record of its own; the record at {name} covers {parent} only, senders never inherit a parent domain's policy (RFC 8461 §3.4), so mail to {domain} is not protected by MTA-STS."
                ),
                format!(
                    "Publish {own} TXT \"v=STSv1; id=…\" and serve a policy at https://mta-sts.{domain}/.well-known/mta-sts.txt (a CNAME of {own} to a shared record is allowed)."
                ),
            )
            .at(rec.origin),
        );
        return;
    }
}

/// XR-016 (info): an SOR (SRV target not in MX) without TLSA: MTA-STS does not cover it.
pub(super) fn xr_016(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let mx: FastSet<&str> = mx_hosts(input).into_iter().map(|(h, _)| h).collect();
    for (rec, target, facts) in srv_facts(input) {
        let port = facts.port;
        if mx.contains(target) || facts.tlsa {
            continue;
        }
        let owner = tlsa_owner(port, target);
        out.push(
            rule.finding(
                input,
                target,
                format!(
                    "The Secure Only Receiver {target} (port {port}) has no TLSA record at {owner}, and MTA-STS covers MX hosts only, so nothing lets a sender authenticate {target}."
                ),
                format!(
                    "Give {target} a CA-issued certificate for its name, sign the zone with DNSSEC and publish \"3 1 1 <SHA-256 of its public key>\" at {owner}."
                ),
            )
            .at(rec.origin),
        );
    }
}
