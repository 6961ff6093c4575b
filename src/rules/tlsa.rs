//! TLSA rules (rules.md). Each rule's Fail/Pass examples are its unit tests below.

use super::{Finding, Input, Needs, Raise, Rule, Severity};

/// The rules of this group, in catalogue order.
pub const RULES: &[Rule] = &[
    Rule {
        id: "TLSA-001",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "TLSA records for an SMTP relay live at `_<port>._tcp.<relay-host>`: `_25._tcp.<mx-host>` for MX hosts, `_<srv-port>._tcp.<srv-target>` for SecMX SRV targets — at the host name, not the mail domain.",
        needs: Needs::Static,
        check: Some(tlsa_001),
        planned: None,
    },
    Rule {
        id: "TLSA-002",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "Certificate usage is 0–3 (255 = private use); other values make the record unusable.",
        needs: Needs::Static,
        check: Some(tlsa_002),
        planned: None,
    },
    Rule {
        id: "TLSA-003",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "Selector is 0 (full certificate) or 1 (SubjectPublicKeyInfo) (255 = private).",
        needs: Needs::Static,
        check: Some(tlsa_003),
        planned: None,
    },
    Rule {
        id: "TLSA-004",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "Matching type is 0 (exact), 1 (SHA-256) or 2 (SHA-512) (255 = private).",
        needs: Needs::Static,
        check: Some(tlsa_004),
        planned: None,
    },
    Rule {
        id: "TLSA-005",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "Association data is hexadecimal of the right size: 32 bytes (64 hex) for type 1, 64 bytes (128 hex) for type 2, a parseable DER certificate/SPKI for type 0.",
        needs: Needs::Static,
        check: Some(tlsa_005),
        planned: None,
    },
    Rule {
        id: "TLSA-006",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "PKIX-TA(0) and PKIX-EE(1) records are not used by SMTP senders and should not be published for port 25 / SecMX relays.",
        needs: Needs::Static,
        check: Some(tlsa_006),
        planned: None,
    },
    Rule {
        id: "TLSA-007",
        severity: Severity::Info,
        raise: Raise::Never,
        title: "Preferred forms: `3 1 1` (server key) as primary; `2 1 1` (an issuing CA's key) as the companion or alternative.",
        needs: Needs::Static,
        check: Some(tlsa_007),
        planned: None,
    },
    Rule {
        id: "TLSA-008",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "Do not publish SHA-512 (type 2) digests alone; SHA-256 is the mandatory-to-implement digest.",
        needs: Needs::Static,
        check: Some(tlsa_008),
        planned: None,
    },
    Rule {
        id: "TLSA-009",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "Avoid matching type 0 (full data in DNS): large RRsets cause truncation and fragile lookups.",
        needs: Needs::Static,
        check: Some(tlsa_009),
        planned: None,
    },
    Rule {
        id: "TLSA-010",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "`3 0 1` / `3 0 2` records (hash of the whole certificate) break at every renewal, even when the key is kept; prefer `3 1 1` with key reuse or a planned key roll.",
        needs: Needs::Static,
        check: Some(tlsa_010),
        planned: None,
    },
    Rule {
        id: "TLSA-011",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "Publish at least two records so a rollover never leaves a gap: \"current + next\" (`3 1 1` ×2) or \"current + issuer\" (`3 1 1` + `2 1 1`); change the served key only after the new record has been visible for two TTLs on all name servers.",
        needs: Needs::Static,
        check: Some(tlsa_011),
        planned: None,
    },
    Rule {
        id: "TLSA-012",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "The TLSA RRset validates as DNSSEC \"secure\"; records in unsigned or bogus zones are ignored or cause delivery failure.",
        needs: Needs::Dns,
        check: Some(super::live::tlsa_012),
        planned: None,
    },
    Rule {
        id: "TLSA-013",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "TLSA queries (and queries for names without TLSA) return NOERROR or a correctly signed NXDOMAIN/NODATA on every authoritative server; SERVFAIL, NOTIMP, REFUSED or time-outs make DANE senders defer mail.",
        needs: Needs::Dns,
        check: Some(super::live::tlsa_013),
        planned: None,
    },
    Rule {
        id: "TLSA-014",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "A secure TLSA RRset in which no record is usable forces senders to use TLS without authentication; fix or remove it.",
        needs: Needs::Static,
        check: Some(tlsa_014),
        planned: None,
    },
    Rule {
        id: "TLSA-015",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "A server with both RSA and ECDSA certificates needs matching TLSA records for each key, because different senders negotiate different keys.",
        needs: Needs::Static,
        check: Some(tlsa_015),
        planned: None,
    },
    Rule {
        id: "TLSA-016",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "TLSA records are applied only when the relay host's A/AAAA RRsets validate as secure; TLSA behind an insecure address lookup (e.g. an out-of-zone host in an unsigned zone) is dead weight.",
        needs: Needs::Dns,
        check: Some(super::live::tlsa_016),
        planned: None,
    },
];

// STUB: replace with the real check and its Fail/Pass tests.
fn tlsa_001(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn tlsa_002(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn tlsa_003(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn tlsa_004(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn tlsa_005(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn tlsa_006(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn tlsa_007(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn tlsa_008(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn tlsa_009(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn tlsa_010(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn tlsa_011(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn tlsa_014(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn tlsa_015(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}
