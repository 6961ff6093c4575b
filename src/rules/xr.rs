//! XR rules (the catalogue: `rules::catalogue`, `secmx explain`). Each rule's Fail/Pass examples are its unit tests below.

use super::{Finding, Input, Needs, Raise, Rule, Severity};
use crate::model::render::tlsa_owner;
use crate::model::sts::PolicyText;
use crate::model::{Level, Origin, RData, Record, StsMode};
use std::borrow::Cow;

/// The rules of this group, in catalogue order.
pub const RULES: &[Rule] = &[
    Rule {
        id: "XR-001",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "All records of one RRset (same owner, class, type) carry the same TTL.",
        needs: Needs::Static,
        check: Some(xr_001),
        planned: None,
    },
    Rule {
        id: "XR-002",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "Every MX exchange matches at least one `mx` pattern of the MTA-STS policy.",
        needs: Needs::Static,
        check: Some(xr_002),
        planned: None,
    },
    Rule {
        id: "XR-003",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "An MTA-STS `mx` pattern that matches no current MX host is stale (often a migrated provider).",
        needs: Needs::Static,
        check: Some(xr_003),
        planned: None,
    },
    Rule {
        id: "XR-004",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "If any MX host has TLSA records, all MX hosts (including backups) should have them; otherwise a downgrade to the unprotected host is possible.",
        needs: Needs::Static,
        check: Some(xr_004),
        planned: None,
    },
    Rule {
        id: "XR-005",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "When DANE is claimed, every SecMX SRV target has TLSA at `_<srv-port>._tcp.<target>`.",
        needs: Needs::Static,
        check: Some(xr_005),
        planned: None,
    },
    Rule {
        id: "XR-006",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "TLSA records only count when the TLSA RRset and the relay host's address RRsets validate as DNSSEC-secure.",
        needs: Needs::Dns,
        check: Some(super::live::xr_006),
        planned: None,
    },
    Rule {
        id: "XR-007",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "For full downgrade resistance the MX RRset (and SecMX SRV RRset) is itself DNSSEC-signed.",
        needs: Needs::Dns,
        check: Some(super::live::xr_007),
        planned: None,
    },
    Rule {
        id: "XR-008",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "When both MTA-STS and DANE are published, the MX certificate must pass both: PKIX-valid for the MX name and matched by a TLSA record; MTA-STS never rescues a DANE failure.",
        needs: Needs::Probe,
        check: Some(super::live_probe::xr_008),
        planned: None,
    },
    Rule {
        id: "XR-009",
        severity: Severity::Warning,
        raise: Raise::Sge,
        title: "A domain that deploys MTA-STS or DANE also publishes TLS-RPT, so failures become visible.",
        needs: Needs::Static,
        check: Some(xr_009),
        planned: None,
    },
    Rule {
        id: "XR-010",
        severity: Severity::Info,
        raise: Raise::Never,
        title: "For DANE failures the reporting domain is the TLSA base domain (the MX host), so a TLS-RPT record at `_smtp._tls.<mx-host>` is advised when DANE is used.",
        needs: Needs::Static,
        check: Some(xr_010),
        planned: None,
    },
    Rule {
        id: "XR-011",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "Every `mailto:` TLS-RPT destination is deliverable: its domain has MX (or address) records and no null MX.",
        needs: Needs::Dns,
        check: Some(super::live::xr_011),
        planned: None,
    },
    Rule {
        id: "XR-012",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "A policy name (`_mta-sts`, `_smtp._tls`, `_dmarc`) never carries a TXT and a CNAME at the same time; which one a sender sees then depends on its resolver.",
        needs: Needs::Static,
        check: Some(xr_012),
        planned: None,
    },
    Rule {
        id: "XR-013",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "Lower-preference (backup) MX hosts meet the same STARTTLS, certificate, MTA-STS and DANE requirements as the primary; their faults stay hidden until the primary fails.",
        needs: Needs::Static,
        check: Some(xr_013),
        planned: None,
    },
    Rule {
        id: "XR-014",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "Equal-preference MX hosts share the same TLS posture, because senders pick among them at random.",
        needs: Needs::Static,
        check: Some(xr_014),
        planned: None,
    },
    Rule {
        id: "XR-015",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "Each mail-receiving (sub)domain publishes its own MTA-STS TXT record and policy host; senders never inherit a parent domain's policy.",
        needs: Needs::Static,
        check: Some(xr_015),
        planned: None,
    },
    Rule {
        id: "XR-016",
        severity: Severity::Info,
        raise: Raise::Never,
        title: "MTA-STS covers MX hosts only; SecMX SRV targets are outside its scope. The tool recommends PKIX-valid certificates for SORs anyway and, if they are also MX-capable names, listing them in `mx` patterns.",
        needs: Needs::Static,
        check: Some(xr_016),
        planned: None,
    },
    Rule {
        id: "XR-017",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "If REQUIRETLS traffic is expected, the MX RRset must be DNSSEC-signed or covered by an MTA-STS policy, because a REQUIRETLS sender refuses unprotected MX answers.",
        needs: Needs::Probe,
        check: Some(super::live_probe::xr_017),
        planned: None,
    },
];

/// Fast non-cryptographic hash maps for the checks' local indexes (rustc's FxHash): SipHash costs
/// more than the rest of a check on a 10,000-relay design, and a local lint needs no flooding
/// resistance.
pub(super) use rustc_hash::{FxHashMap as FastMap, FxHashSet as FastSet};

/// Looks TLSA RRsets up by (port, host) through the record index, reusing one name buffer.
struct TlsaLookup<'r> {
    records: &'r crate::model::RecordSet,
    buf: String,
}

impl<'r> TlsaLookup<'r> {
    fn new(input: &Input<'r>) -> Self {
        TlsaLookup {
            records: input.records,
            buf: String::with_capacity(64),
        }
    }

    /// Whether any TLSA record is published at `_<port>._tcp.<host>`.
    fn has(&mut self, port: i64, host: &str) -> bool {
        use std::fmt::Write;
        self.buf.clear();
        self.buf.push('_');
        match port {
            25 => self.buf.push_str("25"),
            465 => self.buf.push_str("465"),
            587 => self.buf.push_str("587"),
            _ => {
                let _ = write!(self.buf, "{port}");
            }
        }
        self.buf.push_str("._tcp.");
        self.buf.push_str(host);
        self.records.at(&self.buf, "TLSA").next().is_some()
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers (each builds at most one index per call, so every check stays linear in the records).
// ---------------------------------------------------------------------------------------------

/// A name as shown to an administrator (the root as ".").
fn shown(name: &str) -> &str {
    if name.is_empty() { "." } else { name }
}

/// `s` in lower case, borrowed when it already is (record names are stored normalised).
fn lower(s: &str) -> Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(s.to_ascii_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

/// A relay host as the checks see it: the first record naming it, the port senders reach it on,
/// and whether TLSA is published for that port and TLS-RPT for the host.
#[derive(Debug, Clone, Copy)]
struct HostFacts {
    /// Index of the MX or SRV record in the record set.
    rec: usize,
    port: i64,
    tlsa: bool,
    rpt: bool,
}

/// The relay hosts of the domain, derived once per record set and shared by the checks (a
/// 10,000-relay design would otherwise be looked up host by host in each of them). The MX and the
/// SRV half are derived separately, so two checks running at once can build one each.
struct Relays {
    /// The MX exchanges (null MX left out), deduplicated, in record order; port 25.
    mx: std::sync::Arc<Vec<HostFacts>>,
    /// The SecMX SRV targets (opt-out "." left out), deduplicated by (target, port).
    srv: std::sync::Arc<Vec<HostFacts>>,
}

/// The facts of one relay host reached on `port`, with `buf` as scratch space for names.
fn host_facts(input: &Input<'_>, rec: &Record, port: i64, host: &str) -> Option<HostFacts> {
    let rec = input.records.position(rec)?;
    let mut look = TlsaLookup::new(input);
    let tlsa = look.has(port, host);
    look.buf.clear();
    look.buf.push_str("_smtp._tls.");
    look.buf.push_str(host);
    Some(HostFacts {
        rec,
        port,
        tlsa,
        rpt: has_tls_rpt(input, &look.buf),
    })
}

fn mx_relays(input: &Input<'_>) -> std::sync::Arc<Vec<HostFacts>> {
    let key = format!("xr mx relays|{}", input.domain);
    input.records.shared(&key, |set| {
        let mut seen = FastSet::default();
        set.mx_of(input.domain)
            .filter(|(_, _, x)| !x.is_empty() && seen.insert(*x))
            .filter_map(|(rec, _, x)| host_facts(input, rec, 25, x))
            .collect()
    })
}

fn srv_relays(input: &Input<'_>) -> std::sync::Arc<Vec<HostFacts>> {
    let srv_owner = input.srv_owner();
    let key = format!("xr srv relays|{srv_owner}");
    input.records.shared(&key, |set| {
        let mut seen = FastSet::default();
        set.srv_at(&srv_owner)
            .filter(|(_, _, _, port, t)| !t.is_empty() && seen.insert((*t, *port)))
            .filter_map(|(rec, _, _, port, t)| host_facts(input, rec, port, t))
            .collect()
    })
}

fn relays(input: &Input<'_>) -> Relays {
    Relays {
        mx: mx_relays(input),
        srv: srv_relays(input),
    }
}

/// The host an MX or SRV record points at.
fn host_of(rec: &Record) -> &str {
    match &rec.data {
        RData::Mx { exchange, .. } => exchange,
        RData::Srv { target, .. } => target,
        _ => "",
    }
}

/// The MX exchanges of the domain (null MX left out), deduplicated, in record order, with the first
/// record naming each.
fn mx_hosts<'a>(input: &Input<'a>) -> Vec<(&'a str, &'a Record)> {
    let records = input.records.records();
    mx_relays(input)
        .iter()
        .filter_map(|f| records.get(f.rec))
        .map(|rec| (host_of(rec), rec))
        .collect()
}

/// The SecMX SRV targets with their facts: (record, target, facts).
fn srv_facts<'a>(input: &Input<'a>) -> Vec<(&'a Record, &'a str, HostFacts)> {
    let records = input.records.records();
    srv_relays(input)
        .iter()
        .filter_map(|f| records.get(f.rec).map(|rec| (rec, host_of(rec), *f)))
        .collect()
}

/// The relays with their facts: (record, host, facts), MX hosts then SRV targets.
fn relay_facts<'a>(input: &Input<'a>, relays: &Relays) -> Vec<(&'a Record, &'a str, HostFacts)> {
    let records = input.records.records();
    relays
        .mx
        .iter()
        .chain(relays.srv.iter())
        .filter_map(|f| records.get(f.rec).map(|rec| (rec, host_of(rec), *f)))
        .collect()
}

/// Whether the TXT character-strings, joined, start with `prefix` (without joining them).
fn txt_starts_with(parts: &[String], prefix: &str) -> bool {
    parts
        .iter()
        .flat_map(|p| p.bytes())
        .take(prefix.len())
        .eq(prefix.bytes())
}

/// Whether a TLS-RPT record is published at `name` (a `v=TLSRPTv1` TXT, or a CNAME delegating it).
fn has_tls_rpt(input: &Input<'_>, name: &str) -> bool {
    input.records.named(name).any(|r| match &r.data {
        RData::Txt(parts) => txt_starts_with(parts, "v=TLSRPTv1"),
        RData::Cname(_) => true,
        _ => false,
    })
}

/// The parsed MTA-STS policy, when there is one (parsed once per lint, shared with the STS checks).
fn policy(input: &Input<'_>) -> Option<std::rc::Rc<PolicyText>> {
    input.sts_policy.map(super::sts::parse_policy)
}

/// Where a finding about the policy points: the `_mta-sts` TXT record's origin, if published.
fn sts_origin(input: &Input<'_>) -> Origin {
    input
        .records
        .at(&format!("_mta-sts.{}", input.domain), "TXT")
        .next()
        .map_or(Origin::External, |r| r.origin)
}

use crate::model::sts::MxPatterns as PatternIndex;

/// Whether a single pattern (as written) matches one of the hosts indexed by [`HostIndex`].
fn pattern_hits(pattern: &str, hosts: &HostIndex<'_>) -> bool {
    let trimmed = pattern.trim();
    match trimmed.strip_prefix("*.") {
        Some(suffix) => hosts.suffixes.contains(lower(suffix).as_ref()),
        None => hosts.names.contains(lower(trimmed).as_ref()),
    }
}

/// MX host names indexed for pattern look-ups: the names, and what follows their first label.
struct HostIndex<'h> {
    names: FastSet<Cow<'h, str>>,
    suffixes: FastSet<Cow<'h, str>>,
}

impl<'h> HostIndex<'h> {
    fn new(hosts: impl Iterator<Item = &'h str>) -> Self {
        let mut names = FastSet::default();
        let mut suffixes = FastSet::default();
        for h in hosts {
            let h = h.strip_suffix('.').unwrap_or(h);
            if let Some((first, rest)) = h.split_once('.')
                && !first.is_empty()
            {
                suffixes.insert(lower(rest));
            }
            names.insert(lower(h));
        }
        HostIndex { names, suffixes }
    }
}

/// The policy's `mx` patterns when the policy is in force (mode `enforce` or `testing`).
fn active_patterns(policy: &Option<std::rc::Rc<PolicyText>>) -> Option<Vec<&str>> {
    let p = policy.as_ref()?;
    match p.mode() {
        Some(StsMode::Enforce) | Some(StsMode::Testing) => Some(p.mx_patterns()),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------------------------

/// XR-001: TTLs differ inside one RRset.
fn xr_001(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
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
fn xr_002(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
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
fn xr_003(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
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
fn xr_004(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
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
fn xr_005(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
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
fn xr_009(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
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
fn xr_010(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
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

/// XR-012: a policy name owns both TXT and CNAME.
fn xr_012(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
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
struct MxTlsa<'a> {
    known: FastMap<&'a str, bool>,
    look: TlsaLookup<'a>,
}

impl<'a> MxTlsa<'a> {
    fn new(input: &Input<'a>) -> Self {
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
fn posture_gaps(
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
fn xr_013(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
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
fn xr_014(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
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
fn xr_015(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
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
fn xr_016(rule: &Rule, input: &Input<'_>, out: &mut Vec<Finding>) {
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

#[cfg(test)]
mod tests {
    use super::{HostIndex, PatternIndex, pattern_hits};
    use crate::model::sts::mx_pattern_matches;
    use crate::rules::Severity;
    use crate::rules::testkit::*;

    const D: &str = "agency.example";
    const SRV: &str = "_secmx._tcp.agency.example";
    const ENFORCE: &str =
        "version: STSv1\nmode: enforce\nmx: mail.agency.example\nmax_age: 604800\n";
    const TESTING: &str =
        "version: STSv1\nmode: testing\nmx: mail.agency.example\nmax_age: 604800\n";

    #[test]
    fn pattern_index_agrees_with_mx_pattern_matches() {
        let patterns = [
            "mx1.agency.example",
            "*.agency.example",
            "MX.Other.Example",
            "*.b.example.",
        ];
        let index = PatternIndex::new(patterns.iter().copied());
        for host in [
            "mx1.agency.example",
            "mx9.agency.example",
            "agency.example",
            "a.b.agency.example",
            "mx.other.example",
            "x.b.example",
            "x.b.example.",
            "MX2.AGENCY.EXAMPLE.",
        ] {
            let expected = patterns.iter().any(|p| mx_pattern_matches(p, host));
            assert_eq!(index.matching(host).is_some(), expected, "{host}");
            let hosts = HostIndex::new(std::iter::once(host));
            for p in patterns {
                assert_eq!(
                    pattern_hits(p, &hosts),
                    mx_pattern_matches(p, host),
                    "{p} vs {host}"
                );
            }
        }
    }

    #[test]
    fn xr_001_fail_mx_ttls_differ() {
        let out = Case::new(vec![
            ttl(mx(D, 10, "mx1.agency.example"), 3600),
            ttl(mx(D, 20, "mx2.agency.example"), 300),
        ])
        .fails_with("XR-001", Severity::Error);
        assert_eq!(out.len(), 1);
        assert!(out[0].message.contains("300, 3600"));
    }

    #[test]
    fn xr_001_pass_same_ttl() {
        Case::new(vec![
            ttl(mx(D, 10, "mx1.agency.example"), 3600),
            ttl(mx(D, 20, "mx2.agency.example"), 3600),
            ttl(addr("mx1.agency.example", "198.51.100.10"), 300),
        ])
        .passes("XR-001");
    }

    #[test]
    fn xr_002_fail_enforce_mx_not_in_policy() {
        Case::new(vec![mx(D, 10, D)])
            .policy(ENFORCE)
            .fails_with("XR-002", Severity::Error);
    }

    #[test]
    fn xr_002_fail_testing_is_warning() {
        let out = Case::new(vec![mx(D, 10, D)])
            .policy(TESTING)
            .fails_with("XR-002", Severity::Warning);
        assert!(out.iter().all(|f| f.severity == Severity::Warning));
    }

    #[test]
    fn xr_002_pass_mx_matches_pattern() {
        Case::new(vec![mx(D, 10, "mail.agency.example")])
            .policy(ENFORCE)
            .passes("XR-002");
    }

    #[test]
    fn xr_002_pass_mode_none_or_no_policy() {
        Case::new(vec![mx(D, 10, D)])
            .policy("version: STSv1\nmode: none\nmx: mail.agency.example\nmax_age: 86400\n")
            .passes("XR-002");
        Case::new(vec![mx(D, 10, D)]).passes("XR-002");
    }

    #[test]
    fn xr_003_fail_stale_pattern() {
        let out = Case::new(vec![mx(D, 10, "firewall.agency.example")])
            .policy("version: STSv1\nmode: enforce\nmx: mx.old-provider.example\nmax_age: 604800\n")
            .fails_with("XR-003", Severity::Warning);
        assert_eq!(out[0].subject, "mx.old-provider.example");
    }

    #[test]
    fn xr_003_pass_every_pattern_matches() {
        Case::new(vec![
            mx(D, 10, "mail.agency.example"),
            mx(D, 20, "mx2.backup.example"),
        ])
        .policy("version: STSv1\nmode: enforce\nmx: mail.agency.example\nmx: *.backup.example\nmax_age: 604800\n")
        .passes("XR-003");
    }

    #[test]
    fn xr_004_fail_one_mx_without_tlsa() {
        let out = Case::new(vec![
            mx(D, 10, "mx1.agency.example"),
            mx(D, 20, "mx2.agency.example"),
            tlsa("_25._tcp.mx1.agency.example", 3, 1, 1, &h256('a')),
        ])
        .fails_with("XR-004", Severity::Warning);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].subject, "mx2.agency.example");
    }

    #[test]
    fn xr_004_pass_all_mx_have_tlsa() {
        Case::new(vec![
            mx(D, 10, "mx1.agency.example"),
            mx(D, 20, "mx2.agency.example"),
            tlsa("_25._tcp.mx1.agency.example", 3, 1, 1, &h256('a')),
            tlsa("_25._tcp.mx2.agency.example", 3, 1, 1, &h256('b')),
        ])
        .passes("XR-004");
    }

    fn xr_005_fail_case() -> Case {
        Case::new(vec![
            mx(D, 10, "mx1.agency.example"),
            srv(SRV, 10, 0, 465, "sor1.agency.example"),
            tlsa("_25._tcp.sor1.agency.example", 3, 1, 1, &h256('a')),
        ])
    }

    #[test]
    fn xr_005_fail_tlsa_on_wrong_port_is_warning_at_l1() {
        let out = xr_005_fail_case().fails_with("XR-005", Severity::Warning);
        assert!(out[0].message.contains("_465._tcp.sor1.agency.example"));
    }

    #[test]
    fn xr_005_fail_is_error_at_l2() {
        xr_005_fail_case()
            .l2()
            .fails_with("XR-005", Severity::Error);
    }

    #[test]
    fn xr_005_pass_tlsa_at_srv_port() {
        Case::new(vec![
            srv(SRV, 10, 0, 465, "sor1.agency.example"),
            tlsa("_465._tcp.sor1.agency.example", 3, 1, 1, &h256('a')),
        ])
        .l2()
        .passes("XR-005");
    }

    #[test]
    fn xr_005_pass_without_dane() {
        Case::new(vec![srv(SRV, 10, 0, 465, "sor1.agency.example")])
            .l2()
            .passes("XR-005");
    }

    #[test]
    fn xr_009_fail_sts_without_tls_rpt() {
        Case::new(vec![txt(
            "_mta-sts.agency.example",
            &["v=STSv1; id=20260101"],
        )])
        .fails_with("XR-009", Severity::Warning);
    }

    #[test]
    fn xr_009_fail_dane_without_tls_rpt_is_error_under_sge() {
        Case::new(vec![
            mx(D, 10, "mx1.agency.example"),
            tlsa("_25._tcp.mx1.agency.example", 3, 1, 1, &h256('a')),
        ])
        .sge()
        .fails_with("XR-009", Severity::Error);
    }

    #[test]
    fn xr_009_pass_with_tls_rpt() {
        Case::new(vec![
            txt("_mta-sts.agency.example", &["v=STSv1; id=20260101"]),
            txt(
                "_smtp._tls.agency.example",
                &["v=TLSRPTv1; rua=mailto:tlsrpt@agency.example"],
            ),
        ])
        .passes("XR-009");
    }

    #[test]
    fn xr_010_fail_tlsa_without_host_tls_rpt() {
        Case::new(vec![
            mx(D, 10, "mx1.agency.example"),
            tlsa("_25._tcp.mx1.agency.example", 3, 1, 1, &h256('a')),
        ])
        .fails_with("XR-010", Severity::Info);
    }

    #[test]
    fn xr_010_pass_host_tls_rpt() {
        Case::new(vec![
            mx(D, 10, "mx1.agency.example"),
            tlsa("_25._tcp.mx1.agency.example", 3, 1, 1, &h256('a')),
            txt(
                "_smtp._tls.mx1.agency.example",
                &["v=TLSRPTv1; rua=mailto:tlsrpt@agency.example"],
            ),
        ])
        .passes("XR-010");
    }

    #[test]
    fn xr_012_fail_dmarc_txt_and_cname() {
        Case::new(vec![
            txt("_dmarc.agency.example", &["v=DMARC1; p=none"]),
            cname("_dmarc.agency.example", "_dmarc.vendor.example"),
        ])
        .fails_with("XR-012", Severity::Error);
    }

    #[test]
    fn xr_012_pass_only_one_of_the_two() {
        Case::new(vec![txt("_dmarc.agency.example", &["v=DMARC1; p=none"])]).passes("XR-012");
        Case::new(vec![cname(
            "_mta-sts.agency.example",
            "_mta-sts.vendor.example",
        )])
        .passes("XR-012");
    }

    #[test]
    fn xr_013_fail_backup_without_tlsa() {
        let out = Case::new(vec![
            mx(D, 10, "mx1.agency.example"),
            mx(D, 50, "backup.isp.example"),
            tlsa("_25._tcp.mx1.agency.example", 3, 1, 1, &h256('a')),
        ])
        .fails_with("XR-013", Severity::Warning);
        assert_eq!(out[0].subject, "backup.isp.example");
    }

    #[test]
    fn xr_013_fail_backup_not_in_policy() {
        Case::new(vec![
            mx(D, 10, "mail.agency.example"),
            mx(D, 50, "backup.isp.example"),
        ])
        .policy(ENFORCE)
        .fails("XR-013");
    }

    #[test]
    fn xr_013_pass_backup_same_posture() {
        Case::new(vec![
            mx(D, 10, "mail.agency.example"),
            mx(D, 50, "backup.agency.example"),
            tlsa("_25._tcp.mail.agency.example", 3, 1, 1, &h256('a')),
            tlsa("_25._tcp.backup.agency.example", 3, 1, 1, &h256('b')),
        ])
        .policy("version: STSv1\nmode: enforce\nmx: *.agency.example\nmax_age: 604800\n")
        .passes("XR-013");
    }

    #[test]
    fn xr_014_fail_equal_preference_differs_in_tlsa() {
        let out = Case::new(vec![
            mx(D, 10, "mx1.agency.example"),
            mx(D, 10, "mx2.agency.example"),
            tlsa("_25._tcp.mx1.agency.example", 3, 1, 1, &h256('a')),
        ])
        .fails_with("XR-014", Severity::Warning);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].subject, "mx2.agency.example");
    }

    #[test]
    fn xr_014_fail_equal_preference_differs_in_policy_coverage() {
        Case::new(vec![
            mx(D, 10, "mail.agency.example"),
            mx(D, 10, "mx2.agency.example"),
        ])
        .policy(ENFORCE)
        .fails("XR-014");
    }

    #[test]
    fn xr_014_pass_equal_preference_same_posture() {
        Case::new(vec![
            mx(D, 10, "mx1.agency.example"),
            mx(D, 10, "mx2.agency.example"),
            mx(D, 20, "mx3.agency.example"),
            tlsa("_25._tcp.mx1.agency.example", 3, 1, 1, &h256('a')),
            tlsa("_25._tcp.mx2.agency.example", 3, 1, 1, &h256('b')),
        ])
        .passes("XR-014");
    }

    #[test]
    fn xr_015_fail_subdomain_relies_on_parent_policy() {
        Case::new(vec![
            mx("region.agency.example", 10, "mx1.agency.example"),
            txt("_mta-sts.agency.example", &["v=STSv1; id=20260101"]),
        ])
        .domain("region.agency.example")
        .fails_with("XR-015", Severity::Error);
    }

    #[test]
    fn xr_015_pass_subdomain_own_record() {
        Case::new(vec![
            mx("region.agency.example", 10, "mx1.agency.example"),
            txt("_mta-sts.agency.example", &["v=STSv1; id=20260101"]),
            txt("_mta-sts.region.agency.example", &["v=STSv1; id=20260102"]),
        ])
        .domain("region.agency.example")
        .passes("XR-015");
    }

    #[test]
    fn xr_016_fail_sor_without_tlsa() {
        Case::new(vec![
            mx(D, 10, "mx1.agency.example"),
            srv(SRV, 10, 0, 25, "sor1.agency.example"),
        ])
        .fails_with("XR-016", Severity::Info);
    }

    #[test]
    fn xr_016_pass_sor_with_tlsa() {
        Case::new(vec![
            mx(D, 10, "mx1.agency.example"),
            srv(SRV, 10, 0, 25, "sor1.agency.example"),
            srv(SRV, 20, 0, 25, "mx1.agency.example"),
            tlsa("_25._tcp.sor1.agency.example", 3, 1, 1, &h256('a')),
        ])
        .passes("XR-016");
    }
}
