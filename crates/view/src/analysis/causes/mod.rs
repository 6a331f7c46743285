//! Why the run looked as it did: each effect a student can see (a stalled request, a merged or
//! split read, a decoder out of step, a zero window, a lost segment, a cut or dropped datagram,
//! a short write) with the cause its events prove, and the events that prove it.
//!
//! A cause is named only when the events prove it; otherwise the effect is listed as
//! [`Cause::NotTold`] with what was missing to tell. The events are pointed at by their index in
//! the run (the order in which they were given to [`super::Model::apply`], which is the order of
//! a recording's `events`). No words here: `describe::causes` says them.
//!
//! `trail.rs` keeps what the rules need of each event (with its index) as the run goes;
//! `find.rs` holds the rules.

use serde::{Deserialize, Serialize};

use crate::config::Experiment;
use crate::facts::MsgId;

mod find;
mod trail;

pub use trail::Located;
pub(super) use trail::Trail;

/// The index of an event in the run: its position in the recording's `events`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
#[serde(transparent)]
pub struct EventIx(pub u64);

/// An ACK at least this long after the segment it acknowledges was delayed: an immediate ACK on
/// loopback or a LAN comes in microseconds, Linux delays one by at least 40 ms (other systems up
/// to 200 ms) less one timer tick; 20 ms is far from both. The same line as a stalled request
/// ([`super::echo::STALL_US`]).
pub const DELAYED_ACK_US: u64 = super::echo::STALL_US;

/// A segment held until an ACK leaves as the ACK is processed: within this of it. The kernel
/// sends it at once, but on a busy machine the ACK's processing can wait for a CPU (2.7 ms seen
/// with five builds on two cores); a segment leaving later than this had something else holding
/// it too, and the cause is not told. Half the delayed-ACK line: a stall is still mostly the ACK's.
pub const RELEASE_US: u64 = 10_000;

/// Causes listed at most; past it they are counted ([`Causes::not_listed`]).
pub const MAX_CAUSES: usize = 10_000;

/// The causes of one run, as the recording's summary carries them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Causes {
    pub list: Vec<Cause>,
    /// Causes found past [`MAX_CAUSES`].
    pub not_listed: u64,
    /// The run had more events than the rules keep: later effects were not looked at.
    pub incomplete: bool,
}

impl Causes {
    pub fn is_empty(&self) -> bool {
        self.list.is_empty() && self.not_listed == 0
    }

    /// The causes whose evidence (or effect) includes event `ix`.
    pub fn about(&self, ix: EventIx) -> impl Iterator<Item = &Cause> {
        self.list.iter().filter(move |c| c.evidence().contains(&ix))
    }
}

/// Where the run's packets went: what can drop a datagram.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Place {
    /// Not known (a model built from events alone, an external peer).
    #[default]
    Unknown,
    /// Plain loopback: nothing between the two sockets can drop a packet but the receive buffer.
    Loopback,
    /// A shaped link (`--link`): its queue drops packets when full.
    Link,
}

impl Place {
    /// Where a run of these settings sends its packets.
    pub fn of(settings: &Experiment) -> Self {
        if settings.link.is_some() {
            Self::Link
        } else {
            Self::Loopback
        }
    }
}

/// Where a datagram that never arrived was dropped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "where")]
pub enum DropPlace {
    /// The receive buffer was full: `unread` datagrams sent before it were still waiting for the
    /// reader when it was sent (plain loopback drops nowhere else).
    ReceiveBuffer { unread: u32 },
    /// Not the receive buffer: even counted generously, the `unread` datagrams waiting could not
    /// fill its `rcvbuf` bytes; so the link dropped it.
    Link { unread: u32, rcvbuf: u64 },
}

/// What was seen whose cause could not be told.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "effect")]
pub enum Effect {
    /// Request `round` took `latency_us` (≥ the stall line).
    Stall { round: u32, latency_us: u64, at: EventIx },
    /// A read holding the end of one message and the start of the next (粘包).
    MergedRead { read: EventIx },
    /// A read that ended inside message `msg` (半包).
    SplitMessage { read: EventIx, msg: MsgId },
    /// The decoder stopped with an error.
    DecodeError { error: EventIx },
    /// A segment captured a second time.
    Resent { segment: EventIx },
    /// Datagrams sent and never received.
    DatagramsDropped { first: EventIx, datagrams: u32 },
}

/// What was missing to tell a cause.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Missing {
    /// The segments were not captured.
    Capture,
    /// The receiver's ACKs were not captured.
    Acks,
    /// The capture saw the first copy: lost further on, or its ACK was, or the timer fired too
    /// early; the capture on one host cannot tell which.
    PastCapture,
    /// Everything was recorded, and none of the causes the rules know is proven by it.
    Unproven,
}

/// One effect and its cause, with the events that prove it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "cause")]
pub enum Cause {
    /// Nagle held `writes` writes (from `write` to `last_write`) in the kernel: `previous_segment`
    /// was in flight unacknowledged, alone. They left as `held_segment` only when `ack`
    /// acknowledged it, `held_us` after the first of them began. The ACK came `ack_delay_us` after
    /// its segment: a delayed ACK when ≥ [`DELAYED_ACK_US`]. `round`: the request it belongs to.
    Nagle {
        write: EventIx,
        last_write: EventIx,
        writes: u32,
        previous_segment: EventIx,
        ack: EventIx,
        held_segment: EventIx,
        held_us: u64,
        ack_delay_us: u64,
        delayed_ack: bool,
        round: Option<u32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        round_event: Option<EventIx>,
    },
    /// No capture: right after `write` (of request `round`, which stalled) `TCP_INFO` counted
    /// `notsent` bytes not sent yet: the kernel held them (Nagle, or the window); which, and
    /// until when, needs the capture.
    Unsent {
        write: EventIx,
        notsent: u32,
        round: u32,
        round_event: EventIx,
    },
    /// Merged read: the end of one message and the start of the next came in one segment, so no
    /// read could have taken them apart (the sender side merged them).
    WireMerged { read: EventIx, segment: EventIx },
    /// Merged read: the next message's bytes had arrived (`arrived`: their segment, or without a
    /// capture the write that sent them whole) `waited_us` before the read began: the reader
    /// started late (`first_read`) or read slower than the sender wrote.
    ReaderLate {
        read: EventIx,
        arrived: EventIx,
        waited_us: u64,
        first_read: bool,
    },
    /// Merged read: its bytes waited behind bytes a link dropped (see [`Cause::QueueDrop`]) and
    /// became readable all at once when `resent` filled the gap (head-of-line blocking).
    BehindGap { read: EventIx, resent: EventIx },
    /// Split message: the read filled its `requested`-byte buffer inside message `msg` of
    /// `message_len` bytes.
    ReadFull {
        read: EventIx,
        requested: u32,
        msg: MsgId,
        message_len: u32,
    },
    /// Split message: the rest of `msg` was written (`write` began) `later_us` after the read
    /// returned.
    RestWrittenLater {
        read: EventIx,
        msg: MsgId,
        write: EventIx,
        later_us: u64,
    },
    /// Split message: the rest of `msg` had been written but its segment crossed `later_us`
    /// after the read returned.
    RestArrivedLater {
        read: EventIx,
        msg: MsgId,
        segment: EventIx,
        later_us: u64,
    },
    /// The decoder went out of step: `read` asked for `asked` bytes (a header or body the
    /// decoder trusted one `recv()` to return whole) and returned `got`; `short_read` is the
    /// decoder's record of it, `next_error` the error it met afterwards reading body bytes as a
    /// header.
    OutOfStep {
        read: EventIx,
        short_read: EventIx,
        asked: u64,
        got: u64,
        next_error: Option<EventIx>,
    },
    /// The decoder stopped at the frame at `offset` (`error`): before it, `lost` bytes of message
    /// `msg` were never sent (`never_sent`: the program ignored a short write's count), so the
    /// lengths its headers promised run past the bytes that came.
    NeverSentBefore {
        error: EventIx,
        never_sent: EventIx,
        msg: MsgId,
        lost: u32,
        offset: u64,
    },
    /// The receiver advertised a zero window (`zero_ack`, `zero_acks` in a row): its buffer held
    /// `unread` bytes the application had not read. `read` is the read after which `reopen_ack`
    /// opened it again, `closed_us` after it closed (none: it never reopened in the run).
    ZeroWindow {
        zero_ack: EventIx,
        zero_acks: u32,
        unread: u64,
        read: Option<EventIx>,
        reopen_ack: Option<EventIx>,
        closed_us: Option<u64>,
    },
    /// `lost_len` bytes from `lost_offset` never crossed the capture point: a later segment
    /// (`overtaken_by`) passed them, and `resent` carried them again `blocked_us` later. Nothing
    /// between the sender's TCP and the capture but the link's queue: it dropped them. The bytes
    /// that overtook waited that long in the receiver, unreadable behind the gap (head-of-line
    /// blocking), until `blocked_read` returned them.
    QueueDrop {
        lost_offset: u64,
        lost_len: u64,
        overtaken_by: EventIx,
        resent: EventIx,
        blocked_us: u64,
        blocked_read: Option<EventIx>,
    },
    /// A datagram of `real_len` bytes read into a `buffer`-byte buffer: the tail was cut off.
    UdpTruncated {
        received: EventIx,
        sent: Option<EventIx>,
        buffer: u32,
        real_len: u32,
    },
    /// `datagrams` datagrams (sent from `first` to `last`) never arrived; where they were dropped.
    UdpDropped {
        first: EventIx,
        last: EventIx,
        datagrams: u32,
        at: DropPlace,
    },
    /// `send()` took `accepted` of `requested` bytes: the send buffer was full. `never_sent`: the
    /// program ignored the count, and the rest was never sent.
    ShortWrite {
        write: EventIx,
        requested: u32,
        accepted: u32,
        never_sent: Option<EventIx>,
    },
    /// Seen, and the cause could not be told.
    NotTold { effect: Effect, missing: Missing },
}

impl Cause {
    /// The events that prove the cause, the effect's first.
    pub fn evidence(&self) -> Vec<EventIx> {
        let opt = |o: &Option<EventIx>| o.iter().copied().collect::<Vec<_>>();
        match self {
            Self::Nagle {
                write,
                last_write,
                previous_segment,
                ack,
                held_segment,
                round_event,
                ..
            } => {
                let mut v = opt(round_event);
                v.extend([*write, *last_write, *previous_segment, *ack, *held_segment]);
                v.dedup();
                v
            }
            Self::Unsent { write, round_event, .. } => vec![*round_event, *write],
            Self::WireMerged { read, segment } => vec![*read, *segment],
            Self::ReaderLate { read, arrived, .. } => vec![*read, *arrived],
            Self::BehindGap { read, resent } => vec![*read, *resent],
            Self::ReadFull { read, .. } => vec![*read],
            Self::RestWrittenLater { read, write, .. } => vec![*read, *write],
            Self::RestArrivedLater { read, segment, .. } => vec![*read, *segment],
            Self::OutOfStep {
                read,
                short_read,
                next_error,
                ..
            } => {
                let mut v = opt(next_error);
                v.extend([*read, *short_read]);
                v
            }
            Self::NeverSentBefore { error, never_sent, .. } => vec![*error, *never_sent],
            Self::ZeroWindow {
                zero_ack,
                read,
                reopen_ack,
                ..
            } => {
                let mut v = vec![*zero_ack];
                v.extend(opt(read));
                v.extend(opt(reopen_ack));
                v
            }
            Self::QueueDrop {
                overtaken_by,
                resent,
                blocked_read,
                ..
            } => {
                let mut v = opt(blocked_read);
                v.extend([*overtaken_by, *resent]);
                v
            }
            Self::UdpTruncated { received, sent, .. } => {
                let mut v = vec![*received];
                v.extend(opt(sent));
                v
            }
            Self::UdpDropped { first, last, .. } => vec![*first, *last],
            Self::ShortWrite { write, never_sent, .. } => {
                let mut v = vec![*write];
                v.extend(opt(never_sent));
                v
            }
            Self::NotTold { effect, .. } => vec![effect.at()],
        }
    }

    /// Whether the cause was told (not [`Cause::NotTold`]).
    pub fn is_told(&self) -> bool {
        !matches!(self, Self::NotTold { .. })
    }
}

impl Effect {
    /// The event the effect is seen on.
    pub fn at(&self) -> EventIx {
        match *self {
            Self::Stall { at, .. } => at,
            Self::MergedRead { read } | Self::SplitMessage { read, .. } => read,
            Self::DecodeError { error } => error,
            Self::Resent { segment } => segment,
            Self::DatagramsDropped { first, .. } => first,
        }
    }
}

impl super::Model {
    /// Sets where the run's packets go (what may drop a datagram), for the causes.
    pub fn with_place(mut self, place: Place) -> Self {
        self.trail.set_place(place);
        if self.finished {
            self.summary.causes = self.causes();
        }
        self
    }

    /// The causes of what this run showed so far, proven by its events.
    pub fn causes(&self) -> Causes {
        find::causes(&self.trail)
    }

    /// What kind of record event `ix` is, and which (for the window's highlight).
    pub fn locate(&self, ix: EventIx) -> Option<Located> {
        self.trail.locate(ix)
    }

    /// The index of the `i`-th read (write, frame, …) of the main stream, for the window's "why?".
    pub fn event_of(&self, what: Located) -> Option<EventIx> {
        self.trail.event_of(what)
    }
}

#[cfg(test)]
mod tests;
