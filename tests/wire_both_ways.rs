//! Both directions on the wire lane, from real runs on 127.0.0.1: the receiver's ACKs with
//! their advertised window, zero windows and probes, retransmissions; every count agreeing
//! with every other, and no ACK stamped before the data it acknowledges.
//!
//! The capture needs root or `CAP_NET_RAW` (CI runs as root), or the app's own network
//! namespace; without it each test prints "skipped: …" and passes.

#[path = "support/skip.rs"]
mod skip;
use stickyviz::analysis::playback::TcpAt;
use stickyviz::analysis::Model;
use stickyviz::engine::Run;
use stickyviz::facts::{ControlKind, Event};
use stickyviz::i18n::Lang;
use stickyviz::presets;

/// The events and model of a preset's run; None (said) when a link run's namespace is refused.
fn run_preset(name: &str) -> Option<(Vec<Event>, Model)> {
    // a link run's child is this crate's binary, not the test harness
    stickyviz::engine::link::set_child_binary(env!("CARGO_BIN_EXE_stickyviz"));
    let exp = presets::find(name)
        .unwrap_or_else(|| panic!("preset {name}"))
        .experiment;
    let events = match Run::start(&exp, None) {
        Ok(run) => run.wait(),
        Err(stickyviz::facts::EngineError::Link(why)) => {
            skip::skip_link(name, &why);
            return None;
        }
        Err(e) => panic!("{name} starts: {e}"),
    };
    let model = Model::from_events(&events);
    Some((events, model))
}

/// The model, or None after saying why the capture could not run.
fn captured(name: &str, events: Vec<Event>, model: Model) -> Option<(Vec<Event>, Model)> {
    if let Some(why) = &model.segments_unavailable() {
        skip::skip(
            skip::Missing::Privilege,
            format!(
                "{name}'s wire lane needs a capture ({})",
                stickyviz::describe::capture_unavailable(why, Lang::En)
            ),
        );
        return None;
    }
    Some((events, model))
}

/// What every run with a capture must show, whatever its timing.
fn check_both_ways(name: &str, events: &[Event], m: &Model) {
    let s = &m.summary();
    let acks = s
        .acks
        .unwrap_or_else(|| panic!("{name}: the capture saw the handshake, so it counts ACKs"));
    assert!(acks > 0, "{name}: the receiver acknowledged something");
    let count = |f: &dyn Fn(&Event) -> bool| events.iter().filter(|e| f(e)).count() as u64;
    assert_eq!(
        acks,
        count(&|e| matches!(e, Event::Ack { .. })),
        "{name}: summary = events"
    );
    assert_eq!(acks, m.acks().len() as u64, "{name}: summary = lane");
    assert_eq!(
        s.zero_window,
        Some(m.acks().iter().filter(|a| a.window == 0).count() as u64),
        "{name}"
    );
    assert_eq!(s.retransmissions, Some(m.retransmissions().len() as u64), "{name}");
    assert_eq!(
        s.window_probes,
        Some(count(&|e| matches!(
            e,
            Event::Control {
                control: ControlKind::WindowProbe,
                ..
            }
        ))),
        "{name}"
    );
    // the handshake opens the conversation: SYN, then SYN-ACK
    let kinds: Vec<ControlKind> = events
        .iter()
        .filter_map(|e| {
            if let Event::Control { control, .. } = e {
                Some(*control)
            } else {
                None
            }
        })
        .collect();
    assert_eq!(kinds.first(), Some(&ControlKind::Syn), "{name}: {kinds:?}");
    assert_eq!(kinds.get(1), Some(&ControlKind::SynAck), "{name}: {kinds:?}");
    // the ACK point never goes back, never passes the bytes sent, and ends at the end
    for pair in m.acks().windows(2) {
        assert!(
            pair[0].ack <= pair[1].ack,
            "{name}: ACK {} then {}",
            pair[0].ack,
            pair[1].ack
        );
    }
    let last = m.acks().last().expect("acks").ack;
    assert_eq!(last, s.bytes_sent, "{name}: the last ACK covers every byte sent");
    assert_eq!(s.causality_violations, 0, "{name}: {:?}", m.causality().violations());
    // the text summary says the same numbers
    let text = stickyviz::export::text_timeline::summary(m, Lang::En);
    let line = |key: &str| {
        text.lines()
            .find(|l| l.starts_with(key))
            .map(|l| l[key.len()..].trim().to_string())
    };
    assert_eq!(line("ACKs (receiver → sender)"), Some(acks.to_string()), "{text}");
    assert_eq!(line("zero-window ACKs"), s.zero_window.map(|n| n.to_string()), "{text}");
    assert_eq!(
        line("retransmissions"),
        s.retransmissions.map(|n| n.to_string()),
        "{text}"
    );
}

#[test]
fn slow_reader_acks_are_counted_monotone_and_after_their_data() {
    let Some((events, m)) = run_preset("slow-reader").and_then(|(e, m)| captured("slow-reader", e, m)) else {
        return;
    };
    check_both_ways("slow-reader", &events, &m);
    // loopback loses nothing
    assert_eq!(m.summary().retransmissions, Some(0));
}

/// The flow-control lesson: 128 KiB cannot fit the 8 KiB buffers before the reader starts, so
/// the window must close; while it is closed the receive buffer (the gauge) is not empty, and
/// the sender has not finished writing.
#[test]
fn flow_control_closes_the_window_and_the_gauge_agrees() {
    let Some((events, m)) = run_preset("flow-control").and_then(|(e, m)| captured("flow-control", e, m)) else {
        return;
    };
    check_both_ways("flow-control", &events, &m);
    let s = &m.summary();
    assert!(s.zero_window.unwrap_or(0) > 0, "a zero window: {s:?}");
    assert_eq!(s.min_window, Some(0));
    assert_eq!(
        s.bytes_received, s.bytes_sent,
        "nothing lost: the sender was slowed down instead"
    );
    let zero: Vec<_> = m.acks().iter().filter(|a| a.window == 0).collect();
    for a in &zero {
        let at = TcpAt::at(&m, a.at_us);
        assert!(
            at.waiting() > 0,
            "zero window at {} µs, yet the gauge shows an empty receive buffer: {at:?}",
            a.at_us
        );
        assert!(
            a.ack <= at.on_wire.expect("captured"),
            "the ACK point is within what left"
        );
    }
    let first = zero[0];
    assert!(
        TcpAt::at(&m, first.at_us).written < s.bytes_sent,
        "the sender was still writing when the window closed"
    );
    // the exports show it too: the SVG's ACK row, the text timeline's ack lane and list
    let svg = stickyviz::export::svg::render_model(&m, &stickyviz::export::options::RenderOptions::default());
    assert!(
        svg.contains(r#"class="zero-window""#) && svg.contains(r#"class="ack""#),
        "the SVG marks ACKs and zero windows"
    );
    let text = stickyviz::export::text_timeline::render(&m, 100, Lang::En);
    let ack_lane = text.lines().find(|l| l.starts_with("ack ")).expect("an ack lane");
    assert!(ack_lane.contains('0') && ack_lane.contains('^'), "{ack_lane}");
    assert!(
        text.contains(&format!("zero window at +{} µs: ACK {}", first.at_us, first.ack)),
        "{text}"
    );
}

/// A lossy link retransmits (issue 19a's `--link`: a network namespace with a short tbf
/// queue): the capture marks the retransmissions, as many as the kernel's count at most, and
/// every frame arrives intact; the conversation both ways holds as on loopback.
#[test]
fn lossy_link_retransmits_and_delivers_every_frame() {
    let Some((events, m)) = run_preset("lossy-link") else {
        return;
    };
    if m.summary().acks.is_none() {
        return skip::skip(
            skip::Missing::Privilege,
            format!(
                "lossy-link ran without a capture of both directions ({:?})",
                m.segments_unavailable()
            ),
        );
    }
    check_both_ways("lossy-link", &events, &m);
    let again = m.summary().retransmissions.unwrap_or(0);
    assert!(again > 0, "{:?}", m.summary());
    // a retransmission the link dropped again never reached the capture
    assert!(
        again <= m.summary().retransmitted_tcp_info.expect("TCP_INFO counts them"),
        "{:?}",
        m.summary()
    );
    assert_eq!(m.summary().intact_frames, m.summary().frames);
    assert_eq!(m.summary().frames, m.summary().messages);
}

/// A bulk run is followed both ways like every lesson (issue 27: the capture reads a ring, so
/// the ACKs cost a 1 GiB transfer nothing measurable, docs/performance.md): its ACKs are
/// counted, monotone and after their data, and no "not captured" note is left.
#[test]
fn a_bulk_run_is_captured_both_ways() {
    let mut exp = presets::find("firehose").expect("preset").experiment;
    exp.workload.count = 300; // 300 × 64 KiB: once over the old 16 MiB one-way limit, still quick
    let events = Run::start(&exp, None).expect("starts").wait();
    let m = Model::from_events(&events);
    let Some((events, m)) = captured("firehose (300 writes)", events, m) else {
        return;
    };
    check_both_ways("firehose (300 writes)", &events, &m);
    assert_eq!(m.acks_not_captured(), None);
    let text = stickyviz::export::text_timeline::summary(&m, Lang::En);
    assert!(!text.contains("were not captured"), "{text}");
}
