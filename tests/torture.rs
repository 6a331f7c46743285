//! "Test your server" and "test your client" against real Python peers on 127.0.0.1, modelled
//! on the seed course (tests/fixtures/python): `send --torture` passes a correct echo server on
//! every scenario and names the split scenarios a naive one (one `recv(4)`, one `recv(len)`)
//! fails, with exit status 1; `listen --torture` catches a client that reads each answer with
//! one `recv(1024)`, which plain `listen --echo` serves without complaint.

#[path = "support/session.rs"]
mod session;
#[path = "support/skip.rs"]
mod skip;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};

use session::Session;

const BIN: &str = env!("CARGO_BIN_EXE_stickyviz");
const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/python");

/// Kills the child when the test ends, so no server outlives it.
struct Reaped(Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn have_python() -> bool {
    let ok = skip::have("python3");
    if !ok {
        skip::skip(skip::Missing::Tool("python3"), "these tests need real Python peers");
    }
    ok
}

/// Starts `echo_server.py MODE FRAMING` and returns it with the port it printed.
fn echo_server(mode: &str, framing: &str) -> (Reaped, u16) {
    let mut child = Command::new("python3")
        .args([&format!("{FIXTURES}/echo_server.py"), mode, framing])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3 runs");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout piped"))
        .read_line(&mut line)
        .expect("the server prints its port");
    let port = line.trim().parse().unwrap_or_else(|_| panic!("no port in '{line}'"));
    (Reaped(child), port)
}

fn torture(port: u16, framing: &str) -> Output {
    Command::new(BIN)
        .args(["send", "--tcp", &port.to_string(), "--framing", framing, "--torture"])
        .env("LC_ALL", "C.UTF-8")
        .output()
        .expect("stickyviz runs")
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn correct_echo_server_passes_every_scenario() {
    if !have_python() {
        return;
    }
    for framing in ["u32", "seed-json", "newline"] {
        let (_server, port) = echo_server("correct", framing);
        let out = torture(port, framing);
        let (stdout, stderr) = text(&out);
        assert!(
            out.status.success(),
            "{framing}: exit {:?}\n{stdout}\n{stderr}",
            out.status.code()
        );
        assert!(!stdout.contains("FAIL"), "{framing}:\n{stdout}");
        for name in [
            "one frame",
            "many frames in one write",
            "1-byte writes",
            "header apart from body",
            "empty body",
            "large body",
            "two clients at once",
        ] {
            assert!(
                stdout.lines().any(|l| l.starts_with("pass") && l.contains(name)),
                "{framing}: '{name}' did not pass:\n{stdout}"
            );
        }
        assert!(
            stdout.contains("upper-cased"),
            "{framing}: the answers are data.upper():\n{stdout}"
        );
        if framing == "newline" {
            assert!(
                stdout
                    .lines()
                    .any(|l| l.starts_with("n/a") && l.contains("length prefix split")),
                "{stdout}"
            );
        } else {
            assert!(
                stdout
                    .lines()
                    .any(|l| l.starts_with("pass") && l.contains("length prefix split")),
                "{stdout}"
            );
        }
    }
}

#[test]
fn naive_echo_server_fails_the_split_scenarios() {
    if !have_python() {
        return;
    }
    for framing in ["u32", "seed-json"] {
        let (_server, port) = echo_server("naive", framing);
        let out = torture(port, framing);
        let (stdout, stderr) = text(&out);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{framing}: a failed scenario is exit 1\n{stdout}\n{stderr}"
        );
        // the pauses force these cuts: recv(4) returns the bytes that are there, 1 or 2
        for name in ["1-byte writes", "length prefix split"] {
            assert!(
                stdout.lines().any(|l| l.starts_with("FAIL") && l.contains(name)),
                "{framing}: '{name}' did not fail:\n{stdout}"
            );
            assert!(
                stderr.contains(name),
                "{framing}: the error line names '{name}':\n{stderr}"
            );
        }
        // a frame that arrives whole is answered right even by a naive server
        assert!(
            stdout.lines().any(|l| l.starts_with("pass") && l.contains("one frame")),
            "{framing}:\n{stdout}"
        );
    }
}

#[test]
fn server_serving_one_client_at_a_time_fails_two_clients() {
    if !have_python() {
        return;
    }
    let (_server, port) = echo_server("serial", "u32");
    let out = torture(port, "u32");
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    // the first client holds the only place while it stays silent: forced, not timing
    let line = stdout
        .lines()
        .find(|l| l.contains("two clients at once"))
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(
        line.starts_with("FAIL") && line.contains("one client at a time"),
        "{stdout}"
    );
    // every other scenario reads exactly and passes
    assert_eq!(stdout.lines().filter(|l| l.starts_with("FAIL")).count(), 1, "{stdout}");
}

#[test]
fn torture_report_reads_in_chinese() {
    if !have_python() {
        return;
    }
    let (_server, port) = echo_server("naive", "u32");
    let out = Command::new(BIN)
        .args([
            "--lang",
            "zh",
            "send",
            "--tcp",
            &port.to_string(),
            "--framing",
            "u32",
            "--torture",
        ])
        .output()
        .expect("stickyviz runs");
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(stdout.contains("长度前缀被切开") && stdout.contains("失败"), "{stdout}");
    assert!(stderr.contains("长度前缀被切开"), "{stderr}");
}

#[test]
fn torture_needs_frames_and_a_server() {
    // no framing: nothing to check answers against, a usage error
    let out = Command::new(BIN)
        .args(["send", "--tcp", "9", "--torture"])
        .env("LC_ALL", "C.UTF-8")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2), "{:?}", text(&out));
    assert!(text(&out).1.contains("--framing"), "{:?}", text(&out));
    // nobody listening: every scenario fails to connect, said as such, exit 1
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let out = torture(port, "u32");
    let (stdout, _) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("cannot connect"), "{stdout}");
}

/// Runs `recv1024_client.py` against `listen --tcp 0 --framing u32 EXTRA` and returns whether
/// every answer came whole, with the client's output.
fn recv1024_client_against(extra: &str) -> (bool, String) {
    let mut listen = Session::start(&[
        "listen",
        "--headless",
        "--tcp",
        "0",
        "--framing",
        "u32",
        extra,
        "--clients",
        "1",
    ]);
    let line = listen.wait_for_line("listening on");
    let port = line.rsplit(':').next().map(str::trim).expect("a port").to_string();
    let client = Command::new("python3")
        .args([&format!("{FIXTURES}/recv1024_client.py"), &port, "3"])
        .output()
        .expect("python3 runs");
    let out = String::from_utf8_lossy(&client.stdout).into_owned();
    (client.status.success(), out)
}

#[test]
fn recv1024_client_is_caught_by_listen_torture() {
    if !have_python() {
        return;
    }
    let (whole, out) = recv1024_client_against("--echo");
    assert!(
        whole,
        "plain echo answers in one write, which one recv(1024) gets whole:\n{out}"
    );
    let (whole, out) = recv1024_client_against("--torture");
    assert!(
        !whole,
        "the first answer comes one byte per write: recv(1024) returns a piece:\n{out}"
    );
    assert!(out.contains("partial 0"), "{out}");
}
