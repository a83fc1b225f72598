//! Load on loopback, bounded in requests: a burst far larger than the
//! queue. The service keeps answering (health checks too), sheds the
//! excess with 503 + Retry-After and nothing else, its memory stays
//! bounded, and every accepted submission is prechecked once workers run.
//! Prints the burst's throughput and p95 latency (run with
//! `cargo test --release --test load -- --nocapture` for figures).

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{Store, form_json, spawn, submission};
use dajian::http::{Limits, ServeOptions};
use serde_json::Value;

const REQUESTS: usize = 300;
const CONCURRENCY: usize = 32;
const MAX_QUEUED: i64 = 20;

/// Peak resident memory of this process (the service and its client), kB.
fn peak_rss_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status.lines().find_map(|l| l.strip_prefix("VmHWM:")).and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok()).unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_beyond_the_queue_is_shed_with_503_and_every_accepted_submission_completes() {
    // No workers during the burst, so the queue surely overfills.
    let app = Arc::new(spawn(Store::Sqlite, Limits { max_queued: MAX_QUEUED, ..Limits::default() }, 0).await);
    let rss_before = peak_rss_kb();
    let gate = Arc::new(tokio::sync::Semaphore::new(CONCURRENCY));
    let start = Instant::now();
    let mut tasks = vec![];
    for _ in 0..REQUESTS {
        let (app, gate) = (app.clone(), gate.clone());
        tasks.push(tokio::spawn(async move {
            let _slot = gate.acquire().await.unwrap();
            let t = Instant::now();
            let r = app.submit(&app.applicant, submission(&form_json())).await;
            let status = r.status().as_u16();
            let retry_after = r.headers().get("retry-after").map(|v| v.to_str().unwrap().to_string());
            let body: Value = r.json().await.unwrap();
            (status, retry_after, body, t.elapsed())
        }));
    }
    // The service answers its health check in the middle of the burst.
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(app.get(None, "/healthz").await.status(), 200);

    let mut accepted = vec![];
    let mut shed = 0;
    let mut latencies = vec![];
    for t in tasks {
        let (status, retry_after, body, took) = t.await.unwrap();
        latencies.push(took);
        match status {
            202 => accepted.push(body["id"].as_str().unwrap().to_string()),
            503 => {
                assert_eq!(body["error"]["code"], "queue_full");
                assert!(retry_after.is_some(), "503 without Retry-After");
                shed += 1;
            }
            s => panic!("unexpected {s}: {body}"),
        }
    }
    let elapsed = start.elapsed();
    latencies.sort();
    let p95 = latencies[latencies.len() * 95 / 100];
    let rss_growth_mb = (peak_rss_kb().saturating_sub(rss_before)) / 1024;
    eprintln!(
        "load: {REQUESTS} submissions, {CONCURRENCY} at a time: {} accepted, {shed} shed; {:.0} requests/s; p95 {:.0} ms; peak RSS +{rss_growth_mb} MB",
        accepted.len(),
        REQUESTS as f64 / elapsed.as_secs_f64(),
        p95.as_secs_f64() * 1e3
    );
    // The queue bound is checked before the insert, so concurrent requests
    // may overshoot it by at most the number in flight.
    assert!(accepted.len() as i64 >= MAX_QUEUED && accepted.len() as i64 <= MAX_QUEUED + CONCURRENCY as i64, "{}", accepted.len());
    assert_eq!(accepted.len() + shed, REQUESTS);
    // Each request holds at most one decoded page and its uploads; 300 of
    // them must not add up.
    assert!(rss_growth_mb < 400, "peak RSS grew by {rss_growth_mb} MB");

    // Workers start (another instance on the same database): everything
    // accepted is prechecked, once.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let state = common::state(&app.db, Limits::default());
    tokio::spawn(dajian::http::serve(state, listener, ServeOptions { workers: 2, lease: None }, std::future::pending()));
    for id in &accepted {
        let done = common::wait_done(&app.http, &app.base, &app.applicant, id, Duration::from_secs(300)).await;
        assert_eq!(done["status"], "done");
        assert_eq!(common::job_events(&app.db, id).await, vec![("claimed".into(), 1), ("done".into(), 1)]);
    }
    // And the service takes submissions again.
    assert_eq!(app.submit(&app.applicant, submission(&form_json())).await.status(), 202);
}
