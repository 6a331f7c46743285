//! Issue 16's field reports, each the example of a kind, run through the real binary on real
//! sockets: settings that can never decode, CRLF lines, a length prefix in the other byte
//! order, `listen` labelling reads by the frames, a framed echo, a UDP table that claims only
//! what it saw. (Ctrl-C and the exit statuses are in `exit_status.rs`.)

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Command, Output, Stdio};

use stickyviz::analysis::{DatagramFate, Model, ReadKind};
use stickyviz::framing::{ByteOrder, FramingMode, LengthPrefix};
use stickyviz::recording::Recording;

#[path = "support/session.rs"]
mod session;
#[path = "support/skip.rs"]
mod skip;
use session::{port_of, Session, BIN};

fn stickyviz(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .env("LC_ALL", "C.UTF-8")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut input = child.stdin.take().expect("stdin piped");
    input.write_all(stdin).expect("write stdin");
    drop(input);
    child.wait_with_output().expect("the binary ends")
}

fn all(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The frame lines `decode` prints, as `(payload bytes, bytes on the stream, shown payload)`.
fn frame_lines(out: &Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.starts_with("frame "))
        .map(str::to_owned)
        .collect()
}

// ---- 2. settings that can never decode -------------------------------------------------------

/// The seed-json header of an 8-byte message is 31 bytes: a max frame of 16 can never decode
/// it, so the run is refused before it starts, naming both settings and the bound.
#[test]
fn seed_json_max_frame_below_its_header_is_refused_before_the_run() {
    let out = stickyviz(
        &[
            "run",
            "--framing",
            "seed-json",
            "--size",
            "8",
            "--max-frame",
            "16",
            "--count",
            "3",
        ],
        b"",
    );
    let text = all(&out);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(
        text.contains("--max-frame") && text.contains("--size"),
        "names both settings: {text}"
    );
    assert!(
        text.contains("31 bytes") && text.contains("31 to 67,108,864"),
        "names the header and the bound: {text}"
    );
    // the header of the largest size decides: 9999 bytes make a 34-byte header
    let out = stickyviz(
        &[
            "run",
            "--framing",
            "seed-json",
            "--size",
            "1-9999",
            "--max-frame",
            "33",
            "--count",
            "2",
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(2), "{}", all(&out));
    let out = stickyviz(
        &[
            "run",
            "--framing",
            "seed-json",
            "--size",
            "8",
            "--max-frame",
            "31",
            "--count",
            "3",
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(0), "31 is enough: {}", all(&out));
}

/// Every mode with a max frame length refuses a message larger than it before the run:
/// newline too (its max applies to the line).
#[test]
fn a_message_over_the_max_frame_is_refused_in_every_framed_mode() {
    for framing in ["u32", "naive-u32", "seed-json", "newline"] {
        let out = stickyviz(
            &[
                "run",
                "--framing",
                framing,
                "--size",
                "100",
                "--max-frame",
                "50",
                "--count",
                "1",
            ],
            b"",
        );
        let text = all(&out);
        assert_eq!(out.status.code(), Some(2), "{framing}: {text}");
        assert!(
            text.contains("--size") && text.contains("max-frame 50"),
            "{framing}: {text}"
        );
    }
}

/// A decode error says which part of the frame its number belongs to.
#[test]
fn decode_errors_name_the_part_of_the_frame() {
    let mut frame = Vec::new();
    FramingMode::SeedJson.encode(b"12345678", &mut frame);
    let out = stickyviz(&["decode", "--framing", "seed-json", "--max-frame", "16"], &frame);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        all(&out).contains("the length prefix gives a JSON header of 31 bytes, over the maximum frame length 16"),
        "{}",
        all(&out)
    );

    let header = br#"{"total_lenth": 100, "md5": null}"#;
    let mut frame = (header.len() as i32).to_le_bytes().to_vec();
    frame.extend_from_slice(header);
    let out = stickyviz(&["decode", "--framing", "seed-json", "--max-frame", "50"], &frame);
    assert!(
        all(&out).contains("total_lenth gives a body of 100 bytes, over the maximum frame length 50"),
        "{}",
        all(&out)
    );

    let out = stickyviz(&["decode", "--framing", "u32", "--max-frame", "50"], &[0, 0, 0, 100]);
    assert!(
        all(&out).contains("the length prefix gives a body of 100 bytes"),
        "{}",
        all(&out)
    );
}

// ---- 3. CRLF lines ---------------------------------------------------------------------------

/// The issue's input: three `\r\n` lines. Each frame is the text without its line ending,
/// shown as text, and `\r` does not count against `--max-frame`.
#[test]
fn crlf_lines_decode_to_their_text() {
    let input = b"{\"PING\":\"1\"}\r\n{\"PING\":\"2\"}\r\nquit\r\n";
    for read_size in ["1", "5", "1024"] {
        let out = stickyviz(
            &[
                "decode",
                "--framing",
                "newline",
                "--max-frame",
                "12",
                "--read-size",
                read_size,
            ],
            input,
        );
        assert_eq!(out.status.code(), Some(0), "{}", all(&out));
        let lines = frame_lines(&out);
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert!(
            lines[0].contains("12 bytes payload (14 on the stream) \"{\"PING\":\"1\"}\""),
            "{}",
            lines[0]
        );
        assert!(
            lines[2].contains("4 bytes payload (6 on the stream) \"quit\""),
            "{}",
            lines[2]
        );
        assert!(!all(&out).contains("hex"), "no payload shown as hex: {}", all(&out));
    }
}

/// Chinese text is text; binary is hex.
#[test]
fn utf8_payloads_are_text_and_binary_is_hex() {
    let out = stickyviz(&["decode", "--framing", "newline"], "你好，世界\r\n".as_bytes());
    assert!(frame_lines(&out)[0].contains("\"你好，世界\""), "{}", all(&out));
    let out = stickyviz(&["decode", "--framing", "newline"], b"\xff\x00\x01\n");
    assert!(frame_lines(&out)[0].contains("hex ff 00 01"), "{}", all(&out));
}

// ---- 4. byte order and width of a length prefix ----------------------------------------------

/// `struct.pack('<I', 5)` fed to `u32`: refused with the hint; with `--length-order little`
/// decoded.
#[test]
fn a_little_endian_length_gets_a_hint_and_decodes_with_length_order_little() {
    let input = b"\x05\x00\x00\x00hello";
    let out = stickyviz(&["decode", "--framing", "u32"], input);
    assert_eq!(out.status.code(), Some(1));
    let text = all(&out);
    assert!(
        text.contains("83886080") && text.contains("this looks like a little-endian length of 5"),
        "{text}"
    );

    let out = stickyviz(&["decode", "--framing", "u32", "--length-order", "little"], input);
    assert_eq!(out.status.code(), Some(0), "{}", all(&out));
    assert!(frame_lines(&out)[0].contains("\"hello\""), "{}", all(&out));
    // naive-u32 reads its header the same way
    let out = stickyviz(&["decode", "--framing", "naive-u32", "--length-order", "little"], input);
    assert_eq!(out.status.code(), Some(0), "{}", all(&out));

    // a 2-byte big-endian length (netty's lengthFieldLength = 2)
    let out = stickyviz(
        &["decode", "--framing", "u32", "--length-bytes", "2"],
        b"\x00\x05hello\x00\x02hi",
    );
    assert_eq!(frame_lines(&out).len(), 2, "{}", all(&out));
    // a big-endian length read as little-endian: the hint names big-endian
    let out = stickyviz(
        &["decode", "--framing", "u32", "--length-order", "little"],
        b"\x00\x00\x00\x05hello",
    );
    assert!(
        all(&out).contains("this looks like a big-endian length of 5"),
        "{}",
        all(&out)
    );
}

/// A real frame that is only over the max is not "explained" as byte-swapped (its other-order
/// reading, 256, fits the max, but the bytes bear out the length as read): the error says what
/// was seen and how to raise the limit. Its body in zeros and in text, so that neither a run of
/// zero prefixes nor chance can walk in step with the wrong reading.
#[test]
fn a_frame_only_over_the_max_gets_no_byte_order_hint_and_says_how_to_raise_the_limit() {
    for fill in [0u8, b'A', 0x01] {
        let mut input = vec![0x00, 0x01, 0x00, 0x00];
        input.extend(std::iter::repeat_n(fill, 65_536));
        // from a file: the decoder stops at the error, and a pipe's writer would meet EPIPE
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("frame.bin");
        std::fs::write(&file, &input).expect("write the frame");
        let path = file.to_str().expect("a UTF-8 temp path");
        let out = stickyviz(&["decode", "--framing", "u32", "--max-frame", "65535", path], b"");
        assert_eq!(out.status.code(), Some(1), "{}", all(&out));
        let text = all(&out);
        assert!(!text.contains("looks like"), "fill {fill:#x}: a wrong hint: {text}");
        assert!(
            text.contains("65,536") && text.contains("--max-frame"),
            "fill {fill:#x}: {text}"
        );
        // the same frame within the limit decodes: the length was right
        let out = stickyviz(&["decode", "--framing", "u32", "--max-frame", "65536", path], b"");
        assert_eq!(out.status.code(), Some(0), "{}", all(&out));
    }
}

/// Text typed into a length-prefixed server (`nc`), and a length that counts its own prefix:
/// neither is a byte-order mistake, and neither gets that hint.
#[test]
fn text_and_a_self_counting_length_get_no_byte_order_hint() {
    let out = stickyviz(&["decode", "--framing", "u32"], b"hello\nworld\n");
    assert_eq!(out.status.code(), Some(1), "{}", all(&out));
    assert!(!all(&out).contains("looks like"), "{}", all(&out));
    // 105 = 4 + 101: the sender counted the prefix too; --max-frame 100 refuses it
    let mut input = vec![0, 0, 0, 105];
    input.extend(std::iter::repeat_n(b'x', 101));
    let out = stickyviz(&["decode", "--framing", "u32", "--max-frame", "100"], &input);
    assert_eq!(out.status.code(), Some(1), "{}", all(&out));
    assert!(!all(&out).contains("looks like"), "{}", all(&out));
}

/// The hint still comes where the bytes bear it out: three little-endian frames in a row, and a
/// seed-json prefix written big-endian whose JSON header is all there.
#[test]
fn a_stream_in_step_with_the_other_byte_order_keeps_its_hint() {
    let mut input = Vec::new();
    for word in [&b"hello"[..], b"to", b"the world"] {
        input.extend((word.len() as u32).to_le_bytes());
        input.extend(word);
    }
    let out = stickyviz(&["decode", "--framing", "u32"], &input);
    assert!(
        all(&out).contains("this looks like a little-endian length of 5"),
        "{}",
        all(&out)
    );
    let json = br#"{"total_lenth": 2, "md5": null}"#;
    let mut input = (json.len() as u32).to_be_bytes().to_vec();
    input.extend(json);
    input.extend(b"hi");
    let out = stickyviz(&["decode", "--framing", "seed-json"], &input);
    assert!(
        all(&out).contains("this looks like a big-endian length of"),
        "{}",
        all(&out)
    );
}

/// Bad values and sizes that do not fit the width are refused, naming the flags.
#[test]
fn length_prefix_flags_are_checked() {
    for (args, words) in [
        (
            &["run", "--framing", "u32", "--length-bytes", "3"][..],
            "--length-bytes: 3 is not a length prefix width; allowed 1, 2, 4, 8",
        ),
        (
            &["run", "--framing", "u32", "--length-order", "middle"],
            "--length-order: 'middle' is not big or little",
        ),
        (
            &["run", "--framing", "u32", "--length-bytes", "1", "--size", "300"],
            "--size: 300 bytes do not fit a 1-byte --length-bytes prefix; allowed --size 0 to 255",
        ),
        (
            &["decode", "--framing", "u32", "--length-bytes", "16"],
            "--length-bytes",
        ),
        (
            &["listen", "--tcp", "0", "--headless", "--length-order", "x"],
            "--length-order",
        ),
        // a setting that would do nothing is refused, not ignored
        (
            &["run", "--preset", "json-header", "--length-bytes", "2"],
            "--length-bytes: only u32 and naive-u32 frames start with a length prefix; seed-json framing has none",
        ),
        (
            &["decode", "--framing", "newline", "--length-order", "little"],
            "--length-order: only u32 and naive-u32 frames start with a length prefix; newline framing has none",
        ),
        (
            &[
                "listen",
                "--tcp",
                "0",
                "--headless",
                "--framing",
                "seed-json",
                "--length-bytes",
                "2",
            ],
            "--length-bytes: only u32",
        ),
    ] {
        let out = stickyviz(args, b"");
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", all(&out));
        assert!(all(&out).contains(words), "{args:?}: {}", all(&out));
    }
}

/// Every width and order through real sockets: the run's frames decode whole.
#[test]
fn runs_with_every_width_and_order_decode_every_frame() {
    for bytes in ["1", "2", "4", "8"] {
        for order in ["big", "little"] {
            let out = stickyviz(
                &[
                    "run",
                    "--framing",
                    "u32",
                    "--length-bytes",
                    bytes,
                    "--length-order",
                    order,
                    "--count",
                    "20",
                    "--size",
                    "1-200",
                    "--json",
                    "-",
                ],
                b"",
            );
            assert_eq!(
                out.status.code(),
                Some(0),
                "{bytes} {order}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let rec = Recording::from_json(&String::from_utf8_lossy(&out.stdout)).expect("a recording");
            assert_eq!(
                rec.settings.length_prefix,
                LengthPrefix {
                    bytes: bytes.parse().expect("digit"),
                    order: if order == "big" {
                        ByteOrder::Big
                    } else {
                        ByteOrder::Little
                    }
                }
            );
            assert_eq!(
                (rec.summary.frames, rec.summary.intact_frames),
                (20, 20),
                "{bytes} {order}"
            );
        }
    }
}

// ---- 5. listen labels reads by the frames -----------------------------------------------------

/// Sends `writes` to a fresh `listen --headless --json -` and returns its recording's model and
/// its human output.
fn listen_session(args: &[&str], writes: &[&[u8]]) -> (Model, String) {
    let mut all_args = vec!["listen", "--tcp", "0", "--headless", "--json", "-"];
    all_args.extend_from_slice(args);
    let mut s = Session::start(&all_args);
    let port = port_of(&s.wait_for_line("listening on"));
    let mut client = TcpStream::connect(SocketAddr::from(([127, 0, 0, 1], port))).expect("connect");
    for w in writes {
        client.write_all(w).expect("write");
    }
    drop(client);
    let (code, stdout, stderr) = s.finish();
    assert_eq!(code, Some(0), "{stderr}");
    let rec = Recording::from_json(&stdout).expect("stdout is a recording");
    (Model::from_events(&rec.events), stderr)
}

/// The value of the summary line `name    value`.
fn summary_value<'t>(text: &'t str, name: &str) -> &'t str {
    text.lines().find_map(|l| l.strip_prefix(name)).map_or("", str::trim)
}

/// Two lines in one write (one segment on loopback, so one read): that read holds two frames,
/// 粘包, in the model, the text and the summary.
#[test]
fn listen_marks_a_read_holding_two_frames_as_merged() {
    let (model, text) = listen_session(&["--framing", "newline"], &[b"{\"a\":1}\n{\"b\":2}\n"]);
    assert_eq!(model.summary().frames, 2);
    assert_eq!(model.read_kind(&model.reads()[0]), ReadKind::Merged { messages: 2 });
    assert_eq!(model.summary().merged_reads, 1);
    assert!(text.contains("MERGED 2 messages (粘包)"), "{text}");
    assert_eq!(summary_value(&text, "merged reads (粘包)"), "1", "{text}");
}

/// `recv(4)` against a 12-byte line: the frame is cut across reads, 半包, whatever the timing.
#[test]
fn listen_marks_a_frame_cut_across_reads_as_split() {
    let (model, text) = listen_session(&["--framing", "newline", "--read-size", "4"], &[b"hello world\n"]);
    assert_eq!(model.summary().frames, 1);
    assert_eq!(model.summary().split_messages, 1);
    assert_eq!(model.read_kind(&model.reads()[0]), ReadKind::Partial);
    assert!(text.contains("part of one message (半包)"), "{text}");
    assert_eq!(summary_value(&text, "split messages (半包)"), "1", "{text}");
}

// ---- 6. a framed echo -------------------------------------------------------------------------

/// Reads from `stream` until `mode` decodes one frame; returns its payload.
fn read_one_frame(stream: &mut TcpStream, mode: FramingMode, prefix: LengthPrefix) -> Vec<u8> {
    let mut dec = mode.stream_decoder_with(1 << 20, prefix).expect("stream codec");
    let mut buf = [0u8; 4096];
    loop {
        let n = stream.read(&mut buf).expect("read the echo");
        assert!(n > 0, "the echo ended before a whole frame");
        let mut got = None;
        dec.decode_chunk(&buf[..n], |f| got = Some(f.payload.to_vec()))
            .expect("the echo is a valid frame");
        if let Some(p) = got {
            return p;
        }
    }
}

/// The seed's client sends a seed-json frame to `listen --echo`: the answer is a seed-json
/// frame with the body upper-cased and a header that is still valid JSON.
#[test]
fn listen_echo_answers_frame_by_frame_in_the_same_framing() {
    let prefix_le = LengthPrefix {
        bytes: 4,
        order: ByteOrder::Little,
    };
    for (framing, prefix, args) in [
        (
            FramingMode::SeedJson,
            LengthPrefix::default(),
            &["--framing", "seed-json"][..],
        ),
        (
            FramingMode::U32,
            prefix_le,
            &["--framing", "u32", "--length-order", "little"],
        ),
        (FramingMode::Newline, LengthPrefix::default(), &["--framing", "newline"]),
    ] {
        let mut all_args = vec!["listen", "--tcp", "0", "--headless", "--echo"];
        all_args.extend_from_slice(args);
        let mut s = Session::start(&all_args);
        let port = port_of(&s.wait_for_line("listening on"));
        let mut client = TcpStream::connect(SocketAddr::from(([127, 0, 0, 1], port))).expect("connect");
        for body in [&b"hello"[..], b"md5 stays lower? no: upper"] {
            let mut frame = Vec::new();
            framing.encode_with(prefix, body, &mut frame);
            // header and body in two writes: the echo must not answer the pieces
            let cut = frame.len() / 2;
            client.write_all(&frame[..cut]).expect("write");
            client.write_all(&frame[cut..]).expect("write");
            assert_eq!(
                read_one_frame(&mut client, framing, prefix),
                body.to_ascii_uppercase(),
                "{framing:?}"
            );
        }
        drop(client);
        let (code, _, stderr) = s.finish();
        assert_eq!(code, Some(0), "{framing:?}: {stderr}");
    }
}

// ---- 7. a UDP table claims only what it saw ---------------------------------------------------

/// `stickyviz send --udp` to `listen --udp`: the datagrams carry ids, but listen never saw them
/// sent, so no row says "sent 0 B → delivered".
#[test]
fn listen_udp_from_stickyviz_send_claims_no_sends() {
    let mut s = Session::start(&["listen", "--udp", "0", "--headless", "--idle-ms", "1000", "--json", "-"]);
    let port = port_of(&s.wait_for_line("listening on"));
    let send = Command::new(BIN)
        .args(["send", "--udp", &port.to_string(), "--count", "3", "--size", "10"])
        .env("LC_ALL", "C.UTF-8")
        .stdin(Stdio::null())
        .output()
        .expect("send runs");
    assert_eq!(send.status.code(), Some(0), "{}", all(&send));
    let (code, stdout, stderr) = s.finish();
    assert_eq!(code, Some(0), "{stderr}");
    let model = Model::from_events(&Recording::from_json(&stdout).expect("a recording").events);
    let received: Vec<_> = model.datagrams().iter().filter(|d| d.received.is_some()).collect();
    assert!(!received.is_empty(), "some datagrams arrived on loopback");
    for d in model.datagrams() {
        assert!(!d.sent, "{d:?}");
        assert!(
            matches!(
                model.datagram_fate(d),
                DatagramFate::Received | DatagramFate::Missing | DatagramFate::Truncated { .. }
            ),
            "{d:?}"
        );
    }
    assert!(!stderr.contains("0 B →") && !stderr.contains("delivered"), "{stderr}");
    assert!(stderr.contains("received (its send was not observed)"), "{stderr}");
}

// ---- also: library words in Chinese, and lengths counted in characters ----------------------

/// In `--lang zh` a reason that comes from a library (serde_json) is framed in Chinese with the
/// library's words quoted; a header length counted in characters (Python `len(str)` with a
/// Chinese file name) gets a hint, in both languages.
#[test]
fn json_header_errors_quote_the_library_and_spot_lengths_in_characters() {
    let mut bad = b"\x0a\x00\x00\x00{not json}".to_vec();
    bad.extend_from_slice(b"body");
    let out = stickyviz(&["--lang", "zh", "decode", "--framing", "seed-json"], &bad);
    let text = all(&out);
    assert!(
        text.contains("JSON 报头错误：serde_json 的原话：“key must be a string"),
        "{text}"
    );

    let header = "{\"total_lenth\": 2, \"md5\": null, \"filename\": \"笔记.txt\"}";
    let mut frame = (header.chars().count() as i32).to_le_bytes().to_vec();
    frame.extend_from_slice(header.as_bytes());
    frame.extend_from_slice(b"hi");
    let out = stickyviz(&["decode", "--framing", "seed-json"], &frame);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        all(&out).contains("its length looks counted in characters, not bytes"),
        "{}",
        all(&out)
    );
    let out = stickyviz(&["--lang", "zh", "decode", "--framing", "seed-json"], &frame);
    assert!(all(&out).contains("长度像是按字符数而不是字节数算的"), "{}", all(&out));
}

// ---- limits of the user's own setup -------------------------------------------------------

/// UDP's largest datagram is the address family's: 65,527 bytes over IPv6 (no IPv4 header),
/// 65,507 over IPv4. The kernel sends the IPv6 one whole, so the app must not refuse it.
#[test]
fn udp_size_limit_is_the_address_familys() {
    let Ok(server) = std::net::UdpSocket::bind("[::1]:0") else {
        return skip::skip(skip::Missing::Kernel(skip::Kernel::Ipv6Off), "no ::1 to bind here");
    };
    server
        .set_read_timeout(Some(std::time::Duration::from_secs(30)))
        .expect("a timeout, only against a hang");
    let to = server.local_addr().expect("address").to_string();
    let out = stickyviz(&["send", "--udp", &to, "--size", "65527", "--count", "1"], b"");
    assert_eq!(out.status.code(), Some(0), "{}", all(&out));
    let mut buf = vec![0u8; 70_000];
    let (n, _) = server.recv_from(&mut buf).expect("the datagram");
    assert_eq!(n, 65_527, "one datagram, whole");
    let out = stickyviz(&["send", "--udp", &to, "--size", "65528", "--count", "1"], b"");
    assert_eq!(out.status.code(), Some(2), "{}", all(&out));
    assert!(all(&out).contains("over IPv6; allowed 0 to 65,527"), "{}", all(&out));
    let out = stickyviz(
        &["send", "--udp", "127.0.0.1:9", "--size", "65508", "--count", "1"],
        b"",
    );
    assert_eq!(out.status.code(), Some(2), "{}", all(&out));
    assert!(all(&out).contains("over IPv4; allowed 0 to 65,507"), "{}", all(&out));
}

/// A buffer the kernel capped is said, with the sysctl that capped it; one it gave as asked
/// is not. Linux caps `SO_RCVBUF` at `net.core.rmem_max` and doubles it (socket(7)).
#[test]
fn a_buffer_the_kernel_capped_says_so_and_why() {
    let rmem_max: u64 = std::fs::read_to_string("/proc/sys/net/core/rmem_max")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .expect("Linux has net.core.rmem_max");
    let asked: u64 = 64 * 1024 * 1024;
    let out = stickyviz(
        &["run", "--preset", "udp-truncate", "--udp-rcvbuf", &asked.to_string()],
        b"",
    );
    let text = all(&out);
    let line = text
        .lines()
        .find(|l| l.starts_with("UDP SO_RCVBUF"))
        .unwrap_or_else(|| panic!("no UDP SO_RCVBUF line: {text}"));
    if rmem_max < asked {
        assert!(line.contains("asked 67,108,864: capped by net.core.rmem_max"), "{line}");
        assert!(
            line.contains(&format!("{}", rmem_max * 2)),
            "the kernel's own value: {line}"
        );
    } else {
        assert!(!line.contains("capped"), "{line}");
    }
    let out = stickyviz(&["run", "--preset", "udp-truncate", "--udp-rcvbuf", "4096"], b"");
    let text = all(&out);
    let line = text.lines().find(|l| l.starts_with("UDP SO_RCVBUF")).expect("the line");
    assert!(!line.contains("capped"), "given as asked: {line}");
}
