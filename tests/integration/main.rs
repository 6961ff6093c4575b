//! Integration tests: one binary, a module per topic.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod check_live;
mod cli;
mod dkim;
mod dns;
mod interrupt;
mod parity;
mod peers;
mod probe;
mod probe_ciphers;
mod probe_smtp;
mod probe_speed;
mod probe_variants;
mod robustness;
mod ui;
mod verdict_truth;
mod zone;
