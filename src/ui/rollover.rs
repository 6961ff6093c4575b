//! The key rollover plan of each relay that names a next key ([`crate::live::rollover`]), shown
//! above the probe grid: "now: publish X; after DATE: switch the key; after …: remove Y".

use super::palette;
use crate::live::rollover::{RelayPlan, StepAction};
use eframe::egui::{self, RichText, Ui};

/// The plans; `dated`: the dates come from a check saved in the history (else the waits are
/// relative: "after 2×TTL from publication").
pub(super) fn plan_ui(ui: &mut Ui, plans: &[RelayPlan], from_run: bool) {
    if plans.is_empty() {
        return;
    }
    let dark = ui.visuals().dark_mode;
    egui::CollapsingHeader::new(RichText::new("Key rollover plan").strong())
        .id_salt("rollover-plan")
        .default_open(true)
        .show(ui, |ui| {
            if !from_run {
                ui.label(
                    RichText::new(
                        "From the design alone: run a check (F5) to see what is published and served.",
                    )
                    .color(palette::muted(dark)),
                );
            }
            for p in plans {
                ui.label(RichText::new(format!("{} (TTL {} s)", p.owner, p.ttl)).strong());
                for s in &p.steps {
                    let colour = match s.action {
                        StepAction::Publish => palette::warning(dark),
                        StepAction::Done => palette::ok(dark),
                        StepAction::SwitchKey | StepAction::Remove => palette::info(dark),
                    };
                    ui.horizontal(|ui| {
                        ui.add_space(16.0);
                        ui.label(RichText::new(s.action.as_str()).color(colour).strong());
                        ui.label(&s.text);
                    });
                }
            }
        });
    ui.separator();
}

impl super::App {
    /// The rollover plan above the probe grid: the last check's (dated from the history when it
    /// was saved), or the design's own while no check ran or the design changed since.
    pub(super) fn rollover_ui(&mut self, ui: &mut Ui) {
        use crate::live::rollover::plans;
        let none = |_: &str, _: &str| None;
        let (list, from_run) = match &self.live_report {
            Some(r) if !self.live_stale() => (r.rollover.clone(), true),
            Some(r) => (
                plans(&self.design, r.dns.as_ref(), r.probes.as_deref(), &none),
                true,
            ),
            None => (plans(&self.design, None, None, &none), false),
        };
        plan_ui(ui, &list, from_run);
    }
}
