//! Minimal CLI with only `dajian ocr`; the full CLI (src/cli.rs) replaces
//! this on merge and keeps calling `dajian::ocr::cli::run_ocr`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "dajian", about = "Pre-checks oversize transport permit applications")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the page's text lines as JSON [{text, confidence, bbox}] in reading order.
    Ocr {
        image: PathBuf,
        /// Directory holding det.onnx, rec.onnx, cls.onnx, alphabet.txt.
        #[arg(long)]
        models: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Ocr { image, models } => match dajian::ocr::cli::run_ocr(&image, models.as_deref()) {
            Ok(json) => {
                // A closed pipe (`| head`) is not an error worth a panic.
                use std::io::Write;
                let _ = writeln!(std::io::stdout().lock(), "{json}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("dajian ocr: {e:#}");
                let unusable = e.downcast_ref::<dajian::ocr::cli::UnusableInput>().is_some();
                ExitCode::from(if unusable { 2 } else { 1 })
            }
        },
    }
}
