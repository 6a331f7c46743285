//! The buffer in between: at the play head, the bytes written but not yet read, drawn as a pipe
//! from the sender to the receiver with every message boundary inside it.
//!
//! This is the 粘包 lesson in one picture: messages pile up in the receive buffer while the
//! reader sleeps, their boundaries exist only in this drawing (the kernel keeps a byte stream),
//! and one `recv()` takes several of them at once.
//!
//! Stream order runs right to left: the oldest byte sits next to the receiver, because the next
//! `recv()` takes it first.

use egui::{Align2, Color32, FontId, Pos2, Rect, RichText, Sense, Shape, Stroke, StrokeKind, Ui, Vec2};

use crate::analysis::playback::{TcpAt, UdpAt};
use crate::analysis::{Model, ReadKind};
use crate::strings::{t, tf, Lang, S};
use crate::theme;

const PIPE_H: f32 = 34.0;
const END_W: f32 = 78.0;
const GAP_W: f32 = 18.0;
const CAPTION: f32 = 17.0;

/// The TCP gauge at `t_us`; `peak` (the run's largest backlog) is the pipe's full scale, so the
/// pile-up grows visibly instead of always filling the pipe.
pub fn tcp_gauge_ui(ui: &mut Ui, model: &Model, t_us: u64, peak: u64, lang: Lang) {
    let at = TcpAt::at(model, t_us);
    let dark = ui.visuals().dark_mode;
    let text = ui.visuals().strong_text_color();
    let weak = ui.visuals().weak_text_color();
    ui.horizontal(|ui| {
        ui.label(RichText::new(t(lang, S::GaugeTitle)).strong());
        ui.weak(tf(
            lang,
            S::GaugeWrittenRead,
            &[("written", &at.written), ("read", &at.read)],
        ));
    });
    let height = PIPE_H + 4.0 * CAPTION + 10.0;
    let (rect, _) = ui.allocate_exact_size(Vec2::new(ui.available_width(), height), Sense::hover());
    let p = ui.painter_at(rect);
    let pipe_y = egui::Rangef::new(rect.top() + 2.0, rect.top() + 2.0 + PIPE_H);
    let sender = Rect::from_x_y_ranges(rect.left()..=rect.left() + END_W, pipe_y);
    let receiver = Rect::from_x_y_ranges(rect.right() - END_W..=rect.right(), pipe_y);
    for (r, label) in [(sender, S::GaugeSender), (receiver, S::GaugeReceiver)] {
        p.rect_filled(r, 4.0, theme::segment(dark));
        p.text(
            r.center(),
            Align2::CENTER_CENTER,
            t(lang, label),
            FontId::proportional(15.0),
            text,
        );
    }
    let inner = Rect::from_x_y_ranges(sender.right() + 4.0..=receiver.left() - 4.0, pipe_y);
    p.rect_stroke(inner, 6.0, Stroke::new(1.5, weak), StrokeKind::Outside);
    let caption_y = pipe_y.max + 3.0;
    let font = FontId::proportional(13.0);

    // one strip anchored at the receiver: [read, wire) waits in the receive buffer, then the
    // wire, then [wire, written) still in the send buffer; the run's peak backlog fills the pipe
    let scale = (inner.width() - GAP_W) / peak.max(1) as f32;
    let wire = at.on_wire.unwrap_or(at.written);
    let recv = egui::Rangef::new(inner.left(), inner.right());
    let recv_left = draw_bytes(&p, model, recv, pipe_y, at.read, wire, scale, text);
    if let Some(wire) = at.on_wire {
        let gap = egui::Rangef::new(recv_left - GAP_W, recv_left);
        p.extend(Shape::dashed_line(
            &[Pos2::new(gap.center(), pipe_y.min), Pos2::new(gap.center(), pipe_y.max)],
            Stroke::new(1.5, weak),
            3.0,
            3.0,
        ));
        draw_bytes(
            &p,
            model,
            egui::Rangef::new(inner.left(), gap.min),
            pipe_y,
            wire,
            at.written,
            scale,
            text,
        );
        let send_bytes = at.written - wire;
        p.text(
            Pos2::new(inner.left(), caption_y),
            Align2::LEFT_TOP,
            tf(lang, S::GaugeSendBuf, &[("bytes", &send_bytes)]),
            font.clone(),
            if send_bytes > 0 { text } else { weak },
        );
    }
    let waiting = at.waiting();
    let msgs = model.messages_in(at.read, at.read + waiting).len();
    let caption = if at.on_wire.is_some() {
        tf(lang, S::GaugeRecvBuf, &[("bytes", &waiting), ("messages", &msgs)])
    } else {
        tf(lang, S::GaugeNotCaptured, &[("bytes", &waiting)])
    };
    let c = if msgs >= 2 {
        theme::warn(dark)
    } else if waiting > 0 {
        text
    } else {
        weak
    };
    p.text(
        Pos2::new(inner.right(), caption_y + CAPTION + 1.0),
        Align2::RIGHT_TOP,
        caption,
        FontId::proportional(14.0),
        c,
    );
    // the receiver's last ACK by now: a full receive buffer is a zero window (the same story
    // told from the wire, so the two must agree)
    if let Some(a) = model.ack_at(t_us) {
        let (words, c) = if a.zero_window() {
            (t(lang, S::GaugeZeroWindow).to_string(), theme::warn(dark))
        } else {
            (tf(lang, S::GaugeWindow, &[("window", &a.window)]), theme::ACK)
        };
        p.text(
            Pos2::new(inner.left(), caption_y + CAPTION + 1.0),
            Align2::LEFT_TOP,
            words,
            FontId::proportional(14.0),
            c,
        );
    }
    if at.backlog() == 0 && at.written > 0 {
        p.text(
            inner.center(),
            Align2::CENTER_CENTER,
            t(lang, S::GaugeEmpty),
            font.clone(),
            weak,
        );
    }
    last_read_ui(
        &p,
        model,
        t_us,
        Pos2::new(inner.right(), caption_y + 2.0 * CAPTION + 3.0),
        lang,
        dark,
        text,
    );
}

/// Stream bytes `[from, to)` in the zone `x` (right end = `from`), one block per message;
/// returns the left end of what was drawn.
#[allow(clippy::too_many_arguments)]
fn draw_bytes(
    p: &egui::Painter,
    model: &Model,
    x: egui::Rangef,
    y: egui::Rangef,
    from: u64,
    to: u64,
    scale: f32,
    text: Color32,
) -> f32 {
    if to <= from {
        return x.max;
    }
    let x_of = |off: u64| (x.max - (off - from) as f32 * scale).max(x.min);
    let range = model.messages_in(from, to);
    // past one message per 3 px the blocks would be slivers: draw the run of bytes as one
    if range.len() as f32 > x.span() / 3.0 {
        p.rect_filled(
            Rect::from_x_y_ranges(x_of(to)..=x_of(from), y.shrink(3.0)),
            3.0,
            theme::message(0),
        );
        return x_of(to);
    }
    for m in &model.messages()[range] {
        let (a, b) = (m.offset.max(from), m.end().min(to));
        let r = Rect::from_x_y_ranges(x_of(b)..=x_of(a), y.shrink(3.0));
        p.rect_filled(r, 2.0, theme::message(m.id.0));
        let label = m.id.to_string();
        let w = p
            .layout_no_wrap(label.clone(), FontId::proportional(13.0), Color32::WHITE)
            .size()
            .x;
        if w + 4.0 <= r.width() {
            p.text(
                r.center(),
                Align2::CENTER_CENTER,
                label,
                FontId::proportional(13.0),
                theme::ON_BLOCK,
            );
        }
        // the boundary: where one message starts (the receiver cannot see it)
        if m.offset > from {
            p.line_segment(
                [Pos2::new(r.right(), y.min), Pos2::new(r.right(), y.max)],
                Stroke::new(2.5, text),
            );
        }
    }
    x_of(to)
}

/// The last `recv()` by `t_us` and the messages it took; a merged one in the warning colour.
fn last_read_ui(p: &egui::Painter, model: &Model, t_us: u64, at: Pos2, lang: Lang, dark: bool, text: Color32) {
    let n = model.reads().partition_point(|r| r.at_us <= t_us);
    let Some(read) = n.checked_sub(1).and_then(|i| model.reads().get(i)) else {
        return;
    };
    let msgs = model.messages_in(read.offset, read.end());
    let names = match (
        model.messages().get(msgs.start),
        msgs.end.checked_sub(1).and_then(|i| model.messages().get(i)),
    ) {
        (Some(a), Some(b)) if a.id != b.id => format!("{}…{}", a.id, b.id),
        (Some(a), _) => a.id.to_string(),
        _ => "?".into(),
    };
    let merged = match model.read_kind(read) {
        ReadKind::Merged { messages } => Some(messages),
        _ => None,
    };
    let color = if merged.is_some() { theme::warn(dark) } else { text };
    p.text(
        at,
        Align2::RIGHT_TOP,
        tf(lang, S::GaugeLastRead, &[("bytes", &read.len), ("messages", &names)]),
        FontId::proportional(14.0),
        color,
    );
    if let Some(messages) = merged {
        p.text(
            at + Vec2::new(0.0, CAPTION),
            Align2::RIGHT_TOP,
            tf(lang, S::GaugeMergedRead, &[("messages", &messages)]),
            FontId::proportional(15.0),
            color,
        );
    }
}

/// UDP at the play head: datagrams waiting whole in the receive queue (boundaries kept), and
/// how many arrived (truncated among them) and were dropped so far.
pub fn udp_queue_ui(ui: &mut Ui, model: &Model, t_us: u64, lang: Lang) {
    let u = UdpAt::at(model, t_us);
    let dark = ui.visuals().dark_mode;
    let c = if u.truncated + u.dropped > 0 {
        theme::warn(dark)
    } else {
        ui.visuals().text_color()
    };
    ui.label(
        RichText::new(tf(
            lang,
            S::UdpAtHead,
            &[
                ("queued", &u.queued),
                ("arrived", &u.arrived),
                ("truncated", &u.truncated),
                ("dropped", &u.dropped),
            ],
        ))
        .color(c),
    );
    if u.queued == 0 {
        return;
    }
    let (rect, _) = ui.allocate_exact_size(Vec2::new(ui.available_width(), 18.0), Sense::hover());
    let p = ui.painter_at(rect);
    let queued = model
        .datagrams()
        .iter()
        .filter(|d| d.sent_us <= t_us && d.received.is_none_or(|(_, at)| at > t_us) && d.sent);
    let mut x = rect.left();
    // one box per datagram, a gap between: each stays whole, unlike bytes on TCP
    for d in queued {
        let w = (d.len as f32 / 8.0).clamp(6.0, 40.0);
        if x + w > rect.right() {
            p.text(
                Pos2::new(rect.right(), rect.center().y),
                Align2::RIGHT_CENTER,
                "…",
                FontId::proportional(13.0),
                ui.visuals().text_color(),
            );
            break;
        }
        p.rect_filled(
            Rect::from_x_y_ranges(x..=x + w, rect.y_range().shrink(2.0)),
            2.0,
            theme::message(d.msg.0),
        );
        x += w + 3.0;
    }
}
