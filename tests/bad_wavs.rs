//! A tree of bad and odd files: every one gets the right typed outcome, and every good file
//! still loads.

use std::path::Path;

use emoscope::audio::{self, AudioErrorKind, LoadOptions, SampleEncoding};
use emoscope::corpus::{ProblemKind, scan_dir};

/// Builds RIFF/WAVE bytes with a given fmt chunk body and data, plus chunks before and after.
fn riff(
    fmt: &[u8],
    data: &[u8],
    declared_data_len: Option<u32>,
    before: &[(&[u8; 4], &[u8])],
    after: &[(&[u8; 4], &[u8])],
) -> Vec<u8> {
    let mut body = b"WAVE".to_vec();
    let chunk = |id: &[u8; 4], payload: &[u8], len: u32, out: &mut Vec<u8>| {
        out.extend_from_slice(id);
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(payload);
        if payload.len() % 2 == 1 {
            out.push(0);
        }
    };
    chunk(b"fmt ", fmt, fmt.len() as u32, &mut body);
    for (id, p) in before {
        chunk(id, p, p.len() as u32, &mut body);
    }
    chunk(
        b"data",
        data,
        declared_data_len.unwrap_or(data.len() as u32),
        &mut body,
    );
    for (id, p) in after {
        chunk(id, p, p.len() as u32, &mut body);
    }
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend_from_slice(&body);
    out
}

fn fmt(tag: u16, channels: u16, rate: u32, bits: u16) -> Vec<u8> {
    let block = channels * bits.div_ceil(8);
    let mut f = Vec::new();
    f.extend_from_slice(&tag.to_le_bytes());
    f.extend_from_slice(&channels.to_le_bytes());
    f.extend_from_slice(&rate.to_le_bytes());
    f.extend_from_slice(&(rate * u32::from(block)).to_le_bytes());
    f.extend_from_slice(&block.to_le_bytes());
    f.extend_from_slice(&bits.to_le_bytes());
    f
}

fn pcm16(samples: &[i16]) -> Vec<u8> {
    samples.iter().flat_map(|s| s.to_le_bytes()).collect()
}

fn sine_i16(n: usize, rate: u32) -> Vec<i16> {
    (0..n)
        .map(|i| ((i as f32 * 440.0 * std::f32::consts::TAU / rate as f32).sin() * 12000.0) as i16)
        .collect()
}

fn write_hound(path: &Path, spec: hound::WavSpec, n: usize) {
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    for i in 0..n * usize::from(spec.channels) {
        let x = ((i / usize::from(spec.channels)) as f32 * 0.05).sin() * 0.5;
        match (spec.sample_format, spec.bits_per_sample) {
            (hound::SampleFormat::Float, _) => w.write_sample(x).unwrap(),
            (_, 8) => w.write_sample((x * 127.0) as i8).unwrap(),
            (_, 16) => w.write_sample((x * 32767.0) as i16).unwrap(),
            (_, 24) => w.write_sample((x * 8_388_607.0) as i32).unwrap(),
            (_, _) => w.write_sample((x * 2_147_483_647.0) as i32).unwrap(),
        }
    }
    w.finalize().unwrap();
}

fn spec(channels: u16, rate: u32, bits: u16, float: bool) -> hound::WavSpec {
    hound::WavSpec {
        channels,
        sample_rate: rate,
        bits_per_sample: bits,
        sample_format: if float {
            hound::SampleFormat::Float
        } else {
            hound::SampleFormat::Int
        },
    }
}

/// Expected outcome of one file in the tree.
enum Expect {
    /// Loads: sample rate, channels in source, encoding, number of frames.
    Clip(u32, u16, SampleEncoding, usize),
    Audio(fn(&AudioErrorKind) -> bool),
    BadName,
    Ignored,
}

#[test]
fn every_bad_or_odd_file_gets_its_outcome_and_good_files_load() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("Audio_Speech_Actors_01-24");
    let a = root.join("Actor_01");
    std::fs::create_dir_all(&a).unwrap();
    let mut cases: Vec<(std::path::PathBuf, Expect)> = Vec::new();
    // Each case gets its own clip name (emotion/intensity/statement/repetition vary).
    let mut names = emoscope::corpus::ravdess::speech_corpus()
        .into_iter()
        .filter(|i| i.actor.number() == 1);
    let mut next = || a.join(names.next().unwrap().file_name());

    // --- good and odd files that must load ---
    let p = next();
    write_hound(&p, spec(1, 48000, 8, false), 4800);
    cases.push((p, Expect::Clip(48000, 1, SampleEncoding::Pcm(8), 4800)));
    let p = next();
    write_hound(&p, spec(2, 44100, 16, false), 4410);
    cases.push((p, Expect::Clip(44100, 2, SampleEncoding::Pcm(16), 4410)));
    let p = next();
    write_hound(&p, spec(1, 48000, 24, false), 4800);
    cases.push((p, Expect::Clip(48000, 1, SampleEncoding::Pcm(24), 4800)));
    let p = next();
    write_hound(&p, spec(1, 22050, 32, false), 2205);
    cases.push((p, Expect::Clip(22050, 1, SampleEncoding::Pcm(32), 2205)));
    let p = next();
    write_hound(&p, spec(2, 48000, 32, true), 4800);
    cases.push((p, Expect::Clip(48000, 2, SampleEncoding::Float(32), 4800)));
    let p = next();
    write_hound(&p, spec(1, 8000, 16, false), 8000);
    cases.push((p, Expect::Clip(8000, 1, SampleEncoding::Pcm(16), 8000)));
    let p = next();
    write_hound(&p, spec(1, 96000, 16, false), 9600);
    cases.push((p, Expect::Clip(96000, 1, SampleEncoding::Pcm(16), 9600)));
    // float64, which hound cannot read.
    let p = next();
    let data: Vec<u8> = (0..1000)
        .flat_map(|i| (f64::from(i) / 2000.0).to_le_bytes())
        .collect();
    std::fs::write(&p, riff(&fmt(3, 1, 16000, 64), &data, None, &[], &[])).unwrap();
    cases.push((p, Expect::Clip(16000, 1, SampleEncoding::Float(64), 1000)));
    // RAVDESS-style layout: FLLR padding before the data, LIST/bext after it.
    let p = next();
    let fllr = vec![0u8; 4044];
    std::fs::write(
        &p,
        riff(
            &fmt(1, 1, 48000, 16),
            &pcm16(&sine_i16(4800, 48000)),
            None,
            &[(b"FLLR", &fllr)],
            &[
                (b"LIST", b"INFOISFT\x05\0\0\0Pro\0\0"),
                (b"bext", &[7u8; 601]),
            ],
        ),
    )
    .unwrap();
    cases.push((p, Expect::Clip(48000, 1, SampleEncoding::Pcm(16), 4800)));
    // One sample.
    let p = next();
    std::fs::write(
        &p,
        riff(&fmt(1, 1, 48000, 16), &pcm16(&[1234]), None, &[], &[]),
    )
    .unwrap();
    cases.push((p, Expect::Clip(48000, 1, SampleEncoding::Pcm(16), 1)));

    // --- bad files ---
    let p = next();
    std::fs::write(&p, b"").unwrap();
    cases.push((p, Expect::Audio(|k| *k == AudioErrorKind::Empty)));
    let p = next();
    std::fs::write(&p, riff(&fmt(1, 1, 48000, 16), &[], None, &[], &[])).unwrap();
    cases.push((p, Expect::Audio(|k| *k == AudioErrorKind::NoSamples)));
    let p = next();
    std::fs::write(
        &p,
        riff(
            &fmt(1, 1, 48000, 16),
            &pcm16(&sine_i16(100, 48000)),
            Some(48000),
            &[],
            &[],
        ),
    )
    .unwrap();
    cases.push((
        p,
        Expect::Audio(|k| {
            matches!(
                k,
                AudioErrorKind::TruncatedData {
                    declared: 48000,
                    available: 200
                }
            )
        }),
    ));
    let p = next();
    std::fs::write(&p, b"ID3\x04\0\0\0\0\0\0 this is an mp3 renamed to .wav").unwrap();
    cases.push((
        p,
        Expect::Audio(|k| matches!(k, AudioErrorKind::NotWave(_))),
    ));
    let p = next();
    std::fs::write(
        &p,
        riff(
            &fmt(7, 1, 8000, 8),
            &[0x7f; 800],
            None,
            &[(b"fact", &800u32.to_le_bytes())],
            &[],
        ),
    )
    .unwrap();
    cases.push((
        p,
        Expect::Audio(|k| {
            matches!(k, AudioErrorKind::UnsupportedCodec { tag: 7 })
                && k.to_string().contains("μ-law")
        }),
    ));
    let p = next();
    std::fs::write(&p, riff(&fmt(2, 1, 8000, 4), &[0x11; 512], None, &[], &[])).unwrap();
    cases.push((
        p,
        Expect::Audio(|k| {
            matches!(k, AudioErrorKind::UnsupportedCodec { tag: 2 })
                && k.to_string().contains("ADPCM")
        }),
    ));
    let p = next();
    let mut zero = fmt(1, 1, 48000, 16);
    zero[2] = 0; // channels = 0
    std::fs::write(&p, riff(&zero, &pcm16(&[0; 10]), None, &[], &[])).unwrap();
    cases.push((p, Expect::Audio(|k| *k == AudioErrorKind::ZeroChannels)));
    let p = next();
    let nan: Vec<u8> = [0.1f32, 0.2, f32::NAN, 0.3]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect();
    std::fs::write(&p, riff(&fmt(3, 1, 48000, 32), &nan, None, &[], &[])).unwrap();
    cases.push((
        p,
        Expect::Audio(|k| *k == AudioErrorKind::NonFinite { frame: 2 }),
    ));
    let p = next();
    let inf: Vec<u8> = [0.1f32, f32::INFINITY]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect();
    std::fs::write(&p, riff(&fmt(3, 1, 48000, 32), &inf, None, &[], &[])).unwrap();
    cases.push((
        p,
        Expect::Audio(|k| *k == AudioErrorKind::NonFinite { frame: 1 }),
    ));
    // Longer than the limit used below (20 s): 25 s at 8 kHz.
    let p = next();
    write_hound(&p, spec(1, 8000, 16, false), 8000 * 25);
    cases.push((
        p,
        Expect::Audio(|k| matches!(k, AudioErrorKind::TooLong { .. })),
    ));
    let p = next();
    std::fs::write(&p, b"RIFF\x04\0\0\0WAVE").unwrap();
    cases.push((
        p,
        Expect::Audio(|k| matches!(k, AudioErrorKind::Malformed(m) if m.contains("no fmt"))),
    ));

    // --- names ---
    for bad in [
        "03-01-09-01-01-01-25.wav",
        "03-01-01-01-01-01-25.wav",
        "recording.wav",
        "03-01-01-02-01-01-01.wav",
    ] {
        let p = a.join(bad);
        write_hound(&p, spec(1, 16000, 16, false), 160);
        cases.push((p, Expect::BadName));
    }
    for stray in [".DS_Store", "README.md", "notes.txt"] {
        let p = root.join(stray);
        std::fs::write(&p, b"x").unwrap();
        cases.push((p, Expect::Ignored));
    }
    assert!(cases.len() >= 15 + 10);

    let opts = LoadOptions {
        max_seconds: 20.0,
        ..LoadOptions::default()
    };
    let corpus = scan_dir(tmp.path(), None, &opts).unwrap();
    let mut good = 0;
    for (path, expect) in &cases {
        let clip = corpus
            .clips
            .iter()
            .find(|c| c.location() == path.display().to_string());
        let problem = corpus.problems.iter().find(|p| &p.path == path);
        let ignored = corpus.ignored.iter().any(|i| &i.path == path);
        let name = path.file_name().unwrap().to_string_lossy();
        match expect {
            Expect::Clip(rate, ch, enc, frames) => {
                let c = clip.unwrap_or_else(|| panic!("{name} should load: {problem:?}"));
                assert_eq!(
                    (c.sample_rate, c.channels, c.encoding),
                    (*rate, *ch, *enc),
                    "{name}"
                );
                let audio = c.load(&opts).unwrap();
                assert_eq!(audio.samples.len(), *frames, "{name}");
                assert!(
                    audio
                        .samples
                        .iter()
                        .all(|x| x.is_finite() && x.abs() <= 1.0),
                    "{name}"
                );
                // A real resampler brings every good file to the analysis rate.
                let to16 = c
                    .load(&LoadOptions {
                        target_rate: Some(16000),
                        ..opts.clone()
                    })
                    .unwrap();
                assert_eq!(to16.sample_rate, 16000);
                let expect_len = (*frames as f64 * 16000.0 / f64::from(*rate)).ceil() as usize;
                assert!(
                    (to16.samples.len() as i64 - expect_len as i64).abs() <= 1,
                    "{name}: {} vs {expect_len}",
                    to16.samples.len()
                );
                good += 1;
            }
            Expect::Audio(check) => {
                let p = problem.unwrap_or_else(|| panic!("{name} should be a problem"));
                match &p.kind {
                    ProblemKind::Audio(k) => assert!(check(k), "{name}: {k:?}"),
                    other => panic!("{name}: {other:?}"),
                }
                assert!(clip.is_none());
                // The error message names the file.
                let err = audio::load(path, &opts).unwrap_err();
                assert!(err.to_string().contains(&*name), "{err}");
            }
            Expect::BadName => {
                let p = problem.unwrap_or_else(|| panic!("{name} should be a bad name"));
                assert!(
                    matches!(p.kind, ProblemKind::BadName(_)),
                    "{name}: {:?}",
                    p.kind
                );
            }
            Expect::Ignored => assert!(ignored, "{name} should be ignored"),
        }
    }
    assert_eq!(good, 10);
    assert_eq!(corpus.clips.len(), 10);
    // Out-of-range names say which field is wrong.
    let p = corpus
        .problems
        .iter()
        .find(|p| p.path.ends_with("03-01-09-01-01-01-25.wav"))
        .unwrap();
    assert!(p.to_string().contains("emotion code 09"), "{p}");
}

#[test]
fn scanning_a_missing_folder_is_an_error_naming_it() {
    let err = scan_dir(Path::new("/no/such/ravdess"), None, &LoadOptions::default()).unwrap_err();
    assert!(err.to_string().contains("/no/such/ravdess"), "{err}");
}

/// Files that used to hang, grow without bound or poison the features (issue 15): a FIFO, a
/// `.wav` linked to /dev/zero, a folder named like a clip — refused by name, in `load` and in
/// `scan`; a header declaring hours of audio refused before its samples are read; finite but
/// absurd float samples (3e38) refused instead of giving NaN features.
#[test]
fn special_files_long_declarations_and_absurd_samples_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("Actor_01");
    std::fs::create_dir_all(&a).unwrap();
    let opts = LoadOptions::default();
    let fifo = a.join("03-01-01-01-01-01-01.wav");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    let zero = a.join("03-01-01-01-01-02-01.wav");
    std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
    let folder = a.join("03-01-01-01-02-01-01.wav");
    std::fs::create_dir_all(&folder).unwrap();
    let mut special = vec![(zero.clone(), "a device"), (folder.clone(), "a folder")];
    if made.is_ok_and(|s| s.success()) {
        special.push((fifo.clone(), "a named pipe"));
    } else {
        eprintln!("mkfifo unavailable: the FIFO case is not run");
    }
    for (p, what) in &special {
        let e = audio::load(p, &opts).unwrap_err().to_string();
        assert!(e.contains(what) && e.contains(&*p.to_string_lossy()), "{e}");
    }
    // Two hours of 48 kHz stereo declared by a 100-byte file: too long, not truncated, and
    // nothing past the header is read.
    let long = a.join("03-01-01-01-02-02-01.wav");
    let f = fmt(1, 2, 48000, 16);
    std::fs::write(
        &long,
        riff(&f, &pcm16(&[0; 8]), Some(2 * 3600 * 48000 * 4), &[], &[]),
    )
    .unwrap();
    let e = audio::load(&long, &opts).unwrap_err();
    assert!(
        matches!(e.kind, AudioErrorKind::TooLong { .. }),
        "{e}: the length is checked from the header"
    );
    // A finite but absurd float sample.
    let huge = a.join("03-01-02-01-01-01-01.wav");
    let mut data: Vec<u8> = Vec::new();
    for (i, v) in [0.1f32, -0.2, 3e38, 0.0]
        .iter()
        .cycle()
        .take(4000)
        .enumerate()
    {
        let v = if i == 2 { *v } else { v.min(0.5) };
        data.extend_from_slice(&v.to_le_bytes());
    }
    std::fs::write(&huge, riff(&fmt(3, 1, 48000, 32), &data, None, &[], &[])).unwrap();
    let e = audio::load(&huge, &opts).unwrap_err();
    assert!(
        matches!(e.kind, AudioErrorKind::OutOfRange { frame: 2, .. }),
        "{e}"
    );
    // scan reports every one of them by name and keeps going.
    let corpus = scan_dir(tmp.path(), None, &opts).unwrap();
    assert!(corpus.clips.is_empty());
    for p in special.iter().map(|(p, _)| p).chain([&long, &huge]) {
        assert!(
            corpus.problems.iter().any(|q| &q.path == p),
            "{} not reported: {:?}",
            p.display(),
            corpus.problems
        );
    }
}
