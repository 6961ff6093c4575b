//! Integration tests: one binary, a module per topic.

mod cli;
mod robustness;
mod zone;
