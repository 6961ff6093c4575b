//! What each extra source address saw (PROBE-012).

use serde::{Deserialize, Serialize};
use std::net::IpAddr;

/// What one source address saw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vantage {
    /// The local address the connection was bound to.
    pub source: IpAddr,
    /// Greeting code.
    #[serde(default)]
    pub greeting: Option<u16>,
    /// EHLO reply code.
    #[serde(default)]
    pub ehlo: Option<u16>,
    /// EHLO keywords (upper case, the first line excluded).
    #[serde(default)]
    pub capabilities: Vec<String>,
    /// STARTTLS among them (`null` when no EHLO reply arrived).
    #[serde(default)]
    pub starttls_offered: Option<bool>,
    /// Why the dialogue stopped early (bind, connect, timeout, closed).
    #[serde(default)]
    pub error: Option<String>,
    /// Milliseconds the connection took, QUIT included.
    #[serde(default)]
    pub ms: u64,
}

impl Vantage {
    /// One line for the step event.
    pub fn summary(&self) -> String {
        match (&self.error, self.starttls_offered) {
            (Some(e), _) => format!("from {}: {e}", self.source),
            (None, Some(true)) => format!("from {}: STARTTLS offered", self.source),
            (None, Some(false)) => format!("from {}: STARTTLS NOT offered", self.source),
            (None, None) => format!(
                "from {}: greeting {}, EHLO {}",
                self.source,
                code(self.greeting),
                code(self.ehlo)
            ),
        }
    }
}

fn code(c: Option<u16>) -> String {
    c.map(|c| c.to_string()).unwrap_or_else(|| "-".into())
}

/// The vantage points of one probed address (the report's `vantage` object).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VantagePoints {
    /// The local address of the main probe connection (the default source).
    #[serde(default)]
    pub main_source: Option<IpAddr>,
    /// One entry per extra source (`--source`) of the target's address family.
    #[serde(default)]
    pub points: Vec<Vantage>,
}
