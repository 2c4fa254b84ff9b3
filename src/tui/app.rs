//! The application state, the actions that change it, and `update` — pure: no I/O, no
//! drawing. Work that takes time comes back as [`Command`]s the event loop runs in the
//! background; their results return as [`AppEvent`]s.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::corpus::{Clip, Corpus, CorpusSpec, Emotion, Intensity, RavdessId, Sex, Statement};

use super::experiments::{Classified, Lab, RunEvent, TrainForm};
use super::keys::{KeyHelp, pane_keys};
use crate::features::Preset;
use crate::ml::experiment::{ExperimentSpec, Report};
use crate::ml::persist::SavedModel;

/// What the inspector shows: a corpus clip, or any WAV file (e.g. a classified one).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ClipKey {
    Corpus(RavdessId),
    File(std::path::PathBuf),
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

    pub fn ravdess(&self) -> Option<RavdessId> {
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
    File(std::path::PathBuf),
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

/// The panes, in tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pane {
    Corpus,
    Inspect,
    Train,
    Compare,
    Classify,
    Log,
}

impl Pane {
    pub const ALL: [Pane; 6] = [
        Pane::Corpus,
        Pane::Inspect,
        Pane::Train,
        Pane::Compare,
        Pane::Classify,
        Pane::Log,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Pane::Corpus => "Corpus",
            Pane::Inspect => "Inspect",
            Pane::Train => "Train",
            Pane::Compare => "Compare",
            Pane::Classify => "Classify",
            Pane::Log => "Log",
        }
    }

    fn index(self) -> usize {
        Pane::ALL.iter().position(|&p| p == self).unwrap_or(0)
    }
}

/// What the inspector shows under the waveform.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InspectView {
    Spectrogram,
    Mel,
    Mfcc,
    Chroma,
    Pitch,
    Features,
}

impl InspectView {
    pub const ALL: [InspectView; 6] = [
        InspectView::Spectrogram,
        InspectView::Mel,
        InspectView::Mfcc,
        InspectView::Chroma,
        InspectView::Pitch,
        InspectView::Features,
    ];

    pub fn title(self) -> &'static str {
        match self {
            InspectView::Spectrogram => "spectrogram",
            InspectView::Mel => "mel",
            InspectView::Mfcc => "MFCC",
            InspectView::Chroma => "chroma",
            InspectView::Pitch => "pitch",
            InspectView::Features => "features",
        }
    }
}

/// Everything the inspector draws of one clip, computed in the background.
#[derive(Debug, Clone, PartialEq)]
pub struct ClipView {
    pub key: ClipKey,
    /// The RAVDESS fields, for corpus clips and files named like them.
    pub id: Option<RavdessId>,
    pub sample_rate: u32,
    pub duration: f64,
    /// Min and max of the waveform in 512 equal slices.
    pub envelope: Vec<(f32, f32)>,
    pub n_frames: usize,
    /// Magnitude in dB, frame-major, bins up to `spec_max_hz`.
    pub spec_db: Vec<f32>,
    pub spec_bins: usize,
    pub spec_max_hz: f64,
    pub mel_db: Vec<f32>,
    pub n_mels: usize,
    pub mfcc: Vec<f32>,
    pub n_mfcc: usize,
    pub chroma: Vec<f32>,
    pub f0: Vec<Option<f64>>,
    /// (name, value) of the classic+contrast summary.
    pub features: Vec<(String, f32)>,
}

/// Per-feature means and standard deviations over the corpus and per emotion, for z-scores.
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureStats {
    pub names: Vec<String>,
    /// (mean, std) per feature over every clip.
    pub corpus: Vec<(f32, f32)>,
    /// (mean, std) per feature over the clips of each emotion.
    pub by_emotion: HashMap<Emotion, Vec<(f32, f32)>>,
}

impl FeatureStats {
    /// Means and standard deviations (ddof 0) of named rows tagged with emotions.
    pub fn from_rows(names: Vec<String>, rows: &[(Emotion, Vec<f32>)]) -> FeatureStats {
        let stats = |rows: &[&Vec<f32>]| -> Vec<(f32, f32)> {
            (0..names.len())
                .map(|k| {
                    let n = rows.len().max(1) as f64;
                    let m = rows.iter().map(|r| f64::from(r[k])).sum::<f64>() / n;
                    let v = rows
                        .iter()
                        .map(|r| (f64::from(r[k]) - m).powi(2))
                        .sum::<f64>()
                        / n;
                    (m as f32, v.sqrt() as f32)
                })
                .collect()
        };
        let all: Vec<&Vec<f32>> = rows.iter().map(|r| &r.1).collect();
        let mut by_emotion = HashMap::new();
        for &e in Emotion::ALL {
            let of: Vec<&Vec<f32>> = rows.iter().filter(|r| r.0 == e).map(|r| &r.1).collect();
            if !of.is_empty() {
                by_emotion.insert(e, stats(&of));
            }
        }
        FeatureStats {
            corpus: stats(&all),
            by_emotion,
            names,
        }
    }
}

/// How the Features view shows values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeatureScale {
    Raw,
    /// z-score against the corpus mean and std.
    ZCorpus,
    /// z-score against the mean and std of the clip's own emotion.
    ZEmotion,
}

/// Side effects `update` asks for.
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
        path: std::path::PathBuf,
        corpus: Corpus,
        preset: Preset,
        report: Arc<Report>,
    },
    Classify {
        path: std::path::PathBuf,
        /// A raw microphone recording: resampled and trimmed before classifying.
        recording: bool,
        model: ModelJob,
        label: String,
        /// A speaker profile for per-speaker-normalised models.
        profile: Option<std::path::PathBuf>,
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
        files: Vec<std::path::PathBuf>,
        model: EnrolFor,
    },
    /// List a folder for the file browser.
    ListDir(std::path::PathBuf),
    /// Complete a typed path (Tab).
    Complete(String),
    SaveSession(std::path::PathBuf, crate::session::Session),
    /// Extract the corpus's classic+contrast features (cached) for z-scores.
    FeatureStats(Corpus),
}

/// Results of background work.
#[derive(Debug, Clone)]
pub enum AppEvent {
    CorpusOpened(Result<Corpus, String>),
    Saved(Result<std::path::PathBuf, String>),
    Stats(Result<Arc<FeatureStats>, String>),
    Analysed(ClipKey, Result<Arc<ClipView>, String>),
    Run(u32, RunEvent),
    ModelSaved(Result<std::path::PathBuf, String>),
    Classified(Classified),
    Models(Vec<std::path::PathBuf>),
    Dir(std::path::PathBuf, Result<Vec<String>, String>),
    Completed(String),
    Profiles(Vec<std::path::PathBuf>),
    Enrolled(Result<std::path::PathBuf, String>),
    Recording(RecordEvent),
    Playback(ClipKey, PlayEvent),
    /// A background autosave could not be written (full disk, read-only folder).
    AutosaveFailed(String),
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
    /// Stopped: where the raw recording was saved, and why it ended early if the device went.
    Stopped {
        saved: Result<std::path::PathBuf, String>,
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

/// Which features a speaker profile is made for.
#[derive(Debug, Clone)]
pub enum EnrolFor {
    /// A finished experiment's preset.
    Preset(Preset),
    /// A saved model's own feature settings.
    Model(std::path::PathBuf),
}

/// A recording in progress.
#[derive(Debug, Clone, PartialEq)]
pub struct Recording {
    pub device: String,
    pub seconds: f64,
    pub peak: f32,
}

/// A clip playing.
#[derive(Debug, Clone, PartialEq)]
pub struct Playing {
    pub key: ClipKey,
    pub seconds: f64,
    pub duration: f64,
}

/// User intentions, from keys and mouse.
#[derive(Debug, Clone)]
pub enum Action {
    Quit,
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
    CycleSex,
    CycleIntensity,
    CycleStatement,
    CycleRepetition,
    CycleChannel,
    /// Log pane: show one more / one less level of detail.
    CycleLogLevel,
    StartSearch,
    /// Start typing a session name to save as.
    StartSaveAs,
    /// Start typing a corpus folder to open.
    StartOpen,
    SearchChar(char),
    SearchBackspace,
    SearchDone,
    /// Leave a text prompt without applying it.
    InputCancel,
    ToggleProblems,
    NextView,
    ToggleSideBySide,
    /// Features view: raw → z vs corpus → z vs emotion.
    CycleScale,
    /// Train: counts ↔ row-normalised confusion matrix.
    ToggleNormalised,
    /// Train: back to the form.
    NewRun,
    CancelRun,
    Rerun,
    /// Save the selected experiment's final model to models/.
    ExportModel,
    /// Compare: next sort column / reverse the order / pick a run for the side by side.
    Sort,
    ReverseSort,
    Pick,
    /// Classify: next model / open the file browser / record from the microphone.
    NextModel,
    Browse,
    Record,
    /// Play the selected clip.
    Play,
    /// Tab in a path prompt: complete it.
    Complete,
    /// Classify: next speaker profile (none → profiles/…).
    CycleProfile,
    /// Classify: enrol the speaker of the history's clips as a profile.
    Enrol,
    Click {
        column: u16,
        row: u16,
    },
    Resize,
    Event(AppEvent),
}

/// Which part of the corpus pane has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Grid,
    Clips,
}

/// What a text prompt is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prompt {
    /// Typing filters the clip list live.
    Search,
    SaveAs,
    OpenCorpus,
    /// Train form fields typed as text.
    Grid,
    Select,
    Protocol,
    Seed,
    /// The file to save a run's final model to.
    ModelName(u32),
    /// A WAV file to classify.
    WavPath,
    /// The name of a speaker profile to enrol.
    ProfileName,
}

impl Prompt {
    /// The label before the typed text in the status line.
    pub fn label(self) -> &'static str {
        match self {
            Prompt::Search => "search: ",
            Prompt::SaveAs => "save session as (sessions/NAME.ron): ",
            Prompt::OpenCorpus => "open corpus folder: ",
            Prompt::Grid => "grid (key=v1,v2 …): ",
            Prompt::Select => "features kept (K, or K1,K2 to search; empty = all): ",
            Prompt::Protocol => {
                "protocol (actor-kfold:K, loso, holdout:21-24, random:0.2, kfold:K): "
            }
            Prompt::Seed => "seed: ",
            Prompt::ModelName(_) => "save model as: ",
            Prompt::WavPath => "WAV to classify (Tab completes): ",
            Prompt::ProfileName => "enrol the history's clips as speaker: ",
        }
    }

    /// Whether Tab completes a file path here.
    pub fn completes_paths(self) -> bool {
        matches!(
            self,
            Prompt::WavPath | Prompt::OpenCorpus | Prompt::ModelName(_)
        )
    }
}

/// Filters of the corpus pane.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    pub sex: Option<Sex>,
    pub intensity: Option<Intensity>,
    pub statement: Option<Statement>,
    pub repetition: Option<u8>,
    pub channel: Option<crate::corpus::VocalChannel>,
    pub text: String,
}

/// The whole application state.
#[derive(Debug, Clone)]
pub struct App {
    pub pane: Pane,
    pub spec: CorpusSpec,
    pub corpus: Option<Corpus>,
    pub error: Option<String>,
    pub status: String,
    /// A warning shown above everything in the status line until the next key.
    pub notice: Option<String>,
    pub show_help: bool,
    pub confirm_quit: bool,
    pub should_quit: bool,
    // Corpus pane.
    pub actor: usize,
    pub emotion: usize,
    pub focus: Focus,
    pub clip_index: usize,
    pub filters: Filters,
    /// The text prompt being typed into, if any (search types into `filters.text`).
    pub prompt: Option<Prompt>,
    pub prompt_text: String,
    pub show_problems: bool,
    // Inspect pane.
    pub inspected: Option<ClipKey>,
    pub view: InspectView,
    pub side_by_side: bool,
    pub views: HashMap<ClipKey, Arc<ClipView>>,
    pub pending: HashSet<ClipKey>,
    pub scale: FeatureScale,
    pub stats: Option<Arc<FeatureStats>>,
    pub stats_pending: bool,
    /// Where the tabs were drawn: (pane, first column, last column), for mouse clicks.
    pub tab_spans: Vec<(Pane, u16, u16)>,
    /// Where the pane was drawn, for mouse clicks inside it.
    pub pane_area: ratatui::layout::Rect,
    /// The most detailed level the Log pane shows.
    pub log_level: log::LevelFilter,
    pub jobs_running: usize,
    /// Train, Compare and Classify.
    pub lab: Lab,
    pub recording: Option<Recording>,
    pub playing: Option<Playing>,
}

fn cycle<T: Copy + PartialEq>(current: Option<T>, all: &[T]) -> Option<T> {
    match current {
        None => all.first().copied(),
        Some(v) => {
            let i = all.iter().position(|&x| x == v).unwrap_or(0);
            all.get(i + 1).copied()
        }
    }
}

impl App {
    /// A new app that will open `spec` (the caller runs the returned command).
    pub fn new(spec: CorpusSpec) -> (App, Vec<Command>) {
        let app = App {
            pane: Pane::Corpus,
            spec: spec.clone(),
            corpus: None,
            error: None,
            status: format!("opening {spec} …"),
            notice: None,
            show_help: false,
            confirm_quit: false,
            should_quit: false,
            actor: 0,
            emotion: 0,
            focus: Focus::Grid,
            clip_index: 0,
            filters: Filters::default(),
            prompt: None,
            prompt_text: String::new(),
            show_problems: false,
            inspected: None,
            view: InspectView::Spectrogram,
            side_by_side: false,
            views: HashMap::new(),
            pending: HashSet::new(),
            scale: FeatureScale::Raw,
            stats: None,
            stats_pending: false,
            tab_spans: Vec::new(),
            pane_area: ratatui::layout::Rect::default(),
            log_level: log::LevelFilter::Info,
            jobs_running: 1,
            lab: Lab::default(),
            recording: None,
            playing: None,
        };
        (app, vec![Command::OpenCorpus(spec)])
    }

    /// Starts opening another corpus.
    fn open(&mut self, spec: CorpusSpec) -> Vec<Command> {
        self.spec = spec.clone();
        self.corpus = None;
        self.error = None;
        self.views.clear();
        self.pending.clear();
        self.jobs_running += 1;
        self.status = format!("opening {spec} …");
        vec![Command::OpenCorpus(spec)]
    }

    /// A new app restoring a saved session (the caller runs the returned commands).
    pub fn from_session(s: &crate::session::Session) -> (App, Vec<Command>) {
        let (mut app, cmds) = App::new(s.corpus.clone());
        let u = &s.ui;
        app.pane = Pane::ALL
            .iter()
            .copied()
            .find(|p| p.title() == u.pane)
            .unwrap_or(Pane::Corpus);
        app.actor = u.actor;
        app.emotion = u.emotion.min(7);
        app.focus = if u.in_clips {
            Focus::Clips
        } else {
            Focus::Grid
        };
        app.clip_index = u.clip_index;
        app.filters = Filters {
            sex: u.filter_sex,
            intensity: u.filter_intensity,
            statement: u.filter_statement,
            repetition: u.filter_repetition,
            channel: u.filter_channel,
            text: u.filter_text.clone(),
        };
        app.inspected = match (&u.inspected_file, u.inspected) {
            (Some(p), _) => Some(ClipKey::File(p.clone())),
            (None, Some(id)) => Some(ClipKey::Corpus(id)),
            (None, None) => None,
        };
        if let Some(f) = &u.train_form {
            app.lab.form = TrainForm::from_state(f);
        }
        app.lab.runs = s
            .experiments
            .iter()
            .map(super::experiments::Run::from_record)
            .collect();
        app.lab.run_index = app.lab.runs.len().saturating_sub(1);
        if !app.lab.runs.is_empty() {
            app.lab.focus = super::experiments::TrainFocus::Runs;
        }
        app.lab.history = s.history.clone();
        app.lab.history_index = app.lab.history.len().saturating_sub(1);
        app.lab.wanted_model = u.classify_model.clone();
        app.view = InspectView::ALL
            .iter()
            .copied()
            .find(|v| v.title() == u.view)
            .unwrap_or(InspectView::Spectrogram);
        app.side_by_side = u.side_by_side;
        (app, cmds)
    }

    /// The session to save: the corpus and where the user is.
    pub fn session(&self) -> crate::session::Session {
        crate::session::Session {
            version: crate::session::VERSION,
            corpus: self.spec.clone(),
            ui: crate::session::UiState {
                pane: self.pane.title().to_string(),
                actor: self.actor,
                emotion: self.emotion,
                in_clips: self.focus == Focus::Clips,
                clip_index: self.clip_index,
                filter_sex: self.filters.sex,
                filter_intensity: self.filters.intensity,
                filter_statement: self.filters.statement,
                filter_repetition: self.filters.repetition,
                filter_channel: self.filters.channel,
                filter_text: self.filters.text.clone(),
                inspected: self.inspected.as_ref().and_then(ClipKey::ravdess),
                inspected_file: match &self.inspected {
                    Some(ClipKey::File(p)) => Some(p.clone()),
                    _ => None,
                },
                view: self.view.title().to_string(),
                side_by_side: self.side_by_side,
                train_form: Some(self.lab.form.state()),
                classify_model: self
                    .lab
                    .model_source()
                    .map(|m| m.label())
                    .or(self.lab.wanted_model.clone()),
            },
            experiments: self.lab.runs.iter().map(|r| r.record()).collect(),
            history: self.lab.history.clone(),
        }
    }

    /// The actors present (sorted).
    pub fn actors(&self) -> Vec<u8> {
        let mut a: Vec<u8> = self
            .corpus
            .iter()
            .flat_map(|c| c.clips.iter().map(|c| c.id.actor.number()))
            .collect();
        a.sort_unstable();
        a.dedup();
        a
    }

    fn passes(&self, c: &Clip) -> bool {
        let f = &self.filters;
        f.sex.is_none_or(|s| c.id.sex() == s)
            && f.intensity.is_none_or(|i| c.id.intensity == i)
            && f.statement.is_none_or(|s| c.id.statement == s)
            && f.repetition.is_none_or(|r| c.id.repetition == r)
            && f.channel.is_none_or(|ch| c.id.channel == ch)
            && (f.text.is_empty() || {
                let t = f.text.to_ascii_lowercase();
                c.id.stem().contains(&t) || c.id.describe().to_ascii_lowercase().contains(&t)
            })
    }

    /// Clip count of (actor, emotion) under the filters.
    pub fn count(&self, actor: u8, emotion: Emotion) -> usize {
        self.corpus.as_ref().map_or(0, |c| {
            c.clips
                .iter()
                .filter(|c| {
                    c.id.actor.number() == actor && c.id.emotion == emotion && self.passes(c)
                })
                .count()
        })
    }

    /// The clips of the selected cell under the filters.
    pub fn cell_clips(&self) -> Vec<&Clip> {
        let actors = self.actors();
        let (Some(corpus), Some(&actor)) = (self.corpus.as_ref(), actors.get(self.actor)) else {
            return Vec::new();
        };
        let emotion = Emotion::ALL[self.emotion.min(7)];
        corpus
            .clips
            .iter()
            .filter(|c| c.id.actor.number() == actor && c.id.emotion == emotion && self.passes(c))
            .collect()
    }

    /// The keys of the current pane (footer and help overlay).
    pub fn keys(&self) -> &'static [KeyHelp] {
        pane_keys(self.pane)
    }

    /// The clip to compare with in side-by-side view: the same actor, statement and
    /// repetition, neutral (or calm, when the clip itself is neutral).
    pub fn counterpart(&self, id: &RavdessId) -> Option<RavdessId> {
        let target = if id.emotion == Emotion::Neutral {
            Emotion::Calm
        } else {
            Emotion::Neutral
        };
        let corpus = self.corpus.as_ref()?;
        corpus
            .clips
            .iter()
            .find(|c| {
                c.id.actor == id.actor
                    && c.id.statement == id.statement
                    && c.id.repetition == id.repetition
                    && c.id.emotion == target
                    && c.id.intensity == Intensity::Normal
            })
            .map(|c| c.id)
    }

    fn request(&mut self, key: ClipKey, cmds: &mut Vec<Command>) {
        if self.views.contains_key(&key) || self.pending.contains(&key) {
            return;
        }
        let clip = match &key {
            ClipKey::Corpus(id) => match self.corpus.as_ref().and_then(|c| c.clip(id)) {
                Some(c) => Some(c.clone()),
                None => return,
            },
            ClipKey::File(_) => None,
        };
        self.pending.insert(key.clone());
        self.jobs_running += 1;
        cmds.push(Command::Analyse(key, clip));
    }

    /// The neutral (or calm) take beside a corpus clip, when side by side is on.
    fn side_clip(&self, key: &ClipKey) -> Option<ClipKey> {
        let id = key.ravdess()?;
        self.side_by_side
            .then(|| self.counterpart(&id))
            .flatten()
            .map(ClipKey::Corpus)
    }

    pub(super) fn open_in_inspector(&mut self, key: ClipKey, cmds: &mut Vec<Command>) {
        self.inspected = Some(key.clone());
        self.pane = Pane::Inspect;
        if let Some(other) = self.side_clip(&key) {
            self.request(other, cmds);
        }
        self.request(key, cmds);
    }

    /// Switches pane; the Classify pane refreshes its list of saved models.
    fn show_pane(&mut self, p: Pane, cmds: &mut Vec<Command>) {
        self.pane = p;
        if p == Pane::Classify {
            cmds.push(Command::ListModels);
            cmds.push(Command::ListProfiles);
        }
    }

    /// Applies an action; returns the background work it needs.
    pub fn update(&mut self, action: Action) -> Vec<Command> {
        let mut cmds = Vec::new();
        if !matches!(action, Action::Event(_) | Action::Resize) {
            self.notice = None;
        }
        if self.confirm_quit {
            self.confirm_quit = false;
            if matches!(action, Action::ConfirmQuit | Action::Quit) {
                self.should_quit = true;
                return cmds;
            }
            self.status = "quit cancelled".into();
        }
        if let Some(prompt) = self.prompt {
            match action {
                Action::SearchChar(c) if prompt == Prompt::Search => {
                    self.filters.text.push(c);
                    self.clip_index = 0;
                }
                Action::SearchBackspace if prompt == Prompt::Search => {
                    self.filters.text.pop();
                    self.clip_index = 0;
                }
                Action::SearchChar(c) => self.prompt_text.push(c),
                Action::SearchBackspace => {
                    self.prompt_text.pop();
                }
                Action::Complete if prompt.completes_paths() => {
                    cmds.push(Command::Complete(self.prompt_text.clone()));
                }
                Action::SearchDone => {
                    self.prompt = None;
                    let text = std::mem::take(&mut self.prompt_text);
                    match prompt {
                        Prompt::Search => {}
                        Prompt::SaveAs => {
                            let path = crate::session::Session::path_for_name(&text);
                            self.status = format!("saving {} …", path.display());
                            cmds.push(Command::SaveSession(path, self.session()));
                        }
                        Prompt::OpenCorpus if !text.trim().is_empty() => {
                            let spec = CorpusSpec::Directory {
                                path: text.trim().into(),
                            };
                            cmds.extend(self.open(spec));
                        }
                        Prompt::OpenCorpus => {}
                        Prompt::Grid => self.lab.form.grid = text.trim().to_string(),
                        Prompt::Select => match super::experiments::parse_select(&text) {
                            Ok(_) => self.lab.form.select = text.trim().to_string(),
                            Err(e) => self.notice = Some(format!("selection not changed: {e}")),
                        },
                        Prompt::Protocol => {
                            match text.trim().parse::<crate::ml::protocol::Protocol>() {
                                Ok(_) => self.lab.form.protocol = text.trim().to_string(),
                                Err(e) => self.notice = Some(format!("protocol not changed: {e}")),
                            }
                        }
                        Prompt::Seed => match text.trim().parse::<u64>() {
                            Ok(v) => self.lab.form.seed = v,
                            Err(_) => {
                                self.notice = Some(format!(
                                    "'{}' is not a seed (a whole number ≥ 0)",
                                    text.trim()
                                ))
                            }
                        },
                        Prompt::ModelName(run) if !text.trim().is_empty() => {
                            self.export_model(run, text, &mut cmds)
                        }
                        Prompt::ModelName(_) => {}
                        Prompt::WavPath if !text.trim().is_empty() => {
                            self.classify(text.trim().into(), false, &mut cmds)
                        }
                        Prompt::WavPath => {}
                        Prompt::ProfileName if !text.trim().is_empty() => {
                            self.enrol(text.trim().to_string(), &mut cmds)
                        }
                        Prompt::ProfileName => {}
                    }
                }
                Action::InputCancel => {
                    if prompt == Prompt::Search {
                        self.filters.text.clear();
                    }
                    self.prompt = None;
                    self.prompt_text.clear();
                }
                Action::Event(e) => return self.on_event(e),
                _ => {}
            }
            return cmds;
        }
        match action {
            Action::Quit => {
                if self.jobs_running > 0 {
                    self.confirm_quit = true;
                    self.status = format!(
                        "{} job(s) running — press q again to quit, any other key to stay",
                        self.jobs_running
                    );
                } else {
                    self.should_quit = true;
                }
            }
            Action::ConfirmQuit => self.should_quit = true,
            Action::ToggleHelp => self.show_help = !self.show_help,
            Action::Back if self.show_help => self.show_help = false,
            Action::Pane(p) => self.show_pane(p, &mut cmds),
            Action::NextPane => self.show_pane(
                Pane::ALL[(self.pane.index() + 1) % Pane::ALL.len()],
                &mut cmds,
            ),
            Action::PrevPane => self.show_pane(
                Pane::ALL[(self.pane.index() + Pane::ALL.len() - 1) % Pane::ALL.len()],
                &mut cmds,
            ),
            Action::Event(e) => return self.on_event(e),
            Action::StartSaveAs => {
                self.prompt = Some(Prompt::SaveAs);
                self.prompt_text.clear();
            }
            Action::StartOpen => {
                self.prompt = Some(Prompt::OpenCorpus);
                self.prompt_text = match &self.spec {
                    CorpusSpec::Directory { path } => path.display().to_string(),
                    CorpusSpec::Synthetic { .. } => String::new(),
                };
            }
            Action::Resize => {}
            Action::Click { column, row } => {
                if row == 0
                    && let Some((p, _, _)) = self
                        .tab_spans
                        .iter()
                        .find(|(_, a, b)| (*a..=*b).contains(&column))
                {
                    let p = *p;
                    self.show_pane(p, &mut cmds);
                } else if self.pane == Pane::Corpus {
                    use super::panes::corpus::{Hit, hit};
                    match hit(self, self.pane_area, column, row) {
                        Some(Hit::Cell(actor, emotion)) => {
                            (self.actor, self.emotion) = (actor, emotion);
                            self.focus = Focus::Grid;
                            self.clip_index = 0;
                        }
                        Some(Hit::Clip(i))
                            if self.focus == Focus::Clips && self.clip_index == i =>
                        {
                            // A click on the selected clip opens it.
                            if let Some(id) = self.cell_clips().get(i).map(|c| c.id) {
                                self.open_in_inspector(ClipKey::Corpus(id), &mut cmds);
                            }
                        }
                        Some(Hit::Clip(i)) => {
                            self.focus = Focus::Clips;
                            self.clip_index = i;
                        }
                        None => {}
                    }
                }
            }
            other => match self.pane {
                Pane::Corpus => self.corpus_action(other, &mut cmds),
                Pane::Inspect => self.inspect_action(other, &mut cmds),
                Pane::Train => self.train_action(other, &mut cmds),
                Pane::Compare => self.compare_action(other, &mut cmds),
                Pane::Classify => self.classify_action(other, &mut cmds),
                Pane::Log => {
                    if let Action::CycleLogLevel = other {
                        use log::LevelFilter::*;
                        self.log_level = match self.log_level {
                            Error => Warn,
                            Warn => Info,
                            Info => Debug,
                            Debug | Trace => Error,
                            Off => Error,
                        };
                    }
                }
            },
        }
        cmds
    }

    fn corpus_action(&mut self, action: Action, cmds: &mut Vec<Command>) {
        let n_actors = self.actors().len();
        let n_clips = self.cell_clips().len();
        match (self.focus, action) {
            (_, Action::CycleSex) => self.filters.sex = cycle(self.filters.sex, Sex::ALL),
            (_, Action::CycleIntensity) => {
                self.filters.intensity = cycle(self.filters.intensity, Intensity::ALL)
            }
            (_, Action::CycleStatement) => {
                self.filters.statement = cycle(self.filters.statement, Statement::ALL)
            }
            (_, Action::CycleRepetition) => {
                self.filters.repetition = cycle(self.filters.repetition, &[1, 2])
            }
            (_, Action::CycleChannel) => {
                self.filters.channel = cycle(self.filters.channel, crate::corpus::VocalChannel::ALL)
            }
            (_, Action::StartSearch) => self.prompt = Some(Prompt::Search),
            (_, Action::ToggleProblems) => self.show_problems = !self.show_problems,
            (Focus::Clips, Action::Play) => {
                let key = self
                    .cell_clips()
                    .get(self.clip_index)
                    .map(|c| ClipKey::Corpus(c.id));
                self.toggle_play(key, cmds)
            }
            (Focus::Grid, Action::Up) => self.actor = self.actor.saturating_sub(1),
            (Focus::Grid, Action::Down) => {
                self.actor = (self.actor + 1).min(n_actors.saturating_sub(1))
            }
            (Focus::Grid, Action::Left) => self.emotion = self.emotion.saturating_sub(1),
            (Focus::Grid, Action::Right) => self.emotion = (self.emotion + 1).min(7),
            (Focus::Grid, Action::PageUp | Action::Home) => self.actor = 0,
            (Focus::Grid, Action::PageDown | Action::End) => {
                self.actor = n_actors.saturating_sub(1)
            }
            (Focus::Grid, Action::Enter) if n_clips > 0 => {
                self.focus = Focus::Clips;
                self.clip_index = 0;
            }
            (Focus::Clips, Action::Up) => self.clip_index = self.clip_index.saturating_sub(1),
            (Focus::Clips, Action::Down) => {
                self.clip_index = (self.clip_index + 1).min(n_clips.saturating_sub(1))
            }
            (Focus::Clips, Action::Home | Action::PageUp) => self.clip_index = 0,
            (Focus::Clips, Action::End | Action::PageDown) => {
                self.clip_index = n_clips.saturating_sub(1)
            }
            (Focus::Clips, Action::Back | Action::Left) => self.focus = Focus::Grid,
            (Focus::Clips, Action::Enter) => {
                if let Some(id) = self.cell_clips().get(self.clip_index).map(|c| c.id) {
                    self.open_in_inspector(ClipKey::Corpus(id), cmds);
                }
            }
            _ => {}
        }
        if self.focus == Focus::Grid {
            self.clip_index = 0;
        }
    }

    fn inspect_action(&mut self, action: Action, cmds: &mut Vec<Command>) {
        match action {
            Action::NextView | Action::Right => {
                let i = InspectView::ALL
                    .iter()
                    .position(|&v| v == self.view)
                    .unwrap_or(0);
                self.view = InspectView::ALL[(i + 1) % InspectView::ALL.len()];
            }
            Action::Left => {
                let i = InspectView::ALL
                    .iter()
                    .position(|&v| v == self.view)
                    .unwrap_or(0);
                self.view =
                    InspectView::ALL[(i + InspectView::ALL.len() - 1) % InspectView::ALL.len()];
            }
            Action::ToggleSideBySide => {
                self.side_by_side = !self.side_by_side;
                if let Some(other) = self.inspected.as_ref().and_then(|k| self.side_clip(k)) {
                    self.request(other, cmds);
                }
            }
            Action::Play => {
                let key = self.inspected.clone();
                self.toggle_play(key, cmds)
            }
            Action::CycleScale => {
                self.scale = match self.scale {
                    FeatureScale::Raw => FeatureScale::ZCorpus,
                    FeatureScale::ZCorpus => FeatureScale::ZEmotion,
                    FeatureScale::ZEmotion => FeatureScale::Raw,
                };
                if self.scale != FeatureScale::Raw
                    && self.stats.is_none()
                    && !self.stats_pending
                    && let Some(c) = &self.corpus
                {
                    self.stats_pending = true;
                    self.jobs_running += 1;
                    self.status = "extracting the corpus's features for z-scores …".into();
                    cmds.push(Command::FeatureStats(c.clone()));
                }
            }
            Action::Back => self.pane = Pane::Corpus,
            _ => {}
        }
    }

    fn on_event(&mut self, e: AppEvent) -> Vec<Command> {
        let mut cmds = Vec::new();
        match e {
            AppEvent::CorpusOpened(Ok(c)) => {
                self.jobs_running = self.jobs_running.saturating_sub(1);
                self.status = format!(
                    "{}: {} clips, {} problems",
                    c.spec,
                    c.clips.len(),
                    c.problems.len()
                );
                log::info!("{}", self.status);
                self.corpus = Some(c);
                self.error = None;
                // A restored session's clip: analyse it now that its audio can be found.
                if let Some(key) = self.inspected.clone() {
                    if let Some(other) = self.side_clip(&key) {
                        self.request(other, &mut cmds);
                    }
                    self.request(key, &mut cmds);
                }
            }
            AppEvent::Stats(r) => {
                self.jobs_running = self.jobs_running.saturating_sub(1);
                self.stats_pending = false;
                match r {
                    Ok(s) => {
                        self.status =
                            format!("feature statistics of {} features ready", s.names.len());
                        self.stats = Some(s);
                    }
                    Err(msg) => {
                        log::error!("{msg}");
                        self.status = msg;
                    }
                }
            }
            AppEvent::Saved(Ok(path)) => {
                self.status = format!("session saved to {}", path.display());
            }
            AppEvent::AutosaveFailed(msg) => {
                log::error!("autosave: {msg}");
                self.notice = Some(format!(
                    "autosave failed: {msg} — the session is only in memory until a save \
                     works (w saves it under another name; quitting tries once more)"
                ));
            }
            AppEvent::Saved(Err(msg)) => {
                log::error!("{msg}");
                self.status = msg;
            }
            AppEvent::CorpusOpened(Err(msg)) => {
                self.jobs_running = self.jobs_running.saturating_sub(1);
                log::error!("{msg}");
                self.status = "could not open the corpus — press o to open another folder".into();
                self.error = Some(msg);
            }
            AppEvent::Analysed(key, result) => {
                self.jobs_running = self.jobs_running.saturating_sub(1);
                self.pending.remove(&key);
                match result {
                    Ok(v) => {
                        self.views.insert(key, v);
                    }
                    Err(msg) => {
                        log::error!("{msg}");
                        self.status = format!("cannot analyse {}: {msg}", key.title());
                    }
                }
            }
            AppEvent::Run(id, e) => self.on_run_event(id, e),
            AppEvent::ModelSaved(r) => {
                self.jobs_running = self.jobs_running.saturating_sub(1);
                match r {
                    Ok(path) => {
                        self.status = format!("model saved to {}", path.display());
                        log::info!("{}", self.status);
                        cmds.push(Command::ListModels);
                    }
                    Err(msg) => {
                        log::error!("{msg}");
                        self.notice = Some(msg);
                    }
                }
            }
            AppEvent::Classified(c) => self.on_classified(c),
            AppEvent::Models(files) => {
                let before = self.lab.model_source();
                self.lab.model_files = files;
                // Keep the chosen model chosen (or the one the session remembered).
                let want = before.map(|m| m.label()).or(self.lab.wanted_model.take());
                if let Some(w) = want
                    && let Some(i) = self.lab.model_sources().iter().position(|m| m.label() == w)
                {
                    self.lab.model_index = i;
                }
            }
            AppEvent::Dir(dir, Ok(entries)) => {
                self.lab.browser = Some(super::experiments::Browser {
                    dir,
                    entries,
                    index: 0,
                });
            }
            AppEvent::Dir(dir, Err(msg)) => {
                self.notice = Some(format!("{}: {msg}", dir.display()));
            }
            AppEvent::Profiles(list) => {
                let before = self
                    .lab
                    .wanted_profile
                    .take()
                    .or_else(|| self.lab.profile().map(|p| p.to_path_buf()));
                self.lab.profiles = list;
                self.lab.profile_index = before
                    .and_then(|b| {
                        self.lab
                            .profiles
                            .iter()
                            .position(|p| *p == b)
                            .map(|i| i + 1)
                    })
                    .unwrap_or(0);
            }
            AppEvent::Enrolled(Ok(path)) => {
                self.status = format!("speaker profile saved to {}", path.display());
                log::info!("{}", self.status);
                self.lab.wanted_profile = Some(path);
                cmds.push(Command::ListProfiles);
            }
            AppEvent::Enrolled(Err(msg)) => {
                log::error!("enrolment: {msg}");
                self.notice = Some(format!("enrolment failed: {msg}"));
            }
            AppEvent::Recording(e) => self.on_recording(e, &mut cmds),
            AppEvent::Playback(key, e) => match e {
                PlayEvent::At { seconds, duration } => {
                    if let Some(p) = self.playing.as_mut().filter(|p| p.key == key) {
                        p.seconds = seconds;
                        p.duration = duration;
                    }
                }
                PlayEvent::Stopped => {
                    if self.playing.as_ref().is_some_and(|p| p.key == key) {
                        self.playing = None;
                    }
                }
                PlayEvent::Failed(msg) => {
                    self.playing = None;
                    log::warn!("playback: {msg}");
                    self.notice = Some(format!("cannot play {}: {msg}", key.title()));
                }
            },
            AppEvent::Completed(text) => {
                if self.prompt.is_some_and(Prompt::completes_paths) {
                    self.prompt_text = text;
                }
            }
        }
        cmds
    }
}
