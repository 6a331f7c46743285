//! The class roster in the window (issue 20): real Python students connect to the window's
//! listen on 127.0.0.1; the roster lists each one, sorts by a column when its title is
//! clicked, and a click on a row puts that student's stream on the main timeline.
#![cfg(feature = "gui")]

#[path = "support/skip.rs"]
mod skip;

use std::sync::Arc;
use std::time::Duration;

use clap::Parser;
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use stickyviz::ui::roster::Column;
use stickyviz::ui::{Prefs, StickyApp};

fn harness() -> Harness<'static, StickyApp> {
    Harness::builder()
        .with_size([1280.0, 800.0])
        .with_context_setup(|ctx| ctx.add_font_provider(Arc::new(egui_system_font_provider::SystemFontProvider::new())))
        .build_ui_state(
            |ui, app: &mut StickyApp| app.ui_root(ui),
            StickyApp::new(Prefs {
                preset: None,
                ..Prefs::default()
            }),
        )
}

#[test]
fn roster_lists_each_student_sorts_and_shows_the_clicked_one_on_the_main_timeline() {
    if !skip::have("python3") {
        skip::skip(skip::Missing::Tool("python3"), "the class is made of Python clients");
        return;
    }
    let cli = stickyviz::cli::Cli::try_parse_from([
        "stickyviz",
        "listen",
        "--tcp",
        "0",
        "--framing",
        "seed-json",
        "--clients",
        "6",
        "--read-size",
        "512",
    ])
    .expect("flags parse");
    let Some(stickyviz::cli::Command::Listen(args)) = cli.command else {
        panic!("a listen command")
    };
    let mut h = harness();
    let ctx = h.ctx.clone();
    let (on, opts) = stickyviz::cli::peer::listen_spec(&args, stickyviz::i18n::Lang::En).expect("flags are valid");
    let bound = stickyviz::ui::listen::start_listening(h.state_mut(), on, opts, &ctx).expect("listens");
    h.run_steps(2);
    // loopback: the projector line says other machines cannot connect, and how to fix it
    assert!(h.query_by_label_contains("other machines cannot connect").is_some());
    assert!(h.query_by_label_contains("No client yet").is_some());

    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/python/class_clients.py");
    let py = std::process::Command::new("python3")
        .args([script, &bound.port().to_string(), "6", "30"])
        .output()
        .expect("python3 runs");
    assert!(py.status.success(), "{}", String::from_utf8_lossy(&py.stderr));
    assert!(
        h.state_mut().wait_for_run(&ctx, Duration::from_secs(30)),
        "the listen ends once 6 students were served"
    );
    h.run_steps(3);

    let rows = h.state().model().roster();
    assert_eq!(rows.len(), 6, "one row per student");
    for r in &rows {
        assert_eq!(r.frames, 30);
        assert!(h.query_by_label(&r.peer).is_some(), "row of {} shown", r.peer);
    }

    // sort: a click on a column title sorts by it, a second click reverses
    h.get_by_label("bytes").click();
    h.run_steps(2);
    let class = h.state().class.clone().expect("a class session");
    assert_eq!((class.sort, class.descending), (Column::Bytes, false));
    let sorted = stickyviz::ui::roster::sorted_rows(h.state().model(), Column::Bytes, false, stickyviz::i18n::Lang::En);
    assert!(sorted.windows(2).all(|w| w[0].bytes <= w[1].bytes));
    h.get_by_label("bytes ▲").click();
    h.run_steps(2);
    assert!(h
        .state()
        .class
        .as_ref()
        .is_some_and(|c| c.sort == Column::Bytes && c.descending));

    if let Ok(path) = std::env::var("STICKYVIZ_SHOT_ROSTER") {
        h.render().expect("renders").save(path).expect("saves");
    }
    // click: the student on connection lane 3 goes on the main timeline
    let pick = rows.iter().find(|r| r.lane == Some(3)).expect("a student on lane 3");
    h.get_by_label(&pick.peer).click();
    h.run_steps(3);
    assert_eq!(h.state().class.as_ref().map(|c| c.shown), Some(3));
    assert!(h
        .query_by_label(&format!("Main timeline: client {}", pick.peer))
        .is_some());
    let shown = h.state().model().listen_lane(3).expect("lane 3 recorded");
    assert_eq!(
        shown.connection().as_ref().map(|c| c.0.as_str()),
        Some(pick.peer.as_str()),
        "the main timeline's model is that student's stream"
    );
    assert_eq!(shown.summary().frames, 30);
}
