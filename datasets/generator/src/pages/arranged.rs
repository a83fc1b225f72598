//! The `arranged` family of every card-like kind: the kind's label/value
//! rows (those of its printout, `printout_rows`) laid out by one of four
//! generic arrangements that government portals, query systems and office
//! copies use, so that the extractor learns to tie a value to its label by
//! position however the two stand, not one edition's places:
//!
//! - `header_table`: labels as column headers, each value in the cell under
//!   its label (a query result with one record), 3–6 columns a band;
//! - `boxed`: a grid of boxes, each holding its label and its value, the
//!   label small above the value or both on one line;
//! - `columns`: `label：value` pairs in two columns, no rules;
//! - `stacked`: the label on a line of its own, the value under it.
//!
//! Long values (addresses, business scopes) take a band of the full width
//! and wrap. Varies besides: portrait or landscape, title wording, a
//! query/print line and a page footer, colons, header shading.

use anyhow::Result;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::{fit, keep_printed, printout_rows, Family, Style};
use crate::docs::PageDoc;
use crate::fonts::{self, FontId};
use crate::layout::{t, Layout, Op, Rgb, Seg, BLACK, GREY};
use crate::pools::pick;
use dajian::document::DocKind;

pub(super) const FAMILIES: &[Family] = &[
    of(DocKind::VehicleLicence),
    of(DocKind::DrivingLicence),
    of(DocKind::QualificationCertificate),
    of(DocKind::RoadTransportCertificate),
    of(DocKind::BusinessLicence),
    of(DocKind::OperatingPermit),
    of(DocKind::IdCard),
];

/// The kind's `arranged` family, seen in training.
const fn of(kind: DocKind) -> Family {
    Family { kind, name: NAME, draw: arranged, held_out: false }
}

/// Drawn only where a page names it (`train ocr-samples --family
/// arranged`), never in the seeded draw: the shipped extractor (v4) was not
/// trained on it, and v5, which was, regressed on a seen page
/// (models/extractor/MODEL_CARD.md); drawing it would change every
/// generated dataset's pages for no model that reads them.
pub(super) const NAME: &str = "arranged";

const ARRANGEMENTS: [&str; 4] = ["header_table", "boxed", "columns", "stacked"];

/// The page's rows: the printout's, or the ID card's front; rows whose
/// field the page does not print are left out.
fn rows(doc: &PageDoc, st: &Style) -> Vec<(&'static str, Vec<Seg>)> {
    let f = |k: &'static str| vec![Seg::F(k)];
    let mut rows = printout_rows(doc.kind, st).unwrap_or_else(|| {
        vec![("姓名", f("name")), ("性别", f("sex")), ("民族", f("ethnicity")), ("出生", f("birth_date")), ("住址", f("address")), ("公民身份号码", f("id_number"))]
    });
    keep_printed(&mut rows, doc);
    rows
}

/// Where the arrangement draws and how.
struct Frame {
    x: f32,
    w: f32,
    size: f32,
    colon: bool,
    line: Rgb,
}

fn arranged(doc: &PageDoc, st: &Style, rng: &mut ChaCha8Rng) -> Result<(Layout, String)> {
    let rows = rows(doc, st);
    // Landscape when the rows fit it; a landscape page they overrun is
    // drawn again in portrait.
    if rows.len() <= 10 && rng.random_bool(0.4) {
        let (l, which, end) = draw(doc, st, &rows, true, rng)?;
        if end < l.height as f32 - 60.0 {
            return Ok((l, which));
        }
    }
    // A long page can overrun in its drawn arrangement (many rows wrapped
    // in narrow columns): draw again, the rng choosing afresh.
    let mut last = String::new();
    for _ in 0..8 {
        let (l, which, end) = draw(doc, st, &rows, false, rng)?;
        if end < l.height as f32 - 60.0 {
            return Ok((l, which));
        }
        last = format!("{which} ran off the page ({end} of {})", l.height);
    }
    anyhow::bail!("no arrangement fits the page: {last}")
}

/// The page, its arrangement and where the rows end.
fn draw(doc: &PageDoc, st: &Style, rows: &[(&'static str, Vec<Seg>)], landscape: bool, rng: &mut ChaCha8Rng) -> Result<(Layout, String, f32)> {
    let (w, h) = if landscape { (1754.0, 1240.0) } else { (1240.0, 1754.0) };
    let paper = *pick(rng, &[[255, 255, 255], [252, 251, 247], [246, 246, 246], [250, 248, 242]]);
    let mut l = super::new_layout(doc, w as u32, h as u32, paper);
    let mx = rng.random_range(80.0..140.0);
    let title = format!("{}{}", doc.kind.title_zh(), pick(rng, &["", "信息", "查询结果", "详细信息", "（复印件）", "信息表"]));
    let title_size = rng.random_range(36.0..48.0);
    let title_size = fit(FontId::SansBold, title_size, &title, w - 2.0 * mx);
    let mut y = rng.random_range(140.0..200.0);
    if rng.random_bool(0.5) {
        l.run_centered(w / 2.0, y, FontId::SansBold, title_size, BLACK, &[t(title)])?;
    } else {
        l.run(mx, y, FontId::SansBold, title_size, BLACK, &[t(title)])?;
    }
    y += title_size * 1.2;
    if rng.random_bool(0.6) {
        let meta = match rng.random_range(0..3) {
            0 => format!("打印时间：{}-{:02}-{:02} {:02}:{:02}", rng.random_range(2023..2027), rng.random_range(1..13), rng.random_range(1..29), rng.random_range(8..18), rng.random_range(0..60)),
            1 => format!("查询编号：{}", rng.random_range(10_000_000u64..99_999_999)),
            _ => "数据来源：全国一体化政务服务平台".to_string(),
        };
        l.run(w - mx - fonts::width(FontId::Sans, 18.0, &meta), y, FontId::Sans, 18.0, GREY, &[t(meta)])?;
        y += 40.0;
    }
    y += rng.random_range(30.0..70.0);
    let fr = Frame { x: mx, w: w - 2.0 * mx, size: st.size + rng.random_range(0.0..4.0), colon: rng.random_bool(0.5), line: st.line };
    let which = *pick(rng, &ARRANGEMENTS);
    let cols = match which {
        "header_table" => rng.random_range(3..=if landscape { 6 } else { 4 }),
        "boxed" => rng.random_range(2..=if landscape { 4 } else { 3 }),
        _ => 2,
    };
    let end = match which {
        "header_table" => header_table(&mut l, st, &fr, y, cols, rows, rng)?,
        "boxed" => boxed(&mut l, st, &fr, y, cols, rows, rng)?,
        "columns" => columns(&mut l, st, &fr, y, rows, rng)?,
        _ => stacked(&mut l, st, &fr, y, rows, rng)?,
    };
    if end < h - 120.0 && rng.random_bool(0.5) {
        l.run_centered(w / 2.0, h - 70.0, FontId::Sans, 18.0, GREY, &[t("第1页 共1页")])?;
    }
    // Prefixed: the first vehicle licence edition has a `stacked` variant too.
    Ok((l, format!("arranged_{which}"), end))
}

/// Splits the rows into bands: up to `cols` short rows side by side, or
/// one long row alone (its value wider than a cell at `size`).
fn bands<'a>(l: &Layout, st: &Style, fr: &Frame, cols: usize, rows: &'a [(&'static str, Vec<Seg>)]) -> Vec<Vec<&'a (&'static str, Vec<Seg>)>> {
    let cell_w = fr.w / cols as f32;
    let mut out: Vec<Vec<_>> = vec![];
    let mut cur = vec![];
    for r in rows {
        let long = fonts::width(st.value, fr.size, &l.text_of(&r.1)) > cell_w - 20.0;
        if long {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            out.push(vec![r]);
        } else {
            cur.push(r);
            if cur.len() == cols {
                out.push(std::mem::take(&mut cur));
            }
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn label_text(fr: &Frame, label: &str) -> String {
    if fr.colon { format!("{label}：") } else { label.to_string() }
}

/// A query result: a header row of labels over a row of values, band by band.
#[allow(clippy::too_many_arguments)]
fn header_table(l: &mut Layout, st: &Style, fr: &Frame, mut y: f32, cols: usize, rows: &[(&'static str, Vec<Seg>)], rng: &mut ChaCha8Rng) -> Result<f32> {
    let shade = *pick(rng, &[[232, 236, 242], [238, 238, 238], [244, 238, 226], [255, 255, 255]]);
    let gap = if rng.random_bool(0.5) { 0.0 } else { rng.random_range(12.0..30.0) };
    let cell_w = fr.w / cols as f32;
    let (hh, vh) = (fr.size * 1.9, fr.size * 2.3);
    for band in bands(l, st, fr, cols, rows) {
        let bw = if band.len() == 1 && band.len() < cols { fr.w } else { cell_w };
        l.op(Op::Fill { x: fr.x, y, w: bw * band.len() as f32, h: hh, color: shade });
        let mut bottom = y + hh + vh;
        for (i, (label, segs)) in band.iter().enumerate() {
            let cx = fr.x + i as f32 * bw;
            let ls = fit(st.label, fr.size * 0.85, label, bw - 12.0);
            l.run_centered(cx + bw / 2.0, y + hh * 0.5 + ls * 0.35, st.label, ls, st.label_color, &[t(*label)])?;
            let base = y + hh + vh * 0.5 + fr.size * 0.35;
            let next = l.para(cx + 10.0, base, bw - 20.0, 0.0, fr.size * 1.4, st.value, fr.size, st.value_color, segs)?;
            bottom = bottom.max(next - fr.size * 1.4 + vh * 0.5);
        }
        for i in 0..band.len() {
            let cx = fr.x + i as f32 * bw;
            l.op(Op::Stroke { x: cx, y, w: bw, h: hh, width: 1.2, color: fr.line });
            l.op(Op::Stroke { x: cx, y: y + hh, w: bw, h: bottom - y - hh, width: 1.2, color: fr.line });
        }
        y = bottom + gap;
    }
    Ok(y)
}

/// A grid of boxes, each with its label and value inside.
#[allow(clippy::too_many_arguments)]
fn boxed(l: &mut Layout, st: &Style, fr: &Frame, mut y: f32, cols: usize, rows: &[(&'static str, Vec<Seg>)], rng: &mut ChaCha8Rng) -> Result<f32> {
    let inline = rng.random_bool(0.4);
    let cell_w = fr.w / cols as f32;
    for band in bands(l, st, fr, cols, rows) {
        let bw = if band.len() == 1 && band.len() < cols { fr.w } else { cell_w };
        let mut bottom = y;
        for (i, (label, segs)) in band.iter().enumerate() {
            let cx = fr.x + i as f32 * bw;
            let next = if inline {
                let lab = label_text(fr, label);
                let mut all = vec![t(lab)];
                all.extend(segs.iter().cloned());
                l.para(cx + 12.0, y + fr.size * 1.5, bw - 24.0, 0.0, fr.size * 1.4, st.value, fr.size, st.value_color, &all)?
            } else {
                let ls = fr.size * 0.6;
                l.run(cx + 10.0, y + ls * 1.4, st.label, ls, st.label_color, &[t(*label)])?;
                l.para(cx + 16.0, y + ls * 1.6 + fr.size * 1.2, bw - 32.0, 0.0, fr.size * 1.4, st.value, fr.size, st.value_color, segs)?
            };
            bottom = bottom.max(next - fr.size * 0.6);
        }
        for i in 0..band.len() {
            l.op(Op::Stroke { x: fr.x + i as f32 * bw, y, w: bw, h: bottom - y, width: 1.5, color: fr.line });
        }
        y = bottom;
    }
    Ok(y)
}

/// `label：value` pairs in two columns; long values across both.
fn columns(l: &mut Layout, st: &Style, fr: &Frame, mut y: f32, rows: &[(&'static str, Vec<Seg>)], rng: &mut ChaCha8Rng) -> Result<f32> {
    let lead = fr.size * rng.random_range(2.0..2.8);
    let col_w = fr.w / 2.0;
    let label_w = rng.random_range(150.0..210.0);
    let lab = |s: &str| fit(st.label, fr.size * 0.9, s, label_w - 8.0);
    y += fr.size;
    for band in bands(l, st, &Frame { w: fr.w - 2.0 * label_w, ..*fr }, 2, rows) {
        let mut next = y + lead;
        for (i, (label, segs)) in band.iter().enumerate() {
            let x = fr.x + i as f32 * col_w;
            let text = label_text(fr, label);
            let max_w = if band.len() == 1 { fr.w - label_w } else { col_w - label_w - 20.0 };
            let n = l.labelled(x, x + label_w, y, max_w, fr.size * 1.4, (&text, st.label, lab(&text), st.label_color), (segs, st.value, fr.size, st.value_color))?;
            next = next.max(n - fr.size * 1.4 + lead);
        }
        y = next;
    }
    Ok(y)
}

/// Each label on a line of its own, small and grey, the value under it.
fn stacked(l: &mut Layout, st: &Style, fr: &Frame, mut y: f32, rows: &[(&'static str, Vec<Seg>)], rng: &mut ChaCha8Rng) -> Result<f32> {
    let rule = rng.random_bool(0.5);
    let ls = fr.size * 0.7;
    let two = rows.len() > 8;
    let col_w = if two { fr.w / 2.0 } else { fr.w };
    let narrow = Frame { w: col_w, ..*fr };
    let mut col = 0;
    let mut band_bottom = y;
    for (label, segs) in rows {
        let long = fonts::width(st.value, fr.size, &l.text_of(segs)) > col_w - 20.0;
        if long && col == 1 {
            col = 0;
            y = band_bottom;
        }
        let (x, max_w) = if long { (fr.x, fr.w) } else { (fr.x + col as f32 * col_w, narrow.w - 20.0) };
        l.run(x, y + ls, st.label, ls, GREY, &[t(label_text(fr, label))])?;
        let next = l.para(x, y + ls + fr.size * 1.3, max_w, 0.0, fr.size * 1.4, st.value, fr.size, st.value_color, segs)?;
        if rule {
            l.op(Op::Stroke { x, y: next - fr.size * 0.9, w: max_w, h: 0.5, width: 1.0, color: fr.line });
        }
        band_bottom = band_bottom.max(next - fr.size * 0.4);
        if two && !long && col == 0 {
            col = 1;
        } else {
            col = 0;
            y = band_bottom;
        }
    }
    Ok(band_bottom.max(y))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{world_and_apps_in, Split};

    #[test]
    fn every_arrangement_keeps_every_row_on_the_page_whatever_the_seed() {
        let (_, cases) = world_and_apps_in(7, 6, Split::Seen).unwrap();
        let mut seen = std::collections::BTreeSet::new();
        for fam in FAMILIES {
            let doc = cases.iter().flat_map(|c| &c.pages).find(|p| p.kind == fam.kind).expect("a page of the kind");
            for seed in 0..60 {
                let mut doc = doc.clone();
                doc.seed = seed;
                doc.x("family", "arranged");
                let (l, variant, _) = super::super::layout(&doc).unwrap_or_else(|e| panic!("{}/arranged seed {seed}: {e:#}", fam.kind));
                for line in &l.lines {
                    assert!(line.x + line.width() <= l.width as f32 + 1.0 && line.top + line.height <= l.height as f32 + 1.0, "{variant} seed {seed}: {} runs off the page", line.text);
                }
                seen.insert(variant.split('/').nth(1).and_then(|v| v.strip_prefix("arranged_")).unwrap_or("").to_string());
            }
        }
        assert_eq!(seen.len(), ARRANGEMENTS.len(), "arrangements drawn: {seen:?}");
    }
}
