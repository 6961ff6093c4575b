//! `secmx tlsa` (issue 12): the records it computes from a chain file, a key and a CSR are the ones
//! `ldns-dane create -c` and `openssl` digests give for the same files.

use std::path::Path;
use std::process::Command;

fn secmx(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_secmx"))
        .args(args)
        .output()
        .expect("run secmx")
}

fn sh(dir: &Path, script: &str) -> String {
    let o = Command::new("sh")
        .arg("-c")
        .arg(script)
        .current_dir(dir)
        .output()
        .expect("sh");
    assert!(
        o.status.success(),
        "{script}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The record data (`u s m hex`) of each line of zone output, ldns' or ours.
fn records(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| {
            let l = l.split(';').next()?;
            let i = l.find("TLSA")?;
            Some(l[i + 4..].split_whitespace().collect::<Vec<_>>().join(" "))
        })
        .collect()
}

#[test]
fn tlsa_matches_ldns_dane_and_openssl() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    sh(
        d,
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem -subj /CN=TestCA -days 30 2>/dev/null && \
         openssl req -newkey rsa:2048 -nodes -keyout leaf.key -out leaf.csr -subj /CN=mx.example 2>/dev/null && \
         openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out leaf.pem -days 10 2>/dev/null && \
         openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout next.key -out next.csr -subj /CN=mx.example 2>/dev/null && \
         openssl pkey -in next.key -pubout -out next.pub && cat leaf.pem ca.pem > chain.pem",
    );
    let p = |f: &str| d.join(f).display().to_string();

    // The chain: 3 1 1 for the leaf, 2 1 1 for the issuer, as ldns-dane computes them.
    let ours = secmx(&["tlsa", &p("chain.pem"), "--host", "mx.example"]);
    assert!(
        ours.status.success(),
        "{}",
        String::from_utf8_lossy(&ours.stderr)
    );
    let ours_text = String::from_utf8_lossy(&ours.stdout).into_owned();
    assert!(
        ours_text.starts_with("_25._tcp.mx.example. IN TLSA 3 1 1 "),
        "{ours_text}"
    );
    let ldns = |usage: &str| {
        records(&sh(
            d,
            &format!("ldns-dane -c chain.pem create mx.example 25 {usage} 1 1"),
        ))
    };
    let mut want = ldns("3");
    want.extend(ldns("2"));
    assert_eq!(records(&ours_text), want);

    // A key, its public key, its CSR: the same 3 1 1 as openssl's digest of the public key.
    let digest = |script: &str| {
        sh(d, script)
            .split_whitespace()
            .next()
            .expect("digest")
            .to_string()
    };
    let leaf = digest(
        "openssl x509 -in leaf.pem -pubkey -noout | openssl pkey -pubin -outform DER | sha256sum",
    );
    let next = digest("openssl pkey -in next.key -pubout -outform DER | sha256sum");
    for (file, want) in [
        ("leaf.key", &leaf),
        ("leaf.csr", &leaf),
        ("next.key", &next),
        ("next.pub", &next),
        ("next.csr", &next),
    ] {
        let o = secmx(&["tlsa", &p(file), "--format", "toml"]);
        assert!(
            o.status.success(),
            "{file}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(
            text.starts_with(&format!("  \"3 1 1 {want}\",")),
            "{file}: {text}"
        );
    }

    // The leaf alone: refused (its issuer is missing), unless only the 3 1 1 is asked for.
    let o = secmx(&["tlsa", &p("leaf.pem"), "--host", "mx.example"]);
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("its issuer (CN=TestCA) is not in it"), "{e}");
    let o = secmx(&[
        "tlsa",
        &p("leaf.pem"),
        "--leaf-only",
        "--host",
        "mx.example",
        "--port",
        "2525",
    ]);
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).lines().next().map(|l| l
            .split(" ;")
            .next()
            .unwrap_or("")
            .to_string()),
        Some(format!("_2525._tcp.mx.example. IN TLSA 3 1 1 {leaf}"))
    );
    // Zone lines need a host.
    let o = secmx(&["tlsa", &p("chain.pem")]);
    assert_eq!(o.status.code(), Some(2));
}

/// `secmx tlsa --relay`: the chain a live Postfix serves gives the records of its files; a relay
/// that sends its leaf without the issuer is refused (unless `--leaf-only`).
#[test]
fn tlsa_of_a_live_relay() {
    use std::net::Ipv4Addr;
    const ADDR: Ipv4Addr = Ipv4Addr::new(127, 0, 1, 62);
    let dir = tempfile::tempdir().expect("tempdir");
    let (ca, rec) = super::history::keys(dir.path());
    let ca_digest = sh(
        dir.path(),
        "openssl x509 -in ca.pem -pubkey -noout | openssl pkey -pubin -outform DER | sha256sum",
    );
    let ca_digest = ca_digest.split_whitespace().next().expect("digest");
    let pf = super::history::relay(dir.path(), "k1", ADDR);
    let o = secmx(&[
        "tlsa",
        "--relay",
        &format!("{ADDR}:25"),
        "--host",
        "mx.probe.test",
        "--ca",
        &ca.display().to_string(),
        "--timeout",
        "10",
    ]);
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        o.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(
        records(&text),
        vec![rec[0].clone(), format!("2 1 1 {ca_digest}")],
        "{text}"
    );
    assert!(
        text.starts_with("_25._tcp.mx.probe.test. IN TLSA 3 1 1"),
        "{text}"
    );
    drop(pf);

    let _pf = super::history::relay(dir.path(), "k2leaf", ADDR);
    let target = format!("{ADDR}:25");
    let o = secmx(&[
        "tlsa",
        "--relay",
        &target,
        "--format",
        "toml",
        "--timeout",
        "10",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("its issuer (CN=SecMX History CA) is not in it"),
        "{e}"
    );
    let o = secmx(&[
        "tlsa",
        "--relay",
        &target,
        "--format",
        "toml",
        "--leaf-only",
        "--timeout",
        "10",
    ]);
    assert_eq!(
        String::from_utf8_lossy(&o.stdout)
            .lines()
            .next()
            .and_then(|l| l.split(',').next()),
        Some(format!("  \"{}\"", rec[1]).as_str())
    );
}

/// `secmx check DESIGN` prints the relay's key rollover plan; offline, nothing is published yet.
#[test]
fn check_prints_the_rollover_plan() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    sh(
        d,
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout cur.key -out cur.pem -subj /CN=mx.plan.example -days 90 2>/dev/null && \
         openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out next.key 2>/dev/null",
    );
    let rec = |f: &str| {
        let o = secmx(&[
            "tlsa",
            &d.join(f).display().to_string(),
            "--format",
            "toml",
            "--leaf-only",
        ]);
        let t = String::from_utf8_lossy(&o.stdout).into_owned();
        t.trim()
            .trim_start_matches('"')
            .split('"')
            .next()
            .unwrap_or("")
            .to_string()
    };
    let (cur, next) = (rec("cur.pem"), rec("next.key"));
    let design = format!(
        "format = 1\ndomain = \"plan.example\"\nlevel = 1\ntest_domain = true\n\n[[relay]]\nhost = \"mx.plan.example\"\nrole = \"ber\"\naddresses = [\"192.0.2.25\"]\ntlsa = [\"{cur}\"]\nnext_key = \"next.key\"\n"
    );
    std::fs::write(d.join("plan.secmx.toml"), design).unwrap();
    let o = secmx(&[
        "check",
        &d.join("plan.secmx.toml").display().to_string(),
        "--offline",
    ]);
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(text.contains("TLSA-017"), "{text}");
    assert!(text.contains("Key rollover plan:"), "{text}");
    assert!(text.contains(&format!("now: publish {next}")), "{text}");
    assert!(
        text.contains("after 2×TTL (7200 s) from publication: switch the key"),
        "{text}"
    );
    assert!(
        text.contains(&format!("after the switch + 2×TTL: remove {cur}")),
        "{text}"
    );

    // The JSON report carries the same plan as data: steps with action, record, not-before date.
    let o = secmx(&[
        "check",
        &d.join("plan.secmx.toml").display().to_string(),
        "--offline",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let plans = v["rollover"].as_array().unwrap();
    assert_eq!(plans.len(), 1, "{v}");
    assert_eq!(plans[0]["host"], "mx.plan.example");
    assert_eq!(plans[0]["owner"], "_25._tcp.mx.plan.example");
    assert_eq!(plans[0]["ttl"], 3600);
    let steps: Vec<(&str, Option<&str>)> = plans[0]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["action"].as_str().unwrap(), s["record"].as_str()))
        .collect();
    assert_eq!(
        steps,
        [
            ("publish", Some(next.as_str())),
            ("switch-key", None),
            ("remove", Some(cur.as_str()))
        ]
    );
    let switch = &plans[0]["steps"][1];
    assert_eq!(switch["wait_seconds"], 7200);
    assert_eq!(switch["after"], "publication");
    // Nothing published yet, no history: no date to give.
    assert!(switch["not_before"].is_null(), "{switch}");
    assert!(switch["text"].as_str().unwrap().contains("switch the key"));
}
