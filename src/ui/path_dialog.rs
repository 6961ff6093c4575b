//! The file dialog drawn inside the window, for desktops where the native (portal) dialog does
//! not answer: a folder listing, a path field (type a whole path, or a name in the folder shown),
//! and OK/Cancel. Reading the folder happens when it changes, never per frame.

use eframe::egui;
use std::path::{Path, PathBuf};

/// Open an existing file, or choose where to save one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Pick an existing file.
    Open,
    /// Choose a path to write (a new file, or one to replace after asking).
    Save,
}

/// One entry of the folder listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The file name.
    pub name: String,
    /// A folder?
    pub dir: bool,
}

/// The dialog's state.
#[derive(Debug, Clone)]
pub struct PathDialog {
    /// Heading, e.g. "Save the SecMX design".
    pub title: String,
    /// Open or save.
    pub mode: Mode,
    /// The folder listed.
    pub dir: PathBuf,
    /// What the path field holds (absolute, or relative to `dir`).
    pub path_text: String,
    /// The folder's entries (folders first, then files, by name).
    pub entries: Vec<Entry>,
    /// Why the folder could not be listed, or why OK was refused.
    pub error: Option<String>,
    /// Save onto an existing file: asked once, then "Replace" confirms.
    pub confirm_replace: bool,
    focus_pending: bool,
}

/// What the user decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// This path.
    Chosen(PathBuf),
    /// Cancelled.
    Cancelled,
}

impl PathDialog {
    /// A dialog listing `dir` (the current directory when `None`), with `suggested` in the path field.
    pub fn new(title: &str, mode: Mode, dir: Option<PathBuf>, suggested: &str) -> Self {
        let dir = dir
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_else(|| PathBuf::from("/"));
        let mut d = PathDialog {
            title: title.to_string(),
            mode,
            dir,
            path_text: suggested.to_string(),
            entries: Vec::new(),
            error: None,
            confirm_replace: false,
            focus_pending: true,
        };
        d.refresh();
        d
    }

    /// Re-read the folder.
    pub fn refresh(&mut self) {
        self.entries.clear();
        self.error = None;
        match std::fs::read_dir(&self.dir) {
            Ok(rd) => {
                for e in rd.flatten() {
                    let name = e.file_name().to_string_lossy().into_owned();
                    if name.starts_with('.') {
                        continue;
                    }
                    let dir = e.path().is_dir();
                    self.entries.push(Entry { name, dir });
                }
                self.entries
                    .sort_by(|a, b| b.dir.cmp(&a.dir).then_with(|| a.name.cmp(&b.name)));
            }
            Err(e) => {
                self.error = Some(format!("Cannot list {}: {e}", self.dir.display()));
            }
        }
    }

    /// Show another folder.
    pub fn enter(&mut self, dir: PathBuf) {
        self.dir = dir;
        self.confirm_replace = false;
        self.refresh();
    }

    /// The path the field names (relative paths are taken in the folder shown; `~/` is home).
    pub fn resolved(&self) -> PathBuf {
        let t = self.path_text.trim();
        let p = match t.strip_prefix("~/") {
            Some(rest) => std::env::var_os("HOME")
                .map(|h| PathBuf::from(h).join(rest))
                .unwrap_or_else(|| PathBuf::from(t)),
            None => PathBuf::from(t),
        };
        if p.is_absolute() { p } else { self.dir.join(p) }
    }

    /// Check the path for OK: `Ok(path)` when it can be used, else the reason (shown in the
    /// dialog). A folder is entered instead of chosen.
    pub fn accept(&mut self) -> Option<PathBuf> {
        if self.path_text.trim().is_empty() {
            self.error = Some("Type a file name or a path.".into());
            return None;
        }
        let p = self.resolved();
        if p.is_dir() {
            self.path_text.clear();
            self.enter(p);
            return None;
        }
        match self.mode {
            Mode::Open => {
                if !p.is_file() {
                    self.error = Some(format!("{} does not exist.", p.display()));
                    return None;
                }
            }
            Mode::Save => {
                let parent = p.parent().unwrap_or(Path::new("/"));
                if !parent.is_dir() {
                    self.error = Some(format!("The folder {} does not exist.", parent.display()));
                    return None;
                }
                if p.exists() && !self.confirm_replace {
                    self.confirm_replace = true;
                    self.error = Some(format!(
                        "{} already exists. Press Replace to overwrite it.",
                        p.display()
                    ));
                    return None;
                }
            }
        }
        Some(p)
    }
}

/// Draw the dialog (a modal over the window); `Some` once the user decided.
pub fn path_dialog_ui(ctx: &egui::Context, d: &mut PathDialog) -> Option<Outcome> {
    let mut out = None;
    let modal = egui::Modal::new(egui::Id::unique("builtin_file_dialog")).show(ctx, |ui| {
        ui.set_width(560.0);
        ui.heading(&d.title);
        ui.label("Built-in file dialog (no desktop file dialog answered).");
        ui.horizontal(|ui| {
            if ui.button("Up").on_hover_text("The parent folder").clicked()
                && let Some(parent) = d.dir.parent().map(Path::to_path_buf)
            {
                d.enter(parent);
            }
            ui.label(format!("Folder: {}", d.dir.display()));
        });
        let mut enter = None;
        egui::ScrollArea::vertical()
            .max_height(260.0)
            .auto_shrink([false, true])
            .show(ui, |ui| {
                if d.entries.is_empty() {
                    ui.weak("(empty folder)");
                }
                for e in &d.entries {
                    let text = if e.dir {
                        format!("{}/", e.name)
                    } else {
                        e.name.clone()
                    };
                    if ui.selectable_label(d.path_text == e.name, text).clicked() {
                        if e.dir {
                            enter = Some(d.dir.join(&e.name));
                        } else {
                            d.path_text = e.name.clone();
                            d.confirm_replace = false;
                        }
                    }
                }
            });
        if let Some(dir) = enter {
            d.enter(dir);
        }
        let l = ui.label("File path");
        let edit = ui
            .add(
                egui::TextEdit::singleline(&mut d.path_text)
                    .desired_width(f32::INFINITY)
                    .hint_text("a name in this folder, or a whole path"),
            )
            .labelled_by(l.id);
        if d.focus_pending {
            edit.request_focus();
            d.focus_pending = false;
        }
        if edit.changed() {
            d.confirm_replace = false;
        }
        let enter_pressed = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if let Some(e) = &d.error {
            ui.colored_label(
                super::palette::error(ui.visuals().dark_mode),
                format!("Error: {e}"),
            );
        }
        ui.horizontal(|ui| {
            let ok = match (d.mode, d.confirm_replace) {
                (Mode::Open, _) => "Open",
                (Mode::Save, false) => "Save",
                (Mode::Save, true) => "Replace",
            };
            if ui.button(ok).clicked() || enter_pressed {
                if let Some(p) = d.accept() {
                    out = Some(Outcome::Chosen(p));
                } else {
                    d.focus_pending = true;
                }
            }
            if ui.button("Cancel").clicked() {
                out = Some(Outcome::Cancelled);
            }
        });
    });
    if out.is_none() && modal.should_close() {
        out = Some(Outcome::Cancelled);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_names_are_taken_in_the_folder_shown_and_folders_are_entered() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("a.secmx.toml"), "x").unwrap();
        let mut d = PathDialog::new("t", Mode::Save, Some(dir.path().into()), "new.toml");
        assert_eq!(
            d.entries[0],
            Entry {
                name: "sub".into(),
                dir: true
            }
        );
        assert_eq!(d.resolved(), dir.path().join("new.toml"));
        d.path_text = "sub".into();
        assert_eq!(d.accept(), None, "a folder is entered, not chosen");
        assert_eq!(d.dir, dir.path().join("sub"));
        d.path_text = dir.path().join("a.secmx.toml").display().to_string();
        assert_eq!(d.accept(), None, "replacing asks first");
        assert!(d.confirm_replace);
        assert_eq!(d.accept(), Some(dir.path().join("a.secmx.toml")));
        let mut o = PathDialog::new("t", Mode::Open, Some(dir.path().into()), "missing.toml");
        assert_eq!(o.accept(), None);
        assert!(o.error.as_deref().unwrap_or("").contains("does not exist"));
        d.path_text = "/nonexistent-folder/x.toml".into();
        assert_eq!(d.accept(), None);
    }
}
