//! The course's last two lessons (issue 32), run for real on 127.0.0.1: a program that ignores
//! `send()`'s count drops bytes itself (counted exactly, TCP delivers every byte it was given),
//! `sendall()` delivers all; a server that closes first leaves TIME_WAIT behind, and a second
//! `bind()` to its port fails with `EADDRINUSE` unless `SO_REUSEADDR` is set, every run.

use stickyviz::analysis::{check_causality, Model};
use stickyviz::config::{Experiment, Restart, SendCall};
use stickyviz::engine::workload::payload;
use stickyviz::engine::Run;
use stickyviz::facts::{BindWhen, Event, Side, TableEntry, TcpState};
use stickyviz::i18n::Lang;
use stickyviz::presets;

fn preset(name: &str) -> Experiment {
    presets::find(name).expect("preset").experiment
}

fn run(exp: &Experiment) -> (Vec<Event>, Model) {
    let events = Run::start(exp, None).expect("the run starts").wait();
    let model = Model::from_events(&events);
    assert!(model.finished());
    assert_eq!(check_causality(&events).count(), 0, "no effect before its cause");
    (events, model)
}

#[test]
fn ignoring_sends_count_drops_bytes_the_receiver_never_gets_and_tcp_loses_none() {
    let exp = preset("send-vs-sendall");
    assert_eq!(exp.sender.send_call, SendCall::Send);
    for _ in 0..3 {
        let (events, m) = run(&exp);
        let s = m.summary();
        // every send() is short: 60,004 bytes cannot fit in 8 KiB buffers and a slow reader
        // within the 20 ms send timeout
        assert_eq!(s.writes, u64::from(exp.workload.count), "one send() per message");
        assert_eq!(s.short_writes, s.writes, "every send() took fewer bytes than asked");
        let mut requested = 0u64;
        let mut expected = Vec::new();
        let (mut body, mut framed) = (Vec::new(), Vec::new());
        for e in &events {
            if let Event::Write {
                msg, len, requested: r, ..
            } = e
            {
                let r = u64::from(r.expect("a write says what it was asked"));
                requested += r;
                let never: u64 = events
                    .iter()
                    .filter_map(|n| match n {
                        Event::NeverSent { msg: k, len, .. } if k == msg => Some(u64::from(*len)),
                        _ => None,
                    })
                    .sum();
                assert_eq!(r, u64::from(*len) + never, "{msg}: asked = taken + never sent");
                payload(msg.0, exp.workload.size_min, &mut body);
                framed.clear();
                exp.framing.encode_with(exp.length_prefix, &body, &mut framed);
                expected.extend_from_slice(&framed[..*len as usize]);
            }
        }
        assert_eq!(requested, s.bytes_sent + s.never_sent_bytes);
        assert!(s.never_sent_bytes > 0);
        assert_eq!(s.bytes_received, s.bytes_sent, "TCP delivered every byte send() took");
        assert_eq!(
            m.received(),
            expected,
            "the receiver got exactly the bytes send() took, in order"
        );
        assert_eq!(m.never_sent().len() as u64, s.short_writes);
        assert!(
            s.intact_frames < s.frames || s.decode_errors > 0,
            "the frames show what is missing: {s:?}"
        );
    }
}

#[test]
fn sendall_delivers_every_byte_and_every_frame() {
    let mut exp = preset("send-vs-sendall");
    exp.sender.send_call = SendCall::Sendall;
    let (_, m) = run(&exp);
    let s = m.summary();
    let total = u64::from(exp.workload.count) * (u64::from(exp.workload.size_min) + 4);
    assert_eq!(s.bytes_sent, total);
    assert_eq!(s.bytes_received, total);
    assert_eq!(s.never_sent_bytes, 0);
    assert!(m.never_sent().is_empty());
    assert!(s.short_writes > 0, "send() was short here too; sendall sent the rest");
    assert_eq!(s.frames, u64::from(exp.workload.count));
    assert_eq!(s.intact_frames, s.frames);
    assert_eq!(s.decode_errors, 0);
}

fn restart_run(reuse_addr: bool) -> Model {
    let mut exp = preset("address-in-use");
    exp.restart = Some(Restart { reuse_addr });
    let (_, m) = run(&exp);
    assert_eq!(
        m.summary().bytes_received,
        m.summary().bytes_sent,
        "the message arrived"
    );
    m
}

fn table_entry(m: &Model, side: Side) -> TableEntry {
    let r = m.restart().expect("the restart's facts");
    r.table
        .iter()
        .find(|t| t.side == side)
        .expect("both ends read")
        .entry
        .clone()
}

#[cfg(target_os = "linux")]
#[test]
fn second_bind_without_reuse_addr_fails_with_eaddrinuse_every_run() {
    for k in 0..5 {
        let m = restart_run(false);
        let r = m.restart().expect("facts");
        let after = r.bind_after_close().expect("the second server tried");
        assert!(after.address_in_use(), "run {k}: {after:?}");
        assert_eq!(after.error.as_ref().and_then(|e| e.code), Some(libc_eaddrinuse()));
        assert_eq!(
            table_entry(&m, Side::TcpReceiver),
            TableEntry::Listed {
                state: TcpState::TimeWait
            },
            "run {k}: the server closed first"
        );
        assert_eq!(table_entry(&m, Side::TcpSender), TableEntry::Gone, "run {k}");
        assert_eq!(r.time_wait_side(), Some(Side::TcpReceiver));
        let listening = r
            .binds
            .iter()
            .find(|b| b.when == BindWhen::WhileListening)
            .expect("tried");
        assert!(listening.address_in_use());
        // the wire: the server's FIN leaves first (when the capture runs: root here)
        if m.segments_unavailable().is_none() {
            let first = m.closing().first().expect("the closing handshake was captured");
            assert!(first.fin && first.from == Side::TcpReceiver, "{:?}", m.closing());
            assert!(m.closing().iter().any(|c| c.fin && c.from == Side::TcpSender));
        }
    }
}

#[cfg(target_os = "linux")]
#[test]
fn second_bind_with_reuse_addr_succeeds_every_run_but_never_beside_a_listener() {
    for k in 0..5 {
        let m = restart_run(true);
        let r = m.restart().expect("facts");
        let after = r.bind_after_close().expect("the second server tried");
        assert_eq!(after.error, None, "run {k}: SO_REUSEADDR lets it bind beside TIME_WAIT");
        assert_eq!(r.time_wait_side(), Some(Side::TcpReceiver), "run {k}");
        let listening = r
            .binds
            .iter()
            .find(|b| b.when == BindWhen::WhileListening)
            .expect("tried");
        assert!(listening.address_in_use(), "run {k}: not beside a listening server");
    }
}

#[cfg(target_os = "linux")]
fn libc_eaddrinuse() -> i32 {
    98
}

#[test]
fn the_bind_failure_is_worded_in_both_languages() {
    let m = restart_run(false);
    let lines = |lang| stickyviz::describe::send_close::restart_lines(&m, lang).join("\n");
    let (en, zh) = (lines(Lang::En), lines(Lang::Zh));
    if cfg!(target_os = "linux") {
        assert!(en.contains("address already in use (EADDRINUSE)"), "{en}");
        assert!(zh.contains("地址已被占用（EADDRINUSE）"), "{zh}");
        assert!(en.contains("TIME_WAIT") && zh.contains("TIME_WAIT"));
    }
    assert!(en.contains("SO_EXCLUSIVEADDRUSE") && zh.contains("SO_EXCLUSIVEADDRUSE"));
}

/// The committed lesson's pictures draw each never-sent flag: the SVG has one hatched rect per
/// short write whose count the program ignored.
#[test]
fn the_lessons_svg_flags_every_never_sent_write() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/recordings/send-vs-sendall.json");
    let rec = stickyviz::recording::Recording::load(&path).expect("the lesson's recording");
    let model = Model::from_events(&rec.events);
    assert!(!model.never_sent().is_empty());
    let svg = stickyviz::export::svg::render(&rec, &Default::default());
    assert_eq!(
        svg.matches(r#"class="never-sent""#).count(),
        model.never_sent().len(),
        "one flag per never-sent mark"
    );
    assert!(svg.contains("never sent: "));
}
