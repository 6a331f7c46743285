//! pcapng export: the packets a real run captured on `lo`, read back as Wireshark would; and a
//! clear refusal when nothing was captured.

use pcap_file::pcapng::{Block, PcapNgReader};
use pcap_file::DataLink;
use stickyviz::engine::{CaptureUnavailable, Event, OsError, Run};
use stickyviz::export::pcapng::{self, PcapngError};
use stickyviz::presets;

#[test]
fn captured_segments_read_back_as_ipv4_tcp_packets() {
    let exp = presets::find("nagle-burst").expect("preset").experiment;
    let events = Run::start(&exp, None).expect("the run starts").wait();
    if let Some(Event::SegmentsUnavailable { reason }) = events.iter().find(|e| matches!(e, Event::SegmentsUnavailable { .. })) {
        // unprivileged: the export must say why, and write nothing
        let e = pcapng::write(&events, Vec::new()).expect_err("nothing captured, nothing written");
        let words = stickyviz::describe::capture_unavailable(reason, stickyviz::i18n::Lang::En);
        assert!(e.to_string().contains(&words), "{e}");
        println!("skipped: reading captured packets back needs a capture, and this run had none ({words})");
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
            Event::Segment { len, .. } => Some(*len),
            _ => None,
        })
        .collect();
    let mut file = Vec::new();
    let n = pcapng::write(&events, &mut file).expect("writes");
    assert_eq!(n, segments.len(), "one packet per captured segment");

    let mut reader = PcapNgReader::new(&file[..]).expect("a pcapng section");
    let mut seen = Vec::new();
    while let Some(block) = reader.next_block() {
        match block.expect("a valid block") {
            Block::InterfaceDescription(idb) => assert_eq!(idb.linktype, DataLink::RAW),
            Block::EnhancedPacket(p) => {
                let ip = &p.data;
                assert_eq!(ip[0] >> 4, 4, "IPv4");
                assert_eq!(ip[9], 6, "TCP");
                assert_eq!(u32::from(u16::from_be_bytes([ip[2], ip[3]])), p.original_len, "original length = IP total length");
                let ihl = usize::from(ip[0] & 0x0f) * 4;
                let tcp = &ip[ihl..];
                assert_eq!(u16::from_be_bytes([tcp[0], tcp[1]]), sender_port);
                assert_eq!(u16::from_be_bytes([tcp[2], tcp[3]]), receiver_port);
                let headers = ihl + usize::from(tcp[12] >> 4) * 4;
                assert_eq!(p.data.len(), headers, "headers only: the payload is in the recording's bytes events");
                seen.push(p.original_len - headers as u32);
            }
            _ => {}
        }
    }
    assert_eq!(seen, segments, "payload lengths equal the wire lane's segments, in order");
}

fn port(addr: &str) -> u16 {
    addr.rsplit(':').next().and_then(|p| p.parse().ok()).expect("host:port")
}

#[test]
fn no_capture_says_why_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("x.pcapng");
    let error = OsError { kind: "PermissionDenied".into(), code: Some(1), words: "Operation not permitted (os error 1)".into() };
    let events = vec![Event::SegmentsUnavailable { reason: CaptureUnavailable::NeedsPrivilege { error } }, Event::Finished { at_us: 1 }];
    match pcapng::save(&events, &path) {
        Err(PcapngError::NoPackets(why)) => assert!(why.contains("needs root or CAP_NET_RAW (Operation not permitted (os error 1))"), "{why}"),
        other => panic!("{other:?}"),
    }
    assert!(!path.exists());
    let old = stickyviz::recording::Recording::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/slow-reader.json")).expect("fixture");
    let why = pcapng::why_unavailable(&old.events).expect("an older recording has no packets");
    assert!(why.contains("older stickyviz"), "{why}");
}
