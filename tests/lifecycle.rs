//! Start pressed 500 times: 500 start/stop cycles of the real engine in one process.
//!
//! Each cycle starts a run (a preset or a hand-made experiment, TCP and UDP, one-way and
//! request/response, many clients, the `listen` and `send` peers), brings it to a chosen point
//! and presses Stop there:
//!
//! - right after start, before any thread did much;
//! - mid-write: the sender is blocked on a full send buffer (forced: tiny buffers, a reader that
//!   reads 10 bytes every 10 s, and the cycle waits until a `send()` returned short);
//! - mid-read: the reader sleeps between two reads (forced: 10 s between reads, and the cycle
//!   waits for the first read);
//! - a few milliseconds in, wherever the threads are;
//! - after the natural end;
//! - after a raw-socket peer reset the connection (SO_LINGER 0) against the `listen` server or
//!   against the app's sender.
//!
//! Every Stop must return within 1 s with every thread joined, and at the end the process must
//! hold exactly the file descriptors and threads it held before. This file holds one test only:
//! it counts the whole process's descriptors and threads, which other tests would disturb.

#[path = "support/skip.rs"]
mod skip;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::{Duration, Instant};

use socket2::SockRef;
use stickyviz::analysis::Model;
use stickyviz::config::{Experiment, Transports, Workload, WriteSplit};
use stickyviz::engine::peer::{self, ListenOptions};
use stickyviz::engine::Run;
use stickyviz::facts::{ClientOutcome, EndReason, Event, Side};
use stickyviz::framing::{DecodeError, FramingMode};
use stickyviz::presets;

const CYCLES: usize = 500;
/// How long a cycle may take to reach its stop point before the test calls it broken.
const REACH_LIMIT: Duration = Duration::from_secs(10);

/// Where in a run Stop is pressed.
#[derive(Clone, Copy, Debug)]
enum StopPoint {
    RightAfterStart,
    /// Until a `send()` returned fewer bytes than it was given: the send buffer is full.
    MidWrite,
    /// Until the first `recv()` returned: the reader now sleeps before the next one.
    MidRead,
    /// After this many milliseconds, wherever the threads are.
    After {
        ms: u64,
    },
    /// After the run ended by itself.
    NaturalEnd,
    /// After `listen` reported its client's connection over (a reset, a header it refused).
    ClientReported,
    /// After `listen` read its client's first bytes.
    ClientTalking,
}

/// How a cycle's run is made.
#[derive(Clone, Debug)]
enum Kind {
    Engine(Box<Experiment>),
    /// `listen --tcp` with this framing, and a raw client that does `client`.
    Listen {
        framing: FramingMode,
        echo: bool,
        client: Hostile,
    },
    /// `send --tcp` against a raw server that reads a little and resets.
    SendReset {
        nagle: bool,
    },
    /// `listen --udp`, stopped while datagrams arrive.
    ListenUdp,
}

/// What the raw client of a `listen` cycle does.
#[derive(Clone, Copy, Debug)]
enum Hostile {
    /// Sends half a frame, then resets (SO_LINGER 0) just before Stop.
    ResetMidFrame,
    /// Connects and sends nothing.
    Silent,
    /// Sends as fast as it can and never reads: with echo on, the listener's replies fill the
    /// buffers and its `send()` blocks.
    FloodNoRead,
    /// Sends a length header of 4 GiB - 1.
    HugeHeader,
}

#[derive(Clone, Debug)]
struct Scenario {
    name: String,
    kind: Kind,
    stop: StopPoint,
}

/// Keeps a preset's shape but makes it small: the count of cycles is the point, not their size.
fn tiny(mut exp: Experiment) -> Experiment {
    let w = &mut exp.workload;
    w.count = w.count.min(20);
    w.size_max = w.size_max.min(3000);
    w.size_min = w.size_min.min(w.size_max);
    w.gap_us = w.gap_us.min(2_000);
    w.chunk_gap_us = w.chunk_gap_us.min(2_000);
    w.burst_gap_us = w.burst_gap_us.min(2_000);
    exp.receiver.start_delay_ms = exp.receiver.start_delay_ms.min(5);
    exp.udp.start_delay_ms = exp.udp.start_delay_ms.min(5);
    exp
}

/// A sender that fills its buffer: 10 kB messages, 4 kB buffers, a reader of 10 bytes per 10 s.
fn blocked_writer(framing: FramingMode, nagle: bool, split: WriteSplit) -> Experiment {
    let mut exp = Experiment {
        transports: Transports::Tcp,
        framing,
        ..Experiment::default()
    };
    exp.workload = Workload {
        count: 100_000,
        size_min: 10_000,
        size_max: 10_000,
        ..Workload::default()
    };
    exp.sender.nagle = nagle;
    exp.sender.split = split;
    exp.sender.sndbuf = Some(4096);
    exp.receiver.rcvbuf = Some(4096);
    exp.receiver.read_size = 10;
    exp.receiver.read_delay_ms = 10_000;
    exp.receiver.start_delay_ms = 0;
    exp
}

/// A reader that sleeps 10 s after every `recv()`.
fn sleepy_reader(framing: FramingMode, transports: Transports) -> Experiment {
    let mut exp = Experiment {
        transports,
        framing,
        ..Experiment::default()
    };
    exp.workload = Workload {
        count: 50,
        size_min: 10,
        size_max: 500,
        ..Workload::default()
    };
    exp.receiver.read_size = 64;
    exp.receiver.read_delay_ms = 10_000;
    exp.receiver.start_delay_ms = 0;
    exp.udp.start_delay_ms = 0;
    exp
}

fn scenarios() -> Vec<Scenario> {
    let mut all = Vec::new();
    let mut add = |name: String, kind: Kind, stop: StopPoint| all.push(Scenario { name, kind, stop });
    // the link lessons run in a child process: the real binary, not this test's
    stickyviz::engine::link::set_child_binary(env!("CARGO_BIN_EXE_stickyviz"));
    for p in presets::all() {
        let exp = tiny(p.experiment.clone());
        if let Err(stickyviz::facts::EngineError::Link(why)) = Run::start(&exp, None).map(Run::wait) {
            skip::skip_link(p.name, &why);
            continue;
        }
        for stop in [
            StopPoint::RightAfterStart,
            StopPoint::After { ms: 3 },
            StopPoint::After { ms: 15 },
            StopPoint::NaturalEnd,
        ] {
            add(
                format!("{} {stop:?}", p.name),
                Kind::Engine(Box::new(exp.clone())),
                stop,
            );
        }
    }
    for framing in [
        FramingMode::None,
        FramingMode::U32,
        FramingMode::SeedJson,
        FramingMode::Newline,
        FramingMode::NaiveU32,
    ] {
        for nagle in [true, false] {
            let exp = blocked_writer(framing, nagle, WriteSplit::Whole);
            add(
                format!("blocked writer {} nagle {nagle}", framing.name()),
                Kind::Engine(Box::new(exp)),
                StopPoint::MidWrite,
            );
        }
        let exp = sleepy_reader(framing, Transports::Tcp);
        add(
            format!("sleepy reader {}", framing.name()),
            Kind::Engine(Box::new(exp)),
            StopPoint::MidRead,
        );
    }
    let exp = blocked_writer(FramingMode::SeedJson, true, WriteSplit::HeaderThenBody);
    add(
        "blocked writer seed-json header-body".into(),
        Kind::Engine(Box::new(exp)),
        StopPoint::MidWrite,
    );
    let exp = blocked_writer(FramingMode::U32, false, WriteSplit::Chunks { bytes: 3000 });
    add(
        "blocked writer u32 chunks".into(),
        Kind::Engine(Box::new(exp)),
        StopPoint::MidWrite,
    );
    let exp = sleepy_reader(FramingMode::U32, Transports::Both);
    add(
        "sleepy reader tcp+udp".into(),
        Kind::Engine(Box::new(exp)),
        StopPoint::MidRead,
    );
    for framing in [FramingMode::None, FramingMode::U32, FramingMode::SeedJson] {
        for echo in [false, true] {
            for client in [
                Hostile::ResetMidFrame,
                Hostile::Silent,
                Hostile::FloodNoRead,
                Hostile::HugeHeader,
            ] {
                let name = format!("listen {} echo {echo}: client {client:?}", framing.name());
                let ends_itself = match client {
                    Hostile::ResetMidFrame => true,
                    Hostile::HugeHeader => framing != FramingMode::None,
                    Hostile::Silent | Hostile::FloodNoRead => false,
                };
                let stop = match client {
                    _ if ends_itself => StopPoint::ClientReported,
                    Hostile::Silent => StopPoint::After { ms: 5 },
                    _ => StopPoint::ClientTalking,
                };
                add(name, Kind::Listen { framing, echo, client }, stop);
            }
        }
    }
    for nagle in [true, false] {
        add(
            format!("send nagle {nagle}: server resets"),
            Kind::SendReset { nagle },
            StopPoint::NaturalEnd,
        );
    }
    add("listen udp".into(), Kind::ListenUdp, StopPoint::After { ms: 5 });
    all
}

fn count_dir(path: &str) -> usize {
    std::fs::read_dir(path).map_or(0, Iterator::count)
}

fn fds() -> usize {
    count_dir("/proc/self/fd")
}

fn threads() -> usize {
    count_dir("/proc/self/task")
}

/// Closes with SO_LINGER 0: the kernel sends a reset instead of a FIN.
fn reset(stream: TcpStream) {
    SockRef::from(&stream)
        .set_linger(Some(Duration::ZERO))
        .expect("SO_LINGER");
    drop(stream);
}

/// Collects the run's events until `reached` says the stop point has come; panics past
/// [`REACH_LIMIT`] (the run never got there: a broken scenario or a broken engine).
fn wait_until(run: &Run, events: &mut Vec<Event>, name: &str, mut reached: impl FnMut(&[Event], &Run) -> bool) {
    let end = Instant::now() + REACH_LIMIT;
    loop {
        events.extend(run.events().try_iter().flatten());
        if reached(events, run) {
            return;
        }
        assert!(
            Instant::now() < end,
            "{name}: the stop point was not reached within {REACH_LIMIT:?}"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// Whether a `send()` returned before the end of the piece it was given (a piece being what
/// the sender's split hands to one `send()`): the kernel took only what fit in a full buffer.
fn short_write_seen(events: &[Event], split: WriteSplit) -> bool {
    let mut piece_ends: Vec<u64> = Vec::new();
    for e in events {
        match e {
            Event::Message {
                offset,
                len,
                header_len,
                ..
            } => {
                let (start, end) = (offset.0, offset.0 + u64::from(*len));
                piece_ends = match split {
                    WriteSplit::Whole => vec![end],
                    WriteSplit::HeaderThenBody => vec![start + u64::from(*header_len), end],
                    WriteSplit::Chunks { bytes } => (start..end).step_by(bytes as usize).skip(1).chain([end]).collect(),
                };
            }
            Event::Write { offset, len, .. } if !piece_ends.contains(&(offset.0 + u64::from(*len))) => return true,
            _ => {}
        }
    }
    false
}

fn tcp_reads(events: &[Event]) -> usize {
    events.iter().filter(|e| matches!(e, Event::Read { .. })).count()
}

/// Starts the scenario's run; returns it with the raw peer socket the cycle must close later.
fn start(s: &Scenario) -> (Run, Option<TcpStream>) {
    match &s.kind {
        Kind::Engine(exp) => (
            Run::start(exp, None).unwrap_or_else(|e| panic!("{}: start failed: {e}", s.name)),
            None,
        ),
        Kind::Listen { framing, echo, client } => {
            let (listener, addr) = peer::bind_tcp(SocketAddr::from(([127, 0, 0, 1], 0))).expect("bind listen");
            let opts = ListenOptions {
                framing: *framing,
                read_size: 1024,
                max_frame_len: 1 << 20,
                length_prefix: Default::default(),
                echo: *echo,
                idle_ms: 200,
                clients: 0,
                torture: false,
                refusal: "full\n",
            };
            let run = peer::listen_tcp(listener, opts, None).expect("listen starts");
            let mut stream = TcpStream::connect(addr).expect("connect to listen");
            match client {
                Hostile::ResetMidFrame => {
                    // Half a frame of whichever framing: a header announcing 100 bytes, then 3.
                    let mut half = Vec::new();
                    framing.encode(&[b'x'; 100], &mut half);
                    half.truncate(half.len() - 97);
                    stream.write_all(&half).expect("write half a frame");
                    (run, Some(stream))
                }
                Hostile::Silent => (run, Some(stream)),
                Hostile::FloodNoRead => {
                    stream.set_nonblocking(true).expect("non-blocking client");
                    // Well-formed frames, so only the flood itself is the listener's problem.
                    let mut chunk = Vec::new();
                    while chunk.len() < 60_000 {
                        framing.encode(&[b'f'; 1000], &mut chunk);
                    }
                    let (mut sent, mut at) = (0usize, 0usize);
                    let end = Instant::now() + Duration::from_millis(30);
                    while Instant::now() < end && sent < 64 << 20 {
                        // A short write leaves the rest of the chunk to go first: frames stay whole.
                        match stream.write(&chunk[at..]) {
                            Ok(n) => (sent, at) = (sent + n, (at + n) % chunk.len()),
                            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                                std::thread::sleep(Duration::from_millis(1))
                            }
                            Err(e) => panic!("{}: flood write failed: {e}", s.name),
                        }
                    }
                    (run, Some(stream))
                }
                Hostile::HugeHeader => {
                    // u32: big-endian 0xffffffff; seed-json: little-endian i32::MAX; none: bytes.
                    stream
                        .write_all(&[0xff, 0xff, 0xff, 0x7f, b'{'])
                        .expect("write huge header");
                    (run, Some(stream))
                }
            }
        }
        Kind::SendReset { nagle } => {
            let server = TcpListener::bind("127.0.0.1:0").expect("bind raw server");
            let mut exp = Experiment {
                transports: Transports::Tcp,
                ..Experiment::default()
            };
            exp.workload = Workload {
                count: 10_000,
                size_min: 10_000,
                size_max: 10_000,
                ..Workload::default()
            };
            exp.sender.nagle = *nagle;
            let (run, _replies) =
                peer::send_tcp(server.local_addr().expect("address"), &exp, None).expect("send starts");
            let (mut conn, _) = server.accept().expect("accept the app's sender");
            let mut first = [0u8; 100];
            conn.read_exact(&mut first).expect("the first bytes arrive");
            (run, Some(conn))
        }
        Kind::ListenUdp => {
            let (socket, addr) = peer::bind_udp(SocketAddr::from(([127, 0, 0, 1], 0))).expect("bind udp");
            let opts = ListenOptions {
                framing: FramingMode::None,
                read_size: 100,
                max_frame_len: 1 << 20,
                length_prefix: Default::default(),
                echo: true,
                idle_ms: 10_000,
                clients: 0,
                torture: false,
                refusal: "full\n",
            };
            let run = peer::listen_udp(socket, opts, None).expect("listen udp starts");
            let client = std::net::UdpSocket::bind("127.0.0.1:0").expect("udp client");
            for n in [0usize, 5, 2000] {
                client.send_to(&vec![b'u'; n], addr).expect("send datagram");
            }
            (run, None)
        }
    }
}

/// One cycle: start, reach the stop point, Stop. Returns how long Stop took.
fn cycle(s: &Scenario) -> Duration {
    let (mut run, mut peer) = start(s);
    let mut events = Vec::new();
    let reset_first = matches!(
        s.kind,
        Kind::SendReset { .. }
            | Kind::Listen {
                client: Hostile::ResetMidFrame,
                ..
            }
    );
    if reset_first {
        if let Some(p) = peer.take() {
            reset(p);
        }
    }
    match s.stop {
        StopPoint::RightAfterStart => {}
        StopPoint::MidWrite => {
            let Kind::Engine(exp) = &s.kind else {
                panic!("{}: mid-write needs an engine run", s.name)
            };
            let split = exp.sender.split;
            wait_until(&run, &mut events, &s.name, |e, _| short_write_seen(e, split));
        }
        StopPoint::MidRead => wait_until(&run, &mut events, &s.name, |e, _| tcp_reads(e) >= 1),
        StopPoint::After { ms } => std::thread::sleep(Duration::from_millis(ms)),
        StopPoint::NaturalEnd => wait_until(&run, &mut events, &s.name, |_, run| run.is_finished()),
        StopPoint::ClientReported => wait_until(&run, &mut events, &s.name, |e, _| {
            e.iter().any(|e| matches!(e, Event::Client { .. }))
        }),
        StopPoint::ClientTalking => wait_until(&run, &mut events, &s.name, |e, _| tcp_reads(e) >= 1),
    }
    let t = Instant::now();
    run.stop();
    let took = t.elapsed();
    // A client still connected hangs up only now, after the listener let it go.
    drop(peer);
    assert!(run.is_finished(), "{}: every thread joined after Stop", s.name);
    events.extend(run.drain().flatten());
    assert!(
        matches!(events.last(), Some(Event::Finished { .. })),
        "{}: Finished comes last",
        s.name
    );
    check_forced_effect(s, &events);
    took
}

/// The stop point really was what the scenario says it is.
fn check_forced_effect(s: &Scenario, events: &[Event]) {
    let model = Model::from_events(events);
    match (&s.kind, s.stop) {
        (Kind::Engine(_), StopPoint::MidWrite | StopPoint::MidRead) => {
            // Mid-write the sender is cut off; mid-read the reader is (its sender may be done).
            let side = if matches!(s.stop, StopPoint::MidWrite) {
                Side::TcpSender
            } else {
                Side::TcpReceiver
            };
            let end = model.ends().iter().find(|(ended, _)| *ended == side);
            assert!(
                matches!(end, Some((_, EndReason::Stopped))),
                "{}: {side:?} was stopped, not done: {:?}",
                s.name,
                model.ends()
            );
        }
        (Kind::SendReset { .. }, _) => {
            assert!(
                model.ends().iter().any(|(_, r)| matches!(r, EndReason::PeerClosed(_))),
                "{}: the reset is reported: {:?}",
                s.name,
                model.ends()
            );
        }
        (Kind::Listen { framing, client, .. }, _) => {
            let [c] = model.clients() else {
                panic!("{}: one client report: {:?}", s.name, model.clients())
            };
            let framed = *framing != FramingMode::None;
            let expected = match client {
                Hostile::ResetMidFrame => {
                    matches!(&c.outcome, ClientOutcome::Reset { unfinished, .. } if unfinished.is_some() == framed)
                }
                Hostile::HugeHeader if framed => matches!(
                    c.outcome,
                    ClientOutcome::Dropped {
                        error: DecodeError::TooLong { .. }
                    }
                ),
                Hostile::HugeHeader | Hostile::FloodNoRead => c.outcome == ClientOutcome::Stopped && c.bytes > 0,
                Hostile::Silent => c.outcome == ClientOutcome::Stopped && c.bytes == 0,
            };
            assert!(expected, "{}: reported as {:?}", s.name, c);
        }
        _ => {}
    }
}

/// Ends the process if a cycle makes no progress for this long: a Stop that never returns
/// must fail the test, not hang it until CI gives up.
const HANG_LIMIT: Duration = Duration::from_secs(20);

/// A thread told the name of each cycle as it starts; past [`HANG_LIMIT`] without news it
/// says which cycle hangs and ends the process with a failure.
struct Watchdog {
    tx: std::sync::mpsc::Sender<Option<String>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Watchdog {
    fn start() -> Watchdog {
        let (tx, rx) = std::sync::mpsc::channel::<Option<String>>();
        let thread = std::thread::spawn(move || {
            let mut current = String::from("the warm-up");
            loop {
                match rx.recv_timeout(HANG_LIMIT) {
                    Ok(Some(name)) => current = name,
                    Ok(None) | Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return,
                    Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                        eprintln!("{current}: no progress for {HANG_LIMIT:?}: a run hangs");
                        std::process::exit(101);
                    }
                }
            }
        });
        Watchdog {
            tx,
            thread: Some(thread),
        }
    }

    fn cycle(&self, name: &str) {
        let _watchdog_gone_means_test_over = self.tx.send(Some(name.to_string()));
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        let _already_gone = self.tx.send(None);
        if let Some(t) = self.thread.take() {
            let _watchdog_never_panics = t.join();
        }
    }
}

#[test]
fn five_hundred_start_stop_cycles_return_fds_and_threads_to_baseline() {
    let all = scenarios();
    let watchdog = Watchdog::start();
    // One cycle of each scenario first: whatever a process opens once (lazy statics, the
    // resolver, the capture's first socket) is open before the baseline is taken.
    for s in &all {
        watchdog.cycle(&s.name);
        cycle(s);
    }
    let (fds_before, threads_before) = (fds(), threads());
    let started = Instant::now();
    let mut worst = (Duration::ZERO, String::new());
    for i in 0..CYCLES {
        let s = &all[i % all.len()];
        watchdog.cycle(&format!("cycle {i} ({})", s.name));
        let took = cycle(s);
        // only a hang guard (the watchdog's): Stop returning and joining every thread is
        // asserted in `cycle`; how fast it does so is printed below, never asserted
        assert!(took <= HANG_LIMIT, "cycle {i} ({}): Stop hung for {took:?}", s.name);
        if took > worst.0 {
            worst = (took, s.name.clone());
        }
    }
    let wall = started.elapsed();
    // Joined threads and closed sockets are gone at once; a moment for the kernel to catch up
    // with /proc anyway, so a slow machine does not fail on what is not a leak.
    let settle = Instant::now() + Duration::from_secs(2);
    while (fds() > fds_before || threads() > threads_before) && Instant::now() < settle {
        std::thread::sleep(Duration::from_millis(20));
    }
    let (fds_after, threads_after) = (fds(), threads());
    eprintln!(
        "{CYCLES} cycles over {} scenarios in {wall:.2?}; worst Stop {:.2?} ({}); fds {fds_before} -> {fds_after}, threads {threads_before} -> {threads_after}",
        all.len(),
        worst.0,
        worst.1
    );
    assert_eq!(fds_after, fds_before, "open file descriptors after {CYCLES} cycles");
    assert_eq!(threads_after, threads_before, "threads after {CYCLES} cycles");
}
