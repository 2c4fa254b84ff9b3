//! Scanning a directory tree for the clips of one corpus, as users have it on disk.
//!
//! Handles RAVDESS's Zenodo layout (`Audio_Speech_Actors_01-24/Actor_XX/*.wav`), the Kaggle
//! copy (an extra wrapper folder and a second nested copy of the same tree), EmoDB, CREMA-D,
//! TESS and SAVEE as downloaded, and stray files. The corpus's format is the one most file
//! names have (or the one asked for); names of other corpora are reported, and so is every
//! folder that mixes corpora. Nothing stops the scan: every file ends up as a clip, a
//! problem, or an ignored file, each with its reason. Audio is decoded in parallel (rayon)
//! to validate it; samples are not kept.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use thiserror::Error;
use walkdir::WalkDir;

use super::{Clip, ClipId, ClipSource, Corpus, CorpusFormat, CorpusSpec};
use crate::audio::{self, AudioErrorKind, LoadOptions};

/// What is wrong with a file that looked like corpus audio.
#[derive(Debug, Clone, PartialEq, Error, Serialize, Deserialize)]
pub enum ProblemKind {
    /// A `.wav` whose name is not a name of the corpus's format. Skipped.
    #[error("{0}")]
    BadName(String),
    /// A name of another corpus than the one scanned. Skipped.
    #[error(
        "a {found} name in this {corpus} corpus (open that corpus's folder on its own, or choose with --format)"
    )]
    OtherCorpus {
        found: CorpusFormat,
        corpus: CorpusFormat,
    },
    /// A folder holding names of several corpora (reported once, for the folder).
    #[error("folder mixes corpora: {0}")]
    MixedFolder(String),
    /// The audio could not be loaded. Skipped.
    #[error("{0}")]
    Audio(AudioErrorKind),
    /// The same clip was already found at another path. Skipped.
    #[error("duplicate of {}{}", crate::util::shown(kept), if *same_size { "" } else { " (different size!)" })]
    Duplicate { kept: PathBuf, same_size: bool },
    /// The clip's actor differs from the `Actor_XX` folder it sits in. Kept.
    #[error("file names actor {in_name:02} but sits in folder Actor_{folder:02}")]
    ActorFolderMismatch { in_name: u16, folder: u16 },
    /// The directory walk could not read an entry. Skipped.
    #[error("cannot read: {0}")]
    Walk(String),
}

impl ProblemKind {
    /// Whether the file was left out of the corpus (as opposed to kept with a warning).
    pub fn skipped(&self) -> bool {
        !matches!(
            self,
            ProblemKind::ActorFolderMismatch { .. } | ProblemKind::MixedFolder(_)
        )
    }
}

/// A problem with one file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    pub path: PathBuf,
    pub kind: ProblemKind,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let verdict = match self.kind {
            ProblemKind::MixedFolder(_) => "reported",
            _ if self.kind.skipped() => "skipped",
            _ => "kept",
        };
        write!(
            f,
            "{}: {} ({verdict})",
            crate::util::shown(&self.path),
            self.kind
        )
    }
}

/// A file that is not corpus audio, and why it was passed over.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ignored {
    pub path: PathBuf,
    pub reason: String,
}

/// Why a non-`.wav` or system file is not considered, or `None` for a candidate WAV.
fn ignore_reason(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_string_lossy();
    if name.starts_with("._") {
        return Some("macOS resource fork (AppleDouble ._ file)".into());
    }
    if path.components().any(|c| c.as_os_str() == "__MACOSX") {
        return Some("inside a __MACOSX folder".into());
    }
    if name.starts_with('.') {
        return Some("hidden file".into());
    }
    let is_wav = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("wav"));
    if !is_wav {
        return Some(match path.extension() {
            Some(e) => format!("not a WAV file (.{})", e.to_string_lossy()),
            None => "not a WAV file".into(),
        });
    }
    None
}

/// The actor number of an enclosing `Actor_XX` folder, if any.
fn actor_folder(path: &Path) -> Option<u16> {
    let parent = path
        .parent()?
        .file_name()?
        .to_string_lossy()
        .to_ascii_lowercase();
    parent.strip_prefix("actor_")?.parse().ok()
}

/// Every `.wav` under `root` with its name; strays and non-files reported.
fn walk(
    root: &Path,
    problems: &mut Vec<Problem>,
    ignored: &mut Vec<Ignored>,
) -> Vec<(PathBuf, String)> {
    let mut candidates: Vec<(PathBuf, String)> = Vec::new();
    for entry in WalkDir::new(root).follow_links(true).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| root.into());
                problems.push(Problem {
                    path,
                    kind: ProblemKind::Walk(e.to_string()),
                });
                continue;
            }
        };
        if !entry.file_type().is_file() {
            // A folder, pipe, device or socket named like a WAV is reported, not skipped
            // silently (reading a FIFO would block, a device may never end).
            let wav_named = entry
                .path()
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("wav"));
            if wav_named && entry.depth() > 0 {
                let what = entry
                    .metadata()
                    .map_or("not a regular file", |m| crate::audio::wav::file_kind(&m));
                problems.push(Problem {
                    path: entry.into_path(),
                    kind: ProblemKind::Audio(crate::audio::AudioErrorKind::Io(format!(
                        "{what}, not a WAV file"
                    ))),
                });
            }
            continue;
        }
        let path = entry.into_path();
        if let Some(reason) = ignore_reason(&path) {
            ignored.push(Ignored { path, reason });
            continue;
        }
        let name = super::format::clip_name(&path);
        candidates.push((path, name));
    }
    candidates
}

/// The corpus's format (`forced`, else the one most names parse as; RAVDESS when none
/// does) and the files of that format. Other names are reported: bad names with that
/// format's reason, other corpora's names as such, and each folder mixing corpora once.
fn identify(
    files: Vec<(PathBuf, String)>,
    forced: Option<CorpusFormat>,
    problems: &mut Vec<Problem>,
) -> (CorpusFormat, Vec<(PathBuf, ClipId)>) {
    let parsed: Vec<(PathBuf, String, Option<ClipId>)> = files
        .into_iter()
        .map(|(path, name)| {
            let id = ClipId::parse(&name).ok();
            (path, name, id)
        })
        .collect();
    let mut by_format: BTreeMap<CorpusFormat, usize> = BTreeMap::new();
    let mut by_folder: BTreeMap<PathBuf, BTreeMap<CorpusFormat, usize>> = BTreeMap::new();
    for (path, _, id) in &parsed {
        if let Some(id) = id {
            *by_format.entry(id.format()).or_default() += 1;
            let folder = path.parent().map(Path::to_path_buf).unwrap_or_default();
            *by_folder
                .entry(folder)
                .or_default()
                .entry(id.format())
                .or_default() += 1;
        }
    }
    let format = forced.unwrap_or_else(|| {
        by_format
            .iter()
            .max_by_key(|(f, n)| (**n, std::cmp::Reverse(**f)))
            .map_or(CorpusFormat::Ravdess, |(f, _)| *f)
    });
    for (folder, counts) in by_folder.into_iter().filter(|(_, c)| c.len() > 1) {
        let mut counts: Vec<(CorpusFormat, usize)> = counts.into_iter().collect();
        counts.sort_by_key(|c| std::cmp::Reverse(c.1));
        let list: Vec<String> = counts.iter().map(|(f, n)| format!("{n} {f}")).collect();
        problems.push(Problem {
            path: folder,
            kind: ProblemKind::MixedFolder(list.join(", ")),
        });
    }
    let mut kept = Vec::new();
    for (path, name, id) in parsed {
        let kind = match id {
            Some(id) if id.format() == format => {
                kept.push((path, id));
                continue;
            }
            Some(id) => ProblemKind::OtherCorpus {
                found: id.format(),
                corpus: format,
            },
            None => ProblemKind::BadName(match format.parse(&name) {
                Err(e) => format!("not a {format} name: {e}"),
                Ok(_) => format!("not a {format} name"),
            }),
        };
        problems.push(Problem { path, kind });
    }
    (format, kept)
}

/// Groups files by id and keeps the shallowest path (then the first by name) of each clip;
/// the other copies and actor-folder mismatches are reported.
fn choose_copies(
    candidates: Vec<(PathBuf, ClipId)>,
    problems: &mut Vec<Problem>,
) -> Vec<(ClipId, PathBuf)> {
    let mut by_id: BTreeMap<ClipId, Vec<PathBuf>> = BTreeMap::new();
    for (path, id) in candidates {
        by_id.entry(id).or_default().push(path);
    }
    let mut chosen: Vec<(ClipId, PathBuf)> = Vec::with_capacity(by_id.len());
    for (id, mut paths) in by_id {
        paths.sort_by(|a, b| {
            a.components()
                .count()
                .cmp(&b.components().count())
                .then_with(|| a.cmp(b))
        });
        let kept = paths.remove(0);
        let kept_size = std::fs::metadata(&kept).map(|m| m.len()).ok();
        for dup in paths {
            let size = std::fs::metadata(&dup).map(|m| m.len()).ok();
            problems.push(Problem {
                path: dup,
                kind: ProblemKind::Duplicate {
                    kept: kept.clone(),
                    same_size: size == kept_size,
                },
            });
        }
        if let Some(folder) = actor_folder(&kept)
            && id.actor.set() == Some(super::SpeakerSet::Ravdess)
            && folder != id.actor.local()
        {
            problems.push(Problem {
                path: kept.clone(),
                kind: ProblemKind::ActorFolderMismatch {
                    in_name: id.actor.local(),
                    folder,
                },
            });
        }
        chosen.push((id, kept));
    }
    chosen
}

/// Decodes every chosen file in parallel to validate it and learn its duration.
fn validate(chosen: Vec<(ClipId, PathBuf)>, opts: &LoadOptions) -> Vec<Result<Clip, Problem>> {
    chosen
        .into_par_iter()
        .map(|(id, path)| match audio::read_wav(&path, opts) {
            Ok(a) => Ok(Clip {
                id,
                duration: a.duration(),
                sample_rate: a.sample_rate,
                channels: a.source_channels,
                encoding: a.encoding,
                source: ClipSource::File(path),
            }),
            Err(e) => Err(Problem {
                path,
                kind: ProblemKind::Audio(e.kind),
            }),
        })
        .collect()
}

/// The corpus format most `.wav` names under `root` have, from the names alone (no audio
/// is read: fast enough to call before a scan).
pub fn detect_format(root: &Path) -> Result<CorpusFormat, String> {
    let mut counts: BTreeMap<CorpusFormat, usize> = BTreeMap::new();
    for entry in WalkDir::new(root).follow_links(true).into_iter().flatten() {
        if entry.file_type().is_file()
            && let Ok(id) = ClipId::from_path(entry.path())
        {
            *counts.entry(id.format()).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by_key(|(f, n)| (*n, std::cmp::Reverse(*f)))
        .map(|(f, _)| f)
        .ok_or_else(|| {
            format!(
                "{}: no clip names of a corpus emoscope reads (or the folder cannot be read)",
                crate::util::shown(root)
            )
        })
}

/// Scans `root` recursively for the clips of one corpus: `format`, or the one most file
/// names belong to. Fails only if `root` itself cannot be read.
pub fn scan_dir(
    root: &Path,
    format: Option<CorpusFormat>,
    opts: &LoadOptions,
) -> Result<Corpus, std::io::Error> {
    let meta = std::fs::metadata(root)
        .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", root.display())))?;
    if !meta.is_dir() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::NotADirectory,
            format!("{}: not a directory", root.display()),
        ));
    }

    let mut problems = Vec::new();
    let mut ignored = Vec::new();
    let files = walk(root, &mut problems, &mut ignored);
    let (found, candidates) = identify(files, format, &mut problems);
    let chosen = choose_copies(candidates, &mut problems);
    let loaded = validate(chosen, opts);
    let mut clips = Vec::with_capacity(loaded.len());
    for r in loaded {
        match r {
            Ok(c) => clips.push(c),
            Err(p) => problems.push(p),
        }
    }
    clips.sort_by_key(|c| c.id);
    problems.sort_by(|a, b| a.path.cmp(&b.path));
    for p in &problems {
        log::warn!("{p}");
    }
    log::info!(
        "scanned {} ({found}): {} clips, {} problems, {} ignored",
        root.display(),
        clips.len(),
        problems.len(),
        ignored.len()
    );
    Ok(Corpus {
        spec: CorpusSpec::Directory {
            path: root.to_path_buf(),
            format,
        },
        clips,
        problems,
        ignored,
        max_seconds: opts.max_seconds,
    })
}
