//! The panes, as the tab bar lists them.

/// The panes, in tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pane {
    Corpus,
    Inspect,
    Train,
    Compare,
    Classify,
    Log,
}

impl Pane {
    pub const ALL: [Pane; 6] = [
        Pane::Corpus,
        Pane::Inspect,
        Pane::Train,
        Pane::Compare,
        Pane::Classify,
        Pane::Log,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Pane::Corpus => "Corpus",
            Pane::Inspect => "Inspect",
            Pane::Train => "Train",
            Pane::Compare => "Compare",
            Pane::Classify => "Classify",
            Pane::Log => "Log",
        }
    }

    pub fn index(self) -> usize {
        Pane::ALL.iter().position(|&p| p == self).unwrap_or(0)
    }

    /// The pane `step` tabs away (wrapping).
    pub fn step(self, step: isize) -> Pane {
        let n = Pane::ALL.len() as isize;
        Pane::ALL[(self.index() as isize + step).rem_euclid(n) as usize]
    }
}
