//! Folds events into a [`Model`]: what the panels draw and the CLI prints.
//!
//! `Model::apply` is a plain function of (model, event), usable live (one batch at a time) and
//! after the fact (a loaded recording). Stored history is bounded by a cap on records; the
//! [`Summary`] counts stay exact past it.

mod classify;
mod clients;
mod problem;
pub mod echo;
mod records;
mod summary;
pub mod playback;

pub use classify::{Classifier, Counts};
pub use clients::{ClientRec, MAX_CLIENT_RECS};
pub use problem::{side_name, Problem, ProblemKind};
pub use records::{DatagramFate, DatagramRec, FrameRec, MessageRec, OptionRec, ReadKind, Span, WriteRec};
pub use echo::{EchoModel, RoundRec};
pub use summary::Summary;

use crate::engine::{EndReason, Event, MsgId, Side, SockOpt};
use crate::framing::DecodeError;

/// Default cap on stored records (writes, segments, reads, frames, datagrams together).
/// At about 32 bytes a record this bounds history near 128 MiB.
pub const DEFAULT_HISTORY_CAP: usize = 4_000_000;

/// Everything the views need to know about one run.
#[derive(Clone, Debug)]
pub struct Model {
    pub messages: Vec<MessageRec>,
    pub writes: Vec<WriteRec>,
    pub segments: Vec<Span>,
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
    pub segments_unavailable: Option<String>,
    pub connection: Option<(String, String)>,
    pub ended: Vec<(Side, EndReason)>,
    pub finished: bool,
    /// Latest timestamp seen.
    pub last_us: u64,
    pub summary: Summary,
    /// The reply direction and latencies of a request/response run (`echo`, `big-reply`).
    pub echo: Option<Box<EchoModel>>,
    classifier: Classifier,
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
            reads: Vec::new(),
            frames: Vec::new(),
            decode_errors: Vec::new(),
            datagrams: Vec::new(),
            received: Vec::new(),
            options: Vec::new(),
            problems: Vec::new(),
            segments_unavailable: None,
            connection: None,
            ended: Vec::new(),
            finished: false,
            last_us: 0,
            summary: Summary::default(),
            echo: None,
            classifier: Classifier::default(),
            cap,
            stored: 0,
            empty_sent: Default::default(),
            empty_arrived: Default::default(),
            unidentified_datagrams: Vec::new(),
            clients: Vec::new(),
            clients_total: 0,
            clients_served: 0,
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

    pub fn apply(&mut self, event: &Event) {
        if let Some(t) = event.at_us() {
            self.last_us = self.last_us.max(t);
        }
        let s = &mut self.summary;
        match event {
            Event::Connected { sender, receiver, .. } => self.connection = Some((sender.clone(), receiver.clone())),
            Event::SockOpt { side, opt, requested, actual, .. } => {
                match (side, opt) {
                    (Side::TcpSender, SockOpt::SndBuf) => s.sndbuf_actual = Some(*actual),
                    (Side::TcpReceiver, SockOpt::RcvBuf) => s.rcvbuf_actual = Some(*actual),
                    (Side::UdpReceiver, SockOpt::RcvBuf) => s.udp_rcvbuf_actual = Some(*actual),
                    _ => {}
                }
                self.options.push(OptionRec { side: *side, opt: *opt, requested: *requested, actual: *actual });
            }
            Event::Message { at_us, msg, offset, len, header_len } => {
                s.messages += 1;
                self.classifier.message_end(offset.0 + u64::from(*len));
                if self.keep() {
                    self.messages.push(MessageRec { id: *msg, offset: offset.0, len: *len, header_len: *header_len, at_us: *at_us });
                }
            }
            Event::Write { at_us, msg, offset, len, segs_out, notsent, .. } => {
                s.writes += 1;
                s.bytes_sent += u64::from(*len);
                if self.keep() {
                    self.writes.push(WriteRec { at_us: *at_us, msg: *msg, offset: offset.0, len: *len, segs_out: *segs_out, notsent: *notsent });
                }
            }
            Event::WireTotal { segs_out, .. } => s.segments_tcp_info = Some(u64::from(*segs_out)),
            Event::Segment { at_us, offset, len, .. } => {
                *s.segments_captured.get_or_insert(0) += 1;
                if self.keep() {
                    self.segments.push(Span { at_us: *at_us, offset: offset.0, len: *len });
                }
            }
            Event::SegmentsUnavailable { reason } => self.segments_unavailable = Some(reason.clone()),
            Event::Read { at_us, offset, len, .. } => {
                s.reads += 1;
                s.bytes_received += u64::from(*len);
                self.classifier.read_end(offset.0 + u64::from(*len));
                if self.keep() {
                    self.reads.push(Span { at_us: *at_us, offset: offset.0, len: *len });
                }
            }
            Event::Bytes { offset, data } => {
                // Bytes arrive in order from one thread; anything else is ignored, not spliced.
                if offset.0 == self.received.len() as u64 {
                    self.received.extend_from_slice(data);
                }
            }
            Event::Frame { at_us, index, offset, len, payload_len, intact } => {
                s.frames += 1;
                s.intact_frames += u64::from(*intact);
                if self.keep() {
                    self.frames.push(FrameRec { at_us: *at_us, index: *index, offset: offset.0, len: *len, payload_len: *payload_len, intact: *intact });
                }
            }
            Event::DecodeError { at_us, error } => {
                s.decode_errors += 1;
                if self.decode_errors.len() < 1000 {
                    self.decode_errors.push((*at_us, error.clone()));
                }
            }
            Event::DatagramSent { at_us, msg, len } => {
                s.datagrams_sent += 1;
                if let Some(d) = self.datagram_slot(*msg) {
                    *d = DatagramRec { msg: *msg, len: *len, sent_us: *at_us, received: d.received };
                }
                if *len == 0 {
                    match self.empty_arrived.pop_front() {
                        Some(at) => self.mark_received(*msg, 0, at),
                        None => self.empty_sent.push_back(*msg),
                    }
                }
            }
            Event::DatagramReceived { at_us, msg, len, real_len, os_error } => {
                s.datagrams_received += 1;
                if real_len > len {
                    s.datagrams_truncated += 1;
                    s.datagram_bytes_lost += u64::from(real_len - len);
                }
                if let Some(code) = os_error {
                    s.datagram_errors += 1;
                    s.datagram_error_code = Some(*code);
                }
                // The receiver's batch may arrive before the sender's: make the slot either way.
                match msg {
                    Some(m) => self.mark_received(*m, *len, *at_us),
                    None if *real_len == 0 => match self.empty_sent.pop_front() {
                        Some(m) => self.mark_received(m, 0, *at_us),
                        None => self.empty_arrived.push_back(*at_us),
                    },
                    None => {
                        if self.keep() {
                            let msg = MsgId(self.unidentified_datagrams.len() as u32);
                            self.unidentified_datagrams.push(DatagramRec { msg, len: *real_len, sent_us: *at_us, received: Some((*len, *at_us)) });
                        }
                    }
                }
            }
            Event::Ended { side, reason, .. } => {
                match side {
                    Side::TcpSender => self.classifier.close_messages(),
                    Side::TcpReceiver => self.classifier.close_reads(),
                    Side::UdpReceiver => s.datagrams_dropped = Some(s.datagrams_sent.saturating_sub(s.datagrams_received)),
                    Side::UdpSender | Side::Capture => {}
                }
                match reason {
                    EndReason::PeerClosed(why) => self.problems.push(Problem { side: *side, kind: ProblemKind::PeerClosed(why.clone()) }),
                    EndReason::Failed(why) => self.problems.push(Problem { side: *side, kind: ProblemKind::Failed(why.clone()) }),
                    EndReason::Complete | EndReason::Stopped => {}
                }
                self.ended.push((*side, reason.clone()));
            }
            Event::Error { side, message, .. } => self.problems.push(Problem { side: *side, kind: ProblemKind::Failed(message.clone()) }),
            Event::Finished { .. } => {
                self.finished = true;
                self.shrink();
            }
            Event::Reply { event } => self.echo.get_or_insert_with(Box::default).replies.apply(event),
            Event::Conn { conn, event } => {
                if let Some(m) = self.echo.get_or_insert_with(Box::default).connection(*conn) {
                    m.apply(event);
                }
            }
            Event::Client { at_us, peer, lane, bytes, frames, outcome } => {
                let c = ClientRec { at_us: *at_us, peer: peer.clone(), lane: *lane, bytes: *bytes, frames: *frames, outcome: outcome.clone() };
                self.add_client(c);
            }
            Event::Round { at_us, index, latency_us, request_len, reply_len } => {
                let r = RoundRec { index: *index, at_us: *at_us, latency_us: *latency_us, request_len: *request_len, reply_len: *reply_len };
                self.echo.get_or_insert_with(Box::default).push_round(r);
            }
        }
        let c = self.classifier.counts;
        let s = &mut self.summary;
        s.merged_reads = c.merged_reads;
        s.exact_reads = c.exact_reads;
        s.split_messages = c.split_messages;
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
            let blank = |k: usize| DatagramRec { msg: MsgId(k as u32), len: 0, sent_us: 0, received: None };
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
            Some(_) => DatagramFate::Delivered,
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
            + self.reads.capacity() * size_of::<Span>()
            + self.frames.capacity() * size_of::<FrameRec>()
            + self.datagrams.capacity() * size_of::<DatagramRec>()
    }

    /// Gives back unused capacity once a run is over (Vec growth leaves up to half empty).
    pub fn shrink(&mut self) {
        self.messages.shrink_to_fit();
        self.writes.shrink_to_fit();
        self.segments.shrink_to_fit();
        self.reads.shrink_to_fit();
        self.frames.shrink_to_fit();
        self.datagrams.shrink_to_fit();
        self.received.shrink_to_fit();
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
