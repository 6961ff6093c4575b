//! Progress events: what the background worker streams to the window and what `--format jsonl`
//! prints, one per step of a DNS lookup or a relay probe, each tagged with the run it belongs to so
//! stale results of a cancelled or superseded run are dropped.

use serde::Serialize;
use std::sync::Arc;

/// Identifies one run (one "Look up", "Probe all" or `secmx check`). Events of other runs are stale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct RunId(pub u64);

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
    /// Every RRset a lookup run asked about, with its answer (sent once, at the end of the lookups),
    /// so the window can show the records and the drift against its design.
    Published {
        /// The mail domain.
        domain: String,
        /// The SRV label the lookups used.
        srv_label: String,
        /// The answers.
        rrsets: Vec<crate::resolve::RRset>,
        /// Wall time of the lookups.
        elapsed_ms: u64,
    },
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
