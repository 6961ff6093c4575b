//! Lookups a [`RecordSet`](super::RecordSet) builds once, on first use, and shares between the
//! rules of one lint (a `OnceLock`, so a `RecordSet` stays `Sync`). The first one: the
//! records of each type, so a rule that wants the TLSA records walks the 20,000 TLSA records of a
//! 10,000-relay design instead of all 60,000 records.

use super::records::{RData, Record};

/// The mnemonics with a list of their own, in slot order.
const KNOWN: [&str; 7] = ["MX", "SRV", "A", "AAAA", "TLSA", "TXT", "CNAME"];
/// The slot of every other type.
const OTHER: usize = KNOWN.len();

/// Record indexes by type, each list in insertion order.
#[derive(Debug, Clone, Default)]
pub(crate) struct TypeIndex {
    slots: [Vec<u32>; KNOWN.len() + 1],
}

/// The slot of a type mnemonic.
fn slot_of(rtype: &str) -> usize {
    KNOWN.iter().position(|k| *k == rtype).unwrap_or(OTHER)
}

/// The slot of a record: its variant's, or for an unparsed record (`RData::Other`) the slot of its
/// mnemonic, so that `is_type` and the slot always agree.
fn record_slot(r: &Record) -> usize {
    match &r.data {
        RData::Mx { .. } => 0,
        RData::Srv { .. } => 1,
        RData::A(_) => 2,
        RData::Aaaa(_) => 3,
        RData::Tlsa { .. } => 4,
        RData::Txt(_) => 5,
        RData::Cname(_) => 6,
        RData::Other { rtype, .. } => slot_of(rtype),
    }
}

impl TypeIndex {
    /// Index `records` (at most `u32::MAX` of them are indexed; `RecordSet` scans past that).
    pub(crate) fn build(records: &[Record]) -> Self {
        let mut index = TypeIndex::default();
        for (i, r) in records.iter().enumerate() {
            let Ok(i) = u32::try_from(i) else { break };
            if let Some(slot) = index.slots.get_mut(record_slot(r)) {
                slot.push(i);
            }
        }
        index
    }

    /// The indexes of the records that may be of type `rtype`, in insertion order: exactly those
    /// for the known mnemonics; for any other mnemonic, every record of an unknown type (the caller
    /// filters them with `is_type`).
    pub(crate) fn candidates(&self, rtype: &str) -> &[u32] {
        self.slots
            .get(slot_of(rtype))
            .map(|s| s.as_slice())
            .unwrap_or(&[])
    }
}
