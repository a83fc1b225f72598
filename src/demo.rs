//! Demo data for a first run of the service (`dajian serve --demo`): the
//! demo registry, a demo clerk and a few applications whose reports carry
//! real document evidence with boxes, so the clerk's desk has something
//! true to show.
//!
//! Pages cannot be read in this build (no OCR yet), so the demo does what
//! `dajian check --fields` does: it runs the precheck with the fixture's
//! already-read documents (`tests/fixtures/clean/documents.json`), altered
//! per variant to plant a defect. The page images are drawn here to the
//! size the documents declare, with a bar where each read field sits, so
//! the boxes land on something; they carry no text.

use std::path::Path;

use image::{Rgb, RgbImage};
use serde_json::{Value, json};

use crate::db::Db;
use crate::document::{DocKind, Document};
use crate::form::Application;
use crate::http::auth::Role;
use crate::jobs::{self, Upload};
use crate::pipeline::{self, Precheck};

pub const FIXTURE_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/clean");
pub const CLERK_NAME: &str = "clerk";
pub const CLERK_PASSWORD: &str = "dajian-demo";

/// What [`seed`] did.
#[derive(Debug, Default)]
pub struct Seeded {
    pub registry_imported: bool,
    pub clerk_created: bool,
    pub applications: Vec<(String, String)>,
}

/// One demo application: a change to the form and one to the read pages.
struct Variant {
    no: &'static str,
    form: fn(&mut Value),
    docs: fn(&mut Vec<Document>),
}

fn field<'a>(docs: &'a mut [Document], file: &str, key: &str) -> Option<&'a mut crate::document::Field> {
    docs.iter_mut().find(|d| d.file == file).and_then(|d| d.fields.get_mut(key))
}

const VARIANTS: &[Variant] = &[
    // The fixture as it is: every check passes.
    Variant { no: "JN-2026-000123", form: |_| {}, docs: |_| {} },
    // The trailer licence shows another well-formed VIN (the spec's
    // example, its check digit made right): clear evidence, V1 blocks.
    Variant {
        no: "JN-2026-000124",
        form: |_| {},
        docs: |d| {
            if let Some(f) = field(d, "trailer_licence.jpg", "vin") {
                f.value = json!("LA9LB3D38KBJXC021");
            }
        },
    },
    // A blurred ID card (the name misread, 伟 as 纬, with low confidence)
    // and two identical transformers: P1 and G1 ask for a clerk's look. (A
    // doubtful reading that equals the form would pass: docs/checks.md.)
    Variant {
        no: "JN-2026-000125",
        form: |f| {
            f["cargo"]["pieces"] = json!(2);
        },
        docs: |d| {
            if let Some(f) = field(d, "agent_id.jpg", "name") {
                f.value = json!("张纬");
                f.confidence = 0.52;
            }
        },
    },
    // An axle over 13 t on a low-bed trailer, and a driving licence that
    // expires before the trip: G3 and P3 block.
    Variant {
        no: "JN-2026-000126",
        form: |f| {
            f["combination"]["axle_loads_kg"] = json!([6500, 9500, 9500, 10600, 10600, 13600, 7700]);
        },
        docs: |d| {
            if let Some(f) = field(d, "driver_licence.jpg", "valid_until") {
                f.value = json!("2026-11-30");
            }
        },
    },
];

/// Seeds an empty database; on one that already has applications or the
/// demo clerk it adds nothing of that kind again.
pub async fn seed(db: &Db, precheck: &Precheck) -> anyhow::Result<Seeded> {
    let mut out = Seeded::default();
    let apps: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM applications").fetch_one(&db.pool).await?;
    if apps == 0 {
        crate::registry::import_dir(db, &Path::new(FIXTURE_DIR).join("registry")).await?;
        out.registry_imported = true;
    }
    let clerk: Option<String> = sqlx::query_scalar("SELECT id FROM users WHERE name = $1").bind(CLERK_NAME).fetch_optional(&db.pool).await?;
    if clerk.is_none() {
        crate::http::desk::session::create_user(db, CLERK_NAME, Role::Clerk, CLERK_PASSWORD).await?;
        out.clerk_created = true;
    }
    if apps > 0 {
        return Ok(out);
    }
    let dir = Path::new(FIXTURE_DIR);
    let text = std::fs::read_to_string(dir.join("application.json"))?;
    let base: Value = serde_json::from_str(&text)?;
    let (fixture, _) = pipeline::read_application(&dir.join("application.json"))?;
    let base_docs = pipeline::read_fields(&dir.join("documents.json"), &fixture)?;
    for v in VARIANTS {
        let mut form = base.clone();
        form["application_no"] = json!(v.no);
        (v.form)(&mut form);
        let app = Application::parse(&form.to_string()).map_err(|e| anyhow::anyhow!("demo {}: {e}", v.no))?;
        let mut docs = base_docs.clone();
        (v.docs)(&mut docs);
        let pages = app
            .documents
            .iter()
            .map(|r| {
                let doc = docs.iter().find(|d| d.file == r.file);
                Upload { file: r.file.clone(), content_type: "image/png".into(), bytes: render_page(doc) }
            })
            .collect();
        let id = jobs::submit(db, None, &app, pages).await?;
        let report = precheck.run(db, &app, docs).await?;
        let verdict = serde_json::to_value(report.verdict)?.as_str().unwrap_or_default().to_string();
        // Stored as a worker would store it (jobs::run_job), straight from
        // queued: the demo runs before any worker starts.
        sqlx::query("UPDATE applications SET status = 'done', report = $1, verdict = $2, updated_at = $3 WHERE id = $4 AND status = 'queued'")
            .bind(serde_json::to_string(&report)?)
            .bind(verdict.clone())
            .bind(chrono::Utc::now().to_rfc3339())
            .bind(id.clone())
            .execute(&db.pool)
            .await?;
        out.applications.push((v.no.to_string(), verdict));
    }
    Ok(out)
}

// ------------------------------------------------------------ page images

const PAPER: Rgb<u8> = Rgb([250, 249, 244]);
const INK: Rgb<u8> = Rgb([70, 78, 92]);
const FAINT: Rgb<u8> = Rgb([214, 216, 220]);
const RED: Rgb<u8> = Rgb([205, 60, 50]);

fn fill(img: &mut RgbImage, x: i64, y: i64, w: i64, h: i64, c: Rgb<u8>) {
    let (iw, ih) = (img.width() as i64, img.height() as i64);
    for yy in y.max(0)..(y + h).min(ih) {
        for xx in x.max(0)..(x + w).min(iw) {
            img.put_pixel(xx as u32, yy as u32, c);
        }
    }
}

fn ring(img: &mut RgbImage, cx: i64, cy: i64, r: i64, width: i64, c: Rgb<u8>) {
    for y in (cy - r).max(0)..(cy + r).min(img.height() as i64) {
        for x in (cx - r).max(0)..(cx + r).min(img.width() as i64) {
            let d2 = (x - cx).pow(2) + (y - cy).pow(2);
            if d2 <= r * r && d2 >= (r - width).pow(2) {
                img.put_pixel(x as u32, y as u32, c);
            }
        }
    }
}

/// A page the size the document declares: a header band, a bar where each
/// read field's value sits (longer values, longer bars), and the kind's
/// usual furniture (a photo box on an ID card, a seal on a licence).
pub fn render_page(doc: Option<&Document>) -> Vec<u8> {
    let (w, h) = doc.and_then(|d| Some((d.width?, d.height?))).unwrap_or((1240, 1754));
    let mut img = RgbImage::from_pixel(w, h, PAPER);
    let (w, h) = (w as i64, h as i64);
    // border and header band
    fill(&mut img, 12, 12, w - 24, 3, FAINT);
    fill(&mut img, 12, h - 15, w - 24, 3, FAINT);
    fill(&mut img, 12, 12, 3, h - 24, FAINT);
    fill(&mut img, w - 15, 12, 3, h - 24, FAINT);
    fill(&mut img, w / 2 - 220, 20, 440, 26, Rgb([120, 130, 150]));
    if let Some(d) = doc {
        for f in d.fields.values() {
            let b = f.bbox;
            let len = f.text().chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum::<usize>() as i64;
            let bar = (len * 12).clamp(24, b.w as i64 - 8);
            fill(&mut img, b.x as i64 + 4, b.y as i64 + 6, bar, b.h as i64 - 12, INK);
        }
        match d.kind {
            Some(DocKind::IdCard) | Some(DocKind::DrivingLicence) | Some(DocKind::QualificationCertificate) => {
                fill(&mut img, w - 380, 120, 300, 380, Rgb([226, 230, 236]));
                fill(&mut img, w - 300, 190, 140, 150, Rgb([200, 206, 214]));
            }
            Some(DocKind::BusinessLicence) | Some(DocKind::AuthorizationLetter) | Some(DocKind::OperatingPermit) => {
                ring(&mut img, w - 260, h - 300, 150, 10, RED);
                ring(&mut img, w - 260, h - 300, 40, 40, RED);
            }
            _ => {}
        }
        // faint ruled lines right of the fields, as on a printed form
        for y in (120..h - 120).step_by(48) {
            fill(&mut img, 420, y, (w - 900).max(0), 2, Rgb([236, 236, 232]));
        }
    } else {
        for y in (120..h - 120).step_by(40) {
            fill(&mut img, 80, y, w - 160 - (y * 7 % 300), 10, FAINT);
        }
    }
    let mut out = std::io::Cursor::new(vec![]);
    img.write_to(&mut out, image::ImageFormat::Png).expect("PNG encodes to memory");
    out.into_inner()
}
