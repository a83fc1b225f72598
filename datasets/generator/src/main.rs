//! `dajian-datasets`: makes the synthetic datasets and trains the
//! extractor. `dajian dataset …` and `dajian train …` run this binary with
//! the same arguments, so either name works:
//!
//! ```sh
//! dajian dataset generate --seed 1 --apps 10 --out datasets/dev
//! dajian-datasets train extractor --out /tmp/extractor
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use dajian::cli::Failure;
use dajian_datasets::train::TrainParams;

#[derive(Parser, Debug)]
#[command(name = "dajian-datasets", version, about = "Synthetic datasets and model training for dajian")]
struct Cli {
    /// Where training runs: cpu, or cuda[:N] in a build with the `cuda` feature.
    #[arg(long, global = true, env = "DAJIAN_DEVICE", default_value = "cpu", value_parser = dajian::extract::model::DeviceSpec::parse)]
    device: dajian::extract::model::DeviceSpec,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Synthetic datasets (`datasets/README.md`).
    Dataset {
        #[command(subcommand)]
        command: DatasetCommand,
    },
    /// Trains a model from synthetic data.
    Train {
        #[command(subcommand)]
        command: TrainCommand,
    },
}

#[derive(Subcommand, Debug)]
enum DatasetCommand {
    /// Writes a registry, applications with their page images and ground
    /// truth to OUT; the same seed gives the same bytes.
    Generate {
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long, default_value_t = 40)]
        apps: usize,
        #[arg(long)]
        out: PathBuf,
        /// Only application.json and truth.json (boxes in layout pixels), no images.
        #[arg(long)]
        no_render: bool,
        /// Draw names and places from the held-out part of the pools, which
        /// training never sees (for test sets such as `datasets/test/unseen`).
        #[arg(long)]
        held_out_pools: bool,
        /// Lay pages out in the held-out layout families, which training
        /// never sees (today: the paper road transport certificate).
        #[arg(long)]
        held_out_families: bool,
        /// Also write PDF versions beside each page (issue 26): PAGE.scan.pdf
        /// (the image as written, wrapped as a scanner does), PAGE.pdf (born
        /// digital, real text, from the clean layout), application.pdf,
        /// application.scan.pdf and truth.pdf.json. Not with --no-render.
        #[arg(long, conflicts_with = "no_render")]
        pdf: bool,
    },
    /// Draws the fixture application's pages (`tests/fixtures/clean`) from
    /// the values its documents.json holds, and the demo's defect pages
    /// into defects/ (`src/demo.rs`); the same fixture gives the same bytes.
    FixturePages {
        #[arg(long)]
        fixture: PathBuf,
    },
    /// Lists every layout family of every kind (held-out ones marked) and
    /// writes PER clean sample pages of each to OUT, named
    /// KIND-FAMILY-N.jpg, to see what each family draws.
    Families {
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = 2)]
        per: usize,
    },
}

#[derive(Subcommand, Debug)]
enum TrainCommand {
    /// The field extraction model (`models/extractor/MODEL_CARD.md` gives
    /// the settings the shipped model was trained with).
    Extractor {
        #[arg(long, default_value_os_t = TrainParams::default().out)]
        out: PathBuf,
        /// Seed of the synthetic world (1 and 13 are datasets/dev and test).
        #[arg(long, default_value_t = TrainParams::default().seed)]
        seed: u64,
        /// Applications generated for training (about 11 pages each).
        #[arg(long, default_value_t = TrainParams::default().apps)]
        apps: usize,
        #[arg(long, default_value_t = TrainParams::default().steps)]
        steps: usize,
        #[arg(long, default_value_t = TrainParams::default().batch)]
        batch: usize,
        #[arg(long, default_value_t = TrainParams::default().lr)]
        lr: f64,
        #[arg(long, default_value_t = TrainParams::default().hidden)]
        hidden: usize,
        #[arg(long, default_value_t = TrainParams::default().layers)]
        layers: usize,
        #[arg(long, default_value_t = TrainParams::default().heads)]
        heads: usize,
        /// Per-character rate of OCR-like noise.
        #[arg(long, default_value_t = TrainParams::default().noise)]
        noise: f32,
        /// Pages as the real OCR read them (`dajian train ocr-samples`); a
        /// tenth is held out for evaluation. `--ocr-share 0` trains without.
        #[arg(long, default_value_os_t = TrainParams::default().ocr_samples)]
        ocr_samples: PathBuf,
        /// Share of each batch taken from --ocr-samples.
        #[arg(long, default_value_t = TrainParams::default().ocr_share)]
        ocr_share: f32,
        /// Fine-tune: start from this model folder's weights, config and
        /// tokenizer (--hidden, --layers, --heads are then ignored).
        #[arg(long)]
        init: Option<PathBuf>,
        /// Rows of each layout table: the model reads each character's box
        /// on the page (0: text alone). An --init model without layout
        /// gets the tables, starting at zero.
        #[arg(long, default_value_t = TrainParams::default().layout)]
        layout: usize,
    },
    /// Renders synthetic pages, reads them with the OCR stage and writes
    /// where the field values are in the OCR text (JSON lines), for
    /// `train extractor --ocr-samples`.
    OcrSamples {
        #[arg(long, default_value_os_t = TrainParams::default().ocr_samples)]
        out: PathBuf,
        /// Seed of the synthetic world (not 1 or 13, the committed datasets,
        /// nor the extractor's --seed).
        #[arg(long, default_value_t = 2000)]
        seed: u64,
        #[arg(long, default_value_t = 60)]
        apps: usize,
        /// Pages read side by side.
        #[arg(long, default_value_t = 2)]
        threads: usize,
        /// Born-digital PDF pages (text taken as printed) instead of images
        /// read by OCR.
        #[arg(long)]
        born_digital: bool,
        /// Read only the pages whose kind has this layout family, all drawn
        /// in it (`dataset families` lists them).
        #[arg(long)]
        family: Option<String>,
    },
}

/// Bad input: exit 2 (`Failure`, shared with `dajian`).
fn input(m: String) -> Failure {
    Failure::Input(m)
}

/// Anything else: exit 1.
fn internal(m: String) -> Failure {
    Failure::Internal(m)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    Failure::exit_code(run(cli), "error")
}

fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Dataset { command: DatasetCommand::Generate { seed, apps, out, no_render, held_out_pools, held_out_families, pdf } } => {
            if apps == 0 {
                return Err(input("--apps: at least one application".into()));
            }
            let mut p = dajian_datasets::GenerateParams::new(seed, apps, &out);
            p.render = !no_render;
            if held_out_pools {
                p.pools = dajian_datasets::Split::HeldOut;
            }
            p.held_out_families = held_out_families;
            p.pdf = pdf;
            let s = dajian_datasets::generate(&p).map_err(|e| internal(format!("{}: {e:#}", out.display())))?;
            println!("{}", serde_json::to_string_pretty(&s).expect("a summary serialises"));
        }
        Command::Dataset { command: DatasetCommand::Families { out, per } } => {
            std::fs::create_dir_all(&out).map_err(|e| input(format!("--out {}: {e}", out.display())))?;
            for (kind, family, held_out) in dajian_datasets::pages::families() {
                println!("{kind}/{family}{}", if held_out { " (held out)" } else { "" });
            }
            for (name, bytes) in dajian_datasets::family_samples(per).map_err(|e| internal(format!("{e:#}")))? {
                let p = out.join(name);
                std::fs::write(&p, bytes).map_err(|e| input(format!("{}: {e}", p.display())))?;
            }
        }
        Command::Dataset { command: DatasetCommand::FixturePages { fixture } } => {
            if !fixture.join("documents.json").is_file() {
                return Err(input(format!("--fixture {}: no documents.json there", fixture.display())));
            }
            let written = dajian_datasets::fixture_pages::write_fixture_pages(&fixture).map_err(|e| internal(format!("{e:#}")))?;
            for name in written {
                println!("{}", fixture.join(name).display());
            }
        }
        Command::Train { command: TrainCommand::OcrSamples { out, seed, apps, threads, born_digital, family } } => {
            if apps == 0 || threads == 0 {
                return Err(input("--apps and --threads must be positive".into()));
            }
            let ocr = dajian::ocr::OcrEngine::load_default(dajian::ocr::OcrParams::default()).map_err(|e| internal(e.to_string()))?;
            let progress = |done: usize, total: usize| {
                if done.is_multiple_of(25) || done == total {
                    eprintln!("[{done}/{total}] pages read");
                }
            };
            let (samples, counts) = dajian_datasets::ocr_samples::collect(seed, apps, &ocr, threads, born_digital, family.as_deref(), progress).map_err(|e| internal(format!("{e:#}")))?;
            dajian_datasets::ocr_samples::write_jsonl(&out, &samples).map_err(|e| internal(format!("{e:#}")))?;
            println!("{}", serde_json::to_string_pretty(&counts).expect("counts serialise"));
        }
        Command::Train { command: TrainCommand::Extractor { out, seed, apps, steps, batch, lr, hidden, layers, heads, noise, ocr_samples, ocr_share, init, layout } } => {
            let dev = dajian::extract::model::device(cli.device)
                .map_err(|e| Failure::Input(e.to_string()))?;
            if layout == 1 {
                return Err(input("--layout must be 0 (no layout) or at least 2 rows".into()));
            }
            if steps == 0 || batch == 0 || apps == 0 || heads == 0 || hidden % heads != 0 {
                return Err(input("--steps, --batch, --apps and --heads must be positive and --hidden a multiple of --heads".into()));
            }
            if !(0.0..=1.0).contains(&ocr_share) {
                return Err(input(format!("--ocr-share must be between 0 and 1, got {ocr_share}")));
            }
            let p = TrainParams { seed, apps, steps, batch, lr, hidden, layers, heads, noise, out, ocr_samples, ocr_share, init, layout, ..Default::default() };
            let e = dajian_datasets::train::train(&p, &dev).map_err(|e| internal(format!("{e:#}")))?;
            println!("{}", serde_json::to_string_pretty(&e).expect("an evaluation serialises"));
        }
    }
    Ok(())
}
