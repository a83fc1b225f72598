//! Times the OCR stage on every page of a directory, in one process (models
//! loaded once), and prints one JSON object per page:
//! `{"file", "seconds", "rotation", "text"}`. Used by ocr_vs_rapidocr.sh.
//!
//!     cargo bench --bench ocr_pages -- DIR [REPEATS]
//!
//! Two ways to time, as a server can use two cores:
//! - latency (default): one page at a time, every core on it; `seconds` is
//!   the page's time.
//! - throughput (`DAJIAN_BENCH_IN_FLIGHT=N`): N pages read side by side,
//!   each on one core of its own, as the pipeline reads an application's
//!   pages (`par::Slots`). `seconds` is then the page's time while sharing
//!   the machine, and a last line `{"pages", "wall_seconds", "in_flight"}`
//!   gives the wall time of a whole pass: pages per second is the measure.

use std::time::Instant;

use dajian::ingest::{DecodeLimits, decode_page};
use dajian::ocr::{OcrEngine, OcrParams};


fn main() -> anyhow::Result<()> {
    // cargo bench passes `--bench`; skip flags.
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let dir = args.first().map(String::as_str).unwrap_or("tests/data/ocr");
    let repeats: usize = args.get(1).map(|r| r.parse()).transpose()?.unwrap_or(3);
    if std::env::var_os("DAJIAN_BENCH_MODELS").is_some() {
        return bench_models();
    }
    // Overrides for tuning experiments.
    let mut params = OcrParams::default();
    set_from_env("DAJIAN_REC_BATCH", &mut params.rec_batch)?;
    set_from_env("DAJIAN_REC_MIN_WIDTH", &mut params.rec_min_width)?;
    set_from_env("DAJIAN_REC_THREADS", &mut params.rec_threads)?;
    set_from_env("DAJIAN_FIRST_LOOK_PIXELS", &mut params.first_look_pixels)?;
    set_from_env("DAJIAN_MIN_LINE_PX", &mut params.min_line_px)?;
    set_from_env("DAJIAN_TARGET_LINE_PX", &mut params.target_line_px)?;
    let engine = OcrEngine::load(&dajian::ocr::default_models_dir(), params)?;
    let mut files: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("jpg" | "jpeg" | "png" | "webp" | "tif" | "tiff")))
        .collect();
    files.sort();
    if let Some(in_flight) = std::env::var("DAJIAN_BENCH_IN_FLIGHT").ok().map(|n| n.parse::<usize>()).transpose()? {
        return throughput(&engine, &files, repeats, in_flight);
    }
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let bytes = std::fs::read(&path)?;
        // Warm-up: first-call allocations are not what a server pays per page.
        let page = decode_page(&bytes, &name, &DecodeLimits::default())?;
        let mut text = engine.read(&page)?;
        let start = Instant::now();
        for _ in 0..repeats {
            // Decoding is part of the per-page cost, as for RapidOCR.
            let page = decode_page(&bytes, &name, &DecodeLimits::default())?;
            text = engine.read(&page)?;
        }
        let seconds = start.elapsed().as_secs_f64() / repeats as f64;
        println!(
            "{}",
            serde_json::json!({"file": name, "seconds": seconds, "rotation": text.rotation_applied, "text": text.text()})
        );
    }
    Ok(())
}

/// Every page read `repeats` times, `in_flight` at once, each pass timed
/// whole after one untimed pass.
fn throughput(engine: &OcrEngine, files: &[std::path::PathBuf], repeats: usize, in_flight: usize) -> anyhow::Result<()> {
    let pages: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|p| Ok((p.file_name().unwrap().to_string_lossy().to_string(), std::fs::read(p)?)))
        .collect::<anyhow::Result<_>>()?;
    let slots = dajian::par::Slots::new(in_flight);
    let pass = || {
        dajian::par::map(&pages, in_flight, |(name, bytes)| -> anyhow::Result<_> {
            let _slot = slots.acquire();
            let start = Instant::now();
            let page = decode_page(bytes, name, &DecodeLimits::default())?;
            let text = engine.read(&page)?;
            Ok((start.elapsed().as_secs_f64(), text))
        })
        .into_iter()
        .collect::<anyhow::Result<Vec<_>>>()
    };
    pass()?;
    let mut seconds = vec![0.0; pages.len()];
    let mut last = vec![];
    let start = Instant::now();
    for _ in 0..repeats {
        last = pass()?;
        for (s, (t, _)) in seconds.iter_mut().zip(&last) {
            *s += t / repeats as f64;
        }
    }
    let wall = start.elapsed().as_secs_f64() / repeats as f64;
    for (((name, _), s), (_, text)) in pages.iter().zip(seconds).zip(last) {
        println!("{}", serde_json::json!({"file": name, "seconds": s, "rotation": text.rotation_applied, "text": text.text()}));
    }
    println!("{}", serde_json::json!({"pages": pages.len(), "wall_seconds": wall, "in_flight": in_flight}));
    Ok(())
}

/// `*field` = the environment variable `name`, when it is set.
fn set_from_env<T: std::str::FromStr>(name: &str, field: &mut T) -> anyhow::Result<()>
where
    T::Err: std::fmt::Display,
{
    if let Ok(v) = std::env::var(name) {
        *field = v.parse().map_err(|e| anyhow::anyhow!("{name}={v}: {e}"))?;
    }
    Ok(())
}

/// Raw model-call times (DAJIAN_BENCH_MODELS=1), to tell model cost from ours.
fn bench_models() -> anyhow::Result<()> {
    use rten_tensor::NdTensor;
    use rten_tensor::prelude::*;
    let dir = dajian::ocr::default_models_dir();
    for (name, shapes) in [
        ("rec.onnx", vec![[1, 1, 48, 48], [1, 1, 48, 320], [1, 1, 48, 960], [8, 1, 48, 320]]),
        ("det.onnx", vec![[1, 1, 384, 608], [1, 1, 640, 960]]),
        ("cls.onnx", vec![[6, 1, 48, 192]]),
    ] {
        let model = rten::Model::load_file(dir.join(name))?;
        for shape in shapes {
            let input = NdTensor::<f32, 4>::zeros(shape);
            model.run_one(input.view().as_dyn().into(), None)?;
            let start = Instant::now();
            for _ in 0..5 {
                model.run_one(input.view().as_dyn().into(), None)?;
            }
            println!("{name} {shape:?}: {:.1} ms", start.elapsed().as_secs_f64() * 1e3 / 5.0);
        }
    }
    Ok(())
}
