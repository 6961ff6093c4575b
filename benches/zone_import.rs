//! Zone import at scale (issue 13.7): a generated ~25 MB zone (a mail domain with 118,000 hosts,
//! each with A, AAAA, TLSA and a TXT, plus their MX records) and one 100,000-record MX RRset.
//! Target: a 25 MB zone imports in under 2 s (and under 300 MB, measured with
//! `/usr/bin/time -v secmx import`); an RRset's size no longer costs n².
//!
//! Run: `cargo bench --bench zone_import` (`--profile dev` for a quick look).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use criterion::{Criterion, criterion_group, criterion_main};
use std::fmt::Write;
use std::hint::black_box;

/// A zone of `hosts` hosts under `big.example`, each with MX, A, AAAA, TLSA and TXT.
pub fn mixed_zone(hosts: usize) -> String {
    let mut z = String::from(
        "$ORIGIN big.example.\n$TTL 3600\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 3600\n@ IN NS ns1\n",
    );
    for i in 0..hosts {
        let _ = writeln!(z, "@ IN MX {} mx{i}", i % 65_536);
        let _ = writeln!(z, "mx{i} IN A 192.0.{}.{}", (i / 256) % 256, i % 256);
        let _ = writeln!(z, "mx{i} IN AAAA 2001:db8::{:x}:{:x}", i >> 16, i & 0xffff);
        let _ = writeln!(
            z,
            "_25._tcp.mx{i} IN TLSA 3 1 1 {:064x}",
            u128::try_from(i).unwrap() * 0x9e37_79b9_7f4a_7c15
        );
        let _ = writeln!(z, "mx{i} IN TXT \"host {i}; v=spf1 -all\"");
    }
    z
}

/// One MX RRset of `n` records.
pub fn mx_rrset(n: usize) -> String {
    let mut z = String::from("$ORIGIN big.example.\n$TTL 3600\n");
    for i in 0..n {
        let _ = writeln!(z, "@ IN MX {} mx{i}", i % 65_536);
    }
    z
}

fn zone_import(c: &mut Criterion) {
    let big = mixed_zone(118_000);
    eprintln!(
        "mixed zone: {} bytes, {} lines",
        big.len(),
        big.lines().count()
    );
    let mx = mx_rrset(100_000);
    let mut g = c.benchmark_group("zone import");
    g.sample_size(10);
    g.bench_function("import_zone ~25 MB, 590,000 records", |b| {
        b.iter(|| secmx::zone::import_zone(black_box(&big), "big.example").unwrap())
    });
    g.bench_function("records_from_zone 100,000 MX in one RRset", |b| {
        b.iter(|| secmx::zone::records_from_zone(black_box(&mx), "big.example").unwrap())
    });
    let small = mx_rrset(10_000);
    g.bench_function("records_from_zone 10,000 MX in one RRset", |b| {
        b.iter(|| secmx::zone::records_from_zone(black_box(&small), "big.example").unwrap())
    });
    g.finish();
}

criterion_group!(benches, zone_import);
criterion_main!(benches);
