//! Every failure a user can provoke, provoked for real with `--lang zh` through the real binary:
//! the message is Chinese around every English run, the only English left is the OS's quoted
//! words, a flag, a path or an address, and no OS error shows twice. Exit statuses as the
//! README's table says (1: a file not read or written, a socket that failed; 2: usage).

use std::io::Write;
use std::net::{TcpListener, UdpSocket};
use std::path::Path;
use std::process::{Command, Output};

#[path = "support/zh_only.rs"]
mod zh_only;
use zh_only::assert_zh_only;

const BIN: &str = env!("CARGO_BIN_EXE_stickyviz");

fn zh(args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("--lang")
        .arg("zh")
        .args(args)
        .env("LC_ALL", "C.UTF-8")
        // `stickyviz FILE` opens a window where there is a display: none here, so it says
        // the file's error on stderr alone
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .expect("run stickyviz")
}

/// The message of a failed command: its stderr, which must name the failure.
fn failure(what: &str, args: &[&str], status: i32) -> String {
    let out = zh(args);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(status), "{what}: {err}");
    let line = err
        .lines()
        .find(|l| l.starts_with("错误"))
        .unwrap_or_else(|| panic!("{what}: no error in {err:?}"));
    assert_zh_only(what, line);
    line.to_string()
}

/// One finished recording to break in the ways a file breaks.
fn recording(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("ok.json");
    let out = zh(&["run", "--count", "3", "--json", path.to_str().expect("utf-8 path")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    path
}

#[test]
fn the_checker_can_fail() {
    zh_only::self_test();
}

#[test]
fn a_port_in_use_is_said_in_chinese_with_the_os_words_once() {
    let taken = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port().to_string();
    let line = failure("listen --tcp in use", &["listen", "--headless", "--tcp", &port], 1);
    assert!(line.contains("“Address already in use”"), "{line}");
    assert!(line.contains(&format!("127.0.0.1:{port}")), "names the address: {line}");
    let udp = UdpSocket::bind("127.0.0.1:0").expect("bind");
    let port = udp.local_addr().expect("addr").port().to_string();
    failure("listen --udp in use", &["listen", "--headless", "--udp", &port], 1);
}

#[test]
fn an_output_path_that_cannot_be_written_is_said_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("no-such-dir/x.json");
    let line = failure(
        "run --json missing dir",
        &["run", "--count", "3", "--json", missing.to_str().unwrap()],
        1,
    );
    assert!(line.contains("“No such file or directory”"), "{line}");
    // a folder where the file should be: the OS refuses to create it
    let folder = dir.path().to_str().unwrap();
    failure("run --json a folder", &["run", "--count", "3", "--json", folder], 1);
    let rec = recording(dir.path());
    let rec = rec.to_str().unwrap();
    let svg = dir.path().join("no-such-dir/x.svg");
    failure(
        "render --out missing dir",
        &["render", rec, "--out", svg.to_str().unwrap()],
        1,
    );
    let pcap = dir.path().join("no-such-dir/x.pcapng");
    failure(
        "run --pcapng missing dir",
        &["run", "--count", "3", "--pcapng", pcap.to_str().unwrap()],
        1,
    );
}

#[test]
fn a_file_that_is_not_a_recording_is_said_in_the_cli_and_before_the_window() {
    let dir = tempfile::tempdir().expect("temp dir");
    let good = std::fs::read_to_string(recording(dir.path())).expect("read");
    let write = |name: &str, bytes: &[u8]| {
        let p = dir.path().join(name);
        std::fs::File::create(&p)
            .and_then(|mut f| f.write_all(bytes))
            .expect("write");
        p
    };
    let files = [
        dir.path().join("missing.json"),
        write("empty.json", b""),
        write("truncated.json", &good.as_bytes()[..good.len() / 2]),
        write("not-json.json", b"hello, I am not JSON"),
        write(
            "newer.json",
            good.replacen(
                &format!("\"version\":{}", stickyviz::recording::VERSION),
                "\"version\":99",
                1,
            )
            .as_bytes(),
        ),
        write("garbage.json.gz", b"\x1f\x8b\x08\x00garbage, not deflate"),
        write("latin1.json", b"{\"format\": \"caf\xe9\"}"),
    ];
    let svg = dir.path().join("x.svg");
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let path = f.to_str().unwrap();
        let line = failure(
            &format!("render {name}"),
            &["render", path, "--out", svg.to_str().unwrap()],
            1,
        );
        assert!(line.contains(&name), "names the file: {line}");
        // `stickyviz FILE` says it before any window opens
        failure(&format!("open {name}"), &[path], 2);
    }
    failure(
        "decode missing",
        &["decode", "--framing", "u32", files[0].to_str().unwrap()],
        1,
    );
}

#[test]
fn a_refused_connection_a_bad_address_and_a_bad_link_are_said_in_chinese() {
    // a port nobody listens on: bind one, note it, close it
    let port = TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let line = failure("send refused", &["send", "--tcp", &port.to_string(), "--count", "3"], 1);
    assert!(line.contains("“Connection refused”"), "{line}");
    failure("send bad --tcp", &["send", "--tcp", "not an address"], 2);
    failure(
        "listen bad --tcp",
        &["listen", "--headless", "--tcp", "127.0.0.1:99999"],
        2,
    );
    failure("run bad --link", &["run", "--link", "mtu=1"], 2);
}

#[test]
fn a_peer_that_resets_is_said_in_chinese() {
    let server = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = server.local_addr().expect("addr").port().to_string();
    let resetter = std::thread::spawn(move || {
        let (conn, _) = server.accept().expect("accept");
        // SO_LINGER 0: close() sends RST, with the client's bytes unread
        socket2::SockRef::from(&conn)
            .set_linger(Some(std::time::Duration::ZERO))
            .expect("linger");
        std::thread::sleep(std::time::Duration::from_millis(50));
    });
    // far more than the socket buffers hold, so the sender is still writing when the RST comes
    let out = zh(&["send", "--tcp", &port, "--count", "20000", "--size", "1000"]);
    resetter.join().expect("server thread");
    let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    // ECONNRESET, or EPIPE for a write after it: the OS's words, quoted, with the code
    let lines: Vec<&str> = text.lines().filter(|l| l.contains("（错误码")).collect();
    assert!(!lines.is_empty(), "the reset is reported: {text}");
    for l in lines {
        assert_zh_only("send to a resetting peer", l);
    }
}

/// `user.max_user_namespaces` and `user.max_net_namespaces` set to 0 inside a user namespace
/// of our own (as tests/link.rs does): the kernel refuses the link's namespace for real.
#[test]
fn a_refused_link_is_said_in_chinese() {
    let script = format!(
        "echo 0 > /proc/sys/user/max_user_namespaces && echo 0 > /proc/sys/user/max_net_namespaces || exit 99; \
         '{BIN}' --lang zh run --preset real-mss"
    );
    let out = match Command::new("unshare").args(["-U", "-r", "sh", "-c", &script]).output() {
        Ok(o) if o.status.code() != Some(99) && !String::from_utf8_lossy(&o.stderr).contains("unshare failed") => o,
        Ok(o) => {
            return eprintln!(
                "skipped: no user namespace here: {}",
                String::from_utf8_lossy(&o.stderr)
            )
        }
        Err(e) => return eprintln!("skipped: no unshare(1): {e}"),
    };
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    let line = err.lines().find(|l| l.starts_with("错误")).expect("an error line");
    assert_zh_only("refused link", line);
    assert!(line.contains("--link"), "names the flag: {line}");
}

/// The address-in-use lesson shows the OS refusing the second `bind()` on purpose: the same
/// rule, the OS's words quoted once inside Chinese.
#[test]
fn the_address_in_use_lesson_quotes_the_os_refusal_in_chinese() {
    let out = zh(&["run", "--preset", "address-in-use"]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let lines: Vec<&str> = text.lines().filter(|l| l.contains("（错误码")).collect();
    assert!(!lines.is_empty(), "the refused bind() is shown: {text}");
    for l in lines {
        assert!(l.contains("“Address already in use”"), "{l}");
        assert_zh_only("address-in-use", l.trim());
    }
}
