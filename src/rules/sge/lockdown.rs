//! SGE-009: domains that send no mail are locked down (SPF `-all`, DMARC `p=reject`, null MX).

use super::*;

pub(super) fn sge_009(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    if !is_sge(input) {
        return;
    }
    let d = input.domain;
    let spf = spf_records(input);
    let sends_none = matches!(spf.as_slice(), [(_, _, s)] if !s.authorizes_senders());
    let receives_none = receives_no_mail(input);
    // A domain whose SPF authorises senders is a sending domain: SGE-004/006 judge it.
    let sends_some = spf.iter().any(|(_, _, s)| s.authorizes_senders());
    if sends_some || !(sends_none || receives_none) {
        return;
    }
    let why = if has_null_mx(input) {
        "publishes a null MX (receives no mail)"
    } else if receives_none {
        "has no MX record and sends no mail"
    } else {
        "sends no mail"
    };
    match spf.as_slice() {
        [(_, _, s)] if s.is_lockdown() => {}
        [] => out.push(
            rule.finding(
                input,
                d,
                format!("`{d}` {why}, but has no SPF record: anyone can send mail in its name."),
                format!("Publish `{d}. TXT \"v=spf1 -all\"`."),
            )
            .at(Origin::Sge),
        ),
        recs => out.push(
            rule.finding(
                input,
                d,
                format!(
                    "`{d}` {why}; its SPF ({}) should be exactly `v=spf1 -all`.",
                    short_list(
                        &recs
                            .iter()
                            .map(|(_, t, _)| format!("\"{t}\""))
                            .collect::<Vec<_>>(),
                        3
                    )
                ),
                "Replace the SPF record(s) with the single record `v=spf1 -all`.",
            )
            .at(recs.first().map_or(Origin::Sge, |(r, _, _)| r.origin)),
        ),
    }
    if let Some(dmarc) = dmarc_records(input) {
        let name = dmarc_owner(input);
        match dmarc.as_slice() {
            [(_, _, m)] if policy_tag(input, m).1.is_some_and(|p| p.eq_ignore_ascii_case("reject")) => {}
            [] => out.push(
                rule.finding(
                    input,
                    name.clone(),
                    format!("`{d}` {why}, but has no DMARC record at `{name}`."),
                    format!("Publish `{name}. TXT \"v=DMARC1; p=reject\"`."),
                )
                .at(Origin::Sge),
            ),
            recs => out.push(
                rule.finding(
                    input,
                    name.clone(),
                    format!(
                        "`{d}` {why}; its DMARC record at `{name}` must be a single record with `p=reject` ({}).",
                        short_list(
                            &recs.iter().map(|(_, t, _)| format!("\"{t}\"")).collect::<Vec<_>>(),
                            3
                        )
                    ),
                    format!("Publish exactly one `{name}. TXT \"v=DMARC1; p=reject\"`."),
                )
                .at(recs.first().map_or(Origin::Sge, |(r, _, _)| r.origin)),
            ),
        }
    }
    if receives_none && !has_null_mx(input) {
        out.push(
            rule.finding(
                input,
                d,
                format!(
                    "`{d}` has no MX record, so senders fall back to its address records and may try to deliver to it."
                ),
                format!("Publish a null MX: `{d}. MX 0 .` (switch on \"receives no mail\" in the design)."),
            )
            .at(Origin::Domain),
        );
    }
}
