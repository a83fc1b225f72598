//! The character-level tokenizer: one token per character (after NFKC),
//! line breaks included, so a character's OCR box and confidence follow
//! its token and labels align without sub-word bookkeeping.
//!
//! Saved as a standard `tokenizer.json` (WordLevel vocabulary, NFKC
//! normaliser, a `Split` pre-tokenizer on `[\s\S]`, isolated) that the
//! `tokenizers` library loads in Rust and in Python alike. The regex is
//! `[\s\S]` and not `(?s).` because Python's build rejects the latter.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use tokenizers::models::wordlevel::WordLevel;
use tokenizers::normalizers::unicode::NFKC;
use tokenizers::pre_tokenizers::split::{Split, SplitPattern};
use tokenizers::{SplitDelimiterBehavior, Tokenizer};

/// Special tokens, in vocabulary order: padding 0, unknown 1, the page
/// token whose output classifies the page 2.
pub const PAD: &str = "[PAD]";
pub const UNK: &str = "[UNK]";
pub const CLS: &str = "[CLS]";

#[derive(Debug, thiserror::Error)]
#[error("tokenizer: {0}")]
pub struct TokenizerError(String);

fn err(e: impl std::fmt::Display) -> TokenizerError {
    TokenizerError(e.to_string())
}

/// A tokenizer over the special tokens and `chars` (NFKC-normalised, so
/// full-width and half-width forms share one entry).
pub fn build(chars: impl IntoIterator<Item = char>) -> Result<Tokenizer, TokenizerError> {
    let mut set = BTreeSet::new();
    for c in chars {
        for n in unicode_normalization::UnicodeNormalization::nfkc(c.to_string().as_str()) {
            set.insert(n);
        }
    }
    set.insert('\n');
    let mut vocab: HashMap<String, u32> = HashMap::new();
    for t in [PAD, UNK, CLS] {
        vocab.insert(t.to_string(), vocab.len() as u32);
    }
    for c in set {
        vocab.insert(c.to_string(), vocab.len() as u32);
    }
    let model = WordLevel::builder().vocab(vocab.into_iter().collect()).unk_token(UNK.to_string()).build().map_err(err)?;
    let mut tok = Tokenizer::new(model);
    tok.with_normalizer(Some(NFKC)).map_err(err)?;
    let split = Split::new(SplitPattern::Regex(r"[\s\S]".into()), SplitDelimiterBehavior::Isolated, false).map_err(err)?;
    tok.with_pre_tokenizer(Some(split));
    Ok(tok)
}

pub fn load(path: &Path) -> Result<Tokenizer, TokenizerError> {
    Tokenizer::from_file(path).map_err(|e| TokenizerError(format!("{}: {e}", path.display())))
}

/// Token ids of `text` with `[CLS]` in front, and for each token the char
/// index in `text` it came from (`None` for `[CLS]`).
pub fn encode(tok: &Tokenizer, text: &str) -> Result<(Vec<u32>, Vec<Option<usize>>), TokenizerError> {
    let enc = tok.encode_char_offsets(text, false).map_err(err)?;
    let cls = tok.token_to_id(CLS).ok_or_else(|| err("the vocabulary has no [CLS]"))?;
    let mut ids = vec![cls];
    let mut chars = vec![None];
    for (id, (start, _end)) in enc.get_ids().iter().zip(enc.get_offsets()) {
        ids.push(*id);
        chars.push(Some(*start));
    }
    Ok((ids, chars))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_character_is_one_token_mapped_back_to_its_position() {
        let tok = build("号牌码鲁H0123456789挂：:".chars()).unwrap();
        let text = "号牌号码：鲁H 6789挂\n码";
        let (ids, chars) = encode(&tok, text).unwrap();
        assert_eq!(ids.len(), text.chars().count() + 1);
        assert_eq!(ids[0], tok.token_to_id(CLS).unwrap());
        assert_eq!(chars[1..].iter().map(|c| c.unwrap()).collect::<Vec<_>>(), (0..text.chars().count()).collect::<Vec<_>>());
        // The full-width colon folds onto the ASCII one; the space is unknown.
        assert_eq!(ids[5], tok.token_to_id(":").unwrap());
        assert_eq!(ids[8], tok.token_to_id(UNK).unwrap());
        assert_eq!(ids[14], tok.token_to_id("\n").unwrap());
    }

    #[test]
    fn a_saved_tokenizer_loads_and_encodes_the_same() {
        let tok = build("车辆识别代号LZ0123456789".chars()).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tokenizer.json");
        tok.save(&path, false).unwrap();
        let again = load(&path).unwrap();
        let text = "车辆识别代号LZZ1";
        assert_eq!(encode(&tok, text).unwrap(), encode(&again, text).unwrap());
        assert_eq!(tok.get_vocab_size(true), again.get_vocab_size(true));
    }
}
