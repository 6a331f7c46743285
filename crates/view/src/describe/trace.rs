//! A traced run's facts in words: the programs, how they ended, the calls they made, a loop's
//! empty reads, why tracing could not start.

use crate::facts::trace::{Output, ProgramEnd, Role, StopCause, TraceFact, TraceFailure};
use crate::facts::trace::{PtraceBlock, SysCall};
use crate::facts::Side;
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
        TraceFact::Output { .. } | TraceFact::LaneCalls { .. } => return None,
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
            &[("calls", calls), ("cap", &format!("{} B", crate::i18n::grouped(*cap)))],
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

/// The calls of a lane as its title names them: `sendto()`, or `write() / sendto()`.
pub fn lane_calls(calls: &[SysCall]) -> String {
    calls
        .iter()
        .map(|c| format!("{}()", c.name()))
        .collect::<Vec<_>>()
        .join(" / ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::OsError;

    fn os() -> OsError {
        OsError {
            kind: "ConnectionReset".into(),
            code: Some(104),
            words: "Xyzzy plugh (os error 104)".into(),
        }
    }

    fn every_failure() -> Vec<TraceFailure> {
        let command = || "python3".to_string();
        let all = vec![
            TraceFailure::NeedsLinux,
            TraceFailure::NoCommand,
            TraceFailure::NotFound { command: command() },
            TraceFailure::NotExecutable { command: command() },
            TraceFailure::Spawn {
                command: command(),
                error: os(),
            },
            TraceFailure::Exec {
                command: command(),
                status: Some(127),
            },
            TraceFailure::Input {
                path: "/x".into(),
                error: os(),
            },
            TraceFailure::PtraceRefused {
                error: os(),
                block: PtraceBlock::YamaScope(3),
            },
            TraceFailure::PtraceRefused {
                error: os(),
                block: PtraceBlock::NoCapSysPtrace,
            },
            TraceFailure::PtraceRefused {
                error: os(),
                block: PtraceBlock::Unknown,
            },
        ];
        for f in &all {
            // a new variant fails to compile here until it has a sample above
            match f {
                TraceFailure::NeedsLinux | TraceFailure::NoCommand | TraceFailure::NotFound { .. } => {}
                TraceFailure::NotExecutable { .. } | TraceFailure::Spawn { .. } | TraceFailure::Exec { .. } => {}
                TraceFailure::Input { .. } | TraceFailure::PtraceRefused { .. } => {}
            }
        }
        all
    }

    fn every_fact() -> Vec<TraceFact> {
        let role = Role::Client(1);
        let all = vec![
            TraceFact::Started {
                at_us: 1,
                role,
                pid: 7,
                command: vec!["python3".into(), "c.py".into()],
            },
            TraceFact::ServerReady {
                at_us: 1,
                addr: "127.0.0.1:8080".into(),
            },
            TraceFact::Ended {
                at_us: 1,
                role: Role::Server,
                pid: 7,
                end: ProgramEnd::Signaled {
                    signal: 15,
                    core: false,
                },
                stopped: Some(StopCause::ClientsDone),
            },
            TraceFact::Ended {
                at_us: 1,
                role: Role::Program,
                pid: 7,
                end: ProgramEnd::Signaled { signal: 11, core: true },
                stopped: None,
            },
            TraceFact::Ended {
                at_us: 1,
                role,
                pid: 7,
                end: ProgramEnd::Exited { code: 1 },
                stopped: Some(StopCause::Timeout),
            },
            TraceFact::Calls {
                role,
                counts: vec![(SysCall::SendTo, 3)],
            },
            TraceFact::EmptyReads {
                side: Side::TcpReceiver,
                conn: 0,
                call: SysCall::RecvFrom,
                count: 145_000,
                first_us: 0,
                last_us: 500_000,
            },
            TraceFact::EmptyReads {
                side: Side::TcpReceiver,
                conn: 0,
                call: SysCall::RecvFrom,
                count: 1,
                first_us: 0,
                last_us: 0,
            },
            TraceFact::EmptyWrites {
                side: Side::TcpReceiver,
                conn: 0,
                call: SysCall::SendTo,
                count: 9,
            },
            TraceFact::BytesCapped { cap: 1 << 20, calls: 2 },
            TraceFact::CallFailed {
                at_us: 1,
                role,
                call: SysCall::RecvFrom,
                fd: 3,
                error: os(),
            },
            TraceFact::MoreFailures { count: 5 },
            TraceFact::ClientNotStarted {
                role,
                failure: TraceFailure::NotFound { command: "x".into() },
            },
            TraceFact::NotDrawn {
                role,
                family: "?".into(),
                calls: 1,
            },
        ];
        for f in &all {
            match f {
                TraceFact::Started { .. } | TraceFact::ServerReady { .. } | TraceFact::Ended { .. } => {}
                TraceFact::Calls { .. } | TraceFact::EmptyReads { .. } | TraceFact::EmptyWrites { .. } => {}
                TraceFact::BytesCapped { .. } | TraceFact::CallFailed { .. } | TraceFact::MoreFailures { .. } => {}
                TraceFact::ClientNotStarted { .. } | TraceFact::NotDrawn { .. } => {}
                TraceFact::Output { .. } | TraceFact::LaneCalls { .. } => unreachable!("shown elsewhere"),
            }
        }
        all
    }

    fn both(what: &str, en: &str, zh: &str) {
        assert!(!en.is_empty() && !zh.is_empty(), "{what}: empty");
        assert_ne!(en, zh, "{what}: the Chinese is the English");
        assert!(
            !en.contains('{') && !zh.contains('{'),
            "{what}: a placeholder left: {en} / {zh}"
        );
    }

    #[test]
    fn every_trace_failure_and_fact_reads_in_both_languages() {
        for f in every_failure() {
            both(
                &format!("{f:?}"),
                &trace_failure(&f, Lang::En),
                &trace_failure(&f, Lang::Zh),
            );
        }
        for f in every_fact() {
            let (en, zh) = (fact(&f, Lang::En), fact(&f, Lang::Zh));
            both(
                &format!("{f:?}"),
                en.as_deref().unwrap_or(""),
                zh.as_deref().unwrap_or(""),
            );
        }
    }

    #[test]
    fn a_refused_ptrace_names_the_setting_or_the_capability() {
        let yama = trace_failure(&every_failure()[7], Lang::En);
        assert!(yama.contains("kernel.yama.ptrace_scope is 3"), "{yama}");
        let cap = trace_failure(&every_failure()[8], Lang::Zh);
        assert!(cap.contains("CAP_SYS_PTRACE"), "{cap}");
    }

    #[test]
    fn the_spin_is_said_with_its_exact_count() {
        let spin = fact(&every_fact()[6], Lang::En).unwrap_or_default();
        assert!(spin.contains("recvfrom() returned 0 bytes 145,000 times"), "{spin}");
        assert!(spin.contains("never checks"), "{spin}");
    }
}
