//! SGE rules (rules.md). Each rule's Fail/Pass examples are its unit tests below.

use super::{Finding, Input, Needs, Raise, Rule, Severity};

/// The rules of this group, in catalogue order.
pub const RULES: &[Rule] = &[
    Rule {
        id: "SGE-001",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "Every MX host (and every SecMX SRV target) negotiates TLS 1.2 or newer and refuses TLS 1.0/1.1 and SSL.",
        needs: Needs::Probe,
        check: None,
        planned: Some(4),
    },
    Rule {
        id: "SGE-002",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "MTA-STS is published and the policy is in `enforce` mode, listing every MX host.",
        needs: Needs::Static,
        check: Some(sge_002),
        planned: None,
    },
    Rule {
        id: "SGE-003",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "TLS-RPT is published with at least one working `rua` destination.",
        needs: Needs::Static,
        check: Some(sge_003),
        planned: None,
    },
    Rule {
        id: "SGE-004",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "Exactly one SPF record exists, it needs no more than 10 DNS-querying terms, and it ends in hard fail `-all`.",
        needs: Needs::Static,
        check: Some(sge_004),
        planned: None,
    },
    Rule {
        id: "SGE-005",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "Outbound mail is DKIM-signed; every selector the agency uses publishes a valid key record (RSA keys of at least 1024 bits, 2048 recommended; no `rsa-sha1` signing).",
        needs: Needs::Dns,
        check: None,
        planned: Some(3),
    },
    Rule {
        id: "SGE-006",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "DMARC is published at `_dmarc.<domain>` with `p=reject`, applied to all mail (no `pct` below 100) and with an aggregate report (`rua`) destination.",
        needs: Needs::Static,
        check: Some(sge_006),
        planned: None,
    },
    Rule {
        id: "SGE-007",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "Strict identifier alignment (`adkim=s; aspf=s`) — reported as required by one secondary source only; treat as warning until confirmed.",
        needs: Needs::Static,
        check: Some(sge_007),
        planned: None,
    },
    Rule {
        id: "SGE-008",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "Subdomain policy is not weaker than the domain policy (`sp=` absent or `reject`).",
        needs: Needs::Static,
        check: Some(sge_008),
        planned: None,
    },
    Rule {
        id: "SGE-009",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "Domains that send no mail are locked down: `v=spf1 -all`, DMARC `p=reject`, and a null MX if they receive none either.",
        needs: Needs::Static,
        check: Some(sge_009),
        planned: None,
    },
    Rule {
        id: "SGE-010",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "MX certificates are publicly trusted and name the MX host, because `enforce` MTA-STS requires PKIX validation (PROBE-019/020/021 raised to error).",
        needs: Needs::Probe,
        check: None,
        planned: Some(4),
    },
];

// STUB: replace with the real check and its Fail/Pass tests.
fn sge_002(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn sge_003(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn sge_004(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn sge_006(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn sge_007(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn sge_008(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn sge_009(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}
