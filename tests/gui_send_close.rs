//! The course's last two lessons in the window (issue 32): the boxes that switch them, and what
//! the window then shows, on real runs on 127.0.0.1.
#![cfg(all(feature = "gui", target_os = "linux"))]

use std::sync::Arc;
use std::time::Duration;

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use stickyviz::config::SendCall;
use stickyviz::ui::{Prefs, StickyApp};

fn harness() -> Harness<'static, StickyApp> {
    Harness::builder()
        .with_size([1280.0, 800.0])
        .with_context_setup(|ctx| ctx.add_font_provider(Arc::new(egui_system_font_provider::SystemFontProvider::new())))
        .build_ui_state(
            |ui, app: &mut StickyApp| app.ui_root(ui),
            StickyApp::new(Prefs::default()),
        )
}

fn finish_run(h: &mut Harness<'static, StickyApp>) {
    h.run_steps(1);
    let ctx = h.ctx.clone();
    assert!(
        h.state_mut().wait_for_run(&ctx, Duration::from_secs(20)),
        "run did not finish"
    );
    h.run_steps(3);
}

fn open(h: &mut Harness<'static, StickyApp>, lesson: &str) {
    let ctx = h.ctx.clone();
    h.state_mut().load_preset(lesson, &ctx);
    finish_run(h);
}

#[test]
fn send_vs_sendall_shows_the_bytes_never_sent_and_sendall_delivers_every_frame() {
    let mut h = harness();
    open(&mut h, "send-vs-sendall");
    assert!(h.state().model().summary().never_sent_bytes > 0);
    h.get_by_label("bytes never sent (by the program)");
    h.get_by_role_and_label(Role::ComboBox, "Send call").click();
    h.run();
    h.get_by_label("sendall (until all is taken)").click();
    h.run_steps(1);
    assert_eq!(h.state().prefs.settings.sender.send_call, SendCall::Sendall);
    // "re-run on change" (on by default) runs it again
    finish_run(&mut h);
    let s = h.state().model().summary().clone();
    assert_eq!(s.never_sent_bytes, 0);
    assert_eq!(s.bytes_received, s.bytes_sent);
    assert_eq!((s.frames, s.intact_frames), (4, 4), "{s:?}");
    assert!(h.query_by_label_contains("bytes never sent").is_none());
    // the box stays, so the lesson can be switched back
    h.get_by_role_and_label(Role::ComboBox, "Send call");
}

#[test]
fn address_in_use_says_eaddrinuse_and_so_reuseaddr_on_binds() {
    let mut h = harness();
    open(&mut h, "address-in-use");
    assert!(h
        .query_by_label_contains(
            "right after the first server closed, SO_REUSEADDR off: address already in use (EADDRINUSE)"
        )
        .is_some());
    assert!(h.query_by_label_contains("is TIME_WAIT").is_some());
    // Nagle's radios come first, then the server's SO_REUSEADDR
    h.get_all_by_label("on").last().expect("the SO_REUSEADDR radio").click();
    h.run_steps(1);
    assert_eq!(h.state().prefs.settings.restart.map(|r| r.reuse_addr), Some(true));
    // "re-run on change" (on by default) runs it again
    finish_run(&mut h);
    assert!(h
        .query_by_label_contains("right after the first server closed, SO_REUSEADDR on: bound")
        .is_some());
}
