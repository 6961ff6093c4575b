//! NMX rules (rules.md). Each rule's Fail/Pass examples are its unit tests below.

use super::{Finding, Input, Needs, Raise, Rule, Severity};

/// The rules of this group, in catalogue order.
pub const RULES: &[Rule] = &[
    Rule {
        id: "NMX-001",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "A null MX is exactly one MX record with preference 0 and a root (\".\") exchange.",
        needs: Needs::Static,
        check: Some(nmx_001),
        planned: None,
    },
    Rule {
        id: "NMX-002",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "A null MX never shares the RRset with any other MX record.",
        needs: Needs::Static,
        check: Some(nmx_002),
        planned: None,
    },
    Rule {
        id: "NMX-003",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "Malformed null-MX spellings are rejected by the builder: `MX 0.` (missing space), `MX 0 \".\"`, `MX 0 @`, or an empty exchange produced by a provider UI.",
        needs: Needs::Static,
        check: Some(nmx_003),
        planned: None,
    },
    Rule {
        id: "NMX-004",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "A domain that publishes null MX should not be used as a mail sender; publish `v=spf1 -all` (and DMARC `p=reject`).",
        needs: Needs::Static,
        check: Some(nmx_004),
        planned: None,
    },
    Rule {
        id: "NMX-005",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "Null MX contradicts any receiving-side policy for the same domain (SecMX SRV, MTA-STS, TLS-RPT, TLSA under its MX names).",
        needs: Needs::Static,
        check: Some(nmx_005),
        planned: None,
    },
];

// STUB: replace with the real check and its Fail/Pass tests.
fn nmx_001(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn nmx_002(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn nmx_003(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn nmx_004(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn nmx_005(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}
