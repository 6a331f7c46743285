//! What a [`Model`] stores of a run, one vector per kind of record, listed once: the list makes
//! the [`History`] struct and what counts and trims its memory, so no vector can be forgotten
//! by one of them (`history_bytes` once left out four).

use std::collections::VecDeque;

use super::{
    AckRec, ClientRec, ClosingRec, DatagramRec, FrameRec, MessageRec, Model, NeverSentRec, OptionRec, Problem, Span,
    WriteRec,
};
use crate::facts::{EndReason, MsgId, Side};
use crate::framing::DecodeError;

/// A stored vector: its heap memory and how to give back what it does not use.
trait Stored {
    fn heap_bytes(&self) -> usize;
    fn shrink(&mut self);
}

impl<T> Stored for Vec<T> {
    fn heap_bytes(&self) -> usize {
        self.capacity() * std::mem::size_of::<T>()
    }
    fn shrink(&mut self) {
        self.shrink_to_fit();
    }
}

impl<T> Stored for VecDeque<T> {
    fn heap_bytes(&self) -> usize {
        self.capacity() * std::mem::size_of::<T>()
    }
    fn shrink(&mut self) {
        self.shrink_to_fit();
    }
}

macro_rules! history {
    ($( $(#[$doc:meta])* $field:ident: $ty:ty, )*) => {
        /// Every record a model stores.
        #[derive(Clone, Debug, Default)]
        pub(super) struct History {
            $( $(#[$doc])* pub(super) $field: $ty, )*
        }

        impl History {
            /// Heap bytes held by every stored vector (capacity, not just length).
            pub(super) fn bytes(&self) -> usize {
                0 $( + Stored::heap_bytes(&self.$field) )*
            }

            /// Gives back each vector's unused capacity (growth leaves up to half empty).
            pub(super) fn shrink(&mut self) {
                $( Stored::shrink(&mut self.$field); )*
            }
        }
    };
}

history! {
    /// The sender's messages, by id.
    messages: Vec<MessageRec>,
    writes: Vec<WriteRec>,
    /// Captured data segments, new bytes only, in stream order.
    segments: Vec<Span>,
    /// GSO batches: packets `lo` carried whole that stand for several of the segments above,
    /// in capture order.
    gso_batches: Vec<Span>,
    /// Captured data segments that carried bytes again, in capture order (whole packets).
    retransmissions: Vec<Span>,
    /// The receiver's ACKs, in capture order (the ACK point never goes back).
    acks: Vec<AckRec>,
    /// When the sender sent a zero-window probe (µs).
    window_probes: Vec<u64>,
    reads: Vec<Span>,
    frames: Vec<FrameRec>,
    /// Decode errors with when they happened (µs).
    decode_errors: Vec<(u64, DecodeError)>,
    /// Datagrams indexed by message id.
    datagrams: Vec<DatagramRec>,
    /// Received TCP bytes from offset 0 (the first `BYTES_KEPT`).
    received: Vec<u8>,
    options: Vec<OptionRec>,
    /// Errors and early ends, for the user to read.
    problems: Vec<Problem>,
    ended: Vec<(Side, EndReason)>,
    /// Datagrams that carry no `msg-N|` id (an external client's, under `listen --udp`), in
    /// arrival order, each recorded as sent and received at once with its real length.
    unidentified_datagrams: Vec<DatagramRec>,
    /// `listen`: every client's report, in the order their connections ended (the first
    /// [`super::MAX_CLIENT_RECS`]).
    clients: Vec<ClientRec>,
    /// Empty datagrams carry no `msg-N|` id; loopback UDP keeps order, so they are matched
    /// first in, first out: sent ones not yet seen arriving, and arrivals not yet seen sent.
    empty_sent: VecDeque<MsgId>,
    empty_arrived: VecDeque<u64>,
    /// send-vs-sendall: bytes a program that ignored `send()`'s count never sent.
    never_sent: Vec<NeverSentRec>,
    /// The closing handshake as captured (the first [`super::MAX_CLOSING`] packets).
    closing: Vec<ClosingRec>,
}

/// What a model says about a run, read by the panels, the CLI and the exports.
impl Model {
    /// The sender's messages (their stream offsets and lengths), by id, as far as stored.
    pub fn messages(&self) -> &[MessageRec] {
        &self.history.messages
    }

    /// The GSO batches the segments came in (each stands for several), in capture order.
    pub fn gso_batches(&self) -> &[Span] {
        &self.history.gso_batches
    }

    /// How a batch was cut: its segments on the lane (new bytes) and the first one's length
    /// (the batch's `gso_size`); None when none are stored (a retransmitted batch).
    pub fn gso_batch_shape(&self, batch: &Span) -> Option<(usize, u32)> {
        let segments = &self.history.segments;
        let from = segments.partition_point(|s| s.end() <= batch.offset);
        let to = segments.partition_point(|s| s.offset < batch.end()).max(from);
        segments[from..to].first().map(|first| (to - from, first.len))
    }

    /// The sender's `send()` calls, as far as stored.
    pub fn writes(&self) -> &[WriteRec] {
        &self.history.writes
    }

    /// Captured data segments, new bytes only, in stream order.
    pub fn segments(&self) -> &[Span] {
        &self.history.segments
    }

    /// Captured data segments that carried bytes again, in capture order.
    pub fn retransmissions(&self) -> &[Span] {
        &self.history.retransmissions
    }

    /// The receiver's ACKs, in capture order.
    pub fn acks(&self) -> &[AckRec] {
        &self.history.acks
    }

    /// When the sender sent a zero-window probe (µs).
    pub fn window_probes(&self) -> &[u64] {
        &self.history.window_probes
    }

    /// The receiver's `recv()` calls, as far as stored.
    pub fn reads(&self) -> &[Span] {
        &self.history.reads
    }

    /// Frames the decoder completed.
    pub fn frames(&self) -> &[FrameRec] {
        &self.history.frames
    }

    /// Decode errors, each with when it happened (µs).
    pub fn decode_errors(&self) -> &[(u64, DecodeError)] {
        &self.history.decode_errors
    }

    /// Datagrams indexed by message id.
    pub fn datagrams(&self) -> &[DatagramRec] {
        &self.history.datagrams
    }

    /// Received TCP bytes from offset 0 (the first `BYTES_KEPT`).
    pub fn received(&self) -> &[u8] {
        &self.history.received
    }

    /// The socket options each side asked for and what the kernel set.
    pub fn options(&self) -> &[OptionRec] {
        &self.history.options
    }

    /// Errors and early ends, for the user to read.
    pub fn problems(&self) -> &[Problem] {
        &self.history.problems
    }

    /// How each side ended, in the order they did.
    pub fn ends(&self) -> &[(Side, EndReason)] {
        &self.history.ended
    }

    /// Datagrams without a `msg-N|` id (an external client's), in arrival order.
    pub fn unidentified_datagrams(&self) -> &[DatagramRec] {
        &self.history.unidentified_datagrams
    }

    /// `listen`: every client's report, in the order their connections ended.
    pub fn clients(&self) -> &[ClientRec] {
        &self.history.clients
    }

    /// Heap bytes held by the stored records, every vector of them (capacity, not just
    /// length): the event store's memory, for the performance figures.
    pub fn history_bytes(&self) -> usize {
        self.history.bytes()
    }

    /// Gives back unused capacity once a run is over (Vec growth leaves up to half empty).
    pub fn shrink(&mut self) {
        self.history.shrink();
    }
}
