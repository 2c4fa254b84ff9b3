//! Corpus extraction: failures are skipped and reported, the cache makes re-runs do no DSP,
//! cancellation stops the job, and the CSV has the RAVDESS columns then the named features.

use emoscope::audio::LoadOptions;
use emoscope::cli::write_synthetic;
use emoscope::corpus::{Corpus, CorpusSpec, Emotion};
use emoscope::features::extract::{CancelToken, FeatureCache, extract_corpus};
use emoscope::features::{FeatureConfig, Preset};

fn small_corpus(dir: &std::path::Path) -> Corpus {
    write_synthetic(dir, 11, &[5], &[Emotion::Happy], None).unwrap();
    // One broken file among the good ones.
    std::fs::write(dir.join("Actor_05/03-01-02-01-01-01-05.wav"), b"RIFF").unwrap();
    Corpus::open(
        &CorpusSpec::directory(dir.to_path_buf()),
        &LoadOptions::default(),
    )
    .unwrap()
}

#[test]
fn extraction_skips_bad_clips_and_caches() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = small_corpus(tmp.path());
    assert_eq!(corpus.clips.len(), 8);
    assert_eq!(
        corpus.problems.len(),
        1,
        "the broken file is reported by the scan"
    );
    // Make one scanned clip fail at extraction time too: truncate it after the scan.
    let victim = corpus.clips[0].location();
    std::fs::write(&victim, b"not a wav any more").unwrap();

    let cache = FeatureCache::new(tmp.path().join("cache"));
    let cfg = FeatureConfig::preset(Preset::ClassicContrast);
    let calls = std::sync::atomic::AtomicUsize::new(0);
    let progress = |_: usize, total: usize| {
        assert_eq!(total, 8);
        calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    };
    let first =
        extract_corpus(&corpus, &cfg, Some(&cache), &CancelToken::new(), &progress).unwrap();
    assert_eq!(calls.into_inner(), 8);
    assert_eq!(first.rows.len(), 7);
    assert_eq!(first.failures.len(), 1);
    assert!(first.failures[0].0.ends_with(&victim[victim.len() - 24..]));
    assert_eq!(first.cache_hits, 0);
    assert!(
        first
            .rows
            .iter()
            .all(|r| r.values.len() == 187 && r.values.iter().all(|v| v.is_finite()))
    );

    let second =
        extract_corpus(&corpus, &cfg, Some(&cache), &CancelToken::new(), &|_, _| {}).unwrap();
    assert_eq!(second.cache_hits, 7);
    assert_eq!(second.rows, first.rows);

    // Another configuration does not reuse those entries.
    let other = FeatureConfig::preset(Preset::Classic);
    let third = extract_corpus(
        &corpus,
        &other,
        Some(&cache),
        &CancelToken::new(),
        &|_, _| {},
    )
    .unwrap();
    assert_eq!(third.cache_hits, 0);
    assert_eq!(third.rows[0].values[..180], first.rows[0].values[..180]);

    // A corrupt cache entry is recomputed, not trusted.
    for e in walkdir::WalkDir::new(tmp.path().join("cache"))
        .into_iter()
        .filter_map(Result::ok)
    {
        if e.file_type().is_file() {
            std::fs::write(e.path(), b"junk").unwrap();
        }
    }
    let fourth =
        extract_corpus(&corpus, &cfg, Some(&cache), &CancelToken::new(), &|_, _| {}).unwrap();
    assert_eq!(fourth.cache_hits, 0);
    assert_eq!(fourth.rows, first.rows);
}

#[test]
fn cancelling_stops_the_job() {
    let corpus = Corpus::synthetic();
    let cancel = CancelToken::new();
    let c = cancel.clone();
    let result = extract_corpus(
        &corpus,
        &FeatureConfig::default(),
        None,
        &cancel,
        &move |done, _| {
            if done >= 4 {
                c.cancel();
            }
        },
    );
    assert!(result.is_err());
}

#[test]
fn csv_has_ravdess_columns_then_features() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = small_corpus(tmp.path());
    let table = extract_corpus(
        &corpus,
        &FeatureConfig::default(),
        None,
        &CancelToken::new(),
        &|_, _| {},
    )
    .unwrap();
    let csv = table.to_csv();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(&header[..4], &["file", "actor", "sex", "emotion_code"]);
    assert_eq!(header[10], "mfcc_mean_00");
    assert_eq!(header.len(), 10 + 180);
    let row: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(row.len(), header.len());
    assert_eq!(row[1], "5");
    assert_eq!(row[2], "male");
    assert_eq!(row[4], "happy");
    assert!(
        row[10..]
            .iter()
            .all(|v| v.parse::<f32>().is_ok_and(f32::is_finite))
    );
}

#[test]
fn prosody_and_full_vectors_are_named_and_finite() {
    use emoscope::features::summarise;
    let corpus = Corpus::synthetic();
    let clip = &corpus.clips[100];
    let audio = clip.load(&LoadOptions::default()).unwrap();
    for (preset, min_dims) in [
        (Preset::Prosody, 40),
        (Preset::Full, 187 + 40 + 12 + 7 + 80 + 14 + 40),
    ] {
        let cfg = FeatureConfig::preset(preset);
        let names = cfg.names();
        let values = summarise(&audio, &cfg);
        assert_eq!(names.len(), values.len(), "{preset}");
        assert!(names.len() >= min_dims, "{preset}: {} dims", names.len());
        let unique: std::collections::HashSet<_> = names.iter().collect();
        assert_eq!(unique.len(), names.len(), "{preset}: duplicate names");
        assert!(values.iter().all(|v| v.is_finite()), "{preset}");
        let f0 = values[names.iter().position(|n| n == "f0_semitone_p50").unwrap()];
        // The synthetic voices speak at 85-270 Hz: 21-40 semitones above 27.5 Hz.
        assert!((20.0..42.0).contains(&f0), "{preset}: f0 {f0} st");
    }
}

/// A folder name with a comma, a quote and a newline: the CSV stays one record per clip (RFC
/// 4180 quoting; only `,` and `"` used to be quoted, so a newline broke the file).
#[test]
fn csv_quotes_awkward_folder_names() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("odd, \"name\"\nhere");
    let corpus = emoscope::corpus::Corpus::open(
        &{
            emoscope::cli::write_synthetic(&dir, 5, &[5], &[Emotion::Happy], Some(2)).unwrap();
            emoscope::corpus::CorpusSpec::directory(dir.clone())
        },
        &LoadOptions::default(),
    )
    .unwrap();
    let table = extract_corpus(
        &corpus,
        &FeatureConfig::default(),
        None,
        &CancelToken::new(),
        &|_, _| {},
    )
    .unwrap();
    let csv = table.to_csv();
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    for row in &rows {
        assert_eq!(row.len(), 10 + 180);
        assert!(row[0].contains("odd, \"name\"\nhere"), "{:?}", &row[0]);
    }
}

#[test]
fn large_vectors_are_named_finite_and_voiced() {
    use emoscope::features::functionals::LARGE_DIMS;
    use emoscope::features::summarise;
    let corpus = Corpus::synthetic();
    let cfg = FeatureConfig::preset(Preset::Large);
    let names = cfg.names();
    assert_eq!(names.len(), LARGE_DIMS);
    let unique: std::collections::HashSet<_> = names.iter().collect();
    assert_eq!(unique.len(), names.len(), "duplicate names");
    let col = |n: &str| names.iter().position(|x| x == n).unwrap();
    for clip in [&corpus.clips[100], &corpus.clips[7]] {
        let audio = clip.load(&LoadOptions::default()).unwrap();
        let values = summarise(&audio, &cfg);
        assert_eq!(values.len(), names.len());
        assert!(values.iter().all(|v| v.is_finite()));
        let f0 = values[col("f0_semitone_median")];
        assert!((20.0..42.0).contains(&f0), "f0 {f0} st");
        // Voiced speech: jitter of a few per cent at most, positive HNR at the median.
        assert!(values[col("jitter_local_mean")] < 0.1);
        assert!(values[col("hnr_q3")] > 0.0);
        assert!(values[col("loudness_max")] > values[col("loudness_min")]);
    }
    // Degenerate input gives numbers, not NaN.
    let silence = emoscope::audio::Audio {
        samples: vec![0.0; 10],
        sample_rate: 48000,
        source_rate: 48000,
        source_channels: 1,
        encoding: emoscope::audio::SampleEncoding::Synthetic,
    };
    assert!(summarise(&silence, &cfg).iter().all(|v| v.is_finite()));
}

/// The `large` CSV header: every column name, in order. A change here changes what saved
/// models and exported tables mean, so it is reviewed as a snapshot.
#[test]
fn large_header_is_stable() {
    insta::assert_snapshot!(FeatureConfig::preset(Preset::Large).names().join("\n"));
}
