//! Corpora beyond RAVDESS speech: each format as downloaded (written by the synthesiser in
//! that naming scheme), mixed folders, and cross-corpus evaluation.

use std::path::Path;
use std::process::Command;

use emoscope::audio::LoadOptions;
use emoscope::cli::write_synthetic_as;
use emoscope::corpus::{Corpus, CorpusFormat, CorpusSpec, Emotion, ProblemKind, Sex, scan_dir};
use emoscope::features::extract::{CancelToken, extract_corpus};
use emoscope::features::{FeatureConfig, Preset};
use emoscope::ml::dataset::Dataset;
use emoscope::ml::experiment::{ExperimentSpec, run};
use emoscope::ml::protocol::Protocol;

/// A format, the speakers written, the folder the download uses, the clips, two sexes.
type Case = (CorpusFormat, &'static [u16], &'static str, usize, [Sex; 2]);

const THREE: [Emotion; 3] = [Emotion::Angry, Emotion::Sad, Emotion::Neutral];

/// A small synthetic tree of `format`: `speakers` (their numbers in the corpus) × THREE.
fn tree(dir: &Path, format: CorpusFormat, speakers: &[u16]) -> Corpus {
    write_synthetic_as(dir, format, 3, speakers, &THREE, None).unwrap();
    Corpus::open(&CorpusSpec::directory(dir), &LoadOptions::default()).unwrap()
}

fn emoscope(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_emoscope"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn every_format_scans_as_downloaded_and_trains_by_its_speakers() {
    let cases: [Case; 5] = [
        (
            CorpusFormat::EmoDb,
            &[3, 8, 9],
            "wav",
            45,
            [Sex::Male, Sex::Female],
        ),
        (
            CorpusFormat::CremaD,
            &[1001, 1002, 1005],
            "AudioWAV",
            18,
            [Sex::Male, Sex::Female],
        ),
        (
            CorpusFormat::Tess,
            &[1, 2],
            "OAF_angry",
            120,
            [Sex::Female, Sex::Female],
        ),
        (
            CorpusFormat::Savee,
            &[1, 2, 3],
            "ALL",
            36,
            [Sex::Male, Sex::Male],
        ),
        (
            CorpusFormat::RavdessSong,
            &[1, 2, 3],
            "Actor_01",
            60,
            [Sex::Male, Sex::Female],
        ),
    ];
    for (format, speakers, folder, n, sexes) in cases {
        let tmp = tempfile::tempdir().unwrap();
        let corpus = tree(tmp.path(), format, speakers);
        assert!(tmp.path().join(folder).is_dir(), "{format}: {folder}/");
        assert_eq!(corpus.clips.len(), n, "{format}");
        // Written at the rate the corpus is distributed at (EmoDB 16 kHz, TESS 24 414 Hz …).
        let rates: Vec<u32> = corpus.clips.iter().map(|c| c.sample_rate).collect();
        let native = match format {
            CorpusFormat::EmoDb | CorpusFormat::CremaD => 16_000,
            CorpusFormat::Tess => 24_414,
            CorpusFormat::Savee => 44_100,
            CorpusFormat::Ravdess | CorpusFormat::RavdessSong => 48_000,
        };
        assert!(rates.iter().all(|&r| r == native), "{format}: {rates:?}");
        assert!(
            corpus.problems.is_empty(),
            "{format}: {:?}",
            corpus.problems
        );
        assert_eq!(corpus.formats(), vec![(format, n)]);
        let actors = corpus.actors();
        assert_eq!(actors.len(), speakers.len(), "{format}");
        let locals: Vec<u16> = actors.iter().map(|a| a.local()).collect();
        assert_eq!(locals, speakers, "{format}");
        assert_eq!([actors[0].sex(), actors[1].sex()], sexes, "{format}");
        let mut want = THREE.to_vec();
        want.sort();
        assert_eq!(corpus.emotions(), want, "{format}");

        // Leave-one-speaker-out over this corpus's own speakers.
        let cfg = FeatureConfig::preset(Preset::Classic);
        let table = extract_corpus(&corpus, &cfg, None, &CancelToken::new(), &|_, _| {}).unwrap();
        let ds = Dataset::from_table(&table).unwrap();
        let spec = ExperimentSpec {
            protocol: Protocol::Loso,
            grid: emoscope::ml::grid::build_grid("svm", &[]).unwrap(),
            ..ExperimentSpec::default()
        };
        let report = run(&ds, &spec, &CancelToken::new(), &|_| {}).unwrap();
        assert_eq!(
            report.folds.len(),
            speakers.len(),
            "{format}: one fold per speaker"
        );
        assert_eq!(report.classes, want);
        assert!(
            report.scores.uar > 1.0 / 3.0,
            "{format}: UAR {}",
            report.scores.uar
        );
    }
}

#[test]
fn savee_is_read_in_its_original_layout_with_the_speaker_in_the_folder() {
    // Kaggle's copy is `ALL/DC_a01.wav`; the original release is `AudioData/DC/a01.wav`.
    let tmp = tempfile::tempdir().unwrap();
    let kaggle = tree(&tmp.path().join("kaggle"), CorpusFormat::Savee, &[1, 2, 3]);
    let original = tmp.path().join("original");
    let path = |c: &emoscope::corpus::Clip| match &c.source {
        emoscope::corpus::ClipSource::File(p) => p.clone(),
        other => panic!("not a file: {other:?}"),
    };
    for clip in &kaggle.clips {
        let name = path(clip)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .to_string();
        let (speaker, rest) = name.split_once('_').unwrap();
        let folder = original.join("AudioData").join(speaker);
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::copy(path(clip), folder.join(rest)).unwrap();
    }
    // A name that is not a SAVEE sentence, in a speaker's folder, is reported by name.
    std::fs::copy(
        path(&kaggle.clips[0]),
        original.join("AudioData/JE/x01.wav"),
    )
    .unwrap();
    assert_eq!(
        emoscope::corpus::detect_format(&original),
        Ok(CorpusFormat::Savee)
    );
    let corpus = Corpus::open(&CorpusSpec::directory(&original), &LoadOptions::default()).unwrap();
    let ids = |c: &Corpus| c.clips.iter().map(|c| c.id).collect::<Vec<_>>();
    assert_eq!(ids(&corpus), ids(&kaggle));
    assert_eq!(corpus.actors(), kaggle.actors());
    let first = path(&corpus.clips[0]);
    assert!(
        first.ends_with(format!(
            "AudioData/DC/{}",
            &path(&kaggle.clips[0])
                .file_name()
                .unwrap()
                .to_string_lossy()[3..]
        )),
        "{first:?}"
    );
    assert_eq!(corpus.problems.len(), 1, "{:?}", corpus.problems);
    let problem = &corpus.problems[0];
    assert!(problem.path.ends_with("JE/x01.wav"));
    assert!(
        problem.kind.to_string().contains("SAVEE emotion 'x'"),
        "{}",
        problem.kind
    );
}

#[test]
fn a_mixed_folder_is_reported_and_the_main_corpus_kept_or_the_one_asked_for() {
    let tmp = tempfile::tempdir().unwrap();
    write_synthetic_as(tmp.path(), CorpusFormat::EmoDb, 3, &[3, 8], &THREE, None).unwrap();
    // Two TESS clips dropped into EmoDB's folder.
    let tess = tempfile::tempdir().unwrap();
    write_synthetic_as(tess.path(), CorpusFormat::Tess, 3, &[1], &THREE, Some(2)).unwrap();
    for f in walkdir::WalkDir::new(tess.path())
        .into_iter()
        .filter_map(Result::ok)
    {
        if f.file_type().is_file() {
            std::fs::copy(f.path(), tmp.path().join("wav").join(f.file_name())).unwrap();
        }
    }
    let corpus = scan_dir(tmp.path(), None, &LoadOptions::default()).unwrap();
    assert_eq!(corpus.formats(), vec![(CorpusFormat::EmoDb, 30)]);
    let mixed: Vec<_> = corpus
        .problems
        .iter()
        .filter(|p| matches!(p.kind, ProblemKind::MixedFolder(_)))
        .collect();
    assert_eq!(mixed.len(), 1);
    assert!(mixed[0].path.ends_with("wav"));
    assert_eq!(
        mixed[0].to_string().matches("30 EmoDB, 2 TESS").count(),
        1,
        "{}",
        mixed[0]
    );
    let other = corpus
        .problems
        .iter()
        .filter(|p| {
            p.kind
                == ProblemKind::OtherCorpus {
                    found: CorpusFormat::Tess,
                    corpus: CorpusFormat::EmoDb,
                }
        })
        .count();
    assert_eq!(other, 2);

    let tess_only = scan_dir(
        tmp.path(),
        Some(CorpusFormat::Tess),
        &LoadOptions::default(),
    )
    .unwrap();
    assert_eq!(tess_only.formats(), vec![(CorpusFormat::Tess, 2)]);

    // A stray name in an EmoDB folder is explained as EmoDB sees it.
    std::fs::write(tmp.path().join("wav").join("04a01Fa.wav"), b"RIFF").unwrap();
    let corpus = scan_dir(tmp.path(), None, &LoadOptions::default()).unwrap();
    let stray = corpus
        .problems
        .iter()
        .find(|p| p.path.ends_with("04a01Fa.wav"))
        .unwrap();
    assert!(stray.to_string().contains("EmoDB speaker '04'"), "{stray}");

    // The CLI says which corpus it found.
    let out = emoscope(&["scan", tmp.path().to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("format: EmoDB (its labels: neutral=N, sad=T, angry=W)"),
        "{text}"
    );
    assert!(
        text.contains("folder mixes corpora: 30 EmoDB, 2 TESS (reported)"),
        "{text}"
    );
}

#[test]
fn cross_corpus_trains_on_one_layout_and_tests_on_another_with_the_shared_classes() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("emodb"), tmp.path().join("savee"));
    let emotions = [
        Emotion::Angry,
        Emotion::Sad,
        Emotion::Neutral,
        Emotion::Boredom,
    ];
    write_synthetic_as(&a, CorpusFormat::EmoDb, 3, &[3, 8, 9, 10], &emotions, None).unwrap();
    let savee = [
        Emotion::Angry,
        Emotion::Sad,
        Emotion::Neutral,
        Emotion::Surprised,
    ];
    write_synthetic_as(&b, CorpusFormat::Savee, 3, &[1, 2], &savee, None).unwrap();
    let out = emoscope(&[
        "--corpus",
        a.to_str().unwrap(),
        "train",
        "--test-corpus",
        b.to_str().unwrap(),
        "--json",
        "--no-cache",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["classes"], serde_json::json!(["neutral", "sad", "angry"]));
    assert_eq!(v["cross_corpus"]["train"], "emodb");
    assert_eq!(v["cross_corpus"]["test"], "savee");
    assert_eq!(
        v["cross_corpus"]["train_only"],
        serde_json::json!(["boredom"])
    );
    assert_eq!(
        v["cross_corpus"]["test_only"],
        serde_json::json!(["surprised"])
    );
    assert_eq!(
        v["spec"]["protocol"],
        serde_json::json!({"cross-corpus": {"test": "savee"}})
    );
    assert_eq!(v["spec"]["speaker_norm"], true);
    // Every tested clip is SAVEE's, of a shared class: 2 speakers × 3 classes × 4 sentences.
    assert_eq!(v["folds"][0]["test_rows"].as_array().unwrap().len(), 24);
    assert!(v["scores"]["uar"].as_f64().unwrap() > 0.0);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("classes both have: neutral, sad, angry"),
        "{err}"
    );

    // One corpus twice is refused with the reason.
    let out = emoscope(&[
        "--corpus",
        a.to_str().unwrap(),
        "train",
        "--test-corpus",
        a.to_str().unwrap(),
        "--no-cache",
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("both corpora are EmoDB"), "{err}");
}
