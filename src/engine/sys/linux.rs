//! Linux: `TCP_INFO` counts every data segment, `recv(MSG_TRUNC)` returns a datagram's real
//! length, `TCP_CORK` exists, and `AF_PACKET` (engine/capture.rs) captures segments.

use std::io;
use std::os::fd::AsRawFd;

use socket2::Socket;

use super::{Capabilities, DatagramRead, SegmentCounter, TcpInfo, TruncationReport};

pub const CAPABILITIES: Capabilities = Capabilities {
    segment_capture: true,
    segment_counter: SegmentCounter::TcpInfo,
    truncation: TruncationReport::Silent,
    cork: true,
};

/// Reads `TCP_INFO` from a connected TCP socket.
pub fn tcp_info(socket: &Socket) -> io::Result<TcpInfo> {
    // SAFETY: tcp_info is plain old data, all-zero is a valid value.
    let mut info: libc::tcp_info = unsafe { std::mem::zeroed() };
    let mut len = std::mem::size_of::<libc::tcp_info>() as libc::socklen_t;
    // SAFETY: `info` is a live, writable tcp_info and `len` holds its size; the kernel writes at
    // most `len` bytes and updates `len`.
    let rc = unsafe {
        libc::getsockopt(
            socket.as_raw_fd(),
            libc::IPPROTO_TCP,
            libc::TCP_INFO,
            (&mut info as *mut libc::tcp_info).cast(),
            &mut len,
        )
    };
    if rc != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(TcpInfo {
        data_segs_out: info.tcpi_data_segs_out,
        notsent_bytes: info.tcpi_notsent_bytes,
        unacked: info.tcpi_unacked,
        snd_mss: info.tcpi_snd_mss,
    })
}

/// `recv(fd, buf, len, MSG_TRUNC)` on a datagram socket: copies at most `buf.len()` bytes and
/// returns the datagram's full size (Linux returns it with `MSG_TRUNC`), so a truncated
/// datagram shows how many bytes were lost. Linux reports no error for it.
pub fn recv_datagram(socket: &Socket, buf: &mut [u8]) -> io::Result<DatagramRead> {
    // SAFETY: `buf` is a valid writable slice of `buf.len()` bytes; the kernel writes no more.
    let rc = unsafe {
        libc::recv(socket.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len(), libc::MSG_TRUNC)
    };
    if rc < 0 {
        return Err(io::Error::last_os_error());
    }
    let real = rc as usize;
    Ok(DatagramRead { copied: real.min(buf.len()), real_len: real, os_error: None })
}

/// `TCP_CORK`: hold partial segments until uncorked.
pub fn set_tcp_cork(socket: &Socket, cork: bool) -> io::Result<()> {
    socket.set_tcp_cork(cork)
}

pub fn tcp_cork(socket: &Socket) -> io::Result<bool> {
    socket.tcp_cork()
}

/// Linux may refuse a UDP send when its own queue is full (`ENOBUFS`).
pub fn is_no_buffer_space(e: &io::Error) -> bool {
    e.raw_os_error() == Some(libc::ENOBUFS)
}

/// An `accept()` error that concerns one connection or a passing shortage, not the listener.
pub fn is_transient_accept_error(e: &io::Error) -> bool {
    matches!(e.raw_os_error(), Some(libc::EMFILE | libc::ENFILE | libc::ENOBUFS | libc::ENOMEM | libc::EPROTO | libc::EPERM))
}
