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

use crate::model::{Role, Severity};
use crate::probe::Step;
use crate::probe::ciphers::{CipherClass, CipherOutcome, Weakness, version_name, weakness};
use crate::probe::dane::DaneVerdict;
use crate::probe::names::{Names, PtrLookup};
use crate::probe::report::{Connect, InjectionOutcome, ProbeReport, Problem, Verdict};
use crate::probe::tls::Pkix;
use crate::probe::variants::{VariantOutcome, key_name};
use std::net::IpAddr;

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

/// PROBE-001: every published address accepts a TCP connection.
pub fn probe_001(r: &ProbeReport, _: &JudgeCtx) -> Vec<Placed> {
    match r.connect {
        Connect::Refused | Connect::Unreachable => vec![at(
            AT_CONNECT,
            "PROBE-001",
            Severity::Error,
            format!(
                "no TCP connection: {}",
                r.connect_error.as_deref().unwrap_or("refused")
            ),
        )],
        Connect::Ok | Connect::Timeout | Connect::Cancelled => vec![],
    }
}

/// PROBE-002: the server greets with 220 (421 is temporary: inconclusive, not a problem).
pub fn probe_002(r: &ProbeReport, _: &JudgeCtx) -> Vec<Placed> {
    let mut out = Vec::new();
    if let Some(c) = r.greeting
        && c != 220
        && c != 421
    {
        out.push(at(
            AT_GREETING,
            "PROBE-002",
            Severity::Error,
            format!("greeting {c}: the relay refuses service"),
        ));
    }
    if r.connect == Connect::Ok && r.greeting.is_none() && !r.temporary {
        let why = r.error.clone().unwrap_or_else(|| "no greeting".into());
        out.push(at(
            AT_NO_GREETING,
            "PROBE-002",
            Severity::Error,
            format!("no 220 greeting: {why}"),
        ));
    }
    out
}

/// PROBE-003: EHLO is answered with 250 (inside TLS on an implicit-TLS port).
pub fn probe_003(r: &ProbeReport, _: &JudgeCtx) -> Vec<Placed> {
    let mut out = Vec::new();
    let ehlo = r.ehlo.or(if r.implicit_tls { r.ehlo_tls } else { None });
    if let Some(c) = ehlo
        && c != 250
    {
        out.push(at(
            AT_EHLO,
            "PROBE-003",
            Severity::Error,
            format!("EHLO answered with {c}"),
        ));
    }
    out.extend(stopped(r, "PROBE-003"));
    out
}

/// PROBE-004 (info): banner, EHLO name, PTR names and the relay name DNS publishes, compared.
pub fn probe_004(r: &ProbeReport, _: &JudgeCtx) -> Vec<Placed> {
    names_differ(&r.names, r.address)
        .into_iter()
        .map(|message| at(AT_NAMES, "PROBE-004", Severity::Info, message))
        .collect()
}

fn norm(n: &str) -> String {
    n.trim_end_matches('.').to_ascii_lowercase()
}

fn is_ip_literal(n: &str) -> bool {
    n.trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<IpAddr>()
        .is_ok()
}

/// The PROBE-004 messages for a set of names.
fn names_differ(n: &Names, address: IpAddr) -> Vec<String> {
    let mut out = Vec::new();
    let mut own: Vec<(&str, String)> = Vec::new();
    if let Some(b) = &n.banner {
        own.push(("banner", norm(b)));
    }
    if let Some(e) = &n.ehlo {
        own.push(("EHLO", norm(e)));
    }
    if !n.relay.is_empty() && !is_ip_literal(&n.relay) {
        own.push(("relay", norm(&n.relay)));
    }
    let ptr: Option<Vec<String>> = match &n.ptr {
        Some(PtrLookup::Names(v)) => Some(v.iter().map(|p| norm(p)).collect()),
        _ => None,
    };
    let mut distinct: Vec<&String> = own.iter().map(|(_, v)| v).collect();
    distinct.sort();
    distinct.dedup();
    let ptr_differs = match (&ptr, distinct.as_slice()) {
        (Some(p), [one]) => !p.contains(one),
        _ => false,
    };
    if distinct.len() > 1 || ptr_differs {
        let mut parts: Vec<String> = own.iter().map(|(k, v)| format!("{k} {v}")).collect();
        if let Some(p) = &ptr {
            parts.push(format!("PTR {}", p.join(" ")));
        }
        out.push(format!("host names differ: {}", parts.join(", ")));
    }
    if let Some(PtrLookup::Status(s)) = &n.ptr {
        out.push(if s == "nxdomain" || s == "nodata" {
            format!("no PTR for {address} ({s})")
        } else {
            format!("the PTR lookup for {address} failed ({s})")
        });
    }
    out
}

/// PROBE-005: STARTTLS appears in the cleartext EHLO reply.
pub fn probe_005(r: &ProbeReport, _: &JudgeCtx) -> Vec<Placed> {
    if !r.implicit_tls && r.starttls_offered == Some(false) {
        return vec![at(
            AT_STARTTLS_OFFERED,
            "PROBE-005",
            Severity::Error,
            "STARTTLS not offered in the cleartext EHLO reply".into(),
        )];
    }
    vec![]
}

/// PROBE-006: STARTTLS is answered with 220 (454 = warning, temporary) and nothing follows the 220
/// in clear.
pub fn probe_006(r: &ProbeReport, _: &JudgeCtx) -> Vec<Placed> {
    let mut out = Vec::new();
    match r.starttls_reply {
        None | Some(220) => {}
        Some(454) => out.push(at(
            AT_STARTTLS_REPLY,
            "PROBE-006",
            Severity::Warning,
            "STARTTLS answered 454 (temporary)".into(),
        )),
        Some(c) => out.push(at(
            AT_STARTTLS_REPLY,
            "PROBE-006",
            Severity::Error,
            format!("STARTTLS answered with {c}"),
        )),
    }
    if let Some(t) = &r.tls
        && t.pipelined_after_220 > 0
    {
        out.push(at(
            AT_PIPELINED,
            "PROBE-006",
            Severity::Error,
            format!(
                "{} bytes sent in clear after the 220 reply to STARTTLS",
                t.pipelined_after_220
            ),
        ));
    }
    out.extend(stopped(r, "PROBE-006"));
    out
}

/// PROBE-007: the TLS handshake completes (a cleartext answer on an implicit-TLS port is
/// PROBE-016's, old TLS only is PROBE-017's).
pub fn probe_007(r: &ProbeReport, _: &JudgeCtx) -> Vec<Placed> {
    match &r.tls {
        Some(t) if !t.cleartext_on_implicit && !t.old_tls_only => t
            .handshake_error
            .iter()
            .map(|e| {
                at(
                    AT_HANDSHAKE,
                    "PROBE-007",
                    Severity::Error,
                    format!("TLS handshake failed: {e}"),
                )
            })
            .collect(),
        _ => vec![],
    }
}

/// PROBE-008: the post-TLS EHLO no longer offers STARTTLS.
pub fn probe_008(r: &ProbeReport, _: &JudgeCtx) -> Vec<Placed> {
    let mut out = Vec::new();
    if r.starttls_after_tls == Some(true) {
        out.push(at(
            AT_EHLO_TLS,
            "PROBE-008",
            Severity::Error,
            "STARTTLS still offered after TLS".into(),
        ));
    }
    out.extend(stopped(r, "PROBE-008"));
    out
}

/// PROBE-009: commands pipelined behind STARTTLS are not executed inside TLS.
pub fn probe_009(r: &ProbeReport, _: &JudgeCtx) -> Vec<Placed> {
    if r.injection == Some(InjectionOutcome::Vulnerable) {
        return vec![at(
            AT_INJECTION,
            "PROBE-009",
            Severity::Error,
            "a command pipelined behind STARTTLS was executed inside TLS".into(),
        )];
    }
    vec![]
}

/// PROBE-010: a BER accepts MAIL FROM without TLS (4xx: inconclusive; 530: it behaves as an SOR).
pub fn probe_010(r: &ProbeReport, _: &JudgeCtx) -> Vec<Placed> {
    if r.role != Role::Ber {
        return vec![];
    }
    let mut out = Vec::new();
    match r.plaintext_mail_from {
        None | Some(200..=299) | Some(400..=499) => {}
        Some(530) => out.push(at(
            AT_PLAIN_MAIL,
            "PROBE-010",
            Severity::Error,
            "MAIL FROM refused with 530 before TLS: this MX host behaves as an SOR".into(),
        )),
        Some(c) => out.push(at(
            AT_PLAIN_MAIL,
            "PROBE-010",
            Severity::Error,
            format!("MAIL FROM without TLS refused with {c}"),
        )),
    }
    out.extend(stopped(r, "PROBE-010"));
    out
}

/// The MAIL FROM inside TLS of a BER (PROBE-011) or an SOR (PROBE-015): 2xx, 4xx = inconclusive.
fn tls_mail_from(r: &ProbeReport, rule: &'static str) -> Vec<Placed> {
    let mut out = Vec::new();
    if let Some(c) = r.tls_mail_from
        && !(200..=299).contains(&c)
        && !(400..=499).contains(&c)
    {
        out.push(at(
            AT_TLS_MAIL,
            rule,
            Severity::Error,
            format!("MAIL FROM inside TLS refused with {c}"),
        ));
    }
    out.extend(stopped(r, rule));
    out
}

/// PROBE-011: a BER also accepts MAIL FROM after TLS.
pub fn probe_011(r: &ProbeReport, _: &JudgeCtx) -> Vec<Placed> {
    if r.role != Role::Ber {
        return vec![];
    }
    tls_mail_from(r, "PROBE-011")
}

/// PROBE-012: STARTTLS is offered to every client: the main connection's EHLO reply compared with
/// every vantage point's (other keyword differences and unanswered points are info).
pub fn probe_012(r: &ProbeReport, _: &JudgeCtx) -> Vec<Placed> {
    let vp = &r.vantage;
    if vp.points.is_empty() {
        return vec![];
    }
    let mut out = Vec::new();
    let mut add = |severity, message| out.push(at(AT_VANTAGE, "PROBE-012", severity, message));
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
            add(
                Severity::Info,
                format!("no EHLO reply from vantage point {}: {e}", p.source),
            );
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
        add(
            Severity::Warning,
            format!(
                "STARTTLS offered to {} but not to {}",
                offered.join(", "),
                hidden.join(", ")
            ),
        );
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
        add(
            Severity::Info,
            format!("EHLO keywords differ by source: {}", diffs.join("; ")),
        );
    }
    out
}

/// PROBE-013: an SOR refuses MAIL FROM before TLS with 530 (2xx error, other codes warning).
pub fn probe_013(r: &ProbeReport, _: &JudgeCtx) -> Vec<Placed> {
    if r.role != Role::Sor {
        return vec![];
    }
    let mut out = Vec::new();
    match r.plaintext_mail_from {
        None | Some(530) => {}
        Some(c @ 200..=299) => out.push(at(
            AT_PLAIN_MAIL,
            "PROBE-013",
            Severity::Error,
            format!("MAIL FROM accepted ({c}) before TLS: not secure-only"),
        )),
        Some(c) => out.push(at(
            AT_PLAIN_MAIL,
            "PROBE-013",
            Severity::Warning,
            format!("MAIL FROM before TLS refused with {c} instead of 530"),
        )),
    }
    out.extend(stopped(r, "PROBE-013"));
    out
}

/// PROBE-014: an SOR refuses the pre-TLS `VRFY postmaster` (530 preferred). The probe never sends
/// `RCPT` or `DATA` (they could start a delivery), so `VRFY` stands for the commands an SOR must
/// refuse before TLS.
pub fn probe_014(r: &ProbeReport, _: &JudgeCtx) -> Vec<Placed> {
    if r.role != Role::Sor {
        return vec![];
    }
    let message = match r.pretls_vrfy {
        None | Some(400..=599) => return vec![],
        Some(c @ 200..=299) => format!(
            "VRFY answered {c} before TLS: an SOR should refuse everything but EHLO, NOOP, RSET, \
             STARTTLS and QUIT in clear (530 5.7.0); RCPT and DATA are not tested, the probe never sends them"
        ),
        Some(c) => format!("VRFY answered {c} before TLS instead of a refusal (530 5.7.0)"),
    };
    vec![at(AT_VRFY, "PROBE-014", Severity::Warning, message)]
}

/// PROBE-015: an SOR accepts MAIL FROM after TLS.
pub fn probe_015(r: &ProbeReport, _: &JudgeCtx) -> Vec<Placed> {
    if r.role != Role::Sor {
        return vec![];
    }
    tls_mail_from(r, "PROBE-015")
}

/// PROBE-016: on an implicit-TLS port the server starts TLS, it does not greet in clear.
pub fn probe_016(r: &ProbeReport, _: &JudgeCtx) -> Vec<Placed> {
    if r.tls.as_ref().is_some_and(|t| t.cleartext_on_implicit) {
        return vec![at(
            AT_HANDSHAKE,
            "PROBE-016",
            Severity::Error,
            "the port is published for implicit TLS, but the server answered in clear instead of starting TLS".into(),
        )];
    }
    vec![]
}

/// PROBE-017: TLS 1.2 or 1.3. Only older TLS → error; TLS 1.0/1.1 still accepted (the extra
/// handshakes) → warning on a BER, error on an SOR; no TLS 1.3 → info.
///
/// Under MTA-STS (RFC 8461 §7.2) and SGE the "still accepted" warning becomes an error; that needs
/// the domain's policy, which a single report does not know, so `live_probe::from_probes` raises it.
pub fn probe_017(r: &ProbeReport, _: &JudgeCtx) -> Vec<Placed> {
    let mut out = Vec::new();
    if let Some(t) = &r.tls {
        if t.old_tls_only && !t.cleartext_on_implicit {
            out.push(at(
                AT_HANDSHAKE,
                "PROBE-017",
                Severity::Error,
                "STARTTLS offered, no TLS 1.2+ handshake".into(),
            ));
        }
        if t.version.as_deref() == Some("TLSv1.2") {
            out.push(at(
                AT_TLS13,
                "PROBE-017",
                Severity::Info,
                "no TLS 1.3".into(),
            ));
        }
    }
    for (i, t) in (0u32..).zip(&r.cipher_tests) {
        let CipherOutcome::Accepted { suite, version, .. } = &t.outcome else {
            continue;
        };
        if matches!(t.class, CipherClass::Tls10 | CipherClass::Tls11)
            && version_name(t.class.hello_version()) == *version
        {
            out.push(at_n(
                AT_CIPHERS,
                2 * i,
                "PROBE-017",
                if r.role == Role::Sor {
                    Severity::Error
                } else {
                    Severity::Warning
                },
                format!("{version} still accepted ({suite})"),
            ));
        }
    }
    out
}

/// PROBE-018 grade of a suite's weakness: severity and why. An anonymous suite is graded as the
/// error it is when the server *chose* it; [`probe_018`] lowers it to info when the client offered
/// nothing else.
pub fn grade(w: Weakness) -> (Severity, String) {
    match w {
        Weakness::Anonymous => (
            Severity::Error,
            "anonymous (unauthenticated) key exchange".into(),
        ),
        Weakness::NullEncryption => (Severity::Error, "no encryption (NULL)".into()),
        Weakness::Export => (Severity::Error, "EXPORT-grade".into()),
        Weakness::Rc4 => (Severity::Error, "RC4".into()),
        Weakness::Rc2 => (Severity::Error, "RC2".into()),
        Weakness::Des => (Severity::Error, "single DES".into()),
        Weakness::TripleDes => (Severity::Warning, "3DES (64-bit block)".into()),
        Weakness::ShortKey(bits) => (Severity::Error, format!("{bits}-bit encryption")),
        Weakness::StaticKeyExchange => (
            Severity::Warning,
            "static key exchange, no forward secrecy".into(),
        ),
        Weakness::SmallDhGroup(b) => (Severity::Warning, format!("DHE group of {b} bits (< 2048)")),
    }
}

/// PROBE-018: weak suites accepted by the extra handshakes (each suite once). Anonymous suites (as
/// corrected): accepted from the `anonymous` hello, which offers nothing else, is info — Postfix's
/// deliberate opportunistic-TLS default; *chosen* from the `mixed` hello, which offers
/// authenticated suites first, is an error.
pub fn probe_018(r: &ProbeReport, _: &JudgeCtx) -> Vec<Placed> {
    let mut out = Vec::new();
    let mut seen: Vec<u16> = Vec::new();
    let mut anon_seen: Vec<(CipherClass, u16)> = Vec::new();
    for (i, t) in (0u32..).zip(&r.cipher_tests) {
        let CipherOutcome::Accepted {
            suite,
            suite_id,
            version,
            dh_bits,
        } = &t.outcome
        else {
            continue;
        };
        let w = weakness(*suite_id, *dh_bits);
        let mut add = |severity, message| {
            out.push(at_n(AT_CIPHERS, 2 * i + 1, "PROBE-018", severity, message))
        };
        if w == Some(Weakness::Anonymous) {
            if anon_seen.contains(&(t.class, *suite_id)) {
                continue;
            }
            anon_seen.push((t.class, *suite_id));
            if t.class == CipherClass::Anonymous {
                add(
                    Severity::Info,
                    format!(
                        "anonymous suite accepted when it is all the client offers: {suite} \
                         ({version}); this is Postfix's deliberate default for opportunistic TLS \
                         (postconf(5) smtpd_tls_exclude_ciphers: do not exclude ciphers unless it \
                         is essential), and a sender that verifies (DANE, MTA-STS) never offers \
                         aNULL, so it costs that sender nothing"
                    ),
                );
            } else {
                add(
                    Severity::Error,
                    format!(
                        "anonymous suite chosen from a mixed offer: {suite} ({version}) although \
                         the client offered authenticated ECDHE suites first; a client that \
                         could authenticate the server is left unauthenticated"
                    ),
                );
            }
            continue;
        }
        if seen.contains(suite_id) {
            continue;
        }
        seen.push(*suite_id);
        if let Some(w) = w {
            let (sev, why) = grade(w);
            add(
                sev,
                format!("weak cipher suite accepted: {suite} ({version}): {why}"),
            );
        }
    }
    out
}

/// Severity of a certificate problem: error on an SOR, warning on a BER, info when DANE
/// authenticates the server.
fn cert_severity(r: &ProbeReport) -> Severity {
    if r.dane == DaneVerdict::Valid {
        Severity::Info
    } else if r.role == Role::Sor {
        Severity::Error
    } else {
        Severity::Warning
    }
}

/// DANE authenticates the server with a DANE-EE(3) record.
fn dane_ee(r: &ProbeReport) -> bool {
    r.dane == DaneVerdict::Valid
        && r.dane_detail
            .as_ref()
            .and_then(|d| d.matched.as_deref())
            .is_some_and(|m| m.starts_with('3'))
}

/// `what (pkix error)`.
fn pkix_message(r: &ProbeReport, what: &str) -> String {
    let e = r.certificate.as_ref().and_then(|c| c.pkix_error.as_deref());
    format!("{what}{}", e.map(|e| format!(" ({e})")).unwrap_or_default())
}

/// PROBE-019: the certificate names the relay (warning on a BER, error on an SOR or under
/// DANE-TA; info under DANE-EE).
pub fn probe_019(r: &ProbeReport, _: &JudgeCtx) -> Vec<Placed> {
    let Some(c) = &r.certificate else {
        return vec![];
    };
    if c.pkix != Pkix::NameMismatch {
        return vec![];
    }
    let sev = if r.dane == DaneVerdict::Valid && !dane_ee(r) {
        Severity::Error
    } else {
        cert_severity(r)
    };
    vec![at(
        AT_CERT,
        "PROBE-019",
        sev,
        pkix_message(r, &format!("certificate does not name {}", r.host)),
    )]
}

/// PROBE-020: the certificate is inside its validity period (info under DANE-EE).
pub fn probe_020(r: &ProbeReport, _: &JudgeCtx) -> Vec<Placed> {
    let Some(c) = &r.certificate else {
        return vec![];
    };
    if !matches!(c.pkix, Pkix::Expired | Pkix::NotYetValid) {
        return vec![];
    }
    vec![at(
        AT_CERT,
        "PROBE-020",
        if dane_ee(r) {
            Severity::Info
        } else {
            Severity::Error
        },
        pkix_message(r, "certificate outside its validity period"),
    )]
}

/// PROBE-021: the chain validates to a trusted root (or DANE authenticates it).
pub fn probe_021(r: &ProbeReport, _: &JudgeCtx) -> Vec<Placed> {
    let Some(c) = &r.certificate else {
        return vec![];
    };
    let what = match c.pkix {
        Pkix::Valid | Pkix::NameMismatch | Pkix::Expired | Pkix::NotYetValid => return vec![],
        Pkix::Untrusted | Pkix::SelfSigned if c.intermediates_missing => {
            "chain does not reach a trusted root (intermediates missing?)"
        }
        Pkix::Untrusted | Pkix::SelfSigned => "chain does not reach a trusted root",
        Pkix::BadSignature | Pkix::WrongPurpose | Pkix::Revoked | Pkix::Invalid => {
            "certificate rejected"
        }
    };
    vec![at(
        AT_CERT,
        "PROBE-021",
        cert_severity(r),
        pkix_message(r, what),
    )]
}

/// PROBE-022: RSA ≥ 2048 and EC ≥ 256 bits; no SHA-1/MD5 signatures (self-issued roots excepted).
pub fn probe_022(r: &ProbeReport, _: &JudgeCtx) -> Vec<Placed> {
    let mut out = Vec::new();
    let Some(c) = &r.certificate else {
        return out;
    };
    for (i, ci) in c.chain.iter().enumerate() {
        let weak_key = (ci.key.starts_with("RSA") && ci.key_bits < 2048)
            || (ci.key.starts_with("EC") && ci.key_bits < 256);
        if weak_key {
            out.push(at(
                AT_CERT_KEYS,
                "PROBE-022",
                Severity::Warning,
                format!("cert #{i}: weak key {}", ci.key),
            ));
        }
        let sig = ci.signature_algorithm.to_ascii_lowercase();
        if !ci.self_issued && (sig.contains("sha1") || sig.contains("md5")) {
            out.push(at(
                AT_CERT_KEYS,
                "PROBE-022",
                Severity::Warning,
                format!("cert #{i}: signature {}", ci.signature_algorithm),
            ));
        }
    }
    out
}

/// PROBE-023: the leaf does not expire within 21 days.
pub fn probe_023(r: &ProbeReport, ctx: &JudgeCtx) -> Vec<Placed> {
    let Some(leaf) = r.certificate.as_ref().and_then(|c| c.chain.first()) else {
        return vec![];
    };
    let left = leaf.not_after_unix - ctx.now_unix;
    if left > 0 && left < 21 * 86_400 {
        return vec![at(
            AT_CERT_EXPIRY,
            "PROBE-023",
            Severity::Warning,
            format!("certificate expires in {} days", left / 86_400),
        )];
    }
    vec![]
}

/// PROBE-024: a SNI variant (no SNI, an unknown name) completes its handshake when the normal
/// handshake did.
pub fn probe_024(r: &ProbeReport, _: &JudgeCtx) -> Vec<Placed> {
    let main_ok = r.tls.as_ref().is_some_and(|t| t.version.is_some());
    if !main_ok {
        return vec![];
    }
    r.variants
        .iter()
        .filter(|v| v.variant.is_sni() && v.outcome == VariantOutcome::Failed)
        .map(|v| {
            let how = match &v.sni {
                None => "without SNI".to_string(),
                Some(n) => format!("with SNI {n}"),
            };
            at(
                AT_SNI,
                "PROBE-024",
                Severity::Error,
                format!(
                    "the handshake {how} was aborted ({}) while the normal handshake completed; the server must fall back to a default certificate",
                    v.error.as_deref().unwrap_or("no reason given")
                ),
            )
        })
        .collect()
}

/// PROBE-025: a secure, usable TLSA RRset matches the chain served.
pub fn probe_025(r: &ProbeReport, _: &JudgeCtx) -> Vec<Placed> {
    if r.dane != DaneVerdict::Fail {
        return vec![];
    }
    let d = r
        .dane_detail
        .as_ref()
        .map(|d| d.detail.clone())
        .unwrap_or_default();
    vec![at(
        AT_DANE,
        "PROBE-025",
        Severity::Error,
        format!("DANE: {d}"),
    )]
}

/// PROBE-029 (info): whether REQUIRETLS is advertised before and after TLS.
pub fn probe_029(r: &ProbeReport, _: &JudgeCtx) -> Vec<Placed> {
    let before = r.capabilities.iter().any(|c| c == "REQUIRETLS");
    let after = r.capabilities_tls.iter().any(|c| c == "REQUIRETLS");
    if before || after {
        return vec![at(
            AT_REQUIRETLS,
            "PROBE-029",
            Severity::Info,
            format!("REQUIRETLS advertised before TLS: {before}, after TLS: {after}"),
        )];
    }
    vec![]
}

/// TLSA-015: with a secure, usable TLSA RRset, every key a server with several keys offers (the
/// main handshake's and the key-type variants') is covered by a TLSA record.
pub fn tlsa_015(r: &ProbeReport, _: &JudgeCtx) -> Vec<Placed> {
    let mut out = Vec::new();
    if !matches!(r.dane, DaneVerdict::Valid | DaneVerdict::Fail) {
        return out;
    }
    // (key, SPKI hash, DANE verdict of its chain), one per distinct key.
    let mut keys: Vec<(String, String, Option<DaneVerdict>)> = Vec::new();
    if let Some(leaf) = r.certificate.as_ref().and_then(|c| c.chain.first()) {
        keys.push((leaf.key.clone(), leaf.spki_sha256.clone(), Some(r.dane)));
    }
    for v in r
        .variants
        .iter()
        .filter(|v| v.variant.key_type().is_some() && v.outcome == VariantOutcome::Completed)
    {
        if let (Some(k), Some(s)) = (&v.leaf_key, &v.leaf_spki_sha256)
            && !keys.iter().any(|(_, have, _)| have == s)
        {
            keys.push((k.clone(), s.clone(), v.dane));
        }
    }
    if keys.len() > 1 {
        let all: Vec<String> = keys.iter().map(|(k, _, _)| key_name(k)).collect();
        for (k, _, d) in &keys {
            if *d != Some(DaneVerdict::Valid) {
                out.push(at(
                    AT_KEYS,
                    "TLSA-015",
                    Severity::Warning,
                    format!(
                        "the {} key is not covered by any TLSA record; the server has {} keys ({}) and senders that negotiate this one fail DANE",
                        key_name(k),
                        keys.len(),
                        all.join(", ")
                    ),
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
