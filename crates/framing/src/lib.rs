//! Framing: how messages are put on a byte stream so the receiver can find them again.
//!
//! TCP keeps no message boundaries. Each mode here is one answer (or, for `naive-u32`, the seed
//! course's almost-answer). Each codec lives in its own file opening with a diagram of its bytes.
//!
//! Every stream decoder follows one contract: `Ok(None)` when it needs more bytes, `Ok(Some)` for
//! a complete frame, `Err` (never a panic, never an allocation beyond the max frame length) on a
//! bad length or bad JSON. After an error the stream is out of step and decoding stops.

mod buffer;
pub mod classify;
mod naive_u32;
mod newline;
mod prefix;
mod seed_json;
mod u32_len;

use serde::{Deserialize, Serialize};

pub use buffer::StreamDecoder;
pub use classify::{Classifier, Counts};
pub use naive_u32::{NaiveStep, NaiveU32Decoder};
pub use newline::NewlineCodec;
pub use prefix::{ByteOrder, LengthPrefix, OtherOrder};
pub use seed_json::SeedJsonCodec;
pub use u32_len::U32Codec;

/// Default largest frame: 8 MiB, as in tokio-util's `LengthDelimitedCodec`.
pub const DEFAULT_MAX_FRAME_LEN: u32 = 8 * 1024 * 1024;
/// The largest value `max_frame_len` may be set to (64 MiB).
pub const MAX_MAX_FRAME_LEN: u32 = 64 * 1024 * 1024;

/// How messages are framed on the stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum FramingMode {
    /// Raw stream: the receiver only sees reads.
    #[default]
    None,
    /// 4-byte big-endian payload length, then the payload.
    U32,
    /// The seed course's protocol: 4-byte little-endian header length, JSON header, body.
    SeedJson,
    /// Each message ends with `\n` (or `\r\n`, which is not part of the payload either).
    Newline,
    /// `u32` bytes, decoded as the seed's client does: one `recv(4)`, one `recv(len)`.
    NaiveU32,
}

impl FramingMode {
    pub const ALL: [FramingMode; 5] = [Self::None, Self::U32, Self::SeedJson, Self::Newline, Self::NaiveU32];

    /// The name used on the command line and in recordings.
    pub fn name(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::U32 => "u32",
            Self::SeedJson => "seed-json",
            Self::Newline => "newline",
            Self::NaiveU32 => "naive-u32",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.name() == name)
    }

    /// Whether a header carries the payload length (and so `max_frame_len` applies).
    pub fn has_length_header(self) -> bool {
        matches!(self, Self::U32 | Self::SeedJson | Self::NaiveU32)
    }

    /// Encodes one message: header (if any) then payload. Returns the header length.
    ///
    /// `newline` requires a payload without `\n` (the workload generator never makes one).
    pub fn encode(self, payload: &[u8], out: &mut Vec<u8>) -> usize {
        match self {
            Self::None => {
                out.extend_from_slice(payload);
                0
            }
            Self::U32 | Self::NaiveU32 => U32Codec::encode(payload, out),
            Self::SeedJson => SeedJsonCodec::encode(payload, out),
            Self::Newline => NewlineCodec::encode(payload, out),
        }
    }

    /// Like [`Self::encode`], with `prefix` as the length prefix of `u32` and `naive-u32`.
    pub fn encode_with(self, prefix: LengthPrefix, payload: &[u8], out: &mut Vec<u8>) -> usize {
        match self {
            Self::U32 | Self::NaiveU32 => U32Codec::encode_with(prefix, payload, out),
            _ => self.encode(payload, out),
        }
    }

    /// Whether the mode's frames start with a [`LengthPrefix`] the user can set.
    pub fn has_length_prefix(self) -> bool {
        matches!(self, Self::U32 | Self::NaiveU32)
    }

    /// A stream decoder for this mode, or `None` for `none` (nothing to decode) and `naive-u32`
    /// (which decides its own read sizes; see [`NaiveU32Decoder`]).
    pub fn stream_decoder(self, max_frame_len: u32) -> Option<StreamDecoder> {
        self.stream_decoder_with(max_frame_len, LengthPrefix::default())
    }

    /// Like [`Self::stream_decoder`], with `prefix` as the length prefix of `u32`.
    pub fn stream_decoder_with(self, max_frame_len: u32, prefix: LengthPrefix) -> Option<StreamDecoder> {
        let codec = match self {
            Self::U32 => Codec::U32(U32Codec::with_prefix(max_frame_len, prefix)),
            Self::SeedJson => Codec::SeedJson(SeedJsonCodec::new(max_frame_len)),
            Self::Newline => Codec::Newline(NewlineCodec::new(max_frame_len)),
            Self::None | Self::NaiveU32 => return None,
        };
        Some(StreamDecoder::new(codec))
    }
}

/// One of the stream codecs (an enum, not a trait object: the hot loop stays inlinable).
#[derive(Debug)]
pub enum Codec {
    U32(U32Codec),
    SeedJson(SeedJsonCodec),
    Newline(NewlineCodec),
}

impl Codec {
    /// Looks at the unconsumed bytes `buf` (which start at stream offset `offset`) and returns
    /// the next frame's layout once all of it is there.
    #[inline]
    fn parse(&mut self, buf: &[u8], offset: u64) -> Result<Option<FrameLayout>, DecodeError> {
        match self {
            Self::U32(c) => c.parse(buf, offset),
            Self::SeedJson(c) => c.parse(buf, offset),
            Self::Newline(c) => c.parse(buf, offset),
        }
    }

    /// Decodes every whole frame at the start of `bytes`, which begin a frame (nothing is held
    /// from an earlier read), advancing `offset`; returns how many bytes the frames took. The
    /// codec is chosen once here, not once a frame, so each loop is compiled for its codec.
    #[inline]
    fn decode_in_place(
        &mut self,
        bytes: &[u8],
        offset: &mut u64,
        on_frame: impl FnMut(Frame<'_>),
    ) -> Result<usize, DecodeError> {
        match self {
            Self::U32(c) => c.decode_frames(bytes, offset, on_frame),
            Self::SeedJson(c) => c.decode_frames(bytes, offset, on_frame),
            Self::Newline(c) => c.decode_lines(bytes, offset, on_frame),
        }
    }

    /// The most bytes one frame can take: header, payload of at most the max frame length,
    /// trailer. seed-json checks its JSON header's length and its body's length each against the
    /// max, so its frames can take twice the max (plus the 4-byte prefix).
    fn frame_bound(&self) -> usize {
        match self {
            Self::U32(c) => c.prefix_len() + c.max_frame_len() as usize,
            Self::SeedJson(c) => 4 + 2 * c.max_frame_len() as usize,
            Self::Newline(c) => c.max_frame_len() as usize + 2,
        }
    }

    fn state(&self) -> DecodeState {
        match self {
            Self::U32(c) => c.state(),
            Self::SeedJson(c) => c.state(),
            Self::Newline(c) => c.state(),
        }
    }
}

/// The in-place loop for codecs that find one frame at a time.
#[inline]
fn frames_in_place(
    bytes: &[u8],
    offset: &mut u64,
    mut on_frame: impl FnMut(Frame<'_>),
    mut parse: impl FnMut(&[u8], u64) -> Result<Option<FrameLayout>, DecodeError>,
) -> Result<usize, DecodeError> {
    let mut used = 0;
    while let Some(layout) = parse(&bytes[used..], *offset)? {
        let total = layout.header_len + layout.payload_len + layout.trailer_len;
        let at = used + layout.header_len;
        on_frame(Frame {
            offset: *offset,
            total_len: total,
            payload: &bytes[at..at + layout.payload_len],
        });
        *offset += total as u64;
        used += total;
    }
    Ok(used)
}

/// Where a frame's parts lie within the bytes handed to [`Codec::parse`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct FrameLayout {
    /// Bytes before the payload (length prefix, JSON header).
    header_len: usize,
    payload_len: usize,
    /// Bytes after the payload (the line ending, `\n` or `\r\n`).
    trailer_len: usize,
}

/// One decoded frame, borrowing its payload from the decoder's buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Frame<'a> {
    /// Stream offset of the frame's first byte (its header).
    pub offset: u64,
    /// Header plus payload plus trailer.
    pub total_len: usize,
    pub payload: &'a [u8],
}

/// What a decoder is waiting for, for the UI to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "state")]
pub enum DecodeState {
    /// Waiting for (the rest of) a header.
    Header,
    /// Header read, waiting for `remaining` more body bytes.
    Body { remaining: u64 },
    /// Waiting for the end of a line; `have` bytes of it so far.
    Line { have: u64 },
    /// Stopped after an error.
    Failed,
}

/// Why decoding stopped. Every variant says at which stream offset it happened.
///
/// Kept at 40 bytes: every frame's parse returns a `Result` holding it, and at 48 bytes the
/// `u32` loop built that result in memory, 29 → 38 instructions a frame (callgrind).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum DecodeError {
    /// `field` says which number `len` is; `swapped` is that number read in the other byte
    /// order when it would have been accepted (a peer writing the other order, the usual cause).
    #[error("frame at offset {offset}: {field} {len} exceeds the maximum frame length {max}")]
    TooLong {
        offset: u64,
        len: u64,
        max: u32,
        #[serde(default)]
        field: LengthField,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        swapped: Option<OtherOrder>,
    },
    #[error("frame at offset {offset}: negative header length {len}")]
    NegativeLength { offset: u64, len: i64 },
    #[error("frame at offset {offset}: bad JSON header: {reason}")]
    /// `reason` is the library's (or the check's) own words, quoted by the translations;
    /// `counted_chars`: the header holds non-ASCII text and ends early, as when the sender's
    /// length counted characters (Python `len(str)`) instead of bytes.
    BadJson {
        offset: u64,
        reason: Box<str>,
        #[serde(default)]
        problem: JsonProblem,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        counted_chars: bool,
    },
    #[error("stream ended inside the frame at offset {offset}: {have} of {need} bytes arrived")]
    Truncated { offset: u64, have: u64, need: u64 },
    #[error(
        "read at offset {offset} asked for the {part} ({asked} bytes) but returned {got}: \
         the naive decoder trusts one recv() to return everything"
    )]
    ShortRead {
        offset: u64,
        part: FramePart,
        asked: u64,
        got: u64,
    },
}

impl DecodeError {
    pub fn offset(&self) -> u64 {
        match self {
            Self::TooLong { offset, .. }
            | Self::NegativeLength { offset, .. }
            | Self::BadJson { offset, .. }
            | Self::Truncated { offset, .. }
            | Self::ShortRead { offset, .. } => *offset,
        }
    }
}

/// What was wrong with a `seed-json` JSON header.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum JsonProblem {
    /// serde_json refused it (its message is the error's `reason`).
    #[default]
    Syntax,
    /// Not UTF-8, which Python's `json.loads` refuses too.
    NotUtf8,
    /// Valid JSON, but not an object (the seed's client indexes `header['total_lenth']`).
    NotObject,
}

/// Which number of a frame was too big: where it was read and what it measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LengthField {
    /// The length prefix, giving the body's length (`u32`, `naive-u32`).
    #[default]
    PrefixBody,
    /// `seed-json`'s 4-byte prefix, giving the JSON header's length.
    PrefixJsonHeader,
    /// `total_lenth` in `seed-json`'s JSON header, giving the body's length.
    JsonBody,
    /// A line (`newline`) whose end did not come within the max.
    Line,
}

impl std::fmt::Display for LengthField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::PrefixBody => "body length (from the length prefix)",
            Self::PrefixJsonHeader => "JSON header length (from the length prefix)",
            Self::JsonBody => "body length (total_lenth in the JSON header)",
            Self::Line => "line length",
        })
    }
}

impl DecodeError {
    /// A length refused by the max, with the other byte order's reading when that one fits
    /// *and* the bytes the decoder holds agree with it (see [`other_order_in_step`]): a wrong
    /// diagnosis is worse than none, so a real frame that is only over the max gets none.
    /// `rest` is what the decoder holds after the header. Only on the error path: the hot
    /// loop never computes it.
    #[cold]
    #[inline(never)]
    pub(crate) fn too_long(offset: u64, field: LengthField, header: &[u8], rest: &[u8], len: u64, max: u32) -> Self {
        let big = header.iter().fold(0u64, |n, &b| n << 8 | u64::from(b));
        let little = header.iter().rev().fold(0u64, |n, &b| n << 8 | u64::from(b));
        let (other, order) = if big == len {
            (little, ByteOrder::Little)
        } else {
            (big, ByteOrder::Big)
        };
        let swapped = (other != len && other <= u64::from(max))
            .then(|| u32::try_from(other).ok())
            .flatten()
            .filter(|&other| other_order_in_step(field, header.len(), order, len, other, rest, max))
            .map(|len| OtherOrder { len, order });
        DecodeError::TooLong {
            offset,
            len,
            max,
            field,
            swapped,
        }
    }
}

/// Whether the bytes after a refused header support reading its length in the other byte
/// order. The as-read length must not be borne out (its frame is not all there: a frame that
/// is, is a real frame over the max), and the other reading must be:
/// - a length prefix (`u32`, `naive-u32`): its frame is all there, and then either the data
///   ends exactly where the lengths say, or two more frames follow in step (each prefix, read in
///   the same order, non-zero and within the max);
/// - `seed-json`'s prefix: the JSON header it gives is all there and is one `{…}` object.
///
/// Bytes that are not there yet prove nothing, so a hint may come only once enough has arrived.
fn other_order_in_step(
    field: LengthField,
    width: usize,
    order: ByteOrder,
    len: u64,
    other: u32,
    rest: &[u8],
    max: u32,
) -> bool {
    if len <= rest.len() as u64 {
        return false;
    }
    let first = other as usize;
    let Some(frame) = rest.get(..first) else {
        return false;
    };
    if field == LengthField::PrefixJsonHeader {
        return frame.first() == Some(&b'{') && frame.last() == Some(&b'}');
    }
    if first == 0 {
        return false;
    }
    let (mut at, mut more) = (first, 0);
    loop {
        if at == rest.len() {
            return true;
        }
        let Some(header) = rest.get(at..at + width) else {
            return more >= 2;
        };
        let n = match order {
            ByteOrder::Big => header.iter().fold(0u64, |n, &b| n << 8 | u64::from(b)),
            ByteOrder::Little => header.iter().rev().fold(0u64, |n, &b| n << 8 | u64::from(b)),
        };
        if n == 0 || n > u64::from(max) {
            return false;
        }
        let end = at + width + n as usize;
        if end > rest.len() {
            return more >= 2;
        }
        at = end;
        more += 1;
    }
}

/// Which part of a frame a read was meant to fetch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FramePart {
    Header,
    Body,
}

impl std::fmt::Display for FramePart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Header => "header",
            Self::Body => "body",
        })
    }
}

#[cfg(test)]
mod tests;
