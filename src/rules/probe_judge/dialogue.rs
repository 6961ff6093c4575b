//! The PROBE rules of the SMTP dialogue: connection, greeting, EHLO and names, STARTTLS, the role
//! checks in clear and inside TLS, the injection test, vantage points (PROBE-001…016).

use super::*;

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

pub(super) fn norm(n: &str) -> String {
    n.trim_end_matches('.').to_ascii_lowercase()
}

pub(super) fn is_ip_literal(n: &str) -> bool {
    n.trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<IpAddr>()
        .is_ok()
}

/// The PROBE-004 messages for a set of names.
pub(super) fn names_differ(n: &Names, address: IpAddr) -> Vec<String> {
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
pub(super) fn tls_mail_from(r: &ProbeReport, rule: &'static str) -> Vec<Placed> {
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
