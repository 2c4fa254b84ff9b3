//! Many runs at once: each run's UAR with the spread of its folds, a ranking, and a paired
//! test of each against the best run (when they scored the same clips in the same folds).

use serde::{Deserialize, Serialize};

use super::experiment::{Comparison, Report, compare};

/// How a run stands against the best run of the table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VsBest {
    /// This is the best run (highest pooled UAR) of those on the same clips.
    Best,
    /// McNemar exact p on the pooled predictions and the sign-flip p on fold UARs.
    Compared(Comparison),
    /// The same clips in other folds (another protocol): no paired test.
    NotComparable,
}

/// One run's line of the table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Standing {
    /// 1 = highest pooled UAR.
    pub rank: usize,
    pub uar: f64,
    /// Standard deviation of the per-fold UARs (n − 1); `None` with one fold.
    pub fold_uar_std: Option<f64>,
    pub vs_best: VsBest,
}

/// Standard deviation (n − 1) of a report's per-fold UARs.
pub fn fold_uar_std(r: &Report) -> Option<f64> {
    let u: Vec<f64> = r.folds.iter().map(|f| f.scores.uar).collect();
    if u.len() < 2 {
        return None;
    }
    let mean = u.iter().sum::<f64>() / u.len() as f64;
    let var = u.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (u.len() - 1) as f64;
    Some(var.sqrt())
}

/// The standings of `reports`, in their order (ties share the better rank). Each run is
/// tested against the best run on the same clips (a run on another corpus or subset has its
/// own best: scores on different clips are ranked, never tested against each other).
pub fn leaderboard(reports: &[&Report]) -> Vec<Standing> {
    let best_on_same_clips = |i: usize| {
        reports
            .iter()
            .enumerate()
            .filter(|(_, o)| o.ids == reports[i].ids)
            .max_by(|a, b| {
                a.1.scores
                    .uar
                    .total_cmp(&b.1.scores.uar)
                    .then(b.0.cmp(&a.0))
            })
            .map_or(i, |(j, _)| j)
    };
    reports
        .iter()
        .enumerate()
        .map(|(i, r)| Standing {
            rank: 1 + reports
                .iter()
                .filter(|o| o.scores.uar > r.scores.uar)
                .count(),
            uar: r.scores.uar,
            fold_uar_std: fold_uar_std(r),
            vs_best: match best_on_same_clips(i) {
                b if b == i => VsBest::Best,
                b => compare(reports[b], r).map_or(VsBest::NotComparable, VsBest::Compared),
            },
        })
        .collect()
}

/// A p-value for narrow columns: "p<.001", "p=.034", "p=1.00".
pub fn short_p(p: f64) -> String {
    if p < 0.001 {
        "p<.001".into()
    } else if p < 0.995 {
        format!("p={}", format!("{p:.3}").trim_start_matches('0'))
    } else {
        "p=1.00".into()
    }
}
