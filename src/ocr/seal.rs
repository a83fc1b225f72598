//! Red seals (公章) stamped over printed text.
//!
//! Chinese licences carry red seals, and a seal's ring often crosses a value
//! (on the test vehicle licences it crosses the registration date). In
//! greyscale red ink is as dark as print, so the recogniser reads the ring
//! as strokes and drops or garbles the characters under it. In the red
//! channel red ink is nearly as bright as paper while black and blue print
//! stay dark, so a box where red ink lies over other print is recognised
//! from the red channel instead. A box whose print is itself red (the
//! inspection stamp's text, a red title) keeps the greyscale image, or it
//! would vanish.

use image::{GrayImage, RgbImage};

use super::geometry::TextRegion;

/// Samples taken across a region when judging its ink.
const ROWS: usize = 12;

/// Of a region's dark samples, the share that must be red for the red ink
/// to count as a seal over the print, and the share above which the print
/// is taken to be red itself.
const SEAL_SHARE: (f32, f32) = (0.06, 0.6);

/// The page in greyscale with red ink lightened `amount` of the way to its
/// red-channel value (0: plain greyscale, 1: the red channel), in
/// proportion to its [`redness`], so the blurred pink edge of a ring fades
/// with it. Halfway keeps red print readable to the detector while a ring
/// across black print no longer joins or cuts its boxes. Inside a seal's
/// ring ([`seal_boxes`]) red ink is lightened `ring_amount` of the way
/// instead: a seal is no text to find, and half its ink still cut the
/// first digit off the date it crossed on blurred photos.
pub(crate) fn fade_red(rgb: &RgbImage, grey: &mut GrayImage, amount: f32, ring_amount: f32) {
    let rings = if ring_amount != amount { seal_boxes(rgb) } else { Vec::new() };
    let width = rgb.width();
    for (i, (p, g)) in rgb.pixels().zip(grey.pixels_mut()).enumerate() {
        let c = p.0.map(f32::from);
        let r = redness(c);
        if r > 0.0 {
            let (x, y) = (i as u32 % width, i as u32 / width);
            let a = if rings.iter().any(|b| b.contains(x, y)) { ring_amount } else { amount };
            let l = f32::from(g[0]);
            g[0] = (l + a * r * (c[0] - l)).round().clamp(0.0, 255.0) as u8;
        }
    }
}

/// An axis-aligned box of page pixels, ends exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PixelBox {
    pub x0: u32,
    pub y0: u32,
    pub x1: u32,
    pub y1: u32,
}

impl PixelBox {
    fn contains(&self, x: u32, y: u32) -> bool {
        (self.x0..self.x1).contains(&x) && (self.y0..self.y1).contains(&y)
    }
}

/// Side of the blocks red ink is joined in when looking for rings: a
/// blurred or dotted ring's gaps close, and the labelling stays cheap.
const RING_BLOCK: u32 = 4;

/// A seal's extent, as a share of the page's short side: at least this
/// (smaller red marks are print: a red character, the inspection stamp's
/// line) and at most [`RING_MAX`].
const RING_MIN: f32 = 0.08;
/// See [`RING_MIN`]: past it, red ink is a background or a tinted photo.
const RING_MAX: f32 = 0.6;
/// How much longer than wide a seal may be (oval seals are ~4:3; a red
/// stamp's frame or a line of red print is much longer).
const RING_ASPECT: f32 = 1.6;

/// The boxes of red ink shaped like a seal: joined red marks, roughly round
/// and large on the page. Red print, a stamp's long frame and warm paper
/// are left out by size and shape.
pub(crate) fn seal_boxes(rgb: &RgbImage) -> Vec<PixelBox> {
    let (w, h) = ((rgb.width()).div_ceil(RING_BLOCK), (rgb.height()).div_ceil(RING_BLOCK));
    let mut red = vec![false; (w * h) as usize];
    for (x, y, p) in rgb.enumerate_pixels() {
        if is_red(p.0.map(f32::from)) {
            red[((y / RING_BLOCK) * w + x / RING_BLOCK) as usize] = true;
        }
    }
    let short = rgb.width().min(rgb.height()) as f32;
    let mut boxes = Vec::new();
    let mut seen = vec![false; red.len()];
    let mut stack = Vec::new();
    for start in 0..red.len() {
        if !red[start] || seen[start] {
            continue;
        }
        // One 8-connected mark of red blocks, and its extent.
        let (mut x0, mut y0, mut x1, mut y1) = (u32::MAX, u32::MAX, 0, 0);
        seen[start] = true;
        stack.push(start);
        while let Some(i) = stack.pop() {
            let (x, y) = (i as u32 % w, i as u32 / w);
            (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
            for ny in y.saturating_sub(1)..=(y + 1).min(h - 1) {
                for nx in x.saturating_sub(1)..=(x + 1).min(w - 1) {
                    let j = (ny * w + nx) as usize;
                    if red[j] && !seen[j] {
                        seen[j] = true;
                        stack.push(j);
                    }
                }
            }
        }
        let (bw, bh) = (((x1 - x0 + 1) * RING_BLOCK) as f32, ((y1 - y0 + 1) * RING_BLOCK) as f32);
        let round = bw.max(bh) <= RING_ASPECT * bw.min(bh);
        if round && bw.min(bh) >= RING_MIN * short && bw.max(bh) <= RING_MAX * short {
            // Out by a block all round for the blurred pink edge.
            let pad = RING_BLOCK;
            boxes.push(PixelBox {
                x0: (x0 * RING_BLOCK).saturating_sub(pad),
                y0: (y0 * RING_BLOCK).saturating_sub(pad),
                x1: ((x1 + 1) * RING_BLOCK + pad).min(rgb.width()),
                y1: ((y1 + 1) * RING_BLOCK + pad).min(rgb.height()),
            });
        }
    }
    boxes
}

/// The image's red channel, where red ink is nearly paper-bright and other
/// print stays dark. (Lifting reddish pixels further, to white, was tried:
/// it cuts the strokes a ring crosses, and the 0 of 2023 vanished.)
pub(crate) fn red_channel(rgb: &RgbImage) -> GrayImage {
    GrayImage::from_fn(rgb.width(), rgb.height(), |x, y| image::Luma([rgb.get_pixel(x, y)[0]]))
}

/// What a region's print is, as far as red goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ink {
    /// No red to speak of.
    Plain,
    /// Some, not most, of its dark pixels are red: a seal over the print.
    SealOver,
    /// Most of its dark pixels are red: the print itself is red.
    Red,
}

/// How `region` of `rgb` is inked.
pub(crate) fn ink(rgb: &RgbImage, region: &TextRegion) -> Ink {
    match red_share(rgb, region) {
        Some(s) if s >= SEAL_SHARE.1 => Ink::Red,
        Some(s) if s >= SEAL_SHARE.0 => Ink::SealOver,
        _ => Ink::Plain,
    }
}

/// The share of `region`'s dark (ink) samples that are red; `None` if it
/// has no ink at all.
fn red_share(rgb: &RgbImage, region: &TextRegion) -> Option<f32> {
    let cols = ((ROWS as f32 * region.length / region.thickness.max(1.0)).round() as usize).clamp(ROWS, 40 * ROWS);
    let (w, h) = (rgb.width() as f32, rgb.height() as f32);
    let mut samples = Vec::with_capacity(ROWS * cols);
    for i in 0..ROWS {
        for j in 0..cols {
            let (x, y) = region.point((j as f32 + 0.5) / cols as f32, (i as f32 + 0.5) / ROWS as f32);
            if x < 0.0 || y < 0.0 || x >= w || y >= h {
                continue;
            }
            let p = rgb.get_pixel(x as u32, y as u32).0.map(f32::from);
            samples.push((0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2], is_red(p)));
        }
    }
    // Ink is what is clearly darker than the region's paper (its bright
    // end), whatever the lighting of the photo.
    let mut lumas: Vec<f32> = samples.iter().map(|s| s.0).collect();
    lumas.sort_by(f32::total_cmp);
    let paper = *lumas.get(lumas.len() * 9 / 10)?;
    let dark: Vec<bool> = samples.iter().filter(|s| s.0 < 0.7 * paper).map(|s| s.1).collect();
    if dark.is_empty() {
        return None;
    }
    Some(dark.iter().filter(|&&r| r).count() as f32 / dark.len() as f32)
}

/// How red a pixel is, 0 to 1: by how much red exceeds both green and
/// blue, full at 60 levels. Paper under warm light, brown rules and blue or
/// black print score (nearly) 0.
fn redness(p: [f32; 3]) -> f32 {
    ((p[0] - p[1].max(p[2])) / 60.0).clamp(0.0, 1.0)
}

/// Red ink, for counting: clearly red, including a blurred ring's pink.
fn is_red(p: [f32; 3]) -> bool {
    redness(p) > 0.66
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{DynamicImage, Rgb};

    const PAPER: Rgb<u8> = Rgb([245, 242, 235]);
    const RED: Rgb<u8> = Rgb([214, 40, 40]);
    const BLACK: Rgb<u8> = Rgb([20, 20, 20]);

    /// A 200×40 line of "print" (vertical bars) in `ink`, optionally crossed
    /// by a red arc.
    fn line(ink: Rgb<u8>, with_ring: bool) -> RgbImage {
        RgbImage::from_fn(200, 40, |x, y| {
            let ring = with_ring && ((x as i32 - 60).pow(2) + (y as i32 - 70).pow(2) - 3600).abs() < 500;
            if ring {
                RED
            } else if x % 10 < 3 && (8..32).contains(&y) {
                ink
            } else {
                PAPER
            }
        })
    }

    fn region() -> TextRegion {
        TextRegion { center: (100.0, 20.0), dir: (1.0, 0.0), length: 200.0, thickness: 40.0 }
    }

    #[test]
    fn black_print_crossed_by_a_red_ring_has_a_seal_over_it() {
        assert_eq!(ink(&line(BLACK, true), &region()), Ink::SealOver);
    }

    #[test]
    fn plain_black_print_is_plain() {
        assert_eq!(ink(&line(BLACK, false), &region()), Ink::Plain);
    }

    #[test]
    fn print_that_is_itself_red_is_red() {
        assert_eq!(ink(&line(RED, false), &region()), Ink::Red);
        assert_eq!(ink(&line(RED, true), &region()), Ink::Red);
    }

    #[test]
    fn fading_lightens_red_ink_halfway_and_leaves_other_ink() {
        let rgb = RgbImage::from_fn(3, 1, |x, _| [BLACK, RED, PAPER][x as usize]);
        let mut grey = DynamicImage::ImageRgb8(rgb.clone()).to_luma8();
        let before = grey.clone();
        fade_red(&rgb, &mut grey, 0.5, 1.0);
        assert_eq!(grey.get_pixel(0, 0), before.get_pixel(0, 0));
        assert_eq!(grey.get_pixel(2, 0), before.get_pixel(2, 0));
        let (l, r) = (f32::from(before.get_pixel(1, 0)[0]), 214.0);
        assert!((f32::from(grey.get_pixel(1, 0)[0]) - (l + r) / 2.0).abs() <= 1.0);
    }

    /// A 400×300 page of paper with a red ring of radius `r` about (200, 150)
    /// and a red frame and line of red print beside it.
    fn page_with_ring(r: i32) -> RgbImage {
        RgbImage::from_fn(400, 300, |x, y| {
            let (dx, dy) = (x as i32 - 200, y as i32 - 150);
            let ring = (dx * dx + dy * dy - r * r).abs() < 4 * r;
            let frame = (20..380).contains(&x) && (y == 10 || y == 40) || (10..=40).contains(&y) && (x == 20 || x == 379);
            let print = (30..370).contains(&x) && (265..280).contains(&y) && x % 8 < 4;
            if ring || frame || print { RED } else { PAPER }
        })
    }

    #[test]
    fn a_seal_ring_is_found_and_a_stamp_frame_or_red_print_is_not() {
        let boxes = seal_boxes(&page_with_ring(50));
        assert_eq!(boxes.len(), 1, "{boxes:?}");
        let b = boxes[0];
        assert!(b.x0 <= 150 && b.x1 >= 250 && b.y0 <= 100 && b.y1 >= 200, "{b:?}");
        assert!(b.x1 - b.x0 < 130 && b.y1 - b.y0 < 130, "{b:?}");
    }

    #[test]
    fn a_red_mark_too_small_for_a_seal_is_not_one() {
        assert!(seal_boxes(&page_with_ring(8)).is_empty());
    }

    #[test]
    fn red_ink_in_a_ring_fades_fully_and_elsewhere_halfway() {
        let rgb = page_with_ring(50);
        let mut grey = DynamicImage::ImageRgb8(rgb.clone()).to_luma8();
        let before = grey.clone();
        fade_red(&rgb, &mut grey, 0.5, 1.0);
        let on_ring = (150..250).find(|&x| rgb.get_pixel(x, 150) == &RED).unwrap();
        assert!(grey.get_pixel(on_ring, 150)[0] >= 210, "the ring is as light as its red channel");
        let print = grey.get_pixel(32, 270)[0] as f32;
        let half = (f32::from(before.get_pixel(32, 270)[0]) + 214.0) / 2.0;
        assert!((print - half).abs() <= 1.0, "red print is lightened halfway: {print} vs {half}");
    }

    #[test]
    fn the_red_channel_keeps_black_print_and_loses_the_red_ring() {
        let red = red_channel(&line(BLACK, true));
        assert!(red.get_pixel(1, 20)[0] < 60, "print stays dark");
        let ring_pixel = (0..200).find(|&x| line(BLACK, true).get_pixel(x, 39) == &RED).unwrap();
        assert!(red.get_pixel(ring_pixel, 39)[0] > 200, "the ring is nearly as light as paper");
    }
}
