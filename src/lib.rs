//! dajian pre-checks applications for oversize/overweight road transport
//! permits (大件运输许可).
//!
//! The pipeline, one module per stage, run in order by [`pipeline`]:
//! [`form`] + pages → [`ingest`] → [`ocr`] → [`extract`] → [`checks`] →
//! [`report`]. The checks read [`registry`] (what the authority already
//! knows), [`rules`] (thresholds with their legal sources) and [`route`]
//! (the road network). Around it the service: [`http::serve`] (API and the
//! clerk's desk), its queue [`jobs`], [`accounts`], and [`db`] (SQLite or
//! PostgreSQL) under the crate's one query layer, `store`. The command
//! line is [`cli`]; [`demo`] seeds a first run; [`truth`] is the format of
//! a dataset's ground truth, which `dajian bench` measures against. The
//! synthetic world and the extractor's training are the separate crate
//! `datasets/generator`, which uses the stages and types exported here.
//!
//! Modules only the crate itself needs (`store`, `archive`, `bench`,
//! `config`) are private.

// The pipeline's stages and their types.
pub mod checks;
pub mod document;
pub mod extract;
pub mod form;
pub mod ingest;
pub mod lang;
pub mod ocr;
pub mod pipeline;
pub mod report;
pub mod types;

// What the checks read besides the application.
pub mod registry;
pub mod route;
pub mod rules;

// The service.
pub mod accounts;
pub mod db;
pub mod http;
pub mod jobs;
pub(crate) mod archive;
pub(crate) mod store;

// Command line, demo, measurement.
pub mod cli;
pub mod demo;
pub mod logging;
pub mod par;
pub mod truth;
pub(crate) mod bench;
pub(crate) mod config;

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

