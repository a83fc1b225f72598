//! Each stage of the pipeline on real pages of `datasets/test`, models
//! loaded once as the service does: decode, OCR (card and A4), extraction,
//! and one whole application (ingest → OCR → extract → checks).
//! Run: `cargo bench --bench stages` (a few minutes: OCR is seconds).
//! Set `RTEN_NUM_THREADS=1 RAYON_NUM_THREADS=1` to time everything on one
//! core (rten, which runs OCR, has its own pool; candle uses rayon's).

use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use dajian::ingest::{DecodeLimits, decode_page};
use dajian::pipeline::{Precheck, Readers};

const APP: &str = "datasets/test/apps/app_0001";

fn page_bytes(file: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(APP).join(file);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn bench(c: &mut Criterion) {
    let readers = std::sync::Arc::new(Readers::load_default(Default::default()).expect("models load"));
    let limits = DecodeLimits::default();
    // A card-sized page and an A4 page.
    let card = page_bytes("driver0_driving_licence.jpg");
    let a4 = page_bytes("authorization_letter.jpg");

    let mut g = c.benchmark_group("stages");
    g.sample_size(10);
    g.bench_function("decode a card page", |b| b.iter(|| decode_page(&card, "card.jpg", &limits).unwrap()));
    let card_page = decode_page(&card, "card.jpg", &limits).unwrap();
    let a4_page = decode_page(&a4, "a4.jpg", &limits).unwrap();
    g.bench_function("OCR a card page", |b| b.iter(|| readers.ocr.read(&card_page).unwrap()));
    g.bench_function("OCR an A4 page", |b| b.iter(|| readers.ocr.read(&a4_page).unwrap()));
    let card_text = readers.ocr.read(&card_page).unwrap();
    let a4_text = readers.ocr.read(&a4_page).unwrap();
    g.bench_function("extract a card page", |b| b.iter(|| readers.extractor.extract(&card_text, None).unwrap()));
    g.bench_function("extract an A4 page", |b| b.iter(|| readers.extractor.extract(&a4_text, None).unwrap()));

    // One whole application against its dataset's registry, pages read in
    // parallel as the service does.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let db_file = tempfile::NamedTempFile::new().unwrap();
    let db = rt.block_on(async {
        let db = dajian::db::Db::open(&format!("sqlite://{}", db_file.path().display())).await.unwrap();
        dajian::registry::import_dir(&db, &root.join("datasets/test/registry")).await.unwrap();
        db
    });
    let (app, dir) = dajian::pipeline::read_application(&root.join(APP).join("application.json")).unwrap();
    let pages = dajian::pipeline::load_pages(&app, &dir, &[]).unwrap();
    let precheck = Precheck { rules: dajian::rules::Rules::embedded(), config: Default::default(), device: Default::default(), readers: Some(readers.clone()) };
    g.bench_function(format!("whole application ({} pages)", pages.len()), |b| {
        b.iter(|| rt.block_on(precheck.run_files(&db, &app, vec![], pages.clone())).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
