//! dajian pre-checks applications for oversize/overweight road transport
//! permits (大件运输许可).
//!
//! The pipeline, one module per stage:
//! `form` + pages → ingest → ocr → extract → [`checks`] → [`report`].
//! Around it: [`registry`] (what the authority already knows), [`rules`]
//! (regulation thresholds with their sources), [`db`] (SQLite or
//! PostgreSQL), the service in [`http`] with its queue in [`jobs`], and the
//! command line in `cli`. Tooling: [`bench`] (accuracy and speed on a
//! dataset whose [`truth`] is known). The synthetic world and the
//! extractor's training are the separate crate `datasets/generator`.

pub mod accounts;
pub mod archive;
pub mod bench;
pub mod checks;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod document;
pub mod extract;
pub mod form;
pub mod http;
pub mod ingest;
pub mod jobs;
pub mod lang;
pub mod logging;
pub mod ocr;
pub mod par;
pub mod pipeline;
pub mod registry;
pub mod report;
pub mod route;
pub mod rules;
pub mod store;
pub mod truth;
pub mod types;

pub use types::BBox;

/// A model folder by name: `extractor`, `ocr` or a variant beside them in
/// the repository's `models/` (or `$DAJIAN_MODELS`); a path with a `/` is
/// taken as it is.
pub fn model_dir(name: &str) -> std::path::PathBuf {
    if name.contains('/') {
        return std::path::PathBuf::from(name);
    }
    match std::env::var_os("DAJIAN_MODELS") {
        Some(dir) => std::path::PathBuf::from(dir).join(name),
        None => std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("models").join(name),
    }
}

