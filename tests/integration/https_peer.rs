//! The in-process HTTPS peer of the MTA-STS tests: a certificate for one name from a test CA, and
//! a server that reads each request's head and writes the answer that `answer` gives it.

use rcgen::{CertificateParams, Issuer, KeyPair};
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A TLS acceptor serving a certificate for `name` signed by `issuer`.
pub(crate) fn acceptor(name: &str, issuer: &Issuer<'static, KeyPair>) -> tokio_rustls::TlsAcceptor {
    let key = KeyPair::generate().unwrap();
    let cert = CertificateParams::new(vec![name.to_string()])
        .unwrap()
        .signed_by(&key, issuer)
        .unwrap();
    acceptor_of(&cert, &key)
}

/// A TLS acceptor serving `cert` with `key` (TLS 1.2 and 1.3, ring).
pub(crate) fn acceptor_of(cert: &rcgen::Certificate, key: &KeyPair) -> tokio_rustls::TlsAcceptor {
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(
        vec![cert.der().clone()],
        rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
    )
    .unwrap();
    tokio_rustls::TlsAcceptor::from(Arc::new(config))
}

/// Serves every connection of `l`: the TLS handshake, the request head (up to 16 KiB), then the
/// bytes `answer` returns, then close. Runs until the runtime stops.
pub(crate) async fn serve(
    l: TcpListener,
    acceptor: tokio_rustls::TlsAcceptor,
    answer: Arc<dyn Fn() -> Vec<u8> + Send + Sync>,
) {
    while let Ok((s, _)) = l.accept().await {
        let acceptor = acceptor.clone();
        let answer = answer.clone();
        tokio::spawn(async move {
            let Ok(mut tls) = acceptor.accept(s).await else {
                return;
            };
            let mut req = Vec::new();
            let mut buf = [0u8; 1024];
            while !req.windows(4).any(|w| w == b"\r\n\r\n") && req.len() < 16384 {
                match tls.read(&mut buf).await {
                    Ok(0) | Err(_) => return,
                    Ok(n) => req.extend_from_slice(&buf[..n]),
                }
            }
            let _ = tls.write_all(&answer()).await;
            let _ = tls.shutdown().await;
        });
    }
}
