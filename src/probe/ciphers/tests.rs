#![cfg(test)]

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
    assert!(dhe.contains(&0x009e) && dhe.iter().all(|&i| suite_name(i).starts_with("TLS_DHE_")));
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
    let Some(TlsMessage::Handshake(TlsMessageHandshake::ClientHello(ch))) = rec.msg.first() else {
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
    let Some(TlsMessage::Handshake(TlsMessageHandshake::ClientHello(ch))) = rec.msg.first() else {
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
    let Some(TlsMessage::Handshake(TlsMessageHandshake::ClientHello(ch))) = rec.msg.first() else {
        panic!("not a ClientHello");
    };
    let ids: Vec<u16> = ch.ciphers.iter().map(|c| c.0).collect();
    assert_eq!(&ids[..m.len()], &m[..]);
    assert_eq!(CipherClass::Mixed.name(), "mixed");
}
