//! The corpus: which clips exist, where their audio comes from, and what went wrong finding them.

pub mod format;
pub mod id;
pub mod labels;
pub mod ravdess;
pub mod scan;
pub mod speakers;
pub mod summary;
pub mod synth;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::audio::{self, Audio, AudioError, AudioErrorKind, LoadOptions, SampleEncoding};
pub use format::{CorpusFormat, SpeakerSet};
pub use id::{ClipId, NameError};
pub use labels::{Emotion, Intensity, Modality, Sex, Statement, TextCode, VocalChannel};
pub use scan::{Ignored, Problem, ProblemKind, detect_format, scan_dir};
pub use speakers::Actor;
pub use summary::CorpusSummary;

/// Where a corpus comes from. Recorded in sessions so a session reopens the same corpus.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CorpusSpec {
    /// The built-in synthetic corpus, generated from this seed, named as `format` names its
    /// files (RAVDESS unless a test asks for another).
    Synthetic {
        seed: u64,
        #[serde(default, skip_serializing_if = "CorpusFormat::is_ravdess")]
        format: CorpusFormat,
    },
    /// A directory tree of WAV files of one corpus (RAVDESS's Zenodo or Kaggle layout, or
    /// EmoDB, CREMA-D, TESS, SAVEE as downloaded); the format is detected from the file
    /// names unless given.
    Directory {
        path: PathBuf,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        format: Option<CorpusFormat>,
    },
}

impl Default for CorpusSpec {
    fn default() -> Self {
        CorpusSpec::Synthetic {
            seed: synth::DEFAULT_SEED,
            format: CorpusFormat::Ravdess,
        }
    }
}

impl CorpusSpec {
    /// A folder whose format is detected from its file names.
    pub fn directory(path: impl Into<PathBuf>) -> Self {
        CorpusSpec::Directory {
            path: path.into(),
            format: None,
        }
    }

    /// The synthetic RAVDESS corpus with this seed.
    pub fn synthetic(seed: u64) -> Self {
        CorpusSpec::Synthetic {
            seed,
            format: CorpusFormat::Ravdess,
        }
    }
}

impl std::fmt::Display for CorpusSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CorpusSpec::Synthetic {
                seed,
                format: CorpusFormat::Ravdess,
            } => write!(f, "synthetic (seed {seed})"),
            CorpusSpec::Synthetic { seed, format } => {
                write!(f, "synthetic {format} (seed {seed})")
            }
            CorpusSpec::Directory { path, .. } => write!(f, "{}", path.display()),
        }
    }
}

/// Where one clip's samples come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClipSource {
    File(PathBuf),
    /// Rendered on demand by [`synth`] from the corpus seed and the clip id.
    Synthetic {
        seed: u64,
    },
}

/// One clip of the corpus, with what was learnt about its audio when the corpus was opened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Clip {
    pub id: ClipId,
    pub source: ClipSource,
    /// Seconds.
    pub duration: f64,
    /// Native sample rate, Hz.
    pub sample_rate: u32,
    /// Channels in the source (stereo is mixed to mono on load).
    pub channels: u16,
    pub encoding: SampleEncoding,
}

impl Clip {
    /// The file path, or the RAVDESS name for synthetic clips.
    pub fn location(&self) -> String {
        match &self.source {
            ClipSource::File(p) => p.display().to_string(),
            ClipSource::Synthetic { .. } => format!("synthetic:{}", self.id.file_name()),
        }
    }

    /// Loads the clip's samples (mono; resampled if `opts` asks).
    pub fn load(&self, opts: &LoadOptions) -> Result<Audio, AudioError> {
        match &self.source {
            ClipSource::File(path) => audio::load(path, opts),
            ClipSource::Synthetic { seed } => {
                let audio = synth::render_clip(&self.id, *seed);
                let path = PathBuf::from(self.location());
                if audio.duration() > opts.max_seconds {
                    return Err(AudioError::new(
                        &path,
                        AudioErrorKind::TooLong {
                            seconds: audio.duration(),
                            limit: opts.max_seconds,
                        },
                    ));
                }
                audio::conform(audio, opts).map_err(|k| AudioError::new(&path, k))
            }
        }
    }
}

/// A corpus: its clips (sorted by id, each once) and everything found wrong while opening it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Corpus {
    pub spec: CorpusSpec,
    pub clips: Vec<Clip>,
    /// Files that looked like corpus audio but could not be used, and other findings.
    pub problems: Vec<Problem>,
    /// Files that are not corpus audio at all (README, .DS_Store, CSV …), listed for completeness.
    pub ignored: Vec<Ignored>,
    /// The longest clip accepted (`--max-seconds`): the scan applied it, and extraction
    /// applies the same, so no clip the scan kept is skipped later.
    pub max_seconds: f64,
}

impl Corpus {
    /// Opens the corpus a spec describes: scans a directory, or lays out the synthetic corpus.
    ///
    /// A directory that does not exist or cannot be read is an error; individual bad files
    /// are not (they are listed in `problems`).
    pub fn open(spec: &CorpusSpec, opts: &LoadOptions) -> Result<Corpus, std::io::Error> {
        match spec {
            CorpusSpec::Synthetic { seed, format } => Ok(synth::corpus_of(*format, *seed)),
            CorpusSpec::Directory { path, format } => scan_dir(path, *format, opts),
        }
    }

    /// The synthetic corpus with the default seed.
    pub fn synthetic() -> Corpus {
        synth::corpus(synth::DEFAULT_SEED)
    }

    /// The speakers present, sorted.
    pub fn actors(&self) -> Vec<Actor> {
        self.distinct(|id| id.actor)
    }

    /// The emotions present, in the shared vocabulary's order.
    pub fn emotions(&self) -> Vec<Emotion> {
        self.distinct(|id| id.emotion)
    }

    /// The distinct values of one label over the clips, sorted.
    pub fn distinct<T: Ord>(&self, label: impl Fn(&ClipId) -> T) -> Vec<T> {
        let mut v: Vec<T> = self.clips.iter().map(|c| label(&c.id)).collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// The corpus formats of the clips, most clips first.
    pub fn formats(&self) -> Vec<(CorpusFormat, usize)> {
        let mut n: std::collections::BTreeMap<CorpusFormat, usize> = Default::default();
        for c in &self.clips {
            *n.entry(c.id.format()).or_default() += 1;
        }
        let mut v: Vec<(CorpusFormat, usize)> = n.into_iter().collect();
        v.sort_by_key(|c| std::cmp::Reverse(c.1));
        v
    }

    /// The take to compare a clip with: the same actor, statement and repetition, neutral
    /// (or calm, when the clip itself is neutral), at normal intensity in RAVDESS (other
    /// corpora's neutral takes have no level).
    pub fn counterpart(&self, id: &ClipId) -> Option<ClipId> {
        let target = if id.emotion == Emotion::Neutral {
            Emotion::Calm
        } else {
            Emotion::Neutral
        };
        self.clips
            .iter()
            .find(|c| {
                c.id.actor == id.actor
                    && c.id.statement == id.statement
                    && c.id.repetition == id.repetition
                    && c.id.emotion == target
                    && (c.id.intensity == Intensity::Normal
                        || !Intensity::RAVDESS.contains(&c.id.intensity))
            })
            .map(|c| c.id)
    }

    /// The clip with this id, if present.
    pub fn clip(&self, id: &ClipId) -> Option<&Clip> {
        self.clips
            .binary_search_by(|c| c.id.cmp(id))
            .ok()
            .map(|i| &self.clips[i])
    }

    /// Per-actor, per-emotion counts and the other figures `emoscope scan` prints.
    pub fn summary(&self) -> CorpusSummary {
        CorpusSummary::of(self)
    }

    /// The directory a `Directory` corpus was read from.
    pub fn root(&self) -> Option<&Path> {
        match &self.spec {
            CorpusSpec::Directory { path, .. } => Some(path),
            CorpusSpec::Synthetic { .. } => None,
        }
    }
}
