//! The window's recording features with egui_kittest: drop a file, see the replay banner; save
//! it again; copy the timeline as text; a bad file gives an error in the window.
#![cfg(feature = "gui")]

#[path = "support/skip.rs"]
mod skip;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};
use egui_kittest::Harness;
use stickyviz::recording::Recording;
use stickyviz::ui::{Prefs, Status, StickyApp};

fn harness() -> Harness<'static, StickyApp> {
    Harness::builder()
        .with_size([1280.0, 800.0])
        .with_context_setup(|ctx| ctx.add_font_provider(Arc::new(egui_system_font_provider::SystemFontProvider::new())))
        .build_ui_state(
            |ui, app: &mut StickyApp| app.ui_root(ui),
            StickyApp::new(Prefs::default()),
        )
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(format!("{name}.json"))
}

/// A file dropped onto the window, as the windowing integration hands it over.
#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

fn drop_file(h: &mut Harness<'static, StickyApp>, path: PathBuf) {
    h.input_mut().dropped_files.push(Arc::new(Dropped(path)));
    h.run_steps(2);
}

#[test]
fn dropped_recording_shows_the_replay_banner() {
    let mut h = harness();
    drop_file(&mut h, fixture("slow-reader"));
    assert_eq!(h.state().status, Status::Replay);
    let rec = Recording::load(&fixture("slow-reader")).expect("fixture");
    // the fixture predates the causality count (issue 14): the window adds it, all else agrees
    let mut stored = rec.summary.clone();
    stored.causality_violations = h.state().model().summary().causality_violations;
    // and the causes (issue 30), found again from its events
    stored.causes = h.state().model().summary().causes.clone();
    assert_eq!(*h.state().model().summary(), stored, "shown exactly as recorded");
    assert!(h
        .query_by_label_contains("Recording slow-reader.json — shown exactly as recorded")
        .is_some());
    assert!(!h.state().is_running(), "a replay does not run anything");
    // the banner's button runs the same settings live
    h.get_by_label("⟳ Run it live").click();
    h.run_steps(2);
    assert!(h.state().is_running() || matches!(h.state().status, Status::Finished { .. }));
    assert_eq!(h.state().prefs.settings, rec.settings);
    assert!(
        h.query_by_label_contains("shown exactly as recorded").is_none(),
        "the banner goes once it runs live"
    );
    h.state_mut().stop();
}

#[test]
fn dropped_malformed_or_future_file_says_what_is_wrong() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bad = dir.path().join("broken.json");
    std::fs::write(
        &bad,
        "{\"format\": \"stickyviz-recording\", \"version\": 1, \"events\": [",
    )
    .expect("write");
    let mut h = harness();
    drop_file(&mut h, bad);
    assert!(h
        .query_by_label_contains("Cannot open broken.json: not a stickyviz recording: the file is not valid JSON")
        .is_some());
    assert_ne!(h.state().status, Status::Replay);

    let newer = dir.path().join("newer.json");
    let text = std::fs::read_to_string(fixture("json-header"))
        .expect("fixture")
        .replacen("\"version\":1", "\"version\":99", 1);
    std::fs::write(&newer, text).expect("write");
    drop_file(&mut h, newer);
    assert!(h
        .query_by_label_contains("Cannot open newer.json: recording format version 99 is newer")
        .is_some());
}

/// Without a system dialog (no portal, as under Xvfb) Open… and Save… ask in a modal path box.
#[test]
fn open_and_save_through_the_file_menu() {
    let dir = tempfile::tempdir().expect("temp dir");
    let copy = dir.path().join("copy.json");
    let mut h = harness();
    h.state_mut().files.system_dialog = false;
    h.get_by_label("File").click();
    h.run();
    h.get_by_label_contains("Open…").click();
    h.run();
    assert!(h.state().files.prompt.is_some(), "the path box opens");
    h.get_by_role_and_label(Role::TextInput, "recording file (.json)")
        .type_text(&fixture("json-header").display().to_string());
    h.run();
    h.get_by_role_and_label(Role::Button, "Open").click();
    h.run();
    assert_eq!(h.state().status, Status::Replay);
    assert!(h.state().files.prompt.is_none(), "the path box closes");
    h.get_by_label("File").click();
    h.run();
    h.get_by_label_contains("Save…").click();
    h.run();
    assert!(
        h.query_by_role_and_label(Role::TextInput, "recording file (.json)")
            .is_some(),
        "Save asks for a path"
    );
    h.state_mut().files.path = copy.display().to_string();
    h.run();
    h.get_by_role_and_label(Role::Button, "Save").click();
    h.run();
    let saved = Recording::load(&copy).expect("the saved file loads");
    let original = Recording::load(&fixture("json-header")).expect("fixture");
    assert_eq!(saved.events, original.events);
    assert_eq!(saved.settings, original.settings);
    assert_eq!(
        saved.kernel, original.kernel,
        "a replay saved again keeps where it was recorded"
    );
}

/// Ctrl+S opens the path box at once, typing goes into it (it has focus) and Enter saves.
#[test]
fn ctrl_s_then_typing_and_enter_saves() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("typed.json");
    let mut h = harness();
    h.state_mut().files.system_dialog = false;
    drop_file(&mut h, fixture("slow-reader"));
    // the box starts from the last path used (here the dropped file's): start from nothing
    h.state_mut().files.path.clear();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    h.run_steps(2);
    assert!(h.state().files.prompt.is_some(), "Ctrl+S opens the path box");
    h.get_by_role_and_label(Role::TextInput, "recording file (.json)")
        .type_text(&out.display().to_string());
    h.run();
    h.key_press(egui::Key::Enter);
    h.run_steps(2);
    assert!(out.is_file(), "Enter in the path box saved the recording");
    assert!(h.state().files.prompt.is_none());
}

#[test]
fn copy_as_text_puts_the_timeline_on_the_clipboard() {
    let mut h = harness();
    drop_file(&mut h, fixture("slow-reader"));
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Copy as text").click();
    h.run_steps(1);
    let copied: Vec<String> = h
        .output()
        .platform_output
        .commands
        .iter()
        .filter_map(|c| match c {
            egui::OutputCommand::CopyText(t) => Some(t.clone()),
            _ => None,
        })
        .collect();
    let expected = h.state().timeline_text();
    assert_eq!(copied, vec![expected.clone()]);
    assert!(expected.contains("send()") && expected.contains("recv()"), "{expected}");
}

#[test]
fn export_svg_writes_the_lanes_beside_the_path() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = harness();
    drop_file(&mut h, fixture("json-header"));
    h.state_mut().files.path = dir.path().join("lesson.json").display().to_string();
    h.state_mut().files.system_dialog = false;
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Export SVG…").click();
    h.run();
    h.get_by_role_and_label(Role::Button, "Export SVG").click();
    h.run();
    let svg = std::fs::read_to_string(dir.path().join("lesson.svg")).expect("the SVG is written");
    let writes = h.state().model().writes().len();
    assert_eq!(svg.matches("class=\"write\"").count(), writes);
    assert!(h.query_by_label_contains("Saved to").is_some());
}

#[test]
fn export_pcapng_says_why_when_nothing_was_captured() {
    let mut h = harness();
    // tests/fixtures predate packet capture: positions only
    drop_file(&mut h, fixture("slow-reader"));
    h.get_by_label("File").click();
    h.run();
    assert!(h
        .query_by_label_contains("pcapng: this recording kept segment positions but not their packets")
        .is_some());
    assert!(h.get_by_label("Export pcapng…").accesskit_node().is_disabled());
}

#[test]
fn export_pcapng_writes_the_captured_packets() {
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/recordings/slow-reader.json");
    let rec = Recording::load(&docs).expect("docs recording");
    if let Some(why) = stickyviz::export::pcapng::why_unavailable(&rec.events) {
        // the test above covers the refusal
        skip::skip(
            skip::Missing::Privilege,
            format!("docs/recordings/slow-reader.json was recorded without a capture: {why:?}"),
        );
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = harness();
    drop_file(&mut h, docs);
    h.state_mut().files.path = dir.path().join("lesson.json").display().to_string();
    h.state_mut().files.system_dialog = false;
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Export pcapng…").click();
    h.run();
    h.get_by_role_and_label(Role::Button, "Export pcapng").click();
    h.run();
    let bytes = std::fs::read(dir.path().join("lesson.pcapng")).expect("written");
    assert_eq!(&bytes[..4], &[0x0a, 0x0d, 0x0d, 0x0a], "a pcapng section header block");
}

#[test]
fn a_finished_live_run_saves_and_loads_back_the_same_model() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("live.json");
    let mut h = harness();
    let ctx = h.ctx.clone();
    h.state_mut().start(&ctx);
    assert!(
        h.state_mut().wait_for_run(&ctx, std::time::Duration::from_secs(10)),
        "run did not finish"
    );
    h.run_steps(2);
    h.state_mut().save_recording(&path);
    let rec = Recording::load(&path).expect("the saved run loads");
    assert_eq!(rec.preset.as_deref(), Some("slow-reader"), "the lesson it came from");
    let live = h.state().model().summary().clone();
    assert_eq!(rec.summary, live, "the stored summary is what the window showed");
    assert_eq!(
        *stickyviz::analysis::Model::from_events(&rec.events).summary(),
        live,
        "and the events rebuild it"
    );
    // opening it again shows the same numbers, as a replay
    h.state_mut().open_recording(&path);
    h.run_steps(1);
    assert_eq!(h.state().status, Status::Replay);
    assert_eq!(*h.state().model().summary(), live);
}

/// `count` messages of 10 bytes read one byte per `recv()`: `10 * count` reads.
fn one_byte_reads(count: u32) -> stickyviz::config::Experiment {
    use stickyviz::config::{Experiment, Transports, Workload};
    let mut exp = Experiment {
        transports: Transports::Tcp,
        workload: Workload {
            count,
            size_min: 10,
            size_max: 10,
            gap_us: 0,
            ..Workload::default()
        },
        ..Experiment::default()
    };
    exp.receiver.read_size = 1;
    exp
}

fn temp_recordings(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|d| d.map(|e| e.expect("entry").path()).collect())
        .unwrap_or_default()
}

/// Issue 17: a live run streams to a temporary recording, so a run with far more events than
/// the window keeps in memory saves complete (plain and gzip), loads with every event and the
/// summary the window showed; the file is removed by the next run and by the app's exit.
#[test]
fn a_run_longer_than_the_memory_cap_saves_completely_and_its_temp_file_goes() {
    use eframe::App as _;
    let dir = tempfile::tempdir().expect("temp dir");
    let temp = dir.path().join("tmp");
    std::fs::create_dir(&temp).expect("temp dir");
    let mut h = harness();
    let ctx = h.ctx.clone();
    h.state_mut().files.temp_dir = temp.clone();
    h.state_mut().files.max_kept = 50;
    h.state_mut().run_settings(one_byte_reads(2_000), None, &ctx);
    assert!(
        h.state_mut().wait_for_run(&ctx, std::time::Duration::from_secs(30)),
        "run did not finish"
    );
    h.run_steps(2);
    let first = temp_recordings(&temp);
    assert_eq!(first.len(), 1, "one temporary recording: {first:?}");
    let total = h.state().session.record().total();
    assert!(total > 20_000, "{total} events: 20,000 reads and more");
    assert!(
        h.state().session.record().kept().len() < 1_000,
        "{} events held in memory",
        h.state().session.record().kept().len()
    );
    let live = h.state().model().summary().clone();
    assert_eq!(live.reads, 20_000, "recv(1): one read per byte");
    for name in ["long.json", "long.json.gz"] {
        let path = dir.path().join(name);
        h.state_mut().save_recording(&path);
        assert!(h.state().files.error.is_none(), "{name}: {:?}", h.state().files.error);
        let rec = Recording::load(&path).expect("the saved run loads");
        assert_eq!(rec.events.len() as u64, total, "{name}: every event saved");
        assert_eq!(
            rec.summary, live,
            "{name}: the stored summary is what the window showed"
        );
        assert_eq!(
            *stickyviz::analysis::Model::from_events(&rec.events).summary(),
            live,
            "{name}: the events rebuild it"
        );
    }
    assert_eq!(
        std::fs::read(dir.path().join("long.json.gz")).expect("gz")[..2],
        [0x1f, 0x8b],
        "gzip by name"
    );
    // the next run removes the last one's file and starts its own
    h.state_mut().run_settings(one_byte_reads(10), None, &ctx);
    assert!(
        h.state_mut().wait_for_run(&ctx, std::time::Duration::from_secs(10)),
        "run did not finish"
    );
    let second = temp_recordings(&temp);
    assert!(
        second.len() == 1 && second != first,
        "the first run's file is gone: {first:?} → {second:?}"
    );
    h.state_mut().on_exit();
    assert_eq!(temp_recordings(&temp), Vec::<PathBuf>::new(), "no file left after exit");
    // dropping the app (no on_exit) removes it too
    h.state_mut().run_settings(one_byte_reads(10), None, &ctx);
    assert_eq!(temp_recordings(&temp).len(), 1);
    drop(h);
    assert_eq!(temp_recordings(&temp), Vec::<PathBuf>::new(), "no file left after drop");
}

/// Without a temporary recording (its folder is missing) the window says so at the start,
/// keeps what it can, and Save says why it cannot write the whole run.
#[test]
fn a_temp_recording_that_cannot_be_made_is_said_and_save_refuses_a_partial_run() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = harness();
    let ctx = h.ctx.clone();
    h.state_mut().files.temp_dir = dir.path().join("missing");
    h.state_mut().files.max_kept = 50;
    h.state_mut().run_settings(one_byte_reads(100), None, &ctx);
    h.run_steps(2);
    assert!(
        h.query_by_label_contains("Cannot write this run's temporary recording")
            .is_some(),
        "said on screen"
    );
    assert!(
        h.state_mut().wait_for_run(&ctx, std::time::Duration::from_secs(10)),
        "run did not finish"
    );
    h.run_steps(2);
    let path = dir.path().join("partial.json");
    h.state_mut().save_recording(&path);
    h.run_steps(1);
    assert!(
        h.query_by_label_contains("This run has more than 50 events").is_some(),
        "{:?}",
        h.state().files.error
    );
    assert!(!path.exists(), "nothing partial written");
}

/// A listen session in the window is recorded like a loopback run: Save writes all of it (it
/// once answered "too big", the listen's reset leaving nothing to keep events in), with the
/// class roster, and the file rebuilds what the window showed.
#[test]
fn save_after_a_listen_session_writes_the_whole_session() {
    use std::io::Write as _;
    let cli = <stickyviz::cli::Cli as clap::Parser>::try_parse_from([
        "stickyviz",
        "listen",
        "--tcp",
        "0",
        "--framing",
        "newline",
        "--clients",
        "2",
    ])
    .expect("flags parse");
    let Some(stickyviz::cli::Command::Listen(args)) = cli.command else {
        panic!("a listen command")
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = harness();
    let ctx = h.ctx.clone();
    let (on, opts) = stickyviz::cli::peer::listen_spec(&args, stickyviz::i18n::Lang::En).expect("flags are valid");
    let bound = stickyviz::ui::listen::start_listening(h.state_mut(), on, opts, &ctx).expect("listens");
    for client in 0..2 {
        let mut conn = std::net::TcpStream::connect(bound).expect("connects");
        for line in 0..50 {
            writeln!(conn, "client {client} line {line}").expect("sends");
        }
    }
    assert!(
        h.state_mut().wait_for_run(&ctx, std::time::Duration::from_secs(30)),
        "the listen ends once both clients were served"
    );
    h.run_steps(2);
    let live = h.state().model().summary().clone();
    let path = dir.path().join("listen.json");
    h.state_mut().save_recording(&path);
    assert!(h.state().files.error.is_none(), "{:?}", h.state().files.error);
    let rec = Recording::load(&path).expect("the saved session loads");
    assert_eq!(
        rec.events.len() as u64,
        h.state().session.record().total(),
        "every event of the session"
    );
    assert_eq!(rec.summary, live, "the stored summary is what the window showed");
    assert_eq!(*stickyviz::analysis::Model::from_events(&rec.events).summary(), live);
    let class = rec.class.expect("the class roster, as `listen --json` writes it");
    assert_eq!(class.clients.len(), 2, "one entry per client");
    assert!(
        class.clients.iter().all(|c| c.frames == 50),
        "every line of both clients decoded: {:?}",
        class.clients
    );
}

/// The window's File → Export pcapng of a live run and `render RECORDING --out x.pcapng` of
/// the same run saved are the same file: the packets a live run keeps for the export are all
/// a recording of it gives. Needs a capture (root or CAP_NET_RAW); says "skipped" without one.
#[test]
fn a_live_runs_pcapng_and_renders_pcapng_of_its_recording_are_the_same_packets() {
    let dir = tempfile::tempdir().expect("temp dir");
    let exp = stickyviz::presets::find("flow-control").expect("preset").experiment;
    let mut h = harness();
    let ctx = h.ctx.clone();
    h.state_mut().run_settings(exp, Some("flow-control"), &ctx);
    assert!(
        h.state_mut().wait_for_run(&ctx, std::time::Duration::from_secs(30)),
        "run did not finish"
    );
    h.run_steps(2);
    if let Some(why) = h.state().session.pcapng_unavailable() {
        return skip::skip(skip::Missing::Privilege, format!("the export needs a capture: {why:?}"));
    }
    h.state_mut().files.path = dir.path().join("live.json").display().to_string();
    h.state_mut().files.system_dialog = false;
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Export pcapng…").click();
    h.run();
    h.get_by_role_and_label(Role::Button, "Export pcapng").click();
    h.run();
    let from_window = std::fs::read(dir.path().join("live.pcapng")).expect("the window wrote it");
    let saved = dir.path().join("saved.json.gz");
    h.state_mut().save_recording(&saved);
    assert!(h.state().files.error.is_none(), "{:?}", h.state().files.error);
    let rendered = dir.path().join("rendered.pcapng");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_stickyviz"))
        .arg("render")
        .arg(&saved)
        .arg("--out")
        .arg(&rendered)
        .output()
        .expect("the binary runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let from_render = std::fs::read(&rendered).expect("render wrote it");
    assert!(from_window.len() > 1_000, "{} bytes: the packets", from_window.len());
    assert!(
        from_window == from_render,
        "the same packets, byte for byte ({} vs {} bytes)",
        from_window.len(),
        from_render.len()
    );
}

/// "why?" in the inspector (issue 30): on naive-header's recording, the selected read's cause is
/// said in one sentence, in the window's language (a tall window: the inspector is on screen).
#[test]
fn why_says_the_selected_reads_cause() {
    for (lang, button, said) in [
        (
            stickyviz::i18n::Lang::En,
            "why?",
            "r0 split m0: recv(4) is smaller than the message",
        ),
        (
            stickyviz::i18n::Lang::Zh,
            "为什么？",
            "r0 把 m0 切开了：recv(4) 比这条消息",
        ),
    ] {
        let mut h = Harness::builder()
            .with_size([1280.0, 2000.0])
            .with_context_setup(|ctx| {
                ctx.add_font_provider(Arc::new(egui_system_font_provider::SystemFontProvider::new()))
            })
            .build_ui_state(
                |ui, app: &mut StickyApp| app.ui_root(ui),
                StickyApp::new(Prefs {
                    lang,
                    ..Prefs::default()
                }),
            );
        drop_file(
            &mut h,
            Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/recordings/naive-header.json"),
        );
        assert!(h.query_by_label_contains(said).is_none(), "said only when asked");
        h.get_by_label(button).click();
        h.run_steps(2);
        assert!(h.query_by_label_contains(said).is_some(), "{lang:?}");
    }
}
