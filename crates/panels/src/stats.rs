//! The stats strip: the run's numbers, big enough to read from the back of a room, and the legend.

use egui::{RichText, Ui};

use crate::analysis::Model;
use crate::strings::{t, tf, Lang, S};
use crate::theme;

/// One number over its name, as one block: the strip wraps between blocks, never inside one
/// (a block squeezed into the end of a row used to stack its label one letter per line).
fn stat_ui(ui: &mut Ui, big: f32, value: String, label: &str, highlight: bool) {
    let dark = ui.visuals().dark_mode;
    let v = RichText::new(value).size(big).strong();
    let v = if highlight { v.color(theme::warn(dark)) } else { v };
    let galley = |text: RichText| {
        egui::WidgetText::from(text).into_galley(
            ui,
            Some(egui::TextWrapMode::Extend),
            f32::INFINITY,
            egui::FontSelection::Default,
        )
    };
    let (v, l) = (galley(v), galley(RichText::new(label).size(12.0)));
    let size = egui::vec2(
        v.size().x.max(l.size().x),
        v.size().y + l.size().y + ui.spacing().item_spacing.y,
    );
    let block = ui.allocate_ui_with_layout(size, egui::Layout::top_down(egui::Align::Min), |ui| {
        ui.add(egui::Label::new(v));
        ui.add(egui::Label::new(l));
    });
    crate::shown::label(ui, label, block.response.rect);
    ui.add_space(14.0);
}

/// The strip; `compact` (a small window) uses smaller numbers and a one-line legend.
pub fn stats_ui(ui: &mut Ui, model: &Model, lang: Lang, framing_on: bool, compact: bool) {
    let big = if compact { 18.0 } else { 24.0 };
    let s = &model.summary();
    let dash = || "—".to_string();
    // a UDP-only run has no TCP numbers to show: zeros there would read as "nothing happened"
    let tcp = s.messages > 0 || s.reads > 0 || s.datagrams_sent == 0;
    ui.horizontal_wrapped(|ui| {
        if tcp {
            tcp_stats_ui(ui, big, model, lang, framing_on);
        }
        if s.datagrams_sent > 0 {
            stat_ui(
                ui,
                big,
                s.datagrams_truncated.to_string(),
                t(lang, S::StatTruncated),
                s.datagrams_truncated > 0,
            );
            let dropped = s.datagrams_dropped.map_or_else(dash, |n| n.to_string());
            stat_ui(
                ui,
                big,
                dropped,
                t(lang, S::StatDropped),
                s.datagrams_dropped.unwrap_or(0) > 0,
            );
            if !tcp {
                stat_ui(
                    ui,
                    big,
                    s.udp_rcvbuf_actual.map_or_else(dash, |n| n.to_string()),
                    t(lang, S::UdpRcvBuf),
                    false,
                );
            }
        }
        if tcp {
            stat_ui(
                ui,
                big,
                s.rcvbuf_actual.map_or_else(dash, |n| n.to_string()),
                t(lang, S::StatRcvBuf),
                false,
            );
        }
        if let Some(mb_s) = model.throughput_mb_s() {
            // a classroom run moves kilobytes, a firehose gigabytes: keep three significant digits
            let shown = if mb_s >= 100.0 {
                format!("{mb_s:.0}")
            } else if mb_s >= 1.0 {
                format!("{mb_s:.1}")
            } else {
                format!("{mb_s:.3}")
            };
            stat_ui(ui, big, shown, t(lang, S::StatThroughput), false);
        }
    });

    if model.history_capped() {
        ui.colored_label(
            theme::split_text(ui.visuals().dark_mode),
            tf(lang, S::HistoryCapped, &[("events", &s.events_dropped_from_history)]),
        );
    }
    if s.queue_waits > 0 {
        ui.colored_label(
            theme::split_text(ui.visuals().dark_mode),
            tf(
                lang,
                S::QueueWaited,
                &[
                    ("ms", &crate::i18n::grouped(s.queue_wait_us / 1000)),
                    ("waits", &crate::i18n::grouped(s.queue_waits)),
                ],
            ),
        );
    }
    let legend = egui::Label::new(RichText::new(t(lang, S::Legend)).size(11.5).weak());
    if compact {
        ui.add(legend.truncate());
    } else {
        ui.add(legend.wrap());
    }
}

fn tcp_stats_ui(ui: &mut Ui, big: f32, model: &Model, lang: Lang, framing_on: bool) {
    let s = &model.summary();
    let dash = || "—".to_string();
    stat_ui(ui, big, s.messages.to_string(), t(lang, S::StatMessages), false);
    // more writes than messages needs its reason next to it: send() took fewer bytes than asked
    let writes_label = match s.short_writes {
        0 => t(lang, S::StatWrites).to_string(),
        n => tf(lang, S::StatWritesShort, &[("short", &n)]),
    };
    stat_ui(ui, big, s.writes.to_string(), &writes_label, s.short_writes > 0);
    // bytes the program dropped itself (send()'s count ignored): said beside the short writes
    if s.never_sent_bytes > 0 {
        let value = crate::i18n::grouped(s.never_sent_bytes);
        stat_ui(ui, big, value, t(lang, S::StatNeverSent), true);
    }
    // "38/40" when the capture missed segments the kernel counted: never fewer without a word
    let gap = s.capture_gap().unwrap_or(0);
    let segments = match (s.segments_captured, gap) {
        // retransmissions are data segments too, and the kernel's count includes them
        (Some(n), g) if g > 0 => {
            let n = n + s.retransmissions.unwrap_or(0);
            format!("{n}/{}", n + g)
        }
        _ => s.segments().map_or_else(dash, |n| n.to_string()),
    };
    stat_ui(ui, big, segments, t(lang, S::StatSegments), s.capture_may_have_missed());
    if let Some(acks) = s.acks {
        stat_ui(ui, big, acks.to_string(), t(lang, S::StatAcks), false);
        let zero = s.zero_window.unwrap_or(0);
        stat_ui(ui, big, zero.to_string(), t(lang, S::StatZeroWindow), zero > 0);
        let again = s.retransmissions.unwrap_or(0);
        stat_ui(ui, big, again.to_string(), t(lang, S::StatRetransmissions), again > 0);
    } else if let Some(n) = s.retransmitted_tcp_info.filter(|&n| n > 0) {
        // no capture of both directions: the kernel's own count of segments sent again
        stat_ui(ui, big, n.to_string(), t(lang, S::StatRetransmitted), true);
    }
    stat_ui(ui, big, s.reads.to_string(), t(lang, S::StatReads), false);
    stat_ui(
        ui,
        big,
        s.merged_reads.to_string(),
        t(lang, S::StatMerged),
        s.merged_reads > 0,
    );
    stat_ui(
        ui,
        big,
        s.split_messages.to_string(),
        t(lang, S::StatSplit),
        s.split_messages > 0,
    );
    // frames also come without a framing mode: the handshake lesson frames its own messages
    // (intact of expected: with framing every message is a frame; without it, only the
    // handshake's own frames are, and "1/6" would count requests that were never framed)
    let frames = match (framing_on, s.frames > 0) {
        (true, _) => format!("{}/{}", s.intact_frames, s.frames.max(s.messages)),
        (false, true) => format!("{}/{}", s.intact_frames, s.frames),
        (false, false) => dash(),
    };
    stat_ui(ui, big, frames, t(lang, S::StatFrames), false);
    stat_ui(
        ui,
        big,
        s.decode_errors.to_string(),
        t(lang, S::StatErrors),
        s.decode_errors > 0,
    );
}
