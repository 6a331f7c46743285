//! What went wrong in a run, kept structured so each view words it in its language.

use crate::engine::Side;

/// Something that went wrong in a run, kept structured so each view can word it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub side: Side,
    pub kind: ProblemKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProblemKind {
    /// The peer closed or reset the connection before the run was done (the OS's words).
    PeerClosed(String),
    /// A socket call or the capture failed (the OS's or the engine's words).
    Failed(String),
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
        K::SegmentBeforeWrite | K::SegmentAfterRead => Side::Capture,
        K::DatagramBeforeSent => Side::UdpReceiver,
    }
}

/// Plain-English name of a side, for text output.
pub fn side_name(side: Side) -> &'static str {
    match side {
        Side::TcpSender => "TCP sender",
        Side::TcpReceiver => "TCP receiver",
        Side::UdpSender => "UDP sender",
        Side::UdpReceiver => "UDP receiver",
        Side::Capture => "segment capture",
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let side = side_name(self.side);
        match &self.kind {
            ProblemKind::PeerClosed(why) => write!(f, "{side}: the peer closed the connection early ({why})"),
            ProblemKind::Failed(why) => write!(f, "{side}: {why}"),
            ProblemKind::Client(c) => f.write_str(&crate::i18n::client_report(c, crate::i18n::Lang::En)),
            ProblemKind::Causality(v) => write!(f, "{side}: {}", crate::i18n::violation(v, crate::i18n::Lang::En)),
        }
    }
}
