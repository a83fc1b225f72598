//! Codes read by their grammar: a plate (GA 36), a VIN (GB 16735), a USCC
//! (GB 32100) or an ID number (GB 11643) decoded from the recogniser's
//! output with only the classes the grammar allows at each position
//! ([`super::ctc::constrained_decode`]). Where greedy decoding reads `I`
//! for `1` in a plate (which has no I), the constrained reading takes the
//! best class the grammar allows, with the probability the recogniser gave
//! it, so a position it did not see clearly stays doubtful. A reading the
//! grammar cannot produce (a failed check digit) is not taken.

use crate::types::{Code, PROVINCES};

/// Every shape `code` takes, each as the classes (alphabet index + 1; 0 is
/// the CTC blank) allowed at each position.
pub(crate) fn templates(code: Code, alphabet: &[char]) -> Vec<Vec<Vec<usize>>> {
    let set = |chars: &mut dyn Iterator<Item = char>| -> Vec<usize> {
        let mut v: Vec<usize> = chars.filter_map(|c| alphabet.iter().position(|&a| a == c).map(|i| i + 1)).collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let digits = set(&mut ('0'..='9'));
    let letters_no_io = set(&mut ('A'..='Z').filter(|c| !matches!(c, 'I' | 'O')));
    let alnum_no_io = set(&mut ('0'..='9').chain(('A'..='Z').filter(|c| !matches!(c, 'I' | 'O'))));
    match code {
        Code::Plate => {
            let province = set(&mut PROVINCES.chars());
            let head = vec![province, letters_no_io];
            let de = set(&mut "DF".chars());
            let gua = set(&mut "挂".chars());
            let with = |tail: Vec<Vec<usize>>| head.iter().cloned().chain(tail).collect::<Vec<_>>();
            vec![
                with(vec![alnum_no_io.clone(); 5]),
                with([vec![alnum_no_io.clone(); 4], vec![gua]].concat()),
                with([vec![de.clone()], vec![alnum_no_io.clone(); 5]].concat()),
                with([vec![digits.clone(); 5], vec![de]].concat()),
            ]
        }
        Code::TrailerPlate => {
            let mut shapes = templates(Code::Plate, alphabet);
            shapes.retain(|t| t.last().is_some_and(|c| c.len() == 1 && alphabet.get(c[0] - 1) == Some(&'挂')));
            shapes
        }
        Code::Vin => vec![vec![set(&mut ('0'..='9').chain(('A'..='Z').filter(|c| !matches!(c, 'I' | 'O' | 'Q')))); 17]],
        Code::Uscc => vec![vec![set(&mut "0123456789ABCDEFGHJKLMNPQRTUWXY".chars()); 18]],
        Code::IdNumber => vec![[vec![digits.clone(); 17], vec![set(&mut ('0'..='9').chain(['X']))]].concat()],
    }
}

/// The code a line-shaped crop's greedy reading suggests: a plate when,
/// without its separator, it is 6 to 9 characters, at least five of them
/// Latin letters or digits (a plate photo read as `皖A·O5279`).
pub fn suggested_by(text: &str) -> Option<Code> {
    let t: Vec<char> = text.chars().filter(|c| !c.is_whitespace() && !"·•-:：.".contains(*c)).collect();
    let alnum = t.iter().filter(|c| c.is_ascii_alphanumeric()).count();
    ((6..=9).contains(&t.len()) && alnum >= 5).then_some(Code::Plate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plate_has_four_shapes_and_no_i_or_o_after_its_province() {
        let alphabet: Vec<char> = "鲁皖挂0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ·".chars().collect();
        let t = templates(Code::Plate, &alphabet);
        assert_eq!(t.iter().map(Vec::len).collect::<Vec<_>>(), [7, 7, 8, 8]);
        let class = |c: char| alphabet.iter().position(|&a| a == c).unwrap() + 1;
        assert_eq!(t[0][0], [class('鲁'), class('皖')]);
        assert!(!t[0][3].contains(&class('I')) && !t[0][3].contains(&class('O')) && t[0][3].contains(&class('Q')));
        assert_eq!(t[1][6], [class('挂')]);
        assert!(!templates(Code::Vin, &alphabet)[0][0].contains(&class('Q')));
        // A trailer's plate has one shape: the ordinary one with 挂 last.
        assert_eq!(templates(Code::TrailerPlate, &alphabet), [t[1].clone()]);
        assert!(Code::TrailerPlate.check("鲁J4549挂").is_ok() && Code::TrailerPlate.check("鲁J45491").is_err());
    }

    #[test]
    fn a_plate_like_reading_suggests_the_plate_grammar_and_a_word_does_not() {
        assert_eq!(suggested_by("皖A·O5279"), Some(Code::Plate));
        assert_eq!(suggested_by("皖A-NP523"), Some(Code::Plate));
        assert_eq!(suggested_by("合肥城泊"), None);
        assert_eq!(suggested_by("LA9LB3D37KBJXC012"), None);
        assert!(Code::Plate.check("皖A05279").is_ok() && Code::Plate.check("皖AO5279").is_err());
    }
}
