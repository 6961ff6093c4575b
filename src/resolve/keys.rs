//! The window's "Test resolver": ask the configured resolver for the DNSKEY RRset at the top of
//! the chain of trust (the root, or the zone a test trust anchor names) and say what came back and
//! whether it validated.

use super::{Dnssec, Resolver, Status, classify, combine, fqdn};
use hickory_resolver::proto::dnssec::PublicKey;
use hickory_resolver::proto::dnssec::rdata::DNSSECRData;
use hickory_resolver::proto::rr::{RData as HRData, RecordType};
use serde::Serialize;
use std::time::Instant;

/// One DNSKEY of the answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyInfo {
    /// The key tag (RFC 4034 appendix B), as DS records and trust anchors name the key.
    pub tag: u16,
    /// The flags field (257 = a key-signing key, 256 = a zone-signing key).
    pub flags: u16,
    /// The secure entry point flag: a key-signing key.
    pub ksk: bool,
    /// The algorithm's mnemonic (e.g. RSASHA256, ECDSAP256SHA256).
    pub algorithm: String,
}

/// What the resolver answered for a zone's DNSKEY RRset.
#[derive(Debug, Clone, Serialize)]
pub struct KeyAnswer {
    /// The zone asked, fully qualified (`.` for the root).
    pub zone: String,
    /// The keys, in answer order.
    pub keys: Vec<KeyInfo>,
    /// The RRset's TTL (the smallest seen), when there was data.
    pub ttl: Option<u32>,
    /// The DNSSEC proof of the RRset.
    pub dnssec: Dnssec,
    /// How the query ended.
    pub status: Status,
    /// What went wrong, for failures.
    pub detail: Option<String>,
    /// How long it took, in milliseconds.
    pub ms: f64,
}

impl Resolver {
    /// Ask for the DNSKEY RRset of `zone`, validated as every lookup is; failures are data.
    pub async fn dnskeys(&self, zone: &str) -> KeyAnswer {
        let zone = fqdn(zone);
        let start = Instant::now();
        let result = self.inner.lookup(zone.as_str(), RecordType::DNSKEY).await;
        let ms = (start.elapsed().as_secs_f64() * 100_000.0).round() / 100.0;
        let mut answer = KeyAnswer {
            zone,
            keys: Vec::new(),
            ttl: None,
            dnssec: Dnssec::Indeterminate,
            status: Status::Nodata,
            detail: None,
            ms,
        };
        match result {
            Ok(lookup) => {
                let mut proofs = Vec::new();
                for r in lookup.answers() {
                    let HRData::DNSSEC(DNSSECRData::DNSKEY(key)) = &r.data else {
                        continue;
                    };
                    proofs.push(r.proof);
                    answer.ttl = Some(answer.ttl.map_or(r.ttl, |t| t.min(r.ttl)));
                    answer.keys.push(KeyInfo {
                        tag: key.calculate_key_tag().unwrap_or_default(),
                        flags: key.flags(),
                        ksk: key.secure_entry_point(),
                        algorithm: key.public_key().algorithm().to_string(),
                    });
                }
                if !answer.keys.is_empty() {
                    answer.status = Status::Ok;
                    answer.dnssec = combine(&proofs);
                }
            }
            Err(e) => {
                let (status, dnssec, detail) = classify(&e);
                answer.status = status;
                answer.dnssec = dnssec;
                answer.detail = Some(detail).filter(|d| !d.is_empty());
            }
        }
        answer
    }
}
