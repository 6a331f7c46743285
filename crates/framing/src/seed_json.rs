//! `seed-json`: the seed course's protocol, byte for byte.
//!
//! ```text
//!  offset 0             4                                   4+n
//!         +-------------+-----------------------------------+----------------+
//!         | 22 00 00 00 | {"total_lenth": 5, "md5": null}   | h e l l o      |
//!         +-------------+-----------------------------------+----------------+
//!          n: header length,   header: n bytes of UTF-8 JSON      body:
//!          i32 little-endian   (Python json.dumps)                total_lenth bytes
//! ```
//!
//! The length is Python's `struct.pack('i', n)`: a native (little-endian on x86) signed 32-bit
//! integer. `total_lenth` is the seed's spelling and is kept so this interoperates with the
//! seed's Python programs. The seed's server sends `"md5": null`; the field is accepted and ignored.

use serde::Deserialize;

use super::{DecodeError, DecodeState, Frame, FrameLayout, JsonProblem, LengthField};

const LEN_PREFIX: usize = 4;

#[derive(Deserialize)]
struct SeedHeader {
    total_lenth: u64,
}

#[derive(Debug, Clone)]
pub struct SeedJsonCodec {
    max_frame_len: u32,
    state: DecodeState,
    /// Header length and body length of the frame being received, once its header parsed.
    parsed: Option<(usize, u64)>,
    /// The last canonical header parsed.
    last: LastHeader,
}

/// Messages of one size carry byte-identical headers. When the next header has the same bytes
/// as the last one, its lengths are taken from here instead of from the digits, so the position
/// of the frame after it does not wait on parsing them (the CPU runs ahead on the predicted
/// branch). Kept only for headers of at most 8 digits, which `digits` then holds whole.
#[derive(Debug, Clone, Copy, Default)]
struct LastHeader {
    /// The 4-byte length prefix.
    prefix: [u8; LEN_PREFIX],
    /// The 8 bytes after `{"total_lenth": `: the digits and the start of the tail.
    digits: [u8; 8],
    /// Prefix plus JSON; 0 until a header is kept.
    header_len: usize,
    body_len: u64,
}

impl SeedJsonCodec {
    pub fn new(max_frame_len: u32) -> Self {
        Self {
            max_frame_len,
            state: DecodeState::Header,
            parsed: None,
            last: LastHeader::default(),
        }
    }

    /// The JSON header exactly as Python's `json.dumps({'total_lenth': n, 'md5': None})` writes it.
    pub fn header_json(body_len: usize) -> String {
        format!("{{\"total_lenth\": {body_len}, \"md5\": null}}")
    }

    /// Appends length, JSON header and body; returns the length of the two headers.
    pub fn encode(payload: &[u8], out: &mut Vec<u8>) -> usize {
        let header = Self::header_json(payload.len());
        // The JSON header is a few dozen bytes, far below i32::MAX.
        let n = i32::try_from(header.len()).unwrap_or(i32::MAX);
        out.extend_from_slice(&n.to_le_bytes());
        out.extend_from_slice(header.as_bytes());
        out.extend_from_slice(payload);
        LEN_PREFIX + header.len()
    }

    #[inline]
    pub(super) fn parse(&mut self, buf: &[u8], offset: u64) -> Result<Option<FrameLayout>, DecodeError> {
        let (header_len, body_len) = match self.parsed.take() {
            Some(p) => p,
            None => match self.parse_header(buf, offset)? {
                Some(p) => p,
                None => {
                    self.state = DecodeState::Header;
                    return Ok(None);
                }
            },
        };
        let have_body = (buf.len() - header_len) as u64;
        if have_body < body_len {
            self.parsed = Some((header_len, body_len));
            self.state = DecodeState::Body {
                remaining: body_len - have_body,
            };
            return Ok(None);
        }
        self.state = DecodeState::Header;
        Ok(Some(FrameLayout {
            header_len,
            payload_len: body_len as usize,
            trailer_len: 0,
        }))
    }

    /// Decodes every whole frame at the start of `bytes` (which begin a frame), returning how
    /// many bytes they took. A frame whose header repeats the last one's bytes is cut at the
    /// kept lengths, a canonical header is read directly, anything else goes through
    /// [`Self::parse`].
    pub(super) fn decode_frames(
        &mut self,
        bytes: &[u8],
        offset: &mut u64,
        mut on_frame: impl FnMut(Frame<'_>),
    ) -> Result<usize, DecodeError> {
        let mut used = 0;
        // a local copy, so the loop keeps it in registers
        let mut last = self.last;
        let result = loop {
            let rest = &bytes[used..];
            let (header_len, total) = if let Some(cut) = repeats(rest, &last) {
                cut
            } else if let Some((cut, kept)) = canonical_frame(rest, self.max_frame_len) {
                last = kept.unwrap_or(last);
                cut
            } else {
                // a frame cut by the end of the read, other JSON, or an error
                match self.parse(rest, *offset) {
                    Ok(Some(layout)) => (layout.header_len, layout.header_len + layout.payload_len),
                    Ok(None) => break Ok(used),
                    Err(e) => break Err(e),
                }
            };
            on_frame(Frame {
                offset: *offset,
                total_len: total,
                payload: &rest[header_len..total],
            });
            *offset += total as u64;
            used += total;
        };
        self.last = last;
        result
    }

    /// Returns (length prefix + JSON length, body length) once the whole JSON header is here.
    #[inline]
    fn parse_header(&self, buf: &[u8], offset: u64) -> Result<Option<(usize, u64)>, DecodeError> {
        let Some(prefix) = buf.first_chunk::<LEN_PREFIX>() else {
            return Ok(None);
        };
        let json_len = i32::from_le_bytes(*prefix);
        let max = self.max_frame_len;
        // one compare for both bad cases: a negative length reads as a huge u32
        if json_len as u32 > max {
            return Err(if json_len < 0 {
                DecodeError::NegativeLength {
                    offset,
                    len: json_len.into(),
                }
            } else {
                DecodeError::too_long(
                    offset,
                    LengthField::PrefixJsonHeader,
                    prefix,
                    &buf[LEN_PREFIX..],
                    json_len as u64,
                    max,
                )
            });
        }
        let header_len = LEN_PREFIX + json_len as usize;
        let Some(json) = buf.get(LEN_PREFIX..header_len) else {
            return Ok(None);
        };
        let total_lenth = match canonical_total_lenth(json) {
            Some(n) => n,
            None => any_json_total_lenth(json, offset)?,
        };
        if total_lenth > u64::from(max) {
            return Err(DecodeError::TooLong {
                offset,
                len: total_lenth,
                max,
                field: LengthField::JsonBody,
                swapped: None,
            });
        }
        Ok(Some((header_len, total_lenth)))
    }

    pub(super) fn max_frame_len(&self) -> u32 {
        self.max_frame_len
    }

    pub(super) fn state(&self) -> DecodeState {
        self.state
    }
}

/// (header length, frame length) when `buf` starts with a whole frame whose header has the
/// bytes of `last`.
#[inline]
fn repeats(buf: &[u8], last: &LastHeader) -> Option<(usize, usize)> {
    let prefix = buf.first_chunk::<LEN_PREFIX>()?;
    let json = buf.get(LEN_PREFIX..last.header_len)?;
    let (_, eight) = canonical_parts(json)?;
    let total = last.header_len + last.body_len as usize;
    (*prefix == last.prefix && *eight == last.digits && buf.len() >= total).then_some((last.header_len, total))
}

/// (header length, frame length) when `buf` starts with a whole frame whose header is the
/// seed's canonical one, within `max`; with the header to keep as the last one if it can be.
#[inline]
fn canonical_frame(buf: &[u8], max: u32) -> Option<((usize, usize), Option<LastHeader>)> {
    let prefix = buf.first_chunk::<LEN_PREFIX>()?;
    let header_len = LEN_PREFIX + usize::try_from(i32::from_le_bytes(*prefix)).ok()?;
    let json = buf.get(LEN_PREFIX..header_len)?;
    let (digits, eight) = canonical_parts(json)?;
    let body_len = digits_value(digits, eight).filter(|&n| n <= u64::from(max))?;
    let total = header_len + body_len as usize;
    if buf.len() < total || json.len() as u64 > u64::from(max) {
        return None;
    }
    let kept = (digits.len() <= 8).then_some(LastHeader {
        prefix: *prefix,
        digits: *eight,
        header_len,
        body_len,
    });
    Some(((header_len, total), kept))
}

/// `total_lenth` from any JSON object that has it: the slow path, kept out of the hot loop.
#[cold]
#[inline(never)]
fn any_json_total_lenth(json: &[u8], offset: u64) -> Result<u64, DecodeError> {
    let bad = |problem, reason: String, counted_chars| DecodeError::BadJson {
        offset,
        reason: reason.into(),
        problem,
        counted_chars,
    };
    // Non-ASCII text in a header that ends early (a character cut in two, or the JSON cut
    // short): the classic Python mistake of sending len(header) of a str, which counts a
    // Chinese file name's characters, not its bytes. Decided from the header's own bytes, so
    // the error is the same however the reads cut the stream.
    let non_ascii = !json.is_ascii();
    // from_slice skips fields it ignores without checking their UTF-8 (so `"md5": "ab\xa4"`
    // passed, found by `cargo fuzz`); Python's json.loads refuses it
    let text =
        std::str::from_utf8(json).map_err(|e| bad(JsonProblem::NotUtf8, e.to_string(), e.error_len().is_none()))?;
    let header: SeedHeader =
        serde_json::from_str(text).map_err(|e| bad(JsonProblem::Syntax, e.to_string(), non_ascii && e.is_eof()))?;
    // serde also reads a struct from an array, `[5]`, which the seed's client (that indexes
    // header['total_lenth']) cannot (found by `cargo fuzz`)
    if text.trim_start_matches([' ', '\t', '\n', '\r']).as_bytes().first() != Some(&b'{') {
        return Err(bad(
            JsonProblem::NotObject,
            "the header is not a JSON object".into(),
            false,
        ));
    }
    Ok(header.total_lenth)
}

/// `N` when `json` is exactly the header the seed's server (and our encoder) writes,
/// `{"total_lenth": N, "md5": null}`. A full JSON parse costs about 10x the rest of decoding a
/// small frame, and this is the header nearly every frame carries; anything else (other fields,
/// other spacing, an md5 string) goes through serde_json, so errors stay the same.
fn canonical_total_lenth(json: &[u8]) -> Option<u64> {
    let (digits, eight) = canonical_parts(json)?;
    digits_value(digits, eight)
}

/// The value of `digits` (1 to 19 characters); `eight` is the 8 bytes where they start.
#[inline]
fn digits_value(digits: &[u8], eight: &[u8; 8]) -> Option<u64> {
    if digits.len() <= 8 {
        // the 8 bytes may run into the tail: eight_digits looks at the first n only
        return eight_digits(*eight, digits.len());
    }
    digits.iter().try_fold(0u64, |n, &d| {
        let digit = d.wrapping_sub(b'0');
        (digit <= 9).then(|| n * 10 + u64::from(digit))
    })
}

/// For a header shaped `{"total_lenth": ..., "md5": null}` with 1 to 19 characters between
/// the two fixed parts: those characters, and the 8 bytes where they start.
#[inline]
fn canonical_parts(json: &[u8]) -> Option<(&[u8], &[u8; 8])> {
    const HEAD: &[u8; 16] = b"{\"total_lenth\": ";
    const TAIL: &[u8; 14] = b", \"md5\": null}";
    // fixed-size array compares: a 16-byte load or two each, no memcmp call
    let (head, rest) = json.split_first_chunk::<16>()?;
    let (digits, tail) = rest.split_last_chunk::<14>()?;
    // JSON has no leading zeros: `05` must reach serde_json and be refused, as Python refuses it
    let leading_zero = digits.len() > 1 && digits[0] == b'0';
    if head != HEAD || tail != TAIL || digits.is_empty() || digits.len() > 19 || leading_zero {
        return None;
    }
    Some((digits, rest.first_chunk::<8>()?))
}

/// The value of the first `n` (1..=8) bytes of `word` as decimal digits, `None` if one is not a
/// digit: all eight at once in a `u64` (Lemire's SWAR parse), with no loop and no branch per
/// digit, so streams whose lengths change in digit count cost no mispredicted branches.
#[inline]
fn eight_digits(word: [u8; 8], n: usize) -> Option<u64> {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    // '0'..='9' become 0..=9 and every other byte something above 9
    let v = u64::from_le_bytes(word) ^ 0x3030_3030_3030_3030;
    // the n digits to the top bytes, zeros (leading zero digits) below
    let v = v << (8 * (8 - n));
    // a byte above 9 carries into its top bit when 0x76 is added
    if ((v & LOW7).wrapping_add(0x7676_7676_7676_7676) | v) & !LOW7 != 0 {
        return None;
    }
    let v = v.wrapping_mul(10).wrapping_add(v >> 8);
    let hi = (v & 0x0000_00ff_0000_00ff).wrapping_mul(100 + (1_000_000 << 32));
    let lo = ((v >> 16) & 0x0000_00ff_0000_00ff).wrapping_mul(1 + (10_000 << 32));
    Some(hi.wrapping_add(lo) >> 32)
}

#[cfg(test)]
mod canonical_tests {
    use super::canonical_total_lenth;

    /// A header with the length and shape of the last one but other bytes is parsed afresh.
    #[test]
    fn a_repeated_header_must_repeat_every_byte() {
        use crate::{DecodeError, FramingMode};
        let mut bytes = Vec::new();
        for msg in [b"ab", b"cd", b"ef"] {
            FramingMode::SeedJson.encode(msg, &mut bytes);
        }
        let third = 2 * (bytes.len() / 3);
        let null = bytes.len() - 2 - 2; // the "l}" of "null}" in the third header
        bytes[null] = b'L';
        let mut dec = FramingMode::SeedJson.stream_decoder(1024).expect("codec");
        let mut got = Vec::new();
        let err = dec
            .decode_chunk(&bytes, |f| got.push(f.payload.to_vec()))
            .expect_err("bad third header");
        assert_eq!(got, [b"ab".to_vec(), b"cd".to_vec()]);
        assert!(
            matches!(err, DecodeError::BadJson { offset, .. } if offset == third as u64),
            "{err:?}"
        );
    }

    #[test]
    fn every_digit_count_parses_like_str_parse() {
        for n in [
            0u64,
            7,
            10,
            99,
            100,
            1677,
            99_999,
            1_000_000,
            12_345_678,
            99_999_999,
            100_000_000,
            u64::MAX / 10,
        ] {
            let json = format!("{{\"total_lenth\": {n}, \"md5\": null}}");
            assert_eq!(canonical_total_lenth(json.as_bytes()), Some(n), "{json}");
        }
        for bad in ["1a", "a1", "12345x78", "1234567/", "9:", " 1", "+1", "１"] {
            let json = format!("{{\"total_lenth\": {bad}, \"md5\": null}}");
            assert_eq!(canonical_total_lenth(json.as_bytes()), None, "{json}");
        }
    }

    #[test]
    fn fast_path_only_for_the_exact_canonical_header() {
        assert_eq!(
            canonical_total_lenth(br#"{"total_lenth": 1677, "md5": null}"#),
            Some(1677)
        );
        assert_eq!(canonical_total_lenth(br#"{"total_lenth": 0, "md5": null}"#), Some(0));
        for other in [
            &br#"{"total_lenth":5,"md5":null}"#[..],
            br#"{"total_lenth": -1, "md5": null}"#,
            br#"{"total_lenth": , "md5": null}"#,
            br#"{"total_lenth": 5, "md5": "ab"}"#,
            br#"{"total_lenth": 99999999999999999999, "md5": null}"#,
            br#"{"total_lenth": 05, "md5": null}"#,
        ] {
            assert_eq!(canonical_total_lenth(other), None, "{}", String::from_utf8_lossy(other));
        }
    }
}
