//! The Settings window: resolver, trust anchor, CA file, timeouts, concurrency, quick probes,
//! theme.

use super::*;

impl App {
    pub(super) fn settings_window(&mut self, ctx: &egui::Context) {
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
}
