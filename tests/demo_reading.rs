//! The demo's committed reading (`tests/fixtures/clean/read.json`) is what
//! the models read from the demo pages today. The desk and browser tests
//! seed the demo from that file because they run without the models, so
//! this test is what keeps their pages, boxes and values true.
//!
//! After a model or OCR change: `DAJIAN_BLESS=1 cargo test --test demo_reading`
//! rewrites the file; review its diff like any other change.

use std::path::Path;

use dajian::document::Document;
use dajian::pipeline::Readers;

/// Box corners may move this many pixels between machines (threads change
/// float summation order) without the reading being another one.
const BOX_SLACK: i64 = 3;
const CONFIDENCE_SLACK: f32 = 0.05;

fn differences(path: &str, want: &Document, got: &Document) -> Vec<String> {
    let mut out = vec![];
    if want.kind != got.kind || want.unread != got.unread {
        out.push(format!("{path}: kind {:?} / {:?}, now {:?} / {:?}", want.kind, want.unread, got.kind, got.unread));
    }
    let keys: std::collections::BTreeSet<&String> = want.fields.keys().chain(got.fields.keys()).collect();
    for k in keys {
        match (want.fields.get(k), got.fields.get(k)) {
            (Some(w), Some(g)) => {
                let (wb, gb) = (w.bbox, g.bbox);
                let moved = [(wb.x, gb.x), (wb.y, gb.y), (wb.w, gb.w), (wb.h, gb.h)].iter().any(|(a, b)| (*a as i64 - *b as i64).abs() > BOX_SLACK);
                if w.value != g.value || w.text() != g.text() || moved || (w.confidence - g.confidence).abs() > CONFIDENCE_SLACK {
                    out.push(format!("{path} {k}: {} {:?} at {:?}, now {} {:?} at {:?}", w.text(), w.confidence, wb, g.text(), g.confidence, gb));
                }
            }
            (w, g) => out.push(format!("{path} {k}: {:?}, now {:?}", w.map(|f| f.text()), g.map(|f| f.text()))),
        }
    }
    out
}

#[test]
fn the_committed_demo_reading_is_what_the_models_read_from_the_demo_pages() {
    let readers = Readers::load_default(Default::default()).expect("the committed models load");
    let now = dajian::demo::read_pages(&readers).unwrap();
    let file = Path::new(dajian::demo::FIXTURE_DIR).join(dajian::demo::READING_FILE);
    if std::env::var_os("DAJIAN_BLESS").is_some() {
        std::fs::write(&file, serde_json::to_string_pretty(&now).unwrap() + "\n").unwrap();
        println!("wrote {}", file.display());
        return;
    }
    let committed = dajian::demo::committed_reading().unwrap();
    assert_eq!(committed.keys().collect::<Vec<_>>(), now.keys().collect::<Vec<_>>(), "the demo's pages changed: rewrite {} with DAJIAN_BLESS=1", file.display());
    let diffs: Vec<String> = committed.iter().flat_map(|(path, want)| differences(path, want, &now[path])).collect();
    assert!(diffs.is_empty(), "the models read the demo pages otherwise than {} says (DAJIAN_BLESS=1 rewrites it):\n{}", file.display(), diffs.join("\n"));
}
