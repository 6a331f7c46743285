//! "Test your server": `send --torture` runs a fixed set of adversarial scenarios against an
//! external echo server and says which cut of the stream breaks it.
//!
//! A server that frames correctly reads "exactly N bytes" in a loop; one that trusts a single
//! `recv(4)` / `recv(len)` works on loopback as long as every frame arrives in one piece, and
//! breaks the moment a piece is cut. Each [`Scenario`] forces one cut that real networks make
//! (short reads, segments split at any byte, frames merged in one segment), with pauses long
//! enough that the server's `recv()` really returns the piece alone.
//!
//! The server is expected to answer each frame with one frame in the same framing whose payload
//! is the request's, or the request's upper-cased (the course's servers answer `data.upper()`).
//! Every scenario uses connections of its own, so one broken scenario cannot spoil the next, and
//! ends within [`SCENARIO_TIMEOUT`] after its last write. Results are typed facts
//! ([`ScenarioReport`], [`Verdict`]); `describe` words them.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender};

use crate::framing::{FramingMode, LengthPrefix};

use super::fact::OsError;
use super::reply_cuts::{BYTE_PAUSE, SPLIT_PAUSE};
use super::sink::Wake;
use super::sock::{is_timeout, peer_gone, POLL};
use stickyviz_facts::torture::{
    Received, Scenario, ScenarioReport, Sent, Verdict, LARGE_BODY, MANY_FRAMES, PREVIEW, SCENARIO_TIMEOUT,
};

/// What `send --torture` points at and how it frames.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TortureOptions {
    pub target: SocketAddr,
    /// Must have frames (`none` is refused by [`start_torture`]'s callers); `naive-u32` sends
    /// and reads `u32` bytes.
    pub framing: FramingMode,
    pub length_prefix: LengthPrefix,
    /// Largest payload sent (caps [`LARGE_BODY`]) and accepted in a reply.
    pub max_frame_len: u32,
}

/// Running scenarios: their reports arrive one by one on [`Self::reports`], in
/// [`Scenario::ALL`]'s order; the channel closes after the last. Dropping it stops and joins.
pub struct TortureRun {
    reports: Receiver<ScenarioReport>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl TortureRun {
    pub fn reports(&self) -> &Receiver<ScenarioReport> {
        &self.reports
    }

    /// Whether every scenario has ended (its report is on the channel).
    pub fn is_finished(&self) -> bool {
        self.thread.as_ref().is_none_or(|t| t.is_finished())
    }

    /// Ends the scenario running now (reported as [`Verdict::Stopped`]) and skips the rest.
    pub fn stop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _panic_already_reported_by_the_hook = t.join();
        }
    }
}

impl Drop for TortureRun {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Starts running every scenario, one after the other, on a thread of its own. `wake` is the
/// GUI's repaint, called after each report.
pub fn start_torture(opts: TortureOptions, wake: Option<Wake>) -> std::io::Result<TortureRun> {
    let (tx, reports) = crossbeam_channel::unbounded();
    let stop = Arc::new(AtomicBool::new(false));
    let s = stop.clone();
    let thread = std::thread::Builder::new()
        .name("stickyviz-torture".into())
        .spawn(move || run_all(opts, &tx, &s, wake))?;
    Ok(TortureRun {
        reports,
        stop,
        thread: Some(thread),
    })
}

fn run_all(opts: TortureOptions, tx: &Sender<ScenarioReport>, stop: &AtomicBool, wake: Option<Wake>) {
    for scenario in Scenario::ALL {
        if stop.load(Ordering::Relaxed) {
            return;
        }
        let report = run_scenario(scenario, &opts, stop);
        if tx.send(report).is_err() {
            return;
        }
        if let Some(w) = &wake {
            w();
        }
    }
}

/// The bytes of one client's turn and how they are cut into writes.
struct Plan {
    payloads: Vec<Vec<u8>>,
    bytes: Vec<u8>,
    /// Where each write ends (the last is `bytes.len()`).
    cuts: Vec<usize>,
    pause: Duration,
}

impl Plan {
    fn sent(&self) -> Sent {
        Sent {
            frames: self.payloads.len() as u32,
            bytes: self.bytes.len() as u64,
            writes: self.cuts.len() as u32,
            pause_ms: if self.cuts.len() > 1 {
                self.pause.as_millis() as u64
            } else {
                0
            },
            preview: self.bytes[..self.bytes.len().min(PREVIEW)].to_vec(),
        }
    }
}

/// The mode frames are written and read in: `naive-u32` is `u32` on the wire.
fn wire(framing: FramingMode) -> FramingMode {
    match framing {
        FramingMode::NaiveU32 => FramingMode::U32,
        f => f,
    }
}

fn text_payload(label: &str, len: usize) -> Vec<u8> {
    label
        .bytes()
        .chain(b" abcdefghijklmnopqrstuvwxyz 0123456789".iter().copied().cycle())
        .take(len)
        .collect()
}

/// The plan of `scenario`, or `None` when the framing has no such part.
fn plan(scenario: Scenario, opts: &TortureOptions) -> Option<Plan> {
    let framing = wire(opts.framing);
    let max_payload = (opts.max_frame_len as u64).min(if framing == FramingMode::U32 {
        opts.length_prefix.max_value()
    } else {
        u64::MAX
    });
    let payloads: Vec<Vec<u8>> = match scenario {
        Scenario::ManyInOneWrite => (0..MANY_FRAMES)
            .map(|k| text_payload(&format!("frame {k} of {MANY_FRAMES}:"), 24 + k as usize))
            .collect(),
        Scenario::EmptyBody => vec![Vec::new()],
        Scenario::LargeBody => vec![text_payload("large body:", LARGE_BODY.min(max_payload as usize))],
        _ => vec![text_payload("hello stickyviz:", 24.min(max_payload as usize))],
    };
    let mut bytes = Vec::new();
    let mut header_len = 0;
    for (k, p) in payloads.iter().enumerate() {
        let h = framing.encode_with(opts.length_prefix, p, &mut bytes);
        if k == 0 {
            header_len = h;
        }
    }
    let len = bytes.len();
    let (cuts, pause) = match scenario {
        Scenario::ByteWrites => ((1..=len).collect(), BYTE_PAUSE),
        Scenario::HeaderApart => {
            // newline has no header: its text goes first, the line end after the pause
            let at = if header_len > 0 { header_len } else { payloads[0].len() };
            (vec![at, len], SPLIT_PAUSE)
        }
        Scenario::PrefixSplit => {
            let width = match framing {
                FramingMode::U32 => opts.length_prefix.width(),
                FramingMode::SeedJson => 4,
                _ => return None,
            };
            if width < 2 {
                return None;
            }
            (vec![width / 2, len], SPLIT_PAUSE)
        }
        _ => (vec![len], Duration::ZERO),
    };
    Some(Plan {
        payloads,
        bytes,
        cuts,
        pause,
    })
}

fn run_scenario(scenario: Scenario, opts: &TortureOptions, stop: &AtomicBool) -> ScenarioReport {
    let Some(plan) = plan(scenario, opts) else {
        return ScenarioReport {
            scenario,
            sent: Sent::default(),
            received: Received::default(),
            verdict: Verdict::NotApplicable,
        };
    };
    if scenario != Scenario::TwoClients {
        let (received, verdict) = match connect(opts.target) {
            Ok(conn) => exchange(conn, &plan, opts, stop),
            Err(error) => (Received::default(), Verdict::ConnectFailed { error }),
        };
        return ScenarioReport {
            scenario,
            sent: plan.sent(),
            received,
            verdict,
        };
    }
    // The first client connects and stays silent; the second must be answered meanwhile.
    let mut sent = plan.sent();
    let (first, second) = match connect(opts.target).and_then(|a| connect(opts.target).map(|b| (a, b))) {
        Ok(pair) => pair,
        Err(error) => {
            return ScenarioReport {
                scenario,
                sent,
                received: Received::default(),
                verdict: Verdict::ConnectFailed { error },
            }
        }
    };
    let (mut received, verdict) = exchange(second, &plan, opts, stop);
    let verdict = match verdict {
        Verdict::Timeout { waited_ms } => Verdict::NotConcurrent { waited_ms },
        v => v,
    };
    if verdict != Verdict::Pass {
        return ScenarioReport {
            scenario,
            sent,
            received,
            verdict,
        };
    }
    let (again, verdict) = exchange(first, &plan, opts, stop);
    sent.frames *= 2;
    sent.bytes *= 2;
    sent.writes *= 2;
    received.bytes += again.bytes;
    received.frames += again.frames;
    received.upper_cased &= again.upper_cased;
    ScenarioReport {
        scenario,
        sent,
        received,
        verdict,
    }
}

fn connect(target: SocketAddr) -> Result<TcpStream, OsError> {
    let conn = TcpStream::connect_timeout(&target, SCENARIO_TIMEOUT).map_err(|e| OsError::from(&e))?;
    // Each write must leave as its own segment: with Nagle, the bytes written during a pause
    // would wait for an ACK and merge, and the cut would not reach the server.
    let setup = conn
        .set_nodelay(true)
        .and_then(|()| conn.set_read_timeout(Some(POLL)))
        .and_then(|()| conn.set_write_timeout(Some(POLL)));
    setup.map_err(|e| OsError::from(&e))?;
    Ok(conn)
}

/// Writes `plan` on `conn` (on a thread of its own, so a server echoing a large body while it
/// reads never waits on us) and reads the reply until every frame is answered, the server
/// closes or fails, or [`SCENARIO_TIMEOUT`] passes with no byte written or read.
fn exchange(conn: TcpStream, plan: &Plan, opts: &TortureOptions, stop: &AtomicBool) -> (Received, Verdict) {
    let writer = match conn.try_clone() {
        Ok(w) => w,
        Err(e) => {
            return (
                Received::default(),
                Verdict::SendFailed {
                    error: OsError::from(&e),
                },
            )
        }
    };
    let progress = Progress::new();
    let give_up = AtomicBool::new(false);
    let write_error: Mutex<Option<Verdict>> = Mutex::new(None);
    let (received, verdict) = std::thread::scope(|scope| {
        scope.spawn(|| {
            if let Err(v) = write_plan(&writer, plan, stop, &give_up, &progress) {
                if let Ok(mut slot) = write_error.lock() {
                    *slot = Some(v);
                }
            }
        });
        let result = read_reply(&conn, plan, opts, stop, &progress);
        give_up.store(true, Ordering::Relaxed);
        result
    });
    let _closing_a_dead_connection_is_fine = conn.shutdown(Shutdown::Both);
    // A reply cut short because our own write failed is explained by the write's failure.
    let write_error = write_error.into_inner().ok().flatten();
    match (verdict, write_error) {
        (Verdict::Pass, _) => (received, Verdict::Pass),
        (v @ (Verdict::BadReply { .. } | Verdict::WrongPayload { .. } | Verdict::Reset { .. }), _) => (received, v),
        (_, Some(w)) => (received, w),
        (v, None) => (received, v),
    }
}

/// When a byte last moved either way, in ms since the exchange began.
struct Progress {
    start: Instant,
    last_ms: AtomicU64,
}

impl Progress {
    fn new() -> Self {
        Self {
            start: Instant::now(),
            last_ms: AtomicU64::new(0),
        }
    }

    fn moved(&self) {
        self.last_ms
            .store(self.start.elapsed().as_millis() as u64, Ordering::Relaxed);
    }

    fn stalled(&self) -> bool {
        self.start.elapsed().as_millis() as u64
            > self.last_ms.load(Ordering::Relaxed) + SCENARIO_TIMEOUT.as_millis() as u64
    }
}

fn write_plan(
    conn: &TcpStream,
    plan: &Plan,
    stop: &AtomicBool,
    give_up: &AtomicBool,
    progress: &Progress,
) -> Result<(), Verdict> {
    let mut from = 0;
    for (k, &to) in plan.cuts.iter().enumerate() {
        if k > 0 {
            std::thread::sleep(plan.pause);
        }
        if stop.load(Ordering::Relaxed) || give_up.load(Ordering::Relaxed) {
            return Ok(());
        }
        let mut piece = &plan.bytes[from..to];
        while !piece.is_empty() {
            if stop.load(Ordering::Relaxed) || give_up.load(Ordering::Relaxed) {
                return Ok(());
            }
            match (&*conn).write(piece) {
                Ok(n) => {
                    piece = &piece[n..];
                    progress.moved();
                }
                Err(e) if is_timeout(&e) => {}
                Err(e) if peer_gone(&e) => {
                    return Err(Verdict::Reset {
                        error: OsError::from(&e),
                    })
                }
                Err(e) => {
                    return Err(Verdict::SendFailed {
                        error: OsError::from(&e),
                    })
                }
            }
        }
        from = to;
    }
    Ok(())
}

fn read_reply(
    conn: &TcpStream,
    plan: &Plan,
    opts: &TortureOptions,
    stop: &AtomicBool,
    progress: &Progress,
) -> (Received, Verdict) {
    let mut received = Received {
        upper_cased: true,
        ..Received::default()
    };
    let max_reply = opts
        .max_frame_len
        .max(plan.payloads.iter().map(|p| p.len() as u32).max().unwrap_or(0));
    let Some(mut decoder) = wire(opts.framing).stream_decoder_with(max_reply, opts.length_prefix) else {
        return (received, Verdict::NotApplicable);
    };
    let mut buf = vec![0u8; 64 * 1024];
    let mut wrong: Option<u32> = None;
    loop {
        if stop.load(Ordering::Relaxed) {
            return (received, Verdict::Stopped);
        }
        match (&*conn).read(&mut buf) {
            Ok(0) => return (received, Verdict::Closed),
            Ok(n) => {
                progress.moved();
                let data = &buf[..n];
                let keep = PREVIEW.saturating_sub(received.preview.len()).min(n);
                received.preview.extend_from_slice(&data[..keep]);
                received.bytes += n as u64;
                let decoded = decoder.decode_chunk(data, |frame| {
                    let k = received.frames as usize;
                    received.frames += 1;
                    let Some(expected) = plan.payloads.get(k) else {
                        wrong.get_or_insert(k as u32);
                        return;
                    };
                    if frame.payload == expected.to_ascii_uppercase().as_slice() {
                        // an all-digit payload reads the same either way; lower-case text decides
                    } else if frame.payload == expected.as_slice() {
                        received.upper_cased = false;
                    } else {
                        wrong.get_or_insert(k as u32);
                    }
                });
                if let Err(error) = decoded {
                    return (received, Verdict::BadReply { error });
                }
                if let Some(frame) = wrong {
                    return (received, Verdict::WrongPayload { frame });
                }
                if received.frames as usize >= plan.payloads.len() {
                    return (received, Verdict::Pass);
                }
            }
            Err(e) if is_timeout(&e) => {
                if progress.stalled() {
                    return (
                        received,
                        Verdict::Timeout {
                            waited_ms: SCENARIO_TIMEOUT.as_millis() as u64,
                        },
                    );
                }
            }
            Err(e) if peer_gone(&e) => {
                return (
                    received,
                    Verdict::Reset {
                        error: OsError::from(&e),
                    },
                )
            }
            Err(e) => {
                return (
                    received,
                    Verdict::RecvFailed {
                        error: OsError::from(&e),
                    },
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scenarios_without_such_a_part_do_not_apply() {
        let opts = |framing, bytes| TortureOptions {
            target: SocketAddr::from(([127, 0, 0, 1], 9)),
            framing,
            length_prefix: LengthPrefix {
                bytes,
                ..LengthPrefix::default()
            },
            max_frame_len: 1 << 20,
        };
        assert!(plan(Scenario::PrefixSplit, &opts(FramingMode::Newline, 4)).is_none());
        assert!(plan(Scenario::PrefixSplit, &opts(FramingMode::U32, 1)).is_none());
        let split = plan(Scenario::PrefixSplit, &opts(FramingMode::SeedJson, 4)).expect("seed-json has a prefix");
        assert_eq!(split.cuts[0], 2, "the 4-byte prefix is cut 2 + 2");
        // a 1-byte prefix caps the large body at 255 bytes
        let large = plan(Scenario::LargeBody, &opts(FramingMode::U32, 1)).expect("applies");
        assert_eq!(large.payloads[0].len(), 255);
        // newline's "header apart" puts the line end in its own write
        let apart = plan(Scenario::HeaderApart, &opts(FramingMode::Newline, 4)).expect("applies");
        assert_eq!(&apart.bytes[apart.cuts[0]..], b"\n");
    }
}
