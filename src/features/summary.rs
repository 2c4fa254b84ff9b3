//! Functionals: frame series → named numbers.
//!
//! Every dimension has a stable, readable name: `<series>_<functional>`, e.g. `mfcc_mean_03`,
//! `f0_semitone_p50`, `loudness_rising_slope`.

/// Appends named values to a vector.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Named {
    pub names: Vec<String>,
    pub values: Vec<f32>,
}

impl Named {
    pub fn push(&mut self, name: impl Into<String>, value: f64) {
        self.names.push(name.into());
        self.values
            .push(if value.is_finite() { value as f32 } else { 0.0 });
    }
}

/// Arithmetic mean; 0 for an empty series.
pub fn mean(x: &[f64]) -> f64 {
    if x.is_empty() {
        0.0
    } else {
        x.iter().sum::<f64>() / x.len() as f64
    }
}

/// Population standard deviation (numpy's default, ddof 0); 0 for an empty series.
pub fn std(x: &[f64]) -> f64 {
    if x.is_empty() {
        return 0.0;
    }
    let m = mean(x);
    (x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / x.len() as f64).sqrt()
}

/// Percentile with linear interpolation (numpy's default); 0 for an empty series.
pub fn percentile(x: &[f64], p: f64) -> f64 {
    if x.is_empty() {
        return 0.0;
    }
    let mut s = x.to_vec();
    s.sort_by(f64::total_cmp);
    let pos = p / 100.0 * (s.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    s[lo] + (s[hi] - s[lo]) * (pos - lo as f64)
}

/// Mean of the positive and of the negative frame-to-frame slopes (units per second) over
/// consecutive frames that are both present (`None` breaks the contour).
pub fn slopes(x: &[Option<f64>], frame_seconds: f64) -> (f64, f64) {
    let (mut up, mut down) = (Vec::new(), Vec::new());
    for w in x.windows(2) {
        if let (Some(a), Some(b)) = (w[0], w[1]) {
            let s = (b - a) / frame_seconds;
            if s > 0.0 {
                up.push(s);
            } else if s < 0.0 {
                down.push(s);
            }
        }
    }
    (mean(&up), mean(&down))
}

/// Mean and standard deviation, as `<name>_mean` and `<name>_std`.
pub fn mean_std(out: &mut Named, name: &str, x: &[f64]) {
    out.push(format!("{name}_mean"), mean(x));
    out.push(format!("{name}_std"), std(x));
}

/// The prosodic functionals of a contour: mean, std, 20th/50th/80th percentiles, the
/// 20–80 range, and the mean rising and falling slopes.
pub fn contour(out: &mut Named, name: &str, x: &[Option<f64>], frame_seconds: f64) {
    let present: Vec<f64> = x.iter().flatten().copied().collect();
    mean_std(out, name, &present);
    let (p20, p50, p80) = (
        percentile(&present, 20.0),
        percentile(&present, 50.0),
        percentile(&present, 80.0),
    );
    out.push(format!("{name}_p20"), p20);
    out.push(format!("{name}_p50"), p50);
    out.push(format!("{name}_p80"), p80);
    out.push(format!("{name}_range"), p80 - p20);
    let (up, down) = slopes(x, frame_seconds);
    out.push(format!("{name}_rising_slope"), up);
    out.push(format!("{name}_falling_slope"), down);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_interpolate_like_numpy() {
        let x = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(percentile(&x, 50.0), 2.5);
        assert!((percentile(&x, 20.0) - 1.6).abs() < 1e-12);
        assert_eq!(std(&[2.0, 4.0]), 1.0);
    }

    #[test]
    fn slopes_skip_gaps() {
        let x = [Some(0.0), Some(1.0), None, Some(5.0), Some(3.0)];
        assert_eq!(slopes(&x, 0.5), (2.0, -4.0));
    }
}
