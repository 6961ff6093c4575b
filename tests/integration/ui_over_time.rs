//! The window over time (issue 12), driven through egui_kittest by its labels: the History tab
//! over a history database with two saved runs (listed on the timeline; picking both shows what
//! changed, in words), and the key rollover plan above the probe grid.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use secmx::event::{Event, EventBody};
use secmx::ui::{App, AppConfig, Initial};
use secmx::worker::{self, Command, DetachedWorker};
use serde_json::{Value, json};

fn harness_on(toml: &str) -> (Harness<'static, App>, DetachedWorker) {
    harness_with(toml, secmx::ui::dialogs::ScriptedDialogs::default())
}

fn harness_with(
    toml: &str,
    dialogs: secmx::ui::dialogs::ScriptedDialogs,
) -> (Harness<'static, App>, DetachedWorker) {
    let d = secmx::project::parse_design(toml, "t.secmx.toml").unwrap();
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
                    initial: Initial::Design(Box::new(d), "t".into()),
                },
            )
        });
    (h, worker)
}

/// A saved report: one relay address serving `spki`, DANE `dane`.
fn report(spki: &str, dane: &str, days_left: i64, at: i64) -> Value {
    json!({
        "domain": "agency.example",
        "summary": {"errors": i32::from(dane == "fail"), "warnings": 0, "infos": 0},
        "findings": if dane == "fail" {
            json!([{"rule": "PROBE-025", "subject": "mx1.agency.example", "severity": "error"}])
        } else { json!([]) },
        "dns": {"rrsets": [
            {"name": "_25._tcp.mx1.agency.example.", "type": "TLSA", "records": ["3 1 1 aa"],
             "ttl": 300, "dnssec": "secure", "status": "ok"}
        ], "drift": [], "elapsed_ms": 1},
        "probes": [{"host": "mx1.agency.example", "address": "192.0.2.25", "port": 25,
                    "certificate": {"chain": [{"spki_sha256": spki, "sha256": format!("{spki}c"),
                                               "not_after": "x", "not_after_unix": at + days_left * 86_400}]},
                    "dane": dane, "dane_detail": {}, "verdict": if dane == "fail" {"fail"} else {"pass"}}]
    })
}

/// Step the window until `label` shows (the history is read on a thread).
fn wait_for(h: &mut Harness<'static, App>, label: &str) {
    for _ in 0..100 {
        h.run();
        if h.query_by_label_contains(label).is_some() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    panic!("`{label}` never showed");
}

#[test]
fn the_history_tab_lists_runs_and_shows_what_changed_between_two() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("history.sqlite");
    let mut hist = secmx::history::History::open(&db, true).unwrap();
    let t0 = 1_764_000_000;
    let a = hist
        .save(&report("aa", "valid", 40, t0), t0, &json!({}))
        .unwrap();
    let b = hist
        .save(
            &report("bb", "fail", 89, t0 + 86_400),
            t0 + 86_400,
            &json!({}),
        )
        .unwrap();
    drop(hist);

    let (mut h, _w) = harness_on(secmx::ui::EXAMPLE_LEVEL2);
    h.state_mut().set_history_path(Some(db.clone()));
    h.run();
    h.get_by_label("History").click();
    wait_for(&mut h, &format!("Run {b}"));
    assert!(h.query_by_label(&format!("Run {a}")).is_some());
    assert!(h.query_by_label_contains("2 saved check(s)").is_some());
    // The timeline: the relay address, its verdict per run, the key change marked; the plot's
    // legend names the relay address too.
    let relay = "mx1.agency.example 192.0.2.25:25";
    assert_eq!(h.query_all_by_label(relay).count(), 2);
    assert!(
        h.query_by_label_contains("Days to certificate expiry")
            .is_some()
    );
    assert!(h.query_by_label("pass").is_some());
    assert!(h.query_by_label("fail, new key").is_some());
    assert_eq!(h.state().history_tab().loaded().unwrap().runs.len(), 2);
    assert!(h.query_by_label_contains("Pick two runs (click").is_some());
    let findings_labels = h.query_all_by_label("Findings").count();

    // Pick both runs: what changed, in words, grouped by relay address.
    h.get_by_label(&format!("Run {a}")).click();
    h.run();
    assert!(h.query_by_label("Pick one more run.").is_some());
    h.get_by_label(&format!("Run {b}")).click();
    h.run();
    assert!(
        h.query_by_label_contains("4 change(s), 4 regression(s)")
            .is_some(),
        "key, DANE, verdict and a finding changed"
    );
    assert!(
        h.query_by_label_contains("key changed (leaf SPKI aa -> bb), TLSA no longer matches")
            .is_some()
    );
    assert!(h.query_by_label("DANE valid -> fail").is_some());
    assert_eq!(h.query_all_by_label("WORSE").count(), 4);
    // Grouped: the relay address and "Findings" head their changes (and name timeline rows).
    assert_eq!(h.query_all_by_label(relay).count(), 3);
    assert_eq!(
        h.query_all_by_label("Findings").count(),
        findings_labels + 1
    );
    assert!(
        h.query_by_label_contains("new finding: error PROBE-025")
            .is_some()
    );
    // Unpick one: the diff goes.
    h.get_by_label(&format!("Run {a}")).click();
    h.run();
    assert!(
        h.query_by_label_contains("TLSA no longer matches")
            .is_none()
    );
}

#[test]
fn with_no_history_database_the_tab_says_so_and_runs_are_not_saved() {
    let (mut h, mut w) = harness_on(secmx::ui::EXAMPLE_LEVEL2);
    h.run();
    h.get_by_label("History").click();
    h.run();
    assert!(h.query_by_label_contains("keeps no history").is_some());
    h.key_press(eframe::egui::Key::F5);
    h.run_steps(3);
    let Some(Command::Check { history, .. }) = w.drain_commands().pop() else {
        panic!("no check sent");
    };
    assert_eq!(history, None);
}

#[test]
fn a_check_is_saved_to_the_history_unless_turned_off() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.sqlite");
    let (mut h, mut w) = harness_on(secmx::ui::EXAMPLE_LEVEL2);
    h.state_mut().set_history_path(Some(db.clone()));
    h.run();
    h.key_press(eframe::egui::Key::F5);
    h.run_steps(3);
    let Some(Command::Check { history, .. }) = w.drain_commands().pop() else {
        panic!("no check sent");
    };
    assert_eq!(history.as_deref(), Some(db.as_path()));
    h.get_by_label("History").click();
    wait_for(&mut h, "No saved checks of agency.example yet");
    h.get_by_label("Keep a history of checks").click();
    h.run();
    h.key_press(eframe::egui::Key::F5);
    h.run_steps(3);
    let Some(Command::Check { history, .. }) = w.drain_commands().pop() else {
        panic!("no check sent");
    };
    assert_eq!(history, None, "turned off: not saved");
}

#[test]
fn the_rollover_plan_shows_above_the_probe_grid_and_dates_from_the_run() {
    let cur = "3 1 1 e505c1454875f25382b6a2fa6c2a5d5f1fbac90dae476144cfc069f525007f61";
    let next = "3 1 1 bb577cbb04839fed100013389ad3c6d4ee1a858d4904c2c696b595584169ee5f";
    let toml = secmx::ui::EXAMPLE_LEVEL2.replacen(
        &format!("tlsa = [\"{cur}\", \"{next}\"]"),
        &format!("tlsa = [\"{cur}\", \"{next}\"]\nnext_tlsa = [\"{next}\"]"),
        1,
    );
    assert_ne!(toml, secmx::ui::EXAMPLE_LEVEL2);
    let (mut h, mut w) = harness_on(&toml);
    h.run();
    h.get_by_label("Probe grid").click();
    h.run();
    // Before any check: the design's own plan.
    assert!(h.query_by_label("Key rollover plan").is_some());
    assert!(
        h.query_by_label("_25._tcp.mx1.agency.example (TTL 3600 s)")
            .is_some()
    );
    assert!(h.query_by_label(&format!("now: publish {next}")).is_some());
    assert!(
        h.query_by_label("after 2×TTL (7200 s) from publication: switch the key")
            .is_some()
    );
    assert!(
        h.query_by_label(&format!("after the switch + 2×TTL: remove {cur}"))
            .is_some()
    );

    // A check finds both records published (secure); the history first saw the next one at t:
    // the plan says when to switch.
    h.key_press(eframe::egui::Key::F5);
    h.run_steps(3);
    let Some(Command::Check { run, design, .. }) = w.drain_commands().pop() else {
        panic!("no check sent");
    };
    let rrset = secmx::resolve::RRset {
        name: "_25._tcp.mx1.agency.example.".into(),
        rtype: "TLSA".into(),
        records: vec![cur.into(), next.into()],
        ttl: Some(600),
        dnssec: secmx::resolve::Dnssec::Secure,
        status: secmx::resolve::Status::Ok,
        cname: None,
        detail: None,
        ms: 1.0,
        answers: vec![],
    };
    let published =
        secmx::resolve::Published::from_rrsets("agency.example", "_secmx", vec![rrset], 1);
    let plan = secmx::live::LivePlan::for_design((*design).clone(), None);
    let mut report = secmx::live::judge(&plan, Some(published), None, false);
    let t = 1_764_000_000; // 2025-11-24 16:00 UTC
    report.date_rollover(&design, &|_, r| (r == next).then_some(t));
    w.results
        .send(Event {
            run,
            body: EventBody::Report(Box::new(report)),
        })
        .unwrap();
    w.results
        .send(Event {
            run,
            body: EventBody::Finished { cancelled: false },
        })
        .unwrap();
    h.run_steps(3);
    assert!(
        h.query_by_label_contains(
            "after 2025-11-24 16:20 UTC: switch the key (2×TTL from when the next record was first seen, 2025-11-24 16:00 UTC)"
        )
        .is_some()
    );
    assert!(h.query_by_label(&format!("now: publish {next}")).is_none());
}

/// A leaf certificate for mx1.agency.example under a test CA ("Button CA"), written to `dir` as
/// the leaf alone and as leaf + CA, with the `3 1 1` record of the leaf key and the `2 1 1` of the CA.
struct TestChain {
    leaf_only: std::path::PathBuf,
    chain: std::path::PathBuf,
    ee: String,
    ta: String,
}

impl TestChain {
    fn write(dir: &std::path::Path) -> Self {
        use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair, PublicKeyData};
        let ca_key = KeyPair::generate().unwrap();
        let mut ca_p = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_p.distinguished_name
            .push(rcgen::DnType::CommonName, "Button CA");
        let ca = ca_p.self_signed(&ca_key).unwrap();
        let issuer = Issuer::new(ca_p, ca_key);
        let key = KeyPair::generate().unwrap();
        let mut p = CertificateParams::new(vec!["mx1.agency.example".to_string()]).unwrap();
        p.distinguished_name
            .push(rcgen::DnType::CommonName, "mx1.agency.example");
        let leaf = p.signed_by(&key, &issuer).unwrap();
        let (leaf_only, chain) = (dir.join("leaf.pem"), dir.join("chain.pem"));
        std::fs::write(&leaf_only, leaf.pem()).unwrap();
        std::fs::write(&chain, format!("{}{}", leaf.pem(), ca.pem())).unwrap();
        let spki =
            |k: &dyn PublicKeyData| secmx::tlsagen::spki_sha256(&k.subject_public_key_info());
        TestChain {
            leaf_only,
            chain,
            ee: format!("3 1 1 {}", spki(&key)),
            ta: format!("2 1 1 {}", spki(issuer.key())),
        }
    }
}

#[test]
fn tlsa_from_a_file_goes_into_the_relay_undoably_and_a_chain_without_its_issuer_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let TestChain {
        leaf_only,
        chain,
        ee,
        ta,
    } = TestChain::write(dir.path());

    let dialogs = secmx::ui::dialogs::ScriptedDialogs::new([Some(leaf_only), Some(chain)]);
    let (mut h, _w) = harness_with(secmx::ui::EXAMPLE_LEVEL2, dialogs);
    h.run();
    let before = h.state().draft().relays[0].tlsa.clone();
    // The leaf alone: refused, with the reason; nothing changes.
    h.get_by_label("TLSA from certificate/key/CSR file…")
        .scroll_to_me();
    h.run();
    h.get_by_label("TLSA from certificate/key/CSR file…")
        .click();
    h.run();
    assert_eq!(h.state().draft().relays[0].tlsa, before);
    let last = h.state().notices().last().unwrap().text.clone();
    assert!(
        last.contains("its issuer (CN=Button CA) is not in it"),
        "{last}"
    );
    // The chain: 3 1 1 for the leaf key and 2 1 1 for the issuer, straight into the relay.
    h.get_by_label("TLSA from certificate/key/CSR file…")
        .scroll_to_me();
    h.run();
    h.get_by_label("TLSA from certificate/key/CSR file…")
        .click();
    h.run();
    let now = h.state().draft().relays[0].tlsa.clone();
    assert_eq!(now, format!("{before}\n{ee}\n{ta}"));
    assert!(h.state().is_dirty());
    assert!(h.state().design().relays[0].tlsa.contains(&ee));
    // One undoable step.
    h.state_mut().undo();
    h.run();
    assert_eq!(h.state().draft().relays[0].tlsa, before);

    // From the live relay before any check: says what to do, changes nothing.
    h.get_by_label("TLSA from the live relay").scroll_to_me();
    h.run();
    h.get_by_label("TLSA from the live relay").click();
    h.run();
    let last = h.state().notices().last().unwrap().text.clone();
    assert!(last.contains("no check has run yet"), "{last}");
    assert_eq!(h.state().draft().relays[0].tlsa, before);
}

/// The next key of a rollover is edited in the relay (issue 12 follow-up): typed into its own
/// field or computed from a PEM file, it reaches the design's `next_tlsa`, TLSA-017 asks for it to
/// be published beside the current record until it is in the relay's TLSA list, and Undo takes it
/// back.
#[test]
fn the_next_keys_tlsa_is_edited_in_the_relay_and_published_beside_the_current_one() {
    let dir = tempfile::tempdir().unwrap();
    let TestChain { chain, ee, .. } = TestChain::write(dir.path());

    let dialogs = secmx::ui::dialogs::ScriptedDialogs::new([Some(chain)]);
    let (mut h, _w) = harness_with(secmx::ui::EXAMPLE_LEVEL2, dialogs);
    h.run();
    let current = h.state().draft().relays[0].tlsa.clone();
    let next_before = h.state().draft().relays[0].next.tlsa.clone();
    assert!(!h.state().zone_text().contains(&ee[6..]));

    // From a file: into the next key's list, not the current one.
    // Below the relay's fields: scroll there as a user would, then click.
    h.get_by_label("Next key TLSA from file…").scroll_to_me();
    h.run();
    h.get_by_label("Next key TLSA from file…").click();
    h.run();
    let next = h.state().draft().relays[0].next.tlsa.clone();
    assert!(
        next.contains(&ee),
        "{next} / {:?}",
        h.state().notices().last().map(|n| n.text.clone())
    );
    assert_eq!(h.state().draft().relays[0].tlsa, current);
    assert!(h.state().design().relays[0].next_tlsa.contains(&ee));
    assert!(!h.state().design().relays[0].tlsa.contains(&ee));
    let last = h.state().notices().last().unwrap().text.clone();
    assert!(last.contains("Added to the next key"), "{last}");
    // Declared but not yet published: TLSA-017 says so, for mx1, naming the record.
    // Multi-line inputs: focus, select all, type (as a user would).
    let retype_multiline = |h: &mut Harness<'static, App>, label: &str, text: &str| {
        use eframe::egui::{Key, Modifiers, accesskit::Role::MultilineTextInput};
        h.get_by_role_and_label(MultilineTextInput, label)
            .scroll_to_me();
        h.run();
        h.get_by_role_and_label(MultilineTextInput, label).focus();
        h.run();
        h.key_press_modifiers(Modifiers::COMMAND, Key::A);
        h.run();
        h.get_by_role_and_label(MultilineTextInput, label)
            .type_text(text);
        h.run();
    };
    let tlsa_017 = |h: &Harness<'static, App>| -> Vec<String> {
        h.state()
            .findings()
            .iter()
            .filter(|f| f.rule == "TLSA-017")
            .map(|f| format!("{} {}", f.subject, f.message))
            .collect()
    };
    let f = tlsa_017(&h);
    assert!(
        f.iter()
            .any(|m| m.starts_with("_25._tcp.mx1.agency.example") && m.contains(&ee)),
        "{f:?}"
    );
    h.state_mut().undo();
    h.run();
    assert_eq!(h.state().draft().relays[0].next.tlsa, next_before);
    assert!(!h.state().design().relays[0].next_tlsa.contains(&ee));

    // Typed: one record per line, blank lines ignored.
    let typed = format!("{}\n\n", "3 1 1 ".to_string() + &"ab".repeat(32));
    retype_multiline(&mut h, "Next key TLSA (rollover)", &typed);
    assert_eq!(
        h.state().design().relays[0].next_tlsa,
        vec![format!("3 1 1 {}", "ab".repeat(32))]
    );
    assert_eq!(h.state().draft().relays[0].tlsa, current);
    assert!(!tlsa_017(&h).is_empty());
    // Published beside the current one: TLSA-017 is satisfied and the zone carries it.
    let both = format!("{current}\n3 1 1 {}", "ab".repeat(32));
    retype_multiline(&mut h, "TLSA records", &both);
    assert!(tlsa_017(&h).is_empty(), "{:?}", tlsa_017(&h));
    assert!(h.state().zone_text().contains(&"ab".repeat(32)));
}

/// The history behind the README's History-tab picture (`tests/shoot-history.sh`): six checks of
/// the Level 2 example a week apart, judged like real runs from probe facts, written to
/// `$SECMX_SHOT_HISTORY`: mx1's certificate renewed with its next key (a record still matches),
/// then sor1's key replaced without its record (DANE fails), then fixed.
#[test]
#[ignore = "writes the screenshot's history; run by tests/shoot-history.sh"]
fn shoot_history_db() {
    use secmx::probe::dane::DaneVerdict;
    use secmx::probe::report::CertificateFacts;
    use secmx::probe::tls::{CertInfo, Pkix};
    use secmx::probe::{ProbeFacts, ProbeReport, ProbeTarget, Verdict};
    let Some(path) = std::env::var_os("SECMX_SHOT_HISTORY") else {
        return;
    };
    let design = secmx::project::parse_design(secmx::ui::EXAMPLE_LEVEL2, "level2").unwrap();
    let mut hist = secmx::history::History::open(std::path::Path::new(&path), true).unwrap();
    let day = 86_400;
    let t0 = 1_764_000_000 - 35 * day;
    // (expiry day of each host's leaf, counted from t0; key generation per host) per run.
    for run in 0..6i64 {
        let now = t0 + run * 7 * day;
        let mut reports = Vec::new();
        for r in &design.relays {
            let (expires, generation, fails) = match r.host.as_str() {
                "mx1.agency.example" if run >= 2 => (110, 2, false),
                "mx1.agency.example" => (20, 1, false),
                "mx2.agency.example" => (75, 1, false),
                "sor1.agency.example" if run == 3 || run == 4 => (95, 2, true),
                "sor1.agency.example" if run >= 5 => (95, 3, false),
                "sor1.agency.example" => (50, 1, false),
                _ => (150, 1, false),
            };
            for a in &r.addresses {
                let t = ProbeTarget::new(r.host.clone(), *a, r.port as u16, r.role);
                let mut p = ProbeReport::new(&t);
                let spki =
                    secmx::tlsagen::spki_sha256(format!("{}{generation}", r.host).as_bytes());
                let leaf = CertInfo {
                    subject: format!("CN={}", r.host),
                    sans: vec![r.host.clone()],
                    issuer: "CN=Agency CA".into(),
                    not_before: String::new(),
                    not_after: String::new(),
                    not_after_unix: t0 + expires * day,
                    key: "EC P-256".into(),
                    key_bits: 256,
                    signature_algorithm: "ecdsa-with-SHA256".into(),
                    sha256: format!("{spki}c{generation}"),
                    spki_sha256: spki,
                    self_issued: false,
                };
                p.certificate = Some(CertificateFacts {
                    subject: leaf.subject.clone(),
                    sans: leaf.sans.clone(),
                    issuer: leaf.issuer.clone(),
                    not_before: String::new(),
                    not_after: String::new(),
                    key: leaf.key.clone(),
                    pkix: Pkix::Valid,
                    pkix_error: None,
                    intermediates_missing: false,
                    chain: vec![leaf],
                });
                p.dane = if fails {
                    DaneVerdict::Fail
                } else {
                    DaneVerdict::Valid
                };
                p.verdict = if fails { Verdict::Fail } else { Verdict::Pass };
                reports.push(p);
            }
        }
        let plan = secmx::live::LivePlan::for_design(design.clone(), None);
        let report = secmx::live::judge(
            &plan,
            None,
            Some(ProbeFacts {
                reports,
                policy: None,
            }),
            false,
        );
        let v = serde_json::to_value(&report).unwrap();
        hist.save(&v, now, &json!({"window": true})).unwrap();
    }
}

#[test]
fn a_corrupt_history_is_reported_in_the_tab_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("history.sqlite");
    std::fs::write(&db, b"not a database, just some text here").unwrap();
    let (mut h, _w) = harness_on(secmx::ui::EXAMPLE_LEVEL2);
    h.state_mut().set_history_path(Some(db.clone()));
    h.run();
    h.get_by_label("History").click();
    wait_for(&mut h, "not a SQLite database");
    // Read once: no new attempt at every frame until asked (Reload).
    h.run_steps(5);
    assert!(h.query_by_label_contains("not a SQLite database").is_some());
    assert!(h.state().history_tab().loaded().is_none());
    assert_eq!(
        std::fs::read(&db).unwrap(),
        b"not a database, just some text here"
    );
}
