//! Zone-file export (BIND master-file syntax).
use crate::model::Design;

/// How to render the snippet.
#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    /// Relative names under `$ORIGIN` instead of absolute names.
    pub relative: bool,
    /// The design's file name, for the comment header.
    pub source: Option<String>,
}

/// STUB: render the design as zone text.
pub fn export_zone(_design: &Design, _opts: &ExportOptions) -> String {
    String::new()
}
