//! Voice quality and prosody on voiced frames: glottal periods, jitter, shimmer, HNR,
//! loudness and the temporal set (spectral balance is per frame in [`super::lld`]).
//!
//! librosa has none of these; the definitions follow Praat (jitter local, shimmer local dB,
//! harmonicity by autocorrelation) and eGeMAPS (Eyben et al. 2016) where they can be stated
//! simply, and are compared with praat-parselmouth by `tests/golden/voice_reference.py`.

/// Glottal periods found in voiced stretches: for each cycle, its length (s) and its
/// peak-to-peak amplitude.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Periods {
    /// Contiguous runs of cycles: (period seconds, peak-to-peak amplitude) per cycle.
    pub runs: Vec<Vec<(f64, f64)>>,
    /// Time (s) of each run's first glottal mark: cycle `i` of run `r` starts at
    /// `starts[r] + Σ_{j<i} runs[r][j].0`.
    pub starts: Vec<f64>,
}

/// Marks glottal cycles by waveform cross-correlation, guided by an F0 track (`f0[t]` for the
/// frame centred at `t · hop` samples; pYIN's or [`super::voicing`]'s) in the manner
/// of Praat's "To PointProcess (periodic, cc)"): from the largest peak of the first cycle of
/// a voiced stretch, each next mark is the lag in 0.8–1.25 expected periods at which the
/// following stretch best matches the current cycle (normalised cross-correlation, refined
/// parabolically). A cycle without an F0 guide, or matching below 0.5, ends the run.
pub fn glottal_periods(y: &[f32], sr: f64, hop: usize, f0: &[Option<f64>]) -> Periods {
    let n = y.len();
    let f0_at = |i: usize| -> Option<f64> {
        let t = ((i + hop / 2) / hop).min(f0.len().saturating_sub(1));
        f0.get(t).copied().flatten()
    };
    let mut runs = Vec::new();
    let mut starts = Vec::new();
    let mut i = 0usize;
    let step = (hop / 4).max(1);
    while i < n {
        let Some(f0) = f0_at(i) else {
            i += step;
            continue;
        };
        let period = (sr / f0) as usize;
        let end = (i + period).min(n);
        if end <= i + 2 {
            break;
        }
        let mut mark = argmax_range(y, i, end) as f64;
        let first = mark / sr;
        let mut run: Vec<(f64, f64)> = Vec::new();
        loop {
            let m = mark.round() as usize;
            let Some(f0) = f0_at(m) else { break };
            let t = sr / f0;
            let w = t.round() as usize;
            let (lo, hi) = ((0.8 * t) as usize, (1.25 * t).ceil() as usize);
            if m + hi + w + 1 >= n || w < 4 {
                break;
            }
            let cur = &y[m..m + w];
            let score = |lag: usize| ncc(cur, &y[m + lag..m + lag + w]);
            let scores: Vec<f64> = (lo..=hi + 1).map(score).collect();
            let (k, &best) = scores[..scores.len() - 1].iter().enumerate().skip(1).fold(
                (0, &scores[0]),
                |b, (k, v)| if *v > *b.1 { (k, v) } else { b },
            );
            if best < 0.5 {
                break;
            }
            let mut lag = (lo + k) as f64;
            if k > 0 && k + 1 < scores.len() {
                let (a, b, c) = (scores[k - 1], scores[k], scores[k + 1]);
                let d = a - 2.0 * b + c;
                if d.abs() > 1e-12 {
                    lag += (0.5 * (a - c) / d).clamp(-0.5, 0.5);
                }
            }
            // One period centred on the mark, so a mark that drifts a little in phase
            // still sees exactly one glottal pulse.
            let half = (lag / 2.0) as usize;
            let cycle = &y[m.saturating_sub(half)..(m + half).min(n)];
            let (mn, mx) = cycle
                .iter()
                .fold((f32::INFINITY, f32::NEG_INFINITY), |(a, b), &v| {
                    (a.min(v), b.max(v))
                });
            run.push((lag / sr, f64::from(mx - mn)));
            mark += lag;
        }
        if run.len() >= 3 {
            runs.push(run);
            starts.push(first);
        }
        i = (mark.round() as usize).max(i + step) + 1;
        while i < n && f0_at(i).is_some() {
            i += step;
        }
    }
    Periods { runs, starts }
}

/// Normalised cross-correlation of two equal-length stretches (0 if either is silent).
fn ncc(a: &[f32], b: &[f32]) -> f64 {
    let (mut ab, mut aa, mut bb) = (0.0f64, 0.0f64, 0.0f64);
    for (&x, &y) in a.iter().zip(b) {
        let (x, y) = (f64::from(x), f64::from(y));
        ab += x * y;
        aa += x * x;
        bb += y * y;
    }
    if aa <= 0.0 || bb <= 0.0 {
        0.0
    } else {
        ab / (aa * bb).sqrt()
    }
}

fn argmax_range(y: &[f32], lo: usize, hi: usize) -> usize {
    let mut best = lo;
    for j in lo..hi {
        if y[j] > y[best] {
            best = j;
        }
    }
    best
}

/// Local jitter (Praat "jitter (local)"): mean absolute difference of consecutive periods
/// divided by the mean period, over periods of 0.1–20 ms whose neighbours differ by less
/// than a factor 1.3. A fraction (0.01 = 1 %). `None` with fewer than 3 usable periods.
pub fn jitter_local(p: &Periods) -> Option<f64> {
    let mut diffs = Vec::new();
    let mut all = Vec::new();
    for run in &p.runs {
        for w in run.windows(2) {
            let (a, b) = (w[0].0, w[1].0);
            let ok = |x: f64| (1e-4..=0.02).contains(&x);
            if ok(a) && ok(b) && a.max(b) / a.min(b) <= 1.3 {
                diffs.push((a - b).abs());
            }
        }
        all.extend(
            run.iter()
                .map(|c| c.0)
                .filter(|x| (1e-4..=0.02).contains(x)),
        );
    }
    if diffs.len() < 2 || all.is_empty() {
        return None;
    }
    let mean_diff = diffs.iter().sum::<f64>() / diffs.len() as f64;
    let mean_period = all.iter().sum::<f64>() / all.len() as f64;
    Some(mean_diff / mean_period)
}

/// Local shimmer in dB (Praat "shimmer (local, dB)"): mean |20·log10(A[i+1] / A[i])| over
/// consecutive cycles whose amplitude ratio is below 1.6. `None` with too few cycles.
pub fn shimmer_db(p: &Periods) -> Option<f64> {
    let mut v = Vec::new();
    for run in &p.runs {
        for w in run.windows(2) {
            let (a, b) = (w[0].1, w[1].1);
            if a > 0.0 && b > 0.0 && a.max(b) / a.min(b) < 1.6 {
                v.push((20.0 * (b / a).log10()).abs());
            }
        }
    }
    (v.len() >= 2).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

/// Harmonics-to-noise ratio (dB) at the centre of a frame: the normalised correlation `r`
/// between the period before the centre and the one after it (best lag within ±1 sample of
/// `lag`), `10·log10(r / (1 − r))` with r clamped to [1e-4, 0.9999] — Praat's cross-
/// correlation harmonicity with one period per window, without its window correction.
pub fn hnr_db(frame: &[f32], lag: usize) -> Option<f64> {
    let c = frame.len() / 2;
    if lag < 2 || lag > c || c + lag + 1 >= frame.len() {
        return None;
    }
    let start = c - lag;
    let a = &frame[start..start + lag];
    let r = (lag - 1..=lag + 1)
        .map(|l| ncc(a, &frame[start + l..start + l + lag]))
        .fold(f64::NEG_INFINITY, f64::max);
    let r = r.clamp(1e-4, 0.9999);
    Some(10.0 * (r / (1.0 - r)).log10())
}

/// Loudness of each frame: Stevens' power law on the mel power spectrum, `Σ_b P_b^0.3`
/// (the shape of openSMILE's auditory-spectrum loudness; an approximation, not sones).
pub fn loudness(mel_power: &[f32], n_mels: usize) -> Vec<f64> {
    mel_power
        .chunks_exact(n_mels)
        .map(|row| row.iter().map(|&p| f64::from(p.max(0.0)).powf(0.3)).sum())
        .collect()
}

/// The voicing track with every unvoiced gap of at most `max_gap` frames between two voiced
/// frames marked voiced.
pub fn close_gaps(voiced: &[bool], max_gap: usize) -> Vec<bool> {
    let mut out = voiced.to_vec();
    let mut last_voiced: Option<usize> = None;
    for (i, &v) in voiced.iter().enumerate() {
        if v {
            if let Some(j) = last_voiced
                && i - j - 1 <= max_gap
            {
                out[j + 1..i].iter_mut().for_each(|x| *x = true);
            }
            last_voiced = Some(i);
        }
    }
    out
}

/// Lengths (s) of the runs of `true` and of `false` in a voicing track.
pub fn segment_lengths(voiced: &[bool], frame_seconds: f64) -> (Vec<f64>, Vec<f64>) {
    let (mut on, mut off) = (Vec::new(), Vec::new());
    let mut i = 0;
    while i < voiced.len() {
        let v = voiced[i];
        let start = i;
        while i < voiced.len() && voiced[i] == v {
            i += 1;
        }
        let len = (i - start) as f64 * frame_seconds;
        if v { on.push(len) } else { off.push(len) }
    }
    (on, off)
}

/// Number of local maxima of a series that rise above the mean by at least 10 % of the
/// range (openSMILE-style loudness peaks).
pub fn peak_count(x: &[f64]) -> usize {
    if x.len() < 3 {
        return 0;
    }
    let (mn, mx) = x
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
            (a.min(v), b.max(v))
        });
    let mean = x.iter().sum::<f64>() / x.len() as f64;
    let thr = mean + 0.1 * (mx - mn);
    x.windows(3)
        .filter(|w| w[1] > w[0] && w[1] >= w[2] && w[1] > thr)
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pulse_train(sr: f64, f0: f64, jitter: f64, secs: f64) -> Vec<f32> {
        let mut y = vec![0f32; (sr * secs) as usize];
        let mut t = 0.0;
        let mut k = 0;
        while ((t * sr) as usize) < y.len() {
            let i = (t * sr) as usize;
            for (j, v) in y[i..].iter_mut().take(40).enumerate() {
                *v += (0.5 * (-(j as f64) / 8.0).exp() * (j as f64 * 0.7).sin()) as f32;
            }
            let p = 1.0 / f0 * (1.0 + if k % 2 == 0 { jitter } else { -jitter });
            t += p;
            k += 1;
        }
        y
    }

    #[test]
    fn jitter_of_alternating_periods() {
        let sr = 48000.0;
        let y = pulse_train(sr, 120.0, 0.01, 1.0);
        let n_frames = 1 + y.len() / 512;
        let p = glottal_periods(&y, sr, 512, &vec![Some(120.0); n_frames]);
        let j = jitter_local(&p).unwrap();
        // Periods alternate ±1 %: consecutive differences are 2 % of the period.
        assert!((j - 0.02).abs() < 0.003, "jitter {j}");
        let s = shimmer_db(&p).unwrap();
        assert!(s < 0.1, "shimmer {s}");
    }

    #[test]
    fn gaps_close_up_to_their_length() {
        let v = [true, false, false, true, false, false, false, true, false];
        let c = close_gaps(&v, 2);
        assert_eq!(
            c,
            [true, true, true, true, false, false, false, true, false]
        );
    }

    #[test]
    fn hnr_of_a_clean_and_a_noisy_tone() {
        let sr = 16000.0;
        let tone: Vec<f32> = (0..2048)
            .map(|i| (2.0 * std::f64::consts::PI * 200.0 * i as f64 / sr).sin() as f32)
            .collect();
        let clean = hnr_db(&tone, 80).unwrap();
        assert!(hnr_db(&tone, 1).is_none());
        assert!(clean > 30.0, "{clean}");
        let noisy: Vec<f32> = tone
            .iter()
            .enumerate()
            .map(|(i, &v)| v + 0.7 * (((i * 7919) % 1000) as f32 / 500.0 - 1.0))
            .collect();
        let n = hnr_db(&noisy, 80).unwrap();
        assert!(n < clean && n < 10.0, "{n}");
    }
}
