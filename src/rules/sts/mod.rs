//! STS rules (the catalogue: `rules::catalogue`, `secmx explain`). Each rule's Fail/Pass examples are its unit tests below.

use super::{Finding, Needs, Raise, Rule, Severity};
use crate::model::records::Record;
use crate::model::sts::{PolicyLine, PolicyText};
use crate::model::{Origin, RecordSet, StsMode};
use std::collections::{HashMap, HashSet};

mod policy;
mod record;
mod txt;

pub use policy::*;
use record::*;
pub use txt::*;

/// The rules of this group, in catalogue order.
pub const RULES: &[Rule] = &[
    Rule::new(
        "STS-001",
        Severity::Error,
        "Exactly one TXT record at `_mta-sts.<domain>` starts with `v=STSv1`; zero or several such records mean \"no policy\".",
        sts_001,
    ),
    Rule::new(
        "STS-002",
        Severity::Error,
        "`v=STSv1` is the first field of the record (exact case).",
        sts_002,
    ),
    Rule::new(
        "STS-003",
        Severity::Error,
        "An `id` field is present and holds 1–32 ASCII letters or digits only (no `-`, `.`, `:`, `+`, `/`, `=`; not empty).",
        sts_003,
    ),
    Rule::new(
        "STS-004",
        Severity::Error,
        "Fields are separated by `;` with optional spaces/tabs; extension fields are `name=value` with the characters the ABNF allows; a trailing `;` is optional.",
        sts_004,
    ),
    Rule::new(
        "STS-005",
        Severity::Warning,
        "Whitespace before the first `;` (`\"v=STSv1 ; id=1\"`) fits the ABNF but fails the literal `v=STSv1;` prefix test some senders apply; write `v=STSv1;`.",
        sts_005,
    ),
    Rule::new(
        "STS-006",
        Severity::Info,
        "`_mta-sts` may be a CNAME to a provider's TXT record (policy delegation); the tool follows it and validates the target.",
        sts_006,
    ),
    Rule::new(
        "STS-007",
        Severity::Error,
        "`mta-sts.<domain>` resolves and serves HTTPS whose certificate is valid for that exact name (SAN DNS-ID; a wildcard only as the whole left-most label), unexpired and chained to a publicly trusted CA; a delegated host still needs a certificate for the customer's `mta-sts` name.",
        super::live_probe::from_probes,
    )
    .needs(Needs::Probe),
    Rule::new(
        "STS-008",
        Severity::Error,
        "The policy URL answers 200 directly; 3xx redirects are not followed by senders and count as failure.",
        super::live_probe::from_probes,
    )
    .needs(Needs::Probe),
    Rule::new(
        "STS-009",
        Severity::Warning,
        "The policy is served as `text/plain` (charset utf-8 or us-ascii, other parameters ignored).",
        super::live_probe::from_probes,
    )
    .needs(Needs::Probe),
    Rule::new(
        "STS-010",
        Severity::Warning,
        "The policy body stays within 64 KiB and is returned well inside one minute.",
        super::live_probe::from_probes,
    )
    .needs(Needs::Probe),
    Rule::new(
        "STS-011",
        Severity::Error,
        "`version: STSv1` is present.",
        sts_011,
    ),
    Rule::new(
        "STS-012",
        Severity::Error,
        "`mode` is present and is exactly `enforce`, `testing` or `none` (lower case).",
        sts_012,
    ),
    Rule::new(
        "STS-013",
        Severity::Error,
        "`max_age` is present, has 1–10 decimal digits and is at most 31557600 seconds.",
        sts_013,
    ),
    Rule::new(
        "STS-014",
        Severity::Warning,
        "With `mode: enforce` or `testing`, `max_age` below one week (604800) gives little protection against refresh-time attacks; weeks or more is advised (short values are right only for the removal workflow, STS-022).",
        sts_014,
    ),
    Rule::new(
        "STS-015",
        Severity::Error,
        "At least one `mx:` line exists unless `mode: none`.",
        sts_015,
    ),
    Rule::new(
        "STS-016",
        Severity::Error,
        "Each `mx` value is a host name or `*.` + host name: the wildcard stands for exactly one whole left-most label; IP addresses, ports, URLs, trailing dots and comments are invalid.",
        sts_016,
    ),
    Rule::new(
        "STS-017",
        Severity::Error,
        "Pattern matching follows RFC 8461: `*.agency.example` matches `mx1.agency.example` but neither `agency.example` nor `a.b.agency.example`; comparison is case-insensitive; IDNs are compared as A-labels.",
        sts_017,
    ),
    Rule::new(
        "STS-018",
        Severity::Error,
        "One key/value pair per line; each MX pattern has its own `mx:` line; lines may end in LF or CRLF.",
        sts_018,
    ),
    Rule::new(
        "STS-019",
        Severity::Warning,
        "A repeated non-`mx` field (second `mode:` etc.) is ignored by senders; only the first counts, which usually hides an editing error.",
        sts_019,
    ),
    Rule::new(
        "STS-020",
        Severity::Warning,
        "`mode: testing` does not protect delivery (senders only report); plan the move to `enforce`.",
        sts_020,
    )
    .raise(Raise::Sge),
    Rule::new(
        "STS-021",
        Severity::Error,
        "The TXT `id` changes whenever the policy body changes, and the HTTPS body is updated before the TXT record; the builder bumps `id` automatically and keeps a history to detect \"body changed, id unchanged\".",
        sts_021,
    ),
    Rule::new(
        "STS-022",
        Severity::Info,
        "To retire MTA-STS: publish `mode: none` with a short `max_age`, bump `id`, wait out the longest previously served `max_age`, then delete the TXT and the HTTPS endpoint.",
        sts_022,
    ),
    Rule::new(
        "STS-023",
        Severity::Warning,
        "A broad wildcard pattern such as `*.agency.example` lets any host in the zone with a valid CA certificate pass as an MX; list exact hosts where possible.",
        sts_023,
    ),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::sts::mx_pattern_matches;
    use crate::rules::testkit::{Case, cname, mx, txt};

    const STS: &str = "_mta-sts.agency.example";

    fn rec(text: &str) -> Case {
        Case::new(vec![txt(STS, &[text])])
    }

    /// A policy with these lines (LF line ends).
    fn pol(lines: &[&str]) -> String {
        let mut s = lines.join("\n");
        s.push('\n');
        s
    }

    fn enforce(mx_lines: &[&str]) -> String {
        let mut v = vec!["version: STSv1", "mode: enforce"];
        v.extend_from_slice(mx_lines);
        v.push("max_age: 1209600");
        pol(&v)
    }

    fn mx2() -> Vec<crate::model::Record> {
        vec![
            mx("agency.example", 10, "mx1.agency.example"),
            mx("agency.example", 20, "mx2.agency.example"),
        ]
    }

    // STS-001
    #[test]
    fn sts_001_fail_two_records() {
        let c = Case::new(vec![
            txt(STS, &["v=STSv1; id=20260101"]),
            txt(STS, &["v=STSv1; id=20260315"]),
        ]);
        let f = c.fails_with("STS-001", Severity::Error);
        assert!(f[0].message.contains("2 TXT records"), "{f:?}");
    }

    #[test]
    fn sts_001_pass_one_record() {
        rec("v=STSv1; id=20260315").passes("STS-001");
    }

    #[test]
    fn sts_001_pass_nothing_published() {
        Case::new(vec![mx("agency.example", 10, "mx1.agency.example")]).passes("STS-001");
    }

    #[test]
    fn sts_001_fail_only_other_txt() {
        rec("some-verification=abc").fails_with("STS-001", Severity::Error);
    }

    #[test]
    fn sts_001_pass_split_strings_are_joined() {
        Case::new(vec![txt(STS, &["v=STSv1; ", "id=20260315"])]).passes("STS-001");
    }

    #[test]
    fn sts_001_fail_cname_loop() {
        Case::new(vec![
            cname(STS, "_mta-sts.provider.example"),
            cname("_mta-sts.provider.example", STS),
        ])
        .fails_with("STS-001", Severity::Error);
    }

    // STS-002
    #[test]
    fn sts_002_fail_id_before_version() {
        rec("id=20260315; v=STSv1").fails_with("STS-002", Severity::Error);
    }

    #[test]
    fn sts_002_fail_lower_case_version() {
        let f = rec("v=stsv1; id=1").fails("STS-002");
        assert!(f[0].message.contains("case-sensitive"), "{f:?}");
    }

    #[test]
    fn sts_002_pass_version_first() {
        rec("v=STSv1; id=20260315").passes("STS-002");
    }

    // STS-003
    #[test]
    fn sts_003_fail_dash_in_id() {
        let f = rec("v=STSv1; id=2026-03-15").fails_with("STS-003", Severity::Error);
        assert!(f[0].message.contains("`-`"), "{f:?}");
    }

    #[test]
    fn sts_003_fail_empty_id() {
        rec("v=STSv1; id=").fails("STS-003");
    }

    #[test]
    fn sts_003_fail_base64_plus() {
        rec("v=STSv1; id=Zm9v+YmFy").fails("STS-003");
    }

    #[test]
    fn sts_003_fail_too_long_and_missing() {
        rec(&format!("v=STSv1; id={}", "a".repeat(33))).fails("STS-003");
        rec("v=STSv1;").fails("STS-003");
    }

    #[test]
    fn sts_003_pass_alnum_id() {
        rec("v=STSv1; id=20260315T0930Z").passes("STS-003");
        rec(&format!("v=STSv1; id={}", "a".repeat(32))).passes("STS-003");
    }

    // STS-004
    #[test]
    fn sts_004_fail_comma_separator() {
        let f = rec("v=STSv1, id=20260315").fails_with("STS-004", Severity::Error);
        assert!(f[0].message.contains("`,`"), "{f:?}");
    }

    #[test]
    fn sts_004_fail_field_without_equals() {
        rec("v=STSv1; id 20260315").fails("STS-004");
    }

    #[test]
    fn sts_004_fail_bad_extension_and_double_semicolon() {
        rec("v=STSv1; id=1; _x=1").fails("STS-004");
        rec("v=STSv1; id=1;; x=1").fails("STS-004");
        rec("v=STSv1; id=1; x=a=b").fails("STS-004");
    }

    #[test]
    fn sts_004_pass_trailing_semicolon() {
        rec("v=STSv1; id=20260315;").passes("STS-004");
    }

    #[test]
    fn sts_004_pass_no_space_and_extension() {
        rec("v=STSv1;id=20260315").passes("STS-004");
        rec("v=STSv1;\tid=20260315 ; ext.name-1=x:y").passes("STS-004");
    }

    // STS-005
    #[test]
    fn sts_005_fail_space_before_semicolon() {
        rec("v=STSv1 ; id=20260315").fails_with("STS-005", Severity::Warning);
    }

    #[test]
    fn sts_005_pass_no_space() {
        rec("v=STSv1; id=20260315").passes("STS-005");
    }

    // STS-006
    #[test]
    fn sts_006_fail_cname_leaves_records() {
        let c = Case::new(vec![cname(STS, "_mta-sts.provider.example")]);
        let f = c.fails_with("STS-006", Severity::Info);
        assert!(f[0].message.contains("live"), "{f:?}");
        c.passes("STS-001");
    }

    #[test]
    fn sts_006_pass_cname_to_valid_txt() {
        let c = Case::new(vec![
            cname(STS, "_mta-sts.provider.example"),
            txt("_mta-sts.provider.example", &["v=STSv1; id=20260315"]),
        ]);
        c.passes("STS-006");
        for id in ["STS-001", "STS-002", "STS-003", "STS-004", "STS-005"] {
            c.passes(id);
        }
    }

    #[test]
    fn sts_006_target_is_validated() {
        let c = Case::new(vec![
            cname(STS, "_mta-sts.provider.example"),
            txt("_mta-sts.provider.example", &["v=STSv1; id=2026-03-15"]),
        ]);
        let f = c.fails("STS-003");
        assert_eq!(f[0].subject, "_mta-sts.provider.example");
        let c = Case::new(vec![
            cname(STS, "_mta-sts.provider.example"),
            txt("_mta-sts.provider.example", &["v=STSv1; id=1"]),
            txt("_mta-sts.provider.example", &["v=STSv1; id=2"]),
        ]);
        c.fails("STS-001");
    }

    // STS-011
    #[test]
    fn sts_011_fail_missing_version() {
        Case::new(vec![])
            .policy(&pol(&[
                "mode: enforce",
                "mx: mx1.agency.example",
                "max_age: 604800",
            ]))
            .fails_with("STS-011", Severity::Error);
    }

    #[test]
    fn sts_011_fail_version_2() {
        Case::new(vec![])
            .policy(&pol(&["version: STSv2", "mode: enforce"]))
            .fails("STS-011");
    }

    #[test]
    fn sts_011_pass_stsv1() {
        Case::new(vec![])
            .policy(&enforce(&["mx: mx1.agency.example"]))
            .passes("STS-011");
        Case::new(vec![]).passes("STS-011");
    }

    #[test]
    fn sts_011_version_anywhere_but_not_glued_to_a_bom() {
        // RFC 8461 §3.2: the ABNF lets the fields come in any order.
        Case::new(vec![])
            .policy(&pol(&[
                "mode: enforce",
                "version: STSv1",
                "mx: mx1.agency.example",
                "max_age: 604800",
            ]))
            .passes("STS-011");
        let f = Case::new(vec![])
            .policy(&format!("\u{feff}{}", enforce(&["mx: mx1.agency.example"])))
            .fails_with("STS-011", Severity::Error);
        assert!(f[0].message.contains("`\\u{feff}version: STSv1`"), "{f:?}");
    }

    #[test]
    fn sts_011_pass_stsv1_first_with_crlf_and_extra_keys() {
        Case::new(vec![])
            .policy("version:   STSv1\r\nmode: enforce\r\nfoo: bar\r\nmx: mx1.agency.example\r\nmax_age: 604800")
            .passes("STS-011");
    }

    #[test]
    fn sts_012_fail_bracketed_mode_quotes_the_line() {
        let f = Case::new(vec![])
            .policy(&pol(&["version: STSv1", "mode: [testing] "]))
            .fails_with("STS-012", Severity::Error);
        assert!(f[0].message.contains("`mode: [testing]`"), "{f:?}");
    }

    // STS-012
    #[test]
    fn sts_012_fail_capital_enforce() {
        let f = Case::new(vec![])
            .policy(&pol(&["version: STSv1", "mode: Enforce"]))
            .fails_with("STS-012", Severity::Error);
        assert!(f[0].message.contains("case-sensitive"), "{f:?}");
    }

    #[test]
    fn sts_012_fail_report() {
        Case::new(vec![])
            .policy(&pol(&["version: STSv1", "mode: report"]))
            .fails("STS-012");
        Case::new(vec![])
            .policy(&pol(&["version: STSv1"]))
            .fails("STS-012");
    }

    #[test]
    fn sts_012_pass_enforce() {
        Case::new(vec![])
            .policy(&enforce(&["mx: mx1.agency.example"]))
            .passes("STS-012");
    }

    // STS-013
    #[test]
    fn sts_013_fail_too_large() {
        Case::new(vec![])
            .policy(&pol(&[
                "version: STSv1",
                "mode: enforce",
                "max_age: 31557601",
            ]))
            .fails_with("STS-013", Severity::Error);
    }

    #[test]
    fn sts_013_fail_unit_and_sign() {
        for v in [
            "max_age: 1w",
            "max_age: -5",
            "max_age: 00000000001",
            "max_age:",
        ] {
            Case::new(vec![])
                .policy(&pol(&["version: STSv1", "mode: enforce", v]))
                .fails("STS-013");
        }
        Case::new(vec![])
            .policy(&pol(&["version: STSv1", "mode: enforce"]))
            .fails("STS-013");
    }

    #[test]
    fn sts_013_pass_two_weeks() {
        for v in ["max_age: 1209600", "max_age: 31557600"] {
            Case::new(vec![])
                .policy(&pol(&["version: STSv1", "mode: enforce", v]))
                .passes("STS-013");
        }
    }

    // STS-014
    #[test]
    fn sts_014_fail_one_day_enforce() {
        Case::new(vec![])
            .policy(&pol(&["version: STSv1", "mode: enforce", "max_age: 86400"]))
            .fails_with("STS-014", Severity::Warning);
    }

    #[test]
    fn sts_014_pass_two_weeks_or_none() {
        Case::new(vec![])
            .policy(&pol(&[
                "version: STSv1",
                "mode: enforce",
                "max_age: 1209600",
            ]))
            .passes("STS-014");
        Case::new(vec![])
            .policy(&pol(&["version: STSv1", "mode: none", "max_age: 86400"]))
            .passes("STS-014");
    }

    // STS-015
    #[test]
    fn sts_015_fail_no_mx() {
        Case::new(vec![])
            .policy(&pol(&[
                "version: STSv1",
                "mode: enforce",
                "max_age: 604800",
            ]))
            .fails_with("STS-015", Severity::Error);
    }

    #[test]
    fn sts_015_pass_with_mx_or_none() {
        Case::new(vec![])
            .policy(&enforce(&["mx: mx1.agency.example"]))
            .passes("STS-015");
        Case::new(vec![])
            .policy(&pol(&["version: STSv1", "mode: none", "max_age: 86400"]))
            .passes("STS-015");
    }

    // STS-016
    #[test]
    fn sts_016_fail_examples() {
        for v in [
            "mx: 198.51.100.56",
            "mx: mx*.agency.example",
            "mx: *.*.agency.example",
            "mx: mx1.agency.example:25",
            "mx: mx1.agency.example.",
            "mx: https://mx1.agency.example/",
            "mx: mx_1.agency.example",
            "mx: [2001:db8::1]",
            "mx: pōhi.agency.example",
            "mx: *.com",
            "mx: *.Example",
        ] {
            Case::new(vec![])
                .policy(&enforce(&[v]))
                .fails_with("STS-016", Severity::Error);
        }
    }

    #[test]
    fn sts_016_pass_host_and_wildcard() {
        Case::new(vec![])
            .policy(&enforce(&[
                "mx: mx1.agency.example",
                "mx: *.agency.example",
            ]))
            .passes("STS-016");
    }

    // STS-017
    #[test]
    fn sts_017_fail_two_labels_under_wildcard() {
        let f = Case::new(vec![mx("agency.example", 10, "a.b.agency.example")])
            .policy(&enforce(&["mx: *.agency.example"]))
            .fails_with("STS-017", Severity::Error);
        assert!(f[0].message.contains("a.b.agency.example"), "{f:?}");
    }

    #[test]
    fn sts_017_fail_wildcard_base_and_bare_parent() {
        Case::new(vec![mx("agency.example", 10, "agency.example")])
            .policy(&enforce(&["mx: *.agency.example"]))
            .fails("STS-017");
        Case::new(vec![mx("agency.example", 10, "mx1.agency.example")])
            .policy(&enforce(&["mx: agency.example"]))
            .fails("STS-017");
    }

    #[test]
    fn sts_017_reports_a_host_once() {
        let f = Case::new(vec![
            mx("agency.example", 10, "a.b.agency.example"),
            mx("agency.example", 20, "a.b.agency.example"),
        ])
        .policy(&enforce(&["mx: *.agency.example"]))
        .fails("STS-017");
        assert_eq!(f.len(), 1, "{f:?}");
    }

    #[test]
    fn sts_017_pass_one_label_under_wildcard() {
        Case::new(vec![mx("agency.example", 10, "mx1.agency.example")])
            .policy(&enforce(&["mx: *.agency.example"]))
            .passes("STS-017");
        // Plainly unlisted hosts are XR-002's business, not a matching misunderstanding.
        Case::new(vec![mx("agency.example", 10, "mx.other.example")])
            .policy(&enforce(&["mx: *.agency.example"]))
            .passes("STS-017");
    }

    #[test]
    fn pattern_index_agrees_with_model_matching() {
        let patterns = ["*.agency.example", "mx9.other.example", "MX.Upper.Example"];
        let idx = PatternIndex::new(patterns);
        for host in [
            "mx1.agency.example",
            "agency.example",
            "a.b.agency.example",
            "mx9.other.example",
            "mx.upper.example",
            "mx1.agency.example.",
            ".agency.example",
            "example",
        ] {
            let expected = patterns.iter().any(|p| mx_pattern_matches(p, host));
            assert_eq!(idx.matches(host), expected, "{host}");
        }
    }

    // STS-018
    #[test]
    fn sts_018_fail_bytes_before_the_first_field() {
        for lead in ["\u{feff}", " ", "\n", "\r\n"] {
            let f = Case::new(vec![])
                .policy(&format!("{lead}{}", enforce(&["mx: mx1.agency.example"])))
                .fails_with("STS-018", Severity::Error);
            assert!(f[0].message.contains("before its first field"), "{f:?}");
            assert!(!f[0].message.contains('\u{feff}'), "escaped: {f:?}");
        }
    }

    #[test]
    fn sts_018_pass_lf_crlf_and_no_final_terminator() {
        for text in [
            "version: STSv1\nmode: enforce\nmx: mx1.agency.example\nmax_age: 604800\n",
            "version: STSv1\r\nmode: enforce\r\nmx: mx1.agency.example\r\nmax_age: 604800\r\n",
            "version: STSv1\nmode: enforce\nmx: mx1.agency.example\nmax_age: 604800",
        ] {
            Case::new(vec![]).policy(text).passes("STS-018");
        }
    }

    /// The sender's reading (RFC 8461 §3.2): what the ABNF allows is valid, the rest quoted.
    #[test]
    fn policy_validity_as_a_sender_reads_it() {
        let ok = [
            "version: STSv1\nmode: enforce\nmx: mx1.agency.example\nmax_age: 604800\n",
            "version: STSv1\r\nmode: testing\r\nmx: *.agency.example\r\nmax_age: 0\r\n",
            "version: STSv1\nmode: none\nmax_age: 86400",
            "version:STSv1\nmode:\t enforce\nmx:   mx1.agency.example\nmax_age: 31557600\n",
            "version: STSv1\nmode: enforce\nfoo_bar: anything at all\nmx: a.example\nmax_age: 1\n",
            "mode: none\nversion: STSv1\nmax_age: 1\n",
        ];
        for t in ok {
            assert_eq!(policy_invalid_because(t), None, "{t:?}");
        }
        let bad = [
            (
                "version: STSv1\nmode: [testing] \nmx: a.example\nmax_age: 1\n",
                "line 2 `mode: [testing] `",
            ),
            (
                "version: STSv2\nmode: enforce\nmx: a.example\nmax_age: 1\n",
                "line 1 `version: STSv2`",
            ),
            (
                "version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 99999999999\n",
                "line 4 `max_age: 99999999999`",
            ),
            (
                "version: STSv1\nmode: enforce\nmx: a.example\n",
                "no `max_age` field",
            ),
            (
                "version: STSv1\nmode: enforce\nmax_age: 604800\n",
                "`mode: enforce` without any `mx` field",
            ),
            (
                "\u{feff}version: STSv1\nmode: none\nmax_age: 1\n",
                "line 1 `\\u{feff}version: STSv1`",
            ),
            (
                "\nversion: STSv1\nmode: none\nmax_age: 1\n",
                "bytes before the first field",
            ),
            (
                "version: STSv1\n mode: none\nmax_age: 1\n",
                "line 2 ` mode: none` has whitespace before the key",
            ),
            (
                "version: STSv1\nmode : none\nmax_age: 1\n",
                "line 2 `mode : none` has whitespace before the key or before the colon",
            ),
            ("mode: none\nmax_age: 1\n", "no `version` field"),
            (
                "version: STSv1\nmode none\nmax_age: 1\n",
                "line 2 `mode none`",
            ),
            ("", "empty"),
        ];
        for (t, why) in bad {
            let got = policy_invalid_because(t).unwrap_or_default();
            assert!(got.contains(why), "{t:?}: {got:?} lacks {why:?}");
        }
    }

    #[test]
    fn sts_018_fail_whitespace_around_the_key() {
        for line in [" mode: enforce", "mode : enforce", "mode\t: enforce"] {
            let f = Case::new(vec![])
                .policy(&pol(&[
                    "version: STSv1",
                    line,
                    "mx: mx1.agency.example",
                    "max_age: 604800",
                ]))
                .fails_with("STS-018", Severity::Error);
            assert!(
                f[0].message
                    .contains("whitespace before the key or before the colon"),
                "{f:?}"
            );
        }
    }

    #[test]
    fn sts_018_fail_comma_list() {
        Case::new(vec![])
            .policy(&enforce(&["mx: mx1.agency.example, mx2.agency.example"]))
            .fails_with("STS-018", Severity::Error);
    }

    #[test]
    fn sts_018_fail_two_pairs_on_one_line() {
        Case::new(vec![])
            .policy(&pol(&[
                "version: STSv1 mode: enforce",
                "mx: mx1.agency.example",
                "max_age: 604800",
            ]))
            .fails("STS-018");
        Case::new(vec![])
            .policy(&pol(&[
                "version: STSv1",
                "mode: enforce",
                "mx1.agency.example",
                "max_age: 604800",
            ]))
            .fails("STS-018");
    }

    #[test]
    fn sts_018_pass_one_per_line_lf_and_crlf() {
        let lf = enforce(&["mx: mx1.agency.example", "mx: mx2.agency.example"]);
        Case::new(vec![]).policy(&lf).passes("STS-018");
        Case::new(vec![])
            .policy(&lf.replace('\n', "\r\n"))
            .passes("STS-018");
    }

    // STS-019
    #[test]
    fn sts_019_fail_second_mode() {
        let f = Case::new(vec![])
            .policy(&pol(&[
                "version: STSv1",
                "mode: testing",
                "mx: mx1.agency.example",
                "max_age: 604800",
                "mode: enforce",
            ]))
            .fails_with("STS-019", Severity::Warning);
        assert!(f[0].message.contains("mode: testing"), "{f:?}");
    }

    #[test]
    fn sts_019_pass_single_mode_many_mx() {
        Case::new(vec![])
            .policy(&enforce(&[
                "mx: mx1.agency.example",
                "mx: mx2.agency.example",
            ]))
            .passes("STS-019");
    }

    // STS-020
    #[test]
    fn sts_020_fail_testing_warning_under_secmx() {
        Case::new(vec![])
            .policy(&pol(&[
                "version: STSv1",
                "mode: testing",
                "max_age: 604800",
            ]))
            .fails_with("STS-020", Severity::Warning);
    }

    #[test]
    fn sts_020_fail_testing_error_under_sge() {
        Case::new(vec![])
            .policy(&pol(&[
                "version: STSv1",
                "mode: testing",
                "max_age: 604800",
            ]))
            .sge()
            .fails_with("STS-020", Severity::Error);
    }

    #[test]
    fn sts_020_pass_enforce() {
        Case::new(vec![])
            .policy(&enforce(&["mx: mx1.agency.example"]))
            .sge()
            .passes("STS-020");
    }

    // STS-021
    #[test]
    fn sts_021_fail_body_changed_id_unchanged() {
        let old = pol(&[
            "version: STSv1",
            "mode: testing",
            "mx: mx1.agency.example",
            "max_age: 604800",
        ]);
        let new = pol(&[
            "version: STSv1",
            "mode: enforce",
            "mx: mx1.agency.example",
            "max_age: 604800",
        ]);
        let f = rec("v=STSv1; id=20260101")
            .policy(&new)
            .issued_for(&crate::model::render::policy_sha256(&old))
            .fails_with("STS-021", Severity::Error);
        assert!(f[0].message.contains("id=20260101"), "{f:?}");
        assert!(f[0].fix.contains("bumps the id"), "{f:?}");
    }

    #[test]
    fn sts_021_pass_id_issued_for_this_body() {
        let new = pol(&[
            "version: STSv1",
            "mode: enforce",
            "mx: mx1.agency.example",
            "max_age: 604800",
        ]);
        rec("v=STSv1; id=20260315")
            .policy(&new)
            .issued_for(&crate::model::render::policy_sha256(&new))
            .passes("STS-021");
        rec("v=STSv1; id=20260315").policy(&new).passes("STS-021");
    }

    #[test]
    fn sts_021_pass_id_derived_from_current_text() {
        let old = pol(&[
            "version: STSv1",
            "mode: testing",
            "mx: mx1.agency.example",
            "max_age: 604800",
        ]);
        let new = pol(&[
            "version: STSv1",
            "mode: enforce",
            "mx: mx1.agency.example",
            "max_age: 604800",
        ]);
        let derived = crate::model::render::policy_sha256(&new)[..20].to_string();
        rec(&format!("v=STSv1; id={derived}"))
            .policy(&new)
            .issued_for(&crate::model::render::policy_sha256(&old))
            .passes("STS-021");
    }

    // STS-022
    #[test]
    fn sts_022_fail_txt_deleted_while_enforce_served() {
        Case::new(vec![])
            .policy(&enforce(&["mx: mx1.agency.example"]))
            .fails_with("STS-022", Severity::Info);
    }

    #[test]
    fn sts_022_reports_staged_removal_for_mode_none() {
        let f = rec("v=STSv1; id=20260401")
            .policy(&pol(&["version: STSv1", "mode: none", "max_age: 86400"]))
            .fails_with("STS-022", Severity::Info);
        assert!(f[0].fix.contains("wait out"), "{f:?}");
    }

    #[test]
    fn sts_022_pass_enforce_published() {
        rec("v=STSv1; id=20260315")
            .policy(&enforce(&["mx: mx1.agency.example"]))
            .passes("STS-022");
    }

    // STS-023
    #[test]
    fn sts_023_fail_broad_wildcard() {
        let f = Case::new(mx2())
            .policy(&enforce(&["mx: *.agency.example"]))
            .fails_with("STS-023", Severity::Warning);
        assert!(f[0].message.contains("mx1.agency.example"), "{f:?}");
    }

    #[test]
    fn sts_023_pass_invalid_wildcard_left_to_sts_016() {
        Case::new(mx2())
            .policy(&enforce(&["mx: *.agency.example, mx2.agency.example"]))
            .passes("STS-023");
    }

    #[test]
    fn sts_023_pass_exact_hosts() {
        Case::new(mx2())
            .policy(&enforce(&[
                "mx: mx1.agency.example",
                "mx: mx2.agency.example",
            ]))
            .passes("STS-023");
    }

    #[test]
    fn large_design_is_linear() {
        let n = 10_000;
        let mut recs = Vec::new();
        let mut lines = vec!["version: STSv1".to_string(), "mode: enforce".to_string()];
        for i in 0..n {
            let h = format!("mx{i}.agency.example");
            recs.push(mx("agency.example", 10, &h));
            lines.push(format!("mx: {h}"));
        }
        lines.push("max_age: 1209600".to_string());
        let text = lines.join("\r\n");
        let c = Case::new(recs).policy(&text);
        for id in ["STS-016", "STS-017", "STS-018", "STS-019", "STS-023"] {
            c.passes(id);
        }
    }
}
