//! `secmx check` (static rules + what DNS publishes now: RRsets with statuses and DNSSEC proofs, drift
//! against the design, the live rules, the relay probes) and `secmx import --domain NAME --from-dns`.
//!
//! `check` is a thin shell around the one live check, [`crate::live::run`]: it builds the plan and
//! the settings from the command line, runs it on a tokio runtime built here, and prints the
//! report; with `--format jsonl` every event is printed as it happens (the run is on the runtime,
//! this thread prints from a channel), then the report.

use crate::cli::CliError;
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

mod history;
mod import;
mod text;

pub use history::*;
pub use import::*;
pub(crate) use text::*;

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
    fn step_timeout(&self) -> Result<Option<Duration>, CliError> {
        match self.timeout {
            None => Ok(None),
            Some(t) if t.is_finite() && t > 0.0 && t <= 3600.0 => {
                Ok(Some(Duration::from_secs_f64(t)))
            }
            Some(t) => {
                Err(format!("--timeout {t}: give a number of seconds between 0 and 3600").into())
            }
        }
    }

    fn settings(&self) -> Result<Settings, CliError> {
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
fn history_path(given: Option<&Path>) -> Result<PathBuf, CliError> {
    match given {
        Some(p) => Ok(p.to_path_buf()),
        None => Ok(crate::history::default_path()?),
    }
}

/// The settings of a live run from the command line's options.
pub(crate) fn live_settings(net: &NetArgs, popts: &ProbeOpts) -> Result<LiveSettings, CliError> {
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

fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}").into())
}

/// Run the one live check ([`crate::live::run`]) on a runtime built here; with `stream` every
/// event is written to `out` as it happens. Ctrl-C cancels it (the report says so).
pub(crate) fn run_live(
    plan: LivePlan,
    settings: LiveSettings,
    stream: bool,
    out: &mut dyn Write,
) -> Result<LiveReport, CliError> {
    let rt = runtime()?;
    let (sink, rx) = event_stream(stream);
    let handle = rt.spawn(async move {
        let (cancel_handle, cancel) = crate::probe::CancelHandle::new();
        super::cancel_on_interrupt(cancel_handle);
        let sink = crate::event::live_sink(RunId::SINGLE, sink);
        crate::live::run(&plan, &settings, sink, cancel).await
    });
    print_events(rx, out);
    Ok(rt
        .block_on(handle)
        .map_err(|e| format!("the live check stopped: {e}"))??)
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
) -> Result<u8, CliError> {
    let design: Option<Design> = match design_path {
        Some(p) => Some(project::load_design(p).map_err(|e| e.to_string())?),
        None => None,
    };
    let mut plan = match (design, domain) {
        (Some(d), Some(n)) if normalize_name(n) != d.domain.as_str() => {
            return Err(format!(
                "--domain {n} does not match the design's domain {}",
                d.domain.as_str()
            )
            .into());
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
