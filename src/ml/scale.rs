//! Standardisation: the standard scaler (fitted on training rows only) and per-speaker
//! normalisation (each actor's rows z-scored with that actor's own statistics — needs no
//! labels, so it is usable on test speakers too).

use serde::{Deserialize, Serialize};

/// Per-column mean and scale, as scikit-learn's `StandardScaler` (population std; a
/// zero-variance column keeps scale 1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StandardScaler {
    pub mean: Vec<f64>,
    pub scale: Vec<f64>,
}

/// The smallest scale [`StandardScaler::fit`] keeps (a column with less spread keeps 1); a
/// smaller one read back from a file would turn features into infinities.
pub const MIN_SCALE: f64 = 1e-12;

impl StandardScaler {
    /// Checks a scaler read back from a file (a model's, a speaker profile's): 1 to
    /// `max_features` columns, a scale for each mean, means finite, scales finite and at
    /// least [`MIN_SCALE`]. The error starts "scaler".
    pub fn validate(&self, max_features: usize) -> Result<(), String> {
        let d = self.mean.len();
        if d == 0 || d > max_features {
            return Err(format!("scaler: {d} features (1 to {max_features})"));
        }
        if self.scale.len() != d {
            return Err(format!("scaler: {} scales for {d} means", self.scale.len()));
        }
        let scale_ok = |s: &f64| s.is_finite() && *s >= MIN_SCALE;
        if !self.mean.iter().all(|m| m.is_finite()) || !self.scale.iter().all(scale_ok) {
            return Err(format!(
                "scaler: means must be finite and scales finite and at least {MIN_SCALE:e}"
            ));
        }
        Ok(())
    }

    /// Fits on a row-major matrix with `d` columns.
    pub fn fit(x: &[f64], d: usize) -> StandardScaler {
        let n = (x.len() / d.max(1)).max(1) as f64;
        let mut mean = vec![0.0; d];
        for row in x.chunks_exact(d) {
            for (m, v) in mean.iter_mut().zip(row) {
                *m += v;
            }
        }
        mean.iter_mut().for_each(|m| *m /= n);
        let mut var = vec![0.0; d];
        for row in x.chunks_exact(d) {
            for ((s, v), m) in var.iter_mut().zip(row).zip(&mean) {
                *s += (v - m).powi(2);
            }
        }
        let scale = var
            .iter()
            .map(|s| {
                let sd = (s / n).sqrt();
                if sd > MIN_SCALE * (1.0 + sd) && sd.is_finite() {
                    sd
                } else {
                    1.0
                }
            })
            .collect();
        StandardScaler { mean, scale }
    }

    /// Transforms rows in place.
    pub fn transform(&self, x: &mut [f64]) {
        let d = self.mean.len();
        for row in x.chunks_exact_mut(d) {
            for ((v, m), s) in row.iter_mut().zip(&self.mean).zip(&self.scale) {
                *v = (*v - m) / s;
            }
        }
    }
}

/// Z-scores each group's rows with that group's own mean and std (rows of a group with a
/// single member become zeros).
pub fn normalise_per_group(x: &mut [f64], d: usize, groups: &[u16]) {
    normalise_groups(x, d, groups, |_, rows| rows.to_vec());
}

/// Z-scores each group's rows with statistics of `n` of that group's rows drawn at random
/// (seeded; a group with ≤ `n` rows uses all of them) — a speaker enrolled with `n` clips.
/// Uses no labels.
pub fn normalise_per_group_enrolled(x: &mut [f64], d: usize, groups: &[u16], n: usize, seed: u64) {
    use rand::SeedableRng;
    use rand::seq::SliceRandom;
    normalise_groups(x, d, groups, |g, rows| {
        let mut rng =
            rand_chacha::ChaCha8Rng::seed_from_u64(crate::util::derive_seed(seed, u64::from(g)));
        let mut pick = rows.to_vec();
        pick.shuffle(&mut rng);
        pick.truncate(n.max(1));
        pick
    });
}

/// Z-scores each group's rows with a scaler fitted on the rows `reference(group, rows)`
/// picks among them.
fn normalise_groups(
    x: &mut [f64],
    d: usize,
    groups: &[u16],
    reference: impl Fn(u16, &[usize]) -> Vec<usize>,
) {
    let mut keys: Vec<u16> = groups.to_vec();
    keys.sort_unstable();
    keys.dedup();
    for g in keys {
        let idx: Vec<usize> = (0..groups.len()).filter(|&i| groups[i] == g).collect();
        let s = StandardScaler::fit(
            &crate::ml::dataset::gather_rows(x, d, &reference(g, &idx)),
            d,
        );
        for &i in &idx {
            s.transform(&mut x[i * d..(i + 1) * d]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scaler_centres_and_scales_like_sklearn() {
        let x = [1.0, 10.0, 3.0, 10.0, 5.0, 10.0];
        let s = StandardScaler::fit(&x, 2);
        assert_eq!(s.mean, vec![3.0, 10.0]);
        assert!((s.scale[0] - (8.0f64 / 3.0).sqrt()).abs() < 1e-12);
        assert_eq!(s.scale[1], 1.0, "zero variance keeps scale 1");
        let mut y = x;
        s.transform(&mut y);
        assert!((y[0] + y[2] + y[4]).abs() < 1e-12);
        assert_eq!(y[1], 0.0);
    }

    #[test]
    fn enrolled_normalisation_uses_only_n_rows_and_all_rows_when_n_is_large() {
        let rows: Vec<f64> = (0..10).map(|i| (i * i) as f64).collect();
        let groups = vec![4u16; 10];
        let mut all = rows.clone();
        normalise_per_group(&mut all, 1, &groups);
        let mut big = rows.clone();
        normalise_per_group_enrolled(&mut big, 1, &groups, 50, 3);
        assert_eq!(all, big);
        let mut few = rows.clone();
        normalise_per_group_enrolled(&mut few, 1, &groups, 3, 3);
        assert_ne!(few, all);
        let mut again = rows.clone();
        normalise_per_group_enrolled(&mut again, 1, &groups, 3, 3);
        assert_eq!(few, again, "seeded");
    }

    #[test]
    fn per_group_normalisation_uses_each_groups_stats() {
        let mut x = vec![1.0, 3.0, 101.0, 103.0];
        normalise_per_group(&mut x, 1, &[1, 1, 2, 2]);
        assert_eq!(x, vec![-1.0, 1.0, -1.0, 1.0]);
    }
}
