//! No panics on any input, and hostile sizes handled with clear errors or correct results:
//! property tests feed random and mutated design texts, random record sets and random policy / TXT
//! texts through the parsers and the whole rule engine.

use proptest::prelude::*;
use secmx::model::sample::generated_design;
use secmx::model::{Level, Profile, RData, Record, RecordSet};
use secmx::rules::{self, Input, Needs, Options};
use std::net::{Ipv4Addr, Ipv6Addr};

const L2_EXAMPLE: &str = include_str!("../../assets/examples/level2.secmx.toml");
const SGE_EXAMPLE: &str = include_str!("../../assets/examples/sge.secmx.toml");

fn judge_all(records: &RecordSet, policy: Option<&str>, level: Level, profile: Profile) {
    let relays = [];
    let input = Input {
        domain: "agency.example",
        level,
        profile,
        srv_label: "_secmx",
        relays: &relays,
        records,
        sts_policy: policy,
        sts_policy_issued_for: Some("00"),
        options: Options::default(),
        live: None,
        probes: None,
        dkim_selectors: &[],
    };
    let _ = rules::run(&input, &[Needs::Static, Needs::Dns, Needs::Probe]);
}

fn name_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("agency.example".to_string()),
        Just("_secmx._tcp.agency.example".to_string()),
        Just("_mta-sts.agency.example".to_string()),
        Just("_smtp._tls.agency.example".to_string()),
        Just("_dmarc.agency.example".to_string()),
        Just(String::new()),
        "[a-z0-9_.-]{0,80}(\\.agency\\.example)?",
        "\\PC{0,40}",
        "(xn--[a-z0-9-]{0,10}\\.)?[a-z]{1,5}\\.agency\\.example",
        "_[0-9]{1,6}\\._(tcp|udp)\\.[a-z0-9]{1,8}\\.agency\\.example",
    ]
}

fn rdata_strategy() -> impl Strategy<Value = RData> {
    prop_oneof![
        (any::<i64>(), name_strategy()).prop_map(|(p, e)| RData::Mx {
            preference: p,
            exchange: e
        }),
        (any::<i64>(), any::<i64>(), any::<i64>(), name_strategy()).prop_map(|(a, b, c, t)| {
            RData::Srv {
                priority: a,
                weight: b,
                port: c,
                target: t,
            }
        }),
        any::<u32>().prop_map(|a| RData::A(Ipv4Addr::from(a))),
        any::<u128>().prop_map(|a| RData::Aaaa(Ipv6Addr::from(a))),
        (
            any::<i64>(),
            any::<i64>(),
            any::<i64>(),
            "[0-9a-fA-Fz ]{0,200}"
        )
            .prop_map(|(u, s, m, d)| RData::Tlsa {
                usage: u,
                selector: s,
                matching: m,
                data: d,
            }),
        prop::collection::vec(
            prop_oneof![
                "v=(STSv1|TLSRPTv1|spf1|DMARC1)[ ;]{0,2}\\PC{0,80}",
                "\\PC{0,300}",
                "v=DMARC1; p=(reject|none|quarantine); (pct|sp|rua|adkim)=[a-z0-9:@.]{0,20}",
                "v=spf1( (include:|a|mx|ptr|exists:|redirect=)[a-z.]{0,10}){0,14} [-~?+]all",
            ],
            0..4
        )
        .prop_map(RData::Txt),
        name_strategy().prop_map(RData::Cname),
        ("[A-Z]{1,6}", "\\PC{0,30}").prop_map(|(t, d)| RData::Other { rtype: t, data: d }),
    ]
}

fn record_strategy() -> impl Strategy<Value = Record> {
    (name_strategy(), any::<i64>(), rdata_strategy()).prop_map(|(n, ttl, d)| Record::new(n, ttl, d))
}

fn mutate(text: &str, edits: &[(usize, u8)]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for (pos, b) in edits {
        if bytes.is_empty() {
            break;
        }
        let i = pos % bytes.len();
        match b % 3 {
            0 => bytes[i] = *b,
            1 => {
                bytes.remove(i);
            }
            _ => bytes.insert(i, *b),
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_design_text_never_panics(text in "\\PC{0,400}") {
        let _ = secmx::project::parse_design(&text, "random.secmx.toml");
    }

    #[test]
    fn mutated_designs_never_panic_anywhere(edits in prop::collection::vec((any::<usize>(), any::<u8>()), 1..8), sge in any::<bool>()) {
        let base = if sge { SGE_EXAMPLE } else { L2_EXAMPLE };
        let text = mutate(base, &edits);
        if let Ok(design) = secmx::project::parse_design(&text, "mutated.secmx.toml") {
            let _ = rules::lint(&design);
            let _ = secmx::zone::export_zone(&design, &Default::default());
            let _ = secmx::zone::sts_policy_text(&design);
            let _ = secmx::project::design_to_toml(&design);
            let _ = secmx::project::design_to_json(&design);
        }
    }

    #[test]
    fn random_record_sets_never_panic_the_engine(
        records in prop::collection::vec(record_strategy(), 0..24),
        policy in prop::option::of(prop_oneof![
            "\\PC{0,200}",
            "(version: STSv1\r?\n)?(mode: (enforce|testing|none|Enforce)\r?\n)?(mx: [a-z*.0-9:,/ ]{0,30}\r?\n){0,4}(max_age: [0-9a-z-]{0,12}\r?\n)?",
        ]),
        l2 in any::<bool>(),
        sge in any::<bool>(),
    ) {
        let set: RecordSet = records.into_iter().collect();
        judge_all(
            &set,
            policy.as_deref(),
            if l2 { Level::L2 } else { Level::L1 },
            if sge { Profile::Sge } else { Profile::Secmx },
        );
    }

    #[test]
    fn random_zone_text_never_panics_the_importer(text in "\\PC{0,300}", domain in "[a-z]{1,8}\\.example") {
        let _ = secmx::zone::import_zone(&text, &domain);
    }
}

#[test]
fn a_300_character_domain_is_a_clear_error() {
    let long = format!("{}.example", "a.".repeat(146));
    assert!(long.len() > 290);
    let text = format!("format = 1\ndomain = \"{long}\"\nlevel = 1\n");
    let e = secmx::project::parse_design(&text, "long.secmx.toml").expect_err("too long");
    assert!(e.to_string().starts_with("long.secmx.toml:2:10:"), "{e}");
    assert!(e.message.contains("253"), "{e}");
}

#[test]
fn a_300_character_relay_host_is_a_finding_not_a_crash() {
    let host = format!("{}.agency.example", "b.".repeat(142));
    let text = format!(
        "format = 1\ndomain = \"agency.example\"\nlevel = 1\ntest_domain = true\n\n[[relay]]\nhost = \"{host}\"\nrole = \"ber\"\npreference = 10\n"
    );
    let design = secmx::project::parse_design(&text, "x").expect("loads");
    let findings = rules::lint(&design);
    assert!(
        findings.iter().any(|f| f.rule == "NAME-002"),
        "{findings:?}"
    );
}

#[test]
fn ten_thousand_relays_lint_and_export() {
    let design = generated_design(10_000);
    let findings = rules::lint(&design);
    // Its only errors (issue 15): the MX RRset (6,667 BERs) and the SRV RRset (3,333 SORs) do not
    // fit in a DNS message (NAME-014) nor in BIND's store (NAME-015); it still exports.
    let errors: Vec<_> = findings
        .iter()
        .filter(|f| f.severity == rules::Severity::Error)
        .map(|f| (f.rule, f.subject.as_str()))
        .collect();
    assert_eq!(
        errors,
        [
            ("NAME-014", "_secmx._tcp.bench.example SRV"),
            ("NAME-014", "bench.example MX"),
            ("NAME-015", "_secmx._tcp.bench.example SRV"),
            ("NAME-015", "bench.example MX"),
        ],
        "{:?}",
        findings.iter().take(5).collect::<Vec<_>>()
    );
    let zone = secmx::zone::export_zone(&design, &Default::default());
    assert_eq!(
        zone.lines().filter(|l| l.contains(" IN MX ")).count(),
        design.relays.iter().filter(|r| r.in_mx()).count()
    );
}

#[test]
fn a_10_mb_design_file_loads_or_fails_clearly() {
    // 10 MB of valid design: a generated design padded with a long comment block.
    let design = generated_design(2_000);
    let mut text = secmx::project::design_to_toml(&design).expect("render");
    let pad = "# padding to make a hostile-size design file\n";
    while text.len() < 10 * 1024 * 1024 {
        text.push_str(pad);
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("big.secmx.toml");
    std::fs::write(&p, &text).expect("write");
    let back = secmx::project::load_design(&p).expect("a 10 MB valid design loads");
    assert_eq!(back.relays.len(), 2_000);

    // 10 MB of garbage gives one clear positioned error.
    let garbage = "x".repeat(10 * 1024 * 1024);
    std::fs::write(&p, &garbage).expect("write");
    let e = secmx::project::load_design(&p).expect_err("garbage");
    assert!(e.position.is_some(), "{e}");
}
