//! Live DNS against a real authoritative server: a private NSD on a loopback port serving a signed
//! parent `test.` with the DS of the signed child `sec.test.`, an unsigned delegation `ins.test.`, a
//! child with expired signatures `bogus.test.`, a zone that fails to load `broken.test.` (SERVFAIL),
//! names outside its zones (REFUSED), and beside it a port where nothing answers (timeout).

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)] // test code

pub mod nsd;

use nsd::{Sign, Zone};
use secmx::event::{Event, EventBody, EventSink, RunId};
use secmx::resolve::{self, Change, Dnssec, Plan, Published, Resolver, Settings, Status};
use secmx::rules::{self, Needs};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// 16 TXT records of 250 octets at `big.sec.test`: about 4 KB, more than fits a UDP answer.
fn big_txt() -> String {
    (0..16)
        .map(|i| format!("big TXT \"{i:02}{}\"\n", "x".repeat(248)))
        .collect()
}

const HASH: &str = "8f1c2ad1e5c7b6a4908172635445362718293a4b5c6d7e8f9a0b1c2d3e4f5a6b";

/// The signed child: a complete Level 2 domain plus one small mail domain per case.
fn sec_zone() -> Zone {
    let big = big_txt();
    Zone::new(
        "sec.test",
        Sign::Yes,
        &format!(
            r#"@ 3600 MX 10 mx1
mx1 A 127.0.0.1
mx1 AAAA ::1
_25._tcp.mx1 TLSA 3 1 1 {HASH}
_secmx._tcp SRV 10 0 25 sor1
sor1 A 127.0.0.2
_25._tcp.sor1 TLSA 3 1 1 {HASH}
_mta-sts TXT "v=STSv1; id=20261128"
_smtp._tls TXT "v=TLSRPTv1; rua=mailto:tlsrpt@sec.test"
cname MX 10 alias.cname
alias.cname CNAME mx1.sec.test.
noaddr MX 10 ghost.noaddr
ipmx MX 10 192.0.2.1.
nullmx MX 0 .
implicit A 127.0.0.3
srvdot MX 10 mx1.sec.test.
_secmx._tcp.srvdot SRV 0 0 0 .
twosts MX 10 mx1.sec.test.
_mta-sts.twosts TXT "v=STSv1; id=1"
_mta-sts.twosts TXT "v=STSv1; id=2"
stscname MX 10 mx1.sec.test.
_mta-sts.stscname CNAME _mta-sts.sec.test.
deadrpt MX 10 mx1.sec.test.
_smtp._tls.deadrpt TXT "v=TLSRPTv1; rua=mailto:r@nullmx.sec.test"
{big}
"#
        ),
    )
}

fn ins_zone() -> Zone {
    Zone::new(
        "ins.test",
        Sign::No,
        &format!(
            r#"@ MX 10 mx1
mx1 A 127.0.0.4
_25._tcp.mx1 TLSA 3 1 1 {HASH}
_secmx._tcp SRV 10 0 25 sor1
sor1 A 127.0.0.5
"#
        ),
    )
}

fn bogus_zone() -> Zone {
    Zone::new(
        "bogus.test",
        Sign::Expired,
        "@ MX 10 mx1\nmx1 A 127.0.0.6\n",
    )
}

fn server() -> nsd::Nsd {
    nsd::start(&[sec_zone(), ins_zone(), bogus_zone()], &["broken.test"])
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime")
}

fn settings(ns: &nsd::Nsd) -> Settings {
    Settings {
        nameserver: Some(ns.addr()),
        trust_anchor: Some(ns.anchor.clone()),
        timeout: Duration::from_secs(3),
        ..Settings::default()
    }
}

fn collect() -> (EventSink, Arc<Mutex<Vec<Event>>>) {
    let store = Arc::new(Mutex::new(Vec::new()));
    let s2 = Arc::clone(&store);
    let sink: EventSink = Arc::new(move |e| s2.lock().expect("lock").push(e));
    (sink, store)
}

/// The DNS steps wrapped into events of `run`, as the worker and the CLI wrap them.
fn dns_events(run: RunId, sink: EventSink) -> resolve::DnsSink {
    Arc::new(move |e| {
        sink(Event {
            run,
            body: EventBody::Dns(e),
        })
    })
}

fn fetch(ns: &nsd::Nsd, domain: &str) -> Published {
    let rt = rt();
    rt.block_on(async {
        let r = Resolver::new(&settings(ns)).await.expect("resolver");
        resolve::fetch(&r, &Plan::for_domain(domain), &resolve::discard()).await
    })
}

fn one(rt: &tokio::runtime::Runtime, s: &Settings, name: &str, rtype: &str) -> resolve::RRset {
    rt.block_on(async {
        let r = Resolver::new(s).await.expect("resolver");
        r.query(name, rtype.parse().expect("type"), &resolve::discard())
            .await
    })
}

fn get<'a>(p: &'a Published, name: &str, rtype: &str) -> &'a resolve::RRset {
    p.rrset(name, rtype)
        .unwrap_or_else(|| panic!("{name} {rtype} was not asked: {:#?}", p.rrsets))
}

fn live_findings(p: &Published) -> Vec<(String, String)> {
    let input = published_input(p);
    rules::run(&input, &[Needs::Static, Needs::Dns])
        .into_iter()
        .map(|f| (f.rule.to_string(), f.subject))
        .collect()
}

fn published_input(p: &Published) -> rules::Input<'_> {
    rules::Input {
        domain: &p.domain,
        level: secmx::model::Level::L2,
        profile: secmx::model::Profile::Secmx,
        srv_label: &p.srv_label,
        relays: &[],
        records: &p.records,
        sts_policy: None,
        sts_policy_issued_for: None,
        options: rules::Options {
            test_domain: true,
            secure_only: false,
        },
        live: Some(p),
        probes: None,
        dkim_selectors: &[],
    }
}

fn has(f: &[(String, String)], rule: &str) -> bool {
    f.iter().any(|(r, _)| r == rule)
}

#[test]
fn statuses_and_proofs_are_told_apart() {
    let ns = server();
    eprintln!("nsd startup: {:?}", ns.startup);
    let rt = rt();
    let s = settings(&ns);
    let mx = one(&rt, &s, "sec.test", "MX");
    assert_eq!(
        (mx.status, mx.dnssec),
        (Status::Ok, Dnssec::Secure),
        "{mx:?}"
    );
    assert_eq!(mx.records, vec!["10 mx1.sec.test."]);
    assert_eq!(mx.ttl, Some(3600));

    let ins = one(&rt, &s, "ins.test", "MX");
    assert_eq!(
        (ins.status, ins.dnssec),
        (Status::Ok, Dnssec::Insecure),
        "{ins:?}"
    );

    let nx = one(&rt, &s, "nothere.sec.test", "A");
    assert_eq!(nx.status, Status::Nxdomain, "{nx:?}");
    assert_eq!(
        nx.dnssec,
        Dnssec::Secure,
        "a signed NXDOMAIN proves itself: {nx:?}"
    );

    let nx_ins = one(&rt, &s, "nothere.ins.test", "A");
    assert_eq!(
        (nx_ins.status, nx_ins.dnssec),
        (Status::Nxdomain, Dnssec::Insecure),
        "{nx_ins:?}"
    );

    let nodata = one(&rt, &s, "mx1.sec.test", "TXT");
    assert_eq!(
        (nodata.status, nodata.dnssec),
        (Status::Nodata, Dnssec::Secure),
        "{nodata:?}"
    );

    let bogus = one(&rt, &s, "bogus.test", "MX");
    assert_eq!(bogus.dnssec, Dnssec::Bogus, "{bogus:?}");

    let sf = one(&rt, &s, "broken.test", "MX");
    assert_eq!(sf.status, Status::Servfail, "{sf:?}");

    let refused = one(&rt, &s, "elsewhere.example", "MX");
    assert_eq!(refused.status, Status::Refused, "{refused:?}");

    let silent = nsd::silent();
    let quiet = Settings {
        nameserver: Some(([127, 0, 0, 1], silent.port).into()),
        timeout: Duration::from_millis(500),
        ..settings(&ns)
    };
    let t = one(&rt, &quiet, "sec.test", "MX");
    assert_eq!(t.status, Status::Timeout, "{t:?}");
}

#[test]
fn published_state_of_a_signed_level2_domain() {
    let ns = server();
    let (sink, events) = collect();
    let rt = rt();
    let p = rt.block_on(async {
        let r = Resolver::new(&settings(&ns)).await.expect("resolver");
        resolve::fetch(
            &r,
            &Plan::for_domain("sec.test"),
            &dns_events(RunId(7), sink),
        )
        .await
    });
    for (name, rtype) in [
        ("sec.test", "MX"),
        ("_secmx._tcp.sec.test", "SRV"),
        ("mx1.sec.test", "A"),
        ("mx1.sec.test", "AAAA"),
        ("_25._tcp.mx1.sec.test", "TLSA"),
        ("sor1.sec.test", "A"),
        ("_25._tcp.sor1.sec.test", "TLSA"),
        ("_mta-sts.sec.test", "TXT"),
        ("_smtp._tls.sec.test", "TXT"),
    ] {
        let s = get(&p, name, rtype);
        assert_eq!((s.status, s.dnssec), (Status::Ok, Dnssec::Secure), "{s:?}");
    }
    assert_eq!(get(&p, "sor1.sec.test", "AAAA").status, Status::Nodata);
    let f = live_findings(&p);
    for rule in [
        "MX-003", "SRV-006", "SOR-005", "XR-006", "XR-007", "TLSA-012", "TLSA-013", "TLSA-016",
        "XR-011", "STS-001",
    ] {
        assert!(
            !has(&f, rule),
            "{rule} fired on the clean signed domain: {f:?}"
        );
    }
    let ev = events.lock().expect("lock");
    let started = ev
        .iter()
        .filter(|e| {
            matches!(
                &e.body,
                EventBody::Dns(resolve::DnsEvent::QueryStarted { .. })
            )
        })
        .count();
    assert_eq!(started, p.rrsets.len(), "one started event per query");
    assert!(ev.iter().all(|e| e.run == RunId(7)));
    let line = serde_json::to_string(&ev[0]).expect("json");
    assert!(
        line.contains("\"source\":\"dns\"") && line.contains("\"event\":\"query_started\""),
        "{line}"
    );
}

#[test]
fn tlsa_in_signed_and_unsigned_zones() {
    let ns = server();
    let ins = fetch(&ns, "ins.test");
    let t = get(&ins, "_25._tcp.mx1.ins.test", "TLSA");
    assert_eq!((t.status, t.dnssec), (Status::Ok, Dnssec::Insecure));
    let f = live_findings(&ins);
    for rule in ["TLSA-012", "XR-006", "TLSA-016", "XR-007", "SOR-005"] {
        assert!(
            has(&f, rule),
            "{rule} should fire in the unsigned zone: {f:?}"
        );
    }
    let sec = fetch(&ns, "sec.test");
    let f = live_findings(&sec);
    assert!(!has(&f, "TLSA-012") && !has(&f, "XR-006"), "{f:?}");
}

#[test]
fn mx_targets_cname_no_address_ip_null_and_implicit() {
    let ns = server();
    let c = fetch(&ns, "cname.sec.test");
    let a = get(&c, "alias.cname.sec.test", "A");
    assert_eq!(
        a.cname.as_deref(),
        Some("mx1.sec.test."),
        "CNAME detected: {a:?}"
    );
    assert_eq!(
        c.records.cname_of("alias.cname.sec.test"),
        Some("mx1.sec.test")
    );
    // MX-002 (a static rule, judged on these published records) sees the CNAME at the exchange.
    assert!(
        c.records
            .mx_of("cname.sec.test")
            .any(|(_, _, ex)| ex == "alias.cname.sec.test")
    );
    let f = live_findings(&c);
    assert!(!has(&f, "MX-003"), "the alias still resolves: {f:?}");
    assert!(has(&f, "MX-002"), "MX exchange behind a CNAME: {f:?}");

    let n = fetch(&ns, "noaddr.sec.test");
    assert_eq!(
        get(&n, "ghost.noaddr.sec.test", "A").status,
        Status::Nxdomain
    );
    assert!(has(&live_findings(&n), "MX-003"));

    let ip = fetch(&ns, "ipmx.sec.test");
    let f: Vec<_> = rules::run(&published_input(&ip), &[Needs::Dns]);
    let m = f
        .iter()
        .find(|x| x.rule == "MX-003")
        .expect("MX-003 on an IP exchange");
    assert!(m.message.contains("IP address"), "{m:?}");

    let null = fetch(&ns, "nullmx.sec.test");
    assert!(null.null_mx());
    assert!(null.mx_targets().is_empty());
    assert!(!has(&live_findings(&null), "MX-003"));

    let imp = fetch(&ns, "implicit.sec.test");
    assert_eq!(get(&imp, "implicit.sec.test", "MX").status, Status::Nodata);
    assert!(imp.implicit_mx());
    assert_eq!(imp.mx_targets(), vec!["implicit.sec.test".to_string()]);
    assert!(
        imp.rrset("_25._tcp.implicit.sec.test", "TLSA").is_some(),
        "the implicit MX host is looked at too"
    );
}

#[test]
fn secmx_srv_present_absent_and_dot() {
    let ns = server();
    let present = fetch(&ns, "sec.test");
    assert_eq!(
        present.srv_targets(),
        vec![("sor1.sec.test".to_string(), 25)]
    );
    let absent = fetch(&ns, "noaddr.sec.test");
    let s = get(&absent, "_secmx._tcp.noaddr.sec.test", "SRV");
    assert_eq!(s.status, Status::Nxdomain, "{s:?}");
    assert!(absent.srv_targets().is_empty());
    let dot = fetch(&ns, "srvdot.sec.test");
    let s = get(&dot, "_secmx._tcp.srvdot.sec.test", "SRV");
    assert_eq!(
        (s.status, s.records.clone()),
        (Status::Ok, vec!["0 0 0 .".to_string()])
    );
    assert!(dot.srv_targets().is_empty());
    assert!(!has(&live_findings(&dot), "SRV-006"));
}

#[test]
fn mta_sts_two_records_and_cname() {
    let ns = server();
    let two = fetch(&ns, "twosts.sec.test");
    assert_eq!(
        get(&two, "_mta-sts.twosts.sec.test", "TXT").records.len(),
        2
    );
    // STS-001 (a static rule) judges these published records: both TXT records are in them.
    let sts: Vec<String> = two
        .records
        .txt_at("_mta-sts.twosts.sec.test")
        .map(|(_, t)| t)
        .collect();
    assert_eq!(sts.len(), 2, "{sts:?}");
    assert!(sts.iter().all(|t| t.starts_with("v=STSv1")), "{sts:?}");
    let f = live_findings(&two);
    assert!(
        has(&f, "STS-001"),
        "two v=STSv1 records mean no policy: {f:?}"
    );
    let c = fetch(&ns, "stscname.sec.test");
    let t = get(&c, "_mta-sts.stscname.sec.test", "TXT");
    assert_eq!(t.cname.as_deref(), Some("_mta-sts.sec.test."), "{t:?}");
    assert_eq!(t.status, Status::Ok);
    assert!(
        !has(&live_findings(&c), "XR-012"),
        "a CNAME alone is allowed"
    );
}

#[test]
fn tls_rpt_destination_with_null_mx() {
    let ns = server();
    let p = fetch(&ns, "deadrpt.sec.test");
    assert!(
        p.rrset("nullmx.sec.test", "MX").is_some(),
        "the mailto: domain is looked up"
    );
    assert!(has(&live_findings(&p), "XR-011"));
    let ok = fetch(&ns, "sec.test");
    assert!(!has(&live_findings(&ok), "XR-011"));
}

#[test]
fn drift_of_each_kind() {
    let ns = server();
    let text = r#"format = 1
domain = "sec.test"
level = 2
ttl = 300

[[relay]]
host = "mx1.sec.test"
role = "ber"
preference = 10
addresses = ["127.0.0.1", "::1"]
tlsa = ["3 1 1 8f1c2ad1e5c7b6a4908172635445362718293a4b5c6d7e8f9a0b1c2d3e4f5a6b"]

[[relay]]
host = "mx2.sec.test"
role = "ber"
preference = 20
addresses = ["127.0.0.9"]

[mta_sts]
mode = "enforce"
max_age = 604800
id = "20261128"
"#;
    let design = secmx::project::parse_design(text, "drift.secmx.toml").expect("design");
    let rt = rt();
    let p = rt.block_on(async {
        let r = Resolver::new(&settings(&ns)).await.expect("resolver");
        resolve::fetch(&r, &Plan::for_design(&design), &resolve::discard()).await
    });
    let d = resolve::drift(&secmx::zone::records_of(&design), &p);
    let find = |name: &str, rtype: &str| {
        d.iter()
            .find(|x| x.name == name && x.rtype.as_str() == rtype)
            .unwrap_or_else(|| panic!("no drift for {name} {rtype}: {d:#?}"))
    };
    assert_eq!(find("sec.test.", "MX").change, Change::Different);
    assert_eq!(find("mx2.sec.test.", "A").change, Change::Missing);
    assert_eq!(find("_secmx._tcp.sec.test.", "SRV").change, Change::Extra);
    assert_eq!(find("_smtp._tls.sec.test.", "TXT").change, Change::Extra);
    let a = find("mx1.sec.test.", "A");
    assert_eq!(a.change, Change::Different, "same data, TTL 300 vs 3600");
    assert_eq!((a.designed_ttl, a.published_ttl), (Some(300), Some(3600)));
}

#[test]
fn import_from_dns_builds_the_design() {
    let ns = server();
    let p = fetch(&ns, "sec.test");
    let imp = resolve::import::design_from_published(&p).expect("import");
    let d = imp.design;
    assert_eq!(d.level, secmx::model::Level::L2);
    let mut hosts: Vec<(&str, secmx::model::Role)> =
        d.relays.iter().map(|r| (r.host.as_str(), r.role)).collect();
    hosts.sort_by_key(|h| h.0);
    assert_eq!(
        hosts,
        vec![
            ("mx1.sec.test", secmx::model::Role::Ber),
            ("sor1.sec.test", secmx::model::Role::Sor)
        ]
    );
    let mx1 = d
        .relays
        .iter()
        .find(|r| r.host == "mx1.sec.test")
        .expect("mx1");
    assert_eq!(mx1.addresses.len(), 2);
    assert_eq!(mx1.tlsa.len(), 1);
    assert_eq!(
        d.mta_sts.as_ref().and_then(|s| s.id.as_deref()),
        Some("20261128")
    );
    assert_eq!(
        d.tls_rpt.as_ref().map(|t| t.rua.clone()),
        Some(vec!["mailto:tlsrpt@sec.test".to_string()])
    );
    secmx::project::design_to_toml(&d).expect("the imported design saves");
}

fn secmx(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_secmx"))
        .args(args)
        .output()
        .expect("run secmx")
}

#[test]
fn cli_check_domain_json_reports_rrsets_statuses_and_proofs() {
    let ns = server();
    let addr = ns.addr().to_string();
    let anchor = ns.anchor.display().to_string();
    let out = secmx(&[
        "check",
        "--domain",
        "ins.test",
        "--resolver",
        &addr,
        "--trust-anchor",
        &anchor,
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert_eq!(v["domain"], "ins.test");
    let rrsets = v["dns"]["rrsets"].as_array().expect("rrsets");
    let mx = rrsets
        .iter()
        .find(|r| r["name"] == "ins.test." && r["type"] == "MX")
        .expect("MX rrset");
    assert_eq!(mx["records"][0], "10 mx1.ins.test.");
    assert_eq!(mx["ttl"], 3600);
    assert_eq!(mx["dnssec"], "insecure");
    assert_eq!(mx["status"], "ok");
    let rules: Vec<&str> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert!(rules.contains(&"TLSA-012"), "{rules:?}");
    assert_eq!(out.status.code(), Some(1), "error findings → exit 1");
}

#[test]
fn cli_check_design_reports_drift_and_streams_jsonl() {
    let ns = server();
    let dir = tempfile::tempdir().expect("tmp");
    let design = dir.path().join("sec.secmx.toml");
    std::fs::write(
        &design,
        "format = 1\ndomain = \"sec.test\"\nlevel = 2\nttl = 3600\n\n[[relay]]\nhost = \"mx1.sec.test\"\nrole = \"ber\"\npreference = 10\naddresses = [\"127.0.0.1\", \"::1\"]\n\n[[relay]]\nhost = \"sor2.sec.test\"\nrole = \"sor\"\nport = 25\npriority = 10\naddresses = [\"127.0.0.7\"]\n",
    )
    .expect("write design");
    let addr = ns.addr().to_string();
    let anchor = ns.anchor.display().to_string();
    let d = design.display().to_string();
    let out = secmx(&[
        "check",
        &d,
        "--resolver",
        &addr,
        "--trust-anchor",
        &anchor,
        // Drift is the point; no probe (the design's mx1 is 127.0.0.1 and ::1, where another MTA
        // may listen).
        "--no-probe",
        "--format",
        "jsonl",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert!(lines.len() > 10, "{text}");
    assert_eq!(lines[0]["source"], "dns");
    assert_eq!(lines[0]["event"], "query_started");
    // Every DNS event names its type by mnemonic, as text (the typed `RecordType` writes "MX").
    assert!(
        lines
            .iter()
            .filter(|l| l["source"] == "dns" && l["event"] == "query_answered")
            .any(|l| l["type"] == "MX"),
        "{text}"
    );
    let report = lines.last().expect("report");
    let drift = report["dns"]["drift"].as_array().expect("drift");
    let has = |name: &str, t: &str, c: &str| {
        drift
            .iter()
            .any(|d| d["name"] == name && d["type"] == t && d["change"] == c)
    };
    assert!(
        has("_secmx._tcp.sec.test.", "SRV", "different"),
        "{drift:#?}"
    );
    assert!(has("sor2.sec.test.", "A", "missing"), "{drift:#?}");
    assert!(has("_25._tcp.mx1.sec.test.", "TLSA", "extra"), "{drift:#?}");
    // sor2 is designed but not published: drift says so; SRV-006 judges published targets only.
    assert!(report["findings"].is_array() && report["summary"].is_object());
}

#[test]
fn cli_offline_timeout_and_bad_arguments() {
    let silent = nsd::silent();
    let addr = format!("127.0.0.1:{}", silent.port);
    let out = secmx(&[
        "check",
        "--domain",
        "quiet.test",
        "--resolver",
        &addr,
        "--timeout",
        "0.3",
        "--format",
        "json",
    ]);
    // Nothing answered at all: the check could not run (exit 2, one clear line on stderr).
    assert_eq!(out.status.code(), Some(2));
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(e.contains("no DNS answer") && e.contains("timeout"), "{e}");
    let off = secmx(&[
        "check",
        "--domain",
        "quiet.test",
        "--offline",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&off.stdout).expect("json");
    assert!(v["dns"].is_null());
    assert_eq!(off.status.code(), Some(0));
    let bad = secmx(&["check", "--domain", "quiet.test", "--resolver", "nonsense"]);
    assert_eq!(bad.status.code(), Some(2));
    let none = secmx(&["check"]);
    assert_eq!(none.status.code(), Some(2));
}

#[test]
fn cli_import_from_dns() {
    let ns = server();
    let addr = ns.addr().to_string();
    let anchor = ns.anchor.display().to_string();
    let out = secmx(&[
        "import",
        "--domain",
        "sec.test",
        "--from-dns",
        "--resolver",
        &addr,
        "--trust-anchor",
        &anchor,
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let toml = String::from_utf8_lossy(&out.stdout);
    assert!(
        toml.contains("mx1.sec.test") && toml.contains("sor1.sec.test"),
        "{toml}"
    );
    let design = secmx::project::parse_design(&toml, "imported").expect("the import reads back");
    assert_eq!(design.relays.len(), 2);
}

/// An in-process server that breaks the rules NSD enforces: it answers a TXT query at
/// `_mta-sts.liar.test` with a CNAME *and* a TXT at the same name (NSD refuses to load such a zone).
fn liar() -> (
    u16,
    std::thread::JoinHandle<()>,
    Arc<std::sync::atomic::AtomicBool>,
) {
    use hickory_proto::op::{Message, OpCode, ResponseCode};
    use hickory_proto::rr::rdata::{CNAME, TXT};
    use hickory_proto::rr::{Name, RData, Record};
    let sock = std::net::UdpSocket::bind("127.0.0.1:0").expect("bind");
    sock.set_read_timeout(Some(Duration::from_millis(50)))
        .expect("timeout");
    let port = sock.local_addr().expect("addr").port();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let stop2 = Arc::clone(&stop);
    let h = std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while !stop2.load(std::sync::atomic::Ordering::Relaxed) {
            let Ok((n, from)) = sock.recv_from(&mut buf) else {
                continue;
            };
            let Ok(q) = Message::from_vec(&buf[..n]) else {
                continue;
            };
            let mut resp = Message::response(q.metadata.id, OpCode::Query);
            resp.metadata.authoritative = true;
            let mut nx = true;
            for query in &q.queries {
                resp.add_query(query.clone());
                let owner = Name::from_ascii("_mta-sts.liar.test.").expect("name");
                if query.name() == &owner && query.query_type().to_string() == "TXT" {
                    nx = false;
                    let target = Name::from_ascii("_mta-sts.vendor.test.").expect("name");
                    resp.add_answer(Record::from_rdata(
                        owner.clone(),
                        300,
                        RData::CNAME(CNAME(target)),
                    ));
                    resp.add_answer(Record::from_rdata(
                        owner,
                        300,
                        RData::TXT(TXT::new(vec!["v=STSv1; id=1".into()])),
                    ));
                }
            }
            if nx {
                resp.metadata.response_code = ResponseCode::NXDomain;
            }
            if let Ok(bytes) = resp.to_vec() {
                let _ = sock.send_to(&bytes, from);
            }
        }
    });
    (port, h, stop)
}

#[test]
fn txt_and_cname_at_mta_sts_are_both_seen() {
    let (port, handle, stop) = liar();
    let rt = rt();
    let s = Settings {
        nameserver: Some(([127, 0, 0, 1], port).into()),
        validate: false,
        timeout: Duration::from_secs(2),
        ..Settings::default()
    };
    let t = one(&rt, &s, "_mta-sts.liar.test", "TXT");
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let _ = handle.join();
    assert_eq!(t.status, Status::Ok, "{t:?}");
    assert_eq!(t.cname.as_deref(), Some("_mta-sts.vendor.test."), "{t:?}");
    assert_eq!(t.records, vec!["\"v=STSv1; id=1\"".to_string()], "{t:?}");
    // XR-012 (static) judges these published records: both are in them.
    let p = Published::from_rrsets("liar.test", "_secmx", vec![t], 0);
    assert!(p.records.cname_of("_mta-sts.liar.test").is_some());
    assert_eq!(p.records.txt_at("_mta-sts.liar.test").count(), 1);
    let f = live_findings(&p);
    assert!(has(&f, "XR-012"), "TXT beside a CNAME: {f:?}");
}

#[test]
fn trust_anchor_file_with_a_ds_line() {
    let ns = server();
    let ds = ns.anchor.with_extension("ds");
    let rt = rt();
    let s = Settings {
        trust_anchor: Some(ds),
        ..settings(&ns)
    };
    let mx = one(&rt, &s, "sec.test", "MX");
    assert_eq!(
        (mx.status, mx.dnssec),
        (Status::Ok, Dnssec::Secure),
        "{mx:?}"
    );
    // A DS that matches no key is a setup error, not a silent fallback.
    let bad = ns.dir().join("bad.ds");
    std::fs::write(&bad, format!("test. IN DS 1 13 2 {}\n", "00".repeat(32))).expect("write");
    let err = rt.block_on(async {
        Resolver::new(&Settings {
            trust_anchor: Some(bad),
            ..settings(&ns)
        })
        .await
        .err()
    });
    assert!(err.is_some_and(|e| e.to_string().contains("matches the DS")));
}

#[test]
fn bogus_zone_is_reported() {
    let ns = server();
    let p = fetch(&ns, "bogus.test");
    let mx = get(&p, "bogus.test", "MX");
    assert_eq!(
        (mx.status, mx.dnssec),
        (Status::Servfail, Dnssec::Bogus),
        "{mx:?}"
    );
    assert!(
        has(&live_findings(&p), "XR-007"),
        "a bogus MX RRset is reported"
    );
}

#[test]
fn large_answers_fall_back_to_tcp() {
    let ns = server();
    let rt = rt();
    let t = one(&rt, &settings(&ns), "big.sec.test", "TXT");
    assert_eq!((t.status, t.dnssec), (Status::Ok, Dnssec::Secure), "{t:?}");
    assert_eq!(
        t.records.len(),
        16,
        "all 16 records (about 4 KB) arrive: {t:?}"
    );
}

/// An in-process server that answers every UDP query with `rcode` (and nothing else).
fn answering(
    rcode: hickory_proto::op::ResponseCode,
) -> (
    u16,
    std::thread::JoinHandle<()>,
    Arc<std::sync::atomic::AtomicBool>,
) {
    use hickory_proto::op::{Message, OpCode};
    let sock = std::net::UdpSocket::bind("127.0.0.1:0").expect("bind");
    sock.set_read_timeout(Some(Duration::from_millis(50)))
        .expect("timeout");
    let port = sock.local_addr().expect("addr").port();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let stop2 = Arc::clone(&stop);
    let h = std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while !stop2.load(std::sync::atomic::Ordering::Relaxed) {
            let Ok((n, from)) = sock.recv_from(&mut buf) else {
                continue;
            };
            let Ok(q) = Message::from_vec(&buf[..n]) else {
                continue;
            };
            let mut resp = Message::error_msg(q.metadata.id, OpCode::Query, rcode);
            resp.metadata.recursion_available = true;
            for query in &q.queries {
                resp.add_query(query.clone());
            }
            if let Ok(bytes) = resp.to_vec() {
                let _ = sock.send_to(&bytes, from);
            }
        }
    });
    (port, h, stop)
}

/// Issue 13.6: a resolver that answers SERVFAIL to everything is no more an answer than one that
/// never answers: `check` says so and exits 2 instead of "0 errors".
#[test]
fn a_resolver_that_only_says_servfail_is_no_answer() {
    let (port, handle, stop) = answering(hickory_proto::op::ResponseCode::ServFail);
    let addr = format!("127.0.0.1:{port}");
    let out = secmx(&[
        "check",
        "--domain",
        "d.test",
        "--no-probe",
        "--resolver",
        &addr,
        "--timeout",
        "1",
    ]);
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let _ = handle.join();
    let e = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{e}\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(e.contains("no DNS answer") && e.contains("servfail"), "{e}");
    assert_eq!(e.lines().count(), 1, "{e}");
}
