//! The published state of a domain: every question the domain raises, asked concurrently (bounded by a
//! semaphore) in two rounds — first the names the domain owns (MX, the SecMX SRV RRset, policy TXT,
//! the apex addresses for the implicit MX), then what those answers point at (A, AAAA and TLSA of every
//! MX/SRV target, the mail domains of `mailto:` TLS-RPT destinations).

use super::DnsSink;
use super::{RRset, Resolver, Status, fqdn, rtype_of};
use crate::model::name::is_in_domain;
pub use crate::model::published::{
    Published, mailto_domain, resolved_addresses, rua_mailto_domains,
};
use crate::model::{Design, Profile, RData, Record, normalize_name};
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

/// What to ask about.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The mail domain, normalised.
    pub domain: String,
    /// SecMX SRV label, e.g. `_secmx`.
    pub srv_label: String,
    /// The design uses the SGE profile (its SPF and DMARC texts are designed).
    pub sge: bool,
    /// Hosts a design names, with the port their TLSA lives under (asked even when DNS does not
    /// point at them, so drift can say what is missing).
    pub hosts: Vec<(String, i64)>,
    /// Mail domains of `mailto:` TLS-RPT destinations a design names.
    pub rua_domains: Vec<String>,
    /// DKIM selectors a design names: `<selector>._domainkey.<domain>` TXT is asked (SGE-005).
    pub dkim_selectors: Vec<String>,
    /// A design's SPF text: its evaluation tree is asked too (SGE-004 counts the whole tree).
    pub spf: Option<String>,
}

impl Plan {
    /// The plan for a domain without a design (default SRV label).
    pub fn for_domain(domain: &str) -> Self {
        Plan {
            domain: normalize_name(domain),
            srv_label: crate::model::DEFAULT_SRV_LABEL.to_string(),
            sge: false,
            hosts: Vec::new(),
            rua_domains: Vec::new(),
            dkim_selectors: Vec::new(),
            spf: None,
        }
    }

    /// The plan for a design: its names plus every host it lists.
    pub fn for_design(design: &Design) -> Self {
        let mut plan = Plan::for_domain(design.domain.as_str());
        plan.srv_label = design.srv_label.clone();
        plan.sge = design.profile == Profile::Sge;
        for r in &design.relays {
            let p = (normalize_name(&r.host), r.tlsa_port());
            if !plan.hosts.contains(&p) {
                plan.hosts.push(p);
            }
        }
        if let Some(rpt) = &design.tls_rpt {
            for u in &rpt.rua {
                if let Some(d) = mailto_domain(u) {
                    plan.rua_domains.push(d);
                }
            }
        }
        if let Some(sge) = design.sge.as_ref().filter(|_| plan.sge) {
            plan.dkim_selectors = sge.dkim_selectors.clone();
            plan.spf = sge.spf.clone();
        }
        plan
    }

    /// The SecMX SRV owner name.
    pub fn srv_owner(&self) -> String {
        format!("{}._tcp.{}", self.srv_label, self.domain)
    }
}

/// Fetch the published state concurrently (as many queries in flight as the settings allow).
pub async fn fetch(resolver: &Resolver, plan: &Plan, sink: &DnsSink) -> Published {
    let limit = resolver.settings().concurrency.max(1);
    fetch_with_limit(resolver, plan, sink, limit).await
}

/// Fetch with one query at a time (the baseline of the benchmark).
pub async fn fetch_sequential(resolver: &Resolver, plan: &Plan, sink: &DnsSink) -> Published {
    fetch_with_limit(resolver, plan, sink, 1).await
}

struct Asked {
    seen: HashSet<(String, String)>,
    list: Vec<(String, String)>,
}

impl Asked {
    fn new() -> Self {
        Asked {
            seen: HashSet::new(),
            list: Vec::new(),
        }
    }
    fn add(&mut self, name: &str, rtype: &str) {
        let key = (normalize_name(name), rtype.to_string());
        if self.seen.insert(key.clone()) {
            self.list.push(key);
        }
    }
    fn take(&mut self) -> Vec<(String, String)> {
        std::mem::take(&mut self.list)
    }
}

fn add_host(a: &mut Asked, host: &str, port: i64) {
    if host.is_empty() {
        return;
    }
    a.add(host, "A");
    a.add(host, "AAAA");
    a.add(&crate::zone::tlsa_owner(port, host), "TLSA");
}

async fn fetch_with_limit(
    resolver: &Resolver,
    plan: &Plan,
    sink: &DnsSink,
    limit: usize,
) -> Published {
    let start = Instant::now();
    let d = plan.domain.as_str();
    let mut asked = Asked::new();
    asked.add(d, "MX");
    asked.add(&plan.srv_owner(), "SRV");
    asked.add(&format!("_mta-sts.{d}"), "TXT");
    asked.add(&format!("_smtp._tls.{d}"), "TXT");
    asked.add(d, "A");
    asked.add(d, "AAAA");
    // Apex TXT (SPF) and `_dmarc` are cheap to ask and every policy name is judged (XR-012), so
    // they are asked for every profile; the SGE rules read them when the profile is on.
    asked.add(d, "TXT");
    asked.add(&format!("_dmarc.{d}"), "TXT");
    for sel in &plan.dkim_selectors {
        asked.add(&crate::model::dkim_key_owner(sel, d), "TXT");
    }
    for (h, p) in &plan.hosts {
        add_host(&mut asked, h, *p);
    }
    for r in &plan.rua_domains {
        asked.add(r, "MX");
        asked.add(r, "A");
        asked.add(r, "AAAA");
    }
    let sem = Arc::new(Semaphore::new(limit));
    let mut rrsets = run_batch(resolver, asked.take(), &sem, sink).await;

    // Round two: what the first answers point at.
    let first = Published::from_rrsets(d, &plan.srv_label, rrsets.clone(), 0);
    for h in first.mx_targets() {
        add_host(&mut asked, &h, 25);
    }
    for (h, p) in first.srv_targets() {
        add_host(&mut asked, &h, p);
    }
    for r in first.rua_domains() {
        asked.add(&r, "MX");
        asked.add(&r, "A");
        asked.add(&r, "AAAA");
    }
    let second = asked.take();
    if !second.is_empty() {
        rrsets.extend(run_batch(resolver, second, &sem, sink).await);
    }
    // The DMARC tree walk (DMARCbis): no DMARC record at `_dmarc.<domain>`, so ask up the tree.
    let now = Published::from_rrsets(d, &plan.srv_label, rrsets.clone(), 0);
    let own_dmarc = format!("_dmarc.{d}");
    let dmarc_here = now
        .records
        .txt_at(&own_dmarc)
        .any(|(_, t)| crate::rules::sge::parse_dmarc(&t).is_some());
    let own_answered = now
        .rrset(&own_dmarc, crate::model::RecordType::Txt)
        .is_some_and(|s| {
            s.status.is_answer() || matches!(s.status, Status::Nodata | Status::Nxdomain)
        });
    if !dmarc_here && own_answered {
        for name in crate::rules::sge::dmarc_tree_names(d).into_iter().skip(1) {
            asked.add(&name, "TXT");
        }
        let up = asked.take();
        if !up.is_empty() {
            rrsets.extend(run_batch(resolver, up, &sem, sink).await);
        }
    }
    // Follow-up rounds: the SPF evaluation tree (`include:`/`redirect=` targets, the names of
    // `a`/`mx`/`exists` terms), as far as RFC 7208 §4.6.4 lets a receiver go (bounded in
    // `spf::walk`: 11 terms, depth 10, loops). At most one round per nesting level.
    for _ in 0..=super::spf::MAX_DEPTH {
        let now = Published::from_rrsets(d, &plan.srv_label, rrsets.clone(), 0);
        let mut tops: Vec<String> = now
            .records
            .txt_at(d)
            .map(|(_, t)| t)
            .filter(|t| crate::model::spf::parse_spf(t).is_some())
            .collect();
        // A design's own SPF text is walked too (its includes are asked even before it is
        // published).
        if let Some(t) = &plan.spf {
            tops.push(t.clone());
        }
        for t in &tops {
            for (name, rtype) in super::spf::walk_text(&now, d, t).missing {
                asked.add(&name, &rtype);
            }
        }
        let next = asked.take();
        if next.is_empty() {
            break;
        }
        rrsets.extend(run_batch(resolver, next, &sem, sink).await);
    }
    Published::from_rrsets(
        d,
        &plan.srv_label,
        rrsets,
        start.elapsed().as_millis() as u64,
    )
}

async fn run_batch(
    resolver: &Resolver,
    questions: Vec<(String, String)>,
    sem: &Arc<Semaphore>,
    sink: &DnsSink,
) -> Vec<RRset> {
    let mut set = JoinSet::new();
    let n = questions.len();
    for (i, (name, rtype)) in questions.into_iter().enumerate() {
        let res = resolver.clone();
        let sem = Arc::clone(sem);
        let sink = Arc::clone(sink);
        set.spawn(async move {
            let _permit = sem.acquire_owned().await.ok();
            let rs = res.query(&name, rtype_of(&rtype), &sink).await;
            (i, rs)
        });
    }
    let mut out: Vec<Option<RRset>> = vec![None; n];
    while let Some(joined) = set.join_next().await {
        if let Ok((i, rs)) = joined
            && let Some(slot) = out.get_mut(i)
        {
            *slot = Some(rs);
        }
    }
    out.into_iter().flatten().collect()
}

/// Whether a name is one the design speaks about (inside the domain).
pub(crate) fn in_domain(name: &str, domain: &str) -> bool {
    is_in_domain(name, domain)
}

/// Records stated directly (tests and the GUI use this to describe live facts).
pub fn rrset_of(
    name: &str,
    rtype: &str,
    status: Status,
    dnssec: super::Dnssec,
    records: Vec<Record>,
) -> RRset {
    let owner = normalize_name(name);
    let mut text: Vec<String> = records
        .iter()
        .filter(|r| r.name == owner && r.data.rtype() == rtype)
        .map(|r| super::rdata_text(&r.data))
        .collect();
    text.sort();
    let ttl = records
        .iter()
        .filter(|r| r.name == owner && r.data.rtype() == rtype)
        .map(|r| r.ttl.clamp(0, i64::from(u32::MAX)) as u32)
        .min();
    let cname = records.iter().find_map(|r| match &r.data {
        RData::Cname(t) if r.name == owner && rtype != "CNAME" => Some(fqdn(t)),
        _ => None,
    });
    RRset {
        name: fqdn(name),
        rtype: rtype.to_string().into(),
        records: text,
        ttl,
        dnssec,
        status,
        cname,
        detail: None,
        ms: 0.0,
        answers: records,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plan_names_the_designs_dkim_selectors() {
        let mut d = Design::new(crate::model::DomainName::parse("agency.example").unwrap());
        assert!(Plan::for_design(&d).dkim_selectors.is_empty());
        d.sge = Some(crate::model::SgeTexts {
            dkim_selectors: vec!["s1".into(), "2026.mail".into()],
            ..Default::default()
        });
        assert!(
            Plan::for_design(&d).dkim_selectors.is_empty(),
            "only SGE judges DKIM"
        );
        d.profile = Profile::Sge;
        assert_eq!(Plan::for_design(&d).dkim_selectors, vec!["s1", "2026.mail"]);
    }

    #[test]
    fn mailto_domains() {
        assert_eq!(
            rua_mailto_domains("v=TLSRPTv1; rua=mailto:a@Agency.Example,https://r.example/x"),
            vec!["agency.example".to_string()]
        );
        assert_eq!(mailto_domain("https://x"), None);
        assert_eq!(
            mailto_domain("mailto:tls@rpt.example!10m"),
            Some("rpt.example".into())
        );
    }
}
