//! `naive-u32`: the `u32` layout, decoded the way the seed course's client does it.
//!
//! ```text
//!  recv(4)  -> 00 00 00 c8          "the length is 200"
//!  recv(200) -> 120 bytes            only what had arrived: recv() returns up to N bytes
//!  recv(4)  -> 6d 73 67 2d          the body's bytes "msg-" read as a length: 1836279597
//! ```
//!
//! The seed's client calls `recv(4)` for the header and `recv(len)` for the body and trusts each
//! call to return everything it asked for. When a read returns less (the data had not all
//! arrived, or the application's buffer is smaller than the frame), the rest of the body is then
//! read as the next header and the stream is garbage from there on. This decoder does exactly
//! that, so the failure is shown rather than described: a short body is reported and decoding
//! goes on out of step; a short header (which makes Python's `struct.unpack` raise) ends it.

use super::{ByteOrder, DecodeError, Frame, FramePart, LengthField, LengthPrefix};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Header,
    Body { len: u32, header_offset: u64 },
    Failed,
}

/// What one read did for the naive decoder.
#[derive(Debug, PartialEq, Eq)]
pub enum NaiveStep<'a> {
    /// A 4-byte header arrived, announcing `len` body bytes.
    Header { len: u32 },
    /// The body arrived whole.
    Frame(Frame<'a>),
    /// The body read returned fewer bytes than announced: the frame is wrong and the decoder is
    /// now out of step with the stream (which it does not know, like the seed's client).
    ShortFrame { frame: Frame<'a>, error: DecodeError },
}

#[derive(Debug, Clone)]
pub struct NaiveU32Decoder {
    max_frame_len: u32,
    prefix: LengthPrefix,
    state: State,
    offset: u64,
}

impl NaiveU32Decoder {
    /// The default prefix: 4 bytes, big-endian.
    pub fn new(max_frame_len: u32) -> Self {
        Self::with_prefix(max_frame_len, LengthPrefix::default())
    }

    /// `recv(prefix width)` for the header, as the seed's client does with its own width.
    pub fn with_prefix(max_frame_len: u32, prefix: LengthPrefix) -> Self {
        Self {
            max_frame_len,
            prefix,
            state: State::Header,
            offset: 0,
        }
    }

    /// How many bytes the next `recv()` asks for: 4, then the announced length. 0 after a failure.
    pub fn want(&self) -> usize {
        match self.state {
            State::Header => self.prefix.width(),
            State::Body { len, .. } => len as usize,
            State::Failed => 0,
        }
    }

    pub fn is_failed(&self) -> bool {
        self.state == State::Failed
    }

    /// Takes the bytes one `recv()` returned (never empty: an empty read is end of stream).
    pub fn on_read<'a>(&mut self, data: &'a [u8]) -> Result<NaiveStep<'a>, DecodeError> {
        let read_at = self.offset;
        self.offset += data.len() as u64;
        match self.state {
            State::Failed => Ok(NaiveStep::Header { len: 0 }),
            State::Header => {
                let width = self.prefix.width();
                let Some(header) = data.get(..width) else {
                    self.state = State::Failed;
                    return Err(DecodeError::ShortRead {
                        offset: read_at,
                        part: FramePart::Header,
                        asked: width as u64,
                        got: data.len() as u64,
                    });
                };
                let len = match self.prefix.order {
                    ByteOrder::Big => header.iter().fold(0u64, |n, &b| n << 8 | u64::from(b)),
                    ByteOrder::Little => header.iter().rev().fold(0u64, |n, &b| n << 8 | u64::from(b)),
                };
                let Some(len) = u32::try_from(len).ok().filter(|&n| n <= self.max_frame_len) else {
                    self.state = State::Failed;
                    return Err(DecodeError::too_long(
                        read_at,
                        LengthField::PrefixBody,
                        header,
                        &data[width..],
                        len,
                        self.max_frame_len,
                    ));
                };
                self.state = if len == 0 {
                    State::Header
                } else {
                    State::Body {
                        len,
                        header_offset: read_at,
                    }
                };
                if len == 0 {
                    return Ok(NaiveStep::Frame(Frame {
                        offset: read_at,
                        total_len: width,
                        payload: &[],
                    }));
                }
                Ok(NaiveStep::Header { len })
            }
            State::Body { len, header_offset } => {
                self.state = State::Header;
                let frame = Frame {
                    offset: header_offset,
                    total_len: self.prefix.width() + data.len(),
                    payload: data,
                };
                if data.len() < len as usize {
                    let error = DecodeError::ShortRead {
                        offset: read_at,
                        part: FramePart::Body,
                        asked: len.into(),
                        got: data.len() as u64,
                    };
                    return Ok(NaiveStep::ShortFrame { frame, error });
                }
                Ok(NaiveStep::Frame(frame))
            }
        }
    }

    /// Call at end of stream: a frame whose header arrived but whose body did not is truncated.
    pub fn finish(&mut self) -> Result<(), DecodeError> {
        if let State::Body { len, header_offset } = self.state {
            self.state = State::Failed;
            let width = self.prefix.width() as u64;
            return Err(DecodeError::Truncated {
                offset: header_offset,
                have: width,
                need: width + u64::from(len),
            });
        }
        Ok(())
    }
}
