//! The window's live runs: starting the one live check (Look up, Probe all, F5) through the
//! worker, cancelling it, and applying the worker's events and the run's report to the panels.

use super::*;

impl App {
    // ----- worker -----

    pub(super) fn new_run(&mut self) -> RunId {
        self.next_run += 1;
        RunId(self.next_run)
    }

    pub(super) fn send(&mut self, c: Command) {
        if !self.link.send(c) {
            self.notice(
                NoticeLevel::Error,
                "The background worker has stopped, so lookups and probes cannot run. Save your design and restart SecMX Workbench.",
            );
        }
    }

    pub(super) fn live(&mut self, intent: LiveIntent) {
        match intent {
            LiveIntent::Lookup => self.start_check(false),
            LiveIntent::ProbeAll => self.start_check(true),
            LiveIntent::ImportDns => self.push(Action::ImportDns),
            LiveIntent::CancelLookup => {
                if let RunState::Running(run) = self.published.run {
                    self.send(Command::Cancel { run });
                }
            }
            LiveIntent::CancelProbe => {
                if let RunState::Running(run) = self.grid.run {
                    self.send(Command::Cancel { run });
                }
            }
        }
    }

    /// F5: the full check (static rules are live already; DNS and probes as one run).
    pub(super) fn check(&mut self) {
        self.start_check(true);
    }

    /// Start the one live check of the design as it stands: DNS (Look up) or DNS and probes
    /// (Probe all, F5). Its report fills the Published panel, the probe grid and the findings.
    pub(super) fn start_check(&mut self, probe: bool) {
        let run = self.new_run();
        self.published = PublishedPanel {
            run: RunState::Running(run),
            domain: self.design.domain.as_str().to_string(),
            design: Some(self.design.clone()),
            ..PublishedPanel::default()
        };
        if probe {
            self.grid.start(run, &self.design);
        }
        let settings = self.settings.net.clone();
        let history = self
            .history_db
            .clone()
            .filter(|_| self.settings.keep_history.0);
        self.send(Command::Check {
            run,
            design: Box::new(self.design.clone()),
            probe,
            settings,
            history,
        });
    }

    /// Apply one worker event; events of runs that are not current are dropped.
    pub fn apply_event(&mut self, event: Event) {
        let run = event.run;
        match event.body {
            EventBody::Dns(e) => {
                if self.published.run == RunState::Running(run) {
                    live::apply_dns_event(&mut self.published, &e);
                } else {
                    self.stale_events += 1;
                }
            }
            EventBody::Probe(e) => {
                if self.grid.run == RunState::Running(run) {
                    live::apply_probe_event(&mut self.grid, &e);
                } else {
                    self.stale_events += 1;
                }
            }
            EventBody::Report(report) => {
                let lookup = self.published.run == RunState::Running(run);
                let probes = self.grid.run == RunState::Running(run);
                if lookup || probes {
                    if lookup {
                        let srv_label = self
                            .published
                            .design
                            .as_ref()
                            .map_or_else(|| self.design.srv_label.clone(), |d| d.srv_label.clone());
                        live::apply_report_dns(&mut self.published, &report, &srv_label);
                    }
                    if probes {
                        self.grid.apply_report(&report);
                    }
                    self.live_report = Some(*report);
                    self.merge_live_findings();
                    // The worker saved it before sending it: the History tab reads again.
                    self.history_tab.invalidate();
                } else {
                    self.stale_events += 1;
                }
            }
            EventBody::ResolverTest(answer) => self.apply_resolver_test(run, answer),
            EventBody::Failed { message } => {
                if self.published.run == RunState::Running(run)
                    || self.grid.run == RunState::Running(run)
                {
                    self.notice(NoticeLevel::Error, message);
                } else {
                    self.stale_events += 1;
                }
            }
            EventBody::Finished { cancelled } => {
                let end = if cancelled {
                    RunState::Cancelled(run)
                } else {
                    RunState::Done(run)
                };
                let mut matched = false;
                if self.published.run == RunState::Running(run) {
                    self.published.run = end;
                    matched = true;
                    if self.import_after == Some(run) {
                        self.import_after = None;
                        if !cancelled {
                            self.import_from_dns();
                        }
                    }
                }
                if self.grid.run == RunState::Running(run) {
                    self.grid.run = end;
                    matched = true;
                }
                if !matched {
                    self.stale_events += 1;
                }
            }
        }
    }
}
