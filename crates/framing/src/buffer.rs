//! The receive buffer shared by every stream codec: bytes come in as reads of any size, frames
//! come out whole.

use super::{Codec, DecodeError, DecodeState, Frame};

/// Buffers reads and hands out frames. Memory stays below one frame plus one read: consumed
/// bytes are dropped before new ones are appended.
#[derive(Debug)]
pub struct StreamDecoder {
    codec: Codec,
    /// The most bytes one frame can take (see [`Codec::frame_bound`]).
    frame_bound: usize,
    buf: Vec<u8>,
    /// Index in `buf` of the first unconsumed byte.
    start: usize,
    /// Stream offset of `buf[start]`.
    offset: u64,
    failed: bool,
}

impl StreamDecoder {
    pub fn new(codec: Codec) -> Self {
        let frame_bound = codec.frame_bound();
        Self {
            codec,
            frame_bound,
            buf: Vec::new(),
            start: 0,
            offset: 0,
            failed: false,
        }
    }

    /// Appends to the buffer, doubling its capacity as `Vec` does (a frame arriving in many small
    /// reads is still copied about once) but never past one frame unless these bytes need more:
    /// plain doubling allocated up to twice the max frame length (found by `cargo fuzz`).
    fn append(&mut self, bytes: &[u8]) {
        let needed = self.buf.len() + bytes.len();
        if needed > self.buf.capacity() {
            let target = (2 * self.buf.capacity()).min(self.frame_bound).max(needed);
            self.buf.reserve_exact(target - self.buf.len());
        }
        self.buf.extend_from_slice(bytes);
    }

    /// Appends the bytes of one read. After an error the stream is out of step and nothing more
    /// is decoded, so nothing more is kept either: a long stream after a bad frame must not grow
    /// the buffer without bound.
    pub fn feed(&mut self, bytes: &[u8]) {
        if self.failed {
            return;
        }
        if self.start > 0 {
            self.buf.drain(..self.start);
            self.start = 0;
        }
        self.append(bytes);
    }

    /// The next complete frame, `Ok(None)` if more bytes are needed.
    #[inline]
    pub fn next_frame(&mut self) -> Result<Option<Frame<'_>>, DecodeError> {
        if self.failed {
            return Ok(None);
        }
        let pending = &self.buf[self.start..];
        match self.codec.parse(pending, self.offset) {
            Ok(Some(layout)) => {
                let total = layout.header_len + layout.payload_len + layout.trailer_len;
                let payload_at = self.start + layout.header_len;
                let frame = Frame {
                    offset: self.offset,
                    total_len: total,
                    payload: &self.buf[payload_at..payload_at + layout.payload_len],
                };
                self.start += total;
                self.offset += total as u64;
                Ok(Some(frame))
            }
            Ok(None) => Ok(None),
            Err(e) => {
                self.failed = true;
                Err(e)
            }
        }
    }

    /// Decodes one read, calling `on_frame` for each complete frame, without copying the read:
    /// frames are parsed straight from `bytes`; only a frame cut by the read's end is kept
    /// (copying every read into the buffer first cost about 10 ns a 100-byte frame, as much as
    /// the decoding). Same frames and errors as `feed` + `next_frame`.
    #[inline]
    pub fn decode_chunk(&mut self, mut bytes: &[u8], mut on_frame: impl FnMut(Frame<'_>)) -> Result<(), DecodeError> {
        if self.failed {
            return Ok(());
        }
        // First finish the frame left over from the previous read, copying only its bytes.
        while self.start < self.buf.len() && !bytes.is_empty() {
            let take = match self.codec.state() {
                DecodeState::Body { remaining } => (remaining as usize).min(bytes.len()),
                // up to the line's end, but never past one frame: a long read without `\n` is not
                // copied whole only to be refused
                DecodeState::Line { .. } => memchr::memchr(b'\n', bytes)
                    .map_or(bytes.len(), |i| i + 1)
                    .min(self.frame_bound.saturating_sub(self.pending_len()).max(1)),
                // a header is a few bytes: add them one at a time until it parses
                DecodeState::Header | DecodeState::Failed => 1,
            };
            self.feed(&bytes[..take]);
            bytes = &bytes[take..];
            match self.next_frame()? {
                Some(f) => on_frame(f),
                None => continue,
            }
        }
        if self.start < self.buf.len() {
            return Ok(()); // the read ended inside the leftover frame
        }
        self.buf.clear();
        self.start = 0;
        // Then decode in place.
        match self.codec.decode_in_place(bytes, &mut self.offset, on_frame) {
            Ok(used) => {
                self.append(&bytes[used..]);
                Ok(())
            }
            Err(e) => {
                self.failed = true;
                Err(e)
            }
        }
    }

    /// Call when the stream has ended: bytes left over are a truncated frame.
    pub fn finish(&mut self) -> Result<(), DecodeError> {
        let have = (self.buf.len() - self.start) as u64;
        if self.failed || have == 0 {
            return Ok(());
        }
        self.failed = true;
        let need = match self.codec.state() {
            DecodeState::Body { remaining } => have + remaining,
            DecodeState::Header | DecodeState::Line { .. } | DecodeState::Failed => have + 1,
        };
        Err(DecodeError::Truncated {
            offset: self.offset,
            have,
            need,
        })
    }

    pub fn state(&self) -> DecodeState {
        if self.failed {
            DecodeState::Failed
        } else {
            self.codec.state()
        }
    }

    /// Bytes received but not (yet) part of a frame.
    pub fn pending_len(&self) -> usize {
        self.buf.len() - self.start
    }

    /// Stream offset of the first byte not yet part of a frame.
    pub fn offset(&self) -> u64 {
        self.offset
    }
}
