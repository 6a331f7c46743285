//! What `send --torture` reports about a server: each adversarial scenario, what it sent, what
//! came back and the verdict. The engine runs the scenarios (`stickyviz_engine::torture`);
//! `describe` words these facts.

use std::time::Duration;

use crate::framing::DecodeError;
use crate::OsError;

/// How long a scenario waits while nothing moves (no byte written or read) before it gives
/// up: after the last write, this is the time the server has to answer.
pub const SCENARIO_TIMEOUT: Duration = Duration::from_secs(3);

/// Frames in [`Scenario::ManyInOneWrite`].
pub const MANY_FRAMES: u32 = 20;

/// Payload of [`Scenario::LargeBody`] (less when the length prefix or max frame is smaller):
/// far more than one `recv(1024)`, and more than loopback hands to one read.
pub const LARGE_BODY: usize = 1024 * 1024;

/// Bytes of what was sent and received kept for the report.
pub const PREVIEW: usize = 40;

/// One adversarial way of sending frames; each simulates a cut real networks make.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scenario {
    /// One frame in one write: the baseline every server should pass.
    OneFrame,
    /// [`MANY_FRAMES`] frames in one write: 粘包, several frames in one `recv()`.
    ManyInOneWrite,
    /// One frame, one byte per write with a pause (the engine's `BYTE_PAUSE`) between: every `recv()` is short.
    ByteWrites,
    /// The header in one write, the body a pause (`SPLIT_PAUSE`) later (newline: the text, then its
    /// line end): 半包, a frame cut where a segment boundary may fall.
    HeaderApart,
    /// The length prefix itself cut in two (2 + 2 bytes of a 4-byte prefix): `recv(4)` returns 2.
    PrefixSplit,
    /// A frame with an empty payload: length 0, which a server must not take for "closed".
    EmptyBody,
    /// A [`LARGE_BODY`] payload: no single `recv()` returns it all.
    LargeBody,
    /// Two clients connected at once: the second sends and must be answered while the first,
    /// connected earlier, stays silent (a server serving one client at a time fails).
    TwoClients,
}

impl Scenario {
    pub const ALL: [Scenario; 8] = [
        Self::OneFrame,
        Self::ManyInOneWrite,
        Self::ByteWrites,
        Self::HeaderApart,
        Self::PrefixSplit,
        Self::EmptyBody,
        Self::LargeBody,
        Self::TwoClients,
    ];
}

/// What a scenario sent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sent {
    pub frames: u32,
    pub bytes: u64,
    /// `send()` calls (each [`Self::pause_ms`] apart when more than one).
    pub writes: u32,
    pub pause_ms: u64,
    /// The first [`PREVIEW`] bytes, header included.
    pub preview: Vec<u8>,
}

/// What came back.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Received {
    pub bytes: u64,
    /// Whole frames decoded from the reply.
    pub frames: u32,
    /// The answers were the requests upper-cased (the course's `data.upper()`), not plain echoes.
    pub upper_cased: bool,
    /// The first [`PREVIEW`] bytes, header included.
    pub preview: Vec<u8>,
}

/// How a scenario ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Every frame was answered with its payload (or upper-cased).
    Pass,
    /// The framing has no such part (`newline` has no length prefix; a 1-byte prefix cannot be cut).
    NotApplicable,
    /// The reply was not complete [`SCENARIO_TIMEOUT`] after the last write.
    Timeout { waited_ms: u64 },
    /// The second of [`Scenario::TwoClients`] got no complete answer in time while the first
    /// stayed connected.
    NotConcurrent { waited_ms: u64 },
    /// The server closed the connection before the whole reply.
    Closed,
    /// The server reset the connection.
    Reset { error: OsError },
    /// Connecting failed (nothing listening, refused, unreachable).
    ConnectFailed { error: OsError },
    /// A `send()` failed for another reason than a reset.
    SendFailed { error: OsError },
    /// A `recv()` failed for another reason than a reset.
    RecvFailed { error: OsError },
    /// The reply could not be decoded in the framing (its header is wrong).
    BadReply { error: DecodeError },
    /// Reply frame `frame` (0-based) is neither the request's payload nor it upper-cased.
    WrongPayload { frame: u32 },
    /// Stopped by the user before it ended.
    Stopped,
}

impl Verdict {
    /// Whether the server got it right (a scenario that does not apply is not a failure).
    pub fn passed(&self) -> bool {
        matches!(self, Self::Pass | Self::NotApplicable)
    }
}

/// One scenario's result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioReport {
    pub scenario: Scenario,
    pub sent: Sent,
    pub received: Received,
    pub verdict: Verdict,
}
