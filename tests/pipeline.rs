//! The whole pipeline with the shipped models on committed dataset pages
//! (`datasets/test`, never trained on): ingest → OCR → extract → checks.
//! The bench (`dajian bench --dataset datasets/test`) measures the same
//! thing on every application; these pin a few cases end to end.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const TEST_SET: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/datasets/test");

fn run(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dajian"))
        .args(args)
        .args(["--db", &format!("sqlite://{}", db.display())])
        .env_remove("DAJIAN_DB")
        .env_remove("DAJIAN_MODELS")
        .output()
        .unwrap()
}

fn app(name: &str) -> (PathBuf, Value) {
    let dir = Path::new(TEST_SET).join("apps").join(name);
    let truth = serde_json::from_str(&std::fs::read_to_string(dir.join("truth.json")).unwrap()).unwrap();
    (dir, truth)
}

fn json(out: &Output) -> Value {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Checks the application with its dataset's registry; the report.
fn check(name: &str) -> (Value, Value) {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("t.sqlite");
    let registry = format!("{TEST_SET}/registry");
    assert!(run(&db, &["registry", "import", &registry]).status.success());
    let (dir, truth) = app(name);
    let report = json(&run(&db, &["check", dir.join("application.json").to_str().unwrap()]));
    (report, truth)
}

fn status_of<'a>(report: &'a Value, id: &str) -> &'a Value {
    &report["checks"].as_array().unwrap().iter().find(|c| c["id"] == id).unwrap()["status"]
}

#[test]
fn extract_reads_a_vehicle_licence_with_its_kind_vin_and_box() {
    let (dir, truth) = app("app_0001");
    let page = truth["pages"].as_array().unwrap().iter().find(|p| p["kind"] == "vehicle_licence").unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let doc = json(&run(&tmp.path().join("t.sqlite"), &["extract", dir.join(page["file"].as_str().unwrap()).to_str().unwrap()]));
    assert_eq!(doc["kind"], "vehicle_licence", "{doc:#}");
    assert!(doc["kind_confidence"].as_f64().unwrap() > 0.9);
    let vin = &doc["fields"]["vin"];
    assert_eq!(vin["value"], page["fields"]["vin"]["value"], "{doc:#}");
    // The box is where the truth says the VIN is printed (within a few px).
    let (got, want) = (vin["bbox"].as_array().unwrap(), page["fields"]["vin"]["bbox"].as_array().unwrap());
    for i in 0..2 {
        let d = got[i].as_i64().unwrap() - want[i].as_i64().unwrap();
        assert!(d.abs() <= 12, "bbox {got:?} vs truth {want:?}");
    }
}

// app_0001 is one of the clean applications the fine-tuned extractor reads
// without a false flag; several others of datasets/test still get one
// (docs/benchmarks.md).
#[test]
fn a_clean_application_is_read_page_by_page_and_every_check_comes_out_as_expected() {
    let (report, truth) = check("app_0001");
    for (d, t) in report["documents"].as_array().unwrap().iter().zip(truth["pages"].as_array().unwrap()) {
        assert!(d.get("unread").is_none(), "{d:#}");
        assert_eq!(d["kind"], t["kind"], "{}", d["file"]);
    }
    for (id, want) in truth["expected"]["checks"].as_object().unwrap() {
        assert_eq!(status_of(&report, id), want, "check {id}: {:#}", report["checks"]);
    }
    assert_eq!(report["verdict"], truth["expected"]["verdict"]);
    assert!(report["model"]["extractor"].as_str().unwrap().starts_with("dajian-extractor"));
    assert!(report["timings_ms"]["ocr"].as_u64().unwrap() > 0);
}

#[test]
fn a_plate_printed_wrong_on_a_licence_page_blocks_v1() {
    let (report, truth) = check("app_0008");
    assert_eq!(truth["defect"]["check"], "V1");
    assert_eq!(status_of(&report, "V1"), "block", "{:#}", report["checks"]);
    let v1 = report["checks"].as_array().unwrap().iter().find(|c| c["id"] == "V1").unwrap();
    assert!(v1["evidence"].as_array().unwrap().iter().any(|e| e["source"] == "document" && e["bbox"].is_array()), "{v1:#}");
}

#[test]
fn bench_measures_an_extractor_variant_on_the_same_pages_in_the_same_run() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(&tmp.path().join("t.sqlite"), &["bench", "--dataset", TEST_SET, "--apps", "1", "--extractor", "extractor,extractor-synthetic", "--format", "json"]);
    let r = json(&out);
    let variants = r["variants"].as_array().unwrap();
    assert_eq!(variants.len(), 1, "{r:#}");
    let v = &variants[0];
    assert!(v["extractor"].as_str().unwrap().ends_with("extractor-synthetic"));
    assert!(v["ocr"].as_str().unwrap().ends_with("ocr"));
    // The same pages and fields were counted for both, and the variant's
    // own weights are named.
    assert_eq!(v["kind_accuracy"]["total"], r["kind_accuracy"]["total"]);
    assert_eq!(v["field_exact_clean"]["total"], r["field_exact_clean"]["total"]);
    assert_eq!(v["verdict_match"]["total"], 1);
    assert_ne!(v["models"]["extractor/model.safetensors"], r["models"]["extractor/model.safetensors"]);
    // It read the main OCR's text: same CER, no OCR time of its own.
    assert_eq!(v["ocr_cer_clean"], r["ocr_cer_clean"]);
    assert_eq!(v["ocr_ms"]["n"], 0);
    assert!(v["extract_ms"]["n"].as_u64().unwrap() > 0);
}

#[test]
fn the_main_extractor_measured_again_as_a_variant_scores_exactly_as_the_main_row() {
    // A variant goes through everything the main pair does (the grammar
    // re-read of codes included), so its figures compare with the main row's.
    let tmp = tempfile::tempdir().unwrap();
    let again = format!("{}/models/extractor", env!("CARGO_MANIFEST_DIR"));
    let out = run(&tmp.path().join("t.sqlite"), &["bench", "--dataset", TEST_SET, "--apps", "2", "--extractor", &format!("extractor,{again}"), "--format", "json"]);
    let r = json(&out);
    let v = &r["variants"][0];
    for key in ["field_exact_clean", "field_exact_degraded", "kind_accuracy", "defects_caught", "false_flags", "verdict_match", "field_exact_by_layout"] {
        assert_eq!(v[key], r[key], "{key}");
    }
}

/// A copy of `name` and the test registry in a scratch folder, with `edit`
/// applied to the application's folder and the registry's.
fn copied(name: &str, edit: impl FnOnce(&Path, &Path)) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let (src, _) = app(name);
    let (app_dir, reg_dir) = (tmp.path().join(name), tmp.path().join("registry"));
    for (from, to) in [(src.as_path(), &app_dir), (&Path::new(TEST_SET).join("registry"), &reg_dir)] {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
    edit(&app_dir, &reg_dir);
    (tmp, app_dir)
}

/// Imports the registry beside `app_dir` and checks its application.
fn check_copy(tmp: &Path, app_dir: &Path) -> Value {
    let db = tmp.join("t.sqlite");
    assert!(run(&db, &["registry", "import", tmp.join("registry").to_str().unwrap()]).status.success());
    json(&run(&db, &["check", app_dir.join("application.json").to_str().unwrap()]))
}

fn check_of<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["checks"].as_array().unwrap().iter().find(|c| c["id"] == id).unwrap()
}

#[test]
fn a_clean_application_whose_vin_page_is_blurred_beyond_reading_warns_and_does_not_block() {
    // Three degrees of blur, three ways of not reading the trailer's
    // licence (measured): at 1.5 the plate is misread ('R871811'), at 2.5
    // the plate and VIN are not found at all, at 4 the page is no longer
    // recognised as a licence. Each names the page; none blocks. At 1.5
    // the plate is read again as a trailer's (the page's vehicle type is a
    // 挂车) and comes out as the form's, doubtful: V1 passes saying so.
    // (Session 28: and the application passes, see below.)
    for sigma in [1.5, 2.5, 4.0] {
        let (tmp, dir) = copied("app_0001", |app, _| {
            let path = app.join("trailer_licence.jpg");
            let img = image::open(&path).unwrap().to_rgb8();
            image::imageops::blur(&img, sigma).save(&path).unwrap();
        });
        let report = check_copy(tmp.path(), &dir);
        let v1 = check_of(&report, "V1");
        assert_eq!(v1["status"], if sigma == 1.5 { "pass" } else { "warn" }, "blur {sigma}: {v1:#}");
        assert!(v1["message"].as_str().unwrap().contains("trailer_licence.jpg"), "blur {sigma}: {v1:#}");
        for c in report["checks"].as_array().unwrap() {
            assert_ne!(c["status"], "block", "blur {sigma} blocked {}: {:#}", c["id"], c);
        }
        if sigma == 1.5 {
            // The one other doubt, the brand's 骏 read as 我 at low
            // confidence, is the recogniser's second choice (0.06): V4
            // takes it as the form's, says so, and the clean application
            // passes.
            let v4 = check_of(&report, "V4");
            assert_eq!(v4["status"], "pass", "{v4:#}");
            assert!(v4["message"].as_str().unwrap().contains("也可能是“骏”"), "{v4:#}");
            assert_eq!(report["verdict"], "pass");
        } else {
            assert_eq!(report["verdict"], "review", "blur {sigma}");
        }
    }
}

#[test]
fn a_vin_read_clearly_on_the_licence_and_different_from_the_form_blocks_v1() {
    // The form and the registry agree on another VIN than the one printed
    // on the trailer's licence: the page is the only witness.
    let (_, truth) = app("app_0001");
    let printed = truth["pages"].as_array().unwrap().iter().find(|p| p["file"] == "trailer_licence.jpg").unwrap()["fields"]["vin"]["value"]
        .as_str()
        .unwrap()
        .to_string();
    let other = other_vin(&printed);
    let (tmp, dir) = copied("app_0001", |app, reg| {
        for f in [app.join("application.json"), reg.join("vehicles.jsonl")] {
            let text = std::fs::read_to_string(&f).unwrap();
            assert!(text.contains(&printed), "{}", f.display());
            std::fs::write(&f, text.replace(&printed, &other)).unwrap();
        }
    });
    let report = check_copy(tmp.path(), &dir);
    let v1 = check_of(&report, "V1");
    assert_eq!(v1["status"], "block", "{v1:#}");
    assert!(v1["message"].as_str().unwrap().contains(&printed), "{v1:#}");
    let on_page = v1["evidence"].as_array().unwrap().iter().find(|e| e["file"] == "trailer_licence.jpg" && e["field"] == "vin").unwrap();
    assert_eq!(on_page["value"], printed.as_str());
}

/// A valid VIN differing from `vin` in its last character (its check
/// digit made right again).
fn other_vin(vin: &str) -> String {
    let mut c: Vec<char> = vin.chars().collect();
    c[16] = if c[16] == '7' { '3' } else { '7' };
    "0123456789X"
        .chars()
        .map(|d| {
            c[8] = d;
            c.iter().collect::<String>()
        })
        .find(|v| dajian::types::Vin::parse(v).is_ok())
        .expect("one check digit fits")
}

#[test]
fn a_code_greedy_decoding_misreads_is_read_again_by_its_grammar() {
    // Blurred photos in datasets/test where greedy CTC read a character
    // the code's grammar forbids: 售 for the province 鲁 of a plate, I for
    // the J of a VIN (which has no I). Read again with only the classes
    // the grammar allows, both come out as printed, and doubtful. (A
    // trailer's plate read again as one is pinned by the blurred trailer
    // licence above; the scan this test had for it, app_0003's, now reads
    // its plate line differently since seals fade fully.) And dates a
    // seal's ring damaged: `2623年02月04日`, a year no licence prints, and
    // `2h20-03-14`, of which the extractor took `20-03-14`.
    let cases = [
        ("app_0006", "doc37.jpg", "plate_number"),
        ("app_0017", "trailer_licence.jpg", "vin"),
        ("app_0007", "doc9.jpg", "register_date"),
        ("app_0006", "doc37.jpg", "register_date"),
    ];
    for (app_name, file, key) in cases {
        let (dir, truth) = app(app_name);
        let want = truth["pages"].as_array().unwrap().iter().find(|p| p["file"] == file).unwrap()["fields"][key]["value"].clone();
        let tmp = tempfile::tempdir().unwrap();
        let doc = json(&run(&tmp.path().join("t.sqlite"), &["extract", dir.join(file).to_str().unwrap()]));
        let got = &doc["fields"][key];
        assert_eq!(got["value"], want, "{app_name}/{file}: {got:#}");
        assert!(got["confidence"].as_f64().unwrap() < 0.8, "a character the recogniser barely saw stays doubtful: {got:#}");
    }
}

#[test]
fn a_seals_ring_across_a_date_no_longer_cuts_off_its_first_digit() {
    // The ring crosses the 2 of 2020年01月17日 on this photographed
    // trailer licence; at half its ink the detector ended the box at the
    // ring and `020年01月17日` was no date. Faded fully, the date is read
    // whole and sure.
    let (dir, truth) = app("app_0008");
    let want = truth["pages"].as_array().unwrap().iter().find(|p| p["file"] == "trailer_licence.jpg").unwrap()["fields"]["register_date"]["value"].clone();
    assert_eq!(want, "2020-01-17");
    let tmp = tempfile::tempdir().unwrap();
    let doc = json(&run(&tmp.path().join("t.sqlite"), &["extract", dir.join("trailer_licence.jpg").to_str().unwrap()]));
    let got = &doc["fields"]["register_date"];
    assert_eq!(got["value"], want, "{got:#}");
    assert!(got["confidence"].as_f64().unwrap() > 0.8, "{got:#}");
}

#[test]
fn a_blank_page_and_a_photo_with_no_document_on_it_are_other() {
    let tmp = tempfile::tempdir().unwrap();
    let blank = tmp.path().join("blank.png");
    image::GrayImage::from_pixel(1200, 1600, image::Luma([250])).save(&blank).unwrap();
    // A cargo photo, as far as OCR is concerned: texture and no words.
    let photo = tmp.path().join("cargo.png");
    image::GrayImage::from_fn(1200, 900, |x, y| image::Luma([(120 + ((x / 40 + y / 40) % 2) * 80 + (x * 7 + y * 13) % 41) as u8])).save(&photo).unwrap();
    for page in [blank, photo] {
        let doc = json(&run(&tmp.path().join("t.sqlite"), &["extract", page.to_str().unwrap()]));
        assert_eq!(doc["kind"], "other", "{doc:#}");
        assert!(doc["kind_confidence"].as_f64().unwrap() > 0.9, "{doc:#}");
    }
}
