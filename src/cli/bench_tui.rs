//! `emoscope bench tui`: frame and input-to-redraw figures of the TUI, drawn into ratatui's
//! TestBackend (no terminal I/O) — idle, while features are extracted, while two experiments
//! train. The idle CPU of the real binary is measured by `benches/idle_cpu.sh`.

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use anyhow::{Context, Result};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::{CorpusArgs, open};
use crate::corpus::Corpus;
use crate::features::extract::{CancelToken, extract_corpus};
use crate::features::{FeatureConfig, Preset};
use crate::tui::app::App;
use crate::tui::msg::{Action, AppEvent, ClipKey, Command, Pane};
use crate::tui::theme::{ColorMode, Theme};

type Term = Terminal<TestBackend>;

/// (p50, p99, max) of some times.
fn stats(mut v: Vec<f64>) -> (f64, f64, f64) {
    if v.is_empty() {
        return (0.0, 0.0, 0.0);
    }
    v.sort_by(f64::total_cmp);
    (v[v.len() / 2], v[v.len() * 99 / 100], v[v.len() - 1])
}

fn draw(term: &mut Term, app: &mut App, theme: &Theme) -> Result<()> {
    term.draw(|f| app.hits = crate::tui::ui::draw(f, app, theme))?;
    Ok(())
}

/// Input-to-redraw times (ms) of alternating ↓/↑ keys, every 5 ms while `go(app, keys so
/// far)` holds: each key is applied, `settle` gets its commands (and may apply background
/// events, as the event loop does), then the frame is drawn.
fn key_latencies(
    app: &mut App,
    term: &mut Term,
    theme: &Theme,
    go: impl Fn(&App, usize) -> bool,
    mut settle: impl FnMut(&mut App, Vec<Command>),
) -> Result<Vec<f64>> {
    let mut lat = Vec::new();
    while go(app, lat.len()) {
        let t = Instant::now();
        let key = if lat.len().is_multiple_of(2) {
            Action::Down
        } else {
            Action::Up
        };
        let cmds = app.update(key);
        settle(app, cmds);
        draw(term, app, theme)?;
        lat.push(t.elapsed().as_secs_f64() * 1e3);
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    Ok(lat)
}

/// Opens the first clip (and its neutral take side by side), analysed here.
fn inspect_first(app: &mut App, corpus: &Corpus) -> Result<()> {
    let clip = corpus.clips.first().context("empty corpus")?.clone();
    app.update(Action::Enter);
    app.update(Action::Enter);
    app.update(Action::ToggleSideBySide);
    for id in [Some(clip.id), corpus.counterpart(&clip.id)]
        .into_iter()
        .flatten()
    {
        if let Some(c) = corpus.clip(&id) {
            let v = crate::tui::clip_view(c).map_err(anyhow::Error::msg)?;
            app.event(AppEvent::Analysed(ClipKey::Corpus(id), Ok(Arc::new(v))));
        }
    }
    Ok(())
}

/// Frame times of the inspector side by side in three views.
fn frames(app: &mut App, term: &mut Term, theme: &Theme, out: &mut dyn Write) -> Result<()> {
    for view in 0..3 {
        let mut v = Vec::with_capacity(200);
        for _ in 0..200 {
            let t = Instant::now();
            draw(term, app, theme)?;
            v.push(t.elapsed().as_secs_f64() * 1e3);
        }
        let (p50, p99, max) = stats(v);
        writeln!(
            out,
            "frame 200x50, inspector side by side, {:<12}: p50 {p50:.2} ms, p99 {p99:.2} ms, max {max:.2} ms",
            app.inspect.view.title()
        )?;
        if view < 2 {
            app.update(Action::NextView);
        }
    }
    Ok(())
}

/// Input to redraw while every clip's features are extracted on the rayon pool.
fn under_extraction(
    app: &mut App,
    term: &mut Term,
    theme: &Theme,
    corpus: &Corpus,
    out: &mut dyn Write,
) -> Result<()> {
    let busy = Arc::new(AtomicBool::new(true));
    let flag = busy.clone();
    let bg = corpus.clone();
    let worker = std::thread::spawn(move || {
        let cfg = FeatureConfig::preset(Preset::Classic);
        let r = extract_corpus(&bg, &cfg, None, &CancelToken::new(), &|_, _| {});
        flag.store(false, Ordering::Relaxed);
        r.map(|t| t.rows.len())
    });
    app.update(Action::Back);
    let go = |_: &App, n: usize| busy.load(Ordering::Relaxed) && n < 2000;
    let lat = key_latencies(app, term, theme, go, |_, _| {})?;
    let rows = worker
        .join()
        .map_err(|_| anyhow::anyhow!("extraction thread panicked"))??;
    if lat.is_empty() {
        return Ok(writeln!(
            out,
            "input-to-redraw under load: extraction finished before the first key"
        )?);
    }
    let n = lat.len();
    let (p50, p99, max) = stats(lat);
    writeln!(
        out,
        "input-to-redraw while extracting {rows} clips: {n} keys, p50 {p50:.2} ms, p99 {p99:.2} ms, max {max:.2} ms"
    )?;
    Ok(())
}

/// Input to redraw while two experiments train at once, through the TUI's own executor:
/// each key is handled, the jobs' pending events applied and the Train pane redrawn.
fn under_training(
    app: &mut App,
    term: &mut Term,
    theme: &Theme,
    args: &CorpusArgs,
    out: &mut dyn Write,
) -> Result<()> {
    let (tx, rx) = std::sync::mpsc::channel();
    let mut exec = crate::tui::Executor::new(tx, args.load_options());
    app.update(Action::Pane(Pane::Train));
    for (family, grid) in [("svm", "c=0.1,1,10"), ("rf", "trees=300")] {
        let form = &mut app.train.form;
        form.family = family;
        form.grid = grid.into();
        form.protocol = "actor-kfold:5".into();
        form.field = crate::tui::panes::train_form::FormField::ALL.len() - 1;
        app.train.focus = crate::tui::panes::train::TrainFocus::Form;
        for c in app.update(Action::Enter) {
            exec.run(c);
        }
    }
    let t_runs = Instant::now();
    let go = |app: &App, _: usize| app.shared.runs.iter().any(|r| r.state.is_active());
    let settle = |app: &mut App, mut cmds: Vec<Command>| {
        while let Ok(e) = rx.try_recv() {
            cmds.extend(app.event(e));
        }
        cmds.into_iter().for_each(|c| exec.run(c));
    };
    let lat = key_latencies(app, term, theme, go, settle)?;
    let secs = t_runs.elapsed().as_secs_f64();
    for r in &app.shared.runs {
        if let crate::tui::runs::RunState::Failed(m) = &r.state {
            writeln!(out, "run #{} failed: {m}", r.id)?;
        }
    }
    let n = lat.len();
    let (p50, p99, max) = stats(lat);
    writeln!(
        out,
        "input-to-redraw while an SVM grid and a 300-tree forest train (actor-kfold:5, {secs:.1} s): {n} keys, p50 {p50:.2} ms, p99 {p99:.2} ms, max {max:.2} ms (target ≤ 50 ms)"
    )?;
    Ok(())
}

/// Frame and latency figures of the TUI.
pub(super) fn bench_tui(args: &CorpusArgs, out: &mut dyn Write) -> Result<()> {
    let theme = Theme::new(ColorMode::TrueColor);
    let mut term = Terminal::new(TestBackend::new(200, 50))?;
    let t0 = Instant::now();
    let corpus = open(&args.spec(), args)?;
    let (mut app, _) = App::new(args.spec());
    app.event(AppEvent::CorpusOpened(Ok(corpus.clone())));
    draw(&mut term, &mut app, &theme)?;
    writeln!(
        out,
        "open corpus + first frame: {:.1} ms ({} clips)",
        t0.elapsed().as_secs_f64() * 1e3,
        corpus.clips.len()
    )?;
    inspect_first(&mut app, &corpus)?;
    frames(&mut app, &mut term, &theme, out)?;
    under_extraction(&mut app, &mut term, &theme, &corpus, out)?;
    under_training(&mut app, &mut term, &theme, args, out)
}
