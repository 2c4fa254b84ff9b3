//! Short-time Fourier transform with librosa 0.11's framing.
//!
//! Defaults (as `librosa.stft`): `n_fft` 2048, `hop_length` 512, periodic Hann window of
//! length `n_fft`, `center=True` with `pad_mode="constant"` (n_fft/2 zeros each side), so a
//! clip of `n` samples has `1 + n / hop` frames. As librosa does, the windowed frame is
//! transformed in double precision and the spectrum rounded to single precision (complex64).

use std::sync::Arc;

use realfft::{RealFftPlanner, RealToComplex};

use super::real_fft::RealFft;

/// STFT framing parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StftParams {
    /// FFT size and window length. Default 2048.
    pub n_fft: usize,
    /// Hop between frames in samples. Default 512.
    pub hop: usize,
}

impl Default for StftParams {
    fn default() -> Self {
        StftParams {
            n_fft: 2048,
            hop: 512,
        }
    }
}

impl StftParams {
    /// Frequency bins per frame: `n_fft / 2 + 1`.
    pub fn n_bins(&self) -> usize {
        self.n_fft / 2 + 1
    }

    /// Frames for a clip of `n` samples with centred framing: `1 + n / hop`.
    pub fn n_frames(&self, n: usize) -> usize {
        1 + n / self.hop
    }
}

/// The periodic ("fftbins=True") Hann window: `0.5 − 0.5·cos(2πi/n)`.
pub fn hann_periodic(n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| 0.5 - 0.5 * (2.0 * std::f64::consts::PI * i as f64 / n as f64).cos())
        .collect()
}

/// A real-valued time-frequency matrix stored frame by frame: `data[frame * n_bins + bin]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Spectrogram {
    pub n_bins: usize,
    pub n_frames: usize,
    pub data: Vec<f32>,
}

impl Spectrogram {
    /// One frame's values.
    pub fn frame(&self, t: usize) -> &[f32] {
        &self.data[t * self.n_bins..(t + 1) * self.n_bins]
    }

    /// Element-wise square (magnitude → power), in single precision as numpy does.
    pub fn squared(&self) -> Spectrogram {
        Spectrogram {
            n_bins: self.n_bins,
            n_frames: self.n_frames,
            data: self.data.iter().map(|v| v * v).collect(),
        }
    }
}

/// A reusable STFT: the FFT plan, its buffers and the window.
pub struct Stft {
    params: StftParams,
    plan: Plan,
    window: Vec<f64>,
}

/// Even FFT sizes (all the presets') use [`RealFft`]; odd ones realfft's general transform.
enum Plan {
    Even(Box<RealFft>),
    Odd(Arc<dyn RealToComplex<f64>>),
}

/// The windowed frame starting at `start - pad` in the zero-padded signal, sample by sample
/// (for frames that reach into the padding).
fn windowed_padded(y: &[f32], window: &[f64], start: usize, pad: usize, out: &mut [f64]) {
    for (i, slot) in out.iter_mut().enumerate() {
        let j = (start + i) as isize - pad as isize;
        *slot = if j >= 0 && (j as usize) < y.len() {
            f64::from(y[j as usize]) * window[i]
        } else {
            0.0
        };
    }
}

impl Stft {
    pub fn new(params: StftParams) -> Self {
        let plan = if params.n_fft.is_multiple_of(2) {
            Plan::Even(Box::new(RealFft::new(params.n_fft)))
        } else {
            Plan::Odd(RealFftPlanner::<f64>::new().plan_fft_forward(params.n_fft))
        };
        Stft {
            plan,
            window: hann_periodic(params.n_fft),
            params,
        }
    }

    pub fn params(&self) -> StftParams {
        self.params
    }

    /// Magnitude spectrogram `|STFT(y)|` (librosa: `np.abs(librosa.stft(y))`), every value
    /// exactly as numpy computes it from the complex64 spectrum.
    pub fn magnitude(&mut self, y: &[f32]) -> Spectrogram {
        self.magnitude_exact_below(y, usize::MAX)
    }

    /// [`Self::magnitude`] where only the bins below `exact` and each frame's largest value
    /// are exactly numpy's; the others are within 2 ulp (computed without a division). For
    /// callers whose exactness needs end below some frequency (librosa's tuning estimate).
    pub fn magnitude_exact_below(&mut self, y: &[f32], exact: usize) -> Spectrogram {
        self.magnitude_with(y, exact, |_, _| {})
    }

    /// [`Self::magnitude_exact_below`] that also hands each frame (its index and values) to
    /// `each_frame` as soon as it is computed, while it is still in the L1 cache: consumers
    /// that need one frame at a time (mel, the tuning estimate's peak picking) then do not
    /// stream the whole spectrogram (1.4 MB for a RAVDESS clip) back from memory.
    pub fn magnitude_with(
        &mut self,
        y: &[f32],
        exact: usize,
        mut each_frame: impl FnMut(usize, &[f32]),
    ) -> Spectrogram {
        let StftParams { n_fft, hop } = self.params;
        let n_bins = self.params.n_bins();
        let n_frames = self.params.n_frames(y.len());
        let pad = n_fft / 2;
        // A recycled buffer (see `recycle`): every row is overwritten below, so only a grown
        // tail is zeroed, and no fresh pages are touched when it was large enough.
        let mut data = SPARE.with(|c| std::mem::take(&mut *c.borrow_mut()));
        data.truncate(n_frames * n_bins);
        data.resize(n_frames * n_bins, 0.0);
        let window = &self.window;
        // Where frame `t` lies wholly inside the signal, its first sample.
        let inside = |t: usize| -> Option<usize> {
            let start = (t * hop) as isize - pad as isize;
            (start >= 0 && start as usize + n_fft <= y.len()).then_some(start as usize)
        };
        match &mut self.plan {
            Plan::Even(fft) => {
                for (t, row) in data.chunks_exact_mut(n_bins).enumerate() {
                    let input = fft.input();
                    match inside(t) {
                        // A digitally silent frame (~6 % of RAVDESS's) transforms to exact
                        // zeros, as numpy's FFT gives: no need to run it.
                        Some(s) if super::simd::all_zero(&y[s..s + n_fft]) => {
                            row.fill(0.0);
                            each_frame(t, row);
                            continue;
                        }
                        Some(s) => super::simd::windowed(&y[s..s + n_fft], window, input),
                        None => windowed_padded(y, window, t * hop, pad, input),
                    }
                    fft.transform();
                    fft.magnitudes_exact_below(exact, row);
                    each_frame(t, row);
                }
            }
            Plan::Odd(fft) => {
                let mut input = fft.make_input_vec();
                let mut output = fft.make_output_vec();
                let mut scratch = fft.make_scratch_vec();
                for (t, row) in data.chunks_exact_mut(n_bins).enumerate() {
                    match inside(t) {
                        Some(s) => super::simd::windowed(&y[s..s + n_fft], window, &mut input),
                        None => windowed_padded(y, window, t * hop, pad, &mut input),
                    }
                    // Lengths come from the plan itself, so processing cannot fail.
                    if fft
                        .process_with_scratch(&mut input, &mut output, &mut scratch)
                        .is_err()
                    {
                        unreachable!("realfft buffers made by the plan have the right lengths");
                    }
                    super::simd::magnitudes(&output, row);
                    each_frame(t, row);
                }
            }
        }
        Spectrogram {
            n_bins,
            n_frames,
            data,
        }
    }
}

thread_local! {
    static SPARE: std::cell::RefCell<Vec<f32>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Hands a spectrogram's buffer back for this thread's next [`Stft::magnitude`].
pub fn recycle(s: Spectrogram) {
    SPARE.with(|c| {
        let mut spare = c.borrow_mut();
        if s.data.capacity() > spare.capacity() {
            *spare = s.data;
        }
    });
}

/// `|re + i·im|` in single precision exactly as numpy 2.x's SIMD `np.abs(complex64)` computes
/// it: `larger · sqrt(fma(ratio, ratio, 1))` with `ratio = smaller / larger`. (`hypotf` is
/// correctly rounded and differs from numpy in the last bit for about a third of all bins,
/// enough to move librosa's tuning estimate, whose histogram is nearly flat on speech.)
pub fn complex_abs(re: f32, im: f32) -> f32 {
    let (a, b) = (re.abs(), im.abs());
    let (larger, smaller) = if a >= b { (a, b) } else { (b, a) };
    if larger == 0.0 || larger.is_infinite() {
        return larger;
    }
    let ratio = smaller / larger;
    larger * ratio.mul_add(ratio, 1.0).sqrt()
}

/// Centre frequency of each FFT bin: `k · sr / n_fft` (librosa `fft_frequencies`).
pub fn fft_frequencies(sr: f64, n_fft: usize) -> Vec<f64> {
    (0..=n_fft / 2)
        .map(|k| k as f64 * sr / n_fft as f64)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_abs_equals_reference_abs() {
        let vals = [0.0f32, 1e-30, 3.5e-7, 0.25, 1.0, 17.0, -2.5, 1e20];
        for &re in &vals {
            for &im in &vals {
                let mut one = [0f32];
                super::super::simd::magnitudes(
                    &[realfft::num_complex::Complex::new(
                        f64::from(re),
                        f64::from(im),
                    )],
                    &mut one,
                );
                assert_eq!(one[0], complex_abs(re, im), "{re} {im}");
                assert_eq!(complex_abs(re, -im), complex_abs(-re, im));
            }
        }
        assert_eq!(complex_abs(3.0, 4.0), 5.0);
    }

    #[test]
    fn silent_frames_are_exact_zeros_and_the_rest_unchanged() {
        let tone = |i: usize| (i as f32 * 0.05).sin() * 0.5;
        let y: Vec<f32> = (0..30000)
            .map(|i| {
                if (10000..20000).contains(&i) {
                    0.0
                } else {
                    tone(i)
                }
            })
            .collect();
        let mut stft = Stft::new(StftParams::default());
        let s = stft.magnitude(&y);
        for t in 0..s.n_frames {
            // Frame t covers samples [512t − 1024, 512t + 1024).
            let (a, b) = ((512 * t) as isize - 1024, 512 * t + 1024);
            let silent = a >= 10000 && b <= 20000;
            assert_eq!(s.frame(t).iter().all(|&v| v == 0.0), silent, "frame {t}");
        }
        // A frame's spectrum does not depend on whether its neighbours were skipped.
        let alone = stft.magnitude(&y[..10000]);
        assert_eq!(alone.frame(5), s.frame(5));
    }

    #[test]
    fn frame_count_and_a_bin_centred_sine() {
        let sr = 48000.0;
        let p = StftParams::default();
        let k = 100; // bin index
        let f = k as f64 * sr / p.n_fft as f64;
        let y: Vec<f32> = (0..48000)
            .map(|i| (2.0 * std::f64::consts::PI * f * i as f64 / sr).sin() as f32)
            .collect();
        let s = Stft::new(p).magnitude(&y);
        assert_eq!(s.n_frames, 1 + 48000 / 512);
        let mid = s.frame(40);
        let peak = (0..s.n_bins)
            .max_by(|&a, &b| mid[a].total_cmp(&mid[b]))
            .unwrap();
        assert_eq!(peak, k);
        // A unit sine through a periodic Hann window of length N peaks at N/4.
        assert!((mid[k] - 512.0).abs() < 0.01, "{}", mid[k]);
    }
}
