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
/// across black print no longer joins or cuts its boxes.
pub(crate) fn fade_red(rgb: &RgbImage, grey: &mut GrayImage, amount: f32) {
    for (p, g) in rgb.pixels().zip(grey.pixels_mut()) {
        let c = p.0.map(f32::from);
        let k = amount * redness(c);
        if k > 0.0 {
            let l = f32::from(g[0]);
            g[0] = (l + k * (c[0] - l)).round().clamp(0.0, 255.0) as u8;
        }
    }
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
        fade_red(&rgb, &mut grey, 0.5);
        assert_eq!(grey.get_pixel(0, 0), before.get_pixel(0, 0));
        assert_eq!(grey.get_pixel(2, 0), before.get_pixel(2, 0));
        let (l, r) = (f32::from(before.get_pixel(1, 0)[0]), 214.0);
        assert!((f32::from(grey.get_pixel(1, 0)[0]) - (l + r) / 2.0).abs() <= 1.0);
    }

    #[test]
    fn the_red_channel_keeps_black_print_and_loses_the_red_ring() {
        let red = red_channel(&line(BLACK, true));
        assert!(red.get_pixel(1, 20)[0] < 60, "print stays dark");
        let ring_pixel = (0..200).find(|&x| line(BLACK, true).get_pixel(x, 39) == &RED).unwrap();
        assert!(red.get_pixel(ring_pixel, 39)[0] > 200, "the ring is nearly as light as paper");
    }
}
