//! The frame loop: [`eframe::App`] for [`App`] (drain the worker's events and autosave in `logic`,
//! lay the panels out in `ui`), what happens when the window closes, and [`run`], which opens it.

use super::*;

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
        self.import_notes_panel(ui);
        let changed = egui::Panel::left("editor")
            .resizable(true)
            .default_size(450.0)
            .min_size(340.0)
            .show(ui, |ui| {
                editor::editor_ui(
                    ui,
                    &mut self.draft,
                    &self.errors,
                    &self.fallbacks,
                    &mut self.editor,
                )
            })
            .inner;
        if changed {
            self.edited(&ctx);
        }
        if let Some(source) = self.editor.tlsa_request.take() {
            self.tlsa_request(source);
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
                for (tab, name) in [
                    (Tab::Zone, "Zone snippet"),
                    (Tab::Sts, "MTA-STS policy"),
                    (Tab::Published, "Published (DNS)"),
                    (Tab::Probe, "Probe grid"),
                    (Tab::History, "History"),
                ] {
                    // The selected tab is also underlined and bold: never colour alone.
                    let mut text = RichText::new(name);
                    if self.tab == tab {
                        text = text.underline().strong();
                    }
                    ui.selectable_value(&mut self.tab, tab, text);
                }
            });
            ui.separator();
            // Runs need a design without input errors (not one judged with last valid values).
            let can_run = !self.stale && self.errors.is_empty();
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
                    self.rollover_ui(ui);
                    live::probe_ui(ui, &mut self.grid, can_run, stale)
                }
                Tab::History => {
                    self.history_ui(ui);
                    None
                }
            };
            if let Some(i) = intent {
                self.live(i);
            }
        });
        self.settings_window(&ctx);
        self.log_window(&ctx);
        self.start_page(&ctx);
        self.guard_modal(&ctx);
        self.path_dialog(&ctx);
        self.run_actions(&ctx);
        // A save or an open in this frame changes the title now, not on the next input event.
        self.update_title(&ctx);
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
                eprintln!("secmx timing: {}", t.summary());
            }
        }
    }
}

impl super::Timing {
    /// Frames so far, with the mean and max time of `ui()` and of eframe's whole frame.
    fn summary(&self) -> String {
        let n = f64::from(self.frames.max(1));
        format!(
            "{} frames, ui() mean {:.2} ms, max {:.2} ms; whole frame (eframe cpu_usage) mean {:.2} ms, max {:.2} ms",
            self.frames,
            self.total.as_secs_f64() * 1e3 / n,
            self.max.as_secs_f64() * 1e3,
            self.cpu_total / n,
            self.cpu_max
        )
    }
}

impl Drop for App {
    fn drop(&mut self) {
        if let Some(t) = &self.timing {
            eprintln!("secmx timing: at exit: {}", t.summary());
        }
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
                (None, None) => Initial::StartPage,
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
