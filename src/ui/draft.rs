//! The editable form of a design: raw strings as the user types them. [`DesignDraft::parse`] turns
//! them into a [`Design`] on every edit and names each field that does not parse, so the editor
//! shows the error next to it. No egui here: this is plain data, unit-tested on its own.

use crate::model::{
    Design, DomainName, Level, MtaSts, Profile, Relay, Role, SgeTexts, StsMode, TlsRpt,
    normalize_name,
};
use std::net::IpAddr;

/// A field of the editor, for error placement and for focusing from a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// The mail domain.
    Domain,
    /// The SRV service label.
    SrvLabel,
    /// The default TTL.
    Ttl,
    /// A field of relay number `n`.
    Relay(usize, RelayField),
    /// MTA-STS mode.
    StsMode,
    /// MTA-STS `max_age`.
    StsMaxAge,
    /// MTA-STS `mx:` patterns.
    StsMx,
    /// TLS-RPT destinations.
    Rua,
    /// SGE SPF text.
    Spf,
    /// SGE DMARC text.
    Dmarc,
    /// SGE DKIM selectors.
    DkimSelectors,
}

/// A field of one relay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RelayField {
    /// Host name.
    Host,
    /// TCP port.
    Port,
    /// MX preference.
    Preference,
    /// SRV priority.
    Priority,
    /// SRV weight.
    Weight,
    /// Addresses.
    Addresses,
    /// TLSA records.
    Tlsa,
    /// The next key's TLSA records (a rollover).
    NextTlsa,
}

/// One relay as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct RelayDraft {
    /// Host name.
    pub host: String,
    /// BER or SOR.
    pub role: Role,
    /// Port.
    pub port: String,
    /// MX preference.
    pub preference: String,
    /// SRV priority.
    pub priority: String,
    /// SRV weight.
    pub weight: String,
    /// Also listed under the SecMX SRV label (BER).
    pub also_srv: bool,
    /// Addresses, separated by commas or spaces.
    pub addresses: String,
    /// TLSA records, one per line.
    pub tlsa: String,
    /// The next key of a rollover: `next_tlsa` is edited as text (one record per line); `next_key`
    /// and its record are kept as loaded (plan, TLSA-017, saving).
    pub next: NextKey,
}

/// A relay's next key as the design file gives it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NextKey {
    /// `next_tlsa`, one record per line.
    pub tlsa: String,
    /// `next_key` (a file name).
    pub key: Option<String>,
    /// The record of `next_key`, or why there is none.
    pub key_record: Option<Result<String, String>>,
}

impl RelayDraft {
    /// A new relay of a role with the usual defaults.
    pub fn new(host: &str, role: Role) -> Self {
        Self::from_relay(&Relay::new(host, role))
    }

    /// The draft of a relay.
    pub fn from_relay(r: &Relay) -> Self {
        RelayDraft {
            host: r.host.clone(),
            role: r.role,
            port: r.port.to_string(),
            preference: r.preference.to_string(),
            priority: r.priority.to_string(),
            weight: r.weight.to_string(),
            also_srv: r.also_srv,
            addresses: r
                .addresses
                .iter()
                .map(IpAddr::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            tlsa: r.tlsa.join("\n"),
            next: NextKey {
                tlsa: r.next_tlsa.join("\n"),
                key: r.next_key.clone(),
                key_record: r.next_key_record.clone(),
            },
        }
    }

    /// Listed under the SecMX SRV label.
    pub fn in_srv(&self) -> bool {
        self.role == Role::Sor || self.also_srv
    }
}

/// A whole design as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct DesignDraft {
    /// Mail domain.
    pub domain: String,
    /// Level.
    pub level: Level,
    /// Profile.
    pub profile: Profile,
    /// SRV label.
    pub srv_label: String,
    /// TTL.
    pub ttl: String,
    /// Null MX.
    pub null_mx: bool,
    /// Test domain.
    pub test_domain: bool,
    /// Secure only.
    pub secure_only: bool,
    /// Relays.
    pub relays: Vec<RelayDraft>,
    /// MTA-STS deployed.
    pub sts_enabled: bool,
    /// MTA-STS mode.
    pub sts_mode: StsMode,
    /// MTA-STS max_age.
    pub sts_max_age: String,
    /// MTA-STS id (empty = derived).
    pub sts_id: String,
    /// MTA-STS mx patterns, comma separated (empty = the BER hosts).
    pub sts_mx: String,
    /// The policy hash the id was issued for (kept, not edited).
    pub sts_policy_sha256: Option<String>,
    /// TLS-RPT deployed.
    pub rpt_enabled: bool,
    /// TLS-RPT destinations, comma separated.
    pub rpt_rua: String,
    /// SGE SPF text.
    pub sge_spf: String,
    /// SGE DMARC text.
    pub sge_dmarc: String,
    /// SGE DKIM selectors, comma separated or one per line.
    pub sge_dkim_selectors: String,
}

/// The result of parsing a draft: a design when every field parsed, else the errors per field.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The design, when there were no errors.
    pub design: Option<Design>,
    /// Field errors, in editor order.
    pub errors: Vec<(Field, String)>,
}

fn split_list(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|p| !p.is_empty())
}

fn int(s: &str, what: &str, field: Field, errors: &mut Vec<(Field, String)>) -> i64 {
    match s.trim().parse::<i64>() {
        Ok(n) => n,
        Err(_) => {
            let shown = if s.trim().is_empty() {
                "empty"
            } else {
                s.trim()
            };
            errors.push((field, format!("{what} must be a whole number, not {shown}")));
            0
        }
    }
}

impl DesignDraft {
    /// The draft of a design.
    pub fn from_design(d: &Design) -> Self {
        let sts = d.mta_sts.as_ref();
        DesignDraft {
            domain: d.domain.to_unicode(),
            level: d.level,
            profile: d.profile,
            srv_label: d.srv_label.clone(),
            ttl: d.ttl.to_string(),
            null_mx: d.null_mx,
            test_domain: d.test_domain,
            secure_only: d.secure_only,
            relays: d.relays.iter().map(RelayDraft::from_relay).collect(),
            sts_enabled: sts.is_some(),
            sts_mode: sts.map_or(StsMode::Testing, |s| s.mode),
            sts_max_age: sts.map_or(604_800, |s| s.max_age).to_string(),
            sts_id: sts.and_then(|s| s.id.clone()).unwrap_or_default(),
            sts_mx: sts.map(|s| s.mx.join(", ")).unwrap_or_default(),
            sts_policy_sha256: sts.and_then(|s| s.policy_sha256.clone()),
            rpt_enabled: d.tls_rpt.is_some(),
            rpt_rua: d
                .tls_rpt
                .as_ref()
                .map(|r| r.rua.join(", "))
                .unwrap_or_default(),
            sge_spf: d
                .sge
                .as_ref()
                .and_then(|s| s.spf.clone())
                .unwrap_or_default(),
            sge_dmarc: d
                .sge
                .as_ref()
                .and_then(|s| s.dmarc.clone())
                .unwrap_or_default(),
            sge_dkim_selectors: d
                .sge
                .as_ref()
                .map(|s| s.dkim_selectors.join(", "))
                .unwrap_or_default(),
        }
    }

    /// The raw text of a text field (`None` for choices and for relays that do not exist).
    pub fn text_of(&mut self, field: Field) -> Option<&mut String> {
        Some(match field {
            Field::Domain => &mut self.domain,
            Field::SrvLabel => &mut self.srv_label,
            Field::Ttl => &mut self.ttl,
            Field::StsMode => return None,
            Field::StsMaxAge => &mut self.sts_max_age,
            Field::StsMx => &mut self.sts_mx,
            Field::Rua => &mut self.rpt_rua,
            Field::Spf => &mut self.sge_spf,
            Field::Dmarc => &mut self.sge_dmarc,
            Field::DkimSelectors => &mut self.sge_dkim_selectors,
            Field::Relay(i, rf) => {
                let r = self.relays.get_mut(i)?;
                match rf {
                    RelayField::Host => &mut r.host,
                    RelayField::Port => &mut r.port,
                    RelayField::Preference => &mut r.preference,
                    RelayField::Priority => &mut r.priority,
                    RelayField::Weight => &mut r.weight,
                    RelayField::Addresses => &mut r.addresses,
                    RelayField::Tlsa => &mut r.tlsa,
                    RelayField::NextTlsa => &mut r.next.tlsa,
                }
            }
        })
    }

    /// This draft with the named fields' text taken from `last` (the last valid design's draft),
    /// and those fields with the text used: what the findings judge while the fields are invalid.
    /// `None` when a field has no counterpart (a relay added since).
    pub fn with_fields_from(
        &self,
        last: &DesignDraft,
        fields: &[Field],
    ) -> Option<(DesignDraft, Vec<(Field, String)>)> {
        let mut merged = self.clone();
        let mut last = last.clone();
        let mut used = Vec::new();
        for &f in fields {
            let src = last.text_of(f)?.clone();
            *merged.text_of(f)? = src.clone();
            if !used.iter().any(|(g, _)| *g == f) {
                used.push((f, src));
            }
        }
        Some((merged, used))
    }

    /// Parse every field; see [`Parsed`].
    pub fn parse(&self) -> Parsed {
        let mut errors = Vec::new();
        let domain = match DomainName::parse(&self.domain) {
            Ok(d) => Some(d),
            Err(e) => {
                errors.push((Field::Domain, e.to_string()));
                None
            }
        };
        let srv_label = self.srv_label.trim().to_string();
        if srv_label.is_empty() {
            errors.push((
                Field::SrvLabel,
                "the SRV label is empty; the default is _secmx".into(),
            ));
        }
        for label in srv_label.split('.').filter(|_| !srv_label.is_empty()) {
            if label.is_empty() {
                errors.push((Field::SrvLabel, format!("`{srv_label}` has an empty label")));
            } else if label.len() > 63 {
                errors.push((
                    Field::SrvLabel,
                    format!(
                        "a label of the SRV label is {} octets long; at most 63 are allowed",
                        label.len()
                    ),
                ));
            }
        }
        let ttl = int(&self.ttl, "TTL", Field::Ttl, &mut errors);
        let mut relays = Vec::with_capacity(self.relays.len());
        for (i, r) in self.relays.iter().enumerate() {
            let f = |rf| Field::Relay(i, rf);
            let host = normalize_name(&r.host);
            if host.is_empty() {
                errors.push((f(RelayField::Host), "the host name is empty".into()));
            } else if let Err(e) = DomainName::parse(&host) {
                errors.push((f(RelayField::Host), e.to_string()));
            }
            let mut relay = Relay::new(host, r.role);
            relay.port = int(&r.port, "port", f(RelayField::Port), &mut errors);
            if r.role == Role::Ber {
                relay.preference = int(
                    &r.preference,
                    "preference",
                    f(RelayField::Preference),
                    &mut errors,
                );
            }
            if r.in_srv() {
                relay.priority = int(
                    &r.priority,
                    "priority",
                    f(RelayField::Priority),
                    &mut errors,
                );
                relay.weight = int(&r.weight, "weight", f(RelayField::Weight), &mut errors);
            }
            relay.also_srv = r.also_srv;
            for a in split_list(&r.addresses) {
                match a.parse::<IpAddr>() {
                    Ok(ip) => relay.addresses.push(ip),
                    Err(_) => errors.push((
                        f(RelayField::Addresses),
                        format!("`{a}` is not an IPv4 or IPv6 address"),
                    )),
                }
            }
            relay.tlsa = r
                .tlsa
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect();
            relay.next_tlsa = r
                .next
                .tlsa
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect();
            relay.next_key = r.next.key.clone();
            relay.next_key_record = r.next.key_record.clone();
            relays.push(relay);
        }
        let mta_sts = if self.sts_enabled {
            Some(MtaSts {
                mode: self.sts_mode,
                max_age: int(&self.sts_max_age, "max_age", Field::StsMaxAge, &mut errors),
                id: Some(self.sts_id.trim().to_string()).filter(|s| !s.is_empty()),
                mx: split_list(&self.sts_mx).map(str::to_string).collect(),
                policy_sha256: self.sts_policy_sha256.clone(),
            })
        } else {
            None
        };
        let tls_rpt = self.rpt_enabled.then(|| TlsRpt {
            rua: split_list(&self.rpt_rua).map(str::to_string).collect(),
        });
        let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let mut dkim_selectors: Vec<String> = Vec::new();
        if self.profile == Profile::Sge {
            let domain_text = domain.as_ref().map_or("", |d| d.as_str());
            for sel in split_list(&self.sge_dkim_selectors) {
                let name = normalize_name(sel);
                match crate::model::dkim_selector_error(&name, domain_text) {
                    Some(e) => errors.push((Field::DkimSelectors, e)),
                    None if !dkim_selectors.contains(&name) => dkim_selectors.push(name),
                    None => {}
                }
            }
        }
        let sge = (self.profile == Profile::Sge
            && (text(&self.sge_spf).is_some()
                || text(&self.sge_dmarc).is_some()
                || !dkim_selectors.is_empty()))
        .then(|| SgeTexts {
            spf: text(&self.sge_spf),
            dmarc: text(&self.sge_dmarc),
            dkim_selectors,
        });
        let design = match domain {
            Some(domain) if errors.is_empty() => {
                let mut d = Design::new(domain);
                d.level = self.level;
                d.profile = self.profile;
                d.srv_label = srv_label;
                d.ttl = ttl;
                d.null_mx = self.null_mx;
                d.test_domain = self.test_domain;
                d.secure_only = self.secure_only;
                d.relays = relays;
                d.mta_sts = mta_sts;
                d.tls_rpt = tls_rpt;
                d.sge = sge;
                Some(d)
            }
            _ => None,
        };
        Parsed { design, errors }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used, clippy::unwrap_used)]
    use super::*;

    fn example() -> Design {
        crate::project::parse_design(
            include_str!("../../assets/examples/level2.secmx.toml"),
            "level2",
        )
        .unwrap()
    }

    #[test]
    fn a_design_survives_the_draft_round_trip() {
        let d = example();
        let back = DesignDraft::from_design(&d).parse();
        assert!(back.errors.is_empty(), "{:?}", back.errors);
        assert_eq!(back.design.unwrap(), d);
    }

    #[test]
    fn every_bad_address_and_a_bad_host_are_named() {
        let mut draft = DesignDraft::from_design(&example());
        draft.relays[0].addresses = "nope, 192.0.2.1, nada".into();
        draft.relays[1].host = format!("{}.example", "x".repeat(300));
        let p = draft.parse();
        let f0 = Field::Relay(0, RelayField::Addresses);
        let msgs: Vec<&str> = p
            .errors
            .iter()
            .filter(|(f, _)| *f == f0)
            .map(|(_, m)| m.as_str())
            .collect();
        assert_eq!(msgs.len(), 2, "{msgs:?}");
        assert!(msgs[1].contains("`nada`"));
        assert!(
            p.errors
                .iter()
                .any(|(f, _)| *f == Field::Relay(1, RelayField::Host))
        );
        // The valid rest is judged with the last valid value of the bad fields.
        let last = DesignDraft::from_design(&example());
        let fields: Vec<Field> = p.errors.iter().map(|(f, _)| *f).collect();
        let (merged, used) = draft.with_fields_from(&last, &fields).unwrap();
        assert_eq!(used.len(), 2);
        assert_eq!(merged.parse().design.unwrap(), example());
    }

    #[test]
    fn bad_fields_are_named() {
        let mut draft = DesignDraft::from_design(&example());
        draft.ttl = "an hour".into();
        draft.relays[1].addresses = "192.0.2.1, nope".into();
        let p = draft.parse();
        assert!(p.design.is_none());
        let fields: Vec<Field> = p.errors.iter().map(|(f, _)| *f).collect();
        assert_eq!(
            fields,
            vec![Field::Ttl, Field::Relay(1, RelayField::Addresses)]
        );
    }

    #[test]
    fn dkim_selectors_are_edited_as_a_list() {
        let mut draft = DesignDraft::from_design(&example());
        draft.profile = Profile::Sge;
        draft.sge_dkim_selectors = "s1, S2\n2026.mail".into();
        let p = draft.parse();
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        let d = p.design.unwrap();
        assert_eq!(
            d.sge.as_ref().unwrap().dkim_selectors,
            vec!["s1", "s2", "2026.mail"]
        );
        assert_eq!(DesignDraft::from_design(&d).parse().design.unwrap(), d);
        draft.sge_dkim_selectors = "s1, s_2".into();
        let p = draft.parse();
        assert!(p.design.is_none());
        assert_eq!(p.errors.len(), 1);
        assert_eq!(p.errors[0].0, Field::DkimSelectors);
        assert!(p.errors[0].1.contains("`s_2`"), "{:?}", p.errors);
    }
}
