//! The inspector's character plots of one clip: the braille waveform, half-block heatmaps
//! with axes, the pitch track and the feature bars.

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, Paragraph};

use crate::features::inspect::ClipAnalysis;
use crate::features::stats::FeatureStats;
use crate::tui::heatmap::Heatmap;
use crate::tui::theme::Theme;

/// What the inspector shows under the waveform.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InspectView {
    Spectrogram,
    Mel,
    Mfcc,
    Chroma,
    Pitch,
    Features,
}

impl InspectView {
    pub const ALL: [InspectView; 6] = [
        InspectView::Spectrogram,
        InspectView::Mel,
        InspectView::Mfcc,
        InspectView::Chroma,
        InspectView::Pitch,
        InspectView::Features,
    ];

    pub fn title(self) -> &'static str {
        match self {
            InspectView::Spectrogram => "spectrogram",
            InspectView::Mel => "mel",
            InspectView::Mfcc => "MFCC",
            InspectView::Chroma => "chroma",
            InspectView::Pitch => "pitch",
            InspectView::Features => "features",
        }
    }

    pub fn step(self, forward: bool) -> InspectView {
        let n = InspectView::ALL.len();
        let i = InspectView::ALL
            .iter()
            .position(|&v| v == self)
            .unwrap_or(0);
        InspectView::ALL[if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        }]
    }
}

/// How the Features view shows values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeatureScale {
    Raw,
    /// z-score against the corpus mean and std.
    ZCorpus,
    /// z-score against the mean and std of the clip's own emotion.
    ZEmotion,
}

/// A frequency for the 6-column axis: "24kHz", "2.1kHz", "500Hz", "0 Hz".
fn format_hz(hz: f64) -> String {
    if hz >= 9950.0 {
        format!("{:.0}kHz", hz / 1000.0)
    } else if hz >= 1000.0 {
        format!("{:.1}kHz", hz / 1000.0)
    } else if hz > 0.0 {
        format!("{hz:.0}Hz")
    } else {
        "0 Hz".into()
    }
}

/// The bottom line of a heatmap: time at both ends and, between them, the colour scale from
/// `lo` to `hi` in `unit` (a dB bar for spectrogram and mel).
fn scale_line(
    width: usize,
    duration: f64,
    (lo, hi): (f32, f32),
    unit: &str,
    theme: &Theme,
) -> Line<'static> {
    let end = format!("{duration:.1} s");
    let (left, right) = (format!("{lo:.0}"), format!("{hi:.0} {unit}"));
    let steps = 10usize;
    let room = width.saturating_sub(3 + end.len() + left.len() + right.len() + 4);
    if room < steps {
        return Line::from(format!("0 s{end:>w$}", w = width.saturating_sub(3)));
    }
    let pad = room - steps;
    let mut spans = vec![Span::styled(
        format!("0 s{}", " ".repeat(pad / 2 + 1)),
        theme.dim(),
    )];
    spans.push(Span::styled(format!("{left} "), theme.dim()));
    for i in 0..steps {
        let v = (i as f32 + 0.5) / steps as f32;
        spans.push(if theme.mode == crate::tui::theme::ColorMode::Mono {
            let ramp = crate::tui::theme::MONO_RAMP;
            let c = ramp[((v * (ramp.len() as f32 - 0.001)) as usize).min(ramp.len() - 1)];
            Span::raw(c.to_string())
        } else {
            Span::styled(" ", Style::default().bg(theme.heat(v)))
        });
    }
    spans.push(Span::styled(format!(" {right}"), theme.dim()));
    spans.push(Span::styled(
        format!("{}{end}", " ".repeat(pad - pad / 2 + 1)),
        theme.dim(),
    ));
    Line::from(spans)
}

/// The waveform's min/max envelope, with a cursor where playback is.
pub fn waveform(f: &mut Frame, area: Rect, v: &ClipAnalysis, cursor: Option<f64>, theme: &Theme) {
    let n = v.envelope.len().max(1) as f64;
    let peak = v
        .envelope
        .iter()
        .map(|(a, b)| a.abs().max(b.abs()))
        .fold(1e-6f32, f32::max) as f64;
    let at = |i: usize, y: f32| (i as f64 / n * v.duration, f64::from(y) / peak);
    let hi: Vec<(f64, f64)> = v
        .envelope
        .iter()
        .enumerate()
        .map(|(i, (_, b))| at(i, *b))
        .collect();
    let lo: Vec<(f64, f64)> = v
        .envelope
        .iter()
        .enumerate()
        .map(|(i, (a, _))| at(i, *a))
        .collect();
    let style = if theme.mode == crate::tui::theme::ColorMode::Mono {
        Style::default()
    } else {
        theme.ok()
    };
    // While the clip plays, a vertical line marks the position.
    let line: Vec<(f64, f64)> = cursor
        .map(|t| vec![(t, -1.0), (t, 1.0)])
        .unwrap_or_default();
    let braille = |data, style| {
        Dataset::default()
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(style)
            .data(data)
    };
    let mut data = vec![braille(&hi, style), braille(&lo, style)];
    if !line.is_empty() {
        data.push(braille(&line, theme.key()));
    }
    let chart = Chart::new(data)
        .x_axis(Axis::default().bounds([0.0, v.duration]))
        .y_axis(Axis::default().bounds([-1.0, 1.0]));
    f.render_widget(chart, area);
}

/// A time × bins matrix as a heatmap with its axis labels (top, middle, bottom).
pub fn heat(f: &mut Frame, area: Rect, v: &ClipAnalysis, view: InspectView, theme: &Theme) {
    let top = format_hz(v.spec_max_hz);
    let mid = format_hz(v.spec_max_hz / 2.0);
    // The mel bands reach half the sample rate; the axis is even in mels, so its middle row
    // is the mel midpoint, not half of the top.
    let nyquist = f64::from(v.sample_rate) / 2.0;
    let mel_top = format_hz(nyquist);
    let mel = crate::features::mel::hz_to_mel(nyquist);
    let mel_mid = format_hz(crate::features::mel::mel_to_hz(mel / 2.0));
    let top_mfcc = format!("c{}", v.n_mfcc.saturating_sub(1));
    let (values, height, labels, range, unit): (&[f32], usize, [&str; 3], (f32, f32), &str) =
        match view {
            InspectView::Spectrogram => (
                &v.spec_db,
                v.spec_bins,
                [&top, &mid, "0 Hz"],
                (-80.0, 0.0),
                "dB",
            ),
            InspectView::Mel => (
                &v.mel_db,
                v.n_mels,
                [&mel_top, &mel_mid, "0 Hz"],
                (-80.0, 0.0),
                "dB",
            ),
            InspectView::Mfcc => (&v.mfcc, v.n_mfcc, [&top_mfcc, "", "c0"], (-60.0, 60.0), ""),
            _ => (&v.chroma, 12, ["B", "F#", "C"], (0.0, 1.0), "(share)"),
        };
    if area.width < 8 || area.height < 3 {
        return;
    }
    let cols = Layout::default()
        .direction(Direction::Horizontal)
        .constraints([Constraint::Length(6), Constraint::Min(1)])
        .split(area);
    let rows = Layout::default()
        .direction(Direction::Vertical)
        .constraints([Constraint::Min(1), Constraint::Length(1)])
        .split(cols[1]);
    let h = rows[0].height as usize;
    let mut axis = vec![Line::from(""); h];
    if h > 0 {
        axis[0] = Line::from(labels[0].to_string());
        axis[h / 2] = Line::from(labels[1].to_string());
        axis[h - 1] = Line::from(labels[2].to_string());
    }
    f.render_widget(
        Paragraph::new(axis).style(theme.dim()),
        Rect {
            height: rows[0].height,
            ..cols[0]
        },
    );
    let width = values.len() / height.max(1);
    // dB views: an 80 dB range anchored at the clip's maximum.
    let (lo, hi) = if range == (-80.0, 0.0) {
        let max = values.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        (max - 80.0, max)
    } else {
        range
    };
    f.render_widget(
        Heatmap {
            values,
            width,
            height,
            lo,
            hi,
            theme: *theme,
        },
        rows[0],
    );
    let scale = scale_line(rows[1].width as usize, v.duration, (lo, hi), unit, theme);
    f.render_widget(Paragraph::new(scale).style(theme.dim()), rows[1]);
}

/// The F0 axis for these clips together: 10 % beyond their lowest and highest voiced frame
/// (50–500 Hz when none is voiced), so clips side by side are drawn to one scale.
pub fn pitch_range(clips: &[&ClipAnalysis]) -> (f64, f64) {
    let (lo, hi) = clips
        .iter()
        .flat_map(|v| v.f0.iter().flatten())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &hz| {
            (a.min(hz), b.max(hz))
        });
    if lo.is_finite() {
        ((lo * 0.9).floor(), (hi * 1.1).ceil())
    } else {
        (50.0, 500.0)
    }
}

/// The pYIN track on the F0 axis `(lo, hi)`.
pub fn pitch(f: &mut Frame, area: Rect, v: &ClipAnalysis, (lo, hi): (f64, f64), theme: &Theme) {
    let hop = v.duration / v.f0.len().max(1) as f64;
    let pts: Vec<(f64, f64)> =
        v.f0.iter()
            .enumerate()
            .filter_map(|(i, f0)| f0.map(|hz| (i as f64 * hop, hz)))
            .collect();
    let data = vec![
        Dataset::default()
            .name("F0 (pYIN)")
            .marker(Marker::Braille)
            .graph_type(GraphType::Scatter)
            .style(theme.key())
            .data(&pts),
    ];
    let chart = Chart::new(data)
        .x_axis(Axis::default().bounds([0.0, v.duration]).labels(vec![
            Span::raw("0 s"),
            Span::raw(format!("{:.1} s", v.duration)),
        ]))
        .y_axis(Axis::default().bounds([lo, hi]).labels(vec![
            Span::raw(format!("{lo:.0}")),
            Span::raw(format!("{hi:.0} Hz")),
        ]));
    f.render_widget(chart, area);
}

/// The statistics z-scores are taken against, when asked for and available.
pub fn reference<'a>(
    scale: FeatureScale,
    stats: Option<&'a FeatureStats>,
    v: &ClipAnalysis,
) -> Option<(&'static str, &'a Vec<(f32, f32)>)> {
    match (scale, stats) {
        (FeatureScale::ZCorpus, Some(s)) => Some(("z vs corpus", &s.corpus)),
        (FeatureScale::ZEmotion, Some(s)) => {
            v.id.and_then(|id| s.by_emotion.get(&id.emotion))
                .map(|r| ("z vs this emotion", r))
        }
        _ => None,
    }
}

/// Every feature of the vector as a bar (raw, or a z-score clipped to ±3), from line
/// `offset` on; the heading says which lines are shown.
pub fn features(
    f: &mut Frame,
    area: Rect,
    v: &ClipAnalysis,
    reference: Option<(&str, &Vec<(f32, f32)>)>,
    heading: String,
    offset: usize,
    theme: &Theme,
) {
    let width = area.width.saturating_sub(28) as f32;
    let value = |k: usize, x: f32| match reference {
        Some((_, r)) => r.get(k).map_or(0.0, |&(m, s)| {
            if s > 0.0 {
                ((x - m) / s).clamp(-3.0, 3.0)
            } else {
                0.0
            }
        }),
        None => x,
    };
    // Raw values are scaled within their group (MFCCs and chroma differ by orders).
    let group = |name: &str| name.split('_').next().unwrap_or("").to_string();
    let mut max_of = std::collections::HashMap::<String, f32>::new();
    for (name, x) in &v.features {
        let m = max_of.entry(group(name)).or_insert(1e-9);
        *m = m.max(x.abs());
    }
    let lines: Vec<Line> = v
        .features
        .iter()
        .enumerate()
        .map(|(k, (name, x))| {
            let y = value(k, *x);
            let max = if reference.is_some() {
                3.0
            } else {
                max_of[&group(name)]
            };
            let len = ((y.abs() / max) * width.max(1.0) * 0.5) as usize;
            let bar: String = std::iter::repeat_n(if y < 0.0 { '▒' } else { '█' }, len).collect();
            Line::from(vec![
                Span::styled(format!("{name:<16}"), theme.dim()),
                Span::raw(format!("{y:>9.3} ")),
                Span::raw(bar),
            ])
        })
        .collect();
    let room = (area.height as usize).saturating_sub(1).max(1);
    let first = offset.min(lines.len().saturating_sub(room));
    let last = (first + room).min(lines.len());
    let head = format!(
        "{heading} · {}–{} of {} (↑↓ scroll)",
        first + 1,
        last,
        lines.len()
    );
    let mut shown = vec![Line::from(Span::styled(head, theme.title()))];
    shown.extend(lines.into_iter().skip(first).take(room));
    f.render_widget(Paragraph::new(shown), area);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_f0(f0: Vec<Option<f64>>) -> ClipAnalysis {
        ClipAnalysis {
            id: None,
            sample_rate: 48_000,
            duration: 1.0,
            envelope: Vec::new(),
            n_frames: f0.len(),
            spec_db: Vec::new(),
            spec_bins: 0,
            spec_max_hz: 5000.0,
            mel_db: Vec::new(),
            n_mels: 0,
            mfcc: Vec::new(),
            n_mfcc: 0,
            chroma: Vec::new(),
            f0,
            features: Vec::new(),
        }
    }

    #[test]
    fn axis_frequencies_carry_their_unit_in_six_columns() {
        for (hz, want) in [
            (24_000.0, "24kHz"),
            (8_000.0, "8.0kHz"),
            (2_871.0, "2.9kHz"),
            (500.0, "500Hz"),
            (0.0, "0 Hz"),
        ] {
            assert_eq!(format_hz(hz), want);
            assert!(want.len() <= 6);
        }
    }

    #[test]
    fn clips_side_by_side_share_one_pitch_axis() {
        let angry = with_f0(vec![Some(200.0), None, Some(247.0)]);
        let neutral = with_f0(vec![Some(110.0), Some(164.0)]);
        // Both clips together: 10 % beyond the lowest and the highest voiced frame of either.
        assert_eq!(pitch_range(&[&angry, &neutral]), (99.0, 272.0));
        assert_eq!(pitch_range(&[&neutral]), (99.0, 181.0));
        assert_eq!(pitch_range(&[&with_f0(vec![None])]), (50.0, 500.0));
    }
}
