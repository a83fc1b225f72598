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
    sqlx::query_scalar(&sql).bind(worker.to_string()).bind(now()).fetch_optional(&db.pool).await
}

/// Queues again what a crashed or stopped process left running (its
/// claims older than `lease`), or fails it after `MAX_ATTEMPTS`.
pub async fn recover(db: &Db, lease: Duration) -> Result<u64, sqlx::Error> {
    let before = (chrono::Utc::now() - chrono::Duration::from_std(lease).unwrap_or_default()).to_rfc3339();
    let failed = sqlx::query(
        "UPDATE applications SET status = 'failed', error = 'the precheck stopped unexpectedly several times', updated_at = $1 \
         WHERE status = 'running' AND claimed_at <= $2 AND attempts >= $3",
    )
    .bind(now())
    .bind(before.clone())
    .bind(MAX_ATTEMPTS)
    .execute(&db.pool)
    .await?;
    let requeued = sqlx::query(
        "UPDATE applications SET status = 'queued', claimed_by = NULL, claimed_at = NULL, updated_at = $1 \
         WHERE status = 'running' AND claimed_at <= $2",
    )
    .bind(now())
    .bind(before)
    .execute(&db.pool)
    .await?;
    if failed.rows_affected() > 0 {
        tracing::warn!(count = failed.rows_affected(), "jobs failed after repeated interruptions");
    }
    Ok(requeued.rows_affected())
}

/// Runs one claimed job to its end state.
async fn run_job(db: &Db, precheck: &Precheck, id: &str) -> Result<(), sqlx::Error> {
    let form: String = sqlx::query_scalar("SELECT form FROM applications WHERE id = $1").bind(id.to_string()).fetch_one(&db.pool).await?;
    let result = match Application::parse(&form) {
        Ok(app) => {
            let rows: Vec<(String, Vec<u8>)> = sqlx::query_as("SELECT file, bytes FROM pages WHERE application_id = $1 ORDER BY file")
                .bind(id.to_string())
                .fetch_all(&db.pool)
                .await?;
            let pages = rows.into_iter().map(|(file, bytes)| crate::pipeline::PageBytes { file, bytes }).collect();
            precheck.run_files(db, &app, vec![], pages).await.map_err(|e| e.to_string())
        }
        Err(e) => Err(e.to_string()),
    };
    match result {
        Ok(report) => {
            let verdict = serde_json::to_value(report.verdict).expect("serialises").as_str().unwrap_or_default().to_string();
            sqlx::query(
                "UPDATE applications SET status = 'done', report = $1, verdict = $2, error = NULL, updated_at = $3 WHERE id = $4 AND status = 'running'",
            )
            .bind(serde_json::to_string(&report).expect("reports serialise"))
            .bind(verdict)
            .bind(now())
            .bind(id.to_string())
            .execute(&db.pool)
            .await?;
        }
        Err(e) => {
            tracing::warn!(job = id, error = %e, "precheck failed");
            sqlx::query("UPDATE applications SET status = 'failed', error = $1, updated_at = $2 WHERE id = $3")
                .bind(e)
                .bind(now())
                .bind(id.to_string())
                .execute(&db.pool)
                .await?;
        }
    }
    Ok(())
}

/// A pool of workers. `notify` wakes them on a new submission; they also
/// poll, so jobs queued by another process are found.
pub struct Workers {
    pub handles: Vec<tokio::task::JoinHandle<()>>,
}

pub fn spawn(db: Db, precheck: Arc<Precheck>, notify: Arc<Notify>, n: usize, shutdown: watch::Receiver<bool>) -> Workers {
    let handles = (0..n)
        .map(|i| {
            let (db, precheck, notify, mut shutdown) = (db.clone(), precheck.clone(), notify.clone(), shutdown.clone());
            let worker = format!("{}-{}-{i}", hostname(), std::process::id());
            tokio::spawn(async move {
                loop {
                    if *shutdown.borrow() {
                        break;
                    }
                    match claim(&db, &worker).await {
                        Ok(Some(id)) => {
                            if let Err(e) = run_job(&db, &precheck, &id).await {
                                tracing::error!(job = %id, error = %e, "storing a precheck result failed");
                            }
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
    Workers { handles }
}

fn hostname() -> String {
    std::fs::read_to_string("/etc/hostname").map(|s| s.trim().to_string()).unwrap_or_else(|_| "host".into())
}
