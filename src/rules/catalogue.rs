//! The rule catalogue as text: for every rule id, its severity as the catalogue states it, the rule
//! itself, its sources and its Fail/Pass examples. This table is the catalogue: `secmx rules` and
//! `secmx explain RULE-ID` print it, and the window shows an entry beside each finding. A test keeps
//! it and the registry ([`super::registry`]) in step: every rule that can raise a finding has an
//! entry here, and every entry a rule.

/// One catalogue entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Entry {
    /// Rule id, e.g. `MX-002`.
    pub id: &'static str,
    /// The group's heading in the catalogue (e.g. "MX records — SecMX Level 1, Best Effort Receivers (MX)").
    pub group: &'static str,
    /// Severity as the catalogue states it (e.g. `warning→error(SGE)`).
    pub severity: &'static str,
    /// What the rule requires.
    pub rule: &'static str,
    /// Labelled details in catalogue order: `Source`, `Fail`, `Pass`, and notes.
    pub details: &'static [(&'static str, &'static str)],
}

impl Entry {
    /// The detail with this label (`Source`, `Fail`, `Pass`), if the entry has one.
    pub fn detail(&self, label: &str) -> Option<&'static str> {
        self.details
            .iter()
            .find(|(l, _)| *l == label)
            .map(|(_, t)| *t)
    }
}

/// The entry of a rule id (case-insensitive).
pub fn entry(id: &str) -> Option<&'static Entry> {
    CATALOGUE
        .iter()
        .find(|e| e.id.eq_ignore_ascii_case(id.trim()))
}

/// The full text of a rule, as `secmx explain` prints it and the window shows it.
pub fn explanation(rule: &super::Rule) -> String {
    let mut s = String::new();
    let raised = match rule.raise {
        super::Raise::Never => "",
        super::Raise::Sge => ", error under the SGE profile",
        super::Raise::L2 => ", error for Level 2 domains",
    };
    let needs = match rule.needs {
        super::Needs::Static => {
            "the design's records alone (also what DNS publishes, marked \"as published\")"
        }
        super::Needs::Dns => "live DNS answers (secmx check, Look up)",
        super::Needs::Probe => {
            "live connections to the relays or the MTA-STS policy host (secmx check, Probe all)"
        }
    };
    match entry(rule.id) {
        Some(e) => {
            s.push_str(&format!("{} · {} · {}\n\n", e.id, e.severity, e.group));
            s.push_str(&format!("{}\n\n", e.rule));
            for (label, text) in e.details {
                s.push_str(&format!("{label}: {text}\n"));
            }
        }
        None => s.push_str(&format!(
            "{} · {}{raised}\n\n{}\n",
            rule.id, rule.severity, rule.title
        )),
    }
    s.push_str(&format!(
        "\nFindings at: {}{raised}.\nJudged from: {needs}.\n",
        rule.severity
    ));
    s
}

/// Every entry, in catalogue order.
pub const CATALOGUE: &[Entry] = &[
    Entry {
        id: "NAME-001",
        group: "Names and syntax (NAME)",
        severity: "error",
        rule: "Every label of every owner name and every target name is 1–63 octets long.",
        details: &[
            ("Source", "RFC 1035 §2.3.4; RFC 2181 §11"),
            ("Fail", "`mx-<64 letters>.agency.example. A 192.0.2.25`"),
            ("Pass", "`mx1.agency.example. A 192.0.2.25`"),
        ],
    },
    Entry {
        id: "NAME-002",
        group: "Names and syntax (NAME)",
        severity: "error",
        rule: "A whole name fits in 255 octets of wire format (≤ 253 characters written without the final dot).",
        details: &[
            (
                "Source",
                "RFC 1035 §2.3.4; RFC 2181 §11; RFC 5321 §4.5.3.1.2",
            ),
            (
                "Fail",
                "a 260-character `_25._tcp.<…>.agency.example.` TLSA owner",
            ),
            ("Pass", "`_25._tcp.mx1.agency.example.`"),
        ],
    },
    Entry {
        id: "NAME-003",
        group: "Names and syntax (NAME)",
        severity: "error",
        rule: "Names used as relay hosts (MX exchange, SRV target, TLSA base name, `mta-sts` policy host) are LDH host names: letters, digits and hyphens only, no label starting or ending with a hyphen.",
        details: &[
            (
                "Source",
                "RFC 952; RFC 1123 §2.1; RFC 5321 §4.1.2 (Domain); RFC 6698 §3 (TLSA base labels must follow RFC 952)",
            ),
            (
                "Fail",
                "`agency.example. MX 10 mail_gw.agency.example.` ; `MX 10 -mx.agency.example.`",
            ),
            ("Pass", "`agency.example. MX 10 mail-gw.agency.example.`"),
        ],
    },
    Entry {
        id: "NAME-004",
        group: "Names and syntax (NAME)",
        severity: "error",
        rule: "Underscore labels belong only in attribute owner names (`_mta-sts`, `_smtp._tls`, `_25._tcp`, `_secmx._tcp`, `_dmarc`, `_domainkey`) and never appear in a host name used as a record target.",
        details: &[
            ("Source", "RFC 8552 §1–§2; RFC 5321 §4.1.2; RFC 2782"),
            (
                "Fail",
                "`_secmx._tcp.agency.example. SRV 10 0 25 _sor.agency.example.`",
            ),
            (
                "Pass",
                "`_secmx._tcp.agency.example. SRV 10 0 25 sor1.agency.example.`",
            ),
        ],
    },
    Entry {
        id: "NAME-005",
        group: "Names and syntax (NAME)",
        severity: "warning",
        rule: "A relay name whose last label is all digits (it reads like an IPv4 address) is almost certainly a mistake.",
        details: &[
            ("Source", "RFC 1123 §2.1; RFC 3696 §2"),
            ("Fail", "`agency.example. MX 10 192.0.2.25.`"),
            ("Pass", "`agency.example. MX 10 mx1.agency.example.`"),
        ],
    },
    Entry {
        id: "NAME-006",
        group: "Names and syntax (NAME)",
        severity: "error",
        rule: "Internationalised names are stored as A-labels (`xn--…`) everywhere in DNS data and policies; U-labels (raw Unicode) are never valid in zone data, TLSA base names or MTA-STS `mx` lines.",
        details: &[
            (
                "Source",
                "RFC 5890 §2.3.2.1; RFC 5891 §4 and §5; RFC 6698 §3; RFC 8461 §3.2",
            ),
            ("Fail", "`agency.example. MX 10 pōhi.agency.example.`"),
            (
                "Pass",
                "`agency.example. MX 10 xn--phi-qxa.agency.example.` (A-label of \"pōhi\")",
            ),
        ],
    },
    Entry {
        id: "NAME-007",
        group: "Names and syntax (NAME)",
        severity: "error / warning",
        rule: "A label starting `xn--` must decode to a valid U-label (error); any other label with hyphens in positions 3–4 is a reserved form and is flagged (warning).",
        details: &[
            ("Source", "RFC 5890 §2.3.1 (R-LDH labels), §2.3.2.1"),
            (
                "Fail",
                "`xn--zz-bogus.agency.example.` (not valid Punycode) ; warning for `ab--mx.agency.example.`",
            ),
            ("Pass", "`mx1.agency.example.`"),
        ],
    },
    Entry {
        id: "NAME-008",
        group: "Names and syntax (NAME)",
        severity: "error",
        rule: "A target written without the final dot in zone-file syntax is relative to `$ORIGIN`; a resulting doubled origin (`mx1.agency.example.agency.example.`) is treated as a typing error.",
        details: &[
            ("Source", "RFC 1035 §5.1 (relative names in master files)"),
            (
                "Fail",
                "`$ORIGIN agency.example.` / `@ MX 10 mx1.agency.example` → `mx1.agency.example.agency.example.`",
            ),
            ("Pass", "`@ MX 10 mx1.agency.example.` (or `@ MX 10 mx1`)"),
        ],
    },
    Entry {
        id: "NAME-009",
        group: "Names and syntax (NAME)",
        severity: "error",
        rule: "TTL values lie in 0–2147483647 seconds.",
        details: &[
            ("Source", "RFC 2181 §8"),
            (
                "Fail",
                "`agency.example. 4294967295 IN MX 10 mx1.agency.example.`",
            ),
            (
                "Pass",
                "`agency.example. 3600 IN MX 10 mx1.agency.example.`",
            ),
        ],
    },
    Entry {
        id: "NAME-010",
        group: "Names and syntax (NAME)",
        severity: "error",
        rule: "Each TXT character-string is at most 255 octets; longer policy texts are split into several strings, which readers join with no separator.",
        details: &[
            (
                "Source",
                "RFC 1035 §3.3, §3.3.14; RFC 7208 §3.3; RFC 8461 §3.1; RFC 8460 §3",
            ),
            (
                "Fail",
                "one 300-octet quoted string in `_smtp._tls.agency.example. TXT \"…\"`",
            ),
            (
                "Pass",
                "`_smtp._tls.agency.example. TXT \"v=TLSRPTv1; rua=mailto:tlsrpt@agency.example,\" \"mailto:tlsrpt@provider.example\"`",
            ),
        ],
    },
    Entry {
        id: "NAME-011",
        group: "Names and syntax (NAME)",
        severity: "error",
        rule: "A name that owns a CNAME owns nothing else (no TXT, MX, SRV, TLSA beside it).",
        details: &[
            ("Source", "RFC 1034 §3.6.2; RFC 2181 §10.1"),
            (
                "Fail",
                "`_mta-sts.agency.example. CNAME _mta-sts.provider.example.` plus `_mta-sts.agency.example. TXT \"v=STSv1; id=1\"`",
            ),
            ("Pass", "only the CNAME, or only the TXT"),
        ],
    },
    Entry {
        id: "NAME-012",
        group: "Names and syntax (NAME)",
        severity: "error",
        rule: "An SRV service label follows RFC 6335: `_` + 1–15 chars, letters/digits/hyphens, at least one letter, no leading/trailing/adjacent hyphens; the protocol label for SMTP is `_tcp`.",
        details: &[
            ("Source", "RFC 6335 §5.1; RFC 2782"),
            (
                "Fail",
                "`_secure-smtp-relay-nz._tcp.agency.example.` (19 chars) ; `_secmx._udp.agency.example.`",
            ),
            ("Pass", "`_secmx._tcp.agency.example.`"),
        ],
    },
    Entry {
        id: "NAME-013",
        group: "Names and syntax (NAME)",
        severity: "error",
        rule: "A TLSA owner begins with the port in decimal without leading zeros, then the transport label.",
        details: &[
            ("Source", "RFC 6698 §3"),
            ("Fail", "`_025._tcp.mx1.agency.example. TLSA 3 1 1 …`"),
            ("Pass", "`_25._tcp.mx1.agency.example. TLSA 3 1 1 …`"),
        ],
    },
    Entry {
        id: "NAME-014",
        group: "Names and syntax (NAME)",
        severity: "error / warning",
        rule: "Every RRset fits in one DNS message: the wire size of the answer (owner, RRset, and for a signed zone one RRSIG) is at most 65,535 octets → otherwise error (authoritative servers refuse to load the zone: BIND's \"ran out of space\"); above 1,232 octets → warning (answers over the DNS Flag Day 2020 EDNS buffer size need TCP, and some senders' resolvers fail there). Typical causes: hundreds of MX or SRV records, many TLSA records of matching type 0, long SPF/DKIM TXT.",
        details: &[
            (
                "Source",
                "RFC 1035 §4.2.2 (16-bit message length over TCP), §2.3.4; RFC 6891 §6.2.5; DNS Flag Day 2020 (1,232-octet EDNS buffer); RFC 7766 (TCP fallback)",
            ),
            (
                "Fail",
                "a design with 10,000 BERs (one MX RRset of 10,000 records); `named-checkzone` refuses its export",
            ),
            (
                "Pass",
                "a design whose largest RRset answer is under 1,232 octets",
            ),
        ],
    },
    Entry {
        id: "NAME-015",
        group: "Names and syntax (NAME)",
        severity: "error",
        rule: "Every RRset fits in a name server's store: the sum over its records of (2 + RDLENGTH), with names uncompressed, is at most 65,512 octets. BIND 9 refuses to load a zone with a larger RRset (\"ran out of space\") even when the compressed answer fits one DNS message (NAME-014); NSD and Knot load it, so a zone that must load everywhere stays below.",
        details: &[
            (
                "Source",
                "RFC 1035 §3.2.1 and §4.2.2 (16-bit lengths); measured with named-checkzone 9.18 (BIND): the zone fails one octet above 65,512 octets of record data in one RRset, whatever the owner or record count",
            ),
            (
                "Fail",
                "320 MX records whose exchanges share a 190-octet suffix: the compressed answer is about 49,000 octets, the uncompressed store over 65,512; `named-checkzone` refuses the zone",
            ),
            ("Pass", "2,400 MX records with short exchange names"),
        ],
    },
    Entry {
        id: "NAME-016",
        group: "Names and syntax (NAME)",
        severity: "error",
        rule: "Every record a design exports lies inside the mail domain's zone. TLSA records of a relay host outside the domain (`_25._tcp.mx1.provider.example.`) belong in that host's zone: pasted into the domain's zone, NSD refuses the zone (\"out of zone data\") and BIND and Knot drop the record, so the records would never be published. Judged for designs only; what DNS publishes spans many zones by nature.",
        details: &[
            (
                "Source",
                "RFC 1034 §4.2 (a zone holds the names below its apex); RFC 7672 §3 (TLSA lives at the relay host's own name); nsd-checkzone, named-checkzone and kzonecheck behaviour",
            ),
            (
                "Fail",
                "`agency.example. MX 10 mx1.provider.example.` with `_25._tcp.mx1.provider.example. TLSA 3 1 1 …` in the design",
            ),
            (
                "Pass",
                "`agency.example. MX 10 mx1.agency.example.` with `_25._tcp.mx1.agency.example. TLSA 3 1 1 …`",
            ),
        ],
    },
    Entry {
        id: "MX-001",
        group: "MX records — SecMX Level 1, Best Effort Receivers (MX)",
        severity: "error",
        rule: "The MX exchange is a host name, never an IPv4/IPv6 address.",
        details: &[
            ("Source", "RFC 1035 §3.3.9; RFC 5321 §5.1"),
            ("Fail", "`agency.example. MX 10 192.0.2.25.`"),
            (
                "Pass",
                "`agency.example. MX 10 mx1.agency.example.` + `mx1.agency.example. A 192.0.2.25`",
            ),
        ],
    },
    Entry {
        id: "MX-002",
        group: "MX records — SecMX Level 1, Best Effort Receivers (MX)",
        severity: "error",
        rule: "The MX exchange must not be an alias (CNAME); DANE-aware senders also stop applying DANE through it.",
        details: &[
            (
                "Source",
                "RFC 2181 §10.3; RFC 5321 §5.1; RFC 7672 §2.2.1 (behaviour noted in internet.nl issue #385)",
            ),
            (
                "Fail",
                "`agency.example. MX 10 mail.agency.example.` + `mail.agency.example. CNAME mx1.provider.example.`",
            ),
            ("Pass", "`agency.example. MX 10 mx1.provider.example.`"),
        ],
    },
    Entry {
        id: "MX-003",
        group: "MX records — SecMX Level 1, Best Effort Receivers (MX)",
        severity: "error",
        rule: "Every MX exchange resolves to at least one A or AAAA record.",
        details: &[
            ("Source", "RFC 5321 §5.1"),
            (
                "Fail",
                "`agency.example. MX 10 mx1.agency.example.` and `mx1.agency.example.` has no A/AAAA (NXDOMAIN/NODATA)",
            ),
            (
                "Pass",
                "`mx1.agency.example. A 192.0.2.25` and/or `AAAA 2001:db8::25`",
            ),
        ],
    },
    Entry {
        id: "MX-004",
        group: "MX records — SecMX Level 1, Best Effort Receivers (MX)",
        severity: "error",
        rule: "MX preference is a 16-bit unsigned integer (0–65535).",
        details: &[
            ("Source", "RFC 1035 §3.3.9"),
            ("Fail", "`agency.example. MX 70000 mx1.agency.example.`"),
            ("Pass", "`agency.example. MX 10 mx1.agency.example.`"),
        ],
    },
    Entry {
        id: "MX-005",
        group: "MX records — SecMX Level 1, Best Effort Receivers (MX)",
        severity: "warning",
        rule: "MX host addresses are publicly routable: not loopback, RFC 1918 private, link-local, unspecified or documentation space (allowed only when the user marks the domain as a test domain).",
        details: &[
            (
                "Source",
                "RFC 6890 (special-purpose registries); RFC 1918; RFC 5321 §5.1",
            ),
            ("Fail", "`mx1.agency.example. A 10.1.2.3` ; `A 127.0.0.1`"),
            ("Pass", "`mx1.agency.example. A <public address>` "),
        ],
    },
    Entry {
        id: "MX-006",
        group: "MX records — SecMX Level 1, Best Effort Receivers (MX)",
        severity: "warning",
        rule: "MX targets under special-use TLDs (`.invalid`, `.localhost`, `.test`, `.example`) cannot be reached on the public Internet.",
        details: &[
            (
                "Source",
                "RFC 6761 §6.2–§6.5; internet.nl issue #883 (`MX 32767 ….msv1.invalid.`)",
            ),
            (
                "Fail",
                "`agency.example. MX 32767 ms19586615.msv1.invalid.`",
            ),
            ("Pass", "only resolvable public host names in the MX RRset"),
        ],
    },
    Entry {
        id: "MX-007",
        group: "MX records — SecMX Level 1, Best Effort Receivers (MX)",
        severity: "warning",
        rule: "A domain with no MX but with A/AAAA gets an \"implicit MX\" (its own address at preference 0); for SecMX publish an explicit BER MX, or a null MX if it takes no mail.",
        details: &[
            (
                "Source",
                "RFC 5321 §5.1; RFC 7505 §1; RFC 3207 §4 (the implicit-MX host is publicly referenced)",
            ),
            (
                "Fail",
                "`agency.example. A 192.0.2.80` (web server) and no MX",
            ),
            (
                "Pass",
                "`agency.example. MX 10 mx1.agency.example.` — or `agency.example. MX 0 .`",
            ),
        ],
    },
    Entry {
        id: "MX-008",
        group: "MX records — SecMX Level 1, Best Effort Receivers (MX)",
        severity: "error",
        rule: "In Level 1 every MX host is a BER: it offers STARTTLS and still accepts mail without TLS (tested live by PROBE-005 and PROBE-010).",
        details: &[
            (
                "Source",
                "SecMX §4.3 (every MTA should switch TLS on where it can), §5 (BER); RFC 3207 §4",
            ),
            (
                "Fail",
                "`agency.example. MX 10 mx-notls.agency.example.` (no STARTTLS)",
            ),
            ("Pass", "`agency.example. MX 10 mx1.agency.example.`"),
        ],
    },
    Entry {
        id: "NMX-001",
        group: "Null MX (NMX)",
        severity: "error",
        rule: "A null MX is exactly one MX record with preference 0 and a root (\".\") exchange.",
        details: &[
            ("Source", "RFC 7505 §3"),
            ("Fail", "`parked.example. MX 10 .`"),
            ("Pass", "`parked.example. MX 0 .`"),
        ],
    },
    Entry {
        id: "NMX-002",
        group: "Null MX (NMX)",
        severity: "error",
        rule: "A null MX never shares the RRset with any other MX record.",
        details: &[
            (
                "Source",
                "RFC 7505 §3; DNSControl PR #3805 (providers enforce this)",
            ),
            (
                "Fail",
                "`agency.example. MX 0 .` + `agency.example. MX 10 mx1.agency.example.`",
            ),
            ("Pass", "either the null MX alone, or real MX records alone"),
        ],
    },
    Entry {
        id: "NMX-003",
        group: "Null MX (NMX)",
        severity: "error",
        rule: "Malformed null-MX spellings are rejected by the builder: `MX 0.` (missing space), `MX 0 \".\"`, `MX 0 @`, or an empty exchange produced by a provider UI.",
        details: &[
            (
                "Source",
                "RFC 7505 §3; RFC 1035 §5.1; internet.nl issue #1192 (an old M3AAWG text showed `MX 0.`)",
            ),
            ("Fail", "`parked.example. MX 0.`"),
            ("Pass", "`parked.example. MX 0 .`"),
        ],
    },
    Entry {
        id: "NMX-004",
        group: "Null MX (NMX)",
        severity: "warning",
        rule: "A domain that publishes null MX should not be used as a mail sender; publish `v=spf1 -all` (and DMARC `p=reject`).",
        details: &[
            ("Source", "RFC 7505 §4.2; RFC 7208 §5.1; RFC 7489 §6.3"),
            (
                "Fail",
                "`parked.example. MX 0 .` + `parked.example. TXT \"v=spf1 include:_spf.provider.example ~all\"`",
            ),
            (
                "Pass",
                "`parked.example. MX 0 .` + `TXT \"v=spf1 -all\"` + `_dmarc.parked.example. TXT \"v=DMARC1; p=reject\"`",
            ),
        ],
    },
    Entry {
        id: "NMX-005",
        group: "Null MX (NMX)",
        severity: "warning",
        rule: "Null MX contradicts any receiving-side policy for the same domain (SecMX SRV, MTA-STS, TLS-RPT, TLSA under its MX names).",
        details: &[
            (
                "Source",
                "RFC 7505 §3 (domain accepts no mail); RFC 8461 §3; SecMX §5.1",
            ),
            (
                "Fail",
                "`parked.example. MX 0 .` + `_mta-sts.parked.example. TXT \"v=STSv1; id=1\"`",
            ),
            ("Pass", "null MX with no receiving-side policies"),
        ],
    },
    Entry {
        id: "SRV-001",
        group: "SRV records for SecMX discovery — generic syntax (SRV)",
        severity: "error",
        rule: "The SRV owner is `_<service>._tcp.<mail-domain>`; SMTP relays are TCP services.",
        details: &[
            ("Source", "RFC 2782 (owner format); RFC 6335 §5.1; NAME-012"),
            (
                "Fail",
                "`secmx.agency.example. SRV 10 0 25 sor1.agency.example.` ; `_secmx._udp.agency.example. SRV …`",
            ),
            (
                "Pass",
                "`_secmx._tcp.agency.example. SRV 10 0 25 sor1.agency.example.`",
            ),
        ],
    },
    Entry {
        id: "SRV-002",
        group: "SRV records for SecMX discovery — generic syntax (SRV)",
        severity: "error",
        rule: "Priority and weight are each 16-bit unsigned integers (0–65535).",
        details: &[
            ("Source", "RFC 2782 (Priority, Weight)"),
            (
                "Fail",
                "`_secmx._tcp.agency.example. SRV -1 0 25 sor1.agency.example.` ; `SRV 10 70000 25 …`",
            ),
            (
                "Pass",
                "`_secmx._tcp.agency.example. SRV 10 0 25 sor1.agency.example.`",
            ),
        ],
    },
    Entry {
        id: "SRV-003",
        group: "SRV records for SecMX discovery — generic syntax (SRV)",
        severity: "error",
        rule: "The port is 1–65535 for a real target; port 0 is only meaningful together with the \".\" target.",
        details: &[
            (
                "Source",
                "RFC 2782 (Port range 0–65535, Target \".\"); interpretation for port 0 (see Q11)",
            ),
            (
                "Fail",
                "`_secmx._tcp.agency.example. SRV 10 0 0 sor1.agency.example.`",
            ),
            (
                "Pass",
                "`_secmx._tcp.agency.example. SRV 10 0 25 sor1.agency.example.` ; opt-out `SRV 0 0 0 .`",
            ),
        ],
    },
    Entry {
        id: "SRV-004",
        group: "SRV records for SecMX discovery — generic syntax (SRV)",
        severity: "error",
        rule: "The SRV target is a host name, not an address literal.",
        details: &[
            ("Source", "RFC 2782 (Target is a domain name)"),
            (
                "Fail",
                "`_secmx._tcp.agency.example. SRV 10 0 25 198.51.100.10.`",
            ),
            (
                "Pass",
                "`_secmx._tcp.agency.example. SRV 10 0 25 sor1.agency.example.`",
            ),
        ],
    },
    Entry {
        id: "SRV-005",
        group: "SRV records for SecMX discovery — generic syntax (SRV)",
        severity: "error",
        rule: "The SRV target is not an alias (CNAME).",
        details: &[
            ("Source", "RFC 2782 (Target); RFC 2181 §10.3"),
            (
                "Fail",
                "`… SRV 10 0 25 secure.agency.example.` + `secure.agency.example. CNAME sor1.provider.example.`",
            ),
            ("Pass", "`… SRV 10 0 25 sor1.provider.example.`"),
        ],
    },
    Entry {
        id: "SRV-006",
        group: "SRV records for SecMX discovery — generic syntax (SRV)",
        severity: "error",
        rule: "Every SRV target owns at least one A or AAAA record.",
        details: &[
            ("Source", "RFC 2782 (Target)"),
            (
                "Fail",
                "`… SRV 10 0 25 sor9.agency.example.` with `sor9.agency.example.` NXDOMAIN",
            ),
            ("Pass", "`sor1.agency.example. A 198.51.100.10`"),
        ],
    },
    Entry {
        id: "SRV-007",
        group: "SRV records for SecMX discovery — generic syntax (SRV)",
        severity: "error",
        rule: "A \".\" target is valid only when it is the single record of the RRset; mixing \".\" with real targets is ambiguous and rejected.",
        details: &[
            (
                "Source",
                "RFC 2782 (Usage rules: one SRV RR whose Target is \".\" means the service is unavailable); a lone \".\" is read as \"no SecMX Level 2 relays here\", SecMX senders then use MX only (SecMX §5)",
            ),
            (
                "Fail",
                "`_secmx._tcp.agency.example. SRV 0 0 0 .` + `SRV 10 0 25 sor1.agency.example.`",
            ),
            ("Pass", "either `SRV 0 0 0 .` alone, or only real targets"),
        ],
    },
    Entry {
        id: "SRV-008",
        group: "SRV records for SecMX discovery — generic syntax (SRV)",
        severity: "info",
        rule: "Inside one priority, weight-0 targets mixed with positive weights are rarely chosen; use all-zero weights when no load split is intended.",
        details: &[
            (
                "Source",
                "RFC 2782 (Weight) - Fail (reported): `SRV 10 0 25 sor1…` + `SRV 10 50 25 sor2…`",
            ),
            (
                "Pass",
                "`SRV 10 0 25 sor1…` + `SRV 10 0 25 sor2…` (or 50/50)",
            ),
        ],
    },
    Entry {
        id: "SRV-009",
        group: "SRV records for SecMX discovery — generic syntax (SRV)",
        severity: "warning",
        rule: "For SMTP relay service the port should be 25 (STARTTLS) or 465 (implicit TLS); any other port is reported because many networks block it and senders cannot guess the TLS mode.",
        details: &[
            (
                "Source",
                "IANA service-name registry (smtp 25, submissions 465, RFC 8314 §7.3); draft-nurpmeso-smtp-tls-srv abstract (optional implicit TLS)",
            ),
            (
                "Fail",
                "`_secmx._tcp.agency.example. SRV 10 0 2525 sor1.agency.example.`",
            ),
            (
                "Pass",
                "`… SRV 10 0 25 sor1.agency.example.` ; `… SRV 10 0 465 sor1.agency.example.`",
            ),
        ],
    },
    Entry {
        id: "SRV-010",
        group: "SRV records for SecMX discovery — generic syntax (SRV)",
        severity: "warning",
        rule: "Client-submission service labels (`_submission`, `_submissions`, `_smtps`) and `_smtp` are not SecMX relay discovery; records found there are not treated as SORs.",
        details: &[
            ("Source", "RFC 6186 §3.1; RFC 8314 §5.1; §2.3 of this file"),
            (
                "Fail",
                "`_submissions._tcp.agency.example. SRV 0 1 465 sor1.agency.example.` offered as \"the SecMX record\"",
            ),
            (
                "Pass",
                "`_secmx._tcp.agency.example. SRV 10 0 465 sor1.agency.example.`",
            ),
        ],
    },
    Entry {
        id: "SOR-001",
        group: "Secure Only Receivers — SecMX Level 2 semantics (SOR)",
        severity: "error",
        rule: "A host published as an SOR must not appear as an exchange in the domain's MX RRset.",
        details: &[
            (
                "Source",
                "SecMX §5.1; RFC 3207 §4 (publicly referenced servers must not demand STARTTLS)",
            ),
            (
                "Fail",
                "`agency.example. MX 10 sor1.agency.example.` + `_secmx._tcp.agency.example. SRV 10 0 25 sor1.agency.example.` where sor1 refuses plaintext",
            ),
            (
                "Pass",
                "`agency.example. MX 10 mx1.agency.example.` + `_secmx._tcp.agency.example. SRV 10 0 25 sor1.agency.example.`",
            ),
        ],
    },
    Entry {
        id: "SOR-002",
        group: "Secure Only Receivers — SecMX Level 2 semantics (SOR)",
        severity: "error",
        rule: "An SOR must not be the implicit MX: when the domain has no MX, its own A/AAAA host is publicly referenced, so the SRV target may not be the domain itself or share its addresses on port 25.",
        details: &[
            (
                "Source",
                "RFC 3207 §4 (A-record fallback counts as publicly referenced); RFC 5321 §5.1",
            ),
            (
                "Fail",
                "no MX + `agency.example. A 198.51.100.10` + `_secmx._tcp.agency.example. SRV 10 0 25 agency.example.`",
            ),
            (
                "Pass",
                "`agency.example. MX 10 mx1.agency.example.` + SRV target `sor1.agency.example.` (different address)",
            ),
        ],
    },
    Entry {
        id: "SOR-003",
        group: "Secure Only Receivers — SecMX Level 2 semantics (SOR)",
        severity: "error",
        rule: "An SOR listener (address + SRV port) must not be the same socket as any MX host on port 25: one listener cannot both demand and not demand TLS for the same unauthenticated client.",
        details: &[
            ("Source", "RFC 3207 §4; SecMX §5.1 — interpretation, see Q4"),
            (
                "Fail",
                "`mx1.agency.example. A 198.51.100.10` (MX) and `sor1.agency.example. A 198.51.100.10` with `SRV … 25 sor1…`",
            ),
            (
                "Pass",
                "sor1 on its own address, or sor1 on the shared address but port 465 (implicit TLS)",
            ),
        ],
    },
    Entry {
        id: "SOR-004",
        group: "Secure Only Receivers — SecMX Level 2 semantics (SOR)",
        severity: "warning",
        rule: "A Level 2 domain should still keep at least one BER in MX so that senders unaware of SecMX can deliver; a domain that deliberately accepts only secure mail must be declared as such in the tool.",
        details: &[
            (
                "Source",
                "SecMX §5 (BES falls back to standard servers; SOR serves SOS/BES only); RFC 5321 §5.1 — see Q5 - Fail (reported): `_secmx._tcp.agency.example. SRV 10 0 25 sor1.agency.example.` and no MX, no A",
            ),
            (
                "Pass",
                "SRV SOR(s) plus `agency.example. MX 10 mx1.agency.example.`",
            ),
        ],
    },
    Entry {
        id: "SOR-005",
        group: "Secure Only Receivers — SecMX Level 2 semantics (SOR)",
        severity: "warning→error(L2)",
        rule: "The SecMX SRV RRset is DNSSEC-signed (validates \"secure\"), otherwise a DNS attacker can redirect secure mail to a spoofed SOR.",
        details: &[
            ("Source", "SecMX §6.2; RFC 4033 §3; RFC 7673 §3.1"),
            ("Fail", "`_secmx._tcp.agency.example.` in an unsigned zone"),
            (
                "Pass",
                "`_secmx._tcp.agency.example.` RRset with a valid RRSIG chaining to the root",
            ),
        ],
    },
    Entry {
        id: "SOR-006",
        group: "Secure Only Receivers — SecMX Level 2 semantics (SOR)",
        severity: "error",
        rule: "Every host listed under the SecMX SRV label offers TLS (is an SOR or a BER); a target that only speaks plaintext defeats Level 2.",
        details: &[
            (
                "Source",
                "SecMX §5 (BES/SOS use only SOR/BER discovered); tested by PROBE-005/PROBE-016",
            ),
            (
                "Fail",
                "`_secmx._tcp.agency.example. SRV 10 0 25 mx-notls.agency.example.`",
            ),
            ("Pass", "`… SRV 10 0 25 sor1.agency.example.`"),
        ],
    },
    Entry {
        id: "SOR-007",
        group: "Secure Only Receivers — SecMX Level 2 semantics (SOR)",
        severity: "info",
        rule: "The tool's sender simulation follows SecMX: SecMX SRV targets first (priority/weight order), then MX hosts that prove to be BERs; a simulated SOS bounces when none completes TLS, a simulated BES falls back to plaintext MX delivery.",
        details: &[(
            "Source",
            "SecMX §4.3, §5; RFC 2782 (selection); RFC 5321 §5.1 - Fail (simulation): SOS finds only `mx-notls` → bounce - Pass (simulation): SOS reaches `sor1` over TLS",
        )],
    },
    Entry {
        id: "XR-001",
        group: "Cross-record consistency (XR)",
        severity: "error",
        rule: "All records of one RRset (same owner, class, type) carry the same TTL.",
        details: &[
            ("Source", "RFC 2181 §5.2"),
            (
                "Fail",
                "`agency.example. 3600 MX 10 mx1.agency.example.` + `agency.example. 300 MX 20 mx2.agency.example.`",
            ),
            ("Pass", "both MX records at TTL 3600"),
        ],
    },
    Entry {
        id: "XR-002",
        group: "Cross-record consistency (XR)",
        severity: "error (enforce) / warning (testing)",
        rule: "Every MX exchange matches at least one `mx` pattern of the MTA-STS policy.",
        details: &[
            ("Source", "RFC 8461 §4.1, §5; mjl-/mox issue #261"),
            (
                "Fail",
                "`agency.example. MX 10 agency.example.` with policy `mx: mail.agency.example` in `mode: enforce`",
            ),
            (
                "Pass",
                "`MX 10 mail.agency.example.` with `mx: mail.agency.example`",
            ),
        ],
    },
    Entry {
        id: "XR-003",
        group: "Cross-record consistency (XR)",
        severity: "warning",
        rule: "An MTA-STS `mx` pattern that matches no current MX host is stale (often a migrated provider).",
        details: &[
            ("Source", "RFC 8461 §4.1 (operational reading)"),
            (
                "Fail",
                "policy `mx: mx.old-provider.example` while MX is `firewall.agency.example.` (situation reported in Zuplu/postfix-tlspol issue #70)",
            ),
            ("Pass", "every pattern matches some MX host"),
        ],
    },
    Entry {
        id: "XR-004",
        group: "Cross-record consistency (XR)",
        severity: "warning→error(DANE-required)",
        rule: "If any MX host has TLSA records, all MX hosts (including backups) should have them; otherwise a downgrade to the unprotected host is possible.",
        details: &[
            (
                "Source",
                "RFC 7672 §2.2.1 (domains wanting secure inbound delivery must configure all MX hosts; cited as test 407 in a public DANE test suite)",
            ),
            (
                "Fail",
                "`_25._tcp.mx1.agency.example. TLSA 3 1 1 …` and no TLSA for `mx2.agency.example.`",
            ),
            ("Pass", "TLSA at `_25._tcp.mx1…` and `_25._tcp.mx2…`"),
        ],
    },
    Entry {
        id: "XR-005",
        group: "Cross-record consistency (XR)",
        severity: "warning→error(L2+DANE)",
        rule: "When DANE is claimed, every SecMX SRV target has TLSA at `_<srv-port>._tcp.<target>`.",
        details: &[
            ("Source", "RFC 7673 §3.3; SecMX §6.2"),
            (
                "Fail",
                "`… SRV 10 0 465 sor1.agency.example.` + TLSA only at `_25._tcp.sor1.agency.example.`",
            ),
            ("Pass", "`_465._tcp.sor1.agency.example. TLSA 3 1 1 …`"),
        ],
    },
    Entry {
        id: "XR-006",
        group: "Cross-record consistency (XR)",
        severity: "error",
        rule: "TLSA records only count when the TLSA RRset and the relay host's address RRsets validate as DNSSEC-secure.",
        details: &[
            ("Source", "RFC 6698 §4.1; RFC 7672 §2.2.3"),
            (
                "Fail",
                "`_25._tcp.mx1.agency.example. TLSA 3 1 1 …` in an unsigned zone",
            ),
            (
                "Pass",
                "signed zone, DS in parent, TLSA and A/AAAA validate \"secure\"",
            ),
        ],
    },
    Entry {
        id: "XR-007",
        group: "Cross-record consistency (XR)",
        severity: "warning",
        rule: "For full downgrade resistance the MX RRset (and SecMX SRV RRset) is itself DNSSEC-signed.",
        details: &[
            ("Source", "RFC 7672 §2.2.1; RFC 7673 §3.1; SecMX §6.2"),
            (
                "Fail",
                "unsigned `agency.example.` MX pointing to signed `mx1.provider.example.` (DANE still usable, hijack of MX still possible)",
            ),
            ("Pass", "signed MX RRset"),
        ],
    },
    Entry {
        id: "XR-008",
        group: "Cross-record consistency (XR)",
        severity: "error",
        rule: "When both MTA-STS and DANE are published, the MX certificate must pass both: PKIX-valid for the MX name and matched by a TLSA record; MTA-STS never rescues a DANE failure.",
        details: &[
            ("Source", "RFC 8461 §2"),
            (
                "Fail",
                "`3 1 1` TLSA matches, but the cert is self-signed while `mode: enforce`",
            ),
            (
                "Pass",
                "CA-issued cert for `mx1.agency.example` whose SPKI hash is in the TLSA RRset",
            ),
        ],
    },
    Entry {
        id: "XR-009",
        group: "Cross-record consistency (XR)",
        severity: "warning→error(SGE)",
        rule: "A domain that deploys MTA-STS or DANE also publishes TLS-RPT, so failures become visible.",
        details: &[
            ("Source", "RFC 8461 §6; RFC 8460 §1"),
            (
                "Fail",
                "`_mta-sts.agency.example. TXT \"v=STSv1; id=20260101\"` and no `_smtp._tls.agency.example.`",
            ),
            (
                "Pass",
                "plus `_smtp._tls.agency.example. TXT \"v=TLSRPTv1; rua=mailto:tlsrpt@agency.example\"`",
            ),
        ],
    },
    Entry {
        id: "XR-010",
        group: "Cross-record consistency (XR)",
        severity: "info",
        rule: "For DANE failures the reporting domain is the TLSA base domain (the MX host), so a TLS-RPT record at `_smtp._tls.<mx-host>` is advised when DANE is used.",
        details: &[
            (
                "Source",
                "RFC 8460 §1.1 (Policy Domain definition) - Fail (reported): TLSA at `_25._tcp.mx1.agency.example.`, no `_smtp._tls.mx1.agency.example.`",
            ),
            (
                "Pass",
                "`_smtp._tls.mx1.agency.example. TXT \"v=TLSRPTv1; rua=mailto:tlsrpt@agency.example\"`",
            ),
        ],
    },
    Entry {
        id: "XR-011",
        group: "Cross-record consistency (XR)",
        severity: "warning",
        rule: "Every `mailto:` TLS-RPT destination is deliverable: its domain has MX (or address) records and no null MX.",
        details: &[
            (
                "Source",
                "RFC 8460 §3, §5.3; RFC 7505 §3; mjl-/mox issue #125",
            ),
            (
                "Fail",
                "`rua=mailto:tls-reports@host.agency.example` where `host.agency.example` has no MX and no A",
            ),
            (
                "Pass",
                "`rua=mailto:tlsrpt@agency.example` with `agency.example. MX 10 mx1.agency.example.`",
            ),
        ],
    },
    Entry {
        id: "XR-012",
        group: "Cross-record consistency (XR)",
        severity: "error",
        rule: "A policy name (`_mta-sts`, `_smtp._tls`, `_dmarc`) never carries a TXT and a CNAME at the same time; which one a sender sees then depends on its resolver.",
        details: &[
            (
                "Source",
                "RFC 1034 §3.6.2; RFC 8461 §3.1 (CNAME delegation is allowed); domainaware/checkdmarc PRs #278/#279",
            ),
            (
                "Fail",
                "`_dmarc.agency.example. TXT \"v=DMARC1; p=none\"` + `_dmarc.agency.example. CNAME _dmarc.vendor.example.`",
            ),
            ("Pass", "one of the two"),
        ],
    },
    Entry {
        id: "XR-013",
        group: "Cross-record consistency (XR)",
        severity: "warning",
        rule: "Lower-preference (backup) MX hosts meet the same STARTTLS, certificate, MTA-STS and DANE requirements as the primary; their faults stay hidden until the primary fails.",
        details: &[
            ("Source", "RFC 8461 §8.4; RFC 7672 §2.2.1"),
            (
                "Fail",
                "`MX 10 mx1.agency.example.` (valid cert) + `MX 50 backup.isp.example.` (no STARTTLS)",
            ),
            ("Pass", "both hosts pass PROBE-005…PROBE-023"),
        ],
    },
    Entry {
        id: "XR-014",
        group: "Cross-record consistency (XR)",
        severity: "warning",
        rule: "Equal-preference MX hosts share the same TLS posture, because senders pick among them at random.",
        details: &[
            ("Source", "RFC 5321 §5.1"),
            (
                "Fail",
                "`MX 10 mx1…` (TLS 1.3, valid cert) + `MX 10 mx2…` (TLS 1.0 only)",
            ),
            ("Pass", "both offer TLS 1.2+ with valid certificates"),
        ],
    },
    Entry {
        id: "XR-015",
        group: "Cross-record consistency (XR)",
        severity: "error",
        rule: "Each mail-receiving (sub)domain publishes its own MTA-STS TXT record and policy host; senders never inherit a parent domain's policy.",
        details: &[
            ("Source", "RFC 8461 §3.4"),
            (
                "Fail",
                "mail for `user@region.agency.example` relying on `_mta-sts.agency.example.`",
            ),
            (
                "Pass",
                "`_mta-sts.region.agency.example.` + `https://mta-sts.region.agency.example/.well-known/mta-sts.txt`",
            ),
        ],
    },
    Entry {
        id: "XR-016",
        group: "Cross-record consistency (XR)",
        severity: "info",
        rule: "MTA-STS covers MX hosts only; SecMX SRV targets are outside its scope. The tool recommends PKIX-valid certificates for SORs anyway and, if they are also MX-capable names, listing them in `mx` patterns.",
        details: &[
            (
                "Source",
                "RFC 8461 §4.1 (validation is against the MX host name); interpretation, see Q9 - Fail (reported): `sor1.agency.example.` with a self-signed cert and no TLSA",
            ),
            (
                "Pass",
                "`sor1.agency.example.` with a CA-issued cert and/or a matching TLSA record",
            ),
        ],
    },
    Entry {
        id: "XR-017",
        group: "Cross-record consistency (XR)",
        severity: "warning",
        rule: "If REQUIRETLS traffic is expected, the MX RRset must be DNSSEC-signed or covered by an MTA-STS policy, because a REQUIRETLS sender refuses unprotected MX answers.",
        details: &[
            ("Source", "RFC 8689 §4.2.1"),
            (
                "Fail",
                "unsigned MX and no MTA-STS, while partners send with REQUIRETLS",
            ),
            (
                "Pass",
                "signed MX RRset, or MTA-STS `mode: enforce` listing every MX",
            ),
        ],
    },
    Entry {
        id: "STS-001",
        group: "MTA-STS (STS)",
        severity: "error",
        rule: "Exactly one TXT record at `_mta-sts.<domain>` starts with `v=STSv1`; zero or several such records mean \"no policy\".",
        details: &[
            (
                "Source",
                "RFC 8461 §3.1; hardenize/hardenize-public issue #41",
            ),
            (
                "Fail",
                "two TXT records `\"v=STSv1; id=20260101\"` and `\"v=STSv1; id=20260315\"`",
            ),
            ("Pass", "one `\"v=STSv1; id=20260315\"`"),
        ],
    },
    Entry {
        id: "STS-002",
        group: "MTA-STS (STS)",
        severity: "error",
        rule: "`v=STSv1` is the first field of the record (exact case).",
        details: &[
            ("Source", "RFC 8461 §3.1 (ABNF `%s\"v=STSv1\"`)"),
            ("Fail", "`\"id=20260315; v=STSv1\"` ; `\"v=stsv1; id=1\"`"),
            ("Pass", "`\"v=STSv1; id=20260315\"`"),
        ],
    },
    Entry {
        id: "STS-003",
        group: "MTA-STS (STS)",
        severity: "error",
        rule: "An `id` field is present and holds 1–32 ASCII letters or digits only (no `-`, `.`, `:`, `+`, `/`, `=`; not empty).",
        details: &[
            (
                "Source",
                "RFC 8461 §3.1 (ABNF `1*32(ALPHA / DIGIT)`); mail-in-a-box issue #1779 (base64 `+`); chatmail/relay issue #460 (empty id)",
            ),
            (
                "Fail",
                "`\"v=STSv1; id=2026-03-15\"` ; `\"v=STSv1; id=\"` ; `\"v=STSv1; id=Zm9v+YmFy\"`",
            ),
            (
                "Pass",
                "`\"v=STSv1; id=20260315T0930Z\"` (14 letters/digits)",
            ),
        ],
    },
    Entry {
        id: "STS-004",
        group: "MTA-STS (STS)",
        severity: "error",
        rule: "Fields are separated by `;` with optional spaces/tabs; extension fields are `name=value` with the characters the ABNF allows; a trailing `;` is optional.",
        details: &[
            ("Source", "RFC 8461 §3.1 (sts-field-delim, sts-extension)"),
            (
                "Fail",
                "`\"v=STSv1, id=20260315\"` ; `\"v=STSv1; id 20260315\"`",
            ),
            (
                "Pass",
                "`\"v=STSv1; id=20260315;\"` ; `\"v=STSv1;id=20260315\"`",
            ),
        ],
    },
    Entry {
        id: "STS-005",
        group: "MTA-STS (STS)",
        severity: "warning",
        rule: "Whitespace before the first `;` (`\"v=STSv1 ; id=1\"`) fits the ABNF but fails the literal `v=STSv1;` prefix test some senders apply; write `v=STSv1;`.",
        details: &[
            (
                "Source",
                "RFC 8461 §3.1 (ABNF vs. prose); aykevl/mta-sts issue #19 — see Q7",
            ),
            ("Fail", "`\"v=STSv1 ; id=20260315\"`"),
            ("Pass", "`\"v=STSv1; id=20260315\"`"),
        ],
    },
    Entry {
        id: "STS-006",
        group: "MTA-STS (STS)",
        severity: "info",
        rule: "`_mta-sts` may be a CNAME to a provider's TXT record (policy delegation); the tool follows it and validates the target.",
        details: &[
            ("Source", "RFC 8461 §3.1, §8.2"),
            (
                "Fail",
                "CNAME chain ending in NXDOMAIN (then STS-001 fires)",
            ),
            (
                "Pass",
                "`_mta-sts.agency.example. CNAME _mta-sts.provider.example.` → valid TXT",
            ),
        ],
    },
    Entry {
        id: "STS-007",
        group: "MTA-STS (STS)",
        severity: "error",
        rule: "`mta-sts.<domain>` resolves and serves HTTPS whose certificate is valid for that exact name (SAN DNS-ID; a wildcard only as the whole left-most label), unexpired and chained to a publicly trusted CA; a delegated host still needs a certificate for the customer's `mta-sts` name.",
        details: &[
            ("Source", "RFC 8461 §3.3, §8.2"),
            (
                "Fail",
                "`mta-sts.agency.example. CNAME mta-sts.provider.example.` serving a cert only for `mta-sts.provider.example`",
            ),
            (
                "Pass",
                "cert SAN `DNS:mta-sts.agency.example` (or `DNS:*.agency.example`)",
            ),
        ],
    },
    Entry {
        id: "STS-008",
        group: "MTA-STS (STS)",
        severity: "error",
        rule: "The policy URL answers 200 directly; 3xx redirects are not followed by senders and count as failure.",
        details: &[
            ("Source", "RFC 8461 §3.3"),
            (
                "Fail",
                "`GET /.well-known/mta-sts.txt` → `301 Location: https://www.agency.example/...`",
            ),
            ("Pass", "`200 OK` with the policy body"),
        ],
    },
    Entry {
        id: "STS-009",
        group: "MTA-STS (STS)",
        severity: "error (fetched policy)",
        rule: "The policy is served as `text/plain` (charset utf-8 or us-ascii, other parameters ignored). Another media type makes senders reject the policy (RFC 8461 §3.3), so a fetched policy served otherwise is invalid: error, and it is not applied to the MX verdicts.",
        details: &[
            (
                "Source",
                "RFC 8461 §3.2; EFForg/starttls-backend issue #191",
            ),
            ("Fail", "`Content-Type: text/html`"),
            ("Pass", "`Content-Type: text/plain; charset=utf-8`"),
        ],
    },
    Entry {
        id: "STS-010",
        group: "MTA-STS (STS)",
        severity: "error (body over 64 KiB) / warning (slow)",
        rule: "The policy body stays within 64 KiB and is returned well inside one minute. A larger body is not read by senders, so the policy is invalid (error, not applied); a slow answer is a warning.",
        details: &[
            ("Source", "RFC 8461 §3.3 (suggested sender limits)"),
            ("Fail", "a 100 KiB file, or a 70 s response time"),
            ("Pass", "a few hundred bytes in < 1 s"),
        ],
    },
    Entry {
        id: "STS-011",
        group: "MTA-STS (STS)",
        severity: "error",
        rule: "`version: STSv1` is present.",
        details: &[
            ("Source", "RFC 8461 §3.2"),
            (
                "Fail",
                "policy without a `version` line, or `version: STSv2`",
            ),
            ("Pass", "`version: STSv1`"),
        ],
    },
    Entry {
        id: "STS-012",
        group: "MTA-STS (STS)",
        severity: "error",
        rule: "`mode` is present and is exactly `enforce`, `testing` or `none` (lower case).",
        details: &[
            ("Source", "RFC 8461 §3.2 (ABNF, case-sensitive)"),
            ("Fail", "`mode: Enforce` ; `mode: report`"),
            ("Pass", "`mode: enforce`"),
        ],
    },
    Entry {
        id: "STS-013",
        group: "MTA-STS (STS)",
        severity: "error",
        rule: "`max_age` is present, has 1–10 decimal digits and is at most 31557600 seconds.",
        details: &[
            ("Source", "RFC 8461 §3.2"),
            (
                "Fail",
                "`max_age: 31557601` ; `max_age: 1w` ; `max_age: -5`",
            ),
            ("Pass", "`max_age: 1209600`"),
        ],
    },
    Entry {
        id: "STS-014",
        group: "MTA-STS (STS)",
        severity: "warning",
        rule: "With `mode: enforce` or `testing`, `max_age` below one week (604800) gives little protection against refresh-time attacks; weeks or more is advised (short values are right only for the removal workflow, STS-022).",
        details: &[
            ("Source", "RFC 8461 §3.2, §10.2"),
            ("Fail", "`mode: enforce` + `max_age: 86400`"),
            ("Pass", "`mode: enforce` + `max_age: 1209600`"),
        ],
    },
    Entry {
        id: "STS-015",
        group: "MTA-STS (STS)",
        severity: "error",
        rule: "At least one `mx:` line exists unless `mode: none`.",
        details: &[
            ("Source", "RFC 8461 §3.2 (ABNF comment on sts-policy-mx)"),
            (
                "Fail",
                "`version: STSv1` / `mode: enforce` / `max_age: 604800` (no mx)",
            ),
            ("Pass", "plus `mx: mx1.agency.example`"),
        ],
    },
    Entry {
        id: "STS-016",
        group: "MTA-STS (STS)",
        severity: "error",
        rule: "Each `mx` value is a host name or `*.` + host name: the wildcard stands for exactly one whole left-most label; IP addresses, ports, URLs, trailing dots and comments are invalid.",
        details: &[
            (
                "Source",
                "RFC 8461 §3.2, §4.1; Zuplu/postfix-tlspol issue #70 (IP address in `mx`)",
            ),
            (
                "Fail",
                "`mx: 198.51.100.56` ; `mx: mx*.agency.example` ; `mx: *.*.agency.example` ; `mx: mx1.agency.example:25`",
            ),
            ("Pass", "`mx: mx1.agency.example` ; `mx: *.agency.example`"),
        ],
    },
    Entry {
        id: "STS-017",
        group: "MTA-STS (STS)",
        severity: "error",
        rule: "Pattern matching follows RFC 8461: `*.agency.example` matches `mx1.agency.example` but neither `agency.example` nor `a.b.agency.example`; comparison is case-insensitive; IDNs are compared as A-labels.",
        details: &[
            ("Source", "RFC 8461 §3.2, §4.1"),
            (
                "Fail",
                "MX `a.b.agency.example.` with only `mx: *.agency.example`",
            ),
            (
                "Pass",
                "MX `mx1.agency.example.` with `mx: *.agency.example`",
            ),
        ],
    },
    Entry {
        id: "STS-018",
        group: "MTA-STS (STS)",
        severity: "error",
        rule: "One key/value pair per line; each MX pattern has its own `mx:` line; lines may end in LF or CRLF.",
        details: &[
            (
                "Source",
                "RFC 8461 §3.2 (sts-policy-term = LF / CRLF); mail-in-a-box issue #1861 and Webperf-se/webperf_core issue #971 (checkers wrongly rejecting LF) — see Q8",
            ),
            ("Fail", "`mx: mx1.agency.example, mx2.agency.example`"),
            (
                "Pass",
                "`mx: mx1.agency.example` newline `mx: mx2.agency.example`",
            ),
        ],
    },
    Entry {
        id: "STS-019",
        group: "MTA-STS (STS)",
        severity: "warning",
        rule: "A repeated non-`mx` field (second `mode:` etc.) is ignored by senders; only the first counts, which usually hides an editing error.",
        details: &[
            ("Source", "RFC 8461 §3.2"),
            ("Fail", "`mode: testing` … `mode: enforce`"),
            ("Pass", "a single `mode:` line"),
        ],
    },
    Entry {
        id: "STS-020",
        group: "MTA-STS (STS)",
        severity: "warning→error(SGE)",
        rule: "`mode: testing` does not protect delivery (senders only report); plan the move to `enforce`.",
        details: &[
            (
                "Source",
                "RFC 8461 §5; SGE (enforced MTA-STS, secondary sources)",
            ),
            ("Fail", "`mode: testing` after the trial period"),
            ("Pass", "`mode: enforce`"),
        ],
    },
    Entry {
        id: "STS-021",
        group: "MTA-STS (STS)",
        severity: "error",
        rule: "The TXT `id` changes whenever the policy body changes, and the HTTPS body is updated before the TXT record; the builder bumps `id` automatically and keeps a history to detect \"body changed, id unchanged\".",
        details: &[
            ("Source", "RFC 8461 §3.1, §8.1"),
            (
                "Fail",
                "body changed from `mode: testing` to `mode: enforce`, TXT still `id=20260101`",
            ),
            ("Pass", "new body published, then TXT `id=20260315`"),
        ],
    },
    Entry {
        id: "STS-022",
        group: "MTA-STS (STS)",
        severity: "info",
        rule: "To retire MTA-STS: publish `mode: none` with a short `max_age`, bump `id`, wait out the longest previously served `max_age`, then delete the TXT and the HTTPS endpoint.",
        details: &[
            ("Source", "RFC 8461 §8.3"),
            (
                "Fail",
                "deleting the TXT record while senders still cache `mode: enforce`",
            ),
            ("Pass", "the staged removal above"),
        ],
    },
    Entry {
        id: "STS-023",
        group: "MTA-STS (STS)",
        severity: "warning",
        rule: "A broad wildcard pattern such as `*.agency.example` lets any host in the zone with a valid CA certificate pass as an MX; list exact hosts where possible.",
        details: &[
            (
                "Source",
                "RFC 8461 §10.4 - Fail (reported): `mx: *.agency.example` while only `mx1`/`mx2` receive mail",
            ),
            (
                "Pass",
                "`mx: mx1.agency.example` + `mx: mx2.agency.example`",
            ),
        ],
    },
    Entry {
        id: "RPT-001",
        group: "SMTP TLS Reporting (RPT)",
        severity: "error",
        rule: "Exactly one TXT record at `_smtp._tls.<domain>` starts with `v=TLSRPTv1`; otherwise senders assume no reporting.",
        details: &[
            ("Source", "RFC 8460 §3"),
            (
                "Fail",
                "`\"v=TLSRPTv1; rua=mailto:a@agency.example\"` and `\"v=TLSRPTv1; rua=mailto:b@agency.example\"`",
            ),
            (
                "Pass",
                "`\"v=TLSRPTv1; rua=mailto:a@agency.example,mailto:b@agency.example\"`",
            ),
        ],
    },
    Entry {
        id: "RPT-002",
        group: "SMTP TLS Reporting (RPT)",
        severity: "error",
        rule: "`v=TLSRPTv1` is the first field and an `rua=` field is present.",
        details: &[
            (
                "Source",
                "RFC 8460 §3 (ABNF); EvotecIT/DomainDetective PR #539 (missing rua)",
            ),
            (
                "Fail",
                "`\"rua=mailto:tlsrpt@agency.example; v=TLSRPTv1\"` ; `\"v=TLSRPTv1;\"`",
            ),
            ("Pass", "`\"v=TLSRPTv1; rua=mailto:tlsrpt@agency.example\"`"),
        ],
    },
    Entry {
        id: "RPT-003",
        group: "SMTP TLS Reporting (RPT)",
        severity: "error",
        rule: "Every `rua` destination is a `mailto:` or `https:` URI; a bare address is invalid.",
        details: &[
            (
                "Source",
                "RFC 8460 §3; sys4/tlsrpt-reporter issue #54 (`rua=postmaster@…` crashed a reporter)",
            ),
            (
                "Fail",
                "`\"v=TLSRPTv1; rua=postmaster@agency.example\"` ; `rua=http://…`",
            ),
            (
                "Pass",
                "`\"v=TLSRPTv1; rua=mailto:postmaster@agency.example\"` ; `rua=https://tlsrpt.agency.example/v1`",
            ),
        ],
    },
    Entry {
        id: "RPT-004",
        group: "SMTP TLS Reporting (RPT)",
        severity: "error",
        rule: "Several URIs are comma-separated (optional spaces around the comma); a literal `,`, `!` or `;` inside one URI must be percent-encoded. Reporters may pick any one URI, so every listed destination must work; unknown extension fields are ignored.",
        details: &[
            ("Source", "RFC 8460 §3 (ABNF comment on tlsrpt-uri)"),
            (
                "Fail",
                "`rua=mailto:a@agency.example;mailto:b@agency.example` (second URI becomes a broken field)",
            ),
            (
                "Pass",
                "`rua=mailto:a@agency.example, mailto:b@agency.example`",
            ),
        ],
    },
    Entry {
        id: "RPT-005",
        group: "SMTP TLS Reporting (RPT)",
        severity: "warning",
        rule: "An `https:` destination is an absolute URI with a resolvable host and a valid certificate (reporters may skip certificate checks, but a broken endpoint loses reports).",
        details: &[
            ("Source", "RFC 8460 §3, §5.4; RFC 3986 §4.3"),
            ("Fail", "`rua=https:/tlsrpt` ; host NXDOMAIN"),
            ("Pass", "`rua=https://tlsrpt.agency.example/v1/report`"),
        ],
    },
    Entry {
        id: "RPT-006",
        group: "SMTP TLS Reporting (RPT)",
        severity: "warning",
        rule: "Whitespace before the first `;` is ABNF-valid but fails the literal `v=TLSRPTv1;` prefix test used for filtering; write `v=TLSRPTv1;`.",
        details: &[
            ("Source", "RFC 8460 §3 — same ambiguity as STS-005 (Q7)"),
            (
                "Fail",
                "`\"v=TLSRPTv1 ; rua=mailto:tlsrpt@agency.example\"`",
            ),
            ("Pass", "`\"v=TLSRPTv1; rua=mailto:tlsrpt@agency.example\"`"),
        ],
    },
    Entry {
        id: "RPT-007",
        group: "SMTP TLS Reporting (RPT)",
        severity: "warning",
        rule: "The record sits at `_smtp._tls.<domain>`; look-alike names (`_tlsrpt.<domain>`, `_smtp-tls.<domain>`, `_smtp._tls` put at the apex TXT) are never queried.",
        details: &[
            (
                "Source",
                "RFC 8460 §3; dmarc-analyzer-net/DmarcAnalyzerApp issue #195",
            ),
            (
                "Fail",
                "`_tlsrpt.agency.example. TXT \"v=TLSRPTv1; rua=…\"`",
            ),
            (
                "Pass",
                "`_smtp._tls.agency.example. TXT \"v=TLSRPTv1; rua=…\"`",
            ),
        ],
    },
    Entry {
        id: "TLSA-001",
        group: "TLSA / DANE (TLSA)",
        severity: "error",
        rule: "TLSA records for an SMTP relay live at `_<port>._tcp.<relay-host>`: `_25._tcp.<mx-host>` for MX hosts, `_<srv-port>._tcp.<srv-target>` for SecMX SRV targets — at the host name, not the mail domain.",
        details: &[
            ("Source", "RFC 6698 §3; RFC 7672 §2.2.3; RFC 7673 §3.3"),
            (
                "Fail",
                "`_25._tcp.agency.example. TLSA 3 1 1 …` while MX is `mx1.agency.example.`",
            ),
            ("Pass", "`_25._tcp.mx1.agency.example. TLSA 3 1 1 …`"),
        ],
    },
    Entry {
        id: "TLSA-002",
        group: "TLSA / DANE (TLSA)",
        severity: "error",
        rule: "Certificate usage is 0–3 (255 = private use); other values make the record unusable.",
        details: &[
            ("Source", "RFC 6698 §2.1.1, §4.1; RFC 7218"),
            ("Fail", "`TLSA 4 1 1 …`"),
            ("Pass", "`TLSA 3 1 1 …`"),
        ],
    },
    Entry {
        id: "TLSA-003",
        group: "TLSA / DANE (TLSA)",
        severity: "error",
        rule: "Selector is 0 (full certificate) or 1 (SubjectPublicKeyInfo) (255 = private).",
        details: &[
            ("Source", "RFC 6698 §2.1.2"),
            ("Fail", "`TLSA 3 2 1 …`"),
            ("Pass", "`TLSA 3 1 1 …`"),
        ],
    },
    Entry {
        id: "TLSA-004",
        group: "TLSA / DANE (TLSA)",
        severity: "error",
        rule: "Matching type is 0 (exact), 1 (SHA-256) or 2 (SHA-512) (255 = private).",
        details: &[
            ("Source", "RFC 6698 §2.1.3"),
            ("Fail", "`TLSA 3 1 3 …`"),
            ("Pass", "`TLSA 3 1 1 …`"),
        ],
    },
    Entry {
        id: "TLSA-005",
        group: "TLSA / DANE (TLSA)",
        severity: "error",
        rule: "Association data is hexadecimal of the right size: 32 bytes (64 hex) for type 1, 64 bytes (128 hex) for type 2, a parseable DER certificate/SPKI for type 0.",
        details: &[
            (
                "Source",
                "RFC 6698 §2.1.4, §2.2, §4.1 (malformed data makes the record unusable)",
            ),
            (
                "Fail",
                "`TLSA 3 1 1 E8B54E0B4BAA815B06D3462D65FBC7C0` (16 bytes)",
            ),
            ("Pass", "`TLSA 3 1 1 <64 hex digits>`"),
        ],
    },
    Entry {
        id: "TLSA-006",
        group: "TLSA / DANE (TLSA)",
        severity: "warning",
        rule: "PKIX-TA(0) and PKIX-EE(1) records are not used by SMTP senders and should not be published for port 25 / SecMX relays.",
        details: &[
            ("Source", "RFC 7672 §3.1.3"),
            ("Fail", "`_25._tcp.mx1.agency.example. TLSA 1 1 1 …`"),
            ("Pass", "`_25._tcp.mx1.agency.example. TLSA 3 1 1 …`"),
        ],
    },
    Entry {
        id: "TLSA-007",
        group: "TLSA / DANE (TLSA)",
        severity: "info",
        rule: "Preferred forms: `3 1 1` (server key) as primary; `2 1 1` (an issuing CA's key) as the companion or alternative.",
        details: &[
            (
                "Source",
                "RFC 7671 §5.1, §5.2; RFC 7672 §3.1; internetstandards/toolbox-wiki \"DANE for SMTP how-to\" - Fail (reported): `TLSA 3 0 2 …` only",
            ),
            ("Pass", "`TLSA 3 1 1 …` + `TLSA 2 1 1 …`"),
        ],
    },
    Entry {
        id: "TLSA-008",
        group: "TLSA / DANE (TLSA)",
        severity: "warning",
        rule: "Do not publish SHA-512 (type 2) digests alone; SHA-256 is the mandatory-to-implement digest.",
        details: &[
            ("Source", "RFC 7671 §2, §9"),
            ("Fail", "only `TLSA 3 1 2 …`"),
            ("Pass", "`TLSA 3 1 1 …` (optionally plus `3 1 2`)"),
        ],
    },
    Entry {
        id: "TLSA-009",
        group: "TLSA / DANE (TLSA)",
        severity: "warning",
        rule: "Avoid matching type 0 (full data in DNS): large RRsets cause truncation and fragile lookups.",
        details: &[
            ("Source", "RFC 7671 §10.1"),
            ("Fail", "`TLSA 3 0 0 3082…` (1.5 KB)"),
            ("Pass", "`TLSA 3 1 1 …`"),
        ],
    },
    Entry {
        id: "TLSA-010",
        group: "TLSA / DANE (TLSA)",
        severity: "warning",
        rule: "`3 0 1` / `3 0 2` records (hash of the whole certificate) break at every renewal, even when the key is kept; prefer `3 1 1` with key reuse or a planned key roll.",
        details: &[
            (
                "Source",
                "RFC 7671 §8; Let's Encrypt community advice cited in virtualmin/virtualmin-gpl issue #803",
            ),
            (
                "Fail",
                "`_25._tcp.mx1.agency.example. TLSA 3 0 1 …` on a 90-day certificate",
            ),
            ("Pass", "`TLSA 3 1 1 …` with a reused key"),
        ],
    },
    Entry {
        id: "TLSA-011",
        group: "TLSA / DANE (TLSA)",
        severity: "warning",
        rule: "Publish at least two records so a rollover never leaves a gap: \"current + next\" (`3 1 1` ×2) or \"current + issuer\" (`3 1 1` + `2 1 1`); change the served key only after the new record has been visible for two TTLs on all name servers.",
        details: &[
            (
                "Source",
                "RFC 7671 §8.1; internetstandards/toolbox-wiki (rollover section)",
            ),
            (
                "Fail",
                "a single `3 1 1` record and an automated key change at renewal",
            ),
            ("Pass", "`3 1 1 <current>` + `3 1 1 <next>`"),
        ],
    },
    Entry {
        id: "TLSA-012",
        group: "TLSA / DANE (TLSA)",
        severity: "error",
        rule: "The TLSA RRset validates as DNSSEC \"secure\"; records in unsigned or bogus zones are ignored or cause delivery failure.",
        details: &[
            ("Source", "RFC 6698 §4.1; RFC 7672 §2.2"),
            ("Fail", "TLSA in a zone without DS at the parent"),
            ("Pass", "signed zone with a valid chain of trust"),
        ],
    },
    Entry {
        id: "TLSA-013",
        group: "TLSA / DANE (TLSA)",
        severity: "error",
        rule: "TLSA queries (and queries for names without TLSA) return NOERROR or a correctly signed NXDOMAIN/NODATA on every authoritative server; SERVFAIL, NOTIMP, REFUSED or time-outs make DANE senders defer mail.",
        details: &[
            (
                "Source",
                "RFC 7672 §2.1.1; internet.nl issues #1534, #243; danefail/list issue #35",
            ),
            (
                "Fail",
                "`dig TLSA _25._tcp.mx1.agency.example` → `SERVFAIL` (`EDE 23 … rcode=NOTIMP`)",
            ),
            (
                "Pass",
                "`NOERROR` with TLSA, or `NXDOMAIN` with valid NSEC/NSEC3 proof",
            ),
        ],
    },
    Entry {
        id: "TLSA-014",
        group: "TLSA / DANE (TLSA)",
        severity: "warning",
        rule: "A secure TLSA RRset in which no record is usable forces senders to use TLS without authentication; fix or remove it.",
        details: &[
            ("Source", "RFC 7672 §2.2; RFC 6698 §4.1"),
            (
                "Fail",
                "`_25._tcp.mx1.agency.example. TLSA 1 1 1 …` only (all PKIX usages)",
            ),
            ("Pass", "at least one usable `3 x x` or `2 x x` record"),
        ],
    },
    Entry {
        id: "TLSA-015",
        group: "TLSA / DANE (TLSA)",
        severity: "warning",
        rule: "A server with both RSA and ECDSA certificates needs matching TLSA records for each key, because different senders negotiate different keys.",
        details: &[
            (
                "Source",
                "internetstandards/toolbox-wiki (\"current + next\" notes); RFC 7671 §8",
            ),
            (
                "Fail",
                "one `3 1 1` for the RSA key while the server also offers ECDSA",
            ),
            (
                "Pass",
                "`3 1 1 <rsa-spki>` + `3 1 1 <ecdsa-spki>` (plus next-key records)",
            ),
        ],
    },
    Entry {
        id: "TLSA-016",
        group: "TLSA / DANE (TLSA)",
        severity: "warning",
        rule: "TLSA records are applied only when the relay host's A/AAAA RRsets validate as secure; TLSA behind an insecure address lookup (e.g. an out-of-zone host in an unsigned zone) is dead weight.",
        details: &[
            (
                "Source",
                "RFC 7672 §2.2.3; RFC 7671 §7 (CNAME expansion must be secure at every step)",
            ),
            (
                "Fail",
                "TLSA in signed `agency.example` for `mx1.agency.example` whose A record is served from an unsigned delegated zone",
            ),
            ("Pass", "host addresses and TLSA all in signed zones"),
        ],
    },
    Entry {
        id: "TLSA-017",
        group: "TLSA / DANE (TLSA)",
        severity: "warning",
        rule: "A relay's next key (`next_tlsa = [\"3 1 1 …\"]` or `next_key = \"next.pem\"` in its [[relay]]) has its `3 1 1` record published beside the current one before the relay switches keys; a `next_key` file that cannot be read is reported too.",
        details: &[
            (
                "Source",
                "RFC 7671 §8.1 (key rollover: publish the new record, wait two TTLs, switch, remove the old one); RFC 7672 §3.1.1",
            ),
            (
                "Fail",
                "`next_tlsa = [\"3 1 1 bb…\"]` while `tlsa = [\"3 1 1 aa…\"]` only",
            ),
            (
                "Pass",
                "`tlsa = [\"3 1 1 aa…\", \"3 1 1 bb…\"]` with `next_tlsa = [\"3 1 1 bb…\"]`",
            ),
        ],
    },
    Entry {
        id: "TLSA-018",
        group: "TLSA / DANE (TLSA)",
        severity: "error",
        rule: "The key a relay serves (probed) matches one of the TLSA records the design publishes for it (`3 x 1` the leaf, `2 x 1` an issuer); when it is the design's next key, the key was switched before its record was published.",
        details: &[
            ("Source", "RFC 7672 §3.1, §3.2; RFC 7671 §8.1"),
            (
                "Fail",
                "design `tlsa = [\"3 1 1 aa…\"]`, the relay serves a key whose SPKI SHA-256 is bb…",
            ),
            ("Pass", "the served leaf key's SHA-256 is aa…"),
        ],
    },
    Entry {
        id: "TLSA-019",
        group: "TLSA / DANE (TLSA)",
        severity: "warning→error(within 7 days)",
        rule: "No certificate a matching TLSA record pins expires within 30 days (warning) or 7 days (error) without the rollover prepared: a DANE-TA (`2 x x`) anchor's expiry breaks DANE; a DANE-EE (`3 x x`) leaf's renewal with a new key does unless the next key's record is already published. (PROBE-023 is the PKIX view of the leaf's expiry.)",
        details: &[
            ("Source", "RFC 7671 §8.1; RFC 7672 §3.1.1, §3.1.2"),
            (
                "Fail",
                "`2 1 1` pins an intermediate that expires in 5 days; `3 1 1` pins a leaf expiring in 20 days with no next key published",
            ),
            (
                "Pass",
                "the pinned certificates are valid for 60 more days, or the next key's `3 1 1` is already in `tlsa`",
            ),
        ],
    },
    Entry {
        id: "PROBE-001",
        group: "Live probes per role (PROBE)",
        severity: "error",
        rule: "Each published address of each relay accepts a TCP connection on the published port within the timeout (default 30 s connect, 5 min greeting).",
        details: &[
            ("Source", "RFC 5321 §5.1, §4.5.3.2"),
            (
                "Fail",
                "`mx1.agency.example. AAAA 2001:db8::25` refuses or times out while the A address works",
            ),
            ("Pass", "all addresses connect"),
        ],
    },
    Entry {
        id: "PROBE-002",
        group: "Live probes per role (PROBE)",
        severity: "error",
        rule: "The server greets with a 220 reply; a 554 greeting or a silent close means the relay refuses service.",
        details: &[
            ("Source", "RFC 5321 §4.2, §4.3.1"),
            ("Fail", "`S: 554 5.7.1 No SMTP service here`"),
            ("Pass", "`S: 220 mx1.agency.example ESMTP`"),
        ],
    },
    Entry {
        id: "PROBE-003",
        group: "Live probes per role (PROBE)",
        severity: "error",
        rule: "`EHLO` is answered with 250 and a capability list (ESMTP is required for STARTTLS).",
        details: &[
            ("Source", "RFC 5321 §4.1.1.1; RFC 3207 §4"),
            (
                "Fail",
                "`C: EHLO probe.example` → `S: 502 5.5.1 Command not implemented`",
            ),
            ("Pass", "`S: 250-mx1.agency.example` … `250 STARTTLS`"),
        ],
    },
    Entry {
        id: "PROBE-004",
        group: "Live probes per role (PROBE)",
        severity: "info",
        rule: "The banner/EHLO host name, the PTR name of the address and the DNS-published relay name are recorded and compared (mismatch is informational only).",
        details: &[
            (
                "Source",
                "RFC 5321 §4.2, §4.3.1 (the greeting names the server), §4.1.1.1; MXToolbox knowledge base \"Reverse DNS does not match SMTP Banner\" - Fail (reported): PTR `host-198-51-100-10.isp.example`, banner `mx1.agency.example`",
            ),
            ("Pass", "PTR, banner and MX name all `mx1.agency.example`"),
        ],
    },
    Entry {
        id: "PROBE-005",
        group: "Live probes per role (PROBE)",
        severity: "error",
        rule: "`STARTTLS` appears in the cleartext EHLO reply of every BER and every STARTTLS-mode SOR.",
        details: &[
            (
                "Source",
                "SecMX §4.3, §5; RFC 3207 §4; TLS-RPT result `starttls-not-supported`",
            ),
            ("Fail", "capability list without STARTTLS"),
            ("Pass", "`250 STARTTLS` present"),
        ],
    },
    Entry {
        id: "PROBE-006",
        group: "Live probes per role (PROBE)",
        severity: "error",
        rule: "`STARTTLS` is answered with 220 and the handshake starts; 454 (temporary) is a warning to retry, 501/5xx is an error.",
        details: &[
            ("Source", "RFC 3207 §4"),
            (
                "Fail",
                "`C: STARTTLS` → `S: 454 4.7.0 TLS not available due to local problem` (repeated)",
            ),
            ("Pass", "`S: 220 2.0.0 Ready to start TLS`"),
        ],
    },
    Entry {
        id: "PROBE-007",
        group: "Live probes per role (PROBE)",
        severity: "error",
        rule: "The TLS handshake completes with the probe's permissive client settings (all versions/ciphers enabled so that weak settings can be seen and graded by PROBE-017…018).",
        details: &[
            (
                "Source",
                "RFC 3207 §4.1; TLS-RPT result `validation-failure`",
            ),
            ("Fail", "handshake alert `handshake_failure` / TCP reset"),
            ("Pass", "handshake completes; version and cipher recorded"),
        ],
    },
    Entry {
        id: "PROBE-008",
        group: "Live probes per role (PROBE)",
        severity: "error",
        rule: "After TLS the client's new EHLO gets a 250 reply that no longer lists STARTTLS (session state reset).",
        details: &[
            ("Source", "RFC 3207 §4.2"),
            ("Fail", "post-TLS `250-STARTTLS` still advertised"),
            ("Pass", "post-TLS capability list without STARTTLS"),
        ],
    },
    Entry {
        id: "PROBE-009",
        group: "Live probes per role (PROBE)",
        severity: "error",
        rule: "Commands pipelined in cleartext right behind `STARTTLS` are discarded, not executed inside the TLS session (STARTTLS command-injection test).",
        details: &[
            ("Source", "RFC 7457 §2.2 (CVE-2011-0411); RFC 3207 §4.2"),
            (
                "Fail",
                "`C: STARTTLS\\r\\nRSET\\r\\n` in one packet → after the handshake the server answers the injected `RSET`",
            ),
            (
                "Pass",
                "no reply to the injected command after the handshake",
            ),
        ],
    },
    Entry {
        id: "PROBE-010",
        group: "Live probes per role (PROBE)",
        severity: "error",
        rule: "A BER accepts `MAIL FROM` without TLS (2xx); a 530 here means the MX host is in fact an SOR, which breaks RFC 3207 §4 and fires SOR-001.",
        details: &[
            ("Source", "SecMX §4.3, §5 (BER); RFC 3207 §4"),
            (
                "Fail",
                "MX host `sor1.agency.example` → `S: 530 5.7.0 Must issue a STARTTLS command first`",
            ),
            ("Pass", "`C: MAIL FROM:<>` → `S: 250 2.1.0 Ok`"),
        ],
    },
    Entry {
        id: "PROBE-011",
        group: "Live probes per role (PROBE)",
        severity: "error",
        rule: "A BER also accepts `MAIL FROM` after TLS (the TLS path must be usable, not just advertised).",
        details: &[
            ("Source", "SecMX §5; RFC 3207 §4.2"),
            ("Fail", "post-TLS `MAIL FROM:<>` → `S: 554 5.7.1 …`"),
            ("Pass", "post-TLS `S: 250 2.1.0 Ok`"),
        ],
    },
    Entry {
        id: "PROBE-012",
        group: "Live probes per role (PROBE)",
        severity: "warning",
        rule: "STARTTLS is offered to every client, including unknown or low-reputation IPs; hiding STARTTLS from some clients locks DANE/MTA-STS senders out.",
        details: &[
            (
                "Source",
                "internetstandards/toolbox-wiki (DANE how-to); hardenize/hardenize-public issue #12",
            ),
            (
                "Fail",
                "STARTTLS missing only for the probe's address (compare two vantage points when available)",
            ),
            (
                "Pass",
                "identical capability lists from every vantage point",
            ),
        ],
    },
    Entry {
        id: "PROBE-013",
        group: "Live probes per role (PROBE)",
        severity: "error",
        rule: "An SOR refuses `MAIL FROM` before TLS, preferably with `530 5.7.0`; 2xx is an error (not secure-only), another 5xx is a warning (refused but non-standard code), 4xx is a warning (sender will retry in clear elsewhere).",
        details: &[
            (
                "Source",
                "SecMX §5 (SOR); RFC 3207 §4 (530 for servers that require TLS); RFC 3463 §3.8 / RFC 5248 (X.7.0)",
            ),
            (
                "Fail",
                "`C: MAIL FROM:<>` → `S: 250 2.1.0 Ok` on an SRV-listed SOR",
            ),
            ("Pass", "`S: 530 5.7.0 Must issue a STARTTLS command first`"),
        ],
    },
    Entry {
        id: "PROBE-014",
        group: "Live probes per role (PROBE)",
        severity: "warning",
        rule: "An SOR also refuses `RCPT`, `DATA`, `VRFY` and similar before TLS; only `NOOP`, `EHLO`, `STARTTLS`, `QUIT` (and `RSET`) should succeed.",
        details: &[
            ("Source", "RFC 3207 §4"),
            ("Fail", "pre-TLS `VRFY postmaster` → `252 …`"),
            ("Pass", "pre-TLS `VRFY` → `530 5.7.0 …`"),
        ],
    },
    Entry {
        id: "PROBE-015",
        group: "Live probes per role (PROBE)",
        severity: "error",
        rule: "After TLS an SOR accepts `MAIL FROM` (2xx): the secure path actually works.",
        details: &[
            ("Source", "SecMX §5; RFC 3207 §4.2"),
            ("Fail", "post-TLS `S: 530 5.7.0 …` again, or `554 …`"),
            ("Pass", "post-TLS `S: 250 2.1.0 Ok`"),
        ],
    },
    Entry {
        id: "PROBE-016",
        group: "Live probes per role (PROBE)",
        severity: "error",
        rule: "When the SecMX SRV port is 465 (implicit TLS), the TLS handshake starts immediately after TCP connect and the 220 greeting arrives inside TLS; a cleartext greeting on that port is an error.",
        details: &[
            (
                "Source",
                "draft-nurpmeso-smtp-tls-srv abstract (implicit-TLS variant); RFC 8314 §3 (implicit-TLS model) — see Q10",
            ),
            (
                "Fail",
                "`…SRV 10 0 465 sor1…` and `S: 220 … ESMTP` in cleartext",
            ),
            ("Pass", "TLS ClientHello answered, then `220` inside TLS"),
        ],
    },
    Entry {
        id: "PROBE-017",
        group: "Live probes per role (PROBE)",
        severity: "error / warning→error(SGE, STS, SOR)",
        rule: "The best negotiated protocol is TLS 1.2 or 1.3. SSL 2/3 accepted → error; TLS 1.0/1.1 still accepted → warning on a plain Level 1 BER, error on an SOR, under MTA-STS or under SGE; no TLS 1.3 support → info.",
        details: &[
            (
                "Source",
                "RFC 8996 §2–§3; RFC 7568; RFC 6176; RFC 8461 §7.2; RFC 9325 §3.1.1; SGE (TLS 1.2 minimum); RFC 7435 §1 (opportunistic encryption still beats cleartext)",
            ),
            ("Fail", "`mx-legacy` accepts TLS 1.0 with low ciphers"),
            ("Pass", "only TLS 1.2/1.3 accepted"),
        ],
    },
    Entry {
        id: "PROBE-018",
        group: "Live probes per role (PROBE)",
        severity: "error/warning/info",
        rule: "Cipher suites. Error: RC4, NULL encryption, EXPORT, single DES or < 112-bit suites accepted; or the server *chooses* an anonymous (aNULL) suite when the client also offers authenticated ones (then no verifying sender can authenticate it). Warning: 3DES, non-forward-secret (static RSA) suites, DHE groups below 2048 bits or curves below 224 bits. Info: an anonymous suite is accepted only when it is all the client offers — this is Postfix's deliberate default for opportunistic TLS (\"DO NOT exclude ciphers unless it is essential\", postconf(5) `smtpd_tls_exclude_ciphers`); a sender that verifies (DANE, MTA-STS) never offers aNULL, so it costs that sender nothing. Never let a default Postfix or Exim relay fail on this alone.",
        details: &[
            (
                "Source",
                "RFC 7465; RFC 9325 §4.1, §4.2, §4.5 (§4.5 unverified); RFC 7435 §1 (opportunistic security: unauthenticated encryption beats cleartext); postconf(5) `smtpd_tls_exclude_ciphers`, `smtp_tls_ciphers`",
            ),
            (
                "Fail",
                "`TLS_RSA_WITH_RC4_128_SHA` accepted; or a mixed ClientHello (ECDHE_RSA + DH_anon) answered with `TLS_DH_anon_WITH_AES_128_CBC_SHA`",
            ),
            (
                "Pass",
                "`TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256` / `TLS_AES_128_GCM_SHA256` chosen; a DH_anon-only ClientHello answered (info, not a failure)",
            ),
        ],
    },
    Entry {
        id: "PROBE-019",
        group: "Live probes per role (PROBE)",
        severity: "error (L2, STS, DANE-TA, SGE) / warning (plain L1)",
        rule: "The certificate's subject alternative names include the relay name that DNS publishes — the MX exchange for a BER, the SRV target for an SOR (exact or single-label wildcard). A CN-only certificate is not accepted as a match.",
        details: &[
            (
                "Source",
                "RFC 8461 §4.2; RFC 7673 §4 (SRV target as reference identity); RFC 7672 §3.2; RFC 9525 §6 (replaces RFC 6125; no CN fallback); TLS-RPT result `certificate-host-mismatch`",
            ),
            (
                "Fail",
                "SAN `DNS:wrong.example.net` on `mx-badname.agency.example`",
            ),
            ("Pass", "SAN `DNS:mx1.agency.example`"),
        ],
    },
    Entry {
        id: "PROBE-020",
        group: "Live probes per role (PROBE)",
        severity: "error (except pure DANE-EE)",
        rule: "The certificate is inside its validity period; for hosts authenticated only by DANE-EE(3) expiry is recorded as info.",
        details: &[
            (
                "Source",
                "RFC 5280 §4.1.2.5; RFC 8461 §4.2; RFC 7672 §3.1.1; TLS-RPT result `certificate-expired`",
            ),
            ("Fail", "notAfter 2021-01-01"),
            ("Pass", "notBefore ≤ now ≤ notAfter"),
        ],
    },
    Entry {
        id: "PROBE-021",
        group: "Live probes per role (PROBE)",
        severity: "error (STS, L2, SGE) / warning (plain L1)",
        rule: "The chain validates to a trusted root and the server sends the needed intermediates; self-signed or private-CA chains pass only through a matching DANE record.",
        details: &[
            (
                "Source",
                "RFC 5280 §6; RFC 8446 §4.4.2; RFC 8461 §4.2; TLS-RPT result `certificate-not-trusted`",
            ),
            ("Fail", "self-signed cert, no TLSA"),
            (
                "Pass",
                "publicly trusted chain, or `mx-dane` with a matching `3 1 1`",
            ),
        ],
    },
    Entry {
        id: "PROBE-022",
        group: "Live probes per role (PROBE)",
        severity: "warning",
        rule: "Key and signature strength: RSA ≥ 2048 bits, EC ≥ 256 bits; SHA-1/MD5 signatures on the leaf or intermediates are reported.",
        details: &[
            (
                "Source",
                "RFC 9325 §4.5 (§ unverified); toolbox-wiki (RSA-2048 or ECDSA P-256 advice)",
            ),
            ("Fail", "RSA-1024 leaf, or `sha1WithRSAEncryption`"),
            (
                "Pass",
                "RSA-2048 or ECDSA P-256, `sha256WithRSAEncryption` / `ecdsa-with-SHA256`",
            ),
        ],
    },
    Entry {
        id: "PROBE-023",
        group: "Live probes per role (PROBE)",
        severity: "warning",
        rule: "A certificate that expires within 21 days is flagged (30 days for SGE reports).",
        details: &[
            (
                "Source",
                "operational practice (DANE monitoring advice in internetstandards/toolbox-wiki)",
            ),
            ("Fail", "notAfter in 10 days"),
            ("Pass", "notAfter in 60 days"),
        ],
    },
    Entry {
        id: "PROBE-024",
        group: "Live probes per role (PROBE)",
        severity: "error",
        rule: "The server completes the handshake whether or not the client sends SNI and whatever name it sends; it must fall back to a default chain instead of aborting.",
        details: &[
            ("Source", "RFC 8461 §7.1; RFC 7671 §3"),
            (
                "Fail",
                "handshake aborted with `unrecognized_name` when SNI is `agency.example`",
            ),
            ("Pass", "default certificate returned"),
        ],
    },
    Entry {
        id: "PROBE-025",
        group: "Live probes per role (PROBE)",
        severity: "error",
        rule: "When a secure, usable TLSA RRset exists, at least one record matches the chain served on **every** address of the host.",
        details: &[
            (
                "Source",
                "RFC 6698 §2.1, §4.1; RFC 7672 §2.2, §3.1; a public DANE test suite, test 403; TLS-RPT result `tlsa-invalid`",
            ),
            (
                "Fail",
                "`_25._tcp.mx-stale-tlsa.agency.example. TLSA 3 1 1 <hash of another key>`",
            ),
            (
                "Pass",
                "`_25._tcp.mx-dane.agency.example. TLSA 3 1 1 <hash of its SPKI>`",
            ),
        ],
    },
    Entry {
        id: "PROBE-026",
        group: "Live probes per role (PROBE)",
        severity: "error",
        rule: "With DANE-TA(2), the trust-anchor certificate is included in the chain the server sends (even a self-signed root), and the leaf names the TLSA base domain (or the next-hop domain).",
        details: &[
            ("Source", "RFC 7672 §3.1.2, §3.2"),
            (
                "Fail",
                "`TLSA 2 1 1 <root SPKI>` while the server sends only the leaf",
            ),
            (
                "Pass",
                "server sends leaf + intermediate + the matching CA certificate",
            ),
        ],
    },
    Entry {
        id: "PROBE-027",
        group: "Live probes per role (PROBE)",
        severity: "error",
        rule: "Under an `enforce` MTA-STS policy every matching MX supports STARTTLS and presents a PKIX-valid certificate for its MX name; the live policy fetch itself must succeed (STS-007/STS-008).",
        details: &[
            (
                "Source",
                "RFC 8461 §4, §5; TLS-RPT results `sts-policy-fetch-error`, `sts-webpki-invalid`",
            ),
            (
                "Fail",
                "policy `mode: enforce` + MX `mx-selfsig.agency.example`",
            ),
            (
                "Pass",
                "policy `mode: enforce` + MX `mx1.agency.example` with CA-issued cert",
            ),
        ],
    },
    Entry {
        id: "PROBE-028",
        group: "Live probes per role (PROBE)",
        severity: "error",
        rule: "All addresses of a host behave the same (STARTTLS offered, same certificate or same TLSA match, same TLS versions).",
        details: &[
            (
                "Source",
                "RFC 7672 §2.2; internetstandards/toolbox-wiki (test every IPv4 and IPv6 address); hardenize/hardenize-public issue #12",
            ),
            ("Fail", "`mx1` on IPv4 offers STARTTLS, on IPv6 does not"),
            ("Pass", "identical results on `127.0.0.11` and `[::1]`"),
        ],
    },
    Entry {
        id: "PROBE-029",
        group: "Live probes per role (PROBE)",
        severity: "info",
        rule: "REQUIRETLS: record whether the `REQUIRETLS` EHLO keyword is advertised before and after TLS; advertising it only makes sense on TLS sessions.",
        details: &[
            (
                "Source",
                "RFC 8689 §2, §4.1 (see Q13) - Fail (reported): `REQUIRETLS` advertised in the cleartext EHLO only",
            ),
            ("Pass", "`250-REQUIRETLS` in the post-TLS EHLO"),
        ],
    },
    Entry {
        id: "SGE-001",
        group: "Optional profile: NZ Secure Government Email (SGE)",
        severity: "error",
        rule: "Every MX host (and every SecMX SRV target) negotiates TLS 1.2 or newer and refuses TLS 1.0/1.1 and SSL.",
        details: &[
            (
                "Source",
                "SGE framework (TLS 1.2 minimum — EasyDMARC, Valimail, AutoSPF, PowerDMARC summaries); RFC 8996",
            ),
            ("Fail", "`mx-legacy` accepts TLS 1.0"),
            ("Pass", "TLS 1.2/1.3 only"),
        ],
    },
    Entry {
        id: "SGE-002",
        group: "Optional profile: NZ Secure Government Email (SGE)",
        severity: "error",
        rule: "MTA-STS is published and the policy is in `enforce` mode, listing every MX host.",
        details: &[
            (
                "Source",
                "SGE framework (MTA-STS; \"enforced\" per Red Sift summary); RFC 8461 §3, §5",
            ),
            ("Fail", "no `_mta-sts` record, or `mode: testing`"),
            (
                "Pass",
                "`_mta-sts.agency.example. TXT \"v=STSv1; id=20260315\"` + policy `mode: enforce`, `mx:` for each MX",
            ),
        ],
    },
    Entry {
        id: "SGE-003",
        group: "Optional profile: NZ Secure Government Email (SGE)",
        severity: "error",
        rule: "TLS-RPT is published with at least one working `rua` destination.",
        details: &[
            (
                "Source",
                "SGE framework (TLS-RPT — Red Sift, AutoSPF summaries); RFC 8460 §3",
            ),
            ("Fail", "no `_smtp._tls` record"),
            (
                "Pass",
                "`_smtp._tls.agency.example. TXT \"v=TLSRPTv1; rua=mailto:tlsrpt@agency.example\"`",
            ),
        ],
    },
    Entry {
        id: "SGE-004",
        group: "Optional profile: NZ Secure Government Email (SGE)",
        severity: "error",
        rule: "Exactly one SPF record exists, it needs no more than 10 DNS-querying terms, and it ends in hard fail `-all`.",
        details: &[
            (
                "Source",
                "SGE framework (\"hard-fail SPF\" — Red Sift); RFC 7208 §4.5 (more than one record is a permerror), §4.6.4 (10-lookup limit), §5.1",
            ),
            (
                "Fail",
                "`\"v=spf1 include:_spf.provider.example ~all\"` ; two `v=spf1` TXT records ; 11 include/a/mx/exists/redirect terms",
            ),
            (
                "Pass",
                "`agency.example. TXT \"v=spf1 include:_spf.provider.example -all\"`",
            ),
        ],
    },
    Entry {
        id: "SGE-005",
        group: "Optional profile: NZ Secure Government Email (SGE)",
        severity: "error",
        rule: "Outbound mail is DKIM-signed; every selector the agency uses publishes a valid key record (RSA keys of at least 1024 bits, 2048 recommended; no `rsa-sha1` signing).",
        details: &[
            (
                "Source",
                "SGE framework (DKIM on all mail — Red Sift \"universal DKIM\"); RFC 6376 §3.6.1; RFC 8301 §3.1–§3.2",
            ),
            (
                "Fail",
                "`s1._domainkey.agency.example. TXT \"v=DKIM1; k=rsa; p=\"` (revoked) used as the only selector ; 768-bit key",
            ),
            (
                "Pass",
                "`s1._domainkey.agency.example. TXT \"v=DKIM1; k=rsa; p=<2048-bit key>\"`",
            ),
        ],
    },
    Entry {
        id: "SGE-006",
        group: "Optional profile: NZ Secure Government Email (SGE)",
        severity: "error",
        rule: "DMARC is published at `_dmarc.<domain>` with `p=reject`, applied to all mail (no `pct` below 100) and with an aggregate report (`rua`) destination.",
        details: &[
            (
                "Source",
                "SGE framework (DMARC p=reject mandatory for email-enabled domains — PowerDMARC, EasyDMARC, Red Sift); RFC 7489 §6.3 (its DMARCbis successor is cited as RFC 9989 in domainaware/checkdmarc PR #278; not checked)",
            ),
            (
                "Fail",
                "`_dmarc.agency.example. TXT \"v=DMARC1; p=quarantine; pct=50\"`",
            ),
            (
                "Pass",
                "`_dmarc.agency.example. TXT \"v=DMARC1; p=reject; rua=mailto:dmarc@agency.example\"`",
            ),
        ],
    },
    Entry {
        id: "SGE-007",
        group: "Optional profile: NZ Secure Government Email (SGE)",
        severity: "warning",
        rule: "Strict identifier alignment (`adkim=s; aspf=s`) — reported as required by one secondary source only; treat as warning until confirmed.",
        details: &[
            (
                "Source",
                "Valimail summary of the SGE framework (\"strict SPF and DKIM alignment\"); RFC 7489 §3.1, §6.3",
            ),
            ("Fail", "`\"v=DMARC1; p=reject\"` (relaxed by default)"),
            (
                "Pass",
                "`\"v=DMARC1; p=reject; adkim=s; aspf=s; rua=mailto:dmarc@agency.example\"`",
            ),
        ],
    },
    Entry {
        id: "SGE-008",
        group: "Optional profile: NZ Secure Government Email (SGE)",
        severity: "warning",
        rule: "Subdomain policy is not weaker than the domain policy (`sp=` absent or `reject`).",
        details: &[
            (
                "Source",
                "RFC 7489 §6.3 (`sp` inherits `p` when absent); SGE p=reject intent (interpretation)",
            ),
            ("Fail", "`\"v=DMARC1; p=reject; sp=none\"`"),
            ("Pass", "`\"v=DMARC1; p=reject\"` or `\"…; sp=reject\"`"),
        ],
    },
    Entry {
        id: "SGE-009",
        group: "Optional profile: NZ Secure Government Email (SGE)",
        severity: "error",
        rule: "Domains that send no mail are locked down: `v=spf1 -all`, DMARC `p=reject`, and a null MX if they receive none either.",
        details: &[
            (
                "Source",
                "NZISM §15.2 (securing non-email-sending domains); RFC 7505 §4.2; RFC 7208; RFC 7489",
            ),
            (
                "Fail",
                "`brand.example.` with an A record only, no SPF, no DMARC",
            ),
            (
                "Pass",
                "`brand.example. MX 0 .` + `TXT \"v=spf1 -all\"` + `_dmarc.brand.example. TXT \"v=DMARC1; p=reject\"`",
            ),
        ],
    },
    Entry {
        id: "SGE-010",
        group: "Optional profile: NZ Secure Government Email (SGE)",
        severity: "error",
        rule: "MX certificates are publicly trusted and name the MX host, because `enforce` MTA-STS requires PKIX validation (PROBE-019/020/021 raised to error).",
        details: &[
            ("Source", "RFC 8461 §4.2; SGE (MTA-STS enforce)"),
            ("Fail", "self-signed MX certificate"),
            ("Pass", "CA-issued certificate with SAN = MX name"),
        ],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_its_catalogue_text_and_every_entry_a_rule() {
        let registered: Vec<&str> = crate::rules::registry().map(|r| r.id).collect();
        let missing: Vec<&&str> = registered.iter().filter(|id| entry(id).is_none()).collect();
        assert!(
            missing.is_empty(),
            "rules without catalogue text: {missing:?}"
        );
        let orphans: Vec<&str> = CATALOGUE
            .iter()
            .map(|e| e.id)
            .filter(|id| !registered.contains(id))
            .collect();
        assert!(
            orphans.is_empty(),
            "catalogue entries without a rule: {orphans:?}"
        );
    }

    #[test]
    fn an_explanation_has_the_rule_its_source_and_its_examples() {
        let r = crate::rules::registry()
            .find(|r| r.id == "MX-002")
            .expect("MX-002");
        let text = explanation(r);
        assert!(text.starts_with("MX-002 · error · "), "{text}");
        assert!(text.contains("must not be an alias"), "{text}");
        assert!(text.contains("Source: RFC 2181"), "{text}");
        assert!(
            text.contains("Fail: `agency.example. MX 10 mail.agency.example.`"),
            "{text}"
        );
        assert!(text.contains("Pass: "), "{text}");
        assert_eq!(entry("mx-002").map(|e| e.id), Some("MX-002"));
    }
}
