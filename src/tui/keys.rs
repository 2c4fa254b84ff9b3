//! Key bindings: one list per pane feeds the footer and the `?` help overlay, and
//! [`action_for`] maps terminal events to actions.

use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEventKind,
};

use super::app::{Action, App, Pane};

/// One line of help: the keys and what they do; `footer` is the short label of the main ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyHelp {
    pub keys: &'static str,
    pub what: &'static str,
    pub footer: Option<&'static str>,
}

const fn k(keys: &'static str, what: &'static str, footer: Option<&'static str>) -> KeyHelp {
    KeyHelp { keys, what, footer }
}

/// Keys that work everywhere.
pub const GLOBAL: &[KeyHelp] = &[
    k("q", "quit (asks while jobs run)", Some("quit")),
    k("?", "help", Some("help")),
    k(
        "1-6 Tab S-Tab",
        "switch pane (mouse: click tabs, grid cells, clips)",
        Some("panes"),
    ),
    k("w", "save session as sessions/NAME.ron (autosaves)", None),
    k("o", "open another corpus folder", None),
    k("Ctrl-C", "quit at once", None),
];

const CORPUS: &[KeyHelp] = &[
    k(
        "←↑↓→ hjkl",
        "move in the actor × emotion grid",
        Some("move"),
    ),
    k(
        "Enter",
        "list the cell's clips / inspect a clip",
        Some("open"),
    ),
    k("Esc", "back to the grid", None),
    k("PgUp PgDn Home End", "first / last actor or clip", None),
    k("s", "filter by sex (all → male → female)", Some("sex")),
    k("i", "filter by intensity", None),
    k(
        "t r c",
        "filter by statement, repetition, vocal channel",
        None,
    ),
    k("/", "filter clips by text", Some("search")),
    k("p", "show the scan's problems", Some("problems")),
];

const INSPECT: &[KeyHelp] = &[
    k(
        "v → ←",
        "next / previous view (spectrogram, mel, MFCC, chroma, pitch, features)",
        Some("view"),
    ),
    k(
        "b",
        "side by side with the neutral take",
        Some("side by side"),
    ),
    k("z", "features: raw → z vs corpus → z vs this emotion", None),
    k("Esc", "back to the corpus", Some("back")),
];

const LOG: &[KeyHelp] = &[k(
    "f",
    "level shown: error → warn → info → debug",
    Some("level"),
)];

const LATER: &[KeyHelp] = &[k("", "coming with the training issue", None)];

/// The keys of a pane.
pub fn pane_keys(pane: Pane) -> &'static [KeyHelp] {
    match pane {
        Pane::Corpus => CORPUS,
        Pane::Inspect => INSPECT,
        Pane::Log => LOG,
        Pane::Train | Pane::Compare | Pane::Classify => LATER,
    }
}

/// The action for a terminal event in the app's current state, if any.
pub fn action_for(app: &App, event: &Event) -> Option<Action> {
    match event {
        Event::Resize(..) => Some(Action::Resize),
        Event::Mouse(m) if matches!(m.kind, MouseEventKind::Down(MouseButton::Left)) => {
            Some(Action::Click {
                column: m.column,
                row: m.row,
            })
        }
        Event::Key(key) if key.kind != KeyEventKind::Release => key_action(app, key),
        _ => None,
    }
}

fn key_action(app: &App, key: &KeyEvent) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && matches!(key.code, KeyCode::Char('c')) {
        return Some(Action::ConfirmQuit);
    }
    if app.prompt.is_some() {
        return match key.code {
            KeyCode::Char(c) => Some(Action::SearchChar(c)),
            KeyCode::Backspace => Some(Action::SearchBackspace),
            KeyCode::Enter => Some(Action::SearchDone),
            KeyCode::Esc => Some(Action::InputCancel),
            _ => None,
        };
    }
    let a = match key.code {
        KeyCode::Char('q') => Action::Quit,
        KeyCode::Char('?') => Action::ToggleHelp,
        KeyCode::Tab => Action::NextPane,
        KeyCode::BackTab => Action::PrevPane,
        KeyCode::Char(c @ '1'..='6') => Action::Pane(Pane::ALL[(c as u8 - b'1') as usize]),
        KeyCode::Up | KeyCode::Char('k') => Action::Up,
        KeyCode::Down | KeyCode::Char('j') => Action::Down,
        KeyCode::Left | KeyCode::Char('h') => Action::Left,
        KeyCode::Right | KeyCode::Char('l') => Action::Right,
        KeyCode::PageUp => Action::PageUp,
        KeyCode::PageDown => Action::PageDown,
        KeyCode::Home => Action::Home,
        KeyCode::End => Action::End,
        KeyCode::Enter => Action::Enter,
        KeyCode::Esc => Action::Back,
        KeyCode::Char('s') => Action::CycleSex,
        KeyCode::Char('i') => Action::CycleIntensity,
        KeyCode::Char('t') => Action::CycleStatement,
        KeyCode::Char('r') => Action::CycleRepetition,
        KeyCode::Char('c') => Action::CycleChannel,
        KeyCode::Char('f') => Action::CycleLogLevel,
        KeyCode::Char('/') => Action::StartSearch,
        KeyCode::Char('p') => Action::ToggleProblems,
        KeyCode::Char('v') => Action::NextView,
        KeyCode::Char('z') => Action::CycleScale,
        KeyCode::Char('w') => Action::StartSaveAs,
        KeyCode::Char('o') => Action::StartOpen,
        KeyCode::Char('b') => Action::ToggleSideBySide,
        _ => return None,
    };
    Some(a)
}
