//! Shared test helpers.
#![allow(dead_code)]

use std::path::PathBuf;

/// The real RAVDESS fixtures (`../shared/fixtures/ravdess`), or `None` with a printed reason.
///
/// With `EMOSCOPE_REQUIRE_FIXTURES=1` (set in `.ci/run`) a missing fixture folder fails the
/// test instead of skipping it.
pub fn fixtures() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/ravdess");
    if dir.join("Actor_01").is_dir() {
        return Some(dir);
    }
    let required = std::env::var("EMOSCOPE_REQUIRE_FIXTURES").is_ok_and(|v| v == "1");
    assert!(
        !required,
        "EMOSCOPE_REQUIRE_FIXTURES=1 but the RAVDESS fixtures are missing at {}",
        dir.display()
    );
    eprintln!(
        "SKIPPED: RAVDESS fixtures not found at {} (set EMOSCOPE_REQUIRE_FIXTURES=1 to fail instead)",
        dir.display()
    );
    None
}

/// A small corpus of synthetic clips written as WAV files under `dir`: `actors` × `emotions`
/// (all takes of each), opened as a directory corpus.
pub fn synthetic_on_disk(
    dir: &std::path::Path,
    actors: &[u16],
    emotions: &[emoscope::corpus::Emotion],
) -> emoscope::corpus::Corpus {
    emoscope::cli::write_synthetic(dir, 5, actors, emotions, None).unwrap();
    emoscope::corpus::Corpus::open(
        &emoscope::corpus::CorpusSpec::directory(dir.to_path_buf()),
        &emoscope::audio::LoadOptions::default(),
    )
    .unwrap()
}

/// A classic-preset model of `corpus` fitted as `emoscope train` would (leave-one-speaker-out
/// evaluation, then the final fit on every clip): the default hyperparameters of `family`.
pub fn fit_classic(
    corpus: &emoscope::corpus::Corpus,
    family: &str,
    speaker_norm: bool,
    seed: u64,
) -> emoscope::ml::persist::SavedModel {
    use emoscope::features::extract::{CancelToken, extract_corpus};
    use emoscope::features::{FeatureConfig, Preset};
    let cfg = FeatureConfig::preset(Preset::Classic);
    let table = extract_corpus(corpus, &cfg, None, &CancelToken::new(), &|_, _| {}).unwrap();
    let ds = emoscope::ml::dataset::Dataset::from_table(&table).unwrap();
    let spec = emoscope::ml::experiment::ExperimentSpec {
        grid: emoscope::ml::grid::build_grid(family, &[]).unwrap(),
        protocol: emoscope::ml::protocol::Protocol::Loso,
        smote_k: None,
        speaker_norm,
        inner_folds: 3,
        seed,
        select: Vec::new(),
        enrol: None,
        test_corpus: None,
    };
    let report = emoscope::ml::experiment::run(&ds, &spec, &CancelToken::new(), &|_| {}).unwrap();
    emoscope::ml::persist::train_final(&ds, &spec, &cfg, &report, corpus).unwrap()
}

/// Pearson correlation of two equal-length series.
pub fn pearson(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let cov: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let va: f64 = a.iter().map(|x| (x - ma).powi(2)).sum();
    let vb: f64 = b.iter().map(|y| (y - mb).powi(2)).sum();
    cov / (va * vb).sqrt()
}

/// Ranks (0-based, ties by position), for Spearman's correlation as `pearson(ranks, ranks)`.
pub fn ranks(x: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..x.len()).collect();
    idx.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let mut r = vec![0.0; x.len()];
    for (rank, &i) in idx.iter().enumerate() {
        r[i] = rank as f64;
    }
    r
}

/// The upper median.
pub fn median(x: &[f64]) -> f64 {
    let mut s = x.to_vec();
    s.sort_by(f64::total_cmp);
    s[s.len() / 2]
}

/// The JSON a command printed on stdout, after asserting that it succeeded (its stderr in
/// the failure message).
pub fn json_output(cmd: &mut std::process::Command) -> serde_json::Value {
    let out = cmd.output().expect("the command runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("its stdout is JSON")
}
