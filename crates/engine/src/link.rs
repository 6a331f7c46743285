//! A run on a shaped link: the same engine, in a child process inside a network namespace of
//! its own, whose events come back over a pipe.
//!
//! ```text
//!   stickyviz (parent)                         stickyviz __link-child (child)
//!   ──────────────────                         ───────────────────────────────
//!   Run::start(exp with link) ──spawn──▶       reads the request (stdin, one JSON line)
//!     stdin:  {"experiment":…,"link":…,"clock_origin_unix_ns":…}\n
//!                                              unshare(CLONE_NEWUSER|CLONE_NEWNET), uid/gid map
//!                                              ip link set dev lo up mtu M
//!                                              tc qdisc add dev lo root … tbf rate R burst B limit Q
//!     stdout: {"msg":"ready"}\n   ◀──────      (or {"msg":"failed","failure":…} and exit 2)
//!                                              Run::start_on_clock(exp, parent's clock)
//!     stdout: {"msg":"events","events":[…]}\n  one line per batch, until the run finishes
//!   reader thread: each batch into the sink    exits 0
//!   Stop: closes the child's stdin ──────▶     stdin at EOF = Stop: the run stops, its last
//!         kills it 5 s later if still alive    events are written, the child exits
//! ```
//!
//! Why a child: a process can enter a new user namespace only while it has one thread, and
//! the app has many (the window, the capture). Why `ip`/`tc`: iproute2 is how every Linux
//! configures `lo` and its queueing discipline; reimplementing its netlink messages would be
//! our own, untested copy of it. The bucket's burst is one packet
//! ([`crate::config::Link::burst_bytes`]): the kernel's batches of segments (GSO, up to 64 KB,
//! which `lo` itself never cuts) are cut into single segments as they enter the queue, so the
//! wire lane shows every segment at its MSS, and a segment that finds the queue full is lost
//! after TCP handed it over, as on a router.
//!
//! The child stamps its events on the parent's clock (`CLOCK_REALTIME` is the same in every
//! network namespace), so the segments it captures, the writes and the reads line up with
//! anything the parent records. The child is put in a process group of its own: Ctrl-C in the
//! terminal reaches the parent only, which stops the child through its stdin and so keeps the
//! child's last events.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::config::Experiment;

use super::event::{Event, Fault, LinkFailure, Side};
use super::sink::{Clock, Wake};
use super::{EngineError, Run};

/// The hidden command line of the child: `stickyviz __link-child`.
pub const CHILD_COMMAND: &str = "__link-child";

/// The binary started as the child, when it is not this process's own (see
/// [`set_child_binary`]).
static CHILD_BINARY: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();

/// Names the `stickyviz` binary to start as a link run's child. The app needs none of this (it
/// starts itself); a program that links the library, such as a test, has no `__link-child` of
/// its own and passes the real binary here. The first call wins.
pub fn set_child_binary(path: impl Into<std::path::PathBuf>) {
    let _first_call_wins = CHILD_BINARY.set(path.into());
}

/// How long a stopped child may take to write its last events and exit before it is killed.
const STOP_GRACE: Duration = Duration::from_secs(5);

/// What the parent sends the child: one JSON line on its stdin.
#[derive(Serialize, Deserialize)]
struct Request {
    /// The experiment to run inside, its link taken out (the child runs on plain `lo`).
    experiment: Experiment,
    link: crate::config::Link,
    /// The parent's run clock origin, ns since the Unix epoch (fits u64 until 2554).
    clock_origin_unix_ns: u64,
}

/// What the child writes on its stdout, one JSON line each.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "msg")]
enum Message {
    /// The namespace and the link are set up; the run starts.
    Ready,
    /// Nothing ran; the child exits with status 2.
    Failed { failure: LinkFailure },
    /// A batch of the run's events, in the order the run produced them.
    Events { events: Vec<Event> },
}

/// Starts `exp` (which has a link) in a child process; returns once the child said the link is
/// up, or with [`EngineError::Link`] saying why it is not.
pub(crate) fn start(exp: &Experiment, wake: Option<Wake>) -> Result<Run, EngineError> {
    if !cfg!(target_os = "linux") {
        return Err(EngineError::Link(LinkFailure::NeedsLinux));
    }
    let child_failed = |error: &io::Error| {
        EngineError::Link(LinkFailure::ChildFailed {
            status: None,
            error: Some(error.into()),
        })
    };
    let exe = match CHILD_BINARY.get() {
        Some(path) => path.clone(),
        None => std::env::current_exe().map_err(|e| child_failed(&e))?,
    };
    let mut command = Command::new(exe);
    command
        .arg(CHILD_COMMAND)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        // Ctrl-C goes to the terminal's foreground group: the parent alone decides when the
        // child stops (through its stdin), so the child's last events are not lost.
        command.process_group(0);
    }
    let mut child = command.spawn().map_err(|e| child_failed(&e))?;
    let clock = Clock::start();
    let (Some(mut stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
        reap(&mut child);
        return Err(EngineError::Link(LinkFailure::ChildFailed {
            status: None,
            error: None,
        }));
    };
    let link = exp.link.unwrap_or_default();
    let request = Request {
        experiment: Experiment {
            link: None,
            ..exp.clone()
        },
        link,
        clock_origin_unix_ns: clock.origin_unix_ns() as u64,
    };
    let sent = serde_json::to_string(&request)
        .map_err(io::Error::other)
        .and_then(|line| writeln!(stdin, "{line}").and_then(|()| stdin.flush()));
    let mut stdout = BufReader::new(stdout);
    let first = sent.and_then(|()| read_message(&mut stdout));
    match first {
        Ok(Some(Message::Ready)) => {}
        Ok(Some(Message::Failed { failure })) => {
            drop(stdin);
            reap(&mut child);
            return Err(EngineError::Link(failure));
        }
        other => {
            drop(stdin);
            let status = reap(&mut child);
            let error = other.err().map(|e| (&e).into());
            return Err(EngineError::Link(LinkFailure::ChildFailed { status, error }));
        }
    }
    Run::start_with_clock(clock, wake, move |sp, stop, _capture_done| {
        let reader_done = Arc::new(AtomicBool::new(false));
        let done = reader_done.clone();
        sp.spawn("link-reader", move |sink| {
            relay(stdout, sink);
            done.store(true, Ordering::Relaxed);
        })?;
        let stop = stop.clone();
        sp.spawn("link-child", move |sink| {
            let status = supervise(child, stdin, &stop, &reader_done);
            // a child that ended on its own without success did not finish its run
            if !stop.load(Ordering::Relaxed) && status != Some(0) {
                let at_us = sink.now_us();
                sink.push(Event::Error {
                    at_us,
                    side: Side::TcpSender,
                    error: Fault::LinkChildEnded { status },
                });
            }
        })
    })
}

/// Reads one message; `Ok(None)` at the end of the stream.
fn read_message(from: &mut impl BufRead) -> io::Result<Option<Message>> {
    let mut line = String::new();
    if from.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    serde_json::from_str(&line).map(Some).map_err(io::Error::other)
}

/// Hands the child's events to the parent's sink until the child's stdout ends. The child's
/// `Finished` is left out: the parent's own supervisor says when everything, this thread
/// included, is done.
fn relay(stdout: BufReader<std::process::ChildStdout>, sink: &mut super::EventSink) {
    let mut stdout = stdout;
    loop {
        match read_message(&mut stdout) {
            Ok(Some(Message::Events { events })) => {
                for event in events.into_iter().filter(|e| !matches!(e, Event::Finished { .. })) {
                    sink.push(event);
                }
                sink.flush();
            }
            Ok(Some(Message::Ready | Message::Failed { .. })) => {}
            // the end, or a line this version cannot read: the child's exit status says which
            Ok(None) | Err(_) => return,
        }
    }
}

/// Waits for the child: on Stop, closes its stdin (its signal to stop) and gives it
/// [`STOP_GRACE`] to exit before killing it. Always reaps it; returns its exit code.
fn supervise(mut child: Child, stdin: ChildStdin, stop: &AtomicBool, reader_done: &AtomicBool) -> Option<i32> {
    while !stop.load(Ordering::Relaxed) && !reader_done.load(Ordering::Relaxed) {
        std::thread::sleep(super::sock::POLL);
    }
    drop(stdin);
    let deadline = Instant::now() + STOP_GRACE;
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return status.code(),
            Ok(None) if Instant::now() < deadline => std::thread::sleep(super::sock::POLL),
            _ => return reap(&mut child),
        }
    }
}

/// Kills (if still running) and reaps the child; its exit code if it exited.
fn reap(child: &mut Child) -> Option<i32> {
    if let Ok(Some(status)) = child.try_wait() {
        return status.code();
    }
    let _already_gone_is_fine = child.kill();
    child.wait().ok().and_then(|s| s.code())
}

/// The child's whole life: `stickyviz __link-child`. Reads the request, enters the namespace,
/// sets up the link, runs, writes the events. Must run before the process starts any thread.
/// Returns the exit status: 0 after a run, 2 when the link could not be set up.
pub fn child_main() -> u8 {
    let mut out = io::stdout().lock();
    let mut input = BufReader::new(io::stdin());
    let mut line = String::new();
    let request: Request = match input
        .read_line(&mut line)
        .map_err(io::Error::other)
        .and_then(|_| serde_json::from_str(&line).map_err(io::Error::other))
    {
        Ok(r) => r,
        Err(_) => return 2,
    };
    if let Err(failure) = setup::enter(&request.link, request.experiment.mss) {
        write_message(&mut out, &Message::Failed { failure });
        return 2;
    }
    if !write_message(&mut out, &Message::Ready) {
        return 1;
    }
    let clock = Clock::with_origin(u128::from(request.clock_origin_unix_ns));
    let mut run = match Run::start_on_clock(&request.experiment, clock, None) {
        Ok(run) => run,
        Err(_) => return 1,
    };
    // The parent closes our stdin to say Stop (or by dying): a thread waits for that.
    let stop = Arc::new(AtomicBool::new(false));
    let watcher = stop.clone();
    let _detached = std::thread::Builder::new()
        .name("stickyviz-link-stdin".into())
        .spawn(move || {
            let mut sink = [0u8; 64];
            while matches!(input.read(&mut sink), Ok(n) if n > 0) {}
            watcher.store(true, Ordering::Relaxed);
        });
    loop {
        if stop.load(Ordering::Relaxed) {
            run.stop();
            // every thread is joined: what they queued (taken off while stopping) is the rest
            for events in run.drain() {
                if !write_message(&mut out, &Message::Events { events }) {
                    return 1;
                }
            }
            return 0;
        }
        match run.events().recv_timeout(super::sock::POLL) {
            Ok(events) => {
                if !write_message(&mut out, &Message::Events { events }) {
                    // the parent is gone: nobody reads what this run would show
                    run.stop();
                    return 1;
                }
            }
            Err(crossbeam_channel::RecvTimeoutError::Timeout) => {}
            Err(crossbeam_channel::RecvTimeoutError::Disconnected) => return 0,
        }
    }
}

/// Writes one message line; false if the parent no longer reads.
fn write_message(out: &mut impl Write, message: &Message) -> bool {
    let Ok(line) = serde_json::to_string(message) else {
        return false;
    };
    writeln!(out, "{line}").and_then(|()| out.flush()).is_ok()
}

/// Entering the namespace and shaping its `lo` (Linux only).
#[cfg(target_os = "linux")]
mod setup {
    use std::process::Command;

    use crate::config::Link;
    use crate::event::{LinkFailure, NamespaceBlock, NamespaceStep};
    use crate::sys;

    /// Enters a network namespace of our own and sets its `lo` up as `link` asks.
    pub(super) fn enter(link: &Link, mss: Option<u32>) -> Result<(), LinkFailure> {
        if let Err((call, e)) = sys::enter_network_namespace() {
            let step = match call {
                sys::NamespaceCall::Unshare => NamespaceStep::Unshare,
                sys::NamespaceCall::IdMap => NamespaceStep::IdMap,
            };
            return Err(LinkFailure::NamespaceRefused {
                step,
                block: block(&e),
                error: (&e).into(),
            });
        }
        let mtu = link.mtu_bytes.to_string();
        if let Err(failure) = tool("ip", &["link", "set", "dev", "lo", "up", "mtu", &mtu]) {
            // AppArmor lets the namespace be created and then refuses to configure it
            if matches!(failure, LinkFailure::ToolFailed { .. })
                && sys::sysctl_number("kernel/apparmor_restrict_unprivileged_userns") == Some(1)
            {
                let error = std::io::Error::from_raw_os_error(libc::EPERM);
                return Err(LinkFailure::NamespaceRefused {
                    step: NamespaceStep::Loopback,
                    block: NamespaceBlock::AppArmor,
                    error: (&error).into(),
                });
            }
            return Err(failure);
        }
        let rate = format!("{}bit", link.rate_bit);
        let burst = link.burst_bytes(mss).to_string();
        let limit = link.queue_bytes.to_string();
        let tbf = ["rate", rate.as_str(), "burst", burst.as_str(), "limit", limit.as_str()];
        if link.needs_netem() {
            let delay = format!("{}us", link.delay_us);
            let loss = format!(
                "{}.{:02}%",
                link.loss_centi_percent / 100,
                link.loss_centi_percent % 100
            );
            let netem = [
                "qdisc", "add", "dev", "lo", "root", "handle", "1:", "netem", "delay", &delay, "loss", &loss,
            ];
            tool("tc", &netem).map_err(|f| match f {
                LinkFailure::ToolFailed { ref output, .. } if output.contains("qdisc kind is unknown") => {
                    LinkFailure::NetemMissing
                }
                other => other,
            })?;
            let args: Vec<&str> = ["qdisc", "add", "dev", "lo", "parent", "1:", "handle", "2:", "tbf"]
                .into_iter()
                .chain(tbf)
                .collect();
            tool("tc", &args)
        } else {
            let args: Vec<&str> = ["qdisc", "add", "dev", "lo", "root", "handle", "1:", "tbf"]
                .into_iter()
                .chain(tbf)
                .collect();
            tool("tc", &args)
        }
    }

    /// What the kernel's settings say about the refusal `e`.
    fn block(e: &std::io::Error) -> NamespaceBlock {
        match e.raw_os_error() {
            Some(libc::ENOSPC) if sys::sysctl_number("user/max_user_namespaces") == Some(0) => {
                NamespaceBlock::MaxUserNamespacesZero
            }
            Some(libc::ENOSPC) => NamespaceBlock::NamespaceLimit,
            Some(libc::EPERM | libc::EACCES) if sys::sysctl_number("kernel/unprivileged_userns_clone") == Some(0) => {
                NamespaceBlock::UnprivilegedUsernsClone
            }
            Some(libc::EPERM | libc::EACCES)
                if sys::sysctl_number("kernel/apparmor_restrict_unprivileged_userns") == Some(1) =>
            {
                NamespaceBlock::AppArmor
            }
            _ => NamespaceBlock::Unknown,
        }
    }

    /// Runs an iproute2 tool (`ip`, `tc`), looked for on `PATH` and in the sbin directories a
    /// user's `PATH` often lacks.
    fn tool(name: &str, args: &[&str]) -> Result<(), LinkFailure> {
        let path = find(name).ok_or_else(|| LinkFailure::ToolMissing { tool: name.to_owned() })?;
        let command = format!("{name} {}", args.join(" "));
        let out = Command::new(path)
            .args(args)
            .output()
            .map_err(|e| LinkFailure::ToolFailed {
                command: command.clone(),
                status: None,
                output: e.to_string(),
            })?;
        if out.status.success() {
            return Ok(());
        }
        let mut output = String::from_utf8_lossy(&out.stderr).trim().to_owned();
        if output.is_empty() {
            output = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        }
        Err(LinkFailure::ToolFailed {
            command,
            status: out.status.code(),
            output,
        })
    }

    fn find(name: &str) -> Option<std::path::PathBuf> {
        let path = std::env::var_os("PATH").unwrap_or_default();
        std::env::split_paths(&path)
            .chain(["/usr/sbin", "/sbin", "/usr/bin", "/bin"].map(std::path::PathBuf::from))
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    }
}

#[cfg(not(target_os = "linux"))]
mod setup {
    use crate::config::Link;
    use crate::event::LinkFailure;

    pub(super) fn enter(_link: &Link, _mss: Option<u32>) -> Result<(), LinkFailure> {
        Err(LinkFailure::NeedsLinux)
    }
}
