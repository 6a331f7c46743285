//! `stickyviz listen` against hostile clients, as a student's classroom will produce them: a
//! port scanner's probe, a client that connects and says nothing, a 4 GiB length header, a JSON
//! header that is not JSON (or not UTF-8), a client that resets in the middle of a frame. The
//! real binary, real sockets on 127.0.0.1. Each bad client must be reported, in the human output
//! and in the `--json` recording, and the well-behaved client after them must be served with
//! every frame decoded.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream, UdpSocket};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use socket2::SockRef;
use stickyviz::analysis::{ClientRec, Model};
use stickyviz::engine::workload::payload;
use stickyviz::facts::{ClientOutcome, Event};
use stickyviz::framing::{DecodeError, FramingMode};
use stickyviz::recording::Recording;

const BIN: &str = env!("CARGO_BIN_EXE_stickyviz");
/// How long any one step may take before the test calls the listener stuck.
const STEP: Duration = Duration::from_secs(10);

/// Kills the child if the test ends early, so no process outlives a failed test.
struct Listener {
    child: Child,
    port: u16,
    /// Every stderr line, as it is printed.
    stderr: Receiver<String>,
    seen: Vec<String>,
}

impl Drop for Listener {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

impl Listener {
    /// Starts `stickyviz listen ARGS` (English output) and reads its port from the "listening on"
    /// line of stderr (a warning may come first).
    fn start(args: &[&str]) -> Listener {
        let mut child = Command::new(BIN)
            .args(["listen", "--headless"])
            .args(args)
            .env("LC_ALL", "C.UTF-8")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("stickyviz starts");
        let lines = BufReader::new(child.stderr.take().expect("stderr piped")).lines();
        let (tx, stderr) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                if tx.send(line).is_err() {
                    return;
                }
            }
        });
        let mut l = Listener {
            child,
            port: 0,
            stderr,
            seen: Vec::new(),
        };
        let line = l.wait_for_line("listening on");
        l.port = line
            .rsplit(':')
            .next()
            .and_then(|p| p.trim().parse().ok())
            .unwrap_or_else(|| panic!("no port in '{line}'"));
        l
    }

    fn addr(&self) -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], self.port))
    }

    /// Waits for the next stderr line containing `needle` (and returns it).
    fn wait_for_line(&mut self, needle: &str) -> String {
        let end = Instant::now() + STEP;
        loop {
            let left = end.saturating_duration_since(Instant::now());
            match self.stderr.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if line.contains(needle) {
                        return line;
                    }
                }
                Err(RecvTimeoutError::Timeout) => panic!(
                    "no stderr line with '{needle}' within {STEP:?}; so far: {:#?}",
                    self.seen
                ),
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("stderr closed before a line with '{needle}'; so far: {:#?}", self.seen)
                }
            }
        }
    }

    /// Waits for the report of the client whose local address is `client`.
    fn wait_for_report(&mut self, client: SocketAddr) -> String {
        self.wait_for_line(&format!("client {client}:"))
    }

    /// Waits for the process to exit successfully; returns stdout and the rest of stderr.
    fn finish(self) -> (String, Vec<String>) {
        self.finish_with(0)
    }

    /// Waits for the process to exit with `code`: 1 when a client's frames could not be
    /// decoded (the exit-status contract), 0 otherwise.
    fn finish_with(mut self, code: i32) -> (String, Vec<String>) {
        let mut stdout = self.child.stdout.take().expect("stdout piped");
        let reader = std::thread::spawn(move || {
            let mut out = String::new();
            stdout.read_to_string(&mut out).map(|_| out)
        });
        let end = Instant::now() + STEP;
        let status = loop {
            match self.child.try_wait().expect("child status") {
                Some(status) => break status,
                None if Instant::now() > end => panic!("listen did not exit within {STEP:?}; stderr: {:#?}", self.seen),
                None => std::thread::sleep(Duration::from_millis(20)),
            }
        };
        let out = reader.join().expect("stdout reader").expect("stdout");
        let mut seen = std::mem::take(&mut self.seen);
        // The stderr thread sees end of file once the process is gone.
        while let Ok(line) = self.stderr.recv_timeout(STEP) {
            seen.push(line);
        }
        assert_eq!(status.code(), Some(code), "listen ended {status}; stderr: {seen:#?}");
        assert!(!seen.iter().any(|l| l.contains("panicked")), "{seen:#?}");
        (out, seen)
    }
}

fn connect(addr: SocketAddr) -> (TcpStream, SocketAddr) {
    let s = TcpStream::connect(addr).expect("connect to listen");
    let local = s.local_addr().expect("local address");
    (s, local)
}

/// Closes with SO_LINGER 0: the kernel sends a reset instead of a FIN.
fn reset(stream: TcpStream) {
    SockRef::from(&stream)
        .set_linger(Some(Duration::ZERO))
        .expect("SO_LINGER");
    drop(stream);
}

/// Sends `bytes` and closes the write half, then reads until the listener closes: a client
/// that writes a bad header keeps reading, so the listener's close is what ends it.
fn send_and_wait_for_close(addr: SocketAddr, bytes: &[u8]) -> SocketAddr {
    let (mut s, local) = connect(addr);
    s.write_all(bytes).expect("write");
    s.set_read_timeout(Some(STEP)).expect("SO_RCVTIMEO");
    let mut sink = Vec::new();
    // Closed by the listener: end of stream, or a reset if our bytes were still unread.
    let closed = s.read_to_end(&mut sink);
    assert!(
        closed.is_ok()
            || closed
                .as_ref()
                .is_err_and(|e| e.kind() == std::io::ErrorKind::ConnectionReset),
        "{closed:?}"
    );
    local
}

/// The seed's frame with a header of our choosing.
fn seed_frame_with_header(header: &[u8], body: &[u8]) -> Vec<u8> {
    let mut out = (header.len() as i32).to_le_bytes().to_vec();
    out.extend_from_slice(header);
    out.extend_from_slice(body);
    out
}

/// The well-behaved client: `count` frames of the workload's payloads, written in pieces of 7
/// bytes (so headers and bodies cross reads), then a clean close.
fn good_client(addr: SocketAddr, framing: FramingMode, count: u32) -> (SocketAddr, Vec<Vec<u8>>) {
    let (mut s, local) = connect(addr);
    s.set_nodelay(true).expect("TCP_NODELAY");
    let mut bodies = Vec::new();
    let mut bytes = Vec::new();
    for i in 0..count {
        let mut body = Vec::new();
        payload(i, 10 + i * 37, &mut body);
        framing.encode(&body, &mut bytes);
        bodies.push(body);
    }
    for piece in bytes.chunks(7) {
        s.write_all(piece).expect("good client writes");
    }
    s.shutdown(std::net::Shutdown::Write).expect("FIN");
    let mut rest = Vec::new();
    s.read_to_end(&mut rest).expect("the listener closes after us");
    (local, bodies)
}

fn client_of(model: &Model, peer: SocketAddr) -> &ClientRec {
    let peer = peer.to_string();
    model
        .clients()
        .iter()
        .find(|c| c.peer == peer)
        .unwrap_or_else(|| panic!("no report for {peer}: {:#?}", model.clients()))
}

/// The stream model a client's lane was folded into.
fn lane_model(model: &Model, lane: Option<u32>) -> &Model {
    match lane {
        Some(0) => model,
        Some(k) => &model.echo().expect("connection lanes").connections[k as usize - 1],
        None => panic!("the client got no lane"),
    }
}

/// Every decoded frame of `m` equals the body sent, in order.
fn assert_frames(m: &Model, bodies: &[Vec<u8>], what: &str) {
    assert_eq!(m.summary().decode_errors, 0, "{what}: {:?}", m.decode_errors());
    assert_eq!(m.frames().len(), bodies.len(), "{what}: one frame per message");
    for (f, body) in m.frames().iter().zip(bodies) {
        let end = (f.offset + u64::from(f.len)) as usize;
        let start = end - f.payload_len as usize;
        let got = m
            .received()
            .get(start..end)
            .unwrap_or_else(|| panic!("{what}: frame {} bytes kept", f.index));
        assert_eq!(got, &body[..], "{what}: frame {} intact", f.index);
    }
}

/// A client that came and how its report must read.
struct Expect {
    peer: SocketAddr,
    name: &'static str,
    outcome: fn(&ClientOutcome) -> bool,
    words: &'static str,
}

/// One hostile client of the table: what it sends and how listen must report it.
struct Hostile {
    name: &'static str,
    bytes: Vec<u8>,
    outcome: fn(&ClientOutcome) -> bool,
    /// Words the human report must hold.
    words: &'static str,
}

fn hostile_clients(framing: FramingMode) -> Vec<Hostile> {
    let too_long = |o: &ClientOutcome| {
        matches!(
            o,
            ClientOutcome::Dropped {
                error: DecodeError::TooLong { .. }
            }
        )
    };
    let bad_json = |o: &ClientOutcome| {
        matches!(
            o,
            ClientOutcome::Dropped {
                error: DecodeError::BadJson { .. }
            }
        )
    };
    match framing {
        FramingMode::U32 => vec![Hostile {
            name: "4 GiB u32 length header",
            bytes: vec![0xff, 0xff, 0xff, 0xff, b'a', b'b'],
            outcome: too_long,
            words: "the length prefix gives a body of 4294967295 bytes, over the maximum frame length",
        }],
        FramingMode::SeedJson => vec![
            Hostile {
                name: "2 GiB JSON header length",
                bytes: vec![0xff, 0xff, 0xff, 0x7f, b'{'],
                outcome: too_long,
                words: "the length prefix gives a JSON header of 2147483647 bytes, over the maximum frame length",
            },
            Hostile {
                name: "4 GiB body in the JSON header",
                bytes: seed_frame_with_header(br#"{"total_lenth": 4294967296, "md5": null}"#, b"abc"),
                outcome: too_long,
                words: "total_lenth gives a body of 4294967296 bytes, over the maximum frame length",
            },
            Hostile {
                name: "JSON header that is not UTF-8",
                bytes: seed_frame_with_header(&[0xff, 0xfe, 0xfd, 0xfc, 0x80], b""),
                outcome: bad_json,
                words: "bad JSON header",
            },
            Hostile {
                name: "JSON header that is not JSON",
                bytes: seed_frame_with_header(br#"{"total_lenth": }"#, b""),
                outcome: bad_json,
                words: "bad JSON header",
            },
        ],
        _ => Vec::new(),
    }
}

fn listen_survives_hostile_clients(framing: FramingMode) {
    let dir = tempfile::tempdir().expect("temp dir");
    let json = dir.path().join("listen.json");
    let json = json.to_str().expect("UTF-8 path");
    let mut l = Listener::start(&[
        "--tcp",
        "0",
        "--framing",
        framing.name(),
        "--read-size",
        "5",
        "--json",
        json,
    ]);
    let addr = l.addr();
    let mut expected: Vec<Expect> = Vec::new();

    // Connects and says nothing, for the whole session: it must hold up nobody.
    let (silent, silent_addr) = connect(addr);

    // A port scanner's probe: connect, close.
    let (probe, probe_addr) = connect(addr);
    drop(probe);
    l.wait_for_report(probe_addr);
    expected.push(Expect {
        peer: probe_addr,
        name: "probe",
        outcome: |o| *o == ClientOutcome::SentNothing,
        words: "without sending a byte",
    });

    for h in hostile_clients(framing) {
        let peer = send_and_wait_for_close(addr, &h.bytes);
        let line = l.wait_for_report(peer);
        assert!(line.contains("closed this connection"), "{}: {line}", h.name);
        expected.push(Expect {
            peer,
            name: h.name,
            outcome: h.outcome,
            words: h.words,
        });
    }

    // Half a frame, then a reset: 10 of 100 body bytes.
    let (mut cut, cut_addr) = connect(addr);
    let mut frame = Vec::new();
    framing.encode(&[b'z'; 100], &mut frame);
    cut.write_all(&frame[..frame.len() - 90]).expect("write half a frame");
    // No wait needed: bytes that arrived before the reset are read before it is reported.
    reset(cut);
    l.wait_for_report(cut_addr);
    expected.push(Expect {
        peer: cut_addr,
        name: "reset mid-frame",
        outcome: |o| {
            matches!(
                o,
                ClientOutcome::Reset {
                    unfinished: Some(DecodeError::Truncated { .. }),
                    ..
                }
            )
        },
        words: "in the middle of a frame",
    });

    // Finally a student's correct client: served, and listen (serving one client) ends, with
    // exit status 1: the hostile clients' frames could not be decoded.
    let (good_addr, bodies) = good_client(addr, framing, 25);
    let (stdout, stderr) = l.finish_with(1);
    expected.push(Expect {
        peer: silent_addr,
        name: "silent",
        outcome: |o| *o == ClientOutcome::Stopped,
        words: "having sent nothing",
    });
    drop(silent);

    let rec = Recording::load(std::path::Path::new(json)).expect("the recording loads");
    let model = Model::from_events(&rec.events);
    let good = client_of(&model, good_addr);
    assert_eq!(good.outcome, ClientOutcome::Served, "{good:?}");
    assert_eq!(good.frames, 25);
    assert_frames(lane_model(&model, good.lane), &bodies, "the good client");
    assert_eq!(model.clients_served(), 1);
    assert_eq!(model.clients_total() as usize, expected.len() + 1);
    for Expect {
        peer,
        name,
        outcome,
        words,
    } in &expected
    {
        let c = client_of(&model, *peer);
        assert!(outcome(&c.outcome), "{name}: reported as {c:?}");
        let line = format!("client {peer}: ");
        let human = stdout
            .lines()
            .find(|l| l.contains(&line))
            .unwrap_or_else(|| panic!("{name}: no line for {peer} in:\n{stdout}"));
        assert!(human.contains(words), "{name}: '{human}' should say '{words}'");
        assert!(
            stderr.iter().any(|l| l.contains(&line)),
            "{name}: reported live on stderr: {stderr:#?}"
        );
        // In the recording, as the client's own event.
        assert!(rec
            .events
            .iter()
            .any(|e| matches!(e, Event::Client { peer: p, .. } if *p == peer.to_string())));
    }
    assert!(
        stdout.contains("clients served") && stdout.contains("clients connected"),
        "{stdout}"
    );
}

#[test]
fn listen_u32_serves_the_next_client_after_hostile_ones() {
    listen_survives_hostile_clients(FramingMode::U32);
}

#[test]
fn listen_seed_json_serves_the_next_client_after_hostile_ones() {
    listen_survives_hostile_clients(FramingMode::SeedJson);
}

#[test]
fn listen_lets_a_silent_client_go_when_every_place_is_taken() {
    let mut l = Listener::start(&["--tcp", "0", "--framing", "u32", "--json", "-"]);
    let addr = l.addr();
    // As many silent clients as listen serves at once, then a real one: the first silent one
    // makes room. The kernel's backlog keeps them in order even before listen accepts them.
    let silent: Vec<(TcpStream, SocketAddr)> = (0..stickyviz::engine::peer::MAX_CLIENTS_AT_ONCE)
        .map(|_| connect(addr))
        .collect();
    let (good_addr, bodies) = good_client(addr, FramingMode::U32, 5);
    l.wait_for_report(silent[0].1);
    let (stdout, _) = l.finish();
    let first_silent = silent[0].1;
    drop(silent);
    let rec = Recording::from_json(&stdout).expect("stdout is a recording");
    let model = Model::from_events(&rec.events);
    let good = client_of(&model, good_addr);
    assert_eq!(good.outcome, ClientOutcome::Served);
    assert_frames(lane_model(&model, good.lane), &bodies, "the good client");
    let evicted: Vec<&ClientRec> = model
        .clients()
        .iter()
        .filter(|c| matches!(c.outcome, ClientOutcome::Evicted { .. }))
        .collect();
    assert_eq!(evicted.len(), 1, "{:#?}", model.clients());
    assert_eq!(
        evicted[0].peer,
        first_silent.to_string(),
        "the longest-silent client made room"
    );
}

#[test]
fn listen_binds_loopback_by_default_and_warns_on_any_other_address() {
    let l = Listener::start(&["--tcp", "0", "--framing", "newline"]);
    assert!(
        l.seen.iter().any(|line| line.contains("listening on tcp 127.0.0.1:")),
        "{:#?}",
        l.seen
    );
    assert!(!l.seen.iter().any(|line| line.contains("warning")), "{:#?}", l.seen);
    let addr = l.addr();
    good_client(addr, FramingMode::Newline, 3);
    let (stdout, _) = l.finish();
    assert!(stdout.contains("served: "), "{stdout}");

    // The wildcard address: reachable from other machines, so said so; the test itself only
    // connects over loopback.
    // (--clients 1: beyond loopback a listen otherwise serves a class until stopped)
    let l = Listener::start(&["--tcp", "0.0.0.0:0", "--framing", "newline", "--clients", "1"]);
    assert!(
        l.seen
            .iter()
            .any(|line| line.contains("warning: --tcp 0.0.0.0:0 is not loopback")),
        "{:#?}",
        l.seen
    );
    assert!(
        l.seen.iter().any(|line| line.contains("listening on tcp 0.0.0.0:")),
        "{:#?}",
        l.seen
    );
    let addr = l.addr();
    good_client(addr, FramingMode::Newline, 3);
    l.finish();

    let mut udp = Command::new(BIN)
        .args(["listen", "--udp", "0.0.0.0:0", "--headless"])
        .env("LC_ALL", "C.UTF-8")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("stickyviz starts");
    let mut warning = String::new();
    BufReader::new(udp.stderr.take().expect("stderr piped"))
        .read_line(&mut warning)
        .expect("a stderr line");
    // No datagram comes, so it would wait for ever: end it once the warning is read.
    udp.kill().expect("kill the UDP listener");
    udp.wait().expect("reap the UDP listener");
    assert!(
        warning.contains("warning: --udp 0.0.0.0:0 is not loopback"),
        "{warning}"
    );
}

#[test]
fn listen_udp_survives_garbage_and_clients_that_vanish_before_the_echo() {
    let l = Listener::start(&[
        "--udp",
        "0",
        "--echo",
        "--read-size",
        "1024",
        "--idle-ms",
        "500",
        "--json",
        "-",
    ]);
    let addr = l.addr();
    // Gone before the echo comes back: the echo meets a closed port (ICMP port unreachable).
    for _ in 0..5 {
        let ghost = UdpSocket::bind("127.0.0.1:0").expect("bind");
        ghost.send_to(b"here and gone", addr).expect("send");
    }
    let noise = UdpSocket::bind("127.0.0.1:0").expect("bind");
    noise.set_read_timeout(Some(STEP)).expect("timeout");
    let mut buf = [0u8; 2048];
    for d in [
        &[0xffu8, 0xfe, 0x00, 0x80][..],
        &[],
        &vec![0xaa; 65_507],
        b"\x00\x00\x00\x05hi",
    ] {
        noise.send_to(d, addr).expect("send garbage");
        // One at a time: the echo says the listener has read it (and nothing overflows).
        let (n, _) = noise.recv_from(&mut buf).expect("the echo of the garbage comes back");
        assert_eq!(
            n,
            d.len().min(1024),
            "echoed as read: the tail past recvfrom(1024) is lost"
        );
    }
    let good = UdpSocket::bind("127.0.0.1:0").expect("bind");
    good.set_read_timeout(Some(STEP)).expect("timeout");
    for i in 0..5 {
        let msg = format!("hello {i}");
        good.send_to(msg.as_bytes(), addr).expect("send");
        let (n, _) = good.recv_from(&mut buf).expect("the echo comes back");
        assert_eq!(&buf[..n], msg.to_ascii_uppercase().as_bytes());
    }
    let (stdout, _) = l.finish();
    let rec = Recording::from_json(&stdout).expect("stdout is a recording");
    let got: Vec<(u32, u32)> = rec
        .events
        .iter()
        .filter_map(|e| match e {
            Event::DatagramReceived { len, real_len, .. } => Some((*len, *real_len)),
            _ => None,
        })
        .collect();
    assert_eq!(got.len(), 5 + 4 + 5, "every datagram recorded: {got:?}");
    assert!(
        got.contains(&(1024, 65_507)),
        "the big one truncated, its real length kept: {got:?}"
    );
    let model = Model::from_events(&rec.events);
    assert!(model.problems().is_empty(), "{:?}", model.problems());
}

#[test]
fn listen_with_a_bad_clients_count_exits_2_naming_the_flag() {
    for bad in ["-1", "many", "4294967296", "2000000"] {
        let flag = format!("--clients={bad}");
        let out = Command::new(BIN)
            .args(["listen", "--tcp", "0", "--headless", &flag])
            .env("LC_ALL", "C.UTF-8")
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "--clients {bad}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("--clients"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
