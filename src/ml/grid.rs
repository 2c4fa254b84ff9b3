//! Building a model grid from `key=v1,v2` strings (the CLI's `--grid`).

use super::models::{Gamma, Kernel, MaxFeatures, Metric, ModelSpec, Weights};

/// The model families, in the order the shells offer them.
pub const FAMILIES: [&str; 7] = ["svm", "knn", "rf", "logreg", "nb", "majority", "ensemble"];

/// The family both shells start from.
pub const DEFAULT_FAMILY: &str = "svm";

/// The hyperparameter search both shells use for a family when none is given (`key=v1,v2`
/// settings, space-separated): the CLI's `--grid` default and the Train form's grid field.
/// `nb` and `majority` have nothing to search.
pub fn suggested_grid(family: &str) -> &'static str {
    match family {
        "svm" => "c=0.1,1,10",
        "knn" => "k=3,5,9",
        "rf" => "trees=100",
        "logreg" => "c=0.01,0.1,1",
        "ensemble" => "logreg.c=0.01,0.1 svm.c=1,10",
        _ => "",
    }
}

/// The default spec of a model family (`svm`, `knn`, `rf`, `logreg`, `nb`, `majority`,
/// `ensemble` = soft vote of logistic regression (C=1) and the RBF SVM (C=1)).
pub fn default_spec(family: &str) -> Result<ModelSpec, String> {
    Ok(match family {
        "svm" => ModelSpec::Svm {
            kernel: Kernel::Rbf,
            c: 1.0,
            gamma: Gamma::Scale,
        },
        "knn" => ModelSpec::Knn {
            k: 5,
            weights: Weights::Uniform,
            metric: Metric::Euclidean,
        },
        "rf" => ModelSpec::RandomForest {
            trees: 100,
            max_depth: None,
            min_samples_split: 2,
            max_features: MaxFeatures::Sqrt,
            seed: 0,
        },
        "logreg" => ModelSpec::LogisticRegression { alpha: 1.0 },
        "nb" => ModelSpec::GaussianNb,
        "majority" => ModelSpec::Majority,
        "ensemble" => ModelSpec::Ensemble {
            members: vec![default_spec("logreg")?, default_spec("svm")?],
        },
        other => {
            return Err(format!(
                "unknown model '{other}' (svm, knn, rf, logreg, nb, majority, ensemble)"
            ));
        }
    })
}

/// `value` as a number, or why not (naming the key).
fn num(key: &str, v: &str) -> Result<f64, String> {
    v.parse::<f64>()
        .map_err(|_| format!("'{v}' is not a number (in {key})"))
}

/// `value` as a whole number, or why not (naming the key).
fn int(key: &str, v: &str) -> Result<usize, String> {
    v.parse::<usize>()
        .map_err(|_| format!("'{v}' is not a whole number (in {key})"))
}

/// One of `choices` by name.
fn pick<T: Copy>(value: &str, choices: &[(&str, T)]) -> Option<T> {
    choices.iter().find(|(n, _)| *n == value).map(|(_, t)| *t)
}

/// `spec` with `key` set to `value`; `Ok(None)` when the key is not the family's.
fn set_svm_knn(s: &mut ModelSpec, key: &str, value: &str) -> Result<Option<()>, String> {
    match (s, key) {
        (ModelSpec::Svm { c, .. }, "c") => *c = num(key, value)?,
        (ModelSpec::Svm { gamma, .. }, "gamma") => {
            *gamma = if value == "scale" {
                Gamma::Scale
            } else {
                Gamma::Value(num(key, value)?)
            }
        }
        (ModelSpec::Svm { kernel, .. }, "kernel") => {
            let Some(v) = pick(value, &[("rbf", Kernel::Rbf), ("linear", Kernel::Linear)]) else {
                return Ok(None);
            };
            *kernel = v
        }
        (ModelSpec::Knn { k, .. }, "k") => *k = int(key, value)?,
        (ModelSpec::Knn { weights, .. }, "weights") => {
            let all = [
                ("uniform", Weights::Uniform),
                ("distance", Weights::Distance),
            ];
            let Some(v) = pick(value, &all) else {
                return Ok(None);
            };
            *weights = v
        }
        (ModelSpec::Knn { metric, .. }, "metric") => {
            let all = [
                ("euclidean", Metric::Euclidean),
                ("manhattan", Metric::Manhattan),
            ];
            let Some(v) = pick(value, &all) else {
                return Ok(None);
            };
            *metric = v
        }
        _ => return Ok(None),
    }
    Ok(Some(()))
}

/// As [`set_svm_knn`] for the forest and logistic regression.
fn set_forest_logreg(s: &mut ModelSpec, key: &str, value: &str) -> Result<Option<()>, String> {
    let small = |v: usize| v.min(u16::MAX as usize) as u16;
    match (s, key) {
        (ModelSpec::RandomForest { trees, .. }, "trees") => *trees = small(int(key, value)?),
        (ModelSpec::RandomForest { max_depth, .. }, "depth") => {
            *max_depth = match value {
                "none" => None,
                v => Some(small(int(key, v)?)),
            }
        }
        (
            ModelSpec::RandomForest {
                min_samples_split, ..
            },
            "split",
        ) => *min_samples_split = int(key, value)?,
        (ModelSpec::RandomForest { max_features, .. }, "features") => {
            *max_features = match value {
                "sqrt" => MaxFeatures::Sqrt,
                "all" => MaxFeatures::All,
                v => MaxFeatures::Count(int(key, v)?),
            }
        }
        (ModelSpec::LogisticRegression { alpha }, "alpha") => *alpha = num(key, value)?,
        // scikit-learn's C: the inverse of alpha ("inf" or "none": unpenalised).
        (ModelSpec::LogisticRegression { alpha }, "c") => {
            *alpha = match value {
                "inf" | "none" => 0.0,
                v => {
                    let c = num(key, v)?;
                    if c <= 0.0 {
                        return Err(format!("'{key}={value}': C must be positive"));
                    }
                    1.0 / c
                }
            }
        }
        _ => return Ok(None),
    }
    Ok(Some(()))
}

fn set(spec: &ModelSpec, key: &str, value: &str) -> Result<ModelSpec, String> {
    let mut s = spec.clone();
    match set_svm_knn(&mut s, key, value)? {
        Some(()) => Ok(s),
        None => match set_forest_logreg(&mut s, key, value)? {
            Some(()) => Ok(s),
            None => Err(format!(
                "'{key}={value}' does not apply to {}",
                spec.family()
            )),
        },
    }
}

/// Every combination of the `key=v1,v2,…` settings applied to the family's default. For
/// `ensemble`, keys name their member: `logreg.c=0.01,0.1`, `svm.c=1,10`.
pub fn build_grid(family: &str, settings: &[String]) -> Result<Vec<ModelSpec>, String> {
    if family == "ensemble" {
        let ModelSpec::Ensemble { members } = default_spec(family)? else {
            return Err("ensemble has no members".into());
        };
        let mut slots: Vec<Vec<ModelSpec>> = Vec::new();
        for m in &members {
            let prefix = format!("{}.", m.family());
            let own: Vec<String> = settings
                .iter()
                .filter_map(|s| s.strip_prefix(&prefix).map(str::to_string))
                .collect();
            slots.push(build_grid(m.family(), &own)?);
        }
        if let Some(s) = settings.iter().find(|s| {
            !members
                .iter()
                .any(|m| s.starts_with(&format!("{}.", m.family())))
        }) {
            return Err(format!(
                "'{s}': ensemble settings name their member, e.g. logreg.c=0.01,0.1 or svm.c=1,10"
            ));
        }
        let mut grid: Vec<Vec<ModelSpec>> = vec![Vec::new()];
        for slot in slots {
            grid = grid
                .into_iter()
                .flat_map(|prefix| {
                    slot.iter().map(move |m| {
                        let mut p = prefix.clone();
                        p.push(m.clone());
                        p
                    })
                })
                .collect();
        }
        return Ok(grid
            .into_iter()
            .map(|members| ModelSpec::Ensemble { members })
            .collect());
    }
    let mut grid = vec![default_spec(family)?];
    for setting in settings {
        let (key, values) = setting
            .split_once('=')
            .ok_or_else(|| format!("grid setting '{setting}' should look like c=0.1,1,10"))?;
        let mut next = Vec::new();
        for spec in &grid {
            for v in values.split(',').filter(|v| !v.is_empty()) {
                next.push(set(spec, key.trim(), v.trim())?);
            }
        }
        if next.is_empty() {
            return Err(format!("grid setting '{setting}' has no values"));
        }
        grid = next;
    }
    for spec in &grid {
        check_spec(spec)?;
    }
    Ok(grid)
}

/// The bounds every model's hyperparameters must hold — checked on grids typed in (a
/// `k=0` used to run as a silently different model) and on specs read back from a
/// session: SVM C and a gamma value finite and positive; k-NN k, forest trees, depth and
/// features at least 1, split at least 2; logistic regression's penalty finite, not
/// negative; an ensemble's members present and valid. Names the family and the setting.
pub fn check_spec(spec: &ModelSpec) -> Result<(), String> {
    let positive = |x: f64| x.is_finite() && x > 0.0;
    let why = match spec {
        ModelSpec::Svm { c, .. } if !positive(*c) => format!("svm c={c}: must be positive"),
        ModelSpec::Svm {
            gamma: Gamma::Value(g),
            ..
        } if !positive(*g) => format!("svm gamma={g}: must be positive"),
        ModelSpec::Knn { k: 0, .. } => "knn k=0: at least 1 neighbour".into(),
        ModelSpec::RandomForest { trees: 0, .. } => "rf trees=0: at least 1 tree".into(),
        ModelSpec::RandomForest {
            max_depth: Some(0), ..
        } => "rf depth=0: at least 1 (or none)".into(),
        ModelSpec::RandomForest {
            min_samples_split: s @ 0..=1,
            ..
        } => format!("rf split={s}: at least 2 clips to split a node"),
        ModelSpec::RandomForest {
            max_features: MaxFeatures::Count(0),
            ..
        } => "rf features=0: at least 1 feature per split".into(),
        ModelSpec::LogisticRegression { alpha } if !(alpha.is_finite() && *alpha >= 0.0) => {
            format!("logreg alpha={alpha}: must be finite and not negative")
        }
        ModelSpec::Ensemble { members } if members.is_empty() => "ensemble: no members".into(),
        ModelSpec::Ensemble { members } => return members.iter().try_for_each(check_spec),
        _ => return Ok(()),
    };
    Err(why)
}

/// Splits the experiment-level `select=K1,K2` setting from the model settings: returns the
/// model grid and the selection sizes to search (empty = no selection).
pub fn build_search(
    family: &str,
    settings: &[String],
) -> Result<(Vec<ModelSpec>, Vec<usize>), String> {
    let mut select = Vec::new();
    let mut rest = Vec::new();
    for s in settings {
        match s.split_once('=') {
            Some((k, values)) if k.trim() == "select" => {
                for v in values.split(',').filter(|v| !v.is_empty()) {
                    let k: usize = v.trim().parse().ok().filter(|&k| k > 0).ok_or_else(|| {
                        format!("'{v}' is not a positive number of features (in select)")
                    })?;
                    select.push(k);
                }
            }
            _ => rest.push(s.clone()),
        }
    }
    Ok((build_grid(family, &rest)?, select))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ensemble_grids_are_per_member_and_select_is_split_off() {
        let (g, sel) = build_search(
            "ensemble",
            &[
                "logreg.c=0.01,0.1".into(),
                "svm.c=1,10,100".into(),
                "select=50,100".into(),
            ],
        )
        .unwrap();
        assert_eq!(sel, vec![50, 100]);
        assert_eq!(g.len(), 6);
        assert!(matches!(&g[0], ModelSpec::Ensemble { members } if members.len() == 2));
        assert!(
            build_grid("ensemble", &["c=1".into()])
                .unwrap_err()
                .contains("name their member")
        );
        assert!(build_search("svm", &["select=0".into()]).is_err());
        let lr = build_grid("logreg", &["c=0.5".into()]).unwrap();
        assert_eq!(lr, vec![ModelSpec::LogisticRegression { alpha: 2.0 }]);
    }

    #[test]
    fn grid_is_the_cartesian_product() {
        let g = build_grid("svm", &["c=0.1,1,10".into(), "gamma=scale,0.01".into()]).unwrap();
        assert_eq!(g.len(), 6);
        assert!(
            build_grid("svm", &["k=3".into()])
                .unwrap_err()
                .contains("does not apply")
        );
        assert!(build_grid("tree", &[]).is_err());
        // Settings the models cannot take are refused, naming them.
        for (family, setting, says) in [
            ("knn", "k=0", "knn k=0"),
            ("rf", "trees=0", "rf trees=0"),
            ("rf", "split=1", "rf split=1"),
            ("rf", "depth=0", "rf depth=0"),
            ("rf", "features=0", "rf features=0"),
            ("svm", "c=-1", "svm c=-1"),
            ("svm", "c=nan", "svm c=NaN"),
            ("svm", "gamma=0", "svm gamma=0"),
            ("logreg", "alpha=-1", "logreg alpha=-1"),
        ] {
            let e = build_grid(family, &[setting.into()]).unwrap_err();
            assert!(e.contains(says), "{setting}: {e}");
        }
        assert!(check_spec(&ModelSpec::Ensemble { members: vec![] }).is_err());
        let rf = build_grid("rf", &["depth=none,10".into()]).unwrap();
        assert_eq!(rf.len(), 2);
    }
}
