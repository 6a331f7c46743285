//! One GUI frame (layout + tessellation, headless `egui::Context`, no GPU) with 1,000,000 and
//! with 10,000,000 recorded events (past the model's history cap: what a long run leaves),
//! zoomed out (whole stream) and zoomed in (400 bytes). Also prints the model's memory per
//! stored record. Run: `cargo bench --bench gui_frame`.

use std::sync::Arc;

use criterion::{black_box, criterion_group, criterion_main, Criterion};

use stickyviz::analysis::Model;
use stickyviz::engine::{Event, MsgId, StreamOffset};
use stickyviz::ui::timeline::TimelineView;
use stickyviz::ui::{Prefs, StickyApp};

/// The events of message `i` of 10 B: a message, a write and a segment, and a read of 30 B
/// every third message.
fn message_events(i: u32) -> Vec<Event> {
    let (at_us, off) = (u64::from(i), u64::from(i) * 10);
    let mut ev = vec![
        Event::Message { at_us, msg: MsgId(i), offset: StreamOffset(off), len: 10, header_len: 0 },
        Event::Write { start_us: None, at_us, msg: MsgId(i), offset: StreamOffset(off), len: 10, requested: None, segs_out: i, notsent: 0, unacked: 0 },
        Event::Segment { at_us, offset: StreamOffset(off), len: 10, packet: None },
    ];
    if i.is_multiple_of(3) {
        ev.push(Event::Read { start_us: None, at_us: at_us + 5, offset: StreamOffset(off), len: 30, requested: 1024 });
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
    let records = model.messages.len() + model.writes.len() + model.segments.len() + model.reads.len();
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
    app.model = model;
    app.cjk_missing = false;
    for _ in 0..3 {
        frame(&ctx, &mut app);
    }
    let mut g = c.benchmark_group(name);
    g.bench_function("zoomed_out", |b| b.iter(|| black_box(frame(&ctx, &mut app))));
    app.timeline = TimelineView { x0: 1_000_000.0, x1: 1_000_400.0, fit: false, ..TimelineView::default() };
    g.bench_function("zoomed_in", |b| b.iter(|| black_box(frame(&ctx, &mut app))));
    g.finish();
}

criterion_group!(benches, gui_frame);
criterion_main!(benches);
