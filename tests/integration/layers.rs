//! The house's layers, held by a test: every `crate::<module>` path in the library's non-test code
//! must point down the layers below, never up. A new upward use fails here; the few upward uses
//! still to cut are listed by name in `KNOWN`, so the list can only shrink.
//!
//! ```text
//! model ← rules ← zone ← project, resolve ← probe ← live, event ← worker, cli ← ui
//! ```

use std::collections::BTreeSet;
use std::path::Path;

/// Rank of each top-level module: a module may use modules of a lower rank only.
const RANKS: &[(&str, u8)] = &[
    ("model", 0),
    ("rules", 1),
    ("zone", 2),
    ("project", 3),
    ("resolve", 3),
    ("probe", 4),
    ("live", 5),
    ("event", 6),
    ("worker", 7),
    ("cli", 7),
    ("ui", 8),
];

/// Upward uses not cut yet, each with what cutting it takes.
const KNOWN: &[(&str, &str, &str)] = &[
    (
        "rules",
        "probe",
        "the probe facts (ProbeReport, PolicyFetch, …) the rules read are to become model types",
    ),
    (
        "rules",
        "resolve",
        "the DNS facts (Published, RRset, Dnssec, Status) the rules read are to become model types",
    ),
    (
        "resolve",
        "event",
        "the DNS engine still streams crate::event::Event; it is to take a sink of DnsEvents like the probe",
    ),
    (
        "live",
        "event",
        "the pipeline wraps engine events into the run's Event; the wrapping is to move to worker/cli",
    ),
];

fn rank(m: &str) -> Option<u8> {
    RANKS.iter().find(|(n, _)| *n == m).map(|(_, r)| *r)
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).expect("src dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Every (from, to) edge of non-test, non-comment code.
fn edges() -> BTreeSet<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut out = BTreeSet::new();
    for f in files {
        let rel = f.strip_prefix(&src).expect("under src");
        let top = rel
            .components()
            .next()
            .and_then(|c| c.as_os_str().to_str())
            .unwrap_or_default()
            .trim_end_matches(".rs")
            .to_string();
        if matches!(top.as_str(), "lib" | "main") {
            continue;
        }
        let text = std::fs::read_to_string(&f).expect("read");
        if text.contains("#![cfg(test)]") {
            continue; // a test-only module
        }
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
            for (i, _) in line.match_indices("crate::") {
                let rest = &line[i + "crate::".len()..];
                let m: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if rank(&m).is_some() && m != top {
                    out.insert((top.clone(), m));
                }
            }
        }
    }
    out
}

#[test]
fn no_module_uses_a_layer_above_it() {
    let all = edges();
    assert!(
        all.contains(&("live".into(), "probe".into())),
        "the scan finds edges: {all:?}"
    );
    let mut upward = Vec::new();
    for (from, to) in &all {
        let (Some(a), Some(b)) = (rank(from), rank(to)) else {
            continue;
        };
        if b >= a && !KNOWN.iter().any(|(f, t, _)| f == from && t == to) {
            upward.push(format!("{from} -> {to}"));
        }
    }
    assert!(
        upward.is_empty(),
        "upward uses (a module may only use the layers below it): {upward:?}"
    );
    // A known edge that is gone must leave the list, so the list only shrinks.
    let stale: Vec<_> = KNOWN
        .iter()
        .filter(|(f, t, _)| !all.contains(&(f.to_string(), t.to_string())))
        .collect();
    assert!(
        stale.is_empty(),
        "cut already, remove from KNOWN: {stale:?}"
    );
}

#[test]
fn egui_stays_in_the_window() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    for f in files {
        let rel = f.strip_prefix(&src).expect("under src");
        if rel.starts_with("ui") || rel == Path::new("main.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&f).expect("read");
        for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
            assert!(
                !(line.contains("egui") || line.contains("eframe") || line.contains("rfd::")),
                "{}: egui outside src/ui: {line}",
                rel.display()
            );
        }
    }
}
