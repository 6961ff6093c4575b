//! The window's file actions: open, save, save as, export the zone snippet and the MTA-STS
//! policy, import from DNS, the unsaved-changes guard's actions, and the recovery copy of unsaved
//! work.

use super::*;

impl App {
    // ----- files -----

    pub(super) fn open_path(&mut self, path: &Path) {
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

    pub(super) fn perform(&mut self, ctx: &egui::Context, p: Pending) {
        // New or Open (also by shortcut) answers the start page.
        self.start_page = None;
        match p {
            Pending::New => {
                self.untitled = "Untitled".into();
                self.replace(blank_design(), None);
                self.remove_recovery();
            }
            Pending::Open(path) => {
                let answer = match path {
                    Some(p) => Answer::Path(p),
                    None if self.settings.builtin_file_dialog => Answer::Unavailable,
                    None => self.dialogs.open_design(),
                };
                match answer {
                    Answer::Path(path) => {
                        self.open_path(&path);
                        self.remove_recovery();
                    }
                    Answer::Cancelled => {}
                    Answer::Unavailable => self.show_path_dialog(
                        PathDialog::new(
                            "Open a SecMX design",
                            path_dialog::Mode::Open,
                            self.dialog_dir(),
                            "",
                        ),
                        FilePurpose::OpenDesign,
                    ),
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
    pub(super) fn import_from_dns(&mut self) {
        let published = crate::resolve::Published::from_rrsets(
            &self.published.domain,
            &self.published.srv_label,
            self.published.raw.clone(),
            0,
        );
        // The domain and the lookup are kept: `replace` starts the panels afresh.
        let domain = self.published.domain.clone();
        let lookup = self.published.clone();
        match crate::resolve::import::design_from_published(&published) {
            Ok(imp) => {
                self.untitled = format!("{} (from DNS)", imp.design.domain.as_str());
                let notes = imp.notes.clone();
                // An import is one step of the history: Undo brings the previous design back.
                let before = self.draft.clone();
                let history = std::mem::take(&mut self.history);
                self.replace(imp.design, None);
                self.history = history;
                self.history.record(&before, history::EditKind::Step, 0);
                self.published = PublishedPanel {
                    design: Some(self.design.clone()),
                    ..lookup
                };
                self.dirty = true;
                let mut text = format!(
                    "Design imported from what DNS publishes for {domain}. Review it, then Save As…."
                );
                if !notes.is_empty() {
                    text.push_str(&format!(
                        " {} import note(s) are listed in the Import notes panel below.",
                        notes.len()
                    ));
                }
                self.notice(NoticeLevel::Info, text);
                self.set_import_notes(&notes);
            }
            Err(e) => self.notice(NoticeLevel::Error, format!("Cannot import {domain}: {e}")),
        }
    }

    /// Ask first when there are unsaved changes.
    pub(super) fn request(&mut self, ctx: &egui::Context, p: Pending) {
        if self.dirty {
            self.pending = Some(p);
        } else {
            self.perform(ctx, p);
        }
    }

    /// File ▸ Save. Returns whether the design is now saved (`false` also while the built-in
    /// file dialog is asking where).
    pub fn save(&mut self) -> bool {
        self.save_then(None)
    }

    /// Save, then (once saved) carry out `then` — the unsaved-changes guard's "Save".
    pub(super) fn save_then(&mut self, then: Option<Pending>) -> bool {
        match self.file.clone() {
            Some(path) => self.save_to(&path),
            None => self.save_as_then(then),
        }
    }

    /// File ▸ Save As….
    pub fn save_as(&mut self) -> bool {
        self.save_as_then(None)
    }

    fn save_as_then(&mut self, then: Option<Pending>) -> bool {
        let suggested = format!("{}.secmx.toml", self.design.domain.as_str());
        let answer = if self.settings.builtin_file_dialog {
            Answer::Unavailable
        } else {
            self.dialogs.save_design(&suggested)
        };
        match answer {
            Answer::Path(path) => self.save_to(&path),
            Answer::Cancelled => false,
            Answer::Unavailable => {
                self.show_path_dialog(
                    PathDialog::new(
                        "Save the SecMX design",
                        path_dialog::Mode::Save,
                        self.dialog_dir(),
                        &suggested,
                    ),
                    FilePurpose::SaveDesign { then },
                );
                false
            }
        }
    }

    /// The folder the built-in dialog starts in: the design's, else the most recent design's.
    pub(super) fn dialog_dir(&self) -> Option<PathBuf> {
        self.file
            .as_ref()
            .or(self.settings.recent.first())
            .and_then(|p| p.parent())
            .filter(|p| p.is_dir())
            .map(Path::to_path_buf)
    }

    pub(super) fn show_path_dialog(&mut self, d: PathDialog, purpose: FilePurpose) {
        self.path_dialog = Some((d, purpose));
    }

    /// Draw the built-in file dialog, if one is open, and carry out its purpose once answered.
    pub(super) fn path_dialog(&mut self, ctx: &egui::Context) {
        let Some((d, _)) = &mut self.path_dialog else {
            return;
        };
        let Some(outcome) = path_dialog::path_dialog_ui(ctx, d) else {
            return;
        };
        let Some((_, purpose)) = self.path_dialog.take() else {
            return;
        };
        let path_dialog::Outcome::Chosen(path) = outcome else {
            return;
        };
        match purpose {
            FilePurpose::OpenDesign => {
                self.open_path(&path);
                self.remove_recovery();
            }
            FilePurpose::SaveDesign { then } => {
                if self.save_to(&path)
                    && let Some(p) = then
                {
                    self.perform(ctx, p);
                }
            }
            FilePurpose::SaveText { what, text } => self.write_text(&what, &path, &text),
            FilePurpose::Setting(which) => self.set_setting_file(which, path),
            FilePurpose::TlsaFile => self.tlsa_from_file(&path, false),
            FilePurpose::NextTlsaFile => self.tlsa_from_file(&path, true),
        }
    }

    pub(super) fn save_to(&mut self, path: &Path) -> bool {
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
                tracing::info!("saved the design to {}", path.display());
                self.notice(NoticeLevel::Info, format!("Saved {}.", path.display()));
                true
            }
            Err(e) => {
                tracing::warn!("saving the design to {} failed: {e}", path.display());
                self.notice(
                    NoticeLevel::Error,
                    format!("Not saved to {}: {e}. The file on disk is unchanged; choose another place with Save As…", path.display()),
                );
                false
            }
        }
    }

    pub(super) fn save_text(&mut self, what: &str, suggested: String, text: String) {
        let title = format!("Save the {what}");
        let answer = if self.settings.builtin_file_dialog {
            Answer::Unavailable
        } else {
            self.dialogs.save_text(&title, &suggested)
        };
        match answer {
            Answer::Path(path) => self.write_text(what, &path, &text),
            Answer::Cancelled => {}
            Answer::Unavailable => self.show_path_dialog(
                PathDialog::new(
                    &title,
                    path_dialog::Mode::Save,
                    self.dialog_dir(),
                    &suggested,
                ),
                FilePurpose::SaveText {
                    what: what.to_string(),
                    text,
                },
            ),
        }
    }

    fn write_text(&mut self, what: &str, path: &Path, text: &str) {
        match project::write_atomic(path, text.as_bytes()) {
            Ok(()) => self.notice(
                NoticeLevel::Info,
                format!("Saved the {what} to {}.", path.display()),
            ),
            Err(e) => {
                tracing::warn!("saving the {what} to {} failed: {e}", path.display());
                self.notice(
                    NoticeLevel::Error,
                    format!("The {what} was not saved to {}: {e}.", path.display()),
                )
            }
        }
    }

    // ----- recovery -----

    pub(super) fn recovery_path(&self) -> Option<PathBuf> {
        self.config_dir.as_deref().map(settings::recovery_file)
    }

    pub(super) fn offer_recovery(&mut self) {
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

    pub(super) fn write_recovery(&mut self) {
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

    pub(super) fn remove_recovery(&mut self) {
        if let Some(path) = self.recovery_path() {
            let _ = std::fs::remove_file(path);
        }
    }
}
