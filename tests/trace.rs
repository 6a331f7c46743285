//! `stickyviz trace`: the course's own programs (tests/fixtures/trace, copied from the course and
//! changed only where they cannot run) traced for real, both ends at once, and what the picture
//! must show of each: the lockstep echo's exact reads, a slow server's merged read, the struct +
//! JSON replies decoded whole, the remote command's reads falling behind, datagrams keeping their
//! boundaries (an empty one too), three socketserver clients on three streams and the handler's
//! spin counted, the hmac handshake's 32 bytes, a C program's write()/read(). Causality holds in
//! every one, and no process, fd or thread is left behind.
//!
//! Assertions are what the programs force, never one run's timing: the lockstep client waits
//! for each answer before it sends again; the slow server sleeps before its first recv().

#![cfg(all(target_os = "linux", any(target_arch = "x86_64", target_arch = "aarch64")))]

#[path = "support/skip.rs"]
mod skip;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use skip::{have, skip, Missing};
use stickyviz::analysis::Model;
use stickyviz::engine::trace::{ProgramEnd, Role, StopCause, SysCall, TraceFact};
use stickyviz::facts::Event;
use stickyviz::recording::Recording;

const BIN: &str = env!("CARGO_BIN_EXE_stickyviz");

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/trace")
}

/// A port free now (TCP and UDP), for one test's pair.
fn free_port() -> u16 {
    loop {
        let tcp = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = tcp.local_addr().expect("addr").port();
        if std::net::UdpSocket::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
}

/// The fixtures `names` in a fresh folder, the course's ports replaced by `port`.
fn stage(names: &[&str], port: u16) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for name in names {
        let text = std::fs::read_to_string(fixtures().join(name)).expect("fixture");
        let text = ["8080", "9000", "9999"]
            .iter()
            .fold(text, |t, p| t.replace(p, &port.to_string()));
        std::fs::write(dir.path().join(name), text).expect("write fixture");
    }
    dir
}

struct Traced {
    out: Output,
    rec: Recording,
}

impl Traced {
    fn code(&self) -> Option<i32> {
        self.out.status.code()
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.out.stdout).into_owned()
    }

    fn model(&self) -> Model {
        let m = Model::from_events(&self.rec.events);
        assert_eq!(m.summary().causality_violations, 0, "causality: {}", self.text());
        m
    }

    fn facts(&self) -> Vec<&TraceFact> {
        self.rec
            .events
            .iter()
            .filter_map(|e| match e {
                Event::Trace { fact } => Some(fact),
                _ => None,
            })
            .collect()
    }

    fn calls(&self, role: Role, call: SysCall) -> u64 {
        self.facts()
            .iter()
            .find_map(|f| match f {
                TraceFact::Calls { role: r, counts } if *r == role => {
                    Some(counts.iter().find(|(c, _)| *c == call).map_or(0, |(_, n)| *n))
                }
                _ => None,
            })
            .unwrap_or(0)
    }

    fn ended(&self, role: Role) -> (ProgramEnd, Option<StopCause>) {
        self.facts()
            .iter()
            .find_map(|f| match f {
                TraceFact::Ended {
                    role: r, end, stopped, ..
                } if *r == role => Some((*end, *stopped)),
                _ => None,
            })
            .unwrap_or_else(|| panic!("{role:?} never ended: {}", self.text()))
    }
}

/// `stickyviz trace ARGS --json FILE` in `dir`.
fn trace(dir: &Path, args: &[&str]) -> Traced {
    let json = dir.join("trace.json");
    let out = Command::new(BIN)
        .current_dir(dir)
        .args(["--lang", "en", "trace", "--json"])
        .arg(&json)
        .args(args)
        .output()
        .expect("run stickyviz");
    let rec = Recording::load(&json).unwrap_or_else(|e| {
        panic!(
            "no recording ({e:?}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    Traced { out, rec }
}

fn input(dir: &Path, text: &str) -> String {
    let path = dir.join("input.txt");
    std::fs::write(&path, text).expect("input");
    path.display().to_string()
}

fn python() -> bool {
    if have("python3") {
        return true;
    }
    skip(Missing::Tool("python3"), "the course's programs are Python");
    false
}

/// The read events of one axis (requests, or the replies inside `Reply`).
fn reads(events: &[Event], replies: bool) -> Vec<(u32, u32)> {
    events
        .iter()
        .filter_map(|e| match (e, replies) {
            (Event::Read { len, requested, .. }, false) => Some((*len, *requested)),
            (Event::Reply { event }, true) => match **event {
                Event::Read { len, requested, .. } => Some((len, requested)),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

fn writes(events: &[Event], replies: bool) -> Vec<u32> {
    events
        .iter()
        .filter_map(|e| match (e, replies) {
            (Event::Write { len, .. }, false) => Some(*len),
            (Event::Reply { event }, true) => match **event {
                Event::Write { len, .. } => Some(len),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

#[test]
fn the_course_echo_pair_is_lockstep_every_read_one_message() {
    if !python() {
        return;
    }
    let port = free_port();
    let dir = stage(&["echo_server.py", "echo_client.py"], port);
    let stdin = input(dir.path(), "hello\nworld\n你好\nexit\n");
    let t = trace(
        dir.path(),
        &[
            "--server",
            "python3 echo_server.py",
            "--client",
            "python3 echo_client.py",
            "--client-input",
            &stdin,
        ],
    );
    assert_eq!(t.code(), Some(0), "{}", t.text());
    let m = t.model();
    let s = m.summary();
    // the client waits for each answer before it sends the next line: nothing can merge
    assert_eq!((s.writes, s.reads), (3, 3), "{}", t.text());
    assert_eq!((s.exact_reads, s.merged_reads), (3, 0));
    assert_eq!(
        reads(&t.rec.events, false).iter().map(|r| r.1).collect::<Vec<_>>(),
        [1024; 3]
    );
    let replies = &m.echo().expect("reply axis").replies;
    assert_eq!(replies.summary().reads, 3);
    // the client's lines on the request axis, the server's upper-cased answers on the reply axis
    let bytes = |replies: bool| -> Vec<u8> {
        t.rec
            .events
            .iter()
            .filter_map(|e| match (e, replies) {
                (Event::Bytes { data, .. }, false) => Some(data.clone()),
                (Event::Reply { event }, true) => match &**event {
                    Event::Bytes { data, .. } => Some(data.clone()),
                    _ => None,
                },
                _ => None,
            })
            .flatten()
            .collect()
    };
    assert_eq!(bytes(false), "helloworld你好".as_bytes());
    assert_eq!(bytes(true), "HELLOWORLD你好".as_bytes());
    assert_eq!(t.calls(Role::Server, SysCall::RecvFrom), 4, "three lines and the end");
    assert_eq!(t.calls(Role::Client(0), SysCall::SendTo), 3);
    assert_eq!(t.ended(Role::Client(0)).0, ProgramEnd::Exited { code: 0 });
    assert_eq!(t.ended(Role::Server).1, Some(StopCause::ClientsDone));
    assert!(
        t.text().contains("服务端返回消息为：HELLO"),
        "the client's output is kept"
    );
}

#[test]
fn five_sends_before_a_slow_server_reads_come_back_as_one_read() {
    if !python() {
        return;
    }
    let port = free_port();
    let dir = stage(&["echo_server_slow.py", "burst_client.py"], port);
    let t = trace(
        dir.path(),
        &[
            "--server",
            "python3 echo_server_slow.py",
            "--client",
            "python3 burst_client.py",
        ],
    );
    assert_eq!(t.code(), Some(0), "{}", t.text());
    let m = t.model();
    assert_eq!(writes(&t.rec.events, false), [5; 5]);
    // the server slept 0.3 s after accept(): the five sends were all waiting
    assert_eq!(reads(&t.rec.events, false).first(), Some(&(25, 1024)), "{}", t.text());
    assert_eq!(m.summary().merged_reads, 1);
}

#[test]
fn the_struct_json_fix_decodes_every_reply_frame() {
    if !python() {
        return;
    }
    let port = free_port();
    let dir = stage(&["json_server.py", "json_client.py"], port);
    let stdin = input(dir.path(), "echo hi\nseq 1 400\nexit\n");
    let t = trace(
        dir.path(),
        &[
            "--server",
            "python3 json_server.py",
            "--client",
            "python3 json_client.py",
            "--client-input",
            &stdin,
            "--framing",
            "seed-json",
            "--framing-axes",
            "replies",
        ],
    );
    assert_eq!(t.code(), Some(0), "{}", t.text());
    let m = t.model();
    let replies = &m.echo().expect("replies").replies;
    let s = replies.summary();
    assert_eq!((s.frames, s.decode_errors), (2, 0), "{}", t.text());
    assert_eq!(s.intact_frames, 2);
    // the header's three sends per reply: length, JSON header, output
    assert_eq!(writes(&t.rec.events, true).len(), 6);
    assert_eq!(m.summary().decode_errors, 0, "the commands are not framed");
}

#[test]
fn remote_command_output_past_1024_bytes_leaves_the_reads_behind() {
    if !python() {
        return;
    }
    let port = free_port();
    let dir = stage(&["cmd_server.py", "cmd_client.py"], port);
    let stdin = input(dir.path(), "seq 1 1000\n");
    let t = trace(
        dir.path(),
        &[
            "--server",
            "python3 cmd_server.py",
            "--client",
            "python3 cmd_client.py",
            "--client-input",
            &stdin,
        ],
    );
    // the course's client has no way out of its input() loop: EOFError at the end of the input
    assert_eq!(t.ended(Role::Client(0)).0, ProgramEnd::Exited { code: 1 });
    assert_eq!(t.code(), Some(1));
    t.model();
    let sent: u32 = writes(&t.rec.events, true).iter().sum();
    let read: u32 = reads(&t.rec.events, true).iter().map(|r| r.0).sum();
    assert_eq!(sent, 3893, "seq 1 1000 prints 3893 bytes");
    assert_eq!(
        reads(&t.rec.events, true),
        [(1024, 1024)],
        "one recv(1024), the rest left behind"
    );
    assert!(read < sent);
}

#[test]
fn datagrams_keep_their_boundaries_and_an_empty_one_arrives() {
    if !python() {
        return;
    }
    let port = free_port();
    let dir = stage(&["time_server.py", "time_client.py"], port);
    let stdin = input(dir.path(), "\n%Y\nhello\n");
    let t = trace(
        dir.path(),
        &[
            "--server",
            "python3 time_server.py",
            "--client",
            "python3 time_client.py",
            "--client-input",
            &stdin,
        ],
    );
    t.model();
    let sent: Vec<(u32, u32)> = t
        .rec
        .events
        .iter()
        .filter_map(|e| match e {
            Event::DatagramSent { msg, len, .. } => Some((msg.0, *len)),
            _ => None,
        })
        .collect();
    let received: Vec<(Option<u32>, u32)> = t
        .rec
        .events
        .iter()
        .filter_map(|e| match e {
            Event::DatagramReceived { msg, len, .. } => Some((msg.map(|m| m.0), *len)),
            _ => None,
        })
        .collect();
    // one numbering for both ways: each question's answer took the number after it
    assert_eq!(sent, [(0, 0), (2, 2), (4, 5)], "{}", t.text());
    // each datagram whole, the empty one too, matched to its send by its bytes
    assert_eq!(received, [(Some(0), 0), (Some(2), 2), (Some(4), 5)]);
    let replies = t
        .rec
        .events
        .iter()
        .filter(
            |e| matches!(e, Event::Reply { event } if matches!(**event, Event::DatagramReceived { msg: Some(_), .. })),
        )
        .count();
    assert_eq!(replies, 3, "each answer received whole");
}

#[test]
fn three_socketserver_clients_are_three_streams_and_the_handler_spin_is_counted() {
    if !python() {
        return;
    }
    let port = free_port();
    let dir = stage(&["socketserver_server.py", "socketserver_client.py"], port);
    let stdin = input(dir.path(), "hello\nworld\n");
    let client = "python3 socketserver_client.py";
    let t = trace(
        dir.path(),
        &[
            "--server",
            "python3 socketserver_server.py",
            "--client",
            client,
            "--client",
            client,
            "--client",
            client,
            "--client-input",
            &stdin,
        ],
    );
    let m = t.model();
    let conns = 1 + m.echo().map_or(0, |e| e.connections.len());
    assert_eq!(conns, 3, "{}", t.text());
    let mut data_reads = m.summary().reads;
    for c in m.echo().expect("connections").connections.iter() {
        assert_eq!(c.summary().reads, 2, "each client's two lines");
        data_reads += c.summary().reads;
    }
    // the handler has no `if not data: break`: once a client leaves it reads 0 bytes again
    // and again; each 0 counted, none of them an event
    let empty: u64 = t
        .facts()
        .iter()
        .filter_map(|f| match f {
            TraceFact::EmptyReads { count, .. } => Some(*count),
            _ => None,
        })
        .sum();
    assert!(empty >= 3, "at least one empty read per connection: {}", t.text());
    assert_eq!(
        t.calls(Role::Server, SysCall::RecvFrom),
        data_reads + empty,
        "counted exactly"
    );
    assert!(!t.rec.events.iter().any(|e| matches!(e, Event::Read { len: 0, .. })));
    assert!(t.rec.events.len() < 2_000, "bounded: {} events", t.rec.events.len());
    assert!(t.text().contains("returned 0 bytes"), "said: {}", t.text());
}

#[test]
fn the_hmac_handshake_is_a_32_byte_challenge_on_the_stream() {
    if !python() {
        return;
    }
    let port = free_port();
    let dir = stage(&["hmac_server.py", "hmac_client.py"], port);
    let stdin = input(dir.path(), "hello\nquit\n");
    let t = trace(
        dir.path(),
        &[
            "--server",
            "python3 hmac_server.py",
            "--client",
            "python3 hmac_client.py",
            "--client-input",
            &stdin,
        ],
    );
    assert_eq!(t.code(), Some(0), "{}", t.text());
    t.model();
    assert_eq!(writes(&t.rec.events, true).first(), Some(&32), "the challenge");
    assert_eq!(reads(&t.rec.events, true).first(), Some(&(32, 32)), "recv(32)");
    assert_eq!(writes(&t.rec.events, false).first(), Some(&16), "the md5 digest");
    assert!(t.text().contains("HELLO"), "{}", t.text());
}

#[test]
fn a_c_client_using_write_and_read_is_drawn_the_same() {
    if !python() {
        return;
    }
    if !have("cc") {
        return skip(Missing::Tool("cc"), "compiles the C client");
    }
    let port = free_port();
    let dir = stage(&["echo_server.py"], port);
    let exe = dir.path().join("write_read");
    let built = Command::new("cc")
        .arg("-o")
        .arg(&exe)
        .arg(fixtures().join("write_read.c"))
        .status()
        .expect("cc");
    assert!(built.success());
    let client = format!("./write_read {port}");
    let t = trace(dir.path(), &["--server", "python3 echo_server.py", "--client", &client]);
    assert_eq!(t.code(), Some(0), "{}", t.text());
    let m = t.model();
    // the lanes are named after the calls made: the client's write(), the server's recvfrom()
    assert_eq!(m.lane_calls(), Some((&[SysCall::Write][..], &[SysCall::RecvFrom][..])));
    let replies = &m.echo().expect("replies").replies;
    assert_eq!(
        replies.lane_calls(),
        Some((&[SysCall::SendTo][..], &[SysCall::Read][..]))
    );
    assert_eq!(t.calls(Role::Client(0), SysCall::Write), 3, "{}", t.text());
    assert!(t.calls(Role::Client(0), SysCall::Read) >= 1);
    assert_eq!(t.calls(Role::Client(0), SysCall::SendTo), 0, "write(), never send()");
    assert_eq!(writes(&t.rec.events, false), [4, 4, 4]);
    let answered: u32 = reads(&t.rec.events, true).iter().map(|r| r.0).sum();
    assert_eq!(answered, 12);
}

/// Processes whose command line starts with `marker` (the program itself: not stickyviz, whose
/// command line names it too).
fn alive(marker: &str) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        if let Ok(cmd) = std::fs::read(entry.path().join("cmdline")) {
            let cmd = String::from_utf8_lossy(&cmd).replace('\0', " ");
            if cmd.starts_with(marker) {
                found.push(cmd);
            }
        }
    }
    found
}

#[test]
fn bad_programs_are_refused_or_reported_and_none_is_left_behind() {
    let dir = tempfile::tempdir().expect("dir");
    let run = |args: &[&str]| {
        Command::new(BIN)
            .current_dir(dir.path())
            .args(["--lang", "en", "trace"])
            .args(args)
            .output()
            .expect("run")
    };
    let missing = run(&["--", "no-such-program-29"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no such program"));
    std::fs::write(dir.path().join("plain.sh"), "echo hi\n").expect("write");
    let plain = run(&["--", "./plain.sh"]);
    assert_eq!(plain.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&plain.stderr).contains("not executable"));
    assert_eq!(run(&[]).status.code(), Some(2), "no command");
    assert_eq!(run(&["--timeout-s", "0", "--", "true"]).status.code(), Some(2));

    // never exits: stopped at --timeout-s, what was recorded kept, nothing left running
    let t = trace(dir.path(), &["--timeout-s", "1", "--", "sleep", "29.29"]);
    assert_eq!(t.code(), Some(1));
    let (end, stopped) = t.ended(Role::Program);
    assert_eq!(stopped, Some(StopCause::Timeout));
    assert!(matches!(end, ProgramEnd::Signaled { signal: 9, .. }));
    assert!(alive("sleep 29.29").is_empty(), "{:?}", alive("sleep 29.29"));

    // crashes: the signal is said
    let t = trace(dir.path(), &["--", "sh", "-c", "kill -SEGV $$"]);
    assert_eq!(t.code(), Some(1));
    assert!(matches!(
        t.ended(Role::Program).0,
        ProgramEnd::Signaled { signal: 11, .. }
    ));
}

#[test]
fn a_signal_stops_both_programs_keeps_the_recording_and_leaves_none_behind() {
    let dir = tempfile::tempdir().expect("dir");
    let json = dir.path().join("t.json");
    let child = Command::new(BIN)
        .args(["--lang", "en", "trace", "--json"])
        .arg(&json)
        .args(["--server", "sleep 29.31", "--client", "true"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    // the server never binds: wait until it runs, then Ctrl-C
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while alive("sleep 29.31").is_empty() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let pid = child.id() as i32;
    assert!(Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .expect("kill")
        .success());
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(130));
    assert!(alive("sleep 29.31").is_empty());
    let rec = Recording::load(&json).expect("recording kept");
    assert!(rec.events.iter().any(|e| matches!(
        e,
        Event::Trace {
            fact: TraceFact::Ended {
                role: Role::Server,
                stopped: Some(StopCause::Stopped),
                ..
            }
        }
    )));
}

#[test]
fn af_unix_stream_ends_meet_on_one_axis() {
    if !python() {
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("u.sock");
    let server = format!(
        "import socket\ns=socket.socket(socket.AF_UNIX,socket.SOCK_STREAM)\ns.bind({path:?})\ns.listen(1)\n\
         c,_=s.accept()\nwhile True:\n    d=c.recv(1024)\n    if not d: break\n    c.sendall(d.upper())\n"
    );
    let client = format!(
        "import socket\nc=socket.socket(socket.AF_UNIX,socket.SOCK_STREAM)\nc.connect({path:?})\n\
         for m in [b'one',b'two',b'three']:\n    c.sendall(m)\n    print(c.recv(1024))\nc.close()\n"
    );
    std::fs::write(dir.path().join("s.py"), server).expect("write");
    std::fs::write(dir.path().join("c.py"), client).expect("write");
    let t = trace(dir.path(), &["--server", "python3 s.py", "--client", "python3 c.py"]);
    assert_eq!(t.code(), Some(0), "{}", t.text());
    let m = t.model();
    // one connection: the client's three writes and the server's three reads on one axis
    assert!(m.echo().is_none_or(|e| e.connections.is_empty()), "{}", t.text());
    assert_eq!(writes(&t.rec.events, false), [3, 3, 5]);
    assert_eq!(reads(&t.rec.events, false).len(), 3);
    assert_eq!(m.summary().exact_reads, 3, "lockstep: each read one message");
}

#[test]
fn a_forking_server_child_calls_are_followed() {
    if !python() {
        return;
    }
    let port = free_port();
    let dir = stage(&["socketserver_server.py", "socketserver_client.py"], port);
    // the course's server with ForkingTCPServer: each client is served by a child process
    let server = std::fs::read_to_string(dir.path().join("socketserver_server.py"))
        .expect("read")
        .replace("ThreadingTCPServer", "ForkingTCPServer");
    std::fs::write(dir.path().join("forking_server.py"), server).expect("write");
    let stdin = input(dir.path(), "hello\n");
    let t = trace(
        dir.path(),
        &[
            "--server",
            "python3 forking_server.py",
            "--client",
            "python3 socketserver_client.py",
            "--client-input",
            &stdin,
        ],
    );
    t.model();
    // the recv() that got "hello" was the forked child's, drawn on the connection's axis
    assert_eq!(reads(&t.rec.events, false).first(), Some(&(5, 1024)), "{}", t.text());
    assert_eq!(writes(&t.rec.events, true).first(), Some(&5));
}
