//! Frame-level features beside the spectrogram ones, each as librosa 0.11 computes it with its
//! defaults: frame 2048, hop 512, centred frames.

use super::stft::{Spectrogram, fft_frequencies};

/// Splits `y` into centred frames: `pad` samples of padding each side (`edge` repeats the end
/// samples, otherwise zeros), frames of `frame` samples every `hop`.
pub fn centred_frames(y: &[f32], frame: usize, hop: usize, edge: bool) -> Vec<Vec<f32>> {
    let pad = frame / 2;
    let n = y.len();
    let padded_len = n + 2 * pad;
    if padded_len < frame {
        return Vec::new();
    }
    let n_frames = 1 + (padded_len - frame) / hop;
    let at = |j: isize| -> f32 {
        if j >= 0 && (j as usize) < n {
            y[j as usize]
        } else if !edge || n == 0 {
            0.0
        } else if j < 0 {
            y[0]
        } else {
            y[n - 1]
        }
    };
    (0..n_frames)
        .map(|t| {
            let start = (t * hop) as isize - pad as isize;
            (0..frame).map(|i| at(start + i as isize)).collect()
        })
        .collect()
}

/// `librosa.feature.zero_crossing_rate(y)`: edge-padded frames; a crossing between two
/// samples whose sign bits differ, samples within ±1e-10 counting as +0; the first sample of
/// each frame never counts; the rate is crossings / frame length.
pub fn zero_crossing_rate(y: &[f32], frame: usize, hop: usize) -> Vec<f32> {
    const THRESHOLD: f32 = 1e-10;
    let clip = |v: f32| if v.abs() <= THRESHOLD { 0.0 } else { v };
    // Edge padding repeats the end samples, so no pair that touches the padding crosses:
    // only the frame's real samples count.
    centred_spans(y.len(), frame, hop)
        .map(|(lo, hi)| {
            let crossings = y[lo..hi]
                .windows(2)
                .filter(|w| clip(w[0]).is_sign_negative() != clip(w[1]).is_sign_negative())
                .count();
            (crossings as f64 / frame as f64) as f32
        })
        .collect()
}

/// `librosa.feature.rms(y=y)`: zero-padded centred frames, `sqrt(mean(x²))`.
pub fn rms(y: &[f32], frame: usize, hop: usize) -> Vec<f32> {
    // The zero padding adds exact zeros to the sum: only the real samples are summed.
    centred_spans(y.len(), frame, hop)
        .map(|(lo, hi)| {
            let p: f64 = y[lo..hi].iter().map(|&v| f64::from(v * v)).sum::<f64>() / frame as f64;
            (p as f32).sqrt()
        })
        .collect()
}

/// The range of real samples `lo..hi` inside each centred frame of [`centred_frames`] (same
/// count and order), without copying the frames.
fn centred_spans(n: usize, frame: usize, hop: usize) -> impl Iterator<Item = (usize, usize)> {
    let pad = frame / 2;
    let n_frames = if n + 2 * pad < frame || hop == 0 {
        0
    } else {
        1 + (n + 2 * pad - frame) / hop
    };
    (0..n_frames).map(move |t| {
        let start = t * hop;
        let lo = start.saturating_sub(pad).min(n);
        let hi = (start + frame).saturating_sub(pad).min(n).max(lo);
        (lo, hi)
    })
}

/// Spectral centroid, bandwidth (p = 2), 85 % roll-off and flatness of each frame of a
/// magnitude spectrogram (`librosa.feature.spectral_*` on `|stft(y)|`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SpectralShape {
    pub centroid: Vec<f32>,
    pub bandwidth: Vec<f32>,
    pub rolloff: Vec<f32>,
    pub flatness: Vec<f32>,
}

/// Computes [`SpectralShape`] from a magnitude spectrogram.
pub fn spectral_shape(mag: &Spectrogram, sr: f64, n_fft: usize) -> SpectralShape {
    let freq = fft_frequencies(sr, n_fft);
    let mut out = SpectralShape::default();
    let mut normed = vec![0f32; mag.n_bins];
    for t in 0..mag.n_frames {
        let x = mag.frame(t);
        // util.normalize(S, norm=1): divide by the L1 norm (left as is below float32 tiny).
        let l1: f64 = x.iter().map(|&v| f64::from(v)).sum();
        let scale = if l1 < f64::from(f32::MIN_POSITIVE) {
            1.0
        } else {
            l1
        };
        for (n, &v) in normed.iter_mut().zip(x) {
            *n = (f64::from(v) / scale) as f32;
        }
        let centroid: f64 = freq
            .iter()
            .zip(&normed)
            .map(|(f, &s)| f * f64::from(s))
            .sum();
        let bw: f64 = freq
            .iter()
            .zip(&normed)
            .map(|(f, &s)| f64::from(s) * (f - centroid).powi(2))
            .sum::<f64>()
            .sqrt();
        // Roll-off: the lowest frequency whose single-precision running sum reaches 85 %.
        let mut cum = 0f32;
        let total: f32 = x.iter().fold(0f32, |a, &v| a + v);
        let threshold = 0.85f32 * total;
        let mut rolloff = 0.0;
        for (f, &v) in freq.iter().zip(x) {
            cum += v;
            if cum >= threshold {
                rolloff = *f;
                break;
            }
        }
        // Flatness of the power spectrum floored at 1e-10: geometric / arithmetic mean. The
        // logarithms are taken of products of 16 bins (within f64's range for any power in
        // 1e-10..1e9), 16× fewer `ln` calls for the same sum up to rounding.
        let p = |v: &f32| f64::from((v * v).max(1e-10));
        let log_sum: f64 = x
            .chunks(16)
            .map(|c| c.iter().map(p).product::<f64>().ln())
            .sum();
        let gmean = (log_sum / x.len() as f64).exp();
        let amean = x.iter().map(p).sum::<f64>() / x.len() as f64;
        out.centroid.push(centroid as f32);
        out.bandwidth.push(bw as f32);
        out.rolloff.push(rolloff as f32);
        out.flatness.push((gmean / amean) as f32);
    }
    out
}

/// `librosa.onset.onset_strength(y=y, sr=sr)` — spectral flux of the dB mel spectrogram:
/// the mean over bands of the positive frame-to-frame increase, shifted right by
/// `1 + n_fft / (2·hop)` frames (zeros first) and cut to the frame count.
/// `mel_db` is frame-major with `n_mels` values per frame.
pub fn onset_strength(mel_db: &[f32], n_mels: usize, n_fft: usize, hop: usize) -> Vec<f32> {
    let n_frames = mel_db.len() / n_mels;
    let shift = 1 + n_fft / (2 * hop);
    let mut out = vec![0f32; n_frames];
    for t in 1..n_frames {
        if t - 1 + shift >= n_frames {
            break;
        }
        let (prev, cur) = (
            &mel_db[(t - 1) * n_mels..t * n_mels],
            &mel_db[t * n_mels..(t + 1) * n_mels],
        );
        let s: f64 = cur
            .iter()
            .zip(prev)
            .map(|(&c, &p)| f64::from((c - p).max(0.0)))
            .sum();
        out[t - 1 + shift] = (s / n_mels as f64) as f32;
    }
    out
}

/// `librosa.feature.delta(data, width=9, order=1)` along frames for one feature row:
/// Savitzky-Golay first derivative of a linear fit over 9 frames; the first and last 4
/// frames take the slope of the fit over the first / last 9 frames ("interp" mode).
/// Rows shorter than 9 frames get zeros (librosa refuses them).
pub fn delta(row: &[f32]) -> Vec<f32> {
    const HALF: usize = 4;
    let n = row.len();
    if n < 2 * HALF + 1 {
        return vec![0.0; n];
    }
    let slope = |w: &[f32]| -> f32 {
        // Least-squares slope over 9 points at positions −4..4: Σ k·x / Σ k² (= 60).
        let s: f64 = w
            .iter()
            .enumerate()
            .map(|(i, &v)| (i as f64 - HALF as f64) * f64::from(v))
            .sum();
        (s / 60.0) as f32
    };
    let first = slope(&row[..2 * HALF + 1]);
    let last = slope(&row[n - 2 * HALF - 1..]);
    (0..n)
        .map(|t| {
            if t < HALF {
                first
            } else if t + HALF >= n {
                last
            } else {
                slope(&row[t - HALF..=t + HALF])
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn rms_and_zcr_equal_the_materialised_frames() {
        use super::*;
        let y: Vec<f32> = (0..5000)
            .map(|i| (i as f32 * 0.37).sin() * 0.5 + (i % 7) as f32 * 1e-3 - 3e-3)
            .collect();
        for (frame, hop) in [(2048, 512), (400, 160), (16, 3)] {
            for len in [0, 5, 1000, 5000] {
                let y = &y[..len];
                let r: Vec<f32> = centred_frames(y, frame, hop, false)
                    .iter()
                    .map(|f| {
                        let p: f64 =
                            f.iter().map(|&v| f64::from(v * v)).sum::<f64>() / frame as f64;
                        (p as f32).sqrt()
                    })
                    .collect();
                assert_eq!(rms(y, frame, hop), r, "rms {frame}/{hop}/{len}");
                let clip = |v: f32| if v.abs() <= 1e-10 { 0.0 } else { v };
                let z: Vec<f32> = centred_frames(y, frame, hop, true)
                    .iter()
                    .map(|f| {
                        let c = f
                            .windows(2)
                            .filter(|w| {
                                clip(w[0]).is_sign_negative() != clip(w[1]).is_sign_negative()
                            })
                            .count();
                        (c as f64 / frame as f64) as f32
                    })
                    .collect();
                assert_eq!(
                    zero_crossing_rate(y, frame, hop),
                    z,
                    "zcr {frame}/{hop}/{len}"
                );
            }
        }
    }

    use super::*;

    #[test]
    fn delta_of_a_ramp_is_its_slope_everywhere() {
        let ramp: Vec<f32> = (0..20).map(|i| 3.0 * i as f32).collect();
        assert!(delta(&ramp).iter().all(|&d| (d - 3.0).abs() < 1e-5));
    }

    #[test]
    fn zcr_of_an_alternating_signal() {
        let y: Vec<f32> = (0..4096)
            .map(|i| if i % 2 == 0 { 0.5 } else { -0.5 })
            .collect();
        let z = zero_crossing_rate(&y, 2048, 512);
        // Frames fully inside the signal cross at every one of their 2047 sample pairs.
        assert!((z[4] - 2047.0 / 2048.0).abs() < 1e-6);
    }
}
