//! The key rollover plan of each design relay that names a next key (`next_tlsa`, `next_key`;
//! RFC 7671 §8.1): publish the next key's record beside the current ones, switch the served key
//! two TTLs after the record was first seen published, remove the old records two TTLs after the
//! switch. Part of the [`LiveReport`](super::LiveReport) (`rollover` in the JSON report), printed
//! by `secmx check` and shown by the window. Dates come from the history of checks when there is
//! one (when the next record was first seen); without it the steps say how long to wait from what.

use super::DnsReport;
use crate::model::{Design, normalize_tlsa};
use crate::probe::ProbeReport;
use serde::Serialize;

/// What a step of the plan does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepAction {
    /// Publish `record` (the next key's) beside the current records.
    Publish,
    /// Make the relay serve the next key.
    SwitchKey,
    /// Remove `record` (an old key's) from the TLSA set.
    Remove,
    /// Nothing left to switch: the relay serves the next key.
    Done,
}

impl StepAction {
    /// The word shown for the action.
    pub fn as_str(self) -> &'static str {
        match self {
            StepAction::Publish => "publish",
            StepAction::SwitchKey => "switch the key",
            StepAction::Remove => "remove",
            StepAction::Done => "done",
        }
    }
}

/// One step of a relay's plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanStep {
    /// What to do.
    pub action: StepAction,
    /// The TLSA record the step is about (`3 1 1 <hex>`): the one to publish or to remove.
    pub record: Option<String>,
    /// Not before this time (Unix seconds), when the history dates it; `null` = now (`publish`)
    /// or not known yet (see `wait_seconds` and `after`).
    pub not_before_unix: Option<i64>,
    /// `not_before_unix` as `YYYY-MM-DD HH:MM UTC`.
    pub not_before: Option<String>,
    /// How long to wait (2×TTL, seconds) after the event `after` names, when the step waits.
    pub wait_seconds: Option<i64>,
    /// What the wait counts from: `publication` (of the next record) or `switch` (of the key).
    pub after: Option<String>,
    /// The step in words, as `secmx check` prints it (`now: publish 3 1 1 …`).
    pub text: String,
}

/// The rollover plan of one design relay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RelayPlan {
    /// The relay's host name.
    pub host: String,
    /// The TLSA owner name, `_25._tcp.<host>`.
    pub owner: String,
    /// The TTL the waits are counted in: the published TLSA RRset's, else the design's.
    pub ttl: i64,
    /// The steps, in order.
    pub steps: Vec<PlanStep>,
}

fn step(action: StepAction, record: Option<&str>, text: String) -> PlanStep {
    PlanStep {
        action,
        record: record.map(str::to_string),
        not_before_unix: None,
        not_before: None,
        wait_seconds: None,
        after: None,
        text,
    }
}

/// `YYYY-MM-DD HH:MM UTC` of Unix seconds.
fn when(t: i64) -> String {
    let f = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    time::OffsetDateTime::from_unix_timestamp(t)
        .ok()
        .and_then(|d| d.format(&f).ok())
        .unwrap_or_else(|| t.to_string())
}

/// The plan of every relay of `design` that names a next key, given what a run found in DNS and
/// at the relays (both `None` before any run: the plan of the design alone).
/// `first_seen(owner, record)` is when the history first saw `record` published at `owner`
/// (`_25._tcp.mx.example`, no final dot), continuously since; `None` without a history.
pub fn plans(
    design: &Design,
    dns: Option<&DnsReport>,
    probes: Option<&[ProbeReport]>,
    first_seen: &dyn Fn(&str, &str) -> Option<i64>,
) -> Vec<RelayPlan> {
    let mut out = Vec::new();
    for relay in design
        .relays
        .iter()
        .filter(|x| !x.next_records().is_empty())
    {
        let owner = format!("_{}._tcp.{}", relay.tlsa_port(), relay.host);
        let published = dns.and_then(|d| {
            d.rrsets
                .iter()
                .find(|s| s.rtype == crate::model::RecordType::Tlsa && s.owner() == owner)
        });
        let ttl = published
            .and_then(|s| s.ttl)
            .map(i64::from)
            .unwrap_or(design.ttl);
        let live: Option<Vec<String>> =
            published.map(|s| s.records.iter().map(|x| normalize_tlsa(x)).collect());
        let next = relay.next_records();
        let old: Vec<String> = relay
            .tlsa
            .iter()
            .map(|t| normalize_tlsa(t))
            .filter(|t| !next.contains(t))
            .collect();
        let served: Vec<String> = probes
            .into_iter()
            .flatten()
            .filter(|p| p.host == relay.host && i64::from(p.port) == relay.tlsa_port())
            .filter_map(|p| p.certificate.as_ref()?.chain.first())
            .map(|c| format!("3 1 1 {}", c.spki_sha256))
            .collect();
        let switched = !served.is_empty() && served.iter().all(|k| next.contains(k));
        let mut steps = Vec::new();
        let unpublished: Vec<&String> = next
            .iter()
            .filter(|n| live.as_ref().is_none_or(|l| !l.contains(n)))
            .collect();
        if !unpublished.is_empty() {
            for n in &unpublished {
                steps.push(step(
                    StepAction::Publish,
                    Some(n),
                    format!("now: publish {n}"),
                ));
            }
            let mut s = step(
                StepAction::SwitchKey,
                None,
                format!(
                    "after 2×TTL ({} s) from publication: switch the key",
                    2 * ttl
                ),
            );
            s.wait_seconds = Some(2 * ttl);
            s.after = Some("publication".into());
            steps.push(s);
        } else if switched {
            steps.push(step(
                StepAction::Done,
                None,
                "done: the relay serves the next key".into(),
            ));
        } else {
            let seen = next.iter().filter_map(|n| first_seen(&owner, n)).max();
            let mut s = match seen {
                Some(t) => {
                    let mut s = step(
                        StepAction::SwitchKey,
                        None,
                        format!(
                            "after {}: switch the key (2×TTL from when the next record was first seen, {})",
                            when(t + 2 * ttl),
                            when(t)
                        ),
                    );
                    s.not_before_unix = Some(t + 2 * ttl);
                    s.not_before = Some(when(t + 2 * ttl));
                    s
                }
                None => step(
                    StepAction::SwitchKey,
                    None,
                    format!(
                        "after 2×TTL ({} s) from publication: switch the key (published now; save runs with --save for a date)",
                        2 * ttl
                    ),
                ),
            };
            s.wait_seconds = Some(2 * ttl);
            s.after = Some("publication".into());
            steps.push(s);
        }
        for o in &old {
            let text = if switched {
                format!("after 2×TTL ({} s) from the switch: remove {o}", 2 * ttl)
            } else {
                format!("after the switch + 2×TTL: remove {o}")
            };
            let mut s = step(StepAction::Remove, Some(o), text);
            s.wait_seconds = Some(2 * ttl);
            s.after = Some("switch".into());
            steps.push(s);
        }
        out.push(RelayPlan {
            host: relay.host.clone(),
            owner,
            ttl,
            steps,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::{Dnssec, RRset, Status};

    fn design(tlsa: &[&str], next: &[&str]) -> Design {
        let mut d = crate::model::sample::generated_design(1);
        d.relays.truncate(1);
        d.relays[0].tlsa = tlsa.iter().map(|s| s.to_string()).collect();
        d.relays[0].next_tlsa = next.iter().map(|s| s.to_string()).collect();
        d
    }

    fn dns(owner: &str, records: &[&str]) -> DnsReport {
        DnsReport {
            rrsets: vec![RRset {
                name: format!("{owner}."),
                rtype: "TLSA".into(),
                records: records.iter().map(|s| s.to_string()).collect(),
                ttl: Some(300),
                dnssec: Dnssec::Secure,
                status: Status::Ok,
                cname: None,
                detail: None,
                ms: 1.0,
                answers: vec![],
            }],
            drift: vec![],
            elapsed_ms: 1,
        }
    }

    #[test]
    fn no_next_key_no_plan() {
        let d = design(&["3 1 1 aa"], &[]);
        assert!(plans(&d, None, None, &|_, _| None).is_empty());
    }

    #[test]
    fn published_next_record_gives_the_switch_date_from_the_history() {
        let d = design(&["3 1 1 aa", "3 1 1 bb"], &["3 1 1 bb"]);
        let owner = format!("_{}._tcp.{}", d.relays[0].tlsa_port(), d.relays[0].host);
        let published = dns(&owner, &["3 1 1 AA", "3 1 1 bb"]);
        let p = plans(&d, Some(&published), None, &|o, r| {
            (o == owner && r == "3 1 1 bb").then_some(1_764_000_000)
        });
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].ttl, 300);
        let s = &p[0].steps;
        assert_eq!(s[0].action, StepAction::SwitchKey);
        assert_eq!(s[0].not_before_unix, Some(1_764_000_600));
        assert_eq!(s[0].not_before.as_deref(), Some("2025-11-24 16:10 UTC"));
        assert_eq!(s[1].action, StepAction::Remove);
        assert_eq!(s[1].record.as_deref(), Some("3 1 1 aa"));
        assert_eq!(s[1].after.as_deref(), Some("switch"));
        // The JSON spelling of the action.
        let v = serde_json::to_value(&p[0]).unwrap();
        assert_eq!(v["steps"][0]["action"], "switch-key");
    }
}
