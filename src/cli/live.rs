//! `emoscope record`, `enrol`, `devices` and `bench record`: the microphone path from the
//! command line.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::audio::LoadOptions;
use crate::ml::persist::{SavedModel, SpeakerNorm};
use crate::ml::profile::SpeakerProfile;

/// A profile given as a name (`profiles/NAME.ron`) or a path.
pub fn load_profile(arg: &str) -> Result<SpeakerProfile> {
    let p = Path::new(arg);
    let path = if p.extension().is_some_and(|x| x == "ron") || p.components().count() > 1 {
        p.to_path_buf()
    } else {
        SpeakerProfile::path_for(arg)
    };
    Ok(SpeakerProfile::load(&path)?)
}

/// One line: the emotion, the probabilities, and the normalisation applied.
pub fn prediction_line(
    what: &str,
    m: &SavedModel,
    emotion: crate::corpus::Emotion,
    probs: &[f64],
    norm: &SpeakerNorm<'_>,
) -> String {
    let p: Vec<String> = m
        .classes
        .iter()
        .zip(probs)
        .map(|(c, v)| format!("{} {v:.2}", c.short()))
        .collect();
    format!(
        "{what}: {emotion}  [{}]  (speaker normalisation: {})",
        p.join(", "),
        norm.describe(m.speaker_norm)
    )
}

/// `emoscope record`: records from the microphone until Enter (or for `seconds`), then
/// classifies the recording with the model.
pub fn record(
    model: &Path,
    seconds: Option<f64>,
    save: Option<&Path>,
    device: Option<&str>,
    profile: Option<&str>,
    out: &mut dyn Write,
) -> Result<()> {
    let m = SavedModel::load(model)?;
    let profile = profile.map(load_profile).transpose()?;
    let norm = profile
        .as_ref()
        .map_or(SpeakerNorm::None, SpeakerNorm::Profile);
    if m.speaker_norm && profile.is_none() {
        bail!(
            "{} normalises per speaker: enrol the speaker first (emoscope enrol --name NAME --model {} a.wav b.wav c.wav) and pass --profile NAME",
            model.display(),
            model.display()
        );
    }
    let mic = crate::audio::device::open_mic(device)?;
    let info = mic.info().clone();
    let stop = Arc::new(AtomicBool::new(false));
    match seconds {
        Some(s) => eprintln!(
            "recording {s:.1} s from {} ({} Hz, {} ch, {}) …",
            info.device, info.rate, info.channels, info.format
        ),
        None => {
            eprintln!(
                "recording from {} ({} Hz, {} ch, {}) — press Enter to stop",
                info.device, info.rate, info.channels, info.format
            );
            let flag = stop.clone();
            std::thread::spawn(move || {
                let mut line = String::new();
                let _ = std::io::stdin().read_line(&mut line);
                flag.store(true, Ordering::Relaxed);
            });
        }
    }
    let tty = std::io::stderr().is_terminal();
    let done = |secs: f64| stop.load(Ordering::Relaxed) || seconds.is_some_and(|s| secs >= s);
    let mut level = |secs: f64, peak: f32| {
        if tty {
            eprint!(
                "\r\x1b[2K{secs:5.1} s  ▕{}▏",
                crate::tui::confusion::bar(f64::from(peak), 30)
            );
        }
    };
    let (raw, ended) = mic.record_until(&done, &mut level);
    if tty {
        eprintln!();
    }
    if let Some(why) = ended {
        eprintln!("warning: {why}");
    }
    // Keep the recording first (a silent one is still worth keeping), and a failed save still
    // prints the prediction before it is reported.
    let saved = save.map(|path| {
        crate::audio::write_wav_pcm16(path, &raw.samples, raw.sample_rate).map(|()| path)
    });
    if let Some(Ok(path)) = &saved {
        writeln!(out, "saved the recording to {}", path.display())?;
    }
    let (emotion, probs, _) = m.classify_recording(&raw, norm)?;
    writeln!(
        out,
        "{}",
        prediction_line("recording", &m, emotion, &probs, &norm)
    )?;
    if let Some(Err(e)) = saved {
        return Err(e.into());
    }
    Ok(())
}

/// `emoscope enrol`: a speaker profile from a few clips of one speaker, for a model's
/// feature settings.
pub fn enrol(name: &str, model: &Path, files: &[PathBuf], out: &mut dyn Write) -> Result<()> {
    let m = SavedModel::load(model)?;
    let p =
        SpeakerProfile::enrol_files(name, &m.features, files, LoadOptions::default().max_seconds)?;
    let path = SpeakerProfile::path_for(name);
    p.save(&path)?;
    writeln!(
        out,
        "enrolled '{name}' from {} clips (silence trimmed to 1 s) for {} features: {}",
        p.clips.len(),
        m.features.preset,
        path.display()
    )?;
    Ok(())
}

/// `emoscope devices`: what the sound system offers.
pub fn devices(out: &mut dyn Write) -> Result<()> {
    let list = crate::audio::device::devices()?;
    if list.is_empty() {
        writeln!(out, "no sound devices")?;
    }
    for d in list {
        writeln!(
            out,
            "{:<28} {:<6} {:<7} {}{}",
            d.id,
            if d.input { "input" } else { "" },
            if d.output { "output" } else { "" },
            d.name,
            d.unusable
                .map_or(String::new(), |u| format!("  (not used: {u})"))
        )?;
    }
    Ok(())
}

/// `emoscope bench record`: from stop to prediction for a 4 s recording made through the
/// capture path (a fake device feeding a corpus clip in 512-frame i16 buffers at 44.1 kHz).
pub fn bench_record(
    model: Option<&Path>,
    corpus: &crate::corpus::Corpus,
    out: &mut dyn Write,
) -> Result<()> {
    let m = match model {
        Some(p) => SavedModel::load(p)?,
        None => {
            // A quick model of the corpus, so the benchmark runs with no set-up.
            let args = super::train::TrainArgs::for_bench();
            let spec = args.spec()?;
            let table = super::train::features_for(corpus, args.preset, false)?;
            let ds = crate::ml::dataset::Dataset::from_table(&table)?;
            let report =
                crate::ml::experiment::run(&ds, &spec, &crate::jobs::CancelToken::new(), &|_| {})?;
            crate::ml::persist::train_final(
                &ds,
                &spec,
                &crate::features::FeatureConfig::preset(args.preset),
                &report,
                corpus,
            )?
        }
    };
    let clip = corpus.clips.first().context("empty corpus")?;
    let audio = clip.load(&LoadOptions::default())?;
    // Four seconds at 44.1 kHz: the clip, looped or cut.
    let device_rate = 44_100;
    let at_device = crate::audio::resample(&audio.samples, audio.sample_rate, device_rate)
        .map_err(|k| anyhow::anyhow!("{k}"))?;
    let want = 4 * device_rate as usize;
    let four: Vec<f32> = at_device.iter().copied().cycle().take(want).collect();
    let mut times = Vec::new();
    for _ in 0..10 {
        let (mut sink, mut rec) = crate::audio::mic::capture(device_rate, 2, 2.0);
        crate::audio::mic::feed::<i16>(&mut sink, &mut rec, &four, 2, 512);
        let t = Instant::now();
        let raw = rec.finish();
        let (_e, _p, _) = m.classify_recording(&raw, SpeakerNorm::SameSpeaker)?;
        times.push(t.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(f64::total_cmp);
    writeln!(
        out,
        "stop → prediction for a 4 s recording ({} preset, {} model, 44.1 kHz i16 stereo device): median {:.1} ms, max {:.1} ms (target ≤ 150 ms)",
        m.features.preset,
        m.spec.family(),
        times[times.len() / 2],
        times[times.len() - 1]
    )?;
    Ok(())
}
