//! TLSA-006…011, TLSA-014: which forms SMTP senders use (no PKIX usages, `3 1 1` first, SHA-256,
//! no full data, no whole-certificate digests, two records for a rollover, one usable record at least).

use super::*;

/// TLSA-006: PKIX-TA(0) / PKIX-EE(1) records are not used by SMTP senders.
pub(super) fn tlsa_006(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    per_record(rule, input, out, |u, s, m, _| {
        let name = match u {
            0 => "PKIX-TA(0)",
            1 => "PKIX-EE(1)",
            _ => return None,
        };
        Some((
            format!(
                "usage {name} is ignored by SMTP senders (RFC 7672 §3.1.3), so this record protects nothing for a mail relay."
            ),
            format!(
                "Replace it with a DANE-EE record \"3 {s} {m} …\" for the server's key (or DANE-TA \"2 {s} {m} …\" for the issuing CA)."
            ),
        ))
    });
}

/// TLSA-007 (info): an RRset with neither `3 1 1` nor `2 1 1`.
pub(super) fn tlsa_007(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    for (owner, set) in TlsaSets::of(input).iter() {
        let preferred = set
            .iter()
            .any(|r| matches!(fields(r), Some((3 | 2, 1, 1, _))));
        if preferred {
            continue;
        }
        let Some(first) = set.first() else {
            continue;
        };
        let forms: Vec<String> = set.iter().map(|r| show(r)).collect();
        out.push(
            rule.finding(
                input,
                owner,
                format!(
                    "The TLSA RRset at {owner} ({}) has no record in the preferred forms \"3 1 1\" (server key) or \"2 1 1\" (issuing CA key).",
                    forms.join("; ")
                ),
                format!(
                    "Publish \"3 1 1 <SHA-256 of the server's public key>\" at {owner}, optionally with \"2 1 1 <SHA-256 of the issuing CA's public key>\"."
                ),
            )
            .at(first.origin),
        );
    }
}

/// TLSA-008: SHA-512 records without a SHA-256 companion for the same usage and selector.
pub(super) fn tlsa_008(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    for (_, set) in TlsaSets::of(input).iter() {
        // Nothing to look for in the (usual) RRset without SHA-512 records.
        if !set.iter().any(|r| matches!(fields(r), Some((_, _, 2, _)))) {
            continue;
        }
        let sha256: FastSet<(i64, i64)> = set
            .iter()
            .filter_map(|r| fields(r))
            .filter(|(_, _, m, _)| *m == 1)
            .map(|(u, s, _, _)| (u, s))
            .collect();
        for r in set {
            let Some((u, s, 2, _)) = fields(r) else {
                continue;
            };
            if sha256.contains(&(u, s)) {
                continue;
            }
            out.push(
                rule.finding(
                    input,
                    r.name.as_str(),
                    format!(
                        "TLSA {} at {} uses SHA-512 with no \"{u} {s} 1\" (SHA-256) companion; SHA-256 is the digest every DANE sender must support, SHA-512 is optional.",
                        show(r),
                        r.name
                    ),
                    format!(
                        "Add \"{u} {s} 1 <SHA-256 of the same data>\" at {} (keep the SHA-512 record if you like).",
                        r.name
                    ),
                )
                .at(r.origin),
            );
        }
    }
}

/// TLSA-009: matching type 0 (full data in DNS).
pub(super) fn tlsa_009(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    per_record(rule, input, out, |u, s, m, data| {
        (m == 0).then(|| {
            (
                format!(
                    "matching type 0 puts the full {} in DNS ({} bytes); large TLSA RRsets cause truncated answers and fragile lookups.",
                    if s == 0 { "certificate" } else { "key" },
                    data.len() / 2
                ),
                format!("Publish the SHA-256 digest instead: \"{u} {s} 1 <64 hex digits>\"."),
            )
        })
    });
}

/// TLSA-010: `3 0 1` / `3 0 2` (digest of the whole end-entity certificate).
pub(super) fn tlsa_010(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    per_record(rule, input, out, |u, s, m, _| {
        (u == 3 && s == 0 && matches!(m, 1 | 2)).then(|| {
            (
                format!(
                    "\"3 0 {m}\" pins the whole certificate, so the record breaks at every renewal even when the key is kept (e.g. every 90 days with automated certificates)."
                ),
                format!(
                    "Publish \"3 1 {m}\" (digest of the public key) instead, and reuse the key at renewal or roll it with a \"current + next\" record pair."
                ),
            )
        })
    });
}

/// TLSA-011: an RRset with a single record.
pub(super) fn tlsa_011(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    for (owner, set) in TlsaSets::of(input).iter() {
        let [only] = set else {
            continue;
        };
        out.push(
            rule.finding(
                input,
                owner,
                format!(
                    "The TLSA RRset at {owner} has a single record ({}); when the server's key or certificate changes, mail from DANE senders stops until DNS catches up.",
                    show(only)
                ),
                format!(
                    "Publish a second record at {owner}: \"3 1 1 <next key>\" (current + next) or \"2 1 1 <issuing CA key>\" (current + issuer), and change the served key only after the new record has been visible for two TTLs."
                ),
            )
            .at(only.origin),
        );
    }
}

/// TLSA-014: an RRset in which no record is usable by SMTP senders.
pub(super) fn tlsa_014(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    for (owner, set) in TlsaSets::of(input).iter() {
        if set.iter().any(|r| usable(r)) {
            continue;
        }
        let Some(first) = set.first() else {
            continue;
        };
        let forms: Vec<String> = set.iter().map(|r| show(r)).collect();
        out.push(
            rule.finding(
                input,
                owner,
                format!(
                    "No record of the TLSA RRset at {owner} ({}) is usable by SMTP senders (they need usage 2 or 3 with a valid selector, matching type and data); a signed but unusable RRset forces DANE senders to deliver without authentication.",
                    forms.join("; ")
                ),
                format!(
                    "Fix the records (e.g. \"3 1 1 <SHA-256 of the server's public key>\") or remove the RRset at {owner}."
                ),
            )
            .at(first.origin),
        );
    }
}
