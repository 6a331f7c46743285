//! Writes the fuzz targets' seed corpus, `fuzz/corpus/<target>/seed-*`, from the kinds of
//! streams the framing tests use, made by the real encoders. Ignored unless asked:
//! `scripts/fuzz-corpus.sh` runs it.

use std::path::Path;

use stickyviz::config::Experiment;
use stickyviz::facts::Event;
use stickyviz::framing::{FramingMode, SeedJsonCodec};
use stickyviz::recording::Recording;

/// The input layout of `fuzz/src/lib.rs`: max frame length / 16, how many read sizes, the read
/// sizes (0 = the rest of the stream), then the stream.
fn fuzz_input(max_frame_len: u32, read_sizes: &[u8], stream: &[u8]) -> Vec<u8> {
    let mut out = vec![
        u8::try_from(max_frame_len / 16).expect("max frame length under 4096"),
        read_sizes.len() as u8,
    ];
    out.extend_from_slice(read_sizes);
    out.extend_from_slice(stream);
    out
}

fn encode_all(mode: FramingMode, msgs: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::new();
    for m in msgs {
        mode.encode(m, &mut out);
    }
    out
}

/// A seed-json frame with a header of our choosing (the length prefix counts it).
fn seed_frame(json: &str, body: &[u8]) -> Vec<u8> {
    let mut out = (json.len() as i32).to_le_bytes().to_vec();
    out.extend_from_slice(json.as_bytes());
    out.extend_from_slice(body);
    out
}

fn stream_seeds(mode: FramingMode) -> Vec<(&'static str, Vec<u8>)> {
    let enc = |msgs: &[&[u8]]| encode_all(mode, msgs);
    let hello = enc(&[b"hello"]);
    let mut seeds = vec![
        ("one-frame-one-read", fuzz_input(1024, &[], &hello)),
        (
            "two-frames-byte-reads",
            fuzz_input(1024, &[1], &enc(&[b"hi", b"there"])),
        ),
        (
            "empty-frames-odd-reads",
            fuzz_input(1024, &[3, 2], &enc(&[b"", b"x", b""])),
        ),
        (
            "frames-then-garbage",
            fuzz_input(
                1024,
                &[5, 0],
                &[enc(&[b"ok"]), vec![0xff, 0xff, 0xff, 0x7f], b"zzzz".to_vec()].concat(),
            ),
        ),
        ("truncated", fuzz_input(1024, &[2], &hello[..hello.len() - 2])),
        ("frame-of-max-length", fuzz_input(64, &[7], &enc(&[&[b'a'; 64]]))),
        ("frame-over-max-length", fuzz_input(64, &[], &enc(&[&[b'a'; 65]]))),
    ];
    match mode {
        FramingMode::SeedJson => seeds.extend([
            ("negative-length", fuzz_input(1024, &[], &(-5i32).to_le_bytes())),
            ("bad-json", fuzz_input(1024, &[], &seed_frame("{not json}", b""))),
            (
                "no-total-lenth",
                fuzz_input(1024, &[], &seed_frame(r#"{"md5": null}"#, b"")),
            ),
            (
                "other-header-spelling",
                fuzz_input(1024, &[9], &seed_frame(r#"{"total_lenth":3,"md5":"abc"}"#, b"abc")),
            ),
            (
                "huge-total-lenth",
                fuzz_input(
                    1024,
                    &[],
                    &seed_frame(&SeedJsonCodec::header_json(u32::MAX as usize), b""),
                ),
            ),
        ]),
        FramingMode::Newline => {
            seeds.push(("line-without-newline", fuzz_input(64, &[16], &[b'x'; 100])));
        }
        FramingMode::U32 => seeds.push(("length-u32-max", fuzz_input(1024, &[], &[0xff; 8]))),
        FramingMode::None | FramingMode::NaiveU32 => {}
    }
    seeds
}

fn naive_seeds() -> Vec<(&'static str, Vec<u8>)> {
    let stream = encode_all(FramingMode::NaiveU32, &[b"msg-0|aaaaaaaa", b"", b"msg-1|bbbbbbbb"]);
    vec![
        ("whole-reads", fuzz_input(1024, &[], &stream)),
        ("short-body", fuzz_input(1024, &[8], &stream)),
        ("short-header", fuzz_input(1024, &[3], &stream)),
        ("length-over-max", fuzz_input(64, &[], &[0, 0, 0, 65, b'a'])),
        ("length-u32-max", fuzz_input(1024, &[], &[0xff; 8])),
        ("truncated-after-header", fuzz_input(1024, &[], &stream[..6])),
    ]
}

fn recording_seeds() -> Vec<(&'static str, Vec<u8>)> {
    let minimal = Recording::new(Experiment::default(), vec![Event::Finished { at_us: 5 }]).to_json();
    let future = minimal.replace(
        &format!("\"version\":{}", stickyviz::recording::VERSION),
        "\"version\":99",
    );
    vec![
        ("minimal", minimal.into_bytes()),
        ("future-version", future.into_bytes()),
        ("not-json", b"{".to_vec()),
        ("wrong-format", br#"{"format":"x","version":1}"#.to_vec()),
    ]
}

#[test]
#[ignore = "writes the fuzz seed corpus; scripts/fuzz-corpus.sh runs it"]
fn write_seed_corpus() {
    let dir = std::env::var_os("STICKYVIZ_FUZZ_CORPUS").expect("set STICKYVIZ_FUZZ_CORPUS to fuzz/corpus");
    let dir = Path::new(&dir);
    let targets = [
        ("u32", stream_seeds(FramingMode::U32)),
        ("seed_json", stream_seeds(FramingMode::SeedJson)),
        ("newline", stream_seeds(FramingMode::Newline)),
        ("naive_u32", naive_seeds()),
        ("recording", recording_seeds()),
    ];
    for (target, seeds) in targets {
        let target_dir = dir.join(target);
        std::fs::create_dir_all(&target_dir).expect("create the corpus directory");
        for (name, bytes) in seeds {
            std::fs::write(target_dir.join(format!("seed-{name}")), bytes).expect("write a seed");
        }
    }
}
