//! A traced run's facts in words: the programs, how they ended, the calls they made, a loop's
//! empty reads, why tracing could not start.

use crate::engine::trace::{Output, ProgramEnd, Role, StopCause, TraceFact, TraceFailure};
use crate::engine::trace::{PtraceBlock, SysCall};
use crate::engine::Side;
use crate::i18n::{t, tf, Lang, S};

use super::os_error;

/// "server", "client 2", "program".
pub fn role(r: Role, lang: Lang) -> String {
    match r {
        Role::Program => t(lang, S::TraceRoleProgram).into(),
        Role::Server => t(lang, S::TraceRoleServer).into(),
        Role::Client(n) => tf(lang, S::TraceRoleClient, &[("n", &(n + 1))]),
    }
}

/// Linux's name of an errno (the tracer is Linux's), with its number: `ECONNRESET (104)`.
pub fn errno_name(code: i32) -> String {
    let name = match code {
        1 => "EPERM",
        4 => "EINTR",
        9 => "EBADF",
        11 => "EAGAIN",
        22 => "EINVAL",
        32 => "EPIPE",
        88 => "ENOTSOCK",
        90 => "EMSGSIZE",
        98 => "EADDRINUSE",
        101 => "ENETUNREACH",
        103 => "ECONNABORTED",
        104 => "ECONNRESET",
        107 => "ENOTCONN",
        110 => "ETIMEDOUT",
        111 => "ECONNREFUSED",
        113 => "EHOSTUNREACH",
        115 => "EINPROGRESS",
        _ => return format!("errno {code}"),
    };
    format!("{name} ({code})")
}

/// A signal's name: `SIGSEGV (11)`.
fn signal_name(signal: i32) -> String {
    let name = match signal {
        1 => "SIGHUP",
        2 => "SIGINT",
        4 => "SIGILL",
        6 => "SIGABRT",
        7 => "SIGBUS",
        8 => "SIGFPE",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        13 => "SIGPIPE",
        15 => "SIGTERM",
        _ => return format!("signal {signal}"),
    };
    format!("{name} ({signal})")
}

/// Why tracing could not start.
pub fn trace_failure(f: &TraceFailure, lang: Lang) -> String {
    match f {
        TraceFailure::NeedsLinux => t(lang, S::TraceNeedsLinux).into(),
        TraceFailure::NoCommand => t(lang, S::TraceNoCommand).into(),
        TraceFailure::NotFound { command } => tf(lang, S::TraceNotFound, &[("command", command)]),
        TraceFailure::NotExecutable { command } => tf(lang, S::TraceNotExecutable, &[("command", command)]),
        TraceFailure::Spawn { command, error } => tf(
            lang,
            S::TraceSpawn,
            &[("command", command), ("error", &os_error(error, lang))],
        ),
        TraceFailure::Exec { command, status } => tf(
            lang,
            S::TraceExec,
            &[
                ("command", command),
                ("status", &status.map_or_else(|| "-".to_string(), |s| s.to_string())),
            ],
        ),
        TraceFailure::Input { path, error } => tf(
            lang,
            S::TraceInput,
            &[("path", path), ("error", &os_error(error, lang))],
        ),
        TraceFailure::PtraceRefused { error, block } => {
            let how = match block {
                PtraceBlock::YamaScope(v) => tf(lang, S::TraceHowYama, &[("value", v)]),
                PtraceBlock::NoCapSysPtrace => t(lang, S::TraceHowCap).into(),
                PtraceBlock::Unknown => t(lang, S::TraceHowUnknown).into(),
            };
            tf(
                lang,
                S::TracePtraceRefused,
                &[("error", &os_error(error, lang)), ("how", &how)],
            )
        }
    }
}

/// How a program ended, and whether stickyviz stopped it.
pub fn program_end(r: Role, end: ProgramEnd, stopped: Option<StopCause>, lang: Lang) -> String {
    let who = role(r, lang);
    let how = match end {
        ProgramEnd::Exited { code } => tf(lang, S::TraceExited, &[("role", &who), ("code", &code)]),
        ProgramEnd::Signaled { signal, core: true } => tf(
            lang,
            S::TraceCrashed,
            &[("role", &who), ("signal", &signal_name(signal))],
        ),
        ProgramEnd::Signaled { signal, core: false } => tf(
            lang,
            S::TraceSignaled,
            &[("role", &who), ("signal", &signal_name(signal))],
        ),
    };
    match stopped {
        None => how,
        Some(cause) => {
            let why = t(
                lang,
                match cause {
                    StopCause::ClientsDone => S::TraceStoppedClientsDone,
                    StopCause::Timeout => S::TraceStoppedTimeout,
                    StopCause::Stopped => S::TraceStoppedStop,
                    StopCause::ServerNeverBound => S::TraceStoppedNeverBound,
                },
            );
            format!("{how} {why}")
        }
    }
}

fn side(s: Side, lang: Lang) -> String {
    t(
        lang,
        match s {
            Side::TcpSender | Side::UdpSender => S::TraceSideClient,
            _ => S::TraceSideServer,
        },
    )
    .into()
}

/// One fact in a line, or None for one shown elsewhere (output, starts).
pub fn fact(f: &TraceFact, lang: Lang) -> Option<String> {
    Some(match f {
        TraceFact::Started {
            role: r, pid, command, ..
        } => tf(
            lang,
            S::TraceStarted,
            &[("role", &role(*r, lang)), ("command", &command.join(" ")), ("pid", pid)],
        ),
        TraceFact::ServerReady { at_us, addr } => tf(
            lang,
            S::TraceServerReady,
            &[("addr", addr), ("ms", &format!("{:.1}", *at_us as f64 / 1000.0))],
        ),
        TraceFact::Ended {
            role: r, end, stopped, ..
        } => program_end(*r, *end, *stopped, lang),
        TraceFact::Output { .. } => return None,
        TraceFact::Calls { role: r, counts } => {
            let list: Vec<String> = counts.iter().map(|(c, n)| format!("{} ×{n}", c.name())).collect();
            tf(
                lang,
                S::TraceCalls,
                &[("role", &role(*r, lang)), ("calls", &list.join(", "))],
            )
        }
        TraceFact::EmptyReads {
            side: s,
            conn,
            call,
            count,
            first_us,
            last_us,
        } => {
            let (side, conn, call) = (side(*s, lang), conn + 1, call.name());
            if *count > 1 {
                tf(
                    lang,
                    S::TraceEmptyReadsSpin,
                    &[
                        ("side", &side),
                        ("conn", &conn),
                        ("call", &call),
                        ("count", &crate::i18n::grouped(*count)),
                        (
                            "ms",
                            &format!("{:.1}", last_us.saturating_sub(*first_us) as f64 / 1000.0),
                        ),
                    ],
                )
            } else {
                tf(
                    lang,
                    S::TraceEmptyReadOnce,
                    &[("side", &side), ("conn", &conn), ("call", &call)],
                )
            }
        }
        TraceFact::EmptyWrites {
            side: s,
            conn,
            call,
            count,
        } => tf(
            lang,
            S::TraceEmptyWrites,
            &[
                ("side", &side(*s, lang)),
                ("conn", &(conn + 1)),
                ("call", &call.name()),
                ("count", &crate::i18n::grouped(*count)),
            ],
        ),
        TraceFact::BytesCapped { cap, calls } => tf(
            lang,
            S::TraceBytesCapped,
            &[("calls", calls), ("cap", &crate::export::units::bytes(*cap))],
        ),
        TraceFact::CallFailed {
            role: r,
            call,
            fd,
            error,
            ..
        } => tf(
            lang,
            S::TraceCallFailed,
            &[
                ("role", &role(*r, lang)),
                ("call", &call.name()),
                ("fd", fd),
                ("errno", &error.code.map_or_else(|| "-".into(), errno_name)),
                ("error", &os_error(error, lang)),
            ],
        ),
        TraceFact::MoreFailures { count } => tf(lang, S::TraceMoreFailures, &[("count", count)]),
        TraceFact::ClientNotStarted { role: r, failure } => tf(
            lang,
            S::TraceClientNotStarted,
            &[("role", &role(*r, lang)), ("why", &trace_failure(failure, lang))],
        ),
        TraceFact::NotDrawn { role: r, .. } => tf(lang, S::TraceNotDrawn, &[("role", &role(*r, lang))]),
    })
}

/// The header above a program's output: "server, stdout:".
pub fn output_header(r: Role, output: Output, lang: Lang) -> String {
    let which = match output {
        Output::Stdout => "stdout",
        Output::Stderr => "stderr",
    };
    tf(
        lang,
        S::TraceOutputHeader,
        &[("role", &role(r, lang)), ("output", &which)],
    )
}

/// Names a call as the lanes do: `recvfrom()`.
pub fn call_name(c: SysCall) -> String {
    format!("{}()", c.name())
}
