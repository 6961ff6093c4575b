//! The desktop window (eframe/egui 0.37) — the only module that knows egui.
//!
//! [`App::logic`](eframe::App::logic) drains the worker's events and runs the autosave; `ui` draws
//! the panels from state and turns clicks into intents. The design is edited as raw strings in a
//! [`draft::DesignDraft`], parsed into a [`Design`] on every edit, linted, and rendered as the zone
//! snippet and the MTA-STS policy. Side effects sit behind seams: file dialogs ([`dialogs::Dialogs`]),
//! the worker ([`WorkerLink`]), and the config directory (`None` in tests).

pub mod dialogs;
pub mod draft;
pub mod editor;
pub mod findings;
pub mod live;
pub mod settings;

use crate::event::{Event, EventBody, RunId};
use crate::model::{Design, DomainName, Origin};
use crate::project;
use crate::rules::{self, Finding, Summary};
use crate::worker::{self, Command, WorkerLink};
use crate::zone::{self, ExportOptions};
use dialogs::Dialogs;
use draft::{DesignDraft, Field, RelayField};
use editor::EditorState;
use eframe::egui;
use egui::{Key, KeyboardShortcut, Modifiers, RichText, Ui};
use findings::FindingsFilter;
use live::{LiveIntent, ProbeGrid, Published, RunState};
use settings::{Theme, UserSettings};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The Level 2 example a new user sees at once.
pub const EXAMPLE_LEVEL2: &str = include_str!("../../assets/examples/level2.secmx.toml");

/// When [`run`] was called (≈ process start), for the first-frame time.
static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();

/// How long after an edit the recovery copy is written.
pub const AUTOSAVE_AFTER: Duration = Duration::from_secs(20);

/// Colours with meaning; always paired with a word, never colour alone.
pub mod palette {
    use crate::rules::Severity;
    use eframe::egui::Color32;

    /// Error red.
    pub fn error(dark: bool) -> Color32 {
        if dark {
            Color32::from_rgb(0xff, 0x6b, 0x6b)
        } else {
            Color32::from_rgb(0xb4, 0x1e, 0x1e)
        }
    }
    /// Warning amber.
    pub fn warning(dark: bool) -> Color32 {
        if dark {
            Color32::from_rgb(0xf5, 0xb8, 0x41)
        } else {
            Color32::from_rgb(0x9a, 0x5b, 0x00)
        }
    }
    /// Info blue.
    pub fn info(dark: bool) -> Color32 {
        if dark {
            Color32::from_rgb(0x6c, 0xb6, 0xff)
        } else {
            Color32::from_rgb(0x1b, 0x5f, 0xb0)
        }
    }
    /// Pass green.
    pub fn ok(dark: bool) -> Color32 {
        if dark {
            Color32::from_rgb(0x5f, 0xd0, 0x7a)
        } else {
            Color32::from_rgb(0x1f, 0x7a, 0x35)
        }
    }
    /// Not yet known.
    pub fn muted(dark: bool) -> Color32 {
        if dark {
            Color32::from_gray(140)
        } else {
            Color32::from_gray(110)
        }
    }
    /// The colour of a severity.
    pub fn severity(s: Severity, dark: bool) -> Color32 {
        match s {
            Severity::Error => error(dark),
            Severity::Warning => warning(dark),
            Severity::Info => info(dark),
        }
    }
}

/// Which design the window starts with.
#[derive(Debug, Clone)]
pub enum Initial {
    /// A design file.
    File(PathBuf),
    /// A design in memory, untitled (the embedded example, a generated design).
    Design(Box<Design>, String),
}

/// What the window is built from: its seams.
pub struct AppConfig {
    /// The worker link (a real worker, or a detached one in tests).
    pub link: WorkerLink,
    /// File dialogs.
    pub dialogs: Box<dyn Dialogs>,
    /// Where settings and the recovery copy live; `None` = keep nothing (tests).
    pub config_dir: Option<PathBuf>,
    /// The design to show first.
    pub initial: Initial,
}

/// The tabs of the central area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    /// Zone snippet.
    Zone,
    /// MTA-STS policy file.
    Sts,
    /// Published DNS.
    Published,
    /// Probe grid.
    Probe,
}

/// How bad a notice is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeLevel {
    /// Something done.
    Info,
    /// Needs attention.
    Warning,
    /// Something failed.
    Error,
}

/// A message in the notices area: what happened and what to do.
#[derive(Debug, Clone)]
pub struct Notice {
    /// How bad.
    pub level: NoticeLevel,
    /// The text.
    pub text: String,
    /// Offer to restore this recovery copy.
    pub recover: Option<PathBuf>,
}

/// An action that replaces the design, held while the unsaved-changes question is open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pending {
    /// File ▸ New.
    New,
    /// File ▸ Open (a recent file, or ask).
    Open(Option<PathBuf>),
    /// Published (DNS) ▸ Import from DNS: a design from what the last lookup found.
    ImportDns,
    /// Quit.
    Quit,
}

/// The application.
pub struct App {
    link: WorkerLink,
    dialogs: Box<dyn Dialogs>,
    config_dir: Option<PathBuf>,
    settings: UserSettings,
    file: Option<PathBuf>,
    untitled: String,
    dirty: bool,
    draft: DesignDraft,
    errors: Vec<(Field, String)>,
    design: Design,
    stale: bool,
    static_findings: Vec<Finding>,
    static_summary: Summary,
    live_report: Option<crate::live::LiveReport>,
    findings: Vec<Finding>,
    summary: Summary,
    zone_text: String,
    zone_lines: Vec<(usize, usize)>,
    sts_text: String,
    sts_lines: Vec<(usize, usize)>,
    relative: bool,
    editor: EditorState,
    filter: FindingsFilter,
    tab: Tab,
    published: Published,
    grid: ProbeGrid,
    next_run: u64,
    stale_events: usize,
    notices: Vec<Notice>,
    pending: Option<Pending>,
    allow_close: bool,
    autosave_due: Option<Instant>,
    autosave_after: Duration,
    title: String,
    theme_applied: Option<Theme>,
    show_settings: bool,
    resolver_text: String,
    timing: Option<Timing>,
}

/// Frame timing, printed to stderr when `SECMX_TIMING` is set (for the speed numbers).
struct Timing {
    started: Instant,
    first: bool,
    frames: u32,
    total: Duration,
    max: Duration,
    cpu_total: f64,
    cpu_max: f64,
}

/// Byte ranges of the lines of `text` (without the line ends).
fn line_spans(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let end = start + line.len();
        out.push((start, start + line.trim_end_matches(['\n', '\r']).len()));
        start = end;
    }
    out
}

fn example_design() -> (Design, String) {
    match project::parse_design(EXAMPLE_LEVEL2, "level2.secmx.toml") {
        Ok(d) => (d, "Level 2 example".into()),
        Err(_) => (blank_design(), "Untitled".into()),
    }
}

fn blank_design() -> Design {
    match DomainName::parse("example.org") {
        Ok(d) => Design::new(d),
        Err(_) => crate::model::sample::generated_design(0),
    }
}

impl App {
    /// Build the window's state. Reads the settings and the start design (small files).
    pub fn new(ctx: &egui::Context, config: AppConfig) -> Self {
        let (settings, settings_err) = match &config.config_dir {
            Some(dir) => UserSettings::load(dir),
            None => (UserSettings::default(), None),
        };
        let (design, untitled) = example_design();
        let mut app = App {
            link: config.link,
            dialogs: config.dialogs,
            config_dir: config.config_dir,
            resolver_text: settings.net.resolver.clone().unwrap_or_default(),
            settings,
            file: None,
            untitled,
            dirty: false,
            draft: DesignDraft::from_design(&design),
            errors: Vec::new(),
            design,
            stale: false,
            static_findings: Vec::new(),
            static_summary: Summary::default(),
            live_report: None,
            findings: Vec::new(),
            summary: Summary::default(),
            zone_text: String::new(),
            zone_lines: Vec::new(),
            sts_text: String::new(),
            sts_lines: Vec::new(),
            relative: false,
            editor: EditorState::default(),
            filter: FindingsFilter::default(),
            tab: Tab::Zone,
            published: Published::default(),
            grid: ProbeGrid::default(),
            next_run: 0,
            stale_events: 0,
            notices: Vec::new(),
            pending: None,
            allow_close: false,
            autosave_due: None,
            autosave_after: AUTOSAVE_AFTER,
            title: String::new(),
            theme_applied: None,
            show_settings: false,
            timing: std::env::var_os("SECMX_TIMING").map(|_| Timing {
                started: START.get().copied().unwrap_or_else(Instant::now),
                first: true,
                frames: 0,
                total: Duration::ZERO,
                max: Duration::ZERO,
                cpu_total: 0.0,
                cpu_max: 0.0,
            }),
        };
        if let Some(e) = settings_err {
            app.notice(NoticeLevel::Warning, e);
        }
        match config.initial {
            Initial::File(path) => app.open_path(&path),
            Initial::Design(d, name) => {
                app.untitled = name;
                app.replace(*d, None);
            }
        }
        app.recompute();
        app.offer_recovery();
        app.apply_theme(ctx);
        app
    }

    // ----- state the tests read -----

    /// The draft being edited.
    pub fn draft(&self) -> &DesignDraft {
        &self.draft
    }
    /// The findings shown: the static rules' findings of the design as it stands, plus the live
    /// findings (as published, probe) of the last run.
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }
    /// Counts of [`App::findings`] (what the status bar says).
    pub fn summary(&self) -> Summary {
        self.summary
    }
    /// The report of the last live run (Look up, Probe all, F5), if one ended.
    pub fn live_report(&self) -> Option<&crate::live::LiveReport> {
        self.live_report.as_ref()
    }
    /// The zone snippet shown.
    pub fn zone_text(&self) -> &str {
        &self.zone_text
    }
    /// The MTA-STS policy shown.
    pub fn sts_text(&self) -> &str {
        &self.sts_text
    }
    /// Unsaved changes?
    pub fn is_dirty(&self) -> bool {
        self.dirty
    }
    /// The design file, if any.
    pub fn file(&self) -> Option<&Path> {
        self.file.as_deref()
    }
    /// The notices shown.
    pub fn notices(&self) -> &[Notice] {
        &self.notices
    }
    /// The probe grid.
    pub fn grid(&self) -> &ProbeGrid {
        &self.grid
    }
    /// The design as it stands (the last edit that parsed).
    pub fn design(&self) -> &Design {
        &self.design
    }

    /// The published-DNS panel.
    pub fn published(&self) -> &Published {
        &self.published
    }
    /// Events dropped because their run was not current.
    pub fn stale_events(&self) -> usize {
        self.stale_events
    }
    /// The action waiting for the unsaved-changes answer.
    pub fn pending(&self) -> Option<&Pending> {
        self.pending.as_ref()
    }
    /// The window title.
    pub fn title(&self) -> &str {
        &self.title
    }
    /// How long after an edit the recovery copy is written (default [`AUTOSAVE_AFTER`]).
    pub fn set_autosave_after(&mut self, after: Duration) {
        self.autosave_after = after;
    }
    /// Select a tab.
    pub fn set_tab(&mut self, tab: Tab) {
        self.tab = tab;
    }

    // ----- model -----

    fn notice(&mut self, level: NoticeLevel, text: impl Into<String>) {
        self.notices.push(Notice {
            level,
            text: text.into(),
            recover: None,
        });
        if self.notices.len() > 6 {
            self.notices.remove(0);
        }
    }

    fn replace(&mut self, design: Design, file: Option<PathBuf>) {
        self.draft = DesignDraft::from_design(&design);
        self.design = design;
        self.file = file;
        self.dirty = false;
        self.editor = EditorState::default();
        self.published = Published::default();
        self.grid = ProbeGrid::default();
        self.autosave_due = None;
        self.recompute();
    }

    /// Re-parse the draft, re-lint, re-render the previews.
    fn recompute(&mut self) {
        let parsed = self.draft.parse();
        self.errors = parsed.errors;
        if let Some(d) = parsed.design {
            self.design = d;
            self.stale = false;
        } else {
            self.stale = true;
        }
        self.static_findings = rules::lint(&self.design);
        self.static_summary = Summary::of(&self.static_findings);
        self.merge_live_findings();
        self.zone_text = zone::export_zone(
            &self.design,
            &ExportOptions {
                relative: self.relative,
                source: Some(self.display_name()),
                summary: Some(self.static_summary),
            },
        );
        self.sts_text = if self.design.mta_sts.is_some() {
            zone::sts_policy_text(&self.design)
        } else {
            String::new()
        };
        self.zone_lines = line_spans(&self.zone_text);
        self.sts_lines = line_spans(&self.sts_text);
    }

    /// The findings shown: static ones of the current design, plus the last run's live ones
    /// (their design-source findings are the static ones again, of the design as it was).
    fn merge_live_findings(&mut self) {
        let mut all = self.static_findings.clone();
        if let Some(r) = &self.live_report {
            all.extend(
                r.findings
                    .iter()
                    .filter(|f| f.source != rules::Source::Design)
                    .cloned(),
            );
        }
        rules::sort_findings(&mut all);
        self.summary = Summary::of(&all);
        self.findings = all;
    }

    /// True when the live findings are of another version of the design than the current one.
    fn live_stale(&self) -> bool {
        self.live_report.is_some()
            && (self.grid.is_stale(&self.design)
                || self
                    .published
                    .design
                    .as_ref()
                    .is_some_and(|d| d != &self.design))
    }

    fn edited(&mut self, ctx: &egui::Context) {
        self.dirty = true;
        self.recompute();
        if self.autosave_due.is_none() && self.config_dir.is_some() {
            self.autosave_due = Some(Instant::now() + self.autosave_after);
            ctx.request_repaint_after(self.autosave_after);
        }
    }

    fn display_name(&self) -> String {
        self.file
            .as_ref()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.untitled.clone())
    }

    fn save_settings(&mut self) {
        if let Some(dir) = &self.config_dir
            && let Err(e) = self.settings.save(dir)
        {
            let msg = format!("Settings were not saved: {e}. They apply until you quit.");
            self.notice(NoticeLevel::Warning, msg);
        }
    }

    // ----- files -----

    fn open_path(&mut self, path: &Path) {
        match project::load_design(path) {
            Ok(d) => {
                self.replace(d, Some(path.to_path_buf()));
                self.settings.remember(path);
                self.save_settings();
            }
            Err(e) => {
                self.notice(
                    NoticeLevel::Error,
                    format!("Could not open {e}. The design shown is unchanged; fix the file or open another one."),
                );
            }
        }
    }

    fn perform(&mut self, ctx: &egui::Context, p: Pending) {
        match p {
            Pending::New => {
                self.untitled = "Untitled".into();
                self.replace(blank_design(), None);
                self.remove_recovery();
            }
            Pending::Open(path) => {
                let path = path.or_else(|| self.dialogs.open_design());
                if let Some(path) = path {
                    self.open_path(&path);
                    self.remove_recovery();
                }
            }
            Pending::ImportDns => self.import_from_dns(),
            Pending::Quit => {
                self.allow_close = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
        }
    }

    /// Replace the design with one built from the last lookup's answers (the same mapping as a
    /// zone import); what did not map is listed in a notice.
    fn import_from_dns(&mut self) {
        let published = crate::resolve::Published::from_rrsets(
            &self.published.domain,
            &self.published.srv_label,
            self.published.raw.clone(),
            0,
        );
        match crate::resolve::import::design_from_published(&published) {
            Ok(imp) => {
                let notes = imp.notes.len();
                self.untitled = format!("{} (from DNS)", imp.design.domain.as_str());
                self.replace(imp.design, None);
                self.dirty = true;
                self.notice(
                    NoticeLevel::Info,
                    format!(
                        "Design imported from what DNS publishes for {} ({notes} note(s): records that do not map, defaults filled in). Review it, then Save As….",
                        self.published.domain
                    ),
                );
            }
            Err(e) => self.notice(
                NoticeLevel::Error,
                format!("Cannot import {}: {e}", self.published.domain),
            ),
        }
    }

    /// Ask first when there are unsaved changes.
    fn request(&mut self, ctx: &egui::Context, p: Pending) {
        if self.dirty {
            self.pending = Some(p);
        } else {
            self.perform(ctx, p);
        }
    }

    /// File ▸ Save. Returns whether the design is now saved.
    pub fn save(&mut self) -> bool {
        match self.file.clone() {
            Some(path) => self.save_to(&path),
            None => self.save_as(),
        }
    }

    /// File ▸ Save As….
    pub fn save_as(&mut self) -> bool {
        let suggested = format!("{}.secmx.toml", self.design.domain.as_str());
        match self.dialogs.save_design(&suggested) {
            Some(path) => self.save_to(&path),
            None => false,
        }
    }

    fn save_to(&mut self, path: &Path) -> bool {
        if !self.errors.is_empty() {
            let n = self.errors.len();
            self.notice(
                NoticeLevel::Error,
                format!("Not saved: {n} field(s) have input errors (marked in red in the editor). Fix them, then save again."),
            );
            return false;
        }
        let mut design = self.design.clone();
        match project::save_design(path, &mut design, time::OffsetDateTime::now_utc()) {
            Ok(()) => {
                if let Some(sts) = &design.mta_sts {
                    self.draft.sts_id = sts.id.clone().unwrap_or_default();
                    self.draft.sts_policy_sha256 = sts.policy_sha256.clone();
                }
                self.design = design;
                self.file = Some(path.to_path_buf());
                self.dirty = false;
                self.autosave_due = None;
                self.recompute();
                self.settings.remember(path);
                self.save_settings();
                self.remove_recovery();
                self.notice(NoticeLevel::Info, format!("Saved {}.", path.display()));
                true
            }
            Err(e) => {
                self.notice(
                    NoticeLevel::Error,
                    format!("Not saved: {e}. The file on disk is unchanged; choose another place with Save As…"),
                );
                false
            }
        }
    }

    fn save_text(&mut self, what: &str, suggested: String, text: String) {
        if let Some(path) = self
            .dialogs
            .save_text(&format!("Save the {what}"), &suggested)
        {
            match project::write_atomic(&path, text.as_bytes()) {
                Ok(()) => self.notice(
                    NoticeLevel::Info,
                    format!("Saved the {what} to {}.", path.display()),
                ),
                Err(e) => self.notice(
                    NoticeLevel::Error,
                    format!("The {what} was not saved: {e}."),
                ),
            }
        }
    }

    // ----- recovery -----

    fn recovery_path(&self) -> Option<PathBuf> {
        self.config_dir.as_deref().map(settings::recovery_file)
    }

    fn offer_recovery(&mut self) {
        if let Some(path) = self.recovery_path()
            && path.exists()
        {
            self.notices.push(Notice {
                level: NoticeLevel::Warning,
                text: "SecMX Workbench did not close normally last time. A recovery copy of the unsaved design exists: restore it, or discard it.".into(),
                recover: Some(path),
            });
        }
    }

    fn write_recovery(&mut self) {
        let Some(path) = self.recovery_path() else {
            return;
        };
        let text = match project::design_to_toml(&self.design) {
            Ok(t) => t,
            Err(_) => return,
        };
        if let Some(dir) = &self.config_dir {
            let _ = std::fs::create_dir_all(dir);
        }
        if let Err(e) = project::write_atomic(&path, text.as_bytes()) {
            self.notice(
                NoticeLevel::Warning,
                format!("The recovery copy could not be written: {e}. Save your work."),
            );
        }
    }

    fn remove_recovery(&mut self) {
        if let Some(path) = self.recovery_path() {
            let _ = std::fs::remove_file(path);
        }
    }

    // ----- worker -----

    fn new_run(&mut self) -> RunId {
        self.next_run += 1;
        RunId(self.next_run)
    }

    fn send(&mut self, c: Command) {
        if !self.link.send(c) {
            self.notice(
                NoticeLevel::Error,
                "The background worker has stopped, so lookups and probes cannot run. Save your design and restart SecMX Workbench.",
            );
        }
    }

    fn live(&mut self, intent: LiveIntent) {
        match intent {
            LiveIntent::Lookup => self.start_check(false),
            LiveIntent::ProbeAll => self.start_check(true),
            LiveIntent::ImportDns => {
                if self.dirty {
                    self.pending = Some(Pending::ImportDns);
                } else {
                    self.import_from_dns();
                }
            }
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
    fn check(&mut self) {
        self.start_check(true);
    }

    /// Start the one live check of the design as it stands: DNS (Look up) or DNS and probes
    /// (Probe all, F5). Its report fills the Published panel, the probe grid and the findings.
    fn start_check(&mut self, probe: bool) {
        let run = self.new_run();
        self.published = Published {
            run: RunState::Running(run),
            domain: self.design.domain.as_str().to_string(),
            design: Some(self.design.clone()),
            ..Published::default()
        };
        if probe {
            self.grid.start(run, &self.design);
        }
        let settings = self.settings.net.clone();
        self.send(Command::Check {
            run,
            design: Box::new(self.design.clone()),
            probe,
            settings,
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
                } else {
                    self.stale_events += 1;
                }
            }
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

    // ----- drawing -----

    fn apply_theme(&mut self, ctx: &egui::Context) {
        if self.theme_applied != Some(self.settings.theme) {
            ctx.set_theme(match self.settings.theme {
                Theme::Dark => egui::Theme::Dark,
                Theme::Light => egui::Theme::Light,
            });
            self.theme_applied = Some(self.settings.theme);
        }
    }

    fn update_title(&mut self, ctx: &egui::Context) {
        let title = format!(
            "{}{} — {} — SecMX Workbench",
            if self.dirty { "● " } else { "" },
            self.display_name(),
            self.design.domain.to_unicode()
        );
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }

    fn shortcuts(&mut self, ctx: &egui::Context) {
        let (save, open, new, f5) = ctx.input_mut(|i| {
            (
                i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::S)),
                i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::O)),
                i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::N)),
                i.consume_key(Modifiers::NONE, Key::F5),
            )
        });
        if save {
            self.save();
        }
        if open {
            self.request(ctx, Pending::Open(None));
        }
        if new {
            self.request(ctx, Pending::New);
        }
        if f5 {
            self.check();
        }
    }

    fn menu_bar(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                if ui
                    .add(egui::Button::new("New").shortcut_text("Ctrl+N"))
                    .clicked()
                {
                    self.request(&ctx, Pending::New);
                }
                if ui
                    .add(egui::Button::new("Open…").shortcut_text("Ctrl+O"))
                    .clicked()
                {
                    self.request(&ctx, Pending::Open(None));
                }
                ui.menu_button("Open recent", |ui| {
                    if self.settings.recent.is_empty() {
                        ui.weak("No recent designs");
                    }
                    for p in self.settings.recent.clone() {
                        if ui.button(p.display().to_string()).clicked() {
                            self.request(&ctx, Pending::Open(Some(p)));
                        }
                    }
                });
                ui.separator();
                if ui
                    .add(egui::Button::new("Save").shortcut_text("Ctrl+S"))
                    .clicked()
                {
                    self.save();
                }
                if ui.button("Save As…").clicked() {
                    self.save_as();
                }
                ui.separator();
                if ui.button("Quit").clicked() {
                    self.request(&ctx, Pending::Quit);
                }
            });
            ui.menu_button("View", |ui| {
                let mut theme = self.settings.theme;
                ui.radio_value(&mut theme, Theme::Dark, "Dark theme");
                ui.radio_value(&mut theme, Theme::Light, "Light theme");
                if theme != self.settings.theme {
                    self.settings.theme = theme;
                    self.save_settings();
                }
                ui.separator();
                if ui.button("Settings…").clicked() {
                    self.show_settings = true;
                }
            });
            ui.menu_button("Run", |ui| {
                if ui
                    .add(egui::Button::new("Check (DNS + probes)").shortcut_text("F5"))
                    .clicked()
                {
                    self.check();
                }
                if ui.button("Look up published DNS").clicked() {
                    self.tab = Tab::Published;
                    self.live(LiveIntent::Lookup);
                }
                if ui.button("Probe all relays").clicked() {
                    self.tab = Tab::Probe;
                    self.live(LiveIntent::ProbeAll);
                }
            });
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                ui.weak(format!("{} relays", self.design.relays.len()));
                ui.separator();
                ui.label(RichText::new(self.design.domain.to_unicode()).strong());
            });
        });
    }

    fn status_bar(&mut self, ui: &mut Ui) {
        let dark = ui.visuals().dark_mode;
        ui.horizontal(|ui| {
            if self.dirty {
                ui.colored_label(palette::warning(dark), "Unsaved changes");
            } else {
                ui.colored_label(palette::ok(dark), "Saved");
            }
            ui.separator();
            ui.weak(match &self.file {
                Some(p) => p.display().to_string(),
                None => format!("{} (not saved to a file yet)", self.untitled),
            });
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let s = self.summary;
                ui.colored_label(palette::info(dark), format!("{} info", s.infos));
                ui.colored_label(palette::warning(dark), format!("{} warnings", s.warnings));
                ui.colored_label(palette::error(dark), format!("{} errors", s.errors));
                if self.stale {
                    ui.colored_label(
                        palette::error(dark),
                        format!("{} input errors", self.errors.len()),
                    );
                }
            });
        });
    }

    fn notices_ui(&mut self, ui: &mut Ui) {
        let dark = ui.visuals().dark_mode;
        let mut remove = None;
        let mut restore = None;
        for (i, n) in self.notices.iter().enumerate().rev() {
            ui.horizontal(|ui| {
                let (word, color) = match n.level {
                    NoticeLevel::Info => ("Info", palette::info(dark)),
                    NoticeLevel::Warning => ("Warning", palette::warning(dark)),
                    NoticeLevel::Error => ("Error", palette::error(dark)),
                };
                if ui
                    .small_button("Dismiss")
                    .on_hover_text("Dismiss this notice")
                    .clicked()
                {
                    remove = Some(i);
                }
                ui.label(RichText::new(word).strong().color(color));
                if let Some(path) = &n.recover {
                    if ui.button("Restore").clicked() {
                        restore = Some((i, path.clone()));
                    }
                    if ui.button("Discard").clicked() {
                        let _ = std::fs::remove_file(path);
                        remove = Some(i);
                    }
                }
                ui.label(&n.text);
            });
        }
        if let Some((i, path)) = restore {
            self.notices.remove(i);
            match project::load_design(&path) {
                Ok(d) => {
                    self.untitled = "Recovered design".into();
                    self.replace(d, None);
                    self.dirty = true;
                }
                Err(e) => self.notice(
                    NoticeLevel::Error,
                    format!("The recovery copy could not be read: {e}."),
                ),
            }
        } else if let Some(i) = remove {
            self.notices.remove(i);
        }
    }

    fn preview_ui(&mut self, ui: &mut Ui, sts: bool) {
        let (what, suggested) = if sts {
            ("MTA-STS policy", "mta-sts.txt".to_string())
        } else {
            (
                "zone snippet",
                format!("{}.zone", self.design.domain.as_str()),
            )
        };
        let empty = if sts {
            self.sts_text.is_empty()
        } else {
            self.zone_text.is_empty()
        };
        let mut copy = false;
        let mut save = false;
        ui.horizontal(|ui| {
            copy = ui.add_enabled(!empty, egui::Button::new("Copy")).clicked();
            save = ui.add_enabled(!empty, egui::Button::new("Save…")).clicked();
            if !sts {
                if ui
                    .checkbox(&mut self.relative, "Relative names ($ORIGIN)")
                    .changed()
                {
                    self.recompute();
                }
            } else {
                ui.weak(format!(
                    "Serve at https://mta-sts.{}/.well-known/mta-sts.txt",
                    self.design.domain.as_str()
                ));
            }
            if self.stale {
                ui.colored_label(
                    palette::warning(ui.visuals().dark_mode),
                    "Showing the last valid design",
                );
            }
        });
        let text = if sts { &self.sts_text } else { &self.zone_text };
        if copy {
            ui.ctx().copy_text(text.clone());
        }
        if save {
            let t = text.clone();
            self.save_text(what, suggested, t);
        }
        if copy {
            self.notice(
                NoticeLevel::Info,
                format!("Copied the {what} to the clipboard."),
            );
        }
        ui.separator();
        let text = if sts { &self.sts_text } else { &self.zone_text };
        if text.is_empty() {
            ui.label("No MTA-STS policy: enable “Publish an MTA-STS policy” in the editor to create one.");
            return;
        }
        // One label per line, laid out only for the visible rows: a 200-relay snippet has
        // thousands of lines and must not cost a frame.
        let row_h = ui.text_style_height(&egui::TextStyle::Monospace);
        let lines = if sts {
            &self.sts_lines
        } else {
            &self.zone_lines
        };
        egui::ScrollArea::both()
            .id_salt(if sts { "sts_text" } else { "zone_text" })
            .auto_shrink([false, false])
            .show_rows(ui, row_h, lines.len(), |ui, range| {
                ui.spacing_mut().item_spacing.y = 0.0;
                for &(a, b) in lines.get(range).unwrap_or(&[]) {
                    let line = text.get(a..b).unwrap_or("");
                    ui.add(
                        egui::Label::new(
                            RichText::new(if line.is_empty() { " " } else { line }).monospace(),
                        )
                        .selectable(true)
                        .wrap_mode(egui::TextWrapMode::Extend),
                    );
                }
            });
    }

    fn settings_window(&mut self, ctx: &egui::Context) {
        let mut open = self.show_settings;
        let mut changed = false;
        egui::Window::new("Settings")
            .open(&mut open)
            .resizable(false)
            .show(ctx, |ui| {
                egui::Grid::new("settings_grid")
                    .num_columns(2)
                    .spacing([10.0, 6.0])
                    .show(ui, |ui| {
                        let l = ui.label("Resolver (IP:PORT)");
                        changed |= ui
                            .add(
                                egui::TextEdit::singleline(&mut self.resolver_text)
                                    .hint_text("empty = system resolver"),
                            )
                            .labelled_by(l.id)
                            .changed();
                        ui.end_row();
                        let mut anchor = self
                            .settings
                            .net
                            .trust_anchor
                            .as_ref()
                            .map(|p| p.display().to_string())
                            .unwrap_or_default();
                        let l = ui.label("Trust anchor file");
                        if ui
                            .add(
                                egui::TextEdit::singleline(&mut anchor)
                                    .hint_text("empty = root anchors"),
                            )
                            .labelled_by(l.id)
                            .changed()
                        {
                            self.settings.net.trust_anchor = Some(PathBuf::from(anchor.trim()))
                                .filter(|p| !p.as_os_str().is_empty());
                            changed = true;
                        }
                        ui.end_row();
                        let mut ca = self
                            .settings
                            .net
                            .ca_file
                            .as_ref()
                            .map(|p| p.display().to_string())
                            .unwrap_or_default();
                        let l = ui.label("Extra CA file (PEM)");
                        if ui
                            .add(egui::TextEdit::singleline(&mut ca).hint_text("none"))
                            .labelled_by(l.id)
                            .changed()
                        {
                            self.settings.net.ca_file = Some(PathBuf::from(ca.trim()))
                                .filter(|p| !p.as_os_str().is_empty());
                            changed = true;
                        }
                        ui.end_row();
                        ui.label("System CAs");
                        changed |= ui
                            .checkbox(
                                &mut self.settings.net.system_roots,
                                "Trust the system's CA store",
                            )
                            .changed();
                        ui.end_row();
                        let l = ui.label("Timeout (seconds)");
                        changed |= ui
                            .add(
                                egui::DragValue::new(&mut self.settings.net.timeout_secs)
                                    .range(1..=120),
                            )
                            .labelled_by(l.id)
                            .changed();
                        ui.end_row();
                        let l = ui.label("Concurrent probes");
                        changed |= ui
                            .add(
                                egui::DragValue::new(&mut self.settings.net.concurrency)
                                    .range(1..=64),
                            )
                            .labelled_by(l.id)
                            .changed();
                        ui.end_row();
                        ui.label("Probe depth");
                        changed |= ui
                            .checkbox(
                                &mut self.settings.net.quick,
                                "Quick probes (skip the SNI/key-type variants and the weak-cipher and old-TLS tests)",
                            )
                            .changed();
                        ui.end_row();
                    });
            });
        self.show_settings = open;
        if changed {
            self.settings.net.resolver =
                Some(self.resolver_text.trim().to_string()).filter(|s| !s.is_empty());
            self.save_settings();
        }
    }

    fn guard_modal(&mut self, ctx: &egui::Context) {
        let Some(p) = self.pending.clone() else {
            return;
        };
        let what = match p {
            Pending::New => "starting a new design",
            Pending::Open(_) => "opening another design",
            Pending::ImportDns => "importing a design from DNS",
            Pending::Quit => "quitting",
        };
        let mut answer = None;
        egui::Modal::new(egui::Id::unique("unsaved_guard")).show(ctx, |ui| {
            ui.set_width(420.0);
            ui.heading("Unsaved changes");
            ui.label(format!(
                "{} has changes that are not saved. Save them before {what}?",
                self.display_name()
            ));
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if ui.button("Save").clicked() {
                    answer = Some(0);
                }
                if ui.button("Don't save").clicked() {
                    answer = Some(1);
                }
                if ui.button("Cancel").clicked() {
                    answer = Some(2);
                }
            });
        });
        match answer {
            Some(0) => {
                self.pending = None;
                if self.save() {
                    self.perform(ctx, p);
                }
            }
            Some(1) => {
                self.pending = None;
                self.dirty = false;
                self.remove_recovery();
                self.perform(ctx, p);
            }
            Some(_) => self.pending = None,
            None => {}
        }
    }

    fn focus_origin(&mut self, origin: Origin) {
        self.editor.focus = Some(match origin {
            Origin::Relay(i) => Field::Relay(i, RelayField::Host),
            Origin::Domain | Origin::External => Field::Domain,
            Origin::MtaSts => {
                self.draft.sts_enabled = true;
                Field::StsMaxAge
            }
            Origin::TlsRpt => {
                self.draft.rpt_enabled = true;
                Field::Rua
            }
            Origin::Sge => Field::Spf,
        });
    }
}

impl eframe::App for App {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        while let Some(event) = self.link.try_recv() {
            self.apply_event(event);
        }
        if let Some(due) = self.autosave_due
            && Instant::now() >= due
        {
            self.autosave_due = None;
            if self.dirty {
                self.write_recovery();
            }
        }
        self.apply_theme(ctx);
        self.update_title(ctx);
        if ctx.input(|i| i.viewport().close_requested()) && self.dirty && !self.allow_close {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.pending = Some(Pending::Quit);
        }
    }

    fn ui(&mut self, ui: &mut Ui, frame: &mut eframe::Frame) {
        let t0 = Instant::now();
        let ctx = ui.ctx().clone();
        self.shortcuts(&ctx);
        egui::Panel::top("menu").show(ui, |ui| self.menu_bar(ui));
        egui::Panel::bottom("status").show(ui, |ui| self.status_bar(ui));
        if !self.notices.is_empty() {
            egui::Panel::bottom("notices").show(ui, |ui| self.notices_ui(ui));
        }
        let changed = egui::Panel::left("editor")
            .resizable(true)
            .default_size(450.0)
            .min_size(340.0)
            .show(ui, |ui| {
                editor::editor_ui(ui, &mut self.draft, &self.errors, &mut self.editor)
            })
            .inner;
        if changed {
            self.edited(&ctx);
        }
        let live_stale = self.live_stale();
        let clicked = egui::Panel::right("findings")
            .resizable(true)
            .default_size(310.0)
            .min_size(240.0)
            .show(ui, |ui| {
                findings::findings_ui(
                    ui,
                    &self.findings,
                    self.summary,
                    &mut self.filter,
                    self.stale,
                    live_stale,
                )
            })
            .inner;
        if let Some(origin) = clicked {
            self.focus_origin(origin);
        }
        egui::CentralPanel::default().show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.selectable_value(&mut self.tab, Tab::Zone, "Zone snippet");
                ui.selectable_value(&mut self.tab, Tab::Sts, "MTA-STS policy");
                ui.selectable_value(&mut self.tab, Tab::Published, "Published (DNS)");
                ui.selectable_value(&mut self.tab, Tab::Probe, "Probe grid");
            });
            ui.separator();
            let can_run = !self.stale;
            let intent = match self.tab {
                Tab::Zone => {
                    self.preview_ui(ui, false);
                    None
                }
                Tab::Sts => {
                    self.preview_ui(ui, true);
                    None
                }
                Tab::Published => {
                    let resolver = self
                        .settings
                        .net
                        .resolver
                        .clone()
                        .unwrap_or_else(|| "system".into());
                    let stale = self
                        .published
                        .design
                        .as_ref()
                        .is_some_and(|d| d != &self.design);
                    live::published_ui(ui, &self.published, &resolver, can_run, stale)
                }
                Tab::Probe => {
                    let stale = self.grid.is_stale(&self.design);
                    live::probe_ui(ui, &mut self.grid, can_run, stale)
                }
            };
            if let Some(i) = intent {
                self.live(i);
            }
        });
        self.settings_window(&ctx);
        self.guard_modal(&ctx);
        if let Some(t) = &mut self.timing {
            let dt = t0.elapsed();
            if t.first {
                t.first = false;
                eprintln!(
                    "secmx timing: first frame drawn {:.1} ms after start ({} relays)",
                    t.started.elapsed().as_secs_f64() * 1e3,
                    self.design.relays.len()
                );
            }
            t.frames += 1;
            t.total += dt;
            t.max = t.max.max(dt);
            // eframe's measure of the previous frame: ui, tessellation and painting on the CPU.
            let cpu = f64::from(frame.info().cpu_usage.unwrap_or(0.0)) * 1e3;
            t.cpu_total += cpu;
            t.cpu_max = t.cpu_max.max(cpu);
            if t.frames % 60 == 0 {
                eprintln!(
                    "secmx timing: {} frames, ui() mean {:.2} ms, max {:.2} ms; whole frame (eframe cpu_usage) mean {:.2} ms, max {:.2} ms",
                    t.frames,
                    t.total.as_secs_f64() * 1e3 / f64::from(t.frames),
                    t.max.as_secs_f64() * 1e3,
                    t.cpu_total / f64::from(t.frames),
                    t.cpu_max
                );
            }
        }
    }
}

impl Drop for App {
    fn drop(&mut self) {
        // Stop the worker's runs; main then shuts the runtime down with a timeout.
        let _ = self.link.send(Command::Shutdown);
        if let Some(f) = self.file.clone() {
            self.settings.last_file = Some(f);
        }
        if self.config_dir.is_some() {
            self.save_settings();
            // Keep a copy that is still on offer (restore/discard not answered) or unsaved work.
            if !self.dirty && !self.notices.iter().any(|n| n.recover.is_some()) {
                self.remove_recovery();
            }
        }
    }
}

/// Open the window. `file` = the design to open; without one, the last design or the Level 2
/// example. Runs on the main thread until the window closes.
pub fn run(runtime: &tokio::runtime::Handle, file: Option<PathBuf>) -> anyhow::Result<()> {
    let process_start = *START.get_or_init(Instant::now);
    let config_dir = settings::config_dir();
    let initial = match file {
        Some(f) => Initial::File(f),
        None => {
            let last = config_dir
                .as_deref()
                .map(|d| UserSettings::load(d).0)
                .and_then(|s| s.last_file)
                .filter(|p| p.exists());
            match (
                std::env::var("SECMX_SAMPLE_RELAYS")
                    .ok()
                    .and_then(|n| n.parse::<usize>().ok()),
                last,
            ) {
                // A measurement aid: a generated design of N relays (the speed numbers use 200).
                (Some(n), _) => Initial::Design(
                    Box::new(crate::model::sample::generated_design(n)),
                    format!("Generated design ({n} relays)"),
                ),
                (None, Some(p)) => Initial::File(p),
                (None, None) => {
                    let (d, name) = example_design();
                    Initial::Design(Box::new(d), name)
                }
            }
        }
    };
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("SecMX Workbench")
            .with_app_id("secmx-workbench")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([960.0, 600.0]),
        ..Default::default()
    };
    let handle = runtime.clone();
    eframe::run_native(
        "SecMX Workbench",
        options,
        Box::new(move |cc| {
            let ctx = cc.egui_ctx.clone();
            let link = worker::spawn(&handle, Arc::new(move || ctx.request_repaint()));
            let app = App::new(
                &cc.egui_ctx,
                AppConfig {
                    link,
                    dialogs: Box::new(dialogs::NativeDialogs),
                    config_dir,
                    initial,
                },
            );
            if std::env::var_os("SECMX_TIMING").is_some() {
                eprintln!(
                    "secmx timing: app built {:.1} ms after start",
                    process_start.elapsed().as_secs_f64() * 1e3
                );
            }
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| anyhow::anyhow!("{e}"))
}
