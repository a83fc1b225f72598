//! The extract stage: OCR text → page kind and typed fields
//! (`spec/documents.md`), with a model dajian trains itself and runs with
//! candle. Work in progress: the model and its training module are here;
//! the tokenizer, training data and span decoding follow.

pub mod model;
pub mod tokenizer;
