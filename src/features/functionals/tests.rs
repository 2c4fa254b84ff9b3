//! Unit tests of `features::functionals`.

use super::*;

fn named(x: &[f32], dt: f64) -> std::collections::HashMap<&'static str, f32> {
    let mut out = Vec::new();
    functionals(x, dt, &mut Vec::new(), &mut out);
    FUNCTIONALS.iter().copied().zip(out).collect()
}

#[test]
fn a_ramp() {
    let x: Vec<f32> = (0..101).map(|i| i as f32).collect();
    let f = named(&x, 0.01);
    assert_eq!(f["mean"], 50.0);
    assert_eq!(f["median"], 50.0);
    assert_eq!(f["q1"], 25.0);
    assert_eq!(f["p01"], 1.0);
    assert!((f["linreg_slope"] - 100.0).abs() < 1e-3);
    assert!(f["linreg_offset"].abs() < 1e-3);
    assert!(f["linreg_err"] < 1e-6);
    assert!(f["qreg_a"].abs() < 1e-3 && (f["qreg_b"] - 100.0).abs() < 1e-3);
    assert_eq!(f["rise_time"], 1.0);
    assert_eq!(f["max_pos"], 1.0);
    assert!((f["rising_slope_mean"] - 100.0).abs() < 1e-3);
    assert_eq!(f["uplevel_50"], 0.5f32.min(50.0 / 101.0));
    assert_eq!(f["peak_rate"], 0.0);
    assert!((f["seg_len_max"] - 0.5).abs() < 1e-6);
}

#[test]
fn a_parabola_and_peaks() {
    let x: Vec<f32> = (0..=100)
        .map(|i| {
            let t = i as f32 / 100.0;
            3.0 * t * t - 2.0 * t + 1.0
        })
        .collect();
    let f = named(&x, 0.01);
    assert!((f["qreg_a"] - 3.0).abs() < 1e-3);
    assert!((f["qreg_b"] + 2.0).abs() < 1e-3);
    assert!((f["qreg_c"] - 1.0).abs() < 1e-3);
    assert!(f["qreg_err"] < 1e-8);
    assert_eq!(f["left_curv_time"], 1.0);
    // A square-ish wave with period 10 frames: 10 peaks a second at 10 ms frames.
    let w: Vec<f32> = (0..200)
        .map(|i| ((i as f32) * std::f32::consts::TAU / 10.0).sin())
        .collect();
    let g = named(&w, 0.01);
    assert!((g["peak_rate"] - 10.0).abs() < 0.6, "{}", g["peak_rate"]);
    assert!((g["peak_dist_mean"] - 0.1).abs() < 1e-3);
}

#[test]
fn empty_and_constant_contours_are_finite() {
    let f = named(&[], 0.01);
    assert!(f.values().all(|v| *v == 0.0));
    let g = named(&[2.0; 7], 0.01);
    assert!(g.values().all(|v| v.is_finite()));
    assert_eq!(g["mean"], 2.0);
    assert_eq!(g["std"], 0.0);
    assert_eq!(g["linreg_offset"], 2.0);
}

#[test]
fn delta_of_a_ramp_is_its_slope() {
    let x: Vec<f32> = (0..10).map(|i| 2.0 * i as f32).collect();
    let d = delta2(&x);
    assert_eq!(d[5], 2.0);
    assert_eq!(moving_average3(&[0.0, 3.0, 6.0]), vec![1.5, 3.0, 4.5]);
}
