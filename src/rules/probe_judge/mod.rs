//! The PROBE rules that judge one probe report (the catalogue's PROBE group): the probe gathers facts
//! ([`ProbeReport`]), these rules judge them. One pure function per rule, each with its fix text
//! beside it and its Fail/Pass examples as unit tests named after it; [`judge`] runs them all and
//! fills the report's `problems` and `verdict`.
//!
//! The probe cannot call the rules (layering: model ← rules, the probe only gathers facts), so
//! whoever runs probes hands [`judge`] to the probe as `ProbeConfig::judge`, and the session and
//! the runner call it where a report is finished. The registry's PROBE checks
//! (`live_probe::from_probes`) then turn each report's problems into findings.
//!
//! Problems keep the order they have always had in a report (connection first, then the cleartext
//! dialogue, TLS, the extra connections, the certificate, DANE, names, vantage points): each rule
//! places what it finds ([`Placed`]), and [`judge`] sorts by place, stably.

use crate::model::probe_facts::Step;
use crate::model::probe_facts::ciphers::{
    CipherClass, CipherOutcome, Weakness, version_name, weakness,
};
use crate::model::probe_facts::dane::DaneVerdict;
use crate::model::probe_facts::names::{Names, PtrLookup};
use crate::model::probe_facts::report::{Connect, InjectionOutcome, ProbeReport, Problem, Verdict};
use crate::model::probe_facts::tls::Pkix;
use crate::model::probe_facts::variants::{VariantOutcome, key_name};
use crate::model::{Role, Severity};
use std::net::IpAddr;

mod certificate;
mod dialogue;
mod tls;

pub use certificate::*;
pub use dialogue::*;
pub use tls::*;

/// What a rule may need beyond the report.
#[derive(Debug, Clone, Copy)]
pub struct JudgeCtx {
    /// "Now" in Unix seconds (certificate expiry, PROBE-023).
    pub now_unix: i64,
}

/// Where a problem goes in the report's list: (section, position within it).
type Place = (u16, u32);

/// A problem and its place in the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    /// Its place (see the `AT_*` constants).
    pub at: Place,
    /// The problem.
    pub problem: Problem,
}

// The sections of a report, in order.
const AT_CONNECT: u16 = 10;
const AT_GREETING: u16 = 20;
const AT_NO_GREETING: u16 = 21;
const AT_EHLO: u16 = 30;
const AT_STARTTLS_OFFERED: u16 = 40;
const AT_PLAIN_MAIL: u16 = 50;
const AT_STARTTLS_REPLY: u16 = 60;
const AT_HANDSHAKE: u16 = 70;
const AT_PIPELINED: u16 = 71;
const AT_TLS13: u16 = 72;
const AT_EHLO_TLS: u16 = 80;
const AT_TLS_MAIL: u16 = 90;
const AT_INJECTION: u16 = 100;
const AT_CIPHERS: u16 = 110;
const AT_CERT: u16 = 120;
const AT_CERT_KEYS: u16 = 121;
const AT_CERT_EXPIRY: u16 = 122;
const AT_DANE: u16 = 130;
const AT_SNI: u16 = 140;
const AT_KEYS: u16 = 141;
const AT_REQUIRETLS: u16 = 150;
const AT_STOPPED: u16 = 160;
const AT_NAMES: u16 = 170;
const AT_VRFY: u16 = 171;
const AT_VANTAGE: u16 = 180;

fn at(section: u16, rule: &'static str, severity: Severity, message: String) -> Placed {
    at_n(section, 0, rule, severity, message)
}

fn at_n(section: u16, n: u32, rule: &'static str, severity: Severity, message: String) -> Placed {
    Placed {
        at: (section, n),
        problem: Problem {
            rule,
            severity,
            message,
        },
    }
}

/// One rule that judges a single report.
pub struct ProbeRule {
    /// Rule id (`PROBE-013`).
    pub id: &'static str,
    /// The judgement.
    pub check: fn(&ProbeReport, &JudgeCtx) -> Vec<Placed>,
    /// What to do about it, in a line.
    pub fix: &'static str,
}

/// Every rule that judges a single report, in catalogue order.
pub const RULES: &[ProbeRule] = &[
    ProbeRule {
        id: "PROBE-001",
        check: probe_001,
        fix: "Make every published address accept TCP on the port (firewall, listener), or stop publishing the address.",
    },
    ProbeRule {
        id: "PROBE-002",
        check: probe_002,
        fix: "Let the relay greet with 220; a 554 greeting or a silent close refuses all mail.",
    },
    ProbeRule {
        id: "PROBE-003",
        check: probe_003,
        fix: "Enable ESMTP (EHLO); STARTTLS needs it.",
    },
    ProbeRule {
        id: "PROBE-004",
        check: probe_004,
        fix: "Informational: let the greeting and EHLO name the relay as DNS publishes it (Postfix myhostname) and publish a PTR for each address that names it too.",
    },
    ProbeRule {
        id: "PROBE-005",
        check: probe_005,
        fix: "Offer STARTTLS to every client (e.g. Postfix smtpd_tls_security_level = may with a certificate).",
    },
    ProbeRule {
        id: "PROBE-006",
        check: probe_006,
        fix: "Fix the server's TLS set-up so STARTTLS answers 220 (certificate and key readable).",
    },
    ProbeRule {
        id: "PROBE-007",
        check: probe_007,
        fix: "Enable TLS 1.2 and 1.3 with modern ciphers so the handshake completes.",
    },
    ProbeRule {
        id: "PROBE-008",
        check: probe_008,
        fix: "Reset the session after STARTTLS; the post-TLS EHLO must not offer STARTTLS again.",
    },
    ProbeRule {
        id: "PROBE-009",
        check: probe_009,
        fix: "Upgrade the MTA: it executes commands pipelined before STARTTLS inside TLS (CVE-2011-0411 class).",
    },
    ProbeRule {
        id: "PROBE-010",
        check: probe_010,
        fix: "A BER (listed in MX) must accept MAIL FROM without TLS; require TLS only on a Secure Only Receiver published by SRV.",
    },
    ProbeRule {
        id: "PROBE-011",
        check: probe_011,
        fix: "Accept MAIL FROM inside TLS: the secure path must be usable.",
    },
    ProbeRule {
        id: "PROBE-012",
        check: probe_012,
        fix: "Offer STARTTLS to every client; do not hide it by client address (Postfix: no starttls entry in smtpd_discard_ehlo_keyword_address_maps).",
    },
    ProbeRule {
        id: "PROBE-013",
        check: probe_013,
        fix: "Make the Secure Only Receiver refuse mail before STARTTLS with 530 5.7.0 (Postfix: smtpd_tls_security_level = encrypt).",
    },
    ProbeRule {
        id: "PROBE-014",
        check: probe_014,
        fix: "Refuse VRFY (and every command but EHLO, NOOP, RSET, STARTTLS, QUIT) before TLS with 530 5.7.0 (Postfix: smtpd_tls_security_level = encrypt, disable_vrfy_command = yes). The probe tests VRFY only: it never sends RCPT or DATA.",
    },
    ProbeRule {
        id: "PROBE-015",
        check: probe_015,
        fix: "Accept MAIL FROM inside TLS: the secure path must be usable.",
    },
    ProbeRule {
        id: "PROBE-016",
        check: probe_016,
        fix: "See the rule in the catalogue.",
    },
    ProbeRule {
        id: "PROBE-017",
        check: probe_017,
        fix: "Disable SSL 3, TLS 1.0 and 1.1; offer TLS 1.2 and 1.3.",
    },
    ProbeRule {
        id: "PROBE-018",
        check: probe_018,
        fix: "Offer only ECDHE/DHE suites with AES-GCM or ChaCha20-Poly1305 (Postfix: smtpd_tls_mandatory_ciphers = high, smtpd_tls_exclude_ciphers = eNULL, EXPORT, DES, RC4, 3DES, MD5, kRSA) and DH groups of 2048 bits or more. Anonymous (aNULL) suites for clients that offer nothing else are Postfix's deliberate opportunistic-TLS default and need no fix (postconf(5) smtpd_tls_exclude_ciphers); but never let the server choose one when the client also offers authenticated suites (Postfix: keep the default cipher lists, which rank aNULL last, or tls_preempt_cipherlist = no).",
    },
    ProbeRule {
        id: "PROBE-019",
        check: probe_019,
        fix: "Serve a certificate whose subject alternative names include the relay name DNS publishes.",
    },
    ProbeRule {
        id: "PROBE-020",
        check: probe_020,
        fix: "Renew the certificate.",
    },
    ProbeRule {
        id: "PROBE-021",
        check: probe_021,
        fix: "Serve a chain to a publicly trusted root with all intermediates, or publish a matching DANE TLSA record in a signed zone.",
    },
    ProbeRule {
        id: "PROBE-022",
        check: probe_022,
        fix: "Use RSA ≥ 2048 or ECDSA P-256 keys with SHA-256 signatures.",
    },
    ProbeRule {
        id: "PROBE-023",
        check: probe_023,
        fix: "Renew the certificate before it expires (and update TLSA if the key changes).",
    },
    ProbeRule {
        id: "PROBE-024",
        check: probe_024,
        fix: "Give the server a default certificate for clients that send no SNI or an unknown name (Postfix does; for SNI maps keep the default smtpd_tls_chain_files) instead of aborting the handshake.",
    },
    ProbeRule {
        id: "PROBE-025",
        check: probe_025,
        fix: "Publish TLSA records that match the served key, or serve the key the records pin.",
    },
    ProbeRule {
        id: "PROBE-029",
        check: probe_029,
        fix: "Advertise REQUIRETLS only inside TLS.",
    },
    ProbeRule {
        id: "TLSA-015",
        check: tlsa_015,
        fix: "Publish a TLSA record for every key the server offers (e.g. 3 1 1 of the RSA and of the ECDSA SPKI), or serve a single key.",
    },
];

/// The fix text of a rule judged here.
pub fn fix(id: &str) -> Option<&'static str> {
    RULES.iter().find(|r| r.id == id).map(|r| r.fix)
}

/// Judges the facts of one report: fills `problems` (in report order) and `verdict` — fail when
/// any problem is an error, else inconclusive when the dialogue met a temporary condition
/// (timeout, 421, 4xx, 454, cancelled), else pass. Matches `ProbeConfig::judge`.
pub fn judge(report: &mut ProbeReport, now_unix: i64) {
    let ctx = JudgeCtx { now_unix };
    let mut placed: Vec<Placed> = RULES
        .iter()
        .flat_map(|rule| (rule.check)(report, &ctx))
        .collect();
    placed.sort_by_key(|p| p.at);
    let problems: Vec<Problem> = placed.into_iter().map(|p| p.problem).collect();
    let failed = problems.iter().any(|p| p.severity == Severity::Error);
    report.verdict = if failed {
        Verdict::Fail
    } else if inconclusive(report) {
        Verdict::Inconclusive
    } else {
        Verdict::Pass
    };
    report.problems = problems;
}

/// The report cannot be judged a pass: the dialogue stopped on a temporary condition, or a reply
/// on the way was temporary (421 greeting, a BER's 4xx to MAIL FROM, 454 to STARTTLS, 4xx to
/// MAIL FROM inside TLS), or the connect timed out or was cancelled.
fn inconclusive(r: &ProbeReport) -> bool {
    r.temporary
        || matches!(r.connect, Connect::Timeout | Connect::Cancelled)
        || r.greeting == Some(421)
        || (r.role == Role::Ber && matches!(r.plaintext_mail_from, Some(400..=499)))
        || r.starttls_reply == Some(454)
        || matches!(r.tls_mail_from, Some(400..=499))
}

/// The rule a dialogue that stopped for good (not temporarily) at `error_step` breaks, with its
/// problem: "dialogue stopped at Ehlo: …".
fn stopped(r: &ProbeReport, rule: &'static str) -> Option<Placed> {
    let (Some(e), Some(step), false) = (&r.error, r.error_step, r.temporary) else {
        return None;
    };
    let sor = r.role == Role::Sor;
    let broken = match step {
        Step::Ehlo => "PROBE-003",
        Step::MailFrom if sor => "PROBE-013",
        Step::MailFrom => "PROBE-010",
        Step::Rset | Step::Starttls => "PROBE-006",
        Step::EhloTls => "PROBE-008",
        Step::MailFromTls if sor => "PROBE-015",
        Step::MailFromTls => "PROBE-011",
        _ => return None,
    };
    (broken == rule).then(|| {
        at(
            AT_STOPPED,
            rule,
            Severity::Error,
            format!("dialogue stopped at {step:?}: {e}"),
        )
    })
}

#[cfg(test)]
mod tests;
