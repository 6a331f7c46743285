//! The window's failures in Chinese (egui_kittest): each provoked for real, each shown on
//! screen in Chinese with only the OS's quoted words, a path or an address left in English.
#![cfg(feature = "gui")]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use egui_kittest::kittest::{NodeT, Queryable};
use egui_kittest::Harness;
use stickyviz::i18n::Lang;
use stickyviz::ui::{Prefs, StickyApp};

#[path = "support/zh_only.rs"]
mod zh_only;
use zh_only::assert_zh_only;

fn harness() -> Harness<'static, StickyApp> {
    Harness::builder()
        .with_size([1280.0, 800.0])
        .with_context_setup(|ctx| ctx.add_font_provider(Arc::new(egui_system_font_provider::SystemFontProvider::new())))
        .build_ui_state(
            |ui, app: &mut StickyApp| app.ui_root(ui),
            StickyApp::new(Prefs {
                lang: Lang::Zh,
                ..Prefs::default()
            }),
        )
}

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/slow-reader.json")
}

/// The window's file error: in Chinese, and on screen.
fn file_error(h: &mut Harness<'static, StickyApp>, what: &str) -> String {
    h.run_steps(2);
    let e = h
        .state()
        .files
        .error
        .clone()
        .unwrap_or_else(|| panic!("{what}: no error"));
    assert_zh_only(what, &e);
    assert!(h.query_by_label_contains(&e).is_some(), "{what}: not on screen: {e}");
    e
}

#[test]
fn a_file_that_is_not_a_recording_is_said_in_chinese() {
    let dir = tempfile::tempdir().expect("temp dir");
    let good = std::fs::read_to_string(fixture()).expect("fixture");
    let write = |name: &str, bytes: &[u8]| {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).expect("write");
        p
    };
    let files = [
        dir.path().join("missing.json"),
        write("empty.json", b""),
        write("truncated.json", &good.as_bytes()[..good.len() / 2]),
        write("corrupt.json", b"hello, I am not JSON"),
        write(
            "newer.json",
            good.replacen("\"version\":1", "\"version\":99", 1).as_bytes(),
        ),
        write("garbage.json.gz", b"\x1f\x8b\x08\x00garbage, not deflate"),
    ];
    let mut h = harness();
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        h.state_mut().open_recording(f);
        let e = file_error(&mut h, &name);
        assert!(e.contains(&name), "names the file: {e}");
    }
}

#[test]
fn saving_and_exporting_where_nothing_can_be_written_is_said_in_chinese() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = harness();
    h.state_mut().open_recording(&fixture());
    h.run_steps(2);
    assert!(h.state().files.error.is_none(), "{:?}", h.state().files.error);
    let missing = dir.path().join("no-such-dir");
    h.state_mut().save_recording(&missing.join("x.json"));
    let e = file_error(&mut h, "save");
    assert!(e.contains("“No such file or directory”"), "{e}");
    h.state_mut().export_svg(&missing.join("x.svg"), true);
    file_error(&mut h, "export svg");
}

#[test]
fn a_temporary_recording_that_cannot_be_made_is_said_in_chinese() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = harness();
    let ctx = h.ctx.clone();
    h.state_mut().files.temp_dir = dir.path().join("missing");
    let mut exp = stickyviz::config::Experiment::default();
    exp.workload.count = 3;
    h.state_mut().run_settings(exp, None, &ctx);
    file_error(&mut h, "temporary recording");
    assert!(h.state_mut().wait_for_run(&ctx, std::time::Duration::from_secs(10)));
}

#[test]
fn a_port_in_use_is_said_in_chinese_in_the_listen_window() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port().to_string();
    let cli = <stickyviz::cli::Cli as clap::Parser>::try_parse_from(["stickyviz", "listen", "--tcp", &port])
        .expect("flags parse");
    let Some(stickyviz::cli::Command::Listen(args)) = cli.command else {
        panic!("a listen command")
    };
    let (on, opts) = stickyviz::cli::peer::listen_spec(&args, Lang::Zh).expect("flags are valid");
    let mut h = harness();
    let ctx = h.ctx.clone();
    assert!(stickyviz::ui::listen::start_listening(h.state_mut(), on, opts, &ctx).is_err());
    h.run_steps(2);
    let e = h.state().start_error.clone().expect("said in the window");
    assert_zh_only("listen in use", &e);
    assert!(e.contains("“Address already in use”") && e.contains(&port), "{e}");
    assert!(
        h.query_by_label_contains("Address already in use").is_some(),
        "on screen: {e}"
    );
}

#[test]
fn a_bad_server_address_and_a_refused_connection_are_said_in_chinese() {
    let mut h = harness();
    let ctx = h.ctx.clone();
    h.state_mut().server_test.open = true;
    h.state_mut().server_test.address = "not an address".into();
    h.state_mut().server_test.start(&ctx, Lang::Zh);
    h.run_steps(2);
    let e = h.state().server_test.error.clone().expect("refused");
    assert_zh_only("server test bad address", &e);
    // a port nobody listens on: every scenario says why, in Chinese, the OS's words quoted
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    h.state_mut().server_test.address = format!("127.0.0.1:{port}");
    h.state_mut().server_test.framing = stickyviz::framing::FramingMode::U32;
    h.state_mut().server_test.start(&ctx, Lang::Zh);
    let end = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while h.state().server_test.is_running() || h.state().server_test.reports.is_empty() {
        assert!(std::time::Instant::now() < end, "the scenarios did not end");
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    h.run_steps(3);
    let refused = h.query_all_by_label_contains("“Connection refused”").count();
    assert!(refused > 0, "each scenario says why");
    for node in h.query_all_by_label_contains("“Connection refused”") {
        let n = node.accesskit_node();
        let label = n
            .label()
            .filter(|l| !l.is_empty())
            .or_else(|| n.value())
            .unwrap_or_default();
        assert_zh_only("server test refused", &label);
    }
}
