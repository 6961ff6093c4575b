//! The Settings window: resolver, trust anchor, CA file, timeouts, concurrency, quick probes,
//! theme.

use super::*;

impl App {
    pub(super) fn settings_window(&mut self, ctx: &egui::Context) {
        let mut open = self.show_settings;
        let mut changed = false;
        let mut choose = None;
        if !self.show_settings {
            return;
        }
        // The fields are checked when they change (files read then), not every frame.
        let checks = self
            .setting_checks
            .get_or_insert_with(|| {
                SettingChecks::of(
                    &self.resolver_text,
                    self.settings.net.trust_anchor.as_deref(),
                    self.settings.net.ca_file.as_deref(),
                )
            })
            .clone();
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
                        show_check(ui, checks.resolver.as_ref());
                        let resolver_ok = !matches!(checks.resolver, Some(Err(_)));
                        self.resolver_test_ui(ui, resolver_ok);
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
                        show_check(ui, checks.anchor.as_ref());
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
                        show_check(ui, checks.ca.as_ref());
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
            self.setting_checks = None;
            // A test's answer is about the settings it asked with.
            self.resolver_test = None;
            // Only a resolver that parses is used; the last valid one stays until then.
            if check_resolver(&self.resolver_text).is_ok() {
                self.settings.net.resolver =
                    Some(self.resolver_text.trim().to_string()).filter(|s| !s.is_empty());
            }
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
        self.setting_checks = None;
        self.save_settings();
    }
}

/// The settings' checks, made when they change: `Ok` = what was found, `Err` = what is wrong.
#[derive(Debug, Clone, Default)]
pub(crate) struct SettingChecks {
    resolver: Option<Result<String, FieldError>>,
    anchor: Option<Result<String, FieldError>>,
    ca: Option<Result<String, FieldError>>,
}

/// What is wrong with a setting, shown in red under its field.
#[derive(Debug, Clone, thiserror::Error)]
pub(crate) enum FieldError {
    /// An address without a port (the suggestion with port 53).
    #[error("add the port: {0}")]
    NoPort(std::net::SocketAddr),
    /// Not an address at all.
    #[error("`{0}` is not IP:PORT (e.g. 192.0.2.53:53 or [2001:db8::53]:53)")]
    NotIpPort(String),
    /// The trust-anchor file cannot be read.
    #[error("{path}: {message}")]
    Unreadable {
        /// The file.
        path: String,
        /// The error.
        message: String,
    },
    /// The trust-anchor file has no key lines.
    #[error("{0}: no DNSKEY or DS lines")]
    NoAnchorLines(String),
    /// The CA file.
    #[error(transparent)]
    Ca(#[from] crate::probe::ProbeError),
}

impl SettingChecks {
    fn of(resolver: &str, anchor: Option<&Path>, ca: Option<&Path>) -> Self {
        SettingChecks {
            resolver: (!resolver.trim().is_empty()).then(|| check_resolver(resolver)),
            anchor: anchor.map(check_anchor),
            ca: ca.map(|p| {
                crate::probe::tls::read_pem(p)
                    .map(|c| format!("{} certificate(s) read", c.len()))
                    .map_err(FieldError::from)
            }),
        }
    }
}

/// A resolver address: empty (the system's) or IP:PORT.
pub(crate) fn check_resolver(text: &str) -> Result<String, FieldError> {
    let t = text.trim();
    if t.is_empty() {
        return Ok("the system resolver".into());
    }
    if let Ok(a) = t.parse::<std::net::SocketAddr>() {
        return Ok(format!("resolver {a}"));
    }
    match t.parse::<std::net::IpAddr>() {
        Ok(ip) => Err(FieldError::NoPort(std::net::SocketAddr::new(ip, 53))),
        Err(_) => Err(FieldError::NotIpPort(t.to_string())),
    }
}

/// A trust-anchor file: readable, with DNSKEY or DS lines (the resolver checks the keys when a
/// run starts).
pub(crate) fn check_anchor(path: &Path) -> Result<String, FieldError> {
    let text = std::fs::read_to_string(path).map_err(|e| FieldError::Unreadable {
        path: path.display().to_string(),
        message: e.to_string(),
    })?;
    let (mut keys, mut ds) = (0, 0);
    for line in text.lines() {
        let line = line.split(';').next().unwrap_or("");
        let tokens: Vec<&str> = line.split_whitespace().collect();
        if tokens.iter().any(|t| t.eq_ignore_ascii_case("DNSKEY")) {
            keys += 1;
        } else if tokens.iter().any(|t| t.eq_ignore_ascii_case("DS")) {
            ds += 1;
        }
    }
    if keys + ds == 0 {
        return Err(FieldError::NoAnchorLines(path.display().to_string()));
    }
    Ok(format!("{keys} DNSKEY and {ds} DS line(s) read"))
}

/// One check under its field: the error in words and red, or what was found.
fn show_check(ui: &mut Ui, check: Option<&Result<String, FieldError>>) {
    let Some(check) = check else {
        return;
    };
    ui.label("");
    let dark = ui.visuals().dark_mode;
    match check {
        Ok(t) => ui.colored_label(palette::ok(dark), format!("OK: {t}")),
        Err(e) => ui.colored_label(palette::error(dark), format!("Error: {e}")),
    };
    ui.end_row();
}
