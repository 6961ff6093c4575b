//! [`Facts`]: what the rules derive from one [`Input`], built once per run and shared by the checks (which run one after another on the caller's thread).
//!
//! Several checks walk the same derived lists (every name of the set, the relay hosts, the TLSA
//! RRsets, the wire sizes, the parsed MTA-STS policy). Each is a named field, built on first use
//! (`OnceCell`) and then read by every later check of the same run; the fields hold record indexes
//! into [`Input::records`], never borrowed records, and nothing outlives the run.

use super::Input;
use std::cell::OnceCell;

/// The input of one run plus the facts the checks derive from it (see the module documentation).
/// Dereferences to the [`Input`], so a check reads `facts.domain`, `facts.records` as before.
pub struct Facts<'a> {
    input: Input<'a>,
    /// Every owner and target name of the set (record index, place), see `name::each_name`.
    pub(crate) name_uses: OnceCell<Vec<(usize, super::name::Place)>>,
    /// The names used as relay hosts (record index, kind, offset of the host in the owner), see
    /// `name::relay_hosts`.
    pub(crate) relay_hosts: OnceCell<Vec<(usize, &'static str, usize)>>,
    /// The MX relay hosts of the domain with their TLSA and TLS-RPT facts (XR rules).
    pub(crate) mx_relays: OnceCell<Vec<super::xr::HostFacts>>,
    /// The SecMX SRV relay hosts with their TLSA and TLS-RPT facts (XR rules).
    pub(crate) srv_relays: OnceCell<Vec<super::xr::HostFacts>>,
    /// The wire sizes of the RRsets (NAME size rules).
    pub(crate) wire_sizes: OnceCell<super::wire::Sizes>,
    /// The TLSA RRsets as runs of record indexes (TLSA rules).
    pub(crate) tlsa_runs: OnceCell<super::tlsa::TlsaRuns>,
    /// The MTA-STS policy text of the input, parsed (STS rules, SGE-002).
    sts_policy: OnceCell<Option<crate::model::sts::PolicyText>>,
}

impl<'a> Facts<'a> {
    /// The facts of `input`, none derived yet.
    pub fn new(input: Input<'a>) -> Self {
        Facts {
            input,
            name_uses: OnceCell::new(),
            relay_hosts: OnceCell::new(),
            mx_relays: OnceCell::new(),
            srv_relays: OnceCell::new(),
            wire_sizes: OnceCell::new(),
            tlsa_runs: OnceCell::new(),
            sts_policy: OnceCell::new(),
        }
    }

    /// The input the facts are derived from.
    pub fn input(&self) -> &Input<'a> {
        &self.input
    }

    /// The input's MTA-STS policy text, parsed once.
    pub(crate) fn policy(&self) -> Option<&crate::model::sts::PolicyText> {
        self.sts_policy
            .get_or_init(|| {
                self.input
                    .sts_policy
                    .map(crate::model::sts::PolicyText::parse)
            })
            .as_ref()
    }
}

impl<'a> std::ops::Deref for Facts<'a> {
    type Target = Input<'a>;

    fn deref(&self) -> &Input<'a> {
        &self.input
    }
}
