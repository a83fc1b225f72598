//! Accuracy measures for OCR output.

/// Character error rate: the edit distance between `hypothesis` and
/// `reference` divided by the reference's length, counted in characters
/// (Unicode scalar values) with all whitespace removed from both — spaces
/// on licences are layout, not content. An empty reference gives 0.0 for an
/// empty hypothesis and 1.0 otherwise.
pub fn cer(reference: &str, hypothesis: &str) -> f64 {
    let r: Vec<char> = reference.chars().filter(|c| !c.is_whitespace()).collect();
    let h: Vec<char> = hypothesis.chars().filter(|c| !c.is_whitespace()).collect();
    if r.is_empty() {
        return if h.is_empty() { 0.0 } else { 1.0 };
    }
    edit_distance(&r, &h) as f64 / r.len() as f64
}

/// Levenshtein distance (insertions, deletions, substitutions all cost 1).
pub fn edit_distance<T: PartialEq>(a: &[T], b: &[T]) -> usize {
    last_row(a, b, false)[b.len()]
}

/// The last row of the edit-distance table of `a` against `b`: entry `j`
/// is the distance from all of `a` to `b[..j]`, or, with `free_start`, to
/// the best `b[k..j]` (the match may begin anywhere in `b`).
fn last_row<T: PartialEq>(a: &[T], b: &[T], free_start: bool) -> Vec<usize> {
    let mut prev: Vec<usize> = if free_start { vec![0; b.len() + 1] } else { (0..=b.len()).collect() };
    let mut cur = vec![0; b.len() + 1];
    for (i, x) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, y) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(x != y);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev
}

/// Character errors of a page whose lines OCR may read in another order
/// (two cards side by side are read row by row across both): each
/// reference line is matched against its best-fitting stretch of the
/// hypothesis (edit distance with free ends), whitespace removed. Returns
/// (errors, reference characters). Characters OCR invents outside every
/// matched stretch are not counted; reading order is not judged.
pub fn line_errors(reference_lines: &[&str], hypothesis: &str) -> (usize, usize) {
    let h: Vec<char> = hypothesis.chars().filter(|c| !c.is_whitespace()).collect();
    let (mut errors, mut total) = (0, 0);
    for line in reference_lines {
        let r: Vec<char> = line.chars().filter(|c| !c.is_whitespace()).collect();
        total += r.len();
        errors += best_stretch_distance(&r, &h);
    }
    (errors, total)
}

/// Edit distance between `r` and the substring of `h` closest to it.
pub fn best_stretch_distance(r: &[char], h: &[char]) -> usize {
    last_row(r, h, true).into_iter().min().unwrap_or(r.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_errors_ignore_reading_order_but_count_misread_characters() {
        let ocr = "号牌号码 鲁H06235 档案编号 3708\n所有人 济宁远航";
        assert_eq!(line_errors(&["所有人", "济宁远航", "号牌号码", "鲁H06235"], ocr), (0, 18));
        assert_eq!(line_errors(&["鲁H06Z35", "不在"], ocr), (1 + 2, 9));
    }

    #[test]
    fn cer_counts_characters_and_ignores_whitespace() {
        assert_eq!(cer("所有人 济宁", "所有人济宁"), 0.0);
        // One substitution in five characters.
        assert!((cer("所有人济宁", "听有人济宁") - 0.2).abs() < 1e-12);
        // A dropped and an inserted character.
        assert!((cer("鲁H6789", "鲁6789挂") - 2.0 / 6.0).abs() < 1e-12);
    }

    #[test]
    fn cer_of_an_empty_reference_is_zero_only_for_an_empty_hypothesis() {
        assert_eq!(cer(" ", ""), 0.0);
        assert_eq!(cer("", "x"), 1.0);
    }
}
