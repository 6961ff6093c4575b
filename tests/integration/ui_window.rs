//! Issue 9, the rest of the window a busy administrator can use, driven through egui_kittest by
//! labels: Settings ▸ Test resolver (the question goes to the worker, the answer shows in words),
//! the import-notes panel (stays until dismissed, each note a link to its field), and choices that
//! differ in text, not in colour alone.

use crate::ui::{harness, live_report, retype, rrsets_of};
use eframe::egui;
use egui_kittest::kittest::Queryable;
use secmx::event::{Event, EventBody};
use secmx::resolve::keys::{KeyAnswer, KeyInfo};
use secmx::resolve::{Dnssec, Status};
use secmx::ui::Tab;
use secmx::worker::Command;

#[test]
fn test_resolver_asks_the_worker_and_shows_the_answer() {
    let (mut h, mut w) = harness();
    h.run();
    h.get_by_label("View").click();
    h.run();
    h.get_by_label("Settings…").click();
    h.run();
    retype(&mut h, "Resolver (IP:PORT)", "127.0.0.1:5353");
    w.drain_commands();
    h.get_by_label("Test resolver").click();
    h.run_steps(3);
    let cmds = w.drain_commands();
    let [Command::TestResolver { run, settings }] = cmds.as_slice() else {
        panic!("expected one resolver test, got {cmds:?}");
    };
    assert_eq!(settings.resolver.as_deref(), Some("127.0.0.1:5353"));
    assert!(h.query_by_label_contains("Asking 127.0.0.1:5353").is_some());
    let answer = KeyAnswer {
        zone: ".".into(),
        keys: vec![
            KeyInfo {
                tag: 20326,
                flags: 257,
                ksk: true,
                algorithm: "RSASHA256".into(),
            },
            KeyInfo {
                tag: 53148,
                flags: 256,
                ksk: false,
                algorithm: "RSASHA256".into(),
            },
        ],
        ttl: Some(172800),
        dnssec: Dnssec::Secure,
        status: Status::Ok,
        detail: None,
        ms: 38.0,
    };
    w.results
        .send(Event {
            run: *run,
            body: EventBody::ResolverTest(Box::new(answer.clone())),
        })
        .unwrap();
    h.run_steps(3);
    assert!(
        h.query_by_label_contains("√ Validated (DNSSEC secure): 2 DNSKEY(s) of .")
            .is_some()
    );
    assert!(
        h.query_by_label_contains("20326 (KSK, RSASHA256)")
            .is_some()
    );
    assert!(h.query_by_label_contains("TTL 172800 s").is_some());

    // A second test that fails replaces the answer with the error.
    h.get_by_label("Test resolver").click();
    h.run_steps(3);
    let Some(Command::TestResolver { run, .. }) = w.drain_commands().pop() else {
        panic!("no second test");
    };
    w.results
        .send(Event {
            run,
            body: EventBody::ResolverTest(Box::new(KeyAnswer {
                keys: Vec::new(),
                ttl: None,
                dnssec: Dnssec::Indeterminate,
                status: Status::Timeout,
                detail: Some("request timed out".into()),
                ..answer
            })),
        })
        .unwrap();
    h.run_steps(3);
    assert!(h.query_by_label_contains("Validated (").is_none());
    assert!(
        h.query_by_label_contains("(!) Error: no answer in time (timeout): request timed out")
            .is_some()
    );
    // Another resolver: the old answer is not about it any more.
    retype(&mut h, "Resolver (IP:PORT)", "127.0.0.1:53");
    assert!(h.query_by_label_contains("(!) Error: no answer").is_none());
}

#[test]
fn import_notes_stay_in_a_panel_link_to_their_field_and_are_dismissed() {
    use secmx::model::{RData, Record};
    let (mut h, mut w) = harness();
    h.run();
    h.state_mut().set_tab(Tab::Published);
    h.run();
    h.get_by_label("Look up").click();
    h.run_steps(3);
    let Some(Command::Check { run, design, .. }) = w.drain_commands().pop() else {
        panic!("no lookup command");
    };
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
            300,
            RData::A("192.0.2.99".parse().unwrap()),
        ),
        Record::new(
            "_mta-sts.agency.example",
            3600,
            RData::Txt(vec!["v=STSv1; id=20261203".into()]),
        ),
    ]);
    w.results
        .send(Event {
            run,
            body: live_report(&design, rrsets, None),
        })
        .unwrap();
    w.results
        .send(Event {
            run,
            body: EventBody::Finished { cancelled: false },
        })
        .unwrap();
    h.run_steps(3);
    assert!(h.query_by_label_contains("Import notes (").is_none());
    h.get_by_label("Import from DNS").click();
    h.run_steps(3);
    let notes = h.state().import_notes().to_vec();
    assert!(notes.len() >= 2, "{notes:?}");
    assert!(
        h.query_by_label_contains(&format!("Import notes ({})", notes.len()))
            .is_some()
    );
    // Every note is listed; the MTA-STS one is a link to the max_age field.
    for n in &notes {
        assert!(h.query_by_label_contains(&n.text).is_some(), "{n:?}");
    }
    h.get_by_label_contains("» MTA-STS: the policy file is not fetched")
        .click();
    h.run_steps(4);
    assert!(
        h.get_by_role_and_label(egui::accesskit::Role::TextInput, "max_age (seconds)")
            .is_focused(),
        "the note's field has the focus"
    );
    // The TTL note (300 became the design's TTL) leads to the TTL field.
    h.get_by_label_contains("» mail.agency.example. A 192.0.2.99: TTL 300 becomes")
        .click();
    h.run_steps(4);
    assert!(
        h.get_by_role_and_label(egui::accesskit::Role::TextInput, "TTL (seconds)")
            .is_focused()
    );
    // It stays through other work, until dismissed.
    h.state_mut().set_tab(Tab::Zone);
    h.run_steps(3);
    assert!(h.query_by_label_contains("Import notes (").is_some());
    h.get_by_label("Dismiss import notes").click();
    h.run_steps(3);
    assert!(h.query_by_label_contains("Import notes (").is_none());
    assert!(h.state().import_notes().is_empty());
}

#[test]
fn selected_choices_and_filters_carry_a_check_mark_not_only_a_colour() {
    let (mut h, _w) = harness();
    h.run();
    // The example is Level 2, SecMX profile, relay 1 a BER, MTA-STS enforce.
    for selected in ["√ Level 2 (+ SRV)", "√ SecMX", "√ BER (in MX)", "√ enforce"] {
        assert!(h.query_by_label(selected).is_some(), "{selected}");
    }
    for other in ["Level 1 (MX only)", "SGE (NZ)", "SOR (SRV only)", "testing"] {
        assert!(h.query_by_label(other).is_some(), "{other} without a mark");
        assert!(h.query_by_label(&format!("√ {other}")).is_none(), "{other}");
    }
    h.get_by_label("Level 1 (MX only)").click();
    h.run();
    assert!(h.query_by_label("√ Level 1 (MX only)").is_some());
    assert!(h.query_by_label("Level 2 (+ SRV)").is_some());
    // The findings filters: a shown severity or source is checked; hiding one takes the mark off.
    let warnings = h.state().summary().warnings;
    assert!(h.query_by_label_contains("√ Errors ").is_some());
    h.get_by_label(&format!("√ Warnings {warnings}")).click();
    h.run();
    assert!(h.query_by_label(&format!("Warnings {warnings}")).is_some());
    assert!(h.query_by_label_contains("√ design ").is_some());
    // An invalid relay row carries an icon and a word.
    retype(&mut h, "Host", "not a host!");
    assert!(h.query_by_label_contains("(!) invalid  ").is_some());
}
