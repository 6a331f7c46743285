//! What the fuzz targets share: how one fuzz input becomes a max frame length, a way of cutting
//! the stream into reads and the stream itself, and the decoder contract every target asserts
//! (see `src/framing/mod.rs`): no panic, every error at the offset of the frame it is about and
//! within the bytes fed, every frame consistent with the bytes, and no single allocation larger
//! than one frame while decoding.
//!
//! ```text
//!  byte 0      byte 1     k bytes                 the rest
//!  +---------+----------+-----------------------+----------------------+
//!  | max/16  | k (mod 16)| read sizes (0 = rest) | stream bytes         |
//!  +---------+----------+-----------------------+----------------------+
//! ```
//!
//! Read sizes are used in turn, round and round; with none, the stream is one read.

use stickyviz::framing::{DecodeError, DecodeState, Frame, FramePart, FramingMode, NaiveStep, NaiveU32Decoder};

/// One fuzz input, taken apart.
pub struct Input<'a> {
    pub max_frame_len: u32,
    pub read_sizes: Vec<usize>,
    pub bytes: &'a [u8],
}

impl<'a> Input<'a> {
    pub fn parse(data: &'a [u8]) -> Option<Self> {
        let (&max_byte, rest) = data.split_first()?;
        let (&k, rest) = rest.split_first()?;
        let k = usize::from(k % 16);
        if rest.len() < k {
            return None;
        }
        let (sizes, bytes) = rest.split_at(k);
        let read_sizes = sizes.iter().map(|&s| if s == 0 { usize::MAX } else { usize::from(s) }).collect();
        Some(Self { max_frame_len: u32::from(max_byte) * 16, read_sizes, bytes })
    }

    /// The size of the read starting after `reads` earlier reads, at most `left`.
    fn read_size(&self, reads: usize, left: usize) -> usize {
        if self.read_sizes.is_empty() {
            return left;
        }
        self.read_sizes[reads % self.read_sizes.len()].min(left)
    }
}

// ---- what a corpus reaches -------------------------------------------------------------------

/// With `STICKYVIZ_FUZZ_CENSUS` set, each input prints one line saying how it ended (frames,
/// error kind), so a corpus can be counted: `-runs=0` over it, then `sort | uniq -c`.
fn census(line: impl FnOnce() -> String) {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    if *ON.get_or_init(|| std::env::var_os("STICKYVIZ_FUZZ_CENSUS").is_some()) {
        eprintln!("census: {}", line());
    }
}

/// The error's kind and, for a short read, which part.
fn kind(e: &DecodeError) -> String {
    match e {
        DecodeError::ShortRead { part, .. } => format!("ShortRead({part})"),
        other => format!("{other:?}").split([' ', '{']).next().unwrap_or_default().to_string(),
    }
}

// ---- the largest single allocation, counted per thread -------------------------------------

#[path = "../../tests/support/largest_alloc.rs"]
mod largest_alloc;

pub use largest_alloc::CountingAlloc;
use largest_alloc::{largest_allocation, untracked};

// ---- stream codecs: u32, seed-json, newline ------------------------------------------------

/// Room for the few small allocations that do not grow with the input: Vec's smallest buffer
/// (8 bytes), the fixed words of an error message.
pub const SMALL_ALLOC: usize = 256;

/// Bytes a codec may hold for one frame: header, payload (at most the max) and trailer.
/// seed-json checks its JSON header's length and its body's length each against the max.
pub fn frame_bound(mode: FramingMode, max: u32) -> usize {
    let max = max as usize;
    match mode {
        FramingMode::U32 | FramingMode::NaiveU32 => 4 + max,
        FramingMode::SeedJson => 4 + 2 * max,
        // the text and the `\r` that may still be part of its line ending
        FramingMode::Newline => max + 2,
        FramingMode::None => 0,
    }
}

#[derive(Debug, PartialEq, Eq)]
struct Decoded {
    frames: Vec<(u64, usize, Vec<u8>)>,
    error: Option<DecodeError>,
}

/// Checks one frame against the stream: it starts where the previous one ended, lies within
/// the bytes fed, and its header and payload are the stream's bytes at that place.
fn check_frame(mode: FramingMode, input: &Input<'_>, f: &Frame<'_>, expected_offset: u64, fed: usize) {
    assert_eq!(f.offset, expected_offset, "{mode:?}: frames must follow each other");
    let start = f.offset as usize;
    let end = start + f.total_len;
    assert!(end <= fed, "{mode:?}: frame {start}..{end} beyond the {fed} bytes fed");
    assert!(f.payload.len() as u64 <= u64::from(input.max_frame_len), "{mode:?}: payload over the max");
    let raw = &input.bytes[start..end];
    match mode {
        FramingMode::U32 => {
            assert_eq!(raw[..4], (f.payload.len() as u32).to_be_bytes(), "u32: header is the payload length");
            assert_eq!(&raw[4..], f.payload, "u32: payload is the bytes after the header");
        }
        FramingMode::Newline => {
            assert_eq!(raw.last(), Some(&b'\n'), "newline: frame ends with \\n");
            let line = &raw[..raw.len() - 1];
            // a `\r\n` ending is not part of the payload either
            let text = line.strip_suffix(b"\r").unwrap_or(line);
            assert_eq!(text, f.payload, "newline: payload is the line without its ending");
            assert!(!f.payload.contains(&b'\n'), "newline: payload holds no \\n");
        }
        FramingMode::SeedJson => {
            let json_len = i32::from_le_bytes([raw[0], raw[1], raw[2], raw[3]]);
            assert!(json_len >= 0, "seed-json: negative header length accepted");
            let json_end = 4 + json_len as usize;
            assert_eq!(json_end + f.payload.len(), raw.len(), "seed-json: header then body, nothing else");
            assert_eq!(&raw[json_end..], f.payload, "seed-json: payload is the body");
            // The canonical-header fast path must agree with a real JSON parser.
            let header: Result<serde_json::Value, _> = serde_json::from_slice(&raw[4..json_end]);
            // serde_json's Value refuses a number beyond f64 (`"x": -77e7707`) that Python's
            // json.loads reads as -inf and the decoder, like the seed's client, ignores
            if header.as_ref().is_err_and(|e| e.to_string().starts_with("number out of range")) {
                return;
            }
            let total = header.as_ref().ok().and_then(|v| v.get("total_lenth")).and_then(serde_json::Value::as_u64);
            assert_eq!(total, Some(f.payload.len() as u64), "seed-json: header {header:?} does not announce the body length");
        }
        FramingMode::None | FramingMode::NaiveU32 => unreachable!("not a stream codec"),
    }
}

/// Checks an error from a stream codec: it is about the frame after the last good one, within
/// the bytes fed, of a kind this codec can produce, and its message names the offset.
fn check_error(mode: FramingMode, input: &Input<'_>, e: &DecodeError, expected_offset: u64, fed: usize) {
    assert_eq!(e.offset(), expected_offset, "{mode:?}: {e:?} is not at the failing frame");
    assert!(e.offset() <= fed as u64, "{mode:?}: {e:?} beyond the {fed} bytes fed");
    let text = e.to_string();
    assert!(text.contains(&format!("offset {}", e.offset())), "{mode:?}: message without its offset: {text}");
    let max = input.max_frame_len;
    match (mode, e) {
        (_, DecodeError::TooLong { len, max: m, .. }) => {
            assert_eq!(*m, max);
            assert!(*len > u64::from(max), "{e:?}: not too long");
        }
        (FramingMode::SeedJson, DecodeError::NegativeLength { len, .. }) => assert!(*len < 0),
        (FramingMode::SeedJson, DecodeError::BadJson { reason, .. }) => assert!(!reason.is_empty()),
        (_, DecodeError::Truncated { have, need, .. }) => {
            assert_eq!(*have, fed as u64 - e.offset(), "{e:?}: have is what is left after the last frame");
            assert!(need > have, "{e:?}");
        }
        _ => panic!("{mode:?} cannot fail with {e:?}"),
    }
}

/// Feeds the input through `feed` + `next_frame` (the buffered path) and through `decode_chunk`
/// (the engine's zero-copy path), checking each frame and error; both must agree. While the
/// zero-copy path runs, no single allocation may exceed one frame and no more than one frame
/// may be kept between reads.
pub fn check_stream_codec(mode: FramingMode, data: &[u8]) {
    let Some(input) = Input::parse(data) else { return };
    let buffered = decode_buffered(mode, &input);
    let (zero_copy, largest) = largest_allocation(|| decode_zero_copy(mode, &input));
    assert_eq!(zero_copy, buffered, "{mode:?}: decode_chunk and feed + next_frame disagree");
    let bound = frame_bound(mode, input.max_frame_len) + SMALL_ALLOC;
    assert!(largest <= bound, "{mode:?}: allocated {largest} bytes at once while decoding; one frame is at most {bound}");
    census(|| {
        let frames = match buffered.frames.len() {
            0 => "no frame",
            1 => "1 frame",
            _ => "2+ frames",
        };
        let at_max = buffered.frames.iter().any(|f| f.2.len() as u64 == u64::from(input.max_frame_len));
        let error = buffered.error.as_ref().map_or_else(|| "no error".into(), kind);
        format!("{mode:?} {frames}{} {error}", if at_max { " (one at the max)" } else { "" })
    });
}

fn decode_buffered(mode: FramingMode, input: &Input<'_>) -> Decoded {
    let mut dec = mode.stream_decoder(input.max_frame_len).expect("a stream codec");
    let mut out = Decoded { frames: Vec::new(), error: None };
    let (mut pos, mut reads, mut next_offset) = (0, 0, 0u64);
    while pos < input.bytes.len() {
        let n = input.read_size(reads, input.bytes.len() - pos);
        dec.feed(&input.bytes[pos..pos + n]);
        pos += n;
        reads += 1;
        loop {
            match dec.next_frame() {
                Ok(Some(f)) => {
                    check_frame(mode, input, &f, next_offset, pos);
                    next_offset += f.total_len as u64;
                    out.frames.push((f.offset, f.total_len, f.payload.to_vec()));
                }
                Ok(None) => break,
                Err(e) => {
                    check_error(mode, input, &e, next_offset, pos);
                    assert_eq!(dec.state(), DecodeState::Failed);
                    out.error = Some(e);
                    return out;
                }
            }
        }
    }
    if let Err(e) = dec.finish() {
        check_error(mode, input, &e, next_offset, pos);
        out.error = Some(e);
    }
    out
}

fn decode_zero_copy(mode: FramingMode, input: &Input<'_>) -> Decoded {
    let mut dec = mode.stream_decoder(input.max_frame_len).expect("a stream codec");
    let mut out = Decoded { frames: Vec::new(), error: None };
    let bound = frame_bound(mode, input.max_frame_len);
    let (mut pos, mut reads, mut next_offset) = (0, 0, 0u64);
    while pos < input.bytes.len() {
        let n = input.read_size(reads, input.bytes.len() - pos);
        let read = &input.bytes[pos..pos + n];
        pos += n;
        reads += 1;
        let result = dec.decode_chunk(read, |f| {
            untracked(|| {
                check_frame(mode, input, &f, next_offset, pos);
                next_offset += f.total_len as u64;
                out.frames.push((f.offset, f.total_len, f.payload.to_vec()));
            })
        });
        if let Err(e) = result {
            untracked(|| check_error(mode, input, &e, next_offset, pos));
            out.error = Some(e);
            return out;
        }
        assert!(dec.pending_len() <= bound, "{mode:?}: {} bytes kept between reads", dec.pending_len());
        assert_eq!(dec.offset(), next_offset, "{mode:?}: offset() is the end of the last frame");
    }
    if let Err(e) = dec.finish() {
        untracked(|| check_error(mode, input, &e, next_offset, pos));
        out.error = Some(e);
    }
    out
}

// ---- naive-u32 ------------------------------------------------------------------------------

/// Drives the naive decoder as the seed's client: each `recv()` asks for `want()` bytes and
/// gets at most the next read size. Checks that every frame is the stream's bytes at its offset,
/// that a frame reported whole got every byte its header announced, and that a short read is
/// reported at the offset of that read, for the part it was reading.
pub fn check_naive_u32(data: &[u8]) {
    let Some(input) = Input::parse(data) else { return };
    let max = input.max_frame_len;
    let bound = frame_bound(FramingMode::NaiveU32, max) + SMALL_ALLOC;
    let (outcome, largest) = largest_allocation(|| {
        let mut outcome = NaiveOutcome::default();
        let mut dec = NaiveU32Decoder::new(max);
        let (mut pos, mut reads) = (0, 0);
        let mut announced: Option<(u64, u32)> = None;
        while pos < input.bytes.len() && !dec.is_failed() {
            let want = dec.want();
            assert!(want <= max as usize || want == 4, "asks for {want} bytes, over the max {max}");
            let n = want.max(1).min(input.read_size(reads, input.bytes.len() - pos));
            let read = &input.bytes[pos..pos + n];
            let read_at = pos as u64;
            pos += n;
            reads += 1;
            let step = dec.on_read(read);
            untracked(|| match step {
                Ok(NaiveStep::Header { len }) => {
                    assert_eq!(n, 4);
                    assert_eq!(read, len.to_be_bytes(), "the header is the read's bytes");
                    assert!(len > 0 && len <= max, "header {len} (max {max})");
                    announced = Some((read_at, len));
                }
                Ok(NaiveStep::Frame(f)) => {
                    check_naive_frame(&input, &f, announced.take(), read_at);
                    let header = &input.bytes[f.offset as usize..][..4];
                    assert_eq!(header, (f.payload.len() as u32).to_be_bytes(), "a whole frame has its announced length");
                    outcome.frames += 1;
                }
                Ok(NaiveStep::ShortFrame { frame, error }) => {
                    assert!(n < want, "a short frame from a read that got all {want} bytes");
                    let (_, len) = announced.expect("a body read follows a header");
                    check_naive_frame(&input, &frame, announced.take(), read_at);
                    assert_eq!(error, DecodeError::ShortRead { offset: read_at, part: FramePart::Body, asked: len.into(), got: n as u64 });
                    check_naive_message(&error);
                    outcome.short_bodies += 1;
                }
                Err(e) => {
                    assert!(dec.is_failed(), "an error ends the naive decoder");
                    match e {
                        DecodeError::ShortRead { part: FramePart::Header, asked: 4, got, offset } => {
                            assert!(got < 4 && got == n as u64 && offset == read_at, "{e:?}");
                        }
                        DecodeError::TooLong { offset, len, max: m, .. } => {
                            assert!(offset == read_at && m == max && len > u64::from(max), "{e:?}");
                        }
                        other => panic!("naive decoder failed with {other:?} mid-stream"),
                    }
                    check_naive_message(&e);
                    outcome.end = kind(&e);
                }
            });
        }
        let end = dec.finish();
        untracked(|| {
            if let Err(e) = end {
                let (header_at, len) = announced.expect("truncated only after a header");
                assert_eq!(e, DecodeError::Truncated { offset: header_at, have: 4, need: 4 + u64::from(len) });
                check_naive_message(&e);
                outcome.end = kind(&e);
            }
        });
        outcome
    });
    assert!(largest <= bound, "naive-u32: allocated {largest} bytes at once; one frame is at most {bound}");
    census(|| {
        let frames = if outcome.frames > 1 { "2+ frames" } else if outcome.frames == 1 { "1 frame" } else { "no frame" };
        let short = if outcome.short_bodies > 0 { " short body" } else { "" };
        let end = if outcome.end.is_empty() { "no error" } else { &outcome.end };
        format!("NaiveU32 {frames}{short} {end}")
    });
}

/// How one naive run went, for the census.
#[derive(Default)]
struct NaiveOutcome {
    frames: usize,
    short_bodies: usize,
    /// The kind of the error that stopped it, empty if none.
    end: String,
}

/// A frame lies at the header that announced it; its payload is this read's bytes.
fn check_naive_frame(input: &Input<'_>, f: &Frame<'_>, announced: Option<(u64, u32)>, read_at: u64) {
    let start = f.offset as usize;
    assert_eq!(f.total_len, 4 + f.payload.len());
    match announced {
        // an empty frame: header and frame come from one read
        None => assert!(f.offset == read_at && f.payload.is_empty() && input.bytes[start..start + 4] == [0; 4]),
        Some((header_at, len)) => {
            assert_eq!(f.offset, header_at);
            assert_eq!(read_at, header_at + 4, "the body read follows its header");
            assert!(f.payload.len() <= len as usize);
        }
    }
    assert_eq!(&input.bytes[start + 4..start + f.total_len], f.payload);
}

fn check_naive_message(e: &DecodeError) {
    let text = e.to_string();
    assert!(text.contains(&format!("offset {}", e.offset())), "message without its offset: {text}");
}

// ---- recordings -----------------------------------------------------------------------------

/// Loads `data` as a recording file the way the window's Open does (the file is read as UTF-8
/// text, parsed, then turned into the model the panels draw). A refusal must name what is wrong.
pub fn check_recording(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match stickyviz::recording::Recording::from_json(text) {
        Ok(rec) => {
            census(|| format!("recording loaded, {} events", if rec.events.is_empty() { "no" } else { "some" }));
            let model = stickyviz::analysis::Model::from_events(&rec.events);
            let _ = model.summary;
            let back = stickyviz::recording::Recording::from_json(&rec.to_json()).expect("a loaded recording saves and loads again");
            assert_eq!(back.events, rec.events);
        }
        Err(e) => {
            assert!(!e.to_string().is_empty());
            census(|| format!("recording refused: {}", format!("{e:?}").split('(').next().unwrap_or_default()));
        }
    }
}
