//! An experiment: a protocol's folds, each fitted leakage-safe (scaler, SMOTE and the grid
//! search see training rows only), run on rayon, reporting typed events.

use std::sync::Mutex;
use std::time::Instant;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::dataset::Dataset;
use super::metrics::{Confusion, Scores};
use super::models::{FitError, ModelSpec};
use super::protocol::{Fold, Protocol, ProtocolError};
pub use super::report::{Facet, FoldResult, Report};
use super::search::{Matrices, Search, fit_and_predict, normalised};
use super::smote::SmoteError;
use crate::corpus::Sex;
use crate::jobs::CancelToken;
use crate::util::derive_seed;

/// What to run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExperimentSpec {
    /// Candidate models (one = no search); the grid search picks one per outer fold.
    pub grid: Vec<ModelSpec>,
    pub protocol: Protocol,
    /// SMOTE with this many neighbours on each training set, if set.
    pub smote_k: Option<usize>,
    /// Z-score each actor's clips with that actor's own statistics (label-free).
    pub speaker_norm: bool,
    /// Inner folds (grouped by actor) for the grid search.
    pub inner_folds: usize,
    /// Seeds the protocol, SMOTE and the models.
    pub seed: u64,
    /// Univariate selection: keep the K columns of highest ANOVA F, fitted on each training
    /// fold. Empty = every column; several values are searched with the grid.
    #[serde(default)]
    pub select: Vec<usize>,
    /// With `speaker_norm`: each test speaker's statistics come from this many of their clips
    /// drawn at random (seeded, labels unused) instead of all of them — a realistic enrolment.
    #[serde(default)]
    pub enrol: Option<usize>,
    /// Cross-corpus: the corpus tested on (with [`Protocol::CrossCorpus`]); recorded so a
    /// re-run reads the same one. `None`: the one corpus's own folds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test_corpus: Option<crate::corpus::CorpusSpec>,
}

impl ExperimentSpec {
    /// What a spec read back from a session could hold that the shells' parsers refuse:
    /// each model's hyperparameters ([`super::grid::check_spec`]), the protocol's own
    /// bounds, and selection sizes, SMOTE's k and the enrolment size of at least 1. Names
    /// the field.
    pub fn validate(&self) -> Result<(), String> {
        for (i, m) in self.grid.iter().enumerate() {
            super::grid::check_spec(m).map_err(|e| format!("grid[{i}]: {e}"))?;
        }
        self.protocol
            .check()
            .map_err(|e| format!("protocol: {e}"))?;
        if self.select.contains(&0) {
            return Err("select: 0 features kept (at least 1)".into());
        }
        if self.smote_k == Some(0) {
            return Err("smote_k: 0 neighbours (at least 1)".into());
        }
        if self.enrol == Some(0) {
            return Err("enrol: 0 clips (at least 1)".into());
        }
        Ok(())
    }
}

impl Default for ExperimentSpec {
    /// The default experiment of both shells: the RBF SVM searched over C = 0.1, 1, 10
    /// ([`super::grid::suggested_grid`]) on actor 5-fold, no SMOTE, no normalisation, no
    /// selection, 3 inner folds, seed 0.
    fn default() -> Self {
        let family = super::grid::DEFAULT_FAMILY;
        let settings: Vec<String> = super::grid::suggested_grid(family)
            .split_whitespace()
            .map(String::from)
            .collect();
        let grid = super::grid::build_search(family, &settings)
            .map(|(grid, _)| grid)
            .unwrap_or_else(|_| vec![ModelSpec::Majority]);
        ExperimentSpec {
            grid,
            protocol: Protocol::ActorKFold { k: 5 },
            smote_k: None,
            speaker_norm: false,
            inner_folds: 3,
            seed: 0,
            select: Vec::new(),
            enrol: None,
            test_corpus: None,
        }
    }
}

impl ExperimentSpec {
    /// The pipeline around the model in words, as the shells show it:
    /// "scaler + speaker z (12 enrol clips) + 2000 best + SMOTE(k=5) · seed 0".
    pub fn pipeline_label(&self) -> String {
        let norm = match (self.speaker_norm, self.enrol) {
            (false, _) => String::new(),
            (true, None) => " + speaker z (all clips)".into(),
            (true, Some(n)) => format!(" + speaker z ({n} enrol clips)"),
        };
        let select = match self.select.as_slice() {
            [] => String::new(),
            [k] => format!(" + {k} best"),
            ks => {
                let ks: Vec<String> = ks.iter().map(usize::to_string).collect();
                format!(" + best {}", ks.join("/"))
            }
        };
        let smote = self
            .smote_k
            .map_or(String::new(), |k| format!(" + SMOTE(k={k})"));
        format!("scaler{norm}{select}{smote} · seed {}", self.seed)
    }

    /// Which normalisation the experiment used, in words: "none", "per speaker, all clips",
    /// "per speaker, N enrolment clips".
    pub fn normalisation(&self) -> String {
        match (self.speaker_norm, self.enrol) {
            (false, _) => "none".into(),
            (true, None) => "per speaker, all clips".into(),
            (true, Some(n)) => format!("per speaker, {n} enrolment clips"),
        }
    }
}

/// What a job reports, in order: `Started`, then `Progress` and `FoldDone` as work
/// completes, then exactly one of `Finished`, `Failed`, `Cancelled`.
#[derive(Debug, Clone, PartialEq)]
pub enum JobEvent {
    Started {
        total: usize,
    },
    Progress {
        done: usize,
        total: usize,
        stage: String,
    },
    FoldDone {
        fold: usize,
        of: usize,
        confusion_so_far: Confusion,
        scores_so_far: Scores,
    },
    Finished(Box<Report>),
    Failed(String),
    Cancelled,
}

impl JobEvent {
    /// Whether the job ends with this event (finished, failed or cancelled).
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            JobEvent::Finished(_) | JobEvent::Failed(_) | JobEvent::Cancelled
        )
    }
}

#[derive(Debug, Clone, PartialEq, Error)]
pub enum ExperimentError {
    // Transparent: "{0}" plus #[from]'s source made anyhow print the message twice.
    #[error(transparent)]
    Protocol(#[from] ProtocolError),
    #[error(transparent)]
    Smote(#[from] SmoteError),
    #[error(transparent)]
    Fit(#[from] FitError),
    #[error("no model to train (empty grid)")]
    EmptyGrid,
    #[error("fold {0} has no training rows")]
    EmptyTrain(usize),
    #[error("fold {0} has no test rows (too few clips for the protocol's folds or test fraction)")]
    EmptyTest(usize),
    #[error("cancelled")]
    Cancelled,
    #[error("{0}")]
    Invalid(String),
}

/// Runs an experiment, reporting events; returns the report (also sent as `Finished`).
pub fn run(
    ds: &Dataset,
    spec: &ExperimentSpec,
    cancel: &CancelToken,
    events: &(dyn Fn(JobEvent) + Sync),
) -> Result<Report, ExperimentError> {
    let result = run_inner(ds, spec, cancel, events);
    match &result {
        Ok(r) => events(JobEvent::Finished(Box::new(r.clone()))),
        Err(ExperimentError::Cancelled) => events(JobEvent::Cancelled),
        Err(e) => events(JobEvent::Failed(e.to_string())),
    }
    result
}

/// The spec checked ([`ExperimentSpec::validate`]) and its folds, each with training and
/// test rows (numbered from 1 in the errors).
fn checked_folds(ds: &Dataset, spec: &ExperimentSpec) -> Result<Vec<Fold>, ExperimentError> {
    if spec.grid.is_empty() {
        return Err(ExperimentError::EmptyGrid);
    }
    spec.validate().map_err(ExperimentError::Invalid)?;
    let folds = spec.protocol.clone().with_seed(spec.seed).folds(ds)?;
    for (i, f) in folds.iter().enumerate() {
        if f.train.is_empty() {
            return Err(ExperimentError::EmptyTrain(i + 1));
        }
        if f.test.is_empty() {
            return Err(ExperimentError::EmptyTest(i + 1));
        }
    }
    Ok(folds)
}

fn run_inner(
    ds: &Dataset,
    spec: &ExperimentSpec,
    cancel: &CancelToken,
    events: &(dyn Fn(JobEvent) + Sync),
) -> Result<Report, ExperimentError> {
    libsvm_rs::set_quiet(true);
    let start = Instant::now();
    let folds = checked_folds(ds, spec)?;
    let (x_train, x_enrolled) = normalised(ds, spec);
    let m = Matrices {
        train: &x_train,
        test: x_enrolled.as_deref().unwrap_or(&x_train),
    };
    let search = Search::new(spec);
    let searching = search.searching();
    let per_fold = if searching {
        search.points.len() * spec.inner_folds.max(2) + 1
    } else {
        1
    };
    let total = folds.len() * per_fold;
    events(JobEvent::Started { total });
    // Progress is counted and sent under one lock, so `done` arrives in order.
    let done = Mutex::new(0usize);
    let tick = |stage: String| {
        let mut d = done.lock().unwrap_or_else(|e| e.into_inner());
        *d += 1;
        events(JobEvent::Progress {
            done: *d,
            total,
            stage,
        });
    };
    let so_far = Mutex::new((Confusion::new(ds.n_classes()), 0usize));

    let ctx = FoldContext {
        ds,
        spec,
        m: &m,
        search: &search,
        cancel,
        tick: &tick,
        so_far: &so_far,
        events,
        n_folds: folds.len(),
    };
    let results: Result<Vec<FoldResult>, ExperimentError> = folds
        .par_iter()
        .enumerate()
        .map(|(fi, fold)| run_fold(&ctx, fi, fold))
        .collect();
    let folds = results?;
    let (pooled, by_sex) = pool(ds, &folds);
    Ok(Report {
        spec: spec.clone(),
        classes: ds.classes.clone(),
        ids: ds.ids.clone(),
        scores: pooled.scores(),
        pooled,
        by_sex,
        folds,
        seconds: start.elapsed().as_secs_f64(),
        extract_seconds: 0.0,
        corpus: String::new(),
        normalisation: spec.normalisation(),
        cross_corpus: None,
        importance: None,
    })
}

/// What every outer fold of a run shares.
struct FoldContext<'a> {
    ds: &'a Dataset,
    spec: &'a ExperimentSpec,
    m: &'a Matrices<'a>,
    search: &'a Search<'a>,
    cancel: &'a CancelToken,
    tick: &'a (dyn Fn(String) + Sync),
    /// The pooled matrix and folds finished so far, sent as each fold ends.
    so_far: &'a Mutex<(Confusion, usize)>,
    events: &'a (dyn Fn(JobEvent) + Sync),
    n_folds: usize,
}

/// One outer fold: the search on its training rows (when there is one), the chosen
/// candidate fitted on all of them, its test predictions, and the pooled matrix so far.
fn run_fold(ctx: &FoldContext, fi: usize, fold: &Fold) -> Result<FoldResult, ExperimentError> {
    let ds = ctx.ds;
    let fold_seed = derive_seed(ctx.spec.seed, fi as u64);
    let t0 = Instant::now();
    let (chosen, inner_uar) = if ctx.search.searching() {
        let (c, u) = ctx.search.choose(
            ds,
            ctx.m,
            &fold.train,
            fold_seed,
            ctx.cancel,
            ctx.tick,
            fi + 1,
        )?;
        (c, Some(u))
    } else {
        (ctx.search.only(), None)
    };
    if ctx.cancel.is_cancelled() {
        return Err(ExperimentError::Cancelled);
    }
    let t_fit = Instant::now();
    let pred = fit_and_predict(
        ds,
        ctx.m,
        &fold.train,
        &fold.test,
        &chosen,
        ctx.spec.smote_k,
        fold_seed,
        true,
    )?;
    let final_fit_seconds = t_fit.elapsed().as_secs_f64();
    let predictions: Vec<usize> = pred.iter().map(|p| p.0).collect();
    let confusion =
        Confusion::from_predictions(ds.n_classes(), &ds.labels(&fold.test), &predictions);
    (ctx.tick)(format!("fold {} fitted {}", fi + 1, chosen.model));
    {
        let mut guard = ctx.so_far.lock().unwrap_or_else(|e| e.into_inner());
        guard.0.merge(&confusion);
        guard.1 += 1;
        (ctx.events)(JobEvent::FoldDone {
            fold: fi,
            of: ctx.n_folds,
            confusion_so_far: guard.0.clone(),
            scores_so_far: guard.0.scores(),
        });
    }
    Ok(FoldResult {
        fold: fi,
        scores: confusion.scores(),
        chosen: chosen.model,
        select: chosen.select,
        inner_uar,
        test_rows: fold.test.clone(),
        predictions,
        probabilities: pred.into_iter().map(|p| p.1).collect(),
        confusion,
        fit_seconds: t0.elapsed().as_secs_f64(),
        final_fit_seconds,
    })
}

/// The pooled confusion matrix of all folds and its breakdown by sex.
fn pool(ds: &Dataset, folds: &[FoldResult]) -> (Confusion, Vec<(Sex, Scores)>) {
    let mut pooled = Confusion::new(ds.n_classes());
    for f in folds {
        pooled.merge(&f.confusion);
    }
    let mut by_sex = Vec::new();
    for sex in [Sex::Male, Sex::Female] {
        let mut c = Confusion::new(ds.n_classes());
        for f in folds {
            for (&r, &p) in f.test_rows.iter().zip(&f.predictions) {
                if ds.sex(r) == sex {
                    c.add(ds.y[r], p);
                }
            }
        }
        if c.total() > 0 {
            by_sex.push((sex, c.scores()));
        }
    }
    (pooled, by_sex)
}

/// McNemar and paired fold tests between two reports over the same folds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub accuracy_a: f64,
    pub accuracy_b: f64,
    pub mcnemar_p: f64,
    /// Sign-flip permutation test over per-fold UAR differences.
    pub fold_uar_p: f64,
}

/// Compares two reports made on the same dataset and folds.
pub fn compare(a: &Report, b: &Report) -> Option<Comparison> {
    if a.folds.len() != b.folds.len() || a.ids != b.ids {
        return None;
    }
    let (pa, pb) = (a.predictions(), b.predictions());
    if pa.len() != pb.len() {
        return None;
    }
    let (mut ab, mut ba) = (0u64, 0u64);
    for (x, y) in pa.iter().zip(&pb) {
        if x.0 != y.0 {
            return None;
        }
        let (ra, rb) = (x.1 == x.2, y.1 == y.2);
        if ra && !rb {
            ab += 1;
        } else if !ra && rb {
            ba += 1;
        }
    }
    let mut fa = a.folds.clone();
    let mut fb = b.folds.clone();
    fa.sort_by_key(|f| f.fold);
    fb.sort_by_key(|f| f.fold);
    let diffs: Vec<f64> = fa
        .iter()
        .zip(&fb)
        .map(|(x, y)| x.scores.uar - y.scores.uar)
        .collect();
    Some(Comparison {
        accuracy_a: a.scores.accuracy,
        accuracy_b: b.scores.accuracy,
        mcnemar_p: super::metrics::mcnemar_exact(ab, ba),
        fold_uar_p: super::metrics::paired_permutation(&diffs, a.spec.seed),
    })
}

/// A running experiment: its events arrive on `events`; `cancel` stops it.
pub struct Job {
    pub cancel: CancelToken,
    pub events: std::sync::mpsc::Receiver<JobEvent>,
    handle: std::thread::JoinHandle<()>,
}

impl Job {
    /// Waits for the job's thread to end (the last event has then been sent).
    pub fn join(self) {
        let _ = self.handle.join();
    }
}

/// Starts an experiment on a background thread (its folds and grid points run on the rayon
/// pool) and returns at once; the events come through a channel, ending with exactly one of
/// `Finished`, `Failed` or `Cancelled`.
pub fn spawn(ds: std::sync::Arc<Dataset>, spec: ExperimentSpec) -> Job {
    let (tx, rx) = std::sync::mpsc::channel();
    let cancel = CancelToken::new();
    let token = cancel.clone();
    let handle = std::thread::spawn(move || {
        let tx = Mutex::new(tx);
        let send = |e: JobEvent| {
            // A receiver that went away just stops listening; the job still finishes.
            let _ = tx.lock().unwrap_or_else(|p| p.into_inner()).send(e);
        };
        let _ = run(&ds, &spec, &token, &send);
    });
    Job {
        cancel,
        events: rx,
        handle,
    }
}
