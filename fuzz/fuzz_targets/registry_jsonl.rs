//! A registry file (`spec/registry.md`) with hostile lines: `check_file`
//! must give a row count or line errors that point into the input.
#![no_main]

use dajian::registry::{ImportError, check_file};
use libfuzzer_sys::fuzz_target;

const FILES: [&str; 6] =
    ["companies.jsonl", "persons.jsonl", "vehicles.jsonl", "road_nodes.jsonl", "road_segments.jsonl", "structures.jsonl"];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else { return };
    let file = FILES[pick as usize % FILES.len()];
    // Lines as the importer counts them: split on '\n'.
    let lines = bytes.split(|&b| b == b'\n').count();
    match check_file(file, bytes) {
        Ok(rows) => assert!(rows <= lines, "{rows} rows from {lines} lines"),
        Err(ImportError::Lines(errors)) => {
            assert!(!errors.is_empty(), "Lines([]) for {file}");
            for e in &errors {
                assert_eq!(e.file, file);
                assert!(e.line >= 1 && e.line <= lines + 1, "line {} of {lines}: {e}", e.line);
                assert!(e.column >= 1, "column 0: {e}");
                assert!(!e.message.is_empty(), "{e}");
            }
            // The message lists at most 20 lines; building it must not panic.
            let _ = ImportError::Lines(errors).to_string();
        }
        Err(other) => panic!("{file}: unexpected error kind: {other}"),
    }
});
