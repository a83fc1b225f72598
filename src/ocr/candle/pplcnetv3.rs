//! PaddleOCR's PPLCNetV3 backbone (`ppocr/modeling/backbones/rec_lcnetv3.py`),
//! shared by the detector (`det` variant: square strides, four stage
//! outputs) and the recogniser (rec variant: height-only and width-only
//! strides, the last stage's output). Weight names:
//! `conv1`, `blocks<s>.<i>.{dw_conv,se,pw_conv}` as in PaddleOCR.
//!
//! `models/ocr/build.py` simplified the graphs: every re-parameterised
//! LearnableRepLayer is one convolution with its batch norms and inner
//! affine block folded in, and an activation's affine block ("lab") was
//! folded into the next convolution when that is an unpadded 1×1 one.
//! Where it could not be (a padded depthwise convolution, an SE layer or a
//! pooling reads it) it is kept as two scalars, `…act.lab.{scale,bias}`.
//! Which ones remain follows from the network's shape
//! ([`LCNetV3Block::load`]), so loading asks for exactly those.

use candle_core::{Module, Result, Tensor};
use candle_nn::VarBuilder;

use super::layers::{Conv, hard_sigmoid, hard_swish};

/// One `LCNetV3Block`, channels as the graph has them (already scaled):
/// depthwise `kernel`×`kernel` convolution with `stride` `(h, w)`, optional
/// SE layer, pointwise convolution.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BlockConfig {
    pub kernel: usize,
    pub in_channels: usize,
    pub out_channels: usize,
    pub stride: (usize, usize),
    pub use_se: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Output channels of the stem (`conv1`, 3×3 stride 2).
    pub stem_channels: usize,
    /// The stages, named `blocks2`, `blocks3`, … in order.
    pub stages: Vec<Vec<BlockConfig>>,
    /// SE layer channel reduction (4).
    pub se_reduction: usize,
    /// Whether the last block's pointwise activation keeps its affine
    /// pair: folded away in the detector (an unpadded 1×1 `layer_list`
    /// conv reads it), kept in the recogniser (the pooling reads it).
    pub last_lab: bool,
}

/// PaddleOCR's `LearnableAffineBlock`: `scale · x + bias`, two learnt
/// scalars, read once at load so the forward is one `affine` pass.
#[derive(Debug, Clone, Copy)]
pub struct LearnableAffineBlock {
    scale: f64,
    bias: f64,
}

impl LearnableAffineBlock {
    pub fn load(vb: VarBuilder) -> Result<Self> {
        let scalar = |name: &str| -> Result<f64> { Ok(vb.get(1, name)?.to_vec1::<f32>()?[0] as f64) };
        Ok(Self { scale: scalar("scale")?, bias: scalar("bias")? })
    }
}

impl Module for LearnableAffineBlock {
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        x.affine(self.scale, self.bias)
    }
}

/// `LearnableRepLayer` after re-parameterisation: one convolution, then
/// `act` = hardswish and its affine block (`act.lab`, where build.py left
/// it). PaddleOCR skips the activation when the stride is the integer 2,
/// i.e. the detector's `(2, 2)`; the recogniser's `(2, 1)` is activated.
#[derive(Debug, Clone)]
pub struct LearnableRepLayer {
    conv: Conv,
    act: bool,
    lab: Option<LearnableAffineBlock>,
}

impl LearnableRepLayer {
    fn load(vb: VarBuilder, cin: usize, cout: usize, kernel: usize, stride: (usize, usize), groups: usize, with_lab: bool) -> Result<Self> {
        let act = stride != (2, 2);
        let lab = if act && with_lab { Some(LearnableAffineBlock::load(vb.pp("act").pp("lab"))?) } else { None };
        Ok(Self { conv: Conv::same(vb, cin, cout, (kernel, kernel), stride, groups)?, act, lab })
    }
}

impl Module for LearnableRepLayer {
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        let x = self.conv.forward(x)?;
        if !self.act {
            return Ok(x);
        }
        let x = hard_swish(&x)?;
        match &self.lab {
            Some(lab) => lab.forward(&x),
            None => Ok(x),
        }
    }
}

/// Squeeze-and-excitation: `x · hardsigmoid(conv2(relu(conv1(avgpool(x)))))`.
/// The backbone's `SELayer` uses `paddle.nn.Hardsigmoid` (slope 0.1666667
/// in float32, one ulp from the hardswish gate's 1/6); the detector neck's
/// `SEModule` is the same with slope 0.2.
#[derive(Debug, Clone)]
pub struct SELayer {
    conv1: Conv,
    conv2: Conv,
    slope: f64,
}

/// `paddle.nn.Hardsigmoid`'s slope, as the graphs hold it.
pub const PADDLE_HARDSIGMOID_SLOPE: f64 = 0.1666667;

impl SELayer {
    pub fn load(vb: VarBuilder, channels: usize, reduction: usize, slope: f64) -> Result<Self> {
        Ok(Self {
            conv1: Conv::same(vb.pp("conv1"), channels, channels / reduction, (1, 1), (1, 1), 1)?,
            conv2: Conv::same(vb.pp("conv2"), channels / reduction, channels, (1, 1), (1, 1), 1)?,
            slope,
        })
    }
}

impl Module for SELayer {
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        let s = self.conv1.forward(&x.mean_keepdim((2, 3))?)?.relu()?;
        let s = hard_sigmoid(&self.conv2.forward(&s)?, self.slope, 0.5)?;
        x.broadcast_mul(&s)
    }
}

#[derive(Debug, Clone)]
pub struct LCNetV3Block {
    dw_conv: LearnableRepLayer,
    se: Option<SELayer>,
    pw_conv: LearnableRepLayer,
}

impl LCNetV3Block {
    /// Which affine pairs build.py left: the dw_conv's only where an SE
    /// layer (not the 1×1 pw_conv) reads it; the pw_conv's when a padded
    /// depthwise conv or the pooling reads it: always but in the detector's
    /// last block (`pw_lab`).
    pub fn load(vb: VarBuilder, cfg: &BlockConfig, se_reduction: usize, pw_lab: bool) -> Result<Self> {
        let (k, cin, cout) = (cfg.kernel, cfg.in_channels, cfg.out_channels);
        let dw_conv = LearnableRepLayer::load(vb.pp("dw_conv"), cin, cin, k, cfg.stride, cin, cfg.use_se)?;
        let se = if cfg.use_se { Some(SELayer::load(vb.pp("se"), cin, se_reduction, PADDLE_HARDSIGMOID_SLOPE)?) } else { None };
        let pw_conv = LearnableRepLayer::load(vb.pp("pw_conv"), cin, cout, 1, (1, 1), 1, pw_lab)?;
        Ok(Self { dw_conv, se, pw_conv })
    }
}

impl Module for LCNetV3Block {
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        let mut x = self.dw_conv.forward(x)?;
        if let Some(se) = &self.se {
            x = se.forward(&x)?;
        }
        self.pw_conv.forward(&x)
    }
}

/// The stem and the stages; each variant takes what it needs from
/// [`PPLCNetV3::forward_stages`].
#[derive(Debug, Clone)]
pub struct PPLCNetV3 {
    conv1: Conv,
    stages: Vec<Vec<LCNetV3Block>>,
}

impl PPLCNetV3 {
    pub fn load(vb: VarBuilder, cfg: &Config) -> Result<Self> {
        // The stem is a ConvBNLayer without activation on 3 colour channels
        // in PaddleOCR; build.py folded the grey → RGB copy, PP-OCR's ×2
        // scaling and the batch norm into one 1-channel convolution.
        let conv1 = Conv::same(vb.pp("conv1"), 1, cfg.stem_channels, (3, 3), (2, 2), 1)?;
        let mut c = cfg.stem_channels;
        let mut stages = Vec::with_capacity(cfg.stages.len());
        for (s, blocks) in cfg.stages.iter().enumerate() {
            let vs = vb.pp(format!("blocks{}", s + 2));
            let mut stage = Vec::with_capacity(blocks.len());
            for (i, b) in blocks.iter().enumerate() {
                if b.in_channels != c {
                    candle_core::bail!("blocks{}.{i}: takes {} channels, gets {c}", s + 2, b.in_channels);
                }
                let last = s + 1 == cfg.stages.len() && i + 1 == blocks.len();
                stage.push(LCNetV3Block::load(vs.pp(i), b, cfg.se_reduction, !last || cfg.last_lab)?);
                c = b.out_channels;
            }
            stages.push(stage);
        }
        Ok(Self { conv1, stages })
    }

    /// The output of every stage, `blocks2` first.
    pub fn forward_stages(&self, x: &Tensor) -> Result<Vec<Tensor>> {
        let mut x = self.conv1.forward(x)?;
        let mut outs = Vec::with_capacity(self.stages.len());
        for stage in &self.stages {
            for block in stage {
                x = block.forward(&x)?;
            }
            outs.push(x.clone());
        }
        Ok(outs)
    }
}
