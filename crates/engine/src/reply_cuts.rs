//! "Test your client": `listen --torture` answers a client's frames with its replies cut the
//! way a network can, so a client that reads an answer with one `recv(1024)` sees a piece of
//! it, or two answers run together. The listener asks [`ReplyShaper`] how to write each reply.

use std::time::{Duration, Instant};

/// The pause between the two pieces of a split frame. A server's `recv()` returns as soon as
/// the first piece is there, so with this pause it returns the piece alone unless the server
/// was not scheduled for 100 ms.
pub const SPLIT_PAUSE: Duration = Duration::from_millis(100);

/// The pause between one-byte writes (torture's byte-writes scenario, [`ReplyCut::ByteWrites`]; shorter: a frame is dozens of writes).
pub const BYTE_PAUSE: Duration = Duration::from_millis(15);

/// "Test your client": how `listen --torture` cuts its replies, frame after frame (the cycle
/// repeats). A client that reads a reply with one `recv(1024)` sees a piece of it, or two
/// replies run together.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReplyCut {
    /// The first [`BYTE_WRITES_MAX`] bytes one per write, [`BYTE_PAUSE`] apart, then the rest.
    ByteWrites,
    /// The header (newline: the text; no framing: the first half), then the rest
    /// [`SPLIT_PAUSE`] later.
    HeaderApart,
    /// Held up to [`MERGE_HOLD`] so it leaves in one write with the next reply's first piece.
    Merged,
}

impl ReplyCut {
    pub const CYCLE: [ReplyCut; 3] = [Self::ByteWrites, Self::HeaderApart, Self::Merged];
}

/// Bytes of a reply written one at a time by [`ReplyCut::ByteWrites`] (the rest goes in one
/// write, so a large reply does not take minutes).
pub const BYTE_WRITES_MAX: usize = 32;
/// How long [`ReplyCut::Merged`] holds a reply waiting for the next one. A client that waits
/// for each answer before it sends again gets it after this.
pub const MERGE_HOLD: Duration = Duration::from_millis(200);

/// One framed reply and where [`ReplyCut::HeaderApart`] cuts it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplyFrame {
    pub bytes: Vec<u8>,
    pub split_at: usize,
}

/// One write of a shaped reply, and the pause before it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplyPiece {
    pub pause_before: Duration,
    pub bytes: Vec<u8>,
}

/// Turns a client's replies into adversarial writes ([`ReplyCut::CYCLE`]), one connection's worth.
#[derive(Debug, Default)]
pub struct ReplyShaper {
    next: usize,
    held: Vec<u8>,
    held_since: Option<Instant>,
}

impl ReplyShaper {
    /// The writes for replies just made, in order.
    pub fn shape(&mut self, replies: Vec<ReplyFrame>) -> Vec<ReplyPiece> {
        let mut out = Vec::new();
        for reply in replies {
            let cut = ReplyCut::CYCLE[self.next % ReplyCut::CYCLE.len()];
            self.next += 1;
            let mut pieces: Vec<Vec<u8>> = match cut {
                ReplyCut::ByteWrites => {
                    let singles = reply.bytes.len().min(BYTE_WRITES_MAX);
                    let mut p: Vec<Vec<u8>> = reply.bytes[..singles].iter().map(|b| vec![*b]).collect();
                    if singles < reply.bytes.len() {
                        p.push(reply.bytes[singles..].to_vec());
                    }
                    p
                }
                ReplyCut::HeaderApart => {
                    let at = reply.split_at.min(reply.bytes.len());
                    [&reply.bytes[..at], &reply.bytes[at..]]
                        .into_iter()
                        .filter(|p| !p.is_empty())
                        .map(<[u8]>::to_vec)
                        .collect()
                }
                ReplyCut::Merged => {
                    self.held.extend_from_slice(&reply.bytes);
                    self.held_since.get_or_insert_with(Instant::now);
                    continue;
                }
            };
            let pause = if cut == ReplyCut::ByteWrites {
                BYTE_PAUSE
            } else {
                SPLIT_PAUSE
            };
            if !self.held.is_empty() {
                // the held reply and this one's first piece leave in one write
                self.held_since = None;
                let mut first = std::mem::take(&mut self.held);
                if let Some(p) = pieces.first_mut() {
                    first.append(p);
                    *p = first;
                } else {
                    pieces.push(first);
                }
            }
            for (k, bytes) in pieces.into_iter().enumerate() {
                out.push(ReplyPiece {
                    pause_before: if k == 0 { Duration::ZERO } else { pause },
                    bytes,
                });
            }
        }
        out
    }

    /// The held reply, once it has waited [`MERGE_HOLD`] with no other to merge with (or at
    /// once with `now`, when the client closed).
    pub fn due(&mut self, now: bool) -> Option<Vec<u8>> {
        let since = self.held_since?;
        if now || since.elapsed() >= MERGE_HOLD {
            self.held_since = None;
            return Some(std::mem::take(&mut self.held));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(text: &[u8], split_at: usize) -> ReplyFrame {
        ReplyFrame {
            bytes: text.to_vec(),
            split_at,
        }
    }

    #[test]
    fn replies_are_cut_byte_by_byte_then_header_apart_then_merged() {
        let mut shaper = ReplyShaper::default();
        let first = shaper.shape(vec![reply(b"\0\0\0\x02AB", 4)]);
        assert_eq!(first.len(), 6, "one write per byte: {first:?}");
        assert!(first
            .iter()
            .skip(1)
            .all(|p| p.pause_before == BYTE_PAUSE && p.bytes.len() == 1));
        let second = shaper.shape(vec![reply(b"\0\0\0\x02CD", 4)]);
        assert_eq!(
            second.iter().map(|p| p.bytes.clone()).collect::<Vec<_>>(),
            vec![b"\0\0\0\x02".to_vec(), b"CD".to_vec()]
        );
        assert_eq!(second[1].pause_before, SPLIT_PAUSE);
        // the third is held, and leaves in one write with the fourth's first piece
        assert!(shaper.shape(vec![reply(b"\0\0\0\x02EF", 4)]).is_empty());
        let fourth = shaper.shape(vec![reply(b"\0\0\0\x02GH", 4)]);
        assert_eq!(fourth[0].bytes, b"\0\0\0\x02EF\0".to_vec(), "{fourth:?}");
        assert_eq!(shaper.due(true), None, "nothing is held any more");
    }

    #[test]
    fn a_held_reply_leaves_alone_when_no_other_comes() {
        let mut shaper = ReplyShaper::default();
        shaper.shape(vec![reply(b"a", 0), reply(b"b", 0), reply(b"c", 0)]);
        assert_eq!(shaper.due(true), Some(b"c".to_vec()));
        assert_eq!(shaper.due(true), None);
    }

    #[test]
    fn a_large_reply_is_cut_byte_by_byte_only_at_its_start() {
        let mut shaper = ReplyShaper::default();
        let pieces = shaper.shape(vec![reply(&[7u8; 10_000], 4)]);
        assert_eq!(pieces.len(), BYTE_WRITES_MAX + 1);
        assert_eq!(pieces.iter().map(|p| p.bytes.len()).sum::<usize>(), 10_000);
    }
}
