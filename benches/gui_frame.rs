//! One GUI frame (layout + tessellation, headless `egui::Context`, no GPU) with 1,000,000 and
//! with 10,000,000 recorded events (past the model's history cap: what a long run leaves),
//! zoomed out (whole stream) and zoomed in (400 bytes). Also prints the model's memory per
//! stored record. Then a class session (`listen --tcp`): 64 clients × 1,000 frames, half of
//! them still connected, the roster shown and sorted. Run: `cargo bench --bench gui_frame`.

use std::sync::Arc;

use criterion::{black_box, criterion_group, criterion_main, Criterion};

use stickyviz::analysis::Model;
use stickyviz::facts::{Event, MsgId, StreamOffset};
use stickyviz::ui::timeline::TimelineView;
use stickyviz::ui::{Prefs, StickyApp};

/// The events of message `i` of 10 B: a message, a write and a segment, and a read of 30 B
/// every third message.
fn message_events(i: u32) -> Vec<Event> {
    let (at_us, off) = (u64::from(i), u64::from(i) * 10);
    let mut ev = vec![
        Event::Message {
            at_us,
            msg: MsgId(i),
            offset: StreamOffset(off),
            len: 10,
            header_len: 0,
        },
        Event::Write {
            start_us: None,
            at_us,
            msg: MsgId(i),
            offset: StreamOffset(off),
            len: 10,
            requested: None,
            segs_out: i,
            notsent: 0,
            unacked: 0,
        },
        Event::Segment {
            at_us,
            offset: StreamOffset(off),
            len: 10,
            packet: None,
        },
    ];
    if i.is_multiple_of(3) {
        ev.push(Event::Read {
            start_us: None,
            at_us: at_us + 5,
            offset: StreamOffset(off),
            len: 30,
            requested: 1024,
        });
    }
    ev
}

fn frame(ctx: &egui::Context, app: &mut StickyApp) -> usize {
    let input = egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1280.0, 800.0))),
        ..Default::default()
    };
    let out = ctx.run_ui(input, |ui| app.ui_root(ui));
    ctx.tessellate(out.shapes, out.pixels_per_point).len()
}

fn gui_frame(c: &mut Criterion) {
    for (n, name) in [(1_000_000, "gui_frame_1M_events"), (10_000_000, "gui_frame_10M_events")] {
        gui_frame_of(c, n, name);
    }
}

fn gui_frame_of(c: &mut Criterion, n: usize, name: &str) {
    let mut model = Model::default();
    // folded as a run arrives: ten million events are never held at once
    let (mut events_len, mut i) = (0, 0u32);
    while events_len < n {
        let ev = message_events(i);
        ev.iter().for_each(|e| model.apply(e));
        events_len += ev.len();
        i += 1;
    }
    let records = model.messages().len() + model.writes().len() + model.segments().len() + model.reads().len();
    let growing = model.history_bytes() as f64 / records as f64;
    model.shrink(); // what a finished run keeps
    println!(
        "model: {} events, {} records, {:.1} bytes per record while growing, {:.1} once the run ended",
        events_len,
        records,
        growing,
        model.history_bytes() as f64 / records as f64
    );
    let ctx = egui::Context::default();
    ctx.add_font_provider(Arc::new(egui_system_font_provider::SystemFontProvider::new()));
    let mut app = StickyApp::new(Prefs::default());
    app.session.show_model(model);
    app.cjk_missing = false;
    for _ in 0..3 {
        frame(&ctx, &mut app);
    }
    let mut g = c.benchmark_group(name);
    g.bench_function("zoomed_out", |b| b.iter(|| black_box(frame(&ctx, &mut app))));
    app.timeline = TimelineView {
        x0: 1_000_000.0,
        x1: 1_000_400.0,
        fit: false,
        ..TimelineView::default()
    };
    g.bench_function("zoomed_in", |b| b.iter(|| black_box(frame(&ctx, &mut app))));
    g.finish();
}

/// One `listen` client on lane `lane`: 1,000 frames of 100 B read 1024 B at a time; `ended` =
/// its connection is over (its report is in).
fn class_client(lane: u32, ended: bool, ev: &mut Vec<Event>) {
    use stickyviz::facts::{CaptureUnavailable, ClientOutcome, EndReason, ReadCuts, Side};
    let mut own = Vec::new();
    let t0 = u64::from(lane) * 10;
    let peer = format!("192.168.1.{}:{}", 10 + lane, 40_000 + lane);
    own.push(Event::Connected {
        at_us: t0,
        sender: peer.clone(),
        receiver: "0.0.0.0:8080".into(),
    });
    own.push(Event::SegmentsUnavailable {
        reason: CaptureUnavailable::Listen,
    });
    let total = 1000 * 100u64;
    let mut off = 0u64;
    let mut index = 0u32;
    while off < total {
        let len = 1024.min(total - off);
        let at_us = t0 + off;
        own.push(Event::Read {
            start_us: Some(at_us),
            at_us: at_us + 1,
            offset: StreamOffset(off),
            len: len as u32,
            requested: 1024,
        });
        off += len;
        while u64::from(index + 1) * 100 <= off {
            own.push(Event::Frame {
                at_us: at_us + 1,
                index,
                offset: StreamOffset(u64::from(index) * 100),
                len: 100,
                payload_len: 92,
                intact: true,
            });
            index += 1;
        }
    }
    if ended {
        own.push(Event::Ended {
            at_us: t0 + total + 2,
            side: Side::TcpReceiver,
            bytes: total,
            reason: EndReason::Complete,
        });
    }
    for e in own {
        ev.push(match lane {
            0 => e,
            k => Event::Conn {
                conn: k,
                event: Box::new(e),
            },
        });
    }
    if ended {
        let cuts = Some(ReadCuts {
            reads: 98,
            merged_reads: 97,
            split_frames: 97,
        });
        ev.push(Event::Client {
            at_us: t0 + total + 3,
            peer,
            lane: Some(lane),
            bytes: total,
            frames: 1000,
            outcome: ClientOutcome::Served,
            decode_errors: 0,
            cuts,
        });
    }
}

fn class_frame(c: &mut Criterion) {
    let mut events = Vec::new();
    for lane in 0..64 {
        class_client(lane, lane % 2 == 0, &mut events);
    }
    let model = Model::from_events(&events);
    let lanes: Vec<&Model> = model.listen_lanes().map(|(_, m)| m).collect();
    let bytes: usize = lanes.iter().map(|m| m.history_bytes()).sum();
    println!(
        "class session: {} events, {} recorded streams, {:.1} MiB of history",
        events.len(),
        lanes.len(),
        bytes as f64 / (1 << 20) as f64
    );
    let ctx = egui::Context::default();
    ctx.add_font_provider(Arc::new(egui_system_font_provider::SystemFontProvider::new()));
    let mut app = StickyApp::new(Prefs::default());
    app.session.show_model(model);
    app.cjk_missing = false;
    let bound: std::net::SocketAddr = "0.0.0.0:8080".parse().expect("address");
    app.class = Some(stickyviz::ui::roster::ClassView {
        bound,
        reachable: Ok(vec!["192.168.1.2:8080".parse().expect("address")]),
        sort: stickyviz::ui::roster::Column::Client,
        descending: false,
        shown: 0,
    });
    for _ in 0..3 {
        frame(&ctx, &mut app);
    }
    let mut g = c.benchmark_group("gui_frame_class_64x1000");
    g.bench_function("roster_by_client", |b| b.iter(|| black_box(frame(&ctx, &mut app))));
    if let Some(class) = &mut app.class {
        class.sort = stickyviz::ui::roster::Column::Split;
        class.descending = true;
        class.shown = 33;
    }
    g.bench_function("roster_by_split_client_33_shown", |b| {
        b.iter(|| black_box(frame(&ctx, &mut app)))
    });
    g.finish();
}

criterion_group!(benches, gui_frame, class_frame);
criterion_main!(benches);
