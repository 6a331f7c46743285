//! The wire lane shows what a network would carry (issue 27, issue 26), from real runs on
//! 127.0.0.1: a GSO batch (one packet on `lo`) is drawn as its MSS-sized segments, so the
//! capture's count is the kernel's `TCP_INFO` count; the reply direction of a request/response
//! run has its own captured segments; the text, the SVG and the pcapng export show the same.
//!
//! The capture needs root or `CAP_NET_RAW` (CI runs as root); without it each test says
//! "skipped" (a failure under `CI=true`, tests/support/skip.rs).

#[path = "support/skip.rs"]
mod skip;
use stickyviz::analysis::{check_causality, Model, Summary};
use stickyviz::engine::Run;
use stickyviz::facts::{Event, Side, SockOpt};
use stickyviz::i18n::Lang;
use stickyviz::presets;

fn run(exp: &stickyviz::config::Experiment) -> (Vec<Event>, Model) {
    let events = Run::start(exp, None).expect("the run starts").wait();
    let model = Model::from_events(&events);
    (events, model)
}

fn captured(name: &str, m: &Model) -> bool {
    if let Some(why) = m.segments_unavailable() {
        skip::skip(
            skip::Missing::Privilege,
            format!(
                "{name} needs a capture ({})",
                stickyviz::describe::capture_unavailable(why, Lang::En)
            ),
        );
        return false;
    }
    true
}

/// The capture's count is the kernel's: every data segment `TCP_INFO` counted was captured
/// (new bytes or again), unless the capture's ring dropped it (then said); without a
/// retransmission or a drop the two counts are equal.
fn counts_agree_with_tcp_info(what: &str, s: &Summary) {
    let new = s.segments_captured.expect("captured");
    let again = s.retransmissions.unwrap_or(0);
    let kernel = s
        .segments_tcp_info
        .unwrap_or_else(|| panic!("{what}: TCP_INFO counted: {s:?}"));
    let dropped = s.segments_capture_dropped.unwrap_or(0);
    assert!(
        new <= kernel,
        "{what}: {new} new segments captured, {kernel} by TCP_INFO"
    );
    assert!(
        new + again + dropped >= kernel,
        "{what}: {new} + {again} again captured, {kernel} by TCP_INFO, {dropped} dropped by the capture"
    );
    if again == 0 && dropped == 0 && s.retransmitted_tcp_info.unwrap_or(0) == 0 {
        assert_eq!(new, kernel, "{what}");
    }
}

/// The events of one axis (the reply axis unwrapped), in order.
fn axis(events: &[Event], reply: bool) -> Vec<&Event> {
    events
        .iter()
        .filter_map(|e| match (e, reply) {
            (Event::Reply { event }, true) => Some(&**event),
            (Event::Reply { .. } | Event::Conn { .. }, false) => None,
            (e, false) => Some(e),
            _ => None,
        })
        .collect()
}

/// Every captured segment of an axis lies inside the bytes written on it; each batch is
/// followed by exactly its segments: `gso_size` bytes each but the last, from the batch's
/// first byte to its last, stamped alike. Returns the batches seen.
fn segments_inside_and_batches_whole(what: &str, events: &[&Event]) -> u64 {
    let written: u64 = events
        .iter()
        .map(|e| match e {
            Event::Write { len, .. } => u64::from(*len),
            _ => 0,
        })
        .sum();
    let mut batches = 0;
    for (i, e) in events.iter().enumerate() {
        match e {
            Event::Segment { offset, len, .. } | Event::Retransmission { offset, len, .. } => {
                assert!(
                    *len > 0 && offset.0 + u64::from(*len) <= written,
                    "{what}: {e:?} outside 0..{written}"
                );
            }
            Event::GsoBatch {
                at_us,
                offset,
                len,
                segments,
                gso_size,
            } => {
                batches += 1;
                let parts: Vec<(u64, u64, u32)> = events[i + 1..]
                    .iter()
                    .filter_map(|e| match e {
                        Event::Segment { at_us, offset, len, .. }
                        | Event::Retransmission { at_us, offset, len, .. } => Some((*at_us, offset.0, *len)),
                        _ => None,
                    })
                    .take(*segments as usize)
                    .collect();
                assert_eq!(parts.len(), *segments as usize, "{what}: {e:?}");
                let mut next = offset.0;
                for (k, &(t, off, l)) in parts.iter().enumerate() {
                    assert_eq!((t, off), (*at_us, next), "{what}: part {k} of {e:?}");
                    let last = k + 1 == parts.len();
                    assert!(
                        if last { l <= *gso_size } else { l == *gso_size },
                        "{what}: part {k} {l} B of {e:?}"
                    );
                    next += u64::from(l);
                }
                assert_eq!(next, offset.0 + u64::from(*len), "{what}: the parts make the batch");
            }
            _ => {}
        }
    }
    batches
}

/// `run --mss 1000 --size 10000` on plain loopback: `lo` carries batches of up to 10,000 bytes
/// whole; the lane draws segments no bigger than the connection's MSS, and counts as many
/// as `TCP_INFO`. The text timeline and its summary show the batches.
#[test]
fn gso_batches_are_drawn_as_mss_segments_that_tcp_info_counts() {
    let mut exp = presets::find("slow-reader").expect("preset").experiment;
    exp.mss = Some(1000);
    exp.workload.count = 6;
    exp.workload.size_min = 10_000;
    exp.workload.size_max = 10_000;
    let (events, m) = run(&exp);
    if !captured("the GSO split", &m) {
        return;
    }
    let s = m.summary();
    counts_agree_with_tcp_info("--mss 1000", s);
    let mss = m
        .option(Side::TcpSender, SockOpt::Mss)
        .expect("the MSS was recorded")
        .actual as u32;
    assert!(mss <= 1000, "{mss}");
    for g in m.segments().iter().chain(m.retransmissions()) {
        assert!(g.len <= mss, "a {} B segment over the MSS of {mss}", g.len);
    }
    let batches = segments_inside_and_batches_whole("--mss 1000", &axis(&events, false));
    assert!(
        batches > 0,
        "10,000-byte writes over a 1,000-byte MSS leave lo in GSO batches"
    );
    assert_eq!(s.gso_batches, batches);
    assert_eq!(m.gso_batches().len() as u64, batches);
    assert_eq!(
        check_causality(&events).count(),
        0,
        "no segment before its write or after its read"
    );
    let text = stickyviz::export::text_timeline::render(&m, 100, Lang::En)
        + &stickyviz::export::text_timeline::summary(&m, Lang::En);
    assert!(text.lines().any(|l| l.starts_with("gso ")), "{text}");
    assert!(
        text.contains(&format!("GSO batches (cut up)        {batches}:")),
        "{text}"
    );
    if s.segments_capture_dropped == Some(0) {
        let line = text
            .lines()
            .find(|l| l.starts_with("segments captured"))
            .expect("a line");
        let kernel = s.segments_tcp_info.expect("counted").to_string();
        assert!(line.ends_with(&format!(" {kernel}")), "no gap to explain: {line}");
    }
    let svg = stickyviz::export::svg::render_model(&m, &stickyviz::export::options::RenderOptions::default());
    assert!(svg.contains(r#"class="gso-batch""#));
}

/// big-reply's lesson is the reply: its wire lane is captured as the requests' is (no "no
/// capture"), every reply segment lies inside the replies written, the count is the server's
/// `TCP_INFO` count, and with a small MSS the replies' GSO batches are cut up too.
#[test]
fn the_reply_direction_has_its_own_captured_wire_lane() {
    for mss in [None, Some(1000)] {
        let mut exp = presets::find("big-reply").expect("preset").experiment;
        exp.mss = mss;
        let what = format!("big-reply, MSS {mss:?}");
        let (events, m) = run(&exp);
        if !captured(&what, &m) {
            return;
        }
        let replies = &m.echo().expect("a reply axis").replies;
        assert_eq!(replies.segments_unavailable(), None, "{what}");
        let s = replies.summary();
        assert!(!replies.segments().is_empty(), "{what}");
        counts_agree_with_tcp_info(&what, s);
        let reply_events = axis(&events, true);
        let batches = segments_inside_and_batches_whole(&what, &reply_events);
        assert_eq!(s.gso_batches, batches, "{what}");
        // the lane covers the reply stream: every byte written back left in some segment
        let mut covered = 0u64;
        for g in replies.segments() {
            assert!(g.offset <= covered, "{what}: a gap before {}", g.offset);
            covered = covered.max(g.end());
        }
        assert_eq!(covered, s.bytes_sent, "{what}");
        assert_eq!(check_causality(&events).count(), 0, "{what}");
        // the request axis keeps its own count and its ACKs
        counts_agree_with_tcp_info(&what, m.summary());
        let report = stickyviz::export::echo_report::render(&m, &exp, 100, Lang::En);
        assert!(!report.contains("no capture"), "{what}: {report}");
        let zh = stickyviz::export::echo_report::render(&m, &exp, 100, Lang::Zh);
        assert!(!zh.contains("未抓包"), "{what}: {zh}");
        let svg = stickyviz::export::svg::render_model(replies, &stickyviz::export::options::RenderOptions::default());
        assert!(svg.contains(r#"class="segment""#), "{what}");
    }
}
