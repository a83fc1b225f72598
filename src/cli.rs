//! The `dajian` command line (`spec/report.md`, CLI). Exit codes: 0 done
//! (whatever the verdict), 2 unusable input (message on stderr), 1 any
//! other failure.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::checks::CheckConfig;
use crate::db::{DEFAULT_URL, Db};
use crate::extract::model::DeviceSpec;
use crate::lang::Lang;
use crate::ocr::OcrBackend;
use crate::pipeline::{self, PipelineError, Precheck};
use crate::registry;
use crate::rules::Rules;

#[derive(Parser, Debug)]
#[command(name = "dajian", version, about = "Pre-checks oversize/overweight road transport permit applications (大件运输许可)")]
pub struct Cli {
    /// Database: an SQLite file (PATH or sqlite://PATH, created on first use) or postgres://…
    #[arg(long, global = true, env = "DAJIAN_DB", default_value = DEFAULT_URL)]
    pub db: String,
    /// Where models run: cpu, or cuda[:N] in a build with the `cuda` feature.
    #[arg(long, global = true, env = "DAJIAN_DEVICE", default_value = "cpu", value_parser = DeviceSpec::parse)]
    pub device: DeviceSpec,
    /// What runs the OCR networks: rten (CPU) or candle (CPU, or the GPU of
    /// --device cuda). For `bench`, a comma-separated list to compare.
    #[arg(long, global = true, env = "DAJIAN_OCR_BACKEND", default_value = "rten", value_parser = OcrBackend::parse, value_delimiter = ',')]
    pub ocr_backend: Vec<OcrBackend>,
    /// A rules directory to use instead of the compiled-in `rules/`.
    #[arg(long, global = true, env = "DAJIAN_RULES")]
    pub rules: Option<PathBuf>,
    /// A TOML settings file (db, listen, workers, … — docs/operations.md);
    /// flags and DAJIAN_* variables win over it.
    #[arg(long, global = true, env = "DAJIAN_CONFIG")]
    pub config: Option<PathBuf>,
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
        /// The language of check titles and messages: zh (default) or en.
        #[arg(long, default_value = "zh", value_parser = parse_lang)]
        lang: Lang,
    },
    /// Prints the page's text lines as JSON `[{text, confidence, bbox}]`
    /// in reading order.
    Ocr {
        image: PathBuf,
        /// The folder of det.onnx, rec.onnx, cls.onnx and alphabet.txt
        /// (default: the repository's models/ocr, or $DAJIAN_MODELS/ocr).
        #[arg(long)]
        models: Option<PathBuf>,
    },
    /// Synthetic datasets (`datasets/README.md`): `dataset generate …`.
    /// Runs `dajian-datasets`, the workspace's generator crate.
    #[command(disable_help_flag = true)]
    Dataset {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<std::ffi::OsString>,
    },
    /// Trains a model from synthetic data: `train extractor …`,
    /// `train ocr-samples …`. Runs `dajian-datasets`.
    #[command(disable_help_flag = true)]
    Train {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<std::ffi::OsString>,
    },
    /// Reads one page (OCR, then the extraction model) and prints its
    /// report `documents[]` entry: kind, kind_confidence, fields.
    Extract {
        image: PathBuf,
        /// Take the page as this kind instead of classifying it
        /// (vehicle_licence, driving_licence, id_card, …).
        #[arg(long)]
        kind: Option<crate::document::DocKind>,
    },
    /// Accuracy and speed of OCR, extraction and the checks on a generated
    /// dataset (`dajian dataset generate`), e.g. `--dataset datasets/test`.
    #[command(args_conflicts_with_subcommands = true)]
    Bench {
        #[command(subcommand)]
        command: Option<BenchCommand>,
        /// A dataset made by `dajian dataset generate` (apps/ with truth.json, registry/).
        #[arg(long)]
        dataset: Option<PathBuf>,
        /// Only the first N applications.
        #[arg(long)]
        apps: Option<usize>,
        /// Then run the applications again N at a time through the whole
        /// pipeline, as the service does, and report applications per minute.
        #[arg(long, default_value_t = 0)]
        parallel: usize,
        /// CPU threads for the whole run (OCR, extraction, pages side by
        /// side); 0: every core. Sets RAYON_NUM_THREADS and RTEN_NUM_THREADS.
        #[arg(long, default_value_t = 0)]
        threads: usize,
        /// OCR model folder: a name in models/ (or $DAJIAN_MODELS) or a
        /// path. Several, comma-separated: the first is the main one, the
        /// others are measured on the same pages as variants.
        #[arg(long, default_value = "ocr", value_delimiter = ',')]
        ocr: Vec<String>,
        /// Extractor model folder: a name in models/ or a path. Several,
        /// comma-separated (e.g. `extractor,extractor-synthetic`): the first
        /// is the main one, the others are compared on the same OCR text.
        #[arg(long, default_value = "extractor", value_delimiter = ',')]
        extractor: Vec<String>,
        #[arg(long, value_enum, default_value = "md")]
        format: BenchFormat,
        /// Also write the JSON report here.
        #[arg(long)]
        json_out: Option<PathBuf>,
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
        /// On a fresh database: import the demo registry, create the demo
        /// clerk (clerk / dajian-demo) and submit demo applications.
        #[arg(long)]
        demo: bool,
        /// Browsers reach the service over TLS: mark the desk's session
        /// cookie `Secure`.
        #[arg(long, env = "DAJIAN_SECURE_COOKIES")]
        secure_cookies: bool,
        /// Seconds a precheck's claim lives without renewal before another
        /// worker (on any instance) takes the job over.
        #[arg(long, env = "DAJIAN_LEASE_SECS", default_value_t = 60)]
        lease_secs: u64,
        /// Applications waiting at most; beyond, submissions get 503 with
        /// Retry-After.
        #[arg(long, env = "DAJIAN_MAX_QUEUED", default_value_t = 200)]
        max_queued: i64,
    },
    /// Routes over the registry's road network.
    Route {
        #[command(subcommand)]
        command: RouteCommand,
    },
    /// Accounts for the clerk's desk.
    User {
        #[command(subcommand)]
        command: UserCommand,
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
        role: crate::accounts::Role,
    },
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Creates a desk account. The password is read from the first line of
    /// standard input, or from the environment variable --password-env names.
    Create {
        #[arg(long)]
        name: String,
        #[arg(long, value_enum)]
        role: StaffRole,
        /// Read the password from this environment variable instead of stdin.
        #[arg(long)]
        password_env: Option<String>,
    },
}

/// The roles a desk account may have (applicants use API tokens).
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum StaffRole {
    Clerk,
    Admin,
}

#[derive(Subcommand, Debug)]
pub enum RegistryCommand {
    /// Loads the JSONL files of DIR (companies, persons, vehicles,
    /// road_nodes, road_segments, structures); all or nothing.
    Import { dir: PathBuf },
}

#[derive(Subcommand, Debug)]
pub enum RouteCommand {
    /// The shortest route the application's combination can take between
    /// its origin and destination (the one R3 suggests), as JSON on stdout,
    /// with a sentence on stderr; or what cuts the network.
    Suggest {
        /// The application.json (only its route and combination are read).
        application: PathBuf,
        /// The language of the sentence: zh (default) or en.
        #[arg(long, default_value = "zh", value_parser = parse_lang)]
        lang: Lang,
    },
}

#[derive(Subcommand, Debug)]
pub enum BenchCommand {
    /// Two JSON reports (`bench --json-out`) side by side, with differences.
    Compare { a: PathBuf, b: PathBuf },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum BenchFormat {
    Md,
    Json,
}

/// A failure, and whether it was the caller's input.
pub enum Failure {
    Input(String),
    Internal(String),
}

impl Failure {
    /// How a run ends for the shell, its message on stderr after `prefix`:
    /// 2 for the caller's input, 1 for anything else. The `dataset`
    /// generator's command keeps the same convention.
    pub fn exit_code(outcome: Result<(), Failure>, prefix: &str) -> ExitCode {
        match outcome {
            Ok(()) => ExitCode::SUCCESS,
            Err(Failure::Input(m)) => {
                eprintln!("{prefix}: {m}");
                ExitCode::from(2)
            }
            Err(Failure::Internal(m)) => {
                eprintln!("{prefix}: {m}");
                ExitCode::from(1)
            }
        }
    }
}

impl From<PipelineError> for Failure {
    fn from(e: PipelineError) -> Self {
        match e {
            PipelineError::Input(_) | PipelineError::Form(_) => Failure::Input(e.to_string()),
            PipelineError::Db(_) => Failure::Internal(e.to_string()),
        }
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

fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::parse(s).ok_or_else(|| format!("'{s}' is not a language: use zh or en"))
}

async fn import(db: &Db, dir: &Path) -> Result<registry::ImportReport, Failure> {
    registry::import_dir(db, dir).await.map_err(|e| match e {
        registry::ImportError::Db(_) => Failure::Internal(e.to_string()),
        _ => Failure::Input(e.to_string()),
    })
}

const DEMO_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/clean");

async fn run(cli: Cli) -> Result<(), Failure> {
    let device = cli.device;
    let engines = pipeline::Engines { device, ocr_backend: cli.ocr_backend.first().copied().unwrap_or_default() };
    let rules = load_rules(cli.rules.as_deref())?;
    let mut precheck = Precheck { rules, config: CheckConfig::default(), device, readers: None };
    // The models load only for the commands that read pages (~1 s).
    let load_readers = || -> Result<std::sync::Arc<pipeline::Readers>, Failure> {
        pipeline::Readers::load_default(engines).map(std::sync::Arc::new).map_err(|e| Failure::Internal(e.to_string()))
    };
    match cli.command {
        Command::Registry { command: RegistryCommand::Import { dir } } => {
            let db = open_db(&cli.db).await?;
            let report = import(&db, &dir).await?;
            print!("{report}");
        }
        Command::Check { application, fields, pretty, lang } => {
            let (app, dir) = pipeline::read_application(&application)?;
            let read = match fields {
                Some(f) => pipeline::read_fields(&f, &app)?,
                None => vec![],
            };
            pipeline::check_pages_exist(&application, &app, &dir, &read)?;
            let pages = pipeline::load_pages(&app, &dir, &read)?;
            if !pages.is_empty() {
                precheck.readers = Some(load_readers()?);
            }
            let db = open_db(&cli.db).await?;
            let report = crate::checks::localized(precheck.run_files(&db, &app, read, pages).await?, lang);
            let json = if pretty { serde_json::to_string_pretty(&report) } else { serde_json::to_string(&report) };
            println!("{}", json.expect("reports serialise"));
        }
        Command::Serve { listen, workers, demo, secure_cookies, lease_secs, max_queued } => {
            precheck.readers = Some(load_readers()?);
            let db = open_db(&cli.db).await?;
            if demo {
                let seeded = crate::demo::seed(&db, &precheck).await.map_err(|e| Failure::Internal(format!("seeding the demo: {e:#}")))?;
                if seeded.registry_imported {
                    eprintln!("demo: imported the demo registry");
                }
                if seeded.read_now {
                    eprintln!("demo: read the demo pages (tests/fixtures/clean) with the models");
                }
                for (no, verdict) in &seeded.applications {
                    eprintln!("demo: application {no} — {verdict}");
                }
                if seeded.applications.is_empty() {
                    eprintln!("demo: the database already holds applications; none added");
                }
                eprintln!("demo: desk login {} / {}", crate::demo::CLERK_NAME, crate::demo::CLERK_PASSWORD);
            }
            let listener = tokio::net::TcpListener::bind(&listen)
                .await
                .map_err(|e| Failure::Input(format!("--listen {listen}: {e}")))?;
            let state = crate::http::AppState {
                db,
                precheck: std::sync::Arc::new(precheck),
                limits: std::sync::Arc::new(crate::http::Limits { max_queued, ..Default::default() }),
                notify: Default::default(),
                desk: crate::http::desk::DeskConfig { secure_cookies },
            };
            let addr = listener.local_addr().map_err(|e| Failure::Internal(e.to_string()))?;
            eprintln!("dajian: serving on http://{addr} (clerk's desk: http://{addr}/desk)");
            crate::http::serve(state, listener, crate::http::ServeOptions { workers: workers.max(1), lease: Some(std::time::Duration::from_secs(lease_secs)) }, shutdown_signal())
                .await
                .map_err(|e| Failure::Internal(e.to_string()))?;
        }
        Command::Route { command: RouteCommand::Suggest { application, lang } } => {
            let (app, _) = pipeline::read_application(&application)?;
            let db = open_db(&cli.db).await?;
            let net = crate::route::load_network(&db, &precheck.rules.route).await.map_err(|e| Failure::Internal(e.to_string()))?;
            if net.segment_count() == 0 {
                return Err(Failure::Input(format!("{}: the registry in {} has no road network: import one with `dajian registry import DIR`", application.display(), cli.db)));
            }
            let r = &app.route;
            let s = crate::route::suggest(&net, &r.origin, &r.destination, &crate::route::Load::of(&app), &r.segments);
            println!("{}", serde_json::to_string_pretty(&s).expect("a suggestion serialises"));
            eprintln!("{}", s.summary(lang));
        }
        Command::User { command: UserCommand::Create { name, role, password_env } } => {
            let password = match password_env {
                Some(var) => std::env::var(&var).map_err(|_| Failure::Input(format!("--password-env {var}: the variable is not set")))?,
                None => {
                    let mut line = String::new();
                    std::io::stdin().read_line(&mut line).map_err(|e| Failure::Input(format!("reading the password from stdin: {e}")))?;
                    line.trim_end_matches(['\r', '\n']).to_string()
                }
            };
            let role = match role {
                StaffRole::Clerk => crate::accounts::Role::Clerk,
                StaffRole::Admin => crate::accounts::Role::Admin,
            };
            let db = open_db(&cli.db).await?;
            let id = crate::accounts::create_user(&db, &name, role, &password).await.map_err(|e| match e {
                crate::accounts::UserError::Db(_) | crate::accounts::UserError::Hash(_) => Failure::Internal(e.to_string()),
                _ => Failure::Input(e.to_string()),
            })?;
            eprintln!("created {} account {name} ({id})", role.key());
        }
        Command::Token { command: TokenCommand::Create { name, role } } => {
            let db = open_db(&cli.db).await?;
            let (id, token) = crate::accounts::create_token(&db, &name, role).await.map_err(|e| Failure::Internal(e.to_string()))?;
            eprintln!("created {} token {id} for {name}; it is shown only now:", role.key());
            println!("{token}");
        }
        Command::Ocr { image, models } => {
            let json =
                crate::ocr::cli::run_ocr(&image, models.as_deref(), crate::ocr::OcrParams { backend: engines.ocr_backend, device, ..Default::default() })
                    .map_err(|e| {
                        if e.downcast_ref::<crate::ocr::cli::UnusableInput>().is_some() {
                            Failure::Input(format!("{e:#}"))
                        } else {
                            Failure::Internal(format!("{e:#}"))
                        }
                    })?;
            // A closed pipe (`| head`) is not worth a panic.
            use std::io::Write;
            let _ = writeln!(std::io::stdout().lock(), "{json}");
        }
        Command::Extract { image, kind } => {
            let name = image.display().to_string();
            let bytes = std::fs::read(&image).map_err(|e| Failure::Input(format!("{name}: {e}")))?;
            let pages = crate::ingest::decode_file(&bytes, &name, &Default::default()).map_err(|e| Failure::Input(e.to_string()))?;
            let readers = load_readers()?;
            let doc = readers.read_file_pages(&pages, kind).map_err(|e| Failure::Internal(e.to_string()))?.document;
            println!("{}", serde_json::to_string_pretty(&doc).expect("documents serialise"));
        }
        Command::Bench { command: Some(BenchCommand::Compare { a, b }), .. } => {
            let load = |p: &Path| -> Result<crate::bench::BenchReport, Failure> {
                let text = std::fs::read_to_string(p).map_err(|e| Failure::Input(format!("{}: {e}", p.display())))?;
                serde_json::from_str(&text).map_err(|e| Failure::Input(format!("{}: not a bench JSON report: {e}", p.display())))
            };
            let (ra, rb) = (load(&a)?, load(&b)?);
            println!("A: {} ({})\nB: {} ({})\n", a.display(), ra.dataset, b.display(), rb.dataset);
            print!("{}", crate::bench::compare(&ra, &rb));
        }
        Command::Bench { command: None, dataset, apps, parallel, ocr, extractor, format, json_out, .. } => {
            let dataset = dataset.ok_or_else(|| Failure::Input("--dataset DIR is needed".into()))?;
            if !dataset.join("apps").is_dir() {
                return Err(Failure::Input(format!("--dataset {}: no apps/ folder (make one with `dajian dataset generate`)", dataset.display())));
            }
            let ocr_dirs = ocr.iter().map(|n| crate::model_dir(n)).collect();
            let extractor_dirs = extractor.iter().map(|n| crate::model_dir(n)).collect();
            let p =
                crate::bench::BenchParams { dataset, apps, device: precheck.device, ocr_backends: cli.ocr_backend.clone(), parallel, ocr_dirs, extractor_dirs };
            let r = crate::bench::run(&p, |line| eprintln!("{line}")).await.map_err(|e| Failure::Internal(format!("{e:#}")))?;
            let json = serde_json::to_string_pretty(&r).expect("a bench report serialises");
            if let Some(path) = json_out {
                std::fs::write(&path, &json).map_err(|e| Failure::Internal(format!("{}: {e}", path.display())))?;
            }
            match format {
                BenchFormat::Md => print!("{}", crate::bench::markdown(&r)),
                BenchFormat::Json => println!("{json}"),
            }
        }
        Command::Dataset { args } => run_datasets_tool("dataset", &args, cli.device)?,
        Command::Train { args } => run_datasets_tool("train", &args, cli.device)?,
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

/// `dajian dataset …` and `dajian train …` run the generator crate's
/// binary (`datasets/generator`), which sits beside this one after a
/// `cargo build` of the workspace: the service binary does not carry the
/// generator or the training code.
fn run_datasets_tool(command: &str, args: &[std::ffi::OsString], device: DeviceSpec) -> Result<(), Failure> {
    const TOOL: &str = "dajian-datasets";
    let beside = std::env::current_exe().ok().map(|exe| exe.with_file_name(TOOL)).filter(|p| p.is_file());
    let tool = beside.unwrap_or_else(|| PathBuf::from(TOOL));
    let status = std::process::Command::new(&tool).arg(command).args(args).env("DAJIAN_DEVICE", device.to_string()).status().map_err(|e| {
        Failure::Input(format!(
            "`dajian {command}` runs {TOOL}, which was not found beside {} or on PATH ({e}); build it with `cargo build --release` in the repository (it is the workspace member datasets/generator)",
            std::env::current_exe().map(|p| p.display().to_string()).unwrap_or_default()
        ))
    })?;
    if status.success() {
        Ok(())
    } else {
        Err(Failure::Input(format!("{TOOL} {command} failed ({status})")))
    }
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
    // The settings file only fills environment variables, so flags and the
    // environment keep precedence (src/config.rs).
    let args: Vec<String> = std::env::args().collect();
    if let Some(path) = crate::config::path_from(&args)
        && let Err(m) = crate::config::apply(Path::new(&path))
    {
        eprintln!("dajian: --config {m}");
        return ExitCode::from(2);
    }
    let cli = Cli::parse();
    if let Command::Bench { threads, .. } = &cli.command
        && *threads > 0
    {
        // rten, candle and rayon size their pools from these when first
        // used. Safety: no other thread exists yet (the runtime is built
        // below), so nothing reads the environment while it changes.
        unsafe {
            std::env::set_var("RAYON_NUM_THREADS", threads.to_string());
            std::env::set_var("RTEN_NUM_THREADS", threads.to_string());
        }
    }
    crate::logging::init();
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");
    Failure::exit_code(rt.block_on(run(cli)), "dajian")
}
