//! The Corpus pane: the actor × emotion grid with a heat tint by count, the clips of the
//! selected cell, filters, and the scan's problems.

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, Borders, Cell, List, ListItem, ListState, Paragraph, Row, Table, Wrap,
};

use crate::corpus::{Emotion, Sex};
use crate::tui::app::{App, Focus};
use crate::tui::theme::{ColorMode, Theme};

pub fn draw(f: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let Some(corpus) = app.corpus.as_ref() else {
        let text = app
            .error
            .clone()
            .unwrap_or_else(|| "opening the corpus …".into());
        let style = if app.error.is_some() {
            theme.error()
        } else {
            theme.dim()
        };
        f.render_widget(
            Paragraph::new(text)
                .style(style)
                .wrap(Wrap { trim: true })
                .block(Block::default().borders(Borders::ALL).title("Corpus")),
            area,
        );
        return;
    };
    let parts = regions(area);
    draw_grid(f, parts[0], app, theme);
    if app.show_problems {
        let items: Vec<ListItem> = if corpus.problems.is_empty() {
            vec![ListItem::new("no problems: every file was used")]
        } else {
            corpus
                .problems
                .iter()
                .map(|p| ListItem::new(p.to_string()))
                .collect()
        };
        f.render_widget(
            List::new(items).block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(format!("Problems ({}) — p to close", corpus.problems.len())),
            ),
            parts[1],
        );
    } else {
        draw_clips(f, parts[1], app, theme);
    }
}

/// The grid's and the clip list's rectangles in the pane: side by side when wide, stacked
/// otherwise.
pub fn regions(area: Rect) -> [Rect; 2] {
    let parts = if area.width >= 110 {
        Layout::default()
            .direction(Direction::Horizontal)
            .constraints([Constraint::Length(56), Constraint::Min(30)])
            .split(area)
    } else {
        Layout::default()
            .direction(Direction::Vertical)
            .constraints([Constraint::Percentage(55), Constraint::Percentage(45)])
            .split(area)
    };
    [parts[0], parts[1]]
}

/// What a mouse click at (column, row) in the pane `area` lands on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hit {
    /// A grid cell: actor position and emotion index.
    Cell(usize, usize),
    /// A row of the clip list.
    Clip(usize),
}

pub fn hit(app: &App, area: Rect, column: u16, row: u16) -> Option<Hit> {
    let [grid, list] = regions(area);
    let inside =
        |r: Rect| column >= r.x && column < r.x + r.width && row >= r.y && row < r.y + r.height;
    if inside(grid) {
        // Border, then the header row; columns: actor (6) then 8 × 5, one space apart.
        let first_row = grid.y + 2;
        let inner_height = grid.height.saturating_sub(3) as usize;
        let offset = app.actor.saturating_sub(inner_height.saturating_sub(1));
        if row < first_row || column < grid.x + 8 {
            return None;
        }
        let actor = offset + (row - first_row) as usize;
        let emotion = ((column - (grid.x + 8)) / 6) as usize;
        return (actor < app.actors().len() && emotion < 8).then_some(Hit::Cell(actor, emotion));
    }
    if inside(list) && !app.show_problems && row > list.y {
        // Two lines per clip below the border.
        let i = ((row - list.y - 1) / 2) as usize;
        return (i < app.cell_clips().len()).then_some(Hit::Clip(i));
    }
    None
}

fn filter_line(app: &App) -> String {
    let f = &app.filters;
    let mut parts: Vec<String> = Vec::new();
    parts.extend(f.sex.map(|s| s.to_string()));
    parts.extend(f.intensity.map(|i| i.to_string()));
    parts.extend(f.statement.map(|s| s.to_string()));
    parts.extend(f.repetition.map(|r| format!("rep {r}")));
    parts.extend(f.channel.map(|c| c.to_string()));
    let searching = app.prompt == Some(crate::tui::app::Prompt::Search);
    if !f.text.is_empty() || searching {
        parts.push(format!("/{}{}", f.text, if searching { "▏" } else { "" }));
    }
    if parts.is_empty() {
        "no filters (s i t r c /)".to_string()
    } else {
        format!("filters: {}", parts.join(" · "))
    }
}

fn draw_grid(f: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let actors = app.actors();
    let max = actors
        .iter()
        .flat_map(|&a| Emotion::ALL.iter().map(move |&e| (a, e)))
        .map(|(a, e)| app.count(a, e))
        .max()
        .unwrap_or(1)
        .max(1);
    let mut header = vec![Cell::from("actor")];
    for (i, e) in Emotion::ALL.iter().enumerate() {
        let mut c = Cell::from(e.short());
        if i == app.emotion {
            c = c.style(theme.title());
        }
        header.push(c);
    }
    let rows: Vec<Row> = actors
        .iter()
        .enumerate()
        .map(|(ri, &a)| {
            let sex = crate::corpus::Actor::new(a).map_or(Sex::Male, |x| x.sex());
            let mut cells = vec![Cell::from(format!(
                "{a:02} {}",
                if sex == Sex::Male { "M" } else { "F" }
            ))];
            for (ci, &e) in Emotion::ALL.iter().enumerate() {
                let n = app.count(a, e);
                let mut style = if theme.mode == ColorMode::Mono {
                    Style::default()
                } else {
                    let v = n as f32 / max as f32;
                    Style::default()
                        .bg(theme.heat(0.15 + 0.6 * v))
                        .fg(if v > 0.6 { Color::Black } else { Color::White })
                };
                if ri == app.actor && ci == app.emotion {
                    style = theme.selected();
                }
                cells.push(Cell::from(format!("{n:>3}")).style(style));
            }
            Row::new(cells)
        })
        .collect();
    let widths = [Constraint::Length(6)]
        .into_iter()
        .chain(std::iter::repeat_n(Constraint::Length(5), 8))
        .collect::<Vec<_>>();
    let focus = if app.focus == Focus::Grid { " ◆" } else { "" };
    let title = format!("Actors × emotions{focus}");
    let block = Block::default()
        .borders(Borders::ALL)
        .title(title)
        .title_bottom(Line::from(filter_line(app)).style(theme.dim()));
    let inner_height = area.height.saturating_sub(3) as usize;
    // Keep the selected actor visible.
    let offset = app.actor.saturating_sub(inner_height.saturating_sub(1));
    let rows: Vec<Row> = rows.into_iter().skip(offset).collect();
    f.render_widget(
        Table::new(rows, widths)
            .header(Row::new(header).style(theme.dim()))
            .block(block),
        area,
    );
}

fn draw_clips(f: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let clips = app.cell_clips();
    let actors = app.actors();
    let title = match actors.get(app.actor) {
        Some(a) => format!(
            "Actor {a:02} · {} · {} clip(s){}",
            Emotion::ALL[app.emotion.min(7)],
            clips.len(),
            if app.focus == Focus::Clips {
                " ◆"
            } else {
                ""
            }
        ),
        None => "No clips".into(),
    };
    let items: Vec<ListItem> = clips
        .iter()
        .map(|c| {
            ListItem::new(vec![
                Line::from(vec![
                    Span::styled(c.id.stem(), theme.key()),
                    Span::raw(format!(
                        "  {:.2} s  {} Hz  {} ch",
                        c.duration, c.sample_rate, c.channels
                    )),
                ]),
                Line::from(Span::styled(format!("  {}", c.id.describe()), theme.dim())),
            ])
        })
        .collect();
    let mut state = ListState::default();
    if app.focus == Focus::Clips {
        state.select(Some(app.clip_index.min(clips.len().saturating_sub(1))));
    }
    f.render_stateful_widget(
        List::new(items)
            .block(Block::default().borders(Borders::ALL).title(title))
            .highlight_style(theme.selected()),
        area,
        &mut state,
    );
}
