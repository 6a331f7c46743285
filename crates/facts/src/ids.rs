//! Where a fact sits: its place in the byte stream, its message, its socket, the socket option
//! it is about. Every other fact names these, so they sit below all of them.

use serde::{Deserialize, Serialize};

/// A position in the TCP byte stream: byte 0 is the first byte the sender wrote.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
#[serde(transparent)]
pub struct StreamOffset(pub u64);

/// The index of a message in the workload (0-based, in sending order).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
#[serde(transparent)]
pub struct MsgId(pub u32);

impl std::fmt::Display for MsgId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "m{}", self.0)
    }
}

/// Which end of the connection an event comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Side {
    TcpSender,
    TcpReceiver,
    UdpSender,
    UdpReceiver,
    Capture,
}

/// A socket option the run set or read back.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SockOpt {
    /// `TCP_NODELAY`: 1 = Nagle off.
    TcpNodelay,
    /// `TCP_CORK`: 1 = writes held until uncorked.
    TcpCork,
    /// `SO_SNDBUF`: the kernel doubles what is asked (for its own bookkeeping).
    SndBuf,
    /// `SO_RCVBUF`: the kernel doubles what is asked.
    RcvBuf,
    /// TCP maximum segment size of the connection.
    Mss,
}
