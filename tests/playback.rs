//! Classroom playback: the play head over a fixed recording, stepped, played and drawn.
#![cfg(feature = "gui")]

use std::sync::Arc;

use egui::Key;
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use stickyviz::analysis::playback::{PlayState, Speed, TcpAt};
use stickyviz::recording::Recording;
use stickyviz::ui::{Prefs, StickyApp};

fn recorded(name: &str) -> Recording {
    let path = format!("{}/tests/fixtures/{name}.json", env!("CARGO_MANIFEST_DIR"));
    Recording::load(std::path::Path::new(&path)).expect("fixture loads")
}

fn builder() -> egui_kittest::HarnessBuilder<StickyApp> {
    Harness::builder()
        .with_size([1280.0, 800.0])
        .with_context_setup(|ctx| ctx.add_font_provider(Arc::new(egui_system_font_provider::SystemFontProvider::new())))
}

fn replay_with(name: &str, b: egui_kittest::HarnessBuilder<StickyApp>) -> Harness<'static, StickyApp> {
    let mut app = StickyApp::new(Prefs::default());
    app.show_recording(&recorded(name));
    let mut h = b.build_ui_state(|ui, app: &mut StickyApp| app.ui_root(ui), app);
    h.run_steps(2);
    h
}

fn head(h: &Harness<'static, StickyApp>) -> Option<u64> {
    h.state().playback.t()
}

#[test]
fn arrow_keys_step_the_play_head_event_by_event() {
    let mut h = replay_with("slow-reader", builder());
    assert_eq!(head(&h), None, "a recording opens showing the whole run");
    let times = h.state().playback.times.clone();
    // slow-reader: datagrams from 708 µs, the first segment at 647 µs, the reads near 50.9 ms
    assert_eq!(times.first(), Some(&647));
    h.key_press(Key::ArrowRight);
    h.run_steps(1);
    assert_eq!(
        head(&h),
        Some(times[0]),
        "the first step turns playback on at the first event"
    );
    for (k, &t) in times.iter().enumerate().take(6).skip(1) {
        h.key_press(Key::ArrowRight);
        h.run_steps(1);
        assert_eq!(head(&h), Some(t), "step {k}");
    }
    h.key_press(Key::ArrowLeft);
    h.run_steps(1);
    assert_eq!(head(&h), Some(times[4]));
    h.key_press(Key::End);
    h.run_steps(1);
    assert_eq!(head(&h), times.last().copied());
    h.key_press(Key::Home);
    h.run_steps(1);
    assert_eq!(head(&h), Some(times[0]));
    h.key_press(Key::Escape);
    h.run_steps(1);
    assert_eq!(head(&h), None, "Esc shows the whole run again");
}

#[test]
fn p_plays_and_pauses_and_space_still_runs() {
    let mut h = replay_with("slow-reader", builder());
    h.key_press(Key::ArrowRight);
    h.run_steps(1);
    h.key_press(Key::P);
    h.run_steps(1);
    assert!(!h.state().is_running(), "P plays, it does not run");
    assert!(h
        .state()
        .playback
        .head
        .as_ref()
        .is_some_and(|p| p.state == PlayState::Playing));
    assert!(h.query_by_label("▮▮ Pause (P)").is_some(), "the button shows its key");
    h.key_press(Key::P);
    h.run_steps(1);
    assert!(h
        .state()
        .playback
        .head
        .as_ref()
        .is_some_and(|p| p.state == PlayState::Paused));
    h.key_press(Key::Space);
    h.run_steps(1);
    assert!(
        h.state().is_running(),
        "Space runs, as the Run button says, even during playback"
    );
    h.state_mut().stop();
}

#[test]
fn play_at_10000x_reaches_the_end() {
    // each frame stands for 2 s of wall clock: 200 µs of the run at 10,000× slower
    let mut h = replay_with("slow-reader", builder().with_step_dt(2.0));
    h.state_mut().playback.speed = Speed::X10000;
    h.state_mut().playback.skip_quiet = false; // real time all the way, the reader's sleep too
                                               // a click spans frames 2 s apart, too long for a click: press play through the state
    h.state_mut().playback.toggle_play();
    h.run_steps(2);
    assert!(h
        .state()
        .playback
        .head
        .as_ref()
        .is_some_and(|p| p.state == PlayState::Playing));
    let end = h.state().playback.times.last().copied();
    let mut steps = 0;
    while head(&h) != end && steps < 1000 {
        h.step();
        steps += 1;
    }
    assert_eq!(head(&h), end, "playback reached the last event");
    assert!(steps > 100, "and it took many frames ({steps}), not one jump");
    h.run_steps(1);
    assert!(
        h.state()
            .playback
            .head
            .as_ref()
            .is_some_and(|p| p.state == PlayState::Paused),
        "it stops at the end"
    );
}

#[test]
fn buffer_at_known_points_of_the_slow_reader_recording() {
    let h = replay_with("slow-reader", builder());
    let m = h.state().model();
    // after the third write (979 µs): 204 B written, all of it captured on the wire
    assert_eq!(
        TcpAt::at(m, 981),
        TcpAt {
            written: 204,
            on_wire: Some(204),
            read: 0
        }
    );
    // all 12 messages written and on the wire, the reader still asleep: 1243 B pile up
    let piled = TcpAt::at(m, 44_672);
    assert_eq!((piled.in_send_buffer(), piled.waiting()), (Some(0), 1243));
    // the first read takes 512 B of them at once
    assert_eq!(TcpAt::at(m, 50_903).waiting(), 1243 - 512);
    assert_eq!(TcpAt::at(m, 50_984).waiting(), 0);
}

/// Renders the window with wgpu into `tests/snapshots/{name}.png` (compared like tests/gui.rs).
fn snapshot_at(name: &str, theme: egui::Theme, setup: impl FnOnce(&mut StickyApp)) {
    let mut app = StickyApp::new(Prefs::default());
    app.show_recording(&recorded("slow-reader"));
    let mut h = builder()
        .with_theme(theme)
        .wgpu()
        .build_ui_state(|ui, app: &mut StickyApp| app.ui_root(ui), app);
    h.run_steps(2);
    setup(h.state_mut());
    let ctx = h.ctx.clone();
    stickyviz::ui::projector::set(&ctx, h.state().prefs.projector);
    h.state_mut().playback.follow = true;
    h.run_steps(3);
    h.snapshot(name);
}

#[test]
fn snapshot_mid_playback_messages_piled_up_in_the_receive_buffer() {
    // all 12 messages written and on the wire, the reader not yet awake
    snapshot_at("playback_slow-reader_piled_up_dark", egui::Theme::Dark, |app| {
        app.playback.seek(44_672)
    });
}

#[test]
fn snapshot_mid_playback_after_the_first_merged_read() {
    snapshot_at("playback_slow-reader_first_read_light", egui::Theme::Light, |app| {
        app.playback.seek(50_903)
    });
}

#[test]
fn event_list_click_jumps_and_the_filter_hides_a_kind() {
    let mut h = replay_with("slow-reader", builder());
    // at 1280×800 the event list is a drawer: open it as the user would
    h.get_by_label("☰ Events").click();
    h.run_steps(2);
    h.get_by_label("+917 µs write m0 68 B").click();
    h.run_steps(2);
    assert_eq!(head(&h), Some(917), "a click on a row moves the play head to its time");
    // the list follows the play head to the first read, a merged one: its row says so
    h.state_mut().playback.seek(50_903);
    h.state_mut().playback.follow = true;
    h.run_steps(2);
    assert!(h.query_by_label_contains("read #0 512 B 粘包 ×7").is_some());
    let segment_rows = |h: &Harness<'static, StickyApp>| h.query_all_by_label_contains("s segment ").count(); // "+975 µs segment 30 B"
    let segments_before = segment_rows(&h);
    assert!(segments_before > 0);
    h.get_by_label("segment").click();
    h.run_steps(2);
    assert_eq!(segment_rows(&h), 0, "segments filtered out");
}

#[test]
fn projector_mode_scales_the_ui_and_ctrl_plus_minus_still_zoom() {
    let mut h = replay_with("slow-reader", builder());
    assert_eq!(h.ctx.zoom_factor(), 1.0);
    h.get_by_label("Projector").click();
    h.run_steps(2);
    assert!(h.state().prefs.projector);
    assert_eq!(h.ctx.zoom_factor(), stickyviz::ui::projector::PROJECTOR_ZOOM);
    assert_eq!(
        h.ctx.global_style().visuals.panel_fill,
        egui::Color32::BLACK,
        "high-contrast palette (dark theme)"
    );
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::Plus);
    h.run_steps(1);
    assert!(
        (h.ctx.zoom_factor() - 1.4).abs() < 1e-3,
        "Ctrl + zooms in: {}",
        h.ctx.zoom_factor()
    );
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::Minus);
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::Minus);
    h.run_steps(1);
    assert!(
        (h.ctx.zoom_factor() - 1.2).abs() < 1e-3,
        "Ctrl − zooms out: {}",
        h.ctx.zoom_factor()
    );
    h.get_by_label("Projector").click();
    h.run_steps(2);
    assert_eq!(h.ctx.zoom_factor(), 1.0);
    assert!(!h.state().prefs.projector);
}

#[test]
fn snapshot_projector_mode_mid_playback() {
    snapshot_at("playback_projector_dark", egui::Theme::Dark, |app| {
        app.prefs.projector = true;
        app.playback.seek(50_903);
    });
}

#[test]
fn snapshot_time_view_mid_playback() {
    snapshot_at("playback_time_view_light", egui::Theme::Light, |app| {
        app.prefs.view = stickyviz::ui::ViewKind::Time;
        app.playback.seek(50_950);
    });
}

#[test]
fn playback_follows_a_live_run_and_steps_through_it_once_finished() {
    let app = StickyApp::new(Prefs::default());
    let mut h = builder().build_ui_state(|ui, app: &mut StickyApp| app.ui_root(ui), app);
    h.run_steps(1);
    h.get_by_label("▶ Run (Space)").click();
    h.run_steps(1);
    assert!(h.state().is_running());
    // play while the run is still recording: the head waits at the newest event
    h.state_mut().playback.speed = Speed::X1;
    h.state_mut().playback.toggle_play();
    h.run_steps(1);
    let ctx = h.ctx.clone();
    assert!(
        h.state_mut().wait_for_run(&ctx, std::time::Duration::from_secs(10)),
        "run did not finish"
    );
    h.run_steps(3);
    let times = h.state().playback.times.clone();
    assert!(!times.is_empty(), "the finished run's events are indexed");
    let t = head(&h).expect("playback stayed on");
    assert!(
        t <= *times.last().expect("times"),
        "the head never passes the last event"
    );
    h.key_press(Key::Home);
    h.run_steps(1);
    h.key_press(Key::ArrowRight);
    h.run_steps(1);
    assert_eq!(
        head(&h),
        times.get(1).copied(),
        "stepping works on the finished live run"
    );
}

#[test]
fn stepping_onto_a_read_points_the_inspector_at_it() {
    let mut h = replay_with("slow-reader", builder());
    h.state_mut().playback.seek(917);
    h.run_steps(2);
    assert_eq!(h.state().selection, Some(stickyviz::ui::timeline::Selection::Write(0)));
    h.state_mut().playback.seek(50_981);
    h.run_steps(2);
    assert_eq!(h.state().selection, Some(stickyviz::ui::timeline::Selection::Read(1)));
}

#[test]
fn snapshot_mid_playback_in_chinese() {
    snapshot_at("playback_slow-reader_zh_light", egui::Theme::Light, |app| {
        app.prefs.lang = stickyviz::ui::strings::Lang::Zh;
        app.playback.seek(50_903);
    });
}
