//! The "Published (DNS)" panel: one row per question of the live run (name, type, status,
//! DNSSEC, TTL, records) and the drift against the design, in plain words.

use super::{LiveIntent, RunState, palette, run_status};
use crate::live::LiveReport;
use crate::model::Design;
use crate::resolve::DnsEvent;
use eframe::egui;
use egui::Ui;

/// The published-DNS panel's state.
#[derive(Debug, Clone, Default)]
pub struct PublishedPanel {
    /// The run.
    pub run: RunState,
    /// The domain looked up.
    pub domain: String,
    /// One line per RRset: name, type, status, DNSSEC, TTL, records (filled by
    /// [`apply_dns_event`], then by the report).
    pub rrsets: Vec<[String; 6]>,
    /// Drift lines (designed vs published).
    pub drift: Vec<String>,
    /// The answers of the last lookup as they came (for "Import from DNS").
    pub raw: Vec<crate::resolve::RRset>,
    /// The SRV label the lookup used.
    pub srv_label: String,
    /// The design the lookup compared with (the drift is stale once the design differs).
    pub design: Option<Design>,
}

/// Apply one DNS progress event to the Published panel: a row per question as it is answered.
pub fn apply_dns_event(state: &mut PublishedPanel, event: &DnsEvent) {
    let row = match event {
        DnsEvent::QueryStarted { .. } => return,
        DnsEvent::QueryAnswered {
            name,
            rtype,
            status,
            dnssec,
            records,
            ..
        } => [
            name.clone(),
            rtype.to_string(),
            status.as_str().to_string(),
            dnssec.as_str().to_string(),
            "-".to_string(),
            format!("{records} record(s)"),
        ],
        DnsEvent::QueryFailed {
            name,
            rtype,
            status,
            detail,
            ..
        } => [
            name.clone(),
            rtype.to_string(),
            status.as_str().to_string(),
            "-".to_string(),
            "-".to_string(),
            detail.clone(),
        ],
    };
    match state
        .rrsets
        .iter_mut()
        .find(|r| r[0] == row[0] && r[1] == row[1])
    {
        Some(existing) => *existing = row,
        None => state.rrsets.push(row),
    }
}

fn records_or_dash(v: &[String]) -> String {
    if v.is_empty() {
        "(none)".to_string()
    } else {
        v.join(" | ")
    }
}

fn ttl_text(t: Option<u32>) -> String {
    t.map(|t| t.to_string()).unwrap_or_else(|| "-".into())
}

/// One drift line in plain words: designed vs published, side by side.
pub fn drift_line(d: &crate::resolve::Drift) -> String {
    let change = match d.change {
        crate::resolve::Change::Missing => "missing",
        crate::resolve::Change::Extra => "extra",
        crate::resolve::Change::Different => "different",
        crate::resolve::Change::Unknown => "unknown",
    };
    format!(
        "{change} {} {}: designed {} (TTL {}) · published {} (TTL {}){}",
        d.name,
        d.rtype,
        records_or_dash(&d.designed),
        ttl_text(d.designed_ttl.and_then(|t| u32::try_from(t).ok())),
        records_or_dash(&d.published),
        ttl_text(d.published_ttl.and_then(|t| u32::try_from(t).ok())),
        d.detail
            .as_deref()
            .map(|x| format!(" — {x}"))
            .unwrap_or_default()
    )
}

/// Apply the DNS part of a run's report: every RRset with its TTL and records, and the drift
/// against the design the run checked.
pub fn apply_report_dns(state: &mut PublishedPanel, report: &LiveReport, srv_label: &str) {
    let Some(dns) = &report.dns else {
        return;
    };
    state.rrsets = dns
        .rrsets
        .iter()
        .map(|s| {
            let records = if s.records.is_empty() {
                s.detail.clone().unwrap_or_else(|| "-".into())
            } else {
                s.records.join("  ")
            };
            [
                s.name.clone(),
                s.rtype.to_string(),
                s.status.as_str().to_string(),
                s.dnssec.as_str().to_string(),
                ttl_text(s.ttl),
                records,
            ]
        })
        .collect();
    state.raw = dns.rrsets.clone();
    state.srv_label = srv_label.to_string();
    state.domain = report.domain.clone();
    state.drift = dns.drift.iter().map(drift_line).collect();
}

/// The "Published (DNS)" panel. `stale` says the drift is against an earlier version of the design.
pub fn published_ui(
    ui: &mut Ui,
    state: &PublishedPanel,
    resolver: &str,
    can_run: bool,
    stale: bool,
) -> Option<LiveIntent> {
    let dark = ui.visuals().dark_mode;
    let mut intent = None;
    ui.horizontal(|ui| {
        let running = state.run.running();
        if ui
            .add_enabled(can_run && !running, egui::Button::new("Look up"))
            .on_hover_text("Ask DNS what the domain publishes now and judge it (F5 also probes the relays)")
            .clicked()
        {
            intent = Some(LiveIntent::Lookup);
        }
        if ui
            .add_enabled(running, egui::Button::new("Cancel lookup"))
            .clicked()
        {
            intent = Some(LiveIntent::CancelLookup);
        }
        if ui
            .add_enabled(
                !running && !state.raw.is_empty(),
                egui::Button::new("Import from DNS"),
            )
            .on_hover_text("Start a design from what this lookup found (asks first if you have unsaved changes)")
            .on_disabled_hover_text("Look up the domain first")
            .clicked()
        {
            intent = Some(LiveIntent::ImportDns);
        }
        ui.separator();
        ui.weak(format!("Resolver: {resolver}"));
    });
    ui.horizontal(|ui| run_status(ui, state.run, "lookup"));
    if stale {
        ui.colored_label(
            palette::warning(dark),
            "Stale: the design has changed since this lookup; the drift below is against the earlier version. Look up again.",
        );
    }
    ui.separator();
    if state.rrsets.is_empty() {
        ui.label(
            "Look up asks DNS what the domain publishes now (resolver and trust anchor in Settings): \
             each RRset appears with its status (ok, nxdomain, nodata, servfail, refused, timeout), \
             its DNSSEC proof, its TTL, and the drift against this design.",
        );
        return intent;
    }
    egui::ScrollArea::both().show(ui, |ui| {
        egui::Grid::new("rrsets")
            .striped(true)
            .num_columns(6)
            .show(ui, |ui| {
                for h in ["Name", "Type", "Status", "DNSSEC", "TTL", "Records"] {
                    ui.strong(h);
                }
                ui.end_row();
                for row in &state.rrsets {
                    for c in row {
                        ui.monospace(c);
                    }
                    ui.end_row();
                }
            });
        if !state.drift.is_empty() {
            ui.add_space(6.0);
            ui.strong(format!(
                "Drift: designed vs published ({})",
                state.drift.len()
            ));
            for d in &state.drift {
                ui.monospace(d);
            }
        }
    });
    intent
}
