//! The spectrum of a real frame of even length `n`, as realfft 3.5's `RealToComplexEven`
//! computes it — a complex FFT of length `n/2` over the frame's sample pairs, then one
//! "untangling" pass with twiddle factors — but with that pass writing split real and
//! imaginary arrays, so it and the magnitudes computed from them vectorise. Same IEEE
//! operations in the same order as realfft, so the spectrum is bit-identical to realfft's
//! (unit test); only faster (the untangling pass and the magnitudes were a quarter of the
//! classic preset's time as scalar loops over interleaved complex numbers).

use std::sync::Arc;

use realfft::num_complex::Complex;
use rustfft::{Fft, FftPlanner};

/// A planned real FFT of one even length, with its working buffers.
pub struct RealFft {
    n: usize,
    fft: Arc<dyn Fft<f64>>,
    /// realfft's twiddles: `exp(−2πik/n) / 2` for k = 1 … ⌈n/4⌉ − 1, split.
    twiddle_re: Vec<f64>,
    twiddle_im: Vec<f64>,
    /// The frame as `n/2` complex pairs `x[2i] + i·x[2i+1]`, the complex FFT's output, and its scratch.
    pairs: Vec<Complex<f64>>,
    spectrum: Vec<Complex<f64>>,
    scratch: Vec<Complex<f64>>,
    /// The spectrum's bins, split.
    re: Vec<f64>,
    im: Vec<f64>,
}

impl RealFft {
    /// Plans a forward FFT of even length `n` (≥ 2).
    pub fn new(n: usize) -> RealFft {
        assert!(
            n >= 2 && n.is_multiple_of(2),
            "RealFft needs an even length, got {n}"
        );
        let m = n / 2;
        let twiddle_count = if n.is_multiple_of(4) {
            n / 4
        } else {
            n / 4 + 1
        };
        let (twiddle_re, twiddle_im) = (1..twiddle_count)
            .map(|i| {
                let angle = -2f64 * std::f64::consts::PI / n as f64 * i as f64;
                (angle.cos() * 0.5, angle.sin() * 0.5)
            })
            .unzip();
        let fft = FftPlanner::<f64>::new().plan_fft_forward(m);
        let scratch = vec![Complex::default(); fft.get_outofplace_scratch_len()];
        RealFft {
            n,
            fft,
            twiddle_re,
            twiddle_im,
            pairs: vec![Complex::default(); m],
            spectrum: vec![Complex::default(); m],
            scratch,
            re: vec![0.0; m + 1],
            im: vec![0.0; m + 1],
        }
    }

    /// The input buffer: the frame's `n` samples. Fill it, then call [`Self::transform`].
    pub fn input(&mut self) -> &mut [f64] {
        bytemuck::cast_slice_mut(&mut self.pairs)
    }

    /// Transforms the frame in [`Self::input`] (which it overwrites): afterwards
    /// [`Self::bins`] holds the `n/2 + 1` bins.
    pub fn transform(&mut self) {
        let m = self.n / 2;
        self.fft.process_outofplace_with_scratch(
            &mut self.pairs,
            &mut self.spectrum,
            &mut self.scratch,
        );
        let z = &self.spectrum;
        self.re[0] = z[0].re + z[0].im;
        self.im[0] = 0.0;
        self.re[m] = z[0].re - z[0].im;
        self.im[m] = 0.0;
        // realfft pairs bin k with bin m − k for k = 1 … p (left half against right half).
        let half = m.div_ceil(2);
        let p = self
            .twiddle_re
            .len()
            .min(half - 1)
            .min((m + 1 - half).saturating_sub(1));
        if p > 0 {
            // Left: bins 1 … p. Right: bins m − p … m − 1 (in reverse order of k).
            let (left_re, right_re) = self.re.split_at_mut(m - p);
            let (left_im, right_im) = self.im.split_at_mut(m - p);
            super::simd::untangle_pairs(
                &z[1..=p],
                &z[m - p..m],
                [&self.twiddle_re[..p], &self.twiddle_im[..p]],
                [&mut left_re[1..=p], &mut left_im[1..=p]],
                [&mut right_re[..p], &mut right_im[..p]],
            );
        }
        // The middle bin of an odd-length output (n % 4 == 0) is only conjugated.
        if !(m + 1).is_multiple_of(2) {
            let c = m / 2;
            self.re[c] = z[c].re;
            self.im[c] = -z[c].im;
        }
    }

    /// The spectrum's `n/2 + 1` bins after [`Self::transform`]: real parts, imaginary parts.
    pub fn bins(&self) -> (&[f64], &[f64]) {
        (&self.re, &self.im)
    }

    /// The frame's `n/2 + 1` magnitudes after [`Self::transform`]: exactly as numpy 2.x's
    /// `np.abs` of the spectrum rounded to complex64 (see [`super::simd::magnitudes_split`])
    /// for the bins below `exact` and for the frame's largest value; the other bins within
    /// 2 ulp (no division: twice as fast). `usize::MAX` makes every bin exact.
    pub fn magnitudes_exact_below(&self, exact: usize, out: &mut [f32]) {
        let e = exact.min(out.len()).min(self.re.len());
        let (low, high) = out.split_at_mut(e);
        super::simd::magnitudes_split(&self.re[..e], &self.im[..e], low);
        if high.is_empty() {
            return;
        }
        super::simd::magnitudes_split_fast(&self.re[e..], &self.im[e..], high);
        if low.is_empty() {
            return;
        }
        // Fast values are within 2 ulp (2.4e-7) of the exact ones: if the frame's largest
        // value may lie above `exact`, those bins are computed exactly too.
        if super::simd::max_f32(high) * (1.0 + 1e-6) >= super::simd::max_f32(low) {
            super::simd::magnitudes_split(&self.re[e..], &self.im[e..], high);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use realfft::RealFftPlanner;

    #[test]
    fn bit_identical_to_realfft() {
        for n in [2usize, 4, 6, 10, 64, 126, 512, 2048, 4096] {
            let x: Vec<f64> = (0..n)
                .map(|i| ((i * 7919 % 1000) as f64 / 500.0 - 1.0) * (1.0 + (i as f64).sin()))
                .collect();
            let plan = RealFftPlanner::<f64>::new().plan_fft_forward(n);
            let mut input = x.clone();
            let mut want = plan.make_output_vec();
            plan.process(&mut input, &mut want).unwrap();

            let mut fft = RealFft::new(n);
            fft.input().copy_from_slice(&x);
            fft.transform();
            let (re, im) = fft.bins();
            assert_eq!(re.len(), want.len());
            for (k, w) in want.iter().enumerate() {
                assert_eq!(re[k].to_bits(), w.re.to_bits(), "n {n} bin {k} re");
                assert_eq!(im[k].to_bits(), w.im.to_bits(), "n {n} bin {k} im");
            }
            let mut mags = vec![0f32; want.len()];
            fft.magnitudes_exact_below(usize::MAX, &mut mags);
            let mut some = vec![0f32; want.len()];
            let exact = want.len() / 3;
            fft.magnitudes_exact_below(exact, &mut some);
            let max = want.iter().map(|w| w.norm() as f32).fold(0f32, f32::max);
            for (k, w) in want.iter().enumerate() {
                let expect = super::super::stft::complex_abs(w.re as f32, w.im as f32);
                assert_eq!(mags[k].to_bits(), expect.to_bits(), "n {n} bin {k} abs");
                if k < exact || expect == some.iter().copied().fold(0f32, f32::max) {
                    assert_eq!(some[k].to_bits(), expect.to_bits(), "n {n} bin {k} exact");
                } else {
                    let ulp = (some[k].to_bits() as i64 - expect.to_bits() as i64).abs();
                    assert!(ulp <= 2, "n {n} bin {k}: {} vs {expect}", some[k]);
                }
            }
            let exact_max = mags.iter().copied().fold(0f32, f32::max);
            assert_eq!(some.iter().copied().fold(0f32, f32::max), exact_max);
            assert!((max - exact_max).abs() <= max * 1e-6);
        }
    }
}
