//! Folds events into a [`Model`]: what the panels draw and the CLI prints.
//!
//! `Model::apply` is a plain function of (model, event), usable live (one batch at a time) and
//! after the fact (a loaded recording). Stored history is bounded by a cap on records; the
//! [`Summary`] counts stay exact past it.

mod apply;
pub mod causality;
pub mod causes;
mod clients;
pub mod compare;
pub mod echo;
mod external;
mod history;
pub mod playback;
mod problem;
pub mod questions;
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

use crate::facts::{CaptureUnavailable, Event, MsgId, Side, SockOpt};
use history::History;

/// Default cap on stored records (writes, segments, reads, frames, datagrams together).
/// At about 32 bytes a record this bounds history near 128 MiB.
pub const DEFAULT_HISTORY_CAP: usize = 4_000_000;

/// Causality violations listed one by one among the problems; the summary counts them all.
const MAX_CAUSALITY_PROBLEMS: usize = 5;

/// Everything the views need to know about one run: what it stored (its [`History`], under a
/// cap on records) and what it counted (the [`Summary`], exact past the cap). Read through
/// methods; only [`Model::apply`] changes it.
#[derive(Clone, Debug)]
pub struct Model {
    history: History,
    segments_unavailable: Option<CaptureUnavailable>,
    /// The capture followed one direction only: a run over this many bytes, in a recording
    /// made before issue 27; the summary's ACK counts are then None.
    acks_not_captured: Option<u64>,
    connection: Option<(String, String)>,
    finished: bool,
    /// Latest timestamp seen.
    last_us: u64,
    summary: Summary,
    /// The reply direction and latencies of a request/response run (`echo`, `big-reply`).
    echo: Option<Box<EchoModel>>,
    classifier: Classifier,
    /// Reads against decoded frames: the boundaries when the sender is not ours (`external`).
    frame_classifier: Classifier,
    cap: usize,
    stored: usize,
    /// `listen`: clients reported in all, and how many of them were served.
    clients_total: u64,
    clients_served: u64,
    /// `listen`: the totals of the clients whose connection ended (see [`Model::class_totals`]).
    class_ended: ClassTotals,
    /// The causality check over every event this model was given (see [`causality`]).
    causality: Causality,
    /// address-in-use: the socket table after both ends closed and the second server's binds.
    restart: Option<RestartRec>,
    /// What the cause rules need of every event (see [`causes`]).
    trail: causes::Trail,
    /// `trace`: the calls that wrote and read this stream (the lanes' names).
    lane_calls: Option<(Vec<crate::facts::trace::SysCall>, Vec<crate::facts::trace::SysCall>)>,
}

impl Default for Model {
    fn default() -> Self {
        Self::with_cap(DEFAULT_HISTORY_CAP)
    }
}

impl Model {
    pub fn with_cap(cap: usize) -> Self {
        Self {
            history: History::default(),
            segments_unavailable: None,
            acks_not_captured: None,
            connection: None,
            finished: false,
            last_us: 0,
            summary: Summary::default(),
            echo: None,
            classifier: Classifier::default(),
            frame_classifier: Classifier::default(),
            cap,
            stored: 0,
            clients_total: 0,
            clients_served: 0,
            class_ended: ClassTotals::default(),
            causality: Causality::default(),
            restart: None,
            trail: causes::Trail::default(),
            lane_calls: None,
        }
    }

    /// send-vs-sendall: bytes a program that ignored `send()`'s count never sent, in order.
    pub fn never_sent(&self) -> &[NeverSentRec] {
        &self.history.never_sent
    }

    /// The closing handshake as captured (the first [`MAX_CLOSING`] packets).
    pub fn closing(&self) -> &[ClosingRec] {
        &self.history.closing
    }

    /// address-in-use: the socket table after both ends closed and the second server's binds.
    pub fn restart(&self) -> Option<&RestartRec> {
        self.restart.as_ref()
    }

    /// The run's counts, exact however much history was stored.
    pub fn summary(&self) -> &Summary {
        &self.summary
    }

    /// Why the segment lane could not be captured, if it could not.
    pub fn segments_unavailable(&self) -> Option<&CaptureUnavailable> {
        self.segments_unavailable.as_ref()
    }

    /// The capture followed the data only, not the ACKs: the run was over this many bytes.
    pub fn acks_not_captured(&self) -> Option<u64> {
        self.acks_not_captured
    }

    /// The connection's two ends (sender, receiver), once connected.
    pub fn connection(&self) -> Option<&(String, String)> {
        self.connection.as_ref()
    }

    /// `trace`: the calls that wrote to and read from this stream, as the programs made them
    /// (`sendto`, `write`, …); None for a run of stickyviz's own sockets.
    pub fn lane_calls(&self) -> Option<(&[crate::facts::trace::SysCall], &[crate::facts::trace::SysCall])> {
        self.lane_calls.as_ref().map(|(w, r)| (w.as_slice(), r.as_slice()))
    }

    /// Whether the run said it finished.
    pub fn finished(&self) -> bool {
        self.finished
    }

    /// The latest timestamp seen (µs).
    pub fn last_us(&self) -> u64 {
        self.last_us
    }

    /// The reply direction of a request/response run (or `listen`'s other connections).
    pub fn echo(&self) -> Option<&EchoModel> {
        self.echo.as_deref()
    }

    /// `listen`: clients reported in all.
    pub fn clients_total(&self) -> u64 {
        self.clients_total
    }

    /// `listen`: clients served (sent data and closed with every frame whole).
    pub fn clients_served(&self) -> u64 {
        self.clients_served
    }

    /// The causality check over every event this model was given.
    pub fn causality(&self) -> &Causality {
        &self.causality
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
        let from = self.history.datagrams.len();
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
            self.history.datagrams.extend((from..=i).map(blank));
        }
        self.history.datagrams.get_mut(i)
    }

    /// Index range of the stored messages overlapping `[offset, end)`.
    pub fn messages_in(&self, offset: u64, end: u64) -> std::ops::Range<usize> {
        let from = self.history.messages.partition_point(|m| m.end() <= offset);
        let to = self.history.messages.partition_point(|m| m.offset < end);
        from..to.max(from)
    }

    /// Index range of the stored reads overlapping `[offset, end)`.
    pub fn reads_in(&self, offset: u64, end: u64) -> std::ops::Range<usize> {
        let from = self.history.reads.partition_point(|r| r.end() <= offset);
        let to = self.history.reads.partition_point(|r| r.offset < end);
        from..to.max(from)
    }

    pub fn read_kind(&self, read: &Span) -> ReadKind {
        if self.history.messages.is_empty() {
            return self.read_kind_by_frames(read);
        }
        let range = self.messages_in(read.offset, read.end());
        let known_end = self.history.messages.last().map_or(0, MessageRec::end);
        if range.is_empty() || known_end < read.end() {
            return ReadKind::Unknown;
        }
        let first = &self.history.messages[range.start];
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
        let sent = self.history.messages.last().map_or(0, MessageRec::end);
        sent.max(self.history.reads.last().map_or(0, Span::end))
    }

    /// The option record for `(side, opt)`, if the run recorded it.
    pub fn option(&self, side: Side, opt: SockOpt) -> Option<&OptionRec> {
        self.history.options.iter().find(|o| o.side == side && o.opt == opt)
    }

    /// The last ACK at or before `at_us` (the ACK point and window then), if any.
    pub fn ack_at(&self, at_us: u64) -> Option<&AckRec> {
        let n = self.history.acks.partition_point(|a| a.at_us <= at_us);
        n.checked_sub(1).and_then(|i| self.history.acks.get(i))
    }

    /// Received bytes per second from the first write to the latest read (MB/s), once known.
    pub fn throughput_mb_s(&self) -> Option<f64> {
        let start = self.history.writes.first()?.at_us;
        let end = self.history.reads.last()?.at_us;
        (end > start).then(|| self.summary.bytes_received as f64 / (end - start) as f64)
    }

    /// Whether stored history is incomplete.
    pub fn history_capped(&self) -> bool {
        self.summary.events_dropped_from_history > 0
    }

    /// The stream offset of a message id, for the inspector.
    pub fn message(&self, id: MsgId) -> Option<&MessageRec> {
        self.history.messages.get(id.0 as usize).filter(|m| m.id == id)
    }

    /// A read's bytes, if kept.
    pub fn read_bytes(&self, read: &Span) -> Option<&[u8]> {
        self.history.received.get(read.offset as usize..read.end() as usize)
    }
}

#[cfg(test)]
mod tests;
