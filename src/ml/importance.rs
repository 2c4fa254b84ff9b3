//! Permutation importance on the held-out folds: how much the pooled test UAR drops when one
//! feature (or one group of features: MFCC, chroma, mel, pitch, voice quality …) is shuffled
//! among a fold's test clips, with every fold's pipeline refitted exactly as the run fitted it.
//!
//! As scikit-learn's `permutation_importance` (Breiman 2001), scored on test folds so it says
//! what the model relies on for clips and speakers it never saw.

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::dataset::{Dataset, gather_rows};
use super::experiment::{ExperimentError, Report};
use super::metrics::Confusion;
use super::search::{Candidate, FittedPipeline, Matrices, fit_pipeline, normalised};
use crate::jobs::CancelToken;
use crate::util::derive_seed;

/// Above this many features, only groups are permuted (one column at a time would take
/// thousands of predictions per fold).
pub const MAX_PER_FEATURE: usize = 1000;

/// Shuffles per feature and fold (the mean drop over them is reported). Default: 3.
pub const DEFAULT_REPEATS: usize = 3;

/// One feature's or group's importance: the drop of pooled test UAR when it is shuffled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ranked {
    pub name: String,
    /// Mean drop over the repeats (baseline UAR − shuffled UAR); negative = noise.
    pub drop: f64,
    /// Standard deviation of the drop over the repeats.
    pub std: f64,
    /// Columns shuffled together (1 for a feature).
    pub columns: usize,
}

/// Permutation importance of a finished run, ranked (largest drop first).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Importance {
    pub repeats: usize,
    pub seed: u64,
    /// Pooled test UAR of the refitted folds, unshuffled (the run's own UAR).
    pub baseline_uar: f64,
    pub groups: Vec<Ranked>,
    /// Empty when the run had more than [`MAX_PER_FEATURE`] features.
    pub features: Vec<Ranked>,
}

/// The group a feature belongs to, from its name: `mfcc_mean_03` → MFCC, `f0_semitone_p50`
/// → pitch, `jitter_local` → voice quality … (the first word otherwise).
pub fn feature_group(name: &str) -> String {
    let n = name.to_ascii_lowercase();
    let has = |p: &[&str]| p.iter().any(|p| n.starts_with(p));
    let group = if has(&["mfcc"]) {
        "MFCC"
    } else if has(&["chroma"]) {
        "chroma"
    } else if has(&["mel"]) {
        "mel"
    } else if has(&["contrast", "spectral_contrast"]) {
        "spectral contrast"
    } else if has(&["f0", "pitch"]) {
        "pitch"
    } else if has(&["jitter", "shimmer", "hnr", "h1", "voicing"]) {
        "voice quality"
    } else if has(&["alpha_ratio", "hammarberg", "slope_"]) {
        "spectral balance"
    } else if has(&["loudness", "rms", "energy"]) {
        "loudness"
    } else if has(&["voiced_", "unvoiced_"]) {
        "rhythm"
    } else {
        return n.split('_').next().unwrap_or("other").to_string();
    };
    group.to_string()
}

/// What is shuffled together: a name and its columns.
struct Unit {
    name: String,
    columns: Vec<usize>,
}

fn units(names: &[String]) -> (Vec<Unit>, Vec<Unit>) {
    let mut groups: Vec<Unit> = Vec::new();
    for (j, n) in names.iter().enumerate() {
        let g = feature_group(n);
        match groups.iter_mut().find(|u| u.name == g) {
            Some(u) => u.columns.push(j),
            None => groups.push(Unit {
                name: g,
                columns: vec![j],
            }),
        }
    }
    let features = if names.len() <= MAX_PER_FEATURE {
        names
            .iter()
            .enumerate()
            .map(|(j, n)| Unit {
                name: n.clone(),
                columns: vec![j],
            })
            .collect()
    } else {
        Vec::new()
    };
    (groups, features)
}

/// The test rows of one fold with `columns` shuffled among them (one permutation of the rows,
/// applied to every column of the unit, so a group keeps its rows' internal structure).
fn shuffled(rows: &[f64], d: usize, columns: &[usize], seed: u64) -> Vec<f64> {
    let n = rows.len() / d.max(1);
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(&mut ChaCha8Rng::seed_from_u64(seed));
    let mut out = rows.to_vec();
    for (i, &from) in order.iter().enumerate() {
        for &c in columns {
            out[i * d + c] = rows[from * d + c];
        }
    }
    out
}

/// One refitted fold: its pipeline, test rows (normalised as the run did) and labels.
struct FoldFit {
    pipeline: FittedPipeline,
    rows: Vec<f64>,
    labels: Vec<usize>,
}

fn refit(
    ds: &Dataset,
    report: &Report,
    cancel: &CancelToken,
) -> Result<Vec<FoldFit>, ExperimentError> {
    let spec = &report.spec;
    let folds = spec.protocol.clone().with_seed(spec.seed).folds(ds)?;
    let (x, enrolled) = normalised(ds, spec);
    let m = Matrices {
        train: &x,
        test: enrolled.as_deref().unwrap_or(&x),
    };
    report
        .folds
        .par_iter()
        .map(|f| {
            if cancel.is_cancelled() {
                return Err(ExperimentError::Cancelled);
            }
            let train = &folds
                .get(f.fold)
                .ok_or_else(|| ExperimentError::Invalid("the run's folds changed".into()))?
                .train;
            let cand = Candidate {
                select: f.select,
                model: f.chosen.clone(),
            };
            let seed = derive_seed(spec.seed, f.fold as u64);
            let pipeline = fit_pipeline(ds, &m, train, &cand, spec.smote_k, seed, true)?;
            Ok(FoldFit {
                pipeline,
                rows: gather_rows(m.test, ds.n_features, &f.test_rows),
                labels: ds.labels(&f.test_rows),
            })
        })
        .collect()
}

/// Pooled UAR over the folds of predictions for each fold's (possibly shuffled) rows.
fn pooled_uar(
    fits: &[FoldFit],
    n_classes: usize,
    rows_of: &dyn Fn(usize, &FoldFit) -> Vec<f64>,
) -> Result<f64, ExperimentError> {
    let mut c = Confusion::new(n_classes);
    for (k, fit) in fits.iter().enumerate() {
        let pred: Vec<usize> = fit
            .pipeline
            .predict(&rows_of(k, fit))?
            .iter()
            .map(|p| p.0)
            .collect();
        c.merge(&Confusion::from_predictions(n_classes, &fit.labels, &pred));
    }
    Ok(c.scores().uar)
}

/// Permutation importance of `report`'s run over `ds` (the run's own dataset: same clips in
/// the same order), `repeats` shuffles each, seeded from the run's seed. `progress(done,
/// total)` counts shuffled units.
pub fn permutation_importance(
    ds: &Dataset,
    report: &Report,
    repeats: usize,
    cancel: &CancelToken,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Importance, ExperimentError> {
    if ds.ids != report.ids {
        return Err(ExperimentError::Invalid(
            "the corpus's clips differ from the run's (reopen the corpus the run used)".into(),
        ));
    }
    let repeats = repeats.max(1);
    let fits = refit(ds, report, cancel)?;
    let n_classes = ds.n_classes();
    let d = ds.n_features;
    let baseline = pooled_uar(&fits, n_classes, &|_, f| f.rows.clone())?;
    let (groups, features) = units(&ds.names);
    let total = groups.len() + features.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let seed = derive_seed(report.spec.seed, 23);
    let rank = |list: &[Unit], salt: u64| -> Result<Vec<Ranked>, ExperimentError> {
        let mut ranked: Vec<Ranked> = list
            .par_iter()
            .enumerate()
            .map(|(u, unit)| {
                if cancel.is_cancelled() {
                    return Err(ExperimentError::Cancelled);
                }
                let drops: Vec<f64> = (0..repeats)
                    .map(|r| {
                        let s = derive_seed(seed, salt + (u * repeats + r) as u64);
                        pooled_uar(&fits, n_classes, &|k, f| {
                            shuffled(&f.rows, d, &unit.columns, derive_seed(s, k as u64))
                        })
                        .map(|uar| baseline - uar)
                    })
                    .collect::<Result<_, _>>()?;
                let n = drops.len() as f64;
                let mean = drops.iter().sum::<f64>() / n;
                let var = drops.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
                let finished = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                progress(finished, total);
                Ok(Ranked {
                    name: unit.name.clone(),
                    drop: mean,
                    std: var.sqrt(),
                    columns: unit.columns.len(),
                })
            })
            .collect::<Result<_, _>>()?;
        ranked.sort_by(|a, b| b.drop.total_cmp(&a.drop));
        Ok(ranked)
    };
    Ok(Importance {
        repeats,
        seed,
        baseline_uar: baseline,
        groups: rank(&groups, 0)?,
        features: rank(&features, 1 << 32)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn features_fall_into_named_groups() {
        assert_eq!(feature_group("mfcc_mean_03"), "MFCC");
        assert_eq!(feature_group("mfcc_voiced_01_mean"), "MFCC");
        assert_eq!(feature_group("chroma_std_11"), "chroma");
        assert_eq!(feature_group("mel_mean_100"), "mel");
        assert_eq!(feature_group("f0_semitone_p50"), "pitch");
        assert_eq!(feature_group("jitter_local"), "voice quality");
        assert_eq!(feature_group("hnr_db_mean"), "voice quality");
        assert_eq!(feature_group("alpha_ratio_mean"), "spectral balance");
        assert_eq!(feature_group("loudness_peaks_per_sec"), "loudness");
        assert_eq!(feature_group("voiced_segment_length_mean"), "rhythm");
        assert_eq!(feature_group("audspec_lengthL1norm_sma_mean"), "audspec");
    }

    #[test]
    fn a_shuffle_moves_whole_rows_of_the_unit_only() {
        let rows = [1.0, 10.0, 100.0, 2.0, 20.0, 200.0, 3.0, 30.0, 300.0];
        let out = shuffled(&rows, 3, &[0, 1], 5);
        let mut col0: Vec<f64> = out.chunks(3).map(|r| r[0]).collect();
        // Columns 0 and 1 move together; column 2 stays.
        for r in out.chunks(3) {
            assert_eq!(r[1], r[0] * 10.0);
        }
        assert_eq!(
            out.chunks(3).map(|r| r[2]).collect::<Vec<_>>(),
            [100.0, 200.0, 300.0]
        );
        col0.sort_by(f64::total_cmp);
        assert_eq!(col0, [1.0, 2.0, 3.0]);
    }
}
