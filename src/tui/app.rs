//! The application state, the actions that change it, and `update` — pure: no I/O, no
//! drawing. Work that takes time comes back as [`Command`]s the event loop runs in the
//! background; their results return as [`AppEvent`]s.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::corpus::{Clip, Corpus, CorpusSpec, Emotion, Intensity, RavdessId, Sex, Statement};

use super::keys::{KeyHelp, pane_keys};

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
    pub id: RavdessId,
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
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    OpenCorpus(CorpusSpec),
    Analyse(Clip),
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
    Analysed(RavdessId, Result<Arc<ClipView>, String>),
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
    pub inspected: Option<RavdessId>,
    pub view: InspectView,
    pub side_by_side: bool,
    pub views: HashMap<RavdessId, Arc<ClipView>>,
    pub pending: HashSet<RavdessId>,
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
        app.inspected = u.inspected;
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
                inspected: self.inspected,
                view: self.view.title().to_string(),
                side_by_side: self.side_by_side,
            },
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

    fn request(&mut self, id: RavdessId, cmds: &mut Vec<Command>) {
        if self.views.contains_key(&id) || self.pending.contains(&id) {
            return;
        }
        if let Some(clip) = self.corpus.as_ref().and_then(|c| c.clip(&id)).cloned() {
            self.pending.insert(id);
            self.jobs_running += 1;
            cmds.push(Command::Analyse(clip));
        }
    }

    fn open_in_inspector(&mut self, id: RavdessId, cmds: &mut Vec<Command>) {
        self.inspected = Some(id);
        self.pane = Pane::Inspect;
        self.request(id, cmds);
        if self.side_by_side
            && let Some(other) = self.counterpart(&id)
        {
            self.request(other, cmds);
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
            Action::Pane(p) => self.pane = p,
            Action::NextPane => self.pane = Pane::ALL[(self.pane.index() + 1) % Pane::ALL.len()],
            Action::PrevPane => {
                self.pane = Pane::ALL[(self.pane.index() + Pane::ALL.len() - 1) % Pane::ALL.len()]
            }
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
                    self.pane = *p;
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
                                self.open_in_inspector(id, &mut cmds);
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
                _ => {}
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
                    self.open_in_inspector(id, cmds);
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
                if let Some(id) = self.inspected
                    && self.side_by_side
                    && let Some(other) = self.counterpart(&id)
                {
                    self.request(other, cmds);
                }
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
                if let Some(id) = self.inspected {
                    self.request(id, &mut cmds);
                    if self.side_by_side
                        && let Some(other) = self.counterpart(&id)
                    {
                        self.request(other, &mut cmds);
                    }
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
            AppEvent::Analysed(id, result) => {
                self.jobs_running = self.jobs_running.saturating_sub(1);
                self.pending.remove(&id);
                match result {
                    Ok(v) => {
                        self.views.insert(id, v);
                    }
                    Err(msg) => {
                        log::error!("{msg}");
                        self.status = format!("cannot analyse {id}: {msg}");
                    }
                }
            }
        }
        cmds
    }
}
