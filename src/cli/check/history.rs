//! `secmx history` and `secmx diff`: the saved runs of a domain.

use super::*;
use crate::cli::CliError;

/// Run `secmx history DOMAIN`.
pub fn history(
    domain: &str,
    file: Option<&Path>,
    limit: i64,
    out: &mut dyn Write,
) -> Result<u8, CliError> {
    let h = crate::history::History::open(&history_path(file)?, false)?;
    let domain = normalize_name(domain);
    let runs = h.list(&domain, limit.max(1))?;
    let io = |e: std::io::Error| format!("cannot write output: {e}");
    if runs.is_empty() {
        writeln!(out, "{domain}: no saved runs in {}", h.path().display()).map_err(io)?;
        return Ok(super::super::EXIT_OK);
    }
    writeln!(
        out,
        "{:>6}  {:<20}  {:>6} {:>8} {:>5}  design",
        "run", "time", "errors", "warnings", "infos"
    )
    .map_err(io)?;
    for r in runs {
        writeln!(
            out,
            "{:>6}  {:<20}  {:>6} {:>8} {:>5}  {}",
            r.id,
            crate::history::when(r.time_unix),
            r.errors,
            r.warnings,
            r.infos,
            r.file.as_deref().unwrap_or("(published)")
        )
        .map_err(io)?;
    }
    Ok(super::super::EXIT_OK)
}

/// Run `secmx diff [RUN_A] [RUN_B]`.
pub fn diff(
    run_a: Option<i64>,
    run_b: Option<i64>,
    domain: Option<&str>,
    file: Option<&Path>,
    fail_on_regression: bool,
    out: &mut dyn Write,
) -> Result<u8, CliError> {
    let h = crate::history::History::open(&history_path(file)?, false)?;
    let (a, b) = match (run_a, run_b) {
        (Some(a), Some(b)) => (a, b),
        (Some(a), None) => {
            let (run, _) = h.get(a)?;
            let last = h
                .list(&run.domain, 1)?
                .into_iter()
                .next()
                .ok_or("no runs")?;
            (a, last.id)
        }
        (None, _) => {
            let Some(d) = domain else {
                return Err("diff needs RUN_A [RUN_B] or --domain NAME".into());
            };
            let runs = h.list(&normalize_name(d), 2)?;
            if runs.len() < 2 {
                return Err(format!(
                    "{d}: {} saved run(s); diff needs two (secmx check --save)",
                    runs.len()
                )
                .into());
            }
            (runs[1].id, runs[0].id)
        }
    };
    let started = std::time::Instant::now();
    let (ra, va) = h.get(a)?;
    let (rb, vb) = h.get(b)?;
    let changes = crate::history::diff(&va, &vb);
    let ms = started.elapsed().as_millis();
    let io = |e: std::io::Error| format!("cannot write output: {e}");
    writeln!(
        out,
        "{}: run {a} ({}) → run {b} ({}): {} change(s), {} regression(s) [{ms} ms]",
        rb.domain,
        crate::history::when(ra.time_unix),
        crate::history::when(rb.time_unix),
        changes.len(),
        changes.iter().filter(|c| c.regression).count()
    )
    .map_err(io)?;
    for (group, list) in crate::history::grouped(&changes) {
        writeln!(out, "  {group}:").map_err(io)?;
        for c in list {
            writeln!(
                out,
                "    {} {}",
                if c.regression { "WORSE" } else { "     " },
                c.words()
            )
            .map_err(io)?;
        }
    }
    Ok(
        if fail_on_regression && changes.iter().any(|c| c.regression) {
            super::super::EXIT_REGRESSION
        } else {
            super::super::EXIT_OK
        },
    )
}
