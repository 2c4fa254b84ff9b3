//! The Corpus pane: the actor × emotion grid with a heat tint by count, the clips of the
//! selected cell, filters, and the scan's problems. Drawn by `corpus_draw`.

use std::collections::HashMap;

use ratatui::crossterm::event::KeyCode::Char;

use crate::corpus::{
    Actor, Clip, ClipId, Corpus, Emotion, Intensity, Sex, Statement, VocalChannel,
};
use crate::tui::hits::{Surface, Target};
use crate::tui::keys::{ARROWS_HJKL, Binding, ENTER, ESC, PAGES, SPACE, bind, moves};
use crate::tui::msg::{Action, ClipKey, Effect, Pane};
use crate::tui::shared::Shared;

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
    moves(
        PAGES,
        "first / last actor or clip, or scroll the problems",
        None,
    ),
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
    /// The first problem shown in the problems overlay.
    pub problems_offset: usize,
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
            problems_offset: 0,
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
            (_, Action::PageUp | Action::PageDown | Action::Home | Action::End)
                if self.show_problems =>
            {
                self.scroll_problems(action, shared)
            }
            (_, Action::Clicked(t)) => return self.click(t, shared),
            (_, Action::Scrolled(Target::Over(Surface::Problems), _)) => {
                self.scroll_problems(action, shared)
            }
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

    /// Scrolls the problems overlay: PgUp/PgDn by [`PROBLEMS_PAGE`], Home/End, the wheel by one.
    fn scroll_problems(&mut self, action: Action, shared: &Shared) {
        let last = shared
            .corpus
            .as_ref()
            .map_or(0, |c| c.problems.len())
            .saturating_sub(1);
        let at = self.problems_offset;
        self.problems_offset = match action {
            Action::PageUp => at.saturating_sub(PROBLEMS_PAGE),
            Action::PageDown => at + PROBLEMS_PAGE,
            Action::Home => 0,
            Action::Scrolled(_, true) => at + 1,
            Action::Scrolled(_, false) => at.saturating_sub(1),
            _ => last,
        }
        .min(last);
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

/// How many problems PgUp / PgDn scroll by.
pub const PROBLEMS_PAGE: usize = 5;
