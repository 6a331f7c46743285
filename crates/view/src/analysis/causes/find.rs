//! The rules: each effect found in the [`Trail`] and the cause its events prove.

use super::trail::{Ack, Read, Seg, Trail, Write};
use super::{Cause, Causes, DropPlace, Effect, EventIx, Missing, Place, DELAYED_ACK_US, MAX_CAUSES, RELEASE_US};
use crate::analysis::echo::STALL_US;

struct Out {
    causes: Causes,
}

impl Out {
    fn push(&mut self, c: Cause) {
        if self.causes.list.len() < MAX_CAUSES {
            self.causes.list.push(c);
        } else {
            self.causes.not_listed += 1;
        }
    }
}

pub(super) fn causes(t: &Trail) -> Causes {
    let mut out = Out {
        causes: Causes {
            incomplete: t.incomplete,
            ..Causes::default()
        },
    };
    let wire = Wire::new(t);
    let nagle = nagle(t, &wire, &mut out);
    stalls(t, &wire, &nagle, &mut out);
    short_writes(t, &mut out);
    let behind = lost_segments(t, &wire, &mut out);
    merged_reads(t, &wire, &behind, &mut out);
    split_messages(t, &wire, &mut out);
    decoder(t, &mut out);
    zero_windows(t, &mut out);
    datagrams(t, &mut out);
    out.causes
}

/// The captured segments sorted by offset, and what the capture followed.
struct Wire<'a> {
    by_offset: Vec<&'a Seg>,
    /// Segments were captured (else: the capture was unavailable or saw nothing).
    segments: bool,
    acks: bool,
}

impl<'a> Wire<'a> {
    fn new(t: &'a Trail) -> Self {
        let mut by_offset: Vec<&Seg> = t.segments.iter().collect();
        by_offset.sort_by_key(|s| (s.offset, s.at_us));
        let segments = !t.capture_unavailable && !t.segments.is_empty();
        Self {
            by_offset,
            segments,
            acks: segments && !t.acks_not_captured && !t.acks.is_empty(),
        }
    }

    /// The segment that first carried stream byte `offset`.
    fn carrying(&self, offset: u64) -> Option<&'a Seg> {
        let i = self.by_offset.partition_point(|s| s.offset <= offset);
        let s = *self.by_offset.get(i.checked_sub(1)?)?;
        (offset < s.end()).then_some(s)
    }

    fn missing(&self) -> Missing {
        if self.segments {
            Missing::Acks
        } else {
            Missing::Capture
        }
    }
}

/// The last ACK at or before `at_us`.
fn ack_at(acks: &[Ack], at_us: u64) -> Option<&Ack> {
    let n = acks.partition_point(|a| a.at_us <= at_us);
    acks.get(n.checked_sub(1)?)
}

/// The write that carried stream byte `offset`.
fn write_carrying(writes: &[Write], offset: u64) -> Option<&Write> {
    let i = writes.partition_point(|w| w.offset <= offset);
    let w = writes.get(i.checked_sub(1)?)?;
    (offset < w.offset + u64::from(w.len)).then_some(w)
}

/// Nagle held writes until the ACK of the one segment in flight. Proven when: Nagle was on; the
/// write returned while `previous` was in flight alone (every byte before it acknowledged) and
/// the window had room; the segment carrying the write's first byte left only after the ACK of
/// `previous`, within [`RELEASE_US`] of it, and that ACK came after the write returned.
/// Returns the rounds whose stall the causes explain.
fn nagle(t: &Trail, wire: &Wire, out: &mut Out) -> Vec<u32> {
    let mut explained = Vec::new();
    if t.nodelay.is_some_and(|v| v != 0) || !wire.acks {
        return explained;
    }
    let mut rounds = t.rounds.clone();
    rounds.sort_by_key(|r| r.index);
    let mut found: Vec<Cause> = Vec::new();
    for w in t.writes.iter().filter(|w| w.len > 0) {
        let Some(held) = wire.carrying(w.offset) else { continue };
        if held.at_us <= w.at_us || held.offset == 0 {
            continue;
        }
        let Some(prev) = wire.carrying(held.offset - 1) else {
            continue;
        };
        if prev.end() != held.offset || prev.at_us > w.at_us {
            continue;
        }
        // the first ACK of everything `prev` carried
        let k = t.acks.partition_point(|a| a.ack < prev.end());
        let Some(ack) = t.acks.get(k) else { continue };
        let released = ack.at_us <= held.at_us && held.at_us - ack.at_us <= RELEASE_US;
        if !released || ack.at_us <= w.at_us {
            continue;
        }
        // `prev` alone in flight when the write returned, and room in the window for `held`
        let before = ack_at(&t.acks, w.at_us);
        let alone = before.map_or(prev.offset == 0, |b| b.ack >= prev.offset && b.ack < prev.end());
        let room = before.is_none_or(|b| b.ack + u64::from(b.window) >= held.end());
        if !alone || !room {
            continue;
        }
        let ack_delay_us = ack.at_us.saturating_sub(prev.at_us);
        let round = rounds
            .binary_search_by_key(&w.msg.0, |r| r.index)
            .ok()
            .map(|i| rounds[i]);
        let start = w.start_us.unwrap_or(w.at_us);
        // writes held into the same segment join the first one's cause
        if let Some(Cause::Nagle {
            last_write,
            writes,
            held_segment,
            ..
        }) = found.last_mut()
        {
            if *held_segment == held.ix {
                *last_write = w.ix;
                *writes += 1;
                continue;
            }
        }
        let delayed_ack = ack_delay_us >= DELAYED_ACK_US;
        if delayed_ack {
            explained.extend(round.map(|r| r.index));
        }
        found.push(Cause::Nagle {
            write: w.ix,
            last_write: w.ix,
            writes: 1,
            previous_segment: prev.ix,
            ack: ack.ix,
            held_segment: held.ix,
            held_us: held.at_us.saturating_sub(start),
            ack_delay_us,
            delayed_ack,
            round: round.map(|r| r.index),
            round_event: round.map(|r| r.ix),
        });
    }
    for c in found {
        out.push(c);
    }
    explained
}

/// Requests that stalled without a proven Nagle × delayed-ACK cause: without a capture, the
/// unsent bytes `TCP_INFO` counted at the request's writes; else not told.
fn stalls(t: &Trail, wire: &Wire, explained: &[u32], out: &mut Out) {
    for r in t.rounds.iter().filter(|r| r.latency_us >= STALL_US) {
        if explained.contains(&r.index) {
            continue;
        }
        let k = t.writes.partition_point(|w| w.msg.0 < r.index);
        let unsent = t.writes[k..]
            .iter()
            .take_while(|w| w.msg.0 == r.index)
            .find(|w| w.notsent > 0);
        match unsent {
            Some(w) if !wire.acks => out.push(Cause::Unsent {
                write: w.ix,
                notsent: w.notsent,
                round: r.index,
                round_event: r.ix,
            }),
            _ => out.push(Cause::NotTold {
                effect: Effect::Stall {
                    round: r.index,
                    latency_us: r.latency_us,
                    at: r.ix,
                },
                missing: if wire.acks { Missing::Unproven } else { wire.missing() },
            }),
        }
    }
}

fn short_writes(t: &Trail, out: &mut Out) {
    for w in &t.writes {
        let Some(requested) = w.requested.filter(|r| *r > w.len) else {
            continue;
        };
        let end = w.offset + u64::from(w.len);
        let never_sent = t.never_sent.iter().find(|n| n.msg == w.msg && n.offset == end);
        out.push(Cause::ShortWrite {
            write: w.ix,
            requested,
            accepted: w.len,
            never_sent: never_sent.map(|n| n.ix),
        });
    }
}

/// When the read began at the latest: its own start, else the return of the read before it.
fn began(reads: &[Read], i: usize) -> Option<u64> {
    reads[i].start_us.or_else(|| i.checked_sub(1).map(|p| reads[p].at_us))
}

/// Merged reads (粘包): a message boundary strictly inside a read.
fn merged_reads(t: &Trail, wire: &Wire, behind: &[(EventIx, EventIx)], out: &mut Out) {
    let msgs = &t.messages;
    let first = t.reads.iter().position(|r| r.len > 0);
    for (i, r) in t.reads.iter().enumerate().filter(|(_, r)| r.len > 0) {
        let k = msgs.partition_point(|m| m.offset <= r.offset);
        let Some(next) = msgs.get(k).filter(|m| m.offset < r.end()) else {
            continue;
        };
        let b = next.offset;
        let first_read = first == Some(i);
        let not_told = |missing| Cause::NotTold {
            effect: Effect::MergedRead { read: r.ix },
            missing,
        };
        if let Some((_, resent)) = behind.iter().find(|(read, _)| *read == r.ix) {
            out.push(Cause::BehindGap {
                read: r.ix,
                resent: *resent,
            });
            continue;
        }
        if wire.segments {
            let (Some(before), Some(at)) = (wire.carrying(b - 1), wire.carrying(b)) else {
                out.push(not_told(Missing::Unproven));
                continue;
            };
            if before.ix == at.ix {
                out.push(Cause::WireMerged {
                    read: r.ix,
                    segment: at.ix,
                });
            } else {
                match began(&t.reads, i).filter(|s| *s >= at.at_us) {
                    Some(s) => out.push(Cause::ReaderLate {
                        read: r.ix,
                        arrived: at.ix,
                        waited_us: s - at.at_us,
                        first_read,
                    }),
                    None => out.push(not_told(Missing::Unproven)),
                }
            }
        } else {
            // no capture: a write after which TCP_INFO counted nothing unsent had left whole
            let w = write_carrying(&t.writes, b).filter(|w| w.notsent == 0);
            match (w, began(&t.reads, i)) {
                (Some(w), Some(s)) if s >= w.at_us => out.push(Cause::ReaderLate {
                    read: r.ix,
                    arrived: w.ix,
                    waited_us: s - w.at_us,
                    first_read,
                }),
                _ => out.push(not_told(Missing::Capture)),
            }
        }
    }
}

/// Split messages (半包): the first read that ended inside each message.
fn split_messages(t: &Trail, wire: &Wire, out: &mut Out) {
    let reads = &t.reads;
    for m in t.messages.iter().filter(|m| m.len > 0) {
        let k = reads.partition_point(|r| r.end() <= m.offset);
        let Some(r) = reads[k..]
            .iter()
            .take_while(|r| r.offset < m.end())
            .find(|r| r.len > 0 && r.end() > m.offset && r.end() < m.end())
        else {
            continue;
        };
        if r.len == r.requested {
            out.push(Cause::ReadFull {
                read: r.ix,
                requested: r.requested,
                msg: m.msg,
                message_len: m.len,
            });
            continue;
        }
        let rest = write_carrying(&t.writes, r.end());
        if let Some((w, start)) = rest.and_then(|w| Some((w, w.start_us?))) {
            if start > r.at_us {
                out.push(Cause::RestWrittenLater {
                    read: r.ix,
                    msg: m.msg,
                    write: w.ix,
                    later_us: start - r.at_us,
                });
                continue;
            }
        }
        match wire.carrying(r.end()).filter(|s| wire.segments && s.at_us > r.at_us) {
            Some(s) => out.push(Cause::RestArrivedLater {
                read: r.ix,
                msg: m.msg,
                segment: s.ix,
                later_us: s.at_us - r.at_us,
            }),
            None => out.push(Cause::NotTold {
                effect: Effect::SplitMessage { read: r.ix, msg: m.msg },
                missing: if wire.segments {
                    Missing::Unproven
                } else {
                    Missing::Capture
                },
            }),
        }
    }
}

/// A naive decoder's first short read puts it out of step; the errors after it follow from it.
fn decoder(t: &Trail, out: &mut Out) {
    let errors = &t.decode_errors;
    let first_short = errors.iter().position(|e| e.short_read.is_some());
    for (i, e) in errors.iter().enumerate() {
        match (e.short_read, first_short) {
            (Some((offset, asked, got)), Some(f)) if f == i => {
                let k = t.reads.partition_point(|r| r.offset < offset);
                let read = t.reads.get(k).filter(|r| r.offset == offset && r.at_us <= e.at_us);
                let next_error = errors.get(i + 1).map(|n| n.ix);
                match read {
                    Some(r) => out.push(Cause::OutOfStep {
                        read: r.ix,
                        short_read: e.ix,
                        asked,
                        got,
                        next_error,
                    }),
                    None => out.push(Cause::NotTold {
                        effect: Effect::DecodeError { error: e.ix },
                        missing: Missing::Unproven,
                    }),
                }
            }
            // out of step already: explained by the first short read
            _ if first_short.is_some_and(|f| f < i) => {}
            // bytes the headers promised were never sent: the first such gap before the frame
            _ if i == 0 && t.never_sent.iter().any(|n| n.len > 0 && n.offset <= e.offset) => {
                let n = t
                    .never_sent
                    .iter()
                    .filter(|n| n.len > 0 && n.offset <= e.offset)
                    .min_by_key(|n| n.offset)
                    .expect("one");
                out.push(Cause::NeverSentBefore {
                    error: e.ix,
                    never_sent: n.ix,
                    msg: n.msg,
                    lost: n.len,
                    offset: e.offset,
                });
            }
            _ if i > 0 && t.never_sent.iter().any(|n| n.len > 0 && n.offset <= errors[0].offset) => {}
            _ => out.push(Cause::NotTold {
                effect: Effect::DecodeError { error: e.ix },
                missing: Missing::Unproven,
            }),
        }
    }
}

/// Zero windows: each run of zero-window ACKs, the bytes unread then, and the read after which
/// the window opened again.
fn zero_windows(t: &Trail, out: &mut Out) {
    let acks = &t.acks;
    let mut i = 0;
    while i < acks.len() {
        if acks[i].window != 0 {
            i += 1;
            continue;
        }
        let zero = &acks[i];
        let mut j = i;
        while j < acks.len() && acks[j].window == 0 {
            j += 1;
        }
        let reopen = acks.get(j);
        let read_end = |at: u64| {
            let n = t.reads.partition_point(|r| r.at_us <= at);
            n.checked_sub(1).map_or(0, |p| t.reads[p].end())
        };
        let read = reopen.and_then(|o| {
            let n = t.reads.partition_point(|r| r.at_us <= o.at_us);
            t.reads[..n].last().filter(|r| r.at_us >= zero.at_us)
        });
        out.push(Cause::ZeroWindow {
            zero_ack: zero.ix,
            zero_acks: (j - i) as u32,
            unread: zero.ack.saturating_sub(read_end(zero.at_us)),
            read: read.map(|r| r.ix),
            reopen_ack: reopen.map(|o| o.ix),
            closed_us: reopen.map(|o| o.at_us.saturating_sub(zero.at_us)),
        });
        i = j;
    }
}

/// Bytes a later segment overtook, carried again later: dropped before the capture point.
/// Segments captured twice: sent again, why not told.
/// Returns the reads that waited behind a gap, with the segment that filled it.
fn lost_segments(t: &Trail, wire: &Wire, out: &mut Out) -> Vec<(EventIx, EventIx)> {
    let mut behind = Vec::new();
    if !wire.segments || t.capture_dropped.is_some_and(|d| d > 0) {
        return behind;
    }
    let mut top = 0u64;
    // bytes never captured: (offset, end, the segment that overtook them, already told)
    let mut gaps: Vec<(u64, u64, &Seg, bool)> = Vec::new();
    let mut all: Vec<(&Seg, bool)> = t.segments.iter().map(|s| (s, false)).collect();
    all.extend(t.resent.iter().map(|s| (s, true)));
    all.sort_by_key(|(s, _)| s.ix);
    for (s, again) in all {
        let mut filled = false;
        let mut rest = Vec::new();
        for (o, e, over, told) in gaps.drain(..) {
            if s.offset >= e || s.end() <= o {
                rest.push((o, e, over, told));
                continue;
            }
            filled = true;
            if !told {
                let k = t.reads.partition_point(|r| r.end() <= over.offset);
                let blocked_read = t.reads.get(k).filter(|r| r.offset <= over.offset);
                out.push(Cause::QueueDrop {
                    lost_offset: o,
                    lost_len: e - o,
                    overtaken_by: over.ix,
                    resent: s.ix,
                    blocked_us: s.at_us.saturating_sub(over.at_us),
                    blocked_read: blocked_read.map(|r| r.ix),
                });
                if let Some(r) = blocked_read {
                    behind.push((r.ix, s.ix));
                }
            }
            if o < s.offset {
                rest.push((o, s.offset, over, true));
            }
            if s.end() < e {
                rest.push((s.end(), e, over, true));
            }
        }
        gaps = rest;
        if again && !filled {
            out.push(Cause::NotTold {
                effect: Effect::Resent { segment: s.ix },
                missing: Missing::PastCapture,
            });
        }
        if s.offset > top {
            gaps.push((top, s.offset, s, false));
        }
        top = top.max(s.end());
    }
    behind
}

/// A generous bound on what one datagram of `len` bytes costs a receive buffer (the kernel
/// charges the buffer it sits in, at most twice its bytes plus the bookkeeping).
fn charge(len: u32) -> u64 {
    2 * u64::from(len) + 2048
}

/// Datagrams cut to the buffer, and those that never arrived (once the receiver ended).
fn datagrams(t: &Trail, out: &mut Out) {
    for d in t.received.iter().filter(|d| d.len < d.real_len) {
        out.push(Cause::UdpTruncated {
            received: d.ix,
            sent: d
                .msg
                .and_then(|m| t.sent.get(t.sent.partition_point(|s| s.msg < m)).filter(|s| s.msg == m))
                .map(|s| s.ix),
            buffer: d.len,
            real_len: d.real_len,
        });
    }
    let Some(ended) = t.udp_receiver_ended else { return };
    let mut got: Vec<(u32, u64)> = t.received.iter().filter_map(|d| Some((d.msg?.0, d.at_us))).collect();
    got.sort_unstable();
    let received_at = |m: u32| got.binary_search_by_key(&m, |g| g.0).ok().map(|i| got[i].1);
    // run of drops with one told place: (first, last, count, place)
    let mut run: Option<(EventIx, EventIx, u32, Option<DropPlace>)> = None;
    let flush = |run: &mut Option<(EventIx, EventIx, u32, Option<DropPlace>)>, out: &mut Out| {
        if let Some((first, last, datagrams, at)) = run.take() {
            out.push(match at {
                Some(at) => Cause::UdpDropped {
                    first,
                    last,
                    datagrams,
                    at,
                },
                None => Cause::NotTold {
                    effect: Effect::DatagramsDropped { first, datagrams },
                    missing: Missing::Unproven,
                },
            });
        }
    };
    // datagrams sent before the current one and read after it was sent: (read at, len)
    let mut waiting: std::collections::BinaryHeap<std::cmp::Reverse<(u64, u32)>> = Default::default();
    let mut queued = 0u64;
    // an empty datagram carries no id: whether it arrived is matched by order, not told here
    for s in t.sent.iter().filter(|s| s.len > 0) {
        while let Some(std::cmp::Reverse((at, len))) = waiting.peek().copied() {
            if at > s.start_us {
                break;
            }
            waiting.pop();
            queued -= charge(len);
        }
        if let Some(at) = received_at(s.msg.0) {
            flush(&mut run, out);
            waiting.push(std::cmp::Reverse((at, s.len)));
            queued += charge(s.len);
            continue;
        }
        let n = waiting.len() as u32;
        let place = if s.start_us >= ended {
            None
        } else {
            match (t.place, t.udp_rcvbuf) {
                (Place::Loopback, _) if n > 0 => Some(DropPlace::ReceiveBuffer { unread: n }),
                (Place::Link | Place::Unknown, Some(rcvbuf)) if queued + charge(s.len) < rcvbuf => {
                    Some(DropPlace::Link { unread: n, rcvbuf })
                }
                _ => None,
            }
        };
        match &mut run {
            Some((_, last, count, at)) if *at == place => {
                *last = s.ix;
                *count += 1;
            }
            _ => {
                flush(&mut run, out);
                run = Some((s.ix, s.ix, 1, place));
            }
        }
    }
    flush(&mut run, out);
}
