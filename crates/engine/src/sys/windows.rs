//! Windows: `recvfrom()` with a buffer smaller than the datagram fails with `WSAEMSGSIZE`
//! (10040) after copying the first bytes (the course's Windows students see
//! `OSError: [WinError 10040]`); a peek learns the real length. No per-write segment count
//! (`SIO_TCP_INFO` has bytes and times, no segments), no `TCP_CORK`, no segment capture.

use std::io;

use socket2::Socket;

use super::{Capabilities, DatagramRead, SegmentCounter, TcpInfo, TruncationReport};

/// "A message sent on a datagram socket was larger than the internal message buffer or some
/// other network limit, or the buffer used to receive a datagram into was smaller than the
/// datagram itself."
pub const WSAEMSGSIZE: i32 = 10040;
const WSAENOBUFS: i32 = 10055;
const WSAEMFILE: i32 = 10024;
const WSAENOTCONN: i32 = 10057;

pub const CAPABILITIES: Capabilities = Capabilities {
    segment_capture: false,
    segment_counter: SegmentCounter::None,
    truncation: TruncationReport::Error { code: WSAEMSGSIZE },
    cork: false,
};

/// Windows reports no segment count; the callers treat `Unsupported` as "nothing to show".
pub fn tcp_info(_socket: &Socket) -> io::Result<TcpInfo> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "Windows reports no segment count",
    ))
}

/// The read as Windows answers it: `WSAEMSGSIZE` for an oversized datagram, recorded with the
/// bytes it copied and the real length the peek saw.
pub fn recv_datagram(socket: &Socket, buf: &mut [u8]) -> io::Result<DatagramRead> {
    super::peek::peek_then_read(socket, buf, Some(WSAEMSGSIZE))
}

/// Windows reads `TCP_MAXSEG` but does not let a program set it.
pub fn set_tcp_mss(_socket: &Socket, _mss: u32) -> io::Result<()> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "Windows does not let a program set TCP_MAXSEG",
    ))
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
    e.raw_os_error() == Some(WSAENOBUFS)
}

/// An `accept()` error that concerns one connection or a passing shortage, not the listener.
/// A client that reset before `accept()` got to it is `WSAECONNRESET` on Windows and
/// `WSAENOTCONN` under Wine (measured with a reset right after connect).
pub fn is_transient_accept_error(e: &io::Error) -> bool {
    matches!(e.raw_os_error(), Some(WSAEMFILE | WSAENOBUFS | WSAENOTCONN))
}
