//! Classifier and selection numbers against scikit-learn on the real RAVDESS fixture features
//! (`../shared/fixtures/ravdess/librosa_classic187.csv`). Golden values:
//! `tests/golden/make_ml_golden.py` (scikit-learn 1.9.1) → `tests/golden/ml_golden.json`, and
//! `tests/golden/make_importance_golden.py` → `tests/golden/importance_golden.json`.

mod common;

use emoscope::ml::logreg::{self, LbfgsOptions};
use emoscope::ml::scale::StandardScaler;
use emoscope::ml::select::{Selection, f_classif};
use serde_json::Value;

struct Fixture {
    x: Vec<f64>,
    d: usize,
    y: Vec<usize>,
    actor: Vec<u8>,
    names: Vec<String>,
    files: Vec<String>,
}

fn fixture() -> Option<Fixture> {
    let dir = common::fixtures()?;
    let csv = std::fs::read_to_string(dir.join("librosa_classic187.csv")).unwrap();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let first = header.iter().position(|h| *h == "mfcc_mean_0").unwrap();
    let code = header.iter().position(|h| *h == "emotion_code").unwrap();
    let actor = header.iter().position(|h| *h == "actor").unwrap();
    let mut f = Fixture {
        x: Vec::new(),
        d: header.len() - first,
        y: Vec::new(),
        actor: Vec::new(),
        names: header[first..].iter().map(|h| h.to_string()).collect(),
        files: Vec::new(),
    };
    for line in lines {
        let cells: Vec<&str> = line.split(',').collect();
        f.x.extend(cells[first..].iter().map(|v| v.parse::<f64>().unwrap()));
        f.y.push(cells[code].parse::<usize>().unwrap() - 1);
        f.actor.push(cells[actor].parse().unwrap());
        f.files.push(cells[0].to_string());
    }
    Some(f)
}

fn golden() -> Value {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/ml_golden.json"),
    )
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

#[test]
fn f_scores_equal_scikit_learns_f_classif() {
    let Some(fx) = fixture() else { return };
    let g = golden();
    let want = floats(&g["f_classif"]["F"]);
    let got = f_classif(&fx.x, &fx.y, fx.d, 8);
    assert_eq!(got.len(), want.len());
    for (j, (a, b)) in got.iter().zip(&want).enumerate() {
        assert!(
            ((a - b) / b).abs() < 1e-9,
            "column {j}: F {a} vs scikit-learn {b}"
        );
    }
    let keep: Vec<usize> = g["f_classif"]["k20"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap() as usize)
        .collect();
    assert_eq!(Selection::k_best(&fx.x, &fx.y, fx.d, 8, 20).keep, keep);
}

#[test]
fn logistic_regression_probabilities_equal_scikit_learns_lbfgs() {
    let Some(fx) = fixture() else { return };
    let g = golden();
    let d = fx.d;
    let (mut xtr, mut ytr, mut xte) = (Vec::new(), Vec::new(), Vec::new());
    for (i, row) in fx.x.chunks(d).enumerate() {
        if fx.actor[i] == 6 {
            xte.extend_from_slice(row);
        } else {
            xtr.extend_from_slice(row);
            ytr.push(fx.y[i]);
        }
    }
    let scaler = StandardScaler::fit(&xtr, d);
    scaler.transform(&mut xtr);
    scaler.transform(&mut xte);
    for c in ["0.01", "1.0"] {
        let opts = LbfgsOptions {
            c: Some(c.parse().unwrap()),
            max_iter: 100_000,
            tol: 1e-10,
        };
        let m = logreg::fit(&xtr, &ytr, d, 8, &opts);
        let want = g["logreg"][c]["proba"].as_array().unwrap();
        let mut worst: f64 = 0.0;
        for (row, w) in xte.chunks(d).zip(want) {
            let p = m.proba(row);
            for (a, b) in p.iter().zip(floats(w)) {
                worst = worst.max((a - b).abs());
            }
        }
        eprintln!(
            "C={c}: {} iterations, largest difference {worst:.2e}",
            m.iterations
        );
        assert!(worst < 1e-4, "C={c}: probabilities differ by up to {worst}");
    }
}

/// Permutation importance against scikit-learn's `permutation_importance` (and the same by
/// hand for groups): logistic regression trained on actors 01-04, tested on 05-06, 100
/// shuffles a feature. The generators differ, so the means must agree within their standard
/// errors (4 SE of the difference, plus one test clip's worth of UAR), not exactly.
#[test]
fn permutation_importance_agrees_with_scikit_learns() {
    use emoscope::corpus::{ClipId, Emotion};
    use emoscope::jobs::CancelToken;
    use emoscope::ml::dataset::Dataset;
    use emoscope::ml::experiment::{ExperimentSpec, run};
    use emoscope::ml::importance::permutation_importance;
    use emoscope::ml::models::ModelSpec;
    use emoscope::ml::protocol::Protocol;
    let Some(fx) = fixture() else { return };
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/golden/importance_golden.json"),
    )
    .unwrap();
    let g: Value = serde_json::from_str(&text).unwrap();
    let ds = Dataset {
        names: fx.names.clone(),
        x: fx.x.clone(),
        n_features: fx.d,
        y: fx.y.clone(),
        classes: Emotion::RAVDESS.to_vec(),
        ids: fx
            .files
            .iter()
            .map(|f| ClipId::parse(f.rsplit('/').next().unwrap()).unwrap())
            .collect(),
    };
    let spec = ExperimentSpec {
        grid: vec![ModelSpec::LogisticRegression { alpha: 1.0 }],
        protocol: Protocol::Holdout {
            test_actors: vec![5, 6],
        },
        ..ExperimentSpec::default()
    };
    let report = run(&ds, &spec, &CancelToken::new(), &|_| {}).unwrap();
    let repeats = g["repeats"].as_u64().unwrap() as usize;
    let imp =
        permutation_importance(&ds, &report, repeats, &CancelToken::new(), &|_, _| {}).unwrap();
    // The same model: the unshuffled UAR equals scikit-learn's to within a test clip.
    let base = g["baseline_uar"].as_f64().unwrap();
    assert!(
        (imp.baseline_uar - base).abs() < 0.01,
        "baseline UAR {} vs scikit-learn {base}",
        imp.baseline_uar
    );
    let n = repeats as f64;
    let agree = |ours: &emoscope::ml::importance::Ranked, theirs: &Value| {
        let (drop, std) = (
            theirs["drop"].as_f64().unwrap(),
            theirs["std"].as_f64().unwrap(),
        );
        let se = ((ours.std * ours.std + std * std) / n).sqrt();
        assert!(
            (ours.drop - drop).abs() <= 4.0 * se + 1.0 / 120.0,
            "{}: drop {:.4} ± {:.4} vs scikit-learn {drop:.4} ± {std:.4}",
            ours.name,
            ours.drop,
            ours.std
        );
    };
    let groups = g["groups"].as_array().unwrap();
    assert_eq!(imp.groups.len(), groups.len());
    for theirs in groups {
        let name = theirs["name"].as_str().unwrap();
        let ours = imp.groups.iter().find(|r| r.name == name).unwrap();
        assert_eq!(ours.columns as u64, theirs["columns"].as_u64().unwrap());
        agree(ours, theirs);
    }
    let features = g["features"].as_array().unwrap();
    assert_eq!(imp.features.len(), features.len());
    for theirs in features {
        let name = theirs["name"].as_str().unwrap();
        agree(
            imp.features.iter().find(|r| r.name == name).unwrap(),
            theirs,
        );
    }
    // The strongest group is the same (spectral contrast, ahead of MFCC by ~2 SE).
    let top = |v: &[Value]| {
        v.iter()
            .max_by(|a, b| a["drop"].as_f64().partial_cmp(&b["drop"].as_f64()).unwrap())
            .unwrap()["name"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(imp.groups[0].name, top(groups));
}
