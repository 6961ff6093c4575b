//! The live panels: "Published (DNS)" and the "Probe grid". They send [`Command`]s through the
//! worker link and render what the worker's events say. Each panel applies its engine's events in
//! one small function ([`apply_dns_event`], [`apply_probe_event`]): the DNS and probe engines
//! (issues #3, #4) are not merged yet, so their event enums are still empty and these functions
//! are where their fields get wired in.

use super::palette;
use crate::event::RunId;
use crate::model::{Design, Role};
use crate::probe::ProbeEvent;
use crate::resolve::DnsEvent;
use crate::worker::ProbeTarget;
use eframe::egui;
use egui::{Color32, RichText, Ui};

/// The steps of a relay probe, the columns of the grid.
pub const PROBE_STEPS: [&str; 9] = [
    "connect",
    "greeting",
    "EHLO",
    "plaintext MAIL",
    "STARTTLS",
    "TLS",
    "certificate",
    "DANE",
    "MTA-STS",
];

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
pub enum Verdict {
    /// No result yet.
    #[default]
    Pending,
    /// Passed.
    Pass,
    /// Failed.
    Fail,
    /// Could not be decided.
    Inconclusive,
}

impl Verdict {
    /// The word shown in the cell.
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Pending => "pending",
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
            Verdict::Inconclusive => "inconclusive",
        }
    }

    fn color(self, dark: bool) -> Color32 {
        match self {
            Verdict::Pending => palette::muted(dark),
            Verdict::Pass => palette::ok(dark),
            Verdict::Fail => palette::error(dark),
            Verdict::Inconclusive => palette::warning(dark),
        }
    }
}

/// One row of the grid: a relay address.
#[derive(Debug, Clone)]
pub struct ProbeRow {
    /// What is probed.
    pub target: ProbeTarget,
    /// One verdict per [`PROBE_STEPS`] column.
    pub cells: [Verdict; PROBE_STEPS.len()],
    /// Details for the selected-cell view (transcript, TLS, certificate, reasons, timings).
    pub details: Vec<String>,
}

/// The probe grid's state.
#[derive(Debug, Clone, Default)]
pub struct ProbeGrid {
    /// The run.
    pub run: RunState,
    /// Rows, one per target.
    pub rows: Vec<ProbeRow>,
    /// Rows whose probe has ended.
    pub done: usize,
    /// Selected cell (row, step).
    pub selected: Option<(usize, usize)>,
}

/// The published-DNS panel's state.
#[derive(Debug, Clone, Default)]
pub struct Published {
    /// The run.
    pub run: RunState,
    /// The domain looked up.
    pub domain: String,
    /// One line per RRset: name, type, status, DNSSEC, records (filled by [`apply_dns_event`]).
    pub rrsets: Vec<[String; 5]>,
    /// Drift lines (designed vs published).
    pub drift: Vec<String>,
}

/// The probe targets of a design: every relay address, or the host when it has none.
pub fn probe_targets(design: &Design) -> Vec<ProbeTarget> {
    let mut out = Vec::new();
    for (i, r) in design.relays.iter().enumerate() {
        let port = match r.role {
            Role::Ber => 25,
            Role::Sor => u16::try_from(r.port).unwrap_or(25),
        };
        let base = ProbeTarget {
            relay: i,
            host: r.host.clone(),
            address: None,
            port,
            role: r.role,
            implicit_tls: port == 465,
        };
        if r.addresses.is_empty() {
            out.push(base);
        } else {
            for a in &r.addresses {
                out.push(ProbeTarget {
                    address: Some(*a),
                    ..base.clone()
                });
            }
        }
    }
    out
}

impl ProbeGrid {
    /// Start a new run over `targets`.
    pub fn start(&mut self, run: RunId, targets: &[ProbeTarget]) {
        self.run = RunState::Running(run);
        self.rows = targets
            .iter()
            .map(|t| ProbeRow {
                target: t.clone(),
                cells: Default::default(),
                details: Vec::new(),
            })
            .collect();
        self.done = 0;
        self.selected = None;
    }
}

/// Apply one DNS event to the Published panel. The resolve engine (issue #3) is not merged: its
/// event type has no variants yet, so there is nothing to apply. Wire `DnsEvent`'s variants here.
pub fn apply_dns_event(_state: &mut Published, event: &DnsEvent) {
    match *event {}
}

/// Apply one probe event to the grid. The probe engine (issue #4) is not merged: its event type has
/// no variants yet. Wire `ProbeEvent`'s variants here (row by target, column by step, details).
pub fn apply_probe_event(_grid: &mut ProbeGrid, event: &ProbeEvent) {
    match *event {}
}

/// What the user asked for in a live panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveIntent {
    /// Start a DNS lookup.
    Lookup,
    /// Probe every relay address.
    ProbeAll,
    /// Cancel the DNS run.
    CancelLookup,
    /// Cancel the probe run.
    CancelProbe,
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn run_status(ui: &mut Ui, run: RunState, what: &str) {
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

/// The "Published (DNS)" panel.
pub fn published_ui(
    ui: &mut Ui,
    state: &Published,
    resolver: &str,
    can_run: bool,
) -> Option<LiveIntent> {
    let mut intent = None;
    ui.horizontal(|ui| {
        let running = state.run.running();
        if ui
            .add_enabled(can_run && !running, egui::Button::new("Look up"))
            .on_hover_text("Ask DNS what the domain publishes now (F5 runs the full check)")
            .clicked()
        {
            intent = Some(LiveIntent::Lookup);
        }
        if ui
            .add_enabled(running, egui::Button::new("Cancel lookup"))
            .clicked()
        {
            intent = Some(LiveIntent::CancelLookup);
        }
        ui.add_enabled(false, egui::Button::new("Import from DNS"))
            .on_disabled_hover_text("Available once the live-DNS engine (issue #3) is merged");
        ui.separator();
        ui.weak(format!("Resolver: {resolver}"));
    });
    ui.horizontal(|ui| run_status(ui, state.run, "lookup"));
    ui.separator();
    if state.rrsets.is_empty() {
        ui.label(
            "The live-DNS engine is not part of this build yet (issue #3): a lookup finishes at once \
             and reports no RRsets. Once it lands, each RRset appears here with its status, a \
             DNSSEC badge and the drift against the design.",
        );
        return intent;
    }
    egui::ScrollArea::both().show(ui, |ui| {
        egui::Grid::new("rrsets")
            .striped(true)
            .num_columns(5)
            .show(ui, |ui| {
                for h in ["Name", "Type", "Status", "DNSSEC", "Records"] {
                    ui.strong(h);
                }
                ui.end_row();
                for row in &state.rrsets {
                    for c in row {
                        ui.monospace(c);
                    }
                    ui.end_row();
                }
            });
        for d in &state.drift {
            ui.label(d);
        }
    });
    intent
}

/// The "Probe grid" panel.
pub fn probe_ui(
    ui: &mut Ui,
    grid: &mut ProbeGrid,
    targets: usize,
    can_run: bool,
) -> Option<LiveIntent> {
    let dark = ui.visuals().dark_mode;
    let mut intent = None;
    let running = grid.run.running();
    ui.horizontal(|ui| {
        if ui
            .add_enabled(can_run && !running, egui::Button::new("Probe all"))
            .on_hover_text(format!("Probe every relay address ({targets} targets)"))
            .clicked()
        {
            intent = Some(LiveIntent::ProbeAll);
        }
        if ui
            .add_enabled(running, egui::Button::new("Cancel probes"))
            .clicked()
        {
            intent = Some(LiveIntent::CancelProbe);
        }
        run_status(ui, grid.run, "probe run");
    });
    let total = grid.rows.len();
    if total > 0 {
        let frac = grid.done as f32 / total as f32;
        ui.add(
            egui::ProgressBar::new(frac)
                .text(format!("{} of {} addresses probed", grid.done, total))
                .desired_height(16.0),
        );
        if !running && grid.done == 0 {
            ui.weak(
                "No results: the probe engine is not part of this build yet (issue #4), so the run ends at once.",
            );
        }
    }
    ui.separator();
    if grid.rows.is_empty() {
        ui.label(
            "Probe all connects to every relay address and fills one row per address, step by step. \
             The probe engine is not part of this build yet (issue #4): a run finishes at once \
             without results.",
        );
        return intent;
    }
    let row_h = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    let details_h = if grid.selected.is_some() { 160.0 } else { 0.0 };
    let avail = (ui.available_height() - details_h).max(120.0);
    egui::ScrollArea::both()
        .max_height(avail)
        .auto_shrink([false, true])
        .show_rows(ui, row_h, grid.rows.len() + 1, |ui, range| {
            egui::Grid::new("probe_grid")
                .striped(true)
                .min_row_height(row_h - 4.0)
                .show(ui, |ui| {
                    for row_i in range {
                        if row_i == 0 {
                            ui.strong("Relay");
                            ui.strong("Address");
                            for s in PROBE_STEPS {
                                ui.strong(s);
                            }
                            ui.end_row();
                            continue;
                        }
                        let i = row_i - 1;
                        let Some(row) = grid.rows.get(i) else {
                            continue;
                        };
                        ui.label(format!(
                            "{} ({})",
                            row.target.host,
                            row.target.role.as_str()
                        ));
                        ui.monospace(
                            row.target
                                .address
                                .map_or_else(|| "(resolve)".to_string(), |a| a.to_string()),
                        );
                        for (s, v) in row.cells.iter().enumerate() {
                            let selected = grid.selected == Some((i, s));
                            // A run that ended without a result for this step says so in words.
                            let word = if *v == Verdict::Pending && !running {
                                "no result"
                            } else {
                                v.word()
                            };
                            let text = RichText::new(word).color(v.color(dark));
                            if ui.selectable_label(selected, text).clicked() {
                                grid.selected = Some((i, s));
                            }
                        }
                        ui.end_row();
                    }
                });
        });
    if let Some((i, s)) = grid.selected
        && let Some(row) = grid.rows.get(i)
    {
        ui.separator();
        ui.strong(format!(
            "{} {} — {}",
            row.target.host,
            row.target
                .address
                .map(|a| a.to_string())
                .unwrap_or_default(),
            PROBE_STEPS.get(s).copied().unwrap_or("")
        ));
        egui::ScrollArea::vertical()
            .id_salt("probe_details")
            .max_height(130.0)
            .show(ui, |ui| {
                if row.details.is_empty() {
                    ui.weak("No details yet for this address.");
                }
                for line in &row.details {
                    ui.monospace(line);
                }
            });
    }
    intent
}
