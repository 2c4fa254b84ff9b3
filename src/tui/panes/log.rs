//! The Log pane: what the pipeline logs, via tui-logger.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Borders};
use tui_logger::TuiLoggerWidget;

use crate::tui::theme::Theme;

pub fn draw(f: &mut Frame, area: Rect, theme: &Theme) {
    let w = TuiLoggerWidget::default()
        .block(Block::default().borders(Borders::ALL).title("Log"))
        .style_error(theme.error())
        .style_warn(theme.key())
        .style_info(theme.ok())
        .output_timestamp(Some("%H:%M:%S".to_string()));
    f.render_widget(w, area);
}
