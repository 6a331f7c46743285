//! `newline`: each message ends with `\n` (like Python's `makefile().readline()`).
//!
//! ```text
//!  h  e  l  l  o  \n  w  o  r  l  d  \n
//!  68 65 6c 6c 6f 0a  77 6f 72 6c 64 0a
//!  '---- frame 0 --'  '---- frame 1 --'
//! ```
//!
//! The payload must not contain `\n`. A line longer than the max frame length is an error as soon
//! as its (max + 1)th byte arrives (reported as length max + 1), so a peer that never sends `\n`
//! cannot make the buffer grow without bound.

use super::{DecodeError, DecodeState, FrameLayout};

#[derive(Debug, Clone)]
pub struct NewlineCodec {
    max_frame_len: u32,
    /// Bytes of the current line already searched for `\n`: each byte is looked at once.
    scanned: usize,
}

impl NewlineCodec {
    pub fn new(max_frame_len: u32) -> Self {
        Self { max_frame_len, scanned: 0 }
    }

    /// Appends the payload and `\n`; there is no header.
    pub fn encode(payload: &[u8], out: &mut Vec<u8>) -> usize {
        out.extend_from_slice(payload);
        out.push(b'\n');
        0
    }

    pub(super) fn parse(&mut self, buf: &[u8], offset: u64) -> Result<Option<FrameLayout>, DecodeError> {
        // Only the first max + 1 bytes can hold the end of a line short enough: a longer line is
        // refused when its (max + 1)th byte arrives, whatever the reads were, so the error and the
        // bytes kept are the same however the stream was cut (`decode_chunk` copies no more).
        let limit = (self.max_frame_len as usize).saturating_add(1);
        let window = &buf[..buf.len().min(limit)];
        let from = self.scanned.min(window.len());
        // memchr scans a word at a time: about 10x a byte loop on 100-byte lines
        match memchr::memchr(b'\n', &window[from..]) {
            Some(i) => {
                self.scanned = 0;
                Ok(Some(FrameLayout { header_len: 0, payload_len: from + i, trailer_len: 1 }))
            }
            None if window.len() == limit => {
                self.scanned = 0;
                Err(self.too_long(offset, limit))
            }
            None => {
                self.scanned = window.len();
                Ok(None)
            }
        }
    }

    fn too_long(&self, offset: u64, len: usize) -> DecodeError {
        DecodeError::TooLong { offset, len: len as u64, max: self.max_frame_len }
    }

    pub(super) fn max_frame_len(&self) -> u32 {
        self.max_frame_len
    }

    pub(super) fn state(&self) -> DecodeState {
        if self.scanned == 0 {
            DecodeState::Header
        } else {
            DecodeState::Line { have: self.scanned as u64 }
        }
    }
}
