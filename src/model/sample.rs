//! Generated designs of any size, for benchmarks and hostile-size tests: deterministic, valid, and
//! shaped like a real Level 2 domain (two thirds BERs, one third SORs, addresses, TLSA pairs,
//! MTA-STS and TLS-RPT).

use super::{Design, DomainName, Level, MtaSts, Relay, Role, StsMode, TlsRpt};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// A Level 2 design for `bench.example` with `n` relays.
pub fn generated_design(n: usize) -> Design {
    #[allow(clippy::expect_used, reason = "a constant, valid domain name")]
    let domain = DomainName::parse("bench.example").expect("valid constant");
    let mut d = Design::new(domain);
    d.level = Level::L2;
    d.test_domain = true;
    for i in 0..n {
        let role = if i % 3 == 2 { Role::Sor } else { Role::Ber };
        let host = match role {
            Role::Ber => format!("mx{i}.bench.example"),
            Role::Sor => format!("sor{i}.bench.example"),
        };
        let mut r = Relay::new(host, role);
        r.preference = 10 + (i as i64 % 5) * 10;
        r.priority = 10;
        let b = (i % 250) as u8;
        let c = ((i / 250) % 250) as u8;
        r.addresses.push(IpAddr::V4(Ipv4Addr::new(10, c, b, 25)));
        r.addresses.push(IpAddr::V6(Ipv6Addr::new(
            0x2001, 0xdb8, 0, 0, 0, 0, i as u16, 25,
        )));
        r.tlsa.push(format!("3 1 1 {:064x}", i as u128 * 7919 + 1));
        r.tlsa.push(format!("3 1 1 {:064x}", i as u128 * 7919 + 2));
        d.relays.push(r);
    }
    d.mta_sts = Some(MtaSts {
        mode: StsMode::Enforce,
        max_age: 1_209_600,
        id: Some("20261128T000000".into()),
        mx: Vec::new(),
        policy_sha256: None,
    });
    d.tls_rpt = Some(TlsRpt {
        rua: vec!["mailto:tlsrpt@bench.example".into()],
    });
    d
}
