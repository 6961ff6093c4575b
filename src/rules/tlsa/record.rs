//! TLSA-001…005: where the records live and what their fields hold (usage, selector, matching type,
//! association data).

use super::*;

/// TLSA-001: TLSA records sit at `_<port>._tcp.<relay-host>` with the port the host is reached on.
pub(super) fn tlsa_001(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    /// The ports a relay host is reached on; the first one inline (a host rarely has two).
    struct Ports {
        first: i64,
        more: Vec<i64>,
    }
    impl Ports {
        fn add(&mut self, port: i64) {
            if port != self.first && !self.more.contains(&port) {
                self.more.push(port);
            }
        }
        fn contains(&self, port: i64) -> bool {
            port == self.first || self.more.contains(&port)
        }
        fn all(&self) -> impl Iterator<Item = i64> + '_ {
            std::iter::once(self.first).chain(self.more.iter().copied())
        }
    }
    if input.records.of_type("TLSA").next().is_none() {
        return;
    }
    // Relay host → the ports senders reach it on (25 for MX, the SRV port for SecMX SRV targets).
    let mut relays: FastMap<&str, Ports> = FastMap::default();
    let mut mx_hosts: Vec<&str> = Vec::new();
    let mut mx_count = 0usize;
    let srv_owner = input.srv_owner();
    let reached = input
        .records
        .mx_of(input.domain)
        .map(|(_, _, x)| (x, 25, true))
        .chain(
            input
                .records
                .srv_at(&srv_owner)
                .map(|(_, _, _, p, t)| (t, p, false)),
        );
    for (host, port, is_mx) in reached {
        if host.is_empty() {
            continue;
        }
        match relays.get_mut(host) {
            Some(ports) => ports.add(port),
            None => {
                relays.insert(
                    host,
                    Ports {
                        first: port,
                        more: Vec::new(),
                    },
                );
                if is_mx {
                    mx_count += 1;
                    if mx_hosts.len() < 3 {
                        mx_hosts.push(host);
                    }
                }
            }
        }
    }
    let expected_mx = || -> String {
        if mx_hosts.is_empty() {
            "_25._tcp.<mx-host>".to_string()
        } else {
            let mut s: Vec<String> = mx_hosts.iter().map(|h| tlsa_owner(25, h)).collect();
            if mx_count > 3 {
                s.push("…".into());
            }
            s.join(", ")
        }
    };
    let mut previous: Option<&str> = None;
    let mut reported: FastSet<&str> = FastSet::default();
    for first in input.records.of_type("TLSA") {
        let owner = first.name.as_str();
        // Records of one RRset are usually adjacent: judge each owner once.
        if previous == Some(owner) {
            continue;
        }
        previous = Some(owner);
        let good = match split_owner(owner) {
            Some((port, host)) => relays.get(host).is_some_and(|p| p.contains(port)),
            None => false,
        };
        if good || !reported.insert(owner) {
            continue;
        }
        let n = input.records.at(owner, "TLSA").count();
        let (message, fix) = match split_owner(owner) {
            None => (
                format!(
                    "{n} TLSA record(s) at {} are not at a name of the form _<port>._tcp.<relay-host>; SMTP senders never look them up.",
                    if owner.is_empty() { "." } else { owner }
                ),
                format!(
                    "Move the records to _<port>._tcp.<relay-host>, e.g. {}.",
                    expected_mx()
                ),
            ),
            Some((port, host)) => match relays.get(host) {
                Some(ports) => {
                    let want: Vec<String> = ports.all().map(|p| tlsa_owner(p, host)).collect();
                    let ps: Vec<String> = ports.all().map(|p| p.to_string()).collect();
                    (
                        format!(
                            "{n} TLSA record(s) at {owner} are for port {port}, but senders reach {host} on port {} (25 as an MX host, the SRV port as a SecMX SRV target), so they look up {} and never see these.",
                            ps.join("/"),
                            want.join(" and ")
                        ),
                        format!("Publish the records at {} instead.", want.join(" and ")),
                    )
                }
                None if host == input.domain => (
                    format!(
                        "{n} TLSA record(s) at {owner} are at the mail domain {host}; DANE senders look TLSA up at each relay host name ({}), never at the mail domain.",
                        expected_mx()
                    ),
                    format!(
                        "Publish the records at {} (one RRset per relay host, for that host's key) and delete {owner}.",
                        expected_mx()
                    ),
                ),
                None => (
                    format!(
                        "{n} TLSA record(s) at {owner} are for {host}, which is neither an MX host nor a SecMX SRV target of {}; no sender looks them up for this domain.",
                        input.domain
                    ),
                    format!(
                        "Delete {owner}, or list {host} as a relay (MX or {}) if it is one.",
                        input.srv_owner()
                    ),
                ),
            },
        };
        out.push(rule.finding(input, owner, message, fix).at(first.origin));
    }
}

/// TLSA-002: certificate usage in {0, 1, 2, 3, 255}.
pub(super) fn tlsa_002(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    per_record(rule, input, out, |u, s, m, _| {
        (!matches!(u, 0..=3 | 255)).then(|| {
            (
                format!(
                    "certificate usage {u} is not defined (0–3, 255 = private use); senders treat the record as unusable."
                ),
                format!(
                    "Use usage 3 (DANE-EE, the server's own key) or 2 (DANE-TA, an issuing CA): e.g. \"3 {s} {m} …\"."
                ),
            )
        })
    });
}

/// TLSA-003: selector in {0, 1, 255}.
pub(super) fn tlsa_003(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    per_record(rule, input, out, |u, s, m, _| {
        (!matches!(s, 0 | 1 | 255)).then(|| {
            (
                format!(
                    "selector {s} is not defined (0 = full certificate, 1 = SubjectPublicKeyInfo, 255 = private use); senders treat the record as unusable."
                ),
                format!("Use selector 1 (the public key): \"{u} 1 {m} …\" with the digest recomputed over the SubjectPublicKeyInfo."),
            )
        })
    });
}

/// TLSA-004: matching type in {0, 1, 2, 255}.
pub(super) fn tlsa_004(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    per_record(rule, input, out, |u, s, m, _| {
        (!matches!(m, 0..=2 | 255)).then(|| {
            (
                format!(
                    "matching type {m} is not defined (0 = exact, 1 = SHA-256, 2 = SHA-512, 255 = private use); senders treat the record as unusable."
                ),
                format!("Use matching type 1 (SHA-256): \"{u} {s} 1 <64 hex digits>\"."),
            )
        })
    });
}

/// TLSA-005: association data is hex of the right size (or parseable DER for type 0); records that
/// did not even have the `usage selector matching data` shape.
pub(super) fn tlsa_005(rule: &Rule, input: &crate::rules::Facts<'_>, out: &mut Vec<Finding>) {
    for r in input.records.of_type("TLSA") {
        let (what, fix) = match &r.data {
            RData::Tlsa {
                selector,
                matching,
                data,
                ..
            } => match data_problem(*selector, *matching, data) {
                Some(p) => (
                    format!("TLSA {} at {}: {p}; senders treat the record as unusable.", show(r), r.name),
                    "Recompute the data from the server's key: for \"3 1 1\" the SHA-256 of its DER SubjectPublicKeyInfo, 64 hex digits (e.g. openssl x509 -noout -pubkey | openssl pkey -pubin -outform DER | sha256sum).".to_string(),
                ),
                None => continue,
            },
            RData::Other { data, .. } => (
                format!(
                    "The TLSA record at {} reads \"{data}\", which is not of the form \"<usage> <selector> <matching> <hex data>\"; it cannot be published.",
                    r.name
                ),
                "Write the record as four fields, e.g. \"3 1 1 <64 hex digits of the SHA-256 of the public key>\".".to_string(),
            ),
            _ => continue,
        };
        out.push(rule.finding(input, r.name.as_str(), what, fix).at(r.origin));
    }
}
