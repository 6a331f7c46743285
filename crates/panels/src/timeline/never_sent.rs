//! The send() lane's *never sent* marks (send-vs-sendall, issue 32): bytes a `send()` did not
//! take and the program never sent. They have no stream offsets (the next write follows right
//! after what `send()` took), so each is a hatched flag of fixed width at the short write's
//! end, in the mark band under the lane (the lane's own labels stay readable), with its count:
//! a mark, not a span of the axis.

use egui::{Color32, FontId, Pos2, Rect, Stroke};

use crate::analysis::Model;
use crate::i18n::{grouped, t, tf, Lang, S};
use crate::theme;

use super::Axis;

/// Widest a flag is drawn, px: wide enough for "never sent: 39,524 B" at 11 px.
const FLAG_W: f32 = 132.0;
/// Narrowest worth drawing (at a zoom where marks crowd, one every few pixels is noise).
const FLAG_MIN_W: f32 = 6.0;

/// The flags' rectangles: from each mark's offset to the next mark (or [`FLAG_W`]).
fn flags(model: &Model, axis: &Axis, y: egui::Rangef) -> Vec<(usize, Rect)> {
    let band = egui::Rangef::new(y.max + 1.0, y.max + super::MARK_H);
    // each flag starts at its mark; one that would run off the right edge (the last write of
    // the stream ends there) ends at its mark instead
    let spans: Vec<(f32, f32)> = model
        .never_sent()
        .iter()
        .map(|n| {
            let x = axis.x(n.offset as f64);
            if x + FLAG_W > axis.rect.right() {
                (x - FLAG_W, x)
            } else {
                (x, x + FLAG_W)
            }
        })
        .collect();
    let mut out = Vec::new();
    for (i, &(left, right)) in spans.iter().enumerate() {
        // a flag stops short of the next one (at a zoom where they crowd, it is left out)
        let right = right.min(spans.get(i + 1).map_or(f32::MAX, |n| n.0 - 2.0));
        let w = right - left;
        let rect = Rect::from_x_y_ranges(left..=right.max(left), band);
        if w >= FLAG_MIN_W && rect.right() >= axis.rect.left() && rect.left() <= axis.rect.right() {
            out.push((i, rect));
        }
    }
    out
}

pub(super) fn marks(clip: &egui::Painter, model: &Model, axis: &Axis, y: egui::Rangef, dark: bool, lang: Lang) {
    let colour = theme::warn(dark);
    let bg = if dark {
        Color32::from_gray(27)
    } else {
        Color32::from_gray(248)
    };
    for (i, rect) in flags(model, axis, y) {
        clip.rect_filled(rect, 1.0, bg);
        // diagonal hatch, 6 px apart, clipped to the flag
        let hatch = clip.with_clip_rect(rect.intersect(clip.clip_rect()));
        let mut x = rect.left() - rect.height();
        while x < rect.right() {
            hatch.line_segment(
                [Pos2::new(x, rect.bottom()), Pos2::new(x + rect.height(), rect.top())],
                Stroke::new(1.0, colour),
            );
            x += 6.0;
        }
        clip.rect_stroke(rect, 1.0, Stroke::new(1.0, colour), egui::StrokeKind::Inside);
        let n = &model.never_sent()[i];
        let text = tf(lang, S::NeverSentMark, &[("bytes", &grouped(u64::from(n.len)))]);
        let font = FontId::proportional(11.0);
        let galley = clip.layout_no_wrap(text, font, colour);
        if galley.size().x + 6.0 <= rect.width() {
            let at = Pos2::new(rect.left() + 3.0, rect.center().y);
            let back = Rect::from_min_size(at - egui::vec2(1.0, galley.size().y / 2.0), galley.size());
            clip.rect_filled(back.expand(1.0), 2.0, bg);
            clip.galley(back.min, galley, colour);
        }
    }
}

/// The flag under the pointer, explained.
pub(super) fn tip(model: &Model, axis: &Axis, y: egui::Rangef, pointer: Pos2, lang: Lang) -> Option<String> {
    let (i, _) = flags(model, axis, y).into_iter().find(|(_, r)| r.contains(pointer))?;
    let n = &model.never_sent()[i];
    Some(format!(
        "{}\n{}",
        tf(lang, S::NeverSentMark, &[("bytes", &grouped(u64::from(n.len)))]),
        t(lang, S::NeverSentTip)
    ))
}

/// address-in-use: the closing handshake under the wire lane, at the stream's end where it
/// happened ("close: server FIN → client FIN → server ACK"); its times are in the panel above.
pub(super) fn closing_mark(clip: &egui::Painter, model: &Model, axis: &Axis, y: egui::Rangef, dark: bool, lang: Lang) {
    if model.restart().is_none() || model.closing().is_empty() {
        return;
    }
    let steps: Vec<String> = model
        .closing()
        .iter()
        .map(|c| {
            let who = crate::describe::send_close::role(c.from, lang);
            format!("{who} {}", if c.fin { "FIN" } else { "ACK" })
        })
        .collect();
    let text = tf(lang, S::CloseWireLabel, &[("what", &steps.join(" → "))]);
    let colour = theme::warn(dark);
    let x = axis.x(model.stream_len() as f64).min(axis.rect.right());
    let band = egui::Rangef::new(y.max + 1.0, y.max + super::MARK_H);
    clip.line_segment([Pos2::new(x, y.min), Pos2::new(x, band.max)], Stroke::new(2.0, colour));
    let galley = clip.layout_no_wrap(text, FontId::proportional(11.0), colour);
    let left = (x - 4.0 - galley.size().x).max(axis.rect.left());
    clip.galley(Pos2::new(left, band.min), galley, colour);
}
