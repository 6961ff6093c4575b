//! `secmx tlsa`: the TLSA records of a certificate or chain file, a private or public key, a CSR,
//! or the chain a live relay serves ([`crate::tlsagen`]), as zone lines or as TOML strings for a
//! design's `tlsa = [...]` / `next_tlsa = [...]`.

use crate::cli::CliError;
use crate::tlsagen::{self, ChainCert, Computed};
use clap::ValueEnum;
use std::io::Write;
use std::path::PathBuf;

/// `secmx tlsa` arguments.
#[derive(Debug, clap::Args)]
pub struct TlsaArgs {
    /// A PEM file: a certificate or a chain (leaf first), a private key (PKCS#8), a public key, or
    /// a certificate signing request (the next key before its certificate exists).
    #[arg(required_unless_present = "relay", conflicts_with = "relay")]
    pub file: Option<PathBuf>,
    /// Take the chain a live relay serves (`HOST[:PORT]`, port default 25), via a probe.
    #[arg(long, value_name = "HOST[:PORT]")]
    pub relay: Option<String>,
    /// The relay host the records are for (the owner `_<port>._tcp.<host>.`); default with
    /// `--relay`: its host. Needed for zone lines from a file.
    #[arg(long, value_name = "NAME")]
    pub host: Option<String>,
    /// The port of the owner name; default: the relay's port, else 25.
    #[arg(long)]
    pub port: Option<u16>,
    /// Only the leaf's `3 1 1` record (a chain without its issuer is then fine).
    #[arg(long)]
    pub leaf_only: bool,
    /// Output: zone-file lines, or TOML strings to paste into a design's `tlsa = [...]`.
    #[arg(long, value_enum, default_value_t = TlsaFormat::Zone)]
    pub format: TlsaFormat,
    /// Extra PEM trust roots for the probe (`--relay`).
    #[arg(long, value_name = "FILE")]
    pub ca: Option<PathBuf>,
    /// Seconds for each probe step (`--relay`).
    #[arg(long, value_name = "SECS")]
    pub timeout: Option<u64>,
}

/// `tlsa --format`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum TlsaFormat {
    /// `_25._tcp.HOST. IN TLSA 3 1 1 …` lines.
    Zone,
    /// `"3 1 1 …",` lines for a design's `tlsa = [...]`.
    Toml,
}

/// Runs `secmx tlsa`.
pub fn run(args: &TlsaArgs, out: &mut dyn Write) -> Result<u8, CliError> {
    let (records, relay_host, relay_port) = match (&args.file, &args.relay) {
        (Some(f), _) => (
            tlsagen::from_pem_file(f, !args.leaf_only).map_err(|e| e.to_string())?,
            None,
            None,
        ),
        (None, Some(r)) => {
            let (recs, host, port) = from_relay(r, args, out)?;
            (recs, Some(host), Some(port))
        }
        (None, None) => return Err("tlsa needs a PEM FILE or --relay HOST[:PORT]".into()),
    };
    let io = |e: std::io::Error| format!("cannot write output: {e}");
    match args.format {
        TlsaFormat::Toml => {
            for c in &records {
                writeln!(out, "  \"{}\", # {}", c.record(), c.what).map_err(io)?;
            }
        }
        TlsaFormat::Zone => {
            let host = match args.host.clone().or(relay_host) {
                Some(h) => crate::model::normalize_name(&h),
                None => {
                    return Err(
                        "zone lines need the relay host: pass --host NAME (or --format toml)"
                            .into(),
                    );
                }
            };
            let port = args.port.or(relay_port).unwrap_or(25);
            for c in &records {
                writeln!(
                    out,
                    "_{port}._tcp.{host}. IN TLSA {} ; {}",
                    c.record(),
                    c.what
                )
                .map_err(io)?;
            }
        }
    }
    Ok(super::EXIT_OK)
}

/// The records of the chain(s) a relay serves on its addresses (one probe each, quick).
fn from_relay(
    target: &str,
    args: &TlsaArgs,
    out: &mut dyn Write,
) -> Result<(Vec<Computed>, String, u16), CliError> {
    let pargs = super::probe::ProbeArgs {
        target: target.to_string(),
        role: super::probe::RoleArg::Ber,
        implicit_tls: false,
        ehlo: None,
        ca: args.ca.clone(),
        timeout: args.timeout,
        concurrency: 16,
        mta_sts: None,
        no_injection_test: true,
        quick: true,
        format: super::probe::ProbeFormat::Json,
        sources: Vec::new(),
        resolver: None,
        no_ptr: true,
        system_roots: false,
    };
    let (plan, settings) = super::probe::plan_of(&pargs)?;
    let report = super::check::run_live(plan, settings, false, out)?;
    let probes = report.probes.unwrap_or_default();
    let Some(first) = probes.first() else {
        return Err(format!("{target}: nothing was probed").into());
    };
    let (host, port) = (first.host.clone(), first.port);
    let mut records: Vec<Computed> = Vec::new();
    for p in &probes {
        let Some(cert) = p.certificate.as_ref().filter(|c| !c.chain.is_empty()) else {
            return Err(format!(
                "{host} {}:{port} sent no certificate ({}): no records computed",
                p.address,
                p.error
                    .clone()
                    .or_else(|| p.tls.as_ref().and_then(|t| t.handshake_error.clone()))
                    .unwrap_or_else(|| "no TLS".into())
            )
            .into());
        };
        let chain: Vec<ChainCert> = cert.chain.iter().map(ChainCert::of_info).collect();
        let recs = tlsagen::from_chain(&chain, !args.leaf_only)
            .map_err(|e| format!("{host} {}:{port}: {e}", p.address))?;
        for r in recs {
            if !records.contains(&r) {
                records.push(r);
            }
        }
    }
    Ok((records, host, port))
}
