//! Drawing the Classify pane: the model to use, the class probabilities of the selected
//! classification (top emotion highlighted), the history of classified files, and a small
//! file browser on top when open.

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::classify::{ClassifyPane, ModelSource};
use crate::tui::confusion::bar;
use crate::tui::hits::{HitMap, Surface};
use crate::tui::shared::Shared;
use crate::tui::theme::Theme;

pub fn draw(
    f: &mut Frame,
    area: Rect,
    pane: &ClassifyPane,
    shared: &Shared,
    theme: &Theme,
    hits: &mut HitMap,
) {
    let rows = Layout::default()
        .direction(Direction::Vertical)
        .constraints([
            Constraint::Length(5),
            Constraint::Length(12),
            Constraint::Min(3),
        ])
        .split(area);
    draw_model(f, rows[0], pane, shared, theme);
    draw_result(f, rows[1], pane, theme);
    draw_history(f, rows[2], pane, theme, hits);
    if pane.browser.is_some() {
        draw_browser(f, area, pane, theme, hits);
    }
}

fn draw_model(f: &mut Frame, area: Rect, pane: &ClassifyPane, shared: &Shared, theme: &Theme) {
    let lab = pane;
    let sources = lab.model_sources(shared);
    let block = Block::default().borders(Borders::ALL).title(format!(
        "Model ({} available: models/ and finished experiments)",
        sources.len()
    ));
    let lines = match lab.model_source(shared) {
        None => vec![Line::from(Span::styled(
            "No model yet: finish a run in Train, or save one to models/ (e in Compare).",
            theme.dim(),
        ))],
        Some(src) => {
            let i = lab.model_index.min(sources.len().saturating_sub(1));
            let detail = match &src {
                ModelSource::Experiment(id) => shared
                    .run(*id)
                    .map(|r| {
                        format!(
                            "{} · {} · {} · CV UAR {:.3} (fitted on every clip on first use)",
                            r.model_label(),
                            r.preset,
                            r.spec.protocol,
                            r.scores.as_ref().map_or(0.0, |s| s.uar)
                        )
                    })
                    .unwrap_or_default(),
                ModelSource::File(p) => pane
                    .model_info
                    .iter()
                    .find(|(f, _)| f == p)
                    .map_or("a saved model (reading what it is …)".into(), |(_, i)| {
                        i.clone()
                    }),
            };
            vec![
                Line::from(vec![
                    Span::styled(format!("◂ {} ▸", src.label()), theme.key()),
                    Span::styled(format!("  {}/{}", i + 1, sources.len()), theme.dim()),
                ]),
                Line::from(Span::styled(detail, theme.dim())),
            ]
        }
    };
    let mut lines = lines;
    lines.push(Line::from(vec![
        Span::raw("speaker profile (p): "),
        Span::styled(
            lab.profile()
                .and_then(|p| p.file_stem())
                .map_or("none".to_string(), |n| n.to_string_lossy().to_string()),
            theme.key(),
        ),
        Span::styled(
            format!(
                "  ({} in profiles/; E enrols; one preset each)",
                lab.profiles.len()
            ),
            theme.dim(),
        ),
    ]));
    f.render_widget(Paragraph::new(lines).block(block), area);
}

/// The recording's length and level meter.
fn draw_level(f: &mut Frame, area: Rect, r: &super::classify::Recording, theme: &Theme) {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.error())
        .title(format!(
            "● recording — {} — r stops and classifies",
            r.device
        ));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let w = (inner.width as usize).saturating_sub(16).clamp(4, 60);
    // The meter in dBFS from -60 to 0, so speech moves it and silence does not.
    let db = 20.0 * f64::from(r.peak.max(1e-6)).log10();
    let level = ((db + 60.0) / 60.0).clamp(0.0, 1.0);
    f.render_widget(
        Paragraph::new(vec![
            Line::from(format!("{:5.1} s", r.seconds)),
            Line::from(vec![
                Span::raw("level "),
                Span::styled(bar(level, w), theme.ok()),
                Span::raw(format!(" {db:>4.0} dB")),
            ]),
        ]),
        inner,
    );
}

fn draw_result(f: &mut Frame, area: Rect, pane: &ClassifyPane, theme: &Theme) {
    let lab = pane;
    if let Some(r) = &pane.recording {
        return draw_level(f, area, r, theme);
    }
    let Some(h) = lab.history.get(lab.history_index) else {
        let msg = if lab.classifying {
            "classifying …"
        } else {
            "Classify a WAV: f opens a file browser, / takes a typed path (Tab completes). r records from the microphone."
        };
        f.render_widget(
            super::note(msg, theme).block(Block::default().borders(Borders::ALL).title("Result")),
            area,
        );
        return;
    };
    let title = format!(
        "{} — {}{}{}",
        h.file.file_name().map_or_else(
            || h.file.display().to_string(),
            |n| n.to_string_lossy().into()
        ),
        h.emotion,
        truth_of(&h.file),
        if lab.classifying {
            " · classifying another …"
        } else {
            ""
        }
    );
    let block = Block::default().borders(Borders::ALL).title(title);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let bar_w = (inner.width as usize).saturating_sub(20).clamp(4, 60);
    let mut lines: Vec<Line> = h
        .probabilities
        .iter()
        .map(|(e, p)| {
            let top = *e == h.emotion;
            let style = if top {
                theme.key()
            } else {
                ratatui::style::Style::default()
            };
            Line::from(vec![
                Span::styled(format!("{:<10}", e.name()), style),
                Span::styled(bar(*p, bar_w), if top { theme.key() } else { theme.ok() }),
                Span::styled(format!(" {p:.2}"), style),
            ])
        })
        .collect();
    lines.push(Line::from(Span::styled(
        format!(
            "model {} · speaker normalisation: {}",
            h.model, h.normalisation
        ),
        theme.dim(),
    )));
    f.render_widget(Paragraph::new(lines), inner);
}

/// For a file named like a RAVDESS clip: its true emotion, and a warning for song (the
/// models are trained on speech clips).
pub fn truth_of(file: &std::path::Path) -> String {
    let Ok(id) = crate::corpus::ClipId::from_path(file) else {
        return String::new();
    };
    let song = if id.channel == crate::corpus::VocalChannel::Song {
        " · a song clip: models here learn from speech"
    } else {
        ""
    };
    format!(" (true: {}){song}", id.emotion)
}

fn draw_history(f: &mut Frame, area: Rect, pane: &ClassifyPane, theme: &Theme, hits: &mut HitMap) {
    let lab = pane;
    let block = Block::default().borders(Borders::ALL).title(format!(
        "History ({}) — Enter opens in Inspect",
        lab.history.len()
    ));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let (first, rows) = super::visible(&lab.history, lab.history_index, inner.height.into());
    hits.list(inner, Surface::History, first, rows.len(), 1);
    let lines: Vec<Line> = rows
        .into_iter()
        .map(|(i, c)| {
            let p = c
                .probabilities
                .iter()
                .find(|(e, _)| *e == c.emotion)
                .map_or(0.0, |x| x.1);
            let text = format!(
                "{:<9} {p:.2}  {}  ({})",
                c.emotion.name(),
                c.file.display(),
                c.model
            );
            if i == lab.history_index {
                Line::from(Span::styled(text, theme.selected()))
            } else {
                Line::from(text)
            }
        })
        .collect();
    f.render_widget(Paragraph::new(lines), inner);
}

fn draw_browser(f: &mut Frame, area: Rect, pane: &ClassifyPane, theme: &Theme, hits: &mut HitMap) {
    let Some(b) = &pane.browser else {
        return;
    };
    let w = area.width.saturating_sub(8).min(70);
    let h = area.height.saturating_sub(2).min(20);
    let popup = Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    };
    f.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.key())
        .title(format!("{} — Enter opens, Esc closes", b.dir.display()));
    let inner = block.inner(popup);
    f.render_widget(block, popup);
    let (first, rows) = super::visible(&b.entries, b.index, inner.height.into());
    hits.list(inner, Surface::Browser, first, rows.len(), 1);
    let lines: Vec<Line> = rows
        .into_iter()
        .map(|(i, e)| {
            let style = if i == b.index {
                theme.selected()
            } else if e.ends_with('/') {
                theme.title()
            } else {
                ratatui::style::Style::default()
            };
            Line::from(Span::styled(e.clone(), style))
        })
        .collect();
    f.render_widget(Paragraph::new(lines), inner);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ravdess_name_gives_the_truth_and_song_is_flagged() {
        let t = |p: &str| truth_of(std::path::Path::new(p));
        assert_eq!(t("a/03-01-05-01-01-01-03.wav"), " (true: angry)");
        assert!(t("03-02-03-01-01-01-03.wav").contains("song"));
        assert_eq!(t("recordings/rec-1.wav"), "");
    }
}
