//! The headless command line: clap subcommands over the library.

mod bench_ml;
pub mod live;
pub mod train;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use crate::ml::persist::SpeakerNorm;
use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};
use rayon::prelude::*;

use crate::audio::{LoadOptions, write_wav_pcm16};
use crate::corpus::{Actor, Corpus, CorpusSpec, Emotion, synth};
use crate::features::extract::{CancelToken, FeatureCache, extract_corpus};
use crate::features::{FeatureConfig, Preset};

/// emoscope — a terminal workbench for speech emotion recognition (RAVDESS).
///
/// With no subcommand it starts the interactive TUI on the corpus (the built-in synthetic one
/// unless --corpus is given); when not run in a terminal it prints the corpus summary.
#[derive(Debug, Parser)]
#[command(name = "emoscope", version, about, long_about = None)]
pub struct Cli {
    #[command(flatten)]
    pub corpus: CorpusArgs,
    /// Restore a saved session (sessions/NAME.ron) in the TUI, and autosave back to it.
    #[arg(long, value_name = "FILE")]
    pub session: Option<PathBuf>,
    /// More log output on stderr (-v info, -vv debug).
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Which corpus to open.
#[derive(Debug, Clone, Args)]
pub struct CorpusArgs {
    /// A RAVDESS folder (Zenodo `Audio_Speech_Actors_01-24`, or the Kaggle download).
    /// Default: the built-in synthetic corpus.
    #[arg(long, global = true, value_name = "PATH")]
    pub corpus: Option<PathBuf>,
    /// Seed of the synthetic corpus.
    #[arg(long, global = true, default_value_t = synth::DEFAULT_SEED)]
    pub seed: u64,
    /// Refuse audio files longer than this (seconds).
    #[arg(long, global = true, default_value_t = 600.0, value_name = "SECONDS")]
    pub max_seconds: f64,
}

impl CorpusArgs {
    pub fn spec(&self) -> CorpusSpec {
        match &self.corpus {
            Some(path) => CorpusSpec::Directory { path: path.clone() },
            None => CorpusSpec::Synthetic { seed: self.seed },
        }
    }

    pub fn load_options(&self) -> LoadOptions {
        LoadOptions {
            max_seconds: self.max_seconds,
            ..LoadOptions::default()
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan a corpus folder: actor × emotion counts, durations, formats, problems.
    Scan {
        /// The folder to scan (default: --corpus, else the synthetic corpus).
        path: Option<PathBuf>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Write clips of the synthetic corpus as 16-bit WAV files in the Zenodo layout
    /// (`OUT/Actor_XX/03-01-….wav`).
    Synth {
        /// Output folder (created if missing).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Only these actors (1-24); repeatable. Default: all.
        #[arg(long = "actor", value_name = "N")]
        actors: Vec<u8>,
        /// Only these emotions (name or code); repeatable. Default: all.
        #[arg(long = "emotion", value_name = "NAME")]
        emotions: Vec<Emotion>,
        /// Write at most this many clips.
        #[arg(long)]
        limit: Option<usize>,
    },
    /// Extract a feature vector per clip and write them as CSV (pandas reads it as is).
    Features {
        /// Feature preset.
        #[arg(long, value_enum, default_value_t = Preset::Classic)]
        preset: Preset,
        /// Output CSV file (written atomically).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Cache folder (default: $EMOSCOPE_CACHE, $XDG_CACHE_HOME/emoscope or ~/.cache/emoscope).
        #[arg(long, value_name = "DIR")]
        cache: Option<PathBuf>,
        /// Do not read or write the cache.
        #[arg(long)]
        no_cache: bool,
    },
    /// Train and evaluate a classifier: speaker-independent folds, live progress, scores.
    Train(train::TrainArgs),
    /// Classify WAV files with a saved model.
    Classify {
        /// A model saved by `emoscope train --save`.
        #[arg(long, value_name = "FILE")]
        model: PathBuf,
        /// Treat the files as one speaker's clips (needed by per-speaker-normalised models).
        #[arg(long, conflicts_with = "profile")]
        same_speaker: bool,
        /// A speaker profile (NAME in profiles/, or a file) for per-speaker-normalised models.
        #[arg(long, value_name = "NAME")]
        profile: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// WAV files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Record from the microphone and classify the recording (build with --features audio).
    Record {
        /// A model saved by `emoscope train --save`.
        #[arg(long, value_name = "FILE")]
        model: PathBuf,
        /// Record this long; without it, until Enter.
        #[arg(long, value_name = "N")]
        seconds: Option<f64>,
        /// Keep the raw recording as a 16-bit WAV, e.g. recordings/me.wav.
        #[arg(long, value_name = "FILE.wav")]
        save: Option<PathBuf>,
        /// Input device id or name (see `emoscope devices`); default: the system's.
        #[arg(long)]
        device: Option<String>,
        /// The speaker's profile, for per-speaker-normalised models.
        #[arg(long, value_name = "NAME")]
        profile: Option<String>,
    },
    /// Make a speaker profile from a few clips of one speaker (for per-speaker-normalised
    /// models), saved as profiles/NAME.ron.
    Enrol {
        #[arg(long)]
        name: String,
        /// The model whose feature settings the profile is for.
        #[arg(long, value_name = "FILE")]
        model: PathBuf,
        /// At least three WAV files of the speaker.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// List sound devices (build with --features audio).
    Devices,
    /// Print speed figures (never asserted in tests).
    Bench {
        #[arg(value_enum)]
        what: BenchTarget,
        /// Clips to use.
        #[arg(long, default_value_t = 200)]
        clips: usize,
        /// bench record: the model to classify with (default: a quick SVM of the corpus).
        #[arg(long, value_name = "FILE")]
        model: Option<PathBuf>,
    },
}

/// What `emoscope bench` measures.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum BenchTarget {
    /// Rendering the synthetic corpus, one core and all cores.
    Synth,
    /// Feature extraction over the corpus (use --corpus ../shared/fixtures/ravdess): cold for
    /// each preset, then cached; beside it librosa's time from benches/librosa_features.py.
    Features,
    /// The TUI: opening the corpus to the first frame, frame time at 200×50 with the
    /// inspector full, and input-to-redraw latency while a whole-corpus extraction runs.
    Tui,
    /// Live capture: from stop to prediction for a 4 s recording through the capture path.
    Record,
    /// Logistic regression fit time and accuracy beside scikit-learn's on the same matrix
    /// and LOSO folds (the `full` preset, per-speaker normalised).
    Logreg,
}

/// Runs a peer script of the repository (`python3 SCRIPT ARGS…`) and returns its standard
/// output; when it cannot run or fails, writes "PEER: not run (why)" and returns `None`.
fn run_peer(
    out: &mut dyn Write,
    peer: &str,
    script: &str,
    args: &[std::ffi::OsString],
) -> Result<Option<String>> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join(script);
    match std::process::Command::new("python3")
        .arg(&script)
        .args(args)
        .output()
    {
        Ok(o) if o.status.success() => Ok(Some(String::from_utf8_lossy(&o.stdout).into_owned())),
        Ok(o) => {
            let why = String::from_utf8_lossy(&o.stderr);
            writeln!(
                out,
                "{peer}: not run ({})",
                why.lines().last().unwrap_or("failed")
            )?;
            Ok(None)
        }
        Err(e) => {
            writeln!(out, "{peer}: not run ({e})")?;
            Ok(None)
        }
    }
}

/// Whether a bare `emoscope` should start the TUI: both stdin and stdout are terminals.
pub fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stdout().is_terminal()
}

/// Runs the CLI; output goes to `out`.
pub fn run(cli: Cli, out: &mut dyn Write) -> Result<()> {
    match cli.command {
        None if interactive() => {
            crate::tui::run(cli.corpus.spec(), cli.corpus.load_options(), cli.session)?
        }
        None => {
            let corpus = open(&cli.corpus.spec(), &cli.corpus)?;
            write!(out, "{}", corpus.summary())?;
            writeln!(
                out,
                "\n(run in a terminal for the interactive TUI; `emoscope --help` lists the commands)"
            )?;
        }
        Some(Command::Scan { path, json }) => {
            let spec = match path {
                Some(path) => CorpusSpec::Directory { path },
                None => cli.corpus.spec(),
            };
            let corpus = open(&spec, &cli.corpus)?;
            let summary = corpus.summary();
            if json {
                serde_json::to_writer_pretty(&mut *out, &summary)?;
                writeln!(out)?;
            } else {
                write!(out, "{summary}")?;
            }
        }
        Some(Command::Synth {
            out: dir,
            actors,
            emotions,
            limit,
        }) => {
            let n = write_synthetic(&dir, cli.corpus.seed, &actors, &emotions, limit)?;
            writeln!(out, "wrote {n} clips to {}", dir.display())?;
        }
        Some(Command::Train(args)) => {
            let corpus = open(&cli.corpus.spec(), &cli.corpus)?;
            train::train(&corpus, &args, out)?;
        }
        Some(Command::Classify {
            model,
            same_speaker,
            profile,
            json,
            files,
        }) => {
            let profile = profile.as_deref().map(live::load_profile).transpose()?;
            let norm = match (&profile, same_speaker) {
                (Some(p), _) => SpeakerNorm::Profile(p),
                (None, true) => SpeakerNorm::SameSpeaker,
                (None, false) => SpeakerNorm::None,
            };
            classify(&model, &files, norm, json, &cli.corpus, out)?
        }
        Some(Command::Record {
            model,
            seconds,
            save,
            device,
            profile,
        }) => live::record(
            &model,
            seconds,
            save.as_deref(),
            device.as_deref(),
            profile.as_deref(),
            out,
        )?,
        Some(Command::Enrol { name, model, files }) => live::enrol(&name, &model, &files, out)?,
        Some(Command::Devices) => live::devices(out)?,
        Some(Command::Bench { what, clips, model }) => match what {
            BenchTarget::Record => {
                let corpus = open(&cli.corpus.spec(), &cli.corpus)?;
                live::bench_record(model.as_deref(), &corpus, out)?
            }
            BenchTarget::Synth => bench_synth(cli.corpus.seed, clips, out)?,
            BenchTarget::Features => bench_features(&cli.corpus, clips, out)?,
            BenchTarget::Tui => bench_tui(&cli.corpus, out)?,
            BenchTarget::Logreg => {
                let corpus = open(&cli.corpus.spec(), &cli.corpus)?;
                bench_ml::bench_logreg(&corpus, Preset::Full, &run_peer, out)?
            }
        },
        Some(Command::Features {
            preset,
            out: path,
            cache,
            no_cache,
        }) => {
            let corpus = open(&cli.corpus.spec(), &cli.corpus)?;
            let cfg = FeatureConfig::preset(preset);
            let cache = (!no_cache)
                .then(|| FeatureCache::new(cache.unwrap_or_else(FeatureCache::default_dir)));
            let start = std::time::Instant::now();
            let table = train::extract_with_progress(&corpus, &cfg, cache.as_ref())?;
            crate::util::write_atomic(&path, table.to_csv().as_bytes())
                .with_context(|| format!("cannot write {}", path.display()))?;
            writeln!(
                out,
                "wrote {} rows × {} features to {} in {:.2} s ({} from cache, {} failed)",
                table.rows.len(),
                table.names.len(),
                path.display(),
                start.elapsed().as_secs_f64(),
                table.cache_hits,
                table.failures.len()
            )?;
        }
    }
    Ok(())
}

fn open(spec: &CorpusSpec, args: &CorpusArgs) -> Result<Corpus> {
    Corpus::open(spec, &args.load_options()).with_context(|| format!("cannot open corpus {spec}"))
}

/// Writes synthetic clips to `dir/Actor_XX/`; returns how many.
pub fn write_synthetic(
    dir: &Path,
    seed: u64,
    actors: &[u8],
    emotions: &[Emotion],
    limit: Option<usize>,
) -> Result<usize> {
    for &a in actors {
        if Actor::new(a).is_none() {
            bail!("actor {a} is outside 1-24");
        }
    }
    let mut ids: Vec<_> = crate::corpus::RavdessId::speech_corpus()
        .into_iter()
        .filter(|id| actors.is_empty() || actors.contains(&id.actor.number()))
        .filter(|id| emotions.is_empty() || emotions.contains(&id.emotion))
        .collect();
    if let Some(l) = limit {
        ids.truncate(l);
    }
    ids.par_iter().try_for_each(|id| -> Result<()> {
        let folder = dir.join(format!("Actor_{}", id.actor));
        std::fs::create_dir_all(&folder)
            .with_context(|| format!("cannot create {}", folder.display()))?;
        let audio = synth::render_clip(id, seed);
        write_wav_pcm16(
            &folder.join(id.file_name()),
            &audio.samples,
            audio.sample_rate,
        )?;
        Ok(())
    })?;
    Ok(ids.len())
}

/// Renders `n` synthetic clips on one thread, then on the rayon pool, and prints the rates.
fn bench_synth(seed: u64, n: usize, out: &mut dyn Write) -> Result<()> {
    let ids: Vec<_> = crate::corpus::RavdessId::speech_corpus()
        .into_iter()
        .cycle()
        .take(n)
        .collect();
    let time = |parallel: bool| {
        let start = std::time::Instant::now();
        let audio_s: f64 = if parallel {
            ids.par_iter()
                .map(|id| synth::render_clip(id, seed).duration())
                .sum()
        } else {
            ids.iter()
                .map(|id| synth::render_clip(id, seed).duration())
                .sum()
        };
        (start.elapsed().as_secs_f64(), audio_s)
    };
    for (label, parallel) in [("1 thread", false), ("rayon pool", true)] {
        let (secs, audio_s) = time(parallel);
        writeln!(
            out,
            "synth {label:>10} ({} threads): {n} clips in {secs:.3} s = {:.0} clips/s, {:.3} s per 100 clips, {:.0}x real time",
            if parallel {
                rayon::current_num_threads()
            } else {
                1
            },
            n as f64 / secs,
            secs * 100.0 / n as f64,
            audio_s / secs,
        )?;
    }
    Ok(())
}

/// Times feature extraction over the corpus: each preset cold (no cache), then a cached re-run,
/// then librosa on the same files (benches/librosa_features.py) when python3 has librosa.
fn bench_features(args: &CorpusArgs, limit: usize, out: &mut dyn Write) -> Result<()> {
    let mut corpus = open(&args.spec(), args)?;
    corpus.clips.truncate(limit.max(1));
    let n = corpus.clips.len();
    let audio_s: f64 = corpus.clips.iter().map(|c| c.duration).sum();
    writeln!(
        out,
        "corpus {} : {n} clips, {audio_s:.0} s of audio, {} rayon threads",
        corpus.spec,
        rayon::current_num_threads()
    )?;
    let none = |_: usize, _: usize| {};
    // The classic preset is timed over CLASSIC_RUNS cold runs (no feature cache) and the median
    // reported: one run is under a second and this shared machine's speed varies ±15 % from
    // run to run. The others once.
    const CLASSIC_RUNS: usize = 5;
    let mut classic_ms = None;
    for preset in [Preset::Classic, Preset::ClassicContrast, Preset::Full] {
        let cfg = FeatureConfig::preset(preset);
        let runs = if preset == Preset::Classic {
            CLASSIC_RUNS
        } else {
            1
        };
        let mut times: Vec<f64> = (0..runs)
            .map(|_| {
                let start = std::time::Instant::now();
                extract_corpus(&corpus, &cfg, None, &CancelToken::new(), &none)
                    .map(|_| start.elapsed().as_secs_f64())
            })
            .collect::<Result<_, _>>()?;
        times.sort_by(f64::total_cmp);
        let secs = times[times.len() / 2];
        let spread = if runs > 1 {
            format!(
                " (median of {runs}; {:.2}–{:.2})",
                times[0] * 1000.0 / n as f64,
                times[runs - 1] * 1000.0 / n as f64
            )
        } else {
            String::new()
        };
        writeln!(
            out,
            "emoscope {preset:<17} cold  : {secs:7.3} s = {:7.1} clips/s, {:6.0}x real time, {:.2} ms/clip{spread}",
            n as f64 / secs,
            audio_s / secs,
            secs * 1000.0 / n as f64
        )?;
        if preset == Preset::Classic {
            classic_ms = Some(secs * 1000.0 / n as f64);
        }
    }
    let dir = tempfile_dir()?;
    let cache = FeatureCache::new(&dir);
    let cfg = FeatureConfig::preset(Preset::Classic);
    let start = std::time::Instant::now();
    extract_corpus(&corpus, &cfg, Some(&cache), &CancelToken::new(), &none)?;
    let first = start.elapsed().as_secs_f64();
    let start = std::time::Instant::now();
    let t = extract_corpus(&corpus, &cfg, Some(&cache), &CancelToken::new(), &none)?;
    let second = start.elapsed().as_secs_f64();
    let _ = std::fs::remove_dir_all(&dir);
    writeln!(
        out,
        "emoscope classic cache: first run {first:.3} s, re-run {second:.4} s ({} hits) = {:.0}x faster",
        t.cache_hits,
        first / second
    )?;
    if let Some(kib) = peak_rss_kib() {
        writeln!(
            out,
            "peak memory (VmHWM): {:.1} MiB for {n} clips",
            kib as f64 / 1024.0
        )?;
    }
    if let Some(root) = corpus.root() {
        let args = [root.as_os_str().to_owned(), n.to_string().into()];
        if let Some(text) = run_peer(out, "librosa", "benches/librosa_features.py", &args)? {
            out.write_all(text.as_bytes())?;
            // "… 25.70 ms/clip (librosa …)": the classic preset's speed-up over it.
            let librosa_ms = text
                .split(" ms/clip")
                .next()
                .and_then(|head| head.rsplit(' ').next())
                .and_then(|v| v.parse::<f64>().ok());
            if let (Some(l), Some(e)) = (librosa_ms, classic_ms) {
                writeln!(
                    out,
                    "classic preset, cold: {:.1}x faster than librosa (emoscope on {} threads, librosa 1 process)",
                    l / e,
                    rayon::current_num_threads()
                )?;
            }
        }
    } else {
        writeln!(
            out,
            "librosa: not run (needs a --corpus folder of WAV files)"
        )?;
    }
    Ok(())
}

fn tempfile_dir() -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("emoscope-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    Ok(dir)
}

/// The process's peak resident memory from /proc (Linux), in KiB.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// `emoscope classify`: loads the model, extracts each file as the model was trained, prints
/// the emotion and the class probabilities.
fn classify(
    model: &Path,
    files: &[PathBuf],
    norm: SpeakerNorm<'_>,
    json: bool,
    args: &CorpusArgs,
    out: &mut dyn Write,
) -> Result<()> {
    let m = crate::ml::persist::SavedModel::load(model)?;
    let opts = LoadOptions {
        max_seconds: args.max_seconds,
        ..m.load_options()
    };
    let audio: Vec<_> = files
        .iter()
        .map(|f| crate::audio::load(f, &opts))
        .collect::<Result<_, _>>()?;
    let results = m.classify(&audio, norm)?;
    if json {
        let rows: Vec<serde_json::Value> = files
            .iter()
            .zip(&results)
            .map(|(f, (e, p))| {
                let probs: serde_json::Map<String, serde_json::Value> = m
                    .classes
                    .iter()
                    .zip(p)
                    .map(|(c, v)| (c.name().to_string(), serde_json::json!(v)))
                    .collect();
                serde_json::json!({"file": f.display().to_string(), "emotion": e.name(), "probabilities": probs, "speaker_normalisation": norm.describe(m.speaker_norm)})
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &rows)?;
        writeln!(out)?;
    } else {
        for (f, (e, p)) in files.iter().zip(&results) {
            let what = f.display().to_string();
            writeln!(out, "{}", live::prediction_line(&what, &m, *e, p, &norm))?;
        }
    }
    Ok(())
}

/// Input-to-redraw times (ms) of alternating ↓/↑ keys, every 5 ms while `go(app, keys so
/// far)` holds: each key is applied, `settle` gets its commands (and may apply background
/// events, as the event loop does), then the frame is drawn.
fn key_latencies(
    app: &mut crate::tui::app::App,
    term: &mut ratatui::Terminal<ratatui::backend::TestBackend>,
    theme: &crate::tui::theme::Theme,
    go: impl Fn(&crate::tui::app::App, usize) -> bool,
    mut settle: impl FnMut(&mut crate::tui::app::App, Vec<crate::tui::app::Command>),
) -> Result<Vec<f64>> {
    use crate::tui::app::Action;
    let mut lat = Vec::new();
    while go(app, lat.len()) {
        let t = std::time::Instant::now();
        let cmds = app.update(if lat.len().is_multiple_of(2) {
            Action::Down
        } else {
            Action::Up
        });
        settle(app, cmds);
        term.draw(|f| {
            crate::tui::ui::draw(f, app, theme);
        })?;
        lat.push(t.elapsed().as_secs_f64() * 1e3);
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    Ok(lat)
}

/// Frame and latency figures of the TUI, drawn into ratatui's TestBackend (no terminal I/O).
fn bench_tui(args: &CorpusArgs, out: &mut dyn Write) -> Result<()> {
    use crate::tui::app::{Action, App, AppEvent};
    use crate::tui::theme::{ColorMode, Theme};
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use std::time::Instant;

    let theme = Theme::new(ColorMode::TrueColor);
    let mut term = Terminal::new(TestBackend::new(200, 50))?;
    let t0 = Instant::now();
    let corpus = open(&args.spec(), args)?;
    let (mut app, _) = App::new(args.spec());
    app.update(Action::Event(AppEvent::CorpusOpened(Ok(corpus.clone()))));
    term.draw(|f| {
        crate::tui::ui::draw(f, &app, &theme);
    })?;
    writeln!(
        out,
        "open corpus + first frame: {:.1} ms ({} clips)",
        t0.elapsed().as_secs_f64() * 1e3,
        corpus.clips.len()
    )?;

    // Inspect the first clip (and its neutral take side by side), analysed here.
    let clip = corpus.clips.first().context("empty corpus")?.clone();
    app.update(Action::Enter);
    app.update(Action::Enter);
    app.update(Action::ToggleSideBySide);
    for id in [Some(clip.id), app.counterpart(&clip.id)]
        .into_iter()
        .flatten()
    {
        if let Some(c) = corpus.clip(&id) {
            let v = crate::tui::clip_view(c).map_err(anyhow::Error::msg)?;
            app.update(Action::Event(AppEvent::Analysed(
                crate::tui::app::ClipKey::Corpus(id),
                Ok(std::sync::Arc::new(v)),
            )));
        }
    }
    let time_frames = |app: &App, term: &mut Terminal<TestBackend>, n: usize| -> Result<Vec<f64>> {
        let mut v = Vec::with_capacity(n);
        for _ in 0..n {
            let t = Instant::now();
            term.draw(|f| {
                crate::tui::ui::draw(f, app, &theme);
            })?;
            v.push(t.elapsed().as_secs_f64() * 1e3);
        }
        Ok(v)
    };
    let stats = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        (v[v.len() / 2], v[v.len() * 99 / 100], v[v.len() - 1])
    };
    for view in 0..3 {
        let (p50, p99, max) = stats(time_frames(&app, &mut term, 200)?);
        writeln!(
            out,
            "frame 200x50, inspector side by side, {:<12}: p50 {p50:.2} ms, p99 {p99:.2} ms, max {max:.2} ms",
            app.view.title()
        )?;
        if view < 2 {
            app.update(Action::NextView);
        }
    }

    // Input to redraw while every clip's features are extracted on the rayon pool.
    let busy = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let flag = busy.clone();
    let bg = corpus.clone();
    let worker = std::thread::spawn(move || {
        let cfg = FeatureConfig::preset(Preset::Classic);
        let r = extract_corpus(&bg, &cfg, None, &CancelToken::new(), &|_, _| {});
        flag.store(false, std::sync::atomic::Ordering::Relaxed);
        r.map(|t| t.rows.len())
    });
    app.update(Action::Back);
    let lat = key_latencies(
        &mut app,
        &mut term,
        &theme,
        |_, n| busy.load(std::sync::atomic::Ordering::Relaxed) && n < 2000,
        |_, _| {},
    )?;
    let rows = worker
        .join()
        .map_err(|_| anyhow::anyhow!("extraction thread panicked"))??;
    if lat.is_empty() {
        writeln!(
            out,
            "input-to-redraw under load: extraction finished before the first key"
        )?;
    } else {
        let n = lat.len();
        let (p50, p99, max) = stats(lat);
        writeln!(
            out,
            "input-to-redraw while extracting {rows} clips: {n} keys, p50 {p50:.2} ms, p99 {p99:.2} ms, max {max:.2} ms"
        )?;
    }

    // Input to redraw while two experiments train at once, through the TUI's own executor:
    // each key is handled, the jobs' pending events applied and the Train pane redrawn.
    let (tx, rx) = std::sync::mpsc::channel();
    let mut exec = crate::tui::Executor::new(tx, args.load_options());
    app.update(Action::Pane(crate::tui::app::Pane::Train));
    let start_field = crate::tui::experiments::FormField::ALL.len() - 1;
    for (family, grid) in [("svm", "c=0.1,1,10"), ("rf", "trees=300")] {
        let form = &mut app.lab.form;
        form.family = family;
        form.grid = grid.into();
        form.protocol = "actor-kfold:5".into();
        form.field = start_field;
        app.lab.focus = crate::tui::experiments::TrainFocus::Form;
        for c in app.update(Action::Enter) {
            exec.run(c);
        }
    }
    let t_runs = Instant::now();
    let lat = key_latencies(
        &mut app,
        &mut term,
        &theme,
        |app, _| app.lab.runs.iter().any(|r| r.state.is_active()),
        |app, mut cmds| {
            while let Ok(e) = rx.try_recv() {
                cmds.extend(app.update(Action::Event(e)));
            }
            for c in cmds {
                exec.run(c);
            }
        },
    )?;
    let secs = t_runs.elapsed().as_secs_f64();
    for r in &app.lab.runs {
        if let crate::tui::experiments::RunState::Failed(m) = &r.state {
            writeln!(out, "run #{} failed: {m}", r.id)?;
        }
    }
    let n = lat.len();
    let (p50, p99, max) = stats(lat);
    writeln!(
        out,
        "input-to-redraw while an SVM grid and a 300-tree forest train (actor-kfold:5, {secs:.1} s): {n} keys, p50 {p50:.2} ms, p99 {p99:.2} ms, max {max:.2} ms (target ≤ 50 ms)"
    )?;
    Ok(())
}
