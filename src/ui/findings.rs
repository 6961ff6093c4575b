//! The findings panel: the static rules' findings of the current design and the live findings of
//! the last run (what DNS publishes, what the probes found), grouped by severity, each marked with
//! where it comes from, with rule id, subject, message and fix; a filter by severity, by source and
//! by text; clicking a finding asks the editor to focus the field it is about (through
//! [`Finding::origin`]).

use super::editor::marked;
use super::palette;
use crate::model::Origin;
use crate::rules::{Finding, Severity, Source, Summary};
use eframe::egui;
use egui::{RichText, Ui};

/// The filter of the panel.
#[derive(Debug, Clone)]
pub struct FindingsFilter {
    /// Show errors.
    pub errors: bool,
    /// Show warnings.
    pub warnings: bool,
    /// Show infos.
    pub infos: bool,
    /// Show findings of the design's own records.
    pub design: bool,
    /// Show findings about what DNS publishes.
    pub published: bool,
    /// Show findings of the relay probes.
    pub probe: bool,
    /// Text that must occur in rule id, subject, message or fix (case-insensitive).
    pub text: String,
}

impl Default for FindingsFilter {
    fn default() -> Self {
        FindingsFilter {
            errors: true,
            warnings: true,
            infos: true,
            design: true,
            published: true,
            probe: true,
            text: String::new(),
        }
    }
}

impl FindingsFilter {
    fn shows(&self, f: &Finding, needle: &str) -> bool {
        let sev = match f.severity {
            Severity::Error => self.errors,
            Severity::Warning => self.warnings,
            Severity::Info => self.infos,
        };
        let src = match f.source {
            Source::Design => self.design,
            Source::Published => self.published,
            Source::Probe => self.probe,
        };
        sev && src
            && (needle.is_empty()
                || [
                    f.rule,
                    f.subject.as_str(),
                    f.message.as_str(),
                    f.fix.as_str(),
                ]
                .iter()
                .any(|s| s.to_lowercase().contains(needle)))
    }
}

/// Draw the panel; returns the origin of a clicked finding.
pub fn findings_ui(
    ui: &mut Ui,
    findings: &[Finding],
    summary: Summary,
    filter: &mut FindingsFilter,
    stale: bool,
    live_stale: bool,
) -> Option<Origin> {
    let dark = ui.visuals().dark_mode;
    let mut clicked = None;
    ui.horizontal(|ui| {
        ui.heading("Findings");
    });
    ui.horizontal_wrapped(|ui| {
        // A shown severity or source carries a check mark: never colour alone.
        for (on, word, n, colour) in [
            (
                &mut filter.errors,
                "Errors",
                summary.errors,
                palette::error(dark),
            ),
            (
                &mut filter.warnings,
                "Warnings",
                summary.warnings,
                palette::warning(dark),
            ),
            (
                &mut filter.infos,
                "Info",
                summary.infos,
                palette::info(dark),
            ),
        ] {
            let text = marked(*on, &format!("{word} {n}"));
            ui.toggle_value(on, RichText::new(text).color(colour));
        }
    });
    let count = |s: Source| findings.iter().filter(|f| f.source == s).count();
    ui.horizontal_wrapped(|ui| {
        ui.weak("From:");
        for (on, s) in [
            (&mut filter.design, Source::Design),
            (&mut filter.published, Source::Published),
            (&mut filter.probe, Source::Probe),
        ] {
            let hidden = if *on { "" } else { " (hidden)" };
            let text = marked(*on, &format!("{} {}{hidden}", source_word(s), count(s)));
            ui.toggle_value(on, text).on_hover_text(source_hint(s));
        }
    });
    let label = ui.label("Filter:");
    ui.add(
        egui::TextEdit::singleline(&mut filter.text)
            .hint_text("rule id, host or word")
            .desired_width(f32::INFINITY),
    )
    .labelled_by(label.id);
    if stale {
        ui.colored_label(
            palette::warning(dark),
            "The design has input errors: these findings are of the last valid version.",
        );
    }
    if live_stale {
        ui.colored_label(
            palette::warning(dark),
            "The live findings (as published, probe) are of an earlier version of the design: run the check again (F5).",
        );
    }
    ui.separator();
    let needle = filter.text.trim().to_lowercase();
    egui::ScrollArea::vertical()
        .id_salt("findings_scroll")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            if findings.is_empty() {
                ui.label(
                    RichText::new("No findings: the design passes every rule run so far.")
                        .color(palette::ok(dark)),
                );
                return;
            }
            let mut shown = 0usize;
            for (sev, title) in [
                (Severity::Error, "Errors"),
                (Severity::Warning, "Warnings"),
                (Severity::Info, "Info"),
            ] {
                let group: Vec<&Finding> = findings
                    .iter()
                    .filter(|f| f.severity == sev && filter.shows(f, &needle))
                    .collect();
                if group.is_empty() {
                    continue;
                }
                let color = palette::severity(sev, dark);
                ui.add_space(4.0);
                ui.label(
                    RichText::new(format!("{title} ({})", group.len()))
                        .strong()
                        .color(color),
                );
                for f in group {
                    shown += 1;
                    egui::Frame::group(ui.style()).show(ui, |ui| {
                        ui.set_width(ui.available_width());
                        let head = RichText::new(format!(
                            "{}  {}  [{}]",
                            f.rule,
                            f.subject,
                            source_word(f.source)
                        ))
                        .strong()
                        .color(color);
                        let r = ui
                            .add(egui::Button::new(head).frame(false).wrap())
                            .on_hover_text("Go to the field this finding is about");
                        if r.clicked() {
                            clicked = f.origin.or(Some(Origin::Domain));
                        }
                        ui.label(&f.message);
                        if !f.fix.is_empty() {
                            ui.label(RichText::new(format!("Fix: {}", f.fix)).weak());
                        }
                        // The rule in full, as `secmx explain` prints it (built only when open).
                        egui::CollapsingHeader::new(format!("About {}", f.rule))
                            .id_salt(("explain", shown, f.rule))
                            .show(ui, |ui| {
                                if let Some(r) = crate::rules::registry().find(|r| r.id == f.rule) {
                                    ui.label(crate::rules::catalogue::explanation(r));
                                }
                            });
                    });
                }
            }
            if shown == 0 {
                ui.weak("No finding matches the filter.");
            }
        });
    clicked
}

/// The word for where a finding comes from.
pub fn source_word(s: Source) -> &'static str {
    match s {
        Source::Design => "design",
        Source::Published => "as published",
        Source::Probe => "probe",
    }
}

fn source_hint(s: Source) -> &'static str {
    match s {
        Source::Design => "Findings of the design's own records (judged on every edit)",
        Source::Published => "Findings of what DNS publishes now (last Look up or check)",
        Source::Probe => "Findings of the live relay probes and the MTA-STS fetch (last check)",
    }
}
