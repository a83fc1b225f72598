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
    /// A fresh database with the fixture registry imported.
    fn with_registry() -> Env {
        let env = Env::new();
        let out = env.import(&Path::new(FIXTURE).join("registry"));
        assert!(out.status.success(), "{}", stderr(&out));
        env
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
    /// `dajian registry import <dir>`.
    fn import(&self, dir: &Path) -> Output {
        self.run(&["registry", "import", dir.to_str().unwrap()])
    }
    /// Imports `dir`, which must be refused as the caller's mistake (exit
    /// code 2); what it printed on stderr.
    fn import_refused(&self, dir: &Path) -> String {
        let out = self.import(dir);
        assert_eq!(out.status.code(), Some(2));
        stderr(&out)
    }
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    /// A copy of the fixture registry damaged by writing `content` as its
    /// `file`.
    fn registry_with(&self, file: &str, content: &str) -> PathBuf {
        let to = self.path("registry");
        std::fs::create_dir_all(&to).unwrap();
        for e in std::fs::read_dir(Path::new(FIXTURE).join("registry")).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
        std::fs::write(to.join(file), content).unwrap();
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
    let reg = Path::new(FIXTURE).join("registry");
    let out = env.import(&reg);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("vehicles.jsonl") && text.contains("2 rows") && text.contains("2 new"), "{text}");
    let again = env.import(&reg);
    assert!(stdout(&again).contains("2 updated"), "{}", stdout(&again));
    assert_eq!(env.count("vehicles"), 2);
}

#[test]
fn a_malformed_line_names_file_line_and_column_and_nothing_is_stored() {
    let env = Env::new();
    let mut v = std::fs::read_to_string(format!("{FIXTURE}/registry/vehicles.jsonl")).unwrap();
    v.push_str("{\"plate\": \"鲁H99999\", \"status\": 7}\n");
    let err = env.import_refused(&env.registry_with("vehicles.jsonl", &v));
    assert!(err.contains("vehicles.jsonl:3:"), "{err}");
    assert!(err.contains("nothing was imported"), "{err}");
    assert_eq!(env.count("companies"), 0, "the good files must not be stored either");
}

#[test]
fn a_failed_import_leaves_an_earlier_import_intact() {
    let env = Env::with_registry();
    let err = env.import_refused(&env.registry_with("persons.jsonl", "{\"id_number\": \"370802198001011236\", \"name\": \"x\"}\n"));
    assert!(err.contains("persons.jsonl:1:"), "{err}");
    assert!(err.contains("check character"), "{err}");
    assert_eq!(env.count("persons"), 3);
}

#[test]
fn an_unknown_registry_file_is_refused() {
    let env = Env::new();
    let err = env.import_refused(&env.registry_with("vehicle.jsonl", ""));
    assert!(err.contains("vehicle.jsonl"), "{err}");
}

#[test]
fn check_with_extracted_fields_prints_a_passing_report() {
    let env = Env::with_registry();
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
    assert_eq!(report["checks"].as_array().unwrap().len(), dajian::checks::CATALOGUE.len());
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

/// The fixture's application with its combination changed by `edit`,
/// written into the test's folder; its path.
fn edited_application(env: &Env, edit: impl FnOnce(&mut serde_json::Value)) -> PathBuf {
    let mut form: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(format!("{FIXTURE}/application.json")).unwrap()).unwrap();
    edit(&mut form);
    let dir = env.path("app");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("application.json");
    std::fs::write(&path, form.to_string()).unwrap();
    path
}

fn ids(route: &serde_json::Value) -> Vec<&str> {
    route["segments"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect()
}

#[test]
fn route_suggest_finds_a_detour_round_a_bridge_whose_axle_limit_the_load_exceeds() {
    let env = Env::with_registry();
    // 泗河大桥 on S-0012 carries 13 t an axle; G105 (S-0014) is the way round.
    let app = edited_application(&env, |f| f["combination"]["axle_loads_kg"][5] = 13_600.into());
    let out = env.run(&["route", "suggest", app.to_str().unwrap(), "--lang", "en"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let s: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(ids(&s["declared"]), ["S-0012", "S-0013", "S-0101"]);
    assert_eq!(ids(&s["route"]), ["S-0014", "S-0013", "S-0101"]);
    assert_eq!(s["route"]["length_m"], 52_000 + 190_000 + 6_500);
    let bridge = s["route"]["structures"].as_array().unwrap().iter().find(|x| x["id"] == "B-0014-1").unwrap();
    assert_eq!(bridge["margins"][1], serde_json::json!({"limit": "axle_kg", "allowed": 14000, "needed": 13600, "margin": 400}));
    assert!(stderr(&out).contains("suggested route: S-0014 G105国道"), "{}", stderr(&out));
}

#[test]
fn route_suggest_without_a_detour_names_the_limit_that_cuts_the_network() {
    let env = Env::with_registry();
    // Every road to the port passes the 3.8 m toll gate on S-0101.
    let app = edited_application(&env, |f| f["combination"]["width_mm"] = 3_900.into());
    let out = env.run(&["route", "suggest", app.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let s: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(s.get("route").is_none(), "{s:#}");
    assert_eq!(s["cut"]["reason"], "limit");
    assert_eq!(s["cut"]["passages"][0]["constraint"], "width_mm");
    assert_eq!(s["cut"]["passages"][0]["best"], 3_800);
    assert_eq!(s["cut"]["passages"][0]["structure_id"], "G-0101-1");
    assert!(stderr(&out).contains("限宽至多3800 mm"), "{}", stderr(&out));
}

#[test]
fn route_suggest_on_a_registry_without_roads_says_to_import_one() {
    let env = Env::new();
    let app = edited_application(&env, |_| {});
    let out = env.run(&["route", "suggest", app.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no road network") && stderr(&out).contains("registry import"), "{}", stderr(&out));
}

#[test]
fn check_puts_the_suggestion_in_r3s_evidence_and_leaves_r3s_status_as_the_checks_gave_it() {
    let env = Env::with_registry();
    let app = edited_application(&env, |f| f["combination"]["axle_loads_kg"][5] = 13_600.into());
    let out = env.run(&["check", app.to_str().unwrap(), "--fields", &format!("{FIXTURE}/documents.json"), "--lang", "en"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let r3 = report["checks"].as_array().unwrap().iter().find(|c| c["id"] == "R3").unwrap().clone();
    let evidence = r3["evidence"].as_array().unwrap();
    let (suggestion, rest) = evidence.split_last().unwrap();
    assert_eq!((suggestion["source"].as_str(), suggestion["field"].as_str()), (Some("registry"), Some("route_suggestion")));
    assert_eq!(ids(&suggestion["value"]["route"]), ["S-0014", "S-0013", "S-0101"]);
    assert!(r3["message"].as_str().unwrap().contains("; suggested route: S-0014"), "{r3}");

    // The checks alone, on the same registry, give R3 the same status and
    // the same evidence before the suggestion.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let alone = rt.block_on(async {
        let db = dajian::db::Db::open(&env.db()).await.unwrap();
        let (form, _) = dajian::pipeline::read_application(&app).unwrap();
        let docs = dajian::pipeline::read_fields(Path::new(&format!("{FIXTURE}/documents.json")), &form).unwrap();
        let view = dajian::registry::view_for(&db, &form).await.unwrap();
        let rules = dajian::rules::Rules::embedded();
        let config = dajian::checks::CheckConfig::default();
        let input = dajian::checks::Input { form: &form, documents: &docs, registry: &view, rules: &rules, config: &config };
        dajian::checks::run(&input).checks.into_iter().find(|c| c.id == "R3").unwrap()
    });
    assert_eq!(r3["status"], "warn");
    assert_eq!(serde_json::to_value(alone.status).unwrap(), r3["status"]);
    assert_eq!(&serde_json::to_value(&alone.evidence).unwrap(), &serde_json::Value::from(rest.to_vec()));
}
