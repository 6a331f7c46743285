//! Property tests for every framing mode, on the real decoders.
//!
//! - Round trip: any messages (empty ones too), any way of cutting the stream into reads, give
//!   the messages back, through both `feed` + `next_frame` and the engine's `decode_chunk`.
//! - naive-u32: whole reads round-trip; with arbitrary cuts it gives the right frames up to the
//!   first short read and reports that `ShortRead` at the offset of that read: never a wrong frame
//!   in silence.
//! - Arbitrary bytes (pure garbage, garbage after valid frames, lengths near the max frame
//!   length and near `u32::MAX`): no panic; every error is at the offset of the frame it is about,
//!   within the bytes fed, and its message names the offset and what was wrong; and no single
//!   allocation while decoding is larger than one frame (a counting global allocator measures it).
//!
//! `MAX` is small (4 KiB) and inputs reach several times it, so the allocation bound means
//! something. Run with `cargo test --no-default-features --test framing_props`.

use proptest::prelude::*;
use proptest::sample::Index;
use stickyviz::framing::{DecodeError, FramePart, FramingMode, LengthField, NaiveStep, NaiveU32Decoder, SeedJsonCodec};

#[allow(unsafe_code)] // a global allocator is unsafe to write; the package denies unsafe elsewhere
#[path = "support/largest_alloc.rs"]
mod largest_alloc;

use largest_alloc::{largest_allocation, untracked, CountingAlloc};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

const MAX: u32 = 4096;

/// Allocations that do not grow with the input: Vec's smallest buffer, an error message's words.
const SMALL_ALLOC: usize = 256;

/// The most one frame can hold: header, payload (at most the max) and trailer. seed-json checks
/// its JSON header's length and its body's length each against the max.
fn frame_bound(mode: FramingMode) -> usize {
    let max = MAX as usize;
    match mode {
        FramingMode::U32 | FramingMode::NaiveU32 => 4 + max,
        FramingMode::SeedJson => 4 + 2 * max,
        // the text, and the `\r` that may still be part of its line ending
        FramingMode::Newline => max + 2,
        FramingMode::None => 0,
    }
}

// ---- driving the decoders -------------------------------------------------------------------

fn encode_all(mode: FramingMode, msgs: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    for m in msgs {
        mode.encode(m, &mut out);
    }
    out
}

/// Cut points (sorted, inside the stream) from arbitrary indices.
fn cut_points(len: usize, picks: &[Index]) -> Vec<usize> {
    let mut cuts: Vec<usize> = picks.iter().map(|i| i.index(len + 1)).collect();
    cuts.sort_unstable();
    cuts.dedup();
    cuts
}

/// The reads a cut stream arrives in.
fn reads<'a>(bytes: &'a [u8], cuts: &'a [usize]) -> impl Iterator<Item = (usize, &'a [u8])> + 'a {
    let ends = cuts.iter().copied().chain(std::iter::once(bytes.len()));
    let starts = std::iter::once(0).chain(cuts.iter().copied());
    starts.zip(ends).map(move |(s, e)| (s, &bytes[s..e]))
}

/// One decoded frame: offset, total length, payload.
type Decoded = (u64, usize, Vec<u8>);

/// What a stream codec made of a cut stream, with the number of bytes fed when it stopped.
#[derive(Debug, PartialEq)]
struct Outcome {
    frames: Vec<Decoded>,
    error: Option<(DecodeError, usize)>,
}

fn decode_buffered(mode: FramingMode, bytes: &[u8], cuts: &[usize]) -> Outcome {
    let mut dec = mode.stream_decoder(MAX).expect("a stream codec");
    let mut frames = Vec::new();
    for (start, read) in reads(bytes, cuts) {
        dec.feed(read);
        loop {
            match dec.next_frame() {
                Ok(Some(f)) => frames.push((f.offset, f.total_len, f.payload.to_vec())),
                Ok(None) => break,
                Err(e) => {
                    return Outcome {
                        frames,
                        error: Some((e, start + read.len())),
                    }
                }
            }
        }
    }
    Outcome {
        frames,
        error: dec.finish().err().map(|e| (e, bytes.len())),
    }
}

/// The engine's path; also returns the largest single allocation `decode_chunk` and `finish` made.
fn decode_zero_copy(mode: FramingMode, bytes: &[u8], cuts: &[usize]) -> (Outcome, usize) {
    let mut dec = mode.stream_decoder(MAX).expect("a stream codec");
    let mut frames = Vec::new();
    largest_allocation(|| {
        for (start, read) in reads(bytes, cuts) {
            let pushed = dec.decode_chunk(read, |f| {
                untracked(|| frames.push((f.offset, f.total_len, f.payload.to_vec())))
            });
            if let Err(e) = pushed {
                return Outcome {
                    frames: untracked(|| std::mem::take(&mut frames)),
                    error: Some((e, start + read.len())),
                };
            }
        }
        let end = dec.finish().err().map(|e| (e, bytes.len()));
        Outcome {
            frames: untracked(|| std::mem::take(&mut frames)),
            error: end,
        }
    })
}

/// Both paths agree, and the zero-copy one never allocates more than one frame at once.
fn decode_both(mode: FramingMode, bytes: &[u8], cuts: &[usize]) -> Outcome {
    let buffered = decode_buffered(mode, bytes, cuts);
    let (zero_copy, largest) = decode_zero_copy(mode, bytes, cuts);
    assert_eq!(
        zero_copy, buffered,
        "{mode:?}: decode_chunk and feed + next_frame disagree"
    );
    let bound = frame_bound(mode) + SMALL_ALLOC;
    assert!(
        largest <= bound,
        "{mode:?}: one allocation of {largest} bytes while decoding; one frame is at most {bound}"
    );
    buffered
}

/// Every frame lies where the previous one ended, and is the stream's bytes at that place.
fn assert_frames_match_bytes(mode: FramingMode, bytes: &[u8], frames: &[Decoded]) -> u64 {
    let mut next = 0u64;
    for (offset, total, payload) in frames {
        assert_eq!(*offset, next, "{mode:?}: frames follow each other");
        assert!(payload.len() <= MAX as usize, "{mode:?}: payload over the max");
        let raw = &bytes[*offset as usize..*offset as usize + total];
        match mode {
            FramingMode::U32 => {
                assert_eq!(raw[..4], (payload.len() as u32).to_be_bytes());
                assert_eq!(&raw[4..], payload);
            }
            FramingMode::Newline => {
                let lf = [payload.as_slice(), b"\n"].concat();
                let crlf = [payload.as_slice(), b"\r\n"].concat();
                assert!(raw == lf || raw == crlf, "{raw:?}: the payload, then \\n or \\r\\n");
                assert!(!payload.contains(&b'\n'));
            }
            FramingMode::SeedJson => {
                let json_len = i32::from_le_bytes([raw[0], raw[1], raw[2], raw[3]]);
                let json = &raw[4..4 + usize::try_from(json_len).expect("a frame's header length is not negative")];
                assert_eq!(&raw[4 + json.len()..], payload);
                let header: serde_json::Value = serde_json::from_slice(json).expect("a frame's header is JSON");
                assert_eq!(header["total_lenth"].as_u64(), Some(payload.len() as u64), "{header}");
            }
            FramingMode::None | FramingMode::NaiveU32 => unreachable!(),
        }
        next += *total as u64;
    }
    next
}

/// The error is about the frame after the last good one, within the bytes fed, and says so.
fn assert_error_is_explained(mode: FramingMode, e: &DecodeError, frame_at: u64, fed: usize) {
    assert_eq!(e.offset(), frame_at, "{mode:?}: {e:?} is not at the failing frame");
    assert!(e.offset() <= fed as u64, "{mode:?}: {e:?} beyond the {fed} bytes fed");
    let text = e.to_string();
    assert!(text.contains(&format!("offset {}", e.offset())), "{mode:?}: {text}");
    let what = match e {
        DecodeError::TooLong { len, max, .. } => {
            assert!(*len > u64::from(*max) && *max == MAX, "{e:?}");
            "exceeds the maximum frame length"
        }
        DecodeError::NegativeLength { len, .. } => {
            assert!(mode == FramingMode::SeedJson && *len < 0, "{mode:?}: {e:?}");
            "negative header length"
        }
        DecodeError::BadJson { .. } => {
            assert_eq!(mode, FramingMode::SeedJson);
            "bad JSON header"
        }
        DecodeError::Truncated { have, need, .. } => {
            assert!(
                *have == fed as u64 - e.offset() && need > have,
                "{e:?} after {fed} bytes"
            );
            "stream ended inside the frame"
        }
        DecodeError::ShortRead { .. } => panic!("{mode:?}: a stream codec never reports a short read"),
    };
    assert!(text.contains(what), "{mode:?}: {text:?} does not say {what:?}");
}

/// Garbage must never panic, and whatever comes out must be explained.
fn assert_contract(mode: FramingMode, bytes: &[u8], cuts: &[usize]) {
    let out = decode_both(mode, bytes, cuts);
    let end = assert_frames_match_bytes(mode, bytes, &out.frames);
    match &out.error {
        Some((e, fed)) => assert_error_is_explained(mode, e, end, *fed),
        None => assert_eq!(
            end,
            bytes.len() as u64,
            "{mode:?}: no error, so every byte is in a frame"
        ),
    }
}

// ---- strategies -----------------------------------------------------------------------------

fn message() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        2 => Just(Vec::new()),
        6 => proptest::collection::vec(any::<u8>(), 0..64),
        1 => proptest::collection::vec(any::<u8>(), 0..=MAX as usize),
        1 => Just(vec![b'm'; MAX as usize]), // exactly the max frame length
    ]
}

fn messages() -> impl Strategy<Value = Vec<Vec<u8>>> {
    proptest::collection::vec(message(), 0..8)
}

/// Messages for `newline`: no `\n` inside, and no `\r` at the end (it would read as a `\r\n`
/// line ending, which is not part of the payload).
fn lines() -> impl Strategy<Value = Vec<Vec<u8>>> {
    messages().prop_map(|msgs| {
        msgs.into_iter()
            .map(|m| {
                let mut line: Vec<u8> = m.into_iter().filter(|&b| b != b'\n').collect();
                while line.last() == Some(&b'\r') {
                    line.pop();
                }
                line
            })
            .collect()
    })
}

fn picks() -> impl Strategy<Value = Vec<Index>> {
    proptest::collection::vec(any::<Index>(), 0..12)
}

/// A 32-bit length near the interesting edges: 0, the max frame length, `u32::MAX`, `i32::MAX`.
fn edge_len() -> impl Strategy<Value = u32> {
    prop_oneof![
        0..8u32,
        MAX - 4..=MAX + 4,
        u32::MAX - 4..=u32::MAX,
        i32::MAX as u32 - 2..=i32::MAX as u32 + 2,
        any::<u32>(),
    ]
}

/// A seed-json header that is wrong in one of the ways a peer gets it wrong.
fn bad_seed_header() -> impl Strategy<Value = Vec<u8>> {
    let json = prop_oneof![
        Just(r#"{"md5": null}"#.to_string()),
        Just(r#"{"total_lenth": -1, "md5": null}"#.to_string()),
        Just(r#"{"total_lenth": 1e3, "md5": null}"#.to_string()),
        Just(r#"{"total_lenth": "5", "md5": null}"#.to_string()),
        Just(r#"{"total_lenth": 05, "md5": null}"#.to_string()),
        Just(r#"{"total_lenth": 99999999999999999999, "md5": null}"#.to_string()),
        Just(r#"{"total_lenth": 5, "total_lenth": 5}"#.to_string()),
        Just(r#"{"total_lenth": 5, "md5": null"#.to_string()),
        Just("[5]".to_string()), // serde reads a struct from an array too (found by cargo fuzz)
        edge_len().prop_map(|n| SeedJsonCodec::header_json(n as usize)),
        "[ -~]{0,40}",
    ];
    let bytes = prop_oneof![
        4 => json.prop_map(String::into_bytes),
        1 => proptest::collection::vec(any::<u8>(), 0..40), // invalid UTF-8 too
        // invalid UTF-8 inside a field the decoder ignores (found by cargo fuzz)
        1 => Just(b"{\"total_lenth\": 2, \"md5\": \"ab\xa4\"}".to_vec()),
    ];
    // mostly the right length prefix, so the header itself is judged
    let prefix = prop_oneof![4 => Just(None), 1 => Just(Some(i32::MIN)), 1 => Just(Some(-1)), 1 => Just(Some(i32::MAX)), 1 => (0..64i32).prop_map(Some)];
    (bytes, prefix).prop_map(|(json, len)| {
        let n = len.unwrap_or(json.len() as i32);
        let mut out = n.to_le_bytes().to_vec();
        out.extend_from_slice(&json);
        out
    })
}

/// Bytes after which a codec must fail or wait: garbage, a lying length, an endless line.
fn bad_tail(mode: FramingMode) -> BoxedStrategy<Vec<u8>> {
    let garbage = proptest::collection::vec(any::<u8>(), 0..3 * MAX as usize);
    let filler = || proptest::collection::vec(any::<u8>(), 0..3 * MAX as usize);
    match mode {
        FramingMode::U32 | FramingMode::NaiveU32 => prop_oneof![
            garbage,
            (edge_len(), filler()).prop_map(|(n, rest)| [n.to_be_bytes().as_slice(), &rest].concat()),
        ]
        .boxed(),
        FramingMode::SeedJson => prop_oneof![
            1 => garbage,
            3 => (bad_seed_header(), filler()).prop_map(|(h, rest)| [h, rest].concat()),
            1 => (edge_len(), filler()).prop_map(|(n, rest)| {
                let mut out = Vec::new();
                let json = SeedJsonCodec::header_json(n as usize);
                out.extend_from_slice(&(json.len() as i32).to_le_bytes());
                out.extend_from_slice(json.as_bytes());
                out.extend_from_slice(&rest);
                out
            }),
        ]
        .boxed(),
        FramingMode::Newline => prop_oneof![
            garbage,
            // a line with no end, up to three times the max (so a read can be longer than a frame)
            (MAX as usize - 4..3 * MAX as usize, any::<u8>())
                .prop_map(|(n, b)| vec![if b == b'\n' { b'x' } else { b }; n]),
            (MAX as usize - 4..MAX as usize + 4).prop_map(|n| [vec![b'y'; n], b"\n".to_vec()].concat()),
        ]
        .boxed(),
        FramingMode::None => Just(Vec::new()).boxed(),
    }
}

// ---- properties -----------------------------------------------------------------------------

proptest! {
    #[test]
    fn none_adds_nothing_and_any_cut_reassembles(msgs in messages(), picks in picks()) {
        // `none` has no decoder: the receiver sees only reads, which put together are the writes.
        prop_assert!(FramingMode::None.stream_decoder(MAX).is_none());
        let bytes = encode_all(FramingMode::None, &msgs);
        prop_assert_eq!(&bytes, &msgs.concat());
        let cuts = cut_points(bytes.len(), &picks);
        let joined: Vec<u8> = reads(&bytes, &cuts).flat_map(|(_, r)| r.iter().copied()).collect();
        prop_assert_eq!(joined, bytes);
    }

    #[test]
    fn u32_round_trips_over_any_reads(msgs in messages(), picks in picks()) {
        assert_round_trip(FramingMode::U32, &msgs, &picks);
    }

    #[test]
    fn seed_json_round_trips_over_any_reads(msgs in messages(), picks in picks()) {
        assert_round_trip(FramingMode::SeedJson, &msgs, &picks);
    }

    #[test]
    fn newline_round_trips_over_any_reads(msgs in lines(), picks in picks()) {
        assert_round_trip(FramingMode::Newline, &msgs, &picks);
    }

    #[test]
    fn naive_u32_round_trips_when_every_read_is_whole(msgs in messages(), read_size in MAX as usize..=2 * MAX as usize) {
        // the application's buffer holds any frame and the kernel has every byte asked for
        let bytes = encode_all(FramingMode::NaiveU32, &msgs);
        let run = naive_run(&bytes, &[], read_size);
        prop_assert_eq!(run.errors, vec![]);
        prop_assert_eq!(run.frames, expected_frames(FramingMode::NaiveU32, &msgs));
    }

    #[test]
    fn naive_u32_is_right_or_says_short_read_at_the_short_read(msgs in messages(), picks in picks(), read_size in 1usize..=2 * MAX as usize) {
        let bytes = encode_all(FramingMode::NaiveU32, &msgs);
        let cuts = cut_points(bytes.len(), &picks);
        let run = naive_run(&bytes, &cuts, read_size);
        let want = expected_frames(FramingMode::NaiveU32, &msgs);
        match run.first_short_read {
            None => {
                prop_assert_eq!(run.errors, vec![]);
                prop_assert_eq!(run.frames, want);
            }
            Some((at, part)) => {
                // every frame before the short read is right; the first error is that read
                let ends_before = |f: &&Decoded| f.0 + f.1 as u64 <= at;
                let before: Vec<Decoded> = run.frames.iter().filter(ends_before).cloned().collect();
                prop_assert_eq!(before, want.iter().filter(ends_before).cloned().collect::<Vec<_>>());
                let first = run.errors.first().expect("a short read is reported");
                prop_assert!(matches!(first, DecodeError::ShortRead { offset, part: p, .. } if *offset == at && *p == part), "{first:?}, short read at {at}");
                prop_assert!(first.to_string().contains(&format!("read at offset {at} asked for the {part}")), "{first}");
            }
        }
    }

    #[test]
    fn u32_garbage_is_refused_with_its_offset(msgs in messages(), tail in bad_tail(FramingMode::U32), picks in picks()) {
        assert_garbage(FramingMode::U32, &msgs, &tail, &picks);
    }

    #[test]
    fn seed_json_garbage_is_refused_with_its_offset(msgs in messages(), tail in bad_tail(FramingMode::SeedJson), picks in picks()) {
        assert_garbage(FramingMode::SeedJson, &msgs, &tail, &picks);
    }

    #[test]
    fn newline_garbage_is_refused_with_its_offset(msgs in lines(), tail in bad_tail(FramingMode::Newline), picks in picks()) {
        assert_garbage(FramingMode::Newline, &msgs, &tail, &picks);
    }

    #[test]
    fn naive_u32_garbage_never_gives_a_wrong_frame_in_silence(msgs in messages(), tail in bad_tail(FramingMode::NaiveU32), picks in picks(), read_size in 1usize..=2 * MAX as usize) {
        let mut bytes = encode_all(FramingMode::NaiveU32, &msgs);
        bytes.extend_from_slice(&tail);
        let cuts = cut_points(bytes.len(), &picks);
        let (run, largest) = largest_allocation(|| naive_run(&bytes, &cuts, read_size));
        let bound = frame_bound(FramingMode::NaiveU32) + SMALL_ALLOC;
        prop_assert!(largest <= bound, "one allocation of {largest} bytes; one frame is at most {bound}");
        // frames before the first error are the stream's u32 frames at their offsets
        let first_error_at = run.errors.first().map_or(u64::MAX, DecodeError::offset);
        let clean: Vec<Decoded> = run.frames.iter().filter(|f| f.0 + f.1 as u64 <= first_error_at).cloned().collect();
        let clean_end = assert_frames_match_bytes(FramingMode::U32, &bytes, &clean);
        // the first error is the first short read, or a bad length right after the clean frames
        match run.errors.first() {
            None => prop_assert_eq!(run.first_short_read, None),
            Some(e @ DecodeError::ShortRead { part, .. }) => prop_assert_eq!(run.first_short_read, Some((e.offset(), *part))),
            Some(e @ (DecodeError::TooLong { .. } | DecodeError::Truncated { .. })) => prop_assert_eq!(e.offset(), clean_end),
            Some(e) => prop_assert!(false, "the naive decoder cannot fail with {e:?}"),
        }
        for e in &run.errors {
            prop_assert!(e.offset() < bytes.len() as u64, "{e:?} beyond {} bytes", bytes.len());
            prop_assert!(e.to_string().contains(&format!("offset {}", e.offset())), "{e}");
        }
    }
}

fn expected_frames(mode: FramingMode, msgs: &[Vec<u8>]) -> Vec<Decoded> {
    let mut offset = 0u64;
    msgs.iter()
        .map(|m| {
            let mut one = Vec::new();
            mode.encode(m, &mut one);
            let f = (offset, one.len(), m.clone());
            offset += one.len() as u64;
            f
        })
        .collect()
}

fn assert_round_trip(mode: FramingMode, msgs: &[Vec<u8>], picks: &[Index]) {
    let bytes = encode_all(mode, msgs);
    let cuts = cut_points(bytes.len(), picks);
    let out = decode_both(mode, &bytes, &cuts);
    assert_eq!(out.error, None, "{mode:?} cuts {cuts:?}");
    assert_eq!(out.frames, expected_frames(mode, msgs), "{mode:?} cuts {cuts:?}");
}

fn assert_garbage(mode: FramingMode, msgs: &[Vec<u8>], tail: &[u8], picks: &[Index]) {
    let mut bytes = encode_all(mode, msgs);
    let prefix = bytes.len();
    bytes.extend_from_slice(tail);
    let cuts = cut_points(bytes.len(), picks);
    assert_contract(mode, &bytes, &cuts);
    // the valid prefix always decodes
    let out = decode_buffered(mode, &bytes, &cuts);
    let good: Vec<_> = out.frames.into_iter().take(msgs.len()).collect();
    assert_eq!(
        good,
        expected_frames(mode, msgs),
        "{mode:?}: the {prefix} valid bytes before the garbage"
    );
}

/// What the naive decoder made of a stream.
struct NaiveRun {
    frames: Vec<Decoded>,
    errors: Vec<DecodeError>,
    /// Offset and part of the first read that returned less than it asked for.
    first_short_read: Option<(u64, FramePart)>,
}

/// Drives the naive decoder as the seed's client does: each `recv()` asks for `want()` bytes,
/// at most `read_size`, and gets what has arrived: up to the next cut.
fn naive_run(bytes: &[u8], cuts: &[usize], read_size: usize) -> NaiveRun {
    let mut dec = NaiveU32Decoder::new(MAX);
    let mut run = NaiveRun {
        frames: Vec::new(),
        errors: Vec::new(),
        first_short_read: None,
    };
    let mut pos = 0;
    let mut header = true;
    while pos < bytes.len() && !dec.is_failed() {
        let asked = dec.want().clamp(1, read_size);
        let arrived = cuts.iter().copied().find(|&c| c > pos).unwrap_or(bytes.len());
        let n = asked.min(arrived - pos);
        if n < dec.want() && run.first_short_read.is_none() {
            run.first_short_read = Some((pos as u64, if header { FramePart::Header } else { FramePart::Body }));
        }
        let step = dec.on_read(&bytes[pos..pos + n]);
        untracked(|| match step {
            Ok(NaiveStep::Header { .. }) => header = false,
            Ok(NaiveStep::Frame(f)) => {
                header = true;
                run.frames.push((f.offset, f.total_len, f.payload.to_vec()));
            }
            Ok(NaiveStep::ShortFrame { frame, error }) => {
                header = true;
                run.frames.push((frame.offset, frame.total_len, frame.payload.to_vec()));
                run.errors.push(error);
            }
            Err(e) => run.errors.push(e),
        });
        pos += n;
    }
    let end = dec.finish();
    untracked(|| run.errors.extend(end.err()));
    run
}

// ---- named cases the properties found or must keep covering ----------------------------------

#[test]
fn a_frame_split_late_allocates_one_frame_not_double() {
    // 3000 body bytes arrive, then the last 1096: growing the buffer by doubling would allocate
    // 6000 bytes for a 4100-byte frame.
    let mut bytes = Vec::new();
    FramingMode::U32.encode(&[7; MAX as usize], &mut bytes);
    let (out, largest) = decode_zero_copy(FramingMode::U32, &bytes, &[3004]);
    assert_eq!(out.error, None);
    assert_eq!(out.frames.len(), 1);
    assert!(
        largest <= frame_bound(FramingMode::U32),
        "{largest} bytes at once for a {}-byte frame",
        bytes.len()
    );
}

#[test]
fn a_line_over_the_max_in_small_reads_allocates_one_frame_at_most() {
    let bytes = vec![b'a'; 3 * MAX as usize];
    let cuts: Vec<usize> = (1..bytes.len()).step_by(100).collect();
    let out = decode_both(FramingMode::Newline, &bytes, &cuts);
    assert!(
        matches!(out.error, Some((DecodeError::TooLong { offset: 0, .. }, _))),
        "{:?}",
        out.error
    );
}

#[test]
fn a_long_line_in_one_big_read_is_not_copied_whole() {
    // found by cargo fuzz: the zero-copy path copied a whole read without `\n` before refusing it
    let bytes = vec![b'a'; 3 * MAX as usize];
    let (out, largest) = decode_zero_copy(FramingMode::Newline, &bytes, &[10]);
    assert_eq!(
        out.error,
        Some((
            DecodeError::TooLong {
                offset: 0,
                len: u64::from(MAX) + 1,
                max: MAX,
                field: LengthField::Line,
                swapped: None
            },
            bytes.len()
        ))
    );
    assert!(largest <= frame_bound(FramingMode::Newline), "{largest} bytes at once");
}

#[test]
fn seed_json_leading_zero_is_not_json() {
    // Python's json.loads refuses 05 and so must the decoder's fast path for the canonical header
    let json = br#"{"total_lenth": 05, "md5": null}"#;
    let mut bytes = (json.len() as i32).to_le_bytes().to_vec();
    bytes.extend_from_slice(json);
    bytes.extend_from_slice(b"hello");
    let out = decode_both(FramingMode::SeedJson, &bytes, &[]);
    assert_eq!(out.frames, vec![]);
    assert!(
        matches!(out.error, Some((DecodeError::BadJson { offset: 0, .. }, _))),
        "{:?}",
        out.error
    );
}
