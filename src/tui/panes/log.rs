//! The Log pane: what the pipeline logs, via tui-logger.

use ratatui::Frame;
use ratatui::crossterm::event::KeyCode::Char;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Borders};
use tui_logger::{TuiLoggerWidget, TuiWidgetState};

use crate::tui::keys::{Binding, bind};
use crate::tui::msg::Action;
use crate::tui::theme::Theme;

pub const KEYS: &[Binding] = &[bind(
    &[Char('f')],
    Action::CycleLogLevel,
    "level shown: error → warn → info → debug",
    Some("level"),
)];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogPane {
    /// The most detailed level shown.
    pub level: log::LevelFilter,
}

impl Default for LogPane {
    fn default() -> Self {
        LogPane {
            level: log::LevelFilter::Info,
        }
    }
}

impl LogPane {
    pub fn update(&mut self, action: Action) {
        use log::LevelFilter::*;
        if action == Action::CycleLogLevel {
            self.level = match self.level {
                Error => Warn,
                Warn => Info,
                Info => Debug,
                Debug | Trace | Off => Error,
            };
        }
    }
}

pub fn draw(f: &mut Frame, area: Rect, pane: &LogPane, theme: &Theme) {
    let state = TuiWidgetState::new().set_default_display_level(pane.level);
    let w = TuiLoggerWidget::default()
        .state(&state)
        .block(
            Block::default()
                .borders(Borders::ALL)
                .title(format!("Log — showing {} and above (f)", pane.level)),
        )
        .style_error(theme.error())
        .style_warn(theme.key())
        .style_info(theme.ok())
        .output_timestamp(Some("%H:%M:%S".to_string()));
    f.render_widget(w, area);
}
