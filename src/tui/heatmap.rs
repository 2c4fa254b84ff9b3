//! A heatmap drawn with half-block cells: each terminal cell shows two pixels stacked
//! vertically ('▀' with the upper pixel as foreground and the lower as background). Without
//! colour, each cell is one character of a density ramp.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::Widget;

use super::theme::{ColorMode, MONO_RAMP, Theme};

/// A matrix to draw: `values[t * height + k]`, `t` along x (time), `k` along y (low at the
/// bottom), normalised to [0, 1] between `lo` and `hi`.
pub struct Heatmap<'a> {
    pub values: &'a [f32],
    pub width: usize,
    pub height: usize,
    pub lo: f32,
    pub hi: f32,
    pub theme: Theme,
}

impl Heatmap<'_> {
    /// The value at fractional position (x ∈ [0,1) across, y ∈ [0,1) up), by nearest cell.
    fn sample(&self, x: f32, y: f32) -> f32 {
        if self.width == 0 || self.height == 0 {
            return 0.0;
        }
        let t = ((x * self.width as f32) as usize).min(self.width - 1);
        let k = ((y * self.height as f32) as usize).min(self.height - 1);
        let v = self.values[t * self.height + k];
        ((v - self.lo) / (self.hi - self.lo).max(1e-9)).clamp(0.0, 1.0)
    }
}

impl Widget for Heatmap<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let (w, h) = (area.width as usize, area.height as usize);
        if w == 0 || h == 0 {
            return;
        }
        for row in 0..h {
            for col in 0..w {
                let x = (col as f32 + 0.5) / w as f32;
                // Two pixels per cell; pixel rows counted from the bottom.
                let top_px = 2 * (h - 1 - row) + 1;
                let upper = self.sample(x, (top_px as f32 + 0.5) / (2 * h) as f32);
                let lower = self.sample(x, ((top_px - 1) as f32 + 0.5) / (2 * h) as f32);
                let Some(cell) = buf.cell_mut((area.x + col as u16, area.y + row as u16)) else {
                    continue;
                };
                if self.theme.mode == ColorMode::Mono {
                    let v = 0.5 * (upper + lower);
                    let i =
                        ((v * (MONO_RAMP.len() as f32 - 0.001)) as usize).min(MONO_RAMP.len() - 1);
                    cell.set_char(MONO_RAMP[i]).set_style(Style::default());
                } else {
                    cell.set_char('▀').set_style(
                        Style::default()
                            .fg(self.theme.heat(upper))
                            .bg(self.theme.heat(lower)),
                    );
                }
            }
        }
    }
}
