//! Text detection: the DBNet probability map (one model call at the size
//! the page is scaled to, tiled only when that is very large), then
//! PaddleOCR's post-processing: threshold, contours, minimum-area
//! rectangles, box score, unclip.

use image::GrayImage;
use rten_imageproc::{BoundingRect, Point, PointF, RetrievalMode, RotatedRect, find_contours, min_area_rect};
use rten_tensor::prelude::*;
use rten_tensor::{NdTensor, NdTensorView};

use super::OcrParams;
use super::backend::Nets;
use super::geometry::unclip;

/// Tiles overlap by this many pixels so a line cut by a tile edge is whole
/// in the neighbouring tile; the maps are merged by maximum.
const TILE_OVERLAP: usize = 96;

/// DBNet downsamples by 32: its input sides must be multiples of this.
pub(crate) const SIDE_MULTIPLE: u32 = 32;

/// Largest detector call side; larger images are tiled so one call's
/// activations stay within a few hundred MB.
const MAX_TILE: usize = 1536;

/// A probability map, row-major, `w × h`.
pub(crate) struct ProbMap {
    pub w: usize,
    pub h: usize,
    pub data: Vec<f32>,
}

/// Text probability for every pixel of `grey`, whose sides must be
/// multiples of [`SIDE_MULTIPLE`]: one call, or overlapping tiles of at
/// most [`MAX_TILE`] pixels a side.
pub(crate) fn prob_map(nets: &dyn Nets, grey: &GrayImage) -> anyhow::Result<ProbMap> {
    let (w, h) = (grey.width() as usize, grey.height() as usize);
    debug_assert!(w % SIDE_MULTIPLE as usize == 0 && h % SIDE_MULTIPLE as usize == 0, "{w}×{h}");
    let mut data = vec![0f32; w * h];
    let raw = grey.as_raw();
    let ((tile_w, xs), (tile_h, ys)) = (tile_plan(w, MAX_TILE), tile_plan(h, MAX_TILE));
    for &y0 in &ys {
        for &x0 in &xs {
            // The models' input scale (ocrs's convention): x/255 − 0.5.
            let mut tile = Vec::with_capacity(tile_w * tile_h);
            for y in y0..y0 + tile_h {
                tile.extend(raw[y * w + x0..y * w + x0 + tile_w].iter().map(|&v| v as f32 / 255.0 - 0.5));
            }
            let input = NdTensor::from_data([1, 1, tile_h, tile_w], tile);
            let out = nets.detect(input)?;
            let probs = out.to_vec();
            for (ty, row) in probs.chunks_exact(tile_w).enumerate() {
                let dst = &mut data[(y0 + ty) * w + x0..(y0 + ty) * w + x0 + tile_w];
                for (d, &p) in dst.iter_mut().zip(row) {
                    *d = d.max(p);
                }
            }
        }
    }
    Ok(ProbMap { w, h, data })
}

/// How to cover `len` pixels with tiles of at most `max_tile`: the tile
/// size (a multiple of [`SIDE_MULTIPLE`], as the model needs) and the start
/// offsets. Tiles are as few as possible and of equal size, overlapping by at
/// least [`TILE_OVERLAP`]; the last one ends at the edge. (Fixed-size tiles
/// of `max_tile` cost an A4 page 1568 px tall two full tiles, 1504 px of
/// them overlapping: twice the detection it needs.)
pub(crate) fn tile_plan(len: usize, max_tile: usize) -> (usize, Vec<usize>) {
    if len <= max_tile {
        return (len, vec![0]);
    }
    let m = SIDE_MULTIPLE as usize;
    let n = (len - TILE_OVERLAP).div_ceil(max_tile - TILE_OVERLAP);
    let tile = (len + (n - 1) * TILE_OVERLAP).div_ceil(n).div_ceil(m) * m;
    // Starts on the model's 32-pixel grid, so every tile sees the page
    // downsampled on the same grid.
    let starts = (0..n).map(|i| if i + 1 == n { len - tile } else { i * (len - tile) / (n - 1) / m * m }).collect();
    (tile, starts)
}

/// Text boxes in `map`'s pixel coordinates (pixel centres at integers, as
/// the contours are): PaddleOCR's DBNet post-processing.
pub(crate) fn boxes_from_map(map: &ProbMap, params: &OcrParams) -> Vec<RotatedRect> {
    let mask: Vec<bool> = map.data.iter().map(|&p| p > params.text_threshold).collect();
    let contours = find_contours(NdTensorView::from_data([map.h, map.w], &mask[..]), RetrievalMode::External);
    let mut boxes = Vec::new();
    for poly in contours.iter() {
        let points: Vec<_> = poly.iter().map(|p| p.to_f32()).collect();
        // rten-imageproc's Graham scan can fail on the many collinear points
        // of a long contour (a 500 px title came out 2 px high); its hull
        // is exact on a hull without them.
        let Some(rect) = min_area_rect(&convex_hull(&points)) else {
            continue;
        };
        // PaddleOCR drops cores thinner than 3 px: specks, not text.
        if rect.width().min(rect.height()) < 3.0 {
            continue;
        }
        if mean_prob(map, &rect) < params.box_threshold {
            continue;
        }
        let grown = unclip(&rect, params.unclip_ratio);
        if grown.width().min(grown.height()) < 5.0 {
            continue;
        }
        boxes.push(grown);
    }
    boxes
}

/// Convex hull by Andrew's monotone chain, dropping collinear points.
pub(crate) fn convex_hull(points: &[PointF]) -> Vec<PointF> {
    let mut pts: Vec<PointF> = points.to_vec();
    pts.sort_by(|a, b| a.x.total_cmp(&b.x).then(a.y.total_cmp(&b.y)));
    pts.dedup();
    if pts.len() < 3 {
        return pts;
    }
    let cross = |o: PointF, a: PointF, b: PointF| (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
    let mut hull: Vec<PointF> = Vec::with_capacity(2 * pts.len());
    for pass in 0..2 {
        let start = hull.len();
        let iter: Box<dyn Iterator<Item = &PointF>> = if pass == 0 { Box::new(pts.iter()) } else { Box::new(pts.iter().rev()) };
        for &p in iter {
            while hull.len() >= start + 2 && cross(hull[hull.len() - 2], hull[hull.len() - 1], p) <= 0.0 {
                hull.pop();
            }
            hull.push(p);
        }
        hull.pop();
    }
    hull
}

/// Mean probability inside `rect` (PaddleOCR's box score): a faint blob that
/// crossed the threshold in a few pixels is not text.
fn mean_prob(map: &ProbMap, rect: &RotatedRect) -> f32 {
    let b = rect.bounding_rect();
    let (x0, y0) = (b.left().floor().max(0.0) as usize, b.top().floor().max(0.0) as usize);
    let x1 = (b.right().ceil() as usize).min(map.w.saturating_sub(1));
    let y1 = (b.bottom().ceil() as usize).min(map.h.saturating_sub(1));
    let (mut sum, mut n) = (0f32, 0usize);
    let grown = rect.expanded(1.0, 1.0);
    for y in y0..=y1 {
        for x in x0..=x1 {
            if grown.contains(Point::from_yx(y as f32, x as f32)) {
                sum += map.data[y * map.w + x];
                n += 1;
            }
        }
    }
    if n == 0 { 0.0 } else { sum / n as f32 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_side_that_fits_is_one_tile() {
        assert_eq!(tile_plan(512, 960), (512, vec![0]));
        assert_eq!(tile_plan(960, 960), (960, vec![0]));
    }

    #[test]
    fn a_side_just_over_the_limit_is_two_half_tiles_not_two_full_ones() {
        // An A4 page at detection scale: 1568 px against tiles of 1536.
        let (tile, starts) = tile_plan(1568, 1536);
        assert_eq!(starts.len(), 2);
        assert_eq!(tile, 832, "half the side plus half the overlap, on the 32 grid");
        assert_eq!(starts, vec![0, 1568 - 832]);
    }

    #[test]
    fn tiles_cover_the_side_overlap_enough_and_stay_within_the_limit() {
        for len in (32..=6400).step_by(32) {
            for max_tile in [960, 1536] {
                let (tile, starts) = tile_plan(len, max_tile);
                assert!(tile <= max_tile && tile <= len && tile % 32 == 0, "{len}/{max_tile}: tile {tile}");
                assert_eq!(starts[0], 0);
                assert_eq!(*starts.last().unwrap() + tile, len, "{len}/{max_tile}: ends at the edge");
                assert!(starts.iter().all(|s| s % 32 == 0));
                for pair in starts.windows(2) {
                    assert!(pair[0] + tile >= pair[1] + TILE_OVERLAP, "{len}/{max_tile}: {starts:?} × {tile}");
                }
                // As few tiles as the limit allows.
                let fewer = starts.len() - 1;
                assert!(fewer == 0 || fewer * max_tile < len + (fewer - 1) * TILE_OVERLAP, "{len}/{max_tile}");
            }
        }
    }

    /// The boxes found in a `w` x `h` probability map that is `p` on the
    /// rectangle `ys` x `xs` and 0 elsewhere, with the default parameters.
    fn boxes_of_a_core((w, h): (usize, usize), ys: std::ops::Range<usize>, xs: std::ops::Range<usize>, p: f32) -> Vec<RotatedRect> {
        let mut data = vec![0f32; w * h];
        for y in ys {
            for x in xs.clone() {
                data[y * w + x] = p;
            }
        }
        boxes_from_map(&ProbMap { w, h, data }, &OcrParams::default())
    }

    #[test]
    fn a_solid_core_in_the_probability_map_becomes_one_unclipped_box() {
        let boxes = boxes_of_a_core((200, 60), 20..30, 40..140, 0.9);
        assert_eq!(boxes.len(), 1);
        let b = boxes[0];
        let (long, short) = (b.width().max(b.height()), b.width().min(b.height()));
        // Contour through pixel centres: a 99 x 9 core, grown by 99*9*1.6/216 a side.
        let d = 99.0 * 9.0 * 1.6 / 216.0;
        assert!((long - (99.0 + 2.0 * d)).abs() < 0.5, "{long}");
        assert!((short - (9.0 + 2.0 * d)).abs() < 0.5, "{short}");
    }

    #[test]
    fn a_long_thin_core_keeps_its_thickness() {
        // The shape that broke rten-imageproc's hull: a 500 x 12 bar.
        let boxes = boxes_of_a_core((600, 40), 14..26, 50..550, 0.95);
        assert_eq!(boxes.len(), 1);
        let short = boxes[0].width().min(boxes[0].height());
        assert!(short > 11.0 + 10.0, "{short}");
    }

    #[test]
    fn a_faint_blob_below_the_box_score_is_not_text() {
        assert!(boxes_of_a_core((100, 40), 10..20, 10..60, 0.35).is_empty());
    }
}
