//! Hot loops of the feature engine, compiled twice: once for the baseline x86-64 target and
//! once with AVX2 + FMA, picked at run time (`is_x86_feature_detected!`, checked once). The
//! loop bodies are plain Rust that the compiler vectorises; both versions compute the same
//! IEEE operations (the FMA in [`magnitudes`] is `f32::mul_add` in both: a hardware
//! instruction in one, libm's correctly rounded `fmaf` in the other), so results are
//! bit-identical whichever runs.

use std::sync::OnceLock;

use realfft::num_complex::Complex;

/// Whether this CPU runs the AVX2 + FMA versions.
pub fn has_avx2_fma() -> bool {
    static FLAG: OnceLock<bool> = OnceLock::new();
    *FLAG.get_or_init(|| {
        #[cfg(target_arch = "x86_64")]
        {
            std::arch::is_x86_feature_detected!("avx2")
                && std::arch::is_x86_feature_detected!("fma")
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            false
        }
    })
}

/// Defines `pub fn $name(args) -> ret` that runs `$body` compiled with AVX2 + FMA when the
/// CPU has them, and the baseline build otherwise.
macro_rules! dispatch {
    ($(#[$meta:meta])* pub fn $name:ident($($arg:ident: $ty:ty),*) $(-> $ret:ty)? $body:block) => {
        $(#[$meta])*
        #[inline]
        pub fn $name($($arg: $ty),*) $(-> $ret)? {
            #[cfg(target_arch = "x86_64")]
            {
                #[target_feature(enable = "avx2,fma")]
                fn fast($($arg: $ty),*) $(-> $ret)? $body
                if $crate::features::simd::has_avx2_fma() {
                    // Safety: the CPU was checked for AVX2 and FMA above.
                    return unsafe { fast($($arg),*) };
                }
            }
            fn baseline($($arg: $ty),*) $(-> $ret)? $body
            baseline($($arg),*)
        }
    };
}
pub(crate) use dispatch;

dispatch! {
    /// `|re + i·im|` of each bin, rounded to single precision first, exactly as numpy 2.x's
    /// SIMD `np.abs(complex64)`: `larger · sqrt(fma(ratio, ratio, 1))`, `ratio = smaller /
    /// larger` (0 where both are 0). Inputs are finite.
    pub fn magnitudes(bins: &[Complex<f64>], out: &mut [f32]) {
        #[inline(always)]
        fn one(c: &Complex<f64>) -> f32 {
            numpy_abs(c.re as f32, c.im as f32)
        }
        let n = bins.len().min(out.len());
        let (cb, rb) = bins[..n].as_chunks::<8>();
        let (co, ro) = out[..n].as_chunks_mut::<8>();
        for (o, c) in co.iter_mut().zip(cb) {
            for i in 0..8 {
                o[i] = one(&c[i]);
            }
        }
        for (o, c) in ro.iter_mut().zip(rb) {
            *o = one(c);
        }
    }
}

/// numpy 2.x's `np.abs(complex64)` of one value: `larger · sqrt(fma(ratio, ratio, 1))`,
/// `ratio = smaller / larger` (0 where both are 0).
#[inline(always)]
fn numpy_abs(re: f32, im: f32) -> f32 {
    let (a, b) = (re.abs(), im.abs());
    let larger = if a >= b { a } else { b };
    let smaller = if a >= b { b } else { a };
    let ratio = smaller / larger;
    let v = larger * ratio.mul_add(ratio, 1.0).sqrt();
    if larger == 0.0 { 0.0 } else { v }
}

dispatch! {
    /// [`magnitudes`] of bins given as separate real and imaginary parts.
    pub fn magnitudes_split(re: &[f64], im: &[f64], out: &mut [f32]) {
        let n = re.len().min(im.len()).min(out.len());
        let (cr, rr) = re[..n].as_chunks::<8>();
        let (ci, ri) = im[..n].as_chunks::<8>();
        let (co, ro) = out[..n].as_chunks_mut::<8>();
        for ((o, r), i) in co.iter_mut().zip(cr).zip(ci) {
            for l in 0..8 {
                o[l] = numpy_abs(r[l] as f32, i[l] as f32);
            }
        }
        for ((o, &r), &i) in ro.iter_mut().zip(rr).zip(ri) {
            *o = numpy_abs(r as f32, i as f32);
        }
    }
}

dispatch! {
    /// `|re + i·im|` rounded to single precision first, as `sqrt(re² + im²)` in single
    /// precision: within 2 ulp of [`magnitudes_split`] without its division (which halves the
    /// throughput). Where some value is so small that its square loses precision, the whole
    /// slice is computed as [`magnitudes_split`] does.
    pub fn magnitudes_split_fast(re: &[f64], im: &[f64], out: &mut [f32]) {
        let n = re.len().min(im.len()).min(out.len());
        let (cr, rr) = re[..n].as_chunks::<8>();
        let (ci, ri) = im[..n].as_chunks::<8>();
        let (co, ro) = out[..n].as_chunks_mut::<8>();
        // Per lane, the largest |re| + |im| whose square sum fell below 1e-30 (0 if none).
        let mut lossy = [0f32; 8];
        for ((o, r), i) in co.iter_mut().zip(cr).zip(ci) {
            let mut sums = [0f32; 8];
            for l in 0..8 {
                let (a, b) = (r[l] as f32, i[l] as f32);
                sums[l] = a.mul_add(a, b * b);
                let size = a.abs() + b.abs();
                let small = if sums[l] < 1e-30 { size } else { 0.0 };
                lossy[l] = if small > lossy[l] { small } else { lossy[l] };
            }
            for l in 0..8 {
                o[l] = sums[l].sqrt();
            }
        }
        if lossy.iter().any(|&v| v > 0.0) {
            magnitudes_split(re, im, out);
            return;
        }
        for ((o, &r), &i) in ro.iter_mut().zip(rr).zip(ri) {
            *o = numpy_abs(r as f32, i as f32);
        }
    }
}

dispatch! {
    /// realfft 3.5's post-processing of a real FFT, writing split arrays: for each pair j,
    /// `a[j]` (bin k = j + 1 of the half-length complex FFT) against `b[p − 1 − j]` (bin
    /// m − k), with twiddle `tw[j]`; writes bin k to `left[j]` and bin m − k to
    /// `right[p − 1 − j]`. The same operations in the same order as realfft, so the results
    /// are bit-identical.
    pub fn untangle_pairs(
        a: &[Complex<f64>],
        b: &[Complex<f64>],
        twiddles: [&[f64]; 2],
        left: [&mut [f64]; 2],
        right: [&mut [f64]; 2]
    ) {
        let [tw_re, tw_im] = twiddles;
        let [left_re, left_im] = left;
        let [right_re, right_im] = right;
        let p = tw_re
            .len()
            .min(tw_im.len())
            .min(a.len())
            .min(b.len())
            .min(left_re.len())
            .min(left_im.len())
            .min(right_re.len())
            .min(right_im.len());
        let (a, b, tw_re, tw_im) = (&a[..p], &b[..p], &tw_re[..p], &tw_im[..p]);
        let (left_re, left_im) = (&mut left_re[..p], &mut left_im[..p]);
        let (right_re, right_im) = (&mut right_re[..p], &mut right_im[..p]);
        for j in 0..p {
            let r = p - 1 - j;
            let sum_re = a[j].re + b[r].re;
            let sum_im = a[j].im + b[r].im;
            let diff_re = a[j].re - b[r].re;
            let diff_im = a[j].im - b[r].im;
            let half_sum_re = 0.5 * sum_re;
            let half_diff_im = 0.5 * diff_im;
            let twiddled_real = sum_im * tw_re[j] + diff_re * tw_im[j];
            let twiddled_imag = sum_im * tw_im[j] - diff_re * tw_re[j];
            left_re[j] = half_sum_re + twiddled_real;
            left_im[j] = half_diff_im + twiddled_imag;
            right_re[r] = half_sum_re - twiddled_real;
            right_im[r] = twiddled_imag - half_diff_im;
        }
    }
}

dispatch! {
    /// `out[i] = f64(y[i]) · window[i]` (a frame that lies wholly inside the signal).
    pub fn windowed(y: &[f32], window: &[f64], out: &mut [f64]) {
        let n = y.len().min(window.len()).min(out.len());
        let (cy, ry) = y[..n].as_chunks::<8>();
        let (cw, rw) = window[..n].as_chunks::<8>();
        let (co, ro) = out[..n].as_chunks_mut::<8>();
        for ((o, v), w) in co.iter_mut().zip(cy).zip(cw) {
            for i in 0..8 {
                o[i] = f64::from(v[i]) * w[i];
            }
        }
        for ((o, &v), &w) in ro.iter_mut().zip(ry).zip(rw) {
            *o = f64::from(v) * w;
        }
    }
}

dispatch! {
    /// A single-precision dot product in 8 independent lanes (float32 accumulation, as
    /// numpy's einsum on float32 inputs; the lane order is fixed, so both builds agree).
    pub fn dot_f32(a: &[f32], b: &[f32]) -> f32 {
        // Four 8-lane accumulators hide the latency of the adds.
        let mut acc = [[0f32; 8]; 4];
        let n = a.len().min(b.len());
        let (ca, ra) = a[..n].as_chunks::<8>();
        let (cb, rb) = b[..n].as_chunks::<8>();
        let (qa, ta) = ca.as_chunks::<4>();
        let (qb, tb) = cb.as_chunks::<4>();
        for (x4, y4) in qa.iter().zip(qb) {
            for j in 0..4 {
                for i in 0..8 {
                    acc[j][i] += x4[j][i] * y4[j][i];
                }
            }
        }
        for (j, (x, y)) in ta.iter().zip(tb).enumerate() {
            for i in 0..8 {
                acc[j][i] += x[i] * y[i];
            }
        }
        let mut lanes = [0f32; 8];
        for (i, l) in lanes.iter_mut().enumerate() {
            *l = (acc[0][i] + acc[1][i]) + (acc[2][i] + acc[3][i]);
        }
        let mut sum: f32 = lanes.iter().sum();
        for (x, y) in ra.iter().zip(rb) {
            sum += x * y;
        }
        sum
    }
}

/// The 12 chroma filters interleaved bin by bin (`w[bin · 12 + chroma]`), so one pass over
/// the frames feeds all 12 sums.
#[derive(Debug, Clone, PartialEq)]
pub struct ChromaBank {
    pub n_bins: usize,
    w: Vec<[f32; 12]>,
}

impl ChromaBank {
    /// From 12 rows of `n_bins` weights.
    pub fn new(rows: &[Vec<f32>]) -> ChromaBank {
        let n_bins = rows.first().map_or(0, Vec::len);
        let w = (0..n_bins)
            .map(|j| {
                std::array::from_fn(|c| rows.get(c).and_then(|r| r.get(j)).copied().unwrap_or(0.0))
            })
            .collect();
        ChromaBank { n_bins, w }
    }
}

dispatch! {
    /// The 12 chroma sums of each of four magnitude frames (single precision, each sum over
    /// the bins in order, so both builds agree). Four frames share one pass over the
    /// filterbank, whose 48 KiB would otherwise stream from L2 once per frame.
    pub fn chroma_dots4(bank: &ChromaBank, x: [&[f32]; 4]) -> [[f32; 12]; 4] {
        let n = x.iter().fold(bank.n_bins.min(bank.w.len()), |n, f| n.min(f.len()));
        let mut acc = [[0f32; 12]; 4];
        let [x0, x1, x2, x3] = x;
        let (x0, x1, x2, x3) = (&x0[..n], &x1[..n], &x2[..n], &x3[..n]);
        for (k, w) in bank.w[..n].iter().enumerate() {
            let v = [x0[k], x1[k], x2[k], x3[k]];
            for f in 0..4 {
                for c in 0..12 {
                    acc[f][c] += w[c] * v[f];
                }
            }
        }
        acc
    }
}

/// `Σ w[i] · x[i]²` in single precision: 8 lanes over the whole chunks, the lanes summed
/// pairwise (`((l0+l1)+(l2+l3)) + ((l4+l5)+(l6+l7))`, the order of the AVX2 path's
/// horizontal adds), then the rest.
#[inline(always)]
fn weighted_squares(w: &[f32], x: &[f32]) -> f32 {
    let n = w.len().min(x.len());
    let (cw, rw) = w[..n].as_chunks::<8>();
    let (cx, rx) = x[..n].as_chunks::<8>();
    let mut acc = [0f32; 8];
    for (a, b) in cw.iter().zip(cx) {
        for i in 0..8 {
            acc[i] += a[i] * (b[i] * b[i]);
        }
    }
    let mut sum = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
    for (a, b) in rw.iter().zip(rx) {
        sum += a * (b * b);
    }
    sum
}

/// One sparse filter `(first bin, weights)` applied to the power of a magnitude frame (0
/// where it reaches past the frame).
#[inline(always)]
fn filtered_power(frame: &[f32], (start, w): &(usize, Vec<f32>)) -> f32 {
    frame
        .get(*start..*start + w.len())
        .map_or(0.0, |x| weighted_squares(w, x))
}

/// Sparse filters (`(first bin, weights)` each) applied to the power of every frame of a
/// frame-major magnitude matrix (`n_bins` per frame): `out[t · filters + f]`. Filters whose
/// weights are whole blocks of 8 go 8 at a time on AVX2 (their 8 sums reduced together by
/// horizontal adds); the result is bit-identical to the baseline build's.
pub fn filter_power_frames(
    filters: &[(usize, Vec<f32>)],
    magnitude: &[f32],
    n_bins: usize,
    out: &mut [f32],
) {
    if n_bins == 0 || filters.is_empty() {
        return;
    }
    #[cfg(target_arch = "x86_64")]
    if has_avx2_fma() {
        // Safety: the CPU was checked for AVX2 and FMA.
        unsafe { x86::filter_power_frames(filters, magnitude, n_bins, out) };
        return;
    }
    filter_power_frames_baseline(filters, magnitude, n_bins, out);
}

/// [`filter_power_frames`] without AVX2.
fn filter_power_frames_baseline(
    filters: &[(usize, Vec<f32>)],
    magnitude: &[f32],
    n_bins: usize,
    out: &mut [f32],
) {
    if n_bins == 0 {
        return;
    }
    for (frame, row) in magnitude
        .chunks_exact(n_bins)
        .zip(out.chunks_exact_mut(filters.len()))
    {
        for (filter, o) in filters.iter().zip(row.iter_mut()) {
            *o = filtered_power(frame, filter);
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use std::arch::x86_64::*;

    /// [`super::filter_power_frames`] with AVX2.
    #[target_feature(enable = "avx2,fma")]
    pub(super) fn filter_power_frames(
        filters: &[(usize, Vec<f32>)],
        magnitude: &[f32],
        n_bins: usize,
        out: &mut [f32],
    ) {
        let whole = |(start, w): &(usize, Vec<f32>)| {
            !w.is_empty() && w.len().is_multiple_of(8) && start + w.len() <= n_bins
        };
        for (frame, row) in magnitude
            .chunks_exact(n_bins)
            .zip(out.chunks_exact_mut(filters.len()))
        {
            for (g, o) in filters.chunks(8).zip(row.chunks_mut(8)) {
                // Groups of 8 filters that all qualify run 8 at a time.
                if g.len() != 8 || !g.iter().all(whole) {
                    for (filter, o) in g.iter().zip(o.iter_mut()) {
                        *o = super::filtered_power(frame, filter);
                    }
                    continue;
                }
                let mut acc = [_mm256_setzero_ps(); 8];
                for (a, (start, w)) in acc.iter_mut().zip(g) {
                    let x = &frame[*start..*start + w.len()];
                    for (wc, xc) in w.as_chunks::<8>().0.iter().zip(x.as_chunks::<8>().0) {
                        // Safety: both chunks are 8 floats long.
                        let (wv, xv) =
                            unsafe { (_mm256_loadu_ps(wc.as_ptr()), _mm256_loadu_ps(xc.as_ptr())) };
                        *a = _mm256_add_ps(*a, _mm256_mul_ps(wv, _mm256_mul_ps(xv, xv)));
                    }
                }
                let t01 = _mm256_hadd_ps(acc[0], acc[1]);
                let t23 = _mm256_hadd_ps(acc[2], acc[3]);
                let t45 = _mm256_hadd_ps(acc[4], acc[5]);
                let t67 = _mm256_hadd_ps(acc[6], acc[7]);
                let u0 = _mm256_hadd_ps(t01, t23);
                let u1 = _mm256_hadd_ps(t45, t67);
                let sums = _mm256_add_ps(
                    _mm256_permute2f128_ps::<0x20>(u0, u1),
                    _mm256_permute2f128_ps::<0x31>(u0, u1),
                );
                let mut lanes = [0f32; 8];
                // Safety: `lanes` holds 8 floats.
                unsafe { _mm256_storeu_ps(lanes.as_mut_ptr(), sums) };
                o.copy_from_slice(&lanes[..o.len()]);
            }
        }
    }
}

dispatch! {
    /// The largest of finite values (−∞ for none), in 8 lanes.
    pub fn max_f32(x: &[f32]) -> f32 {
        let mut lanes = [f32::NEG_INFINITY; 8];
        let (chunks, rest) = x.as_chunks::<8>();
        for c in chunks {
            for i in 0..8 {
                lanes[i] = if c[i] > lanes[i] { c[i] } else { lanes[i] };
            }
        }
        let mut m = lanes.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        for &v in rest {
            m = m.max(v);
        }
        m
    }
}

dispatch! {
    /// piptrack's peak picking over a band: `m[k] = x[k]` where `x[k] > reference`, else 0
    /// (the last slot of `m` is left as is when `x` is one shorter); then bit `k` of `words`
    /// (64 per word) is set where `m[k+1] > m[k]` and `m[k+1] ≥ m[k+2]`, for `k <
    /// m.len() − 2`.
    pub fn threshold_peaks(x: &[f32], reference: f32, m: &mut [f32], words: &mut [u64]) {
        for (o, &v) in m.iter_mut().zip(x) {
            *o = if v > reference { v } else { 0.0 };
        }
        let count = m.len().saturating_sub(2);
        for (w, word) in words.iter_mut().enumerate() {
            let base = w * 64;
            let mut flags = [0u8; 64];
            if base + 64 <= count {
                let (left, here, right) = (&m[base..base + 64], &m[base + 1..base + 65], &m[base + 2..base + 66]);
                for b in 0..64 {
                    flags[b] = u8::from(here[b] > left[b]) & u8::from(here[b] >= right[b]);
                }
            } else {
                for (b, flag) in flags.iter_mut().enumerate().take(count.saturating_sub(base)) {
                    let k = base + b;
                    *flag = u8::from(m[k + 1] > m[k]) & u8::from(m[k + 1] >= m[k + 2]);
                }
            }
            *word = flags
                .iter()
                .enumerate()
                .fold(0u64, |acc, (b, &f)| acc | (u64::from(f) << b));
        }
    }
}

dispatch! {
    /// Whether every value is ±0 (NaN is not), 64 values at a time with an early exit.
    pub fn all_zero(x: &[f32]) -> bool {
        let (blocks, rest) = x.as_chunks::<64>();
        for b in blocks {
            let mut bits = 0u32;
            for &v in b {
                bits |= v.to_bits() & 0x7fff_ffff;
            }
            if bits != 0 {
                return false;
            }
        }
        rest.iter().all(|&v| v == 0.0)
    }
}

dispatch! {
    /// Squares of `x` (power from magnitude).
    pub fn squares(x: &[f32], out: &mut [f32]) {
        for (o, &v) in out.iter_mut().zip(x) {
            *o = v * v;
        }
    }
}

dispatch! {
    /// `10 · log10(max(x, amin))` of each value (power to decibels before the top-dB floor),
    /// by a polynomial in double precision rather than libm's `log10f` (which does not
    /// vectorise): relative error below 1e-12 before the rounding to single precision, so at
    /// most 1 ulp from the correctly rounded result. `amin` must be a positive normal number.
    pub fn decibels(x: &[f32], amin: f32, out: &mut [f32]) {
        for (o, &v) in out.iter_mut().zip(x) {
            *o = (10.0 * log10_positive(f64::from(v.max(amin)))) as f32;
        }
    }
}

/// log10 of a positive, normal, finite `x`: exponent and mantissa split, the mantissa folded
/// into [√½, √2), then `ln m = 2·atanh(s)`, `s = (m−1)/(m+1)`, by its series to s¹³ (|s| <
/// 0.172: the first omitted term is below 1e-12 of the result).
#[inline(always)]
fn log10_positive(x: f64) -> f64 {
    const LOG10_2: f64 = std::f64::consts::LOG10_2;
    const LOG10_E: f64 = std::f64::consts::LOG10_E;
    let bits = x.to_bits();
    let mut e = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let mut m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    let big = m > std::f64::consts::SQRT_2;
    m = if big { m * 0.5 } else { m };
    e += i64::from(big);
    let s = (m - 1.0) / (m + 1.0);
    let s2 = s * s;
    let series = 1.0
        + s2 * (1.0 / 3.0
            + s2 * (1.0 / 5.0
                + s2 * (1.0 / 7.0 + s2 * (1.0 / 9.0 + s2 * (1.0 / 11.0 + s2 * (1.0 / 13.0))))));
    let ln_m = 2.0 * s * series;
    e as f64 * LOG10_2 + ln_m * LOG10_E
}

#[cfg(test)]
mod tests;
