//! End to end over 127.0.0.1, the same sockets each time, one thing changed per pair:
//!
//! - `raw` vs `recorded`: 64 KiB writes and reads, without and with the engine's recording
//!   (a `TCP_INFO` sample and an event per write, an event per read, received bytes kept up to
//!   the cap, batches folded into a `Model` on a third thread as the GUI does);
//! - `frames_undecoded` vs `frames_decoded`: a stream of 100-byte `u32` frames, read in 64 KiB
//!   reads, with and without the decoder;
//! - `engine_firehose`: the real engine running the `firehose` preset, for comparison.
//!
//! `STICKYVIZ_BENCH_MIB` sets the transfer size (default 1024 MiB).
//! Run: `cargo bench --no-default-features --bench loopback`.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use crossbeam_channel::unbounded;

use stickyviz::analysis::Model;
use stickyviz::engine::sock::BYTES_KEPT;
use stickyviz::engine::workload::payload;
use stickyviz::engine::{sys, Clock, EventSink, Run};
use stickyviz::facts::{Event, MsgId, StreamOffset};
use stickyviz::framing::{FramingMode, DEFAULT_MAX_FRAME_LEN};

const CHUNK: usize = 64 * 1024;

fn total_bytes() -> usize {
    let mib: usize = std::env::var("STICKYVIZ_BENCH_MIB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1024);
    mib * 1024 * 1024
}

fn pair() -> (TcpStream, TcpStream) {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    let a = TcpStream::connect(l.local_addr().expect("addr")).expect("connect");
    let (b, _) = l.accept().expect("accept");
    (a, b)
}

/// Writes `total` bytes in 64 KiB writes, each a freshly generated payload (as the engine
/// does), optionally recording every write; reads them in 64 KiB reads, optionally recording.
fn transfer(total: usize, record: bool) -> u64 {
    let (mut tx, mut rx) = pair();
    let (events_tx, events_rx) = unbounded::<Vec<Event>>();
    let clock = Clock::start();
    let folder = thread::spawn(move || {
        let mut model = Model::default();
        for batch in events_rx {
            for e in &batch {
                model.apply(e);
            }
        }
        model.summary().reads
    });
    let sink_tx = events_tx.clone();
    let sender = thread::spawn(move || {
        let mut sink = record.then(|| EventSink::new(sink_tx, None, clock));
        let mut buf = Vec::with_capacity(CHUNK);
        let (mut offset, mut i) = (0u64, 0u32);
        while (offset as usize) < total {
            payload(i, CHUNK as u32, &mut buf);
            let n = tx.write(&buf).expect("write");
            if let Some(sink) = sink.as_mut() {
                let info = sys::tcp_info(&socket2::SockRef::from(&tx)).unwrap_or_default();
                let at_us = sink.now_us();
                sink.push(Event::Write {
                    start_us: None,
                    at_us,
                    msg: MsgId(i),
                    offset: StreamOffset(offset),
                    len: n as u32,
                    requested: None,
                    segs_out: info.data_segs_out,
                    notsent: info.notsent_bytes,
                    unacked: info.unacked,
                });
            }
            offset += n as u64;
            i += 1;
        }
    });
    let mut sink = record.then(|| EventSink::new(events_tx, None, clock));
    let mut buf = vec![0u8; CHUNK];
    let mut offset = 0u64;
    while (offset as usize) < total {
        let n = rx.read(&mut buf).expect("read");
        if let Some(sink) = sink.as_mut() {
            let at_us = sink.now_us();
            sink.push(Event::Read {
                start_us: None,
                at_us,
                offset: StreamOffset(offset),
                len: n as u32,
                requested: CHUNK as u32,
            });
            if offset < BYTES_KEPT {
                sink.push_bytes(StreamOffset(offset), &buf[..n.min((BYTES_KEPT - offset) as usize)]);
            }
        }
        offset += n as u64;
    }
    sender.join().expect("sender");
    drop(sink);
    folder.join().expect("folder");
    offset
}

/// Sends a pre-encoded stream of 100-byte `u32` frames; the reader decodes it or not.
fn frames(stream: &'static [u8], decode: bool) -> usize {
    let (mut tx, mut rx) = pair();
    let sender = thread::spawn(move || {
        for chunk in stream.chunks(CHUNK) {
            tx.write_all(chunk).expect("write");
        }
    });
    let mut dec = FramingMode::U32.stream_decoder(DEFAULT_MAX_FRAME_LEN).expect("codec");
    let mut buf = vec![0u8; CHUNK];
    let (mut got, mut frames) = (0, 0);
    while got < stream.len() {
        let n = rx.read(&mut buf).expect("read");
        got += n;
        if decode {
            dec.decode_chunk(&buf[..n], |_| frames += 1).expect("valid frames");
        }
    }
    sender.join().expect("sender");
    frames
}

fn loopback(c: &mut Criterion) {
    let total = total_bytes();
    let mut g = c.benchmark_group("loopback");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(total as u64));
    g.bench_function("raw_64k", |b| b.iter(|| transfer(total, false)));
    g.bench_function("recorded_64k", |b| b.iter(|| transfer(total, true)));
    let firehose = stickyviz::presets::find("firehose").expect("preset").experiment;
    let per_run = u64::from(firehose.workload.count) * u64::from(firehose.workload.size_max);
    g.throughput(Throughput::Bytes(per_run));
    g.bench_function("engine_firehose", |b| {
        b.iter(|| {
            let events = Run::start(&firehose, None).expect("run").wait();
            Model::from_events(&events).summary().bytes_received
        })
    });

    let payload = [b'a'; 100];
    let mut bytes = Vec::with_capacity(total + CHUNK);
    while bytes.len() < total {
        FramingMode::U32.encode(&payload, &mut bytes);
    }
    let bytes: &'static [u8] = bytes.leak();
    g.throughput(Throughput::Elements((bytes.len() / 104) as u64));
    g.bench_function("frames_undecoded", |b| b.iter(|| frames(bytes, false)));
    g.bench_function("frames_decoded", |b| b.iter(|| frames(bytes, true)));
    g.finish();
}

criterion_group!(benches, loopback);
criterion_main!(benches);
