//! The app ↔ a saved session: what the RON file records of where the user was, and how a
//! restored session puts it back.

use super::app::App;
use super::msg::{ClipKey, Command, Pane};
use super::panes::compare::SortKey;
use super::panes::corpus::{Filters, Focus};
use super::panes::inspect::InspectView;
use super::panes::train::TrainFocus;
use super::panes::train_form::TrainForm;
use super::runs::Run;
use crate::session::{Session, UiState};

impl App {
    /// A new app restoring a saved session (the caller runs the returned commands).
    /// `O`: replaces this window's (empty) session with the one this start archived.
    pub fn reopen_previous(&mut self) -> Vec<Command> {
        let Some(path) = self.previous.clone() else {
            self.notice = Some(
                "no earlier session was kept when this window started (emoscope --session FILE \
                 opens a saved one)"
                    .into(),
            );
            return Vec::new();
        };
        if !self.shared.runs.is_empty() || !self.classify.history.is_empty() {
            self.notice = Some(format!(
                "this window has its own results: save them (w) and start emoscope --session {} \
                 to see the earlier one",
                path.display()
            ));
            return Vec::new();
        }
        match Session::load(&path) {
            Ok(s) => {
                let (mut fresh, cmds) = App::from_session(&s);
                fresh.status = format!("reopened {}", path.display());
                log::info!("{}", fresh.status);
                *self = fresh;
                cmds
            }
            Err(e) => {
                self.notice = Some(format!("cannot reopen it: {e}"));
                Vec::new()
            }
        }
    }

    pub fn from_session(s: &Session) -> (App, Vec<Command>) {
        let (mut app, cmds) = App::new(s.corpus.clone());
        let u = &s.ui;
        app.pane = Pane::ALL
            .into_iter()
            .find(|p| p.title() == u.pane)
            .unwrap_or(Pane::Corpus);
        let c = &mut app.corpus;
        c.actor = u.actor;
        c.emotion = u.emotion.min(crate::corpus::Emotion::ALL.len() - 1);
        c.focus = if u.in_clips {
            Focus::Clips
        } else {
            Focus::Grid
        };
        c.clip_index = u.clip_index;
        c.filters = Filters {
            sex: u.filter_sex,
            intensity: u.filter_intensity,
            statement: u.filter_statement,
            repetition: u.filter_repetition,
            channel: u.filter_channel,
            text: u.filter_text.clone(),
        };
        app.inspect.inspected = match (&u.inspected_file, u.inspected) {
            (Some(p), _) => Some(ClipKey::File(p.clone())),
            (None, Some(id)) => Some(ClipKey::Corpus(id)),
            (None, None) => None,
        };
        app.inspect.view = InspectView::ALL
            .into_iter()
            .find(|v| v.title() == u.view)
            .unwrap_or(InspectView::Spectrogram);
        app.inspect.side_by_side = u.side_by_side;
        if let Some(f) = &u.train_form {
            app.train.form = TrainForm::from_state(f);
        }
        app.shared.runs = s.experiments.iter().map(Run::from_record).collect();
        if !app.shared.runs.is_empty() {
            app.train
                .show_run(app.shared.runs.len() - 1, TrainFocus::Runs);
        }
        app.classify.history = s.history.clone();
        app.classify.history_index = s.history.len().saturating_sub(1);
        app.classify.wanted_model = u.classify_model.clone();
        app.classify.wanted_profile = u.classify_profile.clone();
        app.train.normalised = u.train_normalised;
        let cmp = &mut app.compare;
        cmp.picked = u.compare_picked.iter().copied().take(2).collect();
        if let Some(k) = SortKey::ALL
            .into_iter()
            .find(|k| k.title() == u.compare_sort)
        {
            cmp.sort = k;
            cmp.descending = u.compare_descending;
        }
        cmp.recompare(&app.shared);
        (app, cmds)
    }

    /// The session to save: the corpus, where the user is, the experiments, the history.
    pub fn session(&self) -> Session {
        let c = &self.corpus;
        let inspected = self.inspect.inspected.as_ref();
        Session {
            version: crate::session::VERSION,
            corpus: self.shared.spec.clone(),
            ui: UiState {
                pane: self.pane.title().to_string(),
                actor: c.actor,
                emotion: c.emotion,
                in_clips: c.focus == Focus::Clips,
                clip_index: c.clip_index,
                filter_sex: c.filters.sex,
                filter_intensity: c.filters.intensity,
                filter_statement: c.filters.statement,
                filter_repetition: c.filters.repetition,
                filter_channel: c.filters.channel,
                filter_text: c.filters.text.clone(),
                inspected: inspected.and_then(ClipKey::ravdess),
                inspected_file: match inspected {
                    Some(ClipKey::File(p)) => Some(p.clone()),
                    _ => None,
                },
                view: self.inspect.view.title().to_string(),
                side_by_side: self.inspect.side_by_side,
                train_form: Some(self.train.form.state()),
                classify_model: self.classify.chosen_label(&self.shared),
                classify_profile: self
                    .classify
                    .profile()
                    .map(std::path::Path::to_path_buf)
                    .or(self.classify.wanted_profile.clone()),
                compare_picked: self.compare.picked.clone(),
                compare_sort: self.compare.sort.title().to_string(),
                compare_descending: self.compare.descending,
                train_normalised: self.train.normalised,
            },
            experiments: self.shared.runs.iter().map(Run::record).collect(),
            history: self.classify.history.clone(),
        }
    }
}
