//! MX rules (rules.md). Each rule's Fail/Pass examples are its unit tests below.

use super::{Finding, Input, Needs, Raise, Rule, Severity};

/// The rules of this group, in catalogue order.
pub const RULES: &[Rule] = &[
    Rule {
        id: "MX-001",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "The MX exchange is a host name, never an IPv4/IPv6 address.",
        needs: Needs::Static,
        check: Some(mx_001),
        planned: None,
    },
    Rule {
        id: "MX-002",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "The MX exchange must not be an alias (CNAME); DANE-aware senders also stop applying DANE through it.",
        needs: Needs::Static,
        check: Some(mx_002),
        planned: None,
    },
    Rule {
        id: "MX-003",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "Every MX exchange resolves to at least one A or AAAA record.",
        needs: Needs::Dns,
        check: Some(super::live::mx_003),
        planned: None,
    },
    Rule {
        id: "MX-004",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "MX preference is a 16-bit unsigned integer (0–65535).",
        needs: Needs::Static,
        check: Some(mx_004),
        planned: None,
    },
    Rule {
        id: "MX-005",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "MX host addresses are publicly routable: not loopback, RFC 1918 private, link-local, unspecified or documentation space (allowed only when the user marks the domain as a test domain).",
        needs: Needs::Static,
        check: Some(mx_005),
        planned: None,
    },
    Rule {
        id: "MX-006",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "MX targets under special-use TLDs (`.invalid`, `.localhost`, `.test`, `.example`) cannot be reached on the public Internet.",
        needs: Needs::Static,
        check: Some(mx_006),
        planned: None,
    },
    Rule {
        id: "MX-007",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "A domain with no MX but with A/AAAA gets an \"implicit MX\" (its own address at preference 0); for SecMX publish an explicit BER MX, or a null MX if it takes no mail.",
        needs: Needs::Static,
        check: Some(mx_007),
        planned: None,
    },
    Rule {
        id: "MX-008",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "In Level 1 every MX host is a BER: it offers STARTTLS and still accepts mail without TLS (tested live by PROBE-005 and PROBE-010).",
        needs: Needs::Probe,
        check: None,
        planned: Some(4),
    },
];

// STUB: replace with the real check and its Fail/Pass tests.
fn mx_001(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn mx_002(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn mx_004(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn mx_005(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn mx_006(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn mx_007(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}
