//! STS rules (rules.md). Each rule's Fail/Pass examples are its unit tests below.

use super::{Finding, Input, Needs, Raise, Rule, Severity};

/// The rules of this group, in catalogue order.
pub const RULES: &[Rule] = &[
    Rule {
        id: "STS-001",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "Exactly one TXT record at `_mta-sts.<domain>` starts with `v=STSv1`; zero or several such records mean \"no policy\".",
        needs: Needs::Static,
        check: Some(sts_001),
        planned: None,
    },
    Rule {
        id: "STS-002",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "`v=STSv1` is the first field of the record (exact case).",
        needs: Needs::Static,
        check: Some(sts_002),
        planned: None,
    },
    Rule {
        id: "STS-003",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "An `id` field is present and holds 1–32 ASCII letters or digits only (no `-`, `.`, `:`, `+`, `/`, `=`; not empty).",
        needs: Needs::Static,
        check: Some(sts_003),
        planned: None,
    },
    Rule {
        id: "STS-004",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "Fields are separated by `;` with optional spaces/tabs; extension fields are `name=value` with the characters the ABNF allows; a trailing `;` is optional.",
        needs: Needs::Static,
        check: Some(sts_004),
        planned: None,
    },
    Rule {
        id: "STS-005",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "Whitespace before the first `;` (`\"v=STSv1 ; id=1\"`) fits the ABNF but fails the literal `v=STSv1;` prefix test some senders apply; write `v=STSv1;`.",
        needs: Needs::Static,
        check: Some(sts_005),
        planned: None,
    },
    Rule {
        id: "STS-006",
        severity: Severity::Info,
        raise: Raise::Never,
        title: "`_mta-sts` may be a CNAME to a provider's TXT record (policy delegation); the tool follows it and validates the target.",
        needs: Needs::Static,
        check: Some(sts_006),
        planned: None,
    },
    Rule {
        id: "STS-007",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "`mta-sts.<domain>` resolves and serves HTTPS whose certificate is valid for that exact name (SAN DNS-ID; a wildcard only as the whole left-most label), unexpired and chained to a publicly trusted CA; a delegated host still needs a certificate for the customer's `mta-sts` name.",
        needs: Needs::Probe,
        check: None,
        planned: Some(4),
    },
    Rule {
        id: "STS-008",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "The policy URL answers 200 directly; 3xx redirects are not followed by senders and count as failure.",
        needs: Needs::Probe,
        check: None,
        planned: Some(4),
    },
    Rule {
        id: "STS-009",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "The policy is served as `text/plain` (charset utf-8 or us-ascii, other parameters ignored).",
        needs: Needs::Probe,
        check: None,
        planned: Some(4),
    },
    Rule {
        id: "STS-010",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "The policy body stays within 64 KiB and is returned well inside one minute.",
        needs: Needs::Probe,
        check: None,
        planned: Some(4),
    },
    Rule {
        id: "STS-011",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "`version: STSv1` is present.",
        needs: Needs::Static,
        check: Some(sts_011),
        planned: None,
    },
    Rule {
        id: "STS-012",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "`mode` is present and is exactly `enforce`, `testing` or `none` (lower case).",
        needs: Needs::Static,
        check: Some(sts_012),
        planned: None,
    },
    Rule {
        id: "STS-013",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "`max_age` is present, has 1–10 decimal digits and is at most 31557600 seconds.",
        needs: Needs::Static,
        check: Some(sts_013),
        planned: None,
    },
    Rule {
        id: "STS-014",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "With `mode: enforce` or `testing`, `max_age` below one week (604800) gives little protection against refresh-time attacks; weeks or more is advised (short values are right only for the removal workflow, STS-022).",
        needs: Needs::Static,
        check: Some(sts_014),
        planned: None,
    },
    Rule {
        id: "STS-015",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "At least one `mx:` line exists unless `mode: none`.",
        needs: Needs::Static,
        check: Some(sts_015),
        planned: None,
    },
    Rule {
        id: "STS-016",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "Each `mx` value is a host name or `*.` + host name: the wildcard stands for exactly one whole left-most label; IP addresses, ports, URLs, trailing dots and comments are invalid.",
        needs: Needs::Static,
        check: Some(sts_016),
        planned: None,
    },
    Rule {
        id: "STS-017",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "Pattern matching follows RFC 8461: `*.agency.example` matches `mx1.agency.example` but neither `agency.example` nor `a.b.agency.example`; comparison is case-insensitive; IDNs are compared as A-labels.",
        needs: Needs::Static,
        check: Some(sts_017),
        planned: None,
    },
    Rule {
        id: "STS-018",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "One key/value pair per line; each MX pattern has its own `mx:` line; lines may end in LF or CRLF.",
        needs: Needs::Static,
        check: Some(sts_018),
        planned: None,
    },
    Rule {
        id: "STS-019",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "A repeated non-`mx` field (second `mode:` etc.) is ignored by senders; only the first counts, which usually hides an editing error.",
        needs: Needs::Static,
        check: Some(sts_019),
        planned: None,
    },
    Rule {
        id: "STS-020",
        severity: Severity::Warning,
        raise: Raise::Sge,
        title: "`mode: testing` does not protect delivery (senders only report); plan the move to `enforce`.",
        needs: Needs::Static,
        check: Some(sts_020),
        planned: None,
    },
    Rule {
        id: "STS-021",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "The TXT `id` changes whenever the policy body changes, and the HTTPS body is updated before the TXT record; the builder bumps `id` automatically and keeps a history to detect \"body changed, id unchanged\".",
        needs: Needs::Static,
        check: Some(sts_021),
        planned: None,
    },
    Rule {
        id: "STS-022",
        severity: Severity::Info,
        raise: Raise::Never,
        title: "To retire MTA-STS: publish `mode: none` with a short `max_age`, bump `id`, wait out the longest previously served `max_age`, then delete the TXT and the HTTPS endpoint.",
        needs: Needs::Static,
        check: Some(sts_022),
        planned: None,
    },
    Rule {
        id: "STS-023",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "A broad wildcard pattern such as `*.agency.example` lets any host in the zone with a valid CA certificate pass as an MX; list exact hosts where possible.",
        needs: Needs::Static,
        check: Some(sts_023),
        planned: None,
    },
];

// STUB: replace with the real check and its Fail/Pass tests.
fn sts_001(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn sts_002(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn sts_003(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn sts_004(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn sts_005(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn sts_006(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn sts_011(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn sts_012(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn sts_013(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn sts_014(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn sts_015(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn sts_016(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn sts_017(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn sts_018(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn sts_019(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn sts_020(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn sts_021(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn sts_022(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn sts_023(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}
