//! Zone-file import: the records of one mail domain, read from master-file text
//! ([`super::parse`]), mapped back into a [`Design`].
//!
//! * [`records_from_zone`] gives the records as written (normalised names), for the rules to judge.
//! * [`import_zone`] maps them to a design and lists every record it could not map (`unmapped`, one
//!   readable line each) and everything the mapping had to assume or could not keep (`notes`).
//!
//! Mapping (domain `D`, SecMX SRV owner `_<label>._tcp.D`):
//!
//! | zone | design |
//! |---|---|
//! | `D MX 0 .` | `null_mx = true` |
//! | `D MX p host` | a BER relay, `preference = p`, in MX order |
//! | `_<label>._tcp.D SRV pr w 25 host` where `host` is an MX exchange | `also_srv = true` on that BER (`priority`, `weight`) |
//! | any other SRV there (including the opt-out `0 0 0 .`) | an SOR relay (`port`, `priority`, `weight`; host `""` for `.`) |
//! | `A`/`AAAA` at a relay host inside `D` | the relay's `addresses` (A first, then AAAA) |
//! | `TLSA` at `_<port>._tcp.<relay host>` | the relay's `tlsa` (`"u s m hex"`, hex lower case) |
//! | `_mta-sts.D TXT "v=STSv1; id=X"` | `mta_sts`: `id = X`; mode `enforce`, `max_age` 604800, `mx` empty (the zone does not hold the policy file — a note says so) |
//! | `_smtp._tls.D TXT "v=TLSRPTv1; rua=…"` | `tls_rpt.rua` |
//! | `D TXT "v=spf1 …"`, `_dmarc.D TXT "v=DMARC1…"` | `sge.spf`, `sge.dmarc`, and **profile `sge`** |
//!
//! Decisions:
//! * **Label**: `_secmx` when the zone has SRV records there; otherwise the `_<label>._tcp.D` owner with
//!   the most SRV records (ties: alphabetical) among labels that are not well-known client or
//!   non-mail services (`_submission`, `_imaps`, `_autodiscover`, `_sip`, … see [`OTHER_SERVICES`]).
//! * **Level** 2 when the design lists any relay under the SRV label (SOR or `also_srv` BER), else 1.
//! * **Profile** `sge` when the zone publishes an SPF or DMARC text: the design only renders those texts
//!   under the SGE profile, so this is the only way an export of the import gives them back. A note
//!   says so; set `profile = "secmx"` to judge without the SGE raises (the texts are then not exported).
//! * **TTL** the most common TTL of the mapped records (ties: the smallest). Records with another TTL
//!   are noted (a design has one TTL). With no mapped record, the `$TTL` of the file (or the last TTL
//!   written), else 3600.
//! * **Relay order**: MX order for the BERs, SRV order for the SRV-listed relays, merged so that both
//!   orders come back on export. Addresses and TLSA records carry no order of their own (a zone is a set
//!   of RRsets), which is why [`records_of`](super::records_of) lists them BERs first, then SORs.
//!
//! Reading the text (and what hickory-proto 0.26 does that matters here) is [`super::parse`]'s job;
//! the record data conversion is [`super::rdata`]'s.

use super::export::{absolute, rdata_text};
pub use super::parse::records_from_zone;
pub use super::text::{ImportError, zone_text};
use super::tlsa_owner;
use crate::model::name::is_in_domain;
use crate::model::{
    DEFAULT_TTL, Design, DomainName, Level, MtaSts, Profile, RData, Record, RecordSet, Relay, Role,
    SgeTexts, StsMode, TlsRpt,
};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// SRV service labels that are never taken as the SecMX label when `_secmx` is absent: client access
/// (RFC 6186, 6764, 8314), directory, voice, chat and web services.
pub const OTHER_SERVICES: &[&str] = &[
    "_submission",
    "_submissions",
    "_imap",
    "_imaps",
    "_pop3",
    "_pop3s",
    "_sieve",
    "_autodiscover",
    "_caldav",
    "_caldavs",
    "_carddav",
    "_carddavs",
    "_ldap",
    "_ldaps",
    "_gc",
    "_kerberos",
    "_kerberos-master",
    "_kpasswd",
    "_sip",
    "_sips",
    "_sipfederationtls",
    "_sipinternaltls",
    "_xmpp-client",
    "_xmpp-server",
    "_jabber",
    "_http",
    "_https",
    "_matrix",
    "_stun",
    "_stuns",
    "_turn",
    "_turns",
    "_h323cs",
    "_minecraft",
    "_vlmcs",
];

/// What the import made, and what it could not map.
#[derive(Debug, Clone)]
pub struct ImportReport {
    /// The design.
    pub design: Design,
    /// Records that do not map to the design: when at most [`UNMAPPED_LISTED`], one line each (the
    /// record in master-file form, absolute names, then `; why`); when more, one line per record type
    /// and reason (`1,000 A records ; why (e.g. first; second; third; …)`) — a million lines help no one.
    pub unmapped: Vec<String>,
    /// How many records did not map (all of them, however `unmapped` lists them).
    pub unmapped_count: usize,
    /// What the mapping assumed or could not keep (defaults filled in, TTLs unified, profile chosen).
    pub notes: Vec<String>,
}

/// Read zone text and build the design of `domain` from it (see the module documentation for the
/// mapping). Never panics; a parse error carries the line (and column where known).
pub fn import_zone(text: &str, domain: &str) -> Result<ImportReport, ImportError> {
    let domain = DomainName::parse(domain)
        .map_err(|e| ImportError::new(format!("`{domain}` is not a usable mail domain: {e}")))?;
    let parsed = super::parse::parse_zone(text, domain.as_str())?;
    let fallback = || parsed.default_ttl.map_or(DEFAULT_TTL, i64::from);
    let mut report = map_records(&parsed.records, domain.clone(), &fallback);
    apply_header_options(text, &mut report);
    Ok(report)
}

/// Read the design options a SecMX snippet's header carries (`; options:  test-domain, …`): facts
/// DNS has no record for, kept so export → import → export gives the same text.
fn apply_header_options(text: &str, report: &mut ImportReport) {
    use super::export::{OPTION_SECURE_ONLY, OPTION_TEST_DOMAIN, OPTIONS_PREFIX};
    for line in text
        .lines()
        .take_while(|l| l.starts_with(';') || l.trim().is_empty())
    {
        if let Some(rest) = line.strip_prefix(OPTIONS_PREFIX) {
            for word in rest.split(',').map(str::trim) {
                match word {
                    OPTION_TEST_DOMAIN => report.design.test_domain = true,
                    OPTION_SECURE_ONLY => report.design.secure_only = true,
                    _ => {}
                }
            }
            report.notes.push(format!(
                "design options read from the snippet header: {}",
                rest.trim()
            ));
        }
    }
}

/// One record as an `unmapped` line.
fn describe(r: &Record, domain: &str, why: &str) -> String {
    format!(
        "{} {} {} {} ; {why}",
        absolute(&r.name),
        r.ttl,
        r.data.rtype(),
        rdata_text(&r.data, domain, false)
    )
}

/// The fields of a `v=…; k=v; …` policy text after its version tag, or `None` when the tag differs.
fn policy_fields<'a>(text: &'a str, tag: &str) -> Option<Vec<(&'a str, &'a str)>> {
    let mut parts = text.split(';').map(str::trim);
    let first = parts.next()?;
    let (k, v) = first.split_once('=')?;
    if k.trim() != "v" || v.trim() != tag {
        return None;
    }
    Some(
        parts
            .filter_map(|p| p.split_once('='))
            .map(|(k, v)| (k.trim(), v.trim()))
            .collect(),
    )
}

fn is_spf(text: &str) -> bool {
    let t = text.as_bytes();
    t.len() >= 6 && t[..6].eq_ignore_ascii_case(b"v=spf1") && (t.len() == 6 || t[6] == b' ')
}

fn is_dmarc(text: &str) -> bool {
    text.strip_prefix("v=DMARC1")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([';', ' ', '\t']))
}

/// Pick the SecMX SRV owner among the `_<label>._tcp.<domain>` owners that hold SRV records.
fn choose_srv_label(records: &[Record], domain: &str) -> Option<String> {
    let suffix = format!("._tcp.{domain}");
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for r in records {
        if !matches!(r.data, RData::Srv { .. }) {
            continue;
        }
        if let Some(label) = r.name.strip_suffix(suffix.as_str())
            && label.starts_with('_')
            && !label.contains('.')
            && label.len() > 1
        {
            *counts.entry(label).or_default() += 1;
        }
    }
    if counts.contains_key(crate::model::DEFAULT_SRV_LABEL) {
        return Some(crate::model::DEFAULT_SRV_LABEL.to_string());
    }
    counts
        .iter()
        .filter(|(l, _)| !OTHER_SERVICES.contains(l))
        // Most records first; BTreeMap order (alphabetical) breaks ties as max_by_key keeps the last.
        .rev()
        .max_by_key(|(_, n)| **n)
        .map(|(l, _)| (*l).to_string())
}

/// Build a design from records already in hand (what DNS publishes today, for instance), with the
/// same mapping as a zone import; the TTL falls back to 3600 when no record maps.
pub fn design_from_records(set: &RecordSet, domain: DomainName) -> ImportReport {
    map_records(set, domain, &|| DEFAULT_TTL)
}

/// Map normalised records to a design; `fallback_ttl` gives the TTL when no record was mapped.
fn map_records(
    set: &RecordSet,
    domain: DomainName,
    fallback_ttl: &dyn Fn() -> i64,
) -> ImportReport {
    let d = domain.as_str().to_string();
    let recs = set.records();
    let mut design = Design::new(domain);
    let mut mapped = vec![false; recs.len()];
    let mut why: HashMap<usize, String> = HashMap::default();
    let mut notes = Vec::new();

    // The records of one type at one owner, in order: the set's own index by name, without a copy.
    fn at<'s>(
        set: &'s RecordSet,
        name: &'s str,
        rtype: &'static str,
    ) -> impl Iterator<Item = usize> + 's {
        set.at_indexed(name, rtype).map(|(i, _)| i)
    }

    // MX → null MX and BERs, in MX order. A relay's host is kept borrowed from its record too, so
    // the lookups below need no copy of it.
    let mut bers: Vec<Option<Relay>> = Vec::new();
    let mut ber_hosts: Vec<&str> = Vec::new();
    for i in at(set, &d, "MX") {
        if let RData::Mx {
            preference,
            exchange,
        } = &recs[i].data
        {
            if exchange.is_empty() {
                if *preference == 0 {
                    design.null_mx = true;
                    mapped[i] = true;
                } else {
                    why.insert(
                        i,
                        "a null MX (target `.`) must have preference 0 (RFC 7505)".into(),
                    );
                }
                continue;
            }
            let mut r = Relay::new(exchange.clone(), Role::Ber);
            r.preference = *preference;
            bers.push(Some(r));
            ber_hosts.push(exchange);
            mapped[i] = true;
        }
    }

    // SRV under the chosen label → also_srv BERs and SORs, merged so MX and SRV orders both survive.
    // Each BER is moved into `relays` once, in MX order.
    let label = choose_srv_label(recs, &d);
    let mut relays: Vec<Relay> = Vec::with_capacity(bers.len());
    let mut relay_hosts: Vec<&str> = Vec::with_capacity(bers.len());
    let mut next_ber = 0usize;
    if let Some(label) = &label {
        let mut ber_by_host: HashMap<&str, Vec<usize>> = HashMap::default();
        for (k, host) in ber_hosts.iter().enumerate() {
            ber_by_host.entry(host).or_default().push(k);
        }
        design.srv_label = label.clone();
        for i in at(set, &design.srv_owner(), "SRV") {
            let RData::Srv {
                priority,
                weight,
                port,
                target,
            } = &recs[i].data
            else {
                continue;
            };
            mapped[i] = true;
            // The first BER with this host not before the last one claimed (claimed ones all are), so
            // the also_srv BERs keep the same relative order in MX and in SRV.
            let claim = if *port == 25 && !target.is_empty() {
                ber_by_host.get(target.as_str()).and_then(|ks| {
                    let at = ks.partition_point(|&k| k < next_ber);
                    ks.get(at).copied()
                })
            } else {
                None
            };
            if let Some(k) = claim {
                for j in next_ber..k {
                    if let Some(b) = bers[j].take() {
                        relays.push(b);
                        relay_hosts.push(ber_hosts[j]);
                    }
                }
                if let Some(mut b) = bers[k].take() {
                    b.also_srv = true;
                    b.priority = *priority;
                    b.weight = *weight;
                    relays.push(b);
                    relay_hosts.push(ber_hosts[k]);
                }
                next_ber = k + 1;
            } else {
                let mut s = Relay::new(target.clone(), Role::Sor);
                s.port = *port;
                s.priority = *priority;
                s.weight = *weight;
                relays.push(s);
                relay_hosts.push(target);
            }
        }
    }
    for j in next_ber..bers.len() {
        if let Some(b) = bers[j].take() {
            relays.push(b);
            relay_hosts.push(ber_hosts[j]);
        }
    }
    drop(bers);

    // Addresses and TLSA, per relay host (first relay with that host), BERs first as records_of does.
    let mut order: Vec<usize> = (0..relays.len())
        .filter(|&k| relays[k].role == Role::Ber)
        .collect();
    order.extend((0..relays.len()).filter(|&k| relays[k].role == Role::Sor));
    let mut hosts_done: HashSet<&str> = HashSet::default();
    // (port, host) stands for the TLSA owner `_<port>._tcp.<host>` (one owner per pair, and back).
    let mut tlsa_done: HashSet<(i64, &str)> = HashSet::default();
    for &k in &order {
        let host = relay_hosts[k];
        if host.is_empty() {
            continue;
        }
        if hosts_done.insert(host) {
            let inside = is_in_domain(host, &d);
            for i in at(set, host, "A").chain(at(set, host, "AAAA")) {
                let addr = match recs[i].data {
                    RData::A(a) => std::net::IpAddr::V4(a),
                    RData::Aaaa(a) => std::net::IpAddr::V6(a),
                    _ => continue,
                };
                if inside {
                    relays[k].addresses.push(addr);
                    mapped[i] = true;
                } else {
                    why.insert(
                        i,
                        format!(
                            "address of a relay host outside {d}: a design publishes addresses only for hosts inside the domain"
                        ),
                    );
                }
            }
        }
        let port = relays[k].tlsa_port();
        if tlsa_done.insert((port, host)) {
            for i in at(set, &tlsa_owner(port, host), "TLSA") {
                if let RData::Tlsa {
                    usage,
                    selector,
                    matching,
                    data,
                } = &recs[i].data
                {
                    relays[k]
                        .tlsa
                        .push(format!("{usage} {selector} {matching} {data}"));
                    mapped[i] = true;
                }
            }
        }
    }
    design.relays = relays;
    if design.relays.iter().any(|r| r.in_srv()) {
        design.level = Level::L2;
    }

    // MTA-STS.
    for i in at(set, &format!("_mta-sts.{d}"), "TXT") {
        let text = recs[i].data.txt_joined().unwrap_or_default();
        let Some(fields) = policy_fields(&text, "STSv1") else {
            why.insert(i, "TXT at _mta-sts that is not a `v=STSv1` record".into());
            continue;
        };
        if design.mta_sts.is_some() {
            why.insert(i, "a second MTA-STS record (senders ignore both)".into());
            continue;
        }
        let Some(id) = fields.iter().find(|(k, _)| *k == "id").map(|(_, v)| *v) else {
            why.insert(i, "MTA-STS record without an `id`".into());
            continue;
        };
        design.mta_sts = Some(MtaSts {
            mode: StsMode::Enforce,
            max_age: 604800,
            id: Some(id.to_string()),
            mx: Vec::new(),
            policy_sha256: None,
        });
        mapped[i] = true;
        notes.push(
            "MTA-STS: the zone holds only the `_mta-sts` record; mode (enforce), max_age (604800) and mx (the MX hosts) are defaults — set them to what https://mta-sts.<domain>/.well-known/mta-sts.txt says".into(),
        );
    }

    // TLS-RPT.
    for i in at(set, &format!("_smtp._tls.{d}"), "TXT") {
        let text = recs[i].data.txt_joined().unwrap_or_default();
        let Some(fields) = policy_fields(&text, "TLSRPTv1") else {
            why.insert(
                i,
                "TXT at _smtp._tls that is not a `v=TLSRPTv1` record".into(),
            );
            continue;
        };
        if design.tls_rpt.is_some() {
            why.insert(i, "a second TLS-RPT record".into());
            continue;
        }
        let rua = fields
            .iter()
            .filter(|(k, _)| *k == "rua")
            .flat_map(|(_, v)| v.split(','))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        design.tls_rpt = Some(TlsRpt { rua });
        mapped[i] = true;
    }
    // The same TLS-RPT record at relay hosts with TLSA is what export derives (XR-010): mapped.
    if let Some(rpt) = &design.tls_rpt {
        let text = crate::zone::tlsrpt_text(rpt);
        let hosts = design
            .relays
            .iter()
            .zip(&relay_hosts)
            .filter(|(r, _)| !r.tlsa.is_empty())
            .map(|(_, h)| *h);
        for host in hosts {
            for i in at(set, &format!("_smtp._tls.{host}"), "TXT") {
                if recs[i].data.txt_joined().as_deref() == Some(text.as_str()) {
                    mapped[i] = true;
                }
            }
        }
    }

    // SGE texts: apex SPF, _dmarc.
    let mut sge = SgeTexts::default();
    for i in at(set, &d, "TXT") {
        let text = recs[i].data.txt_joined().unwrap_or_default();
        if is_spf(&text) {
            if sge.spf.is_none() {
                sge.spf = Some(text);
                mapped[i] = true;
            } else {
                why.insert(i, "a second SPF record (RFC 7208 §4.5: permerror)".into());
            }
        }
    }
    for i in at(set, &format!("_dmarc.{d}"), "TXT") {
        let text = recs[i].data.txt_joined().unwrap_or_default();
        if is_dmarc(&text) {
            if sge.dmarc.is_none() {
                sge.dmarc = Some(text);
                mapped[i] = true;
            } else {
                why.insert(i, "a second DMARC record".into());
            }
        } else {
            why.insert(i, "TXT at _dmarc that is not a `v=DMARC1` record".into());
        }
    }
    if sge.spf.is_some() || sge.dmarc.is_some() {
        design.profile = Profile::Sge;
        design.sge = Some(sge);
        notes.push(
            "profile set to \"sge\" because the zone publishes SPF/DMARC (a design renders those texts only under the SGE profile); set profile = \"secmx\" to judge without the SGE raises".into(),
        );
    }

    // TTL: the most common among mapped records (ties: the smallest).
    let mut counts: BTreeMap<i64, usize> = BTreeMap::new();
    for (i, r) in recs.iter().enumerate() {
        if mapped[i] {
            *counts.entry(r.ttl).or_default() += 1;
        }
    }
    design.ttl = counts
        .iter()
        .rev()
        .max_by_key(|(_, n)| **n)
        .map(|(t, _)| *t)
        .unwrap_or_else(fallback_ttl);
    for (i, r) in recs.iter().enumerate() {
        if mapped[i] && r.ttl != design.ttl {
            notes.push(format!(
                "{} {} {}: TTL {} becomes {} (a design has one TTL)",
                absolute(&r.name),
                r.data.rtype(),
                rdata_text(&r.data, &d, false),
                r.ttl,
                design.ttl
            ));
        }
    }

    // Everything else, with the reason: each record when there are few, else grouped.
    let unmapped_count = mapped.iter().filter(|m| !**m).count();
    let mut unmapped = Vec::new();
    let reason_of = |i: usize, r: &Record, why: &mut HashMap<usize, String>| -> Cow<'static, str> {
        why.remove(&i)
            .map(Cow::Owned)
            .unwrap_or_else(|| default_reason(r, &d, label.as_deref()))
    };
    if unmapped_count <= UNMAPPED_LISTED {
        for (i, r) in recs.iter().enumerate() {
            if !mapped[i] {
                let reason = reason_of(i, r, &mut why);
                unmapped.push(describe(r, &d, &reason));
            }
        }
    } else {
        // (type, reason) → count and the first few records, in the order first met.
        let mut groups: Vec<(&str, Cow<'static, str>, usize, Vec<String>)> = Vec::new();
        let mut group_of: HashMap<(&str, Cow<'static, str>), usize> = HashMap::default();
        for (i, r) in recs.iter().enumerate() {
            if mapped[i] {
                continue;
            }
            let reason = reason_of(i, r, &mut why);
            let rtype = r.data.rtype();
            let g = match group_of.get(&(rtype, reason.clone())) {
                Some(&g) => g,
                None => {
                    group_of.insert((rtype, reason.clone()), groups.len());
                    groups.push((rtype, reason, 0, Vec::new()));
                    groups.len() - 1
                }
            };
            let (_, _, count, examples) = &mut groups[g];
            *count += 1;
            if examples.len() < UNMAPPED_EXAMPLES {
                examples.push(format!(
                    "{} {} {} {}",
                    absolute(&r.name),
                    r.ttl,
                    rtype,
                    rdata_text(&r.data, &d, false)
                ));
            }
        }
        for (rtype, reason, count, examples) in groups {
            unmapped.push(if count == 1 {
                format!("{} ; {reason}", examples[0])
            } else {
                let more = if count > examples.len() { "; …" } else { "" };
                format!(
                    "{} {rtype} records ; {reason} (e.g. {}{more})",
                    thousands(count),
                    examples.join("; ")
                )
            });
        }
    }

    ImportReport {
        design,
        unmapped,
        unmapped_count,
        notes,
    }
}

/// At most this many unmapped records are listed one by one; more are grouped by type and reason.
pub const UNMAPPED_LISTED: usize = 20;
/// Records shown as examples of a group of unmapped records.
const UNMAPPED_EXAMPLES: usize = 3;

/// `1234567` as `1,234,567`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn default_reason(r: &Record, domain: &str, label: Option<&str>) -> Cow<'static, str> {
    if !is_in_domain(&r.name, domain) {
        return format!("outside {domain}").into();
    }
    match &r.data {
        RData::Other { rtype, .. } if rtype == "SOA" || rtype == "NS" => {
            "zone administration, not part of a mail design".into()
        }
        RData::Other { rtype, .. } if rtype.contains(' ') => "not of class IN".into(),
        RData::Cname(_) => "a CNAME is not part of a mail design".into(),
        RData::Txt(_) if r.name.contains("._domainkey.") => {
            // The key belongs to the mail system; the design only names the selector (SGE-005).
            match r.name.split_once("._domainkey.") {
                Some((sel, _)) => format!(
                    "DKIM key record: the key is the mail system's; name the selector in the design (`dkim_selectors = [\"{sel}\"]` in [sge]) so `secmx check` judges it"
                )
                .into(),
                None => "DKIM key record".into(),
            }
        }
        RData::Txt(_) => "TXT that is not an MTA-STS, TLS-RPT, SPF or DMARC policy".into(),
        RData::Mx { .. } => "MX of another name than the mail domain".into(),
        RData::Srv { .. } => match label {
            Some(l) => format!("SRV of another service than {l}._tcp").into(),
            None => "SRV of a service that is not SecMX discovery".into(),
        },
        RData::A(_) | RData::Aaaa(_) => "address of a host that is not a relay".into(),
        RData::Tlsa { .. } => "TLSA that is not at _<port>._tcp of a relay".into(),
        RData::Other { .. } => "not part of a mail design".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ZONE: &str = r#"$ORIGIN agency.example.
$TTL 3600
@        IN SOA ns1 hostmaster 1 7200 3600 1209600 3600
@        IN NS  ns1
ns1      IN A   192.0.2.53
@    300 IN MX  10 mx1
@        IN MX  20 mx.provider.example.
_secmx._tcp IN SRV 10 0 25 sor1
_secmx._tcp IN SRV 20 0 25 mx1
_submission._tcp IN SRV 0 1 587 mail
mx1      IN A    192.0.2.25
mx1      IN AAAA 2001:db8::25
sor1     IN A    192.0.2.26
_25._tcp.sor1 IN TLSA 3 1 1 ABCDEF0123
_mta-sts IN TXT "v=STSv1; id=20260101T000000"
_smtp._tls IN TXT "v=TLSRPTv1; rua=mailto:a@agency.example,mailto:b@agency.example"
@        IN TXT "v=spf1 mx -all"
@        IN TXT "google-site-verification=xyz"
_dmarc   IN TXT "v=DMARC1; p=reject"
www      IN CNAME web.provider.example.
"#;

    /// Issue 13.4: every import error names line and column.
    #[test]
    fn import_errors_carry_line_and_column() {
        let long = "a".repeat(300);
        let cases: Vec<(String, usize, usize, &str)> = vec![
            (
                format!("{long}.agency.example. 300 IN A 192.0.2.1\n"),
                1,
                1,
                "",
            ),
            ("@ 300 IN MX 70000 mx1\n".into(), 1, 13, ""),
            (
                "_25._tcp.mx1 300 IN TLSA 3 1 1 ABCDEFXY\n".into(),
                1,
                38,
                "",
            ),
            ("@ 1x IN MX 10 mx1\n".into(), 1, 3, ""),
            (
                "@ 4294967296 IN MX 10 mx1\n".into(),
                1,
                3,
                "TTL out of range",
            ),
            (
                "$TTL 4294967296\n@ IN MX 10 mx1\n".into(),
                1,
                6,
                "TTL out of range",
            ),
        ];
        let mut wrong = Vec::new();
        for (zone, line, column, msg) in cases {
            let text = format!("$ORIGIN agency.example.\n{zone}");
            let e = import_zone(&text, "agency.example").unwrap_err();
            if (e.line, e.column) != (Some(line + 1), Some(column))
                || !e.message.contains(msg)
                || e.to_string().contains('\n')
            {
                wrong.push(format!(
                    "{zone:?} -> {e} (want {}:{column} {msg})",
                    line + 1
                ));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn maps_a_whole_zone() {
        let rep = import_zone(ZONE, "agency.example").unwrap();
        let d = &rep.design;
        assert_eq!(d.ttl, 3600);
        assert_eq!(d.level, Level::L2);
        assert_eq!(d.profile, Profile::Sge);
        assert_eq!(d.srv_label, "_secmx");
        let hosts: Vec<(&str, Role)> = d.relays.iter().map(|r| (r.host.as_str(), r.role)).collect();
        assert_eq!(
            hosts,
            vec![
                ("sor1.agency.example", Role::Sor),
                ("mx1.agency.example", Role::Ber),
                ("mx.provider.example", Role::Ber),
            ]
        );
        let mx1 = &d.relays[1];
        assert!(mx1.also_srv);
        assert_eq!((mx1.priority, mx1.preference), (20, 10));
        assert_eq!(mx1.addresses.len(), 2);
        assert_eq!(d.relays[0].tlsa, vec!["3 1 1 abcdef0123".to_string()]);
        assert_eq!(d.relays[0].addresses.len(), 1);
        let sts = d.mta_sts.as_ref().unwrap();
        assert_eq!(sts.id.as_deref(), Some("20260101T000000"));
        assert_eq!(
            d.tls_rpt.as_ref().unwrap().rua,
            vec!["mailto:a@agency.example", "mailto:b@agency.example"]
        );
        let sge = d.sge.as_ref().unwrap();
        assert_eq!(sge.spf.as_deref(), Some("v=spf1 mx -all"));
        assert_eq!(sge.dmarc.as_deref(), Some("v=DMARC1; p=reject"));
        // SOA, NS, ns1 A, submission SRV, verification TXT, CNAME.
        assert_eq!(rep.unmapped.len(), 6, "{:#?}", rep.unmapped);
        assert!(
            rep.unmapped
                .iter()
                .any(|u| u.starts_with("agency.example. 3600 NS ns1.agency.example. ;"))
        );
        assert!(rep.unmapped.iter().any(|u| u.contains("CNAME")));
        assert!(
            rep.unmapped
                .iter()
                .any(|u| u.contains("_submission._tcp") && u.contains("another service"))
        );
        // The 300-second MX is noted.
        assert!(
            rep.notes.iter().any(|n| n.contains("TTL 300 becomes 3600")),
            "{:#?}",
            rep.notes
        );
    }

    #[test]
    fn dkim_key_records_are_listed_not_lost() {
        let z = "$TTL 3600\n@ IN MX 10 mx1.agency.example.\ns1._domainkey IN TXT \"v=DKIM1; k=rsa; p=\"\n";
        let rep = import_zone(z, "agency.example").unwrap();
        assert_eq!(rep.unmapped.len(), 1, "{:#?}", rep.unmapped);
        assert!(
            rep.unmapped[0].contains("s1._domainkey"),
            "{:?}",
            rep.unmapped
        );
        assert!(
            rep.unmapped[0].contains("dkim_selectors = [\"s1\"]"),
            "{:?}",
            rep.unmapped
        );
    }

    #[test]
    fn null_mx_and_opt_out() {
        let z = "@ 3600 IN MX 0 .\n_secmx._tcp 3600 IN SRV 0 0 0 .\n";
        let rep = import_zone(z, "agency.example").unwrap();
        assert!(rep.design.null_mx);
        assert_eq!(rep.design.relays.len(), 1);
        assert_eq!(rep.design.relays[0].host, "");
        assert_eq!(rep.design.relays[0].role, Role::Sor);
        assert!(rep.unmapped.is_empty());
    }

    #[test]
    fn other_srv_label_is_detected() {
        let z = "$TTL 600\n_smtptls._tcp IN SRV 10 0 465 sor1\n_imaps._tcp IN SRV 0 1 993 imap\n_imaps._tcp IN SRV 0 1 993 imap2\n";
        let rep = import_zone(z, "agency.example").unwrap();
        assert_eq!(rep.design.srv_label, "_smtptls");
        assert_eq!(rep.design.relays[0].port, 465);
        assert_eq!(rep.design.ttl, 600);
        assert_eq!(rep.unmapped.len(), 2);
    }

    #[test]
    fn empty_zone_takes_dollar_ttl() {
        let rep = import_zone("$TTL 900\n; nothing\n", "agency.example").unwrap();
        assert_eq!(rep.design.ttl, 900);
        let rep = import_zone("", "agency.example").unwrap();
        assert_eq!(rep.design.ttl, DEFAULT_TTL);
    }

    #[test]
    fn missing_final_dot_doubles_the_origin() {
        let z = "$ORIGIN agency.example.\n$TTL 3600\n@ MX 10 mx1.agency.example\n";
        let rep = import_zone(z, "agency.example").unwrap();
        assert_eq!(
            rep.design.relays[0].host,
            "mx1.agency.example.agency.example"
        );
    }

    #[test]
    fn errors_carry_line_and_column() {
        let z = "$TTL 3600\n@ MX 10 mx1\n\nmx1 A 192.0.2.1\nmx1 A 192.0.2.x\nmx2 A 192.0.2.3\n";
        let e = import_zone(z, "agency.example").unwrap_err();
        assert_eq!(e.line, Some(5), "{e}");
        let z = "$TTL 3600\n@ MX 10 mx1\nmx1 FOOBAR 1\n";
        let e = import_zone(z, "agency.example").unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");
        assert_eq!(e.column, Some(5), "{e}");
        assert!(e.to_string().starts_with("3:5: "), "{e}");
        let z = "$TTL 3600\n@ TXT \"unclosed\n@ MX 10 mx1\n";
        let e = import_zone(z, "agency.example").unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
        assert_eq!(e.column, Some(7), "{e}");
    }

    #[test]
    fn derived_sts_id_and_upper_case_tlsa_come_back_as_written() {
        use crate::zone::{ExportOptions, export_zone};
        let mut d = Design::new(DomainName::parse("agency.example").unwrap());
        let mut r = Relay::new("mx1.agency.example", Role::Ber);
        r.tlsa = vec!["3 1 1 ABCDEF".into()];
        d.relays.push(r);
        d.mta_sts = Some(MtaSts {
            mode: StsMode::Enforce,
            max_age: 604800,
            id: None,
            mx: vec![],
            policy_sha256: None,
        });
        let opts = ExportOptions::default();
        let t1 = export_zone(&d, &opts);
        let rep = import_zone(&t1, "agency.example").unwrap();
        assert_eq!(
            rep.design.mta_sts.as_ref().unwrap().id.as_deref(),
            Some(crate::zone::sts_id(&d).as_str())
        );
        assert_eq!(rep.design.relays[0].tlsa, vec!["3 1 1 abcdef".to_string()]);
        assert_eq!(export_zone(&rep.design, &opts), t1);
    }

    #[test]
    fn include_is_refused() {
        let e = import_zone("$TTL 1 $INCLUDE /etc/passwd\n", "agency.example").unwrap_err();
        assert_eq!((e.line, e.column), (Some(1), Some(8)));
    }
}
