//! The report of one probe (the `probes` entry of the JSON report): facts first, verdicts second, so a
//! reader can re-judge. The PROBE rules (`rules::probe_judge`) judge the facts into `problems` and
//! `verdict`; the probe itself only records.

use super::dane::{DaneResult, DaneVerdict};
use super::tls::{CertInfo, Pkix};
use crate::model::{Role, Severity};
use serde::{Deserialize, Serialize};
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Every check a role requires passed (warnings allowed).
    Pass,
    /// The relay could not be judged (421, timeouts, temporary failures, cancelled).
    Inconclusive,
    /// At least one error-severity problem.
    Fail,
}

impl Verdict {
    /// The word of the JSON report (`pass`, `inconclusive`, `fail`).
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Inconclusive => "inconclusive",
            Verdict::Fail => "fail",
        }
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The MTA-STS judgement of one probed MX against the fetched policy (PROBE-027).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StsVerdict {
    /// The policy lists the MX and TLS with a PKIX-valid certificate succeeded.
    Pass,
    /// The policy lists the MX but TLS or the certificate failed.
    Fail,
    /// The policy does not list this MX.
    NotCovered,
    /// No usable policy (not fetched as a sender would, invalid, or `mode: none`).
    NoPolicy,
}

impl StsVerdict {
    /// The word of the JSON report (`pass`, `fail`, `not-covered`, `no-policy`).
    pub fn as_str(self) -> &'static str {
        match self {
            StsVerdict::Pass => "pass",
            StsVerdict::Fail => "fail",
            StsVerdict::NotCovered => "not-covered",
            StsVerdict::NoPolicy => "no-policy",
        }
    }
}

impl std::fmt::Display for StsVerdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
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
    /// Who names the relay address: `design`, `published` or `both`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listed: Option<super::Listed>,
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
    pub mta_sts: Option<StsVerdict>,
    /// The dialogue stopped early, with this reason.
    pub error: Option<String>,
    /// The step where it stopped.
    pub error_step: Option<super::Step>,
    /// The dialogue stopped on a temporary condition (timeout, 421, 4xx, 454) or was cut short
    /// (whole-probe timeout, cancelled): nothing after that point was seen. Set by the session.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub temporary: bool,
    /// Judged problems (filled by the PROBE rules, `rules::probe_judge`, through
    /// `ProbeConfig::judge`; empty when no judge is set).
    pub problems: Vec<Problem>,
    /// pass / fail / inconclusive (judged with the problems; `inconclusive` until judged).
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
            listed: t.listed,
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
            temporary: false,
            problems: vec![],
            verdict: Verdict::Inconclusive,
            attempts: 1,
            transcript: vec![],
            timings_ms: Timings::default(),
        }
    }

    /// True when the attempt should be retried, decided from the facts alone (the probe runs with
    /// or without a judge): the dialogue stopped on a temporary condition (`temporary`: timeout,
    /// 421, 4xx, 454), the connect timed out, the greeting was 421, a BER's plaintext `MAIL FROM`
    /// got 4xx, `STARTTLS` got 454 or `MAIL FROM` inside TLS got 4xx — and the run was not
    /// cancelled.
    pub fn transient(&self) -> bool {
        self.connect != Connect::Cancelled
            && (self.temporary
                || self.connect == Connect::Timeout
                || self.greeting == Some(421)
                || (self.role == Role::Ber && matches!(self.plaintext_mail_from, Some(400..=499)))
                || self.starttls_reply == Some(454)
                || matches!(self.tls_mail_from, Some(400..=499)))
    }
}

#[cfg(test)]
mod tests {
    use super::super::dane::DaneVerdict;
    use super::*;

    /// The word a verdict shows (`Display`) is the word of the JSON report (serde), and a stored
    /// report's word reads back as the same verdict.
    fn same_word<T>(all: &[T])
    where
        T: std::fmt::Display
            + Serialize
            + serde::de::DeserializeOwned
            + PartialEq
            + std::fmt::Debug,
    {
        for v in all {
            let json = serde_json::to_value(v).unwrap();
            assert_eq!(json.as_str(), Some(v.to_string().as_str()), "{v:?}");
            assert_eq!(&serde_json::from_value::<T>(json).unwrap(), v);
        }
    }

    #[test]
    fn display_is_the_report_word() {
        same_word(&[Verdict::Pass, Verdict::Inconclusive, Verdict::Fail]);
        same_word(&[
            StsVerdict::Pass,
            StsVerdict::Fail,
            StsVerdict::NotCovered,
            StsVerdict::NoPolicy,
        ]);
        same_word(&[
            DaneVerdict::Valid,
            DaneVerdict::Fail,
            DaneVerdict::NoTlsa,
            DaneVerdict::NotApplicable,
        ]);
        assert_eq!(StsVerdict::NotCovered.to_string(), "not-covered");
        assert!(serde_json::from_str::<Verdict>("\"maybe\"").is_err());
    }
}
