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
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use socket2::{Domain, Socket};

use crate::config::Experiment;

use super::event::{Call, CaptureUnavailable, Event, Fault, Side, SockOpt};
use super::peer_common::local;
use super::sink::{EventSink, Wake};
use super::sock::{is_timeout, sender_socket, POLL};
use super::tcp;
use super::{capture, setup, sys, EngineError, Run, SetupCall, SetupOpt, SocketRole, LOOPBACK_ANY};
use crate::failure::ListenError;

pub use super::peer_common::{ListenOptions, Replies, REPLY_GRACE};
pub use super::peer_listen::{bind_tcp, listen_tcp, MAX_CLIENTS_AT_ONCE};
pub use super::peer_udp::{bind_udp, listen_udp, send_udp};

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

/// Connects the app's sender to an external server at `target` and sends `exp`'s workload.
/// Replies are read (so the server never blocks on a full buffer) and counted in [`Replies`].
pub fn send_tcp(target: SocketAddr, exp: &Experiment, wake: Option<Wake>) -> Result<(Run, Arc<Replies>), EngineError> {
    exp.validate()?;
    let socket = sender_socket(Domain::for_address(target), SocketRole::Sender, exp, exp.mss)?;
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
