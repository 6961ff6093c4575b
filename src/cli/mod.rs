//! The command line (interfaces.md §2): the same engine as the window, for scripts and CI.
//!
//! [`run`] takes the arguments and two writers so tests drive it in-process; the binary passes
//! stdout and stderr. Exit status ([`EXIT_STATUS_HELP`]): 0 = nothing at error severity, 1 = at
//! least one error finding, 2 = the command could not run (one clear line on stderr, with
//! `file:line:column` where there is one), 3 = inconclusive (`check`, `probe`: nothing at error
//! severity, but at least one relay address could not be judged).

pub mod check;

use crate::model::Design;
use crate::project::{self, ProjectError};
use crate::rules::{self, Finding, Needs, Severity, Summary};
use crate::zone::{self, ExportOptions};
use clap::{Parser, Subcommand, ValueEnum};
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};

pub mod probe;

/// Exit status: no error findings.
pub const EXIT_OK: u8 = 0;
/// Exit status: at least one error finding (or failed probe).
pub const EXIT_FINDINGS: u8 = 1;
/// Exit status: the command could not run.
pub const EXIT_USAGE: u8 = 2;
/// Exit status (`check`, `probe`): nothing at error severity, but at least one relay address
/// could not be judged (timeout, 4xx, temporary failure): not a pass.
pub const EXIT_INCONCLUSIVE: u8 = 3;

/// Every exit status, as `--help` prints it (top level, `check`, `probe`) and the README says.
pub const EXIT_STATUS_HELP: &str = "\
Exit status:
  0  nothing at error severity (every probed relay address was judged)
  1  at least one error finding (or a relay that failed its probe)
  2  the command could not run, or Ctrl-C cut the probes short (the report is incomplete)
  3  inconclusive (check, probe): nothing at error severity, but at least one relay address
     could not be judged (timeout, 4xx reply, temporary failure)";

/// The exit status of a live report: errors first, then inconclusive relay addresses.
pub fn live_exit_status(errors: usize, inconclusive: bool) -> u8 {
    if errors > 0 {
        EXIT_FINDINGS
    } else if inconclusive {
        EXIT_INCONCLUSIVE
    } else {
        EXIT_OK
    }
}

/// Set when Ctrl-C stopped the probes of this process: the report is then printed as far as it
/// got, and the command exits with [`EXIT_USAGE`] rather than claiming a result.
static INTERRUPTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// On Ctrl-C (SIGINT) cancel the probes behind `handle`: every probe stops within a second and
/// comes back as `cancelled`, so the report still shows what was probed. A second Ctrl-C ends the
/// process at once. Call from inside the runtime; the watcher ends with it.
pub(crate) fn cancel_on_interrupt(handle: crate::probe::CancelHandle) {
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_err() {
            return;
        }
        INTERRUPTED.store(true, std::sync::atomic::Ordering::SeqCst);
        eprintln!("secmx: interrupted; stopping the probes (press Ctrl-C again to quit at once)");
        handle.cancel();
        if tokio::signal::ctrl_c().await.is_ok() {
            std::process::exit(130);
        }
    });
}

/// After a report was written: [`EXIT_USAGE`] with a line on stderr when Ctrl-C cut the probes
/// short, else `code`.
pub(crate) fn unless_interrupted(code: u8, err: &mut dyn Write) -> u8 {
    if INTERRUPTED.load(std::sync::atomic::Ordering::SeqCst) {
        let _ = writeln!(
            err,
            "secmx: interrupted: the probes were cancelled, so the report above is incomplete"
        );
        EXIT_USAGE
    } else {
        code
    }
}

/// `secmx`: build, validate and test SecMX DNS record sets.
#[derive(Debug, Parser)]
#[command(name = "secmx", version, about, long_about = None, after_help = EXIT_STATUS_HELP)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Static rules only, no network.
    Lint {
        /// Design files (`*.secmx.toml`).
        #[arg(required_unless_present = "list_rules")]
        designs: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = LintFormat::Text)]
        format: LintFormat,
        /// List every rule of the catalogue and whether this build implements it.
        #[arg(long)]
        list_rules: bool,
    },
    /// The zone-file snippet, the MTA-STS policy file, or the design as JSON.
    Export {
        /// Design file.
        design: PathBuf,
        /// What to write.
        #[arg(long, value_enum, default_value_t = ExportFormat::Zone)]
        format: ExportFormat,
        /// Write to this file (atomically) instead of standard output.
        #[arg(short = 'o', long)]
        output: Option<PathBuf>,
        /// Zone names relative to `$ORIGIN` instead of absolute.
        #[arg(long)]
        relative: bool,
        /// Export even when the design has error findings.
        #[arg(long)]
        force: bool,
    },
    /// A design from an existing zone file (the records of one domain), or from DNS (`--from-dns`).
    Import {
        /// Zone file in master-file syntax.
        #[arg(required_unless_present = "from_dns", conflicts_with = "from_dns")]
        zonefile: Option<PathBuf>,
        /// The mail domain whose records to take.
        #[arg(long)]
        domain: String,
        /// Write the design here (atomically) instead of standard output.
        #[arg(short = 'o', long)]
        output: Option<PathBuf>,
        /// Build the design from what DNS publishes now.
        #[arg(long)]
        from_dns: bool,
        /// Network options (with `--from-dns`).
        #[command(flatten)]
        net: check::NetArgs,
    },
    /// Static rules + what DNS publishes now (RRsets, DNSSEC, drift, live rules).
    #[command(after_help = EXIT_STATUS_HELP)]
    Check {
        /// Design file; omit it and give `--domain` to judge a domain as published.
        #[arg(required_unless_present = "domain")]
        design: Option<PathBuf>,
        /// The mail domain (without a design: judged as published).
        #[arg(long)]
        domain: Option<String>,
        /// Skip DNS (static rules only).
        #[arg(long, num_args = 0..=1, default_missing_value = "true", default_value_t = false, action = clap::ArgAction::Set)]
        offline: bool,
        /// Output format.
        #[arg(long, value_enum, default_value_t = check::CheckFormat::Text)]
        format: check::CheckFormat,
        /// Network options.
        #[command(flatten)]
        net: check::NetArgs,
        /// Relay probe options.
        #[command(flatten)]
        probe: check::ProbeOpts,
    },
    /// Probes one relay (every address it resolves to): SMTP, STARTTLS, TLS, certificate, role.
    #[command(after_help = EXIT_STATUS_HELP)]
    Probe(probe::ProbeArgs),
}

/// `lint --format`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum LintFormat {
    /// Grouped by severity, rule id first.
    Text,
    /// interfaces.md §3 (`domain`, `findings`).
    Json,
}

/// `export --format`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ExportFormat {
    /// BIND master-file snippet.
    Zone,
    /// The MTA-STS policy file (`mta-sts.txt`).
    MtaSts,
    /// The design as JSON.
    Json,
}

/// Run the CLI with these arguments (the first is the program name).
pub fn run<I, T>(args: I, out: &mut dyn Write, err: &mut dyn Write) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
            let text = e.render().to_string();
            if e.use_stderr() {
                let _ = write!(err, "{text}");
            } else {
                let _ = write!(out, "{text}");
            }
            return code;
        }
    };
    let result = match cli.command {
        Command::Lint {
            designs,
            format,
            list_rules,
        } => {
            if list_rules {
                list_rules_text(out)
            } else {
                lint(&designs, format, out)
            }
        }
        Command::Export {
            design,
            format,
            output,
            relative,
            force,
        } => export(
            &design,
            format,
            output.as_deref(),
            relative,
            force,
            out,
            err,
        ),
        Command::Import {
            zonefile,
            domain,
            output,
            from_dns,
            net,
        } => match zonefile {
            Some(z) if !from_dns => import(&z, &domain, output.as_deref(), out, err),
            _ => check::import_dns(&domain, &net, output.as_deref(), out, err)
                .map_err(CliError::Other),
        },
        Command::Check {
            design,
            domain,
            offline,
            format,
            net,
            probe,
        } => check::check(
            design.as_deref(),
            domain.as_deref(),
            &net,
            &probe,
            offline,
            format,
            out,
        )
        .map_err(CliError::Other),
        Command::Probe(args) => return probe::run(&args, out, err),
    };
    match result {
        Ok(code) => unless_interrupted(code, err),
        Err(e) => {
            let _ = writeln!(err, "secmx: {e}");
            EXIT_USAGE
        }
    }
}

/// A command failure: the one line printed on stderr.
#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error("{0}")]
    Project(#[from] ProjectError),
    #[error("{0}")]
    Other(String),
}

fn io(e: std::io::Error) -> CliError {
    CliError::Other(format!("cannot write output: {e}"))
}

fn list_rules_text(out: &mut dyn Write) -> Result<u8, CliError> {
    let all: Vec<_> = rules::registry().collect();
    let done = all.iter().filter(|r| r.check.is_some()).count();
    writeln!(
        out,
        "{} rules in the catalogue; {} implemented, {} not yet.",
        all.len(),
        done,
        all.len() - done
    )
    .map_err(io)?;
    writeln!(out, "\nImplemented:").map_err(io)?;
    for r in all.iter().filter(|r| r.check.is_some()) {
        let needs = match r.needs {
            Needs::Static => "static",
            Needs::Dns => "dns",
            Needs::Probe => "probe",
        };
        writeln!(
            out,
            "  {:<10} {:<7} {:<6} {}",
            r.id, r.severity, needs, r.title
        )
        .map_err(io)?;
    }
    writeln!(out, "\nNot yet implemented:").map_err(io)?;
    if done == all.len() {
        writeln!(out, "  (none)").map_err(io)?;
    }
    for r in all.iter().filter(|r| r.check.is_none()) {
        let issue = r
            .planned
            .map(|n| format!("issue #{n}"))
            .unwrap_or_else(|| "unplanned".into());
        writeln!(out, "  {:<10} {:<9} {}", r.id, issue, r.title).map_err(io)?;
    }
    Ok(EXIT_OK)
}

/// The JSON report of one design (interfaces.md §3, `findings` part).
#[derive(Debug, Serialize)]
pub struct LintReport {
    /// The file judged.
    pub file: String,
    /// The mail domain.
    pub domain: String,
    /// Counts per severity.
    pub summary: Summary,
    /// The findings, errors first.
    pub findings: Vec<Finding>,
}

fn lint(paths: &[PathBuf], format: LintFormat, out: &mut dyn Write) -> Result<u8, CliError> {
    let mut reports = Vec::new();
    for p in paths {
        let design = project::load_design(p)?;
        let findings = rules::lint(&design);
        reports.push(LintReport {
            file: p.display().to_string(),
            domain: design.domain.as_str().to_string(),
            summary: Summary::of(&findings),
            findings,
        });
    }
    let any_error = reports.iter().any(|r| r.summary.errors > 0);
    match format {
        LintFormat::Json => {
            let text = if reports.len() == 1 {
                serde_json::to_string_pretty(&reports[0])
            } else {
                serde_json::to_string_pretty(&reports)
            }
            .map_err(|e| CliError::Other(e.to_string()))?;
            writeln!(out, "{text}").map_err(io)?;
        }
        LintFormat::Text => {
            for r in &reports {
                write_findings_text(out, &r.file, &r.domain, &r.findings).map_err(io)?;
            }
        }
    }
    Ok(if any_error { EXIT_FINDINGS } else { EXIT_OK })
}

/// Findings as text, grouped by severity, rule id first.
pub fn write_findings_text(
    out: &mut dyn Write,
    file: &str,
    domain: &str,
    findings: &[Finding],
) -> std::io::Result<()> {
    writeln!(out, "{file} ({domain}): {}", Summary::of(findings))?;
    for sev in [Severity::Error, Severity::Warning, Severity::Info] {
        let group: Vec<&Finding> = findings.iter().filter(|f| f.severity == sev).collect();
        if group.is_empty() {
            continue;
        }
        writeln!(out, "  {}:", sev.as_str().to_uppercase())?;
        for f in group {
            writeln!(out, "    {:<9} {}: {}", f.rule, f.subject, f.message)?;
            if !f.fix.is_empty() {
                writeln!(out, "    {:<9} fix: {}", "", f.fix)?;
            }
        }
    }
    Ok(())
}

fn export(
    path: &Path,
    format: ExportFormat,
    output: Option<&Path>,
    relative: bool,
    force: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<u8, CliError> {
    let design: Design = project::load_design(path)?;
    let findings = rules::lint(&design);
    let summary = Summary::of(&findings);
    if summary.errors > 0 && !force && format != ExportFormat::Json {
        write_findings_text(
            err,
            &path.display().to_string(),
            design.domain.as_str(),
            &findings,
        )
        .map_err(io)?;
        let _ = writeln!(
            err,
            "secmx: not exported: the design has {} error finding(s); fix them, or pass --force to export anyway",
            summary.errors
        );
        return Ok(EXIT_FINDINGS);
    }
    let text = match format {
        ExportFormat::Zone => zone::export_zone(
            &design,
            &ExportOptions {
                relative,
                source: path.file_name().map(|n| n.to_string_lossy().into_owned()),
                summary: Some(summary),
            },
        ),
        ExportFormat::MtaSts => {
            if design.mta_sts.is_none() {
                return Err(CliError::Other(format!(
                    "{}: the design has no [mta_sts] section, so there is no policy file to export",
                    path.display()
                )));
            }
            zone::sts_policy_text(&design)
        }
        ExportFormat::Json => {
            let mut j = project::design_to_json(&design)?;
            j.push('\n');
            j
        }
    };
    match output {
        Some(o) => project::write_atomic(o, text.as_bytes())?,
        None => out.write_all(text.as_bytes()).map_err(io)?,
    }
    Ok(if summary.errors > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

fn import(
    path: &Path,
    domain: &str,
    output: Option<&Path>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<u8, CliError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| CliError::Other(format!("{file}: cannot read: {e}")))?;
    let report =
        zone::import_zone(&text, domain).map_err(|e| CliError::Other(format!("{file}:{e}")))?;
    for u in &report.unmapped {
        let _ = writeln!(err, "secmx: note: not part of the design: {u}");
    }
    for n in &report.notes {
        let _ = writeln!(err, "secmx: note: {n}");
    }
    let toml = project::design_to_toml(&report.design)?;
    match output {
        Some(o) => project::write_atomic(o, toml.as_bytes())?,
        None => out.write_all(toml.as_bytes()).map_err(io)?,
    }
    Ok(EXIT_OK)
}

#[cfg(test)]
mod exit_status_tests {
    use super::*;
    use crate::live::{LivePlan, judge};
    use crate::model::Role;
    use crate::probe::{ProbeFacts, ProbeReport, ProbeTarget, Verdict};

    fn report_with(verdict: Verdict) -> crate::live::LiveReport {
        let t = ProbeTarget::new("mx.example", [192, 0, 2, 1].into(), 25, Role::Ber);
        let mut r = ProbeReport::new(&t);
        r.verdict = verdict;
        let plan = LivePlan {
            domain: "mx.example".into(),
            design: None,
            file: None,
            dns: false,
            probe: true,
            explicit: None,
            mta_sts_domain: None,
        };
        judge(
            &plan,
            None,
            Some(ProbeFacts {
                reports: vec![r],
                policy: None,
            }),
            false,
        )
    }

    #[test]
    fn inconclusive_has_its_own_status() {
        assert_eq!(live_exit_status(0, false), EXIT_OK);
        assert_eq!(live_exit_status(2, true), EXIT_FINDINGS);
        assert_eq!(live_exit_status(0, true), EXIT_INCONCLUSIVE);
        let r = report_with(Verdict::Inconclusive);
        assert!(r.inconclusive());
        assert_eq!(
            live_exit_status(r.summary.errors, r.inconclusive()),
            EXIT_INCONCLUSIVE
        );
        let r = report_with(Verdict::Pass);
        assert!(!r.inconclusive());
    }

    #[test]
    fn help_lists_every_exit_status() {
        for n in ["  0  ", "  1  ", "  2  ", "  3  "] {
            assert!(EXIT_STATUS_HELP.contains(n));
        }
    }
}
