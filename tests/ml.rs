//! The classifier engine: leakage, the event stream, cancellation, saved models, bad input.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use emoscope::corpus::{Actor, ClipId, Emotion, Intensity, Modality, Statement, VocalChannel};
use emoscope::jobs::CancelToken;
use emoscope::ml::dataset::Dataset;
use emoscope::ml::experiment::{ExperimentError, ExperimentSpec, JobEvent, run};
use emoscope::ml::grid::build_grid;
use emoscope::ml::models::{Metric, ModelSpec, Weights};
use emoscope::ml::protocol::Protocol;
use rand::{RngExt, SeedableRng};

const EMOTIONS: [Emotion; 4] = [
    Emotion::Neutral,
    Emotion::Happy,
    Emotion::Sad,
    Emotion::Angry,
];

/// 24 actors × 20 clips. Every clip of an actor has the same label (actor mod 4), and the
/// features are the actor's random signature plus noise: the label is predictable only
/// through who is speaking.
fn speaker_only_dataset() -> Dataset {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
    let d = 8;
    let (mut x, mut y, mut ids) = (Vec::new(), Vec::new(), Vec::new());
    for a in 1..=24u16 {
        let signature: Vec<f64> = (0..d).map(|_| rng.random_range(-3.0..3.0)).collect();
        let label = usize::from(a % 4);
        for clip in 0..20u8 {
            x.extend(signature.iter().map(|s| s + rng.random_range(-0.3..0.3)));
            y.push(label);
            ids.push(ClipId {
                modality: Modality::AudioOnly,
                channel: VocalChannel::Speech,
                emotion: EMOTIONS[label],
                intensity: if clip % 2 == 0 {
                    Intensity::Normal
                } else {
                    Intensity::Strong
                },
                statement: Statement::Kids,
                repetition: 1,
                actor: Actor::new(a).unwrap(),
            });
        }
    }
    let mut classes = EMOTIONS.to_vec();
    classes.sort();
    // Labels index the sorted class list.
    let y = y
        .iter()
        .map(|&l| classes.iter().position(|&c| c == EMOTIONS[l]).unwrap())
        .collect();
    Dataset {
        names: (0..d).map(|i| format!("f{i}")).collect(),
        x,
        n_features: d,
        y,
        classes,
        ids,
    }
}

fn knn1() -> Vec<ModelSpec> {
    vec![ModelSpec::Knn {
        k: 1,
        weights: Weights::Uniform,
        metric: Metric::Euclidean,
    }]
}

fn spec(grid: Vec<ModelSpec>, protocol: Protocol) -> ExperimentSpec {
    ExperimentSpec {
        grid,
        protocol,
        smote_k: None,
        speaker_norm: false,
        inner_folds: 3,
        seed: 1,
        select: Vec::new(),
        enrol: None,
        test_corpus: None,
    }
}

#[test]
fn speaker_leakage_shows_in_random_splits_only() {
    let ds = speaker_only_dataset();
    let none = |_: JobEvent| {};
    let random = run(
        &ds,
        &spec(
            knn1(),
            Protocol::Random {
                test_fraction: 0.2,
                seed: 0,
            },
        ),
        &CancelToken::new(),
        &none,
    )
    .unwrap();
    let actor = run(
        &ds,
        &spec(knn1(), Protocol::ActorKFold { k: 6 }),
        &CancelToken::new(),
        &none,
    )
    .unwrap();
    let loso = run(
        &ds,
        &spec(knn1(), Protocol::Loso),
        &CancelToken::new(),
        &none,
    )
    .unwrap();
    assert!(
        random.scores.uar > 0.95,
        "random split UAR {}",
        random.scores.uar
    );
    for r in [&actor, &loso] {
        assert!(
            r.scores.uar < 0.45,
            "{}: UAR {} should be near chance (0.25)",
            r.spec.protocol,
            r.scores.uar
        );
    }
    // No actor is ever on both sides of a speaker-independent split.
    for f in (Protocol::ActorKFold { k: 6 }).folds(&ds).unwrap() {
        for &t in &f.test {
            assert!(f.train.iter().all(|&r| ds.ids[r].actor != ds.ids[t].actor));
        }
    }
}

#[test]
fn events_arrive_in_order_and_progress_reaches_total() {
    let ds = speaker_only_dataset();
    let log = Mutex::new(Vec::new());
    let grid = build_grid("knn", &["k=1,3,5".into()]).unwrap();
    let report = run(
        &ds,
        &spec(grid, Protocol::ActorKFold { k: 4 }),
        &CancelToken::new(),
        &|e| log.lock().unwrap().push(e),
    )
    .unwrap();
    let log = log.into_inner().unwrap();
    let JobEvent::Started { total } = log[0] else {
        panic!("first event {:?}", log[0])
    };
    assert_eq!(total, 4 * (3 * 3 + 1));
    let progress: Vec<usize> = log
        .iter()
        .filter_map(|e| match e {
            JobEvent::Progress { done, .. } => Some(*done),
            _ => None,
        })
        .collect();
    assert_eq!(progress, (1..=total).collect::<Vec<_>>());
    let folds: Vec<&JobEvent> = log
        .iter()
        .filter(|e| matches!(e, JobEvent::FoldDone { .. }))
        .collect();
    assert_eq!(folds.len(), 4);
    // The confusion matrix so far grows with every fold and ends as the pooled one.
    let totals: Vec<u64> = folds
        .iter()
        .map(|e| match e {
            JobEvent::FoldDone {
                confusion_so_far, ..
            } => confusion_so_far.total(),
            _ => 0,
        })
        .collect();
    assert!(totals.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(*totals.last().unwrap(), ds.len() as u64);
    match log.last().unwrap() {
        JobEvent::Finished(r) => assert_eq!(**r, report),
        other => panic!("last event {other:?}"),
    }
}

#[test]
fn cancel_stops_a_long_job() {
    // A forest grid large enough to take many seconds.
    let ds = speaker_only_dataset();
    let grid = build_grid("rf", &["trees=400".into(), "split=2,3,4,5,6,7".into()]).unwrap();
    let cancel = CancelToken::new();
    let log = Mutex::new(Vec::new());
    let c2 = cancel.clone();
    let canceller = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        c2.cancel();
        Instant::now()
    });
    let result = run(&ds, &spec(grid, Protocol::Loso), &cancel, &|e| {
        log.lock().unwrap().push(e)
    });
    let ended = Instant::now();
    let cancelled_at = canceller.join().unwrap();
    assert!(
        matches!(result, Err(ExperimentError::Cancelled)),
        "{:?}",
        result.map(|r| r.scores)
    );
    let log = log.into_inner().unwrap();
    assert_eq!(log.last(), Some(&JobEvent::Cancelled));
    let JobEvent::Started { total } = log[0] else {
        panic!()
    };
    let done = log
        .iter()
        .filter(|e| matches!(e, JobEvent::Progress { .. }))
        .count();
    assert!(done < total / 2, "{done} of {total} steps ran after cancel");
    // Generous bound for debug builds on a loaded machine; release stops in well under 1 s.
    let late = ended.saturating_duration_since(cancelled_at);
    assert!(
        late < Duration::from_secs(3),
        "stopped {late:?} after cancel"
    );
}

#[test]
fn bad_training_input_gets_clear_errors() {
    let ds = speaker_only_dataset();
    // SMOTE with more neighbours than a class has samples in a fold.
    let mut s = spec(knn1(), Protocol::ActorKFold { k: 6 });
    s.smote_k = Some(200);
    let err = run(&ds, &s, &CancelToken::new(), &|_| {}).unwrap_err();
    assert!(
        err.to_string()
            .contains("SMOTE with k = 200 needs at least 201"),
        "{err}"
    );
    // An empty table.
    let empty = emoscope::features::extract::FeatureTable {
        config: Default::default(),
        names: vec![],
        rows: vec![],
        failures: vec![],
        cache_hits: 0,
    };
    assert_eq!(
        Dataset::from_table(&empty).unwrap_err().to_string(),
        "the training set is empty"
    );
    // A protocol the data cannot support.
    let err = run(
        &ds,
        &spec(
            knn1(),
            Protocol::Holdout {
                test_actors: vec![30],
            },
        ),
        &CancelToken::new(),
        &|_| {},
    )
    .unwrap_err();
    assert!(err.to_string().contains("not in the data"), "{err}");
    assert!("holdout:".parse::<Protocol>().is_err());
    assert!("actor-kfold:x".parse::<Protocol>().is_err());
    // Specs no parser makes but a session file can hold: refused before the run starts
    // (selection 0 and stratified k-fold 0 or past the clips used to panic inside it).
    let refused = |s: ExperimentSpec, says: &str| {
        let err = run(&ds, &s, &CancelToken::new(), &|_| {}).unwrap_err();
        assert!(err.to_string().contains(says), "{says}: {err}");
    };
    let base = spec(knn1(), Protocol::Loso);
    refused(
        ExperimentSpec {
            select: vec![0],
            ..base.clone()
        },
        "select: 0 features",
    );
    for k in [0, usize::MAX] {
        refused(
            spec(knn1(), Protocol::StratifiedKFold { k, seed: 0 }),
            &format!("kfold:{k}"),
        );
    }
    // A test fraction that rounds to no clip used to score UAR 0 on nothing.
    refused(
        spec(
            knn1(),
            Protocol::Random {
                test_fraction: 1e-6,
                seed: 0,
            },
        ),
        "fold 1 has no test rows",
    );
    refused(
        ExperimentSpec {
            smote_k: Some(0),
            ..base.clone()
        },
        "smote_k: 0",
    );
    refused(
        spec(
            vec![ModelSpec::Knn {
                k: 0,
                weights: Weights::Uniform,
                metric: Metric::Euclidean,
            }],
            Protocol::Loso,
        ),
        "grid[0]: knn k=0",
    );
}

#[test]
fn smote_and_speaker_norm_run_inside_folds() {
    let ds = speaker_only_dataset();
    let mut s = spec(
        vec![ModelSpec::Svm {
            kernel: emoscope::ml::models::Kernel::Rbf,
            c: 1.0,
            gamma: emoscope::ml::models::Gamma::Scale,
        }],
        Protocol::ActorKFold { k: 4 },
    );
    s.smote_k = Some(5);
    s.speaker_norm = true;
    let r = run(&ds, &s, &CancelToken::new(), &|_| {}).unwrap();
    assert_eq!(r.pooled.total(), ds.len() as u64);
    // Per-speaker normalisation removes the speaker signature: chance level here.
    assert!(r.scores.uar < 0.45, "{}", r.scores.uar);
}

#[test]
fn spawned_jobs_report_through_a_channel_and_compare() {
    use emoscope::ml::experiment::{compare, spawn};
    let ds = std::sync::Arc::new(speaker_only_dataset());
    let job = spawn(
        ds.clone(),
        spec(
            knn1(),
            Protocol::Random {
                test_fraction: 0.25,
                seed: 2,
            },
        ),
    );
    let events: Vec<JobEvent> = job.events.iter().collect();
    assert!(matches!(events.first(), Some(JobEvent::Started { .. })));
    let Some(JobEvent::Finished(knn)) = events.last() else {
        panic!("{:?}", events.last())
    };
    // Against the majority floor on the same folds, k-NN wins with a tiny p-value.
    let floor = run(
        &ds,
        &spec(
            vec![ModelSpec::Majority],
            Protocol::Random {
                test_fraction: 0.25,
                seed: 2,
            },
        ),
        &CancelToken::new(),
        &|_| {},
    )
    .unwrap();
    let c = compare(knn, &floor).unwrap();
    assert!(c.accuracy_a > c.accuracy_b);
    assert!(c.mcnemar_p < 1e-6, "{}", c.mcnemar_p);
    // Different data or folds cannot be compared.
    let other = run(
        &ds,
        &spec(knn1(), Protocol::ActorKFold { k: 4 }),
        &CancelToken::new(),
        &|_| {},
    )
    .unwrap();
    assert!(compare(knn, &other).is_none());
}

/// The labels of the test speakers replaced: a pipeline that only learns from training rows
/// must predict the test rows identically.
#[test]
fn selection_and_enrolment_never_see_a_test_clips_label() {
    let ds = speaker_only_dataset();
    let test_actors: Vec<u16> = (13..=24).collect();
    let mut relabelled = ds.clone();
    for (i, id) in ds.ids.iter().enumerate() {
        if test_actors.contains(&id.actor.number()) {
            relabelled.y[i] = (ds.y[i] + 1 + i % 3) % ds.n_classes();
        }
    }
    // The check can fail: selection fitted on all rows picks other columns for the new labels.
    use emoscope::ml::select::Selection;
    let all = |d: &Dataset| Selection::k_best(&d.x, &d.y, d.n_features, d.n_classes(), 3).keep;
    assert_ne!(
        all(&ds),
        all(&relabelled),
        "the relabelling must move a leaky selection"
    );
    let mut s = spec(
        build_grid("logreg", &["c=0.1,1".into()]).unwrap(),
        Protocol::Holdout {
            test_actors: test_actors.clone(),
        },
    );
    s.select = vec![2, 3];
    s.speaker_norm = true;
    s.enrol = Some(5);
    let a = run(&ds, &s, &CancelToken::new(), &|_| {}).unwrap();
    let b = run(&relabelled, &s, &CancelToken::new(), &|_| {}).unwrap();
    assert_eq!(a.folds[0].test_rows, b.folds[0].test_rows);
    assert_eq!(a.folds[0].predictions, b.folds[0].predictions);
    assert_eq!(a.folds[0].probabilities, b.folds[0].probabilities);
    assert_eq!(a.folds[0].select, b.folds[0].select);
    assert_eq!(a.normalisation, "per speaker, 5 enrolment clips");
}

#[test]
fn svm_probabilities_are_calibrated_and_votes_unchanged() {
    use emoscope::ml::models::{FitOptions, Gamma, Kernel, fit_with};
    let ds = speaker_only_dataset();
    let svm = ModelSpec::Svm {
        kernel: Kernel::Rbf,
        c: 1.0,
        gamma: Gamma::Scale,
    };
    let (x, y, d, k) = (&ds.x, &ds.y, ds.n_features, ds.n_classes());
    let votes = fit_with(
        &svm,
        x,
        y,
        d,
        k,
        FitOptions {
            calibrate: false,
            seed: 0,
        },
    )
    .unwrap();
    let platt = fit_with(
        &svm,
        x,
        y,
        d,
        k,
        FitOptions {
            calibrate: true,
            seed: 4,
        },
    )
    .unwrap();
    let pv = votes.predict(x, d).unwrap();
    let pp = platt.predict(x, d).unwrap();
    let mut not_vote_share = 0;
    for (a, b) in pv.iter().zip(&pp) {
        assert_eq!(a.0, b.0, "the predicted class stays LIBSVM's vote");
        assert!((b.1.iter().sum::<f64>() - 1.0).abs() < 1e-9, "{:?}", b.1);
        assert!(b.1.iter().all(|p| (0.0..=1.0).contains(p)));
        // Vote shares are multiples of 1/6 for four classes; Platt probabilities are not.
        if b.1
            .iter()
            .any(|p| ((p * 6.0) - (p * 6.0).round()).abs() > 1e-6)
        {
            not_vote_share += 1;
        }
    }
    assert!(not_vote_share > pp.len() / 2);
    // Seeded: the same seed gives the same calibration.
    let again = fit_with(
        &svm,
        x,
        y,
        d,
        k,
        FitOptions {
            calibrate: true,
            seed: 4,
        },
    )
    .unwrap();
    assert_eq!(again.predict(x, d).unwrap(), pp);
}

#[test]
fn ensembles_search_each_member_and_vote_softly() {
    let ds = speaker_only_dataset();
    let (grid, _) = emoscope::ml::grid::build_search(
        "ensemble",
        &["logreg.c=0.1,1".into(), "svm.c=1,10".into()],
    )
    .unwrap();
    let r = run(
        &ds,
        &spec(
            grid,
            Protocol::Random {
                test_fraction: 0.25,
                seed: 0,
            },
        ),
        &CancelToken::new(),
        &|_| {},
    )
    .unwrap();
    let f = &r.folds[0];
    assert!(matches!(&f.chosen, ModelSpec::Ensemble { members } if members.len() == 2));
    assert!(f.inner_uar.is_some());
    for p in &f.probabilities {
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    }
    assert!(
        r.scores.uar > 0.9,
        "speaker-dependent split: {}",
        r.scores.uar
    );
}

#[test]
fn explicit_folds_test_the_named_actors() {
    let ds = speaker_only_dataset();
    let p: Protocol = "folds:1,2,3/4-6/7,8".parse().unwrap();
    assert_eq!(p.to_string(), "folds:1,2,3/4,5,6/7,8");
    let folds = p.folds(&ds).unwrap();
    assert_eq!(folds.len(), 3);
    for (f, want) in folds
        .iter()
        .zip([vec![1u16, 2, 3], vec![4, 5, 6], vec![7, 8]])
    {
        assert_eq!(f.test.len(), want.len() * 20);
        assert!(
            f.test
                .iter()
                .all(|&i| want.contains(&ds.ids[i].actor.number()))
        );
        assert!(
            f.train
                .iter()
                .all(|&i| !want.contains(&ds.ids[i].actor.number()))
        );
    }
    assert!(
        "folds:1,2/2,3"
            .parse::<Protocol>()
            .unwrap_err()
            .to_string()
            .contains("two folds")
    );
    assert!("folds:1".parse::<Protocol>().is_err());
    assert!("folds:1/300".parse::<Protocol>().is_err());
    let err = "folds:1/30"
        .parse::<Protocol>()
        .unwrap()
        .folds(&ds)
        .unwrap_err();
    assert!(err.to_string().contains("fold 2"), "{err}");
}

/// Permutation importance: the one informative feature ranks first with a large drop, noise
/// features drop about nothing, its group leads, and the refitted folds reproduce the run's
/// own UAR exactly. A dataset that is not the run's is refused.
#[test]
fn permutation_importance_finds_the_informative_feature() {
    use emoscope::ml::importance::permutation_importance;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(9);
    let (mut x, mut y, mut ids) = (Vec::new(), Vec::new(), Vec::new());
    for a in 1..=12u16 {
        for clip in 0..18usize {
            let label = clip % 3;
            x.push(label as f64 * 2.0 + rng.random_range(-0.5..0.5));
            x.push(rng.random_range(-1.0..1.0));
            x.push(rng.random_range(-1.0..1.0));
            y.push(label);
            ids.push(ClipId {
                modality: Modality::AudioOnly,
                channel: VocalChannel::Speech,
                emotion: EMOTIONS[label],
                intensity: Intensity::Normal,
                statement: Statement::Kids,
                repetition: 1,
                actor: Actor::new(a).unwrap(),
            });
        }
    }
    let classes = vec![Emotion::Neutral, Emotion::Happy, Emotion::Sad];
    let ds = Dataset {
        names: vec![
            "mfcc_mean_00".into(),
            "chroma_mean_00".into(),
            "f0_semitone_p50".into(),
        ],
        x,
        n_features: 3,
        y,
        classes,
        ids,
    };
    let spec = ExperimentSpec {
        grid: build_grid("svm", &["c=1".to_string()]).unwrap(),
        protocol: Protocol::ActorKFold { k: 3 },
        ..ExperimentSpec::default()
    };
    let report = run(&ds, &spec, &CancelToken::new(), &|_| {}).unwrap();
    let imp = permutation_importance(&ds, &report, 3, &CancelToken::new(), &|_, _| {}).unwrap();
    assert_eq!(
        imp.baseline_uar, report.scores.uar,
        "refitted folds = the run's"
    );
    assert!(report.scores.uar > 0.9, "{}", report.scores.uar);
    assert_eq!(imp.features[0].name, "mfcc_mean_00");
    assert!(imp.features[0].drop > 0.4, "{:?}", imp.features[0]);
    for noise in &imp.features[1..] {
        assert!(noise.drop.abs() < 0.1, "{noise:?}");
    }
    assert_eq!(imp.groups[0].name, "MFCC");
    assert_eq!(imp.groups.len(), 3);
    // Another dataset than the run's is refused.
    let mut other = ds.clone();
    other.ids.swap(0, 20);
    assert!(permutation_importance(&other, &report, 1, &CancelToken::new(), &|_, _| {}).is_err());
}

/// The Compare table's numbers: ranks by pooled UAR, the fold spread, a paired test against
/// the best on the same folds, none across different folds.
#[test]
fn a_leaderboard_ranks_runs_and_tests_each_against_the_best() {
    use emoscope::ml::leaderboard::{VsBest, fold_uar_std, leaderboard};
    let ds = speaker_only_dataset();
    let spec = |grid: Vec<ModelSpec>, protocol: Protocol| ExperimentSpec {
        grid,
        protocol,
        ..ExperimentSpec::default()
    };
    let go = |s: ExperimentSpec| run(&ds, &s, &CancelToken::new(), &|_| {}).unwrap();
    let knn = go(spec(knn1(), Protocol::StratifiedKFold { k: 4, seed: 0 }));
    let majority = go(spec(
        vec![ModelSpec::Majority],
        Protocol::StratifiedKFold { k: 4, seed: 0 },
    ));
    // Another set of clips (one actor fewer): no paired test with the others is possible.
    let mut fewer = ds.clone();
    let keep = fewer.len() - 20;
    fewer.x.truncate(keep * fewer.n_features);
    fewer.y.truncate(keep);
    fewer.ids.truncate(keep);
    let other_clips = run(
        &fewer,
        &spec(knn1(), Protocol::StratifiedKFold { k: 4, seed: 0 }),
        &CancelToken::new(),
        &|_| {},
    )
    .unwrap();
    let board = leaderboard(&[&majority, &knn, &other_clips]);
    // k-NN on speaker-dependent folds recognises the speakers: it is best.
    assert_eq!(board[1].rank, 1);
    assert_eq!(board[1].vs_best, VsBest::Best);
    // A tie shares the better rank (the other 1-NN also scores 1.0).
    assert_eq!((board[2].rank, board[0].rank), (1, 3));
    match &board[0].vs_best {
        VsBest::Compared(c) => assert!(c.mcnemar_p < 0.001, "{c:?}"),
        other => panic!("{other:?}"),
    }
    // On other clips it is the best of its own clips, not tested against the others.
    assert_eq!(board[2].vs_best, VsBest::Best);
    // The spread is the sample std of the fold UARs.
    let u: Vec<f64> = knn.folds.iter().map(|f| f.scores.uar).collect();
    let m = u.iter().sum::<f64>() / 4.0;
    let sd = (u.iter().map(|x| (x - m).powi(2)).sum::<f64>() / 3.0).sqrt();
    assert!((fold_uar_std(&knn).unwrap() - sd).abs() < 1e-12);
    assert_eq!(board[1].fold_uar_std, Some(fold_uar_std(&knn).unwrap()));
}

/// The final fit's estimate (shown while a model is saved) comes from the folds' own fits
/// of the model: their mean scaled by all clips over a fold's training clips, squared for
/// an SVM; unknown without a timed fold.
#[test]
fn the_final_fit_is_estimated_from_the_folds_fits() {
    let ds = speaker_only_dataset();
    let spec = ExperimentSpec {
        grid: knn1(),
        protocol: Protocol::StratifiedKFold { k: 4, seed: 0 },
        ..ExperimentSpec::default()
    };
    let mut report = run(&ds, &spec, &CancelToken::new(), &|_| {}).unwrap();
    for f in &report.folds {
        assert!(
            f.final_fit_seconds > 0.0 && f.final_fit_seconds <= f.fit_seconds,
            "{f:?}"
        );
    }
    let n = report.ids.len();
    let train: f64 = report
        .folds
        .iter()
        .map(|f| (n - f.test_rows.len()) as f64)
        .sum::<f64>()
        / 4.0;
    for (i, f) in report.folds.iter_mut().enumerate() {
        f.final_fit_seconds = [1.0, 2.0, 3.0, 2.0][i];
        f.fit_seconds = 4.0;
    }
    // The folds ran one after another (their times add up to the run's).
    report.seconds = 16.0;
    let est = report.final_fit_estimate(n).unwrap().as_secs_f64();
    assert!((est - 2.0 * n as f64 / train).abs() < 1e-9, "{est}");
    // Two at a time on two cores: each fold's fit took twice what one alone takes.
    if std::thread::available_parallelism().map_or(1, |c| c.get()) >= 2 {
        report.seconds = 8.0;
        let half = report.final_fit_estimate(n).unwrap().as_secs_f64();
        assert!((half - est / 2.0).abs() < 1e-9, "{half}");
        report.seconds = 16.0;
    }
    let svm = ModelSpec::Svm {
        kernel: emoscope::ml::models::Kernel::Rbf,
        c: 1.0,
        gamma: emoscope::ml::models::Gamma::Scale,
    };
    for f in &mut report.folds {
        f.chosen = svm.clone();
    }
    let est = report.final_fit_estimate(2 * n).unwrap().as_secs_f64();
    assert!(
        (est - 2.0 * (2.0 * n as f64 / train).powi(2)).abs() < 1e-9,
        "{est}"
    );
    // Untimed (an older session) or nonsense times: no estimate rather than a wrong one.
    for f in &mut report.folds {
        f.final_fit_seconds = f64::NAN;
    }
    assert_eq!(report.final_fit_estimate(n), None);
    report.folds[0].final_fit_seconds = 1e300;
    assert_eq!(report.final_fit_estimate(n), None);
}
