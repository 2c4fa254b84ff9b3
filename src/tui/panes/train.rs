//! The Train pane's state and keys: the experiment form, the runs, the selected run's
//! confusion matrix with a cell cursor, and the clips behind a cell. Drawn by `train_draw`.

use ratatui::crossterm::event::KeyCode::Char;

use crate::corpus::{ClipId, Emotion};
use crate::ml::experiment::Facet;
use crate::tui::hits::{Surface, Target};
use crate::tui::input::Prompt;
use crate::tui::keys::{ARROWS_HJKL, Binding, ENTER, ESC, SPACE, bind, moves};
use crate::tui::msg::{Action, ClipKey, Command, Effect, JobId, Pane};
use crate::tui::runs::Run;
use crate::tui::shared::Shared;

use super::train_form::{FormField, TrainForm, model_export_path, parse_select};

pub const KEYS: &[Binding] = &[
    moves(
        ARROWS_HJKL,
        "form: field / change value · matrix: move between cells",
        Some("move"),
    ),
    bind(
        ENTER,
        Action::Enter,
        "edit a field / start the run · open a run's matrix · list a cell's clips · inspect a clip",
        Some("start/open"),
    ),
    bind(
        ESC,
        Action::Back,
        "back: clips → matrix → runs → form",
        Some("back"),
    ),
    bind(
        &[Char('x')],
        Action::CancelRun,
        "cancel the selected run",
        Some("cancel"),
    ),
    bind(
        &[Char('R')],
        Action::Rerun,
        "run the selected experiment again (e.g. an interrupted one)",
        Some("re-run"),
    ),
    bind(
        &[Char('m')],
        Action::ToggleNormalised,
        "matrix: counts ↔ row %",
        Some("counts/%"),
    ),
    bind(
        &[Char('n')],
        Action::NewRun,
        "back to the form for a new run",
        None,
    ),
    bind(
        &[Char('e')],
        Action::ExportModel,
        "save the selected run's final model to models/",
        None,
    ),
    bind(
        &[Char('X')],
        Action::ExportRun,
        "export the run: report JSON, confusion CSV, predictions CSV to exports/",
        None,
    ),
    bind(
        &[Char('g')],
        Action::CycleBreakdown,
        "scores by actor → sex → intensity → statement → off (finished run)",
        Some("breakdown"),
    ),
    bind(
        &[Char('I')],
        Action::Importance,
        "permutation importance of the finished run (groups and features, ranked) · again: hide",
        Some("importance"),
    ),
    bind(SPACE, Action::Play, "play / stop the selected clip", None),
];

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

#[derive(Debug, Clone, PartialEq)]
pub struct TrainPane {
    pub form: TrainForm,
    pub focus: TrainFocus,
    /// Selected run (index into the session's runs).
    pub run_index: usize,
    /// Cursor in the confusion matrix: (true class, predicted class).
    pub cell: (usize, usize),
    pub cell_clip: usize,
    /// Row-normalised matrix instead of counts.
    pub normalised: bool,
    /// The finished run's scores shown by this facet of the clips, if any.
    pub breakdown: Option<Facet>,
    /// The detail panel shows the run's permutation importance (`I`).
    pub show_importance: bool,
}

impl Default for TrainPane {
    fn default() -> Self {
        TrainPane {
            form: TrainForm::default(),
            focus: TrainFocus::Form,
            run_index: 0,
            cell: (0, 0),
            cell_clip: 0,
            normalised: false,
            breakdown: None,
            show_importance: false,
        }
    }
}

/// The prompt for the file name of a run's final model, pre-filled.
pub fn ask_export(run: Option<&Run>) -> Effect {
    match run {
        Some(r) if r.report.is_some() => Effect::Ask(
            Prompt::ModelName(r.id),
            format!("models/{}.ron", r.file_stem()),
        ),
        Some(r) => Effect::Notice(format!(
            "run #{} has not finished: only a finished experiment can be saved as a model",
            r.id
        )),
        None => Effect::Notice("no experiment selected".into()),
    }
}

/// Writes a finished run's report, matrix and predictions to `exports/` (the CLI's files).
pub fn export_run(run: Option<&Run>) -> Vec<Effect> {
    match run {
        Some(r) => match &r.report {
            Some(report) => {
                let stem = std::path::Path::new("exports").join(r.file_stem());
                vec![Effect::Run(Command::ExportRun(report.clone(), stem))]
            }
            None => vec![Effect::Notice(format!(
                "run #{} has not finished: there is nothing to export yet",
                r.id
            ))],
        },
        None => vec![Effect::Notice("no experiment selected".into())],
    }
}

/// A model export finished: say where it went (and list the models again), or why not.
pub fn model_saved(r: Result<std::path::PathBuf, String>) -> Vec<Effect> {
    match r {
        Ok(path) => {
            log::info!("model saved to {}", path.display());
            vec![
                Effect::Status(format!("model saved to {}", path.display())),
                Effect::Run(Command::ListModels),
            ]
        }
        Err(msg) => vec![
            Effect::Status("model not saved".into()),
            Effect::Notice(msg),
        ],
    }
}

/// A run's export finished: the files written (the stem once), or why not.
pub fn exported(r: Result<Vec<std::path::PathBuf>, String>) -> Vec<Effect> {
    match r {
        Ok(files) => {
            let names: Vec<String> = files.iter().map(|f| crate::util::shown(f)).collect();
            log::info!("exported {}", names.join(", "));
            // The stem once (the full names are in the Log pane): fits 80 columns.
            let stem = names.first().map_or("", |n| n.trim_end_matches(".json"));
            vec![Effect::Status(format!(
                "exported {stem} .json -confusion.csv -predictions.csv"
            ))]
        }
        Err(msg) => vec![Effect::Notice(format!("export failed: {msg}"))],
    }
}

impl TrainPane {
    /// `I`: shows the selected run's importance, computing it first if needed; hides it.
    fn importance(&mut self, shared: &Shared) -> Vec<Effect> {
        let Some(run) = self.selected_run(shared) else {
            return vec![Effect::Notice("no experiment selected".into())];
        };
        let Some(report) = &run.report else {
            return vec![Effect::Notice(format!(
                "run #{} has not finished: importance needs its folds",
                run.id
            ))];
        };
        // Computed (or being computed): I shows or hides it. Not yet: I computes it.
        if report.importance.is_some() || shared.jobs.is_running(&JobId::Importance(run.id)) {
            self.show_importance = !self.show_importance;
            return Vec::new();
        }
        self.show_importance = true;
        let Some(corpus) = shared.corpus.clone() else {
            return vec![Effect::Notice("the corpus is not open".into())];
        };
        vec![
            Effect::Status(format!(
                "run #{}: permutation importance (every fold refitted, each feature shuffled 3×) …",
                run.id
            )),
            Effect::Run(Command::Importance {
                run: run.id,
                corpus,
                preset: run.preset,
                report: report.clone(),
            }),
        ]
    }
}

/// The typed file name of a model export is confirmed: fit the run's final model and save.
pub fn export_model(run: u32, text: &str, shared: &Shared) -> Vec<Effect> {
    let (Some(r), Some(corpus)) = (shared.run(run), shared.corpus.clone()) else {
        return Vec::new();
    };
    let Some(report) = r.report.clone() else {
        return Vec::new();
    };
    match model_export_path(text) {
        Err(why) => vec![Effect::Notice(why)],
        Ok(path) => vec![
            Effect::Status(format!(
                "fitting run #{run}'s final model on every clip, to save as {} …",
                crate::util::shown(&path)
            )),
            Effect::Run(Command::SaveModel {
                path,
                corpus,
                preset: r.preset,
                report,
            }),
        ],
    }
}

impl TrainPane {
    pub fn selected_run<'a>(&self, shared: &'a Shared) -> Option<&'a Run> {
        shared.runs.get(self.run_index)
    }

    /// The classes of the selected run (the emotions its data had).
    pub fn classes(&self, shared: &Shared) -> Vec<Emotion> {
        self.selected_run(shared)
            .and_then(|r| r.report.as_ref().map(|r| r.classes.clone()))
            .or_else(|| shared.corpus.as_ref().map(|c| c.emotions()))
            .unwrap_or_else(|| Emotion::RAVDESS.to_vec())
    }

    /// The clips behind the selected confusion cell of the selected run.
    pub fn cell_clips(&self, shared: &Shared) -> Vec<ClipId> {
        let Some(report) = self.selected_run(shared).and_then(|r| r.report.as_ref()) else {
            return Vec::new();
        };
        report
            .predictions()
            .into_iter()
            .filter(|&(_, t, p)| (t, p) == self.cell)
            .filter_map(|(row, _, _)| report.ids.get(row).copied())
            .collect()
    }

    /// Shows run `index` (a new run, or one opened from Compare) with the keyboard on `focus`.
    pub fn show_run(&mut self, index: usize, focus: TrainFocus) {
        self.run_index = index;
        self.focus = focus;
    }

    /// A form field typed in a prompt is confirmed.
    pub fn on_prompt(&mut self, prompt: Prompt, text: &str) -> Vec<Effect> {
        let text = text.trim();
        let form = &mut self.form;
        let refused = match prompt {
            Prompt::Grid => {
                form.grid = text.to_string();
                None
            }
            Prompt::Select => parse_select(text)
                .map(|_| form.select = text.to_string())
                .err()
                .map(|e| format!("selection not changed: {e}")),
            Prompt::Protocol => text
                .parse::<crate::ml::protocol::Protocol>()
                .map(|_| form.protocol = text.to_string())
                .err()
                .map(|e| format!("protocol not changed: {e}")),
            Prompt::TestCorpus if text.is_empty() => {
                form.test_corpus.clear();
                None
            }
            Prompt::TestCorpus => match crate::corpus::detect_format(std::path::Path::new(text)) {
                Ok(f) => {
                    form.test_corpus = text.to_string();
                    return vec![Effect::Status(format!(
                        "cross-corpus: runs train on the open corpus and test on {f} ({text})"
                    ))];
                }
                Err(e) => Some(format!("test corpus not changed: {e}")),
            },
            Prompt::Seed => text
                .parse::<u64>()
                .map(|v| form.seed = v)
                .err()
                .map(|_| format!("'{text}' is not a seed (a whole number ≥ 0)")),
            _ => None,
        };
        refused.map(Effect::Notice).into_iter().collect()
    }

    fn form_enter(&mut self) -> Vec<Effect> {
        let form = &self.form;
        let ask = |p, t: &str| vec![Effect::Ask(p, t.to_string())];
        match form.current() {
            FormField::Grid => ask(Prompt::Grid, &form.grid),
            FormField::Select => ask(Prompt::Select, &form.select),
            FormField::Protocol => ask(Prompt::Protocol, &form.protocol),
            FormField::Seed => ask(Prompt::Seed, &form.seed.to_string()),
            FormField::TestCorpus => ask(Prompt::TestCorpus, &form.test_corpus),
            FormField::Start => match form.spec() {
                Ok(spec) => vec![Effect::StartRun(form.preset, spec)],
                Err(e) => vec![Effect::Notice(format!("cannot start: {e}"))],
            },
            _ => {
                self.form.step(true);
                Vec::new()
            }
        }
    }

    fn matrix(&mut self, action: Action, shared: &Shared) -> Vec<Effect> {
        let n = self.classes(shared).len();
        let (t, p) = &mut self.cell;
        match action {
            Action::Up => *t = t.saturating_sub(1),
            Action::Down => *t = (*t + 1).min(n.saturating_sub(1)),
            Action::Left => *p = p.saturating_sub(1),
            Action::Right => *p = (*p + 1).min(n.saturating_sub(1)),
            Action::Back => self.focus = TrainFocus::Runs,
            Action::Enter
                if self
                    .selected_run(shared)
                    .is_some_and(|r| r.report.is_some()) =>
            {
                self.focus = TrainFocus::Clips;
                self.cell_clip = 0;
            }
            Action::Enter => {
                return vec![Effect::Notice(
                    "the clips behind a cell are listed once the run finishes".into(),
                )];
            }
            _ => {}
        }
        Vec::new()
    }

    fn clips(&mut self, action: Action, shared: &Shared) -> Vec<Effect> {
        let clips = self.cell_clips(shared);
        let key = clips.get(self.cell_clip).map(|&id| ClipKey::Corpus(id));
        match action {
            Action::Up => self.cell_clip = self.cell_clip.saturating_sub(1),
            Action::Down => {
                self.cell_clip = (self.cell_clip + 1).min(clips.len().saturating_sub(1))
            }
            Action::Back => self.focus = TrainFocus::Matrix,
            Action::Enter => {
                let Some(k) = key else {
                    return Vec::new();
                };
                // Inspect shows what the run predicted for the clip.
                let verdict = self.selected_run(shared).and_then(|r| {
                    let (truth, pred, probs) = r.report.as_ref()?.prediction_of(&k.ravdess()?)?;
                    let p = probs.iter().copied().fold(f64::NAN, f64::max);
                    let p = if p.is_nan() {
                        String::new()
                    } else {
                        format!(" ({p:.2})")
                    };
                    Some(format!("run #{}: {pred}{p}, truly {truth}", r.id))
                });
                let mut fx = vec![Effect::Inspect(k, Pane::Train)];
                fx.extend(verdict.map(Effect::Verdict));
                return fx;
            }
            Action::Play => return vec![Effect::TogglePlay(key)],
            _ => {}
        }
        Vec::new()
    }

    fn click(&mut self, target: Target, shared: &Shared) -> Vec<Effect> {
        match target {
            Target::Row(Surface::Runs, i) if i < shared.runs.len() => {
                self.show_run(i, TrainFocus::Runs)
            }
            Target::Row(Surface::Form, i) if i < FormField::ALL.len() => {
                self.focus = TrainFocus::Form;
                self.form.field = i;
            }
            Target::Row(Surface::CellClips, i) => {
                self.focus = TrainFocus::Clips;
                self.cell_clip = i;
            }
            _ => {}
        }
        Vec::new()
    }

    pub fn update(&mut self, action: Action, shared: &Shared) -> Vec<Effect> {
        let n_runs = shared.runs.len();
        let running = self
            .selected_run(shared)
            .map(|r| (r.id, r.state.is_active()));
        match (self.focus, action) {
            (_, Action::ToggleNormalised) => self.normalised = !self.normalised,
            (_, Action::CycleBreakdown) => {
                let i = self
                    .breakdown
                    .and_then(|f| Facet::ALL.iter().position(|&x| x == f));
                self.breakdown = match i {
                    None => Some(Facet::ALL[0]),
                    Some(i) => Facet::ALL.get(i + 1).copied(),
                };
            }
            (_, Action::NewRun) => self.focus = TrainFocus::Form,
            (_, Action::ExportModel) => return vec![ask_export(self.selected_run(shared))],
            (_, Action::ExportRun) => return export_run(self.selected_run(shared)),
            (_, Action::Importance) => return self.importance(shared),
            (_, Action::Clicked(t)) => return self.click(t, shared),
            (_, Action::Scrolled(Target::Row(s, _) | Target::Over(s), down)) => {
                self.focus = match s {
                    Surface::Form => TrainFocus::Form,
                    Surface::CellClips => TrainFocus::Clips,
                    _ => TrainFocus::Runs,
                };
                return self.update(if down { Action::Down } else { Action::Up }, shared);
            }
            (TrainFocus::Form, _) if matches!(action, Action::CancelRun | Action::Rerun) => {}
            (_, Action::CancelRun) => {
                if let Some((id, true)) = running {
                    return vec![
                        Effect::Status(format!("cancelling run #{id} …")),
                        Effect::Run(Command::Cancel(id)),
                    ];
                }
            }
            (_, Action::Rerun) => {
                if let Some(r) = self.selected_run(shared).filter(|r| !r.state.is_active()) {
                    return vec![Effect::StartRun(r.preset, r.spec.clone())];
                }
            }
            (TrainFocus::Form, Action::Up) => self.form.field = self.form.field.saturating_sub(1),
            (TrainFocus::Form, Action::Down) => {
                self.form.field = (self.form.field + 1).min(FormField::ALL.len() - 1)
            }
            (TrainFocus::Form, Action::Left) => self.form.step(false),
            (TrainFocus::Form, Action::Right) => self.form.step(true),
            (TrainFocus::Form, Action::Back) if n_runs > 0 => self.focus = TrainFocus::Runs,
            (TrainFocus::Form, Action::Enter) => return self.form_enter(),
            (TrainFocus::Runs, Action::Up) => self.run_index = self.run_index.saturating_sub(1),
            (TrainFocus::Runs, Action::Down) => {
                self.run_index = (self.run_index + 1).min(n_runs.saturating_sub(1))
            }
            (TrainFocus::Runs, Action::Back) => self.focus = TrainFocus::Form,
            (TrainFocus::Runs, Action::Enter) if n_runs > 0 => self.focus = TrainFocus::Matrix,
            (TrainFocus::Matrix, a) => return self.matrix(a, shared),
            (TrainFocus::Clips, a) => return self.clips(a, shared),
            _ => {}
        }
        Vec::new()
    }
}
