//! Layers the three PP-OCR models share, in candle. The weights are the
//! ones `models/ocr/build.py` folded (batch norms and the "learnable
//! affine" scale/bias pairs are already inside each convolution), so a
//! convolution here is always weight + bias.

use candle_core::{Module, Result, Tensor};
use candle_nn::{Linear, VarBuilder};

/// A 2-d convolution with a bias, whose strides and paddings may differ
/// between the axes (the recogniser downsamples height only, `(2, 1)`, and
/// width only, `(1, 2)`). candle's `conv2d` takes one stride and one
/// padding for both axes, so unequal ones are done as: pad each axis
/// explicitly, convolve with stride 1 along the axis that strides less,
/// then keep every n-th row or column.
#[derive(Debug, Clone)]
pub struct Conv {
    weight: Tensor,
    bias: Tensor,
    stride: (usize, usize),
    padding: (usize, usize),
    groups: usize,
}

/// A convolution's shape, as the ONNX graph gives it (`(h, w)` pairs).
#[derive(Debug, Clone, Copy)]
pub struct ConvConfig {
    pub in_channels: usize,
    pub out_channels: usize,
    pub kernel: (usize, usize),
    pub stride: (usize, usize),
    pub padding: (usize, usize),
    pub groups: usize,
}

impl Conv {
    /// `weight` `[out, in/groups, kh, kw]` and `bias` `[out]` under `vb`.
    pub fn load(vb: VarBuilder, cfg: ConvConfig) -> Result<Conv> {
        let weight = vb.get((cfg.out_channels, cfg.in_channels / cfg.groups, cfg.kernel.0, cfg.kernel.1), "weight")?;
        let bias = vb.get(cfg.out_channels, "bias")?.reshape((1, cfg.out_channels, 1, 1))?;
        Ok(Conv { weight, bias, stride: cfg.stride, padding: cfg.padding, groups: cfg.groups })
    }

    /// A convolution padded to keep the size at stride 1 (`(k − 1) / 2` a
    /// side, odd kernels), as every one in these graphs is.
    pub fn same(vb: VarBuilder, in_channels: usize, out_channels: usize, kernel: (usize, usize), stride: (usize, usize), groups: usize) -> Result<Conv> {
        let padding = ((kernel.0 - 1) / 2, (kernel.1 - 1) / 2);
        Conv::load(vb, ConvConfig { in_channels, out_channels, kernel, stride, padding, groups })
    }
}

impl Module for Conv {
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        let ((sh, sw), (ph, pw)) = (self.stride, self.padding);
        let y = if self.groups > 1 && self.groups == self.weight.dim(0)? && self.groups == x.dim(1)? {
            depthwise(x, &self.weight, self.stride, self.padding)?
        } else if sh == sw && ph == pw {
            x.conv2d(&self.weight, ph, sh, 1, self.groups)?
        } else {
            let x = x.pad_with_zeros(2, ph, ph)?.pad_with_zeros(3, pw, pw)?;
            let s = sh.min(sw);
            let y = x.conv2d(&self.weight, 0, s, 1, self.groups)?;
            let y = every_nth(&y, 2, sh / s)?;
            every_nth(&y, 3, sw / s)?
        };
        y.broadcast_add(&self.bias)
    }
}

/// A depthwise convolution (one filter per channel) as a sum of shifted
/// copies of the input, one per kernel tap. candle runs a grouped
/// convolution as one convolution per group and concatenates them: for
/// the models' 480-channel depthwise layers that is 480 small calls. This
/// is `kh·kw` whole-tensor multiply-adds instead, on any device.
fn depthwise(x: &Tensor, weight: &Tensor, stride: (usize, usize), padding: (usize, usize)) -> Result<Tensor> {
    let (c, _, kh, kw) = weight.dims4()?;
    let x = x.pad_with_zeros(2, padding.0, padding.0)?.pad_with_zeros(3, padding.1, padding.1)?;
    let (_, _, h, w) = x.dims4()?;
    let (oh, ow) = (h - kh + 1, w - kw + 1);
    let mut y: Option<Tensor> = None;
    for i in 0..kh {
        for j in 0..kw {
            let tap = weight.narrow(2, i, 1)?.narrow(3, j, 1)?.reshape((1, c, 1, 1))?;
            let term = x.narrow(2, i, oh)?.narrow(3, j, ow)?.broadcast_mul(&tap)?;
            y = Some(match y {
                None => term,
                Some(acc) => (acc + term)?,
            });
        }
    }
    let y = y.expect("a kernel has taps");
    every_nth(&every_nth(&y, 2, stride.0)?, 3, stride.1)
}

/// Every `n`-th index of `dim`, from the first.
fn every_nth(x: &Tensor, dim: usize, n: usize) -> Result<Tensor> {
    if n == 1 {
        return Ok(x.clone());
    }
    let len = x.dim(dim)?;
    let idx: Vec<u32> = (0..len as u32).step_by(n).collect();
    let idx = Tensor::new(idx.as_slice(), x.device())?;
    x.index_select(&idx, dim)
}

/// ONNX HardSigmoid: `clamp(alpha·x + beta, 0, 1)`.
pub fn hard_sigmoid(x: &Tensor, alpha: f64, beta: f64) -> Result<Tensor> {
    x.affine(alpha, beta)?.clamp(0f32, 1f32)
}

/// hardswish `x · relu6(x + 3) / 6`, as the graphs spell it:
/// `x · HardSigmoid(x; 1/6, ½)`.
pub fn hard_swish(x: &Tensor) -> Result<Tensor> {
    x.mul(&hard_sigmoid(x, 1.0 / 6.0, 0.5)?)
}

/// A fully connected layer `fc` and a softmax over its outputs: how the
/// classifier's `ClsHead` and the recogniser's `CTCHead` both end.
#[derive(Debug, Clone)]
pub struct SoftmaxFc {
    fc: Linear,
}

impl SoftmaxFc {
    /// `fc.weight` `[classes, in]` and `fc.bias` `[classes]` under `vb`.
    pub fn load(vb: VarBuilder, in_channels: usize, num_classes: usize) -> Result<SoftmaxFc> {
        Ok(SoftmaxFc { fc: candle_nn::linear(in_channels, num_classes, vb.pp("fc"))? })
    }
}

impl Module for SoftmaxFc {
    /// `[…, in]` features → `[…, classes]` probabilities.
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        candle_nn::ops::softmax_last_dim(&self.fc.forward(x)?)
    }
}

/// What the layers' and the models' tests compare with.
#[cfg(test)]
pub(crate) mod testing {
    use candle_core::{DType, Device, Shape, Tensor};
    use candle_nn::VarBuilder;

    /// Asserts that `got` has `want`'s shape and is within `tolerance` of it
    /// everywhere; `case` names the case in the message.
    pub fn assert_close(got: &Tensor, want: &Tensor, tolerance: f32, case: &str) {
        assert_eq!(got.dims(), want.dims(), "{case}");
        let diff = max_abs_diff(got, want);
        assert!(diff < tolerance, "{case}: {diff}");
    }

    /// The largest absolute difference between two tensors of one shape.
    pub fn max_abs_diff(a: &Tensor, b: &Tensor) -> f32 {
        (a - b).unwrap().abs().unwrap().max_all().unwrap().to_scalar::<f32>().unwrap()
    }

    /// A tensor of `shape` holding 0, 1, 2, … in row-major order, each
    /// times `scale` plus `offset`: inputs and weights of every sign.
    pub fn ramp(shape: impl Into<Shape>, scale: f64, offset: f64) -> Tensor {
        let shape = shape.into();
        Tensor::arange(0f32, shape.elem_count() as f32, &Device::Cpu).unwrap().affine(scale, offset).unwrap().reshape(shape).unwrap()
    }

    /// The `weight` and `bias` a layer loads, as its `VarBuilder`.
    pub fn weight_and_bias(weight: &Tensor, bias: &Tensor) -> VarBuilder<'static> {
        VarBuilder::from_tensors([("weight".to_string(), weight.clone()), ("bias".to_string(), bias.clone())].into(), DType::F32, weight.device())
    }
}

#[cfg(test)]
mod tests {
    use candle_core::Device;

    use super::testing::{assert_close, ramp, weight_and_bias};
    use super::*;

    #[test]
    fn a_convolution_with_unequal_strides_keeps_every_second_row_of_the_stride_one_result() {
        let dev = Device::Cpu;
        let x = Tensor::arange(0f32, 2.0 * 6.0 * 5.0, &dev).unwrap().reshape((1, 2, 6, 5)).unwrap();
        let w = ramp((3, 2, 3, 3), 0.01, -0.2);
        let b = Tensor::new(&[0.5f32, -1.0, 2.0], &dev).unwrap();
        let vb = weight_and_bias(&w, &b);
        let cfg = ConvConfig { in_channels: 2, out_channels: 3, kernel: (3, 3), stride: (2, 1), padding: (1, 1), groups: 1 };
        let y = Conv::load(vb, cfg).unwrap().forward(&x).unwrap();
        assert_eq!(y.dims(), &[1, 3, 3, 5]);
        let full = x.conv2d(&w, 1, 1, 1, 1).unwrap();
        let row2 = full.narrow(2, 2, 1).unwrap().squeeze(2).unwrap();
        let got = y.narrow(2, 1, 1).unwrap().squeeze(2).unwrap();
        assert_close(&got, &row2.broadcast_add(&b.reshape((1, 3, 1)).unwrap()).unwrap(), 1e-5, "");
    }

    #[test]
    fn a_depthwise_convolution_as_shifted_sums_equals_candles_grouped_one() {
        let x = ramp((1, 4, 7, 6), 0.1, -3.0);
        let w = ramp((4, 1, 5, 5), 0.02, -1.0);
        for stride in [(1, 1), (2, 2), (2, 1), (1, 2)] {
            let got = depthwise(&x, &w, stride, (2, 2)).unwrap();
            let full = x.conv2d(&w, 2, 1, 1, 4).unwrap();
            let want = every_nth(&every_nth(&full, 2, stride.0).unwrap(), 3, stride.1).unwrap();
            assert_close(&got, &want, 1e-4, &format!("{stride:?}"));
        }
    }

    #[test]
    fn hard_swish_is_zero_below_minus_three_and_identity_above_three() {
        let x = Tensor::new(&[-4f32, 0.0, 1.0, 4.0], &Device::Cpu).unwrap();
        let y: Vec<f32> = hard_swish(&x).unwrap().to_vec1().unwrap();
        assert_eq!(y[0], 0.0);
        assert_eq!(y[1], 0.0);
        assert!((y[2] - 1.0 * 4.0 / 6.0).abs() < 1e-6);
        assert_eq!(y[3], 4.0);
    }
}
