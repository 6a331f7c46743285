//! pcapng export of the packets a run really captured, for cross-checking in Wireshark.
//!
//! Only what the capture socket read goes in: every packet of the connection, both ways (the
//! handshake, the data segments and their retransmissions, the receiver's ACKs, the FINs; the
//! sighting as each left), each cut after its TCP header with its real length kept as the
//! original length, as `tcpdump -s` would. A data segment whose bytes the recording kept (the
//! receiver's first MiB, the `bytes` events) gets them back as its payload, so the file holds
//! the stream itself, not only its headers; the replies of a request/response run likewise.
//! A GSO batch (one packet on `lo`) is written as the segments a network would carry, as the
//! wire lane draws it (`crates/engine/src/capture_split.rs`). Wireshark's Follow TCP Stream
//! and `tcp.analysis` work on it; recordings made before ACKs were captured hold the data segments only. Nothing is made up: a run without a capture (no root or
//! `CAP_NET_RAW`) has no packets, and the export says why instead of writing a file.

// Reading and writing files is the native app's; the browser gets the same in-memory halves.
#![cfg_attr(target_arch = "wasm32", allow(unused_imports, dead_code))]

use std::borrow::Cow;
use std::path::Path;
use std::time::Duration;

use pcap_file::pcapng::blocks::enhanced_packet::{EnhancedPacketBlock, EnhancedPacketOption};
use pcap_file::pcapng::blocks::interface_description::{InterfaceDescriptionBlock, InterfaceDescriptionOption};
use pcap_file::pcapng::PcapNgWriter;
use pcap_file::DataLink;

use crate::facts::{CapturedPacket, Event, FileFailure, FileOp, FileTarget, NoPackets, OsError};

/// Largest packet a file may hold: headers, and the payload where the run kept the bytes.
const SNAPLEN: u32 = 262_144;
/// pcapng's default time resolution is µs; 9 = ns, what pcap-file writes.
const TS_RESOL_NS: u8 = 9;

pub use crate::facts::PcapngError;

/// Whether the export needs `e` (see [`why_unavailable`] and [`write`]): every captured packet
/// (data segments, retransmissions, the receiver's ACKs, SYN and FIN), why none were captured,
/// and the received bytes a data segment gets back as its payload. A segment without its packet
/// is needed once, to say the packets were not kept. The one filter of every front end: what
/// a live run keeps for the export is what a saved recording of it gives `render`.
pub fn needs(e: &Event, saw_bare_segment: &mut bool) -> bool {
    match e {
        Event::Segment { packet: Some(_), .. }
        | Event::Retransmission { packet: Some(_), .. }
        | Event::Ack { packet: Some(_), .. }
        | Event::Control { packet: Some(_), .. }
        | Event::SegmentsUnavailable { .. }
        | Event::Bytes { .. } => true,
        Event::Segment { packet: None, .. } => !std::mem::replace(saw_bare_segment, true),
        // the receiver's data (a request/response run's replies) and the bytes it carried
        Event::Reply { event } => matches!(
            **event,
            Event::Segment { packet: Some(_), .. }
                | Event::Retransmission { packet: Some(_), .. }
                | Event::Bytes { .. }
        ),
        _ => false,
    }
}

/// The events of a run the export needs, kept as its batches arrive ([`needs`]).
#[derive(Clone, Debug, Default)]
pub struct Kept {
    events: Vec<Event>,
    saw_bare_segment: bool,
}

impl Kept {
    pub fn extend(&mut self, batch: &[Event]) {
        let saw = &mut self.saw_bare_segment;
        self.events.extend(batch.iter().filter(|e| needs(e, saw)).cloned());
    }

    pub fn events(&self) -> &[Event] {
        &self.events
    }
}

/// The captured packets of a run, in capture order (the replies' among them).
pub fn packets(events: &[Event]) -> Vec<&CapturedPacket> {
    events
        .iter()
        .map(|e| match e {
            Event::Reply { event } => event,
            e => e,
        })
        .filter_map(|e| match e {
            Event::Segment { packet: Some(p), .. }
            | Event::Retransmission { packet: Some(p), .. }
            | Event::Ack { packet: Some(p), .. }
            | Event::Control { packet: Some(p), .. } => Some(p),
            _ => None,
        })
        .collect()
}

/// Why a run has no packets to export; `None` when it has some.
pub fn why_unavailable(events: &[Event]) -> Option<NoPackets> {
    if !packets(events).is_empty() {
        return None;
    }
    let unavailable = events.iter().find_map(|e| match e {
        Event::SegmentsUnavailable { reason } => Some(reason.clone()),
        _ => None,
    });
    let segments = events.iter().any(|e| matches!(e, Event::Segment { .. }));
    Some(match (unavailable, segments) {
        (Some(reason), _) => NoPackets::Unavailable(reason),
        (None, true) => NoPackets::PositionsOnly,
        (None, false) => NoPackets::NoSegments,
    })
}

/// The received bytes from offset 0 of the main stream (`reply` false) or of the reply
/// stream, as the `bytes` events kept them.
fn stream_bytes(events: &[Event], reply: bool) -> Vec<u8> {
    let mut stream = Vec::new();
    for e in events {
        let e = match e {
            Event::Reply { event } if reply => &**event,
            e if !reply => e,
            _ => continue,
        };
        if let Event::Bytes { offset, data } = e {
            if offset.0 == stream.len() as u64 {
                stream.extend_from_slice(data);
            }
        }
    }
    stream
}

/// The events of the packets [`write`] writes, in its order (a reply's packet as its `reply`
/// event).
pub fn packet_events(events: &[Event]) -> impl Iterator<Item = &Event> {
    events.iter().filter(|e| {
        let inner = match e {
            Event::Reply { event } => &**event,
            e => e,
        };
        matches!(
            inner,
            Event::Segment { packet: Some(_), .. }
                | Event::Retransmission { packet: Some(_), .. }
                | Event::Ack { packet: Some(_), .. }
                | Event::Control { packet: Some(_), .. }
        )
    })
}

/// The packets to write, each with the payload put back where the stream bytes are known
/// (the request stream's, or the reply stream's for the receiver's data).
fn packets_with_payload<'a>(
    events: &'a [Event],
    stream: &[u8],
    replies: &[u8],
) -> Vec<(&'a CapturedPacket, Cow<'a, [u8]>)> {
    events
        .iter()
        .map(|e| match e {
            Event::Reply { event } => (&**event, replies),
            e => (e, stream),
        })
        .filter_map(|(e, stream)| match e {
            Event::Segment {
                packet: Some(p),
                offset,
                len,
                ..
            }
            | Event::Retransmission {
                packet: Some(p),
                offset,
                len,
                ..
            } => {
                let payload = |offset: u64, len: u32| stream.get(offset as usize..(offset + u64::from(len)) as usize);
                let whole =
                    payload(offset.0, *len).filter(|bytes| p.headers.len() + bytes.len() == p.orig_len as usize);
                Some((
                    p,
                    whole.map_or(Cow::Borrowed(&p.headers[..]), |bytes| {
                        Cow::Owned([&p.headers[..], bytes].concat())
                    }),
                ))
            }
            Event::Ack { packet: Some(p), .. } | Event::Control { packet: Some(p), .. } => {
                Some((p, Cow::Borrowed(&p.headers[..])))
            }
            _ => None,
        })
        .collect()
}

/// Writes the packets as pcapng (raw IPv4 link type, one interface: `lo`); returns how many.
pub fn write(events: &[Event], out: impl std::io::Write) -> Result<usize, PcapngError> {
    write_commented(events, &[], out)
}

/// [`write`], each packet with its comment (`comments[i]` for the i-th packet, see
/// `pcapng_comments`), which Wireshark shows as `frame.comment`.
pub fn write_commented(
    events: &[Event],
    comments: &[Option<String>],
    out: impl std::io::Write,
) -> Result<usize, PcapngError> {
    // the writer's own words, kept as data like an OS error's
    let err = |e: pcap_file::PcapError| {
        PcapngError::Write(FileFailure {
            op: FileOp::Write,
            target: FileTarget::Path("pcapng".into()),
            error: OsError {
                kind: "Other".into(),
                code: None,
                words: e.to_string(),
            },
        })
    };
    if let Some(why) = why_unavailable(events) {
        return Err(PcapngError::NoPackets(why));
    }
    let mut w = PcapNgWriter::new(out).map_err(err)?;
    let mut idb = InterfaceDescriptionBlock::new(DataLink::RAW, SNAPLEN);
    idb.options = vec![
        InterfaceDescriptionOption::IfName(Cow::Borrowed("lo")),
        InterfaceDescriptionOption::IfDescription(Cow::Borrowed("stickyviz: one TCP connection, both directions")),
        InterfaceDescriptionOption::IfTsResol(TS_RESOL_NS),
    ];
    w.write_pcapng_block(idb).map_err(err)?;
    let (stream, replies) = (stream_bytes(events, false), stream_bytes(events, true));
    let packets = packets_with_payload(events, &stream, &replies);
    for (i, (p, data)) in packets.iter().enumerate() {
        let comment = comments.get(i).and_then(Option::as_deref);
        let block = EnhancedPacketBlock {
            interface_id: 0,
            timestamp: Duration::from_micros(p.unix_us),
            original_len: p.orig_len,
            data: Cow::Borrowed(data),
            options: comment
                .map(|c| EnhancedPacketOption::Comment(Cow::Borrowed(c)))
                .into_iter()
                .collect(),
        };
        w.write_pcapng_block(block).map_err(err)?;
    }
    Ok(packets.len())
}
/// [`write`] to a file; nothing is created when there are no packets.
#[cfg(not(target_arch = "wasm32"))]
pub fn save(events: &[Event], path: &Path) -> Result<usize, PcapngError> {
    save_commented(events, &[], path)
}

/// [`write_commented`] to a file; nothing is created when there are no packets.
pub fn save_commented(events: &[Event], comments: &[Option<String>], path: &Path) -> Result<usize, PcapngError> {
    if let Some(why) = why_unavailable(events) {
        return Err(PcapngError::NoPackets(why));
    }
    let mut buf = Vec::new();
    let n = write_commented(events, comments, &mut buf)?;
    std::fs::write(path, buf).map_err(FileFailure::on(FileOp::Write, path))?;
    Ok(n)
}
