//! UDP against external peers: `listen --udp` records every datagram a client sends (with its
//! real length, so truncation shows), `send --udp` sends the workload as datagrams to a server.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use socket2::{Domain, Socket, Type};

use crate::config::Experiment;

use super::event::{Call, EndReason, Event, Fault, Side, SockOpt};
use super::peer_common::{ListenOptions, Replies, REPLY_GRACE};
use super::sink::{EventSink, Wake};
use super::sock::{is_timeout, POLL};
use super::workload::parse_msg_id;
use super::{setup, SetupCall, SetupOpt, SocketRole};
use super::{sys, udp, EngineError, Run};

/// Binds a UDP socket on `addr` (port 0 = any free port) and returns it with the bound address.
pub fn bind_udp(addr: SocketAddr) -> Result<(Socket, SocketAddr), EngineError> {
    let socket = Socket::new(Domain::for_address(addr), Type::DGRAM, None).map_err(setup(SetupCall::Socket {
        role: SocketRole::UdpSocket,
    }))?;
    socket.bind(&addr.into()).map_err(setup(SetupCall::Bind {
        role: SocketRole::UdpSocket,
        addr,
    }))?;
    socket.set_read_timeout(Some(POLL)).map_err(setup(SetupCall::SetOpt {
        role: SocketRole::UdpSocket,
        opt: SetupOpt::RcvTimeo,
    }))?;
    let bound = socket
        .local_addr()
        .map_err(setup(SetupCall::LocalAddr {
            role: SocketRole::UdpSocket,
        }))?
        .as_socket()
        .ok_or(EngineError::NotIpv4 {
            role: SocketRole::UdpSocket,
        })?;
    Ok((socket, bound))
}

/// Records every datagram sent to `socket` until `opts.idle_ms` pass after the last one.
pub fn listen_udp(socket: Socket, opts: ListenOptions, wake: Option<Wake>) -> Result<Run, EngineError> {
    crate::config::validate_read_size(crate::config::Setting::ReadSize, opts.read_size)?;
    Run::start_with(wake, move |sp, stop, _| {
        let stop = stop.clone();
        sp.spawn("peer-udp-receiver", move |sink| {
            let (bytes, reason) = receive_datagrams(&socket, opts, sink, &stop);
            let at_us = sink.now_us();
            sink.push(Event::Ended {
                at_us,
                side: Side::UdpReceiver,
                bytes,
                reason,
            });
        })
    })
}

fn receive_datagrams(
    socket: &Socket,
    opts: ListenOptions,
    sink: &mut EventSink,
    stop: &AtomicBool,
) -> (u64, EndReason) {
    let at_us = sink.now_us();
    if let Ok(n) = socket.recv_buffer_size() {
        sink.push(Event::SockOpt {
            at_us,
            side: Side::UdpReceiver,
            opt: SockOpt::RcvBuf,
            requested: None,
            actual: n as u64,
        });
    }
    let mut buf = vec![0u8; opts.read_size as usize];
    let mut bytes = 0u64;
    let mut last: Option<Instant> = None;
    loop {
        if stop.load(Ordering::Relaxed) {
            return (bytes, EndReason::Stopped);
        }
        // MSG_TRUNC gives the real length, but recv() forgets the sender; peek it first so an
        // echo can answer, then read with the real length.
        let from = match socket.peek_sender() {
            Ok(addr) => addr,
            Err(e) if is_timeout(&e) => {
                if last.is_some_and(|t| t.elapsed() > Duration::from_millis(opts.idle_ms)) {
                    return (bytes, EndReason::Complete);
                }
                continue;
            }
            Err(e) => return (bytes, EndReason::Failed(Fault::call(Call::RecvFrom, &e))),
        };
        match sys::recv_datagram(socket, &mut buf) {
            Ok(d) => {
                let (n, real) = (d.copied, d.real_len);
                last = Some(Instant::now());
                bytes += n as u64;
                let at_us = sink.now_us();
                sink.push(Event::DatagramReceived {
                    at_us,
                    msg: parse_msg_id(&buf[..n]),
                    len: n as u32,
                    real_len: real as u32,
                    os_error: d.os_error,
                });
                if opts.echo {
                    if let Err(e) = socket.send_to(&buf[..n].to_ascii_uppercase(), &from) {
                        sink.push(Event::Error {
                            at_us,
                            side: Side::UdpReceiver,
                            error: Fault::call(Call::EchoSendTo, &e),
                        });
                    }
                }
            }
            Err(e) if is_timeout(&e) => {}
            Err(e) => return (bytes, EndReason::Failed(Fault::call(Call::RecvFrom, &e))),
        }
    }
}

/// Sends `exp`'s workload as datagrams to an external server; replies are counted.
pub fn send_udp(target: SocketAddr, exp: &Experiment, wake: Option<Wake>) -> Result<(Run, Arc<Replies>), EngineError> {
    exp.validate_udp_over(target.is_ipv6())?;
    let socket = Socket::new(Domain::for_address(target), Type::DGRAM, None).map_err(setup(SetupCall::Socket {
        role: SocketRole::UdpSender,
    }))?;
    socket.connect(&target.into()).map_err(setup(SetupCall::Connect {
        role: SocketRole::UdpSender,
        addr: target,
    }))?;
    let reader = socket.try_clone().map_err(setup(SetupCall::Dup {
        role: SocketRole::UdpSender,
    }))?;
    reader.set_read_timeout(Some(POLL)).map_err(setup(SetupCall::SetOpt {
        role: SocketRole::UdpSender,
        opt: SetupOpt::RcvTimeo,
    }))?;
    let replies = Arc::new(Replies::default());
    let counter = replies.clone();
    let exp = exp.clone();
    let run = Run::start_with(wake, move |sp, stop, _| {
        let done = Arc::new(AtomicBool::new(false));
        let (s1, d1) = (stop.clone(), done.clone());
        sp.spawn("peer-udp-replies", move |_sink| {
            drain_datagrams(&reader, &counter, &s1, &d1)
        })?;
        let s2 = stop.clone();
        sp.spawn("udp-sender", move |sink| udp::send_all(socket, &exp, sink, &s2, &done))
    })?;
    Ok((run, replies))
}

fn drain_datagrams(reader: &Socket, replies: &Replies, stop: &AtomicBool, sender_done: &AtomicBool) {
    let mut buf = vec![0u8; 65_536];
    let mut quiet_since: Option<Instant> = None;
    while !stop.load(Ordering::Relaxed) {
        match sys::recv_datagram(reader, &mut buf) {
            Ok(d) => {
                let n = d.copied;
                replies.bytes.fetch_add(n as u64, Ordering::Relaxed);
                replies.datagrams.fetch_add(1, Ordering::Relaxed);
                quiet_since = None;
            }
            Err(e) if is_timeout(&e) => {
                if sender_done.load(Ordering::Relaxed)
                    && quiet_since.get_or_insert_with(Instant::now).elapsed() > REPLY_GRACE
                {
                    return;
                }
            }
            // ECONNREFUSED: no server on that port (ICMP unreachable); the sender reports it.
            Err(_) => return,
        }
    }
}
