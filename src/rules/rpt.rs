//! RPT rules (the catalogue: `rules::catalogue`, `secmx explain`). Each rule's Fail/Pass examples are its unit tests below.

use super::sts::{
    ChainEnd, TxtLookup, space_before_first_semicolon, tag_fields, trim_wsp, txt_lookup,
};
use super::{Finding, Rule, Severity};
use crate::model::Origin;
use crate::model::records::Record;

/// The rules of this group, in catalogue order.
pub const RULES: &[Rule] = &[
    Rule::new(
        "RPT-001",
        Severity::Error,
        "Exactly one TXT record at `_smtp._tls.<domain>` starts with `v=TLSRPTv1`; otherwise senders assume no reporting.",
        rpt_001,
    ),
    Rule::new(
        "RPT-002",
        Severity::Error,
        "`v=TLSRPTv1` is the first field and an `rua=` field is present.",
        rpt_002,
    ),
    Rule::new(
        "RPT-003",
        Severity::Error,
        "Every `rua` destination is a `mailto:` or `https:` URI; a bare address is invalid.",
        rpt_003,
    ),
    Rule::new(
        "RPT-004",
        Severity::Error,
        "Several URIs are comma-separated (optional spaces around the comma); a literal `,`, `!` or `;` inside one URI must be percent-encoded. Reporters may pick any one URI, so every listed destination must work; unknown extension fields are ignored.",
        rpt_004,
    ),
    Rule::new(
        "RPT-005",
        Severity::Warning,
        "An `https:` destination is an absolute URI with a resolvable host and a valid certificate (reporters may skip certificate checks, but a broken endpoint loses reports).",
        rpt_005,
    ),
    Rule::new(
        "RPT-006",
        Severity::Warning,
        "Whitespace before the first `;` is ABNF-valid but fails the literal `v=TLSRPTv1;` prefix test used for filtering; write `v=TLSRPTv1;`.",
        rpt_006,
    ),
    Rule::new(
        "RPT-007",
        Severity::Warning,
        "The record sits at `_smtp._tls.<domain>`; look-alike names (`_tlsrpt.<domain>`, `_smtp-tls.<domain>`, `_smtp._tls` put at the apex TXT) are never queried.",
        rpt_007,
    ),
];

/// The version field every TLS-RPT record starts with (RFC 8460 §3, case-sensitive).
pub const TLSRPT_VERSION: &str = "v=TLSRPTv1";

/// A TLS-RPT TXT record read leniently (RFC 8460 §3).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TlsRptRecord {
    /// The record starts with exactly `v=TLSRPTv1`.
    pub version_first: bool,
    /// The `rua` field is present (the first one counts).
    pub has_rua: bool,
    /// The destinations of the first `rua` field, split at `,` and trimmed (empty pieces kept).
    pub rua: Vec<String>,
    /// The other `name=value` fields, as written.
    pub extensions: Vec<(String, String)>,
    /// Fields that are not `name=value` (e.g. a second URI after a `;`).
    pub stray: Vec<String>,
}

impl TlsRptRecord {
    /// The destinations a reporter can use: `mailto:` with an address, or `https://` with a host.
    pub fn usable_destinations(&self) -> impl Iterator<Item = &str> {
        self.rua
            .iter()
            .map(String::as_str)
            .filter(|u| uri_problem(u).is_none() && https_problem(u).is_none())
    }
}

/// Read a TLS-RPT TXT record (joined strings). Never fails; the RPT rules judge the details.
pub fn parse_tlsrpt(text: &str) -> TlsRptRecord {
    let mut r = TlsRptRecord {
        version_first: text.starts_with(TLSRPT_VERSION),
        ..TlsRptRecord::default()
    };
    for field in tag_fields(text).into_iter().skip(1) {
        if field.is_empty() {
            continue;
        }
        match field.split_once('=') {
            Some(("rua", value)) if !r.has_rua => {
                r.has_rua = true;
                r.rua = value.split(',').map(|u| trim_wsp(u).to_string()).collect();
            }
            Some((name, value)) if !looks_like_uri(field) => {
                r.extensions.push((name.to_string(), value.to_string()))
            }
            _ => r.stray.push(field.to_string()),
        }
    }
    r
}

/// Whether a field looks like a report URI rather than a `name=value` field.
fn looks_like_uri(field: &str) -> bool {
    let l = field.to_ascii_lowercase();
    l.starts_with("mailto:") || l.starts_with("https:") || l.starts_with("http:")
}

/// The scheme of a URI (lower case), if it has one.
fn scheme(uri: &str) -> Option<String> {
    let (s, _) = uri.split_once(':')?;
    let mut chars = s.chars();
    let ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.');
    ok.then(|| s.to_ascii_lowercase())
}

/// What is wrong with a destination's scheme or shape (RPT-003), if anything.
fn uri_problem(uri: &str) -> Option<String> {
    match scheme(uri).as_deref() {
        Some("mailto") => {
            let addr = uri.get("mailto:".len()..).unwrap_or("");
            if addr.contains('@') {
                None
            } else {
                Some(format!(
                    "`{uri}` has no address after `mailto:`; write `mailto:tlsrpt@<domain>`"
                ))
            }
        }
        Some("https") => None,
        Some("http") => Some(format!(
            "`{uri}` uses plain `http:`; only `https:` (or `mailto:`) is allowed — write `https:{}`",
            uri.get("http:".len()..).unwrap_or("")
        )),
        Some(other) if uri.contains('@') && !uri.contains("//") && other.contains('.') => {
            Some(format!("`{uri}` is a bare address; write `mailto:{uri}`"))
        }
        Some(other) => Some(format!(
            "`{uri}` uses the `{other}:` scheme; only `mailto:` and `https:` are allowed"
        )),
        None if uri.contains('@') => {
            Some(format!("`{uri}` is a bare address; write `mailto:{uri}`"))
        }
        None => Some(format!(
            "`{uri}` is not a URI; write `mailto:<address>` or `https://<host>/<path>`"
        )),
    }
}

/// What is wrong with an `https:` destination's shape (RPT-005), if anything.
fn https_problem(uri: &str) -> Option<String> {
    if scheme(uri).as_deref() != Some("https") {
        return None;
    }
    let rest = uri.get("https:".len()..).unwrap_or("");
    let Some(after) = rest.strip_prefix("//") else {
        return Some(format!(
            "`{uri}` is not an absolute URI with a host: it must start with `https://` followed by the host name"
        ));
    };
    let authority = after.split(['/', '?', '#']).next().unwrap_or("");
    let hostport = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if hostport.starts_with('[') {
        hostport
            .split_once(']')
            .map_or(hostport, |(h, _)| h)
            .trim_start_matches('[')
    } else {
        hostport.split(':').next().unwrap_or("")
    };
    if host.is_empty() {
        return Some(format!("`{uri}` has no host after `https://`"));
    }
    let ok = host
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == ':' || c == '%')
        && !host.starts_with('.')
        && !host.contains("..");
    if !ok {
        return Some(format!(
            "`{uri}` has the host `{host}`, which is not a valid host name"
        ));
    }
    None
}

fn rpt_owner(input: &crate::rules::Facts<'_>) -> String {
    format!("_smtp._tls.{}", input.domain)
}

/// The `_smtp._tls` lookup and its records that start with `v=TLSRPTv1`.
fn rpt_txt<'a>(input: &crate::rules::Facts<'a>) -> (TxtLookup<'a>, Vec<(&'a Record, String)>) {
    let look = txt_lookup(input.records, &rpt_owner(input));
    let versions = look
        .txt
        .iter()
        .filter(|(_, t)| t.starts_with(TLSRPT_VERSION))
        .map(|(r, t)| (*r, t.clone()))
        .collect();
    (look, versions)
}

const RUA_EXAMPLE: &str = "v=TLSRPTv1; rua=mailto:tlsrpt@agency.example";

fn rpt_001(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let (look, versions) = rpt_txt(input);
    let via = if look.chain.is_empty() {
        String::new()
    } else {
        format!(" (reached through CNAME {})", look.chain.join(" → "))
    };
    match look.end {
        ChainEnd::Absent | ChainEnd::Outside => {}
        ChainEnd::Loop => out.push(
            rule.finding(
                input,
                rpt_owner(input),
                format!(
                    "`{}` is a CNAME chain that loops or is too long ({}): reporters find no TLS-RPT record and send no reports.",
                    rpt_owner(input),
                    look.chain.join(" → ")
                ),
                format!("Publish the TXT record `{RUA_EXAMPLE}` at `{}` directly.", rpt_owner(input)),
            )
            .at(Origin::TlsRpt),
        ),
        ChainEnd::Known => match versions.len() {
            0 if !look.txt.is_empty() || !look.chain.is_empty() => {
                let origin = look.txt.first().map_or(Origin::TlsRpt, |(r, _)| r.origin);
                out.push(
                    rule.finding(
                        input,
                        look.owner.clone(),
                        format!(
                            "`{}`{via} has {} TXT record(s) but none starts with `v=TLSRPTv1`: reporters assume the domain wants no TLS reports.",
                            look.owner,
                            look.txt.len()
                        ),
                        format!("Publish exactly one TXT record like `{RUA_EXAMPLE}` there."),
                    )
                    .at(origin),
                );
            }
            0 | 1 => {}
            n => {
                let all: Vec<String> = versions
                    .iter()
                    .flat_map(|(_, t)| parse_tlsrpt(t).rua)
                    .filter(|u| !u.is_empty())
                    .collect();
                let origin = versions.first().map_or(Origin::TlsRpt, |(r, _)| r.origin);
                out.push(
                    rule.finding(
                        input,
                        look.owner.clone(),
                        format!(
                            "`{}`{via} has {n} TXT records starting with `v=TLSRPTv1`: with more than one, reporters treat the domain as having no TLS-RPT policy and send nothing.",
                            look.owner
                        ),
                        if all.is_empty() {
                            "Merge them into one record with one `rua=` listing every destination, separated by commas.".to_string()
                        } else {
                            format!(
                                "Merge them into one record: `v=TLSRPTv1; rua={}`.",
                                all.join(",")
                            )
                        },
                    )
                    .at(origin),
                );
            }
        },
    }
}

fn rpt_002(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let (look, _) = rpt_txt(input);
    for (rec, text) in &look.txt {
        if !text.starts_with(TLSRPT_VERSION) {
            if !text.to_ascii_lowercase().contains("v=tlsrptv1") {
                continue;
            }
            let why = if text.trim_start().starts_with(TLSRPT_VERSION) {
                "starts with white space before `v=TLSRPTv1`"
            } else if text
                .trim_start()
                .to_ascii_lowercase()
                .starts_with("v=tlsrptv1")
            {
                "writes the version in the wrong case (it is case-sensitive)"
            } else {
                "does not start with the version field"
            };
            out.push(
                rule.finding(
                    input,
                    rec.name.clone(),
                    format!(
                        "TXT \"{text}\" {why}: reporters only accept records beginning with exactly `v=TLSRPTv1`, so this one is ignored."
                    ),
                    format!("Write the record as `{RUA_EXAMPLE}` — `v=TLSRPTv1` first, in exactly this case."),
                )
                .at(rec.origin),
            );
            continue;
        }
        let r = parse_tlsrpt(text);
        if r.has_rua {
            continue;
        }
        let hint = tag_fields(text)
            .into_iter()
            .filter_map(|f| f.split_once('='))
            .find(|(n, _)| trim_wsp(n).eq_ignore_ascii_case("rua"))
            .map(|(n, _)| {
                format!(" (`{n}=` is written in the wrong case or with spaces; the field name is exactly `rua`)")
            })
            .unwrap_or_default();
        out.push(
            rule.finding(
                input,
                rec.name.clone(),
                format!(
                    "TXT \"{text}\" has no `rua=` field{hint}: reporters have nowhere to send reports, so the record is invalid."
                ),
                format!("Add the destinations: `{RUA_EXAMPLE}`."),
            )
            .at(rec.origin),
        );
    }
}

fn rpt_003(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let (_, versions) = rpt_txt(input);
    for (rec, text) in &versions {
        let r = parse_tlsrpt(text);
        if !r.has_rua {
            continue;
        }
        if r.rua.iter().all(|u| u.is_empty()) {
            out.push(
                rule.finding(
                    input,
                    rec.name.clone(),
                    format!("TXT \"{text}\": `rua=` is empty, so reports have no destination."),
                    format!("List at least one destination: `{RUA_EXAMPLE}`."),
                )
                .at(rec.origin),
            );
            continue;
        }
        for uri in r.rua.iter().filter(|u| !u.is_empty()) {
            if let Some(problem) = uri_problem(uri) {
                out.push(
                    rule.finding(
                        input,
                        rec.name.clone(),
                        format!("TXT \"{text}\": the destination {problem}. Reporters cannot use it."),
                        "Every rua destination is `mailto:<address>` or `https://<host>/<path>`; separate several with commas. A literal comma inside one URI is written `%2C`.",
                    )
                    .at(rec.origin),
                );
            }
        }
    }
}

fn rpt_004(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    const FIX: &str = "Separate destinations with commas inside one `rua=` field (`rua=mailto:a@agency.example,mailto:b@agency.example`); percent-encode a literal `,` as `%2C`, `!` as `%21` and `;` as `%3B`.";
    let (_, versions) = rpt_txt(input);
    for (rec, text) in &versions {
        let r = parse_tlsrpt(text);
        let mut push = |msg: String| {
            out.push(
                rule.finding(input, rec.name.clone(), msg, FIX)
                    .at(rec.origin),
            );
        };
        for s in r
            .stray
            .iter()
            .filter(|s| looks_like_uri(s) || s.contains('@'))
        {
            push(format!(
                "TXT \"{text}\": `{s}` follows a `;`, so it is read as a separate (broken) field, not as a second destination; reports never go there."
            ));
        }
        if !r.has_rua {
            continue;
        }
        let non_empty = r.rua.iter().filter(|u| !u.is_empty()).count();
        if non_empty > 0 && non_empty < r.rua.len() {
            push(format!(
                "TXT \"{text}\": `rua=` has an empty destination (a doubled, leading or trailing comma)."
            ));
        }
        for uri in r.rua.iter().filter(|u| !u.is_empty()) {
            if uri.contains(' ') || uri.contains('\t') {
                push(format!(
                    "TXT \"{text}\": `{uri}` contains white space — several destinations separated by spaces, or a space inside a URI."
                ));
            }
            if uri.contains('!') {
                push(format!(
                    "TXT \"{text}\": `{uri}` contains a literal `!`, which must be written `%21`."
                ));
            }
        }
    }
}

fn rpt_005(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let (_, versions) = rpt_txt(input);
    for (rec, text) in &versions {
        for uri in parse_tlsrpt(text).rua {
            if let Some(problem) = https_problem(&uri) {
                out.push(
                    rule.finding(
                        input,
                        rec.name.clone(),
                        format!("TXT \"{text}\": {problem}; reporters cannot post reports to it."),
                        "Write the full endpoint, e.g. `rua=https://tlsrpt.agency.example/v1/report`; the live check confirms that the host resolves and has a valid certificate.",
                    )
                    .at(rec.origin),
                );
            }
        }
    }
}

fn rpt_006(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let (_, versions) = rpt_txt(input);
    for (rec, text) in &versions {
        if space_before_first_semicolon(text, TLSRPT_VERSION) {
            out.push(
                rule.finding(
                    input,
                    rec.name.clone(),
                    format!(
                        "TXT \"{text}\" has white space between `v=TLSRPTv1` and `;`: the grammar allows it, but reporters that filter on the literal prefix `v=TLSRPTv1;` skip the record."
                    ),
                    "Write `v=TLSRPTv1;` with no space before the `;`.",
                )
                .at(rec.origin),
            );
        }
    }
}

/// Look-alike owner-name prefixes that reporters never query.
const LOOKALIKES: [&str; 5] = [
    "_tlsrpt.",
    "_smtp-tls.",
    "_smtp_tls.",
    "_tls-rpt.",
    "_tls._smtp.",
];

fn rpt_007(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    let right = rpt_owner(input);
    let mut names: Vec<String> = LOOKALIKES
        .iter()
        .map(|p| format!("{p}{}", input.domain))
        .collect();
    names.push(input.domain.to_string());
    for name in names {
        for (rec, text) in input.records.txt_at(&name) {
            if !text
                .trim_start()
                .to_ascii_lowercase()
                .starts_with("v=tlsrptv1")
            {
                continue;
            }
            let where_ = if name == input.domain {
                "at the domain apex".to_string()
            } else {
                format!("at `{name}`")
            };
            let fix = if input.records.txt_at(&right).next().is_some() {
                format!(
                    "Delete this record; `{right}` already has the TLS-RPT record (merge any destinations it lacks)."
                )
            } else {
                format!("Move the record to `{right}`.")
            };
            out.push(
                rule.finding(
                    input,
                    name.clone(),
                    format!(
                        "TXT \"{text}\" is {where_}; reporters only query `{right}`, so this record is never read."
                    ),
                    fix,
                )
                .at(rec.origin),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::{Case, cname, txt};

    const RPT: &str = "_smtp._tls.agency.example";

    fn rec(text: &str) -> Case {
        Case::new(vec![txt(RPT, &[text])])
    }

    // RPT-001
    #[test]
    fn rpt_001_fail_two_records() {
        let f = Case::new(vec![
            txt(RPT, &["v=TLSRPTv1; rua=mailto:a@agency.example"]),
            txt(RPT, &["v=TLSRPTv1; rua=mailto:b@agency.example"]),
        ])
        .fails_with("RPT-001", Severity::Error);
        assert!(
            f[0].fix
                .contains("rua=mailto:a@agency.example,mailto:b@agency.example"),
            "{f:?}"
        );
    }

    #[test]
    fn rpt_001_fail_no_version_record_among_txt() {
        rec("rua=mailto:a@agency.example").fails("RPT-001");
    }

    #[test]
    fn rpt_001_pass_one_record_two_destinations() {
        rec("v=TLSRPTv1; rua=mailto:a@agency.example,mailto:b@agency.example").passes("RPT-001");
        Case::new(vec![]).passes("RPT-001");
    }

    #[test]
    fn rpt_001_follows_cname() {
        Case::new(vec![
            cname(RPT, "_smtp._tls.provider.example"),
            txt(
                "_smtp._tls.provider.example",
                &["v=TLSRPTv1; rua=mailto:a@provider.example"],
            ),
        ])
        .passes("RPT-001");
        Case::new(vec![cname(RPT, "_smtp._tls.provider.example")]).passes("RPT-001");
        Case::new(vec![cname(RPT, RPT)]).fails("RPT-001");
    }

    // RPT-002
    #[test]
    fn rpt_002_fail_rua_first() {
        rec("rua=mailto:tlsrpt@agency.example; v=TLSRPTv1").fails_with("RPT-002", Severity::Error);
    }

    #[test]
    fn rpt_002_fail_no_rua() {
        let f = rec("v=TLSRPTv1;").fails("RPT-002");
        assert!(f[0].message.contains("no `rua=`"), "{f:?}");
        let f = rec("v=TLSRPTv1; RUA=mailto:a@agency.example").fails("RPT-002");
        assert!(f[0].message.contains("wrong case"), "{f:?}");
    }

    #[test]
    fn rpt_002_pass_version_then_rua() {
        rec("v=TLSRPTv1; rua=mailto:tlsrpt@agency.example").passes("RPT-002");
    }

    // RPT-003
    #[test]
    fn rpt_003_fail_bare_address() {
        let f =
            rec("v=TLSRPTv1; rua=postmaster@agency.example").fails_with("RPT-003", Severity::Error);
        assert!(
            f[0].message.contains("mailto:postmaster@agency.example"),
            "{f:?}"
        );
    }

    #[test]
    fn rpt_003_fail_http() {
        rec("v=TLSRPTv1; rua=http://tlsrpt.agency.example/v1").fails("RPT-003");
        rec("v=TLSRPTv1; rua=").fails("RPT-003");
        rec("v=TLSRPTv1; rua=mailto:").fails("RPT-003");
    }

    #[test]
    fn rpt_003_pass_mailto_and_https() {
        rec("v=TLSRPTv1; rua=mailto:postmaster@agency.example").passes("RPT-003");
        rec("v=TLSRPTv1; rua=https://tlsrpt.agency.example/v1").passes("RPT-003");
    }

    // RPT-004
    #[test]
    fn rpt_004_fail_semicolon_between_uris() {
        let f = rec("v=TLSRPTv1; rua=mailto:a@agency.example;mailto:b@agency.example")
            .fails_with("RPT-004", Severity::Error);
        assert!(f[0].message.contains("mailto:b@agency.example"), "{f:?}");
    }

    #[test]
    fn rpt_004_fail_bang_space_and_empty() {
        rec("v=TLSRPTv1; rua=mailto:a!b@agency.example").fails("RPT-004");
        rec("v=TLSRPTv1; rua=mailto:a@agency.example mailto:b@agency.example").fails("RPT-004");
        rec("v=TLSRPTv1; rua=mailto:a@agency.example,,mailto:b@agency.example").fails("RPT-004");
    }

    #[test]
    fn rpt_004_pass_comma_with_spaces() {
        rec("v=TLSRPTv1; rua=mailto:a@agency.example, mailto:b@agency.example").passes("RPT-004");
        rec("v=TLSRPTv1; rua=mailto:a%21b@agency.example; ext=1").passes("RPT-004");
    }

    // RPT-005
    #[test]
    fn rpt_005_fail_no_authority() {
        rec("v=TLSRPTv1; rua=https:/tlsrpt").fails_with("RPT-005", Severity::Warning);
        rec("v=TLSRPTv1; rua=https:///v1/report").fails("RPT-005");
    }

    #[test]
    fn rpt_005_pass_absolute_https() {
        rec("v=TLSRPTv1; rua=https://tlsrpt.agency.example/v1/report").passes("RPT-005");
        rec("v=TLSRPTv1; rua=https://tlsrpt.agency.example:8443/r,mailto:a@agency.example")
            .passes("RPT-005");
    }

    // RPT-006
    #[test]
    fn rpt_006_fail_space_before_semicolon() {
        rec("v=TLSRPTv1 ; rua=mailto:tlsrpt@agency.example")
            .fails_with("RPT-006", Severity::Warning);
    }

    #[test]
    fn rpt_006_pass_no_space() {
        rec("v=TLSRPTv1; rua=mailto:tlsrpt@agency.example").passes("RPT-006");
    }

    // RPT-007
    #[test]
    fn rpt_007_fail_tlsrpt_label() {
        let f = Case::new(vec![txt(
            "_tlsrpt.agency.example",
            &["v=TLSRPTv1; rua=mailto:tlsrpt@agency.example"],
        )])
        .fails_with("RPT-007", Severity::Warning);
        assert!(f[0].fix.contains("Move"), "{f:?}");
    }

    #[test]
    fn rpt_007_fail_smtp_tls_and_apex() {
        Case::new(vec![txt(
            "_smtp-tls.agency.example",
            &["v=TLSRPTv1; rua=mailto:t@agency.example"],
        )])
        .fails("RPT-007");
        Case::new(vec![
            txt(
                "agency.example",
                &["v=TLSRPTv1; rua=mailto:t@agency.example"],
            ),
            txt(RPT, &["v=TLSRPTv1; rua=mailto:t@agency.example"]),
        ])
        .fails("RPT-007");
    }

    #[test]
    fn rpt_007_pass_right_name() {
        Case::new(vec![
            txt(RPT, &["v=TLSRPTv1; rua=mailto:tlsrpt@agency.example"]),
            txt("agency.example", &["v=spf1 -all"]),
        ])
        .passes("RPT-007");
    }

    #[test]
    fn parser_reads_destinations() {
        let r = parse_tlsrpt("v=TLSRPTv1; rua=mailto:a@x.example, https://r.x.example/v1; ext=1");
        assert!(r.version_first && r.has_rua);
        assert_eq!(r.rua, vec!["mailto:a@x.example", "https://r.x.example/v1"]);
        assert_eq!(r.extensions, vec![("ext".to_string(), "1".to_string())]);
        assert_eq!(r.usable_destinations().count(), 2);
        assert_eq!(
            parse_tlsrpt("v=TLSRPTv1; rua=a@x.example")
                .usable_destinations()
                .count(),
            0
        );
    }
}
