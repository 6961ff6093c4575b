//! NAME rules (rules.md). Each rule's Fail/Pass examples are its unit tests below.

use super::{Finding, Input, Needs, Raise, Rule, Severity};

/// The rules of this group, in catalogue order.
pub const RULES: &[Rule] = &[
    Rule {
        id: "NAME-001",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "Every label of every owner name and every target name is 1–63 octets long.",
        needs: Needs::Static,
        check: Some(name_001),
        planned: None,
    },
    Rule {
        id: "NAME-002",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "A whole name fits in 255 octets of wire format (≤ 253 characters written without the final dot).",
        needs: Needs::Static,
        check: Some(name_002),
        planned: None,
    },
    Rule {
        id: "NAME-003",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "Names used as relay hosts (MX exchange, SRV target, TLSA base name, `mta-sts` policy host) are LDH host names: letters, digits and hyphens only, no label starting or ending with a hyphen.",
        needs: Needs::Static,
        check: Some(name_003),
        planned: None,
    },
    Rule {
        id: "NAME-004",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "Underscore labels belong only in attribute owner names (`_mta-sts`, `_smtp._tls`, `_25._tcp`, `_secmx._tcp`, `_dmarc`, `_domainkey`) and never appear in a host name used as a record target.",
        needs: Needs::Static,
        check: Some(name_004),
        planned: None,
    },
    Rule {
        id: "NAME-005",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "A relay name whose last label is all digits (it reads like an IPv4 address) is almost certainly a mistake.",
        needs: Needs::Static,
        check: Some(name_005),
        planned: None,
    },
    Rule {
        id: "NAME-006",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "Internationalised names are stored as A-labels (`xn--…`) everywhere in DNS data and policies; U-labels (raw Unicode) are never valid in zone data, TLSA base names or MTA-STS `mx` lines.",
        needs: Needs::Static,
        check: Some(name_006),
        planned: None,
    },
    Rule {
        id: "NAME-007",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "A label starting `xn--` must decode to a valid U-label (error); any other label with hyphens in positions 3–4 is a reserved form and is flagged (warning).",
        needs: Needs::Static,
        check: Some(name_007),
        planned: None,
    },
    Rule {
        id: "NAME-008",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "A target written without the final dot in zone-file syntax is relative to `$ORIGIN`; a resulting doubled origin (`mx1.agency.example.agency.example.`) is treated as a typing error.",
        needs: Needs::Static,
        check: Some(name_008),
        planned: None,
    },
    Rule {
        id: "NAME-009",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "TTL values lie in 0–2147483647 seconds.",
        needs: Needs::Static,
        check: Some(name_009),
        planned: None,
    },
    Rule {
        id: "NAME-010",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "Each TXT character-string is at most 255 octets; longer policy texts are split into several strings, which readers join with no separator.",
        needs: Needs::Static,
        check: Some(name_010),
        planned: None,
    },
    Rule {
        id: "NAME-011",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "A name that owns a CNAME owns nothing else (no TXT, MX, SRV, TLSA beside it).",
        needs: Needs::Static,
        check: Some(name_011),
        planned: None,
    },
    Rule {
        id: "NAME-012",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "An SRV service label follows RFC 6335: `_` + 1–15 chars, letters/digits/hyphens, at least one letter, no leading/trailing/adjacent hyphens; the protocol label for SMTP is `_tcp`.",
        needs: Needs::Static,
        check: Some(name_012),
        planned: None,
    },
    Rule {
        id: "NAME-013",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "A TLSA owner begins with the port in decimal without leading zeros, then the transport label.",
        needs: Needs::Static,
        check: Some(name_013),
        planned: None,
    },
];

// STUB: replace with the real check and its Fail/Pass tests.
fn name_001(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn name_002(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn name_003(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn name_004(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn name_005(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn name_006(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn name_007(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn name_008(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn name_009(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn name_010(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn name_011(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn name_012(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn name_013(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}
