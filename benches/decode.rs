//! Decoding 100-byte frames in memory: our `u32` decoder against tokio-util's
//! `LengthDelimitedCodec` on a `BytesMut` (the reference users know), and `seed-json` and
//! `newline` on the same messages. Run: `cargo bench --bench decode`.

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

fn decode(c: &mut Criterion) {
    let mut g = c.benchmark_group("decode_100B_frames");
    g.throughput(Throughput::Elements(FRAMES as u64));
    let u32_bytes = stream(FramingMode::U32, |_| PAYLOAD);
    assert_eq!(ours(FramingMode::U32, &u32_bytes), FRAMES * PAYLOAD);
    assert_eq!(tokio(&u32_bytes), FRAMES * PAYLOAD);
    g.bench_function("stickyviz_u32", |b| b.iter(|| ours(FramingMode::U32, black_box(&u32_bytes))));
    g.bench_function("tokio_util_length_delimited", |b| b.iter(|| tokio(black_box(&u32_bytes))));
    for mode in [FramingMode::SeedJson, FramingMode::Newline] {
        let bytes = stream(mode, |_| PAYLOAD);
        assert_eq!(ours(mode, &bytes), FRAMES * PAYLOAD);
        g.bench_function(format!("stickyviz_{}", mode.name()), |b| b.iter(|| ours(mode, black_box(&bytes))));
    }
    g.finish();

    // the same decoders on messages of 50..=150 bytes
    let mut g = c.benchmark_group("decode_mixed_50_150B_frames");
    g.throughput(Throughput::Elements(FRAMES as u64));
    let total: usize = (0..FRAMES).map(mixed).sum();
    for mode in [FramingMode::U32, FramingMode::SeedJson, FramingMode::Newline] {
        let bytes = stream(mode, mixed);
        assert_eq!(ours(mode, &bytes), total);
        g.bench_function(format!("stickyviz_{}", mode.name()), |b| b.iter(|| ours(mode, black_box(&bytes))));
    }
    g.finish();
}

criterion_group!(benches, decode);
criterion_main!(benches);
