//! Rasterises a page layout: text through ab_glyph, boxes, lines, seals,
//! emblem, photo placeholder and security tints.

pub mod degrade;
pub mod pdf;

use ab_glyph::{point, Font as _, PxScale};
use image::{Rgb, RgbImage};

use super::fonts::{self, FontId};
use super::layout::{Layout, Op, Rgb as C};

fn blend(img: &mut RgbImage, x: i64, y: i64, c: C, a: f32) {
    if x < 0 || y < 0 || x >= img.width() as i64 || y >= img.height() as i64 || a <= 0.0 {
        return;
    }
    let a = a.min(1.0);
    let p = img.get_pixel_mut(x as u32, y as u32);
    for k in 0..3 {
        p.0[k] = (p.0[k] as f32 * (1.0 - a) + c[k] as f32 * a).round() as u8;
    }
}

/// Multiplies (darkens) like ink on paper, for seals over text.
fn multiply(img: &mut RgbImage, x: i64, y: i64, c: C, a: f32) {
    if x < 0 || y < 0 || x >= img.width() as i64 || y >= img.height() as i64 || a <= 0.0 {
        return;
    }
    let p = img.get_pixel_mut(x as u32, y as u32);
    for k in 0..3 {
        let m = p.0[k] as f32 * c[k] as f32 / 255.0;
        p.0[k] = (p.0[k] as f32 * (1.0 - a) + m * a).round() as u8;
    }
}

fn fill(img: &mut RgbImage, x: f32, y: f32, w: f32, h: f32, c: C) {
    for yy in y.round() as i64..(y + h).round() as i64 {
        for xx in x.round() as i64..(x + w).round() as i64 {
            blend(img, xx, yy, c, 1.0);
        }
    }
}

fn line(img: &mut RgbImage, x0: f32, y0: f32, x1: f32, y1: f32, width: f32, c: C) {
    let (dx, dy) = (x1 - x0, y1 - y0);
    let len2 = (dx * dx + dy * dy).max(1e-6);
    let hw = width / 2.0;
    let (minx, maxx) = (x0.min(x1) - hw - 1.0, x0.max(x1) + hw + 1.0);
    let (miny, maxy) = (y0.min(y1) - hw - 1.0, y0.max(y1) + hw + 1.0);
    for y in miny.floor() as i64..=maxy.ceil() as i64 {
        for x in minx.floor() as i64..=maxx.ceil() as i64 {
            let (px, py) = (x as f32 + 0.5, y as f32 + 0.5);
            let t = (((px - x0) * dx + (py - y0) * dy) / len2).clamp(0.0, 1.0);
            let (qx, qy) = (x0 + t * dx, y0 + t * dy);
            let d = ((px - qx).powi(2) + (py - qy).powi(2)).sqrt();
            let a = (hw + 0.5 - d).clamp(0.0, 1.0);
            blend(img, x, y, c, a);
        }
    }
}

pub fn text(img: &mut RgbImage, font: FontId, size: f32, c: C, x: f32, baseline: f32, s: &str) {
    let f = fonts::font(font);
    let adv = fonts::advances(font, size, s);
    let mut pen = x;
    for (ch, a) in s.chars().zip(adv) {
        let g = f.glyph_id(ch).with_scale_and_position(PxScale::from(size), point(pen, baseline));
        if let Some(o) = f.outline_glyph(g) {
            let b = o.px_bounds();
            o.draw(|gx, gy, cov| blend(img, b.min.x as i64 + gx as i64, b.min.y as i64 + gy as i64, c, cov));
        }
        pen += a;
    }
}

/// One glyph rotated by `angle` (radians) about its centre placed at (cx, cy).
fn rotated_glyph(img: &mut RgbImage, font: FontId, size: f32, ch: char, cx: f32, cy: f32, angle: f32, c: C, a: f32) {
    let f = fonts::font(font);
    let g = f.glyph_id(ch).with_scale_and_position(PxScale::from(size), point(0.0, size));
    let Some(o) = f.outline_glyph(g) else { return };
    let b = o.px_bounds();
    let (w, h) = (b.width().ceil() as usize + 1, b.height().ceil() as usize + 1);
    let mut buf = vec![0f32; w * h];
    o.draw(|gx, gy, cov| {
        let i = gy as usize * w + gx as usize;
        if i < buf.len() {
            buf[i] = cov;
        }
    });
    let (hw, hh) = (w as f32 / 2.0, h as f32 / 2.0);
    let r = (hw * hw + hh * hh).sqrt().ceil() as i64 + 1;
    let (s, co) = angle.sin_cos();
    for y in -r..=r {
        for x in -r..=r {
            // Inverse-rotate the destination offset into the glyph buffer.
            let (fx, fy) = (x as f32, y as f32);
            let u = co * fx + s * fy + hw;
            let v = -s * fx + co * fy + hh;
            if u < 0.0 || v < 0.0 || u >= w as f32 - 1.0 || v >= h as f32 - 1.0 {
                continue;
            }
            let (iu, iv) = (u as usize, v as usize);
            let (du, dv) = (u - iu as f32, v - iv as f32);
            let p = |uu: usize, vv: usize| buf[vv * w + uu];
            let cov = p(iu, iv) * (1.0 - du) * (1.0 - dv) + p(iu + 1, iv) * du * (1.0 - dv) + p(iu, iv + 1) * (1.0 - du) * dv + p(iu + 1, iv + 1) * du * dv;
            multiply(img, (cx + fx).round() as i64, (cy + fy).round() as i64, c, cov * a);
        }
    }
}

fn star(img: &mut RgbImage, cx: f32, cy: f32, r: f32, c: C, a: f32, mult: bool) {
    let pts: Vec<(f32, f32)> = (0..10)
        .map(|i| {
            let ang = -std::f32::consts::FRAC_PI_2 + i as f32 * std::f32::consts::PI / 5.0;
            let rr = if i % 2 == 0 { r } else { r * 0.4 };
            (cx + rr * ang.cos(), cy + rr * ang.sin())
        })
        .collect();
    for y in (cy - r).floor() as i64..=(cy + r).ceil() as i64 {
        for x in (cx - r).floor() as i64..=(cx + r).ceil() as i64 {
            let (px, py) = (x as f32 + 0.5, y as f32 + 0.5);
            let mut inside = false;
            let mut j = pts.len() - 1;
            for i in 0..pts.len() {
                let (xi, yi) = pts[i];
                let (xj, yj) = pts[j];
                if (yi > py) != (yj > py) && px < (xj - xi) * (py - yi) / (yj - yi) + xi {
                    inside = !inside;
                }
                j = i;
            }
            if inside {
                if mult { multiply(img, x, y, c, a) } else { blend(img, x, y, c, a) }
            }
        }
    }
}

fn ring(img: &mut RgbImage, cx: f32, cy: f32, rx: f32, ry: f32, width: f32, c: C, a: f32, mult: bool) {
    let m = rx.max(ry) + width + 2.0;
    for y in (cy - m).floor() as i64..=(cy + m).ceil() as i64 {
        for x in (cx - m).floor() as i64..=(cx + m).ceil() as i64 {
            let (dx, dy) = ((x as f32 + 0.5 - cx) / rx, (y as f32 + 0.5 - cy) / ry);
            let d = ((dx * dx + dy * dy).sqrt() - 1.0).abs() * rx.min(ry);
            let cov = (width / 2.0 + 0.5 - d).clamp(0.0, 1.0) * a;
            if mult { multiply(img, x, y, c, cov) } else { blend(img, x, y, c, cov) }
        }
    }
}

fn seal(img: &mut RgbImage, cx: f32, cy: f32, r: f32, c: C, font: FontId, arc: &str, bottom: &str, seed: u64) {
    let a = 0.85;
    let tint = [c[0], (c[1] as f32 * 0.6) as u8, (c[2] as f32 * 0.6) as u8];
    ring(img, cx, cy, r, r, r * 0.07, tint, a, true);
    star(img, cx, cy, r * 0.3, tint, a, true);
    let chars: Vec<char> = arc.chars().collect();
    let n = chars.len().max(1) as f32;
    let size = (r * 0.3).min(2.0 * std::f32::consts::PI * r * 0.72 * 0.62 / n * 1.1);
    let span = (n * size * 1.05 / (r * 0.72)).min(4.2);
    for (i, ch) in chars.iter().enumerate() {
        let t = if n > 1.0 { i as f32 / (n - 1.0) } else { 0.5 };
        let ang = -std::f32::consts::FRAC_PI_2 - span / 2.0 + t * span;
        let rr = r * 0.72;
        let (gx, gy) = (cx + rr * ang.cos(), cy + rr * ang.sin());
        rotated_glyph(img, font, size, *ch, gx, gy, ang + std::f32::consts::FRAC_PI_2, tint, a);
    }
    if !bottom.is_empty() {
        let bs = (r * 0.2).min(r * 1.3 / bottom.chars().count().max(1) as f32);
        let w = fonts::width(font, bs, bottom);
        let mut x = cx - w / 2.0;
        for (ch, adv) in bottom.chars().zip(fonts::advances(font, bs, bottom)) {
            rotated_glyph(img, font, bs, ch, x + adv / 2.0, cy + r * 0.55, 0.0, tint, a);
            x += adv;
        }
    }
    // Uneven ink: lighten a few speckles.
    let mut h = seed | 1;
    for _ in 0..(r * r * 0.05) as usize {
        h ^= h << 13;
        h ^= h >> 7;
        h ^= h << 17;
        let x = cx - r + (h % (2 * r as u64).max(1)) as f32;
        let y = cy - r + ((h >> 20) % (2 * r as u64).max(1)) as f32;
        blend(img, x as i64, y as i64, [255, 250, 250], 0.35);
    }
}

fn emblem(img: &mut RgbImage, cx: f32, cy: f32, r: f32) {
    let red = [200, 30, 30];
    let gold = [225, 180, 60];
    ring(img, cx, cy, r, r, r * 0.12, gold, 1.0, false);
    for y in (cy - r).floor() as i64..=(cy + r).ceil() as i64 {
        for x in (cx - r).floor() as i64..=(cx + r).ceil() as i64 {
            let d = ((x as f32 - cx).powi(2) + (y as f32 - cy).powi(2)).sqrt();
            if d < r * 0.9 {
                blend(img, x, y, red, 1.0);
            }
        }
    }
    star(img, cx, cy - r * 0.25, r * 0.32, gold, 1.0, false);
    for k in 0..4 {
        let ang = -std::f32::consts::PI * (0.15 + 0.12 * k as f32);
        star(img, cx + r * 0.58 * ang.cos() + r * 0.05, cy - r * 0.1 + r * 0.58 * ang.sin() * 0.6, r * 0.1, gold, 1.0, false);
    }
    fill(img, cx - r * 0.45, cy + r * 0.2, r * 0.9, r * 0.14, gold);
    fill(img, cx - r * 0.3, cy + r * 0.42, r * 0.6, r * 0.1, gold);
}

fn photo(img: &mut RgbImage, x: f32, y: f32, w: f32, h: f32) {
    fill(img, x, y, w, h, [205, 215, 228]);
    let dark = [70, 70, 80];
    let (cx, hy) = (x + w / 2.0, y + h * 0.38);
    for yy in y as i64..(y + h) as i64 {
        for xx in x as i64..(x + w) as i64 {
            let (px, py) = (xx as f32, yy as f32);
            let head = ((px - cx) / (w * 0.2)).powi(2) + ((py - hy) / (h * 0.2)).powi(2) < 1.0;
            let body = py > y + h * 0.62 && ((px - cx) / (w * 0.45)).powi(2) + ((py - (y + h * 1.02)) / (h * 0.42)).powi(2) < 1.0;
            if head || body {
                blend(img, xx, yy, dark, 1.0);
            }
        }
    }
}

fn tint(img: &mut RgbImage, x: f32, y: f32, w: f32, h: f32, c: C, period: f32) {
    let k = 2.0 * std::f32::consts::PI / period;
    for yy in y.max(0.0) as u32..((y + h) as u32).min(img.height()) {
        let off = 8.0 * ((yy as f32) * k * 0.3).sin();
        for xx in x.max(0.0) as u32..((x + w) as u32).min(img.width()) {
            let v = ((xx as f32 + off) * k).sin() * ((yy as f32 - off) * k * 0.7).cos();
            if v > 0.8 {
                blend(img, xx as i64, yy as i64, c, (v - 0.8) * 3.0);
            }
        }
    }
}

pub fn render(l: &Layout, seed: u64) -> RgbImage {
    let mut img = RgbImage::from_pixel(l.width, l.height, Rgb(l.paper));
    let mut seals = vec![];
    for op in &l.ops {
        match op {
            Op::Fill { x, y, w, h, color } => fill(&mut img, *x, *y, *w, *h, *color),
            Op::Stroke { x, y, w, h, width, color } => {
                line(&mut img, *x, *y, x + w, *y, *width, *color);
                line(&mut img, *x, y + h, x + w, y + h, *width, *color);
                line(&mut img, *x, *y, *x, y + h, *width, *color);
                line(&mut img, x + w, *y, x + w, y + h, *width, *color);
            }
            Op::Line { x0, y0, x1, y1, width, color } => line(&mut img, *x0, *y0, *x1, *y1, *width, *color),
            Op::Text { font, size, color, x, baseline, text: s } => text(&mut img, *font, *size, *color, *x, *baseline, s),
            // Seals are stamped last, over the printed text.
            Op::Seal { .. } => seals.push(op),
            Op::Emblem { cx, cy, r } => emblem(&mut img, *cx, *cy, *r),
            Op::Photo { x, y, w, h } => photo(&mut img, *x, *y, *w, *h),
            Op::Tint { x, y, w, h, color, period } => tint(&mut img, *x, *y, *w, *h, *color, *period),
            Op::Ellipse { cx, cy, rx, ry, width, color } => ring(&mut img, *cx, *cy, *rx, *ry, *width, *color, 1.0, false),
        }
    }
    for op in seals {
        if let Op::Seal { cx, cy, r, color, font, arc, bottom } = op {
            seal(&mut img, *cx, *cy, *r, *color, *font, arc, bottom, seed);
        }
    }
    img
}
