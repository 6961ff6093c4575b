//! NMX rules (the catalogue: `rules::catalogue`, `secmx explain`). Each rule's Fail/Pass examples are its unit tests below.

use super::{Finding, Rule, Severity};
use crate::model::{Origin, Record};

/// The rules of this group, in catalogue order.
pub const RULES: &[Rule] = &[
    Rule::new(
        "NMX-001",
        Severity::Error,
        "A null MX is exactly one MX record with preference 0 and a root (\".\") exchange.",
        nmx_001,
    ),
    Rule::new(
        "NMX-002",
        Severity::Error,
        "A null MX never shares the RRset with any other MX record.",
        nmx_002,
    ),
    Rule::new(
        "NMX-003",
        Severity::Error,
        "Malformed null-MX spellings are rejected by the builder: `MX 0.` (missing space), `MX 0 \".\"`, `MX 0 @`, or an empty exchange produced by a provider UI.",
        nmx_003,
    ),
    Rule::new(
        "NMX-004",
        Severity::Warning,
        "A domain that publishes null MX should not be used as a mail sender; publish `v=spf1 -all` (and DMARC `p=reject`).",
        nmx_004,
    ),
    Rule::new(
        "NMX-005",
        Severity::Warning,
        "Null MX contradicts any receiving-side policy for the same domain (SecMX SRV, MTA-STS, TLS-RPT, TLSA under its MX names).",
        nmx_005,
    ),
];

/// The null MX record of the domain (an MX with the root as exchange), if it publishes one.
fn null_mx<'a>(input: &crate::rules::Facts<'a>) -> Option<&'a Record> {
    input
        .records
        .mx_of(input.domain)
        .find(|(_, _, exch)| exch.is_empty())
        .map(|(r, _, _)| r)
}

/// Judge the text of an MX record as a user typed it (the data part, e.g. `0 .`, optionally after
/// `MX` or `IN MX`) for a malformed null-MX spelling (NMX-003). Returns the error message, or `None`
/// when the text is a well-formed null MX or not meant as one (`10 mx1.agency.example.`). A root
/// exchange with another preference (`10 .`) is left to NMX-001.
pub fn null_mx_spelling_error(text: &str) -> Option<String> {
    let mut tokens = text.split_whitespace().peekable();
    if tokens.peek().is_some_and(|t| t.eq_ignore_ascii_case("IN")) {
        tokens.next();
    }
    if tokens.peek().is_some_and(|t| t.eq_ignore_ascii_case("MX")) {
        tokens.next();
    }
    let pref = tokens.next()?;
    let exchange = tokens.next();
    let extra = tokens.next();
    const FIX: &str =
        "write the null MX as `0 .`: preference 0, a space, and a single unquoted dot";
    // `0.` — the space between preference and root went missing.
    if let Some(digits) = pref.strip_suffix('.')
        && !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && exchange.is_none()
    {
        return Some(format!(
            "`{pref}` is missing the space between the preference and the root exchange, so it is read as a preference with no exchange; {FIX}"
        ));
    }
    if pref.parse::<u64>().ok()? != 0 {
        return None;
    }
    let Some(exchange) = exchange else {
        return Some(format!(
            "the null MX has preference 0 but no exchange; {FIX}"
        ));
    };
    if exchange.contains('"') || exchange.contains('\'') {
        return Some(format!(
            "the exchange `{exchange}` is quoted, so it is a host literally named `{}`, not the root; {FIX}",
            exchange.trim_matches(|c| c == '"' || c == '\'')
        ));
    }
    if exchange == "@" {
        return Some(format!(
            "`@` stands for the domain itself, so `0 @` sends mail to the domain's own address instead of refusing it; {FIX}"
        ));
    }
    if exchange == "0" || exchange == "0." {
        return Some(format!(
            "the exchange `{exchange}` is a host named `0`, not the root; {FIX}"
        ));
    }
    if exchange == "." && extra.is_some() {
        return Some(format!("there is extra text after `0 .`; {FIX}"));
    }
    None
}

fn nmx_001(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    for (rec, pref, exch) in input.records.mx_records() {
        if !exch.is_empty() || pref == 0 {
            continue;
        }
        out.push(
            rule.finding(
                input,
                format!("{} MX {pref} .", rec.name),
                format!(
                    "`{}` has `MX {pref} .`: a root (\".\") exchange means \"this domain takes no mail\" (null MX), and a null MX must have preference 0.",
                    rec.name
                ),
                format!("Write the null MX as `{}. MX 0 .`.", rec.name),
            )
            .at(rec.origin),
        );
    }
}

fn nmx_002(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let targets = input.records.mx_records().map(|(rec, _, exch)| (rec, exch));
    for (owner, null, real) in super::common::root_beside_real(targets) {
        out.push(
            rule.finding(
                input,
                owner,
                format!(
                    "`{owner}` publishes a null MX (`MX 0 .`, \"no mail accepted\") together with {real} other MX record(s). The RRset contradicts itself: some senders bounce the mail, others deliver it."
                ),
                "Remove the null MX if the domain receives mail through its MX hosts, or remove the other MX records if it takes no mail.",
            )
            .at(null.origin),
        );
    }
}

fn nmx_003(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    for (rec, pref, exch) in input.records.mx_records() {
        let problem = if exch.contains('"') {
            format!(
                "the exchange `{exch}` is quoted, so it names a host literally called `{}`, not the root",
                exch.trim_matches('"')
            )
        } else if exch == "0" {
            "the exchange is a host named `0`, most likely the null MX typed as `MX 0.` (missing space) or with `0` for the root".to_string()
        } else if pref == 0 && exch == rec.name && input.records.addresses_of(exch).next().is_none()
        {
            format!(
                "the exchange is `{exch}` itself, which has no address, so this looks like the null MX typed as `MX 0 @` (`@` is the domain, not the root)"
            )
        } else {
            continue;
        };
        out.push(
            rule.finding(
                input,
                format!("{} MX {pref} {exch}", rec.name),
                format!("The MX record of `{}` is a malformed null MX: {problem}.", rec.name),
                format!(
                    "Write the null MX as `{}. MX 0 .`: preference 0, a space, and a single unquoted dot.",
                    rec.name
                ),
            )
            .at(rec.origin),
        );
    }
}

/// Whether a TXT text is an SPF record (`v=spf1` followed by a space or nothing).
fn is_spf(text: &str) -> bool {
    let t = text.trim_start();
    t.get(..6).is_some_and(|v| v.eq_ignore_ascii_case("v=spf1"))
        && t.get(6..)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
}

/// Whether a DMARC text carries `p=reject`.
fn dmarc_rejects(text: &str) -> bool {
    text.split(';').any(|tag| {
        tag.split_once('=').is_some_and(|(k, v)| {
            k.trim().eq_ignore_ascii_case("p") && v.trim().eq_ignore_ascii_case("reject")
        })
    })
}

fn nmx_004(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let Some(null) = null_mx(input) else {
        return;
    };
    let domain = input.domain;
    let spf: Vec<(&Record, String)> = input
        .records
        .txt_at(domain)
        .filter(|(_, t)| is_spf(t))
        .collect();
    let strict = |t: &str| {
        t.split_whitespace()
            .map(str::to_ascii_lowercase)
            .collect::<Vec<_>>()
            == ["v=spf1", "-all"]
    };
    if spf.is_empty() {
        out.push(
            rule.finding(
                input,
                domain,
                format!(
                    "`{domain}` publishes a null MX (it takes no mail) but no SPF record, so others can send mail in its name."
                ),
                format!("Publish `{domain}. TXT \"v=spf1 -all\"` (no host may send for the domain)."),
            )
            .at(null.origin),
        );
    } else if let Some((rec, text)) = spf.iter().find(|(_, t)| !strict(t)) {
        out.push(
            rule.finding(
                input,
                domain,
                format!(
                    "`{domain}` publishes a null MX (it takes no mail) but its SPF record is `{text}`, which still lets hosts send mail in its name."
                ),
                format!("Replace the SPF record with `{domain}. TXT \"v=spf1 -all\"`."),
            )
            .at(rec.origin),
        );
    }
    let dmarc_owner = format!("_dmarc.{domain}");
    let dmarc: Vec<(&Record, String)> = input
        .records
        .txt_at(&dmarc_owner)
        .filter(|(_, t)| {
            t.trim_start()
                .get(..8)
                .is_some_and(|v| v.eq_ignore_ascii_case("v=DMARC1"))
        })
        .collect();
    if dmarc.iter().any(|(_, t)| dmarc_rejects(t)) {
        return;
    }
    let (message, origin) = match dmarc.first() {
        None => (
            format!(
                "`{domain}` publishes a null MX (it takes no mail) but no DMARC record at `{dmarc_owner}`, so receivers are not told to reject mail forged in its name."
            ),
            null.origin,
        ),
        Some((rec, text)) => (
            format!(
                "`{domain}` publishes a null MX (it takes no mail) but its DMARC record `{text}` does not say `p=reject`, so mail forged in its name is still delivered."
            ),
            rec.origin,
        ),
    };
    out.push(
        rule.finding(
            input,
            dmarc_owner.as_str(),
            message,
            format!("Publish `{dmarc_owner}. TXT \"v=DMARC1; p=reject\"`."),
        )
        .at(origin),
    );
}

fn nmx_005(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let Some(null) = null_mx(input) else {
        return;
    };
    let domain = input.domain;
    let srv_owner = input.srv_owner();
    let mut found: Vec<(String, String, &Record)> = Vec::new();
    if let Some((rec, ..)) = input
        .records
        .srv_at(&srv_owner)
        .find(|(.., target)| !target.is_empty())
    {
        found.push((srv_owner.clone(), "SecMX SRV records".to_string(), rec));
    }
    for (owner, what) in [
        (format!("_mta-sts.{domain}"), "an MTA-STS record"),
        (format!("_smtp._tls.{domain}"), "a TLS-RPT record"),
    ] {
        if let Some(rec) = input.records.named(&owner).next() {
            found.push((owner, what.to_string(), rec));
        }
    }
    if let Some(rec) = input.records.of_type("TLSA").next() {
        found.push((rec.name.clone(), "TLSA records for relays".to_string(), rec));
    }
    for (owner, what, rec) in found {
        out.push(
            rule.finding(
                input,
                owner.as_str(),
                format!(
                    "`{domain}` publishes a null MX (it takes no mail) but also {what} (at `{owner}`), a receiving-side policy that says the opposite."
                ),
                format!(
                    "Remove the {what} if the domain takes no mail, or remove the null MX and publish real MX hosts if it does."
                ),
            )
            .at(if rec.origin == Origin::External {
                null.origin
            } else {
                rec.origin
            }),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::*;

    fn parked(records: Vec<Record>) -> Case {
        Case::new(records).domain("parked.example")
    }

    // NMX-001

    #[test]
    fn nmx_001_fail_root_exchange_with_preference_10() {
        let out = parked(vec![mx("parked.example", 10, ".")]).fails("NMX-001");
        assert!(out[0].fix.contains("MX 0 ."), "{}", out[0].fix);
    }

    #[test]
    fn nmx_001_pass_preference_0() {
        parked(vec![mx("parked.example", 0, ".")]).passes("NMX-001");
    }

    #[test]
    fn nmx_001_pass_real_mx() {
        Case::new(vec![mx("agency.example", 10, "mx1.agency.example.")]).passes("NMX-001");
    }

    // NMX-002

    #[test]
    fn nmx_002_fail_null_mx_beside_real_mx() {
        let out = Case::new(vec![
            mx("agency.example", 0, "."),
            mx("agency.example", 10, "mx1.agency.example."),
            mx("agency.example", 20, "mx2.agency.example."),
        ])
        .fails("NMX-002");
        assert_eq!(out.len(), 1);
        assert!(out[0].message.contains("2 other"), "{}", out[0].message);
    }

    #[test]
    fn nmx_002_pass_null_mx_alone() {
        parked(vec![mx("parked.example", 0, ".")]).passes("NMX-002");
    }

    #[test]
    fn nmx_002_pass_real_mx_alone() {
        Case::new(vec![
            mx("agency.example", 10, "mx1.agency.example."),
            mx("agency.example", 20, "mx2.agency.example."),
        ])
        .passes("NMX-002");
    }

    #[test]
    fn nmx_002_judges_each_owner_on_its_own() {
        // A null MX at one name and a real MX at another do not share an RRset.
        Case::new(vec![
            mx("parked.agency.example", 0, "."),
            mx("agency.example", 10, "mx1.agency.example."),
        ])
        .passes("NMX-002");
    }

    // NMX-003 (records)

    #[test]
    fn nmx_003_fail_exchange_0_from_missing_space() {
        // `parked.example. MX 0.` read by a lenient provider as exchange `0`.
        parked(vec![mx("parked.example", 0, "0.")]).fails("NMX-003");
    }

    #[test]
    fn nmx_003_fail_quoted_root() {
        parked(vec![mx("parked.example", 0, "\".\"")]).fails("NMX-003");
    }

    #[test]
    fn nmx_003_fail_at_sign_for_root() {
        // `MX 0 @` expands to the domain itself, which has no address.
        parked(vec![mx("parked.example", 0, "parked.example.")]).fails("NMX-003");
    }

    #[test]
    fn nmx_003_pass_null_mx() {
        parked(vec![mx("parked.example", 0, ".")]).passes("NMX-003");
    }

    #[test]
    fn nmx_003_pass_domain_that_is_its_own_mail_host() {
        parked(vec![
            mx("parked.example", 0, "parked.example."),
            addr("parked.example", "192.0.2.80"),
        ])
        .passes("NMX-003");
    }

    // NMX-003 (typed text)

    #[test]
    fn nmx_003_fail_typed_spellings() {
        for text in [
            "0.",
            "0 \".\"",
            "0 @",
            "0",
            "0 ",
            "MX 0.",
            "IN MX 0 @",
            "0 0.",
        ] {
            assert!(
                null_mx_spelling_error(text).is_some(),
                "`{text}` should be rejected"
            );
        }
        let msg = null_mx_spelling_error("0.").unwrap_or_default();
        assert!(msg.contains("space"), "{msg}");
        let msg = null_mx_spelling_error("0 @").unwrap_or_default();
        assert!(msg.contains("`@`"), "{msg}");
    }

    #[test]
    fn nmx_003_pass_typed_null_mx() {
        for text in ["0 .", " 0   . ", "MX 0 .", "in mx 0 ."] {
            assert_eq!(null_mx_spelling_error(text), None, "`{text}`");
        }
    }

    #[test]
    fn nmx_003_typed_real_mx_is_not_judged() {
        assert_eq!(null_mx_spelling_error("10 mx1.agency.example."), None);
        assert_eq!(null_mx_spelling_error(""), None);
    }

    // NMX-004

    #[test]
    fn nmx_004_fail_permissive_spf() {
        let out = parked(vec![
            mx("parked.example", 0, "."),
            txt(
                "parked.example",
                &["v=spf1 include:_spf.provider.example ~all"],
            ),
        ])
        .fails_with("NMX-004", Severity::Warning);
        assert!(out.iter().any(|f| f.message.contains("~all")), "{out:?}");
    }

    #[test]
    fn nmx_004_fail_no_spf() {
        parked(vec![
            mx("parked.example", 0, "."),
            txt("_dmarc.parked.example", &["v=DMARC1; p=reject"]),
        ])
        .fails("NMX-004");
    }

    #[test]
    fn nmx_004_fail_dmarc_without_reject() {
        let out = parked(vec![
            mx("parked.example", 0, "."),
            txt("parked.example", &["v=spf1 -all"]),
            txt("_dmarc.parked.example", &["v=DMARC1; p=none"]),
        ])
        .fails("NMX-004");
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].subject, "_dmarc.parked.example");
    }

    #[test]
    fn nmx_004_pass_spf_all_and_dmarc_reject() {
        parked(vec![
            mx("parked.example", 0, "."),
            txt("parked.example", &["v=spf1 -all"]),
            txt("parked.example", &["google-site-verification=abc"]),
            txt(
                "_dmarc.parked.example",
                &["v=DMARC1; p=reject; rua=mailto:d@parked.example"],
            ),
        ])
        .passes("NMX-004");
    }

    #[test]
    fn nmx_004_pass_without_null_mx() {
        Case::new(vec![mx("agency.example", 10, "mx1.agency.example.")]).passes("NMX-004");
    }

    // NMX-005

    #[test]
    fn nmx_005_fail_mta_sts_beside_null_mx() {
        let out = parked(vec![
            mx("parked.example", 0, "."),
            txt("_mta-sts.parked.example", &["v=STSv1; id=1"]),
        ])
        .fails_with("NMX-005", Severity::Warning);
        assert_eq!(out.len(), 1);
    }

    #[test]
    fn nmx_005_fail_secmx_srv_tls_rpt_and_tlsa() {
        let out = parked(vec![
            mx("parked.example", 0, "."),
            srv(
                "_secmx._tcp.parked.example",
                10,
                0,
                25,
                "sor1.parked.example.",
            ),
            txt(
                "_smtp._tls.parked.example",
                &["v=TLSRPTv1; rua=mailto:r@parked.example"],
            ),
            tlsa("_25._tcp.sor1.parked.example", 3, 1, 1, &h256('a')),
        ])
        .fails("NMX-005");
        assert_eq!(out.len(), 3, "{out:?}");
    }

    #[test]
    fn nmx_005_pass_null_mx_alone() {
        parked(vec![
            mx("parked.example", 0, "."),
            txt("parked.example", &["v=spf1 -all"]),
        ])
        .passes("NMX-005");
    }

    #[test]
    fn nmx_005_pass_null_mx_with_srv_opt_out() {
        parked(vec![
            mx("parked.example", 0, "."),
            srv("_secmx._tcp.parked.example", 0, 0, 0, "."),
        ])
        .passes("NMX-005");
    }
}
