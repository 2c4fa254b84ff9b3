//! State and update logic of the Train, Compare and Classify panes: the experiment form, the
//! runs with their live confusion matrices, the comparison of two runs, and classification.
//! Pure like the rest of `update`: background work goes out as [`Command`]s.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::corpus::{Emotion, RavdessId};
use crate::features::Preset;
use crate::ml::experiment::{Comparison, ExperimentSpec, JobEvent, Report, compare};
use crate::ml::grid::build_search;
use crate::ml::metrics::{Confusion, Scores};
use crate::ml::persist::SavedModel;
use crate::ml::protocol::Protocol;
use crate::session::{Classification, ExperimentRecord, Outcome, TrainFormState};

use super::app::{Action, App, ClipKey, Command, Pane, Prompt};

/// Model families the form offers, in order.
pub use crate::ml::grid::FAMILIES;

/// Protocols the form cycles through (any other can be typed).
pub const PROTOCOLS: [&str; 4] = ["actor-kfold:5", "loso", "random:0.2", "kfold:5"];

/// The hyperparameter grid the form suggests for a family (`key=v1,v2` settings).
pub fn default_grid(family: &str) -> &'static str {
    match family {
        "svm" => "c=0.1,1,10",
        "knn" => "k=3,5,9",
        "rf" => "trees=100",
        "logreg" => "c=0.01,0.1,1",
        "ensemble" => "logreg.c=0.01,0.1 svm.c=1,10",
        _ => "",
    }
}

/// The fields of the Train form, top to bottom.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormField {
    Preset,
    Model,
    Grid,
    Select,
    Protocol,
    Smote,
    SpeakerNorm,
    Enrol,
    Seed,
    Start,
}

impl FormField {
    pub const ALL: [FormField; 10] = [
        FormField::Preset,
        FormField::Model,
        FormField::Grid,
        FormField::Select,
        FormField::Protocol,
        FormField::Smote,
        FormField::SpeakerNorm,
        FormField::Enrol,
        FormField::Seed,
        FormField::Start,
    ];
}

/// Where the model-export prompt's answer saves: a bare name goes into `models/` (`.ron`
/// added), a relative path must stay inside `models/`, an absolute path is taken as typed.
/// Refuses `..` and relative paths elsewhere (the prompt created folders anywhere it was
/// told).
pub fn model_export_path(text: &str) -> Result<PathBuf, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("no file name given: nothing saved".into());
    }
    let mut p = PathBuf::from(t);
    if p.extension().is_none() {
        p.set_extension("ron");
    }
    if p.is_absolute() {
        return Ok(p);
    }
    if p.components()
        .any(|c| !matches!(c, std::path::Component::Normal(_)))
    {
        return Err(format!(
            "'{t}': a model name may not leave models/ (use an absolute path to save elsewhere)"
        ));
    }
    if p.starts_with("models") {
        Ok(p)
    } else if p.components().count() == 1 {
        Ok(Path::new("models").join(p))
    } else {
        Err(format!(
            "'{t}': relative names are saved under models/ (give models/{t}, or an absolute path)"
        ))
    }
}

/// The enrolment sizes ←/→ steps through (`None` = every clip of the speaker).
pub const ENROL_CHOICES: [Option<usize>; 5] = [None, Some(6), Some(12), Some(24), Some(36)];

/// Parses the Select field: empty = every feature, else `K` or `K1,K2,…` (searched).
pub fn parse_select(text: &str) -> Result<Vec<usize>, String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| match s.parse::<usize>() {
            Ok(k) if k > 0 => Ok(k),
            _ => Err(format!(
                "'{s}' is not a number of features (a whole number ≥ 1)"
            )),
        })
        .collect()
}

/// The experiment form of the Train pane.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainForm {
    pub preset: Preset,
    pub family: &'static str,
    /// Space-separated `key=v1,v2` settings, e.g. `c=0.1,1,10 gamma=scale`.
    pub grid: String,
    pub protocol: String,
    pub smote: bool,
    pub speaker_norm: bool,
    /// Features kept by in-fold ANOVA-F selection: "" (all), "2000" or "500,2000".
    pub select: String,
    /// With speaker norm: test speakers normalised from this many of their clips.
    pub enrol: Option<usize>,
    pub seed: u64,
    pub field: usize,
}

impl Default for TrainForm {
    fn default() -> Self {
        TrainForm {
            preset: Preset::Classic,
            family: "svm",
            grid: default_grid("svm").into(),
            protocol: PROTOCOLS[0].into(),
            smote: false,
            speaker_norm: false,
            select: String::new(),
            enrol: None,
            seed: 0,
            field: 0,
        }
    }
}

impl TrainForm {
    /// The experiment the form describes, or what is wrong with it.
    pub fn spec(&self) -> Result<ExperimentSpec, String> {
        let settings: Vec<String> = self.grid.split_whitespace().map(String::from).collect();
        let (grid, mut select) = build_search(self.family, &settings)?;
        let field = parse_select(&self.select)?;
        if !field.is_empty() {
            if !select.is_empty() {
                return Err(
                    "the number of features is set twice: in the grid (select=…) and in \
                     the select field"
                        .into(),
                );
            }
            select = field;
        }
        if self.enrol.is_some() && !self.speaker_norm {
            return Err("enrolment normalises test speakers: turn spk norm on".into());
        }
        let protocol: Protocol = self.protocol.parse().map_err(|e| format!("{e}"))?;
        Ok(ExperimentSpec {
            grid,
            protocol,
            smote_k: self.smote.then_some(5),
            speaker_norm: self.speaker_norm,
            inner_folds: 3,
            seed: self.seed,
            select,
            enrol: self.enrol,
        })
    }

    pub fn state(&self) -> TrainFormState {
        TrainFormState {
            preset: self.preset,
            family: self.family.to_string(),
            grid: self.grid.clone(),
            protocol: self.protocol.clone(),
            smote: self.smote,
            speaker_norm: self.speaker_norm,
            select: self.select.clone(),
            enrol: self.enrol,
            seed: self.seed,
        }
    }

    pub fn from_state(s: &TrainFormState) -> TrainForm {
        TrainForm {
            preset: s.preset,
            family: FAMILIES
                .iter()
                .copied()
                .find(|f| *f == s.family)
                .unwrap_or("svm"),
            grid: s.grid.clone(),
            protocol: s.protocol.clone(),
            smote: s.smote,
            speaker_norm: s.speaker_norm,
            select: s.select.clone(),
            enrol: s.enrol,
            seed: s.seed,
            field: 0,
        }
    }

    pub fn current(&self) -> FormField {
        FormField::ALL[self.field.min(FormField::ALL.len() - 1)]
    }

    /// ← / → on the current field: cycle a choice, flip a switch, step the seed.
    fn step(&mut self, forward: bool) {
        let turn = |i: usize, n: usize| {
            if forward {
                (i + 1) % n
            } else {
                (i + n - 1) % n
            }
        };
        match self.current() {
            FormField::Preset => {
                let all = [
                    Preset::Classic,
                    Preset::ClassicContrast,
                    Preset::Prosody,
                    Preset::Full,
                    Preset::Large,
                ];
                let i = all.iter().position(|&p| p == self.preset).unwrap_or(0);
                self.preset = all[turn(i, all.len())];
            }
            FormField::Model => {
                let i = FAMILIES.iter().position(|&f| f == self.family).unwrap_or(0);
                self.family = FAMILIES[turn(i, FAMILIES.len())];
                self.grid = default_grid(self.family).into();
            }
            FormField::Protocol => {
                let i = PROTOCOLS
                    .iter()
                    .position(|&p| p == self.protocol)
                    .map_or(0, |i| turn(i, PROTOCOLS.len()));
                self.protocol = PROTOCOLS[i].into();
            }
            FormField::Smote => self.smote = !self.smote,
            FormField::SpeakerNorm => self.speaker_norm = !self.speaker_norm,
            FormField::Enrol => {
                let i = ENROL_CHOICES
                    .iter()
                    .position(|&e| e == self.enrol)
                    .map_or(0, |i| turn(i, ENROL_CHOICES.len()));
                self.enrol = ENROL_CHOICES[i];
                if self.enrol.is_some() {
                    self.speaker_norm = true;
                }
            }
            FormField::Seed => {
                self.seed = if forward {
                    self.seed.saturating_add(1)
                } else {
                    self.seed.saturating_sub(1)
                }
            }
            FormField::Grid | FormField::Select | FormField::Start => {}
        }
    }
}

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
}

impl Run {
    fn new(id: u32, preset: Preset, spec: ExperimentSpec) -> Run {
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
        }
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
                run.confusion = Some(report.pooled.clone());
                run.scores = Some(report.scores.clone());
                run.folds = report.folds.len();
                run.folds_done = report.folds.len();
                run.progress = (report.folds.len(), report.folds.len());
                run.report = Some(Arc::new((**report).clone()));
                RunState::Finished
            }
        };
        run.stage = match &run.report {
            Some(r) => format!("done in {:.1} s", r.seconds),
            None => run.state.label().to_string(),
        };
        run
    }
}

/// What a run reports back to the app.
#[derive(Debug, Clone)]
pub enum RunEvent {
    Extracting { done: usize, total: usize },
    Job(JobEvent),
}

/// Which part of the Train pane has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrainFocus {
    Form,
    Runs,
    /// The selected run's confusion matrix, with a cell cursor.
    Matrix,
    /// The clips behind the selected cell.
    Clips,
}

/// Columns the Compare table sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Id,
    Preset,
    Model,
    Protocol,
    Accuracy,
    Uar,
    MacroF1,
    Seconds,
}

impl SortKey {
    pub const ALL: [SortKey; 8] = [
        SortKey::Id,
        SortKey::Preset,
        SortKey::Model,
        SortKey::Protocol,
        SortKey::Accuracy,
        SortKey::Uar,
        SortKey::MacroF1,
        SortKey::Seconds,
    ];

    pub fn title(self) -> &'static str {
        match self {
            SortKey::Id => "#",
            SortKey::Preset => "preset",
            SortKey::Model => "model",
            SortKey::Protocol => "protocol",
            SortKey::Accuracy => "acc",
            SortKey::Uar => "UAR",
            SortKey::MacroF1 => "F1",
            SortKey::Seconds => "time",
        }
    }
}

/// A model the Classify pane can use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelSource {
    /// A file in `models/`.
    File(PathBuf),
    /// A finished experiment of the session (its final model is fitted on first use).
    Experiment(u32),
}

impl ModelSource {
    pub fn label(&self) -> String {
        match self {
            ModelSource::File(p) => p.display().to_string(),
            ModelSource::Experiment(id) => format!("experiment #{id}"),
        }
    }
}

/// The small file browser of the Classify pane.
#[derive(Debug, Clone, PartialEq)]
pub struct Browser {
    pub dir: PathBuf,
    /// Sub-folders (ending in `/`) then WAV files, sorted; `../` first.
    pub entries: Vec<String>,
    pub index: usize,
}

/// A classification job's outcome.
#[derive(Debug, Clone)]
pub struct Classified {
    pub result: Result<Classification, String>,
    /// The model fitted for an experiment source, kept for the next file.
    pub fitted: Option<(u32, Arc<SavedModel>)>,
}

/// Everything of the Train / Compare / Classify panes.
#[derive(Debug, Clone)]
pub struct Lab {
    pub form: TrainForm,
    pub runs: Vec<Run>,
    pub focus: TrainFocus,
    /// Selected run (index into `runs`).
    pub run_index: usize,
    /// Cursor in the confusion matrix: (true class, predicted class).
    pub cell: (usize, usize),
    pub cell_clip: usize,
    /// Row-normalised matrix instead of counts.
    pub normalised: bool,
    // Compare.
    pub sort: SortKey,
    pub descending: bool,
    /// Selected row of the sorted table.
    pub compare_index: usize,
    /// The two runs compared (ids), in the order they were picked.
    pub picked: Vec<u32>,
    pub comparison: Option<Comparison>,
    // Classify.
    pub model_files: Vec<PathBuf>,
    pub model_index: usize,
    pub fitted: Vec<(u32, Arc<SavedModel>)>,
    pub browser: Option<Browser>,
    pub history: Vec<Classification>,
    pub history_index: usize,
    pub classifying: bool,
    /// The model a restored session had chosen, selected once the models are listed.
    pub wanted_model: Option<String>,
    /// Speaker profiles in `profiles/`; `profile_index` 0 is "none", i + 1 is `profiles[i]`.
    pub profiles: Vec<PathBuf>,
    pub profile_index: usize,
    /// A profile to select once the profiles are listed (a new enrolment).
    pub wanted_profile: Option<PathBuf>,
}

impl Default for Lab {
    fn default() -> Self {
        Lab {
            form: TrainForm::default(),
            runs: Vec::new(),
            focus: TrainFocus::Form,
            run_index: 0,
            cell: (0, 0),
            cell_clip: 0,
            normalised: false,
            sort: SortKey::Id,
            descending: false,
            compare_index: 0,
            picked: Vec::new(),
            comparison: None,
            model_files: Vec::new(),
            model_index: 0,
            fitted: Vec::new(),
            browser: None,
            history: Vec::new(),
            history_index: 0,
            classifying: false,
            wanted_model: None,
            profiles: Vec::new(),
            profile_index: 0,
            wanted_profile: None,
        }
    }
}

impl Lab {
    pub fn selected_run(&self) -> Option<&Run> {
        self.runs.get(self.run_index)
    }

    pub fn run(&self, id: u32) -> Option<&Run> {
        self.runs.iter().find(|r| r.id == id)
    }

    fn run_mut(&mut self, id: u32) -> Option<&mut Run> {
        self.runs.iter_mut().find(|r| r.id == id)
    }

    /// The runs in the Compare table's order.
    pub fn sorted_runs(&self) -> Vec<&Run> {
        let mut v: Vec<&Run> = self.runs.iter().collect();
        let score = |r: &Run, f: &dyn Fn(&Scores) -> f64| r.scores.as_ref().map_or(-1.0, f);
        v.sort_by(|a, b| {
            use std::cmp::Ordering;
            let o = match self.sort {
                SortKey::Id => a.id.cmp(&b.id),
                SortKey::Preset => a.preset.to_string().cmp(&b.preset.to_string()),
                SortKey::Model => a.model_label().cmp(&b.model_label()),
                SortKey::Protocol => a
                    .spec
                    .protocol
                    .to_string()
                    .cmp(&b.spec.protocol.to_string()),
                SortKey::Accuracy => score(a, &|s| s.accuracy)
                    .partial_cmp(&score(b, &|s| s.accuracy))
                    .unwrap_or(Ordering::Equal),
                SortKey::Uar => score(a, &|s| s.uar)
                    .partial_cmp(&score(b, &|s| s.uar))
                    .unwrap_or(Ordering::Equal),
                SortKey::MacroF1 => score(a, &|s| s.macro_f1)
                    .partial_cmp(&score(b, &|s| s.macro_f1))
                    .unwrap_or(Ordering::Equal),
                SortKey::Seconds => {
                    let t = |r: &Run| r.report.as_ref().map_or(f64::MAX, |r| r.seconds);
                    t(a).partial_cmp(&t(b)).unwrap_or(Ordering::Equal)
                }
            };
            let o = o.then(a.id.cmp(&b.id));
            if self.descending { o.reverse() } else { o }
        });
        v
    }

    /// Models the Classify pane offers: files in `models/`, then finished experiments.
    pub fn model_sources(&self) -> Vec<ModelSource> {
        let mut v: Vec<ModelSource> = self
            .model_files
            .iter()
            .cloned()
            .map(ModelSource::File)
            .collect();
        v.extend(
            self.runs
                .iter()
                .filter(|r| r.report.is_some())
                .map(|r| ModelSource::Experiment(r.id)),
        );
        v
    }

    /// The chosen speaker profile, if any.
    pub fn profile(&self) -> Option<&std::path::Path> {
        self.profile_index
            .checked_sub(1)
            .and_then(|i| self.profiles.get(i))
            .map(|p| p.as_path())
    }

    pub fn model_source(&self) -> Option<ModelSource> {
        let all = self.model_sources();
        all.get(self.model_index.min(all.len().saturating_sub(1)))
            .cloned()
    }

    /// The clips behind the selected confusion cell of the selected run: (row id, predicted).
    pub fn cell_clips(&self) -> Vec<RavdessId> {
        let Some(report) = self.selected_run().and_then(|r| r.report.as_ref()) else {
            return Vec::new();
        };
        report
            .predictions()
            .into_iter()
            .filter(|&(_, t, p)| (t, p) == self.cell)
            .filter_map(|(row, _, _)| report.ids.get(row).copied())
            .collect()
    }

    /// The classes of the selected run (the emotions its data had).
    pub fn classes(&self) -> Vec<Emotion> {
        self.selected_run()
            .and_then(|r| r.report.as_ref().map(|r| r.classes.clone()))
            .unwrap_or_else(|| Emotion::ALL.to_vec())
    }

    fn recompare(&mut self) {
        self.comparison = match self.picked.as_slice() {
            [a, b] => match (
                self.run(*a).and_then(|r| r.report.clone()),
                self.run(*b).and_then(|r| r.report.clone()),
            ) {
                (Some(ra), Some(rb)) => compare(&ra, &rb),
                _ => None,
            },
            _ => None,
        };
    }
}

fn next_id(runs: &[Run]) -> u32 {
    runs.iter().map(|r| r.id).max().unwrap_or(0) + 1
}

impl App {
    /// Starts a run of `spec` on `preset` (also used to re-run).
    fn start_run(&mut self, preset: Preset, spec: ExperimentSpec, cmds: &mut Vec<Command>) {
        let Some(corpus) = self.corpus.clone() else {
            self.notice = Some("the corpus is not open yet".into());
            return;
        };
        let id = next_id(&self.lab.runs);
        if !spec.protocol.speaker_independent() {
            self.notice = Some(format!(
                "run #{id}: {} is speaker-dependent — the same actors are in training and test, so scores are optimistic",
                spec.protocol
            ));
        }
        self.lab.runs.push(Run::new(id, preset, spec.clone()));
        self.lab.run_index = self.lab.runs.len() - 1;
        self.lab.focus = TrainFocus::Runs;
        self.jobs_running += 1;
        self.status = format!("run #{id} started");
        log::info!("run #{id} started: {preset}, {}", spec.protocol);
        cmds.push(Command::Train {
            run: id,
            corpus,
            preset,
            spec,
        });
    }

    pub(super) fn train_action(&mut self, action: Action, cmds: &mut Vec<Command>) {
        let lab = &mut self.lab;
        let n_runs = lab.runs.len();
        match (lab.focus, action) {
            (_, Action::ToggleNormalised) => lab.normalised = !lab.normalised,
            (_, Action::NewRun) => lab.focus = TrainFocus::Form,
            (TrainFocus::Runs | TrainFocus::Matrix | TrainFocus::Clips, Action::CancelRun) => {
                if let Some(r) = lab.selected_run().filter(|r| r.state.is_active()) {
                    let id = r.id;
                    self.status = format!("cancelling run #{id} …");
                    cmds.push(Command::Cancel(id));
                }
            }
            (TrainFocus::Runs | TrainFocus::Matrix | TrainFocus::Clips, Action::Rerun) => {
                if let Some(r) = lab.selected_run().filter(|r| !r.state.is_active()) {
                    let (preset, spec) = (r.preset, r.spec.clone());
                    self.start_run(preset, spec, cmds);
                }
            }
            (_, Action::ExportModel) => self.start_export(),
            (TrainFocus::Form, Action::Up) => lab.form.field = lab.form.field.saturating_sub(1),
            (TrainFocus::Form, Action::Down) => {
                lab.form.field = (lab.form.field + 1).min(FormField::ALL.len() - 1)
            }
            (TrainFocus::Form, Action::Left) => lab.form.step(false),
            (TrainFocus::Form, Action::Right) => lab.form.step(true),
            (TrainFocus::Form, Action::Back) if n_runs > 0 => lab.focus = TrainFocus::Runs,
            (TrainFocus::Form, Action::Enter) => match lab.form.current() {
                FormField::Grid => {
                    self.prompt = Some(Prompt::Grid);
                    self.prompt_text = lab.form.grid.clone();
                }
                FormField::Select => {
                    self.prompt = Some(Prompt::Select);
                    self.prompt_text = lab.form.select.clone();
                }
                FormField::Protocol => {
                    self.prompt = Some(Prompt::Protocol);
                    self.prompt_text = lab.form.protocol.clone();
                }
                FormField::Seed => {
                    self.prompt = Some(Prompt::Seed);
                    self.prompt_text = lab.form.seed.to_string();
                }
                FormField::Start => match lab.form.spec() {
                    Ok(spec) => {
                        let preset = lab.form.preset;
                        self.start_run(preset, spec, cmds);
                    }
                    Err(e) => self.notice = Some(format!("cannot start: {e}")),
                },
                _ => lab.form.step(true),
            },
            (TrainFocus::Runs, Action::Up) => lab.run_index = lab.run_index.saturating_sub(1),
            (TrainFocus::Runs, Action::Down) => {
                lab.run_index = (lab.run_index + 1).min(n_runs.saturating_sub(1))
            }
            (TrainFocus::Runs, Action::Back) => lab.focus = TrainFocus::Form,
            (TrainFocus::Runs, Action::Enter) if lab.selected_run().is_some() => {
                lab.focus = TrainFocus::Matrix
            }
            (TrainFocus::Matrix, a) => {
                let n = lab.classes().len();
                let (t, p) = &mut lab.cell;
                match a {
                    Action::Up => *t = t.saturating_sub(1),
                    Action::Down => *t = (*t + 1).min(n.saturating_sub(1)),
                    Action::Left => *p = p.saturating_sub(1),
                    Action::Right => *p = (*p + 1).min(n.saturating_sub(1)),
                    Action::Back => lab.focus = TrainFocus::Runs,
                    Action::Enter => {
                        if lab.selected_run().is_some_and(|r| r.report.is_some()) {
                            lab.focus = TrainFocus::Clips;
                            lab.cell_clip = 0;
                        } else {
                            self.notice = Some(
                                "the clips behind a cell are listed once the run finishes".into(),
                            );
                        }
                    }
                    _ => {}
                }
            }
            (TrainFocus::Clips, a) => {
                let clips = lab.cell_clips();
                match a {
                    Action::Up => lab.cell_clip = lab.cell_clip.saturating_sub(1),
                    Action::Down => {
                        lab.cell_clip = (lab.cell_clip + 1).min(clips.len().saturating_sub(1))
                    }
                    Action::Back => lab.focus = TrainFocus::Matrix,
                    Action::Enter => {
                        if let Some(&id) = clips.get(lab.cell_clip) {
                            self.open_in_inspector(ClipKey::Corpus(id), cmds);
                        }
                    }
                    Action::Play => {
                        let key = clips.get(lab.cell_clip).map(|&id| ClipKey::Corpus(id));
                        self.toggle_play(key, cmds)
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }

    /// Asks for the file name to save the selected experiment's final model under.
    fn start_export(&mut self) {
        let run = match self.pane {
            Pane::Compare => self
                .lab
                .sorted_runs()
                .get(self.lab.compare_index)
                .map(|r| (*r).clone()),
            _ => self.lab.selected_run().cloned(),
        };
        match run {
            Some(r) if r.report.is_some() => {
                self.prompt = Some(Prompt::ModelName(r.id));
                self.prompt_text = format!(
                    "models/{}-{}-run{}.ron",
                    r.family(),
                    r.preset.to_string().replace('+', "-"),
                    r.id
                );
            }
            Some(r) => {
                self.notice = Some(format!(
                    "run #{} has not finished: only a finished experiment can be saved as a model",
                    r.id
                ))
            }
            None => self.notice = Some("no experiment selected".into()),
        }
    }

    /// The typed file name of a model export is confirmed.
    pub(super) fn export_model(&mut self, run: u32, path: String, cmds: &mut Vec<Command>) {
        let (Some(r), Some(corpus)) = (self.lab.run(run).cloned(), self.corpus.clone()) else {
            return;
        };
        let Some(report) = r.report.clone() else {
            return;
        };
        let path = match model_export_path(&path) {
            Ok(p) => p,
            Err(why) => {
                self.notice = Some(why);
                return;
            }
        };
        self.jobs_running += 1;
        self.status = format!(
            "fitting run #{run}'s final model on every clip, to save as {} …",
            crate::util::shown(&path)
        );
        cmds.push(Command::SaveModel {
            path,
            corpus,
            preset: r.preset,
            report,
        });
    }

    pub(super) fn compare_action(&mut self, action: Action, cmds: &mut Vec<Command>) {
        let n = self.lab.runs.len();
        let lab = &mut self.lab;
        match action {
            Action::Up => lab.compare_index = lab.compare_index.saturating_sub(1),
            Action::Down => lab.compare_index = (lab.compare_index + 1).min(n.saturating_sub(1)),
            Action::Home | Action::PageUp => lab.compare_index = 0,
            Action::End | Action::PageDown => lab.compare_index = n.saturating_sub(1),
            Action::Sort => {
                let i = SortKey::ALL
                    .iter()
                    .position(|&k| k == lab.sort)
                    .unwrap_or(0);
                lab.sort = SortKey::ALL[(i + 1) % SortKey::ALL.len()];
                // Scores read best-first, the rest in natural order.
                lab.descending = matches!(
                    lab.sort,
                    SortKey::Accuracy | SortKey::Uar | SortKey::MacroF1
                );
            }
            Action::ReverseSort => lab.descending = !lab.descending,
            Action::Pick => {
                if let Some(id) = lab.sorted_runs().get(lab.compare_index).map(|r| r.id) {
                    if let Some(i) = lab.picked.iter().position(|&p| p == id) {
                        lab.picked.remove(i);
                    } else {
                        lab.picked.push(id);
                        if lab.picked.len() > 2 {
                            lab.picked.remove(0);
                        }
                    }
                    lab.recompare();
                }
            }
            Action::Enter => {
                if let Some(id) = lab.sorted_runs().get(lab.compare_index).map(|r| r.id)
                    && let Some(i) = lab.runs.iter().position(|r| r.id == id)
                {
                    lab.run_index = i;
                    lab.focus = TrainFocus::Matrix;
                    self.pane = Pane::Train;
                }
            }
            Action::ExportModel => self.start_export(),
            Action::Rerun => {
                if let Some(r) = lab
                    .sorted_runs()
                    .get(lab.compare_index)
                    .filter(|r| !r.state.is_active())
                {
                    let (preset, spec) = (r.preset, r.spec.clone());
                    self.start_run(preset, spec, cmds);
                }
            }
            _ => {}
        }
    }

    pub(super) fn classify_action(&mut self, action: Action, cmds: &mut Vec<Command>) {
        if let Some(b) = &mut self.lab.browser {
            match action {
                Action::Up => b.index = b.index.saturating_sub(1),
                Action::Down => b.index = (b.index + 1).min(b.entries.len().saturating_sub(1)),
                Action::Home | Action::PageUp => b.index = 0,
                Action::End | Action::PageDown => b.index = b.entries.len().saturating_sub(1),
                Action::Back => self.lab.browser = None,
                Action::Enter | Action::Right => {
                    if let Some(e) = b.entries.get(b.index).cloned() {
                        if let Some(dir) = e.strip_suffix('/') {
                            let next = if dir == ".." {
                                b.dir.parent().map(|p| p.to_path_buf()).unwrap_or_default()
                            } else {
                                b.dir.join(dir)
                            };
                            cmds.push(Command::ListDir(next));
                        } else {
                            let path = b.dir.join(e);
                            self.lab.browser = None;
                            self.classify(path, false, cmds);
                        }
                    }
                }
                Action::Left => {
                    let up = b.dir.parent().map(|p| p.to_path_buf()).unwrap_or_default();
                    cmds.push(Command::ListDir(up));
                }
                _ => {}
            }
            return;
        }
        let n_hist = self.lab.history.len();
        let lab = &mut self.lab;
        match action {
            Action::NextModel | Action::Right => {
                let n = lab.model_sources().len().max(1);
                lab.model_index = (lab.model_index + 1) % n;
            }
            Action::Left => {
                let n = lab.model_sources().len().max(1);
                lab.model_index = (lab.model_index + n - 1) % n;
            }
            Action::Browse => cmds.push(Command::ListDir(PathBuf::from("."))),
            Action::StartSearch => {
                self.prompt = Some(Prompt::WavPath);
                self.prompt_text.clear();
            }
            Action::Record => {
                if self.recording.is_some() {
                    cmds.push(Command::StopRecording);
                    self.status = "stopping the recording …".into();
                } else {
                    self.recording = Some(super::app::Recording {
                        device: "opening the input …".into(),
                        seconds: 0.0,
                        peak: 0.0,
                    });
                    cmds.push(Command::StartRecording);
                }
            }
            Action::CycleProfile => {
                lab.profile_index = (lab.profile_index + 1) % (lab.profiles.len() + 1);
            }
            Action::Enrol => {
                if lab.history.len() < crate::ml::profile::MIN_CLIPS {
                    self.notice = Some(format!(
                        "enrolment uses the clips in the history: record or classify at least {} clips of the speaker first",
                        crate::ml::profile::MIN_CLIPS
                    ));
                } else {
                    self.prompt = Some(Prompt::ProfileName);
                    self.prompt_text.clear();
                }
            }
            Action::Up => lab.history_index = lab.history_index.saturating_sub(1),
            Action::Down => {
                lab.history_index = (lab.history_index + 1).min(n_hist.saturating_sub(1))
            }
            Action::Enter => {
                if let Some(h) = lab.history.get(lab.history_index) {
                    let stem = h.file.file_stem().map(|s| s.to_string_lossy().to_string());
                    let key = match stem
                        .and_then(|s| RavdessId::parse(&s).ok())
                        .filter(|id| self.corpus.as_ref().is_some_and(|c| c.clip(id).is_some()))
                    {
                        Some(id) => ClipKey::Corpus(id),
                        None => ClipKey::File(h.file.clone()),
                    };
                    self.open_in_inspector(key, cmds);
                }
            }
            Action::Play => {
                let key = lab
                    .history
                    .get(lab.history_index)
                    .map(|h| ClipKey::File(h.file.clone()));
                self.toggle_play(key, cmds)
            }
            _ => {}
        }
    }

    /// Space: stops what plays, or plays `key`.
    pub(super) fn toggle_play(&mut self, key: Option<ClipKey>, cmds: &mut Vec<Command>) {
        if self.playing.take().is_some() {
            cmds.push(Command::StopPlayback);
            return;
        }
        let Some(key) = key else {
            self.notice = Some("no clip selected to play".into());
            return;
        };
        let clip = key
            .ravdess()
            .and_then(|id| self.corpus.as_ref().and_then(|c| c.clip(&id)).cloned());
        self.playing = Some(super::app::Playing {
            key: key.clone(),
            seconds: 0.0,
            duration: 0.0,
        });
        cmds.push(Command::Play(key, clip));
    }

    pub(super) fn on_recording(&mut self, e: super::app::RecordEvent, cmds: &mut Vec<Command>) {
        use super::app::RecordEvent;
        match e {
            RecordEvent::Started(device) => {
                if let Some(r) = self.recording.as_mut() {
                    r.device = device;
                }
                self.status = "recording — r stops and classifies".into();
            }
            RecordEvent::Level { seconds, peak } => {
                if let Some(r) = self.recording.as_mut() {
                    r.seconds = seconds;
                    r.peak = peak;
                }
            }
            RecordEvent::Failed(msg) => {
                self.recording = None;
                log::warn!("recording: {msg}");
                self.notice = Some(msg);
            }
            RecordEvent::Stopped { saved, lost } => {
                self.recording = None;
                if let Some(why) = &lost {
                    log::warn!("recording: {why}");
                }
                match saved {
                    Ok(path) => {
                        log::info!("recording saved to {}", path.display());
                        self.classify(path.clone(), true, cmds);
                        if let Some(why) = lost {
                            self.notice = Some(format!(
                                "{why} — classifying what was recorded ({})",
                                path.display()
                            ));
                        }
                    }
                    Err(msg) => self.notice = Some(format!("cannot save the recording: {msg}")),
                }
            }
        }
    }

    /// Enrols the speaker of the history's clips as profile `name`, for the chosen model.
    pub(super) fn enrol(&mut self, name: String, cmds: &mut Vec<Command>) {
        let model = match self.lab.model_source() {
            Some(ModelSource::File(p)) => super::app::EnrolFor::Model(p),
            Some(ModelSource::Experiment(id)) => match self.lab.run(id) {
                Some(r) => super::app::EnrolFor::Preset(r.preset),
                None => return,
            },
            None => {
                self.notice = Some("choose the model the profile is for first (m)".into());
                return;
            }
        };
        let mut files: Vec<PathBuf> = self.lab.history.iter().map(|h| h.file.clone()).collect();
        files.sort();
        files.dedup();
        self.status = format!("enrolling '{name}' from {} clips …", files.len());
        cmds.push(Command::Enrol { name, files, model });
    }

    /// Classifies a WAV file (or a raw recording) with the chosen model.
    pub(super) fn classify(&mut self, path: PathBuf, recording: bool, cmds: &mut Vec<Command>) {
        let Some(source) = self.lab.model_source() else {
            self.notice = Some(
                "no model yet: finish an experiment in Train, or save one to models/ (e in Compare)"
                    .into(),
            );
            return;
        };
        let job = match &source {
            ModelSource::File(p) => super::app::ModelJob::File(p.clone()),
            ModelSource::Experiment(id) => match self.lab.fitted.iter().find(|(i, _)| i == id) {
                Some((_, m)) => super::app::ModelJob::Fitted(*id, m.clone()),
                None => {
                    let (Some(run), Some(corpus)) =
                        (self.lab.run(*id).cloned(), self.corpus.clone())
                    else {
                        return;
                    };
                    let Some(report) = run.report.clone() else {
                        return;
                    };
                    super::app::ModelJob::Fit {
                        run: *id,
                        corpus,
                        preset: run.preset,
                        report,
                    }
                }
            },
        };
        self.lab.classifying = true;
        self.jobs_running += 1;
        self.status = format!("classifying {} with {} …", path.display(), source.label());
        cmds.push(Command::Classify {
            path,
            recording,
            model: job,
            label: source.label(),
            profile: self.lab.profile().map(|p| p.to_path_buf()),
        });
    }

    pub(super) fn on_classified(&mut self, c: Classified) {
        self.jobs_running = self.jobs_running.saturating_sub(1);
        self.lab.classifying = false;
        if let Some(f) = c.fitted {
            self.lab.fitted.retain(|(i, _)| *i != f.0);
            self.lab.fitted.push(f);
        }
        match c.result {
            Ok(r) => {
                self.status = format!("{}: {}", r.file.display(), r.emotion);
                log::info!(
                    "classified {} as {} ({})",
                    r.file.display(),
                    r.emotion,
                    r.model
                );
                self.lab.history.push(r);
                self.lab.history_index = self.lab.history.len() - 1;
            }
            Err(e) => {
                log::error!("{e}");
                self.notice = Some(e);
            }
        }
    }

    pub(super) fn on_run_event(&mut self, id: u32, e: RunEvent) {
        let mut finished = false;
        let Some(run) = self.lab.run_mut(id) else {
            return;
        };
        match e {
            RunEvent::Extracting { done, total } => {
                run.progress = (done, total);
                run.stage = format!("features {done}/{total}");
            }
            RunEvent::Job(JobEvent::Started { total }) => {
                run.state = RunState::Training;
                run.progress = (0, total);
                run.stage = "training".into();
            }
            RunEvent::Job(JobEvent::Progress { done, total, stage }) => {
                run.progress = (done, total);
                run.stage = stage;
            }
            RunEvent::Job(JobEvent::FoldDone {
                of,
                confusion_so_far,
                scores_so_far,
                ..
            }) => {
                run.folds_done += 1;
                run.folds = of;
                run.confusion = Some(confusion_so_far);
                run.scores = Some(scores_so_far);
            }
            RunEvent::Job(JobEvent::Finished(report)) => {
                run.state = RunState::Finished;
                run.confusion = Some(report.pooled.clone());
                run.scores = Some(report.scores.clone());
                run.folds = report.folds.len();
                run.folds_done = report.folds.len();
                run.stage = format!("done in {:.1} s", report.seconds);
                run.progress = (run.progress.1, run.progress.1);
                log::info!(
                    "run #{id} finished: accuracy {:.3}, UAR {:.3}",
                    report.scores.accuracy,
                    report.scores.uar
                );
                run.report = Some(Arc::new(*report));
                finished = true;
            }
            RunEvent::Job(JobEvent::Failed(msg)) => {
                log::error!("run #{id} failed: {msg}");
                run.stage = msg.clone();
                run.state = RunState::Failed(msg);
                finished = true;
            }
            RunEvent::Job(JobEvent::Cancelled) => {
                log::info!("run #{id} cancelled");
                run.state = RunState::Cancelled;
                run.stage = "cancelled".into();
                finished = true;
            }
        }
        if finished {
            self.jobs_running = self.jobs_running.saturating_sub(1);
            let state = self.lab.run(id).map(|r| r.state.label().to_string());
            self.status = format!("run #{id} {}", state.unwrap_or_default());
            self.lab.recompare();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_names_stay_in_models_unless_absolute() {
        let ok = |t: &str| model_export_path(t).unwrap();
        assert_eq!(ok("svm"), PathBuf::from("models/svm.ron"));
        assert_eq!(
            ok("models/svm-classic-run1.ron"),
            PathBuf::from("models/svm-classic-run1.ron")
        );
        assert_eq!(ok("models/mine/a"), PathBuf::from("models/mine/a.ron"));
        assert_eq!(ok("/tmp/x.ron"), PathBuf::from("/tmp/x.ron"));
        for bad in ["../x.ron", "models/../../x", "elsewhere/x.ron", "  ", "./x"] {
            assert!(model_export_path(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_form_carries_selection_and_enrolment_into_the_spec() {
        let mut form = TrainForm {
            select: "500, 2000".into(),
            ..TrainForm::default()
        };
        assert_eq!(form.spec().unwrap().select, vec![500, 2000]);
        assert_eq!(form.spec().unwrap().enrol, None);
        // Enrolment needs speaker normalisation; stepping to it turns that on.
        form.enrol = Some(12);
        assert!(form.spec().unwrap_err().contains("spk norm"));
        form.enrol = None;
        form.field = FormField::ALL
            .iter()
            .position(|f| *f == FormField::Enrol)
            .unwrap();
        form.step(true);
        assert_eq!(form.enrol, Some(6));
        assert!(form.speaker_norm);
        assert_eq!(form.spec().unwrap().enrol, Some(6));
        // Selection in the grid and in the field at once is refused; bad numbers too.
        form.grid = "c=1 select=100".into();
        assert!(form.spec().unwrap_err().contains("twice"));
        assert!(parse_select("0").is_err());
        assert!(parse_select("ten").is_err());
        assert_eq!(parse_select("").unwrap(), Vec::<usize>::new());
        // The session keeps both.
        let back = TrainForm::from_state(&form.state());
        assert_eq!((back.select, back.enrol), (form.select.clone(), form.enrol));
    }
}
