//! The OCR backend on candle: PP-OCR's three networks as native candle
//! modules, written as `candle-transformers` writes its models
//! (`load(vb, cfg)` / `forward`, weight names after PaddleOCR's module
//! tree), with the weights `models/ocr/build.py` converts from the same
//! ONNX files rten runs. On the CPU or, in a `cuda` build, a GPU.

pub mod cls;
pub mod det;
pub mod layers;
pub mod pplcnetv3;
pub mod rec;

use std::path::{Path, PathBuf};

use anyhow::Context;
use candle_core::{DType, Device, Module, Tensor};
use candle_nn::VarBuilder;
use rten_tensor::NdTensor;
use rten_tensor::prelude::*;

use super::backend::Nets;
use crate::extract::model::{DeviceSpec, device};

pub(crate) struct CandleNets {
    det: det::Model,
    rec: rec::Model,
    cls: cls::Model,
    device: Device,
}

impl CandleNets {
    pub(crate) fn load(dir: &Path, spec: DeviceSpec) -> Result<CandleNets, (PathBuf, String)> {
        let device = device(spec).map_err(|e| (dir.to_path_buf(), e.to_string()))?;
        let vb = |name: &str| -> Result<(VarBuilder<'static>, PathBuf), (PathBuf, String)> {
            let path = dir.join(name);
            if !path.exists() {
                return Err((path, "not found (models/ocr/build.py writes it)".into()));
            }
            // SAFETY: the file is memory-mapped read-only; dajian never writes
            // model files while running.
            let vb = unsafe { VarBuilder::from_mmaped_safetensors(&[&path], DType::F32, &device) }.map_err(|e| (path.clone(), e.to_string()))?;
            Ok((vb, path))
        };
        let (v, p) = vb("det.safetensors")?;
        let det = det::Model::load(v, &det::Config::default()).map_err(|e| (p, e.to_string()))?;
        let (v, p) = vb("rec.safetensors")?;
        let rec = rec::Model::load(v, &rec::Config::default()).map_err(|e| (p, e.to_string()))?;
        let (v, p) = vb("cls.safetensors")?;
        let cls = cls::Model::load(v, &cls::Config::default()).map_err(|e| (p, e.to_string()))?;
        Ok(CandleNets { det, rec, cls, device })
    }

    fn run<const N: usize>(&self, model: &impl Module, input: NdTensor<f32, 4>, what: &str) -> anyhow::Result<NdTensor<f32, N>> {
        let x = Tensor::from_vec(input.to_vec(), input.shape().to_vec(), &self.device).context(what.to_string())?;
        let y = model.forward(&x).context(what.to_string())?;
        let shape: [usize; N] = y.dims().try_into().with_context(|| format!("{what}: output of shape {:?}", y.dims()))?;
        let data = y.flatten_all()?.to_vec1::<f32>().context(what.to_string())?;
        Ok(NdTensor::from_data(shape, data))
    }
}

impl Nets for CandleNets {
    fn detect(&self, input: NdTensor<f32, 4>) -> anyhow::Result<NdTensor<f32, 4>> {
        self.run(&self.det, input, "text detection")
    }
    fn recognize(&self, input: NdTensor<f32, 4>) -> anyhow::Result<NdTensor<f32, 3>> {
        self.run(&self.rec, input, "text recognition")
    }
    fn classify(&self, input: NdTensor<f32, 4>) -> anyhow::Result<NdTensor<f32, 2>> {
        self.run(&self.cls, input, "line orientation")
    }
}

#[cfg(test)]
mod tests {
    //! Agreement with rten on the same weights, on committed inputs: the
    //! demo business licence (a photographed card), scaled down for the
    //! detector and cut into line crops for the recogniser and classifier.
    use image::imageops::FilterType;

    use super::*;
    use crate::ocr::OcrBackend;
    use crate::ocr::backend;

    fn nets(b: OcrBackend) -> Box<dyn Nets> {
        backend::load(&crate::ocr::default_models_dir(), b, DeviceSpec::Cpu).unwrap_or_else(|(p, e)| panic!("{}: {e}", p.display()))
    }

    fn page() -> image::GrayImage {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/clean/business_licence.jpg");
        image::open(path).unwrap().to_luma8()
    }

    /// `grey` as the networks take it: `[1, 1, h, w]`, `x/255 − 0.5`.
    fn input(grey: &image::GrayImage) -> NdTensor<f32, 4> {
        let data: Vec<f32> = grey.as_raw().iter().map(|&v| v as f32 / 255.0 - 0.5).collect();
        NdTensor::from_data([1, 1, grey.height() as usize, grey.width() as usize], data)
    }

    /// `n` crops 48 high and `w` wide from rows of the page, as a batch.
    fn crops(n: usize, w: u32) -> NdTensor<f32, 4> {
        let page = page();
        let mut data = vec![];
        for i in 0..n as u32 {
            // Rows with print on the demo licence: the name, type and scope lines.
            let y = [446, 511, 572, 634][i as usize % 4];
            let crop = image::imageops::crop_imm(&page, 120 + 40 * i, y - 4, (6 * w).min(1400), 40).to_image();
            let crop = image::imageops::resize(&crop, w, 48, FilterType::Triangle);
            data.extend(crop.as_raw().iter().map(|&v| v as f32 / 255.0 - 0.5));
        }
        NdTensor::from_data([n, 1, 48, w as usize], data)
    }

    fn max_diff(a: &[f32], b: &[f32]) -> f32 {
        assert_eq!(a.len(), b.len());
        a.iter().zip(b).map(|(x, y)| (x - y).abs()).fold(0.0, f32::max)
    }

    #[test]
    fn the_detector_gives_rtens_probability_map_within_a_thousandth() {
        let grey = image::imageops::resize(&page(), 480, 320, FilterType::Triangle);
        let (a, b) = (nets(OcrBackend::Rten).detect(input(&grey)).unwrap(), nets(OcrBackend::Candle).detect(input(&grey)).unwrap());
        assert_eq!(a.shape(), b.shape());
        let d = max_diff(&a.to_vec(), &b.to_vec());
        assert!(d < 1e-3, "largest difference {d}");
    }

    #[test]
    fn the_recogniser_gives_rtens_log_probabilities_and_the_same_best_class_per_frame() {
        let x = crops(3, 256);
        let (a, b) = (nets(OcrBackend::Rten).recognize(x.clone()).unwrap(), nets(OcrBackend::Candle).recognize(x).unwrap());
        assert_eq!(a.shape(), b.shape());
        let [t, n, c] = a.shape();
        let (a, b) = (a.to_vec(), b.to_vec());
        let mut worst = 0f32;
        for frame in 0..t * n {
            let (fa, fb) = (&a[frame * c..(frame + 1) * c], &b[frame * c..(frame + 1) * c]);
            let best = |f: &[f32]| f.iter().enumerate().max_by(|x, y| x.1.total_cmp(y.1)).unwrap().0;
            assert_eq!(best(fa), best(fb), "frame {frame}");
            // Where the probability is not negligible; far below it both
            // are log(1e-12 + tiny) and rounding dominates.
            for (x, y) in fa.iter().zip(fb) {
                if *x > -9.0 {
                    worst = worst.max((x - y).abs());
                }
            }
        }
        assert!(worst < 1e-2, "largest log-probability difference {worst}");
    }

    #[test]
    fn the_classifier_gives_rtens_orientation_probabilities_within_a_ten_thousandth() {
        let x = crops(4, 192);
        let (a, b) = (nets(OcrBackend::Rten).classify(x.clone()).unwrap(), nets(OcrBackend::Candle).classify(x).unwrap());
        assert_eq!(a.shape(), [4, 2]);
        let d = max_diff(&a.to_vec(), &b.to_vec());
        assert!(d < 1e-4, "largest difference {d}");
    }
}
