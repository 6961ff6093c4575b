//! The live panels: "Published (DNS)" ([`published`]) and the "Probe grid" ([`grid`]). Both show
//! one live run of the one live check ([`crate::live::run`], the same as `secmx check`): progress
//! events fill them as they come ([`apply_dns_event`], [`apply_probe_event`]), and the run's report
//! replaces them with the whole answer at the end ([`apply_report_dns`],
//! [`ProbeGrid::apply_report`]). Results of a run over another version of the design stay visible,
//! marked stale. This module holds what both panels share: the run state, the cell verdicts and
//! the intents.

pub mod grid;
pub mod published;

pub use grid::*;
pub use published::*;

use super::palette;
use crate::event::RunId;
use eframe::egui;
use egui::{Color32, Ui};

/// Where a run stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RunState {
    /// Never started.
    #[default]
    Idle,
    /// Running, events expected.
    Running(RunId),
    /// Finished normally.
    Done(RunId),
    /// Cancelled.
    Cancelled(RunId),
}

impl RunState {
    /// The run whose events are current, if any.
    pub fn current(self) -> Option<RunId> {
        match self {
            RunState::Running(r) | RunState::Done(r) | RunState::Cancelled(r) => Some(r),
            RunState::Idle => None,
        }
    }

    /// Whether a run is going on.
    pub fn running(self) -> bool {
        matches!(self, RunState::Running(_))
    }
}

/// A verdict of one probe step: a colour and always a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CellVerdict {
    /// No result yet.
    #[default]
    Pending,
    /// Passed.
    Pass,
    /// Failed.
    Fail,
    /// Could not be decided.
    Inconclusive,
    /// Does not apply (no certificate, no TLSA, no MTA-STS policy).
    NotApplicable,
}

impl CellVerdict {
    /// The word shown in the cell.
    pub fn word(self) -> &'static str {
        match self {
            CellVerdict::Pending => "pending",
            CellVerdict::Pass => "pass",
            CellVerdict::Fail => "fail",
            CellVerdict::Inconclusive => "inconclusive",
            CellVerdict::NotApplicable => "n/a",
        }
    }

    fn color(self, dark: bool) -> Color32 {
        match self {
            CellVerdict::Pending => palette::muted(dark),
            CellVerdict::Pass => palette::ok(dark),
            CellVerdict::Fail => palette::error(dark),
            CellVerdict::Inconclusive => palette::warning(dark),
            CellVerdict::NotApplicable => palette::muted(dark),
        }
    }
}

/// The serde spelling of a value (`"no-tlsa"`), so the window uses the words of the JSON report.
pub(super) fn spell<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// What the user asked for in a live panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveIntent {
    /// Start a DNS lookup.
    Lookup,
    /// Probe every relay address.
    ProbeAll,
    /// Build a design from the last lookup.
    ImportDns,
    /// Cancel the DNS run.
    CancelLookup,
    /// Cancel the probe run.
    CancelProbe,
}

pub(super) fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

pub(super) fn run_status(ui: &mut Ui, run: RunState, what: &str) {
    match run {
        RunState::Idle => {
            ui.weak(format!("No {what} yet."));
        }
        RunState::Running(r) => {
            ui.spinner();
            ui.label(format!("{} running (run {})…", capital(what), r.0));
        }
        RunState::Done(r) => {
            ui.label(format!("{} finished (run {}).", capital(what), r.0));
        }
        RunState::Cancelled(r) => {
            ui.label(format!("{} cancelled (run {}).", capital(what), r.0));
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::model::Role;
    use crate::probe::report::{CertificateFacts, TlsFacts};
    use crate::probe::{ProbeEvent, Step};
    use crate::resolve::DnsEvent;
    use crate::resolve::{Dnssec, Status};

    fn grid_for(host: &str, address: Option<std::net::IpAddr>) -> ProbeGrid {
        ProbeGrid {
            run: RunState::Running(RunId(1)),
            rows: vec![row(GridTarget {
                host: host.into(),
                address,
                port: 25,
                role: Role::Ber,
                implicit_tls: false,
                listed: None,
            })],
            ..ProbeGrid::default()
        }
    }

    #[test]
    fn probe_steps_fill_their_cells_and_the_report_fills_the_rest() {
        let a: std::net::IpAddr = "127.0.0.1".parse().unwrap();
        let mut g = grid_for("mx1.agency.example", Some(a));
        let step = |step, ok| ProbeEvent::Step {
            host: "mx1.agency.example".into(),
            address: a,
            port: 25,
            attempt: 1,
            step,
            outcome: String::new(),
            ok,
            ms: 1,
        };
        apply_probe_event(&mut g, &step(Step::Connect, true));
        apply_probe_event(&mut g, &step(Step::Greeting, true));
        apply_probe_event(&mut g, &step(Step::MailFrom, false));
        apply_probe_event(&mut g, &step(Step::Rset, true)); // no column
        assert_eq!(g.rows.len(), 1);
        assert_eq!(g.rows[0].cells[Column::Connect as usize], CellVerdict::Pass);
        assert_eq!(
            g.rows[0].cells[Column::Greeting as usize],
            CellVerdict::Pass
        );
        assert_eq!(
            g.rows[0].cells[Column::PlaintextMail as usize],
            CellVerdict::Fail
        );
        assert_eq!(
            g.rows[0].cells[Column::Starttls as usize],
            CellVerdict::Pending
        );

        let mut t = crate::probe::ProbeTarget::new("mx1.agency.example", a, 25, Role::Ber);
        t.via = Some("design".into());
        let mut r = crate::probe::ProbeReport::new(&t);
        r.tls = Some(TlsFacts {
            version: Some("TLSv1.3".into()),
            ..TlsFacts::default()
        });
        r.certificate = Some(CertificateFacts {
            subject: "CN=mx1.agency.example".into(),
            sans: vec!["mx1.agency.example".into()],
            issuer: "CN=Test CA".into(),
            not_before: "2026-01-01".into(),
            not_after: "2027-01-01".into(),
            key: "ECDSA P-256".into(),
            pkix: crate::probe::tls::Pkix::Valid,
            pkix_error: None,
            intermediates_missing: false,
            chain: vec![],
        });
        r.transcript = vec!["S: 220 mx1.agency.example ESMTP".into()];
        apply_probe_event(
            &mut g,
            &ProbeEvent::Finished {
                report: Box::new(r),
            },
        );
        assert_eq!(g.done, 1);
        assert_eq!(
            g.rows[0].cells[Column::Certificate as usize],
            CellVerdict::Pass,
            "certificate"
        );
        assert_eq!(
            g.rows[0].cells[Column::Dane as usize],
            CellVerdict::NotApplicable,
            "no TLSA"
        );
        let details = g.rows[0].details.join("\n");
        assert!(details.contains("TLSv1.3"), "{details}");
        assert!(details.contains("PKIX: valid"), "{details}");
        assert!(details.contains("S: 220"), "{details}");
    }

    #[test]
    fn a_resolved_address_takes_the_row_that_waited_for_it() {
        let a: std::net::IpAddr = "192.0.2.1".parse().unwrap();
        let b: std::net::IpAddr = "192.0.2.2".parse().unwrap();
        let mut g = grid_for("mx1.agency.example", None);
        for addr in [a, b] {
            apply_probe_event(
                &mut g,
                &ProbeEvent::Step {
                    host: "mx1.agency.example".into(),
                    address: addr,
                    port: 25,
                    attempt: 1,
                    step: Step::Connect,
                    outcome: String::new(),
                    ok: true,
                    ms: 1,
                },
            );
        }
        assert_eq!(g.rows.len(), 2, "one row per address");
        assert_eq!(g.rows[0].target.address, Some(a));
        assert_eq!(g.rows[1].target.address, Some(b));
    }

    #[test]
    fn dns_events_make_one_row_per_question() {
        let mut p = PublishedPanel::default();
        apply_dns_event(
            &mut p,
            &DnsEvent::QueryAnswered {
                name: "agency.example.".into(),
                rtype: crate::model::RecordType::Mx,
                status: Status::Ok,
                dnssec: Dnssec::Secure,
                records: 2,
                ms: 1.0,
            },
        );
        apply_dns_event(
            &mut p,
            &DnsEvent::QueryFailed {
                name: "_25._tcp.mx1.agency.example.".into(),
                rtype: crate::model::RecordType::Tlsa,
                status: Status::Servfail,
                detail: "SERVFAIL".into(),
                ms: 1.0,
            },
        );
        assert_eq!(p.rrsets.len(), 2);
        assert_eq!(p.rrsets[0][2], "ok");
        assert_eq!(p.rrsets[0][3], "secure");
        assert_eq!(p.rrsets[1][2], "servfail");
    }
}
