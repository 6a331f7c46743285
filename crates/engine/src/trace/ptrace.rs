//! The tracer: the programs run under ptrace, every system call stops them twice (entry and
//! return), and the socket calls among them become [`super::streams::Streams`]' events.
//!
//! One thread does it all, because ptrace answers only the thread that attached: it starts each
//! program (through `stickyviz __trace-child`, which asks to be traced and then `exec`s the
//! program, so not one of the program's calls is missed), waits for every stop of every traced
//! thread and process (`waitpid(-1, __WALL)`), reads the registers at a stop
//! (`PTRACE_GETREGS`), the bytes of a receiving call at its return (`process_vm_readv`, capped),
//! and resumes the program. Threads and forked children are followed
//! (`PTRACE_O_TRACECLONE|TRACEFORK|TRACEVFORK`), and die with stickyviz (`PTRACE_O_EXITKILL`).
//!
//! A second thread, the watchdog, is the only one that sends signals: at Stop, at
//! `--timeout-s`, when a server never binds, and to the server once its clients are done
//! (SIGTERM, then SIGKILL after [`SERVER_GRACE`]). The tracer's `waitpid` then sees them end.

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::sys::ptrace;
use nix::sys::signal::{kill, Signal};
use nix::sys::uio::{process_vm_readv, RemoteIoVec};
use nix::sys::wait::{waitpid, WaitPidFlag, WaitStatus};
use nix::unistd::Pid;

use super::procnet;
use super::streams::{DataCall, Dir, SockKind, Streams};
use super::{TraceFailure, TraceSpec, CHILD_COMMAND, REFUSED_EXIT_BASE};
use crate::event::{Event, MsgId, OsError};
use crate::sink::EventSink;
use stickyviz_facts::trace::{Output, ProgramEnd, Role, StopCause, SysCall, TraceFact, OUTPUT_KEPT};

/// How long a server whose clients are done gets between SIGTERM and SIGKILL.
pub const SERVER_GRACE: Duration = Duration::from_secs(2);

/// How often the watchdog looks at the stop flag and the deadlines.
const TICK: Duration = Duration::from_millis(10);

/// What the watchdog and the tracer share.
#[derive(Default)]
pub struct Watch {
    state: Mutex<WatchState>,
}

#[derive(Default)]
struct WatchState {
    /// Every traced task (thread or process) alive.
    tasks: HashSet<i32>,
    /// Why stickyviz is stopping every program, once it is.
    cause: Option<StopCause>,
    /// The server was sent SIGTERM; SIGKILL for everything left at this time.
    kill_at: Option<Instant>,
    /// The server must have bound by then.
    bind_deadline: Option<Instant>,
    ready: bool,
    /// Every root program has ended: what is left (a daemon child) is killed.
    roots_done: bool,
    done: bool,
}

impl Watch {
    fn lock(&self) -> MutexGuard<'_, WatchState> {
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The watchdog's loop (its own thread): see the module's doc.
    pub fn run(&self, stop: &AtomicBool, timeout: Option<Instant>) {
        loop {
            std::thread::sleep(TICK);
            let mut s = self.lock();
            if s.done {
                return;
            }
            let now = Instant::now();
            if s.cause.is_none() {
                if stop.load(Ordering::Relaxed) {
                    s.cause = Some(StopCause::Stopped);
                } else if timeout.is_some_and(|t| now >= t) {
                    s.cause = Some(StopCause::Timeout);
                } else if !s.ready && s.bind_deadline.is_some_and(|t| now >= t) {
                    s.cause = Some(StopCause::ServerNeverBound);
                }
            }
            let all = s.cause.is_some() || s.roots_done || s.kill_at.is_some_and(|t| now >= t);
            if all {
                for &t in &s.tasks {
                    // a task that is gone already is no error
                    let _gone_is_fine = kill(Pid::from_raw(t), Signal::SIGKILL);
                }
            }
        }
    }
}

/// One traced thread or process.
struct Task {
    tgid: i32,
    role: Role,
    /// Inside a call: what it was, with its arguments and start.
    pending: Option<Pending>,
    /// It has reported its first stop (a new task's SIGSTOP is swallowed).
    seen: bool,
}

#[derive(Clone, Copy)]
struct Pending {
    nr: i64,
    args: [u64; 6],
    start_us: u64,
    /// A datagram's id, taken when its send began: the receiver's return can be seen before
    /// the sender's, and must find the datagram sent already.
    reserved: Option<MsgId>,
}

/// What the tracer knows of one socket (by inode).
#[derive(Default)]
struct Sock {
    kind: Option<SockKind>,
    ip: bool,
    bound: bool,
    /// It called `connect()` (true) or came out of `accept()` (false).
    client: Option<bool>,
    /// `AF_UNIX`: the path it connected to, or the listener's path it was accepted on.
    unix_key: Option<(String, String)>,
    not_drawn: bool,
    /// Times `/proc` was searched for it: a socket not hashed yet (unbound) is not listed.
    lookups: u8,
}

struct Program {
    role: Role,
    pid: i32,
    ended: bool,
}

enum Phase {
    /// The server runs; the clients wait for its `listen()` (TCP) or `bind()` (UDP).
    WaitingForServer,
    Running,
}

/// The calls the tracer acts on, by number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Data(SysCall),
    Connect,
    Accept(SysCall),
    Bind,
    Listen,
    Shutdown,
    Close,
    Dup2,
    CloseRange,
    Socket,
}

fn kind(nr: i64) -> Option<Kind> {
    use libc as l;
    Some(match nr {
        n if n == l::SYS_sendto => Kind::Data(SysCall::SendTo),
        n if n == l::SYS_sendmsg => Kind::Data(SysCall::SendMsg),
        n if n == l::SYS_sendmmsg => Kind::Data(SysCall::SendMmsg),
        n if n == l::SYS_write => Kind::Data(SysCall::Write),
        n if n == l::SYS_writev => Kind::Data(SysCall::Writev),
        n if n == l::SYS_recvfrom => Kind::Data(SysCall::RecvFrom),
        n if n == l::SYS_recvmsg => Kind::Data(SysCall::RecvMsg),
        n if n == l::SYS_recvmmsg => Kind::Data(SysCall::RecvMmsg),
        n if n == l::SYS_read => Kind::Data(SysCall::Read),
        n if n == l::SYS_readv => Kind::Data(SysCall::Readv),
        n if n == l::SYS_connect => Kind::Connect,
        n if n == l::SYS_accept => Kind::Accept(SysCall::Accept),
        n if n == l::SYS_accept4 => Kind::Accept(SysCall::Accept4),
        n if n == l::SYS_bind => Kind::Bind,
        n if n == l::SYS_listen => Kind::Listen,
        n if n == l::SYS_shutdown => Kind::Shutdown,
        n if n == l::SYS_close => Kind::Close,
        n if n == l::SYS_dup3 => Kind::Dup2,
        #[cfg(target_arch = "x86_64")]
        n if n == l::SYS_dup2 => Kind::Dup2,
        n if n == l::SYS_close_range => Kind::CloseRange,
        n if n == l::SYS_socket => Kind::Socket,
        _ => return None,
    })
}

/// The call number, its six arguments and its return value, from the registers.
struct Regs {
    nr: i64,
    args: [u64; 6],
    ret: i64,
}

#[cfg(target_arch = "x86_64")]
fn regs(pid: Pid) -> nix::Result<Regs> {
    let r = ptrace::getregs(pid)?;
    Ok(Regs {
        nr: r.orig_rax as i64,
        args: [r.rdi, r.rsi, r.rdx, r.r10, r.r8, r.r9],
        ret: r.rax as i64,
    })
}

#[cfg(target_arch = "aarch64")]
fn regs(pid: Pid) -> nix::Result<Regs> {
    let r = ptrace::getregs(pid)?;
    Ok(Regs {
        nr: r.regs[8] as i64,
        args: [r.regs[0], r.regs[1], r.regs[2], r.regs[3], r.regs[4], r.regs[5]],
        ret: r.regs[0] as i64,
    })
}

/// The tracer's state; see the module's doc.
pub struct Tracer<'a> {
    spec: TraceSpec,
    sink: &'a mut EventSink,
    streams: Streams,
    watch: Arc<Watch>,
    tasks: HashMap<i32, Task>,
    /// Per process: fd → socket inode (None: not a socket), read from `/proc/PID/fd` once.
    fds: HashMap<i32, HashMap<i32, Option<u64>>>,
    socks: HashMap<u64, Sock>,
    /// The local addresses of listening sockets: an end whose local address is one of them
    /// is a server's, if neither `connect()` nor `accept()` was seen.
    listening: HashSet<String>,
    unix_connects: HashMap<String, u32>,
    unix_accepts: HashMap<String, u32>,
    programs: Vec<Program>,
    phase: Phase,
    server_stopping: bool,
    outputs: Vec<JoinHandle<()>>,
}

impl<'a> Tracer<'a> {
    pub fn new(spec: TraceSpec, sink: &'a mut EventSink, watch: Arc<Watch>) -> Self {
        let streams = Streams::new(spec.decode, spec.byte_cap, sink.clock);
        let phase = if spec.server.is_some() {
            Phase::WaitingForServer
        } else {
            Phase::Running
        };
        Self {
            spec,
            sink,
            streams,
            watch,
            tasks: HashMap::new(),
            fds: HashMap::new(),
            socks: HashMap::new(),
            listening: HashSet::new(),
            unix_connects: HashMap::new(),
            unix_accepts: HashMap::new(),
            programs: Vec::new(),
            phase,
            server_stopping: false,
            outputs: Vec::new(),
        }
    }

    /// Starts the first program (the server, or the one program); an error means nothing ran.
    pub fn start(&mut self) -> Result<(), TraceFailure> {
        self.sink.push(Event::SegmentsUnavailable {
            reason: crate::fact::CaptureUnavailable::Traced,
        });
        if let Some(server) = self.spec.server.clone() {
            let input = self.spec.server_input.clone();
            self.spawn(Role::Server, &server, input.as_ref())?;
            self.watch.lock().bind_deadline = Some(Instant::now() + self.spec.bind_wait);
            Ok(())
        } else {
            let program = self.spec.program.clone();
            self.spawn(Role::Program, &program, None)
        }
    }

    /// Runs until every traced task has ended, then says what the streams hold.
    pub fn run(mut self) {
        loop {
            match waitpid(None, Some(WaitPidFlag::__WALL)) {
                Ok(status) => self.on_status(status),
                Err(Errno::EINTR) => {}
                Err(_) => break,
            }
        }
        self.streams.finish(self.sink);
        for h in std::mem::take(&mut self.outputs) {
            let _reader_never_panics = h.join();
        }
        self.watch.lock().done = true;
    }

    fn spawn(&mut self, role: Role, argv: &[String], input: Option<&PathBuf>) -> Result<(), TraceFailure> {
        let program = argv.first().ok_or(TraceFailure::NoCommand)?;
        super::check_command(program)?;
        let exe = self
            .spec
            .helper
            .clone()
            .map_or_else(std::env::current_exe, Ok)
            .map_err(|e| TraceFailure::Spawn {
                command: program.clone(),
                error: (&e).into(),
            })?;
        let mut cmd = Command::new(exe);
        cmd.arg(CHILD_COMMAND).args(argv);
        let pair = role != Role::Program;
        if pair {
            // its own process group: the terminal's Ctrl-C reaches stickyviz, which stops it
            std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
            let stdin = match input {
                Some(path) => Stdio::from(std::fs::File::open(path).map_err(|e| TraceFailure::Input {
                    path: path.display().to_string(),
                    error: (&e).into(),
                })?),
                None => Stdio::null(),
            };
            cmd.stdin(stdin).stdout(Stdio::piped()).stderr(Stdio::piped());
        }
        let mut child = cmd.spawn().map_err(|e| TraceFailure::Spawn {
            command: program.clone(),
            error: (&e).into(),
        })?;
        let pid = child.id() as i32;
        let outputs = [
            child
                .stdout
                .take()
                .map(|p| (Output::Stdout, Box::new(p) as Box<dyn Read + Send>)),
            child
                .stderr
                .take()
                .map(|p| (Output::Stderr, Box::new(p) as Box<dyn Read + Send>)),
        ];
        // reaped below with waitpid, as every traced task is
        drop(child);
        let at_us = self.sink.now_us();
        match waitpid(Pid::from_raw(pid), Some(WaitPidFlag::__WALL)) {
            Ok(WaitStatus::Stopped(_, Signal::SIGTRAP)) => {}
            Ok(WaitStatus::Exited(_, code)) if code > REFUSED_EXIT_BASE => {
                let errno = code - REFUSED_EXIT_BASE;
                return Err(TraceFailure::PtraceRefused {
                    error: (&std::io::Error::from_raw_os_error(errno)).into(),
                    block: super::ptrace_block(),
                });
            }
            Ok(other) => {
                return Err(TraceFailure::Exec {
                    command: program.clone(),
                    status: match other {
                        WaitStatus::Exited(_, code) => Some(code),
                        _ => None,
                    },
                })
            }
            Err(e) => {
                return Err(TraceFailure::Spawn {
                    command: program.clone(),
                    error: (&std::io::Error::from(e)).into(),
                })
            }
        }
        let options = ptrace::Options::PTRACE_O_TRACESYSGOOD
            | ptrace::Options::PTRACE_O_TRACECLONE
            | ptrace::Options::PTRACE_O_TRACEFORK
            | ptrace::Options::PTRACE_O_TRACEVFORK
            | ptrace::Options::PTRACE_O_TRACEEXEC
            | ptrace::Options::PTRACE_O_EXITKILL;
        if let Err(e) = ptrace::setoptions(Pid::from_raw(pid), options) {
            let _killed = kill(Pid::from_raw(pid), Signal::SIGKILL);
            let _reaped = waitpid(Pid::from_raw(pid), Some(WaitPidFlag::__WALL));
            return Err(TraceFailure::PtraceRefused {
                error: (&std::io::Error::from(e)).into(),
                block: super::ptrace_block(),
            });
        }
        self.tasks.insert(
            pid,
            Task {
                tgid: pid,
                role,
                pending: None,
                seen: true,
            },
        );
        self.watch.lock().tasks.insert(pid);
        self.programs.push(Program {
            role,
            pid,
            ended: false,
        });
        self.sink.push(Event::Trace {
            fact: TraceFact::Started {
                at_us,
                role,
                pid: pid as u32,
                command: argv.to_vec(),
            },
        });
        for (output, pipe) in outputs.into_iter().flatten() {
            let mut sink = self.sink.sibling();
            let spawned = std::thread::Builder::new()
                .name("stickyviz-trace-output".into())
                .spawn(move || keep_output(pipe, role, output, &mut sink));
            if let Ok(h) = spawned {
                self.outputs.push(h);
            }
        }
        self.sink.flush();
        resume(pid, None);
        Ok(())
    }

    fn on_status(&mut self, status: WaitStatus) {
        match status {
            WaitStatus::PtraceSyscall(pid) => {
                self.on_syscall(pid.as_raw());
                resume(pid.as_raw(), None);
            }
            WaitStatus::PtraceEvent(pid, _, event) => {
                let pid = pid.as_raw();
                if matches!(
                    event,
                    libc::PTRACE_EVENT_CLONE | libc::PTRACE_EVENT_FORK | libc::PTRACE_EVENT_VFORK
                ) {
                    if let Ok(new) = ptrace::getevent(Pid::from_raw(pid)) {
                        self.new_task(new as i32, pid);
                    }
                } else if event == libc::PTRACE_EVENT_EXEC {
                    // close-on-exec sockets are gone, other fds keep their numbers: look again
                    if let Some(t) = self.tasks.get(&pid) {
                        self.fds.remove(&t.tgid);
                    }
                }
                resume(pid, None);
            }
            WaitStatus::Stopped(pid, sig) => {
                let pid = pid.as_raw();
                let task = self.tasks.get_mut(&pid);
                let first = task.as_ref().is_none_or(|t| !t.seen);
                // a group-stop (SIGSTOP, SIGTSTP…) is not a signal to deliver again: without
                // PTRACE_SEIZE it shows as a stop whose siginfo cannot be read (EINVAL)
                let group_stop = matches!(
                    sig,
                    Signal::SIGSTOP | Signal::SIGTSTP | Signal::SIGTTIN | Signal::SIGTTOU
                ) && ptrace::getsiginfo(Pid::from_raw(pid)) == Err(Errno::EINVAL);
                if group_stop {
                    resume(pid, None);
                } else if first && sig == Signal::SIGSTOP {
                    // a new thread or child starts with SIGSTOP: it is ours, not the program's
                    match task {
                        Some(t) => t.seen = true,
                        None => self.new_task(pid, pid),
                    }
                    resume(pid, None);
                } else {
                    resume(pid, Some(sig));
                }
            }
            WaitStatus::Exited(pid, code) => self.task_ended(pid.as_raw(), ProgramEnd::Exited { code }),
            WaitStatus::Signaled(pid, sig, core) => self.task_ended(
                pid.as_raw(),
                ProgramEnd::Signaled {
                    signal: sig as i32,
                    core,
                },
            ),
            _ => {}
        }
    }

    /// Task `new` appeared (a thread or a forked child of `parent`'s program).
    fn new_task(&mut self, new: i32, parent: i32) {
        let role = self.tasks.get(&parent).map_or(Role::Program, |t| t.role);
        let tgid = tgid_of(new).unwrap_or(new);
        let task = self.tasks.entry(new).or_insert(Task {
            tgid,
            role,
            pending: None,
            seen: false,
        });
        if new == parent {
            task.seen = true;
        }
        self.watch.lock().tasks.insert(new);
    }

    fn task_ended(&mut self, pid: i32, end: ProgramEnd) {
        self.tasks.remove(&pid);
        self.watch.lock().tasks.remove(&pid);
        let Some(p) = self.programs.iter_mut().find(|p| p.pid == pid) else {
            return;
        };
        p.ended = true;
        let role = p.role;
        let stopped = if role == Role::Server && self.server_stopping {
            Some(StopCause::ClientsDone)
        } else {
            self.watch.lock().cause
        };
        let at_us = self.sink.now_us();
        self.sink.push(Event::Trace {
            fact: TraceFact::Ended {
                at_us,
                role,
                pid: pid as u32,
                end,
                stopped,
            },
        });
        self.sink.flush();
        let clients_done = self
            .programs
            .iter()
            .filter(|p| matches!(p.role, Role::Client(_)))
            .all(|p| p.ended);
        let server = self.programs.iter().find(|p| p.role == Role::Server);
        match server {
            Some(s) if !s.ended && clients_done && matches!(self.phase, Phase::Running) && !self.server_stopping => {
                self.server_stopping = true;
                let _gone_is_fine = kill(Pid::from_raw(s.pid), Signal::SIGTERM);
                self.watch.lock().kill_at = Some(Instant::now() + SERVER_GRACE);
            }
            _ => {}
        }
        if self.programs.iter().all(|p| p.ended) {
            self.watch.lock().roots_done = true;
        }
    }

    fn on_syscall(&mut self, pid: i32) {
        let Some(task) = self.tasks.get_mut(&pid) else {
            return;
        };
        task.seen = true;
        // the return of a call that is none of ours: nothing to read (most calls are such)
        if task.pending.is_some_and(|p| kind(p.nr).is_none()) {
            task.pending = None;
            return;
        }
        let Ok(r) = regs(Pid::from_raw(pid)) else { return };
        match task.pending.take() {
            None => {
                let start_us = self.sink.now_us();
                let (tgid, fd) = (task.tgid, r.args[0] as i32);
                task.pending = Some(Pending {
                    nr: r.nr,
                    args: r.args,
                    start_us,
                    reserved: None,
                });
                match kind(r.nr) {
                    // the fd is gone at the return: know now whether it was a socket
                    Some(Kind::Close) => {
                        self.inode(tgid, fd);
                    }
                    Some(Kind::Data(call)) if call.sends() && call != SysCall::SendMmsg => {
                        let reserved = self.reserve_datagram(pid, tgid, call, &r.args);
                        if let Some(p) = self.tasks.get_mut(&pid).and_then(|t| t.pending.as_mut()) {
                            p.reserved = reserved;
                        }
                    }
                    _ => {}
                }
            }
            Some(p) => {
                let (tgid, role) = (task.tgid, task.role);
                if let Some(k) = kind(p.nr) {
                    self.on_return(pid, tgid, role, k, p, r.ret);
                }
            }
        }
    }

    /// The socket inode behind `fd` of process `tgid`, if it is a socket.
    fn inode(&mut self, tgid: i32, fd: i32) -> Option<u64> {
        let table = self.fds.entry(tgid).or_default();
        *table.entry(fd).or_insert_with(|| {
            let link = std::fs::read_link(format!("/proc/{tgid}/fd/{fd}")).ok()?;
            let text = link.to_str()?;
            text.strip_prefix("socket:[")?.strip_suffix(']')?.parse().ok()
        })
    }

    /// A datagram about to be sent: its id and bytes, so its receipt finds it (see
    /// [`Pending::reserved`]). None for anything but a datagram socket of known kind.
    fn reserve_datagram(&mut self, pid: i32, tgid: i32, call: SysCall, args: &[u64; 6]) -> Option<MsgId> {
        let inode = self.inode(tgid, args[0] as i32)?;
        let sock = self.socks.get(&inode)?;
        if sock.kind != Some(SockKind::Datagram) {
            return None;
        }
        let is_client = sock.client.unwrap_or(!sock.bound);
        let iov = iovecs(pid, call, args);
        let asked: u64 = iov.iter().map(|v| v.len as u64).sum();
        let bytes = read_remote(pid, &iov, asked.min(self.spec.byte_cap));
        Some(self.streams.reserve_datagram(is_client, bytes))
    }

    fn forget_fd(&mut self, tgid: i32, fd: i32) {
        if let Some(t) = self.fds.get_mut(&tgid) {
            t.remove(&fd);
        }
    }

    fn on_return(&mut self, pid: i32, tgid: i32, role: Role, k: Kind, p: Pending, ret: i64) {
        let errno = (-4095..0).contains(&ret).then(|| (-ret) as i32);
        // ERESTARTSYS and its kin: the call starts again after a signal; the next entry counts
        if errno.is_some_and(|e| (512..=516).contains(&e)) {
            return;
        }
        let fd = p.args[0] as i32;
        let at_us = self.sink.now_us();
        match k {
            Kind::Data(call) => self.data(pid, tgid, role, call, p, ret, errno, at_us),
            Kind::Connect => {
                let Some(inode) = self.inode(tgid, fd) else { return };
                self.streams.count(role, SysCall::Connect);
                let sock = self.sock(pid, inode);
                sock.client = Some(true);
                if !sock.ip {
                    if let Some(path) = read_unix_path(pid, p.args[1], p.args[2]) {
                        let n = self.unix_connects.entry(path.clone()).or_default();
                        *n += 1;
                        let key = (format!("{path}#{n}"), path);
                        if let Some(s) = self.socks.get_mut(&inode) {
                            s.unix_key = Some(key);
                        }
                    }
                }
                match errno {
                    None | Some(libc::EINPROGRESS) => self.place(pid, inode, at_us),
                    Some(e) => self.failed(role, SysCall::Connect, fd, e, at_us),
                }
            }
            Kind::Accept(call) => {
                let listener = self.inode(tgid, fd);
                if listener.is_none() {
                    return;
                }
                self.streams.count(role, call);
                if let Some(e) = errno {
                    return self.failed(role, call, fd, e, at_us);
                }
                let new_fd = ret as i32;
                self.forget_fd(tgid, new_fd);
                let Some(inode) = self.inode(tgid, new_fd) else { return };
                let path = listener
                    .and_then(|l| self.socks.get(&l))
                    .and_then(|s| (!s.ip).then(|| s.unix_key.as_ref().map(|k| k.1.clone())).flatten());
                let sock = self.sock(pid, inode);
                sock.client = Some(false);
                if let Some(path) = path {
                    let n = self.unix_accepts.entry(path.clone()).or_default();
                    *n += 1;
                    let key = (format!("{path}#{n}"), path);
                    if let Some(s) = self.socks.get_mut(&inode) {
                        s.unix_key = Some(key);
                    }
                }
                self.place(pid, inode, at_us);
            }
            Kind::Bind => {
                let Some(inode) = self.inode(tgid, fd) else { return };
                self.streams.count(role, SysCall::Bind);
                if let Some(e) = errno {
                    return self.failed(role, SysCall::Bind, fd, e, at_us);
                }
                let sock = self.sock(pid, inode);
                sock.bound = true;
                let datagram = sock.kind == Some(SockKind::Datagram);
                if !sock.ip {
                    if let Some(path) = read_unix_path(pid, p.args[1], p.args[2]) {
                        if let Some(s) = self.socks.get_mut(&inode) {
                            s.unix_key = Some((String::new(), path));
                        }
                    }
                }
                if datagram && role == Role::Server {
                    self.server_ready(pid, inode, at_us);
                }
            }
            Kind::Listen => {
                let Some(inode) = self.inode(tgid, fd) else { return };
                self.streams.count(role, SysCall::Listen);
                if let Some(e) = errno {
                    return self.failed(role, SysCall::Listen, fd, e, at_us);
                }
                if let Some(e) = procnet::lookup(pid, inode) {
                    self.listening.insert(e.local);
                }
                if role == Role::Server {
                    self.server_ready(pid, inode, at_us);
                }
            }
            Kind::Shutdown | Kind::Close => {
                let Some(_) = self.inode(tgid, fd) else {
                    self.forget_fd(tgid, fd);
                    return;
                };
                let call = if k == Kind::Close {
                    self.forget_fd(tgid, fd);
                    SysCall::Close
                } else {
                    SysCall::Shutdown
                };
                self.streams.count(role, call);
                if let Some(e) = errno {
                    self.failed(role, call, fd, e, at_us);
                }
            }
            Kind::Dup2 => self.forget_fd(tgid, p.args[1] as i32),
            Kind::Socket => {
                if errno.is_some() {
                    return;
                }
                self.forget_fd(tgid, ret as i32);
                let Some(inode) = self.inode(tgid, ret as i32) else {
                    return;
                };
                let (domain, ty) = (p.args[0] as i32, p.args[1] as i32 & 0xf);
                let ip = domain == libc::AF_INET || domain == libc::AF_INET6;
                if ip || domain == libc::AF_UNIX {
                    let s = self.socks.entry(inode).or_default();
                    s.ip = ip;
                    s.kind = Some(if ty == libc::SOCK_STREAM {
                        SockKind::Stream
                    } else {
                        SockKind::Datagram
                    });
                }
            }
            Kind::CloseRange => {
                let (first, last) = (p.args[0], p.args[1]);
                if let Some(t) = self.fds.get_mut(&tgid) {
                    t.retain(|&fd, _| !(first..=last).contains(&(fd as u64)));
                }
            }
        }
    }

    /// The socket `inode`, its kind and addresses read from `/proc` on first sight.
    fn sock(&mut self, pid: i32, inode: u64) -> &mut Sock {
        let s = self.socks.entry(inode).or_default();
        if s.kind.is_none() && s.lookups < 3 {
            s.lookups += 1;
            if let Some(e) = procnet::lookup(pid, inode) {
                s.kind = Some(e.kind);
                s.ip = e.ip;
            }
        }
        s
    }

    /// Places stream end `inode` on its connection, once its addresses are known.
    fn place(&mut self, pid: i32, inode: u64, at_us: u64) {
        if self.streams.knows(inode) {
            return;
        }
        let sock = self.sock(pid, inode);
        if sock.kind != Some(SockKind::Stream) {
            return;
        }
        let (ip, client, unix_key) = (sock.ip, sock.client, sock.unix_key.clone());
        let key_and_side = if ip {
            procnet::lookup(pid, inode).map(|e| {
                let client = client.unwrap_or_else(|| !self.listening.contains(&e.local));
                if client {
                    ((e.local, e.remote), true)
                } else {
                    ((e.remote, e.local), false)
                }
            })
        } else {
            unix_key
                .filter(|k| !k.0.is_empty())
                .map(|k| (k, client.unwrap_or(true)))
        };
        match key_and_side {
            Some((key, is_client)) => self.streams.stream_end(self.sink, inode, key, is_client, at_us),
            None => {
                // an end it cannot pair: its own connection, keyed by the inode
                let key = (format!("socket:[{inode}]"), String::new());
                self.streams
                    .stream_end(self.sink, inode, key, client.unwrap_or(true), at_us);
            }
        }
    }

    fn server_ready(&mut self, pid: i32, inode: u64, at_us: u64) {
        if !matches!(self.phase, Phase::WaitingForServer) {
            return;
        }
        self.phase = Phase::Running;
        self.watch.lock().ready = true;
        let addr = procnet::lookup(pid, inode).map(|e| e.local).unwrap_or_default();
        self.sink.push(Event::Trace {
            fact: TraceFact::ServerReady { at_us, addr },
        });
        let clients = self.spec.clients.clone();
        let input = self.spec.client_input.clone();
        for (n, argv) in clients.iter().enumerate() {
            if let Err(failure) = self.spawn(Role::Client(n as u32), argv, input.as_ref()) {
                self.sink.push(Event::Trace {
                    fact: TraceFact::ClientNotStarted {
                        role: Role::Client(n as u32),
                        failure,
                    },
                });
            }
        }
        if !self.programs.iter().any(|p| matches!(p.role, Role::Client(_))) {
            // no client could start: the server is not kept waiting for one
            self.server_stopping = true;
            if let Some(s) = self.programs.iter().find(|p| p.role == Role::Server) {
                let _gone_is_fine = kill(Pid::from_raw(s.pid), Signal::SIGTERM);
            }
            self.watch.lock().kill_at = Some(Instant::now() + SERVER_GRACE);
        }
    }

    fn failed(&mut self, role: Role, call: SysCall, fd: i32, errno: i32, at_us: u64) {
        let error: OsError = (&std::io::Error::from_raw_os_error(errno)).into();
        let fact = TraceFact::CallFailed {
            at_us,
            role,
            call,
            fd,
            error,
        };
        self.streams.failed(self.sink, fact);
    }

    #[allow(clippy::too_many_arguments)]
    fn data(
        &mut self,
        pid: i32,
        tgid: i32,
        role: Role,
        call: SysCall,
        p: Pending,
        ret: i64,
        errno: Option<i32>,
        at_us: u64,
    ) {
        let fd = p.args[0] as i32;
        let Some(inode) = self.inode(tgid, fd) else { return };
        let sock = self.sock(pid, inode);
        let Some(sock_kind) = sock.kind else {
            if !sock.not_drawn {
                sock.not_drawn = true;
                self.sink.push(Event::Trace {
                    fact: TraceFact::NotDrawn {
                        role,
                        family: "?".into(),
                        calls: 1,
                    },
                });
            }
            return;
        };
        let bound = sock.bound;
        let client_hint = sock.client;
        self.streams.count(role, call);
        if let Some(e) = errno {
            if let Some(id) = p.reserved {
                self.streams.unreserve_datagram(client_hint.unwrap_or(!bound), id);
            }
            return self.failed(role, call, fd, e, at_us);
        }
        let dir = if call.sends() { Dir::Out } else { Dir::In };
        let pieces = match call {
            SysCall::SendMmsg | SysCall::RecvMmsg => read_mmsg(pid, p.args[1], ret.max(0) as u64),
            _ => vec![(iovecs(pid, call, &p.args), ret.max(0) as u64)],
        };
        if sock_kind == SockKind::Stream && !self.streams.knows(inode) {
            self.place(pid, inode, p.start_us);
        }
        for (iov, got) in pieces {
            let asked: u64 = iov.iter().map(|v| v.len as u64).sum();
            // a stream's bytes are kept as read; a datagram's also as sent, to match the two
            let keep = dir == Dir::In || (sock_kind == SockKind::Datagram && p.reserved.is_none());
            let want = if keep { got.min(self.spec.byte_cap) } else { 0 };
            let bytes = if want > 0 {
                read_remote(pid, &iov, want)
            } else {
                Vec::new()
            };
            let c = DataCall {
                role,
                call,
                start_us: p.start_us,
                at_us,
                asked,
                got,
                capped: dir == Dir::In && (bytes.len() as u64) < got,
                bytes: &bytes,
                reserved: p.reserved,
            };
            match sock_kind {
                SockKind::Stream => self.streams.stream_data(self.sink, inode, dir, &c),
                SockKind::Datagram => {
                    let is_client = client_hint.unwrap_or(!bound);
                    self.streams.datagram(self.sink, is_client, dir, &c);
                }
            }
        }
    }
}

/// Resumes `pid` to its next call's entry or return, delivering `sig` if it was the program's.
fn resume(pid: i32, sig: Option<Signal>) {
    // ESRCH: it died meanwhile (SIGKILL); its end is reported by waitpid
    let _gone_is_fine = ptrace::syscall(Pid::from_raw(pid), sig);
}

/// The process (thread group) `tid` belongs to, from `/proc/TID/status`.
fn tgid_of(tid: i32) -> Option<i32> {
    let text = std::fs::read_to_string(format!("/proc/{tid}/status")).ok()?;
    text.lines()
        .find_map(|l| l.strip_prefix("Tgid:"))
        .and_then(|v| v.trim().parse().ok())
}

/// Reads `len` bytes at `addr` of process `pid`.
fn read_mem(pid: i32, addr: u64, len: usize) -> Option<Vec<u8>> {
    let mut buf = vec![0u8; len];
    let remote = [RemoteIoVec {
        base: addr as usize,
        len,
    }];
    let n = process_vm_readv(Pid::from_raw(pid), &mut [std::io::IoSliceMut::new(&mut buf)], &remote).ok()?;
    buf.truncate(n);
    Some(buf)
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    b.get(at..at + 8)
        .and_then(|s| s.try_into().ok())
        .map_or(0, u64::from_ne_bytes)
}

/// The iovec array at `addr` (`count` entries, at most `IOV_MAX`).
fn read_iovs(pid: i32, addr: u64, count: u64) -> Vec<RemoteIoVec> {
    let count = count.min(1024) as usize;
    let Some(raw) = read_mem(pid, addr, count * 16) else {
        return Vec::new();
    };
    raw.chunks_exact(16)
        .map(|c| RemoteIoVec {
            base: u64_at(c, 0) as usize,
            len: u64_at(c, 8) as usize,
        })
        .collect()
}

/// The buffers a data call named: one buffer, an iovec array, or a `msghdr`'s.
fn iovecs(pid: i32, call: SysCall, args: &[u64; 6]) -> Vec<RemoteIoVec> {
    match call {
        SysCall::Writev | SysCall::Readv => read_iovs(pid, args[1], args[2]),
        SysCall::SendMsg | SysCall::RecvMsg => match read_mem(pid, args[1], 56) {
            // struct msghdr: name, namelen, iov (at 16), iovlen (at 24), control, controllen, flags
            Some(h) => read_iovs(pid, u64_at(&h, 16), u64_at(&h, 24)),
            None => Vec::new(),
        },
        _ => vec![RemoteIoVec {
            base: args[1] as usize,
            len: args[2] as usize,
        }],
    }
}

/// `sendmmsg`/`recvmmsg`: the first `n` of the `struct mmsghdr` array at `addr` (a `msghdr`
/// and its `msg_len`, 64 bytes each), each with the bytes it moved.
fn read_mmsg(pid: i32, addr: u64, n: u64) -> Vec<(Vec<RemoteIoVec>, u64)> {
    let n = n.min(1024) as usize;
    let Some(raw) = read_mem(pid, addr, n * 64) else {
        return Vec::new();
    };
    raw.chunks_exact(64)
        .map(|m| {
            let got = m
                .get(56..60)
                .and_then(|s| s.try_into().ok())
                .map_or(0, u32::from_ne_bytes);
            (read_iovs(pid, u64_at(m, 16), u64_at(m, 24)), u64::from(got))
        })
        .collect()
}

/// The first `want` bytes of the buffers `iov`, read out of process `pid` in one call.
fn read_remote(pid: i32, iov: &[RemoteIoVec], want: u64) -> Vec<u8> {
    let mut left = want as usize;
    let mut remote = Vec::new();
    for v in iov {
        if left == 0 {
            break;
        }
        let len = v.len.min(left);
        if len > 0 {
            remote.push(RemoteIoVec { base: v.base, len });
        }
        left -= len;
    }
    let total = want as usize - left;
    let mut buf = vec![0u8; total];
    match process_vm_readv(Pid::from_raw(pid), &mut [std::io::IoSliceMut::new(&mut buf)], &remote) {
        Ok(n) => buf.truncate(n),
        Err(_) => buf.clear(),
    }
    buf
}

/// The path of a `struct sockaddr_un` at `addr` (`len` bytes), if it is one with a path (an
/// abstract name starts with a 0 byte, shown with `@` as `ss` does).
fn read_unix_path(pid: i32, addr: u64, len: u64) -> Option<String> {
    let raw = read_mem(pid, addr, len.min(110) as usize)?;
    let family = u16::from_ne_bytes(raw.get(0..2)?.try_into().ok()?);
    if i32::from(family) != libc::AF_UNIX {
        return None;
    }
    let path = raw.get(2..)?;
    let (abstract_name, path) = match path.first() {
        Some(0) => (true, path.get(1..)?),
        _ => (false, path),
    };
    let end = if abstract_name {
        path.len()
    } else {
        path.iter().position(|&b| b == 0).unwrap_or(path.len())
    };
    let text = String::from_utf8_lossy(&path[..end]).into_owned();
    Some(if abstract_name { format!("@{text}") } else { text })
}

/// Keeps what a program prints, up to [`OUTPUT_KEPT`] bytes (the rest is counted).
fn keep_output(mut pipe: Box<dyn Read + Send>, role: Role, output: Output, sink: &mut EventSink) {
    let mut buf = vec![0u8; 4096];
    let (mut kept, mut cut) = (0u64, 0u64);
    loop {
        match pipe.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                let room = (OUTPUT_KEPT - kept).min(n as u64) as usize;
                cut += (n - room) as u64;
                kept += room as u64;
                if room > 0 {
                    let at_us = sink.now_us();
                    sink.push(Event::Trace {
                        fact: TraceFact::Output {
                            at_us,
                            role,
                            output,
                            text: String::from_utf8_lossy(&buf[..room]).into_owned(),
                            cut: 0,
                        },
                    });
                    sink.flush();
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => break,
        }
    }
    if cut > 0 {
        let at_us = sink.now_us();
        sink.push(Event::Trace {
            fact: TraceFact::Output {
                at_us,
                role,
                output,
                text: String::new(),
                cut,
            },
        });
    }
}
