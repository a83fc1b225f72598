//! The vendored rten's patched operators (vendor/rten/PATCHED.md) against
//! plain loops. The depthwise convolution is checked over the shapes
//! PP-OCR's models use and the edges where a vector kernel goes wrong: rows
//! narrower than a vector, widths just past a multiple of 8, padding on one
//! side only, strides 1 and 2. The direct 3×3 convolution over channel
//! counts around its 12-channel blocks and its limit, batches, and padding
//! up to 2. The nearest resize over PP-OCR's factors and
//! the ONNX coordinate modes, on contiguous and strided inputs.

use rten::BufferPool;
use rten::ops::{Padding, conv};
use rten_tensor::prelude::*;
use rten_tensor::{NdTensor, Tensor};

/// A deterministic value in [-1, 1) for index `i` of stream `seed`.
fn value(seed: u32, i: usize) -> f32 {
    let x = (i as u32).wrapping_mul(2_654_435_761).wrapping_add(seed.wrapping_mul(40_503)) ^ (i as u32 >> 3);
    (x % 20_000) as f32 / 10_000.0 - 1.0
}

/// Convolution the obvious way: every output pixel summed over its input
/// channels and taps, padding read as zero. The group count follows from
/// the shapes (input channels / kernel input channels).
fn plain_conv(input: &NdTensor<f32, 4>, kernel: &NdTensor<f32, 4>, bias: &[f32], pad: [usize; 4], stride: [usize; 2]) -> NdTensor<f32, 4> {
    let [n, c_in, h, w] = input.shape();
    let [c_out, k_in, kh, kw] = kernel.shape();
    let outs_per_group = c_out / (c_in / k_in);
    let out_h = (h + pad[0] + pad[2] - kh) / stride[0] + 1;
    let out_w = (w + pad[1] + pad[3] - kw) / stride[1] + 1;
    let mut out = NdTensor::zeros([n, c_out, out_h, out_w]);
    for b in 0..n {
        for o in 0..c_out {
            let first_in = o / outs_per_group * k_in;
            for oy in 0..out_h {
                for ox in 0..out_w {
                    let mut acc = bias[o] as f64;
                    for ci in 0..k_in {
                        for ky in 0..kh {
                            for kx in 0..kw {
                                let y = (oy * stride[0] + ky) as isize - pad[0] as isize;
                                let x = (ox * stride[1] + kx) as isize - pad[1] as isize;
                                if y >= 0 && x >= 0 && (y as usize) < h && (x as usize) < w {
                                    acc += input[[b, first_in + ci, y as usize, x as usize]] as f64 * kernel[[o, ci, ky, kx]] as f64;
                                }
                            }
                        }
                    }
                    out[[b, o, oy, ox]] = acc as f32;
                }
            }
        }
    }
    out
}

/// Runs rten's convolution on deterministic values of these shapes and
/// compares it with [`plain_conv`]. False when the padded input is smaller
/// than the kernel (nothing to compare).
fn conv_equals_plain_loop(pool: &BufferPool, input_shape: [usize; 4], kernel_shape: [usize; 4], pad: [usize; 4], stride: usize, seed: u32) -> bool {
    let [n, c_in, h, w] = input_shape;
    let [c_out, k_in, kh, kw] = kernel_shape;
    if h + pad[0] + pad[2] < kh || w + pad[1] + pad[3] < kw {
        return false;
    }
    let input = NdTensor::from_data(input_shape, (0..n * c_in * h * w).map(|i| value(seed, i)).collect::<Vec<_>>());
    let kernel = NdTensor::from_data(kernel_shape, (0..c_out * k_in * kh * kw).map(|i| value(seed + 1, i)).collect::<Vec<_>>());
    let bias: Vec<f32> = (0..c_out).map(|i| value(seed + 2, i)).collect();
    let bias_t = NdTensor::from_data([c_out], bias.clone());
    let got: Tensor<f32> = conv(
        pool,
        input.as_dyn(),
        kernel.as_dyn(),
        Some(bias_t.view()),
        Padding::Fixed(pad.as_slice().into()),
        c_in / k_in,
        &[stride, stride],
        &[1, 1],
    )
    .expect("conv runs");
    let want = plain_conv(&input, &kernel, &bias, pad, [stride, stride]);
    let case = format!("input {input_shape:?}, kernel {kernel_shape:?}, stride {stride}, pad {pad:?}");
    assert_eq!(got.shape(), want.shape().as_slice(), "{case}");
    // Sums of up to ~900 products of values in [-1, 1): allow for the
    // order of addition.
    let tolerance = (1e-5 * (k_in * kh * kw) as f32).max(1e-4);
    for (g, w_) in got.iter().zip(want.iter()) {
        assert!((g - w_).abs() < tolerance, "{case}: {g} vs {w_}");
    }
    true
}

#[test]
fn the_patched_depthwise_convolution_equals_a_plain_loop() {
    let pool = BufferPool::new();
    let mut cases = 0;
    for k in [3, 5] {
        for stride in [1, 2] {
            for pad in [[k / 2; 4], [0; 4], [0, 0, k / 2, k / 2], [1, 2, 0, 1]] {
                for (h, w) in [(1, 1), (3, 7), (5, 8), (6, 9), (4, 17), (6, 37), (7, 40), (6, 64), (2, 71), (9, 33)] {
                    let c = 3;
                    let seed = (k * 1000 + stride * 100 + h * 10 + w) as u32;
                    cases += conv_equals_plain_loop(&pool, [1, c, h, w], [c, 1, k, k], pad, stride, seed) as usize;
                }
            }
        }
    }
    assert!(cases > 50, "only {cases} shapes were tried");
}

#[test]
fn the_direct_3x3_convolution_equals_a_plain_loop() {
    // Output channels: fewer than one block of 12, one block, one past it,
    // the most the direct kernel takes (24, PP-OCR's) and more (the GEMM
    // path). Sizes: narrower than a vector, just past a multiple of 8,
    // and band counts that leave a short last band.
    let pool = BufferPool::new();
    let mut cases = 0;
    for (c_in, c_out) in [(1, 1), (3, 5), (8, 12), (5, 13), (96, 24), (7, 25), (4, 48)] {
        for pad in [[1; 4], [0; 4], [0, 0, 1, 1], [1, 2, 0, 1], [2; 4]] {
            for (n, h, w) in [(1, 1, 1), (1, 3, 7), (2, 5, 8), (1, 6, 9), (1, 4, 17), (2, 9, 33), (1, 13, 40)] {
                let seed = (c_out * 1000 + h * 10 + w) as u32;
                cases += conv_equals_plain_loop(&pool, [n, c_in, h, w], [c_out, c_in, 3, 3], pad, 1, seed) as usize;
            }
        }
    }
    assert!(cases > 200, "only {cases} shapes were tried");
}

/// Nearest-neighbour resizing by the ONNX formulas, one output pixel at a time.
fn plain_nearest(input: &NdTensor<f32, 4>, out_hw: [usize; 2], coord: &str, round: &str) -> NdTensor<f32, 4> {
    let [n, c, h, w] = input.shape();
    let [oh, ow] = out_hw;
    let source = |o: usize, len: usize, out_len: usize| -> usize {
        let scale = out_len as f32 / len as f32;
        let x = match coord {
            "asymmetric" => o as f32 / scale,
            "half_pixel" => (o as f32 + 0.5) / scale - 0.5,
            _ => if out_len > 1 { o as f32 * (len - 1) as f32 / (out_len - 1) as f32 } else { 0.0 },
        };
        let x = x.clamp(0.0, (len - 1) as f32);
        let i = match round {
            "floor" => x.floor(),
            "ceil" => x.ceil(),
            _ => if x.fract() == 0.5 { x.floor() } else { x.round() },
        };
        i as usize
    };
    let mut out = NdTensor::zeros([n, c, oh, ow]);
    for b in 0..n {
        for ch in 0..c {
            for y in 0..oh {
                for x in 0..ow {
                    out[[b, ch, y, x]] = input[[b, ch, source(y, h, oh), source(x, w, ow)]];
                }
            }
        }
    }
    out
}

#[test]
fn the_patched_nearest_resize_equals_the_onnx_formulas() {
    use rten::ops::{CoordTransformMode, NearestMode, ResizeMode, ResizeTarget, resize};
    let pool = BufferPool::new();
    let modes = [
        ("asymmetric", "floor", CoordTransformMode::Asymmetric, NearestMode::Floor),
        ("half_pixel", "round_prefer_floor", CoordTransformMode::HalfPixel, NearestMode::RoundPreferFloor),
        ("align_corners", "ceil", CoordTransformMode::AlignCorners, NearestMode::Ceil),
    ];
    // PP-OCR's FPN upsamples by 2, 4 and 8; the others check odd factors,
    // shrinking, and different factors across and down.
    for (sy, sx) in [(2.0, 2.0), (4.0, 4.0), (8.0, 8.0), (0.5, 0.5), (1.5, 3.0), (3.0, 1.0)] {
        for &(coord, round, coord_mode, nearest_mode) in &modes {
            for transposed in [false, true] {
                let (h, w) = (6, 10);
                let data: Vec<f32> = (0..2 * 5 * h * w).map(|i| value(7, i)).collect();
                let stored = if transposed { NdTensor::from_data([2, 5, w, h], data) } else { NdTensor::from_data([2, 5, h, w], data) };
                // A transposed view is not contiguous: the row-copy path
                // must fall back to indexing.
                let view = if transposed { stored.permuted([0, 1, 3, 2]) } else { stored.view() };
                assert_eq!(view.is_contiguous(), !transposed);
                let input = view.to_tensor();
                let scales = NdTensor::from([1.0, 1.0, sy, sx]);
                let got: Tensor<f32> = resize(&pool, view.as_dyn(), ResizeTarget::Scales(scales.view()), ResizeMode::Nearest, coord_mode, nearest_mode).unwrap();
                let out_hw = [(h as f32 * sy).floor() as usize, (w as f32 * sx).floor() as usize];
                let want = plain_nearest(&input, out_hw, coord, round);
                assert_eq!(got.shape(), want.shape().as_slice(), "{sy}×{sx} {coord}");
                assert_eq!(got.to_vec(), want.to_vec(), "{sy}×{sx} {coord}/{round} transposed {transposed}");
            }
        }
    }
}
