//! The PROBE rules of the TLS parameters: old protocol versions and weak cipher suites
//! (PROBE-017, PROBE-018).

use super::*;

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
