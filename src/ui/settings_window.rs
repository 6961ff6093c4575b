//! The Settings window: resolver, trust anchor, CA file, timeouts, concurrency, quick probes,
//! theme.

use super::*;

impl App {
    pub(super) fn settings_window(&mut self, ctx: &egui::Context) {
        let mut open = self.show_settings;
        let mut changed = false;
        let mut choose = None;
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
                        ui.label("");
                        if ui.button("Choose trust anchor file…").clicked() {
                            choose = Some(SettingFile::TrustAnchor);
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
                        ui.label("");
                        if ui.button("Choose CA file…").clicked() {
                            choose = Some(SettingFile::CaFile);
                        }
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
                        ui.label("File dialogs");
                        changed |= ui
                            .checkbox(
                                &mut self.settings.builtin_file_dialog,
                                "Use the built-in file dialog (instead of the desktop's)",
                            )
                            .changed();
                        ui.end_row();
                    });
            });
        self.show_settings = open;
        if let Some(which) = choose {
            self.choose_setting_file(which);
        }
        if changed {
            self.settings.net.resolver =
                Some(self.resolver_text.trim().to_string()).filter(|s| !s.is_empty());
            self.save_settings();
        }
    }

    /// Ask for the trust-anchor or CA file (the desktop's dialog, else the built-in one).
    pub(super) fn choose_setting_file(&mut self, which: SettingFile) {
        let title = match which {
            SettingFile::TrustAnchor => "Choose the DNSSEC trust anchor file",
            SettingFile::CaFile => "Choose the extra CA file (PEM)",
        };
        let answer = if self.settings.builtin_file_dialog {
            Answer::Unavailable
        } else {
            self.dialogs.open_file(title)
        };
        match answer {
            Answer::Path(p) => self.set_setting_file(which, p),
            Answer::Cancelled => {}
            Answer::Unavailable => {
                let current = match which {
                    SettingFile::TrustAnchor => self.settings.net.trust_anchor.clone(),
                    SettingFile::CaFile => self.settings.net.ca_file.clone(),
                };
                let dir = current
                    .as_deref()
                    .and_then(Path::parent)
                    .filter(|p| p.is_dir())
                    .map(Path::to_path_buf);
                self.show_path_dialog(
                    PathDialog::new(title, path_dialog::Mode::Open, dir, ""),
                    FilePurpose::Setting(which),
                );
            }
        }
    }

    /// A file chosen for a setting: store it and save the settings.
    pub(super) fn set_setting_file(&mut self, which: SettingFile, path: PathBuf) {
        match which {
            SettingFile::TrustAnchor => self.settings.net.trust_anchor = Some(path),
            SettingFile::CaFile => self.settings.net.ca_file = Some(path),
        }
        self.save_settings();
    }
}
