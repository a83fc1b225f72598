//! A registry file (`spec/registry.md`) with hostile lines: `check_file`
//! must give a row count or line errors that point into the input
//! (`../invariants/registry_jsonl.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../invariants/registry_jsonl.rs"]
mod invariants;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else { return };
    let _ = invariants::check(pick, bytes);
});
