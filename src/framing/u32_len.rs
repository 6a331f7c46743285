//! `u32`: a 4-byte big-endian payload length, then the payload.
//!
//! ```text
//!  offset 0          4
//!         +----------+---------------------+
//!         | 00 00 00 05 | h  e  l  l  o    |
//!         +----------+---------------------+
//!           length (BE)   payload (5 bytes)
//! ```
//!
//! The layout of tokio-util's `LengthDelimitedCodec` with its defaults, so its users recognise
//! it. A length above the max frame length is an error before anything is allocated.

use super::{DecodeError, DecodeState, FrameLayout};

const HEADER_LEN: usize = 4;

#[derive(Debug, Clone)]
pub struct U32Codec {
    max_frame_len: u32,
    state: DecodeState,
}

impl U32Codec {
    pub fn new(max_frame_len: u32) -> Self {
        Self { max_frame_len, state: DecodeState::Header }
    }

    /// Appends header and payload; returns the header length.
    ///
    /// Payloads longer than `u32::MAX` cannot be framed; the workload caps sizes far below.
    pub fn encode(payload: &[u8], out: &mut Vec<u8>) -> usize {
        let len = u32::try_from(payload.len()).unwrap_or(u32::MAX);
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(payload);
        HEADER_LEN
    }

    #[inline]
    pub(super) fn parse(&mut self, buf: &[u8], offset: u64) -> Result<Option<FrameLayout>, DecodeError> {
        let Some(header) = buf.first_chunk::<HEADER_LEN>() else {
            self.state = DecodeState::Header;
            return Ok(None);
        };
        let len = u32::from_be_bytes(*header);
        if len > self.max_frame_len {
            return Err(DecodeError::TooLong { offset, len: len.into(), max: self.max_frame_len });
        }
        let need = HEADER_LEN + len as usize;
        if buf.len() < need {
            self.state = DecodeState::Body { remaining: (need - buf.len()) as u64 };
            return Ok(None);
        }
        self.state = DecodeState::Header;
        Ok(Some(FrameLayout { header_len: HEADER_LEN, payload_len: len as usize, trailer_len: 0 }))
    }

    pub(super) fn max_frame_len(&self) -> u32 {
        self.max_frame_len
    }

    pub(super) fn state(&self) -> DecodeState {
        self.state
    }
}
