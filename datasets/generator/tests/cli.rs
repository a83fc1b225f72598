//! The generator's binary as `dajian dataset …` runs it.

use std::process::Command;

#[test]
fn generate_writes_a_dataset_and_prints_its_summary_with_the_pools_used() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("set");
    let o = Command::new(env!("CARGO_BIN_EXE_dajian-datasets"))
        .args(["dataset", "generate", "--seed", "3", "--apps", "2", "--no-render", "--held-out-pools", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let summary: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(summary["apps"], 2);
    assert_eq!(summary["pools"], "held_out");
    assert!(out.join("registry/persons.jsonl").is_file());
    assert!(out.join("apps/app_0001/truth.json").is_file());
}

#[test]
fn zero_applications_is_refused_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_dajian-datasets"))
        .args(["dataset", "generate", "--apps", "0", "--out"])
        .arg(dir.path().join("set"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--apps"));
}
