//! One frame's descriptors of `lld`, column group by column group: the centred frame,
//! time-domain columns, auditory bands, roll-off, flux, spectral moments, harmonicity and
//! eGeMAPS's spectral balance.

use super::*;

/// Least-squares slope of `y` over `x`.
pub(super) fn slope(
    x: impl Iterator<Item = f64> + Clone,
    y: impl Iterator<Item = f64> + Clone,
) -> f64 {
    let (mut n, mut sx, mut sy, mut sxx, mut sxy) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for (a, b) in x.zip(y) {
        n += 1.0;
        sx += a;
        sy += b;
        sxx += a * a;
        sxy += a * b;
    }
    let den = n * sxx - sx * sx;
    if n < 2.0 || den.abs() < 1e-12 {
        0.0
    } else {
        (n * sxy - sx * sy) / den
    }
}

/// The centred frame `t` (HOP apart, FRAME long) of `y`, zero padded at the ends.
pub(super) fn centred_frame(y: &[f32], t: usize, frame: &mut [f32]) {
    let start = (t * HOP) as isize - (FRAME / 2) as isize;
    for (i, v) in frame.iter_mut().enumerate() {
        let j = start + i as isize;
        *v = if j >= 0 && (j as usize) < y.len() {
            y[j as usize]
        } else {
            0.0
        };
    }
}

/// The frequencies below which 25, 50, 75 and 90 % of the power lies.
pub(super) fn rolloff(power: &[f32], freqs: &[f32]) -> [f32; 4] {
    let total: f64 = power.iter().map(|&p| f64::from(p)).sum();
    let targets = [0.25, 0.5, 0.75, 0.9].map(|q| q * total);
    let mut cum = 0.0;
    let mut which = 0;
    let mut roll = [0f32; 4];
    for (k, &p) in power.iter().enumerate() {
        cum += f64::from(p);
        while which < 4 && cum >= targets[which] {
            roll[which] = freqs[k];
            which += 1;
        }
        if which == 4 {
            break;
        }
    }
    while which < 4 {
        roll[which] = freqs[freqs.len() - 1];
        which += 1;
    }
    roll
}

/// Moments of the power spectrum over frequency (kHz): centroid (Hz), variance, skewness,
/// kurtosis, and the entropy H = ln S − Σ P ln P / S normalised by ln N. Zeros when silent.
pub(super) fn spectral_moments(power: &[f32], freqs: &[f32]) -> (f64, f64, f64, f64, f64) {
    let (mut s0, mut s1) = (0.0f64, 0.0f64);
    for (&p, &f) in power.iter().zip(freqs) {
        s0 += f64::from(p);
        s1 += f64::from(p) * f64::from(f);
    }
    if s0 <= 1e-20 {
        return (0.0, 0.0, 0.0, 0.0, 0.0);
    }
    let mu = s1 / s0;
    let (mut m2, mut m3, mut m4) = (0.0, 0.0, 0.0);
    for (&p, &f) in power.iter().zip(freqs) {
        let d = (f64::from(f) - mu) / 1000.0;
        let pd2 = f64::from(p) * d * d;
        m2 += pd2;
        m3 += pd2 * d;
        m4 += pd2 * d * d;
    }
    let (m2, m3, m4) = (m2 / s0, m3 / s0, m4 / s0);
    let (sk, ku) = crate::features::functionals::skew_kurtosis(m2, m3, m4);
    let pl: f64 = power
        .iter()
        .map(|&p| f64::from(p * fast_ln(p.max(1e-30))))
        .sum();
    let h = (s0.ln() - pl / s0) / (power.len() as f64).ln();
    (mu, m2, sk, ku, h)
}

/// Harmonicity: the power of spectral peaks over that of valleys below bin `hi`, in dB.
pub(super) fn harmonicity(power: &[f32], hi: usize) -> f32 {
    let (mut peaks, mut valleys) = (0.0f64, 0.0f64);
    for k in 2..hi {
        let (a, p, n) = (power[k - 1], power[k], power[k + 1]);
        if p > a && p >= n {
            peaks += f64::from(p);
        } else if p < a && p <= n {
            valleys += f64::from(p);
        }
    }
    (10.0 * ((peaks + 1e-12) / (valleys + 1e-12)).log10()) as f32
}

/// RMS, zero-crossing rate and log energy of a frame.
pub(super) fn time_columns(frame: &[f32], row: &mut [f32]) {
    let ms = frame.iter().map(|v| f64::from(v * v)).sum::<f64>() / FRAME as f64;
    let zc = frame
        .windows(2)
        .filter(|w| (w[0] < 0.0) != (w[1] < 0.0))
        .count();
    row[1] = ms.sqrt() as f32;
    row[2] = (zc as f64 / FRAME as f64) as f32;
    row[3] = (10.0 * (ms + 1e-10).log10()) as f32;
}

/// The auditory band energies (dB, also left in `band_db`), loudness (Σ band power^0.3) and
/// MFCC 1–14 of the bands; returns the sharpness (Zwicker weights on the bands).
pub(super) fn band_columns(
    b: &Banks,
    power: &[f32],
    band_db: &mut [f64; N_BANDS],
    row: &mut [f32],
) -> f32 {
    let mut loud = 0.0;
    let (mut sharp_num, mut sharp_den) = (0.0, 0.0);
    for (k, ((first, w), bd)) in b.bands.iter().zip(band_db.iter_mut()).enumerate() {
        let e: f32 = power[*first..*first + w.len()]
            .iter()
            .zip(w)
            .map(|(p, w)| p * w)
            .sum();
        let e = f64::from(e);
        *bd = 10.0 * (e + 1e-10).log10();
        let n = (e + 1e-12).powf(0.3);
        loud += n;
        sharp_num += n * b.sharp[k];
        sharp_den += n;
        row[BAND0 + k] = *bd as f32;
    }
    row[LOUDNESS] = loud as f32;
    for (k, d) in b.dct.iter().enumerate() {
        row[MFCC1 + k] = d
            .iter()
            .zip(band_db.iter())
            .map(|(a, v)| f64::from(*a) * v)
            .sum::<f64>() as f32;
    }
    if sharp_den > 0.0 {
        (0.11 * sharp_num / sharp_den) as f32
    } else {
        0.0
    }
}

/// The bins bounding eGeMAPS's balance measures: 50 Hz, 1 and 5 kHz (alpha ratio), 2 kHz
/// (Hammarberg), 500 Hz and 1.5 kHz (the slopes). Computed once per clip.
#[derive(Debug, Clone, Copy)]
pub(super) struct BalanceBins {
    a1: usize,
    a2: usize,
    a3: usize,
    h2: usize,
    s5: usize,
    pub(super) s15: usize,
}

impl BalanceBins {
    pub(super) fn new() -> BalanceBins {
        BalanceBins {
            a1: bin(50.0),
            a2: bin(1000.0),
            a3: bin(5000.0),
            h2: bin(2000.0),
            s5: bin(500.0),
            s15: bin(1500.0),
        }
    }
}

/// The FFT bin nearest `hz` (frames at [`RATE`], [`N_FFT`]-point FFT).
pub(super) fn bin(hz: f64) -> usize {
    let bin_hz = f64::from(RATE) / N_FFT as f64;
    ((hz / bin_hz).round() as usize).min(N_FFT / 2)
}

/// eGeMAPS's spectral balance: alpha ratio (1–5 kHz over 50 Hz–1 kHz), Hammarberg index
/// (peak below 2 kHz over peak 2–5 kHz), and the dB slopes over 0–500 Hz and 500–1500 Hz.
pub(super) fn balance_columns(
    bins: &BalanceBins,
    power: &[f32],
    db: &[f32],
    freqs: &[f32],
    row: &mut [f32],
) {
    let BalanceBins {
        a1,
        a2,
        a3,
        h2,
        s5,
        s15,
    } = *bins;
    let energy = |lo: usize, hi: usize| f64::from(power[lo..hi].iter().sum::<f32>());
    let peak =
        |lo: usize, hi: usize| f64::from(power[lo..hi].iter().copied().fold(1e-20f32, f32::max));
    row[ALPHA_RATIO] =
        (10.0 * ((energy(a2, a3) + 1e-20) / (energy(a1, a2) + 1e-20)).log10()) as f32;
    row[HAMMARBERG] = (10.0 * (peak(0, h2) / peak(h2, a3)).log10()) as f32;
    let span_slope = |lo: usize, hi: usize| {
        slope(
            freqs[lo..hi].iter().map(|&f| f64::from(f)),
            db[lo..hi].iter().map(|&d| f64::from(d)),
        ) as f32
    };
    row[SLOPE_0_500] = span_slope(0, s5);
    row[SLOPE_500_1500] = span_slope(s5, s15);
}

/// Flux of the sum-normalised magnitude spectrum against the previous frame's (0 for the
/// first); leaves this frame's normalised spectrum in `prev`.
pub(super) fn flux(mag: &[f32], norm: &mut Vec<f32>, prev: &mut Vec<f32>, first: bool) -> f32 {
    let msum: f32 = mag.iter().sum::<f32>().max(1e-20);
    for (n, &m) in norm.iter_mut().zip(mag) {
        *n = m / msum;
    }
    let flux: f32 = if first {
        0.0
    } else {
        norm.iter()
            .zip(prev.iter())
            .map(|(a, b)| (a - b) * (a - b))
            .sum()
    };
    std::mem::swap(norm, prev);
    flux
}
