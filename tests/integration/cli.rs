//! The `secmx` binary as a user runs it: the shipped examples lint clean, each broken twin reports the
//! rule ids it was broken for, exit codes follow the README, and export → named-checkzone →
//! import → export holds for every example.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_secmx"))
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) -> Output {
    bin()
        .args(args)
        .current_dir(root())
        .output()
        .expect("run secmx")
}

fn examples() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("assets/examples"))
        .expect("assets/examples")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.to_string_lossy().ends_with(".secmx.toml"))
        .collect();
    v.sort();
    assert!(v.len() >= 3, "three examples ship: {v:?}");
    v
}

fn rule_ids(json: &[u8]) -> Vec<(String, String)> {
    let v: serde_json::Value = serde_json::from_slice(json).expect("lint JSON");
    v["findings"]
        .as_array()
        .expect("findings array")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().expect("rule").to_string(),
                f["severity"].as_str().expect("severity").to_string(),
            )
        })
        .collect()
}

#[test]
fn examples_lint_without_errors() {
    for ex in examples() {
        let out = run(&["lint", ex.to_str().expect("utf-8 path"), "--format", "json"]);
        let ids = rule_ids(&out.stdout);
        let errors: Vec<_> = ids.iter().filter(|(_, s)| s == "error").collect();
        assert!(errors.is_empty(), "{}: {errors:?}", ex.display());
        assert_eq!(out.status.code(), Some(0), "{}", ex.display());
    }
}

#[test]
fn broken_twins_report_their_rules() {
    let cases: &[(&str, &[&str])] = &[
        (
            "tests/data/level1-broken.secmx.toml",
            &["NAME-003", "MX-004", "NAME-009", "MX-005", "MX-006"],
        ),
        (
            "tests/data/level2-broken.secmx.toml",
            &["SOR-001", "SRV-009", "TLSA-005", "STS-023", "RPT-003"],
        ),
        (
            "tests/data/sge-broken.secmx.toml",
            &[
                "STS-020", "SGE-002", "SGE-003", "SGE-004", "SGE-006", "XR-009",
            ],
        ),
    ];
    for (file, expected) in cases {
        let out = run(&["lint", file, "--format", "json"]);
        assert_eq!(out.status.code(), Some(1), "{file} must exit 1");
        let ids = rule_ids(&out.stdout);
        for id in *expected {
            assert!(
                ids.iter().any(|(r, _)| r == id),
                "{file}: expected {id}, got {ids:?}"
            );
        }
    }
    // Under SGE, STS-020 (mode testing) is raised to error.
    let out = run(&[
        "lint",
        "tests/data/sge-broken.secmx.toml",
        "--format",
        "json",
    ]);
    assert!(
        rule_ids(&out.stdout)
            .iter()
            .any(|(r, s)| r == "STS-020" && s == "error")
    );
}

#[test]
fn text_output_groups_by_severity_rule_id_first() {
    let out = run(&["lint", "tests/data/level1-broken.secmx.toml"]);
    let text = String::from_utf8_lossy(&out.stdout);
    let err_at = text.find("ERROR:").expect("an ERROR group");
    let warn_at = text.find("WARNING:").expect("a WARNING group");
    assert!(err_at < warn_at, "{text}");
    assert!(
        text.lines().any(|l| l.trim_start().starts_with("MX-004 ")),
        "{text}"
    );
}

#[test]
fn bad_input_exits_2_with_file_line_column() {
    let out = run(&["lint", "tests/data/bad-address.secmx.toml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("tests/data/bad-address.secmx.toml:20:14:"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "one clear line: {err}");

    let out = run(&["lint", "tests/data/no-such-file.secmx.toml"]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(&["export", "--format", "bogus", "x"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn export_refuses_a_design_with_errors_unless_forced() {
    let out = run(&["export", "tests/data/level2-broken.secmx.toml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "no snippet for a broken design");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
    let out = run(&["export", "tests/data/level2-broken.secmx.toml", "--force"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("IN SRV"));
}

#[test]
fn list_rules_is_generated_from_the_registry() {
    let out = run(&["lint", "--list-rules"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("151 rules in the catalogue"), "{text}");
    assert!(text.contains("PROBE-004  info    probe"), "{text}");
    if let Some(planned) =
        secmx::rules::registry().find(|r| r.check.is_none() && r.planned.is_some())
    {
        let line = format!(
            "{:<10} issue #{}",
            planned.id,
            planned.planned.unwrap_or_default()
        );
        assert!(text.contains(&line), "{line} in {text}");
    }
    assert!(text.contains("PROBE-005  error   probe"), "{text}");
    assert!(text.contains("MX-003     error   dns"), "{text}");
    assert!(text.contains("SGE-005    error   dns"), "{text}");
    assert!(!text.contains("unplanned"), "{text}");
    // The whole catalogue is implemented (SGE-005 was the last).
    assert!(
        text.contains("151 implemented, 0 not yet")
            && text.contains("Not yet implemented:\n  (none)"),
        "{text}"
    );
    let implemented = secmx::rules::registry()
        .filter(|r| r.check.is_some())
        .count();
    assert!(
        text.contains(&format!("{implemented} implemented")),
        "{text}"
    );
}

fn named_checkzone(domain: &str, snippet: &str, dir: &Path) {
    let zone = format!(
        "$TTL 3600\n{domain}. IN SOA ns1.{domain}. hostmaster.{domain}. 1 3600 600 86400 300\n{domain}. IN NS ns1.{domain}.\nns1.{domain}. IN A 192.0.2.53\n{snippet}"
    );
    let path = dir.join(format!("{domain}.zone"));
    std::fs::write(&path, zone).expect("write zone");
    let out = Command::new("named-checkzone")
        .args([
            "-k", "fail", "-m", "fail", "-M", "fail", "-S", "fail", "-i", "local",
        ])
        .arg(domain)
        .arg(&path)
        .output()
        .expect("named-checkzone must be installed (bash tests/run.sh installs bind9-utils)");
    assert!(
        out.status.success(),
        "named-checkzone rejected the {domain} snippet:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        std::fs::read_to_string(&path).unwrap_or_default()
    );
}

#[test]
fn every_example_exports_a_zone_that_named_checkzone_accepts_and_imports_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    for ex in examples() {
        let design = secmx::project::load_design(&ex).expect("example loads");
        let domain = design.domain.as_str().to_string();
        for relative in [false, true] {
            let mut args = vec!["export", ex.to_str().expect("utf-8"), "--format", "zone"];
            if relative {
                args.push("--relative");
            }
            let out = run(&args);
            assert_eq!(out.status.code(), Some(0), "{}", ex.display());
            let snippet = String::from_utf8(out.stdout).expect("utf-8 zone");
            named_checkzone(&domain, &snippet, dir.path());

            // import rebuilds an equivalent design: exporting it gives the same records.
            let zpath = dir.path().join("snippet.zone");
            std::fs::write(&zpath, &snippet).expect("write");
            let dpath = dir.path().join("imported.secmx.toml");
            let out = run(&[
                "import",
                zpath.to_str().expect("utf-8"),
                "--domain",
                &domain,
                "-o",
                dpath.to_str().expect("utf-8"),
            ]);
            assert_eq!(
                out.status.code(),
                Some(0),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            // Export → import → export gives the same text.
            let mut args = vec!["export", dpath.to_str().expect("utf-8"), "--format", "zone"];
            if relative {
                args.push("--relative");
            }
            let again = run(&args);
            assert_eq!(again.status.code(), Some(0), "{}", ex.display());
            let again = String::from_utf8(again.stdout).expect("utf-8 zone");
            let body = |t: &str| -> String {
                // The header names the source file, which differs; everything else must match.
                t.lines()
                    .filter(|l| !l.starts_with("; design:"))
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            assert_eq!(body(&again), body(&snippet), "{}: round trip", ex.display());
        }
    }
}

#[test]
fn mta_sts_export_uses_crlf_and_the_ber_hosts() {
    let out = run(&[
        "export",
        "assets/examples/level2.secmx.toml",
        "--format",
        "mta-sts",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert_eq!(
        text,
        "version: STSv1\r\nmode: enforce\r\nmx: mx1.agency.example\r\nmx: mx2.agency.example\r\nmax_age: 1209600\r\n"
    );
    let out = run(&[
        "export",
        "assets/examples/level1.secmx.toml",
        "--format",
        "mta-sts",
    ]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "no [mta_sts], nothing to export"
    );
}

/// Issue 13.2 at the command line: `-o` never replaces a FIFO (or a device); exit 2, one line.
#[cfg(unix)]
#[test]
fn export_refuses_to_replace_a_fifo() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().expect("tmp");
    let fifo = dir.path().join("zone.fifo");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo")
            .success()
    );
    let out = run(&[
        "export",
        "assets/examples/level2.secmx.toml",
        "-o",
        fifo.to_str().expect("utf-8"),
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("not a regular file"), "{err}");
    assert!(
        std::fs::symlink_metadata(&fifo)
            .expect("still there")
            .file_type()
            .is_fifo()
    );
    assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 1);
}

/// Issue 13.4: whatever a design or zone holds, the error is one escaped `secmx: file:line:col:`
/// line (a CR/LF in the domain cannot forge a second line).
#[test]
fn errors_are_one_escaped_line_with_a_position() {
    let dir = tempfile::tempdir().expect("tmp");
    let design = dir.path().join("forged.secmx.toml");
    std::fs::write(
        &design,
        "format = 1\ndomain = \"a.example\\r\\nsecmx: all good\\u001b[2J\"\nlevel = 1\n",
    )
    .expect("write");
    for cmd in ["lint", "export"] {
        let out = run(&[cmd, design.to_str().expect("utf-8")]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(!err.contains('\u{1b}') && !err.contains('\r'), "{err:?}");
        assert!(err.starts_with("secmx: "), "{err}");
        assert!(err.contains("forged.secmx.toml:2:10:"), "{err}");
    }
    let zone = dir.path().join("bad.zone");
    for (text, at) in [
        (
            &b"$ORIGIN a.example.\n@ 300 IN MX 70000 mx1\n"[..],
            "bad.zone:2:13:",
        ),
        (
            &b"$ORIGIN a.example.\n@ 300 IN TXT \"x\xff\"\n"[..],
            "bad.zone:2:16:",
        ),
        (
            &b"$ORIGIN a.example.\n@ 4294967296 IN MX 1 mx\n"[..],
            "bad.zone:2:3: TTL out of range",
        ),
    ] {
        std::fs::write(&zone, text).expect("write");
        let out = run(&[
            "import",
            zone.to_str().expect("utf-8"),
            "--domain",
            "a.example",
        ]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(at), "{at}: {err}");
    }
}

/// Issue 13.5: a timeout out of range (huge, 0, NaN, negative) is a usage error (exit 2, one
/// line), never a panic or an overflowing deadline; nothing is contacted.
#[test]
fn out_of_range_timeouts_are_usage_errors_not_panics() {
    let huge = "18446744073709551615";
    let mut cases: Vec<Vec<&str>> = Vec::new();
    for v in [huge, "0", "NaN", "-1"] {
        cases.push(vec!["probe", "192.0.2.1:25", "--timeout", v]);
        cases.push(vec!["check", "--domain", "a.example", "--probe-timeout", v]);
        cases.push(vec!["check", "--domain", "a.example", "--timeout", v]);
    }
    cases.push(vec!["check", "--domain", "a.example", "--timeout", "1e300"]);
    cases.push(vec!["check", "--domain", "a.example", "--timeout", "inf"]);
    for args in cases {
        // `--timeout=-1`, so that clap reads the value rather than a flag.
        let joined = format!("{}={}", args[args.len() - 2], args[args.len() - 1]);
        let mut a: Vec<&str> = args[..args.len() - 2].to_vec();
        a.push(&joined);
        let out = run(&a);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{a:?}: {err}");
        assert!(!err.contains("panicked"), "{a:?}: {err}");
        assert!(err.contains("timeout"), "{a:?}: {err}");
        assert!(out.stdout.is_empty(), "{a:?}");
    }
}
