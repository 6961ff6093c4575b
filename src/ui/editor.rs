//! The design editor: domain settings, the relay table (add / remove / duplicate / reorder) with a
//! detail form for the selected relay, MTA-STS, TLS-RPT and the SGE texts. Every input has a label
//! (its accessible name) and shows its parse error next to it.

use super::draft::{DesignDraft, Field, RelayDraft, RelayField};
use super::palette;
use crate::model::{Level, Profile, Role, StsMode};
use eframe::egui;
use egui::{Align, RichText, Ui};

/// Editor state that is not part of the design.
#[derive(Debug, Clone, Default)]
pub struct EditorState {
    /// The selected relay (the detail form edits it).
    pub selected: usize,
    /// A field to focus on the next frame (a clicked finding).
    pub focus: Option<Field>,
    /// Scroll the relay table to the selected row on the next frame.
    pub scroll_to_selected: bool,
    /// A TLSA button of the selected relay was clicked (the window computes the records).
    pub tlsa_request: Option<TlsaSource>,
}

/// Where the relay editor's TLSA buttons take the records from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsaSource {
    /// A certificate (chain), key or CSR file (PEM).
    File,
    /// The chain the relay served at the last check.
    LiveRelay,
    /// A certificate, key or CSR file of the key the relay will switch to (a rollover).
    NextFile,
}

struct Ctx<'a> {
    errors: &'a [(Field, String)],
    fallbacks: &'a [(Field, String)],
    focus: &'a mut Option<Field>,
    tlsa_request: &'a mut Option<TlsaSource>,
    changed: bool,
}

impl Ctx<'_> {
    fn focus_if(&mut self, field: Field, r: &egui::Response) {
        if *self.focus == Some(field) {
            r.request_focus();
            r.scroll_to_me(Some(Align::Center));
            *self.focus = None;
        }
    }

    /// A labelled single-line field in a two-column grid, with its error below the input.
    fn text(&mut self, ui: &mut Ui, label: &str, value: &mut String, field: Field, hint: &str) {
        let edit = egui::TextEdit::singleline(value).hint_text(hint);
        self.edit_row(ui, label, field, edit);
    }

    fn multiline(
        &mut self,
        ui: &mut Ui,
        label: &str,
        value: &mut String,
        field: Field,
        hint: &str,
    ) {
        let edit = egui::TextEdit::multiline(value)
            .hint_text(hint)
            .font(egui::TextStyle::Monospace)
            .desired_rows(2);
        self.edit_row(ui, label, field, edit);
    }

    /// One labelled input row: the edit, focus on request, and the field's error under it.
    fn edit_row(&mut self, ui: &mut Ui, label: &str, field: Field, edit: egui::TextEdit<'_>) {
        let l = ui.label(label);
        ui.vertical(|ui| {
            let r = ui.add(edit.desired_width(f32::INFINITY)).labelled_by(l.id);
            self.changed |= r.changed();
            self.focus_if(field, &r);
            // Every problem of the field, one line each.
            for (_, e) in self.errors.iter().filter(|(f, _)| *f == field) {
                ui.colored_label(
                    palette::error(ui.visuals().dark_mode),
                    format!("Error: {e}"),
                );
            }
            if let Some((_, last)) = self.fallbacks.iter().find(|(f, _)| *f == field) {
                let shown = if last.chars().count() > 60 {
                    format!("{}…", last.chars().take(60).collect::<String>())
                } else {
                    last.clone()
                };
                ui.weak(format!(
                    "Findings and previews judge the last valid version of this field: “{shown}”"
                ));
            }
        });
        ui.end_row();
    }

    fn choice<T: PartialEq + Copy>(
        &mut self,
        ui: &mut Ui,
        label: &str,
        value: &mut T,
        options: &[(T, &str)],
    ) {
        ui.label(label);
        ui.horizontal(|ui| {
            for (v, name) in options {
                // The chosen option also carries a check mark: never colour alone.
                let text = marked(*value == *v, name);
                if ui.selectable_value(value, *v, text).changed() {
                    self.changed = true;
                }
            }
        });
        ui.end_row();
    }

    fn check(&mut self, ui: &mut Ui, value: &mut bool, text: &str, tip: &str) {
        self.changed |= ui.checkbox(value, text).on_hover_text(tip).changed();
    }
}

/// The text of a segment, choice or filter button: a check mark (√, a glyph the default font
/// has; it has no ✔) before it when it is selected,
/// so the choice shows in shape and text, not only in the button's colour.
pub fn marked(selected: bool, name: &str) -> String {
    if selected {
        format!("√ {name}")
    } else {
        name.to_string()
    }
}

fn section(ui: &mut Ui, title: &str) {
    ui.add_space(8.0);
    ui.label(RichText::new(title).heading().strong());
    ui.separator();
}

/// Draw the editor; returns whether the draft changed.
pub fn editor_ui(
    ui: &mut Ui,
    draft: &mut DesignDraft,
    errors: &[(Field, String)],
    fallbacks: &[(Field, String)],
    state: &mut EditorState,
) -> bool {
    let mut c = Ctx {
        errors,
        fallbacks,
        focus: &mut state.focus,
        tlsa_request: &mut state.tlsa_request,
        changed: false,
    };
    egui::ScrollArea::vertical()
        .id_salt("editor_scroll")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            section(ui, "Domain");
            egui::Grid::new("domain_grid")
                .num_columns(2)
                .spacing([10.0, 6.0])
                .show(ui, |ui| {
                    c.text(
                        ui,
                        "Mail domain",
                        &mut draft.domain,
                        Field::Domain,
                        "agency.example",
                    );
                    c.choice(
                        ui,
                        "Level",
                        &mut draft.level,
                        &[
                            (Level::L1, "Level 1 (MX only)"),
                            (Level::L2, "Level 2 (+ SRV)"),
                        ],
                    );
                    c.choice(
                        ui,
                        "Profile",
                        &mut draft.profile,
                        &[(Profile::Secmx, "SecMX"), (Profile::Sge, "SGE (NZ)")],
                    );
                    c.text(
                        ui,
                        "SRV label",
                        &mut draft.srv_label,
                        Field::SrvLabel,
                        "_secmx",
                    );
                    c.text(ui, "TTL (seconds)", &mut draft.ttl, Field::Ttl, "3600");
                    ui.label("Options");
                    ui.horizontal_wrapped(|ui| {
                        c.check(
                            ui,
                            &mut draft.test_domain,
                            "Test domain",
                            "Documentation addresses and special-use names are allowed",
                        );
                        c.check(
                            ui,
                            &mut draft.null_mx,
                            "Null MX",
                            "The domain receives no mail (MX 0 .)",
                        );
                        c.check(
                            ui,
                            &mut draft.secure_only,
                            "Secure only",
                            "Level 2 without any Best Effort Receiver",
                        );
                    });
                    ui.end_row();
                });

            section(ui, &format!("Relays ({})", draft.relays.len()));
            relays_ui(
                ui,
                draft,
                state_sel(&mut state.selected, &mut state.scroll_to_selected),
                &mut c,
            );

            section(ui, "MTA-STS");
            c.check(
                ui,
                &mut draft.sts_enabled,
                "Publish an MTA-STS policy",
                "RFC 8461: _mta-sts TXT and the policy file",
            );
            if draft.sts_enabled {
                egui::Grid::new("sts_grid")
                    .num_columns(2)
                    .spacing([10.0, 6.0])
                    .show(ui, |ui| {
                        let before = draft.sts_mode;
                        c.choice(
                            ui,
                            "Mode",
                            &mut draft.sts_mode,
                            &[
                                (StsMode::Enforce, "enforce"),
                                (StsMode::Testing, "testing"),
                                (StsMode::None, "none"),
                            ],
                        );
                        if *c.focus == Some(Field::StsMode) {
                            *c.focus = Some(Field::StsMaxAge);
                        }
                        let _ = before;
                        c.text(
                            ui,
                            "max_age (seconds)",
                            &mut draft.sts_max_age,
                            Field::StsMaxAge,
                            "604800",
                        );
                        let l = ui.label("Policy id");
                        let r = ui
                            .add(
                                egui::TextEdit::singleline(&mut draft.sts_id)
                                    .hint_text("derived from the policy text")
                                    .desired_width(f32::INFINITY),
                            )
                            .labelled_by(l.id);
                        c.changed |= r.changed();
                        ui.end_row();
                        c.text(
                            ui,
                            "mx patterns",
                            &mut draft.sts_mx,
                            Field::StsMx,
                            "empty = the MX hosts",
                        );
                    });
            }

            section(ui, "TLS-RPT");
            c.check(
                ui,
                &mut draft.rpt_enabled,
                "Publish TLS-RPT",
                "RFC 8460: where senders report TLS failures",
            );
            if draft.rpt_enabled {
                egui::Grid::new("rpt_grid")
                    .num_columns(2)
                    .spacing([10.0, 6.0])
                    .show(ui, |ui| {
                        c.text(
                            ui,
                            "Report to (rua)",
                            &mut draft.rpt_rua,
                            Field::Rua,
                            "mailto:tlsrpt@agency.example",
                        );
                    });
            }

            if draft.profile == Profile::Sge {
                section(ui, "SGE texts and DKIM selectors");
                egui::Grid::new("sge_grid")
                    .num_columns(2)
                    .spacing([10.0, 6.0])
                    .show(ui, |ui| {
                        c.text(ui, "SPF", &mut draft.sge_spf, Field::Spf, "v=spf1 mx -all");
                        c.text(
                            ui,
                            "DMARC",
                            &mut draft.sge_dmarc,
                            Field::Dmarc,
                            "v=DMARC1; p=reject; rua=mailto:…",
                        );
                        c.multiline(
                            ui,
                            "DKIM selectors",
                            &mut draft.sge_dkim_selectors,
                            Field::DkimSelectors,
                            "s1, s2 (one per line or comma separated)",
                        );
                    });
            }
            ui.add_space(12.0);
        });
    c.changed
}

struct Sel<'a> {
    selected: &'a mut usize,
    scroll: &'a mut bool,
}

fn state_sel<'a>(selected: &'a mut usize, scroll: &'a mut bool) -> Sel<'a> {
    Sel { selected, scroll }
}

fn relays_ui(ui: &mut Ui, draft: &mut DesignDraft, sel: Sel<'_>, c: &mut Ctx<'_>) {
    let dark = ui.visuals().dark_mode;
    let n = draft.relays.len();
    if n > 0 && *sel.selected >= n {
        *sel.selected = n - 1;
    }
    ui.horizontal_wrapped(|ui| {
        if ui
            .button("Add BER")
            .on_hover_text("Add a Best Effort Receiver (listed in MX)")
            .clicked()
        {
            let host = format!("mx{}.{}", n + 1, draft.domain.trim());
            draft.relays.push(RelayDraft::new(&host, Role::Ber));
            *sel.selected = draft.relays.len() - 1;
            *sel.scroll = true;
            c.changed = true;
            *c.focus = Some(Field::Relay(*sel.selected, RelayField::Host));
        }
        if ui
            .button("Add SOR")
            .on_hover_text("Add a Secure Only Receiver (published by SRV)")
            .clicked()
        {
            let host = format!("sor{}.{}", n + 1, draft.domain.trim());
            draft.relays.push(RelayDraft::new(&host, Role::Sor));
            *sel.selected = draft.relays.len() - 1;
            *sel.scroll = true;
            c.changed = true;
            *c.focus = Some(Field::Relay(*sel.selected, RelayField::Host));
        }
        let has = n > 0;
        let i = *sel.selected;
        if ui
            .add_enabled(has, egui::Button::new("Duplicate"))
            .clicked()
            && let Some(r) = draft.relays.get(i).cloned()
        {
            draft.relays.insert(i + 1, r);
            *sel.selected = i + 1;
            *sel.scroll = true;
            c.changed = true;
        }
        if ui.add_enabled(has, egui::Button::new("Remove")).clicked() && i < n {
            draft.relays.remove(i);
            *sel.selected = i.saturating_sub(usize::from(i + 1 >= n));
            c.changed = true;
        }
        if ui
            .add_enabled(has && i > 0, egui::Button::new("Up"))
            .on_hover_text("Move the selected relay up")
            .clicked()
        {
            draft.relays.swap(i, i - 1);
            *sel.selected = i - 1;
            *sel.scroll = true;
            c.changed = true;
        }
        if ui
            .add_enabled(has && i + 1 < n, egui::Button::new("Down"))
            .on_hover_text("Move the selected relay down")
            .clicked()
        {
            draft.relays.swap(i, i + 1);
            *sel.selected = i + 1;
            *sel.scroll = true;
            c.changed = true;
        }
    });
    if let Some(Field::Relay(i, _)) = *c.focus
        && i < draft.relays.len()
        && *sel.selected != i
    {
        *sel.selected = i;
        *sel.scroll = true;
    }

    // The table: one line per relay, drawn only for the visible rows (200 relays stay cheap).
    let row_h = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
    let n = draft.relays.len();
    egui::Frame::group(ui.style()).show(ui, |ui| {
        egui::ScrollArea::vertical()
            .id_salt("relay_table")
            .max_height(row_h * 7.5)
            .auto_shrink([false, true])
            .show_rows(ui, row_h, n, |ui, range| {
                for i in range {
                    let Some(r) = draft.relays.get(i) else {
                        continue;
                    };
                    let has_err = c
                        .errors
                        .iter()
                        .any(|(f, _)| matches!(f, Field::Relay(j, _) if *j == i));
                    let order = match r.role {
                        Role::Ber => format!("pref {}", r.preference),
                        Role::Sor => format!("prio {}", r.priority),
                    };
                    let addrs = r
                        .addresses
                        .split(|ch: char| ch == ',' || ch.is_whitespace())
                        .filter(|s| !s.is_empty())
                        .count();
                    let tlsa = r.tlsa.lines().filter(|l| !l.trim().is_empty()).count();
                    let line = format!(
                        "{:>3}  {:<4} {}  :{}  {}  {} addr  {} TLSA{}",
                        i + 1,
                        r.role.as_str().to_uppercase(),
                        if r.host.is_empty() {
                            "(no host)"
                        } else {
                            &r.host
                        },
                        r.port,
                        order,
                        addrs,
                        tlsa,
                        if r.also_srv { "  +SRV" } else { "" },
                    );
                    // An invalid row says so in words, not only in red.
                    let line = if has_err {
                        format!("(!) invalid  {line}")
                    } else {
                        line
                    };
                    let mut text = RichText::new(line.clone()).monospace();
                    if has_err {
                        text = text.color(palette::error(dark));
                    }
                    if *sel.selected == i {
                        text = text.underline();
                    }
                    let resp = ui
                        .add(
                            egui::Button::selectable(*sel.selected == i, text)
                                .min_size(egui::vec2(ui.available_width(), row_h - 2.0))
                                .truncate(),
                        )
                        .on_hover_text(line);
                    if resp.clicked() {
                        *sel.selected = i;
                    }
                    if *sel.scroll && *sel.selected == i {
                        resp.scroll_to_me(Some(Align::Center));
                        *sel.scroll = false;
                    }
                }
            });
    });
    if n == 0 {
        ui.weak("No relays yet: add a BER (in MX) or an SOR (by SRV).");
        return;
    }
    let i = *sel.selected;
    let Some(r) = draft.relays.get_mut(i) else {
        return;
    };
    ui.add_space(4.0);
    ui.label(RichText::new(format!("Relay {} of {n}", i + 1)).strong());
    egui::Grid::new("relay_grid")
        .num_columns(2)
        .spacing([10.0, 6.0])
        .show(ui, |ui| {
            let f = |rf| Field::Relay(i, rf);
            c.text(
                ui,
                "Host",
                &mut r.host,
                f(RelayField::Host),
                "mx1.agency.example",
            );
            c.choice(
                ui,
                "Role",
                &mut r.role,
                &[(Role::Ber, "BER (in MX)"), (Role::Sor, "SOR (SRV only)")],
            );
            c.text(ui, "Port", &mut r.port, f(RelayField::Port), "25");
            if r.role == Role::Ber {
                c.text(
                    ui,
                    "MX preference",
                    &mut r.preference,
                    f(RelayField::Preference),
                    "10",
                );
                ui.label("");
                c.check(
                    ui,
                    &mut r.also_srv,
                    "Also list under the SecMX SRV label",
                    "Level 2: a BER that SecMX senders may also discover by SRV",
                );
                ui.end_row();
            }
            if r.in_srv() {
                c.text(
                    ui,
                    "SRV priority",
                    &mut r.priority,
                    f(RelayField::Priority),
                    "10",
                );
                c.text(ui, "SRV weight", &mut r.weight, f(RelayField::Weight), "0");
            }
            c.text(
                ui,
                "Addresses",
                &mut r.addresses,
                f(RelayField::Addresses),
                "192.0.2.25, 2001:db8::25",
            );
            c.multiline(
                ui,
                "TLSA records",
                &mut r.tlsa,
                f(RelayField::Tlsa),
                "3 1 1 <sha-256 hex>, one per line",
            );
            c.multiline(
                ui,
                "Next key TLSA (rollover)",
                &mut r.next.tlsa,
                f(RelayField::NextTlsa),
                "3 1 1 <sha-256 hex> of the key you will switch to",
            );
            if let Some(key) = &r.next.key {
                ui.label("Next key file");
                match &r.next.key_record {
                    Some(Ok(rec)) => ui.label(format!("{key} → {rec}")),
                    Some(Err(e)) => ui.colored_label(
                        palette::error(ui.visuals().dark_mode),
                        format!("(!) {key}: {e}"),
                    ),
                    None => ui.label(key.as_str()),
                };
                ui.end_row();
            }
        });
    ui.horizontal_wrapped(|ui| {
        if ui
            .button("TLSA from certificate/key/CSR file…")
            .on_hover_text("3 1 1 for the leaf key (or the key / CSR), 2 1 1 for each issuer in the chain file")
            .clicked()
        {
            *c.tlsa_request = Some(TlsaSource::File);
        }
        if ui
            .button("TLSA from the live relay")
            .on_hover_text("The records of the chain this relay served at the last check (F5)")
            .clicked()
        {
            *c.tlsa_request = Some(TlsaSource::LiveRelay);
        }
        if ui
            .button("Next key TLSA from file…")
            .on_hover_text("The records of the key you will switch to: published beside the current ones before the switch (see the rollover plan)")
            .clicked()
        {
            *c.tlsa_request = Some(TlsaSource::NextFile);
        }
    });
}
