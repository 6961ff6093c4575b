//! The type of a DNS question or RRset, typed: the mnemonics the rules read by name, every other
//! type kept as written. It reads and writes as its mnemonic (`"TLSA"`), so the JSON report is the
//! same text as before the type existed.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A record type. Ordered by its mnemonic, as the text was (`A < AAAA < CNAME < MX`), so maps
/// keyed by type keep their order. Build it with [`RecordType::of`], which never makes
/// `Other` of a mnemonic that has a variant.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RecordType {
    /// IPv4 address.
    A,
    /// IPv6 address.
    Aaaa,
    /// Mail exchange.
    Mx,
    /// Service location (the SecMX SRV).
    Srv,
    /// DANE TLSA.
    Tlsa,
    /// Text.
    Txt,
    /// Alias.
    Cname,
    /// Any other type, by its mnemonic as written (`NS`, `TYPE65`).
    Other(String),
}

impl RecordType {
    /// The mnemonic (`AAAA`).
    pub fn as_str(&self) -> &str {
        match self {
            RecordType::A => "A",
            RecordType::Aaaa => "AAAA",
            RecordType::Mx => "MX",
            RecordType::Srv => "SRV",
            RecordType::Tlsa => "TLSA",
            RecordType::Txt => "TXT",
            RecordType::Cname => "CNAME",
            RecordType::Other(t) => t,
        }
    }

    /// The type of a mnemonic (exact spelling, as resolvers and the zone reader write them).
    pub fn of(mnemonic: &str) -> RecordType {
        match mnemonic {
            "A" => RecordType::A,
            "AAAA" => RecordType::Aaaa,
            "MX" => RecordType::Mx,
            "SRV" => RecordType::Srv,
            "TLSA" => RecordType::Tlsa,
            "TXT" => RecordType::Txt,
            "CNAME" => RecordType::Cname,
            other => RecordType::Other(other.to_string()),
        }
    }

    /// An address type (A or AAAA).
    pub fn is_address(&self) -> bool {
        matches!(self, RecordType::A | RecordType::Aaaa)
    }
}

impl PartialOrd for RecordType {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for RecordType {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl fmt::Display for RecordType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for RecordType {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(RecordType::of(s))
    }
}

impl From<&str> for RecordType {
    fn from(s: &str) -> Self {
        RecordType::of(s)
    }
}

impl From<String> for RecordType {
    fn from(s: String) -> Self {
        RecordType::of(&s)
    }
}

impl Serialize for RecordType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for RecordType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(RecordType::of(&String::deserialize(d)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_writes_as_its_mnemonic() {
        for t in [
            "A", "AAAA", "MX", "SRV", "TLSA", "TXT", "CNAME", "NS", "TYPE65",
        ] {
            let r = RecordType::of(t);
            assert_eq!(r.to_string(), t);
            assert_eq!(serde_json::to_string(&r).unwrap(), format!("\"{t}\""));
            let back: RecordType = serde_json::from_str(&format!("\"{t}\"")).unwrap();
            assert_eq!(back, r);
        }
        assert_eq!(RecordType::of("TLSA"), RecordType::Tlsa);
        assert_eq!(RecordType::of("NS"), RecordType::Other("NS".into()));
        assert!(RecordType::Aaaa.is_address() && !RecordType::Txt.is_address());
        let mut v = vec![
            RecordType::Txt,
            RecordType::Cname,
            RecordType::Aaaa,
            RecordType::A,
        ];
        v.sort();
        assert_eq!(v, ["A", "AAAA", "CNAME", "TXT"].map(RecordType::of));
    }
}
