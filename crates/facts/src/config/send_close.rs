//! The settings of the course's last two lessons (issue 32): how the program treats what
//! `send()` returns, and restarting a server on the port it just closed.

use serde::{Deserialize, Serialize};

/// What the sending program does with the count `send()` returns.
///
/// The sender's socket has a send timeout (`SO_SNDTIMEO`, 20 ms: `engine::sock::POLL`), as
/// Python's `settimeout()` gives one (it makes the socket non-blocking and waits with `poll`).
/// A `send()` that cannot put the whole buffer in the send buffer before the timeout returns
/// how many bytes it took: fewer than asked, a *short write*. Nothing is lost by TCP: the bytes
/// taken are delivered, the rest simply was never handed to the kernel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum SendCall {
    /// `sendall()`: `send()` again for the rest until every byte is taken.
    #[default]
    Sendall,
    /// One `send()` per piece, its count ignored: the bytes it did not take are never sent, and
    /// the next message follows right after the bytes it did.
    Send,
}

impl SendCall {
    pub const ALL: [SendCall; 2] = [SendCall::Sendall, SendCall::Send];

    pub fn name(self) -> &'static str {
        match self {
            Self::Sendall => "sendall",
            Self::Send => "send",
        }
    }

    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

/// The address-in-use run: a server and a client exchange a message, the server closes first,
/// and a second server binds the same port at once.
///
/// The side that closes first keeps the connection in TIME_WAIT (about 60 s on Linux,
/// `TCP_TIMEWAIT_LEN`), so that a late segment of this connection cannot be taken for one of
/// a new connection between the same two ports, and so that it can answer the peer's FIN again
/// should its last ACK be lost. While it does, its local port is in use: `bind()` to it fails
/// with `EADDRINUSE` unless `SO_REUSEADDR` is set before `bind()`, on Linux on the socket that
/// closed (a TIME_WAIT socket keeps the option of the socket it came from) and on the new one.
/// `SO_REUSEADDR` never lets a second socket bind a port a socket still listens on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Restart {
    /// `SO_REUSEADDR` before `bind()` on both servers (the course's fix).
    pub reuse_addr: bool,
}
