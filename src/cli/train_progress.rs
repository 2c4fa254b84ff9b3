//! `emoscope train`'s progress on stderr: the run's stages and folds, permutation
//! importance, and the final fit with its estimate (counting down on a terminal).

use std::io::IsTerminal;

use anyhow::Result;

use crate::features::extract::CancelToken;
use crate::ml::dataset::Dataset;
use crate::ml::experiment::{JobEvent, Report};
use crate::ml::importance::{Importance, permutation_importance};

/// The final fit on every clip, with its estimate ([`Report::final_fit_estimate`]) on
/// stderr before and the time it took after; on a terminal, a line counting down meanwhile.
pub(super) fn final_fit<T>(
    report: &Report,
    clips: usize,
    fit: impl FnOnce() -> Result<T, crate::ml::persist::PersistError>,
) -> Result<T> {
    let estimate = report.final_fit_estimate(clips);
    let about = estimate.map_or(String::new(), |d| {
        format!(" (about {:.1} s, from the folds' fits)", d.as_secs_f64())
    });
    eprintln!("fitting the final model on all {clips} clips{about} …");
    let tty = std::io::stderr().is_terminal();
    let start = std::time::Instant::now();
    let done = std::sync::atomic::AtomicBool::new(false);
    let r = std::thread::scope(|s| {
        if let (true, Some(est)) = (tty, estimate) {
            let done = &done;
            s.spawn(move || {
                while !done.load(std::sync::atomic::Ordering::Relaxed) {
                    let eta = est.checked_sub(start.elapsed()).filter(|d| !d.is_zero());
                    let eta = eta.map_or("over the estimate".into(), crate::util::fmt_eta);
                    eprint!("\r\x1b[2Kfinal fit: {eta}");
                    std::thread::sleep(std::time::Duration::from_millis(250));
                }
                eprint!("\r\x1b[2K");
            });
        }
        let r = fit();
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        r
    });
    let r = r?;
    eprintln!("final fit took {:.1} s", start.elapsed().as_secs_f64());
    Ok(r)
}

/// A run's progress on stderr: the stage on a terminal, each finished fold always.
pub(super) fn progress_line(e: JobEvent) {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    let tty = std::io::stderr().is_terminal();
    match e {
        JobEvent::Progress { done, total, stage } if tty => {
            let start = *START.get_or_init(std::time::Instant::now);
            let eta = crate::util::eta_suffix(start, done, total);
            eprint!("\r\x1b[2K[{done}/{total}] {stage}{eta}");
        }
        JobEvent::FoldDone {
            fold,
            of,
            scores_so_far,
            ..
        } => {
            if tty {
                eprint!("\r\x1b[2K");
            }
            eprintln!(
                "fold {}/{of} done: pooled so far acc {:.3} UAR {:.3}",
                fold + 1,
                scores_so_far.accuracy,
                scores_so_far.uar
            );
        }
        _ => {}
    }
}

/// Permutation importance of a finished run, with a progress line on a terminal.
pub(super) fn importance(ds: &Dataset, report: &Report, repeats: usize) -> Result<Importance> {
    let tty = std::io::stderr().is_terminal();
    let start = std::time::Instant::now();
    let progress = |done: usize, total: usize| {
        if tty {
            let eta = crate::util::eta_suffix(start, done, total);
            eprint!("\r\x1b[2Kimportance: {done}/{total} shuffled{eta}");
        }
    };
    let r = permutation_importance(ds, report, repeats, &CancelToken::new(), &progress)?;
    if tty {
        eprintln!();
    }
    Ok(r)
}
