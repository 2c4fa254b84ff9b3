//! The Compare pane: every experiment of the session in a sortable table; two picked runs
//! side by side (row-percentage confusion matrices with per-class F1 bars) and the paired
//! tests between them, in words.

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, TableState, Wrap};

use crate::ml::experiment::Comparison;
use crate::tui::app::App;
use crate::tui::confusion::{self, Extra, MatrixLook};
use crate::tui::experiments::{Run, SortKey};
use crate::tui::theme::Theme;

pub fn draw(f: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let lab = &app.lab;
    let table_h = (lab.runs.len() as u16 + 3).clamp(5, area.height * 2 / 5);
    let rows = Layout::default()
        .direction(Direction::Vertical)
        .constraints([
            Constraint::Length(table_h),
            Constraint::Min(4),
            Constraint::Length(2),
        ])
        .split(area);
    draw_table(f, rows[0], app, theme);
    let picked: Vec<&Run> = lab.picked.iter().filter_map(|&id| lab.run(id)).collect();
    if let [a, b] = picked.as_slice() {
        let cols = Layout::default()
            .direction(Direction::Horizontal)
            .constraints([Constraint::Percentage(50), Constraint::Percentage(50)])
            .split(rows[1]);
        draw_side(f, cols[0], "A", a, theme);
        draw_side(f, cols[1], "B", b, theme);
        f.render_widget(
            Paragraph::new(verdict(a, b, lab.comparison.as_ref())).wrap(Wrap { trim: true }),
            rows[2],
        );
    } else {
        let msg = match picked.as_slice() {
            [] => "Pick two experiments with Space to see them side by side, with a paired test."
                .to_string(),
            [a] => format!("#{} picked — pick one more with Space.", a.id),
            _ => String::new(),
        };
        f.render_widget(
            super::note(msg, theme)
                .block(Block::default().borders(Borders::ALL).title("Side by side")),
            rows[1],
        );
    }
}

fn fmt_score(run: &Run, f: impl Fn(&crate::ml::metrics::Scores) -> f64) -> String {
    run.scores
        .as_ref()
        .filter(|_| run.report.is_some())
        .map_or("–".into(), |s| format!("{:.3}", f(s)))
}

fn draw_table(f: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let lab = &app.lab;
    let arrow = if lab.descending { "▼" } else { "▲" };
    let head = |k: SortKey| {
        if k == lab.sort {
            Cell::from(format!("{}{arrow}", k.title())).style(theme.key())
        } else {
            Cell::from(k.title()).style(theme.title())
        }
    };
    let header = Row::new(
        std::iter::once(Cell::from(""))
            .chain(SortKey::ALL.iter().map(|&k| head(k)))
            .collect::<Vec<_>>(),
    );
    let runs = lab.sorted_runs();
    let rows: Vec<Row> = runs
        .iter()
        .map(|r| {
            let mark = match lab.picked.iter().position(|&p| p == r.id) {
                Some(0) => "A",
                Some(_) => "B",
                None => "",
            };
            let time = r
                .report
                .as_ref()
                .map_or(r.state.label().to_string(), |rep| {
                    format!("{:.1}s", rep.seconds)
                });
            Row::new(vec![
                Cell::from(mark).style(theme.key()),
                Cell::from(r.id.to_string()),
                Cell::from(r.preset.to_string()),
                Cell::from(r.model_label()),
                Cell::from(r.spec.protocol.to_string()),
                Cell::from(fmt_score(r, |s| s.accuracy)),
                Cell::from(fmt_score(r, |s| s.uar)),
                Cell::from(fmt_score(r, |s| s.macro_f1)),
                Cell::from(time),
            ])
        })
        .collect();
    let wide = area.width >= 110;
    let widths = [
        Constraint::Length(1),
        Constraint::Length(3),
        Constraint::Length(if wide { 16 } else { 9 }),
        Constraint::Min(12),
        Constraint::Length(if wide { 14 } else { 11 }),
        Constraint::Length(5),
        Constraint::Length(5),
        Constraint::Length(5),
        Constraint::Length(11),
    ];
    let table = Table::new(rows, widths)
        .header(header)
        .column_spacing(1)
        .row_highlight_style(theme.selected())
        .block(
            Block::default()
                .borders(Borders::ALL)
                .title(format!("Experiments ({})", runs.len())),
        );
    let mut state =
        TableState::default().with_selected((!runs.is_empty()).then_some(lab.compare_index));
    f.render_stateful_widget(table, area, &mut state);
}

fn draw_side(f: &mut Frame, area: Rect, tag: &str, run: &Run, theme: &Theme) {
    let title = format!("{tag}: #{} {} · {}", run.id, run.model_label(), run.preset);
    let block = Block::default().borders(Borders::ALL).title(title);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let (Some(report), Some(scores)) = (&run.report, &run.scores) else {
        f.render_widget(
            Paragraph::new(format!("#{} is {}", run.id, run.state.label())).style(theme.dim()),
            inner,
        );
        return;
    };
    let rows = Layout::default()
        .direction(Direction::Vertical)
        .constraints([Constraint::Min(2), Constraint::Length(1)])
        .split(inner);
    confusion::draw(
        f,
        rows[0],
        &report.pooled,
        &report.classes,
        Some(scores),
        MatrixLook {
            normalised: true,
            cursor: None,
            extra: Extra::F1Bar,
        },
        theme,
    );
    f.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(format!("UAR {:.3}", scores.uar), theme.title()),
            Span::raw(format!(
                "  acc {:.3}  F1 {:.3}",
                scores.accuracy, scores.macro_f1
            )),
        ])),
        rows[1],
    );
}

/// The paired tests in plain words.
pub fn verdict(a: &Run, b: &Run, c: Option<&Comparison>) -> Vec<Line<'static>> {
    let name = |r: &Run| format!("#{} {}", r.id, r.family().to_uppercase());
    let (Some(c), Some(ra), Some(rb)) = (c, &a.report, &b.report) else {
        return vec![Line::from(format!(
            "{} and {} were not evaluated on the same clips and folds, so no paired test applies.",
            name(a),
            name(b)
        ))];
    };
    let (first, second) = if c.accuracy_a >= c.accuracy_b {
        (name(a), name(b))
    } else {
        (name(b), name(a))
    };
    let (hi, lo) = (
        c.accuracy_a.max(c.accuracy_b),
        c.accuracy_a.min(c.accuracy_b),
    );
    let headline = if c.mcnemar_p < 0.05 {
        format!(
            "{first} beats {second}: accuracy {hi:.3} vs {lo:.3}, McNemar p = {}.",
            p_value(c.mcnemar_p)
        )
    } else {
        format!(
            "No clear difference between {first} and {second}: accuracy {hi:.3} vs {lo:.3}, McNemar p = {}.",
            p_value(c.mcnemar_p)
        )
    };
    let folds = format!(
        "Per fold: UAR {:.3} vs {:.3}, p = {} (paired sign-flip, {} folds).",
        ra.scores.uar,
        rb.scores.uar,
        p_value(c.fold_uar_p),
        ra.folds.len()
    );
    vec![Line::from(headline), Line::from(folds)]
}

/// A p-value to three significant digits (or "< 0.001").
fn p_value(p: f64) -> String {
    if p < 0.001 {
        "< 0.001".into()
    } else {
        format!("{p:.3}")
    }
}
