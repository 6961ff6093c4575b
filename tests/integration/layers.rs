//! The house's layers, held by a test: every `crate::<module>` path in the library's non-test code
//! must point down the layers below, never up. An upward use fails here: there is none left.
//!
//! ```text
//! model ← rules, tlsagen, history ← zone ← project, resolve ← probe ← live, event ← worker, cli ← ui
//! ```
//!
//! Every top-level module has a rank: a new one fails `every_module_has_a_rank` until it is placed.

use std::collections::BTreeSet;
use std::path::Path;

/// Rank of each top-level module: a module may use modules of a lower rank only.
const RANKS: &[(&str, u8)] = &[
    ("model", 0),
    ("rules", 1),
    ("tlsagen", 1),
    ("history", 1),
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

/// The text before the first `#[cfg(test)]` that opens an inline module (`mod tests {`); a
/// `#[cfg(test)] mod testkit;` declaration does not end the scan (the code after it is not test code).
fn non_test(text: &str) -> &str {
    let mut at = 0;
    while let Some(i) = text[at..].find("#[cfg(test)]") {
        let start = at + i;
        let next = text[start + "#[cfg(test)]".len()..]
            .lines()
            .map(str::trim)
            .find(|l| !(l.is_empty() || l.starts_with("//") || l.starts_with("#[")))
            .unwrap_or_default();
        if next.contains("mod ") && next.trim_end().ends_with('{') {
            return &text[..start];
        }
        at = start + 1;
    }
    text
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
        let code = non_test(&text);
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
        if b >= a {
            upward.push(format!("{from} -> {to}"));
        }
    }
    assert!(
        upward.is_empty(),
        "upward uses (a module may only use the layers below it): {upward:?}"
    );
}

#[test]
fn every_module_has_a_rank() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut unranked = Vec::new();
    for e in std::fs::read_dir(&src).expect("src dir").flatten() {
        let name = e
            .file_name()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        if matches!(name.as_str(), "lib" | "main") {
            continue;
        }
        if rank(&name).is_none() {
            unranked.push(name);
        }
    }
    assert!(
        unranked.is_empty(),
        "top-level modules without a layer rank: {unranked:?}"
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
