//! What `stickyviz trace` records beside the calls themselves, as typed data (worded by
//! `describe::trace`): the programs, their ends and output, the calls they made by name, the
//! empty reads of a loop that never checks, the byte cap.
//!
//! The calls become the events every lesson uses (`Write`, `Read`, `Bytes`, `Frame`,
//! `DatagramSent`, …, with `Reply` for the server-to-client axis and `Conn` for a second
//! connection); these facts ride in [`crate::Event::Trace`]. Why tracing could not start at all
//! is a [`TraceFailure`].

use serde::{Deserialize, Serialize};

use crate::fact::OsError;
use crate::ids::Side;

/// Which of the traced programs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "role", content = "index")]
pub enum Role {
    /// `trace -- CMD`: the one program.
    Program,
    /// `--server`.
    Server,
    /// The `n`-th `--client` (0-based).
    Client(u32),
}

/// A system call the tracer records, by the name the program's code called (what `strace`
/// prints). Linux has no `send`/`recv` on x86_64: Python's `send()` is `sendto()`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SysCall {
    Send,
    SendTo,
    SendMsg,
    SendMmsg,
    Write,
    Writev,
    Recv,
    RecvFrom,
    RecvMsg,
    RecvMmsg,
    Read,
    Readv,
    Connect,
    Accept,
    Accept4,
    Bind,
    Listen,
    Shutdown,
    Close,
}

impl SysCall {
    /// The call's name as the kernel and `strace` spell it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Send => "send",
            Self::SendTo => "sendto",
            Self::SendMsg => "sendmsg",
            Self::SendMmsg => "sendmmsg",
            Self::Write => "write",
            Self::Writev => "writev",
            Self::Recv => "recv",
            Self::RecvFrom => "recvfrom",
            Self::RecvMsg => "recvmsg",
            Self::RecvMmsg => "recvmmsg",
            Self::Read => "read",
            Self::Readv => "readv",
            Self::Connect => "connect",
            Self::Accept => "accept",
            Self::Accept4 => "accept4",
            Self::Bind => "bind",
            Self::Listen => "listen",
            Self::Shutdown => "shutdown",
            Self::Close => "close",
        }
    }

    /// A call that hands bytes to the kernel.
    pub fn sends(self) -> bool {
        matches!(
            self,
            Self::Send | Self::SendTo | Self::SendMsg | Self::SendMmsg | Self::Write | Self::Writev
        )
    }

    /// A call that takes bytes from the kernel.
    pub fn receives(self) -> bool {
        matches!(
            self,
            Self::Recv | Self::RecvFrom | Self::RecvMsg | Self::RecvMmsg | Self::Read | Self::Readv
        )
    }
}

/// How a traced program ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "how")]
pub enum ProgramEnd {
    /// It exited with this status.
    Exited { code: i32 },
    /// A signal ended it (`core`: it dumped core: a crash).
    Signaled { signal: i32, core: bool },
}

/// Why stickyviz stopped a program rather than letting it end.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StopCause {
    /// Its clients had all ended: the server was asked to stop (SIGTERM, then SIGKILL).
    ClientsDone,
    /// `--timeout-s` passed.
    Timeout,
    /// Ctrl-C, SIGTERM, or the window's Stop.
    Stopped,
    /// The server never bound its socket within the time allowed, so no client was started.
    ServerNeverBound,
}

/// Which output of a program.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Output {
    Stdout,
    Stderr,
}

/// One fact of a traced run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "fact")]
pub enum TraceFact {
    /// The program `role` started as process `pid`, running `command` (its words).
    Started {
        at_us: u64,
        role: Role,
        pid: u32,
        command: Vec<String>,
    },
    /// The server bound its socket (`listen()` for TCP, `bind()` for UDP) at `addr`: the
    /// clients start now.
    ServerReady { at_us: u64, addr: String },
    /// Program `role` ended; `stopped`: stickyviz stopped it, and why.
    Ended {
        at_us: u64,
        role: Role,
        pid: u32,
        end: ProgramEnd,
        stopped: Option<StopCause>,
    },
    /// What program `role` printed (each piece as it came, lossy UTF-8), up to
    /// [`OUTPUT_KEPT`] bytes per program and output; `cut` bytes past it were dropped.
    Output {
        at_us: u64,
        role: Role,
        output: Output,
        text: String,
        #[serde(default, skip_serializing_if = "is_zero")]
        cut: u64,
    },
    /// The socket calls program `role` made, by name, and how many of each (at the end).
    Calls { role: Role, counts: Vec<(SysCall, u64)> },
    /// `call` on `side`'s end of connection `conn` returned 0 bytes `count` times, the first at
    /// `first_us`, the last at `last_us`: a stream socket's 0 means the peer closed, and a loop
    /// that reads on counts it again and again. Datagrams of 0 bytes are datagrams and are not
    /// counted here.
    EmptyReads {
        side: Side,
        conn: u32,
        call: SysCall,
        count: u64,
        first_us: u64,
        last_us: u64,
    },
    /// `call` sent 0 bytes on a stream `count` times (Python's `sendall(b'')` after an empty
    /// read): nothing went on the stream.
    EmptyWrites {
        side: Side,
        conn: u32,
        call: SysCall,
        count: u64,
    },
    /// `calls` calls moved more than `cap` bytes: only the first `cap` of each were read out of
    /// the program (`process_vm_readv`), so the decoder stopped on that stream.
    BytesCapped { cap: u64, calls: u64 },
    /// A call failed; the first [`ERRORS_KEPT`] are kept, `more` counts the rest at the end.
    CallFailed {
        at_us: u64,
        role: Role,
        call: SysCall,
        fd: i32,
        error: OsError,
    },
    /// More failed calls than were kept.
    MoreFailures { count: u64 },
    /// Client `role` could not be started (its command is missing, say): the others ran.
    ClientNotStarted { role: Role, failure: TraceFailure },
    /// The calls that wrote and read the stream this event belongs to (inside `Reply` for the
    /// reply axis, `Conn` for connection k), sent whenever a new one appears: the lanes say
    /// `sendto()` or `write()` rather than `send()`.
    LaneCalls { writes: Vec<SysCall>, reads: Vec<SysCall> },
    /// A socket the tracer could not follow (AF_UNIX stream ends it cannot pair, an address
    /// family it does not draw): its calls are counted, not drawn.
    NotDrawn { role: Role, family: String, calls: u64 },
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// Bytes of each program's stdout and of its stderr kept in the recording.
pub const OUTPUT_KEPT: u64 = 64 * 1024;

/// Failed calls kept as facts (a non-blocking loop's `EAGAIN`s are counted past it).
pub const ERRORS_KEPT: u64 = 200;

impl TraceFact {
    /// The fact's time, if it has one.
    pub fn at_us(&self) -> Option<u64> {
        match self {
            Self::Started { at_us, .. }
            | Self::ServerReady { at_us, .. }
            | Self::Ended { at_us, .. }
            | Self::Output { at_us, .. }
            | Self::CallFailed { at_us, .. } => Some(*at_us),
            Self::EmptyReads { last_us, .. } => Some(*last_us),
            Self::Calls { .. }
            | Self::EmptyWrites { .. }
            | Self::BytesCapped { .. }
            | Self::MoreFailures { .. }
            | Self::ClientNotStarted { .. }
            | Self::LaneCalls { .. }
            | Self::NotDrawn { .. } => None,
        }
    }
}

/// Why a traced run could not start; nothing ran (the CLI exits with status 2).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "why")]
pub enum TraceFailure {
    /// ptrace is Linux's (on x86_64 and aarch64 here): Windows and macOS have none.
    NeedsLinux,
    /// No command was given.
    NoCommand,
    /// The command is not a file here, nor in any folder of `PATH`.
    NotFound { command: String },
    /// The command is a file, but not one this user may execute.
    NotExecutable { command: String },
    /// The program could not be started.
    Spawn { command: String, error: OsError },
    /// The program did not start (`exec` failed in the child); its exit status.
    Exec { command: String, status: Option<i32> },
    /// An `--…-input` file could not be opened.
    Input { path: String, error: OsError },
    /// The kernel refused to let stickyviz trace its own child; `block` says what forbids it.
    PtraceRefused { error: OsError, block: PtraceBlock },
}

/// What forbids ptrace here, as read when it was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "block", content = "value")]
pub enum PtraceBlock {
    /// Yama's `kernel.yama.ptrace_scope` is this (2: only with `CAP_SYS_PTRACE`, 3: never).
    YamaScope(u8),
    /// This process lacks `CAP_SYS_PTRACE` (a container that drops it, or a seccomp filter).
    NoCapSysPtrace,
    /// Nothing here explains it.
    Unknown,
}
