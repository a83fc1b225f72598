//! Faults: the server killed mid-precheck, two servers sharing one
//! PostgreSQL queue, storage that is full, a database that goes away for a
//! moment. The process tests run the real `dajian serve` binary.

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::{Store, form_json, listed_files, png, submission};
use dajian::db::Db;
use dajian::http::Limits;
use dajian::accounts::{Role, create_token};
use reqwest::multipart::{Form, Part};
use serde_json::Value;

on_both_backends!(a_killed_server_loses_no_submission_and_finishes_each_exactly_once, a_database_that_goes_away_for_a_moment_loses_nothing,);

const DATASET: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/datasets/test");

/// A `dajian serve` process; killed when dropped.
struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `dajian serve` on port 0 and waits for its address.
fn start_server(db_url: &str, workers: usize, lease_secs: u64) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dajian"))
        .args(["serve", "--listen", "127.0.0.1:0", "--workers", &workers.to_string(), "--lease-secs", &lease_secs.to_string()])
        .env("DAJIAN_DB", db_url)
        .env("DAJIAN_LOG", "warn")
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting dajian serve");
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let base = loop {
        let line = lines.next().expect("dajian serve exited before serving").unwrap();
        if let Some(rest) = line.strip_prefix("dajian: serving on ") {
            break rest.split_whitespace().next().unwrap().to_string();
        }
    };
    // Keep draining stderr so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Server { child, base }
}

/// A dataset application's form with its first `pages` real page images
/// (the rest left out of `documents[]`: the checks that need them warn).
fn dataset_submission(app: &str, pages: usize) -> Form {
    let dir = PathBuf::from(DATASET).join("apps").join(app);
    let mut form: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("application.json")).unwrap()).unwrap();
    form["documents"].as_array_mut().unwrap().truncate(pages);
    let form = form.to_string();
    let mut f = Form::new().text("application", form.clone());
    for name in listed_files(&form) {
        f = f.part(name.clone(), Part::bytes(std::fs::read(dir.join(&name)).unwrap()).file_name(name));
    }
    f
}

async fn statuses(db: &Db) -> Vec<(String, String)> {
    sqlx::query_as("SELECT id, status FROM applications ORDER BY id").fetch_all(&db.pool).await.unwrap()
}

async fn a_killed_server_loses_no_submission_and_finishes_each_exactly_once(store: Store) {
    let dir = tempfile::tempdir().unwrap();
    let url = common::fresh_db_url(store, dir.path()).await;
    let db = Db::open(&url).await.unwrap();
    dajian::registry::import_dir(&db, &Path::new(DATASET).join("registry")).await.unwrap();
    let (_, token) = create_token(&db, "carrier system", Role::Applicant).await.unwrap();
    let http = reqwest::Client::new();

    // Real pages: each precheck reads three, long enough to be killed in.
    let first = start_server(&url, 2, 3);
    let mut ids = vec![];
    for app in ["app_0001", "app_0002", "app_0003"] {
        let r = http.post(format!("{}/api/v1/applications", first.base)).bearer_auth(&token).multipart(dataset_submission(app, 3)).send().await.unwrap();
        assert_eq!(r.status(), 202);
        ids.push(r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string());
    }
    // Kill it (SIGKILL) while both workers are in the middle of a precheck.
    let start = std::time::Instant::now();
    while statuses(&db).await.iter().filter(|(_, s)| s == "running").count() < 2 {
        assert!(start.elapsed() < Duration::from_secs(60), "the workers never started");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    drop(first);
    let at_kill = statuses(&db).await;
    assert_eq!(at_kill.len(), 3, "every accepted submission is stored");
    let interrupted: Vec<String> = at_kill.iter().filter(|(_, s)| s == "running").map(|(id, _)| id.clone()).collect();
    assert!(!interrupted.is_empty(), "{at_kill:?}");

    // A new process on the same database finishes everything, once.
    let second = start_server(&url, 2, 3);
    for id in &ids {
        let done = common::wait_done(&http, &second.base, &token, id, Duration::from_secs(600)).await;
        assert_eq!(done["status"], "done", "{done}");
        assert_eq!(done["report"]["checks"].as_array().unwrap().len(), dajian::checks::CATALOGUE.len());
        let events = common::job_events(&db, id).await;
        let count = |e: &str| events.iter().find(|(n, _)| n == e).map_or(0, |(_, c)| *c);
        assert_eq!(count("done"), 1, "{id}: {events:?}");
        assert_eq!(count("lost") + count("failed"), 0, "{id}: {events:?}");
        if interrupted.contains(id) {
            assert_eq!((count("claimed"), count("requeued")), (2, 1), "{id}: {events:?}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_on_one_postgres_share_the_queue_and_run_each_job_once() {
    if !common::available(Store::Postgres) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let url = common::fresh_db_url(Store::Postgres, dir.path()).await;
    let db = Db::open(&url).await.unwrap();
    dajian::registry::import_dir(&db, &Path::new(common::FIXTURE).join("registry")).await.unwrap();
    let (_, token) = create_token(&db, "carrier system", Role::Applicant).await.unwrap();
    let http = reqwest::Client::new();
    let servers = [start_server(&url, 2, 60), start_server(&url, 2, 60)];
    let mut ids = vec![];
    for i in 0..16 {
        let base = &servers[i % 2].base;
        let r = http.post(format!("{base}/api/v1/applications")).bearer_auth(&token).multipart(submission(&form_json())).send().await.unwrap();
        assert_eq!(r.status(), 202);
        ids.push(r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string());
    }
    let mut processes = std::collections::BTreeSet::new();
    for id in &ids {
        // Either server answers for any application: they share one database.
        let done = common::wait_done(&http, &servers[1].base, &token, id, Duration::from_secs(300)).await;
        assert_eq!(done["status"], "done", "{done}");
        let events = common::job_events(&db, id).await;
        assert_eq!(events, vec![("claimed".into(), 1), ("done".into(), 1)], "{id}");
        let worker: String = sqlx::query_scalar("SELECT claimed_by FROM applications WHERE id = $1").bind(id.clone()).fetch_one(&db.pool).await.unwrap();
        // host-pid-pool-worker: the pid tells the process.
        processes.insert(worker.rsplitn(3, '-').nth(2).unwrap().to_string());
    }
    assert_eq!(processes.len(), 2, "both servers ran jobs: {processes:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_refuses_the_upload_clearly_and_keeps_what_was_stored() {
    let app = common::spawn(Store::Sqlite, Limits::default(), 0).await;
    let earlier = app.submit_ok().await;
    // The database may not grow past its present size: SQLite then fails
    // writes with SQLITE_FULL, as on a full disk. The limit is per
    // connection, so it is set on each of the pool's connections.
    let mut held = vec![];
    for _ in 0..app.db.pool.options().get_max_connections() {
        let mut c = app.db.pool.acquire().await.unwrap();
        let pages: i64 = sqlx::query_scalar("PRAGMA page_count").fetch_one(&mut *c).await.unwrap();
        sqlx::query(&format!("PRAGMA max_page_count = {pages}")).execute(&mut *c).await.unwrap();
        held.push(c);
    }
    drop(held);
    // A submission with pages too big to fit.
    let big: Vec<u8> = {
        let img = image::RgbImage::from_fn(600, 400, |x, y| image::Rgb([(x * 7 ^ y * 13) as u8, (x * y) as u8, (x + y) as u8]));
        let mut out = std::io::Cursor::new(vec![]);
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    };
    let form = form_json();
    let mut f = Form::new().text("application", form.clone());
    for name in listed_files(&form) {
        f = f.part(name, Part::bytes(big.clone()));
    }
    let r = app.submit(&app.applicant, f).await;
    assert_eq!(r.status(), 507);
    assert_eq!(r.headers()["retry-after"], "300");
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], "storage_full");
    assert!(v["error"]["message"].as_str().unwrap().contains("nothing of this request was stored"));
    // No half-written record: one application, and its pages, as before.
    let apps: Vec<String> = sqlx::query_scalar("SELECT id FROM applications").fetch_all(&app.db.pool).await.unwrap();
    assert_eq!(apps, vec![earlier.clone()]);
    let pages: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM pages").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(pages as usize, listed_files(&form).len());
    let r = app.get(Some(&app.clerk), &format!("/api/v1/applications/{earlier}/documents/{}", listed_files(&form)[0])).await;
    assert_eq!(r.bytes().await.unwrap().to_vec(), png());
}

async fn a_database_that_goes_away_for_a_moment_loses_nothing(store: Store) {
    let app = common::spawn(store, Limits::default(), 1).await;
    let before = app.submit_ok().await;
    app.wait_done(&before).await;
    match store {
        Store::Sqlite => {
            // Another process holds the write lock for two seconds: requests
            // and workers wait (busy timeout) instead of failing.
            let other = Db::open(&app.db_url).await.unwrap();
            let mut c = other.pool.acquire().await.unwrap();
            sqlx::query("BEGIN EXCLUSIVE").execute(&mut *c).await.unwrap();
            let release = tokio::spawn(async move {
                tokio::time::sleep(Duration::from_secs(2)).await;
                sqlx::query("COMMIT").execute(&mut *c).await.unwrap();
            });
            let during = app.submit_ok().await;
            release.await.unwrap();
            assert_eq!(app.wait_done(&during).await["status"], "done");
        }
        Store::Postgres => {
            // Every connection of the service is cut, as when the server
            // restarts: the pool reconnects, nothing is lost.
            let name = app.db_url.rsplit('/').next().unwrap().to_string();
            let admin = sqlx::AnyPool::connect(&format!("{}/postgres", common::pg_server().unwrap())).await.unwrap();
            let cut: Vec<bool> = sqlx::query_scalar("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()")
                .bind(name)
                .fetch_all(&admin)
                .await
                .unwrap();
            assert!(!cut.is_empty(), "the service had connections to cut");
            // The first requests after the cut may meet a dead connection:
            // they get 503 with Retry-After, never a 500, and a retry works.
            let mut id = None;
            for _ in 0..5 {
                let r = app.submit(&app.applicant, submission(&form_json())).await;
                match r.status().as_u16() {
                    202 => {
                        id = Some(r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string());
                        break;
                    }
                    503 => assert!(r.headers().contains_key("retry-after")),
                    s => panic!("unexpected {s}: {}", r.text().await.unwrap()),
                }
            }
            let id = id.expect("a retry after the outage is accepted");
            assert_eq!(app.wait_done(&id).await["status"], "done");
        }
    }
    // The earlier submission is untouched.
    let v = app.get(Some(&app.applicant), &format!("/api/v1/applications/{before}")).await.json::<Value>().await.unwrap();
    assert_eq!(v["status"], "done");
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM applications").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(n, 2);
}
