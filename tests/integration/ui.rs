//! The desktop window driven through egui_kittest (no display, no GPU): the real `App` with a
//! detached worker (the commands it sends are read here; events are injected), scripted file
//! dialogs, and no config directory. Widgets are found by their labels, as a user finds them.

use eframe::egui::{self, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use secmx::event::{Event, EventBody, RunId};
use secmx::ui::dialogs::ScriptedDialogs;
use secmx::ui::live::RunState;
use secmx::ui::{App, AppConfig, Initial, Pending, Tab};
use secmx::worker::{self, Command, DetachedWorker};
use std::path::PathBuf;

fn example() -> Initial {
    let d = secmx::project::parse_design(secmx::ui::EXAMPLE_LEVEL2, "level2").unwrap();
    Initial::Design(Box::new(d), "Level 2 example".into())
}

fn harness_with(dialogs: ScriptedDialogs) -> (Harness<'static, App>, DetachedWorker) {
    let (link, worker) = worker::detached();
    let h = Harness::builder()
        .with_size([1280.0, 800.0])
        .with_max_steps(16)
        .build_eframe(move |cc| {
            App::new(
                &cc.egui_ctx,
                AppConfig {
                    link,
                    dialogs: Box::new(dialogs),
                    config_dir: None,
                    initial: example(),
                },
            )
        });
    (h, worker)
}

pub(crate) fn harness() -> (Harness<'static, App>, DetachedWorker) {
    harness_with(ScriptedDialogs::default())
}

/// Replace the text of the text input labelled `label`.
pub(crate) fn retype(h: &mut Harness<'static, App>, label: &str, text: &str) {
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, label)
        .focus();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run();
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, label)
        .type_text(text);
    h.run();
}

fn rules_of(app: &App) -> Vec<String> {
    app.findings()
        .iter()
        .map(|f| format!("{} {}", f.rule, f.subject))
        .collect()
}

#[test]
fn typing_a_domain_updates_findings_and_preview() {
    let (mut h, _w) = harness();
    h.run();
    let before = rules_of(h.state());
    assert!(!h.state().is_dirty());
    retype(&mut h, "Mail domain", "other.example");
    assert_eq!(h.state().draft().domain, "other.example");
    assert!(h.state().is_dirty());
    assert_ne!(rules_of(h.state()), before, "findings follow the edit");
    assert!(h.state().zone_text().contains("other.example."));
    assert!(h.state().title().starts_with('●'), "{}", h.state().title());

    // A domain that does not parse shows its error next to the field.
    retype(&mut h, "Mail domain", "bad..name");
    assert!(h.query_by_label_contains("Error: ").is_some());
    assert!(h.query_by_label_contains("last valid version").is_some());
}

#[test]
fn adding_an_sor_that_is_also_in_mx_shows_sor_001() {
    let (mut h, _w) = harness();
    h.run();
    assert!(!rules_of(h.state()).iter().any(|r| r.starts_with("SOR-001")));
    h.get_by_label("Add SOR").click();
    h.run();
    assert_eq!(h.state().draft().relays.len(), 5);
    retype(&mut h, "Host", "mx1.agency.example");
    assert!(
        rules_of(h.state())
            .iter()
            .any(|r| r == "SOR-001 mx1.agency.example"),
        "{:?}",
        rules_of(h.state())
    );
    assert!(h.query_by_label_contains("SOR-001  ").is_some());

    // Clicking the finding focuses the host field of the relay it is about.
    h.get_by_label_contains("SOR-001  ").click();
    h.run();
    let host = h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Host");
    assert!(host.is_focused());
}

#[test]
fn the_zone_preview_holds_the_srv_record_of_an_sor() {
    let (mut h, _w) = harness();
    h.run();
    let zone = h.state().zone_text().to_string();
    let srv = zone
        .lines()
        .find(|l| l.contains("SRV") && l.contains("sor1.agency.example."))
        .unwrap_or_else(|| panic!("no SRV line for sor1 in\n{zone}"));
    assert!(srv.starts_with("_secmx._tcp.agency.example."), "{srv}");
    // And the window shows that very line.
    assert!(h.query_by_label(srv).is_some(), "line not shown: {srv}");
    h.get_by_label("MTA-STS policy").click();
    h.run();
    assert!(h.state().sts_text().contains("mode: enforce"));
}

#[test]
fn probe_all_sends_one_probe_command_for_every_relay_address() {
    let (mut h, mut w) = harness();
    h.run();
    h.get_by_label("Probe grid").click();
    h.run();
    h.get_by_label("Probe all").click();
    h.run_steps(3);
    let cmds = w.drain_commands();
    assert_eq!(cmds.len(), 1, "{cmds:?}");
    let Command::Check {
        run, design, probe, ..
    } = &cmds[0]
    else {
        panic!("expected Check, got {:?}", cmds[0]);
    };
    assert!(*probe, "Probe all probes");
    assert_eq!(
        design.as_ref(),
        h.state().design(),
        "the design as it stands"
    );
    // The grid starts with a row per design relay address; the run adds what DNS publishes.
    let rows = &h.state().grid().rows;
    let sor2: Vec<_> = rows
        .iter()
        .filter(|r| r.target.host == "sor2.agency.example")
        .collect();
    assert_eq!(sor2.len(), 2);
    assert!(
        sor2.iter()
            .all(|r| r.target.port == 465 && r.target.implicit_tls)
    );
    assert_eq!(h.state().grid().run, RunState::Running(*run));
    assert_eq!(h.state().grid().rows.len(), 6);
    assert!(
        h.query_by_label_contains("0 of 6 addresses probed")
            .is_some()
    );

    // Cancel sends Cancel for that run.
    h.get_by_label("Cancel probes").click();
    h.run_steps(3);
    let cmds = w.drain_commands();
    assert!(
        matches!(cmds.as_slice(), [Command::Cancel { run: r }] if r == run),
        "{cmds:?}"
    );
}

#[test]
fn injected_events_are_applied_and_stale_runs_dropped() {
    let (mut h, mut w) = harness();
    h.run();
    h.state_mut().set_tab(Tab::Probe);
    h.run();
    h.get_by_label("Probe all").click();
    h.run_steps(3);
    let Some(Command::Check { run, .. }) = w.drain_commands().pop() else {
        panic!("no probe command");
    };
    // An event of another run is dropped.
    w.events
        .try_send(Event {
            run: RunId(run.0 + 100),
            body: EventBody::Finished { cancelled: false },
        })
        .unwrap();
    h.run_steps(3);
    assert_eq!(h.state().stale_events(), 1);
    assert_eq!(h.state().grid().run, RunState::Running(run));
    // The current run's end is applied.
    w.events
        .try_send(Event {
            run,
            body: EventBody::Finished { cancelled: true },
        })
        .unwrap();
    h.run();
    assert_eq!(h.state().grid().run, RunState::Cancelled(run));
    assert!(h.query_by_label_contains("Probe run cancelled").is_some());
}

#[test]
fn save_goes_through_the_dialog_seam_and_writes_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path: PathBuf = dir.path().join("agency.secmx.toml");
    let (mut h, _w) = harness_with(ScriptedDialogs::new([Some(path.clone())]));
    h.run();
    retype(&mut h, "TTL (seconds)", "7200");
    assert!(h.state().is_dirty());
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    assert_eq!(h.state().file(), Some(path.as_path()));
    assert!(!h.state().is_dirty());
    let saved = secmx::project::load_design(&path).unwrap();
    assert_eq!(saved.ttl, 7200);
    assert_eq!(saved.relays.len(), 4);
    assert!(
        h.state().title().starts_with("agency.secmx.toml"),
        "{}",
        h.state().title()
    );
}

#[test]
fn unsaved_changes_are_guarded() {
    let (mut h, _w) = harness();
    h.run();
    retype(&mut h, "TTL (seconds)", "60");
    h.key_press_modifiers(Modifiers::COMMAND, Key::N);
    h.run();
    assert_eq!(h.state().pending(), Some(&Pending::New));
    assert!(
        h.query_by_label_contains("has changes that are not saved")
            .is_some()
    );
    h.get_by_label("Cancel").click();
    h.run();
    assert_eq!(h.state().pending(), None);
    assert_eq!(h.state().draft().ttl, "60", "Cancel keeps the design");

    h.key_press_modifiers(Modifiers::COMMAND, Key::N);
    h.run();
    h.get_by_label("Don't save").click();
    h.run();
    assert_eq!(h.state().draft().domain, "example.org");
    assert!(!h.state().is_dirty());
}

#[test]
fn f5_runs_the_check_as_one_run() {
    let (mut h, mut w) = harness();
    h.run();
    h.key_press(Key::F5);
    h.run_steps(3);
    let cmds = w.drain_commands();
    let [
        Command::Check {
            run,
            design,
            probe: true,
            ..
        },
    ] = cmds.as_slice()
    else {
        panic!("expected one Check, got {cmds:?}");
    };
    assert_eq!(design.domain.as_str(), "agency.example");
    assert_eq!(design.relays.len(), 4);
    assert_eq!(h.state().published().run, RunState::Running(*run));
    assert_eq!(h.state().grid().run, RunState::Running(*run));
    w.events
        .try_send(Event {
            run: *run,
            body: EventBody::Finished { cancelled: false },
        })
        .unwrap();
    h.run();
    assert_eq!(h.state().published().run, RunState::Done(*run));
    assert_eq!(h.state().grid().run, RunState::Done(*run));
}

#[test]
fn a_recovery_copy_is_offered_and_restored() {
    let cfg = tempfile::tempdir().unwrap();
    let text = secmx::ui::EXAMPLE_LEVEL2.replace("ttl = 3600", "ttl = 1234");
    std::fs::write(secmx::ui::settings::recovery_file(cfg.path()), text).unwrap();
    let (link, _w) = worker::detached();
    let dir = cfg.path().to_path_buf();
    let mut h = Harness::builder()
        .with_size([1280.0, 800.0])
        .with_max_steps(16)
        .build_eframe(move |cc| {
            App::new(
                &cc.egui_ctx,
                AppConfig {
                    link,
                    dialogs: Box::new(ScriptedDialogs::default()),
                    config_dir: Some(dir),
                    initial: example(),
                },
            )
        });
    h.run();
    assert!(
        h.query_by_label_contains("did not close normally")
            .is_some()
    );
    h.get_by_label("Restore").click();
    h.run();
    assert_eq!(h.state().draft().ttl, "1234");
    assert!(h.state().is_dirty(), "restored work is unsaved until saved");
    assert!(h.state().title().contains("Recovered design"));

    // Unsaved work is copied to the recovery file after the autosave delay.
    std::fs::remove_file(secmx::ui::settings::recovery_file(cfg.path())).unwrap();
    h.state_mut().set_autosave_after(std::time::Duration::ZERO);
    retype(&mut h, "TTL (seconds)", "4321");
    h.run_steps(2);
    let copy = std::fs::read_to_string(secmx::ui::settings::recovery_file(cfg.path())).unwrap();
    assert!(copy.contains("ttl = 4321"), "{copy}");
}

/// Discard (an `Action::DiscardRecovery`) deletes the copy and drops its notice; the design shown
/// stays the one opened.
#[test]
fn a_recovery_copy_is_discarded() {
    let cfg = tempfile::tempdir().unwrap();
    let file = secmx::ui::settings::recovery_file(cfg.path());
    let text = secmx::ui::EXAMPLE_LEVEL2.replace("ttl = 3600", "ttl = 1234");
    std::fs::write(&file, text).unwrap();
    let (link, _w) = worker::detached();
    let dir = cfg.path().to_path_buf();
    let mut h = Harness::builder()
        .with_size([1280.0, 800.0])
        .with_max_steps(16)
        .build_eframe(move |cc| {
            App::new(
                &cc.egui_ctx,
                AppConfig {
                    link,
                    dialogs: Box::new(ScriptedDialogs::default()),
                    config_dir: Some(dir),
                    initial: example(),
                },
            )
        });
    h.run();
    assert!(file.exists());
    h.get_by_label("Discard").click();
    h.run();
    assert!(!file.exists(), "the recovery copy is deleted");
    assert!(
        h.query_by_label_contains("did not close normally")
            .is_none(),
        "the notice is gone"
    );
    assert_ne!(h.state().draft().ttl, "1234");
    assert!(!h.state().is_dirty());
}

#[test]
fn the_zone_snippet_is_saved_through_the_dialog_seam() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("agency.zone");
    let (mut h, _w) = harness_with(ScriptedDialogs::new([Some(path.clone())]));
    h.run();
    h.get_by_label("Save…").click();
    h.run();
    let written = std::fs::read_to_string(&path).unwrap();
    assert_eq!(written, h.state().zone_text());
    assert!(!h.state().is_dirty(), "exporting is not an edit");
}

#[test]
fn closing_the_window_with_unsaved_changes_asks_first() {
    let (mut h, _w) = harness();
    h.run();
    retype(&mut h, "TTL (seconds)", "120");
    h.input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    h.step();
    let cancelled = h
        .output()
        .viewport_output
        .get(&egui::ViewportId::ROOT)
        .is_some_and(|v| v.commands.contains(&egui::ViewportCommand::CancelClose));
    assert!(cancelled, "the close is held back");
    h.run();
    quit_is_asked_then_cancelled(&mut h);
}

/// The unsaved-changes question of a quit (the TTL typed as 120) is shown; Cancel keeps the work.
fn quit_is_asked_then_cancelled(h: &mut Harness<'static, App>) {
    assert_eq!(h.state().pending(), Some(&Pending::Quit));
    assert!(
        h.query_by_label_contains("Save them before quitting?")
            .is_some()
    );
    h.get_by_label("Cancel").click();
    h.run();
    assert_eq!(h.state().pending(), None);
    assert_eq!(h.state().draft().ttl, "120");
}

/// Ctrl+Q quits through the same guard as File ▸ Quit: unsaved changes are asked about first.
#[test]
fn ctrl_q_quits_through_the_unsaved_changes_guard() {
    let (mut h, _w) = harness();
    h.run();
    retype(&mut h, "TTL (seconds)", "120");
    // Leave the text field, as a user presses Ctrl+Q from anywhere in the window.
    h.key_press(Key::Escape);
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::Q);
    h.run();
    quit_is_asked_then_cancelled(&mut h);
}

/// The RRsets DNS would answer for `records` (one per owner and type, secure).
pub(crate) fn rrsets_of(records: &[secmx::model::Record]) -> Vec<secmx::resolve::RRset> {
    use secmx::resolve::fetch::rrset_of;
    use secmx::resolve::{Dnssec, Status};
    let mut keys: Vec<(String, String)> = Vec::new();
    for r in records {
        let k = (r.name.clone(), r.data.rtype().to_string());
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    keys.into_iter()
        .map(|(name, rtype)| {
            let recs: Vec<_> = records
                .iter()
                .filter(|r| r.name == name && r.data.rtype() == rtype)
                .cloned()
                .collect();
            rrset_of(&name, &rtype, Status::Ok, Dnssec::Secure, recs)
        })
        .collect()
}

/// The report of a live run over `design` that found `rrsets` in DNS and `probes` at the relays,
/// judged by the same code as `secmx check`.
pub(crate) fn live_report(
    design: &secmx::model::Design,
    rrsets: Vec<secmx::resolve::RRset>,
    probes: Option<Vec<secmx::probe::ProbeReport>>,
) -> EventBody {
    let published = secmx::resolve::Published::from_rrsets(
        design.domain.as_str(),
        &design.srv_label,
        rrsets,
        3,
    );
    let mut plan = secmx::live::LivePlan::for_design(design.clone(), None);
    plan.probe = probes.is_some();
    let facts = probes.map(|reports| secmx::probe::ProbeFacts {
        reports,
        policy: None,
    });
    EventBody::Report(Box::new(secmx::live::judge(
        &plan,
        Some(published),
        facts,
        false,
    )))
}

#[test]
fn a_lookup_fills_the_published_panel_and_imports_a_design_from_dns() {
    use secmx::model::{RData, Record};
    let (mut h, mut w) = harness();
    h.run();
    // The example has no file: the status bar never says "Saved" for it.
    assert!(h.query_by_label("Not saved").is_some());
    assert!(h.query_by_label("Saved").is_none());
    h.state_mut().set_tab(Tab::Published);
    h.run();
    h.get_by_label("Look up").click();
    h.run_steps(3);
    let Some(Command::Check {
        run,
        design,
        probe: false,
        ..
    }) = w.drain_commands().pop()
    else {
        panic!("no lookup command");
    };
    assert_eq!(design.domain.as_str(), "agency.example");
    let rrsets = rrsets_of(&[
        Record::new(
            "agency.example",
            3600,
            RData::Mx {
                preference: 10,
                exchange: "mail.agency.example".into(),
            },
        ),
        Record::new(
            "mail.agency.example",
            3600,
            RData::A("192.0.2.99".parse().unwrap()),
        ),
        Record::new(
            "_mta-sts.agency.example",
            3600,
            RData::Txt(vec!["v=STSv1; id=20261203".into()]),
        ),
    ]);
    // The MX RRset does not validate as secure: XR-007, a finding about what is published.
    let mut rrsets = rrsets;
    rrsets[0].dnssec = secmx::resolve::Dnssec::Insecure;
    let report = live_report(&design, rrsets, None);
    w.results.send(Event { run, body: report }).unwrap();
    w.results
        .send(Event {
            run,
            body: EventBody::Finished { cancelled: false },
        })
        .unwrap();
    h.run_steps(3);
    let published = h.state().published();
    assert_eq!(published.rrsets.len(), 3);
    assert_eq!(published.rrsets[0][3], "insecure");
    assert_eq!(published.rrsets[1][3], "secure");
    assert_eq!(published.rrsets[0][4], "3600", "the TTL column");
    assert!(
        published
            .drift
            .iter()
            .any(|d| d.contains("MX") && d.contains("designed 10 mx1.agency.example.")),
        "the example designs other MX hosts, in plain text: {:?}",
        published.drift
    );
    assert!(
        published
            .drift
            .iter()
            .all(|d| !d.contains("\\\"") && !d.contains("[\"")),
        "no JSON escaping: {:?}",
        published.drift
    );
    // The live findings of the lookup are in the Findings panel, marked "as published".
    let live: Vec<_> = h
        .state()
        .findings()
        .iter()
        .filter(|f| f.source == secmx::rules::Source::Published)
        .collect();
    assert!(live.iter().any(|f| f.rule == "XR-007"), "{live:?}");
    assert!(h.query_by_label_contains("XR-007  ").is_some());
    assert!(h.query_all_by_label_contains("[as published]").count() >= 1);
    assert_eq!(
        h.state().summary(),
        secmx::rules::Summary::of(h.state().findings())
    );
    // Import from DNS replaces the (unchanged) example with what DNS publishes.
    h.get_by_label("Import from DNS").click();
    h.run_steps(3);
    let hosts: Vec<String> = h
        .state()
        .design()
        .relays
        .iter()
        .map(|r| r.host.clone())
        .collect();
    assert_eq!(hosts, vec!["mail.agency.example".to_string()]);
    assert!(h.state().is_dirty(), "an imported design is not saved yet");
    // The notice names the domain and points at the import's notes (listed in their panel:
    // ui_window.rs); the lookup stays on screen.
    let notice = &h.state().notices().last().expect("a notice").text;
    assert!(
        notice.contains("for agency.example.") && notice.contains("import note(s) are listed"),
        "{notice}"
    );
    assert!(
        h.query_by_label_contains("» MTA-STS: the policy file is not fetched")
            .is_some()
    );
    assert_eq!(h.state().published().rrsets.len(), 3, "the lookup is kept");
}

/// A finished probe report of `host` at `addr` (TLS completed or not, plaintext MAIL FROM code).
fn finished(
    host: &str,
    addr: &str,
    port: u16,
    role: secmx::model::Role,
    tls: bool,
    plain: u16,
) -> secmx::probe::ProbeReport {
    use secmx::probe::{ProbeReport, ProbeTarget, TlsFacts, Verdict};
    let t = ProbeTarget::new(host, addr.parse().unwrap(), port, role);
    let mut r = ProbeReport::new(&t);
    r.connect = secmx::probe::Connect::Ok;
    r.greeting = Some(220);
    r.plaintext_mail_from = Some(plain);
    if tls {
        r.tls = Some(TlsFacts {
            version: Some("TLSv1.3".into()),
            ..TlsFacts::default()
        });
        r.tls_mail_from = Some(250);
    }
    r.verdict = if tls { Verdict::Pass } else { Verdict::Fail };
    r
}

/// A run's end: each address's final report, then the run's report, then `Finished`.
fn end_of_run(
    w: &DetachedWorker,
    run: RunId,
    design: &secmx::model::Design,
    reports: Vec<secmx::probe::ProbeReport>,
) {
    for r in &reports {
        w.results
            .send(Event {
                run,
                body: EventBody::Probe(secmx::probe::ProbeEvent::Finished {
                    report: Box::new(r.clone()),
                }),
            })
            .unwrap();
    }
    let rrsets = rrsets_of(
        secmx::zone::records_of(design)
            .iter()
            .cloned()
            .collect::<Vec<_>>()
            .as_slice(),
    );
    w.results
        .send(Event {
            run,
            body: live_report(design, rrsets, Some(reports)),
        })
        .unwrap();
    w.results
        .send(Event {
            run,
            body: EventBody::Finished { cancelled: false },
        })
        .unwrap();
}

#[test]
fn the_sender_simulation_shows_where_mail_would_go_after_a_probe_run() {
    use secmx::model::Role;
    let (mut h, mut w) = harness();
    h.run();
    h.state_mut().set_tab(Tab::Probe);
    h.run();
    // Run 1: the first SRV target completes TLS, so both simulated senders deliver to it.
    h.get_by_label("Probe all").click();
    h.run_steps(3);
    let Some(Command::Check { run, design, .. }) = w.drain_commands().pop() else {
        panic!("no probe command");
    };
    end_of_run(
        &w,
        run,
        &design,
        vec![
            finished(
                "sor1.agency.example",
                "198.51.100.10",
                25,
                Role::Sor,
                true,
                530,
            ),
            finished("mx1.agency.example", "192.0.2.25", 25, Role::Ber, true, 250),
        ],
    );
    h.run_steps(4);
    // One line per simulated sender (SOS and BES), both to sor1.
    assert_eq!(
        h.query_all_by_label_contains("delivers over TLS to sor1.agency.example")
            .count(),
        2,
        "{:?}",
        h.state().grid().simulation
    );

    // Run 2: nothing completes TLS; the SOS bounces, the BES falls back to plaintext MX delivery.
    h.get_by_label("Probe all").click();
    h.run_steps(3);
    let Some(Command::Check { run, design, .. }) = w.drain_commands().pop() else {
        panic!("no second probe command");
    };
    assert!(
        h.state().grid().simulation.is_none(),
        "a new run starts clean"
    );
    end_of_run(
        &w,
        run,
        &design,
        vec![
            finished(
                "sor1.agency.example",
                "198.51.100.10",
                25,
                Role::Sor,
                false,
                530,
            ),
            finished(
                "mx1.agency.example",
                "192.0.2.25",
                25,
                Role::Ber,
                false,
                250,
            ),
        ],
    );
    h.run_steps(4);
    let sim = format!("{:?}", h.state().grid().simulation);
    assert_eq!(h.query_all_by_label("bounces").count(), 1, "{sim}");
    assert!(
        h.query_by_label_contains("delivers in plaintext to mx1.agency.example")
            .is_some()
    );
}

#[test]
fn a_finding_explains_its_rule_as_secmx_explain_does() {
    let (mut h, _w) = harness();
    h.run();
    h.get_by_label("Add SOR").click();
    h.run();
    retype(&mut h, "Host", "mx1.agency.example");
    let rule = h
        .state()
        .findings()
        .first()
        .map(|f| f.rule)
        .expect("the example has findings");
    h.get_all_by_label(&format!("About {rule}"))
        .next()
        .expect("an About header")
        .click();
    h.run();
    let r = secmx::rules::registry()
        .find(|r| r.id == rule)
        .expect("registered");
    let text = secmx::rules::catalogue::explanation(r);
    assert!(text.contains("Source:"), "{text}");
    assert!(
        h.query_by_label(&text).is_some(),
        "the window shows the rule's full text"
    );
}

// ----- issue 9, item 1: files always work (no portal → the built-in file dialog) -----

#[test]
fn without_a_portal_save_as_opens_the_builtin_dialog_and_writes_the_design() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("typed.secmx.toml");
    let (mut h, _w) = harness_with(ScriptedDialogs::no_portal());
    h.run();
    retype(&mut h, "TTL (seconds)", "7200");
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    assert!(
        h.state().path_dialog_open().is_some(),
        "Ctrl+S must not do nothing"
    );
    assert!(h.query_by_label_contains("Built-in file dialog").is_some());
    retype(&mut h, "File path", &path.display().to_string());
    h.get_by_label("Save").click();
    h.run();
    assert!(h.state().path_dialog_open().is_none());
    assert_eq!(h.state().file(), Some(path.as_path()));
    assert!(!h.state().is_dirty());
    let back = secmx::project::load_design(&path).unwrap();
    assert_eq!(back.ttl, 7200);
}

#[test]
fn without_a_portal_the_zone_save_button_writes_the_snippet() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("agency.zone");
    let (mut h, _w) = harness_with(ScriptedDialogs::no_portal());
    h.run();
    h.get_by_label("Save…").click();
    h.run();
    assert!(h.state().path_dialog_open().is_some());
    retype(&mut h, "File path", &path.display().to_string());
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        h.state().zone_text()
    );
    assert!(
        h.query_by_label_contains("Saved the zone snippet to")
            .is_some()
    );
}

#[test]
fn the_builtin_dialog_refuses_a_missing_file_and_cancels() {
    let (mut h, _w) = harness_with(ScriptedDialogs::no_portal());
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::O);
    h.run();
    assert!(
        h.state().path_dialog_open().is_some(),
        "Ctrl+O must not do nothing"
    );
    retype(&mut h, "File path", "/nonexistent-secmx/none.secmx.toml");
    h.get_by_label("Open").click();
    h.run();
    assert!(h.query_by_label_contains("does not exist").is_some());
    h.get_by_label("Cancel").click();
    h.run();
    assert!(h.state().path_dialog_open().is_none());
    assert_eq!(h.state().design().domain.as_str(), "agency.example");
}

#[test]
fn the_builtin_dialog_opens_a_design_listed_in_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.secmx.toml");
    std::fs::write(
        &path,
        secmx::ui::EXAMPLE_LEVEL2.replace("ttl = 3600", "ttl = 4321"),
    )
    .unwrap();
    let (mut h, _w) = harness_with(ScriptedDialogs::no_portal());
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::O);
    h.run();
    // Navigate by typing the folder (it is entered), then pick the file from the listing.
    retype(&mut h, "File path", &dir.path().display().to_string());
    h.key_press(Key::Enter);
    h.run();
    h.get_by_label("other.secmx.toml").click();
    h.run();
    h.get_by_label("Open").click();
    h.run();
    assert_eq!(h.state().file(), Some(path.as_path()));
    assert_eq!(h.state().design().ttl, 4321);
}

#[test]
fn the_guards_save_uses_the_builtin_dialog_then_carries_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("guarded.secmx.toml");
    let (mut h, _w) = harness_with(ScriptedDialogs::no_portal());
    h.run();
    retype(&mut h, "TTL (seconds)", "60");
    h.key_press_modifiers(Modifiers::COMMAND, Key::N);
    h.run();
    h.get_by_label("Save").click();
    h.run();
    assert!(h.state().path_dialog_open().is_some());
    retype(&mut h, "File path", &path.display().to_string());
    h.get_by_label("Save").click();
    h.run();
    assert_eq!(secmx::project::load_design(&path).unwrap().ttl, 60);
    assert_eq!(h.state().draft().domain, "example.org", "then New happened");
}

#[test]
fn a_failed_write_names_the_path_and_the_os_error() {
    let dir = tempfile::tempdir().unwrap();
    // The portal answers with a folder: writing onto it fails.
    let (mut h, _w) = harness_with(ScriptedDialogs::new([Some(dir.path().to_path_buf())]));
    h.run();
    h.get_by_label("Save…").click();
    h.run();
    let n = h.state().notices().last().unwrap();
    assert_eq!(n.level, secmx::ui::NoticeLevel::Error);
    assert!(
        n.text.contains(&dir.path().display().to_string()),
        "{}",
        n.text
    );
    // A directory is refused before the OS is asked (write_atomic never replaces one).
    assert!(
        n.text.contains("os error") || n.text.contains("is not a regular file"),
        "{}",
        n.text
    );
}

// ----- issue 9, item 2: undo/redo of the design -----

#[test]
fn typing_in_a_field_undoes_as_one_step_from_the_edit_menu() {
    let (mut h, _w) = harness();
    h.run();
    retype(&mut h, "TTL (seconds)", "7200");
    assert_eq!(h.state().draft().ttl, "7200");
    assert_eq!(h.state().undo_redo_len(), (1, 0), "typing is one step");
    h.get_by_label("Edit").click();
    h.run();
    h.get_by_label_contains("Undo").click();
    h.run();
    assert_eq!(h.state().draft().ttl, "3600");
    assert_eq!(h.state().design().ttl, 3600);
    h.get_by_label("Edit").click();
    h.run();
    h.get_by_label_contains("Redo").click();
    h.run();
    assert_eq!(h.state().draft().ttl, "7200");
}

#[test]
fn removing_a_relay_asks_nothing_and_ctrl_z_brings_it_back() {
    let (mut h, _w) = harness();
    h.run();
    let hosts: Vec<String> = h
        .state()
        .draft()
        .relays
        .iter()
        .map(|r| r.host.clone())
        .collect();
    h.get_by_label("Remove").click();
    h.run();
    assert_eq!(h.state().draft().relays.len(), hosts.len() - 1);
    assert!(h.state().pending().is_none());
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    let back: Vec<String> = h
        .state()
        .draft()
        .relays
        .iter()
        .map(|r| r.host.clone())
        .collect();
    assert_eq!(back, hosts);
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    h.run();
    assert_eq!(h.state().draft().relays.len(), hosts.len() - 1);
    assert_eq!(h.state().undo_redo_len(), (1, 0));
}

// ----- issue 9, items 3 and 6: every problem under its field; the valid rest stays judged -----

#[test]
fn every_bad_address_is_listed_and_the_rest_stays_judged() {
    let (mut h, _w) = harness();
    h.run();
    retype(&mut h, "Addresses", "nope, 192.0.2.25, nada");
    assert!(h.query_by_label_contains("`nope` is not").is_some());
    assert!(
        h.query_by_label_contains("`nada` is not").is_some(),
        "the second bad address is shown too"
    );
    assert!(
        h.query_by_label_contains("last valid version of this field")
            .is_some()
    );
    assert!(
        h.query_by_label_contains("invalid ").is_some(),
        "the row says invalid in words"
    );
    // The valid parts stay current: a TTL edit still reaches the findings' design and the preview.
    retype(&mut h, "TTL (seconds)", "7200");
    assert_eq!(h.state().design().ttl, 7200);
    assert!(h.state().zone_text().contains("$TTL 7200"));
    assert_eq!(
        h.state().design().relays[0].addresses.len(),
        2,
        "the bad field is judged with its last valid value"
    );
}

#[test]
fn a_host_with_a_300_character_label_gets_an_inline_error() {
    let (mut h, _w) = harness();
    h.run();
    retype(
        &mut h,
        "Host",
        &format!("{}.agency.example", "x".repeat(300)),
    );
    assert!(h.query_by_label_contains("Error: ").is_some());
    assert_eq!(h.state().design().relays[0].host, "mx1.agency.example");
}

// ----- issue 9, item 7: the Log view -----

#[test]
fn view_log_shows_the_last_log_lines() {
    secmx::ui::log::push("WARN secmx: a line for the log view test");
    let (mut h, _w) = harness();
    h.run();
    h.get_by_label("View").click();
    h.run();
    h.get_by_label("Log").click();
    h.run();
    assert!(h.query_by_label_contains("log lines (at most").is_some());
    assert!(
        h.query_by_label_contains("a line for the log view test")
            .is_some()
    );
}

// ----- issue 9, item 4: settings checked as typed -----

#[test]
fn settings_check_the_resolver_and_read_the_ca_file_on_the_spot() {
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, "not a certificate\n").unwrap();
    let (mut h, _w) = harness_with(ScriptedDialogs::new([Some(ca.clone())]));
    h.run();
    h.get_by_label("View").click();
    h.run();
    h.get_by_label("Settings…").click();
    h.run();
    retype(&mut h, "Resolver (IP:PORT)", "192.0.2.53");
    assert!(
        h.query_by_label_contains("add the port: 192.0.2.53:53")
            .is_some()
    );
    retype(&mut h, "Resolver (IP:PORT)", "192.0.2.53:5353");
    assert!(
        h.query_by_label_contains("OK: resolver 192.0.2.53:5353")
            .is_some()
    );
    h.get_by_label("Choose CA file…").click();
    h.run();
    assert!(
        h.query_by_label_contains("no CERTIFICATE in the file")
            .is_some(),
        "the chosen CA file is read at once"
    );
}

// ----- issue 9, item 5: the start page -----

fn harness_start() -> (Harness<'static, App>, DetachedWorker) {
    let (link, worker) = worker::detached();
    let h = Harness::builder()
        .with_size([1280.0, 800.0])
        .with_max_steps(16)
        .build_eframe(move |cc| {
            App::new(
                &cc.egui_ctx,
                AppConfig {
                    link,
                    dialogs: Box::new(ScriptedDialogs::default()),
                    config_dir: None,
                    initial: Initial::StartPage,
                },
            )
        });
    (h, worker)
}

#[test]
fn the_start_page_looks_up_my_domain_or_starts_blank() {
    let (mut h, mut w) = harness_start();
    h.run();
    assert!(
        h.query_by_label_contains("Welcome to SecMX Workbench")
            .is_some()
    );
    retype(&mut h, "Your mail domain", "mail.example");
    h.get_by_label("Look up and import").click();
    h.run_steps(3);
    let cmds = w.drain_commands();
    let [
        Command::Check {
            design,
            probe: false,
            ..
        },
    ] = cmds.as_slice()
    else {
        panic!("expected one lookup, got {cmds:?}");
    };
    assert_eq!(design.domain.as_str(), "mail.example");
    assert!(
        h.query_by_label_contains("Welcome to SecMX Workbench")
            .is_none()
    );

    let (mut h, _w) = harness_start();
    h.run();
    retype(&mut h, "Your mail domain", "blank.example");
    h.get_by_label("Start blank").click();
    h.run();
    assert_eq!(h.state().design().domain.as_str(), "blank.example");
    assert!(h.state().design().relays.is_empty());
}
