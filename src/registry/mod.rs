//! The registry the transport authority already holds: its rows, the
//! import of `spec/registry.md`, and the view the checks read.

mod records;

pub use records::*;
