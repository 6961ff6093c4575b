//! SGE-005: every DKIM selector the design names publishes a valid key record (RFC 6376 §3.6.1),
//! with an RSA key of at least 1024 bits (2048 recommended) and without `rsa-sha1`-only signing
//! (RFC 8301 §3.1–3.2). Judged from live DNS: the fetch plan asks `<selector>._domainkey.<domain>`
//! TXT for every selector of the design ([`crate::resolve::Plan::dkim_selectors`]).

use super::{Finding, Rule, Severity};
use crate::model::published::Status;
use crate::model::{Origin, Profile, RData};
use base64::Engine as _;
use x509_parser::prelude::FromDer;
use x509_parser::public_key::{PublicKey, RSAPublicKey};
use x509_parser::x509::SubjectPublicKeyInfo;

/// RSA keys below this many bits are refused by verifiers (RFC 8301 §3.2: MUST be at least 1024).
pub const RSA_MIN_BITS: usize = 1024;
/// RSA keys should have at least this many bits (RFC 8301 §3.2: SHOULD be at least 2048).
pub const RSA_RECOMMENDED_BITS: usize = 2048;

pub use crate::model::dkim_key_owner as key_owner;

/// The public key a key record publishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DkimKey {
    /// `k=rsa` with a modulus of this many bits.
    Rsa(usize),
    /// `k=ed25519` (RFC 8463), a 32-octet key.
    Ed25519,
    /// `p=` is empty: the key is revoked (RFC 6376 §3.6.1).
    Revoked,
}

/// One thing wrong with a key record: its severity, what is wrong, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyProblem {
    /// Error, or warning for a key below the recommended size.
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub fix: String,
}

fn problem(severity: Severity, message: String, fix: &str) -> KeyProblem {
    KeyProblem {
        severity,
        message,
        fix: fix.to_string(),
    }
}

/// Why a DKIM tag list is invalid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TagListError {
    /// `;;`.
    #[error("it has an empty tag (`;;`)")]
    EmptyTag,
    /// A part without `=`.
    #[error("`{0}` is not a `tag=value` pair")]
    NotAPair(String),
    /// A name that is not a tag name.
    #[error("`{0}` is not a tag name")]
    BadName(String),
    /// A tag given twice.
    #[error("the tag `{0}=` occurs twice, which makes the record invalid")]
    Twice(String),
}

/// A DKIM tag list (RFC 6376 §3.2): `(name, value)` in order, names as written (they are
/// case-sensitive), values trimmed. Duplicate tags or a part without `=` make the whole list invalid.
pub fn tag_list(text: &str) -> Result<Vec<(String, String)>, TagListError> {
    let mut tags: Vec<(String, String)> = Vec::new();
    let parts: Vec<&str> = text.split(';').collect();
    for (i, part) in parts.iter().enumerate() {
        let part = part.trim();
        if part.is_empty() {
            if i + 1 == parts.len() {
                continue; // a trailing `;` is allowed
            }
            return Err(TagListError::EmptyTag);
        }
        let Some((name, value)) = part.split_once('=') else {
            return Err(TagListError::NotAPair(part.to_string()));
        };
        let name = name.trim();
        let valid_name = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid_name {
            return Err(TagListError::BadName(name.to_string()));
        }
        if tags.iter().any(|(n, _)| n == name) {
            return Err(TagListError::Twice(name.to_string()));
        }
        tags.push((name.to_string(), value.trim().to_string()));
    }
    Ok(tags)
}

/// Whether a TXT text is meant as a DKIM key record (`v=DKIM1` or a `p=` tag).
pub fn looks_like_key_record(text: &str) -> bool {
    text.split(';').any(|part| {
        let part = part.trim();
        part.strip_prefix("v")
            .or_else(|| part.strip_prefix("p"))
            .is_some_and(|rest| rest.trim_start().starts_with('='))
    })
}

/// The number of significant bits of a big-endian unsigned integer.
fn bit_length(bytes: &[u8]) -> usize {
    let mut rest = bytes;
    while let [0, tail @ ..] = rest {
        rest = tail;
    }
    match rest.first() {
        Some(first) => 8 * (rest.len() - 1) + (8 - first.leading_zeros() as usize),
        None => 0,
    }
}

/// Why the RSA modulus size of `p=` data could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DkimKeyError {
    /// A key of another algorithm (its OID).
    #[error("p= holds a key of algorithm {0}, not an RSA key, but the record says k=rsa")]
    NotRsa(String),
    /// An RSA key that does not parse.
    #[error("p= holds a malformed RSA key ({0})")]
    MalformedRsa(String),
    /// Neither form.
    #[error("p= is not a DER SubjectPublicKeyInfo (nor an RSAPublicKey)")]
    NotDer,
}

/// The RSA modulus size of `p=` data: a SubjectPublicKeyInfo (what `openssl rsa -pubout` gives and
/// what signers publish), or a bare RSAPublicKey, which RFC 6376 §3.6.1's wording also allows
/// (erratum 3017) and verifiers accept.
fn rsa_bits(der: &[u8]) -> Result<usize, DkimKeyError> {
    if let Ok((rest, spki)) = SubjectPublicKeyInfo::from_der(der)
        && rest.is_empty()
    {
        return match spki.parsed() {
            Ok(PublicKey::RSA(rsa)) => Ok(bit_length(rsa.modulus)),
            Ok(_) => Err(DkimKeyError::NotRsa(spki.algorithm.algorithm.to_string())),
            Err(e) => Err(DkimKeyError::MalformedRsa(e.to_string())),
        };
    }
    match RSAPublicKey::from_der(der) {
        Ok(([], rsa)) => Ok(bit_length(rsa.modulus)),
        _ => Err(DkimKeyError::NotDer),
    }
}

const FIX_KEY: &str = "publish the selector's public key as `v=DKIM1; k=rsa; p=<base64 SubjectPublicKeyInfo of a 2048-bit key>` (openssl rsa -pubout -outform der | base64)";

/// Judge one DKIM key record text (TXT strings concatenated): the key it publishes and every
/// problem found; the key is `None` when no usable key could be read.
pub fn judge_key_record(text: &str) -> (Option<DkimKey>, Vec<KeyProblem>) {
    let mut problems = Vec::new();
    let e = Severity::Error;
    let tags = match tag_list(text) {
        Ok(t) => t,
        Err(why) => {
            problems.push(problem(
                e,
                format!("the key record is not a valid tag list: {why}; verifiers ignore it"),
                FIX_KEY,
            ));
            return (None, problems);
        }
    };
    let get = |name: &str| {
        tags.iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    if let Some(pos) = tags.iter().position(|(n, _)| n == "v") {
        let v = get("v").unwrap_or("");
        if pos != 0 || v != "DKIM1" {
            problems.push(problem(
                e,
                format!(
                    "`v={v}` must be the first tag and read `v=DKIM1` (RFC 6376 §3.6.1); verifiers discard the record"
                ),
                "start the record with `v=DKIM1;` or leave the v= tag out",
            ));
        }
    }
    if let Some(s) = get("s") {
        let usable = s
            .split(':')
            .map(str::trim)
            .any(|t| t == "*" || t.eq_ignore_ascii_case("email"));
        if !usable {
            problems.push(problem(
                e,
                format!("`s={s}` does not allow the key for email (`*` or `email`)"),
                "remove the s= tag or set `s=email`",
            ));
        }
    }
    if let Some(h) = get("h") {
        let algs: Vec<String> = h
            .split(':')
            .map(|a| a.trim().to_ascii_lowercase())
            .collect();
        if !algs.iter().any(|a| a == "sha256") {
            let what = if algs.iter().any(|a| a == "sha1") {
                "only sha1: mail is signed with rsa-sha1, which verifiers must treat as unsigned (RFC 8301 §3.1)"
            } else {
                "no hash algorithm verifiers accept (sha256)"
            };
            problems.push(problem(
                e,
                format!("`h={h}` lists {what}"),
                "sign with rsa-sha256 (or ed25519-sha256) and remove the h= tag or set `h=sha256`",
            ));
        }
    }
    let k = get("k").unwrap_or("rsa").to_ascii_lowercase();
    let Some(p) = get("p") else {
        problems.push(problem(
            e,
            "the record has no p= tag, so it publishes no key (RFC 6376 §3.6.1: p= is required)"
                .into(),
            FIX_KEY,
        ));
        return (None, problems);
    };
    let b64: String = p.chars().filter(|c| !c.is_whitespace()).collect();
    if b64.is_empty() {
        problems.push(problem(
            e,
            "the key is revoked (empty `p=`): mail signed with this selector fails DKIM verification".into(),
            "sign with a selector that publishes a key, or publish the selector's current public key; remove the selector from the design when it is retired",
        ));
        return (Some(DkimKey::Revoked), problems);
    }
    let der = match base64::engine::general_purpose::STANDARD.decode(b64.as_bytes()) {
        Ok(d) => d,
        Err(err) => {
            problems.push(problem(
                e,
                format!("p= is not valid base64 ({err}); verifiers cannot read the key"),
                FIX_KEY,
            ));
            return (None, problems);
        }
    };
    let key = match k.as_str() {
        "rsa" => match rsa_bits(&der) {
            Ok(bits) => Some(DkimKey::Rsa(bits)),
            Err(why) => {
                problems.push(problem(e, why.to_string(), FIX_KEY));
                None
            }
        },
        "ed25519" => {
            if der.len() == 32 {
                Some(DkimKey::Ed25519)
            } else {
                problems.push(problem(
                    e,
                    format!(
                        "an ed25519 key is 32 octets (RFC 8463), but p= holds {}",
                        der.len()
                    ),
                    "publish the raw 32-octet ed25519 public key, base64-encoded",
                ));
                None
            }
        }
        other => {
            problems.push(problem(
                e,
                format!("`k={other}` is not a key type verifiers know (rsa, ed25519)"),
                "use k=rsa with a 2048-bit key (or k=ed25519 alongside an RSA selector)",
            ));
            None
        }
    };
    // The rule's severity is error; a key of 1024–2047 bits breaks only the SHOULD of RFC 8301 §3.2
    // (verifiers still accept it), so it is reported at warning level — as other rules lower the
    // severity of a sub-case with `Finding::with_severity` — while below 1024 bits verifiers
    // must refuse the signature (MUST), an error.
    if let Some(DkimKey::Rsa(bits)) = key {
        if bits < RSA_MIN_BITS {
            problems.push(problem(
                e,
                format!(
                    "the RSA key has {bits} bits; verifiers refuse keys under {RSA_MIN_BITS} bits (RFC 8301 §3.2), so the signatures fail"
                ),
                "generate a 2048-bit RSA key, publish it under a new selector and sign with it",
            ));
        } else if bits < RSA_RECOMMENDED_BITS {
            problems.push(problem(
                Severity::Warning,
                format!(
                    "the RSA key has {bits} bits; RFC 8301 §3.2 recommends at least {RSA_RECOMMENDED_BITS}"
                ),
                "generate a 2048-bit RSA key, publish it under a new selector and switch signing to it",
            ));
        }
    }
    (key, problems)
}

/// SGE-005: every selector the design names publishes a valid DKIM key record.
pub fn sge_005(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    if input.profile != Profile::Sge {
        return;
    }
    let Some(p) = input.live else { return };
    if input.dkim_selectors.is_empty() {
        out.push(
            rule.finding(
                input,
                input.domain,
                "the design names no DKIM selectors, so the keys outbound mail is signed with cannot be checked (SGE requires DKIM-signed mail)",
                "name every selector the mail system signs with in the design: `dkim_selectors = [\"s1\"]` in the [sge] table (the DKIM selectors field of the editor)",
            )
            .at(Origin::Sge),
        );
        return;
    }
    for sel in input.dkim_selectors {
        let owner = key_owner(sel, input.domain);
        // Not asked (a plan made without the design): nothing to judge.
        let Some(set) = p.rrset(&owner, crate::model::RecordType::Txt) else {
            continue;
        };
        let mut push = |severity: Severity, message: String, fix: &str| {
            out.push(
                rule.finding(input, &owner, message, fix)
                    .with_severity(severity)
                    .at(Origin::Sge),
            );
        };
        match set.status {
            Status::Ok => {}
            Status::Nxdomain | Status::Nodata => {
                push(
                    Severity::Error,
                    format!(
                        "selector {sel} publishes no key record ({} for TXT at {owner}): mail signed with it fails DKIM verification",
                        set.status.as_str()
                    ),
                    &format!(
                        "publish `{owner}. TXT \"v=DKIM1; k=rsa; p=<2048-bit key>\"`, or remove {sel} from the design if it is not used"
                    ),
                );
                continue;
            }
            other => {
                push(
                    Severity::Error,
                    format!(
                        "the key record of selector {sel} could not be read ({}{}): verifiers cannot check the signatures either",
                        other.as_str(),
                        set.detail
                            .as_deref()
                            .map(|d| format!(": {d}"))
                            .unwrap_or_default()
                    ),
                    "make the nameservers answer the TXT query (and fix the DNSSEC signatures if they are bogus)",
                );
                continue;
            }
        }
        // The TXT at the end of a CNAME chain counts (hosted signers delegate selectors that way);
        // a record's strings are concatenated without spaces (RFC 6376 §3.6.2.2).
        let texts: Vec<String> = set
            .answers
            .iter()
            .filter_map(|r| match &r.data {
                RData::Txt(parts) => Some(parts.concat()),
                _ => None,
            })
            .filter(|t| looks_like_key_record(t))
            .collect();
        match texts.len() {
            0 => {
                push(
                    Severity::Error,
                    format!("the TXT at {owner} holds no DKIM key record (no v=DKIM1 or p= tag)"),
                    FIX_KEY,
                );
                continue;
            }
            1 => {}
            n => push(
                Severity::Error,
                format!(
                    "{n} DKIM key records at {owner}: verifiers pick one, so results vary (RFC 6376 §3.6.2.2)"
                ),
                "publish exactly one key record per selector; use a new selector for a new key",
            ),
        }
        for text in &texts {
            for pr in judge_key_record(text).1 {
                push(
                    pr.severity,
                    format!("selector {sel}: {}", pr.message),
                    &pr.fix,
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used, clippy::unwrap_used)]
    use super::*;
    use crate::model::published::{Dnssec, Published, RRset};
    use crate::model::{Origin, Record};
    use crate::resolve::fetch::rrset_of;
    use crate::rules::testkit::Case;
    use crate::rules::{Finding, rule};

    /// Keys generated once with `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:N` and
    /// `openssl pkey -pubout -outform DER | base64` (ed25519: the raw 32 octets).
    const RSA768: &str = include_str!("../../tests/data/dkim/rsa768.b64");
    const RSA1024: &str = include_str!("../../tests/data/dkim/rsa1024.b64");
    const RSA2048: &str = include_str!("../../tests/data/dkim/rsa2048.b64");
    const ED25519: &str = include_str!("../../tests/data/dkim/ed25519.b64");

    const D: &str = "agency.example";

    fn key(b64: &str) -> String {
        format!("v=DKIM1; k=rsa; p={}", b64.trim())
    }

    /// A TXT RRset at `<sel>._domainkey.agency.example`, the text split in 255-octet strings.
    fn txt(sel: &str, texts: &[&str]) -> RRset {
        let owner = key_owner(sel, D);
        let recs = texts
            .iter()
            .map(|t| {
                let parts = t
                    .as_bytes()
                    .chunks(255)
                    .map(|c| String::from_utf8_lossy(c).into_owned())
                    .collect();
                Record::new(&owner, 3600, RData::Txt(parts))
            })
            .collect();
        rrset_of(&owner, "TXT", Status::Ok, Dnssec::Secure, recs)
    }

    fn missing(sel: &str, status: Status) -> RRset {
        rrset_of(&key_owner(sel, D), "TXT", status, Dnssec::Secure, vec![])
    }

    fn run(selectors: &[&str], sets: Vec<RRset>) -> Vec<Finding> {
        let p = Published::from_rrsets(D, "_secmx", sets, 0);
        let mut case = Case::default().sge();
        case.records = p.records.clone();
        let selectors: Vec<String> = selectors.iter().map(|s| s.to_string()).collect();
        let mut input = case.input();
        input.live = Some(&p);
        input.dkim_selectors = &selectors;
        let r = rule("SGE-005").unwrap();
        let mut out = Vec::new();
        r.check.expect("implemented")(r, &crate::rules::Facts::new(input), &mut out);
        assert!(out.iter().all(|f| f.rule == "SGE-005"));
        out
    }

    fn errors(f: &[Finding]) -> Vec<&Finding> {
        f.iter().filter(|f| f.severity == Severity::Error).collect()
    }

    #[test]
    fn sge_005_fail_revoked_key_as_the_only_selector() {
        let f = run(&["s1"], vec![txt("s1", &["v=DKIM1; k=rsa; p="])]);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].severity, Severity::Error);
        assert_eq!(f[0].subject, "s1._domainkey.agency.example");
        assert!(f[0].message.contains("revoked"), "{}", f[0].message);
        assert_eq!(f[0].origin, Some(Origin::Sge));
    }

    #[test]
    fn sge_005_fail_768_bit_key() {
        let f = run(&["s1"], vec![txt("s1", &[&key(RSA768)])]);
        assert_eq!(errors(&f).len(), 1, "{f:#?}");
        assert!(f[0].message.contains("768 bits"), "{}", f[0].message);
    }

    #[test]
    fn sge_005_pass_2048_bit_key() {
        assert_eq!(judge_key_record(&key(RSA2048)).0, Some(DkimKey::Rsa(2048)));
        let f = run(&["s1"], vec![txt("s1", &[&key(RSA2048)])]);
        assert!(f.is_empty(), "{f:#?}");
        // No v= at all, no k= (rsa is the default), folded whitespace inside p=.
        let b64 = RSA2048.trim();
        let folded = format!("p={} {}", &b64[..100], &b64[100..]);
        assert!(run(&["s1"], vec![txt("s1", &[&folded])]).is_empty());
        // Only under the SGE profile.
        let p = Published::from_rrsets(D, "_secmx", vec![txt("s1", &["v=DKIM1; p="])], 0);
        let case = Case::default();
        let mut input = case.input();
        input.live = Some(&p);
        let mut out = Vec::new();
        sge_005(
            rule("SGE-005").unwrap(),
            &crate::rules::Facts::new(input),
            &mut out,
        );
        assert!(out.is_empty());
    }

    #[test]
    fn sge_005_1024_bit_key_is_a_warning() {
        assert_eq!(judge_key_record(&key(RSA1024)).0, Some(DkimKey::Rsa(1024)));
        let f = run(&["s1"], vec![txt("s1", &[&key(RSA1024)])]);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].severity, Severity::Warning);
        assert!(f[0].message.contains("1024 bits"), "{}", f[0].message);
        assert!(f[0].message.contains("2048"), "{}", f[0].message);
    }

    #[test]
    fn sge_005_ed25519_key_passes_and_a_short_one_fails() {
        let ed = format!("v=DKIM1; k=ed25519; p={}", ED25519.trim());
        assert_eq!(judge_key_record(&ed).0, Some(DkimKey::Ed25519));
        assert!(run(&["ed"], vec![txt("ed", &[&ed])]).is_empty());
        // An RSA key labelled ed25519 is the wrong size.
        let wrong = format!("v=DKIM1; k=ed25519; p={}", RSA1024.trim());
        assert_eq!(errors(&run(&["ed"], vec![txt("ed", &[&wrong])])).len(), 1);
    }

    #[test]
    fn sge_005_fail_sha1_only() {
        let rec = format!("v=DKIM1; h=sha1; k=rsa; p={}", RSA2048.trim());
        let f = run(&["s1"], vec![txt("s1", &[&rec])]);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(f[0].message.contains("rsa-sha1"), "{}", f[0].message);
        let both = format!("v=DKIM1; h=sha1:sha256; p={}", RSA2048.trim());
        assert!(run(&["s1"], vec![txt("s1", &[&both])]).is_empty());
    }

    #[test]
    fn sge_005_fail_missing_record_and_failed_lookup() {
        for status in [Status::Nxdomain, Status::Nodata, Status::Servfail] {
            let f = run(&["s3"], vec![missing("s3", status)]);
            assert_eq!(errors(&f).len(), 1, "{status:?}: {f:#?}");
            assert!(f[0].message.contains(status.as_str()), "{}", f[0].message);
        }
    }

    #[test]
    fn sge_005_no_selectors_named_is_one_error() {
        let f = run(&[], vec![]);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].severity, Severity::Error);
        assert!(f[0].fix.contains("dkim_selectors"), "{}", f[0].fix);
        // Offline (no live DNS) the rule stays quiet.
        let case = Case::default().sge();
        let mut out = Vec::new();
        sge_005(
            rule("SGE-005").unwrap(),
            &crate::rules::Facts::new(case.input()),
            &mut out,
        );
        assert!(out.is_empty());
    }

    #[test]
    fn sge_005_bad_records_are_errors_never_panics() {
        let b = RSA2048.trim();
        for rec in [
            format!("k=rsa; v=DKIM1; p={b}"),                // v= not first
            format!("v=DKIM2; p={b}"),                       // wrong version
            "v=DKIM1; k=rsa".to_string(),                    // no p=
            "v=DKIM1; p=!!notbase64!!".to_string(),          // bad base64
            "v=DKIM1; p=AAAA".to_string(),                   // base64 of garbage
            format!("v=DKIM1; k=dsa; p={b}"),                // unknown key type
            format!("v=DKIM1; p={b}; p={b}"),                // duplicate tag
            format!("v=DKIM1; s=tlsrpt; p={b}"),             // not for email
            format!("v=DKIM1; h=md5; p={b}"),                // no acceptable hash
            format!("v=DKIM1; k=rsa; p={}", ED25519.trim()), // not an SPKI
            "v=DKIM1; ; p=".to_string(),                     // empty tag
        ] {
            let f = run(&["s1"], vec![txt("s1", &[&rec])]);
            assert!(!errors(&f).is_empty(), "{rec}: {f:#?}");
        }
        // Two key records at one selector.
        let f = run(&["s1"], vec![txt("s1", &[&key(RSA2048), &key(RSA1024)])]);
        assert!(
            f.iter().any(|f| f.message.contains("2 DKIM key records")),
            "{f:#?}"
        );
        // A TXT that is not a key record at all.
        let f = run(&["s1"], vec![txt("s1", &["hello world"])]);
        assert_eq!(errors(&f).len(), 1, "{f:#?}");
    }

    #[test]
    fn sge_005_judges_each_selector() {
        let f = run(
            &["s1", "s2", "s3"],
            vec![
                txt("s1", &[&key(RSA2048)]),
                txt("s2", &["v=DKIM1; k=rsa; p="]),
                missing("s3", Status::Nxdomain),
            ],
        );
        let subjects: Vec<&str> = f.iter().map(|f| f.subject.as_str()).collect();
        assert_eq!(
            subjects,
            vec![
                "s2._domainkey.agency.example",
                "s3._domainkey.agency.example"
            ]
        );
    }

    #[test]
    fn bit_length_counts_significant_bits() {
        assert_eq!(bit_length(&[0x00, 0x80, 0x00]), 16);
        assert_eq!(bit_length(&[0x7f, 0xff]), 15);
        assert_eq!(bit_length(&[0, 0]), 0);
        assert_eq!(bit_length(&[]), 0);
    }
}
