//! The `?` overlay: every key of the current pane, then the global ones — the same lists the
//! footer draws from.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::tui::app::App;
use crate::tui::keys::GLOBAL;
use crate::tui::theme::Theme;

pub fn draw(f: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let w = area.width.saturating_sub(4).min(76);
    let lines_needed = (app.keys().len() + GLOBAL.len() + 3) as u16;
    let h = lines_needed.min(area.height.saturating_sub(2));
    let r = Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    };
    let mut lines = Vec::new();
    for k in app
        .keys()
        .iter()
        .chain(std::iter::once(&crate::tui::keys::KeyHelp {
            keys: "",
            what: "",
            footer: None,
        }))
        .chain(GLOBAL)
    {
        if k.keys.is_empty() && k.what.is_empty() {
            lines.push(Line::from(Span::styled("everywhere", theme.title())));
            continue;
        }
        lines.push(Line::from(vec![
            Span::styled(format!("{:<20}", k.keys), theme.key()),
            Span::raw(k.what),
        ]));
    }
    f.render_widget(Clear, r);
    f.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::ALL)
                .title(format!("{} keys — ? or Esc to close", app.pane.title())),
        ),
        r,
    );
}
