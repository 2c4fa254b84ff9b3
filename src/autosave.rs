//! Autosave safety: no experiment is lost to a second launch, a second window or a failed
//! write.
//!
//! - [`archive`]: a fresh start keeps the last autosave (when it holds any experiment or
//!   classification) as `sessions/history/autosave-YYYYMMDD-HHMMSS.ron`, the newest
//!   [`KEEP`] kept — not one `previous.ron` that the next fresh start overwrote.
//! - [`claim`]: one process autosaves to a file at a time, through `FILE.lock` holding its
//!   pid. A second window finds the lock held by a live process and autosaves to
//!   `STEM-PID.ron` beside it instead (and says so); a lock left by a dead process is taken
//!   over. [`gather_closed_windows`]: at the next fresh start, such a file of a window that
//!   has since closed goes to the history too (or is removed, when it holds nothing).
//! - [`rescue`]: when the final save fails (full disk, read-only folder), the session is
//!   written to the temporary folder instead, and the caller says where.

use std::path::{Path, PathBuf};

use crate::session::Session;

/// How many archived autosaves `sessions/history/` keeps.
pub const KEEP: usize = 20;

/// Whether a session records anything a user would miss (an experiment or a classification).
pub fn worth_keeping(s: &Session) -> bool {
    !s.experiments.is_empty() || !s.history.is_empty()
}

/// Moves the session at `autosave` into `history_dir` under a timestamped name if it is
/// worth keeping, and prunes the folder to the newest [`KEEP`]. Returns where it went;
/// `Ok(None)` when there was nothing to keep (no file, an empty session, an unreadable one —
/// which is left where it is).
pub fn archive(autosave: &Path, history_dir: &Path) -> std::io::Result<Option<PathBuf>> {
    let Ok(session) = Session::load(autosave) else {
        return Ok(None);
    };
    if !worth_keeping(&session) {
        return Ok(None);
    }
    std::fs::create_dir_all(history_dir)?;
    let stamp = crate::util::utc_stamp();
    let mut dest = history_dir.join(format!("autosave-{stamp}.ron"));
    let mut n = 2;
    while dest.exists() {
        dest = history_dir.join(format!("autosave-{stamp}-{n}.ron"));
        n += 1;
    }
    std::fs::rename(autosave, &dest)?;
    prune(history_dir, KEEP);
    Ok(Some(dest))
}

/// Removes the oldest `autosave-*.ron` files of `dir` beyond the newest `keep` (names sort
/// by time).
fn prune(dir: &Path, keep: usize) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut names: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("autosave-") && n.ends_with(".ron"))
        })
        .collect();
    names.sort();
    let excess = names.len().saturating_sub(keep);
    for old in &names[..excess] {
        let _ = std::fs::remove_file(old);
    }
}

/// The right to autosave to a file; the lock file goes when this is dropped.
#[derive(Debug)]
pub struct Claim {
    /// Where this process autosaves.
    pub path: PathBuf,
    /// Set when `path` is not the file asked for: another live process holds that one.
    pub held_by: Option<u32>,
    lock: Option<PathBuf>,
}

impl Drop for Claim {
    fn drop(&mut self) {
        if let Some(lock) = &self.lock {
            // Only our own lock: a file rewritten by another process since is theirs.
            let mine = std::fs::read_to_string(lock)
                .is_ok_and(|t| t.trim() == std::process::id().to_string());
            if mine {
                let _ = std::fs::remove_file(lock);
            }
        }
    }
}

fn lock_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    path.with_file_name(name)
}

/// The pid in a lock file, if it names a live process other than this one.
fn live_holder(lock: &Path) -> Option<u32> {
    let pid: u32 = std::fs::read_to_string(lock).ok()?.trim().parse().ok()?;
    (pid != std::process::id() && crate::util::process_alive(pid)).then_some(pid)
}

/// Claims `path` for this process's autosaves: `FILE.lock` with our pid, created atomically.
/// When a live process holds it, claims `STEM-PID.ron` beside it instead. When no lock can be
/// written at all (a read-only folder), autosaves go to `path` unlocked — the save itself will
/// then fail and say so.
pub fn claim(path: &Path) -> Claim {
    let pid = std::process::id();
    for _ in 0..3 {
        let lock = lock_path(path);
        if let Some(dir) = lock.parent().filter(|d| !d.as_os_str().is_empty()) {
            let _ = std::fs::create_dir_all(dir);
        }
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&lock)
        {
            Ok(mut f) => {
                use std::io::Write;
                let _ = write!(f, "{pid}");
                return Claim {
                    path: path.to_path_buf(),
                    held_by: None,
                    lock: Some(lock),
                };
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                if let Some(other) = live_holder(&lock) {
                    let stem = path
                        .file_stem()
                        .and_then(|s| s.to_str())
                        .unwrap_or("session");
                    let own = path.with_file_name(format!("{stem}-{pid}.ron"));
                    let mut c = claim(&own);
                    c.held_by = Some(other);
                    return c;
                }
                // Stale (a crashed process, or garbage): take it over and try again.
                let _ = std::fs::remove_file(&lock);
            }
            Err(_) => break,
        }
    }
    Claim {
        path: path.to_path_buf(),
        held_by: None,
        lock: None,
    }
}

/// Moves the autosaves of closed second windows (`dir/autosave-PID.ron`, the process gone)
/// into `history_dir` as [`archive`] does; removes those that hold nothing, and their stale
/// locks. A window still running, or a file that cannot be read, is left alone. Returns
/// where the kept sessions went.
pub fn gather_closed_windows(dir: &Path, history_dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut orphans: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| window_pid(p).is_some_and(|pid| !crate::util::process_alive(pid)))
        .filter(|p| live_holder(&lock_path(p)).is_none())
        .collect();
    orphans.sort();
    let mut kept = Vec::new();
    for path in orphans {
        match archive(&path, history_dir) {
            Ok(Some(dest)) => kept.push(dest),
            Ok(None) => {
                if Session::load(&path).is_ok_and(|s| !worth_keeping(&s)) {
                    let _ = std::fs::remove_file(&path);
                }
            }
            Err(e) => log::warn!("cannot keep {}: {e}", crate::util::shown(&path)),
        }
        if !path.exists() {
            let _ = std::fs::remove_file(lock_path(&path));
        }
    }
    kept
}

/// The pid in a second window's autosave name, `autosave-PID.ron`.
fn window_pid(path: &Path) -> Option<u32> {
    let name = path.file_name()?.to_str()?;
    let digits = name.strip_prefix("autosave-")?.strip_suffix(".ron")?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Writes `session` to the temporary folder as `emoscope-rescue-PID-STAMP.ron` (after a failed
/// save elsewhere); returns where.
pub fn rescue(session: &Session) -> Result<PathBuf, crate::session::SessionError> {
    let path = std::env::temp_dir().join(format!(
        "emoscope-rescue-{}-{}.ron",
        std::process::id(),
        crate::util::utc_stamp()
    ));
    session.save(&path)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::Classification;

    fn with_history() -> Session {
        let mut s = Session::default();
        s.history.push(Classification {
            file: "a.wav".into(),
            model: "m".into(),
            emotion: crate::corpus::Emotion::Angry,
            probabilities: vec![],
            normalisation: "none".into(),
        });
        s
    }

    #[test]
    fn fresh_starts_keep_every_session_worth_keeping() {
        let dir = tempfile::tempdir().unwrap();
        let (auto, hist) = (dir.path().join("autosave.ron"), dir.path().join("history"));
        // Launch 1 leaves an experiment's session; launches 2 and 3 leave empty ones.
        with_history().save(&auto).unwrap();
        let kept = archive(&auto, &hist).unwrap().unwrap();
        assert!(!auto.exists());
        Session::default().save(&auto).unwrap();
        assert_eq!(archive(&auto, &hist).unwrap(), None);
        Session::default().save(&auto).unwrap();
        assert_eq!(archive(&auto, &hist).unwrap(), None);
        assert_eq!(Session::load(&kept).unwrap(), with_history());
        // Twice in one second: both kept, under distinct names.
        with_history().save(&auto).unwrap();
        let second = archive(&auto, &hist).unwrap().unwrap();
        assert_ne!(second, kept);
        // Pruned to the newest KEEP.
        for i in 0..KEEP + 5 {
            std::fs::write(hist.join(format!("autosave-1999{i:04}-000000.ron")), "()").unwrap();
        }
        prune(&hist, KEEP);
        assert_eq!(std::fs::read_dir(&hist).unwrap().count(), KEEP);
        assert!(kept.exists() && second.exists(), "the newest stay");
        // A corrupt autosave is left where it is.
        std::fs::write(&auto, "(version: 1, corpus: ").unwrap();
        assert_eq!(archive(&auto, &hist).unwrap(), None);
        assert!(auto.exists());
    }

    #[test]
    fn a_second_claim_gets_its_own_file_and_stale_locks_are_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let auto = dir.path().join("autosave.ron");
        let first = claim(&auto);
        assert_eq!(
            (first.path.as_path(), first.held_by),
            (auto.as_path(), None)
        );
        // Another live process (pid 1 is always running) holding the lock.
        drop(first);
        assert!(
            !lock_path(&auto).exists(),
            "dropping the claim removes its lock"
        );
        std::fs::write(lock_path(&auto), "1").unwrap();
        let second = claim(&auto);
        assert_eq!(second.held_by, Some(1));
        assert_eq!(
            second.path,
            dir.path()
                .join(format!("autosave-{}.ron", std::process::id()))
        );
        drop(second);
        // A lock left by a process that is gone is taken over.
        std::fs::write(lock_path(&auto), "4000000").unwrap();
        let third = claim(&auto);
        assert_eq!(
            (third.path.as_path(), third.held_by),
            (auto.as_path(), None)
        );
        assert_eq!(
            std::fs::read_to_string(lock_path(&auto)).unwrap(),
            std::process::id().to_string()
        );
    }

    #[test]
    fn closed_windows_sessions_go_to_the_history_and_running_ones_stay() {
        let dir = tempfile::tempdir().unwrap();
        let hist = dir.path().join("history");
        let at = |name: &str| dir.path().join(name);
        // Closed windows (pids no process has): one with a classification, one empty
        // with its stale lock, one unreadable.
        with_history().save(&at("autosave-4000001.ron")).unwrap();
        Session::default()
            .save(&at("autosave-4000002.ron"))
            .unwrap();
        std::fs::write(at("autosave-4000002.ron.lock"), "4000002").unwrap();
        std::fs::write(at("autosave-4000003.ron"), "(version: 1, corpus: ").unwrap();
        // A window still running (pid 1 is always alive), and names that are not a window's.
        with_history().save(&at("autosave-1.ron")).unwrap();
        with_history().save(&at("autosave-mine.ron")).unwrap();
        with_history().save(&at("autosave.ron")).unwrap();
        let kept = gather_closed_windows(dir.path(), &hist);
        assert_eq!(kept.len(), 1, "{kept:?}");
        assert_eq!(Session::load(&kept[0]).unwrap(), with_history());
        let left: std::collections::BTreeSet<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        let want = [
            "autosave-1.ron",
            "autosave-4000003.ron",
            "autosave-mine.ron",
            "autosave.ron",
            "history",
        ];
        assert_eq!(left, want.iter().map(|s| s.to_string()).collect());
    }

    #[test]
    fn rescue_writes_a_readable_session() {
        let p = rescue(&with_history()).unwrap();
        assert_eq!(Session::load(&p).unwrap(), with_history());
        let _ = std::fs::remove_file(p);
    }
}
