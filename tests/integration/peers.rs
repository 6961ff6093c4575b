//! Differential tests (issue 11): the same fixtures judged by secmx and by tools no one here
//! wrote — `checkdmarc` (PyPI) for SPF and DMARC, `posttls-finger` (Postfix) for the TLS
//! protocol, cipher and trust verdict of real relays, `ldns-dane` (ldns) for DANE matching.
//! Every disagreement must be listed with its reason in tests/data/disagreements.toml; anything
//! else fails the test. A missing peer fails the test with a clear message (tests/run.sh installs
//! them); nothing is skipped.

use crate::dns::nsd;
use crate::verdict_truth::{fetch_domain, spf_dmarc_nsd};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// One comparison: (peer, check, subject) and both answers.
#[derive(Debug, Clone)]
struct Compared {
    peer: &'static str,
    check: &'static str,
    subject: String,
    ours: String,
    theirs: String,
}

fn known() -> BTreeSet<(String, String, String)> {
    let text = include_str!("../data/disagreements.toml");
    let v: toml::Value = toml::from_str(text).expect("tests/data/disagreements.toml is TOML");
    let mut out = BTreeSet::new();
    for d in v
        .get("disagreement")
        .and_then(|d| d.as_array())
        .cloned()
        .unwrap_or_default()
    {
        let s = |k: &str| {
            d.get(k)
                .and_then(|x| x.as_str())
                .unwrap_or_default()
                .to_string()
        };
        assert!(
            !s("reason").trim().is_empty(),
            "every recorded disagreement needs a reason: {d:?}"
        );
        out.insert((s("peer"), s("check"), s("subject")));
    }
    out
}

/// Print the agreement table; fail on any disagreement not in the checked-in list.
fn judge(all: &[Compared]) {
    let known = known();
    let mut unexplained = Vec::new();
    let mut table: std::collections::BTreeMap<(&str, &str), (usize, usize)> = Default::default();
    for c in all {
        let e = table.entry((c.peer, c.check)).or_default();
        e.1 += 1;
        if c.ours == c.theirs {
            e.0 += 1;
        } else if !known.contains(&(c.peer.to_string(), c.check.to_string(), c.subject.clone())) {
            unexplained.push(c.clone());
        }
    }
    eprintln!("peer            check                  agree/total");
    for ((peer, check), (agree, total)) in &table {
        eprintln!("{peer:<15} {check:<22} {agree}/{total}");
    }
    for c in all.iter().filter(|c| c.ours != c.theirs) {
        eprintln!(
            "DISAGREE {} {} {}: secmx {:?}, peer {:?}",
            c.peer, c.check, c.subject, c.ours, c.theirs
        );
    }
    assert!(
        unexplained.is_empty(),
        "disagreements not explained in tests/data/disagreements.toml: {unexplained:#?}"
    );
    // A recorded disagreement of a peer compared here that no longer occurs: remove it.
    let peers: BTreeSet<&str> = all.iter().map(|c| c.peer).collect();
    let stale: Vec<_> = known
        .iter()
        .filter(|(peer, check, subject)| {
            peers.contains(peer.as_str())
                && !all.iter().any(|c| {
                    c.peer == peer
                        && c.check == check
                        && &c.subject == subject
                        && c.ours != c.theirs
                })
        })
        .collect();
    assert!(
        stale.is_empty(),
        "recorded in tests/data/disagreements.toml but no longer disagreeing (remove them): {stale:#?}"
    );
}

fn checkdmarc() -> PathBuf {
    let p = std::env::var_os("SECMX_CHECKDMARC")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("target/peers-venv/bin/checkdmarc")
        });
    assert!(
        p.exists(),
        "FATAL: checkdmarc not found at {} (set SECMX_CHECKDMARC, or run tests/run.sh, which \
         installs it into target/peers-venv with python3 -m venv + pip)",
        p.display()
    );
    p
}

/// The SPF/DMARC fixture zones behind an Unbound on 127.0.0.153:53 (checkdmarc asks port 53).
fn resolver_on_53(ns: &nsd::Nsd) -> crate::verdict_truth::Unbound {
    crate::verdict_truth::unbound_at(ns, "127.0.0.153", 53)
}

#[test]
fn spf_and_dmarc_agree_with_checkdmarc() {
    let peer = checkdmarc();
    let ns = spf_dmarc_nsd();
    let _ub = resolver_on_53(&ns);
    let mut all = Vec::new();
    for domain in [
        "n9.spf.test",
        "n10.spf.test",
        "n11.spf.test",
        "v2.spf.test",
        "v3.spf.test",
        "mail.org.test",
        "own.org.test",
    ] {
        let out = Command::new(&peer)
            .args(["-n", "127.0.0.153", "-t", "5", "-f", "json", domain])
            .output()
            .expect("run checkdmarc");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "checkdmarc {domain}: not JSON ({e}): {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        });
        let p = fetch_domain(&ns, domain);
        let mut cmp = |check: &'static str, ours: String, theirs: String| {
            all.push(Compared {
                peer: "checkdmarc",
                check,
                subject: domain.to_string(),
                ours,
                theirs,
            })
        };
        if domain.ends_with("spf.test") {
            let t = secmx::resolve::spf::walk(&p, domain).expect("one SPF record");
            let ours_valid = !t.too_many_lookups() && !t.too_many_voids() && t.errors.is_empty();
            let spf = &v["spf"];
            cmp(
                "spf.valid",
                ours_valid.to_string(),
                spf["valid"].as_bool().unwrap_or(false).to_string(),
            );
            if ours_valid {
                cmp(
                    "spf.lookups",
                    t.lookups.to_string(),
                    spf["dns_lookups"].to_string(),
                );
                cmp(
                    "spf.void_lookups",
                    t.voids.to_string(),
                    spf["void_dns_lookups"].to_string(),
                );
            }
        } else {
            let (source, policy) = dmarc_of(&p, domain);
            let d = &v["dmarc"];
            cmp(
                "dmarc.source",
                source,
                d["location"].as_str().unwrap_or("-").to_string(),
            );
            let theirs = if d["location"].as_str() != Some(domain) {
                // A subdomain gets the organisational record's `sp`, else its `p`.
                d["tags"]["sp"]["value"]
                    .as_str()
                    .or(d["tags"]["p"]["value"].as_str())
            } else {
                d["tags"]["p"]["value"].as_str()
            };
            cmp("dmarc.policy", policy, theirs.unwrap_or("-").to_string());
        }
    }
    judge(&all);
}

/// Where secmx finds the DMARC record of `domain` (the tree walk) and the policy that applies.
fn dmarc_of(p: &secmx::resolve::Published, domain: &str) -> (String, String) {
    for owner in secmx::rules::sge::dmarc_tree_names(domain) {
        let found: Vec<_> = p
            .records
            .txt_at(&owner)
            .filter_map(|(_, t)| secmx::rules::sge::parse_dmarc(&t))
            .collect();
        if let [d] = found.as_slice() {
            let source = owner.trim_start_matches("_dmarc.").to_string();
            let tag = if source != domain && d.get("sp").is_some() {
                "sp"
            } else {
                "p"
            };
            return (source, d.get(tag).unwrap_or("-").to_string());
        }
    }
    ("-".into(), "-".into())
}

// ---------------------------------------------------------------------------------------------
// TLS: posttls-finger against the same Postfix relays the probe judges.

/// posttls-finger's summary line: (trust, protocol, cipher), e.g. ("Verified", "TLSv1.3",
/// "TLS_AES_256_GCM_SHA384").
fn finger(conf: &Path, ca: &Path, port: u16) -> (String, String, String) {
    let out = Command::new("posttls-finger")
        .env("MAIL_CONFIG", conf)
        .args(["-c", "-l", "secure", "-F"])
        .arg(ca)
        .arg(format!("[127.0.0.1]:{port}"))
        .arg(crate::probe::HOST)
        .output()
        .expect("FATAL: cannot run posttls-finger (Debian postfix; tests/run.sh installs it)");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    for line in text.lines() {
        if let Some(i) = line.find(" TLS connection established to ") {
            let trust = line[..i].rsplit(' ').next().unwrap_or("").to_string();
            let rest = &line[i..];
            let after = rest.split(": ").nth(1).unwrap_or("");
            let mut w = after.split_whitespace();
            let proto = w.next().unwrap_or("").to_string();
            let cipher = after
                .split(" with cipher ")
                .nth(1)
                .and_then(|c| c.split_whitespace().next())
                .unwrap_or("")
                .to_string();
            return (trust, proto, cipher);
        }
    }
    ("none".into(), "-".into(), "-".into())
}

/// Our PKIX verdict in posttls-finger's words: Verified (chain and name), Trusted (chain, not
/// the name), Untrusted (no chain).
fn trust_word(pkix: &str) -> &'static str {
    match pkix {
        "valid" => "Verified",
        "name-mismatch" => "Trusted",
        _ => "Untrusted",
    }
}

#[test]
fn tls_agrees_with_posttls_finger() {
    use crate::probe::{Certs, Listener, Postfix, free_port, tls_opts};
    let names = ["valid", "expired", "wrongname", "selfsigned"];
    let ports: Vec<u16> = names.iter().map(|_| free_port()).collect();
    let mut certs = None;
    let pf = Postfix::start(|dir| {
        certs = Some(Certs::make(dir));
        names
            .iter()
            .zip(&ports)
            .map(|(n, p)| Listener {
                addr: std::net::Ipv4Addr::LOCALHOST.into(),
                port: *p,
                opts: tls_opts(dir, n, "may"),
            })
            .collect()
    });
    let certs = certs.expect("certificates");
    let conf = pf.dir.path().join("conf");
    let ca = certs.ca_pem.to_str().expect("path");
    let mut all = Vec::new();
    for (name, port) in names.iter().zip(&ports) {
        let (_, out, err) = crate::probe::cli(&[
            "probe",
            &format!("127.0.0.1:{port}"),
            "--ca",
            ca,
            "--timeout",
            "5",
            "--quick",
            "--no-ptr",
            "--format",
            "json",
        ]);
        let _ = err;
        let v: serde_json::Value = serde_json::from_str(&out)
            .unwrap_or_else(|e| panic!("probe {name}: not JSON ({e}): {out}{err}"));
        let r = &v["probes"][0];
        let (trust, proto, cipher) = finger(&conf, &certs.ca_pem, *port);
        let mut cmp = |check: &'static str, ours: String, theirs: String| {
            all.push(Compared {
                peer: "posttls-finger",
                check,
                subject: (*name).to_string(),
                ours,
                theirs,
            })
        };
        cmp(
            "tls.protocol",
            r["tls"]["version"].as_str().unwrap_or("-").to_string(),
            proto,
        );
        cmp(
            "tls.cipher",
            r["tls"]["cipher"]
                .as_str()
                .unwrap_or("-")
                .replace("TLS13_", "TLS_"),
            cipher,
        );
        cmp(
            "tls.trust",
            trust_word(r["certificate"]["pkix"].as_str().unwrap_or("-")).to_string(),
            trust,
        );
    }
    judge(&all);
}

// ---------------------------------------------------------------------------------------------
// DANE matching: ldns-dane against the same chain and TLSA records.

#[test]
fn dane_matching_agrees_with_ldns_dane() {
    use sha2::{Digest, Sha256, Sha512};
    let dir = tempfile::tempdir().expect("tempdir");
    let certs = crate::probe::Certs::make(dir.path());
    let read_chain = |name: &str| -> Vec<rustls::pki_types::CertificateDer<'static>> {
        use rustls::pki_types::pem::PemObject;
        let pem = std::fs::read_to_string(dir.path().join(format!("{name}.crt"))).expect("chain");
        rustls::pki_types::CertificateDer::pem_slice_iter(pem.as_bytes())
            .collect::<Result<_, _>>()
            .expect("PEM")
    };
    let leaf = read_chain("valid")[0].as_ref().to_vec();
    let other_leaf = read_chain("wrongname")[0].as_ref().to_vec();
    let ca = certs.ca_der.as_ref().to_vec();
    let spki = |der: &[u8]| {
        let (_, c) = x509_parser::parse_x509_certificate(der).expect("x509");
        c.public_key().raw.to_vec()
    };
    let hex = |b: &[u8]| hex::encode(b);
    // (subject, TLSA rdata, chain sent): "valid" names the host, "wrongname" (same CA) names
    // other.example.net only, so DANE-TA must refuse it and DANE-EE must not care.
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "3-1-1-match",
            format!("3 1 1 {}", hex(&Sha256::digest(spki(&leaf)))),
            "valid",
        ),
        (
            "3-0-1-match",
            format!("3 0 1 {}", hex(&Sha256::digest(&leaf))),
            "valid",
        ),
        (
            "3-1-2-match",
            format!("3 1 2 {}", hex(&Sha512::digest(spki(&leaf)))),
            "valid",
        ),
        ("3-1-1-wrong", format!("3 1 1 {}", "00".repeat(32)), "valid"),
        (
            "3-1-1-other-name",
            format!("3 1 1 {}", hex(&Sha256::digest(spki(&other_leaf)))),
            "wrongname",
        ),
        (
            "2-0-1-ca",
            format!("2 0 1 {}", hex(&Sha256::digest(&ca))),
            "valid",
        ),
        (
            "2-1-1-ca",
            format!("2 1 1 {}", hex(&Sha256::digest(spki(&ca)))),
            "valid",
        ),
        (
            "2-0-1-ca-other-name",
            format!("2 0 1 {}", hex(&Sha256::digest(&ca))),
            "wrongname",
        ),
        ("2-0-1-wrong", format!("2 0 1 {}", "11".repeat(32)), "valid"),
    ];
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let owner = format!("_25._tcp.{}.", crate::probe::HOST);
    let mut all = Vec::new();
    for (name, rr, sent) in cases {
        let t = secmx::probe::dane::Tlsa::parse(&rr).expect("TLSA");
        let ours = secmx::probe::dane::judge(
            &[t],
            true,
            &read_chain(sent),
            crate::probe::HOST,
            rustls::pki_types::UnixTime::now(),
            &provider,
        );
        let file = dir.path().join(format!("{name}.tlsa"));
        std::fs::write(&file, format!("{owner} 300 IN TLSA {rr}\n")).expect("tlsa file");
        // The host name is passed explicitly, without the root dot: given only the TLSA file,
        // ldns-dane takes the name from the owner as "mx.probe.test." (examples/ldns-dane.c:1538,
        // 1542) and hands it to OpenSSL's SSL_dane_enable (line 1777) as the reference
        // identifier, which X509_check_host then compares byte for byte with the SAN
        // "mx.probe.test", so every DANE-TA check failed with "hostname mismatch".
        // -n: DANE-EE ignores the names (RFC 7672 §3.1.1); DANE-TA still checks them (§3.2.3).
        let out = Command::new("ldns-dane")
            .arg("-n")
            .arg("-c")
            .arg(dir.path().join(format!("{sent}.crt")))
            .arg("-t")
            .arg(&file)
            .arg("verify")
            .arg(crate::probe::HOST)
            .arg("25")
            .output()
            .expect("FATAL: cannot run ldns-dane (Debian ldnsutils; tests/run.sh installs it)");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let theirs = if out.status.success() && text.contains("dane-validated successfully") {
            "match"
        } else {
            "no-match"
        };
        let ours = if ours.verdict == secmx::probe::dane::DaneVerdict::Valid {
            "match"
        } else {
            "no-match"
        };
        eprintln!("ldns-dane {name}: {}", text.trim());
        all.push(Compared {
            peer: "ldns-dane",
            check: "dane.match",
            subject: name.to_string(),
            ours: ours.into(),
            theirs: theirs.into(),
        });
    }
    // The name check matters: DANE-TA on a chain for another name is no match, on both sides.
    assert!(
        all.iter()
            .any(|c| c.subject == "2-0-1-ca-other-name" && c.ours == "no-match"),
        "DANE-TA checks the name: {all:?}"
    );
    judge(&all);
}

// ---------------------------------------------------------------------------------------------
// MTA-STS policy text: postfix-mta-sts-resolver's parser and validation on the policies we export
// and on a corpus of tricky texts (tests/data/sts-policies/*.txt).

/// The Python of the venv that holds postfix-mta-sts-resolver (tests/run.sh installs it).
fn sts_peer_python() -> PathBuf {
    let p = std::env::var_os("SECMX_STS_PEER_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("target/peers-venv/bin/python3")
        });
    assert!(
        p.exists(),
        "FATAL: no Python with postfix-mta-sts-resolver at {} (set SECMX_STS_PEER_PYTHON, or run \
         tests/run.sh, which installs it into target/peers-venv with python3 -m venv + pip)",
        p.display()
    );
    p
}

/// What a policy text says: valid or not, and when valid the mode, max_age and mx list.
#[derive(Debug, PartialEq)]
struct PolicyReading {
    valid: bool,
    mode: String,
    max_age: String,
    mx: String,
}

/// secmx's reading: validity from the STS rules (`policy_invalid_because`, what STS-011…018
/// say), the fields from the one policy reader, `model::sts::PolicyText`.
fn our_reading(bytes: &[u8]) -> PolicyReading {
    let text = String::from_utf8_lossy(bytes);
    let p = secmx::model::sts::PolicyText::parse(&text);
    PolicyReading {
        valid: secmx::rules::sts::policy_invalid_because(&text).is_none(),
        mode: p.first("mode").unwrap_or("-").to_string(),
        max_age: p
            .first("max_age")
            .and_then(|v| v.parse::<u64>().ok())
            .map_or("-".into(), |n| n.to_string()),
        mx: p.mx_patterns().join(" | "),
    }
}

#[test]
fn sts_policy_text_agrees_with_postfix_mta_sts_resolver() {
    let python = sts_peer_python();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().expect("tempdir");
    // (subject, file): every design with an [mta_sts] table, exported, then the corpus.
    let mut files: Vec<(String, PathBuf)> = Vec::new();
    for design in [
        "assets/examples/level2.secmx.toml",
        "assets/examples/sge.secmx.toml",
        "tests/data/level2-broken.secmx.toml",
        "tests/data/sge-broken.secmx.toml",
    ] {
        let design_path = root.join(design);
        let (code, out, err) = crate::probe::cli(&[
            "export",
            design_path.to_str().expect("path"),
            "--format",
            "mta-sts",
            "--force",
        ]);
        // Exit 1 = exported with --force although the design has error findings (the broken ones).
        assert!(
            code <= 1 && out.starts_with("version: STSv1\r\n"),
            "secmx export {design} --format mta-sts: exit {code}: {out}{err}"
        );
        let stem = Path::new(design)
            .file_name()
            .and_then(|n| n.to_str())
            .expect("name")
            .trim_end_matches(".secmx.toml");
        let file = dir.path().join(format!("export-{stem}.txt"));
        std::fs::write(&file, out).expect("write export");
        files.push((format!("export:{stem}"), file));
    }
    let mut corpus: Vec<PathBuf> = std::fs::read_dir(root.join("tests/data/sts-policies"))
        .expect("tests/data/sts-policies")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    corpus.sort();
    assert!(corpus.len() >= 40, "the policy corpus is there");
    for f in corpus {
        let stem = f
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("name")
            .to_string();
        files.push((stem, f));
    }
    let out = Command::new(&python)
        .arg(root.join("tests/peers/sts_policy.py"))
        .args(files.iter().map(|(_, f)| f))
        .output()
        .unwrap_or_else(|e| panic!("FATAL: cannot run {}: {e}", python.display()));
    assert!(
        out.status.success(),
        "FATAL: tests/peers/sts_policy.py failed (is postfix-mta-sts-resolver installed in the \
         venv of {}?): {}",
        python.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("sts_policy.py JSON");
    let theirs = v.as_array().expect("a list");
    assert_eq!(theirs.len(), files.len(), "one answer per file");
    let mut all = Vec::new();
    for ((subject, file), t) in files.iter().zip(theirs) {
        let ours = our_reading(&std::fs::read(file).expect("read policy"));
        let peer = PolicyReading {
            valid: t["valid"].as_bool().expect("valid"),
            mode: t["mode"].as_str().unwrap_or("-").to_string(),
            max_age: t["max_age"].as_i64().map_or("-".into(), |n| n.to_string()),
            mx: t["mx"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|m| m.as_str().unwrap_or("?"))
                        .collect::<Vec<_>>()
                        .join(" | ")
                })
                .unwrap_or_default(),
        };
        let mut cmp = |check: &'static str, ours: String, theirs: String| {
            all.push(Compared {
                peer: "postfix-mta-sts-resolver",
                check,
                subject: subject.clone(),
                ours,
                theirs,
            })
        };
        cmp("sts.valid", ours.valid.to_string(), peer.valid.to_string());
        // What a sender then uses, compared where both accept the policy.
        if ours.valid && peer.valid {
            cmp("sts.mode", ours.mode, peer.mode);
            cmp("sts.max_age", ours.max_age, peer.max_age);
            cmp("sts.mx", ours.mx, peer.mx);
        }
    }
    // The exported policies are the ones we stand behind: no disagreement is acceptable there.
    for c in all.iter().filter(|c| c.subject.starts_with("export:")) {
        assert_eq!(
            c.ours, c.theirs,
            "exported policy {}: {}",
            c.subject, c.check
        );
        if c.check == "sts.valid" {
            assert_eq!(c.ours, "true", "exported policy {} is valid", c.subject);
        }
    }
    judge(&all);
}
