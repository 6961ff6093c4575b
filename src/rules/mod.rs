//! The rule engine: every rule of the catalogue (`rules::catalogue`, printed by `secmx rules` and `secmx explain`), one file per group, one registry.
//!
//! A rule is a pure function over an [`Input`] — the records to judge plus what the design says about
//! them (roles, level, profile, the MTA-STS policy text) — that pushes [`Finding`]s. Rules that need DNS
//! answers or live connections are registered too, with [`Rule::check`] = `None` and the issue that
//! brings them, so `secmx lint --list-rules` is generated from this registry and never drifts from
//! the code. Later issues plug their checks into the same registry through the same `Input` (its
//! `live` facts), not a second system.

pub mod catalogue;
mod common;
pub mod dkim;
mod facts;
pub mod live;
pub mod live_probe;
pub mod mx;
pub mod name;
pub mod nmx;
pub mod probe;
pub mod probe_judge;
pub mod relays;
pub mod rollover;
pub mod rpt;
pub mod sge;
pub mod sor;
pub mod srv;
pub mod sts;
pub mod sts_fetch;
pub mod tlsa;
pub mod wire;
pub mod xr;

#[cfg(test)]
mod snapshots;
#[cfg(test)]
pub(crate) mod testkit;

use crate::model::{Design, Level, Origin, Profile, RecordSet, Relay, Role};
pub use facts::Facts;
use serde::{Deserialize, Serialize};
use std::fmt;

/// How bad a finding is (the crate's one severity type, defined in [`crate::model`]).
pub use crate::model::Severity;

/// When a rule's base severity is raised to error (`warning→error(SGE)` etc. in the catalogue).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Raise {
    /// Never raised.
    Never,
    /// Raised under the SGE profile.
    Sge,
    /// Raised for Level 2 domains.
    L2,
}

/// What a rule needs to be judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Needs {
    /// The design (or any record set) alone.
    Static,
    /// Live DNS answers (issue #3).
    Dns,
    /// Live connections to relays or the MTA-STS policy host (issue #4).
    Probe,
}

/// Signature of a rule's check.
pub type CheckFn = fn(&Rule, &Facts<'_>, &mut Vec<Finding>);

/// One catalogue entry.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// Rule id, e.g. `MX-002`.
    pub id: &'static str,
    /// Base severity (the first one the catalogue names).
    pub severity: Severity,
    /// When it is raised to error.
    pub raise: Raise,
    /// One-line statement of the rule.
    pub title: &'static str,
    /// What it needs.
    pub needs: Needs,
    /// The check; `None` while the rule is not implemented yet.
    pub check: Option<CheckFn>,
    /// The issue that brings the rule when it is not implemented yet.
    pub planned: Option<u32>,
}

impl Rule {
    /// A static rule (judged over the records alone) that is never raised; chain
    /// [`raise`](Self::raise) and [`needs`](Self::needs) for the others.
    pub const fn new(
        id: &'static str,
        severity: Severity,
        title: &'static str,
        check: CheckFn,
    ) -> Self {
        Rule {
            id,
            severity,
            raise: Raise::Never,
            title,
            needs: Needs::Static,
            check: Some(check),
            planned: None,
        }
    }

    /// When the severity is raised to error.
    pub const fn raise(mut self, raise: Raise) -> Self {
        self.raise = raise;
        self
    }

    /// What the rule needs to be judged (DNS answers, live probes).
    pub const fn needs(mut self, needs: Needs) -> Self {
        self.needs = needs;
        self
    }

    /// The severity for this input: the base one, raised when the profile or level says so.
    pub fn severity_for(&self, input: &Input<'_>) -> Severity {
        let raised = match self.raise {
            Raise::Never => false,
            Raise::Sge => input.profile == Profile::Sge,
            Raise::L2 => input.level == Level::L2,
        };
        if raised {
            Severity::Error
        } else {
            self.severity
        }
    }

    /// A finding of this rule at its severity for `input`.
    pub fn finding(
        &self,
        input: &Input<'_>,
        subject: impl Into<String>,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Finding {
        Finding {
            rule: self.id,
            severity: self.severity_for(input),
            subject: subject.into(),
            message: message.into(),
            fix: fix.into(),
            origin: None,
            source: Source::of_needs(self.needs),
        }
    }
}

/// Where a finding comes from: the design's own records, what DNS publishes, or a live probe.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// The design (static rules over the records the design renders).
    #[default]
    Design,
    /// What DNS publishes now (live DNS rules, and static rules judged over the published records).
    Published,
    /// A live connection to a relay or to the MTA-STS policy host.
    Probe,
}

impl Source {
    /// The source of a rule's findings by what the rule needs (static rules judged over published
    /// records are re-marked [`Source::Published`] by the live pipeline).
    pub fn of_needs(needs: Needs) -> Self {
        match needs {
            Needs::Static => Source::Design,
            Needs::Dns => Source::Published,
            Needs::Probe => Source::Probe,
        }
    }

    /// The word shown in reports and the window.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Design => "design",
            Source::Published => "published",
            Source::Probe => "probe",
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// One result of one rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Rule id.
    pub rule: &'static str,
    /// Severity after profile raising.
    pub severity: Severity,
    /// What it is about: a name, a record, a relay host.
    pub subject: String,
    /// What is wrong (or, for info, the fact).
    pub message: String,
    /// What to do about it.
    pub fix: String,
    /// The design field the finding is about, where known (the GUI focuses it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
    /// Where it comes from (design / published / probe).
    pub source: Source,
}

impl Finding {
    /// Point the finding at a design field.
    pub fn at(mut self, origin: Origin) -> Self {
        if origin != Origin::External {
            self.origin = Some(origin);
        }
        self
    }

    /// Override the severity (for rules whose severity depends on the case, e.g. NAME-007).
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }
}

/// Options that change how rules judge.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Test domain: private/documentation addresses and special-use TLDs are fine (MX-005, MX-006).
    pub test_domain: bool,
    /// The domain deliberately takes only secure mail (SOR-004).
    pub secure_only: bool,
}

/// Everything a rule may look at.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// The mail domain, normalised (no trailing dot).
    pub domain: &'a str,
    /// SecMX level.
    pub level: Level,
    /// Profile.
    pub profile: Profile,
    /// SRV service label, e.g. `_secmx`.
    pub srv_label: &'a str,
    /// The design's relays with their roles; empty when judging records without a design.
    pub relays: &'a [Relay],
    /// The records to judge.
    pub records: &'a RecordSet,
    /// The MTA-STS policy file text, when there is one (designed or fetched).
    pub sts_policy: Option<&'a str>,
    /// The SHA-256 (hex) of the policy text the current `id` was issued for (STS-021 history).
    pub sts_policy_issued_for: Option<&'a str>,
    /// Judging options.
    pub options: Options,
    /// What DNS publishes now, when it was asked (the live rules judge it; `None` offline).
    pub live: Option<&'a crate::model::published::Published>,
    /// What the live relay probes found (issue #4); `None` when nothing was probed.
    pub probes: Option<&'a crate::model::probe_facts::ProbeFacts>,
    /// The DKIM selectors the design names (SGE-005); empty without a design.
    pub dkim_selectors: &'a [String],
}

impl<'a> Input<'a> {
    /// The SecMX SRV owner name.
    pub fn srv_owner(&self) -> String {
        format!("{}._tcp.{}", self.srv_label, self.domain)
    }

    /// The design role of a host, if the design names it (SOR wins when a host is listed twice).
    pub fn role_of(&self, host: &str) -> Option<Role> {
        let mut role = None;
        for r in self.relays.iter().filter(|r| r.host == host) {
            if r.role == Role::Sor {
                return Some(Role::Sor);
            }
            role = Some(r.role);
        }
        role
    }
}

/// Everything the static rules need from a design: the rendered records and the policy text.
pub struct Prepared {
    /// The records the design renders to.
    pub records: RecordSet,
    /// The MTA-STS policy text, if the design deploys MTA-STS.
    pub sts_policy: Option<String>,
}

impl Prepared {
    /// Render a design for judging.
    pub fn from_design(design: &Design) -> Self {
        Prepared {
            records: crate::model::render::records_of(design),
            sts_policy: design
                .mta_sts
                .as_ref()
                .map(|_| crate::model::render::sts_policy_text(design)),
        }
    }

    /// The rule input for this design.
    pub fn input<'a>(&'a self, design: &'a Design) -> Input<'a> {
        Input {
            domain: design.domain.as_str(),
            level: design.level,
            profile: design.profile,
            srv_label: &design.srv_label,
            relays: &design.relays,
            records: &self.records,
            sts_policy: self.sts_policy.as_deref(),
            // The history only matters for an id set by hand; a derived id follows the text.
            sts_policy_issued_for: design
                .mta_sts
                .as_ref()
                .and_then(|s| s.id.as_ref().and(s.policy_sha256.as_deref())),
            options: Options {
                test_domain: design.test_domain,
                secure_only: design.secure_only,
            },
            live: None,
            probes: None,
            dkim_selectors: design
                .sge
                .as_ref()
                .map_or(&[][..], |s| s.dkim_selectors.as_slice()),
        }
    }
}

/// Every rule of the catalogue, in catalogue order.
pub fn registry() -> impl Iterator<Item = &'static Rule> {
    [
        name::RULES,
        mx::RULES,
        nmx::RULES,
        srv::RULES,
        sor::RULES,
        xr::RULES,
        sts::RULES,
        rpt::RULES,
        tlsa::RULES,
        probe::RULES,
        sge::RULES,
    ]
    .into_iter()
    .flatten()
}

/// Look a rule up by id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    registry().find(|r| r.id == id)
}

/// Counts of findings per severity (a model type: the zone export's header takes one).
pub use crate::model::Summary;

/// Run every implemented rule that `needs` allows over `input`; findings sorted by severity (errors
/// first), then rule id, then subject.
pub fn run(input: &Input<'_>, needs: &[Needs]) -> Vec<Finding> {
    let facts = Facts::new(*input);
    let mut out = Vec::new();
    for rule in registry().filter(|r| needs.contains(&r.needs)) {
        if let Some(check) = rule.check {
            check(rule, &facts, &mut out);
        }
    }
    sort_findings(&mut out);
    out
}

/// Sort findings: errors first, then by rule id and subject. Stable for equal keys.
pub fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.rule.cmp(b.rule))
            .then_with(|| a.subject.cmp(&b.subject))
    });
}

/// Lint a design with the static rules.
pub fn lint(design: &Design) -> Vec<Finding> {
    let prepared = Prepared::from_design(design);
    run(&prepared.input(design), &[Needs::Static])
}

impl Summary {
    /// Count a list of findings.
    pub fn of(findings: &[Finding]) -> Self {
        let mut s = Summary::default();
        for f in findings {
            match f.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Info => s.infos += 1,
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn registry_holds_the_whole_catalogue_once() {
        let ids: Vec<&str> = registry().map(|r| r.id).collect();
        let unique: HashSet<&str> = ids.iter().copied().collect();
        assert_eq!(ids.len(), unique.len(), "duplicate rule ids");
        // The catalogue listed 146 (NAME-014 included); NAME-015 and NAME-016 close gaps issue 15 found;
        // TLSA-017…019 are the key rollover rules of issue 12.
        assert_eq!(
            ids.len(),
            151,
            "the catalogue's 146 rules, plus NAME-015/016 and TLSA-017/018/019"
        );
        for (group, n) in [
            ("NAME-", 16),
            ("MX-", 8),
            ("NMX-", 5),
            ("SRV-", 10),
            ("SOR-", 7),
            ("XR-", 17),
            ("STS-", 23),
            ("RPT-", 7),
            ("TLSA-", 19),
            ("PROBE-", 29),
            ("SGE-", 10),
        ] {
            assert_eq!(
                ids.iter().filter(|i| i.starts_with(group)).count(),
                n,
                "{group}"
            );
        }
    }

    #[test]
    fn unimplemented_rules_name_their_issue() {
        // Rules no issue covers yet, each with the reason (shown as "unplanned" by --list-rules).
        let unplanned: [(&str, &str); 0] = [];
        for r in registry() {
            assert!(
                r.check.is_some()
                    || r.planned.is_some()
                    || unplanned.iter().any(|(id, _)| *id == r.id),
                "{} has neither a check nor a planned issue",
                r.id
            );
            if r.needs == Needs::Static {
                assert!(r.check.is_some(), "static rule {} is not implemented", r.id);
            }
        }
    }
}
