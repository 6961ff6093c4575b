//! Live relay probes (issue #4): one probe = one relay host, one address, one port, one expected
//! role. The dialogue (never `RCPT`, never `DATA`):
//!
//! connect → greeting → EHLO → plaintext `MAIL FROM:<>` (role check) → RSET → STARTTLS → rustls
//! handshake → EHLO → `MAIL FROM:<>` in TLS → RSET → QUIT, plus the STARTTLS command-injection test
//! (PROBE-009) in a second connection; an SOR also gets `VRFY postmaster` in clear (PROBE-014), and
//! each `--source` address one more greeting → EHLO → QUIT connection (PROBE-012). Unless
//! `extra_handshakes` is off (`--quick`), short extra connections follow: SNI and key-type variants
//! ([`variants`], PROBE-024 / TLSA-015) and one per weak cipher class and old TLS version
//! ([`ciphers`], PROBE-017/018). Port 465 / implicit TLS starts the handshake right after
//! connect. Every step is an [`ProbeEvent`]; every failure is a field of the [`ProbeReport`];
//! [`runner`] runs many probes under a global cap with at most one connection per address.

pub mod ciphers;
pub mod dane;
mod error;
pub mod names;
pub use crate::model::probe_facts::report;
pub mod runner;
mod session;
pub use crate::model::probe_facts::simulate;
pub mod smtp;
pub mod sts;
pub mod tls;
pub mod vantage;
pub mod variants;

pub use error::ProbeError;
pub use report::{
    CertificateFacts, Connect, InjectionOutcome, ProbeReport, Problem, StsVerdict, Timings,
    TlsFacts, Verdict,
};
pub use runner::{Cancel, CancelHandle, ProbeSink, run_all};

pub use session::probe;

pub use crate::model::probe_facts::{Listed, ProbeFacts, ProbeTarget, Step, TlsaInput};
use rustls::RootCertStore;
use rustls::pki_types::UnixTime;
use serde::Serialize;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

/// Timeouts of a probe.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    /// TCP connect (default 10 s).
    pub connect: Duration,
    /// The greeting (default 300 s, RFC 5321 §4.5.3.2.1 allows 5 minutes).
    pub greeting: Duration,
    /// Every other reply (default 30 s).
    pub reply: Duration,
    /// The TLS handshake (default 30 s).
    pub handshake: Duration,
    /// Extra wait for an unsolicited reply after the injection test's handshake (default 0: the
    /// test then relies on the order of replies to its EHLO, which needs no waiting).
    pub injection_wait: Duration,
    /// The whole attempt (both connections), whatever the steps do (default 600 s).
    pub probe: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(10),
            greeting: Duration::from_secs(300),
            reply: Duration::from_secs(30),
            handshake: Duration::from_secs(30),
            injection_wait: Duration::ZERO,
            probe: Duration::from_secs(600),
        }
    }
}

/// How long an interactive check waits for a greeting when no step timeout is given. An MTA waits
/// up to 5 minutes (RFC 5321 §4.5.3.2.1); a person at a terminal or a window should not, and a
/// relay's greeting pause (Postfix postscreen: 6 s) is well inside it.
pub const INTERACTIVE_GREETING: Duration = Duration::from_secs(30);

/// A step timeout in whole seconds from the command line, range-checked (1 to 3600): a deadline
/// computed from it can never overflow.
pub fn checked_secs(secs: u64, what: &str) -> Result<Duration, ProbeError> {
    if (1..=3600).contains(&secs) {
        Ok(Duration::from_secs(secs))
    } else {
        Err(ProbeError::Timeout {
            what: what.to_string(),
            secs,
        })
    }
}

/// `start + fraction × budget`, never panicking: a budget too large to add (or a fraction that is
/// not a number) gives a deadline a year away rather than an overflow.
pub(crate) fn deadline<I>(start: I, budget: Duration, fraction: f64) -> I
where
    I: Copy + CheckedAdd,
{
    const FAR: Duration = Duration::from_secs(365 * 24 * 3600);
    let scaled = Duration::try_from_secs_f64(budget.as_secs_f64() * fraction)
        .unwrap_or(FAR)
        .min(FAR);
    start
        .checked_add_duration(scaled)
        .or_else(|| start.checked_add_duration(Duration::from_secs(3600)))
        .unwrap_or(start)
}

/// `checked_add` of std's and tokio's `Instant`.
pub(crate) trait CheckedAdd: Sized {
    /// `self + d`, or `None` on overflow.
    fn checked_add_duration(self, d: Duration) -> Option<Self>;
}

impl CheckedAdd for std::time::Instant {
    fn checked_add_duration(self, d: Duration) -> Option<Self> {
        self.checked_add(d)
    }
}

impl CheckedAdd for tokio::time::Instant {
    fn checked_add_duration(self, d: Duration) -> Option<Self> {
        self.checked_add(d)
    }
}

impl Timeouts {
    /// The timeouts of an interactive check (`secmx check`, `secmx probe`, the window). With
    /// `step`, every step (connect, greeting, each reply, handshake) gets at most `step` and the
    /// whole attempt at most 4 × `step`, so `--timeout 5` bounds a tarpitting relay to 20 s per
    /// attempt; with the one retry and the pause before it (at most `step`, see the callers'
    /// `backoff`), a relay address takes at most 9 × `step` in all. Without it: connect 10 s, greeting [`INTERACTIVE_GREETING`], replies and handshake
    /// 30 s, the attempt 180 s.
    pub fn interactive(step: Option<Duration>) -> Self {
        match step {
            Some(d) => Timeouts {
                probe: d.saturating_mul(4),
                ..Timeouts::all(d)
            },
            None => Timeouts {
                greeting: INTERACTIVE_GREETING,
                probe: Duration::from_secs(180),
                ..Timeouts::default()
            },
        }
    }

    /// Every timeout set to `d` (connect, greeting, reply, handshake); handy for `--timeout`.
    pub fn all(d: Duration) -> Self {
        Timeouts {
            connect: d,
            greeting: d,
            reply: d,
            handshake: d,
            ..Timeouts::default()
        }
    }
}

/// Settings shared by the probes of a run.
#[derive(Debug, Clone)]
pub struct ProbeConfig {
    /// The EHLO name the probe announces.
    pub ehlo_name: String,
    /// Timeouts.
    pub timeouts: Timeouts,
    /// Reply bounds.
    pub limits: smtp::Limits,
    /// Retries for an inconclusive attempt (421, timeouts, 4xx); default 1.
    pub retries: u32,
    /// Pause before a retry (doubles each time; default 5 s).
    pub backoff: Duration,
    /// Run the STARTTLS command-injection test (PROBE-009) in a second connection.
    pub injection_test: bool,
    /// Extra handshakes in their own connections after the main probe (SNI and key-type variants,
    /// PROBE-024 / TLSA-015; weak-cipher tests); default true, `--quick` turns them off.
    pub extra_handshakes: bool,
    /// Trust roots (webpki roots plus `--ca`).
    pub roots: Arc<RootCertStore>,
    /// The crypto provider (ring, chosen explicitly).
    pub provider: Arc<rustls::crypto::CryptoProvider>,
    /// Fixed "now" for certificate checks (tests); `None` = the clock.
    pub now: Option<UnixTime>,
    /// Extra local source addresses (vantage points, PROBE-012): after the main probe, one more
    /// greeting → EHLO → QUIT connection bound to each source of the target's address family.
    pub sources: Vec<IpAddr>,
    /// Judges a finished report (fills `problems` and `verdict`; the second argument is "now" in
    /// Unix seconds). The probe only gathers facts and may not call the rules, so whoever runs
    /// probes sets this to `Some(crate::rules::probe_judge::judge)`; `None` (the default) leaves
    /// reports unjudged (`verdict` inconclusive, no problems).
    pub judge: Option<fn(&mut ProbeReport, i64)>,
}

impl ProbeConfig {
    /// A configuration from command-line options: extra PEM roots (`--ca`), the EHLO name, and one
    /// timeout in seconds for every step.
    pub fn from_options(
        ca: Option<&std::path::Path>,
        ehlo: Option<&str>,
        timeout_secs: Option<u64>,
    ) -> Result<Self, ProbeError> {
        let extra = match ca {
            Some(p) => tls::read_pem(p)?,
            None => vec![],
        };
        let mut cfg = ProbeConfig::new(&extra)?;
        if let Some(e) = ehlo {
            cfg.ehlo_name = e.to_string();
        }
        if let Some(t) = timeout_secs {
            cfg.timeouts = Timeouts::all(Duration::from_secs(t.max(1)));
        }
        Ok(cfg)
    }

    /// Also trust the operating system's CA store (`--system-roots`), in the same root store as
    /// the webpki roots and `--ca`, so the verifier's error classification is unchanged. Returns
    /// how many system certificates were added (unparsable ones are skipped, as browsers do).
    pub fn add_system_roots(&mut self) -> Result<usize, ProbeError> {
        let certs = tls::system_roots()?;
        let mut store = (*self.roots).clone();
        let (added, _ignored) = store.add_parsable_certificates(certs);
        if added == 0 {
            return Err(ProbeError::NoUsableSystemCertificate);
        }
        self.roots = Arc::new(store);
        Ok(added)
    }

    /// Defaults with the webpki roots plus `extra_roots`.
    pub fn new(
        extra_roots: &[rustls::pki_types::CertificateDer<'static>],
    ) -> Result<Self, ProbeError> {
        Ok(ProbeConfig {
            ehlo_name: "secmx-probe.invalid".to_string(),
            timeouts: Timeouts::default(),
            limits: smtp::Limits::default(),
            retries: 1,
            backoff: Duration::from_secs(5),
            injection_test: true,
            extra_handshakes: true,
            roots: Arc::new(tls::root_store(extra_roots)?),
            provider: Arc::new(rustls::crypto::ring::default_provider()),
            now: None,
            sources: vec![],
            judge: None,
        })
    }
}

/// A step of a relay probe.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ProbeEvent {
    /// A step ended (successfully or not).
    Step {
        /// Relay name.
        host: String,
        /// Address probed.
        address: IpAddr,
        /// Port probed.
        port: u16,
        /// Attempt number (1 = first).
        attempt: u32,
        /// Which step.
        step: Step,
        /// What happened (`220`, `timeout after 30000 ms`, `TLSv1.3 TLS13_AES_256_GCM_SHA384`, ...).
        outcome: String,
        /// True when the step went as a well-behaved relay's would.
        ok: bool,
        /// Milliseconds the step took.
        ms: u64,
    },
    /// The probe of one address finished.
    Finished {
        /// The full report.
        report: Box<ProbeReport>,
    },
}

#[cfg(test)]
mod deadline_tests {
    use super::*;

    /// Issue 13.5: `Instant + Duration` panics on overflow; the probe's deadlines never do.
    #[test]
    fn a_huge_budget_gives_a_far_deadline_not_a_panic() {
        let now = std::time::Instant::now();
        assert!(
            now.checked_add(Duration::MAX).is_none(),
            "would have panicked"
        );
        let d = deadline(now, Duration::MAX, 0.9);
        assert!(d > now + Duration::from_secs(3000));
        assert_eq!(
            deadline(now, Duration::from_secs(10), 0.5),
            now + Duration::from_secs(5)
        );
        assert!(deadline(now, Duration::from_secs(10), f64::NAN) >= now);
        let t = tokio::time::Instant::now();
        assert!(deadline(t, Duration::MAX, 1.0) > t);
    }
}
