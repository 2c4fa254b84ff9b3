//! One module per pane: its state, its key table (`KEYS`), its `update` (returning
//! [`crate::tui::msg::Effect`]s) and its `draw` (recording what the mouse can reach).
//! Corpus, Train and Classify keep their drawing in `*_draw.rs` beside them; the inspector's plots
//! are in `plots.rs`.

pub mod classify;
pub mod classify_draw;
pub mod compare;
pub mod corpus;
pub mod corpus_draw;
pub mod help;
pub mod inspect;
pub mod log;
pub mod plots;
pub mod train;
pub mod train_draw;
pub mod train_form;

/// The rows of a list that fit `height` lines with `selected` in view, scrolled just far
/// enough that the selection is on the last line when it is below: the first row shown and
/// the (index, item) pairs.
pub fn visible<T>(items: &[T], selected: usize, height: usize) -> (usize, Vec<(usize, &T)>) {
    let first = selected.saturating_sub(height.saturating_sub(1));
    (
        first,
        items.iter().enumerate().skip(first).take(height).collect(),
    )
}

/// A dim, word-wrapped message: what a pane shows when it has nothing to draw yet.
pub fn note<'a>(
    text: impl Into<ratatui::text::Text<'a>>,
    theme: &super::theme::Theme,
) -> ratatui::widgets::Paragraph<'a> {
    ratatui::widgets::Paragraph::new(text)
        .style(theme.dim())
        .wrap(ratatui::widgets::Wrap { trim: true })
}
