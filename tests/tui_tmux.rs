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

/// A detached 120×36 tmux session running `cmd`.
fn new_session(name: &str, cmd: &str) {
    tmux(&[
        "new-session",
        "-d",
        "-s",
        name,
        "-x",
        "120",
        "-y",
        "36",
        cmd,
    ]);
}

fn start(name: &str, dir: &Path, args: &str) {
    let cmd = format!(
        "cd {} && TERM=xterm-256color EMOSCOPE_CACHE={}/cache {} {args}; sleep 30",
        dir.display(),
        dir.display(),
        env!("CARGO_BIN_EXE_emoscope")
    );
    new_session(name, &cmd);
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
    // An earlier autosave that holds something is kept in sessions/history/ when this fresh
    // session starts autosaving.
    let mut earlier = emoscope::session::Session::default();
    earlier.history.push(emoscope::session::Classification {
        file: "me.wav".into(),
        model: "models/svm.ron".into(),
        emotion: emoscope::corpus::Emotion::Angry,
        probabilities: vec![],
        normalisation: "none".into(),
    });
    earlier
        .save(&dir.path().join("sessions/autosave.ron"))
        .unwrap();
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
    let kept: Vec<_> = std::fs::read_dir(dir.path().join("sessions/history"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(emoscope::session::Session::load(&kept[0]).unwrap(), earlier);
    assert!(
        !dir.path().join("sessions/autosave.ron.lock").exists(),
        "the lock goes on quit"
    );
}

/// The rows of the Compare table (run number to fit time), for comparing across restarts.
fn compare_rows(s: &str) -> Vec<String> {
    s.lines()
        .filter(|l| l.contains("actor-kfold:5"))
        .map(|l| {
            // Without the A/B marks of the picked pair (not part of a session).
            let l = l.trim_matches(|c| c == '│' || c == ' ');
            l.strip_prefix("A ")
                .or_else(|| l.strip_prefix("B "))
                .unwrap_or(l)
                .trim()
                .to_string()
        })
        .collect()
}

#[test]
fn train_cancel_drill_compare_save_classify_and_restore() {
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("SKIPPED: tmux is not installed (scripts/setup installs it)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // Six actors of the synthetic corpus on disk: WAV files to classify, 360 clips to train on.
    let out = Command::new(env!("CARGO_BIN_EXE_emoscope"))
        .args(["synth", "--out"])
        .arg(dir.path().join("corpus"))
        .args(["--actor", "1", "--actor", "2", "--actor", "3"])
        .args(["--actor", "4", "--actor", "5", "--actor", "6"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let name = format!("emoscope-e2e-train-{}", std::process::id());
    start(
        &name,
        dir.path(),
        "--corpus corpus --session sessions/lab.ron",
    );
    wait_for(&name, "360 clips");

    // An SVM grid (the form's default: actor k-fold, 3 candidates), then a random forest.
    keys(&name, &["3"]);
    keys(&name, &["Down"; 10]);
    keys(&name, &["Enter"]);
    wait_for(&name, "#1  svm");
    keys(&name, &["n"]);
    keys(&name, &["Up"; 9]);
    keys(&name, &["Right", "Right"]);
    keys(&name, &["Down"; 9]);
    keys(&name, &["Enter"]);
    wait_for(&name, "#2  rf");
    // Cancel the forest while it runs (its features are still being extracted).
    keys(&name, &["x"]);
    wait_for(&name, "cancelled");
    // The SVM's matrix fills in fold by fold, then it finishes.
    keys(&name, &["Up"]);
    wait_for(&name, "/5 folds");
    let s = wait_for(&name, "5/5 folds");
    assert!(s.contains("t\\p") && s.contains("recall"), "{s}");
    // Run the forest again; it finishes too.
    keys(&name, &["Down", "R"]);
    wait_for(&name, "#3  rf");
    let t0 = Instant::now();
    while !screen(&name).contains("run #3 done") {
        assert!(t0.elapsed() < Duration::from_secs(120), "{}", screen(&name));
        std::thread::sleep(Duration::from_millis(200));
    }

    // Drill from the SVM's neutral/neutral cell to its clips, and into Inspect.
    keys(&name, &["Up", "Up", "Enter", "Enter"]);
    wait_for(&name, "neutral recognised");
    keys(&name, &["Enter"]);
    wait_for(&name, "· neutral · spectrogram");

    // Compare the two finished runs; save the SVM's final model.
    keys(&name, &["4", "Home", "Space", "Down", "Down", "Space"]);
    let s = wait_for(&name, "McNemar p =");
    let rows = compare_rows(&s);
    assert_eq!(rows.len(), 3, "{s}");
    keys(&name, &["Home", "e"]);
    wait_for(&name, "save model as: models/svm-classic-run1.ron");
    keys(&name, &["Enter"]);
    wait_for(&name, "model saved to models/svm-classic-run1.ron");

    // Classify a WAV with it, typing the path with Tab completion.
    keys(&name, &["5"]);
    wait_for(&name, "models/svm-classic-run1.ron");
    keys(&name, &["/", "c", "o", "r", "Tab", "A", "c", "t", "Tab"]);
    wait_for(&name, "corpus/Actor_0▏");
    tmux(&["send-keys", "-t", &name, "-l", "2/03-01-05-01-01-01-02.wav"]);
    keys(&name, &["Enter"]);
    let s = wait_for(&name, "History (1)");
    let verdict = s
        .lines()
        .find(|l| l.contains("03-01-05-01-01-01-02.wav —"))
        .map(|l| l.to_string())
        .unwrap_or_else(|| panic!("{s}"));

    keys(&name, &["q"]);
    std::thread::sleep(Duration::from_millis(300));
    if screen(&name).contains("press q again") {
        keys(&name, &["q"]);
    }
    tmux(&["kill-session", "-t", &name]);
    assert!(dir.path().join("models/svm-classic-run1.ron").exists());

    // Restart on the session: the same experiments and numbers, the same history.
    let name2 = format!("{name}-b");
    start(
        &name2,
        dir.path(),
        "--corpus corpus --session sessions/lab.ron",
    );
    wait_for(&name2, "360 clips");
    keys(&name2, &["4"]);
    let s = wait_for(&name2, "Experiments (3)");
    assert_eq!(compare_rows(&s), rows, "{s}\n{rows:?}");
    assert!(s.contains("cancelled"), "{s}");
    keys(&name2, &["5"]);
    let s = wait_for(&name2, "History (1)");
    assert!(s.contains(&verdict), "{verdict}\n{s}");
    keys(&name2, &["q", "q"]);
    tmux(&["kill-session", "-t", &name2]);
}

#[test]
fn record_and_play_without_a_sound_card_say_so_and_keep_the_screen() {
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("SKIPPED: tmux is not installed (scripts/setup installs it)");
        return;
    }
    if Path::new("/dev/snd").exists() {
        eprintln!("SKIPPED: this machine has a sound card");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let name = format!("emoscope-e2e-mic-{}", std::process::id());
    // A HOME without an ALSA configuration of its own.
    let cmd = format!(
        "cd {d} && HOME={d} TERM=xterm-256color EMOSCOPE_CACHE={d}/cache {} ; sleep 30",
        env!("CARGO_BIN_EXE_emoscope"),
        d = dir.path().display()
    );
    tmux(&[
        "new-session",
        "-d",
        "-s",
        &name,
        "-x",
        "100",
        "-y",
        "30",
        &cmd,
    ]);
    wait_for(&name, "1440 clips");
    keys(&name, &["5", "r"]);
    let s = wait_for_any(&name, &["no input device", "audio is not built in"]);
    assert!(!s.contains("ALSA lib"), "{s}");
    assert!(
        s.lines().next().unwrap_or("").starts_with(" emoscope "),
        "{s}"
    );
    assert!(s.contains("History (0)"), "the pane is intact:\n{s}");
    // Space on a corpus clip: playback says the same kind of thing.
    keys(&name, &["1", "Enter", "Space"]);
    let s = wait_for_any(&name, &["no output device", "audio is not built in"]);
    assert!(!s.contains("ALSA lib"), "{s}");
    keys(&name, &["q", "q"]);
    tmux(&["kill-session", "-t", &name]);
}

/// Waits until the screen shows one of `texts`.
fn wait_for_any(name: &str, texts: &[&str]) -> String {
    let start = Instant::now();
    loop {
        let s = screen(name);
        if texts.iter().any(|t| s.contains(t)) {
            return s;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "never saw any of {texts:?}; screen:\n{s}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn two_windows_never_share_an_autosave_and_a_failed_save_is_not_silent() {
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("SKIPPED: tmux is not installed (scripts/setup installs it)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (
        format!("emoscope-e2e-lock-a-{}", std::process::id()),
        format!("emoscope-e2e-lock-b-{}", std::process::id()),
    );
    start(&a, dir.path(), "");
    wait_for(&a, "1440 clips");
    start(&b, dir.path(), "");
    let s = wait_for(&b, "another emoscope (pid");
    assert!(s.contains("autosaves to sessions/autosave.ron"), "{s}");
    keys(&a, &["q", "q"]);
    keys(&b, &["q", "q"]);
    std::thread::sleep(Duration::from_millis(800));
    tmux(&["kill-session", "-t", &a]);
    tmux(&["kill-session", "-t", &b]);
    let files: Vec<String> = std::fs::read_dir(dir.path().join("sessions"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(files.contains(&"autosave.ron".to_string()), "{files:?}");
    assert!(
        files
            .iter()
            .any(|f| f.starts_with("autosave-") && f.ends_with(".ron")),
        "the second window's own autosave: {files:?}"
    );
    assert!(!files.iter().any(|f| f.ends_with(".lock")), "{files:?}");
    // The next fresh start gathers the closed second window's file: into the history when
    // it holds a classification (written here into it), removed when it holds nothing.
    let own: Vec<&String> = files
        .iter()
        .filter(|f| f.starts_with("autosave-") && f.ends_with(".ron"))
        .collect();
    let sessions = dir.path().join("sessions");
    let mut classified = emoscope::session::Session::load(&sessions.join(own[0])).unwrap();
    classified.history.push(emoscope::session::Classification {
        file: "clip.wav".into(),
        model: "models/m.ron".into(),
        emotion: emoscope::corpus::Emotion::Sad,
        probabilities: vec![(emoscope::corpus::Emotion::Sad, 1.0)],
        normalisation: "none".into(),
    });
    classified.save(&sessions.join(own[0])).unwrap();
    emoscope::session::Session::default()
        .save(&sessions.join("autosave-4000009.ron"))
        .unwrap();
    start(&a, dir.path(), "");
    let s = wait_for(
        &a,
        "1 session of a closed second window kept in sessions/history",
    );
    keys(&a, &["q", "q"]);
    std::thread::sleep(Duration::from_millis(800));
    tmux(&["kill-session", "-t", &a]);
    let left: Vec<String> = std::fs::read_dir(&sessions)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|f| f.starts_with("autosave-"))
        .collect();
    assert!(left.is_empty(), "{left:?}\n{s}");
    let history: Vec<emoscope::session::Session> = std::fs::read_dir(sessions.join("history"))
        .unwrap()
        .flatten()
        .map(|e| emoscope::session::Session::load(&e.path()).unwrap())
        .collect();
    assert_eq!(history, vec![classified]);

    // `sessions` is a file, so no save can work: the window says so, and quitting prints
    // where the session went instead, with a non-zero exit status.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("sessions"), "not a folder").unwrap();
    let c = format!("emoscope-e2e-nosave-{}", std::process::id());
    let cmd = format!(
        "cd {} && TERM=xterm-256color EMOSCOPE_CACHE={}/cache {}; echo EXIT=$?; sleep 30",
        dir.path().display(),
        dir.path().display(),
        env!("CARGO_BIN_EXE_emoscope")
    );
    tmux(&["new-session", "-d", "-s", &c, "-x", "160", "-y", "36", &cmd]);
    wait_for(&c, "1440 clips");
    keys(&c, &["l"]);
    wait_for(&c, "autosave failed");
    keys(&c, &["j", "q", "q"]);
    let s = wait_for(&c, "EXIT=1");
    assert!(s.contains("the session was written to"), "{s}");
    tmux(&["kill-session", "-t", &c]);
    let rescued = s
        .split("--session ")
        .nth(1)
        .and_then(|t| t.split(".ron").next())
        .map(|p| format!("{}.ron", p.split_whitespace().collect::<String>()));
    let rescued = rescued.expect("a rescue path");
    assert!(emoscope::session::Session::load(Path::new(&rescued)).is_ok());
    let _ = std::fs::remove_file(rescued);
}

/// Starts the binary in tmux session `name`, in `dir`, its pid written to `dir/pid`; when it
/// ends, the shell prints `EXIT=` (its status) and `MODE=` (whether the terminal is back in
/// canonical mode).
fn start_watched(name: &str, dir: &Path) {
    let cmd = format!(
        "cd {} && TERM=xterm-256color EMOSCOPE_CACHE={}/cache sh -c 'echo $$ > pid; exec {}'; echo EXIT=$?; echo MODE=$(stty -a | grep -o -- '-*icanon'); sleep 30",
        dir.display(),
        dir.display(),
        env!("CARGO_BIN_EXE_emoscope")
    );
    new_session(name, &cmd);
}

/// Sends `signal` (`ABRT`, `TERM` …) to the binary [`start_watched`] started in `dir`, once it
/// shows its corpus; returns the screen after it ended (`MODE=` comes after `EXIT=`: waiting
/// for it sees both).
fn signal_watched(name: &str, dir: &Path, signal: &str) -> String {
    wait_for(name, "1440 clips");
    let pid = std::fs::read_to_string(dir.join("pid")).unwrap();
    let sent = Command::new("kill")
        .args([&format!("-{signal}"), pid.trim()])
        .status()
        .unwrap();
    assert!(sent.success());
    let s = wait_for(name, "MODE=");
    tmux(&["kill-session", "-t", name]);
    s
}

/// An abort runs no panic hook and no destructor: the SIGABRT handler still leaves the
/// alternate screen and puts the terminal settings back.
#[test]
fn an_abort_restores_the_terminal() {
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("SKIPPED: tmux is not installed (scripts/setup installs it)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let name = format!("emoscope-e2e-abort-{}", std::process::id());
    start_watched(&name, dir.path());
    let s = signal_watched(&name, dir.path(), "ABRT");
    assert!(s.contains("EXIT=134"), "{s}");
    assert!(s.contains("the terminal was restored"), "{s}");
    assert!(s.contains("MODE=icanon"), "canonical mode is back: {s}");
}

/// `kill` (SIGTERM) or a closed connection (SIGHUP) ends the TUI as `q` does: the session
/// saved, its lock removed, the terminal back in canonical mode, and the reason printed.
#[test]
fn a_kill_or_hangup_saves_the_session_and_restores_the_terminal() {
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("SKIPPED: tmux is not installed (scripts/setup installs it)");
        return;
    }
    for signal in ["TERM", "HUP"] {
        let dir = tempfile::tempdir().unwrap();
        let name = format!("emoscope-e2e-{signal}-{}", std::process::id());
        start_watched(&name, dir.path());
        let s = signal_watched(&name, dir.path(), signal);
        assert!(s.contains("EXIT=1"), "{signal}: {s}");
        assert!(
            s.contains(&format!("stopped by SIG{signal}; the session was saved to")),
            "{signal}: {s}"
        );
        assert!(
            s.contains("MODE=icanon"),
            "{signal}: canonical mode is back: {s}"
        );
        let sessions = dir.path().join("sessions");
        assert!(
            emoscope::session::Session::load(&sessions.join("autosave.ron")).is_ok(),
            "{signal}"
        );
        assert!(!sessions.join("autosave.ron.lock").exists(), "{signal}");
    }
}
