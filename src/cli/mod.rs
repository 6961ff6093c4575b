//! The command line (documented in the README and `secmx --help`): the same engine as the window, for scripts and CI.
//!
//! [`run`] takes the arguments and two writers so tests drive it in-process; the binary passes
//! stdout and stderr. Exit status ([`EXIT_STATUS_HELP`]): 0 = nothing at error severity, 1 = at
//! least one error finding, 2 = the command could not run (one clear line on stderr, with
//! `file:line:column` where there is one), 3 = inconclusive (`check`, `probe`: nothing at error
//! severity, but at least one relay address could not be judged).

/// `writeln!` for text meant for a terminal: the formatted line goes through
/// [`crate::model::text::escape_for_terminal`] (no control character of remote or user data
/// reaches the terminal, and a line stays one line), then `\n`. JSON output does not use it.
macro_rules! tline {
    ($out:expr, $($arg:tt)*) => {
        $crate::model::text::write_line($out, format_args!($($arg)*))
    };
}

pub mod catalogue;
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
pub mod tlsa;

/// Exit status: no error findings.
pub const EXIT_OK: u8 = 0;
/// Exit status: at least one error finding (or failed probe).
pub const EXIT_FINDINGS: u8 = 1;
/// Exit status: the command could not run.
pub const EXIT_USAGE: u8 = 2;
/// Exit status of `check --save --fail-on-regression` (and `diff --fail-on-regression`): something
/// got worse since the previous saved run of the domain (see `secmx diff`).
pub const EXIT_REGRESSION: u8 = 4;

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
     could not be judged (timeout, 4xx reply, temporary failure)
  4  check --save --fail-on-regression, diff --fail-on-regression: something got worse since
     the previous saved run of the domain";

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
        let _ = tline!(
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
        /// History options.
        #[command(flatten)]
        save: check::SaveOpts,
    },
    /// The saved runs of a domain (`secmx check --save`), newest first.
    History {
        /// The mail domain.
        domain: String,
        /// The history database (default `$XDG_DATA_HOME/secmx/history.sqlite`).
        #[arg(long, value_name = "FILE")]
        history: Option<PathBuf>,
        /// How many runs to list.
        #[arg(long, default_value_t = 20)]
        limit: i64,
    },
    /// What changed between two saved runs, in words (default: the last two of `--domain`).
    Diff {
        /// The older run id (default: the second-to-last run of the domain).
        run_a: Option<i64>,
        /// The newer run id (default: the last run of the domain, or of RUN_A's domain).
        run_b: Option<i64>,
        /// The domain whose last two runs to compare.
        #[arg(long)]
        domain: Option<String>,
        /// The history database (default `$XDG_DATA_HOME/secmx/history.sqlite`).
        #[arg(long, value_name = "FILE")]
        history: Option<PathBuf>,
        /// Exit with status 4 when something got worse.
        #[arg(long)]
        fail_on_regression: bool,
    },
    /// Probes one relay (every address it resolves to): SMTP, STARTTLS, TLS, certificate, role.
    #[command(after_help = EXIT_STATUS_HELP)]
    Probe(probe::ProbeArgs),
    /// TLSA records (`3 1 1` leaf key, `2 1 1` issuers) from a certificate or chain, a key, a CSR,
    /// or the chain a live relay serves.
    Tlsa(tlsa::TlsaArgs),
    /// The rule catalogue: every rule with its severity and what judging it needs.
    Rules {
        /// Output format.
        #[arg(long, value_enum, default_value_t = catalogue::RulesFormat::Table)]
        format: catalogue::RulesFormat,
    },
    /// One rule in full: what it requires, its sources, a failing and a passing example.
    Explain {
        /// The rule id, e.g. MX-002.
        rule: String,
    },
}

/// `lint --format`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum LintFormat {
    /// Grouped by severity, rule id first.
    Text,
    /// The JSON report (`domain`, `findings`).
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
            let to: &mut dyn Write = if e.use_stderr() { err } else { out };
            // clap repeats the offending argument: escaped line by line like every other message.
            for line in text.lines() {
                let _ = tline!(to, "{line}");
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
            _ => check::import_dns(&domain, &net, output.as_deref(), out, err),
        },
        Command::Check {
            design,
            domain,
            offline,
            format,
            net,
            probe,
            save,
        } => check::check(
            design.as_deref(),
            domain.as_deref(),
            &net,
            &probe,
            &save,
            offline,
            format,
            out,
            err,
        ),
        Command::History {
            domain,
            history,
            limit,
        } => check::history(&domain, history.as_deref(), limit, out),
        Command::Diff {
            run_a,
            run_b,
            domain,
            history,
            fail_on_regression,
        } => check::diff(
            run_a,
            run_b,
            domain.as_deref(),
            history.as_deref(),
            fail_on_regression,
            out,
        ),
        Command::Probe(args) => return probe::run(&args, out, err),
        Command::Tlsa(args) => tlsa::run(&args, out),
        Command::Rules { format } => catalogue::rules(format, out),
        Command::Explain { rule } => catalogue::explain(&rule, out, err),
    };
    match result {
        Ok(code) => unless_interrupted(code, err),
        Err(e) => {
            let _ = tline!(err, "secmx: {e}");
            EXIT_USAGE
        }
    }
}

/// A command failure: the one line printed on stderr.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The design file.
    #[error("{0}")]
    Project(#[from] ProjectError),
    /// The history database (`--save`, `history`, `diff`).
    #[error(transparent)]
    History(#[from] crate::history::HistoryError),
    /// A PEM file or chain for `secmx tlsa`.
    #[error(transparent)]
    TlsaGen(#[from] crate::tlsagen::TlsaGenError),
    /// A probe option (timeout, CA file, the system's store).
    #[error(transparent)]
    Probe(#[from] crate::probe::ProbeError),
    /// The live check stopped.
    #[error(transparent)]
    Live(#[from] crate::live::LiveError),
    /// The command's own message (a bad option, an unwritable output).
    #[error("{0}")]
    Other(String),
}

impl From<String> for CliError {
    fn from(s: String) -> Self {
        CliError::Other(s)
    }
}

impl From<&str> for CliError {
    fn from(s: &str) -> Self {
        CliError::Other(s.to_string())
    }
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

/// The JSON report of one design (the `findings` part of the JSON report).
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
    tline!(out, "{file} ({domain}): {}", Summary::of(findings))?;
    for sev in [Severity::Error, Severity::Warning, Severity::Info] {
        let group: Vec<&Finding> = findings.iter().filter(|f| f.severity == sev).collect();
        if group.is_empty() {
            continue;
        }
        tline!(out, "  {}:", sev.as_str().to_uppercase())?;
        for f in group {
            tline!(out, "    {:<9} {}: {}", f.rule, f.subject, f.message)?;
            if !f.fix.is_empty() {
                tline!(out, "    {:<9} fix: {}", "", f.fix)?;
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
        let _ = tline!(
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
    let size = std::fs::metadata(path)
        .map_err(|e| CliError::Other(format!("{file}: cannot read: {e}")))?
        .len();
    if size > project::MAX_FILE_BYTES {
        return Err(CliError::Other(format!(
            "{file}: refused: the zone file is {size} bytes, more than the {} MiB a zone import reads",
            project::MAX_FILE_BYTES / (1024 * 1024)
        )));
    }
    let bytes =
        std::fs::read(path).map_err(|e| CliError::Other(format!("{file}: cannot read: {e}")))?;
    let report = zone::import::zone_text(&bytes)
        .and_then(|text| zone::import_zone(text, domain))
        .map_err(|e| CliError::Other(format!("{file}:{e}")))?;
    // One write per note would be one system call each: a big zone lists a million.
    let mut notes = std::io::BufWriter::new(&mut *err);
    for u in &report.unmapped {
        let _ = tline!(&mut notes, "secmx: note: not part of the design: {u}");
    }
    for n in &report.notes {
        let _ = tline!(&mut notes, "secmx: note: {n}");
    }
    let _ = notes.flush();
    drop(notes);
    let toml = project::design_to_toml(&report.design)?;
    match output {
        Some(o) => project::write_atomic(o, toml.as_bytes())?,
        None => out.write_all(toml.as_bytes()).map_err(io)?,
    }
    Ok(EXIT_OK)
}

#[cfg(test)]
mod terminal_tests {
    //! Issue 13.3: no control character of remote or user data reaches a terminal through a text
    //! writer, and no field can add a line.
    use super::*;
    use crate::live::{DnsReport, LiveReport};
    use crate::probe::{CertificateFacts, ProbeReport, ProbeTarget, Problem, TlsFacts, Verdict};
    use crate::resolve::{Change, Dnssec, Drift, RRset, Status};
    use crate::rules::Source;
    use crate::rules::relays::RelaySummary;
    use proptest::prelude::*;
    use std::net::IpAddr;

    /// Nine strings go into every free-text field a writer prints.
    fn findings(s: &[String]) -> Vec<Finding> {
        [Severity::Error, Severity::Warning, Severity::Info]
            .into_iter()
            .map(|severity| Finding {
                rule: "NAME-001",
                severity,
                subject: s[0].clone(),
                message: s[1].clone(),
                fix: s[2].clone(),
                origin: None,
                source: Source::Published,
            })
            .collect()
    }

    fn probe_report(s: &[String]) -> ProbeReport {
        let addr: IpAddr = "192.0.2.25".parse().unwrap();
        let mut r = ProbeReport::new(&ProbeTarget {
            host: s[3].clone(),
            address: addr,
            port: 25,
            role: crate::model::Role::Ber,
            implicit_tls: false,
            via: Some(s[4].clone()),
            tlsa: None,
            ptr: None,
            listed: None,
        });
        r.banner = Some(s[5].clone());
        r.tls = Some(TlsFacts {
            version: Some(s[6].clone()),
            cipher: Some(s[7].clone()),
            ..TlsFacts::default()
        });
        r.certificate = Some(CertificateFacts {
            subject: s[5].clone(),
            sans: vec![s[6].clone(), s[7].clone()],
            issuer: s[8].clone(),
            not_before: s[0].clone(),
            not_after: s[1].clone(),
            key: s[2].clone(),
            pkix: crate::probe::tls::Pkix::Valid,
            pkix_error: Some(s[3].clone()),
            intermediates_missing: false,
            chain: vec![],
        });
        r.error = Some(format!("malformed reply line: {}", s[8]));
        r.problems = vec![Problem {
            rule: "PROBE-004",
            severity: Severity::Warning,
            message: s[5].clone(),
        }];
        r
    }

    fn live_report(s: &[String]) -> LiveReport {
        let findings = findings(s);
        LiveReport {
            file: Some(s[0].clone()),
            domain: s[1].clone(),
            summary: Summary::of(&findings),
            findings,
            dns: Some(DnsReport {
                rrsets: vec![RRset {
                    name: s[2].clone(),
                    rtype: "TXT".into(),
                    records: vec![s[3].clone(), s[4].clone()],
                    ttl: Some(300),
                    dnssec: Dnssec::Insecure,
                    status: Status::Ok,
                    cname: Some(s[5].clone()),
                    detail: Some(s[6].clone()),
                    ms: 1.0,
                    answers: vec![],
                }],
                drift: vec![Drift {
                    name: s[7].clone(),
                    rtype: "MX".into(),
                    change: Change::Different,
                    designed: vec![s[8].clone()],
                    published: vec![s[0].clone()],
                    designed_ttl: Some(1),
                    published_ttl: None,
                    detail: Some(s[1].clone()),
                }],
                elapsed_ms: 3,
            }),
            probes: Some(vec![probe_report(s)]),
            relays: None,
            mta_sts_policy: None,
            simulation: None,
            rollover: Vec::new(),
            cancelled: false,
        }
    }

    /// Every text writer over these strings, each output separately.
    fn outputs(s: &[String]) -> Vec<String> {
        let mut v = Vec::new();
        let mut o = Vec::new();
        write_findings_text(&mut o, &s[0], &s[1], &findings(s)).unwrap();
        v.push(o);
        let mut o = Vec::new();
        check::write_text(&mut o, &live_report(s)).unwrap();
        v.push(o);
        let mut o = Vec::new();
        let addr: IpAddr = "192.0.2.25".parse().unwrap();
        let relays = vec![RelaySummary {
            host: s[2].clone(),
            port: 25,
            verdict: Verdict::Fail,
            addresses: vec![addr, "192.0.2.26".parse().unwrap()],
            differences: vec![Problem {
                rule: "PROBE-028",
                severity: Severity::Error,
                message: s[3].clone(),
            }],
        }];
        probe::write_text_all(&mut o, None, &[probe_report(s)], &relays).unwrap();
        v.push(o);
        v.into_iter()
            .map(|o| String::from_utf8(o).expect("text output is UTF-8"))
            .collect()
    }

    fn hostile() -> impl Strategy<Value = String> {
        let c = prop_oneof![
            any::<char>(),
            (0u32..0x20).prop_map(|u| char::from_u32(u).unwrap_or('?')),
            (0x7fu32..0xa0).prop_map(|u| char::from_u32(u).unwrap_or('?')),
            Just('\x1b'),
            Just('\n'),
            Just('\r'),
        ];
        prop_oneof![
            proptest::collection::vec(c, 0..24).prop_map(String::from_iter),
            proptest::collection::vec(any::<u8>(), 0..24)
                .prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        ]
    }

    proptest! {
        #[test]
        fn no_control_character_reaches_the_terminal(s in proptest::collection::vec(hostile(), 9)) {
            // The same report with harmless text (empty stays empty: an empty fix prints no line).
            let plain: Vec<String> = s
                .iter()
                .map(|x| if x.is_empty() { String::new() } else { "x".into() })
                .collect();
            for (out, base) in outputs(&s).iter().zip(outputs(&plain)) {
                prop_assert_eq!(out.lines().count(), base.lines().count(), "{}", out);
                for line in out.lines() {
                    prop_assert!(
                        !line.chars().any(char::is_control),
                        "control character in {:?}",
                        line
                    );
                }
            }
        }
    }

    #[test]
    fn escape_sequences_in_a_banner_are_shown_not_obeyed() {
        let mut s: Vec<String> = (0..9).map(|_| "x".to_string()).collect();
        s[5] = "mx.example\x1b]0;pwned\x07\x1b[2J\r\nsecmx: all good".into();
        let out = outputs(&s).join("");
        assert!(!out.contains('\x1b'), "{out}");
        assert!(out.contains("mx.example\\x1b]0;pwned\\x07\\x1b[2J\\r\\nsecmx: all good"));
    }
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
