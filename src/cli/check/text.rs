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

/// The key rollover plan of each design relay that names a next key (the report's `rollover`,
/// [`crate::live::rollover`]).
pub(super) fn write_plans(out: &mut dyn Write, r: &LiveReport) -> std::io::Result<()> {
    if r.rollover.is_empty() {
        return Ok(());
    }
    writeln!(out, "  Key rollover plan:")?;
    for p in &r.rollover {
        writeln!(out, "    {} (TTL {} s):", p.owner, p.ttl)?;
        for s in &p.steps {
            writeln!(out, "      {}", s.text)?;
        }
    }
    Ok(())
}
