//! The byte-axis timeline: writes, wire segments, reads and frames on one stream offset axis,
//! with a dashed guide at every message boundary through all lanes.

use egui::{Align2, Color32, FontId, Pos2, Rect, Sense, Shape, Stroke, StrokeKind, Ui, Vec2};

use crate::analysis::Model;
use crate::strings::{t, tf, Lang, S};

mod gso;
mod lanes;
mod never_sent;

pub use crate::inspector::Selection;

impl Selection {
    /// The same record, as "why?" names it.
    pub fn pick(self) -> crate::why::Selection {
        match self {
            Self::Write(i) => crate::why::Selection::Write(i),
            Self::Segment(i) => crate::why::Selection::Segment(i),
            Self::Read(i) => crate::why::Selection::Read(i),
            Self::Frame(i) => crate::why::Selection::Frame(i),
        }
    }
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
    /// The stream's framing: with one, an empty frames lane is waiting for its first frame
    /// (a `listen --framing u32` session before any client sent), not "framing off".
    pub framing: crate::framing::FramingMode,
}

impl Default for TimelineView {
    fn default() -> Self {
        Self {
            x0: 0.0,
            x1: 1.0,
            fit: true,
            play_head: None,
            lane_h: LANE_H,
            framing: crate::framing::FramingMode::None,
        }
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
            crate::shown::area(ui, format!("{prefix}lane.{name}"), r);
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
        Rect::from_x_y_ranges(
            a.max(self.rect.left() - 2.0)..=b.min(self.rect.right() + 2.0).max(a + 1.0),
            y,
        )
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
            if (self.end(mid) as f64) <= a {
                lo = mid + 1
            } else {
                hi = mid
            }
        }
        let from = lo;
        let (mut lo, mut hi) = (from, self.count());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if (self.start(mid) as f64) < b {
                lo = mid + 1
            } else {
                hi = mid
            }
        }
        from..lo
    }
}

macro_rules! ranges_for {
    ($t:ty, $len:ident) => {
        impl Ranges for [$t] {
            fn count(&self) -> usize {
                self.len()
            }
            fn start(&self, i: usize) -> u64 {
                self[i].offset
            }
            fn end(&self, i: usize) -> u64 {
                self[i].offset + u64::from(self[i].$len)
            }
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
            if (items.end(mid) as f64) <= next {
                lo = mid + 1
            } else {
                hi = mid
            }
        }
        i = lo;
    }
}

fn lane_title(lane: Lane, model: &Model, lang: Lang) -> String {
    match lane {
        Lane::Writes => match model.lane_calls().filter(|(w, _)| !w.is_empty()) {
            Some((writes, _)) => tf(
                lang,
                S::LaneWritesCalls,
                &[("calls", &crate::describe::trace::lane_calls(writes))],
            ),
            None => t(lang, S::LaneWrites).into(),
        },
        // the GSO batch brackets (gso.rs) are explained where they are drawn
        Lane::Wire if !model.gso_batches().is_empty() => {
            tf(lang, S::LaneWireGso, &[("title", &wire_title(model, lang))])
        }
        Lane::Wire => wire_title(model, lang),
        Lane::Reads => match model.lane_calls().filter(|(_, r)| !r.is_empty()) {
            Some((_, reads)) => tf(
                lang,
                S::LaneReadsCalls,
                &[("calls", &crate::describe::trace::lane_calls(reads))],
            ),
            None => t(lang, S::LaneReads).into(),
        },
        Lane::Frames => t(lang, S::LaneFrames).into(),
    }
}

fn wire_title(model: &Model, lang: Lang) -> String {
    match &model.segments_unavailable() {
        Some(why) => tf(
            lang,
            S::LaneWireUnavailable,
            &[("why", &crate::describe::capture_unavailable(why, lang))],
        ),
        // segments the kernel sent but the capture missed are said where they are missing
        None if model.summary().capture_may_have_missed() => tf(
            lang,
            S::LaneWireGap,
            &[("gap", &crate::describe::segments_captured_value(model.summary(), lang))],
        ),
        None if model.summary().acks.is_some() => t(lang, S::LaneWireBoth).into(),
        None if model.acks_not_captured().is_some() => tf(
            lang,
            S::LaneWireOneWay,
            &[("mib", &(model.acks_not_captured().unwrap_or(0) >> 20))],
        ),
        None => t(lang, S::LaneWire).into(),
    }
}

/// The label if its text, laid out in `size` points, fits `width` pixels; else None.
fn fit_label(p: &egui::Painter, s: &str, size: f32, width: f32) -> Option<String> {
    let w = p
        .layout_no_wrap(s.to_string(), FontId::proportional(size), Color32::WHITE)
        .size()
        .x;
    (w <= width).then(|| s.to_string())
}

/// Draws the timeline; updates `view` (zoom, pan) and `selection` (click); returns where the
/// lanes are.
pub fn timeline_ui(
    ui: &mut Ui,
    model: &Model,
    view: &mut TimelineView,
    selection: &mut Option<Selection>,
    lang: Lang,
) -> LaneRects {
    let weak = ui.visuals().weak_text_color();
    let width = ui.available_width();
    let lane_h = view.lane_h.clamp(LANE_H_COMPACT, LANE_H * 2.0);
    let (resp, painter) = ui.allocate_painter(Vec2::new(width, height_for(lane_h)), Sense::click_and_drag());
    let full = resp.rect;
    let plot = Rect::from_min_max(
        Pos2::new(full.left() + 4.0, full.top()),
        Pos2::new(full.right() - 4.0, full.bottom()),
    );
    let axis = navigate(ui, &resp, view, plot, model.stream_len().max(1) as f64);
    ticks(&painter, &axis, full, weak);
    let lane_y = |k: usize| {
        let top = full.top() + AXIS_H + k as f32 * (TITLE_H + lane_h + MARK_H) + TITLE_H;
        egui::Rangef::new(top, top + lane_h)
    };
    let clip = painter.with_clip_rect(plot.expand2(Vec2::new(0.0, 0.0)));
    // under the lanes: their blocks and labels paint over the guides, never the other way
    message_guides(&clip, model, &axis, &lane_y, weak);
    let hovered = lanes(
        ui,
        &painter,
        &clip,
        model,
        &axis,
        &lane_y,
        resp.hover_pos(),
        (lang, view.framing),
    );
    if let Some(t_us) = view.play_head {
        crate::playback_veil::veil(
            &clip,
            model,
            t_us,
            &|off| axis.x(off as f64),
            plot.x_range(),
            &lane_y,
            ui.visuals(),
        );
    }
    ack_point(&clip, model, &axis, full.top() + AXIS_H, &lane_y, view.play_head);
    let tip = resp.hover_pos().and_then(|p| {
        gso::tip(model, &axis, lane_y(1), p, lang)
            .or_else(|| lanes::wire_tip(model, &axis, lane_y(1), p, lang))
            .or_else(|| never_sent::tip(model, &axis, lane_y(0), p, lang))
    });
    select(ui, resp, &clip, model, &axis, &lane_y, hovered, tip, selection, lang);
    LaneRects(std::array::from_fn(|k| {
        Rect::from_x_y_ranges(plot.x_range(), lane_y(k))
    }))
}

/// The wheel scrolls the page as everywhere else; Ctrl + wheel and pinch zoom around the
/// pointer (egui reports both as a zoom delta), a sideways scroll or a drag pans, double-click
/// fits; returns the axis to draw.
fn navigate(ui: &mut Ui, resp: &egui::Response, view: &mut TimelineView, plot: Rect, total: f64) -> Axis {
    if resp.double_clicked() {
        view.fit = true;
    }
    if view.fit {
        view.x0 = 0.0;
        view.x1 = total;
    }
    let axis = Axis {
        rect: plot,
        x0: view.x0,
        x1: view.x1.max(view.x0 + 1.0),
    };
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
    Axis {
        rect: plot,
        x0: view.x0,
        x1: view.x1,
    }
}

/// The byte axis: about eight ticks over the visible range, on round byte counts of the unit
/// they are labelled in.
fn ticks(painter: &egui::Painter, axis: &Axis, full: Rect, weak: Color32) {
    let step = crate::units::tick_step((axis.x1 - axis.x0) / 8.0);
    let mut tick = (axis.x0.max(0.0) / step).ceil() * step;
    let small = FontId::proportional(11.0);
    while tick <= axis.x1 {
        let x = axis.x(tick);
        painter.vline(
            x,
            full.top() + AXIS_H - 4.0..=full.top() + AXIS_H,
            Stroke::new(1.0, weak),
        );
        // centred on its tick, but kept inside the timeline: "0 B" at the left edge used to
        // lose its first half (issue 26), the last label its end
        let galley = painter.layout_no_wrap(crate::units::tick_label(tick as u64, step), small.clone(), weak);
        let w = galley.size().x;
        let left = (x - w / 2.0).clamp(full.left(), (full.right() - w).max(full.left()));
        let at = Pos2::new(left, full.top());
        crate::shown::painted_label(painter, galley.text(), Rect::from_min_size(at, galley.size()));
        painter.galley(at, galley, weak);
        tick += step;
    }
    painter.hline(axis.rect.x_range(), full.top() + AXIS_H, Stroke::new(1.0, weak));
}

/// Every lane with its title; returns what the pointer is over.
#[allow(clippy::too_many_arguments)]
fn lanes(
    ui: &Ui,
    painter: &egui::Painter,
    clip: &egui::Painter,
    model: &Model,
    axis: &Axis,
    lane_y: &dyn Fn(usize) -> egui::Rangef,
    pointer: Option<Pos2>,
    (lang, framing): (Lang, crate::framing::FramingMode),
) -> Option<(Selection, Rect)> {
    let (dark, text_color, weak) = (
        ui.visuals().dark_mode,
        ui.visuals().text_color(),
        ui.visuals().weak_text_color(),
    );
    let small = FontId::proportional(11.0);
    let mut hovered: Option<(Selection, Rect)> = None;
    let mut hit = |sel: Selection, r: Rect| {
        if pointer.is_some_and(|p| r.contains(p)) {
            hovered = Some((sel, r));
        }
    };
    for (k, lane) in LANES.into_iter().enumerate() {
        let y = lane_y(k);
        let title = lane_title(lane, model, lang);
        let r = painter.text(
            Pos2::new(axis.rect.left(), y.min - TITLE_H + 1.0),
            Align2::LEFT_TOP,
            &title,
            small.clone(),
            weak,
        );
        crate::shown::painted_label(painter, &title, r);
        match lane {
            Lane::Writes => {
                lanes::write_lane(clip, model, axis, y, &mut hit);
                never_sent::marks(clip, model, axis, y, dark, lang);
            }
            // The kernel's counter only grows, so the last write tells whether the OS counts at
            // all (Windows does not: its lane stays empty with the reason, not "+0" per write).
            Lane::Wire
                if model.segments_unavailable().is_some()
                    && (model.summary().segments_tcp_info.is_some()
                        || model.writes().last().is_some_and(|w| w.segs_out > 0)) =>
            {
                lanes::tcp_info_lane(clip, model, axis, y, dark, &small, text_color)
            }
            Lane::Wire => {
                lanes::segment_lane(clip, model, axis, y, dark, lang, &mut hit);
                gso::marks(clip, model, axis, y, dark);
                never_sent::closing_mark(clip, model, axis, y, dark, lang);
            }
            Lane::Reads => {
                let title = crate::theme::read_title(ui.visuals());
                lanes::read_lane(clip, model, axis, y, lang, &small, title, &mut hit)
            }
            Lane::Frames => lanes::frame_lane(clip, model, axis, y, (lang, framing), &small, weak, &mut hit),
        }
    }
    hovered
}

/// The ACK point on the byte axis, at the play head (or the run's last ACK): a ▼ on the axis
/// line where the receiver's last ACK stood, a bar from it to the window's right edge (how far
/// the sender may send), and a dotted line down through the wire lane.
fn ack_point(
    clip: &egui::Painter,
    model: &Model,
    axis: &Axis,
    axis_y: f32,
    lane_y: &dyn Fn(usize) -> egui::Rangef,
    play_head: Option<u64>,
) {
    let last = match play_head {
        Some(t_us) => model.ack_at(t_us),
        None => model.acks().last(),
    };
    let Some(a) = last else { return };
    let (x, edge) = (axis.x(a.ack as f64), axis.x(a.window_end() as f64));
    let color = if a.zero_window() {
        crate::theme::SPLIT
    } else {
        crate::theme::ACK
    };
    clip.line_segment(
        [Pos2::new(x, axis_y - 1.5), Pos2::new(edge.max(x + 2.0), axis_y - 1.5)],
        Stroke::new(3.0, color.gamma_multiply(0.6)),
    );
    clip.add(Shape::convex_polygon(
        vec![
            Pos2::new(x - 5.0, axis_y - 9.0),
            Pos2::new(x + 5.0, axis_y - 9.0),
            Pos2::new(x, axis_y),
        ],
        color,
        Stroke::NONE,
    ));
    let wire = lane_y(1);
    clip.extend(Shape::dotted_line(
        &[Pos2::new(x, axis_y), Pos2::new(x, wire.max)],
        color,
        4.0,
        1.0,
    ));
}

/// Message boundary guides through all lanes, unless they would be denser than one per 4 px.
fn message_guides(
    clip: &egui::Painter,
    model: &Model,
    axis: &Axis,
    lane_y: &dyn Fn(usize) -> egui::Rangef,
    weak: Color32,
) {
    let plot = axis.rect;
    let bounds = model.messages().visible(axis.x0, axis.x1);
    // At least 8 points apart: nagle-burst's 200 messages at 1280×800 put them 5 apart, where
    // the dashes read as hatching over the lanes' labels (issue 26); closer, none is drawn.
    if bounds.len() >= (plot.width() / GUIDE_MIN_GAP) as usize {
        return;
    }
    let guide = Stroke::new(1.0, weak.gamma_multiply(0.7));
    // inside the lanes only: the titles between them stay clear; an empty frames lane holds
    // its hint, not guides
    let no_frames = model.frames().is_empty() && model.decode_errors().is_empty();
    for (k, lane) in LANES.into_iter().enumerate() {
        if matches!(lane, Lane::Frames) && no_frames {
            continue;
        }
        let y = lane_y(k);
        let mut drawn = None::<Rect>;
        for m in &model.messages()[bounds.clone()] {
            let x = axis.x(m.end() as f64);
            if x > plot.left() && x < plot.right() {
                clip.extend(Shape::dashed_line(
                    &[Pos2::new(x, y.min), Pos2::new(x, y.max)],
                    guide,
                    3.0,
                    3.0,
                ));
                let r = Rect::from_x_y_ranges(x..=x, y);
                drawn = Some(drawn.map_or(r, |d| d.union(r)));
            }
        }
        // where the guides went, for the layout tests (they must miss every title)
        if let Some(r) = drawn {
            crate::shown::painted_area(clip, &format!("guides.{k}"), r);
        }
    }
}

/// Points between two message guides at least (see `message_guides`).
const GUIDE_MIN_GAP: f32 = 8.0;

/// Hover outline and tooltip; a click selects (or clears); the selection stays outlined.
#[allow(clippy::too_many_arguments)]
fn select(
    ui: &Ui,
    resp: egui::Response,
    clip: &egui::Painter,
    model: &Model,
    axis: &Axis,
    lane_y: &dyn Fn(usize) -> egui::Rangef,
    hovered: Option<(Selection, Rect)>,
    tip: Option<String>,
    selection: &mut Option<Selection>,
    lang: Lang,
) {
    let text_color = ui.visuals().text_color();
    if let Some((sel, r)) = hovered {
        clip.rect_stroke(r, 2.0, Stroke::new(2.0, text_color), StrokeKind::Outside);
        if resp.clicked() {
            *selection = Some(sel);
        }
        let text = crate::inspector::title(model, sel, lang);
        resp.on_hover_text_at_pointer(text);
    } else {
        if resp.clicked() {
            *selection = None;
        }
        if let Some(tip) = tip {
            resp.on_hover_text_at_pointer(tip);
        }
    }
    crate::why::draw_chain(ui, clip, model, selection.map(Selection::pick), |k, off, len| {
        axis.span(off, len, lane_y(k))
    });
    if let Some(sel) = *selection {
        if let Some(r) = selection_rect(model, sel, axis, lane_y) {
            clip.rect_stroke(r, 2.0, Stroke::new(2.5, text_color), StrokeKind::Outside);
        }
    }
}

fn selection_rect(model: &Model, sel: Selection, axis: &Axis, lane_y: &dyn Fn(usize) -> egui::Rangef) -> Option<Rect> {
    let (k, off, len) = match sel {
        Selection::Write(i) => model.writes().get(i).map(|w| (0, w.offset, w.len))?,
        Selection::Segment(i) => model.segments().get(i).map(|s| (1, s.offset, s.len))?,
        Selection::Read(i) => model.reads().get(i).map(|r| (2, r.offset, r.len))?,
        Selection::Frame(i) => model.frames().get(i).map(|f| (3, f.offset, f.len))?,
    };
    Some(axis.span(off, len.into(), lane_y(k)))
}
