//! Zone-file export (BIND master-file syntax).
//!
//! The snippet is rendered from [`records_of`](super::records_of) — the same records the rules judge —
//! in that order, one record per line (`owner TTL IN TYPE rdata`), grouped under a comment per kind.
//! It holds no SOA or NS records: it is meant to be pasted into the zone of the domain. The text is a
//! pure function of the design, so the same design always gives byte-identical text.
//!
//! Character-strings are written the way both BIND and the importer read them back: `"` and `\` are
//! escaped with a backslash, control characters as `\DDD` (decimal, RFC 1035 §5.1), anything else —
//! including UTF-8 — as it is.

use super::records_of;
use crate::model::Summary;
use crate::model::name::is_in_domain;
use crate::model::{Design, Level, Origin, RData, Record};
use std::borrow::Cow;
use std::fmt::Write as _;

/// Header line naming the design options that DNS cannot carry.
pub const OPTIONS_PREFIX: &str = "; options:  ";
/// Option word: the design is a test domain.
pub const OPTION_TEST_DOMAIN: &str = "test-domain";
/// Option word: the domain deliberately accepts only secure mail.
pub const OPTION_SECURE_ONLY: &str = "secure-only";

/// How to render the snippet.
#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    /// Relative names under `$ORIGIN` instead of absolute names: owners inside the domain are written
    /// relative (`@` for the apex), targets inside the domain relative, targets outside absolute.
    pub relative: bool,
    /// The design's file name, for the comment header.
    pub source: Option<String>,
    /// The findings summary for the header (the CLI and the window lint the design anyway; the
    /// export never runs the rules itself, so `zone` stays below `rules`); `None` = no findings
    /// line.
    pub summary: Option<Summary>,
}

/// The comment groups of the snippet, in [`records_of`] order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    Mx,
    Srv,
    Addresses,
    Tlsa,
    MtaSts,
    TlsRpt,
    Sge,
    Other,
}

impl Group {
    fn of(r: &Record) -> Self {
        match (&r.data, r.origin) {
            (_, Origin::MtaSts) => Group::MtaSts,
            (_, Origin::TlsRpt) => Group::TlsRpt,
            (_, Origin::Sge) => Group::Sge,
            (RData::Mx { .. }, _) => Group::Mx,
            (RData::Srv { .. }, _) => Group::Srv,
            (RData::A(_) | RData::Aaaa(_), _) => Group::Addresses,
            (RData::Tlsa { .. }, _) => Group::Tlsa,
            (RData::Other { rtype, .. }, _) if rtype == "TLSA" => Group::Tlsa,
            _ => Group::Other,
        }
    }

    fn title(self, design: &Design) -> String {
        let domain = design.domain.as_str();
        match self {
            Group::Mx if design.null_mx => {
                "MX: null MX (RFC 7505), the domain receives no mail".to_string()
            }
            Group::Mx => "MX: Best Effort Receivers (STARTTLS offered, plaintext accepted)".into(),
            Group::Srv => format!(
                "SecMX SRV ({}._tcp): relays SecMX senders discover, incl. Secure Only Receivers",
                design.srv_label
            ),
            Group::Addresses => "Addresses of the relay hosts inside the domain".into(),
            Group::Tlsa => "TLSA (DANE, RFC 7672/7673): _<port>._tcp.<relay host>".into(),
            Group::MtaSts => format!(
                "MTA-STS (RFC 8461): policy at https://mta-sts.{domain}/.well-known/mta-sts.txt"
            ),
            Group::TlsRpt => "TLS-RPT (RFC 8460): where senders report TLS failures".into(),
            Group::Sge => "SGE profile: SPF and DMARC".into(),
            Group::Other => "Other records".into(),
        }
    }
}

/// Render the design as a BIND master-file snippet (see the module documentation).
pub fn export_zone(design: &Design, opts: &ExportOptions) -> String {
    let domain = design.domain.as_str();
    let records = records_of(design);

    let mut out = String::new();
    out.push_str("; SecMX Workbench zone snippet\n");
    let unicode = design.domain.to_unicode();
    if unicode != domain {
        let _ = writeln!(out, "; domain:   {domain} ({})", comment_safe(&unicode));
    } else {
        let _ = writeln!(out, "; domain:   {domain}");
    }
    if let Some(src) = &opts.source {
        let _ = writeln!(out, "; design:   {}", comment_safe(src));
    }
    let level = match design.level {
        Level::L1 => "1 (MX only)",
        Level::L2 => "2 (MX and SecMX SRV)",
    };
    let _ = writeln!(
        out,
        "; level:    {level}, profile {}",
        design.profile.as_str()
    );
    // Design options that DNS cannot carry; `import` reads this line back from our own snippets.
    let mut options = Vec::new();
    if design.test_domain {
        options.push(OPTION_TEST_DOMAIN);
    }
    if design.secure_only {
        options.push(OPTION_SECURE_ONLY);
    }
    if !options.is_empty() {
        let _ = writeln!(out, "{OPTIONS_PREFIX}{}", options.join(", "));
    }
    if let Some(summary) = opts.summary {
        let _ = writeln!(out, "; findings: {summary} (secmx lint)");
    }
    let _ = writeln!(
        out,
        "; SOA and NS records are not included: add these records to the zone of {domain}."
    );
    out.push('\n');
    let _ = writeln!(out, "$ORIGIN {}", absolute(domain));
    let _ = writeln!(out, "$TTL {}", design.ttl);

    if records.is_empty() {
        out.push_str("\n; (the design publishes no records)\n");
        return out;
    }

    // Two passes: column widths first, then every line written straight into `out` (a 10,000-relay
    // design is 60,000 lines: no string is made per record or per field).
    // Align the columns; a very long owner only pushes its own line out.
    let owner_w = records
        .iter()
        .map(|r| name_text_width(&r.name, domain, opts.relative))
        .max()
        .unwrap_or(0)
        .min(48);
    let ttl_w = records
        .iter()
        .map(|r| decimal_width(r.ttl))
        .max()
        .unwrap_or(0);
    let type_w = records
        .iter()
        .map(|r| r.data.rtype().chars().count())
        .max()
        .unwrap_or(0);
    out.reserve(records.len() * (owner_w + ttl_w + type_w + 90));

    let mut group = None;
    let mut ttl_text: (Option<i64>, String) = (None, String::new());
    for r in records.iter() {
        let g = Group::of(r);
        if group != Some(g) {
            let _ = write!(out, "\n; {}\n", comment_safe(&g.title(design)));
            group = Some(g);
        }
        // `{owner:<owner_w$} {ttl:<ttl_w$} IN {type:<type_w$} {rdata}`
        let w = write_name(&mut out, &r.name, domain, opts.relative);
        pad(&mut out, w, owner_w);
        out.push(' ');
        // Nearly every record has the design's TTL: format it once.
        if ttl_text.0 != Some(r.ttl) {
            ttl_text.1.clear();
            let _ = write!(ttl_text.1, "{}", r.ttl);
            ttl_text.0 = Some(r.ttl);
        }
        out.push_str(&ttl_text.1);
        pad(&mut out, ttl_text.1.len(), ttl_w);
        out.push_str(" IN ");
        let rtype = r.data.rtype();
        out.push_str(rtype);
        pad(&mut out, rtype.chars().count(), type_w);
        out.push(' ');
        write_rdata(&mut out, &r.data, domain, opts.relative);
        out.push('\n');
    }
    out
}

/// Spaces after a field of `width` characters to fill a column of `column` characters.
fn pad(out: &mut String, width: usize, column: usize) {
    for _ in width..column {
        out.push(' ');
    }
}

/// Characters of an integer written in decimal.
fn decimal_width(n: i64) -> usize {
    let mut digits = 1;
    let mut m = n.unsigned_abs();
    while m >= 10 {
        m /= 10;
        digits += 1;
    }
    digits + usize::from(n < 0)
}

/// Whether a character is escaped in a master-file name (RFC 1035 §5.1).
fn name_special(c: char) -> bool {
    matches!(c, ' ' | ';' | '(' | ')' | '"' | '\\' | '$' | '@') || c.is_ascii_control()
}

/// Whether a byte is an ASCII character escaped in master-file names (see [`name_special`]); the
/// bytes of a multi-byte UTF-8 character never are.
fn special_byte(b: u8) -> bool {
    matches!(b, b' ' | b';' | b'(' | b')' | b'"' | b'\\' | b'$' | b'@') || b.is_ascii_control()
}

/// Characters of [`escape_name`]`(name)`, without making it.
fn escaped_width(name: &str) -> usize {
    if !name.bytes().any(special_byte) {
        return if name.is_ascii() {
            name.len()
        } else {
            name.chars().count()
        };
    }
    name.chars()
        .map(|c| match c {
            ' ' | ';' | '(' | ')' | '"' | '\\' | '$' | '@' => 2,
            c if c.is_ascii_control() => 4,
            _ => 1,
        })
        .sum()
}

/// Characters of the text [`write_name`] writes, without making it.
fn name_text_width(name: &str, domain: &str, relative: bool) -> usize {
    if relative && !name.is_empty() && is_in_domain(name, domain) {
        if name == domain {
            return 1;
        }
        return escaped_width(&name[..name.len() - domain.len() - 1]);
    }
    if name.is_empty() {
        1
    } else {
        escaped_width(name) + 1
    }
}

/// Append [`escape_name`]`(name)` to `out`; returns its width in characters.
fn write_escaped(out: &mut String, name: &str) -> usize {
    if !name.bytes().any(special_byte) {
        out.push_str(name);
        return if name.is_ascii() {
            name.len()
        } else {
            name.chars().count()
        };
    }
    out.push_str(&escape_name(name));
    escaped_width(name)
}

/// Append a name to `out`: relative to `$ORIGIN` when asked and the name lies inside the domain
/// (`@` for the apex), else absolute; returns its width in characters.
fn write_name(out: &mut String, name: &str, domain: &str, relative: bool) -> usize {
    if relative && !name.is_empty() && is_in_domain(name, domain) {
        if name == domain {
            out.push('@');
            return 1;
        }
        let head = &name[..name.len() - domain.len() - 1];
        return write_escaped(out, head);
    }
    if name.is_empty() {
        out.push('.');
        return 1;
    }
    let w = write_escaped(out, name);
    out.push('.');
    w + 1
}

/// A name (normalised: no trailing dot, `""` = the root) in absolute master-file form.
pub(crate) fn absolute(name: &str) -> String {
    if name.is_empty() {
        ".".to_string()
    } else {
        format!("{}.", escape_name(name))
    }
}

/// Escape the characters that are special in master-file names (RFC 1035 §5.1); borrowed when
/// there is nothing to escape (the usual case).
fn escape_name(name: &str) -> Cow<'_, str> {
    if !name.chars().any(name_special) {
        return Cow::Borrowed(name);
    }
    let mut s = String::with_capacity(name.len() + 4);
    for c in name.chars() {
        match c {
            ' ' | ';' | '(' | ')' | '"' | '\\' | '$' | '@' => {
                s.push('\\');
                s.push(c);
            }
            c if c.is_ascii_control() => {
                let _ = write!(s, "\\{:03}", c as u32);
            }
            c => s.push(c),
        }
    }
    Cow::Owned(s)
}

/// One TXT character-string, quoted.
#[cfg(test)]
pub(crate) fn quote_txt(text: &str) -> String {
    let mut s = String::with_capacity(text.len() + 2);
    write_quoted(&mut s, text);
    s
}

/// Append one TXT character-string, quoted, to `out`.
fn write_quoted(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_ascii_control() => {
                let _ = write!(out, "\\{:03}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The record data in master-file form.
pub(crate) fn rdata_text(data: &RData, domain: &str, relative: bool) -> String {
    let mut s = String::new();
    write_rdata(&mut s, data, domain, relative);
    s
}

/// Append the record data in master-file form to `out`.
fn write_rdata(out: &mut String, data: &RData, domain: &str, relative: bool) {
    match data {
        RData::Mx {
            preference,
            exchange,
        } => {
            let _ = write!(out, "{preference} ");
            write_name(out, exchange, domain, relative);
        }
        RData::Srv {
            priority,
            weight,
            port,
            target,
        } => {
            let _ = write!(out, "{priority} {weight} {port} ");
            write_name(out, target, domain, relative);
        }
        RData::A(a) => {
            let _ = write!(out, "{a}");
        }
        RData::Aaaa(a) => {
            let _ = write!(out, "{a}");
        }
        RData::Tlsa {
            usage,
            selector,
            matching,
            data,
        } => {
            let _ = write!(out, "{usage} {selector} {matching} ");
            let start = out.len();
            out.push_str(data);
            out[start..].make_ascii_lowercase();
        }
        RData::Txt(parts) => {
            for (i, p) in parts.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                write_quoted(out, p);
            }
        }
        RData::Cname(t) => {
            write_name(out, t, domain, relative);
        }
        RData::Other { data, .. } => out.push_str(data),
    }
}

/// Comment text on one line: control characters (a newline would end the comment) become spaces.
fn comment_safe(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DomainName, MtaSts, Relay, Role, StsMode, TlsRpt};

    fn design() -> Design {
        let mut d = Design::new(DomainName::parse("agency.example").unwrap());
        let mut mx1 = Relay::new("mx1.agency.example", Role::Ber);
        mx1.addresses = vec!["192.0.2.25".parse().unwrap()];
        mx1.tlsa = vec!["3 1 1 ABCDEF".into()];
        let mut sor = Relay::new("sor1.agency.example", Role::Sor);
        sor.port = 465;
        d.relays = vec![mx1, sor, Relay::new("mx.provider.example", Role::Ber)];
        d.level = Level::L2;
        d.mta_sts = Some(MtaSts {
            mode: StsMode::Enforce,
            max_age: 604800,
            id: Some("20260101".into()),
            mx: vec![],
            policy_sha256: None,
        });
        d.tls_rpt = Some(TlsRpt {
            rua: vec!["mailto:tlsrpt@agency.example".into()],
        });
        d
    }

    #[test]
    fn absolute_snippet() {
        let text = export_zone(
            &design(),
            &ExportOptions {
                relative: false,
                source: Some("agency.secmx.toml".into()),
                ..Default::default()
            },
        );
        assert!(text.starts_with("; SecMX Workbench zone snippet\n; domain:   agency.example\n"));
        assert!(text.contains("; design:   agency.secmx.toml\n"));
        assert!(text.contains("\n$ORIGIN agency.example.\n$TTL 3600\n"));
        assert!(text.contains("SOA and NS records are not included"));
        let rec: Vec<&str> = text
            .lines()
            .filter(|l| !l.starts_with(';') && !l.starts_with('$') && !l.is_empty())
            .collect();
        let squeezed: Vec<String> = rec
            .iter()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        assert_eq!(
            squeezed,
            vec![
                "agency.example. 3600 IN MX 10 mx1.agency.example.",
                "agency.example. 3600 IN MX 10 mx.provider.example.",
                "_secmx._tcp.agency.example. 3600 IN SRV 10 0 465 sor1.agency.example.",
                "mx1.agency.example. 3600 IN A 192.0.2.25",
                "_25._tcp.mx1.agency.example. 3600 IN TLSA 3 1 1 abcdef",
                "_mta-sts.agency.example. 3600 IN TXT \"v=STSv1; id=20260101\"",
                "_smtp._tls.agency.example. 3600 IN TXT \"v=TLSRPTv1; rua=mailto:tlsrpt@agency.example\"",
                // DANE failures are reported to the TLSA base domain (XR-010).
                "_smtp._tls.mx1.agency.example. 3600 IN TXT \"v=TLSRPTv1; rua=mailto:tlsrpt@agency.example\"",
            ]
        );
        // Columns are aligned: every record line has `IN` at the same place.
        let cols: Vec<usize> = rec.iter().filter_map(|l| l.find(" IN ")).collect();
        assert!(cols.windows(2).all(|w| w[0] == w[1]), "{text}");
    }

    #[test]
    fn relative_snippet() {
        let text = export_zone(
            &design(),
            &ExportOptions {
                relative: true,
                source: None,
                ..Default::default()
            },
        );
        assert!(!text.contains("; design:"));
        let squeezed: Vec<String> = text
            .lines()
            .filter(|l| !l.starts_with(';') && !l.starts_with('$') && !l.is_empty())
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        assert_eq!(squeezed[0], "@ 3600 IN MX 10 mx1");
        assert_eq!(squeezed[1], "@ 3600 IN MX 10 mx.provider.example.");
        assert_eq!(squeezed[2], "_secmx._tcp 3600 IN SRV 10 0 465 sor1");
        assert_eq!(squeezed[3], "mx1 3600 IN A 192.0.2.25");
    }

    #[test]
    fn null_mx_opt_out_and_txt_escapes() {
        let mut d = Design::new(DomainName::parse("agency.example").unwrap());
        d.null_mx = true;
        d.relays = vec![Relay::new("", Role::Sor)];
        d.relays[0].port = 0;
        d.relays[0].priority = 0;
        d.tls_rpt = Some(TlsRpt {
            rua: vec!["mailto:a\"b\\c@agency.example".into()],
        });
        let text = export_zone(&d, &ExportOptions::default());
        let squeezed: Vec<String> = text
            .lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        assert!(
            squeezed
                .iter()
                .any(|l| l == "agency.example. 3600 IN MX 0 ."),
            "{text}"
        );
        assert!(
            squeezed
                .iter()
                .any(|l| l == "_secmx._tcp.agency.example. 3600 IN SRV 0 0 0 ."),
            "{text}"
        );
        assert!(text.contains(r#""v=TLSRPTv1; rua=mailto:a\"b\\c@agency.example""#));
        assert!(text.contains("null MX (RFC 7505)"));
    }

    #[test]
    fn long_txt_is_split_into_quoted_strings() {
        let mut d = Design::new(DomainName::parse("agency.example").unwrap());
        d.tls_rpt = Some(TlsRpt {
            rua: vec![format!("mailto:{}@agency.example", "r".repeat(600))],
        });
        let text = export_zone(&d, &ExportOptions::default());
        let line = text.lines().find(|l| l.starts_with("_smtp._tls")).unwrap();
        assert_eq!(line.matches('"').count(), 6, "{line}");
    }

    #[test]
    fn deterministic_and_comment_safe() {
        let opts = ExportOptions {
            relative: false,
            source: Some("evil\n$INCLUDE /etc/passwd".into()),
            ..Default::default()
        };
        let a = export_zone(&design(), &opts);
        assert_eq!(a, export_zone(&design(), &opts));
        assert!(a.contains("; design:   evil $INCLUDE /etc/passwd\n"));
        assert!(!a.lines().any(|l| l.starts_with("$INCLUDE")));
    }

    #[test]
    fn control_characters_are_escaped_decimal() {
        assert_eq!(quote_txt("a\nb"), "\"a\\010b\"");
        assert_eq!(escape_name("a b;c"), "a\\ b\\;c");
    }
}
