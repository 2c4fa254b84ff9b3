//! Saved models: a model saved, then loaded in a fresh process, classifies the same clips
//! identically; broken model files get clear errors naming the file.

use std::path::{Path, PathBuf};
use std::process::Command;

use emoscope::audio::LoadOptions;
use emoscope::corpus::{Corpus, Emotion};
use emoscope::ml::persist::SavedModel;

mod common;

fn small_corpus(dir: &Path) -> Corpus {
    common::synthetic_on_disk(
        dir,
        &[1, 2, 3, 4],
        &[Emotion::Happy, Emotion::Sad, Emotion::Angry],
    )
}

fn train_and_save(corpus: &Corpus, family: &str, path: &Path) -> SavedModel {
    let model = common::fit_classic(corpus, family, false, 9);
    model.save(path).unwrap();
    model
}

fn clip_paths(corpus: &Corpus) -> Vec<PathBuf> {
    corpus
        .clips
        .iter()
        .step_by(7)
        .map(|c| PathBuf::from(c.location()))
        .collect()
}

#[test]
fn saved_models_classify_identically_in_a_fresh_process() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = small_corpus(&tmp.path().join("corpus"));
    let files = clip_paths(&corpus);
    let audio: Vec<_> = files
        .iter()
        .map(|f| emoscope::audio::load(f, &LoadOptions::default()).unwrap())
        .collect();
    for family in ["svm", "knn", "rf"] {
        let path = tmp.path().join(format!("{family}.ron"));
        let model = train_and_save(&corpus, family, &path);
        let here = model
            .classify(&audio, emoscope::ml::persist::SpeakerNorm::None)
            .unwrap();
        let json = common::json_output(
            Command::new(env!("CARGO_BIN_EXE_emoscope"))
                .arg("classify")
                .arg("--json")
                .arg("--model")
                .arg(&path)
                .args(&files),
        );
        let rows = json.as_array().expect("one object per file");
        assert_eq!(rows.len(), here.len());
        for (row, (emotion, probs)) in rows.iter().zip(&here) {
            assert_eq!(row["emotion"], emotion.name(), "{family}");
            for (c, p) in model.classes.iter().zip(probs) {
                assert_eq!(
                    row["probabilities"][c.name()].as_f64().unwrap(),
                    *p,
                    "{family} {c}"
                );
            }
        }
    }
}

#[test]
fn broken_model_files_are_reported_with_their_name() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = small_corpus(&tmp.path().join("corpus"));
    let good = tmp.path().join("good.ron");
    train_and_save(&corpus, "knn", &good);
    let text = std::fs::read_to_string(&good).unwrap();

    let check = |name: &str, contents: &str, expect: &str| {
        let p = tmp.path().join(name);
        std::fs::write(&p, contents).unwrap();
        let err = SavedModel::load(&p).unwrap_err().to_string();
        assert!(err.contains(name), "{err}");
        assert!(err.contains(expect), "{name}: {err}");
    };
    check(
        "garbage.ron",
        "this is not a model",
        "not a valid emoscope model",
    );
    check(
        "truncated.ron",
        &text[..text.len() / 2],
        "not a valid emoscope model",
    );
    check(
        "future.ron",
        &text.replacen("format: 1,", "format: 99,", 1),
        "format 99 is not supported",
    );
    check(
        "preset.ron",
        &text.replacen("preset: classic,", "preset: spectrogram_v9,", 1),
        "spectrogram_v9",
    );
    let err = SavedModel::load(&tmp.path().join("missing.ron"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("missing.ron") && err.contains("cannot read"),
        "{err}"
    );

    // The CLI fails with the message naming the file.
    let out = Command::new(env!("CARGO_BIN_EXE_emoscope"))
        .args(["classify", "--model"])
        .arg(tmp.path().join("garbage.ron"))
        .arg(clip_paths(&corpus)[0].clone())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("garbage.ron"));
}

/// Shapes a saved model's new parts must have: a selection inside the input features and of
/// the scaler's width, logistic-regression weights for every class × feature, SVM
/// probability pairs (libsvm-rs's own check) — each refused on load with the file and the
/// field named.
#[test]
fn inconsistent_shapes_are_refused_on_load() {
    use emoscope::ml::models::Model;
    use emoscope::ml::select::Selection;
    let tmp = tempfile::tempdir().unwrap();
    let corpus = small_corpus(&tmp.path().join("corpus"));
    let refused = |name: &str, m: &SavedModel, field: &str| {
        let p = tmp.path().join(name);
        m.save(&p).unwrap();
        let err = SavedModel::load(&p).unwrap_err().to_string();
        assert!(err.contains(name) && err.contains(field), "{name}: {err}");
    };
    let mut lr = common::fit_classic(&corpus, "logreg", false, 1);
    let good = tmp.path().join("lr.ron");
    lr.save(&good).unwrap();
    SavedModel::load(&good).unwrap();
    if let Model::LogReg { model, .. } = &mut lr.model {
        model.intercepts.pop();
    }
    refused("short_intercepts.ron", &lr, "model.LogReg");
    let mut lr = common::fit_classic(&corpus, "logreg", false, 1);
    let d = lr.scaler.mean.len();
    lr.selection = Some(Selection {
        n_input: d,
        keep: (1..=d).collect(),
    });
    refused("selection_out_of_range.ron", &lr, "selection: column");
    let mut svm = common::fit_classic(&corpus, "svm", false, 1);
    if let Model::Svm { model, .. } = &mut svm.model {
        model.prob_a.pop();
    }
    refused("svm_pairs.ron", &svm, "probA");
}

/// A 10-sample file, digital silence and a 1 Hz rate used to get confident predictions; now
/// `classify` refuses each, naming the file and why.
#[test]
fn degenerate_clips_are_refused_by_classify() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = small_corpus(&tmp.path().join("corpus"));
    let model = tmp.path().join("knn.ron");
    train_and_save(&corpus, "knn", &model);
    let write = |name: &str, rate: u32, samples: &[i16]| {
        let p = tmp.path().join(name);
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: rate,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut w = hound::WavWriter::create(&p, spec).unwrap();
        for &s in samples {
            w.write_sample(s).unwrap();
        }
        w.finalize().unwrap();
        p
    };
    let noise: Vec<i16> = (0..48000)
        .map(|i| ((i * 7919) % 2001) as i16 - 1000)
        .collect();
    for (path, why) in [
        (write("ten.wav", 48000, &noise[..10]), "only 10 samples"),
        (write("silent.wav", 48000, &[0; 48000]), "digitally silent"),
        (write("onehz.wav", 1, &noise[..50]), "recorded at 1 Hz"),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_emoscope"))
            .arg("classify")
            .arg("--model")
            .arg(&model)
            .arg(&path)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{}", path.display());
        assert!(
            err.contains(&*path.to_string_lossy()) && err.contains(why),
            "{err}"
        );
    }
}
