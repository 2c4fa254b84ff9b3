//! `emoscope compare SESSION`: every finished experiment of a saved session ranked, with its
//! UAR ± fold std and a paired test against the best (the TUI's Compare table).

use std::io::Write;
use std::path::Path;

use anyhow::Result;
use serde::Serialize;

use crate::ml::leaderboard::{Standing, VsBest, leaderboard, short_p};
use crate::session::Session;

/// One line of `compare --json`.
#[derive(Serialize)]
struct Line<'a> {
    id: u32,
    label: String,
    corpus: &'a str,
    #[serde(flatten)]
    standing: Standing,
}

pub fn compare(path: &Path, json: bool, out: &mut dyn Write) -> Result<()> {
    let session = Session::load(path)?;
    let finished: Vec<_> = session
        .experiments
        .iter()
        .filter_map(|e| e.report().map(|r| (e, r)))
        .collect();
    if finished.is_empty() {
        anyhow::bail!("{}: no finished experiment to compare", path.display());
    }
    let reports: Vec<_> = finished.iter().map(|f| f.1).collect();
    let mut lines: Vec<Line> = finished
        .iter()
        .zip(leaderboard(&reports))
        .map(|((e, r), standing)| Line {
            id: e.id,
            label: e.label(),
            corpus: &r.corpus,
            standing,
        })
        .collect();
    lines.sort_by_key(|l| (l.standing.rank, l.id));
    if json {
        serde_json::to_writer_pretty(&mut *out, &lines)?;
        writeln!(out)?;
        return Ok(());
    }
    writeln!(
        out,
        "rank  UAR ± fold std   vs best (McNemar)      experiment"
    )?;
    for l in &lines {
        let s = &l.standing;
        let spread = s
            .fold_uar_std
            .map_or("       ".into(), |d| format!("± {d:.3}"));
        let vs = match &s.vs_best {
            VsBest::Best => "best".to_string(),
            VsBest::Compared(c) => {
                format!("{} (folds {})", short_p(c.mcnemar_p), short_p(c.fold_uar_p))
            }
            VsBest::NotComparable => "– (other folds)".into(),
        };
        writeln!(
            out,
            "{:>4}  {:.3} {spread}  {vs:<22} {}",
            s.rank, s.uar, l.label
        )?;
    }
    Ok(())
}
