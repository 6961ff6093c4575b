//! The background worker: takes [`Command`]s from the window, runs them as tokio tasks on a
//! runtime owned by `main`, and streams [`Event`]s back, each tagged with its [`RunId`] so the
//! window drops results of cancelled or superseded runs. No egui here: the window is woken through
//! an injected [`Wake`] callback (`ctx.request_repaint()` in the app, a counter in tests).
//!
//! A `Lookup` runs the live-DNS engine ([`crate::resolve`]) and ends with an
//! `EventBody::Published`; a `Probe` runs the relay probes ([`crate::probe::run_all`]) with one
//! event per step and a `Finished` probe event per address; a `Check` does both, as one run.
//! Cancel stops the run's tasks, probes included, within a second.

use crate::event::{Event, EventBody, RunId};
use crate::model::Role;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::runtime::Handle;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// How many events may wait for the window before the worker's tasks wait in turn.
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
    /// Timeout of each network step, in seconds.
    pub timeout_secs: u64,
    /// How many probes run at once.
    pub concurrency: usize,
    /// Skip the extra handshakes of each probe (SNI and key-type variants, weak-cipher and old-TLS
    /// tests), like `--quick` on the command line.
    pub quick: bool,
}

impl Default for NetSettings {
    fn default() -> Self {
        NetSettings {
            resolver: None,
            trust_anchor: None,
            ca_file: None,
            timeout_secs: 10,
            concurrency: 8,
            quick: false,
        }
    }
}

/// One relay address to probe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeTarget {
    /// Index of the relay in the design (for the grid row).
    pub relay: usize,
    /// Relay host name.
    pub host: String,
    /// The address to connect to; `None` = resolve the host first.
    pub address: Option<IpAddr>,
    /// TCP port.
    pub port: u16,
    /// The role the design gives the relay (what the probe expects).
    pub role: Role,
    /// Implicit TLS (port 465) instead of STARTTLS.
    pub implicit_tls: bool,
}

/// What the window asks the worker to do. Sending never blocks the frame (unbounded channel).
#[derive(Debug, Clone)]
pub enum Command {
    /// Look up what `domain` publishes in DNS (records, DNSSEC proof, drift).
    Lookup {
        /// The run this lookup is; its events carry this id.
        run: RunId,
        /// The mail domain (A-label form).
        domain: String,
        /// The design's DKIM selectors (their key records are looked up too, SGE-005).
        dkim_selectors: Vec<String>,
        /// Resolver and timeouts.
        settings: NetSettings,
    },
    /// Probe every target (relay × address), streaming one event per step.
    Probe {
        /// The run these probes are.
        run: RunId,
        /// The relay addresses to probe.
        targets: Vec<ProbeTarget>,
        /// Timeouts, CA file, concurrency.
        settings: NetSettings,
    },
    /// The full check (F5): lookup of `domain`, then probes of `targets`, as one run.
    Check {
        /// The run.
        run: RunId,
        /// The mail domain.
        domain: String,
        /// The design's DKIM selectors (their key records are looked up too, SGE-005).
        dkim_selectors: Vec<String>,
        /// The relay addresses to probe.
        targets: Vec<ProbeTarget>,
        /// Network settings.
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
    events: mpsc::Receiver<Event>,
}

impl WorkerLink {
    /// Send a command. Returns false when the worker is gone (the caller shows a notice).
    pub fn send(&self, command: Command) -> bool {
        self.commands.send(command).is_ok()
    }

    /// The next waiting event, if any (never waits).
    pub fn try_recv(&mut self) -> Option<Event> {
        self.events.try_recv().ok()
    }
}

/// The other end of a detached link, for tests: read the commands the window sent, inject events.
#[derive(Debug)]
pub struct DetachedWorker {
    /// Commands the window sent.
    pub commands: mpsc::UnboundedReceiver<Command>,
    /// Inject events here (`try_send`).
    pub events: mpsc::Sender<Event>,
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

/// A link with no worker behind it: tests read the commands and inject the events themselves.
pub fn detached() -> (WorkerLink, DetachedWorker) {
    let (ctx, crx) = mpsc::unbounded_channel();
    let (etx, erx) = mpsc::channel(EVENT_CAPACITY);
    (
        WorkerLink {
            commands: ctx,
            events: erx,
        },
        DetachedWorker {
            commands: crx,
            events: etx,
        },
    )
}

/// Start the worker task on `runtime`; returns the window's end of it.
pub fn spawn(runtime: &Handle, wake: Wake) -> WorkerLink {
    let (ctx, crx) = mpsc::unbounded_channel();
    let (etx, erx) = mpsc::channel(EVENT_CAPACITY);
    runtime.spawn(run_worker(crx, etx, wake));
    WorkerLink {
        commands: ctx,
        events: erx,
    }
}

/// Send one event and wake the window. A closed channel means the window is gone: nothing to do.
async fn emit(events: &mpsc::Sender<Event>, wake: &Wake, event: Event) {
    if events.send(event).await.is_ok() {
        wake();
    }
}

/// The resolver settings of a run.
fn resolve_settings(s: &NetSettings) -> Result<crate::resolve::Settings, String> {
    let nameserver = match s.resolver.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(text.parse().map_err(|_| {
            format!("the resolver `{text}` is not IP:PORT (e.g. 192.0.2.53:53); fix it in Settings")
        })?),
    };
    Ok(crate::resolve::Settings {
        nameserver,
        trust_anchor: s.trust_anchor.clone(),
        timeout: std::time::Duration::from_secs(s.timeout_secs.clamp(1, 300)),
        validate: true,
        ..crate::resolve::Settings::default()
    })
}

/// An event sink for the engines: progress events go to the window without waiting (a full queue
/// drops progress, never the final events, which are sent with [`emit`]).
fn progress_sink(events: &mpsc::Sender<Event>, wake: &Wake) -> crate::event::EventSink {
    let events = events.clone();
    let wake = wake.clone();
    Arc::new(move |e| {
        if events.try_send(e).is_ok() {
            wake();
        }
    })
}

/// Look up what `domain` publishes and send it as one `Published` event.
async fn lookup(
    run: RunId,
    domain: &str,
    dkim_selectors: &[String],
    settings: &NetSettings,
    events: &mpsc::Sender<Event>,
    wake: &Wake,
) -> Result<(), String> {
    use crate::resolve::{self, Plan, Resolver};
    let s = resolve_settings(settings)?;
    let resolver = Resolver::new(&s)
        .await
        .map_err(|e| format!("cannot set up the resolver: {e}"))?;
    let mut plan = Plan::for_domain(domain);
    plan.dkim_selectors = dkim_selectors.to_vec();
    let published = resolve::fetch(&resolver, &plan, run, &progress_sink(events, wake)).await;
    emit(
        events,
        wake,
        Event {
            run,
            body: EventBody::Published {
                domain: published.domain,
                srv_label: published.srv_label,
                rrsets: published.rrsets,
                elapsed_ms: published.elapsed_ms,
            },
        },
    )
    .await;
    Ok(())
}

/// Probe every target (a host without an address is resolved first).
async fn probe_all(
    run: RunId,
    targets: Vec<ProbeTarget>,
    settings: &NetSettings,
    events: &mpsc::Sender<Event>,
    wake: &Wake,
    cancel: crate::probe::Cancel,
) -> Result<(), String> {
    use crate::probe;
    let mut cfg = probe::ProbeConfig::from_options(
        settings.ca_file.as_deref(),
        None,
        Some(settings.timeout_secs),
    )?;
    cfg.judge = Some(crate::rules::probe_judge::judge);
    cfg.extra_handshakes = !settings.quick;
    // Relays without addresses in the design are resolved through the run's resolver settings
    // (the nameserver of Settings, DNSSEC as configured), like everything else the run looks up.
    let resolver = if targets.iter().any(|t| t.address.is_none()) {
        let s = resolve_settings(settings)?;
        Some(
            crate::resolve::Resolver::new(&s)
                .await
                .map_err(|e| format!("cannot set up the resolver: {e}"))?,
        )
    } else {
        None
    };
    let mut list = Vec::new();
    for t in targets {
        let addresses: Vec<IpAddr> = match (t.address, &resolver) {
            (Some(a), _) => vec![a],
            (None, Some(r)) => {
                let mut found = Vec::new();
                for rtype in [
                    hickory_resolver::proto::rr::RecordType::A,
                    hickory_resolver::proto::rr::RecordType::AAAA,
                ] {
                    let set = r.query(&t.host, rtype, run, &crate::event::discard()).await;
                    found.extend(set.records.iter().filter_map(|x| x.parse::<IpAddr>().ok()));
                }
                found
            }
            (None, None) => Vec::new(),
        };
        for a in addresses {
            let mut p = probe::ProbeTarget::new(t.host.clone(), a, t.port, t.role);
            p.implicit_tls = t.implicit_tls;
            p.via = Some("design".into());
            list.push(p);
        }
    }
    // PTR names (PROBE-004) through the run's resolver settings; no resolver, no names.
    if !list.is_empty()
        && let Ok(s) = resolve_settings(settings)
        && let Ok(resolver) = crate::resolve::ptr_resolver(&s).await
    {
        probe::names::lookup_ptrs(&resolver, &mut list).await;
    }
    probe::run_all(
        list,
        Arc::new(cfg),
        settings.concurrency.clamp(1, 64),
        run,
        progress_sink(events, wake),
        cancel,
    )
    .await;
    Ok(())
}

/// One run's task and its cancel switch (aborting the task alone would leave its probes running).
struct Running {
    task: JoinHandle<()>,
    cancel: crate::probe::CancelHandle,
}

/// The worker loop: one task per run; Cancel flips the run's switch and aborts its task.
async fn run_worker(
    mut commands: mpsc::UnboundedReceiver<Command>,
    events: mpsc::Sender<Event>,
    wake: Wake,
) {
    let mut runs: HashMap<RunId, Running> = HashMap::new();
    while let Some(command) = commands.recv().await {
        runs.retain(|_, r| !r.task.is_finished());
        match command {
            Command::Lookup { run, .. }
            | Command::Probe { run, .. }
            | Command::Check { run, .. } => {
                let events = events.clone();
                let wake = wake.clone();
                let (cancel_handle, cancel) = crate::probe::CancelHandle::new();
                let task = tokio::spawn(async move {
                    let result = match command {
                        Command::Lookup {
                            domain,
                            dkim_selectors,
                            settings,
                            ..
                        } => lookup(run, &domain, &dkim_selectors, &settings, &events, &wake).await,
                        Command::Probe {
                            targets, settings, ..
                        } => probe_all(run, targets, &settings, &events, &wake, cancel).await,
                        Command::Check {
                            domain,
                            dkim_selectors,
                            targets,
                            settings,
                            ..
                        } => match lookup(run, &domain, &dkim_selectors, &settings, &events, &wake)
                            .await
                        {
                            Ok(()) => {
                                probe_all(run, targets, &settings, &events, &wake, cancel).await
                            }
                            Err(e) => Err(e),
                        },
                        Command::Cancel { .. } | Command::Shutdown => Ok(()),
                    };
                    if let Err(message) = result {
                        emit(
                            &events,
                            &wake,
                            Event {
                                run,
                                body: EventBody::Failed { message },
                            },
                        )
                        .await;
                    }
                    emit(
                        &events,
                        &wake,
                        Event {
                            run,
                            body: EventBody::Finished { cancelled: false },
                        },
                    )
                    .await;
                });
                runs.insert(
                    run,
                    Running {
                        task,
                        cancel: cancel_handle,
                    },
                );
            }
            Command::Cancel { run } => {
                if let Some(r) = runs.remove(&run) {
                    let was_running = !r.task.is_finished();
                    r.cancel.cancel();
                    r.task.abort();
                    if was_running {
                        emit(
                            &events,
                            &wake,
                            Event {
                                run,
                                body: EventBody::Finished { cancelled: true },
                            },
                        )
                        .await;
                    }
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
        assert!(link.send(Command::Lookup {
            run: RunId(7),
            domain: "agency.example".into(),
            dkim_selectors: Vec::new(),
            settings: NetSettings {
                resolver: Some("not-an-address".into()),
                ..NetSettings::default()
            },
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

        // A probe run with nothing to probe just finishes.
        assert!(link.send(Command::Probe {
            run: RunId(8),
            targets: vec![],
            settings: NetSettings::default(),
        }));
        let got = next_events(&mut link, 1);
        assert!(matches!(
            got.first().map(|e| (&e.run, &e.body)),
            Some((RunId(8), EventBody::Finished { cancelled: false }))
        ));
        assert!(link.send(Command::Shutdown));
        rt.shutdown_timeout(Duration::from_secs(1));
    }
}
