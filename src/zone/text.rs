//! Zone text before and around parsing: the UTF-8 check, the `$INCLUDE` refusal, the `\DDD`
//! workaround for hickory-proto 0.26's lexer, and the errors with their line and column (a
//! clearer message and the offending token's column where hickory's error names no position).

use crate::model::name::normalize_name;
use hickory_proto::rr::Name;
use hickory_proto::serialize::txt::{LexerError, ParseError, Token};
use std::fmt;

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
    pub(crate) fn new(message: impl Into<String>) -> Self {
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

pub(crate) fn origin_name(origin: &str) -> Result<Name, ImportError> {
    let o = normalize_name(origin);
    Name::from_ascii(format!("{o}."))
        .map_err(|e| ImportError::new(format!("`{origin}` cannot be a zone origin: {e}")))
}

/// `$INCLUDE` makes hickory read other files; a zone given to the importer is one text.
pub(crate) fn refuse_include(text: &str) -> Result<(), ImportError> {
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
pub(crate) fn unplaceholder(c: char) -> char {
    match u32::from(c).checked_sub(CONTROL_PLACEHOLDER) {
        Some(v) if v < 0x80 => char::from_u32(v).unwrap_or(c),
        _ => c,
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub(crate) fn line_col(text: &str, pos: usize) -> (usize, usize) {
    let before = &text[..pos];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    (line, text[start..pos].chars().count() + 1)
}

/// The whitespace-separated tokens of a line's code (before `;`), with their byte offsets.
pub(crate) fn tokens(line: &str) -> Vec<(usize, &str)> {
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
pub(crate) fn refine(line: &str, message: &str) -> Option<(usize, Option<String>)> {
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
pub(crate) fn column_in(line: &str, err: &ParseError) -> Option<usize> {
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
