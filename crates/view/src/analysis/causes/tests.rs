//! The rules on hand-made events: each cause proven, and not named without its proof.

use super::*;
use crate::analysis::Model;
use crate::facts::{Event, StreamOffset};

fn seg(at_us: u64, offset: u64, len: u32) -> Event {
    Event::Segment {
        at_us,
        offset: StreamOffset(offset),
        len,
        packet: None,
    }
}

fn ack(at_us: u64, ack: u64, window: u32) -> Event {
    Event::Ack {
        at_us,
        ack: StreamOffset(ack),
        window,
        packet: None,
        fin: false,
    }
}

fn write(start: u64, at_us: u64, msg: u32, offset: u64, len: u32, notsent: u32) -> Event {
    Event::Write {
        start_us: Some(start),
        at_us,
        msg: MsgId(msg),
        offset: StreamOffset(offset),
        len,
        requested: Some(len),
        segs_out: 0,
        notsent,
        unacked: 0,
    }
}

/// A header write leaves at once; the body waits for the ACK of the header, which came
/// `ack_after` µs after it.
fn echo_request(ack_after: u64) -> Vec<Event> {
    vec![
        write(0, 10, 0, 0, 4, 0),
        seg(5, 0, 4),
        write(12, 20, 0, 4, 96, 96),
        ack(5 + ack_after, 4, 65536),
        seg(5 + ack_after + 10, 4, 96),
        ack(5 + ack_after + 20, 100, 65536),
        Event::Round {
            at_us: 5 + ack_after + 100,
            index: 0,
            latency_us: ack_after + 100,
            request_len: 100,
            reply_len: 100,
        },
    ]
}

#[test]
fn nagle_and_a_delayed_ack_are_named_only_with_the_delay() {
    let m = Model::from_events(&echo_request(40_000));
    let c = m.causes();
    assert!(
        c.list.iter().any(|c| matches!(
            c,
            Cause::Nagle {
                delayed_ack: true,
                round: Some(0),
                ack_delay_us: 40_000,
                ..
            }
        )),
        "{c:?}"
    );
    let quick = Model::from_events(&echo_request(50)).causes();
    assert!(
        !quick
            .list
            .iter()
            .any(|c| matches!(c, Cause::Nagle { delayed_ack: true, .. })),
        "{quick:?}"
    );
    // with TCP_NODELAY set, never Nagle
    let mut events = echo_request(40_000);
    events.insert(
        0,
        Event::SockOpt {
            at_us: 0,
            side: crate::facts::Side::TcpSender,
            opt: crate::facts::SockOpt::TcpNodelay,
            requested: Some(1),
            actual: 1,
        },
    );
    let off = Model::from_events(&events).causes();
    assert!(!off.list.iter().any(|c| matches!(c, Cause::Nagle { .. })), "{off:?}");
    assert!(
        off.list.iter().any(|c| matches!(
            c,
            Cause::NotTold {
                effect: Effect::Stall { .. },
                ..
            }
        )),
        "the stall is still seen: {off:?}"
    );
}

#[test]
fn evidence_points_at_the_events() {
    let events = echo_request(40_000);
    let m = Model::from_events(&events);
    let c = m.causes();
    let nagle = c.list.iter().find(|c| matches!(c, Cause::Nagle { .. })).expect("nagle");
    for ix in nagle.evidence() {
        assert!(events.get(ix.0 as usize).is_some());
    }
    let Cause::Nagle { ack, held_segment, .. } = nagle else {
        unreachable!()
    };
    assert!(matches!(events[ack.0 as usize], Event::Ack { .. }));
    assert!(matches!(events[held_segment.0 as usize], Event::Segment { .. }));
    assert_eq!(
        m.locate(*held_segment),
        Some(Located::Segment {
            at_us: 40_015,
            offset: 4
        })
    );
}

/// Without a capture, a stalled request is told from `TCP_INFO` alone: the unsent bytes after
/// its second write, and that the rest needs the capture; a request that did not stall, nothing.
#[test]
fn without_a_capture_a_stall_is_told_by_the_unsent_bytes() {
    let mut events: Vec<Event> = echo_request(40_000)
        .into_iter()
        .filter(|e| !matches!(e, Event::Segment { .. } | Event::Ack { .. }))
        .collect();
    events.insert(
        0,
        Event::SegmentsUnavailable {
            reason: crate::facts::CaptureUnavailable::OnlyLoopback,
        },
    );
    let c = Model::from_events(&events).causes();
    assert!(
        c.list.iter().any(|c| matches!(
            c,
            Cause::Unsent {
                round: 0,
                notsent: 96,
                ..
            }
        )),
        "{c:?}"
    );
    assert!(!c.list.iter().any(|c| matches!(c, Cause::Nagle { .. })));
    let quick: Vec<Event> = echo_request(50)
        .into_iter()
        .filter(|e| !matches!(e, Event::Segment { .. } | Event::Ack { .. }))
        .collect();
    assert!(Model::from_events(&quick).causes().is_empty());
}
