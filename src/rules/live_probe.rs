//! The live probe rules (PROBE, STS-007…010, MX-008, SOR-006) as registry checks: the PROBE rules
//! of [`super::probe_judge`] judge each dialogue the probe had (and [`super::sts_fetch`] the
//! MTA-STS fetch), and these checks turn what they found into [`Finding`]s of the same registry as the
//! static and DNS rules, so one report, one exit code and one `--list-rules` cover all three.

use super::relays::summarize;
use super::{Finding, Rule, Severity};
use crate::model::Role;
use crate::model::probe_facts::report::{ProbeReport, Problem};

/// `host [address]:port`, the subject of a per-address finding.
fn subject(r: &ProbeReport) -> String {
    match r.address {
        std::net::IpAddr::V6(a) => format!("{} [{a}]:{}", r.host, r.port),
        std::net::IpAddr::V4(a) => format!("{} {a}:{}", r.host, r.port),
    }
}

/// What to do about a failed probe rule, in a line: the fix beside the rule in
/// [`super::probe_judge`] for the rules that judge one report, else the rules judged elsewhere
/// (PROBE-027 and the MTA-STS fetch in [`super::sts_fetch`], PROBE-028 in [`super::relays::summarize`]).
fn fix_for(id: &str) -> &'static str {
    if let Some(fix) = super::probe_judge::fix(id) {
        return fix;
    }
    match id {
        "PROBE-027" => {
            "Under an enforce MTA-STS policy every MX needs STARTTLS and a PKIX-valid certificate for its name."
        }
        "PROBE-028" => {
            "Configure every address of the relay alike (same TLS, certificate and STARTTLS)."
        }
        "STS-007" => {
            "Serve https://mta-sts.<domain>/ with a certificate valid for that exact name."
        }
        "STS-008" => "Answer the policy URL with 200 directly; senders do not follow redirects.",
        "STS-009" => "Serve the policy as text/plain.",
        "STS-010" => "Keep the policy small (< 64 KiB) and fast.",
        _ => "See the rule in the catalogue.",
    }
}

fn finding(rule: &Rule, subject: String, p: &Problem) -> Finding {
    Finding {
        rule: rule.id,
        severity: p.severity,
        subject,
        message: p.message.clone(),
        fix: fix_for(rule.id).to_string(),
        origin: None,
        source: super::Source::of_needs(rule.needs),
    }
}

/// Every problem the probes (and the MTA-STS fetch) recorded under this rule's id.
///
/// PROBE-017 "TLS 1.0/1.1 still accepted" comes from the report as a warning (error on an SOR);
/// under MTA-STS (a fetched policy in enforce or testing mode, RFC 8461 §7.2) or the SGE profile it
/// becomes an error here, where the domain's policy is known.
pub fn from_probes(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let Some(facts) = input.probes else {
        return;
    };
    let old_tls_is_error = rule.id == "PROBE-017"
        && (input.profile == crate::model::Profile::Sge
            || facts
                .policy
                .as_ref()
                .and_then(|p| p.active_mode())
                .is_some_and(|m| m == "enforce" || m == "testing"));
    for r in &facts.reports {
        for p in r.problems.iter().filter(|p| p.rule == rule.id) {
            let mut f = finding(rule, subject(r), p);
            if old_tls_is_error
                && f.severity == Severity::Warning
                && p.message.contains("still accepted")
            {
                f.severity = Severity::Error;
                f.message
                    .push_str(if input.profile == crate::model::Profile::Sge {
                        " (an error under the SGE profile, which requires TLS 1.2 or newer)"
                    } else {
                        " (an error under MTA-STS, RFC 8461 §7.2)"
                    });
            }
            out.push(f);
        }
    }
    if rule.id == "PROBE-028" {
        for s in summarize(&facts.reports) {
            for d in s.differences.iter().filter(|d| d.rule == rule.id) {
                out.push(finding(rule, format!("{}:{}", s.host, s.port), d));
            }
        }
    }
    if let Some(policy) = &facts.policy {
        for p in policy.problems.iter().filter(|p| p.rule == rule.id) {
            out.push(finding(rule, policy.url.clone(), p));
        }
    }
}

fn via_mx(r: &ProbeReport) -> bool {
    matches!(r.via.as_deref(), Some("mx") | Some("implicit-mx"))
}

/// MX-008: in Level 1 every MX host is a BER — it offers STARTTLS and still takes plaintext mail.
pub fn mx_008(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let Some(facts) = input.probes else {
        return;
    };
    for r in facts.reports.iter().filter(|r| via_mx(r)) {
        let no_tls = r.starttls_offered == Some(false);
        let refuses_plain = r
            .plaintext_mail_from
            .is_some_and(|c| (500..600).contains(&c));
        if !no_tls && !refuses_plain {
            continue;
        }
        let what = match (no_tls, refuses_plain) {
            (true, _) => "does not offer STARTTLS".to_string(),
            (false, _) => format!(
                "refuses MAIL FROM without TLS ({}), so it behaves as a Secure Only Receiver",
                r.plaintext_mail_from.unwrap_or_default()
            ),
        };
        out.push(rule.finding(
            input,
            subject(r),
            format!("The MX host {} {what}; every MX host must be a Best Effort Receiver.", r.host),
            if no_tls {
                "Enable STARTTLS on the MX host."
            } else {
                "Accept plaintext mail on MX hosts; publish a TLS-only relay by SRV as a Secure Only Receiver instead."
            },
        ));
    }
}

/// SOR-006: every host under the SecMX SRV label offers TLS (STARTTLS, or implicit TLS on 465).
pub fn sor_006(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let Some(facts) = input.probes else {
        return;
    };
    for r in facts
        .reports
        .iter()
        .filter(|r| r.via.as_deref() == Some("srv"))
    {
        let tls_done = r.tls.as_ref().is_some_and(|t| t.version.is_some());
        let reached = r.greeting.is_some() || r.tls.is_some();
        if tls_done || !reached {
            continue; // unreachable relays are PROBE-001's; here only "answers, but no TLS".
        }
        let role = if r.role == Role::Sor { "SOR" } else { "BER" };
        out.push(rule.finding(
            input,
            subject(r),
            format!(
                "{} is listed under the SecMX SRV label ({role}) but no TLS session could be set up ({}); SecMX senders would deliver in plaintext or bounce.",
                r.host,
                r.error.as_deref().unwrap_or("STARTTLS not offered")
            ),
            "Offer TLS on every SRV-listed relay, or remove it from the SRV RRset.",
        ));
    }
}

/// XR-008: with both MTA-STS (a fetched policy in enforce or testing) and DANE (a secure TLSA
/// RRset) published, each MX certificate must pass both: PKIX-valid for the MX name and matched by a
/// TLSA record. Neither rescues the other.
pub fn xr_008(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    use crate::model::probe_facts::dane::DaneVerdict;
    use crate::model::probe_facts::tls::Pkix;
    let Some(facts) = input.probes else {
        return;
    };
    let sts_active = facts
        .policy
        .as_ref()
        .and_then(|p| p.active_mode())
        .is_some_and(|m| m == "enforce" || m == "testing");
    if !sts_active {
        return;
    }
    for r in facts.reports.iter().filter(|r| via_mx(r)) {
        // DANE counts only when it applies (secure TLSA); a missing certificate is PROBE-007's.
        if matches!(r.dane, DaneVerdict::NoTlsa | DaneVerdict::NotApplicable) {
            continue;
        }
        let Some(cert) = &r.certificate else {
            continue;
        };
        let pkix_ok = cert.pkix == Pkix::Valid;
        let dane_ok = r.dane == DaneVerdict::Valid;
        if pkix_ok && dane_ok {
            continue;
        }
        let what = match (pkix_ok, dane_ok) {
            (false, false) => "fails both the MTA-STS (PKIX) and the DANE check".to_string(),
            (false, true) => format!(
                "matches its TLSA records but is not PKIX-valid ({}), so MTA-STS senders refuse it",
                serde_json::to_value(cert.pkix)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default()
            ),
            _ => "is PKIX-valid but matches no TLSA record, so DANE senders refuse it; MTA-STS does not rescue a DANE failure".to_string(),
        };
        out.push(rule.finding(
            input,
            subject(r),
            format!("The certificate of MX host {} {what}.", r.host),
            "Serve a CA-issued certificate for the MX name whose key is pinned by the TLSA records (e.g. 3 1 1 of its SPKI).",
        ));
    }
}

/// SGE-010: under the SGE profile, MX certificates are publicly trusted and name the MX host
/// (enforce-mode MTA-STS needs PKIX; PROBE-019/020/021 become errors).
pub fn sge_010(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    use crate::model::probe_facts::tls::Pkix;
    let Some(facts) = input.probes else {
        return;
    };
    if input.profile != crate::model::Profile::Sge {
        return;
    }
    for r in facts.reports.iter().filter(|r| via_mx(r)) {
        let Some(cert) = &r.certificate else {
            continue;
        };
        if cert.pkix == Pkix::Valid {
            continue;
        }
        let why = serde_json::to_value(cert.pkix)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        out.push(rule.finding(
            input,
            subject(r),
            format!(
                "The certificate of MX host {} is not PKIX-valid for its name ({why}); the SGE profile requires a publicly trusted certificate naming the MX host, because MTA-STS enforce validates it.",
                r.host
            ),
            "Install a certificate from a public CA whose subject alternative names include the MX host name, with its intermediates.",
        ));
    }
}

/// SGE-001 (the part a rustls probe can see): under the SGE profile every MX host and SecMX SRV
/// target negotiates TLS 1.2 or newer. Whether a server *also* still accepts TLS 1.0/1.1 cannot be
/// seen with rustls (it offers only 1.2 and 1.3), so a passing handshake is no proof of that half.
pub fn sge_001(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let Some(facts) = input.probes else {
        return;
    };
    if input.profile != crate::model::Profile::Sge {
        return;
    }
    for r in &facts.reports {
        if r.tls.as_ref().is_some_and(|t| t.old_tls_only) {
            out.push(rule.finding(
                input,
                subject(r),
                format!(
                    "{} offers STARTTLS but completes no TLS 1.2 or 1.3 handshake (it speaks only older TLS); SGE requires TLS 1.2 or newer.",
                    r.host
                ),
                "Enable TLS 1.2 and 1.3 on the relay and disable SSL 3, TLS 1.0 and 1.1.",
            ));
        }
        // The other half: TLS 1.0/1.1 still accepted (seen by the old-version ClientHellos of the
        // extra handshakes, probe::ciphers).
        let old: Vec<&str> = r
            .cipher_tests
            .iter()
            .filter_map(|t| match &t.outcome {
                crate::model::probe_facts::ciphers::CipherOutcome::Accepted { version, .. }
                    if version == "TLSv1.0" || version == "TLSv1.1" || version == "SSLv3" =>
                {
                    Some(version.as_str())
                }
                _ => None,
            })
            .collect();
        if !old.is_empty() {
            out.push(rule.finding(
                input,
                subject(r),
                format!(
                    "{} still accepts {}; SGE requires TLS 1.2 or newer and the refusal of older versions.",
                    r.host,
                    old.join(" and ")
                ),
                "Disable SSL 3, TLS 1.0 and 1.1 on the relay (Postfix: smtpd_tls_protocols = >=TLSv1.2, smtpd_tls_mandatory_protocols = >=TLSv1.2).",
            ));
        }
    }
}

/// XR-017: an MX host that advertises REQUIRETLS expects REQUIRETLS senders, and they refuse an
/// MX answer that is neither DNSSEC-signed nor covered by an MTA-STS policy (enforce or testing).
pub fn xr_017(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let (Some(facts), Some(live)) = (input.probes, input.live) else {
        return;
    };
    let advertisers: Vec<&ProbeReport> = facts
        .reports
        .iter()
        .filter(|r| via_mx(r))
        .filter(|r| {
            r.capabilities
                .iter()
                .chain(&r.capabilities_tls)
                .any(|c| c.eq_ignore_ascii_case("REQUIRETLS"))
        })
        .collect();
    let Some(first) = advertisers.first() else {
        return;
    };
    let signed = live
        .rrset(&live.domain, crate::model::RecordType::Mx)
        .is_some_and(|s| s.dnssec == crate::model::published::Dnssec::Secure);
    let sts = facts
        .policy
        .as_ref()
        .and_then(|p| p.policy.as_ref())
        .and_then(|p| p.mode.as_deref())
        .is_some_and(|m| m == "enforce" || m == "testing");
    if signed || sts {
        return;
    }
    out.push(rule.finding(
        input,
        live.domain.clone(),
        format!(
            "{} advertises REQUIRETLS, but the MX RRset of {} is not DNSSEC-signed and no MTA-STS policy covers it; REQUIRETLS senders refuse such MX answers, so that mail bounces.",
            first.host, live.domain
        ),
        "Sign the zone (DS at the parent), or publish an MTA-STS policy in enforce mode listing every MX host.",
    ));
}

/// SOR-007: the sender simulation (SecMX §4.3, §5). Reported when a simulated Secure Only Sender
/// would bounce or defer, and when a Best Effort Sender would fall back to plaintext; a delivery over
/// TLS is the pass case (the whole simulation is in the report either way). Judges what DNS
/// publishes when it was looked up, else the design's records.
pub fn sor_007(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    use crate::model::probe_facts::simulate::Outcome;
    let Some(facts) = input.probes else {
        return;
    };
    let sim = match input.live {
        Some(live) => facts.simulate(
            &live.records,
            &live.domain,
            &format!("{}._tcp.{}", live.srv_label, live.domain),
        ),
        None => facts.simulate(input.records, input.domain, &input.srv_owner()),
    };
    let domain = input.live.map_or(input.domain, |l| l.domain.as_str());
    let tried = |run: &crate::model::probe_facts::simulate::SenderRun| {
        if run.tried.is_empty() {
            "no relay is published".to_string()
        } else {
            format!("tried {}", run.tried_words())
        }
    };
    match sim.sos.outcome {
        Outcome::Tls | Outcome::Plaintext => {}
        Outcome::Bounce => out.push(rule.finding(
            input,
            domain,
            format!(
                "A simulated Secure Only Sender bounces mail to {domain}: no relay completes TLS ({}).",
                tried(&sim.sos)
            ),
            "Make at least one SecMX SRV target (or MX host) complete STARTTLS and accept MAIL FROM inside TLS.",
        )),
        Outcome::Defer => out.push(rule.finding(
            input,
            domain,
            format!(
                "A simulated Secure Only Sender defers mail to {domain}: no relay completed TLS and some answered only temporarily ({}).",
                tried(&sim.sos)
            ),
            "Probe again later; if it persists, make the SRV targets answer and complete STARTTLS.",
        )),
    }
    if sim.bes.outcome == Outcome::Plaintext {
        out.push(rule.finding(
            input,
            domain,
            format!(
                "A simulated Best Effort Sender delivers to {} in plaintext: no relay completes TLS ({}).",
                sim.bes.delivered_to.as_deref().unwrap_or("?"),
                tried(&sim.bes)
            ),
            "Offer STARTTLS on every MX host (Level 1).",
        ));
    }
}

/// PROBE-026: with DANE-TA(2) records, the server sends the trust-anchor certificate and the leaf
/// names the host; the DANE judge says which of the two failed.
pub fn probe_026(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let Some(facts) = input.probes else {
        return;
    };
    for r in &facts.reports {
        let Some(why) = r.dane_detail.as_ref().and_then(|d| d.ta_failure.as_ref()) else {
            continue;
        };
        out.push(rule.finding(
            input,
            subject(r),
            format!("DANE-TA: {why}."),
            "Serve the full chain including the CA certificate the `2 x x` record pins, with a leaf that names the relay host; or pin the server key with `3 1 1`.",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::probe_facts::report::TlsFacts;
    use crate::model::probe_facts::{ProbeFacts, ProbeTarget};
    use crate::rules::testkit::Case;

    fn report(host: &str, port: u16, role: Role, via: &str) -> ProbeReport {
        let mut t = ProbeTarget::new(host, "127.0.0.1".parse().unwrap(), port, role);
        t.via = Some(via.into());
        ProbeReport::new(&t)
    }

    fn run(id: &str, facts: &ProbeFacts) -> Vec<Finding> {
        run_in(&Case::default(), id, facts)
    }

    fn run_sge(id: &str, facts: &ProbeFacts) -> Vec<Finding> {
        run_in(&Case::default().sge(), id, facts)
    }

    fn run_in(case: &Case, id: &str, facts: &ProbeFacts) -> Vec<Finding> {
        let mut input = case.input();
        input.probes = Some(facts);
        let rule = crate::rules::rule(id).unwrap();
        let mut out = Vec::new();
        (rule.check.unwrap())(rule, &crate::rules::Facts::new(input), &mut out);
        out
    }

    #[test]
    fn probe_problems_become_findings_of_their_own_rule_only() {
        let mut r = report("mx1.agency.example", 25, Role::Ber, "mx");
        r.problems.push(Problem {
            rule: "PROBE-005",
            severity: Severity::Error,
            message: "STARTTLS not offered".into(),
        });
        let facts = ProbeFacts {
            reports: vec![r],
            policy: None,
        };
        let f = run("PROBE-005", &facts);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Error);
        assert_eq!(f[0].subject, "mx1.agency.example 127.0.0.1:25");
        assert!(f[0].fix.contains("STARTTLS"));
        assert!(run("PROBE-010", &facts).is_empty());
    }

    #[test]
    fn without_probes_the_live_rules_are_quiet() {
        let case = Case::default();
        let input = case.input();
        let rule = crate::rules::rule("PROBE-001").unwrap();
        let mut out = Vec::new();
        from_probes(rule, &crate::rules::Facts::new(input), &mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn mx_008_fail_mx_host_without_starttls() {
        let mut r = report("mx-notls.agency.example", 25, Role::Ber, "mx");
        r.starttls_offered = Some(false);
        r.plaintext_mail_from = Some(250);
        let f = run(
            "MX-008",
            &ProbeFacts {
                reports: vec![r],
                policy: None,
            },
        );
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("does not offer STARTTLS"));
    }

    #[test]
    fn mx_008_fail_mx_host_that_refuses_plaintext() {
        let mut r = report("sor1.agency.example", 25, Role::Ber, "mx");
        r.starttls_offered = Some(true);
        r.plaintext_mail_from = Some(530);
        let f = run(
            "MX-008",
            &ProbeFacts {
                reports: vec![r],
                policy: None,
            },
        );
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("530"));
    }

    #[test]
    fn mx_008_pass_ber() {
        let mut r = report("mx1.agency.example", 25, Role::Ber, "mx");
        r.starttls_offered = Some(true);
        r.plaintext_mail_from = Some(250);
        let facts = ProbeFacts {
            reports: vec![r],
            policy: None,
        };
        assert!(run("MX-008", &facts).is_empty());
    }

    fn sts_policy(mode: &str) -> crate::model::probe_facts::sts::PolicyFetch {
        let text =
            format!("version: STSv1\nmode: {mode}\nmx: mx1.agency.example\nmax_age: 604800\n");
        let mut f = crate::model::probe_facts::sts::PolicyFetch::new(
            "https://mta-sts.agency.example/.well-known/mta-sts.txt",
        );
        f.status = Some(200);
        f.content_type = Some("text/plain".into());
        f.bytes = text.len();
        f.elapsed_ms = 1;
        f.policy = Some(crate::model::probe_facts::sts::Policy::parse(&text));
        f.text = Some(text);
        crate::rules::sts_fetch::judge(&mut f);
        f
    }

    fn with_cert(
        pkix: crate::model::probe_facts::tls::Pkix,
        dane: crate::model::probe_facts::dane::DaneVerdict,
    ) -> ProbeReport {
        let mut r = report("mx1.agency.example", 25, Role::Ber, "mx");
        r.certificate = Some(crate::model::probe_facts::report::CertificateFacts {
            subject: "CN=mx1.agency.example".into(),
            sans: vec!["mx1.agency.example".into()],
            issuer: "CN=mx1.agency.example".into(),
            not_before: String::new(),
            not_after: String::new(),
            key: "ECDSA P-256".into(),
            pkix,
            pkix_error: None,
            intermediates_missing: false,
            chain: vec![],
        });
        r.dane = dane;
        r
    }

    #[test]
    fn xr_008_fail_tlsa_matches_but_cert_is_self_signed_under_enforce() {
        use crate::model::probe_facts::dane::DaneVerdict;
        use crate::model::probe_facts::tls::Pkix;
        let facts = ProbeFacts {
            reports: vec![with_cert(Pkix::SelfSigned, DaneVerdict::Valid)],
            policy: Some(sts_policy("enforce")),
        };
        let f = run("XR-008", &facts);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].message.contains("not PKIX-valid"));
    }

    #[test]
    fn xr_008_fail_pkix_valid_but_no_tlsa_match() {
        use crate::model::probe_facts::dane::DaneVerdict;
        use crate::model::probe_facts::tls::Pkix;
        let facts = ProbeFacts {
            reports: vec![with_cert(Pkix::Valid, DaneVerdict::Fail)],
            policy: Some(sts_policy("enforce")),
        };
        assert_eq!(run("XR-008", &facts).len(), 1);
    }

    #[test]
    fn xr_008_pass_ca_cert_pinned_by_tlsa_and_quiet_without_sts() {
        use crate::model::probe_facts::dane::DaneVerdict;
        use crate::model::probe_facts::tls::Pkix;
        let both = ProbeFacts {
            reports: vec![with_cert(Pkix::Valid, DaneVerdict::Valid)],
            policy: Some(sts_policy("enforce")),
        };
        assert!(run("XR-008", &both).is_empty());
        let no_sts = ProbeFacts {
            reports: vec![with_cert(Pkix::SelfSigned, DaneVerdict::Valid)],
            policy: Some(sts_policy("none")),
        };
        assert!(run("XR-008", &no_sts).is_empty());
    }

    #[test]
    fn sge_010_fail_self_signed_mx_under_sge_pass_ca_issued_and_quiet_outside_sge() {
        use crate::model::probe_facts::dane::DaneVerdict;
        use crate::model::probe_facts::tls::Pkix;
        let bad = ProbeFacts {
            reports: vec![with_cert(Pkix::SelfSigned, DaneVerdict::NoTlsa)],
            policy: None,
        };
        let f = run_sge("SGE-010", &bad);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Error);
        assert!(f[0].message.contains("self-signed"), "{}", f[0].message);
        assert!(run("SGE-010", &bad).is_empty(), "plain SecMX profile");
        let good = ProbeFacts {
            reports: vec![with_cert(Pkix::Valid, DaneVerdict::NoTlsa)],
            policy: None,
        };
        assert!(run_sge("SGE-010", &good).is_empty());
    }

    #[test]
    fn sge_001_fail_old_tls_only_under_sge_pass_tls13() {
        let mut old = report("mx-legacy.agency.example", 25, Role::Ber, "mx");
        old.tls = Some(TlsFacts {
            old_tls_only: true,
            ..TlsFacts::default()
        });
        let mut new = report("mx1.agency.example", 25, Role::Ber, "mx");
        new.tls = Some(TlsFacts {
            version: Some("TLSv1.3".into()),
            ..TlsFacts::default()
        });
        let f = run_sge(
            "SGE-001",
            &ProbeFacts {
                reports: vec![old, new],
                policy: None,
            },
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].subject.starts_with("mx-legacy"));
    }

    fn published_mx(dnssec: crate::model::published::Dnssec) -> crate::model::published::Published {
        let rrset = crate::model::published::RRset {
            name: "agency.example.".into(),
            rtype: "MX".into(),
            records: vec!["10 mx1.agency.example.".into()],
            ttl: Some(3600),
            dnssec,
            status: crate::model::published::Status::Ok,
            cname: None,
            detail: None,
            ms: 1.0,
            answers: vec![],
        };
        crate::model::published::Published::from_rrsets("agency.example", "_secmx", vec![rrset], 1)
    }

    fn requiretls_mx() -> ProbeReport {
        let mut r = report("mx1.agency.example", 25, Role::Ber, "mx");
        r.capabilities_tls = vec!["PIPELINING".into(), "REQUIRETLS".into()];
        r
    }

    fn run_live(
        id: &str,
        facts: &ProbeFacts,
        live: &crate::model::published::Published,
    ) -> Vec<Finding> {
        let case = Case::default();
        let mut input = case.input();
        input.probes = Some(facts);
        input.live = Some(live);
        let rule = crate::rules::rule(id).unwrap();
        let mut out = Vec::new();
        (rule.check.unwrap())(rule, &crate::rules::Facts::new(input), &mut out);
        out
    }

    #[test]
    fn xr_017_fail_requiretls_with_unsigned_mx_and_no_mta_sts() {
        let facts = ProbeFacts {
            reports: vec![requiretls_mx()],
            policy: None,
        };
        let f = run_live(
            "XR-017",
            &facts,
            &published_mx(crate::model::published::Dnssec::Insecure),
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].severity, Severity::Warning);
    }

    #[test]
    fn xr_017_pass_signed_mx_or_enforce_policy_or_no_requiretls() {
        let facts = ProbeFacts {
            reports: vec![requiretls_mx()],
            policy: None,
        };
        assert!(
            run_live(
                "XR-017",
                &facts,
                &published_mx(crate::model::published::Dnssec::Secure)
            )
            .is_empty()
        );
        let with_sts = ProbeFacts {
            reports: vec![requiretls_mx()],
            policy: Some(sts_policy("enforce")),
        };
        let insecure = published_mx(crate::model::published::Dnssec::Insecure);
        assert!(run_live("XR-017", &with_sts, &insecure).is_empty());
        let plain = ProbeFacts {
            reports: vec![report("mx1.agency.example", 25, Role::Ber, "mx")],
            policy: None,
        };
        assert!(run_live("XR-017", &plain, &insecure).is_empty());
    }

    #[test]
    fn probe_026_fail_anchor_not_sent_pass_without_ta_failure() {
        let mut r = report("mx1.agency.example", 25, Role::Ber, "mx");
        r.dane = crate::model::probe_facts::dane::DaneVerdict::Fail;
        r.dane_detail = Some(crate::model::probe_facts::dane::DaneResult {
            verdict: crate::model::probe_facts::dane::DaneVerdict::Fail,
            matched: None,
            detail: "none of 1 usable TLSA record(s) matches the chain sent".into(),
            ta_failure: Some(
                "the server does not send the certificate its DANE-TA record names".into(),
            ),
        });
        let f = run(
            "PROBE-026",
            &ProbeFacts {
                reports: vec![r.clone()],
                policy: None,
            },
        );
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Error);
        r.dane_detail = None;
        assert!(
            run(
                "PROBE-026",
                &ProbeFacts {
                    reports: vec![r],
                    policy: None,
                },
            )
            .is_empty()
        );
    }

    #[test]
    fn sor_006_fail_srv_target_without_tls() {
        let mut r = report("mx-notls.agency.example", 25, Role::Sor, "srv");
        r.greeting = Some(220);
        r.starttls_offered = Some(false);
        let f = run(
            "SOR-006",
            &ProbeFacts {
                reports: vec![r],
                policy: None,
            },
        );
        assert_eq!(f.len(), 1);
    }

    #[test]
    fn sor_006_pass_srv_target_with_tls_and_unreachable_is_not_its_business() {
        let mut ok = report("sor1.agency.example", 25, Role::Sor, "srv");
        ok.greeting = Some(220);
        ok.tls = Some(TlsFacts {
            version: Some("TLSv1.3".into()),
            ..TlsFacts::default()
        });
        let down = report("sor2.agency.example", 25, Role::Sor, "srv");
        let facts = ProbeFacts {
            reports: vec![ok, down],
            policy: None,
        };
        assert!(run("SOR-006", &facts).is_empty());
    }

    fn sor_007_case(target: &str) -> Case {
        use crate::rules::testkit::{mx, srv};
        Case::new(vec![
            mx("agency.example", 10, "mx1.agency.example"),
            srv("_secmx._tcp.agency.example", 10, 0, 25, target),
        ])
    }

    fn reached(host: &str, via: &str, tls: bool, plain_code: u16) -> ProbeReport {
        let role = if via == "srv" { Role::Sor } else { Role::Ber };
        let mut r = report(host, 25, role, via);
        r.greeting = Some(220);
        r.plaintext_mail_from = Some(plain_code);
        if tls {
            r.tls = Some(TlsFacts {
                version: Some("TLSv1.3".into()),
                ..TlsFacts::default()
            });
            r.tls_mail_from = Some(250);
        }
        r
    }

    #[test]
    fn sor_007_fail_sos_finds_only_mx_notls_and_bounces() {
        let case = sor_007_case("mx-notls.agency.example");
        let facts = ProbeFacts {
            reports: vec![
                reached("mx-notls.agency.example", "srv", false, 250),
                reached("mx1.agency.example", "mx", false, 250),
            ],
            policy: None,
        };
        let f = run_in(&case, "SOR-007", &facts);
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!(f[0].severity, Severity::Info);
        assert!(f[0].message.contains("bounces"), "{}", f[0].message);
        assert!(f[0].message.contains("mx-notls.agency.example:25"));
        assert!(
            f[1].message
                .contains("Best Effort Sender delivers to mx1.agency.example in plaintext")
        );
    }

    #[test]
    fn sor_007_pass_sos_reaches_sor1_over_tls() {
        let case = sor_007_case("sor1.agency.example");
        let facts = ProbeFacts {
            reports: vec![
                reached("sor1.agency.example", "srv", true, 530),
                reached("mx1.agency.example", "mx", true, 250),
            ],
            policy: None,
        };
        assert!(run_in(&case, "SOR-007", &facts).is_empty());
    }

    #[test]
    fn probe_017_old_tls_still_accepted_is_a_warning_on_a_plain_ber_and_an_error_under_sge_or_mta_sts()
     {
        let mut r = report("mx-legacy.agency.example", 25, Role::Ber, "mx");
        r.problems.push(Problem {
            rule: "PROBE-017",
            severity: Severity::Warning,
            message: "TLSv1.0 still accepted (TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA)".into(),
        });
        let mut facts = ProbeFacts {
            reports: vec![r],
            policy: None,
        };
        let plain = run("PROBE-017", &facts);
        assert_eq!(plain.len(), 1);
        assert_eq!(plain[0].severity, Severity::Warning);
        let sge = run_sge("PROBE-017", &facts);
        assert_eq!(sge[0].severity, Severity::Error);
        assert!(sge[0].message.contains("SGE"), "{}", sge[0].message);
        facts.policy = Some(sts_policy("enforce"));
        let sts = run("PROBE-017", &facts);
        assert_eq!(sts[0].severity, Severity::Error);
        assert!(sts[0].message.contains("MTA-STS"), "{}", sts[0].message);
        // "no TLS 1.3" stays info whatever the policy.
        facts.reports[0].problems[0] = Problem {
            rule: "PROBE-017",
            severity: Severity::Info,
            message: "no TLS 1.3".into(),
        };
        assert_eq!(run_sge("PROBE-017", &facts)[0].severity, Severity::Info);
    }

    #[test]
    fn sge_001_fail_mx_legacy_accepts_tls_1_0_pass_tls_1_2_only() {
        use crate::model::probe_facts::ciphers::{CipherClass, CipherOutcome, CipherTest};
        let test = |class, outcome| CipherTest {
            class,
            offered_version: "TLSv1.0".into(),
            offered_suites: 4,
            outcome,
            ms: 1,
        };
        let mut r = report("mx-legacy.agency.example", 25, Role::Ber, "mx");
        r.cipher_tests = vec![
            test(
                CipherClass::Tls10,
                CipherOutcome::Accepted {
                    suite: "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA".into(),
                    suite_id: 0xc013,
                    version: "TLSv1.0".into(),
                    dh_bits: None,
                },
            ),
            test(
                CipherClass::Tls11,
                CipherOutcome::Refused {
                    alert: "ProtocolVersion".into(),
                },
            ),
        ];
        let mut facts = ProbeFacts {
            reports: vec![r],
            policy: None,
        };
        let f = run_sge("SGE-001", &facts);
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message.contains("still accepts TLSv1.0"),
            "{}",
            f[0].message
        );
        assert!(
            run("SGE-001", &facts).is_empty(),
            "only under the SGE profile"
        );
        facts.reports[0].cipher_tests.remove(0);
        assert!(run_sge("SGE-001", &facts).is_empty());
    }
}
