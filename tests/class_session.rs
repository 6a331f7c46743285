//! The teacher's class session (issue 20): a class of real Python clients, all connected at
//! once to `stickyviz listen --tcp`, each sending the seed course's JSON-header frames. Every
//! client is in the summary and the recording, every frame counted; a client past the limit is
//! turned away and told why; a client that floods or stalls holds up nobody.

#[path = "support/session.rs"]
mod session;
#[path = "support/skip.rs"]
mod skip;

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::process::Command;
use std::time::{Duration, Instant};

use session::{port_of, Session};
use stickyviz::analysis::Model;
use stickyviz::engine::peer::{self, ListenOptions};
use stickyviz::facts::{ClientOutcome, Event};
use stickyviz::framing::FramingMode;
use stickyviz::recording::Recording;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/python");

fn have_python() -> bool {
    let ok = skip::have("python3");
    if !ok {
        skip::skip(skip::Missing::Tool("python3"), "the class is made of Python clients");
    }
    ok
}

/// Runs a fixture script; returns its one line of JSON.
fn python(script: &str, args: &[&str]) -> serde_json::Value {
    let out = Command::new("python3")
        .arg(format!("{FIXTURES}/{script}"))
        .args(args)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{script} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{script} printed no JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

/// The summary line `key  value` as `i18n::summary_line` pads it.
fn summary_has(text: &str, key: &str, value: u64) -> bool {
    text.lines()
        .any(|l| l.starts_with(key) && l[key.len()..].trim() == value.to_string())
}

#[test]
fn forty_python_students_at_once_are_all_in_the_summary_and_the_recording() {
    if !have_python() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let json = dir.path().join("class.json");
    let mut l = Session::start(&[
        "listen",
        "--headless",
        "--tcp",
        "0",
        "--framing",
        "seed-json",
        "--clients",
        "40",
        "--json",
        json.to_str().expect("utf-8 path"),
    ]);
    let port = port_of(&l.wait_for_line("listening on")).to_string();
    let class = python("class_clients.py", &[&port, "40", "200"]);
    assert_eq!(class["failed"], serde_json::json!([]), "every student's client ran");
    assert_eq!(class["frames"], 8000);
    let (code, stdout, stderr) = l.finish();
    assert_eq!(code, Some(0), "{stderr}");

    // the summary: the session's totals, not the first client's
    assert!(
        summary_has(&stdout, "frames decoded", 8000),
        "all 40 × 200 frames in the totals:\n{stdout}"
    );
    assert!(summary_has(&stdout, "clients served", 40), "{stdout}");
    assert_eq!(
        stdout
            .lines()
            .filter(|l| l.contains("served: ") && l.contains(" B, 200 frames"))
            .count(),
        40,
        "one line per client:\n{stdout}"
    );

    // the recording: one entry per client, totals that are their sum
    let rec =
        Recording::from_json(&std::fs::read_to_string(&json).expect("recording written")).expect("recording parses");
    let session = rec.class.as_ref().expect("a class session in the recording");
    assert_eq!(session.clients.len(), 40);
    assert!(session
        .clients
        .iter()
        .all(|c| c.frames == 200 && c.outcome == Some(ClientOutcome::Served) && c.decode_errors == 0));
    assert_eq!(
        session.totals.frames,
        session.clients.iter().map(|c| c.frames).sum::<u64>()
    );
    assert_eq!(session.totals.frames, 8000);
    assert_eq!((session.totals.clients, session.totals.served), (40, 40));

    // one count, one value: a client's merged/split counts, taken where it was served, are what
    // the analysis finds in its recorded stream
    let model = Model::from_events(&rec.events);
    assert_eq!(
        model.class_totals(),
        session.totals,
        "the recording's totals are the model's"
    );
    for c in &session.clients {
        let cuts = c.cuts.expect("framed: reads are classified");
        let lane = c.lane.expect("40 clients all have a recorded stream");
        let m = model.listen_lane(lane).expect("the lane's stream is in the recording");
        let s = &m.summary();
        assert_eq!(
            (cuts.reads, cuts.merged_reads, cuts.split_frames),
            (s.reads, s.merged_reads, s.split_messages),
            "client {}",
            c.peer
        );
        assert_eq!(c.bytes, s.bytes_received);
    }
    assert_eq!(model.summary().causality_violations, 0);
}

#[test]
fn sixty_four_students_times_a_thousand_frames_are_all_served_and_counted() {
    if !have_python() {
        return;
    }
    let mut l = Session::start(&[
        "listen",
        "--headless",
        "--tcp",
        "0",
        "--framing",
        "seed-json",
        "--clients",
        "64",
        "--width",
        "40",
    ]);
    let port = port_of(&l.wait_for_line("listening on")).to_string();
    let class = python("class_clients.py", &[&port, "64", "1000"]);
    assert_eq!(class["failed"], serde_json::json!([]), "every student's client ran");
    let (code, stdout, stderr) = l.finish();
    assert_eq!(code, Some(0), "{stderr}");
    assert!(summary_has(&stdout, "frames decoded", 64_000), "{stdout}");
    assert!(summary_has(&stdout, "clients served", 64), "{stdout}");
}

#[test]
fn the_sixty_fifth_student_is_turned_away_and_told_why() {
    if !have_python() {
        return;
    }
    let mut l = Session::start(&[
        "listen",
        "--headless",
        "--tcp",
        "0",
        "--framing",
        "seed-json",
        "--echo",
        "--clients",
        "64",
    ]);
    let port = port_of(&l.wait_for_line("listening on")).to_string();
    let class = python("full_class.py", &[&port, "64"]);
    assert_eq!(class["seated"], 64);
    let told = class["late_student_read"].as_str().expect("text");
    assert!(
        told.contains("the class session is full (64 clients connected"),
        "the refused client reads why: {told:?}"
    );
    let (code, stdout, stderr) = l.finish();
    assert!(code.is_some(), "{stderr}");
    assert!(
        stderr.contains("turned away at once: 64 clients were connected already"),
        "{stderr}"
    );
    assert!(summary_has(&stdout, "clients connected", 65), "{stdout}");
    assert!(summary_has(&stdout, "clients served", 64), "{stdout}");
}

#[test]
fn a_class_beyond_loopback_is_served_until_stopped_and_keeps_its_summary() {
    if !have_python() {
        return;
    }
    // 0.0.0.0 without --clients: students come and go until the teacher stops (here SIGINT)
    let mut l = Session::start(&["listen", "--headless", "--tcp", "0.0.0.0:0", "--framing", "seed-json"]);
    let port = port_of(&l.wait_for_line("listening on tcp 0.0.0.0:")).to_string();
    for (clients, frames) in [("2", "5"), ("3", "7")] {
        let class = python("class_clients.py", &[&port, clients, frames]);
        assert_eq!(
            class["failed"],
            serde_json::json!([]),
            "the listener still serves after the first students left"
        );
    }
    // the students closed their sockets; stop once the listener has seen each of them leave
    // (their report lines), or a SIGINT can overtake the last FINs
    for _ in 0..5 {
        l.wait_for_line("served:");
    }
    l.wait_until_catching(2);
    l.signal("INT");
    let (code, stdout, stderr) = l.finish();
    assert_eq!(code, Some(130), "{stderr}");
    assert!(summary_has(&stdout, "clients served", 5), "{stdout}");
    assert!(summary_has(&stdout, "frames decoded", 2 * 5 + 3 * 7), "{stdout}");
}

fn u32_frame(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    FramingMode::U32.encode(body, &mut out);
    out
}

/// Collects the run's events until `done` holds of them (bounded: a stuck listener fails).
fn collect_until(run: &stickyviz::engine::Run, events: &mut Vec<Event>, what: &str, done: impl Fn(&[Event]) -> bool) {
    let end = Instant::now() + Duration::from_secs(60);
    while !done(events) {
        assert!(Instant::now() < end, "{what} did not happen within 60 s");
        events.extend(
            run.events()
                .recv_timeout(Duration::from_millis(50))
                .into_iter()
                .flatten(),
        );
    }
}

#[test]
fn a_flooding_and_a_stalled_client_hold_up_nobody() {
    let (listener, addr) = peer::bind_tcp(SocketAddr::from(([127, 0, 0, 1], 0))).expect("bind");
    let opts = ListenOptions {
        framing: FramingMode::U32,
        read_size: 1024,
        max_frame_len: 1 << 20,
        length_prefix: Default::default(),
        echo: true,
        idle_ms: 1000,
        clients: 0,
        torture: false,
        refusal: "full\n",
    };
    let mut run = peer::listen_tcp(listener, opts, None).expect("listen starts");

    // the staller: half a header, then nothing
    let mut staller = TcpStream::connect(addr).expect("connect");
    staller.write_all(&[0, 0]).expect("half a header");
    // the flooder: frames as fast as it can, never reading the echoes, so the listener's
    // answers to it fill both buffers and its echo blocks
    let flooder = TcpStream::connect(addr).expect("connect");
    let flooder_addr = flooder.local_addr().expect("address");
    let stop_flood = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flood = {
        let stop = stop_flood.clone();
        let mut s = flooder.try_clone().expect("clone");
        std::thread::spawn(move || {
            let chunk: Vec<u8> = (0..50).flat_map(|_| u32_frame(&[b'f'; 1000])).collect();
            let (mut sent, mut at) = (0u64, 0usize);
            s.set_write_timeout(Some(Duration::from_millis(20))).expect("timeout");
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                // a short write leaves the rest of the chunk to go first: frames stay whole,
                // so only the flood itself is the listener's problem
                if let Ok(n) = s.write(&chunk[at..]) {
                    sent += n as u64;
                    at = (at + n) % chunk.len();
                }
            }
            sent
        })
    };
    // the rest of the class: 1,000 frames each, answers read after their end
    let students: Vec<_> = (0..16)
        .map(|k| {
            std::thread::spawn(move || {
                let mut s = TcpStream::connect(addr).expect("connect");
                // a listener stuck on the flooder fails the test instead of hanging it
                s.set_read_timeout(Some(Duration::from_secs(60))).expect("timeout");
                let mut all = Vec::new();
                for i in 0..1000u32 {
                    all.extend(u32_frame(format!("student {k} frame {i}").as_bytes()));
                }
                s.write_all(&all).expect("send the frames");
                s.shutdown(Shutdown::Write).expect("close the sending half");
                let mut answers = Vec::new();
                s.read_to_end(&mut answers).expect("read the answers");
                (s.local_addr().expect("address").to_string(), answers.len())
            })
        })
        .collect();
    let done: Vec<(String, usize)> = students
        .into_iter()
        .map(|t| t.join().expect("student thread"))
        .collect();
    let mut events = Vec::new();
    collect_until(&run, &mut events, "16 students served", |ev| {
        ev.iter()
            .filter(|e| {
                matches!(
                    e,
                    Event::Client {
                        outcome: ClientOutcome::Served,
                        ..
                    }
                )
            })
            .count()
            >= 16
    });
    let model = Model::from_events(&events);
    for (peer, answer_bytes) in &done {
        let c = model
            .clients()
            .iter()
            .find(|c| &c.peer == peer)
            .unwrap_or_else(|| panic!("{peer} reported"));
        assert_eq!((c.frames, &c.outcome), (1000, &ClientOutcome::Served), "{peer}");
        assert!(*answer_bytes > 0, "{peer} got its answers while the flooder was stuck");
    }
    assert!(
        !model.clients().iter().any(|c| c.peer == flooder_addr.to_string()),
        "the flooder is still connected: it was not the one served"
    );
    stop_flood.store(true, std::sync::atomic::Ordering::Relaxed);
    run.stop();
    events.extend(run.wait());
    let flooded = flood.join().expect("flood thread");
    assert!(flooded > 0, "the flooder sent");
    drop((staller, flooder));
    let model = Model::from_events(&events);
    assert_eq!(
        model.clients_total(),
        18,
        "16 students, the flooder and the staller, each reported once"
    );
    assert_eq!(model.summary().causality_violations, 0);
}
