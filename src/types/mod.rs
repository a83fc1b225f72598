//! Validated value types: identifiers, units, dates, and the text
//! normalisation of `documents.md`. Each is built only through `parse`.

mod bbox;

pub use bbox::BBox;
