//! Settings ▸ "Test resolver": the question goes to the worker (never asked on the UI thread), the
//! answer — the DNSKEYs at the top of the chain of trust, their TTL, the time it took and whether
//! they validated — is shown under the button, in words and with an icon, not in colour alone.

use super::*;
use crate::resolve::keys::KeyAnswer;
use crate::resolve::{Dnssec, Status};

/// The state of the test shown in the Settings window.
#[derive(Debug, Clone)]
pub(crate) enum ResolverTest {
    /// Asked, no answer yet.
    Running {
        /// The run the answer will carry.
        run: RunId,
        /// What was asked (the resolver, in words).
        asked: String,
    },
    /// The answer.
    Done(Box<KeyAnswer>),
}

/// How an answer reads: whether it is good, and the sentence.
pub fn answer_text(a: &KeyAnswer) -> (NoticeLevel, String) {
    if a.status != Status::Ok {
        let detail = a
            .detail
            .as_deref()
            .map(|d| format!(": {d}"))
            .unwrap_or_default();
        let why = match a.status {
            Status::Timeout => "no answer in time (timeout)".to_string(),
            Status::Nodata => format!("no DNSKEY at {} (NODATA)", a.zone),
            Status::Nxdomain => format!("{} does not exist (NXDOMAIN)", a.zone),
            s => format!("the query failed ({})", s.as_str()),
        };
        let bogus = if a.dnssec == Dnssec::Bogus {
            " — DNSSEC bogus"
        } else {
            ""
        };
        return (
            NoticeLevel::Error,
            format!("(!) Error: {why}{detail}{bogus} (after {:.0} ms)", a.ms),
        );
    }
    let keys: Vec<String> = a
        .keys
        .iter()
        .map(|k| {
            let kind = if k.ksk { "KSK" } else { "ZSK" };
            format!("{} ({kind}, {})", k.tag, k.algorithm)
        })
        .collect();
    let ttl = a.ttl.map(|t| format!("TTL {t} s")).unwrap_or_default();
    let facts = format!(
        "{} DNSKEY(s) of {}: key tag {}; {ttl}; {:.0} ms",
        a.keys.len(),
        a.zone,
        keys.join(", "),
        a.ms
    );
    match a.dnssec {
        Dnssec::Secure => (
            NoticeLevel::Info,
            format!("√ Validated (DNSSEC secure): {facts}"),
        ),
        Dnssec::Bogus => (
            NoticeLevel::Error,
            format!("(!) Bogus (DNSSEC validation failed): {facts}"),
        ),
        d => (
            NoticeLevel::Warning,
            format!("(!) Not validated (DNSSEC {}): {facts}", d.as_str()),
        ),
    }
}

impl App {
    /// The "Test resolver" button and what it found, as rows of the Settings grid.
    pub(super) fn resolver_test_ui(&mut self, ui: &mut Ui, resolver_ok: bool) {
        ui.label("Resolver test");
        let running = matches!(self.resolver_test, Some(ResolverTest::Running { .. }));
        let clicked = ui
            .add_enabled(
                resolver_ok && !running,
                egui::Button::new("Test resolver"),
            )
            .on_hover_text(
                "Ask the resolver above for the DNSKEYs at the top of the chain of trust (the root, or the trust anchor's zone), validated with the trust anchor, as a Look up would",
            )
            .on_disabled_hover_text("Fix the resolver address first, or wait for the test")
            .clicked();
        ui.end_row();
        if clicked {
            let run = self.new_run();
            let asked = self
                .settings
                .net
                .resolver
                .clone()
                .unwrap_or_else(|| "the system resolver".into());
            self.resolver_test = Some(ResolverTest::Running { run, asked });
            let settings = self.settings.net.clone();
            self.send(Command::TestResolver { run, settings });
        }
        let dark = ui.visuals().dark_mode;
        match &self.resolver_test {
            None => {}
            Some(ResolverTest::Running { asked, .. }) => {
                ui.label("");
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(format!("Asking {asked}…"));
                });
                ui.end_row();
            }
            Some(ResolverTest::Done(a)) => {
                let (level, text) = answer_text(a);
                let colour = match level {
                    NoticeLevel::Info => palette::ok(dark),
                    NoticeLevel::Warning => palette::warning(dark),
                    NoticeLevel::Error => palette::error(dark),
                };
                ui.label("");
                ui.add(egui::Label::new(RichText::new(text).color(colour)).wrap());
                ui.end_row();
            }
        }
    }

    /// The worker's answer to a test; the answer of an older test is dropped.
    pub(super) fn apply_resolver_test(&mut self, run: RunId, answer: Box<KeyAnswer>) {
        match &self.resolver_test {
            Some(ResolverTest::Running { run: r, .. }) if *r == run => {
                self.resolver_test = Some(ResolverTest::Done(answer));
            }
            _ => self.stale_events += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::keys::KeyInfo;

    fn answer(status: Status, dnssec: Dnssec) -> KeyAnswer {
        KeyAnswer {
            zone: ".".into(),
            keys: if status == Status::Ok {
                vec![
                    KeyInfo {
                        tag: 20326,
                        flags: 257,
                        ksk: true,
                        algorithm: "RSASHA256".into(),
                    },
                    KeyInfo {
                        tag: 1234,
                        flags: 256,
                        ksk: false,
                        algorithm: "RSASHA256".into(),
                    },
                ]
            } else {
                Vec::new()
            },
            ttl: (status == Status::Ok).then_some(172800),
            dnssec,
            status,
            detail: (status != Status::Ok).then(|| "connection refused".into()),
            ms: 41.2,
        }
    }

    #[test]
    fn answers_read_in_words() {
        let (l, t) = answer_text(&answer(Status::Ok, Dnssec::Secure));
        assert_eq!(l, NoticeLevel::Info);
        assert_eq!(
            t,
            "√ Validated (DNSSEC secure): 2 DNSKEY(s) of .: key tag 20326 (KSK, RSASHA256), 1234 (ZSK, RSASHA256); TTL 172800 s; 41 ms"
        );
        let (l, t) = answer_text(&answer(Status::Ok, Dnssec::Insecure));
        assert_eq!(l, NoticeLevel::Warning);
        assert!(t.starts_with("(!) Not validated (DNSSEC insecure)"), "{t}");
        let (l, t) = answer_text(&answer(Status::Servfail, Dnssec::Bogus));
        assert_eq!(l, NoticeLevel::Error);
        assert!(t.contains("servfail") && t.contains("DNSSEC bogus"), "{t}");
        let (_, t) = answer_text(&answer(Status::Timeout, Dnssec::Indeterminate));
        assert!(t.starts_with("(!) Error: no answer in time"), "{t}");
    }
}
