//! Low-level descriptors (LLDs) every 10 ms, in the manner of openSMILE's ComParE-2016 set:
//! what the `large` preset's functionals and the `prosody` preset summarise.
//!
//! The clip is resampled to 16 kHz ([`RATE`]); frames of 25 ms ([`FRAME`]) every 10 ms
//! ([`HOP`]), centred (frame `t` at `t · 10 ms`, zero padded), Hamming window, 512-point FFT.
//! Per frame ([`lld_names`] gives the order):
//! - energy: loudness (`Σ_b B_b^0.3` over the 26 auditory bands, Stevens' power law as
//!   openSMILE's auditory-spectrum loudness), RMS, zero-crossing rate, log energy (dB);
//! - spectral: 26 auditory band energies in dB (HTK mel triangles 20–8000 Hz, on the power
//!   spectrum; openSMILE filters them with RASTA, we do not — speaker normalisation removes
//!   the slow channel component RASTA targets), MFCC 1–14 (DCT-II of the dB bands), band
//!   energies 250–650 Hz and 1–4 kHz (dB), roll-off 25/50/75/90 % (Hz), flux (of the
//!   sum-normalised magnitude spectrum), centroid (Hz), entropy (normalised to [0, 1]),
//!   variance (kHz²), skewness, kurtosis, slope (of the dB bands over their centres, dB/kHz),
//!   sharpness (Zwicker weights on the bands, acum-like), harmonicity (dB of spectral peaks
//!   over valleys below 4 kHz), and eGeMAPS's spectral balance on the power spectrum: alpha
//!   ratio (dB of the energy 1–5 kHz over 50–1000 Hz, openSMILE's sign), Hammarberg index (dB
//!   of the strongest bin 0–2 kHz over the strongest 2–5 kHz), slopes of the dB spectrum over
//!   0–500 and 500–1500 Hz (dB/Hz, least squares);
//! - voicing: F0 in semitones above 27.5 Hz ([`super::voicing`]: YIN at 8 kHz instead of
//!   openSMILE's subharmonic summation), voicing probability, HNR (dB), jitter local and DDP,
//!   shimmer local (per frame over the glottal cycles within ±30 ms, from
//!   [`super::voice::glottal_periods`] at 16 kHz). F0, jitter and shimmer exist on voiced
//!   frames only ([`VOICED_ONLY`]).

use std::sync::Arc;

use realfft::{RealFftPlanner, RealToComplex};

use super::voice::{self, Periods};
use super::voicing::{Voicing, VoicingParams, voicing_track};
use crate::audio::{Audio, resample};

/// Analysis rate of the descriptors, Hz.
pub const RATE: u32 = 16_000;
/// Frame length, samples (25 ms).
pub const FRAME: usize = 400;
/// Hop, samples (10 ms).
pub const HOP: usize = 160;
/// FFT size.
pub const N_FFT: usize = 512;
/// Auditory bands.
pub const N_BANDS: usize = 26;
/// MFCC 1–14 (c0 left out, as ComParE).
pub const N_MFCC: usize = 14;
/// Descriptors per frame.
pub const N_LLD: usize = 4 + N_BANDS + N_MFCC + 2 + 4 + 9 + 4 + 6;

/// Column of the first band energy; the others follow.
pub const BAND0: usize = 4;
/// Column of MFCC 1.
pub const MFCC1: usize = BAND0 + N_BANDS;
/// Columns of named single descriptors.
pub const LOUDNESS: usize = 0;
pub const ALPHA_RATIO: usize = MFCC1 + N_MFCC + 2 + 4 + 9;
pub const HAMMARBERG: usize = ALPHA_RATIO + 1;
pub const SLOPE_0_500: usize = ALPHA_RATIO + 2;
pub const SLOPE_500_1500: usize = ALPHA_RATIO + 3;
pub const F0_SEMITONE: usize = ALPHA_RATIO + 4;
pub const HNR: usize = F0_SEMITONE + 2;
/// Descriptors that exist on voiced frames only: F0, jitter local, jitter DDP, shimmer.
pub const VOICED_ONLY: [usize; 4] = [
    F0_SEMITONE,
    F0_SEMITONE + 3,
    F0_SEMITONE + 4,
    F0_SEMITONE + 5,
];

/// Names of the descriptors in column order.
pub fn lld_names() -> Vec<String> {
    let mut n: Vec<String> = ["loudness", "rms", "zcr", "log_energy"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    n.extend((0..N_BANDS).map(|b| format!("audspec_band_{b:02}")));
    n.extend((1..=N_MFCC).map(|k| format!("mfcc_{k:02}")));
    n.extend(
        [
            "energy_250_650",
            "energy_1k_4k",
            "rolloff_25",
            "rolloff_50",
            "rolloff_75",
            "rolloff_90",
            "flux",
            "centroid",
            "entropy",
            "variance",
            "skewness",
            "kurtosis",
            "slope",
            "sharpness",
            "harmonicity",
            "alpha_ratio",
            "hammarberg",
            "slope_0_500",
            "slope_500_1500",
            "f0_semitone",
            "voicing_prob",
            "hnr",
            "jitter_local",
            "jitter_ddp",
            "shimmer_local",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    n
}

/// The descriptors of one clip.
#[derive(Debug, Clone, PartialEq)]
pub struct Descriptors {
    pub n_frames: usize,
    /// Frame-major, [`N_LLD`] wide; voiced-only columns hold 0 on unvoiced frames.
    pub values: Vec<f32>,
    /// The 16 kHz signal.
    pub signal: Vec<f32>,
    pub voicing: Voicing,
    /// Glottal cycles at 16 kHz.
    pub periods: Periods,
}

impl Descriptors {
    /// Column `k` over all frames.
    pub fn column(&self, k: usize) -> Vec<f64> {
        self.values
            .chunks_exact(N_LLD)
            .map(|r| f64::from(r[k]))
            .collect()
    }

    /// Whether each frame is voiced.
    pub fn voiced(&self) -> Vec<bool> {
        self.voicing.voiced()
    }

    /// Seconds between frames.
    pub fn frame_seconds(&self) -> f64 {
        HOP as f64 / f64::from(RATE)
    }
}

/// Computes the descriptors of a clip (any rate; resampled to 16 kHz).
pub fn descriptors(audio: &Audio) -> Descriptors {
    let y16 = to_rate(&audio.samples, audio.sample_rate, RATE);
    let n_frames = 1 + y16.len() / HOP;
    let y8 = to_rate(&y16, RATE, 8000);
    let voicing = voicing_track(&y8, n_frames, &VoicingParams::default());
    let periods = voice::glottal_periods(&y16, f64::from(RATE), HOP, &voicing.f0);
    let mut values = vec![0f32; n_frames * N_LLD];
    spectral_columns(&y16, n_frames, &mut values);
    voicing_columns(&voicing, &periods, &mut values);
    Descriptors {
        n_frames,
        values,
        signal: y16,
        voicing,
        periods,
    }
}

fn to_rate(y: &[f32], from: u32, to: u32) -> Vec<f32> {
    if from == to || y.is_empty() {
        return y.to_vec();
    }
    // rubato refuses only impossible ratios; a clip we cannot convert is analysed as silence.
    resample(y, from, to).unwrap_or_else(|_| {
        vec![0.0; (y.len() as u64 * u64::from(to) / u64::from(from.max(1))) as usize]
    })
}

/// Natural log for positive finite `x` (clamped to 1e-30), to ~1e-6: exponent from the bits,
/// mantissa by the atanh series. Vectorises; `f32::ln` does not.
#[inline]
fn fast_ln(x: f32) -> f32 {
    let x = x.max(1e-30);
    let bits = x.to_bits();
    let e = ((bits >> 23) & 0xff) as i32 - 127;
    let m = f32::from_bits((bits & 0x007f_ffff) | 0x3f80_0000);
    let t = (m - 1.0) / (m + 1.0);
    let t2 = t * t;
    let s = t * (2.0 + t2 * (2.0 / 3.0 + t2 * (2.0 / 5.0 + t2 * (2.0 / 7.0 + t2 * (2.0 / 9.0)))));
    e as f32 * std::f32::consts::LN_2 + s
}

const DB_PER_LN: f32 = 10.0 / std::f32::consts::LN_10;

/// The filterbanks and constants of the spectral columns.
struct Banks {
    window: Vec<f32>,
    /// (first bin, weights) per band.
    bands: Vec<(usize, Vec<f32>)>,
    /// Band centres, kHz.
    centres_khz: Vec<f64>,
    /// Sharpness weight `g(z) · z` per band.
    sharp: Vec<f64>,
    dct: Vec<[f32; N_BANDS]>,
    fft: Arc<dyn RealToComplex<f32>>,
}

fn hz_to_mel(f: f64) -> f64 {
    2595.0 * (1.0 + f / 700.0).log10()
}

fn mel_to_hz(m: f64) -> f64 {
    700.0 * (10f64.powf(m / 2595.0) - 1.0)
}

impl Banks {
    fn new() -> Banks {
        let window = (0..FRAME)
            .map(|i| {
                (0.54 - 0.46 * (2.0 * std::f64::consts::PI * i as f64 / (FRAME - 1) as f64).cos())
                    as f32
            })
            .collect();
        let bin_hz = f64::from(RATE) / N_FFT as f64;
        let (lo, hi) = (hz_to_mel(20.0), hz_to_mel(8000.0));
        let edges: Vec<f64> = (0..N_BANDS + 2)
            .map(|i| mel_to_hz(lo + (hi - lo) * i as f64 / (N_BANDS + 1) as f64))
            .collect();
        let mut bands = Vec::with_capacity(N_BANDS);
        for b in 0..N_BANDS {
            let (l, c, r) = (edges[b], edges[b + 1], edges[b + 2]);
            let first = (l / bin_hz).ceil() as usize;
            let last = ((r / bin_hz).floor() as usize).min(N_FFT / 2);
            let w: Vec<f32> = (first..=last.max(first))
                .map(|k| {
                    let f = k as f64 * bin_hz;
                    let v = if f <= c {
                        (f - l) / (c - l)
                    } else {
                        (r - f) / (r - c)
                    };
                    v.max(0.0) as f32
                })
                .collect();
            bands.push((first, w));
        }
        let centres_khz: Vec<f64> = edges[1..=N_BANDS].iter().map(|f| f / 1000.0).collect();
        let sharp = centres_khz
            .iter()
            .map(|&f| {
                let hz = f * 1000.0;
                let z = (26.81 * hz / (1960.0 + hz) - 0.53).max(0.0);
                let g = if z < 15.8 {
                    1.0
                } else {
                    0.066 * (0.171 * z).exp()
                };
                g * z
            })
            .collect();
        let dct = (1..=N_MFCC)
            .map(|k| {
                let mut row = [0f32; N_BANDS];
                for (b, v) in row.iter_mut().enumerate() {
                    *v = ((2.0 / N_BANDS as f64).sqrt()
                        * (std::f64::consts::PI * k as f64 * (b as f64 + 0.5) / N_BANDS as f64)
                            .cos()) as f32;
                }
                row
            })
            .collect();
        let fft = RealFftPlanner::<f32>::new().plan_fft_forward(N_FFT);
        Banks {
            window,
            bands,
            centres_khz,
            sharp,
            dct,
            fft,
        }
    }
}

thread_local! {
    static BANKS: Banks = Banks::new();
}

/// Every column but the voicing ones.
fn spectral_columns(y: &[f32], n_frames: usize, values: &mut [f32]) {
    BANKS.with(|b| {
        let bin_hz = f64::from(RATE) / N_FFT as f64;
        let n_bins = N_FFT / 2 + 1;
        let (e1, e2, e3, e4) = (bin(250.0), bin(650.0), bin(1000.0), bin(4000.0));
        let balance = BalanceBins::new();
        let (s15, harm_hi) = (balance.s15, bin(4000.0));
        let freqs: Vec<f32> = (0..n_bins).map(|k| (k as f64 * bin_hz) as f32).collect();
        let mut frame = vec![0f32; FRAME];
        let mut input = b.fft.make_input_vec();
        let mut spec = b.fft.make_output_vec();
        let mut scratch = b.fft.make_scratch_vec();
        let mut power = vec![0f32; n_bins];
        let mut mag = vec![0f32; n_bins];
        let mut prev_norm = vec![0f32; n_bins];
        let mut norm = vec![0f32; n_bins];
        let mut db = vec![0f32; n_bins];
        let mut band_db = [0f64; N_BANDS];
        for t in 0..n_frames {
            centred_frame(y, t, &mut frame);
            let row = &mut values[t * N_LLD..(t + 1) * N_LLD];
            time_columns(&frame, row);

            input.iter_mut().for_each(|v| *v = 0.0);
            for ((i, &f), &w) in input.iter_mut().zip(&frame).zip(&b.window) {
                *i = f * w;
            }
            if b.fft
                .process_with_scratch(&mut input, &mut spec, &mut scratch)
                .is_err()
            {
                continue;
            }
            for ((p, m), c) in power.iter_mut().zip(mag.iter_mut()).zip(&spec) {
                *p = c.re * c.re + c.im * c.im;
                *m = p.sqrt();
            }
            // dB only where the eGeMAPS slopes read it (below 1.5 kHz).
            for (d, &p) in db[..s15].iter_mut().zip(&power) {
                *d = DB_PER_LN * fast_ln(p + 1e-12);
            }

            let sharpness = band_columns(b, &power, &mut band_db, row);
            let mut c = MFCC1 + N_MFCC;
            let band_energy =
                |lo: usize, hi: usize| -> f64 { f64::from(power[lo..hi].iter().sum::<f32>()) };
            row[c] = (10.0 * (band_energy(e1, e2) + 1e-10).log10()) as f32;
            row[c + 1] = (10.0 * (band_energy(e3, e4) + 1e-10).log10()) as f32;
            c += 2;

            let roll = rolloff(&power, &freqs);
            row[c..c + 4].copy_from_slice(&roll);
            c += 4;

            row[c] = flux(&mag, &mut norm, &mut prev_norm, t == 0);
            let (centroid, var, skew, kurt, entropy) = spectral_moments(&power, &freqs);
            row[c + 1] = centroid as f32;
            row[c + 2] = entropy as f32;
            row[c + 3] = var as f32;
            row[c + 4] = skew as f32;
            row[c + 5] = kurt as f32;
            row[c + 6] = slope(b.centres_khz.iter().copied(), band_db.iter().copied()) as f32;
            row[c + 7] = sharpness;
            row[c + 8] = harmonicity(&power, harm_hi);

            balance_columns(&balance, &power, &db, &freqs, row);
        }
    });
}

/// F0, voicing probability, HNR, jitter and shimmer columns.
fn voicing_columns(v: &Voicing, periods: &Periods, values: &mut [f32]) {
    // Every cycle: (start s, period s, amplitude, run).
    let mut cycles: Vec<(f64, f64, f64, usize)> = Vec::new();
    for (r, (run, &start)) in periods.runs.iter().zip(&periods.starts).enumerate() {
        let mut t = start;
        for &(p, a) in run {
            cycles.push((t, p, a, r));
            t += p;
        }
    }
    let frame_s = HOP as f64 / f64::from(RATE);
    for (t, row) in values.chunks_exact_mut(N_LLD).enumerate() {
        row[F0_SEMITONE + 1] = v.probability.get(t).copied().unwrap_or(0.0) as f32;
        row[HNR] = v.hnr_db.get(t).copied().unwrap_or(-40.0) as f32;
        let Some(Some(f0)) = v.f0.get(t) else {
            continue;
        };
        row[F0_SEMITONE] = (12.0 * (f0 / 27.5).log2()) as f32;
        let centre = t as f64 * frame_s;
        let lo = cycles.partition_point(|c| c.0 < centre - 0.03);
        let hi = cycles.partition_point(|c| c.0 < centre + 0.03);
        let win = &cycles[lo..hi];
        let (mut jit, mut ddp, mut shim, mut nj, mut nd) = (0.0, 0.0, 0.0, 0, 0);
        for (k, w) in win.windows(2).enumerate() {
            if w[0].3 != w[1].3 {
                continue;
            }
            jit += (w[1].1 - w[0].1).abs();
            shim += (w[1].2 - w[0].2).abs();
            nj += 1;
            if let Some(n) = win.get(k + 2).filter(|n| n.3 == w[1].3) {
                ddp += ((n.1 - w[1].1) - (w[1].1 - w[0].1)).abs();
                nd += 1;
            }
        }
        if nj > 0 {
            let mean_p = win.iter().map(|c| c.1).sum::<f64>() / win.len() as f64;
            let mean_a = win.iter().map(|c| c.2).sum::<f64>() / win.len() as f64;
            row[F0_SEMITONE + 3] = (jit / nj as f64 / mean_p) as f32;
            if nd > 0 {
                row[F0_SEMITONE + 4] = (ddp / nd as f64 / mean_p) as f32;
            }
            if mean_a > 0.0 {
                row[F0_SEMITONE + 5] = (shim / nj as f64 / mean_a) as f32;
            }
        }
    }
}

mod frame;
use frame::*;

#[cfg(test)]
mod tests;
