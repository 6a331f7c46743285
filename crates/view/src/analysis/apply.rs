//! `Model::apply`: one event folded into the model, one named step per kind of event.

use crate::facts::{ControlKind, EndReason, Event, MsgId, Side, SockOpt};

use super::{
    AckRec, ClientRec, DatagramRec, FrameRec, MessageRec, Model, OptionRec, Problem, ProblemKind, RoundRec, Span,
    WriteRec, MAX_CAUSALITY_PROBLEMS,
};

impl Model {
    /// Folds one event in, and checks it for causality against the events before it: a
    /// violation is a problem for the user to see (the first few are listed, all counted).
    pub fn apply(&mut self, event: &Event) {
        let before = self.causality.violations().len();
        if self.causality.observe(event) > 0 {
            self.summary.causality_violations = self.causality.count();
            let new = self.causality.violations().get(before..).unwrap_or_default();
            for v in new.iter().take(MAX_CAUSALITY_PROBLEMS.saturating_sub(before)) {
                self.history.problems.push(Problem {
                    side: super::problem::violation_side(v),
                    kind: ProblemKind::Causality(*v),
                });
            }
        }
        self.fold(event);
        self.trail.observe(event);
        if matches!(event, Event::Finished { .. }) {
            self.summary.causes = self.causes();
        }
    }

    /// [`Model::apply`] without the causality check: for the models of one stream inside a
    /// run (reply axis, extra connections), whose events the run's model has checked already.
    /// A plain function of the model and the event, one named step per kind of event.
    fn fold(&mut self, event: &Event) {
        if let Some(t) = event.at_us() {
            self.last_us = self.last_us.max(t);
        }
        match event {
            Event::Connected { sender, receiver, .. } => self.connection = Some((sender.clone(), receiver.clone())),
            Event::SockOpt {
                side,
                opt,
                requested,
                actual,
                ..
            } => self.sock_opt(*side, *opt, *requested, *actual),
            Event::Message { .. }
            | Event::Write { .. }
            | Event::WireTotal { .. }
            | Event::CaptureStats { .. }
            | Event::Segment { .. }
            | Event::GsoBatch { .. }
            | Event::SegmentsUnavailable { .. } => self.sender_side(event),
            Event::Retransmission { .. } | Event::Ack { .. } | Event::Control { .. } => self.wire_both_ways(event),
            Event::AcksNotCaptured { limit_bytes } => self.acks_not_captured = Some(*limit_bytes),
            Event::Read { .. } | Event::Bytes { .. } | Event::Frame { .. } | Event::DecodeError { .. } => {
                self.receiver_side(event)
            }
            // Sent when `send()` began: on loopback it may arrive before `send()` returns.
            Event::DatagramSent {
                start_us,
                at_us,
                msg,
                len,
            } => self.datagram_sent(start_us.unwrap_or(*at_us), *msg, *len),
            Event::DatagramReceived {
                at_us,
                msg,
                len,
                real_len,
                os_error,
            } => self.datagram_received(*at_us, *msg, *len, *real_len, *os_error),
            Event::Ended { side, reason, .. } => self.ended(*side, reason),
            Event::Error { side, error, .. } => self.history.problems.push(Problem {
                side: *side,
                kind: ProblemKind::Failed(error.clone()),
            }),
            Event::Finished { .. } => {
                self.finished = true;
                self.shrink();
            }
            Event::QueueWait { waited_us, .. } => {
                self.summary.queue_waits += 1;
                self.summary.queue_wait_us += waited_us;
            }
            Event::Trace {
                fact: crate::facts::trace::TraceFact::LaneCalls { writes, reads },
            } => self.lane_calls = Some((writes.clone(), reads.clone())),
            // a traced run's programs and counts: the CLI lists them
            Event::Trace { .. } => {}
            Event::Reply { .. } | Event::Conn { .. } | Event::Client { .. } | Event::Round { .. } => {
                self.second_direction(event)
            }
            Event::NeverSent {
                at_us,
                msg,
                offset,
                len,
            } => self.never_sent_event(*at_us, *msg, offset.0, *len),
            Event::SocketState {
                side,
                local,
                remote,
                entry,
                ..
            } => self.table_event(*side, local, remote, entry),
            Event::Bind {
                at_us,
                port,
                reuse_addr,
                when,
                error,
            } => self.bind_event(super::BindRec {
                at_us: *at_us,
                port: *port,
                reuse_addr: *reuse_addr,
                when: *when,
                error: error.clone(),
            }),
        }
        self.copy_classified_counts();
    }

    /// A socket option as the kernel reports it; the buffers also go to the summary.
    fn sock_opt(&mut self, side: Side, opt: SockOpt, requested: Option<u64>, actual: u64) {
        let s = &mut self.summary;
        match (side, opt) {
            (Side::TcpSender, SockOpt::SndBuf) => s.sndbuf_actual = Some(actual),
            (Side::TcpReceiver, SockOpt::RcvBuf) => s.rcvbuf_actual = Some(actual),
            (Side::UdpReceiver, SockOpt::RcvBuf) => s.udp_rcvbuf_actual = Some(actual),
            _ => {}
        }
        self.history.options.push(OptionRec {
            side,
            opt,
            requested,
            actual,
        });
    }

    /// The TCP sender's messages and writes, and the wire between them.
    fn sender_side(&mut self, event: &Event) {
        let s = &mut self.summary;
        match event {
            Event::Message {
                at_us,
                msg,
                offset,
                len,
                header_len,
            } => {
                if s.messages == 0 {
                    // our own sender: its messages are the boundaries, and the frame classifier
                    // (for a sender that is not ours) would only pile up read ends
                    self.frame_classifier = Default::default();
                }
                s.messages += 1;
                self.classifier.message_end(offset.0 + u64::from(*len));
                if self.keep() {
                    self.history.messages.push(MessageRec {
                        id: *msg,
                        offset: offset.0,
                        len: *len,
                        header_len: *header_len,
                        at_us: *at_us,
                    });
                }
            }
            Event::Write {
                start_us,
                at_us,
                msg,
                offset,
                len,
                requested,
                segs_out,
                notsent,
                ..
            } => {
                s.writes += 1;
                s.bytes_sent += u64::from(*len);
                s.short_writes += u64::from(requested.is_some_and(|r| *len < r));
                // A write is drawn where its call began: its bytes may be read before it returns.
                let at_us = start_us.unwrap_or(*at_us);
                if self.keep() {
                    self.history.writes.push(WriteRec {
                        at_us,
                        msg: *msg,
                        offset: offset.0,
                        len: *len,
                        segs_out: *segs_out,
                        notsent: *notsent,
                    });
                }
            }
            Event::WireTotal {
                segs_out,
                retransmitted,
                ..
            } => {
                s.segments_tcp_info = Some(u64::from(*segs_out));
                s.retransmitted_tcp_info = retransmitted.map(u64::from);
            }
            Event::CaptureStats { dropped, .. } => s.segments_capture_dropped = Some(*dropped),
            Event::Segment { at_us, offset, len, .. } => {
                *s.segments_captured.get_or_insert(0) += 1;
                if self.keep() {
                    self.history.segments.push(Span {
                        at_us: *at_us,
                        offset: offset.0,
                        len: *len,
                    });
                }
            }
            Event::GsoBatch { at_us, offset, len, .. } => {
                s.gso_batches += 1;
                if self.keep() {
                    self.history.gso_batches.push(Span {
                        at_us: *at_us,
                        offset: offset.0,
                        len: *len,
                    });
                }
            }
            Event::SegmentsUnavailable { reason } => self.segments_unavailable = Some(reason.clone()),
            _ => {}
        }
    }

    /// The packets the capture saw besides new data: retransmissions, the receiver's ACKs, the
    /// handshake (whose SYN-ACK says the capture follows the connection both ways) and probes.
    fn wire_both_ways(&mut self, event: &Event) {
        let s = &mut self.summary;
        match event {
            Event::Retransmission { at_us, offset, len, .. } => {
                *s.retransmissions.get_or_insert(0) += 1;
                // drawn whole on the wire lane, marked; new bytes at its tail (rare) are in it
                if self.keep() {
                    self.history.retransmissions.push(Span {
                        at_us: *at_us,
                        offset: offset.0,
                        len: *len,
                    });
                }
            }
            Event::Ack {
                at_us,
                ack,
                window,
                fin,
                ..
            } => {
                self.closing_packet(*at_us, Side::TcpReceiver, None, *fin);
                let s = &mut self.summary;
                *s.acks.get_or_insert(0) += 1;
                *s.zero_window.get_or_insert(0) += u64::from(*window == 0);
                s.min_window = Some(s.min_window.map_or(u64::from(*window), |w| w.min(u64::from(*window))));
                if self.keep() {
                    self.history.acks.push(AckRec {
                        at_us: *at_us,
                        ack: ack.0,
                        window: *window,
                    });
                }
            }
            Event::Control {
                at_us, control, from, ..
            } => match control {
                // the sender's SYN: its data segments are followed from the start
                ControlKind::Syn => {
                    s.retransmissions.get_or_insert(0);
                }
                // the receiver's SYN-ACK: the capture follows the connection both ways
                ControlKind::SynAck => {
                    s.acks.get_or_insert(0);
                    s.zero_window.get_or_insert(0);
                    s.window_probes.get_or_insert(0);
                }
                ControlKind::WindowProbe => {
                    *s.window_probes.get_or_insert(0) += 1;
                    if self.keep() {
                        self.history.window_probes.push(*at_us);
                    }
                }
                ControlKind::Ack | ControlKind::Fin => self.closing_packet(*at_us, *from, Some(*control), false),
                ControlKind::Rst => {}
            },
            _ => {}
        }
    }

    /// The TCP receiver's reads, the bytes they returned, and what the decoder made of them.
    fn receiver_side(&mut self, event: &Event) {
        let s = &mut self.summary;
        match event {
            Event::Read { at_us, offset, len, .. } => {
                s.reads += 1;
                s.bytes_received += u64::from(*len);
                self.classifier.read_end(offset.0 + u64::from(*len));
                if s.messages == 0 {
                    self.frame_classifier.read_end(offset.0 + u64::from(*len));
                }
                if self.keep() {
                    self.history.reads.push(Span {
                        at_us: *at_us,
                        offset: offset.0,
                        len: *len,
                    });
                }
            }
            // Bytes arrive in order from one thread; anything else is ignored, not spliced.
            Event::Bytes { offset, data } if offset.0 == self.history.received.len() as u64 => {
                self.history.received.extend_from_slice(data)
            }
            Event::Frame {
                at_us,
                index,
                offset,
                len,
                payload_len,
                intact,
            } => {
                s.frames += 1;
                s.intact_frames += u64::from(*intact);
                if s.messages == 0 {
                    self.frame_classifier.message_end(offset.0 + u64::from(*len));
                }
                if self.keep() {
                    self.history.frames.push(FrameRec {
                        at_us: *at_us,
                        index: *index,
                        offset: offset.0,
                        len: *len,
                        payload_len: *payload_len,
                        intact: *intact,
                    });
                }
            }
            Event::DecodeError { at_us, error } => {
                s.decode_errors += 1;
                if self.history.decode_errors.len() < 1000 {
                    self.history.decode_errors.push((*at_us, error.clone()));
                }
            }
            _ => {}
        }
    }

    fn datagram_sent(&mut self, sent_us: u64, msg: MsgId, len: u32) {
        self.summary.datagrams_sent += 1;
        if let Some(d) = self.datagram_slot(msg) {
            *d = DatagramRec {
                msg,
                len,
                sent_us,
                received: d.received,
                sent: true,
            };
        }
        if len == 0 {
            match self.history.empty_arrived.pop_front() {
                Some(at) => self.mark_received(msg, 0, at),
                None => self.history.empty_sent.push_back(msg),
            }
        }
    }

    fn datagram_received(&mut self, at_us: u64, msg: Option<MsgId>, len: u32, real_len: u32, os_error: Option<i32>) {
        let s = &mut self.summary;
        s.datagrams_received += 1;
        if real_len > len {
            s.datagrams_truncated += 1;
            s.datagram_bytes_lost += u64::from(real_len - len);
        }
        // Windows returns the cut datagram's first bytes with an error (WSAEMSGSIZE).
        if let Some(code) = os_error {
            s.datagram_errors += 1;
            s.datagram_error_code = Some(code);
        }
        // The receiver's batch may arrive before the sender's: make the slot either way.
        match msg {
            Some(m) => {
                self.mark_received(m, len, at_us);
                // until (unless) its send is seen, its length is the one it arrived with
                if let Some(d) = self.datagram_slot(m).filter(|d| !d.sent) {
                    d.len = real_len;
                }
            }
            None if real_len == 0 => match self.history.empty_sent.pop_front() {
                Some(m) => self.mark_received(m, 0, at_us),
                None => self.history.empty_arrived.push_back(at_us),
            },
            None => {
                if self.keep() {
                    let msg = MsgId(self.history.unidentified_datagrams.len() as u32);
                    self.history.unidentified_datagrams.push(DatagramRec {
                        msg,
                        len: real_len,
                        sent_us: at_us,
                        received: Some((len, at_us)),
                        sent: false,
                    });
                }
            }
        }
    }

    /// One side finished: close its half of the classification; an early end is a problem.
    fn ended(&mut self, side: Side, reason: &EndReason) {
        let s = &mut self.summary;
        match side {
            Side::TcpSender => self.classifier.close_messages(),
            Side::TcpReceiver => {
                self.classifier.close_reads();
                // frames come from the reads: none after the receiver's end
                self.frame_classifier.close_messages();
                self.frame_classifier.close_reads();
            }
            Side::UdpReceiver => s.datagrams_dropped = Some(s.datagrams_sent.saturating_sub(s.datagrams_received)),
            Side::UdpSender | Side::Capture => {}
        }
        match reason {
            EndReason::PeerClosed(why) => self.history.problems.push(Problem {
                side,
                kind: ProblemKind::PeerClosed(why.clone()),
            }),
            EndReason::Failed(why) => self.history.problems.push(Problem {
                side,
                kind: ProblemKind::Failed(why.clone()),
            }),
            EndReason::Complete | EndReason::Stopped => {}
        }
        self.history.ended.push((side, reason.clone()));
    }

    /// Request/response runs and `listen`: the reply stream, other connections, clients, rounds.
    fn second_direction(&mut self, event: &Event) {
        match event {
            Event::Reply { event } => self.echo.get_or_insert_with(Box::default).replies.fold(event),
            Event::Conn { conn, event } => {
                if let Some(m) = self.echo.get_or_insert_with(Box::default).connection(*conn) {
                    m.fold(event);
                }
            }
            Event::Client {
                at_us,
                peer,
                lane,
                bytes,
                frames,
                outcome,
                decode_errors,
                cuts,
            } => {
                let c = ClientRec {
                    at_us: *at_us,
                    peer: peer.clone(),
                    lane: *lane,
                    bytes: *bytes,
                    frames: *frames,
                    outcome: outcome.clone(),
                    decode_errors: *decode_errors,
                    cuts: *cuts,
                };
                self.add_client(c);
            }
            Event::Round {
                at_us,
                index,
                latency_us,
                request_len,
                reply_len,
            } => {
                let r = RoundRec {
                    index: *index,
                    at_us: *at_us,
                    latency_us: *latency_us,
                    request_len: *request_len,
                    reply_len: *reply_len,
                };
                self.echo.get_or_insert_with(Box::default).push_round(r);
            }
            _ => {}
        }
    }

    /// The classifier's counts, as the summary shows them.
    fn copy_classified_counts(&mut self) {
        let s = &mut self.summary;
        // an external sender (`listen`) has no messages: its frames are the boundaries
        let c = if s.messages == 0 {
            self.frame_classifier.counts
        } else {
            self.classifier.counts
        };
        s.merged_reads = c.merged_reads;
        s.exact_reads = c.exact_reads;
        s.split_messages = c.split_messages;
    }
}
