//! The "Probe grid": one row per relay address of the live run — relay, address and verdict
//! pinned, then DANE, MTA-STS and the steps of the dialogue — the sender simulation above it and the
//! details of the selected cell below it.

use super::{CellVerdict, LiveIntent, RunState, palette, run_status, spell};
use crate::event::RunId;
use crate::live::LiveReport;
use crate::model::{Design, Role};
use crate::probe::{Listed, ProbeEvent, Step};
use eframe::egui;
use egui::{RichText, Ui};

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

/// A step column of the grid: its index in [`PROBE_STEPS`], [`ProbeRow::cells`] and
/// [`ProbeRow::words`] (`row.cells[Column::Dane as usize]`), so no cell is reached by a bare number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// TCP connect.
    Connect = 0,
    /// The 220 greeting.
    Greeting = 1,
    /// EHLO.
    Ehlo = 2,
    /// MAIL FROM in plaintext.
    PlaintextMail = 3,
    /// STARTTLS offered and answered.
    Starttls = 4,
    /// The TLS handshake.
    Tls = 5,
    /// The certificate (PKIX).
    Certificate = 6,
    /// The DANE verdict.
    Dane = 7,
    /// The MTA-STS verdict.
    MtaSts = 8,
}

/// The order the step columns are drawn in, right of the pinned relay, address and verdict
/// columns: the two answers an administrator looks for first (DANE, MTA-STS), then the dialogue
/// in the order it happens.
pub const COLUMN_ORDER: [usize; PROBE_STEPS.len()] = [
    Column::Dane as usize,
    Column::MtaSts as usize,
    Column::Connect as usize,
    Column::Greeting as usize,
    Column::Ehlo as usize,
    Column::PlaintextMail as usize,
    Column::Starttls as usize,
    Column::Tls as usize,
    Column::Certificate as usize,
];

/// What one row of the grid probes: a relay address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GridTarget {
    /// Relay host name.
    pub host: String,
    /// The address; `None` while the run has not resolved the host yet.
    pub address: Option<std::net::IpAddr>,
    /// TCP port.
    pub port: u16,
    /// The role the relay is probed for.
    pub role: Role,
    /// Implicit TLS (port 465) instead of STARTTLS.
    pub implicit_tls: bool,
    /// Who names it: the design, DNS, or both (known once the run has planned its targets).
    pub listed: Option<Listed>,
}

/// One row of the grid: a relay address.
#[derive(Debug, Clone)]
pub struct ProbeRow {
    /// What is probed.
    pub target: GridTarget,
    /// The address's verdict (pass / fail / inconclusive), once its probe ended.
    pub verdict: CellVerdict,
    /// One verdict per [`PROBE_STEPS`] column.
    pub cells: [CellVerdict; PROBE_STEPS.len()],
    /// The report's own word for a cell where it says more than pass/fail (DANE `valid`,
    /// `no-tlsa`; MTA-STS `not-covered`, `no-policy`); `None` = the verdict's word.
    pub words: [Option<String>; PROBE_STEPS.len()],
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
    /// The reports of the probes that ended, in the order they ended.
    pub reports: Vec<crate::probe::ProbeReport>,
    /// The sender simulation (SOR-007) over the published relays, from the run's report.
    pub simulation: Option<crate::probe::simulate::Simulation>,
    /// The design the run checked (rows are stale once the design differs).
    pub design: Option<Design>,
}

/// The rows a run starts with: every design relay address, or the host when it has none. The run
/// adds the relays DNS publishes and the addresses it resolves as they come.
pub fn probe_targets(design: &Design) -> Vec<GridTarget> {
    let mut out = Vec::new();
    for r in &design.relays {
        let port = match r.role {
            Role::Ber => 25,
            Role::Sor => u16::try_from(r.port).unwrap_or(25),
        };
        let base = GridTarget {
            host: r.host.clone(),
            address: None,
            port,
            role: r.role,
            implicit_tls: port == 465,
            listed: None,
        };
        if r.addresses.is_empty() {
            out.push(base);
        } else {
            for a in &r.addresses {
                out.push(GridTarget {
                    address: Some(*a),
                    ..base.clone()
                });
            }
        }
    }
    out
}

pub(super) fn row(target: GridTarget) -> ProbeRow {
    ProbeRow {
        target,
        verdict: CellVerdict::Pending,
        cells: Default::default(),
        words: Default::default(),
        details: Vec::new(),
    }
}

impl ProbeGrid {
    /// Start a new run over `design`.
    pub fn start(&mut self, run: RunId, design: &Design) {
        self.run = RunState::Running(run);
        self.rows = probe_targets(design).into_iter().map(row).collect();
        self.done = 0;
        self.selected = None;
        self.reports.clear();
        self.simulation = None;
        self.design = Some(design.clone());
    }

    /// The run's report: one row per probed address, exactly as the report says (rows the design
    /// suggested but the run did not probe go away), and the sender simulation.
    pub fn apply_report(&mut self, report: &LiveReport) {
        let Some(probes) = &report.probes else {
            return;
        };
        self.rows = probes
            .iter()
            .map(|r| {
                let mut row = row(GridTarget {
                    host: r.host.clone(),
                    address: Some(r.address),
                    port: r.port,
                    role: r.role,
                    implicit_tls: r.implicit_tls,
                    listed: r.listed,
                });
                fill_from_report(&mut row, r);
                row
            })
            .collect();
        self.reports = probes.clone();
        self.done = self.rows.len();
        self.simulation = report.simulation.clone();
        if self.selected.is_some_and(|(i, _)| i >= self.rows.len()) {
            self.selected = None;
        }
    }

    /// True when the rows are of another version of the design than `design`.
    pub fn is_stale(&self, design: &Design) -> bool {
        self.run != RunState::Idle && self.design.as_ref().is_some_and(|d| d != design)
    }
}

/// The grid column of a probe step, if it has one (RSET, QUIT and retries have none).
fn step_column(step: Step) -> Option<Column> {
    Some(match step {
        Step::Connect => Column::Connect,
        Step::Greeting => Column::Greeting,
        Step::Ehlo => Column::Ehlo,
        Step::MailFrom => Column::PlaintextMail,
        Step::Starttls => Column::Starttls,
        Step::Tls | Step::EhloTls | Step::MailFromTls => Column::Tls,
        Step::Rset
        | Step::Quit
        | Step::Retry
        | Step::Injection
        | Step::Vrfy
        | Step::Vantage
        | Step::TlsVariant
        | Step::Cipher => return None,
    })
}

/// The row of (host, address, port): an exact match, else a row of that host still waiting for
/// its address (the worker resolved it), else a new row.
fn row_for(grid: &mut ProbeGrid, host: &str, address: std::net::IpAddr, port: u16) -> usize {
    let same = |t: &GridTarget| t.host == host && t.port == port;
    if let Some(i) = grid
        .rows
        .iter()
        .position(|r| same(&r.target) && r.target.address == Some(address))
    {
        return i;
    }
    if let Some(i) = grid
        .rows
        .iter()
        .position(|r| same(&r.target) && r.target.address.is_none())
    {
        grid.rows[i].target.address = Some(address);
        return i;
    }
    let template = grid.rows.iter().find(|r| same(&r.target)).map(|r| {
        let mut t = r.target.clone();
        t.address = Some(address);
        t
    });
    grid.rows.push(row(template.unwrap_or(GridTarget {
        host: host.to_string(),
        address: Some(address),
        port,
        role: Role::Ber,
        implicit_tls: port == 465,
        listed: None,
    })));
    grid.rows.len() - 1
}

/// Apply one probe event to the grid: a step fills its cell as it happens; the final report fills
/// the certificate, DANE and MTA-STS cells and the details view.
pub fn apply_probe_event(grid: &mut ProbeGrid, event: &ProbeEvent) {
    match event {
        ProbeEvent::Step {
            host,
            address,
            port,
            step,
            ok,
            ..
        } => {
            let Some(col) = step_column(*step) else {
                return;
            };
            let i = row_for(grid, host, *address, *port);
            grid.rows[i].cells[col as usize] = if *ok {
                CellVerdict::Pass
            } else {
                CellVerdict::Fail
            };
        }
        ProbeEvent::Finished { report } => {
            let i = row_for(grid, &report.host, report.address, report.port);
            let row = &mut grid.rows[i];
            row.target.role = report.role;
            row.target.listed = report.listed;
            fill_from_report(row, report);
            grid.reports.push((**report).clone());
            grid.done = grid.done.saturating_add(1).min(grid.rows.len());
        }
    }
}

fn fill_from_report(row: &mut ProbeRow, r: &crate::probe::ProbeReport) {
    use crate::probe::dane::DaneVerdict;
    use crate::probe::report::{StsVerdict, Verdict as V};
    use crate::probe::tls::Pkix;
    // The dialogue's steps from the report's facts (progress events may have been dropped).
    let step = |done: bool, ok: bool| match (done, ok) {
        (false, _) => CellVerdict::Pending,
        (true, true) => CellVerdict::Pass,
        (true, false) => CellVerdict::Fail,
    };
    let sor = r.role == Role::Sor;
    row.cells[Column::Connect as usize] = step(true, r.connect == crate::probe::Connect::Ok);
    if r.connect == crate::probe::Connect::Ok {
        if !r.implicit_tls {
            row.cells[Column::Greeting as usize] =
                step(r.greeting.is_some(), r.greeting == Some(220));
            row.cells[Column::Ehlo as usize] = step(r.ehlo.is_some(), r.ehlo == Some(250));
            row.cells[Column::PlaintextMail as usize] = step(
                r.plaintext_mail_from.is_some(),
                r.plaintext_mail_from.is_some_and(|c| {
                    if sor {
                        c == 530
                    } else {
                        (200..300).contains(&c)
                    }
                }),
            );
            row.cells[Column::Starttls as usize] = step(
                r.starttls_offered.is_some(),
                r.starttls_offered == Some(true) && r.starttls_reply.is_none_or(|c| c == 220),
            );
        } else {
            for c in [
                Column::Greeting,
                Column::Ehlo,
                Column::PlaintextMail,
                Column::Starttls,
            ] {
                row.cells[c as usize] = CellVerdict::NotApplicable;
            }
        }
        row.cells[Column::Tls as usize] = step(
            r.tls.is_some(),
            r.tls.as_ref().is_some_and(|t| t.version.is_some()),
        );
    }
    row.verdict = match r.verdict {
        V::Pass => CellVerdict::Pass,
        V::Fail => CellVerdict::Fail,
        V::Inconclusive => CellVerdict::Inconclusive,
    };
    if r.verdict == V::Inconclusive {
        for c in row.cells.iter_mut().filter(|c| **c == CellVerdict::Pending) {
            *c = CellVerdict::Inconclusive;
        }
    }
    row.cells[Column::Certificate as usize] = match &r.certificate {
        Some(c) if c.pkix == Pkix::Valid => CellVerdict::Pass,
        Some(_) => CellVerdict::Fail,
        None => CellVerdict::NotApplicable,
    };
    row.cells[Column::Dane as usize] = match r.dane {
        DaneVerdict::Valid => CellVerdict::Pass,
        DaneVerdict::Fail => CellVerdict::Fail,
        _ => CellVerdict::NotApplicable,
    };
    row.words[Column::Dane as usize] = Some(spell(&r.dane));
    row.cells[Column::MtaSts as usize] = match r.mta_sts {
        Some(StsVerdict::Pass) => CellVerdict::Pass,
        Some(StsVerdict::Fail) => CellVerdict::Fail,
        Some(StsVerdict::NotCovered) => CellVerdict::Inconclusive,
        Some(StsVerdict::NoPolicy) | None => CellVerdict::NotApplicable,
    };
    row.words[Column::MtaSts as usize] =
        Some(r.mta_sts.map_or("n/a", StsVerdict::as_str).to_string());
    let mut d = vec![format!(
        "Verdict: {} ({} attempt(s), {} ms)",
        spell(&r.verdict),
        r.attempts,
        r.timings_ms.total
    )];
    d.push(format!(
        "Listed by: {}, found via {}",
        r.listed.map(Listed::as_str).unwrap_or("-"),
        r.via.as_deref().unwrap_or("-")
    ));
    if let Some(e) = &r.error {
        d.push(format!("Stopped: {e}"));
    }
    if let Some(t) = &r.tls {
        d.push(format!(
            "TLS: {} {}",
            t.version.as_deref().unwrap_or("no handshake"),
            t.cipher.as_deref().unwrap_or("")
        ));
    }
    if let Some(c) = &r.certificate {
        d.push(format!("Certificate: {} (issuer {})", c.subject, c.issuer));
        d.push(format!("  SANs: {}", c.sans.join(", ")));
        d.push(format!(
            "  Valid {} … {}, key {}",
            c.not_before, c.not_after, c.key
        ));
        d.push(format!(
            "  PKIX: {}{}",
            spell(&c.pkix),
            c.pkix_error
                .as_deref()
                .map(|e| format!(" — {e}"))
                .unwrap_or_default()
        ));
    }
    d.push(format!(
        "DANE: {}{}",
        spell(&r.dane),
        r.dane_detail
            .as_ref()
            .map(|x| format!(" — {}", x.detail))
            .unwrap_or_default()
    ));
    if let Some(m) = &r.mta_sts {
        d.push(format!("MTA-STS: {m}"));
    }
    let n = &r.names;
    if n.banner.is_some() || n.ehlo.is_some() || n.ptr.is_some() {
        d.push(format!(
            "Names: banner {}, EHLO {}, PTR {}",
            n.banner.as_deref().unwrap_or("-"),
            n.ehlo.as_deref().unwrap_or("-"),
            match &n.ptr {
                Some(crate::probe::names::PtrLookup::Names(v)) => v.join(" "),
                Some(crate::probe::names::PtrLookup::Status(s)) => s.clone(),
                None => "not looked up".into(),
            }
        ));
    }
    if let Some(c) = r.pretls_vrfy {
        d.push(format!("VRFY before TLS: {c}"));
    }
    for v in &r.vantage.points {
        d.push(format!("From {}: {}", v.source, v.summary()));
    }
    for v in &r.variants {
        d.push(format!(
            "Variant {}: {}{}",
            spell(&v.variant),
            spell(&v.outcome),
            v.note
                .as_deref()
                .map(|n| format!(": {n}"))
                .or_else(|| v.leaf_key.as_deref().map(|k| format!(", key {k}")))
                .or_else(|| v.error.as_deref().map(|e| format!(" ({e})")))
                .unwrap_or_default()
        ));
    }
    for t in &r.cipher_tests {
        d.push(format!(
            "Cipher test {}",
            crate::probe::ciphers::describe(t)
        ));
    }
    for p in &r.problems {
        d.push(format!("{} {}: {}", p.rule, spell(&p.severity), p.message));
    }
    d.push("Transcript:".into());
    d.extend(r.transcript.iter().map(|l| format!("  {l}")));
    d.push(format!(
        "Timings (ms): connect {:?}, greeting {:?}, TLS {:?}, total {}",
        r.timings_ms.connect, r.timings_ms.greeting, r.timings_ms.tls, r.timings_ms.total
    ));
    row.details = d;
}

/// The sender simulation (SOR-007): one line per simulated sender, a word and a colour.
fn simulation_ui(ui: &mut Ui, sim: &crate::probe::simulate::Simulation, dark: bool) {
    use crate::probe::simulate::Outcome;
    for (who, run) in [
        ("Secure Only Sender", &sim.sos),
        ("Best Effort Sender", &sim.bes),
    ] {
        let (verdict, word) = match run.outcome {
            Outcome::Tls => (CellVerdict::Pass, "delivers over TLS"),
            Outcome::Plaintext => (CellVerdict::Inconclusive, "delivers in plaintext"),
            Outcome::Defer => (CellVerdict::Inconclusive, "defers"),
            Outcome::Bounce => (CellVerdict::Fail, "bounces"),
        };
        let to = run
            .delivered_to
            .as_deref()
            .map(|h| format!(" to {h}"))
            .unwrap_or_default();
        let tried = if run.tried.is_empty() {
            "no relay published".to_string()
        } else {
            format!("tried {}", run.tried_words())
        };
        ui.horizontal_wrapped(|ui| {
            ui.label(format!("{who}:"));
            ui.label(RichText::new(format!("{word}{to}")).color(verdict.color(dark)));
            ui.weak(format!("({tried})"));
        });
    }
}

/// The "Probe grid" panel: one row per relay address, the relay, address and verdict columns
/// pinned on the left while the step columns scroll. `stale` says the rows are of an earlier
/// version of the design.
pub fn probe_ui(
    ui: &mut Ui,
    grid: &mut ProbeGrid,
    can_run: bool,
    stale: bool,
) -> Option<LiveIntent> {
    let dark = ui.visuals().dark_mode;
    let mut intent = None;
    let running = grid.run.running();
    ui.horizontal(|ui| {
        if ui
            .add_enabled(can_run && !running, egui::Button::new("Probe all"))
            .on_hover_text(
                "Check the domain live: DNS, then every relay address the design or DNS names (same as F5 and `secmx check`)",
            )
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
    if stale {
        ui.colored_label(
            palette::warning(dark),
            "Stale: the design has changed since this run; these rows are of the earlier version. Probe again (F5).",
        );
    }
    let total = grid.rows.len();
    if total > 0 {
        let frac = grid.done as f32 / total as f32;
        ui.add(
            egui::ProgressBar::new(frac)
                .text(format!("{} of {} addresses probed", grid.done, total))
                .desired_height(16.0),
        );
        if !running && grid.done == 0 {
            ui.weak("The run ended without results (cancelled, or no address could be probed).");
        }
    }
    if let Some(sim) = &grid.simulation {
        simulation_ui(ui, sim, dark);
    }
    ui.separator();
    if grid.rows.is_empty() {
        ui.label(
            "Probe all checks the domain live, like `secmx check`: it asks DNS, then connects to every relay \
             address the design or DNS names and fills one row per address: the verdict, then each step — \
             connect, greeting, EHLO, plaintext MAIL (the role check), STARTTLS, TLS, certificate, \
             DANE, MTA-STS. A probe never sends RCPT or DATA; it ends with QUIT.",
        );
        return intent;
    }
    let row_h = ui.text_style_height(&egui::TextStyle::Body) + 8.0;
    let details_h = if grid.selected.is_some() {
        (ui.available_height() * 0.5).max(160.0)
    } else {
        0.0
    };
    let avail = (ui.available_height() - details_h).max(120.0);
    let word = |v: CellVerdict| {
        // A run that ended without a result for this step says so in words.
        if v == CellVerdict::Pending && !running {
            "no result"
        } else {
            v.word()
        }
    };
    let mut clicked = None;
    egui::ScrollArea::vertical()
        .id_salt("probe_rows")
        .max_height(avail)
        .auto_shrink([false, true])
        .show_rows(ui, row_h, grid.rows.len() + 1, |ui, range| {
            ui.horizontal_top(|ui| {
                // Pinned: relay, address, verdict.
                egui::Grid::new("probe_pinned")
                    .striped(true)
                    .min_row_height(row_h - 4.0)
                    .show(ui, |ui| {
                        for row_i in range.clone() {
                            if row_i == 0 {
                                ui.strong("Relay");
                                ui.strong("Address");
                                ui.strong("Verdict");
                                ui.end_row();
                                continue;
                            }
                            let Some(row) = grid.rows.get(row_i - 1) else {
                                continue;
                            };
                            let listed = row
                                .target
                                .listed
                                .map(|l| format!(", {}", l.as_str()))
                                .unwrap_or_default();
                            ui.label(format!(
                                "{} ({}{listed})",
                                row.target.host,
                                row.target.role.as_str()
                            ));
                            ui.monospace(
                                row.target
                                    .address
                                    .map_or_else(|| "(resolve)".to_string(), |a| a.to_string()),
                            );
                            let mut w = word(row.verdict).to_string();
                            if stale {
                                w.push_str(" (stale)");
                            }
                            let text = RichText::new(w).strong().color(row.verdict.color(dark));
                            if ui.selectable_label(false, text).clicked() {
                                clicked = Some((row_i - 1, 0));
                            }
                            ui.end_row();
                        }
                    });
                ui.separator();
                // The steps scroll sideways.
                egui::ScrollArea::horizontal()
                    .id_salt("probe_steps")
                    .show(ui, |ui| {
                        egui::Grid::new("probe_grid")
                            .striped(true)
                            .min_row_height(row_h - 4.0)
                            .show(ui, |ui| {
                                for row_i in range.clone() {
                                    if row_i == 0 {
                                        for s in COLUMN_ORDER {
                                            ui.strong(PROBE_STEPS[s]);
                                        }
                                        ui.end_row();
                                        continue;
                                    }
                                    let i = row_i - 1;
                                    let Some(row) = grid.rows.get(i) else {
                                        continue;
                                    };
                                    for s in COLUMN_ORDER {
                                        let v = &row.cells[s];
                                        let selected = grid.selected == Some((i, s));
                                        let w = row.words[s].as_deref().unwrap_or(word(*v));
                                        let text = RichText::new(w).color(v.color(dark));
                                        if ui.selectable_label(selected, text).clicked() {
                                            clicked = Some((i, s));
                                        }
                                    }
                                    ui.end_row();
                                }
                            });
                    });
            });
        });
    if clicked.is_some() {
        grid.selected = clicked;
    }
    if let Some((i, s)) = grid.selected
        && let Some(row) = grid.rows.get(i)
    {
        ui.separator();
        ui.strong(format!(
            "{} {} — {}: {}",
            row.target.host,
            row.target
                .address
                .map(|a| a.to_string())
                .unwrap_or_default(),
            PROBE_STEPS.get(s).copied().unwrap_or(""),
            word(row.verdict)
        ));
        egui::ScrollArea::vertical()
            .id_salt("probe_details")
            .max_height(ui.available_height())
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
