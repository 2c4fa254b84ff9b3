//! The Corpus pane: the actor × emotion grid with a heat tint by count, the clips of the
//! selected cell, filters, and the scan's problems.

use std::collections::HashMap;

use ratatui::Frame;
use ratatui::crossterm::event::KeyCode::Char;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, Borders, Cell, List, ListItem, ListState, Paragraph, Row, Table, Wrap,
};

use crate::corpus::{
    Actor, Clip, ClipId, Corpus, Emotion, Intensity, Sex, Statement, VocalChannel,
};
use crate::tui::hits::{HitMap, Surface, Target};
use crate::tui::keys::{ARROWS_HJKL, Binding, ENTER, ESC, PAGES, SPACE, bind, moves};
use crate::tui::msg::{Action, ClipKey, Effect, Pane};
use crate::tui::shared::Shared;
use crate::tui::theme::{ColorMode, Theme};

pub const KEYS: &[Binding] = &[
    moves(
        ARROWS_HJKL,
        "move in the actor × emotion grid",
        Some("move"),
    ),
    bind(
        ENTER,
        Action::Enter,
        "list the cell's clips / inspect a clip",
        Some("open"),
    ),
    bind(ESC, Action::Back, "back to the grid", None),
    moves(PAGES, "first / last actor or clip", None),
    bind(
        &[Char('s')],
        Action::CycleSex,
        "filter by sex (all → male → female)",
        Some("sex"),
    ),
    bind(
        &[Char('i')],
        Action::CycleIntensity,
        "filter by intensity",
        None,
    ),
    bind(
        &[Char('t')],
        Action::CycleStatement,
        "filter by statement",
        None,
    ),
    bind(
        &[Char('r')],
        Action::CycleRepetition,
        "filter by repetition",
        None,
    ),
    bind(
        &[Char('c')],
        Action::CycleChannel,
        "filter by vocal channel",
        None,
    ),
    bind(
        &[Char('/')],
        Action::StartSearch,
        "filter clips by text",
        Some("search"),
    ),
    bind(SPACE, Action::Play, "play / stop the selected clip", None),
    bind(
        &[Char('p')],
        Action::ToggleProblems,
        "show / hide the scan's problems (Esc hides)",
        Some("problems"),
    ),
];

/// Which part of the corpus pane has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Grid,
    Clips,
}

/// Filters of the corpus pane.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    pub sex: Option<Sex>,
    pub intensity: Option<Intensity>,
    pub statement: Option<Statement>,
    pub repetition: Option<u8>,
    pub channel: Option<VocalChannel>,
    pub text: String,
}

impl Filters {
    pub fn passes(&self, c: &Clip) -> bool {
        self.sex.is_none_or(|s| c.id.sex() == s)
            && self.intensity.is_none_or(|i| c.id.intensity == i)
            && self.statement.is_none_or(|s| c.id.statement == s)
            && self.repetition.is_none_or(|r| c.id.repetition == r)
            && self.channel.is_none_or(|ch| c.id.channel == ch)
            && (self.text.is_empty() || {
                let t = self.text.to_ascii_lowercase();
                c.id.stem().contains(&t) || c.id.describe().to_ascii_lowercase().contains(&t)
            })
    }
}

/// The next value of a filter: none → each value → none.
fn cycle<T: Copy + PartialEq>(current: Option<T>, all: &[T]) -> Option<T> {
    match current {
        None => all.first().copied(),
        Some(v) => {
            let i = all.iter().position(|&x| x == v).unwrap_or(0);
            all.get(i + 1).copied()
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct CorpusPane {
    /// Selected actor (position among the actors present) and emotion index.
    pub actor: usize,
    pub emotion: usize,
    pub focus: Focus,
    pub clip_index: usize,
    pub filters: Filters,
    pub show_problems: bool,
}

impl Default for CorpusPane {
    fn default() -> Self {
        CorpusPane {
            actor: 0,
            emotion: 0,
            focus: Focus::Grid,
            clip_index: 0,
            filters: Filters::default(),
            show_problems: false,
        }
    }
}

impl CorpusPane {
    /// The clips of the selected cell under the filters.
    pub fn cell_clips<'a>(&self, corpus: Option<&'a Corpus>) -> Vec<&'a Clip> {
        let Some(corpus) = corpus else {
            return Vec::new();
        };
        let Some(&actor) = corpus.actors().get(self.actor) else {
            return Vec::new();
        };
        let Some(&emotion) = corpus.emotions().get(self.emotion) else {
            return Vec::new();
        };
        corpus
            .clips
            .iter()
            .filter(|c| c.id.actor == actor && c.id.emotion == emotion && self.filters.passes(c))
            .collect()
    }

    /// Clip counts per (actor, emotion) under the filters, in one pass.
    pub fn counts(&self, corpus: &Corpus) -> HashMap<(Actor, Emotion), usize> {
        let mut m = HashMap::new();
        for c in corpus.clips.iter().filter(|c| self.filters.passes(c)) {
            *m.entry((c.id.actor, c.id.emotion)).or_default() += 1;
        }
        m
    }

    fn selected_key(&self, shared: &Shared) -> Option<ClipKey> {
        self.cell_clips(shared.corpus.as_ref())
            .get(self.clip_index)
            .map(|c| ClipKey::Corpus(c.id))
    }

    /// Cycles a filter through the values the corpus has.
    fn filter(&mut self, action: Action, corpus: Option<&Corpus>) -> bool {
        let f = &mut self.filters;
        fn values<T: Ord>(corpus: Option<&Corpus>, label: impl Fn(&ClipId) -> T) -> Vec<T> {
            corpus.map_or_else(Vec::new, |c| c.distinct(label))
        }
        match action {
            Action::CycleSex => f.sex = cycle(f.sex, Sex::ALL),
            Action::CycleIntensity => {
                f.intensity = cycle(f.intensity, &values(corpus, |id| id.intensity))
            }
            Action::CycleStatement => {
                f.statement = cycle(f.statement, &values(corpus, |id| id.statement))
            }
            Action::CycleRepetition => {
                f.repetition = cycle(f.repetition, &values(corpus, |id| id.repetition))
            }
            Action::CycleChannel => f.channel = cycle(f.channel, &values(corpus, |id| id.channel)),
            _ => return false,
        }
        true
    }

    pub fn update(&mut self, action: Action, shared: &Shared) -> Vec<Effect> {
        let n_actors = shared.corpus.as_ref().map_or(0, |c| c.actors().len());
        let n_emotions = shared.corpus.as_ref().map_or(0, |c| c.emotions().len());
        let n_clips = self.cell_clips(shared.corpus.as_ref()).len();
        let last = |n: usize| n.saturating_sub(1);
        let mut fx = Vec::new();
        if self.filter(action, shared.corpus.as_ref()) {
            self.clip_index = 0;
            return fx;
        }
        match (self.focus, action) {
            (_, Action::StartSearch) => fx.push(Effect::Ask(
                crate::tui::input::Prompt::Search,
                self.filters.text.clone(),
            )),
            (_, Action::ToggleProblems) => self.show_problems = !self.show_problems,
            (_, Action::Back) if self.show_problems => self.show_problems = false,
            (_, Action::Clicked(t)) => return self.click(t, shared),
            (_, Action::Scrolled(t, down)) => {
                let clips = matches!(
                    t,
                    Target::Row(Surface::Clips, _) | Target::Over(Surface::Clips)
                );
                self.focus = if clips && n_clips > 0 {
                    Focus::Clips
                } else {
                    Focus::Grid
                };
                return self.update(if down { Action::Down } else { Action::Up }, shared);
            }
            (Focus::Clips, Action::Play) => fx.push(Effect::TogglePlay(self.selected_key(shared))),
            (Focus::Grid, Action::Play) => fx.push(Effect::Notice(
                "pick a clip first (Enter lists the cell's clips)".into(),
            )),
            (Focus::Grid, Action::Up) => self.actor = self.actor.saturating_sub(1),
            (Focus::Grid, Action::Down) => self.actor = (self.actor + 1).min(last(n_actors)),
            (Focus::Grid, Action::Left) => self.emotion = self.emotion.saturating_sub(1),
            (Focus::Grid, Action::Right) => self.emotion = (self.emotion + 1).min(last(n_emotions)),
            (Focus::Grid, Action::PageUp | Action::Home) => self.actor = 0,
            (Focus::Grid, Action::PageDown | Action::End) => self.actor = last(n_actors),
            (Focus::Grid, Action::Enter) if n_clips > 0 => {
                self.focus = Focus::Clips;
                self.clip_index = 0;
            }
            (Focus::Clips, Action::Up) => self.clip_index = self.clip_index.saturating_sub(1),
            (Focus::Clips, Action::Down) => {
                self.clip_index = (self.clip_index + 1).min(last(n_clips))
            }
            (Focus::Clips, Action::Home | Action::PageUp) => self.clip_index = 0,
            (Focus::Clips, Action::End | Action::PageDown) => self.clip_index = last(n_clips),
            (Focus::Clips, Action::Back | Action::Left) => self.focus = Focus::Grid,
            (Focus::Clips, Action::Enter) => fx.extend(
                self.selected_key(shared)
                    .map(|k| Effect::Inspect(k, Pane::Corpus)),
            ),
            _ => {}
        }
        if self.focus == Focus::Grid {
            self.clip_index = 0;
        }
        fx
    }

    fn click(&mut self, target: Target, shared: &Shared) -> Vec<Effect> {
        match target {
            Target::Cell(actor, emotion) => {
                (self.actor, self.emotion) = (actor, emotion);
                self.focus = Focus::Grid;
                self.clip_index = 0;
            }
            // A click on the selected clip opens it.
            Target::Row(Surface::Clips, i)
                if self.focus == Focus::Clips && self.clip_index == i =>
            {
                return self
                    .selected_key(shared)
                    .map(|k| Effect::Inspect(k, Pane::Corpus))
                    .into_iter()
                    .collect();
            }
            Target::Row(Surface::Clips, i) => {
                self.focus = Focus::Clips;
                self.clip_index = i;
            }
            _ => {}
        }
        Vec::new()
    }
}

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
        draw_problems(f, parts[1], corpus, theme);
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

/// The scan's problems, each wrapped to the width (a reason is never cut off); those that do
/// not fit are counted on a last line that points to `emoscope scan`, which lists them all.
fn draw_problems(f: &mut Frame, area: Rect, corpus: &Corpus, theme: &Theme) {
    let block = Block::default().borders(Borders::ALL).title(format!(
        "Problems ({}) — p or Esc to close",
        corpus.problems.len()
    ));
    let width = usize::from(area.width.saturating_sub(2)).max(1);
    let room = usize::from(area.height.saturating_sub(2));
    let texts: Vec<String> = if corpus.problems.is_empty() {
        vec!["no problems: every file was used".into()]
    } else {
        corpus.problems.iter().map(|p| p.to_string()).collect()
    };
    let mut lines: Vec<Line> = Vec::new();
    let mut used = 0;
    for (i, text) in texts.iter().enumerate() {
        let n = crate::util::wrapped_lines(text, width);
        let last = i + 1 == texts.len();
        if used + n + usize::from(!last) > room {
            lines.push(Line::from(Span::styled(
                format!(
                    "… {} more: `emoscope --corpus FOLDER scan` lists them all",
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
