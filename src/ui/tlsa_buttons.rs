//! The relay editor's TLSA buttons (issue 12): records computed with [`crate::tlsagen`] from a
//! certificate (chain), key or CSR file, or from the chain the relay served at the last check (the
//! worker's probe), put straight into the selected relay's TLSA list as one undoable step. Nothing
//! is guessed: a chain without its issuer is refused with the reason, as by `secmx tlsa`.

use super::dialogs::Answer;
use super::editor::TlsaSource;
use super::history::EditKind;
use super::path_dialog::{self, PathDialog};
use super::{App, FilePurpose, NoticeLevel};
use crate::model::normalize_tlsa;
use crate::tlsagen::{self, ChainCert, Computed};
use std::path::Path;

impl App {
    /// A TLSA button was clicked.
    pub(super) fn tlsa_request(&mut self, source: TlsaSource) {
        match source {
            TlsaSource::File | TlsaSource::NextFile => {
                let next = source == TlsaSource::NextFile;
                let title = if next {
                    "Next key's TLSA from a certificate (chain), key or CSR file (PEM)"
                } else {
                    "TLSA from a certificate (chain), key or CSR file (PEM)"
                };
                let answer = if self.settings.builtin_file_dialog {
                    Answer::Unavailable
                } else {
                    self.dialogs.open_file(title)
                };
                match answer {
                    Answer::Path(p) => self.tlsa_from_file(&p, next),
                    Answer::Cancelled => {}
                    Answer::Unavailable => {
                        let dir = self.dialog_dir();
                        self.show_path_dialog(
                            PathDialog::new(title, path_dialog::Mode::Open, dir, ""),
                            if next {
                                FilePurpose::NextTlsaFile
                            } else {
                                FilePurpose::TlsaFile
                            },
                        );
                    }
                }
            }
            TlsaSource::LiveRelay => self.tlsa_from_live_relay(),
        }
    }

    /// The records of a PEM file into the selected relay's TLSA list, or its next key's (`next`).
    pub(super) fn tlsa_from_file(&mut self, path: &Path, next: bool) {
        match tlsagen::from_pem_file(path, true) {
            Ok(records) => self.add_tlsa(&records, &path.display().to_string(), next),
            Err(e) => self.notice(NoticeLevel::Error, format!("No TLSA records: {e}")),
        }
    }

    /// The records of the chain the selected relay served at the last check.
    fn tlsa_from_live_relay(&mut self) {
        let Some(relay) = self.draft.relays.get(self.editor.selected) else {
            return;
        };
        let host = crate::model::normalize_name(relay.host.trim());
        let port: u16 = relay.port.trim().parse().unwrap_or(25);
        let chains: Vec<Vec<ChainCert>> = self
            .live_report
            .iter()
            .flat_map(|r| r.probes.iter().flatten())
            .filter(|p| p.host == host && p.port == port)
            .filter_map(|p| p.certificate.as_ref())
            .filter(|c| !c.chain.is_empty())
            .map(|c| c.chain.iter().map(ChainCert::of_info).collect())
            .collect();
        if chains.is_empty() {
            let why = if self.live_report.is_none() {
                "no check has run yet: run one (F5), then ask again"
            } else {
                "the last check got no certificate from it (not probed, or no TLS)"
            };
            self.notice(
                NoticeLevel::Warning,
                format!("No TLSA records from {host}:{port}: {why}."),
            );
            return;
        }
        let mut records: Vec<Computed> = Vec::new();
        for chain in &chains {
            match tlsagen::from_chain(chain, true) {
                Ok(rs) => {
                    for r in rs {
                        if !records.contains(&r) {
                            records.push(r);
                        }
                    }
                }
                Err(e) => {
                    self.notice(
                        NoticeLevel::Error,
                        format!("No TLSA records from {host}:{port}: {e}"),
                    );
                    return;
                }
            }
        }
        self.add_tlsa(&records, &format!("the chain {host}:{port} served"), false);
    }

    /// Append the records the relay does not list yet (in its TLSA list, or its next key's when
    /// `next`), as one undoable step.
    fn add_tlsa(&mut self, records: &[Computed], from: &str, next: bool) {
        let i = self.editor.selected;
        let Some(r) = self.draft.relays.get(i) else {
            return;
        };
        let list = if next { &r.next.tlsa } else { &r.tlsa };
        let have: Vec<String> = list.lines().map(normalize_tlsa).collect();
        let new: Vec<String> = records
            .iter()
            .map(Computed::record)
            .filter(|x| !have.contains(x))
            .collect();
        if new.is_empty() {
            self.notice(
                NoticeLevel::Info,
                format!("The TLSA records of {from} are listed already."),
            );
            return;
        }
        let before = self.draft.clone();
        if let Some(r) = self.draft.relays.get_mut(i) {
            let list = if next { &mut r.next.tlsa } else { &mut r.tlsa };
            let mut text = list.trim_end().to_string();
            for x in &new {
                if !text.is_empty() {
                    text.push('\n');
                }
                text.push_str(x);
            }
            *list = text;
        }
        self.history.record(&before, EditKind::Step, 0);
        self.history.seal();
        self.baseline = self.draft.clone();
        self.dirty = true;
        self.recompute();
        let what: Vec<String> = records
            .iter()
            .filter(|c| new.contains(&c.record()))
            .map(|c| format!("{} ({})", c.record(), c.what))
            .collect();
        let to = if next { " to the next key" } else { "" };
        self.notice(
            NoticeLevel::Info,
            format!(
                "Added{to} from {from}: {} (Undo, Ctrl+Z, takes it back)",
                what.join("; ")
            ),
        );
    }
}
