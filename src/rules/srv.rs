//! SRV rules (rules.md). Each rule's Fail/Pass examples are its unit tests below.

use super::{Finding, Input, Needs, Raise, Rule, Severity};

/// The rules of this group, in catalogue order.
pub const RULES: &[Rule] = &[
    Rule {
        id: "SRV-001",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "The SRV owner is `_<service>._tcp.<mail-domain>`; SMTP relays are TCP services.",
        needs: Needs::Static,
        check: Some(srv_001),
        planned: None,
    },
    Rule {
        id: "SRV-002",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "Priority and weight are each 16-bit unsigned integers (0–65535).",
        needs: Needs::Static,
        check: Some(srv_002),
        planned: None,
    },
    Rule {
        id: "SRV-003",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "The port is 1–65535 for a real target; port 0 is only meaningful together with the \".\" target.",
        needs: Needs::Static,
        check: Some(srv_003),
        planned: None,
    },
    Rule {
        id: "SRV-004",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "The SRV target is a host name, not an address literal.",
        needs: Needs::Static,
        check: Some(srv_004),
        planned: None,
    },
    Rule {
        id: "SRV-005",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "The SRV target is not an alias (CNAME).",
        needs: Needs::Static,
        check: Some(srv_005),
        planned: None,
    },
    Rule {
        id: "SRV-006",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "Every SRV target owns at least one A or AAAA record.",
        needs: Needs::Dns,
        check: Some(super::live::srv_006),
        planned: None,
    },
    Rule {
        id: "SRV-007",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "A \".\" target is valid only when it is the single record of the RRset; mixing \".\" with real targets is ambiguous and rejected.",
        needs: Needs::Static,
        check: Some(srv_007),
        planned: None,
    },
    Rule {
        id: "SRV-008",
        severity: Severity::Info,
        raise: Raise::Never,
        title: "Inside one priority, weight-0 targets mixed with positive weights are rarely chosen; use all-zero weights when no load split is intended.",
        needs: Needs::Static,
        check: Some(srv_008),
        planned: None,
    },
    Rule {
        id: "SRV-009",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "For SMTP relay service the port should be 25 (STARTTLS) or 465 (implicit TLS); any other port is reported because many networks block it and senders cannot guess the TLS mode.",
        needs: Needs::Static,
        check: Some(srv_009),
        planned: None,
    },
    Rule {
        id: "SRV-010",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "Client-submission service labels (`_submission`, `_submissions`, `_smtps`) and `_smtp` are not SecMX relay discovery; records found there are not treated as SORs.",
        needs: Needs::Static,
        check: Some(srv_010),
        planned: None,
    },
];

// STUB: replace with the real check and its Fail/Pass tests.
fn srv_001(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn srv_002(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn srv_003(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn srv_004(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn srv_005(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn srv_007(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn srv_008(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn srv_009(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn srv_010(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}
