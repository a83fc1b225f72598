//! A box on a page image.

use serde::{Deserialize, Serialize};

/// `[x, y, width, height]` in the pixels of the page image *as stored*
/// (before any rotation dajian applied), as `report.md` fixes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(from = "[u32; 4]", into = "[u32; 4]")]
pub struct BBox {
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
}

impl BBox {
    pub fn new(x: u32, y: u32, w: u32, h: u32) -> Self {
        Self { x, y, w, h }
    }

    /// The smallest box holding both; a field's box is the union of its
    /// characters' boxes.
    pub fn union(self, other: BBox) -> BBox {
        if self.w == 0 && self.h == 0 {
            return other;
        }
        if other.w == 0 && other.h == 0 {
            return self;
        }
        let x0 = self.x.min(other.x);
        let y0 = self.y.min(other.y);
        let x1 = (self.x + self.w).max(other.x + other.w);
        let y1 = (self.y + self.h).max(other.y + other.h);
        BBox::new(x0, y0, x1 - x0, y1 - y0)
    }

    /// The part of the smaller box's area the two share: 0 apart, 1 when
    /// one holds the other.
    pub fn overlap(self, other: BBox) -> f32 {
        let w = (self.x + self.w).min(other.x + other.w).saturating_sub(self.x.max(other.x));
        let h = (self.y + self.h).min(other.y + other.h).saturating_sub(self.y.max(other.y));
        let smaller = (self.w as u64 * self.h as u64).min(other.w as u64 * other.h as u64);
        if smaller == 0 { 0.0 } else { (w as u64 * h as u64) as f32 / smaller as f32 }
    }

    /// Whether `other`'s centre lies inside this box: how a character is
    /// known to belong to a field's box even when its own box spills over.
    pub fn holds_centre_of(self, other: BBox) -> bool {
        let (x, y) = (other.x + other.w / 2, other.y + other.h / 2);
        (self.x..self.x + self.w).contains(&x) && (self.y..self.y + self.h).contains(&y)
    }
}

impl From<[u32; 4]> for BBox {
    fn from([x, y, w, h]: [u32; 4]) -> Self {
        Self { x, y, w, h }
    }
}

impl From<BBox> for [u32; 4] {
    fn from(b: BBox) -> Self {
        [b.x, b.y, b.w, b.h]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlap_is_the_share_of_the_smaller_box() {
        let a = BBox::new(0, 0, 100, 20);
        assert_eq!(a.overlap(BBox::new(50, 0, 10, 10)), 1.0);
        assert_eq!(a.overlap(BBox::new(90, 10, 20, 20)), 0.25);
        assert_eq!(a.overlap(BBox::new(100, 0, 10, 10)), 0.0);
        assert_eq!(a.overlap(BBox::default()), 0.0);
    }

    #[test]
    fn a_box_holds_another_whose_centre_lies_inside_it() {
        let field = BBox::new(100, 100, 60, 20);
        assert!(field.holds_centre_of(BBox::new(90, 95, 30, 30)), "spills over the edge, centre inside");
        assert!(!field.holds_centre_of(BBox::new(150, 100, 30, 20)), "centre at x 165, past the right edge");
        assert!(!field.holds_centre_of(BBox::new(100, 110, 10, 20)), "centre on the bottom edge");
        assert!(!BBox::default().holds_centre_of(BBox::default()), "an empty box holds nothing");
    }

    #[test]
    fn a_bbox_serialises_as_the_four_numbers_of_the_report() {
        let b = BBox::new(412, 388, 310, 34);
        assert_eq!(serde_json::to_string(&b).unwrap(), "[412,388,310,34]");
        assert_eq!(serde_json::from_str::<BBox>("[412,388,310,34]").unwrap(), b);
    }

    #[test]
    fn the_union_of_two_boxes_covers_both() {
        let u = BBox::new(10, 10, 5, 5).union(BBox::new(20, 0, 5, 5));
        assert_eq!(u, BBox::new(10, 0, 15, 15));
    }

    #[test]
    fn an_empty_box_is_neutral_in_a_union() {
        let b = BBox::new(3, 4, 5, 6);
        assert_eq!(BBox::default().union(b), b);
    }
}
