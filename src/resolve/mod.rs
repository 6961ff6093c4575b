//! Live DNS: what a domain publishes today (issue #3).
use serde::Serialize;

/// A step of the live DNS lookups (placeholder until issue #3 lands).
#[derive(Debug, Clone, Serialize)]
pub enum DnsEvent {}
