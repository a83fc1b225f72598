//! PP-OCRv4's Chinese text detector (DBNet) in candle: a PPLCNetV3 backbone
//! (`det` variant, scale 0.75), an RSEFPN neck and a DBHead, after
//! PaddleOCR's `ppocr/modeling/{backbones/rec_lcnetv3.py,
//! necks/db_fpn.py, heads/det_db_head.py}`.
//!
//! The weights are those of `models/ocr/det.onnx` (converted by
//! `models/ocr/candle_weights/det.py`, named after PaddleOCR's module
//! tree); the backbone is [`super::pplcnetv3`]'s, with the detector's
//! table and four stage outputs.
//!
//! Input `[N, 1, H, W]`, grey `x/255 − 0.5`, H and W multiples of 32 (the
//! neck adds maps of 1/32 … 1/4 scale); output `[N, 1, H, W]` probability
//! that a pixel is inside text (the "shrink map").

use candle_core::{Module, ModuleT, Result, Tensor};
use candle_nn::{BatchNorm, BatchNormConfig, VarBuilder};

use super::layers::Conv;
use super::pplcnetv3::{self, BlockConfig, SELayer};

/// A block of PaddleOCR's `NET_CONFIG_det` before scaling: depthwise
/// kernel, in and out channels, stride, SE layer.
const fn b(kernel: usize, in_channels: usize, out_channels: usize, stride: usize, use_se: bool) -> BlockConfig {
    BlockConfig { kernel, in_channels, out_channels, stride: (stride, stride), use_se }
}

/// PaddleOCR `rec_lcnetv3.py` `NET_CONFIG_det`, stages blocks2 … blocks6.
pub const NET_CONFIG_DET: [&[BlockConfig]; 5] = [
    &[b(3, 16, 32, 1, false)],
    &[b(3, 32, 64, 2, false), b(3, 64, 64, 1, false)],
    &[b(3, 64, 128, 2, false), b(3, 128, 128, 1, false)],
    &[b(3, 128, 256, 2, false), b(5, 256, 256, 1, false), b(5, 256, 256, 1, false), b(5, 256, 256, 1, false), b(5, 256, 256, 1, false)],
    &[b(5, 256, 512, 2, true), b(5, 512, 512, 1, true), b(5, 512, 512, 1, false), b(5, 512, 512, 1, false)],
];

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// PPLCNetV3 width multiplier (channels rounded by [`make_divisible`]).
    pub scale: f64,
    /// Stages blocks2 … blocks6.
    pub stages: Vec<Vec<BlockConfig>>,
    /// PPLCNetV3's `mv_c`: the det-only 1×1 convolutions' widths before
    /// scaling (`int(c · scale)`, not rounded), one per output stage.
    pub det_channels: [usize; 4],
    /// RSEFPN `out_channels`; the head works on a quarter of it.
    pub neck_out_channels: usize,
}

impl Default for Config {
    /// The shipped model: `PPLCNetV3(scale=0.75, det=True)`, `RSEFPN(96)`.
    fn default() -> Self {
        Config { scale: 0.75, stages: NET_CONFIG_DET.iter().map(|s| s.to_vec()).collect(), det_channels: [16, 24, 56, 480], neck_out_channels: 96 }
    }
}

/// PaddleOCR's `make_divisible(v, divisor=16)`: round to a multiple of 16,
/// never more than 10 % down.
pub fn make_divisible(v: f64) -> usize {
    let d = 16.0;
    let mut n = (((v + d / 2.0) as usize) / 16 * 16).max(16);
    if (n as f64) < 0.9 * v {
        n += 16;
    }
    n
}

/// `x` repeated `s` times along height and width: ONNX Resize nearest
/// (asymmetric, floor) with an integer scale, i.e. Paddle's
/// `F.upsample(scale_factor=s, mode="nearest")`.
pub fn upsample_nearest(x: &Tensor, s: usize) -> Result<Tensor> {
    let (n, c, h, w) = x.dims4()?;
    x.reshape((n, c, h, 1, w, 1))?.broadcast_as((n, c, h, s, w, s))?.reshape((n, c, h * s, w * s))
}

/// A dense (ungrouped) stride-1 convolution with "same" padding, optional
/// bias. candle's CPU `conv2d` builds an im2col matrix and multiplies it by
/// a skinny weight (24 outputs here): the neck's and head's 3×3 convs on
/// the 1/4-scale map took ~54 ms each at 320×480. Here the weight's taps
/// are stacked into one `[kh·kw·out, in]` matrix, multiplied by the padded
/// input once, and the `kh·kw` output planes summed shifted — the copies
/// are on the small side (out channels), and it is plain matmul + adds on
/// any device (~20 ms for the same layer).
#[derive(Debug, Clone)]
pub struct DenseConv {
    /// `[kh·kw·out, in]`, rows ordered (ky, kx, out).
    taps: Tensor,
    bias: Option<Tensor>,
    out_channels: usize,
    kernel: usize,
}

impl DenseConv {
    /// `weight` `[out, in, k, k]` (and `bias` `[out]` if `bias`) under `vb`.
    pub fn load(vb: VarBuilder, cin: usize, cout: usize, kernel: usize, bias: bool) -> Result<Self> {
        let w = vb.get((cout, cin, kernel, kernel), "weight")?;
        let taps = w.permute((2, 3, 0, 1))?.reshape((kernel * kernel * cout, cin))?;
        let bias = if bias { Some(vb.get(cout, "bias")?.reshape((1, cout, 1, 1))?) } else { None };
        Ok(DenseConv { taps, bias, out_channels: cout, kernel })
    }
}

impl Module for DenseConv {
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        let (n, cin, h, w) = x.dims4()?;
        let (k, o, p) = (self.kernel, self.out_channels, self.kernel / 2);
        let x = if p > 0 { x.pad_with_zeros(2, p, p)?.pad_with_zeros(3, p, p)? } else { x.clone() };
        let (hp, wp) = (h + 2 * p, w + 2 * p);
        let z = self.taps.broadcast_left(n)?.matmul(&x.reshape((n, cin, hp * wp))?)?.reshape((n, k * k, o, hp, wp))?;
        // Output (i, j) = Σ taps (ky, kx) evaluated at padded (i + ky, j + kx).
        let mut y: Option<Tensor> = None;
        for ky in 0..k {
            for kx in 0..k {
                let term = z.narrow(1, ky * k + kx, 1)?.squeeze(1)?.narrow(2, ky, h)?.narrow(3, kx, w)?;
                y = Some(match y {
                    None => term.contiguous()?,
                    Some(acc) => (acc + term)?,
                });
            }
        }
        let y = y.expect("a kernel has taps");
        match &self.bias {
            Some(b) => y.broadcast_add(b),
            None => Ok(y),
        }
    }
}

/// The PPLCNetV3 backbone, det variant: returns the outputs of blocks3 …
/// blocks6 (1/4 … 1/32 scale), each through its 1×1 `layer_list` conv.
#[derive(Debug, Clone)]
pub struct PPLCNetV3 {
    net: pplcnetv3::PPLCNetV3,
    layer_list: Vec<Conv>,
}

impl PPLCNetV3 {
    pub fn load(vb: VarBuilder, cfg: &Config) -> Result<Self> {
        let scaled = |c: usize| make_divisible(c as f64 * cfg.scale);
        let stages: Vec<Vec<BlockConfig>> = cfg
            .stages
            .iter()
            .map(|s| s.iter().map(|b| BlockConfig { in_channels: scaled(b.in_channels), out_channels: scaled(b.out_channels), ..*b }).collect())
            .collect();
        let stage_out: Vec<usize> = stages[1..].iter().filter_map(|s| s.last()).map(|b| b.out_channels).collect();
        let net = pplcnetv3::PPLCNetV3::load(vb.clone(), &pplcnetv3::Config { stem_channels: scaled(16), stages, se_reduction: 4, last_lab: false })?;
        if stage_out.len() != cfg.det_channels.len() {
            candle_core::bail!("{} output stages for {} det channels", stage_out.len(), cfg.det_channels.len());
        }
        let layer_list = stage_out
            .iter()
            .zip(Self::out_channels(cfg))
            .enumerate()
            .map(|(i, (&cin, cout))| Conv::same(vb.pp("layer_list").pp(i), cin, cout, (1, 1), (1, 1), 1))
            .collect::<Result<_>>()?;
        Ok(PPLCNetV3 { net, layer_list })
    }

    /// The layer_list widths (`int(mv_c · scale)`, not rounded): the neck's inputs.
    pub fn out_channels(cfg: &Config) -> Vec<usize> {
        cfg.det_channels.iter().map(|&mv| (mv as f64 * cfg.scale) as usize).collect()
    }

    pub fn forward(&self, x: &Tensor) -> Result<Vec<Tensor>> {
        let outs = self.net.forward_stages(x)?;
        outs[1..].iter().zip(&self.layer_list).map(|(o, conv)| conv.forward(o)).collect()
    }
}

/// RSEFPN's RSELayer: a bias-free convolution, then `x + SE(x)`
/// (`shortcut=True`).
#[derive(Debug, Clone)]
pub struct RSELayer {
    in_conv: DenseConv,
    se_block: SELayer,
}

impl RSELayer {
    pub fn load(vb: VarBuilder, cin: usize, cout: usize, kernel: usize) -> Result<Self> {
        let in_conv = DenseConv::load(vb.pp("in_conv"), cin, cout, kernel, false)?;
        Ok(RSELayer { in_conv, se_block: SELayer::load(vb.pp("se_block"), cout, 4, 0.2)? })
    }
}

impl Module for RSELayer {
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        let x = self.in_conv.forward(x)?;
        &x + self.se_block.forward(&x)?
    }
}

/// The RSEFPN neck: lateral RSELayers (`ins_conv`), a top-down sum with
/// nearest 2× upsampling, output RSELayers (`inp_conv`) to a quarter of
/// the width each, all upsampled to 1/4 scale and concatenated.
#[derive(Debug, Clone)]
pub struct RSEFPN {
    ins_conv: Vec<RSELayer>,
    inp_conv: Vec<RSELayer>,
}

impl RSEFPN {
    pub fn load(vb: VarBuilder, in_channels: &[usize], out_channels: usize) -> Result<Self> {
        let ins_conv = in_channels.iter().enumerate().map(|(i, &c)| RSELayer::load(vb.pp("ins_conv").pp(i), c, out_channels, 1)).collect::<Result<_>>()?;
        let inp_conv = (0..in_channels.len()).map(|i| RSELayer::load(vb.pp("inp_conv").pp(i), out_channels, out_channels / 4, 3)).collect::<Result<_>>()?;
        Ok(RSEFPN { ins_conv, inp_conv })
    }

    /// `xs`: the backbone's four maps, finest first.
    pub fn forward(&self, xs: &[Tensor]) -> Result<Tensor> {
        let n = xs.len();
        let ins: Vec<Tensor> = xs.iter().zip(&self.ins_conv).map(|(x, l)| l.forward(x)).collect::<Result<_>>()?;
        // Top-down: out[i] = in[i] + up2(out[i+1]), from the coarsest.
        let mut outs = vec![ins[n - 1].clone()];
        for i in (0..n - 1).rev() {
            let up = upsample_nearest(outs.last().expect("one map"), 2)?;
            outs.push((&ins[i] + up)?);
        }
        outs.reverse();
        // p5, p4, p3 upsampled ×8, ×4, ×2 to the finest scale; order p5 … p2.
        let ps = (0..n).rev().map(|i| upsample_nearest(&self.inp_conv[i].forward(&outs[i])?, 1 << i)).collect::<Result<Vec<_>>>()?;
        Tensor::cat(&ps, 1)
    }
}

/// Paddle `Conv2DTranspose` with kernel 2, stride 2, no padding: every input
/// pixel becomes its own 2×2 output block, so it is one matrix product
/// (a 1×1 convolution to 4× the channels) and a pixel shuffle. Exact, and
/// one large matmul instead of candle's generic transposed convolution.
#[derive(Debug, Clone)]
pub struct ConvTranspose2x2 {
    /// `[out·2·2, in]`, rows ordered (out, ky, kx).
    weight: Tensor,
    /// `[1, out, 1, 1]`.
    bias: Tensor,
    out_channels: usize,
}

impl ConvTranspose2x2 {
    /// `weight` `[in, out, 2, 2]` (Paddle's and ONNX's layout) and `bias` `[out]`.
    pub fn load(vb: VarBuilder, cin: usize, cout: usize) -> Result<Self> {
        let w = vb.get((cin, cout, 2, 2), "weight")?;
        let weight = w.permute((1, 2, 3, 0))?.reshape((cout * 4, cin))?;
        let bias = vb.get(cout, "bias")?.reshape((1, cout, 1, 1))?;
        Ok(ConvTranspose2x2 { weight, bias, out_channels: cout })
    }
}

impl Module for ConvTranspose2x2 {
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        let (n, cin, h, w) = x.dims4()?;
        let o = self.out_channels;
        let y = self.weight.broadcast_left(n)?.matmul(&x.reshape((n, cin, h * w))?)?;
        // (n, o, ky, kx, h, w) → (n, o, h, ky, w, kx): output row 2i+ky, column 2j+kx.
        let y = y.reshape((n, o, 2, 2, h, w))?.permute((0, 1, 4, 2, 5, 3))?.reshape((n, o, 2 * h, 2 * w))?;
        y.broadcast_add(&self.bias)
    }
}

/// DBHead's `Head` (kernel_list [3, 2, 2]): 3×3 conv + batch norm + relu
/// (the norm folded into `conv1` by build.py), 2× transposed conv + batch
/// norm (`conv_bn2`, kept as its four tensors) + relu, 2× transposed conv to
/// one channel, sigmoid.
#[derive(Debug, Clone)]
pub struct Head {
    conv1: DenseConv,
    conv2: ConvTranspose2x2,
    conv_bn2: BatchNorm,
    conv3: ConvTranspose2x2,
}

impl Head {
    pub fn load(vb: VarBuilder, in_channels: usize) -> Result<Self> {
        let c = in_channels / 4;
        let conv1 = DenseConv::load(vb.pp("conv1"), in_channels, c, 3, true)?;
        let bn = BatchNormConfig { eps: 1e-5, remove_mean: true, affine: true, momentum: 0.1 };
        Ok(Head {
            conv1,
            conv2: ConvTranspose2x2::load(vb.pp("conv2"), c, c)?,
            conv_bn2: candle_nn::batch_norm(c, bn, vb.pp("conv_bn2"))?,
            conv3: ConvTranspose2x2::load(vb.pp("conv3"), c, 1)?,
        })
    }
}

impl Module for Head {
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        let x = self.conv1.forward(x)?.relu()?;
        let x = self.conv_bn2.forward_t(&self.conv2.forward(&x)?, false)?.relu()?;
        candle_nn::ops::sigmoid(&self.conv3.forward(&x)?)
    }
}

/// DBHead at inference: only the `binarize` (shrink map) branch runs; the
/// `thresh` branch is training-only and not in the graph.
#[derive(Debug, Clone)]
pub struct DBHead {
    binarize: Head,
}

impl DBHead {
    pub fn load(vb: VarBuilder, in_channels: usize) -> Result<Self> {
        Ok(DBHead { binarize: Head::load(vb.pp("binarize"), in_channels)? })
    }
}

impl Module for DBHead {
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        self.binarize.forward(x)
    }
}

/// The detector: `[N, 1, H, W]` grey → `[N, 1, H, W]` text probability.
#[derive(Debug, Clone)]
pub struct Model {
    backbone: PPLCNetV3,
    neck: RSEFPN,
    head: DBHead,
}

impl Model {
    pub fn load(vb: VarBuilder, cfg: &Config) -> Result<Model> {
        let backbone = PPLCNetV3::load(vb.pp("backbone"), cfg)?;
        let neck = RSEFPN::load(vb.pp("neck"), &PPLCNetV3::out_channels(cfg), cfg.neck_out_channels)?;
        let head = DBHead::load(vb.pp("head"), cfg.neck_out_channels)?;
        Ok(Model { backbone, neck, head })
    }
}

impl Module for Model {
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        let (_, c, h, w) = x.dims4()?;
        if c != 1 || h % 32 != 0 || w % 32 != 0 {
            candle_core::bail!("det: input [N, 1, H, W] with H, W multiples of 32, got {:?}", x.dims());
        }
        let feats = self.backbone.forward(x)?;
        self.head.forward(&self.neck.forward(&feats)?)
    }
}

#[cfg(test)]
mod tests {
    use candle_core::{DType, Device};

    use super::super::layers::testing::{assert_close, ramp, weight_and_bias};
    use super::*;

    #[test]
    fn the_scaled_stage_widths_are_the_graphs() {
        let widths: Vec<usize> = [16.0, 32.0, 64.0, 128.0, 256.0, 512.0].iter().map(|c| make_divisible(c * 0.75)).collect();
        assert_eq!(widths, [16, 32, 48, 96, 192, 384]);
        assert_eq!(PPLCNetV3::out_channels(&Config::default()), [12, 18, 42, 360]);
    }

    #[test]
    fn nearest_upsampling_repeats_each_pixel_in_an_s_by_s_block() {
        let x = Tensor::new(&[[1f32, 2.0], [3.0, 4.0]], &Device::Cpu).unwrap().reshape((1, 1, 2, 2)).unwrap();
        let y: Vec<Vec<f32>> = upsample_nearest(&x, 2).unwrap().squeeze(0).unwrap().squeeze(0).unwrap().to_vec2().unwrap();
        assert_eq!(y, [[1., 1., 2., 2.], [1., 1., 2., 2.], [3., 3., 4., 4.], [3., 3., 4., 4.]]);
    }

    #[test]
    fn the_2x2_transposed_convolution_as_a_matmul_equals_candles() {
        let dev = Device::Cpu;
        let x = ramp((2, 3, 4, 5), 0.05, -1.0);
        let w = ramp((3, 2, 2, 2), 0.1, -1.1);
        let bias = Tensor::new(&[0.25f32, -0.5], &dev).unwrap();
        let vb = weight_and_bias(&w, &bias);
        let got = ConvTranspose2x2::load(vb, 3, 2).unwrap().forward(&x).unwrap();
        let want = x.conv_transpose2d(&w, 0, 0, 2, 1).unwrap().broadcast_add(&bias.reshape((1, 2, 1, 1)).unwrap()).unwrap();
        assert_eq!(got.dims(), [2, 2, 8, 10]);
        assert_close(&got, &want, 1e-5, "");
    }

    #[test]
    fn the_dense_convolution_as_shifted_matmuls_equals_candles() {
        let dev = Device::Cpu;
        let x = ramp((2, 5, 6, 7), 0.01, -1.0);
        for k in [1, 3] {
            let w = ramp((4, 5, k, k), 0.03, -0.7);
            let bias = Tensor::new(&[0.5f32, -1.0, 0.0, 2.0], &dev).unwrap();
            let vb = weight_and_bias(&w, &bias);
            let got = DenseConv::load(vb, 5, 4, k, true).unwrap().forward(&x).unwrap();
            let want = x.conv2d(&w, k / 2, 1, 1, 1).unwrap().broadcast_add(&bias.reshape((1, 4, 1, 1)).unwrap()).unwrap();
            assert_close(&got, &want, 1e-4, &format!("k={k}"));
        }
    }

    #[test]
    fn the_output_is_one_probability_per_input_pixel() {
        let dev = Device::Cpu;
        let model = Model::load(VarBuilder::zeros(DType::F32, &dev), &Config::default()).unwrap();
        let y = model.forward(&Tensor::zeros((1, 1, 64, 96), DType::F32, &dev).unwrap()).unwrap();
        assert_eq!(y.dims(), [1, 1, 64, 96]);
        assert!(model.forward(&Tensor::zeros((1, 1, 64, 80), DType::F32, &dev).unwrap()).is_err());
    }
}
