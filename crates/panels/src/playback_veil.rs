//! The play head on the byte timeline: in each lane, what had not happened yet is veiled.
//!
//! Each lane's records come from one thread in time order and in stream order, so what had
//! happened by `t` is a prefix of the byte axis; the veil covers the rest, and a line marks
//! where each lane had got to (writes ahead of the wire ahead of the reads: the buffers).

use egui::{Painter, Pos2, Rangef, Rect, Stroke, Visuals};

use crate::analysis::playback::TcpAt;
use crate::analysis::{Model, Span};

/// How opaque the veil is: the future stays faintly visible, so the class sees what is coming,
/// but nobody mistakes it for what has happened.
const VEIL_ALPHA: f32 = 0.8;

fn end_by(spans: &[Span], t_us: u64) -> u64 {
    let n = spans.partition_point(|s| s.at_us <= t_us);
    n.checked_sub(1).and_then(|i| spans.get(i)).map_or(0, Span::end)
}

/// Veils lanes 0..4 (writes, wire, reads, frames) right of where each had got by `t_us`.
pub fn veil(
    p: &Painter,
    model: &Model,
    t_us: u64,
    x_of: &dyn Fn(u64) -> f32,
    x: Rangef,
    lane_y: &dyn Fn(usize) -> Rangef,
    visuals: &Visuals,
) {
    let at = TcpAt::at(model, t_us);
    let wire = if model.segments_unavailable().is_some() {
        at.written
    } else {
        end_by(model.segments(), t_us)
    };
    let n = model.frames().partition_point(|f| f.at_us <= t_us);
    let frames = n
        .checked_sub(1)
        .and_then(|i| model.frames().get(i))
        .map_or(0, |f| f.offset + u64::from(f.len));
    let fill = visuals.panel_fill.gamma_multiply(VEIL_ALPHA);
    let line = Stroke::new(2.5, visuals.strong_text_color());
    for (k, end) in [at.written, wire, end_by(model.reads(), t_us), frames]
        .into_iter()
        .enumerate()
    {
        let y = lane_y(k);
        // down to the next lane's title, so ✂ marks of future reads are veiled too
        let y = Rangef::new(y.min - 1.0, y.max + 13.0);
        let from = x_of(end).clamp(x.min, x.max);
        if from < x.max {
            p.rect_filled(Rect::from_x_y_ranges(from..=x.max, y), 0.0, fill);
        }
        if from > x.min && from < x.max {
            p.line_segment([Pos2::new(from, y.min - 2.0), Pos2::new(from, y.max - 12.0)], line);
        }
    }
}
