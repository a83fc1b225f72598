use std::mem::MaybeUninit;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use rten_base::unroll::unroll_loop;
use rten_tensor::prelude::*;
use rten_tensor::{AssumeInit, NdTensor, NdTensorView, NdTensorViewMut};
use smallvec::SmallVec;

use crate::buffer_pool::{AutoReturn, BufferPool};

/// Calculate the output coordinate range for which all input / output
/// coordinates are valid when updating a row of output using:
///
/// ```text
/// for out_x in min_out_x..max_out_x {
///   out_row[out_x] += in_row[out_x * stride + k_x * dilation - pad_left] * kernel_row[k_x]
/// }
/// ```
///
/// Where `in_row` is the un-padded input row of width `in_w` and `out_row` is
/// an output row of width `out_w`.
///
/// In other words, we want to find the minimum and maximum values of `out_x`
/// such that:
///
/// - out_x * stride + k_x * dilation - pad_left >= 0
/// - out_x * stride + k_x * dilation - pad_left <= in_w
/// - out_x >= 0
/// - out_x <= out_w
fn min_max_out_x_coords(
    k_x: usize,
    in_w: usize,
    pad_left: usize,
    stride: usize,
    dilation: usize,
    out_w: usize,
) -> (usize, usize) {
    let min_out_x = pad_left
        .saturating_sub(k_x * dilation)
        .div_ceil(stride)
        .min(out_w);
    let max_out_x = (in_w + pad_left)
        .saturating_sub(k_x * dilation)
        .div_ceil(stride)
        .min(out_w);
    (min_out_x, max_out_x)
}

/// Convolution parameters passed to the kernel which are constant across
/// all calls within a single depthwise conv operation.
struct ConvParams<'a> {
    kernel_h: usize,
    stride_h: usize,
    stride_w: usize,
    dilation_y: usize,
    pad_top: usize,
    in_h: usize,
    in_row_len: usize,
    in_row_stride: usize,

    /// Precomputed map of kernel X coordinate to input and output row
    /// range.
    col_range_for_kernel_x: &'a [(Range<usize>, Range<usize>)],
}

/// Trait for architecture and data-type specific kernels for depthwise
/// convolution.
trait DepthwiseConvKernel<X, W, Y> {
    /// Compute one output row of the depthwise convolution.
    ///
    /// `image_chan` and `kernel_chan` contain the input data and weights for
    /// the channel that corresponds to the output row.
    fn compute_row(
        &self,
        params: &ConvParams,
        out_row: &mut [MaybeUninit<Y>],
        out_y: usize,
        out_init: Y,
        image_chan: &[X],
        kernel_chan: NdTensorView<W, 2>,
        input_zero: X,
        kernel_zero: W,
    );

    /// dajian patch: compute a whole output channel at once, if the kernel
    /// has a fast path for these parameters; false leaves it to
    /// [`compute_row`](Self::compute_row). `out_chan` is `out_h` rows of
    /// `out_w` values with row stride `out_row_stride`.
    fn compute_channel(
        &self,
        _params: &ChannelParams,
        _out_chan: &mut [MaybeUninit<Y>],
        _init: Y,
        _image_chan: &[X],
        _kernel_chan: NdTensorView<W, 2>,
    ) -> bool {
        false
    }
}

/// dajian patch: the geometry of one channel of a depthwise convolution.
struct ChannelParams {
    in_h: usize,
    in_w: usize,
    in_row_stride: usize,
    out_h: usize,
    out_w: usize,
    out_row_stride: usize,
    kernel: [usize; 2],
    /// Top, left, bottom, right.
    padding: [usize; 4],
    strides: [usize; 2],
    dilations: [usize; 2],
}

struct GenericDepthwiseConvKernel {}

impl DepthwiseConvKernel<f32, f32, f32> for GenericDepthwiseConvKernel {
    fn compute_row(
        &self,
        params: &ConvParams,
        out_row: &mut [MaybeUninit<f32>],
        out_y: usize,
        out_init: f32,
        image_chan: &[f32],
        kernel_chan: NdTensorView<f32, 2>,
        _input_zero: f32,
        _kernel_zero: f32,
    ) {
        let kernel_view = kernel_chan.weakly_checked_view();

        // Initialize output row.
        for x in out_row.iter_mut() {
            x.write(out_init);
        }
        let out_row: &mut [f32] = unsafe { out_row.assume_init() };

        for k_y in 0..params.kernel_h {
            let in_y = out_y * params.stride_h + k_y * params.dilation_y;
            if in_y < params.pad_top || in_y >= params.in_h + params.pad_top {
                continue;
            }

            let in_row_y = in_y - params.pad_top;
            let in_row = &image_chan[in_row_y * params.in_row_stride..][..params.in_row_len];

            for (k_x, (in_range, out_range)) in params.col_range_for_kernel_x.iter().enumerate() {
                let dest = &mut out_row[out_range.clone()];
                let src = &in_row[in_range.clone()];
                let scale = kernel_view[[k_y, k_x]];

                let src_els = src.len().div_ceil(params.stride_w);
                debug_assert!(src_els == dest.len());

                // dajian patch: vectorised rows for strides 1 and 2.
                if simd::axpy(dest, src, scale, params.stride_w) {
                    continue;
                }

                unroll_loop!(0..src_els, i, 4, {
                    unsafe {
                        *dest.get_unchecked_mut(i) +=
                            *src.get_unchecked(i * params.stride_w) * scale;
                    }
                });
            }
        }
    }

    fn compute_channel(
        &self,
        params: &ChannelParams,
        out_chan: &mut [MaybeUninit<f32>],
        init: f32,
        image_chan: &[f32],
        kernel_chan: NdTensorView<f32, 2>,
    ) -> bool {
        simd::channel(params, out_chan, init, image_chan, &kernel_chan)
    }
}

/// dajian patch: AVX2 + FMA paths for f32 depthwise convolution, chosen at
/// run time: a whole channel from a zero-padded plane (`channel`), and for
/// what that does not take, `dest[i] += src[i * stride] * scale` for
/// strides 1 and 2 (`axpy`; the generic row kernel above is a scalar
/// strided loop that LLVM cannot vectorise; under `perf` it was 37 % of a
/// page's OCR time).
mod simd {
    use super::ChannelParams;
    use rten_tensor::NdTensorView;
    use std::cell::RefCell;
    use std::mem::MaybeUninit;

    /// Most taps the channel kernel takes (5×5 kernels and smaller).
    const MAX_TAPS: usize = 25;

    thread_local! {
        /// The zero-padded input plane of the channel being computed.
        static PADDED: RefCell<Vec<f32>> = const { RefCell::new(Vec::new()) };
    }

    /// A whole output channel: the input plane is copied once into a
    /// zero-padded buffer wide enough for 8-wide loads everywhere, so every
    /// output row is one vector loop with all taps summed in registers and
    /// no edge cases. (Row by row, the per-row set-up and the padded edges
    /// cost as much as the sums: most rows here are 20–80 columns.) The
    /// taps are added in the same order as `compute_row` adds them, so the
    /// results are the same. False when not handled: no AVX2/FMA, a stride
    /// other than 1 or 2, dilation, or a kernel larger than 5×5.
    pub(super) fn channel(
        p: &ChannelParams,
        out_chan: &mut [MaybeUninit<f32>],
        init: f32,
        image_chan: &[f32],
        kernel: &NdTensorView<f32, 2>,
    ) -> bool {
        #[cfg(target_arch = "x86_64")]
        {
            let [k_h, k_w] = p.kernel;
            let [s_h, s_w] = p.strides;
            let [pad_t, pad_l, _, _] = p.padding;
            if !have_avx2_fma() || !(s_w == 1 || s_w == 2) || p.dilations != [1, 1] || k_h * k_w > MAX_TAPS || p.out_w == 0 || p.out_h == 0 {
                return false;
            }
            let out_w8 = p.out_w.div_ceil(8) * 8;
            // Columns read: up to s_w·(out_w8 − 8) + (k_w − 1) + 15.
            let cols = (s_w * out_w8 + k_w + 8).max(pad_l + p.in_w);
            let rows = ((p.out_h - 1) * s_h + k_h).max(pad_t + p.in_h);
            let mut weights = [0f32; MAX_TAPS];
            for ky in 0..k_h {
                for kx in 0..k_w {
                    weights[ky * k_w + kx] = kernel[[ky, kx]];
                }
            }
            PADDED.with_borrow_mut(|plane| {
                plane.clear();
                plane.resize(rows * cols, 0.0);
                for y in 0..p.in_h.min(rows - pad_t) {
                    let src = &image_chan[y * p.in_row_stride..][..p.in_w];
                    plane[(y + pad_t) * cols + pad_l..][..p.in_w].copy_from_slice(src);
                }
                for oy in 0..p.out_h {
                    let out_row = &mut out_chan[oy * p.out_row_stride..][..p.out_w];
                    let first = oy * s_h * cols;
                    // Safety: AVX2 and FMA were detected; the plane holds
                    // k_h rows of `cols` from `first`, enough for every load.
                    unsafe {
                        if s_w == 1 {
                            channel_row_avx2::<1>(out_row, &plane[first..first + k_h * cols], cols, k_h, k_w, &weights, init)
                        } else {
                            channel_row_avx2::<2>(out_row, &plane[first..first + k_h * cols], cols, k_h, k_w, &weights, init)
                        }
                    }
                }
            });
            return true;
        }
        #[allow(unreachable_code)]
        {
            let _ = (p, out_chan, init, image_chan, kernel);
            false
        }
    }

    #[cfg(target_arch = "x86_64")]
    fn have_avx2_fma() -> bool {
        use std::sync::OnceLock;
        static HAVE: OnceLock<bool> = OnceLock::new();
        *HAVE.get_or_init(|| std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma"))
    }

    /// One output row from `k_h` padded input rows of `cols` values.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    unsafe fn channel_row_avx2<const STRIDE: usize>(
        out_row: &mut [MaybeUninit<f32>],
        rows: &[f32],
        cols: usize,
        k_h: usize,
        k_w: usize,
        weights: &[f32; MAX_TAPS],
        init: f32,
    ) {
        use std::arch::x86_64::*;
        let out_w = out_row.len();
        let src = rows.as_ptr();
        let out = out_row.as_mut_ptr() as *mut f32;
        macro_rules! load {
            ($p:expr) => {{
                let p: *const f32 = $p;
                if STRIDE == 1 {
                    _mm256_loadu_ps(p)
                } else {
                    // Load 16, keep the even 8.
                    let even = _mm256_shuffle_ps::<0b10_00_10_00>(_mm256_loadu_ps(p), _mm256_loadu_ps(p.add(8)));
                    _mm256_castpd_ps(_mm256_permute4x64_pd::<0b11_01_10_00>(_mm256_castps_pd(even)))
                }
            }};
        }
        let vinit = _mm256_set1_ps(init);
        let mut x = 0;
        unsafe {
            while x + 32 <= out_w {
                let (mut a0, mut a1, mut a2, mut a3) = (vinit, vinit, vinit, vinit);
                for ky in 0..k_h {
                    for kx in 0..k_w {
                        let w = _mm256_set1_ps(*weights.get_unchecked(ky * k_w + kx));
                        let p = src.add(ky * cols + x * STRIDE + kx);
                        a0 = _mm256_fmadd_ps(load!(p), w, a0);
                        a1 = _mm256_fmadd_ps(load!(p.add(8 * STRIDE)), w, a1);
                        a2 = _mm256_fmadd_ps(load!(p.add(16 * STRIDE)), w, a2);
                        a3 = _mm256_fmadd_ps(load!(p.add(24 * STRIDE)), w, a3);
                    }
                }
                _mm256_storeu_ps(out.add(x), a0);
                _mm256_storeu_ps(out.add(x + 8), a1);
                _mm256_storeu_ps(out.add(x + 16), a2);
                _mm256_storeu_ps(out.add(x + 24), a3);
                x += 32;
            }
            while x < out_w {
                let mut a0 = vinit;
                for ky in 0..k_h {
                    for kx in 0..k_w {
                        let w = _mm256_set1_ps(*weights.get_unchecked(ky * k_w + kx));
                        a0 = _mm256_fmadd_ps(load!(src.add(ky * cols + x * STRIDE + kx)), w, a0);
                    }
                }
                if x + 8 <= out_w {
                    _mm256_storeu_ps(out.add(x), a0);
                } else {
                    let mut tail = [0f32; 8];
                    _mm256_storeu_ps(tail.as_mut_ptr(), a0);
                    std::ptr::copy_nonoverlapping(tail.as_ptr(), out.add(x), out_w - x);
                }
                x += 8;
            }
        }
    }

    /// Returns false when the row was not handled (no AVX2/FMA, or another
    /// stride) and the caller must compute it.
    #[inline]
    pub fn axpy(dest: &mut [f32], src: &[f32], scale: f32, stride: usize) -> bool {
        #[cfg(target_arch = "x86_64")]
        {
            if have_avx2_fma() && (stride == 1 || stride == 2) {
                // Safety: the features were detected above.
                unsafe { axpy_avx2(dest, src, scale, stride) };
                return true;
            }
        }
        let _ = (dest, src, scale, stride);
        false
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    unsafe fn axpy_avx2(dest: &mut [f32], src: &[f32], scale: f32, stride: usize) {
        use std::arch::x86_64::*;
        let n = dest.len();
        debug_assert!(src.len() >= (n.max(1) - 1) * stride + 1 || n == 0);
        let d = dest.as_mut_ptr();
        let s = src.as_ptr();
        let vs = _mm256_set1_ps(scale);
        let mut i = 0;
        if stride == 1 {
            while i + 8 <= n {
                unsafe {
                    let acc = _mm256_loadu_ps(d.add(i));
                    let x = _mm256_loadu_ps(s.add(i));
                    _mm256_storeu_ps(d.add(i), _mm256_fmadd_ps(x, vs, acc));
                }
                i += 8;
            }
        } else {
            // Load 16, keep the even 8: shuffle within lanes, then put the
            // 64-bit pairs in order.
            while i + 8 <= n && 2 * i + 16 <= src.len() {
                unsafe {
                    let a = _mm256_loadu_ps(s.add(2 * i));
                    let b = _mm256_loadu_ps(s.add(2 * i + 8));
                    let even = _mm256_shuffle_ps::<0b10_00_10_00>(a, b);
                    let x = _mm256_castpd_ps(_mm256_permute4x64_pd::<0b11_01_10_00>(_mm256_castps_pd(even)));
                    let acc = _mm256_loadu_ps(d.add(i));
                    _mm256_storeu_ps(d.add(i), _mm256_fmadd_ps(x, vs, acc));
                }
                i += 8;
            }
        }
        while i < n {
            unsafe { *d.add(i) = (*s.add(i * stride)).mul_add(scale, *d.add(i)) };
            i += 1;
        }
    }

    #[cfg(all(test, target_arch = "x86_64"))]
    mod tests {
        #[test]
        fn the_vectorised_rows_equal_the_scalar_ones() {
            for stride in [1, 2] {
                for n in [0, 1, 7, 8, 9, 15, 16, 17, 40, 63] {
                    let src: Vec<f32> = (0..(n * stride + 3)).map(|i| (i as f32 * 0.37).sin()).collect();
                    let src = &src[..if n == 0 { 0 } else { (n - 1) * stride + 1 }];
                    let mut want: Vec<f32> = (0..n).map(|i| i as f32 * 0.1).collect();
                    let mut got = want.clone();
                    for i in 0..n {
                        want[i] += src[i * stride] * 1.5;
                    }
                    if super::axpy(&mut got, src, 1.5, stride) {
                        for (g, w) in got.iter().zip(&want) {
                            assert!((g - w).abs() < 1e-5, "stride {stride}, n {n}: {got:?} vs {want:?}");
                        }
                    }
                }
            }
        }
    }
}

impl DepthwiseConvKernel<i8, u8, i32> for GenericDepthwiseConvKernel {
    fn compute_row(
        &self,
        params: &ConvParams,
        out_row: &mut [MaybeUninit<i32>],
        out_y: usize,
        out_init: i32,
        image_chan: &[i8],
        kernel_chan: NdTensorView<u8, 2>,
        input_zero: i8,
        kernel_zero: u8,
    ) {
        let kernel_view = kernel_chan.weakly_checked_view();
        let input_zero = input_zero as i32;
        let kernel_zero = kernel_zero as i32;

        // Initialize output row.
        for x in out_row.iter_mut() {
            x.write(out_init);
        }
        let out_row: &mut [i32] = unsafe { out_row.assume_init() };

        for k_y in 0..params.kernel_h {
            let in_y = out_y * params.stride_h + k_y * params.dilation_y;
            if in_y < params.pad_top || in_y >= params.in_h + params.pad_top {
                continue;
            }

            let in_row_y = in_y - params.pad_top;
            let in_row = &image_chan[in_row_y * params.in_row_stride..][..params.in_row_len];

            for (k_x, (in_range, out_range)) in params.col_range_for_kernel_x.iter().enumerate() {
                let dest = &mut out_row[out_range.clone()];
                let src = &in_row[in_range.clone()];
                let scale = kernel_view[[k_y, k_x]] as i32 - kernel_zero;

                let src_els = src.len().div_ceil(params.stride_w);
                debug_assert!(src_els == dest.len());

                unroll_loop!(0..src_els, i, 4, {
                    unsafe {
                        *dest.get_unchecked_mut(i) +=
                            (*src.get_unchecked(i * params.stride_w) as i32 - input_zero) * scale;
                    }
                });
            }
        }
    }
}

/// Compute depthwise convolution for the block of channels from `input`
/// specified by `chan_range` into `output`.
///
/// Convolutions where the group count is equal to the input and output
/// channel count are referred to as _depthwise_. These use a different
/// implementation than general convolutions for efficiency.
///
/// `X`, `W` and `Y` are the input, weight and output data types respectively.
pub struct DepthwiseConvExecutor<X: Copy, W, Y: Copy + Default> {
    kernel: Box<dyn DepthwiseConvKernel<X, W, Y> + Sync>,
}

impl<X: Copy + Default + Sync, W: Copy + Default + Sync, Y: Copy + Default>
    DepthwiseConvExecutor<X, W, Y>
{
    /// Compute depthwise convolution for the block of channels from `input`
    /// specified by `chan_range` into `output`.
    ///
    /// `col_range_for_kernel_x` is a precomputed map of kernel X coordinate to
    /// `(in_range, out_range)` of column ranges that are valid for the input and
    /// output.
    ///
    /// When this function returns, all elements of `output` will have been
    /// initialized.
    fn depthwise_conv_2d_block(
        &self,
        mut output: NdTensorViewMut<MaybeUninit<Y>, 3>, // C, H, W
        chan_range: Range<usize>,
        input: NdTensorView<X, 3>,  // C, H, W
        kernel: NdTensorView<W, 4>, // C, _, Kh, Kw
        bias: Option<NdTensorView<Y, 1>>,
        padding: [usize; 4],
        strides: [usize; 2],
        dilations: [usize; 2],
        col_range_for_kernel_x: &[(Range<usize>, Range<usize>)],
        input_zero: Option<X>,
        kernel_zero: Option<&[W]>,
    ) {
        debug_assert_eq!(input.stride(2), 1, "last dim of input is not contiguous");
        debug_assert_eq!(output.stride(2), 1, "last dim of output is not contiguous");

        let [_, out_h, _out_w] = output.shape();
        let [_, _, k_h, _k_w] = kernel.shape();
        let [_, in_h, _in_w] = input.shape();
        let [stride_h, stride_w] = strides;
        let [pad_top, _pad_left, _pad_bottom, _pad_right] = padding;
        let [dilation_y, _dilation_x] = dilations;

        let conv_params = ConvParams {
            stride_h,
            stride_w,
            kernel_h: k_h,
            pad_top,
            dilation_y,
            in_h,
            in_row_stride: input.stride(1),
            in_row_len: input.size(2),
            col_range_for_kernel_x,
        };

        // The same for every channel of the block.
        let channel = ChannelParams {
            in_h,
            in_w: input.size(2),
            in_row_stride: input.stride(1),
            out_h,
            out_w: output.size(2),
            out_row_stride: output.stride(1),
            kernel: [k_h, kernel.size(3)],
            padding,
            strides,
            dilations,
        };

        let input_zero = input_zero.unwrap_or_default();
        for c in chan_range.clone() {
            let kernel_view = kernel.slice([c, 0]);

            let mut out_chan = output.slice_mut([c - chan_range.start]);
            let out_row_stride = out_chan.stride(0);
            let out_row_len = out_chan.size(1);
            let out_chan_data = out_chan.data_mut().unwrap();

            let in_chan = input.slice([c]);
            let in_chan_data = in_chan.data().unwrap();

            let init_value = if let Some(bias) = bias {
                bias[c]
            } else {
                Y::default()
            };

            // Only the f32 kernel has a channel path; the quantized ones
            // keep the trait's default (false) and go row by row.
            if self.kernel.compute_channel(&channel, out_chan_data, init_value, in_chan_data, kernel_view) {
                continue;
            }

            let kernel_zero = kernel_zero.map(|kz| kz[c]).unwrap_or_default();

            for out_y in 0..out_h {
                // Here and in the `compute_row` implementation we use manual
                // slicing of the input data rather than tensor `slice` methods
                // for efficiency.
                let out_row = &mut out_chan_data[out_y * out_row_stride..][..out_row_len];
                self.kernel.compute_row(
                    &conv_params,
                    out_row,
                    out_y,
                    init_value,
                    in_chan_data,
                    kernel_view,
                    input_zero,
                    kernel_zero,
                );
            }
        }
    }

    /// Compute a depthwise convolution of a 2D image.
    pub fn depthwise_conv_2d(
        &self,
        pool: &BufferPool,
        input: &NdTensorView<X, 4>,
        kernel: &NdTensorView<W, 4>,
        bias: Option<NdTensorView<Y, 1>>,
        padding: [usize; 4],
        strides: [usize; 2],
        dilations: [usize; 2],
        out_hw: [usize; 2],
        input_zero: Option<X>,
        kernel_zero: Option<&[W]>,
    ) -> NdTensor<Y, 4> {
        let [batch, _in_c, _in_h, in_w]: [usize; 4] = input.shape();
        let [out_c, _, k_h, k_w]: [usize; 4] = kernel.shape();
        let [_pad_top, pad_left, _pad_bottom, _pad_right] = padding;
        let [_stride_h, stride_w] = strides;
        let [_dilation_y, dilation_x] = dilations;
        let [out_h, out_w] = out_hw;

        let mut output = NdTensor::uninit_in(pool, [batch, out_c, out_h, out_w]);

        // `conv_2d_depthwise_block` assumes contiguous last dimension.
        let input = input.to_contiguous_in(pool).auto_return(pool);

        // Map of kernel X position to `(in_range, out_range)` of column ranges that
        // are used in the inner loop.
        let col_range_for_kernel_x: SmallVec<[_; 7]> = (0..k_w)
            .map(|k_x| {
                let (min_out_x, max_out_x) =
                    min_max_out_x_coords(k_x, in_w, pad_left, stride_w, dilation_x, out_w);

                // If the output range is empty, the input range must be too. Exit
                // early in case `max_out_x` is zero.
                //
                // This can happen if all the input coordinates which this kernel
                // column would be multiplied with are part of the padding region.
                if min_out_x == max_out_x {
                    return (0..0, 0..0);
                }

                let min_in_x = min_out_x * stride_w + k_x * dilation_x - pad_left;
                let max_in_x = (max_out_x - 1) * stride_w + k_x * dilation_x - pad_left + 1;

                (min_in_x..max_in_x, min_out_x..max_out_x)
            })
            .collect();

        let n_init = AtomicUsize::new(0);
        for n in 0..batch {
            let mut out_chans = output.slice_mut(n);
            let input = input.slice(n);

            // dajian patch: with vectorised rows a small channel is done in
            // microseconds, less than handing it to another thread costs;
            // give each task at least ~64k multiply-adds.
            let macs_per_chan = (out_h * out_w * k_h * k_w).max(1);
            let min_chans = (65536 / macs_per_chan).max(1);
            out_chans
                .axis_iter_mut(0)
                .into_par_iter()
                .with_min_len(min_chans)
                .enumerate()
                .for_each(|(out_chan, mut out_chans)| {
                    let mut out_chans = out_chans
                        .reshaped_mut([1, out_chans.size(0), out_chans.size(1)])
                        .unwrap();
                    self.depthwise_conv_2d_block(
                        out_chans.view_mut(),
                        out_chan..out_chan + 1,
                        input,
                        kernel.view(),
                        bias,
                        padding,
                        strides,
                        dilations,
                        &col_range_for_kernel_x,
                        input_zero,
                        kernel_zero,
                    );

                    n_init.fetch_add(out_chans.len(), Ordering::SeqCst);
                });
        }

        // Safety: We initialized all output rows
        assert!(n_init.load(Ordering::SeqCst) == output.len());
        unsafe { output.assume_init() }
    }
}

impl Default for DepthwiseConvExecutor<f32, f32, f32> {
    fn default() -> Self {
        DepthwiseConvExecutor {
            kernel: Box::new(GenericDepthwiseConvKernel {}),
        }
    }
}

impl Default for DepthwiseConvExecutor<i8, u8, i32> {
    fn default() -> Self {
        DepthwiseConvExecutor {
            kernel: Box::new(GenericDepthwiseConvKernel {}),
        }
    }
}

// nb. Tests for depthwise conv are implemented in the main `conv.rs` module.
