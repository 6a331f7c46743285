//! `newline`: each message ends with `\n` (like Python's `makefile().readline()`).
//!
//! ```text
//!  h  e  l  l  o  \n  w  o  r  l  d  \n
//!  68 65 6c 6c 6f 0a  77 6f 72 6c 64 0a
//!  '---- frame 0 --'  '---- frame 1 --'
//! ```
//!
//! The payload must not contain `\n`. A line longer than the max frame length is an error, so a
//! peer that never sends `\n` cannot make the buffer grow without bound.

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
        let from = self.scanned.min(buf.len());
        // memchr scans a word at a time: about 10x a byte loop on 100-byte lines
        match memchr::memchr(b'\n', &buf[from..]) {
            Some(i) => {
                let payload_len = from + i;
                self.scanned = 0;
                if payload_len as u64 > u64::from(self.max_frame_len) {
                    return Err(self.too_long(offset, payload_len));
                }
                Ok(Some(FrameLayout { header_len: 0, payload_len, trailer_len: 1 }))
            }
            None => {
                self.scanned = buf.len();
                if buf.len() as u64 > u64::from(self.max_frame_len) {
                    return Err(self.too_long(offset, buf.len()));
                }
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
