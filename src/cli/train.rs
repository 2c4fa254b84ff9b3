//! `emoscope train`: extract (cached), run an experiment with live progress, print scores.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

use super::train_progress::{final_fit, importance, progress_line};
use crate::features::extract::{CancelToken, FeatureCache, FeatureTable, extract_corpus};
use crate::features::{FeatureConfig, Preset};
use crate::ml::cross::{CrossCorpus, cross_corpus_table};
use crate::ml::dataset::Dataset;
use crate::ml::experiment::{ExperimentSpec, Facet, Report, run};
use crate::ml::grid::build_search;
use crate::ml::importance::Importance;
use crate::ml::metrics::Confusion;
use crate::ml::protocol::Protocol;

/// Options of `emoscope train`.
#[derive(Debug, Clone, Args)]
pub struct TrainArgs {
    /// Feature preset.
    #[arg(long, value_enum, default_value_t = Preset::Classic)]
    pub preset: Preset,
    /// Model family: svm, knn, rf, logreg, nb, majority, ensemble (soft vote of logreg and
    /// svm; their grids as --grid logreg.c=0.01,0.1 --grid svm.c=1,10).
    #[arg(long, default_value = crate::ml::grid::DEFAULT_FAMILY)]
    pub model: String,
    /// Hyperparameter values to search, e.g. --grid c=0.1,1,10 --grid gamma=scale,0.01;
    /// select=500,1000 searches the number of features kept (see --select). Without it, the
    /// family's suggested search (the Train form's too): svm c=0.1,1,10; knn k=3,5,9; rf
    /// trees=100; logreg c=0.01,0.1,1; ensemble logreg.c=0.01,0.1 svm.c=1,10.
    #[arg(long = "grid", value_name = "KEY=V1,V2")]
    pub grid: Vec<String>,
    /// actor-kfold:K (default, speaker-independent), loso, holdout:21-24, random:0.2 or
    /// kfold:K (both speaker-dependent).
    #[arg(long, default_value = crate::ml::protocol::DEFAULT_PROTOCOL)]
    pub protocol: String,
    /// Oversample minority classes with SMOTE on each training set.
    #[arg(long)]
    pub smote: bool,
    /// SMOTE neighbours.
    #[arg(long, default_value_t = 5)]
    pub smote_k: usize,
    /// Z-score each actor's clips with that actor's own statistics.
    #[arg(long)]
    pub speaker_norm: bool,
    /// With --speaker-norm: each test speaker's statistics from N of their clips drawn at
    /// random (seeded; labels unused) instead of all of them.
    #[arg(long, value_name = "N", requires = "speaker_norm")]
    pub enrol: Option<usize>,
    /// Keep the K features of highest ANOVA F, fitted inside each training fold.
    #[arg(long, value_name = "K")]
    pub select: Option<usize>,
    /// Inner folds (grouped by actor) of the grid search.
    #[arg(long, default_value_t = 3)]
    pub inner_folds: usize,
    /// Seed for the split, SMOTE and the models.
    #[arg(long = "train-seed", default_value_t = 0)]
    pub train_seed: u64,
    /// Save the final model (fitted on all clips) as RON, e.g. models/svm.ron.
    #[arg(long, value_name = "FILE")]
    pub save: Option<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// Write the fold of every clip (file,fold) as CSV, for peer scripts.
    #[arg(long, value_name = "FILE")]
    pub export_folds: Option<PathBuf>,
    /// Write the pooled confusion matrix as CSV.
    #[arg(long, value_name = "FILE")]
    pub export_confusion: Option<PathBuf>,
    /// Write every clip's prediction with class probabilities as CSV.
    #[arg(long, value_name = "FILE")]
    pub export_predictions: Option<PathBuf>,
    /// Write the feature table used as CSV.
    #[arg(long, value_name = "FILE")]
    pub export_features: Option<PathBuf>,
    /// Do not read or write the feature cache.
    #[arg(long)]
    pub no_cache: bool,
    /// Permutation importance on the held-out folds: each fold's pipeline refitted, each
    /// feature (up to 1000 features) and each group (MFCC, chroma, mel, pitch, voice quality
    /// …) shuffled among the fold's test clips; the drop of pooled UAR, ranked (in --json:
    /// importance.features, importance.groups).
    #[arg(long)]
    pub importance: bool,
    /// Shuffles per feature for --importance.
    #[arg(long, value_name = "N", default_value_t = crate::ml::importance::DEFAULT_REPEATS)]
    pub importance_repeats: usize,
    /// Cross-corpus evaluation: train on all of --corpus, test on all of this corpus folder,
    /// on the emotions both have (named in the report), each speaker z-normalised with their
    /// own statistics on both sides. Replaces --protocol.
    #[arg(long, value_name = "PATH")]
    pub test_corpus: Option<PathBuf>,
    /// The test corpus's naming scheme (default: detected from its file names).
    #[arg(long, value_name = "NAME", requires = "test_corpus")]
    pub test_format: Option<crate::corpus::CorpusFormat>,
}

impl TrainArgs {
    /// A quick SVM on the classic preset (random 80/20 split), for benchmarks that need a
    /// model.
    pub fn for_bench() -> TrainArgs {
        TrainArgs {
            preset: Preset::Classic,
            model: "svm".into(),
            grid: vec!["c=1".into()],
            protocol: "random:0.2".into(),
            smote: false,
            smote_k: 5,
            speaker_norm: false,
            enrol: None,
            select: None,
            inner_folds: 3,
            train_seed: 0,
            save: None,
            json: false,
            export_folds: None,
            export_confusion: None,
            export_predictions: None,
            export_features: None,
            no_cache: false,
            test_corpus: None,
            test_format: None,
            importance: false,
            importance_repeats: crate::ml::importance::DEFAULT_REPEATS,
        }
    }

    pub fn spec(&self) -> Result<ExperimentSpec> {
        let suggested: Vec<String> = crate::ml::grid::suggested_grid(&self.model)
            .split_whitespace()
            .map(String::from)
            .collect();
        let settings = if self.grid.is_empty() {
            &suggested
        } else {
            &self.grid
        };
        let (grid, mut select) = build_search(&self.model, settings).map_err(anyhow::Error::msg)?;
        if let Some(k) = self.select {
            if k == 0 {
                anyhow::bail!("--select needs a positive number of features");
            }
            if !select.is_empty() {
                anyhow::bail!("give the selection either as --select K or as --grid select=…");
            }
            select.push(k);
        }
        if self.enrol == Some(0) {
            anyhow::bail!("--enrol needs at least one clip per speaker");
        }
        let protocol: Protocol = self.protocol.parse()?;
        Ok(ExperimentSpec {
            grid,
            protocol,
            smote_k: self.smote.then_some(self.smote_k),
            speaker_norm: self.speaker_norm,
            inner_folds: self.inner_folds,
            seed: self.train_seed,
            select,
            enrol: self.enrol,
            test_corpus: None,
        })
    }
}

/// Extracts a preset's features of `corpus` through the default cache (unless `no_cache`),
/// with a progress line on stderr when it is a terminal.
pub fn features_for(
    corpus: &crate::corpus::Corpus,
    preset: Preset,
    no_cache: bool,
) -> Result<FeatureTable> {
    let cache = (!no_cache).then(|| FeatureCache::new(FeatureCache::default_dir()));
    extract_with_progress(corpus, &FeatureConfig::preset(preset), cache.as_ref())
}

/// Extracts `cfg` over `corpus`, showing progress on stderr when it is a terminal and
/// listing the clips that failed.
pub fn extract_with_progress(
    corpus: &crate::corpus::Corpus,
    cfg: &FeatureConfig,
    cache: Option<&FeatureCache>,
) -> Result<FeatureTable> {
    let preset = cfg.preset;
    let tty = std::io::stderr().is_terminal();
    let start = std::time::Instant::now();
    let progress = |done: usize, total: usize| {
        if tty && (done.is_multiple_of(10) || done == total) {
            let eta = crate::util::eta_suffix(start, done, total);
            eprint!("\r\x1b[2Kextracting {preset}: {done}/{total}{eta}");
            if done == total {
                eprintln!();
            }
        }
    };
    let table = extract_corpus(corpus, cfg, cache, &CancelToken::new(), &progress)?;
    for (loc, err) in &table.failures {
        eprintln!("skipped {loc}: {err}");
    }
    Ok(table)
}

/// The fold of every clip (file,fold) as CSV, for peer scripts.
fn export_folds(
    spec: &ExperimentSpec,
    ds: &Dataset,
    table: &FeatureTable,
    path: &std::path::Path,
) -> Result<()> {
    let folds = spec.protocol.clone().with_seed(spec.seed).folds(ds)?;
    let mut fold_of = vec![0usize; ds.len()];
    for (f, fold) in folds.iter().enumerate() {
        for &i in &fold.test {
            if let Some(slot) = fold_of.get_mut(i) {
                *slot = f;
            }
        }
    }
    // RFC 4180 quoting (the csv crate): a path may hold commas, quotes or newlines.
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["file", "fold"])?;
    for (row, fold) in table.rows.iter().zip(&fold_of) {
        w.write_record([row.location.as_str(), &fold.to_string()])?;
    }
    let bytes = w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
    crate::util::write_atomic(path, &bytes)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// The confusion matrix and the per-clip predictions, when asked for.
fn write_exports(report: &Report, args: &TrainArgs) -> Result<()> {
    let exports = [
        (
            &args.export_confusion,
            crate::ml::export::confusion_csv(report),
        ),
        (
            &args.export_predictions,
            crate::ml::export::predictions_csv(report),
        ),
    ];
    for (path, text) in exports {
        if let Some(path) = path {
            let text = text.map_err(anyhow::Error::msg)?;
            crate::util::write_atomic(path, text.as_bytes())
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
    }
    Ok(())
}

/// The features to train on: the corpus's; with a test corpus, both corpora's on the
/// emotions they share, and the spec set to test on the second with speaker normalisation.
fn training_table(
    corpus: &crate::corpus::Corpus,
    test: Option<&crate::corpus::Corpus>,
    args: &TrainArgs,
    spec: &mut ExperimentSpec,
) -> Result<(FeatureTable, Option<CrossCorpus>)> {
    let table = features_for(corpus, args.preset, args.no_cache)?;
    let Some(test) = test else {
        return Ok((table, None));
    };
    if args.save.is_some() {
        anyhow::bail!(
            "--save with --test-corpus: train without --test-corpus to save a model of {}",
            corpus.spec
        );
    }
    let test_table = features_for(test, args.preset, args.no_cache)?;
    let (table, cross) = cross_corpus_table(&table, &test_table).map_err(anyhow::Error::msg)?;
    if args.protocol != crate::ml::protocol::DEFAULT_PROTOCOL {
        eprintln!("note: --test-corpus replaces --protocol {}", args.protocol);
    }
    spec.protocol = Protocol::CrossCorpus { test: cross.test };
    spec.speaker_norm = true;
    spec.test_corpus = Some(test.spec.clone());
    eprintln!("cross-corpus: {}", cross.describe());
    Ok((table, Some(cross)))
}

pub fn train(
    corpus: &crate::corpus::Corpus,
    test: Option<&crate::corpus::Corpus>,
    args: &TrainArgs,
    out: &mut dyn Write,
) -> Result<()> {
    let mut spec = args.spec()?;
    let t0 = std::time::Instant::now();
    let (table, cross) = training_table(corpus, test, args, &mut spec)?;
    let extract_seconds = t0.elapsed().as_secs_f64();
    if let Some(path) = &args.export_features {
        crate::util::write_atomic(path, table.to_csv().as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    let ds = Dataset::from_table(&table)?;
    if let Some(path) = &args.export_folds {
        export_folds(&spec, &ds, &table, path)?;
    }
    if !spec.protocol.speaker_independent() {
        eprintln!(
            "note: {} shares speakers between training and test (speaker-dependent); scores will be optimistic",
            spec.protocol
        );
    }
    let mut report = run(&ds, &spec, &CancelToken::new(), &progress_line)?;
    report.extract_seconds = extract_seconds;
    report.corpus = match test {
        Some(t) => format!("{} → {}", corpus.spec, t.spec),
        None => corpus.spec.to_string(),
    };
    report.cross_corpus = cross;
    if args.importance {
        report.importance = Some(importance(&ds, &report, args.importance_repeats)?);
    }
    if args.json {
        out.write_all(
            crate::ml::export::report_json(&report)
                .map_err(anyhow::Error::msg)?
                .as_bytes(),
        )?;
        writeln!(out)?;
    } else {
        print_report(&report, args.preset, out)?;
    }
    write_exports(&report, args)?;
    if let Some(path) = &args.save {
        let saved = final_fit(&report, ds.len(), || {
            crate::ml::persist::train_final(
                &ds,
                &spec,
                &FeatureConfig::preset(args.preset),
                &report,
                corpus,
            )
        })?;
        saved.save(path)?;
        writeln!(out, "saved model to {}", path.display())?;
    }
    Ok(())
}

/// The ranked groups and the ten most important features, one a line with a bar.
pub fn importance_lines(imp: &Importance) -> Vec<String> {
    let bar = |drop: f64| "█".repeat((drop.max(0.0) * 200.0).round().min(30.0) as usize);
    let mut lines = vec![format!(
        "permutation importance (drop of pooled test UAR {:.3} when shuffled, {} repeats):",
        imp.baseline_uar, imp.repeats
    )];
    for g in &imp.groups {
        lines.push(format!(
            "  {:<22} {:+.3} ±{:.3} ({} col) {}",
            g.name,
            g.drop,
            g.std,
            g.columns,
            bar(g.drop)
        ));
    }
    if !imp.features.is_empty() {
        lines.push("  top features:".into());
    }
    for f in imp.features.iter().take(10) {
        lines.push(format!(
            "  {:<22} {:+.3} ±{:.3} {}",
            f.name,
            f.drop,
            f.std,
            bar(f.drop)
        ));
    }
    lines
}

/// "by actor (UAR): 01 (M) 0.412  02 (F) 0.380 …", four groups a line; more than 24
/// groups (CREMA-D's actors, TESS's words) as their range, the whole list being in --json.
fn breakdown_lines(r: &Report, f: Facet) -> Vec<String> {
    let groups = r.breakdown(f);
    if groups.len() > 24 {
        let uars: Vec<f64> = groups.iter().map(|(_, s, _)| s.uar).collect();
        let lo = uars.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = uars.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        return vec![format!(
            "{:<22}{} groups, UAR {lo:.3} to {hi:.3} (each in --json)",
            format!("by {} (UAR):", f.name()),
            groups.len()
        )];
    }
    let cells: Vec<String> = groups
        .iter()
        .map(|(g, s, _)| format!("{g} {:.3}", s.uar))
        .collect();
    cells
        .chunks(4)
        .enumerate()
        .map(|(i, c)| {
            let head = if i == 0 {
                format!("by {} (UAR):", f.name())
            } else {
                String::new()
            };
            format!("{head:<22}{}", c.join("  "))
        })
        .collect()
}

/// The confusion matrix as a text table (rows = truth, columns = prediction).
pub fn confusion_table(c: &Confusion, classes: &[crate::corpus::Emotion]) -> String {
    let mut s = String::from("true\\pred");
    for e in classes {
        s.push_str(&format!(" {:>4}", e.short()));
    }
    s.push_str("  recall\n");
    let norm = c.row_normalised();
    for (t, e) in classes.iter().enumerate() {
        s.push_str(&format!("{:>9}", e.short()));
        for p in 0..classes.len() {
            s.push_str(&format!(" {:>4}", c.get(t, p)));
        }
        s.push_str(&format!("  {:>6.3}\n", norm[t * c.n + t]));
    }
    s
}

/// Precision, recall, F1 and support of each class.
fn class_table(r: &Report, out: &mut dyn Write) -> Result<()> {
    writeln!(out, "class      precision recall  f1     support")?;
    for (e, c) in r.classes.iter().zip(&r.scores.per_class) {
        writeln!(
            out,
            "{:<10} {:>9.3} {:>6.3} {:>6.3} {:>7}",
            e.name(),
            c.precision,
            c.recall,
            c.f1,
            c.support
        )?;
    }
    Ok(())
}

pub fn print_report(r: &Report, preset: Preset, out: &mut dyn Write) -> Result<()> {
    let s = &r.scores;
    let models: Vec<String> = {
        let mut m: Vec<String> = r.folds.iter().map(|f| f.chosen.to_string()).collect();
        m.sort();
        m.dedup();
        m
    };
    writeln!(
        out,
        "corpus {}: {} clips",
        if r.corpus.is_empty() { "?" } else { &r.corpus },
        r.ids.len()
    )?;
    if let Some(cross) = &r.cross_corpus {
        writeln!(out, "cross-corpus: {}", cross.describe())?;
    }
    writeln!(
        out,
        "preset {preset}, protocol {}, {} folds, seed {}",
        r.spec.protocol,
        r.folds.len(),
        r.spec.seed
    )?;
    writeln!(
        out,
        "pipeline: scaler{}{} -> {}",
        if r.spec.speaker_norm {
            " + speaker z-norm"
        } else {
            ""
        },
        r.spec
            .smote_k
            .map_or(String::new(), |k| format!(" + SMOTE(k={k})")),
        models.join(" | ")
    )?;
    writeln!(
        out,
        "accuracy {:.3}  UAR {:.3}  macro-P {:.3}  macro-F1 {:.3}  ({})",
        s.accuracy,
        s.uar,
        s.macro_precision,
        s.macro_f1,
        r.timing()
    )?;
    writeln!(out, "{}", r.chance())?;
    for (sex, sc) in &r.by_sex {
        writeln!(
            out,
            "  {sex:<6} accuracy {:.3}  UAR {:.3}",
            sc.accuracy, sc.uar
        )?;
    }
    for f in [Facet::Actor, Facet::Intensity, Facet::Statement] {
        for line in breakdown_lines(r, f) {
            writeln!(out, "{line}")?;
        }
    }
    class_table(r, out)?;
    write!(out, "{}", confusion_table(&r.pooled, &r.classes))?;
    if r.spec.grid.len() > 1 {
        for f in &r.folds {
            writeln!(
                out,
                "fold {}: chose {} (inner UAR {:.3}), test UAR {:.3}",
                f.fold + 1,
                f.chosen,
                f.inner_uar.unwrap_or(0.0),
                f.scores.uar
            )?;
        }
    }
    for line in r.importance.iter().flat_map(importance_lines) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}
