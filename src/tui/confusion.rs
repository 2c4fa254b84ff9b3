//! A confusion matrix as a character table: class names on both axes, counts or row
//! percentages in cells coloured by the row-normalised value, and an optional per-class
//! column (recall, or an F1 bar). Cells widen with the space available.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::corpus::Emotion;
use crate::ml::metrics::{Confusion, Scores};

use super::theme::{ColorMode, Theme};

/// What the column right of the matrix shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extra {
    None,
    /// Each class's recall (the diagonal of the row-normalised matrix).
    Recall,
    /// Each class's F1 as a bar with its value.
    F1Bar,
}

/// How to draw a matrix.
#[derive(Debug, Clone, Copy)]
pub struct MatrixLook {
    /// Row percentages instead of counts.
    pub normalised: bool,
    /// The highlighted (true, predicted) cell.
    pub cursor: Option<(usize, usize)>,
    pub extra: Extra,
}

/// A bar of `width` cells for `v` in [0, 1], in eighths.
pub fn bar(v: f64, width: usize) -> String {
    const EIGHTHS: [char; 8] = ['▏', '▎', '▍', '▌', '▋', '▊', '▉', '█'];
    let units = (v.clamp(0.0, 1.0) * (width * 8) as f64).round() as usize;
    let mut s: String = std::iter::repeat_n('█', units / 8).collect();
    if !units.is_multiple_of(8) {
        s.push(EIGHTHS[units % 8 - 1]);
    }
    let n = s.chars().count();
    s.extend(std::iter::repeat_n(' ', width.saturating_sub(n)));
    s
}

/// Draws the matrix (rows = true class, columns = predicted) into `area`.
pub fn draw(
    f: &mut Frame,
    area: Rect,
    c: &Confusion,
    classes: &[Emotion],
    scores: Option<&Scores>,
    look: MatrixLook,
    theme: &Theme,
) {
    let n = c.n.min(classes.len());
    if n == 0 || area.height == 0 {
        return;
    }
    let label_w = 4usize;
    let avail = area.width as usize;
    let extra_w: usize = match look.extra {
        Extra::None => 0,
        Extra::Recall => 8,
        // " " + bar + " " + "0.52": the bar takes what the cells leave, 3 to 11 cells.
        Extra::F1Bar => avail.saturating_sub(label_w + 3 * n).clamp(9, 17),
    };
    let cell_w = ((area.width as usize).saturating_sub(label_w + extra_w) / n).clamp(3, 6);
    let norm = c.row_normalised();
    let mut lines = Vec::with_capacity(n + 1);
    // Row percentages say so in the corner.
    let corner = if look.normalised { "t\\p%" } else { "t\\p" };
    let mut header = vec![Span::styled(format!("{corner:<label_w$}"), theme.dim())];
    for e in &classes[..n] {
        // Three-letter names need a four-cell column to stay apart; narrower gets two.
        let name = if cell_w > 3 {
            e.short()
        } else {
            &e.short()[..2]
        };
        header.push(Span::styled(format!("{name:>cell_w$}"), theme.title()));
    }
    header.push(Span::styled(
        match look.extra {
            Extra::None => String::new(),
            Extra::Recall => "  recall".into(),
            Extra::F1Bar => "  F1".into(),
        },
        theme.dim(),
    ));
    lines.push(Line::from(header));
    for t in 0..n {
        let mut spans = vec![Span::styled(
            format!("{:<label_w$}", classes[t].short()),
            theme.title(),
        )];
        for p in 0..n {
            let v = norm[t * c.n + p];
            let text = cell_text(c, v, t, p, look.normalised);
            let mut style = cell_style(v, t == p, theme);
            if look.cursor == Some((t, p)) {
                style = style.add_modifier(Modifier::REVERSED | Modifier::BOLD);
            }
            spans.push(Span::styled(format!("{text:>cell_w$}"), style));
        }
        match (look.extra, scores.and_then(|s| s.per_class.get(t))) {
            (Extra::Recall, Some(cs)) => spans.push(Span::raw(format!("  {:>6.3}", cs.recall))),
            (Extra::F1Bar, Some(cs)) => {
                spans.push(Span::raw(" "));
                spans.push(Span::styled(bar(cs.f1, extra_w - 6), theme.ok()));
                spans.push(Span::raw(format!(" {:.2}", cs.f1)))
            }
            _ => {}
        }
        lines.push(Line::from(spans));
    }
    f.render_widget(Paragraph::new(lines), area);
}

/// A cell's count, or its row percentage; "·" for none.
fn cell_text(c: &Confusion, share: f64, t: usize, p: usize, normalised: bool) -> String {
    match (c.get(t, p), normalised) {
        (0, _) => "·".to_string(),
        (_, true) => ((share * 100.0).round() as u64).to_string(),
        (n, false) => n.to_string(),
    }
}

/// A cell coloured by its row share; in monochrome the diagonal is bold.
fn cell_style(v: f64, diagonal: bool, theme: &Theme) -> Style {
    if theme.mode == ColorMode::Mono {
        return if diagonal {
            Style::default().add_modifier(Modifier::BOLD)
        } else {
            Style::default()
        };
    }
    let v = v as f32;
    let fg = if v > 0.55 { Color::Black } else { Color::White };
    Style::default().bg(theme.heat(v)).fg(fg)
}

#[cfg(test)]
mod tests {
    use super::bar;

    #[test]
    fn bars_fill_in_eighths() {
        assert_eq!(bar(0.0, 4), "    ");
        assert_eq!(bar(1.0, 4), "████");
        assert_eq!(bar(0.5, 4), "██  ");
        assert_eq!(bar(1.0 / 32.0, 4), "▏   ");
        assert_eq!(bar(2.0, 2), "██");
    }
}
