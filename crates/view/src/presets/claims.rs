//! What a lesson's texts say about its own run, so a test can hold them to it (design.md §7:
//! "lessons state only what the setup forces; what varies run to run is called varying").
//!
//! Every number written in a lesson's texts (its explanation and its look-at sentence, in both
//! languages) is listed here: either [`Claim::Given`] (a setting of the lesson, "12 messages",
//! "50 ms late", or a fact outside the run, a kernel constant or an OS error code) or a claim
//! about the outcome. Claims without a number ("the reads merge") are listed too. The test
//! `tests/lesson_claims.rs` runs each lesson many times and checks every [`Claim::Forced`]
//! outcome against every run, and that the texts call every [`Claim::Varies`] one varying.

/// An outcome of a run that a lesson's text states.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// At least one recv() returned parts of several messages (粘包), on the request stream.
    MergedReads,
    /// At least one message was cut between two reads (半包), on the request stream.
    SplitMessages,
    /// The wire carried fewer data segments than there were writes (Nagle's merging).
    FewerSegmentsThanWrites,
    /// No captured data segment is longer than the link's MSS.
    SegmentsAtMostMss,
    /// Every message came back out of the decoder whole and equal (✓).
    EveryFrameIntact,
    /// The decoder stopped with an error (✘).
    DecodeError,
    /// Some frame did not equal its message, or the decode ended in an error.
    FramesGoWrong,
    /// Every datagram arrived whole, one recvfrom() per sendto().
    EveryDatagramWhole,
    /// Some datagram was longer than the read buffer and cut.
    DatagramsTruncated,
    /// Some datagrams never arrived (counted by sequence number).
    DatagramsDropped,
    /// Every datagram was empty and arrived as a 0-byte read.
    EmptyDatagramsArrive,
    /// The TCP stream carried no bytes.
    NoTcpBytes,
    /// An ACK advertised a window of 0 (needs the capture; unchecked without it).
    ZeroWindow,
    /// Every byte written was read, in order.
    NothingLost,
    /// The kernel sent some segments again.
    Retransmissions,
    /// With Nagle on, most requests (the median) waited for the delayed ACK (≥ 20 ms).
    MostRequestsStall,
    /// On the reply stream, a read returned parts of two replies (粘包).
    ReplyMergedReads,
    /// On the reply stream, a reply was cut between reads (半包).
    ReplySplit,
    /// Each connection of a many-clients run got back every byte it sent, on its own stream.
    ConnectionsKeepTheirBytes,
    /// The handshake's challenge and answer both came through and the answer was accepted.
    HandshakeAccepted,
    /// The server refused the answer to its challenge.
    HandshakeRefused,
    /// Every send() of the lesson took fewer bytes than asked.
    ShortWrites,
    /// The second bind() to the port fails with EADDRINUSE (SO_REUSEADDR off).
    SecondBindFails,
}

/// One number (or number-less statement) in a lesson's texts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Claim {
    /// A number that is a setting, or a fact the run does not decide: not checked against runs.
    Given(&'static str),
    /// Holds on every run; `number` is how the texts write it ("" when they give none).
    Forced { number: &'static str, outcome: Outcome },
    /// Differs from run to run, and the texts say so.
    Varies { number: &'static str, outcome: Outcome },
}

impl Claim {
    /// The number as the texts write it ("" for none).
    pub fn number(self) -> &'static str {
        match self {
            Claim::Given(n) | Claim::Forced { number: n, .. } | Claim::Varies { number: n, .. } => n,
        }
    }
}
