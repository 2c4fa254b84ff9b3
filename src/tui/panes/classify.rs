//! The Classify pane's state and keys: the model to use (files in `models/` and finished
//! experiments), speaker profiles, the microphone, a small file browser, and the history of
//! classified files. Drawn by `classify_draw`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use ratatui::crossterm::event::KeyCode::Char;

use crate::corpus::ClipId;
use crate::ml::persist::SavedModel;
use crate::session::Classification;
use crate::tui::hits::{Surface, Target};
use crate::tui::input::Prompt;
use crate::tui::keys::{Binding, ENTER, ESC, LEFT_RIGHT, PAGES, SPACE, UP_DOWN, bind, moves};
use crate::tui::msg::{
    Action, Classified, ClipKey, Command, Effect, EnrolFor, ModelJob, Pane, RecordEvent,
};
use crate::tui::shared::Shared;

pub const KEYS: &[Binding] = &[
    bind(
        &[Char('m')],
        Action::NextModel,
        "next model (models/ and finished experiments)",
        Some("model"),
    ),
    moves(
        LEFT_RIGHT,
        "previous / next model · browser: up a folder / open",
        None,
    ),
    bind(
        &[Char('f')],
        Action::Browse,
        "pick a WAV in a file browser",
        Some("browse"),
    ),
    bind(
        &[Char('/')],
        Action::StartSearch,
        "type a WAV's path (Tab completes)",
        Some("path"),
    ),
    moves(UP_DOWN, "history / browser: select", Some("history")),
    moves(PAGES, "history / browser: first / last", None),
    bind(
        ENTER,
        Action::Enter,
        "open the selected clip in Inspect · browser: open",
        None,
    ),
    bind(ESC, Action::Back, "close the browser", None),
    bind(
        &[Char('r')],
        Action::Record,
        "record from the microphone / stop and classify",
        Some("record"),
    ),
    bind(
        &[Char('p')],
        Action::CycleProfile,
        "speaker profile for per-speaker-normalised models (none → profiles/)",
        None,
    ),
    bind(
        &[Char('E')],
        Action::Enrol,
        "enrol the speaker of the history's clips as a profile",
        None,
    ),
    bind(SPACE, Action::Play, "play / stop the selected clip", None),
];

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

/// The small file browser.
#[derive(Debug, Clone, PartialEq)]
pub struct Browser {
    pub dir: PathBuf,
    /// Sub-folders (ending in `/`) then WAV files, sorted; `../` first.
    pub entries: Vec<String>,
    pub index: usize,
}

/// A recording in progress.
#[derive(Debug, Clone, PartialEq)]
pub struct Recording {
    pub device: String,
    pub seconds: f64,
    pub peak: f32,
}

#[derive(Debug, Clone, Default)]
pub struct ClassifyPane {
    pub model_files: Vec<PathBuf>,
    /// What each saved model is (read in the background): family, preset, score, date, size.
    pub model_info: Vec<(PathBuf, String)>,
    pub model_index: usize,
    /// Final models fitted for experiments, kept for the next file.
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
    /// A profile to select once the profiles are listed.
    pub wanted_profile: Option<PathBuf>,
    pub recording: Option<Recording>,
}

impl ClassifyPane {
    /// Models offered: files in `models/`, then finished experiments.
    pub fn model_sources(&self, shared: &Shared) -> Vec<ModelSource> {
        let files = self.model_files.iter().cloned().map(ModelSource::File);
        let runs = shared
            .runs
            .iter()
            .filter(|r| r.report.is_some())
            .map(|r| ModelSource::Experiment(r.id));
        files.chain(runs).collect()
    }

    pub fn model_source(&self, shared: &Shared) -> Option<ModelSource> {
        let all = self.model_sources(shared);
        all.get(self.model_index.min(all.len().saturating_sub(1)))
            .cloned()
    }

    /// The chosen speaker profile, if any.
    pub fn profile(&self) -> Option<&Path> {
        self.profile_index
            .checked_sub(1)
            .and_then(|i| self.profiles.get(i))
            .map(|p| p.as_path())
    }

    /// What the session records of the chosen model.
    pub fn chosen_label(&self, shared: &Shared) -> Option<String> {
        self.model_source(shared)
            .map(|m| m.label())
            .or(self.wanted_model.clone())
    }

    /// Classifies a WAV file (or a raw recording) with the chosen model.
    pub fn classify(&mut self, path: PathBuf, recording: bool, shared: &Shared) -> Vec<Effect> {
        let Some(source) = self.model_source(shared) else {
            return vec![Effect::Notice(
                "no model yet: finish an experiment in Train, or save one to models/ (e in Compare)"
                    .into(),
            )];
        };
        let model = match &source {
            ModelSource::File(p) => ModelJob::File(p.clone()),
            ModelSource::Experiment(id) => match self.fitted.iter().find(|(i, _)| i == id) {
                Some((_, m)) => ModelJob::Fitted(*id, m.clone()),
                None => {
                    let (Some(run), Some(corpus)) = (shared.run(*id), shared.corpus.clone()) else {
                        return Vec::new();
                    };
                    let Some(report) = run.report.clone() else {
                        return Vec::new();
                    };
                    ModelJob::Fit {
                        run: *id,
                        corpus,
                        preset: run.preset,
                        report,
                    }
                }
            },
        };
        self.classifying = true;
        vec![
            Effect::Status(format!(
                "classifying {} with {} …",
                path.display(),
                source.label()
            )),
            Effect::Run(Command::Classify {
                path,
                recording,
                model,
                label: source.label(),
                profile: self.profile().map(Path::to_path_buf),
            }),
        ]
    }

    /// Enrols the speaker of the history's clips as profile `name`, for the chosen model.
    pub fn enrol(&mut self, name: String, shared: &Shared) -> Vec<Effect> {
        let model = match self.model_source(shared) {
            Some(ModelSource::File(p)) => EnrolFor::Model(p),
            Some(ModelSource::Experiment(id)) => match shared.run(id) {
                Some(r) => EnrolFor::Preset(r.preset),
                None => return Vec::new(),
            },
            None => {
                return vec![Effect::Notice(
                    "choose the model the profile is for first (m)".into(),
                )];
            }
        };
        let mut files: Vec<PathBuf> = self.history.iter().map(|h| h.file.clone()).collect();
        files.sort();
        files.dedup();
        vec![
            Effect::Status(format!("enrolling '{name}' from {} clips …", files.len())),
            Effect::Run(Command::Enrol { name, files, model }),
        ]
    }

    fn browse(&mut self, action: Action, shared: &Shared) -> Vec<Effect> {
        let Some(b) = &mut self.browser else {
            return Vec::new();
        };
        let last = b.entries.len().saturating_sub(1);
        let up = || b.dir.parent().map(Path::to_path_buf).unwrap_or_default();
        match action {
            Action::Up => b.index = b.index.saturating_sub(1),
            Action::Down => b.index = (b.index + 1).min(last),
            Action::Home | Action::PageUp => b.index = 0,
            Action::End | Action::PageDown => b.index = last,
            Action::Scrolled(_, down) => {
                return self.browse(if down { Action::Down } else { Action::Up }, shared);
            }
            Action::Clicked(Target::Row(Surface::Browser, i)) => b.index = i.min(last),
            Action::Back => self.browser = None,
            Action::Left => return vec![Effect::Run(Command::ListDir(up()))],
            Action::Enter | Action::Right | Action::NextModel => {
                let Some(e) = b.entries.get(b.index).cloned() else {
                    return Vec::new();
                };
                return match e.strip_suffix('/') {
                    Some("..") => vec![Effect::Run(Command::ListDir(up()))],
                    Some(dir) => vec![Effect::Run(Command::ListDir(b.dir.join(dir)))],
                    None => {
                        let path = b.dir.join(e);
                        self.browser = None;
                        self.classify(path, false, shared)
                    }
                };
            }
            _ => {}
        }
        Vec::new()
    }

    /// The selected history entry as a clip key: the corpus clip when the file is one.
    fn history_key(&self, shared: &Shared) -> Option<ClipKey> {
        let h = self.history.get(self.history_index)?;
        Some(
            match ClipId::from_path(&h.file)
                .ok()
                .filter(|id| shared.corpus.as_ref().is_some_and(|c| c.clip(id).is_some()))
            {
                Some(id) => ClipKey::Corpus(id),
                None => ClipKey::File(h.file.clone()),
            },
        )
    }

    fn record(&mut self) -> Vec<Effect> {
        if self.recording.is_some() {
            return vec![
                Effect::Status("stopping the recording …".into()),
                Effect::Run(Command::StopRecording),
            ];
        }
        self.recording = Some(Recording {
            device: "opening the input …".into(),
            seconds: 0.0,
            peak: 0.0,
        });
        vec![Effect::Run(Command::StartRecording)]
    }

    pub fn update(&mut self, action: Action, shared: &Shared) -> Vec<Effect> {
        if self.browser.is_some() {
            return self.browse(action, shared);
        }
        let n = self.model_sources(shared).len().max(1);
        let last = self.history.len().saturating_sub(1);
        match action {
            Action::NextModel | Action::Right => self.model_index = (self.model_index + 1) % n,
            Action::Left => self.model_index = (self.model_index + n - 1) % n,
            Action::Browse => return vec![Effect::Run(Command::ListDir(PathBuf::from(".")))],
            Action::StartSearch => return vec![Effect::Ask(Prompt::WavPath, String::new())],
            Action::Record => return self.record(),
            Action::CycleProfile => {
                self.profile_index = (self.profile_index + 1) % (self.profiles.len() + 1)
            }
            Action::Enrol if self.history.len() < crate::ml::profile::MIN_CLIPS => {
                return vec![Effect::Notice(format!(
                    "enrolment uses the clips in the history: record or classify at least {} clips of the speaker first",
                    crate::ml::profile::MIN_CLIPS
                ))];
            }
            Action::Enrol => return vec![Effect::Ask(Prompt::ProfileName, String::new())],
            Action::Up => self.history_index = self.history_index.saturating_sub(1),
            Action::Down => self.history_index = (self.history_index + 1).min(last),
            Action::Home | Action::PageUp => self.history_index = 0,
            Action::End | Action::PageDown => self.history_index = last,
            Action::Scrolled(_, down) => {
                self.history_index = if down {
                    (self.history_index + 1).min(last)
                } else {
                    self.history_index.saturating_sub(1)
                }
            }
            Action::Clicked(Target::Row(Surface::History, i)) => self.history_index = i.min(last),
            Action::Enter => {
                return self
                    .history_key(shared)
                    .map(|k| Effect::Inspect(k, Pane::Classify))
                    .into_iter()
                    .collect();
            }
            Action::Play => {
                let key = self
                    .history
                    .get(self.history_index)
                    .map(|h| ClipKey::File(h.file.clone()));
                return vec![Effect::TogglePlay(key)];
            }
            _ => {}
        }
        Vec::new()
    }

    pub fn on_classified(&mut self, c: Classified) -> Vec<Effect> {
        self.classifying = false;
        if let Some(f) = c.fitted {
            self.fitted.retain(|(i, _)| *i != f.0);
            self.fitted.push(f);
        }
        match c.result {
            Ok(r) => {
                log::info!(
                    "classified {} as {} ({})",
                    r.file.display(),
                    r.emotion,
                    r.model
                );
                let status = format!("{}: {}", r.file.display(), r.emotion);
                self.history.push(r);
                self.history_index = self.history.len() - 1;
                vec![Effect::Status(status)]
            }
            Err(e) => {
                log::error!("{e}");
                vec![
                    Effect::Status("classification failed".into()),
                    Effect::Notice(e),
                ]
            }
        }
    }

    /// The files of `models/` were listed: keep the chosen model chosen.
    pub fn on_models(&mut self, files: Vec<PathBuf>, shared: &Shared) {
        let before = self.model_source(shared).map(|m| m.label());
        self.model_files = files;
        let want = before.or(self.wanted_model.take());
        if let Some(w) = want
            && let Some(i) = self
                .model_sources(shared)
                .iter()
                .position(|m| m.label() == w)
        {
            self.model_index = i;
        }
    }

    pub fn on_profiles(&mut self, list: Vec<PathBuf>) {
        let before = self
            .wanted_profile
            .take()
            .or_else(|| self.profile().map(Path::to_path_buf));
        self.profiles = list;
        self.profile_index = before
            .and_then(|b| self.profiles.iter().position(|p| *p == b).map(|i| i + 1))
            .unwrap_or(0);
    }

    pub fn on_recording(&mut self, e: RecordEvent, shared: &Shared) -> Vec<Effect> {
        match e {
            RecordEvent::Started(device) => {
                if let Some(r) = self.recording.as_mut() {
                    r.device = device;
                }
                vec![Effect::Status("recording — r stops and classifies".into())]
            }
            RecordEvent::Level { seconds, peak } => {
                if let Some(r) = self.recording.as_mut() {
                    (r.seconds, r.peak) = (seconds, peak);
                }
                Vec::new()
            }
            RecordEvent::Failed(msg) => {
                self.recording = None;
                log::warn!("recording: {msg}");
                vec![Effect::Notice(msg)]
            }
            RecordEvent::Stopped { saved, lost } => {
                self.recording = None;
                if let Some(why) = &lost {
                    log::warn!("recording: {why}");
                }
                match saved {
                    Ok(path) => {
                        log::info!("recording saved to {}", path.display());
                        let mut fx = self.classify(path.clone(), true, shared);
                        fx.extend(lost.map(|why| {
                            Effect::Notice(format!(
                                "{why} — classifying what was recorded ({})",
                                path.display()
                            ))
                        }));
                        fx
                    }
                    Err(msg) => vec![Effect::Notice(format!("cannot save the recording: {msg}"))],
                }
            }
        }
    }
}
