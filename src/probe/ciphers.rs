//! Extra handshakes for PROBE-017 (TLS 1.0/1.1 still accepted) and PROBE-018 (weak cipher suites).
//!
//! rustls cannot offer RC4, NULL, EXPORT, anonymous, 3DES or static-RSA suites, nor TLS 1.0/1.1, so
//! the main handshake only shows what rustls negotiates. Like testssl does for SMTP, each test here
//! is one connection of its own (one after the other, never two at once to an address):
//! connect → greeting → EHLO → STARTTLS → 220 → a hand-made ClientHello offering only one class of
//! suites (or one old protocol version) → the server's first answer (ServerHello, alert, close or
//! timeout) → close. For implicit-TLS targets the ClientHello goes right after connect. No key
//! exchange is ever completed; nothing after STARTTLS is sent in clear.
//!
//! The ClientHello is serialised with `tls-parser` (record, handshake header, SNI and
//! supported_groups extensions); the extensions the crate cannot serialise (ec_point_formats,
//! signature_algorithms) are built here. The answer is parsed with `tls-parser` (records,
//! ServerHello, alerts, ServerKeyExchange DH parameters), and suites are classified from its IANA
//! table.

use super::smtp::{Smtp, millis};
use super::{ProbeConfig, ProbeTarget};
pub use crate::model::probe_facts::ciphers::*;
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tls_parser::{
    Err as NomErr, NamedGroup, SNIType, Serialize as _, TlsCipherAu, TlsCipherKx, TlsCipherSuite,
    TlsCipherSuiteID, TlsClientHelloContents, TlsCompressionID, TlsExtension, TlsMessage,
    TlsMessageHandshake, TlsPlaintext, TlsRecordHeader, TlsRecordType, TlsVersion,
    gen_tls_extension, parse_dh_params, parse_tls_message_handshake, parse_tls_raw_record,
    parse_tls_record_with_header,
};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Extension type ids the crate cannot serialise.
const EXT_EC_POINT_FORMATS: u16 = 0x000b;
const EXT_SIGNATURE_ALGORITHMS: u16 = 0x000d;
/// TLS_EMPTY_RENEGOTIATION_INFO_SCSV.
const RENEGOTIATION_SCSV: u16 = 0x00ff;

/// Signature schemes offered: modern ones first, then the SHA-1 ones old servers need.
const SIGNATURE_SCHEMES: [u16; 14] = [
    0x0403, 0x0503, 0x0603, // ecdsa secp256r1/384r1/521r1
    0x0804, 0x0805, 0x0806, // rsa_pss_rsae
    0x0401, 0x0501, 0x0601, // rsa_pkcs1
    0x0402, // dsa sha256
    0x0203, 0x0201, 0x0202, // ecdsa/rsa/dsa sha1
    0x0101, // rsa md5 (some ancient servers need a match)
];

fn raw_extension(out: &mut Vec<u8>, ty: u16, body: &[u8]) {
    out.extend_from_slice(&ty.to_be_bytes());
    out.extend_from_slice(&u16::try_from(body.len()).unwrap_or(0).to_be_bytes());
    out.extend_from_slice(body);
}

/// The ClientHello record for `class`: SNI (when `sni` is a DNS name), supported_groups (x25519,
/// secp256r1, secp384r1, ffdhe2048), ec_point_formats (uncompressed), signature_algorithms (with
/// SHA-1 schemes), the renegotiation SCSV, no compression.
pub fn client_hello(class: CipherClass, sni: Option<&str>, random: &[u8; 32]) -> Option<Vec<u8>> {
    let mut ext = Vec::new();
    if let Some(host) = sni {
        let e = TlsExtension::SNI(vec![(SNIType::HostName, host.as_bytes())]);
        ext.extend(cookie_gen(gen_tls_extension(&e))?);
    }
    let groups = TlsExtension::EllipticCurves(vec![
        NamedGroup(0x001d),
        NamedGroup(0x0017),
        NamedGroup(0x0018),
        NamedGroup(0x0100),
    ]);
    ext.extend(cookie_gen(gen_tls_extension(&groups))?);
    raw_extension(&mut ext, EXT_EC_POINT_FORMATS, &[1, 0]);
    let mut sig = Vec::with_capacity(2 + 2 * SIGNATURE_SCHEMES.len());
    sig.extend_from_slice(
        &u16::try_from(2 * SIGNATURE_SCHEMES.len())
            .ok()?
            .to_be_bytes(),
    );
    for s in SIGNATURE_SCHEMES {
        sig.extend_from_slice(&s.to_be_bytes());
    }
    raw_extension(&mut ext, EXT_SIGNATURE_ALGORITHMS, &sig);
    let mut suites: Vec<TlsCipherSuiteID> =
        class.suites().into_iter().map(TlsCipherSuiteID).collect();
    suites.push(TlsCipherSuiteID(RENEGOTIATION_SCSV));
    let hello = TlsClientHelloContents::new(
        class.hello_version(),
        random,
        None,
        suites,
        vec![TlsCompressionID(0)],
        Some(&ext),
    );
    let record = TlsPlaintext {
        hdr: TlsRecordHeader {
            record_type: TlsRecordType::Handshake,
            version: TlsVersion(0x0301),
            len: 0, // computed by the serialiser
        },
        msg: vec![TlsMessage::Handshake(TlsMessageHandshake::ClientHello(
            hello,
        ))],
    };
    record.serialize().ok()
}

fn cookie_gen<F>(f: F) -> Option<Vec<u8>>
where
    F: cookie_factory::SerializeFn<Vec<u8>>,
{
    cookie_factory::gen_simple(f, Vec::new()).ok()
}

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
fn is_dhe(suite: u16) -> bool {
    TlsCipherSuite::from_id(suite).is_some_and(|s| {
        s.kx == TlsCipherKx::Dhe || (s.kx == TlsCipherKx::Dh && s.au == TlsCipherAu::Null)
    })
}

/// Bits of a big-endian unsigned integer.
fn bits(n: &[u8]) -> u32 {
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
fn parse_handshake(mut hs: &[u8]) -> (Answer, bool) {
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

fn describe_garbage(b: &[u8]) -> String {
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
const MAX_ANSWER: usize = 128 * 1024;

/// Reads until the answer is complete, the peer closes, `MAX_ANSWER` bytes, or `timeout`.
async fn read_answer<S: AsyncRead + Unpin>(s: &mut S, timeout: Duration) -> CipherOutcome {
    let mut buf: Vec<u8> = Vec::new();
    let mut chunk = [0u8; 8192];
    let deadline = super::deadline(tokio::time::Instant::now(), timeout, 1.0);
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

fn accepted(h: Hello) -> CipherOutcome {
    CipherOutcome::Accepted {
        suite: suite_name(h.suite),
        suite_id: h.suite,
        version: version_name(h.version),
        dh_bits: h.dh_bits,
    }
}

fn sni_of(target: &ProbeTarget) -> Option<String> {
    let h = target.host.trim_end_matches('.');
    if h.parse::<std::net::IpAddr>().is_ok() {
        return None;
    }
    rustls::pki_types::DnsName::try_from(h)
        .ok()
        .map(|_| h.to_ascii_lowercase())
}

/// One extra handshake in its own connection; the transcript lines carry the class prefix.
pub async fn run_one(
    target: &ProbeTarget,
    cfg: &ProbeConfig,
    class: CipherClass,
) -> (CipherTest, Vec<String>) {
    let t0 = Instant::now();
    let mut lines = Vec::new();
    let outcome = dialogue(target, cfg, class, &mut lines).await;
    let test = CipherTest {
        class,
        offered_version: version_name(class.hello_version()),
        offered_suites: class.suites().len(),
        outcome,
        ms: millis(t0.elapsed()),
    };
    (test, lines)
}

/// The record of a test that did not run to its end within the probe's time budget.
pub fn out_of_budget(class: CipherClass, waited: std::time::Duration) -> CipherTest {
    CipherTest {
        class,
        offered_version: version_name(class.hello_version()),
        offered_suites: class.suites().len(),
        outcome: CipherOutcome::Inconclusive {
            reason: "not completed within the probe's time budget".into(),
        },
        ms: millis(waited),
    }
}

async fn dialogue(
    target: &ProbeTarget,
    cfg: &ProbeConfig,
    class: CipherClass,
    lines: &mut Vec<String>,
) -> CipherOutcome {
    let t = &cfg.timeouts;
    let prefix = class.prefix();
    let inconclusive = |reason: String| CipherOutcome::Inconclusive { reason };
    let addr = SocketAddr::new(target.address, target.port);
    let tcp = match tokio::time::timeout(t.connect, TcpStream::connect(addr)).await {
        Ok(Ok(s)) => s,
        Ok(Err(e)) => return inconclusive(format!("connect: {e}")),
        Err(_) => return inconclusive("connect timeout".into()),
    };
    let _ = tcp.set_nodelay(true);
    let mut tcp = if target.implicit_tls {
        tcp
    } else {
        let mut smtp = Smtp::new(tcp, cfg.limits, vec![], prefix);
        let ehlo = format!("EHLO {}", cfg.ehlo_name);
        let pre: Result<Option<u16>, super::smtp::SmtpError> = async {
            let g = smtp.read_reply(t.greeting).await?;
            if g.code != 220 {
                return Ok(Some(g.code));
            }
            smtp.send(&ehlo).await?;
            let e = smtp.read_reply(t.reply).await?;
            if e.code != 250 {
                return Ok(Some(e.code));
            }
            smtp.send("STARTTLS").await?;
            let s = smtp.read_reply(t.reply).await?;
            Ok((s.code != 220).then_some(s.code))
        }
        .await;
        let (tcp, leftover, tr) = smtp.into_parts();
        lines.extend(tr);
        match pre {
            Ok(None) if leftover.is_empty() => tcp,
            Ok(None) => return inconclusive("data after 220 to STARTTLS".into()),
            Ok(Some(code)) => return inconclusive(format!("SMTP reply {code}")),
            Err(e) => return inconclusive(e.to_string()),
        }
    };
    let mut random = [0u8; 32];
    if cfg.provider.secure_random.fill(&mut random).is_err() {
        return inconclusive("no random bytes".into());
    }
    let sni = sni_of(target);
    let Some(hello) = client_hello(class, sni.as_deref(), &random) else {
        return inconclusive("ClientHello could not be built".into());
    };
    lines.push(format!(
        "{prefix}C: <ClientHello {}, {} suites>",
        version_name(class.hello_version()),
        class.suites().len()
    ));
    if let Err(e) = tcp.write_all(&hello).await {
        return inconclusive(format!("write: {e}"));
    }
    let outcome = read_answer(&mut tcp, t.handshake).await;
    lines.push(format!(
        "{prefix}S: <{}>",
        match &outcome {
            CipherOutcome::Accepted {
                suite,
                version,
                dh_bits,
                ..
            } => format!(
                "ServerHello {version} {suite}{}",
                dh_bits
                    .map(|b| format!(", DH {b} bits"))
                    .unwrap_or_default()
            ),
            CipherOutcome::Refused { alert } => format!("alert {alert}"),
            CipherOutcome::Closed => "closed".into(),
            CipherOutcome::Inconclusive { reason } => reason.clone(),
        }
    ));
    // Dropping the socket closes it; no key exchange is ever completed.
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_offer_only_their_kind() {
        let broken = CipherClass::Broken.suites();
        assert!(broken.contains(&0x0005), "RSA_WITH_RC4_128_SHA");
        assert!(broken.contains(&0x0009), "RSA_WITH_DES_CBC_SHA");
        assert!(broken.contains(&0x0002), "RSA_WITH_NULL_SHA");
        assert!(broken.contains(&0x0003), "RSA_EXPORT_WITH_RC4_40_MD5");
        assert!(!broken.contains(&0x0000), "never NULL_WITH_NULL_NULL");
        assert!(!broken.contains(&0x000a) && !broken.contains(&0x002f));
        let anon = CipherClass::Anonymous.suites();
        assert!(anon.contains(&0x0034) && anon.contains(&0xc018) && anon.contains(&0x00a7));
        assert!(
            anon.iter()
                .all(|&id| weakness(id, None) == Some(Weakness::Anonymous))
        );
        assert_eq!(
            CipherClass::TripleDes
                .suites()
                .iter()
                .filter(|&&i| i == 0x000a)
                .count(),
            1
        );
        assert!(
            CipherClass::TripleDes
                .suites()
                .iter()
                .all(|&i| suite_name(i).contains("3DES"))
        );
        let rsa = CipherClass::StaticRsa.suites();
        assert!(rsa.contains(&0x002f) && rsa.contains(&0x009c));
        assert!(
            rsa.iter()
                .all(|&i| suite_name(i).starts_with("TLS_RSA_WITH_"))
        );
        let dhe = CipherClass::Dhe.suites();
        assert!(
            dhe.contains(&0x009e) && dhe.iter().all(|&i| suite_name(i).starts_with("TLS_DHE_"))
        );
        for c in CLASSES {
            assert!(!c.suites().is_empty(), "{c:?}");
            assert!(c.suites().len() < 120, "{c:?} offers too much");
        }
    }

    #[test]
    fn client_hello_bytes_parse_back_with_the_offered_suites() {
        let random = [7u8; 32];
        let b = client_hello(CipherClass::Tls10, Some("mx1.example"), &random).unwrap();
        // record header: handshake, TLS 1.0 record version, length
        assert_eq!(&b[..3], &[0x16, 0x03, 0x01]);
        assert_eq!(usize::from(u16::from_be_bytes([b[3], b[4]])), b.len() - 5);
        let (rest, rec) = tls_parser::parse_tls_plaintext(&b).unwrap();
        assert!(rest.is_empty());
        let Some(TlsMessage::Handshake(TlsMessageHandshake::ClientHello(ch))) = rec.msg.first()
        else {
            panic!("not a ClientHello");
        };
        assert_eq!(ch.version.0, 0x0301);
        assert_eq!(ch.random, &random);
        let ids: Vec<u16> = ch.ciphers.iter().map(|c| c.0).collect();
        let mut want = CipherClass::Tls10.suites();
        want.push(0x00ff);
        assert_eq!(ids, want);
        let (_, exts) = tls_parser::parse_tls_client_hello_extensions(ch.ext.unwrap()).unwrap();
        let mut sni = None;
        let mut groups = vec![];
        let mut sigs = 0;
        let mut points = false;
        for e in &exts {
            match e {
                TlsExtension::SNI(v) => sni = Some(v[0].1.to_vec()),
                TlsExtension::EllipticCurves(g) => groups = g.iter().map(|g| g.0).collect(),
                TlsExtension::SignatureAlgorithms(s) => sigs = s.len(),
                TlsExtension::EcPointFormats(p) => points = *p == [0u8],
                _ => {}
            }
        }
        assert_eq!(sni.as_deref(), Some(&b"mx1.example"[..]));
        assert_eq!(groups, vec![0x001d, 0x0017, 0x0018, 0x0100]);
        assert_eq!(sigs, SIGNATURE_SCHEMES.len());
        assert!(points);
        // No SNI for an address.
        let b = client_hello(CipherClass::TripleDes, None, &random).unwrap();
        let (_, rec) = tls_parser::parse_tls_plaintext(&b).unwrap();
        let Some(TlsMessage::Handshake(TlsMessageHandshake::ClientHello(ch))) = rec.msg.first()
        else {
            panic!("not a ClientHello");
        };
        assert_eq!(ch.version.0, 0x0303);
        let (_, exts) = tls_parser::parse_tls_client_hello_extensions(ch.ext.unwrap()).unwrap();
        assert!(!exts.iter().any(|e| matches!(e, TlsExtension::SNI(_))));
    }

    /// A ServerHello record as a TLS 1.2 server sends it (hand-assembled from RFC 5246 §7.4.1.3).
    fn server_hello(version: u16, suite: u16) -> Vec<u8> {
        let mut body = vec![];
        body.extend_from_slice(&version.to_be_bytes());
        body.extend_from_slice(&[0x11; 32]); // random
        body.push(0); // session id
        body.extend_from_slice(&suite.to_be_bytes());
        body.push(0); // compression
        body.extend_from_slice(&[0x00, 0x05, 0xff, 0x01, 0x00, 0x01, 0x00]); // reneg info
        let mut hs = vec![0x02, 0, 0, u8::try_from(body.len()).unwrap()];
        hs.extend(body);
        record(0x16, &hs)
    }

    fn record(ty: u8, body: &[u8]) -> Vec<u8> {
        let mut r = vec![ty, 0x03, 0x03];
        r.extend_from_slice(&u16::try_from(body.len()).unwrap().to_be_bytes());
        r.extend_from_slice(body);
        r
    }

    /// Postfix 3.7 / OpenSSL 3.0 (Debian 12, `@SECLEVEL=0`, a 1024-bit `smtpd_tls_dh1024_param_file`)
    /// answering the `anonymous` ClientHello: ServerHello, ServerKeyExchange, ServerHelloDone.
    const POSTFIX_ANON: [&str; 8] = [
        "16030300510200004d0303bcb85e5a312680b83e36767126fed009dcb1c495fb0f47e6444f574e4752440120734cdf12",
        "9612d22500e1c589959cd87015014a7f4afd4118bb82c290f6e4d7b40034000005ff01000100160303010b0c00010700",
        "80e3a2ef11763bd3aeba94a4d5fcc06f4c2a6ec32013a9331159340a435f7c9452b575150a198cde121b0a7b1e622a1d",
        "54538bd52699f8e76d8e83fb0b88334c76c878f11e669f09796a57fea72954ee1d830d7f5fcb296db94ad4d8d8c36136",
        "2225f16f55c0b8d55960c7a2d7b4eedf73e101d502e8cfe260cea46418cc8a3fc70001020080164d94e6c41a9d85277b",
        "b3086e2092fc32002b1590c38b2c4684ec7ba6e8fb0d6cdd2e16f99f22dc866ef4992492fa10385135e903ecb1c7f61b",
        "b8f0ce02104c0731ff68155072a711a756ab04b209c84dcc420386bf8f15947068001a914a213c2438cb2ed85d0dbe91",
        "7dbb61e64c953aabbd946bb739a20b095667d6dbb57c16030300040e000000",
    ];

    /// The same Postfix answering the `tls1.0` ClientHello: its first record, the ServerHello.
    const POSTFIX_TLS10_HELLO: [&str; 2] = [
        "16030100510200004d030129692bb47d469363ba20ba0f30c2c0bb052ab5b31d2b55b1444f574e4752440020f90d59b2",
        "4661775a552a2fc054692e77afa482fa831c0e87e17258b558f7b02d002f000005ff01000100",
    ];

    fn unhex(parts: &[&str]) -> Vec<u8> {
        hex::decode(parts.concat()).unwrap()
    }

    #[test]
    fn answer_reader_on_answers_captured_from_postfix() {
        let anon = unhex(&POSTFIX_ANON);
        let Answer::Hello(h) = parse_answer(&anon) else {
            panic!("{:?}", parse_answer(&anon));
        };
        assert_eq!(h.version, 0x0303);
        assert!(
            suite_name(h.suite).starts_with("TLS_DH_anon_WITH_"),
            "{}",
            suite_name(h.suite)
        );
        assert_eq!(h.dh_bits, Some(1024));
        // cut anywhere before the ServerKeyExchange ends: never a verdict without the group
        assert!(matches!(
            parse_answer(&anon[..100]),
            Answer::NeedMore(Some(_))
        ));
        let hello = unhex(&POSTFIX_TLS10_HELLO);
        let Answer::Hello(h) = parse_answer(&hello) else {
            panic!("{:?}", parse_answer(&hello));
        };
        assert_eq!(h.version, 0x0301);
        assert_eq!(version_name(h.version), "TLSv1.0");
        assert!(TlsCipherSuite::from_id(h.suite).is_some());
    }

    #[test]
    fn answer_reader_server_hello_alert_fragment_and_garbage() {
        let sh = server_hello(0x0303, 0x000a);
        assert_eq!(
            parse_answer(&sh),
            Answer::Hello(Hello {
                version: 0x0303,
                suite: 0x000a,
                dh_bits: None
            })
        );
        // every prefix is incomplete, never a wrong verdict
        for n in 0..sh.len() {
            assert_eq!(parse_answer(&sh[..n]), Answer::NeedMore(None), "prefix {n}");
        }
        // a handshake alert
        assert_eq!(
            parse_answer(&[0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28]),
            Answer::Alert("HandshakeFailure".into())
        );
        assert_eq!(
            parse_answer(&[0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x46]),
            Answer::Alert("ProtocolVersion".into())
        );
        // an SMTP line where TLS was expected
        assert!(matches!(
            parse_answer(b"454 4.7.0 TLS not available\r\n"),
            Answer::NotTls(_)
        ));
        // ServerHello split over two records
        let hs = &sh[5..];
        let mut two = record(0x16, &hs[..10]);
        two.extend(record(0x16, &hs[10..]));
        assert!(matches!(parse_answer(&two), Answer::Hello(h) if h.suite == 0x000a));
    }

    #[test]
    fn answer_reader_reads_the_dhe_group_size() {
        let mut all = server_hello(0x0303, 0x009e); // DHE_RSA_WITH_AES_128_GCM_SHA256
        assert_eq!(
            parse_answer(&all),
            Answer::NeedMore(Some(Hello {
                version: 0x0303,
                suite: 0x009e,
                dh_bits: None
            }))
        );
        // Certificate (empty list) then ServerKeyExchange with a 1024-bit p
        all.extend(record(0x16, &[0x0b, 0, 0, 3, 0, 0, 0]));
        let mut ske = vec![];
        let mut p = vec![0xffu8; 128];
        p[0] = 0x80;
        ske.extend_from_slice(&128u16.to_be_bytes());
        ske.extend(&p);
        ske.extend_from_slice(&[0, 1, 2]); // g
        ske.extend_from_slice(&[0, 2, 5, 5]); // Ys
        ske.extend_from_slice(&[0x04, 0x01, 0, 0]); // signature (not read)
        let mut msg = vec![0x0c, 0, 0, u8::try_from(ske.len()).unwrap()];
        msg.extend(ske);
        all.extend(record(0x16, &msg));
        assert_eq!(
            parse_answer(&all),
            Answer::Hello(Hello {
                version: 0x0303,
                suite: 0x009e,
                dh_bits: Some(1024)
            })
        );
        assert_eq!(bits(&[0, 0x01]), 1);
        assert_eq!(bits(&[0x7f, 0]), 15);
        assert_eq!(bits(&[]), 0);
    }

    #[test]
    fn mixed_hello_lists_authenticated_suites_first_then_the_anonymous_ones() {
        let m = CipherClass::Mixed.suites();
        assert_eq!(m, MIXED_SUITES.to_vec());
        let first_anon = m.iter().position(|&i| is_anonymous(i)).unwrap();
        assert!(first_anon > 0);
        assert!(m[..first_anon].iter().all(|&i| {
            let n = suite_name(i);
            n.starts_with("TLS_ECDHE_") && n.contains("_GCM_")
        }));
        assert!(m[first_anon..].iter().all(|&i| is_anonymous(i)));
        assert!(m.contains(&0x0034) && m.contains(&0xc018));
        assert!(!is_anonymous(0x1301) && !is_anonymous(0xc02f));
        // the bytes keep that order
        let b = client_hello(CipherClass::Mixed, Some("mx1.example"), &[1u8; 32]).unwrap();
        let (_, rec) = tls_parser::parse_tls_plaintext(&b).unwrap();
        let Some(TlsMessage::Handshake(TlsMessageHandshake::ClientHello(ch))) = rec.msg.first()
        else {
            panic!("not a ClientHello");
        };
        let ids: Vec<u16> = ch.ciphers.iter().map(|c| c.0).collect();
        assert_eq!(&ids[..m.len()], &m[..]);
        assert_eq!(CipherClass::Mixed.name(), "mixed");
    }
}
