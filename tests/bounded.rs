//! Bounded end to end (issue 17): a long run is folded as it goes into a capped model, the
//! queue between engine and app is bounded and a lagging app is said, never hidden; the
//! recording streams to its file (plain or gzip) and loads equal to what was run; piped
//! output never gets a progress byte.

use std::process::{Command, Stdio};
use std::time::Duration;

use stickyviz::analysis::Model;
use stickyviz::config::{Experiment, Transports, Workload};
use stickyviz::engine::Run;
use stickyviz::facts::Event;
use stickyviz::recording::Recording;

const BIN: &str = env!("CARGO_BIN_EXE_stickyviz");

/// `count` messages of `size` bytes read one byte per `recv()`: `count * size` reads.
fn one_byte_reads(count: u32, size: u32) -> Experiment {
    let mut exp = Experiment {
        transports: Transports::Tcp,
        workload: Workload {
            count,
            size_min: size,
            size_max: size,
            gap_us: 0,
            ..Workload::default()
        },
        ..Experiment::default()
    };
    exp.receiver.read_size = 1;
    exp
}

fn stored(m: &Model) -> usize {
    m.messages().len()
        + m.writes().len()
        + m.segments().len()
        + m.reads().len()
        + m.frames().len()
        + m.datagrams().len()
        + m.unidentified_datagrams().len()
}

/// 1,000,000 reads folded batch by batch into a model capped at 10,000 records: stored
/// history never passes the cap, and every count is exact (one byte per read, every byte sent
/// read, every message written).
#[test]
fn a_million_reads_fold_into_a_capped_model_with_exact_counts() {
    const CAP: usize = 10_000;
    let exp = one_byte_reads(100_000, 10);
    let mut run = Run::start(&exp, None).expect("the run starts");
    let mut model = Model::with_cap(CAP);
    let mut most = 0;
    for batch in run.events().iter() {
        for e in &batch {
            model.apply(e);
        }
        most = most.max(stored(&model));
    }
    run.stop();
    for batch in run.drain() {
        batch.iter().for_each(|e| model.apply(e));
    }
    let s = &model.summary();
    assert!(model.finished(), "the run finished");
    assert!(most <= CAP, "stored history {most} passed the cap {CAP}");
    assert_eq!(s.messages, 100_000);
    assert_eq!(s.bytes_sent, 1_000_000);
    assert_eq!(s.bytes_received, 1_000_000, "every byte sent was read");
    assert_eq!(s.reads, 1_000_000, "recv(1) returns one byte: one read per byte");
    assert_eq!(s.writes, s.messages + s.short_writes, "every write counted");
    assert!(model.history_capped());
    assert_eq!(model.causality().count(), 0, "no effect before its cause");
}

/// An app that does not read for a while makes the run wait for room in the bounded queue:
/// the waits are recorded (when, how long) and counted, and no event is lost (the counts are
/// the workload's exactly).
#[test]
fn a_lagging_app_makes_the_run_wait_and_says_so() {
    // 500,000 reads: far more than the queue's 256 batches of 512 events
    let exp = one_byte_reads(50_000, 10);
    let mut run = Run::start(&exp, None).expect("the run starts");
    // the app does not read until the queue is full; then the run's next batch must wait
    let end = std::time::Instant::now() + Duration::from_secs(120);
    while !run.events().is_full() && !run.is_finished() && std::time::Instant::now() < end {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(run.events().is_full(), "the queue filled while the app did not read");
    std::thread::sleep(Duration::from_millis(100));
    assert!(!run.is_finished(), "the run waits for room instead of ending");
    let mut events: Vec<Event> = Vec::new();
    for batch in run.events().iter() {
        events.extend(batch);
    }
    run.stop();
    events.extend(run.drain().flatten());
    let model = Model::from_events(&events);
    let s = &model.summary();
    assert_eq!(
        (s.reads, s.bytes_received, s.messages),
        (500_000, 500_000, 50_000),
        "nothing lost while waiting"
    );
    let waits: Vec<u64> = events
        .iter()
        .filter_map(|e| match e {
            Event::QueueWait { waited_us, .. } => Some(*waited_us),
            _ => None,
        })
        .collect();
    assert!(!waits.is_empty(), "the run waited for the app, and recorded it");
    assert_eq!(s.queue_waits, waits.len() as u64);
    assert_eq!(s.queue_wait_us, waits.iter().sum::<u64>());
    let text = stickyviz::export::text_timeline::summary(&model, stickyviz::i18n::Lang::En);
    assert!(text.contains("waits for the app"), "the summary says so:\n{text}");
}

/// `run --json FILE` streams the recording as the run goes; `.json.gz` is gzip. Both load,
/// hold the same run as the printed summary, and re-serialise to exactly the same JSON.
#[test]
fn a_streamed_recording_loads_equal_plain_and_gzip() {
    let dir = tempfile::tempdir().expect("temp dir");
    for name in ["run.json", "run.json.gz"] {
        let file = dir.path().join(name);
        let out = Command::new(BIN)
            .args(["run", "--preset", "slow-reader", "--json"])
            .arg(&file)
            .env("LC_ALL", "C.UTF-8")
            .stdin(Stdio::null())
            .output()
            .expect("the binary runs");
        assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
        let raw = std::fs::read(&file).expect("the file exists");
        assert_eq!(
            raw.starts_with(&[0x1f, 0x8b]),
            name.ends_with(".gz"),
            "{name}: gzip exactly when asked"
        );
        let rec = Recording::load(&file).expect("the recording loads");
        assert_eq!(rec.preset.as_deref(), Some("slow-reader"));
        assert_eq!(
            *Model::from_events(&rec.events).summary(),
            rec.summary,
            "{name}: the summary written at the end is the events'"
        );
        // the same run as one document, written the in-memory way
        let whole = Recording {
            events: rec.events.clone(),
            ..rec.clone()
        }
        .to_json();
        let streamed = if name.ends_with(".gz") {
            String::from_utf8(inflate(&raw)).expect("utf-8")
        } else {
            String::from_utf8(raw).expect("utf-8")
        };
        assert_eq!(
            streamed, whole,
            "{name}: streamed byte for byte as the in-memory writer would"
        );
    }
}

fn inflate(gz: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(gz).read_to_end(&mut out).expect("gzip");
    out
}

/// A run of more than a second with its output piped: no progress line, no terminal escape,
/// no carriage return, on stdout or stderr.
#[test]
fn piped_output_has_no_progress() {
    let out = Command::new(BIN)
        .args([
            "run",
            "--count",
            "30000",
            "--size",
            "10",
            "--read-size",
            "1",
            "--json",
            "-",
        ])
        .env("LC_ALL", "C.UTF-8")
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for (name, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        assert!(
            !bytes.contains(&b'\r') && !bytes.contains(&0x1b),
            "{name} holds progress bytes"
        );
        assert!(!String::from_utf8_lossy(bytes).contains("/s"), "{name} holds a rate");
    }
    let rec = Recording::from_json(&String::from_utf8_lossy(&out.stdout)).expect("stdout is the recording");
    assert_eq!(rec.summary.reads, 300_000);
}
