//! dajian pre-checks applications for oversize/overweight road transport
//! permits. The pipeline: ingest → ocr → extract → checks → report.

pub mod ingest;
pub mod ocr;
pub mod types;

pub use types::BBox;
