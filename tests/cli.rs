//! The `stickyviz` binary as a user runs it: subcommands, output, exit codes.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use stickyviz::recording::Recording;

const BIN: &str = env!("CARGO_BIN_EXE_stickyviz");

fn stickyviz(args: &[&str]) -> Output {
    // English output whatever the machine's locale (the language tests pass --lang)
    Command::new(BIN)
        .args(args)
        .env("LC_ALL", "C.UTF-8")
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Writes `bytes` to a temporary file that lives as long as the returned handle.
fn temp_file(bytes: &[u8]) -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().expect("temp file");
    f.write_all(bytes).expect("write temp file");
    f.flush().expect("flush temp file");
    f
}

fn path(f: &tempfile::NamedTempFile) -> &str {
    f.path().to_str().expect("UTF-8 temp path")
}

#[test]
fn run_slow_reader_writes_a_json_recording_to_stdout() {
    let out = stickyviz(&["run", "--preset", "slow-reader", "--json", "-"]);
    assert!(out.status.success(), "stderr: {}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("stdout is JSON, nothing else");
    assert_eq!(json["format"], "stickyviz-recording");
    assert_eq!(json["version"], stickyviz::recording::VERSION);
    assert!(
        json["events"].as_array().is_some_and(|e| !e.is_empty()),
        "events recorded"
    );

    let rec = Recording::from_json(&stdout).expect("the recording loads");
    assert_eq!(rec.settings.workload.count, 12);
    assert_eq!(rec.summary.messages, 12);
    assert_eq!(rec.summary.bytes_received, rec.summary.bytes_sent);
    // The timeline goes to stderr so stdout stays pure JSON.
    assert!(text(&out.stderr).contains("recv()"), "{}", text(&out.stderr));
}

#[test]
fn run_with_decode_errors_saves_a_recording_that_loads() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("naive.json");
    let file = file.to_str().expect("UTF-8 path");
    let out = stickyviz(&["run", "--preset", "naive-header", "--read-size", "3", "--json", file]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "decode errors: the run failed, its report and recording still written; stderr: {}",
        text(&out.stderr)
    );
    assert!(text(&out.stdout).contains("decode error"), "{}", text(&out.stdout));
    let rec = Recording::load(std::path::Path::new(file)).expect("the recording loads");
    assert!(rec.summary.decode_errors >= 1);
    let again = stickyviz::analysis::Model::from_events(&rec.events);
    assert_eq!(
        *again.summary(),
        rec.summary,
        "a loaded recording gives the same numbers"
    );
}

#[test]
fn presets_lists_every_lesson() {
    let out = stickyviz(&["presets"]);
    assert!(out.status.success());
    let stdout = text(&out.stdout);
    let names: Vec<&str> = stdout.lines().filter_map(|l| l.split_whitespace().next()).collect();
    for name in [
        "nagle-burst",
        "slow-reader",
        "big-reply",
        "json-header",
        "naive-header",
        "udp-truncate",
    ] {
        assert!(names.contains(&name), "{name} missing from:\n{stdout}");
    }
}

fn u32_frames(payloads: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::new();
    for p in payloads {
        out.extend_from_slice(&(p.len() as u32).to_be_bytes());
        out.extend_from_slice(p);
    }
    out
}

#[test]
fn decode_u32_in_reads_of_three_prints_each_frame() {
    let f = temp_file(&u32_frames(&[b"hello", b"", b"sticky packets"]));
    let out = stickyviz(&["decode", "--framing", "u32", "--read-size", "3", path(&f)]);
    assert!(out.status.success(), "stderr: {}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("frame 0 at offset 0: 5 bytes payload (9 on the stream) \"hello\""),
        "{stdout}"
    );
    assert!(stdout.contains("frame 1 at offset 9: 0 bytes payload"), "{stdout}");
    assert!(
        stdout.contains("frame 2 at offset 13: 14 bytes payload (18 on the stream) \"sticky packets\""),
        "{stdout}"
    );
    assert!(stdout.contains("3 frames from 31 bytes in reads of 3"), "{stdout}");
}

/// What the seed's Python server sends: `struct.pack('i', len(h)) + h + body`.
fn seed_frame(body: &[u8]) -> Vec<u8> {
    let h = format!("{{\"total_lenth\": {}, \"md5\": null}}", body.len());
    let mut out = (h.len() as i32).to_le_bytes().to_vec();
    out.extend_from_slice(h.as_bytes());
    out.extend_from_slice(body);
    out
}

#[test]
fn decode_seed_json_reads_the_seed_python_bytes() {
    let listing = b"total 0\ndrwxr-xr-x 2 root root 40 .";
    let mut bytes = seed_frame(listing);
    bytes.extend(seed_frame(b"second reply"));
    let f = temp_file(&bytes);
    for read_size in ["1024", "5"] {
        let out = stickyviz(&["decode", "--framing", "seed-json", "--read-size", read_size, path(&f)]);
        assert!(out.status.success(), "stderr: {}", text(&out.stderr));
        let stdout = text(&out.stdout);
        // The first body is UTF-8 text with a newline: text, the newline escaped.
        let first = format!(
            "frame 0 at offset 0: {} bytes payload ({} on the stream) \"total 0\\ndrwxr-xr-x",
            listing.len(),
            seed_frame(listing).len()
        );
        assert!(stdout.contains(&first), "{stdout}");
        let second = format!("frame 1 at offset {}: 12 bytes payload", seed_frame(listing).len());
        assert!(
            stdout.contains(&second) && stdout.contains("\"second reply\""),
            "{stdout}"
        );
        assert!(
            stdout.contains(&format!("2 frames from {} bytes", bytes.len())),
            "{stdout}"
        );
    }
}

#[test]
fn decode_naive_u32_with_small_reads_fails_visibly() {
    let f = temp_file(&u32_frames(&[b"hello", b"world"]));
    let out = stickyviz(&["decode", "--framing", "naive-u32", "--read-size", "3", path(&f)]);
    assert!(!out.status.success(), "a short read is a failure");
    assert_ne!(out.status.code(), Some(2), "not a usage error");
    let all = text(&out.stdout) + &text(&out.stderr);
    assert!(all.contains("error:"), "{all}");
    assert!(all.contains("asked for the header (4 bytes) but returned 3"), "{all}");
}

#[test]
fn decode_four_gib_length_is_an_error_not_an_allocation() {
    let huge_u32 = temp_file(&[0xff, 0xff, 0xff, 0xff, b'a', b'b', b'c']);
    let huge_json = temp_file(&[0xff, 0xff, 0xff, 0x7f, b'{']);
    let h = b"{\"total_lenth\": 4294967296, \"md5\": null}";
    let mut huge_body = (h.len() as i32).to_le_bytes().to_vec();
    huge_body.extend_from_slice(h);
    let huge_body = temp_file(&huge_body);
    for (framing, file) in [
        ("u32", &huge_u32),
        ("naive-u32", &huge_u32),
        ("seed-json", &huge_json),
        ("seed-json", &huge_body),
    ] {
        // Under a 512 MiB address-space limit a 4 GiB allocation would abort the process.
        let out = Command::new("sh")
            .args([
                "-c",
                "ulimit -v 524288; exec \"$0\" \"$@\"",
                BIN,
                "decode",
                "--framing",
                framing,
                path(file),
            ])
            .env("LC_ALL", "C.UTF-8")
            .stdin(Stdio::null())
            .output()
            .expect("sh runs");
        let all = text(&out.stdout) + &text(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{framing}: a clean failure, no panic or abort: {all}"
        );
        assert!(
            all.contains("over the maximum frame length 8388608"),
            "{framing}: {all}"
        );
        assert!(!all.contains("panicked"), "{all}");
    }
}

#[test]
fn bad_flags_exit_2_naming_the_flag() {
    let f = temp_file(&u32_frames(&[b"x"]));
    let cases: &[(&[&str], &str)] = &[
        (&["run", "--read-size", "0"], "--read-size"),
        (&["run", "--count", "abc"], "--count"),
        (&["run", "--framing", "bogus"], "--framing"),
        (&["run", "--preset", "nope"], "--preset"),
        (
            &["decode", "--framing", "u32", "--read-size", "0", path(&f)],
            "--read-size",
        ),
        (
            &["decode", "--framing", "u32", "--read-size", "4294967296", path(&f)],
            "--read-size",
        ),
        (&["decode", "--framing", "bogus", path(&f)], "--framing"),
        (&["run", "--size", "50-10"], "--size:"),
        (&["run", "--udp", "--size", "70000"], "--size:"),
        (&["run", "--split", "0"], "--split:"),
        (&["run", "--nagle", "maybe"], "--nagle"),
        (&["run", "--width", "5"], "--width"),
        (&["run", "--no-such-flag"], "--no-such-flag"),
        // `stickyviz` with run's settings flags opens the window on them: a bad one is said first
        (&["--count", "abc"], "--count"),
        (&["--read-size", "0"], "--read-size"),
        (&["--preset", "firehose", "--size", "50-10"], "--size:"),
        // and they belong to the window, not to a subcommand
        (&["--count", "5", "presets"], "--count"),
    ];
    for (args, flag) in cases {
        let out = stickyviz(args);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(flag), "{args:?}: stderr should name {flag}: {stderr}");
        assert!(
            out.stdout.is_empty(),
            "{args:?}: nothing on stdout: {}",
            text(&out.stdout)
        );
    }
}

#[test]
fn lang_zh_prints_the_summary_and_errors_in_chinese() {
    let out = stickyviz(&["--lang", "zh", "run", "--preset", "slow-reader"]);
    assert!(out.status.success());
    let stdout = text(&out.stdout);
    assert!(stdout.contains("粘包读取") && stdout.contains("半包消息"), "{stdout}");
    assert!(
        !stdout.contains("merged reads"),
        "no English summary labels left: {stdout}"
    );

    let out = stickyviz(&["--lang", "zh", "run", "--read-size", "0"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("--read-size") && stderr.contains("超出范围"),
        "{stderr}"
    );

    let out = stickyviz(&["--lang", "klingon", "presets"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--lang"));
}

#[test]
fn language_follows_the_locale_when_not_given() {
    let out = Command::new(BIN)
        .args(["run", "--preset", "slow-reader"])
        .env("LC_ALL", "zh_CN.UTF-8")
        .stdin(Stdio::null())
        .output()
        .expect("runs");
    assert!(text(&out.stdout).contains("粘包读取"));
}

/// clap's own words too: help, usage and parse errors follow `--lang` and the locale.
#[test]
fn help_usage_and_parse_errors_in_chinese() {
    let help = stickyviz(&["--lang", "zh", "run", "--help"]);
    assert!(help.status.success());
    let help = text(&help.stdout);
    for words in ["用法：", "选项", "消息条数", "Nagle 算法", "显示帮助"] {
        assert!(help.contains(words), "{words:?} missing from:\n{help}");
    }
    assert!(
        !help.contains("Number of messages") && !help.contains("Print help"),
        "English left in:\n{help}"
    );

    let typo = stickyviz(&["--lang", "zh", "run", "--cont", "3"]);
    assert_eq!(typo.status.code(), Some(2));
    let err = text(&typo.stderr);
    assert!(
        err.contains("不认识的参数 '--cont'") && err.contains("'--count'"),
        "{err}"
    );
    assert!(!err.contains("unexpected argument"), "{err}");

    let bad_value = stickyviz(&["--lang=zh", "render", "x.json", "--out", "x.png", "--theme", "blue"]);
    assert_eq!(bad_value.status.code(), Some(2));
    assert!(
        text(&bad_value.stderr).contains("'blue' 不是"),
        "{}",
        text(&bad_value.stderr)
    );

    // from the locale, with no --lang
    let out = Command::new(BIN)
        .args(["decode", "--help"])
        .env("LC_ALL", "zh_CN.UTF-8")
        .output()
        .expect("runs");
    assert!(text(&out.stdout).contains("分帧方式"), "{}", text(&out.stdout));

    // English stays clap's own
    let en = stickyviz(&["run", "--cont", "3"]);
    assert_eq!(en.status.code(), Some(2));
    assert!(
        text(&en.stderr).contains("unexpected argument '--cont'"),
        "{}",
        text(&en.stderr)
    );
}

/// `stickyviz run … | head -1`: the reader goes away before the run prints. The summary that
/// cannot be printed is dropped, but nothing else is lost: no panic, exit 0, the recording is
/// whole. (The run takes its reader's 50 ms delay at least, so the pipe is closed before the
/// first byte is printed.)
#[test]
fn a_closed_stdout_loses_nothing_but_the_printout() {
    let dir = tempfile::tempdir().expect("temp dir");
    let json = dir.path().join("run.json");
    let mut child = Command::new(BIN)
        .args([
            "run",
            "--preset",
            "slow-reader",
            "--json",
            json.to_str().expect("UTF-8"),
        ])
        .env("LC_ALL", "C.UTF-8")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    drop(child.stdout.take()); // the reader is gone: every print meets EPIPE
    let out = child.wait_with_output().expect("the binary ends");
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "exit {:?}, stderr: {stderr}", out.status);
    assert!(!stderr.contains("panicked"), "stderr: {stderr}");
    let rec = Recording::load(&json).expect("the recording is whole");
    assert!(!rec.events.is_empty());
}

#[test]
fn presets_into_a_closed_pipe_do_not_panic() {
    let mut child = Command::new(BIN)
        .arg("presets")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("the binary ends");
    let stderr = text(&out.stderr);
    assert!(
        out.status.success() && !stderr.contains("panicked"),
        "exit {:?}, stderr: {stderr}",
        out.status
    );
}
