//! Demo data for a first run of the service (`dajian serve --demo`): the
//! demo registry, a demo clerk and four applications on real document
//! pages, read by the real OCR and extractor, so the clerk's desk shows
//! licences with the values that were read boxed on them.
//!
//! The pages are the fixture application's (`tests/fixtures/clean/*.jpg`,
//! drawn by `dajian dataset fixture-pages` from the values its
//! `documents.json` holds). Each defect application swaps one page for a
//! version in `defects/` that prints something else, or changes its form.
//! The demo reads the twelve distinct pages once and builds each
//! application's documents from that reading.
//!
//! Without the models (the desk and browser tests run without them), the
//! reading committed in `tests/fixtures/clean/read.json` stands in for
//! them: it is what the models read from these pages, and
//! `tests/demo_reading.rs` checks that it still is (and rewrites it with
//! `DAJIAN_BLESS=1`).

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Value, json};

use crate::db::Db;
use crate::document::Document;
use crate::form::Application;
use crate::accounts::{self, Role};
use crate::ingest::PageFile;
use crate::jobs;
use crate::store;
use crate::pipeline::{Precheck, Readers};

pub const FIXTURE_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/clean");
/// The committed reading of every demo page, beside the pages.
pub const READING_FILE: &str = "read.json";
pub const CLERK_NAME: &str = "clerk";
pub const CLERK_PASSWORD: &str = "dajian-demo";

/// What [`seed`] did.
#[derive(Debug, Default)]
pub struct Seeded {
    pub registry_imported: bool,
    pub clerk_created: bool,
    /// Whether the pages were read by the models now or taken from [`READING_FILE`].
    pub read_now: bool,
    pub applications: Vec<(String, String)>,
}

/// One demo application: a change to the form, and the fixture page it
/// shows in its `defects/` version instead.
struct Variant {
    no: &'static str,
    form: fn(&mut Value),
    defect_page: Option<&'static str>,
}

const VARIANTS: &[Variant] = &[
    // The fixture as it is: every check passes.
    Variant { no: "JN-2026-000123", form: |_| {}, defect_page: None },
    // The trailer licence prints another well-formed VIN (the spec's
    // example, its check digit made right): clear evidence, V1 blocks.
    Variant { no: "JN-2026-000124", form: |_| {}, defect_page: Some("trailer_licence.jpg") },
    // Two identical transformers (G1 asks for a clerk's look) and the
    // agent's ID card photographed rather than scanned.
    Variant {
        no: "JN-2026-000125",
        form: |f| f["cargo"]["pieces"] = json!(2),
        defect_page: Some("agent_id.jpg"),
    },
    // An axle over 13 t on a low-bed trailer, and a driving licence that
    // expires before the trip: G3 and P3 block.
    Variant {
        no: "JN-2026-000126",
        form: |f| f["combination"]["axle_loads_kg"] = json!([6500, 9500, 9500, 10600, 10600, 13600, 7700]),
        defect_page: Some("driver_licence.jpg"),
    },
];

/// Every page the demo shows, as a path under the fixture folder: the
/// form's files, then the defect pages.
fn page_paths(app: &Application) -> Vec<String> {
    let base = app.documents.iter().map(|r| r.file.clone());
    base.chain(VARIANTS.iter().filter_map(|v| v.defect_page).map(|f| format!("defects/{f}"))).collect()
}

/// The file of the form a page path stands for (`defects/x.jpg` → `x.jpg`).
fn form_file(path: &str) -> &str {
    path.strip_prefix("defects/").unwrap_or(path)
}

fn fixture_app() -> anyhow::Result<(Value, Application)> {
    let path = Path::new(FIXTURE_DIR).join("application.json");
    let text = std::fs::read_to_string(&path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let app = Application::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    Ok((serde_json::from_str(&text)?, app))
}

fn page_bytes(path: &str) -> anyhow::Result<Vec<u8>> {
    let p = Path::new(FIXTURE_DIR).join(path);
    std::fs::read(&p).map_err(|e| anyhow::anyhow!("{}: {e} (`dajian dataset fixture-pages --fixture tests/fixtures/clean` draws it)", p.display()))
}

/// Reads every demo page with the models, side by side: page path → document.
pub fn read_pages(readers: &Readers) -> anyhow::Result<BTreeMap<String, Document>> {
    let (_, app) = fixture_app()?;
    let paths = page_paths(&app);
    let bytes = paths.iter().map(|p| page_bytes(p)).collect::<anyhow::Result<Vec<_>>>()?;
    let items: Vec<(&String, &Vec<u8>)> = paths.iter().zip(&bytes).collect();
    let docs = crate::par::map(&items, 0, |(path, bytes)| readers.read(form_file(path), bytes, None).document);
    Ok(paths.into_iter().zip(docs).collect())
}

/// The reading committed in [`READING_FILE`].
pub fn committed_reading() -> anyhow::Result<BTreeMap<String, Document>> {
    let path = Path::new(FIXTURE_DIR).join(READING_FILE);
    let text = std::fs::read_to_string(&path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

/// Seeds an empty database; on one that already has applications or the
/// demo clerk it adds nothing of that kind again.
pub async fn seed(db: &Db, precheck: &Precheck) -> anyhow::Result<Seeded> {
    let mut out = Seeded::default();
    let apps = store::applications::any(db).await?;
    if !apps {
        crate::registry::import_dir(db, &Path::new(FIXTURE_DIR).join("registry")).await?;
        out.registry_imported = true;
    }
    if !accounts::user_exists(db, CLERK_NAME).await? {
        accounts::create_user(db, CLERK_NAME, Role::Clerk, CLERK_PASSWORD).await?;
        out.clerk_created = true;
    }
    if apps {
        return Ok(out);
    }
    let (base, _) = fixture_app()?;
    let reading = match &precheck.readers {
        Some(r) => {
            let r = r.clone();
            out.read_now = true;
            // OCR is seconds of CPU: off the async runtime.
            tokio::task::spawn_blocking(move || read_pages(&r)).await??
        }
        None => committed_reading()?,
    };
    for v in VARIANTS {
        let mut form = base.clone();
        form["application_no"] = json!(v.no);
        (v.form)(&mut form);
        let app = Application::parse(&form.to_string()).map_err(|e| anyhow::anyhow!("demo {}: {e}", v.no))?;
        let mut pages = vec![];
        let mut docs = vec![];
        for r in &app.documents {
            let path = match v.defect_page {
                Some(f) if f == r.file => format!("defects/{f}"),
                _ => r.file.clone(),
            };
            let doc = reading.get(&path).ok_or_else(|| anyhow::anyhow!("demo {}: no reading of {path} in {READING_FILE}", v.no))?;
            docs.push(doc.clone());
            pages.push(PageFile::new(r.file.clone(), page_bytes(&path)?));
        }
        let id = jobs::submit(db, None, &app, pages).await?;
        let report = precheck.run(db, &app, docs).await?;
        let verdict = report.verdict.key().to_string();
        // Stored as a worker would store it (jobs::run), straight from
        // queued: the demo runs before any worker starts.
        store::applications::finish_unclaimed(db, &id, &serde_json::to_string(&report)?, &verdict).await?;
        out.applications.push((v.no.to_string(), verdict));
    }
    Ok(out)
}
