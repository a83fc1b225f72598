//! The text-line recogniser, PP-OCRv4 rec ("SVTR-LCNet"), in candle:
//! PaddleOCR's `PPLCNetV3` backbone (rec variant), then the CTC branch of
//! its `MultiHead`: `SequenceEncoder` = `EncoderWithSVTR` (convolutions
//! around two transformer blocks) + `Im2Seq`, and `CTCHead` (one Linear).
//! `models/ocr/build.py` appended `Log(softmax + 1e-12)` and a transpose to
//! `[T, N, classes]`; [`Model::forward`] does the same, so its output is
//! `rec.onnx`'s.
//!
//! Weights: `rec.safetensors`, written from `rec.onnx` by `models/ocr/candle_weights/rec.py`,
//! named after PaddleOCR's module tree (`backbone.blocks6.0.dw_conv.weight`,
//! `head.ctc_encoder.encoder.svtr_block.0.mixer.qkv.weight`,
//! `head.ctc_head.fc.weight`, …). Batch norms, the re-parameterised conv
//! branches and most "learnable affine" scale/bias pairs are already folded
//! into the convolutions, so every convolution is weight + bias.
//!
//! Input `[N, 1, 48, W]` grey `x/255 − 0.5` (W a multiple of 8); output
//! `[W/8, N, 6625]` log-probabilities, class 0 the CTC blank.

use candle_core::{Module, Result, Tensor};
use candle_nn::{LayerNorm, Linear, VarBuilder};

use super::layers::{Conv, SoftmaxFc};
use super::pplcnetv3::{self, BlockConfig};

/// A block of the backbone's table (the rec variant strides height only,
/// `(2, 1)`, or width only, `(1, 2)`).
const fn block(kernel: usize, in_channels: usize, out_channels: usize, stride: (usize, usize), use_se: bool) -> BlockConfig {
    BlockConfig { kernel, in_channels, out_channels, stride, use_se }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Output channels of the stem (`backbone.conv1`, 3×3 stride 2).
    pub stem_channels: usize,
    /// The backbone's stages, named `blocks2`, `blocks3`, … in order.
    pub stages: Vec<Vec<BlockConfig>>,
    /// SE module channel reduction.
    pub se_reduction: usize,
    /// The backbone's final average pooling (kernel = stride), `(h, w)`.
    pub pool: (usize, usize),
    /// `EncoderWithSVTR`: kernel of `conv1` and `conv4`, `(h, w)`.
    pub encoder_kernel: (usize, usize),
    /// `EncoderWithSVTR.dims`: output channels of `conv1x1`.
    pub encoder_dims: usize,
    /// `EncoderWithSVTR.hidden_dims`: width of the transformer blocks.
    pub hidden_dims: usize,
    /// Number of transformer blocks (`svtr_block.<j>`).
    pub depth: usize,
    pub num_heads: usize,
    /// Hidden width of each block's MLP (`hidden_dims · mlp_ratio`).
    pub mlp_hidden: usize,
    /// LayerNorm epsilon inside the blocks, and of the final `norm`.
    pub block_eps: f64,
    pub norm_eps: f64,
    /// CTC classes, blank included.
    pub num_classes: usize,
    /// Added to the softmax before the Log (build.py's adapter), so a
    /// probability that underflows to 0 gives log(1e-12), not −∞.
    pub log_eps: f64,
}

impl Default for Config {
    /// The shipped PP-OCRv4 Chinese recogniser (channel counts as in
    /// `rec.onnx`; `models/ocr/candle_weights/rec.py` asserts the same table).
    fn default() -> Self {
        Config {
            stem_channels: 16,
            stages: vec![
                vec![block(3, 16, 32, (1, 1), false)],
                vec![block(3, 32, 64, (1, 1), false), block(3, 64, 64, (1, 1), false)],
                vec![block(3, 64, 128, (2, 1), false), block(3, 128, 128, (1, 1), false)],
                vec![
                    block(3, 128, 240, (1, 2), false),
                    block(5, 240, 240, (1, 1), false),
                    block(5, 240, 240, (1, 1), false),
                    block(5, 240, 240, (1, 1), false),
                    block(5, 240, 240, (1, 1), false),
                ],
                vec![block(5, 240, 480, (2, 1), true), block(5, 480, 480, (1, 1), true), block(5, 480, 480, (2, 1), false), block(5, 480, 480, (1, 1), false)],
            ],
            se_reduction: 4,
            pool: (3, 2),
            encoder_kernel: (1, 3),
            encoder_dims: 120,
            hidden_dims: 120,
            depth: 2,
            num_heads: 8,
            mlp_hidden: 240,
            block_eps: 1e-5,
            norm_eps: 1e-6,
            num_classes: 6625,
            log_eps: 1e-12,
        }
    }
}

impl Config {
    /// Channels leaving the backbone (= `EncoderWithSVTR.in_channels`).
    pub fn backbone_channels(&self) -> usize {
        self.stages.last().and_then(|s| s.last()).map_or(self.stem_channels, |b| b.out_channels)
    }
}

/// PaddleOCR's `PPLCNetV3` for recognition ([`super::pplcnetv3`]): stem,
/// five stages, and (at inference) `avg_pool2d(x, [3, 2])`, which takes
/// the 3-high feature map to one row: `[N, 480, 1, W/8]`.
#[derive(Debug, Clone)]
pub struct PPLCNetV3 {
    net: pplcnetv3::PPLCNetV3,
    pool: (usize, usize),
}

impl PPLCNetV3 {
    pub fn load(vb: VarBuilder, cfg: &Config) -> Result<Self> {
        let net_cfg = pplcnetv3::Config { stem_channels: cfg.stem_channels, stages: cfg.stages.clone(), se_reduction: cfg.se_reduction, last_lab: true };
        Ok(Self { net: pplcnetv3::PPLCNetV3::load(vb, &net_cfg)?, pool: cfg.pool })
    }
}

impl Module for PPLCNetV3 {
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        let x = self.net.forward_stages(x)?.pop().expect("the backbone has stages");
        x.avg_pool2d_with_stride(self.pool, self.pool)
    }
}

/// SVTR's `ConvBNLayer` with `act=nn.Swish`: convolution (batch norm folded
/// in), then `x · sigmoid(x)`.
#[derive(Debug, Clone)]
pub struct ConvBNLayer {
    conv: Conv,
}

impl ConvBNLayer {
    fn load(vb: VarBuilder, cin: usize, cout: usize, kernel: (usize, usize)) -> Result<Self> {
        Ok(Self { conv: Conv::same(vb, cin, cout, kernel, (1, 1), 1)? })
    }
}

impl Module for ConvBNLayer {
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        self.conv.forward(x)?.silu()
    }
}

/// SVTR's global-mixing `Attention`: fused qkv projection, scaled
/// dot-product attention over the whole sequence, output projection.
#[derive(Debug, Clone)]
pub struct Attention {
    qkv: Linear,
    proj: Linear,
    num_heads: usize,
    scale: f64,
}

impl Attention {
    pub fn load(vb: VarBuilder, dim: usize, num_heads: usize) -> Result<Self> {
        Ok(Self {
            qkv: candle_nn::linear(dim, 3 * dim, vb.pp("qkv"))?,
            proj: candle_nn::linear(dim, dim, vb.pp("proj"))?,
            num_heads,
            scale: ((dim / num_heads) as f64).powf(-0.5),
        })
    }
}

impl Module for Attention {
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        let (b, n, c) = x.dims3()?;
        let h = self.num_heads;
        // [B, N, 3C] → [3, B, heads, N, head_dim], as Paddle's
        // reshape([0, -1, 3, heads, hd]).transpose([2, 0, 3, 1, 4]).
        let qkv = self.qkv.forward(x)?.reshape((b, n, 3, h, c / h))?.permute((2, 0, 3, 1, 4))?;
        let q = (qkv.get(0)?.contiguous()? * self.scale)?;
        let k = qkv.get(1)?.contiguous()?;
        let v = qkv.get(2)?.contiguous()?;
        let att = candle_nn::ops::softmax_last_dim(&q.matmul(&k.t()?)?)?;
        let y = att.matmul(&v)?.transpose(1, 2)?.reshape((b, n, c))?;
        self.proj.forward(&y)
    }
}

/// SVTR's `Mlp`: Linear, Swish, Linear.
#[derive(Debug, Clone)]
pub struct Mlp {
    fc1: Linear,
    fc2: Linear,
}

impl Mlp {
    pub fn load(vb: VarBuilder, dim: usize, hidden: usize) -> Result<Self> {
        Ok(Self { fc1: candle_nn::linear(dim, hidden, vb.pp("fc1"))?, fc2: candle_nn::linear(hidden, dim, vb.pp("fc2"))? })
    }
}

impl Module for Mlp {
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        self.fc2.forward(&self.fc1.forward(x)?.silu()?)
    }
}

/// SVTR's transformer `Block` with `prenorm=False`, which (despite the
/// name) normalises before each sub-layer: `x + mixer(norm1(x))`, then
/// `x + mlp(norm2(x))`.
#[derive(Debug, Clone)]
pub struct Block {
    norm1: LayerNorm,
    mixer: Attention,
    norm2: LayerNorm,
    mlp: Mlp,
}

impl Block {
    pub fn load(vb: VarBuilder, cfg: &Config) -> Result<Self> {
        let d = cfg.hidden_dims;
        Ok(Self {
            norm1: candle_nn::layer_norm(d, cfg.block_eps, vb.pp("norm1"))?,
            mixer: Attention::load(vb.pp("mixer"), d, cfg.num_heads)?,
            norm2: candle_nn::layer_norm(d, cfg.block_eps, vb.pp("norm2"))?,
            mlp: Mlp::load(vb.pp("mlp"), d, cfg.mlp_hidden)?,
        })
    }
}

impl Module for Block {
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        let x = (x + self.mixer.forward(&self.norm1.forward(x)?)?)?;
        &x + self.mlp.forward(&self.norm2.forward(&x)?)?
    }
}

/// PaddleOCR's `EncoderWithSVTR` (`head.ctc_encoder.encoder`): conv1,
/// conv2 down to `hidden_dims`, the transformer blocks over the flattened
/// feature map, `norm`, conv3 back to the input's channels, concatenation
/// with the input (shortcut), conv4, conv1x1.
#[derive(Debug, Clone)]
pub struct EncoderWithSVTR {
    conv1: ConvBNLayer,
    conv2: ConvBNLayer,
    svtr_block: Vec<Block>,
    norm: LayerNorm,
    conv3: ConvBNLayer,
    conv4: ConvBNLayer,
    conv1x1: ConvBNLayer,
}

impl EncoderWithSVTR {
    pub fn load(vb: VarBuilder, cfg: &Config) -> Result<Self> {
        let (cin, hidden, k) = (cfg.backbone_channels(), cfg.hidden_dims, cfg.encoder_kernel);
        let svtr_block = (0..cfg.depth).map(|j| Block::load(vb.pp("svtr_block").pp(j), cfg)).collect::<Result<_>>()?;
        Ok(Self {
            conv1: ConvBNLayer::load(vb.pp("conv1"), cin, cin / 8, k)?,
            conv2: ConvBNLayer::load(vb.pp("conv2"), cin / 8, hidden, (1, 1))?,
            svtr_block,
            norm: candle_nn::layer_norm(hidden, cfg.norm_eps, vb.pp("norm"))?,
            conv3: ConvBNLayer::load(vb.pp("conv3"), hidden, cin, (1, 1))?,
            conv4: ConvBNLayer::load(vb.pp("conv4"), 2 * cin, cin / 8, k)?,
            conv1x1: ConvBNLayer::load(vb.pp("conv1x1"), cin / 8, cfg.encoder_dims, (1, 1))?,
        })
    }
}

impl Module for EncoderWithSVTR {
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        let z = self.conv2.forward(&self.conv1.forward(x)?)?;
        let (n, c, h, w) = z.dims4()?;
        // [N, C, H, W] → [N, H·W, C] tokens.
        let mut t = z.flatten_from(2)?.transpose(1, 2)?.contiguous()?;
        for blk in &self.svtr_block {
            t = blk.forward(&t)?;
        }
        let t = self.norm.forward(&t)?;
        let z = t.reshape((n, h, w, c))?.permute((0, 3, 1, 2))?.contiguous()?;
        let z = self.conv3.forward(&z)?;
        let z = Tensor::cat(&[x, &z], 1)?;
        self.conv1x1.forward(&self.conv4.forward(&z)?)
    }
}

/// PaddleOCR's `CTCHead`: one Linear to the classes, softmax at inference;
/// `[N, T, C]` features → `[N, T, classes]` probabilities.
pub type CTCHead = SoftmaxFc;

/// The recogniser as `rec.onnx` runs it.
#[derive(Debug, Clone)]
pub struct Model {
    backbone: PPLCNetV3,
    ctc_encoder: EncoderWithSVTR,
    ctc_head: CTCHead,
    log_eps: f64,
}

impl Model {
    pub fn load(vb: VarBuilder, cfg: &Config) -> Result<Self> {
        let head = vb.pp("head");
        Ok(Self {
            backbone: PPLCNetV3::load(vb.pp("backbone"), cfg)?,
            ctc_encoder: EncoderWithSVTR::load(head.pp("ctc_encoder").pp("encoder"), cfg)?,
            ctc_head: CTCHead::load(head.pp("ctc_head"), cfg.encoder_dims, cfg.num_classes)?,
            log_eps: cfg.log_eps,
        })
    }
}

impl Module for Model {
    /// `[N, 1, 48, W]` → `[W/8, N, classes]` log(probability + 1e-12).
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        let x = self.ctc_encoder.forward(&self.backbone.forward(x)?)?;
        // Im2Seq: [N, C, 1, T] → [N, T, C].
        let x = x.squeeze(2)?.transpose(1, 2)?.contiguous()?;
        let p = self.ctc_head.forward(&x)?;
        // Not log_softmax: build.py's Log(p + 1e-12) floors the log at
        // about −27.6, and callers see that floor.
        let logp = (p + self.log_eps)?.log()?;
        logp.transpose(0, 1)?.contiguous()
    }
}

#[cfg(test)]
mod tests {
    use candle_core::{DType, Device};

    use super::*;

    #[test]
    fn a_batch_of_lines_gives_one_frame_per_eight_columns_and_log_probabilities() {
        // All-zero weights: every frame is uniform over the classes.
        let dev = Device::Cpu;
        let cfg = Config::default();
        let model = Model::load(VarBuilder::zeros(DType::F32, &dev), &cfg).unwrap();
        let x = Tensor::zeros((2, 1, 48, 96), DType::F32, &dev).unwrap();
        let y = model.forward(&x).unwrap();
        assert_eq!(y.dims(), &[12, 2, cfg.num_classes]);
        let want = (1.0 / cfg.num_classes as f64 + 1e-12).ln() as f32;
        let v: Vec<f32> = y.flatten_all().unwrap().to_vec1().unwrap();
        assert!(v.iter().all(|&p| (p - want).abs() < 1e-5), "{want}");
    }

    #[test]
    fn the_default_config_ends_the_backbone_at_480_channels() {
        assert_eq!(Config::default().backbone_channels(), 480);
    }
}
