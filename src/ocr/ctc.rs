//! Greedy CTC decoding that keeps what ocrs drops: a probability per
//! character and the frames it came from (for its box).

/// One decoded character: its class (1-based, 0 is the CTC blank), its
/// confidence and the output frames `first..=last` of its run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DecodedChar {
    pub class: usize,
    /// The highest probability the class reached over its run of frames:
    /// CTC emits a character as a spike, so the peak is its confidence.
    pub confidence: f32,
    pub first: usize,
    pub last: usize,
}

/// Decodes one sequence of `frames` rows of `classes` log-probabilities
/// (row-major, `logp[t * stride + c]`). Consecutive frames with the same best
/// class make one character; blanks separate repeats.
pub fn greedy_decode(logp: &[f32], frames: usize, classes: usize, stride: usize) -> Vec<DecodedChar> {
    let mut out: Vec<DecodedChar> = Vec::new();
    let mut prev = 0usize;
    for t in 0..frames {
        let row = &logp[t * stride..t * stride + classes];
        // A plain loop: this runs over 6,625 classes per frame, and stays
        // quick even in unoptimised test builds.
        let (mut best, mut best_lp) = (0, f32::NEG_INFINITY);
        for (c, &lp) in row.iter().enumerate() {
            if lp > best_lp {
                best = c;
                best_lp = lp;
            }
        }
        let p = best_lp.exp();
        if best != 0 {
            match out.last_mut() {
                Some(c) if best == prev => {
                    c.confidence = c.confidence.max(p);
                    c.last = t;
                }
                _ => out.push(DecodedChar { class: best, confidence: p, first: t, last: t }),
            }
        }
        prev = best;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Log-probabilities for frames given as (class, probability); the rest
    /// of each frame's mass goes to the other classes evenly.
    fn frames(spec: &[(usize, f32)], classes: usize) -> Vec<f32> {
        let mut v = Vec::new();
        for &(c, p) in spec {
            let rest = (1.0 - p) / (classes - 1) as f32;
            for k in 0..classes {
                v.push(if k == c { p } else { rest }.ln());
            }
        }
        v
    }

    #[test]
    fn ctc_decode_collapses_repeats_drops_blanks_and_keeps_the_peak_probability() {
        // 鲁 鲁 _ H H _ H  → classes 1,2,2 with peaks .9, .8, .6
        let lp = frames(&[(1, 0.7), (1, 0.9), (0, 0.95), (2, 0.8), (2, 0.5), (0, 0.9), (2, 0.6)], 4);
        let d = greedy_decode(&lp, 7, 4, 4);
        let classes: Vec<_> = d.iter().map(|c| c.class).collect();
        assert_eq!(classes, vec![1, 2, 2]);
        let conf: Vec<_> = d.iter().map(|c| (c.confidence * 100.0).round() / 100.0).collect();
        assert_eq!(conf, vec![0.9, 0.8, 0.6]);
        assert_eq!((d[0].first, d[0].last), (0, 1));
        assert_eq!((d[1].first, d[1].last), (3, 4));
        assert_eq!((d[2].first, d[2].last), (6, 6));
    }

    #[test]
    fn ctc_decode_reads_a_sequence_out_of_a_batched_tnc_tensor() {
        // Two sequences interleaved as [T, N, C]: stride is N*C, offset n*C.
        let a = frames(&[(3, 0.9), (0, 0.9)], 4);
        let b = frames(&[(0, 0.9), (1, 0.7)], 4);
        let mut tnc = Vec::new();
        for t in 0..2 {
            tnc.extend_from_slice(&a[t * 4..t * 4 + 4]);
            tnc.extend_from_slice(&b[t * 4..t * 4 + 4]);
        }
        let second = greedy_decode(&tnc[4..], 2, 4, 8);
        assert_eq!(second.len(), 1);
        assert_eq!(second[0].class, 1);
        assert!((second[0].confidence - 0.7).abs() < 1e-5);
    }

    #[test]
    fn an_all_blank_sequence_decodes_to_nothing() {
        assert!(greedy_decode(&frames(&[(0, 0.99); 5], 3), 5, 3, 3).is_empty());
    }
}
