//! Saved models, profiles and sessions are untrusted input: the one-field edits that used to
//! panic, loop, abort on allocation or give silently wrong answers (issue 15's list) are now
//! refused on load with an error naming the file and the field.

use std::path::Path;

use emoscope::corpus::Emotion;
use emoscope::ml::persist::SavedModel;

mod common;

/// Replaces the first `from` in the file's text by `to` (which must be there).
fn edited(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "{from:?} not in the model");
    text.replacen(from, to, 1)
}

fn load_err(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(format!("{name}.ron"));
    std::fs::write(&p, text).unwrap();
    match SavedModel::load(&p) {
        Ok(_) => panic!("{name}: the edited model loaded"),
        Err(e) => {
            let e = e.to_string();
            assert!(e.contains(&format!("{name}.ron")), "{name}: {e}");
            e
        }
    }
}

#[test]
fn edited_models_are_refused_by_field() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = common::synthetic_on_disk(
        &tmp.path().join("corpus"),
        &[1, 2, 3],
        &[Emotion::Happy, Emotion::Sad, Emotion::Angry],
    );
    let text = |family: &str| {
        let p = tmp.path().join(format!("{family}-good.ron"));
        common::fit_classic(&corpus, family, false, 1)
            .save(&p)
            .unwrap();
        // The unedited file loads.
        SavedModel::load(&p).unwrap();
        std::fs::read_to_string(p).unwrap()
    };
    let (knn, rf, nb, major, logreg) = (
        text("knn"),
        text("rf"),
        text("nb"),
        text("majority"),
        text("logreg"),
    );
    let d = tmp.path();
    // (model text, name, from, to, the field the error names)
    let cases: Vec<(&str, &str, &str, &str, &str)> = vec![
        (&knn, "hop0", "hop: 512", "hop: 0", "features.hop"),
        (&knn, "nfft1", "n_fft: 2048", "n_fft: 1", "features.n_fft"),
        (
            &knn,
            "nfft_huge",
            "n_fft: 2048",
            "n_fft: 1099511627776",
            "features.n_fft",
        ),
        (
            &knn,
            "nmels0",
            "n_mels: 128",
            "n_mels: 0",
            "features.n_mels",
        ),
        (
            &knn,
            "nmels_huge",
            "n_mels: 128",
            "n_mels: 1000000000",
            "features.n_mels",
        ),
        (
            &knn,
            "rate_max",
            "sample_rate: None",
            "sample_rate: Some(4294967295)",
            "features.sample_rate",
        ),
        (&knn, "knn_k0", "spec: (5,", "spec: (0,", "model.Knn.spec"),
        (&knn, "knn_d", "d: 180,", "d: 179,", "model.Knn.d"),
        (
            &knn,
            "knn_classes",
            "n_classes: 3,",
            "n_classes: 1000000000000,",
            "n_classes",
        ),
        (
            &rf,
            "rf_loop",
            "left: 1,",
            "left: 0,",
            "child 0 must come after it",
        ),
        (
            &rf,
            "rf_child",
            "left: 1,",
            "left: 4000000,",
            "child 4000000",
        ),
        (
            &rf,
            "rf_feature",
            "feature: ",
            "feature: 9999, x: ",
            "feature: 9999",
        ),
        (
            &major,
            "major_priors",
            "priors: [",
            "priors: [0.5, ",
            "model.Majority.priors",
        ),
        (
            &nb,
            "nb_theta",
            "theta: [\n                        [\n",
            "theta: [\n                        [\n1.0,\n",
            "model.Nb",
        ),
        // Found by the `model` fuzz target: a misspelt `inner` reads as an unfitted naive
        // Bayes (serde fills the missing Option with None), and smartcore's accessors
        // unwrap it.
        (
            &nb,
            "nb_unfitted",
            "inner: Some(",
            "innar: Some(",
            "model.Nb.model",
        ),
    ];
    for (text, name, from, to, field) in cases {
        let mut t = edited(text, from, to);
        if name == "rf_feature" {
            // "feature: 9999, x: 12," is not RON: put the number in place of the old one.
            let old = text[text.find("feature: ").unwrap() + 9..]
                .split(',')
                .next()
                .unwrap()
                .to_string();
            t = edited(text, &format!("feature: {old},"), "feature: 9999,");
        }
        let e = load_err(d, name, &t);
        assert!(e.contains(field), "{name}: {e}");
    }
    // A probability out of range, in a forest's leaf and in the priors (found by the
    // structure-aware `model_fields` fuzz target: "[32.0, 1.0]" loaded and classified with a
    // probability of 1.06).
    for (text, name, marker, field) in [
        (
            &rf,
            "rf_leaf_32",
            "proba: [",
            "model.Forest.trees[0].nodes[",
        ),
        (
            &major,
            "major_prior_5",
            "priors: [",
            "model.Majority.priors",
        ),
    ] {
        let e = load_err(d, name, &first_number_after(text, marker, "32.0"));
        assert!(e.contains(field) && e.contains("sum to 1"), "{name}: {e}");
    }
    // A scale too small to divide by (1e-320 turned features into infinities, and the
    // answer came from NaN probabilities; found by `model_fields`).
    let e = load_err(
        d,
        "tiny_scale",
        &first_number_after(&knn, "scale: [", "1e-320"),
    );
    assert!(e.contains("scaler") && e.contains("1e-12"), "{e}");
    // A selection from 2^32 input features: loaded, then classify asked for 64 GiB and
    // aborted (found by `model_fields`).
    let knn_sel = include_str!("../fuzz/corpus/model/small-knn-norm.ron");
    let huge = first_number_after(knn_sel, "n_input:", "4294967296");
    let e = load_err(d, "sel_n_input", &huge);
    assert!(e.contains("selection.n_input"), "{e}");
    // An SVM class label past the classes: every clip came out "neutral", a class the model
    // does not have (found by `model_fields`).
    let svm = include_str!("../fuzz/corpus/model/small-svm.ron");
    let at = svm.find("label:[0,1]").unwrap();
    let bad = format!("{}label:[0,2]{}", &svm[..at], &svm[at + 11..]);
    let e = load_err(d, "svm_label", &bad);
    assert!(e.contains("model.Svm.model.label"), "{e}");
    // A logistic-regression weight deleted (one line of the weights list).
    let w = logreg.find("weights: [").unwrap();
    let line_start = w + logreg[w..].find('\n').unwrap() + 1;
    let line_end = line_start + logreg[line_start..].find('\n').unwrap() + 1;
    let short = format!("{}{}", &logreg[..line_start], &logreg[line_end..]);
    let e = load_err(d, "logreg_short", &short);
    assert!(e.contains("model.LogReg"), "{e}");
    // Deep nesting is refused before it can overflow the stack.
    let deep = format!("{}{}", "(".repeat(50_000), ")".repeat(50_000));
    load_err(d, "deep", &deep);
    // Not a regular file: a folder named like a model.
    std::fs::create_dir_all(d.join("folder.ron")).unwrap();
    let e = SavedModel::load(&d.join("folder.ron"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("not a regular file"), "{e}");
}

#[test]
fn edited_sessions_are_refused_by_field() {
    use emoscope::session::Session;
    let tmp = tempfile::tempdir().unwrap();
    let corpus = common::synthetic_on_disk(
        &tmp.path().join("corpus"),
        &[1, 2, 3],
        &[Emotion::Happy, Emotion::Sad],
    );
    use emoscope::features::extract::{CancelToken, extract_corpus};
    use emoscope::features::{FeatureConfig, Preset};
    let table = extract_corpus(
        &corpus,
        &FeatureConfig::preset(Preset::Classic),
        None,
        &CancelToken::new(),
        &|_, _| {},
    )
    .unwrap();
    let ds = emoscope::ml::dataset::Dataset::from_table(&table).unwrap();
    let spec = emoscope::ml::experiment::ExperimentSpec {
        protocol: emoscope::ml::protocol::Protocol::Loso,
        ..Default::default()
    };
    let report = emoscope::ml::experiment::run(&ds, &spec, &CancelToken::new(), &|_| {}).unwrap();
    let mut s = Session::default();
    s.experiments.push(emoscope::session::ExperimentRecord {
        id: 1,
        preset: Preset::Classic,
        spec,
        outcome: emoscope::session::Outcome::Finished(Box::new(report)),
    });
    let p = tmp.path().join("good.ron");
    s.save(&p).unwrap();
    let good = std::fs::read_to_string(&p).unwrap();
    assert_eq!(Session::load(&p).unwrap(), s);
    let n_ids = s.experiments[0].report().unwrap().ids.len();
    let rows = s.experiments[0].report().unwrap().folds[0].test_rows[0];
    // The pooled matrix's size ("repetition: 2," also ends in "n: 2,": edit after "pooled").
    let pooled = good.find("pooled:").unwrap();
    let at_pooled = |to: &str| {
        format!(
            "{}{}",
            &good[..pooled],
            good[pooled..].replacen("n: 2,", to, 1)
        )
    };
    // The first test row of the first fold, pointed past the clips (whatever the indentation).
    let tr = good.find("test_rows: [").unwrap() + "test_rows: [".len();
    let first = tr + good[tr..].find(&rows.to_string()).unwrap();
    let row_edit = format!(
        "{}{n_ids}{}",
        &good[..first],
        &good[first + rows.to_string().len()..]
    );
    // The spec a re-run (R) would start from: values that panicked inside the run (select 0,
    // stratified k-fold 0) or ran as a silently different model (k-NN k 0).
    let spec_edit = |from: &str, to: &str| edited(&good, from, to);
    for (name, t, field) in [
        ("n9", at_pooled("n: 9,"), "pooled"),
        ("n_huge", at_pooled("n: 1000000000,"), "pooled"),
        ("row", row_edit, "test_rows"),
        // A count of 2^64−1 overflowed the totals when drawn (found by `session_fields`); a
        // pooled count that is not the folds' sum drew a matrix no run produced.
        (
            "count_max",
            first_number_after(&good, "counts: [", "18446744073709551615"),
            "folds[0].confusion",
        ),
        (
            "pooled_count",
            format!(
                "{}{}",
                &good[..pooled],
                first_number_after(&good[pooled..], "counts: [", "1000")
            ),
            "pooled: its counts",
        ),
        (
            "select0",
            spec_edit("select: []", "select: [0]"),
            "experiments[0].spec.select",
        ),
        (
            "kfold0",
            spec_edit(
                "protocol: loso,",
                "protocol: r#stratified-k-fold(k: 0, seed: 0),",
            ),
            "experiments[0].spec.protocol",
        ),
        (
            "svm_c",
            spec_edit("c: 0.1,", "c: -0.1,"),
            "experiments[0].spec.grid[0]: svm c=-",
        ),
    ] {
        let q = tmp.path().join(format!("{name}.ron"));
        std::fs::write(&q, &t).unwrap();
        let e = Session::load(&q).unwrap_err().to_string();
        assert!(
            e.contains(&format!("{name}.ron")) && e.contains(field),
            "{name}: {e}"
        );
        assert_eq!(std::fs::read_to_string(&q).unwrap(), t, "left untouched");
    }
}

/// `text` with the first number after `marker` replaced by `with`.
fn first_number_after(text: &str, marker: &str, with: &str) -> String {
    let at = text.find(marker).unwrap() + marker.len();
    let start = at + text[at..].find(|c: char| c.is_ascii_digit()).unwrap();
    let len = text[start..]
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == 'e' || c == '-'))
        .unwrap();
    format!("{}{with}{}", &text[..start], &text[start + len..])
}
