//! What the cause rules need of each event, with its index, kept as the run goes: a few small
//! records per write, segment, ACK, read, frame, decode error, round and datagram of the main
//! stream (events of the reply axis and of other connections are counted, not kept).

use super::{EventIx, Place};
use crate::facts::{Event, MsgId, Side, SockOpt};
use crate::framing::DecodeError;

/// Records kept at most (about 48 bytes each: 48 MB); past it the causes say they are incomplete.
pub const MAX_TRAIL: usize = 1_000_000;

#[derive(Clone, Copy, Debug)]
pub(super) struct Msg {
    pub msg: MsgId,
    pub offset: u64,
    pub len: u32,
}

impl Msg {
    pub fn end(&self) -> u64 {
        self.offset + u64::from(self.len)
    }
}

#[derive(Clone, Copy, Debug)]
pub(super) struct Write {
    pub ix: EventIx,
    pub start_us: Option<u64>,
    pub at_us: u64,
    pub msg: MsgId,
    pub offset: u64,
    pub len: u32,
    pub requested: Option<u32>,
    pub notsent: u32,
}

/// A captured segment (or a read): bytes `[offset, offset + len)` at `at_us`.
#[derive(Clone, Copy, Debug)]
pub(super) struct Seg {
    pub ix: EventIx,
    pub at_us: u64,
    pub offset: u64,
    pub len: u32,
}

impl Seg {
    pub fn end(&self) -> u64 {
        self.offset + u64::from(self.len)
    }
}

#[derive(Clone, Copy, Debug)]
pub(super) struct Ack {
    pub ix: EventIx,
    pub at_us: u64,
    pub ack: u64,
    pub window: u32,
}

#[derive(Clone, Copy, Debug)]
pub(super) struct Read {
    pub ix: EventIx,
    pub start_us: Option<u64>,
    pub at_us: u64,
    pub offset: u64,
    pub len: u32,
    pub requested: u32,
}

impl Read {
    pub fn end(&self) -> u64 {
        self.offset + u64::from(self.len)
    }
}

#[derive(Clone, Copy, Debug)]
pub(super) struct DecodeErr {
    pub ix: EventIx,
    pub at_us: u64,
    /// Where the frame it stopped at begins.
    pub offset: u64,
    /// A naive decoder's short read: (offset, asked, got).
    pub short_read: Option<(u64, u64, u64)>,
}

#[derive(Clone, Copy, Debug)]
pub(super) struct Round {
    pub ix: EventIx,
    pub index: u32,
    pub latency_us: u64,
}

#[derive(Clone, Copy, Debug)]
pub(super) struct Sent {
    pub ix: EventIx,
    pub msg: MsgId,
    pub len: u32,
    pub start_us: u64,
}

#[derive(Clone, Copy, Debug)]
pub(super) struct Received {
    pub ix: EventIx,
    pub msg: Option<MsgId>,
    pub at_us: u64,
    pub len: u32,
    pub real_len: u32,
}

#[derive(Clone, Copy, Debug)]
pub(super) struct NeverSent {
    pub ix: EventIx,
    pub msg: MsgId,
    pub offset: u64,
    pub len: u32,
}

/// Which record an event index is (for the window's highlight), or which record's index is asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Located {
    /// The `n`-th write of the main stream.
    Write(usize),
    /// The `n`-th read.
    Read(usize),
    /// A captured segment (new bytes, or carried again) at this time and offset.
    Segment { at_us: u64, offset: u64 },
    /// An ACK at this time.
    Ack { at_us: u64 },
    /// The `n`-th decoded frame.
    Frame(usize),
    /// Request `n`'s round trip.
    Round(u32),
    /// Datagram `msg` (sent or received).
    Datagram(MsgId),
    /// The `n`-th decode error.
    DecodeError(usize),
}

/// The records, in the order their events came.
#[derive(Clone, Debug, Default)]
pub struct Trail {
    next: u64,
    kept: usize,
    pub(super) incomplete: bool,
    pub(super) place: Place,
    /// `TCP_NODELAY` of the sender as the kernel reports it.
    pub(super) nodelay: Option<u64>,
    pub(super) udp_rcvbuf: Option<u64>,
    pub(super) capture_unavailable: bool,
    pub(super) acks_not_captured: bool,
    pub(super) capture_dropped: Option<u64>,
    /// When the UDP receiver ended (drops are known from then).
    pub(super) udp_receiver_ended: Option<u64>,
    pub(super) messages: Vec<Msg>,
    pub(super) writes: Vec<Write>,
    pub(super) segments: Vec<Seg>,
    pub(super) resent: Vec<Seg>,
    pub(super) acks: Vec<Ack>,
    pub(super) reads: Vec<Read>,
    pub(super) frames: Vec<Seg>,
    pub(super) decode_errors: Vec<DecodeErr>,
    pub(super) rounds: Vec<Round>,
    pub(super) sent: Vec<Sent>,
    pub(super) received: Vec<Received>,
    pub(super) never_sent: Vec<NeverSent>,
}

impl Trail {
    pub(super) fn set_place(&mut self, place: Place) {
        self.place = place;
    }

    fn room(&mut self) -> bool {
        if self.kept < MAX_TRAIL {
            self.kept += 1;
            true
        } else {
            self.incomplete = true;
            false
        }
    }

    /// Takes note of the next event of the run (every event, in order: the index counts them).
    pub(crate) fn observe(&mut self, event: &Event) {
        let ix = EventIx(self.next);
        self.next += 1;
        match event {
            Event::SockOpt {
                side: Side::TcpSender,
                opt: SockOpt::TcpNodelay,
                actual,
                ..
            } => self.nodelay = Some(*actual),
            Event::SockOpt {
                side: Side::UdpReceiver,
                opt: SockOpt::RcvBuf,
                actual,
                ..
            } => self.udp_rcvbuf = Some(*actual),
            Event::SegmentsUnavailable { .. } => self.capture_unavailable = true,
            Event::AcksNotCaptured { .. } => self.acks_not_captured = true,
            Event::CaptureStats { dropped, .. } => self.capture_dropped = Some(*dropped),
            Event::Ended {
                side: Side::UdpReceiver,
                at_us,
                ..
            } => self.udp_receiver_ended = Some(*at_us),
            Event::Message { msg, offset, len, .. } if self.room() => self.messages.push(Msg {
                msg: *msg,
                offset: offset.0,
                len: *len,
            }),
            Event::Write {
                start_us,
                at_us,
                msg,
                offset,
                len,
                requested,
                notsent,
                ..
            } if self.room() => self.writes.push(Write {
                ix,
                start_us: *start_us,
                at_us: *at_us,
                msg: *msg,
                offset: offset.0,
                len: *len,
                requested: *requested,
                notsent: *notsent,
            }),
            Event::Segment { at_us, offset, len, .. } if self.room() => self.segments.push(Seg {
                ix,
                at_us: *at_us,
                offset: offset.0,
                len: *len,
            }),
            Event::Retransmission { at_us, offset, len, .. } if self.room() => self.resent.push(Seg {
                ix,
                at_us: *at_us,
                offset: offset.0,
                len: *len,
            }),
            Event::Ack { at_us, ack, window, .. } if self.room() => self.acks.push(Ack {
                ix,
                at_us: *at_us,
                ack: ack.0,
                window: *window,
            }),
            Event::Read {
                start_us,
                at_us,
                offset,
                len,
                requested,
            } if self.room() => self.reads.push(Read {
                ix,
                start_us: *start_us,
                at_us: *at_us,
                offset: offset.0,
                len: *len,
                requested: *requested,
            }),
            Event::Frame { at_us, offset, len, .. } if self.room() => self.frames.push(Seg {
                ix,
                at_us: *at_us,
                offset: offset.0,
                len: *len,
            }),
            Event::DecodeError { at_us, error } if self.room() => self.decode_errors.push(DecodeErr {
                ix,
                at_us: *at_us,
                offset: error.offset(),
                short_read: match error {
                    DecodeError::ShortRead { offset, asked, got, .. } => Some((*offset, *asked, *got)),
                    _ => None,
                },
            }),
            Event::Round { index, latency_us, .. } if self.room() => self.rounds.push(Round {
                ix,
                index: *index,
                latency_us: *latency_us,
            }),
            Event::DatagramSent {
                start_us,
                at_us,
                msg,
                len,
            } if self.room() => self.sent.push(Sent {
                ix,
                msg: *msg,
                len: *len,
                start_us: start_us.unwrap_or(*at_us),
            }),
            Event::DatagramReceived {
                at_us,
                msg,
                len,
                real_len,
                ..
            } if self.room() => self.received.push(Received {
                ix,
                msg: *msg,
                at_us: *at_us,
                len: *len,
                real_len: *real_len,
            }),
            Event::NeverSent { msg, offset, len, .. } if self.room() => self.never_sent.push(NeverSent {
                ix,
                msg: *msg,
                offset: offset.0,
                len: *len,
            }),
            _ => {}
        }
    }

    /// Which record event `ix` is.
    pub(super) fn locate(&self, ix: EventIx) -> Option<Located> {
        if let Ok(i) = self.writes.binary_search_by_key(&ix, |w| w.ix) {
            return Some(Located::Write(i));
        }
        if let Ok(i) = self.reads.binary_search_by_key(&ix, |r| r.ix) {
            return Some(Located::Read(i));
        }
        if let Ok(i) = self.frames.binary_search_by_key(&ix, |f| f.ix) {
            return Some(Located::Frame(i));
        }
        if let Ok(i) = self.decode_errors.binary_search_by_key(&ix, |e| e.ix) {
            return Some(Located::DecodeError(i));
        }
        for s in self.segments.iter().chain(&self.resent) {
            if s.ix == ix {
                return Some(Located::Segment {
                    at_us: s.at_us,
                    offset: s.offset,
                });
            }
        }
        if let Some(a) = self.acks.iter().find(|a| a.ix == ix) {
            return Some(Located::Ack { at_us: a.at_us });
        }
        if let Some(r) = self.rounds.iter().find(|r| r.ix == ix) {
            return Some(Located::Round(r.index));
        }
        if let Some(d) = self.sent.iter().find(|d| d.ix == ix) {
            return Some(Located::Datagram(d.msg));
        }
        self.received
            .iter()
            .find(|d| d.ix == ix)
            .and_then(|d| d.msg.map(Located::Datagram))
    }

    /// The event of a record.
    pub(super) fn event_of(&self, what: Located) -> Option<EventIx> {
        match what {
            Located::Write(i) => self.writes.get(i).map(|w| w.ix),
            Located::Read(i) => self.reads.get(i).map(|r| r.ix),
            Located::Frame(i) => self.frames.get(i).map(|r| r.ix),
            Located::DecodeError(i) => self.decode_errors.get(i).map(|r| r.ix),
            Located::Segment { at_us, offset } => self
                .segments
                .iter()
                .chain(&self.resent)
                .find(|s| s.at_us == at_us && s.offset == offset)
                .map(|s| s.ix),
            Located::Ack { at_us } => self.acks.iter().find(|a| a.at_us == at_us).map(|a| a.ix),
            Located::Round(n) => self.rounds.iter().find(|r| r.index == n).map(|r| r.ix),
            Located::Datagram(msg) => self
                .received
                .iter()
                .find(|d| d.msg == Some(msg))
                .map(|d| d.ix)
                .or_else(|| self.sent.iter().find(|d| d.msg == msg).map(|d| d.ix)),
        }
    }
}
