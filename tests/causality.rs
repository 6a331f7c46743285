//! One honest clock (issue 14): on real sockets on 127.0.0.1, no effect is ever stamped before
//! its cause, and every count agrees with every other.
//!
//! Loopback timing varies, so the checks are invariants over many runs of every lesson, never
//! one run's numbers.

#[path = "support/skip.rs"]
mod skip;
use std::path::Path;

use stickyviz::analysis::{check_causality, Model};
use stickyviz::config::Experiment;
use stickyviz::engine::Run;
use stickyviz::facts::Event;
use stickyviz::i18n::Lang;
use stickyviz::presets;
use stickyviz::recording::Recording;

/// Runs per preset: reads, segments and frames race differently every run.
const RUNS: usize = 20;

/// A preset's experiment, cut to a size a test can run 20 times (firehose moves 1 GiB).
fn experiment(name: &str) -> Experiment {
    let mut exp = presets::find(name).expect("preset exists").experiment;
    if name == "firehose" {
        exp.workload.count = 64;
    }
    exp
}

fn run(exp: &Experiment) -> (Vec<Event>, Model) {
    let events = Run::start(exp, None).expect("the run starts").wait();
    let model = Model::from_events(&events);
    assert!(model.finished(), "the run ends with Finished");
    (events, model)
}

/// The capture's count equals the kernel's, or the gap is said in the summary (`text`) and
/// the lane. The kernel counts every transmission; so does the capture where it saw the
/// handshake (its retransmissions are counted apart from the lane's new bytes), else its new
/// bytes are compared with the kernel's first transmissions.
fn assert_capture_gap_said(name: &str, s: &stickyviz::analysis::Summary, text: impl FnOnce() -> String) {
    let (Some(captured), Some(kernel)) = (s.segments_captured, s.segments_tcp_info) else {
        return;
    };
    let (captured, kernel) = match s.retransmissions {
        Some(again) => (captured + again, kernel),
        None => (captured, kernel.saturating_sub(s.retransmitted_tcp_info.unwrap_or(0))),
    };
    if captured >= kernel {
        return;
    }
    let text = text();
    let said = format!("{captured} of {kernel} captured");
    assert!(
        text.contains(&said),
        "{name}: {captured} of {kernel} segments captured, and the summary does not say so:\n{text}"
    );
}

/// Every captured segment (new bytes or again) lies inside the bytes written on its axis.
fn assert_segments_inside_what_was_written(name: &str, axis: &Model) {
    let written = axis.summary().bytes_sent;
    for g in axis.segments().iter().chain(axis.retransmissions()) {
        assert!(
            g.end() <= written,
            "{name}: a segment of {}..{} past the {written} bytes written",
            g.offset,
            g.end()
        );
    }
}

#[test]
fn every_preset_twenty_times_no_effect_before_its_cause() {
    // the link lessons run in a child process: the real binary, not this test's
    stickyviz::engine::link::set_child_binary(env!("CARGO_BIN_EXE_stickyviz"));
    for preset in presets::all() {
        let exp = experiment(preset.name);
        if let Err(stickyviz::facts::EngineError::Link(why)) = Run::start(&exp, None).map(Run::wait) {
            skip::skip_link(preset.name, &why);
            continue;
        }
        let mut checked = 0u64;
        for k in 0..RUNS {
            let (events, model) = run(&exp);
            let c = check_causality(&events);
            assert_eq!(c.count(), 0, "{} run {k}: {:?}", preset.name, c.violations());
            assert_eq!(c.unchecked, 0);
            // the model runs the same check live, and would list a violation as a problem
            assert_eq!(model.summary().causality_violations, 0);
            assert_capture_gap_said(preset.name, model.summary(), || {
                stickyviz::export::text_timeline::summary(&model, Lang::En)
            });
            assert_segments_inside_what_was_written(preset.name, &model);
            // the reply direction (issue 26): its own lane, its own count, the same rules
            if let Some(echo) = model.echo() {
                assert_capture_gap_said(preset.name, echo.replies.summary(), || {
                    stickyviz::export::echo_report::render(&model, &exp, 100, Lang::En)
                });
                assert_segments_inside_what_was_written(preset.name, &echo.replies);
            }
            checked += events.len() as u64;
        }
        eprintln!("{}: {RUNS} runs, {checked} events, 0 violations", preset.name);
    }
}

/// The same check on a real run whose one read is stamped a microsecond before its write
/// began: it is found, and the model lists it as a problem in the CLI summary.
#[test]
fn a_real_run_with_one_mis_stamped_read_fails_the_check() {
    let (mut events, _) = run(&experiment("slow-reader"));
    let write_start = events
        .iter()
        .find_map(|e| matches!(e, Event::Write { .. }).then(|| e.start_us()).flatten())
        .expect("a write");
    let read = events
        .iter_mut()
        .find(|e| matches!(e, Event::Read { .. }))
        .expect("a read");
    if let Event::Read { at_us, .. } = read {
        *at_us = write_start.saturating_sub(1);
    }
    let c = check_causality(&events);
    assert!(c.count() >= 1, "the mis-stamped read is found");
    let model = Model::from_events(&events);
    assert!(model.summary().causality_violations >= 1);
    let text = stickyviz::export::text_timeline::summary(&model, Lang::En);
    assert!(text.contains("timestamps out of order"), "the summary says it:\n{text}");
}

/// Every committed lesson recording keeps the invariant too (they are re-recorded with the
/// engine that stamps calls at their start and segments with the kernel's clock).
#[test]
fn the_lesson_recordings_keep_the_invariant() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/recordings");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("docs/recordings") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let rec = Recording::load(&path).expect("loads");
        let c = check_causality(&rec.events);
        assert_eq!(c.count(), 0, "{}: {:?}", path.display(), c.violations());
        n += 1;
    }
    assert!(n > 0, "no recordings found");
}
