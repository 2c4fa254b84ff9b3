//! The terminal restored even on an abort (a failed allocation, `std::process::abort`), where
//! no panic hook or destructor runs: the terminal settings are saved before raw mode, and a
//! SIGABRT handler puts them back, leaves the alternate screen, stops mouse reporting and
//! shows the cursor — only async-signal-safe calls (`tcsetattr`, `write`) — then lets the
//! abort go on with its default action.

use std::sync::OnceLock;

static SAVED: OnceLock<libc::termios> = OnceLock::new();

/// Leaves mouse reporting and the alternate screen, shows the cursor.
const RESET: &[u8] = b"\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?1049l\x1b[?25h\r\n";
const SAID: &[u8] = b"emoscope aborted; the terminal was restored\r\n";

extern "C" fn on_abort(_sig: libc::c_int) {
    if let Some(t) = SAVED.get() {
        // Safety: tcsetattr and write are async-signal-safe; `t` is a plain struct.
        unsafe {
            libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, t);
        }
    }
    unsafe {
        libc::write(libc::STDOUT_FILENO, RESET.as_ptr().cast(), RESET.len());
        // stdout: while the TUI runs, stderr is a pipe into the Log pane.
        libc::write(libc::STDOUT_FILENO, SAID.as_ptr().cast(), SAID.len());
        // Then the default action (exit status 134), also for a SIGABRT sent from outside.
        libc::signal(libc::SIGABRT, libc::SIG_DFL);
        libc::raise(libc::SIGABRT);
    }
}

/// Saves the terminal's current settings (call before raw mode) and installs the handler.
pub fn install() {
    // Safety: tcgetattr fills the struct it is given; signal installs a handler that only
    // makes async-signal-safe calls.
    unsafe {
        let mut t: libc::termios = std::mem::zeroed();
        if libc::tcgetattr(libc::STDIN_FILENO, &mut t) == 0 {
            let _ = SAVED.set(t);
        }
        libc::signal(libc::SIGABRT, on_abort as *const () as libc::sighandler_t);
    }
}
