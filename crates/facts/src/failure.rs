//! Failures before or around a run, as typed facts: which call on which socket failed while a
//! run was being set up, and which operation on which file. Like [`fact`](super::fact) for the
//! run itself (and trippy's `IoOperation`): the OS's error is kept as data, and `describe`
//! words the rest per language, so no sentence of ours reaches a user in only one language.

use std::io;
use std::net::SocketAddr;

use serde::{Deserialize, Serialize};

use crate::config::SettingError;

use super::fact::{LinkFailure, OsError};
use super::ids::SockOpt;

/// The socket a start-up call was made on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SocketRole {
    /// The TCP receiver's listening socket (or `listen`'s).
    Listener,
    /// The TCP sender's socket.
    Sender,
    /// A client socket of a many-connections run.
    Client,
    UdpReceiver,
    UdpSender,
    /// `listen --udp`'s socket.
    UdpSocket,
}

/// A socket call of a run's start-up, with what it was asked to do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "call")]
pub enum SetupCall {
    /// `socket()`.
    Socket { role: SocketRole },
    /// `setsockopt()` of one option.
    SetOpt { role: SocketRole, opt: SetupOpt },
    /// `bind()` to `addr` (port 0: any free port).
    Bind { role: SocketRole, addr: SocketAddr },
    /// `listen()`.
    Listen,
    /// `connect()` to `addr`.
    Connect { role: SocketRole, addr: SocketAddr },
    /// `accept()` of the app's own sender.
    Accept,
    /// `getsockname()`: the address the kernel bound.
    LocalAddr { role: SocketRole },
    /// Duplicating the socket (`dup()`), one handle for the writer and one for the reader.
    Dup { role: SocketRole },
}

/// A socket option set while starting a run: the ones a run reads back ([`SockOpt`]) and
/// the ones it only needs to run (timeouts, address reuse, non-blocking accept).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SetupOpt {
    Shown(SockOpt),
    SndTimeo,
    RcvTimeo,
    ReuseAddr,
    /// `O_NONBLOCK` (set with `fcntl()`, not `setsockopt()`).
    NonBlocking,
}

/// An operation on a file (or on stdin/stdout) that can fail.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileOp {
    /// `open()` to read.
    Open,
    /// `read()`.
    Read,
    /// Inflating a gzip file: its bytes are not a valid gzip stream.
    Inflate,
    /// `open()` to write (create or truncate).
    Create,
    /// `write()` (and the final flush).
    Write,
}

/// Where a file operation went: a path, or the standard streams.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "to", content = "path")]
pub enum FileTarget {
    Path(String),
    Stdin,
    Stdout,
}

/// A file operation that failed, with the OS's (or the gzip decoder's) own words.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{op:?} {target:?}: {}", error.words)]
pub struct FileFailure {
    pub op: FileOp,
    pub target: FileTarget,
    pub error: OsError,
}

impl FileFailure {
    pub fn new(op: FileOp, path: &std::path::Path, e: &io::Error) -> Self {
        Self {
            op,
            target: FileTarget::Path(path.display().to_string()),
            error: e.into(),
        }
    }

    /// `map_err(FileFailure::on(FileOp::Write, path))`.
    pub fn on(op: FileOp, path: &std::path::Path) -> impl Fn(io::Error) -> Self + '_ {
        move |e| Self::new(op, path, &e)
    }

    pub fn std(op: FileOp, target: FileTarget, e: &io::Error) -> Self {
        Self {
            op,
            target,
            error: e.into(),
        }
    }
}

/// Why a run has no packets to export as pcapng.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NoPackets {
    /// The segment capture did not run, for this reason.
    Unavailable(super::fact::CaptureUnavailable),
    /// An older recording kept where segments were, not their packets.
    PositionsOnly,
    /// The capture ran and saw no data segment.
    NoSegments,
}

/// Why no pcapng was written, as typed data (here, below `describe`, which words it with
/// `pcapng_error`; `export::pcapng` writes the file).
#[derive(Debug, thiserror::Error)]
pub enum PcapngError {
    #[error("no packets to export: {0:?}")]
    NoPackets(NoPackets),
    #[error(transparent)]
    Write(#[from] FileFailure),
}

/// Why a run could not start, as typed data; `describe::engine_error` words it. The `Display`
/// text is for logs only (English, terse): front ends show the described words.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// Worded by `describe::setting_error`; this message only names the field.
    #[error("invalid setting --{}", .0.field.flag())]
    Setting(SettingError),
    /// A socket call of the start-up failed.
    #[error("{call:?}: {}", error.words)]
    Setup { call: SetupCall, error: OsError },
    /// `getsockname()` gave an address that is not IPv4 (or not IP at all), which a socket
    /// bound to 127.0.0.1 (or to an IP address) never should.
    #[error("{role:?}: local address is not IPv4")]
    NotIpv4 { role: SocketRole },
    /// A many-connections run accepted a connection from none of its own clients.
    #[error("accepted a connection from {peer}, none of the run's clients")]
    UnexpectedPeer { peer: std::net::SocketAddr },
    #[error("std::thread::spawn: {}", .0.words)]
    Thread(OsError),
    /// A link run could not start; worded by `describe::link_failure`.
    #[error("the link could not be set up: {0:?}")]
    Link(LinkFailure),
    /// A traced run could not start; worded by `describe::trace::trace_failure`.
    #[error("the programs could not be traced: {0:?}")]
    Trace(crate::trace::TraceFailure),
}

// Not `#[from]`: that would make the setting error a `source`, and it is data, not an error
// with words of its own.
impl From<SettingError> for EngineError {
    fn from(e: SettingError) -> Self {
        EngineError::Setting(e)
    }
}

/// Why a listen did not start: which step failed, so each front end can say it.
#[derive(Debug, thiserror::Error)]
pub enum ListenError {
    #[error("cannot listen")]
    Listen(#[source] EngineError),
    #[error("cannot bind")]
    Bind(#[source] EngineError),
    #[error(transparent)]
    Start(#[from] EngineError),
}
