//! Classifiers: one enum of specifications with their hyperparameters, fitted on scaled rows.
//!
//! Engines (measured in ../shared/NOTES.md): the SVM is libsvm-rs (a pure-Rust LIBSVM, the
//! library scikit-learn's SVC wraps; one-vs-one); the random forest is our own CART forest,
//! trees grown in parallel (see [`super::forest`] for why not smartcore's); k-NN is a
//! brute-force search over a contiguous matrix, parallel over query rows; logistic regression
//! is our own L-BFGS ([`super::logreg`]; smartcore's was ~60× slower than scikit-learn and
//! gave no probabilities); Gaussian naive Bayes is smartcore's; the majority class is the floor.
//!
//! Class probabilities: SVM — Platt scaling as LIBSVM's `-b 1` (a sigmoid per class pair
//! fitted on decision values of an internal 5-fold cross-validation, the pairs coupled by
//! Wu, Lin & Weng's method); our folds are drawn from a seeded stream where LIBSVM uses the C
//! library's `rand()`. The predicted class stays LIBSVM's one-vs-one vote, so it can differ
//! from the most probable class on near ties, as in LIBSVM. Without calibration
//! ([`FitOptions::calibrate`] false: inner folds of a grid search that only need votes) the
//! share of votes each class won;
//! k-NN — the (distance-weighted) share of the k neighbours; forest — the mean of the trees'
//! leaf class distributions (scikit-learn's `predict_proba`);
//! logistic regression — the softmax; naive Bayes — 1 for the predicted class (smartcore 0.7
//! exposes no probabilities); majority — the training class frequencies.

use std::fmt;

use libsvm_rs::SvmNode;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use smartcore::linalg::basic::matrix::DenseMatrix;
use smartcore::naive_bayes::gaussian::GaussianNB;
use thiserror::Error;

pub use super::fit::{fit, fit_with};
use super::forest::Forest;
use crate::util::argmax;

/// SVM kernel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kernel {
    Rbf,
    Linear,
}

/// RBF gamma: scikit-learn's "scale" = 1 / (n_features · Var(X)), or a value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Gamma {
    Scale,
    Value(f64),
}

/// k-NN vote weighting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Weights {
    Uniform,
    Distance,
}

/// k-NN distance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Metric {
    Euclidean,
    Manhattan,
}

/// Features tried at each forest split.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MaxFeatures {
    Sqrt,
    All,
    Count(usize),
}

/// A model and its hyperparameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ModelSpec {
    Svm {
        kernel: Kernel,
        c: f64,
        gamma: Gamma,
    },
    Knn {
        k: usize,
        weights: Weights,
        metric: Metric,
    },
    RandomForest {
        trees: u16,
        max_depth: Option<u16>,
        min_samples_split: usize,
        max_features: MaxFeatures,
        seed: u64,
    },
    /// Multinomial, L2: `alpha` is the penalty on the summed loss, `1/C` in scikit-learn's
    /// terms (0 = unpenalised).
    LogisticRegression {
        alpha: f64,
    },
    GaussianNb,
    Majority,
    /// Soft vote: the mean of the members' class probabilities.
    Ensemble {
        members: Vec<ModelSpec>,
    },
}

impl ModelSpec {
    /// The model family's short name (`svm`, `knn`, `rf`, `logreg`, `nb`, `majority`).
    pub fn family(&self) -> &'static str {
        match self {
            ModelSpec::Svm { .. } => "svm",
            ModelSpec::Knn { .. } => "knn",
            ModelSpec::RandomForest { .. } => "rf",
            ModelSpec::LogisticRegression { .. } => "logreg",
            ModelSpec::GaussianNb => "nb",
            ModelSpec::Majority => "majority",
            ModelSpec::Ensemble { .. } => "ensemble",
        }
    }

    /// Whether fitting grows about with the square of the clips (an SVM's solver, or an
    /// ensemble holding one) rather than linearly.
    pub fn grows_quadratically(&self) -> bool {
        match self {
            ModelSpec::Svm { .. } => true,
            ModelSpec::Ensemble { members } => members.iter().any(ModelSpec::grows_quadratically),
            _ => false,
        }
    }

    /// The same spec with its random seed (if it has one) replaced.
    pub fn with_seed(&self, seed: u64) -> ModelSpec {
        match self {
            ModelSpec::RandomForest {
                trees,
                max_depth,
                min_samples_split,
                max_features,
                ..
            } => ModelSpec::RandomForest {
                trees: *trees,
                max_depth: *max_depth,
                min_samples_split: *min_samples_split,
                max_features: *max_features,
                seed,
            },
            ModelSpec::Ensemble { members } => ModelSpec::Ensemble {
                members: members
                    .iter()
                    .enumerate()
                    .map(|(i, m)| m.with_seed(crate::util::derive_seed(seed, i as u64)))
                    .collect(),
            },
            other => other.clone(),
        }
    }
}

impl fmt::Display for ModelSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelSpec::Svm { kernel, c, gamma } => {
                let g = match gamma {
                    Gamma::Scale => "scale".to_string(),
                    Gamma::Value(v) => format!("{v}"),
                };
                write!(f, "SVM {kernel:?} C={c} gamma={g}")
            }
            ModelSpec::Knn { k, weights, metric } => write!(f, "KNN k={k} {weights:?} {metric:?}"),
            ModelSpec::RandomForest {
                trees,
                max_depth,
                min_samples_split,
                max_features,
                ..
            } => {
                let d = max_depth.map_or("none".to_string(), |d| d.to_string());
                write!(
                    f,
                    "RF trees={trees} depth={d} split={min_samples_split} features={max_features:?}"
                )
            }
            // Shown as C (= 1/alpha), the key the grid is typed with (`c=0.1`).
            ModelSpec::LogisticRegression { alpha } if *alpha > 0.0 => {
                write!(f, "LogReg C={}", 1.0 / alpha)
            }
            ModelSpec::LogisticRegression { .. } => write!(f, "LogReg unpenalised"),
            ModelSpec::GaussianNb => f.write_str("GaussianNB"),
            ModelSpec::Majority => f.write_str("majority class"),
            ModelSpec::Ensemble { members } => {
                f.write_str("soft vote of ")?;
                for (i, m) in members.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" + ")?;
                    }
                    write!(f, "{m}")?;
                }
                Ok(())
            }
        }
    }
}

/// Training failed.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum FitError {
    #[error("no training rows")]
    Empty,
    #[error("{0}")]
    Engine(String),
}

/// A fitted classifier over classes `0..n_classes`.
#[derive(Debug, Serialize, Deserialize)]
pub enum Model {
    Svm {
        #[serde(with = "super::packed_svm")]
        model: libsvm_rs::SvmModel,
        n_classes: usize,
    },
    Knn {
        spec: (usize, Weights, Metric),
        x: Vec<f64>,
        y: Vec<usize>,
        d: usize,
        n_classes: usize,
    },
    Forest(Forest),

    LogReg {
        model: super::logreg::LogisticModel,
        n_classes: usize,
    },
    Nb {
        model: GaussianNB<f64, u32, DenseMatrix<f64>, Vec<u32>>,
        n_classes: usize,
    },
    Majority {
        priors: Vec<f64>,
    },
    Ensemble {
        members: Vec<Model>,
        n_classes: usize,
    },
}

/// How a model is fitted beyond its hyperparameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FitOptions {
    /// Calibrated SVM probabilities (Platt scaling; ~5× the SVM's fit time).
    pub calibrate: bool,
    /// Seeds the calibration's internal folds.
    pub seed: u64,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions {
            calibrate: true,
            seed: 0,
        }
    }
}

pub(super) fn dense(x: &[f64], d: usize) -> Result<DenseMatrix<f64>, FitError> {
    DenseMatrix::new(x.len() / d.max(1), d, x.to_vec(), false)
        .map_err(|e| FitError::Engine(e.to_string()))
}

pub(super) fn svm_rows(x: &[f64], d: usize) -> Vec<Vec<SvmNode>> {
    x.chunks_exact(d)
        .map(|r| {
            r.iter()
                .enumerate()
                .map(|(i, &v)| SvmNode {
                    index: i as i32 + 1,
                    value: v,
                })
                .collect()
        })
        .collect()
}

/// Predicted classes of a smartcore model, each with a one-hot probability vector.
fn one_hots(
    pred: Result<Vec<u32>, smartcore::error::Failed>,
    n: usize,
) -> Result<Vec<(usize, Vec<f64>)>, FitError> {
    let pred = pred.map_err(|e| FitError::Engine(e.to_string()))?;
    Ok(pred
        .iter()
        .map(|&c| (c as usize, one_hot(n, c as usize)))
        .collect())
}

fn one_hot(n: usize, c: usize) -> Vec<f64> {
    let mut v = vec![0.0; n];
    if c < n {
        v[c] = 1.0;
    }
    v
}

impl Model {
    pub fn n_classes(&self) -> usize {
        match self {
            Model::Svm { n_classes, .. }
            | Model::Knn { n_classes, .. }
            | Model::LogReg { n_classes, .. }
            | Model::Nb { n_classes, .. } => *n_classes,
            Model::Forest(f) => f.n_classes,
            Model::Majority { priors } => priors.len(),
            Model::Ensemble { n_classes, .. } => *n_classes,
        }
    }

    /// Predicted class and class probabilities for each row (parallel over rows).
    pub fn predict(&self, x: &[f64], d: usize) -> Result<Vec<(usize, Vec<f64>)>, FitError> {
        let n = self.n_classes();
        match self {
            Model::Svm { model, .. } => {
                let rows = svm_rows(x, d);
                Ok(rows
                    .par_iter()
                    .map(|r| {
                        let label = libsvm_rs::predict::predict(model, r).round() as usize;
                        if let Some((_, p)) = libsvm_rs::predict::predict_probability(model, r) {
                            let mut probs = vec![0.0; n];
                            for (&l, v) in model.labels().iter().zip(p) {
                                if let Some(o) = probs.get_mut(l as usize) {
                                    *o = v;
                                }
                            }
                            return (label, probs);
                        }
                        let mut dec = vec![0.0; n * (n - 1) / 2];
                        libsvm_rs::predict::predict_values(model, r, &mut dec);
                        (label, ovo_vote_share(model.labels(), &dec, n))
                    })
                    .collect())
            }
            Model::Knn {
                spec,
                x: train,
                y,
                d: dt,
                ..
            } => Ok(x
                .par_chunks(d)
                .map(|q| {
                    let p = knn_proba(q, train, y, *dt, n, *spec);
                    (argmax(&p), p)
                })
                .collect()),
            Model::Forest(forest) => Ok(x
                .par_chunks(d)
                .map(|row| {
                    let p = forest.proba(row);
                    (argmax(&p), p)
                })
                .collect()),
            Model::LogReg { model, .. } => Ok(x
                .par_chunks(d)
                .map(|row| {
                    let p = model.proba(row);
                    (argmax(&p), p)
                })
                .collect()),
            Model::Nb { model, .. } => one_hots(model.predict(&dense(x, d)?), n),
            Model::Majority { priors } => {
                let c = argmax(priors);
                Ok((0..x.len() / d).map(|_| (c, priors.clone())).collect())
            }
            Model::Ensemble { members, .. } => {
                let mut mean = vec![vec![0.0; n]; x.len() / d.max(1)];
                for m in members {
                    for (acc, (_, p)) in mean.iter_mut().zip(m.predict(x, d)?) {
                        acc.iter_mut().zip(&p).for_each(|(a, v)| *a += v);
                    }
                }
                let k = members.len().max(1) as f64;
                Ok(mean
                    .into_iter()
                    .map(|mut p| {
                        p.iter_mut().for_each(|v| *v /= k);
                        (argmax(&p), p)
                    })
                    .collect())
            }
        }
    }
}

/// Share of one-vs-one votes per class from LIBSVM decision values (pairs in label order).
fn ovo_vote_share(labels: &[i32], dec: &[f64], n: usize) -> Vec<f64> {
    let mut votes = vec![0.0; n];
    let mut p = 0;
    for i in 0..labels.len() {
        for j in i + 1..labels.len() {
            let winner = if dec.get(p).copied().unwrap_or(0.0) > 0.0 {
                labels[i]
            } else {
                labels[j]
            };
            if let Some(v) = votes.get_mut(winner as usize) {
                *v += 1.0;
            }
            p += 1;
        }
    }
    let total: f64 = votes.iter().sum();
    if total > 0.0 {
        votes.iter_mut().for_each(|v| *v /= total);
    }
    votes
}

/// k-NN class probabilities of one query: the k nearest training rows by (distance, index);
/// uniform votes, or weights 1/distance (exact matches take all the weight), as scikit-learn.
fn knn_proba(
    q: &[f64],
    x: &[f64],
    y: &[usize],
    d: usize,
    n: usize,
    spec: (usize, Weights, Metric),
) -> Vec<f64> {
    let (k, weights, metric) = spec;
    let mut dist: Vec<(f64, usize)> = x
        .chunks_exact(d)
        .enumerate()
        .map(|(i, r)| {
            let s = match metric {
                Metric::Euclidean => r
                    .iter()
                    .zip(q)
                    .map(|(a, b)| (a - b) * (a - b))
                    .sum::<f64>()
                    .sqrt(),
                Metric::Manhattan => r.iter().zip(q).map(|(a, b)| (a - b).abs()).sum::<f64>(),
            };
            (s, i)
        })
        .collect();
    let k = k.min(dist.len());
    if k == 0 {
        return vec![0.0; n];
    }
    let cmp = |a: &(f64, usize), b: &(f64, usize)| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1));
    if k < dist.len() {
        dist.select_nth_unstable_by(k - 1, cmp);
    }
    let near = &mut dist[..k];
    near.sort_by(cmp);
    let mut p = vec![0.0; n];
    let exact = near.iter().any(|(s, _)| *s == 0.0);
    for &(s, i) in near.iter() {
        let w = match weights {
            Weights::Uniform => 1.0,
            Weights::Distance if exact => {
                if s == 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
            Weights::Distance => 1.0 / s,
        };
        p[y[i]] += w;
    }
    let total: f64 = p.iter().sum();
    if total > 0.0 {
        p.iter_mut().for_each(|v| *v /= total);
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two well-separated blobs per class in 2-D.
    fn blobs() -> (Vec<f64>, Vec<usize>) {
        let mut x = Vec::new();
        let mut y = Vec::new();
        for c in 0..3usize {
            for i in 0..20 {
                let a = i as f64 * 0.05;
                x.extend([c as f64 * 5.0 + a.sin(), c as f64 * -3.0 + a.cos()]);
                y.push(c);
            }
        }
        (x, y)
    }

    #[test]
    fn every_model_learns_separable_blobs() {
        let (x, y) = blobs();
        let specs = [
            ModelSpec::Svm {
                kernel: Kernel::Rbf,
                c: 1.0,
                gamma: Gamma::Scale,
            },
            ModelSpec::Svm {
                kernel: Kernel::Linear,
                c: 1.0,
                gamma: Gamma::Scale,
            },
            ModelSpec::Knn {
                k: 3,
                weights: Weights::Uniform,
                metric: Metric::Euclidean,
            },
            ModelSpec::Knn {
                k: 3,
                weights: Weights::Distance,
                metric: Metric::Manhattan,
            },
            ModelSpec::RandomForest {
                trees: 20,
                max_depth: None,
                min_samples_split: 2,
                max_features: MaxFeatures::Sqrt,
                seed: 1,
            },
            ModelSpec::LogisticRegression { alpha: 0.0 },
            ModelSpec::GaussianNb,
        ];
        for spec in specs {
            let m = fit(&spec, &x, &y, 2, 3).unwrap();
            let pred = m.predict(&x, 2).unwrap();
            let acc = pred.iter().zip(&y).filter(|(p, t)| p.0 == **t).count();
            assert_eq!(acc, y.len(), "{spec}");
            for (_, p) in &pred {
                assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-9, "{spec}: {p:?}");
            }
        }
        let m = fit(&ModelSpec::Majority, &x, &y[..], 2, 3).unwrap();
        assert_eq!(m.predict(&x[..2], 2).unwrap()[0].1, vec![1.0 / 3.0; 3]);
    }

    #[test]
    fn knn_breaks_vote_ties_towards_the_lower_class() {
        // Query at 0: neighbours at distance 1 of class 1 and class 0 — a 1-1 tie.
        let x = [1.0, -1.0];
        let y = [1, 0];
        let m = fit(
            &ModelSpec::Knn {
                k: 2,
                weights: Weights::Uniform,
                metric: Metric::Euclidean,
            },
            &x,
            &y,
            1,
            2,
        )
        .unwrap();
        assert_eq!(m.predict(&[0.0], 1).unwrap()[0].0, 0);
    }
}
