//! Zone-file import: read master-file text with hickory-proto's zone parser and turn the records of one
//! mail domain back into a [`Design`].
//!
//! * [`records_from_zone`] gives the records as written (normalised names), for the rules to judge.
//! * [`import_zone`] maps them to a design and lists every record it could not map (`unmapped`, one
//!   readable line each) and everything the mapping had to assume or could not keep (`notes`).
//!
//! Mapping (domain `D`, SecMX SRV owner `_<label>._tcp.D`):
//!
//! | zone | design |
//! |---|---|
//! | `D MX 0 .` | `null_mx = true` |
//! | `D MX p host` | a BER relay, `preference = p`, in MX order |
//! | `_<label>._tcp.D SRV pr w 25 host` where `host` is an MX exchange | `also_srv = true` on that BER (`priority`, `weight`) |
//! | any other SRV there (including the opt-out `0 0 0 .`) | an SOR relay (`port`, `priority`, `weight`; host `""` for `.`) |
//! | `A`/`AAAA` at a relay host inside `D` | the relay's `addresses` (A first, then AAAA) |
//! | `TLSA` at `_<port>._tcp.<relay host>` | the relay's `tlsa` (`"u s m hex"`, hex lower case) |
//! | `_mta-sts.D TXT "v=STSv1; id=X"` | `mta_sts`: `id = X`; mode `enforce`, `max_age` 604800, `mx` empty (the zone does not hold the policy file — a note says so) |
//! | `_smtp._tls.D TXT "v=TLSRPTv1; rua=…"` | `tls_rpt.rua` |
//! | `D TXT "v=spf1 …"`, `_dmarc.D TXT "v=DMARC1…"` | `sge.spf`, `sge.dmarc`, and **profile `sge`** |
//!
//! Decisions:
//! * **Label**: `_secmx` when the zone has SRV records there; otherwise the `_<label>._tcp.D` owner with
//!   the most SRV records (ties: alphabetical) among labels that are not well-known client or
//!   non-mail services (`_submission`, `_imaps`, `_autodiscover`, `_sip`, … see [`OTHER_SERVICES`]).
//! * **Level** 2 when the design lists any relay under the SRV label (SOR or `also_srv` BER), else 1.
//! * **Profile** `sge` when the zone publishes an SPF or DMARC text: the design only renders those texts
//!   under the SGE profile, so this is the only way an export of the import gives them back. A note
//!   says so; set `profile = "secmx"` to judge without the SGE raises (the texts are then not exported).
//! * **TTL** the most common TTL of the mapped records (ties: the smallest). Records with another TTL
//!   are noted (a design has one TTL). With no mapped record, the `$TTL` of the file (or the last TTL
//!   written), else 3600.
//! * **Relay order**: MX order for the BERs, SRV order for the SRV-listed relays, merged so that both
//!   orders come back on export. Addresses and TLSA records carry no order of their own (a zone is a set
//!   of RRsets), which is why [`records_of`](super::records_of) lists them BERs first, then SORs.
//!
//! What hickory-proto 0.26 does that matters here (`serialize::txt::Parser` + `rr::RecordSet`):
//! * records are grouped into RRsets keyed by (lower-cased name, type) in a `BTreeMap`: the order of the
//!   file *between* RRsets is lost (it is canonical name order), the order *within* an RRset is kept;
//! * **mixed TTLs in one RRset are kept per record** (`Record::ttl`), only the RRset's own TTL field
//!   becomes that of the last record inserted; we read every record's own TTL, so nothing is lost —
//!   except that a record repeated with the same data is dropped whatever its TTL (RFC 2136 §1.1.1
//!   equality ignores the TTL: the first one written stays, with its TTL);
//! * a second CNAME at the same name replaces the first (RFC 2136 §1.1.5), a second SOA is an error;
//! * `\DDD` escapes in quoted strings are decoded wrongly (as `(d1<<16)+(d2<<8)+d3`, not decimal), so
//!   `"\065BC"` would read as U+0605 `BC`: [`decode_ddd_in_quotes`] decodes them before hickory sees
//!   the text (control characters travel as placeholders and are mapped back in TXT data); `\X`
//!   escapes work;
//! * quoted strings inside `( … )` are not recognised as quoted (quotes and spaces split tokens);
//! * an omitted class is the last one written (after a `CH` record, the following records are `CH` too);
//! * `$INCLUDE` would read files: any `$INCLUDE` in the text (even inside a quoted string) is refused
//!   before parsing;
//! * errors carry no position: the failing line is found by parsing growing prefixes of the text
//!   (binary search for the shortest prefix that fails with the same error); the column is found from
//!   the offending token or character where the error names one.

use super::export::{absolute, rdata_text};
use super::tlsa_owner;
use crate::model::name::{is_in_domain, normalize_name};
use crate::model::{
    DEFAULT_TTL, Design, DomainName, Level, MtaSts, Profile, RData, Record, RecordSet, Relay, Role,
    SgeTexts, StsMode, TlsRpt,
};
use hickory_proto::rr::{DNSClass, Name, RData as HRData};
use hickory_proto::serialize::txt::{LexerError, ParseError, Parser, Token};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

/// SRV service labels that are never taken as the SecMX label when `_secmx` is absent: client access
/// (RFC 6186, 6764, 8314), directory, voice, chat and web services.
pub const OTHER_SERVICES: &[&str] = &[
    "_submission",
    "_submissions",
    "_imap",
    "_imaps",
    "_pop3",
    "_pop3s",
    "_sieve",
    "_autodiscover",
    "_caldav",
    "_caldavs",
    "_carddav",
    "_carddavs",
    "_ldap",
    "_ldaps",
    "_gc",
    "_kerberos",
    "_kerberos-master",
    "_kpasswd",
    "_sip",
    "_sips",
    "_sipfederationtls",
    "_sipinternaltls",
    "_xmpp-client",
    "_xmpp-server",
    "_jabber",
    "_http",
    "_https",
    "_matrix",
    "_stun",
    "_stuns",
    "_turn",
    "_turns",
    "_h323cs",
    "_minecraft",
    "_vlmcs",
];

/// Why a zone could not be read, with the position in the text where it could be found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ImportError {
    /// What went wrong (hickory's message for parse errors).
    pub message: String,
    /// 1-based line of the text, when known.
    pub line: Option<usize>,
    /// 1-based column (in characters) within `line`, when known.
    pub column: Option<usize>,
}

impl ImportError {
    fn new(message: impl Into<String>) -> Self {
        ImportError {
            message: message.into(),
            line: None,
            column: None,
        }
    }

    /// `file:line:column: message` (or `file:line: message`, `file: message`) for one line on stderr.
    pub fn at_file(&self, file: &str) -> String {
        format!("{file}:{self}")
    }
}

/// `line:column: message`, `line: message` or ` message`, so that `format!("{file}:{err}")` reads as
/// `file:line:column: message`.
impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, "{l}:{c}: {}", self.message),
            (Some(l), None) => write!(f, "{l}: {}", self.message),
            _ => write!(f, " {}", self.message),
        }
    }
}

/// What the import made, and what it could not map.
#[derive(Debug, Clone)]
pub struct ImportReport {
    /// The design.
    pub design: Design,
    /// Records that do not map to the design, one line each: the record in master-file form (absolute
    /// names), then `; why`.
    pub unmapped: Vec<String>,
    /// What the mapping assumed or could not keep (defaults filled in, TTLs unified, profile chosen).
    pub notes: Vec<String>,
}

/// Read zone text and return its records, normalised (lower case, no trailing dot, root = `""`; labels
/// that are not ASCII are kept as UTF-8, other odd octets as `\DDD`), in hickory's order: RRsets in
/// canonical name order, records within an RRset as written. `origin` is the initial `$ORIGIN`.
///
/// Types the rules do not know are kept as [`RData::Other`] with hickory's presentation form; a record
/// of a class other than IN becomes `Other` with the class in its type (`CH TXT`).
pub fn records_from_zone(text: &str, origin: &str) -> Result<RecordSet, ImportError> {
    let origin_name = origin_name(origin)?;
    refuse_include(text)?;
    let text = &*decode_ddd_in_quotes(text);
    let map = parse(text, &origin_name).map_err(|e| locate(text, &origin_name, &e))?;
    let mut set = RecordSet::new();
    for rrset in map.values() {
        for r in rrset.records_without_rrsigs() {
            set.push(convert(r));
        }
    }
    Ok(set)
}

/// Read zone text and build the design of `domain` from it (see the module documentation for the
/// mapping). Never panics; a parse error carries the line (and column where known).
pub fn import_zone(text: &str, domain: &str) -> Result<ImportReport, ImportError> {
    let domain = DomainName::parse(domain)
        .map_err(|e| ImportError::new(format!("`{domain}` is not a usable mail domain: {e}")))?;
    let records = records_from_zone(text, domain.as_str())?;
    let fallback = || default_ttl(text, domain.as_str()).unwrap_or(DEFAULT_TTL);
    let mut report = map_records(&records, domain.clone(), &fallback);
    apply_header_options(text, &mut report);
    Ok(report)
}

/// Read the design options a SecMX snippet's header carries (`; options:  test-domain, …`): facts
/// DNS has no record for, kept so export → import → export gives the same text.
fn apply_header_options(text: &str, report: &mut ImportReport) {
    use super::export::{OPTION_SECURE_ONLY, OPTION_TEST_DOMAIN, OPTIONS_PREFIX};
    for line in text
        .lines()
        .take_while(|l| l.starts_with(';') || l.trim().is_empty())
    {
        if let Some(rest) = line.strip_prefix(OPTIONS_PREFIX) {
            for word in rest.split(',').map(str::trim) {
                match word {
                    OPTION_TEST_DOMAIN => report.design.test_domain = true,
                    OPTION_SECURE_ONLY => report.design.secure_only = true,
                    _ => {}
                }
            }
            report.notes.push(format!(
                "design options read from the snippet header: {}",
                rest.trim()
            ));
        }
    }
}

fn origin_name(origin: &str) -> Result<Name, ImportError> {
    let o = normalize_name(origin);
    Name::from_ascii(format!("{o}."))
        .map_err(|e| ImportError::new(format!("`{origin}` cannot be a zone origin: {e}")))
}

/// `$INCLUDE` makes hickory read other files; a zone given to the importer is one text.
fn refuse_include(text: &str) -> Result<(), ImportError> {
    if let Some(pos) = text.find("$INCLUDE") {
        let (line, column) = line_col(text, pos);
        return Err(ImportError {
            message: "$INCLUDE is not supported: import one zone text (inline the included file)"
                .into(),
            line: Some(line),
            column: Some(column),
        });
    }
    Ok(())
}

type RrMap = BTreeMap<hickory_proto::rr::RrKey, hickory_proto::rr::RecordSet>;

/// Run hickory's parser; a panic inside it (none is known) becomes an error rather than a crash.
fn parse(text: &str, origin: &Name) -> Result<RrMap, ParseError> {
    let run = std::panic::AssertUnwindSafe(|| {
        Parser::new(text, None, Some(origin.clone()))
            .parse()
            .map(|(_, m)| m)
    });
    match std::panic::catch_unwind(run) {
        Ok(r) => r,
        Err(_) => Err(ParseError::Message(
            "the zone parser failed unexpectedly on this text",
        )),
    }
}

/// The text of a zone file: its bytes must be UTF-8; the first byte that is not is reported with
/// its line and column.
pub fn zone_text(bytes: &[u8]) -> Result<&str, ImportError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let pos = e.valid_up_to();
        let valid = std::str::from_utf8(&bytes[..pos]).unwrap_or_default();
        let (line, column) = line_col(valid, valid.len());
        ImportError {
            message: "the zone file is not valid UTF-8".into(),
            line: Some(line),
            column: Some(column),
        }
    })
}

/// First code point of the placeholders for ASCII control characters written `\DDD` in a quoted
/// string (plane 16 private use: no zone text has them), mapped back by [`unplaceholder`].
const CONTROL_PLACEHOLDER: u32 = 0x10_FF00;

/// Work around hickory-proto 0.26's lexer, which decodes `\DDD` in a quoted string as the code
/// point `(d1 << 16) + (d2 << 8) + d3` (so `"\065BC"` reads as U+0605 + `BC`): decode every run of
/// `\DDD` escapes (decimal octets, RFC 1035 §5.1) here, before the text reaches hickory. The
/// octets are read as UTF-8 (invalid sequences become U+FFFD, as TXT data does anyway); `"` and
/// `\` come out as `\"` and `\\`, ASCII control characters as a placeholder (one character, so
/// lines and columns stay), everything else as the literal character. Comments and text outside
/// quotes are left alone; `\DDD` above 255 is left for hickory to reject.
pub(crate) fn decode_ddd_in_quotes(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('\\') {
        return std::borrow::Cow::Borrowed(text);
    }
    let b = text.as_bytes();
    let ddd = |i: usize| -> Option<u8> {
        if b.get(i) != Some(&b'\\') {
            return None;
        }
        let d = b.get(i + 1..i + 4)?;
        if !d.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let v = u32::from(d[0] - b'0') * 100 + u32::from(d[1] - b'0') * 10 + u32::from(d[2] - b'0');
        u8::try_from(v).ok()
    };
    let mut out = String::with_capacity(text.len());
    let (mut i, mut copied, mut quoted) = (0usize, 0usize, false);
    while i < b.len() {
        match b[i] {
            b';' if !quoted => {
                i = text[i..].find('\n').map_or(b.len(), |n| i + n);
            }
            b'"' => {
                quoted = !quoted;
                i += 1;
            }
            b'\\' if quoted && ddd(i).is_some() => {
                out.push_str(&text[copied..i]);
                let mut octets = Vec::new();
                while let Some(v) = ddd(i) {
                    octets.push(v);
                    i += 4;
                }
                for c in String::from_utf8_lossy(&octets).chars() {
                    match c {
                        '"' | '\\' => {
                            out.push('\\');
                            out.push(c);
                        }
                        c if c.is_ascii_control() => out.push(
                            char::from_u32(CONTROL_PLACEHOLDER + u32::from(c)).unwrap_or('?'),
                        ),
                        c => out.push(c),
                    }
                }
                copied = i;
            }
            // Any other escape: the escaped character is taken as is (also a `"`).
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
    if copied == 0 {
        return std::borrow::Cow::Borrowed(text);
    }
    out.push_str(&text[copied.min(b.len())..]);
    std::borrow::Cow::Owned(out)
}

/// The ASCII control character a [`decode_ddd_in_quotes`] placeholder stands for.
fn unplaceholder(c: char) -> char {
    match u32::from(c).checked_sub(CONTROL_PLACEHOLDER) {
        Some(v) if v < 0x80 => char::from_u32(v).unwrap_or(c),
        _ => c,
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, pos: usize) -> (usize, usize) {
    let before = &text[..pos];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    (line, text[start..pos].chars().count() + 1)
}

/// Turn a parse error into an [`ImportError`] with the line where the text first fails the same way.
fn locate(text: &str, origin: &Name, err: &ParseError) -> ImportError {
    let message = err.to_string();
    // Byte offsets just after each line.
    let ends: Vec<usize> = text
        .split_inclusive('\n')
        .scan(0usize, |acc, l| {
            *acc += l.len();
            Some(*acc)
        })
        .collect();
    if ends.is_empty() {
        return ImportError::new(message);
    }
    let fails_same = |k: usize| -> bool {
        let prefix = &text[..ends[k - 1]];
        matches!(parse(prefix, origin), Err(e) if e.to_string() == message)
    };
    let (mut lo, mut hi) = (1usize, ends.len());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if fails_same(mid) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    let start = if lo >= 2 { ends[lo - 2] } else { 0 };
    let line_text = text[start..ends[lo - 1]].trim_end_matches(['\n', '\r']);
    let (column, message) = match refine(line_text, &message) {
        Some((c, m)) => (Some(c), m.unwrap_or(message)),
        None => (column_in(line_text, err), message),
    };
    ImportError {
        column,
        message,
        line: Some(lo),
    }
}

/// The whitespace-separated tokens of a line's code (before `;`), with their byte offsets.
fn tokens(line: &str) -> Vec<(usize, &str)> {
    let code = line.split(';').next().unwrap_or(line);
    let mut v = Vec::new();
    let mut start = None;
    for (i, c) in code.char_indices() {
        match (c.is_whitespace() || c == '(' || c == ')', start) {
            (true, Some(s)) => {
                v.push((s, &code[s..i]));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        v.push((s, &code[s..]));
    }
    v
}

/// For the errors hickory reports without the token: the column of the offending token (byte
/// offset turned into characters) and, where hickory's words mislead, a better message.
fn refine(line: &str, message: &str) -> Option<(usize, Option<String>)> {
    let col = |byte: usize| line[..byte].chars().count() + 1;
    let toks = tokens(line);
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let too_big_for_ttl =
        |t: &str| digits(t) && t.parse::<u64>().map_or(true, |n| n > u64::from(u32::MAX));
    let ttl_out_of_range =
        |t: &str| format!("TTL out of range: {t} (a TTL is at most 4294967295 seconds)");
    if message.contains("label bytes exceed 63") {
        for (at, t) in &toks {
            let mut off = 0;
            for label in t.split('.') {
                if label.len() > 63 {
                    return Some((col(at + off), None));
                }
                off += label.len() + 1;
            }
        }
        return None;
    }
    if message.contains("error parsing number") {
        let big = |limit: u64| {
            toks.iter()
                .find(|(_, t)| digits(t) && t.parse::<u64>().map_or(true, |n| n > limit))
        };
        return big(u64::from(u16::MAX))
            .or_else(|| big(u64::from(u8::MAX)))
            .map(|(at, _)| (col(*at), None));
    }
    if let Some(rest) = message.split("invalid symbol at ").nth(1) {
        let n: usize = rest.trim().parse().ok()?;
        // Hex or base64 after the type's numeric fields.
        let ty = toks.iter().position(|(_, t)| {
            [
                "TLSA",
                "SMIMEA",
                "SSHFP",
                "DS",
                "CDS",
                "DNSKEY",
                "CDNSKEY",
                "OPENPGPKEY",
            ]
            .iter()
            .any(|k| t.eq_ignore_ascii_case(k))
        })?;
        let skip = match toks[ty].1.to_ascii_uppercase().as_str() {
            "SSHFP" => 2,
            "OPENPGPKEY" => 0,
            _ => 3,
        };
        let mut left = n;
        for (at, t) in toks.iter().skip(ty + 1 + skip) {
            if left < t.len() {
                return Some((col(at + left), None));
            }
            left -= t.len();
        }
        return None;
    }
    if let Some(word) = message
        .split("record type string unknown: ")
        .nth(1)
        .or_else(|| message.split("invalid time string: ").nth(1))
    {
        let word = word.trim();
        let (at, t) = toks.iter().find(|(_, t)| t.eq_ignore_ascii_case(word))?;
        if too_big_for_ttl(t) {
            return Some((col(*at), Some(ttl_out_of_range(t))));
        }
        if t.starts_with(|c: char| c.is_ascii_digit()) {
            return Some((
                col(*at),
                Some(format!(
                    "not a TTL: {t} (seconds, or a number with s, m, h, d or w units, e.g. 1h30m)"
                )),
            ));
        }
        return Some((col(*at), None));
    }
    None
}

/// Where on its line the error's token or character is, when the error names one.
fn column_in(line: &str, err: &ParseError) -> Option<usize> {
    let code = line.split(';').next().unwrap_or(line);
    let idx = match err {
        ParseError::UnexpectedToken(t) => match t {
            Token::CharData(s) if !s.is_empty() => code.find(s.as_str()),
            Token::Include => code.find("$INCLUDE"),
            Token::Origin => code.find("$ORIGIN"),
            Token::Ttl => code.find("$TTL"),
            Token::At => code.find('@'),
            Token::List(_) => code.find('('),
            _ => None,
        },
        ParseError::CharToInt(c) => code.find(*c),
        ParseError::Lexer(l) => match l {
            LexerError::IllegalCharacter(c) | LexerError::UnrecognizedChar(c) => line.find(*c),
            LexerError::UnrecognizedDollar(_) => code.find('$'),
            LexerError::UnclosedQuotedString => line.rfind('"'),
            LexerError::UnclosedList => code.rfind('('),
            _ => None,
        },
        _ => {
            // Messages such as `unknown record type: FOO` name the token: find the longest token of
            // the line that the message quotes.
            let msg = err.to_string();
            code.split_whitespace()
                .filter(|t| t.len() >= 2 && msg.contains(*t))
                .max_by_key(|t| t.len())
                .and_then(|t| code.find(t))
        }
    }?;
    Some(line[..idx].chars().count() + 1)
}

/// The TTL a record without one would get at the end of the text: its `$TTL`, else the last TTL.
fn default_ttl(text: &str, domain: &str) -> Option<i64> {
    let probe_name = "secmx-ttl-probe.invalid.";
    let probed = format!("{text}\n{probe_name} TXT \"\"\n");
    let origin = origin_name(domain).ok()?;
    let map = parse(&probed, &origin).ok()?;
    let probe = Name::from_ascii(probe_name).ok()?;
    map.values()
        .filter(|s| s.name() == &probe)
        .flat_map(|s| s.records_without_rrsigs())
        .map(|r| i64::from(r.ttl))
        .next()
}

/// A hickory record as one of ours.
fn convert(r: &hickory_proto::rr::Record) -> Record {
    let name = name_text(&r.name);
    let ttl = i64::from(r.ttl);
    let data = if r.dns_class != DNSClass::IN {
        RData::Other {
            rtype: format!("{} {}", r.dns_class, r.record_type()),
            data: r.data.to_string(),
        }
    } else {
        match &r.data {
            HRData::MX(mx) => RData::Mx {
                preference: i64::from(mx.preference),
                exchange: name_text(&mx.exchange),
            },
            HRData::SRV(s) => RData::Srv {
                priority: i64::from(s.priority),
                weight: i64::from(s.weight),
                port: i64::from(s.port),
                target: name_text(&s.target),
            },
            HRData::A(a) => RData::A(a.0),
            HRData::AAAA(a) => RData::Aaaa(a.0),
            HRData::TLSA(t) => RData::Tlsa {
                usage: i64::from(u8::from(t.cert_usage)),
                selector: i64::from(u8::from(t.selector)),
                matching: i64::from(u8::from(t.matching)),
                data: hex::encode(&t.cert_data),
            },
            HRData::TXT(t) => RData::Txt(
                t.txt_data
                    .iter()
                    .map(|b| {
                        String::from_utf8_lossy(b)
                            .chars()
                            .map(unplaceholder)
                            .collect()
                    })
                    .collect(),
            ),
            HRData::CNAME(c) => RData::Cname(name_text(&c.0)),
            other => RData::Other {
                rtype: r.record_type().to_string(),
                data: other.to_string(),
            },
        }
    };
    Record::new(name, ttl, data)
}

/// A name normalised like the rest of the program: lower case, no final dot, root = `""`.
fn name_text(name: &Name) -> String {
    name.iter().map(label_text).collect::<Vec<_>>().join(".")
}

fn label_text(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    match std::str::from_utf8(bytes) {
        Ok(s) => {
            for c in s.chars() {
                match c {
                    '.' | '\\' => {
                        out.push('\\');
                        out.push(c);
                    }
                    c if c.is_ascii_control() || c == ' ' => {
                        out.push_str(&format!("\\{:03}", c as u32));
                    }
                    c => out.push(c.to_ascii_lowercase()),
                }
            }
        }
        Err(_) => {
            for &b in bytes {
                if b.is_ascii_graphic() && b != b'.' && b != b'\\' {
                    out.push(char::from(b.to_ascii_lowercase()));
                } else {
                    out.push_str(&format!("\\{b:03}"));
                }
            }
        }
    }
    out
}

/// One record as an `unmapped` line.
fn describe(r: &Record, domain: &str, why: &str) -> String {
    format!(
        "{} {} {} {} ; {why}",
        absolute(&r.name),
        r.ttl,
        r.data.rtype(),
        rdata_text(&r.data, domain, false)
    )
}

/// The fields of a `v=…; k=v; …` policy text after its version tag, or `None` when the tag differs.
fn policy_fields<'a>(text: &'a str, tag: &str) -> Option<Vec<(&'a str, &'a str)>> {
    let mut parts = text.split(';').map(str::trim);
    let first = parts.next()?;
    let (k, v) = first.split_once('=')?;
    if k.trim() != "v" || v.trim() != tag {
        return None;
    }
    Some(
        parts
            .filter_map(|p| p.split_once('='))
            .map(|(k, v)| (k.trim(), v.trim()))
            .collect(),
    )
}

fn is_spf(text: &str) -> bool {
    let t = text.as_bytes();
    t.len() >= 6 && t[..6].eq_ignore_ascii_case(b"v=spf1") && (t.len() == 6 || t[6] == b' ')
}

fn is_dmarc(text: &str) -> bool {
    text.strip_prefix("v=DMARC1")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([';', ' ', '\t']))
}

/// Pick the SecMX SRV owner among the `_<label>._tcp.<domain>` owners that hold SRV records.
fn choose_srv_label(records: &[Record], domain: &str) -> Option<String> {
    let suffix = format!("._tcp.{domain}");
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for r in records {
        if !matches!(r.data, RData::Srv { .. }) {
            continue;
        }
        if let Some(label) = r.name.strip_suffix(suffix.as_str())
            && label.starts_with('_')
            && !label.contains('.')
            && label.len() > 1
        {
            *counts.entry(label).or_default() += 1;
        }
    }
    if counts.contains_key(crate::model::DEFAULT_SRV_LABEL) {
        return Some(crate::model::DEFAULT_SRV_LABEL.to_string());
    }
    counts
        .iter()
        .filter(|(l, _)| !OTHER_SERVICES.contains(l))
        // Most records first; BTreeMap order (alphabetical) breaks ties as max_by_key keeps the last.
        .rev()
        .max_by_key(|(_, n)| **n)
        .map(|(l, _)| (*l).to_string())
}

/// Build a design from records already in hand (what DNS publishes today, for instance), with the
/// same mapping as a zone import; the TTL falls back to 3600 when no record maps.
pub fn design_from_records(set: &RecordSet, domain: DomainName) -> ImportReport {
    map_records(set, domain, &|| DEFAULT_TTL)
}

/// Map normalised records to a design; `fallback_ttl` gives the TTL when no record was mapped.
fn map_records(
    set: &RecordSet,
    domain: DomainName,
    fallback_ttl: &dyn Fn() -> i64,
) -> ImportReport {
    let d = domain.as_str().to_string();
    let recs = set.records();
    let mut design = Design::new(domain);
    let mut mapped = vec![false; recs.len()];
    let mut why: HashMap<usize, String> = HashMap::new();
    let mut notes = Vec::new();

    let mut index: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    for (i, r) in recs.iter().enumerate() {
        index
            .entry((r.name.as_str(), r.data.rtype()))
            .or_default()
            .push(i);
    }
    let at = |name: &str, rtype: &str| -> Vec<usize> {
        index.get(&(name, rtype)).cloned().unwrap_or_default()
    };

    // MX → null MX and BERs, in MX order.
    let mut bers: Vec<Relay> = Vec::new();
    let mut ber_idx: Vec<usize> = Vec::new();
    for i in at(&d, "MX") {
        if let RData::Mx {
            preference,
            exchange,
        } = &recs[i].data
        {
            if exchange.is_empty() {
                if *preference == 0 {
                    design.null_mx = true;
                    mapped[i] = true;
                } else {
                    why.insert(
                        i,
                        "a null MX (target `.`) must have preference 0 (RFC 7505)".into(),
                    );
                }
                continue;
            }
            let mut r = Relay::new(exchange.clone(), Role::Ber);
            r.preference = *preference;
            bers.push(r);
            ber_idx.push(i);
            mapped[i] = true;
        }
    }

    // SRV under the chosen label → also_srv BERs and SORs, merged so MX and SRV orders both survive.
    let label = choose_srv_label(recs, &d);
    let mut ber_by_host: HashMap<&str, Vec<usize>> = HashMap::new();
    for (k, b) in bers.iter().enumerate() {
        ber_by_host.entry(b.host.as_str()).or_default().push(k);
    }
    let mut relays: Vec<Relay> = Vec::new();
    let mut next_ber = 0usize;
    if let Some(label) = &label {
        design.srv_label = label.clone();
        for i in at(&design.srv_owner(), "SRV") {
            let RData::Srv {
                priority,
                weight,
                port,
                target,
            } = &recs[i].data
            else {
                continue;
            };
            mapped[i] = true;
            // The first BER with this host not before the last one claimed (claimed ones all are), so
            // the also_srv BERs keep the same relative order in MX and in SRV.
            let claim = if *port == 25 && !target.is_empty() {
                ber_by_host.get(target.as_str()).and_then(|ks| {
                    let at = ks.partition_point(|&k| k < next_ber);
                    ks.get(at).copied()
                })
            } else {
                None
            };
            if let Some(k) = claim {
                relays.extend(bers[next_ber..k].iter().cloned());
                let mut b = bers[k].clone();
                b.also_srv = true;
                b.priority = *priority;
                b.weight = *weight;
                relays.push(b);
                next_ber = k + 1;
            } else {
                let mut s = Relay::new(target.clone(), Role::Sor);
                s.port = *port;
                s.priority = *priority;
                s.weight = *weight;
                relays.push(s);
            }
        }
    }
    relays.extend(bers[next_ber..].iter().cloned());

    // Addresses and TLSA, per relay host (first relay with that host), BERs first as records_of does.
    let mut order: Vec<usize> = (0..relays.len())
        .filter(|&k| relays[k].role == Role::Ber)
        .collect();
    order.extend((0..relays.len()).filter(|&k| relays[k].role == Role::Sor));
    let mut hosts_done: HashSet<String> = HashSet::new();
    let mut tlsa_done: HashSet<String> = HashSet::new();
    for &k in &order {
        let host = relays[k].host.clone();
        if !host.is_empty() && hosts_done.insert(host.clone()) {
            let inside = is_in_domain(&host, &d);
            for i in at(&host, "A").into_iter().chain(at(&host, "AAAA")) {
                let addr = match recs[i].data {
                    RData::A(a) => std::net::IpAddr::V4(a),
                    RData::Aaaa(a) => std::net::IpAddr::V6(a),
                    _ => continue,
                };
                if inside {
                    relays[k].addresses.push(addr);
                    mapped[i] = true;
                } else {
                    why.insert(
                        i,
                        format!(
                            "address of a relay host outside {d}: a design publishes addresses only for hosts inside the domain"
                        ),
                    );
                }
            }
        }
        let owner = tlsa_owner(relays[k].tlsa_port(), &host);
        if !host.is_empty() && tlsa_done.insert(owner.clone()) {
            for i in at(&owner, "TLSA") {
                if let RData::Tlsa {
                    usage,
                    selector,
                    matching,
                    data,
                } = &recs[i].data
                {
                    relays[k]
                        .tlsa
                        .push(format!("{usage} {selector} {matching} {data}"));
                    mapped[i] = true;
                }
            }
        }
    }
    design.relays = relays;
    if design.relays.iter().any(|r| r.in_srv()) {
        design.level = Level::L2;
    }

    // MTA-STS.
    for i in at(&format!("_mta-sts.{d}"), "TXT") {
        let text = recs[i].data.txt_joined().unwrap_or_default();
        let Some(fields) = policy_fields(&text, "STSv1") else {
            why.insert(i, "TXT at _mta-sts that is not a `v=STSv1` record".into());
            continue;
        };
        if design.mta_sts.is_some() {
            why.insert(i, "a second MTA-STS record (senders ignore both)".into());
            continue;
        }
        let Some(id) = fields.iter().find(|(k, _)| *k == "id").map(|(_, v)| *v) else {
            why.insert(i, "MTA-STS record without an `id`".into());
            continue;
        };
        design.mta_sts = Some(MtaSts {
            mode: StsMode::Enforce,
            max_age: 604800,
            id: Some(id.to_string()),
            mx: Vec::new(),
            policy_sha256: None,
        });
        mapped[i] = true;
        notes.push(
            "MTA-STS: the zone holds only the `_mta-sts` record; mode (enforce), max_age (604800) and mx (the MX hosts) are defaults — set them to what https://mta-sts.<domain>/.well-known/mta-sts.txt says".into(),
        );
    }

    // TLS-RPT.
    for i in at(&format!("_smtp._tls.{d}"), "TXT") {
        let text = recs[i].data.txt_joined().unwrap_or_default();
        let Some(fields) = policy_fields(&text, "TLSRPTv1") else {
            why.insert(
                i,
                "TXT at _smtp._tls that is not a `v=TLSRPTv1` record".into(),
            );
            continue;
        };
        if design.tls_rpt.is_some() {
            why.insert(i, "a second TLS-RPT record".into());
            continue;
        }
        let rua = fields
            .iter()
            .filter(|(k, _)| *k == "rua")
            .flat_map(|(_, v)| v.split(','))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        design.tls_rpt = Some(TlsRpt { rua });
        mapped[i] = true;
    }
    // The same TLS-RPT record at relay hosts with TLSA is what export derives (XR-010): mapped.
    if let Some(rpt) = &design.tls_rpt {
        let text = crate::zone::tlsrpt_text(rpt);
        let hosts: Vec<String> = design
            .relays
            .iter()
            .filter(|r| !r.tlsa.is_empty())
            .map(|r| r.host.clone())
            .collect();
        for host in hosts {
            for i in at(&format!("_smtp._tls.{host}"), "TXT") {
                if recs[i].data.txt_joined().as_deref() == Some(text.as_str()) {
                    mapped[i] = true;
                }
            }
        }
    }

    // SGE texts: apex SPF, _dmarc.
    let mut sge = SgeTexts::default();
    for i in at(&d, "TXT") {
        let text = recs[i].data.txt_joined().unwrap_or_default();
        if is_spf(&text) {
            if sge.spf.is_none() {
                sge.spf = Some(text);
                mapped[i] = true;
            } else {
                why.insert(i, "a second SPF record (RFC 7208 §4.5: permerror)".into());
            }
        }
    }
    for i in at(&format!("_dmarc.{d}"), "TXT") {
        let text = recs[i].data.txt_joined().unwrap_or_default();
        if is_dmarc(&text) {
            if sge.dmarc.is_none() {
                sge.dmarc = Some(text);
                mapped[i] = true;
            } else {
                why.insert(i, "a second DMARC record".into());
            }
        } else {
            why.insert(i, "TXT at _dmarc that is not a `v=DMARC1` record".into());
        }
    }
    if sge.spf.is_some() || sge.dmarc.is_some() {
        design.profile = Profile::Sge;
        design.sge = Some(sge);
        notes.push(
            "profile set to \"sge\" because the zone publishes SPF/DMARC (a design renders those texts only under the SGE profile); set profile = \"secmx\" to judge without the SGE raises".into(),
        );
    }

    // TTL: the most common among mapped records (ties: the smallest).
    let mut counts: BTreeMap<i64, usize> = BTreeMap::new();
    for (i, r) in recs.iter().enumerate() {
        if mapped[i] {
            *counts.entry(r.ttl).or_default() += 1;
        }
    }
    design.ttl = counts
        .iter()
        .rev()
        .max_by_key(|(_, n)| **n)
        .map(|(t, _)| *t)
        .unwrap_or_else(fallback_ttl);
    for (i, r) in recs.iter().enumerate() {
        if mapped[i] && r.ttl != design.ttl {
            notes.push(format!(
                "{} {} {}: TTL {} becomes {} (a design has one TTL)",
                absolute(&r.name),
                r.data.rtype(),
                rdata_text(&r.data, &d, false),
                r.ttl,
                design.ttl
            ));
        }
    }

    // Everything else, with the reason.
    let mut unmapped = Vec::new();
    for (i, r) in recs.iter().enumerate() {
        if mapped[i] {
            continue;
        }
        let reason = why
            .remove(&i)
            .unwrap_or_else(|| default_reason(r, &d, label.as_deref()));
        unmapped.push(describe(r, &d, &reason));
    }

    ImportReport {
        design,
        unmapped,
        notes,
    }
}

fn default_reason(r: &Record, domain: &str, label: Option<&str>) -> String {
    if !is_in_domain(&r.name, domain) {
        return format!("outside {domain}");
    }
    match &r.data {
        RData::Other { rtype, .. } if rtype == "SOA" || rtype == "NS" => {
            "zone administration, not part of a mail design".into()
        }
        RData::Other { rtype, .. } if rtype.contains(' ') => "not of class IN".into(),
        RData::Cname(_) => "a CNAME is not part of a mail design".into(),
        RData::Txt(_) if r.name.contains("._domainkey.") => {
            // The key belongs to the mail system; the design only names the selector (SGE-005).
            match r.name.split_once("._domainkey.") {
                Some((sel, _)) => format!(
                    "DKIM key record: the key is the mail system's; name the selector in the design (`dkim_selectors = [\"{sel}\"]` in [sge]) so `secmx check` judges it"
                ),
                None => "DKIM key record".into(),
            }
        }
        RData::Txt(_) => "TXT that is not an MTA-STS, TLS-RPT, SPF or DMARC policy".into(),
        RData::Mx { .. } => "MX of another name than the mail domain".into(),
        RData::Srv { .. } => match label {
            Some(l) => format!("SRV of another service than {l}._tcp"),
            None => "SRV of a service that is not SecMX discovery".into(),
        },
        RData::A(_) | RData::Aaaa(_) => "address of a host that is not a relay".into(),
        RData::Tlsa { .. } => "TLSA that is not at _<port>._tcp of a relay".into(),
        RData::Other { .. } => "not part of a mail design".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ZONE: &str = r#"$ORIGIN agency.example.
$TTL 3600
@        IN SOA ns1 hostmaster 1 7200 3600 1209600 3600
@        IN NS  ns1
ns1      IN A   192.0.2.53
@    300 IN MX  10 mx1
@        IN MX  20 mx.provider.example.
_secmx._tcp IN SRV 10 0 25 sor1
_secmx._tcp IN SRV 20 0 25 mx1
_submission._tcp IN SRV 0 1 587 mail
mx1      IN A    192.0.2.25
mx1      IN AAAA 2001:db8::25
sor1     IN A    192.0.2.26
_25._tcp.sor1 IN TLSA 3 1 1 ABCDEF0123
_mta-sts IN TXT "v=STSv1; id=20260101T000000"
_smtp._tls IN TXT "v=TLSRPTv1; rua=mailto:a@agency.example,mailto:b@agency.example"
@        IN TXT "v=spf1 mx -all"
@        IN TXT "google-site-verification=xyz"
_dmarc   IN TXT "v=DMARC1; p=reject"
www      IN CNAME web.provider.example.
"#;

    /// Issue 13.8, the upstream bug this module works around: hickory-proto's own reading of
    /// `"\065BC"`. When this fails, hickory decodes `\DDD` itself and the workaround can go.
    #[test]
    fn hickory_still_misreads_ddd_escapes() {
        let origin = origin_name("d.example").unwrap();
        let raw = parse("t 300 IN TXT \"\\065BC\"\n", &origin).unwrap();
        let set = raw.values().next().unwrap();
        let r = set.records_without_rrsigs().next().unwrap();
        let HRData::TXT(t) = &r.data else {
            panic!("not TXT")
        };
        assert_eq!(&*t.txt_data[0], "\u{605}BC".as_bytes());
        let ours = records_from_zone("t 300 IN TXT \"\\065BC\"\n", "d.example").unwrap();
        assert_eq!(ours.records()[0].data, RData::Txt(vec!["ABC".into()]));
    }

    /// Issue 13.4: every import error names line and column.
    #[test]
    fn import_errors_carry_line_and_column() {
        let long = "a".repeat(300);
        let cases: Vec<(String, usize, usize, &str)> = vec![
            (
                format!("{long}.agency.example. 300 IN A 192.0.2.1\n"),
                1,
                1,
                "",
            ),
            ("@ 300 IN MX 70000 mx1\n".into(), 1, 13, ""),
            (
                "_25._tcp.mx1 300 IN TLSA 3 1 1 ABCDEFXY\n".into(),
                1,
                38,
                "",
            ),
            ("@ 1x IN MX 10 mx1\n".into(), 1, 3, ""),
            (
                "@ 4294967296 IN MX 10 mx1\n".into(),
                1,
                3,
                "TTL out of range",
            ),
            (
                "$TTL 4294967296\n@ IN MX 10 mx1\n".into(),
                1,
                6,
                "TTL out of range",
            ),
        ];
        let mut wrong = Vec::new();
        for (zone, line, column, msg) in cases {
            let text = format!("$ORIGIN agency.example.\n{zone}");
            let e = import_zone(&text, "agency.example").unwrap_err();
            if (e.line, e.column) != (Some(line + 1), Some(column))
                || !e.message.contains(msg)
                || e.to_string().contains('\n')
            {
                wrong.push(format!(
                    "{zone:?} -> {e} (want {}:{column} {msg})",
                    line + 1
                ));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn invalid_utf8_is_reported_at_its_position() {
        let e = zone_text(b"$ORIGIN a.example.\n@ TXT \"ab\xff\"\n").unwrap_err();
        assert_eq!((e.line, e.column), (Some(2), Some(10)), "{e}");
        assert!(e.message.contains("UTF-8"), "{e}");
        assert_eq!(zone_text(b"ok").unwrap(), "ok");
    }

    #[test]
    fn maps_a_whole_zone() {
        let rep = import_zone(ZONE, "agency.example").unwrap();
        let d = &rep.design;
        assert_eq!(d.ttl, 3600);
        assert_eq!(d.level, Level::L2);
        assert_eq!(d.profile, Profile::Sge);
        assert_eq!(d.srv_label, "_secmx");
        let hosts: Vec<(&str, Role)> = d.relays.iter().map(|r| (r.host.as_str(), r.role)).collect();
        assert_eq!(
            hosts,
            vec![
                ("sor1.agency.example", Role::Sor),
                ("mx1.agency.example", Role::Ber),
                ("mx.provider.example", Role::Ber),
            ]
        );
        let mx1 = &d.relays[1];
        assert!(mx1.also_srv);
        assert_eq!((mx1.priority, mx1.preference), (20, 10));
        assert_eq!(mx1.addresses.len(), 2);
        assert_eq!(d.relays[0].tlsa, vec!["3 1 1 abcdef0123".to_string()]);
        assert_eq!(d.relays[0].addresses.len(), 1);
        let sts = d.mta_sts.as_ref().unwrap();
        assert_eq!(sts.id.as_deref(), Some("20260101T000000"));
        assert_eq!(
            d.tls_rpt.as_ref().unwrap().rua,
            vec!["mailto:a@agency.example", "mailto:b@agency.example"]
        );
        let sge = d.sge.as_ref().unwrap();
        assert_eq!(sge.spf.as_deref(), Some("v=spf1 mx -all"));
        assert_eq!(sge.dmarc.as_deref(), Some("v=DMARC1; p=reject"));
        // SOA, NS, ns1 A, submission SRV, verification TXT, CNAME.
        assert_eq!(rep.unmapped.len(), 6, "{:#?}", rep.unmapped);
        assert!(
            rep.unmapped
                .iter()
                .any(|u| u.starts_with("agency.example. 3600 NS ns1.agency.example. ;"))
        );
        assert!(rep.unmapped.iter().any(|u| u.contains("CNAME")));
        assert!(
            rep.unmapped
                .iter()
                .any(|u| u.contains("_submission._tcp") && u.contains("another service"))
        );
        // The 300-second MX is noted.
        assert!(
            rep.notes.iter().any(|n| n.contains("TTL 300 becomes 3600")),
            "{:#?}",
            rep.notes
        );
    }

    #[test]
    fn dkim_key_records_are_listed_not_lost() {
        let z = "$TTL 3600\n@ IN MX 10 mx1.agency.example.\ns1._domainkey IN TXT \"v=DKIM1; k=rsa; p=\"\n";
        let rep = import_zone(z, "agency.example").unwrap();
        assert_eq!(rep.unmapped.len(), 1, "{:#?}", rep.unmapped);
        assert!(
            rep.unmapped[0].contains("s1._domainkey"),
            "{:?}",
            rep.unmapped
        );
        assert!(
            rep.unmapped[0].contains("dkim_selectors = [\"s1\"]"),
            "{:?}",
            rep.unmapped
        );
    }

    #[test]
    fn null_mx_and_opt_out() {
        let z = "@ 3600 IN MX 0 .\n_secmx._tcp 3600 IN SRV 0 0 0 .\n";
        let rep = import_zone(z, "agency.example").unwrap();
        assert!(rep.design.null_mx);
        assert_eq!(rep.design.relays.len(), 1);
        assert_eq!(rep.design.relays[0].host, "");
        assert_eq!(rep.design.relays[0].role, Role::Sor);
        assert!(rep.unmapped.is_empty());
    }

    #[test]
    fn other_srv_label_is_detected() {
        let z = "$TTL 600\n_smtptls._tcp IN SRV 10 0 465 sor1\n_imaps._tcp IN SRV 0 1 993 imap\n_imaps._tcp IN SRV 0 1 993 imap2\n";
        let rep = import_zone(z, "agency.example").unwrap();
        assert_eq!(rep.design.srv_label, "_smtptls");
        assert_eq!(rep.design.relays[0].port, 465);
        assert_eq!(rep.design.ttl, 600);
        assert_eq!(rep.unmapped.len(), 2);
    }

    #[test]
    fn empty_zone_takes_dollar_ttl() {
        let rep = import_zone("$TTL 900\n; nothing\n", "agency.example").unwrap();
        assert_eq!(rep.design.ttl, 900);
        let rep = import_zone("", "agency.example").unwrap();
        assert_eq!(rep.design.ttl, DEFAULT_TTL);
    }

    #[test]
    fn missing_final_dot_doubles_the_origin() {
        let z = "$ORIGIN agency.example.\n$TTL 3600\n@ MX 10 mx1.agency.example\n";
        let rep = import_zone(z, "agency.example").unwrap();
        assert_eq!(
            rep.design.relays[0].host,
            "mx1.agency.example.agency.example"
        );
    }

    #[test]
    fn errors_carry_line_and_column() {
        let z = "$TTL 3600\n@ MX 10 mx1\n\nmx1 A 192.0.2.1\nmx1 A 192.0.2.x\nmx2 A 192.0.2.3\n";
        let e = import_zone(z, "agency.example").unwrap_err();
        assert_eq!(e.line, Some(5), "{e}");
        let z = "$TTL 3600\n@ MX 10 mx1\nmx1 FOOBAR 1\n";
        let e = import_zone(z, "agency.example").unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");
        assert_eq!(e.column, Some(5), "{e}");
        assert!(e.to_string().starts_with("3:5: "), "{e}");
        let z = "$TTL 3600\n@ TXT \"unclosed\n@ MX 10 mx1\n";
        let e = import_zone(z, "agency.example").unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
        assert_eq!(e.column, Some(7), "{e}");
    }

    #[test]
    fn derived_sts_id_and_upper_case_tlsa_come_back_as_written() {
        use crate::zone::{ExportOptions, export_zone};
        let mut d = Design::new(DomainName::parse("agency.example").unwrap());
        let mut r = Relay::new("mx1.agency.example", Role::Ber);
        r.tlsa = vec!["3 1 1 ABCDEF".into()];
        d.relays.push(r);
        d.mta_sts = Some(MtaSts {
            mode: StsMode::Enforce,
            max_age: 604800,
            id: None,
            mx: vec![],
            policy_sha256: None,
        });
        let opts = ExportOptions::default();
        let t1 = export_zone(&d, &opts);
        let rep = import_zone(&t1, "agency.example").unwrap();
        assert_eq!(
            rep.design.mta_sts.as_ref().unwrap().id.as_deref(),
            Some(crate::zone::sts_id(&d).as_str())
        );
        assert_eq!(rep.design.relays[0].tlsa, vec!["3 1 1 abcdef".to_string()]);
        assert_eq!(export_zone(&rep.design, &opts), t1);
    }

    #[test]
    fn include_is_refused() {
        let e = import_zone("$TTL 1 $INCLUDE /etc/passwd\n", "agency.example").unwrap_err();
        assert_eq!((e.line, e.column), (Some(1), Some(8)));
    }

    #[test]
    fn records_are_normalised() {
        let set = records_from_zone(
            "$TTL 60\nMX1.Agency.Example. A 192.0.2.1\n_X._TCP SRV 1 2 3 Host.\n",
            "Agency.Example.",
        )
        .unwrap();
        let names: Vec<&str> = set.iter().map(|r| r.name.as_str()).collect();
        assert!(names.contains(&"mx1.agency.example"));
        assert!(names.contains(&"_x._tcp.agency.example"));
        assert!(set.iter().any(|r| r.data
            == RData::Srv {
                priority: 1,
                weight: 2,
                port: 3,
                target: "host".into()
            }));
    }

    #[test]
    fn mixed_ttls_in_one_rrset_are_kept_per_record() {
        let set = records_from_zone("@ 300 MX 10 a\n@ 600 MX 20 b\n", "agency.example").unwrap();
        let ttls: Vec<i64> = set.iter().map(|r| r.ttl).collect();
        assert_eq!(ttls, vec![300, 600]);
        // The same data again with another TTL is dropped: the first one stays.
        let set = records_from_zone("@ 300 MX 10 a\n@ 600 MX 10 a\n", "agency.example").unwrap();
        assert_eq!(set.iter().map(|r| r.ttl).collect::<Vec<_>>(), vec![300]);
    }
}
