//! Vantage points (PROBE-012): does the relay offer the same capabilities, STARTTLS above all, to
//! every client? Our vantage points are local source addresses ([`super::ProbeConfig::sources`],
//! `--source IP`): after the main probe, one extra connection per source of the target's address
//! family, bound to that source, says greeting → EHLO → QUIT and nothing else. STARTTLS offered to one
//! source and hidden from another is a warning (DANE and MTA-STS senders behind the second one are
//! locked out); other keyword differences are recorded as information.

use super::smtp::{Smtp, SmtpError, millis};
use super::{ProbeConfig, ProbeTarget};
pub use crate::model::probe_facts::vantage::{Vantage, VantagePoints};
use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};
use tokio::net::TcpSocket;

/// The sources of `cfg` that can reach `target` (same address family), each once.
pub fn sources_for(target: &ProbeTarget, cfg: &ProbeConfig) -> Vec<IpAddr> {
    let mut v: Vec<IpAddr> = cfg
        .sources
        .iter()
        .copied()
        .filter(|s| s.is_ipv4() == target.address.is_ipv4())
        .collect();
    v.dedup();
    v
}

/// One connection from `source` to the target: greeting → EHLO → QUIT. Returns what it saw and the
/// transcript (prefixed `[vantage] `). Never sends anything but EHLO and QUIT.
pub async fn look(
    target: &ProbeTarget,
    cfg: &ProbeConfig,
    source: IpAddr,
) -> (Vantage, Vec<String>) {
    let t0 = Instant::now();
    let mut v = Vantage {
        source,
        greeting: None,
        ehlo: None,
        capabilities: vec![],
        starttls_offered: None,
        error: None,
        ms: 0,
    };
    let mut lines = vec![format!("[vantage] connect from {source}")];
    let t = &cfg.timeouts;
    let addr = SocketAddr::new(target.address, target.port);
    let socket = match source {
        IpAddr::V4(_) => TcpSocket::new_v4(),
        IpAddr::V6(_) => TcpSocket::new_v6(),
    };
    let socket = match socket.and_then(|s| s.bind(SocketAddr::new(source, 0)).map(|()| s)) {
        Ok(s) => s,
        Err(e) => {
            v.error = Some(format!("cannot bind to {source}: {e}"));
            v.ms = millis(t0.elapsed());
            return (v, lines);
        }
    };
    let tcp = match tokio::time::timeout(t.connect, socket.connect(addr)).await {
        Ok(Ok(s)) => s,
        Ok(Err(e)) => {
            v.error = Some(format!("connect: {e}"));
            v.ms = millis(t0.elapsed());
            return (v, lines);
        }
        Err(_) => {
            v.error = Some(format!(
                "connect: no answer within {} ms",
                millis(t.connect)
            ));
            v.ms = millis(t0.elapsed());
            return (v, lines);
        }
    };
    let _ = tcp.set_nodelay(true);
    let mut smtp = Smtp::new(tcp, cfg.limits, vec![], "[vantage] ");
    let ehlo = format!("EHLO {}", cfg.ehlo_name);
    let res: Result<(), SmtpError> = async {
        let g = smtp.read_reply(t.greeting).await?;
        v.greeting = Some(g.code);
        if g.code != 220 {
            return Ok(());
        }
        smtp.send(&ehlo).await?;
        let e = smtp.read_reply(t.reply).await?;
        v.ehlo = Some(e.code);
        if e.code == 250 {
            v.capabilities = super::session::keywords(&e);
            v.starttls_offered = Some(v.capabilities.iter().any(|k| k == "STARTTLS"));
        }
        Ok(())
    }
    .await;
    if let Err(e) = res {
        v.error = Some(e.to_string());
    }
    if smtp.send("QUIT").await.is_ok() {
        let _ = smtp.read_reply(t.reply.min(Duration::from_secs(2))).await;
    }
    let (_, _, tr) = smtp.into_parts();
    lines.extend(tr);
    v.ms = millis(t0.elapsed());
    (v, lines)
}
