//! What the `registry_jsonl` target checks of a registry file
//! (`spec/registry.md`) with hostile lines, in one place for the target and
//! for `tests/fuzz_regressions.rs`, which runs every seed through it under
//! `cargo test`.

use dajian::registry::{ImportError, LineError, check_file};

pub const FILES: [&str; 6] = ["companies.jsonl", "persons.jsonl", "vehicles.jsonl", "road_nodes.jsonl", "road_segments.jsonl", "structures.jsonl"];

/// `pick` chooses the file, `bytes` are its content: `check_file` must give
/// a row count or line errors that point into the input.
pub fn check(pick: u8, bytes: &[u8]) -> Result<usize, Vec<LineError>> {
    let file = FILES[pick as usize % FILES.len()];
    // Lines as the importer counts them: split on '\n'.
    let lines = bytes.split(|&b| b == b'\n').count();
    match check_file(file, bytes) {
        Ok(rows) => {
            assert!(rows <= lines, "{rows} rows from {lines} lines");
            Ok(rows)
        }
        Err(ImportError::Lines(errors)) => {
            assert!(!errors.is_empty(), "Lines([]) for {file}");
            for e in &errors {
                assert_eq!(e.file, file);
                assert!(e.line >= 1 && e.line <= lines + 1, "line {} of {lines}: {e}", e.line);
                assert!(e.column >= 1, "column 0: {e}");
                assert!(!e.message.is_empty(), "{e}");
            }
            // The message lists at most 20 lines; building it must not panic.
            let _ = ImportError::Lines(errors.clone()).to_string();
            Err(errors)
        }
        Err(other) => panic!("{file}: unexpected error kind: {other}"),
    }
}
