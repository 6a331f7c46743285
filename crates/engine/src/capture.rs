//! The wire lane: every packet of the run's connection, both directions, captured on `lo`:
//! the sender's data segments (retransmissions marked), the receiver's ACKs with the window
//! they advertise, the receiver's own data (a request/response run's replies, on the reply
//! axis), and the handshake, FINs and window probes (for the pcapng export).
//!
//! An `AF_PACKET` socket sees every packet on every interface, so it needs root or
//! `CAP_NET_RAW` (or the app's own network namespace). On loopback each packet is seen twice
//! (leaving and arriving); only the leaving sighting is kept, and a segment whose bytes were
//! all seen already is a retransmission. Only the first bytes of each packet are copied: the
//! headers are all this needs.
//!
//! **Full speed, both ways.** The kernel writes each packet's headers into a `TPACKET_V3` ring
//! shared with this thread (`sys::ring`): no system call, no queued clone and no wake-up per
//! packet. The thread empties the ring's finished blocks every [`POLL`]. Reading each packet
//! with `recvmsg()` instead made `firehose` (1 GiB) 25% slower when the ACKs were followed
//! too, so bulk runs used to be captured one way only (docs/performance.md).
//!
//! **Times are the kernel's**: the ring's stamp (`CLOCK_REALTIME`) is taken as the packet
//! passes the tap on its way out, not when this thread reads it, which may be milliseconds
//! later: a segment stamped then was drawn after the read that had already returned its
//! bytes (issue 14).
//!
//! **GSO batches are cut as a network would cut them**: `lo` carries TCP's large packets
//! whole, so the capture asks for the `virtio_net_hdr` of each (`PACKET_VNET_HDR`), whose
//! `gso_size` says how many segments it stands for; each is recorded as those segments
//! (`capture_split.rs`), marked as one batch, and the counts agree with `TCP_INFO`.
//!
//! Nothing the capture misses goes unsaid: the kernel's drop count for this socket
//! (`PACKET_STATISTICS`: the ring was full) ends the lane as [`Event::CaptureStats`], and the
//! sender's `TCP_INFO` count of data segments is the other side of that comparison.
//!
//! A BPF filter in the kernel hands this socket only the run's own packets, once each (as they
//! leave) and cut to their headers: without it the ring would fill with every packet twice,
//! and every other connection's. If the filter cannot be attached, the capture sees
//! everything and sorts it out here (the leaving sighting by its packet type).

use std::net::SocketAddrV4;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use socket2::{Domain, Protocol, SockFilter, Socket, Type};

use super::capture_split::{segment_at, segment_count, segment_headers};
use super::event::{Call, CaptureUnavailable, CapturedPacket, ControlKind, Event, Fault, Side, StreamOffset};
use super::sink::EventSink;
use super::sys::ring::{PacketRing, RingConfig, RingPacket};

/// How long the thread sleeps once the ring is empty.
const POLL: Duration = Duration::from_millis(1);
/// The ring: 32 blocks of 256 KiB (8 MiB). A packet takes about 240 bytes of it (the ring's
/// header, the link header, the `virtio_net_hdr` and [`SNAPLEN`]), so a block holds about
/// 1,000 packets: 10 ms of `firehose` at about 90 packets a millisecond both ways, and the
/// ring a third of a second, however late this thread gets to it. A block is handed over when
/// full or [`RETIRE_MS`] after it was opened.
const RING: RingConfig = RingConfig {
    block_size: 256 * 1024,
    blocks: 32,
    retire_ms: RETIRE_MS,
    vnet_header: true,
};
const RETIRE_MS: u32 = 2;
/// Most packets (segments, ACKs, the rest) recorded per run; past it the lane says so (counts
/// stay in `TCP_INFO`).
const MAX_SEGMENTS: usize = 2_000_000;
/// Most packets whose headers are kept for the pcapng export: about 60 bytes each, 200 in a
/// recording's JSON, so a run stays under ~20 MB; later packets are still drawn and counted.
pub const MAX_PACKETS_KEPT: usize = 100_000;

/// Bytes of each packet kept from its IP header on: IPv4 and TCP headers with every option
/// fit in 120.
const SNAPLEN: u32 = 128;
/// Room for the link header before it (`lo`'s is 14 bytes, as Ethernet's).
const LINK_ROOM: u32 = 16;

/// Opens the capture of the packets between `from` and `to`, both ways, or says in plain words
/// why it cannot be opened.
pub fn open(from: SocketAddrV4, to: SocketAddrV4) -> Result<PacketRing, CaptureUnavailable> {
    let protocol = Protocol::from(i32::from((libc::ETH_P_ALL as u16).to_be()));
    // SOCK_RAW, not DGRAM: the kernel gives the `virtio_net_hdr` (gso_size) only to raw sockets
    let socket = Socket::new(Domain::PACKET, Type::RAW, Some(protocol)).map_err(|e| {
        if e.kind() == std::io::ErrorKind::PermissionDenied {
            CaptureUnavailable::NeedsPrivilege { error: (&e).into() }
        } else {
            CaptureUnavailable::CannotOpen { error: (&e).into() }
        }
    })?;
    // Without the filter the capture still works, only slower.
    let _unfiltered_if_refused = socket.attach_filter(&filter(from, to));
    PacketRing::new(socket, RING).map_err(|e| CaptureUnavailable::Setup { error: (&e).into() })
}

/// A classic BPF program: keep outgoing IPv4 TCP packets from `from` to `to` and from `to` to
/// `from`, cut to [`SNAPLEN`] bytes past the link header; drop the rest.
/// Offsets count from the IP header (`SKF_NET_OFF`), whatever the link header.
fn filter(from: SocketAddrV4, to: SocketAddrV4) -> Vec<SockFilter> {
    const LD_W_ABS: u16 = (libc::BPF_LD | libc::BPF_W | libc::BPF_ABS) as u16;
    const LD_H_ABS: u16 = (libc::BPF_LD | libc::BPF_H | libc::BPF_ABS) as u16;
    const LD_B_ABS: u16 = (libc::BPF_LD | libc::BPF_B | libc::BPF_ABS) as u16;
    const JEQ: u16 = (libc::BPF_JMP | libc::BPF_JEQ | libc::BPF_K) as u16;
    const RET: u16 = (libc::BPF_RET | libc::BPF_K) as u16;
    let pkttype = (libc::SKF_AD_OFF + libc::SKF_AD_PKTTYPE) as u32;
    let net = |offset: i32| (libc::SKF_NET_OFF + offset) as u32;
    // (load, value it must equal): every check falls through on a match, jumps to drop otherwise
    let common = [
        (
            SockFilter::new(LD_W_ABS, 0, 0, pkttype),
            u32::from(libc::PACKET_OUTGOING),
        ),
        (SockFilter::new(LD_B_ABS, 0, 0, net(0)), 0x45), // IPv4, 20-byte header (loopback never adds options)
        (SockFilter::new(LD_B_ABS, 0, 0, net(9)), 6),    // TCP
    ];
    let way = |a: SocketAddrV4, b: SocketAddrV4| {
        [
            (SockFilter::new(LD_W_ABS, 0, 0, net(12)), u32::from(*a.ip())),
            (SockFilter::new(LD_W_ABS, 0, 0, net(16)), u32::from(*b.ip())),
            (SockFilter::new(LD_H_ABS, 0, 0, net(20)), u32::from(a.port())),
            (SockFilter::new(LD_H_ABS, 0, 0, net(22)), u32::from(b.port())),
        ]
    };
    // layout: common checks, forward checks, keep, reverse checks, keep, drop
    let forward_at = 2 * common.len();
    let keep1_at = forward_at + 8;
    let reverse_at = keep1_at + 1;
    let keep2_at = reverse_at + 8;
    let drop_at = keep2_at + 1;
    let mut prog = Vec::new();
    let checks = |prog: &mut Vec<SockFilter>, list: Vec<(SockFilter, u32)>, fail_to: usize| {
        for (load, value) in list {
            prog.push(load);
            let jump = (fail_to - prog.len() - 1) as u8;
            prog.push(SockFilter::new(JEQ, 0, jump, value));
        }
    };
    checks(&mut prog, common.into(), drop_at);
    checks(&mut prog, way(from, to).into(), reverse_at);
    prog.push(SockFilter::new(RET, 0, 0, LINK_ROOM + SNAPLEN));
    checks(&mut prog, way(to, from).into(), drop_at);
    prog.push(SockFilter::new(RET, 0, 0, LINK_ROOM + SNAPLEN));
    prog.push(SockFilter::new(RET, 0, 0, 0));
    debug_assert_eq!(prog.len(), drop_at + 1);
    prog
}

/// Records the packets between `from` (the sender) and `to` (the receiver) until `done` is set
/// or `stop` is set.
///
/// `done` is set once every worker has been joined, so the sender has seen its last byte
/// acknowledged (or given up): each packet was written to the ring as it left (the tap comes
/// before `lo` delivers it, so before its ACK). The block the kernel was still filling is
/// handed over within [`RETIRE_MS`]; one pass after that gets every packet.
pub fn run(
    mut ring: PacketRing,
    from: SocketAddrV4,
    to: SocketAddrV4,
    sink: &mut EventSink,
    stop: &AtomicBool,
    done: &AtomicBool,
) {
    let mut recorder = Recorder {
        from,
        to,
        conversation: Conversation::default(),
        recorded: 0,
    };
    loop {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        // read before the ring is emptied: what was written before `done` is read below
        let last_pass = done.load(Ordering::Relaxed);
        ring.drain(&mut |p| recorder.packet(&p, sink));
        if last_pass {
            // a guard against a kernel that never retires the block: 50 retire periods
            let deadline = Instant::now() + Duration::from_millis(50 * u64::from(RETIRE_MS));
            while ring.filling() && Instant::now() < deadline {
                std::thread::sleep(POLL);
            }
            ring.drain(&mut |p| recorder.packet(&p, sink));
            break;
        }
        std::thread::sleep(POLL);
    }
    // The kernel's counter (u32) counts since the socket opened: one read at the end is all.
    let at_us = sink.now_us();
    match super::sys::packet_drops(ring.socket()) {
        Ok(dropped) => sink.push(Event::CaptureStats {
            at_us,
            dropped: u64::from(dropped),
        }),
        Err(e) => sink.push(Event::Error {
            at_us,
            side: Side::Capture,
            error: Fault::call(Call::PacketStatistics, &e),
        }),
    }
}

/// The `gso_size` of a packet's `virtio_net_hdr` (in the host's byte order: the kernel writes
/// it for a legacy virtio device, `vio_le()`), or 0 when the packet is no GSO batch.
fn gso_size(vnet: Option<[u8; super::sys::ring::VNET_HDR_LEN]>) -> u32 {
    const GSO_NONE: u8 = 0;
    const GSO_ECN: u8 = 0x80;
    match vnet {
        Some(h) if h[1] & !GSO_ECN != GSO_NONE => u32::from(u16::from_ne_bytes([h[4], h[5]])),
        _ => 0,
    }
}

/// Turns captured packets into events.
struct Recorder {
    from: SocketAddrV4,
    to: SocketAddrV4,
    conversation: Conversation,
    /// Packet events recorded so far (each segment of a batch counts).
    recorded: usize,
}

impl Recorder {
    fn packet(&mut self, p: &RingPacket<'_>, sink: &mut EventSink) {
        // Unfiltered, `lo` shows each packet arriving too: the leaving sighting is the one.
        if p.pkttype != libc::PACKET_OUTGOING {
            return;
        }
        let Some(seg) = parse_tcp(p.net, self.from, self.to) else {
            return;
        };
        let Some(seen) = self.conversation.track(seg) else {
            return;
        };
        let at_us = sink.clock.us_at_unix_ns(p.unix_ns);
        let headers = &p.net[..seg.headers_len.min(p.net.len())];
        let gso = gso_size(p.vnet);
        let data = |offset, len, new_from, reply| Data {
            at_us,
            offset,
            len,
            new_from,
            gso,
            reply,
        };
        match seen {
            Seen::Segment { offset, len } => self.data(sink, headers, data(offset, len, offset, false)),
            Seen::Retransmission { offset, len, new_from } => {
                self.data(sink, headers, data(offset, len, new_from, false))
            }
            Seen::ReplySegment {
                offset,
                len,
                new_from,
                ack,
            } => {
                // the packet goes with its data (once in the export); its ACK is counted too
                self.push(sink, ack.event(at_us, None));
                self.data(sink, headers, data(offset, len, new_from, true));
            }
            other => {
                let packet = self.kept(at_us, seg.total_len, || headers.to_vec(), sink);
                self.push(sink, other.event(at_us, packet));
            }
        }
    }

    /// A packet's headers for the export, while under [`MAX_PACKETS_KEPT`].
    fn kept(
        &self,
        at_us: u64,
        orig_len: u32,
        headers: impl FnOnce() -> Vec<u8>,
        sink: &EventSink,
    ) -> Option<CapturedPacket> {
        (self.recorded < MAX_PACKETS_KEPT).then(|| CapturedPacket {
            unix_us: sink.clock.unix_us(at_us),
            orig_len,
            headers: headers(),
        })
    }

    /// One packet's data, as the segments a network would carry (one unless it is a GSO
    /// batch, then announced by [`Event::GsoBatch`]), each a segment or a retransmission.
    fn data(&mut self, sink: &mut EventSink, headers: &[u8], d: Data) {
        let wrap = |e: Event| {
            if d.reply {
                Event::Reply { event: Box::new(e) }
            } else {
                e
            }
        };
        let count = segment_count(d.len, d.gso);
        if count > 1 {
            sink.push(wrap(Event::GsoBatch {
                at_us: d.at_us,
                offset: StreamOffset(d.offset),
                len: d.len,
                segments: count,
                gso_size: d.gso,
            }));
        }
        for k in 0..count {
            let (skip, len) = segment_at(d.len, d.gso, k);
            let orig_len = headers.len() as u32 + len;
            let packet = self.kept(
                d.at_us,
                orig_len,
                || {
                    if count > 1 {
                        segment_headers(headers, k, count, skip, len)
                    } else {
                        headers.to_vec()
                    }
                },
                sink,
            );
            let (at_us, offset) = (d.at_us, d.offset + u64::from(skip));
            let event = if offset < d.new_from {
                Event::Retransmission {
                    at_us,
                    offset: StreamOffset(offset),
                    len,
                    packet,
                }
            } else {
                Event::Segment {
                    at_us,
                    offset: StreamOffset(offset),
                    len,
                    packet,
                }
            };
            self.push(sink, wrap(event));
        }
    }

    fn push(&mut self, sink: &mut EventSink, event: Event) {
        self.recorded += 1;
        if self.recorded == MAX_SEGMENTS {
            let at_us = sink.now_us();
            sink.push(Event::Error {
                at_us,
                side: Side::Capture,
                error: Fault::CaptureCapped { max: MAX_SEGMENTS },
            });
        }
        if self.recorded <= MAX_SEGMENTS {
            sink.push(event);
        }
    }
}

/// One captured packet's data, before it is cut into segments.
#[derive(Clone, Copy)]
struct Data {
    at_us: u64,
    offset: u64,
    len: u32,
    /// Bytes before this offset had been seen already: a segment starting before it is a
    /// retransmission.
    new_from: u64,
    /// The batch's segment size (0: not a batch).
    gso: u32,
    /// The receiver's data, on the reply axis.
    reply: bool,
}

const FIN: u8 = 0x01;
const SYN: u8 = 0x02;
const RST: u8 = 0x04;
const ACK: u8 = 0x10;

/// The TCP header fields the lanes need.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct TcpSeg {
    /// From the receiver back to the sender.
    reverse: bool,
    seq: u32,
    ack: u32,
    flags: u8,
    /// The window field as sent: to be shifted by the sender's announced scale (not in a SYN).
    window: u16,
    /// The window scale option (RFC 7323), present in a SYN or SYN-ACK that offers it.
    wscale: Option<u8>,
    payload_len: u32,
    /// IP total length: the whole packet.
    total_len: u32,
    /// IP header + TCP header.
    headers_len: usize,
}

/// Parses an IPv4 packet (no link header: the socket is `SOCK_DGRAM`) and keeps it if it is TCP
/// between `from` and `to`, either way. `data` may be cut short after the headers.
fn parse_tcp(data: &[u8], from: SocketAddrV4, to: SocketAddrV4) -> Option<TcpSeg> {
    let ip = data.get(..20)?;
    if ip[0] >> 4 != 4 || ip[9] != 6 {
        return None;
    }
    let ihl = usize::from(ip[0] & 0x0f) * 4;
    let total_len = usize::from(u16::from_be_bytes([ip[2], ip[3]]));
    let tcp = data.get(ihl..ihl + 20)?;
    let (src_port, dst_port) = (
        u16::from_be_bytes([tcp[0], tcp[1]]),
        u16::from_be_bytes([tcp[2], tcp[3]]),
    );
    let (src, dst) = (&ip[12..16], &ip[16..20]);
    let between = |a: SocketAddrV4, b: SocketAddrV4| {
        src == a.ip().octets() && dst == b.ip().octets() && src_port == a.port() && dst_port == b.port()
    };
    let reverse = match (between(from, to), between(to, from)) {
        (true, _) => false,
        (false, true) => true,
        (false, false) => return None,
    };
    let word = |at: usize| u32::from_be_bytes([tcp[at], tcp[at + 1], tcp[at + 2], tcp[at + 3]]);
    let tcp_header = usize::from(tcp[12] >> 4) * 4;
    let flags = tcp[13];
    let payload_len = total_len.checked_sub(ihl + tcp_header)? as u32;
    let options = data.get(ihl + 20..ihl + tcp_header).unwrap_or_default();
    let wscale = if flags & SYN != 0 { window_scale(options) } else { None };
    Some(TcpSeg {
        reverse,
        seq: word(4),
        ack: word(8),
        flags,
        window: u16::from_be_bytes([tcp[14], tcp[15]]),
        wscale,
        payload_len,
        total_len: total_len as u32,
        headers_len: ihl + tcp_header,
    })
}

/// The shift of the window scale option (kind 3) among a SYN's TCP options, if offered. RFC
/// 7323 caps the shift at 14.
fn window_scale(mut options: &[u8]) -> Option<u8> {
    while let Some(&kind) = options.first() {
        match kind {
            0 => return None,
            1 => options = &options[1..],
            _ => {
                let len = usize::from(*options.get(1)?);
                if len < 2 || len > options.len() {
                    return None;
                }
                if kind == 3 && len == 3 {
                    return Some(options[2].min(14));
                }
                options = &options[len..];
            }
        }
    }
    None
}

/// What one captured packet was, in stream terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Seen {
    Segment {
        offset: u64,
        len: u32,
    },
    /// Bytes from `offset` sent again; those from `new_from` on (if any) are new.
    Retransmission {
        offset: u64,
        len: u32,
        new_from: u64,
    },
    Ack(AckSeen),
    Control {
        from: Side,
        kind: ControlKind,
    },
    /// Data from the receiver back to the sender (a reply, on its own byte axis from the
    /// receiver's SYN-ACK), bytes before `new_from` seen already; the packet also carries an ACK
    /// of the sender's stream.
    ReplySegment {
        offset: u64,
        len: u32,
        new_from: u64,
        ack: AckSeen,
    },
}

/// The receiver's acknowledgment: of every stream byte before `ack`, with room for `window`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct AckSeen {
    ack: u64,
    window: u32,
    fin: bool,
}

impl AckSeen {
    fn event(self, at_us: u64, packet: Option<CapturedPacket>) -> Event {
        Event::Ack {
            at_us,
            ack: StreamOffset(self.ack),
            window: self.window,
            packet,
            fin: self.fin,
        }
    }
}

impl Seen {
    /// The event of a packet that is not data (data goes through `Recorder::data`).
    fn event(self, at_us: u64, packet: Option<CapturedPacket>) -> Event {
        match self {
            Self::Segment { offset, len } => Event::Segment {
                at_us,
                offset: StreamOffset(offset),
                len,
                packet,
            },
            Self::Retransmission { offset, len, .. } => Event::Retransmission {
                at_us,
                offset: StreamOffset(offset),
                len,
                packet,
            },
            Self::Ack(a) | Self::ReplySegment { ack: a, .. } => a.event(at_us, packet),
            Self::Control { from, kind } => Event::Control {
                at_us,
                from,
                control: kind,
                packet,
            },
        }
    }
}

/// Follows the connection packet by packet: turns sequence and acknowledgment numbers into
/// stream offsets, tells a retransmission from new bytes, scales the advertised window.
#[derive(Default)]
struct Conversation {
    /// The sender's initial sequence number (its SYN's): offset 0 is the byte after it.
    isn: Option<u32>,
    /// The window scales the sender (SYN) and the receiver (SYN-ACK) announced. The receiver's
    /// windows are shifted by its own, but only when both offered one (RFC 7323 §2.2).
    sender_wscale: Option<u8>,
    receiver_wscale: Option<u8>,
    /// Stream offset up to which bytes have been sent.
    seen_end: u64,
    /// The receiver's initial sequence number (its SYN-ACK's): offset 0 of the reply axis.
    receiver_isn: Option<u32>,
    /// Reply-axis offset up to which the receiver has sent bytes.
    reply_seen_end: u64,
    /// Stream offset up to which the receiver has acknowledged.
    acked: u64,
    /// The sender's FIN left (at `seen_end`): it takes one sequence number, no stream byte.
    fin_sent: bool,
}

impl Conversation {
    /// The stream offset of sequence number `seq`, taken as the one nearest to `near` (the
    /// sequence space wraps every 4 GiB; a run's packets stay within 2 GiB of each other).
    fn offset(&self, isn: u32, seq: u32, near: u64) -> u64 {
        let rel = u64::from(seq.wrapping_sub(isn).wrapping_sub(1));
        let wraps = near & !0xffff_ffff;
        let mut offset = wraps | rel;
        if offset + 0x8000_0000 < near {
            offset += 1 << 32;
        } else if offset > near + 0x8000_0000 && offset >= 1 << 32 {
            offset -= 1 << 32;
        }
        offset
    }

    fn track(&mut self, seg: TcpSeg) -> Option<Seen> {
        if seg.reverse {
            return self.track_reverse(seg);
        }
        let control = |kind| {
            Some(Seen::Control {
                from: Side::TcpSender,
                kind,
            })
        };
        if seg.flags & SYN != 0 {
            self.isn = Some(seg.seq);
            self.sender_wscale = seg.wscale;
            return control(ControlKind::Syn);
        }
        let isn = self.isn?;
        if seg.flags & RST != 0 {
            return control(ControlKind::Rst);
        }
        if seg.payload_len == 0 {
            // Linux's zero-window probe: no data, one below the first unacknowledged byte.
            let una = isn.wrapping_add(1).wrapping_add(self.acked as u32);
            return match seg.flags {
                f if f & FIN != 0 => {
                    self.fin_sent = true;
                    control(ControlKind::Fin)
                }
                _ if seg.seq.wrapping_add(1) == una => control(ControlKind::WindowProbe),
                _ => control(ControlKind::Ack),
            };
        }
        let offset = self.offset(isn, seg.seq, self.seen_end);
        let end = offset + u64::from(seg.payload_len);
        let len = seg.payload_len;
        let again = offset < self.seen_end;
        let new_from = self.seen_end.clamp(offset, end);
        self.fin_sent |= seg.flags & FIN != 0;
        self.seen_end = self.seen_end.max(end);
        Some(if again {
            Seen::Retransmission { offset, len, new_from }
        } else {
            Seen::Segment { offset, len }
        })
    }

    fn track_reverse(&mut self, seg: TcpSeg) -> Option<Seen> {
        let control = |kind| {
            Some(Seen::Control {
                from: Side::TcpReceiver,
                kind,
            })
        };
        if seg.flags & SYN != 0 {
            self.receiver_wscale = seg.wscale;
            self.receiver_isn = Some(seg.seq);
            return control(ControlKind::SynAck);
        }
        let isn = self.isn?;
        if seg.flags & RST != 0 {
            return control(ControlKind::Rst);
        }
        // a FIN without ACK does not happen after the handshake; with one (the usual FIN|ACK)
        // it is the receiver's last ACK, which on a slow link may be the only one covering the
        // stream's end: it counts as an ACK, its packet kept as it is
        if seg.flags & ACK == 0 {
            return (seg.flags & FIN != 0).then_some(Seen::Control {
                from: Side::TcpReceiver,
                kind: ControlKind::Fin,
            });
        }
        let mut ack = self.offset(isn, seg.ack, self.acked);
        if self.fin_sent && ack == self.seen_end + 1 {
            // acknowledges the FIN too: every stream byte, and the FIN is not one
            ack = self.seen_end;
        }
        self.acked = self.acked.max(ack);
        let shift = match (self.sender_wscale, self.receiver_wscale) {
            (Some(_), Some(shift)) => shift,
            _ => 0,
        };
        let window = u32::from(seg.window) << shift;
        let ack = AckSeen {
            ack,
            window,
            fin: seg.flags & FIN != 0,
        };
        match self.receiver_isn {
            Some(isn) if seg.payload_len > 0 => {
                let offset = self.offset(isn, seg.seq, self.reply_seen_end);
                let end = offset + u64::from(seg.payload_len);
                let new_from = self.reply_seen_end.clamp(offset, end);
                self.reply_seen_end = self.reply_seen_end.max(end);
                Some(Seen::ReplySegment {
                    offset,
                    len: seg.payload_len,
                    new_from,
                    ack,
                })
            }
            _ => Some(Seen::Ack(ack)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(seq: u32, syn: bool, payload_len: u32) -> TcpSeg {
        let flags = if syn { SYN } else { ACK };
        TcpSeg {
            reverse: false,
            seq,
            ack: 0,
            flags,
            window: 0,
            wscale: syn.then_some(7),
            payload_len,
            total_len: payload_len + 40,
            headers_len: 40,
        }
    }

    fn ack(ack: u32, window: u16) -> TcpSeg {
        TcpSeg {
            reverse: true,
            seq: 9000,
            ack,
            flags: ACK,
            window,
            wscale: None,
            payload_len: 0,
            total_len: 40,
            headers_len: 40,
        }
    }

    fn syn_ack(wscale: Option<u8>) -> TcpSeg {
        TcpSeg {
            flags: SYN | ACK,
            wscale,
            ..ack(101, 65_535)
        }
    }

    #[test]
    fn same_bytes_again_are_a_retransmission() {
        let mut t = Conversation::default();
        assert_eq!(
            t.track(seg(100, true, 0)),
            Some(Seen::Control {
                from: Side::TcpSender,
                kind: ControlKind::Syn
            })
        );
        let first = seg(101, false, 10);
        assert_eq!(t.track(first), Some(Seen::Segment { offset: 0, len: 10 }));
        assert_eq!(
            t.track(first),
            Some(Seen::Retransmission {
                offset: 0,
                len: 10,
                new_from: 10
            })
        );
        assert_eq!(t.track(seg(111, false, 5)), Some(Seen::Segment { offset: 10, len: 5 }));
        // a retransmission that carries new bytes too is still one
        assert_eq!(
            t.track(seg(106, false, 20)),
            Some(Seen::Retransmission {
                offset: 5,
                len: 20,
                new_from: 15
            })
        );
        assert_eq!(t.track(seg(126, false, 5)), Some(Seen::Segment { offset: 25, len: 5 }));
    }

    /// A lossy link: a segment lost before the capture (tc's queue comes first), later ones
    /// seen, then the sender's retransmission brings the lost bytes: it is marked as one (the
    /// kernel sent those bytes before), and so is a second copy.
    #[test]
    fn a_retransmission_into_a_lost_segments_hole_is_marked() {
        let mut t = Conversation::default();
        t.track(seg(0, true, 0));
        assert_eq!(t.track(seg(1, false, 10)), Some(Seen::Segment { offset: 0, len: 10 }));
        assert_eq!(
            t.track(seg(21, false, 10)),
            Some(Seen::Segment { offset: 20, len: 10 }),
            "bytes 10..20 were lost"
        );
        assert_eq!(
            t.track(seg(11, false, 10)),
            Some(Seen::Retransmission {
                offset: 10,
                len: 10,
                new_from: 20
            })
        );
        assert_eq!(
            t.track(seg(11, false, 10)),
            Some(Seen::Retransmission {
                offset: 10,
                len: 10,
                new_from: 20
            })
        );
    }

    #[test]
    fn sequence_wrap() {
        let mut t = Conversation::default();
        t.track(seg(u32::MAX - 4, true, 0));
        assert_eq!(
            t.track(seg(u32::MAX - 3, false, 10)),
            Some(Seen::Segment { offset: 0, len: 10 })
        );
        assert_eq!(t.track(seg(6, false, 10)), Some(Seen::Segment { offset: 10, len: 10 }));
        assert_eq!(
            t.track(TcpSeg {
                ack: 16,
                ..ack(16, 100)
            }),
            Some(Seen::Ack(AckSeen {
                ack: 20,
                window: 100,
                fin: false
            }))
        );
    }

    /// The window field is shifted by the receiver's scale, only when both ends offered one.
    #[test]
    fn advertised_window_is_scaled_by_the_receivers_shift() {
        for (sender, receiver, window) in [(Some(7), Some(3), 100 << 3), (Some(7), None, 100), (None, Some(3), 100)] {
            let mut t = Conversation::default();
            t.track(TcpSeg {
                wscale: sender,
                ..seg(100, true, 0)
            });
            assert_eq!(
                t.track(syn_ack(receiver)),
                Some(Seen::Control {
                    from: Side::TcpReceiver,
                    kind: ControlKind::SynAck
                })
            );
            assert_eq!(
                t.track(ack(101, 100)),
                Some(Seen::Ack(AckSeen {
                    ack: 0,
                    window,
                    fin: false
                })),
                "{sender:?} {receiver:?}"
            );
        }
    }

    #[test]
    fn zero_window_probe_is_marked() {
        let mut t = Conversation::default();
        t.track(seg(100, true, 0));
        t.track(syn_ack(Some(7)));
        assert_eq!(
            t.track(seg(101, false, 0)),
            Some(Seen::Control {
                from: Side::TcpSender,
                kind: ControlKind::Ack
            })
        );
        t.track(seg(101, false, 1000));
        assert_eq!(
            t.track(ack(1101, 0)),
            Some(Seen::Ack(AckSeen {
                ack: 1000,
                window: 0,
                fin: false
            }))
        );
        // no data, the sequence number of the last byte acknowledged
        assert_eq!(
            t.track(seg(1100, false, 0)),
            Some(Seen::Control {
                from: Side::TcpSender,
                kind: ControlKind::WindowProbe
            })
        );
    }

    #[test]
    fn the_ack_of_the_fin_ends_at_the_last_stream_byte() {
        let mut t = Conversation::default();
        t.track(seg(100, true, 0));
        t.track(seg(101, false, 10));
        assert_eq!(
            t.track(TcpSeg {
                flags: FIN | ACK,
                ..seg(111, false, 0)
            }),
            Some(Seen::Control {
                from: Side::TcpSender,
                kind: ControlKind::Fin
            })
        );
        assert_eq!(
            t.track(ack(112, 50)),
            Some(Seen::Ack(AckSeen {
                ack: 10,
                window: 50,
                fin: false
            }))
        );
    }

    /// The receiver's FIN|ACK is its last ACK: on a lossy link the one that covers the end; it
    /// is marked as carrying the FIN.
    #[test]
    fn the_receivers_fin_ack_counts_as_an_ack() {
        let mut t = Conversation::default();
        t.track(seg(100, true, 0));
        t.track(seg(101, false, 10));
        assert_eq!(
            t.track(TcpSeg {
                flags: FIN | ACK,
                ..ack(111, 500)
            }),
            Some(Seen::Ack(AckSeen {
                ack: 10,
                window: 500,
                fin: true
            }))
        );
    }

    #[test]
    fn window_scale_option_is_found_among_the_others() {
        // MSS, SACK permitted, timestamps, NOP, window scale 7 (Linux's SYN)
        let opts = [2, 4, 0xff, 0xd7, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7];
        assert_eq!(window_scale(&opts), Some(7));
        assert_eq!(window_scale(&opts[..17]), None);
        assert_eq!(window_scale(&[2, 0]), None, "a zero length stops the walk");
        assert_eq!(window_scale(&[3, 3, 20]), Some(14));
    }

    /// The receiver's data (a reply) is on its own axis from its SYN-ACK's sequence number,
    /// carries an ACK of the sender's stream, and is marked when sent again.
    #[test]
    fn the_receivers_data_is_a_reply_segment_with_its_ack() {
        let mut t = Conversation::default();
        t.track(seg(100, true, 0));
        t.track(TcpSeg {
            seq: 5000,
            ..syn_ack(None)
        });
        t.track(seg(101, false, 10));
        let reply = |seq, len| TcpSeg {
            seq,
            payload_len: len,
            ..ack(111, 500)
        };
        let acked = AckSeen {
            ack: 10,
            window: 500,
            fin: false,
        };
        assert_eq!(
            t.track(reply(5001, 30)),
            Some(Seen::ReplySegment {
                offset: 0,
                len: 30,
                new_from: 0,
                ack: acked
            })
        );
        assert_eq!(
            t.track(reply(5021, 20)),
            Some(Seen::ReplySegment {
                offset: 20,
                len: 20,
                new_from: 30,
                ack: acked
            }),
            "bytes 20..30 again, 30..40 new"
        );
        assert_eq!(t.track(reply(5001, 0)), Some(Seen::Ack(acked)), "no data: an ACK");
    }

    /// The `virtio_net_hdr`'s segment size, only for a GSO packet.
    #[test]
    fn gso_size_is_read_from_a_gso_packets_header_only() {
        let size = 1000u16.to_ne_bytes();
        let header = |gso_type: u8| [0, gso_type, 0, 0, size[0], size[1], 0, 0, 0, 0];
        assert_eq!(gso_size(Some(header(1))), 1000, "TCPv4");
        assert_eq!(gso_size(Some(header(0x81))), 1000, "TCPv4 with ECN");
        assert_eq!(gso_size(Some(header(0))), 0, "not a batch");
        assert_eq!(gso_size(None), 0);
    }

    /// The kernel runs the BPF filter: only this connection's packets reach the ring, both
    /// ways, once each, cut to their headers, stamped when they left. Needs CAP_NET_RAW (CI
    /// runs as root); says so and passes without it.
    #[test]
    fn filter_passes_only_the_runs_packets_once_cut_to_their_headers() {
        use std::io::Write;
        use std::net::{TcpListener, TcpStream};
        let listener = TcpListener::bind("127.0.0.1:0").expect("listen");
        let Ok(std::net::SocketAddr::V4(to)) = listener.local_addr() else {
            panic!("v4")
        };
        let client = Socket::new(Domain::IPV4, Type::STREAM, None).expect("socket");
        client
            .bind(&SocketAddrV4::new([127, 0, 0, 1].into(), 0).into())
            .expect("bind");
        let from = client.local_addr().expect("addr").as_socket_ipv4().expect("v4");
        let mut ring = match open(from, to) {
            Ok(c) => c,
            Err(reason) => return eprintln!("skipped: {reason:?}"),
        };
        assert!(
            ring.socket().attach_filter(&filter(from, to)).is_ok(),
            "the kernel accepts the filter"
        );
        let before = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock")
            .as_nanos();
        client.connect(&to.into()).expect("connect");
        let mut client = TcpStream::from(client);
        let (mut server, _) = listener.accept().expect("accept");
        // traffic the filter must drop: another connection
        client.write_all(&[1; 5000]).expect("write");
        server.write_all(&[2; 3000]).expect("reply");
        let mut other = TcpStream::connect(to).expect("connect");
        other.write_all(&[3; 5000]).expect("write");
        let (mut syns, mut payload, mut reverse_payload) = (0, 0, 0);
        let quiet_until = Instant::now() + Duration::from_millis(300);
        while Instant::now() < quiet_until {
            ring.drain(&mut |p| {
                let kept = p.link_len + p.net.len() as u32;
                assert!(kept <= LINK_ROOM + SNAPLEN, "cut to the headers: {kept} bytes");
                assert!(p.vnet.is_some(), "each packet comes with its virtio_net_hdr");
                assert_eq!(p.pkttype, libc::PACKET_OUTGOING, "the leaving sighting only");
                assert!(p.unix_ns >= before, "stamped by the kernel's real-time clock");
                let seg = parse_tcp(p.net, from, to).expect("only packets between `from` and `to` pass");
                syns += usize::from(seg.flags & SYN != 0);
                if seg.reverse {
                    reverse_payload += seg.payload_len as usize;
                } else {
                    payload += seg.payload_len as usize;
                }
            });
            std::thread::sleep(POLL);
        }
        assert_eq!(
            syns, 2,
            "SYN and SYN-ACK, each once: loopback shows every packet twice without the filter"
        );
        assert_eq!(payload, 5000);
        assert_eq!(reverse_payload, 3000);
    }

    /// The ring hands its blocks back: a ring of three 4 KiB blocks, each handed over a
    /// millisecond after its first packet, carries 100 writes and their ACKs (dozens of rounds
    /// of the ring), read as they come, without a drop and in order. A reader that kept a block
    /// would stop the kernel after three blocks (its drop count says so).
    #[test]
    fn a_small_ring_wraps_round_without_losing_a_packet() {
        use std::io::Write;
        use std::net::{TcpListener, TcpStream};
        let listener = TcpListener::bind("127.0.0.1:0").expect("listen");
        let Ok(std::net::SocketAddr::V4(to)) = listener.local_addr() else {
            panic!("v4")
        };
        let client = Socket::new(Domain::IPV4, Type::STREAM, None).expect("socket");
        client
            .bind(&SocketAddrV4::new([127, 0, 0, 1].into(), 0).into())
            .expect("bind");
        let from = client.local_addr().expect("addr").as_socket_ipv4().expect("v4");
        let protocol = Protocol::from(i32::from((libc::ETH_P_ALL as u16).to_be()));
        let Ok(socket) = Socket::new(Domain::PACKET, Type::RAW, Some(protocol)) else {
            return eprintln!("skipped: an AF_PACKET socket needs CAP_NET_RAW");
        };
        socket.attach_filter(&filter(from, to)).expect("filter");
        let small = RingConfig {
            block_size: 4096,
            blocks: 3,
            retire_ms: 1,
            vnet_header: true,
        };
        let mut ring = PacketRing::new(socket, small).expect("a ring");
        client.set_tcp_nodelay(true).expect("nodelay");
        client.connect(&to.into()).expect("connect");
        let mut client = TcpStream::from(client);
        let (_server, _) = listener.accept().expect("accept");
        let mut seqs = Vec::new();
        let read = |ring: &mut PacketRing, seqs: &mut Vec<(u32, u32)>| {
            ring.drain(&mut |p| {
                let seg = parse_tcp(p.net, from, to).expect("the run's packet");
                if !seg.reverse && seg.payload_len > 0 {
                    seqs.push((seg.seq, seg.payload_len));
                }
            })
        };
        // lockstep: each write once the last one was read off the ring, so the ring never
        // holds more than a few packets and must be handed back to take the next ones
        let deadline = Instant::now() + Duration::from_secs(30); // a guard against a hang only
        for k in 1..=100u32 {
            client.write_all(&[7; 10]).expect("write");
            let wrote = |seqs: &Vec<(u32, u32)>| {
                let first = seqs.first().map_or(0, |s| s.0);
                seqs.iter().any(|&(seq, len)| seq.wrapping_sub(first) + len >= 10 * k)
            };
            while !wrote(&seqs) && Instant::now() < deadline {
                std::thread::sleep(POLL);
                read(&mut ring, &mut seqs);
            }
        }
        assert_eq!(super::super::sys::packet_drops(ring.socket()).expect("stats"), 0);
        // in order and without a gap (a tail-loss probe may send the last bytes again)
        let first = seqs.first().expect("packets").0;
        let mut end = 0u32;
        for &(seq, len) in &seqs {
            let at = seq.wrapping_sub(first);
            assert!(at <= end, "a gap before byte {at}: {seqs:?}");
            end = end.max(at + len);
        }
        assert_eq!(end, 1000, "every byte");
    }
}
