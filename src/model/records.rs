//! A set of DNS records as the rules see them: what a design renders to, what a zone file imports as,
//! and (later) what DNS publishes.
//!
//! The representation is deliberately lenient: numeric fields are `i64` and names are strings, so a
//! record that breaks a rule (an MX preference of 70000, a `_sor` target, a 300-octet TXT string) can
//! still be held and judged. Owner and target names are stored normalised: lower case, no final dot,
//! `"."` rendered as the empty string for the root (null MX, SRV opt-out).

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::net::{Ipv4Addr, Ipv6Addr};

/// Where a record came from, so a finding can point at the field that made it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "index")]
pub enum Origin {
    /// Made from relay number `n` of the design.
    Relay(usize),
    /// Made from the domain settings (null MX, level, SRV label).
    Domain,
    /// Made from the MTA-STS settings.
    MtaSts,
    /// Made from the TLS-RPT settings.
    TlsRpt,
    /// Made from the SGE texts.
    Sge,
    /// Read from a zone file or from DNS.
    External,
}

/// Record data, one variant per type the rules understand.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "UPPERCASE")]
pub enum RData {
    /// `MX preference exchange` (exchange `""` = the root, i.e. null MX).
    Mx {
        /// Preference (valid: 0–65535).
        preference: i64,
        /// Exchange host, normalised.
        exchange: String,
    },
    /// `SRV priority weight port target` (target `""` = the root, i.e. opt-out).
    Srv {
        /// Priority (valid: 0–65535).
        priority: i64,
        /// Weight (valid: 0–65535).
        weight: i64,
        /// Port (valid: 0–65535).
        port: i64,
        /// Target host, normalised.
        target: String,
    },
    /// IPv4 address.
    A(Ipv4Addr),
    /// IPv6 address.
    Aaaa(Ipv6Addr),
    /// `TLSA usage selector matching data`.
    Tlsa {
        /// Certificate usage (valid: 0–3, 255).
        usage: i64,
        /// Selector (valid: 0–1, 255).
        selector: i64,
        /// Matching type (valid: 0–2, 255).
        matching: i64,
        /// Association data as written (hex expected; lower-cased, spaces removed).
        data: String,
    },
    /// TXT: the character-strings as separate strings (readers join them with no separator).
    Txt(Vec<String>),
    /// CNAME target, normalised.
    Cname(String),
    /// Any other type, kept so it is reported rather than dropped.
    Other {
        /// Type mnemonic, e.g. `NS`.
        rtype: String,
        /// Presentation form of the data.
        data: String,
    },
}

impl RData {
    /// The record type mnemonic.
    pub fn rtype(&self) -> &str {
        match self {
            RData::Mx { .. } => "MX",
            RData::Srv { .. } => "SRV",
            RData::A(_) => "A",
            RData::Aaaa(_) => "AAAA",
            RData::Tlsa { .. } => "TLSA",
            RData::Txt(_) => "TXT",
            RData::Cname(_) => "CNAME",
            RData::Other { rtype, .. } => rtype,
        }
    }

    /// Whether the record type mnemonic is `rtype` (as [`rtype`](Self::rtype)` == rtype`, without
    /// comparing strings for the types the rules understand).
    pub fn is_type(&self, rtype: &str) -> bool {
        match (self, rtype.as_bytes()) {
            (RData::Mx { .. }, b"MX")
            | (RData::Srv { .. }, b"SRV")
            | (RData::A(_), b"A")
            | (RData::Aaaa(_), b"AAAA")
            | (RData::Tlsa { .. }, b"TLSA")
            | (RData::Txt(_), b"TXT")
            | (RData::Cname(_), b"CNAME") => true,
            (RData::Other { rtype: own, .. }, _) => own == rtype,
            _ => false,
        }
    }

    /// TXT strings joined as readers join them; `None` for other types.
    pub fn txt_joined(&self) -> Option<String> {
        match self {
            RData::Txt(parts) => Some(parts.concat()),
            _ => None,
        }
    }
}

/// One resource record.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Record {
    /// Owner name, normalised (lower case, no trailing dot).
    pub name: String,
    /// TTL in seconds as written (valid: 0–2147483647).
    pub ttl: i64,
    /// The data.
    pub data: RData,
    /// What made the record.
    pub origin: Origin,
}

impl Record {
    /// A record read from outside (zone file, DNS).
    pub fn new(name: impl Into<String>, ttl: i64, data: RData) -> Self {
        Record {
            name: name.into(),
            ttl,
            data,
            origin: Origin::External,
        }
    }

    /// An MX record as (record, preference, exchange).
    pub fn as_mx(&self) -> Option<(&Record, i64, &str)> {
        match &self.data {
            RData::Mx {
                preference,
                exchange,
            } => Some((self, *preference, exchange.as_str())),
            _ => None,
        }
    }

    /// An SRV record as (record, priority, weight, port, target).
    pub fn as_srv(&self) -> Option<(&Record, i64, i64, i64, &str)> {
        match &self.data {
            RData::Srv {
                priority,
                weight,
                port,
                target,
            } => Some((self, *priority, *weight, *port, target.as_str())),
            _ => None,
        }
    }

    /// Set where the record came from.
    pub fn with_origin(mut self, origin: Origin) -> Self {
        self.origin = origin;
        self
    }
}

/// A set of records, in insertion order, indexed by owner name so rules stay linear in the number
/// of relays (a 10,000-relay design is linted in milliseconds). The index is keyed by the name's
/// hash, so no name is copied; the records of one name are chained through `next` (no list is
/// allocated per name). A name whose hash is already taken by another name (a collision) is kept,
/// by name, in a small side map.
#[derive(Debug, Clone, Default)]
pub struct RecordSet {
    records: Vec<Record>,
    /// Name hash → (first, last) record of that name.
    by_name: FxHashMap<u64, (u32, u32)>,
    /// For each record, the next record of the same name (`NONE` = the last one).
    next: Vec<u32>,
    collided: FxHashMap<String, Vec<usize>>,
    /// The records of each type, built on first use (see [`super::index`]); cleared by `push`.
    by_type: std::sync::OnceLock<super::index::TypeIndex>,
}

const NONE: u32 = u32::MAX;

impl PartialEq for RecordSet {
    fn eq(&self, other: &Self) -> bool {
        self.records == other.records
    }
}

fn name_key(name: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(name)
}

/// Iterator over the records of one name, in insertion order: the chain through `next`, then the
/// indexes kept in the side map (a collided name, or records past the chain's index range).
struct Named<'a> {
    set: &'a RecordSet,
    chain: u32,
    list: std::slice::Iter<'a, usize>,
}

impl<'a> Iterator for Named<'a> {
    type Item = (usize, &'a Record);

    fn next(&mut self) -> Option<(usize, &'a Record)> {
        if self.chain != NONE {
            let idx = self.chain as usize;
            self.chain = self.set.next.get(idx).copied().unwrap_or(NONE);
            return self.set.records.get(idx).map(|r| (idx, r));
        }
        self.list
            .next()
            .and_then(|&i| self.set.records.get(i).map(|r| (i, r)))
    }
}

impl RecordSet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty set with room for `records` records of about `names` distinct owner names.
    pub fn with_capacity(records: usize, names: usize) -> Self {
        RecordSet {
            records: Vec::with_capacity(records),
            by_name: FxHashMap::with_capacity_and_hasher(names, Default::default()),
            next: Vec::with_capacity(records),
            collided: FxHashMap::default(),
            by_type: std::sync::OnceLock::new(),
        }
    }

    /// A set of these records, in this order, keeping the vector (no copy of the records);
    /// `names` is about how many distinct owner names they have.
    pub fn from_records(records: Vec<Record>, names: usize) -> Self {
        let n = records.len();
        let mut set = RecordSet {
            records,
            by_name: FxHashMap::with_capacity_and_hasher(names, Default::default()),
            next: Vec::with_capacity(n),
            collided: FxHashMap::default(),
            by_type: std::sync::OnceLock::new(),
        };
        for idx in 0..n {
            set.link(idx);
        }
        set
    }

    /// Add a record.
    pub fn push(&mut self, r: Record) {
        self.by_type.take();
        self.records.push(r);
        self.link(self.records.len() - 1);
    }

    /// Index the record at `idx`, the one after those indexed so far.
    fn link(&mut self, idx: usize) {
        let name = &self.records[idx].name;
        // Past 4 billion records the chain index would not fit: keep such (hypothetical) records
        // in the side map, which holds plain indexes.
        let Some(idx32) = u32::try_from(idx).ok().filter(|&i| i != NONE) else {
            self.collided.entry(name.clone()).or_default().push(idx);
            self.next.push(NONE);
            return;
        };
        let key = name_key(name);
        match self.by_name.entry(key) {
            std::collections::hash_map::Entry::Occupied(mut e) => {
                let (first, last) = *e.get();
                if self.records[first as usize].name == *name {
                    self.next[last as usize] = idx32;
                    e.insert((first, idx32));
                } else {
                    self.collided.entry(name.clone()).or_default().push(idx);
                }
            }
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert((idx32, idx32));
            }
        }
        self.next.push(NONE);
    }

    /// All records, in insertion order.
    pub fn records(&self) -> &[Record] {
        &self.records
    }

    /// All records.
    pub fn iter(&self) -> impl Iterator<Item = &Record> {
        self.records.iter()
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// All records owned by `name` (given normalised).
    pub fn named<'a>(&'a self, name: &str) -> impl Iterator<Item = &'a Record> + 'a {
        self.named_indexed(name).map(|(_, r)| r)
    }

    /// [`named`](Self::named) with each record's index in [`records`](Self::records).
    pub fn named_indexed<'a>(
        &'a self,
        name: &str,
    ) -> impl Iterator<Item = (usize, &'a Record)> + 'a {
        let chain = match self.by_name.get(&name_key(name)) {
            Some(&(first, _)) if self.records[first as usize].name == name => first,
            _ => NONE,
        };
        let list: &[usize] = if self.collided.is_empty() {
            &[]
        } else {
            self.collided.get(name).map(|v| v.as_slice()).unwrap_or(&[])
        };
        Named {
            set: self,
            chain,
            list: list.iter(),
        }
    }

    /// Records of one type at one owner name (owner given normalised).
    pub fn at<'a>(&'a self, name: &str, rtype: &'a str) -> impl Iterator<Item = &'a Record> + 'a {
        self.named(name).filter(move |r| r.data.is_type(rtype))
    }

    /// [`at`](Self::at) with each record's index in [`records`](Self::records).
    pub fn at_indexed<'a>(
        &'a self,
        name: &str,
        rtype: &'a str,
    ) -> impl Iterator<Item = (usize, &'a Record)> + 'a {
        self.named_indexed(name)
            .filter(move |(_, r)| r.data.is_type(rtype))
    }

    /// Records of one type anywhere.
    pub fn of_type<'a>(&'a self, rtype: &'a str) -> impl Iterator<Item = &'a Record> + 'a {
        self.of_type_indexed(rtype).map(|(_, r)| r)
    }

    /// [`of_type`](Self::of_type) with each record's index in [`records`](Self::records).
    pub fn of_type_indexed<'a>(
        &'a self,
        rtype: &'a str,
    ) -> impl Iterator<Item = (usize, &'a Record)> + 'a {
        let index = self
            .by_type
            .get_or_init(|| super::index::TypeIndex::build(&self.records));
        // Records past `u32::MAX` are not indexed: they are scanned.
        let indexed = self.records.len().min(u32::MAX as usize);
        index
            .candidates(rtype)
            .iter()
            .filter_map(|&i| self.records.get(i as usize).map(|r| (i as usize, r)))
            .chain(
                self.records
                    .get(indexed..)
                    .unwrap_or(&[])
                    .iter()
                    .enumerate()
                    .map(move |(k, r)| (indexed + k, r)),
            )
            .filter(move |(_, r)| r.data.is_type(rtype))
    }

    /// Whether anything is published at `name` (any type).
    pub fn has_name(&self, name: &str) -> bool {
        self.named(name).next().is_some()
    }

    #[cfg(test)]
    fn collisions(&self) -> usize {
        self.collided.len()
    }

    /// The MX records of `domain`: (record, preference, exchange).
    pub fn mx_of<'a>(
        &'a self,
        domain: &str,
    ) -> impl Iterator<Item = (&'a Record, i64, &'a str)> + 'a {
        self.at(domain, "MX").filter_map(Record::as_mx)
    }

    /// Every MX record of the set, whatever its owner: (record, preference, exchange).
    pub fn mx_records(&self) -> impl Iterator<Item = (&Record, i64, &str)> + '_ {
        self.of_type("MX").filter_map(Record::as_mx)
    }

    /// The SRV records at `owner`: (record, priority, weight, port, target).
    pub fn srv_at<'a>(
        &'a self,
        owner: &str,
    ) -> impl Iterator<Item = (&'a Record, i64, i64, i64, &'a str)> + 'a {
        self.at(owner, "SRV").filter_map(Record::as_srv)
    }

    /// Every SRV record of the set, whatever its owner: (record, priority, weight, port, target).
    pub fn srv_records(&self) -> impl Iterator<Item = (&Record, i64, i64, i64, &str)> + '_ {
        self.of_type("SRV").filter_map(Record::as_srv)
    }

    /// The joined TXT strings at `name`, with their records.
    pub fn txt_at<'a>(&'a self, name: &str) -> impl Iterator<Item = (&'a Record, String)> + 'a {
        self.at(name, "TXT")
            .filter_map(|r| r.data.txt_joined().map(|t| (r, t)))
    }

    /// The addresses (A and AAAA) owned by `name`.
    pub fn addresses_of<'a>(&'a self, name: &str) -> impl Iterator<Item = std::net::IpAddr> + 'a {
        self.named(name).filter_map(|r| match r.data {
            RData::A(a) => Some(std::net::IpAddr::V4(a)),
            RData::Aaaa(a) => Some(std::net::IpAddr::V6(a)),
            _ => None,
        })
    }

    /// The CNAME target at `name`, if one is published.
    pub fn cname_of(&self, name: &str) -> Option<&str> {
        self.at(name, "CNAME").find_map(|r| match &r.data {
            RData::Cname(t) => Some(t.as_str()),
            _ => None,
        })
    }
}

impl FromIterator<Record> for RecordSet {
    fn from_iter<T: IntoIterator<Item = Record>>(iter: T) -> Self {
        let mut s = RecordSet::new();
        for r in iter {
            s.push(r);
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_finds_every_name_and_survives_many_names() {
        let mut set = RecordSet::new();
        for i in 0..20_000 {
            set.push(Record::new(
                format!("h{i}.example"),
                1,
                RData::Cname(String::new()),
            ));
            set.push(Record::new(format!("h{i}.example"), 2, RData::Txt(vec![])));
        }
        for i in (0..20_000).step_by(997) {
            let name = format!("h{i}.example");
            let found: Vec<_> = set.named(&name).collect();
            assert_eq!(found.len(), 2);
            assert!(found.iter().all(|r| r.name == name));
        }
        assert!(!set.has_name("h20000.example"));
        assert_eq!(set.collisions(), 0, "FxHash of distinct short names");
    }

    #[test]
    fn of_type_keeps_insertion_order_and_follows_pushes() {
        let other = |t: &str| RData::Other {
            rtype: t.into(),
            data: "x".into(),
        };
        let mut set = RecordSet::new();
        set.push(Record::new("a", 1, RData::Txt(vec![])));
        set.push(Record::new("b", 1, other("TLSA")));
        set.push(Record::new("c", 1, other("NS")));
        set.push(Record::new("d", 1, RData::Cname("x".into())));
        let names = |set: &RecordSet, t: &'static str| -> Vec<String> {
            set.of_type(t).map(|r| r.name.clone()).collect()
        };
        assert_eq!(names(&set, "TLSA"), ["b"]);
        assert_eq!(names(&set, "NS"), ["c"]);
        assert!(names(&set, "MX").is_empty());
        // A record pushed after a look-up is seen by the next one.
        set.push(Record::new(
            "e",
            1,
            RData::Tlsa {
                usage: 3,
                selector: 1,
                matching: 1,
                data: "00".into(),
            },
        ));
        set.push(Record::new("f", 1, other("NS")));
        assert_eq!(names(&set, "TLSA"), ["b", "e"]);
        assert_eq!(names(&set, "NS"), ["c", "f"]);
        assert_eq!(names(&set, "TXT"), ["a"]);
        let all: usize = ["MX", "SRV", "A", "AAAA", "TLSA", "TXT", "CNAME", "NS"]
            .iter()
            .map(|t| set.of_type(t).count())
            .sum();
        assert_eq!(all, set.len());
    }

    #[test]
    fn indexed_lookups_give_each_record_its_index() {
        let mut set = RecordSet::new();
        set.push(Record::new("a", 1, RData::Txt(vec![])));
        set.push(Record::new("b", 1, RData::Txt(vec![])));
        set.push(Record::new("a", 1, RData::Cname("c".into())));
        let named: Vec<usize> = set.named_indexed("a").map(|(i, _)| i).collect();
        assert_eq!(named, [0, 2]);
        let at: Vec<usize> = set.at_indexed("a", "CNAME").map(|(i, _)| i).collect();
        assert_eq!(at, [2]);
        let txt: Vec<usize> = set.of_type_indexed("TXT").map(|(i, _)| i).collect();
        assert_eq!(txt, [0, 1]);
        for (i, r) in set.of_type_indexed("TXT") {
            assert_eq!(&set.records()[i], r);
        }
    }
}
