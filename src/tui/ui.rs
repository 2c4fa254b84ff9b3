//! `draw(&App)`: the tab bar, the current pane, the status line and the footer; the help
//! overlay on top. Reads state only.

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::app::{App, Pane};
use super::keys::GLOBAL;
use super::panes;
use super::theme::Theme;

/// Draws the whole screen; returns where each tab was drawn (for mouse clicks).
/// Where things were drawn, for the mouse.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Drawn {
    pub tabs: Vec<(Pane, u16, u16)>,
    pub pane: ratatui::layout::Rect,
}

pub fn draw(f: &mut Frame, app: &App, theme: &Theme) -> Drawn {
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
    let tabs = draw_tabs(f, rows[0], app, theme);
    match app.pane {
        Pane::Corpus => panes::corpus::draw(f, rows[1], app, theme),
        Pane::Inspect => panes::inspect::draw(f, rows[1], app, theme),
        Pane::Log => panes::log::draw(f, rows[1], app.log_level, theme),
        Pane::Train => panes::train::draw(f, rows[1], app, theme),
        Pane::Compare => panes::compare::draw(f, rows[1], app, theme),
        Pane::Classify => panes::classify::draw(f, rows[1], app, theme),
    }
    draw_status(f, rows[2], app, theme);
    draw_footer(f, rows[3], app, theme);
    if app.show_help {
        panes::help::draw(f, rows[1], app, theme);
    }
    Drawn {
        tabs,
        pane: rows[1],
    }
}

fn draw_tabs(f: &mut Frame, area: Rect, app: &App, theme: &Theme) -> Vec<(Pane, u16, u16)> {
    let mut spans = vec![Span::styled(" emoscope ", theme.title())];
    let mut x = area.x + 10;
    let mut where_ = Vec::new();
    for (i, p) in Pane::ALL.iter().enumerate() {
        let label = format!(" {} {} ", i + 1, p.title());
        let w = label.chars().count() as u16;
        where_.push((*p, x, x + w - 1));
        x += w;
        spans.push(if *p == app.pane {
            Span::styled(label, theme.selected())
        } else {
            Span::raw(label)
        });
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
    where_
}

fn draw_status(f: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let jobs = if app.jobs_running > 0 {
        format!(" ⟳ {} job(s)", app.jobs_running)
    } else {
        String::new()
    };
    // The corpus pane shows its own search line.
    let prompt = app
        .prompt
        .filter(|p| *p != super::app::Prompt::Search)
        .map(super::app::Prompt::label);
    if let Some(n) = &app.notice {
        f.render_widget(Paragraph::new(Span::styled(n.clone(), theme.error())), area);
        return;
    }
    if let Some(p) = prompt {
        f.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(p, theme.key()),
                Span::raw(format!("{}▏", app.prompt_text)),
            ])),
            area,
        );
        return;
    }
    let style = if app.error.is_some() || app.confirm_quit {
        theme.error()
    } else {
        theme.dim()
    };
    f.render_widget(
        Paragraph::new(Line::from(vec![Span::styled(
            format!("{}{jobs}", app.status),
            style,
        )])),
        area,
    );
}

fn draw_footer(f: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let mut spans = Vec::new();
    // Help first, so it survives a narrow terminal; then the pane's keys, then the rest.
    let (help, rest): (Vec<_>, Vec<_>) = GLOBAL.iter().partition(|k| k.keys == "?");
    for k in help.into_iter().chain(app.keys()).chain(rest) {
        if let Some(label) = k.footer {
            spans.push(Span::styled(k.keys, theme.key()));
            spans.push(Span::raw(format!(" {label}  ")));
        }
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}
