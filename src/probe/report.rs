//! The report of one probe (interfaces.md §3 `probes` entry) and how its verdict is judged from the
//! facts: facts first, verdicts second, so a reader can re-judge.

use super::dane::{DaneResult, DaneVerdict};
use super::tls::{CertInfo, Pkix};
use crate::model::{Role, Severity};
use serde::Serialize;
use std::net::IpAddr;

/// How the TCP connect ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Connect {
    /// Connected.
    Ok,
    /// Connection refused (RST).
    Refused,
    /// No answer within the connect timeout.
    Timeout,
    /// No route / network unreachable / other error.
    Unreachable,
    /// The run was cancelled before or during the connect.
    Cancelled,
}

/// pass / fail / inconclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Every check a role requires passed (warnings allowed).
    Pass,
    /// The relay could not be judged (421, timeouts, temporary failures, cancelled).
    Inconclusive,
    /// At least one error-severity problem.
    Fail,
}

/// One judged problem, tied to a rule of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Rule id (`PROBE-005`).
    pub rule: &'static str,
    /// Severity for this role.
    pub severity: Severity,
    /// What was observed.
    pub message: String,
}

/// The STARTTLS command-injection test result (PROBE-009).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum InjectionOutcome {
    /// The injected command was not answered inside TLS.
    Resisted,
    /// The server answered the injected command inside TLS.
    Vulnerable,
    /// The test connection could not get as far as the handshake.
    Inconclusive,
}

/// TLS facts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TlsFacts {
    /// `TLSv1.3` / `TLSv1.2`.
    pub version: Option<String>,
    /// IANA-style suite name.
    pub cipher: Option<String>,
    /// Why the handshake failed.
    pub handshake_error: Option<String>,
    /// The server offered STARTTLS but only speaks TLS below 1.2 (PROBE-017).
    pub old_tls_only: bool,
    /// On an implicit-TLS port the server answered in clear (a `220` greeting instead of a
    /// ServerHello): PROBE-016.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cleartext_on_implicit: bool,
    /// Bytes the server sent after `220 Ready to start TLS` and before the handshake (a finding).
    pub pipelined_after_220: usize,
}

/// The certificate chain and its PKIX verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertificateFacts {
    /// Leaf subject.
    pub subject: String,
    /// Leaf SANs.
    pub sans: Vec<String>,
    /// Leaf issuer.
    pub issuer: String,
    /// Leaf notBefore.
    pub not_before: String,
    /// Leaf notAfter.
    pub not_after: String,
    /// Leaf key (`RSA 2048`, `EC P-256`).
    pub key: String,
    /// PKIX verdict for the relay name.
    pub pkix: Pkix,
    /// rustls/webpki's error text when not valid.
    pub pkix_error: Option<String>,
    /// Untrusted and the last certificate sent is neither self-issued nor issued by a known root:
    /// intermediates are probably missing.
    pub intermediates_missing: bool,
    /// Every certificate as sent, leaf first.
    pub chain: Vec<CertInfo>,
}

/// Milliseconds per step (absent = step not reached).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Timings {
    /// TCP connect.
    pub connect: Option<u64>,
    /// Greeting.
    pub greeting: Option<u64>,
    /// EHLO in clear.
    pub ehlo: Option<u64>,
    /// Plaintext MAIL FROM.
    pub mail_from: Option<u64>,
    /// STARTTLS command.
    pub starttls: Option<u64>,
    /// TLS handshake.
    pub tls: Option<u64>,
    /// EHLO in TLS.
    pub ehlo_tls: Option<u64>,
    /// MAIL FROM in TLS.
    pub mail_from_tls: Option<u64>,
    /// Injection test connection.
    pub injection: Option<u64>,
    /// Pre-TLS `VRFY` of an SOR (PROBE-014).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vrfy: Option<u64>,
    /// Every vantage-point connection together (PROBE-012).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vantage: Option<u64>,
    /// All extra handshakes (SNI and key-type variants) together.
    #[serde(default)]
    pub variants: Option<u64>,
    /// All extra handshakes (PROBE-017/018) together.
    #[serde(default)]
    pub cipher_tests: Option<u64>,
    /// The whole attempt.
    pub total: u64,
}

/// Everything one probe of one address found.
#[derive(Debug, Clone, Serialize)]
pub struct ProbeReport {
    /// Relay name.
    pub host: String,
    /// Address probed.
    pub address: IpAddr,
    /// Port.
    pub port: u16,
    /// Expected role.
    pub role: Role,
    /// How the relay was found.
    pub via: Option<String>,
    /// Implicit TLS.
    pub implicit_tls: bool,
    /// TCP connect outcome.
    pub connect: Connect,
    /// Connect error text.
    pub connect_error: Option<String>,
    /// Greeting code.
    pub greeting: Option<u16>,
    /// First greeting line.
    pub banner: Option<String>,
    /// EHLO reply code in clear.
    pub ehlo: Option<u16>,
    /// Capabilities in clear (keywords, upper-case, EHLO line excluded).
    pub capabilities: Vec<String>,
    /// STARTTLS in the clear EHLO.
    pub starttls_offered: Option<bool>,
    /// Plaintext `MAIL FROM:<>` reply code.
    pub plaintext_mail_from: Option<u16>,
    /// Reply code to `VRFY postmaster` in clear (SOR only, PROBE-014; `RCPT` and `DATA` are never
    /// sent).
    #[serde(default)]
    pub pretls_vrfy: Option<u16>,
    /// Banner, EHLO, PTR and relay names (PROBE-004).
    #[serde(default)]
    pub names: super::names::Names,
    /// What other source addresses saw (PROBE-012).
    #[serde(default)]
    pub vantage: super::vantage::VantagePoints,
    /// Reply code to STARTTLS.
    pub starttls_reply: Option<u16>,
    /// TLS facts (absent when TLS was never attempted).
    pub tls: Option<TlsFacts>,
    /// Certificate facts (absent when no certificate arrived).
    pub certificate: Option<CertificateFacts>,
    /// EHLO reply code inside TLS.
    pub ehlo_tls: Option<u16>,
    /// Capabilities inside TLS.
    pub capabilities_tls: Vec<String>,
    /// STARTTLS still offered inside TLS (PROBE-008).
    pub starttls_after_tls: Option<bool>,
    /// `MAIL FROM:<>` reply code inside TLS.
    pub tls_mail_from: Option<u16>,
    /// PROBE-009.
    pub injection: Option<InjectionOutcome>,
    /// The extra handshakes (SNI and key-type variants, PROBE-024 / TLSA-015), one per variant.
    #[serde(default)]
    pub variants: Vec<super::variants::VariantFacts>,
    /// The extra handshakes (weak cipher classes, TLS 1.0/1.1): PROBE-017/018.
    #[serde(default)]
    pub cipher_tests: Vec<super::ciphers::CipherTest>,
    /// DANE verdict.
    pub dane: DaneVerdict,
    /// DANE details.
    pub dane_detail: Option<DaneResult>,
    /// MTA-STS judgement (`null` until the policy fetch exists).
    pub mta_sts: Option<String>,
    /// The dialogue stopped early, with this reason.
    pub error: Option<String>,
    /// The step where it stopped.
    pub error_step: Option<super::Step>,
    /// Judged problems.
    pub problems: Vec<Problem>,
    /// pass / fail / inconclusive.
    pub verdict: Verdict,
    /// Attempts made (1 + retries).
    pub attempts: u32,
    /// `C:` / `S:` lines (`[inj] ` prefix for the injection connection).
    pub transcript: Vec<String>,
    /// Per-step milliseconds.
    pub timings_ms: Timings,
}

impl ProbeReport {
    /// An empty report for a target.
    pub fn new(t: &super::ProbeTarget) -> Self {
        ProbeReport {
            host: t.host.clone(),
            address: t.address,
            port: t.port,
            role: t.role,
            via: t.via.clone(),
            implicit_tls: t.implicit_tls,
            connect: Connect::Unreachable,
            connect_error: None,
            greeting: None,
            banner: None,
            ehlo: None,
            capabilities: vec![],
            starttls_offered: None,
            plaintext_mail_from: None,
            pretls_vrfy: None,
            names: super::names::Names::default(),
            vantage: super::vantage::VantagePoints::default(),
            starttls_reply: None,
            tls: None,
            certificate: None,
            ehlo_tls: None,
            capabilities_tls: vec![],
            starttls_after_tls: None,
            tls_mail_from: None,
            injection: None,
            variants: vec![],
            cipher_tests: vec![],
            dane: DaneVerdict::NotApplicable,
            dane_detail: None,
            mta_sts: None,
            error: None,
            error_step: None,
            problems: vec![],
            verdict: Verdict::Inconclusive,
            attempts: 1,
            transcript: vec![],
            timings_ms: Timings::default(),
        }
    }

    /// True when the attempt should be retried: nothing wrong was proven, something was temporary.
    pub fn transient(&self) -> bool {
        self.verdict == Verdict::Inconclusive && self.connect != Connect::Cancelled
    }

    /// Judges the facts: fills `problems` and `verdict`. `transient` marks a dialogue that stopped on
    /// a timeout or a temporary (4xx) reply.
    pub fn judge(&mut self, transient: bool, now_unix: i64) {
        let mut p: Vec<Problem> = Vec::new();
        let sor = self.role == Role::Sor;
        let cert_sev = if sor {
            Severity::Error
        } else {
            Severity::Warning
        };
        let mut add = |rule, severity, message: String| {
            p.push(Problem {
                rule,
                severity,
                message,
            })
        };
        let mut inconclusive = transient;
        match self.connect {
            Connect::Ok => {}
            Connect::Refused | Connect::Unreachable => add(
                "PROBE-001",
                Severity::Error,
                format!(
                    "no TCP connection: {}",
                    self.connect_error.as_deref().unwrap_or("refused")
                ),
            ),
            Connect::Timeout | Connect::Cancelled => inconclusive = true,
        }
        match self.greeting {
            Some(220) | None => {}
            Some(421) => inconclusive = true,
            Some(c) => add(
                "PROBE-002",
                Severity::Error,
                format!("greeting {c}: the relay refuses service"),
            ),
        }
        if self.connect == Connect::Ok && self.greeting.is_none() && !transient {
            let why = self.error.clone().unwrap_or_else(|| "no greeting".into());
            add(
                "PROBE-002",
                Severity::Error,
                format!("no 220 greeting: {why}"),
            );
        }
        if let Some(c) = self.ehlo.or(if self.implicit_tls {
            self.ehlo_tls
        } else {
            None
        }) && c != 250
        {
            add(
                "PROBE-003",
                Severity::Error,
                format!("EHLO answered with {c}"),
            );
        }
        if !self.implicit_tls && self.starttls_offered == Some(false) {
            add(
                "PROBE-005",
                Severity::Error,
                "STARTTLS not offered in the cleartext EHLO reply".into(),
            );
        }
        if let Some(c) = self.plaintext_mail_from {
            match (sor, c) {
                (false, 200..=299) | (true, 530) => {}
                (false, 530) => add(
                    "PROBE-010",
                    Severity::Error,
                    "MAIL FROM refused with 530 before TLS: this MX host behaves as an SOR".into(),
                ),
                (false, 400..=499) => inconclusive = true,
                (false, _) => add(
                    "PROBE-010",
                    Severity::Error,
                    format!("MAIL FROM without TLS refused with {c}"),
                ),
                (true, 200..=299) => add(
                    "PROBE-013",
                    Severity::Error,
                    format!("MAIL FROM accepted ({c}) before TLS: not secure-only"),
                ),
                (true, _) => add(
                    "PROBE-013",
                    Severity::Warning,
                    format!("MAIL FROM before TLS refused with {c} instead of 530"),
                ),
            }
        }
        match self.starttls_reply {
            None | Some(220) => {}
            Some(454) => {
                inconclusive = true;
                add(
                    "PROBE-006",
                    Severity::Warning,
                    "STARTTLS answered 454 (temporary)".into(),
                )
            }
            Some(c) => add(
                "PROBE-006",
                Severity::Error,
                format!("STARTTLS answered with {c}"),
            ),
        }
        if let Some(t) = &self.tls {
            if t.cleartext_on_implicit {
                add(
                    "PROBE-016",
                    Severity::Error,
                    "the port is published for implicit TLS, but the server answered in clear instead of starting TLS".into(),
                );
            } else if t.old_tls_only {
                add(
                    "PROBE-017",
                    Severity::Error,
                    "STARTTLS offered, no TLS 1.2+ handshake".into(),
                );
            } else if let Some(e) = &t.handshake_error {
                add(
                    "PROBE-007",
                    Severity::Error,
                    format!("TLS handshake failed: {e}"),
                );
            }
            if t.pipelined_after_220 > 0 {
                add(
                    "PROBE-006",
                    Severity::Error,
                    format!(
                        "{} bytes sent in clear after the 220 reply to STARTTLS",
                        t.pipelined_after_220
                    ),
                );
            }
            if t.version.as_deref() == Some("TLSv1.2") {
                add("PROBE-017", Severity::Info, "no TLS 1.3".into());
            }
        }
        if self.starttls_after_tls == Some(true) {
            add(
                "PROBE-008",
                Severity::Error,
                "STARTTLS still offered after TLS".into(),
            );
        }
        if let Some(c) = self.tls_mail_from {
            let rule = if sor { "PROBE-015" } else { "PROBE-011" };
            match c {
                200..=299 => {}
                400..=499 => inconclusive = true,
                _ => add(
                    rule,
                    Severity::Error,
                    format!("MAIL FROM inside TLS refused with {c}"),
                ),
            }
        }
        if self.injection == Some(InjectionOutcome::Vulnerable) {
            add(
                "PROBE-009",
                Severity::Error,
                "a command pipelined behind STARTTLS was executed inside TLS".into(),
            );
        }
        super::ciphers::judge(&self.cipher_tests, self.role, &mut add);
        let dane_ee = self.dane == DaneVerdict::Valid
            && self
                .dane_detail
                .as_ref()
                .and_then(|d| d.matched.as_deref())
                .is_some_and(|m| m.starts_with('3'));
        if let Some(c) = &self.certificate {
            let sev = if self.dane == DaneVerdict::Valid {
                Severity::Info
            } else {
                cert_sev
            };
            let msg = |what: &str| {
                format!(
                    "{what}{}",
                    c.pkix_error
                        .as_deref()
                        .map(|e| format!(" ({e})"))
                        .unwrap_or_default()
                )
            };
            match c.pkix {
                Pkix::Valid => {}
                Pkix::NameMismatch => add(
                    "PROBE-019",
                    if self.dane == DaneVerdict::Valid && !dane_ee {
                        Severity::Error
                    } else {
                        sev
                    },
                    msg(&format!("certificate does not name {}", self.host)),
                ),
                Pkix::Expired | Pkix::NotYetValid => add(
                    "PROBE-020",
                    if dane_ee {
                        Severity::Info
                    } else {
                        Severity::Error
                    },
                    msg("certificate outside its validity period"),
                ),
                Pkix::Untrusted | Pkix::SelfSigned => add(
                    "PROBE-021",
                    sev,
                    msg(if c.intermediates_missing {
                        "chain does not reach a trusted root (intermediates missing?)"
                    } else {
                        "chain does not reach a trusted root"
                    }),
                ),
                _ => add("PROBE-021", sev, msg("certificate rejected")),
            }
            for (i, ci) in c.chain.iter().enumerate() {
                let weak_key = (ci.key.starts_with("RSA") && ci.key_bits < 2048)
                    || (ci.key.starts_with("EC") && ci.key_bits < 256);
                if weak_key {
                    add(
                        "PROBE-022",
                        Severity::Warning,
                        format!("cert #{i}: weak key {}", ci.key),
                    );
                }
                let sig = ci.signature_algorithm.to_ascii_lowercase();
                if !ci.self_issued && (sig.contains("sha1") || sig.contains("md5")) {
                    add(
                        "PROBE-022",
                        Severity::Warning,
                        format!("cert #{i}: signature {}", ci.signature_algorithm),
                    );
                }
            }
            if let Some(leaf) = c.chain.first() {
                let left = leaf.not_after_unix - now_unix;
                if left > 0 && left < 21 * 86_400 {
                    add(
                        "PROBE-023",
                        Severity::Warning,
                        format!("certificate expires in {} days", left / 86_400),
                    );
                }
            }
        }
        if self.dane == DaneVerdict::Fail {
            let d = self
                .dane_detail
                .as_ref()
                .map(|d| d.detail.clone())
                .unwrap_or_default();
            add("PROBE-025", Severity::Error, format!("DANE: {d}"));
        }
        for (rule, severity, message) in super::variants::judge(self) {
            add(rule, severity, message);
        }
        let before = self.capabilities.iter().any(|c| c == "REQUIRETLS");
        let after = self.capabilities_tls.iter().any(|c| c == "REQUIRETLS");
        if before || after {
            add(
                "PROBE-029",
                Severity::Info,
                format!("REQUIRETLS advertised before TLS: {before}, after TLS: {after}"),
            );
        }
        if let (Some(e), Some(step), false) = (&self.error, self.error_step, transient) {
            use super::Step;
            let rule = match step {
                Step::Ehlo => Some("PROBE-003"),
                Step::MailFrom if sor => Some("PROBE-013"),
                Step::MailFrom => Some("PROBE-010"),
                Step::Rset | Step::Starttls => Some("PROBE-006"),
                Step::EhloTls => Some("PROBE-008"),
                Step::MailFromTls if sor => Some("PROBE-015"),
                Step::MailFromTls => Some("PROBE-011"),
                Step::Greeting if self.implicit_tls && self.greeting.is_none() => None,
                _ => None,
            };
            if let Some(rule) = rule {
                add(
                    rule,
                    Severity::Error,
                    format!("dialogue stopped at {step:?}: {e}"),
                );
            }
        }
        p.extend(super::names::judge(self));
        p.extend(super::vantage::judge(self));
        let failed = p.iter().any(|x| x.severity == Severity::Error);
        self.verdict = if failed {
            Verdict::Fail
        } else if inconclusive {
            Verdict::Inconclusive
        } else {
            Verdict::Pass
        };
        self.problems = p;
    }
}

/// One relay (host and port) over all its addresses (PROBE-028).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RelaySummary {
    /// Relay name.
    pub host: String,
    /// Port.
    pub port: u16,
    /// The worst verdict of its addresses (fail > inconclusive > pass), or fail when they differ.
    pub verdict: Verdict,
    /// Addresses probed.
    pub addresses: Vec<IpAddr>,
    /// How the addresses differ (empty when they behave the same).
    pub differences: Vec<Problem>,
}

/// Summarises reports per relay (host, port), in first-seen order, flagging addresses that behave
/// differently: STARTTLS offered, certificate served, TLS version, DANE verdict (PROBE-028).
pub fn summarize(reports: &[ProbeReport]) -> Vec<RelaySummary> {
    let mut keys: Vec<(String, u16)> = Vec::new();
    for r in reports {
        let k = (r.host.clone(), r.port);
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    keys.into_iter()
        .map(|(host, port)| {
            let group: Vec<&ProbeReport> = reports
                .iter()
                .filter(|r| r.host == host && r.port == port)
                .collect();
            let mut differences = Vec::new();
            // Only addresses that got far enough to be compared.
            let judged: Vec<&&ProbeReport> = group
                .iter()
                .filter(|r| r.verdict != Verdict::Inconclusive)
                .collect();
            let mut differ = |what: &str, values: Vec<String>| {
                let mut uniq = values.clone();
                uniq.sort();
                uniq.dedup();
                if uniq.len() > 1 {
                    let detail: Vec<String> = judged
                        .iter()
                        .zip(&values)
                        .map(|(r, v)| format!("{}: {v}", r.address))
                        .collect();
                    differences.push(Problem {
                        rule: "PROBE-028",
                        severity: Severity::Error,
                        message: format!("addresses differ in {what}: {}", detail.join("; ")),
                    });
                }
            };
            differ(
                "STARTTLS",
                judged
                    .iter()
                    .map(|r| format!("{:?}", r.starttls_offered))
                    .collect(),
            );
            differ(
                "certificate",
                judged
                    .iter()
                    .map(|r| {
                        r.certificate
                            .as_ref()
                            .and_then(|c| c.chain.first())
                            .map(|l| l.sha256.clone())
                            .unwrap_or_else(|| "none".into())
                    })
                    .collect(),
            );
            differ(
                "TLS version",
                judged
                    .iter()
                    .map(|r| {
                        r.tls
                            .as_ref()
                            .and_then(|t| t.version.clone())
                            .unwrap_or_else(|| "none".into())
                    })
                    .collect(),
            );
            differ(
                "DANE",
                judged.iter().map(|r| format!("{:?}", r.dane)).collect(),
            );
            let worst = group
                .iter()
                .map(|r| r.verdict)
                .max()
                .unwrap_or(Verdict::Inconclusive);
            RelaySummary {
                host,
                port,
                verdict: if differences.is_empty() {
                    worst
                } else {
                    Verdict::Fail
                },
                addresses: group.iter().map(|r| r.address).collect(),
                differences,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::ProbeTarget;

    fn rep(addr: &str, starttls: bool, verdict: Verdict) -> ProbeReport {
        let t = ProbeTarget::new("mx1.example", addr.parse().unwrap(), 25, Role::Ber);
        let mut r = ProbeReport::new(&t);
        r.starttls_offered = Some(starttls);
        r.verdict = verdict;
        r
    }

    #[test]
    fn probe_028_addresses_that_differ_are_flagged() {
        let same = summarize(&[
            rep("192.0.2.1", true, Verdict::Pass),
            rep("2001:db8::1", true, Verdict::Pass),
        ]);
        assert_eq!(same.len(), 1);
        assert_eq!(same[0].verdict, Verdict::Pass);
        assert!(same[0].differences.is_empty());
        let differ = summarize(&[
            rep("192.0.2.1", true, Verdict::Pass),
            rep("2001:db8::1", false, Verdict::Pass),
        ]);
        assert_eq!(differ[0].verdict, Verdict::Fail);
        assert_eq!(differ[0].differences[0].rule, "PROBE-028");
        assert!(differ[0].differences[0].message.contains("STARTTLS"));
        // an inconclusive address is not compared, but keeps the relay inconclusive
        let inc = summarize(&[
            rep("192.0.2.1", true, Verdict::Pass),
            rep("2001:db8::1", false, Verdict::Inconclusive),
        ]);
        assert_eq!(inc[0].verdict, Verdict::Inconclusive);
        assert!(inc[0].differences.is_empty());
    }
}
