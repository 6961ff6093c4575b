//! Issue 11, "verdict truth": exit statuses that say what was judged, the system CA store, SPF
//! lookups over the whole include tree, the DMARC tree walk, authoritative TTLs, and answers
//! cross-checked against peers no one here wrote.

use crate::probe::cli;
use std::net::TcpListener;
use std::time::Duration;

/// A relay that accepts connections and never says a word; kept open while this lives.
pub(crate) struct SilentRelay {
    pub port: u16,
    _held: std::sync::Arc<std::sync::Mutex<Vec<std::net::TcpStream>>>,
}

pub(crate) fn silent_relay(addr: &str) -> SilentRelay {
    let l = TcpListener::bind((addr, 0)).expect("bind a silent relay");
    let port = l.local_addr().expect("address").port();
    let held: std::sync::Arc<std::sync::Mutex<Vec<std::net::TcpStream>>> = Default::default();
    let h = held.clone();
    std::thread::spawn(move || {
        for s in l.incoming().flatten() {
            h.lock().expect("lock").push(s);
        }
    });
    SilentRelay { port, _held: held }
}

#[test]
fn a_relay_that_times_out_exits_inconclusive_not_zero() {
    let relay = silent_relay("127.0.0.1");
    let target = format!("127.0.0.1:{}", relay.port);
    let t0 = std::time::Instant::now();
    let (code, out, err) = cli(&["probe", &target, "--timeout", "1", "--quick", "--no-ptr"]);
    assert_eq!(
        code, 3,
        "a silent relay is inconclusive (3), not a pass: {out}{err}"
    );
    assert!(out.contains("INCONCLUSIVE"), "{out}");
    assert!(t0.elapsed() < Duration::from_secs(30));
    // JSON says the same.
    let (code, out, _) = cli(&[
        "probe",
        &target,
        "--timeout",
        "1",
        "--quick",
        "--no-ptr",
        "--format",
        "json",
    ]);
    assert_eq!(code, 3);
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(v["probes"][0]["verdict"], "inconclusive", "{out}");
}

#[test]
fn every_exit_status_is_listed_in_help_and_readme() {
    let readme = include_str!("../../README.md");
    for args in [
        vec!["--help"],
        vec!["check", "--help"],
        vec!["probe", "--help"],
    ] {
        let (code, out, _) = cli(&args);
        assert_eq!(code, 0);
        for line in [
            "Exit status:",
            "  0  ",
            "  1  ",
            "  2  ",
            "  3  inconclusive",
        ] {
            assert!(out.contains(line), "{args:?} --help lacks {line:?}:\n{out}");
        }
    }
    for status in ["| `0` |", "| `1` |", "| `2` |", "| `3` |"] {
        assert!(readme.contains(status), "README lacks exit status {status}");
    }
}

/// A Postfix relay on 127.0.0.1 with the test CA's "valid" certificate (best effort).
pub(crate) fn valid_relay() -> (crate::probe::Postfix, crate::probe::Certs, u16) {
    use crate::probe::{Certs, Listener, Postfix, free_port, tls_opts};
    let port = free_port();
    let mut certs = None;
    let pf = Postfix::start(|dir| {
        certs = Some(Certs::make(dir));
        vec![Listener {
            addr: std::net::Ipv4Addr::LOCALHOST.into(),
            port,
            opts: tls_opts(dir, "valid", "may"),
        }]
    });
    (pf, certs.expect("certificates"), port)
}

/// `secmx probe` as a process with these environment variables; (status, stdout JSON).
fn probe_process(args: &[&str], env: &[(&str, &std::path::Path)]) -> (i32, serde_json::Value) {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_secmx"));
    cmd.arg("probe").args(args).args(["--format", "json"]);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run secmx");
    let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), v)
}

#[test]
fn system_roots_trust_a_ca_installed_in_the_system_store_only_when_asked() {
    let (_pf, certs, port) = valid_relay();
    let store = tempfile::tempdir().expect("tempdir");
    let empty_dir = store.path().join("certs");
    std::fs::create_dir_all(&empty_dir).expect("dir");
    let env = [
        ("SSL_CERT_FILE", certs.ca_pem.as_path()),
        ("SSL_CERT_DIR", empty_dir.as_path()),
    ];
    let target = format!("127.0.0.1:{port}");
    let base = [target.as_str(), "--timeout", "5", "--quick", "--no-ptr"];
    let (_, v) = probe_process(&base, &env);
    assert_eq!(
        v["probes"][0]["certificate"]["pkix"], "untrusted",
        "without --system-roots the system store is not used: {v:#}"
    );
    let mut with = base.to_vec();
    with.push("--system-roots");
    let (code, v) = probe_process(&with, &env);
    assert_eq!(
        v["probes"][0]["certificate"]["pkix"], "valid",
        "the CA in SSL_CERT_FILE is trusted with --system-roots: {v:#}"
    );
    assert_eq!(code, 0, "{v:#}");
    // An empty system store is an error, not a silent "trust nothing more".
    let nothing = store.path().join("none.pem");
    std::fs::write(&nothing, "").expect("write");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_secmx"))
        .arg("probe")
        .args(&with)
        .env("SSL_CERT_FILE", &nothing)
        .env("SSL_CERT_DIR", &empty_dir)
        .output()
        .expect("run secmx");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("system's CA store"));
}

#[test]
fn the_window_setting_trusts_the_system_store() {
    let s = secmx::worker::NetSettings {
        system_roots: true,
        ..Default::default()
    };
    let plain = secmx::worker::NetSettings::default()
        .live()
        .expect("settings");
    // The host's own store may be empty in a container; then the setting must say so.
    match s.live() {
        Ok(l) => assert!(l.probe.roots.len() > plain.probe.roots.len()),
        Err(e) => assert!(e.to_string().contains("system's CA store"), "{e}"),
    }
}

// ---------------------------------------------------------------------------------------------
// SPF over the whole include tree, DMARC up the tree: real signed NSD zones.

use crate::dns::nsd::{self, Sign, Zone};
use secmx::resolve::{self, Plan, Published, Resolver, Settings};

/// SPF fixture: `nK.spf.test` needs K DNS-querying terms over its whole tree while its own record
/// has at most 7 (an include chain b → c costs 5); `v2`/`v3` make 2 and 3 void lookups.
pub(crate) const SPF_ZONE: &str = "\
h A 192.0.2.10\n\
h MX 10 h\n\
b TXT \"v=spf1 include:c.spf.test a:h.spf.test -all\"\n\
c TXT \"v=spf1 a:h.spf.test mx:h.spf.test -all\"\n\
n9 TXT \"v=spf1 include:b.spf.test a:h.spf.test a:h.spf.test a:h.spf.test a:h.spf.test -all\"\n\
n10 TXT \"v=spf1 include:b.spf.test a:h.spf.test a:h.spf.test a:h.spf.test a:h.spf.test mx:h.spf.test -all\"\n\
n11 TXT \"v=spf1 include:b.spf.test a:h.spf.test a:h.spf.test a:h.spf.test a:h.spf.test mx:h.spf.test mx:h.spf.test -all\"\n\
n11 MX 10 h\n\
v2 TXT \"v=spf1 a:nx1.spf.test a:nx2.spf.test -all\"\n\
v3 TXT \"v=spf1 a:nx1.spf.test a:nx2.spf.test a:nx3.spf.test -all\"\n";

/// DMARC fixture: `mail.org.test` publishes no `_dmarc`; its organisational domain does.
pub(crate) const ORG_ZONE: &str = "\
@ MX 10 mx\n\
mx A 192.0.2.20\n\
_dmarc TXT \"v=DMARC1; p=reject; sp=quarantine; rua=mailto:dmarc@org.test\"\n\
mail MX 10 mx\n\
mail TXT \"v=spf1 -all\"\n\
own MX 10 mx\n\
_dmarc.own TXT \"v=DMARC1; p=none\"\n";

pub(crate) fn spf_dmarc_nsd() -> nsd::Nsd {
    nsd::start(
        &[
            Zone::new("spf.test", Sign::Yes, SPF_ZONE),
            Zone::new("org.test", Sign::Yes, ORG_ZONE),
        ],
        &[],
    )
}

pub(crate) fn fetch_domain(ns: &nsd::Nsd, domain: &str) -> Published {
    let rt = crate::probe::rt();
    let settings = Settings {
        nameserver: Some(ns.addr()),
        trust_anchor: Some(ns.anchor.clone()),
        timeout: Duration::from_secs(3),
        ..Settings::default()
    };
    rt.block_on(async {
        let r = Resolver::new(&settings).await.expect("resolver");
        resolve::fetch(&r, &Plan::for_domain(domain), &secmx::resolve::discard()).await
    })
}

#[test]
fn spf_lookups_are_counted_over_the_whole_include_tree() {
    let ns = spf_dmarc_nsd();
    for (domain, top, whole) in [
        ("n9.spf.test", 5, 9),
        ("n10.spf.test", 6, 10),
        ("n11.spf.test", 7, 11),
    ] {
        let p = fetch_domain(&ns, domain);
        // The include targets were asked by the fetch itself.
        for name in ["b.spf.test", "c.spf.test"] {
            assert!(p.rrset(name, "TXT").is_some(), "{domain}: {name} TXT asked");
        }
        let text = p.records.txt_at(domain).next().expect("SPF").1;
        let own = secmx::rules::sge::parse_spf(&text)
            .expect("SPF")
            .dns_terms();
        assert_eq!(own, top, "{domain}: its own record");
        let tree = resolve::spf::walk(&p, domain).expect("one SPF record");
        assert_eq!(tree.lookups, whole, "{domain}: {tree:?}");
        assert_eq!(tree.too_many_lookups(), whole > 10, "{domain}");
        assert!(tree.missing.is_empty(), "{domain}: {tree:?}");
        assert_eq!(tree.voids, 0);
    }
    for (domain, voids) in [("v2.spf.test", 2), ("v3.spf.test", 3)] {
        let p = fetch_domain(&ns, domain);
        let tree = resolve::spf::walk(&p, domain).expect("one SPF record");
        assert_eq!(tree.voids, voids, "{domain}: {tree:?}");
        assert_eq!(tree.too_many_voids(), voids > 2);
    }
}

/// `secmx check DESIGN` of an SGE design (as published and as designed) over the fixture zones.
pub(crate) fn check_sge(
    ns: &nsd::Nsd,
    domain: &str,
    spf: &str,
    dmarc: Option<&str>,
) -> serde_json::Value {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("d.secmx.toml");
    let dmarc = dmarc
        .map(|d| format!("dmarc = \"{d}\"\n"))
        .unwrap_or_default();
    std::fs::write(
        &file,
        format!(
            "format = 1\ndomain = \"{domain}\"\nlevel = 1\nprofile = \"sge\"\ntest_domain = true\n\n\
             [[relay]]\nhost = \"h.spf.test\"\nrole = \"ber\"\npreference = 10\n\n\
             [sge]\nspf = \"{spf}\"\n{dmarc}"
        ),
    )
    .expect("design");
    let anchor = ns.anchor.display().to_string();
    let addr = ns.addr().to_string();
    let (_, out, err) = cli(&[
        "check",
        file.to_str().expect("path"),
        "--resolver",
        &addr,
        "--trust-anchor",
        &anchor,
        "--no-probe",
        "--timeout",
        "3",
        "--format",
        "json",
    ]);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}{err}"))
}

fn messages(v: &serde_json::Value, rule: &str) -> Vec<String> {
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == rule)
        .map(|f| f["message"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn sge_004_judges_the_whole_spf_tree_as_published() {
    let ns = spf_dmarc_nsd();
    let top11 = "v=spf1 include:b.spf.test a:h.spf.test a:h.spf.test a:h.spf.test a:h.spf.test mx:h.spf.test mx:h.spf.test -all";
    let v = check_sge(&ns, "n11.spf.test", top11, None);
    let m = messages(&v, "SGE-004");
    assert!(
        m.iter()
            .any(|m| m.contains("more than 10 DNS-querying terms")),
        "11 lookups over the tree: {m:?}"
    );
    let top10 = "v=spf1 include:b.spf.test a:h.spf.test a:h.spf.test a:h.spf.test a:h.spf.test mx:h.spf.test -all";
    let v = check_sge(&ns, "n10.spf.test", top10, None);
    assert!(
        !messages(&v, "SGE-004")
            .iter()
            .any(|m| m.contains("DNS-querying")),
        "10 is allowed: {v:#}"
    );
    let v = check_sge(
        &ns,
        "v3.spf.test",
        "v=spf1 a:nx1.spf.test a:nx2.spf.test a:nx3.spf.test -all",
        None,
    );
    assert!(
        messages(&v, "SGE-004")
            .iter()
            .any(|m| m.contains("3 void lookups")),
        "{:?}",
        messages(&v, "SGE-004")
    );
}

#[test]
fn dmarc_is_found_up_the_tree_at_the_organisational_domain() {
    let ns = spf_dmarc_nsd();
    let p = fetch_domain(&ns, "mail.org.test");
    assert_eq!(
        p.rrset("_dmarc.mail.org.test", "TXT").map(|s| s.status),
        Some(resolve::Status::Nxdomain)
    );
    assert!(
        p.rrset("_dmarc.org.test", "TXT")
            .is_some_and(|s| s.status == resolve::Status::Ok),
        "the tree walk asked the organisational domain"
    );
    assert_eq!(
        secmx::rules::sge::dmarc_tree_names("mail.org.test"),
        ["_dmarc.mail.org.test", "_dmarc.org.test", "_dmarc.test"]
    );
    // The subdomain's policy is the organisational record's `sp=quarantine`, from `_dmarc.org.test`:
    // no "no DMARC record" error, but the inherited policy is judged and its source named.
    let v = check_sge(&ns, "mail.org.test", "v=spf1 -all", None);
    let m = messages(&v, "SGE-006");
    assert!(
        !m.iter().any(|m| m.contains("no `v=DMARC1` record")),
        "{m:?}"
    );
    assert!(
        m.iter()
            .any(|m| m.contains("sp=quarantine") && m.contains("_dmarc.org.test")),
        "{m:?}"
    );
    // A domain with its own record is judged by it (no walk).
    let v = check_sge(&ns, "own.org.test", "v=spf1 -all", None);
    assert!(
        messages(&v, "SGE-006").iter().any(|m| m.contains("p=none")),
        "{v:#}"
    );
}

/// Issue 11 part 5: `check DESIGN` of an SGE design whose domain serves an enforce policy must not
/// say "no policy file to check (as published)" in the same run that fetched it.
#[cfg(feature = "gui")] // the parity fixture lives beside the window parity test
#[test]
fn sge_check_of_a_served_enforce_policy_raises_no_missing_policy_file() {
    let fx = crate::parity::fixture();
    let design = std::fs::read_to_string(&fx.design_file).expect("design");
    let sge = design.replacen("level = 2\n", "level = 2\nprofile = \"sge\"\n", 1);
    let file = fx.work.path().join("sge.secmx.toml");
    std::fs::write(&file, sge).expect("write");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_secmx"))
        .arg("check")
        .arg(&file)
        .arg("--resolver")
        .arg(fx.ns.addr().to_string())
        .arg("--trust-anchor")
        .arg(&fx.ns.anchor)
        .arg("--ca")
        .arg(&fx.ca_file)
        .args(["--timeout", "10", "--quick", "--mta-sts-port"])
        .arg(fx.sts_port.to_string())
        .args(["--format", "json"])
        .output()
        .expect("run secmx");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert_eq!(v["mta_sts_policy"]["policy"]["mode"], "enforce", "{v:#}");
    let sge002 = messages(&v, "SGE-002");
    assert!(
        !sge002.iter().any(|m| m.contains("no policy file")),
        "the run fetched an enforce policy: {sge002:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Import TTLs through a caching resolver (Unbound).

/// A private Unbound (iterator only, no validation) with a stub zone `test.` at the NSD port;
/// stopped by pid on drop.
pub(crate) struct Unbound {
    pub port: u16,
    child: std::process::Child,
    _dir: tempfile::TempDir,
}

impl Drop for Unbound {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn unbound(ns: &nsd::Nsd) -> Unbound {
    unbound_at(ns, "127.0.0.1", nsd::free_port())
}

/// [`unbound`] on a given address and port (the peers ask port 53 only).
pub(crate) fn unbound_at(ns: &nsd::Nsd, addr: &str, port: u16) -> Unbound {
    let bin = std::path::Path::new("/usr/sbin/unbound");
    assert!(
        bin.exists(),
        "FATAL: /usr/sbin/unbound is missing: install Debian `unbound` (tests/run.sh does)"
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let conf = dir.path().join("unbound.conf");
    std::fs::write(
        &conf,
        format!(
            "server:\n  interface: {addr}\n  port: {port}\n  do-daemonize: no\n  username: \"\"\n  \
             chroot: \"\"\n  directory: \"{d}\"\n  pidfile: \"\"\n  use-syslog: no\n  logfile: \"\"\n  \
             do-not-query-localhost: no\n  module-config: \"iterator\"\n  local-zone: \"test.\" transparent\n  \
             num-threads: 1\n  do-ip6: no\n\n\
             stub-zone:\n  name: \"test.\"\n  stub-addr: 127.0.0.1@{nsd}\n",
            d = dir.path().display(),
            nsd = ns.port
        ),
    )
    .expect("unbound.conf");
    let child = std::process::Command::new(bin)
        .arg("-d")
        .arg("-c")
        .arg(&conf)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start unbound");
    let u = Unbound {
        port,
        child,
        _dir: dir,
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect((addr, port)).is_err() {
        assert!(
            std::time::Instant::now() < deadline,
            "unbound did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    u
}

pub(crate) const TTL_ZONE: &str = "\
@ 30 MX 10 mx\n\
mx 30 A 192.0.2.30\n\
_smtp._tls 30 TXT \"v=TLSRPTv1; rua=mailto:tlsrpt@ttl.test\"\n";

#[test]
fn import_from_dns_takes_the_zone_files_ttls_not_a_caches_countdown() {
    let ns = nsd::start(&[Zone::new("ttl.test", Sign::Yes, TTL_ZONE)], &[]);
    let ub = unbound(&ns);
    let resolver = format!("127.0.0.1:{}", ub.port);
    let anchor = ns.anchor.display().to_string();
    let nsd_port = ns.port.to_string();
    let import = |auth_port: &str| {
        cli(&[
            "import",
            "--from-dns",
            "--domain",
            "ttl.test",
            "--resolver",
            &resolver,
            "--trust-anchor",
            &anchor,
            "--timeout",
            "3",
            "--authoritative-port",
            auth_port,
        ])
    };
    // Fill the cache, let it count down.
    let (code, out, err) = import(&nsd_port);
    assert_eq!(code, 0, "{out}{err}");
    std::thread::sleep(Duration::from_secs(3));
    // Without a reachable authoritative server the cache's countdown shows (and a note says so).
    let (code, cached, err) = import("1");
    assert_eq!(code, 0, "{cached}{err}");
    assert!(err.contains("no authoritative server"), "{err}");
    assert!(
        !cached.contains("ttl = 30\n"),
        "the cache counted down, so this is the control: {cached}"
    );
    // With the zone's server asked directly: exactly the zone file's TTLs.
    let (code, out, err) = import(&nsd_port);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("ttl = 30\n"), "{out}\n{err}");
    for line in out.lines().filter(|l| l.trim_start().starts_with("ttl")) {
        assert_eq!(
            line.trim(),
            "ttl = 30",
            "every TTL is the zone file's: {out}"
        );
    }
    assert!(!err.contains("no authoritative server"), "{err}");
}
