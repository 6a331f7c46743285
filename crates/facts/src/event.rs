//! Everything a run records, as named events on one clock (microseconds since the run started).

use serde::{Deserialize, Serialize};

use crate::framing::DecodeError;

pub use super::close_facts::{BindWhen, TableEntry, TcpState};
pub use super::fact::{
    Call, CaptureUnavailable, Fault, LinkFailure, NamespaceBlock, NamespaceStep, OsError, PanickedThread,
};
pub use super::ids::{MsgId, Side, SockOpt, StreamOffset};

/// The headers of one packet exactly as the capture socket read them (IPv4 header onward, no
/// link header), cut after the TCP header: the payload is in the `bytes` events already.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CapturedPacket {
    /// Wall-clock capture time, µs since the Unix epoch (Wireshark shows real times).
    pub unix_us: u64,
    /// The packet's length on the wire (IP total length), of which `headers` is the start.
    pub orig_len: u32,
    pub headers: Vec<u8>,
}

/// A packet of the connection that carries no new stream bytes and is not one of the
/// receiver's ACKs ([`Event::Ack`]): the handshake, the ends, and the sender's window probes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ControlKind {
    /// The sender's SYN: it asks to open the connection (and announces its MSS and window scale).
    Syn,
    /// The receiver's SYN-ACK: it accepts (and announces its own MSS and window scale).
    SynAck,
    /// A packet of the sender with no data: the ACK that completes the handshake, or one that
    /// acknowledges the receiver's FIN.
    Ack,
    /// A zero-window probe: the receiver advertised a window of 0, so the sender may not send;
    /// it asks again from time to time whether there is room. Linux's probe carries no data and
    /// the sequence number just below the first unacknowledged byte, so the receiver must answer
    /// with an ACK that states its current window.
    WindowProbe,
    /// FIN: this end has nothing more to send (the sender's; the receiver's FIN|ACK is an
    /// [`Event::Ack`]).
    Fin,
    /// RST: this end reset the connection.
    Rst,
}

/// Why one side of a run ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "reason", content = "detail")]
pub enum EndReason {
    /// Everything was sent, or the peer closed after sending everything.
    Complete,
    /// The user pressed Stop.
    Stopped,
    /// The peer closed or reset the connection early.
    PeerClosed(Fault),
    /// A socket call (or a protocol step) failed.
    Failed(Fault),
}

/// How one `listen` client's reads cut the frames it sent (see `framing::classify`); none
/// when the listen decodes no frames (framing `none`: nothing to classify against).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadCuts {
    /// `recv()` calls that returned bytes.
    pub reads: u64,
    /// Reads holding the end of one frame and bytes of the next (粘包).
    pub merged_reads: u64,
    /// Frames a read ended inside of (半包).
    pub split_frames: u64,
}

/// How one external client's connection to `listen` went. Each outcome other than
/// [`ClientOutcome::Served`] is something a student pointing a scanner, `nc` or a half-written
/// client at the app will meet; the listener reports it and goes on serving the next client.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "outcome")]
pub enum ClientOutcome {
    /// Sent its stream and closed its end (FIN), every frame whole: served.
    Served,
    /// Connected and closed without sending a byte (a port scanner's probe, `nc -z`).
    SentNothing,
    /// Closed its end (FIN) in the middle of a frame: the frame's tail never came.
    ClosedMidFrame { error: DecodeError },
    /// Reset the connection (RST, e.g. closed with `SO_LINGER` 0) or broke it; `unfinished` is
    /// the frame it cut off when it did so mid-frame. `error` is the OS's words.
    Reset {
        error: OsError,
        unfinished: Option<DecodeError>,
    },
    /// Sent a header the decoder cannot accept (a length over the maximum, a JSON header that is
    /// not JSON or not UTF-8): the listener closed the connection, because nothing after a bad
    /// header tells where the next frame starts.
    Dropped { error: DecodeError },
    /// Connected and silent while `limit` clients were connected and one more came: let go
    /// (closed) to make room for the newcomer.
    Evicted { limit: u32 },
    /// Turned away at once: `limit` clients were connected already, every one of them talking.
    Refused { limit: u32 },
    /// Still connected when `listen` ended (Stop, or the clients asked for were served).
    Stopped,
    /// A socket call on this connection failed.
    Failed { error: Fault },
}

/// One recorded fact. Offsets and lengths are in bytes, `at_us` in µs from the run's origin.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Event {
    /// A TCP connection is up between `sender` and `receiver` (addresses as text).
    Connected {
        at_us: u64,
        sender: String,
        receiver: String,
    },
    /// A socket option: what was asked (if anything) and what the kernel reports.
    SockOpt {
        at_us: u64,
        side: Side,
        opt: SockOpt,
        requested: Option<u64>,
        actual: u64,
    },
    /// The sender framed message `msg`: it occupies `len` stream bytes from `offset`, of which
    /// `header_len` are framing. Emitted before the message's writes.
    Message {
        at_us: u64,
        msg: MsgId,
        offset: StreamOffset,
        len: u32,
        header_len: u32,
    },
    /// One `send()` call: it began at `start_us` and returned `len` at `at_us` (bytes of
    /// message `msg` from `offset`). `requested` is what it was asked to send: less accepted
    /// is a *short write* (the send buffer was full), followed by another `send()` for the
    /// rest. The `TCP_INFO` sample taken right after: data segments sent so far, bytes not yet
    /// sent, segments unacked. On loopback the bytes can reach the reader before `send()`
    /// returns, so causality is judged from `start_us` (absent in older recordings: `at_us`).
    Write {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        start_us: Option<u64>,
        at_us: u64,
        msg: MsgId,
        offset: StreamOffset,
        len: u32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        requested: Option<u32>,
        segs_out: u32,
        notsent: u32,
        unacked: u32,
    },
    /// A final `TCP_INFO` sample once everything was acknowledged (a Nagle-held tail leaves
    /// after the last write returned). `retransmitted`: segments the sender sent again
    /// (`tcpi_total_retrans`: lost, or thought lost; Linux only, absent in older recordings).
    WireTotal {
        at_us: u64,
        segs_out: u32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        retransmitted: Option<u32>,
    },
    /// One TCP data segment of this connection captured on `lo`, `at_us` being the kernel's
    /// packet timestamp (`SO_TIMESTAMPNS`, when the packet crossed the interface) on the run's
    /// clock, not when the capture thread got round to reading it. `packet` holds its IP and
    /// TCP headers as captured, for the pcapng export (absent past a cap, and in older
    /// recordings).
    Segment {
        at_us: u64,
        offset: StreamOffset,
        len: u32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        packet: Option<CapturedPacket>,
    },
    /// A GSO batch: the kernel handed `lo` one packet of `len` stream bytes from `offset` that
    /// stands for `segments` segments of `gso_size` bytes (the last one shorter), as a network
    /// card would send them and as `TCP_INFO` counts them. Its segments follow as
    /// [`Event::Segment`]s (or retransmissions), stamped alike; this marks them as one batch.
    GsoBatch {
        at_us: u64,
        offset: StreamOffset,
        len: u32,
        segments: u32,
        gso_size: u32,
    },
    /// A data segment captured again: bytes from `offset` that an earlier segment already
    /// carried (the first one, or its ACK, was lost, or came too late: the sender's timer or
    /// three duplicate ACKs made it send them again). Bytes past every earlier segment, if any,
    /// are new. Stamped and kept like [`Event::Segment`].
    Retransmission {
        at_us: u64,
        offset: StreamOffset,
        len: u32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        packet: Option<CapturedPacket>,
    },
    /// One ACK from the receiver back to the sender, captured on `lo` at the kernel's stamp:
    /// every stream byte before `ack` has arrived, and the receiver has room for `window` more
    /// bytes after it (the advertised receive window, already multiplied by the window scale
    /// the receiver announced in its SYN-ACK). `window` 0 is a *zero window*: the sender must
    /// stop until an ACK opens it again. The receiver's FIN (with its ACK) is one of these: its
    /// last ACK. Absent in recordings made before ACKs were captured.
    Ack {
        at_us: u64,
        ack: StreamOffset,
        window: u32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        packet: Option<CapturedPacket>,
        /// The packet carried the receiver's FIN too (FIN|ACK): the receiver has nothing more
        /// to send (absent in older recordings: false).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        fin: bool,
    },
    /// A packet of the connection with no new data that is not one of the receiver's ACKs
    /// (handshake, FIN, RST, window probe: `control`), from `from` ([`Side::TcpSender`] or
    /// [`Side::TcpReceiver`]); kept so the pcapng export holds the whole conversation.
    Control {
        at_us: u64,
        from: Side,
        control: ControlKind,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        packet: Option<CapturedPacket>,
    },
    /// `send()` of message `msg` took fewer bytes than asked, and the program ignored its count
    /// (`config::SendCall::Send`): the other `len` bytes were never handed to the kernel. They
    /// take no stream offsets: the stream continues at `offset` (right after what `send()`
    /// took) with the program's next write. Nothing was lost by TCP.
    NeverSent {
        at_us: u64,
        msg: MsgId,
        offset: StreamOffset,
        len: u32,
    },
    /// The address-in-use run: the kernel's socket table on `side`'s end of the connection
    /// (the server is [`Side::TcpReceiver`], the client [`Side::TcpSender`]) once both ends
    /// had closed: the side that closed first is in TIME_WAIT.
    SocketState {
        at_us: u64,
        side: Side,
        local: String,
        remote: String,
        entry: TableEntry,
    },
    /// The address-in-use run: a second server's `bind()` to `port` (with `SO_REUSEADDR` set
    /// before it or not) at `when`; `error` is the OS's (`EADDRINUSE`, 98 on Linux), None when
    /// it bound.
    Bind {
        at_us: u64,
        port: u16,
        reuse_addr: bool,
        when: BindWhen,
        error: Option<OsError>,
    },
    /// The capture followed the sender's data segments only, not the receiver's ACKs: the run
    /// might send more than `limit_bytes`, where capturing both ways cost speed. Recordings made
    /// before the capture read a ring (issue 27) only; every run is now captured both ways.
    AcksNotCaptured { limit_bytes: u64 },
    /// The capture ended: `dropped` packets of this connection reached the capture socket but
    /// not this app (its queue was full, `PACKET_STATISTICS`), so they are missing from the
    /// segment lane. Compare the segments captured with `WireTotal`'s `TCP_INFO` count.
    CaptureStats { at_us: u64, dropped: u64 },
    /// The segment lane could not be captured, and why.
    SegmentsUnavailable { reason: CaptureUnavailable },
    /// One `recv()` call began at `start_us`, asked for `requested` bytes and returned `len`
    /// bytes from `offset` at `at_us` (a blocking call may start long before data comes;
    /// `start_us` is absent in older recordings).
    Read {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        start_us: Option<u64>,
        at_us: u64,
        offset: StreamOffset,
        len: u32,
        requested: u32,
    },
    /// Received bytes from `offset` (kept for the inspector, up to a cap per run).
    Bytes { offset: StreamOffset, data: Vec<u8> },
    /// The decoder found frame `index` at `offset` (`len` stream bytes, `payload_len` payload),
    /// stamped with the return of the read that completed it.
    /// `intact` = its payload equals what the sender sent as that message.
    Frame {
        at_us: u64,
        index: u32,
        offset: StreamOffset,
        len: u32,
        payload_len: u32,
        intact: bool,
    },
    /// The decoder stopped (or, for `naive-u32`, went out of step) with this error.
    DecodeError { at_us: u64, error: DecodeError },
    /// One UDP datagram sent (message `msg`, `len` bytes): `send()` began at `start_us` and
    /// returned at `at_us`. On loopback the datagram is queued at the receiver before `send()`
    /// returns, so it may be received before `at_us`, never before `start_us` (absent in older
    /// recordings: `at_us`).
    DatagramSent {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        start_us: Option<u64>,
        at_us: u64,
        msg: MsgId,
        len: u32,
    },
    /// One `recvfrom()`: `len` bytes copied out of a datagram of `real_len` bytes (more = the
    /// tail was lost). `msg` is read from the datagram's `msg-N|` prefix when present.
    /// `os_error`: the error code the call returned along with the bytes. Windows fails a
    /// `recvfrom()` whose buffer is smaller than the datagram with `WSAEMSGSIZE` (10040), having
    /// copied the first `len` bytes; Linux and macOS return them without an error (None).
    DatagramReceived {
        at_us: u64,
        msg: Option<MsgId>,
        len: u32,
        real_len: u32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        os_error: Option<i32>,
    },
    /// One side finished.
    Ended {
        at_us: u64,
        side: Side,
        bytes: u64,
        reason: EndReason,
    },
    /// Something went wrong that the user should read.
    Error { at_us: u64, side: Side, error: Fault },
    /// `listen`: client `peer`'s connection is over. `lane` is the timeline its stream is drawn
    /// on (0 = the main one, k ≥ 1 = [`Event::Conn`] k; none for a client that sent nothing or
    /// came after the last lane). Never wrapped in `Conn`: every client is listed in one place.
    /// `decode_errors` and `cuts` are counted where the client was served, so they are exact
    /// for a client whose stream was not recorded too (older recordings lack them).
    Client {
        at_us: u64,
        peer: String,
        lane: Option<u32>,
        bytes: u64,
        frames: u32,
        outcome: ClientOutcome,
        #[serde(default)]
        decode_errors: u32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cuts: Option<ReadCuts>,
    },
    /// All threads of the run have ended and been joined.
    Finished { at_us: u64 },
    /// The app fell behind: a thread found the queue to the app full at `at_us` and waited
    /// `waited_us` µs for room instead of dropping its events (see `engine::sink`). During
    /// the wait that thread made no calls: the run went at the app's pace, not the kernel's.
    QueueWait { at_us: u64, waited_us: u64 },
    /// Request/response runs (`echo`, `big-reply`): an event of the reply stream (server to
    /// client), which has its own byte axis. `event` is a `Message`, `Write`, `Read`, `Bytes`
    /// or `Ended` with offsets on that axis.
    Reply { event: Box<Event> },
    /// Request `index` got its answer `latency_us` after its first byte was written
    /// (`request_len` stream bytes out, `reply_len` bytes read back).
    Round {
        at_us: u64,
        index: u32,
        latency_us: u64,
        request_len: u32,
        reply_len: u32,
    },
    /// `trace`: a fact of the traced programs (started, ended, printed, the calls they made
    /// by name, a loop's empty reads); their socket calls are the plain events above.
    Trace { fact: crate::trace::TraceFact },
    /// many-clients runs: an event of connection `conn` (1-based among the extra connections;
    /// connection 0 uses the plain events), each connection being its own stream.
    Conn { conn: u32, event: Box<Event> },
}

impl Event {
    /// When the call behind the event began: `start_us` of a write, read or datagram sent
    /// (or `at_us` where a recording has none), else the event's time.
    pub fn start_us(&self) -> Option<u64> {
        match self {
            Self::Write { start_us, at_us, .. }
            | Self::Read { start_us, at_us, .. }
            | Self::DatagramSent { start_us, at_us, .. } => Some(start_us.unwrap_or(*at_us)),
            Self::Reply { event } | Self::Conn { event, .. } => event.start_us(),
            other => other.at_us(),
        }
    }

    /// The event's time, if it has one.
    pub fn at_us(&self) -> Option<u64> {
        match self {
            Self::Connected { at_us, .. }
            | Self::SockOpt { at_us, .. }
            | Self::Message { at_us, .. }
            | Self::Write { at_us, .. }
            | Self::WireTotal { at_us, .. }
            | Self::CaptureStats { at_us, .. }
            | Self::Segment { at_us, .. }
            | Self::GsoBatch { at_us, .. }
            | Self::Retransmission { at_us, .. }
            | Self::Ack { at_us, .. }
            | Self::Control { at_us, .. }
            | Self::Read { at_us, .. }
            | Self::Frame { at_us, .. }
            | Self::DecodeError { at_us, .. }
            | Self::DatagramSent { at_us, .. }
            | Self::DatagramReceived { at_us, .. }
            | Self::Ended { at_us, .. }
            | Self::Error { at_us, .. }
            | Self::Round { at_us, .. }
            | Self::Client { at_us, .. }
            | Self::Finished { at_us }
            | Self::QueueWait { at_us, .. }
            | Self::NeverSent { at_us, .. }
            | Self::SocketState { at_us, .. }
            | Self::Bind { at_us, .. } => Some(*at_us),
            Self::Reply { event } | Self::Conn { event, .. } => event.at_us(),
            Self::Trace { fact } => fact.at_us(),
            Self::Bytes { .. } | Self::SegmentsUnavailable { .. } | Self::AcksNotCaptured { .. } => None,
        }
    }
}
