//! What the recogniser saw along a region, kept for the checks.
//!
//! Greedy decoding keeps one character per CTC run. A character it read
//! with doubt, or passed over, may still be visible in the frames: a rare
//! 疥 second to 济 at 0.22, the 拈 of 邱况拈 faint between 况 and the end of
//! the box. A check holding the form's value asks whether the frames can
//! spell it ([`spell`]): the most probable CTC path that reads exactly the
//! form's characters, as [`super::ctc::constrained_decode`] finds it for a
//! grammar, scored against the greedy path.

use std::sync::Arc;

use super::ctc::DecodedChar;

/// A class is kept in a frame if at least this probable. Below it the
/// frame counts it at this probability: at most what it had, so a path
/// through unkept classes is never cheaper than it really is by more than
/// this floor (and a character that reached only the floor is not seen).
const KEEP_P: f32 = 0.001;

/// The recogniser's output along one region, sparse: per frame, each
/// class at least [`KEEP_P`] probable (0 is the CTC blank) with its
/// log-probability, and always the frame's most probable class.
pub struct RegionFrames {
    alphabet: Arc<[char]>,
    rows: Vec<Vec<(u32, f32)>>,
}

impl RegionFrames {
    /// Keeps `frames` rows of `classes` log-probabilities (`logp[t * stride + c]`).
    pub(crate) fn new(logp: &[f32], frames: usize, classes: usize, stride: usize, alphabet: Arc<[char]>) -> RegionFrames {
        let keep = KEEP_P.ln();
        let rows = (0..frames)
            .map(|t| {
                let row = &logp[t * stride..t * stride + classes];
                let mut kept: Vec<(u32, f32)> = row.iter().enumerate().filter(|(_, lp)| **lp >= keep).map(|(c, &lp)| (c as u32, lp)).collect();
                if kept.is_empty() {
                    let (c, &lp) = row.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)).expect("a frame has classes");
                    kept.push((c as u32, lp));
                }
                kept
            })
            .collect();
        RegionFrames { alphabet, rows }
    }

    fn char_of(&self, class: u32) -> Option<char> {
        self.alphabet.get((class as usize).checked_sub(1)?).copied()
    }
}

/// One character's place in its region's frames: its CTC run
/// `first..=last`, and the frames `lo..hi` it owns, from just after the
/// character before to just before the one after (the region's ends for
/// the first and last), where a character passed over would be.
#[derive(Clone)]
pub struct Seen {
    frames: Arc<RegionFrames>,
    lo: u32,
    hi: u32,
}

impl Seen {
    fn new(frames: Arc<RegionFrames>, lo: usize, hi: usize) -> Seen {
        Seen { frames, lo: lo as u32, hi: hi as u32 }
    }

    /// Whether `self` and `other` come from the same recognised region.
    pub fn same_region(&self, other: &Seen) -> bool {
        Arc::ptr_eq(&self.frames, &other.frames)
    }

    /// The characters the recogniser saw in this character's frames at
    /// least `min_p` probable, each at its peak, most probable first (the
    /// character read among them).
    pub fn alternatives(&self, min_p: f32) -> Vec<(char, f32)> {
        let mut peaks: Vec<(char, f32)> = vec![];
        let rows = &self.frames.rows[self.lo as usize..(self.hi as usize).max(self.lo as usize)];
        for &(class, lp) in rows.iter().flatten() {
            let (Some(ch), p) = (self.frames.char_of(class), lp.exp()) else { continue };
            match peaks.iter_mut().find(|(c, _)| *c == ch) {
                Some(peak) => peak.1 = peak.1.max(p),
                None => peaks.push((ch, p)),
            }
        }
        peaks.retain(|&(_, p)| p >= min_p);
        peaks.sort_by(|a, b| b.1.total_cmp(&a.1));
        peaks
    }
}

/// Each decoded character's place in `frames` (see [`Seen`]).
pub(crate) fn place(frames: &Arc<RegionFrames>, decoded: &[DecodedChar]) -> Vec<Seen> {
    (0..decoded.len())
        .map(|k| {
            let lo = if k == 0 { 0 } else { decoded[k - 1].last + 1 };
            let hi = decoded.get(k + 1).map_or(frames.rows.len(), |c| c.first);
            Seen::new(frames.clone(), lo, hi)
        })
        .collect()
}

/// A region read from made-up frames, for tests here and in the checks:
/// each character greedy decoding reads with its confidence and place.
#[cfg(test)]
pub(crate) fn fake_region(alphabet: &str, spec: &[&[(char, f32)]]) -> Vec<(char, f32, Seen)> {
    // Filler classes take the rest of each frame's mass, thinly, as the
    // thousands of classes of the real alphabet do.
    let alphabet: Arc<[char]> = alphabet.chars().chain((0..1000).filter_map(|i| char::from_u32(0xE000 + i))).collect();
    let classes = alphabet.len() + 1;
    let mut logp = vec![];
    for row in spec {
        let rest = (1.0 - row.iter().map(|r| r.1).sum::<f32>()).max(1e-6) / (classes - row.len()) as f32;
        for c in 0..classes {
            let ch = if c == 0 { '-' } else { alphabet[c - 1] };
            logp.push(row.iter().find(|r| r.0 == ch).map_or(rest, |r| r.1).ln());
        }
    }
    let decoded = super::ctc::greedy_decode(&logp, spec.len(), classes, classes);
    let frames = Arc::new(RegionFrames::new(&logp, spec.len(), classes, classes, alphabet.clone()));
    decoded.iter().zip(place(&frames, &decoded)).map(|(d, seen)| (alphabet[d.class - 1], d.confidence, seen)).collect()
}

/// [`fake_region`] for `read`, each character surely read in a frame of
/// its own with a blank after it, but those of `doubtful`: (index, its
/// confidence, the other characters the recogniser saw there).
#[cfg(test)]
pub(crate) fn fake_read(read: &str, doubtful: &[(usize, f32, &[(char, f32)])]) -> Vec<(char, f32, Seen)> {
    let mut alphabet: String = read.chars().collect();
    let mut rows: Vec<Vec<(char, f32)>> = vec![];
    for (i, ch) in read.chars().enumerate() {
        match doubtful.iter().find(|d| d.0 == i) {
            Some(&(_, p, others)) => {
                alphabet.extend(others.iter().map(|o| o.0));
                rows.push(std::iter::once((ch, p)).chain(others.iter().copied()).collect());
            }
            None => rows.push(vec![(ch, 0.99)]),
        }
        rows.push(vec![('-', 0.99)]);
    }
    let spec: Vec<&[(char, f32)]> = rows.iter().map(Vec::as_slice).collect();
    fake_region(&alphabet, &spec)
}

impl std::fmt::Debug for Seen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Seen({}..{} of {} frames)", self.lo, self.hi, self.frames.rows.len())
    }
}

impl PartialEq for Seen {
    fn eq(&self, other: &Seen) -> bool {
        self.same_region(other) && (self.lo, self.hi) == (other.lo, other.hi)
    }
}

/// The frames' best reading of a wanted value ([`spell`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Spelled {
    /// Per wanted character, its peak probability over the frames the
    /// path gives it (as a greedy character's confidence).
    pub peaks: Vec<f32>,
    /// How much less probable the path is than the greedy one, in nats
    /// (0: the frames read the value as it is).
    pub nats_below_greedy: f32,
}

/// The most probable CTC path through the frames of `chars` (characters
/// read in one region, in order) that spells `want`, character `k` being
/// any alphabet character that `same` maps to `want[k]` (the caller's
/// folding: NFKC, look-alikes). `None` when the characters are not of one
/// region, a wanted character was never seen there at [`KEEP_P`], or the
/// frames are too few.
pub fn spell(chars: &[&Seen], want: &[char], same: impl Fn(char) -> Option<char>) -> Option<Spelled> {
    let (first, last) = (chars.first()?, chars.last()?);
    if want.is_empty() || chars.iter().any(|c| !c.same_region(first)) {
        return None;
    }
    let region = &first.frames;
    let rows = &region.rows[first.lo as usize..(last.hi as usize).max(first.lo as usize)];
    // The classes the frames hold, as the wanted characters they fold to.
    let mut seen: Vec<u32> = rows.iter().flatten().map(|&(c, _)| c).filter(|&c| c != 0).collect();
    seen.sort_unstable();
    seen.dedup();
    let columns: Vec<u32> = std::iter::once(0).chain(seen.into_iter().filter(|&c| region.char_of(c).and_then(&same).is_some_and(|f| want.contains(&f)))).collect();
    let positions: Vec<Vec<usize>> =
        want.iter().map(|&w| (1..columns.len()).filter(|&j| region.char_of(columns[j]).and_then(&same) == Some(w)).collect()).collect();
    if positions.iter().any(Vec::is_empty) {
        return None;
    }
    // A small dense table over those columns, unkept entries at the floor.
    let (m, floor) = (columns.len(), KEEP_P.ln());
    let mut table = vec![floor; rows.len() * m];
    let mut greedy = 0.0;
    for (t, row) in rows.iter().enumerate() {
        greedy += row.iter().map(|&(_, lp)| lp).fold(f32::NEG_INFINITY, f32::max);
        for &(c, lp) in row {
            if let Some(j) = columns.iter().position(|&k| k == c) {
                table[t * m + j] = lp;
            }
        }
    }
    let (decoded, score) = super::ctc::constrained_decode(&table, rows.len(), m, &positions)?;
    Some(Spelled { peaks: decoded.iter().map(|d| d.confidence).collect(), nats_below_greedy: (greedy - score).max(0.0) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(c: char) -> Option<char> {
        Some(c)
    }

    /// Spells `want` through all the characters of a made-up region.
    fn spell_region(alphabet: &str, spec: &[&[(char, f32)]], want: &str) -> Option<Spelled> {
        let read = fake_region(alphabet, spec);
        let seen: Vec<&Seen> = read.iter().map(|r| &r.2).collect();
        spell(&seen, &want.chars().collect::<Vec<_>>(), same)
    }

    #[test]
    fn the_frames_spell_what_greedy_decoding_read_at_no_cost() {
        let s = spell_region("王琳", &[&[('王', 0.98)], &[('-', 0.98)], &[('琳', 0.97)], &[('-', 0.99)]], "王琳").unwrap();
        assert!(s.nats_below_greedy < 1e-4, "{s:?}");
        assert!(s.peaks[0] > 0.97 && s.peaks[1] > 0.96);
    }

    #[test]
    fn a_character_passed_over_is_found_faint_in_the_frames_after_the_last_one_read() {
        // 邱况 was read; 拈 shows at 0.04 after 况.
        let spec: &[&[(char, f32)]] = &[&[('邱', 0.99)], &[('-', 0.99)], &[('况', 0.98)], &[('-', 0.9), ('拈', 0.04)], &[('-', 0.99)]];
        let s = spell_region("邱况拈王", spec, "邱况拈").unwrap();
        assert!((s.peaks[2] - 0.04).abs() < 1e-3, "{s:?}");
        assert!(s.nats_below_greedy > 2.0 && s.nats_below_greedy < 4.0, "{s:?}");
        // A character never seen there cannot be spelled.
        assert_eq!(spell_region("邱况拈王", spec, "邱况王"), None);
    }

    #[test]
    fn a_character_read_surely_costs_much_when_the_value_leaves_it_out() {
        // 王琳琳 read surely (the blank between the two 琳 too) is not 王琳.
        let s = spell_region("王琳", &[&[('王', 0.999)], &[('琳', 0.999)], &[('-', 0.999)], &[('琳', 0.999)]], "王琳").unwrap();
        assert!(s.nats_below_greedy > 6.0, "{s:?}");
    }

    #[test]
    fn a_characters_alternatives_are_what_its_frames_saw_at_their_peaks() {
        let read = fake_read("2027", &[(3, 0.55, &[('1', 0.30), ('4', 0.004)])]);
        let alts = read[3].2.alternatives(0.01);
        assert_eq!(alts.iter().map(|a| a.0).collect::<String>(), "71");
        assert!((alts[1].1 - 0.30).abs() < 1e-3, "{alts:?}");
        // A character read surely saw nothing else.
        assert_eq!(read[0].2.alternatives(0.01).iter().map(|a| a.0).collect::<String>(), "2");
    }

    #[test]
    fn characters_of_two_regions_are_not_spelled_together() {
        let (a, b) = (fake_region("王", &[&[('王', 0.99)]]), fake_region("琳", &[&[('琳', 0.99)]]));
        assert_eq!(spell(&[&a[0].2, &b[0].2], &['王', '琳'], same), None);
    }
}
