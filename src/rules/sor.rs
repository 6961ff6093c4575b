//! SOR rules (rules.md). Each rule's Fail/Pass examples are its unit tests below.

use super::{Finding, Input, Needs, Raise, Rule, Severity};

/// The rules of this group, in catalogue order.
pub const RULES: &[Rule] = &[
    Rule {
        id: "SOR-001",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "A host published as an SOR must not appear as an exchange in the domain's MX RRset.",
        needs: Needs::Static,
        check: Some(sor_001),
        planned: None,
    },
    Rule {
        id: "SOR-002",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "An SOR must not be the implicit MX: when the domain has no MX, its own A/AAAA host is publicly referenced, so the SRV target may not be the domain itself or share its addresses on port 25.",
        needs: Needs::Static,
        check: Some(sor_002),
        planned: None,
    },
    Rule {
        id: "SOR-003",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "An SOR listener (address + SRV port) must not be the same socket as any MX host on port 25: one listener cannot both demand and not demand TLS for the same unauthenticated client.",
        needs: Needs::Static,
        check: Some(sor_003),
        planned: None,
    },
    Rule {
        id: "SOR-004",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "A Level 2 domain should still keep at least one BER in MX so that senders unaware of SecMX can deliver; a domain that deliberately accepts only secure mail must be declared as such in the tool.",
        needs: Needs::Static,
        check: Some(sor_004),
        planned: None,
    },
    Rule {
        id: "SOR-005",
        severity: Severity::Warning,
        raise: Raise::L2,
        title: "The SecMX SRV RRset is DNSSEC-signed (validates \"secure\"), otherwise a DNS attacker can redirect secure mail to a spoofed SOR.",
        needs: Needs::Dns,
        check: Some(super::live::sor_005),
        planned: None,
    },
    Rule {
        id: "SOR-006",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "Every host listed under the SecMX SRV label offers TLS (is an SOR or a BER); a target that only speaks plaintext defeats Level 2.",
        needs: Needs::Probe,
        check: None,
        planned: Some(4),
    },
    Rule {
        id: "SOR-007",
        severity: Severity::Info,
        raise: Raise::Never,
        title: "The tool's sender simulation follows SecMX: SecMX SRV targets first (priority/weight order), then MX hosts that prove to be BERs; a simulated SOS bounces when none completes TLS, a simulated BES falls back to plaintext MX delivery.",
        needs: Needs::Probe,
        check: None,
        planned: Some(4),
    },
];

// STUB: replace with the real check and its Fail/Pass tests.
fn sor_001(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn sor_002(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn sor_003(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn sor_004(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}
