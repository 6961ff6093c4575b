//! Vantage points (PROBE-012): does the relay offer the same capabilities, STARTTLS above all, to
//! every client? Our vantage points are local source addresses ([`super::ProbeConfig::sources`],
//! `--source IP`): after the main probe, one extra connection per source of the target's address
//! family, bound to that source, says greeting → EHLO → QUIT and nothing else. STARTTLS offered to one
//! source and hidden from another is a warning (DANE and MTA-STS senders behind the second one are
//! locked out); other keyword differences are recorded as information.

use super::report::{ProbeReport, Problem};
use crate::model::Severity;
use super::smtp::{Smtp, SmtpError, millis};
use super::{ProbeConfig, ProbeTarget};
use serde::{Deserialize, Serialize};
use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};
use tokio::net::TcpSocket;

/// What one source address saw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vantage {
    /// The local address the connection was bound to.
    pub source: IpAddr,
    /// Greeting code.
    #[serde(default)]
    pub greeting: Option<u16>,
    /// EHLO reply code.
    #[serde(default)]
    pub ehlo: Option<u16>,
    /// EHLO keywords (upper case, the first line excluded).
    #[serde(default)]
    pub capabilities: Vec<String>,
    /// STARTTLS among them (`null` when no EHLO reply arrived).
    #[serde(default)]
    pub starttls_offered: Option<bool>,
    /// Why the dialogue stopped early (bind, connect, timeout, closed).
    #[serde(default)]
    pub error: Option<String>,
    /// Milliseconds the connection took, QUIT included.
    #[serde(default)]
    pub ms: u64,
}

impl Vantage {
    /// One line for the step event.
    pub fn summary(&self) -> String {
        match (&self.error, self.starttls_offered) {
            (Some(e), _) => format!("from {}: {e}", self.source),
            (None, Some(true)) => format!("from {}: STARTTLS offered", self.source),
            (None, Some(false)) => format!("from {}: STARTTLS NOT offered", self.source),
            (None, None) => format!(
                "from {}: greeting {}, EHLO {}",
                self.source,
                code(self.greeting),
                code(self.ehlo)
            ),
        }
    }
}

fn code(c: Option<u16>) -> String {
    c.map(|c| c.to_string()).unwrap_or_else(|| "-".into())
}

/// The vantage points of one probed address (the report's `vantage` object).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VantagePoints {
    /// The local address of the main probe connection (the default source).
    #[serde(default)]
    pub main_source: Option<IpAddr>,
    /// One entry per extra source (`--source`) of the target's address family.
    #[serde(default)]
    pub points: Vec<Vantage>,
}

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

/// PROBE-012 from the main connection's and every vantage point's EHLO reply.
pub fn judge(r: &ProbeReport) -> Vec<Problem> {
    let vp = &r.vantage;
    if vp.points.is_empty() {
        return vec![];
    }
    let mut out = Vec::new();
    let main_label = match vp.main_source {
        Some(a) => format!("{a} (main probe)"),
        None => "the main probe".to_string(),
    };
    let mut seen: Vec<(String, Option<bool>, &[String])> =
        vec![(main_label, r.starttls_offered, r.capabilities.as_slice())];
    for p in &vp.points {
        seen.push((
            p.source.to_string(),
            p.starttls_offered,
            p.capabilities.as_slice(),
        ));
        if let Some(e) = &p.error {
            out.push(Problem {
                rule: "PROBE-012",
                severity: Severity::Info,
                message: format!("no EHLO reply from vantage point {}: {e}", p.source),
            });
        }
    }
    let list = |want: bool| -> Vec<String> {
        seen.iter()
            .filter(|(_, s, _)| *s == Some(want))
            .map(|(l, _, _)| l.clone())
            .collect()
    };
    let (offered, hidden) = (list(true), list(false));
    if !offered.is_empty() && !hidden.is_empty() {
        out.push(Problem {
            rule: "PROBE-012",
            severity: Severity::Warning,
            message: format!(
                "STARTTLS offered to {} but not to {}",
                offered.join(", "),
                hidden.join(", ")
            ),
        });
    }
    // Other keyword differences, among the sources that got an EHLO reply.
    let answered: Vec<&(String, Option<bool>, &[String])> =
        seen.iter().filter(|(_, s, _)| s.is_some()).collect();
    let mut all: Vec<&String> = answered
        .iter()
        .flat_map(|(_, _, c)| c.iter())
        .filter(|k| k.as_str() != "STARTTLS")
        .collect();
    all.sort();
    all.dedup();
    let mut diffs = Vec::new();
    for (label, _, caps) in &answered {
        let missing: Vec<&str> = all
            .iter()
            .filter(|k| !caps.contains(k))
            .map(|k| k.as_str())
            .collect();
        if !missing.is_empty() {
            diffs.push(format!("{label} lacks {}", missing.join(" ")));
        }
    }
    if !diffs.is_empty() {
        out.push(Problem {
            rule: "PROBE-012",
            severity: Severity::Info,
            message: format!("EHLO keywords differ by source: {}", diffs.join("; ")),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Role;

    fn point(src: &str, caps: &[&str]) -> Vantage {
        let capabilities: Vec<String> = caps.iter().map(|s| s.to_string()).collect();
        Vantage {
            source: src.parse().unwrap(),
            greeting: Some(220),
            ehlo: Some(250),
            starttls_offered: Some(capabilities.iter().any(|c| c == "STARTTLS")),
            capabilities,
            error: None,
            ms: 1,
        }
    }

    fn report(caps: &[&str], points: Vec<Vantage>) -> ProbeReport {
        let t = ProbeTarget::new(
            "mx1.agency.example",
            "127.0.0.1".parse().unwrap(),
            25,
            Role::Ber,
        );
        let mut r = ProbeReport::new(&t);
        r.capabilities = caps.iter().map(|s| s.to_string()).collect();
        r.starttls_offered = Some(r.capabilities.iter().any(|c| c == "STARTTLS"));
        r.vantage.main_source = Some("127.0.0.1".parse().unwrap());
        r.vantage.points = points;
        r
    }

    #[test]
    fn probe_012_fail_starttls_hidden_from_one_vantage_point() {
        let r = report(
            &["PIPELINING", "STARTTLS"],
            vec![point("127.0.0.2", &["PIPELINING"])],
        );
        let p = judge(&r);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].rule, "PROBE-012");
        assert_eq!(p[0].severity, Severity::Warning);
        assert_eq!(
            p[0].message,
            "STARTTLS offered to 127.0.0.1 (main probe) but not to 127.0.0.2"
        );
    }

    #[test]
    fn probe_012_pass_identical_lists_from_every_vantage_point() {
        let r = report(
            &["PIPELINING", "STARTTLS"],
            vec![point("127.0.0.2", &["PIPELINING", "STARTTLS"])],
        );
        assert!(judge(&r).is_empty());
        // no vantage points: nothing to compare
        assert!(judge(&report(&["PIPELINING"], vec![])).is_empty());
    }

    #[test]
    fn probe_012_other_keyword_differences_and_errors_are_info() {
        let mut failed = point("127.0.0.3", &[]);
        failed.starttls_offered = None;
        failed.ehlo = None;
        failed.error = Some("connect: refused".into());
        let r = report(
            &["PIPELINING", "STARTTLS", "SIZE"],
            vec![point("127.0.0.2", &["PIPELINING", "STARTTLS"]), failed],
        );
        let p = judge(&r);
        assert!(p.iter().all(|x| x.severity == Severity::Info), "{p:?}");
        assert!(p.iter().any(|x| x.message.contains("127.0.0.2 lacks SIZE")));
        assert!(
            p.iter()
                .any(|x| x.message.contains("127.0.0.3: connect: refused"))
        );
    }
}
