//! The exit-status contract of every subcommand (0 done, 1 failed, 2 usage, 130/143 stopped by
//! a signal), and Ctrl-C / SIGTERM sent to the real process in the middle of a session: the
//! summary is printed, the recording written, the sockets closed.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Command, Output, Stdio};

use stickyviz::analysis::Model;
use stickyviz::framing::FramingMode;
use stickyviz::recording::Recording;

#[path = "support/session.rs"]
mod session;
use session::{port_of, Session, BIN};

fn stickyviz(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env("LC_ALL", "C.UTF-8")
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs")
}

fn code(args: &[&str]) -> (Option<i32>, String) {
    let out = stickyviz(args);
    (
        out.status.code(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

/// The example: `listen --clients 0` can only end by a signal; Ctrl-C must keep the
/// session: summary, recording, exit 130, and the port free again (the listener closed).
#[test]
fn ctrl_c_ends_listen_clients_0_with_its_summary_and_recording() {
    let dir = tempfile::tempdir().expect("temp dir");
    let json = dir.path().join("s.json");
    let json = json.to_str().expect("UTF-8 path");
    let mut s = Session::start(&[
        "listen",
        "--tcp",
        "0",
        "--framing",
        "seed-json",
        "--clients",
        "0",
        "--json",
        json,
        "--headless",
    ]);
    let port = port_of(&s.wait_for_line("listening on"));
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let mut client = TcpStream::connect(addr).expect("connect");
    let local = client.local_addr().expect("local address");
    let mut bytes = Vec::new();
    for body in [&b"one"[..], b"two", b"three"] {
        FramingMode::SeedJson.encode(body, &mut bytes);
    }
    client.write_all(&bytes).expect("send three frames");
    drop(client);
    s.wait_for_line(&format!("client {local}:"));
    s.wait_until_catching(2);
    s.signal("INT");
    let (code, stdout, stderr) = s.finish();
    assert_eq!(code, Some(130), "stdout: {stdout}\nstderr: {stderr}");
    assert!(stderr.contains("stopped by SIGINT"), "{stderr}");
    assert!(
        stdout.contains("frames") && stdout.contains("recording written"),
        "{stdout}"
    );
    let rec = Recording::load(std::path::Path::new(json)).expect("the recording was written and loads");
    let model = Model::from_events(&rec.events);
    assert_eq!(model.summary().frames, 3);
    assert_eq!(model.clients_served(), 1);
    // the listening socket is closed: the port can be bound again
    TcpListener::bind(addr).expect("the listener closed its port");
}

/// SIGTERM (what `timeout`, systemd and `docker stop` send) stops a `run` the same way, 143.
#[test]
fn sigterm_ends_a_long_run_with_its_summary_and_recording() {
    let dir = tempfile::tempdir().expect("temp dir");
    let json = dir.path().join("r.json");
    let json = json.to_str().expect("UTF-8 path");
    // 100 000 messages 1 ms apart: 100 s, far longer than the test waits for
    let s = Session::start(&[
        "run",
        "--count",
        "100000",
        "--gap-us",
        "1000",
        "--framing",
        "u32",
        "--json",
        json,
    ]);
    s.wait_until_catching(15);
    s.signal("TERM");
    let (code, stdout, stderr) = s.finish();
    assert_eq!(code, Some(143), "stdout: {stdout}\nstderr: {stderr}");
    assert!(stderr.contains("stopped by SIGTERM"), "{stderr}");
    assert!(stdout.contains("recording written"), "{stdout}");
    let rec = Recording::load(std::path::Path::new(json)).expect("the recording loads");
    assert!(
        rec.summary.messages < 100_000,
        "stopped before the end: {:?}",
        rec.summary
    );
    assert_eq!(rec.summary.decode_errors, 0, "a stop is not a decode error");
}

/// `send` to a server that reads everything, stopped with Ctrl-C.
#[test]
fn ctrl_c_ends_send_with_its_summary() {
    let server = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = server.local_addr().expect("addr").port().to_string();
    let sink = std::thread::spawn(move || {
        let (mut conn, _) = server.accept().expect("accept");
        let mut buf = Vec::new();
        conn.read_to_end(&mut buf).map(|_| buf.len())
    });
    let s = Session::start(&["send", "--tcp", &port, "--count", "100000", "--gap-us", "1000"]);
    s.wait_until_catching(2);
    s.signal("INT");
    let (code, stdout, stderr) = s.finish();
    assert_eq!(code, Some(130), "stdout: {stdout}\nstderr: {stderr}");
    assert!(stdout.contains("writes"), "the summary: {stdout}");
    // the connection was closed: the server saw the end of the stream
    sink.join().expect("server thread").expect("the server read to the end");
}

/// 0, 1 and 2 for each subcommand, from real inputs.
#[test]
fn every_subcommand_keeps_the_exit_status_contract() {
    let dir = tempfile::tempdir().expect("temp dir");
    let good = dir.path().join("good.bin");
    let mut bytes = Vec::new();
    FramingMode::U32.encode(b"hello", &mut bytes);
    std::fs::write(&good, &bytes).expect("write");
    let bad = dir.path().join("bad.bin");
    std::fs::write(&bad, [0xff, 0xff, 0xff, 0xff, 1]).expect("write");
    let rec = dir.path().join("rec.json");
    let (good, bad, rec) = (
        good.to_str().expect("UTF-8"),
        bad.to_str().expect("UTF-8"),
        rec.to_str().expect("UTF-8"),
    );
    let svg = dir.path().join("out.svg");
    let svg = svg.to_str().expect("UTF-8");
    let missing = dir.path().join("missing.json");
    let missing = missing.to_str().expect("UTF-8");

    let table: &[(&[&str], i32)] = &[
        (&["presets"], 0),
        (&["presets", "--bogus"], 2),
        (&["decode", "--framing", "u32", good], 0),
        (&["decode", "--framing", "u32", bad], 1),
        (&["decode", "--framing", "u32", "--read-size", "0", good], 2),
        (&["run", "--count", "3", "--json", rec], 0),
        // the seed's naive client with 3-byte reads: its header read comes back short
        (&["run", "--preset", "naive-header", "--read-size", "3"], 1),
        (&["run", "--count", "0"], 2),
        (&["render", rec, "--out", svg], 0),
        (&["render", missing, "--out", svg], 1),
        (&["render", rec, "--out", svg, "--width", "1"], 2),
        (&["send", "--tcp", "1", "--count", "0"], 2),
        (&["listen", "--tcp", "0", "--headless", "--read-size", "0"], 2),
    ];
    for (args, want) in table {
        let (got, out) = code(args);
        assert_eq!(got, Some(*want), "{args:?}:\n{out}");
    }
}

/// `send`: 0 when the server took everything, 1 when there is no server.
#[test]
fn send_exits_0_when_delivered_and_1_when_nobody_listens() {
    let server = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = server.local_addr().expect("addr").port().to_string();
    let sink = std::thread::spawn(move || {
        let (mut conn, _) = server.accept().expect("accept");
        let mut buf = Vec::new();
        conn.read_to_end(&mut buf).map(|_| buf.len())
    });
    let (got, out) = code(&["send", "--tcp", &port, "--count", "5"]);
    assert_eq!(got, Some(0), "{out}");
    sink.join().expect("server").expect("read");
    // the port was just freed: nothing listens on it now
    let (got, out) = code(&["send", "--tcp", &port, "--count", "5"]);
    assert_eq!(got, Some(1), "{out}");
}

fn u32_frame(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    FramingMode::U32.encode(body, &mut out);
    out
}

/// `listen`: 0 when the client's frames decode, 1 when a client's header could not be
/// decoded, even though listen went on to serve the next client.
#[test]
fn listen_exits_1_when_a_frame_cannot_be_decoded() {
    for (clients, want) in [
        (vec![u32_frame(b"hello")], 0),
        (vec![vec![0xff, 0xff, 0xff, 0xff, 1], u32_frame(b"hello")], 1),
    ] {
        let mut s = Session::start(&["listen", "--tcp", "0", "--framing", "u32", "--headless"]);
        let port = port_of(&s.wait_for_line("listening on"));
        for bytes in clients {
            let mut client = TcpStream::connect(SocketAddr::from(([127, 0, 0, 1], port))).expect("connect");
            let local = client.local_addr().expect("local address");
            client.write_all(&bytes).expect("send");
            drop(client);
            s.wait_for_line(&format!("client {local}:"));
        }
        let (code, stdout, stderr) = s.finish();
        assert_eq!(code, Some(want), "stdout: {stdout}\nstderr: {stderr}");
    }
}

/// `--help` of every subcommand states the contract, in both languages.
#[test]
fn every_help_states_the_exit_statuses() {
    for sub in [
        &[][..],
        &["run"],
        &["presets"],
        &["decode"],
        &["listen"],
        &["send"],
        &["render"],
    ] {
        for (lang, word) in [("en", "Exit status"), ("zh", "退出码")] {
            let mut args = vec!["--lang", lang];
            args.extend_from_slice(sub);
            args.push("--help");
            let (got, out) = code(&args);
            assert_eq!(got, Some(0), "{args:?}");
            assert!(
                out.contains(word) && out.contains("130") && out.contains("143"),
                "{args:?}:\n{out}"
            );
        }
    }
}

/// A server that closes before `send` is done: the sender meets EPIPE or ECONNRESET, the
/// report says so, and the session failed (exit 1), not done (0).
#[test]
fn send_exits_1_when_the_server_closes_before_the_run_is_done() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("address").to_string();
    let server = std::thread::spawn(move || {
        let (mut conn, _) = listener.accept().expect("accept");
        let mut first = [0u8; 10];
        conn.read_exact(&mut first).expect("the first bytes");
        // closed with bytes unread: the kernel answers the sender's next segments with RST
    });
    // 200 MB: far more than the socket buffers hold, so the close comes before the run is done
    let (got, out) = code(&["send", "--tcp", &addr, "--count", "200000", "--size", "1000"]);
    server.join().expect("the server thread");
    assert!(out.contains("closed the connection before the run was done"), "{out}");
    assert_eq!(got, Some(1), "{out}");
}

/// The listener closing a client whose header it cannot decode is that client's decode error,
/// counted once, and not also a socket error.
#[test]
fn listen_counts_a_bad_header_as_one_decode_error_and_no_socket_error() {
    let mut s = Session::start(&[
        "listen",
        "--tcp",
        "0",
        "--framing",
        "seed-json",
        "--clients",
        "1",
        "--headless",
    ]);
    let port = port_of(&s.wait_for_line("listening on"));
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let mut bad = TcpStream::connect(addr).expect("connect");
    let local = bad.local_addr().expect("local address");
    bad.write_all(b"\xff\xff\xff\x7fnot a header")
        .expect("send a bad header");
    s.wait_for_line(&format!("client {local}:"));
    drop(bad);
    // a client served whole ends the session (--clients 1)
    let mut good = TcpStream::connect(addr).expect("connect");
    let mut bytes = Vec::new();
    FramingMode::SeedJson.encode(b"hello", &mut bytes);
    good.write_all(&bytes).expect("send a frame");
    drop(good);
    let (code, stdout, stderr) = s.finish();
    assert_eq!(code, Some(1), "stdout: {stdout}\nstderr: {stderr}");
    assert!(
        stderr.contains("1 decode errors, 0 socket errors"),
        "stdout: {stdout}\nstderr: {stderr}"
    );
}
