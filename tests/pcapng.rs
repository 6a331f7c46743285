//! pcapng export: the packets a real run captured on `lo`, read back as Wireshark would; and a
//! clear refusal when nothing was captured.

#[path = "support/skip.rs"]
mod skip;
use pcap_file::pcapng::{Block, PcapNgReader};
use pcap_file::DataLink;
use stickyviz::engine::Run;
use stickyviz::export::pcapng::{self, PcapngError};
use stickyviz::facts::{CaptureUnavailable, Event, OsError};
use stickyviz::presets;

#[test]
fn captured_segments_read_back_as_ipv4_tcp_packets() {
    let exp = presets::find("nagle-burst").expect("preset").experiment;
    let events = Run::start(&exp, None).expect("the run starts").wait();
    if let Some(Event::SegmentsUnavailable { reason }) =
        events.iter().find(|e| matches!(e, Event::SegmentsUnavailable { .. }))
    {
        // unprivileged: the export must say why, and write nothing
        let e = pcapng::write(&events, Vec::new()).expect_err("nothing captured, nothing written");
        let words = stickyviz::describe::capture_unavailable(reason, stickyviz::i18n::Lang::En);
        assert!(e.to_string().contains(&words), "{e}");
        skip::skip(
            skip::Missing::Privilege,
            format!("reading captured packets back needs a capture, and this run had none ({words})"),
        );
        return;
    }
    let (sender_port, receiver_port) = events
        .iter()
        .find_map(|e| match e {
            Event::Connected { sender, receiver, .. } => Some((port(sender), port(receiver))),
            _ => None,
        })
        .expect("connected");
    let segments: Vec<u32> = events
        .iter()
        .filter_map(|e| match e {
            Event::Segment { len, .. } | Event::Retransmission { len, .. } => Some(*len),
            _ => None,
        })
        .collect();
    let packets = events
        .iter()
        .filter(|e| {
            matches!(
                e,
                Event::Segment { .. } | Event::Retransmission { .. } | Event::Ack { .. } | Event::Control { .. }
            )
        })
        .count();
    let mut file = Vec::new();
    let n = pcapng::write(&events, &mut file).expect("writes");
    assert_eq!(n, packets, "one packet per captured packet, both ways");

    let mut reader = PcapNgReader::new(&file[..]).expect("a pcapng section");
    let (mut seen, mut reverse) = (Vec::new(), 0);
    while let Some(block) = reader.next_block() {
        match block.expect("a valid block") {
            Block::InterfaceDescription(idb) => assert_eq!(idb.linktype, DataLink::RAW),
            Block::EnhancedPacket(p) => {
                let ip = &p.data;
                assert_eq!(ip[0] >> 4, 4, "IPv4");
                assert_eq!(ip[9], 6, "TCP");
                assert_eq!(
                    u32::from(u16::from_be_bytes([ip[2], ip[3]])),
                    p.original_len,
                    "original length = IP total length"
                );
                let ihl = usize::from(ip[0] & 0x0f) * 4;
                let tcp = &ip[ihl..];
                let ports = (
                    u16::from_be_bytes([tcp[0], tcp[1]]),
                    u16::from_be_bytes([tcp[2], tcp[3]]),
                );
                if ports == (receiver_port, sender_port) {
                    reverse += 1;
                    continue;
                }
                assert_eq!(ports, (sender_port, receiver_port));
                let headers = ihl + usize::from(tcp[12] >> 4) * 4;
                // the run kept its bytes (under 1 MiB): each data segment carries them again
                assert_eq!(
                    p.data.len() as u32,
                    p.original_len,
                    "whole packets: the payload comes from the recording's bytes events"
                );
                if p.original_len > headers as u32 {
                    seen.push(p.original_len - headers as u32);
                }
            }
            _ => {}
        }
    }
    assert_eq!(
        seen, segments,
        "payload lengths equal the wire lane's segments, in order"
    );
    assert!(reverse > 0, "the receiver's SYN-ACK and ACKs are in the file");
}

/// Wireshark's own reading of the export: Follow TCP Stream gives back every byte the sender
/// wrote, in order, and its `tcp.analysis` finds as many zero windows as the summary counts.
/// Needs a capture and `tshark` (scripts/test.sh installs it); says "skipped" without either.
#[test]
fn tshark_follows_the_whole_stream_and_counts_the_same_zero_windows() {
    if !skip::have("tshark") {
        return skip::skip(
            skip::Missing::Tool("tshark"),
            "apt install tshark; scripts/test.sh does",
        );
    }
    let exp = presets::find("flow-control").expect("preset").experiment;
    let events = Run::start(&exp, None).expect("the run starts").wait();
    let model = stickyviz::analysis::Model::from_events(&events);
    if model.segments_unavailable().is_some() {
        return skip::skip(
            skip::Missing::Privilege,
            "the export needs a capture (root or CAP_NET_RAW)",
        );
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("flow-control.pcapng");
    pcapng::save(&events, &path).expect("saved");
    let tshark = |args: &[&str]| {
        let out = std::process::Command::new("tshark")
            .arg("-r")
            .arg(&path)
            .args(args)
            .output()
            .expect("tshark runs");
        assert!(
            out.status.success(),
            "tshark {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8")
    };
    // raw: one hex line per packet's payload; the second node's (the receiver's) are indented
    let follow = tshark(&["-q", "-z", "follow,tcp,raw,0"]);
    let data_line = |l: &&str| !l.is_empty() && !l.starts_with('=') && !l.starts_with('\t') && !l.contains(':');
    let hex: String = follow.lines().filter(data_line).collect();
    let streamed: Vec<u8> = (0..hex.len() / 2)
        .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).expect("hex"))
        .collect();
    let sent: Vec<u8> = events
        .iter()
        .filter_map(|e| {
            if let Event::Bytes { data, .. } = e {
                Some(data.clone())
            } else {
                None
            }
        })
        .flatten()
        .collect();
    assert_eq!(
        streamed.len() as u64,
        model.summary().bytes_sent,
        "Follow TCP Stream gives the whole stream"
    );
    assert!(streamed == sent, "and the same bytes");
    let zero = tshark(&["-Y", "tcp.analysis.zero_window", "-T", "fields", "-e", "frame.number"]);
    assert_eq!(
        Some(zero.lines().count() as u64),
        model.summary().zero_window,
        "tshark's zero windows = the summary's"
    );
    assert!(model.summary().zero_window.unwrap_or(0) > 0);
}

fn port(addr: &str) -> u16 {
    addr.rsplit(':').next().and_then(|p| p.parse().ok()).expect("host:port")
}

#[test]
fn no_capture_says_why_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("x.pcapng");
    let error = OsError {
        kind: "PermissionDenied".into(),
        code: Some(1),
        words: "Operation not permitted (os error 1)".into(),
    };
    let events = vec![
        Event::SegmentsUnavailable {
            reason: CaptureUnavailable::NeedsPrivilege { error },
        },
        Event::Finished { at_us: 1 },
    ];
    match pcapng::save(&events, &path) {
        Err(e @ PcapngError::NoPackets(_)) => {
            // worded in both languages, the OS's words quoted once with their code
            let en = stickyviz::describe::pcapng_error(&e, stickyviz::i18n::Lang::En);
            assert!(
                en.contains("needs root or CAP_NET_RAW (“Operation not permitted” (os error 1))"),
                "{en}"
            );
            let zh = stickyviz::describe::pcapng_error(&e, stickyviz::i18n::Lang::Zh);
            assert!(
                zh.contains("没有可导出的数据包") && zh.contains("“Operation not permitted”（错误码 1）"),
                "{zh}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(!path.exists());
    let old = stickyviz::recording::Recording::load(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/slow-reader.json"),
    )
    .expect("fixture");
    let why = pcapng::why_unavailable(&old.events).expect("an older recording has no packets");
    assert_eq!(why, stickyviz::facts::NoPackets::PositionsOnly);
}

/// `tshark -r FILE ARGS`, its standard output; `None` when tshark is not installed.
fn tshark_on(path: &std::path::Path, args: &[&str]) -> Option<String> {
    let out = std::process::Command::new("tshark")
        .arg("-r")
        .arg(path)
        .args(args)
        .output()
        .ok()?;
    assert!(
        out.status.success(),
        "tshark {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8(out.stdout).expect("utf-8"))
}

/// The bytes Wireshark's Follow TCP Stream gives for the first node (the sender), in order.
fn followed_bytes(path: &std::path::Path) -> Vec<u8> {
    let follow = tshark_on(path, &["-q", "-z", "follow,tcp,raw,0"]).expect("tshark");
    // raw: one hex line per packet's payload; the second node's (the receiver's) are indented
    let data_line = |l: &&str| !l.is_empty() && !l.starts_with('=') && !l.starts_with('\t') && !l.contains(':');
    let hex: String = follow.lines().filter(data_line).collect();
    (0..hex.len() / 2)
        .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).expect("hex"))
        .collect()
}

/// Packets matching a display filter.
fn count(path: &std::path::Path, filter: &str) -> u64 {
    let out = tshark_on(path, &["-Y", filter, "-T", "fields", "-e", "frame.number"]).expect("tshark");
    out.lines().count() as u64
}

/// `stickyviz run --pcapng` writes the whole conversation, as the window's export and `render`
/// do (it once kept the data segments only): tshark finds the receiver's pure ACKs, the zero
/// windows and the data retransmissions the summary counts from the capture, and Follow TCP
/// Stream gives back the exact bytes. Needs tshark and a capture (root); lossy-link needs the
/// link (docs/link.md). Each says "skipped" and why when it cannot run.
#[test]
fn run_pcapng_holds_the_acks_zero_windows_and_retransmissions_the_summary_counts() {
    if std::process::Command::new("tshark").arg("--version").output().is_err() {
        return println!("skipped: tshark is not installed (apt install tshark; scripts/test.sh does)");
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let mut checked = 0;
    for preset in ["flow-control", "lossy-link"] {
        let (pcap, json) = (
            dir.path().join(format!("{preset}.pcapng")),
            dir.path().join(format!("{preset}.json")),
        );
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_stickyviz"))
            .args(["run", "--preset", preset, "--pcapng"])
            .arg(&pcap)
            .arg("--json")
            .arg(&json)
            .output()
            .expect("the binary runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        if out.status.code() == Some(2) && preset == "lossy-link" {
            println!("skipped: {preset}: the link cannot run here: {stderr}");
            continue;
        }
        if !pcap.exists() && stderr.contains("no packets to export") {
            println!("skipped: {preset}: the export needs a capture (root or CAP_NET_RAW): {stderr}");
            continue;
        }
        assert!(out.status.success(), "{preset}: {stderr}");
        let rec = stickyviz::recording::Recording::load(&json).expect("the recording loads");
        let s = &rec.summary;
        let (sender, receiver) = rec
            .events
            .iter()
            .find_map(|e| match e {
                Event::Connected { sender, receiver, .. } => Some((port(sender), port(receiver))),
                _ => None,
            })
            .expect("connected");
        let pure_acks = count(
            &pcap,
            &format!(
                "tcp.srcport == {receiver} && tcp.dstport == {sender} && tcp.len == 0 && tcp.flags.syn == 0 \
                 && tcp.flags.fin == 0 && tcp.flags.reset == 0"
            ),
        );
        // the receiver's FIN|ACK is an ACK too (on a slow link it may be the only one covering
        // the stream's end: engine/capture.rs), so the summary counts it with the pure ones
        let fin_acks = count(
            &pcap,
            &format!("tcp.srcport == {receiver} && tcp.flags.fin == 1 && tcp.flags.ack == 1"),
        );
        let acks = s.acks.expect("the capture followed both ways");
        assert!(pure_acks > 0, "{preset}: the file holds the receiver's pure ACKs");
        assert_eq!(
            pure_acks + fin_acks,
            acks,
            "{preset}: the receiver's pure ACKs ({pure_acks}) and FIN|ACK ({fin_acks}) = the summary's ACKs"
        );
        let zero = count(&pcap, "tcp.analysis.zero_window");
        assert_eq!(
            Some(zero),
            s.zero_window,
            "{preset}: tshark's zero windows = the summary's"
        );
        let resent = count(
            &pcap,
            &format!("tcp.srcport == {sender} && tcp.len > 0 && tcp.analysis.retransmission"),
        );
        assert_eq!(
            Some(resent),
            s.retransmissions,
            "{preset}: data retransmissions in the file = the capture's count in the summary"
        );
        let sent: Vec<u8> = rec
            .events
            .iter()
            .filter_map(|e| match e {
                Event::Bytes { data, .. } => Some(data.clone()),
                _ => None,
            })
            .flatten()
            .collect();
        assert_eq!(
            sent.len() as u64,
            s.bytes_sent,
            "{preset}: the recording kept every byte"
        );
        assert!(
            followed_bytes(&pcap) == sent,
            "{preset}: Follow TCP Stream gives the exact bytes"
        );
        checked += 1;
    }
    println!("{checked} of 2 presets checked");
}

/// The export is the wire lanes' split (issue 27): a GSO batch is written as the segments the
/// lane draws, each with its own sequence number and length and no larger than the MSS, and
/// the replies of a request/response run are in it with their bytes (issue 26): each
/// direction's payloads, in sequence order, are the bytes its reader received.
#[test]
fn the_export_holds_each_directions_segments_as_the_lanes_draw_them() {
    let mut exp = presets::find("big-reply").expect("preset").experiment;
    exp.mss = Some(1000);
    let events = Run::start(&exp, None).expect("the run starts").wait();
    let model = stickyviz::analysis::Model::from_events(&events);
    if model.segments_unavailable().is_some() {
        return skip::skip(
            skip::Missing::Privilege,
            "the export needs a capture (root or CAP_NET_RAW)",
        );
    }
    let replies = &model.echo().expect("a reply axis").replies;
    let (sender_port, receiver_port) = events
        .iter()
        .find_map(|e| match e {
            Event::Connected { sender, receiver, .. } => Some((port(sender), port(receiver))),
            _ => None,
        })
        .expect("connected");
    let mut file = Vec::new();
    pcapng::write(&events, &mut file).expect("writes");
    let mut reader = PcapNgReader::new(&file[..]).expect("a pcapng section");
    // (seq, payload) of each direction's data packets
    let (mut requests, mut answers) = (Vec::new(), Vec::new());
    while let Some(block) = reader.next_block() {
        if let Block::EnhancedPacket(p) = block.expect("a valid block") {
            let ip = &p.data;
            let ihl = usize::from(ip[0] & 0x0f) * 4;
            let tcp = &ip[ihl..];
            let headers = ihl + usize::from(tcp[12] >> 4) * 4;
            if p.original_len as usize == headers {
                continue;
            }
            assert_eq!(p.data.len() as u32, p.original_len, "the payload is in the file");
            assert!(
                p.original_len as usize - headers <= 1000,
                "no packet bigger than the MSS"
            );
            let seq = u32::from_be_bytes([tcp[4], tcp[5], tcp[6], tcp[7]]);
            let item = (seq, p.data[headers..].to_vec());
            match u16::from_be_bytes([tcp[0], tcp[1]]) {
                s if s == sender_port => requests.push(item),
                s if s == receiver_port => answers.push(item),
                other => panic!("port {other}"),
            }
        }
    }
    let on_lane = |m: &stickyviz::analysis::Model| m.segments().len() + m.retransmissions().len();
    assert_eq!(
        requests.len(),
        on_lane(&model),
        "request packets = the request wire lane's"
    );
    assert_eq!(answers.len(), on_lane(replies), "reply packets = the reply wire lane's");
    assert!(
        model.summary().gso_batches + replies.summary().gso_batches > 0,
        "2,500-byte replies over a 1,000-byte MSS leave lo in GSO batches"
    );
    let stream = |mut packets: Vec<(u32, Vec<u8>)>| -> Vec<u8> {
        // sequence order (relative to the first: no wrap within a few KB), retransmissions once
        let first = packets.iter().map(|p| p.0).min().unwrap_or(0);
        packets.sort_by_key(|p| p.0.wrapping_sub(first));
        packets.dedup_by_key(|p| p.0);
        packets.into_iter().flat_map(|p| p.1).collect()
    };
    let received = |m: &stickyviz::analysis::Model| -> Vec<u8> {
        m.reads()
            .iter()
            .flat_map(|r| m.read_bytes(r).expect("kept").to_vec())
            .collect()
    };
    assert!(stream(requests) == received(&model), "the requests' bytes");
    assert!(stream(answers) == received(replies), "the replies' bytes");
}
