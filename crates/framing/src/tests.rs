//! Codec tests named by scenario, each run over every way of cutting small inputs into reads.

use super::*;

const MAX: u32 = 1024;

fn encode_all(mode: FramingMode, msgs: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::new();
    for m in msgs {
        mode.encode(m, &mut out);
    }
    out
}

/// Feeds `bytes` cut at `cuts` and collects payloads, then the error from `finish` if any.
fn decode_with_cuts(mode: FramingMode, bytes: &[u8], cuts: &[usize]) -> (Vec<Vec<u8>>, Option<DecodeError>) {
    let mut dec = mode.stream_decoder(MAX).expect("stream codec");
    let mut frames = Vec::new();
    let mut prev = 0;
    for &cut in cuts.iter().chain(std::iter::once(&bytes.len())) {
        dec.feed(&bytes[prev..cut]);
        prev = cut;
        loop {
            match dec.next_frame() {
                Ok(Some(f)) => frames.push(f.payload.to_vec()),
                Ok(None) => break,
                Err(e) => return (frames, Some(e)),
            }
        }
    }
    (frames, dec.finish().err())
}

/// Every split into two and three reads, and every fixed read size.
fn all_cuts(len: usize) -> Vec<Vec<usize>> {
    let mut out = vec![vec![]];
    for a in 1..len {
        out.push(vec![a]);
        for b in a + 1..len {
            out.push(vec![a, b]);
        }
    }
    for size in 1..len {
        out.push((size..len).step_by(size).collect());
    }
    out
}

fn assert_roundtrip(mode: FramingMode, msgs: &[&[u8]]) {
    let bytes = encode_all(mode, msgs);
    for cuts in all_cuts(bytes.len()) {
        let (frames, err) = decode_with_cuts(mode, &bytes, &cuts);
        assert_eq!(err, None, "{mode:?} cuts {cuts:?}");
        assert_eq!(frames, msgs, "{mode:?} cuts {cuts:?}");
    }
}

const STREAM_MODES: [FramingMode; 3] = [FramingMode::U32, FramingMode::SeedJson, FramingMode::Newline];

#[test]
fn header_split_across_reads() {
    for mode in STREAM_MODES {
        assert_roundtrip(mode, &[b"hello"]);
    }
}

#[test]
fn several_frames_in_one_read() {
    for mode in STREAM_MODES {
        let bytes = encode_all(mode, &[b"ab", b"cde", b"f"]);
        let (frames, err) = decode_with_cuts(mode, &bytes, &[]);
        assert_eq!(err, None);
        assert_eq!(frames, vec![b"ab".to_vec(), b"cde".to_vec(), b"f".to_vec()], "{mode:?}");
    }
}

#[test]
fn two_frames_over_every_split() {
    for mode in STREAM_MODES {
        assert_roundtrip(mode, &[b"hi", b"there"]);
    }
}

#[test]
fn empty_payload() {
    for mode in STREAM_MODES {
        assert_roundtrip(mode, &[b"", b"x", b""]);
    }
}

#[test]
fn max_length_exceeded_is_an_error_before_allocation() {
    let mut dec = FramingMode::U32.stream_decoder(16).expect("codec");
    dec.feed(&[0xff, 0xff, 0xff, 0xff]);
    let err = dec.next_frame().expect_err("a 4 GiB length is refused");
    assert_eq!(
        err,
        DecodeError::TooLong {
            offset: 0,
            len: 0xffff_ffff,
            max: 16,
            field: LengthField::PrefixBody,
            swapped: None
        }
    );
    assert!(err.to_string().contains("offset 0"), "{err}");
    assert_eq!(dec.state(), DecodeState::Failed);

    // the JSON header fits under 40 bytes, the 41-byte body does not
    let mut dec = FramingMode::SeedJson.stream_decoder(40).expect("codec");
    let mut bytes = Vec::new();
    SeedJsonCodec::encode(&[b'a'; 41], &mut bytes);
    dec.feed(&bytes);
    assert!(matches!(dec.next_frame(), Err(DecodeError::TooLong { len: 41, .. })));

    let mut dec = FramingMode::Newline.stream_decoder(4).expect("codec");
    dec.feed(b"abcdefgh");
    assert!(matches!(dec.next_frame(), Err(DecodeError::TooLong { .. })));
}

#[test]
fn bytes_after_an_error_are_not_kept() {
    let mut dec = FramingMode::U32.stream_decoder(16).expect("codec");
    dec.feed(&[0, 0, 1, 0]);
    assert!(matches!(dec.next_frame(), Err(DecodeError::TooLong { len: 256, .. })));
    for _ in 0..100 {
        dec.feed(&[0u8; 1000]);
        assert_eq!(dec.next_frame(), Ok(None));
    }
    assert!(
        dec.pending_len() <= 4,
        "{} bytes kept after the error",
        dec.pending_len()
    );
    assert_eq!(dec.finish(), Ok(()));
}

#[test]
fn error_offset_points_at_the_bad_frame() {
    let mut bytes = encode_all(FramingMode::U32, &[b"ok"]);
    bytes.extend_from_slice(&[0x7f, 0, 0, 0]);
    let (frames, err) = decode_with_cuts(FramingMode::U32, &bytes, &[]);
    assert_eq!(frames.len(), 1);
    assert_eq!(err.map(|e| e.offset()), Some(6));
}

#[test]
fn seed_json_negative_length() {
    let (_, err) = decode_with_cuts(FramingMode::SeedJson, &(-5i32).to_le_bytes(), &[]);
    assert_eq!(err, Some(DecodeError::NegativeLength { offset: 0, len: -5 }));
}

#[test]
fn seed_json_bad_json() {
    for json in [
        &b"{not json}"[..],
        b"{\"md5\": null}",
        b"{\"total_lenth\": -1}",
        b"\xff\xfe",
    ] {
        let mut bytes = (json.len() as i32).to_le_bytes().to_vec();
        bytes.extend_from_slice(json);
        let (_, err) = decode_with_cuts(FramingMode::SeedJson, &bytes, &[]);
        assert!(
            matches!(err, Some(DecodeError::BadJson { offset: 0, .. })),
            "{json:?}: {err:?}"
        );
    }
}

/// The hot loops return a `Result` holding a `DecodeError`: kept small (see its doc).
#[test]
fn a_decode_error_stays_40_bytes() {
    assert!(
        std::mem::size_of::<DecodeError>() <= 40,
        "{}",
        std::mem::size_of::<DecodeError>()
    );
}

/// Python's `len(header_json)` of a str counts a Chinese file name's characters: the prefix is
/// short by the extra bytes, the JSON ends early, and the error says what it looks like, the
/// same for every cut of the stream.
#[test]
fn seed_json_header_length_in_characters_gets_a_hint() {
    let header = "{\"total_lenth\": 2, \"md5\": null, \"filename\": \"笔记.txt\"}";
    let mut bytes = (header.chars().count() as i32).to_le_bytes().to_vec();
    bytes.extend_from_slice(header.as_bytes());
    bytes.extend_from_slice(b"hi");
    for cuts in all_cuts(bytes.len()) {
        let (_, err) = decode_with_cuts(FramingMode::SeedJson, &bytes, &cuts);
        assert!(
            matches!(
                err,
                Some(DecodeError::BadJson {
                    offset: 0,
                    counted_chars: true,
                    ..
                })
            ),
            "cuts {cuts:?}: {err:?}"
        );
    }
    // counted in bytes, it decodes
    let mut bytes = (header.len() as i32).to_le_bytes().to_vec();
    bytes.extend_from_slice(header.as_bytes());
    bytes.extend_from_slice(b"hi");
    assert_eq!(
        decode_with_cuts(FramingMode::SeedJson, &bytes, &[]),
        (vec![b"hi".to_vec()], None)
    );
}

#[test]
fn seed_json_header_with_invalid_utf8_in_an_ignored_field_is_refused() {
    // found by `cargo fuzz`: serde_json skipped the md5 field without checking its bytes
    let json = b"{\"total_lenth\":2,\"md5\":\"ab\xa4\"}";
    let mut bytes = (json.len() as i32).to_le_bytes().to_vec();
    bytes.extend_from_slice(json);
    bytes.extend_from_slice(b"hi");
    let (frames, err) = decode_with_cuts(FramingMode::SeedJson, &bytes, &[]);
    assert!(frames.is_empty());
    let Some(DecodeError::BadJson {
        offset: 0,
        reason,
        problem: JsonProblem::NotUtf8,
        counted_chars: false,
    }) = err
    else {
        panic!("{err:?}")
    };
    assert!(reason.contains("invalid utf-8"), "serde's own words: {reason}");
}

#[test]
fn seed_json_header_must_be_an_object() {
    // found by `cargo fuzz`: serde read `[2]` as {"total_lenth": 2}
    for json in [&b"[2]"[..], b" \r\n[2]"] {
        let mut bytes = (json.len() as i32).to_le_bytes().to_vec();
        bytes.extend_from_slice(json);
        bytes.extend_from_slice(b"hi");
        let (frames, err) = decode_with_cuts(FramingMode::SeedJson, &bytes, &[]);
        assert!(frames.is_empty());
        let problem = JsonProblem::NotObject;
        assert_eq!(
            err,
            Some(DecodeError::BadJson {
                offset: 0,
                reason: "the header is not a JSON object".into(),
                problem,
                counted_chars: false
            })
        );
    }
}

#[test]
fn a_line_over_the_max_is_refused_alike_over_every_split() {
    // found by `cargo fuzz`: the reported length and the bytes copied depended on the reads
    let bytes = [b"ok\n".as_slice(), &[b'x'; 40]].concat();
    for cuts in all_cuts(bytes.len()) {
        let mut dec = FramingMode::Newline.stream_decoder(16).expect("codec");
        let mut prev = 0;
        let mut err = None;
        for &cut in cuts.iter().chain(std::iter::once(&bytes.len())) {
            if let Err(e) = dec.decode_chunk(&bytes[prev..cut], |_| {}) {
                err = Some(e);
                break;
            }
            // max text and a `\r` that may still end it
            assert!(
                dec.pending_len() <= 18,
                "cuts {cuts:?}: {} bytes kept",
                dec.pending_len()
            );
            prev = cut;
        }
        assert_eq!(
            err,
            Some(DecodeError::TooLong {
                offset: 3,
                len: 17,
                max: 16,
                field: LengthField::Line,
                swapped: None
            }),
            "cuts {cuts:?}"
        );
    }
}

#[test]
fn seed_json_matches_python_bytes() {
    // struct.pack('i', len(h)) + h + body, with h = json.dumps({'total_lenth': 5, 'md5': None})
    let mut out = Vec::new();
    SeedJsonCodec::encode(b"hello", &mut out);
    let header = br#"{"total_lenth": 5, "md5": null}"#;
    let mut want = (header.len() as i32).to_le_bytes().to_vec();
    want.extend_from_slice(header);
    want.extend_from_slice(b"hello");
    assert_eq!(out, want);
}

#[test]
fn truncated_stream() {
    for mode in STREAM_MODES {
        let bytes = encode_all(mode, &[b"hello"]);
        for cut in 1..bytes.len() {
            let (frames, err) = decode_with_cuts(mode, &bytes[..cut], &[]);
            assert!(frames.is_empty(), "{mode:?} {cut}");
            assert!(
                matches!(err, Some(DecodeError::Truncated { offset: 0, .. })),
                "{mode:?} {cut}: {err:?}"
            );
        }
    }
}

#[test]
fn decoder_state_shows_progress() {
    let mut dec = FramingMode::U32.stream_decoder(MAX).expect("codec");
    assert_eq!(dec.state(), DecodeState::Header);
    dec.feed(&[0, 0, 0, 10, b'a']);
    assert_eq!(dec.next_frame(), Ok(None));
    assert_eq!(dec.state(), DecodeState::Body { remaining: 9 });
}

/// Simulates the seed's client: each recv asks for `want()` bytes (at most `read_size`) and gets
/// what is there.
fn naive_decode(bytes: &[u8], read_size: usize) -> (usize, Vec<DecodeError>) {
    let mut dec = NaiveU32Decoder::new(MAX);
    let (mut pos, mut good, mut errors) = (0, 0, Vec::new());
    while pos < bytes.len() && !dec.is_failed() {
        let n = dec.want().min(read_size).min(bytes.len() - pos);
        match dec.on_read(&bytes[pos..pos + n]) {
            Ok(NaiveStep::Frame(_)) => good += 1,
            Ok(NaiveStep::ShortFrame { error, .. }) | Err(error) => errors.push(error),
            Ok(NaiveStep::Header { .. }) => {}
        }
        pos += n;
    }
    errors.extend(dec.finish().err());
    (good, errors)
}

#[test]
fn naive_decoder_works_when_every_read_is_whole() {
    let bytes = encode_all(FramingMode::NaiveU32, &[b"hello", b"", b"world"]);
    assert_eq!(naive_decode(&bytes, 1024), (3, vec![]));
}

#[test]
fn naive_decoder_fails_like_the_seed_on_short_reads() {
    let bytes = encode_all(FramingMode::NaiveU32, &[b"msg-0|aaaaaaaa", b"msg-1|bbbbbbbb"]);
    // read size 3: the very first recv(4) returns 3 bytes, struct.unpack would raise
    let (good, errors) = naive_decode(&bytes, 3);
    assert_eq!(good, 0);
    assert!(matches!(
        errors[0],
        DecodeError::ShortRead {
            part: FramePart::Header,
            asked: 4,
            got: 3,
            ..
        }
    ));
    // read size 8: the body comes back short, the rest of it is read as a header
    let (good, errors) = naive_decode(&bytes, 8);
    assert_eq!(good, 0);
    assert!(matches!(
        errors[0],
        DecodeError::ShortRead {
            part: FramePart::Body,
            asked: 14,
            got: 8,
            ..
        }
    ));
    assert!(
        errors.len() >= 2,
        "the stream is out of step after the short body: {errors:?}"
    );
}

/// `decode_chunk` (zero-copy) gives exactly what `feed` + `next_frame` give, for every split.
#[test]
fn zero_copy_path_matches_the_buffered_path_over_every_split() {
    for mode in STREAM_MODES {
        // repeated sizes: seed-json reuses a repeated header's lengths
        let mut bytes = encode_all(mode, &[b"hi", b"yo", b"", b"there", b"x", b"ok"]);
        for good_then_bad in [false, true] {
            if good_then_bad {
                bytes.extend_from_slice(&[0xff, 0xff, 0xff, 0x7f]);
                bytes.extend_from_slice(&[b'z'; 2000]);
            }
            for cuts in all_cuts(bytes.len().min(40)) {
                let (want, want_err) = decode_with_cuts(mode, &bytes, &cuts);
                let mut dec = mode.stream_decoder(MAX).expect("codec");
                let (mut got, mut err) = (Vec::new(), None);
                let mut prev = 0;
                for &cut in cuts.iter().chain(std::iter::once(&bytes.len())) {
                    if let Err(e) = dec.decode_chunk(&bytes[prev..cut], |f| got.push(f.payload.to_vec())) {
                        err = Some(e);
                        break;
                    }
                    prev = cut;
                }
                if err.is_none() {
                    err = dec.finish().err();
                }
                assert_eq!(got, want, "{mode:?} cuts {cuts:?}");
                assert_eq!(err, want_err, "{mode:?} cuts {cuts:?}");
            }
        }
    }
}

/// Both decode paths over `bytes` cut at `cuts`, with max frame length `max`: (payload, bytes on
/// the stream) of each frame, and the error. Panics if the paths disagree.
fn newline_both_paths(bytes: &[u8], cuts: &[usize], max: u32) -> (Vec<(Vec<u8>, usize)>, Option<DecodeError>) {
    let mut buffered = FramingMode::Newline.stream_decoder(max).expect("codec");
    let mut in_place = FramingMode::Newline.stream_decoder(max).expect("codec");
    let (mut a, mut b, mut err_a, mut err_b) = (Vec::new(), Vec::new(), None, None);
    let mut prev = 0;
    for &cut in cuts.iter().chain(std::iter::once(&bytes.len())) {
        let read = &bytes[prev..cut];
        prev = cut;
        if err_a.is_none() {
            buffered.feed(read);
            loop {
                match buffered.next_frame() {
                    Ok(Some(f)) => a.push((f.payload.to_vec(), f.total_len)),
                    Ok(None) => break,
                    Err(e) => {
                        err_a = Some(e);
                        break;
                    }
                }
            }
        }
        if err_b.is_none() {
            err_b = in_place
                .decode_chunk(read, |f| b.push((f.payload.to_vec(), f.total_len)))
                .err();
        }
    }
    err_a = err_a.or(buffered.finish().err());
    err_b = err_b.or(in_place.finish().err());
    assert_eq!((&a, &err_a), (&b, &err_b), "cuts {cuts:?}: buffered vs in place");
    (a, err_a)
}

/// Telnet, Windows tools and many text protocols end lines with `\r\n`: the frame is the text
/// without it, however the reads cut it; a lone `\r` inside a line is text.
#[test]
fn crlf_line_ending_is_not_part_of_the_payload() {
    let bytes = b"{\"PING\":\"1\"}\r\n\r\n\nquit\r\na\rb\n";
    let want: Vec<(Vec<u8>, usize)> = vec![
        (b"{\"PING\":\"1\"}".to_vec(), 14),
        (vec![], 2),
        (vec![], 1),
        (b"quit".to_vec(), 6),
        (b"a\rb".to_vec(), 4),
    ];
    for cuts in all_cuts(bytes.len()) {
        assert_eq!(newline_both_paths(bytes, &cuts, MAX), (want.clone(), None));
    }
}

/// The line ending does not count against the max frame length: with max 4, `quit\r\n` fits
/// and `quits\r\n` does not, alike over every split.
#[test]
fn crlf_does_not_count_against_the_max_frame_length() {
    let too_long = Some(DecodeError::TooLong {
        offset: 0,
        len: 5,
        max: 4,
        field: LengthField::Line,
        swapped: None,
    });
    for (bytes, want) in [
        (&b"quit\r\n"[..], (vec![(b"quit".to_vec(), 6)], None)),
        (b"quit\n", (vec![(b"quit".to_vec(), 5)], None)),
        (b"quits\r\n", (vec![], too_long.clone())),
        (b"quit\rXYZ\n", (vec![], too_long.clone())),
        (b"quitXYZ", (vec![], too_long.clone())),
    ] {
        for cuts in all_cuts(bytes.len()) {
            assert_eq!(
                newline_both_paths(bytes, &cuts, 4),
                want,
                "{:?} cuts {cuts:?}",
                String::from_utf8_lossy(bytes)
            );
        }
    }
}
