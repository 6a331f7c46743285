//! Request/response over one connection: the seed's echo server and remote-command server.
//!
//! The client (the run's sender socket) writes request `i` (framed, and split into writes as
//! the sender settings say), then reads the reply before sending the next request. The server
//! (the receiver socket) reads requests, and for every complete request (every decoded frame;
//! with no framing, every read, as the seed's `recv(1024)` server does) writes one reply.
//!
//! Both directions are recorded: requests as the ordinary stream events, replies wrapped in
//! [`Event::Reply`] on their own byte axis, and each request's latency as [`Event::Round`].
//! The latency is what shows Nagle meeting delayed ACK: a request written as header + body is
//! a write-write-read; Nagle holds the body until the header is acknowledged, and the server
//! delays that ACK (about 40 ms on Linux) because it has nothing to send yet.

use std::io::Read;
use std::net::Shutdown;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use socket2::Socket;

use crate::config::{ClientReads, EchoOptions, Experiment, WriteSplit};
use crate::framing::FramingMode;

use super::event::{Call, CaptureUnavailable, EndReason, Event, Fault, MsgId, Side, StreamOffset};
use super::handshake;
use super::reply_io::{reply, write_reply, ReplyReader};
use super::sink::EventSink;
use super::sock::{is_timeout, peer_gone, write_piece};
use super::tcp::{FrameChecker, TcpPair};
use super::workload::{message_size, payload};
use super::{EngineError, Spawner};

/// Starts the client and server threads on a connected pair (`conn` = its tag in a
/// many-clients run).
pub(super) fn spawn(
    pair: TcpPair,
    exp: &Experiment,
    opts: EchoOptions,
    conn: Option<u32>,
    sp: &mut Spawner,
    stop: &Arc<AtomicBool>,
) -> Result<(), EngineError> {
    let mut sink = sp.sink();
    if let Some(c) = conn {
        sink = sink.for_connection(c);
    }
    // A running capture follows the replies too (the receiver's data, from its SYN-ACK); else
    // the reply lane says why it is empty, as the request lane does.
    if sp.capture.is_none() {
        let reason = sp
            .capture_unavailable
            .clone()
            .unwrap_or(CaptureUnavailable::ManyClients);
        sink.push(reply(Event::SegmentsUnavailable { reason }));
    }
    let mut exp = exp.clone();
    if opts.handshake.is_some() && exp.framing != FramingMode::None {
        // A decoder started after the 32 handshake bytes would place its frames 32 bytes
        // early; the seed's authenticated echo is unframed anyway. Said, not hidden.
        let error = Fault::HandshakeUnframed {
            framing: exp.framing.name().to_string(),
        };
        sink.push(Event::Error {
            at_us: sink.now_us(),
            side: Side::TcpReceiver,
            error,
        });
        exp.framing = FramingMode::None;
    }
    drop(sink);
    let exp = &exp;
    let (e1, s1) = (exp.clone(), stop.clone());
    let tag = conn.map_or(String::new(), |c| format!("-{c}"));
    sp.spawn_in(&format!("echo-server{tag}"), conn, move |sink| {
        serve(pair.receiver, &e1, opts, sink, &s1)
    })?;
    let (e2, s2) = (exp.clone(), stop.clone());
    sp.spawn_in(&format!("echo-client{tag}"), conn, move |sink| {
        client(pair.sender, &e2, opts, sink, &s2)
    })
}

/// The reply to request `i`: its payload upper-cased, or `reply_size` bytes of command output.
/// Message ids on both axes start after the handshake's, when there is one.
fn first_id(opts: EchoOptions) -> u32 {
    u32::from(opts.handshake.is_some())
}

fn reply_bytes(exp: &Experiment, opts: EchoOptions, i: u32, out: &mut Vec<u8>) {
    let len = opts.reply_size.unwrap_or_else(|| message_size(&exp.workload, i));
    payload(first_id(opts) + i, len, out);
    out.make_ascii_uppercase();
}

fn serve(socket: Socket, exp: &Experiment, opts: EchoOptions, sink: &mut EventSink, stop: &AtomicBool) {
    let (bytes, replied, reason) = serve_loop(&socket, exp, opts, sink, stop);
    // The client drains replies until end of stream: tell it there will be no more.
    let _already_closed_is_fine = socket.shutdown(Shutdown::Write);
    // The kernel's own segment count for the reply direction, as for the requests.
    super::sock::wait_until_acked_as(&socket, sink, stop, reply);
    let reason = if reason == EndReason::Complete || !stop.load(Ordering::Relaxed) {
        reason
    } else {
        EndReason::Stopped
    };
    let at_us = sink.now_us();
    sink.push(Event::Ended {
        at_us,
        side: Side::TcpReceiver,
        bytes,
        reason: reason.clone(),
    });
    sink.push(reply(Event::Ended {
        at_us,
        side: Side::TcpSender,
        bytes: replied,
        reason,
    }));
}

fn serve_loop(
    socket: &Socket,
    exp: &Experiment,
    opts: EchoOptions,
    sink: &mut EventSink,
    stop: &AtomicBool,
) -> (u64, u64, EndReason) {
    let read_size = exp.receiver.read_size as usize;
    let mut buf = vec![0u8; read_size];
    let mut checker = FrameChecker::new(exp.framing, exp.max_frame_len, exp.length_prefix, Some(exp));
    let (mut offset, mut reply_off, mut answered) = (0u64, 0u64, 0u32);
    if opts.handshake.is_some() {
        match handshake::server(socket, sink, stop) {
            Ok((req_end, reply_end, true)) => (offset, reply_off) = (req_end, reply_end),
            Ok((req_end, reply_end, false)) => {
                return (req_end, reply_end, EndReason::Failed(Fault::HandshakeRefusedShort))
            }
            Err(e) => return e,
        }
    }
    let mut out = Vec::new();
    loop {
        if stop.load(Ordering::Relaxed) {
            return (offset, reply_off, EndReason::Stopped);
        }
        let want = checker.next_read_size(read_size);
        let start_us = sink.now_us();
        match (&*socket).read(&mut buf[..want]) {
            Ok(0) => {
                checker.finish(sink);
                return (offset, reply_off, EndReason::Complete);
            }
            Ok(n) => {
                offset = super::tcp::record_read(sink, &mut checker, offset, &buf[..n], want, start_us);
                // With no framing the server cannot know where a request ends; like the seed's
                // server it answers whatever one recv() returned.
                let due = if exp.framing == FramingMode::None {
                    answered + 1
                } else {
                    checker.frames_decoded()
                };
                while answered < due {
                    reply_bytes(exp, opts, answered, &mut out);
                    let msg = MsgId(first_id(opts) + answered);
                    let at_us = sink.now_us();
                    sink.push(reply(Event::Message {
                        at_us,
                        msg,
                        offset: StreamOffset(reply_off),
                        len: out.len() as u32,
                        header_len: 0,
                    }));
                    match write_reply(socket, &out, msg, reply_off, sink, stop) {
                        Ok(end) => reply_off = end,
                        Err((_, reason)) => return (offset, reply_off, reason),
                    }
                    answered += 1;
                }
            }
            Err(e) if is_timeout(&e) => sink.flush(),
            Err(e) if peer_gone(&e) => {
                return (
                    offset,
                    reply_off,
                    EndReason::PeerClosed(Fault::PeerGone { error: (&e).into() }),
                )
            }
            Err(e) => return (offset, reply_off, EndReason::Failed(Fault::call(Call::Recv, &e))),
        }
    }
}

fn client(socket: Socket, exp: &Experiment, opts: EchoOptions, sink: &mut EventSink, stop: &AtomicBool) {
    let mut replies = ReplyReader::new(opts.client_read_size as usize);
    let (sent, reason) = match requests(&socket, exp, opts, &mut replies, sink, stop) {
        Ok(sent) => {
            // Closing our half ends the server's loop; what it still sends is read (and drawn)
            // until it closes too: with one read per command, that is the leftover output.
            let _already_closed_is_fine = socket.shutdown(Shutdown::Write);
            // The kernel's own segment count for the request direction: the capture's
            // count is checked against it, so a segment the capture missed is said.
            super::sock::wait_until_acked(&socket, sink, stop);
            let drained = loop {
                match replies.read_once(&socket, sink, stop) {
                    Ok(0) => break EndReason::Complete,
                    Ok(_) => {}
                    Err(reason) => break reason,
                }
            };
            (sent, drained)
        }
        Err((sent, reason)) => (sent, reason),
    };
    let reason = if reason != EndReason::Complete && stop.load(Ordering::Relaxed) {
        EndReason::Stopped
    } else {
        reason
    };
    let at_us = sink.now_us();
    sink.push(Event::Ended {
        at_us,
        side: Side::TcpSender,
        bytes: sent,
        reason: reason.clone(),
    });
    sink.push(reply(Event::Ended {
        at_us,
        side: Side::TcpReceiver,
        bytes: replies.offset(),
        reason,
    }));
}

fn requests(
    socket: &Socket,
    exp: &Experiment,
    opts: EchoOptions,
    replies: &mut ReplyReader,
    sink: &mut EventSink,
    stop: &AtomicBool,
) -> Result<u64, (u64, EndReason)> {
    let w = &exp.workload;
    let (mut offset, mut body, mut framed, mut expected) = (0u64, Vec::new(), Vec::new(), Vec::new());
    if let Some(h) = opts.handshake {
        offset = handshake::client(socket, h, replies, sink, stop)?;
    }
    let base = first_id(opts);
    for i in 0..w.count {
        if i > 0 && !sink.pause(Duration::from_micros(w.gap_us), stop) {
            return Err((offset, EndReason::Stopped));
        }
        payload(base + i, message_size(w, i), &mut body);
        framed.clear();
        let header_len = exp.framing.encode_with(exp.length_prefix, &body, &mut framed);
        let msg = MsgId(base + i);
        let t0 = sink.now_us();
        sink.push(Event::Message {
            at_us: t0,
            msg,
            offset: StreamOffset(offset),
            len: framed.len() as u32,
            header_len: header_len as u32,
        });
        let cuts: Vec<&[u8]> = match exp.sender.split {
            WriteSplit::HeaderThenBody if header_len > 0 => vec![&framed[..header_len], &framed[header_len..]],
            WriteSplit::Whole | WriteSplit::HeaderThenBody => vec![&framed[..]],
            WriteSplit::Chunks { bytes } => framed.chunks(bytes.max(1) as usize).collect(),
        };
        for (k, piece) in cuts.iter().enumerate() {
            if k > 0 && !sink.pause(Duration::from_micros(w.chunk_gap_us), stop) {
                return Err((offset, EndReason::Stopped));
            }
            offset = write_piece(socket, piece, msg, offset, sink, stop)?;
        }
        reply_bytes(exp, opts, i, &mut expected);
        let want = expected.len() as u64;
        let mut got = 0u64;
        loop {
            match replies.read_once(socket, sink, stop) {
                Ok(0) => return Err((offset, EndReason::PeerClosed(Fault::ServerClosedBeforeReply))),
                Ok(n) => got += n as u64,
                Err(reason) => return Err((offset, reason)),
            }
            if opts.client_reads == ClientReads::OncePerRequest || got >= want {
                break;
            }
        }
        let at_us = sink.now_us();
        let latency_us = at_us.saturating_sub(t0);
        sink.push(Event::Round {
            at_us,
            index: i,
            latency_us,
            request_len: framed.len() as u32,
            reply_len: got as u32,
        });
    }
    Ok(offset)
}
