//! `application.json` from a hostile client: `Application::parse` must give
//! Ok or an error naming the problem, never panic.
#![no_main]

use dajian::form::{Application, FormError};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The service refuses a non-UTF-8 form before parsing; lossy decoding
    // still lets byte-level mutations reach the parser.
    let text = String::from_utf8_lossy(data);
    match Application::parse(&text) {
        Ok(app) => {
            // A parsed form keeps what validate() promised.
            let mut seen = std::collections::HashSet::new();
            for d in &app.documents {
                assert!(!d.file.is_empty() && !d.file.contains(['/', '\\']), "{:?}", d.file);
                assert!(seen.insert(d.file.clone()), "{:?} listed twice", d.file);
            }
        }
        Err(FormError::Invalid { path: _, message }) => assert!(!message.is_empty()),
        Err(FormError::Semantic(message)) => assert!(!message.is_empty()),
    }
});
