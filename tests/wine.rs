//! The Windows CLI's key lessons under Wine: the mingw build of `stickyviz.exe`
//! (x86_64-pc-windows-gnu) on real loopback sockets. Wine runs the program's Winsock calls on
//! this machine's kernel with Windows' semantics where it reproduces them, notably a datagram
//! bigger than the `recvfrom()` buffer failing with `WSAEMSGSIZE` (10040).
//!
//! `scripts/wine.sh` builds what these tests need (the .exe, the `ProcessPrng` DLL beside it,
//! the Wine prefix) and runs them; without it each test prints "skipped: why".

#[path = "support/skip.rs"]
mod skip;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::sync::OnceLock;
use std::time::{Duration, Instant, SystemTime};

use stickyviz::recording::Recording;

const BIN: &str = env!("CARGO_BIN_EXE_stickyviz");
/// How long a step may take before the test calls the program stuck (Wine starts slowly on a
/// busy machine); not a timing assertion, only a guard against hanging forever.
const STEP: Duration = Duration::from_secs(120);

/// The Windows build and the Wine to run it with.
struct Wine {
    wine: PathBuf,
    exe: PathBuf,
    prefix: PathBuf,
}

/// The target directory this test binary was built in (`target/debug/stickyviz` → `target`).
fn target_dir() -> PathBuf {
    let bin = Path::new(BIN);
    bin.parent()
        .and_then(Path::parent)
        .map_or_else(|| PathBuf::from("target"), Path::to_path_buf)
}

fn find_wine() -> Option<PathBuf> {
    if let Some(w) = std::env::var_os("WINE") {
        return Some(PathBuf::from(w));
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in ["wine64", "wine"] {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    // Debian's wine64 package installs the loader here, without a link on PATH.
    Some(PathBuf::from("/usr/lib/wine/wine64")).filter(|p| p.is_file())
}

/// The newest modification time of the sources the .exe is built from.
fn newest_source() -> Option<SystemTime> {
    fn walk(dir: &Path, newest: &mut Option<SystemTime>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, newest);
            } else if let Ok(t) = e.metadata().and_then(|m| m.modified()) {
                *newest = (*newest).max(Some(t));
            }
        }
    }
    let mut newest = None;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    walk(&root.join("src"), &mut newest);
    walk(&root.join("crates"), &mut newest);
    newest
}

fn find_setup() -> Result<Wine, String> {
    let wine = find_wine().ok_or("wine is not installed (apt-get install wine64)")?;
    let debug = target_dir().join("x86_64-pc-windows-gnu").join("debug");
    let exe = debug.join("stickyviz.exe");
    let built = std::fs::metadata(&exe)
        .and_then(|m| m.modified())
        .map_err(|_| format!("{} is missing (scripts/wine.sh builds it)", exe.display()))?;
    if newest_source().is_some_and(|src| src > built) {
        return Err(format!(
            "{} is older than src/ or crates/ (scripts/wine.sh rebuilds it)",
            exe.display()
        ));
    }
    if !debug.join("bcryptprimitives.dll").is_file() {
        return Err("bcryptprimitives.dll is not beside the .exe (scripts/wine-prng/build.sh builds it)".into());
    }
    let prefix = target_dir().join("wine-prefix");
    // First use of a prefix takes Wine seconds to set up; scripts/wine.sh does it once ahead.
    if !prefix.join("system.reg").is_file() {
        let status = Command::new(&wine)
            .arg("wineboot")
            .arg("-i")
            .env("WINEPREFIX", &prefix)
            .env("WINEDEBUG", "-all")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map_err(|e| format!("{} does not start: {e}", wine.display()))?;
        if !status.success() {
            return Err(format!("wineboot -i failed: {status}"));
        }
    }
    Ok(Wine { wine, exe, prefix })
}

/// The setup, found once per test binary; None (after printing why) when it is missing.
fn setup() -> Option<&'static Wine> {
    static SETUP: OnceLock<Result<Wine, String>> = OnceLock::new();
    match SETUP.get_or_init(find_setup) {
        Ok(w) => Some(w),
        Err(why) => {
            // scripts/wine.sh builds the .exe and then runs these tests with WINE set; in the
            // plain `cargo test` before it they wait for that step
            let missing = match std::env::var_os("WINE") {
                Some(_) => skip::Missing::Tool("wine64, mingw (scripts/wine.sh)"),
                None => skip::Missing::RunByScript("scripts/wine.sh"),
            };
            skip::skip(missing, why);
            None
        }
    }
}

impl Wine {
    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(&self.wine);
        c.arg(&self.exe)
            .arg("--lang")
            .arg("en")
            .args(args)
            .env("WINEPREFIX", &self.prefix)
            .env("WINEDEBUG", "-all")
            .stdin(Stdio::null());
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        let out = self.command(args).output().expect("wine starts");
        assert!(
            out.status.success(),
            "stickyviz.exe {args:?} failed: {}\nstdout: {}\nstderr: {}",
            out.status,
            text(&out.stdout),
            text(&out.stderr)
        );
        out
    }

    /// Starts the .exe with stdout and stderr piped; stderr comes line by line over a channel.
    fn spawn(&self, args: &[&str]) -> (Running, Receiver<String>) {
        let mut child = self
            .command(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("wine starts");
        let lines = BufReader::new(child.stderr.take().expect("stderr piped")).lines();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                if tx.send(line).is_err() {
                    return;
                }
            }
        });
        (Running(child), rx)
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A Unix path as the Windows program names it: Wine maps `/` to drive `Z:`.
fn windows_path(p: &Path) -> String {
    format!("Z:{}", p.display()).replace('/', "\\")
}

fn recording(out: &Output) -> Recording {
    Recording::from_json(&text(&out.stdout))
        .unwrap_or_else(|e| panic!("stdout is a recording ({e}); stderr: {}", text(&out.stderr)))
}

fn wait_for_line(rx: &Receiver<String>, needle: &str, seen: &mut Vec<String>) -> String {
    let end = Instant::now() + STEP;
    loop {
        match rx.recv_timeout(end.saturating_duration_since(Instant::now())) {
            Ok(line) if line.contains(needle) => return line,
            Ok(line) => seen.push(line),
            Err(RecvTimeoutError::Timeout) => panic!("no stderr line with '{needle}' within {STEP:?}: {seen:#?}"),
            Err(RecvTimeoutError::Disconnected) => panic!("stderr closed before '{needle}': {seen:#?}"),
        }
    }
}

/// The running .exe, ended if the test fails before it exits.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        if self.0.try_wait().ok().flatten().is_none() {
            let _already_gone = self.0.kill();
            let _reaped = self.0.wait();
        }
    }
}

/// Waits for the child to exit with `code` (the exit-status contract: 1 when a client's frames
/// could not be decoded, 0 otherwise) and returns its stdout.
fn finish(mut child: Running, rx: Receiver<String>, mut seen: Vec<String>, code: i32) -> String {
    let mut stdout = String::new();
    child
        .0
        .stdout
        .take()
        .expect("stdout piped")
        .read_to_string(&mut stdout)
        .expect("stdout");
    let status = child.0.wait().expect("child status");
    seen.extend(rx.try_iter());
    assert_eq!(
        status.code(),
        Some(code),
        "stickyviz.exe ended {status}; stderr: {seen:#?}"
    );
    stdout
}

#[test]
fn slow_reader_merges_messages_on_windows() {
    let Some(w) = setup() else { return };
    let rec = recording(&w.run(&["run", "--preset", "slow-reader", "--json", "-"]));
    let s = &rec.summary;
    assert_eq!(s.messages, 12);
    assert_eq!(s.bytes_received, s.bytes_sent, "every byte arrives");
    // The reader starts 50 ms late with all 12 messages queued: at least one read merges.
    assert!(s.merged_reads >= 1, "{s:#?}");
    // Windows counts no segments per write: nothing is made up in their place.
    assert_eq!(s.segments_captured, None);
    assert_eq!(s.segments_tcp_info, None);
}

#[test]
fn udp_truncate_fails_reads_with_wsaemsgsize_on_windows() {
    let Some(w) = setup() else { return };
    let out = w.run(&["run", "--preset", "udp-truncate", "--json", "-"]);
    let s = &recording(&out).summary;
    // Six of the preset's twelve messages are longer than recvfrom(100).
    assert_eq!(s.datagrams_truncated, 6, "{s:#?}");
    assert_eq!(
        s.datagram_errors, 6,
        "each truncated read failed, the Windows way: {s:#?}"
    );
    assert_eq!(s.datagram_error_code, Some(10040));
    assert!(s.datagram_bytes_lost > 0);
    let stderr = text(&out.stderr);
    assert!(stderr.contains("6 × WSAEMSGSIZE (10040)"), "{stderr}");
    assert!(
        stderr.contains("Linux and macOS return those bytes without an error"),
        "{stderr}"
    );
}

#[test]
fn decode_reads_a_file_given_as_a_windows_path() {
    let Some(w) = setup() else { return };
    let mut f = tempfile::NamedTempFile::new().expect("temp file");
    for p in [&b"hello"[..], b"", b"sticky packets"] {
        f.write_all(&(p.len() as u32).to_be_bytes()).expect("write");
        f.write_all(p).expect("write");
    }
    f.flush().expect("flush");
    let out = w.run(&[
        "decode",
        "--framing",
        "u32",
        "--read-size",
        "3",
        &windows_path(f.path()),
    ]);
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("frame 0 at offset 0: 5 bytes payload (9 on the stream) \"hello\""),
        "{stdout}"
    );
    assert!(
        stdout.contains("frame 2 at offset 13: 14 bytes payload (18 on the stream) \"sticky packets\""),
        "{stdout}"
    );
    assert!(stdout.contains("3 frames from 31 bytes in reads of 3"), "{stdout}");
}

#[test]
fn listen_survives_a_client_reset_mid_frame_then_serves_a_linux_client() {
    let Some(w) = setup() else { return };
    // --echo: a client's first reply proves the listener accepted it and is reading.
    let (child, rx) = w.spawn(&[
        "listen",
        "--headless",
        "--tcp",
        "127.0.0.1:0",
        "--framing",
        "u32",
        "--echo",
        "--clients",
        "1",
    ]);
    let mut seen = Vec::new();
    let line = wait_for_line(&rx, "listening on", &mut seen);
    let port: u16 = line
        .rsplit(':')
        .next()
        .and_then(|p| p.trim().parse().ok())
        .unwrap_or_else(|| panic!("no port in '{line}'"));
    let addr = SocketAddr::from(([127, 0, 0, 1], port));

    // A whole frame and half of the next in one write, then a reset (SO_LINGER 0). The listener
    // echoes frame by frame: the whole frame's echo proves it has read that write.
    let rude = TcpStream::connect(addr).expect("connect");
    let rude_addr = rude.local_addr().expect("local address");
    rude.set_nodelay(true).expect("nodelay");
    rude.set_read_timeout(Some(STEP)).expect("read timeout");
    (&rude)
        .write_all(&[0, 0, 0, 1, b'a', 0, 0, 0, 9, b'h'])
        .expect("send a frame and half of the next");
    (&rude)
        .read_exact(&mut [0u8; 5])
        .expect("the listener echoes the whole frame");
    // The half frame may have come in a read of its own: give the listener a moment to take it.
    std::thread::sleep(Duration::from_millis(300));
    socket2::SockRef::from(&rude)
        .set_linger(Some(Duration::ZERO))
        .expect("linger 0");
    drop(rude);
    // Windows' recv() fails with WSAECONNRESET and the client is listed as a reset; Wine 8
    // reports the same reset as an end of stream (measured), so either report is what the OS
    // said. What must hold: the frame it cut is named and the listener goes on serving.
    let report = wait_for_line(&rx, &format!("client {rude_addr}:"), &mut seen);
    assert!(report.contains("in the middle of a frame"), "{report}");

    let mut good = TcpStream::connect(addr).expect("connect");
    good.set_read_timeout(Some(STEP)).expect("read timeout");
    let good_addr = good.local_addr().expect("local address");
    for p in [&b"one"[..], b"two"] {
        good.write_all(&(p.len() as u32).to_be_bytes()).expect("send");
        good.write_all(p).expect("send");
    }
    good.shutdown(std::net::Shutdown::Write).expect("FIN");
    let mut rest = Vec::new();
    let _closed_or_reset = good.read_to_end(&mut rest);
    let report = wait_for_line(&rx, &format!("client {good_addr}:"), &mut seen);
    assert!(report.contains("served: 14 B, 2 frames"), "{report}");
    assert_eq!(
        rest.to_ascii_lowercase(),
        [&[0, 0, 0, 3][..], b"one", &[0, 0, 0, 3], b"two"].concat(),
        "the echo, upper-cased"
    );
    // Exit 1: the reset client's cut frame could not be decoded (as on Linux, tests/listen_peers.rs).
    finish(child, rx, seen, 1);
}

#[test]
fn send_delivers_every_byte_to_a_linux_server() {
    let Some(w) = setup() else { return };
    let server = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = server.local_addr().expect("address").port().to_string();
    let reader = std::thread::spawn(move || {
        let (mut s, _) = server.accept().expect("accept");
        let mut all = Vec::new();
        s.read_to_end(&mut all).map(|_| all.len() as u64)
    });
    let out = w.run(&["send", "--tcp", &port, "--preset", "json-header", "--json", "-"]);
    let rec = recording(&out);
    let received = reader.join().expect("reader thread").expect("read the stream");
    assert!(rec.summary.bytes_sent > 0);
    assert_eq!(
        received, rec.summary.bytes_sent,
        "the Linux server got every byte the Windows sender wrote"
    );
}
