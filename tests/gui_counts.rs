//! The window's numbers agree with the summary (issue 14), with egui_kittest: the stats strip,
//! the UDP line and the problems a run reports.
#![cfg(feature = "gui")]

use std::sync::Arc;
use std::time::Duration;

use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use stickyviz::analysis::DatagramFate;
use stickyviz::config::Experiment;
use stickyviz::facts::{Event, MsgId, StreamOffset};
use stickyviz::recording::Recording;
use stickyviz::ui::{Prefs, StickyApp};

fn builder() -> egui_kittest::HarnessBuilder<StickyApp> {
    Harness::builder()
        .with_size([1280.0, 800.0])
        .with_context_setup(|ctx| ctx.add_font_provider(Arc::new(egui_system_font_provider::SystemFontProvider::new())))
}

fn showing(events: Vec<Event>) -> Harness<'static, StickyApp> {
    let mut app = StickyApp::new(Prefs::default());
    app.show_recording(&Recording::new(Experiment::default(), events));
    let mut h = builder().build_ui_state(|ui, app: &mut StickyApp| app.ui_root(ui), app);
    h.run_steps(2);
    h
}

/// A run of `captured` captured segments out of the kernel's `kernel`, and `writes` writes of
/// which `short` were short.
fn tcp_run(captured: u32, kernel: u32, writes: u32, short: u32) -> Vec<Event> {
    let mut events = vec![Event::Message {
        at_us: 0,
        msg: MsgId(0),
        offset: StreamOffset(0),
        len: writes * 10,
        header_len: 0,
    }];
    for i in 0..writes {
        let requested = if i < short { 20 } else { 10 };
        let offset = StreamOffset(u64::from(i) * 10);
        events.push(Event::Write {
            start_us: Some(1),
            at_us: 2,
            msg: MsgId(0),
            offset,
            len: 10,
            requested: Some(requested),
            segs_out: 0,
            notsent: 0,
            unacked: 0,
        });
    }
    for i in 0..captured {
        events.push(Event::Segment {
            at_us: 3,
            offset: StreamOffset(u64::from(i) * 10),
            len: 10,
            packet: None,
        });
    }
    events.push(Event::Read {
        start_us: Some(1),
        at_us: 4,
        offset: StreamOffset(0),
        len: writes * 10,
        requested: 65536,
    });
    events.push(Event::WireTotal {
        at_us: 5,
        segs_out: kernel,
        retransmitted: None,
    });
    events.push(Event::CaptureStats {
        at_us: 5,
        dropped: u64::from(kernel - captured),
    });
    events.push(Event::Finished { at_us: 6 });
    events
}

#[test]
fn the_stats_strip_says_a_capture_gap_and_short_writes() {
    let h = showing(tcp_run(38, 40, 40, 2));
    assert!(h.query_by_label("38/40").is_some(), "segments: 38 of the kernel's 40");
    assert!(
        h.query_by_label("writes (2 short)").is_some(),
        "the writes say why there are more than messages"
    );
    let h = showing(tcp_run(40, 40, 40, 0));
    assert!(h.query_by_label("40/40").is_none(), "no gap, one number");
    assert!(h.query_all_by_label("40").next().is_some(), "no gap, one number");
    assert!(h.query_by_label("writes").is_some());
}

/// hmac-handshake runs unframed: its only frames are the handshake's own, so the strip
/// counts those ("1/1"), not one frame of six messages ("1/6").
#[test]
fn frames_without_framing_count_only_the_frames_there_are() {
    let mut events = tcp_run(1, 1, 1, 0);
    for i in 1..6 {
        events.insert(
            0,
            Event::Message {
                at_us: 0,
                msg: MsgId(i),
                offset: StreamOffset(10 * u64::from(i)),
                len: 10,
                header_len: 0,
            },
        );
    }
    events.push(Event::Frame {
        at_us: 4,
        index: 0,
        offset: StreamOffset(0),
        len: 10,
        payload_len: 10,
        intact: true,
    });
    let h = showing(events);
    assert!(h.query_by_label("1/1").is_some(), "one handshake frame, intact");
    assert!(h.query_by_label("1/6").is_none());
}

/// A mis-stamped event is a problem on screen, never hidden.
#[test]
fn a_read_before_its_write_is_shown_as_a_problem() {
    let mut events = tcp_run(0, 0, 1, 0);
    events.retain(|e| !matches!(e, Event::Read { .. }));
    events.push(Event::Read {
        start_us: Some(0),
        at_us: 0,
        offset: StreamOffset(0),
        len: 10,
        requested: 1024,
    });
    let h = showing(events);
    assert!(
        h.query_by_label_contains("timestamps out of order").is_some(),
        "the violation is listed"
    );
}

/// A live run of udp-truncate with recvfrom(1): every datagram arrives truncated, none is
/// shown as dropped, and the UDP line says 12 truncated, 0 dropped.
#[test]
fn udp_read_size_one_shows_every_datagram_truncated_none_dropped() {
    let mut exp = stickyviz::presets::find("udp-truncate").expect("preset").experiment;
    exp.udp.read_size = 1;
    let prefs = Prefs {
        settings: exp,
        preset: None,
        ..Prefs::default()
    };
    let mut h = builder().build_ui_state(|ui, app: &mut StickyApp| app.ui_root(ui), StickyApp::new(prefs));
    h.get_by_label("▶ Run (Space)").click();
    h.run_steps(1);
    let ctx = h.ctx.clone();
    assert!(
        h.state_mut().wait_for_run(&ctx, Duration::from_secs(10)),
        "run did not finish"
    );
    h.run_steps(2);
    let m = h.state().model();
    assert_eq!(
        (m.summary().datagrams_truncated, m.summary().datagrams_dropped),
        (12, Some(0))
    );
    assert!(
        m.datagrams()
            .iter()
            .all(|d| matches!(m.datagram_fate(d), DatagramFate::Truncated { .. })),
        "the panel's fates"
    );
    assert!(h
        .query_by_label_contains("12 truncated (MSG_TRUNC) • 0 dropped")
        .is_some());
}

/// A run whose threads waited for the window (`QueueWait`) says so under the numbers, with
/// the total wait: its timings in those moments are the app's, not the kernel's.
#[test]
fn the_stats_strip_says_the_run_waited_for_the_window() {
    let mut events = tcp_run(1, 1, 1, 0);
    events.insert(
        1,
        Event::QueueWait {
            at_us: 1,
            waited_us: 2_500,
        },
    );
    events.insert(
        1,
        Event::QueueWait {
            at_us: 1,
            waited_us: 1_500,
        },
    );
    let h = showing(events);
    h.get_by_label_contains("threads waited 4 ms in all (2 times)");
    let quiet = showing(tcp_run(1, 1, 1, 0));
    assert!(
        quiet.query_by_label_contains("threads waited").is_none(),
        "said only when it happened"
    );
}

/// `stickyviz --count N --read-size 1` opens the window on those settings and runs them: the
/// controls show them and the run's counts are theirs.
#[test]
fn the_window_runs_settings_from_the_command_line() {
    let mut exp = Experiment {
        transports: stickyviz::config::Transports::Tcp,
        ..Experiment::default()
    };
    exp.workload.count = 7;
    exp.workload.size_min = 10;
    exp.workload.size_max = 10;
    exp.receiver.read_size = 1;
    let ctx = egui::Context::default();
    let mut app = StickyApp::new(Prefs::default());
    app.run_settings(exp.clone(), None, &ctx);
    assert!(app.wait_for_run(&ctx, Duration::from_secs(30)), "the run ends");
    assert_eq!(app.prefs.settings, exp);
    assert_eq!((app.model().summary().messages, app.model().summary().reads), (7, 70));
    assert_eq!(app.prefs.preset, None, "custom settings are no lesson");
}

/// Both directions: the strip counts the receiver's ACKs and zero windows as the summary does,
/// and pointing at the red ● under the segments says what a zero window means.
#[test]
fn acks_and_a_zero_window_are_counted_and_explained() {
    use stickyviz::facts::{ControlKind, Side};
    let mut events = tcp_run(4, 4, 4, 0);
    let at = events.len() - 1; // before Finished
    let ack = |at_us: u64, ack: u64, window: u32| Event::Ack {
        at_us,
        ack: StreamOffset(ack),
        window,
        packet: None,
        fin: false,
    };
    let acks = [
        Event::Control {
            at_us: 3,
            from: Side::TcpSender,
            control: ControlKind::Syn,
            packet: None,
        },
        ack(3, 10, 30),
        ack(3, 20, 0),
        ack(4, 40, 1000),
    ];
    for (k, e) in acks.into_iter().enumerate() {
        events.insert(at + k, e);
    }
    let h = showing(events);
    assert!(h.query_by_label("ACKs").is_some(), "the ACK count has its block");
    assert!(
        h.query_by_label("zero window").is_some(),
        "the zero-window count has its block"
    );
    assert!(h.query_by_label("3").is_some(), "3 ACKs");
    // the red ● at byte 20 of 40, in the row under the segments
    let lane = stickyviz::ui::shown::find(&h.ctx, "lane.wire")
        .expect("the wire lane is drawn")
        .rect;
    h.hover_at(egui::pos2(lane.left() + lane.width() * 0.5, lane.bottom() - 4.0));
    let mut h = h;
    h.run_steps(2);
    assert!(
        h.query_by_label_contains("the receive buffer is full, the sender must stop at byte 20")
            .is_some(),
        "the zero window explains itself"
    );
}
