//! A synthetic world for training and testing: a registry, applications
//! with page images, and ground truth (fields, boxes, text lines, expected
//! check statuses). No real licence is used anywhere.
//!
//! * [`generate`] writes a whole dataset (registry JSONL, one folder per
//!   application with `application.json`, its pages and `truth.json`).
//! * [`pages_text`] produces the same pages' printed lines and field spans
//!   without rendering a pixel, for training the extractor fast.
//!
//! Same seed → byte-identical output.
//!
//! A crate of its own (issue 22): the service binary neither compiles nor
//! ships the world generator or the training code. It depends on
//! `dajian`'s public types and OCR stage, never the other way round; the
//! truth format it writes is `dajian::truth`, which `dajian bench` reads.
//! [`train`] trains the extractor, [`ocr_samples`] makes its real-OCR
//! samples; `dajian dataset …` and `dajian train …` run this crate's
//! `dajian-datasets` binary.

pub mod apps;
pub mod defects;
pub mod docs;
pub mod fonts;
pub mod idgen;
pub mod layout;
pub mod ocr_samples;
pub mod pages;
pub mod pools;
pub mod regions;
pub mod render;
pub mod train;
pub mod world;

pub use dajian::truth;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use dajian::document::{DocKind, Subject};
use dajian::types::BBox;
use layout::{Layout, Span};
pub use pools::Split;
use truth::{AppTruth, FieldTruth, LineTruth, PageTruth};

#[derive(Debug, Clone)]
pub struct GenerateParams {
    pub seed: u64,
    pub apps: usize,
    pub out_dir: PathBuf,
    /// Render page images (false: application.json, truth.json without
    /// images, for quick checks).
    pub render: bool,
    /// Worker threads for rendering (0: all cores). Output does not depend on it.
    pub threads: usize,
    /// The part of the name and place pools drawn from (`HeldOut` only for
    /// test sets: training never sees it).
    pub pools: Split,
    /// Lay pages out in the held-out layout families (test sets only).
    pub held_out_families: bool,
}

impl GenerateParams {
    pub fn new(seed: u64, apps: usize, out_dir: impl Into<PathBuf>) -> Self {
        GenerateParams { seed, apps, out_dir: out_dir.into(), render: true, threads: 0, pools: Split::Seen, held_out_families: false }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Summary {
    pub seed: u64,
    /// The part of the name and place pools the set's world drew from.
    #[serde(default)]
    pub pools: Split,
    /// Whether its pages use the held-out layout families.
    #[serde(default)]
    pub held_out_families: bool,
    pub apps: usize,
    pub clean: usize,
    pub pages: usize,
    pub degraded_pages: usize,
    pub undeclared_pages: usize,
    pub pages_by_kind: BTreeMap<String, usize>,
    pub defects_by_check: BTreeMap<String, usize>,
    pub defects_by_id: BTreeMap<String, usize>,
    pub verdicts: BTreeMap<String, usize>,
    pub permit_classes: BTreeMap<String, usize>,
    pub authorities: BTreeMap<String, usize>,
    pub degradations: BTreeMap<String, usize>,
    pub registry: BTreeMap<String, usize>,
}

/// Builds the world and every application (no layout, no pixels), with
/// names and places from the seen part of the pools.
pub fn world_and_apps(seed: u64, n: usize) -> Result<(apps::Sim, Vec<apps::AppCase>)> {
    world_and_apps_in(seed, n, Split::Seen)
}

/// [`world_and_apps`] drawing names and places from the given part of the pools.
pub fn world_and_apps_in(seed: u64, n: usize, split: Split) -> Result<(apps::Sim, Vec<apps::AppCase>)> {
    world_and_apps_with(seed, n, split, false)
}

/// [`world_and_apps_in`], its pages in the held-out layout families if asked.
pub fn world_and_apps_with(seed: u64, n: usize, split: Split, held_out_families: bool) -> Result<(apps::Sim, Vec<apps::AppCase>)> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut sim = apps::Sim::new(&mut rng, split);
    sim.held_out_families = held_out_families;
    let plans = apps::plan(&mut rng, n);
    let mut cases = Vec::with_capacity(n);
    for p in &plans {
        cases.push(apps::build(&mut sim, &mut rng, p).with_context(|| format!("application {}", p.index + 1))?);
    }
    Ok((sim, cases))
}

/// JPEG quality of an undegraded page: 70–85, as clean uploads vary.
pub fn clean_quality(seed: u64) -> u8 {
    70 + (seed % 16) as u8
}

fn bbox_of(r: [f32; 4], w: u32, h: u32) -> BBox {
    let x0 = r[0].floor().clamp(0.0, w as f32) as u32;
    let y0 = r[1].floor().clamp(0.0, h as f32) as u32;
    let x1 = r[2].ceil().clamp(0.0, w as f32) as u32;
    let y1 = r[3].ceil().clamp(0.0, h as f32) as u32;
    BBox::new(x0, y0, x1.saturating_sub(x0).max(1).min(w - x0.min(w - 1)), y1.saturating_sub(y0).max(1).min(h - y0.min(h - 1)))
}

/// Rectangles of a layout in a fixed order: lines, then fields.
fn rects(l: &Layout) -> (Vec<[f32; 4]>, Vec<String>) {
    let mut rs: Vec<[f32; 4]> = l.lines.iter().map(|ln| [ln.x, ln.top, ln.x + ln.width(), ln.top + ln.height]).collect();
    let mut keys = vec![];
    for k in l.fields.keys() {
        rs.push(l.field_box(k).expect("printed field has a box"));
        keys.push(k.clone());
    }
    (rs, keys)
}

/// Renders (and maybe degrades) one page; writes the image; returns its truth.
pub fn render_page(doc: &docs::PageDoc, dir: &Path) -> Result<PageTruth> {
    let (bytes, truth) = render_page_bytes(doc)?;
    let path = dir.join(&doc.file);
    std::fs::write(&path, bytes).with_context(|| path.display().to_string())?;
    Ok(truth)
}

/// Renders (and maybe degrades) one page: the encoded file and its truth.
pub fn render_page_bytes(doc: &docs::PageDoc) -> Result<(Vec<u8>, PageTruth)> {
    let (l, variant, font) = pages::layout(doc)?;
    let img = render::render(&l, doc.seed);
    let (mut rs, keys) = rects(&l);
    let (img, deg) = if doc.degraded {
        let mut rng = ChaCha8Rng::seed_from_u64(doc.seed ^ 0x5eed_deca);
        let (img, d) = render::degrade::degrade(img, &mut rs, &mut rng);
        (img, Some(d))
    } else {
        (img, None)
    };
    let mut f: Vec<u8> = Vec::new();
    if doc.file.ends_with(".png") {
        let enc = image::codecs::png::PngEncoder::new_with_quality(&mut f, image::codecs::png::CompressionType::Fast, image::codecs::png::FilterType::Sub);
        image::DynamicImage::ImageRgb8(img.clone()).write_with_encoder(enc)?;
    } else {
        // Clean pages are stored like a good scanner does (quality 90);
        // degraded ones at the drawn quality.
        let q = deg.as_ref().map(|d| d.jpeg_quality).unwrap_or(clean_quality(doc.seed));
        let mut enc = jpeg_encoder::Encoder::new(&mut f, q);
        enc.set_sampling_factor(jpeg_encoder::SamplingFactor::R_4_2_0);
        // Not `set_optimized_huffman_tables(true)`: with 4:2:0 sampling the
        // `image` crate's decoder (zune-jpeg 0.5) reads those files as
        // stripes of garbage, so dajian could not read its own test pages.
        // Pinned by `rendered_pages_decode_as_they_were_drawn` below.
        enc.encode(img.as_raw(), img.width() as u16, img.height() as u16, jpeg_encoder::ColorType::Rgb)?;
    }
    let truth = page_truth(doc, &l, variant, font, img.width(), img.height(), &rs, &keys, deg);
    Ok((f, truth))
}

#[allow(clippy::too_many_arguments)]
fn page_truth(doc: &docs::PageDoc, l: &Layout, variant: String, font: fonts::FontId, w: u32, h: u32, rs: &[[f32; 4]], keys: &[String], deg: Option<truth::Degradation>) -> PageTruth {
    let n = l.lines.len();
    let lines = l.lines.iter().enumerate().map(|(i, ln)| LineTruth { text: ln.text.clone(), bbox: bbox_of(rs[i], w, h), role: ln.role }).collect();
    let fields = keys
        .iter()
        .enumerate()
        .map(|(i, k)| {
            let f = &l.fields[k];
            (k.clone(), FieldTruth { value: f.value.clone(), printed: f.printed.clone(), bbox: bbox_of(rs[n + i], w, h), spans: f.spans.clone() })
        })
        .collect();
    PageTruth {
        file: doc.file.clone(),
        kind: doc.kind,
        subject: doc.subject,
        declared: doc.declared,
        layout: variant,
        font: serde_json::to_value(font).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default(),
        width: w,
        height: h,
        degradation: deg,
        fields,
        lines,
    }
}

/// The truth of a page without rendering: boxes are in the undegraded
/// layout's pixels.
pub fn page_truth_text(doc: &docs::PageDoc) -> Result<PageTruth> {
    let (l, variant, font) = pages::layout(doc)?;
    let (rs, keys) = rects(&l);
    Ok(page_truth(doc, &l, variant, font, l.width, l.height, &rs, &keys, None))
}

/// A page as text: printed lines and, per field, its value and spans.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TextPage {
    pub kind: DocKind,
    pub subject: Option<Subject>,
    pub lines: Vec<String>,
    /// Each line's `[x0, y0, x1, y1]` in layout pixels, for arranging the
    /// lines the way OCR groups them.
    pub line_boxes: Vec<[f32; 4]>,
    /// Whether a line is seal text (OCR reads it partly or not at all).
    pub line_is_seal: Vec<bool>,
    pub fields: BTreeMap<String, TextField>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TextField {
    pub value: serde_json::Value,
    pub spans: Vec<Span>,
}

/// Every page of a `n`-application world as text, without rendering.
/// Uses the same layout code as the images, so lines and spans agree with
/// the rendered truth.
pub fn pages_text(seed: u64, n: usize) -> Result<Vec<TextPage>> {
    let (_, cases) = world_and_apps(seed, n)?;
    let mut out = vec![];
    for c in &cases {
        for p in &c.pages {
            out.push(page_text(p)?);
        }
    }
    Ok(out)
}

pub fn page_text(doc: &docs::PageDoc) -> Result<TextPage> {
    let (l, _, _) = pages::layout(doc)?;
    Ok(TextPage {
        kind: doc.kind,
        subject: doc.subject,
        lines: l.lines.iter().map(|ln| ln.text.clone()).collect(),
        line_boxes: l.lines.iter().map(|ln| [ln.x, ln.top, ln.x + ln.width(), ln.top + ln.height]).collect(),
        line_is_seal: l.lines.iter().map(|ln| ln.role == layout::Role::Seal).collect(),
        fields: l.fields.iter().map(|(k, f)| (k.clone(), TextField { value: f.value.clone(), spans: f.spans.clone() })).collect(),
    })
}

fn write_json<T: Serialize>(path: &Path, v: &T) -> Result<()> {
    let mut s = serde_json::to_string_pretty(v)?;
    s.push('\n');
    std::fs::write(path, s).with_context(|| path.display().to_string())
}

/// Writes a dataset: `registry/*.jsonl`, `apps/app_NNNN/{application.json,
/// truth.json, pages…}` and `summary.json`.
pub fn generate(p: &GenerateParams) -> Result<Summary> {
    let (sim, cases) = world_and_apps_with(p.seed, p.apps, p.pools, p.held_out_families)?;
    let out = &p.out_dir;
    std::fs::create_dir_all(out)?;
    sim.world.write(&out.join("registry"))?;
    let apps_dir = out.join("apps");
    std::fs::create_dir_all(&apps_dir)?;
    let results = dajian::par::map(&cases, p.threads, |c| write_app(c, &apps_dir, p.render));
    let mut sum = Summary { seed: p.seed, pools: p.pools, held_out_families: p.held_out_families, apps: cases.len(), ..Default::default() };
    for (c, r) in cases.iter().zip(results) {
        let t = r.with_context(|| c.name.clone())?;
        tally(&mut sum, &t);
    }
    let w = &sim.world;
    for (k, n) in [
        ("companies", w.companies.len()),
        ("persons", w.persons.len()),
        ("vehicles", w.vehicles.len()),
        ("road_nodes", w.nodes.len()),
        ("road_segments", w.segments.len()),
        ("structures", w.structures.len()),
    ] {
        sum.registry.insert(k.into(), n);
    }
    write_json(&out.join("summary.json"), &sum)?;
    Ok(sum)
}

fn write_app(c: &apps::AppCase, apps_dir: &Path, render: bool) -> Result<AppTruth> {
    let dir = apps_dir.join(&c.name);
    std::fs::create_dir_all(&dir)?;
    write_json(&dir.join("application.json"), &c.form)?;
    let mut pages = vec![];
    for p in &c.pages {
        pages.push(if render { render_page(p, &dir)? } else { page_truth_text(p)? });
    }
    let t = AppTruth { application: c.name.clone(), defect: c.defect.as_ref().map(|d| d.1.clone()), expected: c.expected.clone(), pages };
    write_json(&dir.join("truth.json"), &t)?;
    Ok(t)
}

fn tally(s: &mut Summary, t: &AppTruth) {
    *s.verdicts.entry(format!("{:?}", t.expected.verdict).to_lowercase()).or_default() += 1;
    *s.permit_classes.entry(t.expected.permit_class.to_string()).or_default() += 1;
    let auth = t.expected.authority.as_ref().map(|a| a.level.clone()).unwrap_or_else(|| "none".into());
    *s.authorities.entry(auth).or_default() += 1;
    match &t.defect {
        None => s.clean += 1,
        Some(d) => {
            *s.defects_by_check.entry(d.check.clone()).or_default() += 1;
            *s.defects_by_id.entry(d.id.clone()).or_default() += 1;
        }
    }
    for p in &t.pages {
        s.pages += 1;
        *s.pages_by_kind.entry(p.kind.key().to_string()).or_default() += 1;
        if !p.declared {
            s.undeclared_pages += 1;
        }
        if let Some(d) = &p.degradation {
            s.degraded_pages += 1;
            *s.degradations.entry(d.style.clone()).or_default() += 1;
            if d.rotation_quarter != 0 {
                *s.degradations.entry(format!("rotated_{}", d.rotation_quarter)).or_default() += 1;
            }
        } else {
            *s.degradations.entry("none".into()).or_default() += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rendered_pages_decode_as_they_were_drawn() {
        let (_, cases) = world_and_apps(5, 1).unwrap();
        let dir = tempfile::tempdir().unwrap();
        for doc in cases[0].pages.iter().filter(|d| !d.degraded).take(3) {
            render_page(doc, dir.path()).unwrap();
            let (l, _, _) = pages::layout(doc).unwrap();
            let drawn = render::render(&l, doc.seed);
            let bytes = std::fs::read(dir.path().join(&doc.file)).unwrap();
            let page = dajian::ingest::decode_page(&bytes, &doc.file, &dajian::ingest::DecodeLimits::default()).unwrap();
            let read = page.image().to_rgb8();
            assert_eq!(read.dimensions(), drawn.dimensions());
            let diff = read.as_raw().iter().zip(drawn.as_raw()).map(|(&a, &b)| (a as f64 - b as f64).abs()).sum::<f64>()
                / drawn.as_raw().len() as f64;
            assert!(diff < 4.0, "{}: decoded image differs from the drawn one by {diff:.1} per channel", doc.file);
        }
    }
}
