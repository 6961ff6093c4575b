//! The MTA-STS policy fetch judged: STS-007…010 (how the policy was served), whether a sender
//! following RFC 8461 would use the policy at all, and PROBE-027 (the policy applied to each probed
//! MX). One function per rule, reading the facts `probe::sts` recorded ([`PolicyFetch`],
//! [`ProbeReport`]); the live pipeline calls [`judge`] once per fetch and [`probe_027`] once per
//! MX-listed relay address, and [`super::live_probe::from_probes`] turns what they wrote into
//! findings. The policy text itself is judged by the static STS rules (STS-011…023) over the
//! fetched text, "as published".

use crate::model::Severity;
use crate::model::probe_facts::report::{ProbeReport, Problem, StsVerdict, Verdict};
use crate::model::probe_facts::sts::PolicyFetch;
use crate::model::probe_facts::tls::Pkix;
use std::time::Duration;

/// Longer than this and STS-010 warns (senders give up after about a minute, RFC 8461 §3.3).
const SLOW: Duration = Duration::from_secs(10);

fn problem(rule: &'static str, severity: Severity, message: String) -> Problem {
    Problem {
        rule,
        severity,
        message,
    }
}

fn host_of(f: &PolicyFetch) -> &str {
    let rest = f.url.strip_prefix("https://").unwrap_or(&f.url);
    let host = rest.split('/').next().unwrap_or(rest);
    host.rsplit_once(':').map_or(host, |(h, _)| h)
}

/// STS-007: the policy host could be reached over HTTPS with a certificate valid for its name.
pub fn sts_007(f: &PolicyFetch) -> Vec<Problem> {
    let mut out = Vec::new();
    if let Some(e) = &f.error {
        out.push(problem(
            "STS-007",
            Severity::Error,
            format!("policy fetch failed: {e}"),
        ));
    }
    match f.pkix {
        Some(Pkix::Valid) | None => {}
        Some(p) => out.push(problem(
            "STS-007",
            Severity::Error,
            format!(
                "certificate of {} is not PKIX-valid ({p:?}{})",
                host_of(f),
                f.pkix_error
                    .as_deref()
                    .map(|e| format!(": {e}"))
                    .unwrap_or_default()
            ),
        )),
    }
    out
}

/// STS-008: the policy URL answered 200 itself (senders follow no redirect).
pub fn sts_008(f: &PolicyFetch) -> Vec<Problem> {
    match f.status {
        None | Some(200) => vec![],
        Some(s @ 300..=399) => vec![problem(
            "STS-008",
            Severity::Error,
            format!(
                "answered {s} (redirect to {}); senders do not follow redirects",
                f.location.as_deref().unwrap_or("?")
            ),
        )],
        Some(s) => vec![problem(
            "STS-008",
            Severity::Error,
            format!("answered {s}, not 200"),
        )],
    }
}

/// STS-009: the policy is served as `text/plain` (parameters ignored). Another media type makes
/// the policy invalid for a sender (RFC 8461 §3.2), so the finding is an error.
pub fn sts_009(f: &PolicyFetch) -> Vec<Problem> {
    if f.status != Some(200) {
        return vec![];
    }
    let ct = f.content_type.clone().unwrap_or_default();
    let mime = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if mime == "text/plain" {
        return vec![];
    }
    vec![problem(
        "STS-009",
        Severity::Error,
        format!(
            "Content-Type is {:?}, not text/plain; senders reject the policy",
            crate::model::sts::escape_controls(&ct)
        ),
    )]
}

/// STS-010: the body stays within 64 KiB (more is not read: an error, senders reject it) and came
/// well inside a minute (a warning).
pub fn sts_010(f: &PolicyFetch) -> Vec<Problem> {
    let mut out = Vec::new();
    if f.status == Some(200) && f.bytes > f.max_body {
        out.push(problem(
            "STS-010",
            Severity::Error,
            format!(
                "policy larger than {} bytes ({} bytes); senders do not read it",
                f.max_body, f.bytes
            ),
        ));
    }
    if Duration::from_millis(f.elapsed_ms) > SLOW {
        out.push(problem(
            "STS-010",
            Severity::Warning,
            format!("policy took {} ms", f.elapsed_ms),
        ));
    }
    out
}

/// Judge one fetch: its STS-007…010 problems, and whether a sender would use the policy (the
/// first error above, else the policy text read as a sender reads it, RFC 8461 §3.2).
pub fn judge(f: &mut PolicyFetch) {
    let mut problems = sts_007(f);
    problems.extend(sts_008(f));
    problems.extend(sts_009(f));
    problems.extend(sts_010(f));
    let because = problems
        .iter()
        .find(|p| p.severity == Severity::Error)
        .map(|p| p.message.clone())
        .or_else(|| match &f.text {
            Some(t) => super::sts::policy_invalid_because(t),
            None => Some("no policy body was read".into()),
        });
    f.problems = problems;
    f.valid = because.is_none();
    f.invalid_because = because;
}

/// PROBE-027: judges one probed MX against the fetched policy and records it in the report:
/// `pass`, `fail`, `not-covered` (the policy does not list this MX) or `no-policy` (no usable
/// policy: not fetched as a sender would, invalid, or `mode: none`). Under `enforce` a failure is
/// an error (the verdict becomes fail); under `testing` a warning. An invalid policy's fields are
/// never applied.
pub fn probe_027(fetch: &PolicyFetch, r: &mut ProbeReport) {
    let Some(policy) = fetch.policy.as_ref().filter(|_| fetch.usable()) else {
        r.mta_sts = Some(StsVerdict::NoPolicy);
        let transport = fetch.error.is_some()
            || fetch
                .problems
                .iter()
                .any(|p| p.severity == Severity::Error && matches!(p.rule, "STS-007" | "STS-008"));
        let message = if transport {
            "the MTA-STS policy could not be fetched as a sender would (STS-007/008)".to_string()
        } else {
            format!(
                "the published MTA-STS policy is invalid, so senders have no policy: {}",
                fetch
                    .invalid_because
                    .as_deref()
                    .unwrap_or("not judged as a sender would use it")
            )
        };
        r.problems
            .push(problem("PROBE-027", Severity::Warning, message));
        return;
    };
    let mode = policy.mode.as_deref().unwrap_or("");
    if mode == "none" || !matches!(mode, "enforce" | "testing") {
        r.mta_sts = Some(StsVerdict::NoPolicy);
        return;
    }
    let severity = if mode == "enforce" {
        Severity::Error
    } else {
        Severity::Warning
    };
    if !policy.covers(&r.host) {
        r.mta_sts = Some(StsVerdict::NotCovered);
        r.problems.push(problem(
            "PROBE-027",
            severity,
            format!("{} is not listed in the policy's mx lines", r.host),
        ));
    } else {
        let tls_ok = r.tls.as_ref().is_some_and(|t| t.version.is_some());
        let pkix_ok = r
            .certificate
            .as_ref()
            .is_some_and(|c| c.pkix == Pkix::Valid);
        if tls_ok && pkix_ok {
            r.mta_sts = Some(StsVerdict::Pass);
            return;
        }
        r.mta_sts = Some(StsVerdict::Fail);
        r.problems.push(problem(
            "PROBE-027",
            severity,
            format!(
                "policy mode {mode}: {}",
                if tls_ok {
                    "certificate not PKIX-valid for the MX name"
                } else {
                    "no TLS session"
                }
            ),
        ));
    }
    if r.problems.iter().any(|p| p.severity == Severity::Error) {
        r.verdict = Verdict::Fail;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "https://mta-sts.agency.example/.well-known/mta-sts.txt";
    const GOOD: &str = "version: STSv1\nmode: enforce\nmx: mx1.agency.example\nmax_age: 1209600\n";

    fn served(text: &str, content_type: &str) -> PolicyFetch {
        let mut f = PolicyFetch::new(URL);
        f.status = Some(200);
        f.content_type = Some(content_type.into());
        f.pkix = Some(Pkix::Valid);
        f.bytes = text.len();
        f.policy = Some(crate::model::probe_facts::sts::Policy::parse(text));
        f.text = Some(text.into());
        judge(&mut f);
        f
    }

    fn rules(f: &PolicyFetch) -> Vec<&'static str> {
        f.problems.iter().map(|p| p.rule).collect()
    }

    #[test]
    fn sts_007_fail_certificate_for_another_name() {
        let mut f = PolicyFetch::new(URL);
        f.pkix = Some(Pkix::NameMismatch);
        f.status = Some(200);
        let p = sts_007(&f);
        assert_eq!(p.len(), 1);
        assert!(p[0].message.contains("mta-sts.agency.example"), "{p:?}");
        let mut f = PolicyFetch::new(URL);
        f.error = Some("connection refused".into());
        assert_eq!(sts_007(&f)[0].severity, Severity::Error);
    }

    #[test]
    fn sts_007_pass_valid_certificate() {
        assert!(sts_007(&served(GOOD, "text/plain")).is_empty());
    }

    #[test]
    fn sts_008_fail_redirect() {
        let mut f = PolicyFetch::new(URL);
        f.status = Some(301);
        f.location = Some("https://www.agency.example/policy".into());
        judge(&mut f);
        assert_eq!(rules(&f), vec!["STS-008"]);
        assert!(!f.valid);
        assert!(f.invalid_because.as_deref().unwrap().contains("301"));
    }

    #[test]
    fn sts_008_pass_200() {
        assert!(sts_008(&served(GOOD, "text/plain")).is_empty());
    }

    #[test]
    fn sts_009_fail_text_html_makes_the_policy_invalid() {
        let f = served(GOOD, "text/html");
        assert_eq!(rules(&f), vec!["STS-009"]);
        assert_eq!(f.problems[0].severity, Severity::Error);
        assert!(!f.valid);
        assert!(f.invalid_because.as_deref().unwrap().contains("text/html"));
    }

    #[test]
    fn sts_009_pass_text_plain_with_charset() {
        let f = served(GOOD, "text/plain; charset=utf-8");
        assert!(f.problems.is_empty());
        assert!(f.valid && f.usable());
    }

    #[test]
    fn sts_010_fail_too_large_or_slow() {
        let mut f = PolicyFetch::new(URL);
        f.status = Some(200);
        f.content_type = Some("text/plain".into());
        f.bytes = 100 * 1024;
        judge(&mut f);
        assert_eq!(rules(&f), vec!["STS-010"]);
        assert!(!f.valid);
        let mut f = served(GOOD, "text/plain");
        f.elapsed_ms = 70_000;
        judge(&mut f);
        assert_eq!(rules(&f), vec!["STS-010"]);
        assert_eq!(f.problems[0].severity, Severity::Warning);
        assert!(f.valid, "slow is a warning only");
    }

    #[test]
    fn sts_010_pass_small_and_fast() {
        assert!(sts_010(&served(GOOD, "text/plain")).is_empty());
    }

    #[test]
    fn an_invalid_text_is_not_valid_and_says_why() {
        let f = served(
            "version: STSv1\nmode: [testing] \nmx: mx1.agency.example\nmax_age: 604800\n",
            "text/plain",
        );
        assert!(f.problems.is_empty());
        assert!(!f.valid);
        assert_eq!(
            f.invalid_because.as_deref(),
            Some("`mode` is not enforce, testing or none: line 2 `mode: [testing] `")
        );
    }

    fn mx_report(host: &str, pkix: Pkix) -> ProbeReport {
        let mut t = crate::model::probe_facts::ProbeTarget::new(
            host,
            "127.0.0.1".parse().unwrap(),
            25,
            crate::model::Role::Ber,
        );
        t.via = Some("mx".into());
        let mut r = ProbeReport::new(&t);
        r.tls = Some(crate::model::probe_facts::report::TlsFacts {
            version: Some("TLSv1.3".into()),
            ..Default::default()
        });
        r.certificate = Some(crate::model::probe_facts::report::CertificateFacts {
            subject: format!("CN={host}"),
            sans: vec![host.into()],
            issuer: "CN=Test CA".into(),
            not_before: String::new(),
            not_after: String::new(),
            key: "ECDSA P-256".into(),
            pkix,
            pkix_error: None,
            intermediates_missing: false,
            chain: vec![],
        });
        r
    }

    #[test]
    fn probe_027_fail_enforce_and_self_signed_mx() {
        let f = served(GOOD, "text/plain");
        let mut r = mx_report("mx1.agency.example", Pkix::SelfSigned);
        probe_027(&f, &mut r);
        assert_eq!(r.mta_sts, Some(StsVerdict::Fail));
        assert_eq!(r.verdict, Verdict::Fail);
    }

    #[test]
    fn probe_027_pass_enforce_and_ca_issued_mx() {
        let f = served(GOOD, "text/plain");
        let mut r = mx_report("mx1.agency.example", Pkix::Valid);
        probe_027(&f, &mut r);
        assert_eq!(r.mta_sts, Some(StsVerdict::Pass));
        assert!(r.problems.is_empty());
    }

    #[test]
    fn probe_027_an_invalid_policy_is_no_policy() {
        // `mode: [testing]` would otherwise not cover mx9: nothing of it is applied.
        let f = served(
            "version: STSv1\nmode: [testing]\nmx: mx1.agency.example\nmax_age: 604800\n",
            "text/plain",
        );
        let mut r = mx_report("mx9.agency.example", Pkix::SelfSigned);
        probe_027(&f, &mut r);
        assert_eq!(r.mta_sts, Some(StsVerdict::NoPolicy));
        assert_eq!(r.problems.len(), 1);
        assert!(
            r.problems[0].message.contains("invalid"),
            "{:?}",
            r.problems
        );
        let f = served(GOOD, "text/html");
        let mut r = mx_report("mx1.agency.example", Pkix::Valid);
        probe_027(&f, &mut r);
        assert_eq!(r.mta_sts, Some(StsVerdict::NoPolicy));
    }
}
