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
    /// The largest value over the cells a pixel covers (x over [x0, x1), y over [y0, y1),
    /// fractions of the width and height), normalised — max-pooling keeps narrow features
    /// such as harmonics visible when many cells share a pixel.
    fn sample(&self, x0: f32, x1: f32, y0: f32, y1: f32) -> f32 {
        if self.width == 0 || self.height == 0 {
            return 0.0;
        }
        let span = |a: f32, b: f32, n: usize| {
            let lo = ((a * n as f32) as usize).min(n - 1);
            let hi = ((b * n as f32).ceil() as usize).clamp(lo + 1, n);
            (lo, hi)
        };
        let (t0, t1) = span(x0, x1, self.width);
        let (k0, k1) = span(y0, y1, self.height);
        let mut v = f32::NEG_INFINITY;
        for t in t0..t1 {
            for &x in &self.values[t * self.height + k0..t * self.height + k1] {
                v = v.max(x);
            }
        }
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
                let (x0, x1) = (col as f32 / w as f32, (col + 1) as f32 / w as f32);
                // Two pixels per cell; pixel rows counted from the bottom.
                let top_px = 2 * (h - 1 - row) + 1;
                let px = |p: usize| (p as f32 / (2 * h) as f32, (p + 1) as f32 / (2 * h) as f32);
                let (u0, u1) = px(top_px);
                let (l0, l1) = px(top_px - 1);
                let upper = self.sample(x0, x1, u0, u1);
                let lower = self.sample(x0, x1, l0, l1);
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
