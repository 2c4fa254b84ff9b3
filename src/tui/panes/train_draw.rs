//! Drawing the Train pane: the experiment form and the list of runs on the left; the selected
//! run's confusion matrix (filling in live as folds finish) with its scores on the right, and
//! under it the run's progress — or the clips behind the selected cell.

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::train::{TrainFocus, TrainPane};
use super::train_form::FormField;
use crate::tui::confusion::{self, Extra, MatrixLook, bar};
use crate::tui::hits::{HitMap, Surface};
use crate::tui::runs::{Run, RunState};
use crate::tui::shared::Shared;
use crate::tui::theme::Theme;

pub fn draw(
    f: &mut Frame,
    area: Rect,
    pane: &TrainPane,
    shared: &Shared,
    theme: &Theme,
    hits: &mut HitMap,
) {
    let left_w = (area.width * 36 / 100).clamp(30, 48);
    let cols = Layout::default()
        .direction(Direction::Horizontal)
        .constraints([Constraint::Length(left_w), Constraint::Min(20)])
        .split(area);
    let left = Layout::default()
        .direction(Direction::Vertical)
        .constraints([Constraint::Length(13), Constraint::Min(3)])
        .split(cols[0]);
    draw_form(f, left[0], pane, theme, hits);
    draw_runs(f, left[1], pane, shared, theme, hits);
    let n = pane.classes(shared).len() as u16;
    let right = Layout::default()
        .direction(Direction::Vertical)
        .constraints([Constraint::Length(n + 5), Constraint::Min(3)])
        .split(cols[1]);
    draw_matrix(f, right[0], pane, shared, theme);
    if pane.focus == TrainFocus::Clips {
        draw_cell_clips(f, right[1], pane, shared, theme, hits);
    } else {
        draw_detail(f, right[1], pane, shared, theme);
    }
}

fn focus_block(title: String, focused: bool, theme: &Theme) -> Block<'static> {
    let b = Block::default().borders(Borders::ALL).title(title);
    if focused {
        b.border_style(theme.key())
    } else {
        b
    }
}

fn draw_form(f: &mut Frame, area: Rect, pane: &TrainPane, theme: &Theme, hits: &mut HitMap) {
    let form = &pane.form;
    let focused = pane.focus == TrainFocus::Form;
    let block = focus_block("New run".into(), focused, theme);
    hits.list(block.inner(area), Surface::Form, 0, FormField::ALL.len(), 1);
    let onoff = |b: bool| if b { "on" } else { "off" };
    let mut lines = Vec::new();
    for (i, field) in FormField::ALL.iter().enumerate() {
        let (label, value) = match field {
            FormField::Preset => ("preset", format!("◂ {} ▸", form.preset)),
            FormField::Model => ("model", format!("◂ {} ▸", form.family)),
            FormField::Grid => (
                "grid",
                if form.grid.is_empty() {
                    "(defaults)".into()
                } else {
                    form.grid.clone()
                },
            ),
            FormField::Select => (
                "select",
                if form.select.is_empty() {
                    "all features".into()
                } else {
                    format!("{} best (ANOVA F)", form.select)
                },
            ),
            FormField::Protocol => ("protocol", form.protocol.clone()),
            FormField::TestCorpus => (
                "test on",
                if form.test_corpus.is_empty() {
                    "none".into()
                } else {
                    form.test_corpus.clone()
                },
            ),
            FormField::Smote => ("SMOTE", onoff(form.smote).into()),
            FormField::SpeakerNorm => ("spk norm", onoff(form.speaker_norm).into()),
            FormField::Enrol => (
                "enrol",
                match form.enrol {
                    None => "◂ all clips ▸".into(),
                    Some(n) => format!("◂ {n} clips ▸"),
                },
            ),
            FormField::Seed => ("seed", form.seed.to_string()),
            FormField::Start => ("", "▶ start run".into()),
        };
        let text = format!("{label:<9}{value}");
        let style = if focused && form.field == i {
            theme.selected()
        } else if *field == FormField::Start {
            theme.key()
        } else {
            ratatui::style::Style::default()
        };
        lines.push(Line::from(Span::styled(text, style)));
    }
    let dependent = form
        .protocol
        .parse::<crate::ml::protocol::Protocol>()
        .is_ok_and(|p| !p.speaker_independent());
    if dependent {
        lines.push(Line::from(Span::styled(
            "⚠ speaker-dependent: optimistic",
            theme.error(),
        )));
    }
    f.render_widget(Paragraph::new(lines).block(block), area);
}

/// "▰▰▰▱▱ 12/30" — the run's progress in its current stage.
fn gauge(run: &Run, width: usize) -> String {
    let (done, total) = run.progress;
    let frac = if total > 0 {
        done as f64 / total as f64
    } else {
        0.0
    };
    format!("▕{}▏{done}/{total}", bar(frac, width))
}

/// One line of the run list.
fn run_line(run: &Run, width: usize) -> String {
    // Columns always apart ("logregclassic" and "ensemblelarge" ran together): the family
    // in 6 characters, then a space, the preset in 8, then a space.
    let family = match run.family() {
        "ensemble" => "ens",
        "majority" => "major",
        f => f,
    };
    let head = format!("#{:<2} {family:<6} {:<8}", run.id, short_preset(run));
    let tail = match &run.state {
        RunState::Extracting | RunState::Training => {
            let (done, total) = run.progress;
            let frac = if total > 0 {
                done as f64 / total as f64
            } else {
                0.0
            };
            format!("▕{}▏{:.0}%", bar(frac, 3), frac * 100.0)
        }
        RunState::Finished => run.scores.as_ref().map_or(String::new(), |s| {
            format!("UAR .{:03}", (s.uar * 1000.0).round().min(999.0) as u32)
        }),
        other => other.label().to_string(),
    };
    // A long state ("interrupted") is cut to the list's width with "…", not by the frame.
    let room = width.saturating_sub(head.chars().count() + 1);
    let tail = if tail.chars().count() > room && room > 1 {
        let cut: String = tail.chars().take(room - 1).collect();
        format!("{cut}…")
    } else {
        tail
    };
    let mut s = format!("{head} {tail}");
    if width > 44 {
        s.push_str(&format!("  {}", run.spec.protocol));
    }
    s
}

fn short_preset(run: &Run) -> String {
    let p = run.preset.to_string();
    if p.len() > 8 { "cl+contr".into() } else { p }
}

fn draw_runs(
    f: &mut Frame,
    area: Rect,
    pane: &TrainPane,
    shared: &Shared,
    theme: &Theme,
    hits: &mut HitMap,
) {
    let runs = &shared.runs;
    let block = focus_block(
        format!("Runs ({})", runs.len()),
        pane.focus == TrainFocus::Runs,
        theme,
    );
    let inner = block.inner(area);
    f.render_widget(block, area);
    if runs.is_empty() {
        f.render_widget(
            super::note(
                "No runs yet: set up the form and press Enter on ▶ start run.",
                theme,
            ),
            inner,
        );
        return;
    }
    let (first, rows) = super::visible(runs, pane.run_index, inner.height.into());
    hits.list(inner, Surface::Runs, first, rows.len(), 1);
    let lines: Vec<Line> = rows
        .into_iter()
        .map(|(i, r)| {
            let style = if i == pane.run_index {
                theme.selected()
            } else {
                match r.state {
                    RunState::Failed(_) => theme.error(),
                    RunState::Cancelled | RunState::Interrupted => theme.dim(),
                    _ => ratatui::style::Style::default(),
                }
            };
            Line::from(Span::styled(run_line(r, inner.width as usize), style))
        })
        .collect();
    f.render_widget(Paragraph::new(lines), inner);
}

fn draw_matrix(f: &mut Frame, area: Rect, pane: &TrainPane, shared: &Shared, theme: &Theme) {
    let focused = matches!(pane.focus, TrainFocus::Matrix | TrainFocus::Clips);
    let Some(run) = pane.selected_run(shared) else {
        f.render_widget(
            super::note("The confusion matrix of the selected run appears here, filling in as its folds finish.", theme)
                .block(focus_block("Confusion".into(), focused, theme)),
            area,
        );
        return;
    };
    let folds = if run.folds > 0 {
        format!(" — {}/{} folds", run.folds_done, run.folds)
    } else {
        String::new()
    };
    let title = format!(
        "#{} {} · {} · {}{folds}{}",
        run.id,
        run.model_label(),
        run.preset,
        run.spec.protocol,
        if pane.normalised { " · row %" } else { "" }
    );
    let block = focus_block(title, focused, theme);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let classes = pane.classes(shared);
    let Some(c) = &run.confusion else {
        let msg = match &run.state {
            RunState::Extracting | RunState::Training => "waiting for the first fold …".to_string(),
            RunState::Failed(m) => format!("failed: {m}"),
            other => format!("{} before any fold finished", other.label()),
        };
        f.render_widget(super::note(msg, theme), inner);
        return;
    };
    let rows = Layout::default()
        .direction(Direction::Vertical)
        .constraints([Constraint::Min(2), Constraint::Length(2)])
        .split(inner);
    confusion::draw(
        f,
        rows[0],
        c,
        &classes,
        run.scores.as_ref(),
        MatrixLook {
            normalised: pane.normalised,
            cursor: focused.then_some(pane.cell),
            extra: Extra::Recall,
        },
        theme,
    );
    if let Some(s) = &run.scores {
        draw_scores(f, rows[1], run, s, classes.len(), theme);
    }
}

/// The run's scores (so far) and chance under its matrix.
fn draw_scores(
    f: &mut Frame,
    area: Rect,
    run: &Run,
    s: &crate::ml::metrics::Scores,
    n_classes: usize,
    theme: &Theme,
) {
    let partial = if run.state == RunState::Finished {
        ""
    } else {
        " (so far)"
    };
    f.render_widget(
        Paragraph::new(vec![
            Line::from(vec![
                Span::styled(format!("acc {:.3}", s.accuracy), theme.title()),
                Span::raw(format!(
                    "  UAR {:.3}  macro-F1 {:.3}{partial}",
                    s.uar, s.macro_f1
                )),
            ]),
            // Chance beside every UAR: 1 / classes.
            Line::from(Span::styled(
                format!(
                    "chance: UAR {:.3} (1/{} classes)",
                    1.0 / n_classes.max(1) as f64,
                    n_classes
                ),
                theme.dim(),
            )),
        ])
        .wrap(Wrap { trim: true }),
        area,
    );
}

/// The run's permutation importance as ranked bars: groups, then the top features, as
/// many as fit in `room` lines of `width` columns.
fn importance_lines(
    r: &crate::ml::experiment::Report,
    computing: Option<String>,
    room: usize,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let Some(imp) = &r.importance else {
        let text = match computing {
            Some(p) if !p.is_empty() => {
                format!("importance: {p}")
            }
            Some(_) => "permutation importance: computing (every fold refitted) …".into(),
            None => "permutation importance: not computed for this run (I)".into(),
        };
        return vec![Line::from(Span::styled(text, theme.dim()))];
    };
    let mut lines = vec![Line::from(Span::styled(
        format!(
            "UAR drop when shuffled ({}×, base {:.3}) · I hide",
            imp.repeats, imp.baseline_uar
        ),
        theme.dim(),
    ))];
    let label_w = 16;
    let bar_w = width.saturating_sub(label_w + 10).clamp(4, 40);
    let top = imp
        .groups
        .iter()
        .chain(&imp.features)
        .map(|x| x.drop)
        .fold(1e-9, f64::max);
    let bar = |x: &crate::ml::importance::Ranked| {
        let n = ((x.drop.max(0.0) / top) * bar_w as f64).round() as usize;
        let name: String = x.name.chars().take(label_w).collect();
        Line::from(vec![
            Span::raw(format!("{name:<label_w$}{:+.3} ", x.drop)),
            Span::styled("█".repeat(n), theme.title()),
        ])
    };
    lines.extend(imp.groups.iter().map(bar));
    if !imp.features.is_empty() && lines.len() + 1 < room {
        lines.push(Line::from(Span::styled("top features", theme.dim())));
        let left = room.saturating_sub(lines.len());
        lines.extend(imp.features.iter().take(left).map(bar));
    }
    lines.truncate(room);
    lines
}

fn draw_detail(f: &mut Frame, area: Rect, pane: &TrainPane, shared: &Shared, theme: &Theme) {
    let block = Block::default().borders(Borders::ALL).title("Progress");
    let inner = block.inner(area);
    f.render_widget(block, area);
    let Some(run) = pane.selected_run(shared) else {
        return;
    };
    let w = inner.width as usize;
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("{:<11}", run.state.label()), theme.title()),
        Span::raw(gauge(run, w.saturating_sub(24).clamp(4, 40))),
    ])];
    lines.push(Line::from(Span::styled(
        format!("{}{}", run.stage, run.eta()),
        theme.dim(),
    )));
    let pipeline = run.spec.pipeline_label();
    lines.push(Line::from(pipeline));
    if let Some(cross) = run.report.as_ref().and_then(|r| r.cross_corpus.as_ref()) {
        lines.push(Line::from(Span::styled(cross.short(), theme.dim())));
    } else if let Some(t) = &run.spec.test_corpus {
        lines.push(Line::from(Span::styled(
            format!("tests on {t}"),
            theme.dim(),
        )));
    }
    if let (Some(r), true) = (&run.report, pane.show_importance) {
        let room = usize::from(inner.height).saturating_sub(lines.len());
        let job = crate::tui::msg::JobId::Importance(run.id);
        let computing = shared
            .jobs
            .is_running(&job)
            .then(|| shared.jobs.progress_of(&job).unwrap_or_default());
        lines.extend(importance_lines(r, computing, room, w, theme));
    } else if let (Some(r), Some(facet)) = (&run.report, pane.breakdown) {
        let room = usize::from(inner.height).saturating_sub(lines.len());
        lines.extend(breakdown_table(
            r,
            facet,
            room,
            usize::from(inner.width),
            theme,
        ));
    } else if let Some(r) = &run.report {
        lines.push(Line::from(Span::styled(
            format!(
                "majority class: accuracy {:.3} · g: breakdown",
                r.majority_accuracy()
            ),
            theme.dim(),
        )));
        for (sex, s) in &r.by_sex {
            lines.push(Line::from(format!(
                "{sex:<7}acc {:.3}  UAR {:.3}",
                s.accuracy, s.uar
            )));
        }
        if r.spec.grid.len() > 1 {
            for fold in &r.folds {
                lines.push(Line::from(Span::styled(
                    format!(
                        "fold {}: {} (inner UAR {:.3})",
                        fold.fold + 1,
                        fold.chosen,
                        fold.inner_uar.unwrap_or(0.0)
                    ),
                    theme.dim(),
                )));
            }
        }
    }
    if matches!(run.state, RunState::Interrupted | RunState::Cancelled) {
        lines.push(Line::from(Span::styled("R runs it again", theme.key())));
    }
    f.render_widget(Paragraph::new(lines), inner);
}

/// The run's scores by a facet of the clips, the weakest group marked.
fn breakdown_table(
    r: &crate::ml::experiment::Report,
    facet: crate::ml::experiment::Facet,
    room: usize,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let rows = r.breakdown(facet);
    if rows.len() + 1 > room {
        return breakdown_compact(&rows, facet, width, theme);
    }
    let worst = rows
        .iter()
        .map(|(_, s, _)| s.uar)
        .fold(f64::INFINITY, f64::min);
    let mut lines = vec![Line::from(Span::styled(
        format!(
            "{:<12}{:>6}{:>7}{:>7}   (g: next)",
            format!("by {}", facet.name()),
            "UAR",
            "acc",
            "clips"
        ),
        theme.title(),
    ))];
    for (g, sc, n) in rows {
        let text = format!("{g:<12}{:>6.3}{:>7.3}{n:>7}", sc.uar, sc.accuracy);
        lines.push(if sc.uar == worst {
            Line::from(Span::styled(format!("{text}   lowest"), theme.error()))
        } else {
            Line::from(text)
        });
    }
    lines
}

/// The breakdown as "01 (M) .266" cells, as many a line as fit (a short box).
fn breakdown_compact(
    rows: &[(String, crate::ml::metrics::Scores, usize)],
    facet: crate::ml::experiment::Facet,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let worst = rows.iter().map(|r| r.1.uar).fold(f64::INFINITY, f64::min);
    let cell_w = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0) + 7;
    let per_line = (width / cell_w).max(1);
    let mut lines = vec![Line::from(Span::styled(
        format!("UAR by {} (g: next)", facet.name()),
        theme.title(),
    ))];
    for chunk in rows.chunks(per_line) {
        let spans: Vec<Span> = chunk
            .iter()
            .map(|(g, s, _)| {
                let text = format!("{g} .{:03}  ", (s.uar * 1000.0).round().min(999.0) as u32);
                let text = format!("{text:<cell_w$}");
                if s.uar == worst {
                    Span::styled(text, theme.error())
                } else {
                    Span::raw(text)
                }
            })
            .collect();
        lines.push(Line::from(spans));
    }
    lines
}

fn draw_cell_clips(
    f: &mut Frame,
    area: Rect,
    pane: &TrainPane,
    shared: &Shared,
    theme: &Theme,
    hits: &mut HitMap,
) {
    let classes = pane.classes(shared);
    let (t, p) = pane.cell;
    let clips = pane.cell_clips(shared);
    let name = |i: usize| classes.get(i).map_or("?", |e| e.name());
    let title = if t == p {
        format!("{} recognised — {} clips", name(t), clips.len())
    } else {
        format!(
            "{} predicted as {} — {} clips",
            name(t),
            name(p),
            clips.len()
        )
    };
    let block = focus_block(title, true, theme);
    let inner = block.inner(area);
    f.render_widget(block, area);
    if clips.is_empty() {
        f.render_widget(Paragraph::new("no clips").style(theme.dim()), inner);
        return;
    }
    let (first, rows) = super::visible(&clips, pane.cell_clip, inner.height.into());
    hits.list(inner, Surface::CellClips, first, rows.len(), 1);
    let lines: Vec<Line> = rows
        .into_iter()
        .map(|(i, id)| {
            let text = format!(
                "{}  actor {:02} ({}) · {}",
                id.stem(),
                id.actor.number(),
                id.sex(),
                id.intensity
            );
            if i == pane.cell_clip {
                Line::from(Span::styled(text, theme.selected()))
            } else {
                Line::from(text)
            }
        })
        .collect();
    f.render_widget(Paragraph::new(lines), inner);
}
