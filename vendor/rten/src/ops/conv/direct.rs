//! dajian patch: direct 3×3 convolution (stride 1, no dilation, one group)
//! for convolutions with few output channels.
//!
//! The general path builds im2col panels for a GEMM: every input value is
//! packed nine times over, once per tap. With many output channels that
//! cost is shared out; with PP-OCR's FPN and DB head (96 → 24 channels at
//! a quarter of the page's resolution) packing took about as long as the
//! GEMM itself, and these convolutions were ~40 % of a detection call.
//! Here the output is computed from the input directly: a band of rows is
//! copied once into a zero-padded strip, and each 8-pixel tile of an output
//! row accumulates 12 output channels in registers over every input
//! channel and tap, then stores once.

use std::cell::RefCell;
use rayon::prelude::*;
use rten_tensor::prelude::*;
use rten_tensor::{NdTensor, NdTensorView};

use crate::buffer_pool::{AutoReturn, BufferPool};

/// A direct convolution kernel: `None` when it does not take these
/// parameters (the caller then uses im2col and GEMM).
type DirectConvFn<X, W, Y> = fn(
    &BufferPool,
    &NdTensorView<X, 4>,
    &NdTensorView<W, 4>,
    Option<NdTensorView<Y, 1>>,
    [usize; 4],
    [usize; 2],
) -> Option<NdTensor<Y, 4>>;

/// Direct 3×3 convolution, for the data types that have a kernel.
pub struct DirectConvExecutor<X, W, Y> {
    kernel: Option<DirectConvFn<X, W, Y>>,
}

impl<X, W, Y> DirectConvExecutor<X, W, Y> {
    /// Convolve `input` (NCHW) with a 3×3 `kernel` (OCHW, one group) at
    /// stride 1 without dilation. `padding` is top, left, bottom, right;
    /// `out_hw` the output size that padding gives. `None` when there is
    /// no direct kernel for these types, shapes or this CPU.
    pub fn conv_3x3(
        &self,
        pool: &BufferPool,
        input: &NdTensorView<X, 4>,
        kernel: &NdTensorView<W, 4>,
        bias: Option<NdTensorView<Y, 1>>,
        padding: [usize; 4],
        out_hw: [usize; 2],
    ) -> Option<NdTensor<Y, 4>> {
        self.kernel
            .and_then(|k| k(pool, input, kernel, bias, padding, out_hw))
    }
}

impl Default for DirectConvExecutor<f32, f32, f32> {
    fn default() -> Self {
        DirectConvExecutor {
            kernel: Some(conv_3x3_f32),
        }
    }
}

impl Default for DirectConvExecutor<i8, u8, i32> {
    fn default() -> Self {
        DirectConvExecutor { kernel: None }
    }
}

/// Output channels computed together (one accumulator register each).
const BLOCK: usize = 12;

/// Most output channels taken. With more, im2col's packing is shared by
/// enough output channels for the GEMM to catch up: 96 input channels at
/// 320×224, best of 15 on 2 cores, GEMM vs direct: 12 outputs 32 vs 11 ms,
/// 24 outputs 37 vs 20 ms, 36 outputs 40 vs 30 ms, 48 outputs 41 vs 39 ms,
/// 96 outputs 53 vs 76 ms; 32 → 32 channels at 160×112 2.1 vs 2.3 ms.
const MAX_OUT_CHANNELS: usize = 24;

/// Output rows per band (per task, per padded strip).
const BAND_ROWS: usize = 4;

thread_local! {
    /// The zero-padded input rows of the band being computed.
    static STRIP: RefCell<Vec<f32>> = const { RefCell::new(Vec::new()) };
}

/// Raw output pointer shared by the bands, which write disjoint rows.
#[derive(Clone, Copy)]
struct OutPtr(*mut f32);
unsafe impl Send for OutPtr {}
unsafe impl Sync for OutPtr {}

impl OutPtr {
    /// Through a method, so closures capture the `Sync` wrapper and not
    /// the bare pointer field.
    fn at(self, offset: usize) -> *mut f32 {
        self.0.wrapping_add(offset)
    }
}

fn conv_3x3_f32(
    pool: &BufferPool,
    input: &NdTensorView<f32, 4>,
    kernel: &NdTensorView<f32, 4>,
    bias: Option<NdTensorView<f32, 1>>,
    padding: [usize; 4],
    out_hw: [usize; 2],
) -> Option<NdTensor<f32, 4>> {
    let [batch, c_in, in_h, in_w] = input.shape();
    let [c_out, k_in, k_h, k_w] = kernel.shape();
    let [out_h, out_w] = out_hw;
    // `conv_impl` sends only 3×3 kernels of one group here.
    debug_assert!([k_h, k_w] == [3, 3] && k_in == c_in);
    if !simd::available()
        || c_out == 0
        || c_out > MAX_OUT_CHANNELS
        || out_h == 0
        || out_w == 0
        || c_in == 0
    {
        return None;
    }
    let [pad_t, pad_l, _, _] = padding;

    // Weights as [block][c_in][tap][BLOCK], the last block padded with
    // zeros, so a tile reads its 12 broadcasts from one place.
    let n_blocks = c_out.div_ceil(BLOCK);
    let mut weights = vec![0f32; n_blocks * c_in * 9 * BLOCK];
    for o in 0..c_out {
        let (blk, lane) = (o / BLOCK, o % BLOCK);
        for c in 0..c_in {
            for tap in 0..9 {
                weights[((blk * c_in + c) * 9 + tap) * BLOCK + lane] = kernel[[o, c, tap / 3, tap % 3]];
            }
        }
    }
    let mut biases = vec![0f32; n_blocks * BLOCK];
    if let Some(bias) = bias {
        for o in 0..c_out {
            biases[o] = bias[o];
        }
    }

    let input = input.to_contiguous_in(pool).auto_return(pool);
    let mut output = NdTensor::<f32, 4>::uninit_in(pool, [batch, c_out, out_h, out_w]);
    let out_ptr = OutPtr(output.data_mut().unwrap().as_mut_ptr() as *mut f32);

    // Strip columns: output tiles are 8 wide, each reads 2 columns more.
    let cols = out_w.div_ceil(8) * 8 + 2;
    let n_bands = out_h.div_ceil(BAND_ROWS);
    (0..batch * n_bands).into_par_iter().for_each(|task| {
        let (n, band) = (task / n_bands, task % n_bands);
        let y0 = band * BAND_ROWS;
        let rows_out = BAND_ROWS.min(out_h - y0);
        let rows = rows_out + 2;
        let image = input.slice(n);
        let image = image.data().unwrap();
        STRIP.with_borrow_mut(|strip| {
            // Every value is written below, so the strip is not cleared.
            strip.resize(c_in * rows * cols, 0.0);
            // Strip row i, column j hold input row y0 + i − pad_t, column
            // j − pad_l; zero outside the image.
            for c in 0..c_in {
                for i in 0..rows {
                    let dst = &mut strip[(c * rows + i) * cols..][..cols];
                    let Some(y) = (y0 + i).checked_sub(pad_t).filter(|&y| y < in_h) else {
                        dst.fill(0.0);
                        continue;
                    };
                    let src = &image[(c * in_h + y) * in_w..][..in_w];
                    let (left, rest) = dst.split_at_mut(pad_l.min(cols));
                    let take = in_w.min(rest.len());
                    left.fill(0.0);
                    rest[..take].copy_from_slice(&src[..take]);
                    rest[take..].fill(0.0);
                }
            }
            let out = OutPtr(out_ptr.at(n * c_out * out_h * out_w));
            // Safety: AVX2 and FMA were detected; the strip holds `rows`
            // rows of `cols` per input channel, enough for every load; this
            // band writes only output rows y0..y0 + rows_out of image n.
            unsafe {
                simd::band(strip, c_in, rows, cols, &weights, &biases, c_out, out, out_h, out_w, y0, rows_out);
            }
        });
    });

    Some(unsafe { output.assume_init() })
}

mod simd {
    use super::{BLOCK, OutPtr};

    pub(super) fn available() -> bool {
        #[cfg(target_arch = "x86_64")]
        {
            use std::sync::OnceLock;
            static HAVE: OnceLock<bool> = OnceLock::new();
            return *HAVE.get_or_init(|| {
                std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
            });
        }
        #[allow(unreachable_code)]
        false
    }

    /// Output rows `y0..y0 + rows_out` of one image, every output channel,
    /// from the band's padded strip.
    #[cfg(target_arch = "x86_64")]
    #[allow(clippy::too_many_arguments)]
    #[target_feature(enable = "avx2,fma")]
    pub(super) unsafe fn band(
        strip: &[f32],
        c_in: usize,
        rows: usize,
        cols: usize,
        weights: &[f32],
        biases: &[f32],
        c_out: usize,
        out: OutPtr,
        out_h: usize,
        out_w: usize,
        y0: usize,
        rows_out: usize,
    ) {
        unsafe {
            use std::arch::x86_64::*;
            let chan_stride = rows * cols;
            for r in 0..rows_out {
                let mut x0 = 0;
                while x0 < out_w {
                    let n_px = 8.min(out_w - x0);
                    for (blk, blk_weights) in weights.chunks_exact(c_in * 9 * BLOCK).enumerate() {
                        let b = biases.as_ptr().add(blk * BLOCK);
                        let mut acc = [_mm256_setzero_ps(); BLOCK];
                        for (o, a) in acc.iter_mut().enumerate() {
                            *a = _mm256_broadcast_ss(&*b.add(o));
                        }
                        let mut src = strip.as_ptr().add(r * cols + x0);
                        let mut w = blk_weights.as_ptr();
                        for _ in 0..c_in {
                            for ky in 0..3 {
                                for kx in 0..3 {
                                    let v = _mm256_loadu_ps(src.add(ky * cols + kx));
                                    for (o, a) in acc.iter_mut().enumerate() {
                                        *a = _mm256_fmadd_ps(v, _mm256_broadcast_ss(&*w.add(o)), *a);
                                    }
                                    w = w.add(BLOCK);
                                }
                            }
                            src = src.add(chan_stride);
                        }
                        let first = blk * BLOCK;
                        let y = y0 + r;
                        for (o, a) in acc.iter().enumerate().take(c_out.saturating_sub(first)) {
                            let dst = out.at(((first + o) * out_h + y) * out_w + x0);
                            if n_px == 8 {
                                _mm256_storeu_ps(dst, *a);
                            } else {
                                let mut tmp = [0f32; 8];
                                _mm256_storeu_ps(tmp.as_mut_ptr(), *a);
                                std::ptr::copy_nonoverlapping(tmp.as_ptr(), dst, n_px);
                            }
                        }
                    }
                    x0 += 8;
                }
            }
        }
    }

    #[cfg(not(target_arch = "x86_64"))]
    #[allow(clippy::too_many_arguments)]
    pub(super) unsafe fn band(
        _strip: &[f32],
        _c_in: usize,
        _rows: usize,
        _cols: usize,
        _weights: &[f32],
        _biases: &[f32],
        _c_out: usize,
        _out: OutPtr,
        _out_h: usize,
        _out_w: usize,
        _y0: usize,
        _rows_out: usize,
    ) {
        unreachable!("available() is false off x86_64")
    }
}
