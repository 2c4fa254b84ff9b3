//! Fitting a [`ModelSpec`] into a [`Model`]: one function per engine family (see
//! [`super::models`] for the engines and how each gives probabilities).

use libsvm_rs::{KernelType, SvmParameter, SvmProblem, SvmType};
use rayon::prelude::*;
use smartcore::naive_bayes::gaussian::{GaussianNB, GaussianNBParameters};

use super::forest::{Forest, ForestParams};
use super::models::{
    FitError, FitOptions, Gamma, Kernel, MaxFeatures, Model, ModelSpec, dense, svm_rows,
};

/// Fits `spec` on row-major `x` (`d` columns) with labels `y` in `0..n_classes`, with
/// calibrated probabilities (seed 0).
pub fn fit(
    spec: &ModelSpec,
    x: &[f64],
    y: &[usize],
    d: usize,
    n_classes: usize,
) -> Result<Model, FitError> {
    fit_with(spec, x, y, d, n_classes, FitOptions::default())
}

/// [`fit`] with explicit options.
pub fn fit_with(
    spec: &ModelSpec,
    x: &[f64],
    y: &[usize],
    d: usize,
    n_classes: usize,
    opts: FitOptions,
) -> Result<Model, FitError> {
    if y.is_empty() || d == 0 {
        return Err(FitError::Empty);
    }
    let labels_u32: Vec<u32> = y.iter().map(|&c| c as u32).collect();
    Ok(match spec {
        ModelSpec::Svm { kernel, c, gamma } => {
            fit_svm(*kernel, *c, *gamma, x, y, d, n_classes, opts)?
        }
        ModelSpec::Knn { k, weights, metric } => Model::Knn {
            spec: ((*k).max(1), *weights, *metric),
            x: x.to_vec(),
            y: y.to_vec(),
            d,
            n_classes,
        },
        ModelSpec::RandomForest {
            trees,
            max_depth,
            min_samples_split,
            max_features,
            seed,
        } => {
            let mtry = match max_features {
                MaxFeatures::Sqrt => ((d as f64).sqrt().floor() as usize).max(1),
                MaxFeatures::All => d,
                MaxFeatures::Count(c) => (*c).clamp(1, d),
            };
            let params = ForestParams {
                trees: usize::from(*trees).max(1),
                max_depth: *max_depth,
                min_samples_split: (*min_samples_split).max(2),
                mtry,
                seed: *seed,
            };
            Model::Forest(Forest::fit(x, y, d, n_classes, &params))
        }
        ModelSpec::LogisticRegression { alpha } => {
            let opts = super::logreg::LbfgsOptions {
                c: (*alpha > 0.0).then(|| 1.0 / alpha),
                ..Default::default()
            };
            let model = super::logreg::fit(x, y, d, n_classes, &opts);
            Model::LogReg { model, n_classes }
        }
        ModelSpec::GaussianNb => {
            let m = dense(x, d)?;
            let model = GaussianNB::fit(&m, &labels_u32, GaussianNBParameters::default())
                .map_err(|e| FitError::Engine(e.to_string()))?;
            Model::Nb { model, n_classes }
        }
        ModelSpec::Majority => {
            let mut priors = vec![0.0; n_classes];
            for &c in y {
                priors[c] += 1.0;
            }
            let n = y.len() as f64;
            priors.iter_mut().for_each(|p| *p /= n);
            Model::Majority { priors }
        }
        ModelSpec::Ensemble { members } => fit_ensemble(members, x, y, d, n_classes, opts)?,
    })
}

/// The RBF or linear SVM (libsvm-rs), with Platt probabilities when asked.
#[allow(clippy::too_many_arguments)]
fn fit_svm(
    kernel: Kernel,
    c: f64,
    gamma: Gamma,
    x: &[f64],
    y: &[usize],
    d: usize,
    n_classes: usize,
    opts: FitOptions,
) -> Result<Model, FitError> {
    let gamma = match gamma {
        Gamma::Value(g) => g,
        // scikit-learn's "scale": 1 / (d · var(X)).
        Gamma::Scale => {
            let n = x.len() as f64;
            let mean = x.iter().sum::<f64>() / n;
            let var = x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
            if var > 0.0 {
                1.0 / (d as f64 * var)
            } else {
                1.0
            }
        }
    };
    let param = SvmParameter {
        svm_type: SvmType::CSvc,
        kernel_type: match kernel {
            Kernel::Rbf => KernelType::Rbf,
            Kernel::Linear => KernelType::Linear,
        },
        gamma,
        c,
        cache_size: 200.0,
        eps: 1e-3,
        ..SvmParameter::default()
    };
    param
        .validate()
        .map_err(|e| FitError::Engine(e.to_string()))?;
    let problem = SvmProblem {
        labels: y.iter().map(|&c| c as f64).collect(),
        instances: svm_rows(x, d),
    };
    let mut model = libsvm_rs::train::svm_train(&problem, &param);
    if opts.calibrate {
        platt_calibrate(&mut model, &problem, &param, opts.seed);
    }
    Ok(Model::Svm { model, n_classes })
}

/// A soft vote: every member fitted (in parallel) with calibrated probabilities.
fn fit_ensemble(
    members: &[ModelSpec],
    x: &[f64],
    y: &[usize],
    d: usize,
    n_classes: usize,
    opts: FitOptions,
) -> Result<Model, FitError> {
    if members.is_empty() {
        return Err(FitError::Engine("an ensemble needs members".into()));
    }
    let fitted: Result<Vec<Model>, FitError> = members
        .par_iter()
        .enumerate()
        .map(|(i, m)| {
            let o = FitOptions {
                calibrate: true,
                seed: crate::util::derive_seed(opts.seed, i as u64),
            };
            fit_with(m, x, y, d, n_classes, o)
        })
        .collect();
    Ok(Model::Ensemble {
        members: fitted?,
        n_classes,
    })
}

/// Platt scaling as LIBSVM's `svm_binary_svc_probability` for each class pair of a fitted
/// one-vs-one model: decision values from a 5-fold cross-validation of that pair's binary
/// problem (same C and kernel), then `sigmoid_train`. Fills `prob_a`/`prob_b`.
fn platt_calibrate(
    model: &mut libsvm_rs::SvmModel,
    problem: &SvmProblem,
    param: &SvmParameter,
    seed: u64,
) {
    use rand::SeedableRng;
    use rand::seq::SliceRandom;
    let labels = model.label.clone();
    let k = labels.len();
    let pairs: Vec<(usize, usize)> = (0..k)
        .flat_map(|i| (i + 1..k).map(move |j| (i, j)))
        .collect();
    let fitted: Vec<(f64, f64)> = pairs
        .par_iter()
        .enumerate()
        .map(|(pi, &(i, j))| {
            let rows: Vec<usize> = (0..problem.labels.len())
                .filter(|&r| {
                    let l = problem.labels[r] as i32;
                    l == labels[i] || l == labels[j]
                })
                .collect();
            let sign: Vec<f64> = rows
                .iter()
                .map(|&r| {
                    if problem.labels[r] as i32 == labels[i] {
                        1.0
                    } else {
                        -1.0
                    }
                })
                .collect();
            let l = rows.len();
            let mut perm: Vec<usize> = (0..l).collect();
            let mut rng =
                rand_chacha::ChaCha8Rng::seed_from_u64(crate::util::derive_seed(seed, pi as u64));
            perm.shuffle(&mut rng);
            let folds = 5.min(l.max(1));
            let mut dec = vec![0.0; l];
            for f in 0..folds {
                let (begin, end) = (f * l / folds, (f + 1) * l / folds);
                let train: Vec<usize> = perm[..begin].iter().chain(&perm[end..]).copied().collect();
                let positive = train.iter().filter(|&&t| sign[t] > 0.0).count();
                let held = &perm[begin..end];
                if positive == 0 || positive == train.len() {
                    let v = if train.is_empty() {
                        0.0
                    } else if positive > 0 {
                        1.0
                    } else {
                        -1.0
                    };
                    held.iter().for_each(|&h| dec[h] = v);
                    continue;
                }
                let sub = SvmProblem {
                    labels: train.iter().map(|&t| sign[t]).collect(),
                    instances: train
                        .iter()
                        .map(|&t| problem.instances[rows[t]].clone())
                        .collect(),
                };
                let mut p = param.clone();
                p.probability = false;
                let m = libsvm_rs::train::svm_train(&sub, &p);
                for &h in held {
                    let mut dv = [0.0];
                    libsvm_rs::predict::predict_values(&m, &problem.instances[rows[h]], &mut dv);
                    dec[h] = dv[0] * f64::from(m.label[0]);
                }
            }
            libsvm_rs::probability::sigmoid_train(&dec, &sign)
        })
        .collect();
    model.prob_a = fitted.iter().map(|p| p.0).collect();
    model.prob_b = fitted.iter().map(|p| p.1).collect();
    model.param.probability = true;
}
