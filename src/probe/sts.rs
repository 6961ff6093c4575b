//! MTA-STS policy fetch (RFC 8461 §3.3): facts only. The transport rules STS-007…010, the sender's
//! verdict on the policy and its application to each probed MX (PROBE-027) are rules, in
//! `rules::sts_fetch`; the policy text's own rules (STS-011…) are the static rules, run over the
//! fetched text by the live pipeline.
//!
//! The HTTPS client is reqwest on rustls with the probe's recording verifier: a bad certificate is
//! recorded (STS-007) and the policy is still read so the report can show it — a sender would stop.
//! The text is read by the one policy reader, [`PolicyText`].

use super::smtp::millis;
use super::tls::RecordingVerifier;
pub use crate::model::probe_facts::sts::{Policy, PolicyFetch};
use rustls::RootCertStore;
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

/// Fetches `https://mta-sts.<domain>/.well-known/mta-sts.txt`; never fails, every problem is data.
/// Only facts are recorded; `rules::sts_fetch::judge` judges them (STS-007…010, validity).
pub async fn fetch_policy(domain: &str, cfg: &StsConfig) -> PolicyFetch {
    let domain = domain.trim_end_matches('.').to_ascii_lowercase();
    let host = format!("mta-sts.{domain}");
    let url = match cfg.port {
        Some(p) => format!("https://{host}:{p}/.well-known/mta-sts.txt"),
        None => format!("https://{host}/.well-known/mta-sts.txt"),
    };
    let mut f = PolicyFetch::new(url.clone());
    f.max_body = cfg.max_body;
    let t0 = Instant::now();
    let res = fetch_inner(&host, &url, cfg, &mut f).await;
    f.elapsed_ms = millis(t0.elapsed());
    if let Err(e) = res {
        f.error = Some(e.to_string());
    }
    f
}

/// Why the policy fetch stopped before an answer (the text becomes the fetch's `error`).
#[derive(Debug, thiserror::Error)]
enum FetchError {
    /// The certificate verifier could not be built.
    #[error(transparent)]
    Probe(#[from] super::ProbeError),
    /// rustls refuses the configuration.
    #[error("{0}")]
    Tls(String),
    /// The HTTP client could not be built.
    #[error("HTTP client: {0}")]
    Client(String),
    /// The request or the body failed (the error with its causes).
    #[error("{0}")]
    Http(String),
}

async fn fetch_inner(
    host: &str,
    url: &str,
    cfg: &StsConfig,
    f: &mut PolicyFetch,
) -> Result<(), FetchError> {
    let verifier = Arc::new(RecordingVerifier::new(
        cfg.roots.clone(),
        cfg.provider.clone(),
    )?);
    let mut tls = rustls::ClientConfig::builder_with_provider(cfg.provider.clone())
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
        .map_err(|e| FetchError::Tls(e.to_string()))?
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
    let client = b.build().map_err(|e| FetchError::Client(e.to_string()))?;
    let res = client.get(url).send().await;
    let obs = verifier.observed();
    if let Some((p, e)) = obs.pkix {
        f.pkix = Some(p);
        f.pkix_error = e;
    }
    let mut resp = res.map_err(|e| FetchError::Http(error_chain(&e)))?;
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
    while let Some(chunk) = resp
        .chunk()
        .await
        .map_err(|e| FetchError::Http(error_chain(&e)))?
    {
        total = total.saturating_add(chunk.len());
        let room = (cfg.max_body + 1).saturating_sub(body.len());
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if total > cfg.max_body {
            f.bytes = total;
            return Ok(());
        }
    }
    f.bytes = body.len();
    let text = String::from_utf8_lossy(&body).into_owned();
    f.policy = Some(Policy::parse(&text));
    f.text = Some(text);
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
        // One matcher (RFC 8461 §4.1): `*.com` covers exactly one label below `com`.
        let p = Policy::parse("version: STSv1\nmode: enforce\nmx: *.com\nmax_age: 1\n");
        assert!(p.covers("example.com"));
        assert!(!p.covers("mx.example.com"));
    }
}
