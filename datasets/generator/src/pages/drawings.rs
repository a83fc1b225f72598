//! Layout families of the vehicle and cargo contour drawing (车货轮廓图)
//! beyond the first edition in `mod.rs`. The kind has no fields: the
//! pages are only classified, so the titles say what the page is.

use anyhow::Result;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::{fit, Family, Style};
use crate::docs::PageDoc;
use crate::fonts::{self, FontId};
use crate::layout::{t, Layout, Op, Rgb, BLACK, GREY};
use crate::pools::pick;
use dajian::document::DocKind;

pub(super) const FAMILIES: &[Family] = &[
    Family { kind: DocKind::ContourDrawing, name: "side_top", draw: side_top, held_out: false },
    Family { kind: DocKind::ContourDrawing, name: "cad_sheet", draw: cad_sheet, held_out: false },
    Family { kind: DocKind::ContourDrawing, name: "sketch_table", draw: sketch_table, held_out: true },
];

/// The combination the page draws, from the page's `extra`.
struct Rig {
    len: f32,
    wid: f32,
    hei: f32,
    total: f32,
    axles: usize,
    tax: usize,
    /// Cylindrical cargo (tower sections, vessels): drawn round at the ends.
    round: bool,
    company: String,
    cargo: String,
}

fn rig(doc: &PageDoc) -> Rig {
    let g = |k: &str| doc.extra.get(k).and_then(|s| s.parse::<f32>().ok()).unwrap_or(0.0);
    let cargo = doc.extra.get("cargo").cloned().unwrap_or_default();
    let axles = (g("axles") as usize).max(2);
    Rig {
        len: g("length").max(6000.0),
        wid: g("width").max(2000.0),
        hei: g("height").max(2000.0),
        total: g("total"),
        axles,
        tax: (g("tractor_axles") as usize).clamp(1, axles),
        round: ["塔筒", "反应釜", "罐"].iter().any(|k| cargo.contains(k)),
        company: doc.extra.get("company").cloned().unwrap_or_default(),
        cargo,
    }
}

impl Rig {
    fn rigid(&self) -> bool {
        self.tax >= self.axles
    }
    /// Where the deck starts, mm from the front.
    fn deck_start(&self) -> f32 {
        if self.rigid() { 2600.0 } else { 5600.0f32.min(self.len * 0.4) }
    }
    fn cargo_start(&self) -> f32 {
        self.deck_start() + 500.0
    }
    /// Axle positions, mm from the front.
    fn axle_x(&self) -> Vec<f32> {
        let mut xs = vec![];
        let cab_gap = if self.rigid() { (self.len * 0.45).min(4800.0) } else { 3300.0 };
        for i in 0..self.tax {
            xs.push(1400.0 + if i == 0 { 0.0 } else { cab_gap + (i - 1) as f32 * 1350.0 });
        }
        let n = self.axles - self.tax;
        for i in 0..n {
            xs.push(self.len - 2200.0 - (n - 1 - i) as f32 * 1450.0);
        }
        xs
    }
}

const WHEEL_R: f32 = 520.0;
const DECK_H: f32 = 1100.0;

/// An ellipse as a polygon of lines (the renderer's `Ellipse` thickens
/// a flat ellipse's ends).
fn ellipse(l: &mut Layout, cx: f32, cy: f32, rx: f32, ry: f32, w: f32, c: Rgb) {
    let n = 36;
    let pt = |i: usize| {
        let a = i as f32 * 2.0 * std::f32::consts::PI / n as f32;
        (cx + rx * a.cos(), cy + ry * a.sin())
    };
    for i in 0..n {
        let (a, b) = (pt(i), pt(i + 1));
        l.op(Op::Line { x0: a.0, y0: a.1, x1: b.0, y1: b.1, width: w, color: c });
    }
}

/// The side view: front of the vehicle at `x0`, wheels on `ground`, `s`
/// px per mm. Returns the y of the cargo's top.
fn side_view(l: &mut Layout, r: &Rig, x0: f32, ground: f32, s: f32, c: Rgb, cargo_c: Rgb, w: f32) -> f32 {
    let p = |mm: f32| mm * s;
    // Cab and chassis.
    l.op(Op::Stroke { x: x0, y: ground - p(3300.0), w: p(2300.0), h: p(2300.0), width: w, color: c });
    l.op(Op::Stroke { x: x0 + p(250.0), y: ground - p(3050.0), w: p(1500.0), h: p(800.0), width: w * 0.6, color: c });
    let chassis_end = if r.rigid() { r.len - 300.0 } else { 6800.0f32.min(r.len * 0.5) };
    l.op(Op::Stroke { x: x0, y: ground - p(1000.0), w: p(chassis_end), h: p(300.0), width: w, color: c });
    // Deck (a low bed for a semi-trailer, the body floor for a rigid truck).
    let ds = r.deck_start();
    l.op(Op::Stroke { x: x0 + p(ds), y: ground - p(DECK_H), w: p(r.len - ds), h: p(260.0), width: w, color: c });
    if !r.rigid() {
        // Gooseneck over the fifth wheel.
        l.op(Op::Line { x0: x0 + p(ds), y0: ground - p(DECK_H), x1: x0 + p(ds - 800.0), y1: ground - p(1500.0), width: w, color: c });
    }
    // Cargo.
    let cs = r.cargo_start();
    let top = ground - p(r.hei);
    let bottom = ground - p(DECK_H);
    let cl = r.len - cs;
    if r.round {
        let e = p((r.hei - DECK_H) * 0.12);
        l.op(Op::Stroke { x: x0 + p(cs) + e, y: top, w: p(cl) - 2.0 * e, h: bottom - top, width: w, color: cargo_c });
        ellipse(l, x0 + p(cs) + e, (top + bottom) / 2.0, e, (bottom - top) / 2.0, w, cargo_c);
        ellipse(l, x0 + p(r.len) - e, (top + bottom) / 2.0, e, (bottom - top) / 2.0, w, cargo_c);
    } else {
        l.op(Op::Stroke { x: x0 + p(cs), y: top, w: p(cl), h: bottom - top, width: w, color: cargo_c });
        l.op(Op::Line { x0: x0 + p(cs), y0: top, x1: x0 + p(r.len), y1: bottom, width: w * 0.5, color: cargo_c });
        l.op(Op::Line { x0: x0 + p(cs), y0: bottom, x1: x0 + p(r.len), y1: top, width: w * 0.5, color: cargo_c });
    }
    // Wheels.
    for ax in r.axle_x() {
        l.op(Op::Ellipse { cx: x0 + p(ax), cy: ground - p(WHEEL_R), rx: p(WHEEL_R), ry: p(WHEEL_R), width: w * 1.2, color: c });
        l.op(Op::Ellipse { cx: x0 + p(ax), cy: ground - p(WHEEL_R), rx: p(180.0), ry: p(180.0), width: w * 0.6, color: c });
    }
    l.op(Op::Line { x0: x0 - 30.0, y0: ground, x1: x0 + p(r.len) + 30.0, y1: ground, width: 1.2, color: GREY });
    top
}

/// The top view: front at `x0`, centred on `cy`.
fn top_view(l: &mut Layout, r: &Rig, x0: f32, cy: f32, s: f32, c: Rgb, cargo_c: Rgb, w: f32) {
    let p = |mm: f32| mm * s;
    let tw = 2500.0;
    let cab_l = if r.rigid() { r.len - 200.0 } else { 6800.0f32.min(r.len * 0.5) };
    l.op(Op::Stroke { x: x0, y: cy - p(tw / 2.0), w: p(2300.0), h: p(tw), width: w, color: c });
    l.op(Op::Stroke { x: x0 + p(2300.0), y: cy - p(tw / 2.0 - 200.0), w: p(cab_l - 2300.0), h: p(tw - 400.0), width: w * 0.6, color: c });
    let ds = r.deck_start();
    let dw = r.wid.min(3000.0);
    l.op(Op::Stroke { x: x0 + p(ds), y: cy - p(dw / 2.0), w: p(r.len - ds), h: p(dw), width: w, color: c });
    let cs = r.cargo_start();
    l.op(Op::Stroke { x: x0 + p(cs), y: cy - p(r.wid / 2.0), w: p(r.len - cs), h: p(r.wid), width: w * 1.2, color: cargo_c });
    for ax in r.axle_x() {
        for side in [-1.0, 1.0] {
            let yy = cy + side * p(dw / 2.0 - 300.0) - p(300.0);
            l.op(Op::Fill { x: x0 + p(ax - 450.0), y: yy, w: p(900.0), h: p(600.0), color: c });
        }
    }
    // Centre line.
    let mut x = x0 - 20.0;
    while x < x0 + p(r.len) + 20.0 {
        l.op(Op::Line { x0: x, y0: cy, x1: (x + 24.0).min(x0 + p(r.len) + 20.0), y1: cy, width: 1.0, color: GREY });
        x += 34.0;
    }
}

/// The end view: centred on `cx`, wheels on `ground`.
fn end_view(l: &mut Layout, r: &Rig, cx: f32, ground: f32, s: f32, c: Rgb, cargo_c: Rgb, w: f32) -> f32 {
    let p = |mm: f32| mm * s;
    let dw = r.wid.min(3000.0);
    l.op(Op::Stroke { x: cx - p(dw / 2.0), y: ground - p(DECK_H), w: p(dw), h: p(260.0), width: w, color: c });
    for side in [-1.0, 1.0] {
        let x = cx + side * p(dw / 2.0 - 350.0) - p(300.0);
        l.op(Op::Stroke { x, y: ground - p(2.0 * WHEEL_R), w: p(600.0), h: p(2.0 * WHEEL_R), width: w, color: c });
    }
    let top = ground - p(r.hei);
    let bottom = ground - p(DECK_H);
    if r.round {
        let d = (bottom - top).min(p(r.wid));
        l.op(Op::Ellipse { cx, cy: bottom - d / 2.0, rx: d / 2.0, ry: d / 2.0, width: w * 1.2, color: cargo_c });
    } else {
        l.op(Op::Stroke { x: cx - p(r.wid / 2.0), y: top, w: p(r.wid), h: bottom - top, width: w * 1.2, color: cargo_c });
    }
    l.op(Op::Line { x0: cx - p(r.wid / 2.0) - 30.0, y0: ground, x1: cx + p(r.wid / 2.0) + 30.0, y1: ground, width: 1.2, color: GREY });
    top
}

/// A horizontal dimension with extension lines from `from_y`, arrows or
/// architectural ticks, and the number above the line.
#[allow(clippy::too_many_arguments)]
fn dim_h(l: &mut Layout, x0: f32, x1: f32, y: f32, from_y: Option<f32>, label: &str, size: f32, ticks: bool, c: Rgb) -> Result<()> {
    l.op(Op::Line { x0, y0: y, x1, y1: y, width: 1.2, color: c });
    for x in [x0, x1] {
        let y0 = from_y.unwrap_or(y - 10.0);
        l.op(Op::Line { x0: x, y0, x1: x, y1: y + 10.0, width: 1.0, color: c });
    }
    if ticks {
        for x in [x0, x1] {
            l.op(Op::Line { x0: x - 7.0, y0: y + 7.0, x1: x + 7.0, y1: y - 7.0, width: 2.0, color: c });
        }
    } else {
        for (x, d) in [(x0, 1.0), (x1, -1.0)] {
            l.op(Op::Line { x0: x, y0: y, x1: x + d * 14.0, y1: y - 5.0, width: 1.5, color: c });
            l.op(Op::Line { x0: x, y0: y, x1: x + d * 14.0, y1: y + 5.0, width: 1.5, color: c });
        }
    }
    l.run_centered((x0 + x1) / 2.0, y - 8.0, FontId::Sans, size, c, &[t(label)])?;
    Ok(())
}

/// A vertical dimension; the number to the right of the line.
#[allow(clippy::too_many_arguments)]
fn dim_v(l: &mut Layout, x: f32, y0: f32, y1: f32, from_x: Option<f32>, label: &str, size: f32, ticks: bool, c: Rgb) -> Result<()> {
    l.op(Op::Line { x0: x, y0, x1: x, y1, width: 1.2, color: c });
    for y in [y0, y1] {
        let xa = from_x.unwrap_or(x - 10.0);
        l.op(Op::Line { x0: xa, y0: y, x1: x + 10.0, y1: y, width: 1.0, color: c });
    }
    if ticks {
        for y in [y0, y1] {
            l.op(Op::Line { x0: x - 7.0, y0: y + 7.0, x1: x + 7.0, y1: y - 7.0, width: 2.0, color: c });
        }
    } else {
        for (y, d) in [(y0, 1.0), (y1, -1.0)] {
            l.op(Op::Line { x0: x, y0: y, x1: x - 5.0, y1: y + d * 14.0, width: 1.5, color: c });
            l.op(Op::Line { x0: x, y0: y, x1: x + 5.0, y1: y + d * 14.0, width: 1.5, color: c });
        }
    }
    l.run(x + 10.0, (y0 + y1) / 2.0 + size * 0.35, FontId::Sans, size, c, &[t(label)])?;
    Ok(())
}

/// A ruled cell with text centred (or left-aligned with `left`), shrunk to fit.
#[allow(clippy::too_many_arguments)]
fn cell(l: &mut Layout, x: f32, y: f32, w: f32, h: f32, text: &str, font: FontId, size: f32, c: Rgb, line: Rgb, left: bool) -> Result<()> {
    l.op(Op::Stroke { x, y, w, h, width: 1.5, color: line });
    if text.is_empty() {
        return Ok(());
    }
    let size = fit(font, size, text, w - 14.0).max(18.0);
    let base = y + h / 2.0 + size * 0.36;
    if left {
        l.run(x + 8.0, base, font, size, c, &[t(text)])?;
    } else {
        l.run_centered(x + w / 2.0, base, font, size, c, &[t(text)])?;
    }
    Ok(())
}

/// A scale such as 1:100 near `1 / (s px/mm at 300 dpi)`.
fn scale_text(s: f32) -> String {
    let px_per_mm_paper = 1240.0 / 210.0;
    let k = px_per_mm_paper / s;
    let nice = [20.0, 25.0, 40.0, 50.0, 75.0, 100.0, 150.0, 200.0, 250.0, 300.0, 400.0, 500.0];
    let n = nice.iter().copied().find(|n| *n >= k).unwrap_or(500.0);
    format!("1:{n}")
}

fn drawn_date(rng: &mut ChaCha8Rng) -> String {
    format!("{}.{:02}.{:02}", rng.random_range(2025..2027), rng.random_range(1..13), rng.random_range(1..29))
}

/// The contour drawing as hauliers draw it in a drawing program: side
/// view above top view of the vehicle and cargo, dimension lines for the
/// length, width and height, notes at the bottom left and a title block
/// table at the bottom right (图名, 货物, 承运单位, 总质量, 比例). A4 landscape.
/// Varies: title wording, arrows or ticks, the cargo's colour, a frame or
/// none, the view labels.
fn side_top(doc: &PageDoc, _st: &Style, rng: &mut ChaCha8Rng) -> Result<(Layout, String)> {
    let (w, h) = (1754.0, 1240.0);
    let mut l = super::new_layout(doc, w as u32, h as u32, *pick(rng, &[[255, 255, 255], [252, 252, 250]]));
    let r = rig(doc);
    let title = *pick(rng, &["车货外廓尺寸图", "车货外廓尺寸示意图", "大件运输车货外廓尺寸图"]);
    l.run_centered(w / 2.0, 82.0, FontId::SansBold, 42.0, BLACK, &[t(title)])?;
    if rng.random_bool(0.6) {
        l.op(Op::Stroke { x: 30.0, y: 30.0, w: w - 60.0, h: h - 60.0, width: 2.5, color: BLACK });
    }
    let cargo_c = *pick(rng, &[BLACK, [30, 60, 160], [170, 40, 40]]);
    let ticks = rng.random_bool(0.4);
    let s = (1200.0 / r.len).min(320.0 / r.hei).min(220.0 / r.wid);
    let x0 = 150.0;
    let (side_l, top_l) = *pick(rng, &[("侧视图", "俯视图"), ("主视图", "俯视图"), ("侧面图", "顶面图")]);
    l.run(x0, 150.0, FontId::Sans, 26.0, BLACK, &[t(side_l)])?;
    let ground = 520.0;
    let top = side_view(&mut l, &r, x0, ground, s, BLACK, cargo_c, 2.2);
    let right = x0 + r.len * s;
    dim_h(&mut l, x0, right, ground + 56.0, Some(ground + 4.0), &format!("{}", r.len as u32), 24.0, ticks, BLACK)?;
    dim_v(&mut l, right + 50.0, top, ground, Some(right + 4.0), &format!("{}", r.hei as u32), 24.0, ticks, BLACK)?;
    l.run(x0, 650.0, FontId::Sans, 26.0, BLACK, &[t(top_l)])?;
    let cy = 690.0 + 115.0;
    top_view(&mut l, &r, x0, cy, s, BLACK, cargo_c, 2.2);
    dim_v(&mut l, right + 50.0, cy - r.wid * s / 2.0, cy + r.wid * s / 2.0, Some(right + 4.0), &format!("{}", r.wid as u32), 24.0, ticks, BLACK)?;
    // Notes.
    let mut y = 1000.0;
    for line in [
        "说明：".to_string(),
        "1. 图中尺寸单位均为mm。".to_string(),
        format!("2. 车货总长×总宽×总高：{}×{}×{}。", r.len as u32, r.wid as u32, r.hei as u32),
        format!("3. 车货总质量{}kg，共{}轴。", r.total as u32, r.axles),
    ] {
        l.run(x0 - 20.0, y, FontId::Sans, 22.0, BLACK, &[t(line)])?;
        y += 40.0;
    }
    // Title block.
    let (tx, tw, rh) = (w - 60.0 - 660.0, 660.0, 46.0);
    let ty = h - 60.0 - 5.0 * rh;
    let lw = 150.0;
    let rows = [
        ("图　名", title.to_string()),
        ("货物名称", r.cargo.clone()),
        ("承运单位", r.company.clone()),
        ("车货总质量", format!("{}kg", r.total as u32)),
    ];
    for (i, (k, v)) in rows.iter().enumerate() {
        let y = ty + i as f32 * rh;
        cell(&mut l, tx, y, lw, rh, k, FontId::Sans, 21.0, BLACK, BLACK, false)?;
        cell(&mut l, tx + lw, y, tw - lw, rh, v, FontId::Sans, 22.0, BLACK, BLACK, true)?;
    }
    let y = ty + 4.0 * rh;
    let q = (tw - 2.0 * lw) / 2.0;
    cell(&mut l, tx, y, lw, rh, "比　例", FontId::Sans, 21.0, BLACK, BLACK, false)?;
    cell(&mut l, tx + lw, y, q, rh, &scale_text(s), FontId::Sans, 22.0, BLACK, BLACK, false)?;
    cell(&mut l, tx + lw + q, y, lw, rh, "日　期", FontId::Sans, 21.0, BLACK, BLACK, false)?;
    cell(&mut l, tx + 2.0 * lw + q, y, q, rh, &drawn_date(rng), FontId::Sans, 22.0, BLACK, BLACK, false)?;
    Ok((l, "side_top".into()))
}

/// An engineering drawing sheet (CAD plot) of the vehicle and cargo: a
/// trimmed border, a thick frame, a zone grid (1–8 across, A–F down) in
/// the margin, a title block at the bottom right (设计/校核/审核/日期,
/// the company, the drawing's name, scale, sheet number), the side view
/// and the end view with axles, the cargo as a rectangle or (round cargo)
/// an ellipse, dimensions in mm, and 技术要求 notes. A4 landscape.
/// Varies: line colour (black or a CAD blue), ticks or arrows, the
/// drawing's name, the number of notes.
fn cad_sheet(doc: &PageDoc, _st: &Style, rng: &mut ChaCha8Rng) -> Result<(Layout, String)> {
    let (w, h) = (1754.0, 1240.0);
    let mut l = super::new_layout(doc, w as u32, h as u32, [255, 255, 255]);
    let r = rig(doc);
    let c = *pick(rng, &[BLACK, BLACK, [20, 40, 120]]);
    let dimc = *pick(rng, &[c, [0, 110, 60], [20, 40, 120]]);
    let cargo_c = *pick(rng, &[c, [170, 40, 40], [30, 60, 160]]);
    // Border, frame and zones.
    let (ox, oy, ow, oh) = (30.0, 20.0, w - 60.0, h - 40.0);
    let (ix, iy, iw, ih) = (ox + 44.0, oy + 34.0, ow - 78.0, oh - 68.0);
    l.op(Op::Stroke { x: ox, y: oy, w: ow, h: oh, width: 1.2, color: c });
    l.op(Op::Stroke { x: ix, y: iy, w: iw, h: ih, width: 4.0, color: c });
    let (nc, nr) = (8, 6);
    for i in 0..nc {
        let x = ix + iw * i as f32 / nc as f32;
        let cx = x + iw / nc as f32 / 2.0;
        if i > 0 {
            l.op(Op::Line { x0: x, y0: oy, x1: x, y1: iy, width: 1.0, color: c });
            l.op(Op::Line { x0: x, y0: iy + ih, x1: x, y1: oy + oh, width: 1.0, color: c });
        }
        let n = format!("{}", i + 1);
        l.run_centered(cx, oy + 26.0, FontId::Sans, 20.0, c, &[t(n.clone())])?;
        l.run_centered(cx, iy + ih + 26.0, FontId::Sans, 20.0, c, &[t(n)])?;
    }
    for j in 0..nr {
        let y = iy + ih * j as f32 / nr as f32;
        let cy = y + ih / nr as f32 / 2.0 + 7.0;
        if j > 0 {
            l.op(Op::Line { x0: ox, y0: y, x1: ix, y1: y, width: 1.0, color: c });
            l.op(Op::Line { x0: ix + iw, y0: y, x1: ox + ow, y1: y, width: 1.0, color: c });
        }
        let a = ((b'A' + j as u8) as char).to_string();
        l.run_centered(ox + 22.0, cy, FontId::Sans, 20.0, c, &[t(a.clone())])?;
        l.run_centered(ix + iw + 17.0, cy, FontId::Sans, 20.0, c, &[t(a)])?;
    }
    let s = (1020.0 / r.len).min(400.0 / r.hei);
    // Title block.
    let (bw, bh) = (780.0, 232.0);
    let (bx, by) = (ix + iw - bw, iy + ih - bh);
    let name = *pick(rng, &["车货轮廓图", "车货外廓图", "大件运输车货轮廓图", "车货总体尺寸图"]);
    let lrh = bh / 4.0;
    let (lk, lv) = (96.0, 240.0);
    let date = drawn_date(rng);
    for (i, (k, v)) in [("设计", ""), ("校核", ""), ("审核", ""), ("日期", date.as_str())].iter().enumerate() {
        let y = by + i as f32 * lrh;
        cell(&mut l, bx, y, lk, lrh, k, FontId::Sans, 20.0, c, c, false)?;
        cell(&mut l, bx + lk, y, lv, lrh, v, FontId::Sans, 20.0, c, c, false)?;
    }
    let rx = bx + lk + lv;
    let rw = bw - lk - lv;
    cell(&mut l, rx, by, rw, 70.0, &r.company, FontId::Sans, 24.0, c, c, false)?;
    cell(&mut l, rx, by + 70.0, rw, 100.0, name, FontId::SansBold, 36.0, c, c, false)?;
    let y = by + 170.0;
    let q = rw / 3.0;
    cell(&mut l, rx, y, q, bh - 170.0, &format!("比例 {}", scale_text(s)), FontId::Sans, 20.0, c, c, false)?;
    cell(&mut l, rx + q, y, q, bh - 170.0, &format!("图号 DJ-{:04}", rng.random_range(1..10000)), FontId::Sans, 20.0, c, c, false)?;
    cell(&mut l, rx + 2.0 * q, y, q, bh - 170.0, "共1张 第1张", FontId::Sans, 20.0, c, c, false)?;
    // Views.
    let ticks = rng.random_bool(0.5);
    let (x0, ground) = (ix + 90.0, iy + 590.0);
    let top = side_view(&mut l, &r, x0, ground, s, c, cargo_c, 2.0);
    let right = x0 + r.len * s;
    dim_h(&mut l, x0, right, ground + 60.0, Some(ground + 4.0), &format!("{}", r.len as u32), 24.0, ticks, dimc)?;
    let cs = r.cargo_start();
    dim_h(&mut l, x0 + cs * s, right, top - 24.0, Some(top - 4.0), &format!("{}", (r.len - cs) as u32), 22.0, ticks, dimc)?;
    dim_v(&mut l, right + 46.0, top, ground, Some(right + 4.0), &format!("{}", r.hei as u32), 24.0, ticks, dimc)?;
    let fs = s.min(300.0 / r.wid);
    let ecx = ix + iw - 230.0;
    let etop = end_view(&mut l, &r, ecx, ground, fs, c, cargo_c, 2.0);
    dim_h(&mut l, ecx - r.wid * fs / 2.0, ecx + r.wid * fs / 2.0, ground + 60.0, Some(ground + 4.0), &format!("{}", r.wid as u32), 24.0, ticks, dimc)?;
    let _ = etop;
    let vl = *pick(rng, &[("侧视图", "后视图"), ("主视图", "左视图"), ("侧视图", "端视图")]);
    l.run_centered((x0 + right) / 2.0, ground + 120.0, FontId::Sans, 24.0, c, &[t(vl.0)])?;
    l.run_centered(ecx, ground + 120.0, FontId::Sans, 24.0, c, &[t(vl.1)])?;
    // Notes.
    let mut notes = vec![
        "1. 图中尺寸单位均为mm。".to_string(),
        format!("2. 车货总长{}，总宽{}，总高{}。", r.len as u32, r.wid as u32, r.hei as u32),
        format!("3. 车货总质量{}kg，轴数{}。", r.total as u32, r.axles),
    ];
    if rng.random_bool(0.6) {
        notes.push(format!("{}. 货物为{}，装车后应捆扎牢固。", notes.len() + 1, r.cargo));
    }
    let mut y = by + 20.0;
    l.run(ix + 40.0, y, FontId::SansBold, 24.0, c, &[t("技术要求：")])?;
    for n in notes {
        y += 38.0;
        let size = fit(FontId::Sans, 21.0, &n, bx - ix - 80.0);
        l.run(ix + 40.0, y, FontId::Sans, size, c, &[t(n)])?;
    }
    Ok((l, "cad_sheet".into()))
}

/// A loading sketch (装载示意图), a **held-out family**: on A4 portrait a
/// title, the company and the cargo, a simple side drawing (the cargo
/// hatched on the deck) above a table of the combination's 长/宽/高/总质量/
/// 轴数, then the drawer's line, a date and sometimes the company's seal.
/// Varies: title, the table as one column of rows or a 2×3 grid, its
/// wording, the hatch, the seal.
fn sketch_table(doc: &PageDoc, st: &Style, rng: &mut ChaCha8Rng) -> Result<(Layout, String)> {
    let (w, h) = (1240.0, 1754.0);
    let mut l = super::a4(doc, rng);
    let r = rig(doc);
    let title = *pick(rng, &["装载示意图", "车辆装载示意图", "大件货物装载示意图", "车货装载尺寸示意图"]);
    l.run_centered(w / 2.0, 150.0, FontId::SansBold, 46.0, BLACK, &[t(title)])?;
    let body = if st.value == FontId::Kai { FontId::Sans } else { st.value };
    let sz = st.size;
    let head = format!("承运单位：{}", r.company);
    l.run(130.0, 240.0, body, fit(body, sz, &head, w - 260.0), BLACK, &[t(head)])?;
    let cargo = format!("货物名称：{}", r.cargo);
    l.run(130.0, 290.0, body, fit(body, sz, &cargo, w - 260.0), BLACK, &[t(cargo)])?;
    // The drawing.
    let s = (900.0 / r.len).min(420.0 / r.hei);
    let (x0, ground) = (150.0, 860.0);
    let c = *pick(rng, &[BLACK, [50, 50, 60]]);
    let cargo_c = *pick(rng, &[[40, 40, 140], BLACK, [160, 50, 40]]);
    let top = side_view(&mut l, &r, x0, ground, s, c, cargo_c, 2.5);
    if rng.random_bool(0.5) {
        // Hatch over the cargo.
        let (cx0, cx1) = (x0 + r.cargo_start() * s, x0 + r.len * s);
        let mut x = cx0 + 14.0;
        while x < cx1 - 4.0 {
            l.op(Op::Line { x0: x, y0: top + 4.0, x1: x, y1: ground - DECK_H * s - 4.0, width: 0.8, color: cargo_c });
            x += 18.0;
        }
    }
    let right = x0 + r.len * s;
    dim_h(&mut l, x0, right, ground + 56.0, Some(ground + 4.0), &format!("{}mm", r.len as u32), 24.0, false, BLACK)?;
    dim_v(&mut l, right + 40.0, top, ground, Some(right + 4.0), &format!("{}mm", r.hei as u32), 24.0, false, BLACK)?;
    // The table.
    let labels: [&str; 5] = if rng.random_bool(0.5) { ["长", "宽", "高", "总质量", "轴数"] } else { ["车货总长", "车货总宽", "车货总高", "车货总质量", "轴　数"] };
    let vals = [
        format!("{}", r.len as u32),
        format!("{}", r.wid as u32),
        format!("{}", r.hei as u32),
        format!("{}", r.total as u32),
        format!("{}", r.axles),
    ];
    let units = ["mm", "mm", "mm", "kg", "轴"];
    let line = *pick(rng, &[BLACK, st.line]);
    let mut y = 1000.0;
    let rh = 68.0;
    let vsz = sz + 2.0;
    if rng.random_bool(0.5) {
        let (x, a, b, cw) = (200.0, 300.0, 340.0, 200.0);
        cell(&mut l, x, y, a, rh, "项　目", st.label, vsz, st.label_color, line, false)?;
        cell(&mut l, x + a, y, b, rh, "数　值", st.label, vsz, st.label_color, line, false)?;
        cell(&mut l, x + a + b, y, cw, rh, "单　位", st.label, vsz, st.label_color, line, false)?;
        for i in 0..5 {
            y += rh;
            cell(&mut l, x, y, a, rh, labels[i], st.label, vsz, st.label_color, line, false)?;
            cell(&mut l, x + a, y, b, rh, &vals[i], body, vsz, st.value_color, line, false)?;
            cell(&mut l, x + a + b, y, cw, rh, units[i], body, vsz, st.value_color, line, false)?;
        }
    } else {
        let (x, a, b) = (130.0, 220.0, 270.0);
        for i in 0..6 {
            let (row, col) = (i / 2, i % 2);
            let cx = x + col as f32 * (a + b);
            let cy = y + row as f32 * rh;
            let (k, v) = if i < 5 { (format!("{}（{}）", labels[i], units[i]), vals[i].clone()) } else { ("货物".to_string(), r.cargo.clone()) };
            cell(&mut l, cx, cy, a, rh, &k, st.label, vsz * 0.9, st.label_color, line, false)?;
            cell(&mut l, cx + a, cy, b, rh, &v, body, vsz, st.value_color, line, false)?;
        }
        y += 2.0 * rh;
    }
    // Drawer and date.
    let y = y + rh + 110.0;
    let who = format!("{}：", *pick(rng, &["绘制", "制图", "绘图人"]));
    let xe = l.run(150.0, y, body, sz, BLACK, &[t(who)])?;
    l.op(Op::Line { x0: xe + 4.0, y0: y + 8.0, x1: xe + 220.0, y1: y + 8.0, width: 1.2, color: BLACK });
    let date = format!("日期：{}", drawn_date(rng));
    let dw = fonts::width(body, sz, &date);
    l.run(w - 150.0 - dw, y, body, sz, BLACK, &[t(date)])?;
    if rng.random_bool(0.5) && !r.company.is_empty() {
        l.run(w - 560.0, y + 90.0, body, sz, BLACK, &[t("承运单位（盖章）")])?;
        l.seal(w - 250.0, y + 100.0, 95.0, FontId::Sans, &r.company, "")?;
    }
    debug_assert!(y + 220.0 < h);
    Ok((l, "sketch_table".into()))
}
