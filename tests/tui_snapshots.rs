//! Every pane at 80×24 and 160×48 on the synthetic corpus (ratatui TestBackend + insta),
//! including the help overlay, NO_COLOR mode and an error state; plus the update logic.

use std::sync::Arc;

use emoscope::corpus::{ClipId, Corpus, CorpusSpec};
use emoscope::tui::app::App;
use emoscope::tui::input::Edit;
use emoscope::tui::msg::{Action, AppEvent, ClipKey, Pane};
use emoscope::tui::panes::corpus::Focus;
use emoscope::tui::panes::inspect::InspectView;
use emoscope::tui::theme::{ColorMode, Theme};
use emoscope::tui::{clip_view, ui};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn render(app: &App, mode: ColorMode, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| {
        ui::draw(f, app, &Theme::new(mode));
    })
    .unwrap();
    t.backend().to_string()
}

fn opened() -> App {
    let (mut app, cmds) = App::new(CorpusSpec::default());
    assert_eq!(cmds.len(), 1);
    app.event(AppEvent::CorpusOpened(Ok(Corpus::synthetic())));
    app
}

/// Actor 03, angry, first clip, inspected (the analysis done here, synchronously).
fn inspecting() -> App {
    let mut app = opened();
    for a in [
        Action::Down,
        Action::Down,
        Action::Right,
        Action::Right,
        Action::Right,
        Action::Right,
        Action::Enter,
    ] {
        app.update(a);
    }
    let cmds = app.update(Action::Enter);
    assert_eq!(app.pane, Pane::Inspect);
    let key = app.inspect.inspected.clone().unwrap();
    let id = ClipId::parse("03-01-05-01-01-01-03").unwrap();
    assert_eq!(key, ClipKey::Corpus(id));
    assert_eq!(cmds.len(), 1, "one analysis requested");
    let clip = Corpus::synthetic().clip(&id).unwrap().clone();
    let view = clip_view(&clip).unwrap();
    app.event(AppEvent::Analysed(key, Ok(Arc::new(view))));
    app
}

fn both_sizes(name: &str, app: &App, mode: ColorMode) {
    insta::assert_snapshot!(format!("{name}_80x24"), render(app, mode, 80, 24));
    insta::assert_snapshot!(format!("{name}_160x48"), render(app, mode, 160, 48));
}

#[test]
fn corpus_pane() {
    let mut app = opened();
    both_sizes("corpus", &app, ColorMode::TrueColor);
    app.update(Action::Down);
    app.update(Action::Enter);
    app.update(Action::CycleSex);
    assert_eq!(app.corpus.focus, Focus::Clips);
    both_sizes("corpus_clips_filtered", &app, ColorMode::TrueColor);
    app.update(Action::ToggleProblems);
    both_sizes("corpus_problems", &app, ColorMode::TrueColor);

    // A scan's problems are wrapped, never cut; those that do not fit are counted.
    let mut corpus = app.shared.corpus.clone().unwrap();
    corpus.problems = (1..=12)
        .map(|i| emoscope::corpus::Problem {
            path: format!("/data/SAVEE/AudioData/DC/z{i:02}.wav").into(),
            kind: emoscope::corpus::ProblemKind::BadName(format!(
                "not a SAVEE name: SAVEE emotion 'z' is not one of: a d f h n sa su ({i})"
            )),
        })
        .collect();
    app.event(AppEvent::CorpusOpened(Ok(corpus)));
    assert!(app.corpus.show_problems);
    let small = render(&app, ColorMode::Mono, 80, 24);
    assert!(small.contains("(1) (skipped)"), "{small}");
    assert!(
        small.contains("9 more (PgDn): `emoscope --corpus FOLDER scan`"),
        "{small}"
    );
    let large = render(&app, ColorMode::Mono, 160, 48);
    assert!(large.contains("(12) (skipped)"), "{large}");
    both_sizes("corpus_problems_wrapped", &app, ColorMode::Mono);
    // PgDn / PgUp / End / Home scroll them while they are shown (the grid stays put).
    let actor = app.corpus.actor;
    app.update(Action::PageDown);
    let screen = render(&app, ColorMode::Mono, 80, 24);
    assert!(
        screen.contains("Problems (12) from #6 (PgUp/PgDn)"),
        "{screen}"
    );
    assert!(
        screen.contains("z06.wav") && !screen.contains("z05.wav"),
        "{screen}"
    );
    app.update(Action::End);
    let screen = render(&app, ColorMode::Mono, 80, 24);
    assert!(
        screen.contains("from #12") && screen.contains("(12) (skipped)"),
        "{screen}"
    );
    assert!(!screen.contains("more (PgDn)"), "{screen}");
    app.update(Action::PageUp);
    assert!(render(&app, ColorMode::Mono, 80, 24).contains("from #7"));
    app.update(Action::Home);
    assert!(!render(&app, ColorMode::Mono, 80, 24).contains("from #"));
    assert_eq!(app.corpus.actor, actor);
    // The wheel over them scrolls them one at a time; over the grid it still moves there.
    use emoscope::tui::hits::{Surface, Target};
    app.update(Action::Scrolled(Target::Over(Surface::Problems), true));
    assert!(render(&app, ColorMode::Mono, 80, 24).contains("from #2"));
    app.update(Action::Scrolled(Target::Over(Surface::Problems), false));
    assert!(!render(&app, ColorMode::Mono, 80, 24).contains("from #"));
    app.update(Action::Scrolled(Target::Over(Surface::Grid), true));
    assert_eq!(app.corpus.actor, actor + 1);
}

/// Another corpus's layout: its speakers (CREMA-D's 91 actors scroll) × its own emotions, its
/// sentences and labels in the clip list.
#[test]
fn corpus_pane_of_other_corpora() {
    use emoscope::corpus::{CorpusFormat, synth};
    for (format, name) in [
        (CorpusFormat::EmoDb, "corpus_emodb"),
        (CorpusFormat::CremaD, "corpus_crema_d"),
    ] {
        let spec = CorpusSpec::Synthetic {
            seed: synth::DEFAULT_SEED,
            format,
        };
        let (mut app, _) = App::new(spec.clone());
        app.event(AppEvent::CorpusOpened(Ok(synth::corpus_of(
            format,
            synth::DEFAULT_SEED,
        ))));
        for _ in 0..6 {
            app.update(Action::Right);
        }
        app.update(Action::End);
        app.update(Action::Enter);
        both_sizes(name, &app, ColorMode::Mono);
    }
}

#[test]
fn help_overlay_and_error_state() {
    let mut app = opened();
    app.update(Action::ToggleHelp);
    both_sizes("help_corpus", &app, ColorMode::TrueColor);
    let (mut broken, _) = App::new(CorpusSpec::directory("/no/such/ravdess"));
    broken.event(AppEvent::CorpusOpened(Err(
        "/no/such/ravdess: No such file or directory (os error 2)".into(),
    )));
    both_sizes("error", &broken, ColorMode::TrueColor);
}

#[test]
fn inspect_pane_views_and_no_color() {
    let mut app = inspecting();
    both_sizes("inspect_spectrogram", &app, ColorMode::TrueColor);
    both_sizes("inspect_spectrogram_no_color", &app, ColorMode::Mono);
    for view in [
        InspectView::Mel,
        InspectView::Mfcc,
        InspectView::Chroma,
        InspectView::Pitch,
        InspectView::Features,
    ] {
        app.update(Action::NextView);
        assert_eq!(app.inspect.view, view);
        both_sizes(
            &format!("inspect_{}", view.title().to_lowercase()),
            &app,
            ColorMode::Mono,
        );
    }
    // z-scores: asking for them starts one background extraction; statistics of 16 clips
    // (actor 03, every emotion, both statements, repetition 1) stand in for the corpus here.
    let cmds = app.update(Action::CycleScale);
    assert!(matches!(
        cmds.as_slice(),
        [emoscope::tui::msg::Command::FeatureStats(_)]
    ));
    assert!(
        app.update(Action::CycleScale).is_empty() && app.update(Action::CycleScale).is_empty(),
        "only once"
    );
    app.update(Action::CycleScale);
    let corpus = Corpus::synthetic();
    let cfg =
        emoscope::features::FeatureConfig::preset(emoscope::features::Preset::ClassicContrast);
    let rows: Vec<_> = corpus
        .clips
        .iter()
        .filter(|c| {
            c.id.actor.number() == 3
                && c.id.repetition == 1
                && c.id.intensity == emoscope::corpus::Intensity::Normal
        })
        .map(|c| {
            (
                c.id.emotion,
                emoscope::features::summarise(&c.load(&Default::default()).unwrap(), &cfg),
            )
        })
        .collect();
    assert_eq!(rows.len(), 16);
    let stats = emoscope::features::stats::FeatureStats::from_rows(cfg.names(), &rows);
    app.event(AppEvent::Stats(Ok(Arc::new(stats))));
    assert_eq!(
        app.inspect.scale,
        emoscope::tui::panes::inspect::FeatureScale::ZCorpus
    );
    both_sizes("inspect_features_z_corpus", &app, ColorMode::Mono);
    app.update(Action::CycleScale);
    both_sizes("inspect_features_z_emotion", &app, ColorMode::Mono);
}

#[test]
fn side_by_side_and_other_panes() {
    let mut app = inspecting();
    let cmds = app.update(Action::ToggleSideBySide);
    assert_eq!(cmds.len(), 1, "the neutral take is analysed");
    both_sizes("inspect_side_by_side_pending", &app, ColorMode::Mono);
    for p in [Pane::Train, Pane::Log] {
        app.update(Action::Pane(p));
        both_sizes(
            &format!("pane_{}", p.title().to_lowercase()),
            &app,
            ColorMode::Mono,
        );
    }
}

#[test]
fn quitting_asks_while_jobs_run_and_search_filters() {
    let (mut app, _) = App::new(CorpusSpec::default());
    app.update(Action::Quit);
    assert!(
        !app.should_quit && app.confirm_quit,
        "the corpus is still opening"
    );
    app.update(Action::Down);
    assert!(
        !app.should_quit && !app.confirm_quit,
        "any other key cancels"
    );
    app.event(AppEvent::CorpusOpened(Ok(Corpus::synthetic())));
    app.update(Action::StartSearch);
    for c in "rep 2".chars() {
        app.update(Action::Edit(Edit::Char(c)));
    }
    app.update(Action::Edit(Edit::Submit));
    assert!(
        app.corpus
            .cell_clips(app.shared.corpus.as_ref())
            .iter()
            .all(|c| c.id.repetition == 2)
    );
    assert_eq!(
        app.corpus.cell_clips(app.shared.corpus.as_ref()).len(),
        2,
        "actor 01 neutral, repetition 2"
    );
    app.update(Action::Edit(Edit::Cancel));
    app.update(Action::CycleRepetition);
    app.update(Action::CycleChannel);
    assert_eq!(
        app.corpus.cell_clips(app.shared.corpus.as_ref()).len(),
        0,
        "the search for rep 2 still applies, now with rep 1"
    );
    app.update(Action::StartSearch);
    app.update(Action::Edit(Edit::Cancel));
    assert!(app.corpus.filters.text.is_empty(), "Esc clears the search");
    assert!(
        app.corpus
            .cell_clips(app.shared.corpus.as_ref())
            .iter()
            .all(|c| c.id.repetition == 1)
    );
    assert_eq!(app.corpus.cell_clips(app.shared.corpus.as_ref()).len(), 2);
    app.update(Action::Pane(Pane::Log));
    app.update(Action::CycleLogLevel);
    assert_eq!(app.log.level, log::LevelFilter::Debug);
    // The session records the filters.
    let s = app.session();
    assert_eq!(
        (s.ui.filter_repetition, s.ui.pane.as_str()),
        (Some(1), "Log")
    );
    app.update(Action::Quit);
    assert!(app.should_quit, "nothing running: q quits at once");
}

#[test]
fn mouse_clicks_select_tabs_cells_and_clips() {
    let mut app = opened();
    let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let theme = Theme::new(ColorMode::Mono);
    let mut draw = |app: &mut App| -> Vec<String> {
        let mut hits = emoscope::tui::hits::HitMap::default();
        t.draw(|f| hits = ui::draw(f, app, &theme)).unwrap();
        app.hits = hits;
        let buf = t.backend().buffer().clone();
        (0..24)
            .map(|y| {
                (0..80)
                    .map(|x| buf[(x, y)].symbol().to_string())
                    .collect::<String>()
            })
            .collect()
    };
    // Click on the "ang" column of actor 03's row, found in the drawn text.
    let lines = draw(&mut app);
    let row = lines.iter().position(|l| l.contains("│03 M")).unwrap() as u16;
    let header: Vec<char> = lines
        .iter()
        .find(|l| l.contains("actor") && l.contains("ang"))
        .unwrap()
        .chars()
        .collect();
    let col = (0..header.len())
        .find(|&i| header[i..].iter().take(3).collect::<String>() == "ang")
        .unwrap() as u16;
    app.update(Action::Click { column: col, row });
    assert_eq!(
        (app.corpus.actor, app.corpus.emotion),
        (2, 4),
        "actor 03, angry"
    );
    // Click the second clip in the list, then again to open it.
    let lines = draw(&mut app);
    let second = lines
        .iter()
        .position(|l| l.contains("03-01-05-01-01-02-03"))
        .unwrap() as u16;
    app.update(Action::Click {
        column: 10,
        row: second,
    });
    assert_eq!((app.corpus.focus, app.corpus.clip_index), (Focus::Clips, 1));
    draw(&mut app);
    let cmds = app.update(Action::Click {
        column: 10,
        row: second,
    });
    assert_eq!(app.pane, Pane::Inspect);
    assert_eq!(
        app.inspect.inspected,
        ClipId::parse("03-01-05-01-01-02-03")
            .ok()
            .map(ClipKey::Corpus)
    );
    assert_eq!(cmds.len(), 1);
    // A click on the "6 Log" tab.
    let lines = draw(&mut app);
    let log = lines[0]
        .find("6 Log")
        .map(|b| lines[0][..b].chars().count())
        .unwrap() as u16;
    app.update(Action::Click {
        column: log + 1,
        row: 0,
    });
    assert_eq!(app.pane, Pane::Log);
}

#[test]
fn playback_moves_a_cursor_over_the_waveform_and_space_stops_it() {
    use emoscope::tui::msg::{Command, PlayEvent};
    let mut app = inspecting();
    let key = app.inspect.inspected.clone().unwrap();
    let cmds = app.update(Action::Play);
    assert!(matches!(cmds.as_slice(), [Command::Play(k, Some(_))] if *k == key));
    let at = |app: &mut App, seconds: f64| {
        app.event(AppEvent::Playback(
            key.clone(),
            PlayEvent::At {
                seconds,
                duration: 3.0,
            },
        ));
        render(app, ColorMode::Mono, 80, 24)
    };
    let still = render(&inspecting(), ColorMode::Mono, 80, 24);
    let early = at(&mut app, 0.5);
    let late = at(&mut app, 2.5);
    assert_ne!(early, still, "a cursor is drawn");
    assert_ne!(early, late, "and it moves");
    // Space again stops it.
    let cmds = app.update(Action::Play);
    assert!(matches!(cmds.as_slice(), [Command::StopPlayback]));
    assert!(app.shared.playing.is_none());
    // A failure (no device) is a one-line notice.
    app.update(Action::Play);
    app.event(AppEvent::Playback(
        key.clone(),
        PlayEvent::Failed("no output device: alsa:default".into()),
    ));
    assert!(app.shared.playing.is_none());
    assert!(app.notice.as_deref().unwrap().contains("no output device"));
}

/// The screen as lines, and the hit map the frame recorded (as the event loop keeps it).
fn frame(app: &mut App, w: u16, h: u16) -> Vec<String> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    let theme = Theme::new(ColorMode::Mono);
    let mut hits = emoscope::tui::hits::HitMap::default();
    t.draw(|f| hits = ui::draw(f, app, &theme)).unwrap();
    app.hits = hits;
    let buf = t.backend().buffer().clone();
    (0..h)
        .map(|y| (0..w).map(|x| buf[(x, y)].symbol().to_string()).collect())
        .collect()
}

#[test]
fn clicks_land_on_the_scrolled_clip_and_the_wheel_scrolls_lists_and_features() {
    let mut app = opened();
    app.update(Action::Down);
    app.update(Action::Right); // actor 02, calm: eight clips
    app.update(Action::Enter);
    for _ in 0..6 {
        app.update(Action::Down);
    }
    assert_eq!(app.corpus.clip_index, 6);
    let clips: Vec<String> = app
        .corpus
        .cell_clips(app.shared.corpus.as_ref())
        .iter()
        .map(|c| c.id.stem())
        .collect();
    let lines = frame(&mut app, 80, 24);
    assert!(
        !lines.iter().any(|l| l.contains(&clips[0])),
        "the list has scrolled past the first clip"
    );
    // Click the fifth clip where it is drawn: the click means that clip, not row 5 of an
    // unscrolled list.
    let row = lines.iter().position(|l| l.contains(&clips[4])).unwrap() as u16;
    app.update(Action::Click { column: 10, row });
    assert_eq!(app.corpus.clip_index, 4);
    // The wheel over the list moves its selection; over the grid, the actor.
    frame(&mut app, 80, 24);
    app.update(Action::Wheel {
        column: 10,
        row,
        down: true,
    });
    assert_eq!(app.corpus.clip_index, 5);
    let lines = frame(&mut app, 80, 24);
    let grid_row = lines.iter().position(|l| l.contains("│01 M")).unwrap() as u16;
    app.update(Action::Wheel {
        column: 3,
        row: grid_row,
        down: true,
    });
    assert_eq!(
        (app.corpus.actor, app.corpus.focus),
        (2, emoscope::tui::panes::corpus::Focus::Grid)
    );

    // The feature view scrolls with the wheel and the keys.
    let mut app = inspecting();
    while app.inspect.view != InspectView::Features {
        app.update(Action::NextView);
    }
    let lines = frame(&mut app, 80, 24);
    assert!(
        lines.iter().any(|l| l.contains("1–11 of 187")),
        "{lines:#?}"
    );
    let row = lines
        .iter()
        .position(|l| l.contains("mfcc_mean_02"))
        .unwrap() as u16;
    for _ in 0..3 {
        app.update(Action::Wheel {
            column: 20,
            row,
            down: true,
        });
    }
    assert_eq!(app.inspect.feature_offset, 3);
    let lines = frame(&mut app, 80, 24);
    assert!(lines.iter().any(|l| l.contains("4–14 of 187")));
    assert!(!lines.iter().any(|l| l.contains("mfcc_mean_02")));
    app.update(Action::End);
    let lines = frame(&mut app, 80, 24);
    assert!(
        lines.iter().any(|l| l.contains("177–187 of 187")),
        "{lines:#?}"
    );
    app.update(Action::Home);
    assert_eq!(app.inspect.feature_offset, 0);
}

/// Rough edges from a real session (issue 16): a mistyped folder keeps the open corpus, Esc
/// goes back where a clip was opened from and closes the problems panel, a failed
/// classification does not leave "classifying …" behind, text fields edit like a shell.
#[test]
fn a_bad_folder_keeps_the_corpus_and_esc_goes_back_where_it_came_from() {
    use emoscope::tui::msg::Classified;
    let mut app = opened();
    app.update(Action::StartOpen);
    for c in "/no/such".chars() {
        app.update(Action::Edit(Edit::Char(c)));
    }
    let cmds = app.update(Action::Edit(Edit::Submit));
    assert!(matches!(
        cmds.as_slice(),
        [emoscope::tui::msg::Command::OpenCorpus(_)]
    ));
    app.event(AppEvent::CorpusOpened(Err(
        "/no/such: No such file or directory".into(),
    )));
    assert!(
        app.shared.corpus.is_some(),
        "the synthetic corpus stays open"
    );
    assert_eq!(app.shared.spec, CorpusSpec::default());
    assert!(app.notice.as_deref().unwrap().contains("No such file"));
    let screen = render(&app, ColorMode::Mono, 80, 24);
    assert!(screen.contains("│01 M"), "{screen}");

    // A long notice wraps upwards instead of being cut at the edge.
    app.notice = Some(format!("{} END-OF-NOTICE", "a long explanation ".repeat(8)));
    let screen = render(&app, ColorMode::Mono, 80, 24);
    assert!(screen.contains("END-OF-NOTICE"), "{screen}");
    app.notice = None;

    // A long status is shown whole while it is new, then cut to one line with "…" at the
    // next key (its whole text stays in the Log pane).
    app.apply(vec![emoscope::tui::msg::Effect::Status(format!(
        "{} END-OF-STATUS",
        "a long status message ".repeat(6)
    ))]);
    let screen = render(&app, ColorMode::Mono, 80, 24);
    assert!(screen.contains("END-OF-STATUS"), "{screen}");
    app.update(Action::Resize);
    assert!(render(&app, ColorMode::Mono, 80, 24).contains("END-OF-STATUS"));
    app.update(Action::Down);
    let screen = render(&app, ColorMode::Mono, 80, 24);
    assert!(!screen.contains("END-OF-STATUS"), "{screen}");
    assert!(
        screen.contains("a long status message a long status…"),
        "{screen}"
    );
    app.update(Action::Up);

    // Problems: p opens, Esc closes.
    app.update(Action::ToggleProblems);
    assert!(app.corpus.show_problems);
    app.update(Action::Back);
    assert!(!app.corpus.show_problems);

    // A clip opened from the Classify history: Esc returns there, not to Corpus.
    let id = ClipId::parse("03-01-05-01-01-01-03").unwrap();
    app.apply(vec![emoscope::tui::msg::Effect::Inspect(
        ClipKey::Corpus(id),
        Pane::Classify,
    )]);
    assert_eq!(app.pane, Pane::Inspect);
    app.update(Action::Back);
    assert_eq!(app.pane, Pane::Classify);

    // A failed classification: the status no longer says it is classifying.
    app.status = "classifying x.wav with models/m.ron …".into();
    app.classify.classifying = true;
    app.event(AppEvent::Classified(Classified {
        result: Err("x.wav: not a WAV file".into()),
        fitted: None,
    }));
    assert!(!app.classify.classifying);
    assert!(!app.status.contains("classifying"), "{}", app.status);
    assert!(app.notice.as_deref().unwrap().contains("not a WAV"));

    // Ctrl-U clears a text field instead of typing "u".
    app.update(Action::StartOpen);
    app.update(Action::Edit(Edit::Char('x')));
    app.update(Action::Edit(Edit::KillToStart));
    assert_eq!(app.prompt.as_ref().unwrap().1.text(), "");
}
