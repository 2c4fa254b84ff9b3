//! `emoscope bench`: speed figures printed, never asserted in tests — feature extraction
//! beside librosa and openSMILE, the synthetic corpus, the TUI's frame and input latency.
//! (`bench logreg` is in `bench_ml.rs`, `bench record` in `live.rs`.)

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rayon::prelude::*;

use super::{CorpusArgs, open};
use crate::corpus::synth;
use crate::features::extract::{CancelToken, FeatureCache, extract_corpus};
use crate::features::{FeatureConfig, Preset};

/// Runs a peer script of the repository (`python3 SCRIPT ARGS…`) and returns its standard
/// output; when it cannot run or fails, writes "PEER: not run (why)" and returns `None`.
pub(super) fn run_peer(
    out: &mut dyn Write,
    peer: &str,
    script: &str,
    args: &[std::ffi::OsString],
) -> Result<Option<String>> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join(script);
    match std::process::Command::new("python3")
        .arg(&script)
        .args(args)
        .output()
    {
        Ok(o) if o.status.success() => Ok(Some(String::from_utf8_lossy(&o.stdout).into_owned())),
        Ok(o) => {
            let why = String::from_utf8_lossy(&o.stderr);
            writeln!(
                out,
                "{peer}: not run ({})",
                why.lines().last().unwrap_or("failed")
            )?;
            Ok(None)
        }
        Err(e) => {
            writeln!(out, "{peer}: not run ({e})")?;
            Ok(None)
        }
    }
}

/// Renders `n` synthetic clips on one thread, then on the rayon pool, and prints the rates.
pub(super) fn bench_synth(seed: u64, n: usize, out: &mut dyn Write) -> Result<()> {
    let ids: Vec<_> = crate::corpus::ravdess::speech_corpus()
        .into_iter()
        .cycle()
        .take(n)
        .collect();
    let time = |parallel: bool| {
        let start = std::time::Instant::now();
        let audio_s: f64 = if parallel {
            ids.par_iter()
                .map(|id| synth::render_clip(id, seed).duration())
                .sum()
        } else {
            ids.iter()
                .map(|id| synth::render_clip(id, seed).duration())
                .sum()
        };
        (start.elapsed().as_secs_f64(), audio_s)
    };
    for (label, parallel) in [("1 thread", false), ("rayon pool", true)] {
        let (secs, audio_s) = time(parallel);
        writeln!(
            out,
            "synth {label:>10} ({} threads): {n} clips in {secs:.3} s = {:.0} clips/s, {:.3} s per 100 clips, {:.0}x real time",
            if parallel {
                rayon::current_num_threads()
            } else {
                1
            },
            n as f64 / secs,
            secs * 100.0 / n as f64,
            audio_s / secs,
        )?;
    }
    Ok(())
}

/// This process's CPU time so far (user + system, all threads), seconds.
fn cpu_seconds() -> f64 {
    // Safety: getrusage only writes the struct it is given.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut ru) } != 0 {
        return f64::NAN;
    }
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 * 1e-6;
    tv(ru.ru_utime) + tv(ru.ru_stime)
}

/// Cold extraction (no cache) of `preset`, `runs` times: (median wall s, its CPU s).
fn time_preset(
    corpus: &crate::corpus::Corpus,
    preset: Preset,
    runs: usize,
) -> Result<Vec<(f64, f64)>> {
    let cfg = FeatureConfig::preset(preset);
    let none = |_: usize, _: usize| {};
    let mut times = (0..runs)
        .map(|_| {
            let (start, cpu) = (std::time::Instant::now(), cpu_seconds());
            extract_corpus(corpus, &cfg, None, &CancelToken::new(), &none)
                .map(|_| (start.elapsed().as_secs_f64(), cpu_seconds() - cpu))
        })
        .collect::<Result<Vec<_>, _>>()?;
    times.sort_by(|a, b| a.0.total_cmp(&b.0));
    Ok(times)
}

/// The first "<number> ms/clip" of a peer's line.
fn peer_ms_per_clip(text: &str) -> Option<f64> {
    text.split(" ms/clip")
        .next()
        .and_then(|head| head.rsplit(' ').next())
        .and_then(|v| v.parse::<f64>().ok())
}

/// Times feature extraction over the corpus: each preset cold (no cache; wall and CPU time),
/// then a cached re-run, then the peers on the same files when python3 has them: librosa's
/// classic pipeline (benches/librosa_features.py) beside `classic`, openSMILE's ComParE-2016
/// and eGeMAPS (benches/opensmile_features.py) beside `large` and `prosody`.
pub(super) fn bench_features(args: &CorpusArgs, limit: usize, out: &mut dyn Write) -> Result<()> {
    let mut corpus = open(&args.spec(), args)?;
    corpus.clips.truncate(limit.max(1));
    let n = corpus.clips.len();
    let audio_s: f64 = corpus.clips.iter().map(|c| c.duration).sum();
    writeln!(
        out,
        "corpus {} : {n} clips, {audio_s:.0} s of audio, {} rayon threads",
        corpus.spec,
        rayon::current_num_threads()
    )?;
    let ms = cold_presets(&corpus, audio_s, out)?;
    cache_rerun(&corpus, out)?;
    if let Some(kib) = peak_rss_kib() {
        writeln!(
            out,
            "peak memory (VmHWM): {:.1} MiB for {n} clips",
            kib as f64 / 1024.0
        )?;
    }
    compare_with_peers(&corpus, &ms, out)
}

/// Each preset cold (no cache), median of a few runs: wall and CPU ms per clip, by preset.
fn cold_presets(
    corpus: &crate::corpus::Corpus,
    audio_s: f64,
    out: &mut dyn Write,
) -> Result<std::collections::HashMap<Preset, f64>> {
    let n = corpus.clips.len();
    // The quick presets are timed over 5 cold runs and the median reported (one run is about
    // a second and this shared machine's speed varies ±15 % from run to run); `full` once.
    let mut ms = std::collections::HashMap::new();
    for (preset, runs) in [
        (Preset::Classic, 5),
        (Preset::ClassicContrast, 1),
        (Preset::Prosody, 3),
        (Preset::Full, 1),
        (Preset::Large, 3),
    ] {
        let times = time_preset(corpus, preset, runs)?;
        let (secs, cpu) = times[times.len() / 2];
        let per = |s: f64| s * 1000.0 / n as f64;
        let spread = if runs > 1 {
            format!(
                " (median of {runs}; {:.2}–{:.2})",
                per(times[0].0),
                per(times[runs - 1].0)
            )
        } else {
            String::new()
        };
        writeln!(
            out,
            "emoscope {:<17} cold  : {secs:7.3} s = {:7.1} clips/s, {:6.0}x real time, {:.2} ms/clip, CPU {:.2} ms/clip{spread}",
            preset.to_string(),
            n as f64 / secs,
            audio_s / secs,
            per(secs),
            per(cpu)
        )?;
        ms.insert(preset, per(secs));
    }
    Ok(ms)
}

/// The classic preset through a fresh cache, then again from it.
fn cache_rerun(corpus: &crate::corpus::Corpus, out: &mut dyn Write) -> Result<()> {
    let dir = tempfile_dir()?;
    let cache = FeatureCache::new(&dir);
    let cfg = FeatureConfig::preset(Preset::Classic);
    let none = |_: usize, _: usize| {};
    let start = std::time::Instant::now();
    extract_corpus(corpus, &cfg, Some(&cache), &CancelToken::new(), &none)?;
    let first = start.elapsed().as_secs_f64();
    let start = std::time::Instant::now();
    let t = extract_corpus(corpus, &cfg, Some(&cache), &CancelToken::new(), &none)?;
    let second = start.elapsed().as_secs_f64();
    let _ = std::fs::remove_dir_all(&dir);
    writeln!(
        out,
        "emoscope classic cache: first run {first:.3} s, re-run {second:.4} s ({} hits) = {:.0}x faster",
        t.cache_hits,
        first / second
    )?;
    Ok(())
}

/// librosa and openSMILE on the same files (when python3 has them), and the speed-ups.
fn compare_with_peers(
    corpus: &crate::corpus::Corpus,
    ms: &std::collections::HashMap<Preset, f64>,
    out: &mut dyn Write,
) -> Result<()> {
    let n = corpus.clips.len();
    let Some(root) = corpus.root() else {
        writeln!(
            out,
            "librosa, openSMILE: not run (need a --corpus folder of WAV files)"
        )?;
        return Ok(());
    };
    let threads = rayon::current_num_threads();
    let peer_args = [root.as_os_str().to_owned(), n.to_string().into()];
    // (peer, script, [(our preset, the peer line it is compared with)])
    type Peer<'a> = (&'a str, &'a str, &'a [(Preset, &'a str)]);
    let peers: [Peer; 2] = [
        (
            "librosa",
            "benches/librosa_features.py",
            &[(Preset::Classic, "librosa")],
        ),
        (
            "openSMILE",
            "benches/opensmile_features.py",
            &[
                (Preset::Large, "openSMILE ComParE_2016"),
                (Preset::Prosody, "openSMILE eGeMAPSv02"),
            ],
        ),
    ];
    for (peer, script, pairs) in peers {
        let Some(text) = run_peer(out, peer, script, &peer_args)? else {
            continue;
        };
        out.write_all(text.as_bytes())?;
        for (preset, label) in pairs {
            let theirs = text
                .lines()
                .find(|l| l.starts_with(label))
                .and_then(peer_ms_per_clip);
            if let (Some(p), Some(e)) = (theirs, ms.get(preset)) {
                writeln!(
                    out,
                    "{preset} preset, cold: {:.1}x faster than {label} (emoscope on {threads} threads, {peer} 1 process)",
                    p / e
                )?;
            }
        }
    }
    Ok(())
}

fn tempfile_dir() -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("emoscope-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    Ok(dir)
}

/// The process's peak resident memory from /proc (Linux), in KiB.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
