//! The classic+contrast (187) vectors of the 360 real fixture clips against librosa's, given in
//! ../shared/fixtures/ravdess/librosa_classic187.csv (librosa 0.11.0, numpy 2.4.6; native
//! 48 kHz float32; chroma from the magnitude STFT with tuning estimated).

mod common;

use emoscope::audio::{self, LoadOptions};
use emoscope::features::{FeatureConfig, Preset, summarise};
use rayon::prelude::*;

/// Relative tolerance per dimension, with an absolute floor for values near zero (MFCC means
/// of high coefficients cross zero; 1e-3 relative of 0.001 is below float32 resolution of the
/// dB spectrogram they average).
const REL: f64 = 1e-3;

fn abs_floor(name: &str) -> f64 {
    if name.starts_with("mfcc") {
        1e-3
    } else if name.starts_with("mel") {
        0.0
    } else {
        1e-4
    }
}

/// A dimension that differs: (name, librosa, emoscope).
type Mismatch = (String, f64, f64);

#[test]
fn classic187_matches_librosa_on_99_percent_of_clips() {
    let Some(dir) = common::fixtures() else {
        return;
    };
    let csv = std::fs::read_to_string(dir.join("librosa_classic187.csv")).unwrap();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let first = header.iter().position(|h| *h == "mfcc_mean_0").unwrap();
    let cfg = FeatureConfig::preset(Preset::ClassicContrast);
    let names = cfg.names();
    assert_eq!(header.len() - first, names.len());
    let rows: Vec<(String, Vec<f64>)> = lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (
                f[0].to_string(),
                f[first..].iter().map(|v| v.parse().unwrap()).collect(),
            )
        })
        .collect();
    assert_eq!(rows.len(), 360);
    let results: Vec<(String, Vec<Mismatch>)> = rows
        .par_iter()
        .map(|(file, expected)| {
            let a = audio::load(&dir.join(file), &LoadOptions::default()).unwrap();
            let got = summarise(&a, &cfg);
            let bad = names
                .iter()
                .zip(expected.iter().zip(&got))
                .filter(|(n, (e, g))| {
                    let diff = (f64::from(**g) - **e).abs();
                    diff > REL * e.abs() && diff > abs_floor(n)
                })
                .map(|(n, (e, g))| (n.clone(), *e, f64::from(*g)))
                .collect();
            (file.clone(), bad)
        })
        .collect();
    let failing: Vec<_> = results.iter().filter(|(_, b)| !b.is_empty()).collect();
    for (file, bad) in &failing {
        eprintln!(
            "{file}: {} dims off, e.g. {:?}",
            bad.len(),
            &bad[..bad.len().min(4)]
        );
    }
    assert!(
        failing.len() * 100 <= 360,
        "{} of 360 clips differ",
        failing.len()
    );
}
