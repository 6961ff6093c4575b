//! The background worker: takes [`Command`]s from the window, runs them as tokio tasks on a
//! runtime owned by `main`, and streams [`Event`]s back, each tagged with its [`RunId`] so the
//! window drops results of cancelled or superseded runs. No egui here: the window is woken through
//! an injected [`Wake`] callback (`ctx.request_repaint()` in the app, a counter in tests).
//!
//! Every run is the one live check, [`crate::live::run`] — the same as `secmx check` — over the
//! window's design: Look up is a run without probes, Probe all and Check (F5) are full runs. It
//! ends with an `EventBody::Report` carrying the whole report, then `Finished`.
//!
//! Two queues, so no result is ever lost: progress (DNS answers, probe steps) goes through a
//! bounded queue and is dropped when the window does not keep up; results (each address's final
//! probe report, the run's report, failures, the end of a run) go through an unbounded one.
//! Cancel stops the run's tasks, probes included, within a second.

use crate::event::{Event, EventBody, RunId};
use crate::live::{LivePlan, LiveSettings};
use crate::model::Design;
use crate::probe::ProbeEvent;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::runtime::Handle;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

mod resolver_test;
pub use resolver_test::{anchor_zone, test_resolver};

/// How many progress events may wait for the window; more are dropped (results never are).
pub const EVENT_CAPACITY: usize = 4096;

/// Wakes the window so that `logic` drains the events.
pub type Wake = Arc<dyn Fn() + Send + Sync>;

/// Network settings of a run (the window's Settings; the CLI's shared options).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NetSettings {
    /// Nameserver to ask (`IP:PORT`); `None` = the system resolver.
    pub resolver: Option<String>,
    /// DNSSEC trust anchor file (DNSKEY or DS lines); `None` = the root anchors.
    pub trust_anchor: Option<PathBuf>,
    /// Extra PEM trust roots for certificate checks.
    pub ca_file: Option<PathBuf>,
    /// Also trust the operating system's CA store, like `--system-roots` on the command line.
    pub system_roots: bool,
    /// Timeout of each network step, in seconds (DNS query, connect, greeting, each reply,
    /// handshake, MTA-STS fetch), like `--timeout` on the command line.
    pub timeout_secs: u64,
    /// How many probes run at once.
    pub concurrency: usize,
    /// Skip the extra handshakes of each probe (SNI and key-type variants, weak-cipher and old-TLS
    /// tests), like `--quick` on the command line.
    pub quick: bool,
    /// Port of the MTA-STS policy host (tests run it on a private port; senders use 443).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mta_sts_port: Option<u16>,
}

impl Default for NetSettings {
    fn default() -> Self {
        NetSettings {
            resolver: None,
            trust_anchor: None,
            ca_file: None,
            system_roots: false,
            timeout_secs: 10,
            concurrency: 8,
            quick: false,
            mta_sts_port: None,
        }
    }
}

/// Why a run of the window could not start or stopped: its settings, or the live check itself.
#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    /// A probe setting (timeout, CA file, the system's store) is unusable.
    #[error(transparent)]
    Probe(#[from] crate::probe::ProbeError),
    /// The resolver setting is not an address.
    #[error("the resolver `{0}` is not IP:PORT (e.g. 192.0.2.53:53); fix it in Settings")]
    Resolver(String),
    /// The live check stopped (no resolver, no DNS answer, a task failed).
    #[error(transparent)]
    Live(#[from] crate::live::LiveError),
    /// A task of the worker stopped before it answered.
    #[error("{0}")]
    Task(String),
    /// The history could not keep the run.
    #[error(transparent)]
    History(#[from] crate::history::HistoryError),
    /// The report could not be written as JSON.
    #[error("{0}")]
    Json(#[from] serde_json::Error),
}

impl NetSettings {
    /// The settings of the one live check, as `secmx check` builds them from its options.
    pub fn live(&self) -> Result<LiveSettings, WorkerError> {
        let step = crate::probe::checked_secs(self.timeout_secs.clamp(1, 300), "timeout")?;
        let mut probe =
            crate::probe::ProbeConfig::from_options(self.ca_file.as_deref(), None, None)?;
        probe.timeouts = crate::probe::Timeouts::interactive(Some(step));
        probe.backoff = probe.backoff.min(step);
        probe.extra_handshakes = !self.quick;
        if self.system_roots {
            probe.add_system_roots()?;
        }
        Ok(LiveSettings {
            resolve: resolve_settings(self)?,
            probe,
            probe_concurrency: self.concurrency.clamp(1, 64),
            mta_sts_port: self.mta_sts_port,
            mta_sts_timeout: step,
            ptr: true,
            use_resolver_for_probe_only: false,
        })
    }
}

/// What the window asks the worker to do. Sending never blocks the frame (unbounded channel).
#[derive(Debug, Clone)]
pub enum Command {
    /// The one live check of a design: what DNS publishes (records, DNSSEC proof, drift), then —
    /// with `probe` — every relay address the design or DNS names, the MTA-STS policy, and every
    /// rule. Ends with a `Report` event, then `Finished`.
    Check {
        /// The run; its events carry this id.
        run: RunId,
        /// The design as it is in the window when the run starts.
        design: Box<Design>,
        /// Probe the relays (false = Look up: DNS and the rules only).
        probe: bool,
        /// Resolver, trust anchor, CA file, timeouts, concurrency.
        settings: NetSettings,
        /// Save the report in this history database (like `secmx check --save`) and date the
        /// rollover plan from it; `None` = keep no history.
        history: Option<PathBuf>,
    },
    /// Settings ▸ Test resolver: ask the resolver for the DNSKEYs at the top of the chain of trust
    /// (the root, or the trust anchor's zone), validated as a Look up would. The worker answers
    /// with one `ResolverTest` event.
    TestResolver {
        /// The test; its answer carries this id.
        run: RunId,
        /// Resolver, trust anchor and timeout to test.
        settings: NetSettings,
    },
    /// Stop a run; the worker answers with `Finished { cancelled: true }`.
    Cancel {
        /// The run to stop.
        run: RunId,
    },
    /// Stop everything and end the worker task.
    Shutdown,
}

/// The window's end of the worker: send commands, drain events. Neither side ever blocks the frame.
#[derive(Debug)]
pub struct WorkerLink {
    commands: mpsc::UnboundedSender<Command>,
    progress: mpsc::Receiver<Event>,
    results: mpsc::UnboundedReceiver<Event>,
}

impl WorkerLink {
    /// Send a command. Returns false when the worker is gone (the caller shows a notice).
    pub fn send(&self, command: Command) -> bool {
        self.commands.send(command).is_ok()
    }

    /// The next waiting event, if any (never waits): progress first, then results, so a result
    /// comes after the progress that was queued before it.
    pub fn try_recv(&mut self) -> Option<Event> {
        self.progress
            .try_recv()
            .ok()
            .or_else(|| self.results.try_recv().ok())
    }
}

/// The other end of a detached link, for tests: read the commands the window sent, inject events.
#[derive(Debug)]
pub struct DetachedWorker {
    /// Commands the window sent.
    pub commands: mpsc::UnboundedReceiver<Command>,
    /// Inject progress events here (`try_send`; bounded like the real worker's).
    pub events: mpsc::Sender<Event>,
    /// Inject results here (unbounded, never refused).
    pub results: mpsc::UnboundedSender<Event>,
}

impl DetachedWorker {
    /// Every command sent so far.
    pub fn drain_commands(&mut self) -> Vec<Command> {
        let mut out = Vec::new();
        while let Ok(c) = self.commands.try_recv() {
            out.push(c);
        }
        out
    }
}

/// The worker's ends of the queues, shared by every run.
#[derive(Clone)]
struct Outbox {
    progress: mpsc::Sender<Event>,
    results: mpsc::UnboundedSender<Event>,
    wake: Wake,
}

impl Outbox {
    /// A result: always delivered while the window lives.
    fn result(&self, event: Event) {
        if self.results.send(event).is_ok() {
            (self.wake)();
        }
    }

    /// The event sink of the engines: progress without waiting (a full queue drops it), results
    /// (a probe's final report) through the results queue.
    fn sink(&self) -> crate::event::EventSink {
        let me = self.clone();
        Arc::new(move |e: Event| {
            if matches!(e.body, EventBody::Probe(ProbeEvent::Finished { .. })) {
                me.result(e);
            } else if me.progress.try_send(e).is_ok() {
                (me.wake)();
            }
        })
    }
}

fn queues() -> (
    mpsc::Sender<Event>,
    mpsc::Receiver<Event>,
    mpsc::UnboundedSender<Event>,
    mpsc::UnboundedReceiver<Event>,
) {
    let (ptx, prx) = mpsc::channel(EVENT_CAPACITY);
    let (rtx, rrx) = mpsc::unbounded_channel();
    (ptx, prx, rtx, rrx)
}

/// A link with no worker behind it: tests read the commands and inject the events themselves.
pub fn detached() -> (WorkerLink, DetachedWorker) {
    let (ctx, crx) = mpsc::unbounded_channel();
    let (ptx, prx, rtx, rrx) = queues();
    (
        WorkerLink {
            commands: ctx,
            progress: prx,
            results: rrx,
        },
        DetachedWorker {
            commands: crx,
            events: ptx,
            results: rtx,
        },
    )
}

/// Start the worker task on `runtime`; returns the window's end of it.
pub fn spawn(runtime: &Handle, wake: Wake) -> WorkerLink {
    spawn_with_capacity(runtime, wake, EVENT_CAPACITY)
}

/// [`spawn`] with a progress queue of `capacity` events (tests flood a small one).
pub fn spawn_with_capacity(runtime: &Handle, wake: Wake, capacity: usize) -> WorkerLink {
    let (ctx, crx) = mpsc::unbounded_channel();
    let (ptx, prx) = mpsc::channel(capacity.max(1));
    let (rtx, rrx) = mpsc::unbounded_channel();
    let outbox = Outbox {
        progress: ptx,
        results: rtx,
        wake,
    };
    runtime.spawn(run_worker(crx, outbox));
    WorkerLink {
        commands: ctx,
        progress: prx,
        results: rrx,
    }
}

/// The resolver settings of a run.
fn resolve_settings(s: &NetSettings) -> Result<crate::resolve::Settings, WorkerError> {
    let nameserver = match s.resolver.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(
            text.parse()
                .map_err(|_| WorkerError::Resolver(text.to_string()))?,
        ),
    };
    Ok(crate::resolve::Settings {
        nameserver,
        trust_anchor: s.trust_anchor.clone(),
        timeout: std::time::Duration::from_secs(s.timeout_secs.clamp(1, 300)),
        validate: true,
        ..crate::resolve::Settings::default()
    })
}

/// One live check for the window; the report goes out as a result.
async fn check(
    run: RunId,
    design: Design,
    probe: bool,
    settings: &NetSettings,
    history: Option<PathBuf>,
    outbox: &Outbox,
    cancel: crate::probe::Cancel,
) -> Result<(), WorkerError> {
    let live = settings.live()?;
    let mut plan = LivePlan::for_design(design, None);
    plan.probe = probe;
    let mut report = crate::live::run(
        &plan,
        &live,
        crate::event::live_sink(run, outbox.sink()),
        cancel,
    )
    .await?;
    if let (Some(path), Some(design), false) = (history, plan.design.as_ref(), report.cancelled) {
        let run_settings = serde_json::json!({
            "window": true,
            "dns": plan.dns,
            "probe": plan.probe,
            "resolver": settings.resolver,
            "quick": settings.quick,
            "timeout": settings.timeout_secs,
        });
        // SQLite is blocking: off the runtime's worker threads.
        let design = design.clone();
        let saved = tokio::task::spawn_blocking(move || {
            let r = save_run(&path, design, &mut report, &run_settings);
            (report, r)
        })
        .await
        .map_err(|e| WorkerError::Task(format!("the history save stopped: {e}")))?;
        report = saved.0;
        if let Err(e) = saved.1 {
            outbox.result(Event {
                run,
                body: EventBody::Failed {
                    message: format!(
                        "This check was not kept in the history: {e}. Turn \"Keep a history of checks\" off in the History tab to stop trying."
                    ),
                },
            });
        }
    }
    outbox.result(Event {
        run,
        body: EventBody::Report(Box::new(report)),
    });
    Ok(())
}

/// Save a window run in the history and date its rollover plan from it.
fn save_run(
    path: &std::path::Path,
    design: Design,
    report: &mut crate::live::LiveReport,
    run_settings: &serde_json::Value,
) -> Result<(), WorkerError> {
    let mut h = crate::history::History::open(path, true)?;
    let value = serde_json::to_value(&*report)?;
    h.save(&value, crate::history::now_unix(), run_settings)?;
    let domain = report.domain.clone();
    report.date_rollover(&design, &|owner, record| {
        h.tlsa_first_seen(&domain, owner, record).ok().flatten()
    });
    Ok(())
}

/// One run's task and its cancel switch.
struct Running {
    task: JoinHandle<()>,
    cancel: crate::probe::CancelHandle,
}

/// The worker loop: one task per run. Cancel flips the run's switch: the run stops its probes
/// and still sends its report (marked cancelled) with what it found, then `Finished`.
async fn run_worker(mut commands: mpsc::UnboundedReceiver<Command>, outbox: Outbox) {
    let mut runs: HashMap<RunId, Running> = HashMap::new();
    while let Some(command) = commands.recv().await {
        runs.retain(|_, r| !r.task.is_finished());
        match command {
            Command::Check {
                run,
                design,
                probe,
                settings,
                history,
            } => {
                let outbox = outbox.clone();
                let (cancel_handle, cancel) = crate::probe::CancelHandle::new();
                let watch = cancel.clone();
                let task = tokio::spawn(async move {
                    if let Err(e) =
                        check(run, *design, probe, &settings, history, &outbox, cancel).await
                    {
                        outbox.result(Event {
                            run,
                            body: EventBody::Failed {
                                message: e.to_string(),
                            },
                        });
                    }
                    outbox.result(Event {
                        run,
                        body: EventBody::Finished {
                            cancelled: watch.is_cancelled(),
                        },
                    });
                });
                runs.insert(
                    run,
                    Running {
                        task,
                        cancel: cancel_handle,
                    },
                );
            }
            Command::TestResolver { run, settings } => {
                let outbox = outbox.clone();
                tokio::spawn(async move {
                    let answer = test_resolver(&settings).await;
                    outbox.result(Event {
                        run,
                        body: EventBody::ResolverTest(Box::new(answer)),
                    });
                });
            }
            Command::Cancel { run } => {
                if let Some(mut r) = runs.remove(&run) {
                    r.cancel.cancel();
                    // The run ends by itself within a second, with its report marked cancelled;
                    // if it does not, it is stopped here and its end is sent for it.
                    let outbox = outbox.clone();
                    tokio::spawn(async move {
                        let wait = std::time::Duration::from_secs(2);
                        if tokio::time::timeout(wait, &mut r.task).await.is_err() {
                            r.task.abort();
                            outbox.result(Event {
                                run,
                                body: EventBody::Finished { cancelled: true },
                            });
                        }
                    });
                }
            }
            Command::Shutdown => break,
        }
    }
    for (_, r) in runs {
        r.cancel.cancel();
        r.task.abort();
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used, clippy::unwrap_used)]
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    fn next_events(link: &mut WorkerLink, n: usize) -> Vec<Event> {
        let mut got = Vec::new();
        for _ in 0..400 {
            while let Some(e) = link.try_recv() {
                got.push(e);
            }
            if got.len() >= n {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        got
    }

    fn design() -> Design {
        crate::project::parse_design(
            "format = 1\ndomain = \"agency.example\"\nlevel = 1\ntest_domain = true\n",
            "t.secmx.toml",
        )
        .unwrap()
    }

    #[test]
    fn runs_finish_report_bad_settings_and_wake_the_window() {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let woken = Arc::new(AtomicUsize::new(0));
        let w = woken.clone();
        let mut link = spawn(
            rt.handle(),
            Arc::new(move || {
                w.fetch_add(1, Ordering::SeqCst);
            }),
        );
        // A resolver setting that is not IP:PORT: a clear failure, then the run ends (no network).
        assert!(link.send(Command::Check {
            run: RunId(7),
            design: Box::new(design()),
            probe: true,
            settings: NetSettings {
                resolver: Some("not-an-address".into()),
                ..NetSettings::default()
            },
            history: None,
        }));
        let got = next_events(&mut link, 2);
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got.iter().all(|e| e.run == RunId(7)));
        match &got[0].body {
            EventBody::Failed { message } => assert!(message.contains("IP:PORT"), "{message}"),
            other => panic!("expected Failed, got {other:?}"),
        }
        assert!(matches!(
            got[1].body,
            EventBody::Finished { cancelled: false }
        ));
        assert!(woken.load(Ordering::SeqCst) >= 2);
        assert!(link.send(Command::Shutdown));
        rt.shutdown_timeout(Duration::from_secs(1));
    }

    /// A window that does not drain (minimised, busy) fills the progress queue: progress is then
    /// dropped, but every probe's final report and the run's end still arrive, in order.
    #[test]
    fn a_flooded_queue_loses_progress_never_results() {
        let (ptx, mut prx) = mpsc::channel(8);
        let (rtx, mut rrx) = mpsc::unbounded_channel();
        let outbox = Outbox {
            progress: ptx,
            results: rtx,
            wake: Arc::new(|| {}),
        };
        let sink = outbox.sink();
        let target = crate::probe::ProbeTarget::new(
            "mx1.agency.example",
            "192.0.2.1".parse().unwrap(),
            25,
            crate::model::Role::Ber,
        );
        for i in 0..200u16 {
            for _ in 0..50 {
                sink(Event {
                    run: RunId(1),
                    body: EventBody::Probe(ProbeEvent::Step {
                        host: "mx1.agency.example".into(),
                        address: target.address,
                        port: 25,
                        attempt: 1,
                        step: crate::probe::Step::Connect,
                        outcome: "ok".into(),
                        ok: true,
                        ms: 1,
                    }),
                });
            }
            let mut t = target.clone();
            t.port = 1000 + i;
            sink(Event {
                run: RunId(1),
                body: EventBody::Probe(ProbeEvent::Finished {
                    report: Box::new(crate::probe::ProbeReport::new(&t)),
                }),
            });
        }
        outbox.result(Event {
            run: RunId(1),
            body: EventBody::Finished { cancelled: false },
        });
        let mut progress = 0;
        while prx.try_recv().is_ok() {
            progress += 1;
        }
        assert_eq!(progress, 8, "the progress queue kept only what fits");
        let mut ports = Vec::new();
        let mut finished = false;
        while let Ok(e) = rrx.try_recv() {
            match e.body {
                EventBody::Probe(ProbeEvent::Finished { report }) => {
                    assert!(!finished, "a report after the end of the run");
                    ports.push(report.port);
                }
                EventBody::Finished { .. } => finished = true,
                other => panic!("unexpected result {other:?}"),
            }
        }
        assert_eq!(
            ports,
            (1000..1200).collect::<Vec<u16>>(),
            "every report, in order"
        );
        assert!(finished);
    }
}
