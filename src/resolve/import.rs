//! Import from DNS: a design built from a domain as it is published today (the "start from what we
//! have" path). MX exchanges become BERs, SecMX SRV targets SORs (a host in both is a BER with
//! `also_srv`), published addresses and TLSA records are kept, `MX 0 .` becomes `null_mx`, and the
//! `_mta-sts` / `_smtp._tls` records become the MTA-STS and TLS-RPT sections.

use super::fetch::Published;
use crate::model::{Design, DomainName, MtaSts, RData, Relay, Role, SgeTexts, StsMode, TlsRpt};
use crate::zone::tlsa_owner;

/// What the import made and what it could not map.
#[derive(Debug)]
pub struct DnsImport {
    /// The design.
    pub design: Design,
    /// Notes: what was guessed or left out, one line each.
    pub notes: Vec<String>,
}

/// Build a design from the published state. Errors only when the domain name itself is invalid.
pub fn design_from_published(p: &Published) -> Result<DnsImport, crate::model::NameError> {
    let mut design = Design::new(DomainName::parse(&p.domain)?);
    design.srv_label = p.srv_label.clone();
    let mut notes = Vec::new();
    let mut ttl: Option<i64> = None;
    let mut note_ttl = |t: i64| ttl = Some(ttl.map_or(t, |x: i64| x.min(t)));

    if p.null_mx() {
        design.null_mx = true;
    }
    let mut mx: Vec<(i64, String, i64)> = p
        .records
        .mx_of(&p.domain)
        .filter(|(_, _, ex)| !ex.is_empty())
        .map(|(r, pref, ex)| (pref, ex.to_string(), r.ttl))
        .collect();
    mx.sort();
    for (pref, host, t) in mx {
        note_ttl(t);
        let mut r = Relay::new(host, Role::Ber);
        r.preference = pref;
        design.relays.push(r);
    }
    if p.implicit_mx() {
        notes.push(format!(
            "{} has no MX: mail goes to its own address (implicit MX); no relay was made for it",
            p.domain
        ));
    }
    let mut srv: Vec<(i64, i64, i64, String, i64)> = p
        .records
        .srv_at(&p.srv_owner())
        .filter(|(_, _, _, _, t)| !t.is_empty())
        .map(|(r, pr, w, port, t)| (pr, w, port, t.to_string(), r.ttl))
        .collect();
    srv.sort();
    let mut sor = false;
    for (prio, weight, port, host, t) in srv {
        note_ttl(t);
        if let Some(b) = design
            .relays
            .iter_mut()
            .find(|r| r.host == host && r.role == Role::Ber)
        {
            b.also_srv = true;
            b.priority = prio;
            b.weight = weight;
            if port != 25 {
                notes.push(format!(
                    "{host}: listed in MX and in SRV on port {port}; kept as a BER"
                ));
            }
            continue;
        }
        sor = true;
        let mut r = Relay::new(host, Role::Sor);
        r.port = port;
        r.priority = prio;
        r.weight = weight;
        design.relays.push(r);
    }
    if sor {
        design.level = crate::model::Level::L2;
    }
    for r in design.relays.iter_mut() {
        for rec in p.records.named(&r.host) {
            match rec.data {
                RData::A(a) => r.addresses.push(std::net::IpAddr::V4(a)),
                RData::Aaaa(a) => r.addresses.push(std::net::IpAddr::V6(a)),
                _ => {}
            }
        }
        for rec in p.records.at(&tlsa_owner(r.tlsa_port(), &r.host), "TLSA") {
            r.tlsa.push(super::rdata_text(&rec.data));
        }
        if p.records.cname_of(&r.host).is_some() {
            notes.push(format!(
                "{}: is a CNAME; the design names the alias",
                r.host
            ));
        }
    }
    let sts: Vec<String> = p
        .records
        .txt_at(&format!("_mta-sts.{}", p.domain))
        .map(|(_, t)| t)
        .filter(|t| t.starts_with("v=STSv1"))
        .collect();
    if let Some(text) = sts.first() {
        let id = text
            .split(';')
            .find_map(|f| f.trim().strip_prefix("id=").map(|v| v.trim().to_string()));
        design.mta_sts = Some(MtaSts {
            mode: StsMode::Testing,
            max_age: 86400,
            id,
            mx: Vec::new(),
            policy_sha256: None,
        });
        notes.push(
            "MTA-STS: the policy file is not fetched by a DNS import; mode and max_age set to testing / 86400"
                .into(),
        );
        if sts.len() > 1 {
            notes.push(format!(
                "MTA-STS: {} v=STSv1 records published; the first was kept",
                sts.len()
            ));
        }
    }
    let rpt: Vec<String> = p
        .records
        .txt_at(&format!("_smtp._tls.{}", p.domain))
        .map(|(_, t)| t)
        .filter(|t| t.starts_with("v=TLSRPTv1"))
        .collect();
    if let Some(text) = rpt.first() {
        let rua: Vec<String> = text
            .split(';')
            .filter_map(|f| f.split_once('='))
            .filter(|(k, _)| k.trim() == "rua")
            .flat_map(|(_, v)| v.split(',').map(|u| u.trim().to_string()))
            .filter(|u| !u.is_empty())
            .collect();
        design.tls_rpt = Some(TlsRpt { rua });
    }
    let spf = p
        .records
        .txt_at(&p.domain)
        .map(|(_, t)| t)
        .find(|t| t.starts_with("v=spf1"));
    let dmarc = p
        .records
        .txt_at(&format!("_dmarc.{}", p.domain))
        .map(|(_, t)| t)
        .find(|t| t.starts_with("v=DMARC1"));
    if spf.is_some() || dmarc.is_some() {
        design.sge = Some(SgeTexts { spf, dmarc });
    }
    if let Some(t) = ttl {
        design.ttl = t;
    }
    Ok(DnsImport { design, notes })
}
