//! The address-in-use run (issue 32, the course's "Address already in use"): a client sends its
//! message to a server; the server closes first; the kernel's socket table is read for both
//! ends; a second server binds the same port at once, with `SO_REUSEADDR` or without.
//!
//! Nothing here is timing-dependent: the side that closes first always ends in TIME_WAIT
//! (about 60 s on Linux), so the second `bind()` meets it every run. On Linux that `bind()`
//! fails with `EADDRINUSE` unless both the old and the new socket set `SO_REUSEADDR` before
//! `bind()` (a TIME_WAIT socket keeps the option of the socket it came from: checked here,
//! `inet_csk_bind_conflict`); a port a socket still listens on is refused either way.

use std::io::{self, Read};
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::{Duration, Instant};

use socket2::{Domain, Socket, Type};

use crate::config::{Experiment, Restart};

use super::event::{BindWhen, EndReason, Event, MsgId, Side, StreamOffset, TableEntry, TcpState};
use super::sink::EventSink;
use super::sock::{is_timeout, write_piece, Outcome, POLL};
use super::tcp::{record_read, FrameChecker};
use super::workload::{message_size, payload};
use super::{setup, EngineError, SetupCall, SetupOpt, SocketRole, Spawner};

/// How long the run waits for the kernel to finish the closing handshake (the last ACK) before
/// it reads the table anyway: on loopback it is done within microseconds of `close()`.
const SETTLE: Duration = Duration::from_secs(1);

/// A server's listening socket: `SO_REUSEADDR` before `bind()` when the lesson's setting asks.
fn server_socket(reuse_addr: bool) -> io::Result<Socket> {
    let s = Socket::new(Domain::IPV4, Type::STREAM, None)?;
    s.set_reuse_address(reuse_addr)?;
    Ok(s)
}

/// Binds the server and the client (ephemeral ports), starts the capture, connects, and starts
/// the one thread that plays both programs in turn.
pub(crate) fn spawn(
    exp: &Experiment,
    opts: Restart,
    sp: &mut Spawner,
    stop: &Arc<AtomicBool>,
    capture_done: &Arc<AtomicBool>,
) -> Result<(), EngineError> {
    let localhost = SocketAddr::from(([127, 0, 0, 1], 0));
    let listener = server_socket(opts.reuse_addr).map_err(setup(SetupCall::Socket {
        role: SocketRole::Listener,
    }))?;
    listener.bind(&localhost.into()).map_err(setup(SetupCall::Bind {
        role: SocketRole::Listener,
        addr: localhost,
    }))?;
    listener.listen(1).map_err(setup(SetupCall::Listen))?;
    let server = v4(&listener, SocketRole::Listener)?;
    let client = Socket::new(Domain::IPV4, Type::STREAM, None).map_err(setup(SetupCall::Socket {
        role: SocketRole::Sender,
    }))?;
    client.bind(&localhost.into()).map_err(setup(SetupCall::Bind {
        role: SocketRole::Sender,
        addr: localhost,
    }))?;
    let client_addr = v4(&client, SocketRole::Sender)?;
    super::Run::start_capture(sp, client_addr, server, stop, capture_done)?;
    client
        .connect_timeout(&SocketAddr::V4(server).into(), Duration::from_secs(2))
        .map_err(setup(SetupCall::Connect {
            role: SocketRole::Sender,
            addr: SocketAddr::V4(server),
        }))?;
    let (conn, _) = listener.accept().map_err(setup(SetupCall::Accept))?;
    for (s, role) in [(&client, SocketRole::Sender), (&conn, SocketRole::Listener)] {
        s.set_write_timeout(Some(POLL)).map_err(setup(SetupCall::SetOpt {
            role,
            opt: SetupOpt::SndTimeo,
        }))?;
        s.set_read_timeout(Some(POLL)).map_err(setup(SetupCall::SetOpt {
            role,
            opt: SetupOpt::RcvTimeo,
        }))?;
    }
    let mut sink = sp.sink();
    sink.push(Event::Connected {
        at_us: sink.now_us(),
        sender: client_addr.to_string(),
        receiver: server.to_string(),
    });
    drop(sink);
    let (exp, stop) = (exp.clone(), stop.clone());
    let programs = Programs {
        listener,
        conn,
        client,
        server,
        client_addr,
        reuse_addr: opts.reuse_addr,
    };
    sp.spawn("restart", move |sink| programs.play(&exp, sink, &stop))
}

fn v4(s: &Socket, role: SocketRole) -> Result<SocketAddrV4, EngineError> {
    match s
        .local_addr()
        .map_err(setup(SetupCall::LocalAddr { role }))?
        .as_socket()
    {
        Some(SocketAddr::V4(a)) => Ok(a),
        _ => Err(EngineError::NotIpv4 { role }),
    }
}

struct Programs {
    listener: Socket,
    conn: Socket,
    client: Socket,
    server: SocketAddrV4,
    client_addr: SocketAddrV4,
    reuse_addr: bool,
}

impl Programs {
    fn play(self, exp: &Experiment, sink: &mut EventSink, stop: &AtomicBool) {
        let Programs {
            listener,
            conn,
            client,
            server,
            client_addr,
            reuse_addr,
        } = self;
        // the client's messages, then the server reads them all
        let sent = match send_messages(&client, exp, sink, stop) {
            Ok(n) => n,
            Err((n, reason)) => return end_both(sink, n, reason),
        };
        let received = match read_exactly(&conn, exp, sent, sink, stop) {
            Ok(n) => n,
            Err((n, reason)) => return end_both(sink, n, reason),
        };
        // a second server while the first still listens: refused, SO_REUSEADDR or not
        bind_again(server.port(), reuse_addr, BindWhen::WhileListening, sink);
        // the server closes first (its FIN leaves), and exits: the listener goes too
        drop(conn);
        drop(listener);
        push_ended(sink, Side::TcpReceiver, received, EndReason::Complete);
        // the client reads the end of the stream (recv() returns 0), then closes
        let reason = wait_for_end(&client, stop);
        drop(client);
        push_ended(sink, Side::TcpSender, sent, reason);
        let (server_entry, client_entry) = settled_table(server, client_addr);
        let at_us = sink.now_us();
        for (side, local, remote, entry) in [
            (Side::TcpReceiver, server, client_addr, server_entry),
            (Side::TcpSender, client_addr, server, client_entry),
        ] {
            sink.push(Event::SocketState {
                at_us,
                side,
                local: local.to_string(),
                remote: remote.to_string(),
                entry,
            });
        }
        bind_again(server.port(), reuse_addr, BindWhen::AfterClose, sink);
    }
}

fn push_ended(sink: &mut EventSink, side: Side, bytes: u64, reason: EndReason) {
    let at_us = sink.now_us();
    sink.push(Event::Ended {
        at_us,
        side,
        bytes,
        reason,
    });
}

fn end_both(sink: &mut EventSink, bytes: u64, reason: EndReason) {
    push_ended(sink, Side::TcpSender, bytes, reason.clone());
    push_ended(sink, Side::TcpReceiver, 0, reason);
}

/// The workload's messages, one `sendall()` each.
fn send_messages(client: &Socket, exp: &Experiment, sink: &mut EventSink, stop: &AtomicBool) -> Outcome {
    let (mut offset, mut body, mut framed) = (0u64, Vec::new(), Vec::new());
    for i in 0..exp.workload.count {
        payload(i, message_size(&exp.workload, i), &mut body);
        framed.clear();
        let header_len = exp.framing.encode_with(exp.length_prefix, &body, &mut framed);
        let at_us = sink.now_us();
        sink.push(Event::Message {
            at_us,
            msg: MsgId(i),
            offset: StreamOffset(offset),
            len: framed.len() as u32,
            header_len: header_len as u32,
        });
        offset = write_piece(client, &framed, MsgId(i), offset, sink, stop)?;
    }
    Ok(offset)
}

/// The server reads until it has the `sent` bytes (the client does not close first).
fn read_exactly(conn: &Socket, exp: &Experiment, sent: u64, sink: &mut EventSink, stop: &AtomicBool) -> Outcome {
    let mut checker = FrameChecker::new(exp.framing, exp.max_frame_len, exp.length_prefix, Some(exp));
    let mut buf = vec![0u8; exp.receiver.read_size as usize];
    let mut offset = 0u64;
    while offset < sent {
        if stop.load(std::sync::atomic::Ordering::Relaxed) {
            return Err((offset, EndReason::Stopped));
        }
        let want = ((sent - offset) as usize).min(buf.len());
        let start_us = sink.now_us();
        match (&*conn).read(&mut buf[..want]) {
            Ok(0) => return Err((offset, EndReason::Complete)),
            Ok(n) => offset = record_read(sink, &mut checker, offset, &buf[..n], want, start_us),
            Err(e) if is_timeout(&e) => sink.flush(),
            Err(e) => {
                let fault = super::event::Fault::call(super::event::Call::Recv, &e);
                return Err((offset, EndReason::Failed(fault)));
            }
        }
    }
    Ok(offset)
}

/// The client's `recv()` until it returns 0: the server's FIN arrived.
fn wait_for_end(client: &Socket, stop: &AtomicBool) -> EndReason {
    let deadline = Instant::now() + SETTLE;
    let mut buf = [0u8; 64];
    loop {
        if stop.load(std::sync::atomic::Ordering::Relaxed) {
            return EndReason::Stopped;
        }
        match (&*client).read(&mut buf) {
            Ok(0) => return EndReason::Complete,
            Ok(_) => {}
            Err(e) if is_timeout(&e) && Instant::now() < deadline => {}
            Err(e) => return EndReason::Failed(super::event::Fault::call(super::event::Call::Recv, &e)),
        }
    }
}

/// A second server's `bind()` to `port`, recorded with the OS's answer; a bound one listens
/// and exits.
fn bind_again(port: u16, reuse_addr: bool, when: BindWhen, sink: &mut EventSink) {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let result = server_socket(reuse_addr).and_then(|s| s.bind(&addr.into()).and_then(|()| s.listen(1)));
    let at_us = sink.now_us();
    sink.push(Event::Bind {
        at_us,
        port,
        reuse_addr,
        when,
        error: result.err().map(|e| (&e).into()),
    });
}

/// The table once the closing handshake is over (the first closer in TIME_WAIT, the other
/// gone), or as it is after [`SETTLE`].
fn settled_table(server: SocketAddrV4, client: SocketAddrV4) -> (TableEntry, TableEntry) {
    let deadline = Instant::now() + SETTLE;
    loop {
        let entries = (table_entry(server, client), table_entry(client, server));
        let settled = matches!(
            entries,
            (
                TableEntry::Listed {
                    state: TcpState::TimeWait
                },
                TableEntry::Gone
            )
        );
        if settled || Instant::now() > deadline {
            return entries;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// The state of the connection `local` → `remote` in the kernel's table (`/proc/net/tcp`).
fn table_entry(local: SocketAddrV4, remote: SocketAddrV4) -> TableEntry {
    if !cfg!(target_os = "linux") {
        return TableEntry::NotLinux;
    }
    match std::fs::read_to_string("/proc/net/tcp") {
        Ok(text) => find_in_table(&text, local, remote),
        Err(e) => TableEntry::Unreadable { error: (&e).into() },
    }
}

/// One line of `/proc/net/tcp`: `sl local rem st …`, addresses as `0100007F:1F90` (the IPv4
/// address as the kernel holds it, in network byte order printed as a host-order number;
/// the port in host order).
fn find_in_table(text: &str, local: SocketAddrV4, remote: SocketAddrV4) -> TableEntry {
    let parse = |field: &str| -> Option<SocketAddrV4> {
        let (ip, port) = field.split_once(':')?;
        let ip = u32::from_str_radix(ip, 16).ok()?;
        let port = u16::from_str_radix(port, 16).ok()?;
        Some(SocketAddrV4::new(Ipv4Addr::from(ip.to_ne_bytes()), port))
    };
    for line in text.lines().skip(1) {
        let mut fields = line.split_whitespace().skip(1);
        let (Some(l), Some(r), Some(st)) = (fields.next(), fields.next(), fields.next()) else {
            continue;
        };
        if parse(l) == Some(local) && parse(r) == Some(remote) {
            if let Some(state) = u8::from_str_radix(st, 16).ok().and_then(TcpState::from_code) {
                return TableEntry::Listed { state };
            }
        }
    }
    TableEntry::Gone
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_time_wait_line_of_proc_net_tcp_is_found_by_both_addresses() {
        let text = "  sl  local_address rem_address   st tx_queue rx_queue\n   \
            0: 0100007F:1F90 00000000:0000 0A 00000000:00000000\n   \
            1: 0100007F:1F90 0100007F:D431 06 00000000:00000000\n";
        let (server, client) = (
            SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0x1F90),
            SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0xD431),
        );
        if cfg!(target_endian = "little") {
            assert_eq!(
                find_in_table(text, server, client),
                TableEntry::Listed {
                    state: TcpState::TimeWait
                }
            );
        }
        assert_eq!(find_in_table(text, client, server), TableEntry::Gone);
    }
}
