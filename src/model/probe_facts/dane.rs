//! TLSA records and the DANE verdict of a probed relay (the judging runs in `crate::probe::dane`).

use serde::Serialize;

/// One TLSA record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tlsa {
    /// Certificate usage (0–3).
    pub usage: u8,
    /// Selector: 0 full certificate, 1 SubjectPublicKeyInfo.
    pub selector: u8,
    /// Matching type: 0 exact, 1 SHA-256, 2 SHA-512.
    pub matching: u8,
    /// Certificate association data (bytes).
    pub data: Vec<u8>,
}

impl Tlsa {
    /// Parses `usage selector matching hex` (spaces inside the hex allowed).
    pub fn parse(text: &str) -> Result<Tlsa, String> {
        let mut it = text.split_whitespace();
        let mut num = |what: &str| -> Result<u8, String> {
            it.next()
                .ok_or_else(|| format!("TLSA {text:?}: missing {what}"))?
                .parse::<u8>()
                .map_err(|_| format!("TLSA {text:?}: bad {what}"))
        };
        let usage = num("usage")?;
        let selector = num("selector")?;
        let matching = num("matching type")?;
        let hexdata: String = it.collect();
        let data = hex::decode(&hexdata).map_err(|_| format!("TLSA {text:?}: bad hex data"))?;
        Ok(Tlsa {
            usage,
            selector,
            matching,
            data,
        })
    }

    /// Usable for SMTP DANE: usage 2/3, selector 0/1, matching 0/1/2.
    pub fn usable(&self) -> bool {
        matches!(self.usage, 2 | 3) && self.selector <= 1 && self.matching <= 2
    }
}

/// The DANE verdict for one relay address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DaneVerdict {
    /// A usable TLSA record matches the chain.
    Valid,
    /// Usable TLSA records exist and none matches.
    Fail,
    /// The RRset is secure but holds no usable record (or none at all): DANE does not apply.
    NoTlsa,
    /// The TLSA RRset or the host's addresses are not DNSSEC-secure: TLSA must be ignored.
    NotApplicable,
}

/// The verdict with the record that matched (or why none did).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DaneResult {
    /// valid / fail / no-tlsa / not-applicable.
    pub verdict: DaneVerdict,
    /// The matching record as `u s m` (e.g. `3 1 1`), when one matched.
    pub matched: Option<String>,
    /// One sentence for the report.
    pub detail: String,
    /// Why the DANE-TA(2) records were not satisfied, when there are some and none was (PROBE-026):
    /// the anchor they name was not sent, or the chain does not validate to it for this host.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ta_failure: Option<String>,
}
