//! Many probes at once: a global cap on concurrent probes, at most one connection per address at a
//! time (politeness: a relay sees us as one client), events streamed per step, and cancellation that
//! stops everything within a second (the probe futures are dropped, which closes their sockets).

use super::report::{Connect, ProbeReport};
use super::{ProbeConfig, ProbeEvent, ProbeTarget, probe};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;
use tokio::sync::{Semaphore, watch};

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
///
/// The names of one address run in the order they are listed, in one task per address: the first
/// name listed is the one probed, and when its address stays silent the later names say so
/// without waiting again (the order does not depend on how the runtime schedules tasks).
pub async fn run_all(
    targets: Vec<ProbeTarget>,
    cfg: Arc<ProbeConfig>,
    concurrency: usize,
    sink: ProbeSink,
    cancel: Cancel,
) -> Vec<ProbeReport> {
    let global = Arc::new(Semaphore::new(concurrency.max(1)));
    // The targets of each address, in the order given, with their index in `targets`.
    let mut order: Vec<IpAddr> = Vec::new();
    let mut per_addr: HashMap<IpAddr, Vec<(usize, ProbeTarget)>> = HashMap::new();
    for (i, target) in targets.iter().enumerate() {
        let group = per_addr.entry(target.address).or_insert_with(|| {
            order.push(target.address);
            Vec::new()
        });
        group.push((i, target.clone()));
    }
    let mut tasks = Vec::with_capacity(order.len());
    for addr in order {
        let group = per_addr.remove(&addr).unwrap_or_default();
        let indices: Vec<usize> = group.iter().map(|(i, _)| *i).collect();
        let global = global.clone();
        let cfg = cfg.clone();
        let sink = sink.clone();
        let cancel = cancel.clone();
        let handle = tokio::spawn(async move {
            let mut silent = false;
            let mut done = Vec::with_capacity(group.len());
            for (i, target) in group {
                let mut cancel = cancel.clone();
                let step_sink = |e: ProbeEvent| sink(e);
                let was_silent = silent;
                let work = async {
                    if was_silent {
                        return (silent_report(&target, &cfg), true);
                    }
                    // The address's turn first, then a global slot: a busy address holds no slot.
                    let _slot = global.acquire().await.ok();
                    let r = probe(&target, &cfg, &step_sink).await;
                    let s = stayed_silent(&r);
                    (r, s)
                };
                let report = tokio::select! {
                    (r, s) = work => {
                        silent = s;
                        r
                    }
                    _ = cancel.cancelled() => cancelled_report(&target, &cfg),
                };
                step_sink(ProbeEvent::Finished {
                    report: Box::new(report.clone()),
                });
                done.push((i, report));
            }
            done
        });
        tasks.push((handle, indices));
    }
    let mut out: Vec<Option<ProbeReport>> = vec![None; targets.len()];
    for (h, indices) in tasks {
        match h.await {
            Ok(done) => {
                for (i, r) in done {
                    out[i] = Some(r);
                }
            }
            Err(e) => {
                for i in indices {
                    let mut r = cancelled_report(&targets[i], &cfg);
                    r.error = Some(format!("probe task failed: {e}"));
                    out[i] = Some(r);
                }
            }
        }
    }
    out.into_iter()
        .zip(&targets)
        .map(|(r, t)| r.unwrap_or_else(|| cancelled_report(t, &cfg)))
        .collect()
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
