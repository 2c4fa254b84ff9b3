//! End to end in a real terminal: tmux drives the binary (send-keys) and reads the screen
//! (capture-pane). Skips with a printed reason when tmux is missing (scripts/setup installs it).

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn tmux(args: &[&str]) -> String {
    let out = Command::new("tmux").args(args).output().expect("tmux runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn screen(name: &str) -> String {
    tmux(&["capture-pane", "-p", "-t", name])
}

/// Waits until the screen shows `text` (up to 60 s: debug builds analyse slowly).
fn wait_for(name: &str, text: &str) -> String {
    let start = Instant::now();
    loop {
        let s = screen(name);
        if s.contains(text) {
            return s;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "never saw {text:?}; screen:\n{s}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn start(name: &str, dir: &Path, args: &str) {
    let cmd = format!(
        "cd {} && TERM=xterm-256color EMOSCOPE_CACHE={}/cache {} {args}; sleep 30",
        dir.display(),
        dir.display(),
        env!("CARGO_BIN_EXE_emoscope")
    );
    tmux(&[
        "new-session",
        "-d",
        "-s",
        name,
        "-x",
        "120",
        "-y",
        "36",
        &cmd,
    ]);
}

fn keys(name: &str, keys: &[&str]) {
    for k in keys {
        tmux(&["send-keys", "-t", name, k]);
        std::thread::sleep(Duration::from_millis(60));
    }
}

#[test]
fn browse_inspect_save_quit_and_restore() {
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("SKIPPED: tmux is not installed (scripts/setup installs it)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let name = format!("emoscope-e2e-{}", std::process::id());
    start(&name, dir.path(), "--session sessions/e2e.ron");
    wait_for(&name, "1440 clips");
    // Actor 03, angry: two down, four right; Enter lists the clips, Enter inspects the first.
    keys(&name, &["j", "j", "l", "l", "l", "l", "Enter", "Enter"]);
    wait_for(&name, "03-01-05-01-01-01-03 · angry · spectrogram");
    keys(&name, &["b"]);
    wait_for(&name, "03-01-01-01-01-01-03 · neutral");
    // Both analyses done: the frequency axis (to 5 kHz) is drawn twice.
    let t0 = Instant::now();
    while screen(&name).matches("5k").count() < 2 {
        assert!(t0.elapsed() < Duration::from_secs(60), "{}", screen(&name));
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(screen(&name).contains("▀"), "heatmap drawn");
    // Save as "demo" from inside the app, then quit.
    keys(&name, &["w", "d", "e", "m", "o", "Enter"]);
    wait_for(&name, "session saved to sessions/demo.ron");
    keys(&name, &["q"]);
    std::thread::sleep(Duration::from_millis(300));
    if screen(&name).contains("press q again") {
        keys(&name, &["q"]);
    }
    tmux(&["kill-session", "-t", &name]);
    assert!(dir.path().join("sessions/demo.ron").exists());
    assert!(dir.path().join("sessions/e2e.ron").exists());

    // Restart on the saved session: same clip, same view.
    let name2 = format!("{name}-b");
    start(&name2, dir.path(), "--session sessions/demo.ron");
    let s = wait_for(&name2, "03-01-01-01-01-01-03 · neutral");
    assert!(
        s.contains("03-01-05-01-01-01-03 · angry · spectrogram"),
        "{s}"
    );
    wait_for(&name2, "5k");
    assert!(s.contains("2 Inspect"), "{s}");
    keys(&name2, &["q", "q"]);
    tmux(&["kill-session", "-t", &name2]);
}

#[test]
fn a_corrupt_session_is_reported_and_left_untouched() {
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("SKIPPED: tmux is not installed (scripts/setup installs it)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("sessions")).unwrap();
    std::fs::write(dir.path().join("sessions/bad.ron"), "(version: 1, corpus: ").unwrap();
    let name = format!("emoscope-e2e-bad-{}", std::process::id());
    start(&name, dir.path(), "--session sessions/bad.ron");
    let s = wait_for(&name, "starting fresh");
    assert!(s.contains("bad.ron"), "{s}");
    wait_for(&name, "Actor 01 · neutral");
    // The notice stays until a key; then the status is back.
    keys(&name, &["j"]);
    wait_for(&name, "1440 clips");
    std::thread::sleep(Duration::from_millis(500));
    keys(&name, &["q", "q"]);
    std::thread::sleep(Duration::from_millis(500));
    tmux(&["kill-session", "-t", &name]);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("sessions/bad.ron")).unwrap(),
        "(version: 1, corpus: "
    );
    assert!(
        dir.path().join("sessions/autosave.ron").exists(),
        "the fresh session autosaved elsewhere"
    );
}
