//! SGE-005 end to end: a signed zone on a private NSD publishes the DKIM key records of an SGE
//! design's selectors — s1 a 2048-bit RSA key (split over two TXT strings, as a key that long must
//! be), s2 revoked (`p=`), s3 absent — and `secmx check DESIGN` reports s2 and s3, not s1.

use super::dns::nsd::{self, Sign, Zone};
use std::process::Command;

/// A 2048-bit RSA SubjectPublicKeyInfo, base64 (generated once with openssl; see src/rules/dkim.rs).
const RSA2048: &str = include_str!("../data/dkim/rsa2048.b64");

#[test]
fn check_design_judges_every_dkim_selector() {
    let key = format!("v=DKIM1; k=rsa; p={}", RSA2048.trim());
    let (a, b) = key.split_at(200);
    let ns = nsd::start(
        &[Zone::new(
            "dkim.test",
            Sign::Yes,
            &format!(
                "@ MX 10 mx1\nmx1 A 127.0.0.1\ns1._domainkey TXT \"{a}\" \"{b}\"\ns2._domainkey TXT \"v=DKIM1; k=rsa; p=\"\n"
            ),
        )],
        &[],
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let design = dir.path().join("dkim.secmx.toml");
    std::fs::write(
        &design,
        r#"format = 1
domain = "dkim.test"
level = 1
profile = "sge"
test_domain = true

[[relay]]
host = "mx1.dkim.test"
role = "ber"
addresses = ["127.0.0.1"]

[sge]
spf = "v=spf1 mx -all"
dkim_selectors = ["s1", "s2", "s3"]
"#,
    )
    .expect("write design");

    let out = Command::new(env!("CARGO_BIN_EXE_secmx"))
        .arg("check")
        .arg(&design)
        .arg("--resolver")
        .arg(ns.addr().to_string())
        .arg("--trust-anchor")
        .arg(&ns.anchor)
        .args(["--no-probe", "--format", "json"])
        .output()
        .expect("run secmx");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {stdout}\nstderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert_eq!(out.status.code(), Some(1), "errors were found: {stdout}");

    // The plan asked every selector's key record, through the signed chain.
    let rrsets = v["dns"]["rrsets"].as_array().expect("rrsets");
    let asked = |sel: &str| {
        rrsets
            .iter()
            .find(|s| s["name"] == format!("{sel}._domainkey.dkim.test.") && s["type"] == "TXT")
            .unwrap_or_else(|| panic!("{sel} was not asked: {stdout}"))
    };
    assert_eq!(asked("s1")["status"], "ok");
    assert_eq!(asked("s1")["dnssec"], "secure");
    assert_eq!(asked("s2")["status"], "ok");
    assert_eq!(asked("s3")["status"], "nxdomain");

    let dkim: Vec<&serde_json::Value> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "SGE-005")
        .collect();
    let about = |sel: &str| {
        dkim.iter()
            .filter(|f| f["subject"] == format!("{sel}._domainkey.dkim.test"))
            .collect::<Vec<_>>()
    };
    let s2 = about("s2");
    assert_eq!(s2.len(), 1, "{dkim:#?}");
    assert_eq!(s2[0]["severity"], "error");
    assert!(
        s2[0]["message"].as_str().unwrap_or("").contains("revoked"),
        "{s2:#?}"
    );
    let s3 = about("s3");
    assert_eq!(s3.len(), 1, "{dkim:#?}");
    assert_eq!(s3[0]["severity"], "error");
    assert!(
        s3[0]["message"].as_str().unwrap_or("").contains("nxdomain"),
        "{s3:#?}"
    );
    assert!(
        about("s1").is_empty(),
        "the 2048-bit key is fine: {dkim:#?}"
    );
    assert_eq!(dkim.len(), 2, "{dkim:#?}");

    // The keys are the mail system's: no other rule and no drift entry is about them.
    let others: Vec<&serde_json::Value> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] != "SGE-005")
        .filter(|f| f.to_string().contains("_domainkey"))
        .collect();
    assert!(others.is_empty(), "{others:#?}");
    let drift = v["dns"]["drift"].as_array().expect("drift");
    assert!(
        drift.iter().all(|d| !d.to_string().contains("_domainkey")),
        "{drift:#?}"
    );
}

/// The window edits the selectors (SGE section, "DKIM selectors") and its full check asks for
/// their key records.
#[cfg(feature = "gui")]
#[test]
fn the_window_edits_dkim_selectors_and_looks_them_up() {
    use eframe::egui::Key;
    use egui_kittest::kittest::Queryable;
    use secmx::worker::Command;
    let (mut h, mut w) = super::ui::harness();
    h.run();
    h.get_by_label("SGE (NZ)").click();
    h.run();
    let field = h.get_by_label("DKIM selectors");
    field.focus();
    h.run();
    h.get_by_label("DKIM selectors")
        .type_text("s1, S2\n2026.mail");
    h.run();
    let sge = h.state().design().sge.clone().expect("SGE settings");
    assert_eq!(sge.dkim_selectors, vec!["s1", "s2", "2026.mail"]);
    h.key_press(Key::F5);
    h.run_steps(3);
    let cmds = w.drain_commands();
    let Some(Command::Check { design, .. }) = cmds.last() else {
        panic!("expected a Check, got {cmds:?}");
    };
    // The run asks DNS for the key records of the design's selectors.
    let plan = secmx::live::LivePlan::for_design((**design).clone(), None).dns_plan();
    assert_eq!(plan.dkim_selectors, sge.dkim_selectors);
}
