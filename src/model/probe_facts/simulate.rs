//! The sender simulation of SOR-007 (SecMX §4.3, §5): what a Secure Only Sender (SOS) and a Best
//! Effort Sender (BES) would do with the relays a domain publishes, given what the probes saw.
//!
//! Both senders try the SecMX SRV targets first (priority ascending; within a priority, RFC 2782
//! picks by weight at random, so the simulation lists the heavier target first), then the MX hosts
//! (preference ascending). A candidate "completes TLS" when at least one of its probed addresses
//! finished the TLS handshake and had `MAIL FROM:<>` accepted inside TLS. The SOS delivers to the
//! first candidate that completes TLS, or bounces; the BES does the same, then falls back to
//! plaintext delivery to an MX host that takes `MAIL FROM` in clear. A candidate whose probes were
//! all inconclusive (421, timeouts) would make a real sender try again later: when nothing else
//! works the outcome is "defer", not "bounce".
//!
//! Pure: no DNS, no connections; the inputs are the published records and the probe reports.

use super::{ProbeReport, Verdict};
use crate::model::RecordSet;
use crate::model::normalize_name;
use serde::Serialize;

/// How a candidate relay was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// A SecMX SRV target.
    Srv,
    /// An MX exchange.
    Mx,
}

/// A relay a sender would try, in the order it would try them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Candidate {
    /// Relay name.
    pub host: String,
    /// Port (SRV port, or 25 for MX).
    pub port: u16,
    /// SRV or MX.
    pub via: Source,
    /// SRV priority or MX preference.
    pub priority: i64,
    /// SRV weight (0 for MX).
    pub weight: i64,
    /// The MX preference when the host is (also) an MX exchange on this port: the plaintext
    /// fallback of a Best Effort Sender goes to MX hosts only, in preference order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mx_preference: Option<i64>,
}

/// What the probes of one candidate showed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Seen {
    /// TLS completed and `MAIL FROM` was accepted inside TLS on at least one address.
    Tls,
    /// TLS completed, but the relay's DNSSEC-secure TLSA records match no key it serves: a sender
    /// that validates DANE must not deliver to it, neither over TLS nor in clear (RFC 7672 §2.2).
    DaneFail,
    /// No TLS session, but `MAIL FROM` was accepted in clear.
    PlaintextOnly,
    /// Reached, but neither TLS nor plaintext mail is possible.
    Refuses,
    /// Every probe was inconclusive (a real sender would retry later).
    Inconclusive,
    /// Not reachable (connection refused, unreachable).
    Unreachable,
    /// No probe of this relay (not resolved, or not probed).
    NotProbed,
}

/// One step of a simulated delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attempt {
    /// Relay name.
    pub host: String,
    /// Port.
    pub port: u16,
    /// SRV or MX.
    pub via: Source,
    /// What its probes showed.
    pub seen: Seen,
}

/// How a simulated delivery ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// Delivered over TLS.
    Tls,
    /// Delivered in plaintext (BES only).
    Plaintext,
    /// Temporary failure everywhere: the sender keeps the mail and retries.
    Defer,
    /// Permanent failure: the mail goes back to its sender.
    Bounce,
}

/// One simulated sender.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SenderRun {
    /// The outcome.
    pub outcome: Outcome,
    /// The relay that took the mail (for `tls` and `plaintext`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivered_to: Option<String>,
    /// The candidates in the order tried, up to and including the one that took the mail.
    pub tried: Vec<Attempt>,
}

/// Both simulated senders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Simulation {
    /// The relays in the order a SecMX sender tries them.
    pub candidates: Vec<Candidate>,
    /// Secure Only Sender: TLS or bounce.
    pub sos: SenderRun,
    /// Best Effort Sender: TLS first, then plaintext MX delivery.
    pub bes: SenderRun,
}

/// The relays of `domain` in the order a SecMX sender tries them: SRV targets under `srv_owner`
/// (priority ascending, heavier weight first, then name), then MX exchanges (preference ascending,
/// then name). A null MX / `.` SRV target is left out; a host:port already listed is not repeated.
pub fn candidates(records: &RecordSet, domain: &str, srv_owner: &str) -> Vec<Candidate> {
    let mut srv: Vec<Candidate> = records
        .srv_at(srv_owner)
        .filter(|(_, _, _, _, target)| !target.is_empty())
        .map(|(_, priority, weight, port, target)| Candidate {
            host: target.to_string(),
            port: u16::try_from(port).unwrap_or(25),
            via: Source::Srv,
            priority,
            weight,
            mx_preference: None,
        })
        .collect();
    srv.sort_by(|a, b| {
        (a.priority, -a.weight, &a.host, a.port).cmp(&(b.priority, -b.weight, &b.host, b.port))
    });
    let mut mx: Vec<Candidate> = records
        .mx_of(domain)
        .filter(|(_, _, exchange)| !exchange.is_empty())
        .map(|(_, preference, exchange)| Candidate {
            host: exchange.to_string(),
            port: 25,
            via: Source::Mx,
            priority: preference,
            weight: 0,
            mx_preference: Some(preference),
        })
        .collect();
    mx.sort_by(|a, b| (a.priority, &a.host).cmp(&(b.priority, &b.host)));
    let mut out: Vec<Candidate> = Vec::new();
    for c in srv.into_iter().chain(mx) {
        match out
            .iter_mut()
            .find(|o| o.host == c.host && o.port == c.port)
        {
            // An SRV target that is also an MX host (`also_srv`): tried once, in SRV order, and
            // still an MX host for the plaintext fallback.
            Some(o) => {
                o.mx_preference = o.mx_preference.or(c.mx_preference);
            }
            None => out.push(c),
        }
    }
    out
}

fn tls_ok(r: &ProbeReport) -> bool {
    r.tls.as_ref().is_some_and(|t| t.version.is_some())
        && r.tls_mail_from.is_some_and(|c| (200..300).contains(&c))
}

fn plain_ok(r: &ProbeReport) -> bool {
    !r.implicit_tls
        && r.plaintext_mail_from
            .is_some_and(|c| (200..300).contains(&c))
}

/// What the probes of `host:port` showed, over all its addresses.
pub fn seen(c: &Candidate, reports: &[ProbeReport]) -> Seen {
    let host = normalize_name(&c.host);
    let mine: Vec<&ProbeReport> = reports
        .iter()
        .filter(|r| r.port == c.port && normalize_name(&r.host) == host)
        .collect();
    if mine.is_empty() {
        Seen::NotProbed
    } else if mine
        .iter()
        .any(|r| tls_ok(r) && r.dane != super::dane::DaneVerdict::Fail)
    {
        Seen::Tls
    } else if mine.iter().any(|r| tls_ok(r)) {
        Seen::DaneFail
    } else if mine.iter().any(|r| plain_ok(r)) {
        Seen::PlaintextOnly
    } else if mine.iter().all(|r| r.verdict == Verdict::Inconclusive) {
        Seen::Inconclusive
    } else if mine
        .iter()
        .all(|r| r.greeting.is_none() && r.tls.is_none() && r.verdict != Verdict::Inconclusive)
    {
        Seen::Unreachable
    } else {
        Seen::Refuses
    }
}

fn attempt(c: &Candidate, seen: Seen) -> Attempt {
    Attempt {
        host: c.host.clone(),
        port: c.port,
        via: c.via,
        seen,
    }
}

/// Runs both senders over `cands` with what `reports` saw.
pub fn simulate(cands: Vec<Candidate>, reports: &[ProbeReport]) -> Simulation {
    let seen: Vec<Seen> = cands.iter().map(|c| seen(c, reports)).collect();
    let failed = |tried: Vec<Attempt>| {
        let outcome = if tried.iter().any(|a| a.seen == Seen::Inconclusive) {
            Outcome::Defer
        } else {
            Outcome::Bounce
        };
        SenderRun {
            outcome,
            delivered_to: None,
            tried,
        }
    };

    let mut tried = Vec::new();
    let mut sos = None;
    for (c, s) in cands.iter().zip(&seen) {
        tried.push(attempt(c, *s));
        if *s == Seen::Tls {
            sos = Some(SenderRun {
                outcome: Outcome::Tls,
                delivered_to: Some(c.host.clone()),
                tried: tried.clone(),
            });
            break;
        }
    }
    let sos = sos.unwrap_or_else(|| failed(tried));

    // The BES: the same TLS pass, then plaintext to the MX hosts in preference order.
    let bes = if sos.outcome == Outcome::Tls {
        sos.clone()
    } else {
        let mut tried: Vec<Attempt> = cands
            .iter()
            .zip(&seen)
            .map(|(c, s)| attempt(c, *s))
            .collect();
        let mut mx: Vec<(&Candidate, &Seen)> = cands
            .iter()
            .zip(&seen)
            .filter(|(c, _)| c.mx_preference.is_some())
            .collect();
        mx.sort_by_key(|(c, _)| c.mx_preference);
        let plain = mx.into_iter().find(|(_, s)| **s == Seen::PlaintextOnly);
        match plain {
            Some((c, _)) => {
                tried.push(attempt(c, Seen::PlaintextOnly));
                SenderRun {
                    outcome: Outcome::Plaintext,
                    delivered_to: Some(c.host.clone()),
                    tried,
                }
            }
            None => failed(tried),
        }
    };
    Simulation {
        candidates: cands,
        sos,
        bes,
    }
}

impl Seen {
    /// A few words for messages.
    pub fn words(self) -> &'static str {
        match self {
            Seen::Tls => "completes TLS",
            Seen::DaneFail => "TLS, but DANE authentication fails",
            Seen::PlaintextOnly => "no TLS session (plaintext only)",
            Seen::Refuses => "refuses mail",
            Seen::Inconclusive => "inconclusive (try again later)",
            Seen::Unreachable => "unreachable",
            Seen::NotProbed => "not probed",
        }
    }
}

impl SenderRun {
    /// "mx-notls.agency.example:25 (no TLS session), …" for messages.
    pub fn tried_words(&self) -> String {
        self.tried
            .iter()
            .map(|a| format!("{}:{} ({})", a.host, a.port, a.seen.words()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::model::{RData, Record, Role};
    use crate::probe::{ProbeTarget, TlsFacts};

    fn records() -> RecordSet {
        let mut s = RecordSet::new();
        let srv = |p, w, t: &str| {
            Record::new(
                "_secmx._tcp.agency.example",
                3600,
                RData::Srv {
                    priority: p,
                    weight: w,
                    port: 25,
                    target: t.into(),
                },
            )
        };
        s.push(srv(20, 0, "sor3.agency.example"));
        s.push(srv(10, 10, "sor2.agency.example"));
        s.push(srv(10, 60, "sor1.agency.example"));
        let mx = |p, e: &str| {
            Record::new(
                "agency.example",
                3600,
                RData::Mx {
                    preference: p,
                    exchange: e.into(),
                },
            )
        };
        s.push(mx(20, "mx2.agency.example"));
        s.push(mx(10, "mx1.agency.example"));
        s
    }

    fn report(host: &str, tls: bool, plain: bool) -> ProbeReport {
        let t = ProbeTarget::new(host, "192.0.2.1".parse().unwrap(), 25, Role::Ber);
        let mut r = ProbeReport::new(&t);
        r.greeting = Some(220);
        r.plaintext_mail_from = Some(if plain { 250 } else { 530 });
        if tls {
            r.tls = Some(TlsFacts {
                version: Some("TLSv1.3".into()),
                ..TlsFacts::default()
            });
            r.tls_mail_from = Some(250);
        }
        r.verdict = Verdict::Pass;
        r
    }

    #[test]
    fn candidates_are_srv_by_priority_and_weight_then_mx_by_preference() {
        let c = candidates(&records(), "agency.example", "_secmx._tcp.agency.example");
        let order: Vec<&str> = c.iter().map(|c| c.host.as_str()).collect();
        assert_eq!(
            order,
            [
                "sor1.agency.example",
                "sor2.agency.example",
                "sor3.agency.example",
                "mx1.agency.example",
                "mx2.agency.example"
            ]
        );
    }

    #[test]
    fn sor_007_fail_sos_finds_only_a_relay_without_tls_and_bounces() {
        let c = vec![Candidate {
            host: "mx-notls.agency.example".into(),
            port: 25,
            via: Source::Srv,
            priority: 10,
            weight: 0,
            mx_preference: None,
        }];
        let s = simulate(c, &[report("mx-notls.agency.example", false, true)]);
        assert_eq!(s.sos.outcome, Outcome::Bounce);
        assert_eq!(s.sos.tried[0].seen, Seen::PlaintextOnly);
        // Listed only under SRV: the BES has no MX to fall back to either.
        assert_eq!(s.bes.outcome, Outcome::Bounce);
    }

    #[test]
    fn sor_007_pass_sos_reaches_sor1_over_tls() {
        let c = candidates(&records(), "agency.example", "_secmx._tcp.agency.example");
        let s = simulate(c, &[report("sor1.agency.example", true, false)]);
        assert_eq!(s.sos.outcome, Outcome::Tls);
        assert_eq!(s.sos.delivered_to.as_deref(), Some("sor1.agency.example"));
        assert_eq!(s.sos.tried.len(), 1);
        assert_eq!(s.bes, s.sos);
    }

    #[test]
    fn sor_007_a_relay_whose_tlsa_matches_no_key_is_not_delivered_to() {
        // sor1 completes TLS but its secure TLSA records pin another key: a DANE sender stops
        // there (RFC 7672 §2.2) and goes on to the next SRV target.
        let c = candidates(&records(), "agency.example", "_secmx._tcp.agency.example");
        let mut sor1 = report("sor1.agency.example", true, false);
        sor1.dane = crate::probe::dane::DaneVerdict::Fail;
        let s = simulate(c, &[sor1, report("sor2.agency.example", true, false)]);
        assert_eq!(s.sos.tried[0].seen, Seen::DaneFail);
        assert_eq!(s.sos.outcome, Outcome::Tls);
        assert_eq!(s.sos.delivered_to.as_deref(), Some("sor2.agency.example"));
        assert!(s.sos.tried_words().contains("DANE authentication fails"));
    }

    #[test]
    fn sos_skips_failed_srv_targets_and_uses_a_tls_capable_mx() {
        let c = candidates(&records(), "agency.example", "_secmx._tcp.agency.example");
        let s = simulate(
            c,
            &[
                report("sor1.agency.example", false, false),
                report("mx1.agency.example", true, true),
            ],
        );
        assert_eq!(s.sos.outcome, Outcome::Tls);
        assert_eq!(s.sos.delivered_to.as_deref(), Some("mx1.agency.example"));
        let seen: Vec<Seen> = s.sos.tried.iter().map(|a| a.seen).collect();
        assert_eq!(
            seen,
            [Seen::Refuses, Seen::NotProbed, Seen::NotProbed, Seen::Tls]
        );
    }

    #[test]
    fn bes_falls_back_to_plaintext_mx_when_nothing_completes_tls() {
        let c = candidates(&records(), "agency.example", "_secmx._tcp.agency.example");
        let s = simulate(
            c,
            &[
                report("mx1.agency.example", false, false),
                report("mx2.agency.example", false, true),
            ],
        );
        assert_eq!(s.sos.outcome, Outcome::Bounce);
        assert_eq!(s.bes.outcome, Outcome::Plaintext);
        assert_eq!(s.bes.delivered_to.as_deref(), Some("mx2.agency.example"));
    }

    #[test]
    fn inconclusive_relays_defer_instead_of_bounce() {
        let c = candidates(&records(), "agency.example", "_secmx._tcp.agency.example");
        let mut busy = report("sor1.agency.example", false, false);
        busy.greeting = Some(421);
        busy.plaintext_mail_from = None;
        busy.verdict = Verdict::Inconclusive;
        let s = simulate(c, &[busy]);
        assert_eq!(s.sos.outcome, Outcome::Defer);
        assert_eq!(s.sos.tried[0].seen, Seen::Inconclusive);
    }

    #[test]
    fn nothing_published_bounces() {
        let s = simulate(vec![], &[]);
        assert_eq!(s.sos.outcome, Outcome::Bounce);
        assert_eq!(s.bes.outcome, Outcome::Bounce);
        assert!(s.sos.tried.is_empty());
    }

    #[test]
    fn an_srv_target_that_is_also_an_mx_host_is_tried_once_and_still_a_plaintext_fallback() {
        let mut recs = records();
        recs.push(Record::new(
            "_secmx._tcp.agency.example",
            3600,
            RData::Srv {
                priority: 5,
                weight: 0,
                port: 25,
                target: "mx2.agency.example".into(),
            },
        ));
        let c = candidates(&recs, "agency.example", "_secmx._tcp.agency.example");
        assert_eq!(
            c.iter().filter(|c| c.host == "mx2.agency.example").count(),
            1
        );
        assert_eq!(c[0].host, "mx2.agency.example");
        assert_eq!(c[0].mx_preference, Some(20));
        let s = simulate(c, &[report("mx2.agency.example", false, true)]);
        assert_eq!(s.sos.outcome, Outcome::Bounce);
        assert_eq!(s.bes.outcome, Outcome::Plaintext);
        assert_eq!(s.bes.delivered_to.as_deref(), Some("mx2.agency.example"));
    }
}
