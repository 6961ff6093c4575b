//! Many probes at once: a global cap on concurrent probes, at most one connection per address at a
//! time (politeness: a relay sees us as one client), events streamed per step, and cancellation that
//! stops everything within a second (the probe futures are dropped, which closes their sockets).

use super::report::{Connect, ProbeReport};
use super::{ProbeConfig, ProbeEvent, ProbeTarget, probe};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;
use tokio::sync::{Mutex, Semaphore, watch};

/// The side that cancels a run.
#[derive(Debug, Clone)]
pub struct CancelHandle(Arc<watch::Sender<bool>>);

/// The side a run watches.
#[derive(Debug, Clone)]
pub struct Cancel(watch::Receiver<bool>);

impl CancelHandle {
    /// A new, not cancelled, pair.
    pub fn new() -> (CancelHandle, Cancel) {
        let (tx, rx) = watch::channel(false);
        (CancelHandle(Arc::new(tx)), Cancel(rx))
    }

    /// Cancels every probe watching the pair.
    pub fn cancel(&self) {
        let _ = self.0.send(true);
    }
}

impl Cancel {
    /// Resolves when cancelled (never, when the handle is dropped without cancelling).
    pub async fn cancelled(&mut self) {
        loop {
            if *self.0.borrow_and_update() {
                return;
            }
            if self.0.changed().await.is_err() {
                std::future::pending::<()>().await;
            }
        }
    }

    /// True once cancelled.
    pub fn is_cancelled(&self) -> bool {
        *self.0.borrow()
    }
}

/// Where a run's probe events go. The probe knows nothing of runs and windows: the live pipeline
/// wraps each event into the run's [`crate::event::Event`].
pub type ProbeSink = Arc<dyn Fn(ProbeEvent) + Send + Sync>;

/// A sink that drops every event.
pub fn discard() -> ProbeSink {
    Arc::new(|_| {})
}

/// Runs every target, at most `concurrency` at once and one per address at a time; streams each
/// step as a [`ProbeEvent`], then a `Finished` probe event per target. Returns the reports in
/// the order of `targets`; cancelled probes come back with `connect = cancelled`.
pub async fn run_all(
    targets: Vec<ProbeTarget>,
    cfg: Arc<ProbeConfig>,
    concurrency: usize,
    sink: ProbeSink,
    cancel: Cancel,
) -> Vec<ProbeReport> {
    let global = Arc::new(Semaphore::new(concurrency.max(1)));
    // One lock per address (politeness), holding whether the address stayed silent earlier in
    // this run: then its other names are not waited for again.
    let mut per_addr: HashMap<IpAddr, Arc<Mutex<bool>>> = HashMap::new();
    let mut tasks = Vec::with_capacity(targets.len());
    for target in targets {
        let lock = per_addr.entry(target.address).or_default().clone();
        let global = global.clone();
        let cfg = cfg.clone();
        let sink = sink.clone();
        let mut cancel = cancel.clone();
        let fallback = target.clone();
        let handle = tokio::spawn(async move {
            let step_sink = move |e: ProbeEvent| sink(e);
            let work = async {
                // Address first, then a global slot: waiting for a busy address holds no slot.
                let mut silent = lock.lock().await;
                if *silent {
                    return silent_report(&target, &cfg);
                }
                let _slot = global.acquire().await.ok();
                let r = probe(&target, &cfg, &step_sink).await;
                *silent = stayed_silent(&r);
                r
            };
            let report = tokio::select! {
                r = work => r,
                _ = cancel.cancelled() => cancelled_report(&target, &cfg),
            };
            step_sink(ProbeEvent::Finished {
                report: Box::new(report.clone()),
            });
            report
        });
        tasks.push((handle, fallback));
    }
    let mut out = Vec::with_capacity(tasks.len());
    for (h, fallback) in tasks {
        match h.await {
            Ok(r) => out.push(r),
            Err(e) => {
                let mut r = cancelled_report(&fallback, &cfg);
                r.error = Some(format!("probe task failed: {e}"));
                out.push(r);
            }
        }
    }
    out
}

/// The address never answered: no TCP connection within the connect timeout, or no greeting.
fn stayed_silent(r: &ProbeReport) -> bool {
    r.connect == Connect::Timeout
        || (r.connect == Connect::Ok
            && r.greeting.is_none()
            && r.temporary
            && r.error_step == Some(super::Step::Greeting))
}

/// A name on an address that stayed silent earlier in this run: not probed again (one silent
/// address must not hold each of its names for a full timeout), inconclusive, and saying why.
fn silent_report(t: &ProbeTarget, cfg: &ProbeConfig) -> ProbeReport {
    let mut r = ProbeReport::new(t);
    r.connect = Connect::Timeout;
    r.error = Some(format!(
        "not probed: {} did not answer earlier in this run (another name on the same address timed out)",
        t.address
    ));
    r.temporary = true;
    if let Some(judge) = cfg.judge {
        judge(&mut r, 0);
    }
    r
}

fn cancelled_report(t: &ProbeTarget, cfg: &ProbeConfig) -> ProbeReport {
    let mut r = ProbeReport::new(t);
    r.connect = Connect::Cancelled;
    r.error = Some("cancelled".into());
    r.temporary = true;
    if let Some(judge) = cfg.judge {
        judge(&mut r, 0);
    }
    r
}
