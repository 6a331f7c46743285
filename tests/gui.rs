//! GUI tests with egui_kittest: click the real controls, wait for a real run on 127.0.0.1,
//! check what the window shows. Snapshots render recorded runs (deterministic) on wgpu.
#![cfg(feature = "gui")]

use std::sync::Arc;
use std::time::Duration;

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::kittest::{NodeT, Queryable};
use egui_kittest::Harness;
use stickyviz::facts::{Side, SockOpt};
use stickyviz::framing::FramingMode;
use stickyviz::recording::Recording;
use stickyviz::ui::{Prefs, StickyApp};

fn builder() -> egui_kittest::HarnessBuilder<StickyApp> {
    Harness::builder()
        .with_size([1280.0, 800.0])
        .with_context_setup(|ctx| ctx.add_font_provider(Arc::new(egui_system_font_provider::SystemFontProvider::new())))
}

fn harness(prefs: Prefs) -> Harness<'static, StickyApp> {
    builder().build_ui_state(|ui, app: &mut StickyApp| app.ui_root(ui), StickyApp::new(prefs))
}

/// Steps the UI until the run has finished (the engine runs on its own threads).
fn finish_run(h: &mut Harness<'static, StickyApp>) {
    h.run_steps(1);
    let ctx = h.ctx.clone();
    assert!(
        h.state_mut().wait_for_run(&ctx, Duration::from_secs(10)),
        "run did not finish"
    );
    h.run_steps(2);
}

/// Replaces the text of the field labelled `label` and leaves it (focus moves away).
fn type_into(h: &mut Harness<'static, StickyApp>, label: &str, text: &str) {
    h.get_by_role_and_label(Role::TextInput, label).focus();
    h.run_steps(1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_role_and_label(Role::TextInput, label).type_text(text);
    h.run_steps(1);
    h.key_press(Key::Enter);
    h.run_steps(2);
}

#[test]
fn run_button_runs_slow_reader_and_shows_merged_reads() {
    let mut h = harness(Prefs::default());
    h.get_by_label("▶ Run (Space)").click();
    finish_run(&mut h);
    let s = h.state().model().summary().clone();
    assert_eq!(s.bytes_received, s.bytes_sent, "every byte arrives");
    assert!(
        s.merged_reads >= 1,
        "a reader that starts 50 ms late gets merged reads: {s:?}"
    );
    // the stats strip and the inspector say so in words
    h.get_by_label("merged reads 粘包");
    assert!(
        h.query_by_label_contains("One recv() returned parts of").is_some(),
        "the inspector explains the merged read"
    );
    // UDP beside it: every datagram arrives, the big ones truncated
    assert_eq!(s.datagrams_received, 12);
    assert!(s.datagrams_truncated >= 1);
    assert!(h.query_by_label_contains("truncated (MSG_TRUNC)").is_some());
}

#[test]
fn picking_a_framing_gives_frames_equal_to_messages() {
    let mut h = harness(Prefs::default());
    h.get_by_role_and_label(Role::ComboBox, "mode").click();
    h.run();
    h.get_by_label("seed-json").click();
    h.run_steps(1);
    assert_eq!(h.state().prefs.settings.framing, FramingMode::SeedJson);
    finish_run(&mut h);
    let s = &h.state().model().summary();
    assert_eq!(s.frames, s.messages);
    assert_eq!(
        s.intact_frames, s.messages,
        "framing restores every message byte for byte"
    );
    assert_eq!(s.decode_errors, 0);
    let shown = format!("{}/{}", s.messages, s.messages);
    h.get_by_label(&shown);
}

#[test]
fn nagle_off_and_read_size_rerun_with_the_new_settings() {
    let mut h = harness(Prefs::default());
    h.get_by_label("off").click();
    finish_run(&mut h);
    assert!(!h.state().prefs.settings.sender.nagle);
    let nodelay = h
        .state()
        .model()
        .option(Side::TcpSender, SockOpt::TcpNodelay)
        .map(|o| o.actual);
    assert_eq!(nodelay, Some(1), "the re-run set TCP_NODELAY");

    type_into(&mut h, "read size", "64");
    finish_run(&mut h);
    assert_eq!(h.state().prefs.settings.receiver.read_size, 64);
    let m = h.state().model();
    assert!(!m.reads().is_empty() && m.reads().iter().all(|r| r.len <= 64));
    assert_eq!(m.summary().bytes_received, m.summary().bytes_sent);
}

#[test]
fn invalid_read_size_is_refused_beside_the_control() {
    let mut h = harness(Prefs::default());
    type_into(&mut h, "read size", "0");
    // the window names the setting by its label (the command line by its flag)
    assert!(h
        .query_by_label_contains("read size: 0 is out of range; allowed 1 to 1,048,576")
        .is_some());
    assert_eq!(
        h.state().prefs.settings.receiver.read_size,
        512,
        "the last valid value stays"
    );
    assert!(!h.state().is_running(), "no run starts with an invalid setting");
}

#[test]
fn space_starts_and_stops_a_run() {
    let mut prefs = Prefs::default();
    prefs.settings.receiver.start_delay_ms = 5_000;
    let mut h = harness(prefs);
    h.key_press(Key::Space);
    h.run_steps(1);
    assert!(h.state().is_running());
    h.key_press(Key::Space);
    h.run_steps(1);
    assert!(!h.state().is_running(), "Space stops the run and joins its threads");
}

fn recorded(name: &str) -> Recording {
    let path = format!("{}/tests/fixtures/{name}.json", env!("CARGO_MANIFEST_DIR"));
    Recording::load(std::path::Path::new(&path)).expect("fixture loads")
}

fn snapshot_of(name: &str, theme: egui::Theme) {
    snapshot_in(name, theme, stickyviz::i18n::Lang::En);
}

fn snapshot_in(name: &str, theme: egui::Theme, lang: stickyviz::i18n::Lang) {
    let rec = recorded(name);
    let mut app = StickyApp::new(Prefs {
        lang,
        ..Prefs::default()
    });
    app.show_recording(&rec);
    let mut h = builder()
        .with_theme(theme)
        .wgpu()
        .build_ui_state(|ui, app: &mut StickyApp| app.ui_root(ui), app);
    h.run_steps(3);
    let suffix = match theme {
        egui::Theme::Dark => "dark",
        egui::Theme::Light => "light",
    };
    let lang_suffix = if lang == stickyviz::i18n::Lang::Zh { "_zh" } else { "" };
    h.snapshot(format!("main_window_{name}_{suffix}{lang_suffix}"));
}

#[test]
fn snapshot_json_header_chinese() {
    snapshot_in("json-header", egui::Theme::Dark, stickyviz::i18n::Lang::Zh);
}

#[test]
fn snapshot_slow_reader_dark() {
    snapshot_of("slow-reader", egui::Theme::Dark);
}

#[test]
fn snapshot_json_header_light() {
    snapshot_of("json-header", egui::Theme::Light);
}

fn replay(name: &str) -> Harness<'static, StickyApp> {
    let mut app = StickyApp::new(Prefs::default());
    app.show_recording(&recorded(name));
    // 60 Hz steps, so two clicks a few steps apart count as a double-click
    let mut h = builder()
        .with_step_dt(1.0 / 60.0)
        .build_ui_state(|ui, app: &mut StickyApp| app.ui_root(ui), app);
    h.run_steps(2);
    h
}

#[test]
fn wheel_scrolls_ctrl_wheel_zooms_drag_pans_double_click_fits() {
    let mut h = replay("slow-reader");
    let whole = h.state().model().stream_len() as f64;
    assert!(h.state().timeline.fit);
    let p = stickyviz::ui::shown::find(&h.ctx, "lane.wire")
        .expect("the lanes are drawn")
        .rect
        .center();
    let wheel = |h: &mut Harness<'static, StickyApp>, modifiers: Modifiers| {
        h.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, 300.0),
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
            modifiers,
        });
        h.run_steps(90); // smooth scrolling spreads a wheel step over frames; let it settle
    };
    h.hover_at(p);
    h.run_steps(1);
    wheel(&mut h, Modifiers::NONE);
    assert!(
        h.state().timeline.fit,
        "the plain wheel scrolls the page, it does not zoom: {:?}",
        h.state().timeline
    );
    let p = stickyviz::ui::shown::find(&h.ctx, "lane.wire")
        .expect("the lanes are drawn")
        .rect
        .center();
    h.hover_at(p);
    h.run_steps(1);
    h.event(egui::Event::Zoom(1.5)); // what Ctrl + wheel and a pinch turn into
    h.run_steps(2);
    let zoomed = h.state().timeline.clone();
    assert!(
        !zoomed.fit && zoomed.x1 - zoomed.x0 < whole * 0.8,
        "Ctrl + wheel zooms in: {zoomed:?}"
    );

    h.drag_at(p);
    h.run_steps(1);
    h.hover_at(p + egui::vec2(-150.0, 0.0));
    h.run_steps(1);
    h.drop_at(p + egui::vec2(-150.0, 0.0));
    h.run_steps(1);
    let panned = h.state().timeline.clone();
    assert!(panned.x0 > zoomed.x0, "dragging left moves the view right: {panned:?}");
    assert!(
        (panned.x1 - panned.x0 - (zoomed.x1 - zoomed.x0)).abs() < 1e-6,
        "panning keeps the zoom"
    );

    h.hover_at(p);
    h.run_steps(1);
    for pressed in [true, false, true, false] {
        h.event(egui::Event::PointerButton {
            pos: p,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
        h.run_steps(1);
    }
    h.run_steps(1);
    let fitted = h.state().timeline.clone();
    assert!(
        fitted.fit && fitted.x0 == 0.0 && fitted.x1 == whole,
        "double-click fits: {fitted:?}"
    );
}

#[test]
fn clicking_a_read_shows_its_bytes_with_message_boundaries() {
    let h = replay("slow-reader");
    // the replay points the inspector at the first merged read
    assert!(h.query_by_label_contains("One recv() returned parts of").is_some());
    assert!(
        h.query_by_label_contains("|msg-1|").is_some(),
        "the boundary between m0 and m1 is marked in the read's text"
    );
    assert!(
        h.query_by_label_contains("m0 (68 B) | m1 (30 B)").is_some(),
        "the read lists the messages it holds"
    );
}

#[test]
fn switching_to_chinese_changes_the_visible_labels() {
    let mut h = replay("slow-reader");
    assert!(h.query_by_label("merged reads 粘包").is_some());
    h.get_by_label("中文").click();
    h.run_steps(2);
    assert!(h.query_by_label("merged reads 粘包").is_none());
    assert!(h.query_by_label("粘包读取").is_some());
    assert!(
        h.query_by_label_contains("TCP 是字节流").is_some(),
        "the inspector's lesson is in Chinese too"
    );
}

/// Every settings box, fed nonsense: the value is refused beside its box with the field's name
/// and allowed range, the last valid value stays, and no run starts; nothing panics.
#[test]
fn every_settings_box_refuses_nonsense_beside_itself() {
    use stickyviz::config::{Transports, WriteSplit};
    use stickyviz::i18n::{t, Lang, S};
    use stickyviz::ui::controls::Field;
    let mut prefs = Prefs {
        auto_rerun: false,
        ..Prefs::default()
    };
    // every box visible: both transports, chunked writes, a length-prefixed framing
    prefs.settings.transports = Transports::Both;
    prefs.settings.sender.split = WriteSplit::Chunks { bytes: 7 };
    prefs.settings.framing = FramingMode::U32;
    prefs.settings.link = Some(stickyviz::config::Link::default());
    let valid = prefs.settings.clone();
    let mut h = harness(prefs);
    h.run_steps(2);
    let label = |f: Field| {
        t(
            Lang::En,
            match f {
                Field::Count => S::Messages,
                Field::Size => S::Size,
                Field::Gap => S::Gap,
                Field::SndBuf => S::SndBuf,
                Field::Chunk => S::ChunkBytes,
                Field::ReadSize => S::ReadSize,
                Field::RcvBuf => S::RcvBuf,
                Field::StartDelay => S::StartDelay,
                Field::ReadDelay => S::ReadDelay,
                Field::MaxFrame => S::MaxFrame,
                Field::UdpReadSize => S::UdpReadSize,
                Field::UdpRcvBuf => S::UdpRcvBuf,
                Field::UdpStartDelay => S::UdpStartDelay,
                Field::Mss => S::LabelMss,
                Field::Link => S::LabelLink,
            },
        )
    };
    for f in Field::ALL {
        let before = h.state().form.text(f).to_owned();
        for bad in ["-1", "99999999999", "abc", "1.5", "0x10", "7-x"] {
            type_into(&mut h, label(f), bad);
            h.run_steps(2);
            // "read size: 'abc' is not a number; allowed 1 to 1,048,576" or "... is out of range; allowed ..."
            let name = t(Lang::En, f.setting().label());
            let shown = h.query_all_by_label_contains(&format!("{name}: ")).any(|n| {
                // a Label's text is its accesskit value
                let text = n.accesskit_node().value().unwrap_or_default();
                text.contains(bad) && text.contains("; allowed ")
            });
            assert!(
                shown,
                "{f:?} = {bad:?}: no error naming {name} with its allowed values beside the box"
            );
            assert_eq!(
                h.state().prefs.settings,
                valid,
                "{f:?} = {bad:?}: the last valid settings stay"
            );
            assert!(!h.state().is_running(), "{f:?} = {bad:?}: no run starts");
        }
        // an empty buffer box means the kernel's default; "default" says the same
        type_into(&mut h, label(f), if before.is_empty() { "default" } else { &before });
        h.run_steps(2);
        assert!(
            !h.state().form.has_errors(),
            "{f:?}: the error goes once the value is valid again; text now {:?}, error {:?}",
            h.state().form.text(f),
            h.state().form.error(f)
        );
    }
}
