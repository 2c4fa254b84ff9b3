//! Unit tests of `features::simd`.

#[test]
fn decibels_agree_with_libm() {
    let xs: Vec<f32> = (0..20000)
        .map(|i| 10f32.powf(-12.0 + i as f32 * 0.0007) * (1.0 + (i % 7) as f32 * 0.01))
        .chain([1.0, 2.0, 0.5, 1e-10, 3.0e38, f32::MIN_POSITIVE])
        .collect();
    let mut out = vec![0f32; xs.len()];
    super::decibels(&xs, 1e-10, &mut out);
    for (&x, &o) in xs.iter().zip(&out) {
        let want = (10.0 * f64::from(x.max(1e-10)).log10()) as f32;
        let ulp = (want.to_bits() as i64 - o.to_bits() as i64).abs();
        assert!(ulp <= 1, "{x}: {o} vs {want}");
    }
}

use super::*;
use realfft::num_complex::Complex;

#[test]
fn filters_on_avx2_equal_the_baseline_bit_for_bit() {
    for (sr, n_fft) in [(48000.0, 2048), (16000.0, 512), (22050.0, 1024)] {
        let fb = crate::features::mel::mel_filterbank(sr, n_fft, 128, 0.0, sr / 2.0);
        let n_bins = n_fft / 2 + 1;
        let frames = 5;
        let mag: Vec<f32> = (0..frames * n_bins)
            .map(|i| ((i * 7919 % 1013) as f32 * 0.37).sin().abs() * 10.0)
            .collect();
        let bands = fb.blocks();
        let mut fast = vec![0f32; frames * bands.len()];
        let mut base = vec![0f32; frames * bands.len()];
        filter_power_frames(bands, &mag, n_bins, &mut fast);
        filter_power_frames_baseline(bands, &mag, n_bins, &mut base);
        assert!(
            fast.iter()
                .zip(&base)
                .all(|(a, b)| a.to_bits() == b.to_bits())
        );
        assert!(fast.iter().any(|&v| v > 0.0));
    }
}

#[test]
fn all_zero_treats_negative_zero_as_zero_and_nan_as_not() {
    for len in [0usize, 5, 64, 130, 2048] {
        let mut x = vec![0f32; len];
        assert!(all_zero(&x));
        for i in (0..len).step_by(7) {
            x[i] = -0.0;
            assert!(all_zero(&x));
        }
        for bad in [1e-30f32, -3.0, f32::NAN] {
            for i in [0, len / 2, len.saturating_sub(1)] {
                if len > 0 {
                    let mut y = x.clone();
                    y[i] = bad;
                    assert!(!all_zero(&y), "len {len} at {i}: {bad}");
                }
            }
        }
    }
}

#[test]
fn threshold_peaks_mark_the_local_maxima_above_the_reference() {
    for len in [3usize, 10, 66, 130, 200] {
        // A bumpy band with plateaus (equal neighbours) and values under the reference.
        let x: Vec<f32> = (0..len).map(|i| ((i * 37 % 11) / 2) as f32).collect();
        for (reference, open_end) in [(0.5f32, false), (2.5, true)] {
            let mut m = vec![0f32; if open_end { len + 1 } else { len }];
            if open_end {
                m[len] = f32::NEG_INFINITY;
            }
            let mut words = vec![0u64; (m.len() - 2).div_ceil(64)];
            threshold_peaks(&x, reference, &mut m, &mut words);
            let t = |v: f32| if v > reference { v } else { 0.0 };
            for k in 0..m.len() - 2 {
                let right = if k + 2 < len {
                    t(x[k + 2])
                } else {
                    f32::NEG_INFINITY
                };
                let want = t(x[k + 1]) > t(x[k]) && t(x[k + 1]) >= right;
                let got = words[k / 64] >> (k % 64) & 1 == 1;
                assert_eq!(got, want, "len {len} ref {reference} k {k}");
            }
        }
    }
}

#[test]
fn magnitudes_match_the_scalar_definition() {
    let bins: Vec<Complex<f64>> = (0..1000)
        .map(|i| {
            let x = i as f64 * 0.731 - 300.0;
            Complex::new(x.sin() * 1e3 * (i as f64), (x * 1.7).cos() * 0.01)
        })
        .chain([(0.0, 0.0), (3.0, 4.0), (-1e-30, 1e-30)].map(|(a, b)| Complex::new(a, b)))
        .collect();
    let mut out = vec![0f32; bins.len()];
    magnitudes(&bins, &mut out);
    for (o, c) in out.iter().zip(&bins) {
        assert_eq!(
            *o,
            crate::features::stft::complex_abs(c.re as f32, c.im as f32)
        );
    }
    assert_eq!(out[bins.len() - 2], 5.0);
}
