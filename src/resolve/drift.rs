//! Drift: the records a design renders against what DNS publishes, per RRset — the list an
//! administrator works through after pasting a snippet.

use super::fetch::{Published, in_domain};
use super::{Status, fqdn, rdata_text};
use crate::model::{RecordSet, RecordType};
use serde::Serialize;
use std::collections::BTreeMap;

/// How one RRset differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    /// Designed, not published.
    Missing,
    /// Published, not designed.
    Extra,
    /// Both, with different data or TTL.
    Different,
    /// Designed, but the lookup failed (SERVFAIL, REFUSED, timeout): cannot tell.
    Unknown,
}

/// One RRset that differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Drift {
    /// Owner name, fully qualified.
    pub name: String,
    /// Record type.
    #[serde(rename = "type")]
    pub rtype: RecordType,
    /// The kind of difference.
    pub change: Change,
    /// Designed records (presentation form, sorted).
    pub designed: Vec<String>,
    /// Published records (presentation form, sorted).
    pub published: Vec<String>,
    /// Designed TTL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub designed_ttl: Option<i64>,
    /// Published TTL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published_ttl: Option<i64>,
    /// Why, when it is not obvious from the lists (a failed lookup, a CNAME instead of data).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// Compare a design's records with the published state. Only names inside the mail domain are
/// reported as extra (apex addresses and other apex TXT are not the design's business).
pub fn drift(designed: &RecordSet, published: &Published) -> Vec<Drift> {
    // designed (name, type) -> (texts, min ttl)
    let mut want: BTreeMap<(String, RecordType), (Vec<String>, i64)> = BTreeMap::new();
    for r in designed.iter() {
        let e = want
            .entry((r.name.clone(), RecordType::of(r.data.rtype())))
            .or_insert((Vec::new(), r.ttl));
        e.0.push(rdata_text(&r.data));
        e.1 = e.1.min(r.ttl);
    }
    let mut out = Vec::new();
    for ((name, rtype), (mut texts, ttl)) in want.clone() {
        texts.sort();
        texts.dedup();
        let Some(got) = published.rrset(&name, rtype.clone()) else {
            continue;
        };
        if !got.status.is_answer() {
            out.push(Drift {
                name: fqdn(&name),
                rtype,
                change: Change::Unknown,
                designed: texts,
                published: Vec::new(),
                designed_ttl: Some(ttl),
                published_ttl: None,
                detail: Some(format!(
                    "lookup failed: {}{}",
                    got.status.as_str(),
                    got.detail
                        .as_deref()
                        .map(|d| format!(" ({d})"))
                        .unwrap_or_default()
                )),
            });
            continue;
        }
        let mut have = got.records.clone();
        if name == published.domain && rtype == RecordType::Txt {
            // At the apex only the SPF record is the design's business (not site verifications).
            have.retain(|t| t.starts_with("\"v=spf1"));
        }
        have.dedup();
        if have.is_empty() {
            out.push(Drift {
                name: fqdn(&name),
                rtype,
                change: Change::Missing,
                designed: texts,
                published: Vec::new(),
                designed_ttl: Some(ttl),
                published_ttl: None,
                detail: got
                    .cname
                    .as_ref()
                    .map(|c| format!("a CNAME to {c} is published instead"))
                    .or_else(|| Some(got.status.as_str().to_string())),
            });
        } else if have != texts || got.ttl.map(i64::from) != Some(ttl) {
            let detail = if have == texts {
                Some("same data, different TTL".to_string())
            } else {
                None
            };
            out.push(Drift {
                name: fqdn(&name),
                rtype,
                change: Change::Different,
                designed: texts,
                published: have,
                designed_ttl: Some(ttl),
                published_ttl: got.ttl.map(i64::from),
                detail,
            });
        }
    }
    let domain = published.domain.as_str();
    for s in &published.rrsets {
        let owner = s.owner();
        // DKIM key records (asked for SGE-005) are the mail system's, not the design's: judged by
        // the rule, never drift.
        if !in_domain(&owner, domain) || owner.contains("._domainkey.") {
            continue;
        }
        let apex_extra = owner == domain
            && matches!(s.rtype, RecordType::A | RecordType::Aaaa | RecordType::Txt);
        if s.status == Status::Ok
            && !s.records.is_empty()
            && !apex_extra
            && !want.contains_key(&(owner.clone(), s.rtype.clone()))
        {
            out.push(Drift {
                name: s.name.clone(),
                rtype: s.rtype.clone(),
                change: Change::Extra,
                designed: Vec::new(),
                published: s.records.clone(),
                designed_ttl: None,
                published_ttl: s.ttl.map(i64::from),
                detail: None,
            });
        }
        if let Some(c) = &s.cname
            && !want.contains_key(&(owner.clone(), RecordType::Cname))
            && !out.iter().any(|d| {
                d.change == Change::Extra && d.rtype == RecordType::Cname && d.name == s.name
            })
        {
            out.push(Drift {
                name: s.name.clone(),
                rtype: RecordType::Cname,
                change: Change::Extra,
                designed: Vec::new(),
                published: vec![c.clone()],
                designed_ttl: None,
                published_ttl: None,
                detail: None,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::Dnssec;
    use super::super::fetch::rrset_of;
    use super::*;
    use crate::model::{RData, Record};

    fn mx(p: i64, ex: &str, ttl: i64) -> Record {
        Record::new(
            "a.test",
            ttl,
            RData::Mx {
                preference: p,
                exchange: ex.into(),
            },
        )
    }

    #[test]
    fn each_kind_of_drift() {
        let designed: RecordSet = vec![
            mx(10, "mx1.a.test", 3600),
            Record::new("mx1.a.test", 3600, RData::A("192.0.2.1".parse().unwrap())),
            Record::new(
                "_mta-sts.a.test",
                3600,
                RData::Txt(vec!["v=STSv1; id=1".into()]),
            ),
        ]
        .into_iter()
        .collect();
        let published = Published::from_rrsets(
            "a.test",
            "_secmx",
            vec![
                rrset_of(
                    "a.test",
                    "MX",
                    Status::Ok,
                    Dnssec::Insecure,
                    vec![mx(10, "mx1.a.test", 300)],
                ),
                rrset_of(
                    "mx1.a.test",
                    "A",
                    Status::Nxdomain,
                    Dnssec::Insecure,
                    vec![],
                ),
                rrset_of(
                    "_mta-sts.a.test",
                    "TXT",
                    Status::Timeout,
                    Dnssec::Indeterminate,
                    vec![],
                ),
                rrset_of(
                    "_secmx._tcp.a.test",
                    "SRV",
                    Status::Ok,
                    Dnssec::Insecure,
                    vec![Record::new(
                        "_secmx._tcp.a.test",
                        60,
                        RData::Srv {
                            priority: 0,
                            weight: 0,
                            port: 0,
                            target: String::new(),
                        },
                    )],
                ),
            ],
            0,
        );
        let d = drift(&designed, &published);
        let kinds: Vec<(&str, Change)> = d.iter().map(|x| (x.rtype.as_str(), x.change)).collect();
        assert!(kinds.contains(&("MX", Change::Different)), "{d:?}");
        assert!(kinds.contains(&("A", Change::Missing)), "{d:?}");
        assert!(kinds.contains(&("TXT", Change::Unknown)), "{d:?}");
        assert!(kinds.contains(&("SRV", Change::Extra)), "{d:?}");
    }

    #[test]
    fn dkim_key_records_are_not_drift() {
        let owner = "s1._domainkey.a.test";
        let published = Published::from_rrsets(
            "a.test",
            "_secmx",
            vec![
                rrset_of(
                    owner,
                    "TXT",
                    Status::Ok,
                    Dnssec::Insecure,
                    vec![Record::new(
                        owner,
                        300,
                        RData::Txt(vec!["v=DKIM1; p=".into()]),
                    )],
                ),
                rrset_of(
                    "_smtp._tls.a.test",
                    "TXT",
                    Status::Ok,
                    Dnssec::Insecure,
                    vec![Record::new(
                        "_smtp._tls.a.test",
                        300,
                        RData::Txt(vec!["v=TLSRPTv1; rua=mailto:r@a.test".into()]),
                    )],
                ),
            ],
            0,
        );
        let d = drift(&RecordSet::new(), &published);
        let names: Vec<&str> = d.iter().map(|x| x.name.as_str()).collect();
        assert_eq!(names, vec!["_smtp._tls.a.test."], "{d:?}");
    }
}
