//! Every flag of every subcommand, fed nonsense: 0, negative, huge, not a number, empty, an
//! unknown name. Each is either accepted (a run that works, a file that is not there) or
//! refused with exit code 2 and a message that names the flag; nothing panics or hangs. The
//! flags are read from the command tree itself, so a new flag is covered the day it is added.

use std::io::Read;
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use clap::CommandFactory;
use stickyviz::cli::Cli;

const BIN: &str = env!("CARGO_BIN_EXE_stickyviz");
const NONSENSE: [&str; 9] = [
    "0",
    "-1",
    "4294967296",
    "99999999999999999999999",
    "abc",
    "",
    "1.5",
    " 7 ",
    "0x10",
];

/// How one command line ended.
#[derive(Debug)]
enum Outcome {
    Exited {
        code: Option<i32>,
        stderr: String,
    },
    /// Said it is listening (bound its port) and went on waiting for a client: accepted.
    Listening,
    /// Neither ended nor said it listens within [`HANG`]: a hang.
    Hung {
        stderr: String,
    },
}

/// Far longer than any of these command lines takes (each ends or listens in milliseconds), so
/// reaching it means a hang, not a slow machine.
const HANG: Duration = Duration::from_secs(60);

/// Runs the binary in `dir`, where file flags (`--json abc`) write their files.
fn run(args: &[String], dir: &std::path::Path) -> Outcome {
    let child = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("LC_ALL", "C.UTF-8")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    watch(child)
}

/// Reads the child's stderr as it comes: a `listen` that says "listening on" is accepted and
/// stopped (it would wait for a client forever); anything else must exit by itself.
fn watch(child: std::process::Child) -> Outcome {
    watch_with(child, HANG)
}

fn watch_with(mut child: std::process::Child, hang: Duration) -> Outcome {
    let mut stderr_pipe = child.stderr.take().expect("stderr");
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut seen = Vec::new();
        let mut buf = [0u8; 4096];
        while let Ok(n) = stderr_pipe.read(&mut buf) {
            if n == 0 {
                break;
            }
            seen.extend_from_slice(&buf[..n]);
            let _receiver_gone_after_a_hang = tx.send(String::from_utf8_lossy(&seen).into_owned());
        }
        String::from_utf8_lossy(&seen).into_owned()
    });
    let start = Instant::now();
    let mut latest = String::new();
    loop {
        while let Ok(text) = rx.try_recv() {
            latest = text;
        }
        if latest.lines().any(|l| l.starts_with("listening on ")) {
            child.kill().expect("kill");
            child.wait().expect("reap");
            return Outcome::Listening;
        }
        if let Some(status) = child.try_wait().expect("wait") {
            let stderr = reader.join().expect("the reader ends with the child");
            return Outcome::Exited {
                code: status.code(),
                stderr,
            };
        }
        if start.elapsed() > hang {
            child.kill().expect("kill");
            child.wait().expect("reap");
            return Outcome::Hung { stderr: latest };
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// A command line that works for each subcommand, as (flag, value) pairs and positionals; the
/// flag under test replaces its pair or is added.
fn base(sub: &str, sink_port: u16, recording: &str, bytes: &str) -> (Vec<(String, String)>, Vec<String>) {
    let pairs = |list: &[(&str, &str)]| list.iter().map(|(f, v)| (f.to_string(), v.to_string())).collect();
    match sub {
        "run" => (pairs(&[("--count", "5")]), vec![]),
        "decode" => (pairs(&[("--framing", "u32")]), vec![bytes.to_owned()]),
        "listen" => (pairs(&[("--tcp", "0")]), vec!["--headless".to_owned()]),
        "send" => (pairs(&[("--tcp", &sink_port.to_string()), ("--count", "5")]), vec![]),
        "render" => (
            pairs(&[("--out", "/tmp/stickyviz-settings-table.svg")]),
            vec![recording.to_owned()],
        ),
        // a program that makes no socket call and exits 0
        "trace" => (vec![], vec!["--".to_owned(), "true".to_owned()]),
        "questions" => (vec![], vec![recording.to_owned()]),
        "compare" => (vec![], vec![recording.to_owned(), recording.to_owned()]),
        _ => (vec![], vec![]),
    }
}

#[test]
fn every_flag_refuses_nonsense_by_name_and_never_panics() {
    // a server that drains whatever `send` sends
    let sink = TcpListener::bind("127.0.0.1:0").expect("sink");
    let sink_port = sink.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for mut conn in sink.incoming().flatten() {
            std::thread::spawn(move || std::io::copy(&mut conn, &mut std::io::sink()));
        }
    });
    let dir = tempfile::tempdir().expect("temp dir");
    let recording = dir.path().join("r.json");
    let made = Command::new(BIN)
        .args(["run", "--preset", "slow-reader", "--json"])
        .arg(&recording)
        .output()
        .expect("run");
    assert!(made.status.success());
    let bytes = dir.path().join("bytes");
    std::fs::write(&bytes, [0, 0, 0, 2, b'h', b'i']).expect("bytes");
    let (recording, bytes) = (recording.to_str().expect("utf-8"), bytes.to_str().expect("utf-8"));

    let cli = Cli::command();
    let mut cases = Vec::new();
    for sub in cli.get_subcommands() {
        let name = sub.get_name();
        let flags = sub
            .get_arguments()
            .chain(cli.get_arguments())
            .filter(|a| a.get_action().takes_values());
        for flag in flags.filter_map(|a| a.get_long()) {
            for value in NONSENSE {
                let (mut pairs, positionals) = base(name, sink_port, recording, bytes);
                let flag = format!("--{flag}");
                pairs.retain(|(f, _)| *f != flag);
                pairs.push((flag.clone(), value.to_owned()));
                let mut args = vec![name.to_owned()];
                args.extend(pairs.into_iter().flat_map(|(f, v)| [f, v]));
                args.extend(positionals);
                cases.push((flag, value, args));
            }
        }
    }
    assert!(
        cases.len() > 300,
        "the command tree has its flags: {} cases",
        cases.len()
    );

    let dir = &dir;
    let results: Vec<_> = std::thread::scope(|s| {
        let chunks: Vec<_> = cases.chunks(cases.len().div_ceil(4)).collect();
        let workers: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                s.spawn(move || {
                    chunk
                        .iter()
                        .map(|(f, v, args)| (f, v, args, run(args, dir.path())))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().expect("worker")).collect()
    });

    let (mut refused, mut accepted, mut failures) = (0, Vec::new(), Vec::new());
    for (flag, value, args, outcome) in &results {
        match outcome {
            Outcome::Exited { code: Some(2), stderr } => {
                refused += 1;
                if !stderr.contains(flag.as_str()) {
                    failures.push(format!("{args:?}: exit 2 without naming {flag}: {stderr}"));
                }
            }
            Outcome::Exited {
                code: Some(0 | 1),
                stderr,
            } if !stderr.contains("panicked") => accepted.push(format!("{} {flag} {value:?}", args[0])),
            Outcome::Listening if args[0] == "listen" => {
                accepted.push(format!("{} {flag} {value:?} (listens, waits for a client)", args[0]))
            }
            other => failures.push(format!("{args:?} ({flag} = {value:?}): {other:?}")),
        }
    }
    println!(
        "{} cases: {refused} refused with exit 2 naming the flag, {} accepted:",
        results.len(),
        accepted.len()
    );
    println!("{}", accepted.join("; "));
    assert!(
        failures.is_empty(),
        "{} bad outcomes:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // the obviously wrong values are refused everywhere, not accepted by accident
    for (flag, value, args, outcome) in &results {
        if ["abc", "99999999999999999999999"].contains(value)
            && !matches!(flag.as_str(), "--json" | "--out" | "--pcapng" | "--tcp" | "--udp")
        {
            assert!(
                matches!(outcome, Outcome::Exited { code: Some(2), .. }),
                "{args:?}: {outcome:?}"
            );
        }
    }
}

/// The harness itself can fail: a command that never says it listens and never ends is a hang,
/// not an accepted `listen`.
#[test]
fn a_silent_process_that_never_ends_is_not_counted_as_listening() {
    let child = Command::new("sh")
        .args(["-c", "echo 'still starting' >&2; exec sleep 600"])
        .stderr(Stdio::piped())
        .spawn()
        .expect("sh");
    // A short leash for this check only: the shell never prints "listening on".
    let outcome = watch_with(child, Duration::from_millis(500));
    assert!(
        matches!(&outcome, Outcome::Hung { stderr } if stderr.contains("still starting")),
        "{outcome:?}"
    );
}

/// Texts typed into every setting: numbers in and out of range, the kernel's default in any
/// case, names, nonsense, and a link.
#[cfg(feature = "gui")]
const TYPED: [&str; 23] = [
    "1",
    " 7 ",
    "100",
    "1000",
    "10-200",
    "200-10",
    "0",
    "-1",
    "4294967296",
    "abc",
    "",
    "1.5",
    "0x10",
    "default",
    "DEFAULT",
    "默认",
    "none",
    "off",
    "whole",
    "header-body",
    "mtu=1500,rate=20mbit,queue=20kb",
    "mtu=1",
    "rate=fast",
];

/// What a command line or a window made of a typed text: the experiment, or the message after
/// its name (`--flag: ` for the command line, `label: ` for the window).
#[cfg(feature = "gui")]
fn after_name(message: &str) -> String {
    message.split_once(": ").map_or(message, |(_, rest)| rest).to_string()
}

/// Every setting the window has a box for, each typed text: the command line's flag and the
/// window's box accept the same ones, giving the same experiment, and refuse the others with
/// the same words (in both languages); `default` gives the kernel's buffer sizes and MSS back.
#[cfg(feature = "gui")]
#[test]
fn every_setting_accepts_and_refuses_the_same_text_through_the_flag_and_the_window_box() {
    use clap::Parser;
    use stickyviz::config::{Experiment, Transports, WriteSplit};
    use stickyviz::i18n::Lang;
    use stickyviz::ui::controls::{Field, Form};

    let mut checked = (0, 0);
    for lang in [Lang::En, Lang::Zh] {
        for field in Field::ALL {
            let setting = field.setting();
            for text in TYPED {
                let flag = format!("--{}", setting.flag());
                let cli =
                    Cli::try_parse_from(["stickyviz", "run", &format!("{flag}={text}")]).expect("clap takes any text");
                let Some(stickyviz::cli::Command::Run(args)) = cli.command else {
                    panic!("a run")
                };
                let by_flag = stickyviz::cli::experiment(&args, lang).map_err(|e| after_name(&e.to_string()));
                // the run's default, with the box shown: a chunk size needs chunks, a link's box the link
                let mut base = Experiment {
                    transports: Transports::Tcp,
                    ..Experiment::default()
                };
                match field {
                    Field::Chunk => base.sender.split = WriteSplit::Chunks { bytes: 1000 },
                    Field::Link => base.link = Some(stickyviz::config::Link::default()),
                    _ => {}
                }
                let mut form = Form::from_settings(&base);
                *form.text_mut(field) = text.to_string();
                let by_box = form.apply(&base, lang).ok_or_else(|| {
                    let errors: Vec<_> = Field::ALL.iter().filter_map(|f| form.error(*f)).collect();
                    assert_eq!(errors.len(), 1, "{field:?} {text:?}: one error shown: {errors:?}");
                    after_name(errors[0])
                });
                assert_eq!(by_flag, by_box, "{lang:?} {flag} {text:?} vs the {field:?} box");
                match by_flag {
                    Ok(_) => checked.0 += 1,
                    Err(_) => checked.1 += 1,
                }
            }
            for refused in ["abc", "-1", "1.5"] {
                let mut exp = Experiment::default();
                assert!(
                    setting.set(&mut exp, refused).is_err(),
                    "{setting:?} refuses {refused:?}"
                );
            }
        }
    }
    // the kernel's default is a word both take wherever the kernel has one
    for (flag, word) in [
        ("--sndbuf", "default"),
        ("--rcvbuf", "Default"),
        ("--udp-rcvbuf", "默认"),
        ("--mss", "default"),
    ] {
        let cli = Cli::try_parse_from(["stickyviz", "run", flag, word]).expect("parses");
        let Some(stickyviz::cli::Command::Run(args)) = cli.command else {
            panic!("a run")
        };
        let exp = stickyviz::cli::experiment(&args, Lang::En).expect("default is accepted");
        assert_eq!(
            (exp.sender.sndbuf, exp.receiver.rcvbuf, exp.udp.rcvbuf, exp.mss),
            (None, None, None, None),
            "{flag} {word}: the kernel chooses"
        );
    }
    println!("{} accepted and {} refused alike", checked.0, checked.1);
    assert!(checked.0 > 50 && checked.1 > 100, "the table holds both: {checked:?}");
}
