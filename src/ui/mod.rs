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
pub mod history;
pub mod history_tab;
pub mod live;
pub mod log;
pub mod settings;

pub use frame::run;
pub use import_notes::{ImportNote, NoteTarget};
pub use resolver_test::answer_text as resolver_test_text;

pub mod actions;
mod chrome;
mod files;
mod frame;
mod import_notes;
pub mod path_dialog;
mod resolver_test;
mod rollover;
mod runs;
mod settings_window;
mod tlsa_buttons;

use crate::event::{Event, EventBody, RunId};
use crate::model::{Design, DomainName, Origin};
use crate::project;
use crate::rules::{self, Finding, Summary};
use crate::worker::{self, Command, WorkerLink};
use crate::zone::{self, ExportOptions};
use actions::{Action, GuardAnswer, StartChoice};
use dialogs::{Answer, Dialogs};
use draft::{DesignDraft, Field, RelayField};
use editor::EditorState;
use eframe::egui;
use egui::{Key, KeyboardShortcut, Modifiers, RichText, Ui};
use findings::FindingsFilter;
use history::UndoHistory;
use live::{LiveIntent, ProbeGrid, PublishedPanel, RunState};
use path_dialog::PathDialog;
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
    /// The first start (no last design): the start page over the Level 2 example.
    StartPage,
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
    /// The saved checks of the domain.
    History,
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

/// What the built-in file dialog's answer is for.
#[derive(Debug, Clone)]
pub(crate) enum FilePurpose {
    /// File ▸ Open.
    OpenDesign,
    /// Save (As) the design, then carry out the guarded action, if any.
    SaveDesign {
        /// The action the unsaved-changes guard held.
        then: Option<Pending>,
    },
    /// Save an exported text.
    SaveText {
        /// What it is ("zone snippet").
        what: String,
        /// The text.
        text: String,
    },
    /// A file chosen in the Settings window.
    Setting(SettingFile),
    /// A certificate, key or CSR file for the selected relay's TLSA records.
    TlsaFile,
    /// A PEM file for the selected relay's next key (a rollover).
    NextTlsaFile,
}

/// The files the Settings window chooses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SettingFile {
    /// The DNSSEC trust anchor.
    TrustAnchor,
    /// The extra CA file.
    CaFile,
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
    /// Invalid fields judged with their last valid text (shown beside them).
    fallbacks: Vec<(Field, String)>,
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
    published: PublishedPanel,
    grid: ProbeGrid,
    next_run: u64,
    stale_events: usize,
    notices: Vec<Notice>,
    pending: Option<Pending>,
    /// Actions pushed by menus, buttons and shortcuts, carried out at the end of the frame.
    actions: Vec<Action>,
    allow_close: bool,
    autosave_due: Option<Instant>,
    autosave_after: Duration,
    title: String,
    theme_applied: Option<Theme>,
    show_settings: bool,
    show_log: bool,
    /// The start page is shown, with the domain typed into it.
    start_page: Option<String>,
    /// Import the design from DNS when this lookup run ends (the start page's "Look up").
    import_after: Option<RunId>,
    setting_checks: Option<settings_window::SettingChecks>,
    resolver_text: String,
    /// Settings ▸ Test resolver: asked, or its answer.
    resolver_test: Option<resolver_test::ResolverTest>,
    /// The notes of the last import, shown until dismissed.
    import_notes: Vec<ImportNote>,
    path_dialog: Option<(PathDialog, FilePurpose)>,
    history: UndoHistory,
    /// The History tab (saved checks), and the history database (`None`: keep none).
    history_tab: history_tab::HistoryTab,
    history_db: Option<PathBuf>,
    /// The draft as last recorded in the history (what an edit is compared with).
    baseline: DesignDraft,
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
        let draft0 = DesignDraft::from_design(&design);
        let mut app = App {
            link: config.link,
            dialogs: config.dialogs,
            config_dir: config.config_dir,
            resolver_text: settings.net.resolver.clone().unwrap_or_default(),
            settings,
            file: None,
            untitled,
            dirty: false,
            draft: draft0.clone(),
            errors: Vec::new(),
            fallbacks: Vec::new(),
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
            published: PublishedPanel::default(),
            grid: ProbeGrid::default(),
            next_run: 0,
            stale_events: 0,
            notices: Vec::new(),
            pending: None,
            actions: Vec::new(),
            allow_close: false,
            autosave_due: None,
            autosave_after: AUTOSAVE_AFTER,
            title: String::new(),
            theme_applied: None,
            show_settings: false,
            show_log: false,
            start_page: None,
            import_after: None,
            setting_checks: None,
            resolver_test: None,
            import_notes: Vec::new(),
            path_dialog: None,
            history: UndoHistory::default(),
            history_tab: history_tab::HistoryTab::default(),
            history_db: None,
            baseline: draft0,
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
        if app.config_dir.is_some() {
            app.history_db = crate::history::default_path().ok();
        }
        match config.initial {
            Initial::File(path) => app.open_path(&path),
            Initial::Design(d, name) => {
                app.untitled = name;
                app.replace(*d, None);
            }
            Initial::StartPage => app.start_page = Some(String::new()),
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
    pub fn published(&self) -> &PublishedPanel {
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
    /// The built-in file dialog, when one is open.
    pub fn path_dialog_open(&self) -> Option<&PathDialog> {
        self.path_dialog.as_ref().map(|(d, _)| d)
    }
    /// Steps that Undo can take back, and Redo can do again.
    pub fn undo_redo_len(&self) -> (usize, usize) {
        (self.history.undo_len(), self.history.redo_len())
    }

    /// Edit ▸ Undo: the design as it was before the last step.
    pub fn undo(&mut self) {
        if let Some(d) = self.history.undo(&self.draft) {
            self.restore_draft(d);
        }
    }

    /// Edit ▸ Redo: the step last undone.
    pub fn redo(&mut self) {
        if let Some(d) = self.history.redo(&self.draft) {
            self.restore_draft(d);
        }
    }

    fn restore_draft(&mut self, d: DesignDraft) {
        self.draft = d;
        self.baseline = self.draft.clone();
        if self.editor.selected >= self.draft.relays.len() {
            self.editor.selected = self.draft.relays.len().saturating_sub(1);
        }
        self.dirty = true;
        self.recompute();
    }

    /// The history database the window saves its checks in and the History tab reads (default:
    /// `$XDG_DATA_HOME/secmx/history.sqlite` with a config directory, none without one).
    pub fn set_history_path(&mut self, path: Option<PathBuf>) {
        self.history_db = path;
        self.history_tab.invalidate();
    }

    /// The History tab's state.
    pub fn history_tab(&self) -> &history_tab::HistoryTab {
        &self.history_tab
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
        self.baseline = self.draft.clone();
        self.history.clear();
        self.design = design;
        self.file = file;
        self.dirty = false;
        self.editor = EditorState::default();
        self.published = PublishedPanel::default();
        self.grid = ProbeGrid::default();
        self.autosave_due = None;
        self.import_notes.clear();
        self.recompute();
    }

    /// Re-parse the draft, re-lint, re-render the previews.
    fn recompute(&mut self) {
        let parsed = self.draft.parse();
        self.errors = parsed.errors;
        self.fallbacks.clear();
        if let Some(d) = parsed.design {
            self.design = d;
            self.stale = false;
        } else {
            // Judge the valid rest of the draft now, with the invalid fields' last valid values.
            let fields: Vec<Field> = self.errors.iter().map(|(f, _)| *f).collect();
            let last = DesignDraft::from_design(&self.design);
            match self
                .draft
                .with_fields_from(&last, &fields)
                .and_then(|(merged, used)| merged.parse().design.map(|d| (d, used)))
            {
                Some((d, used)) => {
                    self.design = d;
                    self.fallbacks = used;
                    self.stale = false;
                }
                None => self.stale = true,
            }
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
        let kind = history::edit_kind(&self.baseline, &self.draft);
        let place = ctx.memory(|m| m.focused()).map_or(0, |id| id.value());
        self.history.record(&self.baseline, kind, place);
        self.baseline = self.draft.clone();
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
}
