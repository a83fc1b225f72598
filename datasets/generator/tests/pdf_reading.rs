//! dajian reads the PDF versions of pages (issue 26) with its real models:
//! a scanned PDF to exactly the document its JPEG gives (the JPEG is taken
//! as stored), a born-digital PDF to its ground truth with no OCR at all.

use std::path::Path;

use dajian::extract::model::DeviceSpec;
use dajian::pipeline::Readers;
use dajian_datasets::render::pdf::{ScannedPage, scanned_pdf};
use dajian_datasets::{GenerateParams, SCAN_DPI, app_pdfs, pdf_name, scan_pdf_name, truth::AppTruth};

const TEST_SET: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../test/apps");

fn readers() -> Readers {
    Readers::load_default(DeviceSpec::Cpu.into()).expect("the repository's models load")
}

#[test]
fn a_scanned_pdf_of_a_test_page_reads_exactly_as_its_jpeg() {
    let readers = readers();
    // Two applications: clean pages and photographed / scanned ones.
    let mut degraded = 0;
    for app in ["app_0001", "app_0002"] {
        let dir = Path::new(TEST_SET).join(app);
        let truth: AppTruth = serde_json::from_str(&std::fs::read_to_string(dir.join("truth.json")).unwrap()).unwrap();
        for page in &truth.pages {
            let jpeg = std::fs::read(dir.join(&page.file)).unwrap();
            let pdf = scanned_pdf(&[ScannedPage::from_jpeg(&jpeg, SCAN_DPI).unwrap()]);
            let from_jpeg = readers.read(&page.file, &jpeg, None).document;
            let from_pdf = readers.read(&page.file, &pdf, None).document;
            assert!(from_pdf.unread.is_none(), "{app}/{}: {:?}", page.file, from_pdf.unread);
            assert_eq!(serde_json::to_value(&from_pdf).unwrap(), serde_json::to_value(&from_jpeg).unwrap(), "{app}/{}", scan_pdf_name(&page.file));
            degraded += usize::from(page.degradation.is_some());
        }
    }
    assert!(degraded > 0, "some pages are photos or scans");
}

#[test]
fn born_digital_pdfs_read_to_their_truth_without_ocr() {
    let readers = readers();
    let out = tempfile::tempdir().unwrap();
    let params = GenerateParams::new(13, 2, out.path());
    let (mut hits, mut total, mut misses) = (0, 0, vec![]);
    for i in 0..params.apps {
        for page in app_pdfs(&params, i).unwrap().pages {
            let file = pdf_name(&page.file);
            let dajian::pipeline::FileReading { document: doc, ocr_ms, .. } = readers.read(&file, &page.digital, None);
            assert!(doc.unread.is_none(), "{file}: {:?}", doc.unread);
            assert_eq!(doc.kind, Some(page.digital_truth.kind), "{file}");
            assert_eq!((doc.width, doc.height), (Some(page.digital_truth.width), Some(page.digital_truth.height)), "{file}");
            // The text is the PDF's: every line at confidence 1.
            assert!(doc.lines.iter().all(|l| l.confidence == 1.0), "{file}");
            assert!(ocr_ms < 1_000, "{file}: {ocr_ms} ms is OCR, not text taken from the PDF");
            for (key, want) in &page.digital_truth.fields {
                total += 1;
                match doc.fields.get(key) {
                    Some(f) if f.value == want.value => hits += 1,
                    got => misses.push(format!("{file} {key}: {:?}, truth {}", got.map(|f| &f.value), want.value)),
                }
            }
        }
    }
    // The pages' text is exact, so a miss is the extractor's: on 20
    // applications it read 99.43 % (docs/benchmarks.md, session 16; the
    // issue's aim is 99.9 %), on these two one field of ~190 is missed
    // (an agent's double surname read as its given name).
    assert!(total > 100, "{total} fields");
    assert!(hits * 100 >= total * 99, "{hits}/{total}; misses:\n{}", misses.join("\n"));
}
