//! Exported zone snippets are accepted by BIND's `named-checkzone` with every check set to fail, and
//! round-trip through the importer.
//!
//! The snippet holds no SOA or NS, so each test writes a file with a minimal SOA, an NS and the name
//! server's address in front of it. `named-checkzone` must be installed (Debian/Ubuntu:
//! `apt-get install bind9-utils`); without it these tests fail, they never skip.

// Test helpers outside `#[test]` functions: clippy's allow-*-in-tests does not reach them.

use secmx::model::{
    Design, DomainName, Level, MtaSts, Profile, Relay, Role, SgeTexts, StsMode, TlsRpt,
};
use secmx::zone::{ExportOptions, export_zone, import_zone};
use std::io::Write;
use std::process::Command;
use std::time::Instant;

/// Run `named-checkzone -k fail -m fail -M fail -S fail -i local` on the snippet inside a minimal zone;
/// panic with its whole output when it does not accept the zone.
fn checkzone(domain: &str, snippet: &str) {
    let zone = format!(
        "$ORIGIN {domain}.\n$TTL 3600\n\
         @ IN SOA ns1.{domain}. hostmaster.{domain}. 1 7200 3600 1209600 3600\n\
         @ IN NS ns1.{domain}.\n\
         ns1.{domain}. IN A 192.0.2.53\n\n{snippet}"
    );
    let mut file = tempfile::Builder::new()
        .suffix(".zone")
        .tempfile()
        .expect("temporary zone file");
    file.write_all(zone.as_bytes()).expect("write zone file");
    file.flush().expect("flush zone file");
    let started = Instant::now();
    let out = Command::new("named-checkzone")
        .args([
            "-k", "fail", "-m", "fail", "-M", "fail", "-S", "fail", "-i", "local",
        ])
        .arg(domain)
        .arg(file.path())
        .output();
    let out = match out {
        Ok(o) => o,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => panic!(
            "named-checkzone is not installed, so exported zones cannot be checked: install it \
             (Debian/Ubuntu: apt-get install --no-install-recommends bind9-utils) and run the tests again"
        ),
        Err(e) => panic!("named-checkzone could not be run: {e}"),
    };
    let took = started.elapsed();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stdout.contains("OK"),
        "named-checkzone rejected the zone ({}):\n{stdout}{stderr}\n--- zone ---\n{zone}",
        out.status
    );
    eprintln!("named-checkzone {domain}: OK in {} ms", took.as_millis());
}

/// Export, check with BIND, and check export → import → export gives the same text.
fn check_design(d: &Design, relative: bool) -> String {
    let opts = ExportOptions {
        relative,
        source: Some("test.secmx.toml".into()),
        ..Default::default()
    };
    let text = export_zone(d, &opts);
    checkzone(d.domain.as_str(), &text);
    let report = import_zone(&text, d.domain.as_str()).expect("the snippet imports");
    assert!(report.unmapped.is_empty(), "{:?}", report.unmapped);
    assert_eq!(export_zone(&report.design, &opts), text, "round trip");
    text
}

fn domain(name: &str) -> Design {
    Design::new(DomainName::parse(name).expect("test domain"))
}

fn ber(host: &str, pref: i64, addrs: &[&str]) -> Relay {
    let mut r = Relay::new(host, Role::Ber);
    r.preference = pref;
    r.addresses = addrs.iter().map(|a| a.parse().expect("address")).collect();
    r
}

fn sor(host: &str, port: i64, prio: i64, addrs: &[&str]) -> Relay {
    let mut r = Relay::new(host, Role::Sor);
    r.port = port;
    r.priority = prio;
    r.addresses = addrs.iter().map(|a| a.parse().expect("address")).collect();
    r
}

const SPKI: &str = "8f1c4e8a0d0b6d8e1d5f6a7b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708e2";

fn level2() -> Design {
    let mut d = domain("agency.example");
    d.level = Level::L2;
    let mut mx1 = ber("mx1.agency.example", 10, &["192.0.2.25", "2001:db8::25"]);
    mx1.also_srv = true;
    mx1.priority = 20;
    mx1.tlsa = vec![format!("3 1 1 {SPKI}")];
    let mut s1 = sor(
        "sor1.agency.example",
        25,
        10,
        &["2001:db8::26", "192.0.2.26"],
    );
    s1.tlsa = vec![format!("3 1 1 {}", SPKI.to_uppercase())];
    let mut s2 = sor("sor2.agency.example", 465, 10, &["192.0.2.27"]);
    s2.weight = 5;
    s2.tlsa = vec![format!("3 1 1 {SPKI}"), format!("2 0 1 {}", &SPKI[..64])];
    d.relays = vec![
        s1,
        mx1,
        ber("mx.provider.example", 20, &[]),
        s2,
        sor("sor.provider.example", 465, 30, &[]),
    ];
    d.mta_sts = Some(MtaSts {
        mode: StsMode::Enforce,
        max_age: 604800,
        id: Some("20261128T000000".into()),
        mx: vec![],
        policy_sha256: None,
    });
    d.tls_rpt = Some(TlsRpt {
        rua: vec![
            "mailto:tlsrpt@agency.example".into(),
            "https://reports.provider.example/tlsrpt".into(),
        ],
    });
    d
}

#[test]
fn level1_is_accepted_by_bind() {
    let mut d = domain("agency.example");
    d.relays = vec![
        ber("mx1.agency.example", 10, &["192.0.2.25"]),
        ber("mx2.agency.example", 20, &["192.0.2.35", "2001:db8::35"]),
        ber("mx.provider.example", 30, &[]),
    ];
    let text = check_design(&d, false);
    assert!(text.contains("mx1.agency.example."));
}

#[test]
fn level2_with_sors_tlsa_mta_sts_and_tls_rpt_is_accepted_by_bind() {
    let text = check_design(&level2(), false);
    assert!(text.contains("_secmx._tcp.agency.example."));
    assert!(text.contains("_465._tcp.sor2.agency.example."));
    assert!(text.contains("v=STSv1; id=20261128T000000"));
}

#[test]
fn relative_names_are_accepted_by_bind() {
    let text = check_design(&level2(), true);
    assert!(text.lines().any(|l| l.starts_with("@ ")), "{text}");
    assert!(text.contains(" mx.provider.example."), "{text}");
    assert!(!text.contains("mx1.agency.example."), "{text}");
}

#[test]
fn sge_profile_with_spf_and_dmarc_is_accepted_by_bind() {
    let mut d = domain("agency.govt.example");
    d.profile = Profile::Sge;
    d.relays = vec![ber("mx1.agency.govt.example", 10, &["192.0.2.25"])];
    d.sge = Some(SgeTexts {
        spf: Some("v=spf1 mx include:_spf.provider.example -all".into()),
        dmarc: Some("v=DMARC1; p=reject; rua=mailto:dmarc@agency.govt.example".into()),
        dkim_selectors: Vec::new(),
    });
    d.mta_sts = Some(MtaSts {
        mode: StsMode::Enforce,
        max_age: 604800,
        id: None,
        mx: vec![],
        policy_sha256: None,
    });
    let text = check_design(&d, false);
    assert!(text.contains("\"v=spf1 mx include:_spf.provider.example -all\""));
    assert!(text.contains("_dmarc.agency.govt.example."));
}

#[test]
fn null_mx_is_accepted_by_bind() {
    let mut d = domain("noreply.agency.example");
    d.null_mx = true;
    let text = check_design(&d, false);
    assert!(text.contains(" MX ") && text.contains(" 0 .\n"), "{text}");
    check_design(&d, true);
}

#[test]
fn long_tls_rpt_rua_is_split_and_accepted_by_bind() {
    let mut d = domain("agency.example");
    d.relays = vec![ber("mx1.agency.example", 10, &["192.0.2.25"])];
    let rua = format!("mailto:{}@agency.example", "r".repeat(580));
    assert!(rua.len() >= 600);
    d.tls_rpt = Some(TlsRpt {
        rua: vec![rua.clone()],
    });
    let text = check_design(&d, false);
    let line = text
        .lines()
        .find(|l| l.starts_with("_smtp._tls"))
        .expect("TLS-RPT line");
    assert_eq!(
        line.matches('"').count(),
        6,
        "three character-strings: {line}"
    );
    let report = import_zone(&text, "agency.example").expect("import");
    assert_eq!(
        report.design.tls_rpt.expect("tls_rpt").rua,
        vec![rua],
        "the strings join back without a separator"
    );
}

#[test]
fn idn_domain_is_accepted_by_bind() {
    let mut d = domain("pōhi.example");
    d.relays = vec![ber("mx1.xn--phi-qxa.example", 10, &["192.0.2.25"])];
    let text = check_design(&d, false);
    assert!(text.contains("; domain:   xn--phi-qxa.example (pōhi.example)"));
}

#[test]
fn missing_final_dot_doubles_the_origin_on_import() {
    // NAME-008 input: written relative, the exchange gets the origin appended a second time.
    let zone = "$ORIGIN agency.example.\n$TTL 3600\n@ MX 10 mx1.agency.example\n";
    let report = import_zone(zone, "agency.example").expect("import");
    let hosts: Vec<&str> = report
        .design
        .relays
        .iter()
        .map(|r| r.host.as_str())
        .collect();
    assert_eq!(hosts, vec!["mx1.agency.example.agency.example"]);
}

/// Issue 13.8: `\DDD` in quoted strings is decimal (RFC 1035 §5.1). hickory-proto 0.26 decodes it
/// as `(d1<<16)+(d2<<8)+d3`; the importer decodes it itself. BIND is the reference: the text
/// `named-checkzone -D` prints for the same zone imports to the same strings.
#[test]
fn ddd_escapes_in_quoted_strings_read_as_bind_reads_them() {
    let zone = "$ORIGIN d.example.\n$TTL 3600\n\
        @ IN SOA ns1 hostmaster 1 7200 3600 1209600 3600\n@ IN NS ns1\nns1 IN A 192.0.2.53\n\
        t1 IN TXT \"\\065BC\" \"a\\010b\" \"p\\197\\141hi\" \"q\\034\\092;\" \"\\\\065\"\n";
    let ours = secmx::zone::records_from_zone(zone, "d.example").expect("import");
    let txt = |set: &secmx::model::RecordSet| -> Vec<String> {
        set.iter()
            .filter_map(|r| match &r.data {
                secmx::model::RData::Txt(s) if r.name == "t1.d.example" => Some(s.clone()),
                _ => None,
            })
            .flatten()
            .collect()
    };
    assert_eq!(
        txt(&ours),
        vec!["ABC", "a\nb", "pōhi", "q\"\\;", "\\065"],
        "decimal escapes"
    );
    let mut file = tempfile::Builder::new()
        .suffix(".zone")
        .tempfile()
        .expect("temporary zone file");
    file.write_all(zone.as_bytes()).expect("write");
    let out = Command::new("named-checkzone")
        .args(["-D", "-o", "-", "d.example"])
        .arg(file.path())
        .output()
        .expect("named-checkzone -D (bind9-utils)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bind = String::from_utf8(out.stdout).expect("utf-8");
    assert!(bind.contains("\"ABC\""), "BIND reads \\065 as A: {bind}");
    let theirs = secmx::zone::records_from_zone(&bind, "d.example").expect("import BIND's text");
    assert_eq!(txt(&theirs), txt(&ours), "BIND's text:\n{bind}");
}
