//! Which engine runs the three OCR networks. Everything around them
//! (scaling, tiling, seals, orientation, CTC decoding, confidences) is the
//! OCR stage's and shared; a backend only turns one input tensor into one
//! output tensor per network, with the contract of `models/ocr/MODEL_CARD.md`:
//!
//! | network | input | output |
//! |---|---|---|
//! | detector | `[1, 1, H, W]` grey `x/255 − 0.5`, sides multiples of 32 | `[1, 1, H, W]` text probability |
//! | recogniser | `[N, 1, 48, W]`, `W` a multiple of 8 | `[W/8, N, 6625]` log-probabilities |
//! | classifier | `[N, 1, 48, 192]` | `[N, 2]` P(0°), P(180°) |
//!
//! - **rten** (default): the ONNX files, on the CPU; rten has no GPU.
//! - **candle**: the same weights as safetensors in native candle modules
//!   ([`super::candle`]), on the CPU or, in a `cuda` build, a GPU.

use std::path::Path;

use anyhow::{Context, anyhow};
use rten::Dimension;
use rten_tensor::NdTensor;
use rten_tensor::prelude::*;

use crate::extract::model::DeviceSpec;

/// `--ocr-backend` / `DAJIAN_OCR_BACKEND`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OcrBackend {
    #[default]
    Rten,
    Candle,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("--ocr-backend {0}: expected rten or candle")]
pub struct UnknownBackend(String);

impl OcrBackend {
    pub fn parse(s: &str) -> Result<OcrBackend, UnknownBackend> {
        match s {
            "rten" => Ok(OcrBackend::Rten),
            "candle" => Ok(OcrBackend::Candle),
            _ => Err(UnknownBackend(s.into())),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            OcrBackend::Rten => "rten",
            OcrBackend::Candle => "candle",
        }
    }

    /// The files this backend loads from a models directory, besides
    /// `alphabet.txt`: detector, recogniser, classifier.
    pub fn files(self) -> [&'static str; 3] {
        match self {
            OcrBackend::Rten => ["det.onnx", "rec.onnx", "cls.onnx"],
            OcrBackend::Candle => ["det.safetensors", "rec.safetensors", "cls.safetensors"],
        }
    }
}

impl std::fmt::Display for OcrBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The three networks of one backend.
pub(crate) trait Nets: Send + Sync {
    fn detect(&self, input: NdTensor<f32, 4>) -> anyhow::Result<NdTensor<f32, 4>>;
    fn recognize(&self, input: NdTensor<f32, 4>) -> anyhow::Result<NdTensor<f32, 3>>;
    fn classify(&self, input: NdTensor<f32, 4>) -> anyhow::Result<NdTensor<f32, 2>>;
    /// The most pages one `detect` call takes, where the network fixes it.
    fn detect_batch_limit(&self) -> Option<usize> {
        None
    }
}

/// Loads `backend`'s networks from `dir`; `Err((file, reason))` names the
/// file that failed.
pub(crate) fn load(dir: &Path, backend: OcrBackend, device: DeviceSpec) -> Result<Box<dyn Nets>, (std::path::PathBuf, String)> {
    match backend {
        OcrBackend::Rten => Ok(Box::new(RtenNets::load(dir)?)),
        OcrBackend::Candle => Ok(Box::new(super::candle::CandleNets::load(dir, device)?)),
    }
}

/// The ONNX files run by rten, on the CPU pool of the calling thread's
/// slot ([`crate::par::model_run_options`]).
struct RtenNets {
    det: rten::Model,
    rec: rten::Model,
    cls: rten::Model,
}

impl RtenNets {
    fn load(dir: &Path) -> Result<RtenNets, (std::path::PathBuf, String)> {
        let model = |name: &str| {
            let path = dir.join(name);
            rten::Model::load_file(&path).map_err(|e| (path, e.to_string()))
        };
        let det = model("det.onnx")?;
        check_dynamic_input(&det).map_err(|e| (dir.join("det.onnx"), e.to_string()))?;
        Ok(RtenNets { det, rec: model("rec.onnx")?, cls: model("cls.onnx")? })
    }

    fn run<const N: usize>(model: &rten::Model, input: NdTensor<f32, 4>, what: &str) -> anyhow::Result<NdTensor<f32, N>> {
        let out = model.run_one(input.view().into(), crate::par::model_run_options()).context(what.to_string())?;
        out.try_into().with_context(|| format!("{what}: output is not {N}-dimensional"))
    }
}

/// The model's input height and width must be dynamic: dajian chooses the
/// scale per page. (ocrs's `detect_text_pixels` wants them fixed and pads
/// every page to that size: a card cost 2–3× what it needs.)
fn check_dynamic_input(model: &rten::Model) -> anyhow::Result<()> {
    let id = *model.input_ids().first().ok_or_else(|| anyhow!("the detection model has no input"))?;
    let shape = model.node_info(id).and_then(|i| i.shape()).ok_or_else(|| anyhow!("no input shape"))?;
    if let [_, _, Dimension::Fixed(h), Dimension::Fixed(w)] = shape[..] {
        return Err(anyhow!("the detection model's input is fixed at {h}×{w}; dajian needs dynamic height and width (rebuild with models/ocr/build.py)"));
    }
    Ok(())
}

impl Nets for RtenNets {
    fn detect(&self, input: NdTensor<f32, 4>) -> anyhow::Result<NdTensor<f32, 4>> {
        Self::run(&self.det, input, "text detection")
    }
    fn recognize(&self, input: NdTensor<f32, 4>) -> anyhow::Result<NdTensor<f32, 3>> {
        Self::run(&self.rec, input, "text recognition")
    }
    fn classify(&self, input: NdTensor<f32, 4>) -> anyhow::Result<NdTensor<f32, 2>> {
        Self::run(&self.cls, input, "line orientation")
    }
    fn detect_batch_limit(&self) -> Option<usize> {
        // The ONNX detector is exported with a batch of one page.
        Some(1)
    }
}
