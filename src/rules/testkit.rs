#![cfg(test)]
//! Test support for rule unit tests: build the records of a catalogue example in a line each, run
//! one rule, and assert that it fires (Fail example) or stays quiet (Pass example).

use super::{Finding, Input, Options, Severity, rule};
use crate::model::{Level, Profile, RData, Record, RecordSet, Relay, Role};
use std::net::IpAddr;

/// `owner MX pref exchange` (exchange `"."` = root).
pub fn mx(owner: &str, pref: i64, exchange: &str) -> Record {
    Record::new(
        n(owner),
        3600,
        RData::Mx {
            preference: pref,
            exchange: n(exchange),
        },
    )
}

/// `owner SRV prio weight port target`.
pub fn srv(owner: &str, prio: i64, weight: i64, port: i64, target: &str) -> Record {
    Record::new(
        n(owner),
        3600,
        RData::Srv {
            priority: prio,
            weight,
            port,
            target: n(target),
        },
    )
}

/// `owner A|AAAA addr`.
pub fn addr(owner: &str, a: &str) -> Record {
    let ip: IpAddr = a.parse().expect("test address");
    let data = match ip {
        IpAddr::V4(v) => RData::A(v),
        IpAddr::V6(v) => RData::Aaaa(v),
    };
    Record::new(n(owner), 3600, data)
}

/// `owner TXT "s1" "s2" …`.
pub fn txt(owner: &str, strings: &[&str]) -> Record {
    Record::new(
        n(owner),
        3600,
        RData::Txt(strings.iter().map(|s| s.to_string()).collect()),
    )
}

/// `owner CNAME target`.
pub fn cname(owner: &str, target: &str) -> Record {
    Record::new(n(owner), 3600, RData::Cname(n(target)))
}

/// `owner TLSA u s m data`.
pub fn tlsa(owner: &str, u: i64, s: i64, m: i64, data: &str) -> Record {
    Record::new(
        n(owner),
        3600,
        RData::Tlsa {
            usage: u,
            selector: s,
            matching: m,
            data: data.to_ascii_lowercase(),
        },
    )
}

/// Set a record's TTL.
pub fn ttl(mut r: Record, ttl: i64) -> Record {
    r.ttl = ttl;
    r
}

/// 64 hex digits (a SHA-256 digest) made of one repeated digit.
pub fn h256(c: char) -> String {
    c.to_string().repeat(64)
}

/// 128 hex digits (a SHA-512 digest).
pub fn h512(c: char) -> String {
    c.to_string().repeat(128)
}

fn n(s: &str) -> String {
    let t = s.trim();
    if t == "." {
        return String::new();
    }
    t.strip_suffix('.').unwrap_or(t).to_ascii_lowercase()
}

/// One example: records plus the design facts around them.
#[derive(Clone)]
pub struct Case {
    /// Mail domain (default `agency.example`).
    pub domain: String,
    /// Level.
    pub level: Level,
    /// Profile.
    pub profile: Profile,
    /// SRV label.
    pub srv_label: String,
    /// Design relays (roles).
    pub relays: Vec<Relay>,
    /// Records.
    pub records: RecordSet,
    /// MTA-STS policy text.
    pub sts_policy: Option<String>,
    /// STS-021 history.
    pub issued_for: Option<String>,
    /// Options.
    pub options: Options,
}

impl Default for Case {
    fn default() -> Self {
        Case {
            domain: "agency.example".into(),
            level: Level::L1,
            profile: Profile::Secmx,
            srv_label: "_secmx".into(),
            relays: Vec::new(),
            records: RecordSet::new(),
            sts_policy: None,
            issued_for: None,
            options: Options {
                test_domain: true,
                secure_only: false,
            },
        }
    }
}

impl Case {
    /// A case for `agency.example` with these records.
    pub fn new(records: Vec<Record>) -> Self {
        Case {
            records: records.into_iter().collect(),
            ..Case::default()
        }
    }
    /// Another mail domain.
    pub fn domain(mut self, d: &str) -> Self {
        self.domain = d.into();
        self
    }
    /// Level 2.
    pub fn l2(mut self) -> Self {
        self.level = Level::L2;
        self
    }
    /// SGE profile.
    pub fn sge(mut self) -> Self {
        self.profile = Profile::Sge;
        self
    }
    /// Another SRV label.
    pub fn srv_label(mut self, l: &str) -> Self {
        self.srv_label = l.into();
        self
    }
    /// A design relay (role).
    pub fn relay(mut self, host: &str, role: Role, port: i64) -> Self {
        let mut r = Relay::new(host, role);
        r.port = port;
        self.relays.push(r);
        self
    }
    /// The MTA-STS policy text (`\n` line ends are fine).
    pub fn policy(mut self, text: &str) -> Self {
        self.sts_policy = Some(text.into());
        self
    }
    /// The STS-021 history hash.
    pub fn issued_for(mut self, h: &str) -> Self {
        self.issued_for = Some(h.into());
        self
    }
    /// Not a test domain (MX-005/MX-006 judge addresses and TLDs).
    pub fn production(mut self) -> Self {
        self.options.test_domain = false;
        self
    }
    /// Declared secure-only.
    pub fn secure_only(mut self) -> Self {
        self.options.secure_only = true;
        self
    }

    /// The rule input.
    pub fn input(&self) -> Input<'_> {
        Input {
            domain: &self.domain,
            level: self.level,
            profile: self.profile,
            srv_label: &self.srv_label,
            relays: &self.relays,
            records: &self.records,
            sts_policy: self.sts_policy.as_deref(),
            sts_policy_issued_for: self.issued_for.as_deref(),
            options: self.options,
            live: None,
            probes: None,
            dkim_selectors: &[],
        }
    }

    /// Run one rule.
    pub fn run(&self, id: &str) -> Vec<Finding> {
        let r = rule(id).unwrap_or_else(|| panic!("no rule {id}"));
        let check = r.check.unwrap_or_else(|| panic!("{id} is not implemented"));
        let mut out = Vec::new();
        check(r, &crate::rules::Facts::new(self.input()), &mut out);
        for f in &out {
            assert_eq!(f.rule, id, "a check may only emit its own rule id");
        }
        out
    }

    /// Assert the rule fires; returns its findings.
    #[track_caller]
    pub fn fails(&self, id: &str) -> Vec<Finding> {
        let out = self.run(id);
        assert!(!out.is_empty(), "{id} should fire but stayed quiet");
        out
    }

    /// Assert the rule fires at this severity.
    #[track_caller]
    pub fn fails_with(&self, id: &str, sev: Severity) -> Vec<Finding> {
        let out = self.fails(id);
        assert!(
            out.iter().any(|f| f.severity == sev),
            "{id} fired but not at {sev}: {out:?}"
        );
        out
    }

    /// Assert the rule stays quiet.
    #[track_caller]
    pub fn passes(&self, id: &str) {
        let out = self.run(id);
        assert!(out.is_empty(), "{id} should pass but fired: {out:?}");
    }
}
