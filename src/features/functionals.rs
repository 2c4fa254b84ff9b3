//! The `large` preset's functionals: 48 numbers per descriptor contour, after openSMILE's
//! ComParE-2016 choice, and the preset itself ([`large_names`], [`large_vector`]).
//!
//! A contour is a descriptor's frame series, smoothed by a 3-frame moving average (ComParE's
//! `_sma`), and its delta (`_de`: regression over ±2 frames, as openSMILE's cDeltaRegression
//! with W = 2). Voiced-only descriptors ([`super::lld::VOICED_ONLY`]) are summarised over their
//! voiced frames, joined. Time runs over the contour as `t ∈ [0, 1]` for the regressions and in
//! seconds (10 ms a frame) for rates, distances and segment lengths. Definitions:
//! - moments: `mean`, `rqmean` (root quadratic mean), `std` (population), `skewness`,
//!   `kurtosis` (not excess); extremes `min`, `max`, `range`, `min_pos`/`max_pos` (relative);
//! - order: quartiles `q1`, `median`, `q3` and their ranges `iqr_1_2`, `iqr_2_3`, `iqr_1_3`;
//!   percentiles 1 and 99 and their range (numpy's linear interpolation);
//! - regressions: `linreg_slope`, `linreg_offset`, `linreg_err` (mean squared residual);
//!   `qreg_a`, `qreg_b`, `qreg_c` of `a·t² + b·t + c`, `qreg_err`;
//! - peaks (local maxima above the mean): `peak_rate` (per s), `peak_dist_mean`/`_std` (s),
//!   `peak_mean`, `peak_mean_rel` (peak mean − mean), `peak_range`;
//! - level times: `uplevel_25/50/75/90`, the share of frames above `min + l · range`
//!   (openSMILE's down-level times are one minus these on continuous data, so they are left out);
//! - shape in time: `rise_time`/`fall_time` (share of rising / falling steps),
//!   `left_curv_time`/`right_curv_time` (share of convex / concave points), the mean and std
//!   of the rising and of the falling slopes (units per s);
//! - segments (runs above the mean): length mean, std, max, min (s).

use super::lld::{self, Descriptors, N_LLD, VOICED_ONLY};

/// Functionals per contour.
pub const N_FUNCTIONALS: usize = 48;

/// Names of the functionals, in order.
pub const FUNCTIONALS: [&str; N_FUNCTIONALS] = [
    "mean",
    "rqmean",
    "std",
    "skewness",
    "kurtosis",
    "min",
    "max",
    "range",
    "min_pos",
    "max_pos",
    "q1",
    "median",
    "q3",
    "iqr_1_2",
    "iqr_2_3",
    "iqr_1_3",
    "p01",
    "p99",
    "range_p01_p99",
    "linreg_slope",
    "linreg_offset",
    "linreg_err",
    "qreg_a",
    "qreg_b",
    "qreg_c",
    "qreg_err",
    "peak_rate",
    "peak_dist_mean",
    "peak_dist_std",
    "peak_mean",
    "peak_mean_rel",
    "peak_range",
    "uplevel_25",
    "uplevel_50",
    "uplevel_75",
    "uplevel_90",
    "rise_time",
    "fall_time",
    "left_curv_time",
    "right_curv_time",
    "rising_slope_mean",
    "rising_slope_std",
    "falling_slope_mean",
    "falling_slope_std",
    "seg_len_mean",
    "seg_len_std",
    "seg_len_max",
    "seg_len_min",
];

/// Dimensions of the `large` preset: every descriptor and its delta × the functionals.
pub const LARGE_DIMS: usize = 2 * N_LLD * N_FUNCTIONALS;

/// Names of the `large` vector: `<descriptor>_<functional>` for every descriptor, then
/// `<descriptor>_de_<functional>` for every delta, e.g. `mfcc_03_q1`, `f0_semitone_de_std`.
pub fn large_names() -> Vec<String> {
    let lld = lld::lld_names();
    let mut out = Vec::with_capacity(LARGE_DIMS);
    for suffix in ["", "_de"] {
        for l in &lld {
            for f in FUNCTIONALS {
                out.push(format!("{l}{suffix}_{f}"));
            }
        }
    }
    out
}

/// The `large` vector of a clip's descriptors (values in [`large_names`] order; never NaN).
pub fn large_vector(d: &Descriptors) -> Vec<f32> {
    let voiced = d.voiced();
    let dt = d.frame_seconds();
    let mut contours: Vec<Vec<f32>> = Vec::with_capacity(N_LLD);
    for k in 0..N_LLD {
        let col = d.values.chunks_exact(N_LLD).map(|r| r[k]);
        let raw: Vec<f32> = if VOICED_ONLY.contains(&k) {
            col.zip(&voiced)
                .filter(|(_, v)| **v)
                .map(|(x, _)| x)
                .collect()
        } else {
            col.collect()
        };
        contours.push(moving_average3(&raw));
    }
    let mut out = Vec::with_capacity(LARGE_DIMS);
    let mut scratch = Vec::new();
    for c in &contours {
        functionals(c, dt, &mut scratch, &mut out);
    }
    for c in &contours {
        functionals(&delta2(c), dt, &mut scratch, &mut out);
    }
    out
}

/// 3-frame moving average (openSMILE's `sma3`), the ends averaged over the frames that
/// exist; for `f32` contours here and `f64` series in the prosody preset.
pub fn moving_average3<T>(x: &[T]) -> Vec<T>
where
    T: Copy + std::iter::Sum<T> + std::ops::Div<Output = T> + From<u8>,
{
    let n = x.len();
    (0..n)
        .map(|i| {
            let lo = i.saturating_sub(1);
            let hi = (i + 2).min(n);
            // At most 3 frames: the count fits a u8.
            x[lo..hi].iter().copied().sum::<T>() / T::from((hi - lo) as u8)
        })
        .collect()
}

/// Skewness and kurtosis (not excess) from the central moments m2, m3, m4; 0 for a flat
/// distribution.
pub fn skew_kurtosis(m2: f64, m3: f64, m4: f64) -> (f64, f64) {
    let sd = m2.sqrt();
    if sd > 1e-12 {
        (m3 / (sd * sd * sd), m4 / (m2 * m2))
    } else {
        (0.0, 0.0)
    }
}

/// Delta by regression over ±2 frames, `Σ_k k (x[t+k] − x[t−k]) / (2 Σ k²)`, ends repeated.
pub fn delta2(x: &[f32]) -> Vec<f32> {
    let n = x.len();
    if n == 0 {
        return Vec::new();
    }
    let at = |i: isize| x[i.clamp(0, n as isize - 1) as usize];
    (0..n as isize)
        .map(|t| ((at(t + 1) - at(t - 1)) + 2.0 * (at(t + 2) - at(t - 2))) / 10.0)
        .collect()
}

/// Percentile of sorted data with numpy's linear interpolation.
fn percentile_sorted(s: &[f32], p: f64) -> f64 {
    let pos = p / 100.0 * (s.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = (lo + 1).min(s.len() - 1);
    let (a, b) = (f64::from(s[lo]), f64::from(s[hi]));
    a + (b - a) * (pos - lo as f64)
}

fn mean_std(v: &[f64]) -> (f64, f64) {
    if v.is_empty() {
        return (0.0, 0.0);
    }
    let n = v.len() as f64;
    let m = v.iter().sum::<f64>() / n;
    (
        m,
        (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / n).sqrt(),
    )
}

/// Count, sum and sum of squares, for a mean and a population std without a buffer.
#[derive(Default)]
struct Moments {
    n: f64,
    s: f64,
    ss: f64,
}

impl Moments {
    fn add(&mut self, v: f64) {
        self.n += 1.0;
        self.s += v;
        self.ss += v * v;
    }

    fn mean_std(&self) -> (f64, f64) {
        if self.n == 0.0 {
            return (0.0, 0.0);
        }
        let m = self.s / self.n;
        (m, (self.ss / self.n - m * m).max(0.0).sqrt())
    }
}

/// Solves a 3×3 system by Gaussian elimination with partial pivoting (`None` if singular).
fn solve3(mut a: [[f64; 3]; 3], mut b: [f64; 3]) -> Option<[f64; 3]> {
    for col in 0..3 {
        let piv = (col..3).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[piv][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, piv);
        b.swap(col, piv);
        for r in col + 1..3 {
            let f = a[r][col] / a[col][col];
            let pivot_row = a[col];
            for (x, p) in a[r].iter_mut().zip(pivot_row).skip(col) {
                *x -= f * p;
            }
            b[r] -= f * b[col];
        }
    }
    let mut x = [0.0; 3];
    for r in (0..3).rev() {
        let s: f64 = (r + 1..3).map(|c| a[r][c] * x[c]).sum();
        x[r] = (b[r] - s) / a[r][r];
    }
    Some(x)
}

/// What one pass over a contour gathers: sums for the moments, extremes with their
/// positions, and the sums of the regressions over t ∈ [0, 1].
struct Pass {
    n: usize,
    nf: f64,
    s1: f64,
    s2: f64,
    mn: f32,
    mx: f32,
    imn: usize,
    imx: usize,
    st: f64,
    stt: f64,
    sttt: f64,
    stttt: f64,
    sx_t: f64,
    sx_tt: f64,
    mean: f64,
}

/// Frame `i`'s time on [0, 1] (0 for a single frame).
fn tpos(i: usize, n: usize) -> f64 {
    if n > 1 {
        i as f64 / (n - 1) as f64
    } else {
        0.0
    }
}

fn first_pass(x: &[f32]) -> Pass {
    let n = x.len();
    let (mut s1, mut s2) = (0.0f64, 0.0f64);
    let (mut mn, mut mx, mut imn, mut imx) = (f32::INFINITY, f32::NEG_INFINITY, 0, 0);
    let (mut st, mut stt, mut sttt, mut stttt, mut sx_t, mut sx_tt) =
        (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    for (i, &v) in x.iter().enumerate() {
        let v64 = f64::from(v);
        s1 += v64;
        s2 += v64 * v64;
        if v < mn {
            mn = v;
            imn = i;
        }
        if v > mx {
            mx = v;
            imx = i;
        }
        let t = tpos(i, n);
        st += t;
        stt += t * t;
        sttt += t * t * t;
        stttt += t * t * t * t;
        sx_t += v64 * t;
        sx_tt += v64 * t * t;
    }
    let nf = n as f64;
    Pass {
        n,
        nf,
        s1,
        s2,
        mn,
        mx,
        imn,
        imx,
        st,
        stt,
        sttt,
        stttt,
        sx_t,
        sx_tt,
        mean: s1 / nf,
    }
}

/// A value, or 0 when it is not finite.
fn push(out: &mut Vec<f32>, v: f64) {
    out.push(if v.is_finite() { v as f32 } else { 0.0 });
}

/// Mean, RMS, std, skewness, kurtosis, min, max, range and the extremes' relative positions.
fn push_moments(x: &[f32], p: &Pass, out: &mut Vec<f32>) {
    let (nf, mean) = (p.nf, p.mean);
    let (mut m2, mut m3, mut m4) = (0.0, 0.0, 0.0);
    for &v in x {
        let d = f64::from(v) - mean;
        let d2 = d * d;
        m2 += d2;
        m3 += d2 * d;
        m4 += d2 * d2;
    }
    let (m2, m3, m4) = (m2 / nf, m3 / nf, m4 / nf);
    let (skew, kurt) = skew_kurtosis(m2, m3, m4);
    let range = f64::from(p.mx) - f64::from(p.mn);
    for v in [
        mean,
        (p.s2 / nf).sqrt(),
        m2.sqrt(),
        skew,
        kurt,
        f64::from(p.mn),
        f64::from(p.mx),
        range,
        tpos(p.imn, p.n),
        tpos(p.imx, p.n),
    ] {
        push(out, v);
    }
}

/// Quartiles, their ranges, percentiles 1 and 99 and their range.
fn push_order(x: &[f32], scratch: &mut Vec<f32>, out: &mut Vec<f32>) {
    scratch.clear();
    scratch.extend_from_slice(x);
    scratch.sort_unstable_by(f32::total_cmp);
    let (q1, q2, q3) = (
        percentile_sorted(scratch, 25.0),
        percentile_sorted(scratch, 50.0),
        percentile_sorted(scratch, 75.0),
    );
    let (p1, p99) = (
        percentile_sorted(scratch, 1.0),
        percentile_sorted(scratch, 99.0),
    );
    for v in [q1, q2, q3, q2 - q1, q3 - q2, q3 - q1, p1, p99, p99 - p1] {
        push(out, v);
    }
}

/// Linear and quadratic regression over t ∈ [0, 1], with their mean squared errors.
fn push_regression(x: &[f32], p: &Pass, out: &mut Vec<f32>) {
    let Pass {
        nf,
        s1,
        st,
        stt,
        sttt,
        stttt,
        sx_t,
        sx_tt,
        mean,
        ..
    } = *p;
    let den = nf * stt - st * st;
    let (slope, offset) = if den.abs() > 1e-12 {
        let b = (nf * sx_t - st * s1) / den;
        (b, (s1 - b * st) / nf)
    } else {
        (0.0, mean)
    };
    let q = solve3(
        [[stttt, sttt, stt], [sttt, stt, st], [stt, st, nf]],
        [sx_tt, sx_t, s1],
    )
    .unwrap_or([0.0, slope, offset]);
    let (mut lerr, mut qerr) = (0.0, 0.0);
    for (i, &v) in x.iter().enumerate() {
        let t = tpos(i, p.n);
        let v = f64::from(v);
        lerr += (v - (offset + slope * t)).powi(2);
        qerr += (v - (q[0] * t * t + q[1] * t + q[2])).powi(2);
    }
    for v in [slope, offset, lerr / nf, q[0], q[1], q[2], qerr / nf] {
        push(out, v);
    }
}

/// Peaks above the mean: rate, distance mean and std, mean value, over the mean, range.
fn push_peaks(x: &[f32], mean: f64, dt: f64, out: &mut Vec<f32>) {
    let n = x.len();
    let mut peaks: Vec<(usize, f64)> = Vec::new();
    for i in 1..n.saturating_sub(1) {
        let v = f64::from(x[i]);
        if x[i] > x[i - 1] && x[i] >= x[i + 1] && v > mean {
            peaks.push((i, v));
        }
    }
    let duration = n as f64 * dt;
    let dists: Vec<f64> = peaks
        .windows(2)
        .map(|w| (w[1].0 - w[0].0) as f64 * dt)
        .collect();
    let (dmean, dstd) = mean_std(&dists);
    let pv: Vec<f64> = peaks.iter().map(|p| p.1).collect();
    let (pmean, _) = mean_std(&pv);
    let prange = pv.iter().copied().fold(f64::NEG_INFINITY, f64::max)
        - pv.iter().copied().fold(f64::INFINITY, f64::min);
    let has_peaks = !pv.is_empty();
    for v in [
        peaks.len() as f64 / duration.max(1e-9),
        dmean,
        dstd,
        if has_peaks { pmean } else { 0.0 },
        if has_peaks { pmean - mean } else { 0.0 },
        if has_peaks { prange } else { 0.0 },
    ] {
        push(out, v);
    }
}

/// Shape in time: rising / falling and left / right curvature shares, the rising and falling
/// slopes' means and stds.
fn push_shape(x: &[f32], dt: f64, out: &mut Vec<f32>) {
    let n = x.len();
    let steps = (n - 1).max(1) as f64;
    let (mut up, mut down) = (Moments::default(), Moments::default());
    for w in x.windows(2) {
        let s = f64::from(w[1] - w[0]) / dt;
        if s > 0.0 {
            up.add(s);
        } else if s < 0.0 {
            down.add(s);
        }
    }
    let (mut left, mut right) = (0usize, 0usize);
    for w in x.windows(3) {
        let c = w[2] - 2.0 * w[1] + w[0];
        if c > 0.0 {
            left += 1;
        } else if c < 0.0 {
            right += 1;
        }
    }
    let curv = (n.saturating_sub(2)).max(1) as f64;
    let (um, us) = up.mean_std();
    let (dm, ds) = down.mean_std();
    for v in [
        up.n / steps,
        down.n / steps,
        left as f64 / curv,
        right as f64 / curv,
        um,
        us,
        dm,
        ds,
    ] {
        push(out, v);
    }
}

/// Segments above the mean: length mean, std, max, min (seconds).
fn push_segments(x: &[f32], mean: f64, dt: f64, out: &mut Vec<f32>) {
    let mut segs = Vec::new();
    let mut run = 0usize;
    for &v in x {
        if f64::from(v) > mean {
            run += 1;
        } else if run > 0 {
            segs.push(run as f64 * dt);
            run = 0;
        }
    }
    if run > 0 {
        segs.push(run as f64 * dt);
    }
    let (sm, ss) = mean_std(&segs);
    let smax = segs.iter().copied().fold(0.0, f64::max);
    let smin = if segs.is_empty() {
        0.0
    } else {
        segs.iter().copied().fold(f64::INFINITY, f64::min)
    };
    for v in [sm, ss, smax, smin] {
        push(out, v);
    }
}

/// Appends the [`N_FUNCTIONALS`] functionals of `x` (frames `dt` seconds apart) to `out`;
/// an empty contour gives zeros, a non-finite result 0.
pub fn functionals(x: &[f32], dt: f64, scratch: &mut Vec<f32>, out: &mut Vec<f32>) {
    let start = out.len();
    if x.is_empty() {
        out.extend([0f32; N_FUNCTIONALS]);
        return;
    }
    let p = first_pass(x);
    push_moments(x, &p, out);
    push_order(x, scratch, out);
    push_regression(x, &p, out);
    push_peaks(x, p.mean, dt, out);
    // Level times: the share of frames above 25, 50, 75 and 90 % of the range.
    let range = f64::from(p.mx) - f64::from(p.mn);
    for l in [0.25, 0.5, 0.75, 0.9] {
        let thr = f64::from(p.mn) + l * range;
        let above = x.iter().filter(|&&v| f64::from(v) > thr).count();
        push(out, above as f64 / p.nf);
    }
    push_shape(x, dt, out);
    push_segments(x, p.mean, dt, out);
    debug_assert_eq!(out.len() - start, N_FUNCTIONALS);
}

#[cfg(test)]
mod tests;
