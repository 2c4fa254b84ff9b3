//! The Inspect pane: a clip's waveform (braille) over one of its analyses — spectrogram, mel,
//! MFCC, chroma (half-block heatmaps with axes), the pitch track, or the feature vector — and
//! optionally the same beside the neutral take, on shared axes.

use std::collections::HashMap;
use std::sync::Arc;

use ratatui::Frame;
use ratatui::crossterm::event::KeyCode::Char;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::features::inspect::ClipAnalysis;
use crate::features::stats::FeatureStats;
use crate::tui::hits::{HitMap, Surface, Target};
use crate::tui::jobs::Loadable;
use crate::tui::keys::Binding;
use crate::tui::keys::{ESC, LEFT_RIGHT, PAGES, SPACE, UP_DOWN, bind, moves};
use crate::tui::msg::{Action, ClipKey, Command, Effect, Pane};
use crate::tui::shared::Shared;
use crate::tui::theme::Theme;

use super::plots;
pub use super::plots::{FeatureScale, InspectView};

pub const KEYS: &[Binding] = &[
    bind(
        &[Char('v')],
        Action::NextView,
        "next view (spectrogram, mel, MFCC, chroma, pitch, features)",
        Some("view"),
    ),
    moves(LEFT_RIGHT, "previous / next view", None),
    moves(
        UP_DOWN,
        "features: scroll (also PgUp PgDn Home End, the wheel)",
        None,
    ),
    moves(PAGES, "features: page / first / last", None),
    bind(
        &[Char('b')],
        Action::ToggleSideBySide,
        "side by side with the neutral take (shared axes)",
        Some("side by side"),
    ),
    bind(
        &[Char('z')],
        Action::CycleScale,
        "features: raw → z vs corpus → z vs this emotion",
        None,
    ),
    bind(
        SPACE,
        Action::Play,
        "play / stop the clip (a cursor follows on the waveform)",
        Some("play"),
    ),
    bind(
        ESC,
        Action::Back,
        "back to where the clip was opened from",
        Some("back"),
    ),
];

#[derive(Debug, Clone, PartialEq)]
pub struct InspectPane {
    pub inspected: Option<ClipKey>,
    /// Where Esc goes back to.
    pub back: Pane,
    pub view: InspectView,
    pub side_by_side: bool,
    pub views: HashMap<ClipKey, Loadable<Arc<ClipAnalysis>>>,
    pub scale: FeatureScale,
    pub stats: Loadable<Arc<FeatureStats>>,
    /// First line of the feature view shown.
    pub feature_offset: usize,
    /// When opened from a run's confusion cell: what that run predicted for the clip.
    pub verdict: Option<String>,
}

impl Default for InspectPane {
    fn default() -> Self {
        InspectPane {
            inspected: None,
            back: Pane::Corpus,
            view: InspectView::Spectrogram,
            side_by_side: false,
            views: HashMap::new(),
            scale: FeatureScale::Raw,
            stats: Loadable::Absent,
            feature_offset: 0,
            verdict: None,
        }
    }
}

impl InspectPane {
    /// The neutral (or calm) take beside a corpus clip, when side by side is on.
    pub fn side_clip(&self, key: &ClipKey, shared: &Shared) -> Option<ClipKey> {
        let id = key.ravdess()?;
        self.side_by_side
            .then(|| shared.counterpart(&id))
            .flatten()
            .map(ClipKey::Corpus)
    }

    /// Asks for the analysis of `key` unless it is there or on its way.
    fn request(&mut self, key: ClipKey, shared: &Shared, fx: &mut Vec<Effect>) {
        if self.views.get(&key).is_some_and(|v| !v.wanted()) {
            return;
        }
        let clip = match &key {
            ClipKey::Corpus(id) => match shared.corpus.as_ref().and_then(|c| c.clip(id)) {
                Some(c) => Some(c.clone()),
                None => return,
            },
            ClipKey::File(_) => None,
        };
        self.views.insert(key.clone(), Loadable::Loading);
        fx.push(Effect::Run(Command::Analyse(key, clip)));
    }

    /// Asks for what the inspected clip (and its counterpart) need.
    pub fn refresh(&mut self, shared: &Shared) -> Vec<Effect> {
        let mut fx = Vec::new();
        if let Some(key) = self.inspected.clone() {
            if let Some(other) = self.side_clip(&key, shared) {
                self.request(other, shared, &mut fx);
            }
            self.request(key, shared, &mut fx);
        }
        fx
    }

    /// Opens a clip; Esc will return to `back`.
    pub fn open(&mut self, key: ClipKey, back: Pane, shared: &Shared) -> Vec<Effect> {
        self.inspected = Some(key);
        self.back = back;
        self.verdict = None;
        self.feature_offset = 0;
        self.refresh(shared)
    }

    /// A new corpus: analyses of its clips are stale.
    pub fn forget_corpus_clips(&mut self) {
        self.views.retain(|k, _| matches!(k, ClipKey::File(_)));
        self.stats = Loadable::Absent;
    }

    pub fn on_analysed(
        &mut self,
        key: ClipKey,
        r: Result<Arc<ClipAnalysis>, String>,
    ) -> Option<String> {
        let msg = r
            .as_ref()
            .err()
            .map(|e| format!("cannot analyse {}: {e}", key.title()));
        self.views.insert(key, Loadable::from_result(r));
        msg
    }

    fn scroll(&mut self, action: Action) {
        let page = 10;
        self.feature_offset = match action {
            Action::Up => self.feature_offset.saturating_sub(1),
            Action::Down => self.feature_offset + 1,
            Action::PageUp => self.feature_offset.saturating_sub(page),
            Action::PageDown => self.feature_offset + page,
            Action::Home => 0,
            Action::End => usize::MAX,
            _ => self.feature_offset,
        };
        // Past the end the view shows the last page; keep the offset where Up moves it.
        let n = self
            .inspected
            .as_ref()
            .and_then(|k| self.views.get(k))
            .and_then(Loadable::ready)
            .map_or(0, |v| v.features.len());
        self.feature_offset = self.feature_offset.min(n.saturating_sub(1));
    }

    fn cycle_scale(&mut self, shared: &Shared, fx: &mut Vec<Effect>) {
        self.scale = match self.scale {
            FeatureScale::Raw => FeatureScale::ZCorpus,
            FeatureScale::ZCorpus => FeatureScale::ZEmotion,
            FeatureScale::ZEmotion => FeatureScale::Raw,
        };
        if self.scale != FeatureScale::Raw
            && self.stats.wanted()
            && let Some(c) = &shared.corpus
        {
            self.stats = Loadable::Loading;
            fx.push(Effect::Status(
                "extracting the corpus's features for z-scores …".into(),
            ));
            fx.push(Effect::Run(Command::FeatureStats(c.clone())));
        }
    }

    pub fn update(&mut self, action: Action, shared: &Shared) -> Vec<Effect> {
        let mut fx = Vec::new();
        match action {
            Action::NextView | Action::Right => self.view = self.view.step(true),
            Action::Left => self.view = self.view.step(false),
            Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::Home
            | Action::End
                if self.view == InspectView::Features =>
            {
                self.scroll(action)
            }
            Action::Scrolled(Target::Over(Surface::Features), down) => {
                self.scroll(if down { Action::Down } else { Action::Up })
            }
            Action::ToggleSideBySide => {
                self.side_by_side = !self.side_by_side;
                fx.extend(self.refresh(shared));
            }
            Action::Play => fx.push(Effect::TogglePlay(self.inspected.clone())),
            Action::CycleScale => self.cycle_scale(shared, &mut fx),
            Action::Back => fx.push(Effect::Show(self.back)),
            _ => {}
        }
        fx
    }
}

pub fn draw(
    f: &mut Frame,
    area: Rect,
    pane: &InspectPane,
    shared: &Shared,
    theme: &Theme,
    hits: &mut HitMap,
) {
    let Some(key) = pane.inspected.clone() else {
        f.render_widget(
            super::note(
                "No clip yet: pick one in the Corpus pane (Enter on a cell, then Enter on a clip).",
                theme,
            )
            .block(Block::default().borders(Borders::ALL).title("Inspect")),
            area,
        );
        return;
    };
    let keys: Vec<ClipKey> = std::iter::once(key.clone())
        .chain(pane.side_clip(&key, shared))
        .collect();
    // Side by side, both clips share the pitch axis.
    let shown: Vec<&ClipAnalysis> = keys
        .iter()
        .filter_map(|k| {
            pane.views
                .get(k)
                .and_then(Loadable::ready)
                .map(|v| v.as_ref())
        })
        .collect();
    let pitch = plots::pitch_range(&shown);
    let cols = Layout::default()
        .direction(Direction::Horizontal)
        .constraints(vec![Constraint::Ratio(1, keys.len() as u32); keys.len()])
        .split(area);
    for (k, col) in keys.iter().zip(cols.iter()) {
        draw_clip(f, *col, pane, shared, k, pitch, theme, hits);
    }
}

#[allow(clippy::too_many_arguments)]
fn draw_clip(
    f: &mut Frame,
    area: Rect,
    pane: &InspectPane,
    shared: &Shared,
    key: &ClipKey,
    pitch: (f64, f64),
    theme: &Theme,
    hits: &mut HitMap,
) {
    let id = key.ravdess();
    let title = match id {
        Some(id) => format!("{} · {} · {}", id.stem(), id.emotion, pane.view.title()),
        None => format!("{} · {}", key.title(), pane.view.title()),
    };
    let block = Block::default().borders(Borders::ALL).title(title);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let view = match pane.views.get(key) {
        Some(Loadable::Ready(v)) => v,
        other => {
            let msg = match other {
                Some(Loadable::Loading) => {
                    format!(
                        "analysing {} …",
                        id.map_or_else(|| key.title(), |i| i.describe())
                    )
                }
                Some(Loadable::Failed(e)) => format!("cannot analyse {}: {e}", key.title()),
                _ => format!("{} not analysed", key.title()),
            };
            f.render_widget(super::note(msg, theme), inner);
            return;
        }
    };
    let rows = Layout::default()
        .direction(Direction::Vertical)
        .constraints([
            Constraint::Length(1),
            Constraint::Percentage(30),
            Constraint::Min(4),
        ])
        .split(inner);
    f.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(
                view.id
                    .map_or_else(|| "(not a corpus clip)".to_string(), |i| i.describe()),
                theme.dim(),
            ),
            Span::raw(format!(
                "  {:.2} s @ {} Hz",
                view.duration, view.sample_rate
            )),
        ])),
        rows[0],
    );
    plots::waveform(f, rows[1], view, shared.playing_at(key), theme);
    match pane.view {
        InspectView::Features => {
            hits.add(rows[2], Target::Over(Surface::Features));
            draw_features(f, rows[2], pane, view, theme)
        }
        InspectView::Pitch => plots::pitch(f, rows[2], view, pitch, theme),
        v => plots::heat(f, rows[2], view, v, theme),
    }
}

/// The feature view: raw values or z-scores against the corpus statistics.
fn draw_features(
    f: &mut Frame,
    area: Rect,
    pane: &InspectPane,
    view: &ClipAnalysis,
    theme: &Theme,
) {
    let stats = pane.stats.ready().map(|s| s.as_ref());
    let reference = plots::reference(pane.scale, stats, view);
    let heading = match (pane.scale, reference) {
        (FeatureScale::Raw, _) => "raw values (z: z-scores)".to_string(),
        (_, Some((what, _))) => format!("{what}, clipped to ±3 (z: next)"),
        (_, None) if pane.stats.is_loading() => {
            "extracting the corpus's features for z-scores …".to_string()
        }
        (_, None) => "no statistics for z-scores".to_string(),
    };
    plots::features(
        f,
        area,
        view,
        reference,
        heading,
        pane.feature_offset,
        theme,
    )
}
