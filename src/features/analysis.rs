//! Every frame-level matrix of one clip: what the inspector draws and the functionals
//! summarise. All frames share the STFT framing (hop 512, centred), so row `t` of every
//! matrix is the same instant, `t · hop / sr` seconds.

use super::frames::{
    SpectralShape, delta, onset_strength, rms, spectral_shape, zero_crossing_rate,
};
use super::mel::mel_filterbank;
use super::pitch::{PitchParams, Pyin, yin_and_pyin};
use super::spectral::{chroma_stft, dct_ortho, estimate_tuning, power_to_db, spectral_contrast};
use super::stft::{Spectrogram, StftParams};
use super::{FeatureConfig, Tuning};
use crate::audio::Audio;

/// Frame-level analysis of a clip. Matrices are frame-major: `m[t * width + k]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    pub sample_rate: u32,
    pub hop: usize,
    pub n_frames: usize,
    /// Magnitude spectrogram `|STFT|`.
    pub magnitude: Spectrogram,
    pub n_mels: usize,
    /// Mel power spectrogram in dB (ref 1, amin 1e-10, top_db 80).
    pub mel_db: Vec<f32>,
    pub n_mfcc: usize,
    pub mfcc: Vec<f32>,
    /// First-order deltas of `mfcc` (width 9).
    pub mfcc_delta: Vec<f32>,
    /// The tuning chroma used (estimated or fixed), fractions of a semitone.
    pub tuning: f64,
    pub chroma: Vec<[f32; 12]>,
    /// Spectral contrast, 7 rows per frame, dB.
    pub contrast: Vec<Vec<f64>>,
    pub zcr: Vec<f32>,
    pub rms: Vec<f32>,
    pub shape: SpectralShape,
    /// Onset strength (spectral flux of the dB mel spectrogram).
    pub flux: Vec<f32>,
    /// YIN F0, Hz, every frame.
    pub yin: Vec<f64>,
    /// pYIN F0 with voicing.
    pub pyin: Pyin,
}

impl Analysis {
    /// Time of frame `t` in seconds.
    pub fn time(&self, t: usize) -> f64 {
        (t * self.hop) as f64 / f64::from(self.sample_rate)
    }
}

/// Analyses a clip with the framing and sizes of `cfg`.
pub fn analyse(audio: &Audio, cfg: &FeatureConfig) -> Analysis {
    analyse_with(audio, cfg, true)
}

/// [`analyse`] without the pitch track (`yin` and `pyin` left empty): what the `full`
/// preset's spectral functionals read, at a fraction of the cost (pYIN is most of it).
pub fn analyse_spectral(audio: &Audio, cfg: &FeatureConfig) -> Analysis {
    analyse_with(audio, cfg, false)
}

fn analyse_with(audio: &Audio, cfg: &FeatureConfig, with_pitch: bool) -> Analysis {
    let sr = f64::from(audio.sample_rate);
    let y = &audio.samples;
    let params = StftParams {
        n_fft: cfg.n_fft,
        hop: cfg.hop,
    };
    let mag = super::stft_cached(params, |stft| stft.magnitude(y));
    let power = mag.squared();
    let n_frames = mag.n_frames;

    let fb = mel_filterbank(sr, cfg.n_fft, cfg.n_mels, 0.0, sr / 2.0);
    let mut mel = vec![0f32; cfg.n_mels * n_frames];
    for t in 0..n_frames {
        fb.apply(
            power.frame(t),
            &mut mel[t * cfg.n_mels..(t + 1) * cfg.n_mels],
        );
    }
    let mel_db = power_to_db(&mel, 1e-10, Some(80.0));

    let dct = dct_ortho(cfg.n_mfcc, cfg.n_mels);
    let mut mfcc = Vec::with_capacity(cfg.n_mfcc * n_frames);
    for row in mel_db.chunks_exact(cfg.n_mels) {
        for d in &dct {
            let c: f64 = d.iter().zip(row).map(|(&a, &b)| a * f64::from(b)).sum();
            mfcc.push(c as f32);
        }
    }
    let mut mfcc_delta = vec![0f32; mfcc.len()];
    for k in 0..cfg.n_mfcc {
        let row: Vec<f32> = (0..n_frames).map(|t| mfcc[t * cfg.n_mfcc + k]).collect();
        for (t, d) in delta(&row).into_iter().enumerate() {
            mfcc_delta[t * cfg.n_mfcc + k] = d;
        }
    }

    let tuning = match cfg.tuning {
        Tuning::Estimate => estimate_tuning(&mag, sr, cfg.n_fft),
        Tuning::Fixed(t) => t,
    };
    let chroma = chroma_stft(&mag, sr, cfg.n_fft, tuning);
    let contrast = spectral_contrast(&mag, sr, cfg.n_fft, 200.0, 6, 0.02);
    let shape = spectral_shape(&mag, sr, cfg.n_fft);
    let flux = onset_strength(&mel_db, cfg.n_mels, cfg.n_fft, cfg.hop);
    let pitch = PitchParams {
        frame: cfg.n_fft,
        hop: cfg.hop,
        ..PitchParams::default()
    };
    let (yin, pyin) = if with_pitch {
        yin_and_pyin(y, sr, &pitch)
    } else {
        (Vec::new(), Pyin::default())
    };
    Analysis {
        sample_rate: audio.sample_rate,
        hop: cfg.hop,
        n_frames,
        n_mels: cfg.n_mels,
        mel_db,
        n_mfcc: cfg.n_mfcc,
        mfcc,
        mfcc_delta,
        tuning,
        chroma,
        contrast,
        zcr: zero_crossing_rate(y, cfg.n_fft, cfg.hop),
        rms: rms(y, cfg.n_fft, cfg.hop),
        shape,
        flux,
        yin,
        pyin,
        magnitude: mag,
    }
}
