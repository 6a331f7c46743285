//! The run as ASCII lanes over the byte axis, for terminals, chats and issue reports.
//!
//! ```text
//! bytes   0                                                   1130
//! send()  |m0|m1  |m2|m3      |m4|m5  |m6     |m7 |m8      |m9|m10|m11
//! recv()  |r0 512                |r1 512                |r2 106
//!            :    :  :         :    :   ...  message boundaries
//! ```
//!
//! Each lane cuts the same axis; a `|` is where one block starts. When the lanes' `|` do not
//! line up, one send was not one recv.

use std::fmt::Write as _;

use crate::analysis::{DatagramFate, Model, ReadKind, Span};
use crate::facts::{MsgId, Side, SockOpt};
use crate::i18n::{t, tf, Lang, S};

/// One block on a lane: where it starts, how long, its label.
#[cfg(test)]
struct Block {
    offset: u64,
    len: u64,
    label: String,
}

#[cfg(test)]
fn lane(blocks: &[Block], total: u64, width: usize) -> String {
    lane_of(blocks, |b| (b.offset, b.len), |_, b| b.label.clone(), total, width)
}

/// The lane of `items` (each at `place(item)` = (offset, len)), `width` columns for `total`
/// bytes: `-` where a block lies, `|` where one starts, and its label where it fits before the
/// next start. Labels are made only for blocks with room: a run of millions of records costs
/// no string per record (issue 17: the labels of a 10-million-read run took ~240 MB).
fn lane_of<T>(
    items: &[T],
    place: impl Fn(&T) -> (u64, u64),
    label: impl Fn(usize, &T) -> String,
    total: u64,
    width: usize,
) -> String {
    let mut cells = vec![' '; width];
    let col = |off: u64| ((off as u128 * width as u128) / total.max(1) as u128) as usize;
    let start = |item: &T| col(place(item).0).min(width - 1);
    for item in items {
        let (offset, len) = place(item);
        let (from, to) = (col(offset).min(width - 1), col(offset + len).min(width));
        for c in cells.iter_mut().take(to.max(from + 1)).skip(from) {
            *c = '-';
        }
    }
    for (i, item) in items.iter().enumerate() {
        let from = start(item);
        let next = items.get(i + 1).map_or(width, start);
        cells[from] = '|';
        let room = next.saturating_sub(from + 1);
        if room == 0 {
            continue;
        }
        let label = label(i, item);
        if label.chars().count() <= room {
            for (k, ch) in label.chars().enumerate() {
                cells[from + 1 + k] = ch;
            }
        }
    }
    cells.into_iter().collect::<String>().trim_end().to_string()
}

/// A lane of spans labelled `{prefix}{index} {len}`.
fn span_lane(spans: &[Span], prefix: char, total: u64, width: usize) -> String {
    lane_of(
        spans,
        |s| (s.offset, s.len.into()),
        |i, s| format!("{prefix}{i} {}", s.len),
        total,
        width,
    )
}

/// The receiver's ACK points on the byte axis: `^` where an ACK said "everything before here
/// arrived", `0` where one advertised a zero window (it wins its column).
fn ack_lane(model: &Model, total: u64, width: usize) -> String {
    let mut cells = vec![' '; width];
    let col = |off: u64| (((off as u128 * width as u128) / total.max(1) as u128) as usize).min(width - 1);
    for a in model.acks() {
        let c = &mut cells[col(a.ack)];
        if a.zero_window() {
            *c = '0';
        } else if *c == ' ' {
            *c = '^';
        }
    }
    cells.into_iter().collect::<String>().trim_end().to_string()
}

/// Renders the TCP lanes and the UDP datagrams of `model`, `width` columns wide.
pub fn render(model: &Model, width: usize, lang: Lang) -> String {
    let width = width.clamp(20, 1000);
    let mut out = String::new();
    let total = model.stream_len();
    if total > 0 || !model.messages().is_empty() {
        let _ = writeln!(out, "bytes   0{:>w$}", total, w = width - 1);
        let writes = lane_of(
            model.writes(),
            |w| (w.offset, w.len.into()),
            |_, w| MsgId::to_string(&w.msg),
            total,
            width,
        );
        let _ = writeln!(out, "send()  {writes}");
        if model.segments_unavailable().is_some() {
            let segs = model.summary().segments_tcp_info.map_or("?".into(), |n| n.to_string());
            let _ = writeln!(out, "wire    {}", tf(lang, S::TtWireNoCapture, &[("segments", &segs)]));
        } else {
            let _ = writeln!(out, "wire    {}", span_lane(model.segments(), 's', total, width));
            if !model.gso_batches().is_empty() {
                // the packets lo carried whole, each over the segments it was cut into
                let _ = writeln!(out, "gso     {}", span_lane(model.gso_batches(), 'g', total, width));
            }
            if !model.retransmissions().is_empty() {
                let mut again = model.retransmissions().to_vec();
                again.sort_by_key(|r| r.offset);
                let _ = writeln!(out, "resent  {}", span_lane(&again, 'R', total, width));
            }
            if !model.acks().is_empty() {
                let _ = writeln!(out, "ack     {}", ack_lane(model, total, width));
            }
        }
        let _ = writeln!(out, "recv()  {}", span_lane(model.reads(), 'r', total, width));
        if !model.frames().is_empty() || model.summary().decode_errors > 0 {
            let frames = lane_of(
                model.frames(),
                |f| (f.offset, f.len.into()),
                |_, f| format!("f{}{}", f.index, if f.intact { "" } else { "!" }),
                total,
                width,
            );
            let _ = writeln!(out, "frames  {frames}");
        }
        let marks = model.messages().get(1..).unwrap_or_default();
        let guides = lane_of(marks, |m| (m.offset, 0), |_, _| String::new(), total, width).replace(['|', '-'], ":");
        let _ = writeln!(out, "bounds  {guides}");
        for (i, r) in model.reads().iter().enumerate().take(40) {
            let kind = match model.read_kind(r) {
                ReadKind::Exact => t(lang, S::TtExact).to_string(),
                ReadKind::Merged { messages } => tf(lang, S::TtMerged, &[("messages", &messages)]),
                ReadKind::Partial => t(lang, S::TtPartial).to_string(),
                ReadKind::Unknown => String::new(),
            };
            let _ = writeln!(
                out,
                "  r{i:<3} +{:>8} µs  offset {:>7}  {:>6} B  {kind}",
                r.at_us, r.offset, r.len
            );
        }
        // the count, not the stored list: history past the cap still happened
        if model.summary().reads > 40 {
            let _ = writeln!(
                out,
                "  {}",
                tf(lang, S::TtMoreReads, &[("count", &(model.summary().reads - 40))])
            );
        }
        let zero: Vec<_> = model.acks().iter().filter(|a| a.zero_window()).collect();
        for a in zero.iter().take(10) {
            let _ = writeln!(
                out,
                "  {}",
                tf(lang, S::TtZeroWindowAt, &[("at_us", &a.at_us), ("ack", &a.ack)])
            );
        }
        if zero.len() > 10 {
            let _ = writeln!(
                out,
                "  {}",
                tf(lang, S::TtMoreZeroWindow, &[("count", &(zero.len() - 10))])
            );
        }
        for r in model.retransmissions().iter().take(10) {
            let _ = writeln!(
                out,
                "  {}",
                tf(
                    lang,
                    S::TtRetransmissionAt,
                    &[("at_us", &r.at_us), ("len", &r.len), ("offset", &r.offset)]
                )
            );
        }
        for (_, e) in model.decode_errors() {
            let _ = writeln!(
                out,
                "  {}",
                tf(
                    lang,
                    S::TtDecodeError,
                    &[("error", &crate::describe::decode_error(e, lang))]
                )
            );
        }
        for n in model.never_sent().iter().take(10) {
            let _ = writeln!(out, "  {}", crate::describe::send_close::never_sent_row(n, lang));
        }
    }
    if !model.datagrams().is_empty() {
        let _ = writeln!(out, "{}", t(lang, S::TtUdpHeader));
        for d in model.datagrams().iter().take(40) {
            let fate = match model.datagram_fate(d) {
                DatagramFate::Delivered => t(lang, S::TtDelivered).to_string(),
                DatagramFate::Truncated { lost } => tf(lang, S::TtTruncated, &[("lost", &lost)]),
                DatagramFate::Dropped => t(lang, S::TtDropped).to_string(),
                DatagramFate::InFlight => t(lang, S::TtInFlight).to_string(),
                DatagramFate::Received => t(lang, S::TtReceivedOnly).to_string(),
                DatagramFate::Missing => t(lang, S::TtMissing).to_string(),
            };
            let got = d.received.map_or("-".into(), |(n, _)| n.to_string());
            // only what was observed: a send this run did not see has no "sent" column
            let sent = if d.sent {
                format!("{:>6} B", d.len)
            } else {
                format!("{:>8}", "-")
            };
            let _ = writeln!(out, "  {:<5} {sent} → {:>6}  {fate}", d.msg.to_string(), got);
        }
        if model.datagrams().len() > 40 {
            let _ = writeln!(
                out,
                "  {}",
                tf(lang, S::TtMoreDatagrams, &[("count", &(model.datagrams().len() - 40))])
            );
        }
    }
    out
}

/// The summary as aligned `name: value` lines.
pub fn summary(model: &Model, lang: Lang) -> String {
    let s = &model.summary();
    let opt = |v: Option<u64>| v.map_or("-".to_string(), |n| n.to_string());
    // a buffer with what the kernel did to the request, when it did not give what was asked
    let buffer = |side: Side, sock_opt: SockOpt, v: Option<u64>| {
        let clamped = model
            .options()
            .iter()
            .find(|o| o.side == side && o.opt == sock_opt)
            .and_then(|o| crate::describe::buffer_clamped(o, lang));
        match clamped {
            Some(why) => format!("{} ({why})", opt(v)),
            None => opt(v),
        }
    };
    let mut out = String::new();
    let mut line = |k: S, v: String| out.push_str(&crate::i18n::summary_line(lang, k, &v));
    if s.messages > 0 {
        line(S::SumMessages, s.messages.to_string());
        line(S::SumBytesSent, s.bytes_sent.to_string());
        line(S::SumWrites, crate::describe::writes_value(s, lang));
        if s.never_sent_bytes > 0 {
            line(S::SumNeverSent, crate::describe::send_close::never_sent_value(s, lang));
        }
        line(
            S::SumSegmentsCaptured,
            crate::describe::segments_captured_value(s, lang),
        );
        line(S::SumSegmentsTcpInfo, opt(s.segments_tcp_info));
        if s.gso_batches > 0 {
            line(
                S::SumGsoBatches,
                tf(lang, S::SumGsoBatchesValue, &[("batches", &s.gso_batches)]),
            );
        }
        if s.retransmissions.is_some() {
            line(S::SumRetransmissions, opt(s.retransmissions));
        }
        if let Some(acks) = s.acks {
            line(S::SumAcks, acks.to_string());
            line(S::SumZeroWindow, opt(s.zero_window));
            line(S::SumWindowProbes, opt(s.window_probes));
            line(S::SumMinWindow, opt(s.min_window));
        }
        // said when it happened (a lossy link); 0 on loopback, which never loses a segment
        if let Some(n) = s.retransmitted_tcp_info.filter(|&n| n > 0) {
            line(S::SumRetransmitted, n.to_string());
        }
        line(S::SumReads, s.reads.to_string());
        line(S::SumBytesReceived, s.bytes_received.to_string());
        line(S::SumMerged, s.merged_reads.to_string());
        line(S::SumSplit, s.split_messages.to_string());
        line(S::SumExact, s.exact_reads.to_string());
        line(
            S::SumFrames,
            tf(
                lang,
                S::SumIntact,
                &[("frames", &s.frames), ("intact", &s.intact_frames)],
            ),
        );
        line(S::SumDecodeErrors, s.decode_errors.to_string());
        line(S::SumSndBuf, buffer(Side::TcpSender, SockOpt::SndBuf, s.sndbuf_actual));
        line(
            S::SumRcvBuf,
            buffer(Side::TcpReceiver, SockOpt::RcvBuf, s.rcvbuf_actual),
        );
    }
    if s.datagrams_sent > 0 {
        line(S::SumDgSent, s.datagrams_sent.to_string());
        line(S::SumDgReceived, s.datagrams_received.to_string());
        line(
            S::SumDgTruncated,
            tf(
                lang,
                S::SumDgTruncatedValue,
                &[("count", &s.datagrams_truncated), ("lost", &s.datagram_bytes_lost)],
            ),
        );
        if let Some(code) = s.datagram_error_code {
            line(
                S::SumDgErrors,
                tf(
                    lang,
                    S::SumDgErrorsValue,
                    &[
                        ("count", &s.datagram_errors),
                        ("error", &crate::i18n::os_error_name(code)),
                    ],
                ),
            );
        }
        line(S::SumDgDropped, opt(s.datagrams_dropped));
        line(
            S::SumUdpRcvBuf,
            buffer(Side::UdpReceiver, SockOpt::RcvBuf, s.udp_rcvbuf_actual),
        );
    }
    if s.messages > 0 || s.datagrams_sent > 0 {
        line(S::SumCausality, s.causality_violations.to_string());
    }
    if s.events_dropped_from_history > 0 {
        line(S::SumHistoryDropped, s.events_dropped_from_history.to_string());
    }
    if s.queue_waits > 0 {
        line(
            S::SumQueueWaits,
            tf(
                lang,
                S::SumQueueWaitsValue,
                &[
                    ("waits", &crate::i18n::grouped(s.queue_waits)),
                    ("ms", &crate::i18n::grouped(s.queue_wait_us / 1000)),
                ],
            ),
        );
    }
    for l in crate::describe::send_close::restart_lines(model, lang) {
        let _ = writeln!(out, "{l}");
    }
    // `listen` lists its clients in a section of their own.
    for p in model
        .problems()
        .iter()
        .filter(|p| !matches!(p.kind, crate::analysis::ProblemKind::Client(_)))
    {
        let _ = writeln!(
            out,
            "{}",
            tf(lang, S::TtProblem, &[("problem", &crate::describe::problem(p, lang))])
        );
    }
    if let Some(code) = s.datagram_error_code {
        let _ = writeln!(
            out,
            "{}",
            tf(
                lang,
                S::TtNote,
                &[(
                    "text",
                    &tf(lang, S::NoteMsgSize, &[("error", &crate::i18n::os_error_name(code))])
                )]
            )
        );
    }
    if let Some(limit) = model.acks_not_captured() {
        let _ = writeln!(
            out,
            "{}",
            tf(
                lang,
                S::TtNote,
                &[("text", &tf(lang, S::NoteAcksNotCaptured, &[("mib", &(limit >> 20))]))]
            )
        );
    }
    if let Some(why) = &model.segments_unavailable() {
        let _ = writeln!(
            out,
            "{}",
            tf(
                lang,
                S::TtNote,
                &[("text", &crate::describe::capture_unavailable(why, lang))]
            )
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lane_marks_block_starts() {
        let blocks = [
            Block {
                offset: 0,
                len: 5,
                label: "a".into(),
            },
            Block {
                offset: 5,
                len: 5,
                label: "b".into(),
            },
        ];
        assert_eq!(lane(&blocks, 10, 20), "|a--------|b--------");
    }
}
