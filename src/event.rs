//! Progress events: what the background worker streams to the window and what `--format jsonl`
//! prints, one per step of a DNS lookup or a relay probe, each tagged with the run it belongs to so
//! stale results of a cancelled or superseded run are dropped.

use serde::Serialize;
use std::sync::Arc;

/// Identifies one run (one "Look up", "Probe all" or `secmx check`). Events of other runs are stale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct RunId(pub u64);

impl RunId {
    /// The one run of a process that runs a single check (`secmx check`, `secmx probe`): its
    /// `--format jsonl` lines say `"run": 1`.
    pub const SINGLE: RunId = RunId(1);
}

/// One progress event.
#[derive(Debug, Clone, Serialize)]
pub struct Event {
    /// The run it belongs to.
    pub run: RunId,
    /// What happened.
    #[serde(flatten)]
    pub body: EventBody,
}

/// What happened.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "source", rename_all = "snake_case")]
pub enum EventBody {
    /// A step of the live DNS lookups.
    Dns(crate::resolve::DnsEvent),
    /// A step of a relay probe.
    Probe(crate::probe::ProbeEvent),
    /// The whole report of a live run (the same as `secmx check --format json`), sent once when
    /// the run ends, before `Finished`.
    Report(Box<crate::live::LiveReport>),
    /// The answer to Settings ▸ Test resolver (the DNSKEYs at the top of the chain of trust); the
    /// only event of that run.
    ResolverTest(Box<crate::resolve::keys::KeyAnswer>),
    /// The run could not start or stopped on an unexpected error (a bad resolver setting, an
    /// unreadable CA file); expected failures such as timeouts are data in the other events.
    Failed {
        /// What happened and what to do.
        message: String,
    },
    /// The run finished (normally or cancelled).
    Finished {
        /// True when it was cancelled.
        cancelled: bool,
    },
}

/// Where events go: a channel sender in the worker, a line printer in the CLI, a vector in tests.
pub type EventSink = Arc<dyn Fn(Event) + Send + Sync>;

/// A sink that drops everything.
pub fn discard() -> EventSink {
    Arc::new(|_| {})
}

impl From<crate::live::LiveEvent> for EventBody {
    fn from(e: crate::live::LiveEvent) -> Self {
        match e {
            crate::live::LiveEvent::Dns(d) => EventBody::Dns(d),
            crate::live::LiveEvent::Probe(p) => EventBody::Probe(p),
        }
    }
}

/// The live check's steps as events of `run`, into `sink`.
pub fn live_sink(run: RunId, sink: EventSink) -> crate::live::LiveSink {
    Arc::new(move |e| {
        sink(Event {
            run,
            body: e.into(),
        })
    })
}
