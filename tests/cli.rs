//! The binary as a user runs it.

mod common;

use std::process::Command;

fn emoscope(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_emoscope"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn bare_invocation_summarises_the_synthetic_corpus() {
    let out = emoscope(&[]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("synthetic (seed 1188976)"), "{text}");
    assert!(text.contains("1440 clips"), "{text}");
    assert!(text.contains("problems: none"), "{text}");
}

#[test]
fn scan_json_of_the_fixtures() {
    let Some(dir) = common::fixtures() else {
        return;
    };
    let out = emoscope(&["scan", dir.to_str().unwrap(), "--json"]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["clips"], 360);
    assert_eq!(v["actors"].as_array().unwrap().len(), 6);
    assert_eq!(v["problems"].as_array().unwrap().len(), 0);
    assert_eq!(v["channels"]["2"], 3);
}

#[test]
fn scanning_a_missing_folder_fails_with_its_name() {
    let out = emoscope(&["scan", "/no/such/dir"]);
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("/no/such/dir"), "{err}");
    assert_eq!(err.matches("/no/such/dir").count(), 1, "named once: {err}");
}

#[test]
fn a_folder_without_clips_is_an_error_with_a_hint_and_train_names_its_corpus() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("notes.txt"), "x").unwrap();
    let out = emoscope(&["scan", tmp.path().to_str().unwrap()]);
    assert!(!out.status.success(), "an empty scan fails");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("no RAVDESS clips found") && err.contains("Actor_XX"),
        "{err}"
    );
    // train without --corpus says it uses the synthetic corpus; --seed is --synth-seed.
    // Saving says how long the final fit should take (from the folds) and took.
    let model = tmp.path().join("m.ron");
    let out = emoscope(&[
        "--synth-seed",
        "7",
        "train",
        "--model",
        "majority",
        "--protocol",
        "holdout:1",
        "--save",
        model.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("synthetic corpus (--synth-seed 7)"), "{err}");
    assert!(
        err.contains("fitting the final model on all 1440 clips (about ")
            && err.contains("s, from the folds' fits)")
            && err.contains("final fit took "),
        "{err}"
    );
    assert!(model.is_file());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("corpus synthetic (seed 7)"), "{text}");
    assert!(text.contains("chance: UAR 0.125"), "{text}");
    assert!(
        text.contains("features ") && text.contains("+ training "),
        "{text}"
    );
}

#[test]
fn synth_writes_clips_into_actor_folders() {
    let tmp = tempfile::tempdir().unwrap();
    let out = emoscope(&[
        "synth",
        "--out",
        tmp.path().to_str().unwrap(),
        "--actor",
        "2",
        "--limit",
        "3",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let files: Vec<_> = walkdir::WalkDir::new(tmp.path())
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .collect();
    assert_eq!(files.len(), 3);
    assert!(
        files
            .iter()
            .all(|f| f.path().parent().unwrap().ends_with("Actor_02"))
    );
    let bad = emoscope(&[
        "synth",
        "--out",
        tmp.path().to_str().unwrap(),
        "--actor",
        "30",
    ]);
    assert!(!bad.status.success());
}

#[test]
fn a_protocol_that_does_not_fit_the_corpus_is_named_once() {
    use emoscope::corpus::Emotion;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("corpus");
    common::synthetic_on_disk(&dir, &[1, 2], &[Emotion::Happy, Emotion::Sad]);
    let out = Command::new(env!("CARGO_BIN_EXE_emoscope"))
        .env("EMOSCOPE_CACHE", tmp.path().join("cache"))
        .args([
            "--corpus",
            dir.to_str().unwrap(),
            "train",
            "--protocol",
            "folds:1/30",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    let what = "fold 2 (test actors [30]) has no clips in the data";
    assert_eq!(err.matches(what).count(), 1, "{err}");
}

/// `--max-seconds` is one limit for the scan and the extraction: a 601 s clip that the scan
/// keeps under `--max-seconds 800` is extracted, not skipped by extraction's default of 600.
#[test]
fn max_seconds_is_honoured_by_scan_and_features_alike() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("Actor_01");
    std::fs::create_dir_all(&dir).unwrap();
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 1000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let path = dir.join("03-01-05-01-01-01-01.wav");
    let mut w = hound::WavWriter::create(&path, spec).unwrap();
    for i in 0..601_000 {
        w.write_sample(((i as f32 * 0.3).sin() * 8000.0) as i16)
            .unwrap();
    }
    w.finalize().unwrap();
    let corpus = tmp.path().to_str().unwrap();
    let csv = tmp.path().join("f.csv");
    let out = emoscope(&[
        "--max-seconds",
        "800",
        "features",
        "--corpus",
        corpus,
        "--no-cache",
        "--out",
        csv.to_str().unwrap(),
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("wrote 1 rows"), "{text}");
    assert!(text.contains("0 failed"), "{text}");
    // Without the flag, the default limit refuses it in the scan already, by name.
    let out = emoscope(&["scan", corpus]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("601.0 s long"), "{text}");
}
