//! The socket calls every part of the engine records the same way: one `send()` recorded with
//! the kernel's counts after it, waiting for the last ACK, telling a timeout from a peer that
//! went away. The experiment, the peers, the echo pair and the restart lesson all build on these
//! and on nothing of each other's.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use socket2::{Domain, Socket, Type};

use super::event::{Call, EndReason, Event, Fault, MsgId, StreamOffset};
use super::sink::EventSink;
use super::sys;
use super::{setup, EngineError, SetupCall, SetupOpt, SocketRole};
use crate::config::Experiment;
use crate::event::SockOpt;

/// How long a blocked `send()`/`recv()` waits before looking at the stop flag again.
pub const POLL: Duration = Duration::from_millis(20);

/// Received bytes kept per run for the inspector (1 MiB).
pub const BYTES_KEPT: u64 = 1024 * 1024;

pub(crate) fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut | io::ErrorKind::Interrupted
    )
}

pub(crate) fn peer_gone(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionReset | io::ErrorKind::BrokenPipe | io::ErrorKind::ConnectionAborted
    )
}

pub(crate) type Outcome = Result<u64, (u64, EndReason)>;

/// One `send()` per piece; a `send()` that returns less (buffer full, timeout) is followed by
/// another, and each is recorded as the kernel saw it.
pub(crate) fn write_piece(
    socket: &Socket,
    mut piece: &[u8],
    msg: MsgId,
    mut offset: u64,
    sink: &mut EventSink,
    stop: &AtomicBool,
) -> Outcome {
    while !piece.is_empty() {
        if stop.load(Ordering::Relaxed) {
            return Err((offset, EndReason::Stopped));
        }
        if let Some((n, _)) = send_recorded(socket, piece, msg, offset, sink)? {
            offset += n as u64;
            piece = &piece[n..];
        }
    }
    Ok(offset)
}

/// One `send()` of `piece` at stream `offset`, recorded as an [`Event::Write`] with the
/// kernel's counts right after it (`TCP_INFO`). `Ok(Some((bytes taken, at_us)))`; `Ok(None)`
/// when the send timeout passed with nothing taken (the caller looks at the stop flag and tries
/// again); `Err` ends the run's sending: the peer went away or the call failed.
pub(crate) fn send_recorded(
    socket: &Socket,
    piece: &[u8],
    msg: MsgId,
    offset: u64,
    sink: &mut EventSink,
) -> Result<Option<(usize, u64)>, (u64, EndReason)> {
    let start_us = Some(sink.now_us());
    match (&*socket).write(piece) {
        Ok(n) => {
            let at_us = sink.now_us();
            let info = sys::tcp_info(socket).unwrap_or_default();
            sink.push(Event::Write {
                start_us,
                at_us,
                msg,
                offset: StreamOffset(offset),
                len: n as u32,
                requested: Some(piece.len() as u32),
                segs_out: info.data_segs_out,
                notsent: info.notsent_bytes,
                unacked: info.unacked,
            });
            Ok(Some((n, at_us)))
        }
        Err(e) if is_timeout(&e) => {
            sink.flush();
            Ok(None)
        }
        Err(e) if peer_gone(&e) => Err((offset, EndReason::PeerClosed(Fault::PeerGone { error: (&e).into() }))),
        Err(e) => Err((offset, EndReason::Failed(Fault::call(Call::Send, &e)))),
    }
}

/// Waits (up to 2 s) until every byte has left and been acknowledged, then records the total
/// segment count: the last bytes Nagle held leave only after the reader's ACK.
pub(crate) fn wait_until_acked(socket: &Socket, sink: &mut EventSink, stop: &AtomicBool) {
    wait_until_acked_as(socket, sink, stop, |e| e)
}

/// [`wait_until_acked`], its count recorded as `axis` wraps it (the reply axis for a server).
pub(crate) fn wait_until_acked_as(socket: &Socket, sink: &mut EventSink, stop: &AtomicBool, axis: fn(Event) -> Event) {
    let deadline = Instant::now() + Duration::from_secs(2);
    loop {
        let Ok(info) = sys::tcp_info(socket) else { return };
        let settled = info.notsent_bytes == 0 && info.unacked == 0;
        if settled || Instant::now() > deadline || stop.load(Ordering::Relaxed) {
            let at_us = sink.now_us();
            sink.push(axis(Event::WireTotal {
                at_us,
                segs_out: info.data_segs_out,
                retransmitted: info.total_retrans,
            }));
            return;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
}

/// A TCP socket for the app's sender (`role`: the sender, or one of many-clients' clients) with
/// the experiment's sender options set before it connects: `TCP_NODELAY` when Nagle is off,
/// `SO_SNDBUF` when asked, and `mss` (`TCP_MAXSEG`) when given. A failed call is an
/// [`EngineError::Setup`] naming the call, the socket and the option.
pub(crate) fn sender_socket(
    domain: Domain,
    role: SocketRole,
    exp: &Experiment,
    mss: Option<u32>,
) -> Result<Socket, EngineError> {
    let opt = |opt| {
        setup(SetupCall::SetOpt {
            role,
            opt: SetupOpt::Shown(opt),
        })
    };
    let socket = Socket::new(domain, Type::STREAM, None).map_err(setup(SetupCall::Socket { role }))?;
    socket
        .set_tcp_nodelay(!exp.sender.nagle)
        .map_err(opt(SockOpt::TcpNodelay))?;
    if let Some(n) = exp.sender.sndbuf {
        socket.set_send_buffer_size(n as usize).map_err(opt(SockOpt::SndBuf))?;
    }
    if let Some(mss) = mss {
        sys::set_tcp_mss(&socket, mss).map_err(opt(SockOpt::Mss))?;
    }
    Ok(socket)
}
