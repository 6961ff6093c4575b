//! Per-user settings of the window (network settings, theme, recent files, the last design) and the
//! recovery copy, kept as small TOML files in the user's config directory
//! (`$XDG_CONFIG_HOME/secmx` or `~/.config/secmx`). No egui here.

use crate::project::{self, ProjectError};
use crate::worker::NetSettings;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// How many recent files the File menu lists.
pub const MAX_RECENT: usize = 8;

/// Light or dark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    /// Dark theme.
    #[default]
    Dark,
    /// Light theme.
    Light,
}

/// What persists between sessions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct UserSettings {
    /// Theme.
    pub theme: Theme,
    /// Network settings for Look up / Probe.
    pub net: NetSettings,
    /// Recently opened or saved designs, newest first.
    pub recent: Vec<PathBuf>,
    /// The design open when the window last closed.
    pub last_file: Option<PathBuf>,
    /// Always use the window's own file dialog, never the desktop's (portal) one.
    pub builtin_file_dialog: bool,
    /// Keep a history of checks: every check is saved like `secmx check --save` (on unless
    /// turned off; off = `--no-save`).
    pub keep_history: KeepHistory,
}

/// "Keep a history of checks": on unless turned off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct KeepHistory(pub bool);

impl Default for KeepHistory {
    fn default() -> Self {
        KeepHistory(true)
    }
}

impl UserSettings {
    /// The settings file in `dir`.
    pub fn file(dir: &Path) -> PathBuf {
        dir.join("settings.toml")
    }

    /// Read the settings; a missing or unreadable file gives the defaults and, when unreadable, a
    /// message saying why (the window shows it as a notice).
    pub fn load(dir: &Path) -> (Self, Option<String>) {
        let path = Self::file(dir);
        match std::fs::read_to_string(&path) {
            Ok(text) => match toml::from_str(&text) {
                Ok(s) => (s, None),
                Err(e) => (
                    Self::default(),
                    Some(format!(
                        "Settings in {} could not be read ({}); using the defaults. Saving settings will replace the file.",
                        path.display(),
                        e.message()
                    )),
                ),
            },
            Err(_) => (Self::default(), None),
        }
    }

    /// Write the settings atomically.
    pub fn save(&self, dir: &Path) -> Result<(), ProjectError> {
        let path = Self::file(dir);
        std::fs::create_dir_all(dir).map_err(|e| ProjectError {
            file: dir.display().to_string(),
            position: None,
            message: format!("cannot create the settings folder: {e}"),
        })?;
        let text = toml::to_string(self).map_err(|e| ProjectError {
            file: path.display().to_string(),
            position: None,
            message: format!("cannot render the settings: {e}"),
        })?;
        project::write_atomic(&path, text.as_bytes())
    }

    /// Put `path` first in the recent list.
    /// Paths are kept absolute, so they still work when the program starts from another folder.
    pub fn remember(&mut self, path: &Path) {
        let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        self.recent.retain(|p| *p != path);
        self.recent.insert(0, path.clone());
        self.recent.truncate(MAX_RECENT);
        self.last_file = Some(path);
    }
}

/// The user's config directory for SecMX Workbench, if the environment names one.
pub fn config_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(base.join("secmx"))
}

/// The recovery copy of unsaved work in `dir`.
pub fn recovery_file(dir: &Path) -> PathBuf {
    dir.join("recovery.secmx.toml")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used, clippy::unwrap_used)]
    use super::*;

    #[test]
    fn settings_round_trip_through_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = UserSettings {
            theme: Theme::Light,
            ..UserSettings::default()
        };
        s.net.resolver = Some("127.0.0.1:5353".into());
        s.remember(Path::new("/tmp/a.secmx.toml"));
        s.save(dir.path()).unwrap();
        let (back, err) = UserSettings::load(dir.path());
        assert!(err.is_none());
        assert_eq!(back, s);
    }
}
