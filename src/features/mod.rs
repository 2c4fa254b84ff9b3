//! Features of a clip: librosa-compatible spectral analysis and the named summary vectors the
//! classifiers use.
//!
//! Presets (see [`Preset`]): `classic` is the seed notebooks' 180-dim vector (means of 40 MFCC,
//! 12 chroma, 128 mel); `classic+contrast` adds the 7 spectral-contrast means (187).

pub mod analysis;
pub mod extract;
pub mod frames;
pub mod mel;
pub mod pitch;
pub mod spectral;
pub mod stft;

use serde::{Deserialize, Serialize};

use crate::audio::Audio;
use mel::mel_filterbank;
use spectral::{chroma_stft, dct_ortho, estimate_tuning, power_to_db, spectral_contrast};
use stft::{Stft, StftParams};

/// A named set of features.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
pub enum Preset {
    /// 180 dims: means of 40 MFCC, 12 chroma (magnitude STFT, tuning estimated), 128 mel
    /// (power), at the file's native rate — the classic RAVDESS notebook vector.
    #[value(name = "classic")]
    #[serde(rename = "classic")]
    Classic,
    /// 187 dims: `classic` plus the means of the 7 spectral-contrast rows.
    #[value(name = "classic+contrast")]
    #[serde(rename = "classic+contrast")]
    ClassicContrast,
}

impl std::fmt::Display for Preset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Preset::Classic => "classic",
            Preset::ClassicContrast => "classic+contrast",
        })
    }
}

/// How chroma handles tuning.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Tuning {
    /// Estimate per clip, as `chroma_stft(tuning=None)` (librosa's default).
    Estimate,
    /// A fixed deviation in fractions of a bin (0.0 = A440).
    Fixed(f64),
}

/// Everything that determines a feature vector. Hashed into the cache key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FeatureConfig {
    pub preset: Preset,
    /// FFT size. Default 2048.
    pub n_fft: usize,
    /// Hop length. Default 512.
    pub hop: usize,
    /// Mel bands. Default 128.
    pub n_mels: usize,
    /// MFCC coefficients. Default 40.
    pub n_mfcc: usize,
    /// Chroma tuning. Default: estimated per clip.
    pub tuning: Tuning,
    /// Resample to this rate first; `None` (default) analyses at the native rate.
    pub sample_rate: Option<u32>,
}

impl Default for FeatureConfig {
    fn default() -> Self {
        FeatureConfig::preset(Preset::Classic)
    }
}

impl FeatureConfig {
    /// The configuration of a preset.
    pub fn preset(preset: Preset) -> Self {
        FeatureConfig {
            preset,
            n_fft: 2048,
            hop: 512,
            n_mels: 128,
            n_mfcc: 40,
            tuning: Tuning::Estimate,
            sample_rate: None,
        }
    }

    /// Feature names in vector order, e.g. `mfcc_mean_00`, `chroma_mean_11`, `mel_mean_127`.
    pub fn names(&self) -> Vec<String> {
        let mut n: Vec<String> = Vec::new();
        n.extend((0..self.n_mfcc).map(|i| format!("mfcc_mean_{i:02}")));
        n.extend((0..12).map(|i| format!("chroma_mean_{i:02}")));
        n.extend((0..self.n_mels).map(|i| format!("mel_mean_{i:03}")));
        if self.preset == Preset::ClassicContrast {
            n.extend((0..7).map(|i| format!("contrast_mean_{i}")));
        }
        n
    }

    /// A stable 64-bit hash of the configuration (FNV-1a over its JSON form).
    pub fn hash(&self) -> u64 {
        let json = serde_json::to_string(self).unwrap_or_default();
        json.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        })
    }
}

/// A per-thread cache of mel filterbanks keyed by (sr, n_fft, n_mels).
type MelBanks = Vec<((u64, usize, usize), std::rc::Rc<mel::MelFilterbank>)>;

thread_local! {
    static MEL_BANKS: std::cell::RefCell<MelBanks> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The mel filterbank for (sr, n_fft, n_mels), built once per thread.
fn mel_filterbank_cached(sr: f64, n_fft: usize, n_mels: usize) -> std::rc::Rc<mel::MelFilterbank> {
    let key = (sr.to_bits(), n_fft, n_mels);
    MEL_BANKS.with(|banks| {
        let mut banks = banks.borrow_mut();
        if let Some((_, fb)) = banks.iter().find(|(k, _)| *k == key) {
            return fb.clone();
        }
        let fb = std::rc::Rc::new(mel_filterbank(sr, n_fft, n_mels, 0.0, sr / 2.0));
        banks.push((key, fb.clone()));
        fb
    })
}

/// Computes the summary vector of a clip (values in [`FeatureConfig::names`] order).
pub fn summarise(audio: &Audio, cfg: &FeatureConfig) -> Vec<f32> {
    let sr = f64::from(audio.sample_rate);
    let params = StftParams {
        n_fft: cfg.n_fft,
        hop: cfg.hop,
    };
    let stft = Stft::new(params);
    let mag = stft.magnitude(&audio.samples);
    let power = mag.squared();
    let frames = mag.n_frames as f64;

    // Mel power spectrogram and its frame means.
    let fb = mel_filterbank_cached(sr, cfg.n_fft, cfg.n_mels);
    let mut mel = vec![0f32; cfg.n_mels * power.n_frames];
    for t in 0..power.n_frames {
        fb.apply(
            power.frame(t),
            &mut mel[t * cfg.n_mels..(t + 1) * cfg.n_mels],
        );
    }
    let mut mel_mean = vec![0f64; cfg.n_mels];
    for row in mel.chunks_exact(cfg.n_mels) {
        for (m, &v) in mel_mean.iter_mut().zip(row) {
            *m += f64::from(v);
        }
    }

    // MFCC = DCT of the dB mel spectrogram. The DCT is linear, so the frame mean of the MFCC
    // is the DCT of the frame mean of the dB mel spectrogram: one transform per clip.
    let db = power_to_db(&mel, 1e-10, Some(80.0));
    let mut db_mean = vec![0f64; cfg.n_mels];
    for row in db.chunks_exact(cfg.n_mels) {
        for (m, &v) in db_mean.iter_mut().zip(row) {
            *m += f64::from(v);
        }
    }
    let dct = dct_ortho(cfg.n_mfcc, cfg.n_mels);
    let mfcc_mean: Vec<f64> = dct
        .iter()
        .map(|d| d.iter().zip(&db_mean).map(|(a, b)| a * b).sum())
        .collect();

    // Chroma from the magnitude spectrogram.
    let tuning = match cfg.tuning {
        Tuning::Estimate => estimate_tuning(&mag, sr, cfg.n_fft),
        Tuning::Fixed(t) => t,
    };
    let chroma = chroma_stft(&mag, sr, cfg.n_fft, tuning);
    let mut chroma_mean = [0f64; 12];
    for c in &chroma {
        for (m, &v) in chroma_mean.iter_mut().zip(c) {
            *m += f64::from(v);
        }
    }

    let mut out: Vec<f32> = Vec::with_capacity(cfg.n_mfcc + 12 + cfg.n_mels + 7);
    out.extend(mfcc_mean.iter().map(|v| (v / frames) as f32));
    out.extend(chroma_mean.iter().map(|v| (v / frames) as f32));
    out.extend(mel_mean.iter().map(|v| (v / frames) as f32));
    if cfg.preset == Preset::ClassicContrast {
        let contrast = spectral_contrast(&mag, sr, cfg.n_fft, 200.0, 6, 0.02);
        for k in 0..7 {
            let s: f64 = contrast.iter().map(|r| r[k]).sum();
            out.push((s / frames) as f32);
        }
    }
    out
}
