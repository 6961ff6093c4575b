//! SecMX Workbench: build, validate and test SecMX DNS record sets, probe mail relays over TLS, and
//! export zone-file snippets.
//!
//! The engine is pure and synchronous: [`model`] (validated design types) → [`rules`] (findings) and
//! [`zone`] (export / import), with [`project`] reading and writing design files and [`cli`] running
//! it all headless. [`ui`] is the desktop window (the only module that knows egui) and [`worker`]
//! runs its network jobs on a tokio runtime owned by `main`.

pub mod cli;
pub mod event;
pub mod history;
pub mod live;
pub mod model;
pub mod probe;
pub mod project;
pub mod resolve;
pub mod rules;
pub mod tlsagen;
#[cfg(feature = "gui")]
pub mod ui;
pub mod worker;
pub mod zone;
