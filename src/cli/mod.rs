//! The headless command line: clap subcommands over the library.

mod bench;
mod bench_corpora;
mod bench_ml;
mod bench_tui;
mod compare;
pub mod live;
pub mod train;
mod train_progress;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use crate::ml::persist::SpeakerNorm;
use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};
use rayon::prelude::*;

use crate::audio::{LoadOptions, write_wav_pcm16};
use crate::corpus::{Actor, Corpus, CorpusFormat, CorpusSpec, Emotion, synth};
use crate::features::extract::FeatureCache;
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
    /// A corpus folder: RAVDESS (Zenodo `Audio_Speech_Actors_01-24`, or the Kaggle
    /// download), EmoDB, CREMA-D, TESS or SAVEE as downloaded. Default: the built-in
    /// synthetic corpus.
    #[arg(long, global = true, value_name = "PATH")]
    pub corpus: Option<PathBuf>,
    /// The corpus's naming scheme: ravdess, ravdess-song, emodb, crema-d, tess, savee.
    /// Default: detected from the file names (the synthetic corpus: ravdess).
    #[arg(long, global = true, value_name = "NAME")]
    pub format: Option<CorpusFormat>,
    /// Seed of the synthetic corpus (the corpus used without --corpus). Not the training
    /// seed: that is `train --train-seed`.
    #[arg(
        long = "synth-seed",
        alias = "seed",
        global = true,
        default_value_t = synth::DEFAULT_SEED,
        value_name = "SEED"
    )]
    pub seed: u64,
    /// Refuse audio files longer than this (seconds).
    #[arg(long, global = true, default_value_t = 600.0, value_name = "SECONDS")]
    pub max_seconds: f64,
}

impl CorpusArgs {
    pub fn spec(&self) -> CorpusSpec {
        match &self.corpus {
            Some(path) => CorpusSpec::Directory {
                path: path.clone(),
                format: self.format,
            },
            None => CorpusSpec::Synthetic {
                seed: self.seed,
                format: self.format.unwrap_or_default(),
            },
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
    /// Write clips of the synthetic corpus as 16-bit WAV files, named, laid out and sampled
    /// as the download of --format is (default RAVDESS's Zenodo layout, `OUT/Actor_XX/03-01-….wav`;
    /// EmoDB `OUT/wav/03a01Fa.wav`, CREMA-D `OUT/AudioWAV/…`, TESS `OUT/OAF_angry/…`,
    /// SAVEE `OUT/ALL/DC_a01.wav`).
    Synth {
        /// Output folder (created if missing).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Only these speakers, by their number in the corpus (RAVDESS 1-24, EmoDB 3,
        /// CREMA-D 1001, SAVEE and TESS 1, 2 …); repeatable. Default: all.
        #[arg(long = "actor", value_name = "N")]
        actors: Vec<u16>,
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
    /// Rank a saved session's finished experiments: UAR ± fold std, and a paired test of
    /// each against the best (McNemar on the same clips, sign-flip on fold UARs).
    Compare {
        /// A session file (sessions/NAME.ron).
        session: PathBuf,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// List saved models with what each is: family, preset, normalisation, the protocol and
    /// score that chose it, clips, date saved, file size.
    Models {
        /// The folder (default: models/).
        #[arg(default_value = "models")]
        dir: PathBuf,
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
    /// Scanning and cross-corpus evaluation of 1000 synthetic clips in CREMA-D's layout
    /// beside 1000 in RAVDESS's (--clips N for another size).
    Corpora,
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
        Some(Command::Scan { path, json }) => scan(path, json, &cli.corpus, out)?,
        Some(Command::Synth {
            out: dir,
            actors,
            emotions,
            limit,
        }) => {
            let format = cli.corpus.format.unwrap_or_default();
            let n = write_synthetic_as(&dir, format, cli.corpus.seed, &actors, &emotions, limit)?;
            writeln!(out, "wrote {n} clips to {}", dir.display())?;
        }
        Some(Command::Train(args)) => train_command(&args, &cli.corpus, out)?,
        Some(Command::Compare { session, json }) => compare::compare(&session, json, out)?,
        Some(Command::Models { dir }) => list_models(&dir, out)?,
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
        Some(Command::Bench { what, clips, model }) => {
            bench(what, clips, model.as_deref(), &cli.corpus, out)?
        }
        Some(Command::Features {
            preset,
            out: path,
            cache,
            no_cache,
        }) => features(preset, &path, cache, no_cache, &cli.corpus, out)?,
    }
    Ok(())
}

/// `emoscope train`: opens the corpus (and the test corpus of a cross-corpus run) and trains.
fn train_command(
    args: &train::TrainArgs,
    corpus_args: &CorpusArgs,
    out: &mut dyn Write,
) -> Result<()> {
    if corpus_args.corpus.is_none() {
        eprintln!(
            "note: no --corpus given: training on the built-in synthetic corpus \
             (--synth-seed {})",
            corpus_args.seed
        );
    }
    let corpus = open(&corpus_args.spec(), corpus_args)?;
    let test = match &args.test_corpus {
        Some(path) => Some(open(
            &CorpusSpec::Directory {
                path: path.clone(),
                format: args.test_format,
            },
            corpus_args,
        )?),
        None => None,
    };
    train::train(&corpus, test.as_ref(), args, out)?;
    Ok(())
}

/// `emoscope models`: each saved model with what it is.
fn list_models(dir: &Path, out: &mut dyn Write) -> Result<()> {
    let files = crate::util::ron_files_in(dir);
    if files.is_empty() {
        writeln!(
            out,
            "no models in {} (emoscope train --save FILE makes one)",
            dir.display()
        )?;
    }
    for f in files {
        writeln!(
            out,
            "{}\n    {}",
            crate::util::shown(&f),
            crate::ml::persist::SavedModel::describe_file(&f)
        )?;
    }
    Ok(())
}

/// `emoscope scan`: the corpus summary, as text or JSON.
fn scan(path: Option<PathBuf>, json: bool, args: &CorpusArgs, out: &mut dyn Write) -> Result<()> {
    let spec = match path {
        Some(path) => CorpusSpec::Directory {
            path,
            format: args.format,
        },
        None => args.spec(),
    };
    let corpus = open(&spec, args)?;
    let summary = corpus.summary();
    if json {
        serde_json::to_writer_pretty(&mut *out, &summary)?;
        writeln!(out)?;
    } else {
        write!(out, "{summary}")?;
    }
    if corpus.clips.is_empty() {
        bail!(
            "no RAVDESS clips found under {spec} ({} other files): clips are WAV files named \
             like 03-01-05-01-02-01-12.wav (modality-channel-emotion-intensity-statement-\
             repetition-actor), usually in Actor_XX folders; EmoDB (03a01Fa.wav), CREMA-D \
             (1001_DFA_ANG_XX.wav), TESS (OAF_back_angry.wav) and SAVEE (DC_a01.wav) names \
             are read too",
            corpus.problems.len() + corpus.ignored.len()
        );
    }
    Ok(())
}

/// `emoscope bench …`.
fn bench(
    what: BenchTarget,
    clips: usize,
    model: Option<&Path>,
    args: &CorpusArgs,
    out: &mut dyn Write,
) -> Result<()> {
    match what {
        BenchTarget::Record => live::bench_record(model, &open(&args.spec(), args)?, out),
        BenchTarget::Synth => bench::bench_synth(args.seed, clips, out),
        BenchTarget::Features => bench::bench_features(args, clips, out),
        BenchTarget::Tui => bench_tui::bench_tui(args, out),
        BenchTarget::Corpora => bench_corpora::bench_corpora(args.seed, clips, out),
        BenchTarget::Logreg => {
            let corpus = open(&args.spec(), args)?;
            bench_ml::bench_logreg(&corpus, Preset::Full, &bench::run_peer, out)
        }
    }
}

/// `emoscope features`: a preset's feature table as CSV.
fn features(
    preset: Preset,
    path: &Path,
    cache: Option<PathBuf>,
    no_cache: bool,
    args: &CorpusArgs,
    out: &mut dyn Write,
) -> Result<()> {
    let corpus = open(&args.spec(), args)?;
    let cfg = FeatureConfig::preset(preset);
    let cache =
        (!no_cache).then(|| FeatureCache::new(cache.unwrap_or_else(FeatureCache::default_dir)));
    let start = std::time::Instant::now();
    let table = train::extract_with_progress(&corpus, &cfg, cache.as_ref())?;
    crate::util::write_atomic(path, table.to_csv().as_bytes())
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
    Ok(())
}

/// Opens a corpus; the error names the folder once (the I/O error already does).
fn open(spec: &CorpusSpec, args: &CorpusArgs) -> Result<Corpus> {
    Corpus::open(spec, &args.load_options())
        .map_err(|e| anyhow::anyhow!("cannot open the corpus: {e}"))
}

/// Writes synthetic RAVDESS clips to `dir/Actor_XX/`; returns how many.
pub fn write_synthetic(
    dir: &Path,
    seed: u64,
    actors: &[u16],
    emotions: &[Emotion],
    limit: Option<usize>,
) -> Result<usize> {
    write_synthetic_as(dir, CorpusFormat::Ravdess, seed, actors, emotions, limit)
}

/// Writes synthetic clips of a format to `dir`, laid out as its download and at its
/// distribution rate ([`CorpusFormat::native_rate`]); returns how many.
pub fn write_synthetic_as(
    dir: &Path,
    format: CorpusFormat,
    seed: u64,
    actors: &[u16],
    emotions: &[Emotion],
    limit: Option<usize>,
) -> Result<usize> {
    let set = format.speakers();
    for &a in actors {
        if Actor::in_set(set, a).is_none() {
            let all: Vec<String> = Actor::of_set(set)
                .iter()
                .map(|a| a.local().to_string())
                .collect();
            bail!("{format} has no speaker {a} (it has {})", all.join(", "));
        }
    }
    let mut ids: Vec<_> = synth::layouts::clip_ids(format)
        .into_iter()
        .filter(|id| actors.is_empty() || actors.contains(&id.actor.local()))
        .filter(|id| emotions.is_empty() || emotions.contains(&id.emotion))
        .collect();
    if let Some(l) = limit {
        ids.truncate(l);
    }
    ids.par_iter().try_for_each(|id| -> Result<()> {
        let folder = dir.join(synth::layouts::folder(id));
        std::fs::create_dir_all(&folder)
            .with_context(|| format!("cannot create {}", folder.display()))?;
        let audio = synth::render_clip(id, seed);
        let rate = format.native_rate();
        let samples = crate::audio::resample::resample(&audio.samples, audio.sample_rate, rate)
            .map_err(|e| anyhow::anyhow!("{}: {e}", id.file_name()))?;
        write_wav_pcm16(&folder.join(id.file_name()), &samples, rate)?;
        Ok(())
    })?;
    Ok(ids.len())
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
        .map(|f| crate::audio::load_for_classification(f, &opts))
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
            let what = crate::util::shown(f);
            writeln!(out, "{}", live::prediction_line(&what, &m, *e, p, &norm))?;
        }
    }
    Ok(())
}
