//! The registry the transport authority already holds: its rows, the
//! import of `spec/registry.md`, and the view the checks read.

mod import;
mod load;
mod records;
mod view;

pub use import::{FileCount, ImportError, ImportReport, LineError, check_file, import_dir};
pub use records::*;
pub use load::view_for;
pub use view::RegistryView;
