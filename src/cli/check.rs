//! `secmx check` (static rules + what DNS publishes now: RRsets with statuses and DNSSEC proofs, drift
//! against the design, the live rules) and `secmx import --domain NAME --from-dns`.
//!
//! The lookups run on a tokio runtime built here; with `--format jsonl` every DNS event is printed as
//! it happens (the fetch runs on the runtime, this thread prints from a channel), then the report.

use crate::event::{Event, EventSink, RunId};
use crate::model::{Design, Level, Profile, normalize_name};
use crate::project;
use crate::resolve::{self, Drift, Plan, Published, RRset, Resolver, Settings};
use crate::rules::{self, Finding, Needs, Options, Prepared, Summary};
use clap::ValueEnum;
use serde::Serialize;
use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// `check --format`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum CheckFormat {
    /// Findings, then the RRsets and the drift.
    Text,
    /// interfaces.md §3: `domain`, `findings`, `dns.rrsets`, `dns.drift`.
    Json,
    /// One JSON event per line as it happens, then the report on one line.
    Jsonl,
}

/// The network options shared by `check` and `import --from-dns`.
#[derive(Debug, Clone, clap::Args)]
pub struct NetArgs {
    /// A nameserver to ask instead of the system resolver (UDP with TCP fallback), `IP:PORT`.
    #[arg(long, value_name = "IP:PORT")]
    pub resolver: Option<SocketAddr>,
    /// DNSSEC trust anchor file (DNSKEY lines); default: the bundled root anchors.
    #[arg(long, value_name = "FILE")]
    pub trust_anchor: Option<PathBuf>,
    /// Seconds allowed for one query.
    #[arg(long, value_name = "SECS", default_value_t = 5.0)]
    pub timeout: f64,
    /// Queries in flight at once.
    #[arg(long, value_name = "N", default_value_t = 256)]
    pub concurrency: usize,
}

impl NetArgs {
    fn settings(&self) -> Result<Settings, String> {
        if !(self.timeout.is_finite() && self.timeout > 0.0 && self.timeout <= 3600.0) {
            return Err(format!(
                "--timeout {}: give a number of seconds between 0 and 3600",
                self.timeout
            ));
        }
        Ok(Settings {
            nameserver: self.resolver,
            trust_anchor: self.trust_anchor.clone(),
            timeout: Duration::from_secs_f64(self.timeout),
            validate: true,
            concurrency: self.concurrency.clamp(1, 1024),
        })
    }
}

/// The JSON `dns` part of the report.
#[derive(Debug, Serialize)]
pub struct DnsReport {
    /// Every question asked and its answer.
    pub rrsets: Vec<RRset>,
    /// Designed vs published (empty without a design).
    pub drift: Vec<Drift>,
    /// Wall time of all lookups.
    pub elapsed_ms: u64,
}

/// Options of the live relay probes in `check`.
#[derive(Debug, Clone, clap::Args)]
pub struct ProbeOpts {
    /// Skip the relay probes (rules + DNS only).
    #[arg(long)]
    pub no_probe: bool,
    /// Extra PEM trust roots for certificate checks (e.g. a private CA).
    #[arg(long, value_name = "FILE")]
    pub ca: Option<PathBuf>,
    /// The EHLO name the probes announce.
    #[arg(long, value_name = "NAME")]
    pub ehlo: Option<String>,
    /// Relay addresses probed at once (at most one connection per address at a time).
    #[arg(long, value_name = "N", default_value_t = 16)]
    pub probe_concurrency: usize,
    /// Seconds allowed for each probe step (connect, greeting, each reply, handshake); default:
    /// connect 10 s, replies 30 s, greeting 300 s.
    #[arg(long, value_name = "SECS")]
    pub probe_timeout: Option<u64>,
    /// Skip the extra handshakes (SNI and key-type variants, weak-cipher tests).
    #[arg(long)]
    pub quick: bool,
    /// Port of the MTA-STS policy host (tests run it on a private port; senders always use 443).
    #[arg(long, value_name = "PORT", hide = true)]
    pub mta_sts_port: Option<u16>,
    /// A local source address to probe from as well (repeatable): one more greeting/EHLO/QUIT
    /// connection per relay address of the same family, to compare what each client is offered
    /// (PROBE-012).
    #[arg(long = "source", value_name = "IP")]
    pub sources: Vec<std::net::IpAddr>,
}

/// The `check` report (interfaces.md §3).
#[derive(Debug, Serialize)]
pub struct CheckReport {
    /// The design file, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The mail domain.
    pub domain: String,
    /// Counts per severity.
    pub summary: Summary,
    /// The findings, errors first.
    pub findings: Vec<Finding>,
    /// What DNS publishes (`null` with `--offline`).
    pub dns: Option<DnsReport>,
    /// One probe per relay address (`null` with `--offline` or `--no-probe`).
    pub probes: Option<Vec<crate::probe::ProbeReport>>,
    /// Per relay over all its addresses (PROBE-028).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relays: Option<Vec<crate::probe::report::RelaySummary>>,
    /// The MTA-STS policy fetch, when the domain publishes `_mta-sts`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mta_sts_policy: Option<crate::probe::sts::PolicyFetch>,
    /// SOR-007: what a Secure Only Sender and a Best Effort Sender would do with the published
    /// relays, given the probes (`null` without probes).
    pub simulation: Option<crate::probe::simulate::Simulation>,
}

/// A sink that forwards events to a channel when `stream` is on (the caller prints them from this
/// thread while the work runs on the runtime), or drops them.
fn event_stream(stream: bool) -> (EventSink, Option<std::sync::mpsc::Receiver<Event>>) {
    if !stream {
        return (crate::event::discard(), None);
    }
    let (tx, rx) = std::sync::mpsc::channel::<Event>();
    let tx = std::sync::Mutex::new(tx);
    let sink: EventSink = Arc::new(move |e| {
        if let Ok(t) = tx.lock() {
            let _ = t.send(e);
        }
    });
    (sink, Some(rx))
}

/// Print every event as one JSON line until the sender side is gone (the work finished).
fn print_events(rx: Option<std::sync::mpsc::Receiver<Event>>, out: &mut dyn Write) {
    for ev in rx.iter().flatten() {
        if let Ok(line) = serde_json::to_string(&ev) {
            let _ = writeln!(out, "{line}");
        }
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))
}

/// Fetch the published state; with `stream` every event is written to `out` as it happens.
fn fetch_published(
    net: &NetArgs,
    plan: &Plan,
    stream: bool,
    out: &mut dyn Write,
) -> Result<Published, String> {
    let settings = net.settings()?;
    let rt = runtime()?;
    let (sink, rx) = event_stream(stream);
    let plan = plan.clone();
    let handle = rt.spawn(async move {
        let resolver = Resolver::new(&settings).await.map_err(|e| e.to_string())?;
        Ok::<Published, String>(resolve::fetch(&resolver, &plan, RunId(1), &sink).await)
    });
    print_events(rx, out);
    rt.block_on(handle)
        .map_err(|e| format!("the DNS lookups stopped: {e}"))?
}

/// Run `secmx check`.
pub fn check(
    design_path: Option<&Path>,
    domain: Option<&str>,
    net: &NetArgs,
    popts: &ProbeOpts,
    offline: bool,
    format: CheckFormat,
    out: &mut dyn Write,
) -> Result<u8, String> {
    let design: Option<Design> = match design_path {
        Some(p) => Some(project::load_design(p).map_err(|e| e.to_string())?),
        None => None,
    };
    let domain = match (&design, domain) {
        (Some(d), Some(n)) if normalize_name(n) != d.domain.as_str() => {
            return Err(format!(
                "--domain {n} does not match the design's domain {}",
                d.domain.as_str()
            ));
        }
        (Some(d), _) => d.domain.as_str().to_string(),
        (None, Some(n)) => crate::model::DomainName::parse(n)
            .map_err(|e| format!("--domain {n}: {e}"))?
            .as_str()
            .to_string(),
        (None, None) => return Err("check needs a DESIGN file or --domain NAME".into()),
    };
    let plan = match &design {
        Some(d) => Plan::for_design(d),
        None => Plan::for_domain(&domain),
    };
    let published = if offline {
        None
    } else {
        Some(fetch_published(
            net,
            &plan,
            format == CheckFormat::Jsonl,
            out,
        )?)
    };
    if let Some(p) = &published
        && !p.rrsets.is_empty()
        && p.rrsets.iter().all(|s| {
            matches!(
                s.status,
                resolve::Status::Timeout | resolve::Status::Refused | resolve::Status::Error
            )
        })
    {
        let server = net
            .resolver
            .map(|a| a.to_string())
            .unwrap_or_else(|| "the system resolver".into());
        let first = &p.rrsets[0];
        return Err(format!(
            "no DNS answer for {domain} from {server}: every query failed ({}{})",
            first.status.as_str(),
            first
                .detail
                .as_deref()
                .map(|d| format!(": {d}"))
                .unwrap_or_default()
        ));
    }
    let probes = match &published {
        Some(p) if !popts.no_probe => Some(run_probes(
            p,
            design.as_ref(),
            net,
            popts,
            format == CheckFormat::Jsonl,
            out,
        )?),
        _ => None,
    };
    let prepared = design.as_ref().map(Prepared::from_design);
    let mut findings = Vec::new();
    if let (Some(d), Some(prep)) = (&design, &prepared) {
        let mut input = prep.input(d);
        input.live = published.as_ref();
        input.probes = probes.as_ref();
        findings = rules::run(&input, &[Needs::Static, Needs::Dns, Needs::Probe]);
    }
    if let Some(p) = &published {
        let (profile, options) = match &design {
            Some(d) => (
                d.profile,
                Options {
                    test_domain: d.test_domain,
                    secure_only: d.secure_only,
                },
            ),
            None => (Profile::Secmx, Options::default()),
        };
        let mut input = rules::live::published_input(p, profile, options);
        if let Some(d) = &design {
            input.level = if d.level == Level::L2 {
                Level::L2
            } else {
                input.level
            };
        }
        if design.is_some() {
            // The static rules judge what is published too; keep only what the design did not
            // already raise.
            for mut f in rules::run(&input, &[Needs::Static]) {
                let dup = findings
                    .iter()
                    .any(|g| g.rule == f.rule && g.subject == f.subject && g.message == f.message);
                if !dup {
                    f.message.push_str(" (as published)");
                    findings.push(f);
                }
            }
        } else {
            input.probes = probes.as_ref();
            findings = rules::run(&input, &[Needs::Static, Needs::Dns, Needs::Probe]);
        }
    }
    rules::sort_findings(&mut findings);
    let simulation = match (&probes, &published) {
        (Some(f), Some(p)) => Some(f.simulate(
            &p.records,
            &p.domain,
            &format!("{}._tcp.{}", p.srv_label, p.domain),
        )),
        _ => None,
    };
    let dns = published.map(|p| DnsReport {
        drift: prepared
            .as_ref()
            .map(|prep| resolve::drift(&prep.records, &p))
            .unwrap_or_default(),
        elapsed_ms: p.elapsed_ms,
        rrsets: p.rrsets,
    });
    let report = CheckReport {
        simulation,
        file: design_path.map(|p| p.display().to_string()),
        domain,
        summary: Summary::of(&findings),
        findings,
        dns,
        relays: probes.as_ref().map(|f| crate::probe::summarize(&f.reports)),
        mta_sts_policy: probes.as_ref().and_then(|f| f.policy.clone()),
        probes: probes.map(|f| f.reports),
    };
    let io = |e: std::io::Error| format!("cannot write output: {e}");
    match format {
        CheckFormat::Json => {
            let text = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
            writeln!(out, "{text}").map_err(io)?;
        }
        CheckFormat::Jsonl => {
            let text = serde_json::to_string(&report).map_err(|e| e.to_string())?;
            writeln!(out, "{text}").map_err(io)?;
        }
        CheckFormat::Text => write_text(out, &report).map_err(io)?,
    }
    Ok(if report.summary.errors > 0 {
        super::EXIT_FINDINGS
    } else {
        super::EXIT_OK
    })
}

fn write_text(out: &mut dyn Write, r: &CheckReport) -> std::io::Result<()> {
    let file = r.file.clone().unwrap_or_else(|| "(published)".into());
    super::write_findings_text(out, &file, &r.domain, &r.findings)?;
    match &r.dns {
        None => writeln!(out, "  DNS: not asked (--offline)")?,
        Some(dns) => {
            writeln!(
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
                writeln!(out, "{}", line.trim_end())?;
            }
            if !dns.drift.is_empty() {
                writeln!(out, "  DRIFT (designed vs published):")?;
                for d in &dns.drift {
                    let change = match d.change {
                        resolve::Change::Missing => "missing",
                        resolve::Change::Extra => "extra",
                        resolve::Change::Different => "different",
                        resolve::Change::Unknown => "unknown",
                    };
                    writeln!(
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
        None => writeln!(out, "  Probes: not run (--offline or --no-probe)")?,
        Some(probes) => {
            writeln!(out, "  Probes ({} relay addresses):", probes.len())?;
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
                writeln!(
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
                    writeln!(out, "                  stopped: {e}")?;
                }
            }
        }
    }
    if let Some(sim) = &r.simulation {
        writeln!(out, "  Sender simulation (SOR-007):")?;
        for (who, run) in [
            ("Secure Only Sender", &sim.sos),
            ("Best Effort Sender", &sim.bes),
        ] {
            let to = run
                .delivered_to
                .as_deref()
                .map(|h| format!(" to {h}"))
                .unwrap_or_default();
            writeln!(
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

/// Run `secmx import --domain NAME --from-dns`.
pub fn import_dns(
    domain: &str,
    net: &NetArgs,
    output: Option<&Path>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<u8, String> {
    let name =
        crate::model::DomainName::parse(domain).map_err(|e| format!("--domain {domain}: {e}"))?;
    let published = fetch_published(net, &Plan::for_domain(name.as_str()), false, out)?;
    let failed: Vec<&RRset> = published
        .rrsets
        .iter()
        .filter(|s| !s.status.is_answer())
        .collect();
    for s in &failed {
        let _ = writeln!(
            err,
            "secmx: note: {} {} lookup failed: {}",
            s.name,
            s.rtype,
            s.status.as_str()
        );
    }
    if published
        .rrset(name.as_str(), "MX")
        .is_some_and(|s| !s.status.is_answer())
    {
        return Err(format!(
            "{}: the MX lookup failed; nothing to import",
            name.as_str()
        ));
    }
    let imp = resolve::import::design_from_published(&published).map_err(|e| e.to_string())?;
    for n in &imp.notes {
        let _ = writeln!(err, "secmx: note: {n}");
    }
    let toml = project::design_to_toml(&imp.design).map_err(|e| e.to_string())?;
    match output {
        Some(o) => project::write_atomic(o, toml.as_bytes()).map_err(|e| e.to_string())?,
        None => out
            .write_all(toml.as_bytes())
            .map_err(|e| format!("cannot write output: {e}"))?,
    }
    Ok(super::EXIT_OK)
}

/// Probe every relay address the domain publishes (and fetch its MTA-STS policy when `_mta-sts` is
/// published); with `stream` every probe event is written to `out` as it happens.
fn run_probes(
    published: &Published,
    design: Option<&Design>,
    net: &NetArgs,
    popts: &ProbeOpts,
    stream: bool,
    out: &mut dyn Write,
) -> Result<crate::probe::ProbeFacts, String> {
    use crate::probe::{self, CancelHandle, ProbeConfig};
    let targets = probe::plan::targets_from_published(published, design);
    let mut cfg = ProbeConfig::from_options(
        popts.ca.as_deref(),
        popts.ehlo.as_deref(),
        popts.probe_timeout,
    )?;
    cfg.judge = Some(crate::rules::probe_judge::judge);
    cfg.sources = popts.sources.clone();
    cfg.extra_handshakes = !popts.quick;
    let publishes_sts = published
        .records
        .txt_at(&format!("_mta-sts.{}", published.domain))
        .any(|(_, t)| t.starts_with("v=STSv1"));
    let mut sts_cfg = probe::sts::StsConfig::new(cfg.roots.clone(), cfg.provider.clone());
    sts_cfg.port = popts.mta_sts_port;
    if let Some(t) = popts.probe_timeout {
        sts_cfg.timeout = Duration::from_secs(t.max(1));
    }
    let settings = net.settings()?;
    let domain = published.domain.clone();
    let concurrency = popts.probe_concurrency.clamp(1, 256);
    let rt = runtime()?;
    let (sink, rx) = event_stream(stream);
    let mut targets = targets;
    let job = rt.spawn(async move {
        // PTR names of every relay address (PROBE-004): DNS queries through our resolver settings.
        let ptr = resolve::ptr_resolver(&settings)
            .await
            .map_err(|e| e.to_string())?;
        probe::names::lookup_ptrs(&ptr, &mut targets).await;
        // The policy host is resolved through our own resolver settings, like everything else.
        let sts_job = if publishes_sts {
            let resolver = Resolver::new(&settings).await.map_err(|e| e.to_string())?;
            let host = format!("mta-sts.{domain}");
            let mut address = None;
            for rtype in [
                hickory_resolver::proto::rr::RecordType::A,
                hickory_resolver::proto::rr::RecordType::AAAA,
            ] {
                let set = resolver
                    .query(&host, rtype, RunId(1), &crate::event::discard())
                    .await;
                if let Some(ip) = set.records.iter().find_map(|r| r.parse().ok()) {
                    address = Some(ip);
                    break;
                }
            }
            let mut sts_cfg = sts_cfg;
            sts_cfg.address = address.map(|ip| SocketAddr::new(ip, sts_cfg.port.unwrap_or(443)));
            Some(tokio::spawn(async move {
                probe::sts::fetch_policy(&domain, &sts_cfg).await
            }))
        } else {
            None
        };
        let (cancel_handle, cancel) = CancelHandle::new();
        super::cancel_on_interrupt(cancel_handle);
        let mut reports =
            probe::run_all(targets, Arc::new(cfg), concurrency, RunId(1), sink, cancel).await;
        let policy = match sts_job {
            Some(j) => Some(j.await.map_err(|e| format!("MTA-STS fetch failed: {e}"))?),
            None => None,
        };
        if let Some(p) = &policy {
            for r in &mut reports {
                probe::sts::apply(p, r);
            }
        }
        Ok::<_, String>(probe::ProbeFacts { reports, policy })
    });
    print_events(rx, out);
    rt.block_on(job)
        .map_err(|e| format!("the relay probes stopped: {e}"))?
}

/// The serde spelling of a unit enum value (`"no-tlsa"`), so the text output matches the JSON.
fn spelling<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}
