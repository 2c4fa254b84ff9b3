//! Univariate feature selection: the ANOVA F statistic of each column against the class
//! labels (scikit-learn's `f_classif`) and keeping the `k` highest (`SelectKBest`). Fitted
//! on training rows only — [`super::experiment`] calls it inside each training fold, inner
//! folds included.

use serde::{Deserialize, Serialize};

/// The one-way ANOVA F of each column of row-major `x` (`d` columns) over classes
/// `y ∈ 0..k`, computed as scikit-learn's `f_classif` does (sums of squares from raw sums,
/// so the numbers agree to rounding): `F = (SSB / (k−1)) / (SSW / (n−k))`. A column with no
/// within-class variance gives NaN (0/0) or +∞, as there.
pub fn f_classif(x: &[f64], y: &[usize], d: usize, k: usize) -> Vec<f64> {
    let n = y.len();
    let mut count = vec![0usize; k];
    for &c in y {
        count[c] += 1;
    }
    let present = count.iter().filter(|&&c| c > 0).count();
    let mut sum = vec![0.0; d];
    let mut sq = vec![0.0; d];
    let mut class_sum = vec![0.0; k * d];
    for (row, &c) in x.chunks_exact(d).zip(y) {
        let cs = &mut class_sum[c * d..(c + 1) * d];
        for j in 0..d {
            let v = row[j];
            sum[j] += v;
            sq[j] += v * v;
            cs[j] += v;
        }
    }
    let nf = n as f64;
    let df_between = present as f64 - 1.0;
    let df_within = nf - present as f64;
    (0..d)
        .map(|j| {
            let sq_of_sums = sum[j] * sum[j];
            let ss_tot = sq[j] - sq_of_sums / nf;
            let mut ss_between = 0.0;
            for c in 0..k {
                if count[c] > 0 {
                    let s = class_sum[c * d + j];
                    ss_between += s * s / count[c] as f64;
                }
            }
            ss_between -= sq_of_sums / nf;
            let ss_within = ss_tot - ss_between;
            (ss_between / df_between) / (ss_within / df_within)
        })
        .collect()
}

/// The columns kept, in ascending order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Selection {
    /// Column count of the input.
    pub n_input: usize,
    pub keep: Vec<usize>,
}

impl Selection {
    /// The `k` columns of highest F (all columns when `k ≥ d`). As `SelectKBest`: NaN scores
    /// rank lowest, and among equal scores the later columns are kept.
    pub fn k_best(x: &[f64], y: &[usize], d: usize, n_classes: usize, k: usize) -> Selection {
        if k >= d {
            return Selection {
                n_input: d,
                keep: (0..d).collect(),
            };
        }
        let f = f_classif(x, y, d, n_classes);
        let score = |j: usize| if f[j].is_nan() { f64::MIN } else { f[j] };
        let mut order: Vec<usize> = (0..d).collect();
        // Stable ascending sort, then the last k — numpy's argsort(kind="mergesort")[-k:].
        order.sort_by(|&a, &b| score(a).total_cmp(&score(b)));
        let mut keep = order[d - k..].to_vec();
        keep.sort_unstable();
        Selection { n_input: d, keep }
    }

    /// The kept columns of row-major `x`.
    pub fn apply(&self, x: &[f64]) -> Vec<f64> {
        let d = self.n_input.max(1);
        let mut out = Vec::with_capacity(x.len() / d * self.keep.len());
        for row in x.chunks_exact(d) {
            out.extend(self.keep.iter().map(|&j| row[j]));
        }
        out
    }

    pub fn len(&self) -> usize {
        self.keep.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keep.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn f_of_a_separating_column_exceeds_a_noise_column() {
        // Column 0 separates the classes, column 1 does not.
        let x = [0.0, 1.0, 0.1, -1.0, 5.0, 1.0, 5.1, -1.0];
        let y = [0, 0, 1, 1];
        let f = f_classif(&x, &y, 2, 2);
        assert!(f[0] > 1000.0, "{f:?}");
        assert!(f[1].abs() < 1e-12, "{f:?}");
        let s = Selection::k_best(&x, &y, 2, 2, 1);
        assert_eq!(s.keep, vec![0]);
        assert_eq!(s.apply(&x), vec![0.0, 0.1, 5.0, 5.1]);
    }

    #[test]
    fn ties_keep_the_later_columns_and_nan_ranks_lowest() {
        // Columns 0 and 2 identical; column 1 constant (F = NaN).
        let x = [0.0, 3.0, 0.0, 1.0, 3.0, 1.0, 4.0, 3.0, 4.0, 5.0, 3.0, 5.0];
        let y = [0, 0, 1, 1];
        let f = f_classif(&x, &y, 3, 2);
        assert!(f[1].is_nan());
        assert_eq!(Selection::k_best(&x, &y, 3, 2, 1).keep, vec![2]);
        assert_eq!(Selection::k_best(&x, &y, 3, 2, 2).keep, vec![0, 2]);
    }
}
