//! The names of a probed address (PROBE-004): greeting, EHLO, PTR and the relay name.

use crate::model::published::Status;
use serde::{Deserialize, Serialize};

/// What the reverse lookup of the probed address found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum PtrLookup {
    /// The PTR names (lower case, fully qualified, sorted).
    Names(Vec<String>),
    /// No names: `nxdomain` / `nodata` (no PTR published), or why the lookup failed (`servfail`,
    /// `refused`, `timeout`, `error`).
    Status(String),
}

impl PtrLookup {
    /// From the result of [`crate::resolve::reverse_names`].
    pub fn from_result(r: Result<Vec<String>, Status>) -> Self {
        match r {
            Ok(names) => PtrLookup::Names(names),
            Err(s) => PtrLookup::Status(s.as_str().to_string()),
        }
    }
}

/// The names of one probed address (the report's `names` object).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Names {
    /// First word of the greeting after `220 `.
    #[serde(default)]
    pub banner: Option<String>,
    /// First word of the first line of the EHLO reply.
    #[serde(default)]
    pub ehlo: Option<String>,
    /// The PTR names of the address, or the lookup status; `null` when nobody looked.
    #[serde(default)]
    pub ptr: Option<PtrLookup>,
    /// The relay name DNS publishes (MX exchange, SRV target, or what `secmx probe` was given).
    #[serde(default)]
    pub relay: String,
}
