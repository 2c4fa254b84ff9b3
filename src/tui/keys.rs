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
    k("Space", "play / stop the selected clip", None),
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
    k(
        "Space",
        "play / stop the clip (a cursor follows on the waveform)",
        Some("play"),
    ),
    k("Esc", "back to the corpus", Some("back")),
];

const LOG: &[KeyHelp] = &[k(
    "f",
    "level shown: error → warn → info → debug",
    Some("level"),
)];

const TRAIN: &[KeyHelp] = &[
    k(
        "↑↓ ←→",
        "form: field / change value · matrix: move between cells",
        Some("move"),
    ),
    k(
        "Enter",
        "edit a text field / start the run · open a run's matrix · list a cell's clips · inspect a clip",
        Some("start/open"),
    ),
    k("Esc", "back: clips → matrix → runs → form", Some("back")),
    k("x", "cancel the selected run", Some("cancel")),
    k(
        "R",
        "run the selected experiment again (e.g. an interrupted one)",
        Some("re-run"),
    ),
    k("m", "matrix: counts ↔ row-normalised", Some("counts/%")),
    k("n", "back to the form for a new run", None),
    k("e", "save the selected run's final model to models/", None),
    k("Space", "play / stop the selected clip", None),
];

const COMPARE: &[KeyHelp] = &[
    k("↑↓", "select an experiment", Some("move")),
    k(
        "Space",
        "pick it for the side by side (two at a time)",
        Some("pick"),
    ),
    k(
        "s S",
        "sort by the next column / reverse the order",
        Some("sort"),
    ),
    k("Enter", "open the experiment in Train", None),
    k("e", "save its final model to models/", Some("save model")),
    k("R", "run it again", None),
];

const CLASSIFY: &[KeyHelp] = &[
    k(
        "m ←→",
        "next / previous model (models/ and finished experiments)",
        Some("model"),
    ),
    k("f", "pick a WAV in a file browser", Some("browse")),
    k("/", "type a WAV's path (Tab completes)", Some("path")),
    k(
        "↑↓ Enter",
        "history: select / open in Inspect",
        Some("history"),
    ),
    k(
        "r",
        "record from the microphone / stop and classify",
        Some("record"),
    ),
    k(
        "p",
        "speaker profile for per-speaker-normalised models (none → profiles/)",
        None,
    ),
    k(
        "E",
        "enrol the speaker of the history's clips as a profile",
        None,
    ),
    k("Space", "play / stop the selected clip", None),
];

/// The keys of a pane.
pub fn pane_keys(pane: Pane) -> &'static [KeyHelp] {
    match pane {
        Pane::Corpus => CORPUS,
        Pane::Inspect => INSPECT,
        Pane::Log => LOG,
        Pane::Train => TRAIN,
        Pane::Compare => COMPARE,
        Pane::Classify => CLASSIFY,
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
            KeyCode::Tab => Some(Action::Complete),
            _ => None,
        };
    }
    // Letters that mean something else in one pane.
    let pane_specific = match (app.pane, key.code) {
        (Pane::Train, KeyCode::Char('x')) => Some(Action::CancelRun),
        (Pane::Train | Pane::Compare, KeyCode::Char('R')) => Some(Action::Rerun),
        (Pane::Train, KeyCode::Char('m')) => Some(Action::ToggleNormalised),
        (Pane::Train, KeyCode::Char('n')) => Some(Action::NewRun),
        (Pane::Train | Pane::Compare, KeyCode::Char('e')) => Some(Action::ExportModel),
        (Pane::Compare, KeyCode::Char('s')) => Some(Action::Sort),
        (Pane::Compare, KeyCode::Char('S')) => Some(Action::ReverseSort),
        (Pane::Compare, KeyCode::Char(' ')) => Some(Action::Pick),
        (Pane::Classify, KeyCode::Char('m')) => Some(Action::NextModel),
        (Pane::Classify, KeyCode::Char('f')) => Some(Action::Browse),
        (Pane::Classify, KeyCode::Char('r')) => Some(Action::Record),
        (Pane::Classify, KeyCode::Char('p')) => Some(Action::CycleProfile),
        (Pane::Classify, KeyCode::Char('E')) => Some(Action::Enrol),
        (_, KeyCode::Char(' ')) => Some(Action::Play),
        _ => None,
    };
    if pane_specific.is_some() {
        return pane_specific;
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
