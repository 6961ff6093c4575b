//! Integration tests: one binary, a module per topic.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod check_live;
mod cli;
mod dkim;
mod dns;
mod history;
mod https_peer;
mod interrupt;
mod layers;
#[cfg(feature = "gui")]
mod parity;
mod peers;
mod probe;
mod probe_ciphers;
mod probe_smtp;
mod probe_speed;
mod probe_variants;
mod resolver_test;
mod robustness;
mod sts_published;
mod tlsa_cmd;
#[cfg(feature = "gui")]
mod ui;
#[cfg(feature = "gui")]
mod ui_over_time;
#[cfg(feature = "gui")]
mod ui_window;
mod verdict_truth;
mod zone;
mod zone_load;
