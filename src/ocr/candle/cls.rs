//! The text-line orientation classifier (0° or 180°): PP-OCR mobile v2.0
//! cls, i.e. PaddleOCR's `MobileNetV3` "small" backbone at scale 0.35
//! (ppocr/modeling/backbones/rec_mobilenet_v3.py) and `ClsHead`
//! (ppocr/modeling/heads/cls_head.py), on the weights of
//! `models/ocr/cls.onnx` (batch norms already folded into the
//! convolutions, so every `ConvBNLayer` is one convolution with a bias).
//!
//! The stem is a [`Conv`]; the 1×1 convolutions are [`Pointwise`] (a
//! matrix product) and the depthwise ones [`DepthwiseConv`], which on the
//! CPU run a direct loop with the bias and activation fused (five times
//! faster than `layers::Conv` + `layers::hard_swish` there; on other
//! devices they fall back to those).
//!
//! Input `[N, 1, 48, 192]`, grey `x/255 − 0.5`; output `[N, 2]`, the
//! softmax over (0°, 180°), as the ONNX graph gives them.
//!
//! Weight names: `backbone.conv1`, `backbone.blocks.<i>.{expand_conv,
//! bottleneck_conv, mid_se.conv1, mid_se.conv2, linear_conv}`,
//! `backbone.conv2`, each `.weight`/`.bias`, and `head.fc.{weight,bias}`
//! (`[out, in]`), written by `cls.py` from the graph.

use candle_core::{CpuStorage, CustomOp3, DType, InplaceOp1, InplaceOp2, Layout, Module, Result, Shape, Tensor};
use candle_nn::VarBuilder;

use super::layers::{Conv, SoftmaxFc, hard_sigmoid, hard_swish};

/// A block's non-linearity (`nl` in PaddleOCR's table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activation {
    Relu,
    HardSwish,
}

impl Activation {
    /// One element, as the graph computes it: hardswish is
    /// `x · HardSigmoid(x; α = 1/6, β = ½)`, all in f32.
    fn apply(self, v: f32) -> f32 {
        match self {
            Activation::Relu => v.max(0.0),
            Activation::HardSwish => v * (v * (1.0 / 6.0) + 0.5).clamp(0.0, 1.0),
        }
    }

    /// The activation of a tensor this code just made and nobody else
    /// holds (a convolution's output): on the CPU in place, in one pass.
    /// candle's hardswish is four passes that each allocate (`affine`,
    /// then `clamp` as `maximum` and `minimum`, then `mul`); they were a
    /// third of the CPU time.
    fn forward_owned(self, x: Tensor) -> Result<Tensor> {
        if x.device().is_cpu() && x.dtype() == DType::F32 && x.is_contiguous() {
            x.inplace_op1(&self)?;
            Ok(x)
        } else {
            self.forward(&x)
        }
    }
}

impl Module for Activation {
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        match self {
            Activation::Relu => x.relu(),
            Activation::HardSwish => hard_swish(x),
        }
    }
}

impl InplaceOp1 for Activation {
    fn name(&self) -> &'static str {
        match self {
            Activation::Relu => "relu-inplace",
            Activation::HardSwish => "hardswish-inplace",
        }
    }

    fn cpu_fwd(&self, storage: &mut CpuStorage, layout: &Layout) -> Result<()> {
        let (CpuStorage::F32(v), Some((a, b))) = (storage, layout.contiguous_offsets()) else {
            candle_core::bail!("{}: needs a contiguous f32 tensor", self.name())
        };
        v[a..b].iter_mut().for_each(|x| *x = self.apply(*x));
        Ok(())
    }
}

/// One `ResidualUnit`: expand 1×1, depthwise k×k, optional SE, project 1×1.
#[derive(Debug, Clone, Copy)]
pub struct BlockConfig {
    pub kernel: usize,
    pub in_channels: usize,
    pub mid_channels: usize,
    pub out_channels: usize,
    pub use_se: bool,
    pub act: Activation,
    /// `(h, w)`; the cls model halves the height only, `(2, 1)`, to keep
    /// resolution along the line.
    pub stride: (usize, usize),
}

#[derive(Debug, Clone)]
pub struct Config {
    /// 1: `build.py` folded PP-OCR's grey→3-channel copy into `conv1`.
    pub in_channels: usize,
    pub stem_channels: usize,
    pub blocks: Vec<BlockConfig>,
    pub last_channels: usize,
    pub se_reduction: usize,
    /// `SEModule`'s gate is Paddle's `F.hardsigmoid(slope=0.2, offset=0.5)`,
    /// not hardswish's 1/6: the graph's HardSigmoid nodes after the SE
    /// convolutions say alpha 0.2, beta 0.5 (`cls.py` asserts it).
    pub se_gate: (f64, f64),
    pub num_classes: usize,
}

/// PaddleOCR's channel rounding: to a multiple of `divisor`, never more
/// than 10 % below `v`.
fn make_divisible(v: f64, divisor: usize) -> usize {
    let d = divisor as f64;
    let mut n = divisor.max(((v + d / 2.0) as usize) / divisor * divisor);
    if (n as f64) < 0.9 * v {
        n += divisor;
    }
    n
}

impl Config {
    /// PaddleOCR's `MobileNetV3(model_name="small", scale)` with
    /// `small_stride = [2, 2, 2, 2]` applied as `(s, 1)`, for a
    /// one-channel input and a `class_dim`-way `ClsHead`.
    pub fn small(scale: f64, num_classes: usize) -> Config {
        use Activation::{HardSwish as H, Relu as R};
        // kernel, expansion, out, SE, activation, stride (PaddleOCR's table).
        let table: [(usize, usize, usize, bool, Activation, (usize, usize)); 11] = [
            (3, 16, 16, true, R, (2, 1)),
            (3, 72, 24, false, R, (2, 1)),
            (3, 88, 24, false, R, (1, 1)),
            (5, 96, 40, true, H, (2, 1)),
            (5, 240, 40, true, H, (1, 1)),
            (5, 240, 40, true, H, (1, 1)),
            (5, 120, 48, true, H, (1, 1)),
            (5, 144, 48, true, H, (1, 1)),
            (5, 288, 96, true, H, (2, 1)),
            (5, 576, 96, true, H, (1, 1)),
            (5, 576, 96, true, H, (1, 1)),
        ];
        let stem_channels = make_divisible(16.0 * scale, 8);
        let mut c = stem_channels;
        let blocks = table
            .iter()
            .map(|&(kernel, exp, out, use_se, act, stride)| {
                let b = BlockConfig {
                    kernel,
                    in_channels: c,
                    mid_channels: make_divisible(scale * exp as f64, 8),
                    out_channels: make_divisible(scale * out as f64, 8),
                    use_se,
                    act,
                    stride,
                };
                c = b.out_channels;
                b
            })
            .collect();
        Config { in_channels: 1, stem_channels, blocks, last_channels: make_divisible(scale * 576.0, 8), se_reduction: 4, se_gate: (0.2, 0.5), num_classes }
    }
}

impl Default for Config {
    /// The shipped model: scale 0.35, 2 classes (0°, 180°).
    fn default() -> Config {
        Config::small(0.35, 2)
    }
}

/// A 1×1 convolution with a bias and an optional activation, as a matrix
/// product `weight [out, in] × x [N, in, H·W]`. candle's `conv2d` of a
/// 1×1 kernel goes through im2col, a product laid out `[N, H·W, out]` and
/// a copy back to NCHW: twice the time of this at batch 4. On the CPU the
/// bias and the activation are then one in-place pass.
#[derive(Debug, Clone)]
pub struct Pointwise {
    weight: Tensor,
    bias: Tensor,
    act: Option<Activation>,
}

impl Pointwise {
    /// `weight` `[out, in, 1, 1]` (the graph's, PaddleOCR's layout) and `bias` `[out]`.
    pub fn load(vb: VarBuilder, cin: usize, cout: usize, act: Option<Activation>) -> Result<Pointwise> {
        Ok(Pointwise { weight: vb.get((cout, cin, 1, 1), "weight")?.reshape((cout, cin))?, bias: vb.get(cout, "bias")?, act })
    }
}

impl Module for Pointwise {
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        let (n, c, h, w) = x.dims4()?;
        let cout = self.bias.dim(0)?;
        let y = self.weight.broadcast_left(n)?.matmul(&x.reshape((n, c, h * w))?)?;
        let y = if y.device().is_cpu() && y.dtype() == DType::F32 && y.is_contiguous() {
            y.inplace_op2(&self.bias, &BiasAct(self.act))?;
            y
        } else {
            let y = y.broadcast_add(&self.bias.reshape((cout, 1))?)?;
            match self.act {
                Some(act) => act.forward_owned(y)?,
                None => y,
            }
        };
        y.reshape((n, cout, h, w))
    }
}

/// `y [N, C, L] += bias [C]`, then the activation, in place (CPU).
#[derive(Debug, Clone, Copy)]
struct BiasAct(Option<Activation>);

impl InplaceOp2 for BiasAct {
    fn name(&self) -> &'static str {
        "bias-activation-inplace"
    }

    fn cpu_fwd(&self, ys: &mut CpuStorage, yl: &Layout, bs: &CpuStorage, bl: &Layout) -> Result<()> {
        let (CpuStorage::F32(y), Some((y0, y1)), Some((b0, b1))) = (ys, yl.contiguous_offsets(), bl.contiguous_offsets()) else {
            candle_core::bail!("bias-activation-inplace: needs contiguous f32 tensors")
        };
        let b = &bs.as_slice::<f32>()?[b0..b1];
        let (_, c, l) = yl.shape().dims3()?;
        if c != b.len() {
            candle_core::bail!("bias-activation-inplace: {c} channels, {} biases", b.len());
        }
        for (plane, v) in y[y0..y1].chunks_exact_mut(l).enumerate() {
            let bias = b[plane % c];
            match self.0 {
                Some(act) => v.iter_mut().for_each(|x| *x = act.apply(*x + bias)),
                None => v.iter_mut().for_each(|x| *x += bias),
            }
        }
        Ok(())
    }
}

/// A depthwise convolution (one k×k filter per channel, with a bias) and
/// its activation, run as one direct loop on the CPU and as `layers::Conv`
/// then the activation elsewhere.
/// `layers::Conv`'s shifted-sum depthwise path makes 2·k² whole-tensor
/// passes over strided views; for the 5×5 layers here that was ¾ of the
/// CPU time (about 6 ms of a 4-crop batch for each 88- or 200-channel
/// layer, single-threaded), against well under 1 ms for the loop below.
#[derive(Debug, Clone)]
pub struct DepthwiseConv {
    conv: Conv,
    weight: Tensor,
    bias: Tensor,
    op: DepthwiseCpu,
}

impl DepthwiseConv {
    pub fn load(vb: VarBuilder, channels: usize, kernel: usize, stride: (usize, usize), act: Activation) -> Result<DepthwiseConv> {
        let p = (kernel - 1) / 2;
        Ok(DepthwiseConv {
            conv: Conv::same(vb.clone(), channels, channels, (kernel, kernel), stride, channels)?,
            weight: vb.get((channels, 1, kernel, kernel), "weight")?,
            bias: vb.get(channels, "bias")?,
            op: DepthwiseCpu { stride, padding: (p, p), act },
        })
    }
}

impl Module for DepthwiseConv {
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        if x.device().is_cpu() && x.dtype() == DType::F32 {
            x.contiguous()?.apply_op3_no_bwd(&self.weight, &self.bias, &self.op)
        } else {
            self.op.act.forward_owned(self.conv.forward(x)?)
        }
    }
}

/// The CPU kernel of [`DepthwiseConv`]: inputs `x` `[N, C, H, W]`, weight
/// `[C, 1, kh, kw]`, bias `[C]`, all f32; zero padding; then `act`.
#[derive(Debug, Clone, Copy)]
struct DepthwiseCpu {
    stride: (usize, usize),
    padding: (usize, usize),
    act: Activation,
}

impl CustomOp3 for DepthwiseCpu {
    fn name(&self) -> &'static str {
        "depthwise-conv2d"
    }

    fn cpu_fwd(&self, xs: &CpuStorage, xl: &Layout, ws: &CpuStorage, wl: &Layout, bs: &CpuStorage, bl: &Layout) -> Result<(CpuStorage, Shape)> {
        let slice = |s: &'_ CpuStorage, l: &Layout| -> Result<Vec<f32>> {
            // The weights are small; copying them keeps the layouts simple.
            match l.contiguous_offsets() {
                Some((a, b)) => Ok(s.as_slice::<f32>()?[a..b].to_vec()),
                None => candle_core::bail!("depthwise-conv2d: non-contiguous weight"),
            }
        };
        let Some((x0, x1)) = xl.contiguous_offsets() else { candle_core::bail!("depthwise-conv2d: non-contiguous input") };
        let x = &xs.as_slice::<f32>()?[x0..x1];
        let (w, b) = (slice(ws, wl)?, slice(bs, bl)?);
        let (n, c, h, wd) = xl.shape().dims4()?;
        let (wc, _, kh, kw) = wl.shape().dims4()?;
        if wc != c || b.len() != c {
            candle_core::bail!("depthwise-conv2d: {c} channels, weight {:?}, bias {}", wl.shape(), b.len());
        }
        let ((sh, sw), (ph, pw)) = (self.stride, self.padding);
        let oh = (h + 2 * ph - kh) / sh + 1;
        let ow = (wd + 2 * pw - kw) / sw + 1;
        let mut out = vec![0f32; n * c * oh * ow];
        for (plane, (o, xp)) in out.chunks_exact_mut(oh * ow).zip(x.chunks_exact(h * wd)).enumerate() {
            let ch = plane % c;
            o.fill(b[ch]);
            let wk = &w[ch * kh * kw..(ch + 1) * kh * kw];
            for oy in 0..oh {
                let orow = &mut o[oy * ow..(oy + 1) * ow];
                for ky in 0..kh {
                    // Input row oy·sh + ky − ph; outside the image it is padding.
                    let Some(iy) = (oy * sh + ky).checked_sub(ph).filter(|&iy| iy < h) else {
                        continue;
                    };
                    let xrow = &xp[iy * wd..(iy + 1) * wd];
                    for kx in 0..kw {
                        let wv = wk[ky * kw + kx];
                        // Output columns whose input column ox·sw + kx − pw is inside.
                        let lo = pw.saturating_sub(kx).div_ceil(sw);
                        let hi = ((wd + pw - kx).div_ceil(sw)).min(ow);
                        if lo >= hi {
                            continue;
                        }
                        let start = lo * sw + kx - pw;
                        if sw == 1 {
                            // Contiguous: the compiler vectorises this.
                            for (y, xv) in orow[lo..hi].iter_mut().zip(&xrow[start..start + hi - lo]) {
                                *y += wv * xv;
                            }
                        } else {
                            for (y, xv) in orow[lo..hi].iter_mut().zip(xrow[start..].iter().step_by(sw)) {
                                *y += wv * xv;
                            }
                        }
                    }
                }
            }
            o.iter_mut().for_each(|v| *v = self.act.apply(*v));
        }
        Ok((CpuStorage::F32(out), Shape::from((n, c, oh, ow))))
    }
}

/// Mean over height and width, keeping them as 1×1 (`AdaptiveAvgPool2D(1)`).
fn global_avg_pool(x: &Tensor) -> Result<Tensor> {
    let (n, c, _, _) = x.dims4()?;
    x.flatten_from(2)?.mean_keepdim(2)?.reshape((n, c, 1, 1))
}

/// Squeeze-and-excitation: a per-channel gate from the pooled features.
#[derive(Debug, Clone)]
pub struct SEModule {
    conv1: Pointwise,
    conv2: Pointwise,
    gate: (f64, f64),
}

impl SEModule {
    pub fn load(vb: VarBuilder, channels: usize, reduction: usize, gate: (f64, f64)) -> Result<SEModule> {
        let squeezed = channels / reduction;
        Ok(SEModule {
            conv1: Pointwise::load(vb.pp("conv1"), channels, squeezed, Some(Activation::Relu))?,
            conv2: Pointwise::load(vb.pp("conv2"), squeezed, channels, None)?,
            gate,
        })
    }
}

impl Module for SEModule {
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        let s = self.conv1.forward(&global_avg_pool(x)?)?; // ReLU included
        let s = hard_sigmoid(&self.conv2.forward(&s)?, self.gate.0, self.gate.1)?;
        x.broadcast_mul(&s)
    }
}

/// MobileNetV3's inverted residual block.
#[derive(Debug, Clone)]
pub struct ResidualUnit {
    expand_conv: Pointwise,
    bottleneck_conv: DepthwiseConv,
    mid_se: Option<SEModule>,
    linear_conv: Pointwise,
    /// PaddleOCR's `if_shortcut`: stride 1 and as many channels out as in.
    shortcut: bool,
}

impl ResidualUnit {
    pub fn load(vb: VarBuilder, b: &BlockConfig, cfg: &Config) -> Result<ResidualUnit> {
        let mid = b.mid_channels;
        let mid_se = if b.use_se { Some(SEModule::load(vb.pp("mid_se"), mid, cfg.se_reduction, cfg.se_gate)?) } else { None };
        Ok(ResidualUnit {
            expand_conv: Pointwise::load(vb.pp("expand_conv"), b.in_channels, mid, Some(b.act))?,
            bottleneck_conv: DepthwiseConv::load(vb.pp("bottleneck_conv"), mid, b.kernel, b.stride, b.act)?,
            mid_se,
            linear_conv: Pointwise::load(vb.pp("linear_conv"), mid, b.out_channels, None)?,
            shortcut: b.stride == (1, 1) && b.in_channels == b.out_channels,
        })
    }
}

impl Module for ResidualUnit {
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        // Both convolutions include the block's activation.
        let mut y = self.bottleneck_conv.forward(&self.expand_conv.forward(x)?)?;
        if let Some(se) = &self.mid_se {
            y = se.forward(&y)?;
        }
        let y = self.linear_conv.forward(&y)?;
        if self.shortcut { x + y } else { Ok(y) }
    }
}

/// The backbone: stem, residual blocks, a last 1×1 convolution, 2×2 max
/// pooling. `[N, 1, 48, 192]` → `[N, 200, 1, 48]`.
#[derive(Debug, Clone)]
pub struct MobileNetV3 {
    conv1: Conv,
    blocks: Vec<ResidualUnit>,
    conv2: Pointwise,
}

impl MobileNetV3 {
    pub fn load(vb: VarBuilder, cfg: &Config) -> Result<MobileNetV3> {
        let conv1 = Conv::same(vb.pp("conv1"), cfg.in_channels, cfg.stem_channels, (3, 3), (2, 2), 1)?;
        let blocks = cfg.blocks.iter().enumerate().map(|(i, b)| ResidualUnit::load(vb.pp("blocks").pp(i), b, cfg)).collect::<Result<Vec<_>>>()?;
        let cin = cfg.blocks.last().map_or(cfg.stem_channels, |b| b.out_channels);
        let conv2 = Pointwise::load(vb.pp("conv2"), cin, cfg.last_channels, Some(Activation::HardSwish))?;
        Ok(MobileNetV3 { conv1, blocks, conv2 })
    }
}

impl Module for MobileNetV3 {
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        let mut x = Activation::HardSwish.forward_owned(self.conv1.forward(x)?)?;
        for b in &self.blocks {
            x = b.forward(&x)?;
        }
        self.conv2.forward(&x)?.max_pool2d(2) // hardswish included
    }
}

#[derive(Debug, Clone)]
pub struct Model {
    backbone: MobileNetV3,
    /// PaddleOCR's `ClsHead` is a global average pool and this; the pool is
    /// in `forward`.
    head: SoftmaxFc,
}

impl Model {
    pub fn load(vb: VarBuilder, cfg: &Config) -> Result<Model> {
        Ok(Model { backbone: MobileNetV3::load(vb.pp("backbone"), cfg)?, head: SoftmaxFc::load(vb.pp("head"), cfg.last_channels, cfg.num_classes)? })
    }
}

impl Module for Model {
    /// `[N, 1, 48, 192]` grey `x/255 − 0.5` → `[N, 2]` probabilities of 0°, 180°.
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        // The graph's Shape/Slice/Cast/Concat/Reshape spell
        // `reshape([N, C])` for a dynamic batch: here a plain flatten.
        let pooled = global_avg_pool(&self.backbone.forward(x)?)?.flatten_from(1)?;
        self.head.forward(&pooled)
    }
}

#[cfg(test)]
mod tests {
    use candle_core::{DType, Device};

    use super::super::layers::testing::{assert_close, max_abs_diff, ramp, weight_and_bias};
    use super::*;

    #[test]
    fn the_default_config_has_the_shipped_graphs_channel_counts() {
        let cfg = Config::default();
        assert_eq!(cfg.stem_channels, 8);
        let mids: Vec<usize> = cfg.blocks.iter().map(|b| b.mid_channels).collect();
        let outs: Vec<usize> = cfg.blocks.iter().map(|b| b.out_channels).collect();
        assert_eq!(mids, [8, 24, 32, 32, 88, 88, 40, 48, 104, 200, 200]);
        assert_eq!(outs, [8, 8, 8, 16, 16, 16, 16, 16, 32, 32, 32]);
        assert_eq!(cfg.last_channels, 200);
    }

    #[test]
    fn the_cpu_depthwise_loop_equals_candles_grouped_convolution_then_hardswish() {
        let dev = Device::Cpu;
        let x = ramp((2, 3, 7, 9), 0.01, -1.5);
        for (k, stride) in [(3, (1, 1)), (3, (2, 1)), (5, (1, 1)), (5, (2, 1)), (5, (2, 2)), (3, (1, 2))] {
            let w = ramp((3, 1, k, k), 0.03, -0.7);
            let b = Tensor::new(&[0.5f32, -1.0, 2.0], &dev).unwrap();
            let vb = weight_and_bias(&w, &b);
            let got = DepthwiseConv::load(vb, 3, k, stride, Activation::HardSwish).unwrap().forward(&x).unwrap();
            let p = (k - 1) / 2;
            let full = x.conv2d(&w, p, 1, 1, 3).unwrap().broadcast_add(&b.reshape((1, 3, 1, 1)).unwrap()).unwrap();
            let rows: Vec<u32> = (0..full.dim(2).unwrap() as u32).step_by(stride.0).collect();
            let cols: Vec<u32> = (0..full.dim(3).unwrap() as u32).step_by(stride.1).collect();
            let want = full
                .index_select(&Tensor::new(rows.as_slice(), &dev).unwrap(), 2)
                .unwrap()
                .index_select(&Tensor::new(cols.as_slice(), &dev).unwrap(), 3)
                .unwrap();
            let want = hard_swish(&want).unwrap();
            assert_close(&got, &want, 1e-4, &format!("k {k} stride {stride:?}"));
        }
    }

    #[test]
    fn a_pointwise_convolution_as_a_matrix_product_equals_candles_conv2d() {
        let x = ramp((2, 5, 3, 4), 0.05, -3.0);
        let w = ramp((7, 5, 1, 1), 0.04, -0.6);
        let b = ramp(7, 0.3, -1.0);
        for act in [None, Some(Activation::Relu), Some(Activation::HardSwish)] {
            let vb = weight_and_bias(&w, &b);
            let got = Pointwise::load(vb, 5, 7, act).unwrap().forward(&x).unwrap();
            let want = x.conv2d(&w, 0, 1, 1, 1).unwrap().broadcast_add(&b.reshape((1, 7, 1, 1)).unwrap()).unwrap();
            let want = match act {
                Some(a) => a.forward(&want).unwrap(),
                None => want,
            };
            assert_close(&got, &want, 1e-5, &format!("{act:?}"));
        }
    }

    #[test]
    fn the_in_place_activations_equal_the_tensor_ones() {
        let dev = Device::Cpu;
        let x = Tensor::arange(-50f32, 50.0, &dev).unwrap().affine(0.1, 0.0).unwrap();
        for act in [Activation::Relu, Activation::HardSwish] {
            let want = act.forward(&x).unwrap();
            let got = act.forward_owned(x.copy().unwrap()).unwrap();
            let diff = max_abs_diff(&got, &want);
            assert_eq!(diff, 0.0, "{act:?}");
        }
    }

    #[test]
    fn a_batch_of_line_crops_gives_one_probability_pair_per_crop() {
        let dev = Device::Cpu;
        let vb = VarBuilder::zeros(DType::F32, &dev);
        let model = Model::load(vb, &Config::default()).unwrap();
        let x = Tensor::zeros((3, 1, 48, 192), DType::F32, &dev).unwrap();
        let y = model.forward(&x).unwrap();
        assert_eq!(y.dims(), &[3, 2]);
        let sums: Vec<f32> = y.sum(1).unwrap().to_vec1().unwrap();
        assert!(sums.iter().all(|s| (s - 1.0).abs() < 1e-6), "{sums:?}");
    }
}
