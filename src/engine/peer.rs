//! Real external peers: the seed's Python programs, `nc`, a student's own code on the other end.
//!
//! [`listen_tcp`] serves external clients and records each one's stream as the receiving half of
//! a run (reads, decoded frames; it lives in `peer_listen.rs`); [`send_tcp`] points the app's
//! sender, with all its settings and framing, at an external server and records writes and wire
//! segments. The UDP pair lives in `peer_udp.rs`. Both return an ordinary [`Run`], so the CLI and the GUI fold the events into
//! the same `Model` as a loopback experiment.
//!
//! The segment lane needs the connection's SYN to turn sequence numbers into stream offsets.
//! `send_tcp` knows both addresses before it connects, so it captures (loopback targets only);
//! `listen_tcp` learns the client's port only after the handshake, so it records no segments and
//! says so.

use std::io::{self, Read};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use socket2::{Domain, Socket, Type};

use crate::config::Experiment;
use crate::framing::FramingMode;

use super::event::{Call, CaptureUnavailable, Event, Fault, Side, SockOpt};
use super::peer_listen::local;
use super::sink::{EventSink, Wake};
use super::tcp::{self, POLL};
use super::{capture, setup, sys, EngineError, Run, SetupCall, SetupOpt, SocketRole, LOOPBACK_ANY};

pub use super::peer_listen::{bind_tcp, listen_tcp, MAX_CLIENTS_AT_ONCE};
pub use super::peer_udp::{bind_udp, listen_udp, send_udp};

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

/// Where `listen` waits; the transport decides which socket is bound.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListenOn {
    Tcp(SocketAddr),
    Udp(SocketAddr),
}

/// A listen that has started: its run, the experiment a recording of it is saved with, and the
/// address the kernel bound (the port when 0 was asked for).
pub struct Listening {
    pub run: Run,
    pub experiment: Experiment,
    pub bound: SocketAddr,
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

/// Binds `on` and starts recording what arrives; the CLI and the window both start a listen
/// here, so neither needs the other. `wake` is the GUI's repaint (None headless).
pub fn start_listen(on: ListenOn, opts: ListenOptions, wake: Option<Wake>) -> Result<Listening, ListenError> {
    let (run, bound, udp) = match on {
        ListenOn::Tcp(addr) => {
            let (listener, bound) = bind_tcp(addr).map_err(ListenError::Listen)?;
            (listen_tcp(listener, opts, wake)?, bound, false)
        }
        ListenOn::Udp(addr) => {
            let (socket, bound) = bind_udp(addr).map_err(ListenError::Bind)?;
            (listen_udp(socket, opts, wake)?, bound, true)
        }
    };
    Ok(Listening {
        run,
        experiment: opts.as_experiment(udp),
        bound,
    })
}

pub(crate) fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut | io::ErrorKind::Interrupted
    )
}

/// Bytes (and, for UDP, datagrams) an external server sent back while the app's sender ran.
#[derive(Debug, Default)]
pub struct Replies {
    pub bytes: AtomicU64,
    pub datagrams: AtomicU64,
}

/// Connects the app's sender to an external server at `target` and sends `exp`'s workload.
/// Replies are read (so the server never blocks on a full buffer) and counted in [`Replies`].
pub fn send_tcp(target: SocketAddr, exp: &Experiment, wake: Option<Wake>) -> Result<(Run, Arc<Replies>), EngineError> {
    exp.validate()?;
    let socket = Socket::new(Domain::for_address(target), Type::STREAM, None).map_err(setup(SetupCall::Socket {
        role: SocketRole::Sender,
    }))?;
    socket
        .set_tcp_nodelay(!exp.sender.nagle)
        .map_err(setup(SetupCall::SetOpt {
            role: SocketRole::Sender,
            opt: SetupOpt::Shown(SockOpt::TcpNodelay),
        }))?;
    if let Some(mss) = exp.mss {
        sys::set_tcp_mss(&socket, mss).map_err(setup(SetupCall::SetOpt {
            role: SocketRole::Sender,
            opt: SetupOpt::Shown(SockOpt::Mss),
        }))?;
    }
    if let Some(n) = exp.sender.sndbuf {
        socket
            .set_send_buffer_size(n as usize)
            .map_err(setup(SetupCall::SetOpt {
                role: SocketRole::Sender,
                opt: SetupOpt::Shown(SockOpt::SndBuf),
            }))?;
    }
    // A loopback target: bind first so the capture knows our port before the SYN leaves.
    let capture_pair = match target {
        SocketAddr::V4(to) if to.ip().is_loopback() => {
            socket
                .bind(&SocketAddr::from(([127, 0, 0, 1], 0)).into())
                .map_err(setup(SetupCall::Bind {
                    role: SocketRole::Sender,
                    addr: LOOPBACK_ANY,
                }))?;
            match local(&socket)? {
                SocketAddr::V4(from) => Some((from, to)),
                SocketAddr::V6(_) => None,
            }
        }
        _ => None,
    };
    let capture = capture_pair.map(|(from, to)| capture::open(from, to));
    socket
        .connect_timeout(&target.into(), Duration::from_secs(5))
        .map_err(setup(SetupCall::Connect {
            role: SocketRole::Sender,
            addr: target,
        }))?;
    if exp.sender.cork {
        sys::set_tcp_cork(&socket, true).map_err(setup(SetupCall::SetOpt {
            role: SocketRole::Sender,
            opt: SetupOpt::Shown(SockOpt::TcpCork),
        }))?;
    }
    socket.set_write_timeout(Some(POLL)).map_err(setup(SetupCall::SetOpt {
        role: SocketRole::Sender,
        opt: SetupOpt::SndTimeo,
    }))?;
    let reader = socket.try_clone().map_err(setup(SetupCall::Dup {
        role: SocketRole::Sender,
    }))?;
    reader.set_read_timeout(Some(POLL)).map_err(setup(SetupCall::SetOpt {
        role: SocketRole::Sender,
        opt: SetupOpt::RcvTimeo,
    }))?;
    let me = local(&socket)?;
    let replies = Arc::new(Replies::default());
    let counter = replies.clone();
    let exp = exp.clone();
    let run = Run::start_with(wake, move |sp, stop, capture_done| {
        match (capture, capture_pair) {
            (Some(Ok(cap)), Some((from, to))) => {
                let (stop, done) = (stop.clone(), capture_done.clone());
                sp.spawn("capture", move |sink| capture::run(cap, from, to, sink, &stop, &done))?;
                sp.capture = sp.handles.pop();
            }
            (Some(Err(reason)), _) => sp.sink().push(Event::SegmentsUnavailable { reason }),
            _ => sp.sink().push(Event::SegmentsUnavailable {
                reason: CaptureUnavailable::OnlyLoopback,
            }),
        }
        let mut sink = sp.sink();
        sink.push(Event::Connected {
            at_us: sink.now_us(),
            sender: me.to_string(),
            receiver: target.to_string(),
        });
        record_sender_options(&socket, &exp, &mut sink);
        drop(sink);
        let sender_done = Arc::new(AtomicBool::new(false));
        let (s1, d1) = (stop.clone(), sender_done.clone());
        sp.spawn("peer-replies", move |_sink| drain_replies(&reader, &counter, &s1, &d1))?;
        let s2 = stop.clone();
        sp.spawn("tcp-sender", move |sink| {
            tcp::send_all(socket, &exp, sink, &s2);
            sender_done.store(true, Ordering::Relaxed);
        })
    })?;
    Ok((run, replies))
}

fn record_sender_options(socket: &Socket, exp: &Experiment, sink: &mut EventSink) {
    let at_us = sink.now_us();
    let mut opt = |opt, requested: Option<u64>, actual: io::Result<u64>| match actual {
        Ok(actual) => sink.push(Event::SockOpt {
            at_us,
            side: Side::TcpSender,
            opt,
            requested,
            actual,
        }),
        // What this OS does not report (Windows' MSS) is left out, not shown as a failure.
        Err(e) if e.kind() == io::ErrorKind::Unsupported => {}
        Err(e) => sink.push(Event::Error {
            at_us,
            side: Side::TcpSender,
            error: Fault::call(Call::GetSockOpt { opt }, &e),
        }),
    };
    opt(
        SockOpt::TcpNodelay,
        Some(u64::from(!exp.sender.nagle)),
        socket.tcp_nodelay().map(u64::from),
    );
    opt(
        SockOpt::SndBuf,
        exp.sender.sndbuf.map(u64::from),
        socket.send_buffer_size().map(|n| n as u64),
    );
    opt(SockOpt::Mss, None, sys::tcp_info(socket).map(|i| u64::from(i.snd_mss)));
}

/// Reads and counts replies until the server closes, or until the sender is done and the
/// server stayed silent for [`REPLY_GRACE`].
pub(crate) fn drain_replies(reader: &Socket, replies: &Replies, stop: &AtomicBool, sender_done: &AtomicBool) {
    let mut buf = vec![0u8; 64 * 1024];
    let mut quiet_since: Option<Instant> = None;
    while !stop.load(Ordering::Relaxed) {
        match (&*reader).read(&mut buf) {
            Ok(0) => return,
            Ok(n) => {
                replies.bytes.fetch_add(n as u64, Ordering::Relaxed);
                quiet_since = None;
            }
            Err(e) if is_timeout(&e) => {
                if sender_done.load(Ordering::Relaxed)
                    && quiet_since.get_or_insert_with(Instant::now).elapsed() > REPLY_GRACE
                {
                    return;
                }
            }
            // A reset after our close is how some servers end; the count so far stands.
            Err(_) => return,
        }
    }
}

/// The addresses a client on another machine can reach `bound` at: `bound` itself for a
/// specific address, or, for a listener on every interface (`0.0.0.0` / `::`), each
/// non-loopback, non-link-local address of this machine of the same family, with `bound`'s
/// port (what a teacher puts on the projector). Empty when the machine has none; errors when
/// the OS cannot list its interfaces.
pub fn reachable_addrs(bound: SocketAddr) -> std::io::Result<Vec<SocketAddr>> {
    if !bound.ip().is_unspecified() {
        return Ok(vec![bound]);
    }
    let mut out: Vec<SocketAddr> = if_addrs::get_if_addrs()?
        .into_iter()
        .filter(|i| !i.is_loopback() && !i.is_link_local() && i.ip().is_ipv4() == bound.is_ipv4())
        .map(|i| SocketAddr::new(i.ip(), bound.port()))
        .collect();
    out.sort();
    out.dedup();
    Ok(out)
}
