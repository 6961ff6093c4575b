//! Live relay probes (issue #4).
use serde::Serialize;

/// A step of a relay probe (placeholder until issue #4 lands).
#[derive(Debug, Clone, Serialize)]
pub enum ProbeEvent {}
