//! `secmx check` (static rules + what DNS publishes now: RRsets with statuses and DNSSEC proofs, drift
//! against the design, the live rules, the relay probes) and `secmx import --domain NAME --from-dns`.
//!
//! `check` is a thin shell around the one live check, [`crate::live::run`]: it builds the plan and
//! the settings from the command line, runs it on a tokio runtime built here, and prints the
//! report; with `--format jsonl` every event is printed as it happens (the run is on the runtime,
//! this thread prints from a channel), then the report.

use crate::event::{Event, EventSink, RunId};
use crate::live::{LivePlan, LiveReport, LiveSettings};
use crate::model::{Design, normalize_name};
use crate::probe::ProbeConfig;
use crate::project;
use crate::resolve::{self, Plan, Published, RRset, Resolver, Settings};
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
    /// The JSON report: `domain`, `findings`, `dns`, `probes`, `relays`, `simulation`.
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
    /// Seconds allowed for every network step: each DNS query, each probe's connect, greeting,
    /// reply and handshake, and the MTA-STS policy fetch (a relay's whole probe gets at most
    /// 4 times as long per attempt). Default: DNS 5 s; probes connect 10 s, greeting 30 s,
    /// replies and handshake 30 s; policy fetch 30 s.
    #[arg(long, value_name = "SECS")]
    pub timeout: Option<f64>,
    /// Queries in flight at once.
    #[arg(long, value_name = "N", default_value_t = 256)]
    pub concurrency: usize,
    /// Port of the domain's authoritative servers (`import --from-dns` asks them for the TTLs;
    /// tests run them on a private port, the Internet on 53).
    #[arg(long, value_name = "PORT", hide = true, default_value_t = 53)]
    pub authoritative_port: u16,
}

impl NetArgs {
    /// The step timeout of `--timeout`, range-checked.
    fn step_timeout(&self) -> Result<Option<Duration>, String> {
        match self.timeout {
            None => Ok(None),
            Some(t) if t.is_finite() && t > 0.0 && t <= 3600.0 => {
                Ok(Some(Duration::from_secs_f64(t)))
            }
            Some(t) => Err(format!(
                "--timeout {t}: give a number of seconds between 0 and 3600"
            )),
        }
    }

    fn settings(&self) -> Result<Settings, String> {
        Ok(Settings {
            nameserver: self.resolver,
            trust_anchor: self.trust_anchor.clone(),
            timeout: self.step_timeout()?.unwrap_or(Duration::from_secs(5)),
            validate: true,
            concurrency: self.concurrency.clamp(1, 1024),
        })
    }
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
    /// Also trust the operating system's CA store (honours SSL_CERT_FILE / SSL_CERT_DIR), beside
    /// the bundled Mozilla roots and --ca.
    #[arg(long)]
    pub system_roots: bool,
    /// The EHLO name the probes announce.
    #[arg(long, value_name = "NAME")]
    pub ehlo: Option<String>,
    /// Relay addresses probed at once (at most one connection per address at a time).
    #[arg(long, value_name = "N", default_value_t = 16)]
    pub probe_concurrency: usize,
    /// Seconds allowed for each probe step (connect, greeting, each reply, handshake), finer than
    /// --timeout; e.g. 300 to wait for a greeting as long as an MTA does (RFC 5321 §4.5.3.2).
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

/// History options of `check`.
#[derive(Debug, Clone, clap::Args)]
pub struct SaveOpts {
    /// Store this run in the history (SQLite; see `secmx history`, `secmx diff`).
    #[arg(long)]
    pub save: bool,
    /// The history database (default `$XDG_DATA_HOME/secmx/history.sqlite`); also read for the
    /// rollover plan's dates without --save.
    #[arg(long, value_name = "FILE")]
    pub history: Option<PathBuf>,
    /// With --save: exit with status 4 when something got worse since the previous saved run of
    /// the domain (what `secmx diff` marks as a regression).
    #[arg(long, requires = "save")]
    pub fail_on_regression: bool,
}

/// The history file of `--history`, or the default one.
fn history_path(given: Option<&Path>) -> Result<PathBuf, String> {
    match given {
        Some(p) => Ok(p.to_path_buf()),
        None => crate::history::default_path(),
    }
}

/// The settings of a live run from the command line's options.
pub(crate) fn live_settings(net: &NetArgs, popts: &ProbeOpts) -> Result<LiveSettings, String> {
    let step = net.step_timeout()?;
    let mut probe = ProbeConfig::from_options(popts.ca.as_deref(), popts.ehlo.as_deref(), None)?;
    probe.timeouts = crate::probe::Timeouts::interactive(step);
    if let Some(t) = popts.probe_timeout {
        let t = crate::probe::checked_secs(t, "--probe-timeout")?;
        probe.timeouts = crate::probe::Timeouts::interactive(Some(t));
    }
    probe.backoff = probe.backoff.min(probe.timeouts.reply);
    probe.sources = popts.sources.clone();
    probe.extra_handshakes = !popts.quick;
    if popts.system_roots {
        probe.add_system_roots()?;
    }
    Ok(LiveSettings {
        resolve: net.settings()?,
        probe,
        probe_concurrency: popts.probe_concurrency.clamp(1, 256),
        mta_sts_port: popts.mta_sts_port,
        mta_sts_timeout: step.unwrap_or(Duration::from_secs(30)),
        ptr: true,
        use_resolver_for_probe_only: false,
    })
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
pub(crate) fn print_events(rx: Option<std::sync::mpsc::Receiver<Event>>, out: &mut dyn Write) {
    for ev in rx.iter().flatten() {
        if let Ok(line) = serde_json::to_string(&ev) {
            let _ = writeln!(out, "{line}");
            let _ = out.flush();
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

/// Run the one live check ([`crate::live::run`]) on a runtime built here; with `stream` every
/// event is written to `out` as it happens. Ctrl-C cancels it (the report says so).
pub(crate) fn run_live(
    plan: LivePlan,
    settings: LiveSettings,
    stream: bool,
    out: &mut dyn Write,
) -> Result<LiveReport, String> {
    let rt = runtime()?;
    let (sink, rx) = event_stream(stream);
    let handle = rt.spawn(async move {
        let (cancel_handle, cancel) = crate::probe::CancelHandle::new();
        super::cancel_on_interrupt(cancel_handle);
        crate::live::run(&plan, &settings, RunId(1), sink, cancel).await
    });
    print_events(rx, out);
    rt.block_on(handle)
        .map_err(|e| format!("the live check stopped: {e}"))?
        .map_err(|e| e.to_string())
}

/// Fetch the published state of a plan (DNS only; `import --from-dns`), with the TTLs of the
/// zone's authoritative servers (asked directly, without recursion): a recursive resolver hands
/// out its cache's countdown, which is no TTL to design with. Returns notes for stderr.
fn fetch_published(net: &NetArgs, plan: &Plan) -> Result<(Published, Vec<String>), String> {
    let settings = net.settings()?;
    let rt = runtime()?;
    let plan = plan.clone();
    let port = net.authoritative_port;
    let handle = rt.spawn(async move {
        let resolver = Resolver::new(&settings).await.map_err(|e| e.to_string())?;
        let published = resolve::fetch(&resolver, &plan, RunId(1), &crate::event::discard()).await;
        Ok::<_, String>(authoritative_ttls(&resolver, &settings, &plan, published, port).await)
    });
    rt.block_on(handle)
        .map_err(|e| format!("the DNS lookups stopped: {e}"))?
}

/// The zone that holds `domain` (the closest name with an NS RRset) and its servers' addresses.
async fn zone_servers(
    resolver: &Resolver,
    domain: &str,
) -> Option<(String, Vec<std::net::IpAddr>)> {
    use hickory_resolver::proto::rr::RecordType;
    let discard = crate::event::discard();
    let mut name = domain.to_string();
    loop {
        let ns = resolver
            .query(&name, RecordType::NS, RunId(1), &discard)
            .await;
        let hosts: Vec<String> = if ns.status == resolve::Status::Ok && ns.cname.is_none() {
            ns.records
                .iter()
                .map(|h| h.trim_end_matches('.').to_string())
                .filter(|h| !h.is_empty())
                .collect()
        } else {
            Vec::new()
        };
        if !hosts.is_empty() {
            let mut addrs = Vec::new();
            for h in &hosts {
                for t in [RecordType::A, RecordType::AAAA] {
                    let set = resolver.query(h, t, RunId(1), &discard).await;
                    addrs.extend(
                        set.records
                            .iter()
                            .filter_map(|a| a.parse::<std::net::IpAddr>().ok()),
                    );
                }
            }
            return Some((name, addrs));
        }
        name = name.split_once('.')?.1.to_string();
        if name.is_empty() {
            return None;
        }
    }
}

/// Replace every RRset of the zone with its authoritative server's answer (the zone file's TTL).
async fn authoritative_ttls(
    resolver: &Resolver,
    settings: &Settings,
    plan: &Plan,
    published: Published,
    port: u16,
) -> (Published, Vec<String>) {
    let mut notes = Vec::new();
    let Some((zone, addrs)) = zone_servers(resolver, &published.domain).await else {
        notes.push(format!(
            "TTLs: no NS RRset found for {} or above it; the TTLs are the resolver's, which may have counted them down",
            published.domain
        ));
        return (published, notes);
    };
    for ip in addrs {
        let server = SocketAddr::new(ip, port);
        let Ok(auth) = Resolver::authoritative(settings, server).await else {
            continue;
        };
        let direct = resolve::fetch(&auth, plan, RunId(1), &crate::event::discard()).await;
        if !direct.rrsets.iter().any(|s| s.status.is_answer()) {
            continue;
        }
        let mut from_cache = Vec::new();
        let rrsets: Vec<RRset> = published
            .rrsets
            .iter()
            .map(|s| {
                match direct
                    .rrset(&s.name, &s.rtype)
                    .filter(|d| d.status == s.status && d.status.is_answer())
                {
                    Some(d) => d.clone(),
                    None => {
                        if s.status == resolve::Status::Ok {
                            from_cache.push(format!("{} {}", s.name, s.rtype));
                        }
                        s.clone()
                    }
                }
            })
            .collect();
        if !from_cache.is_empty() {
            notes.push(format!(
                "TTLs of {} come from the resolver, not from {zone}'s server {server} (outside the zone or no answer there)",
                crate::rules::sts::short_list(&from_cache, 5)
            ));
        }
        let p = Published::from_rrsets(
            &published.domain,
            &published.srv_label,
            rrsets,
            published.elapsed_ms,
        );
        return (p, notes);
    }
    notes.push(format!(
        "TTLs: no authoritative server of {zone} answered directly; the TTLs are the resolver's, which may have counted them down"
    ));
    (published, notes)
}

/// Run `secmx check`.
#[allow(clippy::too_many_arguments)]
pub fn check(
    design_path: Option<&Path>,
    domain: Option<&str>,
    net: &NetArgs,
    popts: &ProbeOpts,
    save: &SaveOpts,
    offline: bool,
    format: CheckFormat,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<u8, String> {
    let design: Option<Design> = match design_path {
        Some(p) => Some(project::load_design(p).map_err(|e| e.to_string())?),
        None => None,
    };
    let mut plan = match (design, domain) {
        (Some(d), Some(n)) if normalize_name(n) != d.domain.as_str() => {
            return Err(format!(
                "--domain {n} does not match the design's domain {}",
                d.domain.as_str()
            ));
        }
        (Some(d), _) => LivePlan::for_design(d, design_path.map(|p| p.display().to_string())),
        (None, Some(n)) => LivePlan::for_domain(
            crate::model::DomainName::parse(n)
                .map_err(|e| format!("--domain {n}: {e}"))?
                .as_str(),
        ),
        (None, None) => return Err("check needs a DESIGN file or --domain NAME".into()),
    };
    plan.dns = !offline;
    plan.probe = !offline && !popts.no_probe;
    let settings = live_settings(net, popts)?;
    // The history is opened before the run: a database that cannot be used stops the command
    // before minutes of probes are spent.
    let mut history = match (save.save, &save.history) {
        (true, h) => Some(crate::history::History::open(
            &history_path(h.as_deref())?,
            true,
        )?),
        (false, Some(h)) => Some(crate::history::History::open(h, false)?),
        (false, None) => None,
    };
    let design = plan.design.clone();
    let run_settings = serde_json::json!({
        "design": design_path.map(|p| p.display().to_string()),
        "dns": plan.dns,
        "probe": plan.probe,
        "resolver": net.resolver.map(|r| r.to_string()),
        "quick": popts.quick,
        "timeout": net.timeout,
    });
    let mut report = run_live(plan, settings, format == CheckFormat::Jsonl, out)?;
    let mut regressions = Vec::new();
    if let (true, Some(h)) = (save.save && !report.cancelled, history.as_mut()) {
        let value = serde_json::to_value(&report).map_err(|e| e.to_string())?;
        let previous = h.list(&report.domain, 1)?.into_iter().next();
        let started = std::time::Instant::now();
        let id = h.save(&value, crate::history::now_unix(), &run_settings)?;
        let _ = writeln!(
            err,
            "secmx: saved as run {id} in {} ({} ms)",
            h.path().display(),
            started.elapsed().as_millis()
        );
        if let Some(prev) = previous {
            let (_, before) = h.get(prev.id)?;
            regressions = crate::history::diff(&before, &value)
                .into_iter()
                .filter(|c| c.regression)
                .collect();
        }
    } else if save.save {
        let _ = writeln!(err, "secmx: the run was cancelled: not saved");
    }
    // The rollover plan dated from the history (this run included, when saved).
    if let (Some(d), Some(h)) = (&design, history.as_ref()) {
        let domain = report.domain.clone();
        report.date_rollover(d, &|owner, record| {
            h.tlsa_first_seen(&domain, owner, record).ok().flatten()
        });
    }
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
        CheckFormat::Text => {
            write_text(out, &report).map_err(io)?;
            write_plans(out, &report).map_err(io)?;
        }
    }
    if save.fail_on_regression && !regressions.is_empty() {
        for c in &regressions {
            let _ = writeln!(err, "secmx: regression: {}", c.text);
        }
        return Ok(super::EXIT_REGRESSION);
    }
    Ok(super::live_exit_status(
        report.summary.errors,
        report.inconclusive(),
    ))
}

pub(crate) fn write_text(out: &mut dyn Write, r: &LiveReport) -> std::io::Result<()> {
    let file = r.file.clone().unwrap_or_else(|| "(published)".into());
    super::write_findings_text(out, &file, &r.domain, &r.findings)?;
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
    let (published, ttl_notes) = fetch_published(net, &Plan::for_domain(name.as_str()))?;
    for n in &ttl_notes {
        let _ = writeln!(err, "secmx: note: {n}");
    }
    let failed: Vec<&RRset> = published
        .rrsets
        .iter()
        .filter(|s| !s.status.is_answer())
        .collect();
    for s in &failed {
        let _ = tline!(
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
        let _ = tline!(err, "secmx: note: {n}");
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

/// The serde spelling of a unit enum value (`"no-tlsa"`), so the text output matches the JSON.
fn spelling<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The key rollover plan of each design relay that names a next key (the report's `rollover`,
/// [`crate::live::rollover`]).
fn write_plans(out: &mut dyn Write, r: &LiveReport) -> std::io::Result<()> {
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

/// Run `secmx history DOMAIN`.
pub fn history(
    domain: &str,
    file: Option<&Path>,
    limit: i64,
    out: &mut dyn Write,
) -> Result<u8, String> {
    let h = crate::history::History::open(&history_path(file)?, false)?;
    let domain = normalize_name(domain);
    let runs = h.list(&domain, limit.max(1))?;
    let io = |e: std::io::Error| format!("cannot write output: {e}");
    if runs.is_empty() {
        writeln!(out, "{domain}: no saved runs in {}", h.path().display()).map_err(io)?;
        return Ok(super::EXIT_OK);
    }
    writeln!(
        out,
        "{:>6}  {:<20}  {:>6} {:>8} {:>5}  design",
        "run", "time", "errors", "warnings", "infos"
    )
    .map_err(io)?;
    for r in runs {
        writeln!(
            out,
            "{:>6}  {:<20}  {:>6} {:>8} {:>5}  {}",
            r.id,
            crate::history::when(r.time_unix),
            r.errors,
            r.warnings,
            r.infos,
            r.file.as_deref().unwrap_or("(published)")
        )
        .map_err(io)?;
    }
    Ok(super::EXIT_OK)
}

/// Run `secmx diff [RUN_A] [RUN_B]`.
pub fn diff(
    run_a: Option<i64>,
    run_b: Option<i64>,
    domain: Option<&str>,
    file: Option<&Path>,
    fail_on_regression: bool,
    out: &mut dyn Write,
) -> Result<u8, String> {
    let h = crate::history::History::open(&history_path(file)?, false)?;
    let (a, b) = match (run_a, run_b) {
        (Some(a), Some(b)) => (a, b),
        (Some(a), None) => {
            let (run, _) = h.get(a)?;
            let last = h
                .list(&run.domain, 1)?
                .into_iter()
                .next()
                .ok_or("no runs")?;
            (a, last.id)
        }
        (None, _) => {
            let Some(d) = domain else {
                return Err("diff needs RUN_A [RUN_B] or --domain NAME".into());
            };
            let runs = h.list(&normalize_name(d), 2)?;
            if runs.len() < 2 {
                return Err(format!(
                    "{d}: {} saved run(s); diff needs two (secmx check --save)",
                    runs.len()
                ));
            }
            (runs[1].id, runs[0].id)
        }
    };
    let started = std::time::Instant::now();
    let (ra, va) = h.get(a)?;
    let (rb, vb) = h.get(b)?;
    let changes = crate::history::diff(&va, &vb);
    let ms = started.elapsed().as_millis();
    let io = |e: std::io::Error| format!("cannot write output: {e}");
    writeln!(
        out,
        "{}: run {a} ({}) → run {b} ({}): {} change(s), {} regression(s) [{ms} ms]",
        rb.domain,
        crate::history::when(ra.time_unix),
        crate::history::when(rb.time_unix),
        changes.len(),
        changes.iter().filter(|c| c.regression).count()
    )
    .map_err(io)?;
    for (group, list) in crate::history::grouped(&changes) {
        writeln!(out, "  {group}:").map_err(io)?;
        for c in list {
            writeln!(
                out,
                "    {} {}",
                if c.regression { "WORSE" } else { "     " },
                c.words()
            )
            .map_err(io)?;
        }
    }
    Ok(
        if fail_on_regression && changes.iter().any(|c| c.regression) {
            super::EXIT_REGRESSION
        } else {
            super::EXIT_OK
        },
    )
}
