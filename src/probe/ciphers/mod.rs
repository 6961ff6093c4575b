//! Extra handshakes for PROBE-017 (TLS 1.0/1.1 still accepted) and PROBE-018 (weak cipher suites).
//!
//! rustls cannot offer RC4, NULL, EXPORT, anonymous, 3DES or static-RSA suites, nor TLS 1.0/1.1, so
//! the main handshake only shows what rustls negotiates. Like testssl does for SMTP, each test here
//! is one connection of its own (one after the other, never two at once to an address):
//! connect → greeting → EHLO → STARTTLS → 220 → a hand-made ClientHello offering only one class of
//! suites (or one old protocol version) → the server's first answer (ServerHello, alert, close or
//! timeout) → close. For implicit-TLS targets the ClientHello goes right after connect. No key
//! exchange is ever completed; nothing after STARTTLS is sent in clear.
//!
//! The ClientHello is serialised with `tls-parser` (record, handshake header, SNI and
//! supported_groups extensions); the extensions the crate cannot serialise (ec_point_formats,
//! signature_algorithms) are built here. The answer is parsed with `tls-parser` (records,
//! ServerHello, alerts, ServerKeyExchange DH parameters), and suites are classified from its IANA
//! table.

use super::smtp::{Smtp, millis};
use super::{ProbeConfig, ProbeTarget};

pub use crate::model::probe_facts::ciphers::*;

use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tls_parser::{
    Err as NomErr, NamedGroup, SNIType, Serialize as _, TlsCipherAu, TlsCipherKx, TlsCipherSuite,
    TlsCipherSuiteID, TlsClientHelloContents, TlsCompressionID, TlsExtension, TlsMessage,
    TlsMessageHandshake, TlsPlaintext, TlsRecordHeader, TlsRecordType, TlsVersion,
    gen_tls_extension, parse_dh_params, parse_tls_message_handshake, parse_tls_raw_record,
    parse_tls_record_with_header,
};

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

mod answer;
mod hello;
#[cfg(test)]
mod tests;

pub use answer::*;
pub use hello::*;

fn sni_of(target: &ProbeTarget) -> Option<String> {
    let h = target.host.trim_end_matches('.');
    if h.parse::<std::net::IpAddr>().is_ok() {
        return None;
    }
    rustls::pki_types::DnsName::try_from(h)
        .ok()
        .map(|_| h.to_ascii_lowercase())
}

/// One extra handshake in its own connection; the transcript lines carry the class prefix.
pub async fn run_one(
    target: &ProbeTarget,
    cfg: &ProbeConfig,
    class: CipherClass,
) -> (CipherTest, Vec<String>) {
    let t0 = Instant::now();
    let mut lines = Vec::new();
    let outcome = dialogue(target, cfg, class, &mut lines).await;
    let test = CipherTest {
        class,
        offered_version: version_name(class.hello_version()),
        offered_suites: class.suites().len(),
        outcome,
        ms: millis(t0.elapsed()),
    };
    (test, lines)
}

/// The record of a test that did not run to its end within the probe's time budget.
pub fn out_of_budget(class: CipherClass, waited: std::time::Duration) -> CipherTest {
    CipherTest {
        class,
        offered_version: version_name(class.hello_version()),
        offered_suites: class.suites().len(),
        outcome: CipherOutcome::Inconclusive {
            reason: "not completed within the probe's time budget".into(),
        },
        ms: millis(waited),
    }
}

async fn dialogue(
    target: &ProbeTarget,
    cfg: &ProbeConfig,
    class: CipherClass,
    lines: &mut Vec<String>,
) -> CipherOutcome {
    let t = &cfg.timeouts;
    let prefix = class.prefix();
    let inconclusive = |reason: String| CipherOutcome::Inconclusive { reason };
    let addr = SocketAddr::new(target.address, target.port);
    let tcp = match tokio::time::timeout(t.connect, TcpStream::connect(addr)).await {
        Ok(Ok(s)) => s,
        Ok(Err(e)) => return inconclusive(format!("connect: {e}")),
        Err(_) => return inconclusive("connect timeout".into()),
    };
    let _ = tcp.set_nodelay(true);
    let mut tcp = if target.implicit_tls {
        tcp
    } else {
        let mut smtp = Smtp::new(tcp, cfg.limits, vec![], prefix);
        let ehlo = format!("EHLO {}", cfg.ehlo_name);
        let pre: Result<Option<u16>, super::smtp::SmtpError> = async {
            let g = smtp.read_reply(t.greeting).await?;
            if g.code != 220 {
                return Ok(Some(g.code));
            }
            smtp.send(&ehlo).await?;
            let e = smtp.read_reply(t.reply).await?;
            if e.code != 250 {
                return Ok(Some(e.code));
            }
            smtp.send("STARTTLS").await?;
            let s = smtp.read_reply(t.reply).await?;
            Ok((s.code != 220).then_some(s.code))
        }
        .await;
        let (tcp, leftover, tr) = smtp.into_parts();
        lines.extend(tr);
        match pre {
            Ok(None) if leftover.is_empty() => tcp,
            Ok(None) => return inconclusive("data after 220 to STARTTLS".into()),
            Ok(Some(code)) => return inconclusive(format!("SMTP reply {code}")),
            Err(e) => return inconclusive(e.to_string()),
        }
    };
    let mut random = [0u8; 32];
    if cfg.provider.secure_random.fill(&mut random).is_err() {
        return inconclusive("no random bytes".into());
    }
    let sni = sni_of(target);
    let Some(hello) = client_hello(class, sni.as_deref(), &random) else {
        return inconclusive("ClientHello could not be built".into());
    };
    lines.push(format!(
        "{prefix}C: <ClientHello {}, {} suites>",
        version_name(class.hello_version()),
        class.suites().len()
    ));
    if let Err(e) = tcp.write_all(&hello).await {
        return inconclusive(format!("write: {e}"));
    }
    let outcome = read_answer(&mut tcp, t.handshake).await;
    lines.push(format!(
        "{prefix}S: <{}>",
        match &outcome {
            CipherOutcome::Accepted {
                suite,
                version,
                dh_bits,
                ..
            } => format!(
                "ServerHello {version} {suite}{}",
                dh_bits
                    .map(|b| format!(", DH {b} bits"))
                    .unwrap_or_default()
            ),
            CipherOutcome::Refused { alert } => format!("alert {alert}"),
            CipherOutcome::Closed => "closed".into(),
            CipherOutcome::Inconclusive { reason } => reason.clone(),
        }
    ));
    // Dropping the socket closes it; no key exchange is ever completed.
    outcome
}
