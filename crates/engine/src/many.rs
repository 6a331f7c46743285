//! many-clients: the seed's socketserver lesson. One listening server, N client connections
//! made at once, a server thread per accepted connection (`ThreadingTCPServer`) and a client
//! thread per connection, all running the request/response exchange of `echo.rs`.
//!
//! Each connection is its own byte stream with its own boundaries: connection 0 is recorded
//! with the plain events, connections 1..N tagged with [`Event::Conn`]. Segments are not
//! captured here (one capture follows one connection); `TCP_INFO` counts still are.

use std::net::{SocketAddr, SocketAddrV4};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use socket2::{Domain, Socket, Type};

use crate::config::Experiment;

use super::echo;
use super::event::{CaptureUnavailable, Event};
use super::sock::{sender_socket, POLL};
use super::tcp::TcpPair;
use super::{setup, SetupCall, SetupOpt, SockOpt, SocketRole, LOOPBACK_ANY};
use super::{EngineError, Spawner};
use crate::config::EchoOptions;

fn v4(addr: socket2::SockAddr, role: SocketRole) -> Result<SocketAddrV4, EngineError> {
    match addr.as_socket() {
        Some(SocketAddr::V4(a)) => Ok(a),
        _ => Err(EngineError::NotIpv4 { role }),
    }
}

pub(super) fn spawn(
    exp: &Experiment,
    opts: EchoOptions,
    sp: &mut Spawner,
    stop: &Arc<AtomicBool>,
) -> Result<(), EngineError> {
    let localhost = SocketAddr::from(([127, 0, 0, 1], 0));
    let listener = Socket::new(Domain::IPV4, Type::STREAM, None).map_err(setup(SetupCall::Socket {
        role: SocketRole::Listener,
    }))?;
    if let Some(n) = exp.receiver.rcvbuf {
        listener
            .set_recv_buffer_size(n as usize)
            .map_err(setup(SetupCall::SetOpt {
                role: SocketRole::Listener,
                opt: SetupOpt::Shown(SockOpt::RcvBuf),
            }))?;
    }
    listener.bind(&localhost.into()).map_err(setup(SetupCall::Bind {
        role: SocketRole::Listener,
        addr: LOOPBACK_ANY,
    }))?;
    listener
        .listen(opts.connections as i32)
        .map_err(setup(SetupCall::Listen))?;
    let server_addr = v4(
        listener.local_addr().map_err(setup(SetupCall::LocalAddr {
            role: SocketRole::Listener,
        }))?,
        SocketRole::Listener,
    )?;
    let mut clients = Vec::new();
    for _ in 0..opts.connections {
        let client = sender_socket(Domain::IPV4, SocketRole::Client, exp, None)?;
        // Connecting all first (the backlog holds them), accepting after: like N users
        // starting their clients before the server's accept loop gets to them.
        client
            .connect_timeout(&SocketAddr::V4(server_addr).into(), Duration::from_secs(2))
            .map_err(setup(SetupCall::Connect {
                role: SocketRole::Client,
                addr: SocketAddr::V4(server_addr),
            }))?;
        client.set_write_timeout(Some(POLL)).map_err(setup(SetupCall::SetOpt {
            role: SocketRole::Client,
            opt: SetupOpt::SndTimeo,
        }))?;
        let addr = v4(
            client.local_addr().map_err(setup(SetupCall::LocalAddr {
                role: SocketRole::Client,
            }))?,
            SocketRole::Client,
        )?;
        clients.push(Some((client, addr)));
    }
    for _ in 0..opts.connections {
        let (conn, peer) = listener.accept().map_err(setup(SetupCall::Accept))?;
        conn.set_read_timeout(Some(POLL)).map_err(setup(SetupCall::SetOpt {
            role: SocketRole::Client,
            opt: SetupOpt::RcvTimeo,
        }))?;
        let peer = v4(peer, SocketRole::Client)?;
        // Accept order need not be connect order: pair each accepted socket with its client.
        let k = clients.iter().position(|c| c.as_ref().is_some_and(|(_, a)| *a == peer));
        let Some((client, client_addr)) = k.and_then(|k| clients[k].take()) else {
            return Err(EngineError::UnexpectedPeer {
                peer: SocketAddr::V4(peer),
            });
        };
        let k = k.unwrap_or_default() as u32;
        let pair = TcpPair {
            sender: client,
            receiver: conn,
            sender_addr: client_addr,
            receiver_addr: server_addr,
        };
        let mut sink = if k == 0 { sp.sink() } else { sp.sink().for_connection(k) };
        sink.push(Event::Connected {
            at_us: sink.now_us(),
            sender: client_addr.to_string(),
            receiver: server_addr.to_string(),
        });
        sink.push(Event::SegmentsUnavailable {
            reason: CaptureUnavailable::ManyClients,
        });
        super::tcp::record_options(&pair, exp, &mut sink);
        drop(sink);
        // Each client sends its own message sizes, so the streams differ on screen.
        let mut own = exp.clone();
        own.workload.seed = exp.workload.seed.wrapping_add(u64::from(k));
        echo::spawn(pair, &own, opts, (k > 0).then_some(k), sp, stop)?;
    }
    Ok(())
}
