//! A random forest of CART trees (Gini), as scikit-learn's `RandomForestClassifier`: each tree
//! grows on a bootstrap sample of the rows, tries `mtry` random features at each split (more
//! when those are constant), splits at midpoints, and predicts the class distribution of its
//! leaf; the forest averages the trees' distributions.
//!
//! Why not smartcore's forest: measured on the 360 fixture clips (180 features), smartcore
//! re-sorts every column for every tree (`fit_weak_learner` argsorts all features), which is
//! ~90 % of its fit time, and scans every training row at every node. Sorting only the node's
//! rows for the sampled features makes each tree several times cheaper; trees grow in
//! parallel on rayon, each from its own derived seed.

use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::util::derive_seed;

/// Forest hyperparameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ForestParams {
    pub trees: usize,
    pub max_depth: Option<u16>,
    pub min_samples_split: usize,
    /// Features tried per split.
    pub mtry: usize,
    pub seed: u64,
}

/// One node of a tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Node {
    Split {
        feature: u32,
        threshold: f64,
        left: u32,
        right: u32,
    },
    Leaf {
        proba: Vec<f32>,
    },
}

/// A fitted tree: `nodes[0]` is the root.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tree {
    pub nodes: Vec<Node>,
}

/// A fitted forest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Forest {
    pub trees: Vec<Tree>,
    pub n_classes: usize,
}

impl Forest {
    /// Grows the forest on row-major `x` (`d` columns), labels in `0..n_classes`.
    pub fn fit(x: &[f64], y: &[usize], d: usize, n_classes: usize, p: &ForestParams) -> Forest {
        let n = y.len();
        // Column-major copy: a split scans one feature over the node's rows.
        let mut cols = vec![0.0; n * d];
        for i in 0..n {
            for j in 0..d {
                cols[j * n + i] = x[i * d + j];
            }
        }
        let trees = (0..p.trees)
            .into_par_iter()
            .map(|t| {
                let mut rng = ChaCha8Rng::seed_from_u64(derive_seed(p.seed, t as u64));
                grow(&cols, y, n, d, n_classes, p, &mut rng)
            })
            .collect();
        Forest { trees, n_classes }
    }

    /// Mean of the trees' leaf distributions for one row.
    pub fn proba(&self, row: &[f64]) -> Vec<f64> {
        let mut p = vec![0.0; self.n_classes];
        for t in &self.trees {
            let mut k = 0usize;
            loop {
                match &t.nodes[k] {
                    Node::Split {
                        feature,
                        threshold,
                        left,
                        right,
                    } => {
                        k = if row[*feature as usize] <= *threshold {
                            *left as usize
                        } else {
                            *right as usize
                        };
                    }
                    Node::Leaf { proba } => {
                        for (a, &b) in p.iter_mut().zip(proba) {
                            *a += f64::from(b);
                        }
                        break;
                    }
                }
            }
        }
        let n = self.trees.len().max(1) as f64;
        p.iter_mut().for_each(|v| *v /= n);
        p
    }
}

/// The best threshold of one feature: `pairs` are (value, row) sorted by value; the split
/// maximises Σc²/N on both sides (equivalent to the largest Gini decrease), between two
/// distinct values (at their midpoint). Returns (score, threshold).
fn best_threshold(
    pairs: &[(f64, usize)],
    y: &[usize],
    weight: &[u32],
    counts: &[u64],
    total: u64,
) -> Option<(f64, f64)> {
    let mut best: Option<(f64, f64)> = None;
    let mut left = vec![0u64; counts.len()];
    let mut n_left = 0u64;
    for w in 0..pairs.len() - 1 {
        let (v, i) = pairs[w];
        left[y[i]] += u64::from(weight[i]);
        n_left += u64::from(weight[i]);
        let next = pairs[w + 1].0;
        if v == next {
            continue;
        }
        let n_right = total - n_left;
        let sl: f64 = left.iter().map(|&c| (c * c) as f64).sum::<f64>() / n_left as f64;
        let sr: f64 = counts
            .iter()
            .zip(&left)
            .map(|(&c, &l)| ((c - l) * (c - l)) as f64)
            .sum::<f64>()
            / n_right as f64;
        let score = sl + sr;
        if best.is_none_or(|b| score > b.0) {
            best = Some((score, v + (next - v) / 2.0));
        }
    }
    best
}

fn grow(
    cols: &[f64],
    y: &[usize],
    n: usize,
    d: usize,
    k: usize,
    p: &ForestParams,
    rng: &mut ChaCha8Rng,
) -> Tree {
    // Bootstrap: n draws with replacement; a row's weight is how often it was drawn.
    let mut weight = vec![0u32; n];
    for _ in 0..n {
        weight[rng.random_range(0..n)] += 1;
    }
    let root: Vec<usize> = (0..n).filter(|&i| weight[i] > 0).collect();
    let mut nodes: Vec<Node> = vec![Node::Leaf { proba: Vec::new() }];
    let mut stack: Vec<(usize, Vec<usize>, u16)> = vec![(0, root, 0)];
    let mut features: Vec<usize> = (0..d).collect();
    let mut pairs: Vec<(f64, usize)> = Vec::with_capacity(n);
    while let Some((id, rows, depth)) = stack.pop() {
        let mut counts = vec![0u64; k];
        for &i in &rows {
            counts[y[i]] += u64::from(weight[i]);
        }
        let total: u64 = counts.iter().sum();
        let leaf = |counts: &[u64]| Node::Leaf {
            proba: counts
                .iter()
                .map(|&c| (c as f64 / total.max(1) as f64) as f32)
                .collect(),
        };
        let pure = counts.iter().filter(|&&c| c > 0).count() <= 1;
        if pure || (total as usize) < p.min_samples_split || p.max_depth.is_some_and(|m| depth >= m)
        {
            nodes[id] = leaf(&counts);
            continue;
        }
        // Best split over `mtry` non-constant random features: maximise Σc²/N on both sides
        // (equivalent to the largest Gini decrease).
        features.shuffle(rng);
        let mut best: Option<(f64, usize, f64)> = None; // (score, feature, threshold)
        let mut tried = 0;
        for &f in features.iter() {
            if tried >= p.mtry && best.is_some() {
                break;
            }
            pairs.clear();
            pairs.extend(rows.iter().map(|&i| (cols[f * n + i], i)));
            pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
            if pairs[0].0 == pairs[pairs.len() - 1].0 {
                continue; // constant here: does not count towards mtry
            }
            tried += 1;
            if let Some((score, threshold)) = best_threshold(&pairs, y, &weight, &counts, total)
                && best.is_none_or(|b| score > b.0)
            {
                best = Some((score, f, threshold));
            }
        }
        let Some((_, feature, threshold)) = best else {
            nodes[id] = leaf(&counts);
            continue;
        };
        let (l_rows, r_rows): (Vec<usize>, Vec<usize>) = rows
            .iter()
            .partition(|&&i| cols[feature * n + i] <= threshold);
        let (l, r) = (nodes.len(), nodes.len() + 1);
        nodes.push(Node::Leaf { proba: Vec::new() });
        nodes.push(Node::Leaf { proba: Vec::new() });
        nodes[id] = Node::Split {
            feature: feature as u32,
            threshold,
            left: l as u32,
            right: r as u32,
        };
        stack.push((r, r_rows, depth + 1));
        stack.push((l, l_rows, depth + 1));
    }
    Tree { nodes }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_single_full_tree_fits_its_bootstrap_and_depth_limits_hold() {
        // XOR-like data needs depth 2.
        let x = [0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0];
        let y = [0, 1, 1, 0];
        let p = ForestParams {
            trees: 50,
            max_depth: None,
            min_samples_split: 2,
            mtry: 2,
            seed: 4,
        };
        let f = Forest::fit(&x, &y, 2, 2, &p);
        for (row, &label) in x.chunks(2).zip(&y) {
            let pr = f.proba(row);
            assert!((pr.iter().sum::<f64>() - 1.0).abs() < 1e-6);
            assert!(pr[label] > 0.5, "{row:?}: {pr:?}");
        }
        let stump = Forest::fit(
            &x,
            &y,
            2,
            2,
            &ForestParams {
                max_depth: Some(1),
                ..p
            },
        );
        for t in &stump.trees {
            assert!(t.nodes.len() <= 3);
        }
        assert_eq!(Forest::fit(&x, &y, 2, 2, &p), f, "seeded");
    }
}
