//! Drawing of the Corpus pane ([`super::corpus`]): the grid, the clip list and the
//! problems overlay.

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, Borders, Cell, List, ListItem, ListState, Paragraph, Row, Table, Wrap,
};

use super::corpus::{CorpusPane, Focus};
use crate::corpus::{Actor, Corpus, Emotion, Sex};
use crate::tui::hits::{HitMap, Surface, Target};
use crate::tui::shared::Shared;
use crate::tui::theme::{ColorMode, Theme};

/// Draws the pane; `searching` says the search line is being typed (a cursor in the grid's
/// title).
pub fn draw(
    f: &mut Frame,
    area: Rect,
    pane: &CorpusPane,
    shared: &Shared,
    searching: bool,
    theme: &Theme,
    hits: &mut HitMap,
) {
    let Some(corpus) = shared.corpus.as_ref() else {
        let (text, style) = match &shared.corpus_error {
            Some(e) => (e.clone(), theme.error()),
            None => ("opening the corpus …".to_string(), theme.dim()),
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
    draw_grid(f, parts[0], pane, searching, corpus, theme, hits);
    if pane.show_problems {
        hits.add(parts[1], Target::Over(Surface::Problems));
        draw_problems(f, parts[1], corpus, pane.problems_offset, theme);
    } else {
        draw_clips(f, parts[1], pane, corpus, theme, hits);
    }
}

/// The grid's and the clip list's rectangles in the pane: side by side when wide, stacked
/// otherwise.
fn regions(area: Rect) -> [Rect; 2] {
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

/// The scan's problems from `offset` on, each wrapped to the width (a reason is never cut
/// off); those below are counted on a last line that points to `emoscope scan`.
fn draw_problems(f: &mut Frame, area: Rect, corpus: &Corpus, offset: usize, theme: &Theme) {
    let n = corpus.problems.len();
    let offset = offset.min(n.saturating_sub(1));
    let from = if offset > 0 {
        format!(" from #{} (PgUp/PgDn)", offset + 1)
    } else {
        String::new()
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!("Problems ({n}){from} — p or Esc to close"));
    let width = usize::from(area.width.saturating_sub(2)).max(1);
    let room = usize::from(area.height.saturating_sub(2));
    let texts: Vec<String> = if corpus.problems.is_empty() {
        vec!["no problems: every file was used".into()]
    } else {
        corpus.problems[offset..]
            .iter()
            .map(|p| p.to_string())
            .collect()
    };
    let mut lines: Vec<Line> = Vec::new();
    let mut used = 0;
    for (i, text) in texts.iter().enumerate() {
        let n = crate::util::wrapped_lines(text, width);
        let last = i + 1 == texts.len();
        if used + n + usize::from(!last) > room {
            lines.push(Line::from(Span::styled(
                format!(
                    "… {} more (PgDn): `emoscope --corpus FOLDER scan` lists them all",
                    texts.len() - i
                ),
                theme.dim(),
            )));
            break;
        }
        lines.push(Line::from(text.clone()));
        used += n;
    }
    f.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: true }).block(block),
        area,
    );
}

fn filter_line(pane: &CorpusPane, searching: bool) -> String {
    let f = &pane.filters;
    let mut parts: Vec<String> = Vec::new();
    parts.extend(f.sex.map(|s| s.to_string()));
    parts.extend(f.intensity.map(|i| i.to_string()));
    parts.extend(f.statement.map(|s| s.to_string()));
    parts.extend(f.repetition.map(|r| format!("rep {r}")));
    parts.extend(f.channel.map(|c| c.to_string()));
    if !f.text.is_empty() || searching {
        parts.push(format!("/{}{}", f.text, if searching { "▏" } else { "" }));
    }
    if parts.is_empty() {
        "no filters (s i t r c /)".to_string()
    } else {
        format!("filters: {}", parts.join(" · "))
    }
}

/// Width of the actor column and of each emotion column, one space apart.
const ACTOR_W: u16 = 6;
const CELL_W: u16 = 5;

/// The grid's rows from `offset` on: actor and sex, then the counts tinted by size.
fn grid_rows(
    pane: &CorpusPane,
    actors: &[Actor],
    emotions: &[Emotion],
    offset: usize,
    count: &dyn Fn(Actor, Emotion) -> usize,
    max: usize,
    theme: &Theme,
) -> Vec<Row<'static>> {
    actors
        .iter()
        .enumerate()
        .skip(offset)
        .map(|(ri, &a)| {
            let mut cells = vec![Cell::from(format!(
                "{a} {}",
                if a.sex() == Sex::Male { "M" } else { "F" }
            ))];
            for (ci, &e) in emotions.iter().enumerate() {
                let n = count(a, e);
                let mut style = if theme.mode == ColorMode::Mono {
                    Style::default()
                } else {
                    let v = n as f32 / max as f32;
                    Style::default()
                        .bg(theme.heat(0.15 + 0.6 * v))
                        .fg(if v > 0.6 { Color::Black } else { Color::White })
                };
                if ri == pane.actor && ci == pane.emotion {
                    style = theme.selected();
                }
                cells.push(Cell::from(format!("{n:>3}")).style(style));
            }
            Row::new(cells)
        })
        .collect()
}

fn draw_grid(
    f: &mut Frame,
    area: Rect,
    pane: &CorpusPane,
    searching: bool,
    corpus: &Corpus,
    theme: &Theme,
    hits: &mut HitMap,
) {
    let actors = corpus.actors();
    let emotions = corpus.emotions();
    let counts = pane.counts(corpus);
    let count = |a: Actor, e: Emotion| counts.get(&(a, e)).copied().unwrap_or(0);
    let max = counts.values().copied().max().unwrap_or(1).max(1);
    let mut header = vec![Cell::from("actor")];
    for (i, e) in emotions.iter().enumerate() {
        let c = Cell::from(e.short());
        header.push(if i == pane.emotion {
            c.style(theme.title())
        } else {
            c
        });
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(
            "Actors × emotions{}",
            if pane.focus == Focus::Grid {
                " ◆"
            } else {
                ""
            }
        ))
        .title_bottom(Line::from(filter_line(pane, searching)).style(theme.dim()));
    let inner = block.inner(area);
    // Keep the selected actor visible below the header row.
    let visible_rows = inner.height.saturating_sub(1) as usize;
    let offset = pane.actor.saturating_sub(visible_rows.saturating_sub(1));
    let rows = grid_rows(pane, &actors, &emotions, offset, &count, max, theme);
    let widths = std::iter::once(Constraint::Length(ACTOR_W))
        .chain(std::iter::repeat_n(
            Constraint::Length(CELL_W),
            emotions.len(),
        ))
        .collect::<Vec<_>>();
    f.render_widget(
        Table::new(rows, widths)
            .column_spacing(1)
            .header(Row::new(header).style(theme.dim()))
            .block(block),
        area,
    );
    // The cells as drawn: rows below the header, columns after the actor column.
    hits.add(inner, Target::Over(Surface::Grid));
    for (k, actor) in (offset..actors.len()).take(visible_rows).enumerate() {
        for emotion in 0..emotions.len() as u16 {
            let x = inner.x + ACTOR_W + 1 + emotion * (CELL_W + 1);
            let cell = Rect::new(x, inner.y + 1 + k as u16, CELL_W, 1).intersection(inner);
            hits.add(cell, Target::Cell(actor, usize::from(emotion)));
        }
    }
}

fn draw_clips(
    f: &mut Frame,
    area: Rect,
    pane: &CorpusPane,
    corpus: &Corpus,
    theme: &Theme,
    hits: &mut HitMap,
) {
    let clips = pane.cell_clips(Some(corpus));
    let focused = if pane.focus == Focus::Clips {
        " ◆"
    } else {
        ""
    };
    let title = match (
        corpus.actors().get(pane.actor),
        corpus.emotions().get(pane.emotion),
    ) {
        (Some(a), Some(e)) => format!("Actor {a} · {e} · {} clip(s){focused}", clips.len()),
        _ => "No clips".into(),
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
    if pane.focus == Focus::Clips {
        state.select(Some(pane.clip_index.min(clips.len().saturating_sub(1))));
    }
    let block = Block::default().borders(Borders::ALL).title(title);
    let inner = block.inner(area);
    f.render_stateful_widget(
        List::new(items)
            .block(block)
            .highlight_style(theme.selected()),
        area,
        &mut state,
    );
    // The list scrolled as ratatui chose: record the rows as they landed.
    let first = state.offset();
    hits.list(
        inner,
        Surface::Clips,
        first,
        clips.len().saturating_sub(first),
        2,
    );
}
