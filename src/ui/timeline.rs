//! The byte-axis timeline: writes, wire segments, reads and frames on one stream offset axis,
//! with a dashed guide at every message boundary through all lanes.

use egui::{Align2, Color32, FontId, Pos2, Rect, Sense, Shape, Stroke, StrokeKind, Ui, Vec2};

use crate::analysis::{Model, ReadKind};
use crate::ui::strings::{t, tf, Lang, S};
use crate::ui::theme;

/// What the user clicked; the inspector shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Selection {
    Write(usize),
    Segment(usize),
    Read(usize),
    Frame(usize),
}

/// Zoom and pan of the byte axis; the data lives in the model.
#[derive(Clone, Debug, PartialEq)]
pub struct TimelineView {
    /// Visible byte range.
    pub x0: f64,
    pub x1: f64,
    /// Follow the whole stream as it grows (until the user zooms or pans).
    pub fit: bool,
    /// Playback's time: records after it are veiled (None: show everything).
    pub play_head: Option<u64>,
}

impl Default for TimelineView {
    fn default() -> Self {
        Self { x0: 0.0, x1: 1.0, fit: true, play_head: None }
    }
}

const LANE_H: f32 = 34.0;
const TITLE_H: f32 = 16.0;
const MARK_H: f32 = 14.0;
const AXIS_H: f32 = 18.0;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Lane {
    Writes,
    Wire,
    Reads,
    Frames,
}

const LANES: [Lane; 4] = [Lane::Writes, Lane::Wire, Lane::Reads, Lane::Frames];

/// Total height the timeline takes.
pub fn height() -> f32 {
    AXIS_H + LANES.len() as f32 * (TITLE_H + LANE_H + MARK_H)
}

/// Maps stream offsets to screen x.
#[derive(Clone, Copy)]
struct Axis {
    rect: Rect,
    x0: f64,
    x1: f64,
}

impl Axis {
    fn x(&self, off: f64) -> f32 {
        self.rect.left() + ((off - self.x0) / (self.x1 - self.x0)) as f32 * self.rect.width()
    }
    fn offset(&self, x: f32) -> f64 {
        self.x0 + f64::from((x - self.rect.left()) / self.rect.width()) * (self.x1 - self.x0)
    }
    fn bytes_per_px(&self) -> f64 {
        (self.x1 - self.x0) / f64::from(self.rect.width().max(1.0))
    }
    fn span(&self, offset: u64, len: u64, y: egui::Rangef) -> Rect {
        let (a, b) = (self.x(offset as f64), self.x((offset + len) as f64));
        Rect::from_x_y_ranges(a.max(self.rect.left() - 2.0)..=b.min(self.rect.right() + 2.0).max(a + 1.0), y)
    }
}

/// A sorted list of byte ranges: what every lane draws from.
trait Ranges {
    fn count(&self) -> usize;
    fn start(&self, i: usize) -> u64;
    fn end(&self, i: usize) -> u64;
    /// Index range overlapping `[a, b)`.
    fn visible(&self, a: f64, b: f64) -> std::ops::Range<usize> {
        let (mut lo, mut hi) = (0, self.count());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if (self.end(mid) as f64) <= a { lo = mid + 1 } else { hi = mid }
        }
        let from = lo;
        let (mut lo, mut hi) = (from, self.count());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if (self.start(mid) as f64) < b { lo = mid + 1 } else { hi = mid }
        }
        from..lo
    }
}

macro_rules! ranges_for {
    ($t:ty, $len:ident) => {
        impl Ranges for [$t] {
            fn count(&self) -> usize { self.len() }
            fn start(&self, i: usize) -> u64 { self[i].offset }
            fn end(&self, i: usize) -> u64 { self[i].offset + u64::from(self[i].$len) }
        }
    };
}
ranges_for!(crate::analysis::WriteRec, len);
ranges_for!(crate::analysis::Span, len);
ranges_for!(crate::analysis::FrameRec, len);
ranges_for!(crate::analysis::MessageRec, len);

/// Calls `draw(i, rect)` for each visible item; when there are more items than pixels, once
/// per pixel column instead (the first item in that column), so a frame's cost stays bounded
/// by the width in pixels, not by the number of events. Below one item per pixel every block
/// is drawn and labelled.
fn for_visible(items: &(impl Ranges + ?Sized), axis: &Axis, y: egui::Rangef, mut draw: impl FnMut(usize, Rect, bool)) {
    let range = items.visible(axis.x0, axis.x1);
    let width_px = axis.rect.width().max(1.0) as usize;
    if range.len() <= width_px {
        for i in range {
            draw(i, axis.span(items.start(i), items.end(i) - items.start(i), y), false);
        }
        return;
    }
    let bpp = axis.bytes_per_px();
    let mut i = range.start;
    for px in 0..width_px {
        let a = axis.x0 + px as f64 * bpp;
        // skip items that end before this column
        while i < range.end && (items.end(i) as f64) <= a {
            i += 1;
        }
        if i >= range.end {
            break;
        }
        if (items.start(i) as f64) < a + bpp {
            let x = axis.rect.left() + px as f32;
            draw(i, Rect::from_x_y_ranges(x..=x + 1.0, y), true);
        }
        // jump past everything that starts in this column
        let next = a + bpp;
        let rest = &range;
        let (mut lo, mut hi) = (i, rest.end);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if (items.end(mid) as f64) <= next { lo = mid + 1 } else { hi = mid }
        }
        i = lo;
    }
}

fn nice_step(raw: f64) -> f64 {
    let p = 10f64.powf(raw.log10().floor());
    for m in [1.0, 2.0, 5.0, 10.0] {
        if m * p >= raw {
            return m * p;
        }
    }
    10.0 * p
}

fn lane_title(lane: Lane, model: &Model, lang: Lang) -> String {
    match lane {
        Lane::Writes => t(lang, S::LaneWrites).into(),
        Lane::Wire => match &model.segments_unavailable {
            Some(why) => tf(lang, S::LaneWireUnavailable, &[&crate::i18n::capture_reason(why, lang)]),
            None => t(lang, S::LaneWire).into(),
        },
        Lane::Reads => t(lang, S::LaneReads).into(),
        Lane::Frames => t(lang, S::LaneFrames).into(),
    }
}

/// The label if its text, laid out in `size` points, fits `width` pixels; else None.
fn fit_label(p: &egui::Painter, s: &str, size: f32, width: f32) -> Option<String> {
    let w = p.layout_no_wrap(s.to_string(), FontId::proportional(size), Color32::WHITE).size().x;
    (w <= width).then(|| s.to_string())
}

/// Draws the timeline; updates `view` (zoom, pan) and `selection` (click).
pub fn timeline_ui(ui: &mut Ui, model: &Model, view: &mut TimelineView, selection: &mut Option<Selection>, lang: Lang) {
    let dark = ui.visuals().dark_mode;
    let text_color = ui.visuals().text_color();
    let weak = ui.visuals().weak_text_color();
    let width = ui.available_width();
    let (resp, painter) = ui.allocate_painter(Vec2::new(width, height()), Sense::click_and_drag());
    let full = resp.rect;
    let plot = Rect::from_min_max(Pos2::new(full.left() + 4.0, full.top()), Pos2::new(full.right() - 4.0, full.bottom()));
    let total = model.stream_len().max(1) as f64;

    // interaction: scroll zooms around the pointer, drag pans, double-click fits
    if resp.double_clicked() {
        view.fit = true;
    }
    if view.fit {
        view.x0 = 0.0;
        view.x1 = total;
    }
    let axis = Axis { rect: plot, x0: view.x0, x1: view.x1.max(view.x0 + 1.0) };
    if resp.hovered() {
        // the wheel zooms the timeline; take it, so the scrolling page around it stays put
        let scroll = ui.input_mut(|i| std::mem::take(&mut i.smooth_scroll_delta));
        if let Some(p) = resp.hover_pos() {
            if scroll.y != 0.0 {
                let at = axis.offset(p.x);
                let k = (-f64::from(scroll.y) * 0.003).exp();
                view.x0 = at - (at - view.x0) * k;
                view.x1 = at + (view.x1 - at) * k;
                view.fit = false;
            }
        }
        if scroll.x != 0.0 {
            let d = -f64::from(scroll.x) * axis.bytes_per_px();
            view.x0 += d;
            view.x1 += d;
            view.fit = false;
        }
    }
    if resp.dragged() {
        let d = -f64::from(resp.drag_delta().x) * axis.bytes_per_px();
        view.x0 += d;
        view.x1 += d;
        view.fit = false;
    }
    let min_span = 8.0;
    if view.x1 - view.x0 < min_span {
        let mid = (view.x0 + view.x1) / 2.0;
        view.x0 = mid - min_span / 2.0;
        view.x1 = mid + min_span / 2.0;
    }
    let axis = Axis { rect: plot, x0: view.x0, x1: view.x1 };

    // axis ticks
    let step = nice_step((axis.x1 - axis.x0) / 8.0).max(1.0);
    let mut tick = (axis.x0.max(0.0) / step).ceil() * step;
    let small = FontId::proportional(11.0);
    while tick <= axis.x1 {
        let x = axis.x(tick);
        painter.vline(x, full.top() + AXIS_H - 4.0..=full.top() + AXIS_H, Stroke::new(1.0, weak));
        painter.text(Pos2::new(x, full.top()), Align2::CENTER_TOP, format!("{}", tick as u64), small.clone(), weak);
        tick += step;
    }
    painter.hline(plot.x_range(), full.top() + AXIS_H, Stroke::new(1.0, weak));

    let lane_y = |k: usize| {
        let top = full.top() + AXIS_H + k as f32 * (TITLE_H + LANE_H + MARK_H) + TITLE_H;
        egui::Rangef::new(top, top + LANE_H)
    };
    let clip = painter.with_clip_rect(plot.expand2(Vec2::new(0.0, 0.0)));
    let mut hovered: Option<(Selection, Rect)> = None;
    let pointer = resp.hover_pos();
    let mut hit = |sel: Selection, r: Rect| {
        if pointer.is_some_and(|p| r.contains(p)) {
            hovered = Some((sel, r));
        }
    };

    for (k, lane) in LANES.into_iter().enumerate() {
        let y = lane_y(k);
        painter.text(Pos2::new(plot.left(), y.min - TITLE_H + 1.0), Align2::LEFT_TOP, lane_title(lane, model, lang), small.clone(), weak);
        match lane {
            Lane::Writes => for_visible(&model.writes[..], &axis, y, |i, r, agg| {
                let w = &model.writes[i];
                clip.rect_filled(r.shrink2(Vec2::new(if agg { 0.0 } else { 0.5 }, 0.0)), 2.0, theme::message(w.msg.0));
                if !agg {
                    if let Some(l) = fit_label(&clip, &w.msg.to_string(), 13.0, r.width() - 2.0) {
                        clip.text(r.center(), Align2::CENTER_CENTER, l, FontId::proportional(13.0), theme::ON_BLOCK);
                    }
                }
                hit(Selection::Write(i), r);
            }),
            // The kernel's counter only grows, so the last write tells whether the OS counts at
            // all (Windows does not: its lane stays empty with the reason, not "+0" per write).
            Lane::Wire if model.segments_unavailable.is_some() && (model.summary.segments_tcp_info.is_some() || model.writes.last().is_some_and(|w| w.segs_out > 0)) => {
                // no capture: how many data segments left after each write (TCP_INFO)
                let mut prev = 0u32;
                for_visible(&model.writes[..], &axis, y, |i, r, agg| {
                    let w = &model.writes[i];
                    if i > 0 {
                        prev = model.writes[i - 1].segs_out;
                    }
                    let delta = w.segs_out.saturating_sub(prev);
                    let r = r.shrink2(Vec2::new(0.5, 6.0));
                    clip.rect_stroke(r, 2.0, Stroke::new(1.0, theme::segment(dark)), StrokeKind::Inside);
                    if !agg {
                        if let Some(l) = fit_label(&clip, &format!("+{delta}"), 11.0, r.width() - 2.0) {
                            clip.text(r.center(), Align2::CENTER_CENTER, l, small.clone(), text_color);
                        }
                    }
                });
            }
            Lane::Wire => for_visible(&model.segments[..], &axis, y, |i, r, agg| {
                let s = &model.segments[i];
                let r = r.shrink2(Vec2::new(if agg { 0.0 } else { 0.5 }, 0.0));
                clip.rect_filled(r, 2.0, theme::segment(dark));
                if !agg {
                    if let Some(l) = fit_label(&clip, &tf(lang, S::SegmentLabel, &[&s.len]), 12.0, r.width() - 4.0)
                        .or_else(|| fit_label(&clip, &format!("{} B", s.len), 12.0, r.width() - 2.0))
                        .or_else(|| fit_label(&clip, &s.len.to_string(), 12.0, r.width() - 1.0))
                    {
                        clip.text(r.center(), Align2::CENTER_CENTER, l, FontId::proportional(12.0), text_color);
                    }
                }
                hit(Selection::Segment(i), r);
            }),
            Lane::Reads => read_lane(&clip, model, &axis, y, lang, &small, text_color, &mut hit),
            Lane::Frames => frame_lane(&clip, model, &axis, y, lang, &small, weak, &mut hit),
        }
    }

    if let Some(t_us) = view.play_head {
        crate::ui::playback_veil::veil(&clip, model, t_us, &|off| axis.x(off as f64), plot.x_range(), &lane_y, ui.visuals());
    }

    // message boundary guides through all lanes
    let bounds = model.messages.visible(axis.x0, axis.x1);
    if bounds.len() < (plot.width() / 4.0) as usize {
        let guide = Stroke::new(1.0, weak.gamma_multiply(0.7));
        let (top, bottom) = (lane_y(0).min, lane_y(LANES.len() - 1).max);
        for m in &model.messages[bounds] {
            let x = axis.x(m.end() as f64);
            if x > plot.left() && x < plot.right() {
                clip.extend(Shape::dashed_line(&[Pos2::new(x, top), Pos2::new(x, bottom)], guide, 3.0, 3.0));
            }
        }
    }

    if let Some((sel, r)) = hovered {
        clip.rect_stroke(r, 2.0, Stroke::new(2.0, text_color), StrokeKind::Outside);
        if resp.clicked() {
            *selection = Some(sel);
        }
        let text = crate::ui::inspector::title(model, sel, lang);
        resp.on_hover_text_at_pointer(text);
    } else if resp.clicked() {
        *selection = None;
    }
    if let Some(sel) = *selection {
        if let Some(r) = selection_rect(model, sel, &axis, &lane_y) {
            clip.rect_stroke(r, 2.0, Stroke::new(2.5, text_color), StrokeKind::Outside);
        }
    }
}

fn selection_rect(model: &Model, sel: Selection, axis: &Axis, lane_y: &dyn Fn(usize) -> egui::Rangef) -> Option<Rect> {
    let (k, off, len) = match sel {
        Selection::Write(i) => model.writes.get(i).map(|w| (0, w.offset, w.len))?,
        Selection::Segment(i) => model.segments.get(i).map(|s| (1, s.offset, s.len))?,
        Selection::Read(i) => model.reads.get(i).map(|r| (2, r.offset, r.len))?,
        Selection::Frame(i) => model.frames.get(i).map(|f| (3, f.offset, f.len))?,
    };
    Some(axis.span(off, len.into(), lane_y(k)))
}

#[allow(clippy::too_many_arguments)]
fn read_lane(p: &egui::Painter, model: &Model, axis: &Axis, y: egui::Rangef, lang: Lang, small: &FontId, text: Color32, hit: &mut dyn FnMut(Selection, Rect)) {
    for_visible(&model.reads[..], axis, y, |i, r, agg| {
        let read = &model.reads[i];
        let kind = model.read_kind(read);
        let r = r.shrink2(Vec2::new(if agg { 0.0 } else { 1.0 }, 0.0));
        if agg {
            let c = if matches!(kind, ReadKind::Merged { .. }) { theme::READ } else { theme::READ.gamma_multiply(0.5) };
            p.rect_filled(r, 0.0, c);
        } else {
            if let ReadKind::Merged { .. } = kind {
                p.rect_filled(r, 3.0, theme::MERGED_FILL);
            }
            p.rect_stroke(r, 3.0, Stroke::new(2.0, theme::READ), StrokeKind::Inside);
            let title = tf(lang, S::ReadLabel, &[&i, &read.len]);
            let w = r.width() - 6.0;
            let sub = match kind {
                ReadKind::Merged { messages } => {
                    let msgs = model.messages_in(read.offset, read.end());
                    let names = format!("{}…{}", model.messages[msgs.start].id, model.messages[msgs.end - 1].id);
                    fit_label(p, &tf(lang, S::MergedLabel, &[&names]), 11.0, w).or_else(|| fit_label(p, &tf(lang, S::MergedShort, &[&messages]), 11.0, w))
                }
                _ => None,
            };
            let title = fit_label(p, &title, 12.0, w).or_else(|| fit_label(p, &format!("#{i}"), 12.0, w));
            match (title, sub) {
                (Some(a), Some(b)) => {
                    p.text(Pos2::new(r.center().x, r.top() + 2.0), Align2::CENTER_TOP, a, FontId::proportional(12.0), text);
                    p.text(Pos2::new(r.center().x, r.bottom() - 2.0), Align2::CENTER_BOTTOM, b, small.clone(), theme::READ);
                }
                (Some(a), None) => {
                    p.text(r.center(), Align2::CENTER_CENTER, a, FontId::proportional(12.0), text);
                }
                _ => {}
            }
        }
        hit(Selection::Read(i), r);
    });
    // ✂ where a read ends inside a message: that message is split (半包)
    let reads = model.reads.visible(axis.x0, axis.x1);
    if reads.len() > (axis.rect.width() / 3.0) as usize {
        return;
    }
    let mut last_label_right = f32::MIN;
    for read in &model.reads[reads] {
        let end = read.end();
        let inside = model.messages_in(end, end + 1);
        let Some(m) = model.messages.get(inside.start) else { continue };
        if m.offset < end && end < m.end() {
            let x = axis.x(end as f64);
            p.vline(x, y.min - 2.0..=y.max + 4.0, Stroke::new(2.0, theme::SPLIT));
            let label = tf(lang, S::SplitMark, &[&m.id]);
            // centred under the cut: skip it when it would run into the previous label
            let w = p.layout_no_wrap(label.clone(), small.clone(), theme::SPLIT).size().x;
            let inside = x - w / 2.0 >= axis.rect.left() && x + w / 2.0 <= axis.rect.right();
            if inside && x - w / 2.0 > last_label_right + 6.0 {
                let r = p.text(Pos2::new(x, y.max + 2.0), Align2::CENTER_TOP, label, small.clone(), theme::SPLIT);
                last_label_right = r.right();
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn frame_lane(p: &egui::Painter, model: &Model, axis: &Axis, y: egui::Rangef, lang: Lang, small: &FontId, weak: Color32, hit: &mut dyn FnMut(Selection, Rect)) {
    if model.frames.is_empty() && model.decode_errors.is_empty() {
        let r = Rect::from_x_y_ranges(axis.rect.x_range(), y);
        p.rect_stroke(r, 2.0, Stroke::new(1.0, weak.gamma_multiply(0.5)), StrokeKind::Inside);
        p.text(r.center(), Align2::CENTER_CENTER, t(lang, S::FramingOffHint), small.clone(), weak);
        return;
    }
    for_visible(&model.frames[..], axis, y, |i, r, agg| {
        let f = &model.frames[i];
        let c = if f.intact { theme::FRAME_OK } else { theme::FRAME_BAD };
        let r = r.shrink2(Vec2::new(if agg { 0.0 } else { 0.5 }, 0.0));
        p.rect_filled(r, 2.0, c);
        if !agg {
            let label = format!("{}f{} {} B", if f.intact { "✔ " } else { "✘ " }, f.index, f.payload_len);
            if let Some(l) = fit_label(p, &label, 12.0, r.width() - 4.0).or_else(|| fit_label(p, &format!("f{}", f.index), 12.0, r.width() - 2.0)) {
                p.text(r.center(), Align2::CENTER_CENTER, l, FontId::proportional(12.0), theme::ON_BLOCK);
            }
        }
        hit(Selection::Frame(i), r);
    });
    for (_, err) in &model.decode_errors {
        let x = axis.x(err.offset() as f64);
        if x < axis.rect.left() || x > axis.rect.right() {
            continue;
        }
        p.vline(x, y.min..=y.max + 4.0, Stroke::new(2.0, theme::SPLIT));
        p.text(Pos2::new(x + 3.0, y.max + 1.0), Align2::LEFT_TOP, format!("✘ {}", short_error(err, lang)), small.clone(), theme::SPLIT);
    }
}

fn short_error(e: &crate::framing::DecodeError, lang: Lang) -> String {
    use crate::framing::DecodeError as E;
    match e {
        E::TooLong { len, .. } => tf(lang, S::ErrTooLong, &[len]),
        E::NegativeLength { len, .. } => tf(lang, S::ErrNegative, &[len]),
        E::BadJson { .. } => t(lang, S::ErrBadJson).into(),
        E::Truncated { have, need, .. } => tf(lang, S::ErrTruncated, &[have, need]),
        E::ShortRead { part, asked, got, .. } => tf(lang, S::ErrShortRead, &[part, got, asked]),
    }
}
