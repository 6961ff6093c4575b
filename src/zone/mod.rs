//! Zone data: a design as zone-file text ([`export`]) and zone text read back into a design:
//! [`parse`] reads the text into records (with [`text`] for the text's checks and the error
//! positions, and [`rdata`] for the one hickory → model record data conversion), [`import`] maps the
//! records to a design. The rendering of a design as records lives in the model
//! ([`crate::model::render`], re-exported here): the rules judge the very records this exports.

pub mod export;
pub mod import;
mod lex;
pub mod parse;
#[cfg(test)]
mod proptests;
pub(crate) mod rdata;
pub mod text;

pub use crate::model::render::*;
pub use export::{ExportOptions, export_zone};
pub use import::{ImportError, ImportReport, import_zone, records_from_zone};
