//! The `dajian` binary as a user runs it: fresh database per test.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/clean");

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        Env { dir: tempfile::tempdir().unwrap() }
    }
    fn db(&self) -> String {
        format!("sqlite://{}", self.dir.path().join("t.sqlite").display())
    }
    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_dajian"))
            .args(args)
            .args(["--db", &self.db()])
            .env_remove("DAJIAN_DB")
            .output()
            .unwrap()
    }
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    /// A copy of the fixture registry to damage.
    fn registry_copy(&self) -> PathBuf {
        let to = self.path("registry");
        std::fs::create_dir_all(&to).unwrap();
        for e in std::fs::read_dir(Path::new(FIXTURE).join("registry")).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
        to
    }
    fn count(&self, table: &str) -> i64 {
        count_rows(&self.path("t.sqlite"), table)
    }
}

/// Counts the rows of a table in a test database.
fn count_rows(path: &Path, table: &str) -> i64 {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let db = dajian::db::Db::open(&format!("sqlite://{}", path.display())).await.unwrap();
        sqlx::query_scalar::<_, i64>(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(&db.pool).await.unwrap()
    })
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}
fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

#[test]
fn importing_the_registry_prints_counts_and_a_second_import_updates() {
    let env = Env::new();
    let reg = format!("{FIXTURE}/registry");
    let out = env.run(&["registry", "import", &reg]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("vehicles.jsonl") && text.contains("2 rows") && text.contains("2 new"), "{text}");
    let again = env.run(&["registry", "import", &reg]);
    assert!(stdout(&again).contains("2 updated"), "{}", stdout(&again));
    assert_eq!(env.count("vehicles"), 2);
}

#[test]
fn a_malformed_line_names_file_line_and_column_and_nothing_is_stored() {
    let env = Env::new();
    let reg = env.registry_copy();
    let mut v = std::fs::read_to_string(reg.join("vehicles.jsonl")).unwrap();
    v.push_str("{\"plate\": \"鲁H99999\", \"status\": 7}\n");
    std::fs::write(reg.join("vehicles.jsonl"), v).unwrap();
    let out = env.run(&["registry", "import", reg.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("vehicles.jsonl:3:"), "{err}");
    assert!(err.contains("nothing was imported"), "{err}");
    assert_eq!(env.count("companies"), 0, "the good files must not be stored either");
}

#[test]
fn a_failed_import_leaves_an_earlier_import_intact() {
    let env = Env::new();
    assert!(env.run(&["registry", "import", &format!("{FIXTURE}/registry")]).status.success());
    let reg = env.registry_copy();
    std::fs::write(reg.join("persons.jsonl"), "{\"id_number\": \"370802198001011236\", \"name\": \"x\"}\n").unwrap();
    let out = env.run(&["registry", "import", reg.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("persons.jsonl:1:"), "{}", stderr(&out));
    assert!(stderr(&out).contains("check character"), "{}", stderr(&out));
    assert_eq!(env.count("persons"), 3);
}

#[test]
fn an_unknown_registry_file_is_refused() {
    let env = Env::new();
    let reg = env.registry_copy();
    std::fs::write(reg.join("vehicle.jsonl"), "").unwrap();
    let out = env.run(&["registry", "import", reg.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("vehicle.jsonl"), "{}", stderr(&out));
}

#[test]
fn check_with_extracted_fields_prints_a_passing_report() {
    let env = Env::new();
    assert!(env.run(&["registry", "import", &format!("{FIXTURE}/registry")]).status.success());
    // The pages' contents come from --fields; the one page it does not
    // cover (scan_0007.jpg is covered too) must exist.
    let app_dir = env.path("app");
    std::fs::create_dir_all(&app_dir).unwrap();
    std::fs::copy(format!("{FIXTURE}/application.json"), app_dir.join("application.json")).unwrap();
    let out = env.run(&[
        "check",
        app_dir.join("application.json").to_str().unwrap(),
        "--fields",
        &format!("{FIXTURE}/documents.json"),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(report["verdict"], "pass", "{report:#}");
    assert_eq!(report["checks"].as_array().unwrap().len(), 21);
    assert_eq!(report["permit_class"], 2);
    assert_eq!(report["authority"]["region_code"], "370000");

    // Pages that are not pictures cannot be read: never a pass.
    let form: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(app_dir.join("application.json")).unwrap()).unwrap();
    for d in form["documents"].as_array().unwrap() {
        std::fs::write(app_dir.join(d["file"].as_str().unwrap()), b"page").unwrap();
    }
    let out = env.run(&["check", app_dir.join("application.json").to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(report["verdict"], "review");
    let v1 = report["checks"].as_array().unwrap().iter().find(|c| c["id"] == "V1").unwrap();
    assert_eq!(v1["status"], "warn");
    assert!(v1["message"].as_str().unwrap().contains("无法识别"), "{v1}");
    assert!(v1.get("message_en").is_none(), "{v1}");
    // The same report in English.
    let out = env.run(&["check", app_dir.join("application.json").to_str().unwrap(), "--lang", "en"]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let v1 = report["checks"].as_array().unwrap().iter().find(|c| c["id"] == "V1").unwrap();
    assert_eq!(v1["title"], "Plate & VIN");
    assert!(v1["message"].as_str().unwrap().contains("could not be read"), "{v1}");
    let out = env.run(&["check", app_dir.join("application.json").to_str().unwrap(), "--lang", "fr"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("'fr' is not a language"), "{}", stderr(&out));
}

#[test]
fn an_unknown_key_in_the_form_exits_2_naming_it() {
    let env = Env::new();
    let bad = std::fs::read_to_string(format!("{FIXTURE}/application.json")).unwrap().replace("\"trips\"", "\"tripz\"");
    std::fs::write(env.path("application.json"), bad).unwrap();
    let out = env.run(&["check", env.path("application.json").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("tripz") && err.contains("route"), "{err}");
}

#[test]
fn a_listed_page_that_does_not_exist_exits_2_naming_it() {
    let env = Env::new();
    std::fs::copy(format!("{FIXTURE}/application.json"), env.path("application.json")).unwrap();
    let out = env.run(&["check", env.path("application.json").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("agent_id.jpg"), "{}", stderr(&out));
}

#[test]
fn asking_for_a_gpu_in_a_cpu_build_says_how_to_get_one() {
    let env = Env::new();
    let out = env.run(&["--device", "cuda:0", "registry", "import", FIXTURE]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--features cuda"), "{}", stderr(&out));
}

#[test]
fn the_demo_runs_on_a_fresh_database() {
    let env = Env::new();
    let out = env.run(&["demo"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("verdict Pass"), "{}", stdout(&out));
}

#[test]
fn dataset_commands_without_the_generator_binary_say_how_to_build_it() {
    // A copy of dajian alone in a folder, with nothing on PATH: the
    // generator crate's binary is neither beside it nor findable.
    let env = Env::new();
    let lone = env.path("dajian");
    std::fs::copy(env!("CARGO_BIN_EXE_dajian"), &lone).unwrap();
    let o = Command::new(&lone).args(["dataset", "generate", "--seed", "1", "--apps", "1", "--out"]).arg(env.path("set")).env("PATH", "").output().unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("dajian-datasets") && err.contains("cargo build --release"), "{err}");
    assert!(!env.path("set").exists());
}
