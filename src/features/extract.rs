//! Feature extraction over a corpus: parallel on rayon, with progress, cancellation and an
//! on-disk cache, so a second run over the same corpus does no DSP.
//!
//! Memory stays flat: each worker loads one clip, summarises it and drops the audio.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{FeatureConfig, summarise};
use crate::audio::LoadOptions;
use crate::corpus::{Clip, ClipId, ClipSource, Corpus};

pub use crate::jobs::CancelToken;

/// Extraction was cancelled before it finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("cancelled")]
pub struct Cancelled;

/// One clip's feature vector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureRow {
    pub id: ClipId,
    /// File path, or `synthetic:NAME`.
    pub location: String,
    pub values: Vec<f32>,
}

/// The feature vectors of a corpus, and the clips that failed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureTable {
    pub config: FeatureConfig,
    pub names: Vec<String>,
    pub rows: Vec<FeatureRow>,
    /// (clip location, error) for every clip that could not be extracted.
    pub failures: Vec<(String, String)>,
    /// How many rows came from the cache.
    pub cache_hits: usize,
}

/// The feature engine's numeric version, part of every cache key: bumped whenever a change
/// alters any vector (even in the last bit), so an upgraded emoscope never serves vectors
/// computed by an older one. 2: session 3's STFT (fast magnitudes above 4 kHz, mel and chroma
/// summation order).
pub const ENGINE_VERSION: u32 = 3;

/// An on-disk cache of feature vectors: `DIR/engine<ENGINE_VERSION>-<config hash>/<clip
/// key>.f32`.
///
/// A clip's key covers its identity — for files the path, size and modification time; for
/// synthetic clips the seed, the name and the generator version — so an edited file is
/// re-extracted. Entries are written atomically; an unreadable entry is recomputed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeatureCache {
    pub dir: PathBuf,
}

/// Bumped whenever the synthetic generator's output changes, invalidating cached vectors.
pub const SYNTH_VERSION: u32 = 1;

const MAGIC: &[u8; 4] = b"EMF1";

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

impl FeatureCache {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        FeatureCache { dir: dir.into() }
    }

    /// Removes the temporaries that killed writes left in `cfg`'s folder (of processes that
    /// are gone); returns how many.
    pub fn remove_stale_temporaries(&self, cfg: &FeatureConfig) -> usize {
        match self.path(cfg, 0).parent() {
            Some(dir) => crate::util::remove_stale_temporaries(dir),
            None => 0,
        }
    }

    /// `$EMOSCOPE_CACHE`, else `$XDG_CACHE_HOME/emoscope`, else `~/.cache/emoscope`, else
    /// `.emoscope-cache` in the working directory.
    pub fn default_dir() -> PathBuf {
        if let Some(d) = std::env::var_os("EMOSCOPE_CACHE") {
            return d.into();
        }
        if let Some(d) = std::env::var_os("XDG_CACHE_HOME") {
            return Path::new(&d).join("emoscope");
        }
        if let Some(h) = std::env::var_os("HOME") {
            return Path::new(&h).join(".cache/emoscope");
        }
        PathBuf::from(".emoscope-cache")
    }

    /// The cache key of a clip, or `None` if its file cannot be stat'ed.
    fn key(clip: &Clip) -> Option<u64> {
        let identity = match &clip.source {
            ClipSource::File(p) => {
                let m = std::fs::metadata(p).ok()?;
                let mtime = m
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_nanos());
                let path = std::fs::canonicalize(p).unwrap_or_else(|_| p.clone());
                format!("file:{}:{}:{mtime}", path.display(), m.len())
            }
            ClipSource::Synthetic { seed } => {
                format!("synth:v{SYNTH_VERSION}:{seed}:{}", clip.id.stem())
            }
        };
        Some(fnv1a(identity.as_bytes()))
    }

    fn path(&self, cfg: &FeatureConfig, key: u64) -> PathBuf {
        self.dir
            .join(format!("engine{ENGINE_VERSION}-{:016x}", cfg.hash()))
            .join(format!("{key:016x}.f32"))
    }

    fn get(&self, cfg: &FeatureConfig, key: u64, len: usize) -> Option<Vec<f32>> {
        let bytes = std::fs::read(self.path(cfg, key)).ok()?;
        if bytes.len() != 8 + 4 * len || &bytes[..4] != MAGIC {
            return None;
        }
        let n = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]) as usize;
        if n != len {
            return None;
        }
        Some(
            bytes[8..]
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect(),
        )
    }

    fn put(&self, cfg: &FeatureConfig, key: u64, values: &[f32]) -> std::io::Result<()> {
        let path = self.path(cfg, key);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let mut bytes = Vec::with_capacity(8 + 4 * values.len());
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&(values.len() as u32).to_le_bytes());
        for v in values {
            bytes.extend_from_slice(&v.to_le_bytes());
        }
        crate::util::write_atomic(&path, &bytes)
    }
}

/// One clip's vector: from the cache when it has it (`true`), else computed (and cached).
fn clip_features(
    clip: &crate::corpus::Clip,
    cfg: &FeatureConfig,
    cache: Option<&FeatureCache>,
    opts: &LoadOptions,
    width: usize,
) -> (Result<Vec<f32>, String>, bool) {
    let key = cache.and_then(|_| FeatureCache::key(clip));
    if let (Some(c), Some(k)) = (cache, key)
        && let Some(values) = c.get(cfg, k, width)
    {
        return (Ok(values), true);
    }
    let result = clip
        .load(opts)
        .map(|audio| summarise(&audio, cfg))
        .map_err(|e| e.to_string())
        .inspect(|values| {
            if let (Some(c), Some(k)) = (cache, key)
                && let Err(e) = c.put(cfg, k, values)
            {
                log::warn!("feature cache: cannot write {}: {e}", c.dir.display());
            }
        });
    (result, false)
}

/// Extracts the configured features of every clip of `corpus` in parallel.
///
/// `progress(done, total)` is called after each clip (from worker threads). A clip that fails
/// to load is listed in `failures` and the others go on. Returns `Err(Cancelled)` soon after
/// `cancel` is set (clips already started finish first).
pub fn extract_corpus(
    corpus: &Corpus,
    cfg: &FeatureConfig,
    cache: Option<&FeatureCache>,
    cancel: &CancelToken,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<FeatureTable, Cancelled> {
    let names = cfg.names();
    if let Some(c) = cache {
        c.remove_stale_temporaries(cfg);
    }
    let total = corpus.clips.len();
    let done = AtomicUsize::new(0);
    let hits = AtomicUsize::new(0);
    let opts = LoadOptions {
        target_rate: cfg.sample_rate,
        max_seconds: corpus.max_seconds,
    };
    let results: Vec<Option<Result<FeatureRow, (String, String)>>> = corpus
        .clips
        .par_iter()
        .map(|clip| {
            if cancel.is_cancelled() {
                return None;
            }
            let (result, hit) = clip_features(clip, cfg, cache, &opts, names.len());
            if hit {
                hits.fetch_add(1, Ordering::Relaxed);
            }
            progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
            Some(
                result
                    .map(|values| FeatureRow {
                        id: clip.id,
                        location: clip.location(),
                        values,
                    })
                    .map_err(|e| (clip.location(), e)),
            )
        })
        .collect();
    if cancel.is_cancelled() {
        return Err(Cancelled);
    }
    let mut rows = Vec::with_capacity(total);
    let mut failures = Vec::new();
    for r in results.into_iter().flatten() {
        match r {
            Ok(row) => rows.push(row),
            Err(f) => {
                log::warn!("{}: {}", f.0, f.1);
                failures.push(f);
            }
        }
    }
    Ok(FeatureTable {
        config: cfg.clone(),
        names,
        rows,
        failures,
        cache_hits: hits.into_inner(),
    })
}

impl FeatureTable {
    /// Writes the table as CSV: the RAVDESS fields, then one column per feature.
    /// Pandas reads it as is (`pd.read_csv`).
    pub fn to_csv(&self) -> String {
        // The csv crate quotes per RFC 4180: a field with a comma, a quote, a CR or a newline
        // (a folder name may hold any of them) is quoted, quotes doubled.
        let mut w = csv::Writer::from_writer(Vec::new());
        let mut header: Vec<&str> = vec![
            "file",
            "actor",
            "sex",
            "emotion_code",
            "emotion",
            "intensity",
            "statement",
            "repetition",
            "modality",
            "vocal_channel",
        ];
        header.extend(self.names.iter().map(String::as_str));
        // Writing to a Vec cannot fail; a failed record would only be left out.
        let _ = w.write_record(&header);
        for r in &self.rows {
            let id = &r.id;
            let mut rec: Vec<String> = vec![
                r.location.clone(),
                id.actor.number().to_string(),
                id.sex().to_string(),
                format!("{:02}", id.emotion.code()),
                id.emotion.to_string(),
                id.intensity.to_string(),
                id.statement.to_string(),
                id.repetition.to_string(),
                id.modality.to_string(),
                id.channel.to_string(),
            ];
            rec.extend(r.values.iter().map(f32::to_string));
            let _ = w.write_record(&rec);
        }
        String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
    }
}
