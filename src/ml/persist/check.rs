//! What a saved model's classifier must satisfy on load, every kind: dimensions consistent,
//! indices in range, numbers finite, probabilities distributions, forests acyclic. Each error
//! names the field.

use super::super::models::Model;

/// Whether every value is a finite number.
fn finite(x: &[f64]) -> bool {
    x.iter().all(|v| v.is_finite())
}

/// A k-NN model's stored training set against `d` features and `k` classes.
fn check_knn(
    neighbours: usize,
    x: &[f64],
    y: &[usize],
    dk: usize,
    d: usize,
    k: usize,
) -> Result<(), String> {
    if dk != d {
        return Err(format!("model.Knn.d: {dk}, the scaler has {d} features"));
    }
    if y.is_empty() || x.len() != y.len() * d {
        return Err(format!(
            "model.Knn: {} training values for {} rows × {d} features",
            x.len(),
            y.len()
        ));
    }
    if let Some(c) = y.iter().find(|&&c| c >= k) {
        return Err(format!("model.Knn.y: class {c} of {k}"));
    }
    if neighbours == 0 || neighbours > y.len() {
        return Err(format!(
            "model.Knn.spec: k = {neighbours} (1 to {})",
            y.len()
        ));
    }
    if !finite(x) {
        return Err("model.Knn.x: training values must be finite numbers".into());
    }
    Ok(())
}

/// Every node of every tree: features in range, thresholds finite, children after their
/// parent (so prediction cannot loop), leaves a finite value per class.
fn check_forest(f: &super::super::forest::Forest, d: usize, k: usize) -> Result<(), String> {
    if f.trees.is_empty() {
        return Err("model.Forest.trees: none".into());
    }
    for (t, tree) in f.trees.iter().enumerate() {
        let n = tree.nodes.len();
        if n == 0 {
            return Err(format!("model.Forest.trees[{t}]: no nodes"));
        }
        for (i, node) in tree.nodes.iter().enumerate() {
            let at = format!("model.Forest.trees[{t}].nodes[{i}]");
            match node {
                super::super::forest::Node::Split {
                    feature,
                    threshold,
                    left,
                    right,
                } => {
                    if *feature as usize >= d {
                        return Err(format!("{at}.feature: {feature} of {d}"));
                    }
                    if !threshold.is_finite() {
                        return Err(format!("{at}.threshold: not a finite number"));
                    }
                    for c in [left, right] {
                        if (*c as usize) <= i || *c as usize >= n {
                            return Err(format!(
                                "{at}: child {c} must come after it, within {n} nodes"
                            ));
                        }
                    }
                }
                super::super::forest::Node::Leaf { proba } => {
                    let p = proba.iter().map(|&p| f64::from(p));
                    if proba.len() != k || !is_distribution(p, 1e-4) {
                        return Err(format!(
                            "{at}.proba: {k} probabilities needed, one per class, \
                             each in [0, 1], that sum to 1"
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

/// The most features a model or profile file may declare (the full preset has a few hundred).
pub const MAX_FEATURES: usize = 100_000;

/// Whether `p` is a probability distribution: each value in [0, 1], their sum within `tol`
/// of 1 (what a forest's leaf and the class priors are, and what classification reports).
fn is_distribution(p: impl Iterator<Item = f64>, tol: f64) -> bool {
    let mut sum = 0.0;
    for v in p {
        if !(0.0..=1.0).contains(&v) {
            return false;
        }
        sum += v;
    }
    (sum - 1.0).abs() <= tol
}

/// Naive Bayes: means, variances and priors for each class × `d` features, finite.
fn check_nb(
    m: &smartcore::naive_bayes::gaussian::GaussianNB<
        f64,
        u32,
        smartcore::linalg::basic::matrix::DenseMatrix<f64>,
        Vec<u32>,
    >,
    d: usize,
    k: usize,
) -> Result<(), String> {
    use smartcore::api::SupervisedEstimator;
    // A file without `inner` reads as an unfitted model (serde fills a missing Option), and
    // every smartcore accessor below unwraps it: compare with an unfitted one first (the
    // derived PartialEq looks at `inner` without unwrapping).
    if *m
        == SupervisedEstimator::<_, _, smartcore::naive_bayes::gaussian::GaussianNBParameters>::new(
        )
    {
        return Err("model.Nb.model: no fitted model (its `inner` is missing)".into());
    }
    let rows = m.theta().len();
    let ok = rows > 0
        && rows <= k
        && m.var().len() == rows
        && m.class_priors().len() == rows
        && m.classes().len() == rows
        && m.classes().iter().all(|&c| (c as usize) < k)
        && m.theta()
            .iter()
            .chain(m.var())
            .all(|r| r.len() == d && finite(r))
        && m.var().iter().flatten().all(|&v| v > 0.0)
        && finite(m.class_priors());
    if ok {
        Ok(())
    } else {
        Err(format!(
            "model.Nb: means, variances and priors must cover each class × {d} \
             features, variances positive, all finite"
        ))
    }
}

/// Logistic regression: a finite weight per class × feature and an intercept per class.
fn check_logreg(m: &crate::ml::logreg::LogisticModel, d: usize, k: usize) -> Result<(), String> {
    if m.n_features != d || m.n_classes != k || m.weights.len() != k * d || m.intercepts.len() != k
    {
        Err(format!(
            "model.LogReg: {} weights and {} intercepts for {k} classes × {d} features",
            m.weights.len(),
            m.intercepts.len()
        ))
    } else if !finite(&m.weights) || !finite(&m.intercepts) {
        Err("model.LogReg: weights must be finite numbers".into())
    } else {
        Ok(())
    }
}

/// An SVM's class labels: each indexes `classes` (one past them answered "neutral" for any
/// clip), none twice.
fn check_svm_labels(labels: &[i32], k: usize) -> Result<(), String> {
    let distinct = labels
        .iter()
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    if labels.iter().any(|&l| l < 0 || l as usize >= k) || distinct != labels.len() {
        Err(format!(
            "model.Svm.model.label: {labels:?} must be distinct class numbers below {k}"
        ))
    } else {
        Ok(())
    }
}

/// The classifier against `d` features and `k` classes, every kind: dimensions consistent,
/// indices in range, numbers finite, forests acyclic (a child always comes after its parent,
/// as the builder writes them), so nothing a file holds can make prediction index out of
/// range or loop. libsvm-rs checks its own model on deserialisation, Platt pairs included.
pub(super) fn check_model(model: &Model, d: usize, k: usize) -> Result<(), String> {
    let classes = |field: &str, n: usize| {
        if n == k {
            Ok(())
        } else {
            Err(format!("model.{field}: {n} classes, the model lists {k}"))
        }
    };
    match model {
        Model::LogReg {
            model: m,
            n_classes,
        } => {
            classes("LogReg.n_classes", *n_classes)?;
            check_logreg(m, d, k)
        }
        Model::Svm {
            model: m,
            n_classes,
        } => {
            classes("Svm.n_classes", *n_classes)?;
            check_svm_labels(m.labels(), k)
        }
        Model::Knn {
            spec,
            x,
            y,
            d: dk,
            n_classes,
        } => {
            classes("Knn.n_classes", *n_classes)?;
            check_knn(spec.0, x, y, *dk, d, k)
        }
        Model::Forest(f) => {
            classes("Forest.n_classes", f.n_classes)?;
            check_forest(f, d, k)
        }
        Model::Nb {
            model: m,
            n_classes,
        } => {
            classes("Nb.n_classes", *n_classes)?;
            check_nb(m, d, k)
        }
        Model::Majority { priors } => {
            if priors.len() != k || !is_distribution(priors.iter().copied(), 1e-9) {
                Err(format!(
                    "model.Majority.priors: {k} probabilities needed, each in [0, 1], \
                     that sum to 1"
                ))
            } else {
                Ok(())
            }
        }
        Model::Ensemble { members, n_classes } => {
            classes("Ensemble.n_classes", *n_classes)?;
            if members.is_empty() {
                return Err("model.Ensemble.members: none".into());
            }
            members.iter().try_for_each(|m| check_model(m, d, k))
        }
    }
}
