//! What went wrong in a run, kept structured so each view words it in its language
//! (`describe::problem`).

use crate::engine::{Fault, Side};

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
}
