//! What the inspector shows of one clip: every frame-level matrix a character plot needs,
//! reduced to what is drawn (dB spectrogram below 5 kHz, a 512-slice min/max envelope), and
//! the clip's `classic+contrast` feature vector. Both shells' clip analysis.

use crate::audio::Audio;
use crate::corpus::ClipId;

use super::analysis::analyse;
use super::{FeatureConfig, Preset, summarise};

/// Slices of the waveform envelope.
pub const ENVELOPE_SLICES: usize = 512;

/// Highest frequency the spectrogram keeps: speech's harmonics and formants live below it.
pub const SPECTROGRAM_MAX_HZ: f64 = 5000.0;

/// Everything the inspector draws of one clip.
#[derive(Debug, Clone, PartialEq)]
pub struct ClipAnalysis {
    /// The RAVDESS fields, for corpus clips and files named like them.
    pub id: Option<ClipId>,
    pub sample_rate: u32,
    pub duration: f64,
    /// Min and max of the waveform in [`ENVELOPE_SLICES`] equal slices.
    pub envelope: Vec<(f32, f32)>,
    pub n_frames: usize,
    /// Magnitude in dB, frame-major, bins up to `spec_max_hz`.
    pub spec_db: Vec<f32>,
    pub spec_bins: usize,
    pub spec_max_hz: f64,
    pub mel_db: Vec<f32>,
    pub n_mels: usize,
    pub mfcc: Vec<f32>,
    pub n_mfcc: usize,
    pub chroma: Vec<f32>,
    /// pYIN's F0 per frame (None = unvoiced).
    pub f0: Vec<Option<f64>>,
    /// (name, value) of the `classic+contrast` summary.
    pub features: Vec<(String, f32)>,
}

/// Min and max of `samples` in `slices` equal slices (a slice has at least one sample).
pub fn envelope(samples: &[f32], slices: usize) -> Vec<(f32, f32)> {
    let n = samples.len();
    if n == 0 {
        return vec![(0.0, 0.0); slices];
    }
    (0..slices)
        .map(|s| {
            let lo = (s * n / slices).min(n - 1);
            let hi = ((s + 1) * n / slices).max(lo + 1).min(n);
            samples[lo..hi]
                .iter()
                .fold((0f32, 0f32), |(a, b), &v| (a.min(v), b.max(v)))
        })
        .collect()
}

/// Analyses a clip for the inspector (librosa-compatible `classic+contrast` settings).
pub fn clip_analysis(audio: &Audio, id: Option<ClipId>) -> ClipAnalysis {
    let cfg = FeatureConfig::preset(Preset::ClassicContrast);
    let a = analyse(audio, &cfg);
    let sr = f64::from(audio.sample_rate);
    let max_hz = (sr / 2.0).min(SPECTROGRAM_MAX_HZ);
    let bins = ((max_hz / (sr / 2.0)) * (a.magnitude.n_bins - 1) as f64) as usize + 1;
    let mut spec_db = Vec::with_capacity(a.n_frames * bins);
    for t in 0..a.n_frames {
        spec_db.extend(
            a.magnitude.frame(t)[..bins]
                .iter()
                .map(|&m| 20.0 * m.max(1e-10).log10()),
        );
    }
    let values = summarise(audio, &cfg);
    ClipAnalysis {
        id,
        sample_rate: audio.sample_rate,
        duration: audio.duration(),
        envelope: envelope(&audio.samples, ENVELOPE_SLICES),
        n_frames: a.n_frames,
        spec_db,
        spec_bins: bins,
        spec_max_hz: max_hz,
        mel_db: a.mel_db.clone(),
        n_mels: a.n_mels,
        mfcc: a.mfcc.clone(),
        n_mfcc: a.n_mfcc,
        chroma: a.chroma.iter().flatten().copied().collect(),
        f0: a.pyin.f0.clone(),
        features: cfg.names().into_iter().zip(values).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_covers_every_sample_once_and_survives_short_input() {
        let x: Vec<f32> = (0..1000).map(|i| (i as f32 / 999.0) * 2.0 - 1.0).collect();
        let e = envelope(&x, 10);
        assert_eq!(e.len(), 10);
        assert_eq!(e[0].0, -1.0);
        assert_eq!(e[9].1, 1.0);
        assert_eq!(envelope(&[0.5], 4), vec![(0.0, 0.5); 4]);
        assert_eq!(envelope(&[], 3), vec![(0.0, 0.0); 3]);
    }
}
