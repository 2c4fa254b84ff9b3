//! `emoscope bench corpora`: scanning, and cross-corpus evaluation, of a corpus in another
//! corpus's layout (CREMA-D) beside the same number of RAVDESS clips, in one run.

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use anyhow::Result;

use crate::audio::LoadOptions;
use crate::corpus::{Corpus, CorpusFormat, CorpusSpec};
use crate::features::extract::{CancelToken, FeatureTable, extract_corpus};
use crate::features::{FeatureConfig, Preset};
use crate::ml::dataset::Dataset;
use crate::ml::experiment::{ExperimentSpec, run};
use crate::ml::protocol::Protocol;

/// Median of three timings of `f`, in seconds.
fn median_of_3(mut f: impl FnMut() -> Result<()>) -> Result<f64> {
    let mut t = Vec::with_capacity(3);
    for _ in 0..3 {
        let start = Instant::now();
        f()?;
        t.push(start.elapsed().as_secs_f64());
    }
    t.sort_by(f64::total_cmp);
    Ok(t[1])
}

fn extract(corpus: &Corpus) -> Result<FeatureTable> {
    let cfg = FeatureConfig::preset(Preset::Classic);
    Ok(extract_corpus(
        corpus,
        &cfg,
        None,
        &CancelToken::new(),
        &|_, _| {},
    )?)
}

/// Writes `clips` synthetic clips of `format` under `root/format` and opens them.
fn written(root: &Path, format: CorpusFormat, seed: u64, clips: usize) -> Result<Corpus> {
    let dir = root.join(format.name());
    super::write_synthetic_as(&dir, format, seed, &[], &[], Some(clips))?;
    Ok(Corpus::open(
        &CorpusSpec::directory(dir),
        &LoadOptions::default(),
    )?)
}

/// Scan time (median of 3), then EmoDB → this corpus: the test corpus's extraction and the
/// evaluation (table, speaker norm, SVM C=1), each timed.
fn measure(test: &Corpus, train: &FeatureTable, out: &mut dyn Write) -> Result<()> {
    let root = test.root().map(Path::to_path_buf).unwrap_or_default();
    let scan = median_of_3(|| {
        crate::corpus::scan_dir(&root, None, &LoadOptions::default())?;
        Ok(())
    })?;
    let t0 = Instant::now();
    let table = extract(test)?;
    let extracted = t0.elapsed().as_secs_f64();
    let t1 = Instant::now();
    let (merged, cross) =
        crate::ml::cross::cross_corpus_table(train, &table).map_err(anyhow::Error::msg)?;
    let ds = Dataset::from_table(&merged)?;
    let spec = ExperimentSpec {
        grid: crate::ml::grid::build_grid("svm", &["c=1".to_string()])
            .map_err(anyhow::Error::msg)?,
        protocol: Protocol::CrossCorpus { test: cross.test },
        speaker_norm: true,
        ..ExperimentSpec::default()
    };
    let report = run(&ds, &spec, &CancelToken::new(), &|_| {})?;
    let evaluated = t1.elapsed().as_secs_f64();
    // Only the clips of shared classes are tested: per tested clip is the fair comparison.
    let tested = report
        .folds
        .iter()
        .map(|f| f.test_rows.len())
        .sum::<usize>();
    writeln!(
        out,
        "{:<13} {:>6} {:>9.3} {:>12.2} {:>12.3} {:>7} {:>9.0} {:>7.3}  {}",
        cross.test.title(),
        test.clips.len(),
        scan,
        extracted,
        evaluated,
        tested,
        evaluated / tested.max(1) as f64 * 1e6,
        report.scores.uar,
        cross.classes.len()
    )?;
    Ok(())
}

pub fn bench_corpora(seed: u64, clips: usize, out: &mut dyn Write) -> Result<()> {
    let clips = if clips == 200 { 1000 } else { clips };
    let root = std::env::temp_dir().join(format!("emoscope-bench-corpora-{}", std::process::id()));
    let result = (|| -> Result<()> {
        writeln!(
            out,
            "writing {clips} synthetic clips each of RAVDESS and CREMA-D, and EmoDB (350) …"
        )?;
        let ravdess = written(&root, CorpusFormat::Ravdess, seed, clips)?;
        let crema = written(&root, CorpusFormat::CremaD, seed, clips)?;
        let emodb = written(&root, CorpusFormat::EmoDb, seed, 350)?;
        let train = extract(&emodb)?;
        writeln!(
            out,
            "cross-corpus: trained on EmoDB ({} clips, classic, speaker z-norm, SVM C=1), tested on:",
            emodb.clips.len()
        )?;
        writeln!(
            out,
            "{:<13} {:>6} {:>9} {:>12} {:>12} {:>7} {:>9} {:>7}  classes",
            "test corpus", "clips", "scan s", "extract s", "evaluate s", "tested", "µs/clip", "UAR"
        )?;
        measure(&ravdess, &train, out)?;
        measure(&crema, &train, out)?;
        writeln!(
            out,
            "(scan: median of 3, every file decoded from a warm page cache; extraction without the cache)"
        )?;
        Ok(())
    })();
    let _ = std::fs::remove_dir_all(&root);
    result
}
