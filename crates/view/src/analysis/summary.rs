//! The numbers of a run, as the stats strip and `stickyviz run` show them.

use serde::{Deserialize, Serialize};

/// Counts are exact even when stored history was capped.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Summary {
    pub messages: u64,
    pub bytes_sent: u64,
    pub writes: u64,
    /// Data segments captured on `lo` (None: the capture was unavailable).
    pub segments_captured: Option<u64>,
    /// Data segments the kernel reports sending (`TCP_INFO`), once the sender settled.
    pub segments_tcp_info: Option<u64>,
    /// Of those, segments sent again (`tcpi_total_retrans`: lost on the link, or thought lost);
    /// None where the OS does not count them.
    pub retransmitted_tcp_info: Option<u64>,
    /// GSO batches the capture cut into segments: packets `lo` carried whole, each counted
    /// above as the segments it stands for.
    pub gso_batches: u64,
    /// Packets of the connection the capture socket's queue dropped (`PACKET_STATISTICS`),
    /// once the capture ended; each is a segment missing from the lane.
    pub segments_capture_dropped: Option<u64>,
    /// Data segments captured again, with bytes an earlier segment carried (None: the capture
    /// did not see the handshake: no capture, or a recording from before).
    pub retransmissions: Option<u64>,
    /// ACKs captured from the receiver back to the sender (None: the capture did not follow
    /// the connection both ways: no capture, a run too big for it, or a recording from before).
    pub acks: Option<u64>,
    /// Of those ACKs, the ones that advertised a window of 0: the receiver's buffer was full
    /// and the sender had to stop.
    pub zero_window: Option<u64>,
    /// Zero-window probes the sender sent, asking whether the window opened (same None).
    pub window_probes: Option<u64>,
    /// The smallest window an ACK advertised, bytes (None: no ACK seen).
    pub min_window: Option<u64>,
    /// `send()` calls that accepted fewer bytes than asked (the send buffer was full); each is
    /// followed by another `send()` for the rest, so writes = messages' pieces + short writes.
    pub short_writes: u64,
    /// Bytes the program asked `send()` to send and then never sent, having ignored its count
    /// (`config::SendCall::Send`): bytes requested = `bytes_sent` + this. Not lost by TCP.
    pub never_sent_bytes: u64,
    pub reads: u64,
    pub bytes_received: u64,
    pub merged_reads: u64,
    pub split_messages: u64,
    pub exact_reads: u64,
    pub frames: u64,
    /// Frames whose payload equals the message the sender sent.
    pub intact_frames: u64,
    pub decode_errors: u64,
    pub datagrams_sent: u64,
    pub datagrams_received: u64,
    pub datagrams_truncated: u64,
    /// Bytes lost to truncation (sum of real length − bytes read).
    pub datagram_bytes_lost: u64,
    /// Datagrams whose `recvfrom()` returned an error with the bytes (Windows' `WSAEMSGSIZE` for
    /// a truncated one; Linux and macOS truncate silently, so 0 there).
    pub datagram_errors: u64,
    /// The error code of the last such read (10040 on Windows).
    pub datagram_error_code: Option<i32>,
    /// Datagrams that never arrived (known once the UDP receiver has ended).
    pub datagrams_dropped: Option<u64>,
    pub sndbuf_actual: Option<u64>,
    pub rcvbuf_actual: Option<u64>,
    pub udp_rcvbuf_actual: Option<u64>,
    /// Events stamped before their cause (see `analysis::causality`): 0 in an honest run.
    pub causality_violations: u64,
    /// Records not kept because the history cap was reached (counts above still include them).
    pub events_dropped_from_history: u64,
    /// Times a thread of the run found the queue to the app full and waited for room
    /// ([`crate::facts::Event::QueueWait`]), and how long in all (µs): during those waits the
    /// run went at the app's pace, not the kernel's.
    pub queue_waits: u64,
    pub queue_wait_us: u64,
    /// What the run showed and why, proven by its events (see [`super::causes`]); found when
    /// the run finished (absent in older recordings: the model finds them again on load).
    #[serde(skip_serializing_if = "super::causes::Causes::is_empty")]
    pub causes: super::causes::Causes,
}

impl Summary {
    /// Data segments the kernel sent (`TCP_INFO`) that the capture did not record, once both
    /// counts are known. `TCP_INFO` counts retransmissions too: so does this comparison, where
    /// the capture recorded them (the lane draws new bytes once, retransmissions apart).
    pub fn capture_gap(&self) -> Option<u64> {
        let kernel = self.segments_tcp_info?;
        let captured = self.segments_captured?;
        Some(match self.retransmissions {
            // the capture saw the retransmissions too: every transmission on both sides
            Some(again) => kernel.saturating_sub(captured + again),
            // a recording without them: the kernel's first transmissions only
            None => kernel
                .saturating_sub(self.retransmitted_tcp_info.unwrap_or(0))
                .saturating_sub(captured),
        })
    }

    /// Whether a [`Summary::capture_gap`] can be a loss of the capture's: not when its queue
    /// dropped nothing. Then the kernel counted some captured packets as several segments: a
    /// packet bigger than the sender's current MSS (GSO), which Linux caps at half the largest
    /// window the receiver advertised (`tcp_bound_to_half_wnd`: a 4096-byte packet against a
    /// 4096-byte window counts as 2; seen in flow-control, and on lossy-link's 1448-byte MSS),
    /// or a link dropped them before the capture saw them (tc's queue comes first).
    pub fn capture_may_have_missed(&self) -> bool {
        self.capture_gap().unwrap_or(0) > 0 && self.segments_capture_dropped != Some(0)
    }

    /// The best segment count available: captured, else the kernel's.
    pub fn segments(&self) -> Option<u64> {
        self.segments_captured.or(self.segments_tcp_info)
    }
}
