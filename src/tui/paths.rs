//! Folders and paths for the TUI's file browser and Tab completion.

use std::path::{Path, PathBuf};

/// Sub-folders (as `name/`, with `../` first) and WAV files of `dir`, sorted.
pub fn list_dir(dir: &Path) -> Result<Vec<String>, String> {
    let mut dirs = Vec::new();
    let mut wavs = Vec::new();
    for e in std::fs::read_dir(dir).map_err(|e| e.to_string())?.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        if name.starts_with('.') {
            continue;
        }
        if e.path().is_dir() {
            dirs.push(format!("{name}/"));
        } else if name.to_ascii_lowercase().ends_with(".wav") {
            wavs.push(name);
        }
    }
    dirs.sort();
    wavs.sort();
    let mut v = vec!["../".to_string()];
    v.extend(dirs);
    v.extend(wavs);
    Ok(v)
}

/// Completes a typed path as far as it is unambiguous (a folder gets its `/`); returns the
/// completed text and, when several names match, them all (folders with their `/`).
pub fn complete_path(text: &str) -> (String, Vec<String>) {
    let (dir, prefix) = match text.rfind('/') {
        Some(i) => (&text[..=i], &text[i + 1..]),
        None => ("", text),
    };
    let read_from = if dir.is_empty() { "." } else { dir };
    let Ok(entries) = std::fs::read_dir(read_from) else {
        return (text.to_string(), Vec::new());
    };
    let mut matches: Vec<(String, bool)> = entries
        .flatten()
        .map(|e| {
            (
                e.file_name().to_string_lossy().to_string(),
                e.path().is_dir(),
            )
        })
        .filter(|(n, _)| n.starts_with(prefix) && (prefix.starts_with('.') || !n.starts_with('.')))
        .collect();
    matches.sort();
    let listed = || {
        matches
            .iter()
            .map(|(n, d)| format!("{n}{}", if *d { "/" } else { "" }))
            .collect()
    };
    let text = match matches.as_slice() {
        [] => text.to_string(),
        [(name, is_dir)] => format!("{dir}{name}{}", if *is_dir { "/" } else { "" }),
        many => {
            let first = &many[0].0;
            let common = many.iter().fold(first.len(), |n, (m, _)| {
                first
                    .chars()
                    .zip(m.chars())
                    .take_while(|(a, b)| a == b)
                    .count()
                    .min(n)
            });
            format!("{dir}{}", first.chars().take(common).collect::<String>())
        }
    };
    let all = if matches.len() > 1 {
        listed()
    } else {
        Vec::new()
    };
    (text, all)
}

/// The `.ron` files in `models/`, sorted.
pub fn list_models() -> Vec<PathBuf> {
    crate::util::ron_files_in(Path::new("models"))
}
