//! TLSA records and the DANE verdict of a probed relay (the judging runs in `crate::probe::dane`).

use crate::model::RData;
use serde::{Deserialize, Serialize};

/// Why a TLSA record cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TlsaError {
    /// The text is not a TLSA record.
    #[error("not `usage selector matching-type data`")]
    Form,
    /// Data of another type.
    #[error("a {0} record, not TLSA")]
    OtherType(String),
    /// A field out of 0–255 (`usage`, `selector`, `matching type`).
    #[error("bad {0}")]
    Field(&'static str),
    /// Data that is not hexadecimal.
    #[error("bad hex data")]
    Hex,
    /// The error in a record's text.
    #[error("TLSA {text:?}: {why}")]
    InText {
        /// The text.
        text: String,
        /// What is wrong.
        why: Box<TlsaError>,
    },
}

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
    /// Parses `usage selector matching hex` (spaces inside the hex allowed) with the one TLSA text
    /// reader, [`crate::model::render::parse_tlsa`].
    pub fn parse(text: &str) -> Result<Tlsa, TlsaError> {
        let in_text = |why| TlsaError::InText {
            text: text.to_string(),
            why: Box::new(why),
        };
        let d = crate::model::render::parse_tlsa(text).ok_or_else(|| in_text(TlsaError::Form))?;
        Tlsa::of(&d).map_err(in_text)
    }

    /// The record of a TLSA record's data: `Err` naming the first field that is out of range
    /// (0–255) or data that is not hexadecimal, or for data of another type.
    pub fn of(d: &RData) -> Result<Tlsa, TlsaError> {
        let RData::Tlsa {
            usage,
            selector,
            matching,
            data,
        } = d
        else {
            return Err(TlsaError::OtherType(d.rtype().to_string()));
        };
        let num = |v: i64, what: &'static str| u8::try_from(v).map_err(|_| TlsaError::Field(what));
        Ok(Tlsa {
            usage: num(*usage, "usage")?,
            selector: num(*selector, "selector")?,
            matching: num(*matching, "matching type")?,
            data: hex::decode(data).map_err(|_| TlsaError::Hex)?,
        })
    }

    /// Usable for SMTP DANE: usage 2/3, selector 0/1, matching 0/1/2.
    pub fn usable(&self) -> bool {
        matches!(self.usage, 2 | 3) && self.selector <= 1 && self.matching <= 2
    }
}

/// The DANE verdict for one relay address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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

impl DaneVerdict {
    /// The word of the JSON report (`valid`, `fail`, `no-tlsa`, `not-applicable`).
    pub fn as_str(self) -> &'static str {
        match self {
            DaneVerdict::Valid => "valid",
            DaneVerdict::Fail => "fail",
            DaneVerdict::NoTlsa => "no-tlsa",
            DaneVerdict::NotApplicable => "not-applicable",
        }
    }
}

impl std::fmt::Display for DaneVerdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
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
