//! MTA-STS policy fetch (RFC 8461 §3.3) and the judgement of each probed MX against the policy
//! (PROBE-027), with the transport rules STS-007 (certificate for `mta-sts.<domain>`), STS-008 (200,
//! no redirects), STS-009 (`text/plain`) and STS-010 (≤ 64 KiB, well inside a minute).
//!
//! The HTTPS client is reqwest on rustls with the probe's recording verifier: a bad certificate is
//! recorded (STS-007) and the policy is still read so the report can show it — a sender would stop.
//! Only what judging needs is parsed here (version, mode, max_age, mx); the policy text's own rules
//! (STS-011…) belong to the static rules.

use super::report::{ProbeReport, Problem, Verdict};
use super::smtp::millis;
use super::tls::{Pkix, RecordingVerifier, san_matches};
use crate::model::Severity;
use rustls::RootCertStore;
use serde::Serialize;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How to fetch.
#[derive(Debug, Clone)]
pub struct StsConfig {
    /// Whole-request timeout (default 60 s, RFC 8461 §3.3 suggests senders give up after a minute).
    pub timeout: Duration,
    /// Largest body read (default 64 KiB); more is a finding and is not read.
    pub max_body: usize,
    /// Trust roots (webpki roots plus `--ca`).
    pub roots: Arc<RootCertStore>,
    /// Crypto provider.
    pub provider: Arc<rustls::crypto::CryptoProvider>,
    /// Connect here instead of resolving `mta-sts.<domain>` (tests, or the live-DNS part's answer).
    pub address: Option<SocketAddr>,
    /// Port in the URL (default 443; tests use their own).
    pub port: Option<u16>,
}

impl StsConfig {
    /// Defaults over these roots and provider.
    pub fn new(roots: Arc<RootCertStore>, provider: Arc<rustls::crypto::CryptoProvider>) -> Self {
        StsConfig {
            timeout: Duration::from_secs(60),
            max_body: 64 * 1024,
            roots,
            provider,
            address: None,
            port: None,
        }
    }
}

/// The fields of a policy that judging needs (first occurrence of each, all `mx` lines).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Policy {
    /// `version`.
    pub version: Option<String>,
    /// `mode` (`enforce` / `testing` / `none`).
    pub mode: Option<String>,
    /// `max_age` in seconds.
    pub max_age: Option<u64>,
    /// `mx` patterns.
    pub mx: Vec<String>,
}

impl Policy {
    /// Parses `key: value` lines (LF or CRLF).
    pub fn parse(text: &str) -> Policy {
        let mut p = Policy::default();
        for line in text.lines() {
            let Some((k, v)) = line.split_once(':') else {
                continue;
            };
            let v = v.trim().to_string();
            match k.trim() {
                "version" if p.version.is_none() => p.version = Some(v),
                "mode" if p.mode.is_none() => p.mode = Some(v),
                "max_age" if p.max_age.is_none() => p.max_age = v.parse().ok(),
                "mx" => p.mx.push(v),
                _ => {}
            }
        }
        p
    }

    /// Does an MX host match one of the `mx` patterns (RFC 8461 §4.1)?
    pub fn covers(&self, host: &str) -> bool {
        self.mx.iter().any(|m| san_matches(m, host))
    }
}

/// The outcome of one policy fetch.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyFetch {
    /// The URL fetched.
    pub url: String,
    /// HTTP status.
    pub status: Option<u16>,
    /// `Content-Type`.
    pub content_type: Option<String>,
    /// `Location` of a redirect.
    pub location: Option<String>,
    /// Body bytes read.
    pub bytes: usize,
    /// Milliseconds for the whole fetch.
    pub elapsed_ms: u64,
    /// PKIX verdict for `mta-sts.<domain>`.
    pub pkix: Option<Pkix>,
    /// PKIX error text.
    pub pkix_error: Option<String>,
    /// Transport error (no connection, TLS failure, timeout).
    pub error: Option<String>,
    /// The policy as read (also when a rule failed, so the report can show it).
    pub policy: Option<Policy>,
    /// STS-007…010 findings.
    pub problems: Vec<Problem>,
}

impl PolicyFetch {
    /// True when a sender would have accepted the fetch (no error-severity problem).
    pub fn usable(&self) -> bool {
        self.policy.is_some() && !self.problems.iter().any(|p| p.severity == Severity::Error)
    }
}

/// Fetches `https://mta-sts.<domain>/.well-known/mta-sts.txt`; never fails, every problem is data.
pub async fn fetch_policy(domain: &str, cfg: &StsConfig) -> PolicyFetch {
    let domain = domain.trim_end_matches('.').to_ascii_lowercase();
    let host = format!("mta-sts.{domain}");
    let url = match cfg.port {
        Some(p) => format!("https://{host}:{p}/.well-known/mta-sts.txt"),
        None => format!("https://{host}/.well-known/mta-sts.txt"),
    };
    let mut f = PolicyFetch {
        url: url.clone(),
        status: None,
        content_type: None,
        location: None,
        bytes: 0,
        elapsed_ms: 0,
        pkix: None,
        pkix_error: None,
        error: None,
        policy: None,
        problems: vec![],
    };
    let t0 = Instant::now();
    let res = fetch_inner(&host, &url, cfg, &mut f).await;
    f.elapsed_ms = millis(t0.elapsed());
    let mut add = |rule, severity, message: String| {
        f.problems.push(Problem {
            rule,
            severity,
            message,
        })
    };
    if let Err(e) = res {
        add(
            "STS-007",
            Severity::Error,
            format!("policy fetch failed: {e}"),
        );
        f.error = Some(e);
    }
    match f.pkix {
        Some(Pkix::Valid) | None => {}
        Some(p) => add(
            "STS-007",
            Severity::Error,
            format!(
                "certificate of {host} is not PKIX-valid ({p:?}{})",
                f.pkix_error
                    .as_deref()
                    .map(|e| format!(": {e}"))
                    .unwrap_or_default()
            ),
        ),
    }
    match f.status {
        None | Some(200) => {}
        Some(s @ 300..=399) => add(
            "STS-008",
            Severity::Error,
            format!(
                "answered {s} (redirect to {}); senders do not follow redirects",
                f.location.as_deref().unwrap_or("?")
            ),
        ),
        Some(s) => add("STS-008", Severity::Error, format!("answered {s}, not 200")),
    }
    if f.status == Some(200) {
        let ct = f.content_type.clone().unwrap_or_default();
        let mime = ct
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if mime != "text/plain" {
            add(
                "STS-009",
                Severity::Warning,
                format!("Content-Type is {ct:?}, not text/plain"),
            );
        }
        if f.bytes > cfg.max_body {
            add(
                "STS-010",
                Severity::Warning,
                format!("policy larger than {} bytes", cfg.max_body),
            );
        }
    }
    if t0.elapsed() > Duration::from_secs(10) {
        add(
            "STS-010",
            Severity::Warning,
            format!("policy took {} ms", f.elapsed_ms),
        );
    }
    f
}

async fn fetch_inner(
    host: &str,
    url: &str,
    cfg: &StsConfig,
    f: &mut PolicyFetch,
) -> Result<(), String> {
    let verifier = Arc::new(RecordingVerifier::new(
        cfg.roots.clone(),
        cfg.provider.clone(),
    )?);
    let mut tls = rustls::ClientConfig::builder_with_provider(cfg.provider.clone())
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
        .map_err(|e| e.to_string())?
        .dangerous()
        .with_custom_certificate_verifier(verifier.clone())
        .with_no_client_auth();
    tls.alpn_protocols = vec![b"http/1.1".to_vec()];
    let mut b = reqwest::Client::builder()
        .use_preconfigured_tls(tls)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(cfg.timeout)
        .no_proxy();
    if let Some(a) = cfg.address {
        b = b.resolve(host, a);
    }
    let client = b.build().map_err(|e| format!("HTTP client: {e}"))?;
    let res = client.get(url).send().await;
    let obs = verifier.observed();
    if let Some((p, e)) = obs.pkix {
        f.pkix = Some(p);
        f.pkix_error = e;
    }
    let mut resp = res.map_err(|e| error_chain(&e))?;
    f.status = Some(resp.status().as_u16());
    let header = |name| {
        resp.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(String::from)
    };
    f.content_type = header(reqwest::header::CONTENT_TYPE);
    f.location = header(reqwest::header::LOCATION);
    if f.status != Some(200) {
        return Ok(());
    }
    if let Some(n) = resp.content_length()
        && n > cfg.max_body as u64
    {
        // Announced too large: not read at all.
        f.bytes = usize::try_from(n).unwrap_or(usize::MAX);
        return Ok(());
    }
    let mut body = Vec::new();
    let mut total = 0usize;
    while let Some(chunk) = resp.chunk().await.map_err(|e| error_chain(&e))? {
        total = total.saturating_add(chunk.len());
        let room = (cfg.max_body + 1).saturating_sub(body.len());
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if total > cfg.max_body {
            f.bytes = total;
            return Ok(());
        }
    }
    f.bytes = body.len();
    f.policy = Some(Policy::parse(&String::from_utf8_lossy(&body)));
    Ok(())
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(c) = src {
        s.push_str(": ");
        s.push_str(&c.to_string());
        src = c.source();
    }
    s
}

/// Judges one probed MX against the fetched policy (PROBE-027) and records it in the report:
/// `pass`, `fail`, `not-covered` (the policy does not list this MX) or `no-policy`. Under
/// `enforce` a failure is an error (the verdict becomes fail); under `testing` a warning.
pub fn apply(fetch: &PolicyFetch, r: &mut ProbeReport) {
    let Some(policy) = fetch.policy.as_ref().filter(|_| fetch.usable()) else {
        r.mta_sts = Some("no-policy".into());
        if fetch.error.is_some() || fetch.problems.iter().any(|p| p.severity == Severity::Error) {
            r.problems.push(Problem {
                rule: "PROBE-027",
                severity: Severity::Warning,
                message: "the MTA-STS policy could not be fetched as a sender would (STS-007/008)"
                    .into(),
            });
        }
        return;
    };
    let mode = policy.mode.as_deref().unwrap_or("");
    if mode == "none" || !matches!(mode, "enforce" | "testing") {
        r.mta_sts = Some("no-policy".into());
        return;
    }
    if !policy.covers(&r.host) {
        r.mta_sts = Some("not-covered".into());
        r.problems.push(Problem {
            rule: "PROBE-027",
            severity: if mode == "enforce" {
                Severity::Error
            } else {
                Severity::Warning
            },
            message: format!("{} is not listed in the policy's mx lines", r.host),
        });
    } else {
        let tls_ok = r.tls.as_ref().is_some_and(|t| t.version.is_some());
        let pkix_ok = r
            .certificate
            .as_ref()
            .is_some_and(|c| c.pkix == Pkix::Valid);
        if tls_ok && pkix_ok {
            r.mta_sts = Some("pass".into());
            return;
        }
        r.mta_sts = Some("fail".into());
        r.problems.push(Problem {
            rule: "PROBE-027",
            severity: if mode == "enforce" {
                Severity::Error
            } else {
                Severity::Warning
            },
            message: format!(
                "policy mode {mode}: {}",
                if tls_ok {
                    "certificate not PKIX-valid for the MX name"
                } else {
                    "no TLS session"
                }
            ),
        });
    }
    if r.problems.iter().any(|p| p.severity == Severity::Error) {
        r.verdict = Verdict::Fail;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_matches() {
        let p = Policy::parse(
            "version: STSv1\r\nmode: enforce\nmx: mx1.example\nmx: *.b.example\nmax_age: 604800\nmode: none\n",
        );
        assert_eq!(p.version.as_deref(), Some("STSv1"));
        assert_eq!(p.mode.as_deref(), Some("enforce"));
        assert_eq!(p.max_age, Some(604800));
        assert!(p.covers("MX1.example."));
        assert!(p.covers("x.b.example"));
        assert!(!p.covers("b.example"));
        assert!(!p.covers("a.x.b.example"));
    }
}
