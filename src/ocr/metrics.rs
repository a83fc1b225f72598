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
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, x) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, y) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(x != y);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

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
