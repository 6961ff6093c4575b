//! PROBE rules (the catalogue: `rules::catalogue`, `secmx explain`). Each rule's Fail/Pass examples are its unit tests below.

use super::{Needs, Rule, Severity};

/// The rules of this group, in catalogue order.
pub const RULES: &[Rule] = &[
    Rule::new(
        "PROBE-001",
        Severity::Error,
        "Each published address of each relay accepts a TCP connection on the published port within the timeout (default 30 s connect, 5 min greeting).",
        super::live_probe::from_probes,
    )
    .needs(Needs::Probe),
    Rule::new(
        "PROBE-002",
        Severity::Error,
        "The server greets with a 220 reply; a 554 greeting or a silent close means the relay refuses service.",
        super::live_probe::from_probes,
    )
    .needs(Needs::Probe),
    Rule::new(
        "PROBE-003",
        Severity::Error,
        "`EHLO` is answered with 250 and a capability list (ESMTP is required for STARTTLS).",
        super::live_probe::from_probes,
    )
    .needs(Needs::Probe),
    Rule::new(
        "PROBE-004",
        Severity::Info,
        "The banner/EHLO host name, the PTR name of the address and the DNS-published relay name are recorded and compared (mismatch is informational only).",
        super::live_probe::from_probes,
    )
    .needs(Needs::Probe),
    Rule::new(
        "PROBE-005",
        Severity::Error,
        "`STARTTLS` appears in the cleartext EHLO reply of every BER and every STARTTLS-mode SOR.",
        super::live_probe::from_probes,
    )
    .needs(Needs::Probe),
    Rule::new(
        "PROBE-006",
        Severity::Error,
        "`STARTTLS` is answered with 220 and the handshake starts; 454 (temporary) is a warning to retry, 501/5xx is an error.",
        super::live_probe::from_probes,
    )
    .needs(Needs::Probe),
    Rule::new(
        "PROBE-007",
        Severity::Error,
        "The TLS handshake completes with the probe's permissive client settings (all versions/ciphers enabled so that weak settings can be seen and graded by PROBE-017…018).",
        super::live_probe::from_probes,
    )
    .needs(Needs::Probe),
    Rule::new(
        "PROBE-008",
        Severity::Error,
        "After TLS the client's new EHLO gets a 250 reply that no longer lists STARTTLS (session state reset).",
        super::live_probe::from_probes,
    )
    .needs(Needs::Probe),
    Rule::new(
        "PROBE-009",
        Severity::Error,
        "Commands pipelined in cleartext right behind `STARTTLS` are discarded, not executed inside the TLS session (STARTTLS command-injection test).",
        super::live_probe::from_probes,
    )
    .needs(Needs::Probe),
    Rule::new(
        "PROBE-010",
        Severity::Error,
        "A BER accepts `MAIL FROM` without TLS (2xx); a 530 here means the MX host is in fact an SOR, which breaks RFC 3207 §4 and fires SOR-001.",
        super::live_probe::from_probes,
    )
    .needs(Needs::Probe),
    Rule::new(
        "PROBE-011",
        Severity::Error,
        "A BER also accepts `MAIL FROM` after TLS (the TLS path must be usable, not just advertised).",
        super::live_probe::from_probes,
    )
    .needs(Needs::Probe),
    Rule::new(
        "PROBE-012",
        Severity::Warning,
        "STARTTLS is offered to every client, including unknown or low-reputation IPs; hiding STARTTLS from some clients locks DANE/MTA-STS senders out.",
        super::live_probe::from_probes,
    )
    .needs(Needs::Probe),
    Rule::new(
        "PROBE-013",
        Severity::Error,
        "An SOR refuses `MAIL FROM` before TLS, preferably with `530 5.7.0`; 2xx is an error (not secure-only), another 5xx is a warning (refused but non-standard code), 4xx is a warning (sender will retry in clear elsewhere).",
        super::live_probe::from_probes,
    )
    .needs(Needs::Probe),
    Rule::new(
        "PROBE-014",
        Severity::Warning,
        "An SOR also refuses `RCPT`, `DATA`, `VRFY` and similar before TLS; only `NOOP`, `EHLO`, `STARTTLS`, `QUIT` (and `RSET`) should succeed.",
        super::live_probe::from_probes,
    )
    .needs(Needs::Probe),
    Rule::new(
        "PROBE-015",
        Severity::Error,
        "After TLS an SOR accepts `MAIL FROM` (2xx): the secure path actually works.",
        super::live_probe::from_probes,
    )
    .needs(Needs::Probe),
    Rule::new(
        "PROBE-016",
        Severity::Error,
        "When the SecMX SRV port is 465 (implicit TLS), the TLS handshake starts immediately after TCP connect and the 220 greeting arrives inside TLS; a cleartext greeting on that port is an error.",
        super::live_probe::from_probes,
    )
    .needs(Needs::Probe),
    Rule::new(
        "PROBE-017",
        Severity::Error,
        "The best negotiated protocol is TLS 1.2 or 1.3. SSL 2/3 accepted → error; TLS 1.0/1.1 still accepted → warning on a plain Level 1 BER, error on an SOR, under MTA-STS or under SGE; no TLS 1.3 support → info.",
        super::live_probe::from_probes,
    )
    .needs(Needs::Probe),
    Rule::new(
        "PROBE-018",
        Severity::Error,
        "Cipher suites: RC4, NULL, EXPORT, DES or < 112-bit suites accepted, or an anonymous (aNULL) suite chosen when the client also offers authenticated ones → error; 3DES, non-forward-secret (static RSA) suites, DHE groups below 2048 bits or curves below 224 bits → warning; an anonymous suite accepted only when it is all the client offers → info (Postfix's opportunistic-TLS default; verifying senders never offer aNULL).",
        super::live_probe::from_probes,
    )
    .needs(Needs::Probe),
    Rule::new(
        "PROBE-019",
        Severity::Error,
        "The certificate's subject alternative names include the relay name that DNS publishes — the MX exchange for a BER, the SRV target for an SOR (exact or single-label wildcard). A CN-only certificate is not accepted as a match.",
        super::live_probe::from_probes,
    )
    .needs(Needs::Probe),
    Rule::new(
        "PROBE-020",
        Severity::Error,
        "The certificate is inside its validity period; for hosts authenticated only by DANE-EE(3) expiry is recorded as info.",
        super::live_probe::from_probes,
    )
    .needs(Needs::Probe),
    Rule::new(
        "PROBE-021",
        Severity::Error,
        "The chain validates to a trusted root and the server sends the needed intermediates; self-signed or private-CA chains pass only through a matching DANE record.",
        super::live_probe::from_probes,
    )
    .needs(Needs::Probe),
    Rule::new(
        "PROBE-022",
        Severity::Warning,
        "Key and signature strength: RSA ≥ 2048 bits, EC ≥ 256 bits; SHA-1/MD5 signatures on the leaf or intermediates are reported.",
        super::live_probe::from_probes,
    )
    .needs(Needs::Probe),
    Rule::new(
        "PROBE-023",
        Severity::Warning,
        "A certificate that expires within 21 days is flagged (30 days for SGE reports).",
        super::live_probe::from_probes,
    )
    .needs(Needs::Probe),
    Rule::new(
        "PROBE-024",
        Severity::Error,
        "The server completes the handshake whether or not the client sends SNI and whatever name it sends; it must fall back to a default chain instead of aborting.",
        super::live_probe::from_probes,
    )
    .needs(Needs::Probe),
    Rule::new(
        "PROBE-025",
        Severity::Error,
        "When a secure, usable TLSA RRset exists, at least one record matches the chain served on **every** address of the host.",
        super::live_probe::from_probes,
    )
    .needs(Needs::Probe),
    Rule::new(
        "PROBE-026",
        Severity::Error,
        "With DANE-TA(2), the trust-anchor certificate is included in the chain the server sends (even a self-signed root), and the leaf names the TLSA base domain (or the next-hop domain).",
        super::live_probe::probe_026,
    )
    .needs(Needs::Probe),
    Rule::new(
        "PROBE-027",
        Severity::Error,
        "Under an `enforce` MTA-STS policy every matching MX supports STARTTLS and presents a PKIX-valid certificate for its MX name; the live policy fetch itself must succeed (STS-007/STS-008).",
        super::live_probe::from_probes,
    )
    .needs(Needs::Probe),
    Rule::new(
        "PROBE-028",
        Severity::Error,
        "All addresses of a host behave the same (STARTTLS offered, same certificate or same TLSA match, same TLS versions).",
        super::live_probe::from_probes,
    )
    .needs(Needs::Probe),
    Rule::new(
        "PROBE-029",
        Severity::Info,
        "REQUIRETLS: record whether the `REQUIRETLS` EHLO keyword is advertised before and after TLS; advertising it only makes sense on TLS sessions.",
        super::live_probe::from_probes,
    )
    .needs(Needs::Probe),
];
