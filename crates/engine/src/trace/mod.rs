//! `stickyviz trace`: the student's own programs, run under ptrace, on the lessons' picture.
//!
//! The programs run as they are (the course's Python files, a C program, bash's `/dev/tcp`);
//! their socket calls (`sendto`/`recvfrom`/`write`/`read`/…, `connect`/`accept`/`close`) are
//! recorded at entry and return on the run's clock, with the sizes asked and returned and the
//! bytes received, and become the events every lesson draws ([`streams`]). What is particular to
//! a traced run (the programs, their exits and output, call counts, a loop's empty reads) is a
//! [`TraceFact`].
//!
//! ptrace is Linux's: elsewhere [`start`] refuses with [`TraceFailure::NeedsLinux`] (exit 2).

#[cfg(all(target_os = "linux", any(target_arch = "x86_64", target_arch = "aarch64")))]
mod procnet;
#[cfg(all(target_os = "linux", any(target_arch = "x86_64", target_arch = "aarch64")))]
mod ptrace;
pub mod streams;

use std::path::{Path, PathBuf};
use std::time::Duration;

pub use stickyviz_facts::trace::{Output, ProgramEnd, PtraceBlock, Role, StopCause, SysCall, TraceFact, TraceFailure};
pub use streams::{Decode, FramedAxes};

use super::sink::Wake;
use super::{EngineError, Run};

/// The argument that makes `stickyviz` the traced program's first step (see `main.rs`): it
/// asks to be traced, then becomes the program (`exec`). Never typed by a person.
pub const CHILD_COMMAND: &str = "__trace-child";

/// `__trace-child` exits with this plus the errno when `PTRACE_TRACEME` is refused (200 + 1 for
/// `EPERM`): a status no `exec`ed program can give, since the program never started.
pub const REFUSED_EXIT_BASE: i32 = 200;

/// Bytes read out of the program per receiving call: a `recv(1 MiB)` is read whole, a
/// `recv(100 MiB)` only its first MiB (the cap is said, and that stream's decoder stops).
pub const BYTES_PER_CALL: u64 = 1024 * 1024;

/// How long a server may take to bind its socket before its clients start, unless
/// `--timeout-s` is shorter: a Python server binds in well under a second here.
pub const BIND_WAIT: Duration = Duration::from_secs(10);

/// What to trace.
#[derive(Clone, Debug, Default)]
pub struct TraceSpec {
    /// `trace -- CMD ARGS`: the one program (empty with `server`).
    pub program: Vec<String>,
    /// `--server`: started first; the clients start once it has bound its socket.
    pub server: Option<Vec<String>>,
    /// `--client` (repeatable).
    pub clients: Vec<Vec<String>>,
    pub server_input: Option<PathBuf>,
    pub client_input: Option<PathBuf>,
    pub decode: Decode,
    /// `--timeout-s`: every program is stopped then (what was recorded is kept).
    pub timeout: Option<Duration>,
    pub bind_wait: Duration,
    pub byte_cap: u64,
    /// The `stickyviz` binary that starts each program (`__trace-child`); None: this one. A
    /// test of the library sets it, being another binary.
    pub helper: Option<PathBuf>,
}

impl Default for Decode {
    fn default() -> Self {
        Self {
            framing: crate::framing::FramingMode::None,
            max_frame_len: crate::framing::DEFAULT_MAX_FRAME_LEN,
            prefix: crate::framing::LengthPrefix::default(),
            axes: FramedAxes::Both,
        }
    }
}

/// What forbids ptrace here, read when it was refused: the Yama setting and this process's
/// capabilities.
pub fn ptrace_block() -> PtraceBlock {
    let scope = std::fs::read_to_string("/proc/sys/kernel/yama/ptrace_scope")
        .ok()
        .and_then(|s| s.trim().parse::<u8>().ok());
    if let Some(s) = scope.filter(|s| *s >= 2) {
        return PtraceBlock::YamaScope(s);
    }
    let cap_eff = std::fs::read_to_string("/proc/self/status").ok().and_then(|s| {
        s.lines()
            .find_map(|l| l.strip_prefix("CapEff:"))
            .and_then(|v| u64::from_str_radix(v.trim(), 16).ok())
    });
    const CAP_SYS_PTRACE: u32 = 19;
    match cap_eff {
        Some(caps) if caps & (1 << CAP_SYS_PTRACE) == 0 => PtraceBlock::NoCapSysPtrace,
        _ => PtraceBlock::Unknown,
    }
}

/// Checks that `command` names a file this user may execute (here, or in a folder of `PATH`).
pub fn check_command(command: &str) -> Result<PathBuf, TraceFailure> {
    let candidates: Vec<PathBuf> = if command.contains('/') {
        vec![PathBuf::from(command)]
    } else {
        std::env::var_os("PATH")
            .map(|p| std::env::split_paths(&p).map(|d| d.join(command)).collect())
            .unwrap_or_default()
    };
    let mut found_file = false;
    for c in candidates {
        if c.is_file() {
            found_file = true;
            if executable(&c) {
                return Ok(c);
            }
        }
    }
    Err(if found_file {
        TraceFailure::NotExecutable {
            command: command.into(),
        }
    } else {
        TraceFailure::NotFound {
            command: command.into(),
        }
    })
}

#[cfg(unix)]
fn executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn executable(path: &Path) -> bool {
    path.is_file()
}

/// Starts the traced run: the first program is running (traced) when this returns.
#[cfg(all(target_os = "linux", any(target_arch = "x86_64", target_arch = "aarch64")))]
pub fn start(spec: &TraceSpec, wake: Option<Wake>) -> Result<Run, EngineError> {
    use std::sync::Arc;
    let timeout = spec.timeout.map(|t| std::time::Instant::now() + t);
    let spec = spec.clone();
    Run::start_with(wake, move |sp, stop, _capture_done| {
        let watch = Arc::new(ptrace::Watch::default());
        let (started_tx, started) = crossbeam_channel::bounded(1);
        let w = watch.clone();
        sp.spawn("trace", move |sink| {
            let mut tracer = ptrace::Tracer::new(spec, sink, w.clone());
            let result = tracer.start();
            let _caller_waits = started_tx.send(result);
            // after a failed start nothing is traced: this ends at once and lets the watchdog go
            tracer.run();
        })?;
        let (w, s) = (watch, stop.clone());
        sp.spawn("trace-watchdog", move |_| w.run(&s, timeout))?;
        match started.recv() {
            Ok(Ok(())) => Ok(()),
            Ok(Err(failure)) => Err(EngineError::Trace(failure)),
            Err(_) => Err(EngineError::Trace(TraceFailure::NoCommand)),
        }
    })
}

/// ptrace is Linux's (x86_64 and aarch64 here).
#[cfg(not(all(target_os = "linux", any(target_arch = "x86_64", target_arch = "aarch64"))))]
pub fn start(_spec: &TraceSpec, _wake: Option<Wake>) -> Result<Run, EngineError> {
    Err(EngineError::Trace(TraceFailure::NeedsLinux))
}

/// `stickyviz __trace-child CMD ARGS…`: asks to be traced by its parent, then becomes `CMD`
/// (the kernel stops it right after `exec`, before the program's first instruction).
/// Returns an exit status only when that failed.
#[cfg(all(target_os = "linux", any(target_arch = "x86_64", target_arch = "aarch64")))]
pub fn child_main(args: &[std::ffi::OsString]) -> u8 {
    use std::os::unix::process::CommandExt;
    if let Err(e) = nix::sys::ptrace::traceme() {
        return u8::try_from(REFUSED_EXIT_BASE + (e as i32).clamp(1, 54)).unwrap_or(255);
    }
    let Some((program, rest)) = args.split_first() else {
        return 127;
    };
    let error = std::process::Command::new(program).args(rest).exec();
    match error.kind() {
        std::io::ErrorKind::NotFound => 127,
        _ => 126,
    }
}

#[cfg(not(all(target_os = "linux", any(target_arch = "x86_64", target_arch = "aarch64"))))]
pub fn child_main(_args: &[std::ffi::OsString]) -> u8 {
    2
}
