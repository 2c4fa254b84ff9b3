//! Key tables: each pane lists its keys once — key, action, help text, footer label — and
//! dispatch, the footer and the `?` overlay all read those lists, so they cannot drift
//! (gitui's components expose their commands the same way).

use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEventKind,
};

use super::input::Edit;
use super::msg::{Action, Pane};

/// What a binding does with the key that matched it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Act {
    Do(Action),
    /// Navigation keys as themselves: arrows and hjkl as directions, PgUp/PgDn/Home/End.
    Move,
    /// 1-6: the pane of that number.
    PaneDigit,
}

/// One line of a key table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Binding {
    pub keys: &'static [KeyCode],
    /// With Ctrl held.
    pub ctrl: bool,
    pub act: Act,
    /// What it does, for the `?` overlay.
    pub help: &'static str,
    /// The footer's short label, for the main keys.
    pub footer: Option<&'static str>,
}

/// A binding (building the tables reads like the help they become).
pub const fn bind(
    keys: &'static [KeyCode],
    action: Action,
    help: &'static str,
    footer: Option<&'static str>,
) -> Binding {
    Binding {
        keys,
        ctrl: false,
        act: Act::Do(action),
        help,
        footer,
    }
}

/// A binding of navigation keys (arrows, hjkl, PgUp/PgDn/Home/End), each its own action.
pub const fn moves(
    keys: &'static [KeyCode],
    help: &'static str,
    footer: Option<&'static str>,
) -> Binding {
    Binding {
        keys,
        ctrl: false,
        act: Act::Move,
        help,
        footer,
    }
}

use KeyCode::{BackTab, Char, Down, End, Enter, Esc, Home, Left, PageDown, PageUp, Right, Tab, Up};

/// The arrows and hjkl.
pub const ARROWS_HJKL: &[KeyCode] = &[
    Left,
    Up,
    Down,
    Right,
    Char('h'),
    Char('j'),
    Char('k'),
    Char('l'),
];
/// ↑↓ and jk.
pub const UP_DOWN: &[KeyCode] = &[Up, Down, Char('j'), Char('k')];
/// ←→ and hl.
pub const LEFT_RIGHT: &[KeyCode] = &[Left, Right, Char('h'), Char('l')];
pub const ENTER: &[KeyCode] = &[Enter];
pub const ESC: &[KeyCode] = &[Esc];
pub const SPACE: &[KeyCode] = &[Char(' ')];
pub const PAGES: &[KeyCode] = &[PageUp, PageDown, Home, End];

/// Keys that work in every pane (after the pane's own).
pub const GLOBAL: &[Binding] = &[
    bind(
        &[Char('q')],
        Action::Quit,
        "quit (asks while jobs run)",
        Some("quit"),
    ),
    bind(&[Char('?')], Action::ToggleHelp, "help", Some("help")),
    Binding {
        keys: &[
            Char('1'),
            Char('2'),
            Char('3'),
            Char('4'),
            Char('5'),
            Char('6'),
        ],
        ctrl: false,
        act: Act::PaneDigit,
        help: "switch to pane N (mouse: click the tabs)",
        footer: Some("panes"),
    },
    bind(&[Tab], Action::NextPane, "next pane", None),
    bind(&[BackTab], Action::PrevPane, "previous pane", None),
    bind(
        &[Char('w')],
        Action::StartSaveAs,
        "save session as sessions/NAME.ron (it also autosaves)",
        None,
    ),
    bind(
        &[Char('o')],
        Action::StartOpen,
        "open another corpus folder",
        None,
    ),
    bind(
        &[Char('O')],
        Action::ReopenPrevious,
        "reopen the last session (kept in sessions/history/ when this window started)",
        None,
    ),
    Binding {
        keys: &[Char('c')],
        ctrl: true,
        act: Act::Do(Action::ConfirmQuit),
        help: "quit at once",
        footer: None,
    },
];

const fn edit(keys: &'static [KeyCode], ctrl: bool, e: Edit, help: &'static str) -> Binding {
    let footer = match e {
        Edit::Submit => Some("apply"),
        Edit::Cancel => Some("cancel"),
        Edit::Complete => Some("complete"),
        Edit::KillToStart => Some("clear"),
        _ => None,
    };
    Binding {
        keys,
        ctrl,
        act: Act::Do(Action::Edit(e)),
        help,
        footer,
    }
}

/// Keys of a text prompt; any other printable key is typed.
pub const PROMPT: &[Binding] = &[
    edit(&[Enter], false, Edit::Submit, "apply"),
    edit(&[Esc], false, Edit::Cancel, "cancel"),
    edit(
        &[Tab],
        false,
        Edit::Complete,
        "complete a path (lists the matches)",
    ),
    edit(&[Left], false, Edit::Left, "cursor left"),
    edit(&[Right], false, Edit::Right, "cursor right"),
    edit(&[Home], false, Edit::Home, "start of the line"),
    edit(&[End], false, Edit::End, "end of the line"),
    edit(&[Char('a')], true, Edit::Home, "start of the line"),
    edit(&[Char('e')], true, Edit::End, "end of the line"),
    edit(&[KeyCode::Backspace], false, Edit::Backspace, "delete back"),
    edit(&[KeyCode::Delete], false, Edit::Delete, "delete forward"),
    edit(&[Char('u')], true, Edit::KillToStart, "delete to the start"),
    edit(&[Char('w')], true, Edit::KillWord, "delete the word before"),
];

/// How a key is written in help and the footer.
fn key_name(k: KeyCode) -> String {
    match k {
        Up => "↑".into(),
        Down => "↓".into(),
        Left => "←".into(),
        Right => "→".into(),
        Char(' ') => "Space".into(),
        Char(c) => c.to_string(),
        Enter => "Enter".into(),
        Esc => "Esc".into(),
        Tab => "Tab".into(),
        BackTab => "S-Tab".into(),
        PageUp => "PgUp".into(),
        PageDown => "PgDn".into(),
        Home => "Home".into(),
        End => "End".into(),
        KeyCode::Backspace => "Bksp".into(),
        KeyCode::Delete => "Del".into(),
        other => format!("{other:?}"),
    }
}

impl Binding {
    /// The keys as help shows them: "←↑↓→ hjkl", "1-6", "Ctrl-U", "PgUp PgDn Home End".
    pub fn shown(&self) -> String {
        let names: Vec<String> = self.keys.iter().map(|&k| key_name(k)).collect();
        let class = |s: &str| {
            let mut c = s.chars();
            match (c.next(), c.next()) {
                (Some(ch), None) if ch.is_ascii_digit() => 1,
                (Some(ch), None) if ch.is_alphanumeric() || ch.is_ascii_punctuation() => 2,
                (Some(_), None) => 3,
                _ => 0,
            }
        };
        let mut out = String::new();
        let mut i = 0;
        while i < names.len() {
            let c = class(&names[i]);
            let mut j = i + 1;
            while c != 0 && j < names.len() && class(&names[j]) == c {
                j += 1;
            }
            if !out.is_empty() {
                out.push(' ');
            }
            if self.ctrl {
                out.push_str("Ctrl-");
            }
            if c == 1 && j - i > 2 {
                out.push_str(&format!("{}-{}", names[i], names[j - 1]));
            } else {
                let group: Vec<&str> = names[i..j].iter().map(String::as_str).collect();
                let joined = group.concat();
                out.push_str(&if self.ctrl {
                    joined.to_uppercase()
                } else {
                    joined
                });
            }
            i = j;
        }
        out
    }

    /// The action for `code` if this binding has it.
    fn resolve(&self, code: KeyCode, ctrl: bool) -> Option<Action> {
        if ctrl != self.ctrl || !self.keys.contains(&code) {
            return None;
        }
        Some(match self.act {
            Act::Do(a) => a,
            Act::Move => match code {
                Up | Char('k') => Action::Up,
                Down | Char('j') => Action::Down,
                Left | Char('h') => Action::Left,
                Right | Char('l') => Action::Right,
                PageUp => Action::PageUp,
                PageDown => Action::PageDown,
                Home => Action::Home,
                End => Action::End,
                _ => return None,
            },
            Act::PaneDigit => match code {
                Char(c @ '1'..='6') => Action::Pane(Pane::ALL[usize::from(c as u8 - b'1')]),
                _ => return None,
            },
        })
    }
}

/// The action of a key under these tables (first match wins); `typing` makes any other
/// printable key a typed character.
pub fn key_action(tables: &[&[Binding]], key: &KeyEvent, typing: bool) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if let Some(a) = tables
        .iter()
        .flat_map(|t| t.iter())
        .find_map(|b| b.resolve(key.code, ctrl))
    {
        return Some(a);
    }
    match key.code {
        Char(c) if typing && !ctrl => Some(Action::Edit(Edit::Char(c))),
        _ => None,
    }
}

/// The action for a terminal event: keys through `tables`, the mouse as clicks and wheel.
pub fn action_for(tables: &[&[Binding]], event: &Event, typing: bool) -> Option<Action> {
    match event {
        Event::Resize(..) => Some(Action::Resize),
        Event::Mouse(m) => match m.kind {
            MouseEventKind::Down(MouseButton::Left) => Some(Action::Click {
                column: m.column,
                row: m.row,
            }),
            MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => Some(Action::Wheel {
                column: m.column,
                row: m.row,
                down: m.kind == MouseEventKind::ScrollDown,
            }),
            _ => None,
        },
        Event::Key(key) if key.kind != KeyEventKind::Release => key_action(tables, key, typing),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_shown_as_they_are_bound() {
        assert_eq!(moves(ARROWS_HJKL, "", None).shown(), "←↑↓→ hjkl");
        assert_eq!(GLOBAL[2].shown(), "1-6");
        assert_eq!(PROMPT[11].shown(), "Ctrl-U");
        assert_eq!(moves(PAGES, "", None).shown(), "PgUp PgDn Home End");
        assert_eq!(bind(SPACE, Action::Play, "", None).shown(), "Space");
    }

    #[test]
    fn the_first_table_wins_and_ctrl_is_told_apart() {
        let pane: &[Binding] = &[bind(&[Char('w')], Action::Sort, "", None)];
        let k = |c, m| KeyEvent::new(c, m);
        let tables = [pane, GLOBAL];
        assert_eq!(
            key_action(&tables, &k(Char('w'), KeyModifiers::NONE), false),
            Some(Action::Sort)
        );
        assert_eq!(
            key_action(&tables, &k(Char('c'), KeyModifiers::CONTROL), false),
            Some(Action::ConfirmQuit)
        );
        assert_eq!(
            key_action(&tables, &k(Char('3'), KeyModifiers::NONE), false),
            Some(Action::Pane(Pane::Train))
        );
        assert_eq!(
            key_action(&[PROMPT], &k(Char('u'), KeyModifiers::CONTROL), true),
            Some(Action::Edit(Edit::KillToStart))
        );
        assert_eq!(
            key_action(&[PROMPT], &k(Char('u'), KeyModifiers::NONE), true),
            Some(Action::Edit(Edit::Char('u')))
        );
        assert_eq!(
            key_action(&[GLOBAL], &k(Char('z'), KeyModifiers::NONE), false),
            None
        );
    }
}
