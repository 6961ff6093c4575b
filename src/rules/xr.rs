//! XR rules (rules.md). Each rule's Fail/Pass examples are its unit tests below.

use super::{Finding, Input, Needs, Raise, Rule, Severity};

/// The rules of this group, in catalogue order.
pub const RULES: &[Rule] = &[
    Rule {
        id: "XR-001",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "All records of one RRset (same owner, class, type) carry the same TTL.",
        needs: Needs::Static,
        check: Some(xr_001),
        planned: None,
    },
    Rule {
        id: "XR-002",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "Every MX exchange matches at least one `mx` pattern of the MTA-STS policy.",
        needs: Needs::Static,
        check: Some(xr_002),
        planned: None,
    },
    Rule {
        id: "XR-003",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "An MTA-STS `mx` pattern that matches no current MX host is stale (often a migrated provider).",
        needs: Needs::Static,
        check: Some(xr_003),
        planned: None,
    },
    Rule {
        id: "XR-004",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "If any MX host has TLSA records, all MX hosts (including backups) should have them; otherwise a downgrade to the unprotected host is possible.",
        needs: Needs::Static,
        check: Some(xr_004),
        planned: None,
    },
    Rule {
        id: "XR-005",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "When DANE is claimed, every SecMX SRV target has TLSA at `_<srv-port>._tcp.<target>`.",
        needs: Needs::Static,
        check: Some(xr_005),
        planned: None,
    },
    Rule {
        id: "XR-006",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "TLSA records only count when the TLSA RRset and the relay host's address RRsets validate as DNSSEC-secure.",
        needs: Needs::Dns,
        check: Some(super::live::xr_006),
        planned: None,
    },
    Rule {
        id: "XR-007",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "For full downgrade resistance the MX RRset (and SecMX SRV RRset) is itself DNSSEC-signed.",
        needs: Needs::Dns,
        check: Some(super::live::xr_007),
        planned: None,
    },
    Rule {
        id: "XR-008",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "When both MTA-STS and DANE are published, the MX certificate must pass both: PKIX-valid for the MX name and matched by a TLSA record; MTA-STS never rescues a DANE failure.",
        needs: Needs::Probe,
        check: None,
        planned: Some(4),
    },
    Rule {
        id: "XR-009",
        severity: Severity::Warning,
        raise: Raise::Sge,
        title: "A domain that deploys MTA-STS or DANE also publishes TLS-RPT, so failures become visible.",
        needs: Needs::Static,
        check: Some(xr_009),
        planned: None,
    },
    Rule {
        id: "XR-010",
        severity: Severity::Info,
        raise: Raise::Never,
        title: "For DANE failures the reporting domain is the TLSA base domain (the MX host), so a TLS-RPT record at `_smtp._tls.<mx-host>` is advised when DANE is used.",
        needs: Needs::Static,
        check: Some(xr_010),
        planned: None,
    },
    Rule {
        id: "XR-011",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "Every `mailto:` TLS-RPT destination is deliverable: its domain has MX (or address) records and no null MX.",
        needs: Needs::Dns,
        check: Some(super::live::xr_011),
        planned: None,
    },
    Rule {
        id: "XR-012",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "A policy name (`_mta-sts`, `_smtp._tls`, `_dmarc`) never carries a TXT and a CNAME at the same time; which one a sender sees then depends on its resolver.",
        needs: Needs::Static,
        check: Some(xr_012),
        planned: None,
    },
    Rule {
        id: "XR-013",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "Lower-preference (backup) MX hosts meet the same STARTTLS, certificate, MTA-STS and DANE requirements as the primary; their faults stay hidden until the primary fails.",
        needs: Needs::Static,
        check: Some(xr_013),
        planned: None,
    },
    Rule {
        id: "XR-014",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "Equal-preference MX hosts share the same TLS posture, because senders pick among them at random.",
        needs: Needs::Static,
        check: Some(xr_014),
        planned: None,
    },
    Rule {
        id: "XR-015",
        severity: Severity::Error,
        raise: Raise::Never,
        title: "Each mail-receiving (sub)domain publishes its own MTA-STS TXT record and policy host; senders never inherit a parent domain's policy.",
        needs: Needs::Static,
        check: Some(xr_015),
        planned: None,
    },
    Rule {
        id: "XR-016",
        severity: Severity::Info,
        raise: Raise::Never,
        title: "MTA-STS covers MX hosts only; SecMX SRV targets are outside its scope. The tool recommends PKIX-valid certificates for SORs anyway and, if they are also MX-capable names, listing them in `mx` patterns.",
        needs: Needs::Static,
        check: Some(xr_016),
        planned: None,
    },
    Rule {
        id: "XR-017",
        severity: Severity::Warning,
        raise: Raise::Never,
        title: "If REQUIRETLS traffic is expected, the MX RRset must be DNSSEC-signed or covered by an MTA-STS policy, because a REQUIRETLS sender refuses unprotected MX answers.",
        needs: Needs::Dns,
        check: None,
        planned: Some(3),
    },
];

// STUB: replace with the real check and its Fail/Pass tests.
fn xr_001(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn xr_002(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn xr_003(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn xr_004(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn xr_005(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn xr_009(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn xr_010(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn xr_012(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn xr_013(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn xr_014(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn xr_015(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}

// STUB: replace with the real check and its Fail/Pass tests.
fn xr_016(_rule: &Rule, _input: &Input<'_>, _out: &mut Vec<Finding>) {}
