//! The few socket calls socket2 does not offer, through libc. This is the only module of the
//! crate allowed `unsafe`; every block states why it is sound.
#![allow(unsafe_code)]

use std::io;
use std::os::fd::AsRawFd;

/// The parts of Linux's `struct tcp_info` the wire lane uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TcpInfo {
    /// `tcpi_data_segs_out`: data-carrying segments sent so far (retransmissions included).
    pub data_segs_out: u32,
    /// `tcpi_notsent_bytes`: bytes written but not yet sent (Nagle or cork holding them).
    pub notsent_bytes: u32,
    /// `tcpi_unacked`: segments sent but not yet acknowledged.
    pub unacked: u32,
    /// `tcpi_snd_mss`: the sender's maximum segment size.
    pub snd_mss: u32,
}

/// Reads `TCP_INFO` from a connected TCP socket.
pub fn tcp_info(socket: &impl AsRawFd) -> io::Result<TcpInfo> {
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
/// returns `(copied, real_len)`, where `real_len` is the datagram's full size (Linux returns it
/// with `MSG_TRUNC`), so a truncated datagram shows how many bytes were lost.
pub fn recv_datagram(socket: &impl AsRawFd, buf: &mut [u8]) -> io::Result<(usize, usize)> {
    // SAFETY: `buf` is a valid writable slice of `buf.len()` bytes; the kernel writes no more.
    let rc = unsafe {
        libc::recv(socket.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len(), libc::MSG_TRUNC)
    };
    if rc < 0 {
        return Err(io::Error::last_os_error());
    }
    let real = rc as usize;
    Ok((real.min(buf.len()), real))
}
