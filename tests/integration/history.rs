//! The history of checks end to end (issue 12): a signed `probe.test` on a private NSD and a
//! Postfix MX whose key is rolled over. Done in the right order — publish the next key's `3 1 1`
//! beside the current one, then switch the key — `secmx check --save --fail-on-regression` sees
//! changes but no regression; a key replaced without its record makes `secmx diff` say "key
//! changed, TLSA no longer matches" and `--fail-on-regression` exit 4.

use super::dns::nsd::{self, Sign, Zone};
use super::probe::{Listener, Postfix, tls_opts};
use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};
use std::process::Command;

const MX_ADDR: Ipv4Addr = Ipv4Addr::new(127, 0, 1, 61);

/// A CA and three keys with a certificate each for `mx.probe.test` (`k1.crt`/`k1.key`, …, leaf +
/// CA), written to `dir`; returns the CA file and each key's `3 1 1` record.
pub(crate) fn keys(dir: &Path) -> (PathBuf, Vec<String>) {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_p = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_p.distinguished_name
        .push(rcgen::DnType::CommonName, "SecMX History CA");
    let ca = ca_p.self_signed(&ca_key).unwrap();
    let ca_pem = dir.join("ca.pem");
    std::fs::write(&ca_pem, ca.pem()).unwrap();
    let issuer = Issuer::new(ca_p, ca_key);
    let mut records = Vec::new();
    for k in ["k1", "k2", "k3"] {
        let key = KeyPair::generate().unwrap();
        let mut p = CertificateParams::new(vec!["mx.probe.test".to_string()]).unwrap();
        p.distinguished_name
            .push(rcgen::DnType::CommonName, "mx.probe.test");
        let cert = p.signed_by(&key, &issuer).unwrap();
        std::fs::write(
            dir.join(format!("{k}.crt")),
            format!("{}{}", cert.pem(), ca.pem()),
        )
        .unwrap();
        std::fs::write(dir.join(format!("{k}.key")), key.serialize_pem()).unwrap();
        std::fs::write(dir.join(format!("{k}leaf.crt")), cert.pem()).unwrap();
        std::fs::write(dir.join(format!("{k}leaf.key")), key.serialize_pem()).unwrap();
        records.push(format!(
            "3 1 1 {}",
            secmx::tlsagen::spki_sha256(&rcgen::PublicKeyData::subject_public_key_info(&key))
        ));
    }
    (ca_pem, records)
}

/// Postfix on MX_ADDR:25 serving key `k`'s certificate from `keys_dir`.
pub(crate) fn relay(keys_dir: &Path, k: &str, addr: Ipv4Addr) -> Postfix {
    Postfix::start(|dir| {
        for ext in ["crt", "key"] {
            std::fs::copy(
                keys_dir.join(format!("{k}.{ext}")),
                dir.join(format!("{k}.{ext}")),
            )
            .unwrap();
        }
        vec![Listener {
            addr: addr.into(),
            port: 25,
            opts: tls_opts(dir, k, "may"),
        }]
    })
}

/// `probe.test` signed, its MX `mx.probe.test` with these TLSA records.
fn zone(tlsa: &[&String]) -> nsd::Nsd {
    let mut body = format!("@ MX 10 mx\nmx A {MX_ADDR}\n");
    for t in tlsa {
        body.push_str(&format!("_25._tcp.mx TLSA {t}\n"));
    }
    nsd::start(&[Zone::new("probe.test", Sign::Yes, &body)], &[])
}

/// `secmx check --domain probe.test --save --fail-on-regression --history FILE`: (exit, stderr).
fn check_save(ns: &nsd::Nsd, ca: &Path, history: &Path) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_secmx"))
        .args(["check", "--domain", "probe.test", "--resolver"])
        .arg(ns.addr().to_string())
        .arg("--trust-anchor")
        .arg(&ns.anchor)
        .arg("--ca")
        .arg(ca)
        .args(["--probe-timeout", "10", "--quick", "--format", "json"])
        .args(["--save", "--fail-on-regression", "--history"])
        .arg(history)
        .output()
        .expect("run secmx");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}); stderr: {err}"));
    assert!(err.contains("secmx: saved as run"), "{err}");
    eprintln!(
        "{}",
        err.lines()
            .find(|l| l.contains("saved as run"))
            .unwrap_or("")
    );
    let dane: Vec<&str> = v["probes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["dane"].as_str().unwrap_or("?"))
        .collect();
    eprintln!("dane {dane:?}, exit {:?}", out.status.code());
    (out.status.code(), err)
}

fn diff(history: &Path) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_secmx"))
        .args([
            "diff",
            "--domain",
            "probe.test",
            "--fail-on-regression",
            "--history",
        ])
        .arg(history)
        .output()
        .expect("run secmx");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    eprintln!("{text}");
    (out.status.code(), text)
}

#[test]
fn rollover_in_order_is_no_regression_and_a_replaced_key_is() {
    let keys_dir = tempfile::tempdir().unwrap();
    let (ca, rec) = keys(keys_dir.path());
    let hist = keys_dir.path().join("state/history.sqlite");

    // 1. Key 1 served, its record published.
    let mut pf = relay(keys_dir.path(), "k1", MX_ADDR);
    let ns = zone(&[&rec[0]]);
    let (code, _) = check_save(&ns, &ca, &hist);
    assert_ne!(code, Some(4));
    drop(ns);

    // 2. Publish key 2's record beside it: the TLSA set changed, nothing got worse.
    let ns = zone(&[&rec[0], &rec[1]]);
    let (code, err) = check_save(&ns, &ca, &hist);
    assert_ne!(code, Some(4), "{err}");
    let (code, text) = diff(&hist);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("TLSA set changed: +[3 1 1"), "{text}");

    // 3. Switch the relay to key 2: the key changed and a record still matches.
    drop(pf);
    pf = relay(keys_dir.path(), "k2", MX_ADDR);
    let (code, err) = check_save(&ns, &ca, &hist);
    assert_ne!(code, Some(4), "{err}");
    let (code, text) = diff(&hist);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("key changed"), "{text}");
    assert!(text.contains("a TLSA record still matches"), "{text}");
    assert!(!text.contains("WORSE"), "{text}");

    // 4. Key 3 without its record: a regression.
    drop(pf);
    let _pf = relay(keys_dir.path(), "k3", MX_ADDR);
    let (code, err) = check_save(&ns, &ca, &hist);
    assert_eq!(code, Some(4), "{err}");
    assert!(err.contains("secmx: regression:"), "{err}");
    let (code, text) = diff(&hist);
    assert_eq!(code, Some(4), "{text}");
    assert!(text.contains("key changed"), "{text}");
    assert!(text.contains("TLSA no longer matches"), "{text}");
    assert!(text.contains("DANE valid → fail"), "{text}");

    // The history lists the four runs, newest first.
    let out = Command::new(env!("CARGO_BIN_EXE_secmx"))
        .args(["history", "probe.test", "--history"])
        .arg(&hist)
        .output()
        .unwrap();
    let list = String::from_utf8_lossy(&out.stdout);
    assert_eq!(list.lines().count(), 5, "{list}");
}
