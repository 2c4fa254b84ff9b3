//! Scores: confusion matrices, accuracy, UAR, per-class and macro precision / recall / F1,
//! and paired tests between two experiments on the same folds.

use serde::{Deserialize, Serialize};

/// A confusion matrix: `counts[true * n + predicted]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Confusion {
    pub n: usize,
    pub counts: Vec<u64>,
}

/// Precision, recall, F1 and support of one class.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ClassScore {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub support: u64,
}

/// Summary scores of a confusion matrix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    pub accuracy: f64,
    /// Unweighted average recall over the classes that occur (the SER standard).
    pub uar: f64,
    pub macro_precision: f64,
    pub macro_f1: f64,
    pub per_class: Vec<ClassScore>,
}

impl Confusion {
    pub fn new(n: usize) -> Self {
        Confusion {
            n,
            counts: vec![0; n * n],
        }
    }

    pub fn from_predictions(n: usize, truth: &[usize], pred: &[usize]) -> Self {
        let mut c = Confusion::new(n);
        for (&t, &p) in truth.iter().zip(pred) {
            c.add(t, p);
        }
        c
    }

    pub fn add(&mut self, truth: usize, pred: usize) {
        self.counts[truth * self.n + pred] += 1;
    }

    pub fn merge(&mut self, other: &Confusion) {
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
    }

    pub fn get(&self, truth: usize, pred: usize) -> u64 {
        self.counts[truth * self.n + pred]
    }

    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// Each row divided by its total (rows with no samples stay 0).
    pub fn row_normalised(&self) -> Vec<f64> {
        let mut out = vec![0.0; self.n * self.n];
        for t in 0..self.n {
            let row: u64 = (0..self.n).map(|p| self.get(t, p)).sum();
            for p in 0..self.n {
                if row > 0 {
                    out[t * self.n + p] = self.get(t, p) as f64 / row as f64;
                }
            }
        }
        out
    }

    /// Scores as scikit-learn's `classification_report` (zero_division = 0), with macro
    /// averages over the classes that have support.
    pub fn scores(&self) -> Scores {
        let n = self.n;
        let total = self.total();
        let correct: u64 = (0..n).map(|k| self.get(k, k)).sum();
        let per_class: Vec<ClassScore> = (0..n)
            .map(|k| {
                let tp = self.get(k, k) as f64;
                let support: u64 = (0..n).map(|p| self.get(k, p)).sum();
                let predicted: u64 = (0..n).map(|t| self.get(t, k)).sum();
                let precision = if predicted > 0 {
                    tp / predicted as f64
                } else {
                    0.0
                };
                let recall = if support > 0 {
                    tp / support as f64
                } else {
                    0.0
                };
                let f1 = if precision + recall > 0.0 {
                    2.0 * precision * recall / (precision + recall)
                } else {
                    0.0
                };
                ClassScore {
                    precision,
                    recall,
                    f1,
                    support,
                }
            })
            .collect();
        let present: Vec<&ClassScore> = per_class.iter().filter(|c| c.support > 0).collect();
        let avg = |f: &dyn Fn(&ClassScore) -> f64| {
            if present.is_empty() {
                0.0
            } else {
                present.iter().map(|c| f(c)).sum::<f64>() / present.len() as f64
            }
        };
        Scores {
            accuracy: if total > 0 {
                correct as f64 / total as f64
            } else {
                0.0
            },
            uar: avg(&|c| c.recall),
            macro_precision: avg(&|c| c.precision),
            macro_f1: avg(&|c| c.f1),
            per_class,
        }
    }
}

/// McNemar's exact test on paired predictions: two-sided binomial p-value over the
/// discordant pairs (`a_right_b_wrong`, `a_wrong_b_right`).
pub fn mcnemar_exact(a_right_b_wrong: u64, a_wrong_b_right: u64) -> f64 {
    let n = a_right_b_wrong + a_wrong_b_right;
    if n == 0 {
        return 1.0;
    }
    let k = a_right_b_wrong.min(a_wrong_b_right);
    // P(X <= k) for X ~ Binomial(n, 1/2), in log space.
    let ln_half_n = -(n as f64) * std::f64::consts::LN_2;
    let mut ln_c = 0.0f64; // ln C(n, 0)
    let mut cdf = 0.0;
    for i in 0..=k {
        if i > 0 {
            ln_c += ((n - i + 1) as f64).ln() - (i as f64).ln();
        }
        cdf += (ln_c + ln_half_n).exp();
    }
    (2.0 * cdf).min(1.0)
}

/// A paired sign-flip permutation test on per-fold score differences: the two-sided p-value
/// of the mean difference. Exact for up to 16 folds; beyond, 20 000 seeded random flips.
pub fn paired_permutation(diffs: &[f64], seed: u64) -> f64 {
    let k = diffs.len();
    if k == 0 {
        return 1.0;
    }
    let observed = diffs.iter().sum::<f64>().abs();
    let tol = 1e-12 * (1.0 + observed);
    let stat = |mask: u64| -> f64 {
        diffs
            .iter()
            .enumerate()
            .map(|(i, d)| if mask >> i & 1 == 1 { -d } else { *d })
            .sum::<f64>()
            .abs()
    };
    if k <= 16 {
        let total = 1u64 << k;
        let hits = (0..total).filter(|&m| stat(m) >= observed - tol).count();
        hits as f64 / total as f64
    } else {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        let n = 20_000;
        let hits = (0..n)
            .filter(|_| stat(rng.random::<u64>()) >= observed - tol)
            .count();
        (hits + 1) as f64 / (n + 1) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_match_a_hand_computed_report() {
        // truth 0,0,1,1,2 ; pred 0,1,1,1,0
        let c = Confusion::from_predictions(3, &[0, 0, 1, 1, 2], &[0, 1, 1, 1, 0]);
        let s = c.scores();
        assert!((s.accuracy - 0.6).abs() < 1e-12);
        // recalls 0.5, 1, 0 -> UAR 0.5
        assert!((s.uar - 0.5).abs() < 1e-12);
        // precisions 0.5, 2/3, 0
        assert!((s.per_class[1].precision - 2.0 / 3.0).abs() < 1e-12);
        assert!((s.per_class[1].f1 - 0.8).abs() < 1e-12);
        assert_eq!(c.row_normalised()[0], 0.5);
    }

    #[test]
    fn mcnemar_and_permutation_p_values() {
        assert_eq!(mcnemar_exact(0, 0), 1.0);
        // 10 vs 0 discordant: p = 2 * 0.5^10
        assert!((mcnemar_exact(10, 0) - 2.0 * 0.5f64.powi(10)).abs() < 1e-12);
        assert!(mcnemar_exact(5, 5) > 0.99);
        // All 5 folds favour A: only the two all-same-sign flips reach the statistic.
        let p = paired_permutation(&[0.1, 0.2, 0.1, 0.15, 0.05], 0);
        assert!((p - 2.0 / 32.0).abs() < 1e-12);
    }
}
