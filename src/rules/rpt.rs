//! RPT rules (rules.md). Each rule's Fail/Pass examples are its unit tests below.

use super::{Finding, Input, Needs, Raise, Rule, Severity};

/// The rules of this group, in catalogue order.
pub const RULES: &[Rule] = &[
    Rule {
        id: "RPT-001",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "Exactly one TXT record at `_smtp._tls.<domain>` starts with `v=TLSRPTv1`; otherwise senders assume no reporting.",
        needs: Needs::Static,
        check: Some(rpt_001),
        planned: None,
    },
    Rule {
        id: "RPT-002",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "`v=TLSRPTv1` is the first field and an `rua=` field is present.",
        needs: Needs::Static,
        check: Some(rpt_002),
        planned: None,
    },
    Rule {
        id: "RPT-003",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "Every `rua` destination is a `mailto:` or `https:` URI; a bare address is invalid.",
        needs: Needs::Static,
        check: Some(rpt_003),
        planned: None,
    },
    Rule {
        id: "RPT-004",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "Several URIs are comma-separated (optional spaces around the comma); a literal `,`, `!` or `;` inside one URI must be percent-encoded. Reporters may pick any one URI, so every listed destination must work; unknown extension fields are ignored.",
        needs: Needs::Static,
        check: Some(rpt_004),
        planned: None,
    },
    Rule {
        id: "RPT-005",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "An `https:` destination is an absolute URI with a resolvable host and a valid certificate (reporters may skip certificate checks, but a broken endpoint loses reports).",
        needs: Needs::Static,
        check: Some(rpt_005),
        planned: None,
    },
    Rule {
        id: "RPT-006",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "Whitespace before the first `;` is ABNF-valid but fails the literal `v=TLSRPTv1;` prefix test used for filtering; write `v=TLSRPTv1;`.",
        needs: Needs::Static,
        check: Some(rpt_006),
        planned: None,
    },
    Rule {
        id: "RPT-007",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "The record sits at `_smtp._tls.<domain>`; look-alike names (`_tlsrpt.<domain>`, `_smtp-tls.<domain>`, `_smtp._tls` put at the apex TXT) are never queried.",
        needs: Needs::Static,
        check: Some(rpt_007),
        planned: None,
    },
];

// STUB: replace with the real check and its Fail/Pass tests.
fn rpt_001(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn rpt_002(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn rpt_003(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn rpt_004(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn rpt_005(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn rpt_006(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn rpt_007(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}
