//! `emoscope bench logreg`: our logistic regression beside scikit-learn's on the same
//! matrix and the same leave-one-speaker-out folds (benches/sklearn_logreg.py), fit time
//! and accuracy.

use std::io::Write;
use std::time::Instant;

use anyhow::{Context, Result};

use crate::features::Preset;
use crate::ml::dataset::{Dataset, gather_rows};
use crate::ml::logreg::{self, LbfgsOptions};
use crate::ml::protocol::Protocol;
use crate::ml::scale::{StandardScaler, normalise_per_group};

/// Runs `python3 SCRIPT ARGS…`, returning its output or writing why it did not run.
pub type PeerRunner =
    dyn Fn(&mut dyn Write, &str, &str, &[std::ffi::OsString]) -> Result<Option<String>>;

/// Fits C=1 logistic regression on every LOSO fold of `preset`'s per-speaker-normalised
/// features, then runs scikit-learn on the same matrix and folds (through `run_peer`, the
/// CLI's peer-script runner).
pub fn bench_logreg(
    corpus: &crate::corpus::Corpus,
    preset: Preset,
    run_peer: &PeerRunner,
    out: &mut dyn Write,
) -> Result<()> {
    let table = super::train::features_for(corpus, preset, false)?;
    let ds = Dataset::from_table(&table)?;
    let d = ds.n_features;
    let mut x = ds.x.clone();
    let groups: Vec<u16> = ds.ids.iter().map(|i| i.actor.number()).collect();
    normalise_per_group(&mut x, d, &groups);
    let folds = Protocol::Loso.folds(&ds)?;
    let opts = LbfgsOptions::default();
    let (mut fit_s, mut right, mut iters) = (0.0, 0usize, Vec::new());
    for f in &folds {
        let (mut xtr, mut xte) = (gather_rows(&x, d, &f.train), gather_rows(&x, d, &f.test));
        let s = StandardScaler::fit(&xtr, d);
        s.transform(&mut xtr);
        s.transform(&mut xte);
        let t0 = Instant::now();
        let m = logreg::fit(&xtr, &ds.labels(&f.train), d, ds.n_classes(), &opts);
        fit_s += t0.elapsed().as_secs_f64();
        iters.push(m.iterations);
        for (row, &t) in xte.chunks(d).zip(&ds.labels(&f.test)) {
            if crate::util::argmax(&m.proba(row)) == t {
                right += 1;
            }
        }
    }
    writeln!(
        out,
        "logistic regression, {preset} ({} rows x {d}), C=1, LOSO {} folds, {} threads",
        ds.len(),
        folds.len(),
        rayon::current_num_threads()
    )?;
    writeln!(
        out,
        "emoscope:     fit {fit_s:.3} s over {} folds, accuracy {:.4}, iterations {iters:?}",
        folds.len(),
        right as f64 / ds.len() as f64
    )?;
    let dir = std::env::temp_dir().join(format!("emoscope-bench-logreg-{}", std::process::id()));
    std::fs::create_dir_all(&dir).with_context(|| format!("{}: cannot create", dir.display()))?;
    let bytes: Vec<u8> = x.iter().flat_map(|v| v.to_le_bytes()).collect();
    std::fs::write(dir.join("x.f64"), bytes)?;
    let meta = serde_json::json!({
        "n": ds.len(), "d": d, "y": ds.y, "c": 1.0,
        "test_folds": folds.iter().map(|f| f.test.clone()).collect::<Vec<_>>(),
    });
    std::fs::write(dir.join("meta.json"), meta.to_string())?;
    let args = [dir.as_os_str().to_owned()];
    if let Some(text) = run_peer(out, "scikit-learn", "benches/sklearn_logreg.py", &args)? {
        out.write_all(text.as_bytes())?;
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
