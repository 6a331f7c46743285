//! Issue-4 lessons in the window: the request/response panel (reply axis, latency plot),
//! many-clients lane groups, and `listen` showing a real Python client live.
#![cfg(feature = "gui")]

use std::sync::Arc;
use std::time::Duration;

use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use stickyviz::ui::{Prefs, StickyApp};

fn harness() -> Harness<'static, StickyApp> {
    Harness::builder()
        .with_size([1280.0, 1000.0])
        .with_context_setup(|ctx| ctx.add_font_provider(Arc::new(egui_system_font_provider::SystemFontProvider::new())))
        .wgpu()
        .build_ui_state(
            |ui, app: &mut StickyApp| app.ui_root(ui),
            StickyApp::new(Prefs::default()),
        )
}

fn run_lesson(h: &mut Harness<'static, StickyApp>, name: &str) {
    let ctx = h.ctx.clone();
    h.state_mut().load_preset(name, &ctx);
    h.run_steps(1);
    assert!(
        h.state_mut().wait_for_run(&ctx, Duration::from_secs(20)),
        "run did not finish"
    );
    h.run_steps(3);
}

#[test]
fn echo_preset_shows_replies_and_latency_plot() {
    let mut h = harness();
    run_lesson(&mut h, "echo");
    let echo = h.state().model().echo().expect("a request/response model");
    assert_eq!(echo.rounds.len(), 20);
    assert!(
        h.query_by_label_contains("Latency per request").is_some(),
        "the latency plot is shown"
    );
    assert!(
        h.query_by_label_contains("Replies (server → client)").is_some(),
        "the reply axis is shown"
    );
    if let Ok(path) = std::env::var("STICKYVIZ_SHOT") {
        h.render().expect("renders").save(path).expect("saves");
    }
}

#[test]
fn many_clients_shows_a_lane_group_per_connection() {
    let mut h = harness();
    run_lesson(&mut h, "many-clients");
    let echo = h.state().model().echo().expect("a request/response model");
    assert_eq!(echo.connections.len(), 2, "connections 1 and 2 beside the main one");
    assert!(echo
        .connections
        .iter()
        .all(|c| c.summary().messages == 6 && c.summary().bytes_received == c.summary().bytes_sent));
    assert!(h.query_by_label_contains("connection 1 — its own").is_some());
    assert!(h.query_by_label_contains("connection 2 — its own").is_some());
    if let Ok(path) = std::env::var("STICKYVIZ_SHOT_MANY") {
        h.render().expect("renders").save(path).expect("saves");
    }
}

#[test]
fn listen_window_shows_a_python_clients_frames_live() {
    use clap::Parser;
    let cli = stickyviz::cli::Cli::try_parse_from([
        "stickyviz",
        "listen",
        "--tcp",
        "0",
        "--framing",
        "seed-json",
        "--read-size",
        "64",
    ])
    .expect("flags parse");
    let Some(stickyviz::cli::Command::Listen(args)) = cli.command else {
        panic!("a listen command")
    };
    let mut h = harness();
    let ctx = h.ctx.clone();
    let (on, opts) = stickyviz::cli::peer::listen_spec(&args, stickyviz::i18n::Lang::En).expect("flags are valid");
    let bound = stickyviz::ui::listen::start_listening(h.state_mut(), on, opts, &ctx).expect("listens");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/python/seed_json_client.py");
    let py = std::process::Command::new("python3")
        .args([script, &bound.port().to_string(), "6"])
        .output()
        .expect("python3 runs");
    assert!(py.status.success(), "{}", String::from_utf8_lossy(&py.stderr));
    assert!(
        h.state_mut().wait_for_run(&ctx, Duration::from_secs(20)),
        "the listen run ends when the client closes"
    );
    h.run_steps(3);
    let m = h.state().model();
    assert_eq!(
        m.summary().frames,
        6,
        "every frame the Python client sent, decoded in the window"
    );
    assert!(m.reads().iter().all(|r| r.len <= 64));
    assert!(m.connection().is_some(), "the client's address is known");
}

#[test]
fn listen_udp_window_lists_an_external_clients_datagrams() {
    use clap::Parser;
    let cli = stickyviz::cli::Cli::try_parse_from([
        "stickyviz",
        "listen",
        "--udp",
        "0",
        "--read-size",
        "1024",
        "--idle-ms",
        "300",
    ])
    .expect("flags parse");
    let Some(stickyviz::cli::Command::Listen(args)) = cli.command else {
        panic!("a listen command")
    };
    let mut h = harness();
    let ctx = h.ctx.clone();
    let (on, opts) = stickyviz::cli::peer::listen_spec(&args, stickyviz::i18n::Lang::En).expect("flags are valid");
    let bound = stickyviz::ui::listen::start_listening(h.state_mut(), on, opts, &ctx).expect("listens");
    // a client with no msg-N| ids in its datagrams, like the course's UDP programs
    let client = std::net::UdpSocket::bind("127.0.0.1:0").expect("bind");
    client.send_to(b"hello", bound).expect("send");
    client.send_to(&[b'x'; 2000], bound).expect("send");
    assert!(
        h.state_mut().wait_for_run(&ctx, Duration::from_secs(20)),
        "the UDP listen ends after the idle time"
    );
    h.run_steps(3);
    let m = h.state().model();
    let seen: Vec<_> = m
        .unidentified_datagrams()
        .iter()
        .map(|d| (d.len, d.received.map(|r| r.0)))
        .collect();
    assert_eq!(
        seen,
        [(5, Some(5)), (2000, Some(1024))],
        "both datagrams listed with their real length"
    );
    assert!(
        h.query_by_label_contains("1 truncated (MSG_TRUNC)").is_some(),
        "the panel reports the truncation"
    );
}
