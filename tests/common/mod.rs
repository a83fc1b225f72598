//! What the service tests share: a fresh database on either backend, the
//! real app on port 0, tokens for each kind of caller, and submissions.
//!
//! PostgreSQL: `DAJIAN_TEST_POSTGRES=postgres://user@host:port` names a
//! server; otherwise `.ci/postgres.sh` starts a throwaway one when
//! PostgreSQL's server binaries are installed. Without either, the
//! PostgreSQL variants of the tests say so and pass — except under CI
//! (`CI` set), where a missing server fails them.
#![allow(dead_code)]

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use dajian::checks::CheckConfig;
use dajian::db::Db;
use dajian::accounts::{Role, create_token};
use dajian::http::{AppState, Limits, ServeOptions};
use dajian::pipeline::Precheck;
use dajian::rules::Rules;
use reqwest::multipart::{Form, Part};
use serde_json::Value;

pub const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/clean");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Store {
    Sqlite,
    Postgres,
}

/// The PostgreSQL server for tests, started once per test binary.
pub fn pg_server() -> Option<String> {
    static SERVER: OnceLock<Option<String>> = OnceLock::new();
    SERVER
        .get_or_init(|| {
            if let Ok(url) = std::env::var("DAJIAN_TEST_POSTGRES") {
                if !url.is_empty() {
                    return Some(url);
                }
            }
            let script = concat!(env!("CARGO_MANIFEST_DIR"), "/.ci/postgres.sh");
            let out = std::process::Command::new("bash").arg(script).env("DAJIAN_PG_NO_INSTALL", "1").output().ok()?;
            let url = String::from_utf8_lossy(&out.stdout).trim().to_string();
            (out.status.success() && url.starts_with("postgres://")).then_some(url)
        })
        .clone()
}

/// `None` when this variant cannot run here (and that is allowed).
pub fn available(store: Store) -> bool {
    if store == Store::Sqlite || pg_server().is_some() {
        return true;
    }
    if std::env::var_os("CI").is_some() {
        panic!("CI must test PostgreSQL too: .ci/postgres.sh could not start a server and DAJIAN_TEST_POSTGRES is not set");
    }
    eprintln!("skipped: no PostgreSQL server (set DAJIAN_TEST_POSTGRES or install postgresql)");
    false
}

/// The URL of a new, empty database on `store` (SQLite: a file in `dir`).
pub async fn fresh_db_url(store: Store, dir: &std::path::Path) -> String {
    match store {
        Store::Sqlite => format!("sqlite://{}", dir.join("test.sqlite").display()),
        Store::Postgres => {
            let server = pg_server().expect("checked with available()");
            let name = format!("dajian_t_{}", ulid::Ulid::new().to_string().to_lowercase());
            sqlx::any::install_default_drivers();
            let admin = sqlx::AnyPool::connect(&format!("{server}/postgres")).await.unwrap();
            sqlx::query(&format!("CREATE DATABASE {name}")).execute(&admin).await.unwrap();
            admin.close().await;
            format!("{server}/{name}")
        }
    }
}

/// Runs `test(Store)` once per backend, as `<name>::on_sqlite` and
/// `<name>::on_postgres`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_sqlite() {
                super::$name(crate::common::Store::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_postgres() {
                if crate::common::available(crate::common::Store::Postgres) {
                    super::$name(crate::common::Store::Postgres).await
                }
            }
        }
    )*};
}

/// The real app on port 0 with a fresh database holding the fixture's
/// registry and one token per kind of caller.
pub struct App {
    pub base: String,
    pub db: Db,
    pub db_url: String,
    pub applicant: String,
    pub other_applicant: String,
    pub clerk: String,
    pub admin: String,
    pub http: reqwest::Client,
    pub dir: tempfile::TempDir,
    _stop: tokio::sync::oneshot::Sender<()>,
}

pub async fn spawn(store: Store, limits: Limits, workers: usize) -> App {
    let dir = tempfile::tempdir().unwrap();
    let db_url = fresh_db_url(store, dir.path()).await;
    let db = Db::open(&db_url).await.unwrap();
    dajian::registry::import_dir(&db, std::path::Path::new(&format!("{FIXTURE}/registry"))).await.unwrap();
    let (_, applicant) = create_token(&db, "顺达 system", Role::Applicant).await.unwrap();
    let (_, other_applicant) = create_token(&db, "another carrier", Role::Applicant).await.unwrap();
    let (_, clerk) = create_token(&db, "clerk 王", Role::Clerk).await.unwrap();
    let (_, admin) = create_token(&db, "admin 李", Role::Admin).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(dajian::http::serve(state(&db, limits), listener, ServeOptions { workers, lease: None }, async {
        let _ = rx.await;
    }));
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    App { base, db, db_url, applicant, other_applicant, clerk, admin, http, dir, _stop: tx }
}

/// The service's state without page reading (no models): the checks that
/// need pages warn, everything else runs for real.
pub fn state(db: &Db, limits: Limits) -> AppState {
    let precheck = Precheck { rules: Rules::embedded(), config: CheckConfig::default(), device: Default::default(), readers: None };
    AppState { db: db.clone(), precheck: Arc::new(precheck), limits: Arc::new(limits), notify: Default::default(), desk: Default::default() }
}

/// A small real PNG.
pub fn png() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(40, 30, image::Rgb([240, 240, 230]));
    let mut out = std::io::Cursor::new(vec![]);
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

pub fn form_json() -> String {
    std::fs::read_to_string(format!("{FIXTURE}/application.json")).unwrap()
}

/// The files `documents[]` of `form` lists.
pub fn listed_files(form: &str) -> Vec<String> {
    let v: Value = serde_json::from_str(form).unwrap();
    v["documents"].as_array().unwrap().iter().map(|d| d["file"].as_str().unwrap().to_string()).collect()
}

/// The form plus one small PNG per listed page.
pub fn submission(form: &str) -> Form {
    let mut f = Form::new().text("application", form.to_string());
    for name in listed_files(form) {
        f = f.part(name.clone(), Part::bytes(png()).file_name(name));
    }
    f
}

impl App {
    pub async fn submit(&self, token: &str, form: Form) -> reqwest::Response {
        self.http.post(format!("{}/api/v1/applications", self.base)).bearer_auth(token).multipart(form).send().await.unwrap()
    }
    /// Submits the fixture as the applicant; the new id.
    pub async fn submit_ok(&self) -> String {
        let r = self.submit(&self.applicant, submission(&form_json())).await;
        assert_eq!(r.status(), 202);
        r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string()
    }
    pub async fn get(&self, token: Option<&str>, path: &str) -> reqwest::Response {
        let mut r = self.http.get(format!("{}{path}", self.base));
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        r.send().await.unwrap()
    }
    pub async fn wait_done(&self, id: &str) -> Value {
        wait_done(&self.http, &self.base, &self.applicant, id, Duration::from_secs(30)).await
    }
}

/// Polls the status URL until the application is `done` or `failed`.
pub async fn wait_done(http: &reqwest::Client, base: &str, token: &str, id: &str, within: Duration) -> Value {
    let start = std::time::Instant::now();
    while start.elapsed() < within {
        let r = http.get(format!("{base}/api/v1/applications/{id}")).bearer_auth(token).send().await;
        if let Ok(r) = r {
            if let Ok(v) = r.json::<Value>().await {
                if v["status"] == "done" || v["status"] == "failed" {
                    return v;
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("application {id} did not finish within {within:?}");
}

/// `(event, count)` of an application's job events.
pub async fn job_events(db: &Db, id: &str) -> Vec<(String, i64)> {
    sqlx::query_as("SELECT event, COUNT(*) FROM job_events WHERE application_id = $1 GROUP BY event ORDER BY event")
        .bind(id.to_string())
        .fetch_all(&db.pool)
        .await
        .unwrap()
}
