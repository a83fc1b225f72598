//! The generator's binary as `dajian dataset …` runs it.

use std::process::Command;

#[test]
fn generate_writes_a_dataset_and_prints_its_summary_with_the_pools_used() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("set");
    let o = Command::new(env!("CARGO_BIN_EXE_dajian-datasets"))
        .args(["dataset", "generate", "--seed", "3", "--apps", "2", "--no-render", "--held-out-pools", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let summary: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(summary["apps"], 2);
    assert_eq!(summary["pools"], "held_out");
    assert!(out.join("registry/persons.jsonl").is_file());
    assert!(out.join("apps/app_0001/truth.json").is_file());
}

#[test]
fn zero_applications_is_refused_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_dajian-datasets"))
        .args(["dataset", "generate", "--apps", "0", "--out"])
        .arg(dir.path().join("set"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--apps"));
}

#[test]
fn generate_pdf_writes_both_pdfs_beside_each_page_and_changes_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let run = |out: &std::path::Path, pdf: bool| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_dajian-datasets"));
        c.args(["dataset", "generate", "--seed", "4", "--apps", "1", "--out"]).arg(out);
        if pdf {
            c.arg("--pdf");
        }
        let o = c.output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    let (plain, with) = (dir.path().join("plain"), dir.path().join("pdf"));
    run(&plain, false);
    run(&with, true);
    let app = "apps/app_0001";
    // Every file of the plain set is there, byte for byte.
    let mut n = 0;
    for e in std::fs::read_dir(plain.join(app)).unwrap() {
        let name = e.unwrap().file_name();
        assert_eq!(std::fs::read(plain.join(app).join(&name)).unwrap(), std::fs::read(with.join(app).join(&name)).unwrap(), "{name:?}");
        n += 1;
    }
    assert_eq!(std::fs::read(plain.join("summary.json")).unwrap(), std::fs::read(with.join("summary.json")).unwrap());
    let truth: dajian_datasets::truth::AppTruth = serde_json::from_slice(&std::fs::read(with.join(app).join("truth.json")).unwrap()).unwrap();
    let pdf_truth: dajian_datasets::truth::AppTruth = serde_json::from_slice(&std::fs::read(with.join(app).join("truth.pdf.json")).unwrap()).unwrap();
    assert_eq!(truth.pages.len() + 2, n, "application.json, truth.json and the pages");
    for (p, q) in truth.pages.iter().zip(&pdf_truth.pages) {
        let jpeg = std::fs::read(with.join(app).join(&p.file)).unwrap();
        let scan = std::fs::read(with.join(app).join(dajian_datasets::scan_pdf_name(&p.file))).unwrap();
        assert!(scan.starts_with(b"%PDF-") && scan.windows(jpeg.len()).any(|w| w == jpeg.as_slice()), "{}", p.file);
        assert_eq!(q.file, dajian_datasets::pdf_name(&p.file));
        assert!(std::fs::read(with.join(app).join(&q.file)).unwrap().starts_with(b"%PDF-"));
        assert_eq!(p.fields.keys().collect::<Vec<_>>(), q.fields.keys().collect::<Vec<_>>());
        assert!(q.degradation.is_none());
    }
    for f in ["application.pdf", "application.scan.pdf"] {
        assert!(std::fs::read(with.join(app).join(f)).unwrap().starts_with(b"%PDF-"), "{f}");
    }
    // The library gives the same bytes in memory.
    let a = dajian_datasets::app_pdfs(&dajian_datasets::GenerateParams::new(4, 1, dir.path()), 0).unwrap();
    assert_eq!(a.pages.len(), truth.pages.len());
    assert_eq!(a.digital, std::fs::read(with.join(app).join("application.pdf")).unwrap());
    assert_eq!(a.pages[0].digital, std::fs::read(with.join(app).join(dajian_datasets::pdf_name(&a.pages[0].file))).unwrap());
    let layouts = dajian_datasets::app_layouts(&dajian_datasets::GenerateParams::new(4, 1, dir.path()), 0).unwrap();
    assert_eq!(layouts.len(), a.pages.len());
    // --pdf needs the images.
    let o = Command::new(env!("CARGO_BIN_EXE_dajian-datasets"))
        .args(["dataset", "generate", "--apps", "1", "--no-render", "--pdf", "--out"])
        .arg(dir.path().join("x"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
}
