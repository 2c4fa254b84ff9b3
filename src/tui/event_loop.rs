//! The event loop: terminal input (read on its own thread) and background results arrive
//! on one channel; the app updates, and the screen is redrawn only then — or on a timer while
//! something animates. An idle TUI sleeps in `recv`. The session autosaves when it changes
//! and once more on quit.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::Duration;

use anyhow::Result;

use crate::audio::LoadOptions;
use crate::corpus::CorpusSpec;

use super::app::App;
use super::executor::Executor;
use super::msg::{Action, AppEvent, Command};
use super::theme::Theme;

/// How often the spinner turns while jobs run.
const TICK: Duration = Duration::from_millis(100);

/// Where sessions autosave when no `--session` file is given (or it could not be read).
pub const AUTOSAVE: &str = "sessions/autosave.ron";

/// Where a fresh start keeps the last autosave (timestamped, the newest
/// [`crate::autosave::KEEP`]).
pub const HISTORY: &str = "sessions/history";

/// The app to start with, and where it autosaves: a readable `--session` file restores it
/// and is saved back to; a new path starts a session there; an unreadable or corrupt one is
/// reported, left untouched, and the app starts fresh, autosaving to [`AUTOSAVE`].
pub fn initial_app(spec: CorpusSpec, session: Option<&Path>) -> (App, Vec<Command>, PathBuf) {
    // A --session file that does not exist yet is a new session saved there.
    if let Some(p) = session.filter(|p| !p.exists()) {
        let (app, cmds) = App::new(spec);
        return (app, cmds, p.to_path_buf());
    }
    match session.map(|p| (p, crate::session::Session::load(p))) {
        Some((p, Ok(s))) => {
            let (app, cmds) = App::from_session(&s);
            (app, cmds, p.to_path_buf())
        }
        Some((_, Err(e))) => {
            log::error!("{e}");
            let (mut app, cmds) = App::new(spec);
            app.notice = Some(format!("{e} — starting fresh"));
            (app, cmds, AUTOSAVE.into())
        }
        None => {
            let (app, cmds) = App::new(spec);
            (app, cmds, AUTOSAVE.into())
        }
    }
}

/// Reads terminal events on a thread of its own and sends them into the app's channel.
fn read_input(tx: Sender<AppEvent>) {
    std::thread::spawn(move || {
        while let Ok(ev) = ratatui::crossterm::event::read() {
            if tx.send(AppEvent::Input(ev)).is_err() {
                break;
            }
        }
    });
}

/// Turns SIGTERM, SIGHUP, SIGINT and SIGQUIT into [`AppEvent::Terminate`], so a `kill`, a
/// closed SSH connection or a terminal window closed ends the TUI as `q` does: the session
/// saved, the terminal restored (their default action would leave raw mode and the alternate
/// screen behind, and the lock file).
fn forward_signals(tx: Sender<AppEvent>) {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT, SIGQUIT])
    else {
        log::warn!("cannot watch for SIGTERM/SIGHUP: a kill would leave the terminal raw");
        return;
    };
    std::thread::spawn(move || {
        for s in signals.forever() {
            let name = match s {
                SIGTERM => "SIGTERM",
                SIGHUP => "SIGHUP",
                SIGINT => "SIGINT",
                _ => "SIGQUIT",
            };
            if tx.send(AppEvent::Terminate(name)).is_err() {
                break;
            }
        }
    });
}

/// The next events: blocks until one comes (or the timer fires while `animating`), then takes
/// whatever else is waiting. `None` on a timer tick.
fn next_events(rx: &Receiver<AppEvent>, animating: bool) -> Option<Vec<AppEvent>> {
    let first = if animating {
        match rx.recv_timeout(TICK) {
            Ok(e) => e,
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return None,
        }
    } else {
        rx.recv().ok()?
    };
    let mut events = vec![first];
    events.extend(rx.try_iter());
    Some(events)
}

pub fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    spec: CorpusSpec,
    session: Option<&Path>,
    load: &LoadOptions,
    theme: Theme,
) -> Result<()> {
    let (tx, rx) = channel();
    let (mut app, cmds, wanted) = initial_app(spec, session);
    // Temporaries left by killed writes (of processes that are gone) are removed.
    for dir in ["sessions", HISTORY, "models", "profiles"] {
        let n = crate::util::remove_stale_temporaries(Path::new(dir));
        if n > 0 {
            log::info!("removed {n} temporary file(s) left in {dir}/ by killed writes");
        }
    }
    let (claim, note, kept) = claim_autosave(&wanted, session);
    app.previous = kept;
    if let Some(note) = note {
        app.notice = Some(match app.notice.take() {
            Some(first) => format!("{first}; {note}"),
            None => note,
        });
    }
    let autosave = claim.path.clone();
    let saver = tx.clone();
    read_input(tx.clone());
    forward_signals(tx.clone());
    let mut exec = Executor::new(tx, load.clone());
    let run_all =
        |exec: &mut Executor, cmds: Vec<Command>| cmds.into_iter().for_each(|c| exec.run(c));
    run_all(&mut exec, cmds);
    let mut saved = app.session();
    while !app.should_quit {
        // Log records reach the Log pane's buffer here (no logger thread polls for them).
        tui_logger::move_events();
        terminal.draw(|f| app.hits = super::ui::draw(f, &app, &theme))?;
        let Some(events) = next_events(&rx, app.animating()) else {
            let cmds = app.update(Action::Tick);
            run_all(&mut exec, cmds);
            continue;
        };
        let may_change = events.iter().any(AppEvent::may_change_session);
        for e in events {
            let cmds = app.event(e);
            run_all(&mut exec, cmds);
        }
        if !may_change {
            continue;
        }
        // Autosave whenever what a session records has changed, off the UI thread.
        let now = app.session();
        if now != saved {
            let (path, session, saver) = (autosave.clone(), now.clone(), saver.clone());
            std::thread::spawn(move || {
                if let Err(e) = session.save(&path) {
                    log::warn!("autosave: {e}");
                    let _ = saver.send(AppEvent::AutosaveFailed(e.to_string()));
                }
            });
            saved = now;
        }
    }
    save_on_quit(&app, &autosave)?;
    drop(claim);
    match app.terminated {
        Some(signal) => Err(anyhow::anyhow!(
            "stopped by {signal}; the session was saved to {}",
            autosave.display()
        )),
        None => Ok(()),
    }
}

/// Saves once more on quit, waiting for it. A failure is not silent: the session goes to the
/// temporary folder, and the error (with where it went) is printed once the terminal is
/// back, with a non-zero exit.
fn save_on_quit(app: &App, autosave: &Path) -> Result<()> {
    let last = app.session();
    let Err(e) = last.save(autosave) else {
        return Ok(());
    };
    log::error!("{e}");
    Err(match crate::autosave::rescue(&last) {
        Ok(p) => anyhow::anyhow!(
            "{e}\nthe session was written to {} instead (emoscope --session {} restores it)",
            p.display(),
            p.display()
        ),
        Err(e2) => anyhow::anyhow!(
            "{e}\nand it could not be written to the temporary folder either ({e2}): \
             this session's unsaved experiments are lost"
        ),
    })
}

/// Claims the autosave file for this window and, on a fresh start, keeps the last autosave
/// in [`HISTORY`]. Returns the claim, what to tell the user, and where the last session went.
fn claim_autosave(
    wanted: &Path,
    session: Option<&Path>,
) -> (crate::autosave::Claim, Option<String>, Option<PathBuf>) {
    let claim = crate::autosave::claim(wanted);
    if let Some(pid) = claim.held_by {
        let msg = format!(
            "another emoscope (pid {pid}) autosaves to {}: this window autosaves to {}",
            wanted.display(),
            claim.path.display()
        );
        log::warn!("{msg}");
        return (claim, Some(msg), None);
    }
    // A fresh start (not reopening the autosave itself) would write over the last autosave:
    // keep it first, when it holds anything.
    let fresh = claim.path.as_path() == Path::new(AUTOSAVE)
        && session.is_none_or(|p| p != Path::new(AUTOSAVE));
    if !fresh {
        return (claim, None, None);
    }
    let (claim, msg, kept) = keep_last_autosave(claim);
    // Second windows that have closed since left their sessions beside it.
    let others = crate::autosave::gather_closed_windows(Path::new("sessions"), Path::new(HISTORY));
    if others.is_empty() {
        return (claim, msg, kept);
    }
    let n = others.len();
    let more = format!(
        "{n} session{} of a closed second window kept in {HISTORY} (emoscope --session FILE reopens one)",
        if n == 1 { "" } else { "s" },
    );
    log::info!("{more}");
    let msg = Some(msg.map_or(more.clone(), |m| format!("{m} · {more}")));
    (claim, msg, kept)
}

/// Moves the last autosave into [`HISTORY`] when it holds anything; when it cannot be
/// moved, this window autosaves to a file of its own instead.
fn keep_last_autosave(
    claim: crate::autosave::Claim,
) -> (crate::autosave::Claim, Option<String>, Option<PathBuf>) {
    match crate::autosave::archive(&claim.path, Path::new(HISTORY)) {
        Ok(Some(kept)) => {
            let what = crate::session::Session::load(&kept)
                .map(|s| {
                    let n = s.experiments.len();
                    format!(" ({n} experiment{})", if n == 1 { "" } else { "s" })
                })
                .unwrap_or_default();
            let msg = format!(
                "the last session{what} is kept as {}: press O to reopen it",
                kept.display()
            );
            log::info!("{msg}");
            (claim, Some(msg), Some(kept))
        }
        Ok(None) => (claim, None, None),
        Err(e) => {
            // Never write over a session that could not be kept: autosave beside it.
            drop(claim);
            let own = PathBuf::from(format!("sessions/autosave-{}.ron", std::process::id()));
            let msg = format!(
                "cannot keep the last autosave in {HISTORY} ({e}): it stays in {AUTOSAVE}, \
                 and this window autosaves to {}",
                own.display()
            );
            log::warn!("{msg}");
            (crate::autosave::claim(&own), Some(msg), None)
        }
    }
}
