//! Classifier and selection numbers against scikit-learn on the real RAVDESS fixture features
//! (`../shared/fixtures/ravdess/librosa_classic187.csv`). Golden values:
//! `tests/golden/make_ml_golden.py` (scikit-learn 1.9.1) → `tests/golden/ml_golden.json`.

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
    };
    for line in lines {
        let cells: Vec<&str> = line.split(',').collect();
        f.x.extend(cells[first..].iter().map(|v| v.parse::<f64>().unwrap()));
        f.y.push(cells[code].parse::<usize>().unwrap() - 1);
        f.actor.push(cells[actor].parse().unwrap());
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
