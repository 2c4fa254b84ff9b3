//! The search inside an experiment's training folds: candidates (selection size × model),
//! inner folds grouped by actor, and the one function where a model meets data
//! ([`fit_and_predict`]: selection, scaler and SMOTE fitted on training rows only).

use rayon::prelude::*;

use super::dataset::{Dataset, gather_rows};
use super::experiment::{ExperimentError, ExperimentSpec};
use super::metrics::Confusion;
use super::models::{self, ModelSpec};
use super::protocol::Fold;
use super::scale::{StandardScaler, normalise_per_group, normalise_per_group_enrolled};
use super::select::Selection;
use super::smote::smote;
use crate::jobs::CancelToken;
use crate::util::derive_seed;

/// The feature matrices a fit reads: training rows from `train`, test rows from `test` (the
/// same matrix unless test speakers are normalised with enrolment statistics).
pub(super) struct Matrices<'a> {
    pub train: &'a [f64],
    pub test: &'a [f64],
}

/// One point of the search: a selection size and a model.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Candidate {
    pub select: Option<usize>,
    pub model: ModelSpec,
}

/// A pipeline fitted on one fold's training rows: selection, scaler, model.
pub(super) struct FittedPipeline {
    selection: Option<Selection>,
    scaler: StandardScaler,
    model: models::Model,
    d: usize,
}

impl FittedPipeline {
    /// Predictions (class, probabilities) for rows of the unselected, unscaled matrix.
    pub fn predict(&self, rows: &[f64]) -> Result<Vec<(usize, Vec<f64>)>, ExperimentError> {
        let mut x = match &self.selection {
            Some(sel) => sel.apply(rows),
            None => rows.to_vec(),
        };
        self.scaler.transform(&mut x);
        Ok(self.model.predict(&x, self.d)?)
    }
}

/// Selects columns (fit on `train` only), scales (same), optionally SMOTEs and fits. The one
/// place a model meets data.
pub(super) fn fit_pipeline(
    ds: &Dataset,
    m: &Matrices,
    train: &[usize],
    cand: &Candidate,
    smote_k: Option<usize>,
    seed: u64,
    calibrate: bool,
) -> Result<FittedPipeline, ExperimentError> {
    let d0 = ds.n_features;
    let mut xtr = gather_rows(m.train, d0, train);
    let mut ytr = ds.labels(train);
    let mut d = d0;
    let mut selection = None;
    if let Some(k) = cand.select {
        let sel = Selection::k_best(&xtr, &ytr, d0, ds.n_classes(), k);
        xtr = sel.apply(&xtr);
        d = sel.len();
        selection = Some(sel);
    }
    let scaler = StandardScaler::fit(&xtr, d);
    scaler.transform(&mut xtr);
    if let Some(k) = smote_k {
        let name = |c: usize| ds.classes.get(c).map_or(c.to_string(), |e| e.to_string());
        (xtr, ytr) = smote(&xtr, &ytr, d, k, derive_seed(seed, 7), &name)?;
    }
    let opts = models::FitOptions {
        calibrate,
        seed: derive_seed(seed, 13),
    };
    let model = models::fit_with(
        &cand.model.with_seed(derive_seed(seed, 11)),
        &xtr,
        &ytr,
        d,
        ds.n_classes(),
        opts,
    )?;
    Ok(FittedPipeline {
        selection,
        scaler,
        model,
        d,
    })
}

/// [`fit_pipeline`] on `train`, then its predictions for `test`.
#[allow(clippy::too_many_arguments)]
pub(super) fn fit_and_predict(
    ds: &Dataset,
    m: &Matrices,
    train: &[usize],
    test: &[usize],
    cand: &Candidate,
    smote_k: Option<usize>,
    seed: u64,
    calibrate: bool,
) -> Result<Vec<(usize, Vec<f64>)>, ExperimentError> {
    let fitted = fit_pipeline(ds, m, train, cand, smote_k, seed, calibrate)?;
    fitted.predict(&gather_rows(m.test, ds.n_features, test))
}

/// Inner folds over the training rows, grouped by actor (at most `k`, at least 2 actors).
fn inner_folds(ds: &Dataset, train: &[usize], k: usize) -> Vec<Fold> {
    let mut actors: Vec<u16> = train.iter().map(|&i| ds.actor(i).number()).collect();
    actors.sort_unstable();
    actors.dedup();
    let k = k.min(actors.len());
    if k < 2 {
        return Vec::new();
    }
    (0..k)
        .map(|f| {
            let (test, tr): (Vec<usize>, Vec<usize>) = train.iter().partition(|&&i| {
                actors
                    .iter()
                    .position(|&a| a == ds.actor(i).number())
                    .unwrap_or(0)
                    % k
                    == f
            });
            Fold { train: tr, test }
        })
        .collect()
}

/// UAR of pooled-by-fold predictions: the mean over inner folds of each fold's UAR.
fn mean_inner_uar(ds: &Dataset, inner: &[Fold], preds: &[Vec<usize>]) -> f64 {
    let uars: Vec<f64> = inner
        .iter()
        .zip(preds)
        .map(|(f, p)| {
            Confusion::from_predictions(ds.n_classes(), &ds.labels(&f.test), p)
                .scores()
                .uar
        })
        .collect();
    uars.iter().sum::<f64>() / uars.len().max(1) as f64
}

/// Per inner fold, the predictions with their probabilities (of one candidate).
type Preds = Vec<Vec<(usize, Vec<f64>)>>;

/// The search space of an experiment: selection sizes × models. An ensemble grid is searched
/// member by member: each member's candidates are scored alone, and the ensemble of the best
/// members is scored from their averaged inner-fold probabilities (no extra fits).
pub(super) struct Search<'a> {
    selects: Vec<Option<usize>>,
    /// Candidates fitted and scored on the inner folds.
    pub points: Vec<Candidate>,
    /// For an ensemble: for each member position, the indices into `points` per selection.
    ensemble: Option<Vec<Vec<Vec<usize>>>>,
    spec: &'a ExperimentSpec,
}

impl<'a> Search<'a> {
    pub fn new(spec: &'a ExperimentSpec) -> Search<'a> {
        let selects: Vec<Option<usize>> = if spec.select.is_empty() {
            vec![None]
        } else {
            spec.select.iter().map(|&k| Some(k)).collect()
        };
        let members: Option<Vec<Vec<ModelSpec>>> =
            spec.grid
                .iter()
                .try_fold(Vec::<Vec<ModelSpec>>::new(), |mut acc, g| match g {
                    ModelSpec::Ensemble { members } => {
                        if acc.is_empty() {
                            acc = vec![Vec::new(); members.len()];
                        }
                        if acc.len() != members.len() {
                            return None;
                        }
                        for (slot, m) in acc.iter_mut().zip(members) {
                            if !slot.contains(m) {
                                slot.push(m.clone());
                            }
                        }
                        Some(acc)
                    }
                    _ => None,
                });
        let mut points = Vec::new();
        let ensemble = members.map(|members| {
            members
                .iter()
                .map(|slot| {
                    selects
                        .iter()
                        .map(|&select| {
                            slot.iter()
                                .map(|m| {
                                    points.push(Candidate {
                                        select,
                                        model: m.clone(),
                                    });
                                    points.len() - 1
                                })
                                .collect()
                        })
                        .collect()
                })
                .collect()
        });
        if ensemble.is_none() {
            for &select in &selects {
                for m in &spec.grid {
                    points.push(Candidate {
                        select,
                        model: m.clone(),
                    });
                }
            }
        }
        Search {
            selects,
            points,
            ensemble,
            spec,
        }
    }

    /// Whether there is anything to choose.
    pub fn searching(&self) -> bool {
        self.selects.len() * self.spec.grid.len() > 1
    }

    /// The candidate to fit without a search.
    pub fn only(&self) -> Candidate {
        Candidate {
            select: self.selects[0],
            model: self.spec.grid[0].clone(),
        }
    }

    /// Picks the best candidate on the inner folds of `train`; returns it and its inner UAR.
    #[allow(clippy::too_many_arguments)]
    pub fn choose(
        &self,
        ds: &Dataset,
        m: &Matrices,
        train: &[usize],
        fold_seed: u64,
        cancel: &CancelToken,
        tick: &(dyn Fn(String) + Sync),
        fold_label: usize,
    ) -> Result<(Candidate, f64), ExperimentError> {
        let spec = self.spec;
        let inner = inner_folds(ds, train, spec.inner_folds.max(2));
        let calibrate = self.ensemble.is_some();
        let results: Result<Vec<Preds>, ExperimentError> = self
            .points
            .par_iter()
            .map(|cand| {
                let mut per_fold = Vec::new();
                for (ii, f) in inner.iter().enumerate() {
                    if cancel.is_cancelled() {
                        return Err(ExperimentError::Cancelled);
                    }
                    per_fold.push(fit_and_predict(
                        ds,
                        m,
                        &f.train,
                        &f.test,
                        cand,
                        spec.smote_k,
                        derive_seed(fold_seed, 100 + ii as u64),
                        calibrate,
                    )?);
                    tick(format!("fold {fold_label} search {}", cand.model));
                }
                Ok(per_fold)
            })
            .collect();
        let results = results?;
        let labels = |p: &Preds| -> Vec<Vec<usize>> {
            p.iter().map(|f| f.iter().map(|x| x.0).collect()).collect()
        };
        let score = |i: usize| mean_inner_uar(ds, &inner, &labels(&results[i]));
        let Some(ensemble) = &self.ensemble else {
            let scores: Vec<f64> = (0..self.points.len()).map(score).collect();
            let best = crate::util::argmax(&scores);
            return Ok((self.points[best].clone(), scores[best]));
        };
        Ok(self.best_ensemble(ds, &inner, ensemble, &results, &score))
    }

    /// Ensemble: the best member per slot for each selection size (scored alone), voted
    /// from their inner-fold probabilities; then the best size.
    fn best_ensemble(
        &self,
        ds: &Dataset,
        inner: &[Fold],
        ensemble: &[Vec<Vec<usize>>],
        results: &[Preds],
        score: &dyn Fn(usize) -> f64,
    ) -> (Candidate, f64) {
        let mut options: Vec<(Candidate, f64)> = Vec::new();
        for (si, &select) in self.selects.iter().enumerate() {
            let best: Vec<usize> = ensemble
                .iter()
                .map(|slot| {
                    let idx = &slot[si];
                    let s: Vec<f64> = idx.iter().map(|&i| score(i)).collect();
                    idx[crate::util::argmax(&s)]
                })
                .collect();
            let voted: Vec<Vec<usize>> = (0..inner.len())
                .map(|f| {
                    (0..inner[f].test.len())
                        .map(|r| {
                            let mut p = vec![0.0; ds.n_classes()];
                            for &b in &best {
                                p.iter_mut()
                                    .zip(&results[b][f][r].1)
                                    .for_each(|(a, v)| *a += v);
                            }
                            crate::util::argmax(&p)
                        })
                        .collect()
                })
                .collect();
            let cand = Candidate {
                select,
                model: ModelSpec::Ensemble {
                    members: best.iter().map(|&b| self.points[b].model.clone()).collect(),
                },
            };
            options.push((cand, mean_inner_uar(ds, inner, &voted)));
        }
        let s: Vec<f64> = options.iter().map(|o| o.1).collect();
        options.swap_remove(crate::util::argmax(&s))
    }
}

/// The training and test matrices after per-speaker normalisation (none, all clips, or
/// enrolment clips for the test side).
pub(super) fn normalised(ds: &Dataset, spec: &ExperimentSpec) -> (Vec<f64>, Option<Vec<f64>>) {
    let mut x = ds.x.clone();
    if !spec.speaker_norm {
        return (x, None);
    }
    let groups: Vec<u16> = ds.ids.iter().map(|i| i.actor.number()).collect();
    let enrolled = spec.enrol.map(|n| {
        let mut e = ds.x.clone();
        normalise_per_group_enrolled(
            &mut e,
            ds.n_features,
            &groups,
            n,
            derive_seed(spec.seed, 17),
        );
        e
    });
    normalise_per_group(&mut x, ds.n_features, &groups);
    (x, enrolled)
}
