//! hickory record data → the model's [`RData`]: the one conversion, used by the zone import and by
//! the DNS lookups (`crate::resolve`).
//!
//! Names are normalised like the rest of the program: lower case, no final dot, root = `""`;
//! labels that are UTF-8 are kept as such, odd octets (`.`, `\`, controls, space, bytes that are not
//! UTF-8) are written `\DDD` or `\X`.

use crate::model::RData;
use hickory_proto::rr::{Name, RData as HRData};

/// hickory record data as the model's (`None` for DNSSEC types, which the caller decides about).
/// TXT strings are read as UTF-8 (invalid sequences become U+FFFD).
pub(crate) fn model_rdata(d: &HRData) -> Option<RData> {
    Some(match d {
        HRData::A(a) => RData::A(a.0),
        HRData::AAAA(a) => RData::Aaaa(a.0),
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
        HRData::CNAME(c) => RData::Cname(name_text(&c.0)),
        HRData::TXT(t) => RData::Txt(
            t.txt_data
                .iter()
                .map(|s| String::from_utf8_lossy(s).into_owned())
                .collect(),
        ),
        HRData::TLSA(t) => RData::Tlsa {
            usage: i64::from(u8::from(t.cert_usage)),
            selector: i64::from(u8::from(t.selector)),
            matching: i64::from(u8::from(t.matching)),
            data: hex::encode(&t.cert_data),
        },
        HRData::DNSSEC(_) => return None,
        other => RData::Other {
            rtype: other.record_type().to_string(),
            data: other.to_string(),
        },
    })
}

/// A name normalised like the rest of the program: lower case, no final dot, root = `""`.
pub(crate) fn name_text(name: &Name) -> String {
    let mut out = String::with_capacity(name.len());
    for (i, label) in name.iter().enumerate() {
        if i > 0 {
            out.push('.');
        }
        push_label(&mut out, label);
    }
    out
}

fn push_label(out: &mut String, bytes: &[u8]) {
    // The usual label (printable ASCII without `.` and `\`): lower-cased as it is.
    if bytes
        .iter()
        .all(|&b| b.is_ascii_graphic() && b != b'.' && b != b'\\')
    {
        out.extend(bytes.iter().map(|b| char::from(b.to_ascii_lowercase())));
        return;
    }
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use hickory_proto::rr::rdata::{MX, TXT};

    #[test]
    fn names_are_normalised_and_dnssec_is_left_to_the_caller() {
        let mx = HRData::MX(MX::new(10, Name::from_ascii("MX1.Example.").unwrap()));
        assert_eq!(
            model_rdata(&mx),
            Some(RData::Mx {
                preference: 10,
                exchange: "mx1.example".into()
            })
        );
        let root = HRData::MX(MX::new(0, Name::root()));
        assert!(
            matches!(model_rdata(&root), Some(RData::Mx { exchange, .. }) if exchange.is_empty())
        );
        let txt = HRData::TXT(TXT::new(vec!["a".into(), "b".into()]));
        assert_eq!(
            model_rdata(&txt),
            Some(RData::Txt(vec!["a".into(), "b".into()]))
        );
    }
}
