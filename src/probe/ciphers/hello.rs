//! Building the ClientHello of one cipher class (tls-parser's serialiser, plus the extensions it
//! cannot write).

use super::*;

/// Extension type ids the crate cannot serialise.
pub(super) const EXT_EC_POINT_FORMATS: u16 = 0x000b;

pub(super) const EXT_SIGNATURE_ALGORITHMS: u16 = 0x000d;

/// TLS_EMPTY_RENEGOTIATION_INFO_SCSV.
pub(super) const RENEGOTIATION_SCSV: u16 = 0x00ff;

/// Signature schemes offered: modern ones first, then the SHA-1 ones old servers need.
pub(super) const SIGNATURE_SCHEMES: [u16; 14] = [
    0x0403, 0x0503, 0x0603, // ecdsa secp256r1/384r1/521r1
    0x0804, 0x0805, 0x0806, // rsa_pss_rsae
    0x0401, 0x0501, 0x0601, // rsa_pkcs1
    0x0402, // dsa sha256
    0x0203, 0x0201, 0x0202, // ecdsa/rsa/dsa sha1
    0x0101, // rsa md5 (some ancient servers need a match)
];

pub(super) fn raw_extension(out: &mut Vec<u8>, ty: u16, body: &[u8]) {
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

pub(super) fn cookie_gen<F>(f: F) -> Option<Vec<u8>>
where
    F: cookie_factory::SerializeFn<Vec<u8>>,
{
    cookie_factory::gen_simple(f, Vec::new()).ok()
}
