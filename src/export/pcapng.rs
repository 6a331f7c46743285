//! pcapng export of the packets a run really captured, for cross-checking in Wireshark.
//!
//! Only what the capture socket read goes in: the data segments from sender to receiver (first
//! sighting on `lo`), each cut after its TCP header with its real length kept as the original
//! length, as `tcpdump -s` would. Nothing is made up: a run without a capture (no root or
//! `CAP_NET_RAW`) has no packets, and the export says why instead of writing a file.

use std::borrow::Cow;
use std::path::Path;
use std::time::Duration;

use pcap_file::pcapng::blocks::enhanced_packet::EnhancedPacketBlock;
use pcap_file::pcapng::blocks::interface_description::{InterfaceDescriptionBlock, InterfaceDescriptionOption};
use pcap_file::pcapng::PcapNgWriter;
use pcap_file::DataLink;

use crate::engine::{CapturedPacket, Event};

/// The capture socket reads this many bytes of each packet (src/engine/capture.rs).
const SNAPLEN: u32 = 128;
/// pcapng's default time resolution is µs; 9 = ns, what pcap-file writes.
const TS_RESOL_NS: u8 = 9;

#[derive(Debug, thiserror::Error)]
pub enum PcapngError {
    #[error("no packets to export: {0}")]
    NoPackets(String),
    #[error("cannot write {path}: {message}")]
    Write { path: String, message: String },
}

/// The captured packets of a run, in capture order.
pub fn packets(events: &[Event]) -> Vec<&CapturedPacket> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Segment { packet: Some(p), .. } => Some(p),
            _ => None,
        })
        .collect()
}

/// Why a run has no packets to export, in plain words; `None` when it has some.
pub fn why_unavailable(events: &[Event]) -> Option<String> {
    if !packets(events).is_empty() {
        return None;
    }
    let unavailable = events.iter().find_map(|e| match e {
        // The message around it is English, so is the reason.
        Event::SegmentsUnavailable { reason } => Some(crate::describe::capture_unavailable(reason, crate::i18n::Lang::En)),
        _ => None,
    });
    let segments = events.iter().any(|e| matches!(e, Event::Segment { .. }));
    Some(match (unavailable, segments) {
        (Some(reason), _) => format!("the run captured no packets: {reason}"),
        (None, true) => "this recording kept segment positions but not their packets (made by an older stickyviz)".into(),
        (None, false) => "the run captured no TCP data segments".into(),
    })
}

/// Writes the packets as pcapng (raw IPv4 link type, one interface: `lo`); returns how many.
pub fn write(events: &[Event], out: impl std::io::Write) -> Result<usize, PcapngError> {
    let err = |e: pcap_file::PcapError| PcapngError::Write { path: "pcapng stream".into(), message: e.to_string() };
    if let Some(why) = why_unavailable(events) {
        return Err(PcapngError::NoPackets(why));
    }
    let mut w = PcapNgWriter::new(out).map_err(err)?;
    let mut idb = InterfaceDescriptionBlock::new(DataLink::RAW, SNAPLEN);
    idb.options = vec![
        InterfaceDescriptionOption::IfName(Cow::Borrowed("lo")),
        InterfaceDescriptionOption::IfDescription(Cow::Borrowed("stickyviz: TCP data segments sender → receiver, headers only")),
        InterfaceDescriptionOption::IfTsResol(TS_RESOL_NS),
    ];
    w.write_pcapng_block(idb).map_err(err)?;
    let packets = packets(events);
    for p in &packets {
        let block = EnhancedPacketBlock {
            interface_id: 0,
            timestamp: Duration::from_micros(p.unix_us),
            original_len: p.orig_len,
            data: Cow::Borrowed(&p.headers),
            options: vec![],
        };
        w.write_pcapng_block(block).map_err(err)?;
    }
    Ok(packets.len())
}

/// [`write`] to a file; nothing is created when there are no packets.
pub fn save(events: &[Event], path: &Path) -> Result<usize, PcapngError> {
    if let Some(why) = why_unavailable(events) {
        return Err(PcapngError::NoPackets(why));
    }
    let mut buf = Vec::new();
    let n = write(events, &mut buf)?;
    std::fs::write(path, buf).map_err(|e| PcapngError::Write { path: path.display().to_string(), message: e.to_string() })?;
    Ok(n)
}
