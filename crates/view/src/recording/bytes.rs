//! A recording handed over as bytes (the browser's fetch, file picker or drop): the same checks
//! and caps as [`super::stream::read_text`] on a path, without a file. A gzip stream is inflated
//! twice, first only counting: a small file that inflates past [`MAX_FILE_BYTES`] is refused
//! before any of its text is held, and the text that is kept is allocated once, at its size
//! (the browser's memory is the tab's, and a 1 GiB bomb must cost it nothing but the time).

use std::io::{self, Read};

use flate2::read::MultiGzDecoder;

use super::{NotRecording, Recording, RecordingError, MAX_FILE_BYTES};
use crate::facts::{FileFailure, FileOp, FileTarget};

/// The first two bytes of every gzip member (RFC 1952).
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// The text of the recording `bytes` (named `name` in errors), inflated if it is gzip.
pub fn text_from_bytes(name: &str, bytes: &[u8]) -> Result<String, RecordingError> {
    capped_text(name, bytes, MAX_FILE_BYTES)
}

/// [`text_from_bytes`] with the cap as a parameter, so the tests can cross it cheaply.
fn capped_text(name: &str, bytes: &[u8], cap: u64) -> Result<String, RecordingError> {
    let too_big = |size: u64| RecordingError::TooBig {
        path: name.to_string(),
        size,
    };
    if bytes.len() as u64 > cap {
        return Err(too_big(bytes.len() as u64));
    }
    let text = if bytes.starts_with(&GZIP_MAGIC) {
        let inflate_err = |e: io::Error| {
            RecordingError::File(FileFailure::std(
                FileOp::Inflate,
                FileTarget::Path(name.to_string()),
                &e,
            ))
        };
        let limit = cap + 1;
        let size = io::copy(&mut MultiGzDecoder::new(bytes).take(limit), &mut io::sink()).map_err(inflate_err)?;
        if size > cap {
            return Err(too_big(size));
        }
        let mut text = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        MultiGzDecoder::new(bytes)
            .take(limit)
            .read_to_end(&mut text)
            .map_err(inflate_err)?;
        text
    } else {
        bytes.to_vec()
    };
    String::from_utf8(text).map_err(|e| RecordingError::Malformed(NotRecording::NotUtf8 { reason: e.to_string() }))
}

impl Recording {
    /// Reads a recording from its bytes, plain or gzip (see [`text_from_bytes`]).
    pub fn from_bytes(name: &str, bytes: &[u8]) -> Result<Self, RecordingError> {
        Self::from_json(&text_from_bytes(name, bytes)?)
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use flate2::write::GzEncoder;
    use flate2::Compression;

    use super::*;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), Compression::best());
        e.write_all(data).expect("in memory");
        e.finish().expect("in memory")
    }

    fn sample() -> String {
        Recording::new(crate::config::Experiment::default(), Vec::new()).to_json()
    }

    #[test]
    fn plain_and_gzip_bytes_read_alike() {
        let text = sample();
        assert!(Recording::from_bytes("a.json", text.as_bytes()).is_ok());
        assert!(Recording::from_bytes("a.json.gz", &gzip(text.as_bytes())).is_ok());
    }

    #[test]
    fn truncated_gzip_is_an_inflate_error() {
        let gz = gzip(sample().as_bytes());
        let cut = &gz[..gz.len() / 2];
        match Recording::from_bytes("cut.json.gz", cut) {
            Err(RecordingError::File(f)) => assert_eq!(f.op, FileOp::Inflate),
            other => panic!("expected an inflate error, got {other:?}"),
        }
    }

    #[test]
    fn garbage_after_the_magic_is_an_inflate_error() {
        let mut bad = GZIP_MAGIC.to_vec();
        bad.extend_from_slice(b"\x08\x00not deflate at all, just words");
        assert!(matches!(
            Recording::from_bytes("bad.gz", &bad),
            Err(RecordingError::File(FileFailure {
                op: FileOp::Inflate,
                ..
            }))
        ));
    }

    #[test]
    fn size_trailer_claiming_two_gib_is_refused() {
        let mut gz = gzip(sample().as_bytes());
        let n = gz.len();
        // the trailer's 32 bits hold the size modulo 2^32: 2 GiB is 2^31
        gz[n - 4..].copy_from_slice(&(1u32 << 31).to_le_bytes());
        assert!(matches!(
            Recording::from_bytes("liar.json.gz", &gz),
            Err(RecordingError::File(FileFailure {
                op: FileOp::Inflate,
                ..
            }))
        ));
    }

    #[test]
    fn inflating_past_the_cap_is_too_big() {
        let text = sample();
        let gz = gzip(text.as_bytes());
        let cap = text.len() as u64 - 1;
        assert!(gz.len() as u64 <= cap, "the compressed file itself is under the cap");
        match capped_text("bomb.json.gz", &gz, cap) {
            Err(RecordingError::TooBig { size, .. }) => assert_eq!(size, cap + 1),
            other => panic!("expected TooBig, got {other:?}"),
        }
        assert!(capped_text("fits.json.gz", &gz, text.len() as u64).is_ok());
    }

    #[test]
    fn plain_bytes_over_the_cap_are_too_big() {
        assert!(matches!(
            capped_text("big.json", b"{}{}", 3),
            Err(RecordingError::TooBig { size: 4, .. })
        ));
    }

    #[test]
    fn absurd_len_names_its_event() {
        let mut v: serde_json::Value = serde_json::from_str(&sample()).expect("ours");
        v["events"] = serde_json::json!([{"kind": "read", "at_us": 1, "offset": 0, "len": 18446744073709551615u64}]);
        assert!(matches!(
            Recording::from_bytes("len.json", v.to_string().as_bytes()),
            Err(RecordingError::Malformed(NotRecording::NumberTooBig { event: 0, .. }))
        ));
    }

    #[test]
    fn wrong_format_and_future_version_are_named() {
        let wrong = br#"{"format":"something-else","version":3}"#;
        assert!(matches!(
            Recording::from_bytes("w.json", wrong),
            Err(RecordingError::Malformed(NotRecording::WrongFormat))
        ));
        let future = br#"{"format":"stickyviz-recording","version":99}"#;
        assert!(matches!(
            Recording::from_bytes("f.json", future),
            Err(RecordingError::FutureVersion { found: 99 })
        ));
    }
}
