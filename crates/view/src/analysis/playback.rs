//! Slow-motion playback of a run: a play head `t_us` over the recorded events, the steps between
//! them, and what sat in the buffers at that moment.
//!
//! A loopback run is over in a few hundred microseconds; a classroom needs it to take seconds.
//! Nothing here draws: the UI asks "what had happened by `t_us`" and shows the rest greyed.
//! Every record kind is appended by one thread in time order, so "happened by t" is a prefix of
//! each list (found by binary search, not a scan).

use super::{Model, Span};

/// One recorded fact the play head can stop at, pointing into the model's lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EventRef {
    Write(usize),
    Segment(usize),
    Read(usize),
    Frame(usize),
    DatagramSent(usize),
    DatagramReceived(usize),
}

/// The kinds, for the event list's filter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EventKind {
    Write,
    Segment,
    Read,
    Frame,
    Datagram,
}

impl EventRef {
    pub fn kind(self) -> EventKind {
        match self {
            Self::Write(_) => EventKind::Write,
            Self::Segment(_) => EventKind::Segment,
            Self::Read(_) => EventKind::Read,
            Self::Frame(_) => EventKind::Frame,
            Self::DatagramSent(_) | Self::DatagramReceived(_) => EventKind::Datagram,
        }
    }
}

/// One row of the event list: when, and what.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    pub at_us: u64,
    pub what: EventRef,
}

/// Every event of the model in time order (ties: writes before segments before reads, the
/// order in which the bytes move).
pub fn entries(model: &Model) -> Vec<Entry> {
    let mut out = Vec::with_capacity(
        model.writes().len()
            + model.segments().len()
            + model.reads().len()
            + model.frames().len()
            + 2 * model.datagrams().len(),
    );
    out.extend(model.writes().iter().enumerate().map(|(i, w)| Entry {
        at_us: w.at_us,
        what: EventRef::Write(i),
    }));
    out.extend(model.segments().iter().enumerate().map(|(i, s)| Entry {
        at_us: s.at_us,
        what: EventRef::Segment(i),
    }));
    out.extend(model.reads().iter().enumerate().map(|(i, r)| Entry {
        at_us: r.at_us,
        what: EventRef::Read(i),
    }));
    out.extend(model.frames().iter().enumerate().map(|(i, f)| Entry {
        at_us: f.at_us,
        what: EventRef::Frame(i),
    }));
    for (i, d) in model.datagrams().iter().enumerate() {
        // a slot made by a received datagram whose send is not known yet has len 0 and no time
        if d.sent {
            out.push(Entry {
                at_us: d.sent_us,
                what: EventRef::DatagramSent(i),
            });
        }
        if let Some((_, at_us)) = d.received {
            out.push(Entry {
                at_us,
                what: EventRef::DatagramReceived(i),
            });
        }
    }
    out.sort_by_key(|e| (e.at_us, e.what));
    out
}

/// The distinct times of `entries` (already sorted): where stepping stops.
pub fn times(entries: &[Entry]) -> Vec<u64> {
    let mut t: Vec<u64> = entries.iter().map(|e| e.at_us).collect();
    t.dedup();
    t
}

/// How much slower than real time playback runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Speed {
    X1,
    X10,
    X100,
    #[default]
    X1000,
    X10000,
    /// One event time per second of wall clock, however far apart the events are.
    EventPerSecond,
}

impl Speed {
    pub const ALL: [Speed; 6] = [
        Speed::X1,
        Speed::X10,
        Speed::X100,
        Speed::X1000,
        Speed::X10000,
        Speed::EventPerSecond,
    ];

    /// Slow-down factor; None for one event per second.
    pub fn slowdown(self) -> Option<f64> {
        match self {
            Self::X1 => Some(1.0),
            Self::X10 => Some(10.0),
            Self::X100 => Some(100.0),
            Self::X1000 => Some(1_000.0),
            Self::X10000 => Some(10_000.0),
            Self::EventPerSecond => None,
        }
    }
}

/// Longest wait, in wall-clock seconds, for the next event when quiet gaps are skipped: a
/// slow reader's 50 ms sleep at 1,000× slower would otherwise be 50 s of a frozen screen.
pub const MAX_QUIET_S: f64 = 1.5;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlayState {
    Paused,
    Playing,
}

/// The play head and its clock (view state: the model is never changed by it).
#[derive(Clone, Debug, PartialEq)]
pub struct Playback {
    pub state: PlayState,
    pub speed: Speed,
    pub t_us: u64,
    /// Jump over stretches with no events that would take longer than [`MAX_QUIET_S`].
    pub skip_quiet: bool,
    /// Wall-clock time not yet turned into whole microseconds or whole event steps, so slow
    /// speeds still move at frame rates of 60 Hz and more.
    carry: f64,
}

impl Default for Playback {
    fn default() -> Self {
        Self {
            state: PlayState::Paused,
            speed: Speed::default(),
            t_us: 0,
            skip_quiet: true,
            carry: 0.0,
        }
    }
}

impl Playback {
    pub fn is_playing(&self) -> bool {
        self.state == PlayState::Playing
    }

    /// Starts playing; from the first event if the head is at (or past) the end.
    pub fn play(&mut self, times: &[u64]) {
        if times.last().is_none_or(|&end| self.t_us >= end) {
            self.home(times);
        }
        self.state = PlayState::Playing;
        self.carry = 0.0;
    }

    pub fn pause(&mut self) {
        self.state = PlayState::Paused;
    }

    pub fn toggle(&mut self, times: &[u64]) {
        if self.is_playing() {
            self.pause()
        } else {
            self.play(times)
        }
    }

    /// To the next event time after the head (stays at the last one).
    pub fn next(&mut self, times: &[u64]) {
        self.pause();
        let i = times.partition_point(|&t| t <= self.t_us);
        if let Some(&t) = times.get(i) {
            self.t_us = t;
        }
    }

    /// To the previous event time before the head (stays at the first one).
    pub fn prev(&mut self, times: &[u64]) {
        self.pause();
        let i = times.partition_point(|&t| t < self.t_us);
        if let Some(&t) = i.checked_sub(1).and_then(|i| times.get(i)) {
            self.t_us = t;
        }
    }

    pub fn home(&mut self, times: &[u64]) {
        self.t_us = times.first().copied().unwrap_or(0);
        self.carry = 0.0;
    }

    pub fn end(&mut self, times: &[u64]) {
        self.pause();
        self.t_us = times.last().copied().unwrap_or(0);
    }

    /// Moves the head to `t_us` (a click in the event list or on the scrubber) and pauses.
    pub fn seek(&mut self, t_us: u64) {
        self.pause();
        self.t_us = t_us;
    }

    /// Advances a playing head by `wall_s` seconds of real time. At the last event it stops,
    /// unless `growing` (a run still recording), where it waits for more events.
    pub fn advance(&mut self, wall_s: f64, times: &[u64], growing: bool) {
        if !self.is_playing() {
            return;
        }
        let Some(&end) = times.last() else { return };
        match self.speed.slowdown() {
            Some(k) => {
                let next = times.get(times.partition_point(|&t| t <= self.t_us)).copied();
                if let Some(next) = next.filter(|_| self.skip_quiet) {
                    let quiet_us = (MAX_QUIET_S * 1e6 / k) as u64;
                    // fast-forward to a short wait before the next event
                    if next - self.t_us > quiet_us {
                        self.t_us = next - quiet_us;
                        self.carry = 0.0;
                    }
                }
                self.carry += wall_s * 1e6 / k;
                let whole = self.carry.floor();
                self.carry -= whole;
                self.t_us = self.t_us.saturating_add(whole as u64).min(end);
            }
            None => {
                self.carry += wall_s;
                while self.carry >= 1.0 && self.t_us < end {
                    self.carry -= 1.0;
                    let i = times.partition_point(|&t| t <= self.t_us);
                    self.t_us = times.get(i).copied().unwrap_or(end);
                }
            }
        }
        if self.t_us >= end {
            self.carry = 0.0;
            if !growing {
                self.state = PlayState::Paused;
            }
        }
    }
}

/// How far along the stream the spans (time- and stream-ordered: one thread, no retransmits on
/// loopback) had got by `t_us`: the end of the last one.
fn stream_end_by(spans: &[Span], t_us: u64) -> u64 {
    let n = spans.partition_point(|s| s.at_us <= t_us);
    n.checked_sub(1).and_then(|i| spans.get(i)).map_or(0, Span::end)
}

/// The furthest stream byte the segments captured by `t_us` reached. Not the last segment's
/// end: on a lossy link a retransmission that fills an earlier hole comes after later bytes.
/// A linear scan of the segments so far (a few µs per frame for the ~16,000 of firehose).
fn wire_end_by(segments: &[Span], t_us: u64) -> u64 {
    let n = segments.partition_point(|s| s.at_us <= t_us);
    segments[..n].iter().map(Span::end).max().unwrap_or(0)
}

/// The TCP stream at the play head: how far the writes, the wire and the reads had got.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct TcpAt {
    /// Stream bytes whose `send()` had begun: a call in progress counts (its bytes may be
    /// read before it returns), so the gauge says "in send() or the send buffer".
    pub written: u64,
    /// Stream bytes captured leaving as segments; None when the segment lane is not known.
    pub on_wire: Option<u64>,
    /// Stream bytes the receiver's `recv()` calls had returned.
    pub read: u64,
}

impl TcpAt {
    pub fn at(model: &Model, t_us: u64) -> Self {
        let n = model.writes().partition_point(|w| w.at_us <= t_us);
        let written = n
            .checked_sub(1)
            .and_then(|i| model.writes().get(i))
            .map_or(0, |w| w.offset + u64::from(w.len));
        let known = model.segments_unavailable.is_none() && !model.segments().is_empty();
        // A segment's capture time can precede the return of the send() that queued it (the
        // call was still running): never count more on the wire than written.
        let on_wire = known.then(|| wire_end_by(model.segments(), t_us).min(written));
        let read = stream_end_by(model.reads(), t_us).min(written);
        Self { written, on_wire, read }
    }

    /// Written but not yet captured on the wire: in a `send()` still running, or in the
    /// sender's kernel buffer.
    pub fn in_send_buffer(&self) -> Option<u64> {
        self.on_wire.map(|w| self.written - w)
    }

    /// Arrived (or, without the segment lane, written) but not yet read: in the receive
    /// buffer, where several messages pile up and leave in one read (粘包).
    pub fn waiting(&self) -> u64 {
        self.on_wire.unwrap_or(self.written).saturating_sub(self.read)
    }

    /// Written but not read, wherever it is.
    pub fn backlog(&self) -> u64 {
        self.written - self.read
    }
}

/// The UDP side at the play head.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct UdpAt {
    /// Sent and not yet received: queued in the receive buffer (or, once the receiver has
    /// ended, dropped).
    pub queued: u32,
    /// Received so far, whole or truncated: every datagram that arrived.
    pub arrived: u32,
    /// Of those arrived, how many lost their tail to a short read buffer.
    pub truncated: u32,
    /// Known only once the receiver has ended: never arrived.
    pub dropped: u32,
}

impl UdpAt {
    pub fn at(model: &Model, t_us: u64) -> Self {
        let mut u = Self::default();
        // datagrams that never arrive count as dropped once the receiver has read its last one
        let dropped_known = model.summary.datagrams_dropped.is_some() && t_us >= udp_settled_us(model);
        for d in model.datagrams() {
            match d.received {
                Some((len, at)) if at <= t_us => {
                    u.arrived += 1;
                    u.truncated += u32::from(len < d.len);
                }
                None if dropped_known => u.dropped += 1,
                _ if d.sent_us <= t_us && d.sent => u.queued += 1,
                _ => {}
            }
        }
        u
    }
}

/// The time of the last datagram event: past it, a datagram not received never will be.
pub fn udp_settled_us(model: &Model) -> u64 {
    model
        .datagrams()
        .iter()
        .map(|d| d.received.map_or(d.sent_us, |(_, at)| at.max(d.sent_us)))
        .max()
        .unwrap_or(0)
}

/// The largest TCP backlog (written − read) over the run: the gauge's full scale.
pub fn peak_backlog(model: &Model, times: &[u64]) -> u64 {
    times.iter().map(|&t| TcpAt::at(model, t).backlog()).max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    /// A lossy link: the retransmission that fills a hole is captured after later bytes; the
    /// wire has still reached the furthest byte seen, not the hole's end.
    #[test]
    fn a_retransmission_into_a_hole_does_not_pull_the_wire_back() {
        let segs = [
            Span {
                at_us: 1,
                offset: 0,
                len: 10,
            },
            Span {
                at_us: 2,
                offset: 20,
                len: 10,
            },
            Span {
                at_us: 3,
                offset: 10,
                len: 10,
            },
        ];
        assert_eq!(super::wire_end_by(&segs, 3), 30);
        assert_eq!(super::wire_end_by(&segs, 1), 10);
        assert_eq!(super::wire_end_by(&segs, 0), 0);
    }

    use super::*;

    #[test]
    fn stepping_stops_at_each_distinct_time_and_clamps_at_the_ends() {
        let times = [10, 20, 35];
        let mut p = Playback::default();
        p.home(&times);
        assert_eq!(p.t_us, 10);
        p.prev(&times);
        assert_eq!(p.t_us, 10);
        p.next(&times);
        p.next(&times);
        assert_eq!(p.t_us, 35);
        p.next(&times);
        assert_eq!(p.t_us, 35);
        p.prev(&times);
        assert_eq!(p.t_us, 20);
    }

    #[test]
    fn playing_at_1000x_moves_one_microsecond_per_millisecond_and_stops_at_the_end() {
        let times = [0, 100];
        let mut p = Playback::default();
        p.play(&times);
        p.advance(0.05, &times, false);
        assert_eq!(p.t_us, 50);
        p.advance(1.0, &times, false);
        assert_eq!((p.t_us, p.state), (100, PlayState::Paused));
    }

    #[test]
    fn a_run_still_recording_keeps_playing_at_its_last_event_and_goes_on_when_more_arrive() {
        let mut p = Playback::default();
        p.play(&[0, 10]);
        p.advance(1.0, &[0, 10], true);
        assert_eq!((p.t_us, p.state), (10, PlayState::Playing), "waits for more events");
        p.advance(0.005, &[0, 10, 40], true);
        assert_eq!(p.t_us, 15);
    }

    #[test]
    fn quiet_gaps_are_skipped_unless_asked_not_to() {
        let times = [0, 50_000];
        let mut p = Playback::default();
        p.play(&times);
        p.advance(0.1, &times, false);
        assert_eq!(
            p.t_us,
            50_000 - 1_500 + 100,
            "at 1,000× the 50 ms gap becomes a 1.5 s wait"
        );
        let mut p = Playback {
            skip_quiet: false,
            ..Playback::default()
        };
        p.play(&times);
        p.advance(0.1, &times, false);
        assert_eq!(p.t_us, 100);
    }

    #[test]
    fn a_datagram_never_received_is_queued_until_the_last_one_arrives_then_dropped() {
        use crate::facts::{EndReason, Event, MsgId, Side};
        let events = [
            Event::DatagramSent {
                start_us: None,
                at_us: 10,
                msg: MsgId(0),
                len: 50,
            },
            Event::DatagramSent {
                start_us: None,
                at_us: 11,
                msg: MsgId(1),
                len: 2000,
            },
            Event::DatagramReceived {
                at_us: 30,
                msg: Some(MsgId(1)),
                len: 1024,
                real_len: 2000,
                os_error: None,
            },
            Event::Ended {
                at_us: 31,
                side: Side::UdpReceiver,
                bytes: 1024,
                reason: EndReason::Complete,
            },
        ];
        let m = Model::from_events(&events);
        assert_eq!(
            UdpAt::at(&m, 20),
            UdpAt {
                queued: 2,
                arrived: 0,
                truncated: 0,
                dropped: 0
            }
        );
        assert_eq!(
            UdpAt::at(&m, 30),
            UdpAt {
                queued: 0,
                arrived: 1,
                truncated: 1,
                dropped: 1
            }
        );
    }

    #[test]
    fn one_event_per_second_ignores_the_gaps_between_events() {
        let times = [0, 5, 50_000];
        let mut p = Playback {
            speed: Speed::EventPerSecond,
            ..Playback::default()
        };
        p.play(&times);
        p.advance(0.6, &times, false);
        assert_eq!(p.t_us, 0);
        p.advance(0.6, &times, false);
        assert_eq!(p.t_us, 5);
        p.advance(1.0, &times, false);
        assert_eq!(p.t_us, 50_000);
    }
}
