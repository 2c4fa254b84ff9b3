//! F0 by YIN and probabilistic YIN, as `librosa.yin` / `librosa.pyin` (librosa 0.11).
//!
//! Defaults: fmin 65 Hz, fmax 2093 Hz (C2–C7), frame 2048, hop = frame/4 = 512, centred
//! zero-padded frames, trough threshold 0.1 (YIN); pYIN: 100 thresholds under a Beta(2, 18)
//! prior, Boltzmann parameter 2, 0.1-semitone resolution, max transition 35.92
//! semitones/s, switch probability 0.01, no-trough probability 0.01, Viterbi decoding.

use std::sync::Arc;

use realfft::{RealFftPlanner, RealToComplex};

use super::frames::centred_frames;
use crate::util::{argmax, argmin};

/// Pitch-tracking parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PitchParams {
    pub fmin: f64,
    pub fmax: f64,
    pub frame: usize,
    pub hop: usize,
}

impl Default for PitchParams {
    fn default() -> Self {
        PitchParams {
            fmin: 65.0,
            fmax: 2093.0,
            frame: 2048,
            hop: 512,
        }
    }
}

/// The cumulative-mean-normalised difference function of each frame, for periods
/// `min_period..=max_period` (librosa `_cumulative_mean_normalized_difference`).
struct Cmnd {
    min_period: usize,
    frames: Vec<Vec<f64>>,
}

fn cmnd(y: &[f32], sr: f64, p: &PitchParams) -> Cmnd {
    let min_period = (sr / p.fmax).floor() as usize;
    let max_period = ((sr / p.fmin).ceil() as usize).min(p.frame - 1);
    let frames = centred_frames(y, p.frame, p.hop, false);
    // Autocorrelation through an FFT long enough to avoid wrap-around.
    let n_fft = (2 * p.frame).next_power_of_two();
    let mut planner = RealFftPlanner::<f64>::new();
    let fwd: Arc<dyn RealToComplex<f64>> = planner.plan_fft_forward(n_fft);
    let inv = planner.plan_fft_inverse(n_fft);
    let mut buf = fwd.make_input_vec();
    let mut spec = fwd.make_output_vec();
    let mut acf = inv.make_output_vec();
    let out = frames
        .iter()
        .map(|f| {
            buf.iter_mut().for_each(|v| *v = 0.0);
            for (b, &v) in buf.iter_mut().zip(f) {
                *b = f64::from(v);
            }
            if fwd.process(&mut buf, &mut spec).is_err() {
                unreachable!("buffers come from the plan");
            }
            for c in spec.iter_mut() {
                *c = realfft::num_complex::Complex::new(c.norm_sqr(), 0.0);
            }
            if inv.process(&mut spec, &mut acf).is_err() {
                unreachable!("buffers come from the plan");
            }
            let scale = 1.0 / n_fft as f64;
            // Running energy of the frame.
            let mut energy = Vec::with_capacity(max_period + 1);
            let mut e = 0.0;
            for &v in f.iter().take(max_period) {
                e += f64::from(v) * f64::from(v);
                energy.push(e);
            }
            let mut d = vec![0.0f64; max_period + 1];
            for k in 1..=max_period {
                d[k] = 2.0 * (acf[0] - acf[k]) * scale - energy[k - 1];
            }
            let mut cum = 0.0;
            let mut mean = vec![0.0f64; max_period];
            for k in 1..=max_period {
                cum += d[k];
                mean[k - 1] = cum / k as f64;
            }
            (min_period..=max_period)
                .map(|k| d[k] / (mean[k - 1] + f64::MIN_POSITIVE))
                .collect()
        })
        .collect();
    Cmnd {
        min_period,
        frames: out,
    }
}

/// Parabolic-interpolation shift at each index (0 at the ends or when it exceeds a bin).
fn parabolic_shifts(x: &[f64]) -> Vec<f64> {
    let n = x.len();
    (0..n)
        .map(|i| {
            if i == 0 || i + 1 >= n {
                return 0.0;
            }
            let a = x[i + 1] + x[i - 1] - 2.0 * x[i];
            let b = (x[i + 1] - x[i - 1]) / 2.0;
            if b.abs() >= a.abs() { 0.0 } else { -b / a }
        })
        .collect()
}

/// Local minima as librosa's pitch trackers mark them: interior `x[i] < x[i−1] && x[i] <=
/// x[i+1]`, the first point if below the second, the last if below the one before.
fn troughs(x: &[f64]) -> Vec<usize> {
    let n = x.len();
    (0..n)
        .filter(|&i| {
            if n < 2 {
                false
            } else if i == 0 {
                x[0] < x[1]
            } else if i + 1 == n {
                x[i] < x[i - 1]
            } else {
                x[i] < x[i - 1] && x[i] <= x[i + 1]
            }
        })
        .collect()
}

/// `librosa.yin(y, fmin=65, fmax=2093, sr=sr)`: F0 in Hz for every frame.
pub fn yin(y: &[f32], sr: f64, p: &PitchParams) -> Vec<f64> {
    yin_from(&cmnd(y, sr, p), sr)
}

/// YIN and pYIN of the same signal, sharing the difference function.
pub fn yin_and_pyin(y: &[f32], sr: f64, p: &PitchParams) -> (Vec<f64>, Pyin) {
    let c = cmnd(y, sr, p);
    (yin_from(&c, sr), pyin_from(&c, sr, p))
}

fn yin_from(c: &Cmnd, sr: f64) -> Vec<f64> {
    const THRESHOLD: f64 = 0.1;
    c.frames
        .iter()
        .map(|f| {
            let shifts = parabolic_shifts(f);
            let idx = troughs(f)
                .into_iter()
                .find(|&i| f[i] < THRESHOLD)
                .unwrap_or_else(|| argmin(f));
            sr / (c.min_period as f64 + idx as f64 + shifts[idx])
        })
        .collect()
}

/// pYIN output per frame.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pyin {
    /// F0 in Hz, `None` where unvoiced.
    pub f0: Vec<Option<f64>>,
    pub voiced: Vec<bool>,
    pub voiced_prob: Vec<f64>,
}

/// The Beta(a, b) CDF for integer parameters: P(Binomial(a+b−1, x) ≥ a).
fn beta_cdf_int(x: f64, a: u32, b: u32) -> f64 {
    let n = a + b - 1;
    let mut below = 0.0;
    let mut binom = 1.0f64; // C(n, j)
    for j in 0..a {
        if j > 0 {
            binom *= f64::from(n - j + 1) / f64::from(j);
        }
        below += binom * x.powi(j as i32) * (1.0 - x).powi((n - j) as i32);
    }
    1.0 - below
}

/// `librosa.pyin(y, fmin=65, fmax=2093, sr=sr)`.
pub fn pyin(y: &[f32], sr: f64, p: &PitchParams) -> Pyin {
    pyin_from(&cmnd(y, sr, p), sr, p)
}

/// pYIN's constants, as librosa's defaults.
const N_THRESHOLDS: usize = 100;
const BOLTZMANN: f64 = 2.0;
const BINS_PER_SEMITONE: usize = 10;
const MAX_TRANSITION_RATE: f64 = 35.92;
const SWITCH_PROB: f64 = 0.01;
const NO_TROUGH_PROB: f64 = 0.01;

/// The observation probabilities, frame-major over 2·`n_pitch` states (voiced pitch bins,
/// then unvoiced), and each frame's voiced probability: every trough of the CMND weighted by
/// the beta(2, 18) threshold prior and a Boltzmann prior on its rank.
fn observations(c: &Cmnd, sr: f64, p: &PitchParams, n_pitch: usize) -> (Vec<f64>, Vec<f64>) {
    let n_frames = c.frames.len();
    let n_states = 2 * n_pitch;
    let thresholds: Vec<f64> = (0..=N_THRESHOLDS)
        .map(|i| i as f64 / N_THRESHOLDS as f64)
        .collect();
    let cdf: Vec<f64> = thresholds.iter().map(|&t| beta_cdf_int(t, 2, 18)).collect();
    let beta_probs: Vec<f64> = cdf.windows(2).map(|w| w[1] - w[0]).collect();
    let mut obs = vec![0.0f64; n_frames * n_states];
    let mut voiced_prob = vec![0.0f64; n_frames];
    // scipy.stats.boltzmann.pmf(k, λ, N) = (1 − e^−λ)·e^(−λk) / (1 − e^(−λN)), from a table
    // of e^(−λk) (a frame has at most max_period troughs).
    let decay: Vec<f64> = (0..=p.frame)
        .map(|k| (-BOLTZMANN * k as f64).exp())
        .collect();
    let boltzmann = |k: usize, n: usize| (1.0 - decay[1]) * decay[k] / (1.0 - decay[n]);
    for (t, f) in c.frames.iter().enumerate() {
        let shifts = parabolic_shifts(f);
        let tr = troughs(f);
        let row = &mut obs[t * n_states..(t + 1) * n_states];
        if !tr.is_empty() {
            let heights: Vec<f64> = tr.iter().map(|&i| f[i]).collect();
            let mut probs = vec![0.0f64; tr.len()];
            for (k, &bp) in beta_probs.iter().enumerate() {
                let thr = thresholds[k + 1];
                let n_below = heights.iter().filter(|&&h| h < thr).count();
                let mut pos = 0usize;
                for (ti, &h) in heights.iter().enumerate() {
                    if h < thr {
                        probs[ti] += boltzmann(pos, n_below) * bp;
                        pos += 1;
                    }
                }
            }
            let gmin = argmin(&heights);
            let n_not_below = thresholds[1..]
                .iter()
                .filter(|&&thr| heights[gmin] >= thr || heights[gmin].is_nan())
                .count();
            probs[gmin] += NO_TROUGH_PROB * beta_probs[..n_not_below].iter().sum::<f64>();
            // Candidates in increasing period order; a later one overwrites the same bin.
            for (&i, &prob) in tr.iter().zip(&probs) {
                if prob == 0.0 {
                    continue;
                }
                let period = c.min_period as f64 + i as f64 + shifts[i];
                let f0 = sr / period;
                let bin = (12.0 * BINS_PER_SEMITONE as f64 * (f0 / p.fmin).log2())
                    .round_ties_even()
                    .clamp(0.0, n_pitch as f64) as usize;
                row[bin] = prob;
            }
        }
        let vp = row[..n_pitch].iter().sum::<f64>().clamp(0.0, 1.0);
        voiced_prob[t] = vp;
        for v in &mut row[n_pitch..] {
            *v = (1.0 - vp) / n_pitch as f64;
        }
    }

    (obs, voiced_prob)
}

/// The Viterbi transition scores: `log(T + tiny)` of every in-band move into each pitch bin,
/// laid out by target (`into[j][k]` is the move from i = j − half + k: staying voiced or
/// unvoiced, switching), and `half`, the band's half width. As librosa: the transition is
/// kron(switch 2×2, local triangle band), scored as log(T + tiny), so out-of-band moves cost
/// log(tiny) rather than being impossible.
fn transitions(sr: f64, p: &PitchParams, n_pitch: usize) -> (Vec<Vec<[f64; 2]>>, usize) {
    let max_semitones = (MAX_TRANSITION_RATE * 12.0 * p.hop as f64 / sr).round() as usize;
    let width = max_semitones * BINS_PER_SEMITONE + 1;
    let half = width / 2;
    let tri = |d: usize| 1.0 - d as f64 / (half as f64 + 1.0);
    let row_sum = |i: usize| -> f64 {
        let lo = i.saturating_sub(half);
        let hi = (i + half).min(n_pitch - 1);
        (lo..=hi).map(|j| tri(i.abs_diff(j))).sum()
    };
    let sums: Vec<f64> = (0..n_pitch).map(row_sum).collect();
    let eps = f64::MIN_POSITIVE;
    let switch = [
        [1.0 - SWITCH_PROB, SWITCH_PROB],
        [SWITCH_PROB, 1.0 - SWITCH_PROB],
    ];
    let into: Vec<Vec<[f64; 2]>> = (0..n_pitch)
        .map(|j| {
            (0..width)
                .map(|k| {
                    let i = (j + k).checked_sub(half).filter(|&i| i < n_pitch);
                    match i {
                        Some(i) => {
                            let local = tri(i.abs_diff(j)) / sums[i];
                            [
                                (switch[0][0] * local + eps).ln(),
                                (switch[0][1] * local + eps).ln(),
                            ]
                        }
                        None => [f64::NEG_INFINITY; 2],
                    }
                })
                .collect()
        })
        .collect();
    (into, half)
}

/// The most likely state path (librosa's Viterbi decoding: the first best on ties).
fn viterbi(obs: &[f64], n_pitch: usize, into: &[Vec<[f64; 2]>], half: usize) -> Vec<usize> {
    let n_states = 2 * n_pitch;
    let n_frames = obs.len() / n_states.max(1);
    let width = 2 * half + 1;
    let eps = f64::MIN_POSITIVE;
    let log_eps = eps.ln();
    // ln(obs + tiny): zero observations (most voiced bins) share ln(tiny), and all unvoiced
    // states of a frame share one value, so only the non-zero voiced bins need a log.
    let log_obs_row = |t: usize, out: &mut Vec<f64>| {
        out.clear();
        let row = &obs[t * n_states..(t + 1) * n_states];
        out.extend(
            row[..n_pitch]
                .iter()
                .map(|&o| if o == 0.0 { log_eps } else { (o + eps).ln() }),
        );
        let unvoiced = (row[n_pitch] + eps).ln();
        out.extend(std::iter::repeat_n(unvoiced, n_pitch));
    };

    let mut lo_row = Vec::with_capacity(n_states);
    log_obs_row(0, &mut lo_row);
    let p_init = (1.0 / n_states as f64 + eps).ln();
    let mut value: Vec<f64> = lo_row.iter().map(|&l| l + p_init).collect();
    let mut ptr = vec![0u16; n_frames * n_states];
    let mut next = vec![0.0f64; n_states];
    let mut cand = vec![0.0f64; 2 * width];
    for t in 1..n_frames {
        log_obs_row(t, &mut lo_row);
        // Best predecessor overall (for out-of-band moves), first index on ties.
        let gbest = argmax(&value);
        let out_of_band = value[gbest] + log_eps;
        for w in 0..2 {
            for (j, into_j) in into.iter().enumerate() {
                let to = w * n_pitch + j;
                let lo = j.saturating_sub(half);
                let hi = (j + half).min(n_pitch - 1);
                // Candidates in state order (voiced block first), as librosa's argmax scans.
                let k0 = lo + half - j;
                let len = hi - lo + 1;
                for v in 0..2 {
                    let which = usize::from(v != w);
                    let src = &value[v * n_pitch + lo..=v * n_pitch + hi];
                    let tr = &into_j[k0..k0 + len];
                    for (c, (&x, t)) in cand[v * len..(v + 1) * len]
                        .iter_mut()
                        .zip(src.iter().zip(tr))
                    {
                        *c = x + t[which];
                    }
                }
                let cands = &cand[..2 * len];
                let best_v = cands.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                let pos = cands.iter().position(|&c| c == best_v).unwrap_or(0);
                let mut best_i = if pos < len {
                    lo + pos
                } else {
                    n_pitch + lo + pos - len
                };
                let mut best = best_v;
                let gb_in_band = (lo..=hi).contains(&(gbest % n_pitch));
                if !gb_in_band && (out_of_band > best || (out_of_band == best && gbest < best_i)) {
                    best = out_of_band;
                    best_i = gbest;
                }
                ptr[t * n_states + to] = best_i as u16;
                next[to] = lo_row[to] + best;
            }
        }
        std::mem::swap(&mut value, &mut next);
    }
    let mut states = vec![0usize; n_frames];
    if n_frames > 0 {
        states[n_frames - 1] = argmax(&value);
        for t in (0..n_frames - 1).rev() {
            states[t] = usize::from(ptr[(t + 1) * n_states + states[t + 1]]);
        }
    }
    states
}

fn pyin_from(c: &Cmnd, sr: f64, p: &PitchParams) -> Pyin {
    let n_pitch = (12.0 * BINS_PER_SEMITONE as f64 * (p.fmax / p.fmin).log2()).floor() as usize + 1;
    let (obs, voiced_prob) = observations(c, sr, p, n_pitch);
    let (into, half) = transitions(sr, p, n_pitch);
    let states = viterbi(&obs, n_pitch, &into, half);
    let freqs: Vec<f64> = (0..n_pitch)
        .map(|k| p.fmin * 2f64.powf(k as f64 / (12.0 * BINS_PER_SEMITONE as f64)))
        .collect();
    let voiced: Vec<bool> = states.iter().map(|&s| s < n_pitch).collect();
    Pyin {
        f0: states
            .iter()
            .zip(&voiced)
            .map(|(&s, &v)| v.then(|| freqs[s % n_pitch]))
            .collect(),
        voiced,
        voiced_prob,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beta_cdf_matches_closed_form() {
        // I_x(2, 18) = 1 − (1−x)^19 − 19·x·(1−x)^18.
        for x in [0.0, 0.05, 0.1, 0.3, 1.0] {
            let expect = 1.0 - (1.0f64 - x).powi(19) - 19.0 * x * (1.0f64 - x).powi(18);
            assert!((beta_cdf_int(x, 2, 18) - expect).abs() < 1e-12);
        }
    }

    #[test]
    fn yin_finds_a_sine_pitch() {
        let sr = 16000.0;
        let y: Vec<f32> = (0..16000)
            .map(|i| (2.0 * std::f64::consts::PI * 200.0 * i as f64 / sr).sin() as f32)
            .collect();
        let f0 = yin(&y, sr, &PitchParams::default());
        assert!((f0[10] - 200.0).abs() < 1.0, "{}", f0[10]);
    }
}
