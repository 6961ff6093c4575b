//! Text that reaches a terminal: remote data (SMTP banners, EHLO names, certificate subjects, TXT
//! records, reply lines) and user data (a domain with a CR in it) must not steer the terminal or
//! forge output lines. [`escape_for_terminal`] is the one function every text writer and every
//! `secmx: …` error line goes through; JSON output is left to serde, which escapes on its own.

use std::borrow::Cow;
use std::fmt;
use std::io::{self, Write};

/// Whether `c` must not reach a terminal as is: C0 controls (incl. ESC, BEL, CR, LF, TAB), DEL,
/// C1 controls (U+0080..U+009F, e.g. the one-character CSI U+009B), and the Unicode line and
/// paragraph separators, bidirectional overrides/isolates (which reorder what a reader sees).
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// `s` with every control character written out: `\n`, `\r`, `\t`, `\0`, `\x1b` (and `\xNN` for
/// the other C0 controls and DEL), `\u{9b}` for C1 controls and other unsafe code points.
/// Printable Unicode is kept as is; nothing is allocated when there is nothing to escape.
pub fn escape_for_terminal(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\0' => out.push_str("\\0"),
            c if is_unsafe(c) && (c as u32) < 0x80 => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if is_unsafe(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Write one line: the formatted text escaped with [`escape_for_terminal`] (so whatever the
/// arguments hold, it stays one line without control characters), then `\n`.
pub fn write_line(out: &mut dyn Write, args: fmt::Arguments<'_>) -> io::Result<()> {
    let text = match args.as_str() {
        Some(s) => Cow::Borrowed(s),
        None => Cow::Owned(args.to_string()),
    };
    out.write_all(escape_for_terminal(&text).as_bytes())?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_written_out_printable_text_is_kept() {
        assert_eq!(
            escape_for_terminal("a\x1b[31mb\r\nc\x07\x7f\u{9b}2J"),
            "a\\x1b[31mb\\r\\nc\\x07\\x7f\\u{9b}2J"
        );
        assert_eq!(escape_for_terminal("pōhi.example ✓"), "pōhi.example ✓");
        assert!(matches!(escape_for_terminal("plain"), Cow::Borrowed(_)));
        assert_eq!(escape_for_terminal("\u{202e}evil"), "\\u{202e}evil");
    }

    #[test]
    fn write_line_is_one_line() {
        let mut v = Vec::new();
        write_line(&mut v, format_args!("x {} y", "1\n2\rsecmx: all good")).unwrap();
        assert_eq!(v, b"x 1\\n2\\rsecmx: all good y\n");
    }
}
