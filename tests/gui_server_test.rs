//! The window's "Test your server" (File menu), with egui_kittest: open it, type the address of a
//! real echo server on 127.0.0.1, press Run, and read the report rows, one per scenario. The
//! servers are real sockets on threads of this test: one that frames correctly (every row
//! passes) and none at all (every row fails, saying it could not connect).
#![cfg(feature = "gui")]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use stickyviz::framing::FramingMode;
use stickyviz::ui::{Prefs, StickyApp};

fn harness() -> Harness<'static, StickyApp> {
    Harness::builder()
        .with_size([1280.0, 800.0])
        .with_context_setup(|ctx| ctx.add_font_provider(Arc::new(egui_system_font_provider::SystemFontProvider::new())))
        .build_ui_state(
            |ui, app: &mut StickyApp| app.ui_root(ui),
            StickyApp::new(Prefs {
                auto_rerun: false,
                ..Prefs::default()
            }),
        )
}

/// A u32 echo server that reads each frame exactly (looping on short reads) and answers it
/// upper-cased, one thread per client; runs until the test process ends.
fn correct_u32_server() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for conn in listener.incoming().map_while(Result::ok) {
            std::thread::spawn(move || serve(conn));
        }
    });
    port
}

fn serve(mut conn: TcpStream) {
    let mut prefix = [0u8; 4];
    while conn.read_exact(&mut prefix).is_ok() {
        let mut body = vec![0u8; u32::from_be_bytes(prefix) as usize];
        if conn.read_exact(&mut body).is_err() {
            return;
        }
        let mut reply = prefix.to_vec();
        reply.extend(body.to_ascii_uppercase());
        if conn.write_all(&reply).is_err() {
            return;
        }
    }
}

/// Opens the section from the File menu, types `address`, sets u32 and runs; steps the UI
/// until every scenario has reported.
fn run_tests(h: &mut Harness<'static, StickyApp>, address: &str) {
    h.get_by_label("File").click();
    h.run_steps(2);
    h.get_by_label("Test your server…").click();
    h.run_steps(2);
    h.get_by_role_and_label(Role::TextInput, "Address").focus();
    h.run_steps(1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_role_and_label(Role::TextInput, "Address").type_text(address);
    h.run_steps(1);
    // the combo's items repeat names the settings panel shows too: set the choice directly
    h.state_mut().server_test.framing = FramingMode::U32;
    h.run_steps(1);
    h.get_by_label("▶ Run the tests").click();
    let end = Instant::now() + Duration::from_secs(60);
    while h.state().server_test.is_running() || h.state().server_test.reports.is_empty() {
        assert!(Instant::now() < end, "the scenarios did not end");
        h.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    h.run_steps(3);
}

#[test]
fn server_test_report_shows_every_scenario_passing_against_a_correct_server() {
    let port = correct_u32_server();
    let mut h = harness();
    run_tests(&mut h, &port.to_string());
    let reports = &h.state().server_test.reports;
    assert_eq!(reports.len(), 8, "{reports:?}");
    assert!(reports.iter().all(|r| r.verdict.passed()), "{reports:?}");
    h.get_by_label("8 of 8 scenarios passed");
    for name in [
        "one frame",
        "many frames in one write",
        "1-byte writes",
        "header apart from body",
        "length prefix split",
        "empty body",
        "large body",
        "two clients at once",
    ] {
        h.get_by_label(name);
    }
    assert_eq!(h.query_all_by_label("pass").count(), 8);
    assert!(h
        .query_all_by_label_contains("every frame answered, upper-cased")
        .next()
        .is_some());
    // what was sent, bytes a student can read: the u32 prefix of a 24-byte payload, then text
    assert!(h
        .query_all_by_label_contains(
            "sent: 28 B in 2 writes 100 ms apart, frames 1: \"\\x00\\x00\\x00\\x18hello stickyviz"
        )
        .next()
        .is_some());
}

#[test]
fn server_test_report_says_why_each_scenario_failed() {
    // a port nobody listens on
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let mut h = harness();
    run_tests(&mut h, &format!("127.0.0.1:{port}"));
    assert_eq!(h.query_all_by_label("FAIL").count(), 8);
    h.get_by_label("0 of 8 scenarios passed");
    assert!(h.query_all_by_label_contains("cannot connect").next().is_some());
}

#[test]
fn server_test_refuses_a_bad_address() {
    let mut h = harness();
    h.get_by_label("File").click();
    h.run_steps(2);
    h.get_by_label("Test your server…").click();
    h.run_steps(2);
    h.get_by_role_and_label(Role::TextInput, "Address").focus();
    h.run_steps(1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_role_and_label(Role::TextInput, "Address")
        .type_text("not an address");
    h.run_steps(1);
    h.get_by_label("▶ Run the tests").click();
    h.run_steps(2);
    assert!(!h.state().server_test.is_running());
    h.get_by_label("'not an address' is not PORT or HOST:PORT");
}
