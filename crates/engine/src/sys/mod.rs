//! What the operating system lets the app observe, one place per OS: `linux.rs`, `macos.rs`,
//! `windows.rs`. The rest of the engine calls these functions and never asks which OS it runs on.
//!
//! | concern                  | Linux                      | macOS                              | Windows                                   |
//! |--------------------------|----------------------------|------------------------------------|-------------------------------------------|
//! | segment capture          | `AF_PACKET` (capture.rs)   | none (needs BPF and root)          | none                                      |
//! | segments sent per write  | `TCP_INFO` data segments   | `TCP_CONNECTION_INFO` packets      | none (`SIO_TCP_INFO` has no count)        |
//! | datagram over the buffer | cut silently; real length by `MSG_TRUNC` | cut silently; real length by a peek | `recvfrom()` fails with `WSAEMSGSIZE` (10040); real length by a peek |
//! | peer process dies        | FIN: an empty read         | FIN: an empty read                 | RST: `WSAECONNRESET` (10054)              |
//!
//! These are the only modules of the crate allowed `unsafe`; every block states why it is sound.
#![allow(unsafe_code)]

use std::io;

use serde::{Deserialize, Serialize};
use socket2::Socket;

#[cfg(target_os = "linux")]
mod linux;
#[cfg(target_os = "linux")]
use linux as os;

#[cfg(target_vendor = "apple")]
mod macos;
#[cfg(target_vendor = "apple")]
use macos as os;

#[cfg(windows)]
mod windows;
#[cfg(windows)]
use windows as os;

// Where `MSG_TRUNC` does not return a datagram's real length.
#[cfg(not(target_os = "linux"))]
mod peek;

#[cfg(not(any(target_os = "linux", target_vendor = "apple", windows)))]
compile_error!("stickyviz knows what Linux, macOS and Windows can show; add a module in engine/sys for this OS");

pub use os::{
    is_no_buffer_space, is_transient_accept_error, set_tcp_cork, set_tcp_mss, tcp_cork, tcp_info, CAPABILITIES,
};
// The network namespace of a link run (engine/link.rs): Linux only.
#[cfg(target_os = "linux")]
pub use linux::peek_datagram;
#[cfg(target_os = "linux")]
pub use linux::{enter_network_namespace, sysctl_number, NamespaceCall, NamespaceKind};
#[cfg(not(target_os = "linux"))]
pub use peek::peek_datagram;
// The AF_PACKET capture's ring and drop count: only the capture (capture.rs, Linux) uses them.
#[cfg(target_os = "linux")]
pub use linux::packet_drops;
#[cfg(target_os = "linux")]
pub mod ring;

/// How this OS reports a datagram bigger than the `recvfrom()` buffer: the same program
/// behaves differently per OS, which is a lesson of its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TruncationReport {
    /// The first bytes are returned with no error and the tail is discarded (Linux, macOS).
    Silent,
    /// `recvfrom()` fails with this error code after copying the first bytes; the tail is
    /// discarded all the same (Windows: `WSAEMSGSIZE`, 10040).
    Error { code: i32 },
}

/// Which counter, if any, says how many segments the sender has sent after each write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SegmentCounter {
    /// Linux `TCP_INFO`'s `tcpi_data_segs_out`: data-carrying segments, exact.
    TcpInfo,
    /// macOS `TCP_CONNECTION_INFO`'s `tcpi_txpackets`: every packet sent, so a sender's count
    /// includes its SYN and FIN.
    TcpConnectionInfo,
    /// Windows: `SIO_TCP_INFO` reports bytes, RTT and windows but no segment count.
    None,
}

/// What this OS lets each lane show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Capabilities {
    /// Every segment of the connection, captured as it crosses loopback (Linux only).
    pub segment_capture: bool,
    pub segment_counter: SegmentCounter,
    pub truncation: TruncationReport,
    /// `TCP_CORK` (hold writes until uncorked) exists.
    pub cork: bool,
}

/// The parts of the kernel's TCP connection info the wire lane uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TcpInfo {
    /// Segments sent so far ([`SegmentCounter`] says which count; retransmissions included).
    pub data_segs_out: u32,
    /// Bytes written but not yet sent (Nagle or cork holding them). macOS counts every byte
    /// still in the send buffer, unacknowledged ones included.
    pub notsent_bytes: u32,
    /// Segments sent but not yet acknowledged (0 where the OS does not count them).
    pub unacked: u32,
    /// The sender's maximum segment size.
    pub snd_mss: u32,
    /// Segments retransmitted over the connection's life (Linux `tcpi_total_retrans`; `None`
    /// where the OS does not count them).
    pub total_retrans: Option<u32>,
}

/// One `recvfrom()` on a datagram socket, as the OS answered it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DatagramRead {
    /// Bytes copied into the buffer.
    pub copied: usize,
    /// The datagram's full size: more than `copied` means its tail was lost.
    pub real_len: usize,
    /// The error code the call returned with the bytes (Windows' `WSAEMSGSIZE`), if any.
    pub os_error: Option<i32>,
}

/// `recv()` of one datagram into `buf`, with its real length.
pub fn recv_datagram(socket: &Socket, buf: &mut [u8]) -> io::Result<DatagramRead> {
    os::recv_datagram(socket, buf)
}
