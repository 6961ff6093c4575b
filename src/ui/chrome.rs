//! The window's chrome: theme and title, keyboard shortcuts, the menu bar, the status bar, the
//! notices, the zone and MTA-STS previews, the unsaved-changes dialog, and focusing the field a
//! finding is about.

use super::*;

impl App {
    // ----- drawing -----

    pub(super) fn apply_theme(&mut self, ctx: &egui::Context) {
        if self.theme_applied != Some(self.settings.theme) {
            ctx.set_theme(match self.settings.theme {
                Theme::Dark => egui::Theme::Dark,
                Theme::Light => egui::Theme::Light,
            });
            self.theme_applied = Some(self.settings.theme);
        }
    }

    pub(super) fn update_title(&mut self, ctx: &egui::Context) {
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

    pub(super) fn shortcuts(&mut self, ctx: &egui::Context) {
        // Ctrl+Z/Ctrl+Shift+Z belong to a focused text field (its own undo); elsewhere they undo
        // design steps. Shift first: Ctrl+Z's pattern also matches with Shift held.
        if !ctx.egui_wants_keyboard_input() {
            let (redo, undo) = ctx.input_mut(|i| {
                let redo = i.consume_shortcut(&KeyboardShortcut::new(
                    Modifiers::COMMAND | Modifiers::SHIFT,
                    Key::Z,
                )) || i
                    .consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::Y));
                let undo = i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::Z));
                (redo, undo)
            });
            if redo {
                self.redo();
            }
            if undo {
                self.undo();
            }
        }
        let (save, open, new, f5, quit) = ctx.input_mut(|i| {
            (
                i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::S)),
                i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::O)),
                i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::N)),
                i.consume_key(Modifiers::NONE, Key::F5),
                i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::Q)),
            )
        });
        if quit {
            self.push(Action::Quit);
        }
        if save {
            self.push(Action::Save);
        }
        if open {
            self.push(Action::Open(None));
        }
        if new {
            self.push(Action::New);
        }
        if f5 {
            self.check();
        }
    }

    pub(super) fn menu_bar(&mut self, ui: &mut Ui) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                if ui
                    .add(egui::Button::new("New").shortcut_text("Ctrl+N"))
                    .clicked()
                {
                    self.push(Action::New);
                }
                if ui
                    .add(egui::Button::new("Open…").shortcut_text("Ctrl+O"))
                    .clicked()
                {
                    self.push(Action::Open(None));
                }
                ui.menu_button("Open recent", |ui| {
                    if self.settings.recent.is_empty() {
                        ui.weak("No recent designs");
                    }
                    for p in self.settings.recent.clone() {
                        if ui.button(p.display().to_string()).clicked() {
                            self.push(Action::Open(Some(p)));
                        }
                    }
                });
                ui.separator();
                if ui
                    .add(egui::Button::new("Save").shortcut_text("Ctrl+S"))
                    .clicked()
                {
                    self.push(Action::Save);
                }
                if ui.button("Save As…").clicked() {
                    self.push(Action::SaveAs);
                }
                ui.separator();
                if ui
                    .add(egui::Button::new("Quit").shortcut_text("Ctrl+Q"))
                    .clicked()
                {
                    self.push(Action::Quit);
                }
            });
            ui.menu_button("Edit", |ui| {
                let (u, r) = self.undo_redo_len();
                if ui
                    .add_enabled(u > 0, egui::Button::new("Undo").shortcut_text("Ctrl+Z"))
                    .on_hover_text(format!("{u} step(s) to undo"))
                    .clicked()
                {
                    self.undo();
                }
                if ui
                    .add_enabled(
                        r > 0,
                        egui::Button::new("Redo").shortcut_text("Ctrl+Shift+Z"),
                    )
                    .on_hover_text(format!("{r} step(s) to redo"))
                    .clicked()
                {
                    self.redo();
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
                if ui.button("Log").clicked() {
                    self.show_log = true;
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

    pub(super) fn status_bar(&mut self, ui: &mut Ui) {
        let dark = ui.visuals().dark_mode;
        ui.horizontal(|ui| {
            if self.dirty {
                ui.colored_label(palette::warning(dark), "Unsaved changes");
            } else if self.file.is_some() {
                ui.colored_label(palette::ok(dark), "Saved");
            } else {
                // Nothing is on disk yet: never say "Saved" for a design without a file.
                ui.colored_label(palette::warning(dark), "Not saved");
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

    pub(super) fn notices_ui(&mut self, ui: &mut Ui) {
        let dark = ui.visuals().dark_mode;
        let mut remove = None;
        let mut actions = Vec::new();
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
                        actions.push(Action::RestoreRecovery(path.clone()));
                    }
                    if ui.button("Discard").clicked() {
                        actions.push(Action::DiscardRecovery(path.clone()));
                    }
                }
                ui.label(&n.text);
            });
        }
        if let Some(i) = remove {
            self.notices.remove(i);
        }
        for a in actions {
            self.push(a);
        }
    }

    pub(super) fn preview_ui(&mut self, ui: &mut Ui, sts: bool) {
        let what = if sts {
            "MTA-STS policy"
        } else {
            "zone snippet"
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
            self.push(if sts {
                Action::ExportPolicy
            } else {
                Action::ExportZone
            });
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

    pub(super) fn guard_modal(&mut self, ctx: &egui::Context) {
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
                    answer = Some(GuardAnswer::Save);
                }
                if ui.button("Don't save").clicked() {
                    answer = Some(GuardAnswer::DontSave);
                }
                if ui.button("Cancel").clicked() {
                    answer = Some(GuardAnswer::Cancel);
                }
            });
        });
        if let Some(a) = answer {
            self.answer_guard(ctx, p, a);
        }
    }

    pub(super) fn focus_origin(&mut self, origin: Origin) {
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

    /// View ▸ Log: the last lines of the program's log (RUST_LOG, `-v`).
    pub(super) fn log_window(&mut self, ctx: &egui::Context) {
        let mut open = self.show_log;
        egui::Window::new("Log")
            .open(&mut open)
            .default_size([640.0, 320.0])
            .show(ctx, |ui| {
                let lines = super::log::lines();
                ui.label(format!(
                    "The last {} log lines (at most {}). More detail: start with -v or RUST_LOG=secmx=debug.",
                    lines.len(),
                    super::log::MAX_LINES
                ));
                if lines.is_empty() {
                    ui.weak("Nothing logged yet.");
                }
                egui::ScrollArea::vertical()
                    .id_salt("log_lines")
                    .stick_to_bottom(true)
                    .auto_shrink([false, false])
                    .show(ui, |ui| {
                        for l in &lines {
                            ui.label(RichText::new(l).monospace());
                        }
                    });
            });
        self.show_log = open;
    }

    /// The first start: begin from the user's domain (looked up and imported, or blank), open a
    /// design, or look at the example.
    pub(super) fn start_page(&mut self, ctx: &egui::Context) {
        let Some(mut domain) = self.start_page.take() else {
            return;
        };
        let parsed = DomainName::parse(&domain);
        let mut choice = None;
        egui::Modal::new(egui::Id::unique("start_page")).show(ctx, |ui| {
            ui.set_width(520.0);
            ui.heading("Welcome to SecMX Workbench");
            ui.label("Start from your mail domain: look up what DNS publishes for it and import it as a design, or start a blank design for it.");
            let l = ui.label("Your mail domain");
            ui.add(egui::TextEdit::singleline(&mut domain).hint_text("agency.example"))
                .labelled_by(l.id);
            if let (Err(e), false) = (&parsed, domain.trim().is_empty()) {
                ui.colored_label(palette::error(ui.visuals().dark_mode), format!("Error: {e}"));
            }
            ui.horizontal(|ui| {
                let ok = parsed.is_ok();
                if ui.add_enabled(ok, egui::Button::new("Look up and import")).clicked() {
                    choice = Some(StartChoice::LookUpAndImport);
                }
                if ui.add_enabled(ok, egui::Button::new("Start blank")).clicked() {
                    choice = Some(StartChoice::StartBlank);
                }
            });
            ui.separator();
            ui.horizontal(|ui| {
                if ui.button("Open a design…").clicked() {
                    choice = Some(StartChoice::OpenDesign);
                }
                if ui.button("Open an example").clicked() {
                    choice = Some(StartChoice::Example);
                }
            });
        });
        match (choice, parsed) {
            (Some(c @ (StartChoice::LookUpAndImport | StartChoice::StartBlank)), Ok(d)) => {
                self.untitled = format!("{} (new)", d.as_str());
                self.replace(Design::new(d), None);
                if c == StartChoice::LookUpAndImport {
                    self.tab = Tab::Published;
                    self.live(LiveIntent::Lookup);
                    if let RunState::Running(run) = self.published.run {
                        self.import_after = Some(run);
                    }
                }
            }
            (Some(StartChoice::OpenDesign), _) => self.perform(ctx, Pending::Open(None)),
            (Some(StartChoice::Example), _) => {}
            _ => self.start_page = Some(domain),
        }
    }
}
