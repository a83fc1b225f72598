//! The embedded OFL font subsets (`datasets/fonts/`) and text metrics.
//! Both the text-only path and the renderer measure text here, so their
//! layouts agree to the pixel.

use std::sync::OnceLock;

use ab_glyph::{Font as _, FontRef, PxScale, ScaleFont};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FontId {
    Sans,
    SansBold,
    Serif,
    Kai,
}

impl FontId {
    pub const ALL: [FontId; 4] = [FontId::Sans, FontId::SansBold, FontId::Serif, FontId::Kai];
    pub const BODY: [FontId; 3] = [FontId::Sans, FontId::Serif, FontId::Kai];

    pub fn file(self) -> &'static str {
        match self {
            FontId::Sans => "NotoSansSC-Regular.otf",
            FontId::SansBold => "NotoSansSC-Bold.otf",
            FontId::Serif => "NotoSerifSC-Regular.otf",
            FontId::Kai => "DajianKai-Regular.ttf",
        }
    }
}

static BYTES: [&[u8]; 4] = [
    include_bytes!("../../fonts/NotoSansSC-Regular.otf"),
    include_bytes!("../../fonts/NotoSansSC-Bold.otf"),
    include_bytes!("../../fonts/NotoSerifSC-Regular.otf"),
    include_bytes!("../../fonts/DajianKai-Regular.ttf"),
];

/// The font file as embedded (for writing it into a PDF).
pub fn bytes(id: FontId) -> &'static [u8] {
    BYTES[id as usize]
}

static FONTS: OnceLock<Vec<FontRef<'static>>> = OnceLock::new();

pub fn font(id: FontId) -> &'static FontRef<'static> {
    let fonts = FONTS.get_or_init(|| {
        BYTES.iter().map(|b| FontRef::try_from_slice(b).expect("embedded font parses")).collect()
    });
    &fonts[id as usize]
}

#[derive(Debug, thiserror::Error)]
#[error("font {font} has no glyph for '{ch}' (U+{code:04X}) in \"{text}\": add it to datasets/fonts/make_subsets.py's character set and rerun it")]
pub struct MissingGlyph {
    pub font: &'static str,
    pub ch: char,
    pub code: u32,
    pub text: String,
}

/// Fails if any character of `text` (other than spaces) is missing in the font.
pub fn check(id: FontId, text: &str) -> Result<(), MissingGlyph> {
    let f = font(id);
    for ch in text.chars() {
        if ch == ' ' || ch == '\u{3000}' {
            continue;
        }
        if f.glyph_id(ch).0 == 0 {
            return Err(MissingGlyph { font: id.file(), ch, code: ch as u32, text: text.to_string() });
        }
    }
    Ok(())
}

/// Advance widths of each character at `size` px.
pub fn advances(id: FontId, size: f32, text: &str) -> Vec<f32> {
    let f = font(id).as_scaled(PxScale::from(size));
    text.chars().map(|c| f.h_advance(f.glyph_id(c))).collect()
}

pub fn width(id: FontId, size: f32, text: &str) -> f32 {
    advances(id, size, text).iter().sum()
}

/// (ascent, descent) in px; descent is positive downwards.
pub fn vmetrics(id: FontId, size: f32) -> (f32, f32) {
    let f = font(id).as_scaled(PxScale::from(size));
    (f.ascent(), -f.descent())
}
