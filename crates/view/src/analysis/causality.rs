//! The picture never lies: no effect is stamped before its cause (design.md §7).
//!
//! For every byte stream of a run (the main one, a request/response run's reply axis, each
//! extra connection):
//!
//! ```text
//!   write W  [start ─────── return]          a read returning byte b:   read.return ≥ W.start
//!              │   segment S                 a segment carrying b:      W.start ≤ S ≤ read.return
//!              ▼      ▼                      a frame ending at b:       frame ≥ read.return
//!   read R       [start ───── return]        a datagram:                received ≥ send() began
//!                      frame F ▲
//! ```
//!
//! where W is the write that carried b and R the read that returned it. Writes are judged by
//! their call's start, reads by their return: on loopback a `send()` can hand its bytes to the
//! reader and return after the reader's `recv()` did, and that is no violation.
//!
//! [`check`] is the plain function over a list of events; [`Causality`] is the same check fed
//! one event at a time, in any order of arrival (threads hand over their events in batches),
//! which is how the [`super::Model`] runs it live. Each pair of events is judged once, when
//! the later of the two arrives.

use crate::facts::Event;

/// Records of one kind kept per byte stream for the check; past it the check stops for that
/// stream and says how many events it left unchecked (a 10-million-read run would otherwise
/// hold 160 MB here).
const MAX_CHECKED: usize = 2_000_000;
/// Violations kept with their details; the count stays exact past it.
const MAX_KEPT: usize = 100;

/// Which byte stream (or the datagrams) a violation is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Axis {
    /// The main stream: sender to receiver (`conn` 0), or extra connection `conn` ≥ 1.
    Requests {
        conn: u32,
    },
    /// A request/response run's reply stream of connection `conn`.
    Replies {
        conn: u32,
    },
    Datagrams,
}

/// One broken rule: `effect_us` is earlier than `cause_us` allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Violation {
    pub axis: Axis,
    pub kind: ViolationKind,
    /// The stream byte (or datagram id) it concerns.
    pub offset: u64,
    pub cause_us: u64,
    pub effect_us: u64,
}

impl Violation {
    /// How far the effect is on the wrong side of its cause, in µs.
    pub fn by_us(&self) -> u64 {
        self.cause_us.abs_diff(self.effect_us)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ViolationKind {
    /// A read returned before the write of its bytes began.
    ReadBeforeWrite,
    /// A segment was stamped before the write of its bytes began.
    SegmentBeforeWrite,
    /// A segment was stamped after the read that returned its bytes.
    SegmentAfterRead,
    /// A frame was stamped before the read that completed it returned.
    FrameBeforeRead,
    /// A datagram was received before its `send()` began.
    DatagramBeforeSent,
    /// An ACK was stamped before the segment carrying the last byte it acknowledges.
    AckBeforeSegment,
}

/// A byte range with a time: `[offset, end)` at `us`.
#[derive(Clone, Copy, Debug)]
struct Rec {
    offset: u64,
    end: u64,
    us: u64,
}

/// The records of one byte stream, each list in stream order (one thread makes each list).
#[derive(Clone, Debug, Default)]
struct Stream {
    /// Writes at their call's start.
    writes: Vec<Rec>,
    /// Reads at their return.
    reads: Vec<Rec>,
    /// Segments at their kernel stamp, cut to the bytes not seen in an earlier segment (a
    /// retransmission of bytes already read is no effect of that read's cause).
    segments: Vec<Rec>,
    segments_seen_end: u64,
    /// Frames at their stamp (`offset` = end - 1, the byte that completed it).
    frames: Vec<Rec>,
    /// The receiver's ACKs at their stamp (`offset` = ack - 1, the last byte acknowledged), in
    /// capture order: the ACK point only moves forward.
    acks: Vec<Rec>,
}

/// Index range of the records of `list` (in stream order) overlapping `[offset, end)`.
fn overlapping(list: &[Rec], offset: u64, end: u64) -> std::ops::Range<usize> {
    let from = list.partition_point(|r| r.end <= offset);
    let to = list.partition_point(|r| r.offset < end);
    from..to.max(from)
}

/// The incremental checker (see the module comment).
#[derive(Clone, Debug, Default)]
pub struct Causality {
    streams: std::collections::HashMap<Axis, Stream>,
    /// Datagram id → (send began, received), each once known.
    datagrams: std::collections::HashMap<u32, (Option<u64>, Option<u64>)>,
    violations: Vec<Violation>,
    count: u64,
    /// Events not checked because a stream's records passed [`MAX_CHECKED`].
    pub unchecked: u64,
}

impl Causality {
    /// Every violation found so far (the first [`MAX_KEPT`]).
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    /// How many violations were found in all.
    pub fn count(&self) -> u64 {
        self.count
    }

    fn found(&mut self, v: Violation) {
        self.count += 1;
        if self.violations.len() < MAX_KEPT {
            self.violations.push(v);
        }
    }

    /// Takes one event into account; returns how many new violations it revealed.
    pub fn observe(&mut self, event: &Event) -> u64 {
        let before = self.count;
        self.observe_on(event, 0, false);
        self.count - before
    }

    fn observe_on(&mut self, event: &Event, conn: u32, reply: bool) {
        let axis = if reply {
            Axis::Replies { conn }
        } else {
            Axis::Requests { conn }
        };
        match event {
            Event::Reply { event } => self.observe_on(event, conn, true),
            Event::Conn { conn, event } => self.observe_on(event, *conn, reply),
            Event::Write { offset, len, .. } => {
                let us = event.start_us().unwrap_or(0);
                self.write(
                    axis,
                    Rec {
                        offset: offset.0,
                        end: offset.0 + u64::from(*len),
                        us,
                    },
                );
            }
            Event::Read { at_us, offset, len, .. } if *len > 0 => {
                self.read(
                    axis,
                    Rec {
                        offset: offset.0,
                        end: offset.0 + u64::from(*len),
                        us: *at_us,
                    },
                );
            }
            Event::Segment { at_us, offset, len, .. } | Event::Retransmission { at_us, offset, len, .. }
                if *len > 0 =>
            {
                self.segment(
                    axis,
                    Rec {
                        offset: offset.0,
                        end: offset.0 + u64::from(*len),
                        us: *at_us,
                    },
                );
            }
            Event::Frame { at_us, offset, len, .. } if *len > 0 => {
                let last = offset.0 + u64::from(*len) - 1;
                self.frame(
                    axis,
                    Rec {
                        offset: last,
                        end: last + 1,
                        us: *at_us,
                    },
                );
            }
            Event::Ack { at_us, ack, .. } if ack.0 > 0 => self.ack(
                axis,
                Rec {
                    offset: ack.0 - 1,
                    end: ack.0,
                    us: *at_us,
                },
            ),
            Event::DatagramSent { msg, .. } => {
                let sent = event.start_us().unwrap_or(0);
                self.datagram(msg.0, Some(sent), None);
            }
            Event::DatagramReceived {
                at_us, msg: Some(msg), ..
            } => self.datagram(msg.0, None, Some(*at_us)),
            _ => {}
        }
    }

    /// The stream's records, or None (counted as unchecked) once `pick`'s list is full.
    fn stream(&mut self, axis: Axis, pick: fn(&Stream) -> &Vec<Rec>) -> Option<&mut Stream> {
        let s = self.streams.entry(axis).or_default();
        if pick(s).len() >= MAX_CHECKED {
            self.unchecked += 1;
            return None;
        }
        self.streams.get_mut(&axis)
    }

    fn write(&mut self, axis: Axis, w: Rec) {
        let Some(s) = self.stream(axis, |s| &s.writes) else {
            return;
        };
        let mut found = Vec::new();
        for r in &s.reads[overlapping(&s.reads, w.offset, w.end)] {
            if r.us < w.us {
                found.push(Violation {
                    axis,
                    kind: ViolationKind::ReadBeforeWrite,
                    offset: r.offset.max(w.offset),
                    cause_us: w.us,
                    effect_us: r.us,
                });
            }
        }
        // A segment is judged against the write of its last byte (writes start in stream order).
        for g in &s.segments[overlapping(&s.segments, w.offset, w.end)] {
            if (w.offset..w.end).contains(&(g.end - 1)) && g.us < w.us {
                found.push(Violation {
                    axis,
                    kind: ViolationKind::SegmentBeforeWrite,
                    offset: g.offset,
                    cause_us: w.us,
                    effect_us: g.us,
                });
            }
        }
        s.writes.push(w);
        found.into_iter().for_each(|v| self.found(v));
    }

    fn read(&mut self, axis: Axis, r: Rec) {
        let Some(s) = self.stream(axis, |s| &s.reads) else {
            return;
        };
        let mut found = Vec::new();
        for w in &s.writes[overlapping(&s.writes, r.offset, r.end)] {
            if r.us < w.us {
                found.push(Violation {
                    axis,
                    kind: ViolationKind::ReadBeforeWrite,
                    offset: r.offset.max(w.offset),
                    cause_us: w.us,
                    effect_us: r.us,
                });
            }
        }
        // A segment is judged against the read of its first (new) byte: reads return in order.
        for g in &s.segments[overlapping(&s.segments, r.offset, r.end)] {
            if (r.offset..r.end).contains(&g.offset) && g.us > r.us {
                found.push(Violation {
                    axis,
                    kind: ViolationKind::SegmentAfterRead,
                    offset: g.offset,
                    cause_us: g.us,
                    effect_us: r.us,
                });
            }
        }
        for f in &s.frames[overlapping(&s.frames, r.offset, r.end)] {
            if f.us < r.us {
                found.push(Violation {
                    axis,
                    kind: ViolationKind::FrameBeforeRead,
                    offset: f.offset,
                    cause_us: r.us,
                    effect_us: f.us,
                });
            }
        }
        s.reads.push(r);
        found.into_iter().for_each(|v| self.found(v));
    }

    fn segment(&mut self, axis: Axis, g: Rec) {
        let Some(s) = self.stream(axis, |s| &s.segments) else {
            return;
        };
        let g = Rec {
            offset: g.offset.max(s.segments_seen_end),
            ..g
        };
        if g.offset >= g.end {
            return;
        }
        s.segments_seen_end = g.end;
        let mut found = Vec::new();
        if let Some(w) = s
            .writes
            .get(overlapping(&s.writes, g.end - 1, g.end).start)
            .filter(|w| w.offset < g.end)
        {
            if g.us < w.us {
                found.push(Violation {
                    axis,
                    kind: ViolationKind::SegmentBeforeWrite,
                    offset: g.offset,
                    cause_us: w.us,
                    effect_us: g.us,
                });
            }
        }
        if let Some(r) = s
            .reads
            .get(overlapping(&s.reads, g.offset, g.offset + 1).start)
            .filter(|r| r.offset <= g.offset)
        {
            if g.us > r.us {
                found.push(Violation {
                    axis,
                    kind: ViolationKind::SegmentAfterRead,
                    offset: g.offset,
                    cause_us: g.us,
                    effect_us: r.us,
                });
            }
        }
        for a in &s.acks[overlapping(&s.acks, g.offset, g.end)] {
            if a.us < g.us {
                found.push(Violation {
                    axis,
                    kind: ViolationKind::AckBeforeSegment,
                    offset: a.offset,
                    cause_us: g.us,
                    effect_us: a.us,
                });
            }
        }
        s.segments.push(g);
        found.into_iter().for_each(|v| self.found(v));
    }

    /// An ACK is judged against the segment that carried the last byte it acknowledges.
    fn ack(&mut self, axis: Axis, a: Rec) {
        let Some(s) = self.stream(axis, |s| &s.acks) else {
            return;
        };
        if s.acks.last().is_some_and(|last| last.end > a.end) {
            return; // an older ACK reordered: the later one was judged already
        }
        let mut found = None;
        if let Some(g) = s
            .segments
            .get(overlapping(&s.segments, a.offset, a.end).start)
            .filter(|g| g.offset <= a.offset)
        {
            if a.us < g.us {
                found = Some(Violation {
                    axis,
                    kind: ViolationKind::AckBeforeSegment,
                    offset: a.offset,
                    cause_us: g.us,
                    effect_us: a.us,
                });
            }
        }
        s.acks.push(a);
        if let Some(v) = found {
            self.found(v);
        }
    }

    fn frame(&mut self, axis: Axis, f: Rec) {
        let Some(s) = self.stream(axis, |s| &s.frames) else {
            return;
        };
        let mut found = None;
        if let Some(r) = s
            .reads
            .get(overlapping(&s.reads, f.offset, f.end).start)
            .filter(|r| r.offset <= f.offset)
        {
            if f.us < r.us {
                found = Some(Violation {
                    axis,
                    kind: ViolationKind::FrameBeforeRead,
                    offset: f.offset,
                    cause_us: r.us,
                    effect_us: f.us,
                });
            }
        }
        // Frames of a stream come from one decoder, in stream order.
        s.frames.push(f);
        if let Some(v) = found {
            self.found(v);
        }
    }

    fn datagram(&mut self, id: u32, sent: Option<u64>, received: Option<u64>) {
        if self.datagrams.len() >= MAX_CHECKED && !self.datagrams.contains_key(&id) {
            self.unchecked += 1;
            return;
        }
        let d = self.datagrams.entry(id).or_default();
        let completes = (d.0.is_none() && sent.is_some()) || (d.1.is_none() && received.is_some());
        d.0 = d.0.or(sent);
        d.1 = d.1.or(received);
        if let (true, (Some(s), Some(r))) = (completes, *d) {
            // Judged once, then forgotten: ids are not reused within a run.
            self.datagrams.remove(&id);
            if r < s {
                self.found(Violation {
                    axis: Axis::Datagrams,
                    kind: ViolationKind::DatagramBeforeSent,
                    offset: u64::from(id),
                    cause_us: s,
                    effect_us: r,
                });
            }
        }
    }
}

/// Every causality violation in a run's events (the first [`MAX_KEPT`]) and their count.
pub fn check<'a>(events: impl IntoIterator<Item = &'a Event>) -> Causality {
    let mut c = Causality::default();
    for e in events {
        c.observe(e);
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{MsgId, StreamOffset};

    fn write(start: u64, ret: u64, offset: u64, len: u32) -> Event {
        Event::Write {
            start_us: Some(start),
            at_us: ret,
            msg: MsgId(0),
            offset: StreamOffset(offset),
            len,
            requested: Some(len),
            segs_out: 0,
            notsent: 0,
            unacked: 0,
        }
    }
    fn read(start: u64, ret: u64, offset: u64, len: u32) -> Event {
        Event::Read {
            start_us: Some(start),
            at_us: ret,
            offset: StreamOffset(offset),
            len,
            requested: 1024,
        }
    }
    fn segment(at_us: u64, offset: u64, len: u32) -> Event {
        Event::Segment {
            at_us,
            offset: StreamOffset(offset),
            len,
            packet: None,
        }
    }
    fn frame(at_us: u64, offset: u64, len: u32) -> Event {
        Event::Frame {
            at_us,
            index: 0,
            offset: StreamOffset(offset),
            len,
            payload_len: len,
            intact: true,
        }
    }

    /// Two writes; the first one's bytes are read before it returns (loopback does that), the
    /// segment lies between its write's start and its read, the frame at its read.
    fn honest() -> Vec<Event> {
        vec![
            write(10, 40, 0, 100),
            segment(20, 0, 100),
            read(5, 30, 0, 100),
            frame(30, 0, 100),
            write(50, 60, 100, 50),
            segment(55, 100, 50),
            read(31, 70, 100, 50),
            frame(70, 100, 50),
            Event::DatagramSent {
                start_us: Some(100),
                at_us: 120,
                msg: MsgId(3),
                len: 10,
            },
            Event::DatagramReceived {
                at_us: 110,
                msg: Some(MsgId(3)),
                len: 10,
                real_len: 10,
                os_error: None,
            },
            ack(25, 100),
            ack(58, 150),
        ]
    }
    fn ack(at_us: u64, ack: u64) -> Event {
        Event::Ack {
            at_us,
            ack: StreamOffset(ack),
            window: 1000,
            packet: None,
            fin: false,
        }
    }

    /// The events as the app may receive them: each thread's own in order, but the threads'
    /// batches the other way round (receiver first, then capture, then sender).
    fn threads_reversed(events: &[Event]) -> Vec<Event> {
        let thread = |e: &Event| match e {
            Event::Read { .. } | Event::Frame { .. } | Event::DatagramReceived { .. } => 0,
            Event::Segment { .. } | Event::Ack { .. } => 1,
            _ => 2,
        };
        let mut v = events.to_vec();
        v.sort_by_key(thread);
        v
    }

    #[test]
    fn an_honest_run_has_no_violation_in_any_order_of_arrival() {
        let events = honest();
        assert_eq!(check(&events).count(), 0);
        // threads hand over batches in any order: the reader's may come before the writer's
        assert_eq!(check(&threads_reversed(&events)).count(), 0);
    }

    /// Each rule, broken by one mis-stamped event, is found, whichever side arrives first.
    #[test]
    fn one_mis_stamped_event_is_found() {
        let cases: [(usize, Event, ViolationKind); 7] = [
            (10, ack(19, 100), ViolationKind::AckBeforeSegment),
            (11, ack(54, 150), ViolationKind::AckBeforeSegment),
            (2, read(5, 9, 0, 100), ViolationKind::ReadBeforeWrite),
            (1, segment(8, 0, 100), ViolationKind::SegmentBeforeWrite),
            (5, segment(71, 100, 50), ViolationKind::SegmentAfterRead),
            (3, frame(29, 0, 100), ViolationKind::FrameBeforeRead),
            (
                9,
                Event::DatagramReceived {
                    at_us: 99,
                    msg: Some(MsgId(3)),
                    len: 10,
                    real_len: 10,
                    os_error: None,
                },
                ViolationKind::DatagramBeforeSent,
            ),
        ];
        for (i, wrong, kind) in cases {
            let mut events = honest();
            events[i] = wrong;
            for c in [check(&events), check(&threads_reversed(&events))] {
                // a read stamped before its write is also before the segment that carried it
                assert!((1..=2).contains(&c.count()), "{kind:?}: {:?}", c.violations());
                assert!(
                    c.violations().iter().any(|v| v.kind == kind),
                    "{kind:?}: {:?}",
                    c.violations()
                );
            }
        }
    }

    #[test]
    fn the_reply_axis_and_each_connection_are_separate_streams() {
        // the same offsets on another axis are other bytes: a read there proves nothing here
        let events = vec![
            write(10, 40, 0, 100),
            Event::Reply {
                event: Box::new(read(0, 5, 0, 100)),
            },
            Event::Conn {
                conn: 1,
                event: Box::new(read(0, 6, 0, 100)),
            },
        ];
        assert_eq!(check(&events).count(), 0);
        let wrong = vec![
            Event::Reply {
                event: Box::new(write(10, 40, 0, 100)),
            },
            Event::Reply {
                event: Box::new(read(0, 5, 0, 100)),
            },
        ];
        let c = check(&wrong);
        assert_eq!(c.violations()[0].axis, Axis::Replies { conn: 0 });
        assert_eq!(c.violations()[0].by_us(), 5);
    }

    #[test]
    fn a_retransmitted_segment_is_judged_by_its_new_bytes_only() {
        let events = vec![
            write(10, 11, 0, 100),
            segment(20, 0, 60),
            read(0, 30, 0, 60),
            // bytes 0..60 again (read at 30 already) plus 60..100, read at 50
            Event::Retransmission {
                at_us: 40,
                offset: StreamOffset(0),
                len: 100,
                packet: None,
            },
            read(31, 50, 60, 40),
        ];
        assert_eq!(check(&events).count(), 0);
    }
}
