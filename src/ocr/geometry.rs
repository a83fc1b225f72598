//! Geometry of text regions: DBNet unclip, reading direction, and the
//! mapping of points between a line crop and the page.

use rten_imageproc::{RotatedRect, Vec2};

/// Grows a DBNet core box the way PaddleOCR does ("unclip"): the detector is
/// trained to mark only a shrunk core of each line, so the box is pushed out
/// on every side by `area × ratio / perimeter`. Without this, characters lose
/// their tops and bottoms (所有人 → 听有人).
pub fn unclip(rect: &RotatedRect, ratio: f32) -> RotatedRect {
    let (w, h) = (rect.width(), rect.height());
    let perimeter = 2.0 * (w + h);
    if perimeter <= 0.0 {
        return *rect;
    }
    let d = w * h * ratio / perimeter;
    let mut grown = *rect;
    grown.resize(w + 2.0 * d, h + 2.0 * d);
    grown
}

/// A text region on the page (EXIF-oriented pixel coordinates) with its
/// reading direction: `dir` is the unit vector along which the text is read,
/// `length` the extent along it, `thickness` the extent across. "Down" for
/// the text is `dir` turned 90° clockwise on screen, `(-dir.y, dir.x)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextRegion {
    pub center: (f32, f32),
    pub dir: (f32, f32),
    pub length: f32,
    pub thickness: f32,
}

impl TextRegion {
    /// The region covering `rect`, read along whichever of the rect's four
    /// axis directions is closest to the page's reading direction `page_dir`.
    pub fn from_rect(rect: &RotatedRect, page_dir: (f32, f32)) -> TextRegion {
        let up = rect.up_axis();
        let across = up.perpendicular();
        // `up` spans the rect's height, its perpendicular spans the width.
        let candidates = [(up, rect.height(), rect.width()), (across, rect.width(), rect.height())];
        let (axis, length, thickness) = candidates
            .into_iter()
            .max_by(|a, b| dot(a.0, page_dir).abs().total_cmp(&dot(b.0, page_dir).abs()))
            .unwrap();
        let sign = if dot(axis, page_dir) < 0.0 { -1.0 } else { 1.0 };
        let c = rect.center();
        TextRegion { center: (c.x, c.y), dir: (axis.x * sign, axis.y * sign), length, thickness }
    }

    /// The same region turned about its centre by `degrees` (clockwise on
    /// screen, as the page's y axis points down).
    pub fn tilted(&self, degrees: f32) -> TextRegion {
        let (sin, cos) = degrees.to_radians().sin_cos();
        let (x, y) = self.dir;
        TextRegion { dir: (x * cos - y * sin, x * sin + y * cos), ..*self }
    }

    /// "Down" for this region's text.
    pub fn down(&self) -> (f32, f32) {
        (-self.dir.1, self.dir.0)
    }

    /// The page point at fraction `s` along the text (0 = start of reading)
    /// and `t` across it (0 = top of the text).
    pub fn point(&self, s: f32, t: f32) -> (f32, f32) {
        let (dx, dy) = self.dir;
        let (vx, vy) = self.down();
        let a = (s - 0.5) * self.length;
        let b = (t - 0.5) * self.thickness;
        (self.center.0 + a * dx + b * vx, self.center.1 + a * dy + b * vy)
    }

    /// Axis-aligned bounds `(x0, y0, x1, y1)` of the part of the region
    /// between fractions `s0` and `s1` along the text.
    pub fn span_bounds(&self, s0: f32, s1: f32) -> (f32, f32, f32, f32) {
        let pts = [self.point(s0, 0.0), self.point(s1, 0.0), self.point(s0, 1.0), self.point(s1, 1.0)];
        let mut b = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
        for (x, y) in pts {
            b = (b.0.min(x), b.1.min(y), b.2.max(x), b.3.max(y));
        }
        b
    }

    /// Axis-aligned bounds of the whole region.
    pub fn bounds(&self) -> (f32, f32, f32, f32) {
        self.span_bounds(0.0, 1.0)
    }

    /// The region rotated 180° in place: same pixels, read the other way.
    pub fn flipped(&self) -> TextRegion {
        TextRegion { dir: (-self.dir.0, -self.dir.1), ..*self }
    }
}

fn dot(a: Vec2, b: (f32, f32)) -> f32 {
    a.x * b.0 + a.y * b.1
}

/// Clockwise quarter turns (0, 90, 180, 270) that make text read along
/// `page_dir` come out reading left to right.
pub fn rotation_for(page_dir: (f32, f32)) -> u16 {
    // Angle of the reading direction on screen (y down), in degrees.
    let angle = page_dir.1.atan2(page_dir.0).to_degrees();
    let quarter = (-angle / 90.0).round() as i32;
    (quarter.rem_euclid(4) * 90) as u16
}

#[cfg(test)]
mod tests {
    use super::*;
    use rten_imageproc::Point;

    fn rect(cx: f32, cy: f32, w: f32, h: f32) -> RotatedRect {
        RotatedRect::new(Point::from_yx(cy, cx), Vec2::from_xy(0.0, -1.0), w, h)
    }

    #[test]
    fn unclip_grows_a_rectangle_by_area_times_ratio_over_perimeter_on_each_side() {
        // 100x10: area 1000, perimeter 220, so each side moves out 1000*1.6/220.
        let d = 1000.0 * 1.6 / 220.0;
        let grown = unclip(&rect(50.0, 50.0, 100.0, 10.0), 1.6);
        assert!((grown.width() - (100.0 + 2.0 * d)).abs() < 1e-4);
        assert!((grown.height() - (10.0 + 2.0 * d)).abs() < 1e-4);
        assert_eq!(grown.center(), Point::from_yx(50.0, 50.0));
    }

    #[test]
    fn a_region_reads_along_the_long_side_closest_to_the_page_direction() {
        let r = TextRegion::from_rect(&rect(10.0, 20.0, 100.0, 10.0), (1.0, 0.0));
        assert_eq!((r.length, r.thickness), (100.0, 10.0));
        assert!((r.dir.0 - 1.0).abs() < 1e-6);
        // The same rect on a page read upside down starts at its right end.
        let r = TextRegion::from_rect(&rect(10.0, 20.0, 100.0, 10.0), (-1.0, 0.0));
        assert_eq!(r.point(0.0, 0.0), (60.0, 25.0));
    }

    #[test]
    fn a_text_read_upwards_has_its_top_on_the_left() {
        // A tall rect on a page turned 90° counter-clockwise.
        let r = TextRegion::from_rect(&rect(50.0, 100.0, 10.0, 80.0), (0.0, -1.0));
        assert_eq!((r.length, r.thickness), (80.0, 10.0));
        let (x, y) = r.point(0.0, 0.0);
        assert!((x - 45.0).abs() < 1e-4 && (y - 140.0).abs() < 1e-4, "{x},{y}");
        assert_eq!(r.bounds(), (45.0, 60.0, 55.0, 140.0));
    }

    #[test]
    fn a_region_tilted_clockwise_reads_downwards_about_the_same_centre() {
        let r = TextRegion { center: (50.0, 12.0), dir: (1.0, 0.0), length: 94.0, thickness: 24.0 };
        let t = r.tilted(90.0);
        assert!((t.dir.0).abs() < 1e-6 && (t.dir.1 - 1.0).abs() < 1e-6, "{:?}", t.dir);
        assert_eq!((t.center, t.length, t.thickness), (r.center, r.length, r.thickness));
        let (x, y) = r.tilted(-30.0).dir;
        assert!((x - 0.866).abs() < 1e-3 && (y + 0.5).abs() < 1e-3, "anticlockwise 30°: ({x}, {y})");
    }

    #[test]
    fn page_directions_map_to_clockwise_corrections() {
        assert_eq!(rotation_for((1.0, 0.0)), 0);
        assert_eq!(rotation_for((0.0, -1.0)), 90);
        assert_eq!(rotation_for((-1.0, 0.0)), 180);
        assert_eq!(rotation_for((0.0, 1.0)), 270);
        // A 7° skew is no quarter turn.
        let a = 7f32.to_radians();
        assert_eq!(rotation_for((a.cos(), a.sin())), 0);
    }
}
