//! The records a [`super::Model`] keeps: one small `Copy` struct per message, write, segment,
//! read, frame, datagram and socket option (each at most 32 bytes; a test checks `size_of`).

use crate::facts::{MsgId, Side, SockOpt};

/// One message on the TCP stream (framing header included).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MessageRec {
    pub id: MsgId,
    pub offset: u64,
    pub len: u32,
    pub header_len: u32,
    pub at_us: u64,
}

impl MessageRec {
    pub fn end(&self) -> u64 {
        self.offset + u64::from(self.len)
    }
}

/// One `send()`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WriteRec {
    pub at_us: u64,
    pub msg: MsgId,
    pub offset: u64,
    pub len: u32,
    /// `TCP_INFO` right after the write.
    pub segs_out: u32,
    pub notsent: u32,
}

/// A byte range on the stream with a time: a captured segment or a `recv()`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub at_us: u64,
    pub offset: u64,
    pub len: u32,
}

impl Span {
    pub fn end(&self) -> u64 {
        self.offset + u64::from(self.len)
    }
}

/// One ACK of the receiver: every byte before `ack` arrived; room for `window` more bytes
/// (advertised receive window, scaled). The sender may have bytes up to `ack + window` in flight.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AckRec {
    pub at_us: u64,
    pub ack: u64,
    pub window: u32,
}

impl AckRec {
    /// The right edge of the window: the stream offset the sender may send up to.
    pub fn window_end(&self) -> u64 {
        self.ack + u64::from(self.window)
    }

    pub fn zero_window(&self) -> bool {
        self.window == 0
    }
}

/// One decoded frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FrameRec {
    pub at_us: u64,
    pub index: u32,
    pub offset: u64,
    pub len: u32,
    pub payload_len: u32,
    pub intact: bool,
}

/// One UDP datagram as sent, and what became of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DatagramRec {
    pub msg: MsgId,
    pub len: u32,
    pub sent_us: u64,
    /// Bytes read and when; None while not (or never) received.
    pub received: Option<(u32, u64)>,
    /// Whether its send was observed. An external sender's datagrams (`listen --udp` with
    /// `stickyviz send` as the peer) carry ids but no send: `len` is then the length the
    /// receiver saw, and nothing is claimed about the sending.
    pub sent: bool,
}

/// What became of one datagram.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DatagramFate {
    Delivered,
    Truncated {
        lost: u32,
    },
    Dropped,
    /// Not received yet (the receiver is still running).
    InFlight,
    /// Received whole, from a sender this run did not observe.
    Received,
    /// An id skipped by an unobserved sender's datagrams: never received, and whether it was
    /// ever sent is not known.
    Missing,
}

/// How one read relates to the messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadKind {
    /// Exactly one whole message.
    Exact,
    /// Parts of several messages: 粘包.
    Merged { messages: u32 },
    /// Part of one message: a piece of a 半包.
    Partial,
    /// The messages it covers are not known (yet).
    Unknown,
}

/// A socket option as asked and as set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OptionRec {
    pub side: Side,
    pub opt: SockOpt,
    pub requested: Option<u64>,
    pub actual: u64,
}
