//! DANE key rollovers (issue 12): TLSA-017 (the next key is published beside the current one),
//! TLSA-018 (the key a relay serves matches a TLSA record of the design), TLSA-019 (a certificate
//! DANE depends on expires soon). Registered in [`super::tlsa::RULES`].

use super::{Finding, Rule, Severity};
use crate::model::probe_facts::ProbeReport;
use crate::model::probe_facts::tls::CertInfo;
use crate::model::{Relay, normalize_tlsa};

/// Warn this many days before a certificate DANE depends on expires.
pub const EXPIRY_WARN_DAYS: i64 = 30;
/// From this many days on it is an error.
pub const EXPIRY_ERROR_DAYS: i64 = 7;

/// TLSA-017: every next-key record of a relay (`next_tlsa`, `next_key`) is in its `tlsa` list, so it
/// is published beside the current one before the key changes; a `next_key` file that cannot be
/// read is reported too.
pub fn tlsa_017(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    for r in input.relays {
        // Most relays name no next key: nothing to judge, nothing to build.
        if r.next_key.is_none() && r.next_key_record.is_none() && r.next_tlsa.is_empty() {
            continue;
        }
        let subject = format!("_{}._tcp.{}", r.tlsa_port(), r.host);
        if let (Some(k), Some(Err(e))) = (&r.next_key, &r.next_key_record) {
            out.push(rule.finding(
                input,
                &subject,
                format!("next_key {k:?} cannot be used: {e}"),
                "Point next_key at the next key's PEM file (private or public key, CSR or certificate), relative to the design file.",
            ));
        }
        let current: Vec<String> = r.tlsa.iter().map(|t| normalize_tlsa(t)).collect();
        for next in r.next_records() {
            if !current.contains(&next) {
                out.push(rule.finding(
                    input,
                    &subject,
                    format!(
                        "the next key's record `{next}` is not published beside the current ones; a key switch now would break DANE"
                    ),
                    format!(
                        "Add \"{next}\" to the relay's tlsa list, publish it, and switch the key only after two TTLs."
                    ),
                ));
            }
        }
    }
}

/// Does a TLSA record (presentation form) match a certificate of the chain? `None` when the record
/// cannot be judged from the probe's digests (matching type 0/2, an unusable usage, bad text).
fn record_matches(record: &str, chain: &[CertInfo]) -> Option<bool> {
    let mut it = record.split_whitespace();
    let usage: u8 = it.next()?.parse().ok()?;
    let selector: u8 = it.next()?.parse().ok()?;
    let matching: u8 = it.next()?.parse().ok()?;
    let data = it.collect::<String>().to_ascii_lowercase();
    if matching != 1 || selector > 1 {
        return None;
    }
    let certs: &[CertInfo] = match usage {
        3 => chain.get(..1)?,
        2 => chain.get(1..)?,
        _ => return None,
    };
    Some(certs.iter().any(|c| {
        let d = if selector == 1 {
            &c.spki_sha256
        } else {
            &c.sha256
        };
        *d == data
    }))
}

/// The reports of a design relay (its host on its TLSA port) that carry a chain.
fn reports_of<'a>(
    r: &'a Relay,
    reports: &'a [ProbeReport],
) -> impl Iterator<Item = (&'a ProbeReport, &'a [CertInfo])> {
    reports.iter().filter_map(move |p| {
        let chain = p.certificate.as_ref()?.chain.as_slice();
        (p.host == r.host && i64::from(p.port) == r.tlsa_port() && !chain.is_empty())
            .then_some((p, chain))
    })
}

fn subject(p: &ProbeReport) -> String {
    format!("{} {}:{}", p.host, p.address, p.port)
}

/// TLSA-018: the key a relay serves matches one of the design's TLSA records for it.
pub fn tlsa_018(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let Some(facts) = input.probes else { return };
    for r in input.relays.iter().filter(|r| !r.tlsa.is_empty()) {
        for (p, chain) in reports_of(r, &facts.reports) {
            let verdicts: Vec<Option<bool>> =
                r.tlsa.iter().map(|t| record_matches(t, chain)).collect();
            if verdicts.iter().all(Option::is_none) || verdicts.contains(&Some(true)) {
                continue;
            }
            let served = format!("3 1 1 {}", chain[0].spki_sha256);
            let next = r.next_records().contains(&served);
            out.push(rule.finding(
                input,
                subject(p),
                format!(
                    "the relay serves a key ({served}) that no TLSA record of the design matches{}",
                    if next {
                        "; it is the next key, switched before its record was published"
                    } else {
                        ""
                    }
                ),
                format!(
                    "Publish \"{served}\" (secmx tlsa --relay {}:{}) and wait two TTLs, or serve the key the records pin.",
                    p.host, p.port
                ),
            ));
        }
    }
}

/// TLSA-019: no certificate that a matching TLSA record pins expires within 30 days (warning) or
/// 7 days (error). A `2 x x` anchor that expires breaks DANE-TA; a `3 x x` leaf is renewed, and a
/// renewal with a new key breaks DANE-EE unless the next key's record is already published.
pub fn tlsa_019(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let Some(facts) = input.probes else { return };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    for r in input.relays.iter().filter(|r| !r.tlsa.is_empty()) {
        let next_published = r
            .next_records()
            .iter()
            .any(|n| r.tlsa.iter().any(|t| normalize_tlsa(t) == *n));
        for (p, chain) in reports_of(r, &facts.reports) {
            for t in &r.tlsa {
                if record_matches(t, chain) != Some(true) {
                    continue;
                }
                let ee = t.trim_start().starts_with('3');
                if ee && next_published {
                    continue;
                }
                let pinned: &[CertInfo] = if ee { &chain[..1] } else { &chain[1..] };
                for c in pinned {
                    let left = c.not_after_unix - now;
                    if left >= EXPIRY_WARN_DAYS * 86_400 {
                        continue;
                    }
                    let sev = if left < EXPIRY_ERROR_DAYS * 86_400 {
                        Severity::Error
                    } else {
                        Severity::Warning
                    };
                    let when = if left <= 0 {
                        format!("expired on {}", c.not_after)
                    } else {
                        format!("expires in {} days ({})", left / 86_400, c.not_after)
                    };
                    let why = if ee {
                        "its renewal breaks DANE if the key changes and the next key's record is not published yet"
                    } else {
                        "DANE-TA fails when it expires"
                    };
                    out.push(
                        rule.finding(
                            input,
                            subject(p),
                            format!("{} pinned by `{}` {when}: {why}", c.subject, normalize_tlsa(t)),
                            if ee {
                                "Renew with the same key, or publish the next key's 3 1 1 now (next_tlsa / next_key, secmx tlsa NEXT.pem) and switch after two TTLs."
                            } else {
                                "Publish the 2 1 1 record of the new issuer beside the old one before the certificate is replaced."
                            },
                        )
                        .with_severity(sev),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Role;
    use crate::model::probe_facts::report::CertificateFacts;
    use crate::model::probe_facts::tls::Pkix;
    use crate::model::probe_facts::{ProbeFacts, ProbeTarget};
    use crate::rules::testkit::{Case, h256};

    fn cert(subject: &str, spki: &str, days: i64) -> CertInfo {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        CertInfo {
            subject: subject.into(),
            sans: vec![],
            issuer: "CN=CA".into(),
            not_before: String::new(),
            not_after: "soon".into(),
            not_after_unix: now + days * 86_400,
            key: "EC P-256".into(),
            key_bits: 256,
            signature_algorithm: String::new(),
            sha256: h256('c'),
            spki_sha256: spki.into(),
            self_issued: false,
        }
    }

    fn facts(chain: Vec<CertInfo>) -> ProbeFacts {
        let t = ProbeTarget::new("mx1.agency.example", [192, 0, 2, 25].into(), 25, Role::Ber);
        let mut p = ProbeReport::new(&t);
        p.certificate = Some(CertificateFacts {
            subject: chain[0].subject.clone(),
            sans: vec![],
            issuer: String::new(),
            not_before: String::new(),
            not_after: String::new(),
            key: String::new(),
            pkix: Pkix::Valid,
            pkix_error: None,
            intermediates_missing: false,
            chain,
        });
        ProbeFacts {
            reports: vec![p],
            policy: None,
        }
    }

    fn case(tlsa: &[String], next: &[String]) -> Case {
        let mut c = Case::new(vec![]).relay("mx1.agency.example", Role::Ber, 25);
        c.relays[0].tlsa = tlsa.to_vec();
        c.relays[0].next_tlsa = next.to_vec();
        c
    }

    fn run(id: &str, c: &Case, f: &ProbeFacts) -> Vec<Finding> {
        let rule = crate::rules::rule(id).unwrap();
        let mut input = c.input();
        input.probes = Some(f);
        let mut out = Vec::new();
        (rule.check.unwrap())(rule, &crate::rules::Facts::new(input), &mut out);
        out
    }

    #[test]
    fn tlsa_017_fail_next_key_not_published() {
        let cur = format!("3 1 1 {}", h256('a'));
        let next = format!("3 1 1 {}", h256('b'));
        let f = case(std::slice::from_ref(&cur), std::slice::from_ref(&next))
            .fails_with("TLSA-017", Severity::Warning);
        assert!(f[0].message.contains("not published beside"), "{f:?}");
        let mut c = case(&[cur], &[]);
        c.relays[0].next_key = Some("gone.pem".into());
        c.relays[0].next_key_record = Some(Err("cannot read".into()));
        c.fails("TLSA-017");
    }

    #[test]
    fn tlsa_017_pass_next_key_beside_current() {
        let cur = format!("3 1 1 {}", h256('a'));
        let next = format!("3 1 1 {}", h256('b'));
        // Spelling differences (upper-case hex, spaces) do not matter.
        let next_upper = format!("3 1 1 {}", h256('b').to_uppercase());
        case(&[cur.clone(), next], &[next_upper]).passes("TLSA-017");
        case(&[cur], &[]).passes("TLSA-017");
    }

    #[test]
    fn tlsa_018_fail_served_key_matches_no_record() {
        let c = case(
            &[format!("3 1 1 {}", h256('a'))],
            &[format!("3 1 1 {}", h256('b'))],
        );
        let out = run("TLSA-018", &c, &facts(vec![cert("CN=mx1", &h256('b'), 90)]));
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].severity, Severity::Error);
        assert!(out[0].message.contains("it is the next key"), "{out:?}");
    }

    #[test]
    fn tlsa_018_pass_served_key_matches() {
        let c = case(&[format!("3 1 1 {}", h256('a'))], &[]);
        assert!(run("TLSA-018", &c, &facts(vec![cert("CN=mx1", &h256('a'), 90)])).is_empty());
        // A 2 1 1 record matching the issuer is a match too.
        let c = case(&[format!("2 1 1 {}", h256('i'))], &[]);
        let chain = vec![
            cert("CN=mx1", &h256('x'), 90),
            cert("CN=CA", &h256('i'), 900),
        ];
        assert!(run("TLSA-018", &c, &facts(chain)).is_empty());
    }

    #[test]
    fn tlsa_019_fail_pinned_certificate_expires_soon() {
        let c = case(&[format!("3 1 1 {}", h256('a'))], &[]);
        let out = run("TLSA-019", &c, &facts(vec![cert("CN=mx1", &h256('a'), 20)]));
        assert_eq!(out[0].severity, Severity::Warning, "{out:?}");
        let out = run("TLSA-019", &c, &facts(vec![cert("CN=mx1", &h256('a'), 3)]));
        assert_eq!(out[0].severity, Severity::Error, "{out:?}");
        let c = case(&[format!("2 1 1 {}", h256('i'))], &[]);
        let chain = vec![cert("CN=mx1", &h256('x'), 90), cert("CN=CA", &h256('i'), 5)];
        let out = run("TLSA-019", &c, &facts(chain));
        assert!(out[0].message.contains("DANE-TA fails"), "{out:?}");
    }

    #[test]
    fn tlsa_019_pass_far_expiry_or_next_key_ready() {
        let cur = format!("3 1 1 {}", h256('a'));
        let c = case(std::slice::from_ref(&cur), &[]);
        assert!(run("TLSA-019", &c, &facts(vec![cert("CN=mx1", &h256('a'), 60)])).is_empty());
        let next = format!("3 1 1 {}", h256('b'));
        let c = case(&[cur, next.clone()], &[next]);
        assert!(run("TLSA-019", &c, &facts(vec![cert("CN=mx1", &h256('a'), 3)])).is_empty());
    }
}
