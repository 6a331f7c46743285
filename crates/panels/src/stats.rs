//! The stats strip: the run's numbers, big enough to read from the back of a room, and the legend.

use egui::{RichText, Ui};

use crate::analysis::{Model, Summary};
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

/// The strip; `compact` (a small window) uses smaller numbers and a one-line legend. In a
/// class session (`class`) it counts the stream on the main timeline, the student picked in
/// the roster (the roster counts the others), whatever connections the model holds.
pub fn stats_ui(ui: &mut Ui, model: &Model, lang: Lang, framing_on: bool, compact: bool, class: bool) {
    let big = if compact { 18.0 } else { 24.0 };
    let s = &model.summary();
    let dash = || "—".to_string();
    // a UDP-only run has no TCP numbers to show: zeros there would read as "nothing happened"
    let tcp = s.messages > 0 || s.reads > 0 || s.datagrams_sent == 0;
    ui.horizontal_wrapped(|ui| {
        if tcp {
            match model.echo().filter(|_| !class) {
                // many clients: every connection's lanes are drawn, so every connection is counted
                Some(echo) if !echo.connections.is_empty() => {
                    let count = echo.connections.len() + 1;
                    group_ui(ui, &tf(lang, S::StatGroupAllConnections, &[("count", &count)]));
                    let all = std::iter::once(model).chain(echo.connections.iter());
                    tcp_stats_ui(ui, big, &total(all), lang, framing_on);
                }
                // request/response: two byte axes, each counted and labelled
                Some(echo) => {
                    group_ui(ui, t(lang, S::StatGroupRequests));
                    tcp_stats_ui(ui, big, model.summary(), lang, framing_on);
                    // the request axis's receiver: before the replies' group, not under it; a
                    // small window keeps the room for the lanes (these lessons are not about it)
                    if !compact {
                        tcp_buffer_and_rate_ui(ui, big, model, lang);
                    }
                    // the replies' group on a row of its own, never its name at the end of one
                    // row and its numbers on the next; a small window keeps the height
                    if !compact {
                        ui.end_row();
                    }
                    group_ui(ui, t(lang, S::StatGroupReplies));
                    reads_stats_ui(ui, big, echo.replies.summary(), lang);
                }
                None => tcp_stats_ui(ui, big, model.summary(), lang, framing_on),
            }
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
        if tcp && (class || model.echo().is_none_or(|e| !e.connections.is_empty())) {
            tcp_buffer_and_rate_ui(ui, big, model, lang);
        } else if !tcp {
            throughput_ui(ui, big, model, lang);
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

/// The receive buffer the kernel set, and the rate the reader got.
fn tcp_buffer_and_rate_ui(ui: &mut Ui, big: f32, model: &Model, lang: Lang) {
    let s = model.summary();
    let value = s.rcvbuf_actual.map_or_else(|| "—".to_string(), |n| n.to_string());
    stat_ui(ui, big, value, t(lang, S::StatRcvBuf), false);
    throughput_ui(ui, big, model, lang);
}

fn throughput_ui(ui: &mut Ui, big: f32, model: &Model, lang: Lang) {
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
}

/// The name of the group of blocks that follows ("requests →", "all 3 connections").
fn group_ui(ui: &mut Ui, text: &str) {
    let dark = ui.visuals().dark_mode;
    let label = ui.add(egui::Label::new(RichText::new(text).size(13.0).strong().color(theme::warn(dark))).extend());
    crate::shown::label(ui, text, label.rect);
    ui.add_space(6.0);
}

/// Several connections' counts added up (many clients: each is its own stream, so merged reads
/// and split messages add; a count some connection lacks is unknown for all).
fn total<'m>(models: impl Iterator<Item = &'m Model>) -> Summary {
    let add = |a: Option<u64>, b: Option<u64>| Some(a? + b?);
    let mut models = models;
    let Some(first) = models.next() else {
        return Summary::default();
    };
    models.fold(first.summary().clone(), |mut t, m| {
        let s = m.summary();
        t.messages += s.messages;
        t.bytes_sent += s.bytes_sent;
        t.writes += s.writes;
        t.short_writes += s.short_writes;
        t.never_sent_bytes += s.never_sent_bytes;
        t.segments_captured = add(t.segments_captured, s.segments_captured);
        t.segments_tcp_info = add(t.segments_tcp_info, s.segments_tcp_info);
        t.retransmitted_tcp_info = add(t.retransmitted_tcp_info, s.retransmitted_tcp_info);
        t.segments_capture_dropped = add(t.segments_capture_dropped, s.segments_capture_dropped);
        t.retransmissions = add(t.retransmissions, s.retransmissions);
        t.acks = add(t.acks, s.acks);
        t.zero_window = add(t.zero_window, s.zero_window);
        t.reads += s.reads;
        t.bytes_received += s.bytes_received;
        t.merged_reads += s.merged_reads;
        t.split_messages += s.split_messages;
        t.frames += s.frames;
        t.intact_frames += s.intact_frames;
        t.decode_errors += s.decode_errors;
        t
    })
}

/// The reply axis of a request/response run: its reads and how they cut the replies.
fn reads_stats_ui(ui: &mut Ui, big: f32, s: &Summary, lang: Lang) {
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
}

fn tcp_stats_ui(ui: &mut Ui, big: f32, s: &Summary, lang: Lang, framing_on: bool) {
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
    let (segments, segments_label) = match (s.segments_captured, gap) {
        // retransmissions are data segments too, and the kernel's count includes them
        (Some(n), g) if g > 0 => {
            let n = n + s.retransmissions.unwrap_or(0);
            (format!("{n}/{}", n + g), S::StatSegmentsOfCounted)
        }
        _ => (s.segments().map_or_else(dash, |n| n.to_string()), S::StatSegments),
    };
    stat_ui(ui, big, segments, t(lang, segments_label), s.capture_may_have_missed());
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
    // a fraction says what it divides
    let (frames, frames_label) = match (framing_on, s.frames > 0) {
        (true, _) => (
            format!("{}/{}", s.intact_frames, s.frames.max(s.messages)),
            S::StatFramesIntactOf,
        ),
        (false, true) => (
            format!("{}/{}", s.intact_frames, s.frames),
            S::StatFramesIntactOfDecoded,
        ),
        (false, false) => (dash(), S::StatFrames),
    };
    stat_ui(ui, big, frames, t(lang, frames_label), false);
    stat_ui(
        ui,
        big,
        s.decode_errors.to_string(),
        t(lang, S::StatErrors),
        s.decode_errors > 0,
    );
}
