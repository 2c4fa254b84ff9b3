//! Small shared helpers: atomic file writes, bounded reads of the files we load back, and seed
//! derivation.

use std::io::Write;
use std::path::{Path, PathBuf};

/// A temporary path beside `path` (same directory, so a rename is atomic), unique per call so
/// concurrent saves of one file never share a temporary.
pub fn temp_path_for(path: &Path) -> PathBuf {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    path.with_file_name(format!(".{name}.{}.{n}.tmp", std::process::id()))
}

/// How many lines `text` takes wrapped at word boundaries to `width` columns (words longer
/// than a line are split), as a ratatui `Paragraph` with `Wrap` draws it.
pub fn wrapped_lines(text: &str, width: usize) -> usize {
    let width = width.max(1);
    let (mut lines, mut used) = (1, 0);
    for word in text.split_whitespace() {
        let n = word.chars().count();
        let need = if used == 0 { n } else { used + 1 + n };
        if need <= width {
            used = need;
        } else {
            if used > 0 {
                lines += 1;
            }
            lines += (n.max(1) - 1) / width;
            used = (n - 1) % width + 1;
        }
    }
    lines
}

/// A path as text safe to print on a terminal: control characters (newlines, escape
/// sequences that could retitle the window or recolour it) written as Rust escapes (`\n`,
/// `\u{1b}`); everything else as is.
pub fn shown(path: &Path) -> String {
    let mut out = String::new();
    for c in path.to_string_lossy().chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether a process with this pid is running (`kill(pid, 0)`; a process we may not signal
/// still counts as running).
pub fn process_alive(pid: u32) -> bool {
    let Ok(p) = libc::pid_t::try_from(pid) else {
        return false;
    };
    if p <= 0 {
        return false;
    }
    // Safety: signal 0 only checks that the process exists and may be signalled.
    let r = unsafe { libc::kill(p, 0) };
    r == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// Removes the temporaries that [`write_atomic`] left in `dir` when its process was killed
/// mid-write (`.NAME.PID.N.tmp` of a process that is no longer running); a live process's are
/// left alone. Returns how many went.
pub fn remove_stale_temporaries(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(stem) = name.strip_prefix('.').and_then(|n| n.strip_suffix(".tmp")) else {
            continue;
        };
        // NAME.PID.N: the pid is the second field from the end.
        let mut fields = stem.rsplit('.');
        let (_n, pid) = (
            fields.next(),
            fields.next().and_then(|p| p.parse::<u32>().ok()),
        );
        if let Some(pid) = pid
            && !process_alive(pid)
            && std::fs::remove_file(e.path()).is_ok()
        {
            removed += 1;
        }
    }
    removed
}

/// Largest model file read back (a 1440-clip SVM is ~32 MB of RON).
pub const MAX_MODEL_BYTES: u64 = 256 << 20;
/// Largest session file read back.
pub const MAX_SESSION_BYTES: u64 = 64 << 20;
/// Largest speaker-profile file read back.
pub const MAX_PROFILE_BYTES: u64 = 16 << 20;
/// Nesting depth RON may reach in a file we read (ours nest a few levels; 50 000 brackets
/// overflowed the stack without a limit).
pub const RON_DEPTH: usize = 64;

/// Reads a text file of at most `limit` bytes: only regular files, and never more than
/// `limit + 1` bytes into memory (a `.ron` linked to /dev/zero stops there).
pub fn read_text_bounded(path: &Path, limit: u64) -> Result<String, String> {
    use std::io::Read;
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("not a regular file".into());
    }
    if meta.len() > limit {
        return Err(format!(
            "{} bytes, more than the {limit} this file may have",
            meta.len()
        ));
    }
    let mut text = String::new();
    std::fs::File::open(path)
        .map_err(|e| e.to_string())?
        .take(limit + 1)
        .read_to_string(&mut text)
        .map_err(|e| e.to_string())?;
    if text.len() as u64 > limit {
        return Err(format!("more than the {limit} bytes this file may have"));
    }
    Ok(text)
}

/// RON parsing options for files we read back: a nesting limit ([`RON_DEPTH`]).
pub fn ron_options() -> ron::Options {
    ron::Options::default().with_recursion_limit(RON_DEPTH)
}

/// Writes `contents` to `path` atomically: a temporary file in the same directory, flushed and
/// synced, then renamed over the target. If anything fails, the previous file is untouched.
pub fn write_atomic(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let tmp = temp_path_for(path);
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(contents)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Index of the largest value, the first on ties (numpy's `argmax`); 0 for an empty slice.
pub fn argmax(x: &[f64]) -> usize {
    let mut best = 0;
    for (i, &v) in x.iter().enumerate() {
        if v > x[best] {
            best = i;
        }
    }
    best
}

/// Index of the smallest value, the first on ties (numpy's `argmin`); 0 for an empty slice.
pub fn argmin(x: &[f64]) -> usize {
    let mut best = 0;
    for (i, &v) in x.iter().enumerate() {
        if v < x[best] {
            best = i;
        }
    }
    best
}

/// Writes `value` as pretty RON to `path` atomically, creating the folder if needed.
pub fn write_ron_atomic<T: serde::Serialize>(path: &Path, value: &T) -> Result<(), String> {
    let text = ron::ser::to_string_pretty(value, ron::ser::PrettyConfig::default())
        .map_err(|e| e.to_string())?;
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    }
    write_atomic(path, text.as_bytes()).map_err(|e| e.to_string())
}

/// SplitMix64: mixes a seed with a stream id into an independent 64-bit seed.
///
/// Used to give every actor and every clip its own deterministic random stream, so a clip's
/// samples do not depend on the order in which clips are generated.
pub fn derive_seed(seed: u64, stream: u64) -> u64 {
    let mut z = seed
        .wrapping_add(stream.wrapping_mul(0x9E37_79B9_7F4A_7C15))
        .wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_lines_count_word_wrapping() {
        assert_eq!(wrapped_lines("", 10), 1);
        assert_eq!(wrapped_lines("abc def", 7), 1);
        assert_eq!(wrapped_lines("abc defg", 7), 2);
        // "aaaa bbbb cccc" at 6: each word its own line although 14 chars fit in 3.
        assert_eq!(wrapped_lines("aaaa bbbb cccc", 6), 3);
        assert_eq!(wrapped_lines("aaaa bbbbbbbbbbbbb", 5), 4);
    }

    #[test]
    fn stale_temporaries_of_dead_processes_go() {
        let dir = tempfile::tempdir().unwrap();
        let me = std::process::id();
        let dead = dir.path().join(".model.ron.4000000.0.tmp");
        let live = dir.path().join(format!(".model.ron.{me}.3.tmp"));
        let other = dir.path().join("model.ron");
        for p in [&dead, &live, &other] {
            std::fs::write(p, "x").unwrap();
        }
        assert_eq!(remove_stale_temporaries(dir.path()), 1);
        assert!(!dead.exists() && live.exists() && other.exists());
    }

    #[test]
    fn shown_paths_carry_no_control_characters() {
        let p = Path::new("a\u{1b}]0;pwned\u{7}b\nc/é.wav");
        assert_eq!(shown(p), "a\\u{1b}]0;pwned\\u{7}b\\nc/é.wav");
        assert!(!shown(p).chars().any(char::is_control));
    }

    #[test]
    fn atomic_write_replaces_and_keeps_old_on_failure() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        // A target inside a missing directory fails and creates nothing.
        let bad = dir.path().join("missing").join("b.txt");
        assert!(write_atomic(&bad, b"x").is_err());
        assert!(!bad.exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn derived_seeds_differ_per_stream() {
        assert_ne!(derive_seed(1, 0), derive_seed(1, 1));
        assert_ne!(derive_seed(1, 0), derive_seed(2, 0));
        assert_eq!(derive_seed(7, 3), derive_seed(7, 3));
    }
}

/// `dir/NAME.ron` for a user-given name: ASCII letters, digits and the characters in `keep`
/// stay, anything else becomes `_`; an empty name becomes `fallback`; a typed `.ron` is not
/// doubled.
pub fn ron_path_in(dir: &str, name: &str, keep: &str, fallback: &str) -> std::path::PathBuf {
    let clean: String = name
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || keep.contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let clean = if clean.is_empty() { fallback } else { &clean };
    std::path::Path::new(dir).join(format!("{}.ron", clean.trim_end_matches(".ron")))
}

/// The `.ron` files directly in `dir`, sorted (none if it cannot be read).
pub fn ron_files_in(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut v: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    v.sort();
    v
}

/// The current UTC time as `YYYYMMDD-HHMMSS` (for file names).
pub fn utc_stamp() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    stamp_of(secs)
}

/// How long the rest of a step will take at the pace so far: `elapsed` for `done` of
/// `total` units. `None` before the first unit or once all are done.
pub fn remaining(
    elapsed: std::time::Duration,
    done: usize,
    total: usize,
) -> Option<std::time::Duration> {
    (done > 0 && done < total).then(|| elapsed.mul_f64((total - done) as f64 / done as f64))
}

/// "ETA <1 s", "ETA 12 s", "ETA 3 min 05 s", "ETA 1 h 02 min".
pub fn fmt_eta(d: std::time::Duration) -> String {
    let s = d.as_secs();
    if s == 0 {
        "ETA <1 s".into()
    } else if s < 60 {
        format!("ETA {s} s")
    } else if s < 3600 {
        format!("ETA {} min {:02} s", s / 60, s % 60)
    } else {
        format!("ETA {} h {:02} min", s / 3600, s % 3600 / 60)
    }
}

/// " · ETA 12 s" for a step started at `start`, or "" when there is nothing to say yet.
pub fn eta_suffix(start: std::time::Instant, done: usize, total: usize) -> String {
    remaining(start.elapsed(), done, total).map_or(String::new(), |d| format!(" · {}", fmt_eta(d)))
}

/// The current UTC time to the minute, `2026-12-02 23:30` (for people).
pub fn utc_minute() -> String {
    let s = utc_stamp();
    format!(
        "{}-{}-{} {}:{}",
        &s[0..4],
        &s[4..6],
        &s[6..8],
        &s[9..11],
        &s[11..13]
    )
}

/// `YYYYMMDD-HHMMSS` of seconds since the Unix epoch (UTC), by the civil-from-days
/// algorithm (H. Hinnant).
pub fn stamp_of(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}{m:02}{d:02}-{:02}{:02}{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod eta_tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn the_rest_takes_as_long_per_unit_as_what_is_done() {
        let s = Duration::from_secs;
        assert_eq!(remaining(s(10), 1, 4), Some(s(30)));
        assert_eq!(remaining(s(10), 0, 4), None);
        assert_eq!(remaining(s(10), 4, 4), None);
        assert_eq!(fmt_eta(s(12)), "ETA 12 s");
        assert_eq!(fmt_eta(std::time::Duration::from_millis(400)), "ETA <1 s");
        assert_eq!(fmt_eta(s(185)), "ETA 3 min 05 s");
        assert_eq!(fmt_eta(s(3720)), "ETA 1 h 02 min");
    }
}

#[cfg(test)]
mod stamp_tests {
    #[test]
    fn stamps_match_known_dates() {
        assert_eq!(super::stamp_of(0), "19700101-000000");
        // 2026-11-25 19:20:00 UTC
        assert_eq!(super::stamp_of(1_795_634_400), "20261125-192000");
        assert_eq!(super::stamp_of(951_782_400), "20000229-000000");
    }
}

#[cfg(test)]
mod name_tests {
    use std::path::Path;

    #[test]
    fn user_names_become_safe_ron_paths() {
        assert_eq!(
            super::ron_path_in("sessions", " my run/1.ron ", "-_.", "session"),
            Path::new("sessions/my_run_1.ron")
        );
        assert_eq!(
            super::ron_path_in("profiles", "Ann B.", "-_", "speaker"),
            Path::new("profiles/Ann_B_.ron")
        );
        assert_eq!(
            super::ron_path_in("profiles", "  ", "-_", "speaker"),
            Path::new("profiles/speaker.ron")
        );
    }
}
