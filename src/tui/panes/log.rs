//! The Log pane: what the pipeline logs, via tui-logger.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Borders};
use tui_logger::{TuiLoggerWidget, TuiWidgetState};

use crate::tui::theme::Theme;

pub fn draw(f: &mut Frame, area: Rect, level: log::LevelFilter, theme: &Theme) {
    let state = TuiWidgetState::new().set_default_display_level(level);
    let w = TuiLoggerWidget::default()
        .state(&state)
        .block(
            Block::default()
                .borders(Borders::ALL)
                .title(format!("Log — showing {level} and above (f)")),
        )
        .style_error(theme.error())
        .style_warn(theme.key())
        .style_info(theme.ok())
        .output_timestamp(Some("%H:%M:%S".to_string()));
    f.render_widget(w, area);
}
