//! Property tests: export → import → export is byte-identical on random designs, and import never
//! panics on random or mutated zone text.

use super::{ExportOptions, export_zone, import_zone, records_of};
use crate::model::{
    Design, DomainName, Level, MtaSts, Profile, Relay, Role, SgeTexts, StsMode, TlsRpt,
};
use proptest::prelude::*;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

const DOMAINS: &[&str] = &["agency.example", "mail.gov.example", "xn--phi-qxa.example"];

/// One relay before its host name is fixed: (role, in domain, opt-out, numbers, flags, addresses, tlsa).
#[derive(Debug, Clone)]
struct RelaySpec {
    role: Role,
    inside: bool,
    opt_out: bool,
    preference: i64,
    priority: i64,
    weight: i64,
    implicit_tls: bool,
    also_srv: bool,
    addresses: Vec<IpAddr>,
    tlsa: Vec<String>,
}

fn addr() -> impl Strategy<Value = IpAddr> {
    prop_oneof![
        any::<[u8; 4]>().prop_map(|o| IpAddr::V4(Ipv4Addr::from(o))),
        any::<[u16; 8]>().prop_map(|s| IpAddr::V6(Ipv6Addr::from(s))),
    ]
}

fn tlsa() -> impl Strategy<Value = String> {
    // Lower-case hex: what an import gives back (upper case is covered by a unit test), so the
    // designs compare equal and no rule can see a difference.
    proptest::collection::vec(any::<u8>(), 32).prop_map(|b| format!("3 1 1 {}", hex::encode(b)))
}

fn relay_spec() -> impl Strategy<Value = RelaySpec> {
    (
        prop_oneof![Just(Role::Ber), Just(Role::Sor)],
        prop::bool::weighted(0.8),
        prop::bool::weighted(0.05),
        (0i64..100, 0i64..100, 0i64..100),
        (any::<bool>(), any::<bool>()),
        proptest::collection::vec(addr(), 0..3),
        proptest::collection::vec(tlsa(), 0..3),
    )
        .prop_map(
            |(
                role,
                inside,
                opt_out,
                (preference, priority, weight),
                (implicit_tls, also_srv),
                addresses,
                tlsa,
            )| {
                RelaySpec {
                    role,
                    inside,
                    opt_out,
                    preference,
                    priority,
                    weight,
                    implicit_tls,
                    also_srv,
                    addresses,
                    tlsa,
                }
            },
        )
}

/// Designs in the space an import can give back exactly: distinct hosts, defaults where the zone holds
/// nothing (BER port, SRV numbers of BERs not listed there, MTA-STS mode/max_age/mx), level 2 exactly
/// when something is listed under SRV, profile sge exactly when an SGE text is present.
fn design() -> impl Strategy<Value = Design> {
    (
        prop::sample::select(DOMAINS),
        prop_oneof![Just(3600i64), Just(300), 1i64..100_000],
        any::<bool>(),
        proptest::collection::vec(relay_spec(), 0..5),
        prop::option::of("[A-Za-z0-9]{1,20}"),
        prop::option::of(proptest::collection::vec(
            prop_oneof![
                "mailto:[a-z]{1,12}@[a-z]{1,8}\\.example",
                "https://[a-z]{1,10}\\.example/tlsrpt",
                Just(format!("mailto:{}@agency.example", "r".repeat(300))),
            ],
            0..3,
        )),
        (
            any::<bool>(),
            prop::option::of(prop_oneof![
                Just("v=spf1 mx -all".to_string()),
                "v=spf1( ip4:192\\.0\\.2\\.[0-9]{1,3}){1,30} -all",
            ]),
            prop::option::of(Just("v=DMARC1; p=reject".to_string())),
        ),
        any::<bool>(),
    )
        .prop_map(
            |(domain, ttl, null_mx, specs, sts, rpt, (sge_wanted, spf, dmarc), custom_label)| {
                let domain_name = DomainName::parse(domain).unwrap();
                let mut d = Design::new(domain_name);
                d.ttl = ttl;
                d.null_mx = null_mx;
                for (i, s) in specs.into_iter().enumerate() {
                    let host = if s.role == Role::Sor && s.opt_out {
                        String::new()
                    } else if s.inside {
                        format!("relay-{i}.{domain}")
                    } else {
                        format!("mx{i}.provider.example")
                    };
                    let mut r = Relay::new(host, s.role);
                    match s.role {
                        Role::Ber => {
                            r.preference = s.preference;
                            if s.also_srv {
                                r.also_srv = true;
                                r.priority = s.priority;
                                r.weight = s.weight;
                            }
                        }
                        Role::Sor => {
                            r.port = if s.implicit_tls { 465 } else { 25 };
                            r.priority = s.priority;
                            r.weight = s.weight;
                        }
                    }
                    if s.inside && !r.host.is_empty() {
                        let mut seen = Vec::new();
                        for a in s.addresses {
                            if !seen.contains(&a) {
                                seen.push(a);
                            }
                        }
                        r.addresses = seen;
                    }
                    if !r.host.is_empty() {
                        let mut seen: Vec<String> = Vec::new();
                        for t in s.tlsa {
                            if !seen.contains(&t) {
                                seen.push(t);
                            }
                        }
                        r.tlsa = seen;
                    }
                    d.relays.push(r);
                }
                if d.relays.iter().any(|r| r.in_srv()) {
                    d.level = Level::L2;
                    if custom_label {
                        d.srv_label = "_smtptls".into();
                    }
                }
                d.mta_sts = sts.map(|id| MtaSts {
                    mode: StsMode::Enforce,
                    max_age: 604800,
                    id: Some(id),
                    mx: Vec::new(),
                    policy_sha256: None,
                });
                d.tls_rpt = rpt.map(|rua| TlsRpt { rua });
                if sge_wanted && (spf.is_some() || dmarc.is_some()) {
                    d.profile = Profile::Sge;
                    d.sge = Some(SgeTexts {
                        spf,
                        dmarc,
                        dkim_selectors: Vec::new(),
                    });
                } else if spf.is_some() {
                    // Not rendered under the secmx profile; the import cannot see it.
                    d.sge = Some(SgeTexts {
                        spf,
                        dmarc: None,
                        dkim_selectors: Vec::new(),
                    });
                }
                d
            },
        )
}

/// A design with the order-free parts sorted and unpublished data removed.
fn canonical(d: &Design) -> Design {
    let mut c = d.clone();
    for r in &mut c.relays {
        r.addresses.sort();
    }
    c.relays
        .sort_by(|a, b| (a.role.as_str(), &a.host).cmp(&(b.role.as_str(), &b.host)));
    if c.profile == Profile::Secmx {
        c.sge = None;
    }
    c
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn export_import_export_is_identical(d in design(), relative in any::<bool>()) {
        let opts = ExportOptions { relative, source: Some("random.secmx.toml".into()), ..Default::default() };
        let t1 = export_zone(&d, &opts);
        let rep = import_zone(&t1, d.domain.as_str()).map_err(|e| TestCaseError::fail(format!("{e}\n{t1}")))?;
        prop_assert!(rep.unmapped.is_empty(), "unmapped: {:?}\n{}", rep.unmapped, t1);
        let t2 = export_zone(&rep.design, &opts);
        prop_assert_eq!(&t1, &t2);
        // The records are the same too (origins aside), and a second import gives the same design.
        let r1: Vec<_> = records_of(&d).iter().map(|r| (r.name.clone(), r.ttl, r.data.clone())).collect();
        let r2: Vec<_> = records_of(&rep.design).iter().map(|r| (r.name.clone(), r.ttl, r.data.clone())).collect();
        prop_assert_eq!(r1, r2);
        let again = import_zone(&t2, d.domain.as_str()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&again.design, &rep.design);
        // The design itself comes back, up to relay order (BER/SOR interleaving), address order and
        // what a secmx-profile design keeps but does not publish.
        prop_assert_eq!(canonical(&rep.design), canonical(&d));
    }

    #[test]
    fn import_never_panics_on_random_text(text in "[ -~\\t\\n\"();\\\\$@.ōß\u{0}\r]{0,200}") {
        let _ = import_zone(&text, "agency.example");
    }

    #[test]
    fn import_never_panics_on_mutated_zones(
        d in design(),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), 0u8..3, prop::sample::select(&[
            "\"", "(", ")", ";", "\\", "\\0", "\\999", "$", "$TTL", "$ORIGIN", "@", ".", "..", " ", "\n",
            "\t", "IN", "CH", "MX", "SRV", "TLSA", "TXT", "A", "AAAA", "CNAME", "SOA", "NS", "65536",
            "-1", "4294967296", "zz", "ō", "*", "_", "\r",
        ][..])), 1..6),
    ) {
        let mut text = export_zone(&d, &ExportOptions::default());
        for (at, op, s) in edits {
            let mut pos = at.index(text.len() + 1);
            while !text.is_char_boundary(pos) {
                pos -= 1;
            }
            match op {
                0 => text.insert_str(pos, s),
                1 => {
                    let mut end = (pos + s.len()).min(text.len());
                    while !text.is_char_boundary(end) {
                        end -= 1;
                    }
                    text.replace_range(pos..end, "");
                }
                _ => {
                    let mut end = (pos + s.len()).min(text.len());
                    while !text.is_char_boundary(end) {
                        end -= 1;
                    }
                    text.replace_range(pos..end, s);
                }
            }
        }
        match import_zone(&text, d.domain.as_str()) {
            Ok(_) => {}
            Err(e) => {
                // A located error points inside the text.
                if let Some(l) = e.line {
                    prop_assert!(l >= 1 && l <= text.lines().count().max(1) + 1, "{e}");
                }
            }
        }
    }
}
