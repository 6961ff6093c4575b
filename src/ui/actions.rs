//! The window's file and recovery actions behind one [`Action`] enum, carried out in one place
//! ([`App::act`]). Menus, buttons and shortcuts only push an action ([`App::push`]); the frame
//! carries the pushed actions out after drawing ([`App::run_actions`]). The unsaved-changes
//! dialog answers a [`GuardAnswer`], the start page a [`StartChoice`].

use super::*;

/// A file or recovery action of the window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// File ▸ New (asks first when there are unsaved changes).
    New,
    /// File ▸ Open, or a recent file (asks first when there are unsaved changes).
    Open(Option<PathBuf>),
    /// File ▸ Save.
    Save,
    /// File ▸ Save As….
    SaveAs,
    /// Save the zone snippet to a file.
    ExportZone,
    /// Save the MTA-STS policy to a file.
    ExportPolicy,
    /// Published (DNS) ▸ Import from DNS (asks first when there are unsaved changes).
    ImportDns,
    /// Restore the recovery copy at this path (the notice that offers it goes).
    RestoreRecovery(PathBuf),
    /// Delete the recovery copy at this path (the notice that offers it goes).
    DiscardRecovery(PathBuf),
    /// File ▸ Quit (asks first when there are unsaved changes).
    Quit,
}

/// The unsaved-changes dialog's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GuardAnswer {
    /// Save, then carry out the held action.
    Save,
    /// Drop the changes and carry out the held action.
    DontSave,
    /// Keep the changes; the held action is dropped.
    Cancel,
}

/// The start page's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartChoice {
    /// Look the domain up and import what DNS publishes.
    LookUpAndImport,
    /// A blank design for the domain.
    StartBlank,
    /// Open a design file.
    OpenDesign,
    /// Keep the example shown.
    Example,
}

impl App {
    /// Queue an action; it is carried out at the end of the frame.
    pub fn push(&mut self, action: Action) {
        self.actions.push(action);
    }

    /// Carry out the queued actions, in the order they were pushed.
    pub(super) fn run_actions(&mut self, ctx: &egui::Context) {
        for a in std::mem::take(&mut self.actions) {
            self.act(ctx, a);
        }
    }

    /// Carry out one action now.
    pub fn act(&mut self, ctx: &egui::Context, action: Action) {
        match action {
            Action::New => self.request(ctx, Pending::New),
            Action::Open(path) => self.request(ctx, Pending::Open(path)),
            Action::ImportDns => self.request(ctx, Pending::ImportDns),
            Action::Quit => self.request(ctx, Pending::Quit),
            Action::Save => {
                self.save();
            }
            Action::SaveAs => {
                self.save_as();
            }
            Action::ExportZone => {
                let suggested = format!("{}.zone", self.design.domain.as_str());
                self.save_text("zone snippet", suggested, self.zone_text.clone());
            }
            Action::ExportPolicy => {
                self.save_text(
                    "MTA-STS policy",
                    "mta-sts.txt".to_string(),
                    self.sts_text.clone(),
                );
            }
            Action::RestoreRecovery(path) => {
                self.drop_recovery_notice(&path);
                match project::load_design(&path) {
                    Ok(d) => {
                        self.untitled = "Recovered design".into();
                        self.replace(d, None);
                        self.dirty = true;
                    }
                    Err(e) => self.notice(
                        NoticeLevel::Error,
                        format!("The recovery copy could not be read: {e}."),
                    ),
                }
            }
            Action::DiscardRecovery(path) => {
                let _ = std::fs::remove_file(&path);
                self.drop_recovery_notice(&path);
            }
        }
    }

    /// The unsaved-changes dialog answered `answer` for the held action `p`.
    pub(super) fn answer_guard(&mut self, ctx: &egui::Context, p: Pending, answer: GuardAnswer) {
        self.pending = None;
        match answer {
            GuardAnswer::Save => {
                if self.save_then(Some(p.clone())) {
                    self.perform(ctx, p);
                }
            }
            GuardAnswer::DontSave => {
                self.dirty = false;
                self.remove_recovery();
                self.perform(ctx, p);
            }
            GuardAnswer::Cancel => {}
        }
    }

    fn drop_recovery_notice(&mut self, path: &Path) {
        if let Some(i) = self
            .notices
            .iter()
            .position(|n| n.recover.as_deref() == Some(path))
        {
            self.notices.remove(i);
        }
    }
}
