//! The wire lane: every TCP data segment of the run's connection, captured on `lo`.
//!
//! An `AF_PACKET` socket sees every packet on every interface, so it needs root or
//! `CAP_NET_RAW`. On loopback each packet is seen twice (leaving and arriving); a segment whose
//! bytes were all seen already is not counted again. Only the first bytes of each packet are
//! copied: the headers are all this needs.
//!
//! Times are the kernel's: `SO_TIMESTAMPNS` stamps each packet (`CLOCK_REALTIME`) as it
//! crosses `lo`, and the run's clock reads that same clock. When this thread reads the packet
//! is later, by up to milliseconds when it was not scheduled: a segment stamped then was drawn
//! after the read that had already returned its bytes (issue 14).
//!
//! The thread does not sleep in `recv()`: a packet socket wakes its reader for every packet,
//! and at gigabytes a second on loopback (about 60 segments a millisecond) those wake-ups, the
//! sender's work to deliver them and the capture thread's context switches made `firehose`
//! a fifth slower than the same run without capture (docs/performance.md). It empties the queue
//! without blocking, then sleeps [`POLL`]: one wake-up a millisecond, however fast the run.
//! The times do not suffer, they are the kernel's stamps, taken as the packet left.
//!
//! Nothing the capture misses goes unsaid: the kernel's drop count for this socket
//! (`PACKET_STATISTICS`) ends the lane as [`Event::CaptureStats`], and the sender's `TCP_INFO`
//! count of data segments is the other side of that comparison.
//!
//! A BPF filter in the kernel hands this socket only the run's own packets, once each (as they
//! leave) and cut to their headers: without it the socket sees every packet twice, the
//! receiver's ACKs too, and at gigabytes a second the capture cost the run 30% of its speed
//! (docs/performance.md). If the filter cannot be attached, the capture sees everything and
//! sorts it out here, as before.

use std::io;
#[cfg(test)]
use std::io::Read;
use std::net::SocketAddrV4;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
#[cfg(test)]
use std::time::Instant;

use socket2::{Domain, Protocol, SockFilter, Socket, Type};

use super::event::{Call, CaptureUnavailable, CapturedPacket, Event, Fault, Side, StreamOffset};
use super::sink::EventSink;

/// How long the thread sleeps once the queue is empty.
const POLL: Duration = Duration::from_millis(1);
/// The capture queue asked for (the kernel doubles it): at 64 KiB a segment, about 500
/// segments, what loopback carries in 8 ms at 60 segments a millisecond: several polls.
const QUEUE_BYTES: usize = 16 * 1024 * 1024;
/// Most segments recorded per run; past it the lane says so (counts stay in `TCP_INFO`).
const MAX_SEGMENTS: usize = 2_000_000;
/// Most segments whose headers are kept for the pcapng export: about 60 bytes each, 200 in a
/// recording's JSON, so a run stays under ~20 MB; later segments are still drawn and counted.
pub const MAX_PACKETS_KEPT: usize = 100_000;

/// Bytes of each packet kept: IPv4 and TCP headers with every option fit in 120.
const SNAPLEN: u32 = 128;

/// Opens the capture socket for the packets from `from` to `to`, or says in plain words why it
/// cannot be opened.
pub fn open(from: SocketAddrV4, to: SocketAddrV4) -> Result<Socket, CaptureUnavailable> {
    let protocol = Protocol::from(i32::from((libc::ETH_P_ALL as u16).to_be()));
    let socket = Socket::new(Domain::PACKET, Type::DGRAM, Some(protocol)).map_err(|e| {
        if e.kind() == io::ErrorKind::PermissionDenied {
            CaptureUnavailable::NeedsPrivilege { error: (&e).into() }
        } else {
            CaptureUnavailable::CannotOpen { error: (&e).into() }
        }
    })?;
    socket.set_nonblocking(true).map_err(|e| CaptureUnavailable::Setup { error: (&e).into() })?;
    // The queue holds what arrives between two polls. The kernel counts a queued packet at the
    // size of the whole segment it was cut from (a 64 KiB segment against the queue's limit),
    // though only its first SNAPLEN bytes stay in memory; `SO_RCVBUF` is capped at twice
    // rmem_max (208 KiB by default: 3 such segments), so the cap is lifted where allowed.
    if super::sys::force_recv_buffer_size(&socket, QUEUE_BYTES).is_err() {
        let _ignored_if_capped = socket.set_recv_buffer_size(QUEUE_BYTES);
    }
    // Without the filter the capture still works, only slower.
    let _unfiltered_if_refused = socket.attach_filter(&filter(from, to));
    if let Err(e) = super::sys::enable_packet_timestamps(&socket) {
        return Err(CaptureUnavailable::TimestampsRefused { error: (&e).into() });
    }
    if !kernel_stamps_on() {
        return Err(CaptureUnavailable::NoKernelTimestamps);
    }
    Ok(socket)
}

/// Whether the kernel stamps packets as they cross an interface.
///
/// It does so only while some socket asked for stamps, and switches that on in deferred work
/// (`net_enable_timestamp`): until then a packet is stamped when it is read, which is exactly
/// the late time this lane must not show (measured: 17 segments of nagle-burst stamped 50 µs
/// after the read that returned them, in 1 run of 20). So one stamping socket is kept open for
/// the life of the process, and the first time this waits until a probe datagram comes back
/// stamped before it was read.
fn kernel_stamps_on() -> bool {
    static KEEPER: std::sync::OnceLock<Option<Socket>> = std::sync::OnceLock::new();
    KEEPER.get_or_init(|| (0..100).find_map(|_| probe_stamp().ok().flatten())).is_some()
}

/// One probe: a datagram to itself on 127.0.0.1, read back after a pause. Stamped on arrival
/// (before the read began) = the kernel stamps packets now; the socket is returned to be kept.
fn probe_stamp() -> io::Result<Option<Socket>> {
    let s = Socket::new(Domain::IPV4, Type::DGRAM, None)?;
    super::sys::enable_packet_timestamps(&s)?;
    s.bind(&SocketAddrV4::new([127, 0, 0, 1].into(), 0).into())?;
    s.connect(&s.local_addr()?)?;
    s.set_read_timeout(Some(Duration::from_millis(100)))?;
    s.send(b"t")?;
    std::thread::sleep(Duration::from_millis(1));
    let before_read = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    let (_, stamp) = super::sys::recv_stamped(&s, &mut [0u8; 8])?;
    Ok(stamp.is_some_and(|ns| ns < before_read).then_some(s))
}

/// A classic BPF program: keep outgoing IPv4 TCP packets from `from` to `to`, cut to
/// [`SNAPLEN`] bytes; drop the rest. The socket is `SOCK_DGRAM`, so offsets count from the
/// IP header.
fn filter(from: SocketAddrV4, to: SocketAddrV4) -> Vec<SockFilter> {
    const LD_W_ABS: u16 = (libc::BPF_LD | libc::BPF_W | libc::BPF_ABS) as u16;
    const LD_H_ABS: u16 = (libc::BPF_LD | libc::BPF_H | libc::BPF_ABS) as u16;
    const LD_B_ABS: u16 = (libc::BPF_LD | libc::BPF_B | libc::BPF_ABS) as u16;
    const RET: u16 = (libc::BPF_RET | libc::BPF_K) as u16;
    let pkttype = (libc::SKF_AD_OFF + libc::SKF_AD_PKTTYPE) as u32;
    // (load, value it must equal)
    let checks = [
        (SockFilter::new(LD_W_ABS, 0, 0, pkttype), u32::from(libc::PACKET_OUTGOING)),
        (SockFilter::new(LD_B_ABS, 0, 0, 0), 0x45), // IPv4, 20-byte header (loopback never adds options)
        (SockFilter::new(LD_B_ABS, 0, 0, 9), 6),    // TCP
        (SockFilter::new(LD_W_ABS, 0, 0, 12), u32::from(*from.ip())),
        (SockFilter::new(LD_W_ABS, 0, 0, 16), u32::from(*to.ip())),
        (SockFilter::new(LD_H_ABS, 0, 0, 20), u32::from(from.port())),
        (SockFilter::new(LD_H_ABS, 0, 0, 22), u32::from(to.port())),
    ];
    let mut prog = Vec::new();
    let drop_at = 2 * checks.len() + 1;
    for (load, value) in checks {
        prog.push(load);
        let jump_to_drop = (drop_at - prog.len() - 1) as u8;
        prog.push(SockFilter::new((libc::BPF_JMP | libc::BPF_JEQ | libc::BPF_K) as u16, 0, jump_to_drop, value));
    }
    prog.push(SockFilter::new(RET, 0, 0, SNAPLEN));
    prog.push(SockFilter::new(RET, 0, 0, 0));
    prog
}

/// Records the data segments from `from` to `to` until `done` is set or `stop` is set.
///
/// `done` is set once every worker has been joined, so the sender has seen its last byte
/// acknowledged (or given up): each data segment was handed to this socket as it left (the tap
/// comes before `lo` delivers it, so before its ACK), and emptying the queue once after `done`
/// gets them all, with no waiting.
pub fn run(socket: Socket, from: SocketAddrV4, to: SocketAddrV4, sink: &mut EventSink, stop: &AtomicBool, done: &AtomicBool) {
    let mut tracker = SegmentTracker::default();
    let mut buf = [0u8; 128];
    let mut recorded = 0usize;
    loop {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        // read before the queue is emptied: what was queued before `done` is read below
        let last_pass = done.load(Ordering::Relaxed);
        match drain(&socket, from, to, &mut tracker, &mut buf, &mut recorded, sink) {
            Ok(()) if last_pass => break,
            Ok(()) => std::thread::sleep(POLL),
            Err(e) => {
                let at_us = sink.now_us();
                sink.push(Event::Error { at_us, side: Side::Capture, error: Fault::call(Call::Capture, &e) });
                break;
            }
        }
    }
    // The kernel's counter (u32) counts since the socket opened: one read at the end is all.
    let at_us = sink.now_us();
    match super::sys::packet_drops(&socket) {
        Ok(dropped) => sink.push(Event::CaptureStats { at_us, dropped: u64::from(dropped) }),
        Err(e) => sink.push(Event::Error { at_us, side: Side::Capture, error: Fault::call(Call::PacketStatistics, &e) }),
    }
}

/// Reads every packet queued on the (non-blocking) socket and records its segment; `Ok` once
/// the queue is empty.
fn drain(
    socket: &Socket,
    from: SocketAddrV4,
    to: SocketAddrV4,
    tracker: &mut SegmentTracker,
    buf: &mut [u8; 128],
    recorded: &mut usize,
    sink: &mut EventSink,
) -> io::Result<()> {
    loop {
        let (n, stamp) = match super::sys::recv_stamped(socket, buf) {
            Ok(got) => got,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(()),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let n = n.min(buf.len());
        let Some(seg) = parse_tcp(&buf[..n], from, to) else { continue };
        let Some((offset, len)) = tracker.track(seg) else { continue };
        // SO_TIMESTAMPNS was set at open; a packet without a stamp is stamped now.
        let at_us = stamp.map_or_else(|| sink.now_us(), |ns| sink.clock.us_at_unix_ns(ns));
        let packet = (*recorded < MAX_PACKETS_KEPT).then(|| CapturedPacket {
            unix_us: sink.clock.unix_us(at_us),
            orig_len: seg.total_len,
            headers: buf[..seg.headers_len.min(n)].to_vec(),
        });
        *recorded += 1;
        if *recorded == MAX_SEGMENTS {
            let at_us = sink.now_us();
            sink.push(Event::Error { at_us, side: Side::Capture, error: Fault::CaptureCapped { max: MAX_SEGMENTS } });
        }
        if *recorded <= MAX_SEGMENTS {
            sink.push(Event::Segment { at_us, offset: StreamOffset(offset), len, packet });
        }
    }
}

/// The TCP header fields the lane needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct TcpSeg {
    seq: u32,
    syn: bool,
    payload_len: u32,
    /// IP total length: the whole packet.
    total_len: u32,
    /// IP header + TCP header.
    headers_len: usize,
}

/// Parses an IPv4 packet (no link header: the socket is `SOCK_DGRAM`) and keeps it if it is TCP
/// from `from` to `to`. `data` may be cut short after the headers.
fn parse_tcp(data: &[u8], from: SocketAddrV4, to: SocketAddrV4) -> Option<TcpSeg> {
    let ip = data.get(..20)?;
    if ip[0] >> 4 != 4 || ip[9] != 6 {
        return None;
    }
    let ihl = usize::from(ip[0] & 0x0f) * 4;
    let total_len = usize::from(u16::from_be_bytes([ip[2], ip[3]]));
    if ip[12..16] != from.ip().octets() || ip[16..20] != to.ip().octets() {
        return None;
    }
    let tcp = data.get(ihl..ihl + 20)?;
    if u16::from_be_bytes([tcp[0], tcp[1]]) != from.port() || u16::from_be_bytes([tcp[2], tcp[3]]) != to.port() {
        return None;
    }
    let seq = u32::from_be_bytes([tcp[4], tcp[5], tcp[6], tcp[7]]);
    let tcp_header = usize::from(tcp[12] >> 4) * 4;
    let syn = tcp[13] & 0x02 != 0;
    let payload_len = total_len.checked_sub(ihl + tcp_header)? as u32;
    Some(TcpSeg { seq, syn, payload_len, total_len: total_len as u32, headers_len: ihl + tcp_header })
}

/// Turns sequence numbers into stream offsets and drops a segment whose bytes were all seen
/// already (its second sighting, or a retransmission of bytes that got through). A segment that
/// brings bytes not seen before is kept, also when it comes after later bytes: that is a
/// retransmission filling the hole a lost segment left (a lossy link), drawn where and when the
/// bytes finally crossed.
#[derive(Default)]
struct SegmentTracker {
    isn: Option<u32>,
    /// Stream offset up to which bytes have been seen (the highest end, holes included).
    seen_end: u64,
    /// Byte ranges below `seen_end` not seen yet (start, end), in order: few, and short-lived.
    holes: Vec<(u64, u64)>,
}

impl SegmentTracker {
    fn track(&mut self, seg: TcpSeg) -> Option<(u64, u32)> {
        if seg.syn {
            self.isn = Some(seg.seq);
            return None;
        }
        let isn = self.isn?;
        if seg.payload_len == 0 {
            return None;
        }
        // The sequence space wraps; offsets within one run stay far below 4 GiB of wraps' worth.
        let rel = u64::from(seg.seq.wrapping_sub(isn).wrapping_sub(1));
        let wraps = self.seen_end & !0xffff_ffff;
        let mut offset = wraps | rel;
        if offset + 0x8000_0000 < self.seen_end {
            offset += 1 << 32;
        }
        let end = offset + u64::from(seg.payload_len);
        let fills_a_hole = self.fill(offset, end.min(self.seen_end));
        if end > self.seen_end {
            if offset > self.seen_end {
                // a segment was skipped: its bytes are a hole until a retransmission brings them
                self.holes.push((self.seen_end, offset));
            }
            self.seen_end = end;
        } else if !fills_a_hole {
            return None;
        }
        Some((offset, seg.payload_len))
    }

    /// Marks `start..end` seen; true if any of it was a hole.
    fn fill(&mut self, start: u64, end: u64) -> bool {
        if start >= end {
            return false;
        }
        let mut filled = false;
        let mut rest = Vec::with_capacity(self.holes.len() + 1);
        for &(h0, h1) in &self.holes {
            if h1 <= start || h0 >= end {
                rest.push((h0, h1));
                continue;
            }
            filled = true;
            if h0 < start {
                rest.push((h0, start));
            }
            if h1 > end {
                rest.push((end, h1));
            }
        }
        self.holes = rest;
        filled
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(seq: u32, syn: bool, payload_len: u32) -> TcpSeg {
        TcpSeg { seq, syn, payload_len, total_len: payload_len + 40, headers_len: 40 }
    }

    #[test]
    fn second_sighting_is_not_counted() {
        let mut t = SegmentTracker::default();
        assert_eq!(t.track(seg(100, true, 0)), None);
        let first = seg(101, false, 10);
        assert_eq!(t.track(first), Some((0, 10)));
        assert_eq!(t.track(first), None);
        assert_eq!(t.track(seg(111, false, 5)), Some((10, 5)));
    }

    /// The kernel runs the BPF filter: only this connection's packets arrive, once each, cut to
    /// their headers. Needs CAP_NET_RAW (CI runs as root); says so and passes without it.
    #[test]
    fn filter_passes_only_the_runs_packets_once_cut_to_their_headers() {
        use std::io::Write;
        use std::net::{TcpListener, TcpStream};
        let listener = TcpListener::bind("127.0.0.1:0").expect("listen");
        let Ok(std::net::SocketAddr::V4(to)) = listener.local_addr() else { panic!("v4") };
        let client = Socket::new(Domain::IPV4, Type::STREAM, None).expect("socket");
        client.bind(&SocketAddrV4::new([127, 0, 0, 1].into(), 0).into()).expect("bind");
        let from = client.local_addr().expect("addr").as_socket_ipv4().expect("v4");
        let capture = match open(from, to) {
            Ok(c) => c,
            Err(reason) => return eprintln!("skipped: {reason:?}"),
        };
        assert!(capture.attach_filter(&filter(from, to)).is_ok(), "the kernel accepts the filter");
        client.connect(&to.into()).expect("connect");
        let mut client = TcpStream::from(client);
        let (mut server, _) = listener.accept().expect("accept");
        // traffic the filter must drop: the other direction, and another connection
        client.write_all(&[1; 5000]).expect("write");
        server.write_all(&[2; 5000]).expect("reply");
        let mut other = TcpStream::connect(to).expect("connect");
        other.write_all(&[3; 5000]).expect("write");
        let (mut syns, mut payload) = (0, 0);
        let mut buf = [0u8; 2048];
        let quiet_until = Instant::now() + Duration::from_millis(300);
        while Instant::now() < quiet_until {
            let Ok(n) = (&capture).read(&mut buf) else {
                std::thread::sleep(Duration::from_millis(1)); // the socket does not block
                continue;
            };
            assert!(n <= SNAPLEN as usize, "cut to the headers: {n} bytes");
            let seg = parse_tcp(&buf[..n], from, to).expect("only packets from `from` to `to` pass");
            syns += usize::from(seg.syn);
            payload += seg.payload_len as usize;
        }
        assert_eq!(syns, 1, "each packet once: loopback shows every packet twice without the filter");
        assert_eq!(payload, 5000);
    }

    /// A lossy link: a segment lost, later ones seen, then the retransmission fills the hole;
    /// a second retransmission of bytes already seen is not counted.
    #[test]
    fn a_retransmission_into_a_hole_is_kept_once() {
        let mut t = SegmentTracker::default();
        t.track(seg(0, true, 0));
        assert_eq!(t.track(seg(1, false, 10)), Some((0, 10)));
        assert_eq!(t.track(seg(21, false, 10)), Some((20, 10)), "bytes 10..20 were lost");
        assert_eq!(t.track(seg(11, false, 10)), Some((10, 10)), "the retransmission fills the hole");
        assert_eq!(t.track(seg(11, false, 10)), None, "seen now");
        assert_eq!(t.track(seg(1, false, 30)), None, "every byte seen");
    }

    #[test]
    fn sequence_wrap() {
        let mut t = SegmentTracker::default();
        t.track(seg(u32::MAX - 4, true, 0));
        assert_eq!(t.track(seg(u32::MAX - 3, false, 10)), Some((0, 10)));
        assert_eq!(t.track(seg(6, false, 10)), Some((10, 10)));
    }
}
