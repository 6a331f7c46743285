//! The timeline's lanes, one painter each: writes, the wire (captured segments, or TCP_INFO
//! counts when nothing could be captured), reads and frames.

use egui::{Align2, Color32, FontId, Pos2, Rect, Stroke, StrokeKind, Vec2};

use crate::analysis::{Model, ReadKind};
use crate::i18n::{t, tf, Lang, S};
use crate::ui::theme;

use super::{fit_label, for_visible, Axis, Ranges, Selection};

/// send(): one block per write, in its message's colour.
pub(super) fn write_lane(clip: &egui::Painter, model: &Model, axis: &Axis, y: egui::Rangef, hit: &mut dyn FnMut(Selection, Rect)) {
    for_visible(&model.writes[..], axis, y, |i, r, agg| {
        let w = &model.writes[i];
        clip.rect_filled(r.shrink2(Vec2::new(if agg { 0.0 } else { 0.5 }, 0.0)), 2.0, theme::message(w.msg.0));
        if !agg {
            if let Some(l) = fit_label(clip, &w.msg.to_string(), 13.0, r.width() - 2.0) {
                clip.text(r.center(), Align2::CENTER_CENTER, l, FontId::proportional(13.0), theme::ON_BLOCK);
            }
        }
        hit(Selection::Write(i), r);
    })
}

/// No capture: how many data segments left after each write (TCP_INFO).
pub(super) fn tcp_info_lane(clip: &egui::Painter, model: &Model, axis: &Axis, y: egui::Rangef, dark: bool, small: &FontId, text_color: Color32) {
    let mut prev = 0u32;
    for_visible(&model.writes[..], axis, y, |i, r, agg| {
        let w = &model.writes[i];
        if i > 0 {
            prev = model.writes[i - 1].segs_out;
        }
        let delta = w.segs_out.saturating_sub(prev);
        let r = r.shrink2(Vec2::new(0.5, 6.0));
        clip.rect_stroke(r, 2.0, Stroke::new(1.0, theme::segment(dark)), StrokeKind::Inside);
        if !agg {
            if let Some(l) = fit_label(clip, &format!("+{delta}"), 11.0, r.width() - 2.0) {
                clip.text(r.center(), Align2::CENTER_CENTER, l, small.clone(), text_color);
            }
        }
    });
}

/// The wire: one block per captured segment, labelled as long as the label fits.
#[allow(clippy::too_many_arguments)]
pub(super) fn segment_lane(clip: &egui::Painter, model: &Model, axis: &Axis, y: egui::Rangef, dark: bool, lang: Lang, text_color: Color32, hit: &mut dyn FnMut(Selection, Rect)) {
    for_visible(&model.segments[..], axis, y, |i, r, agg| {
        let s = &model.segments[i];
        let r = r.shrink2(Vec2::new(if agg { 0.0 } else { 0.5 }, 0.0));
        clip.rect_filled(r, 2.0, theme::segment(dark));
        if !agg {
            if let Some(l) = fit_label(clip, &tf(lang, S::SegmentLabel, &[&s.len]), 12.0, r.width() - 4.0)
                .or_else(|| fit_label(clip, &format!("{} B", s.len), 12.0, r.width() - 2.0))
                .or_else(|| fit_label(clip, &s.len.to_string(), 12.0, r.width() - 1.0))
            {
                clip.text(r.center(), Align2::CENTER_CENTER, l, FontId::proportional(12.0), text_color);
            }
        }
        hit(Selection::Segment(i), r);
    })
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
pub(super) fn read_lane(p: &egui::Painter, model: &Model, axis: &Axis, y: egui::Rangef, lang: Lang, small: &FontId, text: Color32, hit: &mut dyn FnMut(Selection, Rect)) {
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
                ReadKind::Merged { messages } => model
                    .merged_names(read)
                    .and_then(|names| fit_label(p, &tf(lang, S::MergedLabel, &[&names]), 11.0, w))
                    .or_else(|| fit_label(p, &tf(lang, S::MergedShort, &[&messages]), 11.0, w)),
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
pub(super) fn frame_lane(p: &egui::Painter, model: &Model, axis: &Axis, y: egui::Rangef, lang: Lang, small: &FontId, weak: Color32, hit: &mut dyn FnMut(Selection, Rect)) {
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
        p.text(Pos2::new(x + 3.0, y.max + 1.0), Align2::LEFT_TOP, format!("✘ {}", crate::describe::decode_error_short(err, lang)), small.clone(), theme::SPLIT);
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
