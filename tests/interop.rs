//! Real external peers: the seed course's Python protocol against `stickyviz listen` and
//! `stickyviz send`, over real sockets on 127.0.0.1.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use stickyviz::analysis::Model;
use stickyviz::engine::workload::{message_size, payload};
use stickyviz::recording::Recording;

const BIN: &str = env!("CARGO_BIN_EXE_stickyviz");
const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/python");

/// Kills the child if the test ends early, so no process outlives a failed test.
struct Reaped(Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        if self.0.try_wait().ok().flatten().is_none() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

/// Waits up to `limit` for the child to exit and returns its stdout (read all along in a
/// thread: a child writing more than a pipe holds would otherwise never exit).
fn finish(mut child: Reaped, limit: Duration) -> (bool, String) {
    let reader = child.0.stdout.take().map(|mut o| {
        std::thread::spawn(move || {
            let mut out = String::new();
            o.read_to_string(&mut out).map(|_| out)
        })
    });
    let end = Instant::now() + limit;
    let status = loop {
        match child.0.try_wait().expect("child status") {
            Some(status) => break status,
            None if Instant::now() > end => panic!("child did not finish within {limit:?}"),
            None => std::thread::sleep(Duration::from_millis(20)),
        }
    };
    let out = reader
        .map(|h| h.join().expect("reader thread").expect("child stdout"))
        .unwrap_or_default();
    (status.success(), out)
}

fn python(args: &[&str]) -> Command {
    let mut c = Command::new("python3");
    c.args(args);
    c
}

/// Starts `stickyviz listen …` and returns it with the port it printed on stderr. The rest of
/// stderr is drained in a thread so the child never blocks on a full pipe.
fn start_listen(extra: &[&str]) -> (Reaped, u16) {
    let mut child = Command::new(BIN)
        .args(["listen", "--tcp", "0", "--headless", "--json", "-"])
        .args(extra)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("stickyviz starts");
    let mut lines = BufReader::new(child.stderr.take().expect("stderr piped")).lines();
    let first = lines.next().expect("a first stderr line").expect("readable stderr");
    let port = first
        .rsplit(':')
        .next()
        .and_then(|p| p.trim().parse().ok())
        .unwrap_or_else(|| panic!("no port in '{first}'"));
    std::thread::spawn(move || for _ in lines.by_ref() {});
    (Reaped(child), port)
}

fn bodies(json_line: &str) -> Vec<Vec<u8>> {
    let hex: Vec<String> =
        serde_json::from_str(json_line.trim()).unwrap_or_else(|e| panic!("bad JSON from python ({e}): {json_line}"));
    hex.iter()
        .map(|h| {
            (0..h.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&h[i..i + 2], 16).expect("hex"))
                .collect()
        })
        .collect()
}

fn listen_decodes_python_frames(read_size: &str) {
    let (listener, port) = start_listen(&["--framing", "seed-json", "--read-size", read_size]);
    let client = python(&[&format!("{FIXTURES}/seed_json_client.py"), &port.to_string(), "30"])
        .output()
        .expect("python3 runs");
    assert!(
        client.status.success(),
        "python client failed: {}",
        String::from_utf8_lossy(&client.stderr)
    );
    let sent = bodies(&String::from_utf8_lossy(&client.stdout));
    assert_eq!(sent.len(), 30);

    let (ok, out) = finish(listener, Duration::from_secs(20));
    assert!(ok, "listen failed");
    let rec = Recording::from_json(&out).expect("stdout is a recording");
    let model = Model::from_events(&rec.events);
    assert_eq!(model.summary().decode_errors, 0, "{:?}", model.decode_errors());
    assert_eq!(model.frames().len(), sent.len(), "one frame per Python message");
    for (f, body) in model.frames().iter().zip(&sent) {
        let end = (f.offset + u64::from(f.len)) as usize;
        let got = &model.received()[end - f.payload_len as usize..end];
        assert_eq!(got, &body[..], "frame {} intact", f.index);
    }
    let total: usize = model.reads().iter().map(|r| r.len as usize).sum();
    assert_eq!(total, model.received().len(), "every read byte kept");
}

#[test]
fn listen_decodes_every_frame_from_a_seed_python_client() {
    listen_decodes_python_frames("1024");
}

#[test]
fn listen_decodes_seed_frames_read_in_tiny_pieces() {
    // recv(7): every header and body is cut across reads, the decoder must still rebuild them.
    listen_decodes_python_frames("7");
}

#[test]
fn send_delivers_every_frame_to_a_seed_python_receiver() {
    let mut server = python(&[&format!("{FIXTURES}/seed_json_server.py")])
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    let mut out = BufReader::new(server.stdout.take().expect("stdout piped"));
    let mut port = String::new();
    out.read_line(&mut port).expect("python prints its port");
    let rest = std::thread::spawn(move || {
        let mut line = String::new();
        out.read_to_string(&mut line).map(|_| line)
    });
    let server = Reaped(server);

    let send = Command::new(BIN)
        .args([
            "send",
            "--tcp",
            &format!("127.0.0.1:{}", port.trim()),
            "--framing",
            "seed-json",
        ])
        .args([
            "--count",
            "25",
            "--size",
            "10-3000",
            "--split",
            "header-body",
            "--json",
            "-",
        ])
        .stdin(Stdio::null())
        .output()
        .expect("stickyviz runs");
    assert!(
        send.status.success(),
        "send failed: {}",
        String::from_utf8_lossy(&send.stderr)
    );
    let rec = Recording::from_json(&String::from_utf8_lossy(&send.stdout)).expect("a recording");
    let model = Model::from_events(&rec.events);
    assert_eq!(model.summary().messages, 25);
    assert!(
        model.summary().writes >= 50,
        "header and body written separately: {}",
        model.summary().writes
    );

    let (ok, _) = finish(server, Duration::from_secs(20));
    assert!(ok, "python server failed");
    let got = bodies(&rest.join().expect("reader thread").expect("python output"));
    let w = &rec.settings.workload;
    let mut expected = Vec::new();
    assert_eq!(got.len(), 25, "the Python receiver decoded every frame");
    for (i, body) in got.iter().enumerate() {
        payload(i as u32, message_size(w, i as u32), &mut expected);
        assert_eq!(body, &expected, "message {i} intact");
    }
}

#[test]
fn listen_udp_keeps_datagrams_and_shows_truncation() {
    let mut child = Command::new(BIN)
        .args([
            "listen",
            "--udp",
            "0",
            "--headless",
            "--read-size",
            "1024",
            "--idle-ms",
            "300",
            "--json",
            "-",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("stickyviz starts");
    let mut lines = BufReader::new(child.stderr.take().expect("stderr")).lines();
    let first = lines.next().expect("stderr line").expect("readable");
    let port = first.rsplit(':').next().expect("port").trim().to_string();
    std::thread::spawn(move || for _ in lines.by_ref() {});
    let listener = Reaped(child);
    // The seed's UDP client, without input(): three datagrams, one empty, one over recvfrom(1024).
    let script = format!(
        "import socket\ns=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\n\
         for m in [b'hello', b'', b'x'*2000]:\n    s.sendto(m,('127.0.0.1',{port}))\n"
    );
    let py = python(&["-c", &script]).output().expect("python3 runs");
    assert!(py.status.success(), "{}", String::from_utf8_lossy(&py.stderr));
    let (ok, out) = finish(listener, Duration::from_secs(20));
    assert!(ok);
    let rec = Recording::from_json(&out).expect("a recording");
    let got: Vec<(u32, u32)> = rec
        .events
        .iter()
        .filter_map(|e| match e {
            stickyviz::facts::Event::DatagramReceived { len, real_len, .. } => Some((*len, *real_len)),
            _ => None,
        })
        .collect();
    assert_eq!(
        got,
        vec![(5, 5), (0, 0), (1024, 2000)],
        "one recvfrom per sendto; the big one truncated"
    );
}

#[test]
fn listen_with_bad_read_size_exits_2_naming_the_flag() {
    let out = Command::new(BIN)
        .args(["listen", "--tcp", "0", "--headless", "--read-size", "0"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--read-size"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = Command::new(BIN)
        .args(["send", "--tcp", "1", "--count", "0"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--count"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
