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
    /// Height of each lane: [`LANE_H`], or [`LANE_H_COMPACT`] on a short window (layout.rs).
    pub lane_h: f32,
}

impl Default for TimelineView {
    fn default() -> Self {
        Self { x0: 0.0, x1: 1.0, fit: true, play_head: None, lane_h: LANE_H }
    }
}

pub const LANE_H: f32 = 34.0;
/// Still two rows of 11-point text (a read's title and its "merged" line) with a little air.
pub const LANE_H_COMPACT: f32 = 28.0;
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

/// Total height the timeline takes at the default lane height.
pub fn height() -> f32 {
    height_for(LANE_H)
}

/// Total height the timeline takes with lanes `lane_h` high.
pub fn height_for(lane_h: f32) -> f32 {
    // one more row of marks under the last lane: a second decoder error's label
    AXIS_H + LANES.len() as f32 * (TITLE_H + lane_h + MARK_H) + MARK_H
}

/// Where each lane was drawn: writes, wire, reads, frames.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LaneRects(pub [Rect; 4]);

impl LaneRects {
    /// Records the lanes for the layout checks as `{prefix}lane.writes`, `…lane.reads`, ….
    pub fn note(&self, ui: &Ui, prefix: &str) {
        for (name, r) in ["writes", "wire", "reads", "frames"].iter().zip(self.0) {
            crate::ui::shown::area(ui, format!("{prefix}lane.{name}"), r);
        }
    }
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

fn lane_title(lane: Lane, model: &Model, lang: Lang) -> String {
    match lane {
        Lane::Writes => t(lang, S::LaneWrites).into(),
        Lane::Wire => match &model.segments_unavailable {
            Some(why) => tf(lang, S::LaneWireUnavailable, &[&crate::i18n::capture_reason(why, lang)]),
            // segments the kernel sent but the capture missed are said where they are missing
            None if model.summary.capture_gap().unwrap_or(0) > 0 => {
                tf(lang, S::LaneWireGap, &[&crate::i18n::segments_captured_value(&model.summary, lang)])
            }
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

/// Draws the timeline; updates `view` (zoom, pan) and `selection` (click); returns where the
/// lanes are.
pub fn timeline_ui(ui: &mut Ui, model: &Model, view: &mut TimelineView, selection: &mut Option<Selection>, lang: Lang) -> LaneRects {
    let dark = ui.visuals().dark_mode;
    let text_color = ui.visuals().text_color();
    let weak = ui.visuals().weak_text_color();
    let width = ui.available_width();
    let lane_h = view.lane_h.clamp(LANE_H_COMPACT, LANE_H * 2.0);
    let (resp, painter) = ui.allocate_painter(Vec2::new(width, height_for(lane_h)), Sense::click_and_drag());
    let full = resp.rect;
    let plot = Rect::from_min_max(Pos2::new(full.left() + 4.0, full.top()), Pos2::new(full.right() - 4.0, full.bottom()));
    let total = model.stream_len().max(1) as f64;

    // interaction: the wheel scrolls the page as everywhere else; Ctrl + wheel and pinch zoom
    // around the pointer (egui reports both as a zoom delta), a sideways scroll or a drag pans,
    // double-click fits
    if resp.double_clicked() {
        view.fit = true;
    }
    if view.fit {
        view.x0 = 0.0;
        view.x1 = total;
    }
    let axis = Axis { rect: plot, x0: view.x0, x1: view.x1.max(view.x0 + 1.0) };
    if resp.hovered() {
        let zoom = ui.input(|i| i.zoom_delta_2d().x);
        if let Some(p) = resp.hover_pos() {
            if zoom != 1.0 {
                let at = axis.offset(p.x);
                let k = 1.0 / f64::from(zoom);
                view.x0 = at - (at - view.x0) * k;
                view.x1 = at + (view.x1 - at) * k;
                view.fit = false;
            }
        }
        // only the sideways part: the page keeps the vertical scroll
        let scroll_x = ui.input_mut(|i| std::mem::take(&mut i.smooth_scroll_delta.x));
        if scroll_x != 0.0 {
            let d = -f64::from(scroll_x) * axis.bytes_per_px();
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

    // axis ticks, on round byte counts of the unit they are labelled in
    let step = crate::ui::units::tick_step((axis.x1 - axis.x0) / 8.0);
    let mut tick = (axis.x0.max(0.0) / step).ceil() * step;
    let small = FontId::proportional(11.0);
    while tick <= axis.x1 {
        let x = axis.x(tick);
        painter.vline(x, full.top() + AXIS_H - 4.0..=full.top() + AXIS_H, Stroke::new(1.0, weak));
        painter.text(Pos2::new(x, full.top()), Align2::CENTER_TOP, crate::ui::units::bytes(tick as u64), small.clone(), weak);
        tick += step;
    }
    painter.hline(plot.x_range(), full.top() + AXIS_H, Stroke::new(1.0, weak));

    let lane_y = |k: usize| {
        let top = full.top() + AXIS_H + k as f32 * (TITLE_H + lane_h + MARK_H) + TITLE_H;
        egui::Rangef::new(top, top + lane_h)
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
            Lane::Wire if model.segments_unavailable.is_some() => {
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
                        clip.text(r.center(), Align2::CENTER_CENTER, l, FontId::proportional(12.0), theme::on_segment(dark));
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
    LaneRects(std::array::from_fn(|k| Rect::from_x_y_ranges(plot.x_range(), lane_y(k))))
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

/// The colour of one pixel column of reads too many to draw one by one: solid only where a
/// read merged messages; elsewhere (reads of one byte, say: merged = 0) every other column, a
/// comb of read boundaries, so a lane of tiny reads never looks like one merged band.
fn aggregated_read_fill(kind: ReadKind, column: i64) -> Option<Color32> {
    match kind {
        ReadKind::Merged { .. } => Some(theme::READ),
        _ if column.rem_euclid(2) == 0 => Some(theme::READ.gamma_multiply(0.5)),
        _ => None,
    }
}

#[allow(clippy::too_many_arguments)]
fn read_lane(p: &egui::Painter, model: &Model, axis: &Axis, y: egui::Rangef, lang: Lang, small: &FontId, text: Color32, hit: &mut dyn FnMut(Selection, Rect)) {
    let dark = p.ctx().global_style().visuals.dark_mode;
    let split_text = theme::split_text(dark);
    for_visible(&model.reads[..], axis, y, |i, r, agg| {
        let read = &model.reads[i];
        let kind = model.read_kind(read);
        let r = r.shrink2(Vec2::new(if agg { 0.0 } else { 1.0 }, 0.0));
        if agg {
            if let Some(c) = aggregated_read_fill(kind, r.left() as i64) {
                p.rect_filled(r, 0.0, c);
            }
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
                    p.text(Pos2::new(r.center().x, r.bottom() - 2.0), Align2::CENTER_BOTTOM, b, small.clone(), theme::read_text(dark));
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
            let w = p.layout_no_wrap(label.clone(), small.clone(), split_text).size().x;
            let inside = x - w / 2.0 >= axis.rect.left() && x + w / 2.0 <= axis.rect.right();
            if inside && x - w / 2.0 > last_label_right + 6.0 {
                let r = p.text(Pos2::new(x, y.max + 2.0), Align2::CENTER_TOP, label.clone(), small.clone(), split_text);
                crate::ui::shown::painted_label(p, &label, r);
                last_label_right = r.right();
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn frame_lane(p: &egui::Painter, model: &Model, axis: &Axis, y: egui::Rangef, lang: Lang, small: &FontId, weak: Color32, hit: &mut dyn FnMut(Selection, Rect)) {
    let dark = p.ctx().global_style().visuals.dark_mode;
    let split_text = theme::split_text(dark);
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
    // Two errors can sit a few bytes apart (naive-header: a short body read, then the garbage
    // read as the next length): each label gets a row of its own under the lane, or, when the
    // rows are used up, is left to the inspector and the event list.
    let mut rows_right = [f32::MIN; 2];
    for (_, err) in &model.decode_errors {
        let x = axis.x(err.offset() as f64);
        if x < axis.rect.left() || x > axis.rect.right() {
            continue;
        }
        p.vline(x, y.min..=y.max + 4.0, Stroke::new(2.0, theme::SPLIT));
        let text = format!("✘ {}", short_error(err, lang));
        let w = p.layout_no_wrap(text.clone(), small.clone(), split_text).size().x;
        // right-aligned to the marker when it would run past the lane's end
        let left = if x + 3.0 + w > axis.rect.right() { (x - 3.0 - w).max(axis.rect.left()) } else { x + 3.0 };
        let Some(row) = rows_right.iter().position(|&right| left > right + 6.0) else { continue };
        let top = y.max + 1.0 + row as f32 * (small.size + 2.0);
        let r = p.text(Pos2::new(left, top), Align2::LEFT_TOP, text.clone(), small.clone(), split_text);
        rows_right[row] = r.right();
        crate::ui::shown::painted_label(p, &text, r);
        crate::ui::shown::painted_area(p, "decode_error", r.union(Rect::from_x_y_ranges(x..=x + 1.0, y)));
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 14: read size 1 was drawn as a solid band that looked merged with merged = 0.
    #[test]
    fn tiny_unmerged_reads_draw_a_comb_merged_ones_a_band() {
        let partial: Vec<_> = (0..8).map(|x| aggregated_read_fill(ReadKind::Partial, x)).collect();
        assert_eq!(partial.iter().filter(|c| c.is_some()).count(), 4, "every other column");
        let merged = (0..8).filter(|&x| aggregated_read_fill(ReadKind::Merged { messages: 2 }, x).is_some()).count();
        assert_eq!(merged, 8, "solid");
    }
}
