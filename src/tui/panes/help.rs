//! The `?` overlay: every key of the current pane, then the global ones — the same tables
//! dispatch and the footer read. As wide as the terminal allows, lines wrapped, not cut.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::tui::keys::{Binding, GLOBAL, PROMPT};
use crate::tui::theme::Theme;

/// Width of the keys column.
const KEYS_W: usize = 20;

pub fn draw(f: &mut Frame, area: Rect, title: &str, keys: &[Binding], theme: &Theme) {
    let w = area.width.saturating_sub(4).min(110);
    let row = |b: &Binding| {
        Line::from(vec![
            Span::styled(format!("{:<KEYS_W$}", b.shown()), theme.key()),
            Span::raw(b.help),
        ])
    };
    let heading = |t: &'static str| Line::from(Span::styled(t, theme.title()));
    let mut lines: Vec<Line> = keys.iter().map(row).collect();
    lines.push(heading("everywhere"));
    lines.extend(GLOBAL.iter().map(row));
    lines.push(heading("in text fields"));
    let editing: Vec<String> = PROMPT.iter().map(Binding::shown).collect();
    lines.push(Line::from(Span::raw(editing.join(" "))));
    lines.push(Line::from(Span::styled(
        "mouse: click tabs, grid cells and rows; the wheel scrolls lists and the feature view",
        theme.dim(),
    )));
    // Wrapped lines need more rows than lines: count them at this width.
    let inner_w = usize::from(w.saturating_sub(2)).max(1);
    let rows: usize = lines
        .iter()
        .map(|l| l.width().max(1).div_ceil(inner_w))
        .sum();
    let h = (rows as u16 + 2).min(area.height.saturating_sub(1));
    let r = Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    };
    f.render_widget(Clear, r);
    f.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::default()
                .borders(Borders::ALL)
                .title(format!("{title} keys — ? or Esc to close")),
        ),
        r,
    );
}
