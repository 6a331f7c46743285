//! The traced calls become the events every lesson uses.
//!
//! A TCP connection (or a paired `AF_UNIX` stream) is one [`Conn`]: the end that called
//! `connect()` is the client, the end that came out of `accept()` the server, exactly as the
//! lessons draw a sender and a receiver. Its two byte axes:
//!
//! ```text
//!   request axis (plain events)   client's send/write  ──▶  server's recv/read
//!   reply axis   (Event::Reply)   server's send/write  ──▶  client's recv/read
//! ```
//!
//! Connection 0 uses the plain events, connection k ≥ 1 wraps them in [`Event::Conn`] (as
//! many-clients does), so one stream per connection whoever traced it: with both programs
//! traced, the client's writes and the server's reads of one connection meet on one axis; with
//! one, that program's half is drawn. Datagrams go to the UDP panel: the client's (the end that
//! never called `bind()`) as sent, the server's as received, the answers on the reply axis.
//!
//! Offsets count each direction's bytes per end: the client's writes and the server's reads of
//! one connection count the same stream, so they meet on one axis.

use std::collections::{BTreeMap, HashMap};

use crossbeam_channel::Receiver;

use crate::config::MAX_LISTEN_LANES;
use crate::event::{Event, MsgId, Side, StreamOffset};
use crate::framing::{FramingMode, LengthPrefix};
use crate::sink::EventSink;
use crate::sock::BYTES_KEPT;
use crate::tcp::FrameChecker;
use stickyviz_facts::trace::{Role, SysCall, TraceFact, ERRORS_KEPT};

/// What kind of socket an end is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SockKind {
    /// A byte stream: TCP, or an `AF_UNIX` `SOCK_STREAM`.
    Stream,
    /// Datagrams: UDP, or an `AF_UNIX` `SOCK_DGRAM`.
    Datagram,
}

/// Which way a call moved bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dir {
    Out,
    In,
}

/// The framing the traced streams are decoded with.
#[derive(Clone, Copy, Debug)]
pub struct Decode {
    pub framing: FramingMode,
    pub max_frame_len: u32,
    pub prefix: LengthPrefix,
    /// Which axes are framed: the course's struct + JSON pair frames its replies only (the
    /// commands go as plain text).
    pub axes: FramedAxes,
}

/// The axes a framing applies to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FramedAxes {
    #[default]
    Both,
    /// Client to server only.
    Requests,
    /// Server to client only.
    Replies,
}

impl FramedAxes {
    /// The framing of axis `axis_no` (0 requests, 1 replies).
    fn framing(self, framing: FramingMode, axis_no: usize) -> FramingMode {
        match (self, axis_no) {
            (Self::Both, _) | (Self::Requests, 0) | (Self::Replies, 1) => framing,
            _ => FramingMode::None,
        }
    }
}

/// One call that moved bytes (or tried to), as the tracer saw it.
#[derive(Debug)]
pub struct DataCall<'a> {
    pub role: Role,
    pub call: SysCall,
    pub start_us: u64,
    pub at_us: u64,
    /// What the call was asked to move (its buffer's size).
    pub asked: u64,
    /// What it returned.
    pub got: u64,
    /// The bytes received (for a receiving call) or the datagram sent, at most the cap; empty
    /// for a stream's sending call.
    pub bytes: &'a [u8],
    /// The cap cut `bytes` short of `got`.
    pub capped: bool,
    /// A datagram's id taken when its send began ([`Streams::reserve_datagram`]).
    pub reserved: Option<MsgId>,
}

/// One direction of a connection.
struct Axis {
    written: u64,
    read: u64,
    msgs: u32,
    checker: FrameChecker<'static>,
    /// The decoder got every byte so far (a capped call stops it).
    whole: bool,
    framing: FramingMode,
    /// The calls that wrote to and read from this axis so far, for its lanes' names.
    calls: (Vec<SysCall>, Vec<SysCall>),
}

struct Conn {
    index: u32,
    axes: [Axis; 2],
}

/// One socket end: which connection it belongs to, and from which side.
#[derive(Clone, Copy)]
struct End {
    conn: Option<usize>,
    client: bool,
}

#[derive(Default)]
struct Empty {
    count: u64,
    first_us: u64,
    last_us: u64,
    call: Option<SysCall>,
    writes: u64,
    write_call: Option<SysCall>,
}

/// The mapping from traced calls to events; one per traced run, fed by the tracer thread.
pub struct Streams {
    decode: Decode,
    conns: Vec<Conn>,
    by_key: HashMap<(String, String), usize>,
    ends: HashMap<u64, End>,
    /// Empty reads and writes per (connection, client side).
    empty: BTreeMap<(u32, bool), Empty>,
    /// Datagrams sent so far, both ways: one numbering for the run, since the causality check
    /// pairs a datagram's send and receipt by its number whichever axis it is on.
    datagrams: u32,
    /// Per axis, the datagrams sent and not yet received (id, bytes): a received datagram is
    /// the earliest one sent with the same bytes (a traced receiver's may match none: sent by
    /// a program not traced, or lost).
    unmatched: [std::collections::VecDeque<(MsgId, Vec<u8>)>; 2],
    calls: BTreeMap<Role, BTreeMap<SysCall, u64>>,
    capped_calls: u64,
    cap: u64,
    failures: u64,
    /// Frames and decode errors come out of the checker through this sink.
    checker_sink: EventSink,
    checker_out: Receiver<Vec<Event>>,
}

impl Streams {
    pub fn new(decode: Decode, cap: u64, clock: crate::Clock) -> Self {
        let (tx, checker_out) = crossbeam_channel::unbounded();
        Self {
            decode,
            conns: Vec::new(),
            by_key: HashMap::new(),
            ends: HashMap::new(),
            empty: BTreeMap::new(),
            datagrams: 0,
            unmatched: Default::default(),
            calls: BTreeMap::new(),
            capped_calls: 0,
            cap,
            failures: 0,
            checker_sink: EventSink::new(tx, None, clock),
            checker_out,
        }
    }

    /// Counts a call of `role` by its name.
    pub fn count(&mut self, role: Role, call: SysCall) {
        *self.calls.entry(role).or_default().entry(call).or_default() += 1;
    }

    /// A failed call: kept as a fact up to [`ERRORS_KEPT`], counted past it.
    pub fn failed(&mut self, sink: &mut EventSink, fact: TraceFact) {
        self.failures += 1;
        if self.failures <= ERRORS_KEPT {
            sink.push(Event::Trace { fact });
        }
    }

    /// Stream end `inode` is one end of the connection between `client` and `server` (their
    /// addresses, or another key both ends agree on); `is_client`: this end connected.
    pub fn stream_end(&mut self, sink: &mut EventSink, inode: u64, key: (String, String), is_client: bool, at_us: u64) {
        if self.ends.contains_key(&inode) {
            return;
        }
        let conn = match self.by_key.get(&key) {
            Some(&k) => Some(k),
            None if (self.conns.len() as u32) <= MAX_LISTEN_LANES => {
                let index = self.conns.len() as u32;
                let d = self.decode;
                let axis = |axis_no| {
                    let framing = d.axes.framing(d.framing, axis_no);
                    Axis {
                        written: 0,
                        read: 0,
                        msgs: 0,
                        checker: FrameChecker::new(framing, d.max_frame_len, d.prefix, None),
                        whole: true,
                        framing,
                        calls: (Vec::new(), Vec::new()),
                    }
                };
                self.conns.push(Conn {
                    index,
                    axes: [axis(0), axis(1)],
                });
                self.by_key.insert(key.clone(), self.conns.len() - 1);
                let connected = Event::Connected {
                    at_us,
                    sender: key.0,
                    receiver: key.1,
                };
                sink.push(wrap(index, 0, connected));
                Some(self.conns.len() - 1)
            }
            None => None,
        };
        self.ends.insert(
            inode,
            End {
                conn,
                client: is_client,
            },
        );
    }

    /// Whether `inode` is a stream end already placed.
    pub fn knows(&self, inode: u64) -> bool {
        self.ends.contains_key(&inode)
    }

    /// A call on stream end `inode` that moved bytes `dir`.
    pub fn stream_data(&mut self, sink: &mut EventSink, inode: u64, dir: Dir, c: &DataCall<'_>) {
        let Some(end) = self.ends.get(&inode).copied() else {
            return;
        };
        let Some(k) = end.conn else { return };
        // the request axis: the client's writes, the server's reads
        let axis_no = usize::from(end.client != (dir == Dir::Out));
        let index = self.conns[k].index;
        if c.got == 0 {
            let e = self.empty.entry((index, end.client)).or_default();
            match dir {
                Dir::In => {
                    if e.count == 0 {
                        e.first_us = c.at_us;
                    }
                    e.count += 1;
                    e.last_us = c.at_us;
                    e.call = Some(c.call);
                }
                Dir::Out => {
                    e.writes += 1;
                    e.write_call = Some(c.call);
                }
            }
            return;
        }
        let axis = &mut self.conns[k].axes[axis_no];
        let framing = axis.framing;
        let seen = match dir {
            Dir::Out => &mut axis.calls.0,
            Dir::In => &mut axis.calls.1,
        };
        if !seen.contains(&c.call) {
            seen.push(c.call);
            let fact = TraceFact::LaneCalls {
                writes: axis.calls.0.clone(),
                reads: axis.calls.1.clone(),
            };
            sink.push(wrap(index, axis_no, Event::Trace { fact }));
        }
        let len = c.got.min(u64::from(u32::MAX)) as u32;
        match dir {
            Dir::Out => {
                let offset = StreamOffset(axis.written);
                let msg = MsgId(axis.msgs);
                axis.msgs += 1;
                axis.written += c.got;
                // unframed, each write is a message: the reads are cut against the writes
                if framing == FramingMode::None {
                    let m = Event::Message {
                        at_us: c.start_us,
                        msg,
                        offset,
                        len,
                        header_len: 0,
                    };
                    sink.push(wrap(index, axis_no, m));
                }
                let w = Event::Write {
                    start_us: Some(c.start_us),
                    at_us: c.at_us,
                    msg,
                    offset,
                    len,
                    requested: Some(c.asked.min(u64::from(u32::MAX)) as u32),
                    segs_out: 0,
                    notsent: 0,
                    unacked: 0,
                };
                sink.push(wrap(index, axis_no, w));
            }
            Dir::In => {
                let offset = axis.read;
                axis.read += c.got;
                let r = Event::Read {
                    start_us: Some(c.start_us),
                    at_us: c.at_us,
                    offset: StreamOffset(offset),
                    len,
                    requested: c.asked.min(u64::from(u32::MAX)) as u32,
                };
                sink.push(wrap(index, axis_no, r));
                if offset < BYTES_KEPT && !c.bytes.is_empty() {
                    let keep = c.bytes.len().min((BYTES_KEPT - offset) as usize);
                    let b = Event::Bytes {
                        offset: StreamOffset(offset),
                        data: c.bytes[..keep].to_vec(),
                    };
                    sink.push(wrap(index, axis_no, b));
                }
                if c.capped {
                    self.capped_calls += 1;
                }
                if axis.whole {
                    axis.checker.on_read(c.bytes, c.at_us, &mut self.checker_sink);
                    axis.whole = !c.capped;
                    self.checker_sink.flush();
                    for e in self.checker_out.try_iter().flatten() {
                        sink.push(wrap(index, axis_no, e));
                    }
                }
            }
        }
    }

    /// A datagram about to be sent by the client (`is_client`) or the server: its id, and its
    /// bytes kept for the receipt that may be seen before the send returns.
    pub fn reserve_datagram(&mut self, is_client: bool, bytes: Vec<u8>) -> MsgId {
        let axis_no = usize::from(!is_client);
        let msg = MsgId(self.datagrams);
        self.datagrams += 1;
        let sent = &mut self.unmatched[axis_no];
        if sent.len() >= MAX_UNMATCHED {
            sent.pop_front();
        }
        sent.push_back((msg, bytes));
        msg
    }

    /// The send of reserved datagram `msg` failed: no receipt may match it.
    pub fn unreserve_datagram(&mut self, is_client: bool, msg: MsgId) {
        self.unmatched[usize::from(!is_client)].retain(|(m, _)| *m != msg);
    }

    /// A datagram call: `is_client` is the end that never bound its own address.
    pub fn datagram(&mut self, sink: &mut EventSink, is_client: bool, dir: Dir, c: &DataCall<'_>) {
        // the request axis: the client's datagrams sent, the server's received
        let axis_no = usize::from(is_client != (dir == Dir::Out));
        let len = c.got.min(u64::from(u32::MAX)) as u32;
        let e = match dir {
            Dir::Out => {
                let msg = match c.reserved {
                    Some(msg) => msg,
                    None => self.reserve_datagram(is_client, c.bytes.to_vec()),
                };
                Event::DatagramSent {
                    start_us: Some(c.start_us),
                    at_us: c.at_us,
                    msg,
                    len,
                }
            }
            Dir::In => {
                if c.capped {
                    self.capped_calls += 1;
                }
                let sent = &mut self.unmatched[axis_no];
                let msg = sent
                    .iter()
                    .position(|(_, b)| b == c.bytes)
                    .and_then(|i| sent.remove(i))
                    .map(|(m, _)| m);
                Event::DatagramReceived {
                    at_us: c.at_us,
                    msg,
                    len,
                    real_len: len,
                    os_error: None,
                }
            }
        };
        sink.push(wrap(0, axis_no, e));
    }

    /// The end of the run: each stream's decoder finishes, and the counts are said.
    pub fn finish(&mut self, sink: &mut EventSink) {
        for conn in &mut self.conns {
            for (axis_no, axis) in conn.axes.iter_mut().enumerate() {
                if axis.whole && axis.read > 0 {
                    axis.checker.finish(&mut self.checker_sink);
                    self.checker_sink.flush();
                    for e in self.checker_out.try_iter().flatten() {
                        sink.push(wrap(conn.index, axis_no, e));
                    }
                }
            }
        }
        for (&(conn, client), e) in &self.empty {
            let side = if client { Side::TcpSender } else { Side::TcpReceiver };
            if let (Some(call), true) = (e.call, e.count > 0) {
                let fact = TraceFact::EmptyReads {
                    side,
                    conn,
                    call,
                    count: e.count,
                    first_us: e.first_us,
                    last_us: e.last_us,
                };
                sink.push(Event::Trace { fact });
            }
            if let (Some(call), true) = (e.write_call, e.writes > 0) {
                let fact = TraceFact::EmptyWrites {
                    side,
                    conn,
                    call,
                    count: e.writes,
                };
                sink.push(Event::Trace { fact });
            }
        }
        for (role, counts) in std::mem::take(&mut self.calls) {
            let fact = TraceFact::Calls {
                role,
                counts: counts.into_iter().collect(),
            };
            sink.push(Event::Trace { fact });
        }
        if self.capped_calls > 0 {
            let fact = TraceFact::BytesCapped {
                cap: self.cap,
                calls: self.capped_calls,
            };
            sink.push(Event::Trace { fact });
        }
        if self.failures > ERRORS_KEPT {
            let fact = TraceFact::MoreFailures {
                count: self.failures - ERRORS_KEPT,
            };
            sink.push(Event::Trace { fact });
        }
    }
}

/// Datagrams sent and not yet matched with a receipt, kept per axis.
const MAX_UNMATCHED: usize = 10_000;

/// `event` on axis `axis_no` (0 requests, 1 replies) of connection `index`.
fn wrap(index: u32, axis_no: usize, event: Event) -> Event {
    let event = if axis_no == 1 {
        Event::Reply { event: Box::new(event) }
    } else {
        event
    };
    if index == 0 {
        event
    } else {
        Event::Conn {
            conn: index,
            event: Box::new(event),
        }
    }
}
