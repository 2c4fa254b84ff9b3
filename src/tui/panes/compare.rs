//! The Compare pane: every experiment of the session in a sortable table; two picked runs
//! side by side (row-percentage confusion matrices with per-class F1 bars) and the paired
//! tests between them, in words.

use ratatui::Frame;
use ratatui::crossterm::event::KeyCode::Char;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, TableState, Wrap};

use crate::ml::experiment::{Comparison, compare};
use crate::ml::leaderboard::{Standing, VsBest, leaderboard, short_p};
use crate::ml::metrics::Scores;
use crate::tui::confusion::{self, Extra, MatrixLook};
use crate::tui::hits::{HitMap, Surface, Target};
use crate::tui::keys::{Binding, ENTER, PAGES, SPACE, UP_DOWN, bind, moves};
use crate::tui::msg::{Action, Effect};
use crate::tui::runs::Run;
use crate::tui::shared::Shared;
use crate::tui::theme::Theme;

pub const KEYS: &[Binding] = &[
    moves(UP_DOWN, "select an experiment", Some("move")),
    moves(PAGES, "first / last experiment", None),
    bind(
        SPACE,
        Action::Pick,
        "pick it for the side by side (two at a time)",
        Some("pick"),
    ),
    bind(
        &[Char('s')],
        Action::Sort,
        "sort by the next column",
        Some("sort"),
    ),
    bind(&[Char('S')], Action::ReverseSort, "reverse the order", None),
    bind(ENTER, Action::Enter, "open the experiment in Train", None),
    bind(
        &[Char('e')],
        Action::ExportModel,
        "save its final model to models/",
        Some("save model"),
    ),
    bind(
        &[Char('X')],
        Action::ExportRun,
        "export it: report JSON, confusion CSV, predictions CSV to exports/",
        None,
    ),
    bind(&[Char('R')], Action::Rerun, "run it again", None),
];

/// Columns the Compare table sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Id,
    Preset,
    Model,
    Protocol,
    Accuracy,
    Uar,
    MacroF1,
    Seconds,
}

impl SortKey {
    pub const ALL: [SortKey; 8] = [
        SortKey::Id,
        SortKey::Preset,
        SortKey::Model,
        SortKey::Protocol,
        SortKey::Accuracy,
        SortKey::Uar,
        SortKey::MacroF1,
        SortKey::Seconds,
    ];

    pub fn title(self) -> &'static str {
        match self {
            SortKey::Id => "#",
            SortKey::Preset => "preset",
            SortKey::Model => "model",
            SortKey::Protocol => "protocol",
            SortKey::Accuracy => "acc",
            SortKey::Uar => "UAR",
            SortKey::MacroF1 => "F1",
            SortKey::Seconds => "time",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ComparePane {
    pub sort: SortKey,
    pub descending: bool,
    /// Selected row of the sorted table.
    pub index: usize,
    /// The two runs compared (ids), in the order they were picked.
    pub picked: Vec<u32>,
    pub comparison: Option<Comparison>,
    /// Every finished run's standing (rank, UAR ± fold std, test against the best), by id.
    pub standings: Vec<(u32, Standing)>,
}

impl Default for ComparePane {
    fn default() -> Self {
        ComparePane {
            sort: SortKey::Id,
            descending: false,
            index: 0,
            picked: Vec::new(),
            comparison: None,
            standings: Vec::new(),
        }
    }
}

impl ComparePane {
    /// The runs in the Compare table's order.
    pub fn sorted_runs<'a>(&self, shared: &'a Shared) -> Vec<&'a Run> {
        let mut v: Vec<&Run> = shared.runs.iter().collect();
        let score = |r: &Run, f: &dyn Fn(&Scores) -> f64| r.scores.as_ref().map_or(-1.0, f);
        v.sort_by(|a, b| {
            use std::cmp::Ordering;
            let o = match self.sort {
                SortKey::Id => a.id.cmp(&b.id),
                SortKey::Preset => a.preset.to_string().cmp(&b.preset.to_string()),
                SortKey::Model => a.model_label().cmp(&b.model_label()),
                SortKey::Protocol => a
                    .spec
                    .protocol
                    .to_string()
                    .cmp(&b.spec.protocol.to_string()),
                SortKey::Accuracy => score(a, &|s| s.accuracy)
                    .partial_cmp(&score(b, &|s| s.accuracy))
                    .unwrap_or(Ordering::Equal),
                SortKey::Uar => score(a, &|s| s.uar)
                    .partial_cmp(&score(b, &|s| s.uar))
                    .unwrap_or(Ordering::Equal),
                SortKey::MacroF1 => score(a, &|s| s.macro_f1)
                    .partial_cmp(&score(b, &|s| s.macro_f1))
                    .unwrap_or(Ordering::Equal),
                SortKey::Seconds => {
                    let t = |r: &Run| {
                        r.report
                            .as_ref()
                            .map_or(f64::MAX, |r| r.seconds + r.extract_seconds)
                    };
                    t(a).partial_cmp(&t(b)).unwrap_or(Ordering::Equal)
                }
            };
            let o = o.then(a.id.cmp(&b.id));
            if self.descending { o.reverse() } else { o }
        });
        v
    }

    /// Recomputes the paired tests of the picked runs and every run's standing (after a
    /// pick, or a run ends).
    pub fn recompare(&mut self, shared: &Shared) {
        let finished: Vec<(u32, &crate::ml::experiment::Report)> = shared
            .runs
            .iter()
            .filter_map(|r| r.report.as_deref().map(|rep| (r.id, rep)))
            .collect();
        let reports: Vec<&crate::ml::experiment::Report> = finished.iter().map(|f| f.1).collect();
        self.standings = finished
            .iter()
            .map(|f| f.0)
            .zip(leaderboard(&reports))
            .collect();
        self.comparison = match self.picked.as_slice() {
            [a, b] => match (
                shared.run(*a).and_then(|r| r.report.clone()),
                shared.run(*b).and_then(|r| r.report.clone()),
            ) {
                (Some(ra), Some(rb)) => compare(&ra, &rb),
                _ => None,
            },
            _ => None,
        };
    }

    fn pick(&mut self, shared: &Shared) {
        let Some(id) = self.sorted_runs(shared).get(self.index).map(|r| r.id) else {
            return;
        };
        if let Some(i) = self.picked.iter().position(|&p| p == id) {
            self.picked.remove(i);
        } else {
            self.picked.push(id);
            if self.picked.len() > 2 {
                self.picked.remove(0);
            }
        }
        self.recompare(shared);
    }

    pub fn update(&mut self, action: Action, shared: &Shared) -> Vec<Effect> {
        let last = shared.runs.len().saturating_sub(1);
        let selected = self
            .sorted_runs(shared)
            .get(self.index)
            .map(|r| (*r).clone());
        match action {
            Action::Up => self.index = self.index.saturating_sub(1),
            Action::Down => self.index = (self.index + 1).min(last),
            Action::Home | Action::PageUp => self.index = 0,
            Action::End | Action::PageDown => self.index = last,
            Action::Scrolled(_, down) => {
                return self.update(if down { Action::Down } else { Action::Up }, shared);
            }
            Action::Clicked(Target::Row(Surface::Experiments, i)) => self.index = i.min(last),
            Action::Sort => {
                let i = SortKey::ALL
                    .iter()
                    .position(|&k| k == self.sort)
                    .unwrap_or(0);
                self.sort = SortKey::ALL[(i + 1) % SortKey::ALL.len()];
                // Scores read best-first, the rest in natural order.
                self.descending = matches!(
                    self.sort,
                    SortKey::Accuracy | SortKey::Uar | SortKey::MacroF1
                );
            }
            Action::ReverseSort => self.descending = !self.descending,
            Action::Pick => self.pick(shared),
            Action::Enter => {
                return selected
                    .map(|r| Effect::OpenRun(r.id))
                    .into_iter()
                    .collect();
            }
            Action::ExportModel => return vec![super::train::ask_export(selected.as_ref())],
            Action::ExportRun => return super::train::export_run(selected.as_ref()),
            Action::Rerun => {
                if let Some(r) = selected.filter(|r| !r.state.is_active()) {
                    return vec![Effect::StartRun(r.preset, r.spec)];
                }
            }
            _ => {}
        }
        Vec::new()
    }
}

pub fn draw(
    f: &mut Frame,
    area: Rect,
    pane: &ComparePane,
    shared: &Shared,
    theme: &Theme,
    hits: &mut HitMap,
) {
    let table_h = (shared.runs.len() as u16 + 3).clamp(5, area.height * 2 / 5);
    let rows = Layout::default()
        .direction(Direction::Vertical)
        .constraints([
            Constraint::Length(table_h),
            Constraint::Min(4),
            Constraint::Length(2),
        ])
        .split(area);
    draw_table(f, rows[0], pane, shared, theme, hits);
    let picked: Vec<&Run> = pane
        .picked
        .iter()
        .filter_map(|&id| shared.run(id))
        .collect();
    if let [a, b] = picked.as_slice() {
        let cols = Layout::default()
            .direction(Direction::Horizontal)
            .constraints([Constraint::Percentage(50), Constraint::Percentage(50)])
            .split(rows[1]);
        draw_side(f, cols[0], "A", a, theme);
        draw_side(f, cols[1], "B", b, theme);
        f.render_widget(
            Paragraph::new(verdict(a, b, pane.comparison.as_ref())).wrap(Wrap { trim: true }),
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

/// A protocol as typed (`random:0.2`), `*` marking a speaker-dependent one (the column is
/// too narrow for the words; the title explains the mark).
fn protocol_cell(r: &Run) -> String {
    let p = &r.spec.protocol;
    let text = p.to_string();
    let bare = text.split(" (").next().unwrap_or(&text).to_string();
    if p.speaker_independent() {
        bare
    } else {
        format!("{bare}*")
    }
}

/// The rank, UAR ± fold std and test against the best of a finished run.
fn standing_cells(s: Option<&Standing>) -> [String; 3] {
    let Some(s) = s else {
        return ["".into(), "–".into(), "".into()];
    };
    let spread = s.fold_uar_std.map_or(String::new(), |d| {
        format!("±{}", format!("{d:.2}").trim_start_matches('0'))
    });
    let vs = match &s.vs_best {
        VsBest::Best => "best".to_string(),
        VsBest::Compared(c) => short_p(c.mcnemar_p),
        VsBest::NotComparable => "–".into(),
    };
    [s.rank.to_string(), format!("{:.3}{spread}", s.uar), vs]
}

/// One experiment's row: pick mark, id, rank, preset, model, protocol, scores, test, time.
fn table_row(
    r: &Run,
    picked: &[u32],
    standing: Option<&Standing>,
    wide: bool,
    theme: &Theme,
) -> Row<'static> {
    let mark = match picked.iter().position(|&p| p == r.id) {
        Some(0) => "A",
        Some(_) => "B",
        None => "",
    };
    let time = r
        .report
        .as_ref()
        .map_or(r.state.label().to_string(), |rep| {
            format!("{:.1}s", rep.seconds + rep.extract_seconds)
        });
    let [rank, uar, vs] = standing_cells(standing);
    let mut cells = vec![
        Cell::from(mark).style(theme.key()),
        Cell::from(r.id.to_string()),
        Cell::from(rank),
        Cell::from(r.preset.to_string()),
        Cell::from(r.model_label()),
        Cell::from(protocol_cell(r)),
    ];
    if wide {
        cells.push(Cell::from(fmt_score(r, |s| s.accuracy)));
    }
    cells.push(Cell::from(uar));
    if wide {
        cells.push(Cell::from(fmt_score(r, |s| s.macro_f1)));
    }
    cells.push(Cell::from(vs));
    cells.push(Cell::from(time));
    Row::new(cells)
}

/// The table's header (sort column marked) and column widths; acc and F1 only when wide.
fn columns(lab: &ComparePane, wide: bool, theme: &Theme) -> (Row<'static>, Vec<Constraint>) {
    let arrow = if lab.descending { "▼" } else { "▲" };
    let head = |k: SortKey| {
        if k == lab.sort {
            Cell::from(format!("{}{arrow}", k.title())).style(theme.key())
        } else {
            Cell::from(k.title()).style(theme.title())
        }
    };
    let plain = |t: &'static str| Cell::from(t).style(theme.title());
    let mut header = vec![
        Cell::from(""),
        head(SortKey::Id),
        plain("rk"),
        head(SortKey::Preset),
        head(SortKey::Model),
        head(SortKey::Protocol),
    ];
    if wide {
        header.push(head(SortKey::Accuracy));
    }
    header.push(head(SortKey::Uar));
    if wide {
        header.push(head(SortKey::MacroF1));
    }
    header.extend([plain("vs best"), head(SortKey::Seconds)]);
    let header = Row::new(header);
    let mut widths = vec![
        Constraint::Length(1),
        Constraint::Length(3),
        Constraint::Length(2),
        Constraint::Length(if wide { 16 } else { 8 }),
        Constraint::Min(10),
        Constraint::Length(if wide { 16 } else { 13 }),
    ];
    if wide {
        widths.push(Constraint::Length(5));
    }
    widths.push(Constraint::Length(9));
    if wide {
        widths.push(Constraint::Length(5));
    }
    widths.extend([
        Constraint::Length(7),
        Constraint::Length(if wide { 11 } else { 9 }),
    ]);
    (header, widths)
}

fn draw_table(
    f: &mut Frame,
    area: Rect,
    pane: &ComparePane,
    shared: &Shared,
    theme: &Theme,
    hits: &mut HitMap,
) {
    let lab = pane;
    let wide = area.width >= 110;
    let (header, widths) = columns(lab, wide, theme);
    let runs = lab.sorted_runs(shared);
    let standing = |id: u32| lab.standings.iter().find(|s| s.0 == id).map(|s| &s.1);
    let rows: Vec<Row> = runs
        .iter()
        .map(|r| table_row(r, &lab.picked, standing(r.id), wide, theme))
        .collect();
    let table = Table::new(rows, widths)
        .header(header)
        .column_spacing(1)
        .row_highlight_style(theme.selected())
        .block(Block::default().borders(Borders::ALL).title(format!(
            "Experiments ({}) · UAR ± fold std · vs best: McNemar p · *: speaker-dependent",
            runs.len()
        )));
    let mut state = TableState::default().with_selected((!runs.is_empty()).then_some(lab.index));
    f.render_stateful_widget(table, area, &mut state);
    // Rows below the border and the header, from the offset ratatui scrolled to.
    let inner = Rect {
        y: area.y + 2,
        height: area.height.saturating_sub(3),
        x: area.x + 1,
        width: area.width.saturating_sub(2),
    };
    let first = state.offset();
    hits.list(
        inner,
        Surface::Experiments,
        first,
        runs.len().saturating_sub(first),
        1,
    );
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
            "{first} beats {second}: accuracy {hi:.3} vs {lo:.3}, McNemar p {}.",
            p_value(c.mcnemar_p)
        )
    } else {
        format!(
            "No clear difference between {first} and {second}: accuracy {hi:.3} vs {lo:.3}, McNemar p {}.",
            p_value(c.mcnemar_p)
        )
    };
    let folds = format!(
        "Per fold: UAR {:.3} vs {:.3}, p {} (paired sign-flip, {} folds).",
        ra.scores.uar,
        rb.scores.uar,
        p_value(c.fold_uar_p),
        ra.folds.len()
    );
    vec![Line::from(headline), Line::from(folds)]
}

/// A p-value with its relation: "= 0.042", or "< 0.001".
fn p_value(p: f64) -> String {
    if p < 0.001 {
        "< 0.001".into()
    } else {
        format!("= {p:.3}")
    }
}

#[cfg(test)]
mod tests {
    /// Item 10 of issue 16: "p < 0.001", never "p = < 0.001"; the narrow column's form too.
    #[test]
    fn p_values_read_with_one_relation() {
        assert_eq!(
            format!("McNemar p {}", super::p_value(0.0004)),
            "McNemar p < 0.001"
        );
        assert_eq!(
            format!("McNemar p {}", super::p_value(0.0421)),
            "McNemar p = 0.042"
        );
        use crate::ml::leaderboard::short_p;
        assert_eq!(
            [short_p(1e-9), short_p(0.034), short_p(0.999)],
            ["p<.001", "p=.034", "p=1.00"]
        );
    }
}
