//! One count, one value (issue 14): the CLI text, the summary JSON and the model agree on every
//! number, and a number that could mislead says why (short writes, capture gaps).

use std::process::Command;

use stickyviz::analysis::{DatagramFate, Model};
use stickyviz::config::{Experiment, Transports, Workload};
use stickyviz::engine::Run;
use stickyviz::export::text_timeline;
use stickyviz::facts::{Event, StreamOffset};
use stickyviz::i18n::Lang;
use stickyviz::recording::Recording;

const BIN: &str = env!("CARGO_BIN_EXE_stickyviz");

/// `stickyviz run ARGS --json FILE`: the printed text and the recording.
fn cli_run(args: &[&str]) -> (String, Recording) {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("run.json");
    let out = Command::new(BIN)
        .args(["run"])
        .args(args)
        .arg("--json")
        .arg(&file)
        .env("LC_ALL", "C.UTF-8")
        .output()
        .expect("the binary runs");
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let rec = Recording::load(&file).expect("the recording loads");
    (String::from_utf8_lossy(&out.stdout).into_owned(), rec)
}

/// recvfrom(1) and recvfrom(4) cut every datagram before its `msg-N|` id ends: each is still
/// known by its id (peeked, not taken), so every view says 12 truncated and 0 dropped.
#[test]
fn udp_reads_shorter_than_the_id_still_know_every_datagram() {
    for n in ["1", "4"] {
        let (text, rec) = cli_run(&["--preset", "udp-truncate", "--udp-read-size", n]);
        let s = &rec.summary;
        assert_eq!(
            (
                s.datagrams_sent,
                s.datagrams_received,
                s.datagrams_truncated,
                s.datagrams_dropped
            ),
            (12, 12, 12, Some(0)),
            "recvfrom({n}): summary JSON"
        );
        assert_eq!(
            text.matches("TRUNCATED").count(),
            12,
            "recvfrom({n}): every listed datagram is truncated:\n{text}"
        );
        assert!(
            !text.contains("DROPPED"),
            "recvfrom({n}): none is listed as dropped:\n{text}"
        );
        let model = Model::from_events(&rec.events);
        assert!(
            model.unidentified_datagrams().is_empty(),
            "recvfrom({n}): every datagram has its id"
        );
        assert!(
            model
                .datagrams()
                .iter()
                .all(|d| matches!(model.datagram_fate(d), DatagramFate::Truncated { .. })),
            "recvfrom({n}): the UDP panel's fates"
        );
        assert_eq!(
            model.summary(),
            s,
            "recvfrom({n}): the model rebuilt from the events says the same"
        );
    }
}

/// A `send()` that takes fewer bytes than asked (the send buffer is full and its timeout
/// passed) is a short write: counted, named in the summary, and it is exactly why there are
/// more writes than messages.
#[test]
fn short_writes_are_marked_and_counted() {
    let mut exp = Experiment {
        transports: Transports::Tcp,
        workload: Workload {
            count: 3,
            size_min: 300_000,
            size_max: 300_000,
            ..Workload::default()
        },
        ..Experiment::default()
    };
    exp.sender.sndbuf = Some(4096);
    exp.receiver.rcvbuf = Some(4096);
    // the reader starts late: the small buffers fill and a send() times out part-way
    exp.receiver.start_delay_ms = 100;
    let events = Run::start(&exp, None).expect("starts").wait();
    let model = Model::from_events(&events);
    let s = &model.summary();
    assert_eq!(s.bytes_received, s.bytes_sent, "every byte arrives");
    assert!(
        s.short_writes >= 1,
        "a full 8 KiB send buffer for 300 KB messages: {s:?}"
    );
    assert_eq!(
        s.writes,
        s.messages + s.short_writes,
        "each message is one piece; every extra send() follows a short one"
    );
    let text = text_timeline::summary(&model, Lang::En);
    assert!(
        text.contains(&format!("{} ({} short", s.writes, s.short_writes)),
        "{text}"
    );
}

fn read(i: u64) -> Event {
    Event::Read {
        start_us: Some(i),
        at_us: i,
        offset: StreamOffset(i),
        len: 1,
        requested: 1,
    }
}

/// Past the history cap the list is shorter than the run: "… N more reads" counts from the
/// run's count, not from the stored list.
#[test]
fn more_reads_counts_every_read_not_just_the_stored_ones() {
    let mut model = Model::with_cap(50);
    for i in 0..100 {
        model.apply(&read(i));
    }
    let text = text_timeline::render(&model, 80, Lang::En);
    assert!(text.contains("… 60 more reads"), "{text}");
}

fn segments_run(captured: u32, kernel: u32, dropped: Option<u64>) -> Model {
    let mut events = vec![Event::Connected {
        at_us: 0,
        sender: "a".into(),
        receiver: "b".into(),
    }];
    for i in 0..captured {
        events.push(Event::Segment {
            at_us: 1,
            offset: StreamOffset(u64::from(i)),
            len: 1,
            packet: None,
        });
    }
    events.push(Event::WireTotal {
        at_us: 2,
        segs_out: kernel,
        retransmitted: None,
    });
    if let Some(dropped) = dropped {
        events.push(Event::CaptureStats { at_us: 3, dropped });
    }
    events.push(Event::Message {
        at_us: 0,
        msg: stickyviz::facts::MsgId(0),
        offset: StreamOffset(0),
        len: kernel,
        header_len: 0,
    });
    Model::from_events(&events)
}

/// The lane never silently shows fewer segments than the kernel sent.
#[test]
fn a_capture_gap_is_said_in_the_summary() {
    let text = |m: &Model| text_timeline::summary(m, Lang::En);
    assert!(text(&segments_run(38, 40, Some(2))).contains("38 of 40 captured (2 lost by the capture)"));
    assert!(text(&segments_run(38, 40, None)).contains("38 of 40 captured (2 not seen by the capture)"));
    // nothing dropped: the kernel counted big packets as several segments (GSO, flow-control),
    // or a link lost packets before the capture (lossy-link)
    assert!(text(&segments_run(38, 40, Some(0)))
        .contains("38 of 40 captured (2 fewer packets than TCP_INFO's segments, though the capture dropped none"));
    assert!(text(&segments_run(37, 40, Some(1)))
        .contains("37 of 40 captured (3 not seen by the capture, 1 of them dropped from its queue)"));
    let mut lossy = segments_run(38, 40, Some(0));
    lossy.apply(&Event::Retransmission {
        at_us: 4,
        offset: StreamOffset(0),
        len: 1,
        packet: None,
    });
    assert!(
        text(&lossy)
            .contains("39 of 40 captured (1 fewer packets than TCP_INFO's segments, though the capture dropped none"),
        "{}",
        text(&lossy)
    );
    let all = text(&segments_run(40, 40, Some(0)));
    assert!(!all.contains(" of 40 captured"), "{all}");
    assert!(text_timeline::summary(&segments_run(38, 40, Some(2)), Lang::Zh).contains("抓到 38 / 40"));
}

/// The playback gauge and the inspector at one moment: once the kernel-stamped segment of a
/// write has left, nothing of it is "in send() or the send buffer", as its `TCP_INFO` says
/// (0 B not yet sent). With the segment stamped when the capture thread read it (late), the
/// gauge said 1000 B in flight next to the inspector's 0 B.
#[test]
fn the_gauge_agrees_with_tcp_info_once_the_segment_left() {
    use stickyviz::analysis::playback::TcpAt;
    use stickyviz::facts::MsgId;
    let events = [
        Event::Message {
            at_us: 5,
            msg: MsgId(0),
            offset: StreamOffset(0),
            len: 1000,
            header_len: 0,
        },
        Event::Write {
            start_us: Some(10),
            at_us: 40,
            msg: MsgId(0),
            offset: StreamOffset(0),
            len: 1000,
            requested: Some(1000),
            segs_out: 1,
            notsent: 0,
            unacked: 1,
        },
        Event::Segment {
            at_us: 20,
            offset: StreamOffset(0),
            len: 1000,
            packet: None,
        },
        Event::Read {
            start_us: Some(0),
            at_us: 30,
            offset: StreamOffset(0),
            len: 1000,
            requested: 1024,
        },
    ];
    let model = Model::from_events(&events);
    assert_eq!(
        TcpAt::at(&model, 10).in_send_buffer(),
        Some(1000),
        "during the send() call"
    );
    for t in [20, 30, 40] {
        assert_eq!(
            TcpAt::at(&model, t).in_send_buffer(),
            Some(0),
            "at {t} µs, after the segment left"
        );
    }
}
