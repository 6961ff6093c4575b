//! SGE-002, SGE-003: MTA-STS in `enforce` listing every MX host, TLS-RPT with a working destination.

use super::*;

pub(super) fn sge_002(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    if !is_sge(input) || receives_no_mail(input) {
        return;
    }
    let name = format!("_mta-sts.{}", input.domain);
    let mut push = |subject: String, msg: String, fix: String| {
        out.push(rule.finding(input, subject, msg, fix).at(Origin::MtaSts));
    };
    let look = txt_lookup(input.records, &name);
    let versions = look
        .txt
        .iter()
        .filter(|(_, t)| t.starts_with(STS_VERSION))
        .count();
    if look.end != ChainEnd::Outside && versions != 1 {
        push(
            name.clone(),
            if versions == 0 {
                format!(
                    "SGE requires MTA-STS, but no `v=STSv1` TXT record is published at `{name}`."
                )
            } else {
                format!(
                    "SGE requires MTA-STS, but `{name}` has {versions} `v=STSv1` records, so senders see no policy."
                )
            },
            format!(
                "Publish one TXT record `v=STSv1; id=<id>` at `{name}` and the policy file at https://mta-sts.{}/.well-known/mta-sts.txt with `mode: enforce`.",
                input.domain
            ),
        );
    }
    let subject = format!("mta-sts.{}", input.domain);
    if input.sts_policy.is_none() {
        if input.live.is_some() && input.relays.is_empty() {
            // As published: the policy file comes from the live fetch. Without its text here the
            // fetch is judged by the live STS rules (unreachable, bad certificate, ...); saying
            // "there is no policy file" would contradict a fetch that found one.
            return;
        }
        push(
            subject,
            "SGE requires an MTA-STS policy in `mode: enforce`, but there is no policy file to check.".to_string(),
            "Switch MTA-STS on in the design with `mode: enforce` (or run the live check to fetch the published policy).".to_string(),
        );
        return;
    }
    let Some(p) = input.policy() else { return };
    if p.mode() != Some(StsMode::Enforce) {
        push(
            subject.clone(),
            format!(
                "SGE requires `mode: enforce`; the policy has `mode: {}`, so senders still deliver when TLS or the certificate fails.",
                p.first("mode").unwrap_or("(missing)")
            ),
            "Set `mode: enforce` (after a clean testing period with TLS-RPT) and bump the id."
                .to_string(),
        );
    }
    let index = PatternIndex::new(p.all("mx").map(|l| l.value.as_str()));
    let mut seen = HashSet::new();
    let missing: Vec<&str> = mx_hosts(input)
        .filter(|h| !index.matches(h) && seen.insert(*h))
        .collect();
    if !missing.is_empty() {
        push(
            subject,
            format!(
                "SGE requires the MTA-STS policy to list every MX host; {} not matched by any `mx:` pattern: {}.",
                if missing.len() == 1 {
                    "this one is"
                } else {
                    "these are"
                },
                short_list(&missing, 5)
            ),
            format!(
                "Add one `mx:` line per MX host ({}) and bump the id.",
                short_list(
                    &missing
                        .iter()
                        .map(|h| format!("`mx: {h}`"))
                        .collect::<Vec<_>>(),
                    3
                )
            ),
        );
    }
}

pub(super) fn sge_003(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    if !is_sge(input) || receives_no_mail(input) {
        return;
    }
    let name = format!("_smtp._tls.{}", input.domain);
    let look = txt_lookup(input.records, &name);
    if look.end == ChainEnd::Outside {
        return;
    }
    let versions: Vec<(&Record, &String)> = look
        .txt
        .iter()
        .filter(|(_, t)| t.starts_with(TLSRPT_VERSION))
        .map(|(r, t)| (*r, t))
        .collect();
    let fix = format!(
        "Publish one TXT record at `{name}`: `v=TLSRPTv1; rua=mailto:tlsrpt@{}` (or an `https://` endpoint).",
        input.domain
    );
    let (msg, origin) = match versions.as_slice() {
        [] => (
            format!(
                "SGE requires TLS-RPT, but no `v=TLSRPTv1` TXT record is published at `{name}`."
            ),
            Origin::TlsRpt,
        ),
        [(rec, text)] => {
            if parse_tlsrpt(text).usable_destinations().next().is_some() {
                return;
            }
            (
                format!(
                    "SGE requires TLS-RPT with at least one working `rua` destination; TXT \"{text}\" has none (each must be `mailto:<address>` or `https://<host>/…`)."
                ),
                rec.origin,
            )
        }
        many => (
            format!(
                "SGE requires TLS-RPT, but `{name}` has {} `v=TLSRPTv1` records, so reporters treat it as unpublished.",
                many.len()
            ),
            many.first().map_or(Origin::TlsRpt, |(r, _)| r.origin),
        ),
    };
    out.push(rule.finding(input, name.clone(), msg, fix).at(origin));
}
