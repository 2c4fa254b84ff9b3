//! The Train, Compare and Classify panes, driven through `update` with real background work
//! (the TUI's own executor) on a small synthetic corpus written to disk: snapshots at 80×24
//! and 160×48, the drill-down from a confusion cell to Inspect, sessions that bring the
//! experiments back, and the Train pane's numbers against `emoscope train`'s.

mod common;

use std::path::PathBuf;
use std::sync::OnceLock;
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use emoscope::audio::LoadOptions;
use emoscope::corpus::{ClipId, Corpus, CorpusSpec};
use emoscope::ml::experiment::JobEvent;
use emoscope::tui::app::App;
use emoscope::tui::input::Edit;
use emoscope::tui::msg::{Action, AppEvent, ClipKey, Command, Pane, RunEvent};
use emoscope::tui::panes::train::TrainFocus;
use emoscope::tui::runs::RunState;
use emoscope::tui::theme::{ColorMode, Theme};
use emoscope::tui::{Executor, ui};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// Actors 1-4 of the synthetic corpus as WAV files, and a feature cache, shared by the tests.
fn small() -> &'static (PathBuf, PathBuf) {
    static DIRS: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();
    DIRS.get_or_init(|| {
        let root = tempfile::Builder::new()
            .prefix("tui-train-")
            .tempdir()
            .unwrap()
            .keep();
        let corpus = root.join("corpus");
        emoscope::cli::write_synthetic(&corpus, 1188976, &[1, 2, 3, 4], &[], None).unwrap();
        let cache = root.join("cache");
        // Safety: every test of this file sets the same value before any thread reads it.
        unsafe { std::env::set_var("EMOSCOPE_CACHE", &cache) };
        (corpus, cache)
    })
}

fn render(app: &App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| {
        ui::draw(f, app, &Theme::new(ColorMode::Mono));
    })
    .unwrap();
    // The temporary folder's name changes from run to run; its length does not.
    let (dir, _) = small();
    let text = t.backend().to_string().replace(
        &dir.parent().unwrap().display().to_string(),
        "/tmp/TUI-TRAIN",
    );
    mask_eta(&text)
}

/// An ETA depends on the machine's pace: "· ETA 12 s   │" becomes "· ETA ~       │" (same
/// width, so the layout is still checked).
fn mask_eta(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("· ETA ") {
            Some(i) => {
                let rest = &line[i..];
                let end = rest.find('│').unwrap_or(rest.len());
                let width = rest[..end].chars().count();
                format!("{}{:<width$}{}", &line[..i], "· ETA ~", &rest[end..])
            }
            None => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn both_sizes(name: &str, app: &App) {
    insta::assert_snapshot!(format!("{name}_80x24"), render(app, 80, 24));
    insta::assert_snapshot!(format!("{name}_160x48"), render(app, 160, 48));
}

struct Harness {
    app: App,
    exec: Executor,
    rx: Receiver<AppEvent>,
}

impl Harness {
    fn new() -> Harness {
        Harness::on(&small().0)
    }

    fn on(dir: &std::path::Path) -> Harness {
        let (tx, rx) = channel();
        let (app, cmds) = App::new(CorpusSpec::directory(dir.to_path_buf()));
        let mut h = Harness {
            app,
            exec: Executor::new(tx, LoadOptions::default()),
            rx,
        };
        h.run(cmds);
        h.until(|a| a.shared.corpus.is_some());
        h
    }

    fn run(&mut self, cmds: Vec<Command>) {
        for c in cmds {
            // The test picks the saved-model list itself (models/ may hold a user's files).
            if !matches!(c, Command::ListModels) {
                self.exec.run(c);
            }
        }
    }

    fn act(&mut self, a: Action) {
        let cmds = self.app.update(a);
        self.run(cmds);
    }

    fn feed(&mut self, e: AppEvent) {
        let cmds = self.app.event(e);
        self.run(cmds);
    }

    fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.act(Action::Edit(Edit::Char(c)));
        }
    }

    /// Feeds background results to the app until `done` holds (run times normalised to 1 s
    /// so snapshots are stable).
    fn until(&mut self, done: impl Fn(&App) -> bool) {
        let start = Instant::now();
        while !done(&self.app) {
            assert!(
                start.elapsed() < Duration::from_secs(300),
                "timed out; status: {}",
                self.app.status
            );
            if let Ok(mut e) = self.rx.recv_timeout(Duration::from_millis(50)) {
                if let AppEvent::Run(_, RunEvent::Job(JobEvent::Finished(r))) = &mut e {
                    r.seconds = 1.0;
                    r.extract_seconds = 2.0;
                }
                self.feed(e);
            }
        }
    }

    /// Sets up the form (from a fresh form: preset classic, model svm) and starts a run.
    fn start(&mut self, model_steps: usize, grid: Option<&str>, protocol: &str, seed: u64) -> u32 {
        self.act(Action::Pane(Pane::Train));
        self.act(Action::NewRun);
        self.app.train.form.field = 0;
        self.act(Action::Down);
        for _ in 0..model_steps {
            self.act(Action::Right);
        }
        self.act(Action::Down);
        if let Some(g) = grid {
            self.act(Action::Enter);
            self.act(Action::Edit(Edit::KillToStart));
            self.type_text(g);
            self.act(Action::Edit(Edit::Submit));
        }
        // Past Select to Protocol.
        self.act(Action::Down);
        self.act(Action::Down);
        self.act(Action::Enter);
        self.act(Action::Edit(Edit::KillToStart));
        self.type_text(protocol);
        self.act(Action::Edit(Edit::Submit));
        // Test corpus, SMOTE, spk norm, enrol, seed.
        for _ in 0..5 {
            self.act(Action::Down);
        }
        self.act(Action::Enter);
        self.act(Action::Edit(Edit::KillToStart));
        self.type_text(&seed.to_string());
        self.act(Action::Edit(Edit::Submit));
        self.act(Action::Down);
        let before = self.app.shared.runs.len();
        self.act(Action::Enter);
        assert_eq!(
            self.app.shared.runs.len(),
            before + 1,
            "{:?}",
            self.app.notice
        );
        self.app.shared.runs.last().unwrap().id
    }

    fn finish(&mut self, id: u32) {
        self.until(|a| a.shared.run(id).is_some_and(|r| !r.state.is_active()));
        let r = self.app.shared.run(id).unwrap();
        assert_eq!(r.state, RunState::Finished, "{}", r.stage);
    }
}

/// "label 0.123" → 0.123, from the first line holding `label`.
fn number_after(text: &str, label: &str) -> f64 {
    let i = text
        .find(label)
        .unwrap_or_else(|| panic!("no {label:?} in\n{text}"));
    text[i + label.len()..]
        .split_whitespace()
        .next()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no number after {label:?} in\n{text}"))
}

/// The default experiment — the Train form untouched, `emoscope train` with no flags — is one
/// definition in the library, so both shells score it identically.
#[test]
fn the_default_experiment_scores_the_same_in_both_shells() {
    let (_, cache) = small();
    // Five actors: the default protocol is actor 5-fold.
    let dir = small().0.parent().unwrap().join("five-actors");
    if !dir.exists() {
        emoscope::cli::write_synthetic(&dir, 1188976, &[1, 2, 3, 4, 5], &[], None).unwrap();
    }
    let mut h = Harness::on(&dir);
    h.act(Action::Pane(Pane::Train));
    h.app.train.form.field = emoscope::tui::panes::train_form::FormField::ALL.len() - 1;
    h.act(Action::Enter);
    let id = h.app.shared.runs.last().expect("a run started").id;
    h.finish(id);
    let tui = h.app.shared.run(id).unwrap().report.clone().unwrap();
    assert_eq!(
        tui.spec,
        emoscope::ml::experiment::ExperimentSpec::default()
    );
    let files = tempfile::tempdir().unwrap();
    let cli = common::json_output(
        std::process::Command::new(env!("CARGO_BIN_EXE_emoscope"))
            .arg("--corpus")
            .arg(&dir)
            .args(["train", "--json", "--export-confusion"])
            .arg(files.path().join("cli-confusion.csv"))
            .arg("--export-predictions")
            .arg(files.path().join("cli-predictions.csv"))
            .env("EMOSCOPE_CACHE", cache),
    );
    let uar = cli["scores"]["uar"].as_f64().unwrap();
    assert_eq!(uar, tui.scores.uar, "CLI {uar} vs TUI {}", tui.scores.uar);
    assert_eq!(
        cli["scores"]["accuracy"].as_f64().unwrap(),
        tui.scores.accuracy
    );
    assert_eq!(cli["spec"], serde_json::to_value(&tui.spec).unwrap());
    // Breakdowns: by actor in --json, and the same numbers in the Train pane (g).
    let by_actor = cli["by_actor"].as_array().unwrap();
    assert_eq!(by_actor.len(), 5);
    let tui_rows = tui.breakdown(emoscope::ml::experiment::Facet::Actor);
    for (j, (group, s, n)) in by_actor.iter().zip(&tui_rows) {
        assert_eq!(j["group"].as_str().unwrap(), group);
        assert_eq!(j["uar"].as_f64().unwrap(), s.uar);
        assert_eq!(j["clips"].as_u64().unwrap() as usize, *n);
    }
    assert_eq!(tui_rows.iter().map(|r| r.2).sum::<usize>(), tui.ids.len());
    assert_eq!(cli["chance_uar"].as_f64().unwrap(), 0.125);
    // X exports the same files as the CLI: the matrix and every clip's prediction.
    h.app.pane = Pane::Train;
    h.app.train.focus = TrainFocus::Runs;
    match h.app.update(Action::ExportRun).as_slice() {
        [Command::ExportRun(_, stem)] => assert!(stem.starts_with("exports"), "{stem:?}"),
        other => panic!("X asked for {other:?}"),
    }
    let written = emoscope::tui::work::export_run(&tui, &files.path().join("tui")).unwrap();
    assert_eq!(written.len(), 3);
    let read = |name: &str| std::fs::read_to_string(files.path().join(name)).unwrap();
    assert_eq!(read("tui-confusion.csv"), read("cli-confusion.csv"));
    assert_eq!(read("tui-predictions.csv"), read("cli-predictions.csv"));
    assert_eq!(
        read("tui-predictions.csv").lines().count(),
        tui.ids.len() + 1
    );
    let json: serde_json::Value = serde_json::from_str(&read("tui.json")).unwrap();
    assert_eq!(json["scores"], cli["scores"]);
    assert_eq!(json["by_actor"], cli["by_actor"]);
    h.app.train.focus = TrainFocus::Runs;
    // g through the key table, as a user presses it.
    let g = ratatui::crossterm::event::Event::Key(ratatui::crossterm::event::KeyEvent::from(
        ratatui::crossterm::event::KeyCode::Char('g'),
    ));
    h.feed(AppEvent::Input(g));
    let screen = render(&h.app, 120, 40);
    assert!(
        screen.contains("by actor") && screen.contains("lowest"),
        "{screen}"
    );
    for (group, s, _) in &tui_rows {
        assert!(
            screen.contains(&format!("{group:<12}{:>6.3}", s.uar)),
            "{screen}"
        );
    }
}

#[test]
fn train_pane_shows_what_the_cli_prints() {
    let (dir, cache) = small();
    let mut h = Harness::new();
    let id = h.start(1, Some("k=3,5,9"), "actor-kfold:4", 3);
    h.finish(id);
    h.app.train.focus = TrainFocus::Runs;
    let screen = render(&h.app, 80, 24);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_emoscope"))
        .args(["--corpus"])
        .arg(dir)
        .args([
            "train",
            "--model",
            "knn",
            "--grid",
            "k=3,5,9",
            "--protocol",
            "actor-kfold:4",
            "--train-seed",
            "3",
        ])
        .env("EMOSCOPE_CACHE", cache)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cli = String::from_utf8_lossy(&out.stdout);
    for (tui_label, cli_label) in [
        ("acc ", "accuracy "),
        ("UAR ", "UAR "),
        ("macro-F1 ", "macro-F1 "),
    ] {
        assert_eq!(
            number_after(&screen, tui_label),
            number_after(&cli, cli_label),
            "{tui_label} differs:\n{screen}\n{cli}"
        );
    }
    // The per-class recall column equals the CLI's confusion table's.
    let report = h.app.shared.run(id).unwrap().report.clone().unwrap();
    for (e, c) in report.classes.iter().zip(&report.scores.per_class) {
        let line = cli.lines().find(|l| l.starts_with(e.name())).unwrap();
        assert!(line.contains(&format!("{:.3}", c.recall)), "{line}");
    }

    // `I`: permutation importance, computed in the background, the same as the CLI's.
    h.act(Action::Importance);
    // While it runs, the pane counts its shuffles (reported by the job, at most every 100 ms).
    let progress = |stage, done, total| emoscope::tui::msg::Progress { stage, done, total };
    h.feed(AppEvent::JobProgress(
        emoscope::tui::msg::JobId::Importance(id),
        progress("shuffled", 3, 10),
    ));
    let screen = render(&h.app, 160, 48);
    assert!(screen.contains("importance: shuffled 3/10"), "{screen}");
    h.until(|a| {
        a.shared
            .run(id)
            .and_then(|r| r.report.as_ref())
            .is_some_and(|r| r.importance.is_some())
    });
    both_sizes("train_importance", &h.app);
    let tui = h.app.shared.run(id).unwrap().report.clone().unwrap();
    let tui = tui.importance.as_ref().unwrap();
    let v = common::json_output(
        std::process::Command::new(env!("CARGO_BIN_EXE_emoscope"))
            .args(["--corpus"])
            .arg(dir)
            .args(["train", "--model", "knn", "--grid", "k=3,5,9"])
            .args(["--protocol", "actor-kfold:4", "--train-seed", "3"])
            .args(["--importance", "--json"])
            .env("EMOSCOPE_CACHE", cache),
    );
    let groups = v["importance"]["groups"].as_array().unwrap();
    assert_eq!(groups.len(), tui.groups.len());
    for (g, t) in groups.iter().zip(&tui.groups) {
        assert_eq!(g["name"], t.name.as_str());
        assert_eq!(g["drop"].as_f64().unwrap(), t.drop);
    }
    assert_eq!(v["importance"]["features"].as_array().unwrap().len(), 180);
    assert_eq!(tui.baseline_uar, report.scores.uar);
    // Again: hidden.
    h.act(Action::Importance);
    assert!(!render(&h.app, 80, 24).contains("UAR drop when shuffled"));
}

#[test]
fn train_compare_classify_and_sessions() {
    let mut h = Harness::new();
    both_sizes("train_empty_form", &h.app);

    // Two runs at once: an SVM grid and a random forest, speaker-independent.
    let svm = h.start(0, None, "loso", 0);
    let rf = h.start(2, Some("trees=30"), "loso", 0);
    assert_eq!(
        h.app
            .shared
            .runs
            .iter()
            .filter(|r| r.state.is_active())
            .count(),
        2
    );
    h.finish(svm);
    h.finish(rf);
    // Which run finished last (and so the status line) depends on the scheduler.
    h.app.status = "both runs done".into();

    // Mid-training, rebuilt from the SVM's real folds in a fixed order: two of four done.
    let report = h.app.shared.run(svm).unwrap().report.clone().unwrap();
    let mut mid = h.app.clone();
    mid.train.run_index = 0;
    mid.pane = Pane::Train;
    mid.train.focus = TrainFocus::Runs;
    let cmds = mid.update(Action::Rerun);
    assert!(matches!(cmds.as_slice(), [Command::Train { .. }]));
    let again = mid.shared.runs.last().unwrap().id;
    let ev = |e: JobEvent| AppEvent::Run(again, RunEvent::Job(e));
    // Progress does not change what the session records (the event loop skips comparing).
    let before_progress = mid.session();
    assert!(!ev(JobEvent::Started { total: 40 }).may_change_session());
    mid.event(ev(JobEvent::Started { total: 40 }));
    let mut folds = report.folds.clone();
    folds.sort_by_key(|f| f.fold);
    let mut so_far = emoscope::ml::metrics::Confusion::new(report.classes.len());
    for f in &folds[..2] {
        so_far.merge(&f.confusion);
        mid.event(ev(JobEvent::FoldDone {
            fold: f.fold,
            of: folds.len(),
            confusion_so_far: so_far.clone(),
            scores_so_far: so_far.scores(),
        }));
    }
    mid.event(ev(JobEvent::Progress {
        done: 22,
        total: 40,
        stage: "fold 3 search SVM Rbf C=1 gamma=scale".into(),
    }));
    assert_eq!(mid.session(), before_progress);
    both_sizes("train_mid_training", &mid);
    let partial = mid.shared.runs.last().unwrap().confusion.clone().unwrap();
    assert_eq!(
        partial.total(),
        (folds[0].test_rows.len() + folds[1].test_rows.len()) as u64
    );

    // A session saved now brings the finished runs back as they were and the running one
    // back interrupted, one key from running again.
    let saved = mid.session();
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("s.ron");
    saved.save(&path).unwrap();
    let (mut back, _) = App::from_session(&emoscope::session::Session::load(&path).unwrap());
    assert_eq!(back.shared.runs.len(), 3);
    for (a, b) in back.shared.runs.iter().zip(&mid.shared.runs).take(2) {
        assert_eq!(
            (a.id, &a.scores, &a.confusion),
            (b.id, &b.scores, &b.confusion)
        );
        assert_eq!(a.state, RunState::Finished);
        assert_eq!(
            a.report.as_ref().unwrap().predictions(),
            b.report.as_ref().unwrap().predictions()
        );
    }
    assert_eq!(back.shared.runs[2].state, RunState::Interrupted);
    // `emoscope compare` ranks the session's finished runs as the Compare table does.
    let v = common::json_output(
        std::process::Command::new(env!("CARGO_BIN_EXE_emoscope")).args([
            "compare",
            path.to_str().unwrap(),
            "--json",
        ]),
    );
    let lines = v.as_array().unwrap();
    assert_eq!(lines.len(), 2, "the interrupted run is not ranked");
    assert_eq!(lines[0]["rank"], 1);
    assert_eq!(lines[0]["vs_best"], "best");
    assert!(
        lines[1]["vs_best"]["compared"]["mcnemar_p"].is_number(),
        "{v}"
    );
    let best = mid
        .shared
        .runs
        .iter()
        .take(2)
        .map(|r| r.scores.as_ref().unwrap().uar);
    assert_eq!(lines[0]["uar"].as_f64().unwrap(), best.fold(0.0, f64::max));
    // O on a fresh window reopens the session this start kept; a window with results of its
    // own refuses (nothing is replaced).
    let (mut fresh, _) = App::new(CorpusSpec::directory(small().0.clone()));
    fresh.update(Action::ReopenPrevious);
    assert!(
        fresh
            .notice
            .as_deref()
            .unwrap()
            .contains("no earlier session")
    );
    fresh.previous = Some(path.clone());
    fresh.notice = None;
    let cmds = fresh.update(Action::ReopenPrevious);
    assert_eq!(fresh.shared.runs.len(), 3, "{:?}", fresh.notice);
    assert!(fresh.status.starts_with("reopened"));
    assert!(
        matches!(cmds.as_slice(), [Command::OpenCorpus(_), ..]),
        "{cmds:?}"
    );
    let before = mid.shared.runs.len();
    mid.previous = Some(path.clone());
    mid.update(Action::ReopenPrevious);
    assert!(mid.notice.as_deref().unwrap().contains("its own results"));
    assert_eq!(mid.shared.runs.len(), before);
    mid.compare.recompare(&mid.shared);
    let tui_best = mid
        .compare
        .standings
        .iter()
        .find(|s| s.1.rank == 1)
        .unwrap();
    assert_eq!(lines[0]["id"], tui_best.0);
    back.event(AppEvent::CorpusOpened(
        Corpus::open(
            &CorpusSpec::directory(small().0.clone()),
            &LoadOptions::default(),
        )
        .map_err(|e| e.to_string()),
    ));
    back.pane = Pane::Train;
    back.train.run_index = 2;
    let cmds = back.update(Action::Rerun);
    match cmds.as_slice() {
        [Command::Train { spec, .. }] => assert_eq!(spec, &mid.shared.runs[2].spec),
        other => panic!("re-run asked for {other:?}"),
    }

    // Finished: the matrix, then the clips behind a cell, then one of them in Inspect.
    h.act(Action::Pane(Pane::Train));
    h.app.train.run_index = 0;
    h.app.train.focus = TrainFocus::Runs;
    h.act(Action::Enter);
    assert_eq!(h.app.train.focus, TrainFocus::Matrix);
    // Angry (row 4) predicted as happy (column 2), or the busiest off-diagonal cell.
    let c = &report.pooled;
    let cell = (0..c.n)
        .flat_map(|t| (0..c.n).map(move |p| (t, p)))
        .filter(|(t, p)| t != p)
        .max_by_key(|&(t, p)| (c.get(t, p), std::cmp::Reverse((t, p))))
        .unwrap();
    for _ in 0..cell.0 {
        h.act(Action::Down);
    }
    for _ in 0..cell.1 {
        h.act(Action::Right);
    }
    both_sizes("train_finished_cell", &h.app);
    h.act(Action::Enter);
    assert_eq!(h.app.train.focus, TrainFocus::Clips);
    let clips = h.app.train.cell_clips(&h.app.shared);
    assert_eq!(clips.len() as u64, c.get(cell.0, cell.1));
    let pred = report.predictions();
    for id in &clips {
        assert_eq!(id.emotion, report.classes[cell.0]);
        let row = report.ids.iter().position(|i| i == id).unwrap();
        assert_eq!(pred.iter().find(|p| p.0 == row).unwrap().2, cell.1);
    }
    both_sizes("train_cell_clips", &h.app);
    h.act(Action::Down);
    let chosen = clips[1.min(clips.len() - 1)];
    h.act(Action::Enter);
    assert_eq!(h.app.pane, Pane::Inspect);
    assert_eq!(h.app.inspect.inspected, Some(ClipKey::Corpus(chosen)));
    // Inspect says what the run predicted for it.
    let (truth, pred, _) = report.prediction_of(&chosen).unwrap();
    assert_eq!(pred, report.classes[cell.1]);
    let verdict = h.app.inspect.verdict.clone().unwrap();
    assert!(
        verdict.starts_with(&format!("run #{svm}: {pred} ("))
            && verdict.ends_with(&format!("truly {truth}")),
        "{verdict}"
    );
    h.until(|a| {
        a.inspect
            .views
            .get(&ClipKey::Corpus(chosen))
            .is_some_and(|v| v.ready().is_some())
    });

    // Compare: both runs side by side with the paired tests in words.
    h.act(Action::Pane(Pane::Compare));
    h.act(Action::Home);
    h.act(Action::Pick);
    h.act(Action::Down);
    h.act(Action::Pick);
    let cmp = h
        .app
        .compare
        .comparison
        .clone()
        .expect("same clips and folds");
    assert!(cmp.mcnemar_p > 0.0 && cmp.mcnemar_p <= 1.0);
    let screen = render(&h.app, 160, 48);
    assert!(
        screen.contains("McNemar p ") && screen.contains("paired sign-flip, 4 folds"),
        "{screen}"
    );
    both_sizes("compare_two_runs", &h.app);
    // Sorting by UAR puts the better run first.
    while h.app.compare.sort != emoscope::tui::panes::compare::SortKey::Uar {
        h.act(Action::Sort);
    }
    let best = h.app.compare.sorted_runs(&h.app.shared)[0]
        .scores
        .clone()
        .unwrap()
        .uar;
    assert!(
        h.app
            .shared
            .runs
            .iter()
            .all(|r| r.scores.as_ref().unwrap().uar <= best)
    );

    // A session restores Compare's picks and sort, and Train's counts/% choice.
    h.app.train.normalised = true;
    let (back, _) = App::from_session(&h.app.session());
    assert_eq!(back.compare.picked, h.app.compare.picked);
    assert_eq!(
        (back.compare.sort, back.compare.descending),
        (h.app.compare.sort, h.app.compare.descending)
    );
    assert!(
        back.compare.comparison.is_some(),
        "the paired tests come back"
    );
    assert!(back.train.normalised);
    h.app.train.normalised = false;

    // Save the selected run's final model, then classify a clip with it from the Classify pane.
    let model_path = small().0.parent().unwrap().join("models/best.ron");
    h.act(Action::Home);
    h.act(Action::ExportModel);
    h.app
        .prompt
        .as_mut()
        .unwrap()
        .1
        .set(model_path.display().to_string());
    h.act(Action::Edit(Edit::Submit));
    // While it fits, the status line counts down the estimate from the folds' fits.
    let fitting = render(&h.app, 160, 48);
    assert!(
        fitting.contains("1 job(s) · final fit ETA ")
            || fitting.contains("1 job(s) · final fit over its estimated"),
        "{fitting}"
    );
    // Its features are read first (from the cache, or extracted when it is cold): that
    // stage's progress replaces the countdown until it is complete.
    h.feed(AppEvent::JobProgress(
        emoscope::tui::msg::JobId::SaveModel,
        emoscope::tui::msg::Progress {
            stage: "reading features",
            done: 5,
            total: 40,
        },
    ));
    let reading = render(&h.app, 160, 48);
    assert!(
        reading.contains("1 job(s) · final fit: reading features 5/40"),
        "{reading}"
    );
    h.until(|a| a.status.starts_with("model saved"));
    assert!(model_path.exists());
    h.act(Action::Pane(Pane::Classify));
    use emoscope::tui::panes::classify::ModelSource;
    assert_eq!(
        h.app.classify.model_source(&h.app.shared),
        Some(ModelSource::Experiment(svm))
    );
    h.feed(AppEvent::Models(vec![model_path.clone()]));
    assert_eq!(
        h.app.classify.model_source(&h.app.shared),
        Some(ModelSource::Experiment(svm)),
        "the chosen model stays chosen when the list changes"
    );
    h.act(Action::Left);
    assert_eq!(
        h.app.classify.model_source(&h.app.shared),
        Some(ModelSource::File(model_path.clone()))
    );
    // The saved model is described, not "a saved model": what it is, its score, its size.
    assert!(render(&h.app, 160, 48).contains("reading what it is"));
    let info = emoscope::ml::persist::SavedModel::describe_file(&model_path);
    assert!(
        info.starts_with("svm · classic · no speaker norm · loso UAR "),
        "{info}"
    );
    assert!(
        info.contains(" clips · saved 20") && info.ends_with(" MB"),
        "{info}"
    );
    h.feed(AppEvent::ModelInfo(model_path.clone(), info.clone()));
    assert!(render(&h.app, 160, 48).contains(&info));
    // `emoscope models` lists the same line; the file holds no libsvm nodes (packed).
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_emoscope"))
        .arg("models")
        .arg(model_path.parent().unwrap())
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains(&info));
    assert!(
        !std::fs::read_to_string(&model_path)
            .unwrap()
            .contains("index:")
    );
    let wav = small().0.join("Actor_02/03-01-05-02-01-01-02.wav");
    h.act(Action::StartSearch);
    h.type_text(&wav.display().to_string());
    h.act(Action::Edit(Edit::Submit));
    h.until(|a| !a.classify.classifying);
    assert_eq!(h.app.classify.history.len(), 1, "{:?}", h.app.notice);
    let direct = emoscope::ml::persist::SavedModel::load(&model_path).unwrap();
    let audio = emoscope::audio::load(&wav, &direct.load_options()).unwrap();
    let (emotion, _) = direct
        .classify(&[audio], emoscope::ml::persist::SpeakerNorm::None)
        .unwrap()
        .remove(0);
    assert_eq!(
        h.app.classify.history[0].emotion, emotion,
        "same as classifying directly"
    );
    // And with a finished experiment, its final model fitted on first use.
    h.act(Action::NextModel);
    assert_eq!(
        h.app.classify.model_source(&h.app.shared),
        Some(ModelSource::Experiment(svm))
    );
    h.act(Action::StartSearch);
    h.type_text(&wav.display().to_string());
    h.act(Action::Edit(Edit::Submit));
    h.until(|a| !a.classify.classifying);
    assert_eq!(h.app.classify.history.len(), 2);
    both_sizes("classify_result", &h.app);
    // History opens in Inspect (a corpus clip by its name).
    h.act(Action::Enter);
    assert_eq!(h.app.pane, Pane::Inspect);
    let id = ClipId::parse("03-01-05-02-01-01-02").unwrap();
    assert_eq!(h.app.inspect.inspected, Some(ClipKey::Corpus(id)));
}

/// The Train form's "test on" field: a run trains on the open corpus (RAVDESS layout) and
/// tests on another corpus (SAVEE layout), with the classes both have named in the pane.
#[test]
fn the_form_runs_a_cross_corpus_evaluation() {
    let savee = small().0.parent().unwrap().join("savee");
    emoscope::cli::write_synthetic_as(
        &savee,
        emoscope::corpus::CorpusFormat::Savee,
        3,
        &[1, 2],
        &[],
        None,
    )
    .unwrap();
    let mut h = Harness::new();
    h.act(Action::Pane(Pane::Train));
    h.act(Action::NewRun);
    h.app.train.form.field = 5;
    h.act(Action::Enter);
    h.act(Action::Edit(Edit::KillToStart));
    h.type_text("/no/such/corpus");
    h.act(Action::Edit(Edit::Submit));
    assert!(
        h.app
            .notice
            .as_deref()
            .unwrap_or("")
            .contains("test corpus not changed"),
        "{:?}",
        h.app.notice
    );
    h.act(Action::Enter);
    h.act(Action::Edit(Edit::KillToStart));
    h.type_text(savee.to_str().unwrap());
    h.act(Action::Edit(Edit::Submit));
    assert!(h.app.status.contains("test on SAVEE"), "{}", h.app.status);
    h.app.train.form.field = 10;
    h.act(Action::Enter);
    let id = h.app.shared.runs.last().unwrap().id;
    h.until(|a| {
        a.shared
            .runs
            .iter()
            .any(|r| r.id == id && r.report.is_some())
    });
    let run = h.app.shared.runs.iter().find(|r| r.id == id).unwrap();
    let report = run.report.as_ref().unwrap();
    let cross = report.cross_corpus.as_ref().unwrap();
    assert_eq!(cross.test, emoscope::corpus::CorpusFormat::Savee);
    // RAVDESS and SAVEE share seven emotions; calm is RAVDESS's alone.
    assert_eq!(report.classes.len(), 7);
    assert_eq!(cross.train_only, vec![emoscope::corpus::Emotion::Calm]);
    assert!(report.spec.speaker_norm);
    assert!(
        report
            .ids
            .iter()
            .filter(|i| i.format() == cross.test)
            .count()
            > 0
    );
    let screen = render(&h.app, 160, 48);
    assert!(
        screen.contains("RAVDESS → SAVEE · 7 classes · left out calm |"),
        "{screen}"
    );
    // The session keeps the field.
    assert_eq!(
        h.app.train.form.state().test_corpus,
        savee.to_str().unwrap()
    );
}
