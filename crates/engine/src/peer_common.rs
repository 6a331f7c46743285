//! What `listen` and `send` share: the options a listen reads with, the replies counted while
//! the app's sender runs, and the bound address of a listening socket.

use std::net::SocketAddr;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

use socket2::Socket;

use crate::config::Experiment;
use crate::framing::FramingMode;

use super::{setup, EngineError, SetupCall, SocketRole};

/// How long the app's sender keeps reading a server's replies after its last write, when the
/// server neither replies nor closes. The seed's servers close as soon as they read end of
/// stream, so this is only reached by servers that keep the connection open.
pub const REPLY_GRACE: Duration = Duration::from_secs(1);

/// How `listen` reads what an external client sends.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ListenOptions {
    /// Decoder run over the reads (`None` = raw stream, reads only).
    pub framing: FramingMode,
    /// The `N` of `recv(N)` (or `recvfrom(N)` for UDP).
    pub read_size: u32,
    /// Largest frame the decoder accepts.
    pub max_frame_len: u32,
    /// Width and byte order of the `u32` / `naive-u32` length prefix.
    pub length_prefix: crate::framing::LengthPrefix,
    /// Send each read (TCP) or datagram (UDP) back upper-cased, like the seed's echo servers,
    /// whose clients wait for an answer before they send again.
    pub echo: bool,
    /// UDP only: end this long after the last datagram (UDP has no "peer closed").
    pub idle_ms: u64,
    /// TCP only, with `echo`: cut each reply adversarially ([`super::reply_cuts::ReplyCut`]: one
    /// byte per write, header apart from body, two replies in one write), so a client that
    /// reads a reply with one `recv()` is caught ("test your client").
    pub torture: bool,
    /// TCP only: end once this many clients were served (sent data and closed their end with
    /// every frame whole); 0 = serve until stopped. Clients that send nothing, reset, or send
    /// what cannot be decoded are reported and not counted.
    pub clients: u32,
    /// TCP only: the line a client turned away (all [`MAX_CLIENTS_AT_ONCE`] places taken by
    /// clients that are sending) reads before its connection closes. The front end words it
    /// in the user's language; the engine sends it as it is.
    pub refusal: &'static str,
}

impl ListenOptions {
    /// The experiment a recording of this session is saved with (only receiver fields matter).
    pub fn as_experiment(&self, udp: bool) -> Experiment {
        let mut exp = Experiment {
            transports: if udp {
                crate::config::Transports::Udp
            } else {
                crate::config::Transports::Tcp
            },
            framing: self.framing,
            max_frame_len: self.max_frame_len,
            length_prefix: self.length_prefix,
            ..Experiment::default()
        };
        exp.receiver.read_size = self.read_size;
        exp.receiver.start_delay_ms = 0;
        exp.udp.read_size = self.read_size;
        exp.udp.start_delay_ms = 0;
        exp
    }
}

/// Bytes (and, for UDP, datagrams) an external server sent back while the app's sender ran.
#[derive(Debug, Default)]
pub struct Replies {
    pub bytes: AtomicU64,
    pub datagrams: AtomicU64,
}

pub(crate) fn local(socket: &Socket) -> Result<SocketAddr, EngineError> {
    let addr = socket.local_addr().map_err(setup(SetupCall::LocalAddr {
        role: SocketRole::Listener,
    }))?;
    addr.as_socket().ok_or(EngineError::NotIpv4 {
        role: SocketRole::Listener,
    })
}
