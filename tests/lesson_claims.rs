//! Lessons state only what the setup forces (design.md §7, issue 26). Each preset lists every
//! number its texts write (`presets::Claim`); this file checks
//! - that the list is complete: every number in the explanation and the look-at sentence, in
//!   English and in Chinese, is listed (a setting, a fact outside the run, or a claim);
//! - that a claim said to vary is called varying in both languages;
//! - that every forced claim holds on every one of many runs of the lesson.
//!
//! Runs: [`RUNS`] of each lesson whose outcome depends on timing (the figure), fewer of
//! those whose claims the setup forces whatever the threads do (see [`runs_of`]).

#[path = "support/link_checks.rs"]
#[allow(dead_code)] // its frame check asserts; the claims are checked run by run here
mod link_checks;
#[path = "support/skip.rs"]
mod skip;

use stickyviz::analysis::{DatagramFate, Model};
use stickyviz::config::Experiment;
use stickyviz::engine::Run;
use stickyviz::facts::EngineError;
use stickyviz::i18n::{t, Lang};
use stickyviz::presets::{self, Claim, Outcome, Preset};

/// Runs of a lesson whose outcome depends on when threads run or how busy the machine is.
const RUNS: usize = 20;

/// How many runs a lesson gets. Those whose claims the setup forces by sizes alone cannot come
/// out otherwise, so a few runs show it: a datagram bigger than the buffer, a 2500-byte reply
/// read 1024 bytes at a time, a refused HMAC, a bind to a port in TIME_WAIT, 128 KiB against
/// 16 KiB of buffers (flow-control), 60,004 bytes in 20 ms at most 0.5 MB/s (send-vs-sendall),
/// 2000 datagrams into 8 KiB (udp-flood). The ones that depend on when threads run (a reader
/// 50 ms late, Nagle's ACK timing, 20 ms between pieces, the delayed ACK) get [`RUNS`]. The
/// link lessons run in a namespace through the binary, and firehose on a smaller size.
///
/// Measured here (2 cores, debug build, one test at a time): 20 runs of slow-reader 1.3 s,
/// naive-header 3.4 s, echo on 5 requests 4.4 s; the whole file about 19 s.
fn runs_of(name: &str) -> usize {
    match name {
        "slow-reader" | "nagle-burst" | "json-header" | "naive-header" | "udp-echo" | "echo" => RUNS,
        _ => 3,
    }
}

/// The lesson's settings, smaller where the claim does not depend on the size: firehose on 64
/// messages instead of 16,384 (the same writes and reads); echo on 5 requests instead of 20
/// (each takes a delayed ACK, ~44 ms; only the first is answered at once, Linux's quick-ACK
/// mode at the start of a connection, so the median is still a stalled one).
fn experiment(p: &Preset) -> Experiment {
    let mut exp = p.experiment.clone();
    match p.name {
        "firehose" => exp.workload.count = 64,
        "echo" => exp.workload.count = 5,
        _ => {}
    }
    exp
}

/// Every number written in `text`: runs of digits, with the commas and points inside them
/// ("10,004", "3.8"); digits glued to a word are part of its name (md5, u32, SHA256).
fn numbers(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let in_name = i > 0 && chars[i - 1].is_ascii_alphabetic();
        if chars[i].is_ascii_digit() && in_name {
            while i < chars.len() && chars[i].is_ascii_alphanumeric() {
                i += 1;
            }
        } else if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_digit()
                    || ((chars[i] == ',' || chars[i] == '.') && chars.get(i + 1).is_some_and(|c| c.is_ascii_digit())))
            {
                i += 1;
            }
            out.push(chars[start..i].iter().collect());
        } else {
            i += 1;
        }
    }
    out
}

fn texts(p: &Preset) -> [(Lang, String); 2] {
    Lang::ALL.map(|lang| (lang, format!("{} {}", t(lang, p.summary), t(lang, p.look))))
}

#[test]
fn numbers_are_found_in_a_text() {
    assert_eq!(
        numbers("recv(512), 10,004-byte, Python 3.8. 1 GiB, 粘包 12 条, md5 u32 HMAC-SHA256"),
        ["512", "10,004", "3.8", "1", "12"]
    );
}

#[test]
fn every_number_in_a_lessons_texts_is_listed() {
    let mut missing = Vec::new();
    for p in presets::all() {
        let listed: Vec<&str> = p.claims.iter().map(|c| c.number()).collect();
        for (lang, text) in texts(&p) {
            for n in numbers(&text) {
                if !listed.contains(&n.as_str()) {
                    missing.push(format!("{} ({lang:?}): '{n}' is neither a setting nor a claim", p.name));
                }
            }
        }
        for c in p.claims {
            let n = c.number();
            if !n.is_empty() && !matches!(c, Claim::Given(_)) {
                for (lang, text) in texts(&p) {
                    if !numbers(&text).iter().any(|m| m == n) {
                        missing.push(format!("{} ({lang:?}): the claimed '{n}' is not in the text", p.name));
                    }
                }
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn a_varying_outcome_is_called_varying_in_both_languages() {
    for p in presets::all() {
        if !p.claims.iter().any(|c| matches!(c, Claim::Varies { .. })) {
            continue;
        }
        let [(_, en), (_, zh)] = texts(&p);
        assert!(en.contains("var"), "{}: the English text says what varies", p.name);
        assert!(
            zh.contains("变化") || zh.contains("不同"),
            "{}: the Chinese text says what varies",
            p.name
        );
    }
}

/// Whether `outcome` held in this run; `None` when the run could not show it (no capture).
fn holds(outcome: Outcome, exp: &Experiment, m: &Model) -> Option<bool> {
    let s = m.summary();
    let echo = m.echo();
    Some(match outcome {
        Outcome::MergedReads => s.merged_reads > 0,
        Outcome::SplitMessages => s.split_messages > 0,
        Outcome::FewerSegmentsThanWrites => s.segments()? < s.writes,
        Outcome::SegmentsAtMostMss => {
            let mss = link_checks::snd_mss(m);
            !m.segments().is_empty() && m.segments().iter().all(|g| u64::from(g.len) <= mss)
        }
        Outcome::EveryFrameIntact => {
            s.decode_errors == 0 && s.frames == u64::from(exp.workload.count) && s.intact_frames == s.frames
        }
        Outcome::DecodeError => s.decode_errors > 0,
        Outcome::FramesGoWrong => s.decode_errors > 0 || s.intact_frames < s.frames,
        Outcome::EveryDatagramWhole => {
            !m.datagrams().is_empty()
                && m.datagrams()
                    .iter()
                    .all(|d| m.datagram_fate(d) == DatagramFate::Delivered && d.received.map(|(n, _)| n) == Some(d.len))
        }
        Outcome::DatagramsTruncated => s.datagrams_truncated > 0,
        Outcome::DatagramsDropped => s.datagrams_dropped? > 0,
        Outcome::EmptyDatagramsArrive => {
            s.datagrams_sent == u64::from(exp.workload.count)
                && s.datagrams_received == s.datagrams_sent
                && m.datagrams()
                    .iter()
                    .all(|d| d.len == 0 && d.received.map(|(n, _)| n) == Some(0))
        }
        Outcome::NoTcpBytes => s.bytes_sent == 0 && s.bytes_received == 0,
        Outcome::ZeroWindow => s.zero_window? > 0,
        Outcome::NothingLost => s.bytes_sent > 0 && s.bytes_received == s.bytes_sent,
        Outcome::Retransmissions => s.retransmissions.or(s.retransmitted_tcp_info)? > 0,
        Outcome::MostRequestsStall => echo?.median_latency_us()? >= stickyviz::analysis::echo::STALL_US,
        Outcome::ReplyMergedReads => echo?.replies.summary().merged_reads > 0,
        Outcome::ReplySplit => echo?.replies.summary().split_messages > 0,
        Outcome::ConnectionsKeepTheirBytes => {
            let echo = echo?;
            echo.connections.len() + 1 == exp.echo.map_or(1, |e| e.connections as usize)
                && std::iter::once(m).chain(echo.connections.iter()).all(|c| {
                    let s = c.summary();
                    s.messages == u64::from(exp.workload.count) && s.bytes_received == s.bytes_sent
                })
        }
        Outcome::HandshakeAccepted => {
            let challenge = echo?.replies.frames().first().map(|f| (f.len, f.intact));
            let answer = m.frames().first().map(|f| (f.len, f.intact));
            challenge == Some((32, true)) && answer == Some((32, true)) && m.problems().is_empty()
        }
        Outcome::HandshakeRefused => m.frames().first().map(|f| f.intact) == Some(false) && echo?.rounds.is_empty(),
        Outcome::ShortWrites => s.messages > 0 && s.short_writes == s.messages,
        Outcome::SecondBindFails => m.restart()?.bind_after_close()?.address_in_use(),
    })
}

/// One run of `p`; `None` when its link cannot be made here (said, as the skip rules want).
fn run(p: &Preset, exp: &Experiment) -> Option<Model> {
    stickyviz::engine::link::set_child_binary(env!("CARGO_BIN_EXE_stickyviz"));
    match Run::start(exp, None) {
        Ok(run) => Some(Model::from_events(&run.wait())),
        Err(EngineError::Link(why)) => {
            skip::skip_link(p.name, &why);
            None
        }
        Err(e) => panic!("{} starts: {e}", p.name),
    }
}

fn check_lesson(name: &str) {
    let p = presets::find(name).unwrap_or_else(|| panic!("preset {name}"));
    let exp = experiment(&p);
    let forced: Vec<Outcome> = p
        .claims
        .iter()
        .filter_map(|c| match c {
            Claim::Forced { outcome, .. } => Some(*outcome),
            _ => None,
        })
        .collect();
    let mut failures = Vec::new();
    let runs = runs_of(name);
    for k in 0..runs {
        let Some(m) = run(&p, &exp) else { return };
        for &o in &forced {
            match holds(o, &exp, &m) {
                Some(true) => {}
                Some(false) => failures.push(format!("{name}: run {k}: {o:?} did not hold: {:?}", m.summary())),
                // the capture is a privilege: without it a zero window cannot be seen
                None if o == Outcome::ZeroWindow => {
                    skip::skip(skip::Missing::Privilege, format!("{name}: no segment capture"))
                }
                None => failures.push(format!("{name}: run {k}: {o:?} could not be told")),
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {runs} runs:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

macro_rules! lessons {
    ($($test:ident => $name:literal,)*) => {
        $(
            #[test]
            fn $test() {
                check_lesson($name);
            }
        )*

        #[test]
        fn every_lesson_is_checked_here() {
            let checked = [$($name,)*];
            for p in presets::all() {
                assert!(checked.contains(&p.name), "{} has no claims test", p.name);
            }
        }
    };
}

lessons! {
    slow_reader_claims_hold_on_every_run => "slow-reader",
    nagle_burst_claims_hold_on_every_run => "nagle-burst",
    json_header_claims_hold_on_every_run => "json-header",
    naive_header_claims_hold_on_every_run => "naive-header",
    udp_echo_claims_hold_on_every_run => "udp-echo",
    firehose_claims_hold_on_every_run => "firehose",
    udp_truncate_claims_hold_on_every_run => "udp-truncate",
    udp_flood_claims_hold_on_every_run => "udp-flood",
    udp_empty_claims_hold_on_every_run => "udp-empty",
    flow_control_claims_hold_on_every_run => "flow-control",
    echo_claims_hold_on_every_run => "echo",
    big_reply_claims_hold_on_every_run => "big-reply",
    hmac_handshake_claims_hold_on_every_run => "hmac-handshake",
    hmac_wrong_key_claims_hold_on_every_run => "hmac-wrong-key",
    many_clients_claims_hold_on_every_run => "many-clients",
    real_mss_claims_hold_on_every_run => "real-mss",
    lossy_link_claims_hold_on_every_run => "lossy-link",
    udp_lossy_claims_hold_on_every_run => "udp-lossy",
    send_vs_sendall_claims_hold_on_every_run => "send-vs-sendall",
    address_in_use_claims_hold_on_every_run => "address-in-use",
}
