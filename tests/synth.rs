//! The built-in synthetic corpus: size, determinism, round trip through WAV, and emotion
//! effects measured on the rendered audio.

use emoscope::audio::LoadOptions;
use emoscope::corpus::synth::{self, DEFAULT_SEED, render_clip};
use emoscope::corpus::{ClipId, Corpus, Emotion, Intensity, Sex, Statement, scan_dir};

#[test]
fn corpus_has_1440_clips_24_actors_half_female() {
    let c = Corpus::synthetic();
    let s = c.summary();
    assert_eq!(s.clips, 1440);
    assert!(s.is_complete_speech_set());
    assert_eq!(s.actors.iter().filter(|r| r.sex == Sex::Female).count(), 12);
    assert!(
        s.actors
            .iter()
            .all(|r| r.total == 60 && r.counts == [4, 8, 8, 8, 8, 8, 8, 8])
    );
    // Durations in RAVDESS's range (2.9-5.3 s on the real files).
    assert!(
        s.durations.min > 2.0 && s.durations.max < 6.0,
        "{:?}",
        s.durations
    );
}

#[test]
fn same_seed_same_samples_other_seed_other_samples() {
    let id = ClipId::parse("03-01-05-02-02-01-12").unwrap();
    let a = render_clip(&id, DEFAULT_SEED);
    let b = render_clip(&id, DEFAULT_SEED);
    assert_eq!(a, b);
    let c = render_clip(&id, DEFAULT_SEED + 1);
    assert_ne!(a.samples, c.samples);
    // The corpus metadata agrees with the rendered length.
    let corpus = Corpus::synthetic();
    let clip = corpus.clip(&id).unwrap();
    assert_eq!(clip.duration, a.duration());
    assert_eq!(clip.load(&LoadOptions::default()).unwrap(), a);
}

#[test]
fn written_clips_read_back_bit_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let n =
        emoscope::cli::write_synthetic(tmp.path(), 7, &[3], &[Emotion::Angry, Emotion::Sad], None)
            .unwrap();
    assert_eq!(n, 16);
    let scanned = scan_dir(tmp.path(), None, &LoadOptions::default()).unwrap();
    assert_eq!(scanned.clips.len(), 16);
    assert!(scanned.problems.is_empty());
    for clip in &scanned.clips {
        let from_file = clip.load(&LoadOptions::default()).unwrap();
        let in_memory = render_clip(&clip.id, 7);
        assert_eq!(from_file.samples, in_memory.samples, "{}", clip.id);
    }
}

/// Median F0 (Hz) of a clip by normalised autocorrelation on 40 ms frames at 12 kHz,
/// and level (dB) over the frames with speech.
fn measure(samples: &[f32]) -> (f32, f32) {
    let x: Vec<f32> = samples
        .chunks_exact(4)
        .map(|c| c.iter().sum::<f32>() / 4.0)
        .collect();
    let (frame, hop) = (480, 240);
    let mut f0s = Vec::new();
    let mut power = Vec::new();
    let frames: Vec<&[f32]> = (0..x.len().saturating_sub(frame))
        .step_by(hop)
        .map(|i| &x[i..i + frame])
        .collect();
    let rms: Vec<f32> = frames
        .iter()
        .map(|f| (f.iter().map(|v| v * v).sum::<f32>() / frame as f32).sqrt())
        .collect();
    let max = rms.iter().copied().fold(0.0, f32::max);
    for (f, &r) in frames.iter().zip(&rms) {
        // Frames within 26 dB of the loudest are speech (the floor is ~50 dB further down).
        if r < 0.05 * max {
            continue;
        }
        power.push(r * r);
        if r < 0.2 * max {
            continue;
        }
        let e0: f32 = f.iter().map(|v| v * v).sum();
        let (mut best, mut best_lag) = (0.0f32, 0usize);
        for lag in 24..200 {
            let num: f32 = f[..frame - lag]
                .iter()
                .zip(&f[lag..])
                .map(|(a, b)| a * b)
                .sum();
            let el: f32 = f[lag..].iter().map(|v| v * v).sum();
            let c = num / (e0 * el).sqrt().max(1e-12);
            if c > best {
                best = c;
                best_lag = lag;
            }
        }
        if best > 0.6 {
            f0s.push(12000.0 / best_lag as f32);
        }
    }
    f0s.sort_by(f32::total_cmp);
    let f0 = f0s.get(f0s.len() / 2).copied().unwrap_or(f32::NAN);
    let db = 10.0 * (power.iter().sum::<f32>() / power.len().max(1) as f32).log10();
    (f0, db)
}

#[test]
fn emotions_move_f0_level_and_duration_the_intended_way() {
    // Every actor, statement 1, repetition 1, both intensities: 360 clips.
    let ids: Vec<ClipId> = emoscope::corpus::ravdess::speech_corpus()
        .into_iter()
        .filter(|i| i.statement == Statement::Kids && i.repetition == 1)
        .collect();
    let mut f0 = [0.0f64; 8];
    let mut db = [0.0f64; 8];
    let mut dur = [0.0f64; 8];
    let mut n = [0usize; 8];
    let mut male = Vec::new();
    let mut female = Vec::new();
    for id in &ids {
        let a = render_clip(id, DEFAULT_SEED);
        let (hz, level) = measure(&a.samples);
        assert!(hz.is_finite(), "no voiced frames in {id}");
        let e = id.emotion.index();
        // Relative to the actor's neutral pitch, in semitones, so sexes pool.
        let base = synth::actor_voice(DEFAULT_SEED, id.actor).f0;
        f0[e] += 12.0 * f64::from((hz / base).log2());
        db[e] += f64::from(level);
        dur[e] += a.duration();
        n[e] += 1;
        if id.emotion == Emotion::Neutral {
            match id.sex() {
                Sex::Male => male.push(hz),
                Sex::Female => female.push(hz),
            }
        }
    }
    let mean = |v: &[f64; 8], e: Emotion| v[e.index()] / n[e.index()] as f64;
    use Emotion::*;
    let (f, l, d) = (|e| mean(&f0, e), |e| mean(&db, e), |e| mean(&dur, e));
    for e in Emotion::RAVDESS {
        eprintln!(
            "{e:>9}: f0 {:+.2} st  level {:.1} dB  duration {:.3} s",
            f(*e),
            l(*e),
            d(*e)
        );
    }
    // Pitch: fear and surprise highest, then anger and happiness, above neutral; calm,
    // sadness and disgust below it.
    for hi in [Surprised, Fearful] {
        for mid in [Angry, Happy] {
            assert!(f(hi) > f(mid), "f0 {hi} > {mid}");
        }
    }
    for mid in [Angry, Happy] {
        assert!(f(mid) > f(Neutral) + 1.0, "f0 {mid} > neutral");
    }
    for lo in [Calm, Sad, Disgust] {
        assert!(f(lo) < f(Neutral), "f0 {lo} < neutral");
    }
    // Level: anger loudest; happiness, surprise and fear above neutral; calm and sadness below.
    for e in [Happy, Surprised, Fearful] {
        assert!(l(Angry) > l(e) + 2.0, "level angry > {e}");
        assert!(l(e) > l(Neutral), "level {e} > neutral");
    }
    for e in [Calm, Sad] {
        assert!(l(e) < l(Neutral), "level {e} < neutral");
    }
    // Duration: sadness and disgust slowest, calm slower than neutral; anger and fear fastest.
    for slow in [Sad, Disgust] {
        assert!(d(slow) > d(Calm), "duration {slow} > calm");
    }
    assert!(d(Calm) > d(Neutral));
    for fast in [Angry, Fearful] {
        assert!(d(fast) < d(Neutral), "duration {fast} < neutral");
        assert!(d(fast) < d(Happy) + 0.05, "duration {fast} <= happy");
    }
    // Voices: male neutral F0 in the usual adult range, female about an octave-ish higher.
    let med = |v: &mut Vec<f32>| {
        v.sort_by(f32::total_cmp);
        v[v.len() / 2]
    };
    let (m, w) = (med(&mut male), med(&mut female));
    assert!((85.0..160.0).contains(&m), "male median F0 {m}");
    assert!((160.0..270.0).contains(&w), "female median F0 {w}");
}

#[test]
fn strong_intensity_is_further_from_neutral_than_normal() {
    let p = |i| {
        synth::actor_profile(
            DEFAULT_SEED,
            emoscope::corpus::Actor::new(4).unwrap(),
            Emotion::Angry,
            i,
        )
    };
    let (normal, strong) = (p(Intensity::Normal), p(Intensity::Strong));
    assert!(strong.loud_db > normal.loud_db);
    assert!(strong.f0_st > normal.f0_st);
}
