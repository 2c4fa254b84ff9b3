//! The experiments of a session as the TUI holds them: each [`Run`] with its state, live
//! progress and confusion matrix, filled in from its [`RunEvent`]s. Train, Compare and
//! Classify all read them; the app owns them.

use std::sync::Arc;

use crate::features::Preset;
use crate::ml::experiment::{ExperimentSpec, JobEvent, Report};
use crate::ml::metrics::{Confusion, Scores};
use crate::session::{ExperimentRecord, Outcome};

use super::msg::RunEvent;

/// Where a run is.
#[derive(Debug, Clone, PartialEq)]
pub enum RunState {
    /// Extracting (or reading from the cache) the preset's features.
    Extracting,
    Training,
    Finished,
    Cancelled,
    Failed(String),
    /// Running when the app quit; `R` runs it again.
    Interrupted,
}

impl RunState {
    pub fn is_active(&self) -> bool {
        matches!(self, RunState::Extracting | RunState::Training)
    }

    pub fn label(&self) -> &str {
        match self {
            RunState::Extracting => "extracting",
            RunState::Training => "training",
            RunState::Finished => "done",
            RunState::Cancelled => "cancelled",
            RunState::Failed(_) => "failed",
            RunState::Interrupted => "interrupted",
        }
    }
}

/// One experiment of the session.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub id: u32,
    pub preset: Preset,
    pub spec: ExperimentSpec,
    pub state: RunState,
    /// (done, total) of the current stage.
    pub progress: (usize, usize),
    pub stage: String,
    /// Folds finished so far.
    pub folds_done: usize,
    pub folds: usize,
    /// Pooled over the folds finished so far (the final matrix once done).
    pub confusion: Option<Confusion>,
    pub scores: Option<Scores>,
    pub report: Option<Arc<Report>>,
    /// When the current stage (extraction, then training) began: for its ETA.
    pub stage_start: std::time::Instant,
}

impl Run {
    pub fn new(id: u32, preset: Preset, spec: ExperimentSpec) -> Run {
        Run {
            id,
            preset,
            spec,
            state: RunState::Extracting,
            progress: (0, 0),
            stage: "extracting features".into(),
            folds_done: 0,
            folds: 0,
            confusion: None,
            scores: None,
            report: None,
            stage_start: std::time::Instant::now(),
        }
    }

    /// " · ETA 12 s" while a stage runs and its pace is known, else "".
    pub fn eta(&self) -> String {
        if !self.state.is_active() {
            return String::new();
        }
        crate::util::eta_suffix(self.stage_start, self.progress.0, self.progress.1)
    }

    /// "svm", "rf" …
    pub fn family(&self) -> &'static str {
        self.spec.grid.first().map_or("?", |m| m.family())
    }

    /// The model, with the hyperparameters when there is only one candidate.
    pub fn model_label(&self) -> String {
        match self.spec.grid.as_slice() {
            [one] => one.to_string(),
            grid => format!(
                "{} ({} candidates)",
                self.family().to_uppercase(),
                grid.len()
            ),
        }
    }

    /// "svm-classic-run1": how the files made from this run are named (its saved model, its
    /// exports).
    pub fn file_stem(&self) -> String {
        format!(
            "{}-{}-run{}",
            self.family(),
            self.preset.to_string().replace('+', "-"),
            self.id
        )
    }

    /// What the session records of it.
    pub fn record(&self) -> ExperimentRecord {
        ExperimentRecord {
            id: self.id,
            preset: self.preset,
            spec: self.spec.clone(),
            outcome: match (&self.state, &self.report) {
                (RunState::Finished, Some(r)) => {
                    // Class probabilities are most of a report's size and nothing the
                    // session shows needs them; predictions and scores are kept.
                    let mut r = (**r).clone();
                    for f in &mut r.folds {
                        f.probabilities.clear();
                    }
                    Outcome::Finished(Box::new(r))
                }
                (RunState::Extracting | RunState::Training, _) => Outcome::Running,
                (RunState::Cancelled, _) => Outcome::Cancelled,
                (RunState::Failed(m), _) => Outcome::Failed(m.clone()),
                _ => Outcome::Interrupted,
            },
        }
    }

    pub fn from_record(r: &ExperimentRecord) -> Run {
        let mut run = Run::new(r.id, r.preset, r.spec.clone());
        run.state = match &r.outcome {
            Outcome::Running | Outcome::Interrupted => RunState::Interrupted,
            Outcome::Cancelled => RunState::Cancelled,
            Outcome::Failed(m) => RunState::Failed(m.clone()),
            Outcome::Finished(report) => {
                run.finish(Arc::new((**report).clone()));
                run.progress = (run.folds, run.folds);
                RunState::Finished
            }
        };
        if run.report.is_none() {
            run.stage = run.state.label().to_string();
        }
        run
    }

    fn finish(&mut self, report: Arc<Report>) {
        self.state = RunState::Finished;
        self.confusion = Some(report.pooled.clone());
        self.scores = Some(report.scores.clone());
        self.folds = report.folds.len();
        self.folds_done = report.folds.len();
        self.stage = format!("done: {}", report.timing());
        self.report = Some(report);
    }

    /// Takes in one event of the run; returns whether the run ended with it.
    pub fn apply(&mut self, e: RunEvent) -> bool {
        match e {
            RunEvent::Extracting { done, total } => {
                self.progress = (done, total);
                self.stage = format!("features {done}/{total}");
            }
            RunEvent::Job(JobEvent::Started { total }) => {
                self.state = RunState::Training;
                self.stage_start = std::time::Instant::now();
                self.progress = (0, total);
                self.stage = "training".into();
            }
            RunEvent::Job(JobEvent::Progress { done, total, stage }) => {
                self.progress = (done, total);
                self.stage = stage;
            }
            RunEvent::Job(JobEvent::FoldDone {
                of,
                confusion_so_far,
                scores_so_far,
                ..
            }) => {
                self.folds_done += 1;
                self.folds = of;
                self.confusion = Some(confusion_so_far);
                self.scores = Some(scores_so_far);
            }
            RunEvent::Job(JobEvent::Finished(report)) => {
                log::info!(
                    "run #{} finished: accuracy {:.3}, UAR {:.3}",
                    self.id,
                    report.scores.accuracy,
                    report.scores.uar
                );
                self.finish(Arc::new(*report));
                self.progress = (self.progress.1, self.progress.1);
                return true;
            }
            RunEvent::Job(JobEvent::Failed(msg)) => {
                log::error!("run #{} failed: {msg}", self.id);
                self.stage = msg.clone();
                self.state = RunState::Failed(msg);
                return true;
            }
            RunEvent::Job(JobEvent::Cancelled) => {
                log::info!("run #{} cancelled", self.id);
                self.state = RunState::Cancelled;
                self.stage = "cancelled".into();
                return true;
            }
        }
        false
    }
}

/// The next free run id.
pub fn next_id(runs: &[Run]) -> u32 {
    runs.iter().map(|r| r.id).max().unwrap_or(0) + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_running_stage_shows_its_eta_and_a_finished_one_none() {
        let mut run = Run::new(1, Preset::Classic, ExperimentSpec::default());
        run.progress = (1, 4);
        let ten = std::time::Duration::from_secs(10);
        if let Some(t) = std::time::Instant::now().checked_sub(ten) {
            run.stage_start = t;
            assert_eq!(run.eta(), " · ETA 30 s");
        }
        run.progress = (0, 4);
        assert_eq!(run.eta(), "", "no pace before the first unit");
        run.progress = (1, 4);
        run.state = RunState::Cancelled;
        assert_eq!(run.eta(), "");
    }
}
