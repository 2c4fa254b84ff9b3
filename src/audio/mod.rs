//! Audio in: WAV files of any common layout → mono f32 at the analysis rate.

pub mod device;
pub mod mic;
pub mod quiet;
pub mod resample;
pub mod wav;

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thiserror::Error;

pub use resample::resample;
pub use wav::{read_wav, write_wav_pcm16};

/// How the samples were stored in the source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SampleEncoding {
    /// Signed integer PCM (8-bit files are unsigned on disk) of this many bits.
    Pcm(u16),
    /// IEEE float of this many bits.
    Float(u16),
    /// Generated in memory (the synthetic corpus).
    Synthetic,
}

impl fmt::Display for SampleEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SampleEncoding::Pcm(b) => write!(f, "PCM {b}-bit"),
            SampleEncoding::Float(b) => write!(f, "float {b}-bit"),
            SampleEncoding::Synthetic => f.write_str("synthetic"),
        }
    }
}

/// A mono clip in memory.
#[derive(Debug, Clone, PartialEq)]
pub struct Audio {
    /// Mono samples, nominally in [-1, 1].
    pub samples: Vec<f32>,
    /// Rate of `samples` (after any resampling), in Hz.
    pub sample_rate: u32,
    /// Rate of the source file, in Hz.
    pub source_rate: u32,
    /// Channels in the source (mixed to mono here).
    pub source_channels: u16,
    pub encoding: SampleEncoding,
}

impl Audio {
    /// Duration in seconds.
    pub fn duration(&self) -> f64 {
        self.samples.len() as f64 / f64::from(self.sample_rate)
    }
}

/// Options for loading audio.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LoadOptions {
    /// Resample to this rate (Hz) if the file has another; `None` keeps the native rate
    /// (the librosa notebooks' `sr=None`). Default: `None`.
    pub target_rate: Option<u32>,
    /// Refuse files longer than this many seconds. Default: 600 (RAVDESS clips are 3–5 s).
    pub max_seconds: f64,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            target_rate: None,
            max_seconds: 600.0,
        }
    }
}

/// What is wrong with an audio file.
#[derive(Debug, Clone, PartialEq, Error, Serialize, Deserialize)]
pub enum AudioErrorKind {
    #[error("cannot read: {0}")]
    Io(String),
    #[error("cannot write: {0}")]
    Write(String),
    #[error("empty file (0 bytes)")]
    Empty,
    #[error("not a RIFF/WAVE file ({0})")]
    NotWave(String),
    #[error("malformed WAV: {0}")]
    Malformed(String),
    #[error("unsupported codec {} (format tag 0x{tag:04x}); convert to PCM, e.g. `sox in.wav -e signed -b 16 out.wav`", wav::codec_name(*tag))]
    UnsupportedCodec { tag: u16 },
    #[error("unsupported sample size of {0} bits")]
    UnsupportedSampleSize(u16),
    #[error("the fmt chunk declares zero channels")]
    ZeroChannels,
    #[error(
        "truncated data chunk: header declares {declared} bytes but only {available} are present"
    )]
    TruncatedData { declared: usize, available: usize },
    #[error("no audio samples (data chunk is empty)")]
    NoSamples,
    #[error("sample at frame {frame} is NaN or infinite")]
    NonFinite { frame: usize },
    #[error("sample at frame {frame} is {value:e}, far outside the ±1 of audio")]
    OutOfRange { frame: usize, value: f32 },
    #[error("{seconds:.1} s long, over the configured limit of {limit:.0} s")]
    TooLong { seconds: f64, limit: f64 },
    #[error("resampling failed: {0}")]
    Resample(String),
    #[error("nothing to classify: {0}")]
    Degenerate(String),
}

/// An audio error with the file it concerns.
#[derive(Debug, Clone, PartialEq, Error, Serialize, Deserialize)]
#[error("{}: {kind}", crate::util::shown(path))]
pub struct AudioError {
    pub path: PathBuf,
    pub kind: AudioErrorKind,
}

impl AudioError {
    pub fn new(path: &Path, kind: AudioErrorKind) -> Self {
        AudioError {
            path: path.to_path_buf(),
            kind,
        }
    }
}

/// Reads a WAV file and, if `opts.target_rate` asks for another rate, resamples it.
pub fn load(path: &Path, opts: &LoadOptions) -> Result<Audio, AudioError> {
    let audio = read_wav(path, opts)?;
    conform(audio, opts).map_err(|k| AudioError::new(path, k))
}

/// Shortest clip worth classifying, seconds.
pub const MIN_CLASSIFY_SECONDS: f64 = 0.1;
/// Lowest source rate worth classifying (speech features need the band below 2 kHz).
pub const MIN_CLASSIFY_RATE: u32 = 4000;

/// Why a clip cannot carry an emotion, if it cannot: shorter than [`MIN_CLASSIFY_SECONDS`],
/// recorded below [`MIN_CLASSIFY_RATE`], or digitally silent (a classifier would still
/// answer, confidently and meaninglessly).
pub fn degenerate(audio: &Audio) -> Option<String> {
    if audio.source_rate < MIN_CLASSIFY_RATE {
        return Some(format!(
            "recorded at {} Hz; speech needs at least {MIN_CLASSIFY_RATE} Hz",
            audio.source_rate
        ));
    }
    let secs = audio.duration();
    if secs < MIN_CLASSIFY_SECONDS {
        return Some(format!(
            "only {} samples ({:.1} ms); at least {:.1} s needed",
            audio.samples.len(),
            secs * 1000.0,
            MIN_CLASSIFY_SECONDS
        ));
    }
    if audio.samples.iter().all(|&v| v == 0.0) {
        return Some("digitally silent (every sample is zero)".into());
    }
    None
}

/// [`load`] for classification: also refuses a [`degenerate`] clip, naming the file.
pub fn load_for_classification(path: &Path, opts: &LoadOptions) -> Result<Audio, AudioError> {
    let audio = read_wav(path, opts)?;
    if let Some(why) = degenerate(&audio) {
        return Err(AudioError::new(path, AudioErrorKind::Degenerate(why)));
    }
    conform(audio, opts).map_err(|k| AudioError::new(path, k))
}

/// Applies the rate conversion of `opts` to audio already in memory.
pub fn conform(mut audio: Audio, opts: &LoadOptions) -> Result<Audio, AudioErrorKind> {
    if let Some(rate) = opts.target_rate
        && rate != audio.sample_rate
    {
        audio.samples = resample(&audio.samples, audio.sample_rate, rate)?;
        audio.sample_rate = rate;
    }
    Ok(audio)
}
