//! SMOTE (Chawla et al. 2002), as imbalanced-learn's default: every class but the largest is
//! oversampled to the largest class's count by interpolating between a sample and one of its
//! `k` nearest same-class neighbours. Seeded.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("class {class} has {count} training samples; SMOTE with k = {k} needs at least {}", k + 1)]
pub struct SmoteError {
    pub class: String,
    pub count: usize,
    pub k: usize,
}

/// Oversamples `(x, y)` (row-major, `d` columns); returns the new rows and labels appended to
/// copies of the originals. `class_name` names a class index for errors.
pub fn smote(
    x: &[f64],
    y: &[usize],
    d: usize,
    k: usize,
    seed: u64,
    class_name: &dyn Fn(usize) -> String,
) -> Result<(Vec<f64>, Vec<usize>), SmoteError> {
    let n_classes = y.iter().copied().max().map_or(0, |m| m + 1);
    let counts: Vec<usize> = (0..n_classes)
        .map(|c| y.iter().filter(|&&v| v == c).count())
        .collect();
    let target = counts.iter().copied().max().unwrap_or(0);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (mut xo, mut yo) = (x.to_vec(), y.to_vec());
    for (c, &count) in counts.iter().enumerate() {
        let need = target - count;
        if need == 0 || count == 0 {
            continue;
        }
        if count <= k {
            return Err(SmoteError {
                class: class_name(c),
                count,
                k,
            });
        }
        let members: Vec<usize> = (0..y.len()).filter(|&i| y[i] == c).collect();
        // k nearest same-class neighbours of each member (Euclidean, excluding itself).
        let neighbours: Vec<Vec<usize>> = members
            .iter()
            .map(|&i| {
                let mut dist: Vec<(f64, usize)> = members
                    .iter()
                    .filter(|&&j| j != i)
                    .map(|&j| {
                        let s: f64 = x[i * d..(i + 1) * d]
                            .iter()
                            .zip(&x[j * d..(j + 1) * d])
                            .map(|(a, b)| (a - b) * (a - b))
                            .sum();
                        (s, j)
                    })
                    .collect();
                dist.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                dist.into_iter().take(k).map(|(_, j)| j).collect()
            })
            .collect();
        for _ in 0..need {
            let pick = rng.random_range(0..members.len() * k);
            let (m, nb) = (pick / k, pick % k);
            let (i, j) = (members[m], neighbours[m][nb]);
            let gap: f64 = rng.random_range(0.0..1.0);
            for t in 0..d {
                let a = x[i * d + t];
                xo.push(a + gap * (x[j * d + t] - a));
            }
            yo.push(c);
        }
    }
    Ok((xo, yo))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn balances_classes_with_points_between_neighbours() {
        // Class 0: 10 points on a line; class 1: 4 points.
        let mut x = Vec::new();
        let mut y = Vec::new();
        for i in 0..10 {
            x.extend([i as f64, 0.0]);
            y.push(0);
        }
        for i in 0..4 {
            x.extend([i as f64, 10.0]);
            y.push(1);
        }
        let (xo, yo) = smote(&x, &y, 2, 3, 1, &|c| c.to_string()).unwrap();
        assert_eq!(yo.iter().filter(|&&c| c == 1).count(), 10);
        for (row, &c) in xo.chunks_exact(2).zip(&yo).skip(14) {
            assert_eq!(c, 1);
            assert_eq!(row[1], 10.0);
            assert!((0.0..=3.0).contains(&row[0]));
        }
        assert_eq!(
            smote(&x, &y, 2, 3, 1, &|c| c.to_string()).unwrap(),
            (xo, yo),
            "seeded"
        );
        let err = smote(&x, &y, 2, 5, 1, &|c| format!("class{c}")).unwrap_err();
        assert!(
            err.to_string().contains("class1 has 4 training samples"),
            "{err}"
        );
    }
}
