//! The two OCR backends read the same: candle's modules on the CPU give the
//! text rten gives from the same weights, on every committed golden page
//! (tests/data/ocr) and on the demo's photographed licences. The networks'
//! own agreement (probability maps, log-probabilities) is tested per model
//! in `src/ocr/candle/mod.rs`.

use std::path::{Path, PathBuf};

use dajian::ingest::{DecodeLimits, decode_page};
use dajian::ocr::metrics::cer;
use dajian::ocr::{BatchParams, OcrBackend, OcrEngine, OcrParams};

fn engine(backend: OcrBackend) -> OcrEngine {
    OcrEngine::load_default(OcrParams { backend, ..OcrParams::default() }).expect("models/ocr loads")
}

fn pages() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out: Vec<PathBuf> = std::fs::read_dir(root.join("tests/data/ocr"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "png" || x == "jpg"))
        .collect();
    out.extend(["business_licence.jpg", "tractor_licence.jpg", "driver_licence.jpg"].map(|f| root.join("tests/fixtures/clean").join(f)));
    out.sort();
    out
}

#[test]
fn candle_reads_every_golden_page_as_rten_does() {
    let (rten, candle) = (engine(OcrBackend::Rten), engine(OcrBackend::Candle));
    let mut differ = vec![];
    for path in pages() {
        let bytes = std::fs::read(&path).unwrap();
        let page = decode_page(&bytes, &path.display().to_string(), &DecodeLimits::default()).unwrap();
        let (a, b) = (rten.read(&page).unwrap(), candle.read(&page).unwrap());
        let (ta, tb) = (a.text(), b.text());
        // Same text, same boxes: the models' outputs differ by float
        // rounding only, which may move a box edge by a pixel.
        let c = cer(&ta, &tb);
        if c > 0.0 || a.lines.len() != b.lines.len() {
            differ.push(format!("{}: CER {c:.4} between the backends\n--- rten\n{ta}\n--- candle\n{tb}", path.display()));
        }
        for (la, lb) in a.lines.iter().zip(&b.lines) {
            let (x, y) = (la.bbox, lb.bbox);
            let moved = [(x.x, y.x), (x.y, y.y), (x.w, y.w), (x.h, y.h)].iter().any(|(p, q)| (*p as i64 - *q as i64).abs() > 2);
            if moved || (la.confidence - lb.confidence).abs() > 0.01 {
                differ.push(format!("{}: line {:?} at {:?} ({:.4}) vs {:?} ({:.4})", path.display(), la.text, x, la.confidence, y, lb.confidence));
            }
        }
    }
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}

#[test]
fn a_models_folder_without_the_candle_weights_is_named_in_the_error() {
    let dir = std::env::temp_dir().join(format!("dajian-no-candle-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let err = OcrEngine::load(&dir, OcrParams { backend: OcrBackend::Candle, ..OcrParams::default() }).err().expect("no weights, no engine").to_string();
    assert!(err.contains("det.safetensors"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn pages_read_side_by_side_through_the_batcher_read_as_each_page_alone() {
    // The batcher merges the calls of concurrent pages (on a GPU); it is
    // backend-agnostic, so rten on the CPU shows it keeps every page's text.
    // Both read a page's crops 16 a call, as on a GPU: what differs is the
    // merging of the pages' calls.
    let alone = OcrEngine::load_default(OcrParams { rec_batch: 16, ..OcrParams::default() }).expect("models/ocr loads");
    let batched = OcrEngine::load_default(OcrParams { batch: Some(BatchParams::default()), rec_batch: 16, ..OcrParams::default() }).expect("models/ocr loads");
    let pages: Vec<_> = pages()
        .iter()
        .map(|path| decode_page(&std::fs::read(path).unwrap(), &path.display().to_string(), &DecodeLimits::default()).unwrap())
        .collect();
    let together: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = pages.iter().map(|p| s.spawn(|| batched.read(p).unwrap().text())).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let (mut errors, mut total) = (0.0, 0.0);
    for (page, text) in pages.iter().zip(&together) {
        let own = alone.read(page).unwrap().text();
        let n = own.chars().count() as f64;
        let c = cer(&own, text);
        if c > 0.0 {
            eprintln!("{}: CER {c:.4}\n--- alone\n{own}\n--- batched\n{text}", page.name());
        }
        errors += c * n;
        total += n;
    }
    // A crop padded to the width of its batch reads very slightly different
    // log-probabilities (the recogniser's attention sees the padding).
    assert!(errors / total < 0.003, "batched pages differ from pages read alone: CER {:.4}", errors / total);
}
