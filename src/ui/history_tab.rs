//! The History tab (issue 12): the saved checks of the design's domain on a timeline per relay
//! address (verdict per run, key and certificate changes marked), what changed between any two
//! runs (the diff of `secmx diff`, in words, grouped the same way), and a plot of the days to
//! certificate expiry per relay address across runs.
//!
//! The history database is read on a thread of its own ([`HistoryTab::request`]); the frame only
//! polls for the answer. (Not to be confused with [`super::history`], the undo/redo history.)

use super::palette;
use crate::history::{self, Change, Run};
use crate::probe::{Verdict, dane::DaneVerdict};
use eframe::egui::{self, RichText, Ui};
use serde::Deserialize;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

/// Runs read into the tab (the newest ones).
pub const RUNS_SHOWN: i64 = 50;

/// One relay address in one run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelayAt {
    /// The relay's verdict; `None` when the stored report has none this version knows.
    pub verdict: Option<Verdict>,
    /// The DANE result; `None` when the stored report has none this version knows.
    pub dane: Option<DaneVerdict>,
    /// SHA-256 of the leaf's SubjectPublicKeyInfo (`-` without a certificate).
    pub spki: String,
    /// SHA-256 of the leaf certificate.
    pub cert: String,
    /// When the leaf expires, Unix seconds.
    pub not_after_unix: Option<i64>,
}

/// One saved run as the tab shows it (its report is read again for a diff, not kept).
#[derive(Debug, Clone)]
pub struct RunRow {
    /// The run.
    pub run: Run,
    /// Its relay addresses (`host address:port`) and what was found there.
    pub relays: Vec<(String, RelayAt)>,
}

/// The runs of one domain, oldest first.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// The history file they were read from.
    pub path: PathBuf,
    /// The domain.
    pub domain: String,
    /// The runs, oldest first.
    pub runs: Vec<RunRow>,
    /// Every relay address seen in these runs, in order of first appearance.
    pub relays: Vec<String>,
    /// How long reading took, ms.
    pub ms: f64,
}

fn text(v: &Value) -> String {
    v.as_str().map(str::to_string).unwrap_or_else(|| "-".into())
}

/// The relay addresses of a report.
fn relays_of(report: &Value) -> Vec<(String, RelayAt)> {
    report["probes"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            let leaf = &p["certificate"]["chain"][0];
            (
                format!(
                    "{} {}:{}",
                    text(&p["host"]),
                    text(&p["address"]),
                    p["port"].as_i64().unwrap_or(0)
                ),
                RelayAt {
                    verdict: Verdict::deserialize(&p["verdict"]).ok(),
                    dane: DaneVerdict::deserialize(&p["dane"]).ok(),
                    spki: text(&leaf["spki_sha256"]),
                    cert: text(&leaf["sha256"]),
                    not_after_unix: leaf["not_after_unix"].as_i64(),
                },
            )
        })
        .collect()
}

/// Read the last [`RUNS_SHOWN`] runs of `domain` from the history at `path` (no file yet: none).
pub fn load(path: &Path, domain: &str) -> Result<Loaded, history::HistoryError> {
    let started = std::time::Instant::now();
    let mut out = Loaded {
        path: path.to_path_buf(),
        domain: domain.to_string(),
        ..Loaded::default()
    };
    if !path.exists() {
        return Ok(out);
    }
    let db = history::History::open(path, false)?;
    for run in db.list(domain, RUNS_SHOWN)?.into_iter().rev() {
        let (run, report) = db.get(run.id)?;
        let relays = relays_of(&report);
        for (k, _) in &relays {
            if !out.relays.contains(k) {
                out.relays.push(k.clone());
            }
        }
        drop(report);
        out.runs.push(RunRow { run, relays });
    }
    out.ms = started.elapsed().as_secs_f64() * 1e3;
    Ok(out)
}

/// The tab's state.
#[derive(Debug, Default)]
pub struct HistoryTab {
    pending: Option<mpsc::Receiver<Result<Loaded, history::HistoryError>>>,
    loaded: Option<Loaded>,
    error: Option<String>,
    /// The selected runs (ids, at most two, in the order they were picked).
    selected: Vec<i64>,
    /// The diff of the two selected runs (older, newer) and how long reading both reports and
    /// the diff took, ms.
    diff: Option<((i64, i64), Vec<Change>, f64)>,
    /// Read again at the next frame the tab is shown (a check was saved, the domain changed).
    stale: bool,
}

impl HistoryTab {
    /// What was read, when it was.
    pub fn loaded(&self) -> Option<&Loaded> {
        self.loaded.as_ref()
    }

    /// Read again when next shown (a check ended and was saved).
    pub fn invalidate(&mut self) {
        self.stale = true;
    }

    /// Start reading the runs of `domain` from `path` on a thread; the frame polls for them.
    pub fn request(&mut self, path: PathBuf, domain: String, ctx: &egui::Context) {
        let (tx, rx) = mpsc::channel();
        let ctx = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("secmx-history".into())
            .spawn(move || {
                let _ = tx.send(load(&path, &domain));
                ctx.request_repaint();
            });
        match spawned {
            Ok(_) => {
                self.pending = Some(rx);
                self.stale = false;
            }
            Err(e) => self.error = Some(format!("cannot start reading the history: {e}")),
        }
    }

    /// Take the answer of the reading thread, if it came.
    fn poll(&mut self) {
        let Some(rx) = &self.pending else { return };
        match rx.try_recv() {
            Ok(Ok(l)) => {
                self.pending = None;
                self.error = None;
                self.selected
                    .retain(|id| l.runs.iter().any(|r| r.run.id == *id));
                self.loaded = Some(l);
                self.diff = None;
            }
            Ok(Err(e)) => {
                self.pending = None;
                self.loaded = None;
                self.diff = None;
                self.error = Some(e.to_string());
            }
            Err(mpsc::TryRecvError::Empty) => {}
            Err(mpsc::TryRecvError::Disconnected) => {
                self.pending = None;
                self.loaded = None;
                self.error = Some("reading the history stopped".into());
            }
        }
    }

    /// Pick or drop a run; with two picked, their diff.
    pub fn toggle(&mut self, id: i64) {
        if let Some(i) = self.selected.iter().position(|x| *x == id) {
            self.selected.remove(i);
        } else {
            self.selected.push(id);
            if self.selected.len() > 2 {
                self.selected.remove(0);
            }
        }
        self.diff = None;
        let (Some(l), [a, b]) = (&self.loaded, self.selected.as_slice()) else {
            return;
        };
        let pos = |id: i64| l.runs.iter().position(|r| r.run.id == id);
        let (Some(x), Some(y)) = (pos(*a), pos(*b)) else {
            return;
        };
        let (old, new) = if x < y { (x, y) } else { (y, x) };
        let (a, b) = (l.runs[old].run.id, l.runs[new].run.id);
        // Two reports read on the spot (a few ms; see benches/history.rs).
        let started = std::time::Instant::now();
        let both = history::History::open(&l.path, false).and_then(|db| {
            let (_, ra) = db.get(a)?;
            let (_, rb) = db.get(b)?;
            Ok((ra, rb))
        });
        match both {
            Ok((ra, rb)) => {
                let changes = history::diff(&ra, &rb);
                self.diff = Some(((a, b), changes, started.elapsed().as_secs_f64() * 1e3));
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }
}

/// What the tab is drawn with.
pub(super) struct HistoryView<'a> {
    /// The history database (`None`: the window keeps none, e.g. in tests).
    pub path: Option<&'a Path>,
    /// The design's domain.
    pub domain: &'a str,
    /// "Keep a history of checks".
    pub keep: &'a mut bool,
}

/// The History tab. Returns true when "Keep a history of checks" was switched.
pub(super) fn history_ui(ui: &mut Ui, tab: &mut HistoryTab, view: HistoryView<'_>) -> bool {
    tab.poll();
    let dark = ui.visuals().dark_mode;
    let mut switched = false;
    ui.horizontal(|ui| {
        switched = ui
            .checkbox(view.keep, "Keep a history of checks")
            .on_hover_text(
                "Save every check (F5, Probe all, Look up) in the history database, like secmx check --save.",
            )
            .changed();
        if ui.button("Reload").clicked() {
            tab.stale = true;
        }
    });
    let Some(path) = view.path else {
        ui.label("No history database: this window keeps no history.");
        return switched;
    };
    ui.label(
        RichText::new(format!("History database: {}", path.display())).color(palette::muted(dark)),
    );
    let wrong_domain = tab.loaded.as_ref().is_some_and(|l| l.domain != view.domain);
    // After an error, read again only when asked (Reload, a new check), not at every frame.
    let unread = tab.loaded.is_none() && tab.error.is_none();
    if tab.pending.is_none() && (tab.stale || unread || wrong_domain) {
        tab.request(path.to_path_buf(), view.domain.to_string(), ui.ctx());
    }
    if let Some(e) = &tab.error {
        ui.colored_label(palette::error(dark), format!("Error: {e}"));
    }
    let Some(l) = tab.loaded.as_ref() else {
        ui.label("Reading the history…");
        return switched;
    };
    if l.runs.is_empty() {
        ui.label(format!(
            "No saved checks of {} yet. Run a check (F5): it is kept here.",
            l.domain
        ));
        return switched;
    }
    ui.label(
        RichText::new(format!(
            "{} saved check(s) of {} (the last {RUNS_SHOWN} are shown; read in {:.1} ms).",
            l.runs.len(),
            l.domain,
            l.ms
        ))
        .color(palette::muted(dark)),
    );
    let mut picked = None;
    egui::ScrollArea::vertical()
        .id_salt("history-tab")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.heading("Timeline per relay");
            picked = timeline(ui, l, &tab.selected, dark);
            ui.separator();
            diff_ui(ui, tab, dark);
            ui.separator();
            ui.heading("Days to certificate expiry");
            if let Some(l) = tab.loaded.as_ref() {
                expiry_plot(ui, l);
            }
        });
    if let Some(id) = picked {
        tab.toggle(id);
    }
    switched
}

/// Rows of the timeline: the same height in the fixed name column and the scrolled run columns.
const ROW: f32 = 24.0;

/// The runs as columns (oldest left, scrolled to the newest), the relay addresses as rows (their
/// names stay put). Returns a run clicked.
fn timeline(ui: &mut Ui, l: &Loaded, selected: &[i64], dark: bool) -> Option<i64> {
    let mut picked = None;
    ui.horizontal_top(|ui| {
        egui::Grid::new("history-names")
            .min_row_height(ROW)
            .spacing([10.0, 4.0])
            .show(ui, |ui| {
                ui.label(RichText::new("Relay address").strong());
                ui.end_row();
                ui.label(RichText::new("When (UTC)").color(palette::muted(dark)));
                ui.end_row();
                ui.label(RichText::new("Errors, warnings").color(palette::muted(dark)));
                ui.end_row();
                for relay in &l.relays {
                    ui.label(relay);
                    ui.end_row();
                }
            });
        egui::ScrollArea::horizontal()
            .id_salt("history-timeline")
            .stick_to_right(true)
            .show(ui, |ui| {
                egui::Grid::new("history-grid")
                    .striped(true)
                    .min_row_height(ROW)
                    .spacing([10.0, 4.0])
                    .show(ui, |ui| picked = run_columns(ui, l, selected, dark));
            });
    });
    picked
}

fn run_columns(ui: &mut Ui, l: &Loaded, selected: &[i64], dark: bool) -> Option<i64> {
    let mut picked = None;
    for r in &l.runs {
        let sel = selected.contains(&r.run.id);
        let mut t = RichText::new(format!("Run {}", r.run.id));
        if sel {
            t = t.underline().strong();
        }
        if ui
            .selectable_label(sel, t)
            .on_hover_text(format!(
                "{}: {} errors, {} warnings, {} infos; click to pick it for the diff",
                history::when(r.run.time_unix),
                r.run.errors,
                r.run.warnings,
                r.run.infos
            ))
            .clicked()
        {
            picked = Some(r.run.id);
        }
    }
    ui.end_row();
    let f = time::macros::format_description!("[month]-[day] [hour]:[minute]");
    for r in &l.runs {
        let t = time::OffsetDateTime::from_unix_timestamp(r.run.time_unix)
            .ok()
            .and_then(|d| d.format(&f).ok())
            .unwrap_or_default();
        ui.label(RichText::new(t).color(palette::muted(dark)))
            .on_hover_text(history::when(r.run.time_unix));
    }
    ui.end_row();
    for r in &l.runs {
        ui.label(format!("{} E, {} W", r.run.errors, r.run.warnings));
    }
    ui.end_row();
    for relay in &l.relays {
        let mut before: Option<&RelayAt> = None;
        for r in &l.runs {
            let Some((_, at)) = r.relays.iter().find(|(k, _)| k == relay) else {
                ui.label(RichText::new("not probed").color(palette::muted(dark)));
                continue;
            };
            let mark = match before {
                Some(b) if b.spki != at.spki && at.spki != "-" => ", new key",
                Some(b) if b.cert != at.cert && at.cert != "-" => ", new cert",
                _ => "",
            };
            let colour = match at.verdict {
                Some(Verdict::Pass) => palette::ok(dark),
                Some(Verdict::Fail) => palette::error(dark),
                _ => palette::warning(dark),
            };
            let verdict = at.verdict.map_or("-", Verdict::as_str);
            let dane = at.dane.map_or("-", DaneVerdict::as_str);
            let mut t = RichText::new(format!("{verdict}{mark}")).color(colour);
            if !mark.is_empty() {
                t = t.strong();
            }
            let hover = match mark {
                ", new key" => format!("DANE {dane}; the key changed since the run before"),
                ", new cert" => {
                    format!("DANE {dane}; a new certificate with the same key since the run before")
                }
                _ => format!("DANE {dane}"),
            };
            ui.label(t).on_hover_text(hover);
            before = Some(at);
        }
        ui.end_row();
    }
    picked
}

/// What changed between the two picked runs, grouped as `secmx diff` prints it.
fn diff_ui(ui: &mut Ui, tab: &HistoryTab, dark: bool) {
    ui.heading("What changed");
    let Some(((a, b), changes, ms)) = &tab.diff else {
        ui.label(match tab.selected.len() {
            0 => "Pick two runs (click “Run N” above) to see what changed between them.",
            _ => "Pick one more run.",
        });
        return;
    };
    let when = |id: i64| {
        tab.loaded
            .as_ref()
            .and_then(|l| l.runs.iter().find(|r| r.run.id == id))
            .map(|r| history::when(r.run.time_unix))
            .unwrap_or_default()
    };
    ui.label(format!(
        "Run {a} ({}) to run {b} ({}): {} change(s), {} regression(s) [{ms:.1} ms]",
        when(*a),
        when(*b),
        changes.len(),
        changes.iter().filter(|c| c.regression).count()
    ));
    if changes.is_empty() {
        ui.label("Nothing changed.");
    }
    for (group, list) in history::grouped(changes) {
        ui.label(RichText::new(group).strong());
        for c in list {
            ui.horizontal(|ui| {
                ui.add_space(16.0);
                if c.regression {
                    ui.label(RichText::new("WORSE").color(palette::error(dark)).strong());
                }
                // The window's fonts have no arrow glyph.
                ui.add(egui::Label::new(c.words().replace('→', "->")).wrap());
            });
        }
    }
}

/// Distinct line colours of the plot (its legend is drawn below it, in the same colours).
const LINE_COLOURS: [egui::Color32; 8] = [
    egui::Color32::from_rgb(0x4e, 0x9a, 0xf1),
    egui::Color32::from_rgb(0xf1, 0x8f, 0x3b),
    egui::Color32::from_rgb(0x59, 0xc1, 0x6b),
    egui::Color32::from_rgb(0xd6, 0x5f, 0xc4),
    egui::Color32::from_rgb(0xe5, 0xd1, 0x4c),
    egui::Color32::from_rgb(0x3c, 0xc8, 0xc8),
    egui::Color32::from_rgb(0xb0, 0x8c, 0xf0),
    egui::Color32::from_rgb(0xe0, 0x6c, 0x6c),
];

/// Days to the leaf's expiry per relay address at each run; x is the run's time in days. The
/// 30-day (warning) and 7-day (error) marks of TLSA-019 are drawn as lines.
fn expiry_plot(ui: &mut Ui, l: &Loaded) {
    use egui_plot::{HLine, Line, LineStyle, Plot, PlotPoints, Points};
    let dark = ui.visuals().dark_mode;
    let series: Vec<(String, Vec<[f64; 2]>)> = l
        .relays
        .iter()
        .map(|relay| {
            let pts = l
                .runs
                .iter()
                .filter_map(|r| {
                    let (_, at) = r.relays.iter().find(|(k, _)| k == relay)?;
                    let left = at.not_after_unix? - r.run.time_unix;
                    Some([r.run.time_unix as f64 / 86_400.0, left as f64 / 86_400.0])
                })
                .collect();
            (relay.clone(), pts)
        })
        .filter(|(_, p): &(String, Vec<[f64; 2]>)| !p.is_empty())
        .collect();
    if series.is_empty() {
        ui.label("No certificates in these runs (Look up only, or no relay answered).");
        return;
    }
    let colour = |i: usize| LINE_COLOURS[i % LINE_COLOURS.len()];
    let plotted = series.clone();
    Plot::new("history-expiry")
        .height(230.0)
        .include_y(0.0)
        .x_axis_label("run (date)")
        .y_axis_label("days to expiry")
        .x_axis_formatter(|m, _| {
            let f = time::macros::format_description!("[month]-[day]");
            time::OffsetDateTime::from_unix_timestamp((m.value * 86_400.0) as i64)
                .ok()
                .and_then(|d| d.format(&f).ok())
                .unwrap_or_default()
        })
        .allow_scroll(false)
        .show(ui, move |p| {
            p.hline(
                HLine::new("30 days: warning", 30.0)
                    .color(palette::warning(dark))
                    .style(LineStyle::dashed_loose()),
            );
            p.hline(
                HLine::new("7 days: error", 7.0)
                    .color(palette::error(dark))
                    .style(LineStyle::dashed_loose()),
            );
            for (i, (name, pts)) in plotted.into_iter().enumerate() {
                p.line(Line::new(name.clone(), PlotPoints::from(pts.clone())).color(colour(i)));
                p.points(
                    Points::new(name, PlotPoints::from(pts))
                        .radius(3.0)
                        .color(colour(i)),
                );
            }
        });
    ui.horizontal_wrapped(|ui| {
        for (i, (name, _)) in series.iter().enumerate() {
            ui.label(RichText::new(name).color(colour(i)));
        }
        ui.label(
            RichText::new("dashed: 30 days (warning), 7 days (error)").color(palette::muted(dark)),
        );
    });
}

impl super::App {
    /// The History tab of the window.
    pub(super) fn history_ui(&mut self, ui: &mut Ui) {
        let mut keep = self.settings.keep_history.0;
        let switched = history_ui(
            ui,
            &mut self.history_tab,
            HistoryView {
                path: self.history_db.as_deref(),
                domain: self.design.domain.as_str(),
                keep: &mut keep,
            },
        );
        if switched {
            self.settings.keep_history.0 = keep;
            self.save_settings();
        }
    }
}
