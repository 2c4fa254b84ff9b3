//! Colours in one place: the terminal's colour depth, the UI palette and the heatmap colormap.

use ratatui::style::{Color, Modifier, Style};

/// How many colours the terminal shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorMode {
    /// 24-bit colour (`COLORTERM=truecolor|24bit`).
    TrueColor,
    /// The xterm 256-colour palette.
    Ansi256,
    /// The 16 basic colours.
    Ansi16,
    /// `NO_COLOR` is set: no colour at all; heatmaps use a character ramp.
    Mono,
}

impl ColorMode {
    /// From the environment: `NO_COLOR` (any value) → mono; `COLORTERM` truecolor/24bit →
    /// truecolor; a `TERM` containing 256color → 256; otherwise 16.
    pub fn detect() -> ColorMode {
        Self::from_env(
            std::env::var_os("NO_COLOR").is_some(),
            std::env::var("COLORTERM").ok().as_deref(),
            std::env::var("TERM").ok().as_deref(),
        )
    }

    pub fn from_env(no_color: bool, colorterm: Option<&str>, term: Option<&str>) -> ColorMode {
        if no_color {
            ColorMode::Mono
        } else if matches!(colorterm, Some("truecolor" | "24bit")) {
            ColorMode::TrueColor
        } else if term.is_some_and(|t| t.contains("256color")) {
            ColorMode::Ansi256
        } else {
            ColorMode::Ansi16
        }
    }
}

/// The UI palette for a colour mode.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Theme {
    pub mode: ColorMode,
}

impl Theme {
    pub fn new(mode: ColorMode) -> Self {
        Theme { mode }
    }

    fn color(&self, c: Color) -> Style {
        if self.mode == ColorMode::Mono {
            Style::default()
        } else {
            Style::default().fg(c)
        }
    }

    pub fn title(&self) -> Style {
        self.color(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    pub fn selected(&self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }
    pub fn dim(&self) -> Style {
        if self.mode == ColorMode::Mono {
            Style::default()
        } else {
            Style::default().fg(Color::DarkGray)
        }
    }
    pub fn key(&self) -> Style {
        self.color(Color::Yellow).add_modifier(Modifier::BOLD)
    }
    pub fn error(&self) -> Style {
        self.color(Color::Red).add_modifier(Modifier::BOLD)
    }
    pub fn ok(&self) -> Style {
        self.color(Color::Green)
    }

    /// The colour of a value in [0, 1] on the heatmap colormap (viridis), in this mode.
    pub fn heat(&self, v: f32) -> Color {
        let (r, g, b) = viridis(v);
        match self.mode {
            ColorMode::TrueColor => Color::Rgb(r, g, b),
            ColorMode::Ansi256 => Color::Indexed(rgb_to_256(r, g, b)),
            ColorMode::Ansi16 => {
                const RAMP: [Color; 6] = [
                    Color::Black,
                    Color::Blue,
                    Color::Cyan,
                    Color::Green,
                    Color::Yellow,
                    Color::White,
                ];
                RAMP[((v.clamp(0.0, 1.0) * 5.999) as usize).min(5)]
            }
            ColorMode::Mono => Color::Reset,
        }
    }
}

/// Characters of increasing density for heatmaps without colour.
pub const MONO_RAMP: &[char] = &[' ', '.', ':', '-', '=', '+', '*', '#', '%', '@'];

/// The viridis colormap (matplotlib), from 9 anchors, linearly interpolated.
pub fn viridis(v: f32) -> (u8, u8, u8) {
    const A: [(f32, f32, f32); 9] = [
        (68.0, 1.0, 84.0),
        (71.0, 44.0, 122.0),
        (59.0, 81.0, 139.0),
        (44.0, 113.0, 142.0),
        (33.0, 144.0, 141.0),
        (39.0, 173.0, 129.0),
        (92.0, 200.0, 99.0),
        (170.0, 220.0, 50.0),
        (253.0, 231.0, 37.0),
    ];
    let x = if v.is_finite() {
        v.clamp(0.0, 1.0) * 8.0
    } else {
        0.0
    };
    let i = (x.floor() as usize).min(7);
    let t = x - i as f32;
    let (a, b) = (A[i], A[i + 1]);
    let l = |p: f32, q: f32| (p + (q - p) * t).round() as u8;
    (l(a.0, b.0), l(a.1, b.1), l(a.2, b.2))
}

/// The nearest colour of the xterm 6×6×6 cube (indices 16–231).
pub fn rgb_to_256(r: u8, g: u8, b: u8) -> u8 {
    let q = |c: u8| -> u8 {
        // Cube levels 0, 95, 135, 175, 215, 255.
        if c < 48 {
            0
        } else if c < 115 {
            1
        } else {
            (c - 35) / 40
        }
    };
    16 + 36 * q(r) + 6 * q(g) + q(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_depth_from_the_environment() {
        assert_eq!(
            ColorMode::from_env(true, Some("truecolor"), None),
            ColorMode::Mono
        );
        assert_eq!(
            ColorMode::from_env(false, Some("24bit"), None),
            ColorMode::TrueColor
        );
        assert_eq!(
            ColorMode::from_env(false, None, Some("xterm-256color")),
            ColorMode::Ansi256
        );
        assert_eq!(
            ColorMode::from_env(false, None, Some("xterm")),
            ColorMode::Ansi16
        );
    }

    #[test]
    fn colormap_ends_and_cube() {
        assert_eq!(viridis(0.0), (68, 1, 84));
        assert_eq!(viridis(1.0), (253, 231, 37));
        assert_eq!(rgb_to_256(0, 0, 0), 16);
        assert_eq!(rgb_to_256(255, 255, 255), 231);
    }
}
