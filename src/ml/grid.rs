//! Building a model grid from `key=v1,v2` strings (the CLI's `--grid`).

use super::models::{Gamma, Kernel, MaxFeatures, Metric, ModelSpec, Weights};

/// The default spec of a model family (`svm`, `knn`, `rf`, `logreg`, `nb`, `majority`).
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
        "logreg" => ModelSpec::LogisticRegression { alpha: 0.0 },
        "nb" => ModelSpec::GaussianNb,
        "majority" => ModelSpec::Majority,
        other => {
            return Err(format!(
                "unknown model '{other}' (svm, knn, rf, logreg, nb, majority)"
            ));
        }
    })
}

fn set(spec: &ModelSpec, key: &str, value: &str) -> Result<ModelSpec, String> {
    let bad = || format!("'{key}={value}' does not apply to {}", spec.family());
    let num = |v: &str| {
        v.parse::<f64>()
            .map_err(|_| format!("'{v}' is not a number (in {key})"))
    };
    let int = |v: &str| {
        v.parse::<usize>()
            .map_err(|_| format!("'{v}' is not a whole number (in {key})"))
    };
    let mut s = spec.clone();
    match (&mut s, key) {
        (ModelSpec::Svm { c, .. }, "c") => *c = num(value)?,
        (ModelSpec::Svm { gamma, .. }, "gamma") => {
            *gamma = if value == "scale" {
                Gamma::Scale
            } else {
                Gamma::Value(num(value)?)
            }
        }
        (ModelSpec::Svm { kernel, .. }, "kernel") => {
            *kernel = match value {
                "rbf" => Kernel::Rbf,
                "linear" => Kernel::Linear,
                _ => return Err(bad()),
            }
        }
        (ModelSpec::Knn { k, .. }, "k") => *k = int(value)?,
        (ModelSpec::Knn { weights, .. }, "weights") => {
            *weights = match value {
                "uniform" => Weights::Uniform,
                "distance" => Weights::Distance,
                _ => return Err(bad()),
            }
        }
        (ModelSpec::Knn { metric, .. }, "metric") => {
            *metric = match value {
                "euclidean" => Metric::Euclidean,
                "manhattan" => Metric::Manhattan,
                _ => return Err(bad()),
            }
        }
        (ModelSpec::RandomForest { trees, .. }, "trees") => {
            *trees = int(value)?.min(u16::MAX as usize) as u16
        }
        (ModelSpec::RandomForest { max_depth, .. }, "depth") => {
            *max_depth = if value == "none" {
                None
            } else {
                Some(int(value)?.min(u16::MAX as usize) as u16)
            }
        }
        (
            ModelSpec::RandomForest {
                min_samples_split, ..
            },
            "split",
        ) => *min_samples_split = int(value)?,
        (ModelSpec::RandomForest { max_features, .. }, "features") => {
            *max_features = match value {
                "sqrt" => MaxFeatures::Sqrt,
                "all" => MaxFeatures::All,
                v => MaxFeatures::Count(int(v)?),
            }
        }
        (ModelSpec::LogisticRegression { alpha }, "alpha") => *alpha = num(value)?,
        _ => return Err(bad()),
    }
    Ok(s)
}

/// Every combination of the `key=v1,v2,…` settings applied to the family's default.
pub fn build_grid(family: &str, settings: &[String]) -> Result<Vec<ModelSpec>, String> {
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
    Ok(grid)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let rf = build_grid("rf", &["depth=none,10".into()]).unwrap();
        assert_eq!(rf.len(), 2);
    }
}
