//! What a finished experiment says: the [`Report`] (per-fold results, pooled scores, by
//! sex, timing, corpus), its breakdowns by a [`Facet`] of the clips, and chance levels.

use serde::{Deserialize, Serialize};

use super::experiment::ExperimentSpec;
use super::metrics::{Confusion, Scores};
use super::models::ModelSpec;
use crate::corpus::{ClipId, Emotion, Sex};

/// What a report can be broken down by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Facet {
    Actor,
    Sex,
    Intensity,
    Statement,
}

impl Facet {
    pub const ALL: [Facet; 4] = [Facet::Actor, Facet::Sex, Facet::Intensity, Facet::Statement];

    pub fn name(self) -> &'static str {
        match self {
            Facet::Actor => "actor",
            Facet::Sex => "sex",
            Facet::Intensity => "intensity",
            Facet::Statement => "statement",
        }
    }

    /// The clip's group: a sort key and its name ("03 (M)", "female", "strong", "dogs").
    fn of(self, id: &ClipId) -> (u16, String) {
        match self {
            Facet::Actor => {
                let sex = if id.sex() == Sex::Male { "M" } else { "F" };
                (id.actor.number(), format!("{} ({sex})", id.actor))
            }
            Facet::Sex => (u16::from(id.sex() == Sex::Female), id.sex().to_string()),
            Facet::Intensity => (u16::from(id.intensity.code()), id.intensity.to_string()),
            Facet::Statement => (
                u16::from(id.statement.ravdess_code().unwrap_or(u8::MAX)),
                id.statement.to_string(),
            ),
        }
    }
}

/// One outer fold's outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FoldResult {
    pub fold: usize,
    pub chosen: ModelSpec,
    /// Columns kept by the selection (None = all).
    #[serde(default)]
    pub select: Option<usize>,
    /// Mean inner-fold UAR of the chosen model (None without a search).
    pub inner_uar: Option<f64>,
    pub test_rows: Vec<usize>,
    pub predictions: Vec<usize>,
    pub probabilities: Vec<Vec<f64>>,
    pub confusion: Confusion,
    pub scores: Scores,
    /// The search and the fit together.
    pub fit_seconds: f64,
    /// The chosen candidate's fit on the fold's training rows alone (with calibration, as
    /// the final model is fitted), and its test predictions; 0 when unknown (older sessions).
    #[serde(default)]
    pub final_fit_seconds: f64,
}

/// The finished experiment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub spec: ExperimentSpec,
    pub classes: Vec<Emotion>,
    pub ids: Vec<ClipId>,
    pub folds: Vec<FoldResult>,
    /// All folds' test predictions pooled.
    pub pooled: Confusion,
    pub scores: Scores,
    pub by_sex: Vec<(Sex, Scores)>,
    /// Training time: the folds, searches and fits (not feature extraction).
    pub seconds: f64,
    /// Feature extraction (or reading the cache) before the experiment, as the caller
    /// measured it; 0 when unknown.
    #[serde(default)]
    pub extract_seconds: f64,
    /// The corpus the features came from, as the caller named it ("" when unknown).
    #[serde(default)]
    pub corpus: String,
    /// [`ExperimentSpec::normalisation`], for readers of the JSON.
    #[serde(default)]
    pub normalisation: String,
    /// For a cross-corpus run: the two corpora and the classes they share.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cross_corpus: Option<super::cross::CrossCorpus>,
    /// Permutation importance on the held-out folds, once computed (`--importance`, or `I`
    /// in the Train pane).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub importance: Option<super::importance::Importance>,
}

impl Report {
    /// Scores of the pooled test predictions split by a facet of the clips (each actor, each
    /// intensity, each statement, each sex): (group, scores, clips), groups in order.
    pub fn breakdown(&self, facet: Facet) -> Vec<(String, Scores, usize)> {
        let mut groups: std::collections::BTreeMap<(u16, String), Confusion> = Default::default();
        for (row, truth, pred) in self.predictions() {
            let Some(id) = self.ids.get(row) else {
                continue;
            };
            let key = facet.of(id);
            groups
                .entry(key)
                .or_insert_with(|| Confusion::new(self.classes.len()))
                .add(truth, pred);
        }
        groups
            .into_iter()
            .map(|((_, name), c)| (name, c.scores(), c.total() as usize))
            .collect()
    }

    /// A clip's test prediction: (true class, predicted class, probabilities — empty when
    /// the report no longer holds them).
    pub fn prediction_of(&self, id: &ClipId) -> Option<(Emotion, Emotion, Vec<f64>)> {
        let row = self.ids.iter().position(|i| i == id)?;
        self.folds.iter().find_map(|f| {
            let k = f.test_rows.iter().position(|&r| r == row)?;
            let pred = *self.classes.get(*f.predictions.get(k)?)?;
            let probs = f.probabilities.get(k).cloned().unwrap_or_default();
            Some((id.emotion, pred, probs))
        })
    }

    /// UAR by chance: 1 / classes (also what always predicting one class scores).
    pub fn chance_uar(&self) -> f64 {
        1.0 / self.classes.len().max(1) as f64
    }

    /// Accuracy of always predicting the most frequent class of the evaluated clips.
    pub fn majority_accuracy(&self) -> f64 {
        let c = &self.pooled;
        let rows = (0..c.n).map(|t| (0..c.n).map(|p| c.get(t, p)).sum::<u64>());
        rows.max().unwrap_or(0) as f64 / c.total().max(1) as f64
    }

    /// "features 1.2 s + training 3.3 s = 4.5 s" (training alone when extraction is unknown).
    pub fn timing(&self) -> String {
        if self.extract_seconds > 0.0 {
            format!(
                "features {:.1} s + training {:.1} s = {:.1} s",
                self.extract_seconds,
                self.seconds,
                self.extract_seconds + self.seconds
            )
        } else {
            format!("training {:.1} s", self.seconds)
        }
    }

    /// How long fitting the final model on `n_clips` clips should take, from the folds'
    /// fits of the same model ([`FoldResult::final_fit_seconds`], of the folds that chose
    /// the pipeline saved ([`Report::most_chosen`]), else of all): their mean, scaled by `n_clips` over the fold's
    /// training clips to the power 2 for an SVM (its solver grows about quadratically) and 1
    /// otherwise, divided by how many folds shared the cores ([`Report::fold_overlap`]).
    /// `None` when no fold's time is known.
    pub fn final_fit_estimate(&self, n_clips: usize) -> Option<std::time::Duration> {
        let timed = |f: &&FoldResult| f.final_fit_seconds.is_finite() && f.final_fit_seconds > 0.0;
        let most = self.most_chosen();
        let same: Vec<&FoldResult> = self
            .folds
            .iter()
            .filter(timed)
            .filter(|f| Some((f.select, &f.chosen)) == most)
            .collect();
        let folds = if same.is_empty() {
            self.folds.iter().filter(timed).collect()
        } else {
            same
        };
        let model = folds.first()?.chosen.clone();
        let n = folds.len() as f64;
        let mean = folds.iter().map(|f| f.final_fit_seconds).sum::<f64>() / n;
        let train = folds
            .iter()
            .map(|f| self.ids.len().saturating_sub(f.test_rows.len()) as f64)
            .sum::<f64>()
            / n;
        let power = if model.grows_quadratically() {
            2.0
        } else {
            1.0
        };
        let scale = (n_clips as f64 / train.max(1.0)).powf(power);
        std::time::Duration::try_from_secs_f64(mean * scale / self.fold_overlap()).ok()
    }

    /// How many folds ran at once on average: the folds' summed times over the run's wall
    /// time, between 1 and the cores there are. Folds that shared the cores each took longer
    /// than the final fit, which runs alone, will.
    fn fold_overlap(&self) -> f64 {
        let sum: f64 = self.folds.iter().map(|f| f.fit_seconds).sum();
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
        let overlap = sum / self.seconds;
        if overlap.is_finite() {
            overlap.clamp(1.0, cores)
        } else {
            1.0
        }
    }

    /// The (selection, model) pair chosen most often across the outer folds, the earliest in
    /// fold order on ties: what the final model is fitted with. `None` without folds.
    pub fn most_chosen(&self) -> Option<(Option<usize>, &ModelSpec)> {
        let keys = || self.folds.iter().map(|f| (f.select, &f.chosen));
        let count = |k: (Option<usize>, &ModelSpec)| keys().filter(|&o| o == k).count();
        let best = keys().map(count).max()?;
        keys().find(|&k| count(k) == best)
    }

    /// "chance: UAR 0.125 (8 classes), accuracy 0.133 (majority class)".
    pub fn chance(&self) -> String {
        format!(
            "chance: UAR {:.3} ({} classes), accuracy {:.3} (majority class)",
            self.chance_uar(),
            self.classes.len(),
            self.majority_accuracy()
        )
    }

    /// (row, truth, prediction) over all folds.
    pub fn predictions(&self) -> Vec<(usize, usize, usize)> {
        let mut v: Vec<(usize, usize, usize)> = Vec::new();
        for f in &self.folds {
            for (&r, &p) in f.test_rows.iter().zip(&f.predictions) {
                v.push((r, self.truth(r), p));
            }
        }
        v.sort_unstable();
        v
    }

    /// Checks a report read back from a file (a session): every matrix `k × k` for its `k`
    /// classes, every row index within `ids`, every prediction a class, as many predictions
    /// as test rows. Names the part that is off. (A report only the program wrote passes.)
    pub fn validate(&self) -> Result<(), String> {
        let k = self.classes.len();
        if k == 0 {
            return Err("classes: none".into());
        }
        let matrix = |at: &str, c: &Confusion| {
            if c.n == k && c.counts.len() == k * k {
                Ok(())
            } else {
                Err(format!(
                    "{at}: a {n} × {n} matrix of {} counts for {k} classes",
                    c.counts.len(),
                    n = c.n
                ))
            }
        };
        matrix("pooled", &self.pooled)?;
        for (i, f) in self.folds.iter().enumerate() {
            matrix(&format!("folds[{i}].confusion"), &f.confusion)?;
            if f.test_rows.len() != f.predictions.len() {
                return Err(format!(
                    "folds[{i}]: {} predictions for {} test rows",
                    f.predictions.len(),
                    f.test_rows.len()
                ));
            }
            if let Some(r) = f.test_rows.iter().find(|&&r| r >= self.ids.len()) {
                return Err(format!(
                    "folds[{i}].test_rows: row {r} of {} clips",
                    self.ids.len()
                ));
            }
            if let Some(p) = f.predictions.iter().find(|&&p| p >= k) {
                return Err(format!("folds[{i}].predictions: class {p} of {k}"));
            }
            if let Some(p) = f.probabilities.iter().find(|p| p.len() != k) {
                return Err(format!(
                    "folds[{i}].probabilities: {} values for {k} classes",
                    p.len()
                ));
            }
        }
        self.check_counts()
    }

    /// Every count as the predictions give it: each fold's matrix from its test rows' true
    /// classes and its predictions, the pooled one their sum (a hand-edited count of 2^64−1
    /// overflowed the totals when drawn).
    fn check_counts(&self) -> Result<(), String> {
        let k = self.classes.len();
        let mut pooled = Confusion::new(k);
        for (i, f) in self.folds.iter().enumerate() {
            let mut truth = Vec::with_capacity(f.test_rows.len());
            for &r in &f.test_rows {
                let c = self.class_of(r).ok_or_else(|| {
                    let e = self.ids[r].emotion;
                    format!("folds[{i}].test_rows: clip {r} is {e}, not one of the classes")
                })?;
                truth.push(c);
            }
            let want = Confusion::from_predictions(k, &truth, &f.predictions);
            if want != f.confusion {
                return Err(format!(
                    "folds[{i}].confusion: its counts are not those of its predictions"
                ));
            }
            pooled.merge(&want);
        }
        if pooled != self.pooled {
            return Err("pooled: its counts are not the sum of the folds'".into());
        }
        Ok(())
    }

    /// The class number of clip `row`'s emotion, if it is one of the classes (every test row's
    /// is, in a report that passed [`Self::validate`]).
    fn class_of(&self, row: usize) -> Option<usize> {
        self.classes
            .iter()
            .position(|&c| c == self.ids[row].emotion)
    }

    fn truth(&self, row: usize) -> usize {
        self.class_of(row).unwrap_or(0)
    }
}
