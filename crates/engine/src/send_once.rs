//! `send()` with its count ignored (the send-vs-sendall lesson, `config::SendCall::Send`).
//!
//! The course's table of socket methods says `send()` loses data "when the data is larger than
//! the free space of the local buffer". It does not: it returns how many bytes it took. Under a
//! send timeout (`SO_SNDTIMEO`, set on every sender: `tcp::POLL`; Python's `settimeout()`
//! does the same with `poll`) a `send()` that cannot fit the whole buffer in time returns a
//! short count, and the program that ignores it simply never sends the rest.

use std::sync::atomic::{AtomicBool, Ordering};

use socket2::Socket;

use super::event::{EndReason, Event, MsgId, StreamOffset};
use super::sink::EventSink;
use super::sock::{send_recorded, Outcome};

/// One `send()` of `piece` whose count is not looked at: the bytes it did not take are recorded
/// as [`Event::NeverSent`] and the stream goes on right after what it took.
///
/// A `send()` that took nothing before its timeout is tried again: Python's `send()` raises
/// `socket.timeout` there rather than return 0, and a program that ignored that would have
/// stopped, not dropped a message.
pub(crate) fn write_ignoring_count(
    socket: &Socket,
    piece: &[u8],
    msg: MsgId,
    offset: u64,
    sink: &mut EventSink,
    stop: &AtomicBool,
) -> Outcome {
    if piece.is_empty() {
        return Ok(offset);
    }
    loop {
        if stop.load(Ordering::Relaxed) {
            return Err((offset, EndReason::Stopped));
        }
        if let Some((n, at_us)) = send_recorded(socket, piece, msg, offset, sink)? {
            let taken = offset + n as u64;
            if n < piece.len() {
                sink.push(Event::NeverSent {
                    at_us,
                    msg,
                    offset: StreamOffset(taken),
                    len: (piece.len() - n) as u32,
                });
            }
            return Ok(taken);
        }
    }
}
