//! A design rendered as records ([`records_of`]): the records the rules judge and the zone snippet
//! shows, so the snippet an administrator pastes and the findings they see are made from the same
//! records; with the texts those records carry (the MTA-STS policy file and its id, TLS-RPT, TXT
//! chunks) and the owner names (TLSA). Pure and below the rules: `zone` (export/import) and
//! `rules` both read it.

use crate::model::name::is_in_domain;
use crate::model::{Design, Origin, Profile, RData, Record, RecordSet, Role};
use rustc_hash::{FxBuildHasher, FxHashMap, FxHashSet};
use sha2::{Digest, Sha256};
use std::collections::hash_map::Entry;
use std::hash::BuildHasher;

/// Largest TXT character-string (RFC 1035 §3.3).
pub const TXT_CHUNK: usize = 255;

/// Split a TXT text into character-strings of at most 255 octets, never inside a UTF-8 character.
pub fn split_txt(text: &str) -> Vec<String> {
    if text.is_empty() {
        return vec![String::new()];
    }
    let mut parts = Vec::new();
    let mut start = 0;
    while start < text.len() {
        let mut end = (start + TXT_CHUNK).min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        parts.push(text[start..end].to_string());
        start = end;
    }
    parts
}

/// Parse a TLSA presentation string (`3 1 1 <hex>`) leniently: the numbers as written, the data with
/// white space removed and lower-cased. `None` when it does not have that shape at all.
pub fn parse_tlsa(text: &str) -> Option<RData> {
    // For ASCII text without a vertical tab, splitting at ASCII whitespace splits at exactly the
    // same places as `split_whitespace`, byte by byte instead of char by char.
    if text.is_ascii() && !text.contains('\x0b') {
        tlsa_fields(text, text.split_ascii_whitespace())
    } else {
        tlsa_fields(text, text.split_whitespace())
    }
}

/// [`parse_tlsa`] over the whitespace-separated fields of `text`.
fn tlsa_fields<'a>(text: &str, mut it: impl Iterator<Item = &'a str>) -> Option<RData> {
    let usage = it.next()?.parse::<i64>().ok()?;
    let selector = it.next()?.parse::<i64>().ok()?;
    let matching = it.next()?.parse::<i64>().ok()?;
    // One pass, one allocation: this runs for every TLSA string of every relay on every lint.
    let mut data = String::with_capacity(text.len());
    for part in it {
        data.push_str(part);
    }
    data.make_ascii_lowercase();
    if data.is_empty() {
        return None;
    }
    Some(RData::Tlsa {
        usage,
        selector,
        matching,
        data,
    })
}

/// The MTA-STS policy file of a design (CRLF line ends, RFC 8461 §3.2).
pub fn sts_policy_text(design: &Design) -> String {
    let Some(sts) = &design.mta_sts else {
        return String::new();
    };
    let mut s = String::new();
    s.push_str("version: STSv1\r\n");
    s.push_str("mode: ");
    s.push_str(sts.mode.as_str());
    s.push_str("\r\n");
    for mx in design.sts_mx_patterns() {
        s.push_str("mx: ");
        s.push_str(&mx);
        s.push_str("\r\n");
    }
    s.push_str(&format!("max_age: {}\r\n", sts.max_age));
    s
}

/// SHA-256 of a policy text, hex.
pub fn policy_sha256(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// The `id` of the `_mta-sts` TXT record: the design's own, or one derived from the policy text so it
/// changes whenever the text does (20 hex digits of its SHA-256: 1–32 letters/digits, STS-003).
pub fn sts_id(design: &Design) -> String {
    match design.mta_sts.as_ref().and_then(|s| s.id.clone()) {
        Some(id) => id,
        None => policy_sha256(&sts_policy_text(design))[..20].to_string(),
    }
}

/// The TLS-RPT TXT text of a design: `v=TLSRPTv1; rua=a,b`.
pub fn tlsrpt_text(rpt: &crate::model::TlsRpt) -> String {
    format!("v=TLSRPTv1; rua={}", rpt.rua.join(","))
}

/// The TLSA owner for a relay: `_<port>._tcp.<host>`.
pub fn tlsa_owner(port: i64, host: &str) -> String {
    // Sized once, and without `format!`'s machinery for the usual ports.
    let port: std::borrow::Cow<'_, str> = match port {
        25 => "25".into(),
        465 => "465".into(),
        587 => "587".into(),
        _ => port.to_string().into(),
    };
    let mut s = String::with_capacity(1 + port.len() + 6 + host.len());
    s.push('_');
    s.push_str(&port);
    s.push_str("._tcp.");
    s.push_str(host);
    s
}

/// The relays with their design index, BERs first (in design order), then SORs (in design order).
///
/// Addresses and TLSA records are rendered in this order: it is the order a zone import can recover
/// (the MX RRset gives the BER order, the SRV RRset the SOR order), so export → import → export is
/// byte-identical.
pub fn relays_ber_first(design: &Design) -> impl Iterator<Item = (usize, &crate::model::Relay)> {
    let bers = design
        .relays
        .iter()
        .enumerate()
        .filter(|(_, r)| r.role == Role::Ber);
    let sors = design
        .relays
        .iter()
        .enumerate()
        .filter(|(_, r)| r.role == Role::Sor);
    bers.chain(sors)
}

/// The first half of [`records_of`]: null MX, MX, SRV, then the relays' addresses.
fn relay_records(design: &Design) -> Vec<Record> {
    let domain = design.domain.as_str();
    let ttl = design.ttl;
    let n = design.relays.len();
    let mut out = Vec::with_capacity(n * 3 + 1);
    if design.null_mx {
        out.push(
            Record::new(
                domain,
                ttl,
                RData::Mx {
                    preference: 0,
                    exchange: String::new(),
                },
            )
            .with_origin(Origin::Domain),
        );
    }
    for (i, r) in design.relays.iter().enumerate() {
        if r.in_mx() {
            out.push(
                Record::new(
                    domain,
                    ttl,
                    RData::Mx {
                        preference: r.preference,
                        exchange: r.host.clone(),
                    },
                )
                .with_origin(Origin::Relay(i)),
            );
        }
    }
    let srv_owner = design.srv_owner();
    for (i, r) in design.relays.iter().enumerate() {
        if r.in_srv() {
            let port = if r.role == Role::Sor { r.port } else { 25 };
            out.push(
                Record::new(
                    srv_owner.as_str(),
                    ttl,
                    RData::Srv {
                        priority: r.priority,
                        weight: r.weight,
                        port,
                        target: r.host.clone(),
                    },
                )
                .with_origin(Origin::Relay(i)),
            );
        }
    }
    let mut seen_addr = FxHashSet::default();
    seen_addr.reserve(n * 2);
    for (i, r) in relays_ber_first(design) {
        if !is_in_domain(&r.host, domain) {
            continue;
        }
        // A before AAAA: a zone reader groups records into RRsets by (name, type), so this is the
        // only order an import can give back.
        let v4 = r.addresses.iter().filter(|a| a.is_ipv4());
        let v6 = r.addresses.iter().filter(|a| a.is_ipv6());
        for addr in v4.chain(v6) {
            if !seen_addr.insert((r.host.as_str(), *addr)) {
                continue;
            }
            let data = match addr {
                std::net::IpAddr::V4(a) => RData::A(*a),
                std::net::IpAddr::V6(a) => RData::Aaaa(*a),
            };
            out.push(Record::new(r.host.as_str(), ttl, data).with_origin(Origin::Relay(i)));
        }
    }
    out
}

/// The second half of [`records_of`]: TLSA, then the MTA-STS and TLS-RPT records.
fn tlsa_and_policy_records(design: &Design) -> Vec<Record> {
    let domain = design.domain.as_str();
    let ttl = design.ttl;
    let n = design.relays.len();
    let mut out = Vec::with_capacity(n * 3 + 2);
    // Duplicate TLSA records of one relay host and port are published once. The records already
    // pushed are the memory: `seen_tlsa` maps the hash of (owner, data) to the first such record, so
    // no data is copied; a hash shared by different records is settled by looking at all of them.
    let mut seen_tlsa: FxHashMap<u64, usize> = FxHashMap::default();
    seen_tlsa.reserve(n * 2);
    for (i, r) in relays_ber_first(design) {
        if r.tlsa.is_empty() {
            continue;
        }
        let owner = tlsa_owner(r.tlsa_port(), &r.host);
        let mut owner = Some(owner);
        let count = r.tlsa.len();
        for (k, t) in r.tlsa.iter().enumerate() {
            let Some(current) = owner.as_deref() else {
                break;
            };
            let data = parse_tlsa(t).unwrap_or_else(|| RData::Other {
                rtype: "TLSA".to_string(),
                data: t.trim().to_string(),
            });
            let key = FxBuildHasher.hash_one((current, &data));
            match seen_tlsa.entry(key) {
                Entry::Occupied(e) => {
                    let same = |rec: &Record| rec.name == current && rec.data == data;
                    if out.get(*e.get()).is_some_and(same) || out.iter().any(same) {
                        continue;
                    }
                }
                Entry::Vacant(e) => {
                    e.insert(out.len());
                }
            }
            // The last record of the relay takes the owner string itself.
            let name = if k + 1 == count {
                owner.take().unwrap_or_default()
            } else {
                current.to_string()
            };
            out.push(Record::new(name, ttl, data).with_origin(Origin::Relay(i)));
        }
    }
    if design.mta_sts.is_some() {
        let text = format!("v=STSv1; id={}", sts_id(design));
        out.push(
            Record::new(
                format!("_mta-sts.{domain}"),
                ttl,
                RData::Txt(split_txt(&text)),
            )
            .with_origin(Origin::MtaSts),
        );
    }
    if let Some(rpt) = &design.tls_rpt {
        let text = tlsrpt_text(rpt);
        out.push(
            Record::new(
                format!("_smtp._tls.{domain}"),
                ttl,
                RData::Txt(split_txt(&text)),
            )
            .with_origin(Origin::TlsRpt),
        );
        // DANE failures are reported to the TLSA base domain, i.e. the relay host (RFC 8460 §1.1,
        // XR-010): publish the same destinations there for every relay host inside the domain that
        // has TLSA.
        let mut seen = FxHashSet::default();
        let parts = split_txt(&text);
        for (_, r) in relays_ber_first(design) {
            if r.tlsa.is_empty()
                || r.host == domain
                || !is_in_domain(&r.host, domain)
                || !seen.insert(r.host.as_str())
            {
                continue;
            }
            let mut name = String::with_capacity(11 + r.host.len());
            name.push_str("_smtp._tls.");
            name.push_str(&r.host);
            out.push(Record::new(name, ttl, RData::Txt(parts.clone())).with_origin(Origin::TlsRpt));
        }
    }
    out
}

/// Render a design as records, in a deterministic order: MX (null MX first, then the BERs in design
/// order), SRV (relays listed there, in design order), A/AAAA (relay hosts inside the domain, BERs
/// first then SORs, each relay's A records before its AAAA records), TLSA (same relay order),
/// `_mta-sts`, `_smtp._tls`, SGE SPF and DMARC.
pub fn records_of(design: &Design) -> RecordSet {
    let domain = design.domain.as_str();
    let ttl = design.ttl;
    // Per relay: an MX or SRV record, about two addresses, two TLSA records, a TLS-RPT record; the
    // names are the relay host, its TLSA owner and its TLS-RPT owner.
    let n = design.relays.len();
    let mut set = RecordSet::with_capacity(n * 6 + 8, n * 3 + 8);
    for r in relay_records(design) {
        set.push(r);
    }
    for r in tlsa_and_policy_records(design) {
        set.push(r);
    }
    if design.profile == Profile::Sge
        && let Some(sge) = &design.sge
    {
        if let Some(spf) = &sge.spf {
            set.push(Record::new(domain, ttl, RData::Txt(split_txt(spf))).with_origin(Origin::Sge));
        }
        if let Some(dmarc) = &sge.dmarc {
            set.push(
                Record::new(
                    format!("_dmarc.{domain}"),
                    ttl,
                    RData::Txt(split_txt(dmarc)),
                )
                .with_origin(Origin::Sge),
            );
        }
    }
    set
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn txt_split_at_255_octets() {
        let long = "a".repeat(600);
        let parts = split_txt(&long);
        assert_eq!(
            parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
            vec![255, 255, 90]
        );
        assert_eq!(parts.concat(), long);
        let uni = "ō".repeat(200); // 400 octets, 2 each
        let parts = split_txt(&uni);
        assert!(parts.iter().all(|p| p.len() <= 255));
        assert_eq!(parts.concat(), uni);
    }

    #[test]
    fn tlsa_parse_splits_at_every_whitespace() {
        let want = Some(RData::Tlsa {
            usage: 3,
            selector: 1,
            matching: 1,
            data: "abcd".into(),
        });
        for text in [
            "3\x0b1 1 ab cd",
            "3\t1\r\n1 AB\x0ccd",
            "3\u{a0}1\u{2003}1 ab\u{85}cd",
        ] {
            assert_eq!(parse_tlsa(text), want, "{text:?}");
        }
        assert_eq!(parse_tlsa("3 1 1"), None);
        assert_eq!(tlsa_owner(25, "mx.example"), "_25._tcp.mx.example");
        assert_eq!(tlsa_owner(-7, "mx.example"), "_-7._tcp.mx.example");
    }

    #[test]
    fn tlsa_parse_is_lenient() {
        assert_eq!(
            parse_tlsa("3 1 1 AB cd"),
            Some(RData::Tlsa {
                usage: 3,
                selector: 1,
                matching: 1,
                data: "abcd".into()
            })
        );
        assert_eq!(parse_tlsa("3 1"), None);
        assert_eq!(parse_tlsa("x 1 1 ab"), None);
    }
}
