//! The HTTP API against the real app on port 0 with a fresh database.

use std::sync::Arc;
use std::time::Duration;

use dajian::checks::CheckConfig;
use dajian::db::Db;
use dajian::http::auth::{Role, create_token};
use dajian::http::{AppState, Limits, ServeOptions};
use dajian::pipeline::Precheck;
use dajian::rules::Rules;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/clean");

struct App {
    base: String,
    db: Db,
    applicant: String,
    other_applicant: String,
    clerk: String,
    http: reqwest::Client,
    _dir: tempfile::TempDir,
    _stop: tokio::sync::oneshot::Sender<()>,
}

/// A fresh database: SQLite in a temporary folder, or, when
/// `DAJIAN_TEST_POSTGRES` names a server (`postgres://user@host:port`), a
/// new PostgreSQL database on it.
async fn fresh_db(dir: &std::path::Path) -> Db {
    match std::env::var("DAJIAN_TEST_POSTGRES") {
        Ok(server) if !server.is_empty() => {
            let name = format!("dajian_t_{}", ulid::Ulid::new().to_string().to_lowercase());
            sqlx::any::install_default_drivers();
            let admin = sqlx::AnyPool::connect(&format!("{server}/postgres")).await.unwrap();
            sqlx::query(&format!("CREATE DATABASE {name}")).execute(&admin).await.unwrap();
            Db::open(&format!("{server}/{name}")).await.unwrap()
        }
        _ => Db::open(&format!("sqlite://{}", dir.join("api.sqlite").display())).await.unwrap(),
    }
}

async fn spawn(limits: Limits, workers: usize) -> App {
    let dir = tempfile::tempdir().unwrap();
    let db = fresh_db(dir.path()).await;
    dajian::registry::import_dir(&db, std::path::Path::new(&format!("{FIXTURE}/registry"))).await.unwrap();
    let (_, applicant) = create_token(&db, "顺达 system", Role::Applicant).await.unwrap();
    let (_, other_applicant) = create_token(&db, "another carrier", Role::Applicant).await.unwrap();
    let (_, clerk) = create_token(&db, "clerk 王", Role::Clerk).await.unwrap();
    let precheck = Precheck { rules: Rules::embedded(), config: CheckConfig::default(), device: "cpu".into(), readers: None };
    let state = AppState { db: db.clone(), precheck: Arc::new(precheck), limits: Arc::new(limits), notify: Default::default(), desk: Default::default() };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(dajian::http::serve(state, listener, ServeOptions { workers, lease: None }, async {
        let _ = rx.await;
    }));
    App { base, db, applicant, other_applicant, clerk, http: reqwest::Client::new(), _dir: dir, _stop: tx }
}

/// A small real PNG.
fn png() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(40, 30, image::Rgb([240, 240, 230]));
    let mut out = std::io::Cursor::new(vec![]);
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

fn form_json() -> String {
    std::fs::read_to_string(format!("{FIXTURE}/application.json")).unwrap()
}

fn submission(form: &str) -> Form {
    let v: Value = serde_json::from_str(form).unwrap();
    let mut f = Form::new().text("application", form.to_string());
    for d in v["documents"].as_array().unwrap() {
        let name = d["file"].as_str().unwrap().to_string();
        f = f.part(name.clone(), Part::bytes(png()).file_name(name));
    }
    f
}

impl App {
    async fn submit(&self, token: &str, form: Form) -> reqwest::Response {
        self.http.post(format!("{}/api/v1/applications", self.base)).bearer_auth(token).multipart(form).send().await.unwrap()
    }
    async fn get(&self, token: Option<&str>, path: &str) -> reqwest::Response {
        let mut r = self.http.get(format!("{}{path}", self.base));
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        r.send().await.unwrap()
    }
    async fn wait_done(&self, id: &str) -> Value {
        for _ in 0..200 {
            let v: Value = self.get(Some(&self.applicant), &format!("/api/v1/applications/{id}")).await.json().await.unwrap();
            if v["status"] == "done" || v["status"] == "failed" {
                return v;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("application {id} did not finish");
    }
}

#[tokio::test]
async fn a_submission_is_accepted_prechecked_in_the_background_and_reported() {
    let app = spawn(Limits::default(), 2).await;
    let resp = app.submit(&app.applicant, submission(&form_json())).await;
    assert_eq!(resp.status(), 202);
    let body: Value = resp.json().await.unwrap();
    let id = body["id"].as_str().unwrap().to_string();
    assert_eq!(body["status_url"], format!("/api/v1/applications/{id}"));
    let done = app.wait_done(&id).await;
    assert_eq!(done["status"], "done", "{done:#}");
    let report = &done["report"];
    assert_eq!(report["checks"].as_array().unwrap().len(), 21);
    // Pages cannot be read in this build: the checks that need them warn.
    assert_eq!(report["verdict"], "review");
    assert_eq!(report["permit_class"], 2);
}

#[tokio::test]
async fn an_anonymous_request_gets_nothing() {
    let app = spawn(Limits::default(), 1).await;
    let id = app.submit(&app.applicant, submission(&form_json())).await.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
    for path in [format!("/api/v1/applications/{id}"), format!("/api/v1/applications/{id}/documents/agent_id.jpg"), format!("/api/v1/applications/{id}/audit")] {
        let r = app.get(None, &path).await;
        assert_eq!(r.status(), 401, "{path}");
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["error"]["code"], "unauthorized");
    }
    let r = app.http.post(format!("{}/api/v1/applications", app.base)).multipart(submission(&form_json())).send().await.unwrap();
    assert_eq!(r.status(), 401);
    let r = app.get(Some("dj_not_a_token"), &format!("/api/v1/applications/{id}")).await;
    assert_eq!(r.status(), 401);
}

#[tokio::test]
async fn an_applicant_cannot_read_anothers_application_pages_or_audit_log() {
    let app = spawn(Limits::default(), 1).await;
    let id = app.submit(&app.applicant, submission(&form_json())).await.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
    app.wait_done(&id).await;
    let other = Some(app.other_applicant.as_str());
    assert_eq!(app.get(other, &format!("/api/v1/applications/{id}")).await.status(), 404);
    assert_eq!(app.get(other, &format!("/api/v1/applications/{id}/documents/agent_id.jpg")).await.status(), 403);
    assert_eq!(app.get(other, &format!("/api/v1/applications/{id}/audit")).await.status(), 403);
    let r = app.http.post(format!("{}/api/v1/applications/{id}/decisions", app.base)).bearer_auth(&app.other_applicant)
        .json(&json!({"check_id": "V1", "action": "accept"})).send().await.unwrap();
    assert_eq!(r.status(), 403);
    // The owner sees the status but pages are for clerks.
    assert_eq!(app.get(Some(&app.applicant), &format!("/api/v1/applications/{id}")).await.status(), 200);
    assert_eq!(app.get(Some(&app.applicant), &format!("/api/v1/applications/{id}/documents/agent_id.jpg")).await.status(), 403);
    // A clerk sees the page as stored.
    let r = app.get(Some(&app.clerk), &format!("/api/v1/applications/{id}/documents/agent_id.jpg")).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/png");
    assert_eq!(r.bytes().await.unwrap().to_vec(), png());
}

#[tokio::test]
async fn a_clerks_decisions_are_recorded_in_an_audit_log_that_cannot_be_changed() {
    let app = spawn(Limits::default(), 1).await;
    let id = app.submit(&app.applicant, submission(&form_json())).await.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
    app.wait_done(&id).await;
    let decide = |body: Value| {
        app.http.post(format!("{}/api/v1/applications/{id}/decisions", app.base)).bearer_auth(&app.clerk).json(&body).send()
    };
    let r = decide(json!({"check_id": "V1", "action": "override"})).await.unwrap();
    assert_eq!(r.status(), 400, "an override without a reason is refused");
    assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "reason_required");
    let r = decide(json!({"check_id": "V1", "action": "override", "reason": "行驶证原件已现场核验"})).await.unwrap();
    assert_eq!(r.status(), 201);
    let e: Value = r.json().await.unwrap();
    assert_eq!((e["before"].as_str(), e["after"].as_str()), (Some("warn"), Some("overridden")));
    let r = decide(json!({"action": "approve"})).await.unwrap();
    assert_eq!(r.status(), 201);
    assert_eq!(decide(json!({"check_id": "Z9", "action": "accept"})).await.unwrap().status(), 400);

    let log: Value = app.get(Some(&app.clerk), &format!("/api/v1/applications/{id}/audit")).await.json().await.unwrap();
    let entries = log["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["actor"], "clerk 王");
    assert_eq!(entries[0]["reason"], "行驶证原件已现场核验");
    // Not even the database lets the log change.
    let upd = sqlx::query("UPDATE audit_log SET reason = 'x'").execute(&app.db.pool).await;
    assert!(upd.unwrap_err().to_string().contains("append-only"));
    let del = sqlx::query("DELETE FROM audit_log").execute(&app.db.pool).await;
    assert!(del.unwrap_err().to_string().contains("append-only"));
}

#[tokio::test]
async fn bad_submissions_get_clear_json_errors() {
    let app = spawn(Limits { max_pages: 12, ..Limits::default() }, 1).await;
    let form = form_json();
    // unknown key in the form
    let r = app.submit(&app.applicant, submission(&form.replace("\"trips\"", "\"tripz\""))).await;
    assert_eq!(r.status(), 400);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], "invalid_form");
    assert!(v["error"]["message"].as_str().unwrap().contains("tripz"));
    // a page that is not an image
    let f = submission(&form).part("agent_id.jpg", Part::bytes(b"%PDF-1.4 not an image".to_vec()));
    let r = app.submit(&app.applicant, f).await;
    assert!(r.status() == 415 || r.status() == 400, "{}", r.status());
    let mut f = Form::new().text("application", form.clone());
    for name in ["agent_id.jpg", "authorization.jpg", "driver_licence.jpg", "driver_qualification.jpg", "business_licence.jpg", "operating_permit.jpg", "tractor_licence.jpg", "trailer_licence.jpg"] {
        f = f.part(name, Part::bytes(png()));
    }
    f = f.part("scan_0007.jpg", Part::bytes(b"%PDF-1.4".to_vec()));
    let r = app.submit(&app.applicant, f).await;
    assert_eq!(r.status(), 415);
    assert!(r.json::<Value>().await.unwrap()["error"]["message"].as_str().unwrap().contains("scan_0007.jpg"));
    // a listed page missing, an unlisted part
    let f = Form::new().text("application", form.clone()).part("agent_id.jpg", Part::bytes(png()));
    let r = app.submit(&app.applicant, f).await;
    assert_eq!(r.status(), 400);
    assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "missing_document");
    let r = app.submit(&app.applicant, submission(&form).part("../../x", Part::bytes(png()))).await;
    assert_eq!(r.status(), 400);
    assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "unexpected_part");
    // too many parts
    let mut f = submission(&form);
    for i in 0..10 {
        f = f.part(format!("extra{i}.png"), Part::bytes(png()));
    }
    assert_eq!(app.submit(&app.applicant, f).await.status(), 413);
    // an empty page
    let f = Form::new().text("application", form.clone()).part("agent_id.jpg", Part::bytes(vec![]));
    assert_eq!(app.submit(&app.applicant, f).await.status(), 422);
    // nothing of the above was stored
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM applications").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(n, 0);
}

#[tokio::test]
async fn a_page_with_too_many_pixels_is_refused_before_decoding() {
    let app = spawn(Limits { max_page_pixels: 1000, ..Limits::default() }, 1).await;
    let r = app.submit(&app.applicant, submission(&form_json())).await;
    assert_eq!(r.status(), 413);
    assert!(r.json::<Value>().await.unwrap()["error"]["message"].as_str().unwrap().contains("40×30"));
}

#[tokio::test]
async fn a_full_queue_sheds_load_with_503_and_retry_after() {
    // No workers: nothing leaves the queue.
    let app = spawn(Limits { max_queued: 2, ..Limits::default() }, 0).await;
    for _ in 0..2 {
        assert_eq!(app.submit(&app.applicant, submission(&form_json())).await.status(), 202);
    }
    let r = app.submit(&app.applicant, submission(&form_json())).await;
    assert_eq!(r.status(), 503);
    assert_eq!(r.headers()["retry-after"], "30");
    assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "queue_full");
}

#[tokio::test]
async fn a_job_left_running_by_a_crash_is_run_again_at_the_next_start() {
    let app = spawn(Limits::default(), 0).await;
    let id = app.submit(&app.applicant, submission(&form_json())).await.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
    // Claim it as a worker that then dies.
    let claimed = dajian::jobs::claim(&app.db, "dead-worker").await.unwrap();
    assert_eq!(claimed.as_deref(), Some(id.as_str()));
    // A new process on the same database.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let precheck = Precheck { rules: Rules::embedded(), config: CheckConfig::default(), device: "cpu".into(), readers: None };
    let state = AppState { db: app.db.clone(), precheck: Arc::new(precheck), limits: Default::default(), notify: Default::default(), desk: Default::default() };
    // The dead worker's claim is fresh: a zero lease treats it as abandoned
    // (the default on SQLite; on PostgreSQL it waits out the lease).
    let options = ServeOptions { workers: 1, lease: Some(Duration::ZERO) };
    tokio::spawn(dajian::http::serve(state, listener, options, std::future::pending()));
    for _ in 0..200 {
        let v: Value = app.http.get(format!("{base}/api/v1/applications/{id}")).bearer_auth(&app.applicant).send().await.unwrap().json().await.unwrap();
        if v["status"] == "done" {
            let attempts: i64 = sqlx::query_scalar("SELECT attempts FROM applications WHERE id = $1").bind(id.clone()).fetch_one(&app.db.pool).await.unwrap();
            assert_eq!(attempts, 2);
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the interrupted job was not run again");
}

#[tokio::test]
async fn health_and_metrics_report_the_queue() {
    let app = spawn(Limits::default(), 0).await;
    assert_eq!(app.get(None, "/healthz").await.status(), 200);
    app.submit(&app.applicant, submission(&form_json())).await;
    let text = app.get(None, "/metrics").await.text().await.unwrap();
    assert!(text.contains("dajian_applications{status=\"queued\"} 1"), "{text}");
}
