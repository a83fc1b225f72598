//! Page images for the fixture application (`tests/fixtures/clean`), drawn
//! by this generator from the values its `documents.json` says the pages
//! hold, so the demo (`dajian serve --demo`) and `dajian check` show and
//! read real documents rather than placeholders (issue 26, item 3).
//!
//! `dajian dataset fixture-pages --fixture tests/fixtures/clean` writes
//! each declared page beside `application.json` and, in `defects/`, the
//! pages the demo's defect applications swap in ([`DEFECT_PAGES`]). Same
//! fixture → same bytes.

use std::path::Path;

use anyhow::{Context, Result, bail};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde_json::Value;

use crate::docs::PageDoc;
use dajian::document::{DocKind, Document, FieldType};
use dajian::types::{Month, Until, parse_date};

/// A page of the fixture drawn otherwise, for one demo application.
pub struct DefectPage {
    /// The fixture page it replaces (a file of `application.json`).
    pub file: &'static str,
    /// What differs, for the log and the docs.
    pub what: &'static str,
    change: fn(&mut PageDoc),
}

/// The pages `src/demo.rs` plants its defects with, written to `defects/`.
pub const DEFECT_PAGES: &[DefectPage] = &[
    DefectPage {
        file: "trailer_licence.jpg",
        what: "the trailer licence prints another well-formed VIN, LA9LB3D38KBJXC021",
        change: |pg| pg.set_code("vin", "LA9LB3D38KBJXC021"),
    },
    DefectPage {
        file: "agent_id.jpg",
        what: "the agent's ID card photographed badly (blur, noise, a low JPEG quality)",
        change: |pg| pg.degraded = true,
    },
    DefectPage {
        file: "driver_licence.jpg",
        what: "the driving licence ends 2026-11-30, before the trip",
        change: |pg| pg.set_date("valid_until", parse_date("2026-11-30").expect("a date")),
    },
];

/// The fixture's pages: (file name relative to the fixture folder, JPEG bytes).
pub fn fixture_pages(fixture: &Path) -> Result<Vec<(String, Vec<u8>)>> {
    let path = fixture.join("documents.json");
    let text = std::fs::read_to_string(&path).with_context(|| path.display().to_string())?;
    let docs: Vec<Document> = serde_json::from_str(&text).with_context(|| path.display().to_string())?;
    let mut out = vec![];
    for (i, d) in docs.iter().enumerate() {
        let pg = page_doc(d, i as u64).with_context(|| format!("{}: {}", path.display(), d.file))?;
        out.push((d.file.clone(), crate::render_page_bytes(&pg)?.0));
        for defect in DEFECT_PAGES.iter().filter(|p| p.file == d.file) {
            let mut pg = pg.clone();
            (defect.change)(&mut pg);
            out.push((format!("defects/{}", d.file), crate::render_page_bytes(&pg)?.0));
        }
    }
    Ok(out)
}

/// Writes [`fixture_pages`] into the fixture folder.
pub fn write_fixture_pages(fixture: &Path) -> Result<Vec<String>> {
    std::fs::create_dir_all(fixture.join("defects"))?;
    let pages = fixture_pages(fixture)?;
    for (name, bytes) in &pages {
        let p = fixture.join(name);
        std::fs::write(&p, bytes).with_context(|| p.display().to_string())?;
    }
    Ok(pages.into_iter().map(|p| p.0).collect())
}

/// The fixture pages drawn as electronic-licence printouts.
const PRINTOUTS: &[&str] = &["operating_permit.jpg", "trailer_licence.jpg"];

/// What one fixture document prints: its read fields in the form a real
/// card prints them, plus what the layout needs that the fixture never read
/// (a vehicle licence's owner address and file number, issuing offices).
fn page_doc(d: &Document, index: u64) -> Result<PageDoc> {
    let Some(kind) = d.kind else { bail!("no kind") };
    // One seed per page, so a page looks the same however the others change.
    let mut rng = ChaCha8Rng::seed_from_u64(0xf1c5_7e00 + index);
    let mut pg = PageDoc::new(&mut rng, kind, d.subject);
    pg.file = d.file.clone();
    // The families the pages were drawn in when committed, named so that
    // families added to the generator later leave them as they are.
    pg.x("family", if PRINTOUTS.contains(&d.file.as_str()) { "printout" } else { "first" });
    pg.declared = true;
    pg.degraded = false;
    for &(key, ty) in kind.fields() {
        let Some(f) = d.fields.get(key) else { continue };
        set(&mut pg, kind, key, ty, &f.value)?;
    }
    const OWNER_ADDRESS: &str = "山东省济宁市任城区物流园路1号";
    const COMPANY: &str = "济宁顺达大件运输有限公司";
    match kind {
        DocKind::VehicleLicence => {
            pg.set_text("address", OWNER_ADDRESS);
            pg.set_code("file_number", if d.file.starts_with("tractor") { "370800123456" } else { "370800123457" });
            pg.x("authority", "山东省济宁市公安局交通警察支队");
            pg.x("layout", "side_by_side");
        }
        DocKind::DrivingLicence => pg.x("authority", "山东省济宁市公安局交通警察支队"),
        DocKind::QualificationCertificate | DocKind::OperatingPermit => pg.x("authority", "济宁市交通运输局"),
        DocKind::BusinessLicence => {
            pg.x("authority", "济宁市市场监督管理局");
            pg.x("issued", "2021年06月18日");
        }
        DocKind::AuthorizationLetter => {
            pg.x("legal", "王建国");
            pg.x("signed", "2026年11月01日");
        }
        DocKind::Other => {
            pg.x("company", COMPANY);
            pg.x("signed", "2026年11月20日");
        }
        _ => {}
    }
    Ok(pg)
}

fn set(pg: &mut PageDoc, kind: DocKind, key: &'static str, ty: FieldType, v: &Value) -> Result<()> {
    let s = v.as_str();
    match ty {
        FieldType::Date if kind == DocKind::IdCard => pg.set_card_date(key, parse_date(s.unwrap_or_default())?),
        FieldType::Date => pg.set_date(key, parse_date(s.unwrap_or_default())?),
        FieldType::OpenEnd => pg.set_until(key, Until::parse(s.unwrap_or_default())?),
        FieldType::Month => pg.set_month(key, Month::parse(s.unwrap_or_default())?),
        FieldType::Mass => pg.set_kg(key, v.as_u64().context(key)? as u32),
        FieldType::Length | FieldType::Integer => pg.set_num(key, v.as_u64().context(key)? as u32),
        FieldType::Code => pg.set_code(key, s.context(key)?),
        FieldType::Text => pg.set_text(key, s.context(key)?),
        FieldType::Sections => bail!("{key}: the fixture has no escort plan"),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/clean");

    #[test]
    fn the_committed_fixture_pages_are_what_the_generator_draws() {
        // `dajian dataset fixture-pages --fixture tests/fixtures/clean` rewrites them.
        for (name, bytes) in fixture_pages(Path::new(FIXTURE)).unwrap() {
            let committed = std::fs::read(Path::new(FIXTURE).join(&name)).unwrap_or_default();
            assert!(committed == bytes, "{name} differs from what the generator draws now: run `dajian dataset fixture-pages --fixture tests/fixtures/clean`");
        }
    }
}
