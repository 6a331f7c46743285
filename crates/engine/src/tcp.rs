//! The TCP sender and receiver threads.
//!
//! The sender writes the workload through the framing encoder, one `send()` per message by
//! default, and samples `TCP_INFO` after each write: how many data segments have left, how many
//! bytes Nagle (or the cork) still holds. The receiver calls `recv(N)` in a loop, optionally late
//! and slowly, and runs the framing decoder over what each read returned.

use std::io::{self, Read};
use std::net::{Shutdown, SocketAddr, SocketAddrV4};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use socket2::{Domain, Socket, Type};

use crate::config::{Experiment, SendCall, WriteSplit};
use crate::framing::{
    Classifier, DecodeError, Frame, FramingMode, LengthPrefix, NaiveStep, NaiveU32Decoder, StreamDecoder,
};

use super::event::{Call, EndReason, Event, Fault, MsgId, ReadCuts, Side, SockOpt, StreamOffset};
use super::sink::EventSink;
use super::sock::{is_timeout, peer_gone, sender_socket, wait_until_acked, write_piece, Outcome, BYTES_KEPT, POLL};
use super::workload::{message_size, payload};
use super::{setup, sys, EngineError, SetupCall, SetupOpt, SocketRole, LOOPBACK_ANY};

/// A connected pair on 127.0.0.1 with the experiment's options applied.
pub struct TcpPair {
    pub sender: Socket,
    pub receiver: Socket,
    pub sender_addr: SocketAddrV4,
    pub receiver_addr: SocketAddrV4,
}

fn v4(addr: socket2::SockAddr, role: SocketRole) -> Result<SocketAddrV4, EngineError> {
    match addr.as_socket() {
        Some(SocketAddr::V4(a)) => Ok(a),
        _ => Err(EngineError::NotIpv4 { role }),
    }
}

/// Binds a listener and a client on 127.0.0.1 (ephemeral ports), sets the options, connects.
/// Binding the client first tells the capture which port to watch before the SYN leaves.
pub fn bind_pair(exp: &Experiment) -> Result<(Socket, Socket, SocketAddrV4, SocketAddrV4), EngineError> {
    let localhost: SocketAddr = SocketAddr::from(([127, 0, 0, 1], 0));
    let listener = Socket::new(Domain::IPV4, Type::STREAM, None).map_err(setup(SetupCall::Socket {
        role: SocketRole::Listener,
    }))?;
    if let Some(n) = exp.receiver.rcvbuf {
        // Set on the listener: an accepted socket inherits it, and only then does the window
        // announced in the handshake follow it.
        listener
            .set_recv_buffer_size(n as usize)
            .map_err(setup(SetupCall::SetOpt {
                role: SocketRole::Listener,
                opt: SetupOpt::Shown(SockOpt::RcvBuf),
            }))?;
    }
    if let Some(mss) = exp.mss {
        // TCP_MAXSEG on both ends: the listener's is inherited by the accepted socket and
        // announced in its SYN-ACK, the client's in its SYN; each side sends segments no
        // larger than the smaller of the two (minus 12 bytes of timestamp option).
        sys::set_tcp_mss(&listener, mss).map_err(setup(SetupCall::SetOpt {
            role: SocketRole::Listener,
            opt: SetupOpt::Shown(SockOpt::Mss),
        }))?;
    }
    listener.bind(&localhost.into()).map_err(setup(SetupCall::Bind {
        role: SocketRole::Listener,
        addr: LOOPBACK_ANY,
    }))?;
    listener.listen(1).map_err(setup(SetupCall::Listen))?;
    let receiver_addr = v4(
        listener.local_addr().map_err(setup(SetupCall::LocalAddr {
            role: SocketRole::Listener,
        }))?,
        SocketRole::Listener,
    )?;

    let client = sender_socket(Domain::IPV4, SocketRole::Sender, exp, exp.mss)?;
    client.bind(&localhost.into()).map_err(setup(SetupCall::Bind {
        role: SocketRole::Sender,
        addr: LOOPBACK_ANY,
    }))?;
    let sender_addr = v4(
        client.local_addr().map_err(setup(SetupCall::LocalAddr {
            role: SocketRole::Sender,
        }))?,
        SocketRole::Sender,
    )?;
    Ok((listener, client, sender_addr, receiver_addr))
}

/// Connects the client to the listener and accepts; the listener is closed afterwards.
pub fn connect(
    listener: Socket,
    client: Socket,
    sender_addr: SocketAddrV4,
    receiver_addr: SocketAddrV4,
    exp: &Experiment,
) -> Result<TcpPair, EngineError> {
    client
        .connect_timeout(&SocketAddr::V4(receiver_addr).into(), Duration::from_secs(2))
        .map_err(setup(SetupCall::Connect {
            role: SocketRole::Sender,
            addr: SocketAddr::V4(receiver_addr),
        }))?;
    let (receiver, _) = listener.accept().map_err(setup(SetupCall::Accept))?;
    if exp.sender.cork {
        sys::set_tcp_cork(&client, true).map_err(setup(SetupCall::SetOpt {
            role: SocketRole::Sender,
            opt: SetupOpt::Shown(SockOpt::TcpCork),
        }))?;
    }
    client.set_write_timeout(Some(POLL)).map_err(setup(SetupCall::SetOpt {
        role: SocketRole::Sender,
        opt: SetupOpt::SndTimeo,
    }))?;
    receiver.set_read_timeout(Some(POLL)).map_err(setup(SetupCall::SetOpt {
        role: SocketRole::Sender,
        opt: SetupOpt::RcvTimeo,
    }))?;
    Ok(TcpPair {
        sender: client,
        receiver,
        sender_addr,
        receiver_addr,
    })
}

/// Records what the kernel actually set for each option (it doubles buffer sizes, for one).
pub fn record_options(pair: &TcpPair, exp: &Experiment, sink: &mut EventSink) {
    let at_us = sink.now_us();
    let mut opt = |side, opt, requested: Option<u64>, actual: io::Result<u64>| match actual {
        Ok(actual) => sink.push(Event::SockOpt {
            at_us,
            side,
            opt,
            requested,
            actual,
        }),
        // What this OS does not report (Windows' MSS) is left out, not shown as a failure.
        Err(e) if e.kind() == io::ErrorKind::Unsupported => {}
        Err(e) => sink.push(Event::Error {
            at_us,
            side,
            error: Fault::call(Call::GetSockOpt { opt }, &e),
        }),
    };
    let s = &pair.sender;
    opt(
        Side::TcpSender,
        SockOpt::TcpNodelay,
        Some(u64::from(!exp.sender.nagle)),
        s.tcp_nodelay().map(u64::from),
    );
    opt(
        Side::TcpSender,
        SockOpt::TcpCork,
        Some(u64::from(exp.sender.cork)),
        sys::tcp_cork(s).map(u64::from),
    );
    opt(
        Side::TcpSender,
        SockOpt::SndBuf,
        exp.sender.sndbuf.map(u64::from),
        s.send_buffer_size().map(|n| n as u64),
    );
    opt(
        Side::TcpSender,
        SockOpt::Mss,
        exp.mss.map(u64::from),
        sys::tcp_info(s).map(|i| u64::from(i.snd_mss)),
    );
    opt(
        Side::TcpReceiver,
        SockOpt::RcvBuf,
        exp.receiver.rcvbuf.map(u64::from),
        pair.receiver.recv_buffer_size().map(|n| n as u64),
    );
}

/// The sender thread's body.
pub fn send_all(socket: Socket, exp: &Experiment, sink: &mut EventSink, stop: &AtomicBool) {
    let reason = write_workload(&socket, exp, sink, stop);
    let reason = match reason {
        Ok(bytes) => {
            if exp.sender.cork {
                if let Err(e) = sys::set_tcp_cork(&socket, false) {
                    let at_us = sink.now_us();
                    sink.push(Event::Error {
                        at_us,
                        side: Side::TcpSender,
                        error: Fault::call(Call::Uncork, &e),
                    });
                }
            }
            // Closing our half tells the reader "no more data" (its recv() returns 0).
            let _already_closed_is_fine = socket.shutdown(Shutdown::Write);
            wait_until_acked(&socket, sink, stop);
            (bytes, EndReason::Complete)
        }
        Err((bytes, reason)) => (bytes, stopped_or(reason, stop)),
    };
    let at_us = sink.now_us();
    sink.push(Event::Ended {
        at_us,
        side: Side::TcpSender,
        bytes: reason.0,
        reason: reason.1,
    });
}

/// On Stop the receiver closes its socket with bytes unread, and the kernel answers the sender
/// with a reset (and the sender's close is the receiver's end of stream): an end that comes
/// after Stop was pressed is the stop, not the peer.
fn stopped_or(reason: EndReason, stop: &AtomicBool) -> EndReason {
    if stop.load(Ordering::Relaxed) {
        EndReason::Stopped
    } else {
        reason
    }
}

fn write_workload(socket: &Socket, exp: &Experiment, sink: &mut EventSink, stop: &AtomicBool) -> Outcome {
    let w = &exp.workload;
    let mut offset = 0u64;
    let mut body = Vec::new();
    let mut framed = Vec::new();
    for i in 0..w.count {
        if i > 0 {
            let pause = if w.burst > 0 && i % w.burst == 0 {
                w.burst_gap_us
            } else {
                w.gap_us
            };
            if !sink.pause(Duration::from_micros(pause), stop) {
                return Err((offset, EndReason::Stopped));
            }
        }
        payload(i, message_size(w, i), &mut body);
        framed.clear();
        let header_len = exp.framing.encode_with(exp.length_prefix, &body, &mut framed);
        let msg = MsgId(i);
        let message = Event::Message {
            at_us: sink.now_us(),
            msg,
            offset: StreamOffset(offset),
            len: framed.len() as u32,
            header_len: header_len as u32,
        };
        // a program that ignores send()'s count puts on the stream only what send() took:
        // its message is known once its sends are done (the rest is `Event::NeverSent`)
        let ignoring = exp.sender.send_call == SendCall::Send;
        if !ignoring {
            sink.push(message.clone());
        }
        let message_start = offset;
        let cuts: Vec<&[u8]> = match exp.sender.split {
            WriteSplit::Whole => vec![&framed[..]],
            WriteSplit::HeaderThenBody if header_len > 0 => vec![&framed[..header_len], &framed[header_len..]],
            WriteSplit::HeaderThenBody => vec![&framed[..]],
            WriteSplit::Chunks { bytes } => framed.chunks(bytes.max(1) as usize).collect(),
        };
        for (k, piece) in cuts.iter().enumerate() {
            if k > 0 && !sink.pause(Duration::from_micros(w.chunk_gap_us), stop) {
                return Err((offset, EndReason::Stopped));
            }
            offset = match exp.sender.send_call {
                SendCall::Sendall => write_piece(socket, piece, msg, offset, sink, stop)?,
                SendCall::Send => super::send_once::write_ignoring_count(socket, piece, msg, offset, sink, stop)?,
            };
        }
        if let (true, Event::Message { at_us, header_len, .. }) = (ignoring, message) {
            let taken = (offset - message_start) as u32;
            sink.push(Event::Message {
                at_us,
                msg,
                offset: StreamOffset(message_start),
                len: taken,
                header_len: header_len.min(taken),
            });
        }
    }
    Ok(offset)
}

/// The receiver thread's body.
pub fn receive_all(socket: Socket, exp: &Experiment, sink: &mut EventSink, stop: &AtomicBool) {
    let (bytes, reason) = read_loop(&socket, exp, sink, stop);
    let reason = if reason == EndReason::Complete {
        reason
    } else {
        stopped_or(reason, stop)
    };
    let at_us = sink.now_us();
    sink.push(Event::Ended {
        at_us,
        side: Side::TcpReceiver,
        bytes,
        reason,
    });
}

/// Runs the chosen decoder over each read and checks frames against the workload.
pub struct FrameChecker<'e> {
    exp: Option<&'e Experiment>,
    decoder: Decoder,
    frames: u32,
    expected: Vec<u8>,
    /// The error that stopped the decoder for good, if one did (naive-u32's short body reads
    /// are reported but do not stop it).
    fatal: Option<DecodeError>,
    /// `listen --echo` in a framed mode: each frame's payload upper-cased and framed again the
    /// same way, waiting to be sent (upper-casing whole reads would break the headers).
    replies: Option<(FramingMode, LengthPrefix, Vec<super::reply_cuts::ReplyFrame>)>,
    /// Decode errors reported so far (each is also an [`Event::DecodeError`]).
    errors: u32,
    /// `listen`: reads classified against the decoded frames as they happen, with the same
    /// [`Classifier`] the analysis runs over the events, so a client whose reads are not
    /// recorded (past the drawn lanes) still gets exact merged/split counts.
    cuts: Option<Cutting>,
}

/// The state of [`FrameChecker::classify_reads`].
#[derive(Default)]
struct Cutting {
    classifier: Classifier,
    /// Bytes read so far: the next read ends past them.
    seen: u64,
    reads: u64,
}

enum Decoder {
    Off,
    Stream(StreamDecoder),
    Naive(NaiveU32Decoder),
}

impl<'e> FrameChecker<'e> {
    /// `exp` = the workload frames are checked against (None for an external peer).
    pub fn new(framing: FramingMode, max_frame_len: u32, prefix: LengthPrefix, exp: Option<&'e Experiment>) -> Self {
        let decoder = match framing {
            FramingMode::None => Decoder::Off,
            FramingMode::NaiveU32 => Decoder::Naive(NaiveU32Decoder::with_prefix(max_frame_len, prefix)),
            _ => framing
                .stream_decoder_with(max_frame_len, prefix)
                .map_or(Decoder::Off, Decoder::Stream),
        };
        Self {
            exp,
            decoder,
            frames: 0,
            expected: Vec::new(),
            fatal: None,
            replies: None,
            errors: 0,
            cuts: None,
        }
    }

    /// From now on, classify reads against the decoded frames: see [`Self::read_cuts`].
    pub fn classify_reads(&mut self) {
        self.cuts = Some(Cutting::default());
    }

    /// The reads so far and how they cut the frames; final once the stream ended (`close`).
    pub fn read_cuts(&self) -> Option<ReadCuts> {
        let c = self.cuts.as_ref()?;
        let n = c.classifier.counts;
        Some(ReadCuts {
            reads: c.reads,
            merged_reads: n.merged_reads,
            split_frames: n.split_messages,
        })
    }

    /// No more reads: decides the classification's last read (as the analysis does at the
    /// receiver's end).
    pub fn close_cuts(&mut self) {
        if let Some(c) = &mut self.cuts {
            c.classifier.close_messages();
            c.classifier.close_reads();
        }
    }

    /// Decode errors reported so far.
    pub fn decode_errors(&self) -> u32 {
        self.errors
    }

    /// From now on, each decoded frame is also answered: see [`Self::take_replies`].
    pub fn echo_frames(&mut self, framing: FramingMode, prefix: LengthPrefix) {
        self.replies = Some((framing, prefix, Vec::new()));
    }

    /// The framed, upper-cased answers to the frames decoded since the last call.
    pub fn take_replies(&mut self) -> Vec<u8> {
        self.take_reply_frames().into_iter().flat_map(|r| r.bytes).collect()
    }

    /// Like [`Self::take_replies`], one reply at a time, each knowing where its header ends
    /// (`listen --torture` cuts replies there).
    pub fn take_reply_frames(&mut self) -> Vec<super::reply_cuts::ReplyFrame> {
        self.replies
            .as_mut()
            .map(|(_, _, out)| std::mem::take(out))
            .unwrap_or_default()
    }

    /// Frames decoded so far (a request/response server answers each one).
    pub fn frames_decoded(&self) -> u32 {
        self.frames
    }

    /// The error that stopped the decoder, once one has: nothing after it can be decoded.
    pub fn fatal_error(&self) -> Option<&DecodeError> {
        self.fatal.as_ref()
    }

    /// How many bytes the next `recv()` should ask for, given the application's read size.
    pub fn next_read_size(&self, read_size: usize) -> usize {
        match &self.decoder {
            Decoder::Naive(d) if !d.is_failed() => d.want().clamp(1, read_size),
            _ => read_size,
        }
    }

    fn frame_event(&mut self, frame: Frame<'_>, at_us: u64) -> Event {
        if let Some(c) = &mut self.cuts {
            c.classifier.message_end(frame.offset + frame.total_len as u64);
        }
        if let Some((framing, prefix, out)) = &mut self.replies {
            let mut bytes = Vec::new();
            let header_len = framing.encode_with(*prefix, &frame.payload.to_ascii_uppercase(), &mut bytes);
            // newline has no header: the text is cut from its line end
            let split_at = if header_len > 0 {
                header_len
            } else {
                frame.payload.len()
            };
            out.push(super::reply_cuts::ReplyFrame { bytes, split_at });
        }
        let index = self.frames;
        self.frames += 1;
        let intact = match self.exp {
            Some(exp) if index < exp.workload.count => {
                payload(index, message_size(&exp.workload, index), &mut self.expected);
                self.expected == frame.payload
            }
            Some(_) => false,
            None => true,
        };
        Event::Frame {
            at_us,
            index,
            offset: StreamOffset(frame.offset),
            len: frame.total_len as u32,
            payload_len: frame.payload.len() as u32,
            intact,
        }
    }

    /// Feeds one read that returned at `at_us`; pushes frame and error events stamped with
    /// that return (a frame exists from the moment the read that completed it returned).
    pub fn on_read(&mut self, data: &[u8], at_us: u64, sink: &mut EventSink) {
        if let Some(c) = &mut self.cuts {
            c.seen += data.len() as u64;
            c.reads += 1;
            c.classifier.read_end(c.seen);
        }
        match std::mem::replace(&mut self.decoder, Decoder::Off) {
            Decoder::Off => {}
            Decoder::Stream(mut d) => {
                if let Err(error) = d.decode_chunk(data, |f| sink.push(self.frame_event(f, at_us))) {
                    self.errors += 1;
                    sink.push(Event::DecodeError {
                        at_us,
                        error: error.clone(),
                    });
                    self.fatal = Some(error);
                }
                self.decoder = Decoder::Stream(d);
            }
            Decoder::Naive(mut d) => {
                match d.on_read(data) {
                    Ok(NaiveStep::Header { .. }) => {}
                    Ok(NaiveStep::Frame(f)) => sink.push(self.frame_event(f, at_us)),
                    Ok(NaiveStep::ShortFrame { frame, error }) => {
                        sink.push(self.frame_event(frame, at_us));
                        self.errors += 1;
                        sink.push(Event::DecodeError { at_us, error });
                    }
                    Err(error) => {
                        self.errors += 1;
                        sink.push(Event::DecodeError {
                            at_us,
                            error: error.clone(),
                        });
                        self.fatal = Some(error);
                    }
                }
                self.decoder = Decoder::Naive(d);
            }
        }
    }

    /// At end of stream: leftover bytes are a truncated frame, reported and returned.
    pub fn finish(&mut self, sink: &mut EventSink) -> Option<DecodeError> {
        let result: Result<(), DecodeError> = match &mut self.decoder {
            Decoder::Off => Ok(()),
            Decoder::Stream(d) => d.finish(),
            Decoder::Naive(d) => d.finish(),
        };
        let error = result.err()?;
        self.errors += 1;
        let at_us = sink.now_us();
        sink.push(Event::DecodeError {
            at_us,
            error: error.clone(),
        });
        Some(error)
    }
}

/// Records one `recv()` that returned `data` (asked for `requested` bytes) at stream `offset`:
/// the read event (its call began at `start_us`), the bytes kept for the inspector, the
/// decoder's frames, stamped with the read's return. Returns the new offset.
pub(crate) fn record_read(
    sink: &mut EventSink,
    checker: &mut FrameChecker<'_>,
    offset: u64,
    data: &[u8],
    requested: usize,
    start_us: u64,
) -> u64 {
    let at_us = sink.now_us();
    sink.push(Event::Read {
        start_us: Some(start_us),
        at_us,
        offset: StreamOffset(offset),
        len: data.len() as u32,
        requested: requested as u32,
    });
    if offset < BYTES_KEPT {
        let keep = data.len().min((BYTES_KEPT - offset) as usize);
        sink.push_bytes(StreamOffset(offset), &data[..keep]);
    }
    checker.on_read(data, at_us, sink);
    offset + data.len() as u64
}

fn read_loop(socket: &Socket, exp: &Experiment, sink: &mut EventSink, stop: &AtomicBool) -> (u64, EndReason) {
    if !sink.pause(Duration::from_millis(exp.receiver.start_delay_ms), stop) {
        return (0, EndReason::Stopped);
    }
    let read_size = exp.receiver.read_size as usize;
    let mut buf = vec![0u8; read_size];
    let mut checker = FrameChecker::new(exp.framing, exp.max_frame_len, exp.length_prefix, Some(exp));
    let mut offset = 0u64;
    loop {
        if stop.load(Ordering::Relaxed) {
            return (offset, EndReason::Stopped);
        }
        let want = checker.next_read_size(read_size);
        let start_us = sink.now_us();
        match (&*socket).read(&mut buf[..want]) {
            Ok(0) if stop.load(Ordering::Relaxed) => return (offset, EndReason::Stopped),
            Ok(0) => {
                checker.finish(sink);
                return (offset, EndReason::Complete);
            }
            Ok(n) => {
                offset = record_read(sink, &mut checker, offset, &buf[..n], want, start_us);
                if !sink.pause(Duration::from_millis(exp.receiver.read_delay_ms), stop) {
                    return (offset, EndReason::Stopped);
                }
            }
            Err(e) if is_timeout(&e) => sink.flush(),
            Err(e) if peer_gone(&e) => return (offset, EndReason::PeerClosed(Fault::PeerGone { error: (&e).into() })),
            Err(e) => return (offset, EndReason::Failed(Fault::call(Call::Recv, &e))),
        }
    }
}
