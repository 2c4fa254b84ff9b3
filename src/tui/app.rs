//! The application: routes actions to the pane in front, applies the [`Effect`]s panes return,
//! routes background results to the pane they concern, and holds what is truly shared (the
//! corpus, the experiments, what plays, the jobs). Pure: no I/O, no drawing — background work
//! leaves as [`Command`]s for the executor and comes back as [`AppEvent`]s.

use crate::corpus::CorpusSpec;
use crate::features::Preset;
use crate::ml::experiment::ExperimentSpec;

use super::hits::{HitMap, Target};
use super::input::{Edit, Prompt, TextInput};
use super::jobs::Loadable;
use super::keys::{Binding, GLOBAL, PROMPT};
use super::msg::{Action, AppEvent, ClipKey, Command, Effect, Pane, PlayEvent, Playing};
use super::panes::classify::{Browser, ClassifyPane};
use super::panes::compare::ComparePane;
use super::panes::corpus::CorpusPane;
use super::panes::inspect::InspectPane;
use super::panes::log::LogPane;
use super::panes::train::{TrainFocus, TrainPane};
use super::runs::{Run, next_id};
use super::shared::Shared;

/// The whole application state.
#[derive(Debug, Clone)]
pub struct App {
    pub pane: Pane,
    pub shared: Shared,
    pub corpus: CorpusPane,
    pub inspect: InspectPane,
    pub train: TrainPane,
    pub compare: ComparePane,
    pub classify: ClassifyPane,
    pub log: LogPane,
    pub status: String,
    /// The status as it was at the user's last key: a status that differs is new since then
    /// and is shown whole (wrapped upwards); an old one is cut to one line with "…".
    pub status_at_key: String,
    /// A warning shown over the status line until the next key.
    pub notice: Option<String>,
    /// The text prompt being typed into, if any.
    pub prompt: Option<(Prompt, TextInput)>,
    pub show_help: bool,
    pub confirm_quit: bool,
    pub should_quit: bool,
    /// The signal that ended the app (SIGTERM …), if one did.
    pub terminated: Option<&'static str>,
    /// What the last frame drew where, for the mouse.
    pub hits: HitMap,
    /// Frames of the status line's spinner (advances only while jobs run).
    pub tick: u64,
    /// The session this start archived (the last autosave), which `O` reopens.
    pub previous: Option<std::path::PathBuf>,
}

impl App {
    /// A new app that will open `spec` (the caller runs the returned command).
    pub fn new(spec: CorpusSpec) -> (App, Vec<Command>) {
        let mut app = App {
            pane: Pane::Corpus,
            shared: Shared::new(spec.clone()),
            corpus: CorpusPane::default(),
            inspect: InspectPane::default(),
            train: TrainPane::default(),
            compare: ComparePane::default(),
            classify: ClassifyPane::default(),
            log: LogPane::default(),
            status: String::new(),
            status_at_key: String::new(),
            notice: None,
            prompt: None,
            show_help: false,
            confirm_quit: false,
            should_quit: false,
            terminated: None,
            hits: HitMap::default(),
            tick: 0,
            previous: None,
        };
        let cmds = app.open(spec);
        (app, cmds)
    }

    /// Starts opening a corpus; the one open stays until the new one is there.
    fn open(&mut self, spec: CorpusSpec) -> Vec<Command> {
        self.shared.spec = spec.clone();
        self.apply(vec![
            Effect::Status(format!("opening {spec} …")),
            Effect::Run(Command::OpenCorpus(spec)),
        ])
    }

    /// The key tables in force: the prompt's while typing, else the pane's then the global.
    pub fn tables(&self) -> Vec<&'static [Binding]> {
        if self.prompt.is_some() {
            return vec![PROMPT];
        }
        let pane = match self.pane {
            Pane::Corpus => super::panes::corpus::KEYS,
            Pane::Inspect => super::panes::inspect::KEYS,
            Pane::Train => super::panes::train::KEYS,
            Pane::Compare => super::panes::compare::KEYS,
            Pane::Classify => super::panes::classify::KEYS,
            Pane::Log => super::panes::log::KEYS,
        };
        vec![pane, GLOBAL]
    }

    /// Whether something on screen moves by itself (the spinner while jobs run): the event
    /// loop only runs its timer then.
    pub fn animating(&self) -> bool {
        self.shared.jobs.count() > 0
    }

    /// Applies a user action; returns the background work it needs.
    pub fn update(&mut self, action: Action) -> Vec<Command> {
        if !matches!(action, Action::Resize | Action::Tick) {
            self.notice = None;
            self.status_at_key.clone_from(&self.status);
        }
        if self.confirm_quit {
            self.confirm_quit = false;
            if matches!(action, Action::ConfirmQuit | Action::Quit) {
                self.should_quit = true;
                return Vec::new();
            }
            self.status = "quit cancelled".into();
        }
        if let Some((prompt, _)) = &self.prompt {
            let prompt = *prompt;
            return match action {
                Action::Edit(e) => self.edit(prompt, e),
                Action::ConfirmQuit => {
                    self.should_quit = true;
                    Vec::new()
                }
                _ => Vec::new(),
            };
        }
        match action {
            Action::Quit if self.shared.jobs.count() > 0 => {
                self.confirm_quit = true;
                self.status = format!(
                    "{} job(s) running — press q again to quit, any other key to stay",
                    self.shared.jobs.count()
                );
            }
            Action::Quit | Action::ConfirmQuit => self.should_quit = true,
            Action::ToggleHelp => self.show_help = !self.show_help,
            Action::Back if self.show_help => self.show_help = false,
            Action::Pane(p) => return self.show(p),
            Action::NextPane => return self.show(self.pane.step(1)),
            Action::PrevPane => return self.show(self.pane.step(-1)),
            Action::StartSaveAs => {
                return self.apply(vec![Effect::Ask(Prompt::SaveAs, String::new())]);
            }
            Action::StartOpen => {
                let text = match &self.shared.spec {
                    CorpusSpec::Directory { path, .. } => path.display().to_string(),
                    CorpusSpec::Synthetic { .. } => String::new(),
                };
                return self.apply(vec![Effect::Ask(Prompt::OpenCorpus, text)]);
            }
            Action::ReopenPrevious => return self.reopen_previous(),
            Action::Resize => {}
            Action::Tick => self.tick += 1,
            Action::Click { column, row } => match self.hits.at(column, row) {
                Some(Target::Tab(p)) => return self.show(p),
                Some(t) => return self.route(Action::Clicked(t)),
                None => {}
            },
            Action::Wheel { column, row, down } => {
                if let Some(t) = self.hits.at(column, row) {
                    return self.route(Action::Scrolled(t, down));
                }
            }
            other => return self.route(other),
        }
        Vec::new()
    }

    /// The pane in front handles the action.
    fn route(&mut self, action: Action) -> Vec<Command> {
        let s = &self.shared;
        let fx = match self.pane {
            Pane::Corpus => self.corpus.update(action, s),
            Pane::Inspect => self.inspect.update(action, s),
            Pane::Train => self.train.update(action, s),
            Pane::Compare => self.compare.update(action, s),
            Pane::Classify => self.classify.update(action, s),
            Pane::Log => {
                self.log.update(action);
                Vec::new()
            }
        };
        self.apply(fx)
    }

    /// Switches pane; the Classify pane refreshes its lists of models and profiles.
    fn show(&mut self, p: Pane) -> Vec<Command> {
        self.pane = p;
        if p == Pane::Classify {
            vec![Command::ListModels, Command::ListProfiles]
        } else {
            Vec::new()
        }
    }

    /// Carries out what a pane asked for; returns the commands for the executor.
    pub fn apply(&mut self, effects: Vec<Effect>) -> Vec<Command> {
        let mut cmds = Vec::new();
        for e in effects {
            match e {
                Effect::Run(c) => {
                    match (c.job(), c.estimate()) {
                        (Some(job), Some((what, d))) => {
                            self.shared.jobs.start_estimated(job, what, d);
                        }
                        (Some(job), None) => self.shared.jobs.start(job),
                        _ => {}
                    }
                    cmds.push(c);
                }
                Effect::Show(p) => cmds.extend(self.show(p)),
                Effect::Status(s) => self.status = s,
                Effect::Notice(n) => self.notice = Some(n),
                Effect::Ask(p, text) => self.prompt = Some((p, TextInput::new(text))),
                Effect::Inspect(key, back) => {
                    self.pane = Pane::Inspect;
                    let fx = self.inspect.open(key, back, &self.shared);
                    cmds.extend(self.apply(fx));
                }
                Effect::Verdict(line) => self.inspect.verdict = Some(line),
                Effect::TogglePlay(key) => cmds.extend(self.toggle_play(key)),
                Effect::StartRun(preset, spec) => cmds.extend(self.start_run(preset, spec)),
                Effect::OpenRun(id) => {
                    if let Some(i) = self.shared.runs.iter().position(|r| r.id == id) {
                        self.train.show_run(i, TrainFocus::Matrix);
                        self.pane = Pane::Train;
                    }
                }
            }
        }
        cmds
    }

    /// A key typed into the open prompt.
    fn edit(&mut self, prompt: Prompt, e: Edit) -> Vec<Command> {
        let Some((_, input)) = self.prompt.as_mut() else {
            return Vec::new();
        };
        match e {
            Edit::Submit => {
                let text = input.text().to_string();
                self.prompt = None;
                self.submit(prompt, text)
            }
            Edit::Cancel => {
                if prompt == Prompt::Search {
                    self.corpus.filters.text.clear();
                }
                self.prompt = None;
                Vec::new()
            }
            Edit::Complete if prompt.completes_paths() => {
                vec![Command::Complete(input.text().into())]
            }
            e => {
                if input.edit(e) && prompt == Prompt::Search {
                    self.corpus.filters.text = input.text().to_string();
                    self.corpus.clip_index = 0;
                }
                Vec::new()
            }
        }
    }

    /// A prompt's text is confirmed.
    fn submit(&mut self, prompt: Prompt, text: String) -> Vec<Command> {
        let t = text.trim();
        let s = &self.shared;
        let fx = match prompt {
            Prompt::Search => Vec::new(),
            Prompt::SaveAs => {
                let path = crate::session::Session::path_for_name(t);
                let session = Box::new(self.session());
                vec![
                    Effect::Status(format!("saving {} …", path.display())),
                    Effect::Run(Command::SaveSession(path, session)),
                ]
            }
            Prompt::OpenCorpus if !t.is_empty() => {
                return self.open(CorpusSpec::directory(t));
            }
            Prompt::Grid
            | Prompt::Select
            | Prompt::Protocol
            | Prompt::TestCorpus
            | Prompt::Seed => self.train.on_prompt(prompt, t),
            Prompt::ModelName(run) => super::panes::train::export_model(run, t, s),
            Prompt::WavPath if !t.is_empty() => self.classify.classify(t.into(), false, s),
            Prompt::ProfileName if !t.is_empty() => self.classify.enrol(t.to_string(), s),
            _ => Vec::new(),
        };
        self.apply(fx)
    }

    /// Starts a run of `spec` on `preset` (also a re-run).
    fn start_run(&mut self, preset: Preset, spec: ExperimentSpec) -> Vec<Command> {
        let Some(corpus) = self.shared.corpus.clone() else {
            self.notice = Some("the corpus is not open yet".into());
            return Vec::new();
        };
        let id = next_id(&self.shared.runs);
        if !spec.protocol.speaker_independent() {
            self.notice = Some(format!(
                "run #{id}: {} is speaker-dependent — the same actors are in training and test, so scores are optimistic",
                spec.protocol
            ));
        }
        self.shared.runs.push(Run::new(id, preset, spec.clone()));
        self.train
            .show_run(self.shared.runs.len() - 1, TrainFocus::Runs);
        log::info!("run #{id} started: {preset}, {}", spec.protocol);
        self.apply(vec![
            Effect::Status(format!("run #{id} started")),
            Effect::Run(Command::Train {
                run: id,
                corpus,
                preset,
                spec,
            }),
        ])
    }

    /// A run's importance arrived: it joins the run's report (so the session keeps it).
    fn on_importance(
        &mut self,
        id: u32,
        r: Result<crate::ml::importance::Importance, String>,
    ) -> Vec<Effect> {
        let run = self.shared.runs.iter_mut().find(|r| r.id == id);
        match (r, run.and_then(|r| r.report.as_mut())) {
            (Ok(imp), Some(report)) => {
                let top = imp.groups.first().map_or(String::new(), |g| {
                    format!(": {} matters most (UAR −{:.3} shuffled)", g.name, g.drop)
                });
                std::sync::Arc::make_mut(report).importance = Some(imp);
                vec![Effect::Status(format!("run #{id} importance{top}"))]
            }
            (Ok(_), None) => Vec::new(),
            (Err(e), _) => vec![Effect::Notice(format!("run #{id}: importance failed: {e}"))],
        }
    }

    /// Space: stops what plays, or plays `key`.
    fn toggle_play(&mut self, key: Option<ClipKey>) -> Vec<Command> {
        if self.shared.playing.take().is_some() {
            return vec![Command::StopPlayback];
        }
        let Some(key) = key else {
            self.notice = Some("no clip selected to play".into());
            return Vec::new();
        };
        let clip = key.ravdess().and_then(|id| {
            self.shared
                .corpus
                .as_ref()
                .and_then(|c| c.clip(&id))
                .cloned()
        });
        self.shared.playing = Some(Playing {
            key: key.clone(),
            seconds: 0.0,
            duration: 0.0,
        });
        vec![Command::Play(key, clip)]
    }

    /// A background result or terminal input; returns the work it leads to.
    pub fn event(&mut self, e: AppEvent) -> Vec<Command> {
        if let AppEvent::Input(ev) = &e {
            let typing = self.prompt.is_some();
            return match super::keys::action_for(&self.tables(), ev, typing) {
                Some(a) => self.update(a),
                None => Vec::new(),
            };
        }
        if let Some(job) = e.ends_job() {
            self.shared.jobs.finish(&job);
        }
        match e {
            AppEvent::CorpusOpened(r) => self.corpus_opened(r),
            AppEvent::Run(id, ev) => self.run_event(id, ev),
            AppEvent::Terminate(signal) => {
                log::warn!("{signal}: quitting (the session is saved first)");
                self.terminated = Some(signal);
                self.should_quit = true;
                Vec::new()
            }
            other => {
                let fx = self.background(other);
                self.apply(fx)
            }
        }
    }

    /// What the pane a background result concerns makes of it.
    fn background(&mut self, e: AppEvent) -> Vec<Effect> {
        let s = &self.shared;
        match e {
            AppEvent::Stats(r) => {
                let status = match &r {
                    Ok(st) => format!("feature statistics of {} features ready", st.names.len()),
                    Err(msg) => msg.clone(),
                };
                self.inspect.stats = Loadable::from_result(r);
                vec![Effect::Status(status)]
            }
            AppEvent::Analysed(key, r) => self
                .inspect
                .on_analysed(key, r)
                .map(Effect::Status)
                .into_iter()
                .collect(),
            AppEvent::Saved(Ok(path)) => vec![Effect::Status(format!(
                "session saved to {}",
                path.display()
            ))],
            AppEvent::Saved(Err(msg)) | AppEvent::Dir(_, Err(msg)) => vec![Effect::Notice(msg)],
            AppEvent::AutosaveFailed(msg) => {
                log::error!("autosave: {msg}");
                vec![Effect::Notice(format!(
                    "autosave failed: {msg} — the session is only in memory until a save \
                     works (w saves it under another name; quitting tries once more)"
                ))]
            }
            AppEvent::ModelSaved(r) => super::panes::train::model_saved(r),
            AppEvent::Exported(r) => super::panes::train::exported(r),
            AppEvent::Importance(id, r) => self.on_importance(id, r),
            AppEvent::JobProgress(id, p) => {
                self.shared.jobs.set_progress(id, p);
                Vec::new()
            }
            AppEvent::ModelInfo(path, info) => {
                self.classify.model_info.retain(|(p, _)| *p != path);
                self.classify.model_info.push((path, info));
                Vec::new()
            }
            AppEvent::Classified(c) => self.classify.on_classified(c),
            AppEvent::Models(files) => {
                self.classify.on_models(files, s);
                Vec::new()
            }
            AppEvent::Dir(dir, Ok(entries)) => {
                self.classify.browser = Some(Browser {
                    dir,
                    entries,
                    index: 0,
                });
                Vec::new()
            }
            AppEvent::Completed(text, matches) => self.completed(text, matches),
            AppEvent::Profiles(list) => {
                self.classify.on_profiles(list);
                Vec::new()
            }
            AppEvent::Enrolled(Ok(path)) => {
                log::info!("speaker profile saved to {}", path.display());
                let status = format!("speaker profile saved to {}", path.display());
                self.classify.wanted_profile = Some(path);
                vec![Effect::Status(status), Effect::Run(Command::ListProfiles)]
            }
            AppEvent::Enrolled(Err(msg)) => {
                vec![Effect::Notice(format!("enrolment failed: {msg}"))]
            }
            AppEvent::Recording(r) => self.classify.on_recording(r, s),
            AppEvent::Playback(key, p) => self.playback(key, p),
            AppEvent::Input(_)
            | AppEvent::CorpusOpened(_)
            | AppEvent::Run(..)
            | AppEvent::Terminate(_) => Vec::new(),
        }
    }

    fn corpus_opened(&mut self, r: Result<crate::corpus::Corpus, String>) -> Vec<Command> {
        if let Ok(c) = &r
            && c.spec != self.shared.spec
        {
            // An answer to an earlier open (another corpus asked for since): not this one.
            log::info!("{} opened, but {} is wanted now", c.spec, self.shared.spec);
            return Vec::new();
        }
        match (r, self.shared.corpus.as_ref()) {
            (Ok(c), previous) => {
                self.status = format!(
                    "{}: {} clips, {} problems",
                    c.spec,
                    c.clips.len(),
                    c.problems.len()
                );
                log::info!("{}", self.status);
                if previous.is_some() {
                    self.inspect.forget_corpus_clips();
                }
                self.shared.corpus = Some(c);
                self.shared.corpus_error = None;
                // A restored session's clip: analyse it now that its audio can be found.
                let fx = self.inspect.refresh(&self.shared);
                self.apply(fx)
            }
            (Err(msg), Some(old)) => {
                log::error!("{msg}");
                // Keep what is open: a mistyped folder loses nothing.
                self.shared.spec = old.spec.clone();
                self.status = format!("still showing {}", old.spec);
                self.notice = Some(format!(
                    "could not open that corpus ({msg}); {} stays open",
                    old.spec
                ));
                Vec::new()
            }
            (Err(msg), None) => {
                log::error!("{msg}");
                self.status = "could not open the corpus — press o to open another folder".into();
                self.shared.corpus_error = Some(msg);
                Vec::new()
            }
        }
    }

    fn run_event(&mut self, id: u32, e: super::msg::RunEvent) -> Vec<Command> {
        let Some(run) = self.shared.runs.iter_mut().find(|r| r.id == id) else {
            return Vec::new();
        };
        if run.apply(e) {
            self.status = format!("run #{id} {}", run.state.label());
            self.compare.recompare(&self.shared);
        }
        Vec::new()
    }

    /// A Tab completion came back: the prompt takes the text, and several matches are listed.
    fn completed(&mut self, text: String, matches: Vec<String>) -> Vec<Effect> {
        let Some((prompt, input)) = self.prompt.as_mut() else {
            return Vec::new();
        };
        if !prompt.completes_paths() {
            return Vec::new();
        }
        input.set(text);
        match matches.len() {
            0 | 1 => Vec::new(),
            n => vec![Effect::Notice(format!("{n} match: {}", matches.join("  ")))],
        }
    }

    fn playback(&mut self, key: ClipKey, e: PlayEvent) -> Vec<Effect> {
        let playing = &mut self.shared.playing;
        match e {
            PlayEvent::At { seconds, duration } => {
                if let Some(p) = playing.as_mut().filter(|p| p.key == key) {
                    (p.seconds, p.duration) = (seconds, duration);
                }
            }
            PlayEvent::Stopped => {
                if playing.as_ref().is_some_and(|p| p.key == key) {
                    *playing = None;
                }
            }
            PlayEvent::Failed(msg) => {
                *playing = None;
                log::warn!("playback: {msg}");
                return vec![Effect::Notice(format!(
                    "cannot play {}: {msg}",
                    key.title()
                ))];
            }
        }
        Vec::new()
    }
}
