//! Sample-rate conversion with rubato's synchronous FFT resampler.
//!
//! A whole clip is converted in one call (`process_all`), which trims the resampler's delay, so
//! the output is aligned with the input and `ceil(len · to / from)` samples long.

use audioadapter_buffers::direct::InterleavedSlice;
use rubato::{Fft, FixedSync, Resampler};

use super::AudioErrorKind;

/// Frames per FFT chunk. 1024 keeps the delay short and the quality high (rubato's
/// BlackmanHarris2 anti-aliasing window).
const CHUNK: usize = 1024;

/// Resamples mono `samples` from `from` Hz to `to` Hz.
pub fn resample(samples: &[f32], from: u32, to: u32) -> Result<Vec<f32>, AudioErrorKind> {
    if from == to || samples.is_empty() {
        return Ok(samples.to_vec());
    }
    let err = |e: &dyn std::fmt::Display| AudioErrorKind::Resample(e.to_string());
    let mut r = Fft::<f32>::new(from as usize, to as usize, CHUNK, 1, FixedSync::Both)
        .map_err(|e| err(&e))?;
    let input = InterleavedSlice::new(samples, 1, samples.len()).map_err(|e| err(&e))?;
    let out = r
        .process_all(&input, samples.len(), None)
        .map_err(|e| err(&e))?;
    Ok(out.take_data())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sine(freq: f32, rate: u32, secs: f32) -> Vec<f32> {
        let n = (rate as f32 * secs) as usize;
        (0..n)
            .map(|i| (2.0 * std::f32::consts::PI * freq * i as f32 / rate as f32).sin() * 0.5)
            .collect()
    }

    /// Least-squares fit of `a·sin + b·cos` at `freq`; returns (amplitude, residual RMS).
    fn fit_sine(y: &[f32], freq: f32, rate: u32) -> (f32, f32) {
        let w = 2.0 * std::f64::consts::PI * f64::from(freq) / f64::from(rate);
        let (mut ss, mut cc, mut sc, mut ys, mut yc) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for (i, &v) in y.iter().enumerate() {
            let (s, c) = ((w * i as f64).sin(), (w * i as f64).cos());
            ss += s * s;
            cc += c * c;
            sc += s * c;
            ys += f64::from(v) * s;
            yc += f64::from(v) * c;
        }
        let det = ss * cc - sc * sc;
        let a = (ys * cc - yc * sc) / det;
        let b = (yc * ss - ys * sc) / det;
        let res: f64 = y
            .iter()
            .enumerate()
            .map(|(i, &v)| {
                let fit = a * (w * i as f64).sin() + b * (w * i as f64).cos();
                (f64::from(v) - fit).powi(2)
            })
            .sum::<f64>()
            / y.len() as f64;
        ((a * a + b * b).sqrt() as f32, res.sqrt() as f32)
    }

    #[test]
    fn a_sine_keeps_its_frequency_and_level() {
        let x = sine(440.0, 44100, 1.0);
        let y = resample(&x, 44100, 16000).unwrap();
        assert!((y.len() as i64 - 16000).abs() <= 1, "len {}", y.len());
        // Away from the edges, the output is a 440 Hz sine of the same amplitude.
        let (amp, residual) = fit_sine(&y[2000..14000], 440.0, 16000);
        assert!((amp - 0.5).abs() < 0.005, "amplitude {amp}");
        assert!(residual < 1e-3, "residual {residual}");
    }

    #[test]
    fn content_above_the_new_nyquist_is_removed() {
        let x = sine(10000.0, 48000, 0.5);
        let y = resample(&x, 48000, 16000).unwrap();
        let rms = (y[1000..7000].iter().map(|v| v * v).sum::<f32>() / 6000.0).sqrt();
        assert!(rms < 1e-3, "alias rms {rms}");
    }
}
