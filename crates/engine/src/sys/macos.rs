//! macOS: `TCP_CONNECTION_INFO` counts packets sent (`tcpi_txpackets`); `recv()` cuts an
//! oversized datagram silently but does not return its real length, so a peek learns it; no
//! `TCP_CORK` (macOS' `TCP_NOPUSH` behaves differently); no segment capture without BPF and root.

use std::io;
use std::os::fd::AsRawFd;

use socket2::Socket;

use super::{Capabilities, DatagramRead, SegmentCounter, TcpInfo, TruncationReport};

pub const CAPABILITIES: Capabilities = Capabilities {
    segment_capture: false,
    segment_counter: SegmentCounter::TcpConnectionInfo,
    truncation: TruncationReport::Silent,
    cork: false,
};

/// Reads `TCP_CONNECTION_INFO` from a connected TCP socket.
pub fn tcp_info(socket: &Socket) -> io::Result<TcpInfo> {
    // SAFETY: tcp_connection_info is plain old data, all-zero is a valid value.
    let mut info: libc::tcp_connection_info = unsafe { std::mem::zeroed() };
    let mut len = std::mem::size_of::<libc::tcp_connection_info>() as libc::socklen_t;
    // SAFETY: `info` is live and writable and `len` holds its size; the kernel writes at most
    // `len` bytes and updates `len`.
    let rc = unsafe {
        libc::getsockopt(
            socket.as_raw_fd(),
            libc::IPPROTO_TCP,
            libc::TCP_CONNECTION_INFO,
            (&mut info as *mut libc::tcp_connection_info).cast(),
            &mut len,
        )
    };
    if rc != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(TcpInfo {
        data_segs_out: u32::try_from(info.tcpi_txpackets).unwrap_or(u32::MAX),
        // Bytes in the send buffer: not yet sent or not yet acknowledged. Zero means settled,
        // which is what the sender waits for.
        notsent_bytes: info.tcpi_snd_sbbytes,
        unacked: 0,
        snd_mss: info.tcpi_maxseg,
        total_retrans: None,
    })
}

/// `TCP_MAXSEG`: the largest segment this socket sends.
pub fn set_tcp_mss(socket: &Socket, mss: u32) -> io::Result<()> {
    socket.set_tcp_mss(mss)
}

/// macOS cuts a datagram bigger than `buf` silently, like Linux, but its `recv()` returns only
/// the bytes copied: the real length comes from a peek.
pub fn recv_datagram(socket: &Socket, buf: &mut [u8]) -> io::Result<DatagramRead> {
    super::peek::peek_then_read(socket, buf, None)
}

pub fn set_tcp_cork(_socket: &Socket, _cork: bool) -> io::Result<()> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "TCP_CORK exists only on Linux",
    ))
}

pub fn tcp_cork(_socket: &Socket) -> io::Result<bool> {
    Ok(false)
}

pub fn is_no_buffer_space(e: &io::Error) -> bool {
    e.raw_os_error() == Some(libc::ENOBUFS)
}

/// An `accept()` error that concerns one connection or a passing shortage, not the listener.
pub fn is_transient_accept_error(e: &io::Error) -> bool {
    matches!(
        e.raw_os_error(),
        Some(libc::EMFILE | libc::ENFILE | libc::ENOBUFS | libc::ENOMEM | libc::EPROTO | libc::EPERM)
    )
}
