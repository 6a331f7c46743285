//! The timeline's lanes, one painter each: writes, the wire (captured segments, or TCP_INFO
//! counts when nothing could be captured), reads and frames.

use egui::{Align2, Color32, FontId, Pos2, Rect, Stroke, StrokeKind, Vec2};

use crate::analysis::{Model, ReadKind};
use crate::i18n::{t, tf, Lang, S};
use crate::theme;

use super::{fit_label, for_visible, Axis, Ranges, Selection};

/// send(): one block per write, in its message's colour.
pub(super) fn write_lane(
    clip: &egui::Painter,
    model: &Model,
    axis: &Axis,
    y: egui::Rangef,
    hit: &mut dyn FnMut(Selection, Rect),
) {
    for_visible(model.writes(), axis, y, |i, r, agg| {
        let w = &model.writes()[i];
        clip.rect_filled(
            r.shrink2(Vec2::new(if agg { 0.0 } else { 0.5 }, 0.0)),
            2.0,
            theme::message(w.msg.0),
        );
        if !agg {
            if let Some(l) = fit_label(clip, &w.msg.to_string(), 13.0, r.width() - 2.0) {
                clip.text(
                    r.center(),
                    Align2::CENTER_CENTER,
                    l,
                    FontId::proportional(13.0),
                    theme::ON_BLOCK,
                );
            }
        }
        hit(Selection::Write(i), r);
    })
}

/// No capture: how many data segments left after each write (TCP_INFO).
pub(super) fn tcp_info_lane(
    clip: &egui::Painter,
    model: &Model,
    axis: &Axis,
    y: egui::Rangef,
    dark: bool,
    small: &FontId,
    text_color: Color32,
) {
    let mut prev = 0u32;
    for_visible(model.writes(), axis, y, |i, r, agg| {
        let w = &model.writes()[i];
        if i > 0 {
            prev = model.writes()[i - 1].segs_out;
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
pub(super) fn segment_lane(
    clip: &egui::Painter,
    model: &Model,
    axis: &Axis,
    y: egui::Rangef,
    dark: bool,
    lang: Lang,
    hit: &mut dyn FnMut(Selection, Rect),
) {
    // both directions: the segments above, the receiver's ACKs in a row under them
    let both = model.summary().acks.is_some();
    let seg_y = if both {
        egui::Rangef::new(y.min, y.max - ACK_ROW_H)
    } else {
        y
    };
    for_visible(model.segments(), axis, seg_y, |i, r, agg| {
        let s = &model.segments()[i];
        let r = r.shrink2(Vec2::new(if agg { 0.0 } else { 0.5 }, 0.0));
        clip.rect_filled(r, 2.0, theme::segment(dark));
        if !agg {
            if let Some(l) = fit_label(
                clip,
                &tf(lang, S::SegmentLabel, &[("bytes", &s.len)]),
                12.0,
                r.width() - 4.0,
            )
            .or_else(|| fit_label(clip, &format!("{} B", s.len), 12.0, r.width() - 2.0))
            .or_else(|| fit_label(clip, &s.len.to_string(), 12.0, r.width() - 1.0))
            {
                clip.text(
                    r.center(),
                    Align2::CENTER_CENTER,
                    l,
                    FontId::proportional(12.0),
                    theme::on_segment(dark),
                );
            }
        }
        hit(Selection::Segment(i), r);
    });
    if both {
        retransmissions(clip, model, axis, seg_y);
        ack_row(clip, model, axis, egui::Rangef::new(y.max - ACK_ROW_H, y.max));
    }
}

/// Height of the wire lane's ACK row, under the segments.
const ACK_ROW_H: f32 = 10.0;

/// What the pointer is over in the wire lane's second direction, in words: an ACK (its point and
/// window, a zero window said as such), a window probe, or a retransmission.
pub(super) fn wire_tip(model: &Model, axis: &Axis, y: egui::Rangef, pointer: Pos2, lang: Lang) -> Option<String> {
    if model.summary().acks.is_none() || !y.contains(pointer.y) || !axis.rect.x_range().contains(pointer.x) {
        return None;
    }
    let ms = |us: u64| format!("{:.3}", us as f64 / 1000.0);
    if pointer.y >= y.max - ACK_ROW_H {
        let near = |off: u64| (axis.x(off as f64) - pointer.x).abs() <= 5.0;
        let probe = model
            .window_probes()
            .iter()
            .find(|&&at| near(model.ack_at(at).map_or(0, |a| a.ack)));
        let (lo, hi) = (axis.offset(pointer.x - 5.0), axis.offset(pointer.x + 5.0));
        let from = model.acks().partition_point(|a| (a.ack as f64) < lo);
        let to = model.acks().partition_point(|a| (a.ack as f64) <= hi).max(from);
        let acks = &model.acks()[from..to];
        return match (acks.iter().find(|a| a.zero_window()).or(acks.first()), probe) {
            (Some(a), _) if a.zero_window() => {
                Some(tf(lang, S::ZeroWindowTip, &[("ms", &ms(a.at_us)), ("ack", &a.ack)]))
            }
            (_, Some(&at)) => Some(tf(lang, S::ProbeTip, &[("ms", &ms(at))])),
            (Some(a), None) => Some(tf(
                lang,
                S::AckTip,
                &[("ms", &ms(a.at_us)), ("ack", &a.ack), ("window", &a.window)],
            )),
            (None, None) => None,
        };
    }
    let at = axis.offset(pointer.x);
    let r = model
        .retransmissions()
        .iter()
        .find(|r| (r.offset as f64) <= at && at < r.end() as f64)?;
    Some(tf(
        lang,
        S::RetransmissionTip,
        &[("ms", &ms(r.at_us)), ("len", &r.len), ("offset", &r.offset)],
    ))
}

/// Segments sent again: outlined in red over the segments, marked ↻ where there is room.
fn retransmissions(clip: &egui::Painter, model: &Model, axis: &Axis, y: egui::Rangef) {
    // capture order, not stream order: a retransmission is rare, each is drawn (a lossy link
    // of 2 MB had at most 766, design.md §6)
    for r in model.retransmissions() {
        if (r.end() as f64) < axis.x0 || (r.offset as f64) > axis.x1 {
            continue;
        }
        let rect = axis.span(r.offset, r.len.into(), y).shrink2(Vec2::new(0.0, 1.0));
        clip.rect_stroke(rect, 2.0, Stroke::new(2.0, theme::SPLIT), StrokeKind::Inside);
        if rect.width() > 14.0 {
            clip.text(
                rect.center(),
                Align2::CENTER_CENTER,
                "↻",
                FontId::proportional(12.0),
                theme::SPLIT,
            );
        }
    }
}

/// The receiver's ACKs on the byte axis: ▲ where an ACK said "every byte before here arrived",
/// a red ● where one advertised a zero window, ? where the sender probed the closed window.
/// At most one mark per pixel column (a firehose has thousands of ACKs; the ACK point only
/// moves forward, so the visible ones are one contiguous run), a zero window winning its column.
fn ack_row(clip: &egui::Painter, model: &Model, axis: &Axis, y: egui::Rangef) {
    let from = model.acks().partition_point(|a| (a.ack as f64) < axis.x0);
    let to = model.acks().partition_point(|a| (a.ack as f64) <= axis.x1);
    let mut column: Option<(i64, bool)> = None;
    let draw = |(px, zero): (i64, bool)| {
        let x = px as f32;
        if zero {
            clip.circle_filled(Pos2::new(x, y.center()), 4.0, theme::SPLIT);
        } else {
            let top = y.min + 1.0;
            clip.add(egui::Shape::convex_polygon(
                vec![Pos2::new(x, top), Pos2::new(x + 4.0, y.max), Pos2::new(x - 4.0, y.max)],
                theme::ACK,
                Stroke::NONE,
            ));
        }
    };
    for a in model.acks().get(from..to.max(from)).unwrap_or_default() {
        let px = axis.x(a.ack as f64).round() as i64;
        column = match column {
            Some((c, zero)) if c == px => Some((c, zero || a.zero_window())),
            Some(done) => {
                draw(done);
                Some((px, a.zero_window()))
            }
            None => Some((px, a.zero_window())),
        };
    }
    if let Some(last) = column {
        draw(last);
    }
    for &at in model.window_probes() {
        let x = axis.x(model.ack_at(at).map_or(0, |a| a.ack) as f64);
        clip.text(
            Pos2::new(x + 5.0, y.center()),
            Align2::LEFT_CENTER,
            "?",
            FontId::proportional(11.0),
            theme::SPLIT,
        );
    }
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
pub(super) fn read_lane(
    p: &egui::Painter,
    model: &Model,
    axis: &Axis,
    y: egui::Rangef,
    lang: Lang,
    small: &FontId,
    text: Color32,
    hit: &mut dyn FnMut(Selection, Rect),
) {
    let dark = p.ctx().global_style().visuals.dark_mode;
    let split_text = theme::split_text(dark);
    for_visible(model.reads(), axis, y, |i, r, agg| {
        let read = &model.reads()[i];
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
            let title = tf(lang, S::ReadLabel, &[("read", &i), ("bytes", &read.len)]);
            let w = r.width() - 6.0;
            let sub = match kind {
                ReadKind::Merged { messages } => model
                    .merged_names(read)
                    .and_then(|names| fit_label(p, &tf(lang, S::MergedLabel, &[("messages", &names)]), 11.0, w))
                    .or_else(|| fit_label(p, &tf(lang, S::MergedShort, &[("messages", &messages)]), 11.0, w)),
                _ => None,
            };
            let title = fit_label(p, &title, 12.0, w).or_else(|| fit_label(p, &format!("#{i}"), 12.0, w));
            match (title, sub) {
                (Some(a), Some(b)) => {
                    p.text(
                        Pos2::new(r.center().x, r.top() + 2.0),
                        Align2::CENTER_TOP,
                        a,
                        FontId::proportional(12.0),
                        text,
                    );
                    p.text(
                        Pos2::new(r.center().x, r.bottom() - 2.0),
                        Align2::CENTER_BOTTOM,
                        b,
                        small.clone(),
                        theme::read_text(dark),
                    );
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
    let reads = model.reads().visible(axis.x0, axis.x1);
    if reads.len() > (axis.rect.width() / 3.0) as usize {
        return;
    }
    let mut last_label_right = f32::MIN;
    for read in &model.reads()[reads] {
        let end = read.end();
        let inside = model.messages_in(end, end + 1);
        let Some(m) = model.messages().get(inside.start) else {
            continue;
        };
        if m.offset < end && end < m.end() {
            let x = axis.x(end as f64);
            p.vline(x, y.min - 2.0..=y.max + 4.0, Stroke::new(2.0, theme::SPLIT));
            let label = tf(lang, S::SplitMark, &[("msg", &m.id)]);
            // centred under the cut: skip it when it would run into the previous label
            let w = p.layout_no_wrap(label.clone(), small.clone(), split_text).size().x;
            let inside = x - w / 2.0 >= axis.rect.left() && x + w / 2.0 <= axis.rect.right();
            if inside && x - w / 2.0 > last_label_right + 6.0 {
                let r = p.text(
                    Pos2::new(x, y.max + 2.0),
                    Align2::CENTER_TOP,
                    label.clone(),
                    small.clone(),
                    split_text,
                );
                crate::shown::painted_label(p, &label, r);
                last_label_right = r.right();
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn frame_lane(
    p: &egui::Painter,
    model: &Model,
    axis: &Axis,
    y: egui::Rangef,
    (lang, framing): (Lang, crate::framing::FramingMode),
    small: &FontId,
    weak: Color32,
    hit: &mut dyn FnMut(Selection, Rect),
) {
    let dark = p.ctx().global_style().visuals.dark_mode;
    let split_text = theme::split_text(dark);
    if model.frames().is_empty() && model.decode_errors().is_empty() {
        let r = Rect::from_x_y_ranges(axis.rect.x_range(), y);
        p.rect_stroke(r, 2.0, Stroke::new(1.0, weak.gamma_multiply(0.5)), StrokeKind::Inside);
        let hint = if framing == crate::framing::FramingMode::None {
            t(lang, S::FramingOffHint).to_string()
        } else {
            let mode = crate::describe::framing_name(framing, lang);
            tf(lang, S::FramesWaiting, &[("mode", &mode)])
        };
        p.text(r.center(), Align2::CENTER_CENTER, &hint, small.clone(), weak);
        crate::shown::painted_label(p, &hint, r);
        return;
    }
    for_visible(model.frames(), axis, y, |i, r, agg| {
        let f = &model.frames()[i];
        let c = if f.intact { theme::FRAME_OK } else { theme::FRAME_BAD };
        let r = r.shrink2(Vec2::new(if agg { 0.0 } else { 0.5 }, 0.0));
        p.rect_filled(r, 2.0, c);
        if !agg {
            let label = format!("{}f{} {} B", if f.intact { "✔ " } else { "✘ " }, f.index, f.payload_len);
            if let Some(l) = fit_label(p, &label, 12.0, r.width() - 4.0)
                .or_else(|| fit_label(p, &format!("f{}", f.index), 12.0, r.width() - 2.0))
            {
                p.text(
                    r.center(),
                    Align2::CENTER_CENTER,
                    l,
                    FontId::proportional(12.0),
                    theme::ON_BLOCK,
                );
            }
        }
        hit(Selection::Frame(i), r);
    });
    // Two errors can sit a few bytes apart (naive-header: a short body read, then the garbage
    // read as the next length): each label gets a row of its own under the lane, or, when the
    // rows are used up, is left to the inspector and the event list.
    let mut rows_right = [f32::MIN; 2];
    for (_, err) in model.decode_errors() {
        let x = axis.x(err.offset() as f64);
        if x < axis.rect.left() || x > axis.rect.right() {
            continue;
        }
        p.vline(x, y.min..=y.max + 4.0, Stroke::new(2.0, theme::SPLIT));
        let text = format!("✘ {}", crate::describe::decode_error_short(err, lang));
        let w = p.layout_no_wrap(text.clone(), small.clone(), split_text).size().x;
        // right-aligned to the marker when it would run past the lane's end
        let left = if x + 3.0 + w > axis.rect.right() {
            (x - 3.0 - w).max(axis.rect.left())
        } else {
            x + 3.0
        };
        let Some(row) = rows_right.iter().position(|&right| left > right + 6.0) else {
            continue;
        };
        let top = y.max + 1.0 + row as f32 * (small.size + 2.0);
        let r = p.text(
            Pos2::new(left, top),
            Align2::LEFT_TOP,
            text.clone(),
            small.clone(),
            split_text,
        );
        rows_right[row] = r.right();
        crate::shown::painted_label(p, &text, r);
        crate::shown::painted_area(p, "decode_error", r.union(Rect::from_x_y_ranges(x..=x + 1.0, y)));
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
        let merged = (0..8)
            .filter(|&x| aggregated_read_fill(ReadKind::Merged { messages: 2 }, x).is_some())
            .count();
        assert_eq!(merged, 8, "solid");
    }
}
