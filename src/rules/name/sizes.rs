//! NAME-014…016: what fits where (an RRset in one DNS message, in a name server's store; every
//! record inside the mail domain's zone).

use super::*;

/// What to do about an RRset that is too large, by type.
pub(super) fn shrink_fix(rtype: &str) -> &'static str {
    match rtype {
        "MX" => {
            "Publish fewer MX records: a few Best Effort Receivers (each name may hold several addresses or sit behind a load balancer) instead of one MX record per relay."
        }
        "SRV" => {
            "Publish fewer SRV records: a few relay names (each may hold several addresses) instead of one SRV record per relay."
        }
        "TLSA" => {
            "Publish fewer TLSA records at this name, and digests (matching type 1 or 2) rather than whole certificates or keys (matching type 0)."
        }
        "TXT" => "Shorten the text, or publish fewer TXT records at this name.",
        "A" | "AAAA" => "Give this host fewer addresses, or spread them over several host names.",
        _ => "Publish fewer or smaller records at this name.",
    }
}

/// The RRsets whose size a rule judges: (first record, owner, type, measurement).
pub(super) fn measured<'a>(
    input: &crate::rules::Facts<'a>,
    sizes: &'a wire::Sizes,
) -> impl Iterator<Item = (&'a Record, &'a wire::Measured)> + 'a {
    let records = input.records.records();
    sizes
        .measured
        .iter()
        .filter_map(move |m| records.get(m.first).map(|r| (r, m)))
}

pub(super) fn name_014(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let sizes = wire::sizes(input);
    let sig = if sizes.signed {
        " and one RRSIG (ECDSA P-256; DANE needs a signed zone)"
    } else {
        ""
    };
    for (first, m) in measured(input, sizes) {
        let rtype = first.data.rtype();
        let owner = first.name.as_str();
        let subject = format!("{} {rtype}", head(owner, 80));
        let finding = match m.answer {
            Answer::TooLarge { fit } => rule.finding(
                input,
                subject,
                format!(
                    "The {rtype} RRset of `{}` ({} records) does not fit in one DNS message: header, question and the first {fit} records{} already fill 65,535 octets. Name servers refuse to load the zone (BIND: \"ran out of space\") and no resolver can receive the answer.",
                    head(owner, 80),
                    m.records,
                    if fit == m.records { sig } else { "" }
                ),
                shrink_fix(rtype),
            ),
            Answer::Exact(n) if n > wire::MESSAGE_LIMIT => rule.finding(
                input,
                subject,
                format!(
                    "The answer for the {rtype} RRset of `{}` ({} records{sig}) is {n} octets; a DNS message holds at most 65,535.",
                    head(owner, 80),
                    m.records
                ),
                shrink_fix(rtype),
            ),
            Answer::Exact(n) if n + wire::OPT_RECORD > wire::UDP_LIMIT => rule
                .finding(
                    input,
                    subject,
                    format!(
                        "The answer for the {rtype} RRset of `{}` ({} records{sig}) is {n} octets, {} with EDNS: more than the 1,232 octets of the DNS Flag Day 2020 buffer, so resolvers get it truncated and must ask again over TCP (some senders' resolvers fail there).",
                        head(owner, 80),
                        m.records,
                        n + wire::OPT_RECORD
                    ),
                    shrink_fix(rtype),
                )
                .with_severity(Severity::Warning),
            Answer::Exact(_) => continue,
        };
        out.push(finding.at(first.origin));
    }
}

pub(super) fn name_015(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let sizes = wire::sizes(input);
    for (first, m) in measured(input, sizes) {
        if m.stored <= wire::BIND_RRSET_LIMIT {
            continue;
        }
        let rtype = first.data.rtype();
        let owner = first.name.as_str();
        out.push(
            rule.finding(
                input,
                format!("{} {rtype}", head(owner, 80)),
                format!(
                    "The {rtype} RRset of `{}` ({} records) takes {} octets as a name server stores it (2 + RDLENGTH per record, names uncompressed); BIND 9 stores at most 65,512 and refuses the whole zone (\"ran out of space\"), even where the compressed answer would fit in a message.",
                    head(owner, 80),
                    m.records,
                    m.stored
                ),
                shrink_fix(rtype),
            )
            .at(first.origin),
        );
    }
}

pub(super) fn name_016(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    // Only a design's records make one zone snippet; what DNS publishes (and a bare record set)
    // spans many zones by nature.
    if input.relays.is_empty()
        || input
            .live
            .is_some_and(|p| std::ptr::eq(&p.records, input.records))
    {
        return;
    }
    let mut seen = HashSet::new();
    for rec in input.records.iter() {
        if crate::model::name::is_in_domain(&rec.name, input.domain)
            || !seen.insert(rec.name.as_str())
        {
            continue;
        }
        out.push(
            rule.finding(
                input,
                rec.name.as_str(),
                format!(
                    "The {} record at `{}` is outside `{}`, so it cannot be part of the domain's zone: pasted into it, nsd-checkzone refuses the zone (\"out of zone data\"), BIND and Knot drop the record.",
                    rec.data.rtype(),
                    head(&rec.name, 80),
                    input.domain
                ),
                "Publish these records in the zone of the relay host (ask its operator), and remove them from this design; or use a relay host name inside the domain.",
            )
            .at(rec.origin),
        );
    }
}
