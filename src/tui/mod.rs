//! The terminal UI: a thin shell over the library, in the Elm style — terminal events become
//! [`msg::Action`]s through the key tables ([`keys`]), [`app::App`] routes each to the pane
//! in front, which returns [`msg::Effect`]s; background work leaves as [`msg::Command`]s for
//! the [`executor::Executor`] and comes back on a channel as [`msg::AppEvent`]s;
//! [`ui::draw`] renders the state and records where things landed for the mouse
//! ([`hits`]). Each pane is a module of [`panes`] with its state, keys, update and draw.

pub mod abort;
pub mod app;
pub mod confusion;
pub mod event_loop;
pub mod executor;
pub mod heatmap;
pub mod hits;
pub mod input;
pub mod jobs;
pub mod keys;
pub mod msg;
pub mod panes;
pub mod paths;
pub mod runs;
pub mod session_state;
pub mod shared;
pub mod tabs;
pub mod theme;
pub mod ui;
pub mod work;

use std::path::PathBuf;

use anyhow::Result;
use ratatui::crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use ratatui::crossterm::execute;

use crate::audio::LoadOptions;
use crate::corpus::CorpusSpec;
pub use event_loop::{AUTOSAVE, HISTORY, initial_app};
pub use executor::Executor;
use theme::{ColorMode, Theme};
pub use work::clip_view;

/// Sends log records to the Log pane's buffer (tui-logger's `Drain`). `tui_logger::init_logger`
/// would do the same but also start a thread that wakes every 10 ms to move records along —
/// most of an idle TUI's CPU; the event loop moves them itself after each batch of events.
struct ToLogPane;

impl log::Log for ToLogPane {
    fn enabled(&self, m: &log::Metadata) -> bool {
        m.level() <= log::Level::Debug
    }

    fn log(&self, record: &log::Record) {
        if self.enabled(record.metadata()) {
            tui_logger::Drain::new().log(record);
        }
    }

    fn flush(&self) {}
}

static TO_LOG_PANE: ToLogPane = ToLogPane;

/// Starts the TUI on `spec` (or a saved session); returns when the user quits. The terminal
/// is restored on quit, on error and on panic (ratatui's panic hook restores it before the
/// message prints). The session autosaves on change and on quit.
pub fn run(spec: CorpusSpec, load: LoadOptions, session: Option<PathBuf>) -> Result<()> {
    libsvm_rs::set_quiet(true);
    if log::set_logger(&TO_LOG_PANE).is_ok() {
        log::set_max_level(log::LevelFilter::Debug);
    }
    tui_logger::set_default_level(log::LevelFilter::Info);
    let theme = Theme::new(ColorMode::detect());
    // Before raw mode: what an abort (no panic hook runs) restores.
    abort::install();
    let mut terminal = ratatui::try_init()?;
    let _ = execute!(std::io::stdout(), EnableMouseCapture);
    // ratatui's hook leaves raw mode and the alternate screen; mouse capture is ours to undo,
    // before that hook restores the rest and the panic message prints.
    let restore = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(std::io::stdout(), DisableMouseCapture);
        crate::audio::quiet::restore();
        restore(info);
    }));
    // Anything written to stderr while the TUI runs (alsa-lib's complaints when a sound
    // device is missing) goes to the Log pane instead of over the screen.
    let quiet = crate::audio::quiet::StderrToLog::start();
    let result = event_loop::event_loop(&mut terminal, spec, session.as_deref(), &load, theme);
    drop(quiet);
    let _ = execute!(std::io::stdout(), DisableMouseCapture);
    ratatui::restore();
    result
}
