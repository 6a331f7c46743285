//! Request/response runs on 127.0.0.1: both directions recorded, the write-write-read stall
//! measured. Timing varies run to run, so only what the setup forces is asserted.

use stickyviz::analysis::Model;
use stickyviz::config::WriteSplit;
use stickyviz::engine::Run;
use stickyviz::presets;

fn run(name: &str, edit: impl FnOnce(&mut stickyviz::config::Experiment)) -> Model {
    let mut exp = presets::find(name)
        .unwrap_or_else(|| panic!("preset {name}"))
        .experiment;
    edit(&mut exp);
    let run = Run::start(&exp, None).unwrap_or_else(|e| panic!("{name} starts: {e}"));
    Model::from_events(&run.wait())
}

fn median_us(m: &Model) -> u64 {
    m.echo().and_then(|e| e.median_latency_us()).expect("requests answered")
}

#[test]
fn echo_records_both_directions_and_every_request_intact() {
    let m = run("echo", |_| {});
    let echo = m.echo().expect("a request/response run");
    assert_eq!(echo.rounds.len(), 20, "every request answered");
    assert_eq!(m.summary().frames, 20);
    assert_eq!(m.summary().intact_frames, 20, "the server decoded every request whole");
    assert_eq!(echo.replies.summary().messages, 20, "one reply per request");
    assert_eq!(
        echo.replies.summary().bytes_received,
        20 * 96,
        "the client read every reply"
    );
    assert_eq!(&echo.replies.received()[..7], b"MSG-0|A", "replies are upper-cased");
    assert!(
        m.problems().is_empty() && echo.replies.problems().is_empty(),
        "{:?} {:?}",
        m.problems(),
        echo.replies.problems()
    );
}

#[test]
fn write_write_read_stalls_with_nagle_and_not_without() {
    let on = median_us(&run("echo", |_| {}));
    let off = median_us(&run("echo", |e| e.sender.nagle = false));
    let single = median_us(&run("echo", |e| e.sender.split = WriteSplit::Whole));
    eprintln!("echo median latency: Nagle on {on} µs, off {off} µs, one write {single} µs");
    // Delayed ACK is at least 40 ms on Linux; without the stall a loopback round trip is µs.
    assert!(on > 20_000, "Nagle on + write-write-read stalls: median {on} µs");
    assert!(off < 5_000, "Nagle off does not: median {off} µs");
    assert!(single < 5_000, "one write per request does not: median {single} µs");
    assert!(on > 10 * off);
}

#[test]
fn big_reply_leftover_is_read_as_the_next_reply() {
    let m = run("big-reply", |_| {});
    let replies = &m.echo().expect("request/response").replies;
    assert_eq!(replies.summary().messages, 4);
    let first_reply_end = replies.messages()[0].end();
    // The read made for command 1 starts where the read for command 0 stopped: inside reply 0.
    assert!(replies.reads().len() >= 2);
    assert!(
        replies.reads()[1].offset < first_reply_end,
        "read 1 at {} is still reply 0",
        replies.reads()[1].offset
    );
    assert!(replies.reads().iter().all(|r| r.len <= 1024));
    assert_eq!(
        replies.summary().bytes_received,
        4 * 2500,
        "the leftover comes out after the last command"
    );
}

#[test]
fn hmac_handshake_frames_both_handshake_messages_then_echoes() {
    let m = run("hmac-handshake", |_| {});
    assert_eq!(m.frames().len(), 1, "the client's answer is its own frame");
    assert_eq!(
        (m.frames()[0].offset, m.frames()[0].len, m.frames()[0].intact),
        (0, 32, true),
        "32-byte HMAC-SHA256, accepted"
    );
    let echo = m.echo().expect("request/response");
    let challenge = &echo.replies.frames();
    assert_eq!(
        (challenge.len(), challenge.first().map(|f| f.len)),
        (1, Some(32)),
        "the server's challenge is its own frame"
    );
    assert_eq!(echo.rounds.len(), 5, "every request answered after the handshake");
    assert!(m.problems().is_empty(), "{:?}", m.problems());
}

#[test]
fn hmac_wrong_key_is_refused() {
    let m = run("hmac-wrong-key", |_| {});
    assert_eq!(
        m.frames().first().map(|f| f.intact),
        Some(false),
        "the answer does not verify"
    );
    assert!(
        m.problems()
            .iter()
            .any(|p| stickyviz::describe::problem(p, stickyviz::i18n::Lang::En).contains("handshake refused")),
        "{:?}",
        m.problems()
    );
    let echo = m.echo().expect("request/response");
    assert!(echo.rounds.is_empty(), "no request is answered");
}

#[test]
fn many_clients_keep_one_stream_each() {
    let m = run("many-clients", |_| {});
    let echo = m.echo().expect("request/response");
    assert_eq!(echo.connections.len(), 2, "connections 1 and 2 beside connection 0");
    for (k, c) in std::iter::once(&m).chain(echo.connections.iter()).enumerate() {
        let s = &c.summary();
        assert_eq!(s.messages, 6, "connection {k}: every request sent");
        assert_eq!(
            s.bytes_received, s.bytes_sent,
            "connection {k}: its bytes, all of them, on its own stream"
        );
        let rounds = c.echo().map_or(0, |e| e.rounds.len());
        assert_eq!(rounds, 6, "connection {k}: every request answered");
        assert!(c.connection().is_some(), "connection {k} has its own addresses");
    }
    let ports: std::collections::HashSet<_> = std::iter::once(&m)
        .chain(echo.connections.iter())
        .filter_map(|c| c.connection())
        .map(|(from, _)| from)
        .collect();
    assert_eq!(ports.len(), 3, "three distinct client connections");
    assert!(m.problems().is_empty(), "{:?}", m.problems());
}

#[test]
fn cli_big_reply_with_whole_reads_gets_each_reply_complete() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_stickyviz"))
        .args(["run", "--preset", "big-reply", "--client-reads", "whole", "--json", "-"])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let rec = stickyviz::recording::Recording::from_json(&String::from_utf8_lossy(&out.stdout)).expect("a recording");
    let m = Model::from_events(&rec.events);
    let rounds = &m.echo().expect("request/response").rounds;
    assert_eq!(rounds.len(), 4);
    assert!(
        rounds.iter().all(|r| r.reply_len == 2500),
        "reading until complete gets each reply whole: {rounds:?}"
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("latency median"),
        "the report prints the latency"
    );

    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_stickyviz"))
        .args(["run", "--preset", "echo", "--connections", "99"])
        .output()
        .expect("runs");
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("--connections: 99 is out of range; allowed 1 to 16"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
}

#[test]
fn hmac_handshake_with_framing_says_it_runs_unframed() {
    let m = run("hmac-handshake", |e| e.framing = stickyviz::framing::FramingMode::U32);
    assert!(
        m.problems()
            .iter()
            .any(|p| stickyviz::describe::problem(p, stickyviz::i18n::Lang::En).contains("runs unframed")),
        "{:?}",
        m.problems()
    );
    assert_eq!(
        m.echo().map(|e| e.rounds.len()),
        Some(5),
        "and still answers every request"
    );
}
