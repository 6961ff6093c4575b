#![cfg(test)]
//! Findings snapshots: the findings (and the records and zone text) of the shipped examples, the test
//! designs and generated designs, checked in as readable text under `tests/snapshots/`. A change in
//! any rule's output shows as a line diff. `SECMX_UPDATE_SNAPSHOTS=1 cargo test --lib snapshots`
//! rewrites the files after a deliberate change; review them with `git diff tests/snapshots`.
//!
//! Small designs are snapshotted whole. Generated designs (3,000–10,000 relays) are summarised to keep
//! the files small: the count of findings per rule and severity, the first and last findings of every
//! rule, the count of records per type with the first and last records, and the head of the zone text.
//! `SECMX_SNAPSHOT_DUMP=<dir>` also writes their full text there, to compare two runs by hand.

use super::{Finding, Needs, Prepared, Summary, run};
use crate::model::sample::generated_design;
use crate::model::{Design, Level, Profile};
use crate::zone::{ExportOptions, export_zone, records_of};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn snapshot_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots")
}

fn finding_line(f: &Finding) -> String {
    format!(
        "{} | {} | {} | {} | fix: {} | origin: {:?} | {}",
        f.rule, f.severity, f.subject, f.message, f.fix, f.origin, f.source
    )
}

/// Lint `d`; `lint` must agree with each static rule run by hand over the same input.
fn findings_of(d: &Design) -> Vec<Finding> {
    let findings = super::lint(d);
    let prepared = Prepared::from_design(d);
    let input = prepared.input(d);
    let mut sequential = Vec::new();
    for r in super::registry().filter(|r| r.needs == Needs::Static) {
        if let Some(c) = r.check {
            c(r, &crate::rules::Facts::new(input), &mut sequential);
        }
    }
    super::sort_findings(&mut sequential);
    assert_eq!(findings, sequential);
    assert_eq!(findings, run(&input, &[Needs::Static]));
    findings
}

fn zones(d: &Design, findings: &[Finding]) -> (String, String) {
    let summary = Some(Summary::of(findings));
    let zone = export_zone(
        d,
        &ExportOptions {
            summary,
            ..ExportOptions::default()
        },
    );
    let relative = export_zone(
        d,
        &ExportOptions {
            relative: true,
            summary,
            ..ExportOptions::default()
        },
    );
    (zone, relative)
}

/// The whole text of a small design: every finding, every record, both zone texts.
fn full_text(d: &Design) -> String {
    let findings = findings_of(d);
    let mut s = String::new();
    let _ = writeln!(s, "## findings ({})", findings.len());
    for f in &findings {
        let _ = writeln!(s, "{}", finding_line(f));
    }
    let records = records_of(d);
    let _ = writeln!(s, "\n## records ({})", records.len());
    for r in records.iter() {
        let _ = writeln!(s, "{r:?}");
    }
    let (zone, relative) = zones(d, &findings);
    let _ = writeln!(s, "\n## zone\n{zone}\n## zone, relative names\n{relative}");
    s
}

/// A summary of a big design's text (see the module documentation).
fn summary_text(name: &str, d: &Design) -> String {
    const PER_RULE_HEAD: usize = 3;
    const RECORDS_HEAD: usize = 30;
    const ZONE_HEAD: usize = 60;
    let findings = findings_of(d);
    let mut s = String::new();
    let summary = Summary::of(&findings);
    let _ = writeln!(
        s,
        "## findings: {} ({} errors, {} warnings, {} infos)",
        findings.len(),
        summary.errors,
        summary.warnings,
        summary.infos
    );
    let mut per_rule: BTreeMap<(&str, String), Vec<&Finding>> = BTreeMap::new();
    for f in &findings {
        per_rule
            .entry((f.rule, f.severity.to_string()))
            .or_default()
            .push(f);
    }
    for ((rule, sev), list) in &per_rule {
        let _ = writeln!(s, "{rule} {sev}: {}", list.len());
    }
    let _ = writeln!(s, "\n## first and last findings of each rule");
    for list in per_rule.values() {
        let n = list.len();
        for (i, f) in list.iter().enumerate() {
            if i < PER_RULE_HEAD || i + 1 == n {
                if i == n - 1 && n > PER_RULE_HEAD + 1 {
                    let _ = writeln!(s, "  … {} more", n - PER_RULE_HEAD - 1);
                }
                let _ = writeln!(s, "{}", finding_line(f));
            }
        }
    }
    let records = records_of(d);
    let mut per_type: BTreeMap<String, usize> = BTreeMap::new();
    for r in records.iter() {
        *per_type.entry(r.data.rtype().to_string()).or_default() += 1;
    }
    let _ = writeln!(s, "\n## records: {}", records.len());
    for (t, n) in &per_type {
        let _ = writeln!(s, "{t}: {n}");
    }
    let n = records.len();
    for (i, r) in records.iter().enumerate() {
        if i < RECORDS_HEAD || i + 3 >= n {
            let _ = writeln!(s, "{i}: {r:?}");
        }
    }
    let (zone, relative) = zones(d, &findings);
    for (title, z) in [("zone", &zone), ("zone, relative names", &relative)] {
        let _ = writeln!(
            s,
            "\n## {title}: {} lines, {} bytes; the first {ZONE_HEAD} lines",
            z.lines().count(),
            z.len()
        );
        for line in z.lines().take(ZONE_HEAD) {
            let _ = writeln!(s, "{line}");
        }
    }
    if let Ok(dir) = std::env::var("SECMX_SNAPSHOT_DUMP") {
        let mut all = String::new();
        for f in &findings {
            let _ = writeln!(all, "{}", finding_line(f));
        }
        for r in records.iter() {
            let _ = writeln!(all, "{r:?}");
        }
        all.push_str(&zone);
        all.push_str(&relative);
        let _ = std::fs::write(format!("{dir}/{name}.txt"), all);
    }
    s
}

/// Compare `got` with the checked-in snapshot `name`, or rewrite it under `SECMX_UPDATE_SNAPSHOTS=1`.
/// Returns a readable difference when they differ.
fn check(name: &str, got: &str) -> Option<String> {
    let path = snapshot_dir().join(format!("{name}.txt"));
    if std::env::var_os("SECMX_UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(snapshot_dir()).expect("snapshot dir");
        std::fs::write(&path, got).expect("write snapshot");
        return None;
    }
    let want = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            return Some(format!(
                "{}: {e} (SECMX_UPDATE_SNAPSHOTS=1 writes it)",
                path.display()
            ));
        }
    };
    if want == got {
        return None;
    }
    Some(line_diff(&path, &want, got))
}

/// A line diff: the lines only in the snapshot (`-`) and only in the new output (`+`), with their
/// line numbers, after skipping the common head and tail; at most 60 lines of each.
fn line_diff(path: &Path, want: &str, got: &str) -> String {
    let w: Vec<&str> = want.lines().collect();
    let g: Vec<&str> = got.lines().collect();
    let head = w.iter().zip(&g).take_while(|(a, b)| a == b).count();
    let tail = w[head..]
        .iter()
        .rev()
        .zip(g[head..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let mut s = format!(
        "{} differs (SECMX_UPDATE_SNAPSHOTS=1 rewrites it after a deliberate change):\n",
        path.display()
    );
    for (i, l) in w[head..w.len() - tail].iter().enumerate().take(60) {
        let _ = writeln!(s, "-{:>6}: {l}", head + i + 1);
    }
    for (i, l) in g[head..g.len() - tail].iter().enumerate().take(60) {
        let _ = writeln!(s, "+{:>6}: {l}", head + i + 1);
    }
    s
}

fn design_files() -> Vec<(String, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for (prefix, dir) in [("example", "assets/examples"), ("test", "tests/data")] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
            .expect("design dir")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.to_string_lossy().ends_with(".secmx.toml"))
            .collect();
        files.sort();
        for p in files {
            let stem = p
                .file_name()
                .map(|n| {
                    n.to_string_lossy()
                        .trim_end_matches(".secmx.toml")
                        .to_string()
                })
                .unwrap_or_default();
            out.push((format!("{prefix}-{stem}"), p));
        }
    }
    out
}

#[test]
fn snapshots_of_the_examples_and_test_designs_match() {
    let files = design_files();
    assert!(files.len() >= 7, "{files:?}");
    let mut diffs = Vec::new();
    for (name, path) in files {
        // A design the loader refuses (a test of the loader's messages) is snapshotted as its error.
        let text = match crate::project::load_design(&path) {
            Ok(d) => full_text(&d),
            Err(e) => format!(
                "## refused by the loader\n{}\n",
                e.to_string()
                    .replace(concat!(env!("CARGO_MANIFEST_DIR"), "/"), "")
            ),
        };
        diffs.extend(check(&name, &text));
    }
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}

#[test]
fn snapshots_of_generated_designs_match() {
    let mut diffs = Vec::new();
    for (name, d) in variants() {
        let name = format!("generated-{name}");
        let text = summary_text(&name, &d);
        diffs.extend(check(&name, &text));
    }
    // A small generated design, whole.
    diffs.extend(check("generated-5", &full_text(&generated_design(5))));
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}

fn variants() -> Vec<(&'static str, Design)> {
    let plain = generated_design(10_000);
    let mut public = plain.clone();
    public.test_domain = false; // MX-005/006 fire per relay
    let mut sge = public.clone();
    sge.profile = Profile::Sge;
    sge.level = Level::L1;
    if let Some(s) = sge.mta_sts.as_mut() {
        s.id = None; // derived id
    }
    vec![
        ("plain", plain),
        ("public", public),
        ("sge-l1", sge),
        ("messy", messy()),
    ]
}

/// A 3,000-relay design with many kinds of mistakes, so that most rules have findings to compare.
fn messy() -> Design {
    use std::net::{IpAddr, Ipv4Addr};
    let mut d = generated_design(3_000);
    d.test_domain = false;
    for i in 0..d.relays.len() {
        let prev = if i > 0 {
            d.relays[i - 1].host.clone()
        } else {
            String::new()
        };
        let r = &mut d.relays[i];
        match i % 41 {
            0 => r.host = format!("_bad{i}.bench.example"),
            1 => r.host = format!("mx{i}.other.example"),
            2 => r.tlsa = vec!["3 1 1 zz".into(), "garbage".into()],
            3 => r.host = prev,
            4 => r.host = format!("mx{i}.pōhi.bench.example"),
            5 => r.addresses.clear(),
            6 => {
                r.port = 0;
                r.preference = 70_000;
                r.priority = -1;
            }
            7 => r.host = format!("mx{i}.bench.example.bench.example"),
            8 => r.tlsa = vec!["2 0 1 ab".into(), "3 1 2 abcd".into()],
            9 => r.host = format!("mx{i}.bench.123"),
            10 => r.host = format!("ab--{i}.bench.example"),
            11 => r.host = format!("xn--zz{i}.bench.example"),
            12 => r.addresses = vec![IpAddr::V4(Ipv4Addr::new(8, 8, 8, 8))],
            13 => r.also_srv = true,
            14 => r.tlsa.clear(),
            15 => r.host = format!("{}.bench.example", "x".repeat(70)),
            16 => r.port = 587,
            17 => r.weight = 5,
            18 => r.host = "bench.example".into(),
            19 => r.addresses.push(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 1))),
            _ => {}
        }
    }
    if let Some(s) = d.mta_sts.as_mut() {
        s.mx = vec!["*.bench.example".into(), "mx5.bench.example".into()];
        s.max_age = 60;
    }
    d.sge = Some(crate::model::SgeTexts {
        spf: Some("v=spf1 -all".into()),
        dmarc: Some("v=DMARC1; p=none".into()),
        dkim_selectors: vec![],
    });
    d.profile = Profile::Sge;
    d
}
