//! The request/response panel in the window: pick the `echo` lesson, run it for real, see the
//! reply axis and the latency plot.
#![cfg(feature = "gui")]

use std::sync::Arc;
use std::time::Duration;

use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use stickyviz::ui::{Prefs, StickyApp};

#[test]
fn echo_preset_shows_replies_and_latency_plot() {
    let mut h = Harness::builder()
        .with_size([1280.0, 1000.0])
        .with_context_setup(|ctx| ctx.add_font_provider(Arc::new(egui_system_font_provider::SystemFontProvider::new())))
        .wgpu()
        .build_ui_state(|ui, app: &mut StickyApp| app.ui_root(ui), StickyApp::new(Prefs::default()));
    let ctx = h.ctx.clone();
    h.state_mut().load_preset("echo", &ctx);
    h.run_steps(1);
    assert!(h.state_mut().wait_for_run(&ctx, Duration::from_secs(20)), "run did not finish");
    h.run_steps(3);
    let echo = h.state().model.echo.as_deref().expect("a request/response model");
    assert_eq!(echo.rounds.len(), 20);
    assert!(h.query_by_label_contains("Latency per request").is_some(), "the latency plot is shown");
    assert!(h.query_by_label_contains("Replies (server → client)").is_some(), "the reply axis is shown");
    if let Ok(path) = std::env::var("STICKYVIZ_SHOT") {
        h.render().expect("renders").save(path).expect("saves");
    }
}
