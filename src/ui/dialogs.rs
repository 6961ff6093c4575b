//! The file-dialog seam: the window asks a [`Dialogs`] for paths; the desktop uses rfd's native
//! dialogs (on the main thread, where they must run), tests substitute a scripted answer.
//!
//! rfd's xdg-desktop-portal backend answers `None` both when the user cancels and when no portal
//! exists, so [`NativeDialogs`] tells the two apart itself and says [`Answer::Unavailable`] when
//! the portal did not answer; the window then draws its own file dialog
//! ([`super::path_dialog`]) instead of doing nothing. The heuristic (documented in the README):
//!
//! * no session bus at all (`DBUS_SESSION_BUS_ADDRESS` unset and no `$XDG_RUNTIME_DIR/bus`
//!   socket): no portal can exist, rfd is not even asked;
//! * rfd returned `None` faster than [`HUMAN_CANCEL`]: no person cancelled a dialog that quickly,
//!   so the portal (or D-Bus) failed — a missing portal service answers within milliseconds.
//!
//! The setting "Use the built-in file dialog" skips the portal entirely.

use std::path::PathBuf;
use std::time::{Duration, Instant};

/// A `None` from rfd sooner than this after the call is "no portal", not "the user cancelled".
pub const HUMAN_CANCEL: Duration = Duration::from_millis(300);

/// What a file dialog answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// The user chose this path.
    Path(PathBuf),
    /// The user cancelled.
    Cancelled,
    /// No dialog could be shown (no portal): the window shows its own.
    Unavailable,
}

impl From<Option<PathBuf>> for Answer {
    fn from(p: Option<PathBuf>) -> Self {
        match p {
            Some(p) => Answer::Path(p),
            None => Answer::Cancelled,
        }
    }
}

/// Asks the user for file paths.
pub trait Dialogs {
    /// A design to open.
    fn open_design(&mut self) -> Answer;
    /// Where to save a design. `suggested` is a file name.
    fn save_design(&mut self, suggested: &str) -> Answer;
    /// Where to save an exported text.
    fn save_text(&mut self, title: &str, suggested: &str) -> Answer;
    /// A file to read (a trust anchor, a CA file).
    fn open_file(&mut self, title: &str) -> Answer;
}

/// Is a D-Bus session bus there at all? Without one no portal can answer.
pub fn session_bus_present() -> bool {
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|v| !v.is_empty()) {
        return true;
    }
    std::env::var_os("XDG_RUNTIME_DIR")
        .is_some_and(|d| std::path::Path::new(&d).join("bus").exists())
}

/// Native dialogs through rfd (xdg-desktop-portal on Linux), with the "no portal" detection
/// described in the module documentation.
#[derive(Debug, Default)]
pub struct NativeDialogs;

fn native(ask: impl FnOnce() -> Option<PathBuf>) -> Answer {
    if !session_bus_present() {
        tracing::info!("no D-Bus session bus: using the built-in file dialog");
        return Answer::Unavailable;
    }
    let started = Instant::now();
    match ask() {
        Some(p) => Answer::Path(p),
        None if started.elapsed() < HUMAN_CANCEL => {
            tracing::warn!(
                "the desktop portal gave no file dialog (answered in {} ms): using the built-in one",
                started.elapsed().as_millis()
            );
            Answer::Unavailable
        }
        None => Answer::Cancelled,
    }
}

impl Dialogs for NativeDialogs {
    fn open_design(&mut self) -> Answer {
        native(|| {
            rfd::FileDialog::new()
                .set_title("Open a SecMX design")
                .add_filter("SecMX design", &["toml"])
                .pick_file()
        })
    }

    fn save_design(&mut self, suggested: &str) -> Answer {
        native(|| {
            rfd::FileDialog::new()
                .set_title("Save the SecMX design")
                .add_filter("SecMX design", &["toml"])
                .set_file_name(suggested)
                .save_file()
        })
    }

    fn save_text(&mut self, title: &str, suggested: &str) -> Answer {
        native(|| {
            rfd::FileDialog::new()
                .set_title(title)
                .set_file_name(suggested)
                .save_file()
        })
    }

    fn open_file(&mut self, title: &str) -> Answer {
        native(|| rfd::FileDialog::new().set_title(title).pick_file())
    }
}

/// Scripted answers, for tests: each call pops the next answer (`None` = cancelled; when none is
/// left: cancelled, or unavailable for [`ScriptedDialogs::no_portal`]).
#[derive(Debug, Default, Clone)]
pub struct ScriptedDialogs {
    /// Answers, first used first.
    pub answers: std::collections::VecDeque<Option<PathBuf>>,
    /// Behave like a desktop without a portal: every call answers [`Answer::Unavailable`].
    pub no_portal: bool,
}

impl ScriptedDialogs {
    /// Dialogs that answer with these paths in turn.
    pub fn new(answers: impl IntoIterator<Item = Option<PathBuf>>) -> Self {
        ScriptedDialogs {
            answers: answers.into_iter().collect(),
            no_portal: false,
        }
    }

    /// Dialogs of a desktop with no portal: the window must draw its own.
    pub fn no_portal() -> Self {
        ScriptedDialogs {
            answers: Default::default(),
            no_portal: true,
        }
    }

    fn next(&mut self) -> Answer {
        if self.no_portal {
            return Answer::Unavailable;
        }
        self.answers.pop_front().flatten().into()
    }
}

impl Dialogs for ScriptedDialogs {
    fn open_design(&mut self) -> Answer {
        self.next()
    }
    fn save_design(&mut self, _suggested: &str) -> Answer {
        self.next()
    }
    fn save_text(&mut self, _title: &str, _suggested: &str) -> Answer {
        self.next()
    }
    fn open_file(&mut self, _title: &str) -> Answer {
        self.next()
    }
}
