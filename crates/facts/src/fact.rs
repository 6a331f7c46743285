//! Why something ended, failed or could not be observed, as typed data.
//!
//! The engine never writes a sentence: it records which call failed and the OS's error (its
//! kind, raw code and the OS's own words, kept as data), or which setup keeps the segment lane
//! empty. `describe` words these per language, so rewording a sentence never changes what a
//! recording holds, and a recording made in one language reads in the other.

use std::io;

use serde::{Deserialize, Serialize};

use super::ids::{MsgId, SockOpt};

/// An OS error as the kernel reported it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OsError {
    /// `std::io::ErrorKind` by name (`ConnectionReset`, `PermissionDenied`, …): what kind of
    /// failure, the same on every OS.
    pub kind: String,
    /// The raw OS code (`errno` on Linux and macOS, the `WSA…` code on Windows), if any.
    pub code: Option<i32>,
    /// The OS's own words for it, as Rust prints them (`Connection reset by peer (os error
    /// 104)`); data, not a sentence of ours, so it is shown as it is in every language.
    pub words: String,
}

impl From<&io::Error> for OsError {
    fn from(e: &io::Error) -> Self {
        Self {
            kind: format!("{:?}", e.kind()),
            code: e.raw_os_error(),
            words: e.to_string(),
        }
    }
}

/// A call (or step) of the engine that can fail.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "call")]
pub enum Call {
    Send,
    Recv,
    SendTo,
    RecvFrom,
    Accept,
    /// `setsockopt()` on an accepted client.
    SetSockOpt,
    /// Reading a socket option back (`getsockopt`), to show what the kernel really set.
    GetSockOpt {
        opt: SockOpt,
    },
    /// Clearing `TCP_CORK` after the last write, which lets the held bytes leave.
    Uncork,
    /// `send()` of a `listen --echo` reply.
    EchoSend,
    /// `sendto()` of a `listen --udp --echo` reply.
    EchoSendTo,
    /// Starting a thread.
    SpawnThread,
    /// Reading a segment from the capture socket.
    Capture,
    /// Reading the capture socket's drop count (`PACKET_STATISTICS`).
    PacketStatistics,
    /// A call named in a version-1 recording that this version has no variant for; the name
    /// as it was written then.
    Named {
        name: String,
    },
}

/// Why the segment lane has no captured segments.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "why")]
pub enum CaptureUnavailable {
    /// Opening an `AF_PACKET` socket was refused: it needs root or `CAP_NET_RAW`.
    NeedsPrivilege { error: OsError },
    /// The capture socket could not be opened for another reason.
    CannotOpen { error: OsError },
    /// The capture socket opened but could not be set up.
    Setup { error: OsError },
    /// The kernel refused to stamp captured packets (`SO_TIMESTAMPNS`).
    TimestampsRefused { error: OsError },
    /// The kernel does not stamp packets: segment times would be when the app read them, late.
    NoKernelTimestamps,
    /// `send` to a server that is not on loopback: `lo` does not carry its packets.
    OnlyLoopback,
    /// A many-clients run: several connections, one capture would mix them.
    ManyClients,
    /// `listen` learns the client's port only after the handshake, too late for the SYN.
    Listen,
    /// The reply direction of a request/response run: the capture follows the requests.
    Replies,
    /// Not Linux (macOS): no `AF_PACKET`; the wire lane shows the OS's packet count per write.
    NeedsLinuxCounts,
    /// Not Linux and no per-write segment count either (Windows): the wire lane stays empty.
    NeedsLinuxNoCounts,
    /// `trace`: the programs' packets are not captured (capture of a traced run is not built yet).
    Traced,
    /// A reason from a version-1 recording that this version does not recognise, as written.
    Text { text: String },
}

/// What went wrong on one side: a failed call, a peer that went away, or a protocol step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "fault")]
pub enum Fault {
    /// A call failed with an OS error.
    CallFailed { call: Call, error: OsError },
    /// The peer reset or broke the connection during a call; only the OS's words are shown.
    PeerGone { error: OsError },
    /// The HMAC handshake's answer did not match the key: the server closes the connection.
    HandshakeRefused,
    /// The server closed during the handshake before the client's answer was complete.
    HandshakeRefusedShort,
    /// The client closed before its handshake answer was complete.
    ClientClosedInHandshake,
    /// The server closed before sending its handshake challenge.
    ServerClosedBeforeChallenge,
    /// The server closed before replying to a request (e.g. after refusing the handshake).
    ServerClosedBeforeReply,
    /// `listen` closed a client's connection after a header it cannot decode.
    ClosedBadHeader,
    /// No random challenge for the handshake (the OS's random source failed).
    NoRandom { error: OsError },
    /// The handshake runs unframed, like the seed: the chosen framing is not used.
    HandshakeUnframed { framing: String },
    /// UDP datagram `msg` was not sent.
    DatagramNotSent { msg: MsgId, error: OsError },
    /// The capture stopped keeping segments after this many (memory bound).
    CaptureCapped { max: usize },
    /// A thread of the run panicked (a bug); which one.
    Panicked { thread: PanickedThread },
    /// A version-1 recording's words that this version does not recognise, as written.
    Text { text: String },
    /// The child process of a link run ended without finishing its run: killed, crashed, or
    /// it wrote what this version cannot read. `status`: its exit code, if it exited.
    LinkChildEnded { status: Option<i32> },
}

/// Why a link run (`--link`) could not start; nothing ran. The CLI exits with status 2.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "why")]
pub enum LinkFailure {
    /// A link needs Linux's network namespaces and `tc`: Windows and macOS have neither.
    NeedsLinux,
    /// The kernel refused a network namespace of our own; `block` is what the kernel's
    /// settings say about it, which decides how to allow it.
    NamespaceRefused {
        step: NamespaceStep,
        error: OsError,
        block: NamespaceBlock,
    },
    /// `ip` or `tc` (iproute2) is not installed.
    ToolMissing { tool: String },
    /// `ip` or `tc` refused the configuration: the command line and what it printed, as data.
    ToolFailed {
        command: String,
        status: Option<i32>,
        output: String,
    },
    /// Delay or loss was asked for, and this kernel has no `sch_netem` module.
    NetemMissing,
    /// The child process could not be started, or ended before it said whether it was ready.
    ChildFailed {
        status: Option<i32>,
        error: Option<OsError>,
    },
}

/// The step of entering the namespace that failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NamespaceStep {
    /// `unshare(CLONE_NEWUSER | CLONE_NEWNET)` (or `CLONE_NEWNET` as root).
    Unshare,
    /// Writing the new user namespace's uid/gid map.
    IdMap,
    /// Configuring `lo` inside it (`ip link set lo up`): refused although the namespace was
    /// created, which is what AppArmor's restriction does.
    Loopback,
}

/// What the kernel's settings say about unprivileged user namespaces, read when one was
/// refused (each names the sysctl that allows it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NamespaceBlock {
    /// `kernel.unprivileged_userns_clone = 0` (Debian's switch).
    UnprivilegedUsernsClone,
    /// `user.max_user_namespaces = 0`.
    MaxUserNamespacesZero,
    /// `ENOSPC`: the limit of user or network namespaces (`user.max_user_namespaces`,
    /// `user.max_net_namespaces`) is reached here.
    NamespaceLimit,
    /// `kernel.apparmor_restrict_unprivileged_userns = 1` (Ubuntu 23.10 and later).
    AppArmor,
    /// No setting explains it (a container's seccomp filter, for one).
    Unknown,
}

/// The thread whose panic a [`Fault::Panicked`] reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PanickedThread {
    Worker,
    Capture,
    Client,
}

impl Fault {
    /// `call` failed with `e`.
    pub fn call(call: Call, e: &io::Error) -> Self {
        Fault::CallFailed { call, error: e.into() }
    }
}
