//! Integration tests: one binary, a module per topic.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod cli;
mod robustness;
mod ui;
mod zone;
