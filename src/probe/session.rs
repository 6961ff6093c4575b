//! One probe of one address: the SMTP dialogue, the TLS handshake, the injection test, the retry.

use super::report::{CertificateFacts, Connect, InjectionOutcome, ProbeReport, TlsFacts};
use super::smtp::{QuickAck, Reply, Smtp, SmtpError, millis};
use super::tls::{RecordingVerifier, cert_info, self_issued};
use super::{ProbeConfig, ProbeError, ProbeEvent, ProbeTarget, Step, dane};
use rustls::pki_types::{ServerName, UnixTime};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;

/// Where a probe's events go.
pub type StepSink<'a> = &'a (dyn Fn(ProbeEvent) + Send + Sync);

/// Probes one target: one attempt, plus up to `cfg.retries` more with back-off when the attempt met
/// a temporary condition (421, timeouts, 4xx; [`ProbeReport::transient`], decided from the facts).
/// Each attempt's report is judged by `cfg.judge` when set. Never panics; every failure is in the
/// report.
pub async fn probe(target: &ProbeTarget, cfg: &ProbeConfig, sink: StepSink<'_>) -> ProbeReport {
    let mut attempt = 1;
    let mut wait = cfg.backoff;
    loop {
        let mut r = match tokio::time::timeout(
            cfg.timeouts.probe,
            attempt_once(target, cfg, sink, attempt),
        )
        .await
        {
            Ok(r) => r,
            Err(_) => {
                let mut r = ProbeReport::new(target);
                r.connect = Connect::Timeout;
                r.error = Some(format!(
                    "the whole probe exceeded {} ms",
                    millis(cfg.timeouts.probe)
                ));
                r.timings_ms.total = millis(cfg.timeouts.probe);
                super::names::record(target, &mut r);
                r.temporary = true;
                if let Some(judge) = cfg.judge {
                    judge(&mut r, 0);
                }
                r
            }
        };
        r.attempts = attempt;
        if r.transient() && attempt <= cfg.retries {
            Ctx {
                target,
                sink,
                attempt,
            }
            .emit(
                Step::Retry,
                format!("inconclusive; retrying in {} ms", millis(wait)),
                false,
                0,
            );
            tokio::time::sleep(wait).await;
            wait = wait.saturating_mul(2);
            attempt += 1;
            continue;
        }
        return r;
    }
}

pub(super) struct Ctx<'a> {
    pub(super) target: &'a ProbeTarget,
    sink: StepSink<'a>,
    attempt: u32,
}

impl Ctx<'_> {
    pub(super) fn emit(&self, step: Step, outcome: String, ok: bool, ms: u64) {
        (self.sink)(ProbeEvent::Step {
            host: self.target.host.clone(),
            address: self.target.address,
            port: self.target.port,
            attempt: self.attempt,
            step,
            outcome,
            ok,
            ms,
        });
    }
}

/// The dialogue stopped; `transient` = a timeout or temporary condition.
struct Stop {
    transient: bool,
}

pub(super) fn now_of(cfg: &ProbeConfig) -> UnixTime {
    cfg.now.unwrap_or_else(UnixTime::now)
}

async fn attempt_once(
    target: &ProbeTarget,
    cfg: &ProbeConfig,
    sink: StepSink<'_>,
    attempt: u32,
) -> ProbeReport {
    let start = Instant::now();
    let ctx = Ctx {
        target,
        sink,
        attempt,
    };
    let mut r = ProbeReport::new(target);
    let transient = match dialogue(&ctx, cfg, &mut r).await {
        Ok(()) => false,
        Err(s) => s.transient,
    };
    if cfg.injection_test
        && !target.implicit_tls
        && r.starttls_reply == Some(220)
        && r.tls.as_ref().is_some_and(|t| t.version.is_some())
    {
        let t0 = Instant::now();
        let (outcome, lines) = injection_test(target, cfg).await;
        let ms = millis(t0.elapsed());
        r.timings_ms.injection = Some(ms);
        r.transcript.extend(lines);
        ctx.emit(
            Step::Injection,
            format!("{outcome:?}"),
            outcome == InjectionOutcome::Resisted,
            ms,
        );
        r.injection = Some(outcome);
    }
    if r.connect == Connect::Ok && !target.implicit_tls {
        let sources = super::vantage::sources_for(target, cfg);
        let t0 = Instant::now();
        for source in &sources {
            let (v, lines) = super::vantage::look(target, cfg, *source).await;
            ctx.emit(Step::Vantage, v.summary(), v.error.is_none(), v.ms);
            r.transcript.extend(lines);
            r.vantage.points.push(v);
        }
        if !sources.is_empty() {
            r.timings_ms.vantage = Some(millis(t0.elapsed()));
        }
    }
    super::names::record(target, &mut r);
    if cfg.extra_handshakes && r.tls.as_ref().is_some_and(|t| t.version.is_some()) {
        super::variants::run(&ctx, cfg, &mut r, start).await;
        let t0 = Instant::now();
        // Like the variants: the cipher tests end within 9/10 of the attempt's budget, so a server
        // that stalls new connections cannot turn the whole report into "probe timed out".
        let deadline = super::deadline(start, cfg.timeouts.probe, 0.9);
        for class in super::ciphers::CLASSES {
            let left = deadline.saturating_duration_since(Instant::now());
            let (test, lines) =
                match tokio::time::timeout(left, super::ciphers::run_one(target, cfg, class)).await
                {
                    Ok(done) => done,
                    Err(_) => (super::ciphers::out_of_budget(class, left), vec![]),
                };
            r.transcript.extend(lines);
            let ok = !super::ciphers::is_finding(&test);
            ctx.emit(Step::Cipher, super::ciphers::describe(&test), ok, test.ms);
            r.cipher_tests.push(test);
        }
        r.timings_ms.cipher_tests = Some(millis(t0.elapsed()));
    }
    r.timings_ms.total = millis(start.elapsed());
    r.temporary = transient;
    if let Some(judge) = cfg.judge {
        let now = i64::try_from(now_of(cfg).as_secs()).unwrap_or(i64::MAX);
        judge(&mut r, now);
    }
    r
}

/// Sends `cmd` (when given), reads one reply, records timing, transcript and event. The reply is
/// ACKed at once (`TCP_QUICKACK`, see [`QuickAck`]): after a TLS 1.3 handshake a delayed ACK of the
/// server's session tickets would hold the reply back by 40 ms.
#[allow(clippy::too_many_arguments)]
async fn exchange<S>(
    ctx: &Ctx<'_>,
    smtp: &mut Smtp<S>,
    r: &mut ProbeReport,
    step: Step,
    cmd: Option<&str>,
    timeout: Duration,
    good: fn(u16) -> bool,
) -> Result<(Reply, u64), Stop>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + QuickAck + Unpin,
{
    let t0 = Instant::now();
    let sent = match cmd {
        Some(c) => smtp.send(c).await,
        None => Ok(()),
    };
    let res = match sent {
        Ok(()) => {
            smtp.quickack();
            smtp.read_reply(timeout).await
        }
        Err(e) => Err(e),
    };
    let ms = millis(t0.elapsed());
    r.transcript.append(&mut smtp.transcript);
    match res {
        Ok(reply) => {
            ctx.emit(step, reply.code.to_string(), good(reply.code), ms);
            Ok((reply, ms))
        }
        Err(e) => {
            ctx.emit(step, e.to_string(), false, ms);
            let transient = e.is_transient();
            r.error = Some(if step == Step::Greeting && e.is_timeout() {
                // Say how long we waited and how to wait like an MTA.
                format!(
                    "{e} (no greeting after {} s; an MTA waits up to 5 minutes, RFC 5321 §4.5.3.2.1: \
                     --probe-timeout 300 waits as long)",
                    timeout.as_secs()
                )
            } else {
                e.to_string()
            });
            r.error_step = Some(step);
            Err(Stop { transient })
        }
    }
}

fn is_2xx(c: u16) -> bool {
    (200..300).contains(&c)
}

fn is_220(c: u16) -> bool {
    c == 220
}

/// EHLO keywords (first word of each line after the first), upper-case.
pub(super) fn keywords(reply: &Reply) -> Vec<String> {
    reply
        .lines
        .iter()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_ascii_uppercase)
        .collect()
}

async fn dialogue(ctx: &Ctx<'_>, cfg: &ProbeConfig, r: &mut ProbeReport) -> Result<(), Stop> {
    let t = &cfg.timeouts;
    let target = ctx.target;
    let addr = SocketAddr::new(target.address, target.port);
    let t0 = Instant::now();
    let tcp = match tokio::time::timeout(t.connect, TcpStream::connect(addr)).await {
        Err(_) => {
            r.connect = Connect::Timeout;
            r.connect_error = Some(format!("no answer within {} ms", millis(t.connect)));
            ctx.emit(Step::Connect, "timeout".into(), false, millis(t0.elapsed()));
            return Err(Stop { transient: true });
        }
        Ok(Err(e)) => {
            r.connect = if e.kind() == std::io::ErrorKind::ConnectionRefused {
                Connect::Refused
            } else {
                Connect::Unreachable
            };
            r.connect_error = Some(e.to_string());
            ctx.emit(Step::Connect, e.to_string(), false, millis(t0.elapsed()));
            return Err(Stop { transient: false });
        }
        Ok(Ok(s)) => s,
    };
    let _ = tcp.set_nodelay(true);
    r.connect = Connect::Ok;
    r.vantage.main_source = tcp.local_addr().ok().map(|a| a.ip());
    let ms = millis(t0.elapsed());
    r.timings_ms.connect = Some(ms);
    ctx.emit(Step::Connect, "ok".into(), true, ms);

    if target.implicit_tls {
        let tls = handshake(ctx, cfg, r, tcp).await?;
        let mut smtp = Smtp::new(tls, cfg.limits, vec![], "");
        return secure_part(ctx, cfg, r, &mut smtp, true).await;
    }

    let mut smtp = Smtp::new(tcp, cfg.limits, vec![], "");
    let (g, ms) = exchange(ctx, &mut smtp, r, Step::Greeting, None, t.greeting, is_220).await?;
    r.timings_ms.greeting = Some(ms);
    r.greeting = Some(g.code);
    r.banner = Some(g.first_text().to_string());
    if g.code != 220 {
        let _ = quit(ctx, &mut smtp, r, t.reply).await;
        return Err(Stop {
            transient: g.code == 421,
        });
    }
    let ehlo = format!("EHLO {}", cfg.ehlo_name);
    let (e, ms) = exchange(ctx, &mut smtp, r, Step::Ehlo, Some(&ehlo), t.reply, is_2xx).await?;
    r.timings_ms.ehlo = Some(ms);
    r.ehlo = Some(e.code);
    if e.code != 250 {
        let _ = quit(ctx, &mut smtp, r, t.reply).await;
        return Err(Stop {
            transient: e.code == 421,
        });
    }
    r.capabilities = keywords(&e);
    r.names.ehlo = super::names::first_word(e.first_text());
    let offered = r.capabilities.iter().any(|k| k == "STARTTLS");
    r.starttls_offered = Some(offered);

    let role_ok: fn(u16) -> bool = match target.role {
        crate::model::Role::Ber => is_2xx,
        crate::model::Role::Sor => |c| c == 530,
    };
    let (m, ms) = exchange(
        ctx,
        &mut smtp,
        r,
        Step::MailFrom,
        Some("MAIL FROM:<>"),
        t.reply,
        role_ok,
    )
    .await?;
    r.timings_ms.mail_from = Some(ms);
    r.plaintext_mail_from = Some(m.code);
    if m.code == 421 {
        return Err(Stop { transient: true });
    }
    if target.role == crate::model::Role::Sor {
        // PROBE-014: an SOR refuses commands before TLS. `VRFY` stands for them all: `RCPT` and
        // `DATA` are never sent (they could start a delivery; the writer refuses them).
        let refused: fn(u16) -> bool = |c| c >= 400;
        let (v, ms) = exchange(
            ctx,
            &mut smtp,
            r,
            Step::Vrfy,
            Some("VRFY postmaster"),
            t.reply,
            refused,
        )
        .await?;
        r.timings_ms.vrfy = Some(ms);
        r.pretls_vrfy = Some(v.code);
        if v.code == 421 {
            return Err(Stop { transient: true });
        }
    }
    exchange(ctx, &mut smtp, r, Step::Rset, Some("RSET"), t.reply, is_2xx).await?;
    if !offered {
        let _ = quit(ctx, &mut smtp, r, t.reply).await;
        return Ok(());
    }
    let (s, ms) = exchange(
        ctx,
        &mut smtp,
        r,
        Step::Starttls,
        Some("STARTTLS"),
        t.reply,
        is_220,
    )
    .await?;
    r.timings_ms.starttls = Some(ms);
    r.starttls_reply = Some(s.code);
    if s.code != 220 {
        let _ = quit(ctx, &mut smtp, r, t.reply).await;
        return Err(Stop {
            transient: (400..500).contains(&s.code),
        });
    }
    let (tcp, leftover, _) = smtp.into_parts();
    if !leftover.is_empty() {
        // Bytes after "220 Ready to start TLS" would be read as the start of the TLS stream or,
        // worse, trusted as if they came through TLS: a finding, and no handshake on top of them.
        r.tls = Some(TlsFacts {
            pipelined_after_220: leftover.len(),
            handshake_error: Some("server sent data after 220 to STARTTLS".into()),
            ..TlsFacts::default()
        });
        r.transcript.push(format!(
            "S: <{} unexpected bytes after 220>",
            leftover.len()
        ));
        ctx.emit(
            Step::Tls,
            format!("{} bytes pipelined after 220", leftover.len()),
            false,
            0,
        );
        return Err(Stop { transient: false });
    }
    let tls = handshake(ctx, cfg, r, tcp).await?;
    let mut smtp = Smtp::new(tls, cfg.limits, vec![], "");
    secure_part(ctx, cfg, r, &mut smtp, false).await
}

/// Inside TLS: (greeting for implicit TLS) → EHLO → MAIL FROM → RSET → QUIT.
async fn secure_part(
    ctx: &Ctx<'_>,
    cfg: &ProbeConfig,
    r: &mut ProbeReport,
    smtp: &mut Smtp<TlsStream<TcpStream>>,
    implicit: bool,
) -> Result<(), Stop> {
    let t = &cfg.timeouts;
    if implicit {
        let (g, ms) = exchange(ctx, smtp, r, Step::Greeting, None, t.greeting, is_220).await?;
        r.timings_ms.greeting = Some(ms);
        r.greeting = Some(g.code);
        r.banner = Some(g.first_text().to_string());
        if g.code != 220 {
            let _ = quit(ctx, smtp, r, t.reply).await;
            return Err(Stop {
                transient: g.code == 421,
            });
        }
    }
    let ehlo = format!("EHLO {}", cfg.ehlo_name);
    let (e, ms) = exchange(ctx, smtp, r, Step::EhloTls, Some(&ehlo), t.reply, is_2xx).await?;
    r.timings_ms.ehlo_tls = Some(ms);
    r.ehlo_tls = Some(e.code);
    if e.code != 250 {
        let _ = quit(ctx, smtp, r, t.reply).await;
        return Err(Stop {
            transient: e.code == 421,
        });
    }
    r.capabilities_tls = keywords(&e);
    if implicit {
        r.names.ehlo = super::names::first_word(e.first_text());
    }
    r.starttls_after_tls = Some(r.capabilities_tls.iter().any(|k| k == "STARTTLS"));
    let (m, ms) = exchange(
        ctx,
        smtp,
        r,
        Step::MailFromTls,
        Some("MAIL FROM:<>"),
        t.reply,
        is_2xx,
    )
    .await?;
    r.timings_ms.mail_from_tls = Some(ms);
    r.tls_mail_from = Some(m.code);
    if m.code == 421 {
        return Err(Stop { transient: true });
    }
    exchange(ctx, smtp, r, Step::Rset, Some("RSET"), t.reply, is_2xx).await?;
    let _ = quit(ctx, smtp, r, t.reply).await;
    Ok(())
}

/// QUIT; its failure is not a finding (many servers just close).
async fn quit<S>(
    ctx: &Ctx<'_>,
    smtp: &mut Smtp<S>,
    r: &mut ProbeReport,
    timeout: Duration,
) -> Result<(), SmtpError>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    let t0 = Instant::now();
    let res = match smtp.send("QUIT").await {
        Ok(()) => smtp.read_reply(timeout).await.map(|_| ()),
        Err(e) => Err(e),
    };
    r.transcript.append(&mut smtp.transcript);
    ctx.emit(
        Step::Quit,
        match &res {
            Ok(()) => "ok".to_string(),
            Err(e) => e.to_string(),
        },
        true,
        millis(t0.elapsed()),
    );
    res
}

pub(super) fn server_name(target: &ProbeTarget) -> ServerName<'static> {
    ServerName::try_from(target.host.trim_end_matches('.').to_string())
        .unwrap_or_else(|_| ServerName::IpAddress(target.address.into()))
}

fn client_config(
    cfg: &ProbeConfig,
) -> Result<(Arc<rustls::ClientConfig>, Arc<RecordingVerifier>), ProbeError> {
    let verifier = Arc::new(RecordingVerifier::new(
        cfg.roots.clone(),
        cfg.provider.clone(),
    )?);
    let mut config = rustls::ClientConfig::builder_with_provider(cfg.provider.clone())
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
        .map_err(|e| ProbeError::TlsConfig(e.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(verifier.clone())
        .with_no_client_auth();
    config.resumption = rustls::client::Resumption::disabled();
    Ok((Arc::new(config), verifier))
}

/// The rustls handshake; records TLS facts, the chain, PKIX and DANE whatever the outcome.
async fn handshake(
    ctx: &Ctx<'_>,
    cfg: &ProbeConfig,
    r: &mut ProbeReport,
    tcp: TcpStream,
) -> Result<TlsStream<TcpStream>, Stop> {
    let target = ctx.target;
    let mut facts = TlsFacts::default();
    let (config, verifier) = match client_config(cfg) {
        Ok(c) => c,
        Err(e) => {
            let e = e.to_string();
            facts.handshake_error = Some(e.clone());
            r.tls = Some(facts);
            r.error = Some(e);
            r.error_step = Some(Step::Tls);
            return Err(Stop { transient: false });
        }
    };
    let connector = tokio_rustls::TlsConnector::from(config);
    let t0 = Instant::now();
    let res = tokio::time::timeout(
        cfg.timeouts.handshake,
        connector.connect(server_name(target), tcp),
    )
    .await;
    let ms = millis(t0.elapsed());
    r.timings_ms.tls = Some(ms);
    record_chain(cfg, target, r, &verifier);
    match res {
        Ok(Ok(tls)) => {
            let conn = tls.get_ref().1;
            facts.version = conn
                .protocol_version()
                .map(|v| format!("{v:?}").replace('_', "."));
            facts.cipher = conn
                .negotiated_cipher_suite()
                .map(|s| format!("{:?}", s.suite()));
            ctx.emit(
                Step::Tls,
                format!(
                    "{} {}",
                    facts.version.as_deref().unwrap_or("?"),
                    facts.cipher.as_deref().unwrap_or("?")
                ),
                true,
                ms,
            );
            r.tls = Some(facts);
            Ok(tls)
        }
        Ok(Err(e)) => {
            let (text, old) = describe_tls_error(&e);
            facts.old_tls_only = old;
            // A TLS record starts with a content type of 20–24; an SMTP greeting starts with the
            // ASCII digits of its code (48–57), which rustls reports as an invalid content type.
            facts.cleartext_on_implicit = target.implicit_tls && is_invalid_content_type(&e);
            facts.handshake_error = Some(if facts.cleartext_on_implicit {
                format!("cleartext answer on an implicit-TLS port ({text})")
            } else if old {
                format!("STARTTLS offered, no TLS 1.2+ handshake ({text})")
            } else {
                text
            });
            ctx.emit(
                Step::Tls,
                facts.handshake_error.clone().unwrap_or_default(),
                false,
                ms,
            );
            r.error = facts.handshake_error.clone();
            r.error_step = Some(Step::Tls);
            r.tls = Some(facts);
            Err(Stop { transient: false })
        }
        Err(_) => {
            let text = format!(
                "handshake timeout after {} ms",
                millis(cfg.timeouts.handshake)
            );
            facts.handshake_error = Some(text.clone());
            ctx.emit(Step::Tls, text.clone(), false, ms);
            r.error = Some(text);
            r.error_step = Some(Step::Tls);
            r.tls = Some(facts);
            Err(Stop { transient: true })
        }
    }
}

/// Text of a handshake error, and whether it means "server speaks only TLS < 1.2".
/// Whether the peer's first bytes were no TLS record at all (an invalid record content type).
fn is_invalid_content_type(e: &std::io::Error) -> bool {
    matches!(
        e.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>()),
        Some(rustls::Error::InvalidMessage(
            rustls::InvalidMessage::InvalidContentType
        ))
    )
}

pub(super) fn describe_tls_error(e: &std::io::Error) -> (String, bool) {
    let Some(inner) = e.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>()) else {
        return (format!("{e} ({:?})", e.kind()), false);
    };
    let old = match inner {
        rustls::Error::AlertReceived(rustls::AlertDescription::ProtocolVersion) => true,
        rustls::Error::PeerIncompatible(p) => format!("{p:?}").contains("Version"),
        _ => false,
    };
    (inner.to_string(), old)
}

fn record_chain(
    cfg: &ProbeConfig,
    target: &ProbeTarget,
    r: &mut ProbeReport,
    verifier: &RecordingVerifier,
) {
    let obs = verifier.observed();
    let Some(leaf) = obs.chain.first() else {
        return;
    };
    let chain: Vec<_> = obs
        .chain
        .iter()
        .filter_map(|c| cert_info(c.as_ref()).ok())
        .collect();
    let (pkix, pkix_error) = obs
        .pkix
        .clone()
        .unwrap_or((super::tls::Pkix::Invalid, Some("not verified".into())));
    let last = obs.chain.last().unwrap_or(leaf);
    let intermediates_missing = matches!(pkix, super::tls::Pkix::Untrusted)
        && !self_issued(last)
        && !verifier.issuer_is_root(last);
    if let Some(li) = chain.first() {
        r.certificate = Some(CertificateFacts {
            subject: li.subject.clone(),
            sans: li.sans.clone(),
            issuer: li.issuer.clone(),
            not_before: li.not_before.clone(),
            not_after: li.not_after.clone(),
            key: li.key.clone(),
            pkix,
            pkix_error,
            intermediates_missing,
            chain,
        });
    }
    if let Some(tlsa) = &target.tlsa {
        let d = dane::judge(
            &tlsa.records,
            tlsa.secure,
            &obs.chain,
            &r.host,
            now_of(cfg),
            &cfg.provider,
        );
        r.dane = d.verdict;
        r.dane_detail = Some(d);
    }
}

/// PROBE-009 in its own connection: `STARTTLS` and `RSET` in one write; after the handshake a
/// well-behaved server answers nothing until we speak.
async fn injection_test(
    target: &ProbeTarget,
    cfg: &ProbeConfig,
) -> (InjectionOutcome, Vec<String>) {
    let t = &cfg.timeouts;
    let mut lines = Vec::new();
    let addr = SocketAddr::new(target.address, target.port);
    let Ok(Ok(tcp)) = tokio::time::timeout(t.connect, TcpStream::connect(addr)).await else {
        return (InjectionOutcome::Inconclusive, lines);
    };
    let _ = tcp.set_nodelay(true);
    let mut smtp = Smtp::new(tcp, cfg.limits, vec![], "[inj] ");
    let ehlo = format!("EHLO {}", cfg.ehlo_name);
    let pre: Result<bool, SmtpError> = async {
        if smtp.read_reply(t.greeting).await?.code != 220 {
            return Ok(false);
        }
        smtp.send(&ehlo).await?;
        if smtp.read_reply(t.reply).await?.code != 250 {
            return Ok(false);
        }
        smtp.send_pipelined(&["STARTTLS", "RSET"]).await?;
        Ok(smtp.read_reply(t.reply).await?.code == 220)
    }
    .await;
    let (tcp, _leftover, tr) = smtp.into_parts();
    lines.extend(tr);
    if !matches!(pre, Ok(true)) {
        return (InjectionOutcome::Inconclusive, lines);
    }
    let Ok((config, _)) = client_config(cfg) else {
        return (InjectionOutcome::Inconclusive, lines);
    };
    let connector = tokio_rustls::TlsConnector::from(config);
    let Ok(Ok(tls)) =
        tokio::time::timeout(t.handshake, connector.connect(server_name(target), tcp)).await
    else {
        return (InjectionOutcome::Inconclusive, lines);
    };
    let mut smtp = Smtp::new(tls, cfg.limits, vec![], "[inj] ");
    // A vulnerable server answers the injected RSET as soon as TLS is up. Optionally wait for
    // that unsolicited reply; then send EHLO: its first reply must be the EHLO reply (multi-line,
    // server name first), with nothing after it. A one-line reply with an enhanced status code
    // (`250 2.0.0 Ok`) or a second reply is the injected command's answer.
    let mut outcome = None;
    if !t.injection_wait.is_zero() {
        smtp.quickack();
        match smtp.read_reply(t.injection_wait).await {
            Ok(_) => outcome = Some(InjectionOutcome::Vulnerable),
            Err(SmtpError::Timeout(_)) => {}
            Err(_) => outcome = Some(InjectionOutcome::Resisted),
        }
    }
    let outcome = match outcome {
        Some(o) => o,
        None => match smtp.send(&ehlo).await {
            Ok(()) => {
                // The session tickets come now too: ACK them at once (see `QuickAck`).
                smtp.quickack();
                match smtp.read_reply(t.reply).await {
                    Ok(rep)
                        if rep.lines.len() == 1
                            && rep.first_text().starts_with(|c: char| c.is_ascii_digit()) =>
                    {
                        InjectionOutcome::Vulnerable
                    }
                    Ok(_) if smtp.pending() > 0 => InjectionOutcome::Vulnerable,
                    Ok(_) => InjectionOutcome::Resisted,
                    Err(SmtpError::Timeout(_)) => InjectionOutcome::Inconclusive,
                    Err(_) => InjectionOutcome::Resisted,
                }
            }
            Err(_) => InjectionOutcome::Resisted,
        },
    };
    let _ = smtp.send("QUIT").await;
    let _ = smtp.read_reply(t.reply.min(Duration::from_secs(2))).await;
    let (_, _, tr) = smtp.into_parts();
    lines.extend(tr);
    (outcome, lines)
}
