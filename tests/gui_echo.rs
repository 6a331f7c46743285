//! The request/response panel in the window: pick the `echo` lesson, run it for real, see the
//! reply axis and the latency plot.
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
        .build_ui_state(|ui, app: &mut StickyApp| app.ui_root(ui), StickyApp::new(Prefs::default()))
}

fn run_lesson(h: &mut Harness<'static, StickyApp>, name: &str) {
    let ctx = h.ctx.clone();
    h.state_mut().load_preset(name, &ctx);
    h.run_steps(1);
    assert!(h.state_mut().wait_for_run(&ctx, Duration::from_secs(20)), "run did not finish");
    h.run_steps(3);
}

#[test]
fn echo_preset_shows_replies_and_latency_plot() {
    let mut h = harness();
    run_lesson(&mut h, "echo");
    let echo = h.state().model.echo.as_deref().expect("a request/response model");
    assert_eq!(echo.rounds.len(), 20);
    assert!(h.query_by_label_contains("Latency per request").is_some(), "the latency plot is shown");
    assert!(h.query_by_label_contains("Replies (server → client)").is_some(), "the reply axis is shown");
    if let Ok(path) = std::env::var("STICKYVIZ_SHOT") {
        h.render().expect("renders").save(path).expect("saves");
    }
}

#[test]
fn many_clients_shows_a_lane_group_per_connection() {
    let mut h = harness();
    run_lesson(&mut h, "many-clients");
    let echo = h.state().model.echo.as_deref().expect("a request/response model");
    assert_eq!(echo.connections.len(), 2, "connections 1 and 2 beside the main one");
    assert!(echo.connections.iter().all(|c| c.summary.messages == 6 && c.summary.bytes_received == c.summary.bytes_sent));
    assert!(h.query_by_label_contains("connection 1 — its own").is_some());
    assert!(h.query_by_label_contains("connection 2 — its own").is_some());
    if let Ok(path) = std::env::var("STICKYVIZ_SHOT_MANY") {
        h.render().expect("renders").save(path).expect("saves");
    }
}
