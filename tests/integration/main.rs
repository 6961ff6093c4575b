//! Integration tests: one binary, a module per topic.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod check_live;
mod cli;
mod dns;
mod probe;
mod probe_ciphers;
mod robustness;
mod ui;
mod zone;
