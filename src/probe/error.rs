//! Why a probe could not be set up: a bad option, unreadable trust roots, a verifier that cannot
//! be built. What a relay does wrong is never an error: it is data in the [`super::ProbeReport`].

use std::path::PathBuf;

/// Why a probe configuration or a certificate could not be had.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProbeError {
    /// A step timeout outside 1..=3600 seconds.
    #[error("{what} {secs}: give a number of seconds between 1 and 3600")]
    Timeout {
        /// The option (`--timeout`).
        what: String,
        /// The value given.
        secs: u64,
    },
    /// An extra CA certificate (`--ca`) that rustls refuses as a root.
    #[error("extra CA certificate rejected: {0}")]
    ExtraCa(String),
    /// The operating system's store yields no certificate (with the loader's errors, if any).
    #[error("the system's CA store has no certificates{}", because(.0))]
    NoSystemCertificates(Vec<String>),
    /// The operating system's store has certificates, none of them usable as a root.
    #[error("the system's CA store has no usable certificate")]
    NoUsableSystemCertificate,
    /// A PEM file that cannot be read.
    #[error("{}: cannot read PEM: {message}", path.display())]
    PemUnreadable {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// A PEM file with a bad section.
    #[error("{}: bad PEM: {message}", path.display())]
    BadPem {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// A PEM file without a certificate.
    #[error("{}: no CERTIFICATE in the file", path.display())]
    NoCertificate {
        /// The file.
        path: PathBuf,
    },
    /// The certificate verifier could not be built over the roots.
    #[error("cannot build the certificate verifier: {0}")]
    Verifier(String),
    /// rustls refuses the protocol versions for this provider.
    #[error("TLS configuration: {0}")]
    TlsConfig(String),
    /// Bytes that are not an X.509 certificate.
    #[error("unparsable certificate: {0}")]
    Certificate(String),
}

/// ` (why; why)`, or nothing.
fn because(why: &[String]) -> String {
    if why.is_empty() {
        String::new()
    } else {
        format!(" ({})", why.join("; "))
    }
}

/// The message as it was before the errors were typed, for callers that still pass text up.
impl From<ProbeError> for String {
    fn from(e: ProbeError) -> Self {
        e.to_string()
    }
}
