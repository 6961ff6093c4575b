//! The PROBE rules of the certificate and its authentication: name, validity, keys, expiry, DANE,
//! the SNI and key-type variants, REQUIRETLS (PROBE-019…025, PROBE-029, TLSA-015).

use super::*;

/// Severity of a certificate problem: error on an SOR, warning on a BER, info when DANE
/// authenticates the server.
pub(super) fn cert_severity(r: &ProbeReport) -> Severity {
    if r.dane == DaneVerdict::Valid {
        Severity::Info
    } else if r.role == Role::Sor {
        Severity::Error
    } else {
        Severity::Warning
    }
}

/// DANE authenticates the server with a DANE-EE(3) record.
pub(super) fn dane_ee(r: &ProbeReport) -> bool {
    r.dane == DaneVerdict::Valid
        && r.dane_detail
            .as_ref()
            .and_then(|d| d.matched.as_deref())
            .is_some_and(|m| m.starts_with('3'))
}

/// `what (pkix error)`.
pub(super) fn pkix_message(r: &ProbeReport, what: &str) -> String {
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
