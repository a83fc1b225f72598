//! The precheck queue. Applications are the jobs: a submission is stored
//! (form and pages, in one transaction) as `queued` before anything else
//! happens; a worker claims it atomically (`running`), and stores the
//! report (`done`) or the reason (`failed`). A job left `running` by a
//! crash is queued again at the next start, so no submission is lost.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Notify, watch};

use crate::db::{Backend, Db};
use crate::form::Application;
use crate::pipeline::Precheck;

/// After this many claims a job that keeps failing (e.g. crashing its
/// worker) is marked failed instead of taken again.
pub const MAX_ATTEMPTS: i64 = 3;

/// A page to store with a submission.
#[derive(Debug, Clone)]
pub struct Upload {
    pub file: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339()
}

/// Stores a submission and queues it; returns its id.
pub async fn submit(db: &Db, owner: Option<&str>, app: &Application, pages: Vec<Upload>) -> Result<String, sqlx::Error> {
    let id = ulid::Ulid::new().to_string();
    let form = serde_json::to_string(app).expect("forms serialise");
    let t = now();
    let mut tx = db.pool.begin().await?;
    sqlx::query(
        "INSERT INTO applications (id, owner, application_no, status, form, created_at, updated_at) VALUES ($1, $2, $3, 'queued', $4, $5, $5)",
    )
    .bind(id.clone())
    .bind(owner.map(String::from))
    .bind(app.application_no.clone())
    .bind(form)
    .bind(t)
    .execute(&mut *tx)
    .await?;
    for p in pages {
        sqlx::query("INSERT INTO pages (application_id, file, content_type, bytes) VALUES ($1, $2, $3, $4)")
            .bind(id.clone())
            .bind(p.file)
            .bind(p.content_type)
            .bind(p.bytes)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(id)
}

pub async fn queued(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM applications WHERE status = 'queued'").fetch_one(&db.pool).await
}

/// Claims the oldest queued job, or `None`. Two workers never claim the
/// same job: SQLite serialises writers; PostgreSQL skips locked rows.
pub async fn claim(db: &Db, worker: &str) -> Result<Option<String>, sqlx::Error> {
    let pick = match db.backend {
        Backend::Sqlite => "SELECT id FROM applications WHERE status = 'queued' ORDER BY created_at, id LIMIT 1",
        Backend::Postgres => {
            "SELECT id FROM applications WHERE status = 'queued' ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED"
        }
    };
    let sql = format!(
        "UPDATE applications SET status = 'running', claimed_by = $1, claimed_at = $2, updated_at = $2, attempts = attempts + 1 \
         WHERE id = ({pick}) AND status = 'queued' RETURNING id"
    );
    let t = now();
    let mut tx = db.pool.begin().await?;
    let id: Option<String> = sqlx::query_scalar(&sql).bind(worker.to_string()).bind(t.clone()).fetch_optional(&mut *tx).await?;
    if let Some(id) = &id {
        event(&mut tx, id, worker, "claimed", &t).await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// Appends to `job_events`.
async fn event(tx: &mut sqlx::Transaction<'_, sqlx::Any>, id: &str, worker: &str, event: &str, at: &str) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO job_events (application_id, worker, event, at) VALUES ($1, $2, $3, $4)")
        .bind(id.to_string())
        .bind(worker.to_string())
        .bind(event.to_string())
        .bind(at.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Queues again what a crashed or stopped process left running (its
/// claims older than `lease`), or fails it after `MAX_ATTEMPTS`.
pub async fn recover(db: &Db, lease: Duration) -> Result<u64, sqlx::Error> {
    let before = (chrono::Utc::now() - chrono::Duration::from_std(lease).unwrap_or_default()).to_rfc3339();
    let t = now();
    let mut tx = db.pool.begin().await?;
    let failed: Vec<String> = sqlx::query_scalar(
        "UPDATE applications SET status = 'failed', error = 'the precheck stopped unexpectedly several times', updated_at = $1 \
         WHERE status = 'running' AND claimed_at <= $2 AND attempts >= $3 RETURNING id",
    )
    .bind(t.clone())
    .bind(before.clone())
    .bind(MAX_ATTEMPTS)
    .fetch_all(&mut *tx)
    .await?;
    let requeued: Vec<String> = sqlx::query_scalar(
        "UPDATE applications SET status = 'queued', claimed_by = NULL, claimed_at = NULL, updated_at = $1 \
         WHERE status = 'running' AND claimed_at <= $2 RETURNING id",
    )
    .bind(t.clone())
    .bind(before)
    .fetch_all(&mut *tx)
    .await?;
    for id in &failed {
        event(&mut tx, id, "recover", "failed", &t).await?;
    }
    for id in &requeued {
        event(&mut tx, id, "recover", "requeued", &t).await?;
    }
    tx.commit().await?;
    if !failed.is_empty() {
        tracing::warn!(count = failed.len(), "jobs failed after repeated interruptions");
    }
    Ok(requeued.len() as u64)
}

/// Runs one claimed job to its end state; `Ok(false)` when its result was
/// dropped (see below). The result is stored only while
/// `worker` still holds the claim: if another process took the job over
/// (its lease ran out), the later finisher's result is dropped, so a job
/// finishes exactly once.
pub async fn run(db: &Db, precheck: &Precheck, id: &str, worker: &str) -> Result<bool, sqlx::Error> {
    let form: String = sqlx::query_scalar("SELECT form FROM applications WHERE id = $1").bind(id.to_string()).fetch_one(&db.pool).await?;
    let parsed = Application::parse(&form);
    let result = match &parsed {
        Ok(app) => {
            let rows: Vec<(String, Vec<u8>)> = sqlx::query_as("SELECT file, bytes FROM pages WHERE application_id = $1 ORDER BY file")
                .bind(id.to_string())
                .fetch_all(&db.pool)
                .await?;
            let pages = rows.into_iter().map(|(file, bytes)| crate::pipeline::PageBytes { file, bytes }).collect();
            precheck.run_files(db, app, vec![], pages).await.map_err(|e| e.to_string())
        }
        Err(e) => Err(e.to_string()),
    };
    let t = now();
    let (outcome, report, verdict, error) = match &result {
        Ok(report) => {
            let verdict = serde_json::to_value(report.verdict).expect("serialises").as_str().unwrap_or_default().to_string();
            ("done", Some(serde_json::to_string(report).expect("reports serialise")), Some(verdict), None)
        }
        Err(e) => {
            tracing::warn!(job = id, error = %e, "precheck failed");
            ("failed", None, None, Some(e.clone()))
        }
    };
    let mut tx = db.pool.begin().await?;
    let stored = sqlx::query(
        "UPDATE applications SET status = $1, report = $2, verdict = $3, error = $4, updated_at = $5 \
         WHERE id = $6 AND status = 'running' AND claimed_by = $7",
    )
    .bind(outcome)
    .bind(report)
    .bind(verdict)
    .bind(error)
    .bind(t.clone())
    .bind(id.to_string())
    .bind(worker.to_string())
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if stored {
        event(&mut tx, id, worker, outcome, &t).await?;
    } else {
        tracing::warn!(job = id, worker, "the job's claim was taken over while it ran; this result is dropped");
        event(&mut tx, id, worker, "lost", &t).await?;
    }
    tx.commit().await?;
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
        let r = sqlx::query("UPDATE applications SET claimed_at = $1 WHERE id = $2 AND claimed_by = $3 AND status = 'running'")
            .bind(now())
            .bind(id.clone())
            .bind(worker.clone())
            .execute(&db.pool)
            .await;
        if let Err(e) = r {
            tracing::warn!(job = %id, error = %e, "renewing a claim failed");
        }
    }
}

fn hostname() -> String {
    std::fs::read_to_string("/etc/hostname").map(|s| s.trim().to_string()).unwrap_or_else(|_| "host".into())
}
