//! Property tests (proptest): the DSP invariants of issue 15 — Parseval for the STFT, a gain
//! only shifts MFCC c0, resampling keeps a sine's frequency, a stereo file with identical
//! channels equals its mono twin — and loaders that never panic, whatever the bytes: the WAV
//! decoder, the RAVDESS name parser, the model and session loaders (random mutations of real
//! files: flipped bytes, cut tails, inserted junk). Stable Rust has no cargo-fuzz here, so
//! this is the fuzzing `scripts/test` replays every run, with proptest's fixed seed corpus.

use proptest::prelude::*;

use emoscope::audio::{self, LoadOptions};
use emoscope::features::stft::{Stft, StftParams, hann_periodic};

/// Cases per property: `PROPTEST_CASES` when set (a longer search by hand), else `default`.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn sine(freq: f64, rate: f64, n: usize, amp: f32) -> Vec<f32> {
    (0..n)
        .map(|i| (2.0 * std::f64::consts::PI * freq * i as f64 / rate).sin() as f32 * amp)
        .collect()
}

/// A 16-bit PCM WAV of interleaved samples.
fn wav16(samples: &[i16], channels: u16, rate: u32) -> Vec<u8> {
    let data: Vec<u8> = samples.iter().flat_map(|s| s.to_le_bytes()).collect();
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&(36 + data.len() as u32).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&channels.to_le_bytes());
    out.extend_from_slice(&rate.to_le_bytes());
    out.extend_from_slice(&(rate * 2 * u32::from(channels)).to_le_bytes());
    out.extend_from_slice(&(2 * channels).to_le_bytes());
    out.extend_from_slice(&16u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out.extend_from_slice(&data);
    out
}

/// A byte-level mutation: flip, overwrite, cut or insert.
#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Set(usize, u8),
    Cut(usize),
    Insert(usize, Vec<u8>),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 1u8..=255).prop_map(|(i, b)| Mutation::Flip(i, b)),
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Set(i, b)),
        any::<usize>().prop_map(Mutation::Cut),
        (
            any::<usize>(),
            proptest::collection::vec(any::<u8>(), 1..16)
        )
            .prop_map(|(i, v)| Mutation::Insert(i, v)),
    ]
}

fn apply(bytes: &mut Vec<u8>, muts: &[Mutation]) {
    for m in muts {
        if bytes.is_empty() {
            return;
        }
        let n = bytes.len();
        match m {
            Mutation::Flip(i, b) => bytes[i % n] ^= b,
            Mutation::Set(i, b) => bytes[i % n] = *b,
            Mutation::Cut(i) => bytes.truncate(i % n),
            Mutation::Insert(i, v) => {
                let at = i % n;
                bytes.splice(at..at, v.iter().copied());
            }
        }
    }
}

proptest! {
    // A fixed seed: the same cases every run (reproducible CI); PROPTEST_CASES raises the count
    // for a longer search by hand.
    #![proptest_config(ProptestConfig {
        cases: cases(48),
        rng_seed: proptest::test_runner::RngSeed::Fixed(1_188_976),
        ..ProptestConfig::default()
    })]

    /// Σ_k c_k |X_k|² = N Σ_n (w_n x_n)² for an interior frame (c = 1 at DC and Nyquist,
    /// 2 elsewhere).
    #[test]
    fn stft_keeps_energy(
        seed in proptest::collection::vec(-1.0f32..1.0, 4096),
        n_fft in prop_oneof![Just(256usize), Just(512), Just(2048)],
    ) {
        let hop = n_fft / 4;
        let mag = Stft::new(StftParams { n_fft, hop }).magnitude(&seed);
        let w = hann_periodic(n_fft);
        let t = 4;
        let start = t * hop - n_fft / 2;
        let time: f64 = (0..n_fft)
            .map(|i| (w[i] * f64::from(seed[start + i])).powi(2))
            .sum::<f64>() * n_fft as f64;
        let frame = mag.frame(t);
        let freq: f64 = frame
            .iter()
            .enumerate()
            .map(|(k, &m)| {
                let c = if k == 0 || k == n_fft / 2 { 1.0 } else { 2.0 };
                c * f64::from(m).powi(2)
            })
            .sum();
        prop_assert!((freq - time).abs() <= 1e-4 * time.max(1e-9), "{freq} vs {time}");
    }

    /// A gain g shifts every dB mel value by 20·log10(g), so MFCC c0 moves by that times
    /// √n_mels and every other coefficient stays (the orthonormal DCT of a constant).
    #[test]
    fn a_gain_only_shifts_mfcc_c0(f0 in 90.0f64..400.0, gain in 0.1f32..8.0) {
        use emoscope::features::{FeatureConfig, Preset, analysis};
        let y: Vec<f32> = (0..16000)
            .map(|i| {
                let t = i as f64 / 16000.0;
                (1..=12)
                    .map(|h| (2.0 * std::f64::consts::PI * f0 * h as f64 * t).sin() / h as f64)
                    .sum::<f64>() as f32 * 0.05
                    + ((i * 7919 % 1000) as f32 / 1000.0 - 0.5) * 0.01
            })
            .collect();
        let audio = |s: Vec<f32>| emoscope::audio::Audio {
            samples: s,
            sample_rate: 16000,
            source_rate: 16000,
            source_channels: 1,
            encoding: emoscope::audio::SampleEncoding::Synthetic,
        };
        let cfg = FeatureConfig::preset(Preset::Full);
        let a = analysis::analyse_spectral(&audio(y.clone()), &cfg);
        let b = analysis::analyse_spectral(&audio(y.iter().map(|v| v * gain).collect()), &cfg);
        let shift = 20.0 * f64::from(gain).log10() * (cfg.n_mels as f64).sqrt();
        for (row_a, row_b) in a.mfcc.chunks_exact(a.n_mfcc).zip(b.mfcc.chunks_exact(b.n_mfcc)) {
            prop_assert!((f64::from(row_b[0] - row_a[0]) - shift).abs() < 0.05 * shift.abs().max(1.0));
            for k in 1..a.n_mfcc {
                prop_assert!((row_b[k] - row_a[k]).abs() < 0.05, "c{k}: {} vs {}", row_a[k], row_b[k]);
            }
        }
    }

    /// Resampling keeps a sine's frequency (zero crossings over the middle, within 1 %).
    #[test]
    fn resampling_keeps_a_sines_frequency(
        from in prop_oneof![Just(8000u32), Just(16000), Just(22050), Just(44100), Just(48000)],
        to in prop_oneof![Just(8000u32), Just(16000), Just(22050), Just(44100), Just(48000)],
        frac in 0.02f64..0.4,
    ) {
        let freq = frac * f64::from(from.min(to));
        let x = sine(freq, f64::from(from), from as usize, 0.5);
        let y = audio::resample(&x, from, to).unwrap();
        let mid = &y[y.len() / 10..y.len() * 9 / 10];
        let crossings = mid.windows(2).filter(|w| (w[0] < 0.0) != (w[1] < 0.0)).count();
        let est = crossings as f64 / 2.0 / (mid.len() as f64 / f64::from(to));
        prop_assert!((est - freq).abs() <= 0.01 * freq + 2.0, "{freq} Hz came out {est}");
    }

    /// A stereo file with identical channels decodes to its mono twin, sample for sample.
    #[test]
    fn identical_stereo_equals_mono(samples in proptest::collection::vec(any::<i16>(), 1..2000)) {
        let stereo: Vec<i16> = samples.iter().flat_map(|&s| [s, s]).collect();
        let opts = LoadOptions::default();
        let m = audio::wav::decode(&wav16(&samples, 1, 16000), &opts).unwrap();
        let s = audio::wav::decode(&wav16(&stereo, 2, 16000), &opts).unwrap();
        prop_assert_eq!(m.samples, s.samples);
    }

    /// Whatever happens to a WAV's bytes, decoding answers (a clip or an error), never panics.
    #[test]
    fn the_wav_decoder_never_panics(muts in proptest::collection::vec(mutation(), 1..6)) {
        let x: Vec<i16> = (0..3000).map(|i| ((i * 37) % 2000) as i16 - 1000).collect();
        let mut bytes = wav16(&x, 2, 44100);
        apply(&mut bytes, &muts);
        let opts = LoadOptions { max_seconds: 5.0, ..LoadOptions::default() };
        if let Ok(a) = audio::wav::decode(&bytes, &opts) {
            prop_assert!(a.samples.iter().all(|v| v.is_finite()));
        }
    }

    /// Any text is a RAVDESS name or an error saying which field.
    #[test]
    fn the_name_parser_never_panics(name in "\\PC{0,40}", good in "0[1-3]-0[12]-0[1-8]-0[12]-0[12]-0[12]-[012][0-9]") {
        let _ = emoscope::corpus::ClipId::parse(&name);
        let _ = emoscope::corpus::ClipId::parse(&format!("{good}.wav"));
    }
}

/// Mutated real models and sessions: every load answers, never panics, hangs or aborts.
#[test]
fn model_and_session_loaders_never_panic() {
    use emoscope::corpus::Emotion;
    use proptest::test_runner::{Config, TestRunner};
    let tmp = tempfile::tempdir().unwrap();
    let corpus = common::synthetic_on_disk(
        &tmp.path().join("corpus"),
        &[1, 2, 3],
        &[Emotion::Happy, Emotion::Angry],
    );
    let mut texts = Vec::new();
    for family in ["knn", "rf", "logreg", "majority"] {
        let p = tmp.path().join(format!("{family}.ron"));
        common::fit_classic(&corpus, family, false, 2)
            .save(&p)
            .unwrap();
        texts.push(std::fs::read(&p).unwrap());
    }
    let mut session = emoscope::session::Session::default();
    session.history.push(emoscope::session::Classification {
        file: "a.wav".into(),
        model: "models/x.ron".into(),
        emotion: Emotion::Happy,
        probabilities: vec![(Emotion::Happy, 0.75), (Emotion::Angry, 0.25)],
        normalisation: "none".into(),
    });
    let sp = tmp.path().join("s.ron");
    session.save(&sp).unwrap();
    let session_text = std::fs::read(&sp).unwrap();
    let mut runner = TestRunner::new(Config {
        cases: cases(64),
        rng_seed: proptest::test_runner::RngSeed::Fixed(1_188_976),
        ..Config::default()
    });
    let target = tmp.path().join("mutant.ron");
    runner
        .run(
            &(0..texts.len(), proptest::collection::vec(mutation(), 1..4)),
            |(which, muts)| {
                let mut b = texts[which].clone();
                apply(&mut b, &muts);
                std::fs::write(&target, &b).unwrap();
                let _ = emoscope::ml::persist::SavedModel::load(&target);
                let mut s = session_text.clone();
                apply(&mut s, &muts);
                std::fs::write(&target, &s).unwrap();
                let _ = emoscope::session::Session::load(&target);
                Ok(())
            },
        )
        .unwrap();
}

mod common;
