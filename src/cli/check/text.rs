//! The text form of the live report (`--format text`), the rollover plans included.

use super::*;

pub(crate) fn write_text(out: &mut dyn Write, r: &LiveReport) -> std::io::Result<()> {
    let file = r.file.clone().unwrap_or_else(|| "(published)".into());
    super::super::write_findings_text(out, &file, &r.domain, &r.findings)?;
    match &r.dns {
        None => tline!(out, "  DNS: not asked (--offline)")?,
        Some(dns) => {
            tline!(
                out,
                "  DNS ({} queries in {} ms):",
                dns.rrsets.len(),
                dns.elapsed_ms
            )?;
            for s in &dns.rrsets {
                let ttl = s.ttl.map(|t| t.to_string()).unwrap_or_else(|| "-".into());
                let mut line = format!(
                    "    {:<40} {:<5} {:<8} {:<13} ttl {:<6}",
                    s.name,
                    s.rtype,
                    s.status.as_str(),
                    s.dnssec.as_str(),
                    ttl
                );
                if let Some(c) = &s.cname {
                    line.push_str(&format!(" CNAME {c}"));
                }
                if !s.records.is_empty() {
                    line.push(' ');
                    line.push_str(&s.records.join(" | "));
                }
                if let Some(d) = &s.detail {
                    line.push_str(&format!(" ({d})"));
                }
                tline!(out, "{}", line.trim_end())?;
            }
            if !dns.drift.is_empty() {
                tline!(out, "  DRIFT (designed vs published):")?;
                for d in &dns.drift {
                    let change = match d.change {
                        resolve::Change::Missing => "missing",
                        resolve::Change::Extra => "extra",
                        resolve::Change::Different => "different",
                        resolve::Change::Unknown => "unknown",
                    };
                    tline!(
                        out,
                        "    {change:<9} {} {}: designed [{}] ttl {} / published [{}] ttl {}{}",
                        d.name,
                        d.rtype,
                        d.designed.join(" | "),
                        d.designed_ttl
                            .map(|t| t.to_string())
                            .unwrap_or_else(|| "-".into()),
                        d.published.join(" | "),
                        d.published_ttl
                            .map(|t| t.to_string())
                            .unwrap_or_else(|| "-".into()),
                        d.detail
                            .as_deref()
                            .map(|x| format!(" ({x})"))
                            .unwrap_or_default()
                    )?;
                }
            }
        }
    }
    match &r.probes {
        None => tline!(out, "  Probes: not run (--offline or --no-probe)")?,
        Some(probes) => {
            tline!(out, "  Probes ({} relay addresses):", probes.len())?;
            for p in probes {
                let tls = p
                    .tls
                    .as_ref()
                    .and_then(|t| t.version.clone())
                    .unwrap_or_else(|| "no TLS".into());
                let pkix = p
                    .certificate
                    .as_ref()
                    .map(|c| spelling(&c.pkix))
                    .unwrap_or_else(|| "-".into());
                tline!(
                    out,
                    "    {:<13} {} {}:{} {} via {}: {tls}, pkix {pkix}, dane {}, {} ms",
                    spelling(&p.verdict).to_uppercase(),
                    p.host,
                    p.address,
                    p.port,
                    spelling(&p.role),
                    p.via.as_deref().unwrap_or("-"),
                    spelling(&p.dane),
                    p.timings_ms.total
                )?;
                if let Some(e) = &p.error {
                    tline!(out, "                  stopped: {e}")?;
                }
            }
        }
    }
    if let Some(sim) = &r.simulation {
        tline!(out, "  Sender simulation (SOR-007):")?;
        for (who, run) in [
            ("Secure Only Sender", &sim.sos),
            ("Best Effort Sender", &sim.bes),
        ] {
            let to = run
                .delivered_to
                .as_deref()
                .map(|h| format!(" to {h}"))
                .unwrap_or_default();
            tline!(
                out,
                "    {who}: {}{to}; tried {}",
                spelling(&run.outcome),
                if run.tried.is_empty() {
                    "nothing (no relay published)".to_string()
                } else {
                    run.tried_words()
                }
            )?;
        }
    }
    Ok(())
}

/// The serde spelling of a unit enum value (`"no-tlsa"`), so the text output matches the JSON.
pub(super) fn spelling<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The key rollover plan of each design relay that names a next key (`next_tlsa`, `next_key`):
/// publish the next record, switch the key two TTLs after it was first seen published, remove the
/// old records two TTLs after the switch. Dates come from the history when there is one.
pub(super) fn write_plans(
    out: &mut dyn Write,
    design: &Design,
    r: &LiveReport,
    history: Option<&crate::history::History>,
) -> std::io::Result<()> {
    let relays: Vec<_> = design
        .relays
        .iter()
        .filter(|x| !x.next_records().is_empty())
        .collect();
    if relays.is_empty() {
        return Ok(());
    }
    writeln!(out, "  Key rollover plan:")?;
    for relay in relays {
        let owner = format!("_{}._tcp.{}", relay.tlsa_port(), relay.host);
        let published = r.dns.as_ref().and_then(|d| {
            d.rrsets
                .iter()
                .find(|s| s.rtype == "TLSA" && s.owner() == owner)
        });
        let ttl = published
            .and_then(|s| s.ttl)
            .map(i64::from)
            .unwrap_or(design.ttl);
        let live: Option<Vec<String>> = published.map(|s| {
            s.records
                .iter()
                .map(|x| crate::model::normalize_tlsa(x))
                .collect()
        });
        let next = relay.next_records();
        let old: Vec<String> = relay
            .tlsa
            .iter()
            .map(|t| crate::model::normalize_tlsa(t))
            .filter(|t| !next.contains(t))
            .collect();
        let served: Vec<String> = r
            .probes
            .iter()
            .flatten()
            .filter(|p| p.host == relay.host && i64::from(p.port) == relay.tlsa_port())
            .filter_map(|p| p.certificate.as_ref()?.chain.first())
            .map(|c| format!("3 1 1 {}", c.spki_sha256))
            .collect();
        let switched = !served.is_empty() && served.iter().all(|k| next.contains(k));
        writeln!(out, "    {owner} (TTL {ttl} s):")?;
        let unpublished: Vec<&String> = next
            .iter()
            .filter(|n| live.as_ref().is_none_or(|l| !l.contains(n)))
            .collect();
        if !unpublished.is_empty() {
            for n in &unpublished {
                writeln!(out, "      now: publish {n}")?;
            }
            writeln!(
                out,
                "      after 2×TTL ({} s) from publication: switch the key",
                2 * ttl
            )?;
        } else if switched {
            writeln!(out, "      done: the relay serves the next key")?;
        } else {
            let seen = next
                .iter()
                .filter_map(|n| {
                    history.and_then(|h| h.tlsa_first_seen(&r.domain, &owner, n).ok().flatten())
                })
                .max();
            match seen {
                Some(t) => writeln!(
                    out,
                    "      after {}: switch the key (2×TTL from when the next record was first seen, {})",
                    crate::history::when(t + 2 * ttl),
                    crate::history::when(t)
                )?,
                None => writeln!(
                    out,
                    "      after 2×TTL ({} s) from publication: switch the key (published now; save runs with --save for a date)",
                    2 * ttl
                )?,
            }
        }
        for o in &old {
            if switched {
                writeln!(
                    out,
                    "      after 2×TTL ({} s) from the switch: remove {o}",
                    2 * ttl
                )?;
            } else {
                writeln!(out, "      after the switch + 2×TTL: remove {o}")?;
            }
        }
    }
    Ok(())
}
