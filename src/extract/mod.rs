//! The extract stage: OCR text → page kind and typed fields
//! (`spec/documents.md`), with a model dajian trains itself and runs with
//! candle.
//!
//! Built so far: the model and its training module ([`model`]), the
//! char-level tokenizer ([`tokenizer`]) and the decoding of tags into typed
//! values ([`spans`]). Not yet: training on the synthetic datasets, the
//! shipped weights, and wiring into the pipeline (issue 5).

pub mod model;
pub mod spans;
pub mod tokenizer;
pub mod train;
