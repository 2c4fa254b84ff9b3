//! The capture path without a sound card: a fake device feeds a known WAV into the capture
//! sink in device-sized interleaved buffers (i16, u16, f32; 44.1 and 48 kHz; stereo), the
//! recorder drains the lock-free ring, and the recording — resampled to the model's rate and
//! trimmed — gets the same prediction as the file itself. Speaker profiles reproduce
//! per-speaker normalisation for single clips.

use std::path::Path;

use emoscope::audio::mic::{DeviceSample, capture, feed};
use emoscope::audio::{load, resample};
use emoscope::corpus::{Corpus, Emotion};
use emoscope::features::{FeatureConfig, Preset};
use emoscope::ml::persist::{SavedModel, SpeakerNorm};
use emoscope::ml::profile::SpeakerProfile;

mod common;

fn corpus(dir: &Path) -> Corpus {
    common::synthetic_on_disk(
        dir,
        &[1, 2, 3, 4],
        &[
            Emotion::Neutral,
            Emotion::Happy,
            Emotion::Sad,
            Emotion::Angry,
        ],
    )
}

fn model(corpus: &Corpus, family: &str, speaker_norm: bool) -> SavedModel {
    common::fit_classic(corpus, family, speaker_norm, 1)
}

fn through_fake_device<T: DeviceSample>(
    file_audio: &[f32],
    from: u32,
    rate: u32,
) -> emoscope::audio::Audio {
    let at_device = resample(file_audio, from, rate).unwrap();
    let (mut sink, mut rec) = capture(rate, 2, 2.0);
    feed::<T>(&mut sink, &mut rec, &at_device, 2, 512);
    assert_eq!(rec.stats().dropped(), 0);
    let raw = rec.finish();
    assert_eq!(raw.sample_rate, rate);
    assert_eq!(raw.samples.len(), at_device.len());
    raw
}

#[test]
fn recordings_classify_like_the_files_at_every_format_and_rate() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = corpus(dir.path());
    // A forest's probabilities are vote shares over its trees: fine-grained enough to tell a
    // clear decision from a near tie.
    let m = model(&corpus, "rf", false);
    let (mut checked, mut total) = (0, 0);
    for clip in corpus.clips.iter().step_by(9) {
        let path = std::path::PathBuf::from(clip.location());
        let file = load(&path, &m.load_options()).unwrap();
        let (direct, p_direct) = m
            .classify(std::slice::from_ref(&file), SpeakerNorm::None)
            .unwrap()
            .remove(0);
        for rate in [44_100, 48_000] {
            let cases = [
                (
                    "i16",
                    through_fake_device::<i16>(&file.samples, file.sample_rate, rate),
                ),
                (
                    "u16",
                    through_fake_device::<u16>(&file.samples, file.sample_rate, rate),
                ),
                (
                    "f32",
                    through_fake_device::<f32>(&file.samples, file.sample_rate, rate),
                ),
            ];
            for (fmt, raw) in cases {
                let (e, p, ready) = m.classify_recording(&raw, SpeakerNorm::None).unwrap();
                assert_eq!(ready.sample_rate, 48_000);
                // A 44.1 kHz device cannot capture 22.05-24 kHz, which the model's top mel
                // bands saw in training: a near tie (top two within 0.1) may flip there. At
                // 48 kHz every clip must agree.
                let mut sorted = p_direct.clone();
                sorted.sort_by(|a, b| b.total_cmp(a));
                let decisive = sorted[0] - sorted[1] > 0.1;
                total += 1;
                if rate == 48_000 || decisive {
                    assert_eq!(
                        e,
                        direct,
                        "{} via {fmt} at {rate} Hz: {p:?} vs {p_direct:?}",
                        path.display()
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(
        checked * 4 >= total * 3,
        "only {checked} of {total} comparisons were decisive"
    );
}

#[test]
fn a_profile_normalises_single_clips_like_the_speakers_own_statistics() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = corpus(dir.path());
    let m = model(&corpus, "svm", true);
    // A speaker the model did not train on would do too; here actor 02's clips.
    let clips: Vec<(String, emoscope::audio::Audio)> = corpus
        .clips
        .iter()
        .filter(|c| c.id.actor.number() == 2)
        .take(6)
        .map(|c| {
            (
                c.location(),
                load(Path::new(&c.location()), &m.load_options()).unwrap(),
            )
        })
        .collect();
    let audio: Vec<_> = clips.iter().map(|c| c.1.clone()).collect();
    let together = m.classify(&audio, SpeakerNorm::SameSpeaker).unwrap();
    let profile = SpeakerProfile::enrol("actor02", &m.features, &clips).unwrap();
    for (a, t) in audio.iter().zip(&together) {
        let alone = m
            .classify(std::slice::from_ref(a), SpeakerNorm::Profile(&profile))
            .unwrap()
            .remove(0);
        assert_eq!(alone.0, t.0);
        assert_eq!(alone.1, t.1);
    }
    // Without a profile a single clip is refused with a way forward.
    let err = m
        .classify(&audio[..1], SpeakerNorm::None)
        .unwrap_err()
        .to_string();
    assert!(err.contains("profile"), "{err}");
    // Too few clips to enrol.
    assert!(SpeakerProfile::enrol("x", &m.features, &clips[..2]).is_err());
    // A profile for other features is refused.
    let other = SpeakerProfile::enrol("p", &FeatureConfig::preset(Preset::ClassicContrast), &clips)
        .unwrap();
    let err = m
        .classify(&audio[..1], SpeakerNorm::Profile(&other))
        .unwrap_err()
        .to_string();
    assert!(err.contains("enrol the speaker again"), "{err}");
    // Round trip on disk.
    let path = dir.path().join("profiles/actor02.ron");
    profile.save(&path).unwrap();
    assert_eq!(SpeakerProfile::load(&path).unwrap(), profile);
    // A scale too small to divide by (1e-320 made every feature infinite) is refused on load,
    // as a model's is: one check of a scaler read back, `StandardScaler::validate`.
    let text = std::fs::read_to_string(&path).unwrap();
    let at = text.find("scale:").unwrap();
    let start = at + text[at..].find(|c: char| c.is_ascii_digit()).unwrap();
    let len = text[start..]
        .find(|c: char| !(c.is_ascii_digit() || ".e-".contains(c)))
        .unwrap();
    let tiny = format!("{}1e-320{}", &text[..start], &text[start + len..]);
    std::fs::write(&path, tiny).unwrap();
    let err = SpeakerProfile::load(&path).unwrap_err().to_string();
    assert!(
        err.contains("actor02.ron") && err.contains("scaler") && err.contains("1e-12"),
        "{err}"
    );
    // A profile of another format is refused, not read as this one.
    std::fs::write(&path, text.replacen("format: 1,", "format: 2,", 1)).unwrap();
    let err = SpeakerProfile::load(&path).unwrap_err().to_string();
    assert!(err.contains("format: 2"), "{err}");
}

#[test]
fn without_a_sound_card_record_says_so_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = corpus(dir.path());
    let m = model(&corpus, "knn", false);
    let path = dir.path().join("m.ron");
    m.save(&path).unwrap();
    // A HOME without an ALSA configuration: the default device cannot open (no /dev/snd
    // here; on a machine with a sound card this checks nothing and says so).
    if Path::new("/dev/snd").exists() {
        eprintln!("SKIPPED: this machine has a sound card");
        return;
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_emoscope"))
        .args(["record", "--seconds", "1", "--model"])
        .arg(&path)
        .env("HOME", dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "one line, no ALSA noise:\n{err}");
    assert!(
        lines[0].contains("no input device") || lines[0].contains("audio is not built in"),
        "{err}"
    );
}
