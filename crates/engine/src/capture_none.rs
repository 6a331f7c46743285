//! The wire lane where segments cannot be captured (macOS, Windows): `AF_PACKET` is Linux's.
//! macOS could capture with BPF, but only as root; Windows needs a driver (Npcap). The lane
//! says why it is empty, and shows the OS's per-write segment counts where it has them.

use std::net::SocketAddrV4;
use std::sync::atomic::AtomicBool;

use super::fact::CaptureUnavailable;
use super::sink::EventSink;
use super::sys::{SegmentCounter, CAPABILITIES};

/// A capture socket, of which there are none here.
pub enum NoCapture {}

/// Why the wire lane is empty on this OS (worded by `describe`).
pub fn open(_from: SocketAddrV4, _to: SocketAddrV4) -> Result<NoCapture, CaptureUnavailable> {
    Err(match CAPABILITIES.segment_counter {
        SegmentCounter::TcpConnectionInfo => CaptureUnavailable::NeedsLinuxCounts,
        SegmentCounter::TcpInfo | SegmentCounter::None => CaptureUnavailable::NeedsLinuxNoCounts,
    })
}

pub fn run(
    socket: NoCapture,
    _from: SocketAddrV4,
    _to: SocketAddrV4,
    _sink: &mut EventSink,
    _stop: &AtomicBool,
    _done: &AtomicBool,
) {
    match socket {}
}
