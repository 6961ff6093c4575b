//! Zone data: a design as zone-file text ([`export`]) and zone text read back into a design
//! ([`import`]). The rendering of a design as records lives in the model
//! ([`crate::model::render`], re-exported here): the rules judge the very records this exports.

pub mod export;
pub mod import;
#[cfg(test)]
mod proptests;

pub use crate::model::render::*;
pub use export::{ExportOptions, export_zone};
pub use import::{ImportError, ImportReport, import_zone, records_from_zone};
