//! Features of a clip: librosa-compatible spectral analysis and the named summary vectors the
//! classifiers use.
//!
//! Presets (see [`Preset`]): `classic` is the seed notebooks' 180-dim vector (means of 40 MFCC,
//! 12 chroma, 128 mel); `classic+contrast` adds the 7 spectral-contrast means (187); `prosody`
//! and `full` add eGeMAPS-like prosody and voice quality; `large` is a ComParE-2016-sized set of
//! functionals over 69 descriptors and their deltas ([`functionals`], [`lld`]).

pub mod analysis;
pub mod extract;
pub mod frames;
pub mod functionals;
pub mod inspect;
pub mod lld;
pub mod mel;
pub mod pitch;
pub mod real_fft;
pub mod simd;
pub mod spectral;
pub mod stats;
pub mod stft;
pub mod summary;
pub mod voice;
pub mod voicing;

use serde::{Deserialize, Serialize};

use crate::audio::Audio;
use mel::mel_filterbank;
use spectral::{chroma_stft, power_to_db, spectral_contrast};
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
    /// eGeMAPS-like prosody and voice quality (42 dims): F0 in semitones from 27.5 Hz and
    /// loudness contours (mean, std, p20/p50/p80, range, rising/falling slope), jitter,
    /// shimmer, HNR, spectral slopes, alpha ratio, Hammarberg index, MFCC 1–4 on voiced
    /// frames, and the temporal set (voiced/unvoiced segment lengths and rate, loudness peaks).
    #[value(name = "prosody")]
    #[serde(rename = "prosody")]
    Prosody,
    /// Everything: `classic+contrast` means, standard deviations of MFCC, chroma and contrast,
    /// MFCC delta means and standard deviations, the frame-level spectral descriptors (mean
    /// and std), and `prosody`.
    #[value(name = "full")]
    #[serde(rename = "full")]
    Full,
    /// ComParE-2016-sized (6624 dims): 48 functionals (moments, quartiles, percentiles 1/99,
    /// linear and quadratic regression, peaks, level times, rise/fall and curvature times,
    /// slopes, segment lengths) of 69 descriptors every 10 ms at 16 kHz (loudness, RMS, ZCR,
    /// 26 auditory bands, MFCC 1–14, band energies, roll-offs, flux, centroid, entropy,
    /// moments, slope, sharpness, harmonicity, eGeMAPS balance, F0, voicing, HNR, jitter,
    /// shimmer) and of their deltas.
    #[value(name = "large")]
    #[serde(rename = "large")]
    Large,
}

impl std::fmt::Display for Preset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Preset::Classic => "classic",
            Preset::ClassicContrast => "classic+contrast",
            Preset::Prosody => "prosody",
            Preset::Full => "full",
            Preset::Large => "large",
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

    /// Feature names in vector order, e.g. `mfcc_mean_00`, `chroma_mean_11`, `mel_mean_127`,
    /// `f0_semitone_p50`.
    pub fn names(&self) -> Vec<String> {
        match self.preset {
            Preset::Classic | Preset::ClassicContrast => self.classic_names(),
            Preset::Large => functionals::large_names(),
            // The functionals name themselves: run them once on a short silence.
            Preset::Prosody | Preset::Full => {
                let silence = Audio {
                    samples: vec![0.0; 4 * self.n_fft],
                    sample_rate: self.sample_rate.unwrap_or(16000),
                    source_rate: self.sample_rate.unwrap_or(16000),
                    source_channels: 1,
                    encoding: crate::audio::SampleEncoding::Synthetic,
                };
                prosody_functionals(&silence, self).names
            }
        }
    }

    fn classic_names(&self) -> Vec<String> {
        let mut n: Vec<String> = Vec::new();
        n.extend((0..self.n_mfcc).map(|i| format!("mfcc_mean_{i:02}")));
        n.extend((0..12).map(|i| format!("chroma_mean_{i:02}")));
        n.extend((0..self.n_mels).map(|i| format!("mel_mean_{i:03}")));
        if self.preset != Preset::Classic {
            n.extend((0..7).map(|i| format!("contrast_mean_{i}")));
        }
        n
    }

    /// Checks a configuration read from a file (a saved model, a profile) against what the
    /// extraction can run: FFT 16–65 536 points, hop 1..=FFT, 1–512 mel bands, 1..=bands MFCC,
    /// a rate of 1–384 kHz, a finite tuning within half a bin. Names the field that is off.
    pub fn validate(&self) -> Result<(), String> {
        if !(16..=65_536).contains(&self.n_fft) {
            return Err(format!("features.n_fft: {} (16 to 65536)", self.n_fft));
        }
        if self.hop == 0 || self.hop > self.n_fft {
            return Err(format!("features.hop: {} (1 to n_fft)", self.hop));
        }
        if !(1..=512).contains(&self.n_mels) {
            return Err(format!("features.n_mels: {} (1 to 512)", self.n_mels));
        }
        if self.n_mfcc == 0 || self.n_mfcc > self.n_mels {
            return Err(format!("features.n_mfcc: {} (1 to n_mels)", self.n_mfcc));
        }
        if let Some(r) = self.sample_rate
            && !(1_000..=384_000).contains(&r)
        {
            return Err(format!("features.sample_rate: {r} (1000 to 384000 Hz)"));
        }
        if let Tuning::Fixed(t) = self.tuning
            && !(t.is_finite() && t.abs() <= 0.5)
        {
            return Err(format!("features.tuning: {t} (within ±0.5 of a bin)"));
        }
        Ok(())
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

thread_local! {
    static STFTS: std::cell::RefCell<Vec<Stft>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Runs `f` with this thread's STFT for `params` (the FFT plan and window are made once).
fn stft_cached<R>(params: StftParams, f: impl FnOnce(&mut Stft) -> R) -> R {
    STFTS.with(|cell| {
        let mut stfts = cell.borrow_mut();
        let i = match stfts.iter().position(|s| s.params() == params) {
            Some(i) => i,
            None => {
                stfts.push(Stft::new(params));
                stfts.len() - 1
            }
        };
        f(&mut stfts[i])
    })
}

/// Computes the summary vector of a clip (values in [`FeatureConfig::names`] order).
pub fn summarise(audio: &Audio, cfg: &FeatureConfig) -> Vec<f32> {
    match cfg.preset {
        Preset::Classic | Preset::ClassicContrast => classic_means(audio, cfg),
        Preset::Prosody | Preset::Full => prosody_functionals(audio, cfg).values,
        Preset::Large => functionals::large_vector(&lld::descriptors(audio)),
    }
}

/// The prosody or full vector with its names: the full preset's spectral part from the
/// frame-level analysis (without its pitch track), the prosody part from the 10 ms
/// descriptors ([`lld`], F0 by [`voicing`]).
pub fn prosody_functionals(audio: &Audio, cfg: &FeatureConfig) -> summary::Named {
    let mut out = summary::Named::default();
    if cfg.preset == Preset::Full {
        let a = analysis::analyse_spectral(audio, cfg);
        // The classic means by the fast path; contrast's means from the analysis (the same
        // computation, done once).
        let classic = FeatureConfig {
            preset: Preset::Classic,
            ..cfg.clone()
        };
        out.names = classic.classic_names();
        out.values = classic_means(audio, &classic);
        for k in 0..7 {
            let s: f64 = a.contrast.iter().map(|r| r[k]).sum();
            out.push(
                format!("contrast_mean_{k}"),
                s / a.contrast.len().max(1) as f64,
            );
        }
        full_extras(&a, &mut out);
    }
    prosody(&lld::descriptors(audio), &mut out);
    out
}

fn column(m: &[f32], width: usize, k: usize) -> Vec<f64> {
    m.chunks_exact(width).map(|r| f64::from(r[k])).collect()
}

fn full_extras(a: &analysis::Analysis, out: &mut summary::Named) {
    for k in 0..a.n_mfcc {
        out.push(
            format!("mfcc_std_{k:02}"),
            summary::std(&column(&a.mfcc, a.n_mfcc, k)),
        );
    }
    for k in 0..12 {
        let c: Vec<f64> = a.chroma.iter().map(|r| f64::from(r[k])).collect();
        out.push(format!("chroma_std_{k:02}"), summary::std(&c));
    }
    for k in 0..7 {
        let c: Vec<f64> = a.contrast.iter().map(|r| r[k]).collect();
        out.push(format!("contrast_std_{k}"), summary::std(&c));
    }
    for k in 0..a.n_mfcc {
        summary::mean_std(
            out,
            &format!("mfcc_delta_{k:02}"),
            &column(&a.mfcc_delta, a.n_mfcc, k),
        );
    }
    let f = |x: &[f32]| x.iter().map(|&v| f64::from(v)).collect::<Vec<f64>>();
    for (name, series) in [
        ("rms", f(&a.rms)),
        ("zcr", f(&a.zcr)),
        ("centroid", f(&a.shape.centroid)),
        ("bandwidth", f(&a.shape.bandwidth)),
        ("rolloff", f(&a.shape.rolloff)),
        ("flatness", f(&a.shape.flatness)),
        ("flux", f(&a.flux)),
    ] {
        summary::mean_std(out, name, &series);
    }
}

/// The eGeMAPS-like prosody and voice-quality functionals (see [`Preset::Prosody`]).
fn prosody(d: &lld::Descriptors, out: &mut summary::Named) {
    let sr = f64::from(lld::RATE);
    let frame_s = d.frame_seconds();
    let voiced = d.voiced();
    // F0 in semitones above 27.5 Hz (eGeMAPS), voiced frames only.
    let st: Vec<Option<f64>> = d
        .voicing
        .f0
        .iter()
        .map(|f| f.map(|hz| 12.0 * (hz / 27.5).log2()))
        .collect();
    summary::contour(out, "f0_semitone", &st, frame_s);
    let loud = d.column(lld::LOUDNESS);
    let loud_opt: Vec<Option<f64>> = loud.iter().map(|&v| Some(v)).collect();
    summary::contour(out, "loudness", &loud_opt, frame_s);

    out.push(
        "jitter_local",
        voice::jitter_local(&d.periods).unwrap_or(0.0),
    );
    out.push(
        "shimmer_local_db",
        voice::shimmer_db(&d.periods).unwrap_or(0.0),
    );
    // HNR at 16 kHz around each voiced frame's centre, one period either side.
    let y = &d.signal;
    let hnr: Vec<f64> = d
        .voicing
        .f0
        .iter()
        .enumerate()
        .filter_map(|(t, f0)| {
            let lag = (sr / (*f0)?).round() as usize;
            let c = t * lld::HOP;
            let (lo, hi) = (c.checked_sub(lag + 2)?, c + lag + 3);
            voice::hnr_db(y.get(lo..hi)?, lag)
        })
        .collect();
    summary::mean_std(out, "hnr_db", &hnr);

    let on_voiced = |k: usize| -> Vec<f64> {
        d.column(k)
            .into_iter()
            .zip(&voiced)
            .filter(|(_, v)| **v)
            .map(|(x, _)| x)
            .collect()
    };
    summary::mean_std(out, "slope_0_500", &on_voiced(lld::SLOPE_0_500));
    summary::mean_std(out, "slope_500_1500", &on_voiced(lld::SLOPE_500_1500));
    summary::mean_std(out, "alpha_ratio", &on_voiced(lld::ALPHA_RATIO));
    summary::mean_std(out, "hammarberg", &on_voiced(lld::HAMMARBERG));
    for k in 1..=4 {
        summary::mean_std(
            out,
            &format!("mfcc_voiced_{k:02}"),
            &on_voiced(lld::MFCC1 + k - 1),
        );
    }

    let duration = d.signal.len() as f64 / sr;
    // Segments as openSMILE's temporal set sees them: voicing gaps of ≤ 20 ms closed.
    let (on, off) = voice::segment_lengths(&voice::close_gaps(&voiced, 2), frame_s);
    out.push(
        "voiced_segments_per_sec",
        on.len() as f64 / duration.max(1e-9),
    );
    summary::mean_std(out, "voiced_segment_length", &on);
    summary::mean_std(out, "unvoiced_segment_length", &off);
    out.push(
        "loudness_peaks_per_sec",
        voice::peak_count(&functionals::moving_average3(&loud)) as f64 / duration.max(1e-9),
    );
}

/// The frame means of the classic features, computed without the full analysis.
/// Sums of each of `width` columns over row-major rows, in f64 (row order, as numpy adds).
fn column_sums(values: &[f32], width: usize) -> Vec<f64> {
    let mut sums = vec![0f64; width];
    for row in values.chunks_exact(width) {
        for (m, &v) in sums.iter_mut().zip(row) {
            *m += f64::from(v);
        }
    }
    sums
}

fn classic_means(audio: &Audio, cfg: &FeatureConfig) -> Vec<f32> {
    let sr = f64::from(audio.sample_rate);
    let params = StftParams {
        n_fft: cfg.n_fft,
        hop: cfg.hop,
    };
    // Exact numpy magnitudes where the tuning estimate reads them; within 2 ulp elsewhere
    // (mel and chroma are sums, far from sensitive to the last bit).
    let exact = match cfg.tuning {
        Tuning::Estimate => spectral::tuning_bins(sr, cfg.n_fft),
        Tuning::Fixed(_) => 0,
    };
    // Mel power and the tuning estimate's peaks frame by frame as the STFT makes them (the
    // frame still in cache); chroma needs the tuning, so it reads the spectrogram after.
    let fb = mel_filterbank_cached(sr, cfg.n_fft, cfg.n_mels);
    let n_frames = params.n_frames(audio.samples.len());
    let mut mel = vec![0f32; cfg.n_mels * n_frames];
    let mut peaks = (cfg.tuning == Tuning::Estimate)
        .then(|| spectral::TuningPeaks::new(sr, cfg.n_fft, params.n_bins()));
    let mag = stft_cached(params, |stft| {
        stft.magnitude_with(&audio.samples, exact, |t, row| {
            if let Some(out) = mel.get_mut(t * cfg.n_mels..(t + 1) * cfg.n_mels) {
                fb.apply_to_power_of(row, out);
            }
            if let Some(peaks) = &mut peaks {
                peaks.add_frame(row);
            }
        })
    });
    let frames = mag.n_frames as f64;

    let mel_mean = column_sums(&mel, cfg.n_mels);

    // MFCC = DCT of the dB mel spectrogram. The DCT is linear, so the frame mean of the MFCC
    // is the DCT of the frame mean of the dB mel spectrogram: one transform per clip.
    let db = power_to_db(&mel, 1e-10, Some(80.0));
    let db_mean = column_sums(&db, cfg.n_mels);
    let dct = spectral::dct_ortho_cached(cfg.n_mfcc, cfg.n_mels);
    let mfcc_mean: Vec<f64> = dct
        .iter()
        .map(|d| d.iter().zip(&db_mean).map(|(a, b)| a * b).sum())
        .collect();

    // Chroma from the magnitude spectrogram.
    // `peaks` is there exactly when the tuning is estimated.
    let tuning = match cfg.tuning {
        Tuning::Fixed(t) => t,
        Tuning::Estimate => peaks.as_ref().map_or(0.0, spectral::TuningPeaks::estimate),
    };
    let chroma = chroma_stft(&mag, sr, cfg.n_fft, tuning);
    let chroma_mean = column_sums(chroma.as_flattened(), 12);

    let mut out: Vec<f32> = Vec::with_capacity(cfg.n_mfcc + 12 + cfg.n_mels + 7);
    out.extend(mfcc_mean.iter().map(|v| (v / frames) as f32));
    out.extend(chroma_mean.iter().map(|v| (v / frames) as f32));
    out.extend(mel_mean.iter().map(|v| (v / frames) as f32));
    if cfg.preset != Preset::Classic {
        let contrast = spectral_contrast(&mag, sr, cfg.n_fft, 200.0, 6, 0.02);
        for k in 0..7 {
            let s: f64 = contrast.iter().map(|r| r[k]).sum();
            out.push((s / frames) as f32);
        }
    }
    stft::recycle(mag);
    out
}
