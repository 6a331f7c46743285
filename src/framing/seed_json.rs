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

use super::{DecodeError, DecodeState, FrameLayout};

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
}

impl SeedJsonCodec {
    pub fn new(max_frame_len: u32) -> Self {
        Self { max_frame_len, state: DecodeState::Header, parsed: None }
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

    pub(super) fn parse(&mut self, buf: &[u8], offset: u64) -> Result<Option<FrameLayout>, DecodeError> {
        let (header_len, body_len) = match self.parsed {
            Some(p) => p,
            None => match self.parse_header(buf, offset)? {
                Some(p) => {
                    self.parsed = Some(p);
                    p
                }
                None => return Ok(None),
            },
        };
        let have_body = (buf.len() - header_len) as u64;
        if have_body < body_len {
            self.state = DecodeState::Body { remaining: body_len - have_body };
            return Ok(None);
        }
        self.parsed = None;
        self.state = DecodeState::Header;
        Ok(Some(FrameLayout { header_len, payload_len: body_len as usize, trailer_len: 0 }))
    }

    /// Returns (length prefix + JSON length, body length) once the whole JSON header is here.
    fn parse_header(&mut self, buf: &[u8], offset: u64) -> Result<Option<(usize, u64)>, DecodeError> {
        self.state = DecodeState::Header;
        let Some(prefix) = buf.first_chunk::<LEN_PREFIX>() else {
            return Ok(None);
        };
        let json_len = i32::from_le_bytes(*prefix);
        if json_len < 0 {
            return Err(DecodeError::NegativeLength { offset, len: json_len.into() });
        }
        let max = self.max_frame_len;
        if json_len as u64 > u64::from(max) {
            return Err(DecodeError::TooLong { offset, len: json_len as u64, max });
        }
        let header_len = LEN_PREFIX + json_len as usize;
        let Some(json) = buf.get(LEN_PREFIX..header_len) else {
            return Ok(None);
        };
        let total_lenth = match canonical_total_lenth(json) {
            Some(n) => n,
            None => {
                // from_slice skips fields it ignores without checking their UTF-8 (so
                // `"md5": "ab\xa4"` passed, found by `cargo fuzz`); Python's json.loads refuses it
                let text = std::str::from_utf8(json)
                    .map_err(|e| DecodeError::BadJson { offset, reason: format!("the header is not UTF-8 ({e})") })?;
                let header: SeedHeader = serde_json::from_str(text)
                    .map_err(|e| DecodeError::BadJson { offset, reason: e.to_string() })?;
                // serde also reads a struct from an array, `[5]`, which the seed's client (that
                // indexes header['total_lenth']) cannot (found by `cargo fuzz`)
                if text.trim_start_matches([' ', '\t', '\n', '\r']).as_bytes().first() != Some(&b'{') {
                    return Err(DecodeError::BadJson { offset, reason: "the header is not a JSON object".into() });
                }
                header.total_lenth
            }
        };
        if total_lenth > u64::from(max) {
            return Err(DecodeError::TooLong { offset, len: total_lenth, max });
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

/// `N` when `json` is exactly the header the seed's server (and our encoder) writes,
/// `{"total_lenth": N, "md5": null}`. A full JSON parse costs about 10x the rest of decoding a
/// small frame, and this is the header nearly every frame carries; anything else (other fields,
/// other spacing, an md5 string) goes through serde_json, so errors stay the same.
fn canonical_total_lenth(json: &[u8]) -> Option<u64> {
    let digits = json.strip_prefix(b"{\"total_lenth\": ")?.strip_suffix(b", \"md5\": null}")?;
    // JSON has no leading zeros: `05` must reach serde_json and be refused, as Python refuses it
    let leading_zero = digits.len() > 1 && digits[0] == b'0';
    if digits.is_empty() || digits.len() > 19 || leading_zero || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(digits.iter().fold(0u64, |n, d| n * 10 + u64::from(d - b'0')))
}

#[cfg(test)]
mod canonical_tests {
    use super::canonical_total_lenth;

    #[test]
    fn fast_path_only_for_the_exact_canonical_header() {
        assert_eq!(canonical_total_lenth(br#"{"total_lenth": 1677, "md5": null}"#), Some(1677));
        assert_eq!(canonical_total_lenth(br#"{"total_lenth": 0, "md5": null}"#), Some(0));
        for other in [&br#"{"total_lenth":5,"md5":null}"#[..], br#"{"total_lenth": -1, "md5": null}"#, br#"{"total_lenth": , "md5": null}"#, br#"{"total_lenth": 5, "md5": "ab"}"#, br#"{"total_lenth": 99999999999999999999, "md5": null}"#, br#"{"total_lenth": 05, "md5": null}"#] {
            assert_eq!(canonical_total_lenth(other), None, "{}", String::from_utf8_lossy(other));
        }
    }
}
