//! The UDP sender and receiver: the same workload, one datagram per message.
//!
//! UDP keeps boundaries: one `sendto()` is one `recvfrom()`. But a datagram bigger than the
//! read buffer loses its tail (`MSG_TRUNC` tells the real size), and when the receive buffer is
//! full the kernel drops whole datagrams. Drops are counted by the `msg-N|` ids, which is exact.

use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use socket2::{Domain, Socket, Type};

use crate::config::Experiment;

use super::event::{Call, EndReason, Event, Fault, MsgId, Side, SockOpt};
use super::sink::EventSink;
use super::sock::POLL;
use super::workload::{message_size, parse_msg_id, payload};
use super::{sys, EngineError};

// On loopback a datagram is queued at the receiver (or dropped) before the sender's `send()`
// returns. So once the sender is done, a `recvfrom()` that waits a whole poll interval and gets
// nothing means every datagram that will ever arrive has been read. Deciding on a timed-out
// read, not on wall-clock time since the last arrival, keeps a starved reader thread from
// quitting early and miscounting datagrams still queued as dropped.

/// The longest `msg-N|` id: `msg-4294967295|`.
const ID_PREFIX_MAX: usize = 15;

pub struct UdpPair {
    pub sender: Socket,
    pub receiver: Socket,
}

/// Binds the receiver on 127.0.0.1 and connects the sender to it.
pub fn bind_pair(exp: &Experiment) -> Result<UdpPair, EngineError> {
    use super::{setup, SetupCall, SetupOpt, SocketRole, LOOPBACK_ANY};
    let localhost: SocketAddr = SocketAddr::from(([127, 0, 0, 1], 0));
    let receiver = Socket::new(Domain::IPV4, Type::DGRAM, None).map_err(setup(SetupCall::Socket {
        role: SocketRole::UdpReceiver,
    }))?;
    if let Some(n) = exp.udp.rcvbuf {
        receiver
            .set_recv_buffer_size(n as usize)
            .map_err(setup(SetupCall::SetOpt {
                role: SocketRole::UdpReceiver,
                opt: SetupOpt::Shown(SockOpt::RcvBuf),
            }))?;
    }
    receiver.bind(&localhost.into()).map_err(setup(SetupCall::Bind {
        role: SocketRole::UdpReceiver,
        addr: LOOPBACK_ANY,
    }))?;
    receiver.set_read_timeout(Some(POLL)).map_err(setup(SetupCall::SetOpt {
        role: SocketRole::UdpReceiver,
        opt: SetupOpt::RcvTimeo,
    }))?;
    let to = receiver.local_addr().map_err(setup(SetupCall::LocalAddr {
        role: SocketRole::UdpReceiver,
    }))?;
    let sender = Socket::new(Domain::IPV4, Type::DGRAM, None).map_err(setup(SetupCall::Socket {
        role: SocketRole::UdpSender,
    }))?;
    sender.bind(&localhost.into()).map_err(setup(SetupCall::Bind {
        role: SocketRole::UdpSender,
        addr: LOOPBACK_ANY,
    }))?;
    let addr = to.as_socket().ok_or(EngineError::NotIpv4 {
        role: SocketRole::UdpReceiver,
    })?;
    sender.connect(&to).map_err(setup(SetupCall::Connect {
        role: SocketRole::UdpSender,
        addr,
    }))?;
    Ok(UdpPair { sender, receiver })
}

pub fn record_options(pair: &UdpPair, exp: &Experiment, sink: &mut EventSink) {
    let at_us = sink.now_us();
    let requested = exp.udp.rcvbuf.map(u64::from);
    match pair.receiver.recv_buffer_size() {
        Ok(n) => sink.push(Event::SockOpt {
            at_us,
            side: Side::UdpReceiver,
            opt: SockOpt::RcvBuf,
            requested,
            actual: n as u64,
        }),
        Err(e) => sink.push(Event::Error {
            at_us,
            side: Side::UdpReceiver,
            error: Fault::call(Call::GetSockOpt { opt: SockOpt::RcvBuf }, &e),
        }),
    }
}

pub fn send_all(socket: Socket, exp: &Experiment, sink: &mut EventSink, stop: &AtomicBool, done: &AtomicBool) {
    let w = &exp.workload;
    let mut body = Vec::new();
    let mut bytes = 0u64;
    let mut reason = EndReason::Complete;
    for i in 0..w.count {
        if i > 0 {
            let pause = if w.burst > 0 && i % w.burst == 0 {
                w.burst_gap_us
            } else {
                w.gap_us
            };
            if !sink.pause(Duration::from_micros(pause), stop) {
                reason = EndReason::Stopped;
                break;
            }
        }
        payload(i, message_size(w, i), &mut body);
        let start_us = Some(sink.now_us());
        match socket.send(&body) {
            Ok(n) => {
                bytes += n as u64;
                let at_us = sink.now_us();
                sink.push(Event::DatagramSent {
                    start_us,
                    at_us,
                    msg: MsgId(i),
                    len: n as u32,
                });
            }
            // Linux may refuse a send when its own queue is full; the datagram is lost here.
            Err(e) if sys::is_no_buffer_space(&e) => {
                let at_us = sink.now_us();
                sink.push(Event::Error {
                    at_us,
                    side: Side::UdpSender,
                    error: Fault::DatagramNotSent {
                        msg: MsgId(i),
                        error: (&e).into(),
                    },
                });
            }
            Err(e) => {
                reason = EndReason::Failed(Fault::call(Call::SendTo, &e));
                break;
            }
        }
    }
    done.store(true, Ordering::Relaxed);
    let at_us = sink.now_us();
    sink.push(Event::Ended {
        at_us,
        side: Side::UdpSender,
        bytes,
        reason,
    });
}

pub fn receive_all(
    socket: Socket,
    exp: &Experiment,
    sink: &mut EventSink,
    stop: &AtomicBool,
    sender_done: &AtomicBool,
) {
    let (bytes, reason) = read_loop(&socket, exp, sink, stop, sender_done);
    let at_us = sink.now_us();
    sink.push(Event::Ended {
        at_us,
        side: Side::UdpReceiver,
        bytes,
        reason,
    });
}

fn read_loop(
    socket: &Socket,
    exp: &Experiment,
    sink: &mut EventSink,
    stop: &AtomicBool,
    sender_done: &AtomicBool,
) -> (u64, EndReason) {
    if !sink.pause(Duration::from_millis(exp.udp.start_delay_ms), stop) {
        return (0, EndReason::Stopped);
    }
    let mut buf = vec![0u8; exp.udp.read_size as usize];
    let mut id_buf = [0u8; ID_PREFIX_MAX];
    let (mut bytes, mut received) = (0u64, 0u32);
    loop {
        if stop.load(Ordering::Relaxed) {
            return (bytes, EndReason::Stopped);
        }
        let sender_was_done = sender_done.load(Ordering::Relaxed);
        if sender_was_done && received >= exp.workload.count {
            return (bytes, EndReason::Complete);
        }
        match recv_one(socket, &mut buf, &mut id_buf) {
            Ok((d, msg)) => {
                received += 1;
                bytes += d.copied as u64;
                let at_us = sink.now_us();
                sink.push(Event::DatagramReceived {
                    at_us,
                    msg,
                    len: d.copied as u32,
                    real_len: d.real_len as u32,
                    os_error: d.os_error,
                });
            }
            Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => {
                if sender_was_done {
                    return (bytes, EndReason::Complete);
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return (bytes, EndReason::Failed(Fault::call(Call::RecvFrom, &e))),
        }
    }
}

/// One `recvfrom(N)` as the app makes it, and the datagram's id. A read buffer too small for
/// the `msg-N|` id would make every datagram anonymous (and listed as lost): so it first peeks
/// at the datagram's head, which leaves it queued, and the app's `recvfrom(N)` then returns
/// exactly what it would have without the peek. Returns the read as the OS answered it, and the id.
fn recv_one(
    socket: &Socket,
    buf: &mut [u8],
    id_buf: &mut [u8; ID_PREFIX_MAX],
) -> io::Result<(sys::DatagramRead, Option<MsgId>)> {
    let peeked = if buf.len() < ID_PREFIX_MAX {
        let (n, _) = sys::peek_datagram(socket, id_buf)?;
        parse_msg_id(&id_buf[..n])
    } else {
        None
    };
    let d = sys::recv_datagram(socket, buf)?;
    Ok((d, peeked.or_else(|| parse_msg_id(&buf[..d.copied]))))
}
