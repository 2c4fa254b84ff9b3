//! A real capture through ALSA without a sound card (feature `audio`): an ALSA configuration
//! whose default PCM is the `file` plugin over the `null` device, reading a known clip's
//! samples as its input (`infile`). `emoscope record` captures it through cpal, the ring
//! buffer and the resampler, and must classify it as `emoscope classify` does the WAV.
#![cfg(feature = "audio")]

mod common;

use std::path::Path;
use std::process::Command;

use emoscope::audio::{LoadOptions, load};
use emoscope::corpus::Emotion;

fn emoscope(home: &Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_emoscope"))
        .args(args)
        .env("HOME", home)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn records_through_alsa_and_classifies_like_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let corpus = common::synthetic_on_disk(
        &root.join("corpus"),
        &[1, 2, 3],
        &[Emotion::Neutral, Emotion::Happy, Emotion::Angry],
    );
    let model = common::fit_classic(&corpus, "knn", false, 2);
    let model_path = root.join("m.ron");
    model.save(&model_path).unwrap();

    // The clip as the device's input: 48 kHz, 2 channels, f32 little-endian, interleaved.
    let clip = root.join("corpus/Actor_02/03-01-05-02-01-01-02.wav");
    let audio = load(&clip, &LoadOptions::default()).unwrap();
    assert_eq!(audio.sample_rate, 48_000);
    let mut raw = Vec::with_capacity(audio.samples.len() * 8);
    for v in &audio.samples {
        raw.extend_from_slice(&v.to_le_bytes());
        raw.extend_from_slice(&v.to_le_bytes());
    }
    let infile = root.join("in.raw");
    std::fs::write(&infile, raw).unwrap();
    std::fs::write(
        root.join(".asoundrc"),
        format!(
            "pcm.!default {{\n  type file\n  slave.pcm \"null\"\n  file \"/dev/null\"\n  infile \"{}\"\n  format \"raw\"\n}}\n",
            infile.display()
        ),
    )
    .unwrap();

    let m = model_path.display().to_string();
    let rec = root.join("rec.wav");
    let (ok, out, err) = emoscope(
        root,
        &[
            "record",
            "--seconds",
            "4",
            "--model",
            &m,
            "--save",
            &rec.display().to_string(),
        ],
    );
    assert!(ok, "{out}\n{err}");
    // The raw file is laid out for what cpal negotiates here; say so if that ever changes.
    assert!(err.contains("(48000 Hz, 2 ch, f32)"), "{err}");
    assert!(!err.contains("ALSA lib"), "{err}");
    let (ok, direct, err2) = emoscope(
        root,
        &["classify", "--model", &m, &clip.display().to_string()],
    );
    assert!(ok, "{err2}");
    let emotion = |line: &str| {
        line.split(": ")
            .nth(1)
            .and_then(|s| s.split_whitespace().next())
            .map(str::to_string)
    };
    let recorded = out.lines().find(|l| l.starts_with("recording:")).unwrap();
    assert_eq!(emotion(recorded), emotion(direct.trim()), "{out}\n{direct}");
    // The raw recording was kept, at the device's rate, holding the clip.
    let kept = load(&rec, &LoadOptions::default()).unwrap();
    assert_eq!(kept.sample_rate, 48_000);
    assert!(kept.duration() >= 4.0);
    // The clip is in it, from some offset the first device periods may shift it by.
    let n = audio.samples.len();
    let best = (0..4800)
        .map(|k| {
            kept.samples[k..k + n]
                .iter()
                .zip(&audio.samples)
                .map(|(a, b)| (a - b).abs())
                .fold(0f32, f32::max)
        })
        .fold(f32::MAX, f32::min);
    assert!(best < 1e-4, "recorded samples differ by {best}");
}
