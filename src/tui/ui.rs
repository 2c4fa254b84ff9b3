//! `draw(&App)`: the tab bar, the pane in front, the status line and the footer; the help
//! overlay on top. Reads state only; returns where things were drawn, for the mouse.

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::app::App;
use super::hits::{HitMap, Target};
use super::input::Prompt;
use super::keys::Binding;
use super::msg::Pane;
use super::panes;
use super::theme::Theme;

/// The spinner's frames (it turns only while jobs run).
const SPINNER: [char; 8] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧'];

/// Draws the whole screen; returns where clickable things landed.
pub fn draw(f: &mut Frame, app: &App, theme: &Theme) -> HitMap {
    let mut hits = HitMap::default();
    let area = f.area();
    let rows = Layout::default()
        .direction(Direction::Vertical)
        .constraints([
            Constraint::Length(1),
            Constraint::Min(3),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .split(area);
    let s = &app.shared;
    let h = &mut hits;
    match app.pane {
        Pane::Corpus => {
            let searching = matches!(app.prompt, Some((Prompt::Search, _)));
            panes::corpus_draw::draw(f, rows[1], &app.corpus, s, searching, theme, h)
        }
        Pane::Inspect => panes::inspect::draw(f, rows[1], &app.inspect, s, theme, h),
        Pane::Train => panes::train_draw::draw(f, rows[1], &app.train, s, theme, h),
        Pane::Compare => panes::compare::draw(f, rows[1], &app.compare, s, theme, h),
        Pane::Classify => panes::classify_draw::draw(f, rows[1], &app.classify, s, theme, h),
        Pane::Log => panes::log::draw(f, rows[1], &app.log, theme),
    }
    draw_tabs(f, rows[0], app, theme, h);
    draw_status(f, rows[2], app, theme);
    draw_footer(f, rows[3], app, theme);
    if app.show_help {
        let keys = app.tables().first().copied().unwrap_or_default();
        panes::help::draw(f, rows[1], app.pane.title(), keys, theme);
    }
    hits
}

fn draw_tabs(f: &mut Frame, area: Rect, app: &App, theme: &Theme, hits: &mut HitMap) {
    let title = " emoscope ";
    let mut spans = vec![Span::styled(title, theme.title())];
    let mut x = area.x + title.chars().count() as u16;
    for (i, p) in Pane::ALL.iter().enumerate() {
        let label = format!(" {} {} ", i + 1, p.title());
        let w = label.chars().count() as u16;
        hits.add(
            Rect::new(x, area.y, w, 1).intersection(area),
            Target::Tab(*p),
        );
        x += w;
        spans.push(if *p == app.pane {
            Span::styled(label, theme.selected())
        } else {
            Span::raw(label)
        });
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn draw_status(f: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    if let Some((prompt, input)) = &app.prompt {
        // The search types into the corpus grid's title.
        if *prompt != Prompt::Search {
            f.render_widget(
                Paragraph::new(Line::from(vec![
                    Span::styled(prompt.label(), theme.key()),
                    Span::raw(input.with_cursor()),
                ])),
                area,
            );
        }
    } else {
        let n = app.shared.jobs.count();
        let jobs = if n > 0 {
            let spin = SPINNER[(app.tick % SPINNER.len() as u64) as usize];
            let eta = app.shared.jobs.eta(std::time::Instant::now());
            format!(" {spin} {n} job(s){eta}")
        } else {
            String::new()
        };
        let style = if app.shared.corpus_error.is_some() || app.confirm_quit {
            theme.error()
        } else {
            theme.dim()
        };
        let text = format!("{}{jobs}", app.status);
        let w = usize::from(area.width);
        if text.chars().count() <= w {
            f.render_widget(Paragraph::new(Span::styled(text, style)), area);
        } else if app.status != app.status_at_key {
            // New since the last key: all of it, growing upwards over the pane.
            draw_wrapped_up(f, area, &text, style);
        } else {
            let cut: String = text.chars().take(w.saturating_sub(1)).collect();
            f.render_widget(Paragraph::new(Span::styled(cut + "…", style)), area);
        }
    }
    if let Some(n) = &app.notice {
        // Above the prompt line while one is typed (a completion's list), else over the status.
        let anchor = match app.prompt {
            Some(_) if area.y > 0 => Rect {
                y: area.y - 1,
                ..area
            },
            _ => area,
        };
        draw_notice(f, anchor, n, theme);
    }
}

/// A notice over the status line, growing upwards to show all of it (wrapped, not cut).
fn draw_notice(f: &mut Frame, status: Rect, text: &str, theme: &Theme) {
    draw_wrapped_up(f, status, text, theme.error());
}

/// `text` over the status line, wrapped and growing upwards (at most 6 lines).
fn draw_wrapped_up(f: &mut Frame, status: Rect, text: &str, style: Style) {
    let w = usize::from(status.width.max(1));
    let lines = crate::util::wrapped_lines(text, w).clamp(1, 6) as u16;
    let up = (lines - 1).min(status.y);
    let r = Rect {
        y: status.y - up,
        height: up + 1,
        ..status
    };
    f.render_widget(Clear, r);
    f.render_widget(
        Paragraph::new(text.to_string())
            .style(style)
            .wrap(Wrap { trim: true }),
        r,
    );
}

fn draw_footer(f: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let tables = app.tables();
    // Help first, so it survives a narrow terminal; then the pane's keys, then the rest.
    let all = tables.iter().flat_map(|t| t.iter());
    let (help, rest): (Vec<&Binding>, Vec<&Binding>) = all.partition(|b| b.footer == Some("help"));
    let mut spans = Vec::new();
    for b in help.into_iter().chain(rest) {
        if let Some(label) = b.footer {
            spans.push(Span::styled(b.shown(), theme.key()));
            spans.push(Span::raw(format!(" {label}  ")));
        }
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}
