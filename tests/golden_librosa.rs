//! Frame-level features against librosa 0.11 on the committed clips (tests/golden/clips,
//! made by tests/golden/make_clips.py; reference tests/golden/golden.json, made by
//! tests/golden/make_golden.py — see that script for every parameter).

use std::path::Path;

use emoscope::audio::{self, LoadOptions};
use emoscope::features::analysis::{Analysis, analyse};
use emoscope::features::spectral::chroma_stft;
use emoscope::features::{FeatureConfig, Preset};
use serde_json::Value;

fn golden() -> Value {
    serde_json::from_str(include_str!("golden/golden.json")).unwrap()
}

fn clips() -> Vec<(String, Analysis, Value)> {
    let g = golden();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/clips");
    let cfg = FeatureConfig::preset(Preset::ClassicContrast);
    g["clips"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(name, v)| {
            let a = audio::load(&dir.join(name), &LoadOptions::default()).unwrap();
            assert_eq!(a.samples.len() as u64, v["n_samples"].as_u64().unwrap());
            (name.clone(), analyse(&a, &cfg), v.clone())
        })
        .collect()
}

fn rows(v: &Value) -> Vec<Vec<f64>> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| match r {
            Value::Array(a) => a.iter().map(|x| x.as_f64().unwrap_or(f64::NAN)).collect(),
            x => vec![x.as_f64().unwrap_or(f64::NAN)],
        })
        .collect()
}

/// Largest |got − expected| over a frame-major matrix, checking the shapes agree.
fn max_abs(name: &str, got: &[f64], width: usize, expected: &[Vec<f64>]) -> f64 {
    assert_eq!(got.len(), expected.len() * width, "{name}: shape");
    let mut worst = 0.0f64;
    for (t, row) in expected.iter().enumerate() {
        assert_eq!(row.len(), width, "{name}: width");
        for (k, &e) in row.iter().enumerate() {
            worst = worst.max((got[t * width + k] - e).abs());
        }
    }
    worst
}

fn f64s(x: &[f32]) -> Vec<f64> {
    x.iter().map(|&v| f64::from(v)).collect()
}

#[test]
fn mel_db_and_mfcc_within_1e3_absolute() {
    for (name, a, g) in clips() {
        let e = max_abs("mel_db", &f64s(&a.mel_db), a.n_mels, &rows(&g["mel_db"]));
        eprintln!("{name}: mel dB max error {e:.2e}");
        assert!(e < 1e-3, "{name}: mel dB off by {e}");
        let e = max_abs("mfcc", &f64s(&a.mfcc), a.n_mfcc, &rows(&g["mfcc"]));
        assert!(e < 1e-3, "{name}: mfcc off by {e}");
        let e = max_abs(
            "mfcc_delta",
            &f64s(&a.mfcc_delta),
            a.n_mfcc,
            &rows(&g["mfcc_delta"]),
        );
        assert!(e < 1e-3, "{name}: mfcc delta off by {e}");
    }
}

#[test]
fn chroma_both_tunings_and_contrast_within_1e3() {
    for (name, a, g) in clips() {
        assert!(
            (a.tuning - g["tuning"].as_f64().unwrap()).abs() < 1e-9,
            "{name}: tuning {}",
            a.tuning
        );
        let flat = |c: &[[f32; 12]]| {
            c.iter()
                .flatten()
                .map(|&v| f64::from(v))
                .collect::<Vec<_>>()
        };
        let e = max_abs("chroma", &flat(&a.chroma), 12, &rows(&g["chroma"]));
        assert!(e < 1e-3, "{name}: chroma off by {e}");
        let sr = f64::from(a.sample_rate);
        let c0 = chroma_stft(&a.magnitude, sr, 2048, 0.0);
        let e = max_abs("chroma0", &flat(&c0), 12, &rows(&g["chroma0"]));
        assert!(e < 1e-3, "{name}: chroma (tuning 0) off by {e}");
        let contrast: Vec<f64> = a.contrast.iter().flatten().copied().collect();
        let e = max_abs("contrast", &contrast, 7, &rows(&g["contrast"]));
        assert!(e < 1e-3, "{name}: contrast off by {e}");
    }
}

/// Relative error with a floor, for rows of positive quantities.
fn rel_row(name: &str, got: &[f32], expected: &[Vec<f64>], rel: f64, floor: f64) {
    assert_eq!(got.len(), expected.len(), "{name}: length");
    for (t, (g, e)) in got.iter().zip(expected).enumerate() {
        let (g, e) = (f64::from(*g), e[0]);
        assert!(
            (g - e).abs() <= rel * e.abs() + floor,
            "{name} frame {t}: {g} vs {e}"
        );
    }
}

#[test]
fn spectral_shape_zcr_rms_and_flux_match() {
    for (name, a, g) in clips() {
        let n = |k: &str| format!("{name} {k}");
        rel_row(&n("zcr"), &a.zcr, &rows(&g["zcr"]), 0.0, 1e-7);
        rel_row(&n("rms"), &a.rms, &rows(&g["rms"]), 1e-4, 1e-9);
        rel_row(
            &n("centroid"),
            &a.shape.centroid,
            &rows(&g["centroid"]),
            1e-4,
            1e-3,
        );
        rel_row(
            &n("bandwidth"),
            &a.shape.bandwidth,
            &rows(&g["bandwidth"]),
            1e-4,
            1e-3,
        );
        rel_row(
            &n("rolloff"),
            &a.shape.rolloff,
            &rows(&g["rolloff"]),
            1e-6,
            1e-3,
        );
        rel_row(
            &n("flatness"),
            &a.shape.flatness,
            &rows(&g["flatness"]),
            1e-3,
            1e-9,
        );
        rel_row(&n("flux"), &a.flux, &rows(&g["flux"]), 1e-3, 1e-4);
    }
}

#[test]
fn yin_f0_within_half_a_percent() {
    for (name, a, g) in clips() {
        let expected = rows(&g["yin"]);
        assert_eq!(a.yin.len(), expected.len());
        for (t, (got, e)) in a.yin.iter().zip(&expected).enumerate() {
            assert!(
                (got - e[0]).abs() <= 0.005 * e[0],
                "{name} frame {t}: {got} vs {}",
                e[0]
            );
        }
    }
}

#[test]
fn pyin_voicing_and_f0_match() {
    for (name, a, g) in clips() {
        let f0 = rows(&g["pyin_f0"]);
        let voiced: Vec<bool> = g["pyin_voiced"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_bool().unwrap())
            .collect();
        let prob = rows(&g["pyin_prob"]);
        assert_eq!(a.pyin.voiced, voiced, "{name}: voicing");
        for (t, (got, e)) in a.pyin.f0.iter().zip(&f0).enumerate() {
            match got {
                Some(hz) => assert!(
                    (hz - e[0]).abs() <= 0.005 * e[0],
                    "{name} frame {t}: {hz} vs {}",
                    e[0]
                ),
                None => assert!(e[0].is_nan(), "{name} frame {t}"),
            }
        }
        for (t, (got, e)) in a.pyin.voiced_prob.iter().zip(&prob).enumerate() {
            assert!(
                (got - e[0]).abs() < 1e-3,
                "{name} frame {t}: prob {got} vs {}",
                e[0]
            );
        }
    }
}

#[test]
fn classic_summary_vectors_within_1e4_relative() {
    let g = golden();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/clips");
    let cfg = FeatureConfig::preset(Preset::ClassicContrast);
    let names = cfg.names();
    for (name, v) in g["clips"].as_object().unwrap() {
        let a = audio::load(&dir.join(name), &LoadOptions::default()).unwrap();
        let got = emoscope::features::summarise(&a, &cfg);
        let expected: Vec<f64> = v["classic187"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect();
        assert_eq!(got.len(), expected.len());
        for ((n, &g), &e) in names.iter().zip(&got).zip(&expected) {
            // MFCC means near zero are compared absolutely (float32 dB resolution).
            let tol = if n.starts_with("mfcc") {
                1e-4 * e.abs().max(1.0)
            } else {
                1e-4 * e.abs() + 1e-12
            };
            assert!((f64::from(g) - e).abs() <= tol, "{name} {n}: {g} vs {e}");
        }
    }
}
