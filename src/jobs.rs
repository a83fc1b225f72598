//! The precheck queue. Applications are the jobs: a submission is stored
//! (form and pages, in one transaction) as `queued` before anything else
//! happens; a worker claims it atomically (`running`), and stores the
//! report (`done`) or the reason (`failed`). A job left `running` by a
//! crash is queued again at the next start, so no submission is lost.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Notify, watch};

use crate::db::Db;
use crate::form::Application;
use crate::ingest::PageFile;
use crate::pipeline::Precheck;
use crate::store::applications::{self as store, Outcome};

/// After this many claims a job that keeps failing (e.g. crashing its
/// worker) is marked failed instead of taken again.
pub const MAX_ATTEMPTS: i64 = 3;

/// Stores a submission and queues it; returns its id.
pub async fn submit(db: &Db, owner: Option<&str>, app: &Application, pages: Vec<PageFile>) -> Result<String, sqlx::Error> {
    store::insert(db, owner, app, pages).await
}

pub async fn queued(db: &Db) -> Result<i64, sqlx::Error> {
    store::count_queued(db).await
}

/// Claims the oldest queued job, or `None`; two workers never claim the same one.
pub async fn claim(db: &Db, worker: &str) -> Result<Option<String>, sqlx::Error> {
    store::claim(db, worker).await
}

/// Queues again what a crashed or stopped process left running (its
/// claims older than `lease`), or fails it after `MAX_ATTEMPTS`.
pub async fn recover(db: &Db, lease: Duration) -> Result<u64, sqlx::Error> {
    let r = store::recover(db, lease, MAX_ATTEMPTS).await?;
    if !r.failed.is_empty() {
        tracing::warn!(count = r.failed.len(), "jobs failed after repeated interruptions");
    }
    Ok(r.requeued.len() as u64)
}

/// Runs one claimed job to its end state; `Ok(false)` when its result was
/// dropped (see below). The result is stored only while
/// `worker` still holds the claim: if another process took the job over
/// (its lease ran out), the later finisher's result is dropped, so a job
/// finishes exactly once.
pub async fn run(db: &Db, precheck: &Precheck, id: &str, worker: &str) -> Result<bool, sqlx::Error> {
    let parsed = Application::parse(&store::form(db, id).await?);
    let result = match &parsed {
        Ok(app) => {
            let pages = store::pages(db, id).await?;
            precheck.run_files(db, app, vec![], pages).await.map_err(|e| e.to_string())
        }
        Err(e) => Err(e.to_string()),
    };
    let outcome = match &result {
        Ok(report) => Outcome::Done { report: serde_json::to_string(report).expect("reports serialise"), verdict: report.verdict.key().to_string() },
        Err(e) => {
            tracing::warn!(job = id, error = %e, "precheck failed");
            Outcome::Failed { error: e.clone() }
        }
    };
    let stored = store::finish(db, id, worker, &outcome).await?;
    if !stored {
        tracing::warn!(job = id, worker, "the job's claim was taken over while it ran; this result is dropped");
    }
    // A pass is verified: its pages may serve later applications. The
    // precheck result stands whether or not archiving works.
    if stored
        && let (Ok(app), Ok(report)) = (&parsed, &result)
        && report.verdict == crate::report::Verdict::Pass
        && let Err(e) = crate::archive::store(db, id, app, &report.documents).await
    {
        tracing::warn!(job = id, error = %e, "archiving a passed application failed");
    }
    Ok(stored)
}

/// A pool of workers. `notify` wakes them on a new submission; they also
/// poll, so jobs queued by another process are found.
pub struct Workers {
    pub handles: Vec<tokio::task::JoinHandle<()>>,
}

/// Shortest lease used while running: the heartbeat needs time to beat.
const MIN_LEASE: Duration = Duration::from_secs(2);

/// Starts `n` workers and the recovery loop. While a worker runs a job it
/// renews its claim every third of `lease`; every half `lease` the pool
/// queues again the claims nobody renewed — a process on another machine
/// that died — so on PostgreSQL no job waits for a restart to run.
pub fn spawn(db: Db, precheck: Arc<Precheck>, notify: Arc<Notify>, n: usize, lease: Duration, shutdown: watch::Receiver<bool>) -> Workers {
    let lease = lease.max(MIN_LEASE);
    // Unique per pool, so two pools in one process (tests) never share a
    // claim name.
    let pool = ulid::Ulid::new().to_string()[20..].to_lowercase();
    let mut handles: Vec<_> = (0..n)
        .map(|i| {
            let (db, precheck, notify, mut shutdown) = (db.clone(), precheck.clone(), notify.clone(), shutdown.clone());
            let worker = format!("{}-{}-{pool}-{i}", hostname(), std::process::id());
            tokio::spawn(async move {
                loop {
                    if *shutdown.borrow() {
                        break;
                    }
                    match claim(&db, &worker).await {
                        Ok(Some(id)) => {
                            let beat = tokio::spawn(heartbeat(db.clone(), id.clone(), worker.clone(), lease / 3));
                            if let Err(e) = run(&db, &precheck, &id, &worker).await {
                                // The claim stops being renewed: recovery
                                // queues the job again after the lease.
                                tracing::error!(job = %id, error = %e, "storing a precheck result failed");
                            }
                            beat.abort();
                        }
                        Ok(None) => {
                            tokio::select! {
                                _ = notify.notified() => {}
                                _ = tokio::time::sleep(Duration::from_secs(2)) => {}
                                _ = shutdown.changed() => {}
                            }
                        }
                        Err(e) => {
                            tracing::error!(error = %e, "claiming a job failed; retrying");
                            tokio::time::sleep(Duration::from_secs(1)).await;
                        }
                    }
                }
            })
        })
        .collect();
    let mut stop = shutdown;
    handles.push(tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = tokio::time::sleep(lease / 2) => {}
                _ = stop.changed() => break,
            }
            match recover(&db, lease).await {
                Ok(0) => {}
                Ok(n) => tracing::warn!(requeued = n, "queued again jobs whose worker stopped renewing its claim"),
                Err(e) => tracing::error!(error = %e, "recovering abandoned jobs failed; retrying"),
            }
        }
    }));
    Workers { handles }
}

/// Renews `worker`'s claim on `id` every `every` until aborted.
async fn heartbeat(db: Db, id: String, worker: String, every: Duration) {
    loop {
        tokio::time::sleep(every).await;
        let r = store::renew(&db, &id, &worker).await;
        if let Err(e) = r {
            tracing::warn!(job = %id, error = %e, "renewing a claim failed");
        }
    }
}

fn hostname() -> String {
    std::fs::read_to_string("/etc/hostname").map(|s| s.trim().to_string()).unwrap_or_else(|_| "host".into())
}
