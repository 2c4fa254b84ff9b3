//! The real RAVDESS fixtures: scanning (Zenodo and Kaggle layouts) and exact sample values.

mod common;

use std::collections::HashMap;
use std::path::Path;

use emoscope::audio::{self, LoadOptions};
use emoscope::corpus::{ProblemKind, scan_dir};

#[test]
fn scan_reports_360_clips_6_actors_no_problems() {
    let Some(dir) = common::fixtures() else {
        return;
    };
    let corpus = scan_dir(&dir, None, &LoadOptions::default()).unwrap();
    let s = corpus.summary();
    assert_eq!(s.clips, 360);
    assert_eq!(s.actors.len(), 6);
    for row in &s.actors {
        assert_eq!(row.total, 60, "actor {}", row.actor);
        assert_eq!(row.counts, [4, 8, 8, 8, 8, 8, 8, 8]);
    }
    assert!(s.problems.is_empty(), "{:?}", s.problems);
    assert_eq!(s.sample_rates.get(&48000), Some(&360));
    assert_eq!(s.channels.get(&2), Some(&3), "three stereo files");
    // README.md and the two CSV files are ignored, not problems.
    assert_eq!(corpus.ignored.len(), 3);
    // Stereo files load as mono.
    let stereo = corpus.clips.iter().find(|c| c.channels == 2).unwrap();
    let a = stereo.load(&LoadOptions::default()).unwrap();
    assert_eq!(a.source_channels, 2);
    assert!((a.duration() - stereo.duration).abs() < 1e-9);
}

fn link_or_copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    if std::fs::hard_link(from, to).is_err() {
        std::fs::copy(from, to).unwrap();
    }
}

#[test]
fn kaggle_layout_counts_each_clip_once_and_lists_duplicates() {
    let Some(dir) = common::fixtures() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    // Kaggle's download: a wrapper folder holding Actor_XX/ and a nested copy of the Zenodo tree.
    let root = tmp.path().join("archive");
    for entry in walkdir::WalkDir::new(&dir) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(&dir).unwrap();
        if entry.file_type().is_file() && rel.extension().is_some_and(|e| e == "wav") {
            link_or_copy(entry.path(), &root.join(rel));
            link_or_copy(
                entry.path(),
                &root.join("audio_speech_actors_01-24").join(rel),
            );
        }
    }
    std::fs::write(root.join(".DS_Store"), b"\0\0\0\x01Bud1").unwrap();
    std::fs::write(root.join("README.txt"), b"RAVDESS").unwrap();
    std::fs::create_dir_all(root.join("__MACOSX/Actor_01")).unwrap();
    std::fs::write(
        root.join("__MACOSX/Actor_01/._03-01-01-01-01-01-01.wav"),
        b"\0\x05\x16\x07",
    )
    .unwrap();

    let corpus = scan_dir(tmp.path(), None, &LoadOptions::default()).unwrap();
    assert_eq!(corpus.clips.len(), 360);
    let dups: Vec<_> = corpus
        .problems
        .iter()
        .filter(|p| {
            matches!(
                p.kind,
                ProblemKind::Duplicate {
                    same_size: true,
                    ..
                }
            )
        })
        .collect();
    assert_eq!(dups.len(), 360);
    assert_eq!(corpus.problems.len(), 360, "only duplicates");
    // The shallower copy is kept; the nested copy is reported.
    for c in &corpus.clips {
        assert!(!c.location().contains("audio_speech_actors_01-24"));
    }
    for d in dups {
        assert!(
            d.path
                .to_string_lossy()
                .contains("audio_speech_actors_01-24")
        );
    }
    assert_eq!(corpus.ignored.len(), 3);
}

#[test]
fn samples_equal_pythons_wave_module_exactly() {
    let Some(dir) = common::fixtures() else {
        return;
    };
    let reference = include_str!("golden/wav_reference.csv");
    let corpus = scan_dir(&dir, None, &LoadOptions::default()).unwrap();
    let by_name: HashMap<String, &emoscope::corpus::Clip> =
        corpus.clips.iter().map(|c| (c.id.file_name(), c)).collect();
    let mut checked = 0;
    for line in reference.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let clip = by_name[f[0]];
        let frames: usize = f[1].parse().unwrap();
        let channels: u16 = f[2].parse().unwrap();
        let rate: u32 = f[3].parse().unwrap();
        let path = match &clip.source {
            emoscope::corpus::ClipSource::File(p) => p.clone(),
            other => panic!("{other:?}"),
        };
        let a = audio::load(&path, &LoadOptions::default()).unwrap();
        assert_eq!(a.samples.len(), frames, "{}", f[0]);
        assert_eq!(a.source_channels, channels);
        assert_eq!(a.sample_rate, rate);
        // Mono = mean of channels / 32768, so mono · 32768 · channels is the integer channel sum.
        let k = 32768.0 * f64::from(channels);
        let ints: Vec<i64> = a
            .samples
            .iter()
            .map(|&x| {
                let v = f64::from(x) * k;
                assert_eq!(v, v.round(), "non-integer sample in {}", f[0]);
                v as i64
            })
            .collect();
        assert_eq!(
            ints.iter().sum::<i64>(),
            f[4].parse::<i64>().unwrap(),
            "{}",
            f[0]
        );
        assert_eq!(
            ints.iter().map(|v| v * v).sum::<i64>(),
            f[5].parse::<i64>().unwrap(),
            "{}",
            f[0]
        );
        let probes: Vec<i64> = f[6].split(' ').map(|p| p.parse().unwrap()).collect();
        for (j, p) in probes.iter().enumerate() {
            assert_eq!(ints[(j * (frames - 1)) / 7], *p, "{} probe {j}", f[0]);
        }
        checked += 1;
    }
    assert_eq!(checked, 360);
}

#[test]
fn fixture_layout_has_audio_at_4096_and_chunks_after_data() {
    let Some(dir) = common::fixtures() else {
        return;
    };
    let bytes = std::fs::read(dir.join("Actor_01/03-01-01-01-01-01-01.wav")).unwrap();
    let h = emoscope::audio::wav::read_header(&bytes).unwrap();
    assert_eq!(h.data_offset, 4096);
    assert_eq!(&h.chunks[..3], &["fmt ", "FLLR", "data"]);
    assert!(
        h.data_offset + h.data_len_declared < bytes.len(),
        "metadata follows the audio"
    );
}

#[test]
fn resampling_a_fixture_to_16k_keeps_its_duration() {
    let Some(dir) = common::fixtures() else {
        return;
    };
    let path = dir.join("Actor_02/03-01-05-02-01-01-02.wav");
    let native = audio::load(&path, &LoadOptions::default()).unwrap();
    let opts = LoadOptions {
        target_rate: Some(16000),
        ..LoadOptions::default()
    };
    let a = audio::load(&path, &opts).unwrap();
    assert_eq!(a.sample_rate, 16000);
    assert_eq!(a.source_rate, 48000);
    assert!((a.duration() - native.duration()).abs() < 1e-3);
    let rms = |x: &[f32]| (x.iter().map(|v| v * v).sum::<f32>() / x.len() as f32).sqrt();
    // Speech energy is mostly below 8 kHz: the level stays within 1 dB.
    let ratio = rms(&a.samples) / rms(&native.samples);
    assert!((20.0 * ratio.log10()).abs() < 1.0, "ratio {ratio}");
}
