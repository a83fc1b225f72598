//! Phone-photo and scanner degradations. Every geometric step maps the
//! ground-truth boxes too: box corners go through the same transform and
//! the box becomes their axis-aligned bounds.

use image::{Rgb, RgbImage};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use dajian::truth::Degradation;

/// An axis-aligned box [x0, y0, x1, y1] in pixels.
pub type Rect = [f32; 4];

type H = [f64; 9];

fn apply(h: &H, x: f64, y: f64) -> (f64, f64) {
    let w = h[6] * x + h[7] * y + h[8];
    ((h[0] * x + h[1] * y + h[2]) / w, (h[3] * x + h[4] * y + h[5]) / w)
}

/// The homography taking the four `src` points to the four `dst` points.
fn homography(src: [(f64, f64); 4], dst: [(f64, f64); 4]) -> H {
    let mut a = [[0f64; 9]; 8];
    for i in 0..4 {
        let (x, y) = src[i];
        let (u, v) = dst[i];
        a[2 * i] = [x, y, 1.0, 0.0, 0.0, 0.0, -u * x, -u * y, u];
        a[2 * i + 1] = [0.0, 0.0, 0.0, x, y, 1.0, -v * x, -v * y, v];
    }
    for c in 0..8 {
        let p = (c..8).max_by(|&i, &j| a[i][c].abs().total_cmp(&a[j][c].abs())).unwrap();
        a.swap(c, p);
        for r in 0..8 {
            if r != c {
                let f = a[r][c] / a[c][c];
                for k in c..9 {
                    a[r][k] -= f * a[c][k];
                }
            }
        }
    }
    let mut h = [0f64; 9];
    for i in 0..8 {
        h[i] = a[i][8] / a[i][i];
    }
    h[8] = 1.0;
    h
}

fn invert(h: &H) -> H {
    let [a, b, c, d, e, f, g, hh, i] = *h;
    let det = a * (e * i - f * hh) - b * (d * i - f * g) + c * (d * hh - e * g);
    [
        (e * i - f * hh) / det,
        (c * hh - b * i) / det,
        (b * f - c * e) / det,
        (f * g - d * i) / det,
        (a * i - c * g) / det,
        (c * d - a * f) / det,
        (d * hh - e * g) / det,
        (b * g - a * hh) / det,
        (a * e - b * d) / det,
    ]
}

fn map_rect(h: &H, r: &Rect) -> Rect {
    let pts = [(r[0], r[1]), (r[2], r[1]), (r[0], r[3]), (r[2], r[3])].map(|(x, y)| apply(h, x as f64, y as f64));
    let xs = pts.iter().map(|p| p.0);
    let ys = pts.iter().map(|p| p.1);
    [
        xs.clone().fold(f64::MAX, f64::min) as f32,
        ys.clone().fold(f64::MAX, f64::min) as f32,
        xs.fold(f64::MIN, f64::max) as f32,
        ys.fold(f64::MIN, f64::max) as f32,
    ]
}

fn warp(src: &RgbImage, h: &H, w: u32, hgt: u32, bg: impl Fn(u32, u32) -> [u8; 3]) -> RgbImage {
    let inv = invert(h);
    let mut out = RgbImage::new(w, hgt);
    let (sw, sh) = (src.width() as f64, src.height() as f64);
    for y in 0..hgt {
        for x in 0..w {
            let (u, v) = apply(&inv, x as f64 + 0.5, y as f64 + 0.5);
            let (u, v) = (u - 0.5, v - 0.5);
            if u < -0.5 || v < -0.5 || u > sw - 0.5 || v > sh - 0.5 {
                out.put_pixel(x, y, Rgb(bg(x, y)));
                continue;
            }
            let (u, v) = (u.clamp(0.0, sw - 1.0), v.clamp(0.0, sh - 1.0));
            let (iu, iv) = (u as u32, v as u32);
            let (du, dv) = ((u - iu as f64) as f32, (v - iv as f64) as f32);
            let (iu1, iv1) = ((iu + 1).min(src.width() - 1), (iv + 1).min(src.height() - 1));
            let p = |a: u32, b: u32| src.get_pixel(a, b).0;
            let (p00, p10, p01, p11) = (p(iu, iv), p(iu1, iv), p(iu, iv1), p(iu1, iv1));
            let mut c = [0u8; 3];
            for k in 0..3 {
                let top = p00[k] as f32 * (1.0 - du) + p10[k] as f32 * du;
                let bot = p01[k] as f32 * (1.0 - du) + p11[k] as f32 * du;
                c[k] = (top * (1.0 - dv) + bot * dv).round() as u8;
            }
            out.put_pixel(x, y, Rgb(c));
        }
    }
    out
}

fn blur(img: &mut RgbImage, sigma: f32) {
    if sigma < 0.3 {
        return;
    }
    let r = (sigma * 2.5).ceil() as i64;
    let k: Vec<f32> = (-r..=r).map(|i| (-(i * i) as f32 / (2.0 * sigma * sigma)).exp()).collect();
    let s: f32 = k.iter().sum();
    let k: Vec<f32> = k.iter().map(|v| v / s).collect();
    let (w, h) = (img.width() as i64, img.height() as i64);
    let mut buf = vec![[0f32; 3]; (w * h) as usize];
    for y in 0..h {
        for x in 0..w {
            let mut acc = [0f32; 3];
            for (j, kv) in k.iter().enumerate() {
                let xx = (x + j as i64 - r).clamp(0, w - 1);
                let p = img.get_pixel(xx as u32, y as u32).0;
                for c in 0..3 {
                    acc[c] += p[c] as f32 * kv;
                }
            }
            buf[(y * w + x) as usize] = acc;
        }
    }
    for y in 0..h {
        for x in 0..w {
            let mut acc = [0f32; 3];
            for (j, kv) in k.iter().enumerate() {
                let yy = (y + j as i64 - r).clamp(0, h - 1);
                let p = buf[(yy * w + x) as usize];
                for c in 0..3 {
                    acc[c] += p[c] * kv;
                }
            }
            img.put_pixel(x as u32, y as u32, Rgb(acc.map(|v| v.round().clamp(0.0, 255.0) as u8)));
        }
    }
}

fn light_and_noise(img: &mut RgbImage, rng: &mut ChaCha8Rng, uneven: f32, noise: f32, warm: [f32; 3]) {
    let (w, h) = (img.width() as f32, img.height() as f32);
    let (cx, cy) = (rng.random_range(-0.3..1.3f32), rng.random_range(-0.3..1.3f32));
    for y in 0..img.height() {
        for x in 0..img.width() {
            let (fx, fy) = (x as f32 / w - cx, y as f32 / h - cy);
            let l = 1.0 - uneven * (fx * fx + fy * fy).min(1.5) / 1.5;
            // Box–Muller would cost two logs per pixel; a sum of uniforms is
            // close enough to Gaussian for sensor noise.
            let n = if noise > 0.0 { (rng.random::<f32>() + rng.random::<f32>() + rng.random::<f32>() - 1.5) * 2.0 * noise } else { 0.0 };
            let p = img.get_pixel_mut(x, y);
            for c in 0..3 {
                p.0[c] = (p.0[c] as f32 * l * warm[c] + n).round().clamp(0.0, 255.0) as u8;
            }
        }
    }
}

fn rotate_quarter(img: RgbImage, q: u16, rects: &mut [Rect]) -> RgbImage {
    let (w, h) = (img.width() as f32, img.height() as f32);
    for r in rects.iter_mut() {
        let [x0, y0, x1, y1] = *r;
        *r = match q {
            1 => [h - y1, x0, h - y0, x1],
            2 => [w - x1, h - y1, w - x0, h - y0],
            3 => [y0, w - x1, y1, w - x0],
            _ => *r,
        };
    }
    match q {
        1 => image::imageops::rotate90(&img),
        2 => image::imageops::rotate180(&img),
        3 => image::imageops::rotate270(&img),
        _ => img,
    }
}

/// Degrades `img` and maps `rects` along. Returns the image and what was done.
pub fn degrade(img: RgbImage, rects: &mut [Rect], rng: &mut ChaCha8Rng) -> (RgbImage, Degradation) {
    let photo = rng.random_bool(0.55);
    let (w, h) = (img.width() as f64, img.height() as f64);
    let skew_deg: f32 = if photo { rng.random_range(-4.0..4.0) } else { rng.random_range(-1.5..1.5) };
    let persp: f32 = if photo { rng.random_range(0.01..0.05) } else { 0.0 };
    let margin = if photo { rng.random_range(0.04..0.10) } else { rng.random_range(0.0..0.02) };
    // Phone photos and scans come back at a somewhat different resolution.
    let scale: f64 = if photo { rng.random_range(0.7..0.95) } else { rng.random_range(0.8..1.0) };
    let (ow, oh) = ((w * scale * (1.0 + 2.0 * margin)).round(), (h * scale * (1.0 + 2.0 * margin)).round());
    let (ocx, ocy) = (ow / 2.0, oh / 2.0);
    let th = (skew_deg as f64).to_radians();
    let (s, c) = th.sin_cos();
    let corners = [(0.0, 0.0), (w, 0.0), (w, h), (0.0, h)];
    let dst = corners.map(|(x, y)| {
        let (dx, dy) = (x - w / 2.0, y - h / 2.0);
        let (dx, dy) = (dx * scale, dy * scale);
        let jx = rng.random_range(-1.0..1.0f64) * persp as f64 * w * scale;
        let jy = rng.random_range(-1.0..1.0f64) * persp as f64 * h * scale;
        (ocx + c * dx - s * dy + jx, ocy + s * dx + c * dy + jy)
    });
    let hm = homography(corners, dst);
    let bg_base: [u8; 3] = if photo {
        *[[120u8, 95, 70], [70, 72, 78], [180, 175, 165], [150, 120, 90]].get(rng.random_range(0..4)).unwrap()
    } else {
        [238, 238, 236]
    };
    let mut out = warp(&img, &hm, ow as u32, oh as u32, |x, y| {
        // A smooth desk or scanner lid (a texture would cost JPEG bytes).
        let v = ((x / 40 + y / 60) % 2) as u8;
        [bg_base[0].saturating_add(v), bg_base[1].saturating_add(v), bg_base[2].saturating_add(v)]
    });
    for r in rects.iter_mut() {
        *r = map_rect(&hm, r);
    }
    let blur_sigma: f32 = if photo { rng.random_range(0.4..1.4) } else { rng.random_range(0.0..0.8) };
    blur(&mut out, blur_sigma);
    let uneven: f32 = if photo { rng.random_range(0.1..0.4) } else { rng.random_range(0.0..0.08) };
    let noise: f32 = if photo { rng.random_range(1.5..4.5) } else { rng.random_range(0.5..2.5) };
    let warm = if photo { [1.0, rng.random_range(0.94..1.0), rng.random_range(0.85..0.98)] } else { [1.0, 1.0, 1.0] };
    light_and_noise(&mut out, rng, uneven, noise, warm);
    let q: u16 = match rng.random_range(0..100) {
        0..=84 => 0,
        85..=92 => 1,
        93..=96 => 2,
        _ => 3,
    };
    let out = rotate_quarter(out, q, rects);
    let (fw, fh) = (out.width() as f32, out.height() as f32);
    for r in rects.iter_mut() {
        *r = [r[0].clamp(0.0, fw), r[1].clamp(0.0, fh), r[2].clamp(0.0, fw), r[3].clamp(0.0, fh)];
    }
    let jpeg_quality = rng.random_range(55..=85);
    (
        out,
        Degradation {
            style: if photo { "photo" } else { "scan" }.into(),
            rotation_quarter: q * 90,
            skew_deg,
            perspective: persp,
            scale: scale as f32,
            blur_sigma,
            noise_sigma: noise,
            uneven_light: uneven,
            jpeg_quality,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_homography_maps_its_four_points_exactly() {
        let src = [(0.0, 0.0), (100.0, 0.0), (100.0, 50.0), (0.0, 50.0)];
        let dst = [(10.0, 5.0), (120.0, 8.0), (115.0, 70.0), (6.0, 60.0)];
        let h = homography(src, dst);
        for (s, d) in src.iter().zip(dst) {
            let (u, v) = apply(&h, s.0, s.1);
            assert!((u - d.0).abs() < 1e-6 && (v - d.1).abs() < 1e-6);
        }
        let back = apply(&invert(&h), dst[2].0, dst[2].1);
        assert!((back.0 - 100.0).abs() < 1e-6 && (back.1 - 50.0).abs() < 1e-6);
    }

    #[test]
    fn a_quarter_turn_moves_boxes_with_the_pixels() {
        let mut img = RgbImage::from_pixel(40, 20, Rgb([255, 255, 255]));
        img.put_pixel(30, 5, Rgb([0, 0, 0]));
        for q in 1..4u16 {
            let mut r = [[30.0, 5.0, 31.0, 6.0]];
            let out = rotate_quarter(img.clone(), q, &mut r);
            let [x0, y0, _, _] = r[0];
            assert_eq!(out.get_pixel(x0 as u32, y0 as u32).0, [0, 0, 0], "quarter {q}");
        }
    }
}
