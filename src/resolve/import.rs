//! Import from DNS: a design built from a domain as it is published today (the "start from what we
//! have" path). MX exchanges become BERs, SecMX SRV targets SORs (a host in both is a BER with
//! `also_srv`), published addresses and TLSA records are kept, `MX 0 .` becomes `null_mx`, and the
//! `_mta-sts` / `_smtp._tls` records become the MTA-STS and TLS-RPT sections — the same mapping as a
//! zone-file import ([`crate::zone::import::design_from_records`]), run over the published records.

use super::fetch::Published;
use crate::model::{Design, DomainName};

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
    let domain = DomainName::parse(&p.domain)?;
    let report = crate::zone::import::design_from_records(&p.records, domain);
    let mut design = report.design;
    if design.srv_label != p.srv_label && !design.relays.iter().any(|r| r.in_srv()) {
        // Nothing was published under the label the lookup used; keep it for the next check.
        design.srv_label = p.srv_label.clone();
    }
    let mut notes = report.notes;
    if design.mta_sts.is_some() {
        notes.push(
            "MTA-STS: the policy file is not fetched by a DNS import; set mode, max_age and mx to what https://mta-sts.<domain>/.well-known/mta-sts.txt says".into(),
        );
    }
    notes.extend(
        report
            .unmapped
            .into_iter()
            .map(|u| format!("not part of the design: {u}")),
    );
    Ok(DnsImport { design, notes })
}
