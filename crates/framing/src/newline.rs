//! `newline`: each message ends with `\n` (like Python's `makefile().readline()`), or `\r\n`.
//!
//! ```text
//!  h  e  l  l  o  \n  w  o  r  l  d  \r \n
//!  68 65 6c 6c 6f 0a  77 6f 72 6c 64 0d 0a
//!  '---- frame 0 --'  '----- frame 1 -----'
//!  payload "hello"    payload "world"
//! ```
//!
//! The frame is the text without its line ending, as tokio-util's `LinesCodec` gives it: telnet,
//! Windows tools and many text protocols end lines with `\r\n`, and a `\r` left in the payload
//! would count against the max frame length and show as binary. The encoder writes `\n`; the
//! payload must not contain it.
//!
//! A line whose text is longer than the max frame length is an error (reported as length
//! max + 1) once it is known: when its `\n` arrives, or when max + 2 bytes came without one (the
//! (max + 1)th could still be the `\r` of a line ending). So a peer that never sends `\n` cannot
//! make the buffer grow without bound, and the error is the same however the reads cut the line.

use wide::u8x16;

use super::{DecodeError, DecodeState, Frame, FrameLayout, LengthField};

#[derive(Debug, Clone)]
pub struct NewlineCodec {
    max_frame_len: u32,
    /// Bytes of the current line already searched for `\n`: each byte is looked at once.
    scanned: usize,
}

impl NewlineCodec {
    pub fn new(max_frame_len: u32) -> Self {
        Self {
            max_frame_len,
            scanned: 0,
        }
    }

    /// Appends the payload and `\n`; there is no header. The payload must not contain `\n` nor
    /// end with `\r` (read back, that `\r` would be part of a `\r\n` line ending).
    pub fn encode(payload: &[u8], out: &mut Vec<u8>) -> usize {
        out.extend_from_slice(payload);
        out.push(b'\n');
        0
    }

    pub(super) fn parse(&mut self, buf: &[u8], offset: u64) -> Result<Option<FrameLayout>, DecodeError> {
        // Only the first max + 2 bytes (text, `\r`, `\n`) can hold the end of a line short
        // enough: a longer line is refused when its (max + 2)th byte arrives, whatever the reads
        // were, so the error and the bytes kept are the same however the stream was cut
        // (`decode_chunk` copies no more).
        let limit = (self.max_frame_len as usize).saturating_add(2);
        let window = &buf[..buf.len().min(limit)];
        let from = self.scanned.min(window.len());
        // memchr scans a word at a time: about 10x a byte loop on 100-byte lines
        match memchr::memchr(b'\n', &window[from..]) {
            Some(i) => {
                self.scanned = 0;
                let end = from + i;
                let cr = usize::from(end > 0 && window[end - 1] == b'\r');
                if end - cr > self.max_frame_len as usize {
                    return Err(self.too_long(offset));
                }
                Ok(Some(FrameLayout {
                    header_len: 0,
                    payload_len: end - cr,
                    trailer_len: 1 + cr,
                }))
            }
            None if window.len() == limit => {
                self.scanned = 0;
                Err(self.too_long(offset))
            }
            None => {
                self.scanned = window.len();
                Ok(None)
            }
        }
    }

    /// Decodes every whole line in `bytes`, which start a line (no partial line is held), and
    /// returns how many bytes those lines took. Instead of one `memchr` per line, this finds
    /// the `\n`s of 64 bytes at a time as the bits of one mask (four 16-byte SIMD compares), so
    /// a 100-byte line costs about two masks and no per-search setup: 165 → 60 instructions a
    /// line, measured with callgrind.
    pub(super) fn decode_lines(
        &mut self,
        bytes: &[u8],
        offset: &mut u64,
        mut on_frame: impl FnMut(Frame<'_>),
    ) -> Result<usize, DecodeError> {
        let max = self.max_frame_len as usize;
        let mut start = 0;
        let mut emit = |end: usize, start: &mut usize| {
            let line = &bytes[*start..end];
            // the `\r` of a `\r\n` ending, dropped without another bounds check (`split_last`):
            // indexing `bytes[end - 1]` cost 14 instructions a line (callgrind)
            let payload = match line.split_last() {
                Some((b'\r', text)) => text,
                _ => line,
            };
            // refused as `parse` refuses it
            if payload.len() > max {
                return Err(self.too_long(*offset));
            }
            on_frame(Frame {
                offset: *offset,
                total_len: line.len() + 1,
                payload,
            });
            *offset += line.len() as u64 + 1;
            *start = end + 1;
            Ok(())
        };
        let (blocks, tail) = bytes.as_chunks::<64>();
        let mut base = 0;
        for block in blocks {
            let mut mask = newline_mask(block);
            while mask != 0 {
                emit(base + mask.trailing_zeros() as usize, &mut start)?;
                mask &= mask - 1;
            }
            base += 64;
        }
        for (i, &b) in tail.iter().enumerate() {
            if b == b'\n' {
                emit(base + i, &mut start)?;
            }
        }
        let rest = bytes.len() - start;
        // max + 1 bytes may still be max of text and the `\r` of its ending
        if rest > max + 1 {
            return Err(self.too_long(*offset));
        }
        self.scanned = rest;
        Ok(start)
    }

    /// A line is refused as max + 1 bytes long however much of it came: its true length is
    /// not known, and the error must not depend on where the reads cut it.
    fn too_long(&self, offset: u64) -> DecodeError {
        DecodeError::TooLong {
            offset,
            len: u64::from(self.max_frame_len) + 1,
            max: self.max_frame_len,
            field: LengthField::Line,
            swapped: None,
        }
    }

    pub(super) fn max_frame_len(&self) -> u32 {
        self.max_frame_len
    }

    pub(super) fn state(&self) -> DecodeState {
        if self.scanned == 0 {
            DecodeState::Header
        } else {
            DecodeState::Line {
                have: self.scanned as u64,
            }
        }
    }
}

/// Bit `i` set where `block[i]` is `\n`.
#[inline]
fn newline_mask(block: &[u8; 64]) -> u64 {
    let nl = u8x16::splat(b'\n');
    let (lanes, _) = block.as_chunks::<16>();
    lanes.iter().enumerate().fold(0, |mask, (i, &lane)| {
        let hits = u8x16::from(lane).simd_eq(nl).to_bitmask();
        mask | u64::from(hits) << (16 * i)
    })
}
