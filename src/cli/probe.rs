//! `secmx probe HOST[:PORT]`: probes one relay on every address its name resolves to
//! (documented in the README and `secmx --help`), printing text, the `probes` part of the JSON report (see the README), or one JSON event
//! per line as the steps happen (`jsonl`).
//!
//! The relay name is resolved with the system resolver; the PTR names of the addresses (PROBE-004)
//! are asked of the system resolver or of `--resolver IP:PORT`. The probes themselves, the MTA-STS
//! fetch (`--mta-sts DOMAIN`) and the judgement run through the one live check,
//! [`crate::live::run`], exactly as in `secmx check`.

use super::EXIT_USAGE;
use crate::cli::CliError;
use crate::live::{LivePlan, LiveSettings};
use crate::model::Role;
use crate::probe::{self, ProbeConfig, ProbeReport, ProbeTarget, Verdict};
use clap::ValueEnum;
use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

/// `secmx probe` arguments.
#[derive(Debug, clap::Args)]
pub struct ProbeArgs {
    /// `HOST`, `HOST:PORT`, an IP address, or `[IPv6]:PORT` (port default 25; 465 with --implicit-tls).
    pub target: String,
    /// The role the relay is expected to play.
    #[arg(long, value_enum, default_value_t = RoleArg::Ber)]
    pub role: RoleArg,
    /// Implicit TLS (TLS right after connect) instead of STARTTLS; the default for port 465.
    #[arg(long)]
    pub implicit_tls: bool,
    /// The EHLO name to announce.
    #[arg(long)]
    pub ehlo: Option<String>,
    /// Extra PEM trust roots (e.g. a private CA) for the certificate check.
    #[arg(long)]
    pub ca: Option<PathBuf>,
    /// Also trust the operating system's CA store (honours SSL_CERT_FILE / SSL_CERT_DIR), beside
    /// the bundled Mozilla roots and --ca.
    #[arg(long)]
    pub system_roots: bool,
    /// Timeout in seconds for connect, greeting, each reply and the handshake.
    #[arg(long)]
    pub timeout: Option<u64>,
    /// How many addresses to probe at once.
    #[arg(long, default_value_t = 16)]
    pub concurrency: usize,
    /// Also fetch the MTA-STS policy of this mail domain and judge the relay against it (PROBE-027).
    #[arg(long, value_name = "DOMAIN")]
    pub mta_sts: Option<String>,
    /// Skip the STARTTLS command-injection test (one connection less per address).
    #[arg(long)]
    pub no_injection_test: bool,
    /// Skip the extra handshakes (SNI and key-type variants, weak-cipher tests).
    #[arg(long)]
    pub quick: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ProbeFormat::Text)]
    pub format: ProbeFormat,
    /// A local source address to probe from as well (repeatable): one more greeting/EHLO/QUIT
    /// connection per address of the same family, to compare what each client is offered
    /// (PROBE-012).
    #[arg(long = "source", value_name = "IP")]
    pub sources: Vec<IpAddr>,
    /// A nameserver (`IP:PORT`) for the PTR lookups of the probed addresses (PROBE-004); default:
    /// the system resolver.
    #[arg(long, value_name = "IP:PORT")]
    pub resolver: Option<SocketAddr>,
    /// Skip the PTR lookups of the probed addresses.
    #[arg(long)]
    pub no_ptr: bool,
}

/// `--role`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum RoleArg {
    /// Best Effort Receiver (MX host).
    Ber,
    /// Secure Only Receiver (SecMX SRV target).
    Sor,
}

/// `probe --format`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ProbeFormat {
    /// One block per address.
    Text,
    /// `{"probes": [...]}` as in `secmx check`'s JSON report.
    Json,
    /// One event per line as it happens, then nothing else.
    Jsonl,
}

/// Splits `HOST[:PORT]`; `Err` with a message for a bad port.
fn split_target(s: &str, default_port: u16) -> Result<(String, u16), CliError> {
    if let Ok(sa) = s.parse::<SocketAddr>() {
        return Ok((sa.ip().to_string(), sa.port()));
    }
    if let Ok(ip) = s
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<IpAddr>()
    {
        return Ok((ip.to_string(), default_port));
    }
    match s.rsplit_once(':') {
        Some((h, p)) if !h.contains(':') => {
            let port = p
                .parse::<u16>()
                .map_err(|_| format!("bad port {p:?} in {s:?}"))?;
            Ok((h.to_string(), port))
        }
        _ => Ok((s.to_string(), default_port)),
    }
}

/// Runs `secmx probe`; returns the exit status.
pub fn run(args: &ProbeArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    match run_inner(args, out) {
        Ok(code) => super::unless_interrupted(code, err),
        Err(e) => {
            let _ = tline!(err, "secmx: {e}");
            EXIT_USAGE
        }
    }
}

/// The plan and the settings of `secmx probe` (also `secmx tlsa --relay`, which probes the same way).
pub(crate) fn plan_of(args: &ProbeArgs) -> Result<(LivePlan, LiveSettings), CliError> {
    let default_port = if args.implicit_tls { 465 } else { 25 };
    let (host, port) = split_target(&args.target, default_port)?;
    if host.is_empty() {
        return Err("no host given".into());
    }
    let step = args
        .timeout
        .map(|t| probe::checked_secs(t, "--timeout"))
        .transpose()?;
    let mut cfg = ProbeConfig::from_options(args.ca.as_deref(), args.ehlo.as_deref(), None)?;
    cfg.timeouts = probe::Timeouts::interactive(step);
    cfg.backoff = cfg.backoff.min(cfg.timeouts.reply);
    cfg.injection_test = !args.no_injection_test;
    cfg.sources = args.sources.clone();
    cfg.extra_handshakes = !args.quick;
    if args.system_roots {
        cfg.add_system_roots()?;
    }
    let role = match args.role {
        RoleArg::Ber => Role::Ber,
        RoleArg::Sor => Role::Sor,
    };
    let implicit = args.implicit_tls || port == 465;
    // The relay named on the command line, on every address the system resolver gives it.
    let addresses: Vec<IpAddr> = match host.parse::<IpAddr>() {
        Ok(ip) => vec![ip],
        Err(_) => {
            use std::net::ToSocketAddrs;
            let mut v: Vec<IpAddr> = (host.as_str(), port)
                .to_socket_addrs()
                .map_err(|e| format!("cannot resolve {host}: {e}"))?
                .map(|sa| sa.ip())
                .collect();
            v.sort();
            v.dedup();
            v
        }
    };
    if addresses.is_empty() {
        return Err(format!("{host} has no addresses").into());
    }
    let targets: Vec<ProbeTarget> = addresses
        .into_iter()
        .map(|a| {
            let mut t = ProbeTarget::new(host.clone(), a, port, role);
            t.implicit_tls = implicit;
            t.via = Some("cli".into());
            t
        })
        .collect();
    let plan = LivePlan {
        domain: args.mta_sts.clone().unwrap_or_else(|| host.clone()),
        design: None,
        file: None,
        dns: false,
        probe: true,
        explicit: Some(targets),
        mta_sts_domain: args.mta_sts.clone(),
    };
    let settings = LiveSettings {
        resolve: crate::resolve::Settings {
            nameserver: args.resolver,
            timeout: step.unwrap_or(Duration::from_secs(5)),
            ..crate::resolve::Settings::default()
        },
        probe: cfg,
        probe_concurrency: args.concurrency.clamp(1, 256),
        mta_sts_port: None,
        mta_sts_timeout: step.unwrap_or(Duration::from_secs(30)),
        ptr: !args.no_ptr,
        use_resolver_for_probe_only: false,
    };
    Ok((plan, settings))
}

fn run_inner(args: &ProbeArgs, out: &mut dyn Write) -> Result<u8, CliError> {
    let (plan, settings) = plan_of(args)?;
    let format = args.format;
    let report = super::check::run_live(plan, settings, format == ProbeFormat::Jsonl, out)?;
    let io_err = |e: std::io::Error| format!("cannot write output: {e}");
    let reports = report.probes.clone().unwrap_or_default();
    let relays = report.relays.clone().unwrap_or_default();
    let policy = report.mta_sts_policy.clone();
    match format {
        ProbeFormat::Jsonl => {}
        ProbeFormat::Json => {
            let mut v = serde_json::json!({
                "probes": reports,
                "relays": relays,
                "findings": report.findings,
            });
            if let Some(p) = &policy {
                v["mta_sts_policy"] = serde_json::to_value(p).map_err(|e| e.to_string())?;
            }
            let text = serde_json::to_string_pretty(&v).map_err(|e| e.to_string())?;
            writeln!(out, "{text}").map_err(io_err)?;
        }
        ProbeFormat::Text => {
            write_text_all(out, policy.as_ref(), &reports, &relays).map_err(io_err)?;
        }
    }
    let failed = relays.iter().any(|r| r.verdict == Verdict::Fail);
    Ok(super::live_exit_status(
        usize::from(failed),
        report.inconclusive(),
    ))
}

/// The text report of `secmx probe`: the MTA-STS fetch, every address, relays that differ.
pub(crate) fn write_text_all(
    out: &mut dyn Write,
    policy: Option<&crate::probe::sts::PolicyFetch>,
    reports: &[ProbeReport],
    relays: &[crate::rules::relays::RelaySummary],
) -> std::io::Result<()> {
    if let Some(p) = policy {
        tline!(
            out,
            "MTA-STS {}: status {}, mode {}, {} problem(s)",
            p.url,
            p.status
                .map(|s| s.to_string())
                .unwrap_or_else(|| "-".into()),
            p.policy
                .as_ref()
                .and_then(|x| x.mode.clone())
                .unwrap_or_else(|| "-".into()),
            p.problems.len()
        )?;
        if let Some(why) = &p.invalid_because {
            tline!(out, "  INVALID, senders use no policy: {why}")?;
        }
        for pr in &p.problems {
            tline!(out, "  {:?} {}: {}", pr.severity, pr.rule, pr.message)?;
        }
    }
    for r in reports {
        write_text(out, r)?;
    }
    for s in relays.iter().filter(|s| s.addresses.len() > 1) {
        tline!(
            out,
            "{}:{} over {} addresses: {:?}",
            s.host,
            s.port,
            s.addresses.len(),
            s.verdict
        )?;
        for d in &s.differences {
            tline!(out, "  {:?} {}: {}", d.severity, d.rule, d.message)?;
        }
    }
    Ok(())
}

pub(crate) fn write_text(out: &mut dyn Write, r: &ProbeReport) -> std::io::Result<()> {
    let addr = SocketAddr::new(r.address, r.port);
    tline!(
        out,
        "{} {addr} ({}{}): {}",
        r.host,
        r.role.as_str(),
        if r.implicit_tls { ", implicit TLS" } else { "" },
        serde_json::to_value(r.verdict)
            .ok()
            .and_then(|v| v.as_str().map(str::to_uppercase))
            .unwrap_or_default()
    )?;
    let code = |c: Option<u16>| c.map(|c| c.to_string()).unwrap_or_else(|| "-".into());
    tline!(
        out,
        "  connect {:?}, greeting {}, STARTTLS {}, plaintext MAIL {}, TLS MAIL {}",
        r.connect,
        code(r.greeting),
        match r.starttls_offered {
            Some(true) => "offered",
            Some(false) => "NOT offered",
            None => "-",
        },
        code(r.plaintext_mail_from),
        code(r.tls_mail_from)
    )?;
    if let Some(t) = &r.tls {
        match (&t.version, &t.cipher, &t.handshake_error) {
            (Some(v), Some(c), _) => tline!(out, "  TLS {v} {c}")?,
            (_, _, Some(e)) => tline!(out, "  TLS failed: {e}")?,
            _ => {}
        }
    }
    if let Some(c) = &r.certificate {
        tline!(
            out,
            "  certificate {} (SAN {}), issuer {}, {} .. {}, {}, PKIX {}",
            c.subject,
            c.sans.join(", "),
            c.issuer,
            c.not_before,
            c.not_after,
            c.key,
            serde_json::to_value(c.pkix)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default()
        )?;
    }
    if let Some(e) = &r.error {
        tline!(out, "  stopped: {e}")?;
    }
    for p in &r.problems {
        tline!(out, "  {:?} {}: {}", p.severity, p.rule, p.message)?;
    }
    tline!(
        out,
        "  {} ms in {} attempt(s)",
        r.timings_ms.total,
        r.attempts
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_split() {
        assert_eq!(
            split_target("mx.example", 25).unwrap(),
            ("mx.example".into(), 25)
        );
        assert_eq!(
            split_target("mx.example:587", 25).unwrap(),
            ("mx.example".into(), 587)
        );
        assert_eq!(
            split_target("127.0.0.1:2525", 25).unwrap(),
            ("127.0.0.1".into(), 2525)
        );
        assert_eq!(split_target("[::1]:26", 25).unwrap(), ("::1".into(), 26));
        assert_eq!(split_target("::1", 465).unwrap(), ("::1".into(), 465));
        assert!(split_target("mx.example:x", 25).is_err());
    }
}
