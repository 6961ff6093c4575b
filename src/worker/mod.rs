//! The background worker: takes [`Command`]s from the window, runs them as tokio tasks on a
//! runtime owned by `main`, and streams [`Event`]s back, each tagged with its [`RunId`] so the
//! window drops results of cancelled or superseded runs. No egui here: the window is woken through
//! an injected [`Wake`] callback (`ctx.request_repaint()` in the app, a counter in tests).
//!
//! The DNS and probe engines (issues #3 and #4) are not merged yet: until they are, a `Lookup`,
//! `Probe` or `Check` run answers with `EventBody::Finished { cancelled: false }` and nothing else.
//! No results are invented here; the engines' events will flow through the same channel.

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
}

impl Default for NetSettings {
    fn default() -> Self {
        NetSettings {
            resolver: None,
            trust_anchor: None,
            ca_file: None,
            timeout_secs: 10,
            concurrency: 8,
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

/// The worker loop: one task per run, cancellation by aborting the run's task.
async fn run_worker(
    mut commands: mpsc::UnboundedReceiver<Command>,
    events: mpsc::Sender<Event>,
    wake: Wake,
) {
    let mut runs: HashMap<RunId, JoinHandle<()>> = HashMap::new();
    while let Some(command) = commands.recv().await {
        runs.retain(|_, task| !task.is_finished());
        match command {
            Command::Lookup { run, .. }
            | Command::Probe { run, .. }
            | Command::Check { run, .. } => {
                let events = events.clone();
                let wake = wake.clone();
                // The DNS and probe engines land with issues #3/#4; until then a run only reports
                // that it finished, so the window's run bookkeeping (progress, Cancel, stale ids)
                // works end to end without made-up results.
                let task = tokio::spawn(async move {
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
                runs.insert(run, task);
            }
            Command::Cancel { run } => {
                if let Some(task) = runs.remove(&run) {
                    let was_running = !task.is_finished();
                    task.abort();
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
    for (_, task) in runs {
        task.abort();
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used, clippy::unwrap_used)]
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    #[test]
    fn a_run_finishes_and_wakes_the_window() {
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
        assert!(link.send(Command::Lookup {
            run: RunId(7),
            domain: "agency.example".into(),
            settings: NetSettings::default(),
        }));
        let mut got = None;
        for _ in 0..200 {
            if let Some(e) = link.try_recv() {
                got = Some(e);
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        let e = got.expect("an event");
        assert_eq!(e.run, RunId(7));
        assert!(matches!(e.body, EventBody::Finished { cancelled: false }));
        assert!(woken.load(Ordering::SeqCst) >= 1);
        assert!(link.send(Command::Shutdown));
        rt.shutdown_timeout(Duration::from_secs(1));
    }
}
