//! `secmx import --from-dns`: the published state with the TTLs of the zone's authoritative
//! servers.

use super::*;
use crate::cli::CliError;

/// Fetch the published state of a plan (DNS only; `import --from-dns`), with the TTLs of the
/// zone's authoritative servers (asked directly, without recursion): a recursive resolver hands
/// out its cache's countdown, which is no TTL to design with. Returns notes for stderr.
pub(super) fn fetch_published(
    net: &NetArgs,
    plan: &Plan,
) -> Result<(Published, Vec<String>), CliError> {
    let settings = net.settings()?;
    let rt = runtime()?;
    let plan = plan.clone();
    let port = net.authoritative_port;
    let handle = rt.spawn(async move {
        let resolver = Resolver::new(&settings).await.map_err(|e| e.to_string())?;
        let published = resolve::fetch(&resolver, &plan, &resolve::discard()).await;
        Ok::<_, String>(authoritative_ttls(&resolver, &settings, &plan, published, port).await)
    });
    Ok(rt
        .block_on(handle)
        .map_err(|e| format!("the DNS lookups stopped: {e}"))??)
}

/// The zone that holds `domain` (the closest name with an NS RRset) and its servers' addresses.
pub(super) async fn zone_servers(
    resolver: &Resolver,
    domain: &str,
) -> Option<(String, Vec<std::net::IpAddr>)> {
    use hickory_resolver::proto::rr::RecordType;
    let discard = resolve::discard();
    let mut name = domain.to_string();
    loop {
        let ns = resolver.query(&name, RecordType::NS, &discard).await;
        let hosts: Vec<String> = if ns.status == resolve::Status::Ok && ns.cname.is_none() {
            ns.records
                .iter()
                .map(|h| h.trim_end_matches('.').to_string())
                .filter(|h| !h.is_empty())
                .collect()
        } else {
            Vec::new()
        };
        if !hosts.is_empty() {
            let mut addrs = Vec::new();
            for h in &hosts {
                for t in [RecordType::A, RecordType::AAAA] {
                    let set = resolver.query(h, t, &discard).await;
                    addrs.extend(
                        set.records
                            .iter()
                            .filter_map(|a| a.parse::<std::net::IpAddr>().ok()),
                    );
                }
            }
            return Some((name, addrs));
        }
        name = name.split_once('.')?.1.to_string();
        if name.is_empty() {
            return None;
        }
    }
}

/// Replace every RRset of the zone with its authoritative server's answer (the zone file's TTL).
pub(super) async fn authoritative_ttls(
    resolver: &Resolver,
    settings: &Settings,
    plan: &Plan,
    published: Published,
    port: u16,
) -> (Published, Vec<String>) {
    let mut notes = Vec::new();
    let Some((zone, addrs)) = zone_servers(resolver, &published.domain).await else {
        notes.push(format!(
            "TTLs: no NS RRset found for {} or above it; the TTLs are the resolver's, which may have counted them down",
            published.domain
        ));
        return (published, notes);
    };
    for ip in addrs {
        let server = SocketAddr::new(ip, port);
        let Ok(auth) = Resolver::authoritative(settings, server).await else {
            continue;
        };
        let direct = resolve::fetch(&auth, plan, &resolve::discard()).await;
        if !direct.rrsets.iter().any(|s| s.status.is_answer()) {
            continue;
        }
        let mut from_cache = Vec::new();
        let rrsets: Vec<RRset> = published
            .rrsets
            .iter()
            .map(|s| {
                match direct
                    .rrset(&s.name, s.rtype.clone())
                    .filter(|d| d.status == s.status && d.status.is_answer())
                {
                    Some(d) => d.clone(),
                    None => {
                        if s.status == resolve::Status::Ok {
                            from_cache.push(format!("{} {}", s.name, s.rtype));
                        }
                        s.clone()
                    }
                }
            })
            .collect();
        if !from_cache.is_empty() {
            notes.push(format!(
                "TTLs of {} come from the resolver, not from {zone}'s server {server} (outside the zone or no answer there)",
                crate::rules::sts::short_list(&from_cache, 5)
            ));
        }
        let p = Published::from_rrsets(
            &published.domain,
            &published.srv_label,
            rrsets,
            published.elapsed_ms,
        );
        return (p, notes);
    }
    notes.push(format!(
        "TTLs: no authoritative server of {zone} answered directly; the TTLs are the resolver's, which may have counted them down"
    ));
    (published, notes)
}

/// Run `secmx import --domain NAME --from-dns`.
pub fn import_dns(
    domain: &str,
    net: &NetArgs,
    output: Option<&Path>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<u8, CliError> {
    let name =
        crate::model::DomainName::parse(domain).map_err(|e| format!("--domain {domain}: {e}"))?;
    let (published, ttl_notes) = fetch_published(net, &Plan::for_domain(name.as_str()))?;
    for n in &ttl_notes {
        let _ = writeln!(err, "secmx: note: {n}");
    }
    let failed: Vec<&RRset> = published
        .rrsets
        .iter()
        .filter(|s| !s.status.is_answer())
        .collect();
    for s in &failed {
        let _ = tline!(
            err,
            "secmx: note: {} {} lookup failed: {}",
            s.name,
            s.rtype,
            s.status.as_str()
        );
    }
    if published
        .rrset(name.as_str(), crate::model::RecordType::Mx)
        .is_some_and(|s| !s.status.is_answer())
    {
        return Err(format!("{}: the MX lookup failed; nothing to import", name.as_str()).into());
    }
    let imp = resolve::import::design_from_published(&published).map_err(|e| e.to_string())?;
    for n in &imp.notes {
        let _ = tline!(err, "secmx: note: {n}");
    }
    let toml = project::design_to_toml(&imp.design).map_err(|e| e.to_string())?;
    match output {
        Some(o) => project::write_atomic(o, toml.as_bytes()).map_err(|e| e.to_string())?,
        None => out
            .write_all(toml.as_bytes())
            .map_err(|e| format!("cannot write output: {e}"))?,
    }
    Ok(super::super::EXIT_OK)
}
