//! The TUI's vocabulary: what a user asks for ([`Action`]), what a pane asks of the app
//! ([`Effect`]), the background work the executor runs ([`Command`]) and what it reports back
//! ([`AppEvent`]). Every other TUI module speaks these; this one depends on none of them
//! except the pane-independent helpers it names.

use std::path::PathBuf;
use std::sync::Arc;

use crate::corpus::{Clip, ClipId, Corpus, CorpusSpec};
use crate::features::Preset;
use crate::features::inspect::ClipAnalysis;
use crate::features::stats::FeatureStats;
use crate::ml::experiment::{ExperimentSpec, JobEvent, Report};
use crate::ml::importance::Importance;
use crate::ml::persist::SavedModel;
use crate::session::Classification;

use super::hits::Target;
use super::input::{Edit, Prompt};
pub use super::tabs::Pane;

/// What the inspector shows: a corpus clip, or any WAV file (e.g. a classified one).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ClipKey {
    Corpus(ClipId),
    File(PathBuf),
}

impl ClipKey {
    /// The RAVDESS name of a corpus clip, or the file name.
    pub fn title(&self) -> String {
        match self {
            ClipKey::Corpus(id) => id.stem(),
            ClipKey::File(p) => p
                .file_name()
                .map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into()),
        }
    }

    pub fn ravdess(&self) -> Option<ClipId> {
        match self {
            ClipKey::Corpus(id) => Some(*id),
            ClipKey::File(_) => None,
        }
    }
}

/// The model a classification job uses.
#[derive(Debug, Clone)]
pub enum ModelJob {
    /// Load a saved model file.
    File(PathBuf),
    /// A finished experiment's final model, already fitted.
    Fitted(u32, Arc<SavedModel>),
    /// Fit a finished experiment's final model on the whole corpus first.
    Fit {
        run: u32,
        corpus: Corpus,
        preset: Preset,
        report: Arc<Report>,
    },
}

/// Which features a speaker profile is made for.
#[derive(Debug, Clone)]
pub enum EnrolFor {
    /// A finished experiment's preset.
    Preset(Preset),
    /// A saved model's own feature settings.
    Model(PathBuf),
}

/// Background work `update` asks for; the executor runs it.
#[derive(Debug, Clone)]
pub enum Command {
    OpenCorpus(CorpusSpec),
    /// Analyse a clip for the inspector: a corpus clip, or the file of `ClipKey::File`.
    Analyse(ClipKey, Option<Clip>),
    /// Extract the preset's features (cached) and run the experiment; reports `AppEvent::Run`.
    Train {
        run: u32,
        corpus: Corpus,
        preset: Preset,
        spec: ExperimentSpec,
    },
    /// Stop a run.
    Cancel(u32),
    /// Fit a finished experiment's final model on every clip and save it.
    SaveModel {
        path: PathBuf,
        corpus: Corpus,
        preset: Preset,
        report: Arc<Report>,
    },
    Classify {
        path: PathBuf,
        /// A raw microphone recording: resampled and trimmed before classifying.
        recording: bool,
        model: ModelJob,
        label: String,
        /// A speaker profile for per-speaker-normalised models.
        profile: Option<PathBuf>,
    },
    /// List the `.ron` files of `models/`.
    ListModels,
    /// List the speaker profiles of `profiles/`.
    ListProfiles,
    /// Start recording from the default input (results come as `AppEvent::Recording`).
    StartRecording,
    StopRecording,
    /// Play a clip on the default output (`AppEvent::Playback`); stops any other.
    Play(ClipKey, Option<Clip>),
    StopPlayback,
    /// Make a speaker profile from these files.
    Enrol {
        name: String,
        files: Vec<PathBuf>,
        model: EnrolFor,
    },
    /// List a folder for the file browser.
    ListDir(PathBuf),
    /// Complete a typed path (Tab).
    Complete(String),
    SaveSession(PathBuf, Box<crate::session::Session>),
    /// Extract the corpus's classic+contrast features (cached) for z-scores.
    FeatureStats(Corpus),
    /// Write a finished run's report (JSON), confusion matrix and predictions (CSV) as
    /// `STEM.json`, `STEM-confusion.csv`, `STEM-predictions.csv`.
    ExportRun(Arc<Report>, PathBuf),
    /// Permutation importance of a finished run (its folds refitted on the corpus).
    Importance {
        run: u32,
        corpus: Corpus,
        preset: Preset,
        report: Arc<Report>,
    },
}

/// Background work the status line counts, by name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum JobId {
    OpenCorpus,
    Stats,
    Analyse(ClipKey),
    Run(u32),
    SaveModel,
    Classify,
    Enrol,
    SaveSession,
    Importance(u32),
}

/// How far a job's current stage is: `done` of `total` units of `stage` ("shuffled",
/// "reading features"); a `total` of 0 names a stage that has no count ("refitting every
/// fold").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub stage: &'static str,
    pub done: usize,
    pub total: usize,
}

impl Command {
    /// What a job does and how long it should take, when that can be told beforehand: a
    /// run's final model fitted on every clip ([`Report::final_fit_estimate`]).
    pub fn estimate(&self) -> Option<(&'static str, std::time::Duration)> {
        let report = match self {
            Command::SaveModel { report, .. } => report,
            Command::Classify {
                model: ModelJob::Fit { report, .. },
                ..
            } => report,
            _ => return None,
        };
        Some(("final fit", report.final_fit_estimate(report.ids.len())?))
    }

    /// The job this command starts, if it is one the user waits for.
    pub fn job(&self) -> Option<JobId> {
        Some(match self {
            Command::OpenCorpus(_) => JobId::OpenCorpus,
            Command::Analyse(k, _) => JobId::Analyse(k.clone()),
            Command::Train { run, .. } => JobId::Run(*run),
            Command::SaveModel { .. } => JobId::SaveModel,
            Command::Classify { .. } => JobId::Classify,
            Command::Enrol { .. } => JobId::Enrol,
            Command::SaveSession(..) => JobId::SaveSession,
            Command::FeatureStats(_) => JobId::Stats,
            Command::Importance { run, .. } => JobId::Importance(*run),
            _ => return None,
        })
    }
}

/// What a run reports back to the app.
#[derive(Debug, Clone)]
pub enum RunEvent {
    Extracting { done: usize, total: usize },
    Job(JobEvent),
}

/// A classification job's outcome.
#[derive(Debug, Clone)]
pub struct Classified {
    pub result: Result<Classification, String>,
    /// The model fitted for an experiment source, kept for the next file.
    pub fitted: Option<(u32, Arc<SavedModel>)>,
}

/// What the recorder reports.
#[derive(Debug, Clone)]
pub enum RecordEvent {
    /// Recording from this device ("alsa:default · 48000 Hz · i16").
    Started(String),
    Level {
        seconds: f64,
        peak: f32,
    },
    /// The input could not be opened (no device, no ALSA, audio not built in).
    Failed(String),
    /// Stopped: where the raw recording was saved, and why it ended early if it did.
    Stopped {
        saved: Result<PathBuf, String>,
        lost: Option<String>,
    },
}

/// What the player reports.
#[derive(Debug, Clone)]
pub enum PlayEvent {
    At { seconds: f64, duration: f64 },
    Stopped,
    Failed(String),
}

/// Results of background work, and terminal input (read on its own thread).
#[derive(Debug, Clone)]
pub enum AppEvent {
    CorpusOpened(Result<Corpus, String>),
    Saved(Result<PathBuf, String>),
    Stats(Result<Arc<FeatureStats>, String>),
    Analysed(ClipKey, Result<Arc<ClipAnalysis>, String>),
    Run(u32, RunEvent),
    ModelSaved(Result<PathBuf, String>),
    Classified(Classified),
    Models(Vec<PathBuf>),
    Dir(PathBuf, Result<Vec<String>, String>),
    /// A Tab completion: the completed text and, when several names match, them all.
    Completed(String, Vec<String>),
    Profiles(Vec<PathBuf>),
    Enrolled(Result<PathBuf, String>),
    Recording(RecordEvent),
    Playback(ClipKey, PlayEvent),
    /// A background autosave could not be written (full disk, read-only folder).
    AutosaveFailed(String),
    /// A run's files were written (or why not).
    Exported(Result<Vec<PathBuf>, String>),
    /// What a saved model is (family, preset, score, date, size), read in the background.
    ModelInfo(PathBuf, String),
    /// A run's permutation importance (or why not).
    Importance(u32, Result<Importance, String>),
    /// How far a running job's current stage is.
    JobProgress(JobId, Progress),
    /// A signal asked the process to stop (its name): the app quits as on `q`, without asking.
    Terminate(&'static str),
    /// A key, mouse or resize event from the terminal.
    Input(ratatui::crossterm::event::Event),
}

impl AppEvent {
    /// Whether handling it can change what a session records. Progress cannot (a running
    /// experiment is recorded as running whatever its progress), nor can playback or the
    /// level meter: those batches skip building the session to compare (it holds every
    /// finished report).
    pub fn may_change_session(&self) -> bool {
        !matches!(
            self,
            AppEvent::Playback(..)
                | AppEvent::JobProgress(..)
                | AppEvent::Recording(RecordEvent::Level { .. })
                | AppEvent::Run(_, RunEvent::Extracting { .. })
                | AppEvent::Run(
                    _,
                    RunEvent::Job(
                        JobEvent::Started { .. }
                            | JobEvent::Progress { .. }
                            | JobEvent::FoldDone { .. }
                    )
                )
        )
    }

    /// The job this event ends, if any.
    pub fn ends_job(&self) -> Option<JobId> {
        Some(match self {
            AppEvent::CorpusOpened(_) => JobId::OpenCorpus,
            AppEvent::Saved(_) => JobId::SaveSession,
            AppEvent::Stats(_) => JobId::Stats,
            AppEvent::Analysed(k, _) => JobId::Analyse(k.clone()),
            AppEvent::Run(id, RunEvent::Job(e)) if e.is_final() => JobId::Run(*id),
            AppEvent::ModelSaved(_) => JobId::SaveModel,
            AppEvent::Classified(_) => JobId::Classify,
            AppEvent::Enrolled(_) => JobId::Enrol,
            AppEvent::Importance(run, _) => JobId::Importance(*run),
            _ => return None,
        })
    }
}

/// A clip playing.
#[derive(Debug, Clone, PartialEq)]
pub struct Playing {
    pub key: ClipKey,
    pub seconds: f64,
    pub duration: f64,
}

/// User intentions, from keys (through the key tables) and the mouse.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Action {
    Quit,
    /// Ctrl-C: quit now.
    ConfirmQuit,
    Pane(Pane),
    NextPane,
    PrevPane,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Home,
    End,
    Enter,
    Back,
    ToggleHelp,
    /// Start typing a session name to save as.
    StartSaveAs,
    /// Start typing a corpus folder to open.
    StartOpen,
    /// Reopen the session this start kept from the last autosave.
    ReopenPrevious,
    /// A key typed into the open text prompt.
    Edit(Edit),
    /// Corpus: filters, search and the problems panel.
    CycleSex,
    CycleIntensity,
    CycleStatement,
    CycleRepetition,
    CycleChannel,
    StartSearch,
    ToggleProblems,
    /// Log pane: show one more / one less level of detail.
    CycleLogLevel,
    /// Inspect: next view, side by side, raw ↔ z-scores.
    NextView,
    ToggleSideBySide,
    CycleScale,
    /// Train: counts ↔ row-normalised matrix, a new run, cancel, re-run.
    ToggleNormalised,
    /// Train: the finished run's scores by actor → sex → intensity → statement → off.
    CycleBreakdown,
    NewRun,
    CancelRun,
    Rerun,
    /// Train and Compare: save the selected experiment's final model to models/.
    ExportModel,
    /// Train and Compare: write the selected run's report, matrix and predictions to exports/.
    ExportRun,
    /// Train: permutation importance of the selected run (computed once, then shown/hidden).
    Importance,
    /// Compare: next sort column / reverse the order / pick a run for the side by side.
    Sort,
    ReverseSort,
    Pick,
    /// Classify: next model, file browser, microphone, speaker profile, enrolment.
    NextModel,
    Browse,
    Record,
    CycleProfile,
    Enrol,
    /// Play (or stop) the selected clip.
    Play,
    /// A left click at a screen position; the app resolves it to a [`Target`].
    Click {
        column: u16,
        row: u16,
    },
    /// The wheel at a screen position (`down` = towards the end).
    Wheel {
        column: u16,
        row: u16,
        down: bool,
    },
    /// A click on something a pane drew (what the app resolved a click to).
    Clicked(Target),
    /// The wheel over something a pane drew.
    Scrolled(Target, bool),
    Resize,
    /// The animation timer (only runs while something animates).
    Tick,
}

/// What a pane's `update` asks of the app: work, a pane switch, words for the status line.
#[derive(Debug, Clone)]
pub enum Effect {
    /// Background work for the executor.
    Run(Command),
    Show(Pane),
    Status(String),
    /// A warning shown over the status line until the next key.
    Notice(String),
    /// Open a text prompt, pre-filled.
    Ask(Prompt, String),
    /// Open a clip in the inspector; `back` is where Esc returns to.
    Inspect(ClipKey, Pane),
    /// The line the inspector shows beside the clip just opened (a run's prediction).
    Verdict(String),
    /// Play this clip, or stop what plays.
    TogglePlay(Option<ClipKey>),
    /// Start an experiment (also a re-run).
    StartRun(Preset, ExperimentSpec),
    /// Show a run's confusion matrix in Train.
    OpenRun(u32),
}
