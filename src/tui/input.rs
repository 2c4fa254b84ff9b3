//! Text prompts: what each is for, and the line being typed with the usual editing keys
//! (←/→, Home/End, Backspace/Delete, Ctrl-U, Ctrl-W, Ctrl-A/Ctrl-E).

/// What a text prompt is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prompt {
    /// Typing filters the clip list live.
    Search,
    SaveAs,
    OpenCorpus,
    /// Train form fields typed as text.
    Grid,
    Select,
    Protocol,
    /// The Train form's cross-corpus test corpus (a folder; empty = none).
    TestCorpus,
    Seed,
    /// The file to save a run's final model to.
    ModelName(u32),
    /// A WAV file to classify.
    WavPath,
    /// The name of a speaker profile to enrol.
    ProfileName,
}

impl Prompt {
    /// The label before the typed text in the status line.
    pub fn label(self) -> &'static str {
        match self {
            Prompt::Search => "search: ",
            Prompt::SaveAs => "save session as (sessions/NAME.ron): ",
            Prompt::OpenCorpus => "open corpus folder: ",
            Prompt::Grid => "grid (key=v1,v2 …): ",
            Prompt::Select => "features kept (K, or K1,K2 to search; empty = all): ",
            Prompt::Protocol => {
                "protocol (actor-kfold:K, loso, holdout:21-24, random:0.2, kfold:K): "
            }
            Prompt::Seed => "training seed: ",
            Prompt::TestCorpus => "test corpus folder (cross-corpus; empty = none): ",
            Prompt::ModelName(_) => "save model as: ",
            Prompt::WavPath => "WAV to classify (Tab completes): ",
            Prompt::ProfileName => "enrol the history's clips as speaker: ",
        }
    }

    /// Whether Tab completes a file path here.
    pub fn completes_paths(self) -> bool {
        matches!(
            self,
            Prompt::WavPath | Prompt::OpenCorpus | Prompt::TestCorpus | Prompt::ModelName(_)
        )
    }
}

/// A key typed into a prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    Char(char),
    Backspace,
    Delete,
    Left,
    Right,
    Home,
    End,
    /// Ctrl-U: delete from the start of the line to the cursor.
    KillToStart,
    /// Ctrl-W: delete the word before the cursor.
    KillWord,
    /// Enter.
    Submit,
    /// Esc.
    Cancel,
    /// Tab.
    Complete,
}

/// A line of text with a cursor (a char index).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextInput {
    text: String,
    cursor: usize,
}

impl TextInput {
    /// A line holding `text`, the cursor at its end.
    pub fn new(text: impl Into<String>) -> TextInput {
        let text = text.into();
        let cursor = text.chars().count();
        TextInput { text, cursor }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// Replaces the whole line (a completion), the cursor at its end.
    pub fn set(&mut self, text: impl Into<String>) {
        *self = TextInput::new(text);
    }

    fn byte(&self, char_index: usize) -> usize {
        self.text
            .char_indices()
            .nth(char_index)
            .map_or(self.text.len(), |(b, _)| b)
    }

    /// Applies an editing key; returns whether the text changed. Submit, Cancel and Complete
    /// are the caller's.
    pub fn edit(&mut self, e: Edit) -> bool {
        let n = self.text.chars().count();
        match e {
            Edit::Char(c) => {
                let at = self.byte(self.cursor);
                self.text.insert(at, c);
                self.cursor += 1;
                true
            }
            Edit::Backspace if self.cursor > 0 => {
                let at = self.byte(self.cursor - 1);
                self.text.remove(at);
                self.cursor -= 1;
                true
            }
            Edit::Delete if self.cursor < n => {
                let at = self.byte(self.cursor);
                self.text.remove(at);
                true
            }
            Edit::Left => {
                self.cursor = self.cursor.saturating_sub(1);
                false
            }
            Edit::Right => {
                self.cursor = (self.cursor + 1).min(n);
                false
            }
            Edit::Home => {
                self.cursor = 0;
                false
            }
            Edit::End => {
                self.cursor = n;
                false
            }
            Edit::KillToStart => {
                let at = self.byte(self.cursor);
                self.text.replace_range(..at, "");
                self.cursor = 0;
                at > 0
            }
            Edit::KillWord => {
                let chars: Vec<char> = self.text.chars().collect();
                let mut start = self.cursor;
                while start > 0 && chars[start - 1].is_whitespace() {
                    start -= 1;
                }
                while start > 0 && !chars[start - 1].is_whitespace() {
                    start -= 1;
                }
                let (a, b) = (self.byte(start), self.byte(self.cursor));
                self.text.replace_range(a..b, "");
                self.cursor = start;
                a < b
            }
            _ => false,
        }
    }

    /// The text with a bar at the cursor, for drawing.
    pub fn with_cursor(&self) -> String {
        let at = self.byte(self.cursor);
        format!("{}▏{}", &self.text[..at], &self.text[at..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_editing_keys_work_like_a_shell() {
        let mut t = TextInput::new("random:0.2");
        t.edit(Edit::KillToStart);
        assert_eq!((t.text(), t.cursor()), ("", 0));
        for c in "loso kfold:5".chars() {
            t.edit(Edit::Char(c));
        }
        t.edit(Edit::KillWord);
        assert_eq!(t.text(), "loso ");
        t.edit(Edit::Home);
        t.edit(Edit::Char('x'));
        t.edit(Edit::End);
        t.edit(Edit::Backspace);
        assert_eq!(t.text(), "xloso");
        t.edit(Edit::Left);
        t.edit(Edit::Left);
        t.edit(Edit::Delete);
        assert_eq!(t.text(), "xloo");
        assert_eq!(t.with_cursor(), "xlo▏o");
        let mut u = TextInput::new("é ü");
        u.edit(Edit::Left);
        u.edit(Edit::Backspace);
        assert_eq!((u.text(), u.with_cursor().as_str()), ("éü", "é▏ü"));
    }
}
