//! `dajian ocr IMAGE`: the page's lines as JSON `[{text, confidence, bbox}]`.

use std::path::Path;

use anyhow::Context;
use serde::Serialize;

use super::{OcrEngine, OcrParams, default_models_dir};
use crate::ingest::{DecodeLimits, decode_file};

/// An input the command cannot use (unreadable, not an image, over a limit):
/// the CLI exits 2 for it, as `report.md` wants for unusable input.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UnusableInput(pub String);

#[derive(Serialize)]
struct Line {
    text: String,
    confidence: f32,
    bbox: crate::BBox,
    /// Past the first page of a PDF or TIFF only.
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<u32>,
}

/// Reads `image` and returns the JSON the command prints. Errors about the
/// input are [`UnusableInput`] and name the file; others (models) are not.
pub fn run_ocr(image: &Path, models: Option<&Path>, params: OcrParams) -> anyhow::Result<String> {
    let name = image.display().to_string();
    let bytes = std::fs::read(image).map_err(|e| UnusableInput(format!("{name}: {e}")))?;
    let pages = decode_file(&bytes, &name, &DecodeLimits::default()).map_err(|e| UnusableInput(e.to_string()))?;
    let dir = models.map(Path::to_path_buf).unwrap_or_else(default_models_dir);
    let engine = OcrEngine::load(&dir, params)?;
    let mut lines: Vec<Line> = vec![];
    for page in &pages {
        let text = engine.read(page)?;
        lines.extend(text.lines.into_iter().map(|l| Line { text: l.text, confidence: l.confidence, bbox: l.bbox, page: (l.page > 1).then_some(l.page) }));
    }
    serde_json::to_string_pretty(&lines).context("serialising the lines")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unusable_input_is_reported_as_such_and_names_the_file() {
        let dir = std::env::temp_dir().join(format!("dajian-ocr-cli-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("notes.jpg");
        std::fs::write(&path, "not a picture").unwrap();
        let err = run_ocr(&path, None, OcrParams::default()).unwrap_err();
        let unusable = err.downcast_ref::<UnusableInput>().expect("classed as unusable input");
        assert!(unusable.0.contains("notes.jpg"), "{unusable}");
        let err = run_ocr(&dir.join("missing.png"), None, OcrParams::default()).unwrap_err();
        assert!(err.downcast_ref::<UnusableInput>().unwrap().0.contains("missing.png"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
