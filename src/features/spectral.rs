//! Decibels, DCT/MFCC, chroma (with librosa's tuning estimation) and spectral contrast.
//!
//! Each function mirrors the librosa 0.11 function named in its doc, with the same defaults.

use super::stft::{Spectrogram, fft_frequencies};

/// `librosa.power_to_db(S, ref=1.0, amin=1e-10, top_db=80)` over a whole matrix:
/// `10·log10(max(amin, S))`, then floored at (matrix max − top_db). Single precision.
pub fn power_to_db(s: &[f32], amin: f32, top_db: Option<f32>) -> Vec<f32> {
    let mut out = vec![0f32; s.len()];
    super::simd::decibels(s, amin, &mut out);
    if let Some(top) = top_db {
        let max = max_f32(&out);
        let floor = max - top;
        for v in &mut out {
            *v = v.max(floor);
        }
    }
    out
}

/// [`dct_ortho`] built once per (n_out, n_in).
pub fn dct_ortho_cached(n_out: usize, n_in: usize) -> std::sync::Arc<Vec<Vec<f64>>> {
    type Dcts = Vec<((usize, usize), std::sync::Arc<Vec<Vec<f64>>>)>;
    static DCTS: std::sync::Mutex<Dcts> = std::sync::Mutex::new(Vec::new());
    let mut d = DCTS.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((_, m)) = d.iter().find(|(k, _)| *k == (n_out, n_in)) {
        return m.clone();
    }
    let m = std::sync::Arc::new(dct_ortho(n_out, n_in));
    d.push(((n_out, n_in), m.clone()));
    m
}

/// The orthonormal DCT-II matrix (`scipy.fftpack.dct(type=2, norm="ortho")`), `n_out × n_in`.
pub fn dct_ortho(n_out: usize, n_in: usize) -> Vec<Vec<f64>> {
    let n = n_in as f64;
    (0..n_out)
        .map(|k| {
            let scale = if k == 0 {
                (1.0 / n).sqrt()
            } else {
                (2.0 / n).sqrt()
            };
            (0..n_in)
                .map(|i| {
                    scale
                        * (std::f64::consts::PI * k as f64 * (2.0 * i as f64 + 1.0) / (2.0 * n))
                            .cos()
                })
                .collect()
        })
        .collect()
}

/// Octaves above C0 of a frequency: `log2(f / (440·2^(tuning/bpo) / 16))` (librosa `hz_to_octs`).
fn hz_to_octs(f: f64, tuning: f64, bins_per_octave: usize) -> f64 {
    let a440 = 440.0 * 2f64.powf(tuning / bins_per_octave as f64);
    (f / (a440 / 16.0)).log2()
}

/// The chroma filterbank (`librosa.filters.chroma(sr=sr, n_fft=n_fft, tuning=tuning)`,
/// 12 bins, ctroct 5, octwidth 2, L2 norm, starting at C), `12 × (n_fft/2 + 1)`.
pub fn chroma_filterbank(sr: f64, n_fft: usize, tuning: f64) -> Vec<Vec<f32>> {
    const N: usize = 12;
    let nc = N as f64;
    // Frequencies of bins 1..n_fft (the whole circle, as librosa), in chroma bins.
    let mut frqbins: Vec<f64> = (1..n_fft)
        .map(|k| nc * hz_to_octs(k as f64 * sr / n_fft as f64, tuning, N))
        .collect();
    frqbins.insert(0, frqbins[0] - 1.5 * nc);
    let mut binwidth: Vec<f64> = frqbins.windows(2).map(|w| (w[1] - w[0]).max(1.0)).collect();
    binwidth.push(1.0);
    let n_chroma2 = (nc / 2.0).round();
    // Columns are independent (each is normalised on its own), so only the rfft half that is
    // kept is computed.
    let n_keep = n_fft / 2 + 1;
    let mut wts = vec![vec![0.0f64; n_keep]; N];
    for (j, (&fb, &bw)) in frqbins.iter().zip(&binwidth).enumerate().take(n_keep) {
        for (c, row) in wts.iter_mut().enumerate() {
            let d = (fb - c as f64 + n_chroma2 + 10.0 * nc).rem_euclid(nc) - n_chroma2;
            row[j] = (-0.5 * (2.0 * d / bw).powi(2)).exp();
        }
    }
    // L2-normalise each column (over chroma), then weight by the octave Gaussian.
    for j in 0..n_keep {
        let norm = wts.iter().map(|r| r[j] * r[j]).sum::<f64>().sqrt();
        let octave = (-0.5 * ((frqbins[j] / nc - 5.0) / 2.0).powi(2)).exp();
        for r in wts.iter_mut() {
            if norm > f64::MIN_POSITIVE {
                r[j] /= norm;
            }
            r[j] *= octave;
        }
    }
    // Roll so the first row is C (librosa base_c: roll by −3).
    (0..N)
        .map(|c| {
            wts[(c + 3) % N][..n_keep]
                .iter()
                .map(|&v| v as f32)
                .collect()
        })
        .collect()
}

/// The FFT bins inside piptrack's band [150 Hz, min(4000 Hz, sr/2)) for the tuning estimate:
/// `(first, end)`.
fn tuning_band(sr: f64, n_fft: usize) -> (usize, usize) {
    let freqs = fft_frequencies(sr, n_fft);
    let n = freqs.len();
    let (fmin, fmax) = (150.0, 4000.0f64.min(sr / 2.0));
    let lo = (1..n).find(|&i| fmin <= freqs[i]).unwrap_or(n);
    let hi = (lo..n).find(|&i| freqs[i] >= fmax).unwrap_or(n);
    (lo, hi)
}

/// How many leading bins of a magnitude frame [`estimate_tuning`] reads (the band and one bin
/// either side); besides these it reads only each frame's largest value.
pub fn tuning_bins(sr: f64, n_fft: usize) -> usize {
    let (_, hi) = tuning_band(sr, n_fft);
    (hi + 1).min(n_fft / 2 + 1)
}

/// Tuning deviation in fractions of a semitone (`librosa.estimate_tuning(S=S, sr=sr)` with
/// `bins_per_octave=12`, `resolution=0.01`; peaks from `piptrack`: 150–4000 Hz, threshold 0.1).
///
/// Reads each frame's largest value and the bins below [`tuning_bins`]`(sr, n_fft)` only.
pub fn estimate_tuning(s: &Spectrogram, sr: f64, n_fft: usize) -> f64 {
    let mut peaks = TuningPeaks::new(sr, n_fft, s.n_bins);
    for t in 0..s.n_frames {
        peaks.add_frame(s.frame(t));
    }
    peaks.estimate()
}

/// [`estimate_tuning`] one frame at a time: piptrack's peaks of each frame as it comes, then
/// the histogram of their deviations.
pub struct TuningPeaks {
    sr: f64,
    n_fft: usize,
    n_bins: usize,
    /// piptrack's band `[lo, hi)` in bins.
    lo: usize,
    hi: usize,
    /// Scratch: the thresholded band and its peak mask.
    m: Vec<f32>,
    words: Vec<u64>,
    pitches: Vec<f32>,
    mags: Vec<f32>,
}

impl TuningPeaks {
    /// For frames of `n_bins` magnitudes of an `n_fft`-point STFT at `sr`.
    pub fn new(sr: f64, n_fft: usize, n_bins: usize) -> TuningPeaks {
        let (lo, hi) = tuning_band(sr, n_fft);
        let (lo, hi) = (lo.min(n_bins), hi.min(n_bins));
        let width = hi.saturating_sub(lo);
        TuningPeaks {
            sr,
            n_fft,
            n_bins,
            lo,
            hi,
            m: vec![0f32; width + 2],
            words: vec![0u64; width.div_ceil(64)],
            pitches: Vec::new(),
            mags: Vec::new(),
        }
    }

    /// Adds one magnitude frame's peaks.
    pub fn add_frame(&mut self, x: &[f32]) {
        let (lo, hi, n) = (self.lo, self.hi, self.n_bins);
        if lo >= hi || x.len() < n {
            return;
        }
        let (sr, n_fft) = (self.sr, self.n_fft);
        // Per frame: the thresholded values around the band and the local maxima among them
        // as a bit mask, both vectorised, then the few peaks one by one.
        let last = (hi + 1).min(n);
        let reference = 0.1 * max_f32(x);
        // m[k] holds bin lo - 1 + k; past the last bin, −∞ (no right neighbour).
        self.m[hi - lo + 1] = f32::NEG_INFINITY;
        super::simd::threshold_peaks(&x[lo - 1..last], reference, &mut self.m, &mut self.words);
        let peaks = self.words.iter().enumerate().flat_map(|(w, &bits)| {
            let mut bits = bits;
            std::iter::from_fn(move || {
                (bits != 0).then(|| {
                    let b = bits.trailing_zeros() as usize;
                    bits &= bits - 1;
                    w * 64 + b
                })
            })
        });
        for i in peaks.map(|k| lo + k) {
            // Parabolic interpolation (0 at the edges or when the shift would exceed a bin).
            let shift = if i + 1 < n {
                let a = x[i + 1] + x[i - 1] - 2.0 * x[i];
                let b = (x[i + 1] - x[i - 1]) / 2.0;
                if b.abs() >= a.abs() { 0.0 } else { -b / a }
            } else {
                0.0
            };
            // numpy.gradient: central differences inside, one-sided at the ends.
            let avg = if i + 1 < n {
                (x[i + 1] - x[i - 1]) / 2.0
            } else {
                x[i] - x[i - 1]
            };
            let pitch = ((i as f64 + f64::from(shift)) * sr / n_fft as f64) as f32;
            self.pitches.push(pitch);
            self.mags.push(x[i] + 0.5 * avg * shift);
        }
    }

    /// The tuning estimate from the peaks of the frames added so far (0 without peaks).
    pub fn estimate(&self) -> f64 {
        estimate_from_peaks(&self.pitches, &self.mags)
    }
}

/// estimate_tuning's histogram: the deviations of the pitches whose magnitude reaches the
/// median, in steps of 0.01 semitone; the left edge of the fullest step.
fn estimate_from_peaks(pitches: &[f32], mags: &[f32]) -> f64 {
    if pitches.is_empty() {
        return 0.0;
    }
    let threshold = median_f32(mags);
    let residuals: Vec<f64> = pitches
        .iter()
        .zip(mags)
        .filter(|&(&p, &m)| m >= threshold && p > 0.0)
        .map(|(&p, _)| {
            // As librosa on float32 pitches: octaves in single precision.
            let octs = (p / (440.0f32 / 16.0)).log2();
            let mut r = (12.0f32 * octs).rem_euclid(1.0);
            if r >= 0.5 {
                r -= 1.0;
            }
            f64::from(r)
        })
        .collect();
    if residuals.is_empty() {
        return 0.0;
    }
    // numpy.histogram over 100 bins on [-0.5, 0.5]; the left edge of the fullest bin.
    let edges: Vec<f64> = (0..=100)
        .map(|i| {
            if i == 100 {
                0.5
            } else {
                -0.5 + i as f64 * 0.01
            }
        })
        .collect();
    let mut counts = [0usize; 100];
    for r in residuals {
        let mut k = (((r + 0.5) * 100.0).floor() as isize).clamp(0, 99) as usize;
        if r < edges[k] && k > 0 {
            k -= 1;
        } else if k < 99 && r >= edges[k + 1] {
            k += 1;
        }
        counts[k] += 1;
    }
    let best = (0..100).fold(0, |b, i| if counts[i] > counts[b] { i } else { b });
    edges[best]
}

/// numpy.median of single-precision values (mean of the middle two, in single precision).
/// Partial selection, O(n).
fn median_f32(v: &[f32]) -> f32 {
    let mut s = v.to_vec();
    let n = s.len();
    let (_, &mut upper, _) = s.select_nth_unstable_by(n / 2, f32::total_cmp);
    if n % 2 == 1 {
        upper
    } else {
        // The lower middle is the largest of the left part.
        let lower = s[..n / 2].iter().copied().fold(f32::NEG_INFINITY, f32::max);
        (lower + upper) / 2.0
    }
}

pub(crate) use super::simd::max_f32;

/// `librosa.feature.chroma_stft(S=S, sr=sr, tuning=tuning)`: the chroma filterbank applied to
/// `S` as given (librosa does not square a supplied `S`), each frame scaled to max 1.
/// Returns frame-major `n_frames × 12`.
pub fn chroma_stft(s: &Spectrogram, sr: f64, n_fft: usize, tuning: f64) -> Vec<[f32; 12]> {
    let fb = chroma_filterbank_cached(sr, n_fft, tuning);
    let mut out: Vec<[f32; 12]> = Vec::with_capacity(s.n_frames + 3);
    // Four frames per pass over the filterbank (a short last group repeats its last frame).
    for t in (0..s.n_frames).step_by(4) {
        let frame = |i: usize| s.frame((t + i).min(s.n_frames - 1));
        let sums = super::simd::chroma_dots4(&fb, [frame(0), frame(1), frame(2), frame(3)]);
        out.extend(sums.into_iter().map(|mut c| {
            let max = c.iter().fold(0f32, |m, v| m.max(v.abs()));
            if max >= f32::MIN_POSITIVE {
                for v in &mut c {
                    *v = (f64::from(*v) / f64::from(max)) as f32;
                }
            }
            c
        }));
    }
    out.truncate(s.n_frames);
    out
}

pub(crate) use super::simd::dot_f32;

/// Chroma filterbanks by (sr, n_fft, tuning), shared by all threads. Tuning estimates come in
/// steps of 0.01, so a corpus needs few (the cache is cleared past 256).
type ChromaBanks = Vec<((u64, usize, u64), std::sync::Arc<super::simd::ChromaBank>)>;

static CHROMA_BANKS: std::sync::Mutex<ChromaBanks> = std::sync::Mutex::new(Vec::new());

/// The chroma filterbank for (sr, n_fft, tuning), built once.
fn chroma_filterbank_cached(
    sr: f64,
    n_fft: usize,
    tuning: f64,
) -> std::sync::Arc<super::simd::ChromaBank> {
    let key = (sr.to_bits(), n_fft, tuning.to_bits());
    let found = CHROMA_BANKS
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, fb)| fb.clone());
    if let Some(fb) = found {
        return fb;
    }
    // Built outside the lock; two threads may both build one, which is harmless.
    let fb = std::sync::Arc::new(super::simd::ChromaBank::new(&chroma_filterbank(
        sr, n_fft, tuning,
    )));
    let mut banks = CHROMA_BANKS.lock().unwrap_or_else(|p| p.into_inner());
    if banks.len() >= 256 {
        banks.clear();
    }
    banks.push((key, fb.clone()));
    fb
}

/// The bins of each spectral-contrast band as librosa selects them: (start, end, count),
/// octaves from `fmin`, the first band down to 0 Hz and the last up to Nyquist.
fn contrast_bands(sr: f64, n_fft: usize, fmin: f64, n_bands: usize) -> Vec<(usize, usize, usize)> {
    let freq = fft_frequencies(sr, n_fft);
    let mut octa = vec![0.0f64; n_bands + 2];
    for (k, o) in octa.iter_mut().enumerate().skip(1) {
        *o = fmin * 2f64.powi(k as i32 - 1);
    }
    let mut bands: Vec<(usize, usize, usize)> = Vec::with_capacity(n_bands + 1); // (start, end, count)
    for k in 0..=n_bands {
        let (lo, hi) = (octa[k], octa[k + 1]);
        let idx: Vec<usize> = (0..freq.len())
            .filter(|&i| freq[i] >= lo && freq[i] <= hi)
            .collect();
        let (Some(&first), Some(&last)) = (idx.first(), idx.last()) else {
            bands.push((0, 0, 0));
            continue;
        };
        let mut start = first;
        let mut end = last + 1; // exclusive
        if k > 0 {
            start = first.saturating_sub(1);
        }
        if k == n_bands {
            end = freq.len();
        }
        let count = end - start; // np.sum(current_band)
        let sub_end = if k < n_bands { end - 1 } else { end };
        bands.push((start, sub_end, count));
    }
    bands
}

/// `librosa.feature.spectral_contrast(S=S, sr=sr)`: fmin 200 Hz, 6 octave bands (+ the rest),
/// quantile 0.02. Returns frame-major `n_frames × (n_bands + 1)` peak−valley in dB.
pub fn spectral_contrast(
    s: &Spectrogram,
    sr: f64,
    n_fft: usize,
    fmin: f64,
    n_bands: usize,
    quantile: f64,
) -> Vec<Vec<f64>> {
    let bands = contrast_bands(sr, n_fft, fmin, n_bands);
    let n_rows = n_bands + 1;
    let mut peak = vec![vec![0.0f64; n_rows]; s.n_frames];
    let mut valley = vec![vec![0.0f64; n_rows]; s.n_frames];
    let mut buf: Vec<f32> = Vec::new();
    for t in 0..s.n_frames {
        let x = s.frame(t);
        for (k, &(start, end, count)) in bands.iter().enumerate() {
            if end <= start {
                continue;
            }
            buf.clear();
            buf.extend_from_slice(&x[start..end]);
            let idx = ((quantile * count as f64).round_ties_even() as usize)
                .max(1)
                .min(buf.len());
            let mean =
                |v: &[f32]| (v.iter().map(|&a| f64::from(a)).sum::<f64>() / v.len() as f64) as f32;
            // Only the idx smallest and idx largest values matter: partial selection, O(n).
            let n = buf.len();
            if idx < n {
                buf.select_nth_unstable_by(idx - 1, f32::total_cmp);
            }
            valley[t][k] = f64::from(mean(&buf[..idx]));
            if idx < n {
                buf.select_nth_unstable_by(n - idx, f32::total_cmp);
            }
            peak[t][k] = f64::from(mean(&buf[n - idx..]));
        }
    }
    let db = |m: &Vec<Vec<f64>>| -> Vec<Vec<f64>> {
        let mut out: Vec<Vec<f64>> = m
            .iter()
            .map(|r| r.iter().map(|&v| 10.0 * v.max(1e-10).log10()).collect())
            .collect();
        let max = out
            .iter()
            .flatten()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max);
        for v in out.iter_mut().flatten() {
            *v = v.max(max - 80.0);
        }
        out
    };
    let (p, v) = (db(&peak), db(&valley));
    p.iter()
        .zip(&v)
        .map(|(a, b)| a.iter().zip(b).map(|(x, y)| x - y).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dct_ortho_is_orthonormal() {
        let d = dct_ortho(8, 8);
        for i in 0..8 {
            for j in 0..8 {
                let dot: f64 = (0..8).map(|k| d[i][k] * d[j][k]).sum();
                assert!((dot - if i == j { 1.0 } else { 0.0 }).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn power_to_db_floors_at_top_db() {
        let db = power_to_db(&[1.0, 1e-3, 0.0], 1e-10, Some(80.0));
        assert_eq!(db, vec![0.0, -30.0, -80.0]);
    }
}
