//! The Inspect pane: a clip's waveform (braille) over one of its analyses — spectrogram, mel,
//! MFCC, chroma (half-block heatmaps with axes), the pitch track, or the feature vector — and
//! optionally the same beside the neutral take.

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Block, Borders, Chart, Dataset, GraphType, Paragraph};

use crate::tui::app::{App, ClipKey, ClipView, InspectView};
use crate::tui::heatmap::Heatmap;
use crate::tui::theme::Theme;

pub fn draw(f: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let Some(key) = app.inspected.clone() else {
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
    let other = match key.ravdess() {
        Some(id) if app.side_by_side => app.counterpart(&id).map(ClipKey::Corpus),
        _ => None,
    };
    match other {
        Some(o) => {
            let cols = Layout::default()
                .direction(Direction::Horizontal)
                .constraints([Constraint::Percentage(50), Constraint::Percentage(50)])
                .split(area);
            draw_clip(f, cols[0], app, &key, theme);
            draw_clip(f, cols[1], app, &o, theme);
        }
        None => draw_clip(f, area, app, &key, theme),
    }
}

fn draw_clip(f: &mut Frame, area: Rect, app: &App, key: &ClipKey, theme: &Theme) {
    let id = key.ravdess();
    let title = match id {
        Some(id) => format!("{} · {} · {}", id.stem(), id.emotion, app.view.title()),
        None => format!("{} · {}", key.title(), app.view.title()),
    };
    let block = Block::default().borders(Borders::ALL).title(title);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let Some(view) = app.views.get(key) else {
        let msg = if app.pending.contains(key) {
            format!(
                "analysing {} …",
                id.map_or_else(|| key.title(), |i| i.describe())
            )
        } else {
            format!("{} not analysed", key.title())
        };
        f.render_widget(super::note(msg, theme), inner);
        return;
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
    let cursor = app
        .playing
        .as_ref()
        .filter(|p| &p.key == key)
        .map(|p| p.seconds);
    draw_waveform(f, rows[1], view, cursor, theme);
    match app.view {
        InspectView::Spectrogram => draw_heat(
            f,
            rows[2],
            view,
            &view.spec_db,
            view.spec_bins,
            &[
                &format_hz(view.spec_max_hz),
                &format_hz(view.spec_max_hz / 2.0),
                "0",
            ],
            theme,
            (-80.0, 0.0),
        ),
        InspectView::Mel => draw_heat(
            f,
            rows[2],
            view,
            &view.mel_db,
            view.n_mels,
            &["mel", "", "0"],
            theme,
            (-80.0, 0.0),
        ),
        InspectView::Mfcc => draw_heat(
            f,
            rows[2],
            view,
            &view.mfcc,
            view.n_mfcc,
            &[&format!("c{}", view.n_mfcc - 1), "", "c0"],
            theme,
            (-60.0, 60.0),
        ),
        InspectView::Chroma => draw_heat(
            f,
            rows[2],
            view,
            &view.chroma,
            12,
            &["B", "F#", "C"],
            theme,
            (0.0, 1.0),
        ),
        InspectView::Pitch => draw_pitch(f, rows[2], view, theme),
        InspectView::Features => draw_features(f, rows[2], app, view, theme),
    }
}

fn format_hz(hz: f64) -> String {
    if hz >= 1000.0 {
        format!("{:.0}k", hz / 1000.0)
    } else {
        format!("{hz:.0}")
    }
}

fn draw_waveform(f: &mut Frame, area: Rect, v: &ClipView, cursor: Option<f64>, theme: &Theme) {
    let n = v.envelope.len().max(1) as f64;
    let peak = v
        .envelope
        .iter()
        .map(|(a, b)| a.abs().max(b.abs()))
        .fold(1e-6f32, f32::max) as f64;
    let hi: Vec<(f64, f64)> = v
        .envelope
        .iter()
        .enumerate()
        .map(|(i, (_, b))| (i as f64 / n * v.duration, f64::from(*b) / peak))
        .collect();
    let lo: Vec<(f64, f64)> = v
        .envelope
        .iter()
        .enumerate()
        .map(|(i, (a, _))| (i as f64 / n * v.duration, f64::from(*a) / peak))
        .collect();
    let style = if theme.mode == crate::tui::theme::ColorMode::Mono {
        Style::default()
    } else {
        theme.ok()
    };
    // While the clip plays, a vertical line marks the position.
    let line: Vec<(f64, f64)> = cursor
        .map(|t| vec![(t, -1.0), (t, 1.0)])
        .unwrap_or_default();
    let mut data = vec![
        Dataset::default()
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(style)
            .data(&hi),
        Dataset::default()
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(style)
            .data(&lo),
    ];
    if !line.is_empty() {
        data.push(
            Dataset::default()
                .marker(Marker::Braille)
                .graph_type(GraphType::Line)
                .style(theme.key())
                .data(&line),
        );
    }
    let chart = Chart::new(data)
        .x_axis(Axis::default().bounds([0.0, v.duration]))
        .y_axis(Axis::default().bounds([-1.0, 1.0]));
    f.render_widget(chart, area);
}

#[allow(clippy::too_many_arguments)]
fn draw_heat(
    f: &mut Frame,
    area: Rect,
    v: &ClipView,
    values: &[f32],
    height: usize,
    labels: &[&str; 3],
    theme: &Theme,
    range: (f32, f32),
) {
    if area.width < 8 || area.height < 3 {
        return;
    }
    let cols = Layout::default()
        .direction(Direction::Horizontal)
        .constraints([Constraint::Length(5), Constraint::Min(1)])
        .split(area);
    let rows = Layout::default()
        .direction(Direction::Vertical)
        .constraints([Constraint::Min(1), Constraint::Length(1)])
        .split(cols[1]);
    let h = rows[0].height as usize;
    let mut axis = vec![Line::from(""); h];
    if h > 0 {
        axis[0] = Line::from(labels[0].to_string());
        axis[h / 2] = Line::from(labels[1].to_string());
        axis[h - 1] = Line::from(labels[2].to_string());
    }
    f.render_widget(
        Paragraph::new(axis).style(theme.dim()),
        Rect {
            height: rows[0].height,
            ..cols[0]
        },
    );
    let width = values.len() / height.max(1);
    // Heatmap scale: a dB range anchored at the clip's maximum.
    let (lo, hi) = if range == (-80.0, 0.0) {
        let max = values.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        (max - 80.0, max)
    } else {
        range
    };
    f.render_widget(
        Heatmap {
            values,
            width,
            height,
            lo,
            hi,
            theme: *theme,
        },
        rows[0],
    );
    let time = format!(
        "0 s{:>w$}",
        format!("{:.1} s", v.duration),
        w = (rows[1].width as usize).saturating_sub(3)
    );
    f.render_widget(Paragraph::new(time).style(theme.dim()), rows[1]);
}

fn draw_pitch(f: &mut Frame, area: Rect, v: &ClipView, theme: &Theme) {
    let hop = v.duration / v.f0.len().max(1) as f64;
    let pts: Vec<(f64, f64)> =
        v.f0.iter()
            .enumerate()
            .filter_map(|(i, f0)| f0.map(|hz| (i as f64 * hop, hz)))
            .collect();
    let (lo, hi) = pts
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| {
            (a.min(p.1), b.max(p.1))
        });
    let (lo, hi) = if pts.is_empty() {
        (50.0, 500.0)
    } else {
        ((lo * 0.9).floor(), (hi * 1.1).ceil())
    };
    let data = vec![
        Dataset::default()
            .name("F0 (pYIN)")
            .marker(Marker::Braille)
            .graph_type(GraphType::Scatter)
            .style(theme.key())
            .data(&pts),
    ];
    let chart = Chart::new(data)
        .x_axis(Axis::default().bounds([0.0, v.duration]).labels(vec![
            Span::raw("0 s"),
            Span::raw(format!("{:.1} s", v.duration)),
        ]))
        .y_axis(Axis::default().bounds([lo, hi]).labels(vec![
            Span::raw(format!("{lo:.0}")),
            Span::raw(format!("{hi:.0} Hz")),
        ]));
    f.render_widget(chart, area);
}

fn draw_features(f: &mut Frame, area: Rect, app: &App, v: &ClipView, theme: &Theme) {
    use crate::tui::app::FeatureScale;
    // z-scores against the corpus or the clip's emotion, when asked and available.
    let reference = match (app.scale, app.stats.as_deref()) {
        (FeatureScale::ZCorpus, Some(s)) => Some(("z vs corpus", &s.corpus)),
        (FeatureScale::ZEmotion, Some(s)) => {
            v.id.and_then(|id| s.by_emotion.get(&id.emotion))
                .map(|r| ("z vs this emotion", r))
        }
        _ => None,
    };
    let heading = match (app.scale, reference) {
        (FeatureScale::Raw, _) => "raw values (z: z-scores)".to_string(),
        (_, Some((what, _))) => format!("{what}, clipped to ±3 (z: next)"),
        (_, None) if app.stats_pending => {
            "extracting the corpus's features for z-scores …".to_string()
        }
        (_, None) => "no statistics for z-scores".to_string(),
    };
    let width = area.width.saturating_sub(28) as f32;
    let mut lines = vec![Line::from(Span::styled(heading, theme.title()))];
    let groups = ["mfcc", "chroma", "contrast", "mel"];
    for g in groups {
        let items: Vec<(usize, &(String, f32))> = v
            .features
            .iter()
            .enumerate()
            .filter(|(_, (n, _))| n.starts_with(g))
            .collect();
        let value = |k: usize, x: f32| match reference {
            Some((_, r)) => r.get(k).map_or(0.0, |&(m, s)| {
                if s > 0.0 {
                    ((x - m) / s).clamp(-3.0, 3.0)
                } else {
                    0.0
                }
            }),
            None => x,
        };
        let max = if reference.is_some() {
            3.0
        } else {
            items
                .iter()
                .map(|(_, (_, x))| x.abs())
                .fold(1e-9f32, f32::max)
        };
        for (k, (name, x)) in items.iter().take(if g == "mel" { 8 } else { 40 }) {
            let y = value(*k, *x);
            let len = ((y.abs() / max) * width.max(1.0) * 0.5) as usize;
            let bar: String = std::iter::repeat_n(if y < 0.0 { '▒' } else { '█' }, len).collect();
            lines.push(Line::from(vec![
                Span::styled(format!("{name:<16}"), theme.dim()),
                Span::raw(format!("{y:>9.3} ")),
                Span::raw(bar),
            ]));
        }
    }
    f.render_widget(Paragraph::new(lines), area);
}
