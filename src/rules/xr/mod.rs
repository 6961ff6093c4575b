//! XR rules (the catalogue: `rules::catalogue`, `secmx explain`). Each rule's Fail/Pass examples are its unit tests below.

use super::{Finding, Input, Needs, Raise, Rule, Severity};
use crate::model::render::tlsa_owner;
use crate::model::sts::PolicyText;
use crate::model::{Level, Origin, RData, Record, StsMode};
use std::borrow::Cow;

// The checks: `coverage` (XR-001…010) and `posture` (XR-012…016).
mod coverage;
mod posture;
#[cfg(test)]
mod tests;

use coverage::*;
use posture::*;

/// The rules of this group, in catalogue order.
pub const RULES: &[Rule] = &[
    Rule::new(
        "XR-001",
        Severity::Error,
        "All records of one RRset (same owner, class, type) carry the same TTL.",
        xr_001,
    ),
    Rule::new(
        "XR-002",
        Severity::Error,
        "Every MX exchange matches at least one `mx` pattern of the MTA-STS policy.",
        xr_002,
    ),
    Rule::new(
        "XR-003",
        Severity::Warning,
        "An MTA-STS `mx` pattern that matches no current MX host is stale (often a migrated provider).",
        xr_003,
    ),
    Rule::new(
        "XR-004",
        Severity::Warning,
        "If any MX host has TLSA records, all MX hosts (including backups) should have them; otherwise a downgrade to the unprotected host is possible.",
        xr_004,
    ),
    Rule::new(
        "XR-005",
        Severity::Warning,
        "When DANE is claimed, every SecMX SRV target has TLSA at `_<srv-port>._tcp.<target>`.",
        xr_005,
    ),
    Rule::new(
        "XR-006",
        Severity::Error,
        "TLSA records only count when the TLSA RRset and the relay host's address RRsets validate as DNSSEC-secure.",
        super::live::xr_006,
    )
    .needs(Needs::Dns),
    Rule::new(
        "XR-007",
        Severity::Warning,
        "For full downgrade resistance the MX RRset (and SecMX SRV RRset) is itself DNSSEC-signed.",
        super::live::xr_007,
    )
    .needs(Needs::Dns),
    Rule::new(
        "XR-008",
        Severity::Error,
        "When both MTA-STS and DANE are published, the MX certificate must pass both: PKIX-valid for the MX name and matched by a TLSA record; MTA-STS never rescues a DANE failure.",
        super::live_probe::xr_008,
    )
    .needs(Needs::Probe),
    Rule::new(
        "XR-009",
        Severity::Warning,
        "A domain that deploys MTA-STS or DANE also publishes TLS-RPT, so failures become visible.",
        xr_009,
    )
    .raise(Raise::Sge),
    Rule::new(
        "XR-010",
        Severity::Info,
        "For DANE failures the reporting domain is the TLSA base domain (the MX host), so a TLS-RPT record at `_smtp._tls.<mx-host>` is advised when DANE is used.",
        xr_010,
    ),
    Rule::new(
        "XR-011",
        Severity::Warning,
        "Every `mailto:` TLS-RPT destination is deliverable: its domain has MX (or address) records and no null MX.",
        super::live::xr_011,
    )
    .needs(Needs::Dns),
    Rule::new(
        "XR-012",
        Severity::Error,
        "A policy name (`_mta-sts`, `_smtp._tls`, `_dmarc`) never carries a TXT and a CNAME at the same time; which one a sender sees then depends on its resolver.",
        xr_012,
    ),
    Rule::new(
        "XR-013",
        Severity::Warning,
        "Lower-preference (backup) MX hosts meet the same STARTTLS, certificate, MTA-STS and DANE requirements as the primary; their faults stay hidden until the primary fails.",
        xr_013,
    ),
    Rule::new(
        "XR-014",
        Severity::Warning,
        "Equal-preference MX hosts share the same TLS posture, because senders pick among them at random.",
        xr_014,
    ),
    Rule::new(
        "XR-015",
        Severity::Error,
        "Each mail-receiving (sub)domain publishes its own MTA-STS TXT record and policy host; senders never inherit a parent domain's policy.",
        xr_015,
    ),
    Rule::new(
        "XR-016",
        Severity::Info,
        "MTA-STS covers MX hosts only; SecMX SRV targets are outside its scope. The tool recommends PKIX-valid certificates for SORs anyway and, if they are also MX-capable names, listing them in `mx` patterns.",
        xr_016,
    ),
    Rule::new(
        "XR-017",
        Severity::Warning,
        "If REQUIRETLS traffic is expected, the MX RRset must be DNSSEC-signed or covered by an MTA-STS policy, because a REQUIRETLS sender refuses unprotected MX answers.",
        super::live_probe::xr_017,
    )
    .needs(Needs::Probe),
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
pub(crate) struct HostFacts {
    /// Index of the MX or SRV record in the record set.
    rec: usize,
    port: i64,
    tlsa: bool,
    rpt: bool,
}

/// The relay hosts of the domain, derived once per run ([`crate::rules::Facts`]) and shared by the
/// checks (a 10,000-relay design would otherwise be looked up host by host in each of them).
struct Relays<'f> {
    /// The MX exchanges (null MX left out), deduplicated, in record order; port 25.
    mx: &'f [HostFacts],
    /// The SecMX SRV targets (opt-out "." left out), deduplicated by (target, port).
    srv: &'f [HostFacts],
}

/// The facts of one relay host reached on `port`, with `buf` as scratch space for names.
fn host_facts(input: &crate::rules::Facts<'_>, rec: usize, port: i64, host: &str) -> HostFacts {
    let mut look = TlsaLookup::new(input);
    let tlsa = look.has(port, host);
    look.buf.clear();
    look.buf.push_str("_smtp._tls.");
    look.buf.push_str(host);
    HostFacts {
        rec,
        port,
        tlsa,
        rpt: has_tls_rpt(input, &look.buf),
    }
}

fn mx_relays<'f>(input: &'f crate::rules::Facts<'_>) -> &'f [HostFacts] {
    input.mx_relays.get_or_init(|| {
        let mut seen = FastSet::default();
        input
            .records
            .at_indexed(input.domain, "MX")
            .filter_map(|(i, rec)| rec.as_mx().map(|(_, _, x)| (i, x)))
            .filter(|(_, x)| !x.is_empty() && seen.insert(*x))
            .map(|(i, x)| host_facts(input, i, 25, x))
            .collect()
    })
}

fn srv_relays<'f>(input: &'f crate::rules::Facts<'_>) -> &'f [HostFacts] {
    input.srv_relays.get_or_init(|| {
        let srv_owner = input.srv_owner();
        let mut seen = FastSet::default();
        input
            .records
            .at_indexed(&srv_owner, "SRV")
            .filter_map(|(i, rec)| rec.as_srv().map(|(_, _, _, port, t)| (i, port, t)))
            .filter(|(_, port, t)| !t.is_empty() && seen.insert((*t, *port)))
            .map(|(i, port, t)| host_facts(input, i, port, t))
            .collect()
    })
}

fn relays<'f>(input: &'f crate::rules::Facts<'_>) -> Relays<'f> {
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
fn mx_hosts<'a>(input: &crate::rules::Facts<'a>) -> Vec<(&'a str, &'a Record)> {
    let records = input.records.records();
    mx_relays(input)
        .iter()
        .filter_map(|f| records.get(f.rec))
        .map(|rec| (host_of(rec), rec))
        .collect()
}

/// The SecMX SRV targets with their facts: (record, target, facts).
fn srv_facts<'a>(input: &crate::rules::Facts<'a>) -> Vec<(&'a Record, &'a str, HostFacts)> {
    let records = input.records.records();
    srv_relays(input)
        .iter()
        .filter_map(|f| records.get(f.rec).map(|rec| (rec, host_of(rec), *f)))
        .collect()
}

/// The relays with their facts: (record, host, facts), MX hosts then SRV targets.
fn relay_facts<'a>(
    input: &crate::rules::Facts<'a>,
    relays: &Relays<'_>,
) -> Vec<(&'a Record, &'a str, HostFacts)> {
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
fn has_tls_rpt(input: &crate::rules::Facts<'_>, name: &str) -> bool {
    input.records.named(name).any(|r| match &r.data {
        RData::Txt(parts) => txt_starts_with(parts, "v=TLSRPTv1"),
        RData::Cname(_) => true,
        _ => false,
    })
}

/// The parsed MTA-STS policy, when there is one (parsed once per lint, shared with the STS checks).
fn policy<'f>(input: &'f crate::rules::Facts<'_>) -> Option<&'f PolicyText> {
    input.policy()
}

/// Where a finding about the policy points: the `_mta-sts` TXT record's origin, if published.
fn sts_origin(input: &crate::rules::Facts<'_>) -> Origin {
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
fn active_patterns<'p>(policy: &Option<&'p PolicyText>) -> Option<Vec<&'p str>> {
    let p = (*policy)?;
    match p.mode() {
        Some(StsMode::Enforce) | Some(StsMode::Testing) => Some(p.mx_patterns()),
        _ => None,
    }
}
