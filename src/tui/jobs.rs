//! Background work as the app sees it: a registry of named jobs (the status line's count is
//! derived from it, raised and lowered in one place each), and values loaded in the
//! background as one [`Loadable`] type.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use super::msg::{JobId, Progress};

/// The jobs running, by name (a second start of the same job counts once more).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Jobs {
    running: BTreeMap<JobId, usize>,
    /// Jobs with an estimated length (a final fit): what they do, when they started, and
    /// how long they should take.
    estimated: BTreeMap<JobId, (&'static str, Instant, Duration)>,
    /// Jobs that report their progress: when their current stage started, and how far it is.
    progress: BTreeMap<JobId, (Instant, Progress)>,
}

impl Jobs {
    pub fn start(&mut self, id: JobId) {
        *self.running.entry(id).or_default() += 1;
    }

    /// Starts a job whose length is estimated beforehand: [`Jobs::eta`] counts it down.
    pub fn start_estimated(&mut self, id: JobId, what: &'static str, estimate: Duration) {
        self.estimated
            .insert(id.clone(), (what, Instant::now(), estimate));
        self.start(id);
    }

    pub fn finish(&mut self, id: &JobId) {
        if let Some(n) = self.running.get_mut(id) {
            *n -= 1;
            if *n == 0 {
                self.running.remove(id);
                self.estimated.remove(id);
                self.progress.remove(id);
            }
        }
    }

    /// A running job's progress (ignored once it has ended: a late report). A new stage
    /// restarts its pace; an estimated job's countdown starts when a stage before it (the
    /// features read for a final fit) is complete.
    pub fn set_progress(&mut self, id: JobId, p: Progress) {
        self.set_progress_at(id, p, Instant::now());
    }

    fn set_progress_at(&mut self, id: JobId, p: Progress, now: Instant) {
        if !self.is_running(&id) {
            return;
        }
        let start = match self.progress.get(&id) {
            Some((start, old)) if old.stage == p.stage => *start,
            _ => now,
        };
        if p.done >= p.total
            && p.total > 0
            && let Some(e) = self.estimated.get_mut(&id)
        {
            e.1 = now;
        }
        self.progress.insert(id, (start, p));
    }

    /// "shuffled 120/567 · ETA 12 s" for a running job that has reported progress (the
    /// ETA at its pace since its stage's first report).
    pub fn progress_of(&self, id: &JobId) -> Option<String> {
        let (start, p) = self.progress.get(id)?;
        if p.total == 0 {
            return Some(format!("{} …", p.stage));
        }
        Some(format!(
            "{} {}/{}{}",
            p.stage,
            p.done,
            p.total,
            crate::util::eta_suffix(*start, p.done, p.total)
        ))
    }

    /// " · final fit ETA 12 s" for the first estimated job still running, " · final fit
    /// over its estimated 12 s" once it has taken longer, " · final fit: reading features
    /// 40/1440 · ETA 3 s" while a stage before the fit reports its progress; "" with none.
    pub fn eta(&self, now: Instant) -> String {
        let Some((id, (what, start, estimate))) = self.estimated.iter().next() else {
            return String::new();
        };
        if let Some((_, p)) = self.progress.get(id)
            && (p.done < p.total || p.total == 0)
        {
            return format!(" · {what}: {}", self.progress_of(id).unwrap_or_default());
        }
        match estimate.checked_sub(now.saturating_duration_since(*start)) {
            Some(left) if !left.is_zero() => {
                format!(" · {what} {}", crate::util::fmt_eta(left))
            }
            _ => format!(
                " · {what} over its estimated {}",
                crate::util::fmt_eta(*estimate).trim_start_matches("ETA ")
            ),
        }
    }

    pub fn count(&self) -> usize {
        self.running.values().sum()
    }

    pub fn is_running(&self, id: &JobId) -> bool {
        self.running.contains_key(id)
    }
}

/// A value computed in the background.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Loadable<T> {
    #[default]
    Absent,
    Loading,
    Ready(T),
    Failed(String),
}

impl<T> Loadable<T> {
    pub fn ready(&self) -> Option<&T> {
        match self {
            Loadable::Ready(v) => Some(v),
            _ => None,
        }
    }

    pub fn is_loading(&self) -> bool {
        matches!(self, Loadable::Loading)
    }

    /// Whether asking for it now would start work (nothing there, nothing on the way).
    pub fn wanted(&self) -> bool {
        matches!(self, Loadable::Absent)
    }

    /// The outcome of the background work.
    pub fn from_result(r: Result<T, String>) -> Loadable<T> {
        match r {
            Ok(v) => Loadable::Ready(v),
            Err(e) => Loadable::Failed(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_count_is_derived_from_named_jobs() {
        let mut j = Jobs::default();
        j.start(JobId::OpenCorpus);
        j.start(JobId::Run(1));
        j.start(JobId::Run(1));
        assert_eq!(j.count(), 3);
        j.finish(&JobId::Run(1));
        j.finish(&JobId::Run(7));
        assert!(j.is_running(&JobId::Run(1)));
        j.finish(&JobId::Run(1));
        j.finish(&JobId::OpenCorpus);
        assert_eq!(j.count(), 0);
        let l: Loadable<u8> = Loadable::from_result(Err("x".into()));
        assert!(!l.wanted() && l.ready().is_none());
    }

    #[test]
    fn an_estimated_job_counts_down_then_says_it_is_late() {
        let mut j = Jobs::default();
        assert_eq!(j.eta(Instant::now()), "");
        j.start_estimated(JobId::SaveModel, "final fit", Duration::from_secs(30));
        let t = Instant::now();
        assert!(j.eta(t).starts_with(" · final fit ETA "), "{}", j.eta(t));
        let late = t + Duration::from_secs(31);
        assert_eq!(j.eta(late), " · final fit over its estimated 30 s");
        j.finish(&JobId::SaveModel);
        assert_eq!((j.count(), j.eta(late)), (0, String::new()));
    }

    #[test]
    fn progress_is_kept_while_its_job_runs() {
        let mut j = Jobs::default();
        let p = |stage, done| Progress {
            stage,
            done,
            total: 4,
        };
        j.set_progress(JobId::Importance(1), p("shuffled", 1));
        assert_eq!(
            j.progress_of(&JobId::Importance(1)),
            None,
            "not running: ignored"
        );
        j.start(JobId::Importance(1));
        j.set_progress(JobId::Importance(1), p("shuffled", 0));
        assert_eq!(
            j.progress_of(&JobId::Importance(1)).as_deref(),
            Some("shuffled 0/4")
        );
        j.set_progress(JobId::Importance(1), p("shuffled", 2));
        assert!(
            j.progress_of(&JobId::Importance(1))
                .is_some_and(|p| p.starts_with("shuffled 2/4 · ETA ")),
            "{:?}",
            j.progress_of(&JobId::Importance(1))
        );
        // A stage without a count (total 0) is named alone.
        j.set_progress(
            JobId::Importance(1),
            Progress {
                total: 0,
                ..p("refitting every fold", 0)
            },
        );
        assert_eq!(
            j.progress_of(&JobId::Importance(1)).as_deref(),
            Some("refitting every fold …")
        );
        j.finish(&JobId::Importance(1));
        assert_eq!(j.progress_of(&JobId::Importance(1)), None);
    }

    #[test]
    fn a_final_fit_shows_its_reading_stage_then_counts_down_from_its_end() {
        let mut j = Jobs::default();
        j.start_estimated(JobId::SaveModel, "final fit", Duration::from_secs(30));
        let reading = |done| Progress {
            stage: "reading features",
            done,
            total: 1440,
        };
        j.set_progress(JobId::SaveModel, reading(0));
        let now = Instant::now();
        assert_eq!(j.eta(now), " · final fit: reading features 0/1440");
        // A cold cache took a minute: the countdown starts when the reading ends.
        let read = now + Duration::from_secs(60);
        j.set_progress_at(JobId::SaveModel, reading(1440), read);
        let fitting = read + Duration::from_secs(10);
        assert_eq!(j.eta(fitting), " · final fit ETA 20 s");
    }
}
