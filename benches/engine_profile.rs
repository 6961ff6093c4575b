//! Run the 10,000-relay (or `SECMX_PROFILE_RELAYS`) lint/export in a loop, for profilers (`perf record`, callgrind):
//! `cargo bench --bench engine_profile -- [lint|export|records|dump] [iterations]`, or the built
//! binary under `perf record` / `valgrind --tool=callgrind`. Flags cargo passes (`--bench`) are
//! ignored.

use secmx::model::sample::generated_design;
use secmx::zone::{ExportOptions, export_zone};
use std::hint::black_box;

fn main() {
    let mut args = std::env::args().skip(1).filter(|a| !a.starts_with("--"));
    let what = args.next().unwrap_or_else(|| "lint".to_string());
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(100);
    // SECMX_PROFILE_RELAYS: the design's size (default 10,000; 5 for the everyday design).
    let relays = std::env::var("SECMX_PROFILE_RELAYS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);
    let big = generated_design(relays);
    let given = ExportOptions {
        summary: Some(secmx::rules::Summary::of(&secmx::rules::lint(&big))),
        ..ExportOptions::default()
    };
    if what == "dump" {
        // Every finding and the zone text of the plain and the public variant, for diffing.
        let mut public = big.clone();
        public.test_domain = false;
        for d in [&big, &public] {
            for f in secmx::rules::lint(d) {
                println!(
                    "{}|{}|{}|{}|{}|{:?}",
                    f.rule, f.severity, f.subject, f.message, f.fix, f.origin
                );
            }
            print!("{}", export_zone(d, &ExportOptions::default()));
        }
        return;
    }
    if what == "rules" {
        // Time of each static rule alone (sequential), then of the steps of `lint`.
        let prepared = secmx::rules::Prepared::from_design(&big);
        let input = secmx::rules::Facts::new(prepared.input(&big));
        let mut times = Vec::new();
        for r in secmx::rules::registry().filter(|r| r.needs == secmx::rules::Needs::Static) {
            let Some(check) = r.check else { continue };
            let t = std::time::Instant::now();
            for _ in 0..n {
                let mut out = Vec::new();
                check(r, &input, &mut out);
                black_box(out);
            }
            times.push((t.elapsed().as_secs_f64() * 1e3 / n as f64, r.id));
        }
        times.sort_by(|a, b| b.0.total_cmp(&a.0));
        let total: f64 = times.iter().map(|t| t.0).sum();
        println!("all static rules, sequential: {total:.2} ms");
        for (ms, id) in times.iter() {
            println!("{id:10} {ms:.3} ms");
        }
        let t = std::time::Instant::now();
        for _ in 0..n {
            black_box(secmx::rules::Prepared::from_design(black_box(&big)));
        }
        println!(
            "Prepared::from_design {:.2} ms",
            t.elapsed().as_secs_f64() * 1e3 / n as f64
        );
        let t = std::time::Instant::now();
        for _ in 0..n {
            black_box(secmx::rules::run(&input, &[secmx::rules::Needs::Static]));
        }
        println!("run {:.2} ms", t.elapsed().as_secs_f64() * 1e3 / n as f64);
        return;
    }
    if what == "steps" {
        // records_of split into building the set and dropping it.
        let t = std::time::Instant::now();
        let sets: Vec<_> = (0..n)
            .map(|_| secmx::zone::records_of(black_box(&big)))
            .collect();
        let built = t.elapsed().as_secs_f64() * 1e3 / n as f64;
        let t = std::time::Instant::now();
        drop(sets);
        let dropped = t.elapsed().as_secs_f64() * 1e3 / n as f64;
        println!("records_of: build {built:.2} ms, drop {dropped:.2} ms");
        // Each rule once, in registry order, on a fresh record set: the first user of a shared
        // look-up pays for building it.
        let mut first = Vec::new();
        for _ in 0..n {
            let prepared = secmx::rules::Prepared::from_design(black_box(&big));
            let input = secmx::rules::Facts::new(prepared.input(&big));
            for (k, r) in secmx::rules::registry()
                .filter(|r| r.needs == secmx::rules::Needs::Static)
                .filter_map(|r| r.check.map(|c| (r, c)))
                .enumerate()
            {
                let t = std::time::Instant::now();
                let mut out = Vec::new();
                (r.1)(r.0, &input, &mut out);
                black_box(out);
                if first.len() <= k {
                    first.push((r.0.id, 0.0));
                }
                first[k].1 += t.elapsed().as_secs_f64() * 1e3 / n as f64;
            }
        }
        first.sort_by(|a, b| b.1.total_cmp(&a.1));
        let line: Vec<String> = first
            .iter()
            .take(14)
            .map(|(id, ms)| format!("{id} {ms:.2}"))
            .collect();
        println!("fresh, registry order: {}", line.join(", "));
        // The steps of a lint, each on a fresh record set (shared look-ups built every time).
        let (mut prep, mut run, mut seq, mut free) = (0.0, 0.0, 0.0, 0.0);
        for k in 0..2 * n {
            let t = std::time::Instant::now();
            let prepared = secmx::rules::Prepared::from_design(black_box(&big));
            let t1 = t.elapsed().as_secs_f64();
            let input = secmx::rules::Facts::new(prepared.input(&big));
            let t = std::time::Instant::now();
            if k % 2 == 0 {
                black_box(secmx::rules::run(&input, &[secmx::rules::Needs::Static]));
                run += t.elapsed().as_secs_f64();
            } else {
                for r in secmx::rules::registry().filter(|r| r.needs == secmx::rules::Needs::Static)
                {
                    if let Some(check) = r.check {
                        let mut out = Vec::new();
                        check(r, &input, &mut out);
                        black_box(out);
                    }
                }
                seq += t.elapsed().as_secs_f64();
            }
            let t = std::time::Instant::now();
            drop(prepared);
            free += t.elapsed().as_secs_f64();
            prep += t1;
        }
        let per = |x: f64| x * 1e3 / (2 * n) as f64;
        println!(
            "prepare {:.2} ms, run {:.2} ms (sequential {:.2} ms), drop {:.2} ms",
            per(prep),
            per(2.0 * run),
            per(2.0 * seq),
            per(free)
        );
        // Whole lints (a fresh record set each, so shared look-ups are built every time).
        for _ in 0..3 {
            let t = std::time::Instant::now();
            for _ in 0..n {
                black_box(secmx::rules::lint(black_box(&big)));
            }
            println!("lint {:.2} ms", t.elapsed().as_secs_f64() * 1e3 / n as f64);
        }
        return;
    }
    for _ in 0..n {
        match what.as_str() {
            "export" => {
                black_box(export_zone(black_box(&big), &given));
            }
            "records" => {
                black_box(secmx::zone::records_of(black_box(&big)));
            }
            _ => {
                black_box(secmx::rules::lint(black_box(&big)));
            }
        }
    }
}
