//! Keeps stray writes to stderr (alsa-lib prints 8 `ALSA lib …` lines when it opens a PCM
//! that is not there) off the screen: while a [`StderrToLog`] guard lives, file descriptor 2
//! is a pipe whose lines go to the log at debug level (the TUI's Log pane, or `-v` in the
//! CLI). Guards nest; the last one dropped puts stderr back. [`restore`] puts it back at once
//! (the TUI's panic hook calls it so the panic message reaches the terminal).

use std::sync::Mutex;

struct State {
    depth: usize,
    /// A duplicate of the real stderr while redirected.
    saved: Option<i32>,
}

static STATE: Mutex<State> = Mutex::new(State {
    depth: 0,
    saved: None,
});

/// While alive, stderr goes to the log.
pub struct StderrToLog(());

impl StderrToLog {
    /// Redirects stderr (or joins a redirection already in place).
    pub fn start() -> StderrToLog {
        let mut st = STATE.lock().unwrap_or_else(|p| p.into_inner());
        st.depth += 1;
        if st.depth == 1 {
            st.saved = redirect();
        }
        StderrToLog(())
    }
}

impl Drop for StderrToLog {
    fn drop(&mut self) {
        let mut st = STATE.lock().unwrap_or_else(|p| p.into_inner());
        st.depth = st.depth.saturating_sub(1);
        if st.depth == 0
            && let Some(fd) = st.saved.take()
        {
            put_back(fd);
        }
    }
}

/// Puts the real stderr back now, whatever guards are alive.
pub fn restore() {
    // Never block in a panic: skip if the lock is held.
    if let Ok(mut st) = STATE.try_lock()
        && let Some(fd) = st.saved.take()
    {
        put_back(fd);
    }
}

#[cfg(unix)]
fn redirect() -> Option<i32> {
    use std::io::BufRead;
    use std::os::fd::FromRawFd;
    let mut fds = [0i32; 2];
    // Safety: plain POSIX calls on descriptors this function owns; failures leave stderr as is.
    unsafe {
        if libc::pipe(fds.as_mut_ptr()) != 0 {
            return None;
        }
        let saved = libc::dup(2);
        if saved < 0 || libc::dup2(fds[1], 2) < 0 {
            libc::close(fds[0]);
            libc::close(fds[1]);
            if saved >= 0 {
                libc::close(saved);
            }
            return None;
        }
        libc::close(fds[1]);
        let read = std::fs::File::from_raw_fd(fds[0]);
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(read).lines().map_while(Result::ok) {
                log::debug!("stderr: {line}");
            }
        });
        Some(saved)
    }
}

#[cfg(unix)]
fn put_back(saved: i32) {
    // Safety: `saved` is the duplicate made by `redirect`; restoring closes the pipe's write
    // end, which ends the reader thread.
    unsafe {
        libc::dup2(saved, 2);
        libc::close(saved);
    }
}

#[cfg(not(unix))]
fn redirect() -> Option<i32> {
    None
}

#[cfg(not(unix))]
fn put_back(_saved: i32) {}

#[cfg(test)]
mod tests {
    #[test]
    fn guards_nest_and_put_stderr_back() {
        let a = super::StderrToLog::start();
        {
            let _b = super::StderrToLog::start();
            eprintln!("this line goes to the log, not the terminal");
        }
        assert!(
            super::STATE.lock().unwrap().saved.is_some(),
            "still redirected"
        );
        drop(a);
        assert!(super::STATE.lock().unwrap().saved.is_none());
    }
}
