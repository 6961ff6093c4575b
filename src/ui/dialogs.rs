//! The file-dialog seam: the window asks a [`Dialogs`] for paths; the desktop uses rfd's native
//! dialogs (on the main thread, where they must run), tests substitute a scripted answer.

use std::path::PathBuf;

/// Asks the user for file paths.
pub trait Dialogs {
    /// A design to open (`None` = cancelled).
    fn open_design(&mut self) -> Option<PathBuf>;
    /// Where to save a design (`None` = cancelled). `suggested` is a file name.
    fn save_design(&mut self, suggested: &str) -> Option<PathBuf>;
    /// Where to save an exported text (`None` = cancelled).
    fn save_text(&mut self, title: &str, suggested: &str) -> Option<PathBuf>;
}

/// Native dialogs through rfd (xdg-desktop-portal on Linux; `None` when no portal answers).
#[derive(Debug, Default)]
pub struct NativeDialogs;

impl Dialogs for NativeDialogs {
    fn open_design(&mut self) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .set_title("Open a SecMX design")
            .add_filter("SecMX design", &["toml"])
            .pick_file()
    }

    fn save_design(&mut self, suggested: &str) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .set_title("Save the SecMX design")
            .add_filter("SecMX design", &["toml"])
            .set_file_name(suggested)
            .save_file()
    }

    fn save_text(&mut self, title: &str, suggested: &str) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .set_title(title)
            .set_file_name(suggested)
            .save_file()
    }
}

/// Scripted answers, for tests: each call pops the next answer (`None` when none is left).
#[derive(Debug, Default, Clone)]
pub struct ScriptedDialogs {
    /// Answers, first used first.
    pub answers: std::collections::VecDeque<Option<PathBuf>>,
}

impl ScriptedDialogs {
    /// Dialogs that answer with these paths in turn.
    pub fn new(answers: impl IntoIterator<Item = Option<PathBuf>>) -> Self {
        ScriptedDialogs {
            answers: answers.into_iter().collect(),
        }
    }

    fn next(&mut self) -> Option<PathBuf> {
        self.answers.pop_front().flatten()
    }
}

impl Dialogs for ScriptedDialogs {
    fn open_design(&mut self) -> Option<PathBuf> {
        self.next()
    }
    fn save_design(&mut self, _suggested: &str) -> Option<PathBuf> {
        self.next()
    }
    fn save_text(&mut self, _title: &str, _suggested: &str) -> Option<PathBuf> {
        self.next()
    }
}
