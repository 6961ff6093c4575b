//! The published MTA-STS policy is judged as strictly as the designed one (issue 14): a signed
//! `probe.test` on a private NSD publishes `_mta-sts` and `mta-sts`, a Postfix MX answers, and an
//! in-process HTTPS server (its own test CA) serves one policy text per case. `secmx check --domain
//! probe.test` must read each text as a sender following RFC 8461 does: what the ABNF allows is
//! valid and applied to the MX; the rest is INVALID (`mta_sts_policy.valid: false` with the reason),
//! an ERROR finding "(as published)" quotes the offending line, and the MX has no policy.

use super::dns::nsd::{self, Sign, Zone};
use super::probe::{Certs, Listener, Postfix, free_port, tls_opts};
use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
use std::net::{Ipv4Addr, SocketAddr};
use std::process::Command;
use std::sync::Arc;

const MX_ADDR: Ipv4Addr = Ipv4Addr::new(127, 0, 1, 71);
const STS_ADDR: Ipv4Addr = Ipv4Addr::new(127, 0, 1, 73);

const GOOD: &str = "version: STSv1\nmode: enforce\nmx: mx.probe.test\nmax_age: 604800\n";

/// An HTTPS server on `addr` (a port of its own) answering every request with `body` as
/// `content_type`, under a certificate for `mta-sts.probe.test` from `issuer`. Also the policy host
/// of the window/CLI parity fixture.
pub(crate) fn serve(
    rt: &tokio::runtime::Runtime,
    addr: Ipv4Addr,
    issuer: &Issuer<'static, KeyPair>,
    body: Vec<u8>,
    content_type: &str,
) -> u16 {
    let acceptor = super::https_peer::acceptor("mta-sts.probe.test", issuer);
    let port = free_port();
    let l = rt
        .block_on(tokio::net::TcpListener::bind(SocketAddr::from((
            addr, port,
        ))))
        .expect("bind the MTA-STS server");
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let mut resp = head.into_bytes();
    resp.extend_from_slice(&body);
    rt.spawn(super::https_peer::serve(
        l,
        acceptor,
        Arc::new(move || resp.clone()),
    ));
    port
}

/// One served policy and what the report must say about it.
struct Case {
    name: &'static str,
    body: Vec<u8>,
    content_type: &'static str,
    /// `None`: valid (applied, the MX passes under enforce); `Some(reason fragment)`: invalid.
    invalid: Option<&'static str>,
    /// The ERROR finding the invalid policy raises, and a fragment of its message.
    finding: Option<(&'static str, &'static str)>,
    /// `mta_sts_policy.policy.mode` as shown (`None`: no policy read).
    mode: Option<&'static str>,
}

fn case(
    name: &'static str,
    body: &str,
    content_type: &'static str,
    invalid: Option<&'static str>,
    finding: Option<(&'static str, &'static str)>,
    mode: Option<&'static str>,
) -> Case {
    Case {
        name,
        body: body.as_bytes().to_vec(),
        content_type,
        invalid,
        finding,
        mode,
    }
}

fn cases() -> Vec<Case> {
    const TP: &str = "text/plain";
    let big = format!("{GOOD}{}", "x-pad: padding padding\n".repeat(3000));
    vec![
        // What RFC 8461's ABNF allows: valid.
        case("LF terminators", GOOD, TP, None, None, Some("enforce")),
        case(
            "CRLF terminators",
            &GOOD.replace('\n', "\r\n"),
            TP,
            None,
            None,
            Some("enforce"),
        ),
        case(
            "no final terminator",
            GOOD.trim_end(),
            TP,
            None,
            None,
            Some("enforce"),
        ),
        case(
            "extra unknown keys",
            "version: STSv1\nmode: enforce\nx_vendor-note: hello world\nmx: mx.probe.test\nmax_age: 604800\nfoo: bar\n",
            TP,
            None,
            None,
            Some("enforce"),
        ),
        case(
            "whitespace after the colon",
            "version:   STSv1\nmode:\t enforce\nmx:  mx.probe.test\nmax_age:\t604800\n",
            TP,
            None,
            None,
            Some("enforce"),
        ),
        case(
            "text/plain with charset",
            GOOD,
            "text/plain; charset=utf-8",
            None,
            None,
            Some("enforce"),
        ),
        // What a sender rejects: invalid.
        case(
            "mode: [testing] ",
            "version: STSv1\nmode: [testing] \nmx: mx.probe.test\nmax_age: 604800\n",
            TP,
            Some("line 2 `mode: [testing] `"),
            Some(("STS-012", "`mode: [testing]` is not a mode")),
            Some("[testing]"),
        ),
        case(
            "version: STSv2",
            &GOOD.replace("STSv1", "STSv2"),
            TP,
            Some("line 1 `version: STSv2`"),
            Some(("STS-011", "`version: STSv2`")),
            Some("enforce"),
        ),
        case(
            "max_age: 99999999999",
            &GOOD.replace("604800", "99999999999"),
            TP,
            Some("line 4 `max_age: 99999999999`"),
            Some(("STS-013", "`max_age: 99999999999` has more than 10 digits")),
            Some("enforce"),
        ),
        case(
            "missing max_age",
            "version: STSv1\nmode: enforce\nmx: mx.probe.test\n",
            TP,
            Some("no `max_age` field"),
            Some(("STS-013", "no `max_age:` line")),
            Some("enforce"),
        ),
        case(
            "enforce without mx",
            "version: STSv1\nmode: enforce\nmax_age: 604800\n",
            TP,
            Some("`mode: enforce` without any `mx` field"),
            Some(("STS-015", "has no `mx:` line")),
            Some("enforce"),
        ),
        case(
            "byte-order mark",
            &format!("\u{feff}{GOOD}"),
            TP,
            Some("line 1 `\\u{feff}version: STSv1`"),
            Some(("STS-011", "`\\u{feff}version: STSv1`")),
            Some("enforce"),
        ),
        case(
            "empty line before the first field",
            &format!("\r\n{GOOD}"),
            TP,
            Some("bytes before the first field"),
            Some(("STS-018", "starts with `\\r\\n` before its first field")),
            Some("enforce"),
        ),
        case(
            "text/html",
            GOOD,
            "text/html",
            Some("not text/plain"),
            Some(("STS-009", "\"text/html\", not text/plain")),
            Some("enforce"),
        ),
        Case {
            name: "over 64 KiB",
            body: big.into_bytes(),
            content_type: TP,
            invalid: Some("policy larger than 65536 bytes"),
            finding: Some(("STS-010", "larger than 65536 bytes")),
            mode: None,
        },
    ]
}

#[test]
fn published_policies_are_read_as_senders_read_them() {
    let mut certs = None;
    let pf = Postfix::start(|dir| {
        certs = Some(Certs::make(dir));
        vec![Listener {
            addr: MX_ADDR.into(),
            port: 25,
            opts: tls_opts(dir, "valid", "may"),
        }]
    });
    let certs = certs.expect("certificates");
    let ns = nsd::start(
        &[Zone::new(
            "probe.test",
            Sign::Yes,
            &format!(
                "@ MX 10 mx\n\
                 mx A {MX_ADDR}\n\
                 _mta-sts TXT \"v=STSv1; id=20261203\"\n\
                 mta-sts A {STS_ADDR}\n"
            ),
        )],
        &[],
    );
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let ca_key = KeyPair::generate().unwrap();
    let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    p.distinguished_name
        .push(rcgen::DnType::CommonName, "SecMX STS Table CA");
    let ca = p.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(p, ca_key);
    let work = tempfile::tempdir().expect("tempdir");
    let ca_file = work.path().join("cas.pem");
    let relay_ca = std::fs::read_to_string(&certs.ca_pem).expect("CA");
    std::fs::write(&ca_file, format!("{relay_ca}{}", ca.pem())).expect("write CAs");

    let mut failures = Vec::new();
    for c in cases() {
        let port = serve(&rt, STS_ADDR, &issuer, c.body.clone(), c.content_type);
        let out = Command::new(env!("CARGO_BIN_EXE_secmx"))
            .args(["check", "--domain", "probe.test", "--resolver"])
            .arg(ns.addr().to_string())
            .arg("--trust-anchor")
            .arg(&ns.anchor)
            .arg("--ca")
            .arg(&ca_file)
            .args(["--probe-timeout", "10", "--mta-sts-port"])
            .arg(port.to_string())
            .args(["--format", "json"])
            .output()
            .expect("run secmx");
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "{}: not JSON ({e}): {stdout}\nstderr: {}",
                c.name,
                String::from_utf8_lossy(&out.stderr)
            )
        });
        let pol = &v["mta_sts_policy"];
        let mx_sts: Vec<&str> = v["probes"]
            .as_array()
            .map(|a| a.iter().filter_map(|r| r["mta_sts"].as_str()).collect())
            .unwrap_or_default();
        // STS findings (and PROBE-027), as "RULE severity message".
        let sts: Vec<String> = v["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .filter(|f| {
                let r = f["rule"].as_str().unwrap_or("");
                r.starts_with("STS-") || r == "PROBE-027"
            })
            .map(|f| {
                format!(
                    "{} {} {}",
                    f["rule"].as_str().unwrap_or(""),
                    f["severity"].as_str().unwrap_or(""),
                    f["message"].as_str().unwrap_or("")
                )
            })
            .collect();
        let mut wrong = Vec::new();
        if pol["policy"]["mode"].as_str() != c.mode {
            wrong.push(format!("mode {:?}", pol["policy"]["mode"]));
        }
        match c.invalid {
            None => {
                if pol["valid"] != true || !pol["invalid_because"].is_null() {
                    wrong.push("should be valid".into());
                }
                if mx_sts != ["pass"] {
                    wrong.push(format!("MX mta_sts {mx_sts:?}, want pass"));
                }
                if !sts.is_empty() {
                    wrong.push(format!("unexpected findings {sts:?}"));
                }
            }
            Some(why) => {
                if pol["valid"] != false {
                    wrong.push("should be invalid".into());
                }
                let because = pol["invalid_because"].as_str().unwrap_or("");
                if !because.contains(why) {
                    wrong.push(format!("invalid_because {because:?} lacks {why:?}"));
                }
                if mx_sts != ["no-policy"] {
                    wrong.push(format!("MX mta_sts {mx_sts:?}, want no-policy"));
                }
                if !sts.iter().any(|f| f.starts_with("PROBE-027 warning")) {
                    wrong.push("no PROBE-027 no-policy finding".into());
                }
                let (rule, text) = c.finding.expect("an invalid case names its finding");
                let hit = sts.iter().any(|f| {
                    f.starts_with(&format!("{rule} error "))
                        && f.contains(text)
                        && (rule < "STS-011" || f.ends_with(" (as published)"))
                });
                if !hit {
                    wrong.push(format!("no {rule} error with {text:?}"));
                }
            }
        }
        println!(
            "{:<34} valid={} because={} findings={sts:?} mx={mx_sts:?}",
            c.name, pol["valid"], pol["invalid_because"]
        );
        if !wrong.is_empty() {
            failures.push(format!(
                "{}: {}\n  findings: {sts:?}",
                c.name,
                wrong.join("; ")
            ));
        }
    }
    // `check DESIGN`: the design's own policy is fine, the published one is not — the published
    // one is judged too, "(as published)", and is not applied.
    let design = work.path().join("probe.secmx.toml");
    std::fs::write(
        &design,
        "format = 1\n\
         domain = \"probe.test\"\n\
         level = 1\n\
         test_domain = true\n\n\
         [[relay]]\nhost = \"mx.probe.test\"\nrole = \"ber\"\npreference = 10\n\n\
         [mta_sts]\nmode = \"enforce\"\nmax_age = 604800\nmx = [\"mx.probe.test\"]\n",
    )
    .expect("write the design");
    let port = serve(
        &rt,
        STS_ADDR,
        &issuer,
        b"version: STSv1\nmode: [testing] \nmx: mx.probe.test\nmax_age: 604800\n".to_vec(),
        "text/plain",
    );
    let out = Command::new(env!("CARGO_BIN_EXE_secmx"))
        .arg("check")
        .arg(&design)
        .arg("--resolver")
        .arg(ns.addr().to_string())
        .arg("--trust-anchor")
        .arg(&ns.anchor)
        .arg("--ca")
        .arg(&ca_file)
        .args(["--probe-timeout", "10", "--mta-sts-port"])
        .arg(port.to_string())
        .args(["--format", "json"])
        .output()
        .expect("run secmx");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "check DESIGN: not JSON ({e}): {stdout}\nstderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert_eq!(v["mta_sts_policy"]["valid"], false, "{stdout}");
    let hits: Vec<&serde_json::Value> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "STS-012")
        .collect();
    assert_eq!(hits.len(), 1, "{stdout}");
    assert_eq!(hits[0]["severity"], "error");
    assert_eq!(hits[0]["source"], "published");
    let msg = hits[0]["message"].as_str().unwrap_or("");
    assert!(
        msg.contains("`mode: [testing]`") && msg.ends_with(" (as published)"),
        "{msg}"
    );
    let mx_sts: Vec<&str> = v["probes"]
        .as_array()
        .map(|a| a.iter().filter_map(|r| r["mta_sts"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(mx_sts, ["no-policy"], "{stdout}");
    drop(pf);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
