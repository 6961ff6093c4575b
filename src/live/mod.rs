//! The one live check: every live run — `secmx check`, `secmx probe`, and the window's Check (F5),
//! Look up and Probe all — goes through [`run`]. In order, concurrently where it can:
//!
//! 1. the DNS plan (the design's names, or what the domain publishes), with a DNSSEC state per RRset;
//! 2. the probe targets: the union of the design's relays and the published MX / SecMX SRV targets,
//!    each marked `design`, `published` or `both` ([`targets`]), with the TLSA records DNS returned
//!    (only an RRset that validated as DNSSEC-secure counts for DANE, RFC 7672 §2.2; an insecure set
//!    is reported, not used), and the PTR names of every address;
//! 3. the MTA-STS policy fetch beside the relay probes, applied to each MX-listed relay;
//! 4. every static, DNS and probe rule (the design's records, then the published records "as
//!    published"), the per-relay verdicts (PROBE-028) and the sender simulation (SOR-007).
//!
//! The result is one [`LiveReport`]: the JSON report of `secmx check` and what the window shows.
//! Progress goes to the [`LiveSink`] as it happens; the report is returned at the end, so no
//! result depends on a progress queue.

pub mod rollover;
pub mod targets;

use crate::model::{Design, Level, Profile};
use crate::probe::simulate::Simulation;
use crate::probe::sts::{PolicyFetch, StsConfig};
use crate::probe::{self, Cancel, ProbeConfig, ProbeFacts, ProbeReport, ProbeTarget};
use crate::resolve::{self, Drift, Plan, Published, RRset, Resolver};
use crate::rules::relays::RelaySummary;
use crate::rules::{self, Finding, Needs, Options, Prepared, Source, Summary};
use serde::Serialize;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

/// What one live run covers.
#[derive(Debug, Clone)]
pub struct LivePlan {
    /// The mail domain (A-labels, no trailing dot).
    pub domain: String,
    /// The design, when the run checks one (its names are asked, its relays probed, its records
    /// judged); `None` judges the domain as it is published.
    pub design: Option<Design>,
    /// The design file, for the report.
    pub file: Option<String>,
    /// Ask DNS (false = `--offline`: rules only).
    pub dns: bool,
    /// Probe the relays (false = `--no-probe`, or the window's Look up).
    pub probe: bool,
    /// Probe exactly these targets instead of the ones DNS and the design name (`secmx probe`);
    /// DNS is then asked only for the MTA-STS policy host and the PTR names.
    pub explicit: Option<Vec<ProbeTarget>>,
    /// Fetch the MTA-STS policy of this domain even without `_mta-sts` in DNS (`probe --mta-sts`).
    pub mta_sts_domain: Option<String>,
}

impl LivePlan {
    /// The full check of a design (DNS, probes, every rule).
    pub fn for_design(design: Design, file: Option<String>) -> Self {
        LivePlan {
            domain: design.domain.as_str().to_string(),
            design: Some(design),
            file,
            dns: true,
            probe: true,
            explicit: None,
            mta_sts_domain: None,
        }
    }

    /// The full check of a domain as DNS publishes it.
    pub fn for_domain(domain: &str) -> Self {
        LivePlan {
            domain: crate::model::normalize_name(domain),
            design: None,
            file: None,
            dns: true,
            probe: true,
            explicit: None,
            mta_sts_domain: None,
        }
    }

    /// The DNS questions of this plan.
    pub fn dns_plan(&self) -> Plan {
        match &self.design {
            Some(d) => Plan::for_design(d),
            None => Plan::for_domain(&self.domain),
        }
    }
}

/// How a live run talks to the network.
#[derive(Debug, Clone)]
pub struct LiveSettings {
    /// Resolver, trust anchor, query timeout, query concurrency.
    pub resolve: resolve::Settings,
    /// Probe settings (trust roots, EHLO name, timeouts, extra handshakes, source addresses).
    pub probe: ProbeConfig,
    /// Relay addresses probed at once (at most one connection per address at a time).
    pub probe_concurrency: usize,
    /// Port of the MTA-STS policy host (tests run it on a private port; senders use 443).
    pub mta_sts_port: Option<u16>,
    /// Whole-request timeout of the MTA-STS policy fetch.
    pub mta_sts_timeout: Duration,
    /// Look up the PTR names of the probed addresses (PROBE-004).
    pub ptr: bool,
    /// Resolve the MTA-STS host and the PTR names through [`LiveSettings::resolve`] even when the
    /// plan asks no other DNS (`secmx probe --resolver`); otherwise the system resolver.
    pub use_resolver_for_probe_only: bool,
}

/// The `dns` part of the report.
#[derive(Debug, Clone, Serialize)]
pub struct DnsReport {
    /// Every question asked and its answer.
    pub rrsets: Vec<RRset>,
    /// Designed vs published (empty without a design).
    pub drift: Vec<Drift>,
    /// Wall time of all lookups.
    pub elapsed_ms: u64,
}

/// Everything one live run found: the JSON report of `secmx check` (see the README) and what
/// the window shows.
#[derive(Debug, Clone, Serialize)]
pub struct LiveReport {
    /// The design file, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The mail domain.
    pub domain: String,
    /// Counts per severity.
    pub summary: Summary,
    /// The findings (design, as published, probe), errors first.
    pub findings: Vec<Finding>,
    /// What DNS publishes (`null` with `--offline`).
    pub dns: Option<DnsReport>,
    /// One probe per relay address (`null` without probes).
    pub probes: Option<Vec<ProbeReport>>,
    /// Per relay over all its addresses (PROBE-028).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relays: Option<Vec<RelaySummary>>,
    /// The MTA-STS policy fetch, when the domain publishes `_mta-sts`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mta_sts_policy: Option<PolicyFetch>,
    /// SOR-007: what a Secure Only Sender and a Best Effort Sender would do with the published
    /// relays, given the probes (`null` without probes).
    pub simulation: Option<Simulation>,
    /// The key rollover plan of each design relay that names a next key (`next_tlsa`,
    /// `next_key`): steps with an action, a record and a not-before date ([`rollover`]); left out
    /// when no relay names one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rollover: Vec<rollover::RelayPlan>,
    /// The run was cancelled: what is here is what was found until then.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub cancelled: bool,
}

/// Why a live run could not produce a report.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LiveError {
    /// The resolver could not be set up (bad trust anchor, no system resolver configuration).
    #[error("cannot set up the resolver: {0}")]
    Resolver(String),
    /// Not one DNS question got an answer: nothing can be judged.
    #[error("{0}")]
    NoDnsAnswer(String),
    /// A task of the run stopped unexpectedly.
    #[error("the live check stopped: {0}")]
    Task(String),
}

/// A step of the live check as it happens: a DNS query or a step of a relay probe. The caller
/// (the worker, the CLI) wraps it into its own event, tagged with its run.
#[derive(Debug, Clone)]
pub enum LiveEvent {
    /// A step of the live DNS lookups.
    Dns(resolve::DnsEvent),
    /// A step of a relay probe.
    Probe(probe::ProbeEvent),
}

/// Where the steps of a live check go.
pub type LiveSink = Arc<dyn Fn(LiveEvent) + Send + Sync>;

/// Run one live check. Progress events go to `sink`; the report is returned at the end
/// (also when `cancel` fires: then with `cancelled = true` and what was found so far).
pub async fn run(
    plan: &LivePlan,
    settings: &LiveSettings,
    sink: LiveSink,
    cancel: Cancel,
) -> Result<LiveReport, LiveError> {
    // 1. DNS.
    let resolver = if plan.dns && plan.explicit.is_none() || settings.use_resolver_for_probe_only {
        Some(
            Resolver::new(&settings.resolve)
                .await
                .map_err(|e| LiveError::Resolver(e.to_string()))?,
        )
    } else {
        None
    };
    let published = match (&resolver, plan.dns && plan.explicit.is_none()) {
        (Some(r), true) => {
            let mut c = cancel.clone();
            let dns_plan = plan.dns_plan();
            let live = sink.clone();
            let dns_sink: resolve::DnsSink = Arc::new(move |e| live(LiveEvent::Dns(e)));
            tokio::select! {
                p = resolve::fetch(r, &dns_plan, &dns_sink) => Some(p),
                _ = c.cancelled() => None,
            }
        }
        _ => None,
    };
    if let Some(p) = &published {
        no_answer_at_all(p, &settings.resolve)?;
    }
    let dns_cancelled = plan.dns && plan.explicit.is_none() && published.is_none();

    // 2. + 3. Probes, the MTA-STS fetch beside them.
    let probes = if plan.probe && !dns_cancelled {
        let targets = match &plan.explicit {
            Some(t) => t.clone(),
            None => match &published {
                Some(p) => targets::union(p, plan.design.as_ref()),
                None => Vec::new(),
            },
        };
        Some(
            probe_targets(
                plan,
                settings,
                resolver.as_ref(),
                published.as_ref(),
                targets,
                sink,
                cancel.clone(),
            )
            .await?,
        )
    } else {
        None
    };

    // 4. Rules, verdicts, simulation.
    Ok(judge(plan, published, probes, cancel.is_cancelled()))
}

/// Every query failed (timeout, refused, error): the resolver is unusable, nothing can be judged.
fn no_answer_at_all(p: &Published, s: &resolve::Settings) -> Result<(), LiveError> {
    // Not one definite answer (data, NXDOMAIN or NODATA): SERVFAIL everywhere is as empty as
    // silence (issue 13.6), and judging it would report a domain with nothing wrong.
    if p.rrsets.is_empty() || p.rrsets.iter().any(|s| s.status.is_answer()) {
        return Ok(());
    }
    let server = s
        .nameserver
        .map(|a| a.to_string())
        .unwrap_or_else(|| "the system resolver".into());
    // How the queries ended, e.g. `9 servfail, 1 timeout`.
    let mut counts: Vec<(&'static str, usize)> = Vec::new();
    for r in &p.rrsets {
        match counts.iter_mut().find(|(k, _)| *k == r.status.as_str()) {
            Some((_, n)) => *n += 1,
            None => counts.push((r.status.as_str(), 1)),
        }
    }
    let how = counts
        .iter()
        .map(|(k, n)| format!("{n} {k}"))
        .collect::<Vec<_>>()
        .join(", ");
    let first = &p.rrsets[0];
    Err(LiveError::NoDnsAnswer(format!(
        "no DNS answer for {} from {server}: every query failed ({how}; first: {}{})",
        p.domain,
        first.status.as_str(),
        first
            .detail
            .as_deref()
            .map(|d| format!(": {d}"))
            .unwrap_or_default()
    )))
}

/// Does the domain publish an MTA-STS TXT record?
fn publishes_sts(p: &Published) -> bool {
    p.records
        .txt_at(&format!("_mta-sts.{}", p.domain))
        .any(|(_, t)| t.starts_with("v=STSv1"))
}

/// The first address of `host` through our resolver (A, then AAAA).
async fn address_of(resolver: &Resolver, host: &str) -> Option<IpAddr> {
    for rtype in [
        hickory_resolver::proto::rr::RecordType::A,
        hickory_resolver::proto::rr::RecordType::AAAA,
    ] {
        let set = resolver.query(host, rtype, &resolve::discard()).await;
        if let Some(ip) = set.addresses().next() {
            return Some(ip);
        }
    }
    None
}

#[allow(clippy::too_many_arguments)]
async fn probe_targets(
    plan: &LivePlan,
    settings: &LiveSettings,
    resolver: Option<&Resolver>,
    published: Option<&Published>,
    mut targets: Vec<ProbeTarget>,
    sink: LiveSink,
    cancel: Cancel,
) -> Result<ProbeFacts, LiveError> {
    // PTR names (PROBE-004): DNS queries through the run's resolver settings; no resolver, no
    // names (never a failure).
    if settings.ptr
        && !targets.is_empty()
        && let Ok(ptr) = resolve::ptr_resolver(&settings.resolve).await
    {
        probe::names::lookup_ptrs(&ptr, &mut targets).await;
    }
    // The MTA-STS policy host is resolved through our own resolver settings, like everything else.
    let sts_domain = plan.mta_sts_domain.clone().or_else(|| {
        published
            .filter(|p| publishes_sts(p))
            .map(|p| p.domain.clone())
    });
    let sts_job = match sts_domain {
        Some(domain) => {
            let mut cfg = StsConfig::new(
                settings.probe.roots.clone(),
                settings.probe.provider.clone(),
            );
            cfg.port = settings.mta_sts_port;
            cfg.timeout = settings.mta_sts_timeout;
            if let Some(r) = resolver {
                let host = format!("mta-sts.{domain}");
                cfg.address = address_of(r, &host)
                    .await
                    .map(|ip| SocketAddr::new(ip, cfg.port.unwrap_or(443)));
            }
            let mut c = cancel.clone();
            Some(tokio::spawn(async move {
                tokio::select! {
                    f = probe::sts::fetch_policy(&domain, &cfg) => Some(f),
                    _ = c.cancelled() => None,
                }
            }))
        }
        None => None,
    };
    // The probe gathers facts; the PROBE rules judge each report as it ends.
    let mut cfg = settings.probe.clone();
    cfg.judge = Some(rules::probe_judge::judge);
    let probe_sink: probe::ProbeSink = Arc::new(move |e| sink(LiveEvent::Probe(e)));
    let mut reports = probe::run_all(
        targets,
        Arc::new(cfg),
        settings.probe_concurrency.clamp(1, 256),
        probe_sink,
        cancel,
    )
    .await;
    let mut policy = match sts_job {
        Some(j) => j
            .await
            .map_err(|e| LiveError::Task(format!("MTA-STS fetch: {e}")))?,
        None => None,
    };
    // The fetch recorded facts; the STS rules judge them (STS-007…010, would a sender use the
    // policy?) and apply a usable policy to each MX-listed relay (PROBE-027).
    if let Some(p) = &mut policy {
        rules::sts_fetch::judge(p);
        for r in reports.iter_mut().filter(|r| mx_listed(r)) {
            rules::sts_fetch::probe_027(p, r);
        }
    }
    Ok(ProbeFacts { reports, policy })
}

/// MTA-STS covers the MX hosts of a domain (RFC 8461 §4.1): a relay reached by MX, or a Best
/// Effort Receiver the design puts in MX, or a relay probed on its own (`secmx probe`).
fn mx_listed(r: &ProbeReport) -> bool {
    match r.via.as_deref() {
        Some("mx") | Some("implicit-mx") | Some("cli") => true,
        Some("srv") => false,
        _ => r.role == crate::model::Role::Ber,
    }
}

/// Judge everything a run found: every rule over the design and over what is published, the
/// per-relay verdicts and the sender simulation (also used by tests to state live facts without a
/// network).
pub fn judge(
    plan: &LivePlan,
    published: Option<Published>,
    probes: Option<ProbeFacts>,
    cancelled: bool,
) -> LiveReport {
    let design = plan.design.as_ref();
    let prepared = design.map(Prepared::from_design);
    let mut findings = Vec::new();
    if let (Some(d), Some(prep)) = (design, &prepared) {
        let mut input = prep.input(d);
        input.live = published.as_ref();
        input.probes = probes.as_ref();
        let mut needs = vec![Needs::Static];
        if published.is_some() {
            needs.push(Needs::Dns);
        }
        if probes.is_some() {
            needs.push(Needs::Probe);
        }
        findings = rules::run(&input, &needs);
    }
    if let Some(p) = &published {
        let (profile, options) = match design {
            Some(d) => (
                d.profile,
                Options {
                    test_domain: d.test_domain,
                    secure_only: d.secure_only,
                },
            ),
            None => (Profile::Secmx, Options::default()),
        };
        let mut input = rules::live::published_input(p, profile, options);
        if design.is_some_and(|d| d.level == Level::L2) {
            input.level = Level::L2;
        }
        if design.is_some() {
            // The static rules judge what is published too; keep only what the design did not
            // already raise.
            for mut f in rules::run(&input, &[Needs::Static]) {
                let dup = findings
                    .iter()
                    .any(|g| g.rule == f.rule && g.subject == f.subject && g.message == f.message);
                if !dup {
                    f.message.push_str(" (as published)");
                    f.source = Source::Published;
                    findings.push(f);
                }
            }
        } else {
            input.probes = probes.as_ref();
            let mut needs = vec![Needs::Static, Needs::Dns];
            if probes.is_some() {
                needs.push(Needs::Probe);
            }
            findings = rules::run(&input, &needs);
            for f in findings.iter_mut().filter(|f| f.source == Source::Design) {
                f.source = Source::Published;
            }
        }
    } else if let (Some(facts), None) = (&probes, design) {
        // `secmx probe`: no design, no DNS: only the probe rules, over the probes.
        let empty = crate::model::RecordSet::new();
        let input = rules::Input {
            domain: &plan.domain,
            level: Level::L1,
            profile: Profile::Secmx,
            srv_label: crate::model::DEFAULT_SRV_LABEL,
            relays: &[],
            records: &empty,
            sts_policy: None,
            sts_policy_issued_for: None,
            options: Options::default(),
            live: None,
            probes: Some(facts),
            dkim_selectors: &[],
        };
        findings = rules::run(&input, &[Needs::Probe]);
    }
    // The fetched policy text, judged by the same STS policy-text rules as a designed one.
    if let Some(text) = probes
        .as_ref()
        .and_then(|f| f.policy.as_ref())
        .and_then(|f| f.text.as_deref())
    {
        let empty = crate::model::RecordSet::new();
        let mut input = match &published {
            Some(p) => rules::live::published_input(p, Profile::Secmx, Options::default()),
            None => rules::Input {
                domain: &plan.domain,
                level: Level::L1,
                profile: Profile::Secmx,
                srv_label: crate::model::DEFAULT_SRV_LABEL,
                relays: &[],
                records: &empty,
                sts_policy: None,
                sts_policy_issued_for: None,
                options: Options::default(),
                live: None,
                probes: None,
                dkim_selectors: &[],
            },
        };
        if let Some(d) = design {
            input.profile = d.profile;
            input.options = Options {
                test_domain: d.test_domain,
                secure_only: d.secure_only,
            };
        }
        input.sts_policy = Some(text);
        let found = published_policy_findings(&input, &findings);
        findings.extend(found);
    }
    rules::sort_findings(&mut findings);
    let simulation = match (&probes, &published) {
        (Some(f), Some(p)) => Some(f.simulate(
            &p.records,
            &p.domain,
            &format!("{}._tcp.{}", p.srv_label, p.domain),
        )),
        _ => None,
    };
    let dns = published.map(|p| DnsReport {
        drift: prepared
            .as_ref()
            .map(|prep| resolve::drift(&prep.records, &p))
            .unwrap_or_default(),
        elapsed_ms: p.elapsed_ms,
        rrsets: p.rrsets,
    });
    let mut report = LiveReport {
        file: plan.file.clone(),
        domain: plan.domain.clone(),
        summary: Summary::of(&findings),
        findings,
        dns,
        relays: probes
            .as_ref()
            .map(|f| rules::relays::summarize(&f.reports)),
        mta_sts_policy: probes.as_ref().and_then(|f| f.policy.clone()),
        probes: probes.map(|f| f.reports),
        simulation,
        rollover: Vec::new(),
        cancelled,
    };
    if let Some(d) = design {
        // Undated here; a caller with a history dates it ([`LiveReport::date_rollover`]).
        report.rollover =
            rollover::plans(d, report.dns.as_ref(), report.probes.as_deref(), &|_, _| {
                None
            });
    }
    report
}

/// The STS policy-text rules (STS-011…023 but STS-021, which needs the design's history) over
/// the policy as fetched, marked "(as published)"; only what `already` does not hold (the design
/// raising the same about its own text). Without DNS answers (`secmx probe --mta-sts`) the rules
/// that compare the policy with the published MX and TXT records (STS-017, 022, 023) are left out.
fn published_policy_findings(input: &rules::Input<'_>, already: &[Finding]) -> Vec<Finding> {
    let mut out = Vec::new();
    let needs_dns = ["STS-017", "STS-022", "STS-023"];
    for rule in rules::sts::RULES.iter().filter(|r| {
        r.needs == Needs::Static
            && r.id >= "STS-011"
            && r.id != "STS-021"
            && (input.live.is_some() || !needs_dns.contains(&r.id))
    }) {
        let Some(check) = rule.check else { continue };
        let mut found = Vec::new();
        check(rule, &rules::Facts::new(*input), &mut found);
        for mut f in found {
            let dup = already
                .iter()
                .chain(out.iter())
                .any(|g| g.rule == f.rule && g.subject == f.subject && g.message == f.message);
            if dup {
                continue;
            }
            f.message = crate::model::sts::escape_controls(&f.message);
            f.message.push_str(" (as published)");
            f.source = Source::Published;
            out.push(f);
        }
    }
    out
}

impl LiveReport {
    /// The published state again (for "Import from DNS"), when DNS was asked.
    pub fn published(&self, srv_label: &str) -> Option<Published> {
        self.dns.as_ref().map(|d| {
            Published::from_rrsets(&self.domain, srv_label, d.rrsets.clone(), d.elapsed_ms)
        })
    }

    /// The rollover plan again with dates: `first_seen(owner, record)` is when the history first
    /// saw the record published (see [`rollover::plans`]).
    pub fn date_rollover(
        &mut self,
        design: &Design,
        first_seen: &dyn Fn(&str, &str) -> Option<i64>,
    ) {
        self.rollover = rollover::plans(
            design,
            self.dns.as_ref(),
            self.probes.as_deref(),
            first_seen,
        );
    }

    /// True when at least one relay address could not be judged (timeouts, 4xx, cancelled).
    pub fn inconclusive(&self) -> bool {
        self.probes
            .as_ref()
            .is_some_and(|p| p.iter().any(|r| r.verdict == probe::Verdict::Inconclusive))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fetched(text: &str) -> ProbeFacts {
        let mut f = PolicyFetch::new("https://mta-sts.bench.example/.well-known/mta-sts.txt");
        f.status = Some(200);
        f.content_type = Some("text/plain".into());
        f.bytes = text.len();
        f.policy = Some(probe::sts::Policy::parse(text));
        f.text = Some(text.into());
        rules::sts_fetch::judge(&mut f);
        ProbeFacts {
            reports: vec![],
            policy: Some(f),
        }
    }

    fn published_sts(r: &LiveReport) -> Vec<&Finding> {
        r.findings
            .iter()
            .filter(|f| f.source == Source::Published && f.rule.starts_with("STS-"))
            .collect()
    }

    #[test]
    fn the_fetched_policy_is_judged_by_the_static_sts_rules_as_published() {
        let plan = LivePlan::for_domain("bench.example");
        let r = judge(
            &plan,
            None,
            Some(fetched(
                "version: STSv1\nmode: [testing] \nmx: mx0.bench.example\nmax_age: 604800\n",
            )),
            false,
        );
        let f = published_sts(&r);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].rule, "STS-012");
        assert_eq!(f[0].severity, crate::model::Severity::Error);
        assert!(f[0].message.contains("`mode: [testing]`"), "{f:?}");
        assert!(f[0].message.ends_with(" (as published)"), "{f:?}");
        let p = r.mta_sts_policy.as_ref().unwrap();
        assert!(!p.valid);
        assert!(p.invalid_because.as_deref().unwrap().contains("line 2"));
    }

    #[test]
    fn with_a_design_only_what_the_design_did_not_raise() {
        let mut d = crate::model::sample::generated_design(2);
        if let Some(s) = d.mta_sts.as_mut() {
            s.max_age = 86_400; // STS-014 on the design's own text
        }
        let designed = crate::zone::sts_policy_text(&d);
        let plan = LivePlan::for_design(d, None);
        let r = judge(&plan, None, Some(fetched(&designed)), false);
        assert!(
            r.findings
                .iter()
                .any(|f| f.rule == "STS-014" && f.source == Source::Design),
            "{:?}",
            r.findings
        );
        assert!(published_sts(&r).is_empty(), "{:?}", published_sts(&r));
        let r = judge(
            &plan,
            None,
            Some(fetched(&designed.replace("mode: enforce", "mode: testing"))),
            false,
        );
        // STS-020 is new; STS-014 says something else now (`mode: testing`), so it is kept too.
        let f = published_sts(&r);
        let ids: Vec<&str> = f.iter().map(|f| f.rule).collect();
        assert_eq!(ids, ["STS-014", "STS-020"], "{f:?}");
        assert!(f.iter().all(|f| f.message.ends_with(" (as published)")));
    }
}
