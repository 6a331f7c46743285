//! What went wrong in a run, kept structured so each view words it in its language
//! (`describe::problem`).

use crate::facts::{Fault, Side};

/// Something that went wrong in a run, kept structured so each view can word it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub side: Side,
    pub kind: ProblemKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProblemKind {
    /// The peer closed or reset the connection before the run was done.
    PeerClosed(Fault),
    /// A socket call, a protocol step or the capture failed.
    Failed(Fault),
    /// A `listen` client that was not simply served: it sent nothing, reset, sent a header the
    /// decoder cannot accept, was turned away, or was still connected at the end.
    Client(Box<super::ClientRec>),
    /// An event stamped before its cause (a read before its write, …): the picture would lie
    /// here, so it is said (design.md §7).
    Causality(super::Violation),
}

/// The side whose stamp came out on the wrong side of its cause.
pub(super) fn violation_side(v: &super::Violation) -> Side {
    use super::ViolationKind as K;
    match v.kind {
        K::ReadBeforeWrite | K::FrameBeforeRead => Side::TcpReceiver,
        K::SegmentBeforeWrite | K::SegmentAfterRead | K::AckBeforeSegment => Side::Capture,
        K::DatagramBeforeSent => Side::UdpReceiver,
    }
}
