//! Folds events into a [`Model`]: what the panels draw and the CLI prints.
//!
//! `Model::apply` is a plain function of (model, event), usable live (one batch at a time) and
//! after the fact (a loaded recording). Stored history is bounded by a cap on records; the
//! [`Summary`] counts stay exact past it.

mod apply;
pub mod causality;
mod clients;
pub mod echo;
mod external;
pub mod playback;
mod problem;
mod records;
mod send_close;
mod summary;

pub use causality::{check as check_causality, Axis, Causality, Violation, ViolationKind};
// Below the engine, so a `listen` client's reads are classified the same way where it is served.
pub use crate::framing::{Classifier, Counts};
pub use clients::{ClassSession, ClassTotals, ClientRec, RosterRow, MAX_CLIENT_RECS};
pub use echo::{EchoModel, RoundRec};
pub use problem::{Problem, ProblemKind};
pub use records::{AckRec, DatagramFate, DatagramRec, FrameRec, MessageRec, OptionRec, ReadKind, Span, WriteRec};
pub use send_close::{BindRec, ClosingRec, NeverSentRec, RestartRec, TableRec, MAX_CLOSING};
pub use summary::Summary;

use crate::engine::{CaptureUnavailable, EndReason, Event, MsgId, Side, SockOpt};
use crate::framing::DecodeError;

/// Default cap on stored records (writes, segments, reads, frames, datagrams together).
/// At about 32 bytes a record this bounds history near 128 MiB.
pub const DEFAULT_HISTORY_CAP: usize = 4_000_000;

/// Causality violations listed one by one among the problems; the summary counts them all.
const MAX_CAUSALITY_PROBLEMS: usize = 5;

/// Everything the views need to know about one run.
#[derive(Clone, Debug)]
pub struct Model {
    pub messages: Vec<MessageRec>,
    pub writes: Vec<WriteRec>,
    /// Captured data segments, new bytes only, in stream order.
    pub segments: Vec<Span>,
    /// Captured data segments that carried bytes again, in capture order (whole packets).
    pub retransmissions: Vec<Span>,
    /// The receiver's ACKs, in capture order (the ACK point never goes back).
    pub acks: Vec<AckRec>,
    /// When the sender sent a zero-window probe (µs).
    pub window_probes: Vec<u64>,
    pub reads: Vec<Span>,
    pub frames: Vec<FrameRec>,
    pub decode_errors: Vec<(u64, DecodeError)>,
    /// Datagrams indexed by message id.
    pub datagrams: Vec<DatagramRec>,
    /// Received TCP bytes from offset 0 (the first `BYTES_KEPT`).
    pub received: Vec<u8>,
    pub options: Vec<OptionRec>,
    /// Errors and early ends, for the user to read.
    pub problems: Vec<Problem>,
    pub segments_unavailable: Option<CaptureUnavailable>,
    /// The capture followed one direction only: a run over this many bytes (see
    /// `engine::ACKS_UP_TO_BYTES`); the summary's ACK counts are then None.
    pub acks_not_captured: Option<u64>,
    pub connection: Option<(String, String)>,
    pub ended: Vec<(Side, EndReason)>,
    pub finished: bool,
    /// Latest timestamp seen.
    pub last_us: u64,
    pub summary: Summary,
    /// The reply direction and latencies of a request/response run (`echo`, `big-reply`).
    pub echo: Option<Box<EchoModel>>,
    classifier: Classifier,
    /// Reads against decoded frames: the boundaries when the sender is not ours (`external`).
    frame_classifier: Classifier,
    cap: usize,
    stored: usize,
    /// Empty datagrams carry no `msg-N|` id; loopback UDP keeps order, so they are matched
    /// first in, first out: sent ones not yet seen arriving, and arrivals not yet seen sent.
    empty_sent: std::collections::VecDeque<MsgId>,
    empty_arrived: std::collections::VecDeque<u64>,
    /// Datagrams that carry no `msg-N|` id (an external client's, under `listen --udp`), in
    /// arrival order, each recorded as sent and received at once with its real length.
    pub unidentified_datagrams: Vec<DatagramRec>,
    /// `listen`: every client's report, in the order their connections ended (the first
    /// [`MAX_CLIENT_RECS`]).
    pub clients: Vec<ClientRec>,
    /// `listen`: clients reported in all, and how many of them were served.
    pub clients_total: u64,
    pub clients_served: u64,
    /// `listen`: the totals of the clients whose connection ended (see [`Model::class_totals`]).
    class_ended: ClassTotals,
    /// The causality check over every event this model was given (see [`causality`]).
    pub causality: Causality,
    /// send-vs-sendall: bytes a program that ignored `send()`'s count never sent.
    pub never_sent: Vec<NeverSentRec>,
    /// The closing handshake as captured (the first [`MAX_CLOSING`] packets).
    pub closing: Vec<ClosingRec>,
    /// address-in-use: the socket table after both ends closed and the second server's binds.
    pub restart: Option<RestartRec>,
}

impl Default for Model {
    fn default() -> Self {
        Self::with_cap(DEFAULT_HISTORY_CAP)
    }
}

impl Model {
    pub fn with_cap(cap: usize) -> Self {
        Self {
            messages: Vec::new(),
            writes: Vec::new(),
            segments: Vec::new(),
            retransmissions: Vec::new(),
            acks: Vec::new(),
            window_probes: Vec::new(),
            reads: Vec::new(),
            frames: Vec::new(),
            decode_errors: Vec::new(),
            datagrams: Vec::new(),
            received: Vec::new(),
            options: Vec::new(),
            problems: Vec::new(),
            segments_unavailable: None,
            acks_not_captured: None,
            connection: None,
            ended: Vec::new(),
            finished: false,
            last_us: 0,
            summary: Summary::default(),
            echo: None,
            classifier: Classifier::default(),
            frame_classifier: Classifier::default(),
            cap,
            stored: 0,
            empty_sent: Default::default(),
            empty_arrived: Default::default(),
            unidentified_datagrams: Vec::new(),
            clients: Vec::new(),
            clients_total: 0,
            clients_served: 0,
            class_ended: ClassTotals::default(),
            causality: Causality::default(),
            never_sent: Vec::new(),
            closing: Vec::new(),
            restart: None,
        }
    }

    /// Builds a model from a whole list of events.
    pub fn from_events<'a>(events: impl IntoIterator<Item = &'a Event>) -> Self {
        let mut m = Self::default();
        for e in events {
            m.apply(e);
        }
        m
    }

    /// Whether one more record fits under the cap; counts the ones that do not.
    fn keep(&mut self) -> bool {
        if self.stored < self.cap {
            self.stored += 1;
            true
        } else {
            self.summary.events_dropped_from_history += 1;
            false
        }
    }

    fn mark_received(&mut self, msg: MsgId, len: u32, at_us: u64) {
        if let Some(d) = self.datagram_slot(msg) {
            d.received = Some((len, at_us));
        }
    }

    /// The record of datagram `msg`, created on first sight with blanks for the ids before it
    /// not seen yet. Every record made counts against the cap: a recording or an external
    /// peer's datagram naming `msg-4294967295` must not make four billion of them.
    fn datagram_slot(&mut self, msg: MsgId) -> Option<&mut DatagramRec> {
        let i = msg.0 as usize;
        let from = self.datagrams.len();
        if i >= from {
            let new = i + 1 - from;
            if self.stored.saturating_add(new) > self.cap {
                self.summary.events_dropped_from_history += 1;
                return None;
            }
            self.stored += new;
            let blank = |k: usize| DatagramRec {
                msg: MsgId(k as u32),
                len: 0,
                sent_us: 0,
                received: None,
                sent: false,
            };
            self.datagrams.extend((from..=i).map(blank));
        }
        self.datagrams.get_mut(i)
    }

    /// Index range of the stored messages overlapping `[offset, end)`.
    pub fn messages_in(&self, offset: u64, end: u64) -> std::ops::Range<usize> {
        let from = self.messages.partition_point(|m| m.end() <= offset);
        let to = self.messages.partition_point(|m| m.offset < end);
        from..to.max(from)
    }

    /// Index range of the stored reads overlapping `[offset, end)`.
    pub fn reads_in(&self, offset: u64, end: u64) -> std::ops::Range<usize> {
        let from = self.reads.partition_point(|r| r.end() <= offset);
        let to = self.reads.partition_point(|r| r.offset < end);
        from..to.max(from)
    }

    pub fn read_kind(&self, read: &Span) -> ReadKind {
        if self.messages.is_empty() {
            return self.read_kind_by_frames(read);
        }
        let range = self.messages_in(read.offset, read.end());
        let known_end = self.messages.last().map_or(0, MessageRec::end);
        if range.is_empty() || known_end < read.end() {
            return ReadKind::Unknown;
        }
        let first = &self.messages[range.start];
        match range.len() {
            1 if first.offset == read.offset && first.end() == read.end() => ReadKind::Exact,
            1 => ReadKind::Partial,
            n => ReadKind::Merged { messages: n as u32 },
        }
    }

    /// Whether a message was cut across two or more reads (半包).
    pub fn is_split(&self, msg: &MessageRec) -> bool {
        self.reads_in(msg.offset, msg.end()).len() >= 2
    }

    pub fn datagram_fate(&self, d: &DatagramRec) -> DatagramFate {
        match d.received {
            Some((len, _)) if len < d.len => DatagramFate::Truncated { lost: d.len - len },
            Some(_) if !d.sent => DatagramFate::Received,
            Some(_) => DatagramFate::Delivered,
            None if !d.sent => DatagramFate::Missing,
            None if self.summary.datagrams_dropped.is_some() => DatagramFate::Dropped,
            None => DatagramFate::InFlight,
        }
    }

    /// Bytes on the TCP stream known so far (the largest of sent and received).
    pub fn stream_len(&self) -> u64 {
        let sent = self.messages.last().map_or(0, MessageRec::end);
        sent.max(self.reads.last().map_or(0, Span::end))
    }

    /// The option record for `(side, opt)`, if the run recorded it.
    pub fn option(&self, side: Side, opt: SockOpt) -> Option<&OptionRec> {
        self.options.iter().find(|o| o.side == side && o.opt == opt)
    }

    /// Heap bytes held by the stored records (capacity, not just length): the event store's
    /// memory, for the performance figures.
    pub fn history_bytes(&self) -> usize {
        use std::mem::size_of;
        self.messages.capacity() * size_of::<MessageRec>()
            + self.writes.capacity() * size_of::<WriteRec>()
            + self.segments.capacity() * size_of::<Span>()
            + self.retransmissions.capacity() * size_of::<Span>()
            + self.acks.capacity() * size_of::<AckRec>()
            + self.window_probes.capacity() * size_of::<u64>()
            + self.reads.capacity() * size_of::<Span>()
            + self.frames.capacity() * size_of::<FrameRec>()
            + self.datagrams.capacity() * size_of::<DatagramRec>()
            + self.never_sent.capacity() * size_of::<NeverSentRec>()
    }

    /// Gives back unused capacity once a run is over (Vec growth leaves up to half empty).
    pub fn shrink(&mut self) {
        self.messages.shrink_to_fit();
        self.writes.shrink_to_fit();
        self.segments.shrink_to_fit();
        self.retransmissions.shrink_to_fit();
        self.acks.shrink_to_fit();
        self.window_probes.shrink_to_fit();
        self.reads.shrink_to_fit();
        self.frames.shrink_to_fit();
        self.datagrams.shrink_to_fit();
        self.never_sent.shrink_to_fit();
        self.received.shrink_to_fit();
    }

    /// The last ACK at or before `at_us` (the ACK point and window then), if any.
    pub fn ack_at(&self, at_us: u64) -> Option<&AckRec> {
        let n = self.acks.partition_point(|a| a.at_us <= at_us);
        n.checked_sub(1).and_then(|i| self.acks.get(i))
    }

    /// Received bytes per second from the first write to the latest read (MB/s), once known.
    pub fn throughput_mb_s(&self) -> Option<f64> {
        let start = self.writes.first()?.at_us;
        let end = self.reads.last()?.at_us;
        (end > start).then(|| self.summary.bytes_received as f64 / (end - start) as f64)
    }

    /// Whether stored history is incomplete.
    pub fn history_capped(&self) -> bool {
        self.summary.events_dropped_from_history > 0
    }

    /// The stream offset of a message id, for the inspector.
    pub fn message(&self, id: MsgId) -> Option<&MessageRec> {
        self.messages.get(id.0 as usize).filter(|m| m.id == id)
    }

    /// A read's bytes, if kept.
    pub fn read_bytes(&self, read: &Span) -> Option<&[u8]> {
        self.received.get(read.offset as usize..read.end() as usize)
    }
}

#[cfg(test)]
mod tests;
