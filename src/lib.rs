//! dajian pre-checks applications for oversize/overweight road transport
//! permits. The pipeline: ingest → ocr → extract → checks → report.

pub mod dataset;
pub mod document;
pub mod form;
pub mod registry;
pub mod types;

pub use types::BBox;
