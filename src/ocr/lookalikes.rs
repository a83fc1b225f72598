//! Characters whose glyphs look alike (梁 and 粱, 冼 and 洗, 己 and 已):
//! each among the other's three nearest when drawn and blurred, in both
//! the sans and the serif font, written by `models/ocr/lookalikes.py` into
//! `models/ocr/lookalikes.txt`. A confident reading that differs from the
//! form's only by such a pair is no clear evidence of another value: it is
//! what a recogniser does with a rare character on a photo.

use std::collections::HashSet;
use std::sync::LazyLock;

static PAIRS: LazyLock<HashSet<(char, char)>> = LazyLock::new(|| {
    include_str!("../../models/ocr/lookalikes.txt")
        .lines()
        .filter_map(|l| {
            let mut c = l.chars();
            Some((c.next()?, c.next()?))
        })
        .flat_map(|(a, b)| [(a, b), (b, a)])
        .collect()
});

/// Whether `a` and `b` look alike (either order).
pub fn lookalike(a: char, b: char) -> bool {
    PAIRS.contains(&(a, b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_a_stroke_apart_look_alike_and_others_do_not() {
        assert!(lookalike('梁', '粱') && lookalike('粱', '梁'));
        assert!(lookalike('已', '己') && lookalike('冼', '洗') && lookalike('胯', '膀'));
        assert!(!lookalike('王', '李'));
        assert!(!lookalike('梁', '梁'));
    }
}
