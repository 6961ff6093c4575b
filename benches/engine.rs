//! Speed of the static engine: lint (all static rules) and zone export, for a typical 5-relay design
//! and a generated 10,000-relay design. Targets (issue 10, the simpler one-thread core): lint of 5
//! relays < 50 µs, of 10,000 relays < 40 ms (release, criterion).

use criterion::{Criterion, criterion_group, criterion_main};
use secmx::model::sample::generated_design;
use secmx::zone::{ExportOptions, export_zone};
use std::hint::black_box;

fn engine(c: &mut Criterion) {
    let small = generated_design(5);
    let big = generated_design(10_000);
    c.bench_function("lint 5 relays", |b| {
        b.iter(|| secmx::rules::lint(black_box(&small)))
    });
    c.bench_function("lint 10000 relays", |b| {
        b.iter(|| secmx::rules::lint(black_box(&big)))
    });
    // As the CLI and the GUI call it: the findings summary is already known (they linted first).
    let given = ExportOptions {
        summary: Some(secmx::rules::Summary::of(&secmx::rules::lint(&big))),
        ..ExportOptions::default()
    };
    c.bench_function("export zone 10000 relays", |b| {
        b.iter(|| export_zone(black_box(&big), &given))
    });
    // Lint, then export with the findings summary in the header (what `secmx export` does).
    c.bench_function("export zone 10000 relays incl. lint", |b| {
        b.iter(|| {
            let opts = ExportOptions {
                summary: Some(secmx::rules::Summary::of(&secmx::rules::lint(black_box(
                    &big,
                )))),
                ..ExportOptions::default()
            };
            export_zone(black_box(&big), &opts)
        })
    });
    c.bench_function("records_of 10000 relays", |b| {
        b.iter(|| secmx::zone::records_of(black_box(&big)))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = engine
}
criterion_main!(benches);
