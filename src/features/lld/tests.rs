//! Unit tests of `features::lld`.

use super::*;
use crate::audio::SampleEncoding;

#[test]
fn fast_ln_is_close() {
    for x in [1e-20f32, 1e-6, 0.3, 1.0, 2.5, 1000.0, 3e30] {
        assert!(
            (fast_ln(x) - x.ln()).abs() < 2e-5 * x.ln().abs().max(1.0),
            "{x}"
        );
    }
}

#[test]
fn names_match_columns() {
    assert_eq!(lld_names().len(), N_LLD);
    let n = lld_names();
    assert_eq!(n[ALPHA_RATIO], "alpha_ratio");
    assert_eq!(n[F0_SEMITONE], "f0_semitone");
    assert_eq!(n[HNR], "hnr");
    assert_eq!(n[VOICED_ONLY[3]], "shimmer_local");
}

#[test]
fn a_voiced_tone_at_48k() {
    let sr = 48000.0;
    let samples: Vec<f32> = (0..48000)
        .map(|i| {
            let t = i as f64 / sr;
            (1..=10)
                .map(|h| (2.0 * std::f64::consts::PI * 150.0 * h as f64 * t).sin() / h as f64)
                .sum::<f64>() as f32
                * 0.1
        })
        .collect();
    let audio = Audio {
        samples,
        sample_rate: 48000,
        source_rate: 48000,
        source_channels: 1,
        encoding: SampleEncoding::Synthetic,
    };
    let d = descriptors(&audio);
    assert_eq!(d.n_frames, 101);
    let mid = &d.values[50 * N_LLD..51 * N_LLD];
    let st = 12.0 * (150.0f64 / 27.5).log2();
    assert!(
        (f64::from(mid[F0_SEMITONE]) - st).abs() < 0.2,
        "{}",
        mid[F0_SEMITONE]
    );
    // Energy sits low: the centroid is a few hundred Hz, roll-off 50 % at the fundamental.
    let names = lld_names();
    let col = |n: &str| names.iter().position(|x| x == n).unwrap();
    assert!(mid[col("centroid")] < 1000.0, "{}", mid[col("centroid")]);
    assert!((mid[col("rolloff_50")] - 150.0).abs() < 40.0);
    assert!(mid[col("harmonicity")] > 10.0);
    assert!(mid[col("jitter_local")] < 0.01);
    assert!(mid.iter().all(|v| v.is_finite()));
}
