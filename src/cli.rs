//! The `dajian` command line (`spec/report.md`, CLI). Exit codes: 0 done
//! (whatever the verdict), 2 unusable input (message on stderr), 1 any
//! other failure.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::checks::CheckConfig;
use crate::db::{DEFAULT_URL, Db};
use crate::pipeline::{self, PipelineError, Precheck};
use crate::registry;
use crate::rules::Rules;

#[derive(Parser, Debug)]
#[command(name = "dajian", version, about = "Pre-checks oversize/overweight road transport permit applications (大件运输许可)")]
pub struct Cli {
    /// Database: sqlite://PATH (created on first use) or postgres://…
    #[arg(long, global = true, env = "DAJIAN_DB", default_value = DEFAULT_URL)]
    pub db: String,
    /// Where models run: cpu, or cuda[:N] in a build with the `cuda` feature.
    #[arg(long, global = true, env = "DAJIAN_DEVICE", default_value = "cpu")]
    pub device: String,
    /// A rules directory to use instead of the compiled-in `rules/`.
    #[arg(long, global = true, env = "DAJIAN_RULES")]
    pub rules: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Registry maintenance.
    Registry {
        #[command(subcommand)]
        command: RegistryCommand,
    },
    /// Prechecks one application and prints the report JSON.
    Check {
        /// The application.json; its pages are resolved beside it.
        application: PathBuf,
        /// Use these already-extracted documents (a JSON array of report
        /// `documents[]` entries) instead of reading the pages.
        #[arg(long)]
        fields: Option<PathBuf>,
        /// Indent the JSON.
        #[arg(long)]
        pretty: bool,
    },
    /// Imports the demo registry and prechecks the demo application: a
    /// five-minute tour of what dajian does.
    Demo,
    /// The HTTP service (spec/report.md) with its precheck workers.
    Serve {
        #[arg(long, default_value = "127.0.0.1:8080", env = "DAJIAN_LISTEN")]
        listen: String,
        /// Precheck workers (each runs one application at a time).
        #[arg(long, default_value_t = 2, env = "DAJIAN_WORKERS")]
        workers: usize,
    },
    /// API tokens for applicants' systems, clerks and admins.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
}

#[derive(Subcommand, Debug)]
pub enum TokenCommand {
    /// Creates a token and prints it once (only its hash is stored).
    Create {
        #[arg(long)]
        name: String,
        #[arg(long, value_enum)]
        role: crate::http::auth::Role,
    },
}

#[derive(Subcommand, Debug)]
pub enum RegistryCommand {
    /// Loads the JSONL files of DIR (companies, persons, vehicles,
    /// road_nodes, road_segments, structures); all or nothing.
    Import { dir: PathBuf },
}

/// A failure, and whether it was the caller's input.
pub enum Failure {
    Input(String),
    Internal(String),
}

impl From<PipelineError> for Failure {
    fn from(e: PipelineError) -> Self {
        match e {
            PipelineError::Input(_) | PipelineError::Form(_) => Failure::Input(e.to_string()),
            PipelineError::Db(_) => Failure::Internal(e.to_string()),
        }
    }
}

/// The device string as given, or why this build cannot use it.
pub fn check_device(device: &str) -> Result<String, Failure> {
    if device == "cpu" {
        return Ok(device.to_string());
    }
    let cuda = device == "cuda" || device.strip_prefix("cuda:").is_some_and(|n| n.parse::<u32>().is_ok());
    if !cuda {
        return Err(Failure::Input(format!("--device {device}: expected cpu, cuda or cuda:N")));
    }
    if cfg!(feature = "cuda") {
        Ok(device.to_string())
    } else {
        Err(Failure::Input(format!(
            "--device {device}: this dajian was built without GPU support; rebuild with `cargo build --release --features cuda` on a machine with the CUDA toolkit (nvcc)"
        )))
    }
}

fn load_rules(dir: Option<&Path>) -> Result<Rules, Failure> {
    match dir {
        Some(d) => Rules::load_dir(d).map_err(|e| Failure::Input(e.to_string())),
        None => Ok(Rules::embedded()),
    }
}

async fn open_db(url: &str) -> Result<Db, Failure> {
    Db::open(url).await.map_err(|e| match e {
        crate::db::DbError::Url(_) => Failure::Input(e.to_string()),
        _ => Failure::Internal(e.to_string()),
    })
}

async fn import(db: &Db, dir: &Path) -> Result<registry::ImportReport, Failure> {
    registry::import_dir(db, dir).await.map_err(|e| match e {
        registry::ImportError::Db(_) => Failure::Internal(e.to_string()),
        _ => Failure::Input(e.to_string()),
    })
}

const DEMO_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/clean");

async fn run(cli: Cli) -> Result<(), Failure> {
    let device = check_device(&cli.device)?;
    let rules = load_rules(cli.rules.as_deref())?;
    let precheck = Precheck { rules, config: CheckConfig::default(), device };
    match cli.command {
        Command::Registry { command: RegistryCommand::Import { dir } } => {
            let db = open_db(&cli.db).await?;
            let report = import(&db, &dir).await?;
            print!("{report}");
        }
        Command::Check { application, fields, pretty } => {
            let (app, dir) = pipeline::read_application(&application)?;
            let read = match fields {
                Some(f) => pipeline::read_fields(&f, &app)?,
                None => vec![],
            };
            pipeline::check_pages_exist(&application, &app, &dir, &read)?;
            let db = open_db(&cli.db).await?;
            let report = precheck.run(&db, &app, read).await?;
            let json = if pretty { serde_json::to_string_pretty(&report) } else { serde_json::to_string(&report) };
            println!("{}", json.expect("reports serialise"));
        }
        Command::Serve { listen, workers } => {
            let db = open_db(&cli.db).await?;
            let listener = tokio::net::TcpListener::bind(&listen)
                .await
                .map_err(|e| Failure::Input(format!("--listen {listen}: {e}")))?;
            let state = crate::http::AppState {
                db,
                precheck: std::sync::Arc::new(precheck),
                limits: Default::default(),
                notify: Default::default(),
            };
            eprintln!("dajian: serving on http://{}", listener.local_addr().map_err(|e| Failure::Internal(e.to_string()))?);
            crate::http::serve(state, listener, crate::http::ServeOptions { workers: workers.max(1), lease: None }, shutdown_signal())
                .await
                .map_err(|e| Failure::Internal(e.to_string()))?;
        }
        Command::Token { command: TokenCommand::Create { name, role } } => {
            let db = open_db(&cli.db).await?;
            let (id, token) = crate::http::auth::create_token(&db, &name, role).await.map_err(|e| Failure::Internal(e.to_string()))?;
            eprintln!("created {} token {id} for {name}; it is shown only now:", role.key());
            println!("{token}");
        }
        Command::Demo => {
            let db = open_db(&cli.db).await?;
            let dir = Path::new(DEMO_DIR);
            eprintln!("importing the demo registry from {}", dir.join("registry").display());
            eprint!("{}", import(&db, &dir.join("registry")).await?);
            let (app, _) = pipeline::read_application(&dir.join("application.json"))?;
            let read = pipeline::read_fields(&dir.join("documents.json"), &app)?;
            let report = precheck.run(&db, &app, read).await?;
            println!("{}", crate::report::summary(&report));
        }
    }
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

/// Entry point for `main`: runs the command and maps failures to exit codes.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("DAJIAN_LOG").unwrap_or_else(|_| "warn".into()))
        .with_writer(std::io::stderr)
        .init();
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");
    match rt.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Input(m)) => {
            eprintln!("dajian: {m}");
            ExitCode::from(2)
        }
        Err(Failure::Internal(m)) => {
            eprintln!("dajian: {m}");
            ExitCode::from(1)
        }
    }
}
