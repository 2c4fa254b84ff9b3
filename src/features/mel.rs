//! Mel scale and filterbank, as `librosa.filters.mel` with its defaults
//! (`htk=False` — the Slaney scale — and `norm="slaney"`).

/// Hz per mel in the linear part of the Slaney scale.
const F_SP: f64 = 200.0 / 3.0;
/// Where the Slaney scale turns logarithmic.
const MIN_LOG_HZ: f64 = 1000.0;
/// The mel value at `MIN_LOG_HZ` (15).
const MIN_LOG_MEL: f64 = MIN_LOG_HZ / F_SP;

/// Mels per natural-log step above 1 kHz: ln(6.4) / 27.
fn logstep() -> f64 {
    6.4f64.ln() / 27.0
}

/// Slaney mel: linear below 1 kHz (200/3 Hz per mel), logarithmic above.
pub fn hz_to_mel(hz: f64) -> f64 {
    if hz >= MIN_LOG_HZ {
        MIN_LOG_MEL + (hz / MIN_LOG_HZ).ln() / logstep()
    } else {
        hz / F_SP
    }
}

/// Inverse of [`hz_to_mel`].
pub fn mel_to_hz(mel: f64) -> f64 {
    if mel >= MIN_LOG_MEL {
        MIN_LOG_HZ * (logstep() * (mel - MIN_LOG_MEL)).exp()
    } else {
        F_SP * mel
    }
}

/// `n` frequencies evenly spaced on the mel scale from `fmin` to `fmax` (inclusive).
pub fn mel_frequencies(n: usize, fmin: f64, fmax: f64) -> Vec<f64> {
    let (lo, hi) = (hz_to_mel(fmin), hz_to_mel(fmax));
    let step = if n > 1 {
        (hi - lo) / (n - 1) as f64
    } else {
        0.0
    };
    (0..n)
        .map(|i| {
            // numpy.linspace: start + i·step, with the last element exactly `stop`.
            let m = if i + 1 == n { hi } else { lo + i as f64 * step };
            mel_to_hz(m)
        })
        .collect()
}

/// A mel filterbank: per band, the first FFT bin with a non-zero weight and the weights.
#[derive(Debug, Clone, PartialEq)]
pub struct MelFilterbank {
    pub n_bins: usize,
    pub bands: Vec<(usize, Vec<f32>)>,
    /// The same bands widened with zero weights to whole blocks of 8 bins (within the
    /// frame), so applying them needs no remainder loops.
    blocks: Vec<(usize, Vec<f32>)>,
}

/// Triangular Slaney-normalised mel filters (librosa `filters.mel(sr=sr, n_fft=n_fft,
/// n_mels=n_mels, fmin=fmin, fmax=fmax)`; librosa defaults: 128 bands, fmin 0, fmax sr/2).
/// Weights are computed in double precision and stored in single, as librosa's float32 default.
pub fn mel_filterbank(sr: f64, n_fft: usize, n_mels: usize, fmin: f64, fmax: f64) -> MelFilterbank {
    let fft_freqs = super::stft::fft_frequencies(sr, n_fft);
    let mel_f = mel_frequencies(n_mels + 2, fmin, fmax);
    let n_bins = fft_freqs.len();
    let bands = (0..n_mels)
        .map(|i| {
            let (lo_d, hi_d) = (mel_f[i + 1] - mel_f[i], mel_f[i + 2] - mel_f[i + 1]);
            let enorm = 2.0 / (mel_f[i + 2] - mel_f[i]);
            let w: Vec<f32> = fft_freqs
                .iter()
                .map(|&f| {
                    let lower = -(mel_f[i] - f) / lo_d;
                    let upper = (mel_f[i + 2] - f) / hi_d;
                    (lower.min(upper).max(0.0) * enorm) as f32
                })
                .collect();
            let first = w.iter().position(|&v| v != 0.0).unwrap_or(0);
            let last = w.iter().rposition(|&v| v != 0.0).map_or(first, |l| l + 1);
            (first, w[first..last.max(first)].to_vec())
        })
        .collect();
    MelFilterbank::new(n_bins, bands)
}

impl MelFilterbank {
    /// A filterbank over `n_bins` FFT bins from its bands (`(first bin, weights)` each).
    pub fn new(n_bins: usize, bands: Vec<(usize, Vec<f32>)>) -> MelFilterbank {
        let blocks = bands
            .iter()
            .map(|(start, w)| {
                let len = w.len().div_ceil(8) * 8;
                if len > n_bins || w.is_empty() {
                    return (*start, w.clone());
                }
                // Zeros after the band, or before it where the frame ends first.
                let first = (*start).min(n_bins - len);
                let mut padded = vec![0f32; len];
                padded[start - first..start - first + w.len()].copy_from_slice(w);
                (first, padded)
            })
            .collect();
        MelFilterbank {
            n_bins,
            bands,
            blocks,
        }
    }

    /// Applies the filterbank to one power frame, writing one value per band (single
    /// precision, as librosa's float32 matrix product).
    pub fn apply(&self, frame: &[f32], out: &mut [f32]) {
        for ((start, w), o) in self.bands.iter().zip(out.iter_mut()) {
            *o = super::spectral::dot_f32(w, &frame[*start..*start + w.len()]);
        }
    }

    /// The bands widened to whole blocks of 8 bins, as [`Self::apply_to_power_of`] uses them.
    pub fn blocks(&self) -> &[(usize, Vec<f32>)] {
        &self.blocks
    }

    /// [`Self::apply`] to the square of one magnitude frame (`n_mels` out), without
    /// computing its power first.
    pub fn apply_to_power_of(&self, magnitude: &[f32], out: &mut [f32]) {
        super::simd::filter_power_frames(&self.blocks, magnitude, magnitude.len(), out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slaney_scale_round_trips_and_is_linear_below_1k() {
        assert!((hz_to_mel(1000.0) - 15.0).abs() < 1e-12);
        assert!((hz_to_mel(200.0) - 3.0).abs() < 1e-12);
        for hz in [0.0, 123.0, 999.0, 1000.0, 4000.0, 24000.0] {
            assert!((mel_to_hz(hz_to_mel(hz)) - hz).abs() < 1e-9);
        }
    }
}
