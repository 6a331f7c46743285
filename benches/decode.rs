//! Decoding 100-byte frames in memory: our `u32` decoder against tokio-util's
//! `LengthDelimitedCodec` on a `BytesMut` (the reference users know), and `seed-json` and
//! `newline` on the same messages; and, on messages of mixed sizes, the least any `seed-json`
//! decoder must do (`seed_json_lengths_only`, below). Run: `cargo bench --bench decode`.

use bytes::BytesMut;
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use tokio_util::codec::{Decoder, LengthDelimitedCodec};

use stickyviz::framing::{FramingMode, DEFAULT_MAX_FRAME_LEN};

const FRAMES: usize = 10_000;
const PAYLOAD: usize = 100;
/// Reads of 64 KiB, as a receiver with a large buffer gets them.
const READ: usize = 64 * 1024;

/// `FRAMES` messages of `size(i)` bytes each, framed by `mode`.
fn stream(mode: FramingMode, size: impl Fn(usize) -> usize) -> Vec<u8> {
    let mut out = Vec::new();
    for i in 0..FRAMES {
        mode.encode(&vec![b'a'; size(i)], &mut out);
    }
    out
}

/// Sizes 50..=150 bytes in a scrambled order (mean 100): no two neighbours alike, so nothing
/// that repeats from frame to frame helps.
fn mixed(i: usize) -> usize {
    50 + (i * 37) % 101
}

fn ours(mode: FramingMode, bytes: &[u8]) -> usize {
    let mut dec = mode.stream_decoder(DEFAULT_MAX_FRAME_LEN).expect("stream codec");
    let mut n = 0;
    for chunk in bytes.chunks(READ) {
        dec.decode_chunk(chunk, |f| n += f.payload.len()).expect("valid frames");
    }
    n
}

fn tokio(bytes: &[u8]) -> usize {
    let mut codec = LengthDelimitedCodec::new();
    let mut buf = BytesMut::new();
    let mut n = 0;
    for chunk in bytes.chunks(READ) {
        buf.extend_from_slice(chunk);
        while let Ok(Some(f)) = codec.decode(&mut buf) {
            n += f.len();
        }
    }
    n
}

/// The floor of `seed-json` on mixed sizes: only the work that decides where the next frame
/// starts (read the header's length, parse the body length's decimal digits, step over both),
/// with none of the checks a decoder owes (JSON shape, limits, bounds). Every frame's position
/// waits on the digits of the frame before it, so this chain alone bounds the real decoder.
/// The digit parse is the decoder's own (`framing/seed_json.rs`, `eight_digits`).
fn seed_json_lengths_only(bytes: &[u8]) -> usize {
    let (mut at, mut n) = (0, 0);
    while let Some(head) = bytes.get(at..at + 28) {
        let json_len = i32::from_le_bytes([head[0], head[1], head[2], head[3]]) as usize;
        // `{"total_lenth": ` is 16 bytes, `, "md5": null}` 14: the rest are digits
        let digits = json_len - 30;
        let word = u64::from_le_bytes([
            head[20], head[21], head[22], head[23], head[24], head[25], head[26], head[27],
        ]);
        let v = (word ^ 0x3030_3030_3030_3030) << (8 * (8 - digits));
        let v = v.wrapping_mul(10).wrapping_add(v >> 8);
        let hi = (v & 0x0000_00ff_0000_00ff).wrapping_mul(100 + (1_000_000 << 32));
        let lo = ((v >> 16) & 0x0000_00ff_0000_00ff).wrapping_mul(1 + (10_000 << 32));
        let body = (hi.wrapping_add(lo) >> 32) as usize;
        n += body;
        at += 4 + json_len + body;
    }
    n
}

fn decode(c: &mut Criterion) {
    let mut g = c.benchmark_group("decode_100B_frames");
    g.throughput(Throughput::Elements(FRAMES as u64));
    let u32_bytes = stream(FramingMode::U32, |_| PAYLOAD);
    assert_eq!(ours(FramingMode::U32, &u32_bytes), FRAMES * PAYLOAD);
    assert_eq!(tokio(&u32_bytes), FRAMES * PAYLOAD);
    g.bench_function("stickyviz_u32", |b| {
        b.iter(|| ours(FramingMode::U32, black_box(&u32_bytes)))
    });
    g.bench_function("tokio_util_length_delimited", |b| {
        b.iter(|| tokio(black_box(&u32_bytes)))
    });
    for mode in [FramingMode::SeedJson, FramingMode::Newline] {
        let bytes = stream(mode, |_| PAYLOAD);
        assert_eq!(ours(mode, &bytes), FRAMES * PAYLOAD);
        g.bench_function(format!("stickyviz_{}", mode.name()), |b| {
            b.iter(|| ours(mode, black_box(&bytes)))
        });
    }
    g.finish();

    // the same decoders on messages of 50..=150 bytes
    let mut g = c.benchmark_group("decode_mixed_50_150B_frames");
    g.throughput(Throughput::Elements(FRAMES as u64));
    let total: usize = (0..FRAMES).map(mixed).sum();
    for mode in [FramingMode::U32, FramingMode::SeedJson, FramingMode::Newline] {
        let bytes = stream(mode, mixed);
        assert_eq!(ours(mode, &bytes), total);
        g.bench_function(format!("stickyviz_{}", mode.name()), |b| {
            b.iter(|| ours(mode, black_box(&bytes)))
        });
    }
    let bytes = stream(FramingMode::SeedJson, mixed);
    assert_eq!(seed_json_lengths_only(&bytes), total);
    g.bench_function("seed_json_lengths_only", |b| {
        b.iter(|| seed_json_lengths_only(black_box(&bytes)))
    });
    g.finish();
}

criterion_group!(benches, decode);
criterion_main!(benches);
