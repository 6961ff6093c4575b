//! Zone-file import.
use crate::model::Design;

/// Why a zone could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct ImportError {
    /// What went wrong.
    pub message: String,
}

/// What the import made, and what it could not map.
#[derive(Debug)]
pub struct ImportReport {
    /// The design.
    pub design: Design,
    /// Records that do not map to the design, one line each.
    pub unmapped: Vec<String>,
}

/// STUB.
pub fn import_zone(_text: &str, _domain: &str) -> Result<ImportReport, ImportError> {
    Err(ImportError {
        message: "not implemented".into(),
    })
}
