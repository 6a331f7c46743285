//! The seed's connection check (认证客户端的链接合法性): before any request, the server sends a
//! 32-byte random challenge and the client must answer with an HMAC of it under the shared key.
//!
//! ```text
//!  server → client   32 random bytes (os.urandom(32))
//!  client → server   HMAC-SHA256(key, challenge): 32 bytes
//!  server            compare in constant time; a wrong answer closes the connection
//! ```
//!
//! The seed's `hmac.new(key, msg)` had no digest argument, which in Python before 3.8 meant
//! MD5 (16 bytes); this uses SHA-256. Both handshake messages are stream bytes like any other:
//! they get their own frames on the timeline. The seed reads the answer with one
//! `recv(len(digest))`, which may return fewer bytes; here the server loops until it has all 32.

use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};

use hmac::{Hmac, Mac};
use sha2::Sha256;
use socket2::Socket;

use super::event::{Call, EndReason, Event, Fault, MsgId, OsError, Side, StreamOffset};
use super::reply_io::{reply, write_reply, ReplyReader};
use super::sink::EventSink;
use super::sock::{is_timeout, peer_gone, write_piece};

/// Challenge length, as in the seed (`os.urandom(32)`).
pub const CHALLENGE_LEN: usize = 32;
/// HMAC-SHA256 output length.
pub const DIGEST_LEN: usize = 32;
/// The seed's shared secret.
pub const KEY: &[u8] = b"xxxxx";
/// The key of the seed's "illegal client" that does not know the secret.
pub const WRONG_KEY: &[u8] = b"linhaifeng bang bang bang1111";

use crate::config::HandshakeOptions;

fn digest(key: &[u8], challenge: &[u8]) -> [u8; DIGEST_LEN] {
    // HMAC takes keys of any length; new_from_slice cannot fail for it.
    match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(challenge);
            mac.finalize().into_bytes().into()
        }
        Err(_) => [0; DIGEST_LEN],
    }
}

fn verify(key: &[u8], challenge: &[u8], answer: &[u8]) -> bool {
    Hmac::<Sha256>::new_from_slice(key).is_ok_and(|mut mac| {
        mac.update(challenge);
        mac.verify_slice(answer).is_ok()
    })
}

fn frame(at_us: u64, len: usize, intact: bool) -> Event {
    Event::Frame {
        at_us,
        index: 0,
        offset: StreamOffset(0),
        len: len as u32,
        payload_len: len as u32,
        intact,
    }
}

/// Server side. Returns the stream offsets after the handshake (request, reply) and whether
/// the client proved it knows the key.
pub(super) fn server(
    socket: &Socket,
    sink: &mut EventSink,
    stop: &AtomicBool,
) -> Result<(u64, u64, bool), (u64, u64, EndReason)> {
    let mut challenge = [0u8; CHALLENGE_LEN];
    if let Err(e) = getrandom::fill(&mut challenge) {
        return Err((
            0,
            0,
            EndReason::Failed(Fault::NoRandom {
                error: OsError {
                    kind: "Other".into(),
                    code: e.raw_os_error(),
                    words: e.to_string(),
                },
            }),
        ));
    }
    let at_us = sink.now_us();
    sink.push(reply(Event::Message {
        at_us,
        msg: MsgId(0),
        offset: StreamOffset(0),
        len: CHALLENGE_LEN as u32,
        header_len: 0,
    }));
    // The challenge's frame is the client's to stamp: it exists once the client read it all.
    let reply_off = write_reply(socket, &challenge, MsgId(0), 0, sink, stop).map_err(|(off, r)| (0, off, r))?;
    let mut answer = [0u8; DIGEST_LEN];
    let mut got = 0;
    let mut last_read_us = 0;
    while got < DIGEST_LEN {
        if stop.load(Ordering::Relaxed) {
            return Err((got as u64, reply_off, EndReason::Stopped));
        }
        let start_us = Some(sink.now_us());
        match (&*socket).read(&mut answer[got..]) {
            Ok(0) => {
                return Err((
                    got as u64,
                    reply_off,
                    EndReason::PeerClosed(Fault::ClientClosedInHandshake),
                ))
            }
            Ok(n) => {
                let at_us = sink.now_us();
                last_read_us = at_us;
                sink.push(Event::Read {
                    start_us,
                    at_us,
                    offset: StreamOffset(got as u64),
                    len: n as u32,
                    requested: (DIGEST_LEN - got) as u32,
                });
                sink.push_bytes(StreamOffset(got as u64), &answer[got..got + n]);
                got += n;
            }
            Err(e) if is_timeout(&e) => sink.flush(),
            Err(e) if peer_gone(&e) => {
                return Err((
                    got as u64,
                    reply_off,
                    EndReason::PeerClosed(Fault::PeerGone { error: (&e).into() }),
                ))
            }
            Err(e) => return Err((got as u64, reply_off, EndReason::Failed(Fault::call(Call::Recv, &e)))),
        }
    }
    let ok = verify(KEY, &challenge, &answer);
    sink.push(frame(last_read_us, DIGEST_LEN, ok));
    let at_us = sink.now_us();
    if !ok {
        sink.push(Event::Error {
            at_us,
            side: Side::TcpReceiver,
            error: Fault::HandshakeRefused,
        });
    }
    Ok((DIGEST_LEN as u64, reply_off, ok))
}

/// Client side: reads the challenge, answers it. Returns the request stream offset after it.
pub(super) fn client(
    socket: &Socket,
    opts: HandshakeOptions,
    replies: &mut ReplyReader,
    sink: &mut EventSink,
    stop: &AtomicBool,
) -> Result<u64, (u64, EndReason)> {
    let mut challenge = Vec::with_capacity(CHALLENGE_LEN);
    while challenge.len() < CHALLENGE_LEN {
        match replies.read_once(socket, sink, stop) {
            Ok(0) => return Err((0, EndReason::PeerClosed(Fault::ServerClosedBeforeChallenge))),
            Ok(_) => challenge.extend_from_slice(replies.last_read()),
            Err(reason) => return Err((0, reason)),
        }
    }
    sink.push(reply(frame(replies.last_at_us(), CHALLENGE_LEN, true)));
    let key = if opts.wrong_key { WRONG_KEY } else { KEY };
    let answer = digest(key, &challenge[..CHALLENGE_LEN]);
    let at_us = sink.now_us();
    sink.push(Event::Message {
        at_us,
        msg: MsgId(0),
        offset: StreamOffset(0),
        len: DIGEST_LEN as u32,
        header_len: 0,
    });
    write_piece(socket, &answer, MsgId(0), 0, sink, stop)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn right_key_verifies_wrong_key_does_not() {
        let challenge = [7u8; CHALLENGE_LEN];
        assert!(verify(KEY, &challenge, &digest(KEY, &challenge)));
        assert!(!verify(KEY, &challenge, &digest(WRONG_KEY, &challenge)));
        assert!(
            !verify(KEY, &challenge, &digest(KEY, &challenge)[..16]),
            "a short answer is refused"
        );
    }

    #[test]
    fn hmac_sha256_matches_rfc_4231_case_2() {
        let d = digest(b"Jefe", b"what do ya want for nothing?");
        let hex: String = d.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }
}
