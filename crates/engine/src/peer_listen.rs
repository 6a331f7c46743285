//! `listen --tcp`: the app as the server of the seed's lessons, for clients it did not write.
//!
//! Clients are served the way the seed's `socketserver.ThreadingTCPServer` serves them: each
//! accepted connection gets a thread of its own. So a client that connects and sends nothing (a
//! port scanner's probe, a student's client still waiting on `input()`) holds up nobody, and it
//! is never cut off for being slow: an interactive client may take its time. What bounds the
//! cost of a hostile peer is the number of clients connected at once ([`MAX_CLIENTS_AT_ONCE`])
//! and the decoder's frame length limit (a header claiming 4 GiB is an error, never an
//! allocation). When every place is taken, the client that has been connected longest without
//! sending a byte is let go to make room; only when all of them are talking is the newcomer
//! turned away. Each of these is reported.
//!
//! Every connection ends in one [`Event::Client`] report saying how it went. A client whose
//! header the decoder cannot accept is disconnected: a server that has lost the frame boundaries
//! can only guess where the next frame starts, and a wrong guess shows garbage as data.
//!
//! Timelines: the first client to send a byte is drawn on the main timeline, the next ones on
//! connection lanes 1..=[`MAX_LISTEN_LANES`] ([`Event::Conn`]), in the order they started
//! talking. A client that sends nothing gets no lane, only its report, so a port scan cannot use
//! up the lanes before the student's client arrives.

use std::io::{self, Read};
use std::net::{Shutdown, SocketAddr};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;

use socket2::{Domain, Socket, Type};

use crate::framing::FramingMode;

use super::event::{
    Call, CaptureUnavailable, ClientOutcome, EndReason, Event, Fault, PanickedThread, ReadCuts, Side, SockOpt,
};
use super::peer_common::{local, ListenOptions};
use super::reply_cuts::{ReplyFrame, ReplyPiece, ReplyShaper};
use super::reply_io::{send_reply, SendEnd};
use super::sink::{EventSink, Wake};
use super::sock::{is_timeout, peer_gone, POLL};
use super::tcp::{record_read, FrameChecker};
use super::{setup, SetupCall, SetupOpt, SocketRole};
use super::{EngineError, Run};
use crate::config::MAX_LISTEN_LANES;

pub use crate::config::MAX_CLIENTS_AT_ONCE;

/// Binds a TCP listener on `addr` (port 0 = any free port) and returns it with the bound
/// address, so the caller can print the port before anyone connects.
pub fn bind_tcp(addr: SocketAddr) -> Result<(Socket, SocketAddr), EngineError> {
    let listener = Socket::new(Domain::for_address(addr), Type::STREAM, None).map_err(setup(SetupCall::Socket {
        role: SocketRole::Listener,
    }))?;
    // Like the seed's servers: a restart right after a run must not fail on TIME_WAIT.
    listener.set_reuse_address(true).map_err(setup(SetupCall::SetOpt {
        role: SocketRole::Listener,
        opt: SetupOpt::ReuseAddr,
    }))?;
    listener.bind(&addr.into()).map_err(setup(SetupCall::Bind {
        role: SocketRole::Listener,
        addr,
    }))?;
    listener
        .listen(MAX_CLIENTS_AT_ONCE as i32)
        .map_err(setup(SetupCall::Listen))?;
    let bound = local(&listener)?;
    Ok((listener, bound))
}

/// Serves clients on `listener` until `opts.clients` of them were served (0 = until Stop).
pub fn listen_tcp(listener: Socket, opts: ListenOptions, wake: Option<Wake>) -> Result<Run, EngineError> {
    crate::config::validate_read_size(crate::config::Setting::ReadSize, opts.read_size)?;
    crate::config::validate_max_frame_len(opts.max_frame_len)?;
    // Polling accept() lets Stop end a listen nobody connected to.
    listener.set_nonblocking(true).map_err(setup(SetupCall::SetOpt {
        role: SocketRole::Listener,
        opt: SetupOpt::NonBlocking,
    }))?;
    let me = local(&listener)?.to_string();
    Run::start_with(wake, move |sp, stop, _capture_done| {
        let stop = stop.clone();
        sp.spawn("listen-acceptor", move |sink| {
            accept_loop(&listener, &me, opts, sink, &stop)
        })
    })
}

/// What the acceptor and its client threads share.
#[derive(Default)]
struct Shared {
    /// The next timeline lane to hand out (0 = the main timeline).
    next_lane: AtomicU32,
    /// Clients served (see [`ClientOutcome::Served`]).
    served: AtomicU32,
    /// Set when the listener ends: every client thread winds up within a poll interval.
    closing: AtomicBool,
}

fn accept_loop(listener: &Socket, me: &str, opts: ListenOptions, sink: &mut EventSink, stop: &AtomicBool) {
    let shared = Arc::new(Shared::default());
    let mut clients: Vec<Client> = Vec::new();
    let mut accept_error_reported = false;
    let mut end = EndReason::Stopped;
    loop {
        reap(&mut clients, sink);
        let enough = opts.clients > 0 && shared.served.load(Ordering::Relaxed) >= opts.clients;
        if stop.load(Ordering::Relaxed) || enough {
            break;
        }
        match listener.accept() {
            Ok((conn, addr)) => {
                let peer = addr.as_socket().map_or_else(|| "?".to_string(), |a| a.to_string());
                if !make_room(&clients) {
                    // Closing at once, nothing held for it; the client reads why before the end.
                    refuse(conn, opts.refusal);
                    report(
                        sink,
                        peer,
                        Tally::default(),
                        ClientOutcome::Refused {
                            limit: MAX_CLIENTS_AT_ONCE,
                        },
                    );
                    continue;
                }
                let timeouts = conn
                    .set_nonblocking(false)
                    .and_then(|()| conn.set_read_timeout(Some(POLL)))
                    .and_then(|()| conn.set_write_timeout(Some(POLL)));
                if let Err(e) = timeouts {
                    report(
                        sink,
                        peer,
                        Tally::default(),
                        ClientOutcome::Failed {
                            error: Fault::call(Call::SetSockOpt, &e),
                        },
                    );
                    continue;
                }
                let state = Arc::new(ClientState::default());
                let session = Session {
                    peer: peer.clone(),
                    me: me.to_string(),
                    opts,
                    shared: shared.clone(),
                    state: state.clone(),
                };
                let mut report_sink = sink.sibling();
                let spawned = std::thread::Builder::new()
                    .name("stickyviz-client".into())
                    .spawn(move || session.serve(conn, &mut report_sink));
                match spawned {
                    Ok(thread) => clients.push(Client { thread, state }),
                    Err(e) => report(
                        sink,
                        peer,
                        Tally::default(),
                        ClientOutcome::Failed {
                            error: Fault::call(Call::SpawnThread, &e),
                        },
                    ),
                }
            }
            Err(e) if is_timeout(&e) => {
                sink.flush();
                std::thread::sleep(POLL);
            }
            // A client that reset before accept() got to it, or a moment without descriptors or
            // memory (a connection flood): this client is lost, the listener is not.
            Err(e) if transient_accept_error(&e) => {
                if !accept_error_reported {
                    accept_error_reported = true;
                    let at_us = sink.now_us();
                    sink.push(Event::Error {
                        at_us,
                        side: Side::TcpReceiver,
                        error: Fault::call(Call::Accept, &e),
                    });
                }
                std::thread::sleep(POLL);
            }
            Err(e) => {
                end = EndReason::Failed(Fault::call(Call::Accept, &e));
                break;
            }
        }
    }
    // Connections the kernel completed but nobody accepted yet are clients too: each is
    // reported, then closed with the listener.
    while let Ok((conn, addr)) = listener.accept() {
        drop(conn);
        report(
            sink,
            addr.as_socket().map_or_else(|| "?".to_string(), |a| a.to_string()),
            Tally::default(),
            ClientOutcome::Stopped,
        );
    }
    shared.closing.store(true, Ordering::Relaxed);
    for c in clients {
        if c.thread.join().is_err() {
            let at_us = sink.now_us();
            sink.push(Event::Error {
                at_us,
                side: Side::TcpReceiver,
                error: Fault::Panicked {
                    thread: PanickedThread::Client,
                },
            });
        }
    }
    let at_us = sink.now_us();
    if shared.next_lane.load(Ordering::Relaxed) == 0 {
        // Nobody sent anything: the main timeline still needs its end.
        sink.push(Event::Ended {
            at_us,
            side: Side::TcpReceiver,
            bytes: 0,
            reason: end,
        });
    } else if let EndReason::Failed(error) = end {
        sink.push(Event::Error {
            at_us,
            side: Side::TcpReceiver,
            error,
        });
    }
}

/// One client's thread, and what the acceptor knows of it.
struct Client {
    thread: JoinHandle<()>,
    state: Arc<ClientState>,
}

#[derive(Default)]
struct ClientState {
    /// The client has sent at least one byte.
    talked: AtomicBool,
    /// The acceptor let this silent client go to make room for a new one.
    evicted: AtomicBool,
}

/// Whether a newcomer may be served: there is a free place, or the longest-silent client (the
/// first one in accept order that never sent a byte) is let go to make one.
fn make_room(clients: &[Client]) -> bool {
    let mut staying = clients.iter().filter(|c| !c.state.evicted.load(Ordering::Relaxed));
    if staying.clone().count() < MAX_CLIENTS_AT_ONCE as usize {
        return true;
    }
    match staying.find(|c| !c.state.talked.load(Ordering::Relaxed)) {
        Some(silent) => {
            silent.state.evicted.store(true, Ordering::Relaxed);
            true
        }
        None => false,
    }
}

/// Joins the client threads that have ended, so a long listen does not pile them up.
fn reap(clients: &mut Vec<Client>, sink: &mut EventSink) {
    let mut k = 0;
    while k < clients.len() {
        if clients[k].thread.is_finished() {
            // `remove`, not `swap_remove`: accept order is how the longest-silent is found.
            if clients.remove(k).thread.join().is_err() {
                let at_us = sink.now_us();
                sink.push(Event::Error {
                    at_us,
                    side: Side::TcpReceiver,
                    error: Fault::Panicked {
                        thread: PanickedThread::Client,
                    },
                });
            }
        } else {
            k += 1;
        }
    }
}

/// Tells a turned-away client why in one line (`opts.refusal`, worded by the front end), then
/// closes. One non-blocking send: a fresh connection's send buffer is empty, so the line fits,
/// and a client that cannot take it is not waited for.
fn refuse(conn: Socket, line: &str) {
    if conn.set_nonblocking(true).is_ok() {
        // The close below is the refusal itself; the line is a courtesy that may be lost.
        let _courtesy = conn.send(line.as_bytes());
        let _courtesy = conn.shutdown(Shutdown::Write);
    }
    drop(conn);
}

fn transient_accept_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionAborted | io::ErrorKind::ConnectionReset | io::ErrorKind::OutOfMemory
    ) || super::sys::is_transient_accept_error(e)
}

/// What a client's connection carried, counted where it was served.
#[derive(Default)]
struct Tally {
    lane: Option<u32>,
    bytes: u64,
    frames: u32,
    decode_errors: u32,
    cuts: Option<ReadCuts>,
}

fn report(sink: &mut EventSink, peer: String, tally: Tally, outcome: ClientOutcome) {
    let at_us = sink.now_us();
    let Tally {
        lane,
        bytes,
        frames,
        decode_errors,
        cuts,
    } = tally;
    sink.push(Event::Client {
        at_us,
        peer,
        lane,
        bytes,
        frames,
        outcome,
        decode_errors,
        cuts,
    });
    // Reports are rare and the acceptor may sleep next: the window shows them at once.
    sink.flush();
}

/// Replies sent as they are: one write of them all, at once.
fn whole(replies: Vec<ReplyFrame>) -> Vec<ReplyPiece> {
    let bytes: Vec<u8> = replies.into_iter().flat_map(|r| r.bytes).collect();
    vec![ReplyPiece {
        pause_before: std::time::Duration::ZERO,
        bytes,
    }]
}

/// One client's connection, served on its own thread.
struct Session {
    peer: String,
    me: String,
    opts: ListenOptions,
    shared: Arc<Shared>,
    state: Arc<ClientState>,
}

/// The client's stream once it has sent its first byte: its lane and decoder.
struct Stream {
    lane: Option<u32>,
    sink: EventSink,
    checker: FrameChecker<'static>,
    offset: u64,
}

impl Session {
    fn serve(self, conn: Socket, report_sink: &mut EventSink) {
        let accepted_us = report_sink.now_us();
        let mut stream: Option<Stream> = None;
        let outcome = self.read_loop(&conn, accepted_us, report_sink, &mut stream);
        if matches!(outcome, ClientOutcome::Dropped { .. }) {
            let _already_gone_is_fine = conn.shutdown(Shutdown::Both);
        }
        drop(conn);
        if outcome == ClientOutcome::Served {
            self.shared.served.fetch_add(1, Ordering::Relaxed);
        }
        let tally = match &mut stream {
            Some(s) => {
                let reason = match &outcome {
                    ClientOutcome::Served | ClientOutcome::ClosedMidFrame { .. } => EndReason::Complete,
                    ClientOutcome::Stopped => EndReason::Stopped,
                    ClientOutcome::Reset { error, .. } => {
                        EndReason::PeerClosed(Fault::PeerGone { error: error.clone() })
                    }
                    // The decode error itself is on the timeline already.
                    ClientOutcome::Dropped { .. } => EndReason::Failed(Fault::ClosedBadHeader),
                    ClientOutcome::Failed { error } => EndReason::Failed(error.clone()),
                    ClientOutcome::SentNothing | ClientOutcome::Refused { .. } | ClientOutcome::Evicted { .. } => {
                        EndReason::Complete
                    }
                };
                let at_us = s.sink.now_us();
                s.sink.push(Event::Ended {
                    at_us,
                    side: Side::TcpReceiver,
                    bytes: s.offset,
                    reason,
                });
                s.sink.flush();
                s.checker.close_cuts();
                let c = &s.checker;
                Tally {
                    lane: s.lane,
                    bytes: s.offset,
                    frames: c.frames_decoded(),
                    decode_errors: c.decode_errors(),
                    cuts: c.read_cuts(),
                }
            }
            None => Tally::default(),
        };
        report(report_sink, self.peer.clone(), tally, outcome);
    }

    /// Reads until the client closes, resets, sends what cannot be decoded, or the listener ends.
    fn read_loop(
        &self,
        conn: &Socket,
        accepted_us: u64,
        report_sink: &EventSink,
        stream: &mut Option<Stream>,
    ) -> ClientOutcome {
        let read_size = self.opts.read_size as usize;
        let mut buf = vec![0u8; read_size];
        let mut shaper = ReplyShaper::default();
        loop {
            // Evicted first: the listener may end before this thread looks (the newcomer it
            // made room for can be served within a poll interval), and it was let go before.
            if self.state.evicted.load(Ordering::Relaxed) {
                return ClientOutcome::Evicted {
                    limit: MAX_CLIENTS_AT_ONCE,
                };
            }
            if self.shared.closing.load(Ordering::Relaxed) {
                return ClientOutcome::Stopped;
            }
            let want = stream
                .as_ref()
                .map_or(read_size, |s| s.checker.next_read_size(read_size));
            let start_us = report_sink.now_us();
            match (&*conn).read(&mut buf[..want]) {
                Ok(0) => {
                    // a reply still held for merging is the client's all the same
                    if let Some(held) = shaper.due(true) {
                        // a client that closed without reading is served all the same
                        let _client_may_be_gone = self.echo(conn, &held, stream);
                    }
                    return match stream {
                        None => ClientOutcome::SentNothing,
                        Some(s) => match s.checker.finish(&mut s.sink) {
                            Some(error) => ClientOutcome::ClosedMidFrame { error },
                            None => ClientOutcome::Served,
                        },
                    };
                }
                Ok(n) => {
                    self.state.talked.store(true, Ordering::Relaxed);
                    let s = stream.get_or_insert_with(|| self.open_stream(conn, accepted_us, report_sink));
                    s.offset = record_read(&mut s.sink, &mut s.checker, s.offset, &buf[..n], want, start_us);
                    if let Some(error) = s.checker.fatal_error() {
                        return ClientOutcome::Dropped { error: error.clone() };
                    }
                    if self.opts.echo {
                        let replies = match self.opts.framing {
                            FramingMode::None => vec![ReplyFrame {
                                bytes: buf[..n].to_ascii_uppercase(),
                                split_at: n / 2,
                            }],
                            _ => s.checker.take_reply_frames(),
                        };
                        // `--torture` cuts the replies the way a network can; else each goes whole
                        let pieces = if self.opts.torture {
                            shaper.shape(replies)
                        } else {
                            whole(replies)
                        };
                        for piece in pieces {
                            std::thread::sleep(piece.pause_before);
                            if let Some(outcome) = self.echo(conn, &piece.bytes, stream) {
                                return outcome;
                            }
                        }
                    }
                }
                Err(e) if is_timeout(&e) => {
                    if let Some(s) = stream {
                        s.sink.flush();
                    }
                    if let Some(held) = shaper.due(false) {
                        if let Some(outcome) = self.echo(conn, &held, stream) {
                            return outcome;
                        }
                    }
                }
                Err(e) => return self.broken(Call::Recv, &e, stream),
            }
        }
    }

    /// Sends `data` back (the seed's echo servers answer each `recv()` upper-cased), with the
    /// app's one echo ([`super::echo::send_reply`]); the reply is not drawn.
    fn echo(&self, conn: &Socket, data: &[u8], stream: &mut Option<Stream>) -> Option<ClientOutcome> {
        let sink = stream.as_mut().map(|s| &mut s.sink);
        match send_reply(conn, data, &self.shared.closing, sink, None) {
            Ok(()) => None,
            Err(SendEnd::Stopped) => Some(ClientOutcome::Stopped),
            Err(SendEnd::Failed(e)) => Some(self.broken(Call::EchoSend, &e, stream)),
        }
    }

    /// A connection that broke: a reset (mid-frame or not), or another failure.
    fn broken(&self, call: Call, e: &io::Error, stream: &mut Option<Stream>) -> ClientOutcome {
        if !peer_gone(e) {
            return ClientOutcome::Failed {
                error: Fault::call(call, e),
            };
        }
        let unfinished = stream.as_mut().and_then(|s| s.checker.finish(&mut s.sink));
        ClientOutcome::Reset {
            error: e.into(),
            unfinished,
        }
    }

    /// The client sent its first byte: give it the next lane and record its connection there.
    fn open_stream(&self, conn: &Socket, accepted_us: u64, report_sink: &EventSink) -> Stream {
        let lane = self.shared.next_lane.fetch_add(1, Ordering::Relaxed);
        let (lane, mut sink) = match lane {
            0 => (Some(0), report_sink.sibling()),
            k if k <= MAX_LISTEN_LANES => (Some(k), report_sink.sibling().for_connection(k)),
            _ => (None, report_sink.discarding()),
        };
        sink.push(Event::Connected {
            at_us: accepted_us,
            sender: self.peer.clone(),
            receiver: self.me.clone(),
        });
        sink.push(Event::SegmentsUnavailable {
            reason: CaptureUnavailable::Listen,
        });
        match conn.recv_buffer_size() {
            Ok(n) => sink.push(Event::SockOpt {
                at_us: accepted_us,
                side: Side::TcpReceiver,
                opt: SockOpt::RcvBuf,
                requested: None,
                actual: n as u64,
            }),
            Err(e) => sink.push(Event::Error {
                at_us: accepted_us,
                side: Side::TcpReceiver,
                error: Fault::call(Call::GetSockOpt { opt: SockOpt::RcvBuf }, &e),
            }),
        }
        let mut checker = FrameChecker::new(
            self.opts.framing,
            self.opts.max_frame_len,
            self.opts.length_prefix,
            None,
        );
        if self.opts.echo {
            checker.echo_frames(self.opts.framing, self.opts.length_prefix);
        }
        if self.opts.framing != FramingMode::None {
            checker.classify_reads();
        }
        Stream {
            lane,
            sink,
            checker,
            offset: 0,
        }
    }
}
