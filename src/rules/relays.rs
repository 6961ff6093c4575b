//! PROBE-028 judged over all the addresses of a relay: one summary per relay (host and port) with
//! the worst verdict of its addresses, and the differences between addresses that behave
//! differently (STARTTLS offered, certificate served, TLS version, DANE verdict). The probe only
//! records each address's facts; this is where they are compared.

use crate::model::Severity;
use crate::model::probe_facts::report::{ProbeReport, Problem, Verdict};
use serde::Serialize;
use std::net::IpAddr;

/// One relay (host and port) over all its addresses (PROBE-028).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RelaySummary {
    /// Relay name.
    pub host: String,
    /// Port.
    pub port: u16,
    /// The worst verdict of its addresses (fail > inconclusive > pass), or fail when they differ.
    pub verdict: Verdict,
    /// Addresses probed.
    pub addresses: Vec<IpAddr>,
    /// How the addresses differ (empty when they behave the same).
    pub differences: Vec<Problem>,
}

/// Summarises reports per relay (host, port), in first-seen order, flagging addresses that behave
/// differently: STARTTLS offered, certificate served, TLS version, DANE verdict (PROBE-028).
pub fn summarize(reports: &[ProbeReport]) -> Vec<RelaySummary> {
    let mut keys: Vec<(String, u16)> = Vec::new();
    for r in reports {
        let k = (r.host.clone(), r.port);
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    keys.into_iter()
        .map(|(host, port)| {
            let group: Vec<&ProbeReport> = reports
                .iter()
                .filter(|r| r.host == host && r.port == port)
                .collect();
            let mut differences = Vec::new();
            // Only addresses that got far enough to be compared.
            let judged: Vec<&&ProbeReport> = group
                .iter()
                .filter(|r| r.verdict != Verdict::Inconclusive)
                .collect();
            let mut differ = |what: &str, values: Vec<String>| {
                let mut uniq = values.clone();
                uniq.sort();
                uniq.dedup();
                if uniq.len() > 1 {
                    let detail: Vec<String> = judged
                        .iter()
                        .zip(&values)
                        .map(|(r, v)| format!("{}: {v}", r.address))
                        .collect();
                    differences.push(Problem {
                        rule: "PROBE-028",
                        severity: Severity::Error,
                        message: format!("addresses differ in {what}: {}", detail.join("; ")),
                    });
                }
            };
            differ(
                "STARTTLS",
                judged
                    .iter()
                    .map(|r| format!("{:?}", r.starttls_offered))
                    .collect(),
            );
            differ(
                "certificate",
                judged
                    .iter()
                    .map(|r| {
                        r.certificate
                            .as_ref()
                            .and_then(|c| c.chain.first())
                            .map(|l| l.sha256.clone())
                            .unwrap_or_else(|| "none".into())
                    })
                    .collect(),
            );
            differ(
                "TLS version",
                judged
                    .iter()
                    .map(|r| {
                        r.tls
                            .as_ref()
                            .and_then(|t| t.version.clone())
                            .unwrap_or_else(|| "none".into())
                    })
                    .collect(),
            );
            differ(
                "DANE",
                judged.iter().map(|r| format!("{:?}", r.dane)).collect(),
            );
            let worst = group
                .iter()
                .map(|r| r.verdict)
                .max()
                .unwrap_or(Verdict::Inconclusive);
            RelaySummary {
                host,
                port,
                verdict: if differences.is_empty() {
                    worst
                } else {
                    Verdict::Fail
                },
                addresses: group.iter().map(|r| r.address).collect(),
                differences,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Role;
    use crate::model::probe_facts::ProbeTarget;

    fn rep(addr: &str, starttls: bool, verdict: Verdict) -> ProbeReport {
        let t = ProbeTarget::new("mx1.example", addr.parse().unwrap(), 25, Role::Ber);
        let mut r = ProbeReport::new(&t);
        r.starttls_offered = Some(starttls);
        r.verdict = verdict;
        r
    }

    #[test]
    fn probe_028_addresses_that_differ_are_flagged() {
        let same = summarize(&[
            rep("192.0.2.1", true, Verdict::Pass),
            rep("2001:db8::1", true, Verdict::Pass),
        ]);
        assert_eq!(same.len(), 1);
        assert_eq!(same[0].verdict, Verdict::Pass);
        assert!(same[0].differences.is_empty());
        let differ = summarize(&[
            rep("192.0.2.1", true, Verdict::Pass),
            rep("2001:db8::1", false, Verdict::Pass),
        ]);
        assert_eq!(differ[0].verdict, Verdict::Fail);
        assert_eq!(differ[0].differences[0].rule, "PROBE-028");
        assert!(differ[0].differences[0].message.contains("STARTTLS"));
        // an inconclusive address is not compared, but keeps the relay inconclusive
        let inc = summarize(&[
            rep("192.0.2.1", true, Verdict::Pass),
            rep("2001:db8::1", false, Verdict::Inconclusive),
        ]);
        assert_eq!(inc[0].verdict, Verdict::Inconclusive);
        assert!(inc[0].differences.is_empty());
    }
}
