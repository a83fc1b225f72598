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

/// Decodes one sequence (rows of `stride` log-probabilities, as
/// [`greedy_decode`] takes them) into exactly
/// `positions.len()` characters, character `k` of a class in
/// `positions[k]`: the most probable CTC path that spells a value of a
/// known grammar (a VIN has no I or O, a plate's first character is a
/// province). Each character's confidence is its class's peak probability
/// over the frames the path gives it, as in greedy decoding, so a position
/// the recogniser did not see as any allowed class stays doubtful. Returns
/// the characters and the path's log-probability, or `None` if the
/// sequence has too few frames for that many characters.
pub fn constrained_decode(logp: &[f32], frames: usize, stride: usize, positions: &[Vec<usize>]) -> Option<(Vec<DecodedChar>, f32)> {
    let n = positions.len();
    if n == 0 || frames == 0 {
        return None;
    }
    let lp = |t: usize, c: usize| logp[t * stride + c];
    const NONE: f32 = f32::NEG_INFINITY;
    // State ids: blank after k characters is `k` (0..=n); character k
    // (1-based) with its j-th allowed class is `offset[k] + j`.
    let mut offset = vec![0usize; n + 1];
    let mut next = n + 1;
    for k in 1..=n {
        offset[k] = next;
        next += positions[k - 1].len();
    }
    let states = next;
    let class_of = |k: usize, j: usize| positions[k - 1][j];
    let mut score = vec![NONE; states];
    let mut back: Vec<Vec<u32>> = Vec::with_capacity(frames);
    score[0] = lp(0, 0);
    for j in 0..positions[0].len() {
        score[offset[1] + j] = lp(0, class_of(1, j));
    }
    back.push((0..states as u32).collect());
    for t in 1..frames {
        let mut now = vec![NONE; states];
        let mut from = vec![0u32; states];
        let take = |s: usize, prev: usize, v: f32, now: &mut Vec<f32>, from: &mut Vec<u32>| {
            if v > now[s] {
                now[s] = v;
                from[s] = prev as u32;
            }
        };
        for k in 0..=n {
            // Blank after k characters: stay, or close character k.
            take(k, k, score[k], &mut now, &mut from);
            if k >= 1 {
                for j in 0..positions[k - 1].len() {
                    take(k, offset[k] + j, score[offset[k] + j], &mut now, &mut from);
                }
            }
            if k == 0 {
                continue;
            }
            // Character k: stay, start after the blank, or start straight
            // after character k-1 of another class.
            for j in 0..positions[k - 1].len() {
                let s = offset[k] + j;
                take(s, s, score[s], &mut now, &mut from);
                take(s, k - 1, score[k - 1], &mut now, &mut from);
                if k >= 2 {
                    for (i, &c) in positions[k - 2].iter().enumerate() {
                        if c != class_of(k, j) {
                            take(s, offset[k - 1] + i, score[offset[k - 1] + i], &mut now, &mut from);
                        }
                    }
                }
            }
        }
        for k in 0..=n {
            if now[k] > NONE {
                now[k] += lp(t, 0);
            }
            if k >= 1 {
                for j in 0..positions[k - 1].len() {
                    let s = offset[k] + j;
                    if now[s] > NONE {
                        now[s] += lp(t, class_of(k, j));
                    }
                }
            }
        }
        score = now;
        back.push(from);
    }
    let ends = std::iter::once(n).chain((0..positions[n - 1].len()).map(|j| offset[n] + j));
    let (mut s, best) = ends.map(|s| (s, score[s])).max_by(|a, b| a.1.total_cmp(&b.1))?;
    if best == NONE {
        return None;
    }
    // Walk back, collecting each character's frames.
    let mut path = vec![0usize; frames];
    for t in (0..frames).rev() {
        path[t] = s;
        s = back[t][s] as usize;
    }
    let mut out: Vec<DecodedChar> = Vec::with_capacity(n);
    let mut prev = usize::MAX;
    for (t, &s) in path.iter().enumerate() {
        if s <= n {
            prev = s;
            continue;
        }
        let k = (1..=n).rev().find(|&k| s >= offset[k]).expect("a character state");
        let c = class_of(k, s - offset[k]);
        let p = lp(t, c).exp();
        if s == prev {
            let last = out.last_mut().expect("a run continues");
            last.confidence = last.confidence.max(p);
            last.last = t;
        } else {
            out.push(DecodedChar { class: c, confidence: p, first: t, last: t });
        }
        prev = s;
    }
    (out.len() == n).then_some((out, best))
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
    fn constrained_decoding_takes_the_best_allowed_class_where_greedy_reads_a_forbidden_one() {
        // Classes: 0 blank, 1 '1', 2 'I', 3 'A'. Greedy reads A I; a grammar
        // that allows no I at position 2 reads A 1, the 1 as doubtful as
        // the recogniser was about it.
        let mut lp = frames(&[(3, 0.9), (0, 0.9), (2, 0.6), (0, 0.9)], 4);
        // Frame 2: I 0.6, '1' 0.3.
        lp[2 * 4 + 1] = 0.3f32.ln();
        let greedy: Vec<usize> = greedy_decode(&lp, 4, 4, 4).iter().map(|c| c.class).collect();
        assert_eq!(greedy, [3, 2]);
        let (d, _) = constrained_decode(&lp, 4, 4, &[vec![3], vec![1, 3]]).unwrap();
        assert_eq!(d.iter().map(|c| c.class).collect::<Vec<_>>(), [3, 1]);
        assert!((d[1].confidence - 0.3).abs() < 1e-5);
        assert_eq!((d[1].first, d[1].last), (2, 2));
    }

    #[test]
    fn constrained_decoding_gives_exactly_the_characters_asked_for_and_keeps_repeats_apart() {
        // 1 1 read with a blank between: two characters; without the blank
        // a grammar of two characters cannot be spelt from one run.
        let lp = frames(&[(1, 0.9), (0, 0.8), (1, 0.9)], 3);
        let (d, _) = constrained_decode(&lp, 3, 3, &[vec![1, 2], vec![1, 2]]).unwrap();
        assert_eq!(d.iter().map(|c| c.class).collect::<Vec<_>>(), [1, 1]);
        // Three characters from three frames: each frame one character.
        let (d, _) = constrained_decode(&lp, 3, 3, &[vec![1, 2], vec![1, 2], vec![1, 2]]).unwrap();
        assert_eq!(d.len(), 3);
        assert!(d[1].confidence < 0.2, "the blank frame made a doubtful character");
        // Four characters cannot be had from three frames.
        assert!(constrained_decode(&lp, 3, 3, &vec![vec![1, 2]; 4]).is_none());
    }

    #[test]
    fn an_all_blank_sequence_decodes_to_nothing() {
        assert!(greedy_decode(&frames(&[(0, 0.99); 5], 3), 5, 3, 3).is_empty());
    }
}
