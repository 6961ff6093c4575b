//! Wire sizes of the RRsets of a record set (NAME-014, NAME-015), measured with hickory-proto's encoder.
//!
//! The linter runs on every keystroke, so the work is in two steps: a cheap bound per RRset from the
//! lengths of its names and data (no compression, so never below the real size), then the exact
//! encoding only for the RRsets whose bound could break a limit (the smallest one is 1,232 octets).
//! Every verdict comes from the exact encoding; the bound only decides what need not be encoded.
//! The result is made once per record set and shared by both rules ([`RecordSet::shared`]).

use crate::model::{RData, Record, RecordSet};
use hickory_proto::dnssec::Algorithm;
use hickory_proto::dnssec::rdata::{RRSIG, SigInput};
use hickory_proto::op::{Header, HeaderCounts, MessageType, Metadata, OpCode, Query};
use hickory_proto::rr::rdata::{A, AAAA, CNAME, MX, SRV, TLSA, TXT};
use hickory_proto::rr::{Name, RData as HRData, Record as HRecord, RecordType, SerialNumber};
use hickory_proto::serialize::binary::{BinEncodable, BinEncoder};
use rustc_hash::FxHashMap;

/// The EDNS buffer size of DNS Flag Day 2020: larger UDP answers are truncated and retried over TCP.
pub const UDP_LIMIT: usize = 1_232;
/// The largest DNS message (RFC 1035 §4.2.2: a 16-bit length prefix over TCP).
pub const MESSAGE_LIMIT: usize = 65_535;
/// The largest RRset BIND 9 stores: the sum over its records of (2 + RDLENGTH) in octets. Measured
/// with `named-checkzone` 9.18 (`ran out of space` one octet above, whatever the owner name or the
/// number of records); NSD and Knot load larger ones.
pub const BIND_RRSET_LIMIT: usize = 65_512;
/// Octets of the OPT record an EDNS answer carries (root owner, type, size, flags, empty data).
pub const OPT_RECORD: usize = 11;
/// Signature length assumed for the one RRSIG of a signed zone: ECDSA P-256 (algorithm 13, the
/// algorithm RFC 8624 recommends and most signed zones use; RSA signatures are longer).
const SIGNATURE_OCTETS: usize = 64;

// hickory's encoder compresses the first 120 names of a message only (Unbound's limit since
// CVE-2024-8508): the answer sizes below are what such a server sends; BIND compresses more, NSD and
// Knot load an RRset of any size but cannot serve one over 65,535 octets.

/// The answer size of one RRset, as the rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// The exact size in octets of the answer: header, question, the RRset and (signed zone) one RRSIG.
    Exact(usize),
    /// The answer does not fit in 65,535 octets: the first `fit` records already fill the message.
    TooLarge {
        /// How many records were encoded before the message was full.
        fit: usize,
    },
}

/// One RRset whose cheap bound reached [`UDP_LIMIT`], measured exactly.
#[derive(Debug, Clone)]
pub struct Measured {
    /// Index (in [`RecordSet::records`]) of the RRset's first record.
    pub first: usize,
    /// Number of records in the RRset.
    pub records: usize,
    /// The answer to a query for the RRset.
    pub answer: Answer,
    /// The RRset as a server stores it: Σ (2 + RDLENGTH), names uncompressed.
    pub stored: usize,
}

/// The measured RRsets of a record set; RRsets with data the encoder cannot write (a number out of
/// range, a TXT string over 255 octets, a type the rules do not know) are left out: other rules
/// report those records.
#[derive(Debug, Clone, Default)]
pub struct Sizes {
    /// Whether one RRSIG per answer was counted (the set holds TLSA, RRSIG or DNSKEY records:
    /// DANE only works in a signed zone).
    pub signed: bool,
    /// The RRsets measured exactly, in record order.
    pub measured: Vec<Measured>,
}

/// The wire sizes of the RRsets of `set` for the mail domain `domain` (the zone that signs the
/// names inside it), made once and shared by the rules.
pub fn sizes<'f>(facts: &'f super::Facts<'_>) -> &'f Sizes {
    facts
        .wire_sizes
        .get_or_init(|| measure(facts.records, facts.domain))
}

/// Whether the set is meant for a signed zone.
fn is_signed(set: &RecordSet) -> bool {
    ["TLSA", "RRSIG", "DNSKEY"]
        .iter()
        .any(|t| set.of_type(t).next().is_some())
}

/// Wire length of a name written uncompressed (A-labels for raw Unicode).
fn name_wire(name: &str) -> usize {
    if name.is_empty() {
        return 1;
    }
    let len = if name.is_ascii() {
        name.len()
    } else {
        idna::domain_to_ascii(name)
            .map(|a| a.len())
            .unwrap_or(name.len())
            .max(name.len())
    };
    len + 2
}

/// RDLENGTH with names uncompressed: exact for the types the rules know, an upper bound for TXT
/// and TLSA written wrongly (those are not encoded).
fn rdata_bound(data: &RData) -> usize {
    match data {
        RData::Mx { exchange, .. } => 2 + name_wire(exchange),
        RData::Srv { target, .. } => 6 + name_wire(target),
        RData::A(_) => 4,
        RData::Aaaa(_) => 16,
        RData::Tlsa { data, .. } => 3 + data.len().div_ceil(2),
        RData::Txt(parts) => parts.iter().map(|p| 1 + p.len()).sum(),
        RData::Cname(t) => name_wire(t),
        RData::Other { data, .. } => data.len(),
    }
}

/// Largest RRSIG record: owner pointer, fixed fields, longest signer name, signature.
const RRSIG_BOUND: usize = 2 + 10 + 18 + 255 + SIGNATURE_OCTETS;

fn measure(set: &RecordSet, domain: &str) -> Sizes {
    let signed = is_signed(set);
    let records = set.records();
    // Cheap bound per RRset: records of one RRset come in a row almost always, so one hash look-up
    // per run of equal (owner, type), not per record.
    let mut bound: FxHashMap<(&str, &str), (usize, usize)> = FxHashMap::default();
    let mut i = 0;
    while i < records.len() {
        let Some(r) = records.get(i) else { break };
        let rtype = r.data.rtype();
        let owner = name_wire(&r.name);
        let mut size = 0usize;
        let mut j = i;
        while let Some(s) = records.get(j) {
            if s.name != r.name || s.data.rtype() != rtype {
                break;
            }
            size += owner + 10 + rdata_bound(&s.data);
            j += 1;
        }
        let e = bound.entry((r.name.as_str(), rtype)).or_insert((i, 0));
        e.1 += size;
        i = j;
    }
    let extra =
        |owner: &str| 12 + name_wire(owner) + 4 + OPT_RECORD + if signed { RRSIG_BOUND } else { 0 };
    let mut candidates: Vec<(usize, &str, &str)> = bound
        .into_iter()
        .filter(|((owner, _), (_, size))| size + extra(owner) > UDP_LIMIT)
        .map(|((owner, rtype), (first, _))| (first, owner, rtype))
        .collect();
    candidates.sort_unstable();
    let measured = candidates
        .into_iter()
        .filter_map(|(first, owner, rtype)| {
            let rrset: Vec<&Record> = set.at(owner, rtype).collect();
            let signer = signed.then(|| signer_of(owner, domain));
            let (answer, stored) = encode_rrset(owner, rtype, &rrset, signer.as_deref())?;
            Some(Measured {
                first,
                records: rrset.len(),
                answer,
                stored,
            })
        })
        .collect();
    Sizes { signed, measured }
}

/// A name as hickory holds it: absolute, A-labels for raw Unicode.
fn hname(name: &str) -> Option<Name> {
    if name.is_empty() {
        return Some(Name::root());
    }
    let fqdn = format!("{name}.");
    if name.is_ascii() {
        Name::from_ascii(&fqdn).ok()
    } else {
        Name::from_utf8(&fqdn).ok()
    }
}

/// Our record data as hickory's, or `None` when it cannot be written on the wire as it stands.
fn hdata(data: &RData) -> Option<HRData> {
    Some(match data {
        RData::Mx {
            preference,
            exchange,
        } => HRData::MX(MX::new(u16::try_from(*preference).ok()?, hname(exchange)?)),
        RData::Srv {
            priority,
            weight,
            port,
            target,
        } => HRData::SRV(SRV::new(
            u16::try_from(*priority).ok()?,
            u16::try_from(*weight).ok()?,
            u16::try_from(*port).ok()?,
            hname(target)?,
        )),
        RData::A(a) => HRData::A(A(*a)),
        RData::Aaaa(a) => HRData::AAAA(AAAA(*a)),
        RData::Tlsa {
            usage,
            selector,
            matching,
            data,
        } => HRData::TLSA(TLSA::new(
            u8::try_from(*usage).ok()?.into(),
            u8::try_from(*selector).ok()?.into(),
            u8::try_from(*matching).ok()?.into(),
            hex::decode(data).ok()?,
        )),
        RData::Txt(parts) => {
            if parts.iter().any(|p| p.len() > 255) {
                return None;
            }
            HRData::TXT(TXT::new(parts.clone()))
        }
        RData::Cname(t) => HRData::CNAME(CNAME(hname(t)?)),
        RData::Other { .. } => return None,
    })
}

/// Encode the answer to `owner`/`rtype` holding `rrset` (and one RRSIG by `signer` in a signed
/// zone) the way an authoritative server writes it: header, question, the records with name
/// compression. Also the RRset's stored size (Σ 2 + RDLENGTH, names uncompressed). `None` when a
/// record cannot be written.
fn encode_rrset(
    owner: &str,
    rtype: &str,
    rrset: &[&Record],
    signer: Option<&str>,
) -> Option<(Answer, usize)> {
    let name = hname(owner)?;
    let qtype = RecordType::from(rtype_code(rtype)?);
    let records: Vec<HRecord> = rrset
        .iter()
        .map(|r| {
            let ttl = u32::try_from(r.ttl).ok()?;
            Some(HRecord::from_rdata(name.clone(), ttl, hdata(&r.data)?))
        })
        .collect::<Option<_>>()?;

    // Stored size: each RDATA alone, names uncompressed (canonical form).
    let mut stored = 0usize;
    let mut buf = Vec::with_capacity(512);
    for r in &records {
        buf.clear();
        let mut enc = BinEncoder::new(&mut buf);
        enc.set_canonical_form(true);
        r.data.emit(&mut enc).ok()?;
        stored += 2 + buf.len();
    }

    let mut buf = Vec::with_capacity(4096);
    let mut enc = BinEncoder::new(&mut buf);
    let mut metadata = Metadata::new(0, MessageType::Response, OpCode::Query);
    metadata.authoritative = true;
    let header = Header {
        metadata,
        counts: HeaderCounts {
            queries: 1,
            answers: u16::try_from(records.len() + usize::from(signer.is_some()))
                .unwrap_or(u16::MAX),
            authorities: 0,
            additionals: 0,
        },
    };
    let mut query = Query::new();
    query.set_name(name.clone()).set_query_type(qtype);
    let full = |fit| Some((Answer::TooLarge { fit }, stored));
    if header.emit(&mut enc).is_err() || query.emit(&mut enc).is_err() {
        return full(0);
    }
    for (k, r) in records.iter().enumerate() {
        if r.emit(&mut enc).is_err() {
            return full(k);
        }
    }
    if let Some(signer) = signer {
        let ttl = records.first().map_or(0, |r| r.ttl);
        let input = SigInput {
            type_covered: qtype,
            algorithm: Algorithm::ECDSAP256SHA256,
            num_labels: name.num_labels(),
            original_ttl: ttl,
            sig_expiration: SerialNumber::new(0),
            sig_inception: SerialNumber::new(0),
            key_tag: 0,
            signer_name: hname(signer)?,
        };
        let sig = RRSIG::from_sig(input, vec![0; SIGNATURE_OCTETS]);
        let rec = HRecord::from_rdata(name, ttl, sig);
        if rec.emit(&mut enc).is_err() {
            return full(records.len());
        }
    }
    Some((Answer::Exact(enc.len()), stored))
}

/// The zone whose key signs `owner`: the mail domain for names inside it; for a name outside (a
/// provider's relay host), its parent (`_25._tcp.mx1.provider.example` → `provider.example`: the
/// record set does not tell where that zone is cut). The signer name is written uncompressed in the
/// RRSIG, so its length counts.
fn signer_of(owner: &str, domain: &str) -> String {
    if crate::model::name::is_in_domain(owner, domain) {
        return domain.to_string();
    }
    let host = owner
        .split('.')
        .skip_while(|l| l.starts_with('_'))
        .collect::<Vec<_>>();
    host.get(1..).map(|rest| rest.join(".")).unwrap_or_default()
}

/// The type code of a mnemonic the rules know.
fn rtype_code(rtype: &str) -> Option<u16> {
    Some(match rtype {
        "A" => 1,
        "CNAME" => 5,
        "MX" => 15,
        "TXT" => 16,
        "AAAA" => 28,
        "SRV" => 33,
        "TLSA" => 52,
        _ => return None,
    })
}
