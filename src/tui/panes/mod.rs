//! One file per pane.

pub mod classify;
pub mod compare;
pub mod corpus;
pub mod help;
pub mod inspect;
pub mod log;
pub mod train;

/// The rows of a list that fit `height` lines with `selected` in view: (index, item) pairs,
/// scrolled just far enough that the selection is on the last line when it is below.
pub fn visible<T>(
    items: &[T],
    selected: usize,
    height: usize,
) -> impl Iterator<Item = (usize, &T)> {
    let first = selected.saturating_sub(height.saturating_sub(1));
    items.iter().enumerate().skip(first).take(height)
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
