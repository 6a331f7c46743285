//! The UDP panel: the same messages as datagrams, sent on the left, received on the right.

use egui::{Align2, FontId, Pos2, Rect, RichText, Sense, Stroke, StrokeKind, Ui, Vec2};

use crate::analysis::{DatagramFate, Model};
use crate::strings::{t, tf, Lang, S};
use crate::theme;

const ROW_H: f32 = 20.0;
/// Room right of the received bar for "✂ 98 B lost".
const LOST_W: f32 = 80.0;
/// Room for `m123 1500 B` left of the bars.
const LABEL_W: f32 = 64.0;

pub fn udp_ui(ui: &mut Ui, model: &Model, read_size: u32, lang: Lang) {
    udp_at_ui(ui, model, read_size, lang, None);
}

/// The panel at a playback time: datagrams not sent by then are faded, those not received by
/// then are shown in flight.
pub fn udp_at_ui(ui: &mut Ui, model: &Model, read_size: u32, lang: Lang, play_head: Option<u64>) {
    let dark = ui.visuals().dark_mode;
    let text = ui.visuals().text_color();
    let s = &model.summary();
    // an external client's datagrams (listen --udp) carry no message ids: list them as they came
    let rows = if model.datagrams().is_empty() {
        &model.unidentified_datagrams()
    } else {
        &model.datagrams()
    };
    let count = if model.datagrams().is_empty() {
        s.datagrams_received
    } else {
        s.datagrams_sent
    };
    ui.label(
        RichText::new(tf(lang, S::UdpTitle, &[("count", &count)]))
            .strong()
            .size(15.0),
    );
    ui.weak(tf(lang, S::UdpSubtitle, &[("read_size", &read_size)]));
    ui.add_space(4.0);
    let bar_max = ((ui.available_width() - LABEL_W - LOST_W - 10.0) / 2.0).clamp(30.0, 160.0);
    let max_len = rows.iter().map(|d| d.len).max().unwrap_or(1).max(read_size).max(1) as f32;
    let scale = bar_max / max_len;
    // the rows take what the lines under them leave: sent/received, the summary, an OS error,
    // and the explanation as it wraps at this width (a fixed 110 points left a projector's
    // udp-truncate showing m0–m8 above empty space, issue 26)
    let explain = egui::WidgetText::from(RichText::new(t(lang, S::UdpExplain)).weak()).into_galley(
        ui,
        Some(egui::TextWrapMode::Wrap),
        ui.available_width(),
        egui::TextStyle::Body,
    );
    let line = ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().item_spacing.y;
    let os_error = if s.datagram_error_code.is_some() { line } else { 0.0 };
    let footer = 2.0 * line + os_error + explain.size().y + 2.0 * ui.spacing().item_spacing.y;
    let height = (ui.available_height() - footer).max(ROW_H * 3.0);
    let settled_us = crate::analysis::playback::udp_settled_us(model);
    // the lesson's evidence: the first datagram cut or dropped, brought into view once (issue
    // 26: udp-flood's drops start at m21, below the fold), then the scrolling is the user's
    let fate = |d: &crate::analysis::DatagramRec| model.datagram_fate(d);
    let first_truncated = rows
        .iter()
        .position(|d| matches!(fate(d), DatagramFate::Truncated { .. }));
    let first_dropped = rows.iter().position(|d| fate(d) == DatagramFate::Dropped);
    let first = first_truncated.into_iter().chain(first_dropped).min();
    let revealed = ui.make_persistent_id("udp_revealed");
    let mut area = egui::ScrollArea::vertical()
        .max_height(height)
        .auto_shrink([false, true]);
    // the first frames size the panel (the first is as tall as the list): done only once the
    // height has settled, and asked again each frame until the row is in view
    let last_height = ui.make_persistent_id("udp_last_height");
    let settled = ui.data(|d| d.get_temp::<f32>(last_height)) == Some(height);
    ui.data_mut(|d| d.insert_temp(last_height, height));
    if let Some(i) = first.filter(|&i| ui.data(|d| d.get_temp::<usize>(revealed)) != Some(i)) {
        area = area.vertical_scroll_offset((i as f32 - 2.0).max(0.0) * (ROW_H + ui.spacing().item_spacing.y));
    }
    area.show_rows(ui, ROW_H, rows.len(), |ui, visible| {
        let start = visible.start;
        for (k, d) in rows[visible].iter().enumerate() {
            let (rect, _) = ui.allocate_exact_size(Vec2::new(ui.available_width(), ROW_H), Sense::hover());
            if Some(start + k) == first_truncated {
                crate::shown::area(ui, "udp.first_truncated", rect);
            }
            if Some(start + k) == first_dropped {
                crate::shown::area(ui, "udp.first_dropped", rect);
            }
            if Some(start + k) == first && settled && ui.clip_rect().contains_rect(rect) {
                ui.data_mut(|d| d.insert_temp(revealed, start + k));
            }
            let p = ui.painter();
            let unsent = play_head.is_some_and(|t| d.sent_us > t);
            let color = if unsent {
                theme::message(d.msg.0).gamma_multiply(0.2)
            } else {
                theme::message(d.msg.0)
            };
            let y = rect.y_range().shrink(2.0);
            p.text(
                Pos2::new(rect.left(), rect.center().y),
                Align2::LEFT_CENTER,
                format!("{} {} B", d.msg, d.len),
                FontId::proportional(11.0),
                text,
            );
            let sx = rect.left() + LABEL_W;
            let sent = Rect::from_x_y_ranges(sx..=sx + (d.len as f32 * scale).max(2.0), y);
            // the sent bar only for a send this run observed (not an external sender's)
            if d.sent {
                p.rect_filled(sent, 2.0, color);
            }
            let rx = sx + bar_max + 10.0;
            if unsent {
                continue;
            }
            let not_yet = play_head.is_some_and(|t| d.received.map_or(t < settled_us, |(_, at)| at > t));
            match if not_yet {
                DatagramFate::InFlight
            } else {
                model.datagram_fate(d)
            } {
                DatagramFate::Delivered | DatagramFate::Received => {
                    p.rect_filled(
                        Rect::from_x_y_ranges(rx..=rx + (d.len as f32 * scale).max(2.0), y),
                        2.0,
                        color,
                    );
                }
                DatagramFate::Truncated { lost } => {
                    let kept = d.len - lost;
                    let a = rx + kept as f32 * scale;
                    p.rect_filled(Rect::from_x_y_ranges(rx..=a, y), 2.0, color);
                    let tail = Rect::from_x_y_ranges(a..=a + lost as f32 * scale, y);
                    p.rect_stroke(tail, 2.0, Stroke::new(1.0, theme::SPLIT), StrokeKind::Inside);
                    p.text(
                        Pos2::new(tail.right() + 4.0, rect.center().y),
                        Align2::LEFT_CENTER,
                        tf(lang, S::UdpLost, &[("lost", &lost)]),
                        FontId::proportional(11.0),
                        theme::SPLIT,
                    );
                }
                DatagramFate::Dropped => {
                    p.text(
                        Pos2::new(rx, rect.center().y),
                        Align2::LEFT_CENTER,
                        t(lang, S::UdpDropped),
                        FontId::proportional(11.0),
                        theme::SPLIT,
                    );
                }
                DatagramFate::Missing => {
                    p.text(
                        Pos2::new(rx, rect.center().y),
                        Align2::LEFT_CENTER,
                        t(lang, S::UdpMissing),
                        FontId::proportional(11.0),
                        ui.visuals().weak_text_color(),
                    );
                }
                DatagramFate::InFlight => {
                    p.text(
                        Pos2::new(rx, rect.center().y),
                        Align2::LEFT_CENTER,
                        t(lang, S::UdpInFlight),
                        FontId::proportional(11.0),
                        ui.visuals().weak_text_color(),
                    );
                }
            }
        }
    });
    ui.horizontal(|ui| {
        ui.add_space(LABEL_W);
        ui.weak(t(lang, S::UdpSent));
        ui.add_space(bar_max - 30.0);
        ui.weak(t(lang, S::UdpReceived));
    });
    let dropped = s.datagrams_dropped.map_or("…".to_string(), |n| n.to_string());
    ui.label(
        RichText::new(tf(
            lang,
            S::UdpSummary,
            &[("truncated", &s.datagrams_truncated), ("dropped", &dropped)],
        ))
        .color(theme::warn(dark)),
    );
    if let Some(code) = s.datagram_error_code {
        let name = crate::i18n::os_error_name(code);
        ui.label(
            RichText::new(tf(
                lang,
                S::UdpOsError,
                &[("count", &s.datagram_errors), ("error", &name)],
            ))
            .color(theme::warn(dark)),
        );
    }
    ui.add(egui::Label::new(RichText::new(t(lang, S::UdpExplain)).weak()).wrap());
}
