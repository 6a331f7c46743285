//! One side of a request/response connection writing and reading its replies: each `send()` of
//! a reply and each `recv()` of one recorded on the reply axis. The echo pair, the handshake
//! and `listen --echo` share these.

use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};

use socket2::Socket;

use super::event::{Call, EndReason, Event, Fault, MsgId, StreamOffset};
use super::sink::EventSink;
use super::sock::{is_timeout, peer_gone, BYTES_KEPT};
use super::sys;

pub(super) fn reply(event: Event) -> Event {
    Event::Reply { event: Box::new(event) }
}

/// How sending a reply ended early.
#[derive(Debug)]
pub(super) enum SendEnd {
    /// The run (or the listener) is stopping.
    Stopped,
    Failed(std::io::Error),
}

/// Sends all of `data` back: the one echo of the app's own server (below, each `send()` on the
/// reply axis) and of `listen --echo` (`peer_listen.rs`, no reply axis). A client that never
/// reads fills its receive buffer and then ours; the send then waits, a poll interval at a
/// time, flushing `sink`'s events, so `stop` can still end it. With `axis` (the message and the
/// reply stream's offset), each `send()` is recorded as a reply [`Event::Write`].
pub(super) fn send_reply(
    socket: &Socket,
    mut data: &[u8],
    stop: &AtomicBool,
    mut sink: Option<&mut EventSink>,
    mut axis: Option<(MsgId, &mut u64)>,
) -> Result<(), SendEnd> {
    while !data.is_empty() {
        if stop.load(Ordering::Relaxed) {
            return Err(SendEnd::Stopped);
        }
        let start_us = sink.as_ref().map(|s| s.now_us());
        match std::io::Write::write(&mut &*socket, data) {
            Ok(n) => {
                if let (Some(sink), Some((msg, offset))) = (sink.as_deref_mut(), axis.as_mut()) {
                    let at_us = sink.now_us();
                    let info = sys::tcp_info(socket).unwrap_or_default();
                    sink.push(reply(Event::Write {
                        start_us,
                        at_us,
                        msg: *msg,
                        offset: StreamOffset(**offset),
                        len: n as u32,
                        requested: Some(data.len() as u32),
                        segs_out: info.data_segs_out,
                        notsent: info.notsent_bytes,
                        unacked: info.unacked,
                    }));
                    **offset += n as u64;
                }
                data = &data[n..];
            }
            Err(e) if is_timeout(&e) => {
                if let Some(sink) = sink.as_deref_mut() {
                    sink.flush();
                }
            }
            Err(e) => return Err(SendEnd::Failed(e)),
        }
    }
    Ok(())
}

/// Writes one reply, recording each `send()` on the reply axis (like `tcp::write_piece`).
pub(super) fn write_reply(
    socket: &Socket,
    data: &[u8],
    msg: MsgId,
    mut offset: u64,
    sink: &mut EventSink,
    stop: &AtomicBool,
) -> Result<u64, (u64, EndReason)> {
    match send_reply(socket, data, stop, Some(sink), Some((msg, &mut offset))) {
        Ok(()) => Ok(offset),
        Err(SendEnd::Stopped) => Err((offset, EndReason::Stopped)),
        Err(SendEnd::Failed(e)) if peer_gone(&e) => {
            Err((offset, EndReason::PeerClosed(Fault::PeerGone { error: (&e).into() })))
        }
        Err(SendEnd::Failed(e)) => Err((offset, EndReason::Failed(Fault::call(Call::Send, &e)))),
    }
}

/// The client's state on the reply axis.
pub(super) struct ReplyReader {
    buf: Vec<u8>,
    offset: u64,
    last_len: usize,
    /// When the last successful read returned.
    last_at_us: u64,
}

impl ReplyReader {
    /// A reader whose every `recv()` asks for `read_size` bytes.
    pub(super) fn new(read_size: usize) -> Self {
        ReplyReader {
            buf: vec![0u8; read_size],
            offset: 0,
            last_len: 0,
            last_at_us: 0,
        }
    }

    /// Reply-stream bytes read so far.
    pub(super) fn offset(&self) -> u64 {
        self.offset
    }

    /// When the last successful read returned (a frame it completed is stamped then).
    pub(super) fn last_at_us(&self) -> u64 {
        self.last_at_us
    }

    /// The bytes the last successful read returned.
    pub(super) fn last_read(&self) -> &[u8] {
        &self.buf[..self.last_len]
    }

    /// One `recv(N)`, recorded on the reply axis. `Ok(0)` = the server closed.
    pub(super) fn read_once(
        &mut self,
        socket: &Socket,
        sink: &mut EventSink,
        stop: &AtomicBool,
    ) -> Result<usize, EndReason> {
        loop {
            if stop.load(Ordering::Relaxed) {
                return Err(EndReason::Stopped);
            }
            let start_us = Some(sink.now_us());
            match (&*socket).read(&mut self.buf) {
                Ok(0) => return Ok(0),
                Ok(n) => {
                    let at_us = sink.now_us();
                    self.last_at_us = at_us;
                    let offset = StreamOffset(self.offset);
                    sink.push(reply(Event::Read {
                        start_us,
                        at_us,
                        offset,
                        len: n as u32,
                        requested: self.buf.len() as u32,
                    }));
                    if self.offset < BYTES_KEPT {
                        sink.push(reply(Event::Bytes {
                            offset,
                            data: self.buf[..n].to_vec(),
                        }));
                    }
                    self.offset += n as u64;
                    self.last_len = n;
                    return Ok(n);
                }
                Err(e) if is_timeout(&e) => sink.flush(),
                Err(e) if peer_gone(&e) => return Err(EndReason::PeerClosed(Fault::PeerGone { error: (&e).into() })),
                Err(e) => return Err(EndReason::Failed(Fault::call(Call::Recv, &e))),
            }
        }
    }
}
