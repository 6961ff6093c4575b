//! Reading the server's answer to a ClientHello: ServerHello (suite, version, DH group size), an
//! alert, a close, or garbage.

use super::*;

/// What the server chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hello {
    /// ServerHello version.
    pub version: u16,
    /// Chosen suite.
    pub suite: u16,
    /// DH prime bits from the ServerKeyExchange (DHE suites only).
    pub dh_bits: Option<u32>,
}

/// The server's answer so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// Not complete yet; `Some` once the ServerHello is in (a DHE suite's ServerKeyExchange is
    /// still awaited).
    NeedMore(Option<Hello>),
    /// The ServerHello (and, for DHE, the group size).
    Hello(Hello),
    /// A TLS alert (description).
    Alert(String),
    /// Not a TLS answer.
    NotTls(String),
}

/// Suites whose ServerKeyExchange carries finite-field DH parameters (DHE, DH_anon).
pub(super) fn is_dhe(suite: u16) -> bool {
    TlsCipherSuite::from_id(suite).is_some_and(|s| {
        s.kx == TlsCipherKx::Dhe || (s.kx == TlsCipherKx::Dh && s.au == TlsCipherAu::Null)
    })
}

/// Bits of a big-endian unsigned integer.
pub(super) fn bits(n: &[u8]) -> u32 {
    let Some(pos) = n.iter().position(|&b| b != 0) else {
        return 0;
    };
    let rest = u32::try_from(n.len() - pos - 1).unwrap_or(u32::MAX / 16);
    rest.saturating_mul(8)
        .saturating_add(8 - n[pos].leading_zeros())
}

/// Parses the bytes the server sent after the ClientHello (all of them, from the first record).
pub fn parse_answer(buf: &[u8]) -> Answer {
    let mut rest = buf;
    let mut handshake: Vec<u8> = Vec::new();
    loop {
        // A record starts with a content type of 20–24 and a major version of 3; anything else
        // (an SMTP reply, an HTTP page) is no TLS answer, however long it would claim to be.
        let bad_type = rest.first().is_some_and(|t| !(20..=24).contains(t));
        let bad_version = rest.get(1).is_some_and(|&v| v != 3);
        if bad_type || bad_version {
            if let (Answer::NeedMore(Some(h)), _) = parse_handshake(&handshake) {
                return Answer::Hello(h);
            }
            return Answer::NotTls(describe_garbage(rest));
        }
        let rec = match parse_tls_raw_record(rest) {
            Ok((r, rec)) => {
                rest = r;
                rec
            }
            Err(NomErr::Incomplete(_)) => return parse_handshake(&handshake).0,
            Err(_) => {
                if let (Answer::NeedMore(Some(h)), _) = parse_handshake(&handshake) {
                    return Answer::Hello(h);
                }
                return Answer::NotTls(describe_garbage(rest));
            }
        };
        match rec.hdr.record_type {
            TlsRecordType::Alert => {
                if let (Answer::NeedMore(Some(h)), _) = parse_handshake(&handshake) {
                    return Answer::Hello(h);
                }
                return match parse_tls_record_with_header(rec.data, &rec.hdr) {
                    Ok((_, msgs)) => match msgs.first() {
                        Some(TlsMessage::Alert(a)) => Answer::Alert(format!("{}", a.code)),
                        _ => Answer::NotTls("empty alert record".into()),
                    },
                    Err(_) => Answer::NotTls("malformed alert record".into()),
                };
            }
            TlsRecordType::Handshake => {
                handshake.extend_from_slice(rec.data);
                let (a, done) = parse_handshake(&handshake);
                if done {
                    return a;
                }
            }
            t => {
                if let (Answer::NeedMore(Some(h)), _) = parse_handshake(&handshake) {
                    return Answer::Hello(h);
                }
                return Answer::NotTls(format!("unexpected record type {}", t.0));
            }
        }
    }
}

/// Walks the handshake messages; returns the answer and whether it is final.
pub(super) fn parse_handshake(mut hs: &[u8]) -> (Answer, bool) {
    let mut hello: Option<Hello> = None;
    loop {
        if hs.is_empty() {
            return (Answer::NeedMore(hello), false);
        }
        match parse_tls_message_handshake(hs) {
            Ok((r, TlsMessage::Handshake(m))) => {
                hs = r;
                match (m, hello.as_mut()) {
                    (TlsMessageHandshake::ServerHello(sh), None) => {
                        let h = Hello {
                            version: sh.version.0,
                            suite: sh.cipher.0,
                            dh_bits: None,
                        };
                        if !is_dhe(h.suite) {
                            return (Answer::Hello(h), true);
                        }
                        hello = Some(h);
                    }
                    (TlsMessageHandshake::ServerKeyExchange(ske), Some(h)) => {
                        h.dh_bits = parse_dh_params(ske.parameters)
                            .ok()
                            .map(|(_, p)| bits(p.dh_p));
                        return (Answer::Hello(*h), true);
                    }
                    (TlsMessageHandshake::ServerDone(_), Some(h)) => {
                        return (Answer::Hello(*h), true);
                    }
                    (_, Some(_)) => {} // Certificate, CertificateStatus …
                    (_, None) => {
                        return (Answer::NotTls("handshake without ServerHello".into()), true);
                    }
                }
            }
            Ok(_) => return (Answer::NotTls("unexpected message".into()), true),
            Err(NomErr::Incomplete(_)) => return (Answer::NeedMore(hello), false),
            Err(_) => {
                return match hello {
                    Some(h) => (Answer::Hello(h), true),
                    None => (Answer::NotTls("malformed ServerHello".into()), true),
                };
            }
        }
    }
}

pub(super) fn describe_garbage(b: &[u8]) -> String {
    let head: String = b
        .iter()
        .take(24)
        .map(|&c| {
            if c.is_ascii_graphic() || c == b' ' {
                c as char
            } else {
                '.'
            }
        })
        .collect();
    format!("not a TLS record: {head:?}")
}

/// Most bytes read while waiting for the answer (ServerHello + Certificate + ServerKeyExchange).
pub(super) const MAX_ANSWER: usize = 128 * 1024;

/// Reads until the answer is complete, the peer closes, `MAX_ANSWER` bytes, or `timeout`.
pub(super) async fn read_answer<S: AsyncRead + Unpin>(
    s: &mut S,
    timeout: Duration,
) -> CipherOutcome {
    let mut buf: Vec<u8> = Vec::new();
    let mut chunk = [0u8; 8192];
    let deadline = super::super::deadline(tokio::time::Instant::now(), timeout, 1.0);
    loop {
        let answer = parse_answer(&buf);
        let pending = match answer {
            Answer::Hello(h) => return accepted(h),
            Answer::Alert(a) => return CipherOutcome::Refused { alert: a },
            Answer::NotTls(why) => return CipherOutcome::Inconclusive { reason: why },
            Answer::NeedMore(h) => h,
        };
        if buf.len() >= MAX_ANSWER {
            return match pending {
                Some(h) => accepted(h),
                None => CipherOutcome::Inconclusive {
                    reason: "answer too long".into(),
                },
            };
        }
        match tokio::time::timeout_at(deadline, s.read(&mut chunk)).await {
            Ok(Ok(n)) if n > 0 => buf.extend_from_slice(&chunk[..n]),
            Ok(Ok(_)) | Ok(Err(_)) => {
                return match pending {
                    Some(h) => accepted(h),
                    None => CipherOutcome::Closed,
                };
            }
            Err(_) => {
                return match pending {
                    Some(h) => accepted(h),
                    None => CipherOutcome::Inconclusive {
                        reason: format!("no answer within {} ms", millis(timeout)),
                    },
                };
            }
        }
    }
}

pub(super) fn accepted(h: Hello) -> CipherOutcome {
    CipherOutcome::Accepted {
        suite: suite_name(h.suite),
        suite_id: h.suite,
        version: version_name(h.version),
        dh_bits: h.dh_bits,
    }
}
