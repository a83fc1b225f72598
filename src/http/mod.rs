//! The HTTP service of `spec/report.md`: one `Clone` state, one router per
//! area merged in [`router`], one error type ([`ApiError`]). The clerk's
//! desk (HTML, `/desk`) is in [`desk`].

mod applications;
pub mod auth;
pub mod decisions;
pub mod desk;
mod error;
mod health;
pub mod submission;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use tokio::sync::Notify;

pub use error::{ApiError, ApiResult};

use crate::db::Db;
use crate::pipeline::Precheck;

/// Limits on what one submission may hold.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Applications waiting at most; beyond, 503 with Retry-After.
    pub max_queued: i64,
    pub max_pages: usize,
    pub max_page_bytes: usize,
    pub max_form_bytes: usize,
    pub max_page_pixels: u64,
    /// Pages in one file (a PDF, a multi-page TIFF).
    pub max_pages_per_file: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_queued: 200,
            max_pages: 40,
            max_page_bytes: 20 * 1024 * 1024,
            max_form_bytes: 256 * 1024,
            // A4 at 300 dpi is 8.7 MP and a phone photo 12 MP; 60 MP leaves room.
            max_page_pixels: 60_000_000,
            max_pages_per_file: 20,
        }
    }
}

impl Limits {
    /// The whole request: every page at its largest, plus the form.
    fn max_body(&self) -> usize {
        self.max_pages * self.max_page_bytes + self.max_form_bytes + 64 * 1024
    }
}

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub precheck: Arc<Precheck>,
    pub limits: Arc<Limits>,
    /// Wakes the workers when a submission arrives.
    pub notify: Arc<Notify>,
    /// The clerk's desk (cookie settings).
    pub desk: desk::DeskConfig,
}

pub fn router(state: AppState) -> Router {
    let body = state.limits.max_body();
    Router::new()
        .nest("/api/v1", applications::router())
        .merge(health::router())
        .merge(desk::router())
        .layer(DefaultBodyLimit::max(body))
        .with_state(state)
}

/// How the service runs its precheck workers.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub workers: usize,
    /// A claim on a job that its worker has not renewed for this long is
    /// taken as left by a dead process, and the job is queued again
    /// (workers renew every third of it while they run). `None`: 60 s.
    /// At start, SQLite queues again everything left running (one machine:
    /// what is `running` was left by a crash); PostgreSQL only claims older
    /// than the lease (other live instances hold claims).
    pub lease: Option<std::time::Duration>,
}

pub const DEFAULT_LEASE: std::time::Duration = std::time::Duration::from_secs(60);

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions { workers: 2, lease: None }
    }
}

/// Runs the service on `listener` until `shutdown` resolves: requeues what
/// an earlier process left running, starts the workers, serves, then lets
/// the workers finish their current job (a job still running when the
/// process ends is queued again at the next start).
pub async fn serve(
    state: AppState,
    listener: tokio::net::TcpListener,
    options: ServeOptions,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let workers = options.workers;
    let lease = options.lease.unwrap_or(DEFAULT_LEASE);
    let at_start = match state.db.backend {
        crate::db::Backend::Sqlite => std::time::Duration::ZERO,
        crate::db::Backend::Postgres => lease,
    };
    let requeued = crate::jobs::recover(&state.db, at_start).await?;
    if requeued > 0 {
        tracing::info!(requeued, "queued again the prechecks an earlier process left running");
    }
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let pool = crate::jobs::spawn(state.db.clone(), state.precheck.clone(), state.notify.clone(), workers, lease, stop_rx);
    tracing::info!(addr = %listener.local_addr()?, workers, "dajian serving");
    // Connect info gives the desk the peer address for login rate limiting.
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await?;
    let _ = stop_tx.send(true);
    let wait = async {
        for h in pool.handles {
            let _ = h.await;
        }
    };
    if tokio::time::timeout(std::time::Duration::from_secs(60), wait).await.is_err() {
        tracing::warn!("workers still busy after 60 s; their jobs will be queued again at the next start");
    }
    Ok(())
}
