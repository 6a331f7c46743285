//! Every seed lesson, run for real on 127.0.0.1: the effect each preset promises shows up.
//! Assertions are about what the setup forces, never one run's exact counts.

#[path = "support/link_checks.rs"]
mod link_checks;
#[path = "support/skip.rs"]
mod skip;
use link_checks::{assert_every_frame_intact, snd_mss};
use stickyviz::analysis::{DatagramFate, Model};
use stickyviz::config::Experiment;
use stickyviz::engine::Run;
use stickyviz::facts::EngineError;
use stickyviz::i18n::{t, Lang};
use stickyviz::presets;

fn run_preset(name: &str) -> Model {
    let exp = presets::find(name)
        .unwrap_or_else(|| panic!("preset {name}"))
        .experiment;
    let run = Run::start(&exp, None).unwrap_or_else(|e| panic!("{name} starts: {e}"));
    Model::from_events(&run.wait())
}

/// A link lesson (issue 19): run in a network namespace by the real binary; `None` when the
/// kernel refuses namespaces here (said: "skipped: why").
fn run_link_preset(name: &str) -> Option<(Experiment, Model)> {
    stickyviz::engine::link::set_child_binary(env!("CARGO_BIN_EXE_stickyviz"));
    let exp = presets::find(name)
        .unwrap_or_else(|| panic!("preset {name}"))
        .experiment;
    match Run::start(&exp, None) {
        Ok(run) => Some((exp, Model::from_events(&run.wait()))),
        Err(EngineError::Link(why)) => {
            skip::skip_link(name, &why);
            None
        }
        Err(e) => panic!("{name} starts: {e}"),
    }
}

#[test]
fn every_preset_explains_itself_in_english_and_chinese() {
    for p in presets::all() {
        let (summary, summary_zh) = (t(Lang::En, p.summary), t(Lang::Zh, p.summary));
        assert!(
            summary.len() > 200,
            "{}: the English explanation is a paragraph",
            p.name
        );
        assert!(
            summary_zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{}: Chinese explanation",
            p.name
        );
        assert!(
            summary_zh.chars().count() > 80,
            "{}: the Chinese explanation is a paragraph",
            p.name
        );
    }
}

#[test]
fn udp_echo_keeps_every_boundary() {
    let m = run_preset("udp-echo");
    assert_eq!(m.summary().datagrams_received, m.summary().datagrams_sent);
    assert_eq!(m.summary().datagrams_truncated, 0);
    for d in m.datagrams() {
        assert_eq!(m.datagram_fate(d), DatagramFate::Delivered, "{}", d.msg);
        assert_eq!(
            d.received.map(|(n, _)| n),
            Some(d.len),
            "one sendto is one recvfrom: {}",
            d.msg
        );
    }
}

#[test]
fn udp_truncate_loses_the_tail_and_shows_the_real_length() {
    let m = run_preset("udp-truncate");
    assert!(m.summary().datagrams_truncated > 0);
    assert!(m.summary().datagram_bytes_lost > 0);
    assert!(m.datagrams().iter().all(|d| d.received.is_some_and(|(n, _)| n <= 100)));
}

#[test]
fn udp_flood_drops_datagrams_and_counts_them() {
    let m = run_preset("udp-flood");
    let s = &m.summary();
    let dropped = s.datagrams_dropped.expect("drops counted once the receiver ended");
    // 2000 datagrams into an 8 KiB buffer nobody reads for 50 ms: most cannot fit.
    assert!(dropped > 1000, "dropped {dropped}");
    assert_eq!(dropped + s.datagrams_received, s.datagrams_sent);
    assert!(
        s.udp_rcvbuf_actual.is_some_and(|n| n >= 4096),
        "{:?}",
        s.udp_rcvbuf_actual
    );
}

#[test]
fn udp_empty_datagrams_arrive_as_zero_length_reads_tcp_sends_nothing() {
    let m = run_preset("udp-empty");
    let s = &m.summary();
    assert_eq!(s.datagrams_sent, 5);
    assert_eq!(s.datagrams_received, 5);
    for d in m.datagrams() {
        assert_eq!(
            d.received.map(|(n, _)| n),
            Some(0),
            "{} arrived as a 0-byte read",
            d.msg
        );
        assert_eq!(m.datagram_fate(d), DatagramFate::Delivered);
    }
    assert_eq!(s.writes, 0, "an empty send() writes nothing on a TCP stream");
    assert_eq!(s.bytes_received, 0);
}

/// flow-control: a slow reader behind 8 KiB buffers. With a capture the window closes (a zero
/// window; tests/wire_both_ways.rs checks the gauge agrees); without one, every byte still
/// arrives: TCP slows the sender down rather than lose anything.
#[test]
fn flow_control_closes_the_window_and_loses_nothing() {
    let m = run_preset("flow-control");
    let s = &m.summary();
    assert_eq!(s.bytes_received, s.bytes_sent);
    assert_eq!(s.bytes_sent, 64 * 2048);
    assert!(s.rcvbuf_actual.is_some_and(|n| n < 64 * 2048), "{:?}", s.rcvbuf_actual);
    match &m.segments_unavailable() {
        None => assert!(s.zero_window.unwrap_or(0) > 0, "the window closed: {s:?}"),
        Some(why) => skip::skip(
            skip::Missing::Privilege,
            format!("the zero window needs a capture ({why:?}); delivery checked"),
        ),
    }
}

#[test]
fn real_mss_cuts_each_message_into_segments_no_larger_than_the_mss() {
    let Some((exp, model)) = run_link_preset("real-mss") else {
        return;
    };
    assert!(
        model.segments_unavailable().is_none(),
        "capture works inside the namespace: {:?}",
        model.segments_unavailable()
    );
    let mss = snd_mss(&model);
    // MTU 1500 − 20 IP − 20 TCP − 12 timestamp option
    assert_eq!(mss, 1448, "the namespace's lo has the link's MTU");
    assert!(!model.segments().is_empty());
    assert!(
        model.segments().iter().all(|s| u64::from(s.len) <= mss),
        "no segment over the MSS: {:?}",
        model.segments().iter().map(|s| s.len).max()
    );
    // a 10,004-byte frame cannot leave in fewer than 7 segments of 1448 bytes
    assert!(model.segments().len() >= 3 * 7, "{} segments", model.segments().len());
    assert_every_frame_intact("real-mss", &model, u64::from(exp.workload.count));
    assert_eq!(model.summary().causality_violations, 0);
}

#[test]
fn lossy_link_retransmits_yet_every_frame_arrives_intact_and_in_order() {
    let Some((exp, model)) = run_link_preset("lossy-link") else {
        return;
    };
    let retransmitted = model
        .summary()
        .retransmitted_tcp_info
        .expect("TCP_INFO counts retransmissions on Linux");
    assert!(retransmitted > 0, "a 20 KB queue at 20 Mbit/s must overflow under 2 MB");
    assert_every_frame_intact("lossy-link", &model, u64::from(exp.workload.count));
    assert_eq!(model.summary().bytes_received, model.summary().bytes_sent);
    assert_eq!(model.summary().causality_violations, 0);
}

#[test]
fn udp_lossy_drops_datagrams_and_nothing_resends_them() {
    let Some((_, model)) = run_link_preset("udp-lossy") else {
        return;
    };
    let s = &model.summary();
    let dropped = s.datagrams_dropped.expect("counted once the receiver ended");
    // 200 KB at once into a 20 KB queue
    assert!(dropped > 0, "the link drops datagrams");
    assert_eq!(dropped + s.datagrams_received, s.datagrams_sent);
    let fates = model.datagrams().iter().map(|d| model.datagram_fate(d));
    assert!(fates.clone().filter(|f| *f == DatagramFate::Delivered).count() as u64 == s.datagrams_received);
    assert_eq!(s.datagrams_truncated, 0, "the datagrams that arrive are whole");
}
